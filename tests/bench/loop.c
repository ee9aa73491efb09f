// SPDX-License-Identifier: GPL-2.0
/*
 * The measurement loops. The guest driver here does what a virtio-net
 * driver does at full load, and as little else as it can, so that the
 * device's cost dominates:
 *
 *  - descriptor i always points at buffer i, prepared once; a used entry
 *    only has its id put back on the avail ring;
 *  - it kicks only when the device asks (avail_event with EVENT_IDX,
 *    VRING_USED_F_NO_NOTIFY without);
 *  - with VIRTIO_F_IN_ORDER, descriptor i is also the i-th buffer of
 *    each lap of the ring, so a used entry for a batch tells which ids
 *    it covers without reading the entries the device skipped;
 *  - it sleeps on the call eventfd when there is nothing to reap, asking
 *    for a call after 3/4 of what is in flight on TX (as virtio-net's
 *    delayed TX callback does) and after the next entry on RX (NAPI).
 *
 * On a packed ring (--ring packed) the same: each buffer is one
 * descriptor, a batch is made available by its first descriptor's flags,
 * written last, and the event suppression areas stand for avail_event,
 * used_event and the flags; in order, buffer i is at slot i of each lap
 * there too, so one used descriptor tells the batch it ends.
 *
 * Every wait is bounded: STALL_MS without a used entry fails the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

struct lane {
	struct vq *q;
	u16 *ready;		/* ids to put back on the avail ring */
	unsigned int nready;
	u64 gpa;		/* buffer i is at gpa + i * BENCH_BUF */
	u32 len;		/* of each buffer */
	u16 flags;		/* of each buffer's descriptor */
	u64 kicks, sleeps;
};

/* --iotlb strict: the device fd, to unmap each buffer once it is used. */
static int strict_fd = -1;

void loop_strict(int fd)
{
	strict_fd = fd;
}

/* What a guest's dma_unmap does in strict mode: the IOTLB entry goes. */
static void unmap_buf(u64 iova)
{
	struct vhost_msg_v2 m = { .type = VHOST_IOTLB_MSG_V2 };

	m.iotlb.iova = iova;
	m.iotlb.size = BENCH_BUF;
	m.iotlb.type = VHOST_IOTLB_INVALIDATE;
	CHECK(write(strict_fd, &m, sizeof(m)) == sizeof(m));
}

u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static u16 *avail_event(struct vq *q)
{
	return (u16 *)&q->used->ring[q->num];
}

static u16 *used_event(struct vq *q)
{
	return &q->avail->ring[q->num];
}

static u16 used_idx(struct vq *q)
{
	return __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE);
}

#define P_AVAIL		((u16)BIT(VRING_PACKED_DESC_F_AVAIL))
#define P_USED		((u16)BIT(VRING_PACKED_DESC_F_USED))

/* Packed: did moving from old to new pass off_wrap? (modulo 2 * num) */
static bool p_need_event(const struct vq *q, u16 off_wrap, u16 new, u16 old)
{
	unsigned int m = 2 * q->num - 1;
	unsigned int e = (off_wrap & (PW - 1)) + (off_wrap & PW ? 0 : q->num);
	unsigned int n = (new & (PW - 1)) + (new & PW ? 0 : q->num);
	unsigned int o = (old & (PW - 1)) + (old & PW ? 0 : q->num);

	return ((n - e - 1) & m) < ((n - o) & m);
}

/* Packed: ask for calls, for the used descriptor want - 1 from ours on. */
static void p_want_calls(struct vq *q, unsigned int want)
{
	if (!want) {
		__atomic_store_n(&q->drv->flags, VRING_PACKED_EVENT_FLAG_DISABLE,
				 __ATOMIC_RELEASE);
		return;
	}
	if (q->event_idx) {
		q->drv->off_wrap = pos_move(q->pused, want - 1, q->num);
		__atomic_store_n(&q->drv->flags, VRING_PACKED_EVENT_FLAG_DESC,
				 __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&q->drv->flags, VRING_PACKED_EVENT_FLAG_ENABLE,
				 __ATOMIC_RELEASE);
	}
}

