// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the packed ring. First the position arithmetic of ring_packed.h
 * (wrap counters, distances, the event offset across a wrap), checked
 * against plain counting; then ring_packed.c on rings in user memory:
 * chains, used descriptors and their flags, and the hostile cases.
 */
#include <kunit/test.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vhost_types.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "compat.h"
#include "../../drivers/vhost/dev.h"
#include "../../drivers/vhost/memmap.h"
#include "../../drivers/vhost/ring.h"
#include "../../drivers/vhost/ring_packed.h"
#include "../../drivers/vhost/vq.h"

#define P_AVAIL		BIT(VRING_PACKED_DESC_F_AVAIL)
#define P_USED		BIT(VRING_PACKED_DESC_F_USED)
#define P_W		VHN_PACKED_WRAP

/* The position @n descriptors from the start, counted the slow way. */
static u16 count_pos(unsigned int n, unsigned int num)
{
	bool wrap = true;

	while (n >= num) {
		n -= num;
		wrap = !wrap;
	}
	return n | (wrap ? P_W : 0);
}

static void packed_move_wraps(struct kunit *test)
{
	unsigned int num, n, k;

	/* A ring starts at index 0 with the wrap counter at 1 (2.8.1). */
	KUNIT_EXPECT_EQ(test, count_pos(0, 8), P_W);
	for (num = 1; num <= 16; num *= 2)
		for (n = 0; n < 6 * num; n++)
			for (k = 0; k <= num; k++) {
				u16 a = count_pos(n, num), b = count_pos(n + k, num);

				KUNIT_ASSERT_EQ(test, vhn_packed_move(a, k, num), b);
				KUNIT_ASSERT_EQ(test, vhn_packed_move(b, -(int)k, num), a);
				KUNIT_ASSERT_EQ(test, vhn_packed_dist(b, a, num), k % (2 * num));
			}
}

static void packed_move_largest_ring(struct kunit *test)
{
	/* 32768 descriptors: the index uses all 15 bits. */
	KUNIT_EXPECT_EQ(test, vhn_packed_move(P_W | 32767, 1, 32768), 0);
	KUNIT_EXPECT_EQ(test, vhn_packed_move(32767, 1, 32768), P_W);
	KUNIT_EXPECT_EQ(test, vhn_packed_dist(P_W | 5, 32760, 32768), 13);
	KUNIT_EXPECT_EQ(test, vhn_packed_dist(32760, P_W | 5, 32768), 65536 - 13);
}

/* A packed ring may have any size: the arithmetic uses no mask. */
static void packed_move_any_size(struct kunit *test)
{
	static const unsigned int sizes[] = { 1, 3, 5, 7, 255, 1000, 32767 };
	unsigned int s, num, n, k, step;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		num = sizes[s];
		/* Every start and move on small rings; a sample on big ones. */
		step = num < 16 ? 1 : num / 7;
		for (n = 0; n < 6 * num; n += step)
			for (k = 0; k <= num; k += k < 3 || k + 3 > num ? 1 : step) {
				u16 a = count_pos(n, num), b = count_pos(n + k, num);

				KUNIT_ASSERT_EQ(test, vhn_packed_move(a, k, num), b);
				KUNIT_ASSERT_EQ(test, vhn_packed_move(b, -(int)k, num), a);
				KUNIT_ASSERT_EQ(test, vhn_packed_dist(b, a, num), k % (2 * num));
			}
	}
	/* The last index of a ring of 1000 wraps to 0 and flips the counter. */
	KUNIT_EXPECT_EQ(test, vhn_packed_move(P_W | 999, 1, 1000), 0);
	KUNIT_EXPECT_EQ(test, vhn_packed_move(999, 1, 1000), P_W);
	KUNIT_EXPECT_EQ(test, vhn_packed_move(P_W | 998, 1000, 1000), 998);
	KUNIT_EXPECT_EQ(test, vhn_packed_dist(P_W | 1, 998, 1000), 3);
	KUNIT_EXPECT_EQ(test, vhn_packed_dist(998, P_W | 1, 1000), 1997);
}

