// SPDX-License-Identifier: GPL-2.0
/*
 * VHOST_NET_SET_BACKEND: bind a virtqueue to a tap, macvtap or raw
 * AF_PACKET socket, or unbind it with fd -1.
 */
#include <linux/file.h>
#include <linux/if_packet.h>
#include <linux/if_tap.h>
#include <linux/if_tun.h>
#include <linux/net.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>
#include <net/sock.h>

#include "net.h"
#include "poll.h"

/*
 * A raw packet socket. The type and family are checked before anything
 * else touches the socket: the datapath relies on packet-socket semantics.
 */
static struct socket *vhn_raw_socket(int fd)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return NULL;
	if (sock->sk->sk_type == SOCK_RAW && sock->sk->sk_family == AF_PACKET)
		return sock;
	sockfd_put(sock);
	return NULL;
}

/* The socket behind a tap or macvtap file, holding a reference on it. */
static struct socket *vhn_tap_socket(int fd, struct ptr_ring **ring)
{
	struct file *file = fget(fd);
	struct socket *sock;

	if (!file)
		return NULL;
	sock = tun_get_socket(file);
	if (!IS_ERR(sock)) {
		*ring = tun_get_tx_ring(file);
		return sock;
	}
	sock = tap_get_socket(file);
	if (!IS_ERR(sock)) {
		*ring = tap_get_ptr_ring(file);
		return sock;
	}
	fput(file);
	return NULL;
}

/*
 * Look up the backend for @fd. NULL with no error means unbind. Anything
 * that is neither kind of socket is ENOTSOCK, as userspace expects.
 */
static struct socket *vhn_get_backend(int fd, struct ptr_ring **ring)
{
	struct socket *sock;

	*ring = NULL;
	if (fd == -1)
		return NULL;
	sock = vhn_raw_socket(fd);
	if (!sock)
		sock = vhn_tap_socket(fd, ring);
	if (!sock)
		return ERR_PTR(-ENOTSOCK);
	if (IS_ERR(*ring))
		*ring = NULL;
	return sock;
}

/* Stop everything that can queue work for @nvq's backend. */
static void vhn_backend_quiesce(struct vhn_net_vq *nvq)
{
	vhn_poll_stop(&nvq->sock_poll);
	vhn_net_rxq_drain(nvq);
}

/* Start the ring and the socket wakeups for a new backend. */
static int vhn_backend_start(struct vhn_net_vq *nvq, int index)
{
	struct vhn_vq *vq = &nvq->vq;
	struct socket *sock = vq->backend;
	int r;

	if (!sock)
		return 0;
	r = vhn_ring_start(vq);
	if (r)
		return r;
	/*
	 * RX waits for frames from the start (rx.c stops that while the
	 * guest has no room); TX waits for room only when full. A socket
	 * that already reports an error (a tap file with no device
	 * attached) is refused for either queue, as userspace expects.
	 */
	if (index == VHN_NET_RX)
		r = vhn_poll_start(&nvq->sock_poll, sock->file);
	else if (vfs_poll(sock->file, NULL) & EPOLLERR)
		r = -EINVAL;
	if (r)
		return r;
	/* Frames queued before we started would otherwise wait for a kick. */
	vhn_vq_queue(vq, &vq->kick_poll.work);
	return r;
}

/**
 * vhn_net_set_backend() - VHOST_NET_SET_BACKEND
 * @n: the device
 * @argp: a struct vhost_vring_file: queue index and socket fd (-1 unbinds)
 *
 * The old backend stops before the new one starts, and the call returns
 * once the work queued for it has run.
 *
 * Return: 0 or a negative errno; -EINTR if the caller is being killed.
 */
long vhn_net_set_backend(struct vhn_net *n, void __user *argp)
{
	struct vhost_vring_file f;
	struct ptr_ring *ring, *old_ring;
	struct socket *sock, *old;
	struct vhn_net_vq *nvq;
	long r;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	if (mutex_lock_killable(&n->dev.mutex))
		return -EINTR;
	r = -EPERM;
	if (!vhn_dev_is_owner(&n->dev))
		goto out;
	r = -ENOBUFS;
	if (f.index >= VHN_NET_NVQS)
		goto out;
	nvq = &n->vqs[array_index_nospec(f.index, VHN_NET_NVQS)];
	sock = vhn_get_backend(f.fd, &ring);
	r = PTR_ERR(sock);
	if (IS_ERR(sock))
		goto out;

	if (mutex_lock_killable(&nvq->vq.mutex)) {
		if (sock)
			sockfd_put(sock);
		r = -EINTR;
		goto out;
	}
	old = nvq->vq.backend;
	if (sock == old) {
		mutex_unlock(&nvq->vq.mutex);
		if (sock)
			sockfd_put(sock);
		r = 0;
		goto out;
	}
	old_ring = nvq->rx_ring;
	vhn_backend_quiesce(nvq);
	nvq->vq.backend = sock;
	nvq->rx_ring = f.index == VHN_NET_RX ? ring : NULL;
	r = vhn_backend_start(nvq, f.index);
	if (r) {
		vhn_backend_quiesce(nvq);
		nvq->vq.backend = old;
		nvq->rx_ring = old_ring;
		if (old)
			vhn_backend_start(nvq, f.index);
		old = sock;
	} else {
		vhn_stat_backend(&nvq->vq.stats, f.fd);
	}
	mutex_unlock(&nvq->vq.mutex);

	if (old) {
		/*
		 * The worker uses a backend only under the vq mutex, so it is
		 * done with the old one already; the flush lets work queued
		 * for it finish before we return. A killed caller does not
		 * wait for that.
		 */
		if (vhn_dev_flush(&n->dev, false))
			r = -EINTR;
		sockfd_put(old);
	}
out:
	mutex_unlock(&n->dev.mutex);
	return r;
}

/**
 * vhn_net_stop_backends() - detach every backend, on release or reset
 * @n: the device; the caller holds its mutex
 * @must: the caller cannot give up (release); see vhn_lock()
 *
 * Once it returns 0, no work of the device touches guest memory again:
 * without a backend a queue's work returns at once.
 *
 * Return: 0, or -EINTR if the caller is being killed (never with @must);
 * the queues stopped so far stay stopped.
 */
int vhn_net_stop_backends(struct vhn_net *n, bool must)
{
	struct socket *socks[VHN_NET_NVQS] = {};
	int i, r = 0;

	for (i = 0; i < VHN_NET_NVQS && !r; i++) {
		struct vhn_net_vq *nvq = &n->vqs[i];

		r = vhn_lock(&nvq->vq.mutex, must);
		if (r)
			break;
		vhn_backend_quiesce(nvq);
		socks[i] = nvq->vq.backend;
		if (socks[i])
			vhn_stat_backend(&nvq->vq.stats, -1);
		nvq->vq.backend = NULL;
		nvq->rx_ring = NULL;
		mutex_unlock(&nvq->vq.mutex);
	}
	if (!r)
		r = vhn_dev_flush(&n->dev, must);
	/* Used only under the vq mutex, which we held: safe to drop. */
	for (i = 0; i < VHN_NET_NVQS; i++)
		if (socks[i])
			sockfd_put(socks[i]);
	return r;
}
