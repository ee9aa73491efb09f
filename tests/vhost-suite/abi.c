// SPDX-License-Identifier: GPL-2.0
/*
 * ABI cases: each ioctl's success path and its error paths, with the
 * errno upstream's vhost_net returns (read from drivers/vhost/ in 6.12).
 * Where ours differs on purpose (Documentation/tests.rst, "Deliberate
 * differences"), the case expects each target's own result: look for
 * BY_TARGET() and target_is_ours().
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/if_tun.h>

#include "rig.h"

#define KERNEL_ADDR	0xffff888000000000ULL

/*
 * The feature bits any vhost-net must offer for a virtio-net guest and
 * QEMU. Both offer them, VHOST_F_LOG_ALL, RING_RESET (upstream from 6.12
 * on) and ACCESS_PLATFORM (the device IOTLB, iotlb.c); ours also offers
 * IN_ORDER and upstream does not (deliberate difference 4).
 */
#define F_CORE	(BIT(VIRTIO_F_NOTIFY_ON_EMPTY) | BIT(VIRTIO_RING_F_INDIRECT_DESC) | \
		 BIT(VIRTIO_RING_F_EVENT_IDX) | BIT(VIRTIO_F_ANY_LAYOUT) |	\
		 BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MRG_RXBUF) |	\
		 BIT(VHOST_NET_F_VIRTIO_NET_HDR))
#define F_BOTH		(F_CORE | BIT(VHOST_F_LOG_ALL) | BIT(VIRTIO_F_RING_RESET) | \
			 BIT(VIRTIO_F_ACCESS_PLATFORM))
#define F_OURS		(F_BOTH | BIT(VIRTIO_F_IN_ORDER) | BIT(VIRTIO_F_RING_PACKED))
#define F_UPSTREAM	F_BOTH
#define BF_UPSTREAM	BIT(VHOST_BACKEND_F_IOTLB_MSG_V2)
#define F_MRG	(F_MODERN | BIT(VIRTIO_RING_F_EVENT_IDX) | BIT(VIRTIO_NET_F_MRG_RXBUF))

static int owned(void)
{
	int fd = vhost_open();

	OK(ioctl(fd, VHOST_SET_OWNER));
	return fd;
}

static u64 offered(int fd)
{
	u64 f = 0;

	OK(ioctl(fd, VHOST_GET_FEATURES, &f));
	return f;
}

