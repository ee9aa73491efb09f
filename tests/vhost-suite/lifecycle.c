// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle cases: close with frames in flight, the owner killed
 * mid-traffic, backend and memory table swaps under traffic,
 * RESET_OWNER and reuse, and eight devices on one multiqueue tap.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_tun.h>

#include "rig.h"

#define F_EVT	(F_MODERN | BIT(VIRTIO_RING_F_EVENT_IDX))
#define F_MRG	(F_EVT | BIT(VIRTIO_NET_F_MRG_RXBUF))

/* A started rig with room for 200 frames in flight. */
static void rig_big(struct rig *r, u64 features)
{
	struct rig_opts o = { .features = features, .num = 1024 };

	rig_up(r, &o);
}

static void timed_close(struct rig *r)
{
	u64 t = now_ms();

	vdev_close(&r->d);
	CHECKF(now_ms() - t < WAIT_MS, "close took %llu ms",
	       (unsigned long long)(now_ms() - t));
}

static void close_tx_in_flight(void)
{
	struct rig r;
	int i;

	rig_big(&r, F_EVT);
	for (i = 0; i < 200; i++)
		tx_send(&r, FRAME_RAW, 1514, i, i % 3);
	timed_close(&r);
	alive(F_MODERN);
}

static void close_rx_in_flight(void)
{
	struct rig r;
	int i;

	rig_quick(&r, F_MRG);
	rx_post(&r, L_DIRECT, 256, 200);
	for (i = 0; i < 100; i++)
		rx_inject(&r, FRAME_RAW, 1514, i);
	timed_close(&r);
	alive(F_MODERN);
}

/* Wait up to ms for pid; true when it was reaped. */
static bool reap(pid_t pid, int ms)
{
	u64 end = now_ms() + ms;
	int status;

	while (now_ms() < end) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return true;
		sleep_ms(5);
	}
	return false;
}

static void traffic_forever(int ready)
{
	u8 *buf = big_buf();
	struct rig r;
	u32 seq = 0;

	rig_quick(&r, F_MRG);
	rx_post(&r, L_DIRECT, 2048, 200);
	tx_roundtrip(&r, 60, seq++, L_DIRECT);
	CHECK(write(ready, "x", 1) == 1);
	for (;;) {
		tx_send(&r, FRAME_RAW, 1514, seq++, L_CHAINED);
		rx_inject(&r, FRAME_RAW, 1514, seq++);
		tx_reap(&r, 1);
		CHECK(tx_capture(&r, buf, WAIT_MS) >= 0);
	}
}

static void owner_sigkill(void)
{
	int p[2];
	char c;
	pid_t pid;

	OK(pipe(p));
	fflush(stdout);
	pid = OK(fork());
	if (!pid) {
		close(p[0]);
		traffic_forever(p[1]);
	}
	close(p[1]);
	CHECKF(fd_wait(p[0], 5000) && read(p[0], &c, 1) == 1,
	       "the owner never got traffic going");
	sleep_ms(200);
	OK(kill(pid, SIGKILL));
	CHECKF(reap(pid, 5000), "the killed owner was not reaped within 5 s");
	alive(F_MODERN);
	alive(F_MRG);
}

/* Collect n TX frames of tag from two capture sockets; each exactly once. */
static void capture_two(int a, int b, u32 tag, unsigned int n, size_t len)
{
	u8 *buf = big_buf(), *seen = calloc(n, 1);
	u32 t, seq;
	unsigned int got = 0;
	u64 end = now_ms() + 2 * WAIT_MS;
	ssize_t m;

	CHECK(seen);
	while (got < n) {
		CHECKF(now_ms() < end, "%u of %u frames arrived", got, n);
		m = pkt_recv(a, buf, FRAME_MAX, 10);
		if (m < 0)
			m = pkt_recv(b, buf, FRAME_MAX, 10);
		if (m < 0 || !frame_id(buf, m, &t, &seq) || t != tag)
			continue;
		CHECKF(seq < n && !seen[seq], "frame %u seen twice", seq);
		seen[seq] = 1;
		frame_expect(buf, m, FRAME_RAW, len, tag, seq);
		got++;
	}
	free(seen);
	free(buf);
}

