// SPDX-License-Identifier: GPL-2.0
/*
 * The split virtqueue (virtio 1.x, 2.7): a descriptor table, the driver's
 * avail ring and the device's used ring, all in the owner's address space.
 *
 * Everything the guest wrote is hostile: every index is range-checked,
 * every walk is bounded, and a malformed ring is failed (vhn_ring_fail())
 * rather than trusted. Only the worker touches a running ring, under the
 * vq mutex, so the cached indices in struct vhn_vq need no other lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/eventfd.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vhost_types.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "compat.h"
#include "dev.h"
#include "event_idx.h"
#include "iotlb.h"
#include "log.h"
#include "memmap.h"
#include "ring.h"
#include "ring_walk.h"
#include "translate.h"
#include "vq.h"

/* Indices are 16-bit and the ring size a power of two. */
#define VHN_SPLIT_NUM_MAX	32768

/*
 * The most entries an indirect table may have, and the most indirect
 * descriptors one chain may visit in all. A "next" field is 16 bits, so no
 * entry past 65536 can ever be reached: a longer table is malformed. The
 * table is not limited to the ring size, since drivers do hand the device
 * indirect tables longer than a small ring. The chain-wide budget bounds
 * the work a chain of several indirect descriptors can cause.
 */
#define VHN_INDIRECT_MAX	65536

/*
 * Segments an indirect table may span after translation. A table is one
 * allocation in the guest, so it crosses a memory region boundary rarely,
 * and more than a few times never.
 */
#define VHN_INDIRECT_SEGS	8

/* The used_event field sits after the avail ring's last entry. */
static __virtio16 __user *vhn_used_event(const struct vhn_vq *vq)
{
	return &vq->avail->ring[vq->num];
}

/* The avail_event field sits after the used ring's last entry. */
static __virtio16 __user *vhn_avail_event(const struct vhn_vq *vq)
{
	return (__virtio16 __user *)&vq->used->ring[vq->num];
}

/**
 * vhn_meta_reload() - translate a ring's parts again (vhn_meta_ready())
 * @vq: the virtqueue, with the IOTLB, its ring pointers stale
 *
 * Return: true if they are translated; false after a miss (the queue
 * runs again on the UPDATE) or with the ring failed.
 */
bool vhn_meta_reload(struct vhn_vq *vq)
{
	int r;

	r = vhn_iotlb_meta_load(vq);
	if (r && r != -EAGAIN)
		vhn_ring_fail(vq, VHN_RING_ERR_IOTLB_RING);
	return !r;
}

/**
 * vhn_ring_fail() - the guest broke the ring: stop it
 * @vq: the virtqueue
 * @why: the reason, for the log and the counters
 *
 * The queue stays stopped until the next kick or vhn_ring_start(); userspace
 * learns of it through the error eventfd. The log line is ratelimited,
 * since a guest can break its rings as often as it likes.
 */
void vhn_ring_fail(struct vhn_vq *vq, enum vhn_ring_err why)
{
	if (vq->broken)
		return;
	vq->broken = true;
	vhn_stat_ring_err(&vq->stats, why, vq->last_avail_idx);
	pr_warn_ratelimited("guest broke a virtqueue: %s\n", vhn_ring_err_msg(why));
	if (vq->err)
		vhn_eventfd_signal(vq->err);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_ring_fail);

/**
 * vhn_split_start() - check a ring before a backend runs it
 * @vq: the virtqueue, configured by the SET_VRING_* ioctls
 *
 * Every part of the ring must be addressable for its whole size, the
 * event-index fields at the ends included, and so must the dirty bits of
 * all it may write (the used ring, and all guest memory with LOG_ALL). Our used index is taken from
 * the ring, so that a ring handed over (after migration, or from another
 * vhost instance) carries on where it was. Nothing is written.
 *
 * Return: 0, or -EFAULT if the ring is not fully configured, an address
 * is bad or there is no memory table yet (the errno userspace gets from
 * VHOST_NET_SET_BACKEND, as with upstream).
 */
