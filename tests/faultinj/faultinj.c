// SPDX-License-Identifier: GPL-2.0
/*
 * faultinj: allocation failures on every ioctl path of /dev/vhost-net.
 *
 *   faultinj [--filter SUBSTR] [--list] [--max N] [--budget SECS]
 *
 * A path is one step of a full device setup: open, SET_OWNER, the
 * features, the memory table, each vring ioctl, the backends, the log,
 * the worker ioctls, close. For N = 1, 2, ... a trial runs the whole
 * setup in a fresh process and fails the Nth allocation of that one step
 * through /proc/thread-self/fail-nth, until the step runs with no
 * allocation failed: then every allocation the step makes has failed
 * once. In each trial the step must either fail with a clean errno
 * (ENOMEM) or succeed, the same step must then succeed on the same
 * device (or a fresh one, after open and close), and the device must
 * finish its setup and move a TX and an RX frame.
 *
 * fail-nth counts the calls of this thread only, so the worker, which
 * is another thread, allocates normally; and it is reset in a forked
 * child. An allocator that retries (xa_alloc() does, without the lock)
 * hides a single failure, so each path runs a second time, PATH.onward,
 * with the Nth allocation and every later one of the step failed: once
 * fail-nth has fired, failslab and fail_page_alloc fail everything this
 * thread asks for (probability 100 with task-filter, make-it-fail set
 * for the step only). The other settings (ignore-gfp-wait=N,
 * min-order=0, verbose=0, task-filter=Y, times=-1) are the runner's,
 * tests/suites/faultinj.sh.
 *
 * The worker.tx and worker.rx cases do the same to the worker thread's
 * allocations while it moves one frame: the frame may be dropped, but
 * its buffer must come back and the device keep moving frames.
 *
 * The kernel log is read after every trial: an injected failure may make
 * the kernel report the allocation failure with a stack trace, which is
 * expected; any other splat fails the trial and is printed on stderr.
 * Output is KTAP, one case per path, "faultinj: PATH".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_tun.h>

#include "rig.h"

#define FI_GMEM		0x100000	/* guest memory: rings, arenas */
#define FI_ARENA	(64u << 10)
#define FI_NUM		256		/* ring size */
#define FI_REGIONS	64		/* the big memory table */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define TRIAL_S		30		/* deadline of one trial */
#define GRACE_MS	3000

#ifndef VHOST_GET_FEATURES_ARRAY
struct vhost_features_array {
	__u64 count;
	__u64 features[];
};

#define VHOST_GET_FEATURES_ARRAY _IOR(VHOST_VIRTIO, 0x83, struct vhost_features_array)
#define VHOST_SET_FEATURES_ARRAY _IOW(VHOST_VIRTIO, 0x83, struct vhost_features_array)
#endif

/* What a trial tells the parent. */
struct shared {
	bool injected;		/* the step's Nth allocation was failed */
	bool step_failed;	/* and the step returned an error */
	int err;		/* its errno */
	bool done;		/* the trial got to its end */
	char why[1024];
};

static struct shared *shared;

/* A trial's device, with what the steps pass to the kernel. */
struct trial {
	struct rig r;
	bool kthread;
	bool onward;		/* fail every allocation from the Nth on */
	int nth;		/* /proc/thread-self/fail-nth */
	int mif;		/* /proc/thread-self/make-it-fail */
	int prob[2];		/* failslab, fail_page_alloc probability */
	u32 worker0, worker1;
	struct {
		struct vhost_memory hdr;
		struct vhost_memory_region reg[FI_REGIONS];
	} mem1, mem64;
	struct {
		u64 count;
		u64 word[2];
	} fa;
	u8 logmap[4096];
	int logfd;
};

/* The tap and capture socket every trial shares; see drain_tap(). */
static struct tap tap;
static int cap = -1;

/*
 * The module makes kthread workers only (without CONFIG_VHOST_TASK, as
 * on 6.1, or by its fork_from_owner_default): every trial is then in
 * kthread mode, which has no worker ioctls.
 */
static bool kthread_only;

typedef int (*step_fn)(struct trial *t);

