// SPDX-License-Identifier: GPL-2.0
/*
 * Packed ring cases (VIRTIO_F_RING_PACKED), run with --ring packed beside
 * the datapath cases on packed rings. Upstream does not offer the feature,
 * so there is no reference to compare with: these check the spec's rules
 * (virtio 1.1, 2.8) directly. A hostile driver: buffer ids out of range,
 * chains longer than the ring, descriptors made available while the device
 * holds them, malformed indirect tables, wrap counters of the wrong lap.
 * Then the device event suppression area, the ring base's encoding and
 * the dirty log.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rig.h"

#define F_EVT		(F_MODERN | BIT(VIRTIO_RING_F_EVENT_IDX))
#define F_LOG		(F_EVT | BIT(VIRTIO_NET_F_MRG_RXBUF) | BIT(VHOST_F_LOG_ALL))
#define P_AVAIL		((u16)BIT(VRING_PACKED_DESC_F_AVAIL))
#define P_USED		((u16)BIT(VRING_PACKED_DESC_F_USED))
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define LOG_WORDS	((GPA_BASE + GMEM_SIZE) / 4096 / 64)

/* Upstream's side of every packed case: the feature is not there. */
void packed_not_offered(void)
{
	u64 f, want = F_MODERN | BIT(VIRTIO_F_RING_PACKED);
	int fd = vhost_open();

	OK(ioctl(fd, VHOST_GET_FEATURES, &f));
	CHECKF(!(f & BIT(VIRTIO_F_RING_PACKED)),
	       "VIRTIO_F_RING_PACKED is offered: run the packed cases here too");
	OK(ioctl(fd, VHOST_SET_OWNER));
	ERR(ioctl(fd, VHOST_SET_FEATURES, &want), EOPNOTSUPP);
	close(fd);
}

/*
 * The in_order.hostile.* variants: the same hostile rings with
 * VIRTIO_F_IN_ORDER acked, each expecting the same failure.
 */
static bool pin_order;

struct pbad {
	struct rig r;
	struct vq *q;
	u8 *buf;	/* 4 KiB of valid guest memory */
	u64 buf_gpa;
};

static void pbad_up(struct pbad *b, int idx, unsigned int num, unsigned int flags)
{
	struct rig_opts o = { .features = F_EVT, .num = num,
			      .flags = RIG_PACKED | flags };

	if (pin_order) {
		CHECK(in_order_offered());
		o.flags |= RIG_IN_ORDER;
	}
	rig_up(&b->r, &o);
	b->q = &b->r.d.vq[idx];
	b->buf = galloc(&b->r.d.mem, 4096, 4096);
	b->buf_gpa = gpa_of(&b->r.d.mem, b->buf);
}

static u16 wflag(const struct pbad *b)
{
	return b->q->idx == RX ? VRING_DESC_F_WRITE : 0;
}

/* A ring descriptor at pos, made available in pos's lap. */
static void pdesc(struct vq *q, u16 pos, u64 addr, u32 len, u16 id, u16 flags)
{
	struct vring_packed_desc *d = &q->pring[pos & (PW - 1)];

	d->addr = addr;
	d->len = len;
	d->id = id;
	__atomic_store_n(&d->flags, flags | (pos & PW ? P_AVAIL : P_USED),
			 __ATOMIC_RELEASE);
}

/* Kick, expect the err eventfd and no used descriptor; the rest works. */
static void poisoned(struct pbad *b)
{
	struct rig *r = &b->r;
	u64 t;

	/* RX only looks at its ring when a frame waits. */
	if (b->q->idx == RX)
		rx_inject(r, FRAME_RAW, 60, 1);
	vq_kick(b->q);
	expect_err(b->q);
	CHECKF(!vq_used_pending(b->q), "ring %d: the device used a bad buffer",
	       b->q->idx);
	if (b->q->idx == RX)
		tx_roundtrip(r, 1514, 100, L_CHAINED);
	else
		rx_roundtrip(r, 1514, 100, L_CHAINED);
	alive(F_MODERN);
	t = now_ms();
	vdev_close(&r->d);
	CHECKF(now_ms() - t < WAIT_MS, "close took %llu ms",
	       (unsigned long long)(now_ms() - t));
}

