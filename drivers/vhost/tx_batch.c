// SPDX-License-Identifier: GPL-2.0
/*
 * TX batching for tap and macvtap. A frame that fits in a page is copied
 * into a page fragment laid out the way tun and tap wrap an skb around
 * it (their header in front, headroom, the frame, room for the shared
 * info), and up to VHN_NET_BATCH such frames reach the socket in one
 * sendmsg (TUN_MSG_PTR). That spares tap its per-call work, most of the
 * cost of a small frame. Larger frames, and sockets that cannot take a
 * batch, go through tx.c one sendmsg each.
 */
#include <linux/if_tun.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <linux/virtio_net.h>
#include <net/sock.h>
#include <net/xdp.h>

#include "net.h"

/**
 * vhn_tx_batch_ok() - may frames for @sock be batched?
 * @sock: the TX backend
 *
 * Only tun and tap take TUN_MSG_PTR; backend.c binds those and raw
 * AF_PACKET sockets, nothing else. A batch also bypasses the socket's
 * send buffer accounting, so it is used only where that buffer is
 * unlimited, as QEMU sets it by default.
 *
 * Return: true if vhn_tx_batch_add() may be used.
 */
bool vhn_tx_batch_ok(const struct socket *sock)
{
	return sock->sk->sk_family != AF_PACKET &&
	       READ_ONCE(sock->sk->sk_sndbuf) == INT_MAX;
}

/* Bytes in front of the frame: tun's header, skb headroom, XDP's if needed. */
static unsigned int vhn_tx_pad(const struct vhn_net_vq *nvq,
			       const struct socket *sock)
{
	unsigned int pad = NET_SKB_PAD + NET_IP_ALIGN + nvq->hdr.sock_hlen;

	/*
	 * tun's header lies within NET_SKB_PAD, so it never overlaps the
	 * copy of ours just in front of the frame (at pad - sock_hlen).
	 */
	BUILD_BUG_ON(offsetof(struct tun_xdp_hdr, gso) +
		     sizeof(struct virtio_net_hdr_mrg_rxbuf) > NET_SKB_PAD);
	if (sock_flag(sock->sk, SOCK_XDP))
		pad += XDP_PACKET_HEADROOM;
	return SKB_DATA_ALIGN(pad);
}

/*
 * Copy @n bytes of the chain @iov (@niov pieces), from byte @skip on, to
 * @dst. A small frame is nearly always one piece: that case is one user
 * copy, without an iov_iter to build and walk (bounded by the piece
 * itself, not only by @total, though the walk makes them equal).
 */
static int vhn_tx_copy(void *dst, const struct iovec *iov, unsigned int niov,
		       size_t total, size_t skip, size_t n)
{
	struct iov_iter from;

	if (likely(niov == 1 && skip + n <= iov->iov_len))
		return copy_from_user(dst, (u8 __user *)iov->iov_base + skip, n) ?
		       -EFAULT : 0;
	iov_iter_init(&from, ITER_SOURCE, iov, niov, total);
	iov_iter_advance(&from, skip);
	return copy_from_iter(dst, n, &from) == n ? 0 : -EFAULT;
}

/**
 * vhn_tx_batch_add() - copy one frame into the batch
 * @nvq: the TX queue, with its mutex held; its batch has room
 * @sock: the backend, for which vhn_tx_batch_ok() holds
 * @iov: the chain's readable buffers, as host addresses
 * @niov: how many
 * @total: their bytes, our header (if we strip one) included
 *
 * Return: 0 when the frame is in the batch; -ENOSPC when it must be sent
 * on its own (it does not fit in a page, or no page could be had); -EINVAL
 * or -EFAULT when it is to be dropped (a header tap would refuse, guest
 * memory that cannot be read).
 */
int vhn_tx_batch_add(struct vhn_net_vq *nvq, struct socket *sock,
		     const struct iovec *iov, unsigned int niov, size_t total)
{
	size_t skip = nvq->hdr.vhost_hlen, hlen = nvq->hdr.sock_hlen, len, size;
	unsigned int pad = vhn_tx_pad(nvq, sock);
	struct tun_xdp_hdr *th;
	int err;
	void *buf;

	if (total < skip + hlen)
		return -EINVAL;
	len = total - skip - hlen;
	size = SKB_DATA_ALIGN(pad + len) +
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	if (size > PAGE_SIZE)
		return -ENOSPC;
	buf = page_frag_alloc_align(&nvq->frags, size, GFP_KERNEL, SMP_CACHE_BYTES);
	if (!buf)
		return -ENOSPC;

	/*
	 * One copy for the header and the frame: the header lands in the
	 * headroom just in front of the frame and is moved to tun's place
	 * for it from there. pad leaves room for both (vhn_tx_pad()).
	 */
	err = vhn_tx_copy((u8 *)buf + pad - hlen, iov, niov, total, skip, hlen + len);
	if (err)
		goto drop;
	th = buf;
	memset(th, 0, sizeof(*th));
	/* Without a socket header, tap sees an all-zero one: no offloads. */
	memcpy((u8 *)buf + offsetof(struct tun_xdp_hdr, gso), (u8 *)buf + pad - hlen, hlen);
	err = vhn_hdr_check_tx(&th->gso, nvq->vq.is_le, len);
	if (err)
		goto drop;
	th->buflen = size;

	xdp_init_buff(&nvq->txq[nvq->ntxq], size, NULL);
	xdp_prepare_buff(&nvq->txq[nvq->ntxq], buf, pad, len, true);
	nvq->ntxq++;
	return 0;

drop:
	page_frag_free(buf);
	return err;
}

/**
 * vhn_tx_batch_flush() - hand the batched frames to the socket
 * @nvq: the TX queue, with its mutex held
 * @sock: the backend
 *
 * The socket takes over every fragment, even those it drops. Only when
 * it refuses the whole call (a tun file whose device is gone) are they
 * still ours to free; the frames are then lost, as on a link that is down.
 */
void vhn_tx_batch_flush(struct vhn_net_vq *nvq, struct socket *sock)
{
	struct tun_msg_ctl ctl = {
		.type = TUN_MSG_PTR,
		.num = nvq->ntxq,
		.ptr = nvq->txq,
	};
	struct msghdr msg = {
		.msg_control = &ctl,
		.msg_controllen = sizeof(ctl),
	};
	size_t bytes = 0;
	int i;

	if (!nvq->ntxq)
		return;
	if (sock->ops->sendmsg(sock, &msg, 0) < 0) {
		for (i = 0; i < nvq->ntxq; i++)
			put_page(virt_to_head_page(nvq->txq[i].data));
		vhn_stat_drop(&nvq->vq.stats, VHN_DROP_BACKEND, nvq->ntxq);
	} else {
		/* Only the counters want the sum: without them it compiles away. */
		for (i = 0; i < nvq->ntxq; i++)
			bytes += nvq->txq[i].data_end - nvq->txq[i].data;
		vhn_stat_tx_batch(&nvq->vq.stats, nvq->ntxq, bytes);
	}
	nvq->ntxq = 0;
}
