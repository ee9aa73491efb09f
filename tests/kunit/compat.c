// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit interfaces for kernels older than the tests (see compat.h). Empty
 * on 6.12.
 */
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "compat.h"

#ifndef VHN_PROBE_KUNIT_ACTIONS
struct vhn_kunit_action {
	kunit_action_t *fn;
	void *ctx;
};

static int vhn_kunit_action_init(struct kunit_resource *res, void *a)
{
	res->data = a;
	return 0;
}

static void vhn_kunit_action_free(struct kunit_resource *res)
{
	struct vhn_kunit_action *a = res->data;

	a->fn(a->ctx);
	kfree(a);
}

/* Run @fn(@ctx) when the test ends; if that cannot be arranged, now. */
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	struct vhn_kunit_action *a = kmalloc(sizeof(*a), GFP_KERNEL);

	if (a) {
		a->fn = fn;
		a->ctx = ctx;
		if (kunit_alloc_resource(test, vhn_kunit_action_init,
					 vhn_kunit_action_free, GFP_KERNEL, a))
			return 0;
		kfree(a);
	}
	fn(ctx);
	return -ENOMEM;
}
#endif

#ifndef VHN_PROBE_KUNIT_VM_MMAP
/* The address space of the process that loaded the tests. */
static struct mm_struct *vhn_kunit_mm;

/**
 * vhn_kunit_mm_get() - borrow the loading process's address space
 * @suite: the suite; its init runs in the process that loads the module,
 *	   while its cases run in kthreads, which have none
 *
 * Return: 0, or -EINVAL if there is no process to borrow from.
 */
int vhn_kunit_mm_get(struct kunit_suite *suite)
{
	if (!current->mm)
		return -EINVAL;
	mmget(current->mm);
	vhn_kunit_mm = current->mm;
	return 0;
}

void vhn_kunit_mm_put(struct kunit_suite *suite)
{
	if (vhn_kunit_mm)
		mmput(vhn_kunit_mm);
	vhn_kunit_mm = NULL;
}

static void vhn_kunit_unuse_mm(void *mm)
{
	/* A case that failed an assertion cleans up outside its kthread. */
	if (current->mm != mm || !(current->flags & PF_KTHREAD))
		return;
	kthread_unuse_mm(mm);
	mmput(mm);
}

struct vhn_kunit_map {
	unsigned long addr;
	unsigned long len;
};

static void vhn_kunit_munmap(void *p)
{
	struct vhn_kunit_map *m = p;

	vm_munmap(m->addr, m->len);
}

/**
 * kunit_vm_mmap() - map user memory for the running case
 * @test: the case
 * @file: as vm_mmap()
 * @addr: as vm_mmap()
 * @len: as vm_mmap()
 * @prot: as vm_mmap()
 * @flag: as vm_mmap()
 * @offset: as vm_mmap()
 *
 * The case's kthread takes the borrowed address space until the case
 * ends; the mapping goes with the case.
 *
 * Return: the address, an error value, or 0.
 */
unsigned long kunit_vm_mmap(struct kunit *test, struct file *file,
			    unsigned long addr, unsigned long len,
			    unsigned long prot, unsigned long flag,
			    unsigned long offset)
{
	struct vhn_kunit_map *m;

	if (!current->mm) {
		if (!vhn_kunit_mm)
			return 0;
		/*
		 * A reference of users as well as of the struct: should the
		 * kthread exit with it, exit_mm() drops the users' one.
		 */
		mmget(vhn_kunit_mm);
		kthread_use_mm(vhn_kunit_mm);
		if (kunit_add_action_or_reset(test, vhn_kunit_unuse_mm, vhn_kunit_mm))
			return 0;
	}
	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	if (!m)
		return 0;
	addr = vm_mmap(file, addr, len, prot, flag, offset);
	if (IS_ERR_VALUE(addr))
		return addr;
	m->addr = addr;
	m->len = len;
	if (kunit_add_action_or_reset(test, vhn_kunit_munmap, m))
		return 0;
	return addr;
}
#endif
