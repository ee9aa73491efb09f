// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath operations: a full device setup, valid and hostile ring
 * contents written while the worker runs, frames from the host side
 * (through packet sockets and written into the tap and tun), guest
 * memory that turns inaccessible; and the process operations: fork,
 * an owner killed under traffic, and close under traffic.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "fuzz.h"
#include "harness.h"

#define AVAIL_OFF	(16u << 10)
#define USED_OFF	(24u << 10)
#define IND_AREA	(64u << 10)	/* indirect tables per device and ring */
#define MAXNUM		32768

static u64 gpa(struct iter *it, const void *p)
{
	return GPA_MAIN + ((const u8 *)p - it->main);
}

u8 *ring_base(struct iter *it, int d, int q)
{
	return it->main + (d * 2 + q) * RING_AREA;
}

static u8 *ind_base(struct iter *it, int d, int q)
{
	return it->main + IND_OFF + (d * 2 + q) * IND_AREA;
}

static struct vring_desc *ring_desc(struct iter *it, int d, int q)
{
	return (struct vring_desc *)ring_base(it, d, q);
}

static struct vring_avail *ring_avail(struct iter *it, int d, int q)
{
	return (struct vring_avail *)(ring_base(it, d, q) + AVAIL_OFF);
}

static struct vring_used *ring_used(struct iter *it, int d, int q)
{
	return (struct vring_used *)(ring_base(it, d, q) + USED_OFF);
}

/* A buffer in the data area; its start is 64-byte aligned. */
static u8 *data_buf(struct thr *t, size_t len)
{
	size_t room = MAIN_SIZE - DATA_OFF - len;

	return t->it->main + DATA_OFF + (rnd(t, room) & ~63u);
}

void ring_reset(struct iter *it, int d, int q)
{
	memset(ring_base(it, d, q), 0, RING_AREA);
	it->dev[d].avail[q] = 0;
}

/* The ring size the device was given, or 0 when unknown or unusable. */
static unsigned int ring_num(struct iter *it, int d, int q)
{
	unsigned int n = __atomic_load_n(&it->dev[d].num[q], __ATOMIC_RELAXED);

	return n && n <= MAXNUM ? n : 0;
}

/*
 * Other threads may reopen or resize a ring at any time: a caller reads
 * the size once (ring_num()) and passes it on, so that it is never 0 here.
 */
static void publish(struct iter *it, int d, int q, unsigned int num, u16 head)
{
	struct vring_avail *a = ring_avail(it, d, q);
	u16 idx = it->dev[d].avail[q];

	a->ring[idx % num] = head;
	it->dev[d].avail[q] = ++idx;
	__atomic_store_n(&a->idx, idx, __ATOMIC_RELEASE);
}

void kick(struct thr *t, int d, int q)
{
	int fd = t->it->dev[d].kick[q];
	u64 one = 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (fd >= 0 && write(fd, &one, 8) < 0)
		return;
}

static void frame(u8 *p, size_t len, u32 seq)
{
	static const u8 hdr[14] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				    0x02, 0x76, 0x66, 0, 0, 1, 0x88, 0xb5 };
	size_t i;

	memcpy(p, hdr, len < 14 ? len : 14);
	for (i = 14; i < len; i++)
		p[i] = (u8)(i * 7 + seq);
}

static void vnet_hdr(struct thr *t, u8 *p)
{
	memset(p, 0, 12);
	if (chance(t, 10)) {
		struct virtio_net_hdr *h = (void *)p;

		h->flags = rnd(t, 4);
		h->gso_type = rnd(t, 6) | (chance(t, 20) ? 0x80 : 0);
		h->hdr_len = rnd(t, 200);
		h->gso_size = rnd(t, 2000);
		h->csum_start = rnd(t, 100);
		h->csum_offset = rnd(t, 40);
	}
}

/*
 * Add one buffer at head: one descriptor, a two-descriptor chain (header
 * apart), or an indirect table. Heads are even so that a chain's second
 * descriptor is never another buffer's head.
 */
