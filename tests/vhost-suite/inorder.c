// SPDX-License-Identifier: GPL-2.0
/*
 * VIRTIO_F_IN_ORDER on the split ring, and on the packed ring with
 * --ring packed: the guest driver takes descriptors in ring order and
 * reads used entries the in-order way (vring.c), so that a device
 * writing one entry (one used descriptor) for a batch is understood. The
 * datapath runs with it (TX, RX, mergeable, indirect, event index,
 * calls; the dirty log is in log.c), a TX batch is checked to come back
 * as one entry, and a guest that breaks the order is tolerated.
 * Upstream's 6.12 and 6.1 do not offer the bit: there every case checks
 * that it is refused (deliberate difference, tests.rst).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rig.h"

#define F_EVT	(F_MODERN | BIT(VIRTIO_RING_F_EVENT_IDX))
#define F_MRG	(F_EVT | BIT(VIRTIO_NET_F_MRG_RXBUF))
#define POISON	0xdeadbeef

/*
 * VIRTIO_F_IN_ORDER: ours offers it; upstream's 6.12 and 6.1 do not
 * (deliberate difference, tests.rst). On upstream this checks that the bit
 * is neither offered nor accepted, and says the case can go no further.
 */
bool in_order_offered(void)
{
	int fd = vhost_open();
	u64 f;

	OK(ioctl(fd, VHOST_GET_FEATURES, &f));
	if (target_is_ours()) {
		CHECKF(f & BIT(VIRTIO_F_IN_ORDER), "VIRTIO_F_IN_ORDER not offered: %#llx",
		       (unsigned long long)f);
		close(fd);
		return true;
	}
	CHECKF(!(f & BIT(VIRTIO_F_IN_ORDER)), "upstream offers VIRTIO_F_IN_ORDER");
	f = F_MODERN | BIT(VIRTIO_F_IN_ORDER);
	ERR(ioctl(fd, VHOST_SET_FEATURES, &f), EOPNOTSUPP);
	close(fd);
	diag("upstream has no VIRTIO_F_IN_ORDER: checked that it is refused");
	return false;
}

static bool io_up(struct rig *r, u64 f, unsigned int flags, unsigned int num)
{
	struct rig_opts o = { .features = f, .flags = flags | RIG_IN_ORDER, .num = num };

	if (!in_order_offered())
		return false;
	rig_up(r, &o);
	return true;
}

static void io_tx(u64 f, size_t len, enum layout l)
{
	struct rig r;
	u32 seq;

	if (!io_up(&r, f, 0, 256))
		return;
	for (seq = 1; seq <= 3; seq++) {
		tx_send(&r, FRAME_RAW, len, seq, l);
		tx_expect(&r, FRAME_RAW, len, seq);
		tx_reap(&r, 1);
		expect_call(&r.d.vq[TX], true);
	}
}

static void io_rx(u64 f, size_t len, enum layout l, size_t bufsz, int want_nb)
{
	size_t nbuf = (len + 12 + bufsz - 1) / bufsz + 1;
	struct rig r;
	u32 seq;
	int nb;

	if (!io_up(&r, f, 0, nbuf * 2 > 256 ? 1024 : 256))
		return;
	for (seq = 1; seq <= 3; seq++) {
		rx_post(&r, l, bufsz, nbuf);
		rx_inject(&r, FRAME_RAW, len, seq);
		rx_expect(&r, FRAME_RAW, len, seq, &nb);
		CHECKF(nb == want_nb, "num_buffers %d, expected %d", nb, want_nb);
		expect_call(&r.d.vq[RX], true);
	}
}

static void tx_60_direct(void)
{
	io_tx(F_MODERN, 60, L_DIRECT);
}

static void tx_1514_chained(void)
{
	io_tx(F_EVT, 1514, L_CHAINED);
}

static void tx_9000_indirect(void)
{
	io_tx(F_MRG, 9000, L_INDIRECT);
}

static void rx_1514_direct(void)
{
	io_rx(F_MODERN, 1514, L_DIRECT, 1600, 1);
}

static void rx_1514_chained(void)
{
	io_rx(F_EVT, 1514, L_CHAINED, 1600, 1);
}

static void rx_9000_indirect(void)
{
	io_rx(F_EVT, 9000, L_INDIRECT, 9100, 1);
}

static void rx_mrg_1514(void)
{
	io_rx(F_MRG, 1514, L_DIRECT, 256, 6);
}

static void rx_mrg_9000_indirect(void)
{
	io_rx(F_MRG, 9000, L_INDIRECT, 256, 36);
}

/* Calls only when asked, with the event index or the flag. */
static void calls(u64 f, int idx)
{
	struct vq *q;
	struct rig r;
	u32 seq;

	if (!io_up(&r, f, 0, 256))
		return;
	q = &r.d.vq[idx];
	for (seq = 1; seq <= 3; seq++) {
		vq_want_calls(q, seq != 2);
		if (idx == TX)
			tx_roundtrip(&r, 60, seq, L_DIRECT);
		else
			rx_roundtrip(&r, 60, seq, L_DIRECT);
		expect_call(q, seq != 2);
	}
}