static void backend_swap(void)
{
	struct tap b;
	struct rig r;
	int cap_b, i, fd;

	rig_big(&r, F_EVT);
	tap_open(&b, "vst%d", IFF_VNET_HDR, r.hdr);
	if_up(b.name, true);
	cap_b = pkt_open(b.ifindex, SOCK_RAW, false);
	for (i = 0; i < 200; i++) {
		tx_send(&r, FRAME_RAW, 600, i, i % 3);
		if (i % 20 != 19)
			continue;
		fd = (i / 20) % 2 ? r.backend : b.fd;
		OK(vdev_backend(&r.d, TX, fd));
		OK(vdev_backend(&r.d, RX, fd));
	}
	capture_two(r.cap, cap_b, r.tag, 200, 600);
	tx_reap(&r, 200);
	OK(vdev_backend(&r.d, RX, r.backend));
	rx_roundtrip(&r, 600, 1000, L_DIRECT);
}

static void unbind_rebind(void)
{
	struct rig r;
	int i;

	rig_big(&r, F_EVT);
	for (i = 0; i < 200; i++) {
		tx_send(&r, FRAME_RAW, 600, i, i % 3);
		if (i % 25 == 24) {
			OK(vdev_backend(&r.d, TX, -1));
			OK(vdev_backend(&r.d, TX, r.backend));
			vq_kick(&r.d.vq[TX]);
		}
	}
	capture_two(r.cap, r.cap, r.tag, 200, 600);
	tx_reap(&r, 200);
}

/* A memory table split in three, swapped in and out under traffic. */
static void mem_swap(void)
{
	struct vhost_memory_region m[3];
	struct rig r;
	size_t third;
	int i;

	rig_quick(&r, F_MRG);
	third = (r.d.mem.size / 3) & ~4095UL;
	for (i = 0; i < 3; i++) {
		m[i].guest_phys_addr = r.d.mem.gpa + i * third;
		m[i].userspace_addr = (uintptr_t)r.d.mem.hva + i * third;
		m[i].memory_size = i < 2 ? third : r.d.mem.size - 2 * third;
		m[i].flags_padding = 0;
	}
	rx_post(&r, L_DIRECT, 2048, 100);
	for (i = 0; i < 100; i++) {
		tx_send(&r, FRAME_RAW, 1514, i, i % 3);
		rx_inject(&r, FRAME_RAW, 1514, 1000 + i);
		if (i % 10 == 9) {
			if (i % 20 == 19)
				vdev_map_all(&r.d);
			else
				OK(vdev_mem_table(r.d.fd, m, 3));
		}
	}
	capture_two(r.cap, r.cap, r.tag, 100, 1514);
	tx_reap(&r, 100);
	for (i = 0; i < 100; i++)
		rx_expect(&r, FRAME_RAW, 1514, 1000 + i, NULL);
}

/*
 * One queue reset the way QEMU does it for VIRTIO_F_RING_RESET: unbind
 * the queue's backend, read its base, lay its ring out anew (indices from
 * 0, as the guest's reset leaves them) and bind it again. The other queue
 * keeps its backend throughout.
 */
static void reset_one_ring(struct rig *r, int idx)
{
	struct vhost_vring_state s = { .index = idx };

	OK(vdev_backend(&r->d, idx, -1));
	OK(ioctl(r->d.fd, VHOST_GET_VRING_BASE, &s));
	vq_init(&r->d, idx, r->d.vq[idx].num);
	vq_configure(&r->d, idx);
	OK(vdev_backend(&r->d, idx, r->backend));
}

static void ring_reset_rx(void)
{
	struct rig r;
	int i;

	rig_big(&r, F_EVT);
	rx_roundtrip(&r, 600, 1000, L_DIRECT);
	for (i = 0; i < 100; i++) {
		tx_send(&r, FRAME_RAW, 600, i, i % 3);
		if (i == 50)
			reset_one_ring(&r, RX);
	}
	capture_two(r.cap, r.cap, r.tag, 100, 600);
	tx_reap(&r, 100);
	rx_roundtrip(&r, 600, 1001, L_DIRECT);
}

static void ring_reset_tx(void)
{
	struct rig r;
	int i;

	rig_big(&r, F_MRG);
	tx_roundtrip(&r, 600, 1000, L_DIRECT);
	rx_post(&r, L_DIRECT, 2048, 100);
	for (i = 0; i < 100; i++) {
		rx_inject(&r, FRAME_RAW, 1514, i);
		if (i == 50)
			reset_one_ring(&r, TX);
	}
	for (i = 0; i < 100; i++)
		rx_expect(&r, FRAME_RAW, 1514, i, NULL);
	tx_roundtrip(&r, 600, 1001, L_DIRECT);
}

