// SPDX-License-Identifier: GPL-2.0
/*
 * The device: who owns it, its memory table, its workers, and the ioctls
 * that are not about networking.
 *
 * Locking: dev->mutex serializes the ioctls and is taken before any vq
 * mutex. The worker takes only vq mutexes, so the control path may flush
 * the worker while holding dev->mutex, never while holding a vq mutex.
 *
 * The worker can hold a vq mutex, and keep a flush waiting, for as long
 * as userspace leaves a fault in guest memory unserved (userfaultfd). So
 * an ioctl waits for either killably and gives up with -EINTR when its
 * caller is being killed; release cannot give up, but makes a kthread
 * worker abandon such a fault first (a vhost_task is killed with its
 * owner). See vhn_lock() and vhn_worker_flush().
 */
#include <linux/eventfd.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>

#include "compat.h"
#include "dev.h"
#include "memmap.h"
#include "poll.h"
#include "vring.h"
#include "worker.h"

/*
 * Guests with memory hotplug (DIMMs, virtio-mem) need far more than the 64
 * regions upstream allows, and the lookup is a bisection: 509 (KVM's slot
 * count on x86) costs three more steps than 64. QEMU reads its limit from
 * the vhost core module instead (Documentation/compat.rst).
 */
static ushort max_mem_regions = 509;
module_param(max_mem_regions, ushort, 0444);
MODULE_PARM_DESC(max_mem_regions,
		 "Maximum number of memory regions in a memory table (default 509)");

/* Without vhost_task (6.1) every worker is a kthread: see compat.h. */
static bool fork_from_owner_default = VHN_HAVE_VHOST_TASK;
module_param(fork_from_owner_default, bool, 0444);
MODULE_PARM_DESC(fork_from_owner_default,
		 "Run workers as threads of the owner (default) rather than kthreads");

/**
 * vhn_dev_init() - set up a device when it is opened
 * @dev: the device, zeroed
 * @vqs: its virtqueues, already set up with vhn_vq_init()
 * @nvqs: how many
 *
 * Return: 0.
 */
int vhn_dev_init(struct vhn_dev *dev, struct vhn_vq **vqs, int nvqs)
{
	mutex_init(&dev->mutex);
	xa_init_flags(&dev->workers, XA_FLAGS_ALLOC);
	dev->vqs = vqs;
	dev->nvqs = nvqs;
	dev->kthread_mode = !fork_from_owner_default || !VHN_HAVE_VHOST_TASK;
	vhn_iotlb_dev_init(dev);
	return 0;
}

/**
 * vhn_dev_is_owner() - is the caller's mm the owner's?
 * @dev: the device
 *
 * Return: true only after SET_OWNER, and only in the owner's process.
 */
bool vhn_dev_is_owner(struct vhn_dev *dev)
{
	return dev->mm && dev->mm == current->mm;
}

/**
 * vhn_lock() - take a mutex the worker may hold while it waits on guest memory
 * @m: a vq mutex, or the device mutex
 * @must: the caller cannot give up (release, error paths)
 *
 * Killable, so that a long wait is neither reported as a hung task nor
 * keeps the caller from dying. With @must a fatal signal does not end the
 * wait: see vhn_worker_flush().
 *
 * Return: 0, or -EINTR (never with @must).
 */
int vhn_lock(struct mutex *m, bool must)
{
	if (!mutex_lock_killable(m))
		return 0;
	if (!must)
		return -EINTR;
	mutex_lock(m);
	return 0;
}

/**
 * vhn_dev_lock_vqs() - take every vq mutex, for a change made to all at once
 * @dev: the device; the caller holds its mutex
 *
 * Return: 0, or -EINTR with none held if the caller is being killed.
 */
int vhn_dev_lock_vqs(struct vhn_dev *dev)
{
	int i;

	for (i = 0; i < dev->nvqs; i++) {
		if (mutex_lock_killable_nested(&dev->vqs[i]->mutex, i)) {
			while (i--)
				mutex_unlock(&dev->vqs[i]->mutex);
			return -EINTR;
		}
	}
	return 0;
}