int vhn_split_start(struct vhn_vq *vq)
{
	size_t num = vq->num;
	bool iotlb = vq->dev->iotlb.tlb;
	__virtio16 __user *used_idx;
	__virtio16 idx;
	bool log_ok;

	if (!num || num > VHN_SPLIT_NUM_MAX || !is_power_of_2(num))
		return -EFAULT;
	if (iotlb) {
		/* IOVAs, checked when translated; no memory table needed. */
		if (!vq->desc_addr || !vq->avail_addr || !vq->used_addr)
			return -EFAULT;
		vq->meta_stale = true;
		if (vhn_iotlb_used_idx(vq, &used_idx))
			return -EFAULT;
	} else {
		if (!vq->desc || !vq->avail || !vq->used ||
		    !rcu_access_pointer(vq->dev->mem))
			return -EFAULT;
		if (!access_ok(vq->desc, num * sizeof(struct vring_desc)) ||
		    !access_ok(vq->avail, sizeof(struct vring_avail) +
			       (num + 1) * sizeof(__virtio16)) ||
		    !access_ok(vq->used, sizeof(struct vring_used) +
			       num * sizeof(struct vring_used_elem) +
			       sizeof(__virtio16)))
			return -EFAULT;
		used_idx = &vq->used->idx;
	}
	/*
	 * SET_LOG_BASE and SET_MEM_TABLE only check running queues: a queue
	 * that starts must show it can log all it may write, or the first
	 * frame of a migration would break it.
	 */
	rcu_read_lock();
	log_ok = vhn_log_vq_ok(vq, vq->log_base, rcu_dereference(vq->dev->mem),
			       vhn_vq_has(vq, VHOST_F_LOG_ALL));
	rcu_read_unlock();
	if (!log_ok)
		return -EFAULT;
	if (get_user(idx, used_idx))
		return -EFAULT;
	vq->last_used_idx = vhn16_to_cpu(vq, idx);
	/* Make the next vhn_split_get() read avail->idx afresh. */
	vq->avail_idx = vq->last_avail_idx;
	vq->signalled_used_valid = false;
	vq->broken = false;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_start);

/*
 * Read avail->idx into vq->avail_idx. Return 1 if entries are waiting, 0
 * if none, or a negative errno once the ring is failed.
 */
static int vhn_avail_fetch(struct vhn_vq *vq)
{
	__virtio16 raw;
	u16 idx;

	if (unlikely(get_user(raw, &vq->avail->idx)))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_AVAIL_IDX_READ);
	idx = vhn16_to_cpu(vq, raw);
	/* The driver cannot have more than the whole ring outstanding. */
	if (unlikely((u16)(idx - vq->last_avail_idx) > vq->num))
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_AVAIL_IDX_AHEAD);
	vq->avail_idx = idx;
	if (idx == vq->last_avail_idx)
		return 0;
	/*
	 * Read the ring entries only after the index that covers them: pairs
	 * with the driver's write barrier between filling an entry and
	 * publishing the index (2.7.13).
	 */
	smp_rmb();
	return 1;
}

/*
 * Read descriptor @i of the table: one user access section for its four
 * fields costs less than a generic copy of 16 bytes, and this runs for
 * every descriptor of every frame.
 */
static __always_inline int vhn_desc_read(const struct vhn_vq *vq, unsigned int i,
					 struct vring_desc *d)
{
	const struct vring_desc __user *src = vq->desc + i;

	if (!user_access_begin(src, sizeof(*src)))
		return -EFAULT;
	unsafe_get_user(d->addr, &src->addr, fault);
	unsafe_get_user(d->len, &src->len, fault);
	unsafe_get_user(d->flags, &src->flags, fault);
	unsafe_get_user(d->next, &src->next, fault);
	user_access_end();
	return 0;
fault:
	user_access_end();
	return -EFAULT;
}

/* A direct split descriptor's buffer. */
static __always_inline int vhn_walk_add(struct vhn_vq *vq,
					struct vhn_walk *w,
					const struct vring_desc *d, u16 flags)
{
	return vhn_walk_buf(vq, w, vhn64_to_cpu(vq, d->addr),
			    vhn32_to_cpu(vq, d->len), flags & VRING_DESC_F_WRITE);
}

