// SPDX-License-Identifier: GPL-2.0
/*
 * One iteration's world: guest memory inside a large inaccessible
 * reservation, a tap and a tun with packet sockets on them, eventfds and
 * fds of the wrong type; and the random choice of arguments among them.
 *
 * Every user address the fuzzer hands the kernel lies inside the
 * reservation, in kernel space or outside canonical user space, so that
 * a region or ring pointing past what is mapped makes the kernel fault
 * (EFAULT) instead of writing into the fuzzer's own heap or stacks.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>

#include "fuzz.h"
#include "harness.h"
#include "net.h"

#define RESERVE		(8ULL << 30)
#define VICTIM_AT	(2ULL << 30)	/* offsets into the reservation */
#define LOG_AT		(4ULL << 30)
#define EDGE_AT		(6ULL << 30)
#define CLOSED_FD	1000		/* a number never opened */

u64 mix64(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

u64 rnd64(struct thr *t)
{
	t->rng += 0x9e3779b97f4a7c15ULL;
	return mix64(t->rng);
}

u32 rnd(struct thr *t, u32 n)
{
	return n ? (u32)(rnd64(t) % n) : 0;
}

bool chance(struct thr *t, u32 pct)
{
	return rnd(t, 100) < pct;
}

void detail(struct thr *t, const char *fmt, ...)
{
	size_t len = strlen(t->detail), room = sizeof(t->slot->detail);
	va_list ap;

	if (len + 1 >= room)
		return;
	if (len)
		t->detail[len++] = ' ';
	va_start(ap, fmt);
	vsnprintf(t->detail + len, room - len, fmt, ap);
	va_end(ap);
}

int dev_fd(struct thr *t, int d)
{
	return __atomic_load_n(&t->it->dev[d].fd, __ATOMIC_RELAXED);
}

int pick_dev(struct thr *t)
{
	int d = rnd(t, NDEV), k;

	for (k = 0; k < NDEV; k++, d = (d + 1) % NDEV)
		if (dev_fd(t, d) >= 0)
			return d;
	return -1;
}

int pick_dev_fd(struct thr *t, int *d)
{
	int fd;

	*d = pick_dev(t);
	if (*d < 0)
		return -1;
	fd = dev_fd(t, *d);
	if (fd >= 0)
		detail(t, "dev=%d", *d);
	return fd;
}

static int any_vhost_fd(struct thr *t)
{
	int d = pick_dev(t);

	return d < 0 ? CLOSED_FD : dev_fd(t, d);
}

int pick_fd(struct thr *t)
{
	struct iter *it = t->it;
	static const int bad[] = { 1 << 20, INT_MAX, -2, INT_MIN };
	u32 r = rnd(t, 100);

	if (r < 55)
		return it->efd[rnd(t, NEFD)];
	if (r < 62)
		return -1;
	if (r < 67)
		return CLOSED_FD;
	if (r < 72)
		return bad[rnd(t, 4)];
	if (r < 77)
		return it->pipe[rnd(t, 2)];
	if (r < 82)
		return it->tap;
	if (r < 86)
		return it->pkt_tap;
	if (r < 90)
		return any_vhost_fd(t);
	if (r < 94)
		return it->devnull;
	if (r < 97)
		return it->udp;
	return it->tun_bare;
}

/* What an fd the fuzzer passed is, for the operation's description. */
const char *fd_kind(struct iter *it, int fd)
{
	int i;

	if (fd < 0)
		return "none";
	if (fd == it->tap)
		return "tap";
	if (fd == it->tun)
		return "tun";
	if (fd == it->pkt_tap)
		return "packet@tap";
	if (fd == it->pkt_tun)
		return "packet@tun";
	if (fd == it->inj_tap)
		return "packet@tap2";
	for (i = 0; i < NEFD; i++)
		if (fd == it->efd[i])
			return "eventfd";
	for (i = 0; i < NDEV; i++)
		if (fd == it->dev[i].fd)
			return "vhost";
	if (fd == it->pipe[0] || fd == it->pipe[1])
		return "pipe";
	if (fd == it->udp)
		return "udp";
	if (fd == it->tun_bare)
		return "tun-unattached";
	if (fd == it->devnull)
		return "null";
	return fd == CLOSED_FD ? "closed" : "bad";
}

int pick_backend(struct thr *t)
{
	struct iter *it = t->it;
	u32 r = rnd(t, 100);

	if (r < 25)
		return it->tap;
	if (r < 35)
		return it->tun;
	if (r < 50)
		return it->pkt_tun;
	if (r < 60)
		return it->pkt_tap;
	if (r < 68)
		return -1;
	if (r < 71)
		return it->efd[rnd(t, NEFD)];
	if (r < 73)
		return it->pipe[rnd(t, 2)];
	if (r < 75)
		return it->udp;
	if (r < 77)
		return it->tun_bare;
	if (r < 79)
		return any_vhost_fd(t);
	if (r < 81)
		return CLOSED_FD;
	if (r < 83)
		return 1 << 20;
	if (r < 85)
		return it->devnull;
	if (r < 88)
		return it->inj_tap;
	return it->tap;
}

u32 pick_index(struct thr *t)
{
	u32 r = rnd(t, 100);

	if (r < 45)
		return 0;
	if (r < 90)
		return 1;
	if (r < 94)
		return 2;
	if (r < 97)
		return 0xffffffff;
	return (u32)rnd64(t);
}

/* A user address for the kernel: mostly good, else misaligned or bad. */
void *pick_uaddr(struct thr *t, void *good, size_t align)
{
	struct iter *it = t->it;
	u8 *g = good;
	u32 r = rnd(t, 100);

	if (r < 70)
		return g;
	if (r < 75)
		return g + 1;
	if (r < 78)
		return g + (align > 1 ? align / 2 : 3);
	if (r < 82)
		return NULL;
	if (r < 86)
		return it->edge + 4096;		/* never accessible */
	if (r < 89)
		return it->victim;
	if (r < 92)
		return (void *)KERNEL_ADDR;
	if (r < 95)
		return (void *)0x7ffffffff000ULL;
	return (void *)(uintptr_t)(rnd64(t) | (1ULL << 63));
}

static void *reserve(size_t len)
{
	void *p = mmap(NULL, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	CHECKF(p != MAP_FAILED, "an inaccessible mapping of %zu bytes: %s", len, errname(errno));
	return p;
}

static void map_at(void *at, size_t len)
{
	void *p = mmap(at, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	CHECKF(p == at, "map %zu bytes: %s", len, errname(errno));
}

int tun_make(const char *name, int flags, int *ifindex)
{
	struct ifreq ifr = { 0 };
	int fd, hdr = 12;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	CHECKF(fd >= 0, "open /dev/net/tun: %s (is tun loaded?)", errname(errno));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = flags;
	OK(ioctl(fd, TUNSETIFF, &ifr));
	if (flags & IFF_VNET_HDR)
		OK(ioctl(fd, TUNSETVNETHDRSZ, &hdr));
	if_up(name, true);
	*ifindex = if_index(name);
	return fd;
}

int pkt_sock(int ifindex, bool accept_all)
{
	/* Without a filter a 0-byte frame gets a snap length of 0 and is dropped. */
	struct sock_filter all = BPF_STMT(BPF_RET | BPF_K, 0xffffffff);
	struct sock_fprog prog = { .len = 1, .filter = &all };
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	int s, big = 1 << 20;

	s = OK(socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		      htons(ETH_P_ALL)));
	OK(setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)));
	if (accept_all)
		OK(setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)));
	OK(bind(s, (struct sockaddr *)&sll, sizeof(sll)));
	return s;
}

