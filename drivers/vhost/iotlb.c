// SPDX-License-Identifier: GPL-2.0
/*
 * The IOTLB itself: IOVA ranges mapped to userspace addresses with a
 * permission, kept in an interval tree, plus the small by-value cache each
 * queue keeps in front of it. Entries may overlap, as upstream allows; a
 * lookup takes the entry covering the address that starts lowest (the
 * oldest of those starting at the same IOVA), which is what upstream's
 * tree walk answers too, so both translate the same way whatever
 * userspace sends.
 */
#include <kunit/visibility.h>
#include <linux/interval_tree_generic.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/vhost_types.h>

#include "iotlb.h"

#define VHN_START(e)	((e)->start)
#define VHN_LAST(e)	((e)->last)

INTERVAL_TREE_DEFINE(struct vhn_iotlb_entry, rb, u64, subtree_last,
		     VHN_START, VHN_LAST, static inline, vhn_itree);

/**
 * vhn_iotlb_alloc() - an empty IOTLB
 * @limit: the most entries it will hold, at least 1
 *
 * Return: the IOTLB, or NULL without memory.
 */
struct vhn_iotlb *vhn_iotlb_alloc(unsigned int limit)
{
	struct vhn_iotlb *tlb = kzalloc(sizeof(*tlb), GFP_KERNEL_ACCOUNT);

	if (!tlb)
		return NULL;
	tlb->root = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&tlb->fifo);
	spin_lock_init(&tlb->lock);
	tlb->limit = limit;
	return tlb;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_alloc);

static void vhn_iotlb_unlink(struct vhn_iotlb *tlb, struct vhn_iotlb_entry *e)
{
	spin_lock(&tlb->lock);
	vhn_itree_remove(e, &tlb->root);
	spin_unlock(&tlb->lock);
	list_del(&e->fifo);
	tlb->nr--;
	tlb->gen++;
}

/* Fill @e with the mapping and put it in the tree and the FIFO. */
static void vhn_iotlb_link(struct vhn_iotlb *tlb, struct vhn_iotlb_entry *e,
			   u64 start, u64 last, u64 hva, u32 perm)
{
	e->start = start;
	e->last = last;
	e->hva = hva;
	e->perm = perm;
	spin_lock(&tlb->lock);
	vhn_itree_insert(e, &tlb->root);
	spin_unlock(&tlb->lock);
	list_add_tail(&e->fifo, &tlb->fifo);
	tlb->nr++;
}

/**
 * vhn_iotlb_free() - free an IOTLB and its entries
 * @tlb: the IOTLB, or NULL
 */
void vhn_iotlb_free(struct vhn_iotlb *tlb)
{
	struct vhn_iotlb_entry *e, *n;

	if (!tlb)
		return;
	list_for_each_entry_safe(e, n, &tlb->fifo, fifo)
		kfree(e);
	kfree(tlb);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_free);

/**
 * vhn_iotlb_add() - map [@start, @last] to @hva
 * @tlb: the IOTLB
 * @start: first IOVA
 * @last: last IOVA, inclusive, not below @start
 * @hva: userspace address of @start
 * @perm: VHOST_ACCESS_* bits
 *
 * At the limit the oldest entry makes room, as upstream's
 * VHOST_IOTLB_FLAG_RETIRE does: a guest that maps more than the limit
 * gets misses again for its oldest mappings, never an error.
 *
 * Return: 0, -EFAULT if @last is below @start, -ENOMEM.
 */
int vhn_iotlb_add(struct vhn_iotlb *tlb, u64 start, u64 last, u64 hva,
		  u32 perm)
{
	struct vhn_iotlb_entry *e;

	if (last < start)
		return -EFAULT;
	if (tlb->nr >= tlb->limit) {
		e = list_first_entry(&tlb->fifo, struct vhn_iotlb_entry, fifo);
		vhn_iotlb_unlink(tlb, e);
	} else {
		e = kmalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
		if (!e)
			return -ENOMEM;
	}
	vhn_iotlb_link(tlb, e, start, last, hva, perm);
	tlb->gen++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_add);

/**
 * vhn_iotlb_add_quick() - vhn_iotlb_add(), if it changes no translation
 * @tlb: the IOTLB, with the device mutex held (not the vq mutexes)
 * @start: first IOVA
 * @last: last IOVA, inclusive, not below @start
 * @hva: userspace address of @start
 * @perm: VHOST_ACCESS_* bits
 *
 * An entry that overlaps none and evicts none only makes addresses that
 * missed translate: what a queue translated or cached stays true, so it
 * goes in under the tree's lock while the workers run. One that an entry
 * already covers with the same translation and permission changes
 * nothing and is not added (upstream would hold a duplicate).
 *
 * Return: 0, -EAGAIN if the entry needs vhn_iotlb_add() with the queues
 * stopped, -EFAULT if @last is below @start, -ENOMEM.
 */
int vhn_iotlb_add_quick(struct vhn_iotlb *tlb, u64 start, u64 last, u64 hva,
			u32 perm)
{
	struct vhn_iotlb_entry *e;

	if (last < start)
		return -EFAULT;
	/* Only writers change the tree, and they hold the device mutex. */
	e = vhn_itree_iter_first(&tlb->root, start, last);
	/*
	 * The same translation again (two MISSes for one page, each
	 * answered): nothing to add. Any other overlap is a change.
	 */
	if (e && e->start <= start && last <= e->last && e->perm == perm &&
	    e->hva + (start - e->start) == hva)
		return 0;
	if (e || tlb->nr >= tlb->limit)
		return -EAGAIN;
	e = kmalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return -ENOMEM;
	vhn_iotlb_link(tlb, e, start, last, hva, perm);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_add_quick);

