/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fairness: a queue gives the worker back after a budget of packets,
 * bytes or descriptors, so that one flooding guest or queue cannot keep
 * it to itself.
 */
#ifndef VHN_BUDGET_H
#define VHN_BUDGET_H

#include <linux/minmax.h>
#include <linux/types.h>

/*
 * Per run of one queue. Bytes bound big frames, packets small ones, and
 * descriptors the frames a guest spreads over many (zero-length) ones: an
 * honest frame takes at most a few dozen, so 256 of them stay far below.
 */
#define VHN_BUDGET_PKTS		256
#define VHN_BUDGET_BYTES	0x80000
#define VHN_BUDGET_DESCS	8192

/**
 * struct vhn_budget - what one run of a queue has spent so far
 * @pkts: packets
 * @bytes: bytes
 * @descs: descriptors walked, frames given back or dropped included
 */
struct vhn_budget {
	u32 pkts;
	u64 bytes;
	u32 descs;
};

/**
 * vhn_budget_spend() - account a packet and tell whether the run must end
 * @b: the run's budget
 * @bytes: the packet's length
 * @descs: descriptors walked for it
 *
 * Every pass of a run's loop spends it, whether a frame moved or not
 * (a dropped frame, chains given back), so no loop can go on for ever.
 *
 * Return: true once any limit is reached; the caller then requeues its
 * work and returns, so other work on the worker gets its turn.
 */
static inline bool vhn_budget_spend(struct vhn_budget *b, size_t bytes,
				    unsigned int descs)
{
	b->pkts++;
	b->bytes += bytes;
	b->descs += min_t(unsigned int, descs, VHN_BUDGET_DESCS);
	return b->pkts >= VHN_BUDGET_PKTS || b->bytes >= VHN_BUDGET_BYTES ||
	       b->descs >= VHN_BUDGET_DESCS;
}

#endif /* VHN_BUDGET_H */
