// SPDX-License-Identifier: GPL-2.0
/*
 * The per-virtqueue ioctls. Each names its queue in the first u32 of its
 * argument. The layout of a running ring must not change under the
 * worker, so size, base, addresses and byte order are refused while a
 * backend is attached.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>

#include "dev.h"
#include "poll.h"
#include "vring.h"

/* The largest ring: indices are 16-bit, and the size a power of two. */
#define VHN_RING_MAX	32768

/*
 * A kick is the guest asking us to look at the ring again. A ring that
 * failed gets that second look, as with upstream: the error may have been
 * transient (a memory table swapped under traffic), and a guest that
 * keeps handing us bad chains costs one chain walk per kick, no more.
 */
static void vhn_vq_kicked(struct vhn_work *work)
{
	struct vhn_vq *vq = container_of(work, struct vhn_vq, kick_poll.work);

	if (READ_ONCE(vq->broken)) {
		mutex_lock(&vq->mutex);
		vq->broken = false;
		mutex_unlock(&vq->mutex);
	}
	vq->handle_kick(work);
}

/**
 * vhn_vq_init() - set up a virtqueue when its device is opened
 * @vq: the virtqueue, zeroed
 * @dev: its device
 * @handle_kick: what the worker runs when the guest kicks
 */
void vhn_vq_init(struct vhn_vq *vq, struct vhn_dev *dev,
		 vhn_work_fn_t handle_kick)
{
	vq->dev = dev;
	mutex_init(&vq->mutex);
	vq->handle_kick = handle_kick;
	vhn_poll_init(&vq->kick_poll, vq, vhn_vq_kicked, EPOLLIN);
	vhn_vq_reset(vq);
}

/* Drop an eventfd context we hold, if any. */
static void vhn_put_ctx(struct eventfd_ctx **ctx)
{
	if (*ctx)
		eventfd_ctx_put(*ctx);
	*ctx = NULL;
}

/**
 * vhn_vq_reset() - back to the state of a freshly opened device
 * @vq: the virtqueue; no backend, kick poll stopped and flushed
 *
 * Ring size 1 and index 0 are what a new device reports, as upstream.
 */
void vhn_vq_reset(struct vhn_vq *vq)
{
	if (vq->kick)
		fput(vq->kick);
	vq->kick = NULL;
	vhn_put_ctx(&vq->call);
	vhn_put_ctx(&vq->err);
	vq->num = 1;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
	vq->desc_addr = 0;
	vq->avail_addr = 0;
	vq->used_addr = 0;
	vq->meta_stale = false;
	vq->iotlb_wait = false;
	vq->log_addr = 0;
	vq->log_used = false;
	vq->log_base = NULL;
	vq->log_ctx = NULL;
	vq->ndirty = 0;
	vq->features = 0;
	vq->last_avail_idx = 0;
	vq->avail_idx = 0;
	vq->last_used_idx = 0;
	vq->used_flags = 0;
	vq->signalled_used = 0;
	vq->signalled_used_valid = false;
	/* A legacy ring is in the guest's order: the host's, until told. */
	vq->user_be = IS_ENABLED(CONFIG_CPU_BIG_ENDIAN);
	vq->broken = false;
	vq->busyloop_timeout = 0;
	vhn_vq_update_endian(vq);
}

/**
 * vhn_vq_update_endian() - recompute the ring byte order
 * @vq: the virtqueue
 *
 * VERSION_1 rings are little-endian; legacy rings are the guest's native
 * order: the host's, unless userspace said otherwise (SET_VRING_ENDIAN).
 */
void vhn_vq_update_endian(struct vhn_vq *vq)
{
	vq->is_le = vhn_vq_has(vq, VIRTIO_F_VERSION_1) || !vq->user_be;
}

/*
 * Split rings are powers of two (upstream's EINVAL for others). A packed
 * ring may have any size up to 32768, once VIRTIO_F_RING_PACKED is acked
 * (QEMU acks features before it sizes the rings); a split ring that
 * starts with such a size is refused then (vhn_split_start()).
 */
static long vhn_set_num(struct vhn_vq *vq, const struct vhost_vring_state *s)
{
	if (!s->num || s->num > VHN_RING_MAX ||
	    (!is_power_of_2(s->num) && !vhn_vq_has(vq, VIRTIO_F_RING_PACKED)))
		return -EINVAL;
	vq->num = s->num;
	return 0;
}

