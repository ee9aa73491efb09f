// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-fuzz: random operation sequences against /dev/vhost-net.
 *
 *   vhost-fuzz --seed S --seconds N [--target ours|upstream]
 *              [--iterations K] [--from I] [--deadline SECS]
 *              [--sanity-every K] [--verbose]
 *
 * Each iteration is a forked process with its own devices, tap, tun and
 * guest memory, and one to four threads that each run a random sequence
 * of operations (ctl.c, data.c) on them; the sequences follow from the
 * seed and the iteration number alone, so --from I --iterations 1 runs
 * iteration I again (thread interleavings, and so the kernel's answers,
 * vary). The parent is the watchdog: it never blocks, and an operation
 * that has not returned after the deadline is reported as a hang, with
 * the kernel stacks of every task in D state, and ends the run.
 *
 * Every few iterations and at the end a fresh device must still move a
 * frame each way (sanity.c). The exit status is 0 when nothing hung and
 * nothing failed, 1 otherwise, 2 for a bad command line.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "fuzz.h"
#include "harness.h"

#define FAIL_STATUS	3	/* a child's exit status after fail_at() */

/* Weight 0: not picked at random, but watched like an operation. */
const struct op fuzz_ops[] = {
	{ "open", op_open, 3 },
	{ "close", op_close, 2 },
	{ "setup", op_setup, 8 },
	{ "SET_OWNER", op_set_owner, 2 },
	{ "RESET_OWNER", op_reset_owner, 2 },
	{ "GET_FEATURES", op_get_features, 1 },
	{ "SET_FEATURES", op_set_features, 3 },
	{ "FEATURES_ARRAY", op_features_array, 3 },
	{ "SET_MEM_TABLE", op_mem_table, 5 },
	{ "SET_LOG_BASE", op_log_base, 2 },
	{ "SET_LOG_FD", op_log_fd, 2 },
	{ "NEW_WORKER", op_new_worker, 2 },
	{ "FREE_WORKER", op_free_worker, 2 },
	{ "ATTACH_VRING_WORKER", op_attach_worker, 2 },
	{ "GET_VRING_WORKER", op_get_worker, 1 },
	{ "SET_VRING_NUM", op_vring_num, 4 },
	{ "SET_VRING_ADDR", op_vring_addr, 4 },
	{ "VRING_BASE", op_vring_base, 3 },
	{ "VRING_ENDIAN", op_vring_endian, 2 },
	{ "SET_VRING_KICK", op_vring_kick, 3 },
	{ "SET_VRING_CALL", op_vring_call, 2 },
	{ "SET_VRING_ERR", op_vring_err, 2 },
	{ "VRING_BUSYLOOP", op_busyloop, 2 },
	{ "BACKEND_FEATURES", op_backend_features, 2 },
	{ "FORK_FROM_OWNER", op_fork_owner, 2 },
	{ "NET_SET_BACKEND", op_set_backend, 5 },
	{ "other ioctl", op_foreign_ioctl, 2 },
	{ "write", op_write, 2 },
	{ "read", op_read, 2 },
	{ "poll", op_poll, 2 },
	{ "iotlb serve", op_iotlb_serve, 6 },
	{ "ring tx", op_tx, 10 },
	{ "ring rx", op_rx, 10 },
	{ "kick", op_kick, 5 },
	{ "ring hostile", op_hostile, 10 },
	{ "inject", op_inject, 6 },
	{ "tap write", op_tap_write, 6 },
	{ "drain", op_drain, 4 },
	{ "victim memory", op_victim, 2 },
	{ "eventfd renew", op_efd_renew, 2 },
	{ "sleep", op_sleep, 2 },
	{ "fork", op_fork, 2 },
	{ "owner killed", op_owner_killed, 1 },
	{ "close under traffic", op_close_traffic, 2 },
	{ "iteration setup", NULL, 0 },
	{ "exit (closes every fd)", NULL, 0 },
	{ "sanity check", NULL, 0 },
};

const unsigned int fuzz_nops = ARRAY_SIZE(fuzz_ops);
struct shared *fuzz_sh;

static struct {
	u64 seed;
	unsigned int seconds;
	unsigned int iterations;
	unsigned int from;
	unsigned int deadline;
	unsigned int sanity_every;
	bool verbose;
	const char *target;
} opt = { .seconds = 60, .deadline = 20, .sanity_every = 20, .target = "ours" };

int op_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < fuzz_nops; i++)
		if (!strcmp(fuzz_ops[i].name, name))
			return i;
	fail_at(__FILE__, __LINE__, "no operation '%s'", name);
}