/**
 * vhn_dev_unlock_vqs() - drop what vhn_dev_lock_vqs() took
 * @dev: the device
 */
void vhn_dev_unlock_vqs(struct vhn_dev *dev)
{
	int i;

	for (i = dev->nvqs - 1; i >= 0; i--)
		mutex_unlock(&dev->vqs[i]->mutex);
}

/* Point @vq at @w; the caller flushes any previous worker. */
static int vhn_attach(struct vhn_vq *vq, struct vhn_worker *w, bool must)
{
	if (vhn_lock(&vq->mutex, must))
		return -EINTR;
	rcu_assign_pointer(vq->worker, w);
	mutex_unlock(&vq->mutex);
	if (w)
		w->attached++;
	return 0;
}

static struct vhn_worker *vhn_new_worker(struct vhn_dev *dev)
{
	struct vhn_worker *w;
	u32 id;
	int err;

	w = vhn_worker_create(dev, dev->kthread_mode);
	if (IS_ERR(w))
		return w;
	err = xa_alloc(&dev->workers, &id, w, xa_limit_32b, GFP_KERNEL);
	if (err) {
		vhn_worker_destroy(w);
		return ERR_PTR(err);
	}
	w->id = id;
	return w;
}

/**
 * vhn_dev_set_owner() - bind the device to the caller's mm
 * @dev: the device; the caller holds its mutex
 *
 * Starts the first worker and attaches every virtqueue to it.
 *
 * Return: 0, -EBUSY if already owned, or an allocation error.
 */
long vhn_dev_set_owner(struct vhn_dev *dev)
{
	struct vhn_worker *w;
	int i;

	if (dev->mm)
		return -EBUSY;
	if (!current->mm)
		return -EINVAL;
	/*
	 * A kthread worker lives apart from the owner and needs the address
	 * space itself; a vhost_task shares it and only needs the struct.
	 */
	if (dev->kthread_mode)
		dev->mm = get_task_mm(current);
	else
		dev->mm = current->mm;
	if (!dev->mm)
		return -EINVAL;
	mmgrab(dev->mm);

	w = vhn_new_worker(dev);
	if (IS_ERR(w)) {
		if (dev->kthread_mode)
			mmput(dev->mm);
		mmdrop(dev->mm);
		dev->mm = NULL;
		return PTR_ERR(w);
	}
	/* Nothing runs these queues yet: no wait. */
	for (i = 0; i < dev->nvqs; i++)
		vhn_attach(dev->vqs[i], w, true);
	return 0;
}

/**
 * vhn_dev_flush() - wait until every work queued on the device has run
 * @dev: the device; the caller holds its mutex
 * @must: the caller cannot give up (see vhn_worker_flush())
 *
 * Return: 0, or -EINTR if the caller is being killed (never with @must).
 */
int vhn_dev_flush(struct vhn_dev *dev, bool must)
{
	struct vhn_worker *w;
	unsigned long id;
	int r;

	xa_for_each(&dev->workers, id, w) {
		r = vhn_worker_flush(w, must);
		if (r)
			return r;
	}
	return 0;
}

/**
 * vhn_dev_unblock() - make the workers give up on guest memory, for good
 * @dev: the device, about to lose its workers; the caller holds its mutex
 *
 * So that tearing the device down never waits on a fault userspace does
 * not serve. See vhn_worker_unblock().
 */
void vhn_dev_unblock(struct vhn_dev *dev)
{
	struct vhn_worker *w;
	unsigned long id;

	xa_for_each(&dev->workers, id, w)
		vhn_worker_unblock(w);
}

/**
 * vhn_dev_log_ok() - can the running queues log all of @map?
 * @dev: the device; the caller holds its mutex and every vq mutex
 * @map: a memory table, or NULL
 * @log_all: check as if VHOST_F_LOG_ALL were acked
 *
 * An idle queue is checked when it starts, as upstream does.
 *
 * Return: true if every running queue can log its used ring and, with
 * VHOST_F_LOG_ALL (or @log_all), every region of @map.
 */