static u16 add_buf(struct thr *t, int d, int q, unsigned int num, u8 *buf,
		   u32 len, u16 flags)
{
	struct iter *it = t->it;
	struct vring_desc *desc = ring_desc(it, d, q), *tab;
	u16 head = (2 * it->dev[d].avail[q]) % num;
	u32 k = rnd(t, 3);

	if (k == 1 && num >= 2 && len > 12) {
		desc[head] = (struct vring_desc){ gpa(it, buf), 12,
						  flags | VRING_DESC_F_NEXT, head + 1 };
		desc[head + 1] = (struct vring_desc){ gpa(it, buf + 12), len - 12,
						      flags, 0 };
	} else if (k == 2 && len > 12) {
		tab = (void *)(ind_base(it, d, q) + (head % 64) * 1024);
		tab[0] = (struct vring_desc){ gpa(it, buf), 12,
					      flags | VRING_DESC_F_NEXT, 1 };
		tab[1] = (struct vring_desc){ gpa(it, buf + 12), len - 12, flags, 0 };
		desc[head] = (struct vring_desc){ gpa(it, tab), 32,
						  VRING_DESC_F_INDIRECT, 0 };
	} else {
		desc[head] = (struct vring_desc){ gpa(it, buf), len, flags, 0 };
	}
	return head;
}

void tx_add(struct thr *t, int d, int n)
{
	static const u32 sizes[] = { 14, 60, 64, 1514, 9014, 65535 };
	struct iter *it = t->it;
	unsigned int num = ring_num(it, d, 1);
	int i;

	if (!num)
		return;
	for (i = 0; i < n; i++) {
		u32 len = chance(t, 80) ? 60 + rnd(t, 1455) : sizes[rnd(t, 6)];
		u8 *buf = data_buf(t, len + 12);

		vnet_hdr(t, buf);
		frame(buf + 12, len, i);
		publish(it, d, 1, num, add_buf(t, d, 1, num, buf, len + 12, 0));
	}
}

void rx_add(struct thr *t, int d, int n)
{
	static const u32 sizes[] = { 1, 12, 256, 2048, 4096, 65562 };
	struct iter *it = t->it;
	unsigned int num = ring_num(it, d, 0);
	int i;

	if (!num)
		return;
	for (i = 0; i < n; i++) {
		u32 len = chance(t, 70) ? 2048 : sizes[rnd(t, 6)];
		u8 *buf = data_buf(t, len);

		publish(it, d, 0, num,
			add_buf(t, d, 0, num, buf, len, VRING_DESC_F_WRITE));
	}
}

/*
 * What a VMM maps before it starts rings behind a vIOMMU: the rings (at
 * their userspace addresses, used as IOVAs here), and often the buffers'
 * guest-physical addresses too, all of main memory each. What is left
 * out is asked for by MISS and answered by "iotlb serve".
 */
static void iotlb_premap(struct thr *t, int fd)
{
	struct vhost_msg m = { .type = VHOST_IOTLB_MSG };
	u64 hva = (uintptr_t)t->it->main;

	m.iotlb.type = VHOST_IOTLB_UPDATE;
	m.iotlb.perm = VHOST_ACCESS_RW;
	m.iotlb.size = MAIN_SIZE;
	m.iotlb.uaddr = hva;
	if (chance(t, 70)) {
		m.iotlb.iova = hva;
		if (write(fd, &m, sizeof(m)) < 0)
			detail(t, "premap rings: %d", errno);
	}
	if (chance(t, 50)) {
		m.iotlb.iova = GPA_MAIN;
		if (write(fd, &m, sizeof(m)) < 0)
			detail(t, "premap buffers: %d", errno);
	}
}

/* Frames for the device to receive, put on the tap's and tun's transmit path. */
void inject(struct thr *t, int n)
{
	static const u32 sizes[] = { 0, 1, 13, 14, 60, 1514, 9014, 65535, 70000 };
	static u8 buf[70000];	/* contents do not matter; races are fine */
	struct iter *it = t->it;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	int i, s;

	for (i = 0; i < n; i++) {
		u32 len = chance(t, 70) ? 60 + rnd(t, 1455) : sizes[rnd(t, 9)];
		bool tun = chance(t, 30);

		s = tun ? it->inj_tun : it->inj_tap;
		sll.sll_ifindex = tun ? it->tun_idx : it->tap_idx;
		sll.sll_protocol = htons(tun ? ETH_P_IP : 0x88b5);
		frame(buf, len, i);
		if (tun && len)
			buf[0] = 0x45;
		sendto(s, buf, len, MSG_DONTWAIT, (struct sockaddr *)&sll, sizeof(sll));
	}
}

