/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Observability: per-virtqueue counters, read through debugfs
 * (debugfs.c), and the tracepoints (trace.h), behind one set of inline
 * hooks that the datapath calls in one line each.
 *
 * Counters are plain u64s in the vq, written by the worker under the vq
 * mutex it already holds (kicks: under the kick eventfd's wait-queue
 * lock, see vhn_stat_kick()), so a counted frame costs an add to a
 * cache line the worker touches anyway. Readers take no lock: each value
 * is read whole (READ_ONCE) and may be a frame behind.
 *
 * With CONFIG_VHOST_NET_STATS off every hook is an empty inline, there
 * is no debugfs directory and no tracepoint: make bench compares the two
 * builds. The ring error reasons and their log messages exist either way.
 */
#ifndef VHN_STATS_H
#define VHN_STATS_H

#include <linux/compiler.h>
#include <linux/types.h>

struct vhn_dev;
struct vhn_vq;

/**
 * enum vhn_ring_err - why a ring was failed (vhn_ring_fail())
 * @VHN_RING_ERR_NONE: no error yet
 * @VHN_RING_ERR_AVAIL_IDX_READ: avail->idx could not be read
 * @VHN_RING_ERR_AVAIL_IDX_AHEAD: avail->idx more than a ring ahead of us
 * @VHN_RING_ERR_AVAIL_READ: an avail ring entry could not be read
 * @VHN_RING_ERR_HEAD_RANGE: a head index past the ring
 * @VHN_RING_ERR_CHAIN_LOOP: a chain of more descriptors than the ring has
 * @VHN_RING_ERR_DESC_READ: a descriptor could not be read
 * @VHN_RING_ERR_NEXT_RANGE: a "next" index past the ring
 * @VHN_RING_ERR_READ_AFTER_WRITE: a readable descriptor after a writable one
 * @VHN_RING_ERR_CHAIN_TOO_LONG: a chain of more than 4 GiB
 * @VHN_RING_ERR_BUFFER_ADDRESS: a buffer outside guest memory
 * @VHN_RING_ERR_LOG_TOO_MANY: more writable buffers than the log can record
 * @VHN_RING_ERR_INDIRECT_SIZE: an indirect table not a multiple of 16 bytes
 * @VHN_RING_ERR_INDIRECT_TOO_LONG: an indirect table of too many entries
 * @VHN_RING_ERR_INDIRECT_PIECES: an indirect table in too many pieces
 * @VHN_RING_ERR_INDIRECT_ADDRESS: an indirect table outside guest memory
 * @VHN_RING_ERR_INDIRECT_LOOP: a loop in an indirect table
 * @VHN_RING_ERR_INDIRECT_BUDGET: a chain visiting too many indirect entries
 * @VHN_RING_ERR_INDIRECT_READ: an indirect table could not be read
 * @VHN_RING_ERR_INDIRECT_NESTED: an indirect descriptor in an indirect table
 * @VHN_RING_ERR_INDIRECT_NEXT: a "next" index past an indirect table
 * @VHN_RING_ERR_USED_TOO_MANY: more chains given back than the ring holds
 * @VHN_RING_ERR_USED_WRITE: the used ring could not be written
 * @VHN_RING_ERR_USED_IDX_WRITE: used->idx could not be written
 * @VHN_RING_ERR_USED_FLAGS_WRITE: used->flags could not be written
 * @VHN_RING_ERR_AVAIL_EVENT_WRITE: avail_event could not be written
 * @VHN_RING_ERR_LOG_WRITE: the dirty log could not be written
 * @VHN_RING_ERR_TX_WRITABLE: a TX chain with device-writable buffers
 * @VHN_RING_ERR_TX_SHORT: a TX chain no longer than its header
 * @VHN_RING_ERR_TX_IOVECS: a TX chain of more iovecs than a send takes
 * @VHN_RING_ERR_RX_IOVECS: an RX chain of more iovecs than a receive takes
 * @VHN_RING_ERR_RX_READABLE: an RX chain with device-readable buffers
 * @VHN_RING_ERR_RX_NO_ROOM: an RX chain with no writable byte
 * @VHN_RING_ERR_RX_HEADER_WRITE: the RX header could not be written
 * @VHN_RING_ERR_IOTLB_PERM: an IOTLB mapping forbids the access
 * @VHN_RING_ERR_IOTLB_RING: a ring part is not one contiguous userspace
 *			     range, or its mapping forbids the access
 * @VHN_RING_ERR_PACKED_ID_RANGE: packed: a buffer id past the ring
 * @VHN_RING_ERR_PACKED_IN_FLIGHT: packed: the driver made available
 *				   descriptors the device still holds
 * @VHN_RING_ERR_PACKED_CHAIN_LONG: packed: a chain longer than the ring
 * @VHN_RING_ERR_PACKED_IND_NEXT: packed: an indirect descriptor with NEXT
 * @VHN_RING_ERR_PACKED_EVENT_WRITE: packed: the device event suppression
 *				     area could not be written
 * @VHN_RING_ERR_MAX: the number of reasons
 */