/**
 * vhn_iotlb_del() - drop every entry overlapping [@start, @last]
 * @tlb: the IOTLB
 * @start: first IOVA
 * @last: last IOVA
 *
 * An entry is dropped when it starts at or before @last and ends at or
 * after @start. That is upstream's test too, also when @last is below
 * @start (an INVALIDATE whose iova + size - 1 wrapped, or of size 0).
 *
 * Return: how many entries were dropped.
 */
unsigned int vhn_iotlb_del(struct vhn_iotlb *tlb, u64 start, u64 last)
{
	struct vhn_iotlb_entry *e;
	unsigned int n = 0;

	while ((e = vhn_itree_iter_first(&tlb->root, start, last))) {
		vhn_iotlb_unlink(tlb, e);
		kfree(e);
		n++;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_del);

/**
 * vhn_iotlb_mapped_locked() - does an entry cover @iova?
 * @tlb: the IOTLB, with @tlb->lock held
 * @iova: the address
 *
 * Return: true if a translation of @iova would not miss.
 */
bool vhn_iotlb_mapped_locked(struct vhn_iotlb *tlb, u64 iova)
{
	lockdep_assert_held(&tlb->lock);
	return vhn_itree_iter_first(&tlb->root, iova, iova);
}

/**
 * vhn_iotlb_find() - the entry that translates @iova
 * @tlb: the IOTLB
 * @c: a queue's cache, or NULL
 * @iova: the address
 *
 * Return: the entry, or NULL if none covers @iova. A pointer into @c is
 * valid only until the next call with @c.
 */
const struct vhn_iotlb_entry *vhn_iotlb_find(struct vhn_iotlb *tlb,
					     struct vhn_iotlb_cache *c,
					     u64 iova)
{
	struct vhn_iotlb_entry *e;
	unsigned int i;

	if (c && c->gen == tlb->gen) {
		for (i = 0; i < VHN_IOTLB_CACHE; i++) {
			e = &c->e[i];
			if (e->start <= iova && iova <= e->last)
				return e;
		}
	} else if (c) {
		/* An empty slot covers nothing: start above last. */
		for (i = 0; i < VHN_IOTLB_CACHE; i++) {
			c->e[i].start = 1;
			c->e[i].last = 0;
		}
		c->gen = tlb->gen;
	}
	spin_lock(&tlb->lock);
	e = vhn_itree_iter_first(&tlb->root, iova, iova);
	spin_unlock(&tlb->lock);
	/* Safe after the unlock: entries are freed with the queues stopped. */
	if (!e || !c)
		return e;
	c->next = (c->next + 1) % VHN_IOTLB_CACHE;
	c->e[c->next].start = e->start;
	c->e[c->next].last = e->last;
	c->e[c->next].hva = e->hva;
	c->e[c->next].perm = e->perm;
	return &c->e[c->next];
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_find);

/**
 * vhn_iotlb_translate() - translate [@iova, @iova + @len) into iovecs
 * @tlb: the IOTLB
 * @c: the queue's cache, or NULL
 * @iova: first IOVA
 * @len: bytes, at least 1
 * @access: VHOST_ACCESS_RO to read the buffer, VHOST_ACCESS_WO to write
 *	    it, VHOST_ACCESS_RW for both
 * @iov: where the pieces go; pieces contiguous in userspace are merged
 * @iov_max: room in @iov
 * @miss: set to the first address with no mapping, for -EAGAIN
 *
 * Return: the number of iovecs, -EAGAIN if part of the range has no
 * mapping, -EPERM if a mapping does not allow @access, -ENOBUFS if @iov
 * is too small, -EFAULT if the range wraps past the end of the IOVA
 * space or a mapping past the end of the userspace address space.
 */
int vhn_iotlb_translate(struct vhn_iotlb *tlb, struct vhn_iotlb_cache *c,
			u64 iova, u64 len, u32 access, struct iovec *iov,
			int iov_max, u64 *miss)
{
	const struct vhn_iotlb_entry *e;
	u64 hva, step;
	int n = 0;

	if (!len || iova + len - 1 < iova)
		return -EFAULT;
	while (len) {
		e = vhn_iotlb_find(tlb, c, iova);
		if (!e) {
			*miss = iova;
			return -EAGAIN;
		}
		/* VHOST_ACCESS_RW (a packed ring) needs both. */
		if ((e->perm & access) != access)
			return -EPERM;
		/* e->last - iova + 1 overflows for a mapping of everything. */
		step = e->last - iova >= len - 1 ? len : e->last - iova + 1;
		hva = e->hva + (iova - e->start);
		if (hva < e->hva || hva + step - 1 < hva ||
		    hva + step - 1 > ULONG_MAX)
			return -EFAULT;
		if (n && (u64)(unsigned long)iov[n - 1].iov_base +
			 iov[n - 1].iov_len == hva) {
			iov[n - 1].iov_len += step;
		} else {
			if (n >= iov_max)
				return -ENOBUFS;
			iov[n].iov_base = (void __user *)(unsigned long)hva;
			iov[n].iov_len = step;
			n++;
		}
		iova += step;
		len -= step;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_translate);
