# SPDX-License-Identifier: GPL-2.0
# Feature probes for compat.h: what the kernel we build against offers,
# read from its headers, so that no code compares version numbers. Each
# probe adds -DNAME when one of the named headers has a line matching the
# extended regular expression (no commas or parentheses: make splits
# there; '.' stands in for them).
vhn_probe = $(if $(shell grep -qsE '$(2)' $(addprefix $(srctree)/include/,$(1)) && echo y),-D$(3))

# eventfd_signal() without a count: 6.8.
ccflags-y += $(call vhn_probe,linux/eventfd.h,void eventfd_signal.struct eventfd_ctx .ctx.$$,VHN_PROBE_EVENTFD_SIGNAL_1)
# page_frag_cache_drain(): 6.9.
ccflags-y += $(call vhn_probe,linux/gfp.h linux/page_frag_cache.h,void page_frag_cache_drain.struct page_frag_cache,VHN_PROBE_PAGE_FRAG_CACHE_DRAIN)
# vhost_task with a callback for the owner's death: 6.11.
ccflags-y += $(call vhn_probe,linux/sched/vhost_task.h,handle_kill,VHN_PROBE_VHOST_TASK_KILL)
# KUnit's deferred actions (6.5) and user memory for a case (6.11).
ccflags-y += $(call vhn_probe,kunit/resource.h,int kunit_add_action_or_reset,VHN_PROBE_KUNIT_ACTIONS)
ccflags-y += $(call vhn_probe,kunit/test.h kunit/resource.h,kunit_vm_mmap,VHN_PROBE_KUNIT_VM_MMAP)
