// SPDX-License-Identifier: GPL-2.0
/*
 * Print every number the vhost uapi headers define, one "NAME VALUE" per
 * line: ioctl codes in hex, constants in decimal, and for each struct its
 * size and alignment plus the offset, size and type class of each field.
 *
 * Built once against our include/uapi and once against a kernel tree's
 * copies; tests/abi/check.sh compares the two dumps.  Items an older
 * kernel may lack are wrapped in #ifdef so that dump simply omits them.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/vhost.h>

static void hex(const char *name, unsigned long long v)
{
	printf("%s 0x%08llx\n", name, v);
}

static void dec(const char *name, long long v)
{
	printf("%s %lld\n", name, v);
}

static void layout(const char *s, size_t size, size_t align)
{
	printf("sizeof.%s %zu\n", s, size);
	printf("alignof.%s %zu\n", s, align);
}

static void member(const char *s, const char *m, size_t off, size_t size,
		   const char *type)
{
	printf("offsetof.%s.%s %zu\n", s, m, off);
	printf("sizeof.%s.%s %zu\n", s, m, size);
	printf("typeof.%s.%s %s\n", s, m, type);
}

#define IS(t1, t2)	__builtin_types_compatible_p(t1, t2)

/* Coarse type name; T[] also matches every fixed-length T array. */
#define TYPE_CLASS(type)						\
	(IS(type, char) ? "char" :					\
	 IS(type, signed char) ? "s8" :					\
	 IS(type, unsigned char) ? "u8" :				\
	 IS(type, short) ? "s16" :					\
	 IS(type, unsigned short) ? "u16" :				\
	 IS(type, int) ? "s32" :					\
	 IS(type, unsigned int) ? "u32" :				\
	 IS(type, long) ? "long" :					\
	 IS(type, unsigned long) ? "ulong" :				\
	 IS(type, long long) ? "s64" :					\
	 IS(type, unsigned long long) ? "u64" :				\
	 IS(type, char[]) ? "char[]" :					\
	 IS(type, unsigned char[]) ? "u8[]" :				\
	 IS(type, unsigned long long[]) ? "u64[]" :			\
	 IS(type, struct vhost_iotlb_msg) ? "vhost_iotlb_msg" :		\
	 IS(type, struct vhost_memory_region) ? "vhost_memory_region" :	\
	 "other")

#define IOC(n)		hex(#n, n)
#define VAL(n)		dec(#n, n)

