// SPDX-License-Identifier: GPL-2.0
/*
 * The packed virtqueue (virtio 1.1, 2.8): one ring of descriptors that the
 * driver makes available and the device writes back as used, told apart
 * by wrap counters, and two event suppression areas in place of the
 * split ring's flags and event indices.
 *
 * As on the split ring, all the guest wrote is hostile. A packed chain
 * cannot loop, as its descriptors are consecutive, but it can run past
 * the room the device left the driver, a buffer id can be out of range,
 * and the driver can make available again descriptors the device still
 * holds: each of these fails the ring. Buffer ids are echoed, not
 * tracked, so an id that repeats only misleads the driver that wrote it.
 *
 * Positions (index, and wrap counter in bit 15) and their arithmetic are
 * in ring_packed.h. Packed rings exist only for VERSION_1 devices, so the
 * ring is little-endian.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vhost_types.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "compat.h"
#include "dev.h"
#include "iotlb.h"
#include "log.h"
#include "ring.h"
#include "ring_packed.h"
#include "ring_walk.h"
#include "translate.h"
#include "vq.h"

/* Positions keep the index in 15 bits. */
#define VHN_PACKED_NUM_MAX	32768

/* As on the split ring: the longest indirect table, and its pieces. */
#define VHN_PACKED_INDIRECT_MAX	65536
#define VHN_PACKED_INDIRECT_SEGS	8

/* No event suppression flags value: the first update always writes. */
#define VHN_PACKED_FLAGS_UNKNOWN	0xffff

static struct vring_packed_desc __user *vhn_pring(const struct vhn_vq *vq)
{
	return (struct vring_packed_desc __user *)vq->desc;
}

/* The driver's area (avail_user_addr): may we signal? */
static struct vring_packed_desc_event __user *vhn_driver_area(const struct vhn_vq *vq)
{
	return (struct vring_packed_desc_event __user *)vq->avail;
}

/* The device's area (used_user_addr): may the driver kick? */
static struct vring_packed_desc_event __user *vhn_device_area(const struct vhn_vq *vq)
{
	return (struct vring_packed_desc_event __user *)vq->used;
}

/**
 * vhn_packed_start() - check a packed ring before a backend runs it
 * @vq: the virtqueue, configured by the SET_VRING_* ioctls
 *
 * The descriptor ring and both event areas must be addressable, the
 * dirty log able to take all the ring may write, and the positions from
 * VHOST_SET_VRING_BASE consistent: inside the ring, and the avail one at
 * most a ring ahead of the used one. Nothing is written.
 *
 * With the device IOTLB (VIRTIO_F_ACCESS_PLATFORM) the three addresses
 * are IOVAs, translated when the ring first runs (iotlb_dev.c): unlike
 * the split ring, whose used->idx is read here, a packed ring has
 * nothing to read to start, so nothing is translated yet.
 *
 * Return: 0, -EFAULT as vhn_split_start(), or -EINVAL for positions that
 * cannot be or a ring without VERSION_1.
 */
int vhn_packed_start(struct vhn_vq *vq)
{
	bool iotlb = vq->dev->iotlb.tlb;
	size_t num = vq->num;
	bool log_ok;

	if (!num || num > VHN_PACKED_NUM_MAX)
		return -EFAULT;
	if (iotlb ? !vq->desc_addr || !vq->avail_addr || !vq->used_addr :
		    !vq->desc || !vq->avail || !vq->used ||
		    !rcu_access_pointer(vq->dev->mem))
		return -EFAULT;
	if (!vhn_vq_has(vq, VIRTIO_F_VERSION_1))
		return -EINVAL;
	if (iotlb)
		vq->meta_stale = true;
	else if (!access_ok(vq->desc, num * sizeof(struct vring_packed_desc)) ||
		 !access_ok(vq->avail, sizeof(struct vring_packed_desc_event)) ||
		 !access_ok(vq->used, sizeof(struct vring_packed_desc_event)))
		return -EFAULT;
	rcu_read_lock();
	log_ok = vhn_log_vq_ok(vq, vq->log_base, rcu_dereference(vq->dev->mem),
			       vhn_vq_has(vq, VHOST_F_LOG_ALL));
	rcu_read_unlock();
	if (!log_ok)
		return -EFAULT;
	if ((vq->last_avail_idx & VHN_PACKED_IDX) >= num ||
	    (vq->last_used_idx & VHN_PACKED_IDX) >= num ||
	    vhn_packed_dist(vq->last_avail_idx, vq->last_used_idx, num) > num)
		return -EINVAL;
	vq->avail_idx = vq->last_avail_idx;
	vq->iotlb_ahead = vq->last_avail_idx;
	vq->used_flags = VHN_PACKED_FLAGS_UNKNOWN;
	vq->signalled_used_valid = false;
	vq->taken = 0;
	vq->broken = false;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_start);

