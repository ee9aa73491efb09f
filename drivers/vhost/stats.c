// SPDX-License-Identifier: GPL-2.0
/*
 * The names of ring errors and drops, the log message of each ring
 * error, and, with CONFIG_VHOST_NET_STATS, the tracepoints' definitions
 * and the ids that name devices in debugfs and in trace records.
 */
#include <kunit/visibility.h>
#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>

#include "dev.h"
#include "stats.h"
#include "vq.h"

#if IS_ENABLED(CONFIG_VHOST_NET_STATS)
#define CREATE_TRACE_POINTS
#include "trace.h"
#endif

/**
 * struct vhn_ring_err_info - what is known of one ring error reason
 * @name: a word for debugfs and trace records
 * @msg: the log message
 * @class: the counter it goes to
 */
struct vhn_ring_err_info {
	const char *name;
	const char *msg;
	enum vhn_err_class class;
};

#define VHN_ERR(e, n, m, c) \
	[VHN_RING_ERR_##e] = { .name = n, .msg = m, .class = VHN_ERRC_##c }

static const struct vhn_ring_err_info vhn_ring_errs[] = {
	VHN_ERR(NONE, "none", "no error", LOOP),
	VHN_ERR(AVAIL_IDX_READ, "avail_idx_read", "cannot read avail->idx", ADDRESS),
	VHN_ERR(AVAIL_IDX_AHEAD, "avail_idx_ahead", "avail->idx ran more than a ring ahead", INDEX),
	VHN_ERR(AVAIL_READ, "avail_read", "cannot read the avail ring", ADDRESS),
	VHN_ERR(HEAD_RANGE, "head_range", "avail ring head out of range", INDEX),
	VHN_ERR(CHAIN_LOOP, "chain_loop", "loop in a descriptor chain", LOOP),
	VHN_ERR(DESC_READ, "desc_read", "cannot read a descriptor", ADDRESS),
	VHN_ERR(NEXT_RANGE, "next_range", "descriptor next out of range", INDEX),
	VHN_ERR(READ_AFTER_WRITE, "read_after_write",
		"readable descriptor after a writable one", DIRECTION),
	VHN_ERR(CHAIN_TOO_LONG, "chain_too_long", "chain longer than 4 GiB", LENGTH),
	VHN_ERR(BUFFER_ADDRESS, "buffer_address", "buffer outside guest memory", ADDRESS),
	VHN_ERR(LOG_TOO_MANY, "log_too_many", "too many buffers to log", LENGTH),
	VHN_ERR(INDIRECT_SIZE, "indirect_size",
		"indirect table size not a multiple of 16", INDIRECT),
	VHN_ERR(INDIRECT_TOO_LONG, "indirect_too_long", "indirect table too long", INDIRECT),
	VHN_ERR(INDIRECT_PIECES, "indirect_pieces", "indirect table in too many pieces", INDIRECT),
	VHN_ERR(INDIRECT_ADDRESS, "indirect_address",
		"indirect table outside guest memory", ADDRESS),
	VHN_ERR(INDIRECT_LOOP, "indirect_loop", "loop in an indirect table", LOOP),
	VHN_ERR(INDIRECT_BUDGET, "indirect_budget", "too many indirect descriptors", LOOP),
	VHN_ERR(INDIRECT_READ, "indirect_read", "cannot read an indirect table", ADDRESS),
	VHN_ERR(INDIRECT_NESTED, "indirect_nested",
		"indirect descriptor in an indirect table", INDIRECT),
	VHN_ERR(INDIRECT_NEXT, "indirect_next", "indirect next out of range", INDEX),
	VHN_ERR(USED_TOO_MANY, "used_too_many",
		"more chains given back than the ring holds", INDEX),
	VHN_ERR(USED_WRITE, "used_write", "cannot write the used ring", ADDRESS),
	VHN_ERR(USED_IDX_WRITE, "used_idx_write", "cannot write used->idx", ADDRESS),
	VHN_ERR(USED_FLAGS_WRITE, "used_flags_write", "cannot write used->flags", ADDRESS),
	VHN_ERR(AVAIL_EVENT_WRITE, "avail_event_write", "cannot write avail_event", ADDRESS),
	VHN_ERR(LOG_WRITE, "log_write", "cannot write the dirty log", LOG),
	VHN_ERR(TX_WRITABLE, "tx_writable", "TX chain has device-writable buffers", DIRECTION),
	VHN_ERR(TX_SHORT, "tx_short", "TX frame shorter than its header", LENGTH),
	VHN_ERR(TX_IOVECS, "tx_iovecs", "TX chain needs too many iovecs", LENGTH),
	VHN_ERR(RX_IOVECS, "rx_iovecs", "RX chain needs too many iovecs", LENGTH),
	VHN_ERR(RX_READABLE, "rx_readable", "RX chain has device-readable buffers", DIRECTION),
	VHN_ERR(RX_NO_ROOM, "rx_no_room", "RX chain has no writable bytes", LENGTH),
	VHN_ERR(RX_HEADER_WRITE, "rx_header_write", "cannot write the RX header", ADDRESS),
	VHN_ERR(IOTLB_PERM, "iotlb_perm", "IOTLB mapping forbids the access", ADDRESS),
	VHN_ERR(IOTLB_RING, "iotlb_ring", "ring unusable through the IOTLB", ADDRESS),
	VHN_ERR(PACKED_ID_RANGE, "packed_id_range", "packed buffer id out of range", INDEX),
	VHN_ERR(PACKED_IN_FLIGHT, "packed_in_flight",
		"packed descriptors made available while in flight", INDEX),
	VHN_ERR(PACKED_CHAIN_LONG, "packed_chain_long", "packed chain longer than the ring", LOOP),
	VHN_ERR(PACKED_IND_NEXT, "packed_ind_next",
		"packed indirect descriptor chained with NEXT", INDIRECT),
	VHN_ERR(PACKED_EVENT_WRITE, "packed_event_write",
		"cannot write the device event suppression area", ADDRESS),
};

static_assert(ARRAY_SIZE(vhn_ring_errs) == VHN_RING_ERR_MAX);

static const char *const vhn_err_classes[] = {
	[VHN_ERRC_LOOP] = "loop",
	[VHN_ERRC_INDEX] = "index",
	[VHN_ERRC_ADDRESS] = "address",
	[VHN_ERRC_DIRECTION] = "direction",
	[VHN_ERRC_LENGTH] = "length",
	[VHN_ERRC_INDIRECT] = "indirect",
	[VHN_ERRC_LOG] = "log",
};

static_assert(ARRAY_SIZE(vhn_err_classes) == VHN_ERRC_MAX);

static const char *const vhn_drops[] = {
	[VHN_DROP_TOO_BIG] = "too_big",
	[VHN_DROP_BACKEND] = "backend",
	[VHN_DROP_BAD_HEADER] = "bad_header",
	[VHN_DROP_FAULT] = "fault",
	[VHN_DROP_EMPTY] = "empty",
};

static_assert(ARRAY_SIZE(vhn_drops) == VHN_DROP_MAX);

/* A reason out of range is a bug of ours; it reads as "none". */
static const struct vhn_ring_err_info *vhn_ring_err_info(enum vhn_ring_err why)
{
	if (WARN_ON_ONCE((unsigned int)why >= VHN_RING_ERR_MAX))
		why = VHN_RING_ERR_NONE;
	return &vhn_ring_errs[why];
}

/**
 * vhn_ring_err_name() - the word for a ring error reason
 * @why: the reason
 *
 * Return: a lower-case word with underscores, as in debugfs and traces.
 */
const char *vhn_ring_err_name(enum vhn_ring_err why)
{
	return vhn_ring_err_info(why)->name;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_ring_err_name);

/**
 * vhn_ring_err_msg() - the log message of a ring error reason
 * @why: the reason
 *
 * Return: a short sentence for the kernel log.
 */
const char *vhn_ring_err_msg(enum vhn_ring_err why)
{
	return vhn_ring_err_info(why)->msg;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_ring_err_msg);

/**
 * vhn_ring_err_class() - the counter a ring error reason goes to
 * @why: the reason
 *
 * Return: its class.
 */
enum vhn_err_class vhn_ring_err_class(enum vhn_ring_err why)
{
	return vhn_ring_err_info(why)->class;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_ring_err_class);

/**
 * vhn_err_class_name() - the word for a class of ring errors
 * @c: the class
 *
 * Return: the word that follows "errors_" in debugfs.
 */
const char *vhn_err_class_name(enum vhn_err_class c)
{
	return (unsigned int)c < VHN_ERRC_MAX ? vhn_err_classes[c] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(vhn_err_class_name);

/**
 * vhn_drop_name() - the word for a drop reason
 * @d: the reason
 *
 * Return: the word that follows "drops_" in debugfs.
 */
const char *vhn_drop_name(enum vhn_drop d)
{
	return (unsigned int)d < VHN_DROP_MAX ? vhn_drops[d] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(vhn_drop_name);

#if IS_ENABLED(CONFIG_VHOST_NET_STATS)
static atomic_t vhn_dev_ids = ATOMIC_INIT(0);

/**
 * vhn_stats_init() - name a device just opened and its queues
 * @dev: the device, with its queues
 *
 * The id, with the owner's tgid, names the device's debugfs directory,
 * and the id names it in trace records; ids are not reused while the
 * module stays loaded.
 */
void vhn_stats_init(struct vhn_dev *dev)
{
	int i;

	dev->stats.id = atomic_inc_return(&vhn_dev_ids);
	for (i = 0; i < dev->nvqs; i++) {
		dev->vqs[i]->stats.dev_id = dev->stats.id;
		dev->vqs[i]->stats.qid = i;
	}
}
#endif
