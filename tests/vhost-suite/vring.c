// SPDX-License-Identifier: GPL-2.0
/*
 * The guest driver side of a vhost-net device: guest memory, the memory
 * table, split or packed virtqueues laid out in guest memory, and the
 * eventfds.
 * Rings are little-endian in both legacy and VERSION_1 mode on x86, so
 * no byte swapping is needed here.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vring.h"

bool suite_packed;

#define P_AVAIL		((u16)BIT(VRING_PACKED_DESC_F_AVAIL))
#define P_USED		((u16)BIT(VRING_PACKED_DESC_F_USED))

/*
 * A packed position moved by n descriptors (n may be negative). Packed
 * rings may have any size, so the phase is taken modulo 2 * num, not
 * masked.
 */
u16 pos_move(u16 pos, int n, unsigned int num)
{
	long long m = 2LL * num;
	long long ph = (pos & (PW - 1)) + (pos & PW ? 0 : num);

	ph = ((ph + n) % m + m) % m;
	return ph >= num ? ph - num : ph | PW;
}

/* The avail and used bits of a descriptor we make available at pos. */
static u16 avail_bits(u16 pos)
{
	return pos & PW ? P_AVAIL : P_USED;
}

void gmem_init(struct gmem *m, size_t size)
{
	m->hva = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECKF(m->hva != MAP_FAILED, "mmap guest memory: %s", errname(errno));
	m->gpa = GPA_BASE;
	m->size = size;
	m->brk = 0;
}

void *galloc(struct gmem *m, size_t len, size_t align)
{
	size_t at = (m->brk + align - 1) & ~(align - 1);

	CHECKF(at + len <= m->size, "guest memory exhausted (%zu + %zu)",
	       at, len);
	m->brk = at + len;
	return m->hva + at;
}

u64 gpa_of(const struct gmem *m, const void *p)
{
	return m->gpa + ((const u8 *)p - m->hva);
}

int vhost_open(void)
{
	int fd = open("/dev/vhost-net", O_RDWR | O_CLOEXEC);

	CHECKF(fd >= 0, "open /dev/vhost-net: %s", errname(errno));
	return fd;
}

void vdev_init(struct vdev *d)
{
	memset(d, 0, sizeof(*d));
	d->fd = vhost_open();
	gmem_init(&d->mem, GMEM_SIZE);
	d->vq[RX].kick = -1;
	d->vq[TX].kick = -1;
}

size_t net_hdr_len(u64 f)
{
	if (f & (BIT(VIRTIO_NET_F_MRG_RXBUF) | BIT(VIRTIO_F_VERSION_1)))
		return sizeof(struct virtio_net_hdr_mrg_rxbuf);
	return sizeof(struct virtio_net_hdr);
}

int vdev_mem_table(int fd, const struct vhost_memory_region *r, unsigned int n)
{
	size_t len = sizeof(struct vhost_memory) + n * sizeof(*r);
	struct vhost_memory *m = calloc(1, len);
	int ret, err;

	CHECK(m);
	m->nregions = n;
	memcpy(m->regions, r, n * sizeof(*r));
	ret = ioctl(fd, VHOST_SET_MEM_TABLE, m);
	err = errno;
	free(m);
	errno = err;
	return ret;
}

/* One region: all of guest memory. */
void vdev_map_all(struct vdev *d)
{
	struct vhost_memory_region r = {
		.guest_phys_addr = d->mem.gpa,
		.memory_size = d->mem.size,
		.userspace_addr = (uintptr_t)d->mem.hva,
	};

	OK(vdev_mem_table(d->fd, &r, 1));
}

void vdev_own(struct vdev *d, u64 features)
{
	struct {
		u64 count;
		u64 word[2];
	} fa = { 2, { features, 0 } };

	if (d->packed)
		features |= BIT(VIRTIO_F_RING_PACKED);
	fa.word[0] = features;
	OK(ioctl(d->fd, VHOST_SET_OWNER));
	if (d->farray)
		OK(ioctl(d->fd, VHOST_SET_FEATURES_ARRAY, &fa));
	else
		OK(ioctl(d->fd, VHOST_SET_FEATURES, &features));
	d->features = features;
	vdev_map_all(d);
}

static int efd(void)
{
	return OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
}