static void id_range_case(int idx)
{
	struct pbad b;

	pbad_up(&b, idx, 256, 0);
	pdesc(b.q, PW, b.buf_gpa, 1600, 256, wflag(&b));
	poisoned(&b);
}

/* Every descriptor of the ring chained to the next: no end. */
static void chain_long_case(int idx)
{
	struct pbad b;
	int i;

	pbad_up(&b, idx, 8, 0);
	for (i = 7; i >= 0; i--)
		pdesc(b.q, PW | i, b.buf_gpa + 64 * i, 64, 0,
		      wflag(&b) | VRING_DESC_F_NEXT);
	poisoned(&b);
}

/* An indirect descriptor may not go on with NEXT (2.8.7). */
static void indirect_next_case(int idx)
{
	struct vring_packed_desc *t;
	struct pbad b;

	pbad_up(&b, idx, 8, 0);
	t = (void *)b.buf;
	t[0] = (struct vring_packed_desc){ b.buf_gpa + 1024, 1600, 0, wflag(&b) };
	pdesc(b.q, PW | 1, b.buf_gpa + 2048, 64, 0, wflag(&b));
	pdesc(b.q, PW, b.buf_gpa, 16, 0, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT);
	poisoned(&b);
}

static void indirect_len_case(int idx)
{
	struct pbad b;

	pbad_up(&b, idx, 8, 0);
	pdesc(b.q, PW, b.buf_gpa, 24, 0, VRING_DESC_F_INDIRECT);
	poisoned(&b);
}

static void addr_range_case(int idx)
{
	struct pbad b;

	pbad_up(&b, idx, 8, 0);
	pdesc(b.q, PW, 0x7fff00000000ULL, 1600, 0, wflag(&b));
	poisoned(&b);
}

#define BOTH(name)							\
static void tx_##name(void) { name##_case(TX); }			\
static void rx_##name(void) { name##_case(RX); }

BOTH(id_range)
BOTH(chain_long)
BOTH(indirect_next)
BOTH(indirect_len)
BOTH(addr_range)

/*
 * The device holds four descriptors (a base taken over with them in
 * flight); the driver makes five available, the last in a slot the device
 * still holds: the ring breaks, after the four that were fine.
 */
static void tx_reoffer_in_flight(void)
{
	struct vhost_vring_state s = { .index = TX };
	struct rig_opts o = { .features = F_EVT, .num = 8,
			      .flags = RIG_PACKED | RIG_IDLE };
	struct vq *q;
	struct rig r;
	u8 *f = big_buf();
	u32 i;

	if (pin_order) {
		CHECK(in_order_offered());
		o.flags |= RIG_IN_ORDER;
	}
	rig_up(&r, &o);
	q = &r.d.vq[TX];
	vq_set_base(q, PW | 4, PW | 0);
	s.num = vq_base(q);
	OK(ioctl(r.d.fd, VHOST_SET_VRING_BASE, &s));
	/*
	 * All five published before the backend starts: a run that began
	 * earlier (SET_BACKEND queues one, tap being writable) could put the
	 * first frames back first, and so make position 0 free again.
	 */
	for (i = 0; i < 5; i++) {
		frame_make(f, FRAME_RAW, 60, r.tag, i);
		tx_post(&r, f, 60, NULL, L_DIRECT);
	}
	rig_start(&r);
	vq_kick(q);
	expect_err(q);
	for (i = 0; i < 4; i++)
		tx_expect(&r, FRAME_RAW, 60, i);
	CHECK(tx_capture(&r, f, QUIET_MS) < 0);
	rx_roundtrip(&r, 60, 10, L_DIRECT);
	free(f);
}

/*
 * Flags of the wrong lap, or of a used descriptor, do not make a
 * descriptor available: no frame, no error. Then the right flags do.
 * tx_post() publishes the chain: its flags are made wrong before the
 * backend starts, or a run that SET_BACKEND queued could take it first.
 */