static void packed_avail_flags(struct kunit *test)
{
	/* Available: AVAIL equal to the wrap counter, USED not. */
	KUNIT_EXPECT_TRUE(test, vhn_packed_avail(P_AVAIL, true));
	KUNIT_EXPECT_TRUE(test, vhn_packed_avail(P_USED, false));
	/* Used in the same lap, or never made available. */
	KUNIT_EXPECT_FALSE(test, vhn_packed_avail(P_AVAIL | P_USED, true));
	KUNIT_EXPECT_FALSE(test, vhn_packed_avail(0, false));
	/* Available in the other lap. */
	KUNIT_EXPECT_FALSE(test, vhn_packed_avail(P_AVAIL, false));
	KUNIT_EXPECT_FALSE(test, vhn_packed_avail(P_USED, true));
	KUNIT_EXPECT_FALSE(test, vhn_packed_avail(0, true));
	/* Other flag bits do not count. */
	KUNIT_EXPECT_TRUE(test, vhn_packed_avail(P_AVAIL | VRING_DESC_F_NEXT |
						 VRING_DESC_F_WRITE, true));
	KUNIT_EXPECT_EQ(test, vhn_packed_used_flags(true), P_AVAIL | P_USED);
	KUNIT_EXPECT_EQ(test, vhn_packed_used_flags(false), 0);
	/* A used descriptor is never available in the lap it was used in. */
	KUNIT_EXPECT_FALSE(test, vhn_packed_avail(vhn_packed_used_flags(true), true));
	KUNIT_EXPECT_FALSE(test, vhn_packed_avail(vhn_packed_used_flags(false), false));
}

static void packed_event_basic(struct kunit *test)
{
	/* Moving 2 -> 5 in the first lap passes offsets 2, 3 and 4. */
	KUNIT_EXPECT_FALSE(test, vhn_packed_need_event(P_W | 1, P_W | 5, P_W | 2, 8));
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(P_W | 2, P_W | 5, P_W | 2, 8));
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(P_W | 4, P_W | 5, P_W | 2, 8));
	KUNIT_EXPECT_FALSE(test, vhn_packed_need_event(P_W | 5, P_W | 5, P_W | 2, 8));
	/* The same index in the other lap is not passed. */
	KUNIT_EXPECT_FALSE(test, vhn_packed_need_event(3, P_W | 5, P_W | 2, 8));
	/* Nothing moved: nothing passed. */
	KUNIT_EXPECT_FALSE(test, vhn_packed_need_event(P_W | 2, P_W | 2, P_W | 2, 8));
}

static void packed_event_across_wrap(struct kunit *test)
{
	/* 6 -> 2 of the next lap (wrap counter 1 -> 0) passes 6, 7, 0, 1. */
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(P_W | 6, 2, P_W | 6, 8));
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(P_W | 7, 2, P_W | 6, 8));
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(0, 2, P_W | 6, 8));
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(1, 2, P_W | 6, 8));
	KUNIT_EXPECT_FALSE(test, vhn_packed_need_event(2, 2, P_W | 6, 8));
	/* Index 0 and 1 with the old counter are a lap behind: not passed. */
	KUNIT_EXPECT_FALSE(test, vhn_packed_need_event(P_W | 0, 2, P_W | 6, 8));
	KUNIT_EXPECT_FALSE(test, vhn_packed_need_event(P_W | 1, 2, P_W | 6, 8));
	/* And back to counter 1 on the lap after: 7 -> 1. */
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(P_W | 0, P_W | 1, 7, 8));
	KUNIT_EXPECT_FALSE(test, vhn_packed_need_event(0, P_W | 1, 7, 8));
}

static void packed_event_exhaustive(struct kunit *test)
{
	const unsigned int num = 16;
	unsigned int old, k, ev;

	/*
	 * From every start, moving by up to a ring passes exactly the
	 * offsets in the window, whichever lap and wrap they fall in.
	 */
	for (old = 0; old < 2 * num; old++)
		for (k = 0; k <= num; k++)
			for (ev = 0; ev < 2 * num; ev++) {
				bool in = ((ev - old) & (2 * num - 1)) < k;

				KUNIT_ASSERT_EQ(test, vhn_packed_need_event(count_pos(ev, num),
									    count_pos(old + k, num),
									    count_pos(old, num),
									    num), in);
			}
}