void vq_init(struct vdev *d, int idx, unsigned int num)
{
	struct vq *q = &d->vq[idx];
	unsigned int i;

	memset(q, 0, sizeof(*q));
	q->idx = idx;
	q->num = num;
	q->mem = &d->mem;
	q->packed = d->packed;
	q->desc = galloc(&d->mem, 16 * num, 4096);
	q->avail = galloc(&d->mem, 6 + 2 * num, 4096);
	q->used = galloc(&d->mem, 6 + 8 * num, 4096);
	q->pring = (void *)q->desc;
	q->drv = (void *)q->avail;
	q->dev = (void *)q->used;
	/* Both wrap counters start at 1 (2.8.1). */
	q->pavail = PW;
	q->pused = PW;
	q->first = calloc(num, sizeof(*q->first));
	q->first_flags = calloc(num, sizeof(*q->first_flags));
	q->pid = calloc(num, sizeof(*q->pid));
	q->next = calloc(num, sizeof(*q->next));
	q->ndesc = calloc(num, sizeof(*q->ndesc));
	q->ind = calloc(num, sizeof(*q->ind));
	q->segs = calloc(num, sizeof(*q->segs));
	q->nsegs = calloc(num, sizeof(*q->nsegs));
	CHECK(q->next && q->ndesc && q->ind && q->segs && q->nsegs &&
	      q->first && q->first_flags && q->pid);
	for (i = 0; i < num; i++)
		q->next[i] = num - 1 - i;	/* a stack: 0 comes out first */
	q->nfree = num;
	q->nids = num;
	q->event_idx = d->features & BIT(VIRTIO_RING_F_EVENT_IDX);
	q->in_order = d->features & BIT(VIRTIO_F_IN_ORDER);
	q->kick = efd();
	q->call = efd();
	q->err = efd();
	vq_want_calls(q, true);
}

void vq_configure(struct vdev *d, int idx)
{
	struct vq *q = &d->vq[idx];
	struct vhost_vring_state s = { .index = idx, .num = q->num };
	struct vhost_vring_addr a = {
		.index = idx,
		.desc_user_addr = (uintptr_t)q->desc,
		.avail_user_addr = (uintptr_t)q->avail,
		.used_user_addr = (uintptr_t)q->used,
	};

	/* With the device IOTLB the rings are given by IOVA: the GPA here. */
	if (d->features & BIT(VIRTIO_F_ACCESS_PLATFORM)) {
		a.desc_user_addr = gpa_of(&d->mem, q->desc);
		a.avail_user_addr = gpa_of(&d->mem, q->avail);
		a.used_user_addr = gpa_of(&d->mem, q->used);
	}
	struct vhost_vring_file f = { .index = idx };

	OK(ioctl(d->fd, VHOST_SET_VRING_NUM, &s));
	s.num = vq_base(q);
	OK(ioctl(d->fd, VHOST_SET_VRING_BASE, &s));
	OK(ioctl(d->fd, VHOST_SET_VRING_ADDR, &a));
	f.fd = q->kick;
	OK(ioctl(d->fd, VHOST_SET_VRING_KICK, &f));
	f.fd = q->call;
	OK(ioctl(d->fd, VHOST_SET_VRING_CALL, &f));
	f.fd = q->err;
	OK(ioctl(d->fd, VHOST_SET_VRING_ERR, &f));
}

/* Own an opened device, map memory, lay out and configure both rings. */
void vdev_start(struct vdev *d, u64 features, unsigned int num)
{
	vdev_own(d, features);
	vq_init(d, RX, num);
	vq_init(d, TX, num);
	vq_configure(d, RX);
	vq_configure(d, TX);
}

/* Open, own, map memory, lay out and configure both rings. No backend. */
void vdev_setup(struct vdev *d, u64 features, unsigned int num)
{
	vdev_init(d);
	vdev_start(d, features, num);
}

int vdev_backend(struct vdev *d, int idx, int fd)
{
	struct vhost_vring_file f = { .index = idx, .fd = fd };

	return ioctl(d->fd, VHOST_NET_SET_BACKEND, &f);
}

void vdev_close(struct vdev *d)
{
	int i;

	close(d->fd);
	for (i = 0; i < 2; i++) {
		if (d->vq[i].kick < 0)
			continue;
		close(d->vq[i].kick);
		close(d->vq[i].call);
		close(d->vq[i].err);
	}
	munmap(d->mem.hva, d->mem.size);
	d->fd = -1;
}

