// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the names behind the counters and trace records (every ring
 * error reason has a word, a message and a counter), and a failed ring
 * counted once, with its reason kept.
 */
#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../../drivers/vhost/ring.h"
#include "../../drivers/vhost/stats.h"
#include "../../drivers/vhost/vq.h"

/* A word for debugfs and traces: lower case and underscores, short. */
static void expect_word(struct kunit *test, const char *w)
{
	const char *p;

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_EXPECT_GT(test, strlen(w), 0);
	KUNIT_EXPECT_LT(test, strlen(w), VHN_REASON_LEN);
	for (p = w; *p; p++)
		KUNIT_EXPECT_TRUE_MSG(test, islower(*p) || *p == '_',
				      "'%s' is not a plain word", w);
}

static void stats_ring_err_table(struct kunit *test)
{
	int i, j;

	for (i = 0; i < VHN_RING_ERR_MAX; i++) {
		expect_word(test, vhn_ring_err_name(i));
		KUNIT_EXPECT_GT(test, strlen(vhn_ring_err_msg(i)), 0);
		KUNIT_EXPECT_LT(test, vhn_ring_err_class(i), VHN_ERRC_MAX);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, vhn_ring_err_name(i),
					    vhn_ring_err_name(j));
	}
	KUNIT_EXPECT_STREQ(test, vhn_ring_err_name(VHN_RING_ERR_NONE), "none");
	KUNIT_EXPECT_EQ(test, vhn_ring_err_class(VHN_RING_ERR_CHAIN_LOOP),
			VHN_ERRC_LOOP);
	KUNIT_EXPECT_EQ(test, vhn_ring_err_class(VHN_RING_ERR_INDIRECT_LOOP),
			VHN_ERRC_LOOP);
	KUNIT_EXPECT_EQ(test, vhn_ring_err_class(VHN_RING_ERR_HEAD_RANGE),
			VHN_ERRC_INDEX);
	KUNIT_EXPECT_EQ(test, vhn_ring_err_class(VHN_RING_ERR_BUFFER_ADDRESS),
			VHN_ERRC_ADDRESS);
	KUNIT_EXPECT_EQ(test, vhn_ring_err_class(VHN_RING_ERR_TX_WRITABLE),
			VHN_ERRC_DIRECTION);
}

static void stats_class_and_drop_names(struct kunit *test)
{
	int i, j;

	for (i = 0; i < VHN_ERRC_MAX; i++) {
		expect_word(test, vhn_err_class_name(i));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, vhn_err_class_name(i),
					    vhn_err_class_name(j));
	}
	for (i = 0; i < VHN_DROP_MAX; i++) {
		expect_word(test, vhn_drop_name(i));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, vhn_drop_name(i), vhn_drop_name(j));
	}
	KUNIT_EXPECT_STREQ(test, vhn_err_class_name(VHN_ERRC_MAX), "?");
	KUNIT_EXPECT_STREQ(test, vhn_drop_name(VHN_DROP_MAX), "?");
}

/* Only the failure that breaks the ring counts; later ones are echoes. */
static void stats_ring_fail_counted_once(struct kunit *test)
{
	struct vhn_vq *vq = kunit_kzalloc(test, sizeof(*vq), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vq);
	vq->last_avail_idx = 7;
	vhn_ring_fail(vq, VHN_RING_ERR_CHAIN_LOOP);
	KUNIT_EXPECT_TRUE(test, vq->broken);
	vhn_ring_fail(vq, VHN_RING_ERR_HEAD_RANGE);
#if IS_ENABLED(CONFIG_VHOST_NET_STATS)
	KUNIT_EXPECT_EQ(test, vq->stats.errors[VHN_ERRC_LOOP], 1);
	KUNIT_EXPECT_EQ(test, vq->stats.errors[VHN_ERRC_INDEX], 0);
	KUNIT_EXPECT_EQ(test, vq->stats.last_error, VHN_RING_ERR_CHAIN_LOOP);
	KUNIT_EXPECT_EQ(test, vq->stats.last_error_avail, 7);
	/* A restarted ring that breaks again counts again. */
	vq->broken = false;
	vhn_ring_fail(vq, VHN_RING_ERR_HEAD_RANGE);
	KUNIT_EXPECT_EQ(test, vq->stats.errors[VHN_ERRC_INDEX], 1);
	KUNIT_EXPECT_EQ(test, vq->stats.last_error, VHN_RING_ERR_HEAD_RANGE);
#endif
}

static struct kunit_case stats_cases[] = {
	KUNIT_CASE(stats_ring_err_table),
	KUNIT_CASE(stats_class_and_drop_names),
	KUNIT_CASE(stats_ring_fail_counted_once),
	{}
};

static struct kunit_suite stats_suite = {
	.name = "vhost_net_stats",
	.test_cases = stats_cases,
};

kunit_test_suites(&stats_suite);
