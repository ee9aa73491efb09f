// SPDX-License-Identifier: GPL-2.0
/*
 * The device IOTLB (VIRTIO_F_ACCESS_PLATFORM): the test plays QEMU's
 * vIOMMU. Ring and buffer addresses are IOVAs, here equal to the GPAs the
 * rig's guest uses, and the test answers the device's MISS messages with
 * UPDATEs mapping an IOVA to the rig's guest memory, page by page.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rig.h"

#ifndef VIRTIO_F_ACCESS_PLATFORM
#define VIRTIO_F_ACCESS_PLATFORM 33
#endif

#define F_IOTLB		(F_MODERN | BIT(VIRTIO_F_ACCESS_PLATFORM))
#define MSG_LEN		72	/* struct vhost_msg and vhost_msg_v2 on 64-bit */
#define PAGE		4096ULL

/* Write one message in format ver (1 or 2); write()'s result. */
static long tlb_write(int fd, u32 ver, u8 type, u64 iova, u64 size, u64 uaddr,
		      u8 perm)
{
	struct vhost_msg_v2 m;

	memset(&m, 0, sizeof(m));
	m.type = ver;
	m.iotlb.iova = iova;
	m.iotlb.size = size;
	m.iotlb.uaddr = uaddr;
	m.iotlb.perm = perm;
	m.iotlb.type = type;
	return write(fd, &m, sizeof(m));
}

static u64 hva_of(struct rig *r, u64 iova)
{
	return (uintptr_t)r->d.mem.hva + (iova - r->d.mem.gpa);
}

/* Map [iova, iova + size) to the guest memory at that GPA. */
static void tlb_map(struct rig *r, u64 iova, u64 size, u8 perm)
{
	long n = tlb_write(r->d.fd, 2, VHOST_IOTLB_UPDATE, iova, size,
			   hva_of(r, iova), perm);

	CHECKF(n == MSG_LEN, "UPDATE %#llx+%#llx: %ld (%s)",
	       (unsigned long long)iova, (unsigned long long)size, n,
	       n < 0 ? errname(errno) : "short");
}

static void tlb_unmap(struct rig *r, u64 iova, u64 size)
{
	long n = tlb_write(r->d.fd, 2, VHOST_IOTLB_INVALIDATE, iova, size, 0, 0);

	CHECKF(n == MSG_LEN, "INVALIDATE: %ld (%s)", n,
	       n < 0 ? errname(errno) : "short");
}

