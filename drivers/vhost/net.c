// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vhost-net file: open, release, and the ioctls that are about
 * networking (features, owner reset); everything generic goes to dev.c.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>

#include "compat.h"
#include "net.h"
#include "poll.h"
#include "vring.h"

/*
 * What we offer. ACCESS_PLATFORM turns on the device IOTLB (iotlb_dev.c).
 * RING_RESET needs nothing of the device
 * beyond what every queue already has: QEMU resets one queue by
 * unbinding its backend, reading its base and setting it up again, while
 * the others keep theirs. IN_ORDER: both queues already use their chains
 * in the order they were taken (RX gives back every chain of a frame it
 * cannot fill, so the next frame starts at the same place); TX then puts
 * one used entry per batch (vhn_ring_put_in_order()).
 */
#define VHN_NET_FEATURES (BIT_ULL(VIRTIO_F_NOTIFY_ON_EMPTY) | \
			  BIT_ULL(VIRTIO_F_RING_RESET) | \
			  BIT_ULL(VIRTIO_F_IN_ORDER) | \
			  BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) | \
			  BIT_ULL(VIRTIO_F_RING_PACKED) | \
			  BIT_ULL(VHOST_F_LOG_ALL) | \
			  BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) | \
			  BIT_ULL(VIRTIO_RING_F_EVENT_IDX) | \
			  BIT_ULL(VIRTIO_F_ANY_LAYOUT) | \
			  BIT_ULL(VIRTIO_F_VERSION_1) | \
			  BIT_ULL(VHOST_NET_F_VIRTIO_NET_HDR) | \
			  BIT_ULL(VIRTIO_NET_F_MRG_RXBUF))
/* As upstream's vhost-net: no IOTLB batching, no address spaces. */
#define VHN_NET_BACKEND_FEATURES BIT_ULL(VHOST_BACKEND_F_IOTLB_MSG_V2)

static struct vhn_net_vq *vhn_work_to_nvq(struct vhn_work *work)
{
	return vhn_to_nvq(container_of(work, struct vhn_poll, work)->vq);
}

/* A kick or a socket wakeup on either queue runs that queue. */
static void vhn_net_rx_work(struct vhn_work *work)
{
	vhn_net_rx(vhn_work_to_nvq(work));
}

static void vhn_net_tx_work(struct vhn_work *work)
{
	vhn_net_tx(vhn_work_to_nvq(work));
}

static int vhn_net_open(struct inode *inode, struct file *file)
{
	struct vhn_net *n;
	int i;

	n = kvzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n)
		return -ENOMEM;
	for (i = 0; i < VHN_NET_NVQS; i++) {
		struct vhn_net_vq *nvq = &n->vqs[i];
		vhn_work_fn_t fn = i == VHN_NET_RX ? vhn_net_rx_work : vhn_net_tx_work;

		vhn_vq_init(&nvq->vq, &n->dev, fn);
		vhn_poll_init(&nvq->sock_poll, &nvq->vq, fn,
			      i == VHN_NET_RX ? EPOLLIN : EPOLLOUT);
		n->vq_ptrs[i] = &nvq->vq;
	}
	vhn_dev_init(&n->dev, n->vq_ptrs, VHN_NET_NVQS);
	vhn_stats_init(&n->dev);
	file->private_data = n;
	return 0;
}

/*
 * Release cannot give up, and must not wait for ever on a worker stuck in
 * a guest-memory fault: a kthread worker is told to abandon such faults
 * first, and a vhost_task one is killed with its owner. Only a release
 * while the owner lives and leaves its memory unserved waits (killably)
 * for it. No ioctl can hold the device mutex here: each holds a reference
 * to the file.
 */
static int vhn_net_release(struct inode *inode, struct file *file)
{
	struct vhn_net *n = file->private_data;

	mutex_lock(&n->dev.mutex);
	vhn_stats_reset_owner(&n->dev);
	vhn_dev_unblock(&n->dev);
	vhn_net_stop_backends(n, true);
	vhn_dev_cleanup(&n->dev);
	mutex_unlock(&n->dev.mutex);
	/* The worker is gone: nothing can take a fragment any more. */
	vhn_page_frag_cache_drain(&n->vqs[VHN_NET_TX].frags);
	kvfree(n);
	return 0;
}

