// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the guest memory map. Building a table from userspace's regions,
 * looking up a GPA by bisection, and translating a buffer into iovecs at
 * region edges, across adjacent regions and into holes. Host addresses
 * here are only numbers: nothing is dereferenced.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vhost_types.h>

#include "../../drivers/vhost/memmap.h"
#include "compat.h"

#define M_HVA	0x10000000ULL

/*
 * Three regions given out of order: A [0x1000, 0x3000) and B [0x3000,
 * 0x4000) are adjacent in GPA but not in HVA, then a hole, then C
 * [0x10000, 0x11000).
 */
static const struct vhost_memory_region m_regions[] = {
	{ .guest_phys_addr = 0x10000, .memory_size = 0x1000,
	  .userspace_addr = M_HVA + 0x100000 },
	{ .guest_phys_addr = 0x1000, .memory_size = 0x2000,
	  .userspace_addr = M_HVA },
	{ .guest_phys_addr = 0x3000, .memory_size = 0x1000,
	  .userspace_addr = M_HVA + 0x80000 },
};

static void m_free(void *map)
{
	vhn_memmap_free(map);
}

static struct vhn_memmap *m_table(struct kunit *test)
{
	struct vhn_memmap *map = vhn_memmap_create(m_regions, ARRAY_SIZE(m_regions));

	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, m_free, map), 0);
	return map;
}

static unsigned long m_base(const struct iovec *iov)
{
	return (unsigned long)iov->iov_base;
}

static void memmap_sorted(struct kunit *test)
{
	struct vhn_memmap *map = m_table(test);

	KUNIT_ASSERT_EQ(test, map->nr, 3);
	KUNIT_EXPECT_EQ(test, map->regions[0].gpa, 0x1000);
	KUNIT_EXPECT_EQ(test, map->regions[0].last, 0x2fff);
	KUNIT_EXPECT_EQ(test, map->regions[1].gpa, 0x3000);
	KUNIT_EXPECT_EQ(test, map->regions[2].gpa, 0x10000);
}

static void memmap_lookup_edges(struct kunit *test)
{
	struct vhn_memmap *map = m_table(test);

	KUNIT_EXPECT_NULL(test, vhn_memmap_lookup(map, 0xfff));
	KUNIT_EXPECT_PTR_EQ(test, vhn_memmap_lookup(map, 0x1000), &map->regions[0]);
	KUNIT_EXPECT_PTR_EQ(test, vhn_memmap_lookup(map, 0x2fff), &map->regions[0]);
	KUNIT_EXPECT_PTR_EQ(test, vhn_memmap_lookup(map, 0x3000), &map->regions[1]);
	KUNIT_EXPECT_PTR_EQ(test, vhn_memmap_lookup(map, 0x3fff), &map->regions[1]);
	KUNIT_EXPECT_NULL(test, vhn_memmap_lookup(map, 0x4000));
	KUNIT_EXPECT_NULL(test, vhn_memmap_lookup(map, 0xffff));
	KUNIT_EXPECT_PTR_EQ(test, vhn_memmap_lookup(map, 0x10fff), &map->regions[2]);
	KUNIT_EXPECT_NULL(test, vhn_memmap_lookup(map, 0x11000));
	KUNIT_EXPECT_NULL(test, vhn_memmap_lookup(map, U64_MAX));
	/* No table: every lookup misses. */
	KUNIT_EXPECT_NULL(test, vhn_memmap_lookup(NULL, 0x1000));
}

static void memmap_translate_inside(struct kunit *test)
{
	struct vhn_memmap *map = m_table(test);
	struct iovec iov[4];

	KUNIT_ASSERT_EQ(test, vhn_memmap_translate(map, 0x1800, 0x100, iov, 4), 1);
	KUNIT_EXPECT_EQ(test, m_base(&iov[0]), M_HVA + 0x800);
	KUNIT_EXPECT_EQ(test, iov[0].iov_len, 0x100);
	/* Exactly the whole region, ending on its last byte. */
	KUNIT_ASSERT_EQ(test, vhn_memmap_translate(map, 0x1000, 0x2000, iov, 4), 1);
	KUNIT_EXPECT_EQ(test, iov[0].iov_len, 0x2000);
	/* Zero bytes need no iovec and no region. */
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(map, 0x5000, 0, iov, 4), 0);
}