int dev_setup(struct thr *t, int d, int backend)
{
	struct iter *it = t->it;
	struct fdev *fdv = &it->dev[d];
	struct vhost_memory_region r[2] = {
		{ GPA_MAIN, MAIN_SIZE, (uintptr_t)it->main, 0 },
		{ GPA_VICTIM, VICTIM_SIZE, (uintptr_t)it->victim, 0 },
	};
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r[2];
	} mem = { { chance(t, 30) ? 2 : 1, 0 }, { r[0], r[1] } };
	int fd = dev_fd(t, d), err = 0, q, e;
	u64 f = 0, base;
	u8 mode = rnd(t, 2);

#define STEP(...) do {							\
	if (ioctl(fd, __VA_ARGS__) < 0 && !err)				\
		err = errno;						\
} while (0)
	if (fd < 0)
		return -1;
	detail(t, "dev=%d backend=%d(%s)", d, backend, fd_kind(it, backend));
	if (chance(t, 20))
		STEP(VHOST_SET_FORK_FROM_OWNER, &mode);
	/* Ours already, maybe running: stop the rings as a VMM would. */
	if (ioctl(fd, VHOST_SET_OWNER) < 0 && errno != EBUSY)
		err = errno;
	for (q = 0; q < 2; q++) {
		struct vhost_vring_file stop = { q, -1 };

		ioctl(fd, VHOST_NET_SET_BACKEND, &stop);
	}
	ioctl(fd, VHOST_GET_FEATURES, &f);
	/*
	 * ACCESS_PLATFORM: the rings then run only on what "iotlb serve"
	 * maps in answer to their misses; one device in five.
	 */
	f &= rnd64(t) | (1ULL << VIRTIO_F_VERSION_1);
	if (chance(t, 80))
		f &= ~(1ULL << 33);
	if (chance(t, 70))
		f &= ~(1ULL << VHOST_F_LOG_ALL);
	STEP(VHOST_SET_FEATURES, &f);
	STEP(VHOST_SET_MEM_TABLE, &mem);
	if (f & (1ULL << VIRTIO_F_ACCESS_PLATFORM))
		iotlb_premap(t, fd);
	if (f & (1ULL << VHOST_F_LOG_ALL)) {
		base = (uintptr_t)it->log;
		e = it->efd[rnd(t, NEFD)];
		STEP(VHOST_SET_LOG_BASE, &base);
		STEP(VHOST_SET_LOG_FD, &e);
	}
	for (q = 0; q < 2; q++) {
		u8 *rb = ring_base(it, d, q);
		struct vhost_vring_state s = { q, 1u << rnd(t, 9) };
		struct vhost_vring_addr a = {
			.index = q,
			.desc_user_addr = (uintptr_t)rb,
			.avail_user_addr = (uintptr_t)(rb + AVAIL_OFF),
			.used_user_addr = (uintptr_t)(rb + USED_OFF),
			.log_guest_addr = gpa(it, rb + USED_OFF),
		};
		struct vhost_vring_file kf = { q, it->efd[(d * 4 + q) % NEFD] };
		struct vhost_vring_file cf = { q, it->efd[(d * 4 + q + 2) % NEFD] };
		struct vhost_vring_file ef = { q, it->efd[rnd(t, NEFD)] };
		struct vhost_vring_file bf = { q, backend };

		if (f & (1ULL << VHOST_F_LOG_ALL) && chance(t, 50))
			a.flags = 1 << VHOST_VRING_F_LOG;
		ring_reset(it, d, q);
		STEP(VHOST_SET_VRING_NUM, &s);
		fdv->num[q] = s.num;
		s.num = 0;
		STEP(VHOST_SET_VRING_BASE, &s);
		STEP(VHOST_SET_VRING_ADDR, &a);
		STEP(VHOST_SET_VRING_KICK, &kf);
		fdv->kick[q] = kf.fd;
		STEP(VHOST_SET_VRING_CALL, &cf);
		STEP(VHOST_SET_VRING_ERR, &ef);
		s.num = chance(t, 70) ? 0 : rnd(t, 200);
		STEP(VHOST_SET_VRING_BUSYLOOP_TIMEOUT, &s);
		STEP(VHOST_NET_SET_BACKEND, &bf);
	}
	detail(t, "features=%#llx num=%u,%u", (unsigned long long)f,
	       fdv->num[0], fdv->num[1]);
	return err;
