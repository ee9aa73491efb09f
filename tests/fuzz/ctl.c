// SPDX-License-Identifier: GPL-2.0
/*
 * The control operations: every ioctl of linux/vhost.h, and read, write
 * and poll on the device, each with valid, boundary and garbage
 * arguments. An operation returns 0 or the errno of its main call.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vhost.h>

#include "fuzz.h"
#include "harness.h"

#define EDGE_END(t)	((t)->it->edge + 4096)

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

/*
 * Where the argument goes: mostly the caller's buffer; else no memory,
 * inaccessible memory, kernel memory, or a copy whose end runs into an
 * inaccessible page.
 */
static void *argp(struct thr *t, void *buf, size_t len)
{
	u32 r = rnd(t, 100);
	size_t k;

	if (r < 88)
		return buf;
	if (r < 91) {
		detail(t, "arg=NULL");
		return NULL;
	}
	if (r < 94) {
		detail(t, "arg=unmapped");
		return EDGE_END(t);
	}
	if (r < 97 && len > 1) {
		k = 1 + rnd(t, len - 1);
		memcpy(EDGE_END(t) - k, buf, k);
		detail(t, "arg=cut@%zu", k);
		return EDGE_END(t) - k;
	}
	detail(t, "arg=kernel");
	return (void *)KERNEL_ADDR;
}

