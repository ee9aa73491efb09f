/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-style integer names for this userspace program, so that the
 * suite reads like the code it tests: u8..u64, from the uapi __u8..__u64.
 */
#ifndef VHOST_SUITE_KTYPES_H
#define VHOST_SUITE_KTYPES_H

#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#endif