#undef STEP
}

/* A backend that carries traffic: tap, tun, or a packet socket on either. */
static int good_backend(struct thr *t)
{
	struct iter *it = t->it;
	const int b[] = { it->tap, it->tap, it->tun, it->pkt_tun, it->pkt_tap };

	return b[rnd(t, 5)];
}

static int dev_or_open(struct thr *t)
{
	int d = rnd(t, NDEV), fd, none = -1;

	if (dev_fd(t, d) >= 0)
		return d;
	fd = open("/dev/vhost-net", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!__atomic_compare_exchange_n(&t->it->dev[d].fd, &none, fd, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		close(fd);
		return -1;
	}
	return d;
}

int op_setup(struct thr *t)
{
	int d = dev_or_open(t);

	if (d < 0)
		return -1;
	return dev_setup(t, d, chance(t, 90) ? good_backend(t) : pick_backend(t));
}

int op_tx(struct thr *t)
{
	int d, n = 1 + rnd(t, 8);

	if (pick_dev_fd(t, &d) < 0)
		return -1;
	if (!ring_num(t->it, d, 1))
		return -1;
	detail(t, "n=%d", n);
	tx_add(t, d, n);
	kick(t, d, 1);
	return 0;
}

int op_rx(struct thr *t)
{
	int d, n = 1 + rnd(t, 8);

	if (pick_dev_fd(t, &d) < 0)
		return -1;
	if (!ring_num(t->it, d, 0))
		return -1;
	detail(t, "n=%d", n);
	rx_add(t, d, n);
	kick(t, d, 0);
	return 0;
}

int op_kick(struct thr *t)
{
	int d, q = rnd(t, 2), n = 1 + rnd(t, 4), i;

	if (pick_dev_fd(t, &d) < 0)
		return -1;
	for (i = 0; i < n; i++)
		kick(t, d, q);
	detail(t, "q=%d n=%d", q, n);
	return 0;
}

static u64 bad_gpa(struct thr *t)
{
	switch (rnd(t, 6)) {
	case 0:
		return 0;
	case 1:
		return GPA_VICTIM + rnd(t, VICTIM_SIZE);
	case 2:
		return 0xfffffffffffff000ULL;
	case 3:
		return GPA_MAIN + MAIN_SIZE - 10;	/* runs past the end */
	case 4:
		return GPA_MAIN - 8;
	default:
		return rnd64(t) | 1ULL << 50;
	}
}

/*
 * A hostile guest: one of the ring contents a driver must survive, put
 * at a head and made available, then a kick.
 */
int op_hostile(struct thr *t)
{
	static const u32 odd_len[] = { 0, 1, 15, 17, 24, 0xfffffff0, 16 * 70000 };
	static const u32 huge_len[] = { 0xffffffff, 0x80000000, 0x10000000, 70000 };
	struct iter *it = t->it;
	int d, q = rnd(t, 2), kind = rnd(t, 16), i, n;
	u16 wr = q ? 0 : VRING_DESC_F_WRITE;
	struct vring_desc *desc, *tab;
	struct vring_avail *av;
	struct vring_used *used;
	unsigned int num;
	u16 h, h2;

	if (pick_dev_fd(t, &d) < 0)
		return -1;
	num = ring_num(it, d, q);
	if (!num)
		return -1;
	desc = ring_desc(it, d, q);
	av = ring_avail(it, d, q);
	used = ring_used(it, d, q);
	tab = (void *)(ind_base(it, d, q) + rnd(t, 32) * 1024);
	h = rnd(t, num);
	h2 = rnd(t, num);
	detail(t, "q=%d kind=%d head=%u num=%u", q, kind, h, num);
	switch (kind) {
	case 0:		/* a loop of one or two descriptors */
		desc[h] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 64,
					       wr | VRING_DESC_F_NEXT, h2 };
		desc[h2] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 64,
						wr | VRING_DESC_F_NEXT, h };
		break;
	case 1:		/* a huge length */
		desc[h] = (struct vring_desc){ gpa(it, data_buf(t, 64)),
					       huge_len[rnd(t, 4)], wr, 0 };
		break;
	case 2:		/* an indirect table of odd size */
		tab[0] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 64, wr, 0 };
		desc[h] = (struct vring_desc){ gpa(it, tab), odd_len[rnd(t, 7)],
					       VRING_DESC_F_INDIRECT, 0 };
		break;
	case 3:		/* indirect inside indirect, maybe itself */
		tab[0] = (struct vring_desc){ gpa(it, chance(t, 50) ? tab : tab + 8),
					      32, VRING_DESC_F_INDIRECT, 0 };
		tab[8] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 64, wr, 0 };
		desc[h] = (struct vring_desc){ gpa(it, tab), 16 * (1 + rnd(t, 2)),
					       VRING_DESC_F_INDIRECT, 0 };
		break;
	case 4:		/* a loop inside an indirect table */
		n = 2 + rnd(t, 6);
		for (i = 0; i < n; i++)
			tab[i] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 64,
						      wr | VRING_DESC_F_NEXT,
						      (i + 1) % n };
		desc[h] = (struct vring_desc){ gpa(it, tab), 16 * n,
					       VRING_DESC_F_INDIRECT, 0 };
		break;
	case 5:		/* the avail index jumps */
		n = rnd(t, 3);
		it->dev[d].avail[q] += n == 0 ? num + 1 : n == 1 ? 0x8000 : rnd(t, 0x10000);
		__atomic_store_n(&av->idx, it->dev[d].avail[q], __ATOMIC_RELEASE);
		kick(t, d, q);
		return 0;
	case 6:		/* a chain of zero-length descriptors */
		n = 1 + rnd(t, num);
		for (i = 0; i < n; i++)
			desc[(h + i) % num] = (struct vring_desc){
				gpa(it, data_buf(t, 64)), 0,
				wr | (i + 1 < n ? VRING_DESC_F_NEXT : 0),
				(h + i + 1) % num };
		break;
	case 7:		/* zero-length entries in a long indirect table */
		n = 1 + rnd(t, 1024);
		tab = (void *)ind_base(it, d, q);
		for (i = 0; i < n; i++)
			tab[i] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 0,
						      wr | (i + 1 < n ? VRING_DESC_F_NEXT : 0),
						      i + 1 };
		desc[h] = (struct vring_desc){ gpa(it, tab), 16 * n,
					       VRING_DESC_F_INDIRECT, 0 };
		break;
	case 8:		/* a head out of range */
		h = num + rnd(t, 0x10000 - num);
		break;
	case 9:		/* a next out of range */
		desc[h] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 64,
					       wr | VRING_DESC_F_NEXT,
					       num + rnd(t, 0x10000 - num) };
		break;
	case 10:	/* an address outside the memory table */
		desc[h] = (struct vring_desc){ bad_gpa(t), 1 + rnd(t, 2048), wr, 0 };
		break;
	case 11:	/* the wrong direction, or readable after writable */
		desc[h] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 64,
					       (wr ^ VRING_DESC_F_WRITE) |
					       (h != h2 ? VRING_DESC_F_NEXT : 0), h2 };
		if (h != h2)
			desc[h2] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 64,
							wr, 0 };
		break;
	case 12:	/* a chain longer than the kernel's iovec limit */
		n = 1025 + rnd(t, 100);
		tab = (void *)ind_base(it, d, q);
		for (i = 0; i < n; i++)
			tab[i] = (struct vring_desc){ gpa(it, data_buf(t, 64)), 1,
						      wr | (i + 1 < n ? VRING_DESC_F_NEXT : 0),
						      i + 1 };
		desc[h] = (struct vring_desc){ gpa(it, tab), 16 * n,
					       VRING_DESC_F_INDIRECT, 0 };
		break;
	case 13:	/* random bytes in the descriptor table */
		h2 = 1 + rnd(t, 8);
		n = rnd(t, num);
		for (i = 0; i < h2; i++) {
			u64 *w = (u64 *)&desc[(n + i) % num];

			w[0] = rnd64(t);
			w[1] = rnd64(t);
		}
		break;
	case 14:	/* flags, used_event and avail_event garbage */
		av->flags = rnd64(t);
		used->flags = rnd64(t);
		av->ring[num] = rnd64(t);
		__atomic_store_n((u16 *)((u8 *)used + 4 + 8 * num), (u16)rnd64(t),
				 __ATOMIC_RELAXED);
		if (chance(t, 30))
			used->idx = rnd64(t);
		kick(t, d, q);
		return 0;
	default:	/* random bytes anywhere in the ring area */
		n = 1 + rnd(t, 64);
		i = rnd(t, RING_AREA - n);
		while (n--)
			ring_base(it, d, q)[i + n] = rnd64(t);
		kick(t, d, q);
		return 0;
	}
	publish(it, d, q, num, h);
	kick(t, d, q);
	return 0;
}