/*
 * Walk the indirect table that @ind points to. The table is translated
 * once and read one descriptor at a time through an iov_iter over its
 * host addresses; the entries are followed by their "next" fields, the
 * iterator only being repositioned when a chain does not run in order.
 */
static int vhn_walk_indirect(struct vhn_vq *vq, struct vhn_walk *w,
			     const struct vring_desc *ind)
{
	struct iovec seg[VHN_INDIRECT_SEGS];
	u32 len = vhn32_to_cpu(vq, ind->len);
	unsigned int count, found = 0, i = 0, pos = 0;
	struct iov_iter it;
	struct vring_desc d;
	int nseg, r;
	u16 flags;

	if (!len || len % sizeof(d))
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_SIZE);
	count = len / sizeof(d);
	if (count > VHN_INDIRECT_MAX)
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_TOO_LONG);

	nseg = vhn_vq_translate(vq, vhn64_to_cpu(vq, ind->addr), len,
				VHOST_ACCESS_RO, seg, ARRAY_SIZE(seg));
	if (nseg == -EAGAIN)
		return nseg;
	if (nseg == -EPERM)
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_IOTLB_PERM);
	if (nseg == -ENOBUFS)
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_PIECES);
	if (nseg < 0)
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_INDIRECT_ADDRESS);
	/* Copy from the table's host addresses: may fault, so outside RCU. */
	iov_iter_init(&it, ITER_SOURCE, seg, nseg, len);

	for (;;) {
		/* Visiting more entries than the table has means a loop. */
		if (++found > count)
			return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_LOOP);
		if (!w->indirect_left--)
			return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_BUDGET);
		if (i != pos) {
			iov_iter_init(&it, ITER_SOURCE, seg, nseg, len);
			iov_iter_advance(&it, (size_t)i * sizeof(d));
		}
		if (copy_from_iter(&d, sizeof(d), &it) != sizeof(d))
			return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_INDIRECT_READ);
		pos = i + 1;
		flags = vhn16_to_cpu(vq, d.flags);
		/* Only one table per descriptor (2.7.5.3.1). */
		if (flags & VRING_DESC_F_INDIRECT)
			return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_NESTED);
		r = vhn_walk_add(vq, w, &d, flags);
		if (r)
			return r;
		if (!(flags & VRING_DESC_F_NEXT))
			return 0;
		i = vhn16_to_cpu(vq, d.next);
		if (i >= count)
			return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_NEXT);
	}
}

/* Chains, and descriptors in all, looked ahead at after a miss. */
#define VHN_PREFETCH		32
#define VHN_PREFETCH_DESCS	128

/*
 * A direct descriptor @d met by the look-ahead: its bytes count against
 * *@want, and with @ask its buffer is asked for. (A table inside a table
 * is invalid; it is counted, not followed.)
 */
static void vhn_prefetch_desc(struct vhn_vq *vq, const struct vring_desc *d,
			      bool ask, u64 *want)
{
	u16 flags = vhn16_to_cpu(vq, d->flags);
	u32 len = vhn32_to_cpu(vq, d->len);

	*want -= min_t(u64, *want, len);
	if (ask && !(flags & VRING_DESC_F_INDIRECT))
		vhn_iotlb_prefetch(vq, vhn64_to_cpu(vq, d->addr), len,
				   flags & VRING_DESC_F_WRITE ?
				   VHOST_ACCESS_WO : VHOST_ACCESS_RO);
}

/*
 * For vhn_prefetch_chain(): the buffers of the indirect table at @addr,
 * @len bytes, in table order, or the table itself while it is unmapped
 * (its entries cannot be read then). A TX frame's pages are the entries
 * of one table: a miss in it asks for the rest of them at once, instead
 * of one round trip each.
 */