static long vhn_net_set_features(struct vhn_net *n, u64 features)
{
	struct vhn_hdr_split split = vhn_hdr_split(features);
	long r;
	int i;

	if (features & ~VHN_NET_FEATURES)
		return -EOPNOTSUPP;

	if (mutex_lock_killable(&n->dev.mutex))
		return -EINTR;
	/* All queues at once, or none if we are killed waiting for one. */
	r = vhn_dev_lock_vqs(&n->dev);
	if (r)
		goto out;
	/* Running queues must be able to log all of guest memory. */
	if ((features & BIT_ULL(VHOST_F_LOG_ALL)) &&
	    !vhn_dev_log_ok(&n->dev, rcu_dereference_protected(n->dev.mem,
				lockdep_is_held(&n->dev.mutex)), true)) {
		r = -EFAULT;
		goto unlock;
	}
	r = vhn_iotlb_enable(&n->dev, features & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));
	if (r)
		goto unlock;
	n->dev.features = features;
	for (i = 0; i < VHN_NET_NVQS; i++) {
		struct vhn_net_vq *nvq = &n->vqs[i];

		nvq->vq.features = features;
		vhn_vq_update_endian(&nvq->vq);
		/* The ring's size depends on EVENT_IDX: translate it again. */
		vhn_iotlb_vq_sync(&nvq->vq);
		nvq->hdr = split;
		/*
		 * In order, a TX batch can go back as one used entry: every
		 * chain of it was used completely, since TX writes nothing
		 * (a writable TX chain breaks the ring). Not RX: a buffer
		 * the frame did not fill has a length the driver must see,
		 * and the entries of the buffers a frame did fill cost no
		 * access of their own, being in the same copy.
		 */
		nvq->one_used = i == VHN_NET_TX &&
				(features & BIT_ULL(VIRTIO_F_IN_ORDER));
	}
unlock:
	vhn_dev_unlock_vqs(&n->dev);
out:
	mutex_unlock(&n->dev.mutex);
	return r;
}

/*
 * The feature words after the count in VHOST_{GET,SET}_FEATURES_ARRAY:
 * upstream handles two (bits 0 to 127); we offer nothing past bit 63.
 */
#define VHN_FEATURE_WORDS	2

/* Words of a features array looked at between two reschedule points. */
#define VHN_FEATURE_CHUNK	512

/**
 * vhn_net_get_features_array() - VHOST_GET_FEATURES_ARRAY
 * @fa: a struct vhost_features_array in userspace
 *
 * Fills the @count words that follow the count: our features in the
 * first, zeros in the rest, however many the caller asked for.
 *
 * Return: 0 or -EFAULT.
 */
