// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-hang: kill and hang paths of a vhost-net device whose guest
 * memory stops answering. Run as root in the lab VM, against our module
 * only (upstream's would wedge the VM); tests/suites/hang.sh runs each
 * case in each worker mode, with the hung-task detector on a short
 * timeout, and unloads the module after each.
 *
 *   vhost-hang --list
 *   vhost-hang CASE task|kthread [--stuck-ms MS]
 *
 * One line per check, "ok - WHAT" or "not ok - WHAT # WHY", and "# ..."
 * diagnostics; the exit status is 1 when a check failed. The owner of the
 * device is a child process, killed with SIGKILL once the worker has been
 * waiting on the frozen memory for the stuck time; the program then
 * checks that the owner is reaped and that nothing holds vhost_net any
 * more (its refcount is 0, so the device was released), within deadlines.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hang.h"
#include "harness.h"

#define SETUP_MS	30000	/* for the owner to get stuck */
#define SERVE_MS	15000	/* for the owner to recover after a serve */
#define REAP_MS		15000	/* from SIGKILL to the owner reaped */
#define RELEASE_MS	15000	/* from then to vhost_net unused */
#define DUP_MS		40000	/* for the non-owner to finish */

const struct hcase hang_cases[] = {
	{ "tx.kill", HC_THREADS,
	  "TX buffer frozen; ioctls and close() from other threads; SIGKILL" },
	{ "rx.kill", HC_RX | HC_THREADS,
	  "RX buffer frozen, a frame from the tap; ioctls and close(); SIGKILL" },
	{ "ring.kill", HC_RING | HC_THREADS,
	  "TX used ring frozen: SET_BACKEND faults; other ioctls; SIGKILL" },
	{ "tx.held", HC_HELD | HC_THREADS,
	  "another process holds the uffd, never serves it, closes it late" },
	{ "tx.serve", HC_SERVE | HC_THREADS,
	  "the TX fault is served late: everything resumes; then SIGKILL" },
	{ "rx.serve", HC_RX | HC_SERVE | HC_THREADS,
	  "the RX fault is served late: everything resumes; then SIGKILL" },
	{ "tx.close", HC_CLOSE,
	  "close() from another thread while the worker waits; SIGKILL" },
	{ "tx.reset", HC_RESET,
	  "RESET_OWNER from another thread while the worker waits; SIGKILL" },
	{ "tx.dup", HC_DUP,
	  "a non-owner holding a dup of the fd does ioctls as the owner dies" },
	{ NULL, 0, NULL },
};

struct hshared *hsh;
static int nfail;

[[gnu::format(printf, 3, 4)]]
static void result(bool ok, const char *what, const char *fmt, ...)
{
	char why[600] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	if (ok) {
		printf("ok - %s\n", what);
	} else {
		nfail++;
		printf("not ok - %s%s%s\n", what, why[0] ? " # " : "", why);
	}
	fflush(stdout);
}

/* vhost_net's module refcount: open files (and our own holds) on it. */
static long vhost_refs(void)
{
	FILE *f = fopen("/sys/module/vhost_net/refcnt", "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

static bool wait_refcnt_zero(int ms, u64 *took)
{
	u64 t0 = now_ms();

	while (vhost_refs() != 0) {
		if (now_ms() - t0 >= (u64)ms)
			return false;
		sleep_ms(20);
	}
	*took = now_ms() - t0;
	return true;
}

/* Reap @pid within @ms; true if it was. */
static bool wait_reaped(pid_t pid, int ms, int *status)
{
	u64 end = now_ms() + ms;

	for (;;) {
		pid_t p = waitpid(pid, status, WNOHANG);

		if (p == pid)
			return true;
		/* ECHILD: not ours yet (a non-owner awaiting reparenting). */
		if (now_ms() >= end)
			return false;
		sleep_ms(20);
	}
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	buf[0] = 0;
	if (!f)
		return;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* Every thread of @pid: name, state, where it waits, its kernel stack. */
static void dump_task(const char *pid)
{
	char path[300], buf[4096], *line, *save;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char comm[64], stat[512], *st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task/%s/comm", pid, e->d_name);
		slurp(path, comm, sizeof(comm));
		comm[strcspn(comm, "\n")] = 0;
		snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", pid, e->d_name);
		slurp(path, stat, sizeof(stat));
		st = strrchr(stat, ')');
		diag("task %s/%s (%s) state %c", pid, e->d_name, comm,
		     st && st[1] ? st[2] : '?');
		snprintf(path, sizeof(path), "/proc/%s/task/%s/stack", pid, e->d_name);
		slurp(path, buf, sizeof(buf));
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			diag("    %s", line);
	}
	closedir(d);
}

/* The owner, the non-owner and any vhost-<owner> kthread, for the log. */
static void dump_tasks(pid_t owner)
{
	char want[32], path[300], comm[64];
	struct dirent *e;
	DIR *d = opendir("/proc");

	snprintf(want, sizeof(want), "vhost-%d", owner);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		slurp(path, comm, sizeof(comm));
		comm[strcspn(comm, "\n")] = 0;
		if (atoi(e->d_name) == owner || atoi(e->d_name) == hsh->dup_pid ||
		    !strcmp(comm, want))
			dump_task(e->d_name);
	}
	if (d)
		closedir(d);
}

static void threads_diag(void)
{
	int i;

	for (i = 0; i < hsh->nthreads; i++) {
		struct hthread *t = &hsh->t[i];

		if (__atomic_load_n(&t->returned, __ATOMIC_ACQUIRE))
			diag("%s returned %ld%s%s", t->name, t->ret,
			     t->ret < 0 ? " " : "", t->ret < 0 ? errname(t->err) : "");
		else
			diag("%s still waiting", t->name);
	}
}

/* Wait for the owner to reach @st; false (and its status) if it died. */
static bool await_stage(pid_t pid, int st, int ms, int *status)
{
	u64 end = now_ms() + ms;

	while (hstage() < st) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return false;
		if (now_ms() >= end) {
			*status = -1;
			return false;
		}
		sleep_ms(10);
	}
	return true;
}

static int grab_uffd(pid_t pid)
{
	int pfd = syscall(SYS_pidfd_open, pid, 0);
	int fd = pfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pfd, hsh->uffd, 0);

	if (pfd >= 0)
		close(pfd);
	return fd;
}