static int step_open(struct trial *t)
{
	t->r.d.fd = open("/dev/vhost-net", O_RDWR | O_CLOEXEC);
	return t->r.d.fd;
}

static int step_fork_owner(struct trial *t)
{
	u8 mode = VHOST_FORK_OWNER_KTHREAD;

	if (!t->kthread)
		return 0;
	return ioctl(t->r.d.fd, VHOST_SET_FORK_FROM_OWNER, &mode);
}

static int step_owner(struct trial *t)
{
	return ioctl(t->r.d.fd, VHOST_SET_OWNER);
}

static int step_set_farray(struct trial *t)
{
	return ioctl(t->r.d.fd, VHOST_SET_FEATURES_ARRAY, &t->fa);
}

static int step_get_farray(struct trial *t)
{
	struct {
		u64 count;
		u64 word[4];
	} fa = { 4, { 0 } };
	int r = ioctl(t->r.d.fd, VHOST_GET_FEATURES_ARRAY, &fa);

	if (r >= 0)
		CHECKF(fa.word[0] & BIT(VIRTIO_F_VERSION_1) && !fa.word[1],
		       "GET_FEATURES_ARRAY: %#llx %#llx",
		       (unsigned long long)fa.word[0],
		       (unsigned long long)fa.word[1]);
	return r;
}

static int step_mem1(struct trial *t)
{
	return ioctl(t->r.d.fd, VHOST_SET_MEM_TABLE, &t->mem1);
}

static int step_mem64(struct trial *t)
{
	return ioctl(t->r.d.fd, VHOST_SET_MEM_TABLE, &t->mem64);
}

static int vring_state(struct trial *t, int idx, unsigned long cmd, u32 num)
{
	struct vhost_vring_state s = { .index = idx, .num = num };

	return ioctl(t->r.d.fd, cmd, &s);
}

static int vring_addr(struct trial *t, int idx)
{
	struct vq *q = &t->r.d.vq[idx];
	struct vhost_vring_addr a = {
		.index = idx,
		.desc_user_addr = (uintptr_t)q->desc,
		.avail_user_addr = (uintptr_t)q->avail,
		.used_user_addr = (uintptr_t)q->used,
	};

	return ioctl(t->r.d.fd, VHOST_SET_VRING_ADDR, &a);
}

static int vring_file(struct trial *t, int idx, unsigned long cmd, int fd)
{
	struct vhost_vring_file f = { .index = idx, .fd = fd };

	return ioctl(t->r.d.fd, cmd, &f);
}

static int step_rx_num(struct trial *t)
{
	return vring_state(t, RX, VHOST_SET_VRING_NUM, FI_NUM);
}

static int step_tx_num(struct trial *t)
{
	return vring_state(t, TX, VHOST_SET_VRING_NUM, FI_NUM);
}

static int step_rx_base(struct trial *t)
{
	return vring_state(t, RX, VHOST_SET_VRING_BASE, 0);
}

static int step_tx_base(struct trial *t)
{
	return vring_state(t, TX, VHOST_SET_VRING_BASE, 0);
}

static int step_rx_addr(struct trial *t)
{
	return vring_addr(t, RX);
}

static int step_tx_addr(struct trial *t)
{
	return vring_addr(t, TX);
}

static int step_rx_kick(struct trial *t)
{
	return vring_file(t, RX, VHOST_SET_VRING_KICK, t->r.d.vq[RX].kick);
}

static int step_tx_kick(struct trial *t)
{
	return vring_file(t, TX, VHOST_SET_VRING_KICK, t->r.d.vq[TX].kick);
}

static int step_rx_call(struct trial *t)
{
	return vring_file(t, RX, VHOST_SET_VRING_CALL, t->r.d.vq[RX].call);
}

static int step_tx_call(struct trial *t)
{
	return vring_file(t, TX, VHOST_SET_VRING_CALL, t->r.d.vq[TX].call);
}

static int step_rx_err(struct trial *t)
{
	return vring_file(t, RX, VHOST_SET_VRING_ERR, t->r.d.vq[RX].err);
}

