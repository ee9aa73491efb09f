/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring access: the small interface the networking code uses to take
 * buffers from a virtqueue and give them back. ring_split.c knows the
 * split layout and ring_packed.c the packed one; each call below picks
 * one by vq->packed, fixed when the ring starts. That is a branch the CPU
 * predicts, not an indirect call.
 */
#ifndef VHN_RING_H
#define VHN_RING_H

#include <linux/types.h>
#include <linux/virtio_config.h>

#include "stats.h"
#include "vq.h"

struct iovec;

/**
 * struct vhn_chain - a descriptor chain taken from the ring
 * @head: id to hand back in the used ring; on a packed ring, the buffer id
 *	  in bits 0-15 and the number of ring descriptors the chain took in
 *	  bits 16-31, which vhn_ring_put() needs to find the next used slot
 * @out: number of device-readable iovec entries; they come first
 * @in: number of device-writable iovec entries; they follow
 * @out_len: total bytes readable
 * @in_len: total bytes writable
 * @descs: descriptors read to take it, indirect ones included
 */
struct vhn_chain {
	u32 head;
	u16 out;
	u16 in;
	u32 out_len;
	u32 in_len;
	u32 descs;
};

/*
 * Empty the counts before a chain is walked: field by field, which costs
 * less per frame than clearing the whole struct (the compiler's rep stos).
 * @head and @descs are set by the layout.
 */
static inline void vhn_chain_reset(struct vhn_chain *c)
{
	c->out = 0;
	c->in = 0;
	c->out_len = 0;
	c->in_len = 0;
}

/**
 * struct vhn_used - a used-ring entry in CPU byte order
 * @id: the chain's head
 * @len: bytes the device wrote into the chain
 */
struct vhn_used {
	u32 id;
	u32 len;
};

/**
 * struct vhn_walk - state while a chain is taken, on either layout
 * @iov: where the chain's buffers go
 * @iov_max: room in @iov
 * @chain: the result
 * @total: bytes in the chain so far, readable and writable
 * @indirect_left: indirect descriptors the chain may still visit (split)
 * @writable: a writable buffer was seen, so no readable one may follow
 */
struct vhn_walk {
	struct iovec *iov;
	unsigned int iov_max;
	struct vhn_chain *chain;
	u64 total;
	unsigned int indirect_left;
	bool writable;
};

/*
 * Start a walk, field by field on a walk declared __uninitialized: an
 * initializer would clear the whole struct, padding included, with a
 * "rep stos" for every chain taken (and CONFIG_INIT_STACK_ALL_ZERO, set
 * in the lab's kernels and Debian's, would clear it anyway).
 */
static __always_inline void vhn_walk_init(struct vhn_walk *w, struct iovec *iov,
					  unsigned int iov_max,
					  struct vhn_chain *chain,
					  unsigned int indirect_left)
{
	w->iov = iov;
	/* The counts in struct vhn_chain are 16-bit. */
	w->iov_max = min_t(unsigned int, iov_max, U16_MAX);
	w->chain = chain;
	w->total = 0;
	w->indirect_left = indirect_left;
	w->writable = false;
}

/* For the layouts (ring_split.c, ring_packed.c) only; and ring_walk.h. */
bool vhn_meta_reload(struct vhn_vq *vq);

/*
 * With the IOTLB, the ring pointers hold translations made once and
 * dropped when a message touches the ring: make them again if needed.
 * false: not now, after a miss (the queue runs again on the UPDATE) or
 * with the ring failed.
 */
static __always_inline bool vhn_meta_ready(struct vhn_vq *vq)
{
	return likely(!vq->meta_stale) || vhn_meta_reload(vq);
}

int vhn_split_start(struct vhn_vq *vq);
int vhn_split_get(struct vhn_vq *vq, struct iovec *iov, unsigned int iov_max,
		  struct vhn_chain *chain);
void vhn_split_unget(struct vhn_vq *vq, unsigned int n);
int vhn_split_put(struct vhn_vq *vq, const struct vhn_used *used,
		  unsigned int n);
