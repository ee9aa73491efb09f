/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test harness: named cases, each run in its own process with a
 * deadline, assertions that end the case with a reason, KTAP output.
 */
#ifndef VHOST_SUITE_HARNESS_H
#define VHOST_SUITE_HARNESS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "ktypes.h"

struct vcase {
	const char *name;
	void (*fn)(void);
	unsigned int timeout;	/* seconds; 0 means the default */
	bool split_only;	/* not run with --ring packed (legacy rings) */
};

/* Each concern's table, ended by an entry with a NULL name. */
extern const struct vcase abi_cases[];
extern const struct vcase datapath_cases[];
extern const struct vcase hostile_cases[];
extern const struct vcase inorder_cases[];
extern const struct vcase iotlb_cases[];
extern const struct vcase lifecycle_cases[];
extern const struct vcase packed_cases[];
extern const struct vcase log_cases[];
extern const struct vcase robust_cases[];
extern const struct vcase stats_cases[];

/* The module under test, from --target: "upstream" or "ours". */
extern const char *suite_target;

/*
 * With --ring packed, each case runs on packed rings; on upstream, which
 * does not offer VIRTIO_F_RING_PACKED, it checks just that (packed.c).
 */
void packed_not_offered(void);

/* --ring packed: every rig's rings are packed (defined in vring.c). */
extern bool suite_packed;

/*
 * The one place a case asks which module it tests. Only the deliberate
 * differences listed in Documentation/tests.rst may depend on it: such a
 * case checks each target's own documented behaviour, under one name.
 */
bool target_is_ours(void);

/*
 * Is the running kernel at least major.minor? Only the differences
 * between kernels listed in Documentation/tests.rst may depend on it.
 */
bool kernel_at_least(unsigned int major, unsigned int minor);

/* BY_TARGET(up, ours): the value a deliberate difference expects. */
#define BY_TARGET(up, ours)	(target_is_ours() ? (ours) : (up))

/*
 * End the running case (or program) as failed: print the reason on
 * stderr as PROG: if fail_setup() named one, keep it in WHY (shared with
 * a parent) unless a reason is there already, exit with STATUS (1 by
 * default). Never returns. (C2x attributes: the kernel's __noreturn and
 * __printf() are not there in userspace.)
 */
[[gnu::noreturn, gnu::format(printf, 3, 4)]]
void fail_at(const char *file, int line, const char *fmt, ...);
void fail_setup(const char *prog, char *why, size_t len, int status);
/* Print a KTAP diagnostic line ("# ...") from a case. */
[[gnu::format(printf, 1, 2)]]
void diag(const char *fmt, ...);
/* Symbolic errno name ("EPERM"), or the number. */
const char *errname(int err);
/* Run fn(arg) in a forked process; the case fails if it fails. */
void in_child(void (*fn)(void *), void *arg);
/* Monotonic milliseconds. */
u64 now_ms(void);
/* Sleep for ms milliseconds. */
void sleep_ms(unsigned int ms);

#define FAIL(...) fail_at(__FILE__, __LINE__, __VA_ARGS__)

/* CHECK(cond): the case fails unless cond holds. */
#define CHECK(cond) do {						\
	if (!(cond))							\
		FAIL("%s", #cond);					\
} while (0)

/* CHECKF(cond, fmt, ...): the same with a formatted reason. */
#define CHECKF(cond, ...) do {						\
	if (!(cond))							\
		FAIL(__VA_ARGS__);					\
} while (0)

/* OK(expr): a syscall-like expr must not return a negative value. */
#define OK(expr) ({							\
	long _r = (long)(expr);						\
	if (_r < 0)							\
		FAIL("%s failed: %s", #expr, errname(errno));		\
	_r;								\
})

/*
 * EXPECT(expr, e): a syscall-like expr must fail with errno e, or, when
 * e is 0, succeed (return a value that is not negative).
 */
#define EXPECT(expr, e) do {						\
	int _want = (e), _err;						\
	long _r;							\
	errno = 0;							\
	_r = (long)(expr);						\
	_err = errno;							\
	if (_want ? _r != -1 || _err != _want : _r < 0)			\
		FAIL("%s returned %ld (%s), expected %s", #expr, _r,	\
		     _r == -1 ? errname(_err) : "no error",		\
		     _want ? errname(_want) : "success");		\
} while (0)

/* ERR(expr, e): a syscall-like expr must fail with errno e (not 0). */
#define ERR(expr, e) EXPECT(expr, e)

#endif