static void vhn_prefetch_indirect(struct vhn_vq *vq, u64 addr, u32 len,
				  bool ask, unsigned int *budget, u64 *want)
{
	struct iovec seg[VHN_INDIRECT_SEGS];
	struct iov_iter it;
	struct vring_desc d;
	u64 miss;
	int n;

	n = vhn_iotlb_translate(vq->dev->iotlb.tlb, &vq->tlb_cache, addr, len,
				VHOST_ACCESS_RO, seg, ARRAY_SIZE(seg), &miss);
	if (n == -EAGAIN && ask)
		vhn_iotlb_prefetch(vq, addr, len, VHOST_ACCESS_RO);
	if (n <= 0 || len % sizeof(d))
		return;
	iov_iter_init(&it, ITER_SOURCE, seg, n, len);
	while (*budget && *want &&
	       copy_from_iter(&d, sizeof(d), &it) == sizeof(d)) {
		(*budget)--;
		vhn_prefetch_desc(vq, &d, ask, want);
	}
}

/*
 * Ask for the buffers of the chain at @head, as many as *@budget
 * descriptors and *@want bytes allow; with @ask false only count them.
 * Reads only; any trouble ends the look-ahead, the chain is checked when
 * it is taken.
 */
static void vhn_prefetch_chain(struct vhn_vq *vq, u16 head, bool ask,
			       unsigned int *budget, u64 *want)
{
	struct vring_desc d;
	unsigned int n = 0;
	u16 i = head, flags;

	while (*budget && *want && n++ < vq->num) {
		(*budget)--;
		if (i >= vq->num || vhn_desc_read(vq, i, &d))
			return;
		flags = vhn16_to_cpu(vq, d.flags);
		if (flags & VRING_DESC_F_INDIRECT)
			vhn_prefetch_indirect(vq, vhn64_to_cpu(vq, d.addr),
					      vhn32_to_cpu(vq, d.len), ask,
					      budget, want);
		else
			vhn_prefetch_desc(vq, &d, ask, want);
		if (!(flags & VRING_DESC_F_NEXT))
			return;
		i = vhn16_to_cpu(vq, d.next);
	}
}

/*
 * The chain at @head missed in the IOTLB: ask, in one go, for the rest
 * of its buffers (a TSO frame's pages are separate mappings) and for
 * those of the next chains already published, instead of one round trip
 * to userspace per buffer. A page is asked for once (vhn_iotlb_miss()).
 *
 * On RX only the rest of the frame is asked for (@vq->iotlb_want): the
 * guest posts buffers long before they fill, and in lazy DMA mode its
 * next global invalidation would throw the early answers away. The
 * chains an earlier miss of the frame asked for are walked again, only
 * to count their bytes: skipping them, each miss of a frame whose
 * answers were still on their way asked for another frame's worth of
 * buffers. On TX (no limit) they are not walked again.
 */
static void vhn_prefetch(struct vhn_vq *vq, u16 head)
{
	unsigned int budget = VHN_PREFETCH_DESCS, n = 0;
	u64 want = vq->iotlb_want ?: U64_MAX;
	u16 i = vq->last_avail_idx + 1, asked = 0;
	__virtio16 raw;

	vhn_prefetch_chain(vq, head, true, &budget, &want);
	if ((u16)(vq->iotlb_ahead - i) < (u16)(vq->avail_idx - i))
		asked = vq->iotlb_ahead - i;
	if (!vq->iotlb_want) {
		i += asked;
		asked = 0;
	}
	for (; n < VHN_PREFETCH && budget && want && i != vq->avail_idx; i++) {
		if (get_user(raw, &vq->avail->ring[i & (vq->num - 1)]))
			return;
		if (asked) {
			asked--;
			vhn_prefetch_chain(vq, vhn16_to_cpu(vq, raw), false,
					   &budget, &want);
			continue;
		}
		vq->iotlb_ahead = i + 1;
		n++;
		vhn_prefetch_chain(vq, vhn16_to_cpu(vq, raw), true, &budget, &want);
	}
}

