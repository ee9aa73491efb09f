// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory map: GPA to HVA through a sorted table and bisection.
 */
#include <kunit/visibility.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/vhost_types.h>

#include "memmap.h"

static int vhn_region_cmp(const void *a, const void *b)
{
	const struct vhn_region *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

/* One region from userspace into ours, or -EFAULT if it cannot be used. */
static int vhn_region_load(struct vhn_region *out,
			   const struct vhost_memory_region *r)
{
	u64 last;

	if (!r->memory_size)
		return -EFAULT;
	if (check_add_overflow(r->guest_phys_addr, r->memory_size - 1, &last))
		return -EFAULT;
	if ((unsigned long)r->userspace_addr != r->userspace_addr ||
	    (unsigned long)r->memory_size != r->memory_size ||
	    !access_ok(u64_to_user_ptr(r->userspace_addr), r->memory_size))
		return -EFAULT;
	out->gpa = r->guest_phys_addr;
	out->last = last;
	out->hva = r->userspace_addr;
	return 0;
}

/**
 * vhn_memmap_create() - build a table from userspace's regions
 * @r: the regions, in any order
 * @nr: how many
 *
 * Upstream accepts overlapping regions; we refuse them, because a GPA
 * with two meanings would make translation depend on search order.
 *
 * Return: the table, or ERR_PTR(-EFAULT) for a bad region, ERR_PTR(-ENOMEM).
 */
struct vhn_memmap *vhn_memmap_create(const struct vhost_memory_region *r,
				     u32 nr)
{
	struct vhn_memmap *map;
	u32 i;
	int err;

	map = kvmalloc(struct_size(map, regions, nr), GFP_KERNEL_ACCOUNT);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map->nr = nr;
	for (i = 0; i < nr; i++) {
		err = vhn_region_load(&map->regions[i], &r[i]);
		if (err)
			goto fail;
	}
	sort(map->regions, nr, sizeof(map->regions[0]), vhn_region_cmp, NULL);
	for (i = 1; i < nr; i++) {
		if (map->regions[i].gpa <= map->regions[i - 1].last) {
			err = -EFAULT;
			goto fail;
		}
	}
	return map;
fail:
	kvfree(map);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_memmap_create);

/**
 * vhn_memmap_from_user() - VHOST_SET_MEM_TABLE's argument into a table
 * @arg: a struct vhost_memory in userspace
 * @max_regions: the most regions allowed
 *
 * Return: the table, or an ERR_PTR: -EFAULT, -EOPNOTSUPP for non-zero
 * padding, -E2BIG for too many regions, -ENOMEM.
 */
struct vhn_memmap *vhn_memmap_from_user(const void __user *arg, u32 max_regions)
{
	const struct vhost_memory __user *um = arg;
	struct vhost_memory_region *r;
	struct vhost_memory hdr;
	struct vhn_memmap *map;

	if (copy_from_user(&hdr, um, sizeof(hdr)))
		return ERR_PTR(-EFAULT);
	if (hdr.padding)
		return ERR_PTR(-EOPNOTSUPP);
	if (hdr.nregions > max_regions)
		return ERR_PTR(-E2BIG);
	r = kvmalloc_array(hdr.nregions, sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(r, um->regions, array_size(hdr.nregions, sizeof(*r))))
		map = ERR_PTR(-EFAULT);
	else
		map = vhn_memmap_create(r, hdr.nregions);
	kvfree(r);
	return map;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_memmap_from_user);

/**
 * vhn_memmap_free() - free a table once no RCU reader can see it
 * @map: the table, or NULL
 */
void vhn_memmap_free(struct vhn_memmap *map)
{
	if (map)
		kvfree_rcu(map, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_memmap_free);

/**
 * vhn_memmap_lookup() - the region holding @gpa
 * @map: the table, or NULL for none
 * @gpa: a guest-physical address
 *
 * Return: the region, or NULL if @gpa is in no region.
 */
const struct vhn_region *vhn_memmap_lookup(const struct vhn_memmap *map,
					   u64 gpa)
{
	return map ? vhn_memmap_find(map, gpa) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_memmap_lookup);

/**
 * vhn_memmap_translate() - a guest buffer as userspace iovecs
 * @map: the table
 * @gpa: the buffer's guest-physical address
 * @len: its length
 * @iov: where the pieces go
 * @iov_max: room in @iov
 *
 * A buffer may cross from one region into the next: each region gives
 * one piece.
 *
 * Return: the number of pieces, -EFAULT if part of the buffer is in no
 * region, -ENOBUFS if it needs more than @iov_max pieces.
 */
int vhn_memmap_translate(const struct vhn_memmap *map, u64 gpa, u64 len,
			 struct iovec *iov, int iov_max)
{
	const struct vhn_region *r;
	u64 last, piece;
	int n = 0;

	if (!len)
		return 0;
	if (check_add_overflow(gpa, len - 1, &last))
		return -EFAULT;
	for (;;) {
		r = vhn_memmap_lookup(map, gpa);
		if (!r)
			return -EFAULT;
		if (n == iov_max)
			return -ENOBUFS;
		/* Bytes from gpa to the end of the buffer or of the region. */
		piece = min(last, r->last) - gpa + 1;
		iov[n].iov_base = u64_to_user_ptr(r->hva + (gpa - r->gpa));
		iov[n].iov_len = piece;
		n++;
		if (min(last, r->last) == last)
			return n;
		gpa = r->last + 1;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vhn_memmap_translate);