bool vhn_dev_log_ok(struct vhn_dev *dev, const struct vhn_memmap *map,
		    bool log_all)
{
	int i;

	for (i = 0; i < dev->nvqs; i++) {
		struct vhn_vq *vq = dev->vqs[i];

		lockdep_assert_held(&vq->mutex);
		if (vq->backend &&
		    !vhn_log_vq_ok(vq, vq->log_base, map, log_all ||
				   vhn_vq_has(vq, VHOST_F_LOG_ALL)))
			return false;
	}
	return true;
}

static long vhn_set_mem_table(struct vhn_dev *dev, void __user *argp)
{
	struct vhn_memmap *map, *old;
	bool ok;
	int r;

	map = vhn_memmap_from_user(argp, max_mem_regions);
	if (IS_ERR(map))
		return PTR_ERR(map);
	/* While the guest migrates, new memory must be loggable too. */
	r = vhn_dev_lock_vqs(dev);
	if (r) {
		vhn_memmap_free(map);
		return r;
	}
	ok = vhn_dev_log_ok(dev, map, false);
	vhn_dev_unlock_vqs(dev);
	if (!ok) {
		vhn_memmap_free(map);
		return -EFAULT;
	}
	old = rcu_replace_pointer(dev->mem, map, lockdep_is_held(&dev->mutex));
	/*
	 * Work in flight may still copy through the old table's addresses.
	 * Let it finish, so userspace may unmap old memory once we return.
	 * A caller killed meanwhile unmaps nothing; the old table itself is
	 * read only under RCU and freed after a grace period, so it may go
	 * either way.
	 */
	r = vhn_dev_flush(dev, false);
	vhn_memmap_free(old);
	return r;
}

/*
 * Each queue takes the new bitmap unless it runs and could not log into
 * it: that one keeps its old bitmap, the others still move to the new
 * one, and the caller gets -EFAULT (upstream's behaviour).
 */
static long vhn_set_log_base(struct vhn_dev *dev, void __user *argp)
{
	const struct vhn_memmap *map;
	void __user *base;
	long r = 0;
	u64 addr;
	int i;

	if (copy_from_user(&addr, argp, sizeof(addr)))
		return -EFAULT;
	if ((unsigned long)addr != addr)
		return -EFAULT;
	base = u64_to_user_ptr(addr);
	map = rcu_dereference_protected(dev->mem, lockdep_is_held(&dev->mutex));
	for (i = 0; i < dev->nvqs; i++) {
		struct vhn_vq *vq = dev->vqs[i];

		/* Each queue on its own: one killed midway leaves no harm. */
		if (mutex_lock_killable(&vq->mutex))
			return -EINTR;
		if (vq->backend &&
		    !vhn_log_vq_ok(vq, base, map, vhn_vq_has(vq, VHOST_F_LOG_ALL)))
			r = -EFAULT;
		else
			vq->log_base = base;
		mutex_unlock(&vq->mutex);
	}
	return r;
}

static long vhn_set_log_fd(struct vhn_dev *dev, void __user *argp)
{
	struct eventfd_ctx *ctx = NULL;
	int fd, i, r;

	if (get_user(fd, (int __user *)argp))
		return -EFAULT;
	if (fd != VHOST_FILE_UNBIND) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	/* All queues or none: the old context must be unused when put. */
	r = vhn_dev_lock_vqs(dev);
	if (r) {
		if (ctx)
			eventfd_ctx_put(ctx);
		return r;
	}
	swap(ctx, dev->log_ctx);
	for (i = 0; i < dev->nvqs; i++)
		dev->vqs[i]->log_ctx = dev->log_ctx;
	vhn_dev_unlock_vqs(dev);
	/* No queue signals the old one any more. */
	if (ctx)
		eventfd_ctx_put(ctx);
	return 0;
}

