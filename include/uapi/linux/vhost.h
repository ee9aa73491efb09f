/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ioctl interface of the in-kernel virtio device backends (vhost-net,
 * vhost-scsi, vhost-vsock, vhost-vdpa).  A VMM opens the character device,
 * claims it with VHOST_SET_OWNER, describes guest memory and the
 * virtqueues, and from then on the kernel moves the data while the guest
 * keeps using its ordinary virtio drivers.
 *
 * The numbers below are kernel ABI and never change.
 */
#ifndef _LINUX_VHOST_H
#define _LINUX_VHOST_H

#include <linux/vhost_types.h>
#include <linux/types.h>
#include <linux/ioctl.h>

/* Descriptor value that detaches a ring's eventfd or backend. */
#define VHOST_FILE_UNBIND (-1)

/* ioctl type shared by every vhost device */
#define VHOST_VIRTIO 0xAF

/*
 * Device features (virtio bits plus VHOST_F_*): GET returns what the
 * backend offers, SET acks a subset.
 */
#define VHOST_GET_FEATURES	_IOR(VHOST_VIRTIO, 0x00, __u64)
#define VHOST_SET_FEATURES	_IOW(VHOST_VIRTIO, 0x00, __u64)

/*
 * Make the caller the sole owner of the device; needed before nearly any
 * other call.  A second SET_OWNER fails until RESET_OWNER, which also
 * returns the device to its initial state.
 */
#define VHOST_SET_OWNER		_IO(VHOST_VIRTIO, 0x01)
#define VHOST_RESET_OWNER	_IO(VHOST_VIRTIO, 0x02)

/* Load the guest memory map. */
#define VHOST_SET_MEM_TABLE	_IOW(VHOST_VIRTIO, 0x03, struct vhost_memory)

/*
 * Dirty logging: a write to guest memory sets the bit for its page in a
 * bitmap at this user address (atomic 32-bit updates); the eventfd, if
 * set, is signalled after a logged write.
 */
#define VHOST_SET_LOG_BASE	_IOW(VHOST_VIRTIO, 0x04, __u64)
#define VHOST_SET_LOG_FD	_IOW(VHOST_VIRTIO, 0x07, int)

/*
 * Extra worker threads.  Every device starts with one worker shared by
 * all of its rings.  NEW_WORKER (owner only) creates another, running in
 * the owner's cgroups, namespaces and mm and counted in its RLIMIT_NPROC,
 * and returns its id.  FREE_WORKER destroys a worker no ring uses any
 * more; the rest go when the device is closed.
 */
#define VHOST_NEW_WORKER	_IOR(VHOST_VIRTIO, 0x8, struct vhost_worker_state)
#define VHOST_FREE_WORKER	_IOW(VHOST_VIRTIO, 0x9, struct vhost_worker_state)

/* Ring size; fixed while the ring is attached to a backend. */
#define VHOST_SET_VRING_NUM	_IOW(VHOST_VIRTIO, 0x10, struct vhost_vring_state)
/* Ring addresses. */
#define VHOST_SET_VRING_ADDR	_IOW(VHOST_VIRTIO, 0x11, struct vhost_vring_addr)
/* Index of the next available entry to process; GET reads it back. */
#define VHOST_SET_VRING_BASE	_IOW(VHOST_VIRTIO, 0x12, struct vhost_vring_state)
#define VHOST_GET_VRING_BASE	_IOWR(VHOST_VIRTIO, 0x12, struct vhost_vring_state)

/*
 * Byte order of a legacy (pre VIRTIO_F_VERSION_1) ring, in num.  Fails
 * with -EBUSY while the ring runs and is ignored for VERSION_1 devices;
 * optional, but GET exists wherever SET does.  Note GET is encoded as a
 * write.
 */
#define VHOST_VRING_LITTLE_ENDIAN 0
#define VHOST_VRING_BIG_ENDIAN 1
#define VHOST_SET_VRING_ENDIAN	_IOW(VHOST_VIRTIO, 0x13, struct vhost_vring_state)
#define VHOST_GET_VRING_ENDIAN	_IOW(VHOST_VIRTIO, 0x14, struct vhost_vring_state)

