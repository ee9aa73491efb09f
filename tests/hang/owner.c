// SPDX-License-Identifier: GPL-2.0
/*
 * The owner side of a vhost-hang case: a device on a tap, part of its
 * guest memory (the "frozen" region) registered with userfaultfd and
 * never touched, a ring pointed into it, a kick (or a frame from the
 * tap), then ioctls from other threads. It never returns: the driver
 * kills it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#include "hang.h"
#include "rig.h"

#define FROZEN_SIZE	(256 * 4096)
#define FROZEN_GPA	0x40000000ULL
#define FAULT_MS	3000	/* for the worker to reach the frozen page */
#define SETTLE_MS	300	/* for the threads to block */
#define RECOVER_MS	5000	/* after a late serve */

static struct rig r;
static u8 *frozen;
static int uffd = -1;
static int stuck_vq;		/* the queue whose memory is frozen */
static pid_t owner_pid;
static u32 new_worker;		/* task mode: a second worker, made early */

static void set_table(int fd)
{
	struct vhost_memory_region reg[2] = {
		{
			.guest_phys_addr = r.d.mem.gpa,
			.memory_size = r.d.mem.size,
			.userspace_addr = (uintptr_t)r.d.mem.hva,
		}, {
			.guest_phys_addr = FROZEN_GPA,
			.memory_size = FROZEN_SIZE,
			.userspace_addr = (uintptr_t)frozen,
		},
	};

	OK(vdev_mem_table(fd, reg, 2));
}