static int step_tx_err(struct trial *t)
{
	return vring_file(t, TX, VHOST_SET_VRING_ERR, t->r.d.vq[TX].err);
}

static int step_rx_backend(struct trial *t)
{
	return vring_file(t, RX, VHOST_NET_SET_BACKEND, t->r.backend);
}

static int step_tx_backend(struct trial *t)
{
	return vring_file(t, TX, VHOST_NET_SET_BACKEND, t->r.backend);
}

static int step_log_base(struct trial *t)
{
	u64 base = (uintptr_t)t->logmap;

	return ioctl(t->r.d.fd, VHOST_SET_LOG_BASE, &base);
}

static int step_log_fd(struct trial *t)
{
	return ioctl(t->r.d.fd, VHOST_SET_LOG_FD, &t->logfd);
}

/* Kthread mode has no worker ioctls (NEW_WORKER is EFAULT there). */
static int step_new_worker(struct trial *t)
{
	struct vhost_worker_state st = { 0 };
	struct vhost_vring_worker vw = { .index = TX };
	int r;

	if (t->kthread)
		return 0;
	/* Which worker SET_OWNER gave: asked before anything may fail. */
	OK(ioctl(t->r.d.fd, VHOST_GET_VRING_WORKER, &vw));
	t->worker0 = vw.worker_id;
	r = ioctl(t->r.d.fd, VHOST_NEW_WORKER, &st);
	if (r >= 0)
		t->worker1 = st.worker_id;
	return r;
}

static int attach(struct trial *t, u32 id)
{
	struct vhost_vring_worker vw = { .index = TX, .worker_id = id };

	if (t->kthread)
		return 0;
	return ioctl(t->r.d.fd, VHOST_ATTACH_VRING_WORKER, &vw);
}

static int step_attach(struct trial *t)
{
	return attach(t, t->worker1);
}

static int step_attach_back(struct trial *t)
{
	return attach(t, t->worker0);
}

static int step_free_worker(struct trial *t)
{
	struct vhost_worker_state st = { .worker_id = t->worker1 };

	if (t->kthread)
		return 0;
	return ioctl(t->r.d.fd, VHOST_FREE_WORKER, &st);
}

static int step_close(struct trial *t)
{
	int fd = t->r.d.fd;

	t->r.d.fd = -1;
	return close(fd);
}

struct step {
	const char *name;
	step_fn fn;
};

/* A full setup, in order; traffic runs between the last two. */
static const struct step steps[] = {
	{ "open", step_open },
	{ "SET_FORK_FROM_OWNER", step_fork_owner },
	{ "SET_OWNER", step_owner },
	{ "SET_FEATURES_ARRAY", step_set_farray },
	{ "GET_FEATURES_ARRAY", step_get_farray },
	{ "SET_MEM_TABLE.1", step_mem1 },
	{ "SET_VRING_NUM.rx", step_rx_num },
	{ "SET_VRING_BASE.rx", step_rx_base },
	{ "SET_VRING_ADDR.rx", step_rx_addr },
	{ "SET_VRING_KICK.rx", step_rx_kick },
	{ "SET_VRING_CALL.rx", step_rx_call },
	{ "SET_VRING_ERR.rx", step_rx_err },
	{ "SET_VRING_NUM.tx", step_tx_num },
	{ "SET_VRING_BASE.tx", step_tx_base },
	{ "SET_VRING_ADDR.tx", step_tx_addr },
	{ "SET_VRING_KICK.tx", step_tx_kick },
	{ "SET_VRING_CALL.tx", step_tx_call },
	{ "SET_VRING_ERR.tx", step_tx_err },
	{ "NET_SET_BACKEND.rx", step_rx_backend },
	{ "NET_SET_BACKEND.tx", step_tx_backend },
	{ "SET_MEM_TABLE.64", step_mem64 },
	{ "SET_LOG_BASE", step_log_base },
	{ "SET_LOG_FD", step_log_fd },
	{ "NEW_WORKER", step_new_worker },
	{ "ATTACH_VRING_WORKER", step_attach },
	{ "ATTACH_VRING_WORKER.back", step_attach_back },
	{ "FREE_WORKER", step_free_worker },
	{ "close", step_close },
};