enum vhn_ring_err {
	VHN_RING_ERR_NONE,
	VHN_RING_ERR_AVAIL_IDX_READ,
	VHN_RING_ERR_AVAIL_IDX_AHEAD,
	VHN_RING_ERR_AVAIL_READ,
	VHN_RING_ERR_HEAD_RANGE,
	VHN_RING_ERR_CHAIN_LOOP,
	VHN_RING_ERR_DESC_READ,
	VHN_RING_ERR_NEXT_RANGE,
	VHN_RING_ERR_READ_AFTER_WRITE,
	VHN_RING_ERR_CHAIN_TOO_LONG,
	VHN_RING_ERR_BUFFER_ADDRESS,
	VHN_RING_ERR_LOG_TOO_MANY,
	VHN_RING_ERR_INDIRECT_SIZE,
	VHN_RING_ERR_INDIRECT_TOO_LONG,
	VHN_RING_ERR_INDIRECT_PIECES,
	VHN_RING_ERR_INDIRECT_ADDRESS,
	VHN_RING_ERR_INDIRECT_LOOP,
	VHN_RING_ERR_INDIRECT_BUDGET,
	VHN_RING_ERR_INDIRECT_READ,
	VHN_RING_ERR_INDIRECT_NESTED,
	VHN_RING_ERR_INDIRECT_NEXT,
	VHN_RING_ERR_USED_TOO_MANY,
	VHN_RING_ERR_USED_WRITE,
	VHN_RING_ERR_USED_IDX_WRITE,
	VHN_RING_ERR_USED_FLAGS_WRITE,
	VHN_RING_ERR_AVAIL_EVENT_WRITE,
	VHN_RING_ERR_LOG_WRITE,
	VHN_RING_ERR_TX_WRITABLE,
	VHN_RING_ERR_TX_SHORT,
	VHN_RING_ERR_TX_IOVECS,
	VHN_RING_ERR_RX_IOVECS,
	VHN_RING_ERR_RX_READABLE,
	VHN_RING_ERR_RX_NO_ROOM,
	VHN_RING_ERR_RX_HEADER_WRITE,
	VHN_RING_ERR_IOTLB_PERM,
	VHN_RING_ERR_IOTLB_RING,
	VHN_RING_ERR_PACKED_ID_RANGE,
	VHN_RING_ERR_PACKED_IN_FLIGHT,
	VHN_RING_ERR_PACKED_CHAIN_LONG,
	VHN_RING_ERR_PACKED_IND_NEXT,
	VHN_RING_ERR_PACKED_EVENT_WRITE,
	VHN_RING_ERR_MAX
};

/**
 * enum vhn_err_class - what kind of rule a ring error broke, one counter each
 * @VHN_ERRC_LOOP: a chain or indirect table that loops, or never ends
 * @VHN_ERRC_INDEX: an index out of range (head, next, avail->idx, used)
 * @VHN_ERRC_ADDRESS: an address outside guest memory, or one that faults
 * @VHN_ERRC_DIRECTION: a buffer of the wrong direction
 * @VHN_ERRC_LENGTH: a chain too long, too short or too scattered
 * @VHN_ERRC_INDIRECT: a malformed indirect table
 * @VHN_ERRC_LOG: the dirty log could not be written
 * @VHN_ERRC_MAX: the number of classes
 */
enum vhn_err_class {
	VHN_ERRC_LOOP,
	VHN_ERRC_INDEX,
	VHN_ERRC_ADDRESS,
	VHN_ERRC_DIRECTION,
	VHN_ERRC_LENGTH,
	VHN_ERRC_INDIRECT,
	VHN_ERRC_LOG,
	VHN_ERRC_MAX
};

/**
 * enum vhn_drop - why a frame was dropped, one counter each
 * @VHN_DROP_TOO_BIG: RX: it can never fit the guest's buffers; TX: the
 *		      backend refused its size (EMSGSIZE)
 * @VHN_DROP_BACKEND: TX: the backend refused it, or the whole batch
 * @VHN_DROP_BAD_HEADER: TX: its virtio-net header is one tap refuses
 * @VHN_DROP_FAULT: TX: its guest memory could not be read
 * @VHN_DROP_EMPTY: RX: a 0-byte frame, with nothing for the guest
 * @VHN_DROP_MAX: the number of reasons
 */