/**
 * vhn_split_get() - take the next available descriptor chain
 * @vq: the virtqueue
 * @iov: filled with the chain's buffers as host addresses, the readable
 *	 ones first, then the writable ones
 * @iov_max: room in @iov
 * @chain: filled with the chain's head, iovec counts and byte counts
 *
 * avail->idx is read only when the entries read before are used up, so a
 * batch of chains costs one read of it. An indirect descriptor with
 * VRING_DESC_F_NEXT set goes on with its "next" after the table's
 * entries. Nothing is assumed about how the data is split between the
 * descriptors (VIRTIO_F_ANY_LAYOUT is the only layout).
 *
 * @chain->descs counts the descriptors read, indirect ones included, so
 * that the caller can charge the walk to its budget.
 *
 * Return: 1 with @chain and @iov filled, 0 if no chain is available, or a
 * negative errno. -ENOBUFS: the chain needs more than @iov_max iovecs; it
 * is not taken and the ring is not failed, since only the caller knows
 * whether more room could ever be offered. Otherwise: -EIO if the ring is
 * already broken, else the ring has just been failed, -EFAULT for a fault
 * or an address outside guest memory, -EINVAL for any other malformed
 * chain.
 */
int vhn_split_get(struct vhn_vq *vq, struct iovec *iov, unsigned int iov_max,
		  struct vhn_chain *chain)
{
	unsigned int found = 0, i;
	/* Filled before any use; spared the zeroing of stack variables. */
	struct vhn_walk w __uninitialized;
	struct vring_desc d __uninitialized;
	__virtio16 raw;
	u16 flags;
	int r;

	if (unlikely(vq->broken))
		return -EIO;
	if (unlikely(!vhn_meta_ready(vq)))
		return vq->broken ? -EIO : -EAGAIN;
	if (vq->avail_idx == vq->last_avail_idx) {
		r = vhn_avail_fetch(vq);
		if (r <= 0)
			return r;
	}

	if (unlikely(get_user(raw, &vq->avail->ring[vq->last_avail_idx &
						      (vq->num - 1)])))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_AVAIL_READ);
	i = vhn16_to_cpu(vq, raw);
	if (unlikely(i >= vq->num))
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_HEAD_RANGE);

	chain->head = i;
	vhn_chain_reset(chain);
	vhn_walk_init(&w, iov, iov_max, chain, VHN_INDIRECT_MAX);
	for (;;) {
		/* A chain has at most num descriptors: more means a loop. */
		if (unlikely(++found > vq->num))
			return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_CHAIN_LOOP);
		if (unlikely(vhn_desc_read(vq, i, &d)))
			return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_DESC_READ);
		flags = vhn16_to_cpu(vq, d.flags);
		if (flags & VRING_DESC_F_INDIRECT)
			r = vhn_walk_indirect(vq, &w, &d);
		else
			r = vhn_walk_add(vq, &w, &d, flags);
		if (unlikely(r == -EAGAIN))
			vhn_prefetch(vq, chain->head);
		if (unlikely(r))
			return r;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		i = vhn16_to_cpu(vq, d.next);
		if (unlikely(i >= vq->num))
			return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_NEXT_RANGE);
	}

	chain->descs = found + VHN_INDIRECT_MAX - w.indirect_left;
	vq->last_avail_idx++;
	return 1;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_get);

/**
 * vhn_split_unget() - give back chains taken but not used
 * @vq: the virtqueue
 * @n: how many of the last chains taken to give back
 *
 * They are taken again, in the same order, by the next vhn_split_get().
 */
void vhn_split_unget(struct vhn_vq *vq, unsigned int n)
{
	vq->last_avail_idx -= n;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_unget);

/**
 * vhn_ring_log_start() - forget the buffers recorded for the dirty log
 * @vq: the virtqueue
 *
 * With VHOST_F_LOG_ALL, vhn_ring_get() records the writable descriptors
 * of each chain it takes in vq->dirty, after those of the chains taken
 * before: call this before taking the chains of one frame.
 */
void vhn_ring_log_start(struct vhn_vq *vq)
{
	vq->ndirty = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_ring_log_start);