#define NSTEPS		ARRAY_SIZE(steps)
#define STEP_CLOSE	(NSTEPS - 1)

/*
 * A case: a step to fail, in the default or kthread worker mode, at one
 * allocation or from one on.
 */
/* TX_BIG: a frame too big for a TX batch, so it goes alone. */
enum datapath { DP_NONE, DP_TX, DP_TX_BIG, DP_RX };

struct fcase {
	char name[64];
	unsigned int step;
	bool kthread;
	bool onward;
	enum datapath dp;	/* fail the worker's allocations instead */
};

static struct fcase cases[4 * NSTEPS];
static unsigned int ncases;

static void add_case(unsigned int step, bool kthread, bool onward)
{
	struct fcase *c = &cases[ncases++];

	c->step = step;
	c->kthread = kthread;
	c->onward = onward;
	snprintf(c->name, sizeof(c->name), "%s%s%s", steps[step].name,
		 kthread ? ".kthread" : "", onward ? ".onward" : "");
}

static void add_dp_case(enum datapath dp, bool onward)
{
	struct fcase *c = &cases[ncases++];

	c->step = STEP_CLOSE;
	c->onward = onward;
	c->dp = dp;
	snprintf(c->name, sizeof(c->name), "worker.%s%s",
		 dp == DP_TX ? "tx" : dp == DP_TX_BIG ? "tx.big" : "rx",
		 onward ? ".onward" : "");
}

static void add_cases(void)
{
	unsigned int i, onward;

	for (onward = 0; onward < 2; onward++) {
		/* The fork-mode step does something only in kthread mode. */
		for (i = 0; i < NSTEPS; i++)
			if (steps[i].fn != step_fork_owner)
				add_case(i, false, onward);
		/* Kthread mode differs at SET_OWNER and close only. */
		for (i = 0; i < NSTEPS; i++)
			if (steps[i].fn == step_fork_owner ||
			    steps[i].fn == step_owner || steps[i].fn == step_close)
				add_case(i, true, onward);
		add_dp_case(DP_TX, onward);
		add_dp_case(DP_TX_BIG, onward);
		add_dp_case(DP_RX, onward);
	}
}

static const char * const prob_knob[2] = {
	"/sys/kernel/debug/failslab/probability",
	"/sys/kernel/debug/fail_page_alloc/probability",
};

static void knob_write(int fd, const char *what, const char *val)
{
	ssize_t len = strlen(val);

	/* debugfs knobs cannot seek: write(), not pwrite(). */
	CHECKF(write(fd, val, len) == len, "write %s: %s", what,
	       errname(errno));
}

/*
 * Both probabilities back to 0, from the parent, whose assertions would
 * end the run: nothing may fail but through fail-nth.
 */
static bool prob_off(void)
{
	bool ok = true;
	int i, fd;

	for (i = 0; i < 2; i++) {
		fd = open(prob_knob[i], O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			ok = false;
		if (fd >= 0)
			close(fd);
	}
	return ok;
}

static void nth_set(struct trial *t, unsigned int n)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", n);
	knob_write(t->nth, "fail-nth", buf);
}

/*
 * Fail the Nth allocation of this thread from now on; in onward mode
 * every later one too. Nothing in between may allocate: the knobs are
 * open already, and memory is locked.
 */
static void inject_start(struct trial *t, unsigned int n)
{
	if (t->onward) {
		knob_write(t->prob[0], prob_knob[0], "100");
		knob_write(t->prob[1], prob_knob[1], "100");
		knob_write(t->mif, "make-it-fail", "1");
	}
	nth_set(t, n);
}

/* Stop injecting; true if the Nth allocation was reached and failed. */
static bool inject_stop(struct trial *t)
{
	char buf[16] = "";
	ssize_t len;

	if (t->onward)
		knob_write(t->mif, "make-it-fail", "0");
	len = pread(t->nth, buf, sizeof(buf) - 1, 0);
	CHECKF(len > 0, "read fail-nth: %s", errname(errno));
	nth_set(t, 0);
	if (t->onward) {
		knob_write(t->prob[0], prob_knob[0], "0");
		knob_write(t->prob[1], prob_knob[1], "0");
	}
	return atoi(buf) == 0;
}