static void memmap_translate_spanning(struct kunit *test)
{
	struct vhn_memmap *map = m_table(test);
	struct iovec iov[4];

	/* 0x2f00..0x30ff crosses from A into B: two host pieces. */
	KUNIT_ASSERT_EQ(test, vhn_memmap_translate(map, 0x2f00, 0x200, iov, 4), 2);
	KUNIT_EXPECT_EQ(test, m_base(&iov[0]), M_HVA + 0x1f00);
	KUNIT_EXPECT_EQ(test, iov[0].iov_len, 0x100);
	KUNIT_EXPECT_EQ(test, m_base(&iov[1]), M_HVA + 0x80000);
	KUNIT_EXPECT_EQ(test, iov[1].iov_len, 0x100);
	/* One iovec is not enough for that. */
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(map, 0x2f00, 0x200, iov, 1), -ENOBUFS);
}

static void memmap_translate_holes(struct kunit *test)
{
	struct vhn_memmap *map = m_table(test);
	struct iovec iov[4];

	/* Starts in the hole, ends in it, or runs from B into it. */
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(map, 0x800, 0x100, iov, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(map, 0x3f00, 0x200, iov, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(map, 0x10f00, 0x101, iov, 4), -EFAULT);
	/* A length that wraps the 64-bit address space. */
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(map, 0x1000, U64_MAX, iov, 4), -EFAULT);
	/* No table at all. */
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(NULL, 0x1000, 1, iov, 4), -EFAULT);
}

static void memmap_refuses(struct kunit *test)
{
	struct vhost_memory_region r[2] = {
		{ .guest_phys_addr = 0x1000, .memory_size = 0x2000, .userspace_addr = M_HVA },
		{ .guest_phys_addr = 0x2000, .memory_size = 0x1000, .userspace_addr = M_HVA },
	};
	struct vhn_memmap *map;

	/* Overlap: 0x2000 would have two meanings. */
	map = vhn_memmap_create(r, 2);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(map), -EFAULT);
	/* Zero size. */
	r[1].guest_phys_addr = 0x8000;
	r[1].memory_size = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(vhn_memmap_create(r, 2)), -EFAULT);
	/* GPA range past 2^64. */
	r[1].guest_phys_addr = U64_MAX - 0xfff;
	r[1].memory_size = 0x2000;
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(vhn_memmap_create(r, 2)), -EFAULT);
	/* Host range outside user space. */
	r[1].guest_phys_addr = 0x8000;
	r[1].memory_size = 0x1000;
	r[1].userspace_addr = TASK_SIZE_MAX;
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(vhn_memmap_create(r, 2)), -EFAULT);
	/* An empty table is a valid table that maps nothing. */
	map = vhn_memmap_create(r, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	KUNIT_EXPECT_NULL(test, vhn_memmap_lookup(map, 0x1000));
	vhn_memmap_free(map);
}

/* A region that ends on the last GPA, which a half-open end cannot hold. */
static void memmap_top_of_space(struct kunit *test)
{
	const struct vhost_memory_region r = {
		.guest_phys_addr = U64_MAX - 0xfff, .memory_size = 0x1000,
		.userspace_addr = M_HVA,
	};
	struct vhn_memmap *map = vhn_memmap_create(&r, 1);
	struct iovec iov[1];

	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(map, U64_MAX, 1, iov, 1), 1);
	KUNIT_EXPECT_EQ(test, m_base(&iov[0]), M_HVA + 0xfff);
	KUNIT_EXPECT_EQ(test, vhn_memmap_translate(map, U64_MAX, 2, iov, 1), -EFAULT);
	vhn_memmap_free(map);
}

static struct kunit_case memmap_cases[] = {
	KUNIT_CASE(memmap_sorted),
	KUNIT_CASE(memmap_lookup_edges),
	KUNIT_CASE(memmap_translate_inside),
	KUNIT_CASE(memmap_translate_spanning),
	KUNIT_CASE(memmap_translate_holes),
	KUNIT_CASE(memmap_refuses),
	KUNIT_CASE(memmap_top_of_space),
	{}
};

static struct kunit_suite memmap_suite = {
	.name = "vhost_net_memmap",
	.test_cases = memmap_cases,
};

kunit_test_suite(memmap_suite);
