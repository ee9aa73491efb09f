// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers shared by every program built on the suite's ring and tap
 * code (the suite, the benchmark, the fuzzer, faultinj, vhost-hang): the
 * one fail_at() and diag() among them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

const char *errname(int err)
{
	static char buf[4][16];	/* a few unknown ones in one message */
	static unsigned int n;
	const char *s = strerrorname_np(err);
	char *b = buf[n++ % 4];

	if (s)
		return s;
	snprintf(b, sizeof(buf[0]), "%d", err);
	return b;
}

/* Where fail_at() reports, as fail_setup() set it. */
static struct {
	const char *prog;
	char *why;
	size_t len;
	int status;
} fail_to = { .status = 1 };

void fail_setup(const char *prog, char *why, size_t len, int status)
{
	fail_to.prog = prog;
	fail_to.why = why;
	fail_to.len = len;
	fail_to.status = status;
}

void fail_at(const char *file, int line, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strrchr(file, '/'))
		file = strrchr(file, '/') + 1;
	fflush(stdout);
	if (fail_to.prog)
		fprintf(stderr, "%s: %s:%d: %s\n", fail_to.prog, file, line, msg);
	/* The first reason wins: later ones are consequences. */
	if (fail_to.why && !fail_to.why[0])
		snprintf(fail_to.why, fail_to.len, "%s:%d: %s", file, line, msg);
	_exit(fail_to.status);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}