/* Is fd certainly not an open file of this process? */
static bool fd_closed(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

/*
 * An fd number that was open and is closed now, and stays closed: the
 * kernel hands out the lowest free number, so one near the top of
 * RLIMIT_NOFILE is not reused by the few files a case opens. Callers
 * check again with fd_closed() right before they use it.
 */
static int closed_fd(void)
{
	struct rlimit rl;
	int fd, hi;

	OK(getrlimit(RLIMIT_NOFILE, &rl));
	hi = rl.rlim_cur > 4096 ? 4000 : (int)rl.rlim_cur - 16;
	CHECKF(hi >= 64, "RLIMIT_NOFILE is only %llu",
	       (unsigned long long)rl.rlim_cur);
	fd = OK(fcntl(OK(eventfd(0, EFD_CLOEXEC)), F_DUPFD_CLOEXEC, hi));
	OK(close(fd));
	CHECKF(fd_closed(fd), "fd %d is still open after close", fd);
	return fd;
}

static void open_close(void)
{
	struct stat st;
	int fd = vhost_open();

	OK(fstat(fd, &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECKF(major(st.st_rdev) == 10 && minor(st.st_rdev) == 238,
	       "device is %u:%u", major(st.st_rdev), minor(st.st_rdev));
	OK(close(fd));
}

/*
 * Exactly the documented set. Upstream's vhost_net offers RING_RESET from
 * 6.12 on, not on 6.1 (tests.rst, per kernel).
 */
static void features_offered(void)
{
	u64 up = kernel_at_least(6, 12) ? F_UPSTREAM :
		 F_UPSTREAM & ~BIT(VIRTIO_F_RING_RESET);
	u64 f = offered(vhost_open()), want = BY_TARGET(up, F_OURS);

	CHECKF(f == want, "GET_FEATURES %#llx, expected %#llx (extra %#llx, missing %#llx)",
	       (unsigned long long)f, (unsigned long long)want,
	       (unsigned long long)(f & ~want), (unsigned long long)(want & ~f));
}

static void features_unknown(void)
{
	int fd = owned();
	u64 f = offered(fd), b;
	int i;

	for (i = 0; i < 64; i++) {
		b = BIT(i);
		if (f & b)
			continue;
		ERR(ioctl(fd, VHOST_SET_FEATURES, &b), EOPNOTSUPP);
	}
	b = f | BIT(63);
	ERR(ioctl(fd, VHOST_SET_FEATURES, &b), EOPNOTSUPP);
}

static void features_set_offered(void)
{
	int fd = owned();
	u64 f = offered(fd) & F_CORE, zero = 0;

	OK(ioctl(fd, VHOST_SET_FEATURES, &f));
	OK(ioctl(fd, VHOST_SET_FEATURES, &zero));
}

/* Upstream lets anyone read and set features, owner or not. */
static void features_before_owner(void)
{
	int fd = vhost_open();
	u64 f = offered(fd) & F_CORE;

	OK(ioctl(fd, VHOST_SET_FEATURES, &f));
	OK(ioctl(fd, VHOST_GET_BACKEND_FEATURES, &f));
}

/*
 * VHOST_{GET,SET}_FEATURES_ARRAY, upstream's since 6.17: a count, then
 * that many 64-bit feature words. Deliberate difference 5: the lab's
 * upstream (6.12) predates them, and like any request it does not know
 * they get EPERM before SET_OWNER. Ours answers them with or without an
 * owner, as 6.17 does.
 */
struct farray {
	u64 count;
	u64 word[6];
};

/* A features array whose words run into an unmapped page after @words. */
static struct farray *farray_at_edge(unsigned int words)
{
	long pg = sysconf(_SC_PAGESIZE);
	u8 *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	OK(munmap(p + pg, pg));
	return (struct farray *)(p + pg - (1 + words) * sizeof(u64));
}

static void features_array_get(void)
{
	int fd = vhost_open();
	struct farray a, *edge;

	memset(&a, 0xa5, sizeof(a));
	a.count = 4;
	if (!target_is_ours()) {
		ERR(ioctl(fd, VHOST_GET_FEATURES_ARRAY, &a), EPERM);
		return;
	}
	OK(ioctl(fd, VHOST_GET_FEATURES_ARRAY, &a));
	CHECKF(a.word[0] == offered(fd), "word 0 %#llx", (unsigned long long)a.word[0]);
	CHECK(!a.word[1] && !a.word[2] && !a.word[3]);
	CHECKF(a.word[4] == 0xa5a5a5a5a5a5a5a5ULL, "wrote past count");
	/* One word: only the first; none: nothing. */
	a.count = 1;
	a.word[1] = 7;
	OK(ioctl(fd, VHOST_GET_FEATURES_ARRAY, &a));
	CHECK(a.word[0] == offered(fd) && a.word[1] == 7);
	a.count = 0;
	a.word[0] = 7;
	OK(ioctl(fd, VHOST_GET_FEATURES_ARRAY, &a));
	CHECK(a.word[0] == 7);
	/* A count larger than the buffer: EFAULT, however large. */
	edge = farray_at_edge(2);
	edge->count = 3;
	ERR(ioctl(fd, VHOST_GET_FEATURES_ARRAY, edge), EFAULT);
	edge->count = 1ULL << 62;
	ERR(ioctl(fd, VHOST_GET_FEATURES_ARRAY, edge), EFAULT);
	edge->count = 2;
	OK(ioctl(fd, VHOST_GET_FEATURES_ARRAY, edge));
	ERR(ioctl(fd, VHOST_GET_FEATURES_ARRAY, NULL), EFAULT);
	/* The owner gets the same. */
	OK(ioctl(fd, VHOST_SET_OWNER));
	a.count = 2;
	OK(ioctl(fd, VHOST_GET_FEATURES_ARRAY, &a));
	CHECK(a.word[0] == offered(fd) && !a.word[1]);
}

static void features_array_set(void)
{
	int fd = vhost_open();
	u64 all = offered(fd), f = all & F_CORE;
	struct farray a = { 2, { f } }, *edge;
	int i;

	if (!target_is_ours()) {
		ERR(ioctl(fd, VHOST_SET_FEATURES_ARRAY, &a), EPERM);
		return;
	}
	OK(ioctl(fd, VHOST_SET_FEATURES_ARRAY, &a));
	/* Every bit we do not offer, in the first word or past it. */
	for (i = 0; i < 128; i++) {
		if (i < 64 && (all & BIT(i)))
			continue;
		memset(a.word, 0, sizeof(a.word));
		a.word[i / 64] = BIT(i % 64);
		ERR(ioctl(fd, VHOST_SET_FEATURES_ARRAY, &a), EOPNOTSUPP);
	}
	/* Words past the second must be zero. */
	a.count = 6;
	memset(a.word, 0, sizeof(a.word));
	a.word[0] = f;
	OK(ioctl(fd, VHOST_SET_FEATURES_ARRAY, &a));
	a.word[5] = 1;
	ERR(ioctl(fd, VHOST_SET_FEATURES_ARRAY, &a), EOPNOTSUPP);
	a.count = 0;
	OK(ioctl(fd, VHOST_SET_FEATURES_ARRAY, &a));
	/* Unreadable words: EFAULT, before a nonzero word is looked at. */
	edge = farray_at_edge(2);
	edge->word[0] = f;
	edge->word[1] = 0;
	edge->count = 1ULL << 62;
	ERR(ioctl(fd, VHOST_SET_FEATURES_ARRAY, edge), EFAULT);
	edge->word[1] = 1;
	edge->count = 3;
	ERR(ioctl(fd, VHOST_SET_FEATURES_ARRAY, edge), EFAULT);
	edge->count = 2;
	ERR(ioctl(fd, VHOST_SET_FEATURES_ARRAY, edge), EOPNOTSUPP);
	ERR(ioctl(fd, VHOST_SET_FEATURES_ARRAY, NULL), EFAULT);
}

static void set_owner_twice(void)
{
	int fd = owned();

	ERR(ioctl(fd, VHOST_SET_OWNER), EBUSY);
}

static void reset_owner_unowned(void)
{
	ERR(ioctl(vhost_open(), VHOST_RESET_OWNER), EPERM);
}

static void unowned_mem_table(void)
{
	struct vdev d;

	vdev_init(&d);
	struct vhost_memory_region r = {
		.guest_phys_addr = d.mem.gpa, .memory_size = d.mem.size,
		.userspace_addr = (uintptr_t)d.mem.hva,
	};
	ERR(vdev_mem_table(d.fd, &r, 1), EPERM);
}

/* Every vring ioctl fails with EPERM for a process that is not the owner. */
static void vring_ioctls_eperm(int fd)
{
	struct vhost_vring_state s = { .index = 0, .num = 256 };
	struct vhost_vring_addr a = { .index = 0 };
	struct vhost_vring_file f = { .index = 0, .fd = -1 };

	ERR(ioctl(fd, VHOST_SET_VRING_NUM, &s), EPERM);
	ERR(ioctl(fd, VHOST_SET_VRING_ADDR, &a), EPERM);
	ERR(ioctl(fd, VHOST_SET_VRING_BASE, &s), EPERM);
	ERR(ioctl(fd, VHOST_GET_VRING_BASE, &s), EPERM);
	ERR(ioctl(fd, VHOST_SET_VRING_KICK, &f), EPERM);
	ERR(ioctl(fd, VHOST_SET_VRING_CALL, &f), EPERM);
	ERR(ioctl(fd, VHOST_SET_VRING_ERR, &f), EPERM);
	ERR(ioctl(fd, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, &s), EPERM);
	ERR(ioctl(fd, VHOST_GET_VRING_BUSYLOOP_TIMEOUT, &s), EPERM);
}

static void unowned_vring(void)
{
	vring_ioctls_eperm(vhost_open());
}

static void unowned_backend(void)
{
	struct vhost_vring_file f = { .index = 0, .fd = -1 };

	ERR(ioctl(vhost_open(), VHOST_NET_SET_BACKEND, &f), EPERM);
}

static void unowned_log(void)
{
	int fd = vhost_open(), efd = OK(eventfd(0, 0));
	u64 base = 0;

	ERR(ioctl(fd, VHOST_SET_LOG_BASE, &base), EPERM);
	ERR(ioctl(fd, VHOST_SET_LOG_FD, &efd), EPERM);
}

static void child_not_owner(void *arg)
{
	struct vdev *d = arg;
	struct vhost_vring_file f = { .index = TX, .fd = -1 };
	u64 feat;

	struct vhost_memory_region r = {
		.guest_phys_addr = d->mem.gpa, .memory_size = d->mem.size,
		.userspace_addr = (uintptr_t)d->mem.hva,
	};
	ERR(vdev_mem_table(d->fd, &r, 1), EPERM);
	vring_ioctls_eperm(d->fd);
	ERR(ioctl(d->fd, VHOST_NET_SET_BACKEND, &f), EPERM);
	ERR(ioctl(d->fd, VHOST_RESET_OWNER), EPERM);
	ERR(ioctl(d->fd, VHOST_SET_OWNER), EBUSY);
	OK(ioctl(d->fd, VHOST_GET_FEATURES, &feat));
	/* upstream: the owner check comes first; ours: the same once owned */
	ERR(ioctl(d->fd, VHOST_NEW_WORKER, &(struct vhost_worker_state){ 0 }),
	    EPERM);
}

static void fork_child_eperm(void)
{
	struct rig r;

	rig_quick(&r, F_MODERN);
	in_child(child_not_owner, &r.d);
	/* and the owner's device still works */
	tx_roundtrip(&r, 60, 1, L_DIRECT);
}

static void child_take(void *arg)
{
	OK(ioctl(*(int *)arg, VHOST_SET_OWNER));
}

static void fork_child_owner(void)
{
	int fd = vhost_open();
	struct vhost_vring_state s = { .index = 0, .num = 256 };

	in_child(child_take, &fd);
	ERR(ioctl(fd, VHOST_SET_OWNER), EBUSY);
	ERR(ioctl(fd, VHOST_SET_VRING_NUM, &s), EPERM);
}

static struct vhost_memory_region region(u64 gpa, u64 size, void *hva)
{
	struct vhost_memory_region r = {
		.guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};
	return r;
}

static void regions(unsigned int n, int expect)
{
	struct vhost_memory_region *r = calloc(n, sizeof(*r));
	u8 *mem = malloc(n * 4096);
	int fd = owned();
	unsigned int i;

	CHECK(r && mem);
	for (i = 0; i < n; i++)
		r[i] = region(0x100000 + i * 0x10000ULL, 4096, mem + i * 4096);
	if (expect)
		ERR(vdev_mem_table(fd, r, n), expect);
	else
		OK(vdev_mem_table(fd, r, n));
}

/*
 * The region limit the module under test says it has: its own parameter
 * for ours, the vhost core's for upstream's (where QEMU reads it).
 */
static unsigned int region_limit(void)
{
	const char *path = BY_TARGET("/sys/module/vhost/parameters/max_mem_regions",
				     "/sys/module/vhost_net/parameters/max_mem_regions");
	unsigned int n = 0;
	FILE *f = fopen(path, "r");

	CHECK(f);
	CHECK(fscanf(f, "%u", &n) == 1);
	fclose(f);
	return n;
}

/* Deliberate difference 10: 509 regions on ours, upstream's 64. */
static void mem_limit_default(void)
{
	unsigned int n = region_limit();

	CHECKF(n == BY_TARGET(64u, 509u), "max_mem_regions is %u", n);
}

static void mem_limit_regions(void)
{
	regions(region_limit(), 0);
}

static void mem_limit_plus_one(void)
{
	regions(region_limit() + 1, E2BIG);
}

static void mem_huge_nregions(void)
{
	struct vhost_memory m = { .nregions = 0xffffffff };

	ERR(ioctl(owned(), VHOST_SET_MEM_TABLE, &m), E2BIG);
}

static void mem_padding(void)
{
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r;
	} t = { { .nregions = 1, .padding = 1 } };
	u8 *p = malloc(4096);

	t.r = region(0x100000, 4096, p);
	ERR(ioctl(owned(), VHOST_SET_MEM_TABLE, &t), EOPNOTSUPP);
}

static void mem_zero_size(void)
{
	struct vhost_memory_region r = region(0x100000, 0, malloc(4096));

	ERR(vdev_mem_table(owned(), &r, 1), EFAULT);
}

static void mem_wraps(void)
{
	struct vhost_memory_region r = region(0xfffffffffffff000ULL, 0x2000,
					      malloc(0x2000));

	ERR(vdev_mem_table(owned(), &r, 1), EFAULT);
}

static void mem_bad_pointer(void)
{
	ERR(ioctl(owned(), VHOST_SET_MEM_TABLE, NULL), EFAULT);
}

static void mem_empty(void)
{
	OK(vdev_mem_table(owned(), NULL, 0));
}

/*
 * Neither target checks alignment. Upstream does not check overlap
 * either; ours refuses it with EFAULT (deliberate difference 1) and keeps
 * the table it had. Either way the device must still work.
 */
static void mem_overlap_unaligned(bool unaligned)
{
	struct vhost_memory_region r[2];
	struct vdev *d;
	struct rig rg;

	rig_quick(&rg, F_MODERN);
	d = &rg.d;
	if (unaligned) {
		r[0] = region(d->mem.gpa, 0x1001, d->mem.hva);
		r[1] = region(d->mem.gpa + 0x1001, d->mem.size - 0x1001,
			      d->mem.hva + 0x1001);
		OK(vdev_mem_table(d->fd, r, 2));
	} else {
		r[0] = region(d->mem.gpa, d->mem.size / 2 + 0x3000, d->mem.hva);
		r[1] = region(d->mem.gpa + 0x2000, d->mem.size - 0x2000,
			      d->mem.hva + 0x2000);
		EXPECT(vdev_mem_table(d->fd, r, 2), BY_TARGET(0, EFAULT));
	}
	tx_roundtrip(&rg, 1514, 1, L_CHAINED);
	rx_roundtrip(&rg, 1514, 2, L_CHAINED);
}

static void mem_overlap(void)
{
	mem_overlap_unaligned(false);
}

static void mem_unaligned(void)
{
	mem_overlap_unaligned(true);
}

/*
 * Regions the kernel cannot access: upstream takes them while no backend
 * runs and refuses them (EFAULT) with one; ours refuses them at
 * SET_MEM_TABLE, idle or not (deliberate difference 2). A refused table
 * leaves the old one in place: the running device still works.
 */
static void mem_unreachable(const struct vhost_memory_region *r, int n)
{
	struct rig rg;

	EXPECT(vdev_mem_table(owned(), r, n), BY_TARGET(0, EFAULT));
	rig_quick(&rg, F_MODERN);
	ERR(vdev_mem_table(rg.d.fd, r, n), EFAULT);
	tx_roundtrip(&rg, 60, 1, L_DIRECT);
}

/* A region in kernel space. */
static void mem_kernel_hva(void)
{
	struct vhost_memory_region r = { 0x100000, 0x100000, KERNEL_ADDR };

	mem_unreachable(&r, 1);
}

/* A region whose user address range runs past the end of user space. */
static void mem_huge_region(void)
{
	struct vhost_memory_region r[2];
	u8 *p = malloc(4096);

	CHECK(p);
	r[0] = region(GPA_BASE, 4096, p);
	r[1] = region(1ULL << 40, 1ULL << 63, p);
	mem_unreachable(r, 2);
}

static int set_num(int fd, unsigned int idx, unsigned int num)
{
	struct vhost_vring_state s = { .index = idx, .num = num };

	return ioctl(fd, VHOST_SET_VRING_NUM, &s);
}

static void num_zero(void)
{
	ERR(set_num(owned(), 0, 0), EINVAL);
}

static void num_not_pow2(void)
{
	int fd = owned();

	ERR(set_num(fd, 0, 3), EINVAL);
	ERR(set_num(fd, 1, 257), EINVAL);
	ERR(set_num(fd, 1, 0xffff), EINVAL);
}

/* 32768 is the largest valid split ring; it must really work. */
static void num_32768(void)
{
	struct rig_opts o = { .features = F_MODERN, .num = 32768 };
	struct rig r;

	rig_up(&r, &o);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	rx_roundtrip(&r, 60, 2, L_DIRECT);
}

static void num_65536(void)
{
	int fd = owned();

	ERR(set_num(fd, 0, 65536), EINVAL);
	ERR(set_num(fd, 0, 0x80000000), EINVAL);
}

static void bad_index(void)
{
	static const unsigned int bad[] = { 2, 3, 0x100, 0x80000000, 0xffffffff };
	int fd = owned(), i;

	for (i = 0; i < 5; i++) {
		struct vhost_vring_state s = { .index = bad[i], .num = 256 };
		struct vhost_vring_addr a = { .index = bad[i] };
		struct vhost_vring_file f = { .index = bad[i], .fd = -1 };

		ERR(ioctl(fd, VHOST_SET_VRING_NUM, &s), ENOBUFS);
		ERR(ioctl(fd, VHOST_SET_VRING_ADDR, &a), ENOBUFS);
		ERR(ioctl(fd, VHOST_SET_VRING_BASE, &s), ENOBUFS);
		ERR(ioctl(fd, VHOST_GET_VRING_BASE, &s), ENOBUFS);
		ERR(ioctl(fd, VHOST_SET_VRING_KICK, &f), ENOBUFS);
		ERR(ioctl(fd, VHOST_SET_VRING_CALL, &f), ENOBUFS);
		ERR(ioctl(fd, VHOST_SET_VRING_ERR, &f), ENOBUFS);
		ERR(ioctl(fd, VHOST_NET_SET_BACKEND, &f), ENOBUFS);
	}
}

static void vring_base(void)
{
	struct vhost_vring_state s = { .index = 1, .num = 0x10000 };
	int fd = owned();

	ERR(ioctl(fd, VHOST_SET_VRING_BASE, &s), EINVAL);
	s.num = 0xffff;
	OK(ioctl(fd, VHOST_SET_VRING_BASE, &s));
	s.num = 0;
	OK(ioctl(fd, VHOST_GET_VRING_BASE, &s));
	CHECKF(s.index == 1 && s.num == 0xffff, "GET_VRING_BASE: %u/%u",
	       s.index, s.num);
}

static struct vhost_vring_addr good_addr(struct vdev *d, int idx)
{
	struct vhost_vring_addr a = {
		.index = idx,
		.desc_user_addr = (uintptr_t)d->vq[idx].desc,
		.avail_user_addr = (uintptr_t)d->vq[idx].avail,
		.used_user_addr = (uintptr_t)d->vq[idx].used,
	};
	return a;
}

static void addr_case(u64 dadd, u64 aadd, u64 uadd,
		      u64 log, unsigned int flags, int expect)
{
	struct vdev d;
	struct vhost_vring_addr a;

	vdev_setup(&d, F_MODERN, 256);
	a = good_addr(&d, TX);
	a.desc_user_addr += dadd;
	a.avail_user_addr += aadd;
	a.used_user_addr += uadd;
	a.log_guest_addr = log;
	a.flags = flags;
	if (expect)
		ERR(ioctl(d.fd, VHOST_SET_VRING_ADDR, &a), expect);
	else
		OK(ioctl(d.fd, VHOST_SET_VRING_ADDR, &a));
}

static void addr_flags(void)
{
	addr_case(0, 0, 0, 0, 0x2, EOPNOTSUPP);
	addr_case(0, 0, 0, 0, 0x80000000, EOPNOTSUPP);
	addr_case(0, 0, 0, 0, 0x1, 0);		/* VHOST_VRING_F_LOG */
}

static void addr_avail_misaligned(void)
{
	addr_case(0, 1, 0, 0, 0, EINVAL);
}

static void addr_used_misaligned(void)
{
	addr_case(0, 0, 2, 0, 0, EINVAL);
	addr_case(0, 0, 1, 0, 0, EINVAL);
}

static void addr_log_misaligned(void)
{
	addr_case(0, 0, 0, 0x1002, 0, EINVAL);
}

/* Upstream does not check the descriptor table's 16-byte alignment. */
static void addr_desc_unaligned(void)
{
	addr_case(8, 0, 0, 0, 0, 0);
}

static void addr_kernel(void)
{
	struct rig_opts o = { .features = F_MODERN, .flags = RIG_IDLE };
	struct vhost_vring_addr a;
	struct rig r;

	rig_up(&r, &o);
	a = good_addr(&r.d, TX);
	a.used_user_addr = KERNEL_ADDR;
	OK(ioctl(r.d.fd, VHOST_SET_VRING_ADDR, &a));
	ERR(vdev_backend(&r.d, TX, r.backend), EFAULT);
	a = good_addr(&r.d, TX);
	OK(ioctl(r.d.fd, VHOST_SET_VRING_ADDR, &a));
	rig_start(&r);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
}

/* fd, given to SET_VRING_KICK, _CALL and _ERR on both rings, gives expect. */
static void eventfd_case(int fd, int expect)
{
	static const unsigned long req[] = {
		VHOST_SET_VRING_KICK, VHOST_SET_VRING_CALL, VHOST_SET_VRING_ERR
	};
	static const char *const name[] = { "KICK", "CALL", "ERR" };
	struct vdev d;
	int i, q, r, err;

	vdev_setup(&d, F_MODERN, 256);
	for (q = 0; q < 2; q++) {
		for (i = 0; i < 3; i++) {
			struct vhost_vring_file f = { .index = q, .fd = fd };

			CHECKF(expect != EBADF || fd < 0 || fd_closed(fd),
			       "fd %d, which must be closed, is open", fd);
			errno = 0;
			r = ioctl(d.fd, req[i], &f);
			err = errno;
			CHECKF(expect ? r == -1 && err == expect : r == 0,
			       "ring %d: SET_VRING_%s with fd %d: %s, expected %s",
			       q, name[i], fd, r ? errname(err) : "success",
			       expect ? errname(expect) : "success");
		}
	}
}

static void eventfd_unbind(void)
{
	eventfd_case(-1, 0);
}

static void eventfd_bad(void)
{
	eventfd_case(1000000, EBADF);
	eventfd_case(-2, EBADF);
}

static void eventfd_closed(void)
{
	eventfd_case(closed_fd(), EBADF);
}

static void eventfd_not_eventfd(void)
{
	int p[2];

	OK(pipe(p));
	eventfd_case(p[0], EINVAL);
	eventfd_case(vhost_open(), EINVAL);
}

static void backend_err(int fd, int expect)
{
	struct rig_opts o = { .features = F_MODERN, .flags = RIG_IDLE };
	struct rig r;

	rig_up(&r, &o);
	CHECKF(fd < 1000000 || fd_closed(fd), "fd %d is open", fd);
	ERR(vdev_backend(&r.d, TX, fd), expect);
	ERR(vdev_backend(&r.d, RX, fd), expect);
	rig_start(&r);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
}

/* Upstream tries a raw socket, then a tap: any failure is ENOTSOCK. */
static void backend_bad_fd(void)
{
	backend_err(1000000, ENOTSOCK);
}

static void backend_closed_fd(void)
{
	int fd = closed_fd();

	backend_err(fd, ENOTSOCK);
	CHECKF(fd_closed(fd), "fd %d, which must be closed, is open", fd);
}

static void backend_not_socket(void)
{
	backend_err(OK(eventfd(0, 0)), ENOTSOCK);
	backend_err(OK(open("/dev/null", O_RDWR)), ENOTSOCK);
}

static void backend_wrong_socket(void)
{
	backend_err(OK(socket(AF_INET, SOCK_DGRAM, 0)), ENOTSOCK);
	backend_err(OK(socket(AF_PACKET, SOCK_DGRAM, 0)), ENOTSOCK);
	backend_err(OK(socket(AF_UNIX, SOCK_STREAM, 0)), ENOTSOCK);
}

/* A tun fd not attached to a device polls EPOLLERR: EINVAL. */
static void backend_unattached_tun(void)
{
	backend_err(OK(open("/dev/net/tun", O_RDWR)), EINVAL);
}

static void backend_no_mem_table(void)
{
	struct tap t;
	struct vdev d;

	vdev_init(&d);
	OK(ioctl(d.fd, VHOST_SET_OWNER));
	vq_init(&d, TX, 256);
	vq_configure(&d, TX);
	tap_open(&t, "vst%d", IFF_VNET_HDR, 12);
	ERR(vdev_backend(&d, TX, t.fd), EFAULT);
}

static void backend_no_rings(void)
{
	struct tap t;
	struct vdev d;

	vdev_init(&d);
	vdev_own(&d, F_MODERN);
	OK(set_num(d.fd, TX, 256));
	tap_open(&t, "vst%d", IFF_VNET_HDR, 12);
	ERR(vdev_backend(&d, TX, t.fd), EFAULT);
}

static void backend_type(enum backend be, unsigned int flags)
{
	struct rig_opts o = { .features = F_MODERN, .be = be, .flags = flags };
	struct rig r;

	rig_up(&r, &o);
	OK(vdev_backend(&r.d, TX, -1));
	OK(vdev_backend(&r.d, RX, -1));
	OK(vdev_backend(&r.d, TX, r.backend));
	OK(vdev_backend(&r.d, RX, r.backend));
	OK(vdev_backend(&r.d, RX, r.backend));	/* the same again: no-op */
}

static void backend_tap(void)
{
	backend_type(BE_TAP, 0);
}

static void backend_raw(void)
{
	backend_type(BE_RAW, RIG_NET_HDR);
}

static void backend_macvtap(void)
{
	backend_type(BE_MACVTAP, 0);
}

/* fd -1 detaches; the ring keeps its place and restarts where it was. */
static void backend_unbind(void)
{
	struct rig r;
	struct vhost_vring_state s = { .index = TX };

	rig_quick(&r, F_MODERN);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	OK(vdev_backend(&r.d, TX, -1));
	OK(vdev_backend(&r.d, TX, -1));
	OK(ioctl(r.d.fd, VHOST_GET_VRING_BASE, &s));
	CHECKF(s.num == 1, "GET_VRING_BASE after one frame: %u", s.num);
	tx_send(&r, FRAME_RAW, 60, 2, L_DIRECT);
	CHECKF(!vq_wait_used(&r.d.vq[TX], 1, QUIET_MS),
	       "TX consumed a buffer with no backend");
	OK(vdev_backend(&r.d, TX, r.backend));
	vq_kick(&r.d.vq[TX]);
	tx_expect(&r, FRAME_RAW, 60, 2);
	tx_reap(&r, 1);
}

static void running_changes(void)
{
	struct rig r;
	struct vhost_vring_state s = { .index = TX, .num = 128 };
	struct vhost_vring_addr a;
	u64 f = F_MODERN;

	rig_quick(&r, F_MODERN);
	ERR(ioctl(r.d.fd, VHOST_SET_VRING_NUM, &s), EBUSY);
	s.num = 5;
	ERR(ioctl(r.d.fd, VHOST_SET_VRING_BASE, &s), EBUSY);
	a = good_addr(&r.d, TX);
	a.avail_user_addr = KERNEL_ADDR;
	ERR(ioctl(r.d.fd, VHOST_SET_VRING_ADDR, &a), EINVAL);
	a = good_addr(&r.d, TX);
	OK(ioctl(r.d.fd, VHOST_SET_VRING_ADDR, &a));
	OK(ioctl(r.d.fd, VHOST_SET_FEATURES, &f));
	vdev_map_all(&r.d);
	tx_roundtrip(&r, 1514, 1, L_DIRECT);
	rx_roundtrip(&r, 1514, 2, L_DIRECT);
}

static void busyloop(void)
{
	struct vhost_vring_state s = { .index = RX, .num = 50 };
	int fd = owned();

	OK(ioctl(fd, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, &s));
	s.num = 0;
	OK(ioctl(fd, VHOST_GET_VRING_BUSYLOOP_TIMEOUT, &s));
	CHECKF(s.index == RX && s.num == 50, "GET_VRING_BUSYLOOP_TIMEOUT: %u", s.num);
}

/*
 * Both offer VHOST_BACKEND_F_IOTLB_MSG_V2 with ACCESS_PLATFORM, and no
 * IOTLB batching or address spaces. What is offered can be set, and
 * nothing else.
 */
static void backend_features(void)
{
	u64 f, want = BF_UPSTREAM, b, zero = 0;
	int fd = owned(), i;

	OK(ioctl(fd, VHOST_GET_BACKEND_FEATURES, &f));
	CHECKF(f == want, "GET_BACKEND_FEATURES %#llx, expected %#llx",
	       (unsigned long long)f, (unsigned long long)want);
	OK(ioctl(fd, VHOST_SET_BACKEND_FEATURES, &f));
	OK(ioctl(fd, VHOST_SET_BACKEND_FEATURES, &zero));
	for (i = 0; i < 64; i++) {
		b = BIT(i);
		if (!(want & b))
			ERR(ioctl(fd, VHOST_SET_BACKEND_FEATURES, &b), EOPNOTSUPP);
	}
}

/*
 * Upstream has VHOST_{SET,GET}_VRING_ENDIAN only with
 * CONFIG_VHOST_CROSS_ENDIAN_LEGACY: either both are ENOTTY, or the ring is
 * little-endian and bad values are refused. Ours always has them.
 */
static void vring_endian(void)
{
	struct vhost_vring_state s = { .index = 0 };
	int fd = owned();

	if (ioctl(fd, VHOST_GET_VRING_ENDIAN, &s) < 0) {
		CHECKF(!target_is_ours(), "GET_VRING_ENDIAN: %s", errname(errno));
		CHECKF(errno == ENOTTY, "GET_VRING_ENDIAN: %s", errname(errno));
		s.num = VHOST_VRING_LITTLE_ENDIAN;
		ERR(ioctl(fd, VHOST_SET_VRING_ENDIAN, &s), ENOTTY);
		return;
	}
	CHECKF(s.num == VHOST_VRING_LITTLE_ENDIAN, "ring endian %u", s.num);
	s.num = 7;
	ERR(ioctl(fd, VHOST_SET_VRING_ENDIAN, &s), EINVAL);
}

/* Upstream checks the owner before it looks at the request: EPERM first. */
static void unknown_ioctl(void)
{
	u64 arg[8] = { 0 };
	int fd = vhost_open();

	ERR(ioctl(fd, _IOW(VHOST_VIRTIO, 0x7f, u64), arg), EPERM);
	ERR(ioctl(fd, _IO(0x42, 0x01), arg), EPERM);
	OK(ioctl(fd, VHOST_SET_OWNER));
	ERR(ioctl(fd, _IOW(VHOST_VIRTIO, 0x7f, u64), arg), ENOTTY);
	ERR(ioctl(fd, _IO(0x42, 0x01), arg), ENOTTY);
}

/*
 * Ours on a kernel without vhost_task (6.1, Documentation/compat.rst):
 * kthreads only, so TASK is refused and KTHREAD is what GET reports.
 */
static void fork_from_owner_kthread_only(void)
{
	u8 v = VHOST_FORK_OWNER_TASK;
	struct rig r;
	int fd = vhost_open();

	ERR(ioctl(fd, VHOST_SET_FORK_FROM_OWNER, &v), EOPNOTSUPP);
	v = 2;
	ERR(ioctl(fd, VHOST_SET_FORK_FROM_OWNER, &v), EINVAL);
	OK(ioctl(fd, VHOST_GET_FORK_FROM_OWNER, &v));
	CHECKF(v == VHOST_FORK_OWNER_KTHREAD, "GET_FORK_FROM_OWNER %u", v);
	OK(ioctl(fd, VHOST_SET_FORK_FROM_OWNER, &v));
	OK(ioctl(fd, VHOST_SET_OWNER));
	ERR(ioctl(fd, VHOST_SET_FORK_FROM_OWNER, &v), EBUSY);
	close(fd);
	rig_quick(&r, F_MODERN);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
}

/*
 * Upstream has VHOST_SET_FORK_FROM_OWNER only with
 * CONFIG_VHOST_ENABLE_FORK_OWNER_CONTROL. Without it the request is
 * unknown: EPERM before SET_OWNER, ENOTTY after. With it (and always in
 * ours): 0 and 1 are taken before SET_OWNER, 2 is EINVAL, and after
 * SET_OWNER it is EBUSY. Either way the device works as before.
 */
static void fork_from_owner(void)
{
	/*
	 * The byte at the start of a zeroed word: without the option,
	 * upstream takes the request for a vring ioctl and reads a u32 ring
	 * index from it (ENOBUFS past ring 1), so the bytes after it must
	 * not be whatever the stack held.
	 */
	u32 word = 1;
	u8 *v = (u8 *)&word;
	struct rig r;
	int fd;

	if (target_is_ours() && !kernel_at_least(6, 11)) {
		fork_from_owner_kthread_only();
		return;
	}
	fd = vhost_open();

	if (ioctl(fd, VHOST_SET_FORK_FROM_OWNER, v) < 0) {
		CHECKF(!target_is_ours(), "SET_FORK_FROM_OWNER: %s", errname(errno));
		CHECKF(errno == EPERM, "SET_FORK_FROM_OWNER: %s", errname(errno));
		OK(ioctl(fd, VHOST_SET_OWNER));
		ERR(ioctl(fd, VHOST_SET_FORK_FROM_OWNER, v), ENOTTY);
		diag("VHOST_SET_FORK_FROM_OWNER: not supported");
	} else {
		*v = 2;
		ERR(ioctl(fd, VHOST_SET_FORK_FROM_OWNER, v), EINVAL);
		OK(ioctl(fd, VHOST_GET_FORK_FROM_OWNER, v));
		CHECKF(*v == 1, "GET_FORK_FROM_OWNER %u", *v);
		OK(ioctl(fd, VHOST_SET_OWNER));
		ERR(ioctl(fd, VHOST_SET_FORK_FROM_OWNER, v), EBUSY);
		diag("VHOST_SET_FORK_FROM_OWNER: supported");
	}
	close(fd);
	rig_quick(&r, F_MODERN);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
}

static void log_fd(void)
{
	int fd = owned(), p[2], e = OK(eventfd(0, 0)), bad;
	u64 base = 0;

	OK(pipe(p));
	OK(ioctl(fd, VHOST_SET_LOG_BASE, &base));
	OK(ioctl(fd, VHOST_SET_LOG_FD, &e));
	e = -1;
	OK(ioctl(fd, VHOST_SET_LOG_FD, &e));
	ERR(ioctl(fd, VHOST_SET_LOG_FD, &p[0]), EINVAL);
	bad = closed_fd();
	ERR(ioctl(fd, VHOST_SET_LOG_FD, &bad), EBADF);
}

/*
 * The worker ioctls (deliberate difference 3). Upstream 6.12's vhost_net
 * does not handle them: before SET_OWNER they fail like any request
 * (EPERM), after it they are unknown (ENOTTY; the ring index they carry
 * is read first, so it must be a valid one). Ours implements them the way
 * upstream's vhost core does for vhost-scsi: EINVAL before SET_OWNER.
 */
static int new_worker(int fd)
{
	struct vhost_worker_state w = { .worker_id = ~0u };

	OK(ioctl(fd, VHOST_NEW_WORKER, &w));
	CHECKF(w.worker_id != ~0u, "NEW_WORKER did not give an id");
	return w.worker_id;
}

static u32 vring_worker(int fd, int idx)
{
	struct vhost_vring_worker vw = { .index = idx, .worker_id = ~0u };

	OK(ioctl(fd, VHOST_GET_VRING_WORKER, &vw));
	CHECKF(vw.index == (u32)idx && vw.worker_id != ~0u,
	       "GET_VRING_WORKER %d: index %u, worker %u", idx, vw.index,
	       vw.worker_id);
	return vw.worker_id;
}

static int attach_worker(int fd, int idx, u32 id)
{
	struct vhost_vring_worker vw = { .index = idx, .worker_id = id };

	return ioctl(fd, VHOST_ATTACH_VRING_WORKER, &vw);
}

static int free_worker(int fd, u32 id)
{
	struct vhost_worker_state w = { .worker_id = id };

	return ioctl(fd, VHOST_FREE_WORKER, &w);
}

static void worker_before_owner(void)
{
	struct vhost_vring_worker vw = { .index = 0 };
	struct vhost_worker_state w = { 0 };
	int fd = vhost_open(), e = BY_TARGET(EPERM, EINVAL);

	ERR(ioctl(fd, VHOST_NEW_WORKER, &w), e);
	ERR(ioctl(fd, VHOST_FREE_WORKER, &w), e);
	ERR(ioctl(fd, VHOST_ATTACH_VRING_WORKER, &vw), e);
	ERR(ioctl(fd, VHOST_GET_VRING_WORKER, &vw), e);
	OK(ioctl(fd, VHOST_SET_OWNER));
}

/* A second worker takes over TX, moves traffic, and is freed again. */
static void worker_new_attach_free(void)
{
	struct vhost_vring_worker vw = { .index = TX };
	struct vhost_worker_state w = { 0 };
	u32 first, second;
	struct rig r;

	rig_quick(&r, F_MRG);
	if (!target_is_ours()) {
		ERR(ioctl(r.d.fd, VHOST_NEW_WORKER, &w), ENOTTY);
		ERR(ioctl(r.d.fd, VHOST_FREE_WORKER, &w), ENOTTY);
		ERR(ioctl(r.d.fd, VHOST_ATTACH_VRING_WORKER, &vw), ENOTTY);
		ERR(ioctl(r.d.fd, VHOST_GET_VRING_WORKER, &vw), ENOTTY);
		tx_roundtrip(&r, 1514, 1, L_CHAINED);
		rx_roundtrip(&r, 1514, 2, L_CHAINED);
		return;
	}
	first = vring_worker(r.d.fd, TX);
	CHECKF(vring_worker(r.d.fd, RX) == first,
	       "RX and TX start on different workers");
	second = new_worker(r.d.fd);
	CHECKF(second != first, "NEW_WORKER gave the owner's worker id %u",
	       first);
	OK(attach_worker(r.d.fd, TX, second));
	CHECKF(vring_worker(r.d.fd, TX) == second, "TX did not move");
	CHECKF(vring_worker(r.d.fd, RX) == first, "RX moved too");
	tx_roundtrip(&r, 1514, 1, L_CHAINED);
	rx_roundtrip(&r, 1514, 2, L_CHAINED);
	ERR(free_worker(r.d.fd, second), EBUSY);	/* TX uses it */
	ERR(attach_worker(r.d.fd, TX, second + 1000), ENODEV);
	ERR(attach_worker(r.d.fd, 2, first), ENOBUFS);
	OK(attach_worker(r.d.fd, TX, first));
	OK(free_worker(r.d.fd, second));
	ERR(free_worker(r.d.fd, second), ENODEV);
	ERR(attach_worker(r.d.fd, TX, second), ENODEV);
	ERR(free_worker(r.d.fd, first), EBUSY);
	tx_roundtrip(&r, 1514, 3, L_INDIRECT);
	rx_roundtrip(&r, 1514, 4, L_INDIRECT);
}

/*
 * Workers as kthreads (VHOST_FORK_OWNER_KTHREAD, where the device has the
 * fork-owner ioctls): traffic still moves. Ours refuses NEW_WORKER there
 * (EFAULT: a kthread is not counted against the owner's process limit);
 * upstream has no NEW_WORKER at all.
 */
static void worker_kthread_mode(void)
{
	struct rig_opts o = { .features = F_MRG, .flags = RIG_KTHREAD };
	struct vhost_worker_state w = { 0 };
	struct rig r;

	rig_up(&r, &o);
	if (!r.kthread) {
		CHECKF(!target_is_ours(), "SET_FORK_FROM_OWNER(KTHREAD) refused");
		diag("VHOST_SET_FORK_FROM_OWNER: not supported, task mode only");
	}
	/* Ours without vhost_task (6.1) makes kthread workers: compat.rst. */
	EXPECT(ioctl(r.d.fd, VHOST_NEW_WORKER, &w),
	       BY_TARGET(ENOTTY, kernel_at_least(6, 11) ? EFAULT : 0));
	if (target_is_ours())
		CHECKF(vring_worker(r.d.fd, TX) == vring_worker(r.d.fd, RX),
		       "RX and TX start on different workers");
	tx_roundtrip(&r, 1514, 1, L_CHAINED);
	rx_roundtrip(&r, 1514, 2, L_CHAINED);
}

const struct vcase abi_cases[] = {
	{ "abi.open", open_close },
	{ "abi.features.offered_exactly", features_offered },
	{ "abi.features.unknown_bits_eopnotsupp", features_unknown },
	{ "abi.features.set_offered", features_set_offered },
	{ "abi.features.allowed_before_owner", features_before_owner },
	{ "abi.features_array.get", features_array_get },
	{ "abi.features_array.set", features_array_set },
	{ "abi.owner.second_set_owner_ebusy", set_owner_twice },
	{ "abi.owner.reset_without_owner_eperm", reset_owner_unowned },
	{ "abi.no_owner.mem_table_eperm", unowned_mem_table },
	{ "abi.no_owner.vring_ioctls_eperm", unowned_vring },
	{ "abi.no_owner.set_backend_eperm", unowned_backend },
	{ "abi.no_owner.log_eperm", unowned_log },
	{ "abi.fork.child_ioctls_eperm", fork_child_eperm },
	{ "abi.fork.child_can_become_owner", fork_child_owner },
	{ "abi.mem_table.limit_default", mem_limit_default },
	{ "abi.mem_table.limit_regions", mem_limit_regions },
	{ "abi.mem_table.limit_plus_one_e2big", mem_limit_plus_one },
	{ "abi.mem_table.huge_nregions_e2big", mem_huge_nregions },
	{ "abi.mem_table.padding_eopnotsupp", mem_padding },
	{ "abi.mem_table.zero_size_efault", mem_zero_size },
	{ "abi.mem_table.wrapping_efault", mem_wraps },
	{ "abi.mem_table.bad_pointer_efault", mem_bad_pointer },
	{ "abi.mem_table.empty", mem_empty },
	{ "abi.mem_table.overlap", mem_overlap },
	{ "abi.mem_table.unaligned_accepted", mem_unaligned },
	{ "abi.mem_table.kernel_hva_efault", mem_kernel_hva },
	{ "abi.mem_table.huge_region_efault", mem_huge_region },
	{ "abi.ring_num.0_einval", num_zero },
	{ "abi.ring_num.not_power_of_2_einval", num_not_pow2 },
	{ "abi.ring_num.32768_works", num_32768 },
	{ "abi.ring_num.65536_einval", num_65536 },
	{ "abi.vring.bad_index_enobufs", bad_index },
	{ "abi.vring.base_range", vring_base },
	{ "abi.vring_addr.unknown_flags_eopnotsupp", addr_flags },
	{ "abi.vring_addr.misaligned_avail_einval", addr_avail_misaligned },
	{ "abi.vring_addr.misaligned_used_einval", addr_used_misaligned },
	{ "abi.vring_addr.misaligned_log_einval", addr_log_misaligned },
	{ "abi.vring_addr.unaligned_desc_accepted", addr_desc_unaligned },
	{ "abi.vring_addr.kernel_address_efault_at_backend", addr_kernel },
	{ "abi.eventfd.unbind_minus_1", eventfd_unbind },
	{ "abi.eventfd.bad_fd_ebadf", eventfd_bad },
	{ "abi.eventfd.closed_fd_ebadf", eventfd_closed },
	{ "abi.eventfd.not_eventfd_einval", eventfd_not_eventfd },
	{ "abi.backend.bad_fd_enotsock", backend_bad_fd },
	{ "abi.backend.closed_fd_enotsock", backend_closed_fd },
	{ "abi.backend.not_socket_enotsock", backend_not_socket },
	{ "abi.backend.wrong_socket_enotsock", backend_wrong_socket },
	{ "abi.backend.unattached_tun_einval", backend_unattached_tun },
	{ "abi.backend.no_mem_table_efault", backend_no_mem_table },
	{ "abi.backend.no_ring_addresses_efault", backend_no_rings },
	{ "abi.backend.tap", backend_tap },
	{ "abi.backend.raw_packet_socket", backend_raw },
	{ "abi.backend.macvtap", backend_macvtap },
	{ "abi.backend.unbind_minus_1_and_rebind", backend_unbind },
	{ "abi.running.changes_while_backend_runs", running_changes },
	{ "abi.busyloop_timeout.roundtrip", busyloop },
	{ "abi.backend_features", backend_features },
	{ "abi.vring_endian", vring_endian },
	{ "abi.unknown_ioctl.eperm_then_enotty", unknown_ioctl },
	{ "abi.fork_from_owner.consistent", fork_from_owner },
	{ "abi.log.base_and_fd", log_fd },
	{ "abi.worker.before_owner", worker_before_owner },
	{ "abi.worker.new_attach_free", worker_new_attach_free },
	{ "abi.worker.kthread_mode", worker_kthread_mode },
	{ NULL }
};
