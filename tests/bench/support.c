// SPDX-License-Identifier: GPL-2.0
/*
 * What the suite's vring.c and net.c need from its harness beyond
 * util.c, for a program that is not a test: an assertion prints its
 * reason and ends the process with status 1, which the guest job reports
 * as a failed measurement.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

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