unsigned int pick_op(struct thr *t)
{
	static unsigned int total;
	unsigned int i, r;

	if (!total)
		for (i = 0; i < fuzz_nops; i++)
			total += fuzz_ops[i].weight;
	r = rnd(t, total);
	for (i = 0; r >= fuzz_ops[i].weight; i++)
		r -= fuzz_ops[i].weight;
	return i;
}

/*
 * The watchdog reads a slot while its thread moves on: the start time is
 * written before the sequence number, so that a reader who sees the same
 * number before and after never pairs an old start with a new operation.
 */
static void slot_enter(struct slot *s, int op)
{
	__atomic_store_n(&s->start_ms, now_ms(), __ATOMIC_RELAXED);
	s->op = op;
	__atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&s->active, 1, __ATOMIC_RELEASE);
}

/* Has the slot's operation run for longer than limit ms? */
static bool overdue(struct slot *s, u64 limit)
{
	u32 seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
	u64 start = __atomic_load_n(&s->start_ms, __ATOMIC_ACQUIRE), now;

	if (!__atomic_load_n(&s->active, __ATOMIC_ACQUIRE))
		return false;
	now = now_ms();
	return __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) == seq &&
	       now > start && now - start >= limit;
}

static void slot_leave(struct slot *s)
{
	__atomic_store_n(&s->active, 0, __ATOMIC_RELEASE);
}

/* Count one run of op: r is 0, an errno, or -1 for skipped. */
static void account(unsigned int op, int r, u64 ms)
{
	struct opstat *st = &fuzz_sh->stat[op];

	__atomic_fetch_add(&fuzz_sh->ops, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st->runs, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st->ms, ms, __ATOMIC_RELAXED);
	if (r < 0)
		__atomic_fetch_add(&st->skip, 1, __ATOMIC_RELAXED);
	else if (!r)
		__atomic_fetch_add(&st->ok, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&st->err[r < NERR ? r : NERR - 1], 1,
				   __ATOMIC_RELAXED);
}

int run_op(struct thr *t, unsigned int op)
{
	char scratch[sizeof(t->slot->detail)];
	u64 start = now_ms();
	int r;

	t->detail = t->slot ? t->slot->detail : scratch;
	t->detail[0] = 0;
	if (t->slot)
		slot_enter(t->slot, op);
	r = fuzz_ops[op].fn(t);
	if (t->slot)
		slot_leave(t->slot);
	account(op, r, now_ms() - start);
	if (t->it->verbose)
		printf("%d.%d%s %s [%s] -> %s\n", t->it->n, t->idx,
		       t->slot ? "" : " (child)", fuzz_ops[op].name, t->detail,
		       r < 0 ? "skip" : r ? errname(r) : "ok");
	return r;
}

static u64 iter_seed(unsigned int n)
{
	return mix64(opt.seed ^ mix64(n));
}

/* A crash of the fuzzer itself: where, for addr2line on the static binary. */
static void on_crash(int sig, siginfo_t *si, void *uc)
{
	unsigned long long ip = 0;

#ifdef REG_RIP
	ip = ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
#endif
	(void)uc;
	snprintf(fuzz_sh->why, sizeof(fuzz_sh->why),
		 "signal %d (%s), address %p, ip %#llx", sig, strsignal(sig),
		 si->si_addr, ip);
	_exit(FAIL_STATUS);
}

static void catch_crashes(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
	struct sigaction sa = { .sa_sigaction = on_crash, .sa_flags = SA_SIGINFO };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	unsigned int n = 20 + rnd(t, 100), i;

	for (i = 0; i < n; i++)
		run_op(t, pick_op(t));
	return NULL;
}

/* The iteration's process: set up, run the threads, exit (closing all). */
static void run_iteration(unsigned int n)
{
	static struct iter it;
	struct thr meta = { .rng = iter_seed(n) };
	struct thr thr[NTHREAD];
	pthread_t th[NTHREAD];
	int i, nthr = 1 + rnd(&meta, NTHREAD);

	catch_crashes();
	slot_enter(&fuzz_sh->slot[0], op_index("iteration setup"));
	iter_init(&it, n, meta.rng);
	it.verbose = opt.verbose;
	slot_leave(&fuzz_sh->slot[0]);
	account(fuzz_sh->slot[0].op, 0, now_ms() - fuzz_sh->slot[0].start_ms);
	for (i = 0; i < nthr; i++) {
		thr[i] = (struct thr){
			.it = &it,
			.slot = &fuzz_sh->slot[i],
			.idx = i,
			.rng = mix64(meta.rng + 0x1000 * (i + 1)),
		};
	}
	run_op(&thr[0], op_index("open"));
	/* Most iterations start from a running device, the deep paths. */
	if (chance(&meta, 80))
		run_op(&thr[0], op_index("setup"));
	for (i = 1; i < nthr; i++)
		if (pthread_create(&th[i], NULL, thread_main, &thr[i]))
			fail_at(__FILE__, __LINE__, "pthread_create failed");
	thread_main(&thr[0]);
	for (i = 1; i < nthr; i++)
		pthread_join(th[i], NULL);
	fflush(stdout);
	slot_enter(&fuzz_sh->slot[0], op_index("exit (closes every fd)"));
	_exit(0);
}