/* Does moving @k from phase @old pass exactly the offsets in the window? */
static void event_window(struct kunit *test, unsigned int num, unsigned int old,
			 unsigned int k)
{
	unsigned int ev;

	for (ev = 0; ev < 2 * num; ev++) {
		bool in = (ev + 2 * num - old) % (2 * num) < k;

		KUNIT_ASSERT_EQ(test, vhn_packed_need_event(count_pos(ev, num),
							    count_pos(old + k, num),
							    count_pos(old, num), num),
				in);
	}
}

/* As packed_event_exhaustive, on rings whose size is no power of two. */
static void packed_event_any_size(struct kunit *test)
{
	static const unsigned int sizes[] = { 1, 3, 5, 255 };
	unsigned int s, num, old, k, step;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		num = sizes[s];
		/* Every start and move on small rings; a sample on 255. */
		step = num < 16 ? 1 : 17;
		for (old = 0; old < 2 * num; old += num < 16 ? 1 : 51)
			for (k = 0; k <= num; k += k < 2 ? 1 : step)
				event_window(test, num, old, k);
	}
	/* An offset whose index is past the ring asks for every signal. */
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(P_W | 3, P_W | 1, P_W | 1, 3));
	KUNIT_EXPECT_TRUE(test, vhn_packed_need_event(P_W | 32767, P_W | 2, P_W | 1, 3));
}

/* User memory: the descriptor ring, the two areas, then guest RAM. */
#define P_RING_OFF	0x0000
#define P_DRIVER_OFF	0x1000
#define P_DEVICE_OFF	0x1100
#define P_RAM_OFF	0x2000
#define P_MAP_SIZE	0x12000
#define P_GPA		0x200000ULL
#define P_RAM_SIZE	0x10000ULL
#define P_IOV		16
#define P_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_F_RING_PACKED) | \
			 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC))

struct penv {
	struct kunit *test;
	struct vhn_dev *dev;
	struct vhn_vq *vq;
	unsigned long base;
	u16 next;		/* the driver's next avail position */
	struct iovec iov[P_IOV];
	struct vhn_chain chain;
};

KUNIT_DEFINE_ACTION_WRAPPER(penv_kvfree, kvfree, const void *);

static void penv_drop_mem(void *data)
{
	struct vhn_dev *dev = data;

	vhn_memmap_free(rcu_replace_pointer(dev->mem, NULL, true));
}

static struct penv *penv_new(struct kunit *test, unsigned int num, u64 features)
{
	struct vhost_memory_region region = {
		.guest_phys_addr = P_GPA,
		.memory_size = P_RAM_SIZE,
	};
	struct vhn_memmap *map;
	struct penv *e;
	struct vhn_vq *vq;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	e->test = test;
	e->base = kunit_vm_mmap(test, NULL, 0, P_MAP_SIZE,
				PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, e->base, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(e->base));
	region.userspace_addr = e->base + P_RAM_OFF;
	map = vhn_memmap_create(&region, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	e->dev = kunit_kzalloc(test, sizeof(*e->dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e->dev);
	RCU_INIT_POINTER(e->dev->mem, map);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, penv_drop_mem, e->dev), 0);

	vq = kvzalloc(sizeof(*vq), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vq);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, penv_kvfree, vq), 0);
	vq->dev = e->dev;
	vq->num = num;
	vq->desc = (void __user *)(e->base + P_RING_OFF);
	vq->avail = (void __user *)(e->base + P_DRIVER_OFF);
	vq->used = (void __user *)(e->base + P_DEVICE_OFF);
	vq->is_le = true;
	vq->features = features;
	/* What QEMU passes for a new ring: both wrap counters at 1. */
	vq->last_avail_idx = P_W;
	vq->last_used_idx = P_W;
	e->vq = vq;
	e->next = P_W;
	KUNIT_ASSERT_EQ(test, vhn_ring_start(vq), 0);
	KUNIT_ASSERT_TRUE(test, vq->packed);
	return e;
}

static struct vring_packed_desc __user *pslot(struct penv *e, u16 pos)
{
	return (struct vring_packed_desc __user *)e->vq->desc + (pos & VHN_PACKED_IDX);
}

