/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One descriptor's buffer added to the chain being taken: the rules both
 * ring layouts apply (ring_split.c, ring_packed.c). Inline: it runs for
 * every descriptor of every frame, and out of line it cost the packed
 * ring's TX path about 22 instructions a 64-byte frame (1 %, measured
 * under -icount; Documentation/benchmarks.rst).
 */
#ifndef VHN_RING_WALK_H
#define VHN_RING_WALK_H

#include <linux/uio.h>
#include <linux/vhost_types.h>

#include "dev.h"
#include "iotlb.h"
#include "ring.h"
#include "translate.h"
#include "vq.h"

/**
 * vhn_walk_buf() - add one buffer to the chain being taken
 * @vq: the virtqueue
 * @w: the walk
 * @addr: the buffer's guest address (an IOVA with the device IOTLB)
 * @len: its length; 0 is allowed and adds no iovec
 * @write: the buffer is device-writable
 *
 * The rules every layout applies to a descriptor's buffer: readable ones
 * first, 4 GiB at most per chain, room in the iovec, a translation with
 * the right access, and the dirty log's record of what may be written.
 *
 * Return: 0, -ENOBUFS when the iovec is full (not the guest's fault yet:
 * the caller may have offered little room), -EAGAIN on an IOTLB miss,
 * or another negative errno with the ring failed.
 */
static __always_inline int vhn_walk_buf(struct vhn_vq *vq, struct vhn_walk *w,
					u64 addr, u32 len, bool write)
{
	struct vhn_chain *c = w->chain;
	unsigned int used = c->out + c->in;
	int i, r;

	if (write)
		w->writable = true;
	else if (w->writable)
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_READ_AFTER_WRITE);
	/* Lengths are reported in u32s; a chain past 4 GiB is not ours. */
	w->total += len;
	if (w->total > U32_MAX)
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_CHAIN_TOO_LONG);
	if (!len)
		return 0;
	if (used >= w->iov_max)
		return -ENOBUFS;

	r = vhn_vq_translate(vq, addr, len, write ? VHOST_ACCESS_WO : VHOST_ACCESS_RO,
			     w->iov + used, w->iov_max - used);
	/* A miss is no fault: the chain is taken again after the UPDATE. */
	if (r == -ENOBUFS || r == -EAGAIN)
		return r;
	if (r == -EPERM)
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_IOTLB_PERM);
	if (r < 0)
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_BUFFER_ADDRESS);

	if (!write) {
		c->out += r;
		c->out_len += len;
		return 0;
	}
	c->in += r;
	c->in_len += len;
	if (!vhn_vq_has(vq, VHOST_F_LOG_ALL))
		return 0;
	if (!vq->dev->iotlb.tlb) {
		/* One entry per descriptor, and each has an iovec. */
		if (vq->ndirty >= ARRAY_SIZE(vq->dirty))
			return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_LOG_TOO_MANY);
		vq->dirty[vq->ndirty].gpa = addr;
		vq->dirty[vq->ndirty++].len = len;
		return 0;
	}
	/*
	 * An IOVA is no guest address: record the userspace pieces, which
	 * vhn_log_chains() maps back to GPAs.
	 */
	if (vq->ndirty + r > ARRAY_SIZE(vq->dirty))
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_LOG_TOO_MANY);
	for (i = 0; i < r; i++) {
		vq->dirty[vq->ndirty].gpa = (unsigned long)w->iov[used + i].iov_base;
		vq->dirty[vq->ndirty++].len = w->iov[used + i].iov_len;
	}
	return 0;
}

#endif /* VHN_RING_WALK_H */