static void run(const struct hcase *c, bool kthread, unsigned int stuck_ms)
{
	const char *stuck_what = c->flags & HC_RING ?
		"SET_BACKEND waits on frozen guest memory" :
		"the worker waits on frozen guest memory";
	int status = 0, held = -1;
	bool alive, reaped = false;
	u64 t0, took;
	long rc;
	pid_t pid;

	rc = vhost_refs();
	result(rc == 0, "vhost_net loaded and unused before the case",
	       "refcnt %ld", rc);
	diag("%s (%s workers)", c->what, kthread ? "kthread" : "vhost_task");
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		fail_setup("vhost-hang", hsh->why, sizeof(hsh->why), 1);
		owner_main(c, kthread);
		_exit(1);
	}
	alive = await_stage(pid, ST_STUCK, SETUP_MS, &status);
	result(alive, stuck_what, "owner %s: %s",
	       status == -1 ? "timed out" : "exited", hsh->why);
	reaped = !alive && status != -1;
	if (!alive && status == -1)
		dump_tasks(pid);
	if (alive && (c->flags & HC_HELD)) {
		held = grab_uffd(pid);
		result(held >= 0, "the uffd is held by another process too",
		       "pidfd_getfd: %s", errname(errno));
	}
	if (alive) {
		/* The hung-task detector watches meanwhile. */
		sleep_ms(stuck_ms);
		threads_diag();
	}
	if (alive && (c->flags & HC_SERVE)) {
		hset_stage(ST_SERVE);
		alive = await_stage(pid, ST_SERVED, SERVE_MS, &status);
		result(alive, "served late: every ioctl returns and the buffer is used",
		       "%s", status == -1 ? "timed out" : hsh->why);
		reaped = !alive && status != -1;
		if (!alive && status == -1)
			dump_tasks(pid);
	}
	if (alive && (c->flags & (HC_CLOSE | HC_RESET)) && kthread)
		/* Both make a kthread abandon the fault (vhn_worker_unblock()). */
		result(__atomic_load_n(&hsh->t[0].returned, __ATOMIC_ACQUIRE) &&
		       !hsh->t[0].ret,
		       c->flags & HC_CLOSE ?
		       "close() returns: release unblocks a kthread worker" :
		       "RESET_OWNER returns 0: it unblocks a kthread worker",
		       "%s", hsh->t[0].returned ? errname(hsh->t[0].err) :
		       "still waiting");

	/* An owner that failed and exited was reaped above. */
	if (!reaped) {
		kill(pid, SIGKILL);
		t0 = now_ms();
		reaped = wait_reaped(pid, REAP_MS, &status);
		result(reaped, "the owner is reaped after SIGKILL",
		       "not within %d ms", REAP_MS);
		if (reaped)
			diag("owner reaped %llu ms after SIGKILL",
			     (unsigned long long)(now_ms() - t0));
		else
			dump_tasks(pid);
	}
	if (c->flags & HC_DUP) {
		bool done = hsh->dup_pid > 0 &&
			    wait_reaped(hsh->dup_pid, DUP_MS, &status);

		result(done && WIFEXITED(status) && !WEXITSTATUS(status),
		       "a non-owner's ioctls return while and after the owner dies",
		       "%s", !done ? "it did not exit" : hsh->why);
		diag("non-owner made %d ioctls", hsh->dup_calls);
		if (!done)
			dump_tasks(pid);
	}
	rc = wait_refcnt_zero(RELEASE_MS, &took);
	result(rc, "the device is released (vhost_net refcount 0)",
	       "refcnt %ld after %d ms", vhost_refs(), RELEASE_MS);
	if (rc)
		diag("released %llu ms after the owner was reaped",
		     (unsigned long long)took);
	else
		dump_tasks(pid);
	if (held >= 0) {
		/* Late: nothing is waiting on it any more. */
		close(held);
		result(vhost_refs() == 0, "the uffd closed late changes nothing",
		       "refcnt %ld", vhost_refs());
	}
}