/* Write a descriptor at @pos; its flags get the driver's wrap bits. */
static void pset(struct penv *e, u16 pos, u64 gpa, u32 len, u16 id, u16 flags)
{
	bool w = pos & P_W;
	struct vring_packed_desc d = {
		.addr = cpu_to_le64(gpa),
		.len = cpu_to_le32(len),
		.id = cpu_to_le16(id),
		.flags = cpu_to_le16(flags | (w ? P_AVAIL : P_USED)),
	};

	KUNIT_ASSERT_EQ(e->test, copy_to_user(pslot(e, pos), &d, sizeof(d)), 0);
}

/* Make a chain of @n descriptors of 16 bytes each available, as @id. */
static void poffer(struct penv *e, unsigned int n, u16 id, u16 flags)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pset(e, e->next, P_GPA + 0x100 * i, 16, id,
		     flags | (i + 1 < n ? VRING_DESC_F_NEXT : 0));
		e->next = vhn_packed_move(e->next, 1, e->vq->num);
	}
}

static int pget(struct penv *e)
{
	return vhn_ring_get(e->vq, e->iov, P_IOV, &e->chain);
}

static u16 prd16(struct penv *e, __le16 __user *p)
{
	__le16 v;

	KUNIT_ASSERT_EQ(e->test, copy_from_user(&v, p, sizeof(v)), 0);
	return le16_to_cpu(v);
}

static void expect_used(struct penv *e, u16 pos, u16 id, u32 len)
{
	struct vring_packed_desc d;

	KUNIT_ASSERT_EQ(e->test, copy_from_user(&d, pslot(e, pos), sizeof(d)), 0);
	KUNIT_EXPECT_EQ(e->test, le16_to_cpu(d.id), id);
	KUNIT_EXPECT_EQ(e->test, le32_to_cpu(d.len), len);
	KUNIT_EXPECT_EQ(e->test, le16_to_cpu(d.flags) & (P_AVAIL | P_USED),
			vhn_packed_used_flags(pos & P_W));
}

static void ring_packed_chain(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES);

	KUNIT_EXPECT_EQ(test, pget(e), 0);
	poffer(e, 3, 5, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	/* The id, and the three descriptors the chain took. */
	KUNIT_EXPECT_EQ(test, e->chain.head, 5 | 3 << 16);
	KUNIT_EXPECT_EQ(test, e->chain.out, 3);
	KUNIT_EXPECT_EQ(test, e->chain.out_len, 48);
	KUNIT_EXPECT_EQ(test, e->chain.descs, 3);
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, P_W | 3);
	KUNIT_EXPECT_EQ(test, pget(e), 0);
}

static void ring_packed_indirect(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES);
	struct vring_packed_desc t[3] = {};
	int i;

	for (i = 0; i < 3; i++) {
		t[i].addr = cpu_to_le64(P_GPA + 0x1000 + 0x100 * i);
		t[i].len = cpu_to_le32(10);
		/* NEXT means nothing in a packed table; WRITE does. */
		t[i].flags = cpu_to_le16(i ? VRING_DESC_F_WRITE : VRING_DESC_F_NEXT);
	}
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(e->base + P_RAM_OFF + 0x8000),
					   t, sizeof(t)), 0);
	pset(e, e->next, P_GPA + 0x8000, sizeof(t), 2, VRING_DESC_F_INDIRECT);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 2 | 1 << 16);
	KUNIT_EXPECT_EQ(test, e->chain.out, 1);
	KUNIT_EXPECT_EQ(test, e->chain.in, 2);
	KUNIT_EXPECT_EQ(test, e->chain.in_len, 20);
	KUNIT_EXPECT_EQ(test, e->chain.descs, 4);
}

