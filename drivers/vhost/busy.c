// SPDX-License-Identifier: GPL-2.0
/*
 * Busy polling. A spin ends early when the scheduler wants the CPU, when
 * a signal is pending, or when other work waits on this worker: busy
 * polling one queue must never starve another.
 */
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "busy.h"
#include "vq.h"

static bool vhn_worker_busy_elsewhere(struct vhn_vq *vq)
{
	struct vhn_worker *w;
	bool busy;

	rcu_read_lock();
	w = rcu_dereference(vq->worker);
	busy = w && !llist_empty(&w->work_list);
	rcu_read_unlock();
	return busy;
}

/**
 * vhn_busy_poll() - spin until @ready or the vq's busy-poll budget is spent
 * @vq: the virtqueue, with its mutex held
 * @ready: the condition to wait for
 *
 * Return: true if @ready became true.
 */
bool vhn_busy_poll(struct vhn_vq *vq, bool (*ready)(struct vhn_vq *vq))
{
	bool hit;
	u64 end;

	if (!vq->busyloop_timeout)
		return false;
	end = ktime_get_ns() + (u64)vq->busyloop_timeout * NSEC_PER_USEC;
	preempt_disable();
	while (!need_resched() && !signal_pending(current) &&
	       !vhn_worker_busy_elsewhere(vq) && ktime_get_ns() < end) {
		preempt_enable();
		if (ready(vq)) {
			vhn_stat_busy_poll(&vq->stats, true);
			return true;
		}
		cpu_relax();
		preempt_disable();
	}
	preempt_enable();
	hit = ready(vq);
	vhn_stat_busy_poll(&vq->stats, hit);
	return hit;
}
