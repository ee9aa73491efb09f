// SPDX-License-Identifier: GPL-2.0
/*
 * The device IOTLB as userspace sees it: MISS messages read() from the
 * device fd (and signalled by poll()), UPDATE and INVALIDATE written to
 * it, and the translation of ring and buffer addresses for the queues.
 *
 * Locking: the IOTLB changes only under the device mutex and every vq
 * mutex, and a worker translates only under its vq mutex, so once write()
 * of an INVALIDATE returns no worker uses what it removed, and the queues
 * need no reference counts or RCU on the entries. The message queue has
 * a spinlock of its own, as the worker adds to it and read() takes from
 * it without either mutex.
 *
 * A queue never sleeps on a miss: it sends the MISS, stops where it was
 * (the chain is not taken), and is queued again by the UPDATE that covers
 * the address, whether or not userspace read the MISS first. An UPDATE
 * that only adds addresses (the answer to a MISS, nearly always) does not
 * stop the workers: see vhn_iotlb_add_quick(). A queue asks for a page
 * once (struct vhn_iotlb_asked), not again while the answer is on its
 * way.
 */
#include <kunit/visibility.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vhost_types.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "dev.h"
#include "iotlb.h"
#include "memmap.h"
#include "poll.h"
#include "vq.h"

static int vhn_max_iotlb_entries = 2048;
module_param_named(max_iotlb_entries, vhn_max_iotlb_entries, int, 0444);
MODULE_PARM_DESC(max_iotlb_entries,
		 "Most IOTLB entries a device keeps; the oldest goes first (default: 2048)");

/*
 * Unread MISS messages a device keeps. A queue has at most one miss
 * outstanding at a time, and a repeat of an unread one is not queued
 * again, so this is only reached by userspace that never reads.
 */
#define VHN_IOTLB_MSGS_MAX	256

/*
 * An ask is remembered for this long: the answer normally comes within
 * a few milliseconds; one that never came (userspace could not
 * translate) is asked again after it, when the queue runs again.
 */
#define VHN_IOTLB_ASK_TTL	(HZ / 4)
#define VHN_IOTLB_PAGE_SHIFT	12

/**
 * struct vhn_iotlb_node - a MISS waiting to be read
 * @link: place in the device's queue
 * @vq: the queue that missed
 * @size: bytes read() copies: the v1 or v2 layout
 * @msg: the message, all of it initialised
 */
struct vhn_iotlb_node {
	struct list_head link;
	struct vhn_vq *vq;
	size_t size;
	union {
		struct vhost_msg v1;
		struct vhost_msg_v2 v2;
	} msg;
};

/**
 * vhn_iotlb_dev_init() - no IOTLB, no messages
 * @dev: the device, when it is opened
 */
void vhn_iotlb_dev_init(struct vhn_dev *dev)
{
	spin_lock_init(&dev->iotlb.lock);
	INIT_LIST_HEAD(&dev->iotlb.msgs);
	init_waitqueue_head(&dev->iotlb.wait);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_dev_init);

/* Drop every queued message. */
static void vhn_iotlb_msgs_clear(struct vhn_dev *dev)
{
	struct vhn_iotlb_node *node, *n;
	LIST_HEAD(gone);
	int i;

	spin_lock(&dev->iotlb.lock);
	list_splice_init(&dev->iotlb.msgs, &gone);
	dev->iotlb.nmsgs = 0;
	for (i = 0; i < dev->nvqs; i++)
		dev->vqs[i]->iotlb_unread = NULL;
	spin_unlock(&dev->iotlb.lock);
	list_for_each_entry_safe(node, n, &gone, link)
		kfree(node);
}

/**
 * vhn_iotlb_vq_sync() - make a queue's ring pointers match the mode
 * @vq: the queue, with its mutex held
 *
 * Without the IOTLB the ring addresses are userspace addresses and are
 * used as they are; with it they are IOVAs, translated before use.
 */
void vhn_iotlb_vq_sync(struct vhn_vq *vq)
{
	vq->tlb_cache.gen = U64_MAX;
	vq->iotlb_wait = false;
	memset(vq->iotlb_asked.iova, 0xff, sizeof(vq->iotlb_asked.iova));
	vq->iotlb_asked.live = 0;
	if (vq->dev->iotlb.tlb) {
		vq->meta_stale = true;
		return;
	}
	vq->meta_stale = false;
	vq->desc = u64_to_user_ptr(vq->desc_addr);
	vq->avail = u64_to_user_ptr(vq->avail_addr);
	vq->used = u64_to_user_ptr(vq->used_addr);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_vq_sync);

