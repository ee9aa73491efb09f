/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces that differ between the kernels we support (6.1
 * and 6.12 LTS), in one place. Each difference is keyed on a feature
 * probe of the kernel's headers (compat.mk, VHN_PROBE_*) or on the config
 * option behind it, so that the rest of the driver calls one name
 * everywhere. Documentation/compat.rst lists what a user sees differ.
 */
#ifndef VHN_COMPAT_H
#define VHN_COMPAT_H

#include <linux/err.h>
#include <linux/eventfd.h>
#include <linux/gfp.h>
#include <linux/mm.h>

/*
 * The vhost_task worker (a thread of the owner process) came with 6.4; we
 * rely on the callback for the owner's death that it gained in 6.11. It
 * is built only with CONFIG_VHOST_TASK, which upstream's vhost selects.
 * Without it every worker is a kthread, as in 6.1's own vhost.
 */
#if IS_ENABLED(CONFIG_VHOST_TASK) && defined(VHN_PROBE_VHOST_TASK_KILL)
#define VHN_HAVE_VHOST_TASK	1
#else
#define VHN_HAVE_VHOST_TASK	0
#endif

#if VHN_HAVE_VHOST_TASK
#include <linux/sched/vhost_task.h>

static inline struct vhost_task *
vhn_task_create(bool (*fn)(void *), void (*killed)(void *), void *arg,
		const char *name)
{
	return vhost_task_create(fn, killed, arg, name);
}

static inline void vhn_task_start(struct vhost_task *t)
{
	vhost_task_start(t);
}

static inline void vhn_task_wake(struct vhost_task *t)
{
	vhost_task_wake(t);
}

static inline void vhn_task_stop(struct vhost_task *t)
{
	vhost_task_stop(t);
}
#else
struct vhost_task;

/* Never called: without vhost_task, the device only makes kthreads. */
static inline struct vhost_task *
vhn_task_create(bool (*fn)(void *), void (*killed)(void *), void *arg,
		const char *name)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void vhn_task_start(struct vhost_task *t) { }
static inline void vhn_task_wake(struct vhost_task *t) { }
static inline void vhn_task_stop(struct vhost_task *t) { }
#endif

/* eventfd_signal() lost its count argument in 6.8. */
static inline void vhn_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef VHN_PROBE_EVENTFD_SIGNAL_1
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/* page_frag_cache_drain() came with 6.9; before, one drained by hand. */
static inline void vhn_page_frag_cache_drain(struct page_frag_cache *nc)
{
#ifdef VHN_PROBE_PAGE_FRAG_CACHE_DRAIN
	page_frag_cache_drain(nc);
#else
	if (nc->va)
		__page_frag_cache_drain(virt_to_head_page(nc->va),
					nc->pagecnt_bias);
	nc->va = NULL;
#endif
}

#endif /* VHN_COMPAT_H */