static void tx_event_idx(void)
{
	calls(F_EVT, TX);
}

static void rx_event_idx(void)
{
	calls(F_MRG, RX);
}

static void tx_no_interrupt(void)
{
	calls(F_MODERN, TX);
}

static void rx_no_interrupt(void)
{
	calls(F_MODERN, RX);
}

/* 200 chained frames on a 16-entry ring: descriptors wrap, buffers reused. */
static void tx_ring_full(void)
{
	struct rig r;
	u32 i;

	if (!io_up(&r, F_EVT, 0, 16))
		return;
	for (i = 0; i < 200; i++)
		tx_send(&r, FRAME_RAW, 1514, i, L_CHAINED);
	for (i = 0; i < 200; i++)
		tx_expect(&r, FRAME_RAW, 1514, i);
	tx_reap(&r, 200);
}

static void rx_burst(void)
{
	struct rig r;
	u32 i;

	if (!io_up(&r, F_MRG, 0, 256))
		return;
	rx_post(&r, L_DIRECT, 2048, 128);
	for (i = 0; i < 100; i++)
		rx_inject(&r, FRAME_RAW, 60 + i * 14, i);
	for (i = 0; i < 100; i++)
		rx_expect(&r, FRAME_RAW, 60 + i * 14, i, NULL);
}

/*
 * The packed ring's one used descriptor for the batch is at the first
 * frame's slot, 0: the last id, length 0, flagged used in the first lap.
 * Every other chain's first slot is as we made it available.
 */
static void one_packed_desc(struct vq *q, int head)
{
	struct vring_packed_desc d = q->pring[0];
	u16 used = BIT(VRING_PACKED_DESC_F_AVAIL) | BIT(VRING_PACKED_DESC_F_USED);
	u16 pos = pos_move(PW, q->ndesc[q->pid[0]], q->num), id;

	CHECKF(d.id == head && d.len == 0 && (d.flags & used) == used,
	       "slot 0: id %u len %u flags %#x, expected the last id %d, 0 and used",
	       d.id, d.len, d.flags, head);
	while (pos != q->pavail) {
		id = q->pid[pos & (PW - 1)];
		d = q->pring[pos & (PW - 1)];
		CHECKF(d.id == id && d.flags == q->first_flags[id],
		       "slot %u written: id %u flags %#x, made available as id %u flags %#x",
		       pos & (PW - 1), d.id, d.flags, id, q->first_flags[id]);
		pos = pos_move(pos, q->ndesc[id], q->num);
	}
}

/*
 * 32 frames, all published before the device starts, go out in order,
 * and come back as one used entry: the last frame's head, length 0, at
 * slot 0, with used->idx at 32 and no other slot written.
 */
static void tx_one_entry(void)
{
	struct rig r;
	struct vq *q;
	u8 *f = big_buf();
	int head = -1;
	u32 i;

	if (!io_up(&r, F_EVT, RIG_IDLE, 256))
		return;
	q = &r.d.vq[TX];
	for (i = 0; i < q->num && !q->packed; i++)
		q->used->ring[i] = (struct vring_used_elem){ POISON, POISON };
	for (i = 0; i < 32; i++) {
		frame_make(f, FRAME_RAW, 60, r.tag, i);
		head = tx_post(&r, f, 60, NULL, i % 3);
	}
	rig_start(&r);
	vq_kick(q);
	for (i = 0; i < 32; i++)
		tx_expect(&r, FRAME_RAW, 60, i);
	CHECKF(vq_wait_used(q, 32, WAIT_MS), "%u used, expected 32",
	       (u16)(vq_used_idx(q) - q->last_used));
	if (q->packed) {
		one_packed_desc(q, head);
	} else {
		CHECKF(q->used->ring[0].id == (u32)head && q->used->ring[0].len == 0,
		       "slot 0: id %u len %u, expected the last head %d and 0",
		       q->used->ring[0].id, q->used->ring[0].len, head);
		for (i = 1; i < q->num; i++)
			CHECKF(q->used->ring[i].id == POISON, "slot %u written (id %u)", i,
			       q->used->ring[i].id);
	}
	tx_reap(&r, 32);
	CHECK(vq_used_idx(q) == 32);
	free(f);
}

/* A TX buffer laid out by hand, not published. */
static int tx_unpublished(struct rig *r, u32 seq)
{
	struct seg s;

	s.len = r->hdr + 60;
	s.p = galloc(&r->d.mem, s.len, 64);
	memset(s.p, 0, r->hdr);
	frame_make((u8 *)s.p + r->hdr, FRAME_RAW, 60, r->tag, seq);
	return vq_add(&r->d.vq[TX], &s, 1, NULL, 0, false);
}