static long vhn_fork_owner_cmd(struct vhn_dev *dev, unsigned int cmd,
			       u8 __user *argp)
{
	u8 mode;

	if (cmd == VHOST_GET_FORK_FROM_OWNER) {
		mode = dev->kthread_mode ? VHOST_FORK_OWNER_KTHREAD :
					   VHOST_FORK_OWNER_TASK;
		return put_user(mode, argp);
	}
	/* The mode decides how SET_OWNER starts the worker. */
	if (dev->mm)
		return -EBUSY;
	if (get_user(mode, argp))
		return -EFAULT;
	if (mode != VHOST_FORK_OWNER_TASK && mode != VHOST_FORK_OWNER_KTHREAD)
		return -EINVAL;
	if (mode == VHOST_FORK_OWNER_TASK && !VHN_HAVE_VHOST_TASK)
		return -EOPNOTSUPP;
	dev->kthread_mode = mode == VHOST_FORK_OWNER_KTHREAD;
	return 0;
}

static long vhn_free_worker(struct vhn_dev *dev, void __user *argp)
{
	struct vhost_worker_state st;
	struct vhn_worker *w;

	if (copy_from_user(&st, argp, sizeof(st)))
		return -EFAULT;
	w = xa_load(&dev->workers, st.worker_id);
	if (!w)
		return -ENODEV;
	if (w->attached || READ_ONCE(w->killed))
		return -EBUSY;
	/*
	 * A queue that just left it may still have work there, stuck on
	 * guest memory: wait for it here, where we may give up.
	 */
	if (vhn_worker_flush(w, false))
		return -EINTR;
	xa_erase(&dev->workers, st.worker_id);
	vhn_worker_destroy(w);
	return 0;
}

/*
 * Move @vq to worker @w. Kicks that raced with the switch may have gone to
 * the old worker: wait for RCU readers, then for the old worker's queue.
 * If the caller is killed during that wait, the queue has still moved;
 * FREE_WORKER flushes the old worker again before it frees it.
 */
static int vhn_switch_worker(struct vhn_vq *vq, struct vhn_worker *w)
{
	struct vhn_worker *old;
	int r;

	old = rcu_dereference_protected(vq->worker,
					lockdep_is_held(&vq->dev->mutex));
	if (old == w || READ_ONCE(w->killed))
		return 0;
	r = vhn_attach(vq, w, false);
	if (r || !old)
		return r;
	synchronize_rcu();
	r = vhn_worker_flush(old, false);
	old->attached--;
	return r;
}

static long vhn_vring_worker_cmd(struct vhn_dev *dev, unsigned int cmd,
				 void __user *argp)
{
	struct vhost_vring_worker vw;
	struct vhn_worker *w;
	struct vhn_vq *vq;

	if (copy_from_user(&vw, argp, sizeof(vw)))
		return -EFAULT;
	if (vw.index >= dev->nvqs)
		return -ENOBUFS;
	vq = dev->vqs[array_index_nospec(vw.index, dev->nvqs)];

	if (cmd == VHOST_GET_VRING_WORKER) {
		w = rcu_dereference_protected(vq->worker,
					      lockdep_is_held(&dev->mutex));
		if (!w)
			return -EINVAL;
		vw.worker_id = w->id;
		return copy_to_user(argp, &vw, sizeof(vw)) ? -EFAULT : 0;
	}
	w = xa_load(&dev->workers, vw.worker_id);
	if (!w)
		return -ENODEV;
	return vhn_switch_worker(vq, w);
}

static unsigned int vhn_dev_nworkers(struct vhn_dev *dev)
{
	struct vhn_worker *w;
	unsigned long id;
	unsigned int n = 0;

	xa_for_each(&dev->workers, id, w)
		n++;
	return n;
}