/* Guest memory that faults to userfaultfd on first touch, for ever. */
static void freeze_setup(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	frozen = mmap(NULL, FROZEN_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECKF(frozen != MAP_FAILED, "mmap: %s", errname(errno));
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	CHECKF(uffd >= 0, "userfaultfd: %s", errname(errno));
	OK(ioctl(uffd, UFFDIO_API, &api));
	reg.range.start = (uintptr_t)frozen;
	reg.range.len = FROZEN_SIZE;
	OK(ioctl(uffd, UFFDIO_REGISTER, &reg));
	hsh->uffd = uffd;
	set_table(r.d.fd);
}

/* A buffer on the stuck queue whose bytes are in the frozen region. */
static void post_frozen(int idx)
{
	struct vq *q = &r.d.vq[idx];
	struct seg s = { .p = galloc(&r.d.mem, 2048, 64), .len = 2048 };
	int head;

	if (idx == TX) {
		s.len = r.hdr + 60;
		head = vq_add(q, &s, 1, NULL, 0, false);
	} else {
		head = vq_add(q, NULL, 0, &s, 1, false);
	}
	/* The descriptor is ours to point anywhere in the table. */
	q->desc[head].addr = FROZEN_GPA + 3 * 4096;
	vq_publish(q, head);
	vq_kick(q);
	if (idx == RX)
		rx_inject(&r, FRAME_RAW, 60, 1);
}

/* TX's used ring in the frozen region: SET_BACKEND reads used->idx. */
static void freeze_used_ring(void)
{
	struct vq *q = &r.d.vq[TX];
	struct vhost_vring_addr a = {
		.index = TX,
		.desc_user_addr = (uintptr_t)q->desc,
		.avail_user_addr = (uintptr_t)q->avail,
		.used_user_addr = (uintptr_t)frozen,
	};

	OK(ioctl(r.d.fd, VHOST_SET_VRING_ADDR, &a));
	OK(vdev_backend(&r.d, RX, r.backend));
}

/* ---- ioctl threads ---------------------------------------------------- */

struct hthread_arg {
	int slot;
	long (*fn)(void);
};

static long t_mem_table(void)
{
	set_table(r.d.fd);
	return 0;
}

static long t_kick(void)
{
	struct vhost_vring_file f = { .index = stuck_vq };

	f.fd = OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	return ioctl(r.d.fd, VHOST_SET_VRING_KICK, &f);
}

/* Unbind the other queue: that flushes the stuck worker too. */
static long t_backend(void)
{
	return vdev_backend(&r.d, !stuck_vq, -1);
}

static long t_base(void)
{
	struct vhost_vring_state s = { .index = stuck_vq };

	return ioctl(r.d.fd, VHOST_GET_VRING_BASE, &s);
}

static long t_features(void)
{
	return ioctl(r.d.fd, VHOST_SET_FEATURES, &r.d.features);
}

/*
 * Move the other queue to the second worker: that flushes the stuck one.
 * Kthread mode has no second worker (NEW_WORKER is refused).
 */
static long t_worker(void)
{
	struct vhost_vring_worker vw = { .index = stuck_vq };

	if (r.kthread)
		return ioctl(r.d.fd, VHOST_GET_VRING_WORKER, &vw);
	vw.index = !stuck_vq;
	vw.worker_id = new_worker;
	return ioctl(r.d.fd, VHOST_ATTACH_VRING_WORKER, &vw);
}

static long t_close(void)
{
	sleep_ms(SETTLE_MS);
	return close(r.d.fd);
}

static long t_reset(void)
{
	return ioctl(r.d.fd, VHOST_RESET_OWNER);
}

/* In the ring case: the owner's SET_BACKEND itself faults. */
static long t_set_backend_tx(void)
{
	return vdev_backend(&r.d, TX, r.backend);
}

static void *hthread_fn(void *p)
{
	struct hthread_arg *a = p;
	struct hthread *t = &hsh->t[a->slot];
	long ret;

	__atomic_store_n(&t->started, 1, __ATOMIC_RELEASE);
	errno = 0;
	ret = a->fn();
	t->ret = ret;
	t->err = ret < 0 ? errno : 0;
	__atomic_store_n(&t->returned, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void start(const char *name, long (*fn)(void))
{
	static struct hthread_arg args[HT_MAX];
	int slot = hsh->nthreads++;
	pthread_t th;

	CHECK(slot < HT_MAX);
	hsh->t[slot].name = name;
	args[slot].slot = slot;
	args[slot].fn = fn;
	CHECK(!pthread_create(&th, NULL, hthread_fn, &args[slot]));
	pthread_detach(th);
}

static void start_ioctls(void)
{
	start("SET_MEM_TABLE", t_mem_table);
	start("SET_VRING_KICK", t_kick);
	start("NET_SET_BACKEND", t_backend);
	start("GET_VRING_BASE", t_base);
	start("SET_FEATURES", t_features);
	start(r.kthread ? "GET_VRING_WORKER" : "ATTACH_VRING_WORKER", t_worker);
	start("close", t_close);
}

/* ---- the non-owner holding a dup of the fd ------------------------------ */

static void dup_expect(const char *what, long ret, int want)
{
	int err = ret < 0 ? errno : 0;

	hsh->dup_calls++;
	if (err == want && (want || ret >= 0))
		return;
	if (hsh->dup_ok)
		snprintf(hsh->why, sizeof(hsh->why),
			 "non-owner %s: %ld (%s), expected %s", what, ret,
			 ret < 0 ? errname(err) : "success",
			 want ? errname(want) : "success");
	hsh->dup_ok = 0;
}

/*
 * Ioctls from a process that is not the owner, before and after the
 * owner dies, until a second after: each must return, as it would on an
 * idle device. Then close and exit.
 */
static void dup_main(void)
{
	struct vhost_vring_state s = { .index = TX };
	struct vhost_vring_file f = { .index = RX, .fd = -1 };
	u64 end = now_ms() + 30000, after = 0, feat;

	close(uffd);	/* the owner's death must release it */
	hsh->dup_ok = 1;
	while (hstage() < ST_STUCK)
		sleep_ms(10);
	while (now_ms() < end && (!after || now_ms() < after)) {
		dup_expect("GET_FEATURES", ioctl(r.d.fd, VHOST_GET_FEATURES, &feat), 0);
		dup_expect("SET_FEATURES", ioctl(r.d.fd, VHOST_SET_FEATURES,
						 &r.d.features), 0);
		dup_expect("GET_VRING_BASE", ioctl(r.d.fd, VHOST_GET_VRING_BASE, &s),
			   EPERM);
		dup_expect("NET_SET_BACKEND", ioctl(r.d.fd, VHOST_NET_SET_BACKEND, &f),
			   EPERM);
		dup_expect("SET_OWNER", ioctl(r.d.fd, VHOST_SET_OWNER), EBUSY);
		if (!after && getppid() != owner_pid)
			after = now_ms() + 1000;
		sleep_ms(50);
	}
	if (!after && hsh->dup_ok) {
		snprintf(hsh->why, sizeof(hsh->why), "the owner never died");
		hsh->dup_ok = 0;
	}
	close(r.d.fd);
	_exit(hsh->dup_ok ? 0 : 1);
}

/* ---- the owner ------------------------------------------------------------ */

static void check_mode(bool kthread)
{
	u8 mode = 0xff;

	OK(ioctl(r.d.fd, VHOST_GET_FORK_FROM_OWNER, &mode));
	CHECKF(mode == (kthread ? VHOST_FORK_OWNER_KTHREAD : VHOST_FORK_OWNER_TASK),
	       "worker mode %u, expected %s", mode, kthread ? "kthread" : "task");
}

/* The worker (or the ring case's SET_BACKEND) is waiting on the fault. */
static void await_fault(void)
{
	struct pollfd p = { .fd = uffd, .events = POLLIN };

	CHECKF(poll(&p, 1, FAULT_MS) == 1 && (p.revents & POLLIN),
	       "no fault in the frozen region within %d ms", FAULT_MS);
}

/* Serve every frozen page with zeros: the waiting access goes on. */
static void serve_late(void)
{
	struct uffdio_zeropage z = {
		.range = { .start = (uintptr_t)frozen, .len = FROZEN_SIZE },
	};
	u64 end = now_ms() + RECOVER_MS;
	int i;

	OK(ioctl(uffd, UFFDIO_ZEROPAGE, &z));
	for (i = 0; i < hsh->nthreads; i++) {
		struct hthread *t = &hsh->t[i];

		while (!__atomic_load_n(&t->returned, __ATOMIC_ACQUIRE)) {
			CHECKF(now_ms() < end,
			       "%s did not return within %d ms of serving",
			       t->name, RECOVER_MS);
			sleep_ms(10);
		}
		CHECKF(t->ret >= 0, "%s failed once served: %s", t->name,
		       errname(t->err));
	}
	/* The access that waited went on: the buffer came back used. */
	CHECKF(vq_wait_used(&r.d.vq[stuck_vq], 1, RECOVER_MS),
	       "ring %d: the frozen buffer was never used once served",
	       stuck_vq);
}

void owner_main(const struct hcase *c, bool kthread)
{
	struct rig_opts o = {
		.features = F_MODERN,
		.num = 64,
		.be = BE_TAP,
		.flags = RIG_IDLE | (kthread ? RIG_KTHREAD : 0),
	};

	owner_pid = getpid();
	stuck_vq = c->flags & HC_RX ? RX : TX;
	rig_up(&r, &o);
	check_mode(kthread);
	freeze_setup();
	if (c->flags & HC_RING) {
		freeze_used_ring();
	} else {
		rig_start(&r);
		/* The device works before we freeze anything. */
		tx_roundtrip(&r, 60, 0, L_DIRECT);
	}
	if ((c->flags & HC_THREADS) && !kthread) {
		struct vhost_worker_state st = {};

		OK(ioctl(r.d.fd, VHOST_NEW_WORKER, &st));
		new_worker = st.worker_id;
	}
	if (c->flags & HC_DUP) {
		pid_t p = fork();

		CHECK(p >= 0);
		if (!p)
			dup_main();
		hsh->dup_pid = p;
	}
	if (c->flags & HC_RING)
		start("SET_BACKEND(TX)", t_set_backend_tx);
	else
		post_frozen(stuck_vq);
	await_fault();
	if (c->flags & HC_THREADS)
		start_ioctls();
	if (c->flags & HC_CLOSE)
		start("close", t_close);
	if (c->flags & HC_RESET)
		start("RESET_OWNER", t_reset);
	sleep_ms(SETTLE_MS * 2);
	hset_stage(ST_STUCK);
	if (c->flags & HC_SERVE) {
		while (hstage() != ST_SERVE)
			sleep_ms(10);
		serve_late();
		hset_stage(ST_SERVED);
	}
	for (;;)
		pause();
}
