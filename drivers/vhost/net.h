/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The networking device: two virtqueues (RX, TX) and a backend socket.
 */
#ifndef VHN_NET_H
#define VHN_NET_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/socket.h>
#include <net/xdp.h>

#include "dev.h"
#include "hdr.h"
#include "ring.h"
#include "vq.h"

enum {
	VHN_NET_RX = 0,
	VHN_NET_TX = 1,
	VHN_NET_NVQS,
};

/* Frames taken from tap's queue at a time, and used entries per flush. */
#define VHN_NET_BATCH	64

struct iov_iter;
struct socket;
struct ptr_ring;

/**
 * struct vhn_net_vq - a networking virtqueue
 * @vq: the generic virtqueue
 * @hdr: who handles the virtio-net header, and how long it is
 * @sock_poll: the backend socket's wakeups: readable for RX, writable for TX
 * @rx_ring: tap's queue of frames for us (RX only), or NULL for a socket
 *	     that has none
 * @rxq: frames taken from @rx_ring and not yet received
 * @rxq_head: first frame in @rxq
 * @rxq_tail: one past the last frame in @rxq
 * @rx_msg: the msghdr of each receive (RX only); see vhn_rx_one()
 * @frags: pages that batched TX frames are copied into (TX only)
 * @txq: frames batched for one sendmsg (TX only)
 * @ntxq: how many frames @txq holds
 * @one_used: VIRTIO_F_IN_ORDER on TX: the collected chains go back as one
 *	      used entry, the last one's, and @used holds only that
 * @nused: used entries (chains, with @one_used) collected and not yet put
 * @used: those entries
 */
struct vhn_net_vq {
	struct vhn_vq vq;
	struct vhn_hdr_split hdr;
	struct vhn_poll sock_poll;
	struct ptr_ring *rx_ring;
	void *rxq[VHN_NET_BATCH];
	int rxq_head;
	int rxq_tail;
	struct msghdr rx_msg;
	struct page_frag_cache frags;
	struct xdp_buff txq[VHN_NET_BATCH];
	int ntxq;
	bool one_used;
	int nused;
	struct vhn_used used[VHN_NET_BATCH + VHN_IOV_MAX];
};

/**
 * struct vhn_net - one open /dev/vhost-net
 * @dev: the generic device
 * @vqs: RX and TX
 * @vq_ptrs: pointers to @vqs[].vq, as the generic device wants them
 */
struct vhn_net {
	struct vhn_dev dev;
	struct vhn_net_vq vqs[VHN_NET_NVQS];
	struct vhn_vq *vq_ptrs[VHN_NET_NVQS];
};

static inline struct vhn_net_vq *vhn_to_nvq(struct vhn_vq *vq)
{
	return container_of(vq, struct vhn_net_vq, vq);
}

extern const struct file_operations vhn_net_fops;

/* backend.c */
long vhn_net_set_backend(struct vhn_net *n, void __user *argp);
int vhn_net_stop_backends(struct vhn_net *n, bool must);

/* tx.c */
void vhn_net_tx(struct vhn_net_vq *nvq);

/* tx_batch.c */
bool vhn_tx_batch_ok(const struct socket *sock);
int vhn_tx_batch_add(struct vhn_net_vq *nvq, struct socket *sock,
		     const struct iovec *iov, unsigned int niov, size_t total);
void vhn_tx_batch_flush(struct vhn_net_vq *nvq, struct socket *sock);

/* rx.c */
void vhn_net_rx(struct vhn_net_vq *nvq);
void vhn_net_rxq_drain(struct vhn_net_vq *nvq);

/* used.c */
void vhn_net_used_flush(struct vhn_net_vq *nvq);

/**
 * vhn_net_used_add() - collect a used entry, to be put in a batch
 * @nvq: the queue, with its mutex held
 * @head: the chain's head
 * @len: bytes written into it
 *
 * Inline: it runs for every frame.
 */
static inline void vhn_net_used_add(struct vhn_net_vq *nvq, u32 head, u32 len)
{
	/* In order, one entry stands for the batch: the last chain's. */
	struct vhn_used *u = &nvq->used[nvq->one_used ? 0 : nvq->nused];

	u->id = head;
	u->len = len;
	if (++nvq->nused >= VHN_NET_BATCH)
		vhn_net_used_flush(nvq);
}

#endif /* VHN_NET_H */