static void tlb_map_all(struct rig *r, u8 perm)
{
	tlb_map(r, r->d.mem.gpa, r->d.mem.size, perm);
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * Read one MISS within ms, if there is one, and check every byte of it:
 * the format asked for, the fields a MISS has, zeros everywhere else (no
 * kernel memory leaks into it), nothing past MSG_LEN written.
 */
static bool tlb_miss(int fd, u32 ver, u64 *iova, u8 *perm, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	union {
		struct vhost_msg_v2 m;
		u8 raw[MSG_LEN + 16];
	} b;
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return false;
	CHECKF(p.revents & POLLIN, "poll: revents %#x", p.revents);
	memset(&b, 0xa5, sizeof(b));
	n = read(fd, &b, sizeof(b));
	CHECKF(n == MSG_LEN, "read: %zd (%s)", n, n < 0 ? errname(errno) : "size");
	CHECKF(b.m.type == ver, "message format %u, expected %u", b.m.type, ver);
	CHECKF(all_zero(b.raw + 4, 4), "bytes 4-7 not zero");
	CHECKF(b.m.iotlb.type == VHOST_IOTLB_MISS, "type %u", b.m.iotlb.type);
	CHECKF(b.m.iotlb.size == 0 && b.m.iotlb.uaddr == 0,
	       "MISS with size %#llx uaddr %#llx",
	       (unsigned long long)b.m.iotlb.size,
	       (unsigned long long)b.m.iotlb.uaddr);
	CHECKF(b.m.iotlb.perm >= VHOST_ACCESS_RO && b.m.iotlb.perm <= VHOST_ACCESS_RW,
	       "perm %u", b.m.iotlb.perm);
	CHECKF(all_zero(b.raw + 8 + 26, MSG_LEN - 8 - 26),
	       "padding after the iotlb message not zero");
	CHECKF(b.raw[MSG_LEN] == 0xa5, "read wrote past the message");
	*iova = b.m.iotlb.iova;
	*perm = b.m.iotlb.perm;
	return true;
}

/*
 * Answer misses, one page each, until ring idx has used an entry. Returns
 * the number of misses answered.
 */
static unsigned int serve_until_used(struct rig *r, u32 ver, int idx)
{
	struct vq *q = &r->d.vq[idx];
	u64 end = now_ms() + WAIT_MS * 3, iova;
	unsigned int n = 0;
	u8 perm;

	while (!vq_wait_used(q, 1, 1)) {
		CHECKF(now_ms() < end, "ring %d: nothing used after %u misses",
		       idx, n);
		if (!tlb_miss(r->d.fd, ver, &iova, &perm, 20))
			continue;
		CHECKF(iova >= r->d.mem.gpa &&
		       iova < r->d.mem.gpa + r->d.mem.size,
		       "MISS for %#llx, outside the guest",
		       (unsigned long long)iova);
		tlb_map(r, iova & ~(PAGE - 1), PAGE, VHOST_ACCESS_RW);
		n++;
		CHECKF(n < 64, "more than 64 misses");
	}
	return n;
}

static u64 iova_of(struct rig *r, const void *p)
{
	return gpa_of(&r->d.mem, p);
}

/*
 * Map all guest memory, the TX and RX arenas as entries of their own with
 * the permissions given, so that they can be dropped on their own.
 */
static void tlb_map_layout(struct rig *r, u8 tx_perm, u8 rx_perm)
{
	u64 a[2] = { iova_of(r, r->tx.base), iova_of(r, r->rx.base) };
	u8 perm[2] = { tx_perm, rx_perm };
	u64 at = r->d.mem.gpa, end = r->d.mem.gpa + r->d.mem.size;
	int i, first = a[0] > a[1];

	for (i = 0; i < 2; i++) {
		int k = i ^ first;

		if (a[k] > at)
			tlb_map(r, at, a[k] - at, VHOST_ACCESS_RW);
		tlb_map(r, a[k], ARENA, perm[k]);
		at = a[k] + ARENA;
	}
	if (end > at)
		tlb_map(r, at, end - at, VHOST_ACCESS_RW);
}

/* A started rig with the IOTLB, message format ver, all mapped if map. */
static void rig_iotlb(struct rig *r, u32 ver, bool map)
{
	struct rig_opts o = { .features = F_IOTLB, .flags = RIG_IDLE };
	u64 bf = BIT(VHOST_BACKEND_F_IOTLB_MSG_V2);

	rig_up(r, &o);
	if (ver == 2)
		OK(ioctl(r->d.fd, VHOST_SET_BACKEND_FEATURES, &bf));
	if (!map)
		return;
	tlb_map_layout(r, VHOST_ACCESS_RW, VHOST_ACCESS_RW);
	rig_start(r);
}

/* Send one frame, answering misses until it is out. */
static void tx_served(struct rig *r, u32 ver, size_t len, u32 seq,
		      enum layout l)
{
	tx_send(r, FRAME_RAW, len, seq, l);
	serve_until_used(r, ver, TX);
	tx_expect(r, FRAME_RAW, len, seq);
	tx_reap(r, 1);
}

/*
 * SET_BACKEND needs the used ring mapped (upstream reads used->idx
 * through the IOTLB there) and asks for it with a MISS; once it is,
 * everything else is fetched on demand and the frame goes out. A packed
 * ring has nothing to read to start: it starts unmapped and misses when
 * it runs.
 */
static void tx_resume(u32 ver)
{
	struct rig r;
	u64 iova;
	u8 perm;

	rig_iotlb(&r, ver, false);
	if (r.d.packed) {
		rig_start(&r);
		tx_send(&r, FRAME_RAW, 1514, 1, L_DIRECT);
		CHECKF(serve_until_used(&r, ver, TX) >= 4,
		       "descriptors, both areas and buffer should each have missed");
		tx_expect(&r, FRAME_RAW, 1514, 1);
		tx_reap(&r, 1);
		tx_served(&r, ver, 60, 2, L_INDIRECT);
		tx_served(&r, ver, 9000, 3, L_CHAINED);
		return;
	}
	ERR(vdev_backend(&r.d, TX, r.backend), EFAULT);
	CHECK(tlb_miss(r.d.fd, ver, &iova, &perm, WAIT_MS));
	CHECKF(iova == iova_of(&r, r.d.vq[TX].used), "MISS for %#llx",
	       (unsigned long long)iova);
	tlb_map(&r, iova_of(&r, r.d.vq[RX].used), PAGE, VHOST_ACCESS_RW);
	tlb_map(&r, iova, PAGE, VHOST_ACCESS_RW);
	rig_start(&r);
	tx_send(&r, FRAME_RAW, 1514, 1, L_DIRECT);
	CHECKF(serve_until_used(&r, ver, TX) >= 3,
	       "desc, avail and buffer should each have missed");
	tx_expect(&r, FRAME_RAW, 1514, 1);
	tx_reap(&r, 1);
	tx_served(&r, ver, 60, 2, L_INDIRECT);
	tx_served(&r, ver, 9000, 3, L_CHAINED);
}

static void tx_resume_v1(void)
{
	tx_resume(1);
}

static void tx_resume_v2(void)
{
	tx_resume(2);
}

static void rx_resume(u32 ver)
{
	struct rig r;
	int nb;

	rig_iotlb(&r, ver, false);
	tlb_map(&r, iova_of(&r, r.d.vq[RX].used), PAGE, VHOST_ACCESS_RW);
	tlb_map(&r, iova_of(&r, r.d.vq[TX].used), PAGE, VHOST_ACCESS_RW);
	rig_start(&r);
	rx_post(&r, L_CHAINED, 2048, 4);
	rx_inject(&r, FRAME_RAW, 1000, 1);
	CHECK(serve_until_used(&r, ver, RX) >= 3);
	rx_expect(&r, FRAME_RAW, 1000, 1, &nb);
}

static void rx_resume_v1(void)
{
	rx_resume(1);
}

static void rx_resume_v2(void)
{
	rx_resume(2);
}

/* Nothing mapped, nothing read: no MISS until there is a reason. */
static void poll_signals_miss(void)
{
	struct pollfd p;
	struct rig r;
	u64 iova;
	u8 perm;

	rig_iotlb(&r, 1, false);
	p = (struct pollfd){ .fd = r.d.fd, .events = POLLIN };
	CHECK(poll(&p, 1, 0) == 0);
	ERR(vdev_backend(&r.d, RX, r.backend), EFAULT);
	p.revents = 0;
	CHECK(poll(&p, 1, WAIT_MS) == 1 && (p.revents & POLLIN));
	CHECK(tlb_miss(r.d.fd, 1, &iova, &perm, 0));
	CHECKF(perm == VHOST_ACCESS_RO, "perm %u", perm);
	p.revents = 0;
	CHECK(poll(&p, 1, 0) == 0);
}

/*
 * After INVALIDATE returns, the old translation is gone for good: remap
 * the RX buffers' IOVAs to other memory, and the frame lands there.
 */
static void remap_takes_effect(void)
{
	const size_t span = 64 << 10;
	struct rig r;
	u8 *shadow;
	u64 base;
	int nb;

	rig_iotlb(&r, 2, true);
	rx_post(&r, L_DIRECT, 2048, 1);
	rx_inject(&r, FRAME_RAW, 1000, 1);
	rx_expect(&r, FRAME_RAW, 1000, 1, &nb);

	shadow = galloc(&r.d.mem, span, 4096);
	memset(shadow, 0, span);
	memset(r.rx.base, 0, span);
	r.rx.at = 0;
	base = iova_of(&r, r.rx.base);
	tlb_unmap(&r, base, span);
	CHECK(tlb_write(r.d.fd, 2, VHOST_IOTLB_UPDATE, base, span,
			(uintptr_t)shadow, VHOST_ACCESS_RW) == MSG_LEN);
	tlb_map(&r, base + span, ARENA - span, VHOST_ACCESS_RW);
	rx_post(&r, L_DIRECT, 2048, 1);
	rx_inject(&r, FRAME_RAW, 1000, 2);
	CHECK(vq_wait_used(&r.d.vq[RX], 1, WAIT_MS));
	CHECK(all_zero(r.rx.base, span));
	CHECK(!all_zero(shadow, span));
}

/* Flip the whole mapping off and on from another process. */
static void flipper(struct rig *r, unsigned int n)
{
	while (n--) {
		tlb_unmap(r, r->d.mem.gpa, r->d.mem.size);
		tlb_map_all(r, VHOST_ACCESS_RW);
	}
}

static void invalidate_under_traffic(void)
{
	struct rig r;
	unsigned int i, got = 0;
	u8 *buf = big_buf(), perm;
	int status;
	u64 iova, end;
	pid_t pid;

	rig_iotlb(&r, 2, true);
	pid = OK(fork());
	if (!pid) {
		flipper(&r, 300);
		_exit(0);
	}
	for (i = 0; i < 40; i++)
		tx_send(&r, FRAME_RAW, 600, i, L_DIRECT);
	end = now_ms() + WAIT_MS * 3;
	while (got < 40 && now_ms() < end) {
		while (tlb_miss(r.d.fd, 2, &iova, &perm, 0))
			;
		if (tx_capture(&r, buf, 20) > 0)
			got++;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			CHECK(WIFEXITED(status) && !WEXITSTATUS(status));
			pid = 0;
			tlb_map_all(&r, VHOST_ACCESS_RW);
			vq_kick(&r.d.vq[TX]);
		}
	}
	if (pid)
		waitpid(pid, &status, 0);
	CHECKF(got == 40, "%u of 40 frames sent", got);
	free(buf);
}