/*
 * Is the descriptor at position @pos available? 1 if so, 0 if not, or
 * -EFAULT once the ring is failed.
 */
static int vhn_pavail_at(struct vhn_vq *vq, u16 pos)
{
	__le16 raw;

	if (unlikely(get_user(raw, &vhn_pring(vq)[pos & VHN_PACKED_IDX].flags)))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_DESC_READ);
	return vhn_packed_avail(le16_to_cpu(raw), pos & VHN_PACKED_WRAP);
}

/*
 * Read descriptor @i in one user access section, flags first: 1 if it is
 * available (@wrap: the avail wrap counter its lap needs), 0 if not, or
 * -EFAULT. Set @any for a descriptor after the first of a chain, which is
 * read whatever its flags say: the first one's made the chain ours.
 */
static __always_inline int vhn_pdesc_read(const struct vhn_vq *vq,
					  unsigned int i,
					  struct vring_packed_desc *d,
					  bool wrap, bool any)
{
	const struct vring_packed_desc __user *src = vhn_pring(vq) + i;

	if (!user_access_begin(src, sizeof(*src)))
		return -EFAULT;
	unsafe_get_user(d->flags, &src->flags, fault);
	if (!any && !vhn_packed_avail(le16_to_cpu(d->flags), wrap)) {
		user_access_end();
		return 0;
	}
	/*
	 * The rest only after the flags that gave it to us: pairs with the
	 * driver's write barrier before it sets them.
	 */
	smp_rmb();
	unsafe_get_user(d->addr, &src->addr, fault);
	unsafe_get_user(d->len, &src->len, fault);
	unsafe_get_user(d->id, &src->id, fault);
	user_access_end();
	return 1;
fault:
	user_access_end();
	return -EFAULT;
}

/*
 * Walk an indirect table: its entries are consecutive, all of them used,
 * and only their WRITE flag means anything (2.8.7). Adds the entries read
 * to @entries.
 */
static int vhn_pwalk_indirect(struct vhn_vq *vq, struct vhn_walk *w,
			      const struct vring_packed_desc *ind,
			      unsigned int *entries)
{
	struct iovec seg[VHN_PACKED_INDIRECT_SEGS];
	u32 len = le32_to_cpu(ind->len);
	struct vring_packed_desc d;
	struct iov_iter it;
	unsigned int count, i;
	int nseg, r;

	if (!len || len % sizeof(d))
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_SIZE);
	count = len / sizeof(d);
	if (count > VHN_PACKED_INDIRECT_MAX)
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_TOO_LONG);

	nseg = vhn_vq_translate(vq, le64_to_cpu(ind->addr), len,
				VHOST_ACCESS_RO, seg, ARRAY_SIZE(seg));
	if (nseg == -EAGAIN)
		return nseg;
	if (nseg == -EPERM)
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_IOTLB_PERM);
	if (nseg == -ENOBUFS)
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_INDIRECT_PIECES);
	if (nseg < 0)
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_INDIRECT_ADDRESS);
	iov_iter_init(&it, ITER_SOURCE, seg, nseg, len);

	for (i = 0; i < count; i++) {
		if (copy_from_iter(&d, sizeof(d), &it) != sizeof(d))
			return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_INDIRECT_READ);
		r = vhn_walk_buf(vq, w, le64_to_cpu(d.addr), le32_to_cpu(d.len),
				 le16_to_cpu(d.flags) & VRING_DESC_F_WRITE);
		if (r)
			return r;
	}
	*entries += count;
	return 0;
}

/* Chains looked ahead at after a miss, as on the split ring... */
#define VHN_PACKED_PREFETCH	32
/* ...among at most this many descriptors read, whatever the ring size. */
#define VHN_PACKED_PREFETCH_DESCS	256

