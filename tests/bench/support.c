// SPDX-License-Identifier: GPL-2.0
/*
 * What the suite's vring.c and net.c need from its harness, for a
 * program that is not a test: an assertion prints its reason and ends
 * the process with status 1, which the guest job reports as a failed
 * measurement.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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
	static char buf[16];
	const char *s = strerrorname_np(err);

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

void fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (strrchr(file, '/'))
		file = strrchr(file, '/') + 1;
	fflush(stdout);
	fprintf(stderr, "vhost-bench: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(1);
}