/* A buffer in a mapping without the access needed fails the queue. */
static void permission_faults(void)
{
	struct rig r;
	u64 rx = 0, tx = 0;
	int nb;

	rig_iotlb(&r, 2, false);
	rx = iova_of(&r, r.rx.base);
	tx = iova_of(&r, r.tx.base);
	tlb_map_layout(&r, VHOST_ACCESS_WO, VHOST_ACCESS_RO);
	rig_start(&r);

	rx_post(&r, L_DIRECT, 2048, 1);
	rx_inject(&r, FRAME_RAW, 500, 1);
	expect_err(&r.d.vq[RX]);
	CHECK(!vq_wait_used(&r.d.vq[RX], 1, QUIET_MS));
	tx_send(&r, FRAME_RAW, 500, 2, L_DIRECT);
	expect_err(&r.d.vq[TX]);
	CHECK(!vq_wait_used(&r.d.vq[TX], 1, QUIET_MS));

	/* Mapped right, the same chains go through at the next kick. */
	tlb_unmap(&r, rx, ARENA);
	tlb_unmap(&r, tx, ARENA);
	tlb_map(&r, rx, ARENA, VHOST_ACCESS_WO);
	tlb_map(&r, tx, ARENA, VHOST_ACCESS_RO);
	vq_kick(&r.d.vq[TX]);
	tx_expect(&r, FRAME_RAW, 500, 2);
	vq_kick(&r.d.vq[RX]);
	rx_expect(&r, FRAME_RAW, 500, 1, &nb);
}

