/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the wire: tap and macvtap devices, AF_PACKET sockets
 * that capture what the guest sends and inject what it should receive,
 * and test frames that can be checked byte for byte.
 */
#ifndef VHOST_SUITE_NET_H
#define VHOST_SUITE_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <net/if.h>
#include <linux/virtio_net.h>

#include "ktypes.h"

#define ETH_TEST	0x88b5	/* IEEE local experimental ethertype */
#define FRAME_MAX	(70u << 10)
#define GSO_MSS		1448

struct tap {
	int fd;
	char name[IFNAMSIZ];
	int ifindex;
};

enum frame_kind {
	FRAME_RAW,	/* ETH_TEST ethertype */
	FRAME_TCP,	/* IPv4/TCP, checksum left to the device (GSO) */
	FRAME_UDP,	/* IPv4/UDP; the tag picks the port, for flow hashing */
};

/* tap flags: IFF_VNET_HDR, IFF_MULTI_QUEUE; hdr_sz only with VNET_HDR. */
void tap_open(struct tap *t, const char *name, int flags, int hdr_sz);
void tap_offload(int fd, unsigned int tun_f);
void if_up(const char *name, bool up);
void if_mtu(const char *name, int mtu);
int if_index(const char *name);
void if_hwaddr(const char *name, u8 mac[6]);

/* AF_PACKET: bound to ifindex, non-blocking, large receive buffer. */
int pkt_open(int ifindex, int type, bool vnet_hdr);
void pkt_send(int s, int ifindex, const void *buf, size_t len);
ssize_t pkt_recv(int s, void *buf, size_t len, int ms);
ssize_t fd_recv_frame(int fd, void *buf, size_t len, int ms, bool packet);

/* Frames */
void frame_make(u8 *buf, enum frame_kind k, size_t len,
		u32 tag, u32 seq);
bool frame_id(const u8 *buf, size_t len, u32 *tag, u32 *seq);
void frame_expect(const u8 *got, size_t got_len, enum frame_kind k,
		  size_t len, u32 tag, u32 seq);
void gso_hdr(struct virtio_net_hdr *h, size_t frame_len);
void frame_dst(u8 *buf, const u8 mac[6]);

/* macvtap over a lower device, through rtnetlink; returns the ifindex. */
int macvtap_create(int lower, char *name);
void link_delete(int ifindex);

#endif