static int efd(void)
{
	return OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
}

void iter_init(struct iter *it, int n, u64 seed)
{
	char name[IFNAMSIZ];
	u8 *res;
	int i;

	memset(it, 0, sizeof(*it));
	it->n = n;
	it->seed = seed;
	for (i = 0; i < NDEV; i++) {
		it->dev[i].fd = -1;
		it->dev[i].kick[0] = -1;
		it->dev[i].kick[1] = -1;
	}
	res = reserve(RESERVE);
	it->main = res;
	map_at(it->main, MAIN_SIZE);
	it->victim = res + VICTIM_AT;
	map_at(it->victim, VICTIM_SIZE);
	it->log = res + LOG_AT;
	map_at(it->log, LOG_SIZE);
	it->edge = res + EDGE_AT;
	map_at(it->edge, 4096);
	for (i = 0; i < NEFD; i++)
		it->efd[i] = efd();
	snprintf(name, sizeof(name), "fzp%d", getpid() % 1000000);
	it->tap = tun_make(name, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, &it->tap_idx);
	if_mtu(name, 9000);
	snprintf(name, sizeof(name), "fzu%d", getpid() % 1000000);
	it->tun = tun_make(name, IFF_TUN, &it->tun_idx);
	it->pkt_tap = pkt_sock(it->tap_idx, seed & 1);
	it->pkt_tun = pkt_sock(it->tun_idx, true);
	it->inj_tap = pkt_sock(it->tap_idx, false);
	it->inj_tun = pkt_sock(it->tun_idx, false);
	OK(pipe2(it->pipe, O_NONBLOCK | O_CLOEXEC));
	it->udp = OK(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	it->tun_bare = OK(open("/dev/net/tun", O_RDWR | O_CLOEXEC));
	it->devnull = OK(open("/dev/null", O_RDWR | O_CLOEXEC));
	close(CLOSED_FD);
}