/*
 * The TX descriptors mapped read-only: a split ring only reads its table,
 * so the frame goes out; a packed ring writes its used descriptors there,
 * so its ring fails (err eventfd, nothing used) until the mapping allows
 * both, and the same chain then goes out at the next kick.
 */
static void desc_read_only(void)
{
	u64 d, dlen, end;
	struct vq *q;
	struct rig r;

	rig_iotlb(&r, 2, false);
	q = &r.d.vq[TX];
	d = iova_of(&r, q->desc);
	dlen = 16ULL * q->num;
	end = r.d.mem.gpa + r.d.mem.size;
	tlb_map(&r, r.d.mem.gpa, d - r.d.mem.gpa, VHOST_ACCESS_RW);
	tlb_map(&r, d, dlen, VHOST_ACCESS_RO);
	tlb_map(&r, d + dlen, end - d - dlen, VHOST_ACCESS_RW);
	rig_start(&r);
	tx_send(&r, FRAME_RAW, 100, 1, L_DIRECT);
	if (q->packed) {
		expect_err(q);
		CHECK(!vq_wait_used(q, 1, QUIET_MS));
		tlb_unmap(&r, d, dlen);
		tlb_map(&r, d, dlen, VHOST_ACCESS_RW);
		vq_kick(q);
	}
	tx_expect(&r, FRAME_RAW, 100, 1);
	tx_reap(&r, 1);
	rx_roundtrip(&r, 60, 2, L_DIRECT);
}