int op_open(struct thr *t)
{
	int d = rnd(t, NDEV), k, fd, none = -1;

	for (k = 0; k < NDEV; k++, d = (d + 1) % NDEV) {
		if (dev_fd(t, d) >= 0)
			continue;
		fd = open("/dev/vhost-net", O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			return errno;
		if (!__atomic_compare_exchange_n(&t->it->dev[d].fd, &none, fd,
						 false, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST)) {
			close(fd);
			return -1;
		}
		memset(t->it->dev[d].num, 0, sizeof(t->it->dev[d].num));
		detail(t, "dev=%d fd=%d", d, fd);
		return 0;
	}
	return -1;
}

int op_close(struct thr *t)
{
	int d = pick_dev(t), fd;

	if (d < 0)
		return -1;
	fd = __atomic_exchange_n(&t->it->dev[d].fd, -1, __ATOMIC_SEQ_CST);
	if (fd < 0)
		return -1;
	detail(t, "dev=%d fd=%d", d, fd);
	return close(fd) ? errno : 0;
}

int op_set_owner(struct thr *t)
{
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	return xioctl(fd, VHOST_SET_OWNER, NULL);
}

int op_reset_owner(struct thr *t)
{
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	return xioctl(fd, VHOST_RESET_OWNER, NULL);
}

int op_get_features(struct thr *t)
{
	u64 f = 0;
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	return xioctl(fd, VHOST_GET_FEATURES, argp(t, &f, sizeof(f)));
}

static u64 offered(int fd)
{
	u64 f = 0;

	ioctl(fd, VHOST_GET_FEATURES, &f);
	return f;
}

static u64 some_features(struct thr *t, u64 off)
{
	switch (rnd(t, 7)) {
	case 0:
		return rnd64(t);
	case 1:
		return off;
	case 2:
		return 0;
	case 3:
		return off | 1ULL << rnd(t, 64);
	case 4:
		return ~0ULL;
	default:
		return off & rnd64(t);
	}
}

int op_set_features(struct thr *t)
{
	int d, fd;
	u64 f;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	f = some_features(t, offered(fd));
	detail(t, "features=%#llx", (unsigned long long)f);
	return xioctl(fd, VHOST_SET_FEATURES, argp(t, &f, sizeof(f)));
}

/* The array lies at the end of the edge page: words past k are unreadable. */
int op_features_array(struct thr *t)
{
	static const u64 counts[] = { 0, 1, 2, 3, 4, 1ULL << 32, ~0ULL,
				      0x10000000, 0x7fffffffffffffffULL };
	struct vhost_features_array *fa;
	u32 k = rnd(t, 4), i;
	bool get = chance(t, 50);
	u64 count, off;
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	off = offered(fd);
	fa = (void *)(EDGE_END(t) - 8 - 8 * k);
	count = chance(t, 70) ? counts[rnd(t, 9)] : rnd64(t);
	fa->count = count;
	for (i = 0; i < k; i++)
		fa->features[i] = i ? (chance(t, 80) ? 0 : rnd64(t))
				    : some_features(t, off);
	detail(t, "%s count=%#llx words=%u", get ? "get" : "set",
	       (unsigned long long)count, k);
	if (chance(t, 5))
		fa = chance(t, 50) ? NULL : (void *)KERNEL_ADDR;
	return xioctl(fd, get ? VHOST_GET_FEATURES_ARRAY : VHOST_SET_FEATURES_ARRAY,
		      fa);
}

static void region(struct thr *t, struct vhost_memory_region *r)
{
	struct iter *it = t->it;
	u32 k = rnd(t, 100);
	u64 off;

	r->flags_padding = chance(t, 97) ? 0 : rnd64(t);
	r->guest_phys_addr = GPA_MAIN;
	r->memory_size = MAIN_SIZE;
	r->userspace_addr = (uintptr_t)it->main;
	if (k < 30)
		return;
	if (k < 40) {
		r->guest_phys_addr = GPA_VICTIM;
		r->memory_size = VICTIM_SIZE;
		r->userspace_addr = (uintptr_t)it->victim;
	} else if (k < 50) {
		off = rnd(t, MAIN_SIZE / 4096) * 4096ULL;
		r->guest_phys_addr += off;
		r->userspace_addr += off;
		r->memory_size = 4096 + rnd(t, (MAIN_SIZE - off) / 4096) * 4096ULL;
	} else if (k < 58) {
		r->guest_phys_addr += 4096ULL * rnd(t, 16);
		r->memory_size = MAIN_SIZE / 2;
	} else if (k < 63) {
		if (chance(t, 50)) {
			r->guest_phys_addr = ~0ULL - rnd(t, 1 << 20);
			r->memory_size = 1 << 21;
		} else {
			r->userspace_addr = 0xfffffffffffff000ULL;
			r->memory_size = 0x2000;
		}
	} else if (k < 67) {
		r->memory_size = 0;
	} else if (k < 71) {
		r->userspace_addr = (uintptr_t)(it->edge + 4096);
		r->memory_size = 1 << 20;
	} else if (k < 74) {
		r->userspace_addr = KERNEL_ADDR;
	} else if (k < 77) {
		r->userspace_addr = 0x7ffffffff000ULL;
		r->memory_size = chance(t, 50) ? 1 << 20 : 1ULL << 40;
	} else if (k < 80) {
		r->guest_phys_addr += 1;
		r->memory_size = 4097;
		r->userspace_addr += 3;
	} else if (k < 84) {
		r->memory_size = 1ULL << 40;
	} else if (k < 88) {
		r->memory_size = 64ULL << 20;
	} else if (k < 92) {
		r->userspace_addr = 0x10000;
	} else {
		r->guest_phys_addr = rnd64(t) | 1ULL << 50;
		r->memory_size = rnd64(t) >> rnd(t, 64);
		r->userspace_addr = rnd64(t) | 1ULL << 63;
	}
}

int op_mem_table(struct thr *t)
{
	static const u32 huge[] = { 0xffffffff, 0x80000001, 65536, 1000 };
	static const u32 edge[] = { 0, 1, 2, 64, 65 };
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r[72];
	} buf;
	u32 n, i, fill;
	int d, fd;
	void *p = &buf;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	if (chance(t, 5))
		n = huge[rnd(t, 4)];
	else if (chance(t, 30))
		n = edge[rnd(t, 5)];
	else
		n = chance(t, 60) ? 1 + rnd(t, 3) : rnd(t, 71);
	fill = n < 72 ? n : 2;
	memset(&buf, 0, sizeof(buf));
	buf.m.nregions = n;
	buf.m.padding = chance(t, 97) ? 0 : rnd(t, 1000);
	for (i = 0; i < fill; i++)
		region(t, &buf.r[i]);
	detail(t, "nregions=%u first=%#llx+%#llx@%#llx", n,
	       (unsigned long long)buf.r[0].guest_phys_addr,
	       (unsigned long long)buf.r[0].memory_size,
	       (unsigned long long)buf.r[0].userspace_addr);
	if (chance(t, 5)) {
		/* Regions past the first few cross into the unmapped page. */
		size_t len = sizeof(buf.m) + fill * sizeof(buf.r[0]);
		size_t k = len / 2 + 1;

		if (k > 4000)
			k = 4000;
		memcpy(EDGE_END(t) - k, &buf, k);
		p = EDGE_END(t) - k;
		detail(t, "cut@%zu", k);
	} else {
		p = argp(t, &buf, sizeof(buf.m));
	}
	return xioctl(fd, VHOST_SET_MEM_TABLE, p);
}

