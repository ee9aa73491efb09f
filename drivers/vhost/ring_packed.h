/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Position arithmetic for packed virtqueues (virtio 1.1, 2.8). A position
 * is a ring index in bits 0-14 and the wrap counter that goes with it in
 * bit 15: the form of the event suppression areas' off_wrap, and of each
 * half of VHOST_{SET,GET}_VRING_BASE as QEMU uses them.
 *
 * For distances a position is turned into a phase: the index plus num
 * while the wrap counter is 0. A ring starts with the counter at 1, so
 * the phase counts descriptors modulo 2 * num, and the usual modular
 * arithmetic applies with that modulus instead of 2^16. A packed ring
 * may have any size up to 32768 (the spec asks no power of two), so
 * the modulus is no mask: each step moves by less than two laps, and one
 * compare and add or subtract brings it back.
 */
#ifndef VHN_RING_PACKED_H
#define VHN_RING_PACKED_H

#include <linux/types.h>
#include <linux/virtio_ring.h>

#define VHN_PACKED_WRAP		BIT(VRING_PACKED_EVENT_F_WRAP_CTR)
#define VHN_PACKED_IDX		(VHN_PACKED_WRAP - 1)

/* @num is the ring size, 1 to 32768; @pos's index is below it. */
static __always_inline unsigned int vhn_packed_phase(u16 pos, unsigned int num)
{
	return (pos & VHN_PACKED_IDX) + (pos & VHN_PACKED_WRAP ? 0 : num);
}

/* @x, in [-2 * num, 4 * num), modulo 2 * num. */
static __always_inline unsigned int vhn_packed_mod(int x, unsigned int num)
{
	int m = 2 * num;

	if (x < 0)
		x += m;
	else if (x >= m)
		x -= m;
	return x;
}

/* The position of @phase, in [0, 2 * num). */
static __always_inline u16 vhn_packed_pos(unsigned int phase, unsigned int num)
{
	return phase >= num ? phase - num : (phase | VHN_PACKED_WRAP);
}

/* The position @n descriptors after @pos (or before it, for n < 0). */
static __always_inline u16 vhn_packed_move(u16 pos, int n, unsigned int num)
{
	/* |n| <= 2 * num: a move is never more than a ring (or a lap). */
	return vhn_packed_pos(vhn_packed_mod(vhn_packed_phase(pos, num) + n, num),
			      num);
}

/*
 * How many descriptors @to is ahead of @from, in [0, 2 * num). Inline:
 * GCC called it, twice a chain (benchmarks.rst).
 */
static __always_inline unsigned int vhn_packed_dist(u16 to, u16 from, unsigned int num)
{
	return vhn_packed_mod((int)vhn_packed_phase(to, num) -
			      (int)vhn_packed_phase(from, num), num);
}

/**
 * vhn_packed_need_event() - did moving from @old to @new pass @off_wrap?
 * @off_wrap: the position the other side asked to be told about
 * @new_pos: the position after the update
 * @old_pos: the position before it
 * @num: ring size
 *
 * The packed form of vhn_need_event(): the window [@old_pos, @new_pos)
 * is taken modulo 2 * num, so the test holds across a wrap of the ring
 * and tells the two laps apart by their wrap counters.
 *
 * Return: true if a notification is needed.
 */
static inline bool vhn_packed_need_event(u16 off_wrap, u16 new_pos,
					 u16 old_pos, unsigned int num)
{
	int ev = vhn_packed_phase(off_wrap, num);
	int nw = vhn_packed_phase(new_pos, num);
	int od = vhn_packed_phase(old_pos, num);

	/* An offset past the ring names no descriptor: signal, to be safe. */
	if ((off_wrap & VHN_PACKED_IDX) >= num)
		return true;
	return vhn_packed_mod(nw - ev - 1, num) < vhn_packed_mod(nw - od, num);
}

/*
 * Is a descriptor with @flags available to a device whose avail wrap
 * counter is @wrap? Its AVAIL bit must equal the counter and its USED bit
 * differ from it (2.8.1).
 */
static __always_inline bool vhn_packed_avail(u16 flags, bool wrap)
{
	return !!(flags & BIT(VRING_PACKED_DESC_F_AVAIL)) == wrap &&
	       !!(flags & BIT(VRING_PACKED_DESC_F_USED)) != wrap;
}

/* The flags of a used descriptor written with used wrap counter @wrap. */
static __always_inline u16 vhn_packed_used_flags(bool wrap)
{
	return wrap ? BIT(VRING_PACKED_DESC_F_AVAIL) |
		      BIT(VRING_PACKED_DESC_F_USED) : 0;
}

#endif /* VHN_RING_PACKED_H */