/**
 * vhn_iotlb_enable() - ACCESS_PLATFORM acked or not, from SET_FEATURES
 * @dev: the device, with its mutex and every vq mutex held
 * @on: the feature is acked
 *
 * As upstream, acking the feature starts from an empty IOTLB each time,
 * and a max_iotlb_entries of 0 or less refuses it.
 *
 * Return: 0, or -EFAULT (upstream's errno) if no IOTLB can be made.
 */
int vhn_iotlb_enable(struct vhn_dev *dev, bool on)
{
	struct vhn_iotlb *tlb = NULL;
	int i;

	if (on) {
		if (vhn_max_iotlb_entries <= 0)
			return -EFAULT;
		tlb = vhn_iotlb_alloc(vhn_max_iotlb_entries);
		if (!tlb)
			return -EFAULT;
	}
	swap(tlb, dev->iotlb.tlb);
	vhn_iotlb_free(tlb);
	for (i = 0; i < dev->nvqs; i++) {
		struct vhn_vq *vq = dev->vqs[i];
		bool waited = vq->iotlb_wait;

		vhn_iotlb_vq_sync(vq);
		/* Its mapping may never come now: retry, to miss afresh. */
		if (waited)
			vhn_vq_queue(vq, &vq->kick_poll.work);
	}
	/* A reader blocked without an IOTLB gets -EBADFD. */
	wake_up_interruptible_poll(&dev->iotlb.wait, EPOLLIN | EPOLLRDNORM);
	return 0;
}

/**
 * vhn_iotlb_dev_cleanup() - free the IOTLB and the messages
 * @dev: the device, its workers stopped and its queues reset
 */
void vhn_iotlb_dev_cleanup(struct vhn_dev *dev)
{
	struct vhn_iotlb *tlb = dev->iotlb.tlb;

	WRITE_ONCE(dev->iotlb.tlb, NULL);
	vhn_iotlb_free(tlb);
	vhn_iotlb_msgs_clear(dev);
	wake_up_interruptible_poll(&dev->iotlb.wait, EPOLLIN | EPOLLRDNORM);
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_dev_cleanup);

/* The iotlb part of a message, wherever its format puts it. */
static struct vhost_iotlb_msg *vhn_node_iotlb(struct vhn_iotlb_node *node)
{
	return node->msg.v2.type == VHOST_IOTLB_MSG_V2 ? &node->msg.v2.iotlb :
							 &node->msg.v1.iotlb;
}

/*
 * With the IOTLB's lock: did @a ask for @iova lately (for its page, when
 * @by_page)?
 */
static bool vhn_asked(const struct vhn_iotlb_asked *a, u64 iova, bool by_page)
{
	unsigned long now = jiffies;
	unsigned int i;

	for (i = 0; i < VHN_IOTLB_ASKED && a->live; i++) {
		if (a->iova[i] == U64_MAX ||
		    !time_before(now, a->when[i] + VHN_IOTLB_ASK_TTL))
			continue;
		if (a->iova[i] == iova ||
		    (by_page && a->iova[i] >> VHN_IOTLB_PAGE_SHIFT ==
				iova >> VHN_IOTLB_PAGE_SHIFT))
			return true;
	}
	return false;
}

/*
 * With the IOTLB's lock: forget the asks [@start, @last] answered, and
 * note whether answers come a page at a time.
 */
static void vhn_asked_answer(struct vhn_iotlb *tlb, struct vhn_iotlb_asked *a,
			     u64 start, u64 last)
{
	u64 mask = BIT_ULL(VHN_IOTLB_PAGE_SHIFT) - 1;
	unsigned int i;

	for (i = 0; i < VHN_IOTLB_ASKED && a->live; i++) {
		u64 iova = a->iova[i];

		if (iova == U64_MAX || iova < start || iova > last)
			continue;
		tlb->page_answers = start <= (iova & ~mask) && (iova | mask) <= last;
		a->iova[i] = U64_MAX;
		a->live--;
	}
}

