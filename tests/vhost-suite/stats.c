// SPDX-License-Identifier: GPL-2.0
/*
 * Per-queue statistics (issue 17): the counters in
 * /sys/kernel/debug/vhost-net/<owner tgid>-<id>/vq<N> move as the traffic
 * says, a broken ring shows its reason, and the directory lives from
 * SET_OWNER to RESET_OWNER or close (or the owner's death) and only root
 * may read it. Upstream has no statistics: against it each case moves
 * the same traffic and checks that no such directory exists
 * (Documentation/tests.rst, deliberate differences).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rig.h"

#define DBG		"/sys/kernel/debug"
#define DBG_ROOT	DBG "/vhost-net"
#define DEBUGFS_MAGIC	0x64626720
#define NOBODY		65534
#define NO_ROOM_FRAMES	20	/* rx_no_room_quiet(): frames queued with no room */

/* The err eventfd fires; its count is left for the caller. */
static void expect_err_nodrain(struct vq *q)
{
	CHECKF(fd_wait(q->err, WAIT_MS), "ring %d: err eventfd did not fire",
	       q->idx);
}

/* Without debugfs neither target could be told apart: fail, never skip. */
static void debugfs_mounted(void)
{
	struct statfs s;

	CHECKF(!statfs(DBG, &s), "statfs %s: %s", DBG, errname(errno));
	CHECKF(s.f_type == DEBUGFS_MAGIC, "%s is not a debugfs", DBG);
}

/* Upstream: no statistics directory at all. */
static void no_stats_dir(void)
{
	CHECKF(access(DBG_ROOT, F_OK) && errno == ENOENT,
	       "upstream's module made %s", DBG_ROOT);
}

/* How many device directories @pid owns; the last one's path in @path. */
static int owned_dirs(pid_t pid, char *path, size_t len)
{
	char prefix[32];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "%d-", pid);
	d = opendir(DBG_ROOT);
	CHECKF(d, "opendir %s: %s", DBG_ROOT, errname(errno));
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		n++;
		if (path)
			snprintf(path, len, "%s/%s", DBG_ROOT, e->d_name);
	}
	closedir(d);
	return n;
}

/* The one directory of the device this process owns. */
static void our_dir(char *path, size_t len)
{
	int n = owned_dirs(getpid(), path, len);

	CHECKF(n == 1, "%d statistics directories for pid %d, expected 1",
	       n, getpid());
}

/* The value of @key in queue @vq's file, as text. */
static void stat_text(const char *dir, int vq, const char *key, char *val,
		      size_t len)
{
	char path[300], line[128], k[64], v[64];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vq%d", dir, vq);
	f = fopen(path, "r");
	CHECKF(f, "open %s: %s", path, errname(errno));
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%63s %63s", k, v) == 2 && !strcmp(k, key);
	fclose(f);
	CHECKF(found, "%s has no line \"%s\"", path, key);
	snprintf(val, len, "%s", v);
}

static u64 stat_u64(const char *dir, int vq, const char *key)
{
	char v[64], *end;
	u64 n;

	stat_text(dir, vq, key, v, sizeof(v));
	n = strtoull(v, &end, 10);
	CHECKF(!*end, "vq%d %s: \"%s\" is not a number", vq, key, v);
	return n;
}

static void expect_stat(const char *dir, int vq, const char *key, u64 want)
{
	u64 got = stat_u64(dir, vq, key);

	CHECKF(got == want, "vq%d %s is %llu, expected %llu", vq, key,
	       (unsigned long long)got, (unsigned long long)want);
}

/* No drop and no ring error on queue @vq. */
static void expect_clean(const char *dir, int vq)
{
	static const char *const keys[] = {
		"drops_too_big", "drops_backend", "drops_bad_header",
		"drops_fault", "drops_empty", "errors", NULL
	};
	const char *const *k;
	char v[64];

	for (k = keys; *k; k++)
		expect_stat(dir, vq, *k, 0);
	stat_text(dir, vq, "last_error", v, sizeof(v));
	CHECKF(!strcmp(v, "none"), "vq%d last_error is %s", vq, v);
}