static void mem_table(struct trial *t, void *table, unsigned int n)
{
	struct vhost_memory *m = table;
	u64 size = FI_GMEM / n;
	unsigned int i;

	m->nregions = n;
	m->padding = 0;
	for (i = 0; i < n; i++) {
		m->regions[i].guest_phys_addr = t->r.d.mem.gpa + i * size;
		m->regions[i].memory_size = size;
		m->regions[i].userspace_addr =
			(uintptr_t)t->r.d.mem.hva + i * size;
		m->regions[i].flags_padding = 0;
	}
}

/*
 * The rig the suite's traffic helpers expect, on the shared tap. Rings
 * and arenas are laid out at once; the steps hand them to the kernel.
 */
static void trial_init(struct trial *t, const struct fcase *c)
{
	static u32 tags;
	int i;

	memset(t, 0, sizeof(*t));
	t->kthread = c->kthread || kthread_only;
	t->onward = c->onward;
	t->r.be = BE_TAP;
	t->r.tap = tap;
	t->r.cap = cap;
	t->r.cap_vnet = -1;
	t->r.backend = tap.fd;
	t->r.tag = (getpid() << 8) + tags++;
	t->r.hdr = net_hdr_len(F_MODERN);
	t->r.d.fd = -1;
	t->r.d.features = F_MODERN;
	t->fa.count = 2;
	t->fa.word[0] = F_MODERN;
	gmem_init(&t->r.d.mem, FI_GMEM);
	vq_init(&t->r.d, RX, FI_NUM);
	vq_init(&t->r.d, TX, FI_NUM);
	t->r.tx.base = galloc(&t->r.d.mem, FI_ARENA, 4096);
	t->r.tx.size = FI_ARENA;
	t->r.rx.base = galloc(&t->r.d.mem, FI_ARENA, 4096);
	t->r.rx.size = FI_ARENA;
	mem_table(t, &t->mem1, 1);
	mem_table(t, &t->mem64, FI_REGIONS);
	t->logfd = OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	t->nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	CHECKF(t->nth >= 0, "open /proc/thread-self/fail-nth: %s",
	       errname(errno));
	if (!t->onward)
		return;
	t->mif = open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
	CHECKF(t->mif >= 0, "open /proc/thread-self/make-it-fail: %s",
	       errname(errno));
	for (i = 0; i < 2; i++) {
		t->prob[i] = open(prob_knob[i], O_WRONLY | O_CLOEXEC);
		CHECKF(t->prob[i] >= 0, "open %s: %s", prob_knob[i],
		       errname(errno));
	}
}

/* Every step in order, without failures, and a frame each way. */
static void full_setup(struct trial *t, unsigned int from)
{
	unsigned int i;

	for (i = from; i < NSTEPS; i++) {
		if (i == STEP_CLOSE) {
			tx_roundtrip(&t->r, 60, 1, L_DIRECT);
			rx_roundtrip(&t->r, 60, 2, L_DIRECT);
		}
		CHECKF(steps[i].fn(t) >= 0, "%s failed without fault injection: %s",
		       steps[i].name, errname(errno));
	}
}

/*
 * The device's one worker, as a /proc directory: the other task of this
 * single-threaded process, or in kthread mode the kthread named after us.
 */
static void worker_dir(const struct trial *t, char *dir, size_t len)
{
	DIR *d = opendir(t->kthread ? "/proc" : "/proc/self/task");
	char want[32], comm[32], path[64];
	struct dirent *e;
	int id = -1, fd;
	ssize_t n;

	CHECKF(d, "opendir: %s", errname(errno));
	snprintf(want, sizeof(want), "vhost-%d\n", getpid());
	while ((e = readdir(d))) {
		if (atoi(e->d_name) <= 0 || atoi(e->d_name) == gettid())
			continue;
		if (!t->kthread) {
			id = atoi(e->d_name);
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/comm", atoi(e->d_name));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, comm, sizeof(comm) - 1);
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			continue;
		comm[n] = 0;
		if (!strcmp(comm, want))
			id = atoi(e->d_name);
	}
	closedir(d);
	CHECKF(id > 0, "no worker %s", t->kthread ? "kthread" : "thread");
	snprintf(dir, len, t->kthread ? "/proc/%d" : "/proc/self/task/%d", id);
}

static int task_knob(const char *dir, const char *knob)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, knob);
	fd = open(path, O_RDWR | O_CLOEXEC);
	CHECKF(fd >= 0, "open %s: %s", path, errname(errno));
	return fd;
}