/*
 * A packed ring's base is two positions, as QEMU passes them: the avail
 * one (index in bits 0-14, wrap counter in bit 15) in the low half, the
 * used one in the high half. vhn_ring_start() checks them against the
 * ring size.
 */
static long vhn_set_base(struct vhn_vq *vq, const struct vhost_vring_state *s)
{
	if (vhn_vq_has(vq, VIRTIO_F_RING_PACKED)) {
		vq->last_avail_idx = s->num & 0xffff;
		vq->avail_idx = vq->last_avail_idx;
		vq->last_used_idx = s->num >> 16;
		return 0;
	}
	if (s->num > 0xffff)
		return -EINVAL;
	vq->last_avail_idx = s->num;
	vq->avail_idx = s->num;
	return 0;
}

/* Every part of the ring must be addressable for its whole size. */
static bool vhn_ring_access_ok(const struct vhn_vq *vq,
			       const struct vhost_vring_addr *a)
{
	size_t n = vq->num;

	return access_ok(u64_to_user_ptr(a->desc_user_addr),
			 n * sizeof(struct vring_desc)) &&
	       access_ok(u64_to_user_ptr(a->avail_user_addr),
			 sizeof(struct vring_avail) + (n + 1) * sizeof(__virtio16)) &&
	       access_ok(u64_to_user_ptr(a->used_user_addr),
			 sizeof(struct vring_used) +
			 n * sizeof(struct vring_used_elem) + sizeof(__virtio16));
}

static long vhn_set_addr(struct vhn_vq *vq, const struct vhost_vring_addr *a)
{
	if (a->flags & ~BIT(VHOST_VRING_F_LOG))
		return -EOPNOTSUPP;
	if ((unsigned long)a->desc_user_addr != a->desc_user_addr ||
	    (unsigned long)a->avail_user_addr != a->avail_user_addr ||
	    (unsigned long)a->used_user_addr != a->used_user_addr)
		return -EFAULT;
	/* The spec aligns avail to 2 and used to 4 bytes. */
	if ((a->avail_user_addr & 1) || (a->used_user_addr & 3) ||
	    (a->log_guest_addr & 3))
		return -EINVAL;
	/*
	 * A running ring is checked now; an idle one when it starts. With
	 * the IOTLB the addresses are IOVAs, checked when translated: they
	 * may be set before userspace maps them, as QEMU does, and the used
	 * ring is logged at the GPAs its translation leads to, not at
	 * log_guest_addr.
	 */
	if (vq->backend && !vq->dev->iotlb.tlb && !vhn_ring_access_ok(vq, a))
		return -EINVAL;
	if (vq->backend && !vq->dev->iotlb.tlb &&
	    (a->flags & BIT(VHOST_VRING_F_LOG)) &&
	    !vhn_log_ring_ok(vq->log_base, a->log_guest_addr, vq->num))
		return -EINVAL;
	vq->desc_addr = a->desc_user_addr;
	vq->avail_addr = a->avail_user_addr;
	vq->used_addr = a->used_user_addr;
	vq->log_addr = a->log_guest_addr;
	vq->log_used = a->flags & BIT(VHOST_VRING_F_LOG);
	vhn_iotlb_vq_sync(vq);
	return 0;
}

/* Take the eventfd named by @fd, or none for VHOST_FILE_UNBIND. */
static struct eventfd_ctx *vhn_ctx_get(int fd)
{
	return fd == VHOST_FILE_UNBIND ? NULL : eventfd_ctx_fdget(fd);
}

static long vhn_set_call_err(struct eventfd_ctx **slot, int fd)
{
	struct eventfd_ctx *ctx = vhn_ctx_get(fd);

	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	swap(ctx, *slot);
	if (ctx)
		eventfd_ctx_put(ctx);
	return 0;
}

/*
 * Replace the kick eventfd. The old one stops queueing work before the
 * new one starts, and the caller flushes after dropping the vq mutex.
 */
