// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile guest cases: descriptor loops, indices and addresses out of
 * range, nested indirect tables, an avail index that jumps, zero and
 * 4 GiB lengths, rings that vanish. Each expects the err eventfd, then
 * checks that the device's other ring and another device still work and
 * that the device still closes promptly. Every wait is bounded.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rig.h"

#define F_EVT		(F_MODERN | BIT(VIRTIO_RING_F_EVENT_IDX))
#define FAR_GPA		0x7fff00000000ULL	/* not in the memory table */

struct bad {
	struct rig r;
	struct vq *q;
	u8 *buf;	/* 4 KiB of valid guest memory */
	u64 buf_gpa;
};

static void bad_up(struct bad *b, int idx, unsigned int num)
{
	struct rig_opts o = { .features = F_EVT, .num = num };

	rig_up(&b->r, &o);
	b->q = &b->r.d.vq[idx];
	b->buf = galloc(&b->r.d.mem, 4096, 4096);
	b->buf_gpa = gpa_of(&b->r.d.mem, b->buf);
	/* RX only looks at its ring when a frame waits */
	if (idx == RX)
		rx_inject(&b->r, FRAME_RAW, 60, 1);
}

static u16 wflag(const struct bad *b)
{
	return b->q->idx == RX ? VRING_DESC_F_WRITE : 0;
}

static void set_desc(struct vring_desc *d, u64 addr, u32 len,
		     u16 flags, u16 next)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

/* Publish head, kick, then expect the err eventfd and a working remainder. */
static void poisoned(struct bad *b, u16 head)
{
	struct rig *r = &b->r;
	int other = b->q->idx == RX ? TX : RX;
	u64 t;

	vq_publish_raw(b->q, head);
	vq_kick(b->q);
	expect_err(b->q);
	CHECKF(vq_used_idx(b->q) == 0, "ring %d: the device used a bad buffer",
	       b->q->idx);
	if (other == TX)
		tx_roundtrip(r, 1514, 100, L_CHAINED);
	else
		rx_roundtrip(r, 1514, 100, L_CHAINED);
	alive(F_MODERN);
	t = now_ms();
	vdev_close(&r->d);
	CHECKF(now_ms() - t < WAIT_MS, "close took %llu ms",
	       (unsigned long long)(now_ms() - t));
}

static void loop_case(int idx)
{
	struct bad b;

	bad_up(&b, idx, 256);
	set_desc(&b.q->desc[0], b.buf_gpa, 64, wflag(&b) | VRING_DESC_F_NEXT, 1);
	set_desc(&b.q->desc[1], b.buf_gpa, 64, wflag(&b) | VRING_DESC_F_NEXT, 0);
	poisoned(&b, 0);
}

static void head_range_case(int idx)
{
	struct bad b;

	bad_up(&b, idx, 256);
	poisoned(&b, 256 + 5);
}

static void next_range_case(int idx)
{
	struct bad b;

	bad_up(&b, idx, 256);
	set_desc(&b.q->desc[0], b.buf_gpa, 64, wflag(&b) | VRING_DESC_F_NEXT, 300);
	poisoned(&b, 0);
}

static void addr_range_case(int idx)
{
	struct bad b;

	bad_up(&b, idx, 256);
	set_desc(&b.q->desc[0], FAR_GPA, 1600, wflag(&b), 0);
	poisoned(&b, 0);
}

static void len_case(int idx, u32 len)
{
	struct bad b;

	bad_up(&b, idx, 256);
	set_desc(&b.q->desc[0], b.buf_gpa, len, wflag(&b), 0);
	poisoned(&b, 0);
}

static void indirect_nested_case(int idx)
{
	struct vring_desc *t;
	struct bad b;

	bad_up(&b, idx, 256);
	t = (void *)b.buf;
	set_desc(&t[0], b.buf_gpa + 1024, 32, VRING_DESC_F_INDIRECT, 0);
	set_desc(&t[64], b.buf_gpa + 2048, 1600, wflag(&b), 0);
	set_desc(&t[65], b.buf_gpa + 2048, 1600, wflag(&b), 0);
	set_desc(&b.q->desc[0], b.buf_gpa, 16, VRING_DESC_F_INDIRECT, 0);
	poisoned(&b, 0);
}

