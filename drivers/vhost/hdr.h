/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio-net header: how long it is, who writes it, what we put in it.
 */
#ifndef VHN_HDR_H
#define VHN_HDR_H

#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/virtio_byteorder.h>
#include <linux/virtio_net.h>

/**
 * struct vhn_hdr_split - who handles the virtio-net header on a queue
 * @vhost_hlen: bytes we add (RX) or strip (TX) ourselves
 * @sock_hlen: bytes the backend socket reads and writes (tap's vnet header)
 */
struct vhn_hdr_split {
	size_t vhost_hlen;
	size_t sock_hlen;
};

struct vhn_hdr_split vhn_hdr_split(u64 features);
int vhn_hdr_fill_rx(const struct vhn_hdr_split *split, bool le,
		    struct iov_iter *hdr, u16 nbufs);

/**
 * vhn_hdr_fill_rx_iov() - vhn_hdr_fill_rx() into a frame's guest buffers
 * @split: the queue's header lengths
 * @le: the ring is little-endian
 * @iov: the buffers the frame was received into, header first
 * @niov: how many
 * @total: bytes of the frame in them, header included
 * @nbufs: how many buffers the frame took (num_buffers)
 *
 * Where the socket wrote the header and the first buffer holds all of it
 * (every Linux guest's buffers), num_buffers is one put_user(): no
 * iterator to build and advance for two bytes, on every frame. Anything
 * else goes through vhn_hdr_fill_rx().
 *
 * Return: 0, or -EFAULT if guest memory could not be written.
 */
static inline int vhn_hdr_fill_rx_iov(const struct vhn_hdr_split *split,
				      bool le, const struct iovec *iov,
				      unsigned int niov, size_t total,
				      u16 nbufs)
{
	const size_t at = offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers);
	const size_t need = sizeof(struct virtio_net_hdr_mrg_rxbuf);
	struct iov_iter it;

	if (!split->vhost_hlen) {
		if (split->sock_hlen < need)
			return 0;
		if (iov->iov_len >= need) {
			void __user *p = (u8 __user *)iov->iov_base + at;
			__virtio16 v = le ? (__force __virtio16)cpu_to_le16(nbufs) :
					    (__force __virtio16)cpu_to_be16(nbufs);

			return put_user(v, (__virtio16 __user *)p) ? -EFAULT : 0;
		}
	}
	iov_iter_init(&it, ITER_DEST, iov, niov, total);
	return vhn_hdr_fill_rx(split, le, &it, nbufs);
}

/**
 * vhn_hdr_check_tx() - check a sent frame's header, as tap would
 * @h: the header the guest wrote, in the ring's byte order
 * @le: the ring is little-endian
 * @len: bytes of frame after the header
 *
 * A batched frame skips tap's own header check, so we make it: a
 * checksum to fill in must lie within the headers (hdr_len grows to
 * cover it), and the headers must lie within the frame.
 *
 * Inline: it runs for every batched frame.
 *
 * Return: 0, or -EINVAL if the frame is to be dropped.
 */
static inline int vhn_hdr_check_tx(struct virtio_net_hdr *h, bool le,
				   size_t len)
{
	u32 hdr_len = __virtio16_to_cpu(le, h->hdr_len);
	u32 csum_end = __virtio16_to_cpu(le, h->csum_start) +
		       __virtio16_to_cpu(le, h->csum_offset) + 2;

	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && csum_end > hdr_len) {
		hdr_len = csum_end;
		h->hdr_len = __cpu_to_virtio16(le, hdr_len);
	}
	return hdr_len > len ? -EINVAL : 0;
}

#endif /* VHN_HDR_H */
