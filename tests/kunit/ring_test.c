// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the split virtqueue against a fake guest. The rings and the
 * guest's RAM live in user memory of the test thread (kunit_vm_mmap()),
 * the memory table maps guest-physical addresses onto that RAM, and the
 * test writes descriptors the way a driver - or a hostile guest - would.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/uaccess.h>
#include <linux/vhost_types.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "compat.h"
#include "../../drivers/vhost/dev.h"
#include "../../drivers/vhost/iotlb.h"
#include "../../drivers/vhost/memmap.h"
#include "../../drivers/vhost/ring.h"
#include "../../drivers/vhost/vq.h"

/*
 * Layout of the test's user memory: the three rings, then guest RAM in two
 * regions that are adjacent in guest-physical space but not in the host's,
 * so a buffer across GPA 0x108000 takes two iovecs.
 */
#define T_DESC_OFF	0x0000
#define T_AVAIL_OFF	0x1000
#define T_USED_OFF	0x2000
#define T_RAM_A_OFF	0x10000
#define T_RAM_B_OFF	0x20000
#define T_MAP_SIZE	0x28000
#define T_GPA_A		0x100000ULL
#define T_GPA_B		0x108000ULL
#define T_REGION_SIZE	0x8000ULL
#define T_GPA_END	(T_GPA_B + T_REGION_SIZE)
#define T_IOV		16

#define T_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) | \
			 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC))

struct ring_env {
	struct kunit *test;
	struct vhn_dev *dev;
	struct vhn_vq *vq;
	unsigned long base;
	u16 avail_next;
	struct iovec iov[T_IOV];
	struct vhn_chain chain;
};

KUNIT_DEFINE_ACTION_WRAPPER(ring_kvfree, kvfree, const void *);

static void ring_drop_mem(void *data)
{
	struct vhn_dev *dev = data;

	vhn_memmap_free(rcu_replace_pointer(dev->mem, NULL, true));
}

static void __user *hva(struct ring_env *e, u64 gpa)
{
	u64 off = gpa < T_GPA_B ? T_RAM_A_OFF + gpa - T_GPA_A :
				  T_RAM_B_OFF + gpa - T_GPA_B;

	return (void __user *)(e->base + off);
}

/* A ring of @num entries, started, with an empty avail ring. */
static struct ring_env *ring_env_new(struct kunit *test, unsigned int num,
				     u64 features)
{
	struct vhost_memory_region regions[2] = {};
	struct vhn_memmap *map;
	struct ring_env *e;
	struct vhn_vq *vq;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	e->test = test;
	e->base = kunit_vm_mmap(test, NULL, 0, T_MAP_SIZE,
				PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE(test, e->base, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(e->base));

	regions[0].guest_phys_addr = T_GPA_A;
	regions[0].memory_size = T_REGION_SIZE;
	regions[0].userspace_addr = e->base + T_RAM_A_OFF;
	regions[1].guest_phys_addr = T_GPA_B;
	regions[1].memory_size = T_REGION_SIZE;
	regions[1].userspace_addr = e->base + T_RAM_B_OFF;
	map = vhn_memmap_create(regions, ARRAY_SIZE(regions));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);

	e->dev = kunit_kzalloc(test, sizeof(*e->dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e->dev);
	RCU_INIT_POINTER(e->dev->mem, map);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ring_drop_mem, e->dev), 0);

	vq = kvzalloc(sizeof(*vq), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vq);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ring_kvfree, vq), 0);
	vq->dev = e->dev;
	vq->num = num;
	vq->desc = (void __user *)(e->base + T_DESC_OFF);
	vq->avail = (void __user *)(e->base + T_AVAIL_OFF);
	vq->used = (void __user *)(e->base + T_USED_OFF);
	vq->is_le = true;
	vq->features = features;
	e->vq = vq;
	KUNIT_ASSERT_EQ(test, vhn_ring_start(vq), 0);
	return e;
}

static void wr_desc(struct ring_env *e, struct vring_desc __user *d, u64 gpa,
		    u32 len, u16 flags, u16 next)
{
	struct vring_desc v = {
		.addr = (__force __virtio64)cpu_to_le64(gpa),
		.len = cpu_to_vhn32(e->vq, len),
		.flags = cpu_to_vhn16(e->vq, flags),
		.next = cpu_to_vhn16(e->vq, next),
	};

	KUNIT_ASSERT_EQ(e->test, copy_to_user(d, &v, sizeof(v)), 0);
}

/* Entry @i of the descriptor table. */
static void set_desc(struct ring_env *e, u16 i, u64 gpa, u32 len, u16 flags,
		     u16 next)
{
	wr_desc(e, e->vq->desc + i, gpa, len, flags, next);
}

/* Entry @i of an indirect table at guest address @table. */
static void set_idesc(struct ring_env *e, u64 table, u16 i, u64 gpa, u32 len,
		      u16 flags, u16 next)
{
	wr_desc(e, hva(e, table + 16ULL * i), gpa, len, flags, next);
}

static void set_avail_idx(struct ring_env *e, u16 idx)
{
	KUNIT_ASSERT_EQ(e->test, put_user(cpu_to_vhn16(e->vq, idx), &e->vq->avail->idx), 0);
}

/* Offer the chain at @head, as a driver does: entry first, then idx. */
static void offer(struct ring_env *e, u16 head)
{
	__virtio16 __user *slot = &e->vq->avail->ring[e->avail_next & (e->vq->num - 1)];

	KUNIT_ASSERT_EQ(e->test, put_user(cpu_to_vhn16(e->vq, head), slot), 0);
	set_avail_idx(e, ++e->avail_next);
}

static int get(struct ring_env *e)
{
	memset(&e->chain, 0xaa, sizeof(e->chain));
	return vhn_ring_get(e->vq, e->iov, T_IOV, &e->chain);
}

static u16 rd16(struct ring_env *e, __virtio16 __user *p)
{
	__virtio16 v;

	KUNIT_ASSERT_EQ(e->test, get_user(v, p), 0);
	return vhn16_to_cpu(e->vq, v);
}

static __virtio16 __user *used_event(struct ring_env *e)
{
	return &e->vq->avail->ring[e->vq->num];
}

static __virtio16 __user *avail_event(struct ring_env *e)
{
	return (__virtio16 __user *)&e->vq->used->ring[e->vq->num];
}

/* iov[@n] is the host view of guest range [@gpa, @gpa + @len). */
static void expect_iov(struct ring_env *e, unsigned int n, u64 gpa, size_t len)
{
	/* As numbers: KUnit's pointer checks drop sparse's __user. */
	KUNIT_EXPECT_EQ(e->test, (unsigned long)e->iov[n].iov_base,
			(unsigned long)hva(e, gpa));
	KUNIT_EXPECT_EQ(e->test, e->iov[n].iov_len, len);
}