/*
 * Move a ring to a worker from VHOST_NEW_WORKER, or ask which worker it
 * has.  A worker left without rings may then be freed.
 */
#define VHOST_ATTACH_VRING_WORKER _IOW(VHOST_VIRTIO, 0x15,		\
				       struct vhost_vring_worker)
#define VHOST_GET_VRING_WORKER	_IOWR(VHOST_VIRTIO, 0x16,		\
				      struct vhost_vring_worker)

/*
 * Ring eventfds: KICK is polled for new buffers, CALL is signalled when
 * buffers are used, ERR when the ring hits an error.
 */
#define VHOST_SET_VRING_KICK	_IOW(VHOST_VIRTIO, 0x20, struct vhost_vring_file)
#define VHOST_SET_VRING_CALL	_IOW(VHOST_VIRTIO, 0x21, struct vhost_vring_file)
#define VHOST_SET_VRING_ERR	_IOW(VHOST_VIRTIO, 0x22, struct vhost_vring_file)

/* How long (us) to busy-poll a ring before sleeping; GET is a write too. */
#define VHOST_SET_VRING_BUSYLOOP_TIMEOUT _IOW(VHOST_VIRTIO, 0x23,	\
					      struct vhost_vring_state)
#define VHOST_GET_VRING_BUSYLOOP_TIMEOUT _IOW(VHOST_VIRTIO, 0x24,	\
					      struct vhost_vring_state)

/* Backend features (VHOST_BACKEND_F_* bits). */
#define VHOST_SET_BACKEND_FEATURES _IOW(VHOST_VIRTIO, 0x25, __u64)
#define VHOST_GET_BACKEND_FEATURES _IOR(VHOST_VIRTIO, 0x26, __u64)

/*
 * vhost-net: connect a ring to a tap or packet socket, whose device also
 * transmits.  fd -1 disconnects, which stops the ring (e.g. to migrate).
 */
#define VHOST_NET_SET_BACKEND	_IOW(VHOST_VIRTIO, 0x30, struct vhost_vring_file)

/* vhost-scsi: endpoint, ABI revision and the events-missed flag. */
#define VHOST_SCSI_SET_ENDPOINT	_IOW(VHOST_VIRTIO, 0x40, struct vhost_scsi_target)
#define VHOST_SCSI_CLEAR_ENDPOINT _IOW(VHOST_VIRTIO, 0x41, struct vhost_scsi_target)
#define VHOST_SCSI_GET_ABI_VERSION _IOW(VHOST_VIRTIO, 0x42, int)
#define VHOST_SCSI_SET_EVENTS_MISSED _IOW(VHOST_VIRTIO, 0x43, __u32)
#define VHOST_SCSI_GET_EVENTS_MISSED _IOW(VHOST_VIRTIO, 0x44, __u32)

/* vhost-vsock: the guest's context id, and start/stop. */
#define VHOST_VSOCK_SET_GUEST_CID _IOW(VHOST_VIRTIO, 0x60, __u64)
#define VHOST_VSOCK_SET_RUNNING	_IOW(VHOST_VIRTIO, 0x61, int)

/* vhost-vdpa: ids, status and config follow the virtio specification. */
#define VHOST_VDPA_GET_DEVICE_ID	_IOR(VHOST_VIRTIO, 0x70, __u32)
#define VHOST_VDPA_GET_STATUS		_IOR(VHOST_VIRTIO, 0x71, __u8)
#define VHOST_VDPA_SET_STATUS		_IOW(VHOST_VIRTIO, 0x72, __u8)
#define VHOST_VDPA_GET_CONFIG		_IOR(VHOST_VIRTIO, 0x73,	\
					     struct vhost_vdpa_config)
#define VHOST_VDPA_SET_CONFIG		_IOW(VHOST_VIRTIO, 0x74,	\
					     struct vhost_vdpa_config)