static void tx_wrong_wrap_ignored(void)
{
	static const u16 wrong[] = { P_USED, P_AVAIL | P_USED, 0 };
	struct rig_opts o = { .features = F_EVT, .flags = RIG_PACKED | RIG_IDLE };
	struct vring_packed_desc *d;
	u8 *buf = big_buf();
	struct vq *q;
	struct rig r;
	int head;
	u32 i;

	if (pin_order) {
		CHECK(in_order_offered());
		o.flags |= RIG_IN_ORDER;
	}
	rig_up(&r, &o);
	q = &r.d.vq[TX];
	frame_make(buf, FRAME_RAW, 60, r.tag, 1);
	head = tx_post(&r, buf, 60, NULL, L_DIRECT);
	d = &q->pring[q->first[head] & (PW - 1)];
	for (i = 0; i < NELEM(wrong); i++) {
		__atomic_store_n(&d->flags, wrong[i], __ATOMIC_RELEASE);
		if (!i)
			rig_start(&r);
		vq_kick(q);
		CHECKF(tx_capture(&r, buf, QUIET_MS) < 0,
		       "flags %#x made a descriptor available in lap 1", wrong[i]);
		CHECK(!fd_wait(q->err, 0));
	}
	vq_publish(q, head);
	vq_kick(q);
	tx_expect(&r, FRAME_RAW, 60, 1);
	tx_reap(&r, 1);
	free(buf);
}

/* Avail at index 1 of lap 2, used at index 1 of lap 1: a full ring. */
#define FULL_BASE	(1u | (PW | 1u) << 16)

/* A base with positions that cannot be: SET_BACKEND refuses it. */
static void base_out_of_range(void)
{
	static const u32 bad[] = {
		PW | 8 | (PW | 0) << 16,	/* avail index past the ring */
		PW | 0 | (PW | 9) << 16,	/* used index past it */
		PW | 1 | 0u << 16,		/* avail a ring and one ahead */
	};
	struct rig_opts o = { .features = F_EVT, .num = 8,
			      .flags = RIG_PACKED | RIG_IDLE };
	struct vhost_vring_state s = { .index = TX };
	struct rig r;
	u32 i;

	rig_up(&r, &o);
	for (i = 0; i < NELEM(bad); i++) {
		s.num = bad[i];
		OK(ioctl(r.d.fd, VHOST_SET_VRING_BASE, &s));
		ERR(vdev_backend(&r.d, TX, r.backend), EINVAL);
	}
	/* Exactly a ring ahead is a full ring: fine. */
	s.num = FULL_BASE;
	OK(ioctl(r.d.fd, VHOST_SET_VRING_BASE, &s));
	OK(vdev_backend(&r.d, TX, r.backend));
	OK(vdev_backend(&r.d, TX, -1));
	s.num = 0;
	OK(ioctl(r.d.fd, VHOST_GET_VRING_BASE, &s));
	CHECKF(s.num == FULL_BASE, "GET_VRING_BASE %#x", s.num);
}

/*
 * Idle, the device asks for kicks in its area: with EVENT_IDX at the
 * driver's next descriptor (DESC, off_wrap), without it by ENABLE.
 */
static void device_area_case(u64 f)
{
	struct rig_opts o = { .features = f, .flags = RIG_PACKED };
	struct vq *q;
	struct rig r;
	u32 i;

	rig_up(&r, &o);
	q = &r.d.vq[TX];
	for (i = 0; i < 3; i++) {
		tx_roundtrip(&r, 60, i, L_CHAINED);
		if (f & BIT(VIRTIO_RING_F_EVENT_IDX)) {
			CHECKF(q->dev->flags == VRING_PACKED_EVENT_FLAG_DESC,
			       "device area flags %u, not DESC", q->dev->flags);
			CHECKF(q->dev->off_wrap == q->pavail,
			       "device area off_wrap %#x, the next descriptor is at %#x",
			       q->dev->off_wrap, q->pavail);
		} else {
			CHECKF(q->dev->flags == VRING_PACKED_EVENT_FLAG_ENABLE,
			       "device area flags %u, not ENABLE", q->dev->flags);
		}
	}
}