/*
 * Write @n entries at used ring position @pos (no wrap) in ring byte
 * order. When that order is the CPU's, struct vhn_used is laid out as
 * struct vring_used_elem and goes in one copy; a ring of the other order
 * (a legacy guest of the other endianness) is converted entry by entry.
 */
#ifdef __LITTLE_ENDIAN
#define VHN_CPU_IS_LE	true
#else
#define VHN_CPU_IS_LE	false
#endif

static int vhn_used_write(struct vhn_vq *vq, unsigned int pos,
			  const struct vhn_used *used, unsigned int n)
{
	struct vring_used_elem __user *dst = vq->used->ring + pos;
	struct vring_used_elem e;

	BUILD_BUG_ON(sizeof(*used) != sizeof(e));
	BUILD_BUG_ON(offsetof(struct vhn_used, len) !=
		     offsetof(struct vring_used_elem, len));

	if (vq->is_le == VHN_CPU_IS_LE)
		return copy_to_user(dst, used, n * sizeof(e)) ? -EFAULT : 0;
	for (; n; n--, used++, dst++) {
		e.id = cpu_to_vhn32(vq, used->id);
		e.len = cpu_to_vhn32(vq, used->len);
		if (copy_to_user(dst, &e, sizeof(e)))
			return -EFAULT;
	}
	return 0;
}

/* Log the @n entries written at @pos (they may wrap) and used->idx. */
static int vhn_log_used_put(struct vhn_vq *vq, unsigned int pos,
			    unsigned int n)
{
	u32 ring = offsetof(struct vring_used, ring);
	u32 elem = sizeof(struct vring_used_elem);
	u32 first = min(n, vq->num - pos);
	const struct vhn_used_write w[] = {
		{ ring + pos * elem, first * elem },
		{ ring, (n - first) * elem },
		{ offsetof(struct vring_used, idx), sizeof(__virtio16) },
	};

	return vhn_log_used(vq, w, ARRAY_SIZE(w));
}

/* Log one write of @len bytes at @offset in the used ring. */
static int vhn_log_used_one(struct vhn_vq *vq, u32 offset, u32 len)
{
	const struct vhn_used_write w = { offset, len };

	return vhn_log_used(vq, &w, 1);
}

/*
 * Write the @nw entries of @used at our used index, then move used->idx on
 * by @n (nw <= n): the common part of vhn_split_put() and
 * vhn_split_put_in_order(). The entries are written (in at most two
 * copies, as the ring may wrap) before used->idx publishes them.
 */
static int vhn_used_publish(struct vhn_vq *vq, const struct vhn_used *used,
			    unsigned int nw, unsigned int n)
{
	unsigned int pos = vq->last_used_idx & (vq->num - 1);
	unsigned int first = min(nw, vq->num - pos);
	u16 new = vq->last_used_idx + n;

	/*
	 * More entries than slots means the driver offered heads again
	 * before we gave them back: its bug, so the ring breaks, no WARN.
	 */
	if (unlikely(n > vq->num))
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_USED_TOO_MANY);
	if (!n)
		return 0;
	if (unlikely(!vhn_meta_ready(vq)))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_USED_WRITE);
	if (vhn_used_write(vq, pos, used, first) ||
	    vhn_used_write(vq, 0, used + first, nw - first))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_USED_WRITE);
	/*
	 * The entries must be visible before the index that covers them:
	 * pairs with the driver's read barrier after reading used->idx.
	 */
	smp_wmb();
	if (put_user(cpu_to_vhn16(vq, new), &vq->used->idx))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_USED_IDX_WRITE);
	if (unlikely(vq->log_used) && vhn_log_used_put(vq, pos, nw))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_LOG_WRITE);

	/*
	 * vhn_need_event() compares indices modulo 2^16, so it only works
	 * while fewer than 2^16 entries were published since the last
	 * signal. This batch moved the index onto or past signalled_used
	 * itself, i.e. a full 2^16 ahead of it: the old value no longer
	 * tells where we were, so the next signal must not rely on it.
	 */
	if (unlikely((u16)(new - vq->signalled_used) < n))
		vq->signalled_used_valid = false;
	vq->last_used_idx = new;
	return 0;
}

