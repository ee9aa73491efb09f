// SPDX-License-Identifier: GPL-2.0
/*
 * RX traffic for the benchmark: frames put on the tap's transmit path,
 * so that they queue for the vhost-net device like traffic from the host
 * stack. Two injectors:
 *
 *   pktgen   the kernel's packet generator (CONFIG_NET_PKTGEN, the plain
 *            lab kernel) on the tap: one kernel thread calls the tap's
 *            ndo_start_xmit in a loop, no syscall per frame.
 *   packet   a forked process sending through an AF_PACKET socket bound
 *            to the tap, with PACKET_QDISC_BYPASS, 32 frames a sendmmsg().
 *
 * Either one offers more than the device takes; the tap drops the rest
 * when its queue is full, so what is measured is the device's rate.
 *
 * The third way, inject_fill() for --inject queue, is pktgen sending a
 * counted number of frames into the tap's queue while nothing takes
 * them; the guest then drains the queue (loop.c, run_rx_queue()).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_packet.h>

#include "bench.h"

#define PG_DIR		"/proc/net/pktgen"
#define PG_THREAD	PG_DIR "/kpktgend_0"
#define PG_CTRL		PG_DIR "/pgctrl"
#define BATCH		32
#define REAP_MS		3000	/* for an injector to end once told */
#define FILL_SLACK	256	/* queue room beyond the frames of a fill */
#define FILL_MS		30000	/* for pktgen to queue them */

bool pktgen_present(void)
{
	return !access(PG_THREAD, W_OK);
}

static void pg_write(const char *file, const char *cmd)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	CHECKF(fd >= 0, "open %s: %s", file, errname(errno));
	n = write(fd, cmd, strlen(cmd));
	CHECKF(n == (ssize_t)strlen(cmd), "pktgen: '%s' to %s: %s", cmd, file,
	       n < 0 ? errname(errno) : "short write");
	close(fd);
}

static void pg_dev(const char *dev, const char *cmd)
{
	char file[64];

	snprintf(file, sizeof(file), PG_DIR "/%s", dev);
	pg_write(file, cmd);
}

/*
 * The child that runs pktgen: "start" returns once pktgen is stopped.
 * pgctrl drops the last byte of a command, so each ends with a newline.
 */
static void pktgen_run(void)
{
	int fd = open(PG_CTRL, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "start\n", 6) < 0)
		_exit(1);
	_exit(0);
}

/* pktgen on the tap: count frames of size bytes (0: until stopped). */
static void pktgen_setup(struct injector *in, const struct tap *t,
			 unsigned int size, unsigned int count)
{
	char cmd[64];

	snprintf(in->dev, sizeof(in->dev), "%s", t->name);
	pg_write(PG_THREAD, "rem_device_all");
	snprintf(cmd, sizeof(cmd), "add_device %s", in->dev);
	pg_write(PG_THREAD, cmd);
	snprintf(cmd, sizeof(cmd), PG_DIR "/%s", in->dev);
	CHECKF(!access(cmd, W_OK), "pktgen did not add %s", in->dev);
	snprintf(cmd, sizeof(cmd), "count %u", count);
	pg_dev(in->dev, cmd);
	pg_dev(in->dev, "clone_skb 0");
	pg_dev(in->dev, "delay 0");
	snprintf(cmd, sizeof(cmd), "pkt_size %u", size);
	pg_dev(in->dev, cmd);
	pg_dev(in->dev, "dst_mac 02:76:68:00:00:01");
}

static void pktgen_start(struct injector *in, const struct tap *t,
			 unsigned int size)
{
	pktgen_setup(in, t, size, 0);
	in->pid = fork();
	CHECKF(in->pid >= 0, "fork: %s", errname(errno));
	if (!in->pid)
		pktgen_run();
}

/*
 * The child that sends through AF_PACKET until it is killed. GSO frames
 * carry a virtio-net header (PACKET_VNET_HDR) that asks for TCP
 * segmentation, which the tap's TSO offloads leave to the guest.
 */
