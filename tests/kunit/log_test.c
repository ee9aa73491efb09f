// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: which bitmap bytes of the dirty log a guest range needs, and when
 * they cannot be user addresses. One bit per 4 KiB page: the byte for
 * guest-physical address A is at base + A / 32768.
 */
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "../../drivers/vhost/log.h"

#define PAGE_BITS	(4096ULL * 8)	/* guest bytes one bitmap byte covers */

static void __user *uptr(unsigned long a)
{
	return (void __user *)a;
}

static void log_plain_ranges(struct kunit *test)
{
	void __user *base = uptr(0x10000);

	KUNIT_EXPECT_TRUE(test, vhn_log_access_ok(base, 0, 0));
	KUNIT_EXPECT_TRUE(test, vhn_log_access_ok(base, 0, 1));
	KUNIT_EXPECT_TRUE(test, vhn_log_access_ok(base, 0x100000, 16 << 20));
	/* A range that wraps the guest-physical space is never loggable. */
	KUNIT_EXPECT_FALSE(test, vhn_log_access_ok(base, U64_MAX - 10, 100));
	/* Zero bytes need no bitmap at all, wherever they are. */
	KUNIT_EXPECT_TRUE(test, vhn_log_access_ok(uptr(-4096UL), U64_MAX, 0));
}

/*
 * A bitmap 32 bytes below the top of user space: the first 16 bytes
 * (guest bytes below 16 * PAGE_BITS) are well inside it, byte 40 is past
 * the top. The exact last byte is left to access_ok().
 */
static void log_top_of_user_space(struct kunit *test)
{
	void __user *base = uptr(TASK_SIZE_MAX - 32);

	KUNIT_EXPECT_TRUE(test, vhn_log_access_ok(base, 0, 16 * PAGE_BITS));
	KUNIT_EXPECT_TRUE(test, vhn_log_access_ok(base, 15 * PAGE_BITS, PAGE_BITS));
	KUNIT_EXPECT_FALSE(test, vhn_log_access_ok(base, 0, 41 * PAGE_BITS));
	KUNIT_EXPECT_FALSE(test, vhn_log_access_ok(base, 40 * PAGE_BITS, 1));
}

/* Guest addresses so high that their bitmap bytes are no user address. */
static void log_far_and_wrapping(struct kunit *test)
{
	void __user *base = uptr(0x10000);

	KUNIT_EXPECT_FALSE(test, vhn_log_access_ok(base, 1ULL << 62, 4096));
	KUNIT_EXPECT_FALSE(test, vhn_log_access_ok(base, U64_MAX - 4095, 4096));
	/* base + A / 32768 would wrap the address space. */
	KUNIT_EXPECT_FALSE(test, vhn_log_access_ok(uptr(ULONG_MAX - 8), 16 * PAGE_BITS, 1));
	KUNIT_EXPECT_FALSE(test, vhn_log_access_ok(uptr(ULONG_MAX - 8), 0, 1));
}

/* A used ring of num entries: 4 + 8 * num + 2 bytes from its address. */
static void log_used_ring_size(struct kunit *test)
{
	void __user *base = uptr(TASK_SIZE_MAX - 32);
	u64 ring = 16 * PAGE_BITS - (4 + 8 * 256 + 2);

	/* The ring's last byte, avail_event's, is in bitmap byte 15. */
	KUNIT_EXPECT_TRUE(test, vhn_log_ring_ok(base, ring, 256));
	KUNIT_EXPECT_FALSE(test, vhn_log_ring_ok(base, 40 * PAGE_BITS, 256));
	/* 2^31 entries are 16 GiB of ring: half a MiB of bitmap. */
	KUNIT_EXPECT_FALSE(test, vhn_log_ring_ok(base, 0, 1U << 31));
}

/*
 * The byte vhn_log_bit_byte() names must be the one set_bit() changes on
 * this host, and the function must know both byte orders: a big-endian
 * host checked the wrong byte before setting a bit, and a page could go
 * unlogged.
 */
static void log_bit_byte(struct kunit *test)
{
	bool be = IS_ENABLED(CONFIG_CPU_BIG_ENDIAN);
	unsigned long words[4];
	unsigned long nr, i;
	u8 *bytes = (u8 *)words;

	for (nr = 0; nr < 4 * BITS_PER_LONG; nr++) {
		memset(words, 0, sizeof(words));
		set_bit(nr, words);
		i = vhn_log_bit_byte(nr, be);
		KUNIT_ASSERT_LT(test, i, sizeof(words));
		KUNIT_EXPECT_EQ(test, bytes[i], (u8)BIT(nr % 8));
	}
	/* The other order, by hand, for 64-bit longs. */
	if (BITS_PER_LONG == 64) {
		KUNIT_EXPECT_EQ(test, vhn_log_bit_byte(0, true), 7);
		KUNIT_EXPECT_EQ(test, vhn_log_bit_byte(9, true), 6);
		KUNIT_EXPECT_EQ(test, vhn_log_bit_byte(63, true), 0);
		KUNIT_EXPECT_EQ(test, vhn_log_bit_byte(64, true), 15);
		KUNIT_EXPECT_EQ(test, vhn_log_bit_byte(0, false), 0);
		KUNIT_EXPECT_EQ(test, vhn_log_bit_byte(9, false), 1);
		KUNIT_EXPECT_EQ(test, vhn_log_bit_byte(64, false), 8);
	}
}

static struct kunit_case log_cases[] = {
	KUNIT_CASE(log_plain_ranges),
	KUNIT_CASE(log_top_of_user_space),
	KUNIT_CASE(log_far_and_wrapping),
	KUNIT_CASE(log_used_ring_size),
	KUNIT_CASE(log_bit_byte),
	{}
};

static struct kunit_suite log_suite = {
	.name = "vhost_net_log",
	.test_cases = log_cases,
};

kunit_test_suites(&log_suite);