/* The macro argument is a struct tag; "type" keeps checkpatch quiet. */
#define STRUCT(type)							\
	layout(#type, sizeof(struct type), __alignof__(struct type))

/* A field, found through a real object so no null-pointer tricks. */
#define FIELD(type, m)							\
	do {								\
		static struct type o_;					\
		__auto_type p_ = &o_.m;					\
									\
		member(#type, #m, (size_t)((char *)p_ - (char *)&o_),	\
		       sizeof(*p_), TYPE_CLASS(typeof(*p_)));			\
	} while (0)

/* A trailing flexible array: the size reported is one element's. */
#define FLEX(type, m)							\
	do {								\
		static struct type o_;					\
		__auto_type p_ = o_.m;					\
									\
		member(#type, #m "[]", (size_t)((char *)p_ - (char *)&o_), \
		       sizeof(*p_), TYPE_CLASS(typeof(*p_)));			\
	} while (0)

static void dump_ioctls(void)
{
	IOC(VHOST_GET_FEATURES);
	IOC(VHOST_SET_FEATURES);
	IOC(VHOST_SET_OWNER);
	IOC(VHOST_RESET_OWNER);
	IOC(VHOST_SET_MEM_TABLE);
	IOC(VHOST_SET_LOG_BASE);
	IOC(VHOST_SET_LOG_FD);
	IOC(VHOST_NEW_WORKER);
	IOC(VHOST_FREE_WORKER);
	IOC(VHOST_SET_VRING_NUM);
	IOC(VHOST_SET_VRING_ADDR);
	IOC(VHOST_SET_VRING_BASE);
	IOC(VHOST_GET_VRING_BASE);
	IOC(VHOST_SET_VRING_ENDIAN);
	IOC(VHOST_GET_VRING_ENDIAN);
	IOC(VHOST_ATTACH_VRING_WORKER);
	IOC(VHOST_GET_VRING_WORKER);
	IOC(VHOST_SET_VRING_KICK);
	IOC(VHOST_SET_VRING_CALL);
	IOC(VHOST_SET_VRING_ERR);
	IOC(VHOST_SET_VRING_BUSYLOOP_TIMEOUT);
	IOC(VHOST_GET_VRING_BUSYLOOP_TIMEOUT);
	IOC(VHOST_SET_BACKEND_FEATURES);
	IOC(VHOST_GET_BACKEND_FEATURES);
	IOC(VHOST_NET_SET_BACKEND);
	IOC(VHOST_SCSI_SET_ENDPOINT);
	IOC(VHOST_SCSI_CLEAR_ENDPOINT);
	IOC(VHOST_SCSI_GET_ABI_VERSION);
	IOC(VHOST_SCSI_SET_EVENTS_MISSED);
	IOC(VHOST_SCSI_GET_EVENTS_MISSED);
	IOC(VHOST_VSOCK_SET_GUEST_CID);
	IOC(VHOST_VSOCK_SET_RUNNING);
	IOC(VHOST_VDPA_GET_DEVICE_ID);
	IOC(VHOST_VDPA_GET_STATUS);
	IOC(VHOST_VDPA_SET_STATUS);
	IOC(VHOST_VDPA_GET_CONFIG);
	IOC(VHOST_VDPA_SET_CONFIG);
	IOC(VHOST_VDPA_SET_VRING_ENABLE);
	IOC(VHOST_VDPA_GET_VRING_NUM);
	IOC(VHOST_VDPA_SET_CONFIG_CALL);
	IOC(VHOST_VDPA_GET_IOVA_RANGE);
	IOC(VHOST_VDPA_GET_CONFIG_SIZE);
	IOC(VHOST_VDPA_GET_AS_NUM);
	IOC(VHOST_VDPA_GET_VRING_GROUP);
	IOC(VHOST_VDPA_SET_GROUP_ASID);
	IOC(VHOST_VDPA_SUSPEND);
	IOC(VHOST_VDPA_RESUME);
	IOC(VHOST_VDPA_GET_VRING_DESC_GROUP);
	IOC(VHOST_VDPA_GET_VQS_COUNT);
	IOC(VHOST_VDPA_GET_GROUP_NUM);
	IOC(VHOST_VDPA_GET_VRING_SIZE);
#ifdef VHOST_GET_FEATURES_ARRAY
	IOC(VHOST_GET_FEATURES_ARRAY);
	IOC(VHOST_SET_FEATURES_ARRAY);
#endif
#ifdef VHOST_SET_FORK_FROM_OWNER
	IOC(VHOST_SET_FORK_FROM_OWNER);
	IOC(VHOST_GET_FORK_FROM_OWNER);
#endif
}

static void dump_constants(void)
{
	VAL(VHOST_VIRTIO);
	VAL(VHOST_FILE_UNBIND);
	VAL(VHOST_PAGE_SIZE);
	VAL(VHOST_VRING_F_LOG);
	VAL(VHOST_VRING_LITTLE_ENDIAN);
	VAL(VHOST_VRING_BIG_ENDIAN);
	VAL(VHOST_ACCESS_RO);
	VAL(VHOST_ACCESS_WO);
	VAL(VHOST_ACCESS_RW);
	VAL(VHOST_IOTLB_MISS);
	VAL(VHOST_IOTLB_UPDATE);
	VAL(VHOST_IOTLB_INVALIDATE);
	VAL(VHOST_IOTLB_ACCESS_FAIL);
	VAL(VHOST_IOTLB_BATCH_BEGIN);
	VAL(VHOST_IOTLB_BATCH_END);
	VAL(VHOST_IOTLB_MSG);
	VAL(VHOST_IOTLB_MSG_V2);
	VAL(VHOST_SCSI_ABI_VERSION);
	VAL(VHOST_F_LOG_ALL);
	VAL(VHOST_NET_F_VIRTIO_NET_HDR);
	VAL(VHOST_BACKEND_F_IOTLB_MSG_V2);
	VAL(VHOST_BACKEND_F_IOTLB_BATCH);
	VAL(VHOST_BACKEND_F_IOTLB_ASID);
	VAL(VHOST_BACKEND_F_SUSPEND);
	VAL(VHOST_BACKEND_F_RESUME);
	VAL(VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK);
	VAL(VHOST_BACKEND_F_DESC_ASID);
	VAL(VHOST_BACKEND_F_IOTLB_PERSIST);
#ifdef VHOST_SET_FORK_FROM_OWNER
	VAL(VHOST_FORK_OWNER_KTHREAD);
	VAL(VHOST_FORK_OWNER_TASK);
#endif
}

static void dump_structs(void)
{
	STRUCT(vhost_vring_state);
	FIELD(vhost_vring_state, index);
	FIELD(vhost_vring_state, num);

	STRUCT(vhost_vring_file);
	FIELD(vhost_vring_file, index);
	FIELD(vhost_vring_file, fd);

	STRUCT(vhost_vring_addr);
	FIELD(vhost_vring_addr, index);
	FIELD(vhost_vring_addr, flags);
	FIELD(vhost_vring_addr, desc_user_addr);
	FIELD(vhost_vring_addr, used_user_addr);
	FIELD(vhost_vring_addr, avail_user_addr);
	FIELD(vhost_vring_addr, log_guest_addr);

	STRUCT(vhost_worker_state);
	FIELD(vhost_worker_state, worker_id);

	STRUCT(vhost_vring_worker);
	FIELD(vhost_vring_worker, index);
	FIELD(vhost_vring_worker, worker_id);

	STRUCT(vhost_iotlb_msg);
	FIELD(vhost_iotlb_msg, iova);
	FIELD(vhost_iotlb_msg, size);
	FIELD(vhost_iotlb_msg, uaddr);
	FIELD(vhost_iotlb_msg, perm);
	FIELD(vhost_iotlb_msg, type);

	STRUCT(vhost_msg);
	FIELD(vhost_msg, type);
	FIELD(vhost_msg, iotlb);
	FIELD(vhost_msg, padding);

	STRUCT(vhost_msg_v2);
	FIELD(vhost_msg_v2, type);
	FIELD(vhost_msg_v2, asid);
	FIELD(vhost_msg_v2, iotlb);
	FIELD(vhost_msg_v2, padding);

#ifdef VHOST_GET_FEATURES_ARRAY
	STRUCT(vhost_features_array);
	FIELD(vhost_features_array, count);
	FLEX(vhost_features_array, features);
#endif

	STRUCT(vhost_memory_region);
	FIELD(vhost_memory_region, guest_phys_addr);
	FIELD(vhost_memory_region, memory_size);
	FIELD(vhost_memory_region, userspace_addr);
	FIELD(vhost_memory_region, flags_padding);

	STRUCT(vhost_memory);
	FIELD(vhost_memory, nregions);
	FIELD(vhost_memory, padding);
	FLEX(vhost_memory, regions);

	STRUCT(vhost_scsi_target);
	FIELD(vhost_scsi_target, abi_version);
	FIELD(vhost_scsi_target, vhost_wwpn);
	FIELD(vhost_scsi_target, vhost_tpgt);
	FIELD(vhost_scsi_target, reserved);

	STRUCT(vhost_vdpa_config);
	FIELD(vhost_vdpa_config, off);
	FIELD(vhost_vdpa_config, len);
	FLEX(vhost_vdpa_config, buf);

	STRUCT(vhost_vdpa_iova_range);
	FIELD(vhost_vdpa_iova_range, first);
	FIELD(vhost_vdpa_iova_range, last);
}

int main(void)
{
	dump_ioctls();
	dump_constants();
	dump_structs();
	return 0;
}