static void ring_packed_put_batch_wrap(struct kunit *test)
{
	struct penv *e = penv_new(test, 4, P_FEATURES);
	struct vhn_used u[2];

	/* Chains of 3 and 2 descriptors: the second wraps the ring. */
	poffer(e, 3, 0, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	u[0] = (struct vhn_used){ e->chain.head, 0 };
	KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, u, 1), 0);
	expect_used(e, P_W | 0, 0, 0);
	KUNIT_EXPECT_EQ(test, e->vq->last_used_idx, P_W | 3);

	poffer(e, 2, 1, 0);
	poffer(e, 1, 2, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	u[0] = (struct vhn_used){ e->chain.head, 7 };
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	u[1] = (struct vhn_used){ e->chain.head, 9 };
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, 2);
	KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, u, 2), 0);
	/* At 3 with counter 1, then at 1 of the next lap with counter 0. */
	expect_used(e, P_W | 3, 1, 7);
	expect_used(e, 1, 2, 9);
	KUNIT_EXPECT_EQ(test, e->vq->last_used_idx, 2);
	KUNIT_EXPECT_FALSE(test, e->vq->broken);
}

static void ring_packed_put_more_than_taken(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES);
	struct vhn_used u = { 0 | 2 << 16, 0 };

	poffer(e, 1, 0, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	KUNIT_EXPECT_LT(test, vhn_ring_put(e->vq, &u, 1), 0);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
}

static void ring_packed_put_in_order(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES | BIT_ULL(VIRTIO_F_IN_ORDER));
	struct vhn_used last;

	/* Chains of 2, 1 and 3 descriptors: one used descriptor for all. */
	poffer(e, 2, 4, 0);
	poffer(e, 1, 6, 0);
	poffer(e, 3, 1, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	last = (struct vhn_used){ e->chain.head, 0 };
	/* Two chains are not the batch: the device holds three. */
	KUNIT_EXPECT_LT(test, vhn_ring_put_in_order(e->vq, &last, 2), 0);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
	e->vq->broken = false;
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(e->vq, &last, 3), 0);
	/* At the first chain's slot, with the last one's id. */
	expect_used(e, P_W | 0, 1, 0);
	KUNIT_EXPECT_EQ(test, e->vq->last_used_idx, P_W | 6);
	/* Nothing is held now: the next chain starts a new batch. */
	poffer(e, 1, 2, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	last = (struct vhn_used){ e->chain.head, 0 };
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(e->vq, &last, 1), 0);
	expect_used(e, P_W | 6, 2, 0);
	KUNIT_EXPECT_EQ(test, e->vq->last_used_idx, P_W | 7);
}

static void ring_packed_unget(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES);

	poffer(e, 2, 0, 0);
	poffer(e, 3, 1, 0);
	poffer(e, 1, 2, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	vhn_ring_unget(e->vq, 2);
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, P_W | 2);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 1 | 3 << 16);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 2 | 1 << 16);
}

/*
 * Rings of 3 and 255 descriptors: chains of 1 to 3 descriptors taken and
 * put back over six laps, alone, two at a time and (in order) as one
 * used descriptor for two chains. Every position is checked against
 * plain counting, and every used descriptor's flags against its lap.
 */
static void ring_packed_odd_size_laps(struct kunit *test)
{
	static const unsigned int sizes[] = { 3, 255 };
	unsigned int s, num, len, taken, used, i;
	struct vhn_used u[2];
	struct penv *e;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		num = sizes[s];
		e = penv_new(test, num, P_FEATURES | BIT_ULL(VIRTIO_F_IN_ORDER));
		taken = 0;
		used = 0;
		for (i = 0; used < 6 * num; i++) {
			len = 1 + i % 3;
			/* Room for two chains of len on a ring of 3: one only. */
			if (i % 3 == 2 && 2 * len <= num) {
				poffer(e, len, i % num, 0);
				poffer(e, 1, (i + 1) % num, 0);
				KUNIT_ASSERT_EQ(test, pget(e), 1);
				u[0] = (struct vhn_used){ e->chain.head, 0 };
				KUNIT_ASSERT_EQ(test, pget(e), 1);
				u[1] = (struct vhn_used){ e->chain.head, 0 };
				taken += len + 1;
				KUNIT_ASSERT_EQ(test, e->vq->last_avail_idx,
						count_pos(taken, num));
				if (i % 2) {
					KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, u, 2), 0);
					expect_used(e, count_pos(used, num), i % num, 0);
					expect_used(e, count_pos(used + len, num),
						    (i + 1) % num, 0);
				} else {
					KUNIT_ASSERT_EQ(test,
							vhn_ring_put_in_order(e->vq, &u[1], 2), 0);
					expect_used(e, count_pos(used, num), (i + 1) % num, 0);
				}
				used += len + 1;
			} else {
				poffer(e, len, i % num, 0);
				KUNIT_ASSERT_EQ(test, pget(e), 1);
				KUNIT_ASSERT_EQ(test, e->chain.head, i % num | len << 16);
				taken += len;
				KUNIT_ASSERT_EQ(test, e->vq->last_avail_idx,
						count_pos(taken, num));
				u[0] = (struct vhn_used){ e->chain.head, i };
				KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, u, 1), 0);
				expect_used(e, count_pos(used, num), i % num, i);
				used += len;
			}
			KUNIT_ASSERT_EQ(test, e->vq->last_used_idx, count_pos(used, num));
			KUNIT_ASSERT_FALSE(test, e->vq->broken);
		}
		/* The whole ring held, one descriptor more breaks it. */
		for (i = 0; i < num; i++) {
			poffer(e, 1, i, 0);
			KUNIT_ASSERT_EQ(test, pget(e), 1);
		}
		poffer(e, 1, 0, 0);
		KUNIT_EXPECT_EQ(test, pget(e), -EINVAL);
		KUNIT_EXPECT_TRUE(test, e->vq->broken);
	}
}

