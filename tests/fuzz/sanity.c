// SPDX-License-Identifier: GPL-2.0
/*
 * The liveness check between iterations: whatever the fuzzing did, a
 * fresh device on a fresh tap must still send a frame and receive one.
 * It uses the suite's guest driver (vring.c) and tap code (net.c); an
 * assertion there ends the check as a failure.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_tun.h>

#include "fuzz.h"
#include "harness.h"
#include "net.h"
#include "vring.h"

#define TAG	0x5a4e
#define WAIT_MS	5000

void sanity(void)
{
	size_t hdr = net_hdr_len(F_MODERN);
	u8 *buf, got[2048];
	struct seg s;
	struct vdev d;
	struct tap tap;
	u32 tag, seq, len;
	u64 end;
	int sock, h;
	ssize_t n;

	tap_open(&tap, "fzsane", IFF_VNET_HDR, hdr);
	if_up(tap.name, true);
	sock = pkt_open(tap.ifindex, SOCK_RAW, false);
	vdev_setup(&d, F_MODERN, 64);
	OK(vdev_backend(&d, RX, tap.fd));
	OK(vdev_backend(&d, TX, tap.fd));

	/* TX: the frame must come out of the tap. */
	buf = galloc(&d.mem, hdr + 60, 64);
	memset(buf, 0, hdr);
	frame_make(buf + hdr, FRAME_RAW, 60, TAG, 1);
	s = (struct seg){ buf, hdr + 60 };
	vq_publish(&d.vq[TX], vq_add(&d.vq[TX], &s, 1, NULL, 0, false));
	vq_kick(&d.vq[TX]);
	CHECKF(vq_wait_used(&d.vq[TX], 1, WAIT_MS), "fresh device: TX buffer not used");
	end = now_ms() + WAIT_MS;
	for (;;) {
		n = pkt_recv(sock, got, sizeof(got), WAIT_MS);
		CHECKF(n >= 0 && now_ms() < end,
		       "fresh device: the TX frame did not reach the tap");
		if (frame_id(got, n, &tag, &seq) && tag == TAG && seq == 1)
			break;
	}
	frame_expect(got, n, FRAME_RAW, 60, TAG, 1);

	/* RX: a frame sent to the tap must land in a guest buffer. */
	for (h = 0; h < 4; h++) {
		s = (struct seg){ galloc(&d.mem, 2048, 64), 2048 };
		vq_publish(&d.vq[RX], vq_add(&d.vq[RX], NULL, 0, &s, 1, false));
	}
	vq_kick(&d.vq[RX]);
	frame_make(got, FRAME_RAW, 60, TAG, 2);
	pkt_send(sock, tap.ifindex, got, 60);
	end = now_ms() + WAIT_MS;
	for (;;) {
		CHECKF(vq_wait_used(&d.vq[RX], 1, WAIT_MS) && now_ms() < end,
		       "fresh device: the RX frame was not received");
		h = vq_pop_used(&d.vq[RX], &len);
		CHECKF(h >= 0 && len >= hdr, "fresh device: RX used.len %u", len);
		buf = (u8 *)d.vq[RX].segs[h][0].p + hdr;
		if (frame_id(buf, len - hdr, &tag, &seq) && tag == TAG && seq == 2)
			break;
	}
	frame_expect(buf, len - hdr, FRAME_RAW, 60, TAG, 2);
	vdev_close(&d);
	close(sock);
	close(tap.fd);
}