int op_log_base(struct thr *t)
{
	int d, fd;
	u64 base;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	base = (uintptr_t)pick_uaddr(t, chance(t, 90) ? t->it->log : t->it->main, 8);
	detail(t, "base=%#llx", (unsigned long long)base);
	return xioctl(fd, VHOST_SET_LOG_BASE, argp(t, &base, sizeof(base)));
}

int op_log_fd(struct thr *t)
{
	int d, fd, efd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	efd = pick_fd(t);
	detail(t, "fd=%d(%s)", efd, fd_kind(t->it, efd));
	return xioctl(fd, VHOST_SET_LOG_FD, argp(t, &efd, sizeof(efd)));
}

static u32 pick_worker(struct thr *t)
{
	struct iter *it = t->it;
	u32 r = rnd(t, 100), n = __atomic_load_n(&it->nworker, __ATOMIC_RELAXED);

	if (r < 60 && n)
		return it->worker[rnd(t, n < NWORKER ? n : NWORKER)];
	if (r < 75)
		return 0;
	if (r < 85)
		return 1 + rnd(t, 4);
	if (r < 90)
		return 0xffffffff;
	return (u32)rnd64(t);
}

int op_new_worker(struct thr *t)
{
	struct vhost_worker_state st = { .worker_id = (u32)rnd64(t) };
	struct iter *it = t->it;
	int d, fd, r, n;
	void *p;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	p = argp(t, &st, sizeof(st));
	r = xioctl(fd, VHOST_NEW_WORKER, p);
	if (!r && p == &st) {
		n = __atomic_fetch_add(&it->nworker, 1, __ATOMIC_RELAXED);
		it->worker[n % NWORKER] = st.worker_id;
		detail(t, "id=%u", st.worker_id);
	}
	return r;
}

int op_free_worker(struct thr *t)
{
	struct vhost_worker_state st = { .worker_id = pick_worker(t) };
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	detail(t, "id=%u", st.worker_id);
	return xioctl(fd, VHOST_FREE_WORKER, argp(t, &st, sizeof(st)));
}

int op_attach_worker(struct thr *t)
{
	struct vhost_vring_worker w = {
		.index = pick_index(t),
		.worker_id = pick_worker(t),
	};
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	detail(t, "index=%u id=%u", w.index, w.worker_id);
	return xioctl(fd, VHOST_ATTACH_VRING_WORKER, argp(t, &w, sizeof(w)));
}

int op_get_worker(struct thr *t)
{
	struct vhost_vring_worker w = { .index = pick_index(t) };
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	detail(t, "index=%u", w.index);
	return xioctl(fd, VHOST_GET_VRING_WORKER, argp(t, &w, sizeof(w)));
}

int op_vring_num(struct thr *t)
{
	static const u32 nums[] = { 0, 1, 2, 3, 7, 128, 255, 256, 1024,
				    32768, 32769, 65535, 65536, 0xffffffff };
	struct vhost_vring_state s = { .index = pick_index(t) };
	int d, fd, r;
	void *p;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	s.num = chance(t, 40) ? 1u << rnd(t, 9) :
		chance(t, 90) ? nums[rnd(t, 14)] : (u32)rnd64(t);
	detail(t, "index=%u num=%u", s.index, s.num);
	p = argp(t, &s, sizeof(s));
	r = xioctl(fd, VHOST_SET_VRING_NUM, p);
	if (!r && p == &s && s.index < 2)
		t->it->dev[d].num[s.index] = s.num;
	return r;
}