/* A failed get leaves the ring broken, with nothing taken. */
static void expect_fail(struct ring_env *e, int err)
{
	u16 last = e->vq->last_avail_idx;

	KUNIT_EXPECT_EQ(e->test, get(e), err);
	KUNIT_EXPECT_TRUE(e->test, e->vq->broken);
	KUNIT_EXPECT_EQ(e->test, e->vq->last_avail_idx, last);
}

static void ring_start_checks(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	struct vhn_vq *vq = e->vq;
	void __user *used = vq->used;
	struct vhn_memmap *map;

	/* used->idx is where we carry on; nothing is written. */
	KUNIT_ASSERT_EQ(test, put_user(cpu_to_vhn16(vq, 7), &vq->used->idx), 0);
	vq->broken = true;
	vq->signalled_used_valid = true;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), 0);
	KUNIT_EXPECT_EQ(test, vq->last_used_idx, 7);
	KUNIT_EXPECT_FALSE(test, vq->broken);
	KUNIT_EXPECT_FALSE(test, vq->signalled_used_valid);
	KUNIT_EXPECT_EQ(test, rd16(e, &vq->used->flags), 0);

	vq->num = 0;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), -EFAULT);
	vq->num = 6;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), -EFAULT);
	vq->num = 8;
	vq->used = NULL;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), -EFAULT);
	/* No memory table: nothing in the ring could be translated. */
	vq->used = used;
	map = rcu_replace_pointer(e->dev->mem, NULL, true);
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), -EFAULT);
	rcu_assign_pointer(e->dev->mem, map);
	/* A used ring whose avail_event would cross into kernel space. */
	vq->used = (void __user *)(TASK_SIZE_MAX - 8 * 8);
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), -EFAULT);
	/* Addressable but not mapped. */
	vq->used = (void __user *)(e->base + T_MAP_SIZE + 0x100000);
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), -EFAULT);
	vq->used = used;
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), 0);

	/*
	 * With LOG_ALL, a queue starting with a bitmap that cannot cover
	 * the memory table (64 KiB of guest RAM need 2 bitmap bytes; only
	 * one is below the top of user space) is refused.
	 */
	vq->features |= BIT_ULL(VHOST_F_LOG_ALL);
	vq->log_base = (void __user *)(TASK_SIZE_MAX - 1 - T_GPA_A / 32768);
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), -EFAULT);
	vq->log_base = (void __user *)(TASK_SIZE_MAX - 4096);
	KUNIT_EXPECT_EQ(test, vhn_ring_start(vq), 0);
	vq->features &= ~BIT_ULL(VHOST_F_LOG_ALL);
	vq->log_base = NULL;
}

static void ring_get_direct(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	KUNIT_EXPECT_EQ(test, get(e), 0);
	set_desc(e, 3, T_GPA_A + 0x100, 64, 0, 0);
	offer(e, 3);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 3);
	KUNIT_EXPECT_EQ(test, e->chain.out, 1);
	KUNIT_EXPECT_EQ(test, e->chain.in, 0);
	KUNIT_EXPECT_EQ(test, e->chain.out_len, 64);
	KUNIT_EXPECT_EQ(test, e->chain.in_len, 0);
	expect_iov(e, 0, T_GPA_A + 0x100, 64);
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, 1);
	KUNIT_EXPECT_EQ(test, get(e), 0);
	KUNIT_EXPECT_FALSE(test, e->vq->broken);
}

static void ring_get_chain(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	/* out 10, empty out, out 20, in 100 across the region boundary. */
	set_desc(e, 0, T_GPA_A + 0x10, 10, VRING_DESC_F_NEXT, 5);
	set_desc(e, 5, T_GPA_A + 0x800, 0, VRING_DESC_F_NEXT, 2);
	set_desc(e, 2, T_GPA_A + 0x20, 20, VRING_DESC_F_NEXT, 7);
	set_desc(e, 7, T_GPA_B - 40, 100, VRING_DESC_F_WRITE, 0);
	offer(e, 0);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 0);
	KUNIT_EXPECT_EQ(test, e->chain.out, 2);
	KUNIT_EXPECT_EQ(test, e->chain.in, 2);
	KUNIT_EXPECT_EQ(test, e->chain.out_len, 30);
	KUNIT_EXPECT_EQ(test, e->chain.in_len, 100);
	/* The empty descriptor counts: the budget charges what was read. */
	KUNIT_EXPECT_EQ(test, e->chain.descs, 4);
	expect_iov(e, 0, T_GPA_A + 0x10, 10);
	expect_iov(e, 1, T_GPA_A + 0x20, 20);
	expect_iov(e, 2, T_GPA_B - 40, 40);
	expect_iov(e, 3, T_GPA_B, 60);
}

/* Chains are taken off the cached index: avail->idx is read once a batch. */
static void ring_get_batch_one_idx_read(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	set_desc(e, 0, T_GPA_A, 1, 0, 0);
	set_desc(e, 1, T_GPA_A, 2, 0, 0);
	offer(e, 0);
	offer(e, 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->vq->avail_idx, 2);
	/* Moving the index back now must not matter until the batch is done. */
	set_avail_idx(e, 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 1);
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, 2);
}

static void ring_get_indirect(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	u64 t = T_GPA_A + 0x1000;

	set_idesc(e, t, 0, T_GPA_A + 0x2000, 12, VRING_DESC_F_NEXT, 1);
	set_idesc(e, t, 1, T_GPA_A + 0x3000, 1500,
		  VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	set_idesc(e, t, 2, T_GPA_A + 0x4000, 0, VRING_DESC_F_WRITE, 0);
	/* The WRITE flag on the indirect descriptor itself is ignored. */
	set_desc(e, 4, t, 3 * 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE, 0);
	offer(e, 4);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 4);
	KUNIT_EXPECT_EQ(test, e->chain.out, 1);
	KUNIT_EXPECT_EQ(test, e->chain.in, 1);
	KUNIT_EXPECT_EQ(test, e->chain.out_len, 12);
	KUNIT_EXPECT_EQ(test, e->chain.in_len, 1500);
	/* The indirect descriptor and the three entries of its table. */
	KUNIT_EXPECT_EQ(test, e->chain.descs, 4);
	expect_iov(e, 0, T_GPA_A + 0x2000, 12);
	expect_iov(e, 1, T_GPA_A + 0x3000, 1500);
}