int op_inject(struct thr *t)
{
	int n = 1 + rnd(t, 8);

	detail(t, "n=%d", n);
	inject(t, n);
	return 0;
}

/*
 * Write a frame into the tap or tun fd: the kernel receives it on that
 * interface, where the packet-socket backends read it. For the tun, 4
 * bytes of packet information and nothing after make a 0-byte frame.
 */
int op_tap_write(struct thr *t)
{
	static const u32 tap_len[] = { 0, 1, 11, 12, 13, 26, 72, 1526, 9026, 65547, 70000 };
	static const u32 tun_len[] = { 0, 1, 3, 4, 4, 4, 24, 64, 1504, 65535, 70000 };
	static u8 buf[70016];
	struct iter *it = t->it;
	bool tun = chance(t, 50);
	u32 len;
	ssize_t n;

	if (tun) {
		len = chance(t, 60) ? tun_len[rnd(t, 11)] : 4 + rnd(t, 1500);
		buf[0] = 0;
		buf[1] = 0;
		buf[2] = chance(t, 80) ? 0x08 : rnd(t, 256);
		buf[3] = chance(t, 80) ? 0x00 : rnd(t, 256);
		if (len > 4)
			buf[4] = 0x45;
	} else {
		len = chance(t, 60) ? tap_len[rnd(t, 11)] : 26 + rnd(t, 1500);
		vnet_hdr(t, buf);
		if (len > 12)
			frame(buf + 12, len - 12, len);
	}
	detail(t, "%s len=%u", tun ? "tun" : "tap", len);
	n = write(tun ? it->tun : it->tap, buf, len);
	return n < 0 ? errno : 0;
}