/*
 * Fail the worker's Nth allocation (onward: and every later one, for a
 * while) as it moves one frame. The frame may be dropped, as a NIC short
 * of memory would drop it, but its buffer must come back to the guest,
 * and a frame sent with nothing failed must arrive.
 */
static void dp_run(struct trial *t, const struct fcase *c, unsigned int n)
{
	bool tx = c->dp != DP_RX;
	size_t len = c->dp == DP_TX_BIG ? 5000 : 60;
	struct vq *q = &t->r.d.vq[tx ? TX : RX];
	u8 *buf = big_buf();
	bool used, lost;
	char dir[64];
	ssize_t got;

	worker_dir(t, dir, sizeof(dir));
	t->nth = task_knob(dir, "fail-nth");
	if (t->onward)
		t->mif = task_knob(dir, "make-it-fail");
	if (!tx) {
		rx_post(&t->r, L_DIRECT, t->r.hdr + len, 1);
		/* Let the worker see the kick and go idle first. */
		sleep_ms(QUIET_MS);
	}
	inject_start(t, n);
	if (tx)
		tx_send(&t->r, FRAME_RAW, len, 10, L_DIRECT);
	else
		rx_inject(&t->r, FRAME_RAW, len, 10);
	/* Onward, the worker fails for a while, then recovers. */
	used = vq_wait_used(q, 1, t->onward ? QUIET_MS : WAIT_MS);
	shared->injected = inject_stop(t);
	if (!used)
		used = vq_wait_used(q, 1, WAIT_MS);
	if (tx) {
		CHECKF(used, "TX: the buffer never came back (worker allocation %u failed: %d)",
		       n, shared->injected);
		tx_reap(&t->r, 1);
		got = tx_capture(&t->r, buf, WAIT_MS);
		lost = got < 0;
		if (!lost)
			frame_expect(buf, got, FRAME_RAW, len, t->r.tag, 10);
	} else {
		/* A dropped frame leaves its buffer for the next one. */
		lost = !used;
		if (used)
			rx_expect(&t->r, FRAME_RAW, len, 10, NULL);
	}
	CHECKF(!lost || shared->injected, "%s frame lost, though no allocation failed",
	       tx ? "TX" : "RX");
	shared->step_failed = lost;
	free(buf);
}

/*
 * One trial: run the setup with the Nth allocation of case c's step
 * failed, then check that the device (or a fresh one) still works.
 */
static void trial(const struct fcase *c, unsigned int n)
{
	struct trial t;
	unsigned int i;
	int r, err;

	/*
	 * No page faults in our memory during a step: one would allocate,
	 * and a failed fault is EFAULT, not the step's own error.
	 */
	CHECKF(!mlockall(MCL_CURRENT | MCL_FUTURE), "mlockall: %s",
	       errname(errno));
	trial_init(&t, c);
	for (i = 0; i < c->step; i++)
		CHECKF(steps[i].fn(&t) >= 0, "%s failed without fault injection: %s",
		       steps[i].name, errname(errno));
	if (c->step == STEP_CLOSE) {
		tx_roundtrip(&t.r, 60, 1, L_DIRECT);
		rx_roundtrip(&t.r, 60, 2, L_DIRECT);
	}
	if (c->dp) {
		dp_run(&t, c, n);
		full_setup(&t, STEP_CLOSE);
		shared->done = true;
		_exit(0);
	}

	inject_start(&t, n);
	r = steps[c->step].fn(&t);
	err = errno;
	shared->injected = inject_stop(&t);
	shared->step_failed = r < 0;
	shared->err = err;
	if (r < 0) {
		CHECKF(shared->injected, "%s failed with %s, but no allocation failed",
		       steps[c->step].name, errname(err));
		CHECKF(err == ENOMEM, "%s: %s after a failed allocation, expected ENOMEM",
		       steps[c->step].name, errname(err));
		/* The same step again, on the same device. */
		CHECKF(steps[c->step].fn(&t) >= 0,
		       "%s failed again, without fault injection: %s",
		       steps[c->step].name, errname(errno));
	}
	if (c->step == STEP_CLOSE) {
		/* A fresh device after the closed one. */
		trial_init(&t, c);
		full_setup(&t, 0);
	} else {
		full_setup(&t, c->step + 1);
	}
	shared->done = true;
	_exit(0);
}

