/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-virtqueue ioctls (VHOST_SET_VRING_* and friends).
 */
#ifndef VHN_VRING_H
#define VHN_VRING_H

#include "vq.h"

void vhn_vq_init(struct vhn_vq *vq, struct vhn_dev *dev,
		 vhn_work_fn_t handle_kick);
void vhn_vq_reset(struct vhn_vq *vq);
void vhn_vq_update_endian(struct vhn_vq *vq);
long vhn_vring_ioctl(struct vhn_dev *dev, unsigned int cmd, void __user *argp);

#endif /* VHN_VRING_H */