/* NEXT on an indirect descriptor goes on after the table. */
static void ring_get_indirect_next(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	u64 t = T_GPA_A + 0x1000;

	set_desc(e, 0, T_GPA_A + 0x100, 8, VRING_DESC_F_NEXT, 1);
	set_desc(e, 1, t, 2 * 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 6);
	set_idesc(e, t, 0, T_GPA_A + 0x200, 16, VRING_DESC_F_NEXT, 1);
	set_idesc(e, t, 1, T_GPA_A + 0x300, 32, VRING_DESC_F_WRITE, 0);
	set_desc(e, 6, T_GPA_A + 0x400, 64, VRING_DESC_F_WRITE, 0);
	offer(e, 0);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.out, 2);
	KUNIT_EXPECT_EQ(test, e->chain.in, 2);
	KUNIT_EXPECT_EQ(test, e->chain.out_len, 24);
	KUNIT_EXPECT_EQ(test, e->chain.in_len, 96);
	expect_iov(e, 0, T_GPA_A + 0x100, 8);
	expect_iov(e, 1, T_GPA_A + 0x200, 16);
	expect_iov(e, 2, T_GPA_A + 0x300, 32);
	expect_iov(e, 3, T_GPA_A + 0x400, 64);
}

/*
 * A table across the region boundary (two host segments), followed out of
 * order through its "next" fields: 0 -> 5 -> 1 -> 4.
 */
static void ring_get_indirect_split(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	u64 t = T_GPA_B - 3 * 16;

	set_idesc(e, t, 0, T_GPA_A + 0x100, 1, VRING_DESC_F_NEXT, 5);
	set_idesc(e, t, 5, T_GPA_A + 0x500, 5, VRING_DESC_F_NEXT, 1);
	set_idesc(e, t, 1, T_GPA_A + 0x200, 2, VRING_DESC_F_NEXT, 4);
	set_idesc(e, t, 4, T_GPA_A + 0x400, 4, VRING_DESC_F_WRITE, 0);
	/* Decoys that an in-order reader would pick up. */
	set_idesc(e, t, 2, T_GPA_A + 0x999, 9, 0, 0);
	set_idesc(e, t, 3, T_GPA_A + 0x999, 9, 0, 0);
	set_desc(e, 0, t, 6 * 16, VRING_DESC_F_INDIRECT, 0);
	offer(e, 0);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.out, 3);
	KUNIT_EXPECT_EQ(test, e->chain.in, 1);
	expect_iov(e, 0, T_GPA_A + 0x100, 1);
	expect_iov(e, 1, T_GPA_A + 0x500, 5);
	expect_iov(e, 2, T_GPA_A + 0x200, 2);
	expect_iov(e, 3, T_GPA_A + 0x400, 4);
}

static void ring_get_order(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	u64 t = T_GPA_A + 0x1000;

	set_desc(e, 0, T_GPA_A, 10, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	set_desc(e, 1, T_GPA_A, 10, 0, 0);
	offer(e, 0);
	expect_fail(e, -EINVAL);

	/* The same inside an indirect table, even with a zero-length in. */
	e = ring_env_new(test, 8, T_FEATURES);
	set_idesc(e, t, 0, T_GPA_A, 0, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	set_idesc(e, t, 1, T_GPA_A, 10, 0, 0);
	set_desc(e, 0, t, 32, VRING_DESC_F_INDIRECT, 0);
	offer(e, 0);
	expect_fail(e, -EINVAL);
}

static void ring_get_loop(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 256, T_FEATURES);
	ktime_t t0 = ktime_get();
	u64 t = T_GPA_A + 0x1000;

	/* Zero-length, so no iovec limit can end the walk for us. */
	set_desc(e, 0, T_GPA_A, 0, VRING_DESC_F_NEXT, 1);
	set_desc(e, 1, T_GPA_A, 0, VRING_DESC_F_NEXT, 0);
	offer(e, 0);
	expect_fail(e, -EINVAL);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 1000);

	/* A self-loop in an indirect table. */
	e = ring_env_new(test, 8, T_FEATURES);
	set_idesc(e, t, 0, T_GPA_A, 0, VRING_DESC_F_NEXT, 1);
	set_idesc(e, t, 1, T_GPA_A, 0, VRING_DESC_F_NEXT, 1);
	set_desc(e, 0, t, 2 * 16, VRING_DESC_F_INDIRECT, 0);
	offer(e, 0);
	expect_fail(e, -EINVAL);
}

static void ring_get_head_range(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	offer(e, 8);
	expect_fail(e, -EINVAL);
}

static void ring_get_next_range(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	u64 t = T_GPA_A + 0x1000;

	set_desc(e, 0, T_GPA_A, 4, VRING_DESC_F_NEXT, 8);
	offer(e, 0);
	expect_fail(e, -EINVAL);

	/* In a table, next must stay inside the table. */
	e = ring_env_new(test, 8, T_FEATURES);
	set_idesc(e, t, 0, T_GPA_A, 4, VRING_DESC_F_NEXT, 2);
	set_idesc(e, t, 1, T_GPA_A, 4, 0, 0);
	set_idesc(e, t, 2, T_GPA_A, 4, 0, 0);
	set_desc(e, 0, t, 2 * 16, VRING_DESC_F_INDIRECT, 0);
	offer(e, 0);
	expect_fail(e, -EINVAL);
}

static void ring_get_avail_jump(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	set_desc(e, 0, T_GPA_A, 4, 0, 0);
	/* A full ring is fine... */
	set_avail_idx(e, 8);
	KUNIT_EXPECT_EQ(test, get(e), 1);
	/* ...one more than a ring ahead of last_avail_idx (1) is not. */
	set_avail_idx(e, 10);
	e->vq->avail_idx = e->vq->last_avail_idx;
	expect_fail(e, -EINVAL);

	/* Backwards is a jump of nearly 2^16. */
	e = ring_env_new(test, 8, T_FEATURES);
	set_avail_idx(e, 0xffff);
	expect_fail(e, -EINVAL);
}

static void ring_get_nested_indirect(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	u64 t = T_GPA_A + 0x1000, t2 = T_GPA_A + 0x2000;

	set_idesc(e, t2, 0, T_GPA_A, 4, 0, 0);
	set_idesc(e, t, 0, t2, 16, VRING_DESC_F_INDIRECT, 0);
	set_desc(e, 0, t, 16, VRING_DESC_F_INDIRECT, 0);
	offer(e, 0);
	expect_fail(e, -EINVAL);
}

