// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-run budget that keeps one queue from holding the worker.
 */
#include <kunit/test.h>

#include "../../drivers/vhost/budget.h"

static void budget_small_frames(struct kunit *test)
{
	struct vhn_budget b = {};
	int i;

	/* Minimum-size frames end the run on the packet count. */
	for (i = 1; i < VHN_BUDGET_PKTS; i++)
		KUNIT_ASSERT_FALSE(test, vhn_budget_spend(&b, 60, 2));
	KUNIT_EXPECT_TRUE(test, vhn_budget_spend(&b, 60, 2));
}

static void budget_big_frames(struct kunit *test)
{
	struct vhn_budget b = {};
	int n = 0;

	/* 64 KiB GSO frames end it on bytes, long before 256 packets. */
	while (!vhn_budget_spend(&b, 65536, 18))
		n++;
	KUNIT_EXPECT_EQ(test, n + 1, VHN_BUDGET_BYTES / 65536);
	KUNIT_EXPECT_LT(test, b.pkts, VHN_BUDGET_PKTS);
}

static void budget_zero_length(struct kunit *test)
{
	struct vhn_budget b = {};
	int i;

	/* A guest sending empty chains still runs out of packets. */
	for (i = 1; i < VHN_BUDGET_PKTS; i++)
		KUNIT_ASSERT_FALSE(test, vhn_budget_spend(&b, 0, 1));
	KUNIT_EXPECT_TRUE(test, vhn_budget_spend(&b, 0, 1));
}

static void budget_huge_frame(struct kunit *test)
{
	struct vhn_budget b = {};

	/* One frame over the byte budget ends the run at once. */
	KUNIT_EXPECT_TRUE(test, vhn_budget_spend(&b, VHN_BUDGET_BYTES, 1));
}

static void budget_many_descriptors(struct kunit *test)
{
	struct vhn_budget b = {};
	int n = 0;

	/* Chains of 1000 empty descriptors end the run on descriptors. */
	while (!vhn_budget_spend(&b, 60, 1000))
		n++;
	KUNIT_EXPECT_EQ(test, n + 1, DIV_ROUND_UP(VHN_BUDGET_DESCS, 1000));
	/* One chain longer than the whole budget ends it at once. */
	b = (struct vhn_budget){};
	KUNIT_EXPECT_TRUE(test, vhn_budget_spend(&b, 60, 65536 + 32768));
	/* Honest frames of up to 20 descriptors never end it on them. */
	b = (struct vhn_budget){};
	for (n = 1; n < VHN_BUDGET_PKTS; n++)
		KUNIT_ASSERT_FALSE(test, vhn_budget_spend(&b, 60, 20));
	KUNIT_EXPECT_LT(test, b.descs, VHN_BUDGET_DESCS);
}

static struct kunit_case budget_cases[] = {
	KUNIT_CASE(budget_small_frames),
	KUNIT_CASE(budget_big_frames),
	KUNIT_CASE(budget_zero_length),
	KUNIT_CASE(budget_huge_frame),
	KUNIT_CASE(budget_many_descriptors),
	{}
};

static struct kunit_suite budget_suite = {
	.name = "vhost_net_budget",
	.test_cases = budget_cases,
};

kunit_test_suites(&budget_suite);
