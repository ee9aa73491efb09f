/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost-bench: frames per second through one /dev/vhost-net device on a
 * tap, with a userspace guest driver that keeps the rings full. The
 * device setup (guest memory, memory table, rings, eventfds, the tap)
 * comes from the userspace suite (tests/vhost-suite/vring.c, net.c).
 */
#ifndef VHOST_BENCH_H
#define VHOST_BENCH_H

#include <stdbool.h>

#include "net.h"
#include "vring.h"

#define BENCH_BUF	2048u	/* bytes per TX or RX buffer in guest memory */
#define STALL_MS	3000	/* no used entry for this long: the run fails */

/*
 * RX injectors: auto, pktgen or packet keep the tap fed while the guest
 * takes frames; queue fills the tap's queue while the guest has no
 * buffer posted, and times the drain (run_rx_queue()).
 */
enum inject { INJ_AUTO, INJ_PKTGEN, INJ_PACKET, INJ_QUEUE };

#define QUEUE_FRAMES	4096	/* --inject queue: frames per fill */

/*
 * --iotlb: off; static, all guest memory mapped by one UPDATE before the
 * start (a guest with iommu=pt); page, the bench acting as the vIOMMU,
 * answering each MISS with a 4 KiB UPDATE from a child process (a lazy
 * DMA domain, once warm); strict, as page with 2 KiB mappings, and every
 * buffer unmapped (INVALIDATE) as soon as it is used, as a guest in
 * strict DMA mode does, so each buffer misses again on its next use.
 */
enum iotlb_mode { IOTLB_OFF, IOTLB_STATIC, IOTLB_PAGE, IOTLB_STRICT };

struct bench_opts {
	const char *target;	/* a label for the output only */
	int dir;		/* TX: the guest sends; RX: it receives */
	unsigned int size;	/* frame bytes, without the virtio-net header */
	unsigned int ring;	/* entries per ring */
	unsigned int busy_us;	/* VHOST_SET_VRING_BUSYLOOP_TIMEOUT */
	unsigned int warm_ms;	/* run, but do not count */
	unsigned int ms;	/* count */
	enum inject inject;	/* RX: who feeds the tap */
	bool event_idx;
	bool gso;		/* RX: TCP GSO frames of size bytes */
	bool in_order;		/* VIRTIO_F_IN_ORDER, used entries read so */
	enum iotlb_mode iotlb;	/* the device IOTLB, and how it is fed */
	bool packed;		/* --ring packed: VIRTIO_F_RING_PACKED */
	const char *perf_ctl;	/* --perf-ctl CTL,ACK: perf's control fifos */
};

struct bench_result {
	u64 frames;		/* used entries counted */
	u64 bytes;		/* frame bytes in them (RX: from used.len) */
	u64 ns;			/* over this long */
	u64 kicks;		/* writes to the kick eventfd */
	u64 sleeps;		/* waits on the call eventfd */
	u64 odd;		/* RX entries whose length was not the frame's */
	const char *inject;	/* RX: the injector used */
};

/* One device on one tap, started. */
struct bench_dev {
	struct vdev d;
	struct tap tap;
	size_t hdr;
	int iommu_pid;		/* --iotlb page: the child answering misses */
	u64 *iommu_misses;	/* its count, in memory shared with it */
	u64 misses;		/* MISS messages it answered, warm-up included */
};

void bench_dev_up(struct bench_dev *b, const struct bench_opts *o);
void bench_dev_down(struct bench_dev *b);

void run_tx(struct bench_dev *b, const struct bench_opts *o,
	    struct bench_result *res);
void run_rx(struct bench_dev *b, const struct bench_opts *o,
	    struct bench_result *res);
void run_rx_queue(struct bench_dev *b, const struct bench_opts *o,
		  struct bench_result *res);

/* RX injectors: start feeding the tap, and stop. */
struct injector {
	enum inject kind;
	int pid;		/* the process feeding it */
	char dev[IFNAMSIZ];
};

void inject_start(struct injector *in, enum inject kind, const struct tap *t,
		  unsigned int size, bool gso);
void inject_stop(struct injector *in);
bool pktgen_present(void);
void inject_fill_setup(const struct tap *t, unsigned int size,
		       unsigned int count);
void inject_fill(void);
void inject_fill_end(void);

u64 now_ns(void);
void loop_strict(int fd);

#endif
