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
 */
static void tx_wrong_wrap_ignored(void)
{
	static const u16 wrong[] = { P_USED, P_AVAIL | P_USED, 0 };
	struct rig_opts o = { .features = F_EVT, .flags = RIG_PACKED };
	struct vring_packed_desc *d;
	u8 *buf = big_buf();
	struct vq *q;
	struct rig r;
	int head;
	u32 i;

	rig_up(&r, &o);
	q = &r.d.vq[TX];
	frame_make(buf, FRAME_RAW, 60, r.tag, 1);
	head = tx_post(&r, buf, 60, NULL, L_DIRECT);
	d = &q->pring[q->first[head] & (PW - 1)];
	for (i = 0; i < NELEM(wrong); i++) {
		__atomic_store_n(&d->flags, wrong[i], __ATOMIC_RELEASE);
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
	{ "ring_base.out_of_range_refused", base_out_of_range },
	{ "device_area.event_idx_offset", device_area_event_idx },
	{ "device_area.enable_flag", device_area_flags },
	{ "log.rx_tx_descriptor_ring", dirty_log },
	{ NULL }
};