static void ring_get_indirect_len(struct kunit *test)
{
	static const u32 bad[] = { 0, 24, 8, 65536 * 16 + 16 };
	u64 t = T_GPA_A + 0x1000;
	struct ring_env *e;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		e = ring_env_new(test, 8, T_FEATURES);
		set_idesc(e, t, 0, T_GPA_A, 4, 0, 0);
		set_idesc(e, t, 1, T_GPA_A, 4, 0, 0);
		set_desc(e, 0, t, bad[k], VRING_DESC_F_INDIRECT, 0);
		offer(e, 0);
		expect_fail(e, -EINVAL);
	}
}

static void ring_get_outside_memory(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	set_desc(e, 0, T_GPA_A - 0x1000, 16, 0, 0);
	offer(e, 0);
	expect_fail(e, -EFAULT);

	/* Starts inside, ends past the last region. */
	e = ring_env_new(test, 8, T_FEATURES);
	set_desc(e, 0, T_GPA_END - 8, 16, VRING_DESC_F_WRITE, 0);
	offer(e, 0);
	expect_fail(e, -EFAULT);

	/* An indirect table that is not in guest memory. */
	e = ring_env_new(test, 8, T_FEATURES);
	set_desc(e, 0, T_GPA_END, 16, VRING_DESC_F_INDIRECT, 0);
	offer(e, 0);
	expect_fail(e, -EFAULT);
}

/*
 * Each field of a descriptor is read on its own (vhn_desc_read()): every
 * one lands where it belongs, also in a big-endian legacy ring, and a
 * table that cannot be read fails the ring.
 */
static void ring_get_desc_fields(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	unsigned long none;

	set_desc(e, 6, T_GPA_B + 0x1230, 0x345, VRING_DESC_F_NEXT, 4);
	set_desc(e, 4, T_GPA_A + 0x40, 0x10, VRING_DESC_F_WRITE, 7);
	offer(e, 6);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 6);
	KUNIT_EXPECT_EQ(test, e->chain.out_len, 0x345);
	KUNIT_EXPECT_EQ(test, e->chain.in_len, 0x10);
	expect_iov(e, 0, T_GPA_B + 0x1230, 0x345);
	expect_iov(e, 1, T_GPA_A + 0x40, 0x10);

	e = ring_env_new(test, 8, 0);
	e->vq->is_le = false;
	KUNIT_ASSERT_EQ(test, vhn_ring_start(e->vq), 0);
	wr_desc(e, e->vq->desc + 2, 0, 0x20, VRING_DESC_F_NEXT, 3);
	/* wr_desc() writes the address little-endian: put it big-endian. */
	KUNIT_ASSERT_EQ(test, put_user((__force __virtio64)cpu_to_be64(T_GPA_A + 0x80),
				       &e->vq->desc[2].addr), 0);
	wr_desc(e, e->vq->desc + 3, 0, 0x30, VRING_DESC_F_WRITE, 0);
	KUNIT_ASSERT_EQ(test, put_user((__force __virtio64)cpu_to_be64(T_GPA_B),
				       &e->vq->desc[3].addr), 0);
	offer(e, 2);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.out_len, 0x20);
	KUNIT_EXPECT_EQ(test, e->chain.in_len, 0x30);
	expect_iov(e, 0, T_GPA_A + 0x80, 0x20);
	expect_iov(e, 1, T_GPA_B, 0x30);

	/* A descriptor table in a page that cannot be read. */
	e = ring_env_new(test, 8, T_FEATURES);
	none = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_NONE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(none));
	e->vq->desc = (void __user *)none;
	offer(e, 1);
	expect_fail(e, -EFAULT);
}

/*
 * Too little room in the iovec is the caller's to judge (RX drops a frame
 * that is too scattered, TX fails the ring): the chain is not taken, the
 * ring not failed, and a call with room takes it.
 */
static void ring_get_enobufs(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	set_desc(e, 0, T_GPA_A, 4, VRING_DESC_F_NEXT, 1);
	set_desc(e, 1, T_GPA_A, 4, VRING_DESC_F_NEXT, 2);
	set_desc(e, 2, T_GPA_A, 4, 0, 0);
	offer(e, 0);
	KUNIT_EXPECT_EQ(test, vhn_ring_get(e->vq, e->iov, 2, &e->chain), -ENOBUFS);
	KUNIT_EXPECT_FALSE(test, e->vq->broken);
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, 0);
	KUNIT_EXPECT_EQ(test, vhn_ring_get(e->vq, e->iov, 3, &e->chain), 1);
	KUNIT_EXPECT_EQ(test, e->chain.out, 3);

	/* One descriptor that needs two iovecs, with room for one. */
	e = ring_env_new(test, 8, T_FEATURES);
	set_desc(e, 0, T_GPA_B - 4, 8, 0, 0);
	offer(e, 0);
	KUNIT_EXPECT_EQ(test, vhn_ring_get(e->vq, e->iov, 1, &e->chain), -ENOBUFS);
	KUNIT_EXPECT_FALSE(test, e->vq->broken);
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, 0);
}

static void ring_get_len_overflow(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	/* Refused for its length, before its (bogus) address is looked at. */
	set_desc(e, 0, T_GPA_A, 16, VRING_DESC_F_NEXT, 1);
	set_desc(e, 1, T_GPA_A, U32_MAX - 15, VRING_DESC_F_WRITE, 0);
	offer(e, 0);
	expect_fail(e, -EINVAL);
}

static void ring_broken_stays(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	offer(e, 9);
	expect_fail(e, -EINVAL);
	/* Fixing the ring does not help until the ring is started again. */
	set_desc(e, 1, T_GPA_A, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, put_user(cpu_to_vhn16(e->vq, 1), &e->vq->avail->ring[0]), 0);
	KUNIT_EXPECT_EQ(test, get(e), -EIO);
	KUNIT_EXPECT_EQ(test, get(e), -EIO);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
	KUNIT_EXPECT_FALSE(test, vhn_ring_more_avail(e->vq));
	KUNIT_EXPECT_FALSE(test, vhn_ring_notify_enable(e->vq));
	KUNIT_EXPECT_EQ(test, vhn_ring_start(e->vq), 0);
	KUNIT_EXPECT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 1);
}

static void ring_unget(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	set_desc(e, 0, T_GPA_A, 1, 0, 0);
	set_desc(e, 1, T_GPA_A, 2, 0, 0);
	set_desc(e, 2, T_GPA_A, 3, 0, 0);
	offer(e, 0);
	offer(e, 1);
	offer(e, 2);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, get(e), 0);
	vhn_ring_unget(e->vq, 2);
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 2);
	KUNIT_EXPECT_EQ(test, get(e), 0);
}