/*
 * A buffer of the chain at @pos missed in the IOTLB: ask for the first
 * buffer (or indirect table) of each of the next chains the driver made
 * available, in one go, as vhn_prefetch() does on the split ring. Reads
 * only, of a bounded number of the descriptors the device does not hold;
 * any trouble ends the look-ahead, the chains are checked when taken.
 */
static noinline void __cold vhn_pprefetch(struct vhn_vq *vq, u16 pos)
{
	unsigned int num = vq->num, room, ahead, j, n = 0;
	u64 want = vq->iotlb_want ?: U64_MAX;
	struct vring_packed_desc d;
	bool starts = false;
	u16 p = pos, flags;

	room = min(num - vhn_packed_dist(pos, vq->last_used_idx, num),
		   VHN_PACKED_PREFETCH_DESCS);
	/* Chains asked for after an earlier miss are not asked for again. */
	ahead = vhn_packed_dist(vq->iotlb_ahead, pos, num);
	if (ahead > room)
		ahead = 0;
	for (j = 0; j < room && n < VHN_PACKED_PREFETCH && want; j++) {
		if (vhn_pdesc_read(vq, p & VHN_PACKED_IDX, &d, p & VHN_PACKED_WRAP,
				   false) <= 0)
			break;
		flags = le16_to_cpu(d.flags);
		/* RX: only the rest of the frame (vq->iotlb_want). */
		want -= min_t(u64, want, le32_to_cpu(d.len));
		if (starts && j >= ahead) {
			n++;
			vhn_iotlb_prefetch(vq, le64_to_cpu(d.addr), le32_to_cpu(d.len),
					   (flags & VRING_DESC_F_WRITE) &&
					   !(flags & VRING_DESC_F_INDIRECT) ?
					   VHOST_ACCESS_WO : VHOST_ACCESS_RO);
		}
		starts = !(flags & VRING_DESC_F_NEXT);
		p = vhn_packed_move(p, 1, num);
	}
	if (j > ahead)
		vq->iotlb_ahead = p;
}

/**
 * vhn_packed_get() - take the next available chain of a packed ring
 * @vq: the virtqueue
 * @iov: as for vhn_split_get()
 * @iov_max: room in @iov
 * @chain: filled as for vhn_split_get(); @chain->head holds the buffer id
 *	   (from the chain's last descriptor, 2.8.6) and the number of ring
 *	   descriptors the chain took
 *
 * The chain may use only the descriptors the device does not hold: more
 * means the driver made available some it had not got back
 * (VHN_RING_ERR_PACKED_IN_FLIGHT), or, with none held, a chain longer than
 * the ring (VHN_RING_ERR_PACKED_CHAIN_LONG).
 *
 * Return: as vhn_split_get().
 */
int vhn_packed_get(struct vhn_vq *vq, struct iovec *iov, unsigned int iov_max,
		   struct vhn_chain *chain)
{
	unsigned int num = vq->num, room, n = 0, entries = 0, i;
	u16 pos = vq->last_avail_idx;
	/* Read before any use; spared the zeroing of stack variables. */
	struct vhn_walk w __uninitialized;
	struct vring_packed_desc d __uninitialized;
	u16 flags, id;
	int r;

	if (unlikely(vq->broken))
		return -EIO;
	if (unlikely(!vhn_meta_ready(vq)))
		return vq->broken ? -EIO : -EAGAIN;
	i = pos & VHN_PACKED_IDX;
	r = vhn_pdesc_read(vq, i, &d, pos & VHN_PACKED_WRAP, false);
	if (unlikely(r < 0))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_DESC_READ);
	if (!r)
		return 0;
	room = num - vhn_packed_dist(pos, vq->last_used_idx, num);

	vhn_chain_reset(chain);
	/* indirect_left is the split layout's: packed counts entries. */
	vhn_walk_init(&w, iov, iov_max, chain, 0);
	for (;;) {
		if (unlikely(++n > room))
			return vhn_ring_bad(vq, -EINVAL, room == num ?
					VHN_RING_ERR_PACKED_CHAIN_LONG :
					VHN_RING_ERR_PACKED_IN_FLIGHT);
		if (n > 1 && unlikely(vhn_pdesc_read(vq, i, &d, false, true) < 0))
			return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_DESC_READ);
		flags = le16_to_cpu(d.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			/* A table ends its chain (2.8.7). */
			if (flags & VRING_DESC_F_NEXT)
				return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_PACKED_IND_NEXT);
			r = vhn_pwalk_indirect(vq, &w, &d, &entries);
		} else {
			r = vhn_walk_buf(vq, &w, le64_to_cpu(d.addr),
					 le32_to_cpu(d.len),
					 flags & VRING_DESC_F_WRITE);
		}
		if (unlikely(r)) {
			if (r == -EAGAIN)
				vhn_pprefetch(vq, pos);
			return r;
		}
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		if (++i == num)
			i = 0;
	}

	id = le16_to_cpu(d.id);
	if (unlikely(id >= num))
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_PACKED_ID_RANGE);
	chain->head = id | n << 16;
	chain->descs = n + entries;
	vq->taken_at[vq->taken++ % ARRAY_SIZE(vq->taken_at)] = pos;
	vq->last_avail_idx = vhn_packed_move(pos, n, num);
	/* Past the furthest chain taken so far? (Not after an unget.) */
	if (vhn_packed_dist(vq->last_avail_idx, vq->avail_idx, num) - 1 < num)
		vq->avail_idx = vq->last_avail_idx;
	return 1;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_get);

