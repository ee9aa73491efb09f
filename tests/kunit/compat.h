/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KUnit interfaces the tests use that 6.1 lacks, built from what it
 * has (compat.c). Keyed, like drivers/vhost/compat.h, on feature probes
 * (drivers/vhost/compat.mk); on 6.12 this header adds nothing.
 */
#ifndef VHN_KUNIT_COMPAT_H
#define VHN_KUNIT_COMPAT_H

#include <kunit/resource.h>
#include <kunit/test.h>

/* Deferred actions: 6.5. */
#ifndef VHN_PROBE_KUNIT_ACTIONS
typedef void (kunit_action_t)(void *);
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *fn, void *ctx);
#endif

/* 6.7. */
#ifndef KUNIT_DEFINE_ACTION_WRAPPER
#define KUNIT_DEFINE_ACTION_WRAPPER(wrapper, orig, arg_type)		\
	static void wrapper(void *in)					\
	{								\
		orig((arg_type)in);					\
	}
#endif

/*
 * User memory for a test case: 6.11. Before, a suite that needs it
 * borrows the address space of the process loading the tests, through
 * VHN_KUNIT_SUITE_MM in its struct kunit_suite.
 */
#ifndef VHN_PROBE_KUNIT_VM_MMAP
unsigned long kunit_vm_mmap(struct kunit *test, struct file *file,
			    unsigned long addr, unsigned long len,
			    unsigned long prot, unsigned long flag,
			    unsigned long offset);
int vhn_kunit_mm_get(struct kunit_suite *suite);
void vhn_kunit_mm_put(struct kunit_suite *suite);
#define VHN_KUNIT_SUITE_MM						\
	.suite_init = vhn_kunit_mm_get,					\
	.suite_exit = vhn_kunit_mm_put,
#else
#define VHN_KUNIT_SUITE_MM
#endif

#endif /* VHN_KUNIT_COMPAT_H */