static void device_area_event_idx(void)
{
	device_area_case(F_EVT);
}

static void device_area_flags(void)
{
	device_area_case(F_MODERN);
}

static bool page_dirty(const u64 *bits, u64 gpa)
{
	u64 page = gpa / 4096;

	return __atomic_load_n(&bits[page / 64], __ATOMIC_ACQUIRE) & BIT(page % 64);
}

/*
 * The used descriptors are logged after their flags publish them, and
 * the log's eventfd may have fired for the buffers already: wait a while.
 */
static bool page_dirtied(const u64 *bits, u64 gpa)
{
	u64 end = now_ms() + WAIT_MS;

	while (!page_dirty(bits, gpa)) {
		if (now_ms() >= end)
			return false;
		sleep_ms(1);
	}
	return true;
}

/*
 * VHOST_F_LOG_ALL with the ring logged at the device area's address (as
 * QEMU gives it): a received frame dirties its buffers' pages and the
 * descriptor ring's page, where the used descriptors went; a sent frame
 * the ring's page only.
 */
static void dirty_log(void)
{
	struct rig_opts o = { .features = F_LOG, .flags = RIG_PACKED | RIG_IDLE };
	u64 *bits = calloc(LOG_WORDS, sizeof(u64)), base = (uintptr_t)bits;
	struct rig r;
	int efd, i;

	CHECK(bits);
	rig_up(&r, &o);
	efd = OK(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	OK(ioctl(r.d.fd, VHOST_SET_LOG_BASE, &base));
	OK(ioctl(r.d.fd, VHOST_SET_LOG_FD, &efd));
	for (i = RX; i <= TX; i++) {
		struct vq *q = &r.d.vq[i];
		struct vhost_vring_addr a = {
			.index = i,
			.flags = BIT(VHOST_VRING_F_LOG),
			.desc_user_addr = (uintptr_t)q->desc,
			.avail_user_addr = (uintptr_t)q->avail,
			.used_user_addr = (uintptr_t)q->used,
			.log_guest_addr = gpa_of(&r.d.mem, q->used),
		};

		OK(ioctl(r.d.fd, VHOST_SET_VRING_ADDR, &a));
	}
	rig_start(&r);
	rx_roundtrip(&r, 1514, 1, L_DIRECT);
	CHECK(fd_wait(efd, WAIT_MS));
	CHECKF(page_dirtied(bits, gpa_of(&r.d.mem, r.d.vq[RX].desc)),
	       "RX: the descriptor ring's page is not in the log");
	CHECKF(page_dirty(bits, gpa_of(&r.d.mem, r.rx.base)),
	       "RX: the buffer's page is not in the log");
	CHECKF(!page_dirty(bits, gpa_of(&r.d.mem, r.d.vq[TX].desc)),
	       "TX's ring logged before TX ran");
	tx_roundtrip(&r, 1514, 2, L_DIRECT);
	CHECKF(page_dirtied(bits, gpa_of(&r.d.mem, r.d.vq[TX].desc)),
	       "TX: the descriptor ring's page is not in the log");
	CHECKF(!page_dirty(bits, gpa_of(&r.d.mem, r.tx.base)),
	       "TX: a buffer the device only read is in the log");
	close(efd);
	free(bits);
}

/* Each hostile case again, in order. */
#define IN_ORDER(name)							\
static void io_##name(void)						\
{									\
	pin_order = true;						\
	name();								\
}

IN_ORDER(tx_id_range)
IN_ORDER(rx_id_range)
IN_ORDER(tx_chain_long)
IN_ORDER(rx_chain_long)
IN_ORDER(tx_indirect_next)
IN_ORDER(rx_indirect_next)
IN_ORDER(tx_indirect_len)
IN_ORDER(rx_indirect_len)
IN_ORDER(tx_addr_range)
IN_ORDER(rx_addr_range)
IN_ORDER(tx_reoffer_in_flight)
IN_ORDER(tx_wrong_wrap_ignored)

/* A TX frame in one descriptor at @pos with buffer id @id; flags last. */
static void ptx_raw(struct rig *r, u16 pos, u16 id, u32 seq)
{
	u8 *buf = galloc(&r->d.mem, r->hdr + 60, 64);

	memset(buf, 0, r->hdr);
	frame_make(buf + r->hdr, FRAME_RAW, 60, r->tag, seq);
	pdesc(&r->d.vq[TX], pos, gpa_of(&r->d.mem, buf), r->hdr + 60, id, 0);
}

/* Wait for the device to write a used descriptor at @pos. */
static void wait_pused(struct vq *q, u16 pos)
{
	struct vring_packed_desc *d = &q->pring[pos & (PW - 1)];
	u16 want = pos & PW ? P_AVAIL | P_USED : 0;
	u64 end = now_ms() + WAIT_MS;

	while ((__atomic_load_n(&d->flags, __ATOMIC_ACQUIRE) & (P_AVAIL | P_USED)) != want) {
		CHECKF(now_ms() < end, "ring %d: no used descriptor at slot %u",
		       q->idx, pos & (PW - 1));
		sleep_ms(1);
	}
}

static void expect_pused(struct vq *q, u16 pos, u16 id, u32 len)
{
	struct vring_packed_desc *d = &q->pring[pos & (PW - 1)];
	u16 want = pos & PW ? P_AVAIL | P_USED : 0;
	u16 fl = __atomic_load_n(&d->flags, __ATOMIC_ACQUIRE);

	CHECKF((fl & (P_AVAIL | P_USED)) == want && d->id == id && d->len == len,
	       "ring %d slot %u: flags %#x id %u len %u, expected used (%#x) id %u len %u",
	       q->idx, pos & (PW - 1), fl, d->id, d->len, want, id, len);
}

static void expect_pavail(struct vq *q, u16 pos)
{
	u16 fl = q->pring[pos & (PW - 1)].flags;

	CHECKF((fl & (P_AVAIL | P_USED)) == (pos & PW ? P_AVAIL : P_USED),
	       "ring %d slot %u: flags %#x, the device wrote a used descriptor there",
	       q->idx, pos & (PW - 1), fl);
}

/*
 * In order, buffer ids that repeat or skip (5, 5, 2 for three TX frames
 * published before the device starts): the device echoes ids and tracks
 * none, so it neither fails the ring nor trusts them to find its place.
 * The batch comes back as one used descriptor at slot 0 with the id of
 * the chain taken last (2), length 0, the other slots untouched; the
 * next frame (id 5 again) gets its own at slot 3. No err eventfd.
 */
static void io_tx_ids_repeated(void)
{
	static const u16 ids[] = { 5, 5, 2 };
	struct rig_opts o = { .features = F_EVT, .num = 8,
			      .flags = RIG_PACKED | RIG_IDLE | RIG_IN_ORDER };
	struct vq *q;
	struct rig r;
	u32 i;

	if (!in_order_offered())
		return;
	rig_up(&r, &o);
	q = &r.d.vq[TX];
	for (i = 0; i < NELEM(ids); i++)
		ptx_raw(&r, PW | i, ids[i], i);
	rig_start(&r);
	vq_kick(q);
	for (i = 0; i < NELEM(ids); i++)
		tx_expect(&r, FRAME_RAW, 60, i);
	wait_pused(q, PW | 0);
	expect_pused(q, PW | 0, 2, 0);
	expect_pavail(q, PW | 1);
	expect_pavail(q, PW | 2);
	ptx_raw(&r, PW | 3, 5, 3);
	vq_kick(q);
	tx_expect(&r, FRAME_RAW, 60, 3);
	wait_pused(q, PW | 3);
	expect_pused(q, PW | 3, 5, 0);
	CHECK(!fd_wait(q->err, 0));
	rx_roundtrip(&r, 60, 10, L_DIRECT);
}

/*
 * RX in order still writes a used descriptor per buffer: two buffers
 * both given id 4 come back at slots 0 and 1, each with id 4 and its
 * frame's length. No err eventfd.
 */
static void io_rx_ids_repeated(void)
{
	struct rig_opts o = { .features = F_EVT, .num = 8,
			      .flags = RIG_PACKED | RIG_IN_ORDER };
	u8 *buf[2];
	struct vq *q;
	struct rig r;
	u32 i;

	if (!in_order_offered())
		return;
	rig_up(&r, &o);
	q = &r.d.vq[RX];
	for (i = 0; i < 2; i++)
		buf[i] = galloc(&r.d.mem, 2048, 64);
	pdesc(q, PW | 1, gpa_of(&r.d.mem, buf[1]), 2048, 4, VRING_DESC_F_WRITE);
	pdesc(q, PW | 0, gpa_of(&r.d.mem, buf[0]), 2048, 4, VRING_DESC_F_WRITE);
	vq_kick(q);
	for (i = 0; i < 2; i++) {
		rx_inject(&r, FRAME_RAW, 100 + i, 20 + i);
		wait_pused(q, PW | i);
		expect_pused(q, PW | i, 4, r.hdr + 100 + i);
		frame_expect(buf[i] + r.hdr, 100 + i, FRAME_RAW, 100 + i, r.tag, 20 + i);
	}
	CHECK(!fd_wait(q->err, 0));
	tx_roundtrip(&r, 60, 11, L_DIRECT);
}

/*
 * A packed ring may have any size up to 32768: SET_VRING_NUM takes 3,
 * 255, 1000 and 32767 once VIRTIO_F_RING_PACKED is acked. Without it a
 * size that is no power of two stays EINVAL (upstream's rule, for split
 * rings), and so does one when the feature is acked again without
 * packed: a split ring left with such a size cannot start (EFAULT).
 */
static void ring_size_any(void)
{
	static const u32 good[] = { 3, 255, 1000, 32767, 32768 };
	struct rig_opts o = { .features = F_EVT, .num = 8,
			      .flags = RIG_PACKED | RIG_IDLE };
	struct vhost_vring_state s = { .index = TX };
	u64 split = F_EVT;
	struct rig r;
	u32 i;

	rig_up(&r, &o);
	for (i = 0; i < NELEM(good); i++) {
		s.num = good[i];
		OK(ioctl(r.d.fd, VHOST_SET_VRING_NUM, &s));
	}
	s.num = 0;
	ERR(ioctl(r.d.fd, VHOST_SET_VRING_NUM, &s), EINVAL);
	s.num = 32769;
	ERR(ioctl(r.d.fd, VHOST_SET_VRING_NUM, &s), EINVAL);
	s.num = 1000;
	OK(ioctl(r.d.fd, VHOST_SET_VRING_NUM, &s));
	OK(ioctl(r.d.fd, VHOST_SET_FEATURES, &split));
	ERR(vdev_backend(&r.d, TX, r.backend), EFAULT);
	s.num = 255;
	ERR(ioctl(r.d.fd, VHOST_SET_VRING_NUM, &s), EINVAL);
	vdev_close(&r.d);
}

/*
 * Traffic on a packed ring of @num descriptors, no power of two, until
 * the driver's position has gone round the ring at least @laps times:
 * frames in every layout (TX's chained one takes 4 descriptors, more
 * than a ring of 3 has: indirect there), then the ring base back as the
 * driver has it.
 */
static void size_laps(int idx, unsigned int num, unsigned int laps)
{
	struct rig_opts o = { .features = F_EVT, .num = num, .flags = RIG_PACKED };
	struct vhost_vring_state s = { .index = idx };
	unsigned int wraps = 0;
	enum layout l;
	struct vq *q;
	struct rig r;
	u16 before;
	u32 i;

	rig_up(&r, &o);
	q = &r.d.vq[idx];
	for (i = 0; wraps < laps; i++) {
		CHECKF(i < 4 * laps * num, "%u frames and only %u wraps", i, wraps);
		l = i % 3;
		if (idx == TX && l == L_CHAINED && num < 4)
			l = L_INDIRECT;
		before = q->pavail;
		if (idx == TX)
			tx_roundtrip(&r, 60 + i % 1400, i, l);
		else
			rx_roundtrip(&r, 60 + i % 1400, i, l);
		/* A lap flips the wrap counter. */
		wraps += !!((before ^ q->pavail) & PW);
	}
	OK(vdev_backend(&r.d, idx, -1));
	OK(ioctl(r.d.fd, VHOST_GET_VRING_BASE, &s));
	CHECKF(s.num == vq_base(q), "GET_VRING_BASE %#x, the driver has %#x",
	       s.num, vq_base(q));
}

static void tx_size_3(void)
{
	size_laps(TX, 3, 4);
}

static void rx_size_3(void)
{
	size_laps(RX, 3, 4);
}

static void tx_size_255(void)
{
	size_laps(TX, 255, 3);
}

static void rx_size_255(void)
{
	size_laps(RX, 255, 3);
}

const struct vcase packed_cases[] = {
	{ "hostile.tx.buffer_id_out_of_range", tx_id_range },
	{ "hostile.rx.buffer_id_out_of_range", rx_id_range },
	{ "hostile.tx.chain_longer_than_ring", tx_chain_long },
	{ "hostile.rx.chain_longer_than_ring", rx_chain_long },
	{ "hostile.tx.indirect_with_next", tx_indirect_next },
	{ "hostile.rx.indirect_with_next", rx_indirect_next },
	{ "hostile.tx.indirect_len_not_multiple_of_16", tx_indirect_len },
	{ "hostile.rx.indirect_len_not_multiple_of_16", rx_indirect_len },
	{ "hostile.tx.address_out_of_range", tx_addr_range },
	{ "hostile.rx.address_out_of_range", rx_addr_range },
	{ "hostile.tx.reoffer_in_flight", tx_reoffer_in_flight },
	{ "hostile.tx.wrong_wrap_counter_ignored", tx_wrong_wrap_ignored },
	{ "in_order.hostile.tx.buffer_id_out_of_range", io_tx_id_range },
	{ "in_order.hostile.rx.buffer_id_out_of_range", io_rx_id_range },
	{ "in_order.hostile.tx.chain_longer_than_ring", io_tx_chain_long },
	{ "in_order.hostile.rx.chain_longer_than_ring", io_rx_chain_long },
	{ "in_order.hostile.tx.indirect_with_next", io_tx_indirect_next },
	{ "in_order.hostile.rx.indirect_with_next", io_rx_indirect_next },
	{ "in_order.hostile.tx.indirect_len_not_multiple_of_16", io_tx_indirect_len },
	{ "in_order.hostile.rx.indirect_len_not_multiple_of_16", io_rx_indirect_len },
	{ "in_order.hostile.tx.address_out_of_range", io_tx_addr_range },
	{ "in_order.hostile.rx.address_out_of_range", io_rx_addr_range },
	{ "in_order.hostile.tx.reoffer_in_flight", io_tx_reoffer_in_flight },
	{ "in_order.hostile.tx.wrong_wrap_counter_ignored", io_tx_wrong_wrap_ignored },
	{ "in_order.hostile.tx.ids_repeated_one_used_descriptor", io_tx_ids_repeated },
	{ "in_order.hostile.rx.ids_repeated_one_used_each", io_rx_ids_repeated },
	{ "ring_base.out_of_range_refused", base_out_of_range },
	{ "ring_size.not_power_of_two", ring_size_any },
	{ "ring_size.3.tx_laps", tx_size_3 },
	{ "ring_size.3.rx_laps", rx_size_3 },
	{ "ring_size.255.tx_laps", tx_size_255, .timeout = 60 },
	{ "ring_size.255.rx_laps", rx_size_255, .timeout = 60 },
	{ "device_area.event_idx_offset", device_area_event_idx },
	{ "device_area.enable_flag", device_area_flags },
	{ "log.rx_tx_descriptor_ring", dirty_log },
	{ NULL }
};