static void expect_used(struct ring_env *e, unsigned int slot, u32 id, u32 len)
{
	struct vring_used_elem u;

	KUNIT_ASSERT_EQ(e->test, copy_from_user(&u, &e->vq->used->ring[slot], sizeof(u)), 0);
	KUNIT_EXPECT_EQ(e->test, vhn32_to_cpu(e->vq, u.id), id);
	KUNIT_EXPECT_EQ(e->test, vhn32_to_cpu(e->vq, u.len), len);
}

static void ring_put_wrap(struct kunit *test)
{
	const struct vhn_used a[] = { { 0, 100 }, { 1, 101 }, { 2, 102 } };
	const struct vhn_used b[] = { { 3, 200 }, { 0, 201 }, { 1, 202 } };
	struct ring_env *e = ring_env_new(test, 4, T_FEATURES);

	KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, a, 3), 0);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 3);
	KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, b, 3), 0);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 6);
	KUNIT_EXPECT_EQ(test, e->vq->last_used_idx, 6);
	expect_used(e, 0, 0, 201);
	expect_used(e, 1, 1, 202);
	expect_used(e, 2, 2, 102);
	expect_used(e, 3, 3, 200);
	/* Nothing written past the ring but avail_event, which is not ours here. */
	KUNIT_EXPECT_EQ(test, rd16(e, avail_event(e)), 0);
	KUNIT_EXPECT_EQ(test, vhn_ring_put(e->vq, a, 0), 0);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 6);
}

/*
 * A driver that offers heads again before getting them back can make us
 * owe more entries than the ring has slots: that breaks the ring, and
 * nothing is written.
 */
static void ring_put_too_many(struct kunit *test)
{
	const struct vhn_used a[] = { { 0, 1 }, { 1, 1 }, { 2, 1 }, { 3, 1 }, { 0, 1 } };
	struct ring_env *e = ring_env_new(test, 4, T_FEATURES);

	KUNIT_EXPECT_EQ(test, vhn_ring_put(e->vq, a, 5), -EINVAL);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 0);
	KUNIT_EXPECT_EQ(test, e->vq->last_used_idx, 0);
}

/* A legacy big-endian ring gets its entries converted. */
static void ring_put_big_endian(struct kunit *test)
{
	const struct vhn_used a[] = { { 1, 0x01020304 }, { 2, 5 } };
	struct ring_env *e = ring_env_new(test, 4, 0);
	__be32 raw[2];

	e->vq->is_le = false;
	KUNIT_ASSERT_EQ(test, vhn_ring_put(e->vq, a, 2), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(raw, &e->vq->used->ring[0], sizeof(raw)), 0);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(raw[0]), 1);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(raw[1]), 0x01020304);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 2);
	expect_used(e, 1, 2, 5);
}

#define T_IN_ORDER	(T_FEATURES | BIT_ULL(VIRTIO_F_IN_ORDER))

/*
 * In order, a batch goes back as one entry, the last chain's, written at
 * the slot of the batch's first chain; used->idx moves on by the batch's
 * size, and the slots in between are not written.
 */
static void ring_put_in_order(struct kunit *test)
{
	const struct vhn_used a = { 3, 0 }, b = { 1, 9 }, c = { 2, 0 };
	struct ring_env *e = ring_env_new(test, 4, T_IN_ORDER);

	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(e->vq, &a, 3), 0);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 3);
	KUNIT_EXPECT_EQ(test, e->vq->last_used_idx, 3);
	expect_used(e, 0, 3, 0);
	expect_used(e, 1, 0, 0);
	expect_used(e, 2, 0, 0);
	/* The next batch starts at slot 3 and wraps: only slot 3 is written. */
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(e->vq, &b, 2), 0);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 5);
	expect_used(e, 3, 1, 9);
	expect_used(e, 0, 3, 0);
	/* A whole ring's worth in one entry, at slot 5 % 4. */
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(e->vq, &c, 4), 0);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 9);
	expect_used(e, 1, 2, 0);
	expect_used(e, 2, 0, 0);
	/* An empty batch writes nothing. */
	KUNIT_EXPECT_EQ(test, vhn_ring_put_in_order(e->vq, &a, 0), 0);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 9);
	KUNIT_EXPECT_FALSE(test, e->vq->broken);
	/* More chains than slots: heads offered again in flight. */
	KUNIT_EXPECT_EQ(test, vhn_ring_put_in_order(e->vq, &a, 5), -EINVAL);
	KUNIT_EXPECT_TRUE(test, e->vq->broken);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->idx), 9);
	KUNIT_EXPECT_EQ(test, e->vq->last_used_idx, 9);
}

/* EVENT_IDX: a batch of one entry still signals when it covers used_event. */
static void ring_put_in_order_signal(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_IN_ORDER |
					  BIT_ULL(VIRTIO_RING_F_EVENT_IDX));
	const struct vhn_used u = { 5, 0 };
	struct vhn_vq *vq = e->vq;

	KUNIT_ASSERT_EQ(test, put_user(cpu_to_vhn16(vq, 1), used_event(e)), 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	/* 0 -> 3 publishes entry 1, which the driver waits for. */
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(vq, &u, 3), 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	/* 3 -> 6 does not publish entry 6. */
	KUNIT_ASSERT_EQ(test, put_user(cpu_to_vhn16(vq, 6), used_event(e)), 0);
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(vq, &u, 3), 0);
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(vq));
	/* 6 -> 7 does. */
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(vq, &u, 1), 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
}

static void ring_notify_flags(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	vhn_ring_notify_disable(e->vq);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->flags), VRING_USED_F_NO_NOTIFY);
	KUNIT_EXPECT_FALSE(test, vhn_ring_notify_enable(e->vq));
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->flags), 0);

	/* A buffer slipped in while kicks were off: don't sleep. */
	vhn_ring_notify_disable(e->vq);
	set_desc(e, 0, T_GPA_A, 4, 0, 0);
	offer(e, 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_notify_enable(e->vq));
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->flags), 0);
	KUNIT_EXPECT_EQ(test, get(e), 1);
	/* No avail_event without EVENT_IDX. */
	KUNIT_EXPECT_EQ(test, rd16(e, avail_event(e)), 0);
}

static void ring_notify_event_idx(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES |
					  BIT_ULL(VIRTIO_RING_F_EVENT_IDX));

	set_desc(e, 0, T_GPA_A, 4, 0, 0);
	offer(e, 0);
	offer(e, 0);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	vhn_ring_notify_disable(e->vq);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->flags), 0);
	KUNIT_EXPECT_FALSE(test, vhn_ring_notify_enable(e->vq));
	KUNIT_EXPECT_EQ(test, rd16(e, avail_event(e)), 2);
	KUNIT_EXPECT_EQ(test, rd16(e, &e->vq->used->flags), 0);

	offer(e, 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_notify_enable(e->vq));
	KUNIT_EXPECT_EQ(test, get(e), 1);
	KUNIT_EXPECT_FALSE(test, vhn_ring_notify_enable(e->vq));
	KUNIT_EXPECT_EQ(test, rd16(e, avail_event(e)), 3);
}