enum vhn_drop {
	VHN_DROP_TOO_BIG,
	VHN_DROP_BACKEND,
	VHN_DROP_BAD_HEADER,
	VHN_DROP_FAULT,
	VHN_DROP_EMPTY,
	VHN_DROP_MAX
};

/* Room for the longest reason name, with its NUL, in a trace record. */
#define VHN_REASON_LEN	20

const char *vhn_ring_err_name(enum vhn_ring_err why);
const char *vhn_ring_err_msg(enum vhn_ring_err why);
enum vhn_err_class vhn_ring_err_class(enum vhn_ring_err why);
const char *vhn_err_class_name(enum vhn_err_class c);
const char *vhn_drop_name(enum vhn_drop d);

#if IS_ENABLED(CONFIG_VHOST_NET_STATS)

/**
 * struct vhn_vq_stats - one virtqueue's counters (Documentation/observability.rst)
 * @frames: frames moved: TX handed to the backend, RX given to the guest
 * @bytes: their bytes, without any virtio-net header
 * @kicks: kick eventfd wakeups
 * @calls: call eventfd signals
 * @calls_suppressed: used entries published without a signal, as the
 *		      guest asked (event index, VRING_AVAIL_F_NO_INTERRUPT)
 * @runs: runs of the queue on the worker with a backend
 * @runs_budget: runs that ended on the budget and requeued themselves
 * @ring_empty: times the guest had no buffers: TX nothing to send, RX no
 *		room for the next frame
 * @backend_full: TX: the backend had no room, the queue waits for it
 * @busy_polls: busy-poll loops entered
 * @busy_poll_hits: busy-poll loops that found work
 * @tx_batches: TX batches handed to tap in one sendmsg
 * @tx_batch_frames: frames in those batches
 * @drops: dropped frames by reason
 * @errors: ring errors by class
 * @last_error: the reason of the last ring error, or VHN_RING_ERR_NONE
 * @last_error_avail: the avail index of the chain the last error was in
 * @dev_id: the device's id, for the tracepoints
 * @qid: the queue's index in its device
 */
struct vhn_vq_stats {
	u64 frames;
	u64 bytes;
	u64 kicks;
	u64 calls;
	u64 calls_suppressed;
	u64 runs;
	u64 runs_budget;
	u64 ring_empty;
	u64 backend_full;
	u64 busy_polls;
	u64 busy_poll_hits;
	u64 tx_batches;
	u64 tx_batch_frames;
	u64 drops[VHN_DROP_MAX];
	u64 errors[VHN_ERRC_MAX];
	u16 last_error;
	u16 last_error_avail;
	u32 dev_id;
	u32 qid;
};

/**
 * struct vhn_dev_stats - what a device has for observability
 * @id: unique among the devices opened since the module loaded
 * @owner: the owner's tgid, while it has one
 * @dir: its debugfs directory, from SET_OWNER to RESET_OWNER or release
 */
struct vhn_dev_stats {
	u32 id;
	pid_t owner;
	struct dentry *dir;
};

#include "trace.h"

/* Only the worker writes; WRITE_ONCE so that a reader never sees a torn value. */
static inline void vhn_stat_add(u64 *c, u64 n)
{
	WRITE_ONCE(*c, *c + n);
}

void vhn_stats_init(struct vhn_dev *dev);
void vhn_debugfs_init(void);
void vhn_debugfs_exit(void);
void vhn_stats_set_owner(struct vhn_dev *dev);
void vhn_stats_reset_owner(struct vhn_dev *dev);

/**
 * vhn_stat_kick() - a kick woke the queue
 * @s: the queue's counters
 *
 * Called from the kick eventfd's wakeup, in atomic context without the vq
 * mutex: every wakeup of one eventfd runs under its wait-queue lock,
 * which serializes the writers, and the poll entry leaves the old
 * eventfd's queue (under its lock) before it joins a new one.
 */
static inline void vhn_stat_kick(struct vhn_vq_stats *s)
{
	vhn_stat_add(&s->kicks, 1);
	trace_vhn_kick(s);
}

/* A run of the queue starts; returns what vhn_stat_run_end() wants. */
static inline u64 vhn_stat_run_start(struct vhn_vq_stats *s)
{
	vhn_stat_add(&s->runs, 1);
	trace_vhn_run_start(s);
	return s->frames;
}

static inline void vhn_stat_run_end(struct vhn_vq_stats *s, u64 start,
				    bool budget)
{
	if (budget)
		vhn_stat_add(&s->runs_budget, 1);
	trace_vhn_run_end(s, s->frames - start, budget);
}