static void indirect_len(int idx, u32 len)
{
	struct vring_desc *t;
	struct bad b;

	bad_up(&b, idx, 256);
	t = (void *)b.buf;
	set_desc(&t[0], b.buf_gpa + 2048, 1600, wflag(&b), 0);
	set_desc(&b.q->desc[0], b.buf_gpa, len, VRING_DESC_F_INDIRECT, 0);
	poisoned(&b, 0);
}

static void indirect_loop_case(int idx)
{
	struct vring_desc *t;
	struct bad b;

	bad_up(&b, idx, 256);
	t = (void *)b.buf;
	set_desc(&t[0], b.buf_gpa + 2048, 64, wflag(&b) | VRING_DESC_F_NEXT, 1);
	set_desc(&t[1], b.buf_gpa + 2048, 64, wflag(&b) | VRING_DESC_F_NEXT, 0);
	set_desc(&b.q->desc[0], b.buf_gpa, 32, VRING_DESC_F_INDIRECT, 0);
	poisoned(&b, 0);
}

/* The avail index moves by more than the ring size. */
static void avail_jump_case(int idx)
{
	struct bad b;

	bad_up(&b, idx, 256);
	set_desc(&b.q->desc[0], b.buf_gpa, 1600, wflag(&b), 0);
	b.q->avail->ring[0] = 0;
	b.q->avail_idx = 256 + 1;
	poisoned(&b, 0);	/* publishes one more: 258 in all */
}

/* A buffer of the wrong direction: writable on TX, read-only on RX. */
static void wrong_direction_case(int idx)
{
	struct bad b;

	bad_up(&b, idx, 256);
	set_desc(&b.q->desc[0], b.buf_gpa, 1600, wflag(&b) ^ VRING_DESC_F_WRITE, 0);
	poisoned(&b, 0);
}

