/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest driver: guest memory, the memory table, split rings, and the
 * kick, call and err eventfds of one /dev/vhost-net device.
 */
#ifndef VHOST_SUITE_VRING_H
#define VHOST_SUITE_VRING_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "harness.h"

/* Older installed headers lack a few names; the ABI values never change. */
#ifndef VIRTIO_F_RING_RESET
#define VIRTIO_F_RING_RESET 40
#endif
#ifndef VIRTIO_F_IN_ORDER
#define VIRTIO_F_IN_ORDER 35
#endif
#ifndef VIRTIO_F_RING_PACKED
#define VIRTIO_F_RING_PACKED 34
#endif
#ifndef VHOST_BACKEND_F_IOTLB_MSG_V2
#define VHOST_BACKEND_F_IOTLB_MSG_V2 0x1
#endif
#ifndef VHOST_SET_FORK_FROM_OWNER
#define VHOST_SET_FORK_FROM_OWNER _IOW(VHOST_VIRTIO, 0x84, __u8)
#define VHOST_GET_FORK_FROM_OWNER _IOR(VHOST_VIRTIO, 0x85, __u8)
#define VHOST_FORK_OWNER_KTHREAD 0
#define VHOST_FORK_OWNER_TASK 1
#endif

#define BIT(n)		(1ULL << (n))
#define RX		0	/* vhost-net's receive queue */
#define TX		1	/* and its transmit queue */
#define GMEM_SIZE	(16u << 20)
#define GPA_BASE	0x100000ULL	/* guest-physical address of gmem[0] */
#define MAXSEG		8	/* segments remembered per buffer */
#define IND_MAX		16	/* indirect table entries per head */

/* The features every case starts from: a modern virtio-net guest. */
#define F_MODERN	(BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_RING_F_INDIRECT_DESC))

struct gmem {
	u8 *hva;
	u64 gpa;
	size_t size;
	size_t brk;
};

struct seg {
	void *p;
	u32 len;
};

/*
 * A packed ring (packed is set) uses desc, avail and used only as the
 * addresses given to the device: its descriptor ring and its driver and
 * device event suppression areas. Positions are an index in bits 0-14 and
 * a wrap counter in bit 15, as the device's. Heads are buffer ids, and
 * nfree counts free ring descriptors.
 */
struct vq {
	int idx;
	unsigned int num;
	struct gmem *mem;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	bool packed;
	struct vring_packed_desc *pring;	/* == desc */
	struct vring_packed_desc_event *drv;	/* == avail: we write it */
	struct vring_packed_desc_event *dev;	/* == used: the device's */
	u16 pavail;	/* packed: position of our next descriptor */
	u16 pused;	/* packed: position of the next used one */
	u16 *first;	/* packed: where each id's chain starts, by id */
	u16 *first_flags;	/* packed: its flags, written on publish */
	u16 *pid;	/* packed: the id whose chain starts at each slot */
	u16 avail_idx;	/* what we last published */
	u16 last_used;	/* next used entry we will read; packed: a count */
	u16 free_head;
	unsigned int nfree;
	u16 *next;		/* free list links, by descriptor; packed: free ids */
	unsigned int nids;	/* packed: free ids in next */
	u16 *ndesc;	/* descriptors held, by head */
	struct vring_desc **ind;	/* indirect table, by head */
	struct seg (*segs)[MAXSEG];	/* writable segments, by head */
	u8 *nsegs;
	bool event_idx;
	bool want_calls;
	bool rearm;	/* used entries read: ask for the next call (vq_rearm) */
	/*
	 * VIRTIO_F_IN_ORDER: descriptors are taken in ring order from
	 * free_head, and used entries are read the in-order way (vring.c).
	 */
	bool in_order;
	u16 used_head;		/* head of the oldest buffer not yet used */
	u16 batch_left;		/* buffers of the current used batch to go */
	u32 batch_len;		/* used.len of that batch's last buffer */
	u16 batch_end;		/* packed: the position after that batch */
	int kick, call, err;	/* eventfds we own */
};

struct vdev {
	int fd;
	u64 features;
	bool farray;	/* ack features with VHOST_SET_FEATURES_ARRAY */
	bool packed;	/* packed rings: VIRTIO_F_RING_PACKED is acked */
	struct gmem mem;
	struct vq vq[2];
};

#define PW		0x8000	/* the wrap counter's bit in a position */
u16 pos_move(u16 pos, int n, unsigned int num);

/* Guest memory */
void gmem_init(struct gmem *m, size_t size);
void *galloc(struct gmem *m, size_t len, size_t align);
u64 gpa_of(const struct gmem *m, const void *p);

/* Device setup */
int vhost_open(void);
void vdev_init(struct vdev *d);
void vdev_own(struct vdev *d, u64 features);
int vdev_mem_table(int fd, const struct vhost_memory_region *r, unsigned int n);
void vdev_map_all(struct vdev *d);
void vq_init(struct vdev *d, int idx, unsigned int num);
void vq_configure(struct vdev *d, int idx);
void vdev_start(struct vdev *d, u64 features, unsigned int num);
void vdev_setup(struct vdev *d, u64 features, unsigned int num);
int vdev_backend(struct vdev *d, int idx, int fd);
void vdev_close(struct vdev *d);
size_t net_hdr_len(u64 features);

/* Ring operations */
int vq_add(struct vq *q, const struct seg *out, int nout,
	   const struct seg *in, int nin, bool indirect);
void vq_publish(struct vq *q, int head);
void vq_publish_raw(struct vq *q, u16 head);
void vq_kick(struct vq *q);
void vq_want_calls(struct vq *q, bool want);
void vq_rearm(struct vq *q);
void vq_used_event(struct vq *q, u16 idx);
u16 vq_used_idx(const struct vq *q);
unsigned int vq_used_pending(const struct vq *q);
u32 vq_base(const struct vq *q);
void vq_set_base(struct vq *q, u16 avail, u16 used);
bool vq_wait_used(struct vq *q, unsigned int count, int ms);
int vq_pop_used(struct vq *q, u32 *len);
u32 vq_buf_size(const struct vq *q, int head);
u32 vq_gather(struct vq *q, int head, u32 len, u8 *out);

/* Eventfds */
bool fd_wait(int fd, int ms);
u64 efd_drain(int fd);

#endif