/* TX of 8 frames of different sizes: 8 frames, their exact bytes, 8 kicks. */
static void tx_frames_bytes(void)
{
	struct rig_opts o = { .features = F_MODERN };
	u64 f0 = 0, b0 = 0, k0 = 0, t0 = 0, bytes = 0;
	char dir[300];
	struct rig r;
	size_t len;
	int i;

	debugfs_mounted();
	rig_up(&r, &o);
	if (target_is_ours()) {
		our_dir(dir, sizeof(dir));
		f0 = stat_u64(dir, TX, "frames");
		b0 = stat_u64(dir, TX, "bytes");
		k0 = stat_u64(dir, TX, "kicks");
		t0 = stat_u64(dir, TX, "batch_frames");
	}
	for (i = 0; i < 8; i++) {
		len = 60 + i * 200;
		bytes += len;
		tx_send(&r, FRAME_RAW, len, i, L_DIRECT);
		tx_expect(&r, FRAME_RAW, len, i);
	}
	tx_reap(&r, 8);
	if (!target_is_ours()) {
		no_stats_dir();
		return;
	}
	diag("vq1: %llu frames, %llu bytes, %llu kicks, %llu runs, %llu TX batches",
	     (unsigned long long)stat_u64(dir, TX, "frames"),
	     (unsigned long long)stat_u64(dir, TX, "bytes"),
	     (unsigned long long)stat_u64(dir, TX, "kicks"),
	     (unsigned long long)stat_u64(dir, TX, "runs"),
	     (unsigned long long)stat_u64(dir, TX, "batches"));
	expect_stat(dir, TX, "frames", f0 + 8);
	expect_stat(dir, TX, "bytes", b0 + bytes);
	expect_stat(dir, TX, "kicks", k0 + 8);
	CHECK(stat_u64(dir, TX, "runs") >= 1);
	/* tap with its unlimited send buffer takes them all in batches. */
	expect_stat(dir, TX, "batch_frames", t0 + 8);
	expect_clean(dir, TX);
	expect_stat(dir, RX, "frames", 0);
}

/* RX of 8 frames: 8 frames and their bytes, and the guest was called. */
static void rx_frames_bytes(void)
{
	struct rig_opts o = { .features = F_MODERN };
	u64 f0 = 0, b0 = 0, bytes = 0;
	char dir[300];
	struct rig r;
	size_t len;
	int i;

	debugfs_mounted();
	rig_up(&r, &o);
	if (target_is_ours()) {
		our_dir(dir, sizeof(dir));
		f0 = stat_u64(dir, RX, "frames");
		b0 = stat_u64(dir, RX, "bytes");
	}
	rx_post(&r, L_DIRECT, r.hdr + 1514, 8);
	for (i = 0; i < 8; i++) {
		len = 60 + i * 180;
		bytes += len;
		rx_inject(&r, FRAME_RAW, len, i);
		rx_expect(&r, FRAME_RAW, len, i, NULL);
	}
	if (!target_is_ours()) {
		no_stats_dir();
		return;
	}
	expect_stat(dir, RX, "frames", f0 + 8);
	expect_stat(dir, RX, "bytes", b0 + bytes);
	CHECK(stat_u64(dir, RX, "kicks") >= 1);
	/* The guest asks for calls: it gets one per used batch. */
	CHECKF(stat_u64(dir, RX, "calls") >= 1, "the guest was never called");
	expect_stat(dir, RX, "calls_suppressed", 0);
	expect_clean(dir, RX);
	expect_stat(dir, TX, "frames", 0);
}

/* Each write to the kick eventfd is one kick, with or without buffers. */
static void kicks_counted(void)
{
	struct rig_opts o = { .features = F_MODERN };
	char dir[300];
	struct rig r;
	u64 k0 = 0;
	int i;

	debugfs_mounted();
	rig_up(&r, &o);
	if (target_is_ours()) {
		our_dir(dir, sizeof(dir));
		k0 = stat_u64(dir, TX, "kicks");
	}
	for (i = 0; i < 5; i++)
		vq_kick(&r.d.vq[TX]);
	tx_roundtrip(&r, 60, 1, L_DIRECT);
	if (!target_is_ours()) {
		no_stats_dir();
		return;
	}
	expect_stat(dir, TX, "kicks", k0 + 6);
	CHECK(stat_u64(dir, TX, "ring_empty") >= 1);
}

/*
 * A TX chain that loops (0 -> 1 -> 0): the ring breaks, errors_loop and
 * errors count it, last_error names it and the avail index it was at.
 * A kick retries the chain, which breaks the ring again: counted again.
 * The backend's start may run the chain once more before our kick does,
 * so the counts are checked against the err eventfd, which is signalled
 * once per break.
 */
static u64 settled_errs(struct vq *q)
{
	expect_err_nodrain(q);
	sleep_ms(QUIET_MS);
	return efd_drain(q->err);
}

