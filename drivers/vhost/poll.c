// SPDX-License-Identifier: GPL-2.0
/*
 * Wait-queue glue: an eventfd or socket wakeup queues work on the worker
 * of the virtqueue it belongs to. This is the ioeventfd half of a kick:
 * KVM signals the eventfd, the eventfd wakes its waiters, we queue work.
 */
#include <linux/file.h>
#include <linux/poll.h>

#include "dev.h"
#include "poll.h"

/**
 * vhn_vq_queue() - queue @work on @vq's worker
 * @vq: the virtqueue
 * @work: the work
 *
 * Callable from atomic context: the worker pointer is read under RCU.
 *
 * Return: false if the queue has no live worker.
 */
bool vhn_vq_queue(struct vhn_vq *vq, struct vhn_work *work)
{
	struct vhn_worker *w;
	bool queued = false;

	rcu_read_lock();
	w = rcu_dereference(vq->worker);
	if (w)
		queued = vhn_worker_queue(w, work);
	rcu_read_unlock();
	return queued;
}

/**
 * vhn_vq_flush() - wait for the work queued on @vq's worker so far
 * @vq: the virtqueue; the caller holds the device mutex, so the worker
 *	cannot be swapped or freed meanwhile, and not the vq mutex, which
 *	the works take
 *
 * For an ioctl: the wait ends early if the caller is being killed.
 *
 * Return: 0, or -EINTR.
 */
int vhn_vq_flush(struct vhn_vq *vq)
{
	struct vhn_worker *w;

	w = rcu_dereference_protected(vq->worker,
				      lockdep_is_held(&vq->dev->mutex));

	return w ? vhn_worker_flush(w, false) : 0;
}

static int vhn_poll_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			   int sync, void *key)
{
	struct vhn_poll *p = container_of(wait, struct vhn_poll, wait);

	if (!(key_to_poll(key) & p->mask))
		return 0;
	/* Under the wait queue's lock: see vhn_stat_kick(). */
	if (p == &p->vq->kick_poll)
		vhn_stat_kick(&p->vq->stats);
	vhn_vq_queue(p->vq, &p->work);
	return 0;
}

static void vhn_poll_queue_proc(struct file *file, wait_queue_head_t *wqh,
				poll_table *pt)
{
	struct vhn_poll *p = container_of(pt, struct vhn_poll, table);

	p->wqh = wqh;
	add_wait_queue(wqh, &p->wait);
}

/**
 * vhn_poll_init() - prepare @p to run @fn on @vq's worker on @mask events
 * @p: the poll entry
 * @vq: the virtqueue whose worker runs @fn
 * @fn: the work function
 * @mask: the events that matter (EPOLLIN for a kick, EPOLLOUT for room)
 */
void vhn_poll_init(struct vhn_poll *p, struct vhn_vq *vq, vhn_work_fn_t fn,
		   __poll_t mask)
{
	init_waitqueue_func_entry(&p->wait, vhn_poll_wakeup);
	init_poll_funcptr(&p->table, vhn_poll_queue_proc);
	p->wqh = NULL;
	p->mask = mask;
	p->vq = vq;
	vhn_work_init(&p->work, fn);
}

/**
 * vhn_poll_start() - start watching @file
 * @p: the poll entry, not watching anything
 * @file: the file to watch
 *
 * An event already pending queues the work at once, so nothing that
 * arrived before we started watching is lost.
 *
 * Return: 0, or -EINVAL if the file reports an error.
 */
int vhn_poll_start(struct vhn_poll *p, struct file *file)
{
	__poll_t mask;

	if (p->wqh)
		return 0;
	mask = vfs_poll(file, &p->table);
	if (mask & p->mask)
		vhn_vq_queue(p->vq, &p->work);
	if (mask & EPOLLERR) {
		vhn_poll_stop(p);
		return -EINVAL;
	}
	return 0;
}

/**
 * vhn_poll_stop() - stop watching
 * @p: the poll entry
 *
 * A wakeup that is already running may still queue the work once; flush
 * the worker before freeing anything the work uses.
 */
void vhn_poll_stop(struct vhn_poll *p)
{
	if (p->wqh) {
		remove_wait_queue(p->wqh, &p->wait);
		p->wqh = NULL;
	}
}
