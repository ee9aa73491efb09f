/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workers: the vhost-<owner pid> threads that run a device's queues.
 */
#ifndef VHN_WORKER_H
#define VHN_WORKER_H

#include <linux/atomic.h>
#include <linux/llist.h>
#include <linux/types.h>
#include <linux/wait.h>

struct vhn_dev;
struct vhn_work;
struct vhost_task;
struct task_struct;

typedef void (*vhn_work_fn_t)(struct vhn_work *work);

/**
 * struct vhn_work - a unit of work for a worker
 * @node: link in the worker's lock-free list
 * @queued: bit 0 set from queueing until the worker picks it up, so a work
 *	    is never on a list twice
 * @fn: what to run, in the worker's context
 */
struct vhn_work {
	struct llist_node node;
	unsigned long queued;
	vhn_work_fn_t fn;
};

/**
 * struct vhn_worker - one worker thread
 * @dev: the device that owns it
 * @vtsk: the thread in vhost_task mode (a thread of the owner process)
 * @kthread: the thread in kthread mode
 * @work_list: works queued and not yet run
 * @nqueued: works ever queued, counted before each is listed
 * @ndone: works ever run or dropped; written by the worker thread alone
 * @flush_wq: flushes waiting for @ndone to catch up
 * @id: the id userspace names it by (VHOST_NEW_WORKER)
 * @attached: how many virtqueues use it
 * @killed: the owner got SIGKILL; no more work runs here
 * @unblock: a kthread worker was told to give up waiting for guest memory
 */
struct vhn_worker {
	struct vhn_dev *dev;
	struct vhost_task *vtsk;
	struct task_struct *kthread;
	struct llist_head work_list;
	atomic_long_t nqueued;
	unsigned long ndone;
	wait_queue_head_t flush_wq;
	u32 id;
	int attached;
	bool killed;
	bool unblock;
};

static inline void vhn_work_init(struct vhn_work *work, vhn_work_fn_t fn)
{
	work->queued = 0;
	work->fn = fn;
}

bool vhn_worker_queue(struct vhn_worker *w, struct vhn_work *work);
int vhn_worker_flush(struct vhn_worker *w, bool must);
void vhn_worker_unblock(struct vhn_worker *w);
struct vhn_worker *vhn_worker_create(struct vhn_dev *dev, bool kthread);
void vhn_worker_destroy(struct vhn_worker *w);

#endif /* VHN_WORKER_H */