static void expect_write(int fd, const void *buf, size_t len, long want,
			 int err)
{
	long n = write(fd, buf, len);

	if (want < 0)
		CHECKF(n == -1 && errno == err, "write of %zu bytes: %ld (%s), expected %s",
		       len, n, n < 0 ? errname(errno) : "ok", errname(err));
	else
		CHECKF(n == want, "write of %zu bytes: %ld (%s), expected %ld", len,
		       n, n < 0 ? errname(errno) : "ok", want);
}

#define W_EINVAL(fd, ver, t, i, s, u, p) \
	EXPECT(tlb_write(fd, ver, t, i, s, u, p), EINVAL)
#define W_EFAULT(fd, ver, t, i, s, u, p) \
	EXPECT(tlb_write(fd, ver, t, i, s, u, p), EFAULT)

/* Malformed, oversized and out-of-order messages get upstream's errnos. */
static void malformed(void)
{
	struct vdev d;
	u8 raw[256] = { 0 };
	u32 type;
	int fd;

	/* No IOTLB before ACCESS_PLATFORM is acked. */
	vdev_setup(&d, F_MODERN, 64);
	fd = d.fd;
	W_EFAULT(fd, 2, VHOST_IOTLB_UPDATE, 0x1000, PAGE, (uintptr_t)d.mem.hva, 3);
	W_EFAULT(fd, 2, VHOST_IOTLB_INVALIDATE, 0x1000, PAGE, 0, 0);
	EXPECT(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	ERR(read(fd, raw, sizeof(raw)), EAGAIN);
	EXPECT(fcntl(fd, F_SETFL, 0), 0);
	ERR(read(fd, raw, sizeof(raw)), EBADFD);
	vdev_close(&d);

	vdev_setup(&d, F_IOTLB, 64);
	fd = d.fd;
	CHECK(read(fd, raw, MSG_LEN - 1) == 0);
	expect_write(fd, raw, 3, -1, EINVAL);
	type = 3;
	memcpy(raw, &type, 4);
	expect_write(fd, raw, MSG_LEN, -1, EINVAL);
	/* A message in pieces: each piece is a short message. */
	type = VHOST_IOTLB_MSG_V2;
	memcpy(raw, &type, 4);
	expect_write(fd, raw, 20, -1, EINVAL);
	expect_write(fd, raw + 20, MSG_LEN - 20, -1, EINVAL);
	W_EINVAL(fd, 1, VHOST_IOTLB_UPDATE, 0x1000, 0, (uintptr_t)d.mem.hva, 3);
	W_EINVAL(fd, 2, VHOST_IOTLB_UPDATE, 0x1000, 0, (uintptr_t)d.mem.hva, 3);
	W_EFAULT(fd, 2, 0, 0x1000, PAGE, (uintptr_t)d.mem.hva, 3);
	W_EFAULT(fd, 2, VHOST_IOTLB_MISS, 0x1000, PAGE, (uintptr_t)d.mem.hva, 3);
	W_EFAULT(fd, 2, VHOST_IOTLB_ACCESS_FAIL, 0x1000, PAGE, 0, 3);
	W_EFAULT(fd, 2, VHOST_IOTLB_BATCH_BEGIN, 0, 0, 0, 0);
	W_EFAULT(fd, 2, VHOST_IOTLB_BATCH_END, 0, 0, 0, 0);
	W_EFAULT(fd, 2, 0xff, 0x1000, PAGE, 0, 3);
	/* iova + size wraps; uaddr + size wraps; a kernel uaddr. */
	W_EFAULT(fd, 2, VHOST_IOTLB_UPDATE, ~0ULL - 10, 100, (uintptr_t)d.mem.hva, 3);
	W_EFAULT(fd, 2, VHOST_IOTLB_UPDATE, 0, 2 * PAGE, ~0ULL - PAGE, 3);
	W_EFAULT(fd, 2, VHOST_IOTLB_UPDATE, 0, PAGE, 0xffff888000000000ULL, 3);
	W_EFAULT(fd, 1, VHOST_IOTLB_UPDATE, 0, ~0ULL, 0, 3);
	/* Huge but inside the user address space: accepted, as upstream. */
	EXPECT(tlb_write(fd, 2, VHOST_IOTLB_UPDATE, 0, 1ULL << 46, PAGE, 3), 0);
	/* Odd permissions are stored as given, the last page of IOVA too. */
	EXPECT(tlb_write(fd, 1, VHOST_IOTLB_UPDATE, ~0ULL - PAGE + 1, PAGE,
			 (uintptr_t)d.mem.hva, 0x80), 0);
	/* INVALIDATE of anything, size 0 or wrapping included, is fine. */
	EXPECT(tlb_write(fd, 2, VHOST_IOTLB_INVALIDATE, 0x5000, 0, 0, 0), 0);
	EXPECT(tlb_write(fd, 1, VHOST_IOTLB_INVALIDATE, ~0ULL, 10, 0, 0), 0);
	EXPECT(tlb_write(fd, 2, VHOST_IOTLB_INVALIDATE, 0, ~0ULL, 0, 0), 0);
	/* Oversized: the message is the first 72 bytes, and 72 is returned. */
	memset(raw, 0, sizeof(raw));
	type = VHOST_IOTLB_MSG;
	memcpy(raw, &type, 4);
	raw[8 + 25] = VHOST_IOTLB_INVALIDATE;
	memset(raw + MSG_LEN, 0xff, sizeof(raw) - MSG_LEN);
	expect_write(fd, raw, sizeof(raw), MSG_LEN, 0);
	/* Messages are accepted with the device not owned too. */
	vdev_close(&d);
}

/*
 * max_iotlb_entries is upstream's 2048, and the oldest entry makes room:
 * the ring's mappings go first, and the queue asks for them again.
 */
static void entry_limit(void)
{
	const char *path = BY_TARGET("/sys/module/vhost/parameters/max_iotlb_entries",
				     "/sys/module/vhost_net/parameters/max_iotlb_entries");
	char txt[32] = { 0 };
	struct rig r;
	unsigned int i;
	u64 iova;
	u8 perm;
	int fd;

	fd = OK(open(path, O_RDONLY | O_CLOEXEC));
	CHECK(read(fd, txt, sizeof(txt) - 1) > 0);
	close(fd);
	CHECKF(atoi(txt) == 2048, "%s: %s", path, txt);

	rig_iotlb(&r, 2, true);
	tx_roundtrip(&r, 100, 1, L_DIRECT);
	for (i = 0; i < 2048; i++)
		CHECK(tlb_write(r.d.fd, 2, VHOST_IOTLB_UPDATE, (1ULL << 40) + i * PAGE,
				PAGE, (uintptr_t)r.d.mem.hva, VHOST_ACCESS_RO) == MSG_LEN);
	tx_send(&r, FRAME_RAW, 100, 2, L_DIRECT);
	CHECK(tlb_miss(r.d.fd, 2, &iova, &perm, WAIT_MS));
	CHECK(iova >= r.d.mem.gpa && iova < r.d.mem.gpa + r.d.mem.size);
	tlb_map_all(&r, VHOST_ACCESS_RW);
	vq_kick(&r.d.vq[TX]);
	tx_expect(&r, FRAME_RAW, 100, 2);
}

/* A MISS nobody reads, then the device closes; or its owner dies. */
static void pending_at_close(void)
{
	struct rig r;

	rig_iotlb(&r, 2, false);
	ERR(vdev_backend(&r.d, TX, r.backend), EFAULT);
	tlb_map(&r, iova_of(&r, r.d.vq[TX].used), PAGE, VHOST_ACCESS_RW);
	tlb_map(&r, iova_of(&r, r.d.vq[RX].used), PAGE, VHOST_ACCESS_RW);
	rig_start(&r);
	tx_send(&r, FRAME_RAW, 100, 1, L_DIRECT);
	rx_post(&r, L_DIRECT, 2048, 2);
	CHECK(fd_wait(r.d.fd, WAIT_MS));
	vdev_close(&r.d);
}

static void owner_dies_child(void *arg)
{
	struct rig r;

	(void)arg;
	rig_iotlb(&r, 1, false);
	ERR(vdev_backend(&r.d, TX, r.backend), EFAULT);
	CHECK(fd_wait(r.d.fd, WAIT_MS));
	kill(getpid(), SIGKILL);
}

static void owner_dies_with_miss(void)
{
	pid_t pid = OK(fork());
	int status;

	if (!pid)
		owner_dies_child(NULL);
	OK(waitpid(pid, &status, 0));
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	       "child status %#x", status);
}

