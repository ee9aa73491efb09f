// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: event-index arithmetic, above all around the 16-bit wrap, where a
 * plain comparison would silently stop notifications.
 */
#include <kunit/test.h>

#include "../../drivers/vhost/event_idx.h"

static void event_idx_basic(struct kunit *test)
{
	/* The other side asked for index 5: moving 4 -> 6 crosses it. */
	KUNIT_EXPECT_TRUE(test, vhn_need_event(5, 6, 4));
	/* Moving 5 -> 6 crosses it too (5 itself was just published). */
	KUNIT_EXPECT_TRUE(test, vhn_need_event(5, 6, 5));
	/* Moving 6 -> 8 is already past it: no new notification. */
	KUNIT_EXPECT_FALSE(test, vhn_need_event(5, 8, 6));
	/* Moving 2 -> 5 stops short of publishing entry 5. */
	KUNIT_EXPECT_FALSE(test, vhn_need_event(5, 5, 2));
}

static void event_idx_no_move(struct kunit *test)
{
	u16 i;

	/* An index that did not move never needs a notification. */
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_FALSE(test, vhn_need_event(i, 3, 3));
}

static void event_idx_wrap(struct kunit *test)
{
	/* 0xfffe -> 0x0002 crosses 0xffff and 0x0000 and 0x0001. */
	KUNIT_EXPECT_TRUE(test, vhn_need_event(0xffff, 0x0002, 0xfffe));
	KUNIT_EXPECT_TRUE(test, vhn_need_event(0x0000, 0x0002, 0xfffe));
	KUNIT_EXPECT_TRUE(test, vhn_need_event(0x0001, 0x0002, 0xfffe));
	KUNIT_EXPECT_FALSE(test, vhn_need_event(0x0002, 0x0002, 0xfffe));
	KUNIT_EXPECT_FALSE(test, vhn_need_event(0xfffd, 0x0002, 0xfffe));
}

static void event_idx_full_window(struct kunit *test)
{
	u32 old = 0xfff0, ev;
	u16 new_idx = (old + 0x8000) & 0xffff;

	/* Every event inside a half-ring window is crossed, none outside. */
	for (ev = 0; ev < 0x10000; ev++) {
		bool inside = ((ev - old) & 0xffff) < 0x8000;

		KUNIT_ASSERT_EQ(test, vhn_need_event(ev, new_idx, old), inside);
	}
}

static struct kunit_case event_idx_cases[] = {
	KUNIT_CASE(event_idx_basic),
	KUNIT_CASE(event_idx_no_move),
	KUNIT_CASE(event_idx_wrap),
	KUNIT_CASE(event_idx_full_window),
	{}
};

static struct kunit_suite event_idx_suite = {
	.name = "vhost_net_event_idx",
	.test_cases = event_idx_cases,
};

kunit_test_suites(&event_idx_suite);