static void ring_error_loop(void)
{
	struct rig_opts o = { .features = F_MODERN };
	struct vq *q;
	char dir[300], v[64];
	struct rig r;
	u64 gpa, n, m;
	u8 *buf;

	debugfs_mounted();
	rig_up(&r, &o);
	q = &r.d.vq[TX];
	buf = galloc(&r.d.mem, 4096, 4096);
	gpa = gpa_of(&r.d.mem, buf);
	q->desc[0] = (struct vring_desc){ gpa, 64, VRING_DESC_F_NEXT, 1 };
	q->desc[1] = (struct vring_desc){ gpa + 64, 64, VRING_DESC_F_NEXT, 0 };
	vq_publish_raw(q, 0);
	vq_kick(q);
	n = settled_errs(q);
	if (!target_is_ours()) {
		no_stats_dir();
		return;
	}
	our_dir(dir, sizeof(dir));
	CHECKF(n == 1 || n == 2, "the ring broke %llu times", (unsigned long long)n);
	expect_stat(dir, TX, "errors_loop", n);
	expect_stat(dir, TX, "errors", n);
	expect_stat(dir, TX, "errors_index", 0);
	stat_text(dir, TX, "last_error", v, sizeof(v));
	CHECKF(!strcmp(v, "chain_loop"), "last_error is %s, expected chain_loop", v);
	expect_stat(dir, TX, "last_error_avail", 0);
	expect_stat(dir, TX, "frames", 0);
	vq_kick(q);
	m = settled_errs(q);
	CHECKF(m == 1, "a kick broke the ring %llu times", (unsigned long long)m);
	expect_stat(dir, TX, "errors_loop", n + 1);
	expect_clean(dir, RX);
}

/*
 * Without mergeable buffers a frame larger than the guest's buffer is
 * dropped (both modules), and the next one takes the buffer.
 */
static void rx_drop_too_big(void)
{
	struct rig_opts o = { .features = F_MODERN };
	char dir[300];
	struct rig r;

	debugfs_mounted();
	rig_up(&r, &o);
	rx_post(&r, L_DIRECT, r.hdr + 100, 1);
	rx_inject(&r, FRAME_RAW, 1000, 1);
	rx_inject(&r, FRAME_RAW, 60, 2);
	rx_expect(&r, FRAME_RAW, 60, 2, NULL);
	if (!target_is_ours()) {
		no_stats_dir();
		return;
	}
	our_dir(dir, sizeof(dir));
	expect_stat(dir, RX, "drops_too_big", 1);
	expect_stat(dir, RX, "frames", 1);
	expect_stat(dir, RX, "bytes", 60);
	expect_stat(dir, RX, "errors", 0);
}

/*
 * A guest out of RX room: the frames that queue meanwhile must not each
 * wake the worker to find no room (ours stops listening to the socket
 * until the guest's kick, as upstream does); the kick that brings room
 * delivers every queued frame, in order. Both modules deliver them; the
 * count of worker runs is ours only.
 */
static void rx_no_room_quiet(void)
{
	struct rig_opts o = { .features = F_MODERN };
	u64 runs0 = 0, runs;
	char dir[300];
	struct rig r;
	int i;

	debugfs_mounted();
	rig_up(&r, &o);
	rx_roundtrip(&r, 60, 0, L_DIRECT);
	if (target_is_ours()) {
		our_dir(dir, sizeof(dir));
		runs0 = stat_u64(dir, RX, "runs");
	}
	for (i = 1; i <= NO_ROOM_FRAMES; i++) {
		rx_inject(&r, FRAME_RAW, 60, i);
		sleep_ms(5);
	}
	sleep_ms(QUIET_MS);
	if (target_is_ours()) {
		runs = stat_u64(dir, RX, "runs") - runs0;
		diag("%llu RX runs for %d frames with no room",
		     (unsigned long long)runs, NO_ROOM_FRAMES);
		CHECKF(runs <= 2, "%llu RX runs for %d frames with no room: woken per frame",
		       (unsigned long long)runs, NO_ROOM_FRAMES);
	}
	rx_post(&r, L_DIRECT, r.hdr + 60, NO_ROOM_FRAMES);
	for (i = 1; i <= NO_ROOM_FRAMES; i++)
		rx_expect(&r, FRAME_RAW, 60, i, NULL);
	if (!target_is_ours()) {
		no_stats_dir();
		return;
	}
	expect_stat(dir, RX, "frames", NO_ROOM_FRAMES + 1);
	expect_clean(dir, RX);
}

