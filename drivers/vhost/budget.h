/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fairness: a queue gives the worker back after a budget of packets or
 * bytes, so that one flooding guest or queue cannot keep it to itself.
 */
#ifndef VHN_BUDGET_H
#define VHN_BUDGET_H

#include <linux/types.h>

/* Per run of one queue. Bytes bound big frames, packets small ones. */
#define VHN_BUDGET_PKTS		256
#define VHN_BUDGET_BYTES	0x80000

/**
 * struct vhn_budget - what one run of a queue has spent so far
 * @pkts: packets
 * @bytes: bytes
 */
struct vhn_budget {
	u32 pkts;
	u64 bytes;
};

/**
 * vhn_budget_spend() - account a packet and tell whether the run must end
 * @b: the run's budget
 * @bytes: the packet's length
 *
 * Return: true once either limit is reached; the caller then requeues its
 * work and returns, so other work on the worker gets its turn.
 */
static inline bool vhn_budget_spend(struct vhn_budget *b, size_t bytes)
{
	b->pkts++;
	b->bytes += bytes;
	return b->pkts >= VHN_BUDGET_PKTS || b->bytes >= VHN_BUDGET_BYTES;
}

#endif /* VHN_BUDGET_H */