/* SET_VRING_BASE positions are checked against any ring size. */
static void ring_packed_odd_size_base(struct kunit *test)
{
	struct penv *e = penv_new(test, 1000, P_FEATURES);

	e->vq->last_avail_idx = 999;
	e->vq->last_used_idx = P_W | 999;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), 0);
	e->vq->last_avail_idx = 1000;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), -EINVAL);
	e->vq->last_avail_idx = P_W | 999;
	e->vq->last_used_idx = P_W | 1000;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), -EINVAL);
	/* Avail a ring and one ahead of used. */
	e->vq->last_avail_idx = 1;
	e->vq->last_used_idx = P_W | 0;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), -EINVAL);
}

static void ring_packed_id_range(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES);

	poffer(e, 1, 8, 0);
	KUNIT_EXPECT_EQ(test, pget(e), -EINVAL);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
}

static void ring_packed_chain_too_long(struct kunit *test)
{
	struct penv *e = penv_new(test, 4, P_FEATURES);

	/* Every descriptor says NEXT: the walk stops after the ring. */
	poffer(e, 4, 0, VRING_DESC_F_NEXT);
	KUNIT_EXPECT_EQ(test, pget(e), -EINVAL);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
}

static void ring_packed_in_flight(struct kunit *test)
{
	struct penv *e = penv_new(test, 4, P_FEATURES);

	/* Three taken and not used, then the driver offers four more. */
	poffer(e, 3, 0, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	poffer(e, 1, 1, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	/* The slot at position 0 of the next lap is still ours. */
	poffer(e, 1, 2, 0);
	KUNIT_EXPECT_EQ(test, pget(e), -EINVAL);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
}

static void ring_packed_indirect_next(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES);

	poffer(e, 2, 0, VRING_DESC_F_INDIRECT);
	KUNIT_EXPECT_EQ(test, pget(e), -EINVAL);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
}

static void ring_packed_base_checked(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES);

	/* Index past the ring. */
	e->vq->last_avail_idx = P_W | 8;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), -EINVAL);
	/* Avail more than a ring ahead of used. */
	e->vq->last_avail_idx = P_W | 1;
	e->vq->last_used_idx = 0;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), -EINVAL);
	/* Exactly a ring ahead is a full ring. */
	e->vq->last_avail_idx = 1;
	e->vq->last_used_idx = P_W | 1;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), 0);
	/* Packed rings are VERSION_1 only. */
	e->vq->features &= ~BIT_ULL(VIRTIO_F_VERSION_1);
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), -EINVAL);
}