/*
 * With the IOTLB's lock: point @a->next at a free slot. A look-ahead
 * (!@wait) finds none while every slot holds an ask still on its way,
 * and is not sent: evicting one would send it again at the next miss on
 * it. A miss the queue waits on takes the next slot anyway.
 */
static bool vhn_asked_slot(struct vhn_iotlb_asked *a, bool wait)
{
	unsigned long now = jiffies;
	unsigned int i, j;

	for (i = 0; i < VHN_IOTLB_ASKED; i++) {
		j = (a->next + i) % VHN_IOTLB_ASKED;
		if (a->iova[j] == U64_MAX ||
		    !time_before(now, a->when[j] + VHN_IOTLB_ASK_TTL)) {
			a->next = j;
			return true;
		}
	}
	return wait;
}

/* With the IOTLB's lock: forget an ask for @iova, to make it again. */
static void vhn_asked_forget(struct vhn_iotlb_asked *a, u64 iova)
{
	unsigned int i;

	for (i = 0; i < VHN_IOTLB_ASKED; i++)
		if (a->iova[i] == iova) {
			a->iova[i] = U64_MAX;
			a->live--;
		}
}

/*
 * Queue a MISS for @iova, unless the queue asked for its page already
 * and the answer is on its way. The message is zeroed before it is
 * filled: read() copies all of it, padding included. @wait: the queue
 * stops on this one (not a look-ahead of vhn_iotlb_prefetch()).
 */
static void vhn_iotlb_miss(struct vhn_vq *vq, u64 iova, u32 access, bool wait)
{
	struct vhn_dev *dev = vq->dev;
	struct vhn_iotlb *tlb = dev->iotlb.tlb;
	struct vhn_iotlb_asked *a = &vq->iotlb_asked;
	struct vhn_iotlb_node *node, *old;
	struct vhost_iotlb_msg *m;
	bool v2 = READ_ONCE(dev->backend_features) &
		  BIT_ULL(VHOST_BACKEND_F_IOTLB_MSG_V2);
	bool asked;

	spin_lock(&tlb->lock);
	/* A quick UPDATE may have come since the lookup missed. */
	if (wait && vhn_iotlb_mapped_locked(tlb, iova)) {
		spin_unlock(&tlb->lock);
		vhn_vq_queue(vq, &vq->kick_poll.work);
		return;
	}
	if (wait) {
		vq->iotlb_wait = true;
		vq->iotlb_miss = iova;
	}
	asked = vhn_asked(a, iova, tlb->page_answers) ||
		!vhn_asked_slot(a, wait);
	if (!asked) {
		a->live += a->iova[a->next] == U64_MAX;
		a->iova[a->next] = iova;
		a->when[a->next] = jiffies;
		a->next = (a->next + 1) % VHN_IOTLB_ASKED;
	}
	spin_unlock(&tlb->lock);
	if (asked)
		return;
	/*
	 * A busy-polling queue retries often: skip the allocation when the
	 * last MISS is the same and unread. A race with read() only costs a
	 * duplicate, which the check below refuses or userspace ignores.
	 */
	spin_lock(&dev->iotlb.lock);
	old = vq->iotlb_unread;
	if (old && vhn_node_iotlb(old)->iova == iova &&
	    vhn_node_iotlb(old)->perm == access &&
	    old->msg.v2.type == (v2 ? VHOST_IOTLB_MSG_V2 : VHOST_IOTLB_MSG))
		old = ERR_PTR(-EEXIST);
	spin_unlock(&dev->iotlb.lock);
	if (IS_ERR(old))
		return;
	node = kzalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);
	if (!node)
		return;
	node->vq = vq;
	if (v2) {
		node->msg.v2.type = VHOST_IOTLB_MSG_V2;
		node->size = sizeof(node->msg.v2);
		m = &node->msg.v2.iotlb;
	} else {
		node->msg.v1.type = VHOST_IOTLB_MSG;
		node->size = sizeof(node->msg.v1);
		m = &node->msg.v1.iotlb;
	}
	m->type = VHOST_IOTLB_MISS;
	m->iova = iova;
	m->perm = access;

	spin_lock(&dev->iotlb.lock);
	old = vq->iotlb_unread;
	if ((old && !memcmp(&old->msg, &node->msg, sizeof(node->msg))) ||
	    dev->iotlb.nmsgs >= VHN_IOTLB_MSGS_MAX) {
		spin_unlock(&dev->iotlb.lock);
		kfree(node);
		return;
	}
	list_add_tail(&node->link, &dev->iotlb.msgs);
	dev->iotlb.nmsgs++;
	vq->iotlb_unread = node;
	spin_unlock(&dev->iotlb.lock);
	wake_up_interruptible_poll(&dev->iotlb.wait, EPOLLIN | EPOLLRDNORM);
}