static long vhn_net_get_features_array(struct vhost_features_array __user *fa)
{
	u64 words[VHN_FEATURE_WORDS] = { VHN_NET_FEATURES };
	u64 __user *p = fa->features;
	u64 count, n;

	if (get_user(count, &fa->count))
		return -EFAULT;
	n = min_t(u64, count, VHN_FEATURE_WORDS);
	if (copy_to_user(p, words, n * sizeof(u64)))
		return -EFAULT;
	/* A huge count zeroes until it faults: do it a chunk at a time. */
	for (p += n, count -= n; count; p += n, count -= n) {
		n = min_t(u64, count, VHN_FEATURE_CHUNK);
		if (clear_user(p, n * sizeof(u64)))
			return -EFAULT;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/**
 * vhn_net_set_features_array() - VHOST_SET_FEATURES_ARRAY
 * @n: the device
 * @fa: a struct vhost_features_array in userspace
 *
 * Checked in upstream's order: the words it handles are read first
 * (-EFAULT), then every word past them must be readable (-EFAULT) and
 * zero (-EOPNOTSUPP), then no bit may be one we do not offer.
 *
 * Return: 0, -EFAULT or -EOPNOTSUPP.
 */
static long vhn_net_set_features_array(struct vhn_net *n,
				       struct vhost_features_array __user *fa)
{
	u64 words[VHN_FEATURE_WORDS] = {};
	u64 __user *p = fa->features;
	u64 count, i, w;

	if (get_user(count, &fa->count))
		return -EFAULT;
	i = min_t(u64, count, VHN_FEATURE_WORDS);
	if (copy_from_user(words, p, i * sizeof(u64)))
		return -EFAULT;
	for (; i < count; i++) {
		if (get_user(w, p + i))
			return -EFAULT;
		if (w)
			return -EOPNOTSUPP;
		if (!(i % VHN_FEATURE_CHUNK)) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	if (words[1])
		return -EOPNOTSUPP;
	return vhn_net_set_features(n, words[0]);
}

static long vhn_net_set_owner(struct vhn_net *n)
{
	long r;

	if (mutex_lock_killable(&n->dev.mutex))
		return -EINTR;
	r = vhn_dev_set_owner(&n->dev);
	if (!r)
		vhn_stats_set_owner(&n->dev);
	mutex_unlock(&n->dev.mutex);
	return r;
}

static long vhn_net_reset_owner(struct vhn_net *n)
{
	long r = -EPERM;
	int i;

	if (mutex_lock_killable(&n->dev.mutex))
		return -EINTR;
	if (!vhn_dev_is_owner(&n->dev))
		goto out;
	/*
	 * The workers go away: they may give up on guest memory now. The
	 * wait for them is the part we may be killed in; the cleanup after
	 * it is short.
	 */
	vhn_dev_unblock(&n->dev);
	r = vhn_net_stop_backends(n, false);
	if (r)
		goto out;
	vhn_dev_cleanup(&n->dev);
	vhn_stats_reset_owner(&n->dev);
	/* As after open: no features, so no header either. */
	n->dev.features = 0;
	for (i = 0; i < VHN_NET_NVQS; i++) {
		n->vqs[i].hdr = (struct vhn_hdr_split){};
		n->vqs[i].one_used = false;
	}
out:
	mutex_unlock(&n->dev.mutex);
	return r;
}

static long vhn_net_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct vhn_net *n = file->private_data;
	void __user *argp = (void __user *)arg;
	u64 features;
	long r;

	switch (cmd) {
	case VHOST_NET_SET_BACKEND:
		return vhn_net_set_backend(n, argp);
	case VHOST_GET_FEATURES:
		features = VHN_NET_FEATURES;
		return copy_to_user(argp, &features, sizeof(features)) ? -EFAULT : 0;
	case VHOST_SET_FEATURES:
		if (copy_from_user(&features, argp, sizeof(features)))
			return -EFAULT;
		return vhn_net_set_features(n, features);
	case VHOST_GET_BACKEND_FEATURES:
		features = VHN_NET_BACKEND_FEATURES;
		return copy_to_user(argp, &features, sizeof(features)) ? -EFAULT : 0;
	case VHOST_SET_BACKEND_FEATURES:
		if (copy_from_user(&features, argp, sizeof(features)))
			return -EFAULT;
		if (features & ~VHN_NET_BACKEND_FEATURES)
			return -EOPNOTSUPP;
		if (mutex_lock_killable(&n->dev.mutex))
			return -EINTR;
		n->dev.backend_features = features;
		mutex_unlock(&n->dev.mutex);
		return 0;
	case VHOST_GET_FEATURES_ARRAY:
		return vhn_net_get_features_array(argp);
	case VHOST_SET_FEATURES_ARRAY:
		return vhn_net_set_features_array(n, argp);
	case VHOST_SET_OWNER:
		return vhn_net_set_owner(n);
	case VHOST_RESET_OWNER:
		return vhn_net_reset_owner(n);
	}
	/* Another ioctl may be waiting on a stuck worker: see dev.c. */
	if (mutex_lock_killable(&n->dev.mutex))
		return -EINTR;
	r = vhn_dev_ioctl(&n->dev, cmd, argp);
	mutex_unlock(&n->dev.mutex);
	return r;
}

/* The device IOTLB's messages (iotlb_dev.c). */
static ssize_t vhn_net_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct vhn_net *n = iocb->ki_filp->private_data;

	return vhn_iotlb_read(&n->dev, to, iocb->ki_filp->f_flags & O_NONBLOCK);
}

static ssize_t vhn_net_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct vhn_net *n = iocb->ki_filp->private_data;

	return vhn_iotlb_write(&n->dev, from);
}

static __poll_t vhn_net_poll(struct file *file, poll_table *wait)
{
	struct vhn_net *n = file->private_data;

	return vhn_iotlb_poll(&n->dev, file, wait);
}

const struct file_operations vhn_net_fops = {
	.owner		= THIS_MODULE,
	.open		= vhn_net_open,
	.release	= vhn_net_release,
	.read_iter	= vhn_net_read_iter,
	.write_iter	= vhn_net_write_iter,
	.poll		= vhn_net_poll,
	.unlocked_ioctl	= vhn_net_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};