/* TX: a device-readable descriptor after a writable one. */
static void tx_out_after_in(void)
{
	struct bad b;

	bad_up(&b, TX, 256);
	set_desc(&b.q->desc[0], b.buf_gpa, 12, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	set_desc(&b.q->desc[1], b.buf_gpa + 64, 60, 0, 0);
	poisoned(&b, 0);
}

/* A chain of 1100 descriptors: more than the 1024 iovecs vhost has. */
static void tx_long_chain(void)
{
	struct bad b;
	int i;

	bad_up(&b, TX, 2048);
	for (i = 0; i < 1100; i++)
		set_desc(&b.q->desc[i], b.buf_gpa + (i % 64) * 64, i ? 1 : 12,
			 i + 1 < 1100 ? VRING_DESC_F_NEXT : 0, i + 1);
	poisoned(&b, 0);
}

/* tx_NAME() and rx_NAME(): NAME_case() on each ring. */
#define BOTH(name)							\
static void tx_##name(void) { name##_case(TX); }			\
static void rx_##name(void) { name##_case(RX); }

BOTH(loop)
BOTH(head_range)
BOTH(next_range)
BOTH(addr_range)
BOTH(indirect_nested)
BOTH(indirect_loop)
BOTH(avail_jump)
BOTH(wrong_direction)

static void tx_len0(void)
{
	len_case(TX, 0);
}

static void rx_len0(void)
{
	len_case(RX, 0);
}

static void tx_len4g(void)
{
	len_case(TX, 0xffffffff);
}

static void rx_len4g(void)
{
	len_case(RX, 0xffffffff);
}

static void tx_indirect_len_odd(void)
{
	indirect_len(TX, 24);
}

static void tx_indirect_len4g(void)
{
	indirect_len(TX, 0xfffffff0);
}

static void rx_indirect_len4g(void)
{
	indirect_len(RX, 0xfffffff0);
}

/* The used ring turns read-only under traffic: err, and no hang. */
static void used_readonly(void)
{
	struct rig_opts o = { .features = F_MODERN };
	struct rig r;
	struct vq *q;

	rig_up(&r, &o);
	q = &r.d.vq[TX];
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	OK(mprotect(q->used, 4096, PROT_READ));
	tx_send(&r, FRAME_RAW, 60, 2, L_DIRECT);
	expect_err(q);
	OK(mprotect(q->used, 4096, PROT_READ | PROT_WRITE));
	rx_roundtrip(&r, 60, 3, L_DIRECT);
	alive(F_MODERN);
}

/* The descriptor table is unmapped under traffic. */
static void desc_unmapped(void)
{
	struct rig r;
	struct vq *q;

	rig_quick(&r, F_EVT);
	q = &r.d.vq[TX];
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	tx_send(&r, FRAME_RAW, 60, 2, L_DIRECT);
	tx_reap(&r, 1);
	OK(munmap(q->desc, 4096));
	vq_publish_raw(q, 0);
	vq_kick(q);
	expect_err(q);
	rx_roundtrip(&r, 60, 3, L_DIRECT);
	alive(F_MODERN);
}

/* The memory table loses the buffers' region, then gets it back. */
static void mem_swap_empty(void)
{
	struct rig r;

	rig_quick(&r, F_EVT);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	OK(vdev_mem_table(r.d.fd, NULL, 0));
	tx_send(&r, FRAME_RAW, 60, 2, L_DIRECT);
	expect_err(&r.d.vq[TX]);
	CHECK(tx_capture(&r, big_buf(), QUIET_MS) < 0);
	vdev_map_all(&r.d);
	vq_kick(&r.d.vq[TX]);
	tx_expect(&r, FRAME_RAW, 60, 2);
	tx_reap(&r, 1);
}

/* A kick storm on an empty ring, and kicks with no backend, do nothing. */
static void kick_storm(void)
{
	struct rig r;
	int i;

	rig_quick(&r, F_EVT);
	for (i = 0; i < 2000; i++) {
		vq_kick(&r.d.vq[TX]);
		vq_kick(&r.d.vq[RX]);
	}
	OK(vdev_backend(&r.d, TX, -1));
	for (i = 0; i < 200; i++)
		vq_kick(&r.d.vq[TX]);
	OK(vdev_backend(&r.d, TX, r.backend));
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	CHECK(!fd_wait(r.d.vq[TX].err, 0));
}

const struct vcase hostile_cases[] = {
	{ "hostile.tx.descriptor_loop", tx_loop },
	{ "hostile.rx.descriptor_loop", rx_loop },
	{ "hostile.tx.head_out_of_range", tx_head_range },
	{ "hostile.rx.head_out_of_range", rx_head_range },
	{ "hostile.tx.next_out_of_range", tx_next_range },
	{ "hostile.rx.next_out_of_range", rx_next_range },
	{ "hostile.tx.address_out_of_range", tx_addr_range },
	{ "hostile.rx.address_out_of_range", rx_addr_range },
	{ "hostile.tx.indirect_in_indirect", tx_indirect_nested },
	{ "hostile.rx.indirect_in_indirect", rx_indirect_nested },
	{ "hostile.tx.indirect_loop", tx_indirect_loop },
	{ "hostile.rx.indirect_loop", rx_indirect_loop },
	{ "hostile.tx.indirect_len_not_multiple_of_16", tx_indirect_len_odd },
	{ "hostile.tx.indirect_len_4g", tx_indirect_len4g },
	{ "hostile.rx.indirect_len_4g", rx_indirect_len4g },
	{ "hostile.tx.avail_idx_jumps_past_ring", tx_avail_jump },
	{ "hostile.rx.avail_idx_jumps_past_ring", rx_avail_jump },
	{ "hostile.tx.len_0", tx_len0 },
	{ "hostile.rx.len_0", rx_len0 },
	{ "hostile.tx.len_4g", tx_len4g },
	{ "hostile.rx.len_4g", rx_len4g },
	{ "hostile.tx.writable_descriptor", tx_wrong_direction },
	{ "hostile.rx.read_only_descriptor", rx_wrong_direction },
	{ "hostile.tx.readable_after_writable", tx_out_after_in },
	{ "hostile.tx.chain_longer_than_iov_limit", tx_long_chain },
	{ "hostile.used_ring_read_only", used_readonly },
	{ "hostile.descriptor_table_unmapped", desc_unmapped },
	{ "hostile.mem_table_emptied_under_traffic", mem_swap_empty },
	{ "hostile.kick_storm", kick_storm },
	{ NULL }
};