static void sanity_child(unsigned int n)
{
	(void)n;
	slot_enter(&fuzz_sh->slot[0], op_index("sanity check"));
	sanity();
	_exit(0);
}

static void print_file(const char *path, const char *prefix)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("%s%s", prefix, line);
	fclose(f);
}

/* A vhost worker: "vhost-" and the owner's pid. */
static bool is_worker(const char *stat)
{
	const char *p = strstr(stat, "(vhost-");

	return p && p[7] >= '0' && p[7] <= '9';
}

/*
 * Every task of the iteration's process group, every task in D state and
 * every vhost worker: name, state and kernel stack.
 */
static void dump_tasks(pid_t pgid)
{
	struct dirent *e, *te;
	DIR *d = opendir("/proc"), *td;
	char path[96], buf[512], *p, state;
	int pid, tid, ppid, pgrp;
	FILE *f;

	if (!d)
		return;
	while ((e = readdir(d))) {
		pid = atoi(e->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		td = opendir(path);
		if (!td)
			continue;
		while ((te = readdir(td))) {
			tid = atoi(te->d_name);
			if (tid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
			f = fopen(path, "r");
			if (!f)
				continue;
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = 0;
			fclose(f);
			p = strrchr(buf, ')');
			if (!p || sscanf(p + 1, " %c %d %d", &state, &ppid, &pgrp) != 3)
				continue;
			if (state != 'D' && pgrp != pgid && !is_worker(buf))
				continue;
			printf("vhost-fuzz:   task %d/%d state %c: %.*s\n", pid, tid,
			       state, (int)(p - buf + 1), buf);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", pid, tid);
			print_file(path, "vhost-fuzz:     ");
		}
		closedir(td);
	}
	closedir(d);
}

static int n_hang, n_fail;

static void report_slot(const char *what, unsigned int n, int i)
{
	struct slot *s = &fuzz_sh->slot[i];

	printf("vhost-fuzz: %s: seed %llu iteration %u thread %d op #%u '%s' [%s]",
	       what, (unsigned long long)opt.seed, n, i, s->seq,
	       fuzz_ops[s->op].name, s->detail);
}

/*
 * Run fn(n) in a forked process group and watch it. Returns 0 when it
 * exited cleanly, 1 on a failure, 2 on a hang.
 */
static int watch(void (*fn)(unsigned int), unsigned int n)
{
	u64 limit = opt.deadline * 1000ULL, end;
	int st, i;
	pid_t pid;

	memset(fuzz_sh->slot, 0, sizeof(fuzz_sh->slot));
	fuzz_sh->why[0] = 0;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail_at(__FILE__, __LINE__, "fork: %s", errname(errno));
	if (!pid) {
		setpgid(0, 0);
		fn(n);
		_exit(0);
	}
	setpgid(pid, pid);
	for (;;) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		for (i = 0; i < NTHREAD; i++) {
			if (!overdue(&fuzz_sh->slot[i], limit))
				continue;
			n_hang++;
			report_slot("HANG", n, i);
			printf(" has not returned after %u s\n", opt.deadline);
			dump_tasks(pid);
			kill(-pid, SIGKILL);
			end = now_ms() + 10000;
			while (waitpid(pid, &st, WNOHANG) != pid) {
				if (now_ms() > end) {
					printf("vhost-fuzz: the iteration cannot be killed: %s\n",
					       "stuck in the kernel");
					dump_tasks(pid);
					return 2;
				}
				sleep_ms(50);
			}
			printf("vhost-fuzz: the iteration ended after SIGKILL\n");
			return 2;
		}
		sleep_ms(20);
	}
	if (WIFEXITED(st) && !WEXITSTATUS(st)) {
		/* the last thing it did: exit, or the sanity check */
		account(fuzz_sh->slot[0].op, 0, now_ms() - fuzz_sh->slot[0].start_ms);
		return 0;
	}
	n_fail++;
	if (WIFEXITED(st) && WEXITSTATUS(st) == FAIL_STATUS) {
		printf("vhost-fuzz: FAILED: seed %llu iteration %u: %s\n",
		       (unsigned long long)opt.seed, n, fuzz_sh->why);
		for (i = 0; i < NTHREAD; i++)
			if (fuzz_sh->slot[i].active) {
				report_slot("  running", n, i);
				printf("\n");
			}
		return 1;
	}
	for (i = 0; i < NTHREAD; i++) {
		if (!fuzz_sh->slot[i].active)
			continue;
		report_slot("FAILED", n, i);
		printf(": the iteration died (status %#x)\n", st);
		return 1;
	}
	printf("vhost-fuzz: FAILED: seed %llu iteration %u died (status %#x)\n",
	       (unsigned long long)opt.seed, n, st);
	return 1;
}

static int cmp_desc(const void *a, const void *b)
{
	const u64 *x = a, *y = b;

	return x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : 0;
}

static void print_table(void)
{
	unsigned int i, e, k;
	char errs[200];

	printf("vhost-fuzz: %-24s %7s %7s %7s %7s  %s\n", "operation", "runs", "ok",
	       "skipped", "ms/run", "errors (errno count)");
	for (i = 0; i < fuzz_nops; i++) {
		struct opstat *st = &fuzz_sh->stat[i];
		u64 byerr[NERR][2];
		size_t len = 0;

		if (!st->runs)
			continue;
		for (e = 0, k = 0; e < NERR; e++)
			if (st->err[e]) {
				byerr[k][0] = st->err[e];
				byerr[k++][1] = e;
			}
		qsort(byerr, k, sizeof(byerr[0]), cmp_desc);
		errs[0] = 0;
		for (e = 0; e < k && e < 5 && len < sizeof(errs) - 40; e++)
			len += snprintf(errs + len, sizeof(errs) - len, "%s%s %llu",
					e ? ", " : "",
					byerr[e][1] == NERR - 1 ? "other" :
					errname(byerr[e][1]),
					(unsigned long long)byerr[e][0]);
		if (k > 5)
			snprintf(errs + len, sizeof(errs) - len, ", +%u more", k - 5);
		printf("vhost-fuzz: %-24s %7llu %7llu %7llu %7.1f  %s\n",
		       fuzz_ops[i].name, (unsigned long long)st->runs,
		       (unsigned long long)st->ok, (unsigned long long)st->skip,
		       (double)st->ms / st->runs, errs);
	}
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: vhost-fuzz --seed S --seconds N [--target ours|upstream]\n"
		"                  [--iterations K] [--from I] [--deadline SECS]\n"
		"                  [--sanity-every K] [--verbose]\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 'n' },
		{ "target", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'k' },
		{ "from", required_argument, NULL, 'f' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "sanity-every", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ }
	};
	bool seeded = false;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'n':
			opt.seconds = strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt.target = optarg;
			break;
		case 'k':
			opt.iterations = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			opt.from = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			opt.deadline = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			opt.sanity_every = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			opt.verbose = true;
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc || !opt.deadline ||
	    (strcmp(opt.target, "ours") && strcmp(opt.target, "upstream")))
		bad_usage();
	if (!seeded)
		opt.seed = mix64(time(NULL) ^ getpid()) % 1000000000;
}