/*
 * A guest that acked IN_ORDER but publishes its TX heads out of order
 * (third, first, second): tolerated. Every head is checked as always, so
 * the device sends the frames in the order published and puts one entry
 * for the batch with the head it took last; only the guest's idea of
 * which buffers came back is wrong, its own affair. No ring breaks, and
 * the device's other queue and another device work.
 */
static void tx_heads_out_of_order(void)
{
	static const u32 order[3] = { 2, 0, 1 };
	struct rig r;
	struct vq *q;
	int h[3];
	u32 i;

	if (!io_up(&r, F_EVT, RIG_IDLE, 256))
		return;
	q = &r.d.vq[TX];
	for (i = 0; i < 3; i++)
		h[i] = tx_unpublished(&r, i);
	for (i = 0; i < 3; i++)
		vq_publish_raw(q, h[order[i]]);
	rig_start(&r);
	vq_kick(q);
	for (i = 0; i < 3; i++)
		tx_expect(&r, FRAME_RAW, 60, order[i]);
	CHECKF(vq_wait_used(q, 3, WAIT_MS), "%u used, expected 3",
	       (u16)(vq_used_idx(q) - q->last_used));
	CHECKF(q->used->ring[0].id == (u32)h[order[2]],
	       "slot 0: id %u, expected the head taken last, %d",
	       q->used->ring[0].id, h[order[2]]);
	CHECKF(!fd_wait(q->err, QUIET_MS), "the ring broke");
	rx_roundtrip(&r, 1514, 10, L_CHAINED);
	alive(F_MODERN);
}

/*
 * The same on RX: each buffer gets its own entry, with its real head and
 * length, in the order the buffers were published.
 */
static void rx_heads_out_of_order(void)
{
	struct seg s[2];
	struct rig r;
	struct vq *q;
	int h[2];
	u32 i;

	if (!io_up(&r, F_MRG, 0, 256))
		return;
	q = &r.d.vq[RX];
	for (i = 0; i < 2; i++) {
		s[i].len = 2048;
		s[i].p = galloc(&r.d.mem, s[i].len, 64);
		h[i] = vq_add(q, NULL, 0, &s[i], 1, false);
	}
	vq_publish_raw(q, h[1]);
	vq_publish_raw(q, h[0]);
	vq_kick(q);
	rx_inject(&r, FRAME_RAW, 100, 1);
	rx_inject(&r, FRAME_RAW, 200, 2);
	CHECKF(vq_wait_used(q, 2, WAIT_MS), "%u used, expected 2",
	       (u16)(vq_used_idx(q) - q->last_used));
	CHECKF(q->used->ring[0].id == (u32)h[1] && q->used->ring[0].len == r.hdr + 100,
	       "slot 0: id %u len %u, expected %d and %zu", q->used->ring[0].id,
	       q->used->ring[0].len, h[1], r.hdr + 100);
	CHECKF(q->used->ring[1].id == (u32)h[0] && q->used->ring[1].len == r.hdr + 200,
	       "slot 1: id %u len %u, expected %d and %zu", q->used->ring[1].id,
	       q->used->ring[1].len, h[0], r.hdr + 200);
	frame_expect((u8 *)s[1].p + r.hdr, 100, FRAME_RAW, 100, r.tag, 1);
	frame_expect((u8 *)s[0].p + r.hdr, 200, FRAME_RAW, 200, r.tag, 2);
	CHECKF(!fd_wait(q->err, QUIET_MS), "the ring broke");
	tx_roundtrip(&r, 1514, 10, L_CHAINED);
	alive(F_MODERN);
}

const struct vcase inorder_cases[] = {
	{ "in_order.tx.60.direct", tx_60_direct },
	{ "in_order.tx.1514.chained.event_idx", tx_1514_chained },
	{ "in_order.tx.9000.indirect.mrg", tx_9000_indirect },
	{ "in_order.tx.batch_is_one_used_entry", tx_one_entry },
	{ "in_order.tx.ring_full.200_chained_on_16", tx_ring_full },
	{ "in_order.tx.event_idx.call_only_when_asked", tx_event_idx },
	{ "in_order.tx.no_interrupt_flag.call_only_when_asked", tx_no_interrupt },
	{ "in_order.rx.1514.direct", rx_1514_direct },
	{ "in_order.rx.1514.chained.event_idx", rx_1514_chained },
	{ "in_order.rx.9000.indirect.event_idx", rx_9000_indirect },
	{ "in_order.rx.mrg_256.1514", rx_mrg_1514 },
	{ "in_order.rx.mrg_256.9000.indirect", rx_mrg_9000_indirect },
	{ "in_order.rx.burst_100", rx_burst },
	{ "in_order.rx.event_idx.call_only_when_asked", rx_event_idx },
	{ "in_order.rx.no_interrupt_flag.call_only_when_asked", rx_no_interrupt },
	/* A packed ring's order is its descriptors': none to break. */
	{ "in_order.hostile.tx.heads_out_of_order", tx_heads_out_of_order, .split_only = true },
	{ "in_order.hostile.rx.heads_out_of_order", rx_heads_out_of_order, .split_only = true },
	{ NULL }
};