/*
 * RX without room for a whole frame gives its chains back and sleeps.
 * Those chains are not news: only a chain published after that wakes it,
 * or a guest that is slow to refill would keep the worker spinning.
 */
static void ring_notify_given_back(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES |
					  BIT_ULL(VIRTIO_RING_F_EVENT_IDX));

	set_desc(e, 0, T_GPA_A, 4, VRING_DESC_F_WRITE, 0);
	set_desc(e, 1, T_GPA_A, 4, VRING_DESC_F_WRITE, 0);
	offer(e, 0);
	offer(e, 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	vhn_ring_unget(e->vq, 2);
	KUNIT_EXPECT_FALSE(test, vhn_ring_notify_enable(e->vq));
	/* The kick we asked for: when the driver goes past what we saw. */
	KUNIT_EXPECT_EQ(test, rd16(e, avail_event(e)), 2);
	offer(e, 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_notify_enable(e->vq));
	/* The chains given back are still there, in order. */
	KUNIT_EXPECT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 0);
	KUNIT_EXPECT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, e->chain.head, 1);
	KUNIT_EXPECT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, get(e), 0);
}

static void ring_more_avail(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);

	KUNIT_EXPECT_FALSE(test, vhn_ring_more_avail(e->vq));
	set_desc(e, 0, T_GPA_A, 4, 0, 0);
	offer(e, 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_more_avail(e->vq));
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_FALSE(test, vhn_ring_more_avail(e->vq));
}

static void ring_signal_no_interrupt(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	struct vhn_vq *vq = e->vq;

	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	KUNIT_ASSERT_EQ(test, put_user(cpu_to_vhn16(vq, VRING_AVAIL_F_NO_INTERRUPT),
				       &vq->avail->flags), 0);
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(vq));
	/* With no call eventfd, signalling is a no-op. */
	vhn_ring_signal(vq);
	KUNIT_ASSERT_EQ(test, put_user(0, &vq->avail->flags), 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
}

static void set_used_event(struct ring_env *e, u16 v)
{
	KUNIT_ASSERT_EQ(e->test, put_user(cpu_to_vhn16(e->vq, v), used_event(e)), 0);
}

static void ring_signal_event_idx_wrap(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES |
					  BIT_ULL(VIRTIO_RING_F_EVENT_IDX));
	const struct vhn_used u[4] = {};
	struct vhn_vq *vq = e->vq;

	KUNIT_ASSERT_EQ(test, put_user(cpu_to_vhn16(vq, 0xfffd), &vq->used->idx), 0);
	KUNIT_ASSERT_EQ(test, vhn_ring_start(vq), 0);
	KUNIT_ASSERT_EQ(test, vq->last_used_idx, 0xfffd);
	/* No signal recorded yet: signal. */
	set_used_event(e, 0x1234);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	KUNIT_EXPECT_EQ(test, vq->signalled_used, 0xfffd);

	/* 0xfffd -> 0x0001 publishes entry 0xffff. */
	set_used_event(e, 0xffff);
	KUNIT_ASSERT_EQ(test, vhn_ring_put(vq, u, 4), 0);
	KUNIT_EXPECT_EQ(test, rd16(e, &vq->used->idx), 1);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	/* Nothing new since: no signal. */
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(vq));

	/* The driver waits for entry 1; 0x0001 -> 0x0002 publishes it. */
	set_used_event(e, 1);
	KUNIT_ASSERT_EQ(test, vhn_ring_put(vq, u, 1), 0);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));

	/* Waiting for entry 5: 0x0002 -> 0x0004 does not publish it. */
	set_used_event(e, 5);
	KUNIT_ASSERT_EQ(test, vhn_ring_put(vq, u, 2), 0);
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(vq));
	/* A used_event already behind us (0xfffe) is not crossed again. */
	set_used_event(e, 0xfffe);
	KUNIT_ASSERT_EQ(test, vhn_ring_put(vq, u, 1), 0);
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(vq));
}

/* 2^16 entries published without a signal: used_event can't be trusted. */
static void ring_signal_stale_after_wrap(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES |
					  BIT_ULL(VIRTIO_RING_F_EVENT_IDX));
	const struct vhn_used u[4] = {};
	struct vhn_vq *vq = e->vq;

	set_used_event(e, 20);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	KUNIT_EXPECT_TRUE(test, vq->signalled_used_valid);
	/* As if 0xfffe entries had been used since the signal at 0. */
	vq->last_used_idx = 0xfffe;
	KUNIT_ASSERT_EQ(test, vhn_ring_put(vq, u, 1), 0);
	KUNIT_EXPECT_TRUE(test, vq->signalled_used_valid);
	/* This batch goes past 0x10000, i.e. over signalled_used (0). */
	KUNIT_ASSERT_EQ(test, vhn_ring_put(vq, u, 3), 0);
	KUNIT_EXPECT_FALSE(test, vq->signalled_used_valid);
	/* need_event(20, 2, 0) alone would say no. */
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(vq));
}

static void ring_signal_notify_on_empty(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES |
					  BIT_ULL(VIRTIO_F_NOTIFY_ON_EMPTY));
	struct vhn_vq *vq = e->vq;

	KUNIT_ASSERT_EQ(test, put_user(cpu_to_vhn16(vq, VRING_AVAIL_F_NO_INTERRUPT),
				       &vq->avail->flags), 0);
	/* Empty ring: signal despite NO_INTERRUPT. */
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	set_desc(e, 0, T_GPA_A, 4, 0, 0);
	offer(e, 0);
	offer(e, 0);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	/* One still waiting: NO_INTERRUPT rules. */
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(vq));
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));

	/* The same with EVENT_IDX, used_event far away. */
	vq->features |= BIT_ULL(VIRTIO_RING_F_EVENT_IDX);
	set_used_event(e, 0x8000);
	KUNIT_EXPECT_TRUE(test, vhn_ring_want_signal(vq));
	vq->features &= ~BIT_ULL(VIRTIO_F_NOTIFY_ON_EMPTY);
	KUNIT_EXPECT_FALSE(test, vhn_ring_want_signal(vq));
}

/* A dirty bitmap in the test's user memory, between the rings and RAM. */
#define T_LOG_OFF	0x4000