int op_vring_addr(struct thr *t)
{
	struct vhost_vring_addr a = { .index = pick_index(t) };
	struct iter *it = t->it;
	int d, fd, q;
	u8 *base;
	u32 r;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	q = a.index < 2 ? a.index : rnd(t, 2);
	base = ring_base(it, d, q);
	a.desc_user_addr = (uintptr_t)pick_uaddr(t, base, 16);
	a.avail_user_addr = (uintptr_t)pick_uaddr(t, base + (16 << 10), 2);
	a.used_user_addr = (uintptr_t)pick_uaddr(t, base + (24 << 10), 4);
	r = rnd(t, 100);
	a.flags = r < 80 ? 0 : r < 92 ? 1 << VHOST_VRING_F_LOG : (u32)rnd64(t);
	r = rnd(t, 100);
	a.log_guest_addr = GPA_MAIN + (base + (24 << 10) - it->main);
	if (r >= 70)
		a.log_guest_addr = r < 80 ? 0 : r < 90 ? a.log_guest_addr + 1 :
				   rnd64(t) | 1ULL << 52;
	detail(t, "index=%u flags=%#x desc=%#llx avail=%#llx used=%#llx log=%#llx",
	       a.index, a.flags, (unsigned long long)a.desc_user_addr,
	       (unsigned long long)a.avail_user_addr,
	       (unsigned long long)a.used_user_addr,
	       (unsigned long long)a.log_guest_addr);
	return xioctl(fd, VHOST_SET_VRING_ADDR, argp(t, &a, sizeof(a)));
}

int op_vring_base(struct thr *t)
{
	static const u32 nums[] = { 0, 1, 0xffff, 0x10000, 0x8000, 0xffffffff };
	struct vhost_vring_state s = { .index = pick_index(t) };
	bool get = chance(t, 40);
	int d, fd, r;
	void *p;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	s.num = chance(t, 50) ? 0 : chance(t, 70) ? nums[rnd(t, 6)] : (u32)rnd64(t);
	detail(t, "%s index=%u num=%u", get ? "get" : "set", s.index, s.num);
	p = argp(t, &s, sizeof(s));
	r = xioctl(fd, get ? VHOST_GET_VRING_BASE : VHOST_SET_VRING_BASE, p);
	if (!r && !get && p == &s && s.index < 2)
		t->it->dev[d].avail[s.index] = s.num;
	return r;
}

int op_vring_endian(struct thr *t)
{
	struct vhost_vring_state s = { .index = pick_index(t) };
	bool get = chance(t, 40);
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	s.num = chance(t, 85) ? rnd(t, 3) : (u32)rnd64(t);
	detail(t, "%s index=%u num=%u", get ? "get" : "set", s.index, s.num);
	return xioctl(fd, get ? VHOST_GET_VRING_ENDIAN : VHOST_SET_VRING_ENDIAN,
		      argp(t, &s, sizeof(s)));
}

static int vring_file(struct thr *t, unsigned long cmd, bool is_kick)
{
	struct vhost_vring_file f = { .index = pick_index(t) };
	int d, fd, r;
	void *p;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	f.fd = pick_fd(t);
	detail(t, "index=%u fd=%d(%s)", f.index, f.fd, fd_kind(t->it, f.fd));
	p = argp(t, &f, sizeof(f));
	r = xioctl(fd, cmd, p);
	if (!r && is_kick && p == &f && f.index < 2)
		t->it->dev[d].kick[f.index] = f.fd;
	return r;
}

int op_vring_kick(struct thr *t)
{
	return vring_file(t, VHOST_SET_VRING_KICK, true);
}

int op_vring_call(struct thr *t)
{
	return vring_file(t, VHOST_SET_VRING_CALL, false);
}

int op_vring_err(struct thr *t)
{
	return vring_file(t, VHOST_SET_VRING_ERR, false);
}

int op_busyloop(struct thr *t)
{
	struct vhost_vring_state s = { .index = pick_index(t) };
	bool get = chance(t, 30);
	u32 r = rnd(t, 100);
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	s.num = r < 40 ? 0 : r < 80 ? 1 + rnd(t, 100) : r < 98 ?
		1000 + rnd(t, 50000) : 0xffffffff;
	detail(t, "%s index=%u num=%u", get ? "get" : "set", s.index, s.num);
	return xioctl(fd, get ? VHOST_GET_VRING_BUSYLOOP_TIMEOUT :
			  VHOST_SET_VRING_BUSYLOOP_TIMEOUT, argp(t, &s, sizeof(s)));
}

int op_backend_features(struct thr *t)
{
	static const u64 vals[] = { 0, 1, 2, 3, 0x1ff, ~0ULL };
	bool get = chance(t, 40);
	u64 f = chance(t, 80) ? vals[rnd(t, 6)] : rnd64(t);
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	detail(t, "%s %#llx", get ? "get" : "set", (unsigned long long)f);
	return xioctl(fd, get ? VHOST_GET_BACKEND_FEATURES :
			  VHOST_SET_BACKEND_FEATURES, argp(t, &f, sizeof(f)));
}