static struct vhn_iotlb_node *vhn_iotlb_dequeue(struct vhn_dev *dev)
{
	struct vhn_iotlb_node *node;

	spin_lock(&dev->iotlb.lock);
	node = list_first_entry_or_null(&dev->iotlb.msgs,
					struct vhn_iotlb_node, link);
	if (node) {
		list_del(&node->link);
		dev->iotlb.nmsgs--;
		if (node->vq->iotlb_unread == node)
			node->vq->iotlb_unread = NULL;
	}
	spin_unlock(&dev->iotlb.lock);
	return node;
}

/**
 * vhn_iotlb_read() - read() on the device: the next MISS
 * @dev: the device
 * @to: the caller's buffer
 * @nonblock: O_NONBLOCK
 *
 * As upstream: a buffer smaller than a struct vhost_msg reads 0 bytes; a
 * non-blocking read with nothing queued gets -EAGAIN, a blocking one
 * -EBADFD while ACCESS_PLATFORM is not acked.
 *
 * Return: bytes read, or a negative errno.
 */
ssize_t vhn_iotlb_read(struct vhn_dev *dev, struct iov_iter *to, bool nonblock)
{
	struct vhn_iotlb_node *node;
	size_t n;

	if (iov_iter_count(to) < sizeof(struct vhost_msg))
		return 0;
	for (;;) {
		node = vhn_iotlb_dequeue(dev);
		if (node)
			break;
		if (nonblock)
			return -EAGAIN;
		if (signal_pending(current))
			return -ERESTARTSYS;
		if (!READ_ONCE(dev->iotlb.tlb))
			return -EBADFD;
		if (wait_event_interruptible(dev->iotlb.wait,
					     !list_empty_careful(&dev->iotlb.msgs) ||
					     !READ_ONCE(dev->iotlb.tlb)))
			return -ERESTARTSYS;
	}
	n = copy_to_iter(&node->msg, node->size, to);
	kfree(node);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vhn_iotlb_read);

/**
 * vhn_iotlb_poll() - poll() on the device
 * @dev: the device
 * @file: its file
 * @wait: the poll table
 *
 * Return: EPOLLIN | EPOLLRDNORM while a MISS waits to be read.
 */
__poll_t vhn_iotlb_poll(struct vhn_dev *dev, struct file *file,
			struct poll_table_struct *wait)
{
	poll_wait(file, &dev->iotlb.wait, wait);
	return list_empty_careful(&dev->iotlb.msgs) ? 0 : EPOLLIN | EPOLLRDNORM;
}

/*
 * The IOVA ranges of @vq's ring, as upstream sizes them; on a packed ring
 * the descriptor ring and the two event suppression areas.
 */
static void vhn_ring_ranges(const struct vhn_vq *vq, u64 start[3], u64 len[3])
{
	u64 event = vhn_vq_has(vq, VIRTIO_RING_F_EVENT_IDX) ? 2 : 0;

	start[0] = vq->desc_addr;
	len[0] = (u64)vq->num * sizeof(struct vring_desc);
	start[1] = vq->avail_addr;
	start[2] = vq->used_addr;
	if (vhn_vq_has(vq, VIRTIO_F_RING_PACKED)) {
		len[0] = (u64)vq->num * sizeof(struct vring_packed_desc);
		len[1] = sizeof(struct vring_packed_desc_event);
		len[2] = sizeof(struct vring_packed_desc_event);
		return;
	}
	len[1] = sizeof(struct vring_avail) + (u64)vq->num * 2 + event;
	len[2] = sizeof(struct vring_used) +
		 (u64)vq->num * sizeof(struct vring_used_elem) + event;
}