/* RESET_OWNER drops the IOTLB: a blocking read() then gets EBADFD. */
static void reset_owner_drops_iotlb(void)
{
	struct rig r;
	u8 raw[MSG_LEN];

	rig_iotlb(&r, 2, false);
	tlb_map_all(&r, VHOST_ACCESS_RW);
	OK(ioctl(r.d.fd, VHOST_RESET_OWNER));
	ERR(read(r.d.fd, raw, sizeof(raw)), EBADFD);
	W_EFAULT(r.d.fd, 2, VHOST_IOTLB_UPDATE, 0, PAGE, (uintptr_t)r.d.mem.hva, 3);
}

static bool log_bit(const u64 *bits, u64 gpa)
{
	u64 page = gpa / 4096;

	return bits[page / 64] & BIT(page % 64);
}

/* The used ring is logged after it is published: wait a while. */
static bool log_bit_soon(const u64 *bits, u64 gpa)
{
	u64 page = gpa / 4096, end = now_ms() + WAIT_MS;

	while (!(__atomic_load_n(&bits[page / 64], __ATOMIC_ACQUIRE) & BIT(page % 64))) {
		if (now_ms() >= end)
			return false;
		sleep_ms(1);
	}
	return true;
}

/*
 * With the IOTLB, the dirty log marks the guest pages written, found from
 * the userspace address an IOVA led to: here the RX buffers' IOVAs lead
 * to other guest pages, which must be the ones logged. log_guest_addr is
 * an IOVA then, and not what the used ring is logged at.
 */