/*
 * What VHOST_SET_VRING_BASE takes, and GET returns, for the ring as the
 * driver sees it: the avail index, or for a packed ring the avail and
 * used positions (QEMU's encoding).
 */
u32 vq_base(const struct vq *q)
{
	if (q->packed)
		return q->pavail | (u32)q->pused << 16;
	return q->avail_idx;
}

/* Start a packed ring elsewhere than at its beginning (call before use). */
void vq_set_base(struct vq *q, u16 avail, u16 used)
{
	CHECK(q->packed);
	q->pavail = avail;
	q->pused = used;
}

/* Add a packed chain at our avail position; its first flags wait. */
static int padd(struct vq *q, const struct seg *out, int nout,
		const struct seg *in, int nin, bool indirect)
{
	int i, n = nout + nin, nring = indirect ? 1 : n;
	struct vring_packed_desc *t;
	u16 id, fl;

	CHECKF((unsigned int)nring <= q->nfree && q->nids,
	       "ring %d: %d descriptors wanted, %u free", q->idx, nring, q->nfree);
	id = q->next[--q->nids];
	q->nfree -= nring;
	q->ndesc[id] = nring;
	q->first[id] = q->pavail;
	q->pid[q->pavail & (PW - 1)] = id;
	if (indirect) {
		CHECKF(n <= IND_MAX, "indirect table too long (%d)", n);
		if (!q->ind[id])
			q->ind[id] = galloc(q->mem, IND_MAX * 16, 16);
		t = (void *)q->ind[id];
		for (i = 0; i < n; i++) {
			const struct seg *s = i < nout ? &out[i] : &in[i - nout];

			t[i].addr = gpa_of(q->mem, s->p);
			t[i].len = s->len;
			t[i].id = 0;
			t[i].flags = i < nout ? 0 : VRING_DESC_F_WRITE;
		}
		q->pring[q->pavail & (PW - 1)].addr = gpa_of(q->mem, t);
		q->pring[q->pavail & (PW - 1)].len = n * 16;
		q->pring[q->pavail & (PW - 1)].id = id;
		q->first_flags[id] = VRING_DESC_F_INDIRECT | avail_bits(q->pavail);
		q->pavail = pos_move(q->pavail, 1, q->num);
		return id;
	}
	for (i = 0; i < n; i++) {
		const struct seg *s = i < nout ? &out[i] : &in[i - nout];
		struct vring_packed_desc *d = &q->pring[q->pavail & (PW - 1)];

		fl = (i < nout ? 0 : VRING_DESC_F_WRITE) |
		     (i + 1 < n ? VRING_DESC_F_NEXT : 0) | avail_bits(q->pavail);
		d->addr = gpa_of(q->mem, s->p);
		d->len = s->len;
		d->id = id;
		if (i)
			d->flags = fl;
		else
			q->first_flags[id] = fl;
		q->pavail = pos_move(q->pavail, 1, q->num);
	}
	return id;
}

/*
 * In order, descriptors are used in ring order (virtio 2.7.5): the next
 * one after the last taken, wrapping at the end of the table, and a chain
 * links each to the one after it, so free_head is all the state needed.
 */
static u16 desc_get(struct vq *q)
{
	u16 d;

	CHECKF(q->nfree, "ring %d: out of descriptors", q->idx);
	if (!q->in_order)
		return q->next[--q->nfree];
	q->nfree--;
	d = q->free_head;
	q->free_head = (d + 1) % q->num;
	return d;
}

static void fill(struct vring_desc *d, const struct seg *s, u16 flags,
		 const struct gmem *m)
{
	d->addr = gpa_of(m, s->p);
	d->len = s->len;
	d->flags = flags;
}

static int add_indirect(struct vq *q, const struct seg *out, int nout,
			const struct seg *in, int nin)
{
	u16 head = desc_get(q);
	struct vring_desc *t;
	int i, n = nout + nin;

	CHECKF(n <= IND_MAX, "indirect table too long (%d)", n);
	if (!q->ind[head])
		q->ind[head] = galloc(q->mem, IND_MAX * 16, 16);
	t = q->ind[head];
	for (i = 0; i < n; i++) {
		const struct seg *s = i < nout ? &out[i] : &in[i - nout];
		u16 fl = i < nout ? 0 : VRING_DESC_F_WRITE;

		fill(&t[i], s, fl | (i + 1 < n ? VRING_DESC_F_NEXT : 0), q->mem);
		t[i].next = i + 1;
	}
	q->desc[head].addr = gpa_of(q->mem, t);
	q->desc[head].len = n * 16;
	q->desc[head].flags = VRING_DESC_F_INDIRECT;
	q->ndesc[head] = 1;
	return head;
}

