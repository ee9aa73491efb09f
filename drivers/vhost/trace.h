/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of vhost_net (trace system "vhost_net"): enable them in
 * tracefs, events/vhost_net/, or with trace-cmd, perf or bpftrace.
 * Documentation/observability.rst describes each. Every event names its
 * device by the id in its debugfs directory's name and its queue by
 * index (0 RX, 1 TX). Only the hooks in stats.h and debugfs.c call them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vhost_net

#if !defined(VHN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VHN_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>

#include "stats.h"

DECLARE_EVENT_CLASS(vhn_vq_event,
		    TP_PROTO(const struct vhn_vq_stats *s),
		    TP_ARGS(s),
		    TP_STRUCT__entry(__field(u32, dev)
				     __field(u32, vq)),
		    TP_fast_assign(__entry->dev = s->dev_id;
				   __entry->vq = s->qid;),
		    TP_printk("dev=%u vq=%u", __entry->dev, __entry->vq)
);

/* The guest kicked: the kick eventfd woke the queue. */
DEFINE_EVENT(vhn_vq_event, vhn_kick,
	     TP_PROTO(const struct vhn_vq_stats *s),
	     TP_ARGS(s)
);

/* The worker starts a run of the queue. */
DEFINE_EVENT(vhn_vq_event, vhn_run_start,
	     TP_PROTO(const struct vhn_vq_stats *s),
	     TP_ARGS(s)
);

/* The guest's call eventfd was signalled. */
DEFINE_EVENT(vhn_vq_event, vhn_call,
	     TP_PROTO(const struct vhn_vq_stats *s),
	     TP_ARGS(s)
);

/* A run ends, after @frames frames; @budget: it used up its budget. */
TRACE_EVENT(vhn_run_end,
	    TP_PROTO(const struct vhn_vq_stats *s, u64 frames, bool budget),
	    TP_ARGS(s, frames, budget),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vq)
			     __field(u64, frames)
			     __field(bool, budget)),
	    TP_fast_assign(__entry->dev = s->dev_id;
			   __entry->vq = s->qid;
			   __entry->frames = frames;
			   __entry->budget = budget;),
	    TP_printk("dev=%u vq=%u frames=%llu budget=%d",
		      __entry->dev, __entry->vq, __entry->frames,
		      __entry->budget)
);

/* A TX frame of @len bytes went to the backend on its own. */
TRACE_EVENT(vhn_tx_frame,
	    TP_PROTO(const struct vhn_vq_stats *s, size_t len),
	    TP_ARGS(s, len),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vq)
			     __field(u32, len)),
	    TP_fast_assign(__entry->dev = s->dev_id;
			   __entry->vq = s->qid;
			   __entry->len = len;),
	    TP_printk("dev=%u vq=%u len=%u",
		      __entry->dev, __entry->vq, __entry->len)
);

/* @frames TX frames of @bytes in all went to tap in one batch. */
TRACE_EVENT(vhn_tx_batch,
	    TP_PROTO(const struct vhn_vq_stats *s, unsigned int frames,
		     size_t bytes),
	    TP_ARGS(s, frames, bytes),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vq)
			     __field(u32, frames)
			     __field(u64, bytes)),
	    TP_fast_assign(__entry->dev = s->dev_id;
			   __entry->vq = s->qid;
			   __entry->frames = frames;
			   __entry->bytes = bytes;),
	    TP_printk("dev=%u vq=%u frames=%u bytes=%llu",
		      __entry->dev, __entry->vq, __entry->frames,
		      __entry->bytes)
);

/* An RX frame of @len bytes went into @bufs guest buffers. */
TRACE_EVENT(vhn_rx_frame,
	    TP_PROTO(const struct vhn_vq_stats *s, size_t len, unsigned int bufs),
	    TP_ARGS(s, len, bufs),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vq)
			     __field(u32, len)
			     __field(u32, bufs)),
	    TP_fast_assign(__entry->dev = s->dev_id;
			   __entry->vq = s->qid;
			   __entry->len = len;
			   __entry->bufs = bufs;),
	    TP_printk("dev=%u vq=%u len=%u bufs=%u",
		      __entry->dev, __entry->vq, __entry->len,
		      __entry->bufs)
);

/* @n frames were dropped for @why. */
TRACE_EVENT(vhn_frame_drop,
	    TP_PROTO(const struct vhn_vq_stats *s, enum vhn_drop why,
		     unsigned int n),
	    TP_ARGS(s, why, n),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vq)
			     __field(u32, n)
			     __array(char, reason, VHN_REASON_LEN)),
	    TP_fast_assign(__entry->dev = s->dev_id;
			   __entry->vq = s->qid;
			   __entry->n = n;
			   strscpy(__entry->reason, vhn_drop_name(why),
				   VHN_REASON_LEN);),
	    TP_printk("dev=%u vq=%u reason=%s n=%u",
		      __entry->dev, __entry->vq, __entry->reason,
		      __entry->n)
);

/* The ring was failed for @why, at avail index @avail. */
TRACE_EVENT(vhn_ring_error,
	    TP_PROTO(const struct vhn_vq_stats *s, enum vhn_ring_err why,
		     u16 avail),
	    TP_ARGS(s, why, avail),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vq)
			     __field(u16, avail)
			     __array(char, reason, VHN_REASON_LEN)),
	    TP_fast_assign(__entry->dev = s->dev_id;
			   __entry->vq = s->qid;
			   __entry->avail = avail;
			   strscpy(__entry->reason, vhn_ring_err_name(why),
				   VHN_REASON_LEN);),
	    TP_printk("dev=%u vq=%u reason=%s avail=%u",
		      __entry->dev, __entry->vq, __entry->reason,
		      __entry->avail)
);

/* A backend was set (@fd) or unset (@fd -1). */
TRACE_EVENT(vhn_backend,
	    TP_PROTO(const struct vhn_vq_stats *s, int fd),
	    TP_ARGS(s, fd),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vq)
			     __field(int, fd)),
	    TP_fast_assign(__entry->dev = s->dev_id;
			   __entry->vq = s->qid;
			   __entry->fd = fd;),
	    TP_printk("dev=%u vq=%u fd=%d",
		      __entry->dev, __entry->vq, __entry->fd)
);

/* Process @tgid became the owner (@set), or the device lost it. */
TRACE_EVENT(vhn_owner,
	    TP_PROTO(u32 dev, pid_t tgid, bool set),
	    TP_ARGS(dev, tgid, set),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(pid_t, tgid)
			     __field(bool, set)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->tgid = tgid;
			   __entry->set = set;),
	    TP_printk("dev=%u tgid=%d %s", __entry->dev, __entry->tgid,
		      __entry->set ? "set" : "reset")
);

#endif /* VHN_TRACE_H */

/* Out of tree: define_trace.h finds this file beside its user (Makefile). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