/* Read what the devices sent and what piled up in eventfds and sockets. */
int op_drain(struct thr *t)
{
	static u8 buf[70016];
	struct iter *it = t->it;
	const int fds[] = { it->tap, it->tun, it->inj_tap, it->inj_tun,
			    it->pkt_tap, it->pkt_tun };
	unsigned int i, k;
	u64 v;

	for (i = 0; i < 6; i++)
		for (k = 0; k < 32; k++)
			if (read(fds[i], buf, sizeof(buf)) < 0)
				break;
	for (i = 0; i < NEFD; i++)
		if (read(it->efd[i], &v, 8) < 0)
			continue;
	return 0;
}

/* Guest memory that goes away, comes back empty, or turns read-only. */
int op_victim(struct thr *t)
{
	static const int prot[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE };
	struct iter *it = t->it;
	u32 k = rnd(t, 4);
	void *p;

	detail(t, "action=%u", k);
	if (k == 3)
		return madvise(it->victim, VICTIM_SIZE, MADV_DONTNEED) ? errno : 0;
	/* Replaced, never unmapped: nothing else may take its place. */
	p = mmap(it->victim, VICTIM_SIZE, prot[k],
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	return p == MAP_FAILED ? errno : 0;
}

int op_efd_renew(struct thr *t)
{
	int i = rnd(t, NEFD), fd, old;

	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0)
		return errno;
	old = __atomic_exchange_n(&t->it->efd[i], fd, __ATOMIC_SEQ_CST);
	detail(t, "efd%d %d->%d", i, old, fd);
	return close(old) ? errno : 0;
}