static void dirty_log_gpa(void)
{
	const size_t span = 64 << 10;
	u64 f = F_IOTLB | BIT(VHOST_F_LOG_ALL), words, base, bogus;
	struct rig_opts o = { .features = f, .flags = RIG_IDLE };
	struct vhost_vring_addr a = { .index = RX, .flags = BIT(VHOST_VRING_F_LOG) };
	struct rig r;
	u64 *bits, sgpa, p;
	u8 *shadow;
	int efd;

	rig_up(&r, &o);
	words = (r.d.mem.gpa + r.d.mem.size) / 4096 / 64 + 1;
	bits = calloc(words, sizeof(u64));
	CHECK(bits);
	p = (uintptr_t)bits;
	OK(ioctl(r.d.fd, VHOST_SET_LOG_BASE, &p));
	efd = OK(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	OK(ioctl(r.d.fd, VHOST_SET_LOG_FD, &efd));
	bogus = r.d.mem.gpa + r.d.mem.size - 4096;
	a.desc_user_addr = iova_of(&r, r.d.vq[RX].desc);
	a.avail_user_addr = iova_of(&r, r.d.vq[RX].avail);
	a.used_user_addr = iova_of(&r, r.d.vq[RX].used);
	a.log_guest_addr = bogus;
	OK(ioctl(r.d.fd, VHOST_SET_VRING_ADDR, &a));

	shadow = galloc(&r.d.mem, span, 4096);
	sgpa = gpa_of(&r.d.mem, shadow);
	base = iova_of(&r, r.rx.base);
	tlb_map_layout(&r, VHOST_ACCESS_RW, VHOST_ACCESS_RW);
	tlb_unmap(&r, base, ARENA);
	CHECK(tlb_write(r.d.fd, 2, VHOST_IOTLB_UPDATE, base, span,
			(uintptr_t)shadow, VHOST_ACCESS_RW) == MSG_LEN);
	rig_start(&r);
	r.rx.at = 0;
	rx_post(&r, L_DIRECT, 2048, 1);
	rx_inject(&r, FRAME_RAW, 1000, 1);
	CHECK(vq_wait_used(&r.d.vq[RX], 1, WAIT_MS));
	CHECK(fd_wait(efd, WAIT_MS));
	CHECKF(log_bit(bits, sgpa), "page %#llx written, not logged",
	       (unsigned long long)sgpa);
	CHECKF(!log_bit(bits, base), "IOVA %#llx logged as a GPA",
	       (unsigned long long)base);
	/* A packed ring's used descriptors are in its descriptor ring. */
	CHECKF(log_bit_soon(bits, iova_of(&r, r.d.packed ? (void *)r.d.vq[RX].desc :
					     (void *)r.d.vq[RX].used)),
	       "used ring not logged");
	CHECKF(!log_bit(bits, bogus), "log_guest_addr used under the IOTLB");
	free(bits);
}

const struct vcase iotlb_cases[] = {
	{ "iotlb.tx.miss_update_resume.v1", tx_resume_v1 },
	{ "iotlb.tx.miss_update_resume.v2", tx_resume_v2 },
	{ "iotlb.rx.miss_update_resume.v1", rx_resume_v1 },
	{ "iotlb.rx.miss_update_resume.v2", rx_resume_v2 },
	/* SET_BACKEND's MISS: a packed ring reads nothing to start. */
	{ "iotlb.poll_signals_miss", poll_signals_miss, .split_only = true },
	{ "iotlb.remap_takes_effect", remap_takes_effect },
	{ "iotlb.invalidate_under_traffic", invalidate_under_traffic, 60 },
	{ "iotlb.permission_faults", permission_faults },
	{ "iotlb.descriptor_ring_read_only", desc_read_only },
	/* The message channel: nothing in them depends on the ring. */
	{ "iotlb.malformed_messages", malformed, .split_only = true },
	{ "iotlb.entry_limit", entry_limit, 60 },
	{ "iotlb.miss_pending_at_close", pending_at_close, .split_only = true },
	{ "iotlb.owner_dies_with_miss", owner_dies_with_miss, .split_only = true },
	{ "iotlb.reset_owner_drops_iotlb", reset_owner_drops_iotlb, .split_only = true },
	{ "iotlb.dirty_log_marks_gpa", dirty_log_gpa },
	{ NULL, NULL }
};
