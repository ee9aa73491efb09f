// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-bench: one measurement point, one line of output.
 *
 *   vhost-bench --dir tx|rx [--target NAME] [--size BYTES] [--ring N]
 *               [--ring split|packed] [--busy USECS] [--ms MS] [--warm MS]
 *               [--inject auto|pktgen|packet|queue] [--no-event-idx] [--gso]
 *               [--iotlb off|static|page|strict] [--perf-ctl CTL,ACK]
 *
 * It opens /dev/vhost-net (whichever module is loaded), negotiates what
 * a modern virtio-net guest does (VERSION_1, MRG_RXBUF, EVENT_IDX),
 * lays out both rings of --ring entries (split rings, or packed ones
 * with --ring packed and VIRTIO_F_RING_PACKED), sets the busy-poll timeout on
 * both, and attaches a fresh tap (IFF_VNET_HDR, up, no address).
 *
 * TX: the guest sends --size byte frames (ethertype 0x88b5, to a
 * unicast MAC that is not the tap's). The tap hands each to the host
 * stack, which drops it at once: no protocol handler takes that
 * ethertype and nothing listens on the tap. RX: an injector (inject.c)
 * feeds the tap; the guest keeps every RX buffer posted. With --gso the
 * frames are IPv4/TCP GSO frames of --size bytes (up to 65535), sent
 * through AF_PACKET with a virtio-net header to a tap with TSO offloads,
 * so that each reaches the guest whole, over mergeable buffers; frames
 * are then counted from the bytes received (dir=rxgso). With --inject
 * queue pktgen fills the tap's queue while no RX buffer is posted, and
 * only the drains are timed (dir=rxq, loop.c: run_rx_queue()); with
 * --perf-ctl, a perf record started with -D -1 and --control
 * fifo:CTL,ACK is switched on for those drains only.
 *
 * After --warm ms (not counted) it counts used entries for --ms and
 * prints:
 *
 *   target=T dir=D size=S ring=N busy=U frames=F ms=M pps=P mbps=B
 *   kicks=K sleeps=Z odd=O inject=I iotlb=MODE layout=L
 *
 * (one line). Exit status 0, 1 when the device failed (the reason on
 * stderr), 2 for bad arguments. A watchdog alarm ends a stuck run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_tun.h>

#include "bench.h"

static const char help[] =
	"vhost-bench --dir tx|rx [--target NAME] [--size BYTES] [--ring N]\n"
	"            [--ring split|packed] [--busy USECS] [--ms MS] [--warm MS]\n"
	"            [--inject auto|pktgen|packet|queue] [--no-event-idx] [--gso]\n"
	"            [--in-order]\n"
	"            [--iotlb off|static|page|strict] [--perf-ctl CTL,ACK]\n";

static void usage(void)
{
	fputs(help, stderr);
	exit(2);
}

static unsigned int num(const char *s, unsigned int lo, unsigned int hi)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < lo || v > hi)
		usage();
	return v;
}

