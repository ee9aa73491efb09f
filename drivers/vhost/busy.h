/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Busy polling (VHOST_SET_VRING_BUSYLOOP_TIMEOUT): spin a little for new
 * work before going to sleep, trading CPU for latency.
 */
#ifndef VHN_BUSY_H
#define VHN_BUSY_H

#include <linux/types.h>

struct vhn_vq;

bool vhn_busy_poll(struct vhn_vq *vq, bool (*ready)(struct vhn_vq *vq));

#endif /* VHN_BUSY_H */