int op_fork_owner(struct thr *t)
{
	static const u8 modes[] = { 0, 1, 2, 255 };
	bool get = chance(t, 40);
	u8 m = modes[rnd(t, 4)];
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	detail(t, "%s %u", get ? "get" : "set", m);
	return xioctl(fd, get ? VHOST_GET_FORK_FROM_OWNER : VHOST_SET_FORK_FROM_OWNER,
		      argp(t, &m, sizeof(m)));
}

int op_set_backend(struct thr *t)
{
	struct vhost_vring_file f = { .index = pick_index(t) };
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	f.fd = pick_backend(t);
	detail(t, "index=%u fd=%d(%s)", f.index, f.fd, fd_kind(t->it, f.fd));
	return xioctl(fd, VHOST_NET_SET_BACKEND, argp(t, &f, sizeof(f)));
}

/* The other vhost devices' ioctls, and unknown numbers. */
int op_foreign_ioctl(struct thr *t)
{
	static const unsigned long cmds[] = {
		VHOST_SCSI_SET_ENDPOINT, VHOST_SCSI_CLEAR_ENDPOINT,
		VHOST_SCSI_GET_ABI_VERSION, VHOST_SCSI_SET_EVENTS_MISSED,
		VHOST_SCSI_GET_EVENTS_MISSED, VHOST_VSOCK_SET_GUEST_CID,
		VHOST_VSOCK_SET_RUNNING, VHOST_VDPA_GET_DEVICE_ID,
		VHOST_VDPA_GET_STATUS, VHOST_VDPA_SET_STATUS,
		VHOST_VDPA_GET_CONFIG, VHOST_VDPA_SET_CONFIG,
		VHOST_VDPA_SET_VRING_ENABLE, VHOST_VDPA_GET_VRING_NUM,
		VHOST_VDPA_SET_CONFIG_CALL, VHOST_VDPA_GET_IOVA_RANGE,
		VHOST_VDPA_GET_CONFIG_SIZE, VHOST_VDPA_GET_AS_NUM,
		VHOST_VDPA_GET_VRING_GROUP, VHOST_VDPA_SET_GROUP_ASID,
		VHOST_VDPA_SUSPEND, VHOST_VDPA_RESUME,
		VHOST_VDPA_GET_VRING_DESC_GROUP, VHOST_VDPA_GET_VQS_COUNT,
		VHOST_VDPA_GET_GROUP_NUM, VHOST_VDPA_GET_VRING_SIZE,
	};
	const unsigned int ncmds = ARRAY_SIZE(cmds);
	u64 buf[64];
	unsigned long cmd;
	unsigned int i;
	u32 r = rnd(t, 100);
	int d, fd;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	for (i = 0; i < 64; i++)
		buf[i] = chance(t, 50) ? rnd(t, 4) : rnd64(t);
	if (r < 60)
		cmd = cmds[rnd(t, ncmds)];
	else if (r < 95)
		cmd = _IOC(rnd(t, 4), VHOST_VIRTIO, rnd(t, 256), rnd(t, 512));
	else
		cmd = (u32)rnd64(t);
	detail(t, "cmd=%#lx", cmd);
	return xioctl(fd, cmd, argp(t, buf, sizeof(buf)));
}

/* Random IOTLB messages, well formed or not. */
int op_write(struct thr *t)
{
	static const size_t lens[] = { 0, 1, 47, 48, 67, 68, 72, 4096 };
	union {
		struct vhost_msg v1;
		struct vhost_msg_v2 v2;
		u8 raw[4096];
	} m;
	struct vhost_iotlb_msg *io;
	size_t len;
	int d, fd;
	ssize_t n;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	memset(&m, 0, 256);
	if (chance(t, 50)) {
		m.v1.type = chance(t, 90) ? VHOST_IOTLB_MSG : rnd(t, 5);
		io = &m.v1.iotlb;
		len = sizeof(m.v1);
	} else {
		m.v2.type = chance(t, 90) ? VHOST_IOTLB_MSG_V2 : rnd(t, 5);
		m.v2.asid = chance(t, 90) ? 0 : (u32)rnd64(t);
		io = &m.v2.iotlb;
		len = sizeof(m.v2);
	}
	io->iova = chance(t, 50) ? GPA_MAIN : rnd64(t);
	io->size = chance(t, 50) ? MAIN_SIZE : rnd64(t);
	io->uaddr = (uintptr_t)pick_uaddr(t, t->it->main, 4096);
	io->perm = rnd(t, 5);
	io->type = rnd(t, 8);
	if (chance(t, 30))
		len = lens[rnd(t, 8)];
	detail(t, "len=%zu type=%u", len, io->type);
	n = write(fd, argp(t, &m, len ? len : 1), len);
	return n < 0 ? errno : 0;
}

