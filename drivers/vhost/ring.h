/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring access: the small interface the networking code uses to take
 * buffers from a virtqueue and give them back. Only ring_split.c knows the
 * split layout; a packed layout can be added behind the same calls.
 */
#ifndef VHN_RING_H
#define VHN_RING_H

#include <linux/types.h>

#include "stats.h"

struct vhn_vq;
struct iovec;

/**
 * struct vhn_chain - a descriptor chain taken from the ring
 * @head: id to hand back in the used ring
 * @out: number of device-readable iovec entries; they come first
 * @in: number of device-writable iovec entries; they follow
 * @out_len: total bytes readable
 * @in_len: total bytes writable
 * @descs: descriptors read to take it, indirect ones included
 */
struct vhn_chain {
	u16 head;
	u16 out;
	u16 in;
	u32 out_len;
	u32 in_len;
	u32 descs;
};

/**
 * struct vhn_used - a used-ring entry in CPU byte order
 * @id: the chain's head
 * @len: bytes the device wrote into the chain
 */
struct vhn_used {
	u32 id;
	u32 len;
};

int vhn_ring_start(struct vhn_vq *vq);
int vhn_ring_get(struct vhn_vq *vq, struct iovec *iov, unsigned int iov_max,
		 struct vhn_chain *chain);
void vhn_ring_unget(struct vhn_vq *vq, unsigned int n);
void vhn_ring_log_start(struct vhn_vq *vq);
int vhn_ring_put(struct vhn_vq *vq, const struct vhn_used *used,
		 unsigned int n);
int vhn_ring_put_in_order(struct vhn_vq *vq, const struct vhn_used *last,
			  unsigned int n);
bool vhn_ring_notify_enable(struct vhn_vq *vq);
void vhn_ring_notify_disable(struct vhn_vq *vq);
bool vhn_ring_more_avail(struct vhn_vq *vq);
bool vhn_ring_want_signal(struct vhn_vq *vq);
bool vhn_ring_signal(struct vhn_vq *vq);
void vhn_ring_fail(struct vhn_vq *vq, enum vhn_ring_err why);

#endif /* VHN_RING_H */