static void parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "dir", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "ring", required_argument, NULL, 'r' },
		{ "busy", required_argument, NULL, 'b' },
		{ "ms", required_argument, NULL, 'm' },
		{ "warm", required_argument, NULL, 'w' },
		{ "inject", required_argument, NULL, 'i' },
		{ "no-event-idx", no_argument, NULL, 'E' },
		{ "gso", no_argument, NULL, 'g' },
		{ "in-order", no_argument, NULL, 'o' },
		{ "iotlb", required_argument, NULL, 'I' },
		{ "perf-ctl", required_argument, NULL, 'P' },
		{ }
	};
	int c;

	*o = (struct bench_opts) {
		.target = "unnamed", .dir = -1, .size = 64, .ring = 256,
		.ms = 2000, .warm_ms = 300, .event_idx = true,
	};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->target = optarg;
			break;
		case 'd':
			if (!strcmp(optarg, "tx"))
				o->dir = TX;
			else if (!strcmp(optarg, "rx"))
				o->dir = RX;
			else
				usage();
			break;
		case 's':
			/* pktgen's smallest UDP frame; tap's largest GSO frame */
			o->size = num(optarg, 60, 65535);
			break;
		case 'r':
			/* --ring takes the layout, or the size. */
			if (!strcmp(optarg, "split") || !strcmp(optarg, "packed")) {
				o->packed = !strcmp(optarg, "packed");
				break;
			}
			o->ring = num(optarg, 2, 32768);
			if (o->ring & (o->ring - 1))
				usage();
			break;
		case 'b':
			o->busy_us = num(optarg, 0, 1000000);
			break;
		case 'm':
			o->ms = num(optarg, 10, 600000);
			break;
		case 'w':
			o->warm_ms = num(optarg, 0, 60000);
			break;
		case 'i':
			if (!strcmp(optarg, "auto"))
				o->inject = INJ_AUTO;
			else if (!strcmp(optarg, "pktgen"))
				o->inject = INJ_PKTGEN;
			else if (!strcmp(optarg, "packet"))
				o->inject = INJ_PACKET;
			else if (!strcmp(optarg, "queue"))
				o->inject = INJ_QUEUE;
			else
				usage();
			break;
		case 'E':
			o->event_idx = false;
			break;
		case 'g':
			o->gso = true;
			break;
		case 'o':
			o->in_order = true;
			break;
		case 'I':
			if (!strcmp(optarg, "off"))
				o->iotlb = IOTLB_OFF;
			else if (!strcmp(optarg, "static"))
				o->iotlb = IOTLB_STATIC;
			else if (!strcmp(optarg, "page"))
				o->iotlb = IOTLB_PAGE;
			else if (!strcmp(optarg, "strict"))
				o->iotlb = IOTLB_STRICT;
			else
				usage();
			break;
		case 'P':
			o->perf_ctl = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || o->dir < 0)
		usage();
	/* One buffer a frame, but for GSO frames over mergeable buffers. */
	if (o->gso ? o->dir != RX || o->inject == INJ_PKTGEN :
		     o->size > BENCH_BUF - 64)
		usage();
	/* A queue is filled by pktgen, which makes no GSO frames. */
	if (o->inject == INJ_QUEUE && (o->dir != RX || o->gso))
		usage();
	/* perf is switched on for the counted drains only */
	if (o->perf_ctl && o->inject != INJ_QUEUE)
		usage();
}

/* One UPDATE: IOVA (= GPA) range to the guest memory behind it. */
static void iotlb_map(struct bench_dev *b, u64 iova, u64 size)
{
	struct vhost_msg_v2 m = { .type = VHOST_IOTLB_MSG_V2 };

	m.iotlb.iova = iova;
	m.iotlb.size = size;
	m.iotlb.uaddr = (uintptr_t)b->d.mem.hva + (iova - b->d.mem.gpa);
	m.iotlb.perm = VHOST_ACCESS_RW;
	m.iotlb.type = VHOST_IOTLB_UPDATE;
	CHECKF(write(b->d.fd, &m, sizeof(m)) == sizeof(m), "UPDATE: %s",
	       errname(errno));
}

/*
 * The vIOMMU of --iotlb page: a child that maps the page of each MISS,
 * as QEMU does for a guest whose IOMMU maps pages. It counts the misses
 * in memory shared with the parent.
 */
static void iommu_child(struct bench_dev *b, u64 gran)
{
	struct vhost_msg_v2 m;
	u64 n = 0;

	for (;;) {
		if (read(b->d.fd, &m, sizeof(m)) != sizeof(m))
			_exit(1);
		if (m.iotlb.type != VHOST_IOTLB_MISS)
			continue;
		iotlb_map(b, m.iotlb.iova & ~(gran - 1), gran);
		__atomic_store_n(b->iommu_misses, ++n, __ATOMIC_RELAXED);
	}
}

