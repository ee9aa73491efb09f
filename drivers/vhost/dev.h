/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vhost device: ownership, features, the memory table, its virtqueues and
 * its workers. Nothing here knows about networking.
 */
#ifndef VHN_DEV_H
#define VHN_DEV_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "iotlb.h"
#include "stats.h"

struct mm_struct;
struct vhn_memmap;
struct vhn_vq;
struct vhn_worker;
struct eventfd_ctx;

/**
 * struct vhn_dev - one open /dev/vhost-net
 * @mutex: serializes the device ioctls; taken before any vq mutex
 * @mm: the owner's mm, NULL before SET_OWNER
 * @mem: the memory table, published with RCU
 * @vqs: the virtqueues
 * @nvqs: how many
 * @workers: workers by id; the first is created by SET_OWNER
 * @kthread_mode: run workers as kthreads that borrow the owner's mm,
 *		  instead of as threads of the owner (SET_FORK_FROM_OWNER)
 * @features: acked virtio and vhost features
 * @backend_features: acked backend features
 * @log_ctx: eventfd signalled after the bitmap changed (VHOST_SET_LOG_FD)
 * @stats: its id and debugfs directory (stats.h)
 * @iotlb: the device IOTLB and its messages (iotlb.h)
 */
struct vhn_dev {
	struct mutex mutex;	/* serializes the ioctls */
	struct mm_struct *mm;
	struct vhn_memmap __rcu *mem;
	struct vhn_vq **vqs;
	int nvqs;
	struct xarray workers;
	bool kthread_mode;
	u64 features;
	u64 backend_features;
	struct eventfd_ctx *log_ctx;
	struct vhn_dev_stats stats;
	struct vhn_iotlb_dev iotlb;
};

#endif /* VHN_DEV_H */

int vhn_dev_init(struct vhn_dev *dev, struct vhn_vq **vqs, int nvqs);
bool vhn_dev_is_owner(struct vhn_dev *dev);
long vhn_dev_set_owner(struct vhn_dev *dev);
long vhn_dev_ioctl(struct vhn_dev *dev, unsigned int cmd, void __user *argp);
int vhn_lock(struct mutex *m, bool must);
int vhn_dev_lock_vqs(struct vhn_dev *dev);
void vhn_dev_unlock_vqs(struct vhn_dev *dev);
bool vhn_dev_log_ok(struct vhn_dev *dev, const struct vhn_memmap *map,
		    bool log_all);
int vhn_dev_flush(struct vhn_dev *dev, bool must);
void vhn_dev_unblock(struct vhn_dev *dev);
void vhn_dev_cleanup(struct vhn_dev *dev);
