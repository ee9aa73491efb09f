// SPDX-License-Identifier: GPL-2.0
/*
 * Workers: the threads that run a device's virtqueues.
 *
 * A worker runs the works queued on its lock-free list, in order. By
 * default it is a vhost_task: a thread of the owner process, so it is
 * accounted, limited and killed with the owner. In kthread mode
 * (VHOST_SET_FORK_FROM_OWNER) it is a kernel thread that borrows the
 * owner's mm and joins the owner's cgroups.
 *
 * A work may wait in a guest-memory fault for as long as userspace likes
 * (userfaultfd). Nothing here waits for a work with a lock held, a flush
 * can give up on a fatal signal without leaving anything behind (it
 * waits for a count, it queues no marker of its own), and a worker whose
 * owner is killed runs nothing more.
 */
#include <linux/cgroup.h>
#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "compat.h"
#include "dev.h"
#include "worker.h"

#define VHN_WORK_QUEUED	0

/* @n more works ran or were dropped: wake the flushes waiting for them. */
static void vhn_worker_done(struct vhn_worker *w, unsigned long n)
{
	/* Only the worker thread writes the count. */
	smp_store_release(&w->ndone, w->ndone + n);
	if (wq_has_sleeper(&w->flush_wq))
		wake_up_all(&w->flush_wq);
}

/* Run every work queued so far. Returns true if there was any. */
static bool vhn_worker_run(struct vhn_worker *w)
{
	struct llist_node *node = llist_del_all(&w->work_list);
	struct vhn_work *work, *next;

	if (!node)
		return false;

	__set_current_state(TASK_RUNNING);
	/* The list is LIFO; run works in the order they were queued. */
	node = llist_reverse_order(node);
	llist_for_each_entry_safe(work, next, node, node) {
		/*
		 * Clear the flag before running, so that an event during the
		 * work queues it again rather than being lost.
		 */
		clear_bit_unlock(VHN_WORK_QUEUED, &work->queued);
		work->fn(work);
		vhn_worker_done(w, 1);
		cond_resched();
	}
	return true;
}

static bool vhn_worker_task_fn(void *data)
{
	return vhn_worker_run(data);
}

/*
 * The owner was killed and took our vhost_task with it: no new work may
 * start here, and what is queued is dropped rather than run. The fatal
 * signal has been dequeued by now, so a work that touched guest memory
 * could wait in a userfaultfd fault for ever, and vhn_task_stop() and
 * every flush would wait with it (upstream's "task hung in
 * vhost_worker_killed"). Nobody needs those works any more: the owner is
 * gone, and whoever cleans up next restarts nothing.
 */
static void vhn_worker_task_killed(void *data)
{
	struct vhn_worker *w = data;
	struct llist_node *node;
	unsigned long n = 0;

	WRITE_ONCE(w->killed, true);
	/* Let vhn_worker_queue() callers that saw !killed finish. */
	synchronize_rcu();
	node = llist_del_all(&w->work_list);
	while (node) {
		struct vhn_work *work = llist_entry(node, struct vhn_work, node);

		node = node->next;
		clear_bit_unlock(VHN_WORK_QUEUED, &work->queued);
		n++;
	}
	/* Counted as done, so that flushes waiting for them return. */
	vhn_worker_done(w, n);
}