int main(int argc, char **argv)
{
	size_t len;
	u64 start, secs;
	unsigned int n, done = 0;
	int r = 0;

	parse(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	len = sizeof(*fuzz_sh) + fuzz_nops * sizeof(struct opstat);
	fuzz_sh = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fuzz_sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	fuzz_sh->stat = (struct opstat *)(fuzz_sh + 1);
	fail_setup(NULL, fuzz_sh->why, sizeof(fuzz_sh->why), FAIL_STATUS);
	signal(SIGPIPE, SIG_IGN);
	printf("vhost-fuzz: seed %llu target %s seconds %u iterations %u from %u deadline %u s\n",
	       (unsigned long long)opt.seed, opt.target, opt.seconds,
	       opt.iterations, opt.from, opt.deadline);
	start = now_ms();
	for (n = opt.from; r != 2; n++) {
		if (opt.iterations && done >= opt.iterations)
			break;
		if (opt.seconds && now_ms() - start >= opt.seconds * 1000ULL)
			break;
		r = watch(run_iteration, n);
		done++;
		if (r != 2 && opt.sanity_every && !(done % opt.sanity_every))
			r = watch(sanity_child, n);
	}
	if (r != 2 && watch(sanity_child, n) == 0)
		printf("vhost-fuzz: a fresh device still moves a frame each way\n");
	secs = now_ms() - start;
	print_table();
	printf("vhost-fuzz: %u iterations, %llu ops in %.1f s: %.1f ops/s\n", done,
	       (unsigned long long)fuzz_sh->ops, secs / 1000.0,
	       secs ? fuzz_sh->ops * 1000.0 / secs : 0.0);
	printf("vhost-fuzz: seed %llu: %d hangs, %d failures: %s\n",
	       (unsigned long long)opt.seed, n_hang, n_fail,
	       n_hang || n_fail ? "FAIL" : "PASS");
	return n_hang || n_fail ? 1 : 0;
}
