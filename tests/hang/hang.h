/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost-hang: a guest whose memory stops answering must not wedge the
 * host. The owner process of a device registers part of its guest memory
 * with userfaultfd and never serves it, makes the worker fault there,
 * issues ioctls that need the worker from other threads, and is then
 * killed; the driver process checks that the owner dies and the device is
 * released. Shared between the driver (hang.c) and the owner (owner.c).
 */
#ifndef VHOST_HANG_H
#define VHOST_HANG_H

#include <stdbool.h>
#include <sys/types.h>

#include "ktypes.h"

/* Case flags */
#define HC_RX		0x01	/* the RX buffer is frozen, not the TX one */
#define HC_RING		0x02	/* TX's used ring is frozen: SET_BACKEND faults */
#define HC_THREADS	0x04	/* ioctl threads and a close() while stuck */
#define HC_CLOSE	0x08	/* only a close() from another thread */
#define HC_HELD		0x10	/* the driver holds a dup of the uffd */
#define HC_SERVE	0x20	/* the owner serves the fault late */
#define HC_DUP		0x40	/* a non-owner process holds a dup of the fd */
#define HC_RESET	0x80	/* only a RESET_OWNER from another thread */

struct hcase {
	const char *name;
	unsigned int flags;
	const char *what;
};

extern const struct hcase hang_cases[];

/* Owner progress, in struct hshared.stage */
enum {
	ST_START,
	ST_STUCK,	/* the fault is pending and the threads are started */
	ST_SERVE,	/* driver to owner: serve the fault now */
	ST_SERVED,	/* owner: served, and the checks after it passed */
};

#define HT_MAX	8

struct hthread {
	const char *name;
	int started;
	int returned;
	long ret;
	int err;
};

/* In MAP_SHARED memory, set up by the driver before it forks the owner. */
struct hshared {
	char why[512];		/* the owner's (or dup's) failure */
	int stage;
	int uffd;		/* the owner's uffd, for pidfd_getfd() */
	pid_t dup_pid;
	int dup_ok;		/* the dup process's ioctls all behaved */
	int dup_calls;
	int nthreads;
	struct hthread t[HT_MAX];
};

extern struct hshared *hsh;

void owner_main(const struct hcase *c, bool kthread);

static inline int hstage(void)
{
	return __atomic_load_n(&hsh->stage, __ATOMIC_ACQUIRE);
}

static inline void hset_stage(int st)
{
	__atomic_store_n(&hsh->stage, st, __ATOMIC_RELEASE);
}

#endif