/* The directory comes with SET_OWNER and goes with RESET_OWNER and close. */
static void debugfs_lifecycle(void)
{
	char dir[300], path[320];
	struct stat st;
	struct vdev d;
	int i;

	debugfs_mounted();
	vdev_init(&d);
	if (!target_is_ours()) {
		vdev_start(&d, F_MODERN, 256);
		no_stats_dir();
		vdev_close(&d);
		no_stats_dir();
		return;
	}
	CHECKF(owned_dirs(getpid(), NULL, 0) == 0, "a directory before SET_OWNER");
	vdev_start(&d, F_MODERN, 256);
	our_dir(dir, sizeof(dir));
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/vq%d", dir, i);
		CHECKF(!stat(path, &st), "stat %s: %s", path, errname(errno));
		CHECKF(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0400 &&
		       st.st_uid == 0, "%s: mode %o, uid %u", path, st.st_mode,
		       st.st_uid);
	}
	snprintf(path, sizeof(path), "%s/vq2", dir);
	CHECKF(access(path, F_OK), "a vq2 on a device of two queues");
	OK(ioctl(d.fd, VHOST_RESET_OWNER));
	CHECKF(owned_dirs(getpid(), NULL, 0) == 0, "the directory outlived RESET_OWNER");
	OK(ioctl(d.fd, VHOST_SET_OWNER));
	our_dir(dir, sizeof(dir));
	expect_stat(dir, TX, "frames", 0);
	vdev_close(&d);
	CHECKF(owned_dirs(getpid(), NULL, 0) == 0, "the directory outlived close");
}

/* An owner with traffic set up, killed: its directory goes with it. */
static void debugfs_owner_killed(void)
{
	struct rig_opts o = { .features = F_MODERN };
	int p[2], status, n = 1;
	struct rig r;
	pid_t pid;
	char c;
	u64 end;

	debugfs_mounted();
	OK(pipe(p));
	pid = fork();
	CHECKF(pid >= 0, "fork: %s", errname(errno));
	if (!pid) {
		rig_up(&r, &o);
		tx_roundtrip(&r, 60, 1, L_DIRECT);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	CHECKF(read(p[0], &c, 1) == 1, "the owner died before it was ready");
	if (target_is_ours())
		CHECKF(owned_dirs(pid, NULL, 0) == 1, "no directory for owner %d", pid);
	else
		no_stats_dir();
	OK(kill(pid, SIGKILL));
	OK(waitpid(pid, &status, 0));
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	if (!target_is_ours()) {
		no_stats_dir();
		return;
	}
	for (end = now_ms() + WAIT_MS; now_ms() < end; sleep_ms(20)) {
		n = owned_dirs(pid, NULL, 0);
		if (!n)
			break;
	}
	CHECKF(!n, "the killed owner's directory is still there");
}

static void read_as_nobody(void *path)
{
	int fd;

	CHECKF(!setgid(NOBODY) && !setuid(NOBODY), "setuid: %s", errname(errno));
	fd = open(path, O_RDONLY);
	CHECKF(fd < 0 && errno == EACCES, "uid %d opened %s (%s)", NOBODY,
	       (char *)path, fd < 0 ? errname(errno) : "no error");
}

/* Only root reads the counters; uid 65534 gets EACCES. */
static void debugfs_root_only(void)
{
	struct rig_opts o = { .features = F_MODERN };
	char dir[300], path[320];
	struct rig r;
	int fd;

	debugfs_mounted();
	rig_up(&r, &o);
	if (!target_is_ours()) {
		no_stats_dir();
		return;
	}
	our_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/vq%d", dir, TX);
	fd = OK(open(path, O_RDONLY));
	close(fd);
	in_child(read_as_nobody, path);
	snprintf(path, sizeof(path), "%s/vq%d", dir, RX);
	in_child(read_as_nobody, path);
}

const struct vcase stats_cases[] = {
	{ "stats.tx.frames_bytes_kicks", tx_frames_bytes },
	{ "stats.rx.frames_bytes_calls", rx_frames_bytes },
	{ "stats.tx.kicks_without_buffers", kicks_counted },
	{ "stats.tx.ring_error_loop", ring_error_loop },
	{ "stats.rx.drop_too_big", rx_drop_too_big },
	{ "stats.rx.no_room_quiet", rx_no_room_quiet },
	{ "stats.debugfs.lifecycle", debugfs_lifecycle },
	{ "stats.debugfs.owner_killed", debugfs_owner_killed },
	{ "stats.debugfs.root_only", debugfs_root_only },
	{ NULL }
};