/**
 * vhn_split_put() - hand chains back to the driver
 * @vq: the virtqueue
 * @used: the entries, in CPU byte order
 * @n: how many; more than the ring size fails the ring
 *
 * Return: 0, or a negative errno after failing the ring.
 */
int vhn_split_put(struct vhn_vq *vq, const struct vhn_used *used,
		  unsigned int n)
{
	return vhn_used_publish(vq, used, n, n);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_put);

/**
 * vhn_split_put_in_order() - hand a batch of chains back in one used entry
 * @vq: the virtqueue, with VIRTIO_F_IN_ORDER acked
 * @last: the entry of the batch's last chain, in CPU byte order
 * @n: chains in the batch: the last @n taken, in the order taken
 *
 * With VIRTIO_F_IN_ORDER the device may write a single used entry for a
 * batch, with the id of the last chain's head, at the slot of the first
 * chain of the batch, and move used->idx on by the batch's size; the driver
 * finds the other chains from its own order, and takes each of them as
 * used completely (virtio 2.7.9, "In-order use of descriptors"). So only
 * a batch whose chains but the last were all used completely may go back
 * this way: TX (nothing written, nothing writable) qualifies, an RX
 * frame's last buffer seldom fills up. Nothing here relies on the guest having offered its heads in
 * order: if it did not, only its own idea of which buffers came back is
 * wrong, and every head was checked when it was taken.
 *
 * Return: 0, or a negative errno after failing the ring.
 */
int vhn_split_put_in_order(struct vhn_vq *vq, const struct vhn_used *last,
			   unsigned int n)
{
	return vhn_used_publish(vq, last, min(n, 1U), n);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_put_in_order);

/* Write our used->flags if they changed. */
static void vhn_used_flags_update(struct vhn_vq *vq, u16 flags)
{
	if (vq->used_flags == flags)
		return;
	if (put_user(cpu_to_vhn16(vq, flags), &vq->used->flags)) {
		vhn_ring_fail(vq, VHN_RING_ERR_USED_FLAGS_WRITE);
		return;
	}
	if (vhn_log_used_one(vq, offsetof(struct vring_used, flags), sizeof(__virtio16))) {
		vhn_ring_fail(vq, VHN_RING_ERR_LOG_WRITE);
		return;
	}
	vq->used_flags = flags;
}

/**
 * vhn_split_notify_disable() - ask the driver not to kick
 * @vq: the virtqueue
 *
 * Only a hint: the driver may still kick. With VIRTIO_RING_F_EVENT_IDX
 * there is nothing to write: avail_event is simply left behind, and the
 * driver stops kicking once it has passed it.
 */
void vhn_split_notify_disable(struct vhn_vq *vq)
{
	if (vhn_vq_has(vq, VIRTIO_RING_F_EVENT_IDX) || !vhn_meta_ready(vq))
		return;
	vhn_used_flags_update(vq, vq->used_flags | VRING_USED_F_NO_NOTIFY);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_notify_disable);

/**
 * vhn_split_notify_enable() - ask the driver to kick again
 * @vq: the virtqueue
 *
 * The driver may have added a buffer while kicks were off, just before
 * they are back on: it did not kick, and we would sleep on a non-empty
 * ring. So avail->idx is read again after the enable is visible, and the
 * caller must not sleep when this returns true.
 *
 * Only chains published since avail->idx was last read count. Chains seen
 * before and given back (RX without room for a whole frame) are not news:
 * retrying them at once would spin until the driver adds more, and the
 * kick we just asked for comes exactly when it does.
 *
 * Return: true if the driver published chains we have not seen, false if
 * not (or the ring is broken).
 */
