/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtqueue as the device sees it: the configuration userspace gives it
 * (SET_VRING_*) and the state of the ring while a backend runs it.
 */
#ifndef VHN_VQ_H
#define VHN_VQ_H

#include <linux/eventfd.h>
#include <linux/poll.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/virtio_ring.h>

#include "iotlb.h"
#include "log.h"
#include "stats.h"
#include "worker.h"

struct vhn_dev;
struct file;

/* The largest iovec a chain may produce, as writev() allows. */
#define VHN_IOV_MAX	UIO_MAXIOV

/**
 * struct vhn_poll - a wait-queue entry that turns a wakeup into work
 * @wait: entry on the watched file's wait queue
 * @table: poll table used to get @wait onto that queue
 * @wqh: the wait queue @wait is on, or NULL
 * @mask: events that trigger the work
 * @work: queued on the vq's worker when an event in @mask arrives
 * @vq: the virtqueue whose worker runs @work
 */
struct vhn_poll {
	wait_queue_entry_t wait;
	poll_table table;
	wait_queue_head_t *wqh;
	__poll_t mask;
	struct vhn_work work;
	struct vhn_vq *vq;
};

/**
 * struct vhn_vq - one virtqueue
 * @dev: the device it belongs to
 * @mutex: held by ioctls that change the queue and by the worker while it
 *	   runs the queue; everything below is under it
 * @worker: the worker that runs this queue (RCU, so kicks can queue work
 *	    without the mutex)
 * @num: ring size: a power of two for a split ring, any size up to 32768
 *	  for a packed one; 1 until SET_VRING_NUM
 * @desc: descriptor table, in the owner's address space
 * @avail: driver (avail) ring
 * @used: device (used) ring
 * @log_addr: guest address of the used ring, for dirty logging
 * @log_used: dirty logging of the used ring is on (VHOST_VRING_F_LOG)
 * @log_base: the dirty bitmap (VHOST_SET_LOG_BASE), set under the vq mutex
 * @log_ctx: eventfd signalled after the bitmap changed, or NULL
 * @kick: the kick eventfd file, or NULL
 * @call: the call eventfd, signalled when the guest wants an interrupt
 * @err: the error eventfd, signalled when the ring breaks
 * @kick_poll: turns a kick into work for the worker
 * @handle_kick: what the worker runs on a kick, set by the net layer
 * @backend: the backend's private pointer; non-NULL while the ring runs
 * @features: the features acked for the device
 * @last_avail_idx: next avail ring entry to take; packed: the position
 *		    (index, and wrap counter in bit 15) of the next
 *		    descriptor to take
 * @avail_idx: the driver's avail->idx as last read; packed: the position
 *	       past the furthest chain taken
 * @last_used_idx: next used ring entry to write (our used->idx); packed:
 *		   the position of the next used descriptor to write
 * @used_flags: our copy of used->flags; packed: of the device event
 *		suppression area's flags
 * @signalled_used: used index (packed: position) at the last call signal
 * @signalled_used_valid: @signalled_used can be trusted
 * @is_le: the ring is little-endian (VERSION_1, or a legacy LE guest)
 * @user_be: a legacy ring is big-endian: the host's order, unless userspace
 *	     said otherwise (SET_VRING_ENDIAN)
 * @packed: the ring has the packed layout (VIRTIO_F_RING_PACKED when it
 *	    started): desc is the descriptor ring, avail the driver and used
 *	    the device event suppression area
 * @broken: the guest broke the ring; it stays stopped until the next kick
 *	    or a restart
 * @busyloop_timeout: busy-poll budget in microseconds, 0 for none
 * @desc_addr: the descriptor table's address as userspace gave it (an
 *	       IOVA with the IOTLB, when @desc is its translation)
 * @avail_addr: same for the avail ring
 * @used_addr: same for the used ring
 * @meta_stale: with the IOTLB: @desc, @avail and @used must be translated
 *		again before use (iotlb_dev.c)
 * @iotlb_wait: a translation missed, and a MISS was sent for @iotlb_miss;
 *		an UPDATE covering it runs the queue again (both fields
 *		under the IOTLB's lock as well as the vq mutex)
 * @iotlb_miss: the IOVA the queue waits for
 * @iotlb_unread: our last MISS while userspace has not read it (under the
 *		  device's IOTLB lock), so that retries do not pile up copies
 * @tlb_cache: the last IOTLB entries this queue used
 * @iotlb_ahead: avail index up to which buffers were asked for ahead of
 *		 a miss (vhn_prefetch()), so that none is asked for twice;
 *		 packed: the position up to which descriptors were looked at
 * @iotlb_asked: the addresses this queue sent a MISS for, not answered yet
 * @iotlb_want: bytes of buffers the queue still needs when one misses (RX:
 *		the rest of the frame), 0 for no limit; the look-ahead stops
 *		there, as buffers needed later may be unmapped again first
 * @ndirty: entries in @dirty
 * @stats: counters, for debugfs and the tracepoints (stats.h)
 * @iov: scratch iovec for one descriptor chain
 * @taken: chains taken on a packed ring, modulo the size of @taken_at
 * @taken_at: packed: the position each of the last chains taken started
 *	      at, so that vhn_ring_unget() knows how far to go back
 * @dirty: with VHOST_F_LOG_ALL, the writable descriptors of the chains
 *	   taken since vhn_ring_log_start(), for vhn_log_chains()
 */