/* Does [start, last] (upstream's test, wrapped or not) touch @vq's ring? */
static bool vhn_ring_overlaps(const struct vhn_vq *vq, u64 start, u64 last)
{
	u64 s[3], l[3];
	int i;

	vhn_ring_ranges(vq, s, l);
	for (i = 0; i < 3; i++)
		if (s[i] <= last && s[i] + l[i] - 1 >= start)
			return true;
	return false;
}

/* UPDATE's checks, upstream's: no IOTLB, or a bad userspace range. */
static int vhn_update_check(struct vhn_dev *dev, const struct vhost_iotlb_msg *m)
{
	if (!dev->iotlb.tlb)
		return -EFAULT;
	if (m->uaddr > ULONG_MAX || m->size > ULONG_MAX ||
	    m->uaddr > ULONG_MAX - m->size + 1 ||
	    !access_ok(u64_to_user_ptr(m->uaddr), m->size))
		return -EFAULT;
	return 0;
}

/*
 * After an UPDATE of [@start, @last]: forget the asks it answered and run
 * the queues waiting in it. A queue waiting in a page it covers only in
 * part runs too, and asks again for what is still missing.
 */
static void vhn_update_wake(struct vhn_dev *dev, u64 start, u64 last)
{
	int i;

	for (i = 0; i < dev->nvqs; i++) {
		struct vhn_vq *vq = dev->vqs[i];
		u64 page = vq->iotlb_miss >> VHN_IOTLB_PAGE_SHIFT;

		vhn_asked_answer(dev->iotlb.tlb, &vq->iotlb_asked, start, last);
		if (!vq->iotlb_wait ||
		    page < start >> VHN_IOTLB_PAGE_SHIFT ||
		    page > last >> VHN_IOTLB_PAGE_SHIFT)
			continue;
		if (vq->iotlb_miss < start || vq->iotlb_miss > last)
			vhn_asked_forget(&vq->iotlb_asked, vq->iotlb_miss);
		vq->iotlb_wait = false;
		vhn_vq_queue(vq, &vq->kick_poll.work);
	}
}

/*
 * UPDATE that changes no translation, with the device mutex only: the
 * workers go on, and a waiting queue runs as soon as it is answered.
 * -EAGAIN: it needs vhn_iotlb_update() with the queues stopped.
 */
static int vhn_iotlb_update_quick(struct vhn_dev *dev,
				  const struct vhost_iotlb_msg *m)
{
	struct vhn_iotlb *tlb = dev->iotlb.tlb;
	u64 last = m->iova + m->size - 1;
	int r;

	r = vhn_update_check(dev, m);
	if (r)
		return r;
	r = vhn_iotlb_add_quick(tlb, m->iova, last, m->uaddr, m->perm);
	if (r)
		return r;
	spin_lock(&tlb->lock);
	vhn_update_wake(dev, m->iova, last);
	spin_unlock(&tlb->lock);
	return 0;
}

/*
 * UPDATE, with every queue stopped: check the userspace range like
 * upstream (no wrap, all of it below the user address limit), add it, and
 * run the queues that wait for an address in it.
 */
static int vhn_iotlb_update(struct vhn_dev *dev, const struct vhost_iotlb_msg *m)
{
	struct vhn_iotlb *tlb = dev->iotlb.tlb;
	u64 last = m->iova + m->size - 1;
	bool evicts;
	int i, r;

	r = vhn_update_check(dev, m);
	if (r)
		return r;
	/* The oldest entry goes: it may be one the ring pointers came from. */
	evicts = tlb->nr >= tlb->limit;
	r = vhn_iotlb_add(tlb, m->iova, last, m->uaddr, m->perm);
	if (r)
		return r;
	for (i = 0; i < dev->nvqs; i++) {
		struct vhn_vq *vq = dev->vqs[i];

		/* An older mapping starting lower may no longer win. */
		if (evicts || vhn_ring_overlaps(vq, m->iova, last))
			vq->meta_stale = true;
	}
	vhn_update_wake(dev, m->iova, last);
	return 0;
}