static long vhn_set_kick(struct vhn_vq *vq, int fd, bool *flush)
{
	struct file *file = NULL;
	long r = 0;

	if (fd != VHOST_FILE_UNBIND) {
		file = eventfd_fget(fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
	}
	if (file == vq->kick) {
		if (file)
			fput(file);
		return 0;
	}
	if (vq->kick) {
		vhn_poll_stop(&vq->kick_poll);
		fput(vq->kick);
		*flush = true;
	}
	vq->kick = file;
	if (file)
		r = vhn_poll_start(&vq->kick_poll, file);
	return r;
}

static long vhn_set_endian(struct vhn_vq *vq, const struct vhost_vring_state *s)
{
	if (s->num != VHOST_VRING_LITTLE_ENDIAN &&
	    s->num != VHOST_VRING_BIG_ENDIAN)
		return -EINVAL;
	vq->user_be = s->num == VHOST_VRING_BIG_ENDIAN;
	vhn_vq_update_endian(vq);
	return 0;
}

/* Commands that change the ring's layout, refused while it runs. */
static bool vhn_layout_cmd(unsigned int cmd)
{
	return cmd == VHOST_SET_VRING_NUM || cmd == VHOST_SET_VRING_BASE ||
	       cmd == VHOST_SET_VRING_ENDIAN;
}

static long vhn_vring_state_cmd(struct vhn_vq *vq, unsigned int cmd,
				void __user *argp, u32 idx)
{
	struct vhost_vring_state s;
	bool get = cmd == VHOST_GET_VRING_BASE ||
		   cmd == VHOST_GET_VRING_ENDIAN ||
		   cmd == VHOST_GET_VRING_BUSYLOOP_TIMEOUT;

	if (vhn_layout_cmd(cmd) && vq->backend)
		return -EBUSY;
	if (!get && copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;

	switch (cmd) {
	case VHOST_SET_VRING_NUM:
		return vhn_set_num(vq, &s);
	case VHOST_SET_VRING_BASE:
		return vhn_set_base(vq, &s);
	case VHOST_SET_VRING_ENDIAN:
		return vhn_set_endian(vq, &s);
	case VHOST_SET_VRING_BUSYLOOP_TIMEOUT:
		vq->busyloop_timeout = s.num;
		return 0;
	case VHOST_GET_VRING_BASE:
		s.num = vq->last_avail_idx;
		if (vhn_vq_has(vq, VIRTIO_F_RING_PACKED))
			s.num |= (u32)vq->last_used_idx << 16;
		break;
	case VHOST_GET_VRING_ENDIAN:
		s.num = vq->user_be;
		break;
	case VHOST_GET_VRING_BUSYLOOP_TIMEOUT:
		s.num = vq->busyloop_timeout;
		break;
	default:
		return -ENOIOCTLCMD;
	}
	s.index = idx;
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}

static long vhn_vring_file_cmd(struct vhn_vq *vq, unsigned int cmd,
			       void __user *argp, bool *flush)
{
	struct vhost_vring_file f;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	switch (cmd) {
	case VHOST_SET_VRING_KICK:
		return vhn_set_kick(vq, f.fd, flush);
	case VHOST_SET_VRING_CALL:
		return vhn_set_call_err(&vq->call, f.fd);
	case VHOST_SET_VRING_ERR:
		return vhn_set_call_err(&vq->err, f.fd);
	}
	return -ENOIOCTLCMD;
}

static long vhn_vring_addr_cmd(struct vhn_vq *vq, void __user *argp)
{
	struct vhost_vring_addr a;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	return vhn_set_addr(vq, &a);
}

/**
 * vhn_vring_ioctl() - handle a per-virtqueue ioctl
 * @dev: the device; the caller holds its mutex and checked ownership
 * @cmd: the ioctl
 * @argp: its argument; the first u32 is the queue index
 *
 * Return: 0, a negative errno, or -ENOIOCTLCMD for a command not ours.
 */
long vhn_vring_ioctl(struct vhn_dev *dev, unsigned int cmd, void __user *argp)
{
	struct vhn_vq *vq;
	bool flush = false;
	u32 idx;
	long r;

	if (get_user(idx, (u32 __user *)argp))
		return -EFAULT;
	if (idx >= dev->nvqs)
		return -ENOBUFS;
	vq = dev->vqs[array_index_nospec(idx, dev->nvqs)];

	/* The worker may hold it while it waits on guest memory. */
	if (mutex_lock_killable(&vq->mutex))
		return -EINTR;
	switch (cmd) {
	case VHOST_SET_VRING_ADDR:
		r = vhn_vring_addr_cmd(vq, argp);
		break;
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
	case VHOST_SET_VRING_ERR:
		r = vhn_vring_file_cmd(vq, cmd, argp, &flush);
		break;
	default:
		r = vhn_vring_state_cmd(vq, cmd, argp, idx);
		break;
	}
	mutex_unlock(&vq->mutex);

	/* A kick from the old eventfd may have queued work: let it finish. */
	if (flush)
		vhn_vq_flush(vq);
	return r;
}