static void __user *log_bitmap(struct ring_env *e)
{
	return (void __user *)(e->base + T_LOG_OFF);
}

/* Is the page holding guest address @gpa marked in the bitmap? */
static bool logged(struct ring_env *e, u64 gpa)
{
	u64 page = gpa / 4096;
	u8 byte;

	KUNIT_ASSERT_EQ(e->test, get_user(byte, (u8 __user *)log_bitmap(e) + page / 8), 0);
	return byte & BIT(page % 8);
}

/*
 * With VHOST_F_LOG_ALL, taking a chain records its writable descriptors
 * (not the readable ones), and logging N bytes written marks the pages of
 * the first N bytes of them, in order, and no page after.
 */
static void ring_log_rx_chain(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES | BIT_ULL(VHOST_F_LOG_ALL));
	struct vhn_vq *vq = e->vq;

	vq->log_base = log_bitmap(e);
	set_desc(e, 0, T_GPA_A + 0x10, 100, VRING_DESC_F_NEXT, 1);
	set_desc(e, 1, T_GPA_A + 0x1000, 0x2000, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	set_desc(e, 2, T_GPA_B - 0x10, 0x20, VRING_DESC_F_WRITE, 0);
	offer(e, 0);
	vhn_ring_log_start(vq);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_ASSERT_EQ(test, vq->ndirty, 2);
	KUNIT_EXPECT_EQ(test, vq->dirty[0].gpa, T_GPA_A + 0x1000);
	KUNIT_EXPECT_EQ(test, vq->dirty[0].len, 0x2000);
	KUNIT_EXPECT_EQ(test, vq->dirty[1].gpa, T_GPA_B - 0x10);
	KUNIT_EXPECT_EQ(test, vq->dirty[1].len, 0x20);

	/* 0x2008 bytes: all of the first buffer, 8 bytes of the second. */
	KUNIT_ASSERT_EQ(test, vhn_log_chains(vq, 0x2008), 0);
	KUNIT_EXPECT_FALSE(test, logged(e, T_GPA_A));
	KUNIT_EXPECT_TRUE(test, logged(e, T_GPA_A + 0x1000));
	KUNIT_EXPECT_TRUE(test, logged(e, T_GPA_A + 0x2000));
	KUNIT_EXPECT_FALSE(test, logged(e, T_GPA_A + 0x3000));
	KUNIT_EXPECT_TRUE(test, logged(e, T_GPA_B - 0x10));
	KUNIT_EXPECT_FALSE(test, logged(e, T_GPA_B));

	/* A new frame starts its own list; without LOG_ALL none is kept. */
	vhn_ring_log_start(vq);
	KUNIT_EXPECT_EQ(test, vq->ndirty, 0);
	vq->features = T_FEATURES;
	offer(e, 0);
	KUNIT_ASSERT_EQ(test, get(e), 1);
	KUNIT_EXPECT_EQ(test, vq->ndirty, 0);
}

/*
 * With the used ring's guest address given (VHOST_VRING_F_LOG), putting
 * entries marks the pages they and used->idx are on: here the ring sits
 * so that entry 1 crosses a page boundary. A bitmap that cannot be
 * written fails the ring.
 */
static void ring_log_used(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_FEATURES);
	struct vhn_used u[2] = { { 0, 10 }, { 1, 20 } };
	struct vhn_vq *vq = e->vq;
	u64 ring = 0x200ff0;

	vq->log_base = log_bitmap(e);
	vq->log_used = true;
	vq->log_addr = ring;
	KUNIT_ASSERT_EQ(test, vhn_ring_put(vq, u, 1), 0);
	KUNIT_EXPECT_TRUE(test, logged(e, ring));
	KUNIT_EXPECT_FALSE(test, logged(e, ring + 0x1000));
	KUNIT_ASSERT_EQ(test, vhn_ring_put(vq, u + 1, 1), 0);
	KUNIT_EXPECT_TRUE(test, logged(e, ring + 0x1000));

	/* A bitmap past the end of user space: the ring breaks. */
	vq->log_base = (void __user *)(TASK_SIZE_MAX - 8);
	KUNIT_EXPECT_EQ(test, vhn_ring_put(vq, u, 1), -EFAULT);
	KUNIT_EXPECT_TRUE(test, vq->broken);
}

/*
 * In order, only the one entry written and used->idx are logged: with
 * the ring placed as above, a batch of two from slot 0 writes entry 0
 * only, so the next page, which entry 1 would have crossed into, stays
 * clean until the next batch's entry (slot 2) is written there.
 */
static void ring_log_used_in_order(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 8, T_IN_ORDER);
	const struct vhn_used u = { 1, 0 };
	struct vhn_vq *vq = e->vq;
	u64 ring = 0x200ff0;

	vq->log_base = log_bitmap(e);
	vq->log_used = true;
	vq->log_addr = ring;
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(vq, &u, 2), 0);
	KUNIT_EXPECT_TRUE(test, logged(e, ring));
	KUNIT_EXPECT_FALSE(test, logged(e, ring + 0x1000));
	KUNIT_ASSERT_EQ(test, vhn_ring_put_in_order(vq, &u, 1), 0);
	KUNIT_EXPECT_TRUE(test, logged(e, ring + 0x1000));
}

/* With the device IOTLB the ring lies at this IOVA, buffers at IOVA = GPA. */
#define T_RING_IOVA	0x10000000ULL
#define T_PAGE		0x1000U

static void ring_drop_iotlb(void *data)
{
	vhn_iotlb_dev_cleanup(data);
}

/* Turn the device IOTLB on, empty: the ring must be translated first. */
static void ring_iotlb_on(struct ring_env *e)
{
	struct vhn_vq *vq = e->vq;

	vhn_iotlb_dev_init(e->dev);
	e->dev->iotlb.tlb = vhn_iotlb_alloc(64);
	KUNIT_ASSERT_NOT_NULL(e->test, e->dev->iotlb.tlb);
	KUNIT_ASSERT_EQ(e->test,
			kunit_add_action_or_reset(e->test, ring_drop_iotlb, e->dev), 0);
	vq->desc_addr = T_RING_IOVA + T_DESC_OFF;
	vq->avail_addr = T_RING_IOVA + T_AVAIL_OFF;
	vq->used_addr = T_RING_IOVA + T_USED_OFF;
	vhn_iotlb_vq_sync(vq);
}

/* Answer for [@iova, @iova + @size) with the host range at @uaddr. */
static void iotlb_map(struct ring_env *e, u64 iova, u64 size, unsigned long uaddr)
{
	KUNIT_ASSERT_EQ(e->test, vhn_iotlb_add_quick(e->dev->iotlb.tlb, iova,
						     iova + size - 1, uaddr,
						     VHOST_ACCESS_RW), 0);
}