/* After RESET_OWNER: no owner, then a full setup as a new owner. */
static void redo_setup(struct rig *r)
{
	struct vhost_vring_state s = { .index = TX, .num = 256 };

	ERR(ioctl(r->d.fd, VHOST_SET_VRING_NUM, &s), EPERM);
	ERR(vdev_mem_table(r->d.fd, NULL, 0), EPERM);
	vdev_own(&r->d, r->d.features);
	vq_init(&r->d, RX, 256);
	vq_init(&r->d, TX, 256);
	vq_configure(&r->d, RX);
	vq_configure(&r->d, TX);
	rig_start(r);
}

static void reset_owner_reuse(void)
{
	struct rig r;

	rig_quick(&r, F_EVT);
	tx_roundtrip(&r, 1514, 1, L_CHAINED);
	rx_roundtrip(&r, 1514, 2, L_CHAINED);
	OK(ioctl(r.d.fd, VHOST_RESET_OWNER));
	redo_setup(&r);
	tx_roundtrip(&r, 1514, 3, L_INDIRECT);
	rx_roundtrip(&r, 1514, 4, L_INDIRECT);
}

static void reset_owner_traffic(void)
{
	u8 *buf = big_buf();
	struct rig r;
	u64 t;
	int i;

	rig_quick(&r, F_MRG);
	rx_post(&r, L_DIRECT, 256, 200);
	for (i = 0; i < 100; i++) {
		tx_send(&r, FRAME_RAW, 1514, i, L_DIRECT);
		rx_inject(&r, FRAME_RAW, 1514, i);
	}
	t = now_ms();
	OK(ioctl(r.d.fd, VHOST_RESET_OWNER));
	CHECKF(now_ms() - t < WAIT_MS, "RESET_OWNER took %llu ms",
	       (unsigned long long)(now_ms() - t));
	/* drop what was in flight before the reset, both ways */
	while (tx_capture(&r, buf, 50) >= 0)
		;
	while (read(r.tap.fd, buf, FRAME_MAX) > 0)
		;
	redo_setup(&r);
	tx_roundtrip(&r, 1514, 500, L_DIRECT);
	rx_roundtrip(&r, 1514, 501, L_DIRECT);
}

#define NMQ	8

static void mq_tx(struct rig *r)
{
	u8 *buf = big_buf();
	u8 seen[NMQ][10] = { { 0 } };
	int i, j, total = 0;
	u32 tag, seq;
	ssize_t n;

	for (i = 0; i < NMQ; i++)
		for (j = 0; j < 10; j++)
			tx_send(&r[i], FRAME_RAW, 200 + i, j, j % 3);
	while (total < NMQ * 10) {
		n = pkt_recv(r[0].cap, buf, FRAME_MAX, WAIT_MS);
		CHECKF(n >= 0, "MQ TX: %d of %d frames", total, NMQ * 10);
		if (!frame_id(buf, n, &tag, &seq))
			continue;
		for (i = 0; i < NMQ && r[i].tag != tag; i++)
			;
		if (i == NMQ)
			continue;
		CHECKF(seq < 10 && !seen[i][seq], "MQ TX: device %d: frame %u twice",
		       i, seq);
		frame_expect(buf, n, FRAME_RAW, 200 + i, tag, seq);
		seen[i][seq] = 1;
		total++;
	}
	for (i = 0; i < NMQ; i++)
		tx_reap(&r[i], 10);
	free(buf);
}

