// SPDX-License-Identifier: GPL-2.0
/*
 * TX: frames the guest sends. Each available chain is one frame; it goes
 * to the backend socket, batched with others where it can be
 * (tx_batch.c), else with one sendmsg of its own, and its head comes back
 * in the used ring with length 0.
 */
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/socket.h>
#include <linux/uio.h>

#include "budget.h"
#include "busy.h"
#include "net.h"
#include "poll.h"

/* The socket is out of room: wait for it to drain rather than spin. */
static void vhn_tx_wait_room(struct vhn_net_vq *nvq, struct socket *sock)
{
	vhn_poll_start(&nvq->sock_poll, sock->file);
}

/*
 * Send one chain with a sendmsg of its own. Returns 0 when the chain is
 * done with (sent or dropped), -EAGAIN when the socket had no room.
 */
static int vhn_tx_send(struct vhn_net_vq *nvq, struct socket *sock,
		       const struct vhn_chain *c)
{
	struct vhn_vq *vq = &nvq->vq;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	size_t len;
	int err;

	iov_iter_init(&msg.msg_iter, ITER_SOURCE, vq->iov, c->out, c->out_len);
	/*
	 * Under VHOST_NET_F_VIRTIO_NET_HDR the header is ours to drop; the
	 * test spares every other frame a call.
	 */
	if (nvq->hdr.vhost_hlen)
		iov_iter_advance(&msg.msg_iter, nvq->hdr.vhost_hlen);
	len = iov_iter_count(&msg.msg_iter);
	err = sock->ops->sendmsg(sock, &msg, len);
	if (err == -EAGAIN || err == -ENOMEM || err == -ENOBUFS)
		return -EAGAIN;
	/* Any other failure drops the frame, as a NIC would. */
	if (err < 0) {
		pr_debug("vhost_net: TX frame dropped: %d\n", err);
		vhn_stat_drop(&vq->stats, err == -EMSGSIZE ? VHN_DROP_TOO_BIG :
			      VHN_DROP_BACKEND, 1);
	} else {
		vhn_stat_tx_frame(&vq->stats, len - nvq->hdr.sock_hlen);
	}
	return 0;
}

/*
 * Send one chain, or add it to the batch when @batch. Returns 0 when the
 * chain is done with (sent, batched or dropped), -EAGAIN when the socket
 * had no room (the chain goes back), or another negative errno when the
 * ring is broken.
 */
static int vhn_tx_one(struct vhn_net_vq *nvq, struct socket *sock,
		      const struct vhn_chain *c, bool batch)
{
	struct vhn_vq *vq = &nvq->vq;
	int err;

	if (c->in) {
		vhn_ring_fail(vq, VHN_RING_ERR_TX_WRITABLE);
		return -EINVAL;
	}
	if (c->out_len <= nvq->hdr.vhost_hlen) {
		vhn_ring_fail(vq, VHN_RING_ERR_TX_SHORT);
		return -EINVAL;
	}
	if (batch) {
		err = vhn_tx_batch_add(nvq, sock, vq->iov, c->out, c->out_len);
		if (err && err != -ENOSPC)
			vhn_stat_drop(&vq->stats, err == -EINVAL ? VHN_DROP_BAD_HEADER :
				      VHN_DROP_FAULT, 1);
		if (err != -ENOSPC) {
			if (nvq->ntxq == VHN_NET_BATCH)
				vhn_tx_batch_flush(nvq, sock);
			return 0;
		}
		/* It goes alone, and after the frames before it. */
		vhn_tx_batch_flush(nvq, sock);
	}
	return vhn_tx_send(nvq, sock, c);
}

static bool vhn_tx_ready(struct vhn_vq *vq)
{
	return vhn_ring_more_avail(vq);
}

/* Nothing to send: sleep until kicked, unless a buffer slipped in. */
static bool vhn_tx_idle(struct vhn_vq *vq)
{
	if (vhn_busy_poll(vq, vhn_tx_ready))
		return false;
	if (!vhn_ring_notify_enable(vq)) {
		vhn_stat_ring_empty(&vq->stats);
		return true;
	}
	vhn_ring_notify_disable(vq);
	return false;
}

/**
 * vhn_net_tx() - send what the guest queued, within one run's budget
 * @nvq: the TX queue
 */
void vhn_net_tx(struct vhn_net_vq *nvq)
{
	struct vhn_vq *vq = &nvq->vq;
	struct vhn_budget budget = {};
	struct vhn_chain c;
	struct socket *sock;
	bool batch, spent = false;
	u64 run;
	int r;

	mutex_lock(&vq->mutex);
	sock = vq->backend;
	if (!sock || vq->broken)
		goto out;
	run = vhn_stat_run_start(&vq->stats);
	batch = vhn_tx_batch_ok(sock);
	vhn_poll_stop(&nvq->sock_poll);
	vhn_ring_notify_disable(vq);
	/*
	 * TX logs nothing: only a chain with writable buffers is recorded,
	 * and it breaks the ring, so once a run bounds the list.
	 */
	vhn_ring_log_start(vq);
	for (;;) {
		r = vhn_ring_get(vq, vq->iov, VHN_IOV_MAX, &c);
		if (r == -ENOBUFS)
			vhn_ring_fail(vq, VHN_RING_ERR_TX_IOVECS);
		if (r < 0)
			break;
		if (!r) {
			if (vhn_tx_idle(vq))
				break;
			continue;
		}
		r = vhn_tx_one(nvq, sock, &c, batch);
		if (r == -EAGAIN) {
			vhn_ring_unget(vq, 1);
			vhn_stat_backend_full(&vq->stats);
			vhn_tx_wait_room(nvq, sock);
			break;
		}
		if (r < 0)
			break;
		vhn_net_used_add(nvq, c.head, 0);
		if (vhn_budget_spend(&budget, c.out_len, c.descs)) {
			vhn_vq_queue(vq, &vq->kick_poll.work);
			spent = true;
			break;
		}
	}
	vhn_tx_batch_flush(nvq, sock);
	vhn_net_used_flush(nvq);
	vhn_stat_run_end(&vq->stats, run, spent);
out:
	mutex_unlock(&vq->mutex);
}