/* Read the MISSes queued: how many, their IOVAs in @iova (at most @max). */
static unsigned int read_misses(struct ring_env *e, u64 *iova, unsigned int max)
{
	struct vhost_msg m;
	struct kvec kv = { .iov_base = &m, .iov_len = sizeof(m) };
	struct iov_iter it;
	unsigned int n = 0;

	for (;;) {
		iov_iter_kvec(&it, ITER_DEST, &kv, 1, sizeof(m));
		if (vhn_iotlb_read(e->dev, &it, true) != sizeof(m))
			return n;
		KUNIT_EXPECT_EQ(e->test, m.iotlb.type, VHOST_IOTLB_MISS);
		if (n < max)
			iova[n] = m.iotlb.iova;
		n++;
	}
}

/* RX wanting @pages more pages of buffers: take the next chain. */
static int get_want(struct ring_env *e, unsigned int pages)
{
	e->vq->iotlb_want = pages * T_PAGE;
	return get(e);
}

/*
 * The look-ahead after an IOTLB miss: the ring's three parts are asked
 * for together; on RX the buffers asked for stop at the end of the frame,
 * also when a later miss of the same frame looks ahead again while the
 * first answers are on their way.
 */
static void ring_iotlb_rx_lookahead(struct kunit *test)
{
	struct ring_env *e = ring_env_new(test, 16, T_FEATURES);
	u64 iova[8];
	int k;

	ring_iotlb_on(e);
	for (k = 0; k < 8; k++) {
		set_desc(e, k, T_GPA_A + k * T_PAGE, T_PAGE, VRING_DESC_F_WRITE, 0);
		offer(e, k);
	}

	/* A frame of 3 pages. Nothing mapped: the ring's parts, in one go. */
	KUNIT_EXPECT_EQ(test, get_want(e, 3), -EAGAIN);
	KUNIT_ASSERT_EQ(test, read_misses(e, iova, ARRAY_SIZE(iova)), 3);
	KUNIT_EXPECT_EQ(test, iova[0], T_RING_IOVA + T_DESC_OFF);
	KUNIT_EXPECT_EQ(test, iova[1], T_RING_IOVA + T_AVAIL_OFF);
	KUNIT_EXPECT_EQ(test, iova[2], T_RING_IOVA + T_USED_OFF);

	/* The frame's three buffers, and nothing after them. */
	iotlb_map(e, T_RING_IOVA, 3 * T_PAGE, e->base);
	KUNIT_EXPECT_EQ(test, get_want(e, 3), -EAGAIN);
	KUNIT_ASSERT_EQ(test, read_misses(e, iova, ARRAY_SIZE(iova)), 3);
	for (k = 0; k < 3; k++)
		KUNIT_EXPECT_EQ(test, iova[k], T_GPA_A + k * T_PAGE);

	/* The first answer: its buffer is taken, the next one waits. */
	iotlb_map(e, T_GPA_A, T_PAGE, (unsigned long)hva(e, T_GPA_A));
	KUNIT_EXPECT_EQ(test, get_want(e, 3), 1);
	KUNIT_EXPECT_EQ(test, get_want(e, 2), -EAGAIN);
	KUNIT_EXPECT_EQ(test, read_misses(e, iova, ARRAY_SIZE(iova)), 0);

	/* The other two answers: the frame is whole. */
	iotlb_map(e, T_GPA_A + T_PAGE, 2 * T_PAGE,
		  (unsigned long)hva(e, T_GPA_A + T_PAGE));
	KUNIT_EXPECT_EQ(test, get_want(e, 2), 1);
	KUNIT_EXPECT_EQ(test, get_want(e, 1), 1);
	KUNIT_EXPECT_EQ(test, e->vq->last_avail_idx, 3);

	/* The next frame, of 2 pages, asks for its own two. */
	KUNIT_EXPECT_EQ(test, get_want(e, 2), -EAGAIN);
	KUNIT_ASSERT_EQ(test, read_misses(e, iova, ARRAY_SIZE(iova)), 2);
	KUNIT_EXPECT_EQ(test, iova[0], T_GPA_A + 3 * T_PAGE);
	KUNIT_EXPECT_EQ(test, iova[1], T_GPA_A + 4 * T_PAGE);
}

static struct kunit_case ring_cases[] = {
	KUNIT_CASE(ring_start_checks),
	KUNIT_CASE(ring_get_direct),
	KUNIT_CASE(ring_get_chain),
	KUNIT_CASE(ring_get_batch_one_idx_read),
	KUNIT_CASE(ring_get_indirect),
	KUNIT_CASE(ring_get_indirect_next),
	KUNIT_CASE(ring_get_indirect_split),
	KUNIT_CASE(ring_get_order),
	KUNIT_CASE(ring_get_loop),
	KUNIT_CASE(ring_get_head_range),
	KUNIT_CASE(ring_get_next_range),
	KUNIT_CASE(ring_get_avail_jump),
	KUNIT_CASE(ring_get_nested_indirect),
	KUNIT_CASE(ring_get_indirect_len),
	KUNIT_CASE(ring_get_outside_memory),
	KUNIT_CASE(ring_get_desc_fields),
	KUNIT_CASE(ring_get_enobufs),
	KUNIT_CASE(ring_get_len_overflow),
	KUNIT_CASE(ring_broken_stays),
	KUNIT_CASE(ring_unget),
	KUNIT_CASE(ring_put_wrap),
	KUNIT_CASE(ring_put_too_many),
	KUNIT_CASE(ring_put_big_endian),
	KUNIT_CASE(ring_put_in_order),
	KUNIT_CASE(ring_put_in_order_signal),
	KUNIT_CASE(ring_notify_flags),
	KUNIT_CASE(ring_notify_event_idx),
	KUNIT_CASE(ring_notify_given_back),
	KUNIT_CASE(ring_more_avail),
	KUNIT_CASE(ring_signal_no_interrupt),
	KUNIT_CASE(ring_signal_event_idx_wrap),
	KUNIT_CASE(ring_signal_stale_after_wrap),
	KUNIT_CASE(ring_signal_notify_on_empty),
	KUNIT_CASE(ring_log_rx_chain),
	KUNIT_CASE(ring_log_used),
	KUNIT_CASE(ring_log_used_in_order),
	KUNIT_CASE(ring_iotlb_rx_lookahead),
	{}
};

static struct kunit_suite ring_suite = {
	.name = "vhost_net_ring",
	.test_cases = ring_cases,
	VHN_KUNIT_SUITE_MM
};

kunit_test_suites(&ring_suite);
