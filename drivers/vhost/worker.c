// SPDX-License-Identifier: GPL-2.0
/*
 * Workers: the threads that run a device's virtqueues.
 *
 * A worker runs the works queued on its lock-free list, in order. By
 * default it is a vhost_task: a thread of the owner process, so it is
 * accounted, limited and killed with the owner. In kthread mode
 * (VHOST_SET_FORK_FROM_OWNER) it is a kernel thread that borrows the
 * owner's mm and joins the owner's cgroups.
 */
#include <linux/cgroup.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/sched/vhost_task.h>
#include <linux/slab.h>

#include "dev.h"
#include "worker.h"

#define VHN_WORK_QUEUED	0

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
 * start here. Works already queued still run, so that a flush waiting on
 * one of them completes.
 */
static void vhn_worker_task_killed(void *data)
{
	struct vhn_worker *w = data;

	mutex_lock(&w->mutex);
	WRITE_ONCE(w->killed, true);
	/* Let vhn_worker_queue() callers that saw !killed finish. */
	synchronize_rcu();
	vhn_worker_run(w);
	mutex_unlock(&w->mutex);
}

static int vhn_worker_kthread_fn(void *data)
{
	struct vhn_worker *w = data;

	kthread_use_mm(w->dev->mm);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
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
		vhost_task_wake(w->vtsk);
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
		/* llist_add() orders the flag before the list update. */
		llist_add(&work->node, &w->work_list);
		vhn_worker_wake(w);
	}
	return true;
}

struct vhn_flush {
	struct vhn_work work;
	struct completion done;
};

static void vhn_flush_fn(struct vhn_work *work)
{
	complete(&container_of(work, struct vhn_flush, work)->done);
}

/**
 * vhn_worker_flush() - wait until every work queued on @w so far has run
 * @w: the worker
 *
 * Works run in order, so a marker queued last has run once all of them
 * have. A killed worker runs what was queued before it died.
 */
void vhn_worker_flush(struct vhn_worker *w)
{
	struct vhn_flush flush;
	bool queued;

	init_completion(&flush.done);
	vhn_work_init(&flush.work, vhn_flush_fn);
	/* Under RCU, so that a kill either sees our work or refuses it. */
	rcu_read_lock();
	queued = vhn_worker_queue(w, &flush.work);
	rcu_read_unlock();
	if (queued)
		wait_for_completion(&flush.done);
	/* Serialize with a kill in progress, which runs the remaining works. */
	mutex_lock(&w->mutex);
	mutex_unlock(&w->mutex);
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
	mutex_init(&w->mutex);
	snprintf(name, sizeof(name), "vhost-%d", current->pid);

	if (!kthread) {
		w->vtsk = vhost_task_create(vhn_worker_task_fn,
					    vhn_worker_task_killed, w, name);
		if (IS_ERR(w->vtsk)) {
			err = PTR_ERR(w->vtsk);
			goto err_free;
		}
		vhost_task_start(w->vtsk);
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
	mutex_destroy(&w->mutex);
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
	vhn_worker_flush(w);
	if (w->vtsk)
		vhost_task_stop(w->vtsk);
	else
		kthread_stop(w->kthread);
	WARN_ON_ONCE(!llist_empty(&w->work_list));
	mutex_destroy(&w->mutex);
	kfree(w);
}