int vhn_split_put_in_order(struct vhn_vq *vq, const struct vhn_used *last,
			   unsigned int n);
bool vhn_split_notify_enable(struct vhn_vq *vq);
void vhn_split_notify_disable(struct vhn_vq *vq);
bool vhn_split_more_avail(struct vhn_vq *vq);
bool vhn_split_want_signal(struct vhn_vq *vq);

int vhn_packed_start(struct vhn_vq *vq);
int vhn_packed_get(struct vhn_vq *vq, struct iovec *iov, unsigned int iov_max,
		   struct vhn_chain *chain);
void vhn_packed_unget(struct vhn_vq *vq, unsigned int n);
int vhn_packed_put(struct vhn_vq *vq, const struct vhn_used *used,
		   unsigned int n);
int vhn_packed_put_in_order(struct vhn_vq *vq, const struct vhn_used *last,
			    unsigned int n);
bool vhn_packed_notify_enable(struct vhn_vq *vq);
void vhn_packed_notify_disable(struct vhn_vq *vq);
bool vhn_packed_more_avail(struct vhn_vq *vq);
bool vhn_packed_want_signal(struct vhn_vq *vq);

void vhn_ring_log_start(struct vhn_vq *vq);
bool vhn_ring_signal(struct vhn_vq *vq);
void vhn_ring_fail(struct vhn_vq *vq, enum vhn_ring_err why);

/* Fail the ring and hand back @err, to keep the layouts' error paths one line. */
static inline int vhn_ring_bad(struct vhn_vq *vq, int err, enum vhn_ring_err why)
{
	vhn_ring_fail(vq, why);
	return err;
}

static inline int vhn_ring_get(struct vhn_vq *vq, struct iovec *iov, unsigned int iov_max,
			       struct vhn_chain *chain)
{
	if (vq->packed)
		return vhn_packed_get(vq, iov, iov_max, chain);
	return vhn_split_get(vq, iov, iov_max, chain);
}

static inline void vhn_ring_unget(struct vhn_vq *vq, unsigned int n)
{
	if (vq->packed)
		vhn_packed_unget(vq, n);
	else
		vhn_split_unget(vq, n);
}

static inline int vhn_ring_put(struct vhn_vq *vq, const struct vhn_used *used,
			       unsigned int n)
{
	if (vq->packed)
		return vhn_packed_put(vq, used, n);
	return vhn_split_put(vq, used, n);
}

static inline int vhn_ring_put_in_order(struct vhn_vq *vq,
					const struct vhn_used *last,
					unsigned int n)
{
	if (vq->packed)
		return vhn_packed_put_in_order(vq, last, n);
	return vhn_split_put_in_order(vq, last, n);
}

static inline bool vhn_ring_notify_enable(struct vhn_vq *vq)
{
	if (vq->packed)
		return vhn_packed_notify_enable(vq);
	return vhn_split_notify_enable(vq);
}

static inline void vhn_ring_notify_disable(struct vhn_vq *vq)
{
	if (vq->packed)
		vhn_packed_notify_disable(vq);
	else
		vhn_split_notify_disable(vq);
}

static inline bool vhn_ring_more_avail(struct vhn_vq *vq)
{
	if (vq->packed)
		return vhn_packed_more_avail(vq);
	return vhn_split_more_avail(vq);
}

static inline bool vhn_ring_want_signal(struct vhn_vq *vq)
{
	if (vq->packed)
		return vhn_packed_want_signal(vq);
	return vhn_split_want_signal(vq);
}

/* The layout is fixed here, from the features acked, until the next start. */
static inline int vhn_ring_start(struct vhn_vq *vq)
{
	vq->packed = vhn_vq_has(vq, VIRTIO_F_RING_PACKED);
	if (vq->packed)
		return vhn_packed_start(vq);
	return vhn_split_start(vq);
}

#endif /* VHN_RING_H */
