// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-net header. Its length depends on the features: 12 bytes
 * with MRG_RXBUF or VERSION_1 (num_buffers is always there in 1.x), else
 * 10. By default tap reads and writes it (IFF_VNET_HDR), carrying the
 * checksum and GSO offloads through; under VHOST_NET_F_VIRTIO_NET_HDR the
 * backend knows nothing of it and we add and strip it ourselves.
 */
#include <kunit/visibility.h>
#include <linux/uio.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include "hdr.h"

/**
 * vhn_hdr_split() - header lengths for a feature set
 * @features: the acked features
 *
 * Return: how many header bytes we handle and how many the socket does;
 * one of the two is always zero.
 */
struct vhn_hdr_split vhn_hdr_split(u64 features)
{
	struct vhn_hdr_split s = {};
	size_t len = sizeof(struct virtio_net_hdr);

	if (features & (BIT_ULL(VIRTIO_NET_F_MRG_RXBUF) | BIT_ULL(VIRTIO_F_VERSION_1)))
		len = sizeof(struct virtio_net_hdr_mrg_rxbuf);
	if (features & BIT_ULL(VHOST_NET_F_VIRTIO_NET_HDR))
		s.vhost_hlen = len;
	else
		s.sock_hlen = len;
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_hdr_split);

/**
 * vhn_hdr_fill_rx() - write our part of a received frame's header
 * @split: the queue's header lengths
 * @le: the ring is little-endian
 * @hdr: an iterator at the start of the guest buffer; it is advanced
 * @nbufs: how many buffers the frame took (num_buffers)
 *
 * Under VHOST_NET_F_VIRTIO_NET_HDR we write the whole header: no
 * offloads, and num_buffers when the header has it. Otherwise the socket
 * wrote the header and skipped num_buffers, which we fill in. A 10-byte
 * header has no num_buffers.
 *
 * Return: 0, or -EFAULT if guest memory could not be written.
 */
int vhn_hdr_fill_rx(const struct vhn_hdr_split *split, bool le,
		    struct iov_iter *hdr, u16 nbufs)
{
	struct virtio_net_hdr_mrg_rxbuf h = {
		.hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE,
		.num_buffers = le ? (__force __virtio16)cpu_to_le16(nbufs) :
				    (__force __virtio16)cpu_to_be16(nbufs),
	};
	size_t from = 0, to = split->vhost_hlen;

	if (!to) {
		if (split->sock_hlen < sizeof(h))
			return 0;
		from = offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers);
		to = sizeof(h);
		iov_iter_advance(hdr, from);
	}
	if (copy_to_iter((u8 *)&h + from, to - from, hdr) != to - from)
		return -EFAULT;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_hdr_fill_rx);