static int add_direct(struct vq *q, const struct seg *out, int nout,
		      const struct seg *in, int nin)
{
	int i, n = nout + nin, head = -1, prev = -1;

	CHECKF((unsigned int)n <= q->nfree, "ring %d: %d descriptors wanted, %u free",
	       q->idx, n, q->nfree);
	for (i = 0; i < n; i++) {
		const struct seg *s = i < nout ? &out[i] : &in[i - nout];
		u16 d = desc_get(q);

		fill(&q->desc[d], s, i < nout ? 0 : VRING_DESC_F_WRITE, q->mem);
		if (prev >= 0) {
			q->desc[prev].flags |= VRING_DESC_F_NEXT;
			q->desc[prev].next = d;
		} else {
			head = d;
		}
		prev = d;
	}
	q->ndesc[head] = n;
	return head;
}

/* Add a buffer: nout device-readable then nin device-writable segments. */
int vq_add(struct vq *q, const struct seg *out, int nout,
	   const struct seg *in, int nin, bool indirect)
{
	int head, i;

	CHECK(nout + nin > 0 && nin <= MAXSEG);
	if (q->packed)
		head = padd(q, out, nout, in, nin, indirect);
	else if (indirect)
		head = add_indirect(q, out, nout, in, nin);
	else
		head = add_direct(q, out, nout, in, nin);
	for (i = 0; i < nin; i++)
		q->segs[head][i] = in[i];
	q->nsegs[head] = nin;
	return head;
}

void vq_publish_raw(struct vq *q, u16 head)
{
	CHECK(!q->packed);
	vq_rearm(q);
	q->avail->ring[q->avail_idx % q->num] = head;
	q->avail_idx++;
	__atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
}

/* A packed chain becomes available when its first flags are written. */
void vq_publish(struct vq *q, int head)
{
	if (!q->packed) {
		vq_publish_raw(q, head);
		return;
	}
	vq_rearm(q);
	__atomic_store_n(&q->pring[q->first[head] & (PW - 1)].flags,
			 q->first_flags[head], __ATOMIC_RELEASE);
}

void vq_kick(struct vq *q)
{
	u64 one = 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	CHECKF(write(q->kick, &one, 8) == 8, "kick: %s", errname(errno));
}

static u16 *used_event(struct vq *q)
{
	return &q->avail->ring[q->num];
}