void bench_dev_up(struct bench_dev *b, const struct bench_opts *o)
{
	u64 f = BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MRG_RXBUF);
	struct vhost_vring_state s = { .num = o->busy_us };
	size_t need;

	if (o->event_idx)
		f |= BIT(VIRTIO_RING_F_EVENT_IDX);
	if (o->in_order)
		f |= BIT(VIRTIO_F_IN_ORDER);
	if (o->iotlb != IOTLB_OFF)
		f |= BIT(VIRTIO_F_ACCESS_PLATFORM);
	memset(b, 0, sizeof(*b));
	b->iommu_pid = -1;
	vdev_init(&b->d);
	b->d.packed = o->packed;
	vdev_start(&b->d, f, o->ring);
	if (o->iotlb != IOTLB_OFF) {
		u64 bf = BIT(VHOST_BACKEND_F_IOTLB_MSG_V2);

		OK(ioctl(b->d.fd, VHOST_SET_BACKEND_FEATURES, &bf));
		if (o->iotlb == IOTLB_STATIC) {
			iotlb_map(b, b->d.mem.gpa, b->d.mem.size);
		} else {
			/* QEMU maps the used rings itself before the start. */
			iotlb_map(b, gpa_of(&b->d.mem, b->d.vq[RX].used), 4096 * 4);
			iotlb_map(b, gpa_of(&b->d.mem, b->d.vq[TX].used), 4096 * 4);
			b->iommu_misses = mmap(NULL, sizeof(u64), PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			CHECK(b->iommu_misses != MAP_FAILED);
			*b->iommu_misses = 0;
			b->iommu_pid = OK(fork());
			if (!b->iommu_pid)
				iommu_child(b, o->iotlb == IOTLB_STRICT ?
					       BENCH_BUF : 4096);
			if (o->iotlb == IOTLB_STRICT)
				loop_strict(b->d.fd);
		}
	}
	b->hdr = net_hdr_len(f);
	need = b->d.mem.brk + (size_t)o->ring * BENCH_BUF + 4096;
	CHECKF(need <= b->d.mem.size, "a ring of %u needs %zu bytes of guest memory",
	       o->ring, need);
	for (s.index = 0; s.index < 2; s.index++)
		OK(ioctl(b->d.fd, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, &s));
	tap_open(&b->tap, "vbench%d", IFF_VNET_HDR, b->hdr);
	/* With TSO offloads the tap queues GSO frames whole for the guest. */
	if (o->gso)
		tap_offload(b->tap.fd, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
	if_up(b->tap.name, true);
	OK(vdev_backend(&b->d, RX, b->tap.fd));
	OK(vdev_backend(&b->d, TX, b->tap.fd));
}

void bench_dev_down(struct bench_dev *b)
{
	if (b->iommu_pid > 0) {
		kill(b->iommu_pid, SIGKILL);
		waitpid(b->iommu_pid, NULL, 0);
		b->misses = *b->iommu_misses;
		munmap(b->iommu_misses, sizeof(u64));
	}
	vdev_backend(&b->d, RX, -1);
	vdev_backend(&b->d, TX, -1);
	vdev_close(&b->d);
	close(b->tap.fd);
}

static const char *const iotlb_names[] = { "off", "static", "page", "strict" };

int main(int argc, char **argv)
{
	struct bench_result res = { .inject = "-" };
	struct bench_opts o;
	struct bench_dev b;
	double secs;

	fail_setup("vhost-bench", NULL, 0, 1);
	parse(argc, argv, &o);
	/* --inject queue: the fills, not counted, take longer than drains */
	alarm((o.warm_ms + o.ms) / 1000 * (o.inject == INJ_QUEUE ? 20 : 1) + 30);
	bench_dev_up(&b, &o);
	if (o.dir == TX)
		run_tx(&b, &o, &res);
	else if (o.inject == INJ_QUEUE)
		run_rx_queue(&b, &o, &res);
	else
		run_rx(&b, &o, &res);
	bench_dev_down(&b);
	secs = res.ns ? res.ns / 1e9 : 1;
	printf("target=%s dir=%s size=%u ring=%u busy=%u %s", o.target,
	       o.dir == TX ? "tx" : o.gso ? "rxgso" :
	       o.inject == INJ_QUEUE ? "rxq" : "rx", o.size, o.ring,
	       o.busy_us, o.in_order ? "in_order=1 " : "");
	printf("frames=%llu ms=%.1f pps=%.0f mbps=%.1f ",
	       (unsigned long long)res.frames, res.ns / 1e6, res.frames / secs,
	       res.bytes * 8 / secs / 1e6);
	printf("kicks=%llu sleeps=%llu odd=%llu inject=%s iotlb=%s misses=%llu layout=%s\n",
	       (unsigned long long)res.kicks, (unsigned long long)res.sleeps,
	       (unsigned long long)res.odd, res.inject,
	       iotlb_names[o.iotlb],
	       (unsigned long long)b.misses, o.packed ? "packed" : "split");
	return 0;
}