static long vhn_worker_cmd(struct vhn_dev *dev, unsigned int cmd,
			   void __user *argp)
{
	struct vhost_worker_state st = {};
	struct vhn_worker *w;

	switch (cmd) {
	case VHOST_NEW_WORKER:
		/*
		 * A kthread is not counted against the owner's process limit,
		 * so where vhost_task exists userspace may only add workers
		 * that are its own threads. Without it (6.1) kthreads are the
		 * only kind: a device gets one per ring besides its first.
		 */
		if (dev->kthread_mode && VHN_HAVE_VHOST_TASK)
			return -EFAULT;
		if (dev->kthread_mode && vhn_dev_nworkers(dev) > dev->nvqs)
			return -ENOSPC;
		w = vhn_new_worker(dev);
		if (IS_ERR(w))
			return PTR_ERR(w);
		st.worker_id = w->id;
		return copy_to_user(argp, &st, sizeof(st)) ? -EFAULT : 0;
	case VHOST_FREE_WORKER:
		return vhn_free_worker(dev, argp);
	default:
		return vhn_vring_worker_cmd(dev, cmd, argp);
	}
}

static bool vhn_is_worker_cmd(unsigned int cmd)
{
	return cmd == VHOST_NEW_WORKER || cmd == VHOST_FREE_WORKER ||
	       cmd == VHOST_ATTACH_VRING_WORKER ||
	       cmd == VHOST_GET_VRING_WORKER;
}

/**
 * vhn_dev_ioctl() - handle a generic (not networking) ioctl
 * @dev: the device; the caller holds its mutex
 * @cmd: the ioctl
 * @argp: its argument
 *
 * Only the owner may use these, except the fork-mode pair, which must come
 * before SET_OWNER.
 *
 * Return: 0, a negative errno, or -ENOIOCTLCMD for a command not handled.
 */
long vhn_dev_ioctl(struct vhn_dev *dev, unsigned int cmd, void __user *argp)
{
	if (cmd == VHOST_SET_FORK_FROM_OWNER || cmd == VHOST_GET_FORK_FROM_OWNER)
		return vhn_fork_owner_cmd(dev, cmd, argp);
	if (vhn_is_worker_cmd(cmd) && !dev->mm)
		return -EINVAL;
	if (!vhn_dev_is_owner(dev))
		return -EPERM;

	switch (cmd) {
	case VHOST_SET_MEM_TABLE:
		return vhn_set_mem_table(dev, argp);
	case VHOST_SET_LOG_BASE:
		return vhn_set_log_base(dev, argp);
	case VHOST_SET_LOG_FD:
		return vhn_set_log_fd(dev, argp);
	}
	if (vhn_is_worker_cmd(cmd))
		return vhn_worker_cmd(dev, cmd, argp);
	return vhn_vring_ioctl(dev, cmd, argp);
}

/**
 * vhn_dev_cleanup() - release everything the owner set up
 * @dev: the device; backends detached and workers flushed since, the
 *	 caller holds its mutex
 *
 * Used on close and on RESET_OWNER: the device is as new afterwards.
 * With no backend a work touches no guest memory, so the waits here are
 * short.
 */
void vhn_dev_cleanup(struct vhn_dev *dev)
{
	struct vhn_worker *w;
	unsigned long id;
	int i;

	/* No kick may queue work from here on. */
	for (i = 0; i < dev->nvqs; i++)
		vhn_poll_stop(&dev->vqs[i]->kick_poll);
	vhn_dev_flush(dev, true);
	for (i = 0; i < dev->nvqs; i++) {
		vhn_attach(dev->vqs[i], NULL, true);
		vhn_lock(&dev->vqs[i]->mutex, true);
		vhn_vq_reset(dev->vqs[i]);
		mutex_unlock(&dev->vqs[i]->mutex);
	}
	/* Wakeups that read a worker pointer must be done before it goes. */
	synchronize_rcu();
	xa_for_each(&dev->workers, id, w) {
		xa_erase(&dev->workers, id);
		vhn_worker_destroy(w);
	}
	vhn_memmap_free(rcu_replace_pointer(dev->mem, NULL,
					    lockdep_is_held(&dev->mutex)));
	vhn_iotlb_dev_cleanup(dev);
	if (dev->log_ctx)
		eventfd_ctx_put(dev->log_ctx);
	dev->log_ctx = NULL;
	if (dev->mm) {
		if (dev->kthread_mode)
			mmput(dev->mm);
		mmdrop(dev->mm);
	}
	dev->mm = NULL;
}
