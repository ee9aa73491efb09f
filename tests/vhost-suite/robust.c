// SPDX-License-Identifier: GPL-2.0
/*
 * Robustness cases from review (issue 13): inputs that made a worker spin
 * or stall, lost guest buffers, or let a queue start that could not log
 * what it writes. Each names what upstream does with the same input; where
 * we deliberately do better, the case checks each target's own behaviour
 * (Documentation/tests.rst, deliberate differences).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>

#include "rig.h"

#define F_EVT		(F_MODERN | BIT(VIRTIO_RING_F_EVENT_IDX))
#define F_MRG		(F_EVT | BIT(VIRTIO_NET_F_MRG_RXBUF))
#define FAR_GPA		0x7fff00000000ULL	/* not in the memory table */
/* /proc/PID/stat up to utime and stime (fields 14, 15; comm has no spaces) */
#define STAT_TIMES	"%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu"
#define TICKS_MS	(1000 / sysconf(_SC_CLK_TCK))	/* a tick of /proc stat */

/* CPU time (ms) of the task whose /proc entry is @dir, if it is named @want. */
static long task_cpu_ms(const char *dir, const char *want)
{
	char path[400], buf[512];
	unsigned long ut, st;
	long ms = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/comm", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f) && !strcmp(buf, want)) {
		fclose(f);
		snprintf(path, sizeof(path), "%s/stat", dir);
		f = fopen(path, "r");
		CHECK(f);
		CHECK(fgets(buf, sizeof(buf), f));
		CHECK(sscanf(buf, STAT_TIMES, &ut, &st) == 2);
		ms = (long)(ut + st) * TICKS_MS;
	}
	fclose(f);
	return ms;
}

/* CPU time (ms) of the first task under @proc named @want, or -1. */
static long find_cpu_ms(const char *proc, const char *want)
{
	char dir[300];
	struct dirent *e;
	long ms = -1;
	DIR *d;

	d = opendir(proc);
	CHECK(d);
	while (ms < 0 && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", proc, e->d_name);
		ms = task_cpu_ms(dir, want);
	}
	closedir(d);
	return ms;
}

/*
 * CPU time (ms) of our device's worker, "vhost-<pid>", or -1: a thread
 * of ours (vhost_task), or else a kthread of its own (6.1).
 */
static long worker_cpu_ms(void)
{
	char want[32];
	long ms;

	snprintf(want, sizeof(want), "vhost-%d\n", getpid());
	ms = find_cpu_ms("/proc/self/task", want);
	return ms >= 0 ? ms : find_cpu_ms("/proc", want);
}

/*
 * A tun device without IFF_NO_PI: writing just the 4-byte tun_pi makes a
 * 0-byte packet, which a raw AF_PACKET socket with a filter that accepts
 * everything queues (without a filter it would drop it for its length).
 */
struct zero_rig {
	struct vdev d;
	int tun;
	int sock;
	u8 *bufs;
};

static void zero_up(struct zero_rig *z, unsigned int busy_us)
{
	struct sock_filter all[] = { BPF_STMT(BPF_RET | BPF_K, 0xffffffff) };
	struct sock_fprog prog = { .len = 1, .filter = all };
	struct vhost_vring_state bl = { .index = RX, .num = busy_us };
	struct ifreq ifr = { 0 };
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	struct seg s;
	int i, head;

	vdev_init(&z->d);
	vdev_start(&z->d, F_MRG | BIT(VHOST_NET_F_VIRTIO_NET_HDR), 256);
	OK(ioctl(z->d.fd, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, &bl));
	z->tun = OK(open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK));
	snprintf(ifr.ifr_name, IFNAMSIZ, "vsz%%d");
	ifr.ifr_flags = IFF_TUN;
	OK(ioctl(z->tun, TUNSETIFF, &ifr));
	if_up(ifr.ifr_name, true);
	sll.sll_ifindex = if_index(ifr.ifr_name);
	z->sock = OK(socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    htons(ETH_P_ALL)));
	OK(setsockopt(z->sock, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)));
	OK(bind(z->sock, (struct sockaddr *)&sll, sizeof(sll)));
	z->bufs = galloc(&z->d.mem, 64 * 2048, 4096);
	for (i = 0; i < 64; i++) {
		s.p = z->bufs + i * 2048;
		s.len = 2048;
		head = vq_add(&z->d.vq[RX], NULL, 0, &s, 1, false);
		vq_publish(&z->d.vq[RX], head);
	}
	OK(vdev_backend(&z->d, RX, z->sock));
	vq_kick(&z->d.vq[RX]);
}