static void packet_run(const struct tap *t, unsigned int size, bool gso)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = t->ifindex,
		.sll_halen = 6,
	};
	struct mmsghdr msg[BATCH];
	struct iovec iov;
	int s, one = 1, i;
	size_t h = gso ? sizeof(struct virtio_net_hdr) : 0;
	u8 *frame = malloc(h + size);

	CHECK(frame);
	if (gso)
		gso_hdr((struct virtio_net_hdr *)frame, size);
	frame_make(frame + h, gso ? FRAME_TCP : FRAME_RAW, size, 0, 0);
	s = pkt_open(t->ifindex, SOCK_RAW, gso);
	setsockopt(s, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	iov.iov_base = frame;
	iov.iov_len = h + size;
	memset(msg, 0, sizeof(msg));
	for (i = 0; i < BATCH; i++) {
		msg[i].msg_hdr.msg_name = &sll;
		msg[i].msg_hdr.msg_namelen = sizeof(sll);
		msg[i].msg_hdr.msg_iov = &iov;
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		if (sendmmsg(s, msg, BATCH, 0) < 0 && errno != EAGAIN &&
		    errno != ENOBUFS && errno != EINTR)
			FAIL("AF_PACKET inject: %s", errname(errno));
	}
}

static void packet_start(struct injector *in, const struct tap *t,
			 unsigned int size, bool gso)
{
	in->pid = fork();
	CHECKF(in->pid >= 0, "fork: %s", errname(errno));
	if (!in->pid)
		packet_run(t, size, gso);
}

void inject_start(struct injector *in, enum inject kind, const struct tap *t,
		  unsigned int size, bool gso)
{
	memset(in, 0, sizeof(*in));
	/* pktgen makes no GSO frames. */
	if (kind == INJ_AUTO)
		kind = !gso && pktgen_present() ? INJ_PKTGEN : INJ_PACKET;
	in->kind = kind;
	if (kind == INJ_PKTGEN)
		pktgen_start(in, t, size);
	else
		packet_start(in, t, size, gso);
}

/* Wait for pid for at most ms; true once it is reaped. */
static bool reap(int pid, int ms)
{
	u64 end = now_ms() + ms;
	int status;

	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return true;
		if (now_ms() >= end)
			return false;
		sleep_ms(10);
	}
}

void inject_stop(struct injector *in)
{
	bool gone;

	if (in->pid <= 0)
		return;
	if (in->kind == INJ_PKTGEN)
		pg_write(PG_CTRL, "stop\n");
	else
		kill(in->pid, SIGKILL);
	gone = reap(in->pid, REAP_MS);
	if (!gone && in->kind == INJ_PKTGEN) {
		kill(in->pid, SIGKILL);
		gone = reap(in->pid, REAP_MS);
	}
	CHECKF(gone, "the %s injector did not end",
	       in->kind == INJ_PKTGEN ? "pktgen" : "AF_PACKET");
	in->pid = 0;
	if (in->kind == INJ_PKTGEN)
		pg_write(PG_THREAD, "rem_device_all");
}

/* The tap's transmit queue, in frames: SIOCSIFTXQLEN resizes its ring. */
static void tap_qlen(const struct tap *t, unsigned int frames)
{
	struct ifreq ifr = { .ifr_qlen = frames };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	CHECKF(s >= 0, "socket: %s", errname(errno));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->name);
	CHECKF(!ioctl(s, SIOCSIFTXQLEN, &ifr), "%s: txqueuelen %u: %s",
	       t->name, frames, errname(errno));
	close(s);
}

void inject_fill_setup(const struct tap *t, unsigned int size,
		       unsigned int count)
{
	struct injector in;

	CHECKF(pktgen_present(), "--inject queue needs pktgen (%s)", PG_THREAD);
	/*
	 * Room for the frames and for the host's own (IPv6 router and
	 * neighbour solicitations): pktgen retries a frame the tap drops,
	 * and with nothing taking them it would retry for ever.
	 */
	tap_qlen(t, count + FILL_SLACK);
	pktgen_setup(&in, t, size, count);
	/*
	 * A shared skb (pktgen's default) is waited for at the end of a
	 * count until the tap frees it, which happens only when the guest
	 * takes it: "start" would never return. 6.12 has the flag; 6.1
	 * always shares and refuses it, and with it --inject queue.
	 */
	pg_dev(in.dev, "flag !SHARED");
}

/*
 * Queue the frames: "start" returns when pktgen has sent all of them.
 * The caller has no RX buffer posted, so they wait in the tap's queue.
 */
void inject_fill(void)
{
	int pid = fork();

	CHECKF(pid >= 0, "fork: %s", errname(errno));
	if (!pid)
		pktgen_run();
	CHECKF(reap(pid, FILL_MS), "pktgen did not queue its frames in %d ms",
	       FILL_MS);
}

void inject_fill_end(void)
{
	pg_write(PG_THREAD, "rem_device_all");
}
