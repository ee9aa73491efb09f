/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device IOTLB (VIRTIO_F_ACCESS_PLATFORM): with a vIOMMU in the guest,
 * ring and buffer addresses are I/O virtual addresses (IOVA) that userspace
 * maps to its own addresses (HVA) one range at a time, on request.
 */
#ifndef VHN_IOTLB_H
#define VHN_IOTLB_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/virtio_types.h>
#include <linux/uio.h>
#include <linux/wait.h>

struct vhn_dev;
struct vhn_vq;
struct file;
struct poll_table_struct;

/**
 * struct vhn_iotlb_entry - one mapping, [@start, @last] to @hva
 * @rb: node in the interval tree
 * @start: first IOVA
 * @last: last IOVA, inclusive (a mapping may end at U64_MAX)
 * @subtree_last: interval tree bookkeeping
 * @hva: userspace address of @start
 * @perm: VHOST_ACCESS_* as userspace gave it
 * @fifo: place in the insertion order, oldest first, for eviction
 */
struct vhn_iotlb_entry {
	struct rb_node rb;
	u64 start;
	u64 last;
	u64 subtree_last;
	u64 hva;
	u32 perm;
	struct list_head fifo;
};

/**
 * struct vhn_iotlb - the mappings of one device
 * @root: interval tree of the entries, by IOVA
 * @fifo: the entries in insertion order
 * @nr: how many
 * @limit: at most this many; a new one evicts the oldest, as upstream
 * @gen: bumped when an entry goes or a new one overlaps others, so that
 *	 per-queue caches know they are stale
 * @lock: the tree, between a worker's walk and vhn_iotlb_add_quick();
 *	  also each queue's @iotlb_wait, @iotlb_miss and @iotlb_asked, and
 *	  @page_answers (iotlb_dev.c)
 * @page_answers: the last answer to a MISS covered the whole 4 KiB page
 *		  asked about (as QEMU's do): asks are then one per page
 *
 * Changed with the device mutex held. A change that takes an entry away
 * or makes an address translate differently also holds every vq mutex,
 * so a worker (which translates under its vq mutex) never runs during
 * it; an entry that covers only addresses nothing covered yet is added
 * under @lock alone (vhn_iotlb_add_quick()), without stopping the
 * workers: an UPDATE answering a MISS then costs no wait for a run to
 * end. No RCU: an entry is freed only with every vq mutex held.
 */
struct vhn_iotlb {
	struct rb_root_cached root;
	struct list_head fifo;
	unsigned int nr;
	unsigned int limit;
	u64 gen;
	spinlock_t lock;	/* the tree, against quick adds */
	bool page_answers;
};

/* Entries a queue remembers from its last translations. */
#define VHN_IOTLB_CACHE	4

/**
 * struct vhn_iotlb_cache - a queue's last translations, by value
 * @gen: the IOTLB generation they are valid for
 * @next: slot to fill next (round robin)
 * @e: the entries (only start, last, hva and perm are used)
 *
 * Frames of one queue hit the same few pages again and again: a copy
 * saves the tree walk, and being a copy it can never dangle.
 */
struct vhn_iotlb_cache {
	u64 gen;
	unsigned int next;
	struct vhn_iotlb_entry e[VHN_IOTLB_CACHE];
};

/* MISS messages a queue remembers having sent, to send none twice. */
#define VHN_IOTLB_ASKED	32

/**
 * struct vhn_iotlb_asked - addresses a queue asked for, not answered yet
 * @iova: the IOVA of each MISS, U64_MAX for a free slot
 * @when: jiffies when it was asked; an old ask may be repeated
 * @next: slot to fill next (round robin)
 * @live: slots that hold an ask, answered ones not; while none do, an
 *	  UPDATE and a MISS skip the scan (it runs under the IOTLB's lock)
 *
 * While answers come a whole 4 KiB page at a time (an IOMMU maps no
 * less), one ask per page is enough; otherwise one per address.
 */
struct vhn_iotlb_asked {
	u64 iova[VHN_IOTLB_ASKED];
	unsigned long when[VHN_IOTLB_ASKED];
	unsigned int next;
	unsigned int live;
};

/**
 * struct vhn_iotlb_dev - the IOTLB state of a device
 * @tlb: the mappings, NULL unless ACCESS_PLATFORM is acked
 * @lock: protects @msgs, @nmsgs and each vq's @iotlb_unread
 * @msgs: MISS messages not read yet
 * @nmsgs: how many
 * @wait: read() and poll() wait here for a message
 */
struct vhn_iotlb_dev {
	struct vhn_iotlb *tlb;
	spinlock_t lock;	/* the message queue */
	struct list_head msgs;
	unsigned int nmsgs;
	wait_queue_head_t wait;
};

struct vhn_iotlb *vhn_iotlb_alloc(unsigned int limit);
void vhn_iotlb_free(struct vhn_iotlb *tlb);
int vhn_iotlb_add(struct vhn_iotlb *tlb, u64 start, u64 last, u64 hva,
		  u32 perm);
int vhn_iotlb_add_quick(struct vhn_iotlb *tlb, u64 start, u64 last, u64 hva,
			u32 perm);
unsigned int vhn_iotlb_del(struct vhn_iotlb *tlb, u64 start, u64 last);
bool vhn_iotlb_mapped_locked(struct vhn_iotlb *tlb, u64 iova);
const struct vhn_iotlb_entry *vhn_iotlb_find(struct vhn_iotlb *tlb,
					     struct vhn_iotlb_cache *c,
					     u64 iova);
int vhn_iotlb_translate(struct vhn_iotlb *tlb, struct vhn_iotlb_cache *c,
			u64 iova, u64 len, u32 access, struct iovec *iov,
			int iov_max, u64 *miss);

void vhn_iotlb_dev_init(struct vhn_dev *dev);
int vhn_iotlb_enable(struct vhn_dev *dev, bool on);
void vhn_iotlb_dev_cleanup(struct vhn_dev *dev);
ssize_t vhn_iotlb_read(struct vhn_dev *dev, struct iov_iter *to,
		       bool nonblock);
ssize_t vhn_iotlb_write(struct vhn_dev *dev, struct iov_iter *from);
__poll_t vhn_iotlb_poll(struct vhn_dev *dev, struct file *file,
			struct poll_table_struct *wait);

int vhn_iotlb_vq_translate(struct vhn_vq *vq, u64 addr, u64 len, u32 access,
			   struct iovec *iov, int iov_max);
void vhn_iotlb_vq_sync(struct vhn_vq *vq);
int vhn_iotlb_meta_load(struct vhn_vq *vq);
void vhn_iotlb_prefetch(struct vhn_vq *vq, u64 addr, u64 len, u32 access);
int vhn_iotlb_used_idx(struct vhn_vq *vq, __virtio16 __user **idx);

#endif /* VHN_IOTLB_H */
