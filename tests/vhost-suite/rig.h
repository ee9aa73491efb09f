/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A rig: one vhost-net device with its guest memory and rings, attached
 * to a backend (tap, raw AF_PACKET socket or macvtap), plus what the
 * host side needs to capture the guest's frames and inject new ones.
 */
#ifndef VHOST_SUITE_RIG_H
#define VHOST_SUITE_RIG_H

#include "net.h"
#include "vring.h"

#define WAIT_MS		3000	/* for something that must happen */
#define QUIET_MS	300	/* for something that must not */
#define ROOM_MS		2000	/* for the device to free TX descriptors */
#define ARENA		(5u << 20)

enum backend { BE_TAP, BE_RAW, BE_MACVTAP };
enum layout { L_DIRECT, L_CHAINED, L_INDIRECT };

/* rig_opts.flags */
#define RIG_GSO		0x1	/* tap offloads, so GSO frames reach the guest */
#define RIG_IDLE	0x2	/* no SET_BACKEND yet */
#define RIG_NET_HDR	0x4	/* VHOST_NET_F_VIRTIO_NET_HDR: tap without vnet_hdr */
#define RIG_KTHREAD	0x8	/* workers as kthreads, where the device can */
#define RIG_FARRAY	0x10	/* features acked with SET_FEATURES_ARRAY */
#define RIG_IN_ORDER	0x20	/* VIRTIO_F_IN_ORDER, the guest ring in order */
#define RIG_PACKED	0x40	/* packed rings (always with --ring packed) */

struct rig_opts {
	u64 features;
	unsigned int num;
	enum backend be;
	unsigned int flags;
	const char *ifname;	/* tap name; IFF_MULTI_QUEUE if given */
};

struct arena {
	u8 *base;
	size_t size, at;
};

struct rig {
	struct vdev d;
	enum backend be;
	struct tap tap;		/* the tap (BE_TAP, BE_RAW) or macvtap's lower */
	int cap;		/* AF_PACKET on tap: sees TX, injects RX */
	int cap_vnet;		/* the same with PACKET_VNET_HDR, for GSO */
	int backend;		/* what SET_BACKEND gets */
	int mvt_ifindex;
	size_t hdr;		/* the guest's virtio-net header length */
	u32 tag;
	struct arena tx, rx;
	unsigned int tx_early;	/* TX used entries tx_post took back early */
	bool kthread;		/* RIG_KTHREAD was granted */
	struct virtio_net_hdr_mrg_rxbuf last_hdr;	/* of the last rx_expect */
};

void rig_up(struct rig *r, const struct rig_opts *o);
void rig_start(struct rig *r);
void rig_quick(struct rig *r, u64 features);

/* TX: the guest sends; the host captures. */
int tx_post(struct rig *r, const u8 *frame, size_t len,
	    const struct virtio_net_hdr *h, enum layout l);
void tx_send(struct rig *r, enum frame_kind k, size_t len, u32 seq,
	     enum layout l);
ssize_t tx_capture(struct rig *r, u8 *buf, int ms);
void tx_expect(struct rig *r, enum frame_kind k, size_t len, u32 seq);
void tx_reap(struct rig *r, unsigned int n);
void tx_roundtrip(struct rig *r, size_t len, u32 seq, enum layout l);

/* RX: the host injects; the guest receives. */
void rx_post(struct rig *r, enum layout l, size_t bufsz, unsigned int count);
void rx_inject(struct rig *r, enum frame_kind k, size_t len, u32 seq);
void rx_inject_gso(struct rig *r, size_t len, u32 seq);
size_t rx_collect(struct rig *r, u8 *out, size_t max, int *nbufs, int ms);
void rx_expect(struct rig *r, enum frame_kind k, size_t len, u32 seq,
	       int *nbufs);
void rx_roundtrip(struct rig *r, size_t len, u32 seq, enum layout l);

void expect_call(struct vq *q, bool want);
void expect_err(struct vq *q);
void alive(u64 features);
/* inorder.c: can the case go on with VIRTIO_F_IN_ORDER? */
bool in_order_offered(void);
u8 *big_buf(void);

#endif
