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

/* Binary search for the region holding @gpa; inline for the datapath. */
static __always_inline const struct vhn_region *
vhn_memmap_find(const struct vhn_memmap *map, u64 gpa)
{
	u32 lo = 0, hi = map->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		const struct vhn_region *r = &map->regions[mid];

		if (gpa < r->gpa)
			hi = mid;
		else if (gpa > r->last)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

struct vhn_memmap *vhn_memmap_create(const struct vhost_memory_region *r,
				     u32 nr);
struct vhn_memmap *vhn_memmap_from_user(const void __user *arg, u32 max_regions);
void vhn_memmap_free(struct vhn_memmap *map);
const struct vhn_region *vhn_memmap_lookup(const struct vhn_memmap *map,
					   u64 gpa);
int vhn_memmap_translate(const struct vhn_memmap *map, u64 gpa, u64 len,
			 struct iovec *iov, int iov_max);

/**
 * vhn_memmap_translate_fast() - vhn_memmap_translate(), one region inline
 * @map: the table
 * @gpa: the buffer's guest-physical address
 * @len: its length
 * @iov: where the pieces go
 * @iov_max: room in @iov
 *
 * A frame's buffer almost always lies in one region: that case costs no
 * call; anything else (several regions, no region, no room, 0 bytes)
 * takes the general path.
 *
 * Return: as vhn_memmap_translate().
 */
static __always_inline int
vhn_memmap_translate_fast(const struct vhn_memmap *map, u64 gpa, u64 len,
			  struct iovec *iov, int iov_max)
{
	const struct vhn_region *r = vhn_memmap_find(map, gpa);

	if (likely(r && len && iov_max > 0 && len - 1 <= r->last - gpa)) {
		iov->iov_base = u64_to_user_ptr(r->hva + (gpa - r->gpa));
		iov->iov_len = len;
		return 1;
	}
	return vhn_memmap_translate(map, gpa, len, iov, iov_max);
}

#endif /* VHN_MEMMAP_H */
