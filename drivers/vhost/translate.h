/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A buffer's guest address to userspace iovecs: through the memory table,
 * or through the device IOTLB once VIRTIO_F_ACCESS_PLATFORM is acked.
 * Inline, since it runs for every descriptor of every frame; only the
 * IOTLB's path (iotlb_dev.c) is a call.
 */
#ifndef VHN_TRANSLATE_H
#define VHN_TRANSLATE_H

#include <linux/rcupdate.h>
#include <linux/uio.h>

#include "dev.h"
#include "iotlb.h"
#include "memmap.h"
#include "vq.h"

/**
 * vhn_vq_translate() - translate a guest buffer into userspace iovecs
 * @vq: the queue, with its mutex held
 * @addr: the buffer's address: a GPA, or an IOVA with the IOTLB
 * @len: its length, at least 1
 * @access: VHOST_ACCESS_RO to read it, VHOST_ACCESS_WO to write it
 * @iov: where the pieces go
 * @iov_max: room in @iov
 *
 * The one place a buffer address is translated. The memory table is read
 * under RCU: SET_MEM_TABLE waits for the worker before it frees the old one.
 *
 * Return: the number of iovecs; -ENOBUFS if @iov is too small; -EAGAIN
 * after an IOTLB miss (the queue runs again when the mapping comes); -EPERM
 * if a mapping forbids @access; -EFAULT for an address nothing maps.
 */
static __always_inline int vhn_vq_translate(struct vhn_vq *vq, u64 addr,
					    u64 len, u32 access,
					    struct iovec *iov, int iov_max)
{
	const struct vhn_memmap *map;
	int r;

	if (unlikely(vq->dev->iotlb.tlb))
		return vhn_iotlb_vq_translate(vq, addr, len, access, iov, iov_max);
	rcu_read_lock();
	map = rcu_dereference(vq->dev->mem);
	r = likely(map) ? vhn_memmap_translate_fast(map, addr, len, iov, iov_max) :
			  -EFAULT;
	rcu_read_unlock();
	return r;
}

#endif /* VHN_TRANSLATE_H */
