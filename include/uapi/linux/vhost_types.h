/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Data types of the vhost character device interface (/dev/vhost-net and
 * friends).  Everything below is kernel ABI shared with VMMs: sizes, field
 * order and values never change, new things are only ever added.
 */
#ifndef _LINUX_VHOST_TYPES_H
#define _LINUX_VHOST_TYPES_H

#include <linux/types.h>
/* Users of vhost also expect the virtio feature and ring definitions. */
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

/* A number @num for virtqueue @index: ring size, next index, enable... */
struct vhost_vring_state {
	unsigned int index;
	unsigned int num;
};

/* An fd for virtqueue @index; fd -1 (VHOST_FILE_UNBIND) detaches it. */
struct vhost_vring_file {
	unsigned int index;
	int fd;
};

/* Bit in vhost_vring_addr.flags: log_guest_addr is valid, log used writes */
#define VHOST_VRING_F_LOG 0

/* Where the parts of split virtqueue @index live in the owner's memory. */
struct vhost_vring_addr {
	unsigned int index;
	unsigned int flags;		/* VHOST_VRING_F_* bit numbers */
	__u64 desc_user_addr;		/* descriptor table, user VA */
	__u64 used_user_addr;		/* used ring, user VA, 4-byte aligned */
	__u64 avail_user_addr;		/* avail ring, user VA, 2-byte aligned */
	__u64 log_guest_addr;		/* used ring, guest PA, for dirty log */
};

/* A worker thread, named by the id VHOST_NEW_WORKER handed out. */
struct vhost_worker_state {
	unsigned int worker_id;
};

/* Which worker thread services virtqueue @index. */
struct vhost_vring_worker {
	unsigned int index;
	unsigned int worker_id;
};

/* vhost_iotlb_msg.perm: the access a mapping grants. */
#define VHOST_ACCESS_RO		0x1
#define VHOST_ACCESS_WO		0x2
#define VHOST_ACCESS_RW		0x3

/*
 * vhost_iotlb_msg.type.  The kernel sends MISS for an address it cannot
 * translate; userspace answers with UPDATE and drops entries with
 * INVALIDATE.  BATCH_BEGIN and BATCH_END bracket a group of UPDATEs the
 * device may apply together (not necessarily atomically); all other
 * fields of those two messages are ignored.
 */
#define VHOST_IOTLB_MISS		1
#define VHOST_IOTLB_UPDATE		2
#define VHOST_IOTLB_INVALIDATE		3
#define VHOST_IOTLB_ACCESS_FAIL		4
#define VHOST_IOTLB_BATCH_BEGIN		5
#define VHOST_IOTLB_BATCH_END		6

/* One IOTLB entry or request: [iova, iova + size) maps to uaddr. */
struct vhost_iotlb_msg {
	__u64 iova;
	__u64 size;
	__u64 uaddr;
	__u8 perm;			/* VHOST_ACCESS_* */
	__u8 type;			/* VHOST_IOTLB_* */
};

/* vhost_msg.type / vhost_msg_v2.type */
#define VHOST_IOTLB_MSG		0x1
#define VHOST_IOTLB_MSG_V2	0x2

/* Record read from or written to the device fd, original layout. */
struct vhost_msg {
	int type;
	union {
		struct vhost_iotlb_msg iotlb;
		__u8 padding[64];
	};
};

/* Same, once VHOST_BACKEND_F_IOTLB_MSG_V2 is acked: adds an address space. */
struct vhost_msg_v2 {
	__u32 type;
	__u32 asid;
	union {
		struct vhost_iotlb_msg iotlb;
		__u8 padding[64];
	};
};

/* Feature set wider than 64 bits: bit n is in features[n / 64]. */
struct vhost_features_array {
	__u64 count;			/* number of features[] words */
	__u64 features[];
};

/* A slice of guest physical memory and where the owner has it mapped. */
struct vhost_memory_region {
	__u64 guest_phys_addr;
	__u64 memory_size;		/* in bytes */
	__u64 userspace_addr;
	__u64 flags_padding;		/* no flags defined, must be 0 */
};

/* Alignment unit for region addresses and sizes. */
#define VHOST_PAGE_SIZE 0x1000

/* The whole guest memory map: @nregions entries follow the header. */
struct vhost_memory {
	__u32 nregions;
	__u32 padding;
	struct vhost_memory_region regions[];
};

/*
 * vhost-scsi ABI revision reported by VHOST_SCSI_GET_ABI_VERSION.
 * 0: first version.  1: vhost_tpgt is ignored, every TPG under the WWPN
 * is visible to the guest.
 */
#define VHOST_SCSI_ABI_VERSION	1

/* Target endpoint for VHOST_SCSI_{SET,CLEAR}_ENDPOINT. */
struct vhost_scsi_target {
	int abi_version;
	char vhost_wwpn[224];		/* same length as TRANSPORT_IQN_LEN */
	unsigned short vhost_tpgt;
	unsigned short reserved;
};

/* A window [off, off + len) of a vDPA device's virtio config space. */
struct vhost_vdpa_config {
	__u32 off;
	__u32 len;
	__u8 buf[];
};

/* IOVAs a vDPA device can map, both ends inclusive. */
struct vhost_vdpa_iova_range {
	__u64 first;
	__u64 last;
};

/* Feature bits (bit numbers) vhost adds to the virtio ones. */
/* Dirty-log every write; may be toggled while the device runs. */
#define VHOST_F_LOG_ALL 26
/* vhost-net adds virtio_net_hdr on receive and strips it on transmit. */
#define VHOST_NET_F_VIRTIO_NET_HDR 27

/* Backend feature bits (bit numbers, VHOST_{GET,SET}_BACKEND_FEATURES). */
/* IOTLB messages use struct vhost_msg_v2. */
#define VHOST_BACKEND_F_IOTLB_MSG_V2		0x1
/* IOTLB understands VHOST_IOTLB_BATCH_BEGIN / _END. */
#define VHOST_BACKEND_F_IOTLB_BATCH		0x2
/* vhost_msg_v2.asid selects the address space. */
#define VHOST_BACKEND_F_IOTLB_ASID		0x3
/* VHOST_VDPA_SUSPEND is supported. */
#define VHOST_BACKEND_F_SUSPEND			0x4
/* VHOST_VDPA_RESUME is supported. */
#define VHOST_BACKEND_F_RESUME			0x5
/* Virtqueues may be enabled before and after DRIVER_OK. */
#define VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK	0x6
/*
 * A virtqueue's descriptor, driver and device areas may sit in their own
 * group for ASID binding, apart from its buffers.  Needs IOTLB_ASID.
 */
#define VHOST_BACKEND_F_DESC_ASID		0x7
/* IOTLB mappings survive a device reset. */
#define VHOST_BACKEND_F_IOTLB_PERSIST		0x8

#endif /* _LINUX_VHOST_TYPES_H */