static void help(void)
{
	const struct hcase *c;

	fprintf(stderr, "usage: vhost-hang --list | CASE task|kthread [--stuck-ms MS]\n");
	for (c = hang_cases; c->name; c++)
		fprintf(stderr, "  %-10s %s\n", c->name, c->what);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int stuck_ms = 6000;
	const struct hcase *c;
	bool kthread;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (c = hang_cases; c->name; c++)
			printf("%s\n", c->name);
		return 0;
	}
	if (argc != 3 && !(argc == 5 && !strcmp(argv[3], "--stuck-ms")))
		help();
	if (argc == 5)
		stuck_ms = atoi(argv[4]);
	for (c = hang_cases; c->name && strcmp(c->name, argv[1]); c++)
		;
	if (!c->name || (strcmp(argv[2], "task") && strcmp(argv[2], "kthread")))
		help();
	kthread = !strcmp(argv[2], "kthread");
	/* Last resort: the deadlines above add up to well under this. */
	alarm(180);
	hsh = mmap(NULL, sizeof(*hsh), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(hsh != MAP_FAILED);
	fail_setup("vhost-hang", NULL, 0, 1);
	/* The non-owner outlives its parent, the owner: it comes to us. */
	CHECK(!prctl(PR_SET_CHILD_SUBREAPER, 1));
	run(c, kthread, stuck_ms);
	return nfail ? 1 : 0;
}