/**
 * vhn_packed_unget() - give back the last @n chains taken
 * @vq: the virtqueue
 * @n: at most ARRAY_SIZE(vq->taken_at), the most chains one frame takes
 */
void vhn_packed_unget(struct vhn_vq *vq, unsigned int n)
{
	if (!n)
		return;
	vq->taken -= n;
	vq->last_avail_idx = vq->taken_at[vq->taken % ARRAY_SIZE(vq->taken_at)];
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_unget);

/* Log the @n descriptors from position @from, which may wrap. */
static int vhn_plog_used(struct vhn_vq *vq, u16 from, unsigned int n)
{
	unsigned int i = from & VHN_PACKED_IDX;
	unsigned int first = min(n, vq->num - i);
	u64 hva = (unsigned long)vq->desc;
	struct vhn_dirty w[2];

	/* Userspace gives only the device area's guest address. */
	w[0].gpa = hva + i * sizeof(struct vring_packed_desc);
	w[0].len = first * sizeof(struct vring_packed_desc);
	w[1].gpa = hva;
	w[1].len = (n - first) * sizeof(struct vring_packed_desc);
	return vhn_log_write(vq, w, ARRAY_SIZE(w));
}

/*
 * Write the @n used descriptors of a batch that covers @moved ring
 * descriptors from position @first: one user access section for the part
 * up to the ring's end and one for the part after it wraps. The first
 * entry's flags are left out: they publish the batch.
 */
static int vhn_pused_write(struct vhn_vq *vq, u16 first, unsigned int moved,
			   const struct vhn_used *used, unsigned int n)
{
	struct vring_packed_desc __user *ring = vhn_pring(vq), *d;
	unsigned int num = vq->num, span, done = 0, i;
	bool wrapped = false;
	u16 pos = first;

	span = min(moved, num - (first & VHN_PACKED_IDX));
	if (!user_access_begin(ring + (first & VHN_PACKED_IDX), span * sizeof(*d)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		if (!wrapped && done >= span) {
			user_access_end();
			wrapped = true;
			if (!user_access_begin(ring, (moved - span) * sizeof(*d)))
				return -EFAULT;
		}
		d = ring + (pos & VHN_PACKED_IDX);
		unsafe_put_user(cpu_to_le32(used[i].len), &d->len, fault);
		unsafe_put_user(cpu_to_le16(used[i].id & 0xffff), &d->id, fault);
		if (i)
			unsafe_put_user(cpu_to_le16(vhn_packed_used_flags(pos & VHN_PACKED_WRAP)),
					&d->flags, fault);
		done += used[i].id >> 16;
		pos = vhn_packed_move(pos, used[i].id >> 16, num);
	}
	user_access_end();
	return 0;
fault:
	user_access_end();
	return -EFAULT;
}

/**
 * vhn_packed_put() - hand chains back to the driver as used descriptors
 * @vq: the virtqueue
 * @used: the entries; each id carries the chain's descriptor count
 *	  (struct vhn_chain)
 * @n: how many
 *
 * Each entry goes at the used position, which then moves past all the
 * descriptors of its chain (2.8.6). The driver sees a used descriptor by
 * its flags, so all of the batch is written before the first entry's
 * flags, with a write barrier between: one publication for the batch,
 * as used->idx on the split ring.
 *
 * Return: 0, or a negative errno after failing the ring.
 */
int vhn_packed_put(struct vhn_vq *vq, const struct vhn_used *used,
		   unsigned int n)
{
	unsigned int num = vq->num, held, ndescs, moved = 0, i;
	u16 first = vq->last_used_idx, pos;
	__le16 flags;

	if (!n)
		return 0;
	if (unlikely(!vhn_meta_ready(vq)))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_USED_WRITE);
	held = vhn_packed_dist(vq->last_avail_idx, first, num);
	for (i = 0; i < n; i++) {
		ndescs = used[i].id >> 16;
		/* Only what was taken can come back. */
		if (unlikely(!ndescs || ndescs > held - moved))
			return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_USED_TOO_MANY);
		moved += ndescs;
	}
	if (vhn_pused_write(vq, first, moved, used, n))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_USED_WRITE);
	/*
	 * Everything before the flags that publish it: pairs with the
	 * driver's read barrier after it sees a used descriptor's flags.
	 */
	smp_wmb();
	flags = cpu_to_le16(vhn_packed_used_flags(first & VHN_PACKED_WRAP));
	if (put_user(flags, &vhn_pring(vq)[first & VHN_PACKED_IDX].flags))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_USED_WRITE);
	if (unlikely(vq->log_used) && vhn_plog_used(vq, first, moved))
		return vhn_ring_bad(vq, -EFAULT, VHN_RING_ERR_LOG_WRITE);
	pos = vhn_packed_move(first, moved, num);
	/* As on the split ring: a lap since the last signal blinds it. */
	if (unlikely(vhn_packed_dist(pos, vq->signalled_used, num) < moved))
		vq->signalled_used_valid = false;
	vq->last_used_idx = pos;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_put);

