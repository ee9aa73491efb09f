/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio-net header: how long it is, who writes it, what we put in it.
 */
#ifndef VHN_HDR_H
#define VHN_HDR_H

#include <linux/types.h>
#include <linux/virtio_byteorder.h>
#include <linux/virtio_net.h>

struct iov_iter;

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
