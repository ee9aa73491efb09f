/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory map: the regions set by VHOST_SET_MEM_TABLE, translating
 * guest-physical addresses (GPA) to addresses in the owner's mm (HVA).
 */
#ifndef VHN_MEMMAP_H
#define VHN_MEMMAP_H

#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/uio.h>

struct vhost_memory_region;

/**
 * struct vhn_region - one guest memory region
 * @gpa: first guest-physical address
 * @last: last guest-physical address, inclusive (so a region may end at
 *	  U64_MAX without overflow)
 * @hva: userspace address that @gpa maps to
 */
struct vhn_region {
	u64 gpa;
	u64 last;
	u64 hva;
};

/**
 * struct vhn_memmap - an immutable memory table
 * @rcu: frees the table once no reader can see it
 * @nr: number of regions
 * @regions: the regions, sorted by @gpa and disjoint
 *
 * A table is never changed once published: a new SET_MEM_TABLE builds a
 * new table, publishes it with rcu_assign_pointer() and frees the old one
 * after a grace period, so the worker never sees a half-updated table.
 */
struct vhn_memmap {
	struct rcu_head rcu;
	u32 nr;
	struct vhn_region regions[] __counted_by(nr);
};

struct vhn_memmap *vhn_memmap_create(const struct vhost_memory_region *r,
				     u32 nr);
struct vhn_memmap *vhn_memmap_from_user(const void __user *arg, u32 max_regions);
void vhn_memmap_free(struct vhn_memmap *map);
const struct vhn_region *vhn_memmap_lookup(const struct vhn_memmap *map,
					   u64 gpa);
int vhn_memmap_translate(const struct vhn_memmap *map, u64 gpa, u64 len,
			 struct iovec *iov, int iov_max);

#endif /* VHN_MEMMAP_H */
