// SPDX-License-Identifier: GPL-2.0
/*
 * The harness: runs every case in a forked process with a deadline,
 * collects its verdict and reason through shared memory, prints KTAP.
 *
 *   vhost-suite --target upstream|ours [--filter SUBSTR] [--list]
 *               [--timeout SECS] [--budget SECS]
 *
 * The target names the vhost_net under test. It labels every case, and
 * the few cases that check a deliberate difference between the two
 * (Documentation/tests.rst) ask target_is_ours() which behaviour to expect.
 *
 * A case passes when its function returns. An assertion ends it with a
 * reason; so does a signal, a SIGALRM deadline, or the parent's own
 * deadline (the parent never blocks: a case stuck in the kernel is
 * reported as a hang and left behind).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "rig.h"

#define DEFAULT_TIMEOUT	15	/* seconds per case */
#define DEFAULT_BUDGET	170	/* seconds for the whole run */
#define GRACE_MS	3000	/* after SIGKILL, before calling it a hang */
#define SLOW_MS		500	/* cases slower than this say so */

const char *suite_target;

struct shared {
	char why[1024];
};

static struct shared *shared;

bool target_is_ours(void)
{
	return !strcmp(suite_target, "ours");
}

bool kernel_at_least(unsigned int major, unsigned int minor)
{
	static unsigned int have_major, have_minor;
	struct utsname u;

	if (!have_major) {
		CHECK(!uname(&u));
		CHECK(sscanf(u.release, "%u.%u", &have_major, &have_minor) == 2);
	}
	return have_major > major || (have_major == major && have_minor >= minor);
}

void in_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	CHECKF(pid >= 0, "fork: %s", errname(errno));
	if (!pid) {
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		CHECKF(errno == EINTR, "waitpid: %s", errname(errno));
	CHECKF(WIFEXITED(status) && !WEXITSTATUS(status),
	       "helper process failed (status %#x)", status);
}

static void on_alarm(int sig)
{
	(void)sig;
	if (!shared->why[0])
		snprintf(shared->why, sizeof(shared->why),
			 "case timed out (SIGALRM)");
	_exit(3);
}

static void run_child(const struct vcase *c, unsigned int timeout)
{
	setpgid(0, 0);
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	alarm(timeout);
	if (suite_packed && !target_is_ours()) {
		packed_not_offered();
		if (!strncmp(c->name, "in_order.", 9))
			in_order_offered();
	} else {
		c->fn();
	}
	fflush(stdout);
	_exit(0);
}

/* Wait for pid until deadline; 1 when it exited, with *status set. */
static int wait_until(pid_t pid, u64 deadline, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline)
			return 0;
		sleep_ms(5);
	}
}

static void verdict(int status, char *why, size_t len)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (shared->why[0])
		snprintf(why, len, "%s", shared->why);
	else if (WIFSIGNALED(status))
		snprintf(why, len, "case killed by signal %s",
			 sigabbrev_np(WTERMSIG(status)) ?: "?");
	else
		snprintf(why, len, "case exited with status %d",
			 WEXITSTATUS(status));
}

/* Run one case; empty *why means it passed. */
static void run_case(const struct vcase *c, unsigned int def_timeout,
		     char *why, size_t len)
{
	unsigned int timeout = c->timeout ? c->timeout : def_timeout;
	int status = 0;
	pid_t pid;

	memset(shared, 0, sizeof(*shared));
	why[0] = 0;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(why, len, "fork: %s", errname(errno));
		return;
	}
	if (!pid)
		run_child(c, timeout);
	setpgid(pid, pid);
	if (wait_until(pid, now_ms() + timeout * 1000ULL + 1000, &status) == 1) {
		verdict(status, why, len);
		kill(-pid, SIGKILL);	/* helpers the case left behind */
		return;
	}
	kill(-pid, SIGKILL);
	if (wait_until(pid, now_ms() + GRACE_MS, &status) == 1)
		snprintf(why, len, "case hung past %us and was killed%s%s",
			 timeout, shared->why[0] ? ": " : "", shared->why);
	else
		snprintf(why, len, "case hung in the kernel (unkillable after %us)",
			 timeout);
}

/*
 * --ring packed runs the datapath, in-order and IOTLB cases on packed
 * rings, and the cases of packed.c: the others are about the split ring's
 * own structures.
 */
