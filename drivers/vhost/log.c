// SPDX-License-Identifier: GPL-2.0
/*
 * The dirty log: while QEMU migrates a guest, every guest page the device
 * writes must be marked in a bitmap in QEMU's memory (bit N for the 4 KiB
 * page at guest-physical N * 4096, in unsigned longs of host byte order,
 * as QEMU reads it), or the copy on the destination misses the write.
 *
 * The device writes guest memory in two places: received frames (the
 * writable descriptors of RX chains, recorded while the chain is walked)
 * and the used ring (entries, used->idx, used->flags, avail_event), which
 * is logged only when userspace gave its guest address with
 * VHOST_VRING_F_LOG. TX only reads guest buffers.
 */
#include <kunit/visibility.h>
#include <linux/eventfd.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>

#include "compat.h"
#include "log.h"
#include "dev.h"
#include "memmap.h"
#include "vq.h"

/* One bit of the bitmap per guest page of this size. */
#define VHN_LOG_PAGE	VHOST_PAGE_SIZE

/**
 * vhn_log_access_ok() - may the bits for a guest range be written?
 * @base: the bitmap in userspace
 * @gpa: first guest-physical byte of the range
 * @len: its length; 0 is always fine
 *
 * Return: true if every bitmap byte covering the range is a user address.
 */
bool vhn_log_access_ok(void __user *base, u64 gpa, u64 len)
{
	unsigned long b = (unsigned long)base;
	u64 first, last;

	if (!len)
		return true;
	if (gpa + len - 1 < gpa)
		return false;
	first = gpa / VHN_LOG_PAGE / 8;
	last = (gpa + len - 1) / VHN_LOG_PAGE / 8;
	if (last > ULONG_MAX - b)	/* first <= last */
		return false;
	return access_ok((void __user *)(b + first), last - first + 1);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_log_access_ok);

/**
 * vhn_log_ring_ok() - can a used ring be logged into @base?
 * @base: a bitmap in userspace
 * @log_addr: the ring's guest-physical address
 * @num: its size
 *
 * Return: true if the bits of every byte of the ring the device writes,
 * avail_event included, are user addresses.
 */
bool vhn_log_ring_ok(void __user *base, u64 log_addr, unsigned int num)
{
	return vhn_log_access_ok(base, log_addr, sizeof(struct vring_used) +
				 (u64)num * sizeof(struct vring_used_elem) +
				 sizeof(__virtio16));
}
EXPORT_SYMBOL_IF_KUNIT(vhn_log_ring_ok);

/* Can @vq's used ring be logged into @base (or is it not logged)? */
static bool vhn_log_used_ok(const struct vhn_vq *vq, void __user *base)
{
	/* With the IOTLB log_addr is an IOVA and never used (vhn_log_used()). */
	return !vq->log_used || vq->dev->iotlb.tlb || vhn_log_ring_ok(base, vq->log_addr, vq->num);
}

/**
 * vhn_log_vq_ok() - can everything @vq would log go into @base?
 * @vq: the virtqueue, with its mutex held
 * @base: a bitmap in userspace
 * @map: the memory table to check, or NULL for none
 * @log_all: whether to check @map, as with VHOST_F_LOG_ALL acked
 *
 * Return: true if the used ring (when logged) and, with @log_all, every
 * region of @map have their bits at user addresses.
 */
bool vhn_log_vq_ok(const struct vhn_vq *vq, void __user *base,
		   const struct vhn_memmap *map, bool log_all)
{
	u32 i;

	if (!vhn_log_used_ok(vq, base))
		return false;
	if (!log_all || !map)
		return true;
	for (i = 0; i < map->nr; i++) {
		const struct vhn_region *r = &map->regions[i];

		if (!vhn_log_access_ok(base, r->gpa, r->last - r->gpa + 1))
			return false;
	}
	return true;
}

/**
 * vhn_log_bit_byte() - which byte set_bit() changes
 * @nr: the bit number set_bit() is given
 * @big_endian: the host stores longs most significant byte first
 *
 * set_bit() works on unsigned longs in host order, as QEMU reads the
 * bitmap. On a big-endian host bit 0 of a long is in its last byte, so
 * the byte to check before setting a bit is not simply @nr / 8.
 *
 * Return: the offset of that byte from the start of the bitmap passed to
 * set_bit(); the bit within it is @nr % 8.
 */
unsigned long vhn_log_bit_byte(unsigned long nr, bool big_endian)
{
	unsigned long in_word = (nr % BITS_PER_LONG) / BITS_PER_BYTE;

	if (big_endian)
		in_word = sizeof(long) - 1 - in_word;
	return BIT_WORD(nr) * sizeof(long) + in_word;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_log_bit_byte);

/*
 * Set the bit of one guest page. The page of the bitmap is pinned only if
 * the bit is clear: a page written twice between two of QEMU's passes is
 * logged once. The caller ordered its guest writes before this read.
 */
static int vhn_log_page(void __user *base, u64 page)
{
	unsigned long addr = (unsigned long)base + page / 8;
	unsigned long nr = offset_in_page(addr) * 8 + page % 8;
	unsigned long byte_at = (addr & PAGE_MASK) +
		vhn_log_bit_byte(nr, IS_ENABLED(CONFIG_CPU_BIG_ENDIAN));
	struct page *pg;
	void *kaddr;
	u8 byte;

	if (get_user(byte, (u8 __user *)byte_at))
		return -EFAULT;
	if (byte & BIT(nr % 8))
		return 0;
	if (pin_user_pages_fast(addr, 1, FOLL_WRITE, &pg) != 1)
		return -EFAULT;
	kaddr = kmap_local_page(pg);
	/* Atomic: QEMU clears bits while we set others in the same word. */
	set_bit(nr, kaddr);
	kunmap_local(kaddr);
	unpin_user_pages_dirty_lock(&pg, 1, true);
	return 0;
}

