// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers shared by the suite's harness and the benchmark, which
 * links the suite's ring and tap code without the harness.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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
