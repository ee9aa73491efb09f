// SPDX-License-Identifier: GPL-2.0
/*
 * RX: frames for the guest. For each frame the backend holds, gather
 * enough guest buffers (several with MRG_RXBUF, one chain otherwise),
 * receive into them, fill in the virtio-net header, and complete.
 */
#include <linux/if_tap.h>
#include <linux/if_tun.h>
#include <linux/if_vlan.h>
#include <linux/net.h>
#include <linux/ptr_ring.h>
#include <linux/skbuff.h>
#include <linux/vhost_types.h>
#include <linux/virtio_net.h>
#include <net/sock.h>
#include <net/xdp.h>

#include "budget.h"
#include "busy.h"
#include "hdr.h"
#include "log.h"
#include "net.h"
#include "poll.h"

/* Length of a frame in tap's queue, as tap will hand it to us. */
static int vhn_rx_ptr_len(void *ptr)
{
	struct sk_buff *skb;

	if (tun_is_xdp_frame(ptr))
		return tun_ptr_to_xdp(ptr)->len;
	skb = ptr;
	/* tap inserts an accelerated VLAN tag into the frame. */
	return skb->len + (skb_vlan_tag_present(skb) ? VLAN_HLEN : 0);
}

/* The next frame from tap's queue, refilling our batch from it. */
static void *vhn_rxq_peek(struct vhn_net_vq *nvq)
{
	if (nvq->rxq_head == nvq->rxq_tail) {
		nvq->rxq_head = 0;
		nvq->rxq_tail = ptr_ring_consume_batched(nvq->rx_ring, nvq->rxq,
							 VHN_NET_BATCH);
		if (!nvq->rxq_tail)
			return NULL;
	}
	return nvq->rxq[nvq->rxq_head];
}

/**
 * vhn_net_rxq_drain() - give frames we took from tap's queue back to it
 * @nvq: the RX queue, before its backend goes away
 */
void vhn_net_rxq_drain(struct vhn_net_vq *nvq)
{
	int n = nvq->rxq_tail - nvq->rxq_head;

	if (nvq->rx_ring && n)
		ptr_ring_unconsume(nvq->rx_ring, nvq->rxq + nvq->rxq_head, n,
				   tun_ptr_free);
	nvq->rxq_head = 0;
	nvq->rxq_tail = 0;
}

/* Length of the next frame, 0 if there is none. */
static int vhn_rx_peek_len(struct vhn_net_vq *nvq, struct sock *sk)
{
	struct sk_buff *skb;
	unsigned long flags;
	void *ptr;
	int len = 0;

	if (nvq->rx_ring) {
		ptr = vhn_rxq_peek(nvq);
		return ptr ? vhn_rx_ptr_len(ptr) : 0;
	}
	spin_lock_irqsave(&sk->sk_receive_queue.lock, flags);
	skb = skb_peek(&sk->sk_receive_queue);
	if (skb)
		len = skb->len + (skb_vlan_tag_present(skb) ? VLAN_HLEN : 0);
	spin_unlock_irqrestore(&sk->sk_receive_queue.lock, flags);
	return len;
}

static bool vhn_rx_ready(struct vhn_vq *vq)
{
	struct vhn_net_vq *nvq = vhn_to_nvq(vq);
	struct socket *sock = vq->backend;

	if (nvq->rx_ring)
		return nvq->rxq_head != nvq->rxq_tail ||
		       !ptr_ring_empty(nvq->rx_ring);
	return !skb_queue_empty_lockless(&sock->sk->sk_receive_queue);
}

/*
 * Take chains until they hold @len bytes. Returns the number taken, 0 if
 * the ring ran out (they are given back), -E2BIG if the frame can never
 * fit (given back too: the frame is dropped, as upstream does, and the
 * buffers stay for the next one), or another negative errno for a broken
 * ring.
 */
static int vhn_rx_gather(struct vhn_net_vq *nvq, size_t len, int *niov)
{
	struct vhn_vq *vq = &nvq->vq;
	bool mrg = vhn_vq_has(vq, VIRTIO_NET_F_MRG_RXBUF);
	unsigned int max = mrg ? min_t(unsigned int, vq->num, VHN_IOV_MAX) : 1;
	struct vhn_chain c;
	unsigned int n = 0;
	size_t have = 0;
	int r = 0;

	*niov = 0;
	vhn_ring_log_start(vq);
	while (have < len) {
		if (n == max || *niov == VHN_IOV_MAX) {
			r = -E2BIG;
			break;
		}
		r = vhn_ring_get(vq, vq->iov + *niov, VHN_IOV_MAX - *niov, &c);
		if (r <= 0)
			break;
		if (c.out) {
			vhn_ring_fail(vq, "RX chain has device-readable buffers");
			return -EINVAL;
		}
		/* A chain with no room would be taken forever and filled never. */
		if (!c.in_len) {
			vhn_ring_fail(vq, "RX chain has no writable bytes");
			return -EINVAL;
		}
		nvq->used[nvq->nused + n].id = c.head;
		nvq->used[nvq->nused + n].len = min_t(size_t, c.in_len, len - have);
		have += c.in_len;
		*niov += c.in;
		n++;
	}
	if (have >= len)
		return n;
	/* A broken ring stays as it is; otherwise the chains go back. */
	if (r < 0 && r != -E2BIG)
		return r;
	vhn_ring_unget(vq, n);
	return r;
}