/**
 * vhn_packed_put_in_order() - hand a batch back in one used descriptor
 * @vq: the virtqueue, with VIRTIO_F_IN_ORDER acked
 * @last: the entry of the batch's last chain
 * @n: chains in the batch: the last @n taken, in the order taken
 *
 * In order, the device may write a single used descriptor for a batch,
 * with the id of its last buffer, where the batch's first chain started,
 * and move the used position past every descriptor of the batch (2.8,
 * "In-order use of descriptors"). So the batch must be all the device
 * holds: its first chain must start at the used position.
 *
 * Return: 0, or a negative errno after failing the ring.
 */
int vhn_packed_put_in_order(struct vhn_vq *vq, const struct vhn_used *last,
			    unsigned int n)
{
	unsigned int moved, h = ARRAY_SIZE(vq->taken_at);
	struct vhn_used one;

	if (!n)
		return 0;
	if (unlikely(n > h || vq->taken_at[(vq->taken - n) % h] != vq->last_used_idx))
		return vhn_ring_bad(vq, -EINVAL, VHN_RING_ERR_USED_TOO_MANY);
	moved = vhn_packed_dist(vq->last_avail_idx, vq->last_used_idx, vq->num);
	one.id = (last->id & 0xffff) | moved << 16;
	one.len = last->len;
	return vhn_packed_put(vq, &one, 1);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_put_in_order);

/* Log the device area: it is what log_guest_addr names on a packed ring. */
static int vhn_plog_area(struct vhn_vq *vq)
{
	const struct vhn_used_write w = {
		0, sizeof(struct vring_packed_desc_event)
	};

	return vhn_log_used(vq, &w, 1);
}

/* Write the device area's flags if they changed. */
static void vhn_pflags_update(struct vhn_vq *vq, u16 flags)
{
	if (vq->used_flags == flags)
		return;
	if (put_user(cpu_to_le16(flags), &vhn_device_area(vq)->flags)) {
		vhn_ring_fail(vq, VHN_RING_ERR_PACKED_EVENT_WRITE);
		return;
	}
	if (vhn_plog_area(vq)) {
		vhn_ring_fail(vq, VHN_RING_ERR_LOG_WRITE);
		return;
	}
	vq->used_flags = flags;
}

/**
 * vhn_packed_notify_disable() - ask the driver not to kick
 * @vq: the virtqueue
 *
 * With VIRTIO_RING_F_EVENT_IDX the flags stay at DESC and the offset is
 * left behind, as avail_event on the split ring.
 */
