/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio-net header: how long it is, who writes it, what we put in it.
 */
#ifndef VHN_HDR_H
#define VHN_HDR_H

#include <linux/types.h>

struct iov_iter;
struct virtio_net_hdr;

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
int vhn_hdr_check_tx(struct virtio_net_hdr *h, bool le, size_t len);

#endif /* VHN_HDR_H */