static void mq_rx(struct rig *r)
{
	u8 *buf = big_buf(), got[64] = { 0 };
	int per[NMQ] = { 0 }, i, total = 0;
	u32 tag, seq;
	u64 end;
	size_t n;

	for (i = 0; i < NMQ; i++)
		rx_post(&r[i], L_DIRECT, 2048, 64);
	for (i = 0; i < 64; i++)
		rx_inject(&r[0], FRAME_UDP, 100 + i, i);
	end = now_ms() + 2 * WAIT_MS;
	while (total < 64) {
		CHECKF(now_ms() < end, "MQ RX: %d of 64 frames", total);
		for (i = 0; i < NMQ; i++) {
			if (!vq_wait_used(&r[i].d.vq[RX], 1, 1))
				continue;
			n = rx_collect(&r[i], buf, FRAME_MAX, NULL, WAIT_MS);
			CHECK(frame_id(buf + 12, n - 12, &tag, &seq));
			CHECKF(seq < 64 && !got[seq], "MQ RX: frame %u twice", seq);
			frame_expect(buf + 12, n - 12, FRAME_UDP, 100 + seq, tag, seq);
			got[seq] = 1;
			per[i]++;
			total++;
		}
	}
	diag("MQ RX spread over the 8 queues: %d %d %d %d %d %d %d %d",
	     per[0], per[1], per[2], per[3], per[4], per[5], per[6], per[7]);
	free(buf);
}

static void mq_8_devices(void)
{
	struct rig *r = calloc(NMQ, sizeof(*r));
	char name[IFNAMSIZ];
	int i;

	CHECK(r);
	snprintf(name, sizeof(name), "vsq%d", getpid() % 100000);
	for (i = 0; i < NMQ; i++) {
		struct rig_opts o = { .features = F_MRG, .ifname = name };

		rig_up(&r[i], &o);
	}
	mq_tx(r);
	mq_rx(r);
	for (i = 0; i < NMQ; i++)
		timed_close(&r[i]);
}

static void many_devices(void)
{
	int fd[64], i;
	u64 t;

	for (i = 0; i < 64; i++) {
		fd[i] = vhost_open();
		OK(ioctl(fd[i], VHOST_SET_OWNER));
	}
	t = now_ms();
	for (i = 0; i < 64; i++)
		OK(close(fd[i]));
	CHECKF(now_ms() - t < 2 * WAIT_MS, "closing 64 devices took %llu ms",
	       (unsigned long long)(now_ms() - t));
	alive(F_MODERN);
}

/* vhost holds its own reference to the tap: closing ours changes nothing. */
static void tap_fd_closed(void)
{
	struct rig r;
	char name[IFNAMSIZ];
	u64 end;

	rig_quick(&r, F_EVT);
	memcpy(name, r.tap.name, IFNAMSIZ);
	OK(close(r.tap.fd));
	tx_roundtrip(&r, 1514, 1, L_DIRECT);
	rx_roundtrip(&r, 1514, 2, L_DIRECT);
	OK(vdev_backend(&r.d, TX, -1));
	OK(vdev_backend(&r.d, RX, -1));
	/* now the last reference is gone, and so is the tap */
	end = now_ms() + WAIT_MS;
	while (if_nametoindex(name) && now_ms() < end)
		sleep_ms(10);
	CHECKF(!if_nametoindex(name), "%s outlived its last file", name);
}

static void child_exits(void *arg)
{
	(void)arg;
}

static void fork_keeps_device(void)
{
	struct rig r;

	rig_quick(&r, F_EVT);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	in_child(child_exits, NULL);
	tx_roundtrip(&r, 60, 2, L_DIRECT);
	rx_roundtrip(&r, 60, 3, L_DIRECT);
}

const struct vcase lifecycle_cases[] = {
	{ "lifecycle.close_with_tx_in_flight", close_tx_in_flight },
	{ "lifecycle.close_with_rx_in_flight", close_rx_in_flight },
	{ "lifecycle.owner_sigkilled_mid_traffic", owner_sigkill, 30 },
	{ "lifecycle.backend_swap_under_traffic", backend_swap },
	{ "lifecycle.unbind_rebind_under_traffic", unbind_rebind },
	{ "lifecycle.mem_table_swap_under_traffic", mem_swap },
	{ "lifecycle.ring_reset_rx_under_tx_traffic", ring_reset_rx },
	{ "lifecycle.ring_reset_tx_under_rx_traffic", ring_reset_tx },
	{ "lifecycle.reset_owner_and_reuse", reset_owner_reuse },
	{ "lifecycle.reset_owner_under_traffic", reset_owner_traffic },
	{ "lifecycle.8_devices_on_one_multiqueue_tap", mq_8_devices, 40 },
	{ "lifecycle.64_devices_open_and_close", many_devices, 30 },
	{ "lifecycle.tap_fd_closed_by_owner", tap_fd_closed },
	{ "lifecycle.forked_child_exit_keeps_device", fork_keeps_device },
	{ NULL }
};