struct vhn_vq {
	struct vhn_dev *dev;
	struct mutex mutex;	/* ioctls vs. the worker */
	struct vhn_worker __rcu *worker;

	unsigned int num;
	struct vring_desc __user *desc;
	struct vring_avail __user *avail;
	struct vring_used __user *used;
	u64 log_addr;
	bool log_used;
	void __user *log_base;
	struct eventfd_ctx *log_ctx;

	struct file *kick;
	struct eventfd_ctx *call;
	struct eventfd_ctx *err;
	struct vhn_poll kick_poll;
	vhn_work_fn_t handle_kick;

	void *backend;
	u64 features;

	u16 last_avail_idx;
	u16 avail_idx;
	u16 last_used_idx;
	u16 used_flags;
	u16 signalled_used;
	bool signalled_used_valid;
	bool is_le;
	bool user_be;
	bool packed;
	bool broken;
	u32 busyloop_timeout;
	u64 desc_addr;
	u64 avail_addr;
	u64 used_addr;
	bool meta_stale;
	bool iotlb_wait;
	u64 iotlb_miss;
	void *iotlb_unread;
	struct vhn_iotlb_cache tlb_cache;
	u16 iotlb_ahead;
	struct vhn_iotlb_asked iotlb_asked;
	u32 iotlb_want;
	unsigned int ndirty;
	struct vhn_vq_stats stats;

	struct iovec iov[VHN_IOV_MAX];
	struct vhn_dirty dirty[VHN_IOV_MAX];
	unsigned int taken;
	u16 taken_at[VHN_IOV_MAX];
};

static inline bool vhn_vq_has(const struct vhn_vq *vq, unsigned int bit)
{
	return vq->features & BIT_ULL(bit);
}

/* Ring fields are little-endian for VERSION_1 and legacy-native otherwise. */
static inline u16 vhn16_to_cpu(const struct vhn_vq *vq, __virtio16 v)
{
	return vq->is_le ? le16_to_cpu((__force __le16)v) : be16_to_cpu((__force __be16)v);
}

static inline __virtio16 cpu_to_vhn16(const struct vhn_vq *vq, u16 v)
{
	return vq->is_le ? (__force __virtio16)cpu_to_le16(v) : (__force __virtio16)cpu_to_be16(v);
}

static inline u32 vhn32_to_cpu(const struct vhn_vq *vq, __virtio32 v)
{
	return vq->is_le ? le32_to_cpu((__force __le32)v) : be32_to_cpu((__force __be32)v);
}

static inline __virtio32 cpu_to_vhn32(const struct vhn_vq *vq, u32 v)
{
	return vq->is_le ? (__force __virtio32)cpu_to_le32(v) : (__force __virtio32)cpu_to_be32(v);
}

static inline u64 vhn64_to_cpu(const struct vhn_vq *vq, __virtio64 v)
{
	return vq->is_le ? le64_to_cpu((__force __le64)v) : be64_to_cpu((__force __be64)v);
}

#endif /* VHN_VQ_H */