void vhn_packed_notify_disable(struct vhn_vq *vq)
{
	if ((vhn_vq_has(vq, VIRTIO_RING_F_EVENT_IDX) &&
	     vq->used_flags == VRING_PACKED_EVENT_FLAG_DESC) ||
	    !vhn_meta_ready(vq))
		return;
	vhn_pflags_update(vq, VRING_PACKED_EVENT_FLAG_DISABLE);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_notify_disable);

/**
 * vhn_packed_notify_enable() - ask the driver to kick again
 * @vq: the virtqueue
 *
 * As vhn_split_notify_enable(): only a chain past the furthest one taken
 * is news, so the check after the enable looks at the descriptor there,
 * and with VIRTIO_RING_F_EVENT_IDX that is the offset the driver is asked
 * to kick at.
 *
 * Return: true if the driver made available a chain we have not seen.
 */
bool vhn_packed_notify_enable(struct vhn_vq *vq)
{
	struct vring_packed_desc_event __user *area;

	if (vq->broken || !vhn_meta_ready(vq))
		return false;
	area = vhn_device_area(vq);
	if (!vhn_vq_has(vq, VIRTIO_RING_F_EVENT_IDX)) {
		vhn_pflags_update(vq, VRING_PACKED_EVENT_FLAG_ENABLE);
	} else if (put_user(cpu_to_le16(vq->avail_idx), &area->off_wrap)) {
		vhn_ring_fail(vq, VHN_RING_ERR_PACKED_EVENT_WRITE);
	} else if (vq->used_flags != VRING_PACKED_EVENT_FLAG_DESC) {
		/* The offset before the flags that make the driver read it. */
		smp_wmb();
		vhn_pflags_update(vq, VRING_PACKED_EVENT_FLAG_DESC);
	} else if (vhn_plog_area(vq)) {
		vhn_ring_fail(vq, VHN_RING_ERR_LOG_WRITE);
	}
	if (vq->broken)
		return false;
	/*
	 * The enable before the descriptor is read again: pairs with the
	 * driver's barrier between making a chain available and reading
	 * our area.
	 */
	smp_mb();
	return vhn_pavail_at(vq, vq->avail_idx) > 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_notify_enable);

/**
 * vhn_packed_more_avail() - does the driver have a chain for us?
 * @vq: the virtqueue
 *
 * Return: true if vhn_packed_get() would find one.
 */
bool vhn_packed_more_avail(struct vhn_vq *vq)
{
	return !vq->broken && vhn_meta_ready(vq) &&
	       vhn_pavail_at(vq, vq->last_avail_idx) > 0;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_more_avail);

/**
 * vhn_packed_want_signal() - does the driver want an interrupt now?
 * @vq: the virtqueue, after vhn_packed_put()
 *
 * From the driver area: ENABLE yes, DISABLE no, DESC (event index mode)
 * if the used descriptors published since the last decision passed its
 * offset. As on the split ring, with VIRTIO_RING_F_EVENT_IDX each call
 * records the position signalled, and a fault reading the area means yes.
 *
 * Return: true to signal the call eventfd.
 */
bool vhn_packed_want_signal(struct vhn_vq *vq)
{
	bool evt = vhn_vq_has(vq, VIRTIO_RING_F_EVENT_IDX);
	struct vring_packed_desc_event __user *area;
	bool valid = vq->signalled_used_valid;
	u16 old = vq->signalled_used;
	u16 new = vq->last_used_idx;
	__le16 raw;
	u16 flags;

	/* A spurious interrupt is harmless; reading a stale pointer is not. */
	if (unlikely(!vhn_meta_ready(vq)))
		return true;
	area = vhn_driver_area(vq);
	/* Our used descriptors visible before the driver's area is read. */
	smp_mb();
	if (evt) {
		vq->signalled_used = new;
		vq->signalled_used_valid = true;
	}
	if (get_user(raw, &area->flags))
		return true;
	flags = le16_to_cpu(raw);
	if (flags == VRING_PACKED_EVENT_FLAG_DISABLE)
		return false;
	if (flags != VRING_PACKED_EVENT_FLAG_DESC || !evt || !valid)
		return true;
	/* The driver writes the offset before the flags. */
	smp_rmb();
	if (get_user(raw, &area->off_wrap))
		return true;
	return vhn_packed_need_event(le16_to_cpu(raw), new, old, vq->num);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_packed_want_signal);