static int vhn_log_range(struct vhn_vq *vq, u64 gpa, u64 len)
{
	u64 page, last;
	int r;

	if (!len)
		return 0;
	if (gpa + len - 1 < gpa)
		return -EFAULT;
	last = (gpa + len - 1) / VHN_LOG_PAGE;
	for (page = gpa / VHN_LOG_PAGE; page <= last; page++) {
		r = vhn_log_page(vq->log_base, page);
		if (r)
			return r;
	}
	return 0;
}

/*
 * With the IOTLB the device knows the userspace address it wrote, not the
 * guest's: find the GPAs through the memory table, every region that maps
 * the address (two GPAs may alias one page). The table is looked up anew
 * for each region, as logging a page may sleep and RCU may not.
 */
static int vhn_log_hva(struct vhn_vq *vq, u64 hva, u64 len)
{
	const struct vhn_memmap *map;
	const struct vhn_region *reg;
	u64 gpa = 0, l = 0, step, end;
	bool found, hit;
	u32 i;
	int r;

	while (len) {
		step = len;
		hit = false;
		i = 0;
		for (;;) {
			found = false;
			rcu_read_lock();
			map = rcu_dereference(vq->dev->mem);
			for (; map && i < map->nr && !found; i++) {
				reg = &map->regions[i];
				end = reg->hva + (reg->last - reg->gpa);
				if (hva < reg->hva || hva > end)
					continue;
				found = true;
				gpa = reg->gpa + (hva - reg->hva);
				l = end - hva >= len - 1 ? len : end - hva + 1;
			}
			rcu_read_unlock();
			if (!found)
				break;
			r = vhn_log_range(vq, gpa, l);
			if (r)
				return r;
			hit = true;
			step = min(step, l);
		}
		if (!hit)
			return -EFAULT;
		hva += step;
		len -= step;
	}
	return 0;
}

static void vhn_log_done(struct vhn_vq *vq)
{
	if (vq->log_ctx)
		vhn_eventfd_signal(vq->log_ctx);
}

/**
 * vhn_log_used() - log writes to the used ring
 * @vq: the virtqueue, after the writes
 * @w: what was written
 * @n: how many pieces: one barrier and one signal cover them all
 *
 * Does nothing unless userspace asked for the used ring to be logged.
 *
 * Return: 0, or -EFAULT if the bitmap cannot be written.
 */
int vhn_log_used(struct vhn_vq *vq, const struct vhn_used_write *w,
		 unsigned int n)
{
	unsigned int i;
	int r;

	if (!vq->log_used)
		return 0;
	/* The ring writes must be visible before a bit is read. */
	smp_mb();
	for (i = 0; i < n; i++) {
		/* With the IOTLB vq->used is the ring's userspace address. */
		if (vq->dev->iotlb.tlb)
			r = vhn_log_hva(vq, (unsigned long)vq->used + w[i].offset,
					w[i].len);
		else
			r = vhn_log_range(vq, vq->log_addr + w[i].offset,
					  w[i].len);
		if (r)
			return r;
	}
	vhn_log_done(vq);
	return 0;
}

/**
 * vhn_log_chains() - log what was written into the chains just taken
 * @vq: the virtqueue; vq->dirty holds the writable descriptors of the
 *	chains, in order, as vhn_ring_get() recorded them
 * @written: bytes written into them, from the first on
 *
 * Return: 0, or -EFAULT if the bitmap cannot be written.
 */
int vhn_log_chains(struct vhn_vq *vq, u64 written)
{
	unsigned int i;
	u64 len;
	int r;

	/* The frame must be visible in guest memory before a bit is read. */
	smp_mb();
	for (i = 0; i < vq->ndirty && written; i++) {
		len = min(vq->dirty[i].len, written);
		if (vq->dev->iotlb.tlb)
			r = vhn_log_hva(vq, vq->dirty[i].gpa, len);
		else
			r = vhn_log_range(vq, vq->dirty[i].gpa, len);
		if (r)
			return r;
		written -= len;
	}
	vhn_log_done(vq);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_log_chains);

/**
 * vhn_log_write() - log ring writes given by userspace address
 * @vq: the virtqueue, after the writes
 * @w: what was written: userspace addresses in the gpa fields, as the
 *     IOTLB's records in vq->dirty
 * @n: how many pieces; one barrier and one signal cover them all
 *
 * For the used descriptors of a packed ring, which are not at the
 * address userspace gave for the used ring's log: the memory table finds
 * their guest addresses, in every region that maps them.
 *
 * Return: 0, or -EFAULT if the bitmap cannot be written.
 */
int vhn_log_write(struct vhn_vq *vq, const struct vhn_dirty *w, unsigned int n)
{
	unsigned int i;
	int r;

	/* The ring writes must be visible before a bit is read. */
	smp_mb();
	for (i = 0; i < n; i++) {
		r = vhn_log_hva(vq, w[i].gpa, w[i].len);
		if (r)
			return r;
	}
	vhn_log_done(vq);
	return 0;
}
