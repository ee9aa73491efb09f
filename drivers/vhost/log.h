/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dirty log (VHOST_F_LOG_ALL): a bitmap in the owner's memory, one bit
 * per 4 KiB guest page, that QEMU reads during live migration to learn
 * which guest pages the device wrote.
 */
#ifndef VHN_LOG_H
#define VHN_LOG_H

#include <linux/types.h>

struct vhn_memmap;
struct vhn_vq;

/**
 * struct vhn_dirty - a guest buffer the device may write
 * @gpa: its guest-physical address; with the IOTLB, its userspace
 *	 address, which vhn_log_chains() maps back to guest-physical
 * @len: its length
 */
struct vhn_dirty {
	u64 gpa;
	u64 len;
};

/**
 * struct vhn_used_write - bytes the device wrote in a used ring
 * @offset: where, from the start of the ring
 * @len: how many
 */
struct vhn_used_write {
	u32 offset;
	u32 len;
};

bool vhn_log_access_ok(void __user *base, u64 gpa, u64 len);
bool vhn_log_ring_ok(void __user *base, u64 log_addr, unsigned int num);
bool vhn_log_vq_ok(const struct vhn_vq *vq, void __user *base,
		   const struct vhn_memmap *map, bool log_all);
int vhn_log_used(struct vhn_vq *vq, const struct vhn_used_write *w,
		 unsigned int n);
int vhn_log_chains(struct vhn_vq *vq, u64 written);
int vhn_log_write(struct vhn_vq *vq, const struct vhn_dirty *w, unsigned int n);
unsigned long vhn_log_bit_byte(unsigned long nr, bool big_endian);

#endif /* VHN_LOG_H */
