// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the IOTLB's interval tree and per-queue cache. Lookups of
 * overlapping entries (the lowest start wins, the oldest on a tie, as
 * upstream's tree answers), upstream's overlap rule for deletion, eviction
 * of the oldest entry at the limit, translation into merged iovecs with
 * permissions and misses, a cache that goes stale when a translation
 * changes, and the quick add that changes none.
 * Host addresses are only numbers: nothing is dereferenced.
 */
#include <kunit/test.h>
#include <linux/uio.h>
#include <linux/vhost_types.h>

#include "../../drivers/vhost/iotlb.h"
#include "compat.h"

#define T_HVA	0x10000000ULL

static void t_free(void *tlb)
{
	vhn_iotlb_free(tlb);
}

static struct vhn_iotlb *t_tlb(struct kunit *test, unsigned int limit)
{
	struct vhn_iotlb *tlb = vhn_iotlb_alloc(limit);

	KUNIT_ASSERT_NOT_NULL(test, tlb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_free, tlb), 0);
	return tlb;
}

static u64 t_hva(const struct vhn_iotlb_entry *e, u64 iova)
{
	return e->hva + (iova - e->start);
}

static void iotlb_find_overlaps(struct kunit *test)
{
	struct vhn_iotlb *tlb = t_tlb(test, 16);
	const struct vhn_iotlb_entry *e;

	KUNIT_ASSERT_EQ(test, vhn_iotlb_add(tlb, 0x1000, 0x1fff, T_HVA, 3), 0);
	KUNIT_ASSERT_EQ(test, vhn_iotlb_add(tlb, 0x0, 0x3fff, T_HVA + 0x100000, 1), 0);
	KUNIT_ASSERT_EQ(test, vhn_iotlb_add(tlb, 0x1000, 0x1fff, T_HVA + 0x200000, 2), 0);
	KUNIT_EXPECT_EQ(test, tlb->nr, 3U);
	/* The lowest start covering the address: [0, 0x3fff]. */
	e = vhn_iotlb_find(tlb, NULL, 0x1800);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->start, 0ULL);
	KUNIT_EXPECT_EQ(test, t_hva(e, 0x1800), T_HVA + 0x101800);
	KUNIT_EXPECT_NULL(test, vhn_iotlb_find(tlb, NULL, 0x4000));
	/* Without it, the oldest of the two starting at 0x1000. */
	KUNIT_EXPECT_EQ(test, vhn_iotlb_del(tlb, 0x2000, 0x2000), 1U);
	e = vhn_iotlb_find(tlb, NULL, 0x1800);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->perm, 3U);
	KUNIT_EXPECT_NULL(test, vhn_iotlb_find(tlb, NULL, 0x800));
}

static void iotlb_del_rule(struct kunit *test)
{
	struct vhn_iotlb *tlb = t_tlb(test, 16);

	KUNIT_ASSERT_EQ(test, vhn_iotlb_add(tlb, 0x10000, 0x1ffff, T_HVA, 3), 0);
	KUNIT_ASSERT_EQ(test, vhn_iotlb_add(tlb, 0x30000, 0x3ffff, T_HVA, 3), 0);
	/* Size 0 at 0x50000: last is below start, nothing spans it. */
	KUNIT_EXPECT_EQ(test, vhn_iotlb_del(tlb, 0x50000, 0x4ffff), 0U);
	/* Size 0 inside an entry: upstream's rule drops that entry. */
	KUNIT_EXPECT_EQ(test, vhn_iotlb_del(tlb, 0x15000, 0x14fff), 1U);
	KUNIT_EXPECT_EQ(test, tlb->nr, 1U);
	/* A range that touches one byte of it. */
	KUNIT_EXPECT_EQ(test, vhn_iotlb_del(tlb, 0x3ffff, 0x40000), 1U);
	KUNIT_EXPECT_EQ(test, tlb->nr, 0U);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_add(tlb, 2, 1, T_HVA, 3), -EFAULT);
}

