// SPDX-License-Identifier: GPL-2.0
/*
 * Rigs: a vhost-net device on a backend, and the traffic helpers every
 * datapath, hostile and lifecycle case is built from.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_tun.h>

#include "rig.h"

static const u8 mac_peer[6] = { 0x02, 0x76, 0x68, 0, 0, 2 };

u8 *big_buf(void)
{
	u8 *b = malloc(FRAME_MAX + 4096);

	CHECK(b);
	return b;
}

static void arena_init(struct arena *a, struct gmem *m)
{
	a->base = galloc(m, ARENA, 4096);
	a->size = ARENA;
	a->at = 0;
}

/* Circular: callers keep what is outstanding well below ARENA. */
static void *arena_get(struct arena *a, size_t len)
{
	void *p;

	len = (len + 63) & ~63UL;
	CHECK(len <= a->size);
	if (a->at + len > a->size)
		a->at = 0;
	p = a->base + a->at;
	a->at += len;
	return p;
}

static void set_mac(const char *name, const u8 mac[6])
{
	struct ifreq ifr = { 0 };
	int s = OK(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_hwaddr.sa_family = 1;	/* ARPHRD_ETHER */
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	OK(ioctl(s, SIOCSIFHWADDR, &ifr));
	close(s);
}

static void backend_tap(struct rig *r, const struct rig_opts *o, bool vnet)
{
	int fl = vnet ? IFF_VNET_HDR : 0;

	if (o->ifname)
		fl |= IFF_MULTI_QUEUE;
	tap_open(&r->tap, o->ifname ? o->ifname : "vst%d", fl, r->hdr);
	if (o->flags & RIG_GSO)
		tap_offload(r->tap.fd, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
	if_mtu(r->tap.name, 9216);
	if_up(r->tap.name, true);
	r->cap = pkt_open(r->tap.ifindex, SOCK_RAW, false);
	r->backend = r->tap.fd;
}

static void backend_macvtap(struct rig *r)
{
	char name[IFNAMSIZ], dev[32];
	int fd, sz = r->hdr;

	tap_open(&r->tap, "vsl%d", 0, 0);
	if_up(r->tap.name, true);
	r->mvt_ifindex = macvtap_create(r->tap.ifindex, name);
	set_mac(name, mac_peer);
	if_up(name, true);
	snprintf(dev, sizeof(dev), "/dev/tap%d", r->mvt_ifindex);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	CHECKF(fd >= 0, "open %s: %s", dev, errname(errno));
	OK(ioctl(fd, TUNSETVNETHDRSZ, &sz));
	r->backend = fd;
	r->cap = -1;
}

void rig_up(struct rig *r, const struct rig_opts *o)
{
	bool net_hdr = o->flags & RIG_NET_HDR;
	u64 f = o->features | (net_hdr ? BIT(VHOST_NET_F_VIRTIO_NET_HDR) : 0);
	static u32 tags;

	if (o->flags & RIG_IN_ORDER)
		f |= BIT(VIRTIO_F_IN_ORDER);

	memset(r, 0, sizeof(*r));
	r->cap = -1;
	r->cap_vnet = -1;
	r->be = o->be;
	r->tag = (getpid() << 8) + tags++;
	r->hdr = net_hdr_len(f);
	vdev_init(&r->d);
	r->d.farray = o->flags & RIG_FARRAY;
	r->d.packed = suite_packed || (o->flags & RIG_PACKED);
	if (o->flags & RIG_KTHREAD) {
		u8 mode = VHOST_FORK_OWNER_KTHREAD;

		r->kthread = !ioctl(r->d.fd, VHOST_SET_FORK_FROM_OWNER, &mode);
	}
	vdev_start(&r->d, f, o->num ? o->num : 256);
	arena_init(&r->tx, &r->d.mem);
	arena_init(&r->rx, &r->d.mem);
	switch (o->be) {
	case BE_TAP:
		backend_tap(r, o, !net_hdr);
		break;
	case BE_RAW:
		CHECK(net_hdr);
		backend_tap(r, o, false);
		r->backend = pkt_open(r->tap.ifindex, SOCK_RAW, false);
		break;
	case BE_MACVTAP:
		CHECK(!net_hdr);
		backend_macvtap(r);
		break;
	}
	if (!(o->flags & RIG_IDLE))
		rig_start(r);
}

void rig_start(struct rig *r)
{
	OK(vdev_backend(&r->d, RX, r->backend));
	OK(vdev_backend(&r->d, TX, r->backend));
}

/* A modern device on a fresh tap, started. */
void rig_quick(struct rig *r, u64 features)
{
	struct rig_opts o = { .features = features };

	rig_up(r, &o);
}

static void split(const u8 *src, size_t len, struct seg *s, int n,
		  struct arena *a)
{
	size_t at = 0, piece;
	int i;

	for (i = 0; i < n; i++) {
		piece = i + 1 < n ? len / n : len - at;
		s[i].p = arena_get(a, piece ? piece : 1);
		s[i].len = piece;
		if (src)
			memcpy(s[i].p, src + at, piece);
		at += piece;
	}
}

/* Take back one used TX entry, checked, for a later tx_reap(); or false. */
static bool tx_take_back(struct rig *r)
{
	struct vq *q = &r->d.vq[TX];
	u32 len;

	if (vq_pop_used(q, &len) < 0)
		return false;
	CHECKF(len == 0, "TX used.len is %u, expected 0", len);
	r->tx_early++;
	return true;
}

/*
 * Make room for n descriptors on TX. A guest driver that finds its ring
 * full takes back what the device has used, and waits for more: so do we,
 * for at most ROOM_MS, kicking in case the device went idle.
 */
static void tx_room(struct rig *r, unsigned int n)
{
	struct vq *q = &r->d.vq[TX];
	u64 end = now_ms() + ROOM_MS;

	while (q->nfree < n) {
		if (tx_take_back(r))
			continue;
		CHECKF(now_ms() < end,
		       "ring %d: %u descriptors wanted, %u free after %u ms",
		       q->idx, n, q->nfree, ROOM_MS);
		vq_kick(q);
		vq_wait_used(q, 1, 20);
	}
}

/* Post header + frame on TX in layout l; returns the head. */
int tx_post(struct rig *r, const u8 *frame, size_t len,
	    const struct virtio_net_hdr *h, enum layout l)
{
	struct virtio_net_hdr_mrg_rxbuf hb = { 0 };
	struct seg s[4];
	int n = 1, head;

	tx_room(r, l == L_CHAINED ? 4 : 1);
	if (h)
		hb.hdr = *h;
	if (l == L_DIRECT) {
		s[0].p = arena_get(&r->tx, r->hdr + len);
		s[0].len = r->hdr + len;
		memcpy(s[0].p, &hb, r->hdr);
		memcpy((u8 *)s[0].p + r->hdr, frame, len);
	} else {
		s[0].p = arena_get(&r->tx, r->hdr);
		s[0].len = r->hdr;
		memcpy(s[0].p, &hb, r->hdr);
		split(frame, len, s + 1, 3, &r->tx);
		n = 4;
	}
	head = vq_add(&r->d.vq[TX], s, n, NULL, 0, l == L_INDIRECT);
	vq_publish(&r->d.vq[TX], head);
	return head;
}

void tx_send(struct rig *r, enum frame_kind k, size_t len, u32 seq,
	     enum layout l)
{
	u8 *f = big_buf();

	frame_make(f, k, len, r->tag, seq);
	tx_post(r, f, len, NULL, l);
	vq_kick(&r->d.vq[TX]);
	free(f);
}

/* The next frame of ours the guest sent, or -1 within ms. */
ssize_t tx_capture(struct rig *r, u8 *buf, int ms)
{
	bool packet = r->be == BE_TAP;
	int fd = packet ? r->cap : r->tap.fd;
	u64 end = now_ms() + ms;
	u32 tag, seq;
	ssize_t n;

	do {
		n = fd_recv_frame(fd, buf, FRAME_MAX, (int)(end - now_ms()),
				  packet);
		if (n >= 0 && frame_id(buf, n, &tag, &seq) && tag == r->tag)
			return n;
	} while (n >= 0 && now_ms() < end);
	return -1;
}

void tx_expect(struct rig *r, enum frame_kind k, size_t len, u32 seq)
{
	u8 *buf = big_buf();
	ssize_t n = tx_capture(r, buf, WAIT_MS);

	CHECKF(n >= 0, "TX frame %u (%zu bytes) never reached the backend",
	       seq, len);
	frame_expect(buf, n, k, len, r->tag, seq);
	free(buf);
}

/*
 * n TX buffers come back used, each with used.len 0; those tx_post took
 * back early to make room count among them.
 */
void tx_reap(struct rig *r, unsigned int n)
{
	struct vq *q = &r->d.vq[TX];
	unsigned int early = n < r->tx_early ? n : r->tx_early;
	u32 len;

	r->tx_early -= early;
	n -= early;
	CHECKF(vq_wait_used(q, n, WAIT_MS), "TX: %u used entries expected, %u seen",
	       n, vq_used_pending(q));
	while (n--) {
		CHECK(vq_pop_used(q, &len) >= 0);
		CHECKF(len == 0, "TX used.len is %u, expected 0", len);
	}
}

void expect_call(struct vq *q, bool want)
{
	bool got = fd_wait(q->call, want ? WAIT_MS : QUIET_MS);

	efd_drain(q->call);
	CHECKF(got == want, "ring %d: call eventfd %s", q->idx,
	       want ? "did not fire though the guest asked" :
		      "fired though the guest did not ask");
	vq_rearm(q);
}

void expect_err(struct vq *q)
{
	CHECKF(fd_wait(q->err, WAIT_MS), "ring %d: err eventfd did not fire",
	       q->idx);
	efd_drain(q->err);
}

void tx_roundtrip(struct rig *r, size_t len, u32 seq, enum layout l)
{
	tx_send(r, FRAME_RAW, len, seq, l);
	tx_expect(r, FRAME_RAW, len, seq);
	tx_reap(r, 1);
}

void rx_post(struct rig *r, enum layout l, size_t bufsz, unsigned int count)
{
	struct vq *q = &r->d.vq[RX];
	struct seg s[3];

	while (count--) {
		int n = 1, head;

		if (l == L_DIRECT) {
			s[0].p = arena_get(&r->rx, bufsz);
			s[0].len = bufsz;
		} else {
			s[0].p = arena_get(&r->rx, r->hdr);
			s[0].len = r->hdr;
			split(NULL, bufsz - r->hdr, s + 1, 2, &r->rx);
			n = 3;
		}
		head = vq_add(q, NULL, 0, s, n, l == L_INDIRECT);
		vq_publish(q, head);
	}
	vq_kick(q);
}

static void inject(struct rig *r, const u8 *buf, size_t len)
{
	ssize_t n;

	if (r->be == BE_TAP) {
		pkt_send(r->cap, r->tap.ifindex, buf, len);
		return;
	}
	/* raw and macvtap: the frame arrives on the tap's netdev */
	n = write(r->tap.fd, buf, len);
	CHECKF(n == (ssize_t)len, "write %zu bytes to %s: %zd (%s)", len,
	       r->tap.name, n, n < 0 ? errname(errno) : "short");
}

void rx_inject(struct rig *r, enum frame_kind k, size_t len, u32 seq)
{
	u8 *f = big_buf();

	frame_make(f, k, len, r->tag, seq);
	inject(r, f, len);
	free(f);
}

void rx_inject_gso(struct rig *r, size_t len, u32 seq)
{
	struct virtio_net_hdr *h;
	u8 *f = big_buf();

	CHECK(r->be == BE_TAP);
	if (r->cap_vnet < 0)
		r->cap_vnet = pkt_open(r->tap.ifindex, SOCK_RAW, true);
	h = (void *)f;
	gso_hdr(h, len);
	frame_make(f + sizeof(*h), FRAME_TCP, len, r->tag, seq);
	pkt_send(r->cap_vnet, r->tap.ifindex, f, sizeof(*h) + len);
	free(f);
}

/* One received packet, all its buffers gathered into out (header first). */
size_t rx_collect(struct rig *r, u8 *out, size_t max, int *nbufs, int ms)
{
	struct vq *q = &r->d.vq[RX];
	bool mrg = r->d.features & BIT(VIRTIO_NET_F_MRG_RXBUF);
	struct virtio_net_hdr_mrg_rxbuf h;
	size_t total = 0;
	int i, nb = 1, head;
	u32 len;

	for (i = 0; i < nb; i++) {
		CHECKF(vq_wait_used(q, 1, ms), "RX: buffer %d of %d never used",
		       i + 1, nb);
		head = vq_pop_used(q, &len);
		CHECKF(total + len <= max, "RX: packet larger than %zu", max);
		CHECKF(vq_gather(q, head, len, out + total) == len,
		       "RX: used.len %u is larger than buffer %d", len, head);
		total += len;
		if (i == 0 && mrg) {
			CHECKF(len >= sizeof(h), "RX: first buffer holds %u bytes",
			       len);
			memcpy(&h, out, sizeof(h));
			nb = h.num_buffers;
			CHECKF(nb >= 1, "RX: num_buffers is 0");
		}
		/* every buffer but the last is filled up */
		CHECKF(i + 1 == nb || len == vq_buf_size(q, head),
		       "RX: buffer %d of %d: used.len %u, but it holds %u",
		       i + 1, nb, len, vq_buf_size(q, head));
	}
	if (nbufs)
		*nbufs = nb;
	return total;
}

void rx_expect(struct rig *r, enum frame_kind k, size_t len, u32 seq,
	       int *nbufs)
{
	u8 *buf = big_buf();
	struct virtio_net_hdr h;
	size_t n = rx_collect(r, buf, FRAME_MAX + 4096, nbufs, WAIT_MS);

	CHECKF(n >= r->hdr, "RX: %zu bytes, less than a header", n);
	memcpy(&h, buf, sizeof(h));
	memcpy(&r->last_hdr, buf, r->hdr);
	if (k != FRAME_TCP)
		CHECKF(h.gso_type == VIRTIO_NET_HDR_GSO_NONE,
		       "RX: gso_type %u for a plain frame", h.gso_type);
	frame_expect(buf + r->hdr, n - r->hdr, k, len, r->tag, seq);
	free(buf);
}

void rx_roundtrip(struct rig *r, size_t len, u32 seq, enum layout l)
{
	rx_post(r, l, r->hdr + len, 1);
	rx_inject(r, FRAME_RAW, len, seq);
	rx_expect(r, FRAME_RAW, len, seq, NULL);
}

/* Another device, set up now, still moves frames both ways. */
void alive(u64 features)
{
	struct rig r;

	rig_quick(&r, features);
	tx_roundtrip(&r, 60, 900, L_DIRECT);
	rx_roundtrip(&r, 60, 901, L_DIRECT);
}