static int vhn_iotlb_invalidate(struct vhn_dev *dev,
				const struct vhost_iotlb_msg *m)
{
	u64 last = m->iova + m->size - 1;
	unsigned int gone;
	int i;

	if (!dev->iotlb.tlb)
		return -EFAULT;
	gone = vhn_iotlb_del(dev->iotlb.tlb, m->iova, last);
	if (!gone)
		return 0;
	for (i = 0; i < dev->nvqs; i++) {
		struct vhn_vq *vq = dev->vqs[i];

		if (vhn_ring_overlaps(vq, m->iova, last))
			vq->meta_stale = true;
		/*
		 * A flush of many entries (lazy DMA mode flushes everything)
		 * took what the look-ahead asked for: it starts again. Not
		 * for one buffer unmapped after use (strict mode), which
		 * would only walk again chains still mapped.
		 */
		if (gone > 1)
			vq->iotlb_ahead = vq->last_avail_idx;
	}
	return 0;
}

/* Apply one message with every queue stopped where it is. */
static int vhn_iotlb_process(struct vhn_dev *dev, const struct vhost_iotlb_msg *m)
{
	int r;

	if (mutex_lock_killable(&dev->mutex))
		return -EINTR;
	if (m->type == VHOST_IOTLB_UPDATE) {
		r = vhn_iotlb_update_quick(dev, m);
		if (r != -EAGAIN)
			goto out;
	}
	r = vhn_dev_lock_vqs(dev);
	if (r)
		goto out;
	switch (m->type) {
	case VHOST_IOTLB_UPDATE:
		r = vhn_iotlb_update(dev, m);
		break;
	case VHOST_IOTLB_INVALIDATE:
		r = vhn_iotlb_invalidate(dev, m);
		break;
	default:
		r = -EINVAL;
		break;
	}
	vhn_dev_unlock_vqs(dev);
out:
	mutex_unlock(&dev->mutex);
	return r;
}

/**
 * vhn_iotlb_write() - write() on the device: one UPDATE or INVALIDATE
 * @dev: the device
 * @from: the caller's buffer
 *
 * Checked in upstream's order, with its errnos: a short header, an
 * unknown format or a short body is -EINVAL, as is an UPDATE of size 0;
 * anything refused after that (no IOTLB, a bad userspace range, a range
 * that wraps, another message type) is -EFAULT. v2's asid is ignored, as
 * VHOST_BACKEND_F_IOTLB_ASID is not offered. A message must come in one
 * write(): a piece of one is a short message.
 *
 * Return: the size of the message format, or a negative errno.
 */
ssize_t vhn_iotlb_write(struct vhn_dev *dev, struct iov_iter *from)
{
	struct vhost_iotlb_msg m;
	size_t skip;
	u32 type;

	if (copy_from_iter(&type, sizeof(type), from) != sizeof(type))
		return -EINVAL;
	if (type == VHOST_IOTLB_MSG)
		skip = offsetof(struct vhost_msg, iotlb) - sizeof(int);
	else if (type == VHOST_IOTLB_MSG_V2)
		skip = offsetof(struct vhost_msg_v2, iotlb) - sizeof(u32);
	else
		return -EINVAL;
	iov_iter_advance(from, skip);
	if (copy_from_iter(&m, sizeof(m), from) != sizeof(m))
		return -EINVAL;
	if (m.type == VHOST_IOTLB_UPDATE && !m.size)
		return -EINVAL;
	if (vhn_iotlb_process(dev, &m))
		return -EFAULT;
	return type == VHOST_IOTLB_MSG ? sizeof(struct vhost_msg) :
					 sizeof(struct vhost_msg_v2);
}

/**
 * vhn_iotlb_vq_translate() - translate an IOVA buffer into userspace iovecs
 * @vq: the queue, with the IOTLB, with its mutex held
 * @addr: the buffer's IOVA
 * @len: its length, at least 1
 * @access: VHOST_ACCESS_RO to read it, VHOST_ACCESS_WO to write it
 * @iov: where the pieces go
 * @iov_max: room in @iov
 *
 * vhn_vq_translate()'s path with ACCESS_PLATFORM. A miss queues a MISS
 * message for userspace.
 *
 * Return: as vhn_vq_translate().
 */
int vhn_iotlb_vq_translate(struct vhn_vq *vq, u64 addr, u64 len, u32 access,
			   struct iovec *iov, int iov_max)
{
	u64 miss;
	int r;