static void iotlb_evicts_oldest(struct kunit *test)
{
	struct vhn_iotlb *tlb = t_tlb(test, 3);
	u64 i;

	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_EQ(test, vhn_iotlb_add(tlb, i << 12, (i << 12) + 0xfff,
						    T_HVA, 3), 0);
	KUNIT_EXPECT_EQ(test, tlb->nr, 3U);
	KUNIT_EXPECT_NULL(test, vhn_iotlb_find(tlb, NULL, 0x0));
	KUNIT_EXPECT_NULL(test, vhn_iotlb_find(tlb, NULL, 0x1000));
	KUNIT_EXPECT_NOT_NULL(test, vhn_iotlb_find(tlb, NULL, 0x2000));
	KUNIT_EXPECT_NOT_NULL(test, vhn_iotlb_find(tlb, NULL, 0x4fff));
}

static void iotlb_translate(struct kunit *test)
{
	struct vhn_iotlb *tlb = t_tlb(test, 16);
	struct iovec iov[4];
	u64 miss = 0;

	/* Two pages contiguous in HVA, then one that is not. */
	vhn_iotlb_add(tlb, 0x1000, 0x1fff, T_HVA, VHOST_ACCESS_RW);
	vhn_iotlb_add(tlb, 0x2000, 0x2fff, T_HVA + 0x1000, VHOST_ACCESS_RW);
	vhn_iotlb_add(tlb, 0x3000, 0x3fff, T_HVA + 0x9000, VHOST_ACCESS_RO);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x1800, 0x1000,
						  VHOST_ACCESS_WO, iov, 4, &miss), 1);
	KUNIT_EXPECT_EQ(test, (u64)(unsigned long)iov[0].iov_base, T_HVA + 0x800);
	KUNIT_EXPECT_EQ(test, iov[0].iov_len, 0x1000UL);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x1800, 0x2000,
						  VHOST_ACCESS_RO, iov, 4, &miss), 2);
	KUNIT_EXPECT_EQ(test, iov[1].iov_len, 0x800UL);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x1800, 0x2000,
						  VHOST_ACCESS_RO, iov, 1, &miss), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x1800, 0x2000,
						  VHOST_ACCESS_WO, iov, 4, &miss), -EPERM);
	/* Read and write (a packed ring's descriptors): both bits needed. */
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x1800, 0x1000,
						  VHOST_ACCESS_RW, iov, 4, &miss), 1);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x1800, 0x2000,
						  VHOST_ACCESS_RW, iov, 4, &miss), -EPERM);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x3000, 0x10,
						  VHOST_ACCESS_RW, iov, 4, &miss), -EPERM);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x3800, 0x1000,
						  VHOST_ACCESS_RO, iov, 4, &miss), -EAGAIN);
	KUNIT_EXPECT_EQ(test, miss, 0x4000ULL);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, U64_MAX, 2,
						  VHOST_ACCESS_RO, iov, 4, &miss), -EFAULT);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x1000, 0,
						  VHOST_ACCESS_RO, iov, 4, &miss), -EFAULT);
}

static void iotlb_whole_space(struct kunit *test)
{
	struct vhn_iotlb *tlb = t_tlb(test, 16);
	struct iovec iov[2];
	u64 miss;

	KUNIT_ASSERT_EQ(test, vhn_iotlb_add(tlb, 0, U64_MAX, 0, VHOST_ACCESS_RW), 0);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, 0x1000, 64,
						  VHOST_ACCESS_RO, iov, 2, &miss), 1);
	KUNIT_EXPECT_EQ(test, (u64)(unsigned long)iov[0].iov_base, 0x1000ULL);
	/* Past the user address space is refused, not wrapped. */
	KUNIT_EXPECT_EQ(test, vhn_iotlb_translate(tlb, NULL, U64_MAX - 10, 4,
						  VHOST_ACCESS_RO, iov, 2, &miss),
			BITS_PER_LONG == 64 ? 1 : -EFAULT);
}