/* An IPv4-looking packet of @len bytes through the tun, after its tun_pi. */
static void zero_write(struct zero_rig *z, size_t len, u8 tag)
{
	u8 pkt[4 + 256] = { 0, 0, 0x08, 0x00 };	/* flags, ETH_P_IP */

	CHECK(len <= 256);
	memset(pkt + 4, tag, len);
	if (len)
		pkt[4] = 0x45;
	CHECKF(write(z->tun, pkt, 4 + len) == (ssize_t)(4 + len),
	       "write to tun: %s", errname(errno));
}

/*
 * A 0-byte frame at the head of the backend's queue, then real ones. Ours
 * drops the empty frame, receives those behind it and goes idle, with busy
 * polling on or off. Upstream leaves RX stalled behind it, its worker
 * requeueing itself for ever (a CPU's worth of time) until the device
 * closes; before our fix, busy polling made our worker spin in place and
 * froze the machine.
 */
static void zero_byte_frame(unsigned int busy_us)
{
	struct vq *q;
	struct zero_rig z;
	long cpu0, cpu1;
	u64 t, t0;
	u32 len;
	int head;

	zero_up(&z, busy_us);
	q = &z.d.vq[RX];
	zero_write(&z, 0, 0);
	zero_write(&z, 60, 1);
	zero_write(&z, 100, 2);
	if (target_is_ours()) {
		CHECKF(vq_wait_used(q, 2, WAIT_MS),
		       "the frames behind a 0-byte frame never arrived");
		head = vq_pop_used(q, &len);
		CHECKF(len == 12 + 60, "first frame: %u bytes, expected 72", len);
		CHECK(head >= 0);
		head = vq_pop_used(q, &len);
		CHECKF(len == 12 + 100, "second frame: %u bytes, expected 112", len);
	} else {
		CHECKF(!vq_wait_used(q, 1, QUIET_MS),
		       "upstream received behind a 0-byte frame");
	}
	/* Idle now: the worker must not burn the CPU. */
	t0 = now_ms();
	cpu0 = worker_cpu_ms();
	CHECKF(cpu0 >= 0, "no vhost-%d thread", getpid());
	sleep_ms(1000);
	cpu1 = worker_cpu_ms();
	t = now_ms() - t0;
	diag("worker CPU time over %llu ms idle: %ld ms", (unsigned long long)t,
	     cpu1 - cpu0);
	if (target_is_ours())
		CHECKF(cpu1 - cpu0 <= 200, "idle worker used %ld ms of CPU in %llu ms",
		       cpu1 - cpu0, (unsigned long long)t);
	else
		CHECKF(cpu1 - cpu0 >= 300, "upstream's worker idled (%ld ms)",
		       cpu1 - cpu0);
	t = now_ms();
	vdev_close(&z.d);
	t = now_ms() - t;
	CHECKF(t < WAIT_MS, "close took %llu ms", (unsigned long long)t);
	close(z.sock);
	close(z.tun);
}

static void rx_zero_byte_frame(void)
{
	zero_byte_frame(0);
}

static void rx_zero_byte_frame_busy_poll(void)
{
	zero_byte_frame(50);
}

/* GET_VRING_BASE: the next avail entry the device will take. */
static u16 vring_base(struct rig *r, int idx)
{
	struct vhost_vring_state s = { .index = idx };

	OK(ioctl(r->d.fd, VHOST_GET_VRING_BASE, &s));
	return s.num;
}

/*
 * A mergeable frame whose second chain points outside guest memory: the
 * ring breaks, and the first chain must not be lost. Once the guest fixes
 * the second chain and kicks, the frame lands in both, and
 * GET_VRING_BASE in between says neither was taken. Upstream gives the
 * chains back the same way; we used to keep the first one for good.
 */