/* Drop the next frame without touching guest memory. */
static void vhn_rx_drop(struct socket *sock, void *ptr, size_t len)
{
	struct msghdr msg = { .msg_control = ptr };

	iov_iter_discard(&msg.msg_iter, ITER_DEST, len);
	sock->ops->recvmsg(sock, &msg, len, MSG_DONTWAIT | MSG_TRUNC);
}

/*
 * Receive one frame of @len bytes (socket header included). Returns 1 when
 * done, 0 when the guest has no room yet, negative for a broken ring.
 */
static int vhn_rx_one(struct vhn_net_vq *nvq, struct socket *sock, int len)
{
	struct vhn_vq *vq = &nvq->vq;
	size_t sock_len = len + nvq->hdr.sock_hlen;
	size_t total = sock_len + nvq->hdr.vhost_hlen;
	struct msghdr msg = { .msg_flags = 0 };
	struct iov_iter hdr;
	int n, niov, err;
	void *ptr = NULL;

	n = vhn_rx_gather(nvq, total, &niov);
	if (n == -E2BIG) {
		if (nvq->rx_ring)
			ptr = nvq->rxq[nvq->rxq_head++];
		vhn_rx_drop(sock, ptr, sock_len);
		return 1;
	}
	if (n <= 0)
		return n;

	iov_iter_init(&msg.msg_iter, ITER_DEST, vq->iov, niov, total);
	hdr = msg.msg_iter;
	iov_iter_advance(&msg.msg_iter, nvq->hdr.vhost_hlen);
	if (nvq->rx_ring)
		msg.msg_control = nvq->rxq[nvq->rxq_head++];
	err = sock->ops->recvmsg(sock, &msg, sock_len, MSG_DONTWAIT | MSG_TRUNC);
	if (err != sock_len) {
		/* Someone else read the socket under us: nothing delivered. */
		vhn_ring_unget(vq, n);
		return 1;
	}
	if (vhn_hdr_fill_rx(&nvq->hdr, vq->is_le, &hdr, n)) {
		vhn_ring_fail(vq, "cannot write the RX header");
		return -EFAULT;
	}
	/* While the guest migrates, the pages just written are dirty. */
	if (vhn_vq_has(vq, VHOST_F_LOG_ALL) && vhn_log_chains(vq, total)) {
		vhn_ring_fail(vq, "cannot write the dirty log");
		return -EFAULT;
	}
	nvq->nused += n;
	if (nvq->nused >= VHN_NET_BATCH)
		vhn_net_used_flush(nvq);
	return 1;
}

/* Nothing to receive or no room: sleep, unless something changed. */
static bool vhn_rx_idle(struct vhn_vq *vq, bool no_room)
{
	if (!no_room)
		return !vhn_busy_poll(vq, vhn_rx_ready);
	if (!vhn_ring_notify_enable(vq))
		return true;
	vhn_ring_notify_disable(vq);
	return false;
}

/**
 * vhn_net_rx() - move frames from the backend into guest buffers
 * @nvq: the RX queue
 */
void vhn_net_rx(struct vhn_net_vq *nvq)
{
	struct vhn_vq *vq = &nvq->vq;
	struct vhn_budget budget = {};
	struct socket *sock;
	int len, r;

	mutex_lock(&vq->mutex);
	sock = vq->backend;
	if (!sock || vq->broken)
		goto out;
	vhn_ring_notify_disable(vq);
	for (;;) {
		len = vhn_rx_peek_len(nvq, sock->sk);
		if (!len) {
			if (vhn_rx_idle(vq, false))
				break;
			continue;
		}
		r = vhn_rx_one(nvq, sock, len);
		if (r < 0)
			break;
		if (!r) {
			if (vhn_rx_idle(vq, true))
				break;
			continue;
		}
		if (vhn_budget_spend(&budget, len)) {
			vhn_vq_queue(vq, &nvq->sock_poll.work);
			break;
		}
	}
	vhn_net_used_flush(nvq);
out:
	mutex_unlock(&vq->mutex);
}