int op_sleep(struct thr *t)
{
	unsigned int ms = rnd(t, 20);

	detail(t, "ms=%u", ms);
	sleep_ms(ms);
	return 0;
}

/* Status of a child we ended or waited for: only its own crash is ours. */
static int reap(struct thr *t, pid_t pid, bool killed)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return errno;
	if (WIFSIGNALED(st) && !(killed && WTERMSIG(st) == SIGKILL))
		fail_at(__FILE__, __LINE__, "iteration %d: a forked child died of signal %d",
			t->it->n, WTERMSIG(st));
	if (WIFEXITED(st) && WEXITSTATUS(st))
		fail_at(__FILE__, __LINE__, "iteration %d: a forked child exited with %d",
			t->it->n, WEXITSTATUS(st));
	return 0;
}

/* A forked child runs a few operations on the inherited fds, then exits. */
int op_fork(struct thr *t)
{
	int n = 1 + rnd(t, 5), i;
	pid_t pid;

	detail(t, "ops=%d", n);
	pid = fork();
	if (pid < 0)
		return errno;
	if (!pid) {
		struct thr c = *t;

		c.slot = NULL;
		c.rng = mix64(t->rng ^ 0xf0f0);
		for (i = 0; i < n; i++)
			run_op(&c, pick_op(&c));
		_exit(0);
	}
	return reap(t, pid, false);
}

static void *child_ioctls(void *arg)
{
	struct thr *t = arg;
	struct vhost_vring_state s;

	for (;;) {
		int fd = dev_fd(t, rnd(t, NDEV));

		s.index = rnd(t, 2);
		s.num = 1u << rnd(t, 9);
		ioctl(fd, rnd(t, 2) ? VHOST_GET_VRING_BASE : VHOST_SET_VRING_NUM, &s);
		ioctl(fd, VHOST_SET_OWNER);
	}
	return NULL;
}

/*
 * The owner killed mid-traffic: a forked child owns a device (its own,
 * or one the iteration opened and nobody owns yet), moves traffic both
 * ways, and gets SIGKILL after a random delay.
 */
int op_owner_killed(struct thr *t)
{
	int d = rnd(t, NDEV), delay = rnd(t, 100);
	bool own = chance(t, 60);
	pid_t pid;

	detail(t, "dev=%d %s delay=%dms", d, own ? "new" : "inherited", delay);
	pid = fork();
	if (pid < 0)
		return errno;
	if (!pid) {
		struct thr c = *t, c2;
		char scratch[sizeof(t->slot->detail)] = "";
		pthread_t th;
		int fd;

		c.slot = NULL;
		c.detail = scratch;
		c.rng = mix64(t->rng ^ 0x0f0f);
		c2 = c;
		c2.rng = mix64(c.rng);
		if (own || dev_fd(&c, d) < 0) {
			fd = open("/dev/vhost-net", O_RDWR | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				_exit(0);
			c.it->dev[d].fd = fd;
		}
		dev_setup(&c, d, good_backend(&c));
		if (chance(&c, 50))
			pthread_create(&th, NULL, child_ioctls, &c2);
		for (;;) {
			tx_add(&c, d, 4);
			rx_add(&c, d, 4);
			kick(&c, d, 0);
			kick(&c, d, 1);
			inject(&c, 4);
			if (chance(&c, 10))
				op_hostile(&c);
		}
	}
	sleep_ms(delay);
	kill(pid, SIGKILL);
	return reap(t, pid, true);
}

/* Start traffic both ways on a device, then close it at once. */
int op_close_traffic(struct thr *t)
{
	int d = dev_or_open(t), fd, err;

	if (d < 0)
		return -1;
	err = dev_setup(t, d, good_backend(t));
	tx_add(t, d, 8);
	rx_add(t, d, 8);
	kick(t, d, 1);
	kick(t, d, 0);
	inject(t, 8);
	fd = __atomic_exchange_n(&t->it->dev[d].fd, -1, __ATOMIC_SEQ_CST);
	if (fd >= 0 && close(fd))
		return errno;
	return err;
}