static inline void vhn_stat_tx_frame(struct vhn_vq_stats *s, size_t len)
{
	vhn_stat_add(&s->frames, 1);
	vhn_stat_add(&s->bytes, len);
	trace_vhn_tx_frame(s, len);
}

/* @n frames of @bytes in all went to tap in one batch. */
static inline void vhn_stat_tx_batch(struct vhn_vq_stats *s, unsigned int n,
				     size_t bytes)
{
	vhn_stat_add(&s->frames, n);
	vhn_stat_add(&s->bytes, bytes);
	vhn_stat_add(&s->tx_batches, 1);
	vhn_stat_add(&s->tx_batch_frames, n);
	trace_vhn_tx_batch(s, n, bytes);
}

static inline void vhn_stat_rx_frame(struct vhn_vq_stats *s, size_t len,
				     unsigned int bufs)
{
	vhn_stat_add(&s->frames, 1);
	vhn_stat_add(&s->bytes, len);
	trace_vhn_rx_frame(s, len, bufs);
}

static inline void vhn_stat_drop(struct vhn_vq_stats *s, enum vhn_drop why,
				 unsigned int n)
{
	vhn_stat_add(&s->drops[why], n);
	trace_vhn_frame_drop(s, why, n);
}

/* A used batch was published: @signalled says whether the guest was called. */
static inline void vhn_stat_call(struct vhn_vq_stats *s, bool signalled)
{
	if (!signalled) {
		vhn_stat_add(&s->calls_suppressed, 1);
		return;
	}
	vhn_stat_add(&s->calls, 1);
	trace_vhn_call(s);
}

static inline void vhn_stat_ring_empty(struct vhn_vq_stats *s)
{
	vhn_stat_add(&s->ring_empty, 1);
}

static inline void vhn_stat_backend_full(struct vhn_vq_stats *s)
{
	vhn_stat_add(&s->backend_full, 1);
}

static inline void vhn_stat_busy_poll(struct vhn_vq_stats *s, bool hit)
{
	vhn_stat_add(&s->busy_polls, 1);
	if (hit)
		vhn_stat_add(&s->busy_poll_hits, 1);
}

/* The ring was failed for @why at avail index @avail. */
static inline void vhn_stat_ring_err(struct vhn_vq_stats *s,
				     enum vhn_ring_err why, u16 avail)
{
	vhn_stat_add(&s->errors[vhn_ring_err_class(why)], 1);
	WRITE_ONCE(s->last_error, why);
	WRITE_ONCE(s->last_error_avail, avail);
	trace_vhn_ring_error(s, why, avail);
}

static inline void vhn_stat_backend(struct vhn_vq_stats *s, int fd)
{
	trace_vhn_backend(s, fd);
}

#else /* !CONFIG_VHOST_NET_STATS */

struct vhn_vq_stats { };
struct vhn_dev_stats { };

static inline void vhn_stats_init(struct vhn_dev *dev) { }
static inline void vhn_debugfs_init(void) { }
static inline void vhn_debugfs_exit(void) { }
static inline void vhn_stats_set_owner(struct vhn_dev *dev) { }
static inline void vhn_stats_reset_owner(struct vhn_dev *dev) { }
static inline void vhn_stat_kick(struct vhn_vq_stats *s) { }
static inline u64 vhn_stat_run_start(struct vhn_vq_stats *s) { return 0; }
static inline void vhn_stat_run_end(struct vhn_vq_stats *s, u64 start,
				    bool budget) { }
static inline void vhn_stat_tx_frame(struct vhn_vq_stats *s, size_t len) { }
static inline void vhn_stat_tx_batch(struct vhn_vq_stats *s, unsigned int n,
				     size_t bytes) { }
static inline void vhn_stat_rx_frame(struct vhn_vq_stats *s, size_t len,
				     unsigned int bufs) { }
static inline void vhn_stat_drop(struct vhn_vq_stats *s, enum vhn_drop why,
				 unsigned int n) { }
static inline void vhn_stat_call(struct vhn_vq_stats *s, bool signalled) { }
static inline void vhn_stat_ring_empty(struct vhn_vq_stats *s) { }
static inline void vhn_stat_backend_full(struct vhn_vq_stats *s) { }
static inline void vhn_stat_busy_poll(struct vhn_vq_stats *s, bool hit) { }
static inline void vhn_stat_ring_err(struct vhn_vq_stats *s,
				     enum vhn_ring_err why, u16 avail) { }
static inline void vhn_stat_backend(struct vhn_vq_stats *s, int fd) { }

#endif /* CONFIG_VHOST_NET_STATS */

#endif /* VHN_STATS_H */