static void rx_mergeable_second_chain_fails(void)
{
	struct rig_opts o = { .features = F_MRG, .num = 256 };
	struct vq *q;
	struct rig r;
	struct seg s;
	u64 gpa;
	int a, b, nbufs;
	u8 *mem;

	rig_up(&r, &o);
	q = &r.d.vq[RX];
	mem = galloc(&r.d.mem, 2048, 4096);
	s.p = mem;
	s.len = 256;
	a = vq_add(q, NULL, 0, &s, 1, false);
	s.p = mem + 1024;
	s.len = 1024;
	b = vq_add(q, NULL, 0, &s, 1, false);
	gpa = q->desc[b].addr;
	q->desc[b].addr = FAR_GPA;
	vq_publish(q, a);
	vq_publish(q, b);
	rx_inject(&r, FRAME_RAW, 1000, 1);
	vq_kick(q);
	expect_err(q);
	CHECKF(vq_used_idx(q) == 0, "the device used a chain of a broken frame");
	CHECKF(vring_base(&r, RX) == 0,
	       "ring base %u: chains of the failed frame were not given back",
	       vring_base(&r, RX));
	q->desc[b].addr = gpa;
	vq_kick(q);
	rx_expect(&r, FRAME_RAW, 1000, 1, &nbufs);
	CHECKF(nbufs == 2, "frame in %d buffers, expected 2", nbufs);
	rx_roundtrip(&r, 60, 2, L_DIRECT);
}

/*
 * With mergeable buffers, a frame that needs more iovecs than remain
 * (1020 one-buffer chains taken, then a chain of 8 buffers): ours drops
 * the frame and leaves the buffers, as for any frame that cannot fit, and
 * the next frame arrives. We used to break the ring; upstream breaks it
 * too, and since the frame stays at the head of the socket, every retry
 * fails the same way and the frames behind it never arrive.
 */
static void rx_iovecs_run_out(void)
{
	struct rig_opts o = { .features = F_MRG, .num = 1024 };
	struct seg s[8];
	struct vq *q;
	struct rig r;
	int i, head, nbufs;
	u8 *mem;

	rig_up(&r, &o);
	q = &r.d.vq[RX];
	mem = galloc(&r.d.mem, 1024 * 16, 4096);
	for (i = 0; i < 1020; i++) {
		s[0].p = mem + i * 16;
		s[0].len = i ? 8 : 16;
		head = vq_add(q, NULL, 0, s, 1, false);
		vq_publish(q, head);
	}
	for (i = 0; i < 8; i++) {
		s[i].p = mem + 1020 * 16 + i * 16;
		s[i].len = 8;
	}
	vq_publish(q, vq_add(q, NULL, 0, s, 8, true));
	/* 12 + 9000 bytes: more than the 8168 of the first 1020 chains. */
	rx_inject(&r, FRAME_RAW, 9000, 1);
	rx_inject(&r, FRAME_RAW, 60, 2);
	vq_kick(q);
	if (target_is_ours()) {
		rx_expect(&r, FRAME_RAW, 60, 2, &nbufs);
		CHECKF(nbufs == 8, "60-byte frame in %d buffers, expected 8", nbufs);
		CHECKF(!fd_wait(q->err, 0), "the ring broke");
	} else {
		expect_err(q);
		vq_kick(q);
		CHECKF(!vq_wait_used(q, 1, QUIET_MS), "upstream received a frame");
	}
}

/*
 * VHOST_F_LOG_ALL acked and a log base set while the queue is idle, with
 * a bitmap that ends before the bits of guest memory do: SET_LOG_BASE
 * only checks running queues, so the check is due when the queue starts.
 * Upstream refuses SET_BACKEND with EFAULT; we used to accept it and
 * break the ring on the first frame of the migration.
 */
static void log_base_too_small_at_start(void)
{
	struct rig_opts o = {
		.features = F_MRG | BIT(VHOST_F_LOG_ALL),
		.flags = RIG_IDLE,
	};
	/* 100 bytes below the top of user space: far less than gmem needs. */
	u64 base = 0x7ffffffff000ULL - 100;
	struct rig r;

	rig_up(&r, &o);
	OK(ioctl(r.d.fd, VHOST_SET_LOG_BASE, &base));
	ERR(vdev_backend(&r.d, RX, r.backend), EFAULT);
	ERR(vdev_backend(&r.d, TX, r.backend), EFAULT);
	/* A bitmap that covers it all: the queues start. */
	base = (u64)(uintptr_t)galloc(&r.d.mem, (GPA_BASE + GMEM_SIZE) / 4096 / 8, 4096);
	OK(ioctl(r.d.fd, VHOST_SET_LOG_BASE, &base));
	rig_start(&r);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
}

/*
 * TX chains of one indirect table of 8192 entries, all of them empty but
 * the last (the frame): 256 such chains are far more descriptors than
 * frames. A frame for RX arrives while TX works. Ours ends a run after
 * 8192 descriptors, so RX gets the worker after a chain or two; upstream
 * counts frames only and finishes all 256 chains first.
 */
#define FLOOD_ENTRIES	8192

