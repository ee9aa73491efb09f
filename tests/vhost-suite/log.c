// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty-log cases (VHOST_F_LOG_ALL, what QEMU needs for live migration):
 * the device marks every guest page it writes in a bitmap in our memory,
 * bit N for the 4 KiB page at guest-physical N * 4096, and signals the log
 * eventfd. Received frames are logged with VHOST_F_LOG_ALL; the used ring
 * is logged when its guest address came with VHOST_VRING_F_LOG, with or
 * without VHOST_F_LOG_ALL; TX buffers are only read and never logged.
 * Both modules must give the same results.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rig.h"

#define KERNEL_ADDR	0xffff888000000000ULL
#define F_EVT		(F_MODERN | BIT(VIRTIO_RING_F_EVENT_IDX))
#define F_MRG		(F_EVT | BIT(VIRTIO_NET_F_MRG_RXBUF))
#define F_LOG		(F_MRG | BIT(VHOST_F_LOG_ALL))
/* A guest-physical address whose bit lies past the end of user space. */
#define FAR_GPA		BIT(62)
/* The bitmap: one bit per page of guest-physical space up to gmem's end. */
#define LOG_WORDS	((GPA_BASE + GMEM_SIZE) / 4096 / 64)

struct dlog {
	u64 *bits;
	int efd;
};

static bool page_dirty(const struct dlog *l, u64 gpa)
{
	u64 page = gpa / 4096;

	return __atomic_load_n(&l->bits[page / 64], __ATOMIC_ACQUIRE) & BIT(page % 64);
}

static unsigned int count_dirty(const struct dlog *l)
{
	unsigned int i, n = 0;

	for (i = 0; i < LOG_WORDS; i++)
		n += __builtin_popcountll(l->bits[i]);
	return n;
}

/*
 * Every page of [gpa, gpa + len) must be dirty. Ours logs the used ring
 * after the write that publishes it, so the guest may see a used entry
 * a moment before its page's bit: each page gets up to WAIT_MS.
 */
static void expect_dirty(const struct dlog *l, u64 gpa, u64 len, const char *what)
{
	u64 p, end = now_ms() + WAIT_MS;

	for (p = gpa & ~4095ULL; p < gpa + len; p += 4096) {
		while (!page_dirty(l, p) && now_ms() < end)
			sleep_ms(1);
		CHECKF(page_dirty(l, p), "%s: page %#llx not in the log", what,
		       (unsigned long long)p);
	}
}

/* No page of [gpa, gpa + len) may be dirty. */
static void expect_clean(const struct dlog *l, u64 gpa, u64 len, const char *what)
{
	u64 p;

	for (p = gpa & ~4095ULL; p < gpa + len; p += 4096)
		CHECKF(!page_dirty(l, p), "%s: page %#llx logged", what,
		       (unsigned long long)p);
}

static void set_log_base(int fd, u64 base, int want)
{
	EXPECT(ioctl(fd, VHOST_SET_LOG_BASE, &base), want);
}

/* Give ring @idx its addresses again, with the used ring logged at @log. */
static int log_ring(struct rig *r, int idx, u64 log)
{
	struct vq *q = &r->d.vq[idx];
	struct vhost_vring_addr a = {
		.index = idx,
		.flags = BIT(VHOST_VRING_F_LOG),
		.desc_user_addr = (uintptr_t)q->desc,
		.avail_user_addr = (uintptr_t)q->avail,
		.used_user_addr = (uintptr_t)q->used,
		.log_guest_addr = log,
	};

	return ioctl(r->d.fd, VHOST_SET_VRING_ADDR, &a);
}

/*
 * An idle rig with features @f, a log and its eventfd; with @used, both
 * used rings logged at their guest addresses. Then the backend starts.
 */
