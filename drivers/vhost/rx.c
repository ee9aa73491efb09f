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
	/* The next backend's receives start from a clear msghdr. */
	memset(&nvq->rx_msg, 0, sizeof(nvq->rx_msg));
}

/* No frame waits in the backend. */
#define VHN_RX_NONE	(-1)

/* Length of the next frame (which may be 0), or VHN_RX_NONE. */
static int vhn_rx_peek_len(struct vhn_net_vq *nvq, struct sock *sk)
{
	struct sk_buff *skb;
	unsigned long flags;
	void *ptr;
	int len = VHN_RX_NONE;

	if (nvq->rx_ring) {
		ptr = vhn_rxq_peek(nvq);
		return ptr ? vhn_rx_ptr_len(ptr) : VHN_RX_NONE;
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
 * Take chains until they hold @len bytes, adding the descriptors read to
 * @descs. Returns the number taken, 0 if the ring ran out, -E2BIG if the
 * frame can never fit (as upstream, the frame is then dropped and the
 * buffers stay for the next one), or another negative errno for a broken
 * ring. Unless the frame fits, every chain taken for it goes back, so that
 * a retry (after a kick, or a migration reading the ring base) starts
 * from the frame's first chain and no buffer is lost.
 */
static int vhn_rx_gather(struct vhn_net_vq *nvq, size_t len, int *niov,
			 unsigned int *descs)
{
	struct vhn_vq *vq = &nvq->vq;
	bool mrg = vhn_vq_has(vq, VIRTIO_NET_F_MRG_RXBUF);
	unsigned int max = mrg ? min_t(unsigned int, vq->num, VHN_IOV_MAX) : 1;
	/* Filled by vhn_ring_get() before any use: spared the clearing. */
	struct vhn_chain c __uninitialized;
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
		/* An IOTLB miss asks ahead for this frame's buffers only. */
		vq->iotlb_want = min_t(size_t, len - have, U32_MAX);
		r = vhn_ring_get(vq, vq->iov + *niov, VHN_IOV_MAX - *niov, &c);
		/*
		 * A chain that does not fit in the iovecs left: the frame is
		 * too scattered for us, not the ring broken. Only a chain
		 * that fits in none is the guest's fault.
		 */
		if (r == -ENOBUFS && *niov)
			r = -E2BIG;
		else if (r == -ENOBUFS)
			vhn_ring_fail(vq, VHN_RING_ERR_RX_IOVECS);
		if (r <= 0)
			break;
		n++;
		*descs += c.descs;
		if (c.out) {
			vhn_ring_fail(vq, VHN_RING_ERR_RX_READABLE);
			r = -EINVAL;
			break;
		}
		/* A chain with no room would be taken forever and filled never. */
		if (!c.in_len) {
			vhn_ring_fail(vq, VHN_RING_ERR_RX_NO_ROOM);
			r = -EINVAL;
			break;
		}
		nvq->used[nvq->nused + n - 1].id = c.head;
		nvq->used[nvq->nused + n - 1].len = min_t(size_t, c.in_len, len - have);
		have += c.in_len;
		*niov += c.in;
	}
	if (have >= len)
		return n;
	vhn_ring_unget(vq, n);
	return r;
}

/* Drop the next frame, of @len bytes, without touching guest memory. */
static void vhn_rx_drop(struct vhn_net_vq *nvq, struct socket *sock, int len)
{
	size_t sock_len = len + nvq->hdr.sock_hlen;
	struct msghdr msg = {};

	if (nvq->rx_ring)
		msg.msg_control = nvq->rxq[nvq->rxq_head++];
	iov_iter_discard(&msg.msg_iter, ITER_DEST, sock_len);
	sock->ops->recvmsg(sock, &msg, sock_len, MSG_DONTWAIT | MSG_TRUNC);
}

/*
 * Receive one frame of @len bytes (socket header not included), adding
 * the descriptors read to @descs. Returns 1 when done, 0 when the guest
 * has no room yet, negative for a broken ring.
 */
static int vhn_rx_one(struct vhn_net_vq *nvq, struct socket *sock, int len,
		      unsigned int *descs)
{
	struct vhn_vq *vq = &nvq->vq;
	size_t sock_len = len + nvq->hdr.sock_hlen;
	size_t total = sock_len + nvq->hdr.vhost_hlen;
	struct msghdr *msg = &nvq->rx_msg;
	int n, niov, err;

	n = vhn_rx_gather(nvq, total, &niov, descs);
	if (n == -E2BIG) {
		vhn_rx_drop(nvq, sock, len);
		vhn_stat_drop(&vq->stats, VHN_DROP_TOO_BIG, 1);
		return 1;
	}
	if (n <= 0)
		return n;

	/*
	 * tap and macvtap (the sockets with a ring) read msg_control and
	 * msg_iter and set msg_flags, nothing else: the rest of the queue's
	 * msghdr stays clear, instead of 100 bytes cleared per frame. A raw
	 * socket may read or move any field (a name, cmsg space).
	 */
	if (nvq->rx_ring) {
		msg->msg_control = nvq->rxq[nvq->rxq_head++];
		msg->msg_flags = 0;
	} else {
		memset(msg, 0, sizeof(*msg));
	}
	/* One buffer (the common case): the cheaper iterator for tap's copies. */
	if (niov == 1)
		iov_iter_ubuf(&msg->msg_iter, ITER_DEST, vq->iov[0].iov_base, total);
	else
		iov_iter_init(&msg->msg_iter, ITER_DEST, vq->iov, niov, total);
	if (unlikely(nvq->hdr.vhost_hlen))
		iov_iter_advance(&msg->msg_iter, nvq->hdr.vhost_hlen);
	err = sock->ops->recvmsg(sock, msg, sock_len, MSG_DONTWAIT | MSG_TRUNC);
	if (err != sock_len) {
		/* Someone else read the socket under us: nothing delivered. */
		vhn_ring_unget(vq, n);
		return 1;
	}
	/* On failure the frame is lost, but its buffers go back to the ring. */
	if (vhn_hdr_fill_rx_iov(&nvq->hdr, vq->is_le, vq->iov, niov, total, n)) {
		vhn_ring_unget(vq, n);
		vhn_ring_fail(vq, VHN_RING_ERR_RX_HEADER_WRITE);
		return -EFAULT;
	}
	/* While the guest migrates, the pages just written are dirty. */
	if (vhn_vq_has(vq, VHOST_F_LOG_ALL) && vhn_log_chains(vq, total)) {
		vhn_ring_unget(vq, n);
		vhn_ring_fail(vq, VHN_RING_ERR_LOG_WRITE);
		return -EFAULT;
	}
	nvq->nused += n;
	vhn_stat_rx_frame(&vq->stats, len, n);
	if (nvq->nused >= VHN_NET_BATCH)
		vhn_net_used_flush(nvq);
	return 1;
}

/*
 * Nothing to receive or no room: sleep, unless something changed. Who
 * wakes us then differs. With the socket drained, its next frame does.
 * With the guest out of room, only its kick can help: the socket stops
 * waking us, or every frame queued meanwhile would cost a wakeup that
 * finds no room.
 */
static bool vhn_rx_idle(struct vhn_net_vq *nvq, struct socket *sock,
			bool no_room)
{
	struct vhn_vq *vq = &nvq->vq;

	if (!no_room) {
		if (vhn_busy_poll(vq, vhn_rx_ready))
			return false;
		/* A frame queued since the peek is seen here: no wakeup lost. */
		vhn_poll_start(&nvq->sock_poll, sock->file);
		return true;
	}
	if (!vhn_ring_notify_enable(vq)) {
		vhn_poll_stop(&nvq->sock_poll);
		vhn_stat_ring_empty(&vq->stats);
		return true;
	}
	vhn_ring_notify_disable(vq);
	return false;
}

/**
 * vhn_net_rx() - move frames from the backend into guest buffers
 * @nvq: the RX queue
 *
 * Every pass of the loop spends the run's budget, whatever it achieved,
 * so neither a frame that is dropped nor a guest that keeps offering too
 * little room can keep the worker here.
 */
void vhn_net_rx(struct vhn_net_vq *nvq)
{
	struct vhn_vq *vq = &nvq->vq;
	struct vhn_budget budget = {};
	unsigned int descs;
	struct socket *sock;
	bool spent = false;
	int len, r;
	u64 run;

	mutex_lock(&vq->mutex);
	sock = vq->backend;
	if (!sock || vq->broken)
		goto out;
	run = vhn_stat_run_start(&vq->stats);
	vhn_ring_notify_disable(vq);
	for (;;) {
		descs = 0;
		len = vhn_rx_peek_len(nvq, sock->sk);
		if (len == VHN_RX_NONE) {
			if (vhn_rx_idle(nvq, sock, false))
				break;
			len = 0;
		} else if (!len) {
			/*
			 * A 0-byte frame (a raw socket on a tun device passes
			 * them) has nothing for the guest. Waiting for room
			 * for it would stall every frame behind it: drop it.
			 */
			vhn_rx_drop(nvq, sock, 0);
			vhn_stat_drop(&vq->stats, VHN_DROP_EMPTY, 1);
		} else {
			r = vhn_rx_one(nvq, sock, len, &descs);
			if (r < 0) {
				/* Broken: wait for the guest's kick, as for room. */
				vhn_poll_stop(&nvq->sock_poll);
				break;
			}
			if (!r) {
				if (vhn_rx_idle(nvq, sock, true))
					break;
				len = 0;
			}
		}
		if (vhn_budget_spend(&budget, len, descs)) {
			vhn_vq_queue(vq, &nvq->sock_poll.work);
			spent = true;
			break;
		}
	}
	vhn_net_used_flush(nvq);
	vhn_stat_run_end(&vq->stats, run, spent);
out:
	mutex_unlock(&vq->mutex);
}