/* Packed: the next position; cheaper than pos_move() for one step. */
static inline u16 p_next(u16 pos, unsigned int num)
{
	return (unsigned int)(pos & (PW - 1)) + 1 < num ? pos + 1 : (pos & PW) ^ PW;
}

/* Packed: make the ready buffers available, the first one's flags last. */
static void p_post(struct lane *l)
{
	struct vq *q = l->q;
	u16 old = q->pavail, pos = q->pavail, first_fl = 0, fl, ev;
	struct vring_packed_desc *d;
	unsigned int i;
	bool kick;

	for (i = 0; i < l->nready; i++) {
		d = &q->pring[pos & (PW - 1)];
		d->addr = l->gpa + (u64)l->ready[i] * BENCH_BUF;
		d->len = l->len;
		d->id = l->ready[i];
		fl = l->flags | (pos & PW ? P_AVAIL : P_USED);
		if (i)
			d->flags = fl;
		else
			first_fl = fl;
		pos = p_next(pos, q->num);
	}
	q->pavail = pos;
	q->avail_idx += l->nready;
	l->nready = 0;
	__atomic_store_n(&q->pring[old & (PW - 1)].flags, first_fl,
			 __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	fl = __atomic_load_n(&q->dev->flags, __ATOMIC_ACQUIRE);
	if (fl == VRING_PACKED_EVENT_FLAG_DESC) {
		ev = __atomic_load_n(&q->dev->off_wrap, __ATOMIC_ACQUIRE);
		kick = p_need_event(q, ev, q->pavail, old);
	} else {
		kick = fl != VRING_PACKED_EVENT_FLAG_DISABLE;
	}
	if (kick) {
		vq_kick(q);
		l->kicks++;
	}
}

/* Packed: is the descriptor at pos used? */
static inline bool p_used(const struct vq *q, u16 pos)
{
	u16 fl = __atomic_load_n(&q->pring[pos & (PW - 1)].flags, __ATOMIC_ACQUIRE);
	bool w = pos & PW;

	return !!(fl & P_AVAIL) == w && !!(fl & P_USED) == w;
}

/*
 * Packed, in order: the buffers the used descriptor at pos stands for.
 * Buffer i sits at slot i of each lap, so its id ends the batch there.
 */
static unsigned int p_batch(const struct vq *q, u16 pos)
{
	unsigned int at = pos & (PW - 1), id = q->pring[at].id;
	unsigned int k = (id + q->num - at) % q->num + 1;

	CHECKF(id < q->num && k <= (u16)(q->avail_idx - q->last_used),
	       "ring %d: an in-order batch at %u ends at id %u, past the %u in flight",
	       q->idx, at, id, (u16)(q->avail_idx - q->last_used));
	return k;
}

/* Packed, in order: used buffers not yet reaped. */
static unsigned int p_pending_in_order(const struct vq *q)
{
	unsigned int n = 0, k;
	u16 pos = q->pused;

	while (n < q->num && p_used(q, pos)) {
		k = p_batch(q, pos);
		n += k;
		pos = pos_move(pos, k, q->num);
	}
	return n;
}

/*
 * Packed, in order: a used descriptor ends a batch at its id, every
 * buffer of it but that one used completely, as lane_reap_in_order().
 */
static unsigned int p_reap_in_order(struct lane *l, u32 want_len, u64 *bytes,
				    u64 *odd)
{
	struct vq *q = l->q;
	unsigned int n = 0, i, k, at;
	u16 pos = q->pused;

	while (p_used(q, pos)) {
		struct vring_packed_desc *d = &q->pring[pos & (PW - 1)];

		k = p_batch(q, pos);
		at = pos & (PW - 1);
		for (i = 0; i < k; i++)
			l->ready[l->nready++] = (at + i) % q->num;
		*bytes += d->len;
		if (k > 1 && (l->flags & VRING_DESC_F_WRITE))
			*bytes += (u64)(k - 1) * l->len;
		if (d->len != want_len)
			(*odd)++;
		pos = pos_move(pos, k, q->num);
		n += k;
	}
	q->pused = pos;
	q->last_used += n;
	return n;
}

/* Packed: take the used descriptors, each one buffer of one descriptor. */
static unsigned int p_reap(struct lane *l, u32 want_len, u64 *bytes, u64 *odd)
{
	struct vq *q = l->q;
	unsigned int n = 0;
	u16 pos = q->pused;

	if (q->in_order)
		return p_reap_in_order(l, want_len, bytes, odd);
	for (;;) {
		struct vring_packed_desc *d = &q->pring[pos & (PW - 1)];
		u16 fl = __atomic_load_n(&d->flags, __ATOMIC_ACQUIRE);
		bool w = pos & PW;

		if (!!(fl & P_AVAIL) != w || !!(fl & P_USED) != w)
			break;
		CHECKF(d->id < q->num, "ring %d: the device used id %u of %u",
		       q->idx, d->id, q->num);
		l->ready[l->nready++] = d->id;
		if (strict_fd >= 0)
			unmap_buf(l->gpa + (u64)d->id * BENCH_BUF);
		*bytes += d->len;
		if (d->len != want_len)
			(*odd)++;
		pos = p_next(pos, q->num);
		n++;
	}
	q->pused = pos;
	q->last_used += n;
	return n;
}

static void lane_init(struct lane *l, struct vq *q, u8 *bufs, u32 len,
		      bool writable)
{
	unsigned int i;

	memset(l, 0, sizeof(*l));
	l->q = q;
	l->ready = calloc(q->num, sizeof(*l->ready));
	CHECK(l->ready);
	l->gpa = gpa_of(q->mem, bufs);
	l->len = len;
	l->flags = writable ? VRING_DESC_F_WRITE : 0;
	/*
	 * Packed: the descriptors are written as buffers are made available
	 * (p_post()); ndesc lets vq_used_pending() count used buffers.
	 */
	for (i = 0; i < q->num; i++) {
		l->ready[l->nready++] = i;
		q->ndesc[i] = 1;
		if (q->packed)
			continue;
		q->desc[i].addr = gpa_of(q->mem, bufs + (size_t)i * BENCH_BUF);
		q->desc[i].len = len;
		q->desc[i].flags = writable ? VRING_DESC_F_WRITE : 0;
		q->desc[i].next = 0;
	}
	/* no calls until we ask for one */
	if (q->packed)
		p_want_calls(q, 0);
	else if (q->event_idx)
		__atomic_store_n(used_event(q), (u16)(q->last_used - 1),
				 __ATOMIC_RELEASE);
	else
		q->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
}

/* Put every ready id on the avail ring; kick if the device wants it. */
static void lane_post(struct lane *l)
{
	struct vq *q = l->q;
	u16 old = q->avail_idx, ev;
	unsigned int i;
	bool kick;

	if (!l->nready)
		return;
	if (q->packed) {
		p_post(l);
		return;
	}
	for (i = 0; i < l->nready; i++)
		q->avail->ring[(u16)(q->avail_idx + i) % q->num] = l->ready[i];
	q->avail_idx += l->nready;
	l->nready = 0;
	__atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (q->event_idx) {
		ev = __atomic_load_n(avail_event(q), __ATOMIC_ACQUIRE);
		kick = (u16)(q->avail_idx - ev - 1) < (u16)(q->avail_idx - old);
	} else {
		kick = !(__atomic_load_n(&q->used->flags, __ATOMIC_ACQUIRE) &
			 VRING_USED_F_NO_NOTIFY);
	}
	if (kick) {
		vq_kick(q);
		l->kicks++;
	}
}

/*
 * In order: the entry at our next slot ends a batch at its id, and every
 * buffer of the batch but that one was used completely (TX: nothing
 * written; RX: the buffer is full). Buffer i sits at slot i of each lap.
 */
static unsigned int lane_reap_in_order(struct lane *l, u32 want_len,
				       u64 *bytes, u64 *odd)
{
	struct vq *q = l->q;
	u16 end = used_idx(q), mask = q->num - 1;
	unsigned int n = 0, i, k;

	while (q->last_used != end) {
		u16 at = q->last_used & mask;
		struct vring_used_elem e = q->used->ring[at];

		k = ((e.id - at) & mask) + 1;
		CHECKF(e.id < q->num && k <= (u16)(end - q->last_used),
		       "ring %d: an in-order batch at %u ends at id %u, past the %u used",
		       q->idx, at, e.id, (u16)(end - q->last_used));
		for (i = 0; i < k; i++)
			l->ready[l->nready++] = (at + i) & mask;
		*bytes += e.len;
		if (k > 1 && (q->desc[at].flags & VRING_DESC_F_WRITE))
			*bytes += (u64)(k - 1) * q->desc[at].len;
		if (e.len != want_len)
			(*odd)++;
		q->last_used += k;
		n += k;
	}
	return n;
}

/* lane_post() of at most max of the ready ids; the others stay ready. */
static void lane_post_upto(struct lane *l, unsigned int max)
{
	unsigned int n = l->nready, k = n < max ? n : max;

	if (!k)
		return;
	l->nready = k;
	lane_post(l);
	memmove(l->ready, l->ready + k, (n - k) * sizeof(*l->ready));
	l->nready = n - k;
}

/* Take every used entry; returns how many, and their bytes in *bytes. */
static unsigned int lane_reap(struct lane *l, u32 want_len, u64 *bytes,
			      u64 *odd)
{
	struct vq *q = l->q;
	unsigned int n = 0;
	u16 end;

	if (q->packed)
		return p_reap(l, want_len, bytes, odd);
	if (q->in_order)
		return lane_reap_in_order(l, want_len, bytes, odd);
	end = used_idx(q);
	while (q->last_used != end) {
		struct vring_used_elem e = q->used->ring[q->last_used % q->num];

		CHECKF(e.id < q->num, "ring %d: the device used id %u of %u",
		       q->idx, e.id, q->num);
		l->ready[l->nready++] = e.id;
		if (strict_fd >= 0)
			unmap_buf(q->desc[e.id].addr);
		*bytes += e.len;
		if (e.len != want_len)
			(*odd)++;
		q->last_used++;
		n++;
	}
	return n;
}

/* Sleep until at least want more entries are used, or ms pass. */
static void lane_wait(struct lane *l, unsigned int want, int ms)
{
	struct vq *q = l->q;
	struct pollfd p = { .fd = q->call, .events = POLLIN };
	u16 mark = q->last_used;

	if (q->packed) {
		p_want_calls(q, want);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if ((q->in_order ? p_pending_in_order(q) : vq_used_pending(q)) < want) {
			l->sleeps++;
			poll(&p, 1, ms);
		}
		efd_drain(q->call);
		p_want_calls(q, 0);
		return;
	}
	if (q->event_idx) {
		__atomic_store_n(used_event(q), (u16)(mark + want - 1),
				 __ATOMIC_RELEASE);
	} else {
		q->avail->flags = 0;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if ((u16)(used_idx(q) - mark) < want) {
		l->sleeps++;
		poll(&p, 1, ms);
	}
	efd_drain(q->call);
	if (q->event_idx)
		__atomic_store_n(used_event(q), (u16)(mark - 1),
				 __ATOMIC_RELEASE);
	else
		q->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
}

/*
 * The loop both directions share: reap, post, and sleep when nothing
 * came back. Counts from warm_ms after the start for ms.
 */
static void measure(struct lane *l, const struct bench_opts *o,
		    u32 want_len, bool tx, struct bench_result *res)
{
	u64 t_start, t_end, t0 = 0, t = now_ns(), last_progress = t;
	u64 total = 0, bytes = 0, odd = 0, base = 0, base_bytes = 0;
	u64 base_odd = 0, base_kicks = 0, base_sleeps = 0;
	bool counting = false;
	unsigned int n, want;

	t_start = t + (u64)o->warm_ms * 1000000ULL;
	t_end = t_start + (u64)o->ms * 1000000ULL;
	lane_post(l);
	if (!l->kicks) {
		vq_kick(l->q);
		l->kicks++;
	}
	for (;;) {
		n = lane_reap(l, want_len, &bytes, &odd);
		total += n;
		t = now_ns();
		if (n)
			last_progress = t;
		if (!counting && t >= t_start) {
			counting = true;
			t0 = t;
			base = total;
			base_bytes = bytes;
			base_odd = odd;
			base_kicks = l->kicks;
			base_sleeps = l->sleeps;
		}
		if (t >= t_end)
			break;
		CHECKF(t - last_progress < STALL_MS * 1000000ULL,
		       "%s: no used entry for %d ms (%llu so far)",
		       tx ? "TX" : "RX", STALL_MS, (unsigned long long)total);
		if (n) {
			lane_post(l);
			continue;
		}
		/* Nothing used: sleep until 3/4 of TX in flight, or one RX. */
		want = 1;
		if (tx)
			want = (u16)(l->q->avail_idx - l->q->last_used) * 3 / 4;
		if (!want)
			want = 1;
		/* not past the end, so that the run ends on time */
		lane_wait(l, want, (t_end - t) / 1000000 + 1);
	}
	res->frames = total - base;
	res->bytes = bytes - base_bytes;
	res->odd = odd - base_odd;
	res->ns = t - t0;
	res->kicks = l->kicks - base_kicks;
	res->sleeps = l->sleeps - base_sleeps;
}

/* TX: the guest sends size-byte frames as fast as the device takes them. */
void run_tx(struct bench_dev *b, const struct bench_opts *o,
	    struct bench_result *res)
{
	struct vq *q = &b->d.vq[TX];
	u8 *bufs = galloc(&b->d.mem, (size_t)q->num * BENCH_BUF, 4096);
	u8 frame[BENCH_BUF];
	struct lane l;
	unsigned int i;

	frame_make(frame, FRAME_RAW, o->size, 0, 0);
	for (i = 0; i < q->num; i++) {
		u8 *p = bufs + (size_t)i * BENCH_BUF;

		memset(p, 0, b->hdr);
		memcpy(p + b->hdr, frame, o->size);
	}
	lane_init(&l, q, bufs, b->hdr + o->size, false);
	/* TX used.len is 0: bytes are counted from the frames sent */
	measure(&l, o, 0, true, res);
	res->bytes = res->frames * o->size;
	free(l.ready);
}

/* RX: the tap is fed by an injector; the guest takes what arrives. */
void run_rx(struct bench_dev *b, const struct bench_opts *o,
	    struct bench_result *res)
{
	struct vq *q = &b->d.vq[RX];
	u8 *bufs = galloc(&b->d.mem, (size_t)q->num * BENCH_BUF, 4096);
	struct injector in;
	struct lane l;

	lane_init(&l, q, bufs, BENCH_BUF, true);
	lane_post(&l);
	vq_kick(q);
	inject_start(&in, o->inject, &b->tap, o->size, o->gso);
	res->inject = in.kind == INJ_PKTGEN ? "pktgen" : "packet";
	/* A GSO frame fills buffers; only the last of each is short. */
	measure(&l, o, o->gso ? BENCH_BUF : b->hdr + o->size, false, res);
	inject_stop(&in);
	if (o->gso)
		res->frames = res->bytes / (b->hdr + o->size);
	res->bytes = res->bytes > res->frames * b->hdr ?
		     res->bytes - res->frames * b->hdr : 0;
	free(l.ready);
}

/*
 * One drain: the tap holds want frames and the device no buffer. Post
 * buffers, never more than the frames left, so that none is posted once
 * the queue is empty, and take used entries until want came back.
 */
static void drain(struct lane *l, u64 want, u32 want_len, u64 *bytes,
		  u64 *odd)
{
	struct vq *q = l->q;
	u64 got = 0, last = now_ns();
	unsigned int n, inflight;

	for (;;) {
		inflight = (u16)(q->avail_idx - q->last_used);
		if (got + inflight < want)
			lane_post_upto(l, want - got - inflight);
		n = lane_reap(l, want_len, bytes, odd);
		got += n;
		if (got >= want)
			return;
		if (n) {
			last = now_ns();
			continue;
		}
		CHECKF(now_ns() - last < STALL_MS * 1000000ULL,
		       "RX queue: no used entry for %d ms (%llu of %llu)",
		       STALL_MS, (unsigned long long)got,
		       (unsigned long long)want);
		lane_wait(l, 1, STALL_MS);
	}
}

/* Switch perf's events on or off (--perf-ctl) and wait for its ack. */
static void perf_switch(const char *ctl, bool on)
{
	char path[256], ack[8];
	const char *comma = strchr(ctl, ',');
	int fd;

	CHECKF(comma && (size_t)(comma - ctl) < sizeof(path),
	       "--perf-ctl %s: CTL,ACK expected", ctl);
	memcpy(path, ctl, comma - ctl);
	path[comma - ctl] = 0;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	CHECKF(fd >= 0, "open %s: %s", path, errname(errno));
	CHECK(write(fd, on ? "enable\n" : "disable\n", on ? 7 : 8) > 0);
	close(fd);
	fd = open(comma + 1, O_RDONLY | O_CLOEXEC);
	CHECKF(fd >= 0, "open %s: %s", comma + 1, errname(errno));
	CHECKF(read(fd, ack, sizeof(ack)) > 0, "no ack from perf on %s",
	       comma + 1);
	close(fd);
}

/*
 * RX from a full queue (--inject queue). pktgen hands one frame per
 * turn of a TCG vCPU, so with it feeding a running device every frame
 * costs a wakeup of the worker and of the guest, which is most of what
 * run_rx() measures. Here pktgen fills the tap's queue while the guest
 * has no buffer posted, and only the drain is timed: the device, the
 * tap's recvmsg and this guest driver. The fill is not counted, nor the
 * wakeups each queued frame could give a worker with no buffer. Drains
 * are counted after warm_ms of drain time, until ms of it; perf, if it
 * is told (--perf-ctl), samples the counted drains only.
 */
void run_rx_queue(struct bench_dev *b, const struct bench_opts *o,
		  struct bench_result *res)
{
	struct vq *q = &b->d.vq[RX];
	u8 *bufs = galloc(&b->d.mem, (size_t)q->num * BENCH_BUF, 4096);
	u64 warm = (u64)o->warm_ms * 1000000ULL, span = (u64)o->ms * 1000000ULL;
	u64 t0, dt, bytes = 0, odd = 0, kicks, sleeps;
	struct lane l;

	lane_init(&l, q, bufs, BENCH_BUF, true);
	inject_fill_setup(&b->tap, o->size, QUEUE_FRAMES);
	res->inject = "queue";
	while (res->ns < span) {
		inject_fill();
		kicks = l.kicks;
		sleeps = l.sleeps;
		if (o->perf_ctl && !warm)
			perf_switch(o->perf_ctl, true);
		t0 = now_ns();
		drain(&l, QUEUE_FRAMES, b->hdr + o->size, &bytes, &odd);
		dt = now_ns() - t0;
		if (o->perf_ctl && !warm)
			perf_switch(o->perf_ctl, false);
		if (warm) {
			warm = dt < warm ? warm - dt : 0;
			bytes = 0;
			odd = 0;
			continue;
		}
		res->ns += dt;
		res->frames += QUEUE_FRAMES;
		res->kicks += l.kicks - kicks;
		res->sleeps += l.sleeps - sleeps;
	}
	inject_fill_end();
	res->odd = odd;
	res->bytes = bytes > res->frames * b->hdr ?
		     bytes - res->frames * b->hdr : 0;
	free(l.ready);
}