static void iotlb_cache_goes_stale(struct kunit *test)
{
	struct vhn_iotlb *tlb = t_tlb(test, 16);
	struct vhn_iotlb_cache c = { .gen = U64_MAX };
	const struct vhn_iotlb_entry *e;

	vhn_iotlb_add(tlb, 0x1000, 0x1fff, T_HVA, 3);
	e = vhn_iotlb_find(tlb, &c, 0x1234);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, t_hva(e, 0x1234), T_HVA + 0x234);
	/* A hit comes from the cache, same answer. */
	e = vhn_iotlb_find(tlb, &c, 0x1fff);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, t_hva(e, 0x1fff), T_HVA + 0xfff);
	/* Remapped: the cached copy must not answer. */
	vhn_iotlb_del(tlb, 0x1000, 0x1fff);
	KUNIT_EXPECT_NULL(test, vhn_iotlb_find(tlb, &c, 0x1234));
	vhn_iotlb_add(tlb, 0x1000, 0x1fff, T_HVA + 0x5000, 3);
	e = vhn_iotlb_find(tlb, &c, 0x1234);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, t_hva(e, 0x1234), T_HVA + 0x5234);
	/* A new entry starting lower wins over a cached one. */
	vhn_iotlb_add(tlb, 0x0, 0x1fff, T_HVA + 0x80000, 1);
	e = vhn_iotlb_find(tlb, &c, 0x1234);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->perm, 1U);
}

/*
 * An entry that overlaps none and evicts none goes in quickly, leaving
 * the cache valid (no generation change); anything else is refused with
 * -EAGAIN, for the slow path with the queues stopped.
 */
static void iotlb_add_quick(struct kunit *test)
{
	struct vhn_iotlb *tlb = t_tlb(test, 3);
	struct vhn_iotlb_cache c = { .gen = U64_MAX };
	const struct vhn_iotlb_entry *e;
	u64 gen;

	KUNIT_ASSERT_EQ(test, vhn_iotlb_add(tlb, 0x1000, 0x1fff, T_HVA, 3), 0);
	KUNIT_ASSERT_NOT_NULL(test, vhn_iotlb_find(tlb, &c, 0x1234));
	gen = tlb->gen;
	KUNIT_EXPECT_EQ(test, vhn_iotlb_add_quick(tlb, 0x3000, 0x3fff,
						  T_HVA + 0x3000, 1), 0);
	KUNIT_EXPECT_EQ(test, tlb->gen, gen);
	KUNIT_EXPECT_EQ(test, c.gen, gen);
	e = vhn_iotlb_find(tlb, &c, 0x3010);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, t_hva(e, 0x3010), T_HVA + 0x3010);
	KUNIT_EXPECT_EQ(test, e->perm, 1U);
	/* Touching an entry, even by one byte, or above last: refused. */
	KUNIT_EXPECT_EQ(test, vhn_iotlb_add_quick(tlb, 0x1fff, 0x2fff, T_HVA, 3),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_add_quick(tlb, 0x0, U64_MAX, T_HVA, 3),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_add_quick(tlb, 0x5000, 0x4fff, T_HVA, 3),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, tlb->nr, 2U);
	/* The third fills the IOTLB; a fourth would evict: refused. */
	KUNIT_EXPECT_EQ(test, vhn_iotlb_add_quick(tlb, 0x5000, 0x5fff, T_HVA, 3), 0);
	KUNIT_EXPECT_EQ(test, vhn_iotlb_add_quick(tlb, 0x7000, 0x7fff, T_HVA, 3),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, tlb->nr, 3U);
	KUNIT_EXPECT_NULL(test, vhn_iotlb_find(tlb, &c, 0x7000));
}

static struct kunit_case iotlb_cases[] = {
	KUNIT_CASE(iotlb_find_overlaps),
	KUNIT_CASE(iotlb_del_rule),
	KUNIT_CASE(iotlb_evicts_oldest),
	KUNIT_CASE(iotlb_translate),
	KUNIT_CASE(iotlb_whole_space),
	KUNIT_CASE(iotlb_cache_goes_stale),
	KUNIT_CASE(iotlb_add_quick),
	{}
};

static struct kunit_suite iotlb_suite = {
	.name = "vhost_net_iotlb",
	.test_cases = iotlb_cases,
};

kunit_test_suite(iotlb_suite);