static void tx_empty_descriptor_flood(void)
{
	struct rig_opts o = { .features = F_MODERN, .num = 256 };
	struct vring_desc *t;
	struct vq *tx, *rx;
	struct rig r;
	u8 *frame;
	u16 sent;
	int i;

	rig_up(&r, &o);
	tx = &r.d.vq[TX];
	rx = &r.d.vq[RX];
	rx_post(&r, L_DIRECT, r.hdr + 60, 1);
	t = galloc(&r.d.mem, FLOOD_ENTRIES * sizeof(*t), 4096);
	frame = galloc(&r.d.mem, 4096, 4096);
	memset(frame, 0, r.hdr);
	frame_make(frame + r.hdr, FRAME_RAW, 60, r.tag, 7);
	for (i = 0; i < FLOOD_ENTRIES; i++) {
		t[i].addr = gpa_of(&r.d.mem, frame);
		t[i].len = i + 1 < FLOOD_ENTRIES ? 0 : r.hdr + 60;
		t[i].flags = i + 1 < FLOOD_ENTRIES ? VRING_DESC_F_NEXT : 0;
		t[i].next = i + 1;
	}
	tx->desc[0].addr = gpa_of(&r.d.mem, t);
	tx->desc[0].len = FLOOD_ENTRIES * sizeof(*t);
	tx->desc[0].flags = VRING_DESC_F_INDIRECT;
	for (i = 0; i < 256; i++)
		vq_publish_raw(tx, 0);
	vq_kick(tx);
	sleep_ms(20);
	rx_inject(&r, FRAME_RAW, 60, 8);
	CHECKF(vq_wait_used(rx, 1, 30000), "RX frame never arrived");
	sent = vq_used_idx(tx);
	diag("TX chains done when the RX frame arrived: %u of 256", sent);
	if (target_is_ours())
		CHECKF(sent < 128, "RX waited for %u TX chains", sent);
	else
		CHECKF(sent == 256, "upstream let RX in after %u TX chains", sent);
	CHECKF(vq_wait_used(tx, 256, 30000), "TX chains never all came back");
	CHECK(!fd_wait(tx->err, 0));
}

/*
 * A TX frame in a page userspace made unreadable (PROT_NONE inside a
 * memory region): the copy into the batch faults. Ours drops that frame,
 * gives its buffer back and sends the next; upstream puts the chain back
 * and stops at it until the page is readable again, then sends it
 * (deliberate difference 14, Documentation/tests.rst). Neither breaks
 * the ring.
 */
static void tx_buffer_unreadable(void)
{
	struct vq *q;
	struct seg s;
	struct rig r;
	u8 *page;

	rig_quick(&r, F_EVT);
	q = &r.d.vq[TX];
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	page = galloc(&r.d.mem, 4096, 4096);
	memset(page, 0, r.hdr);
	frame_make(page + r.hdr, FRAME_RAW, 60, r.tag, 2);
	s.p = page;
	s.len = r.hdr + 60;
	OK(mprotect(page, 4096, PROT_NONE));
	vq_publish(q, vq_add(q, &s, 1, NULL, 0, false));
	vq_kick(q);
	if (target_is_ours()) {
		tx_reap(&r, 1);
		OK(mprotect(page, 4096, PROT_READ | PROT_WRITE));
	} else {
		CHECKF(!vq_wait_used(q, 1, QUIET_MS),
		       "upstream gave back the unreadable frame's buffer");
		OK(mprotect(page, 4096, PROT_READ | PROT_WRITE));
		vq_kick(q);
		tx_expect(&r, FRAME_RAW, 60, 2);
		tx_reap(&r, 1);
	}
	tx_roundtrip(&r, 60, 3, L_DIRECT);
	CHECK(!fd_wait(q->err, 0));
}

const struct vcase robust_cases[] = {
	{ "robust.rx.zero_byte_frame", rx_zero_byte_frame },
	{ "robust.rx.zero_byte_frame_busy_poll", rx_zero_byte_frame_busy_poll },
	{ "robust.rx.mergeable_second_chain_fails", rx_mergeable_second_chain_fails },
	{ "robust.rx.iovecs_run_out_mid_frame", rx_iovecs_run_out },
	{ "robust.log.base_too_small_when_queue_starts", log_base_too_small_at_start },
	{ "robust.tx.empty_descriptor_flood", tx_empty_descriptor_flood, 90 },
	{ "robust.tx.buffer_unreadable", tx_buffer_unreadable },
	{ NULL }
};