bool vhn_split_notify_enable(struct vhn_vq *vq)
{
	u16 seen = vq->avail_idx;

	if (vq->broken || !vhn_meta_ready(vq))
		return false;
	if (!vhn_vq_has(vq, VIRTIO_RING_F_EVENT_IDX))
		vhn_used_flags_update(vq, vq->used_flags & ~VRING_USED_F_NO_NOTIFY);
	/* Kick us when the entry after the last one we saw is added. */
	else if (put_user(cpu_to_vhn16(vq, vq->avail_idx), vhn_avail_event(vq)))
		vhn_ring_fail(vq, VHN_RING_ERR_AVAIL_EVENT_WRITE);
	else if (vhn_log_used_one(vq, offsetof(struct vring_used, ring) +
				  vq->num * sizeof(struct vring_used_elem),
				  sizeof(__virtio16)))
		vhn_ring_fail(vq, VHN_RING_ERR_LOG_WRITE);
	if (vq->broken)
		return false;
	/*
	 * The enable must be visible before avail->idx is read again; pairs
	 * with the driver's barrier between publishing avail->idx and
	 * reading our flags or avail_event (2.7.13.4).
	 */
	smp_mb();
	return vhn_avail_fetch(vq) > 0 && vq->avail_idx != seen;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_notify_enable);

/**
 * vhn_split_more_avail() - does the driver have chains for us?
 * @vq: the virtqueue
 *
 * For busy polling: reads avail->idx unless chains already read about are
 * still waiting.
 *
 * Return: true if vhn_split_get() would find a chain.
 */
bool vhn_split_more_avail(struct vhn_vq *vq)
{
	if (vq->broken || !vhn_meta_ready(vq))
		return false;
	if (vq->avail_idx != vq->last_avail_idx)
		return true;
	return vhn_avail_fetch(vq) > 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_more_avail);

/**
 * vhn_split_want_signal() - does the driver want an interrupt now?
 * @vq: the virtqueue, after vhn_split_put()
 *
 * With VIRTIO_RING_F_EVENT_IDX this records the used index signalled, so
 * it must be called once per decision, and the signal sent when it says
 * so. A fault reading the driver's fields means yes: a spurious interrupt
 * is harmless, a missing one strands the driver.
 *
 * Return: true to signal the call eventfd.
 */
bool vhn_split_want_signal(struct vhn_vq *vq)
{
	bool valid = vq->signalled_used_valid;
	u16 old = vq->signalled_used;
	u16 new = vq->last_used_idx;
	bool empty;
	__virtio16 raw;

	/* A spurious interrupt is harmless; reading a stale pointer is not. */
	if (unlikely(!vhn_meta_ready(vq)))
		return true;
	/*
	 * Our used->idx must be visible before the driver's flags or
	 * used_event are read: the driver writes those, then re-reads
	 * used->idx. Otherwise both sides could read the other's old value
	 * and wait for each other.
	 */
	smp_mb();

	/*
	 * NOTIFY_ON_EMPTY: signal once everything offered is used, whatever
	 * the driver asked. The cached index is enough: if it is stale, the
	 * cost is one spare interrupt.
	 */
	empty = vhn_vq_has(vq, VIRTIO_F_NOTIFY_ON_EMPTY) &&
		vq->avail_idx == vq->last_avail_idx;

	if (!vhn_vq_has(vq, VIRTIO_RING_F_EVENT_IDX)) {
		if (empty || get_user(raw, &vq->avail->flags))
			return true;
		return !(vhn16_to_cpu(vq, raw) & VRING_AVAIL_F_NO_INTERRUPT);
	}

	vq->signalled_used = new;
	vq->signalled_used_valid = true;
	if (empty || unlikely(!valid))
		return true;
	if (get_user(raw, vhn_used_event(vq)))
		return true;
	/* Signal if this batch published the entry the driver waits for. */
	return vhn_need_event(vhn16_to_cpu(vq, raw), new, old);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_split_want_signal);

/**
 * vhn_ring_signal() - interrupt the driver if it wants it
 * @vq: the virtqueue, after vhn_ring_put()
 *
 * Return: true if the call eventfd was signalled.
 */
bool vhn_ring_signal(struct vhn_vq *vq)
{
	if (!vq->call || !vhn_ring_want_signal(vq))
		return false;
	vhn_eventfd_signal(vq->call);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_ring_signal);