/*
 * The kernel log since the last call. Reports of an allocation failure
 * (warn_alloc: "page allocation failure", "vmalloc error") come with a
 * call trace and are expected here; any other splat is printed on stderr
 * and counted. The patterns are those of scripts/lab/splats.sh.
 */
static int kmsg = -1;
static unsigned int alloc_reports;

static int kmsg_scan(void)
{
	static const char * const splat[] = {
		"BUG: ", "WARNING: ", "UBSAN: ", "Oops", "Kernel panic",
		"kernel BUG at", "general protection fault", "list_add corruption",
		"list_del corruption", "possible recursive locking",
		"possible circular locking", "inconsistent lock state",
		"suspicious RCU usage", "unreferenced object", "INFO: task ",
		"detected stall", "Call Trace:", "scheduling from the idle thread",
		"leaked",
	};
	static bool trace_ok;
	char rec[8192];
	int bad = 0;
	ssize_t len;
	unsigned int i;

	for (;;) {
		char *text, *nl;

		len = read(kmsg, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE) {
			fprintf(stderr, "faultinj: kernel log records were lost\n");
			bad++;
			continue;
		}
		if (len <= 0)
			break;
		rec[len] = 0;
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = 0;
		if (strstr(text, "page allocation failure") ||
		    strstr(text, "vmalloc error")) {
			alloc_reports++;
			trace_ok = true;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(splat); i++)
			if (strstr(text, splat[i]))
				break;
		if (i == ARRAY_SIZE(splat))
			continue;
		if (trace_ok && !strcmp(splat[i], "Call Trace:")) {
			trace_ok = false;
			continue;
		}
		fprintf(stderr, "faultinj: kernel: %s\n", text);
		bad++;
	}
	return bad;
}

/* Frames a dead trial left queued for the guest would reach the next. */
static void drain_tap(void)
{
	u8 *buf = big_buf();

	while (read(tap.fd, buf, FRAME_MAX) > 0)
		;
	free(buf);
}

enum verdict { T_OK, T_FAILED, T_HUNG };

static enum verdict run_trial(const struct fcase *c, unsigned int n)
{
	u64 end;
	pid_t pid;
	int st;

	memset(shared, 0, sizeof(*shared));
	drain_tap();
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(shared->why, sizeof(shared->why), "fork: %s",
			 errname(errno));
		return T_FAILED;
	}
	if (!pid) {
		setpgid(0, 0);
		alarm(TRIAL_S);
		trial(c, n);
	}
	end = now_ms() + TRIAL_S * 1000 + GRACE_MS;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			snprintf(shared->why, sizeof(shared->why),
				 "trial %u hung past %u s", n, TRIAL_S);
			return T_HUNG;
		}
		sleep_ms(5);
	}
	/* A trial that died in its step must not leave them on. */
	if (c->onward && !prob_off()) {
		snprintf(shared->why, sizeof(shared->why),
			 "cannot turn the probabilities off: %s", errname(errno));
		return T_HUNG;
	}
	if (kmsg_scan() && !shared->why[0])
		snprintf(shared->why, sizeof(shared->why),
			 "kernel splat in trial %u (on stderr)", n);
	if (shared->why[0])
		return T_FAILED;
	if (!WIFEXITED(st) || WEXITSTATUS(st) || !shared->done) {
		snprintf(shared->why, sizeof(shared->why),
			 "trial %u ended with status %#x", n, st);
		return T_FAILED;
	}
	return T_OK;
}