static const struct vcase *const *tables(void)
{
	static const struct vcase *const t[] = {
		abi_cases, datapath_cases, log_cases, hostile_cases, lifecycle_cases,
		robust_cases, stats_cases, inorder_cases, iotlb_cases,
		NULL
	};
	static const struct vcase *const packed[] = {
		datapath_cases, packed_cases, inorder_cases, iotlb_cases, NULL
	};

	return suite_packed ? packed : t;
}

static bool selected(const struct vcase *c, const char *filter)
{
	if (suite_packed && c->split_only)
		return false;
	return !filter || strstr(c->name, filter);
}

/* Packed runs name their cases apart: "packed.tx.60.direct". */
static const char *ring_prefix(void)
{
	return suite_packed ? "packed." : "";
}

static int count_cases(const char *filter)
{
	const struct vcase *const *t;
	const struct vcase *c;
	int n = 0;

	for (t = tables(); *t; t++)
		for (c = *t; c->name; c++)
			n += selected(c, filter);
	return n;
}

static void bad_args(void)
{
	fputs("vhost-suite --target upstream|ours [--filter SUBSTR] [--list]\n"
	      "            [--timeout SECS] [--budget SECS] [--ring split|packed]\n",
	      stderr);
	exit(2);
}

struct opts {
	const char *filter;
	unsigned int timeout, budget;
	bool list;
};

static bool ring_name(const char *v)
{
	return !strcmp(v, "split") || !strcmp(v, "packed");
}

static void parse(int argc, char **argv, struct opts *o)
{
	int i;

	o->filter = NULL;
	o->timeout = DEFAULT_TIMEOUT;
	o->budget = DEFAULT_BUDGET;
	o->list = false;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--list")) {
			o->list = true;
			continue;
		}
		if (!v)
			bad_args();
		if (!strcmp(a, "--target"))
			suite_target = v;
		else if (!strcmp(a, "--filter"))
			o->filter = v;
		else if (!strcmp(a, "--timeout"))
			o->timeout = atoi(v);
		else if (!strcmp(a, "--budget"))
			o->budget = atoi(v);
		else if (!strcmp(a, "--ring") && ring_name(v))
			suite_packed = !strcmp(v, "packed");
		else
			bad_args();
		i++;
	}
	if (o->list && !suite_target)
		return;
	if (!suite_target || (strcmp(suite_target, "upstream") &&
			      strcmp(suite_target, "ours")))
		bad_args();
}

static int run_all(const struct opts *o)
{
	const struct vcase *const *t;
	const struct vcase *c;
	u64 deadline = now_ms() + o->budget * 1000ULL;
	int n = 0, passed = 0, failed = 0;
	char why[1100];
	u64 t0;

	printf("KTAP version 1\n1..%d\n", count_cases(o->filter));
	for (t = tables(); *t; t++) {
		for (c = *t; c->name; c++) {
			if (!selected(c, o->filter))
				continue;
			n++;
			t0 = now_ms();
			if (t0 >= deadline)
				snprintf(why, sizeof(why),
					 "not run: the suite's %us budget is spent",
					 o->budget);
			else
				run_case(c, o->timeout, why, sizeof(why));
			t0 = now_ms() - t0;
			if (t0 >= SLOW_MS)
				printf("# %s%s took %llu ms\n", ring_prefix(), c->name,
				       (unsigned long long)t0);
			if (why[0]) {
				failed++;
				printf("not ok %d %s: %s%s # %s\n", n,
				       suite_target, ring_prefix(), c->name, why);
			} else {
				passed++;
				printf("ok %d %s: %s%s\n", n, suite_target,
				       ring_prefix(), c->name);
			}
			fflush(stdout);
		}
	}
	printf("# %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct vcase *const *t;
	const struct vcase *c;
	struct opts o;

	parse(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (o.list) {
		for (t = tables(); *t; t++)
			for (c = *t; c->name; c++)
				if (selected(c, o.filter))
					printf("%s%s\n", ring_prefix(), c->name);
		return 0;
	}
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	fail_setup(NULL, shared->why, sizeof(shared->why), 1);
	/* The global watchdog: a last resort if the loop itself stalls. */
	signal(SIGALRM, SIG_DFL);
	alarm(o.budget + 60);
	return run_all(&o);
}