	r = vhn_iotlb_translate(vq->dev->iotlb.tlb, &vq->tlb_cache, addr, len,
				access, iov, iov_max, &miss);
	if (r == -EAGAIN)
		vhn_iotlb_miss(vq, miss, access, true);
	return r;
}

/**
 * vhn_iotlb_prefetch() - ask now for a buffer the queue will need soon
 * @vq: the queue, with the IOTLB, with its mutex held, stopped on a miss
 * @addr: the buffer's IOVA
 * @len: its length
 * @access: VHOST_ACCESS_RO or VHOST_ACCESS_WO
 *
 * A guest in strict DMA mode maps each buffer just before it offers it,
 * so the chains behind one that missed miss too. Their MISS messages go
 * out with the first, for userspace to answer in one pass, instead of
 * one round trip per chain. Only the first unmapped address of the
 * buffer is asked for; nothing waits on it.
 */
void vhn_iotlb_prefetch(struct vhn_vq *vq, u64 addr, u64 len, u32 access)
{
	struct iovec iov[4];
	u64 miss;

	if (!len || vhn_iotlb_translate(vq->dev->iotlb.tlb, &vq->tlb_cache,
					addr, len, access, iov,
					ARRAY_SIZE(iov), &miss) != -EAGAIN)
		return;
	vhn_iotlb_miss(vq, miss, access, false);
}

/* Translate one part of the ring into one userspace range. */
static int vhn_meta_one(struct vhn_vq *vq, u64 iova, u64 len, u32 access,
			void __user **hva)
{
	struct iovec iov;
	int r;

	r = vhn_iotlb_vq_translate(vq, iova, len, access, &iov, 1);
	if (r == 1)
		*hva = iov.iov_base;
	return r < 0 ? r : 0;
}

/**
 * vhn_iotlb_meta_load() - translate the ring's three parts
 * @vq: the queue, with the IOTLB, with its mutex held
 *
 * Done once, and again only after an UPDATE or INVALIDATE touched the
 * ring: the ring fields are then read and written at their userspace
 * addresses with no lookup at all. Each part must map to one contiguous
 * userspace range (a guest's coherent DMA allocation always does).
 *
 * A packed ring's descriptors are written back as used ones: that part
 * needs read and write access.
 *
 * Return: 0; -EAGAIN after a miss; -EPERM if a mapping forbids reading
 * the descriptors or avail ring, or writing the used ring; -ENOBUFS if a
 * part is not contiguous in userspace; -EFAULT for a bad range.
 */
int vhn_iotlb_meta_load(struct vhn_vq *vq)
{
	u32 desc = vhn_vq_has(vq, VIRTIO_F_RING_PACKED) ? VHOST_ACCESS_RW :
							  VHOST_ACCESS_RO;
	const u32 access[3] = { desc, VHOST_ACCESS_RO, VHOST_ACCESS_WO };
	void __user *p[3];
	u64 s[3], l[3];
	int i, r = 0;

	vhn_ring_ranges(vq, s, l);
	for (i = 0; i < 3 && !r; i++)
		r = vhn_meta_one(vq, s[i], l[i], access[i], &p[i]);
	/*
	 * After a global invalidation every part misses: ask for the parts
	 * after the one that missed in the same pass, not one round trip
	 * each.
	 */
	if (r == -EAGAIN)
		for (; i < 3; i++)
			vhn_iotlb_prefetch(vq, s[i], l[i], access[i]);
	if (r)
		return r;
	vq->desc = p[0];
	vq->avail = p[1];
	vq->used = p[2];
	vq->meta_stale = false;
	return 0;
}

/**
 * vhn_iotlb_used_idx() - where used->idx is, when a ring starts
 * @vq: the queue, with the IOTLB, with its mutex held
 * @idx: set to its userspace address
 *
 * Upstream reads used->flags and used->idx here, through the IOTLB with
 * read access: a miss on them queues a MISS and fails the start.
 *
 * Return: 0, or -EFAULT.
 */
int vhn_iotlb_used_idx(struct vhn_vq *vq, __virtio16 __user **idx)
{
	void __user *p;

	if (vhn_meta_one(vq, vq->used_addr, offsetof(struct vring_used, ring),
			 VHOST_ACCESS_RO, &p))
		return -EFAULT;
	*idx = p + offsetof(struct vring_used, idx);
	return 0;
}