/*
 * Fail allocation 1, 2, ... of the case's step until the step makes no
 * more. Returns false, with the reason printed, if a trial failed.
 */
static bool run_case(const struct fcase *c, unsigned int max, u64 deadline,
		     bool *hung)
{
	unsigned int n, enomem = 0, absorbed = 0;
	const char *each = c->onward ? "failed from there on" : "failed once";
	const char *bad = c->dp ? "dropped" : "ENOMEM";
	const char *good = c->dp ? "delivered" : "absorbed";
	enum verdict v;

	for (n = 1; n <= max; n++) {
		if (now_ms() > deadline) {
			printf("# %s: budget spent after %u trials\n", c->name,
			       n - 1);
			return false;
		}
		v = run_trial(c, n);
		if (v != T_OK) {
			printf("# %s: %s\n", c->name, shared->why);
			*hung = v == T_HUNG;
			return false;
		}
		if (!shared->injected) {
			printf("# %s: %u allocations, each %s: %u %s, %u %s\n",
			       c->name, n - 1, each, enomem, bad, absorbed, good);
			return true;
		}
		if (shared->step_failed)
			enomem++;
		else
			absorbed++;
	}
	printf("# %s: still allocating after %u failures\n", c->name, max);
	return false;
}

static void setup_host(void)
{
	int fl, fd;
	u8 mode;

	tap_open(&tap, "vfi%d", IFF_VNET_HDR, net_hdr_len(F_MODERN));
	if_mtu(tap.name, 9216);
	if_up(tap.name, true);
	cap = pkt_open(tap.ifindex, SOCK_RAW, false);
	fl = fcntl(tap.fd, F_GETFL);
	CHECK(fl >= 0 && !fcntl(tap.fd, F_SETFL, fl | O_NONBLOCK));
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	CHECKF(kmsg >= 0, "open /dev/kmsg: %s", errname(errno));
	lseek(kmsg, 0, SEEK_END);
	fd = vhost_open();
	CHECKF(!ioctl(fd, VHOST_GET_FORK_FROM_OWNER, &mode),
	       "GET_FORK_FROM_OWNER: %s", errname(errno));
	close(fd);
	kthread_only = mode == VHOST_FORK_OWNER_KTHREAD;
	if (kthread_only)
		diag("workers are kthreads by default: every case in kthread mode");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "max", required_argument, NULL, 'm' },
		{ "budget", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int max = 1000, budget = 600, i, planned = 0, failed = 0;
	const char *filter = NULL;
	bool list = false, hung = false;
	u64 deadline;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f':
			filter = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 'm':
			max = atoi(optarg);
			break;
		case 'b':
			budget = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: faultinj [--filter SUBSTR] [--list] %s\n",
				"[--max N] [--budget SECS]");
			return 2;
		}
	}
	add_cases();
	for (i = 0; i < ncases; i++) {
		if (filter && !strstr(cases[i].name, filter))
			continue;
		if (list)
			printf("faultinj: %s\n", cases[i].name);
		planned++;
	}
	if (list)
		return 0;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	fail_setup(NULL, shared->why, sizeof(shared->why), 1);
	printf("KTAP version 1\n1..%u\n", planned);
	fflush(stdout);
	setup_host();
	deadline = now_ms() + budget * 1000ULL;
	planned = 0;
	for (i = 0; i < ncases; i++) {
		u64 t0 = now_ms();
		bool ok;

		if (filter && !strstr(cases[i].name, filter))
			continue;
		planned++;
		ok = !hung && run_case(&cases[i], max, deadline, &hung);
		if (!ok)
			failed++;
		printf("# %s took %llu ms\n", cases[i].name,
		       (unsigned long long)(now_ms() - t0));
		printf("%sok %u faultinj: %s\n", ok ? "" : "not ", planned,
		       cases[i].name);
		fflush(stdout);
	}
	printf("# %u allocation failure reports from the kernel, as expected\n",
	       alloc_reports);
	printf("# %u passed, %u failed\n", planned - failed, failed);
	return failed ? 1 : 0;
}