static void ring_packed_notify(struct kunit *test)
{
	struct penv *e = penv_new(test, 8, P_FEATURES | BIT_ULL(VIRTIO_RING_F_EVENT_IDX));
	struct vring_packed_desc_event __user *dev = (void __user *)e->vq->used;

	vhn_ring_notify_disable(e->vq);
	KUNIT_EXPECT_EQ(test, prd16(e, &dev->flags), VRING_PACKED_EVENT_FLAG_DISABLE);
	poffer(e, 1, 0, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	/* Nothing new after the chain taken: ask for a kick at position 1. */
	KUNIT_EXPECT_FALSE(test, vhn_ring_notify_enable(e->vq));
	KUNIT_EXPECT_EQ(test, prd16(e, &dev->flags), VRING_PACKED_EVENT_FLAG_DESC);
	KUNIT_EXPECT_EQ(test, prd16(e, &dev->off_wrap), P_W | 1);
	/* A chain given back is not news; a new one is. */
	vhn_ring_unget(e->vq, 1);
	KUNIT_EXPECT_FALSE(test, vhn_ring_notify_enable(e->vq));
	poffer(e, 1, 1, 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_notify_enable(e->vq));
	KUNIT_EXPECT_TRUE(test, vhn_ring_more_avail(e->vq));
}

static void put_desc_event(struct penv *e, u16 flags, u16 off_wrap)
{
	struct vring_packed_desc_event v = {
		.off_wrap = cpu_to_le16(off_wrap),
		.flags = cpu_to_le16(flags),
	};

	KUNIT_ASSERT_EQ(e->test, copy_to_user((void __user *)e->vq->avail, &v, sizeof(v)), 0);
}

static void ring_packed_signal(struct kunit *test)
{
	struct penv *e = penv_new(test, 4, P_FEATURES | BIT_ULL(VIRTIO_RING_F_EVENT_IDX));
	struct vhn_used u;
	int i;

	put_desc_event(e, VRING_PACKED_EVENT_FLAG_DISABLE, 0);
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(e->vq));
	put_desc_event(e, VRING_PACKED_EVENT_FLAG_ENABLE, 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(e->vq));
	/* Ask for the used descriptor at index 1 of the second lap. */
	put_desc_event(e, VRING_PACKED_EVENT_FLAG_DESC, 1);
	for (i = 0; i < 5; i++) {
		poffer(e, 1, i % 4, 0);
		KUNIT_ASSERT_EQ(test, pget(e), 1);
		u = (struct vhn_used){ e->chain.head, 0 };
		KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, &u, 1), 0);
		/* Used at 0, 1, 2, 3 of the first lap, 0 of the second: no. */
		KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(e->vq));
	}
	poffer(e, 1, 1, 0);
	KUNIT_ASSERT_EQ(test, pget(e), 1);
	u = (struct vhn_used){ e->chain.head, 0 };
	KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, &u, 1), 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(e->vq));
}

static struct kunit_case ring_packed_cases[] = {
	KUNIT_CASE(packed_move_wraps),
	KUNIT_CASE(packed_move_largest_ring),
	KUNIT_CASE(packed_move_any_size),
	KUNIT_CASE(packed_avail_flags),
	KUNIT_CASE(packed_event_basic),
	KUNIT_CASE(packed_event_across_wrap),
	KUNIT_CASE(packed_event_exhaustive),
	KUNIT_CASE(packed_event_any_size),
	KUNIT_CASE(ring_packed_chain),
	KUNIT_CASE(ring_packed_indirect),
	KUNIT_CASE(ring_packed_put_batch_wrap),
	KUNIT_CASE(ring_packed_put_more_than_taken),
	KUNIT_CASE(ring_packed_put_in_order),
	KUNIT_CASE(ring_packed_unget),
	KUNIT_CASE(ring_packed_odd_size_laps),
	KUNIT_CASE(ring_packed_odd_size_base),
	KUNIT_CASE(ring_packed_id_range),
	KUNIT_CASE(ring_packed_chain_too_long),
	KUNIT_CASE(ring_packed_in_flight),
	KUNIT_CASE(ring_packed_indirect_next),
	KUNIT_CASE(ring_packed_base_checked),
	KUNIT_CASE(ring_packed_notify),
	KUNIT_CASE(ring_packed_signal),
	{}
};

static struct kunit_suite ring_packed_suite = {
	.name = "vhost_net_ring_packed",
	.test_cases = ring_packed_cases,
	VHN_KUNIT_SUITE_MM
};

kunit_test_suites(&ring_packed_suite);