/* Ask the device for calls (or not), the way a guest driver does. */
void vq_want_calls(struct vq *q, bool want)
{
	q->want_calls = want;
	q->rearm = false;
	if (q->packed) {
		if (q->event_idx && want) {
			vq_used_event(q, q->last_used);
			return;
		}
		__atomic_store_n(&q->drv->flags, want ? VRING_PACKED_EVENT_FLAG_ENABLE :
				 VRING_PACKED_EVENT_FLAG_DISABLE, __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		return;
	}
	if (q->event_idx) {
		/* used_event one behind us means "not until wrap-around" */
		vq_used_event(q, want ? q->last_used : q->last_used - 1);
		return;
	}
	q->avail->flags = want ? 0 : VRING_AVAIL_F_NO_INTERRUPT;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * With the event index, used_event moves past the entries read, as a
 * driver re-enables its interrupt, but only here: before buffers are
 * published and after a call was checked, not as each entry is read. A
 * device decides to call after it published the entries, so a used_event
 * moved past them at once could, if the device was slow, take back a
 * call the test then expects: a race of the test, not of the device.
 */
void vq_rearm(struct vq *q)
{
	if (!q->rearm)
		return;
	q->rearm = false;
	if (q->event_idx && q->want_calls)
		vq_used_event(q, q->last_used);
}

/*
 * Ask for a call when used entry idx (a count, as last_used) is written.
 * On a packed ring that is a position, found by assuming that the
 * buffers still to come take one descriptor each.
 */
void vq_used_event(struct vq *q, u16 idx)
{
	if (q->packed) {
		u16 pos = pos_move(q->pused, (u16)(idx - q->last_used), q->num);

		q->drv->off_wrap = pos;
		__atomic_store_n(&q->drv->flags, VRING_PACKED_EVENT_FLAG_DESC,
				 __ATOMIC_RELEASE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		return;
	}
	__atomic_store_n(used_event(q), idx, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Is the descriptor at pos used, for a driver whose used counter is pos's? */
static bool pused_at(const struct vq *q, u16 pos)
{
	u16 fl = __atomic_load_n(&q->pring[pos & (PW - 1)].flags, __ATOMIC_ACQUIRE);
	bool w = pos & PW;

	return !!(fl & P_AVAIL) == w && !!(fl & P_USED) == w;
}

/*
 * In order, a packed ring's used descriptor at pos may stand for a batch
 * (2.8.20): the buffers made available from pos on, up to and including
 * the one whose id it carries, all of their descriptors skipped. How many
 * buffers that is, with *end set to the position after them; 0 when the
 * id is not among the buffers we made available from pos on.
 */
static unsigned int pbatch(const struct vq *q, u16 pos, u16 *end)
{
	u16 last = q->pring[pos & (PW - 1)].id, id;
	unsigned int n, descs = 0, held = q->num - q->nfree;

	for (n = 1; n <= q->num; n++) {
		id = q->pid[pos & (PW - 1)];
		if (!q->ndesc[id] || q->first[id] != pos)
			return 0;
		descs += q->ndesc[id];
		if (descs > held)
			return 0;
		pos = pos_move(pos, q->ndesc[id], q->num);
		if (id == last) {
			*end = pos;
			return n;
		}
	}
	return 0;
}

/*
 * Used entries written and not yet read. On a packed ring, the used
 * descriptors from our position on, each followed after the descriptors
 * of its buffer (2.8.6), which must be a buffer we made available; in
 * order, after those of its batch, the rest of a batch being read first.
 */
unsigned int vq_used_pending(const struct vq *q)
{
	unsigned int n = 0, k;
	u16 pos = q->pused, id;

	if (!q->packed)
		return (u16)(vq_used_idx(q) - q->last_used);
	if (q->batch_left) {
		n = q->batch_left;
		pos = q->batch_end;
	}
	while (n < q->num && pused_at(q, pos)) {
		if (q->in_order) {
			k = pbatch(q, pos, &pos);
			if (!k)
				break;
			n += k;
			continue;
		}
		id = q->pring[pos & (PW - 1)].id;
		if (id >= q->num || !q->ndesc[id])
			break;
		pos = pos_move(pos, q->ndesc[id], q->num);
		n++;
	}
	return n;
}

/* The used index; on a packed ring, the count read plus those waiting. */
u16 vq_used_idx(const struct vq *q)
{
	if (q->packed)
		return q->last_used + vq_used_pending(q);
	return __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE);
}

/* Wait until at least count used entries are unread. */
bool vq_wait_used(struct vq *q, unsigned int count, int ms)
{
	u64 end = now_ms() + ms;

	for (;;) {
		if (vq_used_pending(q) >= count)
			return true;
		if (now_ms() >= end)
			return false;
		fd_wait(q->call, 2);
	}
}

static void free_chain(struct vq *q, u16 head)
{
	u16 d = head;
	unsigned int i;

	if (q->packed) {
		q->nfree += q->ndesc[head];
		q->next[q->nids++] = head;
		q->ndesc[head] = 0;
		return;
	}
	if (q->in_order) {
		q->nfree += q->ndesc[head];
		q->ndesc[head] = 0;
		return;
	}
	for (i = 0; i < q->ndesc[head]; i++) {
		u16 nx = q->desc[d].next;

		q->next[q->nfree++] = d;
		d = nx;
	}
	q->ndesc[head] = 0;
}

/*
 * In order, the device may write one used entry for a batch, at the slot
 * of its first buffer, with the id of its last (virtio 2.7.9): find how
 * many buffers that covers from the oldest outstanding one on, each
 * buffer's descriptors following the one before. The batch must end
 * within the entries the device published.
 */
static void batch_start(struct vq *q, u16 published)
{
	struct vring_used_elem e = q->used->ring[q->last_used % q->num];
	u16 h = q->used_head, n = 1;

	CHECKF(e.id < q->num && q->ndesc[e.id],
	       "ring %d: in-order batch at %u ends at id %u, which we did not make available",
	       q->idx, q->last_used, e.id);
	while (h != e.id) {
		CHECKF(q->ndesc[h] && n < published,
		       "ring %d: in-order batch at %u: id %u is not among the next %u buffers",
		       q->idx, q->last_used, e.id, published);
		h = (h + q->ndesc[h]) % q->num;
		n++;
	}
	q->batch_left = n;
	q->batch_len = e.len;
}

/*
 * The next buffer used, in order: the buffers of a batch but the last
 * were used completely, so their length is all they could take.
 */
static int pop_in_order(struct vq *q, u32 *len)
{
	u16 published = vq_used_idx(q) - q->last_used;
	u16 head = q->used_head;

	if (!published)
		return -1;
	if (!q->batch_left)
		batch_start(q, published);
	CHECKF(q->ndesc[head], "ring %d: in order, buffer %u was used but never made available",
	       q->idx, head);
	*len = --q->batch_left ? vq_buf_size(q, head) : q->batch_len;
	q->used_head = (head + q->ndesc[head]) % q->num;
	free_chain(q, head);
	q->last_used++;
	q->rearm = q->event_idx && q->want_calls;
	return head;
}

/* The next used descriptor of a packed ring, checked; -1 when none. */
static int ppop_used(struct vq *q, u32 *len)
{
	struct vring_packed_desc d;

	if (!pused_at(q, q->pused))
		return -1;
	d = q->pring[q->pused & (PW - 1)];
	CHECKF(d.id < q->num && q->ndesc[d.id],
	       "ring %d: the device used id %u, which we did not make available",
	       q->idx, d.id);
	q->pused = pos_move(q->pused, q->ndesc[d.id], q->num);
	q->last_used++;
	free_chain(q, d.id);
	q->rearm = q->event_idx && q->want_calls;
	*len = d.len;
	return d.id;
}

/*
 * The next buffer used on a packed ring in order: a used descriptor
 * starts a batch (pbatch()), whose buffers but the last were used
 * completely, so their length is all they could take.
 */
static int ppop_in_order(struct vq *q, u32 *len)
{
	u16 id;

	if (!q->batch_left) {
		if (!pused_at(q, q->pused))
			return -1;
		q->batch_left = pbatch(q, q->pused, &q->batch_end);
		CHECKF(q->batch_left,
		       "ring %d: in-order used descriptor at %#x has id %u, not one of ours from there on",
		       q->idx, q->pused, q->pring[q->pused & (PW - 1)].id);
		q->batch_len = q->pring[q->pused & (PW - 1)].len;
	}
	id = q->pid[q->pused & (PW - 1)];
	*len = --q->batch_left ? vq_buf_size(q, id) : q->batch_len;
	q->pused = pos_move(q->pused, q->ndesc[id], q->num);
	q->last_used++;
	free_chain(q, id);
	q->rearm = q->event_idx && q->want_calls;
	return id;
}

/* Read the next used entry: its id, *len set; -1 when there is none. */
int vq_pop_used(struct vq *q, u32 *len)
{
	struct vring_used_elem e;

	if (q->packed && q->in_order)
		return ppop_in_order(q, len);
	if (q->packed)
		return ppop_used(q, len);
	if (q->in_order)
		return pop_in_order(q, len);
	if (vq_used_idx(q) == q->last_used)
		return -1;
	e = q->used->ring[q->last_used % q->num];
	q->last_used++;
	CHECKF(e.id < q->num && q->ndesc[e.id],
	       "ring %d: the device used id %u, which we did not make available",
	       q->idx, e.id);
	free_chain(q, e.id);
	q->rearm = q->event_idx && q->want_calls;
	*len = e.len;
	return e.id;
}

/* How many bytes the device may write into a buffer. */
u32 vq_buf_size(const struct vq *q, int head)
{
	u32 n = 0;
	int i;

	for (i = 0; i < q->nsegs[head]; i++)
		n += q->segs[head][i].len;
	return n;
}

/* Copy len bytes of a used buffer's writable segments to out. */
u32 vq_gather(struct vq *q, int head, u32 len, u8 *out)
{
	u32 done = 0;
	int i;

	for (i = 0; i < q->nsegs[head] && done < len; i++) {
		u32 n = q->segs[head][i].len;

		if (n > len - done)
			n = len - done;
		memcpy(out + done, q->segs[head][i].p, n);
		done += n;
	}
	return done;
}

bool fd_wait(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

u64 efd_drain(int fd)
{
	u64 v = 0;

	if (read(fd, &v, 8) != 8)
		return 0;
	return v;
}