static void log_rig(struct rig *r, struct dlog *l, u64 f, bool used)
{
	struct rig_opts o = { .features = f, .flags = RIG_IDLE };
	int i;

	rig_up(r, &o);
	l->bits = calloc(LOG_WORDS, sizeof(u64));
	CHECK(l->bits);
	l->efd = OK(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	set_log_base(r->d.fd, (uintptr_t)l->bits, 0);
	OK(ioctl(r->d.fd, VHOST_SET_LOG_FD, &l->efd));
	for (i = RX; used && i <= TX; i++)
		OK(log_ring(r, i, gpa_of(&r->d.mem, r->d.vq[i].used)));
	rig_start(r);
}

static u64 used_gpa(struct rig *r, int idx)
{
	return gpa_of(&r->d.mem, r->d.vq[idx].used);
}

/* Three frames from the guest, all sent and taken back. */
static void tx_three(struct rig *r, size_t len, enum layout l)
{
	u32 seq;

	for (seq = 1; seq <= 3; seq++) {
		tx_send(r, FRAME_RAW, len, seq, l);
		tx_expect(r, FRAME_RAW, len, seq);
	}
	tx_reap(r, 3);
}

/* A 1514-byte frame into 256-byte buffers: it takes six of them. */
static void rx_six(struct rig *r)
{
	int nb;

	rx_post(r, L_DIRECT, 256, 16);
	rx_inject(r, FRAME_RAW, 1514, 1);
	rx_expect(r, FRAME_RAW, 1514, 1, &nb);
	CHECKF(nb == 6, "num_buffers %d", nb);
}

/* A frame over six 256-byte buffers: their pages and the used ring. */
static void log_rx_f(u64 f)
{
	struct rig r;
	struct dlog l;
	u64 first;

	log_rig(&r, &l, f, true);
	first = gpa_of(&r.d.mem, r.rx.base + r.rx.at);
	rx_six(&r);
	/* Buffers are consecutive in the arena: 12 + 1514 bytes written. */
	expect_dirty(&l, first, 12 + 1514, "RX buffers");
	expect_dirty(&l, used_gpa(&r, RX), 4 + 8 * 6, "RX used ring");
	CHECK(fd_wait(l.efd, WAIT_MS));
	expect_clean(&l, gpa_of(&r.d.mem, r.tx.base), r.tx.size, "TX arena");
}

static void log_rx(void)
{
	log_rx_f(F_LOG);
}

/* TX reads the guest's buffers: only the used ring is logged. */
static void log_tx_f(u64 f)
{
	struct rig r;
	struct dlog l;

	log_rig(&r, &l, f, true);
	tx_three(&r, 1514, L_CHAINED);
	expect_dirty(&l, used_gpa(&r, TX), 4 + 8 * 3, "TX used ring");
	CHECK(fd_wait(l.efd, WAIT_MS));
	expect_clean(&l, gpa_of(&r.d.mem, r.tx.base), r.tx.size, "TX arena");
	expect_clean(&l, gpa_of(&r.d.mem, r.rx.base), r.rx.size, "RX arena");
}

static void log_tx(void)
{
	log_tx_f(F_LOG);
}

/* The same with VIRTIO_F_IN_ORDER, which upstream does not offer. */
static void log_rx_in_order(void)
{
	if (in_order_offered())
		log_rx_f(F_LOG | BIT(VIRTIO_F_IN_ORDER));
}

static void log_tx_in_order(void)
{
	if (in_order_offered())
		log_tx_f(F_LOG | BIT(VIRTIO_F_IN_ORDER));
}

/* Without VHOST_VRING_F_LOG, used ring writes stay out of the log. */
static void log_used_needs_flag(void)
{
	struct rig r;
	struct dlog l;

	log_rig(&r, &l, F_LOG, false);
	tx_three(&r, 60, L_DIRECT);
	CHECKF(count_dirty(&l) == 0, "%u pages logged", count_dirty(&l));
}

/*
 * Without VHOST_F_LOG_ALL received frames are not logged, but a used ring
 * given with VHOST_VRING_F_LOG still is.
 */
static void log_rx_needs_log_all(void)
{
	struct rig r;
	struct dlog l;

	log_rig(&r, &l, F_MRG, true);
	rx_six(&r);
	expect_clean(&l, gpa_of(&r.d.mem, r.rx.base), r.rx.size, "RX arena");
	expect_dirty(&l, used_gpa(&r, RX), 4 + 8 * 6, "RX used ring");
}

/*
 * Where the bitmap must be reachable: an idle device takes anything; a
 * running one refuses a bitmap it could not log into at SET_FEATURES,
 * SET_LOG_BASE, SET_VRING_ADDR and SET_MEM_TABLE, and keeps working.
 */
static void log_checks(void)
{
	u64 *bits = calloc(LOG_WORDS, sizeof(u64));
	u64 f = F_MRG | BIT(VHOST_F_LOG_ALL);
	struct vhost_memory_region far;
	struct rig r, idle;
	struct rig_opts o = { .features = F_MRG };

	CHECK(bits);
	o.flags = RIG_IDLE;
	rig_up(&idle, &o);
	set_log_base(idle.d.fd, KERNEL_ADDR, 0);
	EXPECT(ioctl(idle.d.fd, VHOST_SET_FEATURES, &f), 0);

	o.flags = 0;
	rig_up(&r, &o);
	/* Nothing logged yet, so any bitmap will do. */
	set_log_base(r.d.fd, KERNEL_ADDR, 0);
	ERR(ioctl(r.d.fd, VHOST_SET_FEATURES, &f), EFAULT);
	set_log_base(r.d.fd, (uintptr_t)bits, 0);
	OK(ioctl(r.d.fd, VHOST_SET_FEATURES, &f));
	/* Logging now: the bitmap must cover guest memory. */
	set_log_base(r.d.fd, KERNEL_ADDR, EFAULT);
	ERR(log_ring(&r, TX, FAR_GPA), EINVAL);
	OK(log_ring(&r, TX, used_gpa(&r, TX)));
	/* A region whose bits would lie past the end of user space. */
	far = (struct vhost_memory_region){
		.guest_phys_addr = FAR_GPA,
		.memory_size = 4096,
		.userspace_addr = (uintptr_t)r.d.mem.hva,
	};
	ERR(vdev_mem_table(r.d.fd, &far, 1), EFAULT);
	tx_roundtrip(&r, 1514, 1, L_DIRECT);
	rx_roundtrip(&r, 1514, 2, L_DIRECT);
}

const struct vcase log_cases[] = {
	{ "log.rx.buffers_and_used_ring", log_rx },
	{ "log.tx.used_ring_only", log_tx },
	{ "log.in_order.rx.buffers_and_used_ring", log_rx_in_order },
	{ "log.in_order.tx.used_ring_only", log_tx_in_order },
	{ "log.used_ring_needs_vring_flag", log_used_needs_flag },
	{ "log.rx_needs_log_all", log_rx_needs_log_all },
	{ "abi.log.bitmap_must_be_reachable", log_checks },
	{ NULL }
};
