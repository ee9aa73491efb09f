/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost-fuzz: random operation sequences against /dev/vhost-net, seeded
 * and reproducible, with a watchdog that reports an operation that does
 * not return as a hang.
 */
#ifndef VHOST_FUZZ_H
#define VHOST_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <net/if.h>

#include "ktypes.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define NDEV		4	/* device slots per iteration */
#define NEFD		12	/* eventfds per iteration */
#define NTHREAD		4	/* most threads on one iteration's devices */
#define NWORKER		16	/* worker ids remembered */
#define NERR		140	/* errno buckets; the last one takes the rest */

#define GPA_MAIN	0x100000ULL	/* guest-physical address of main memory */
#define MAIN_SIZE	(4u << 20)
#define GPA_VICTIM	0x40000000ULL	/* of the memory that comes and goes */
#define VICTIM_SIZE	(1024u << 10)
#define LOG_SIZE	(64u << 10)	/* dirty bitmap: 2 GiB of guest memory */
#define RING_AREA	(64u << 10)	/* per device and ring, in main memory */
#define IND_OFF		(512u << 10)	/* indirect tables */
#define DATA_OFF	(1024u << 10)	/* buffers */
#define KERNEL_ADDR	0xffff888000000000ULL

/* What a thread is doing, in memory the parent watches. */
struct slot {
	int active;		/* an operation is running */
	int iter;
	int op;
	u32 seq;		/* operations this thread started */
	u64 start_ms;
	pid_t tid;
	char detail[120];	/* the operation's arguments */
};

struct opstat {
	u64 runs, ok, skip;
	u64 ms;			/* time spent in it */
	u64 err[NERR];
};

/* Shared with the parent, across fork(). */
struct shared {
	struct slot slot[NTHREAD];
	u64 ops;
	char why[512];		/* a fuzzer failure (not a kernel one) */
	struct opstat *stat;	/* one per operation, after this */
};

/* One device slot of an iteration. */
struct fdev {
	int fd;
	unsigned int num[2];	/* ring sizes we set, for the ring operations */
	u16 avail[2];		/* the avail index we publish next */
	int kick[2];		/* the kick eventfd we gave, or -1 */
};

/* Everything an iteration's threads share; races between them are wanted. */
struct iter {
	int n;
	u64 seed;
	struct fdev dev[NDEV];
	int efd[NEFD];
	u8 *main;		/* MAIN_SIZE at GPA_MAIN */
	u8 *victim;		/* VICTIM_SIZE at GPA_VICTIM, unmapped at times */
	u8 *log;		/* LOG_SIZE of dirty bitmap */
	u8 *edge;		/* a page followed by an inaccessible one */
	int tap;		/* IFF_TAP | IFF_NO_PI | IFF_VNET_HDR */
	int tun;		/* IFF_TUN with the 4-byte packet information */
	int tap_idx, tun_idx;
	int pkt_tap, pkt_tun;	/* raw AF_PACKET bound to each, for backends */
	int inj_tap, inj_tun;	/* raw AF_PACKET for injecting and capturing */
	int pipe[2];
	int udp;
	int tun_bare;		/* /dev/net/tun with no device attached */
	int devnull;
	u32 worker[NWORKER];
	int nworker;
	bool verbose;
};

struct thr {
	struct iter *it;
	struct slot *slot;
	int idx;
	u64 rng;
	char *detail;		/* where an operation describes its arguments */
};

/* An operation returns 0 (ok), an errno, or -1 when it could not run. */
struct op {
	const char *name;
	int (*fn)(struct thr *t);
	unsigned int weight;
};

extern const struct op fuzz_ops[];
extern const unsigned int fuzz_nops;
extern struct shared *fuzz_sh;

/* Random numbers (splitmix64): each thread has its own stream. */
u64 rnd64(struct thr *t);
u32 rnd(struct thr *t, u32 n);		/* 0 .. n-1 */
bool chance(struct thr *t, u32 pct);
u64 mix64(u64 x);

/* Picking arguments */
int pick_dev(struct thr *t);		/* an index into it->dev, or -1 */
int pick_dev_fd(struct thr *t, int *d);	/* an open device's fd, or -1 */
int pick_fd(struct thr *t);		/* for eventfd arguments */
int pick_backend(struct thr *t);	/* for VHOST_NET_SET_BACKEND */
u32 pick_index(struct thr *t);		/* a ring index */
const char *fd_kind(struct iter *it, int fd);
void *pick_uaddr(struct thr *t, void *good, size_t align);
int dev_fd(struct thr *t, int d);

/* Describe the running operation's arguments. */
[[gnu::format(printf, 2, 3)]]
void detail(struct thr *t, const char *fmt, ...);

/* Operations run by a thread, also from forked children. */
int run_op(struct thr *t, unsigned int op);
unsigned int pick_op(struct thr *t);
int op_index(const char *name);

/* Datapath helpers (data.c) used by the setup and traffic operations. */
int dev_setup(struct thr *t, int d, int backend);
void ring_reset(struct iter *it, int d, int q);
void tx_add(struct thr *t, int d, int n);
void rx_add(struct thr *t, int d, int n);
void kick(struct thr *t, int d, int q);
void inject(struct thr *t, int n);
u8 *ring_base(struct iter *it, int d, int q);

/* The liveness check: a fresh device still moves a frame each way. */
void sanity(void);

/* The operations (ctl.c, data.c) */
int op_open(struct thr *t);
int op_close(struct thr *t);
int op_set_owner(struct thr *t);
int op_reset_owner(struct thr *t);
int op_get_features(struct thr *t);
int op_set_features(struct thr *t);
int op_features_array(struct thr *t);
int op_mem_table(struct thr *t);
int op_log_base(struct thr *t);
int op_log_fd(struct thr *t);
int op_new_worker(struct thr *t);
int op_free_worker(struct thr *t);
int op_attach_worker(struct thr *t);
int op_get_worker(struct thr *t);
int op_vring_num(struct thr *t);
int op_vring_addr(struct thr *t);
int op_vring_base(struct thr *t);
int op_vring_endian(struct thr *t);
int op_vring_kick(struct thr *t);
int op_vring_call(struct thr *t);
int op_vring_err(struct thr *t);
int op_busyloop(struct thr *t);
int op_backend_features(struct thr *t);
int op_fork_owner(struct thr *t);
int op_set_backend(struct thr *t);
int op_foreign_ioctl(struct thr *t);
int op_write(struct thr *t);
int op_read(struct thr *t);
int op_poll(struct thr *t);
int op_iotlb_serve(struct thr *t);
int op_setup(struct thr *t);
int op_tx(struct thr *t);
int op_rx(struct thr *t);
int op_kick(struct thr *t);
int op_hostile(struct thr *t);
int op_inject(struct thr *t);
int op_tap_write(struct thr *t);
int op_drain(struct thr *t);
int op_victim(struct thr *t);
int op_efd_renew(struct thr *t);
int op_sleep(struct thr *t);
int op_fork(struct thr *t);
int op_owner_killed(struct thr *t);
int op_close_traffic(struct thr *t);

/* The iteration's world (iter.c) */
void iter_init(struct iter *it, int n, u64 seed);
int tun_make(const char *name, int flags, int *ifindex);
int pkt_sock(int ifindex, bool accept_all);

#endif