static int vhn_worker_kthread_fn(void *data)
{
	struct vhn_worker *w = data;

	/*
	 * A kthread gets no signal when its owner dies, so a fault in guest
	 * memory that userspace never serves would hold it, and the release
	 * waiting for it, for ever. vhn_worker_unblock() sends us SIGKILL,
	 * which makes such a fault give up (-EFAULT); only the kernel may
	 * send it. An unblock that came before we allowed the signal lost
	 * it: send it again.
	 */
	allow_kernel_signal(SIGKILL);
	if (READ_ONCE(w->unblock))
		send_sig(SIGKILL, current, 1);
	kthread_use_mm(w->dev->mm);
	for (;;) {
		/* Not interruptible: a pending SIGKILL must not make us spin. */
		set_current_state(TASK_IDLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		if (!vhn_worker_run(w))
			schedule();
	}
	kthread_unuse_mm(w->dev->mm);
	return 0;
}

static void vhn_worker_wake(struct vhn_worker *w)
{
	if (w->vtsk)
		vhn_task_wake(w->vtsk);
	else
		wake_up_process(w->kthread);
}

/**
 * vhn_worker_queue() - queue @work on @w unless it is queued already
 * @w: the worker
 * @work: the work
 *
 * Safe from any context, including a wait-queue callback. The caller
 * holds rcu_read_lock() or otherwise keeps @w alive.
 *
 * Return: false if the worker is gone (its owner was killed).
 */
bool vhn_worker_queue(struct vhn_worker *w, struct vhn_work *work)
{
	if (READ_ONCE(w->killed))
		return false;
	if (!test_and_set_bit(VHN_WORK_QUEUED, &work->queued)) {
		/*
		 * Counted before it is listed (llist_add() is fully ordered),
		 * so that a flush never counts a work that comes after one it
		 * must wait for: see vhn_worker_flush().
		 */
		atomic_long_inc(&w->nqueued);
		llist_add(&work->node, &w->work_list);
		vhn_worker_wake(w);
	}
	return true;
}

static bool vhn_worker_caught_up(struct vhn_worker *w, unsigned long target)
{
	/* Paired with vhn_worker_done(): what those works did is seen. */
	return (long)(smp_load_acquire(&w->ndone) - target) >= 0;
}

/**
 * vhn_worker_flush() - wait until every work queued on @w so far has run
 * @w: the worker
 * @must: the caller cannot give up (release, error paths)
 *
 * Works run in the order they were listed and each is counted before it
 * is listed, so once as many works are done as had been counted here,
 * every work listed before this call is done: at most the count minus
 * one works are ahead of any of them. A killed worker counts the works
 * it drops. Waiting for a count rather than for a marker queued on the
 * list means that a flush can give up at any time, and a worker stuck in
 * a guest-memory fault holds no flush's memory.
 *
 * The wait is killable, so that one that lasts (guest memory userspace
 * does not serve) is neither reported as a hung task nor keeps the
 * caller from dying. With @must, a fatal signal does not end it: the
 * wait goes on, uninterruptible, and is short when the caller is the
 * owner, whose death kills a vhost_task worker too.
 *
 * Return: 0, or -EINTR if a fatal signal ended the wait (never with @must).
 */
int vhn_worker_flush(struct vhn_worker *w, bool must)
{
	unsigned long target;

	/* Order the caller's past (a work it queued, a poll it stopped). */
	smp_mb();
	target = atomic_long_read(&w->nqueued);
	if (!wait_event_killable(w->flush_wq, vhn_worker_caught_up(w, target)))
		return 0;
	if (!must)
		return -EINTR;
	wait_event(w->flush_wq, vhn_worker_caught_up(w, target));
	return 0;
}

/**
 * vhn_worker_unblock() - make a kthread worker give up on guest memory
 * @w: the worker, about to be stopped
 *
 * A fault in a userfaultfd range that nobody serves ends only on a fatal
 * signal. A vhost_task gets one when its owner dies; a kthread gets
 * nothing, so we send it SIGKILL ourselves. From then on each of its
 * accesses to guest memory that would wait fails instead, and a ring it
 * was running breaks: only do this when the device is being torn down.
 */
void vhn_worker_unblock(struct vhn_worker *w)
{
	if (!w->kthread)
		return;
	/* Paired with the check after allow_kernel_signal(). */
	WRITE_ONCE(w->unblock, true);
	send_sig(SIGKILL, w->kthread, 1);
}

/**
 * vhn_worker_create() - start a worker for @dev, named vhost-<owner pid>
 * @dev: the device; its owner is current
 * @kthread: kthread mode instead of a thread of the owner
 *
 * Return: the worker, or an ERR_PTR.
 */
struct vhn_worker *vhn_worker_create(struct vhn_dev *dev, bool kthread)
{
	struct vhn_worker *w;
	char name[TASK_COMM_LEN];
	int err;

	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return ERR_PTR(-ENOMEM);
	w->dev = dev;
	init_llist_head(&w->work_list);
	init_waitqueue_head(&w->flush_wq);
	snprintf(name, sizeof(name), "vhost-%d", current->pid);

	if (!kthread) {
		w->vtsk = vhn_task_create(vhn_worker_task_fn,
					  vhn_worker_task_killed, w, name);
		if (IS_ERR(w->vtsk)) {
			err = PTR_ERR(w->vtsk);
			goto err_free;
		}
		vhn_task_start(w->vtsk);
		return w;
	}

	w->kthread = kthread_create(vhn_worker_kthread_fn, w, "%s", name);
	if (IS_ERR(w->kthread)) {
		err = PTR_ERR(w->kthread);
		goto err_free;
	}
	/* Charge the worker's CPU and memory to the owner's cgroups. */
	err = cgroup_attach_task_all(current, w->kthread);
	if (err) {
		kthread_stop(w->kthread);
		goto err_free;
	}
	wake_up_process(w->kthread);
	return w;

err_free:
	kfree(w);
	return ERR_PTR(err);
}

/**
 * vhn_worker_destroy() - stop a worker and free it
 * @w: the worker; no virtqueue may use it any more
 *
 * Runs what is still queued first, so no work is left half-done.
 */
void vhn_worker_destroy(struct vhn_worker *w)
{
	vhn_worker_flush(w, true);
	if (w->vtsk)
		vhn_task_stop(w->vtsk);
	else
		kthread_stop(w->kthread);
	WARN_ON_ONCE(!llist_empty(&w->work_list));
	kfree(w);
}