/* num != 0 enables ring index, 0 disables it. */
#define VHOST_VDPA_SET_VRING_ENABLE	_IOW(VHOST_VIRTIO, 0x75,	\
					     struct vhost_vring_state)
/* Largest ring size the device takes. */
#define VHOST_VDPA_GET_VRING_NUM	_IOR(VHOST_VIRTIO, 0x76, __u16)
/* Eventfd signalled on config space changes. */
#define VHOST_VDPA_SET_CONFIG_CALL	_IOW(VHOST_VIRTIO, 0x77, int)
/* Mappable IOVA window. */
#define VHOST_VDPA_GET_IOVA_RANGE	_IOR(VHOST_VIRTIO, 0x78,	\
					     struct vhost_vdpa_iova_range)
/* Size of the config space. */
#define VHOST_VDPA_GET_CONFIG_SIZE	_IOR(VHOST_VIRTIO, 0x79, __u32)
/* Number of address spaces. */
#define VHOST_VDPA_GET_AS_NUM		_IOR(VHOST_VIRTIO, 0x7A, unsigned int)
/* Group of ring index, returned in num. */
#define VHOST_VDPA_GET_VRING_GROUP	_IOWR(VHOST_VIRTIO, 0x7B,	\
					      struct vhost_vring_state)
/* Bind group index to address space num. */
#define VHOST_VDPA_SET_GROUP_ASID	_IOW(VHOST_VIRTIO, 0x7C,	\
					     struct vhost_vring_state)
/*
 * SUSPEND stops all ring processing and freezes the device, keeping what
 * is needed to restart (ring bases and device state); its config does not
 * change afterwards.  RESUME restores that state and carries on.
 */
#define VHOST_VDPA_SUSPEND		_IO(VHOST_VIRTIO, 0x7D)
#define VHOST_VDPA_RESUME		_IO(VHOST_VIRTIO, 0x7E)
/* Group of ring index's descriptor/driver/device areas, returned in num. */
#define VHOST_VDPA_GET_VRING_DESC_GROUP	_IOWR(VHOST_VIRTIO, 0x7F,	\
					      struct vhost_vring_state)
/* Number of rings, and of ring groups. */
#define VHOST_VDPA_GET_VQS_COUNT	_IOR(VHOST_VIRTIO, 0x80, __u32)
#define VHOST_VDPA_GET_GROUP_NUM	_IOR(VHOST_VIRTIO, 0x81, __u32)
/* Size of ring index, returned in num. */
#define VHOST_VDPA_GET_VRING_SIZE	_IOWR(VHOST_VIRTIO, 0x82,	\
					      struct vhost_vring_state)

/*
 * Features beyond bit 63.  Userspace fills in count; GET writes that many
 * words (zeroing any past the kernel's own), SET reads them.  The ioctl
 * size covers only the header.
 */
#define VHOST_GET_FEATURES_ARRAY	_IOR(VHOST_VIRTIO, 0x83,	\
					     struct vhost_features_array)
#define VHOST_SET_FEATURES_ARRAY	_IOW(VHOST_VIRTIO, 0x83,	\
					     struct vhost_features_array)

/*
 * How workers are created: as kernel threads, or (the default) as tasks
 * forked from the owner that inherit all its attributes.
 */
#define VHOST_FORK_OWNER_KTHREAD 0
#define VHOST_FORK_OWNER_TASK 1

/*
 * Choose or read the worker mode (a __u8 VHOST_FORK_OWNER_* value).  SET
 * must come before VHOST_SET_OWNER.  Only present with
 * CONFIG_VHOST_ENABLE_FORK_OWNER_CONTROL.
 */
#define VHOST_SET_FORK_FROM_OWNER	_IOW(VHOST_VIRTIO, 0x84, __u8)
#define VHOST_GET_FORK_FROM_OWNER	_IOR(VHOST_VIRTIO, 0x85, __u8)

#endif /* _LINUX_VHOST_H */
