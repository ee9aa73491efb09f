/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turning a file's wakeups (a kick eventfd, a backend socket) into work
 * for a virtqueue's worker.
 */
#ifndef VHN_POLL_H
#define VHN_POLL_H

#include "vq.h"

void vhn_poll_init(struct vhn_poll *p, struct vhn_vq *vq, vhn_work_fn_t fn,
		   __poll_t mask);
int vhn_poll_start(struct vhn_poll *p, struct file *file);
void vhn_poll_stop(struct vhn_poll *p);
bool vhn_vq_queue(struct vhn_vq *vq, struct vhn_work *work);
int vhn_vq_flush(struct vhn_vq *vq);

#endif /* VHN_POLL_H */