int op_read(struct thr *t)
{
	static const size_t lens[] = { 0, 1, 48, 68, 4096 };
	u8 buf[4096];
	size_t len = lens[rnd(t, 5)];
	int d, fd;
	ssize_t n;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	detail(t, "len=%zu", len);
	n = read(fd, argp(t, buf, len ? len : 1), len);
	return n < 0 ? errno : 0;
}

/*
 * Play the vIOMMU: answer a MISS the way a VMM would, so that traffic
 * through the IOTLB moves and is then taken away again. Descriptors hold
 * GPAs and the rings were given as userspace addresses, so either kind of
 * IOVA maps to where it lies in main memory; anything else gets a random
 * address. Most answers are one page with the access asked for; some
 * are short, wrong in permission or huge, and some drop what is mapped.
 */
int op_iotlb_serve(struct thr *t)
{
	u64 main_hva = (uintptr_t)t->it->main, iova, off, uaddr;
	union {
		struct vhost_msg v1;
		struct vhost_msg_v2 v2;
	} m;
	struct vhost_iotlb_msg *io;
	int d, fd;
	ssize_t n;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	memset(&m, 0, sizeof(m));
	n = read(fd, &m, sizeof(m));
	if (n < 0)
		return errno;
	if (n != sizeof(m.v1))
		return 0;
	io = m.v1.type == VHOST_IOTLB_MSG_V2 ? &m.v2.iotlb : &m.v1.iotlb;
	iova = io->iova & ~4095ULL;
	if (iova >= GPA_MAIN && iova < GPA_MAIN + MAIN_SIZE)
		uaddr = main_hva + (iova - GPA_MAIN);
	else if (iova >= main_hva && iova < main_hva + MAIN_SIZE)
		uaddr = iova;
	else
		uaddr = (uintptr_t)pick_uaddr(t, t->it->main, 4096);
	off = uaddr >= main_hva ? uaddr - main_hva : 0;
	io->type = VHOST_IOTLB_UPDATE;
	io->iova = iova;
	io->uaddr = uaddr;
	io->size = 4096;
	if (chance(t, 30) && off < MAIN_SIZE)
		io->size = MAIN_SIZE - off;	/* the rest of memory */
	else if (chance(t, 10))
		io->size = 1 + rnd(t, 4096);	/* less than asked */
	else if (chance(t, 3))
		io->size = rnd64(t);
	io->perm = chance(t, 80) ? VHOST_ACCESS_RW :
		   chance(t, 50) ? io->perm : rnd(t, 5);
	if (chance(t, 15)) {
		/* Take back this page, pages of guest memory, or everything. */
		io->type = VHOST_IOTLB_INVALIDATE;
		io->size = chance(t, 50) ? 4096 : rnd64(t);
		if (chance(t, 40)) {
			io->iova = GPA_MAIN + rnd(t, MAIN_SIZE / 4096) * 4096ULL;
			io->size = 4096ULL * (1 + rnd(t, 16));
		} else if (chance(t, 30)) {
			io->iova = 0;
			io->size = ~0ULL;
		}
	}
	detail(t, "iova=%#llx size=%#llx type=%u", (unsigned long long)io->iova,
	       (unsigned long long)io->size, io->type);
	n = write(fd, &m, sizeof(m.v1));
	return n < 0 ? errno : 0;
}

int op_poll(struct thr *t)
{
	struct pollfd p = { .events = POLLIN | POLLOUT | POLLPRI };
	int d, fd, n;

	fd = pick_dev_fd(t, &d);
	if (fd < 0)
		return -1;
	p.fd = fd;
	n = poll(&p, 1, rnd(t, 5));
	if (n < 0)
		return errno;
	detail(t, "revents=%#x", p.revents);
	return 0;
}
