// SPDX-License-Identifier: GPL-2.0
/*
 * The counters in debugfs: /sys/kernel/debug/vhost-net/<owner tgid>-<id>/
 * holds one file per virtqueue, vq0 (RX) and vq1 (TX), of "key value"
 * lines in a fixed order (Documentation/observability.rst). A device's
 * directory exists from SET_OWNER to RESET_OWNER or release; only root
 * may read it. Failing to create it is not an error: the device works
 * the same, it is only not shown.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "dev.h"
#include "stats.h"
#include "vq.h"

static struct dentry *vhn_debugfs_root;

/* One counter line. The worker may be adding to it: read it whole. */
static void vhn_show_u64(struct seq_file *m, const char *key, const u64 *v)
{
	seq_printf(m, "%s %llu\n", key, READ_ONCE(*v));
}

static int vhn_vq_show(struct seq_file *m, void *unused)
{
	const struct vhn_vq_stats *s = &((struct vhn_vq *)m->private)->stats;
	char key[32];
	u64 total = 0;
	int i;

	seq_printf(m, "queue %s\n", s->qid ? "tx" : "rx");
	vhn_show_u64(m, "frames", &s->frames);
	vhn_show_u64(m, "bytes", &s->bytes);
	vhn_show_u64(m, "kicks", &s->kicks);
	vhn_show_u64(m, "calls", &s->calls);
	vhn_show_u64(m, "calls_suppressed", &s->calls_suppressed);
	vhn_show_u64(m, "runs", &s->runs);
	vhn_show_u64(m, "runs_budget", &s->runs_budget);
	vhn_show_u64(m, "ring_empty", &s->ring_empty);
	vhn_show_u64(m, "backend_full", &s->backend_full);
	vhn_show_u64(m, "busy_polls", &s->busy_polls);
	vhn_show_u64(m, "busy_poll_hits", &s->busy_poll_hits);
	vhn_show_u64(m, "batches", &s->tx_batches);
	vhn_show_u64(m, "batch_frames", &s->tx_batch_frames);
	for (i = 0; i < VHN_DROP_MAX; i++) {
		snprintf(key, sizeof(key), "drops_%s", vhn_drop_name(i));
		vhn_show_u64(m, key, &s->drops[i]);
	}
	for (i = 0; i < VHN_ERRC_MAX; i++) {
		snprintf(key, sizeof(key), "errors_%s", vhn_err_class_name(i));
		vhn_show_u64(m, key, &s->errors[i]);
		total += READ_ONCE(s->errors[i]);
	}
	seq_printf(m, "errors %llu\n", total);
	seq_printf(m, "last_error %s\n", vhn_ring_err_name(READ_ONCE(s->last_error)));
	seq_printf(m, "last_error_avail %u\n", READ_ONCE(s->last_error_avail));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vhn_vq);

/**
 * vhn_debugfs_init() - create /sys/kernel/debug/vhost-net at module load
 */
void vhn_debugfs_init(void)
{
	vhn_debugfs_root = debugfs_create_dir("vhost-net", NULL);
}

/**
 * vhn_debugfs_exit() - remove it at module unload; no device is left
 */
void vhn_debugfs_exit(void)
{
	debugfs_remove(vhn_debugfs_root);
}

/* The counters start again from 0 with each owner; the names stay. */
static void vhn_stats_clear(struct vhn_vq_stats *s)
{
	u32 dev_id = s->dev_id, qid = s->qid;

	memset(s, 0, sizeof(*s));
	s->dev_id = dev_id;
	s->qid = qid;
}

/**
 * vhn_stats_set_owner() - the device got an owner: show it
 * @dev: the device, just owned by current; the caller holds its mutex
 *
 * No queue runs yet, so the counters can be cleared without the vq
 * mutexes, and no kick can arrive before SET_VRING_KICK.
 */
void vhn_stats_set_owner(struct vhn_dev *dev)
{
	char name[32];
	int i;

	dev->stats.owner = current->tgid;
	trace_vhn_owner(dev->stats.id, dev->stats.owner, true);
	for (i = 0; i < dev->nvqs; i++)
		vhn_stats_clear(&dev->vqs[i]->stats);
	snprintf(name, sizeof(name), "%d-%u", dev->stats.owner, dev->stats.id);
	dev->stats.dir = debugfs_create_dir(name, vhn_debugfs_root);
	for (i = 0; i < dev->nvqs; i++) {
		snprintf(name, sizeof(name), "vq%d", i);
		debugfs_create_file(name, 0400, dev->stats.dir, dev->vqs[i],
				    &vhn_vq_fops);
	}
}

/**
 * vhn_stats_reset_owner() - the device lost its owner, or is released
 * @dev: the device; the caller holds its mutex
 *
 * Once the directory is removed no reader is left in it, so the queues
 * may be freed. Nothing happens for a device that had no owner.
 */
void vhn_stats_reset_owner(struct vhn_dev *dev)
{
	if (!dev->stats.dir)
		return;
	trace_vhn_owner(dev->stats.id, dev->stats.owner, false);
	debugfs_remove(dev->stats.dir);
	dev->stats.dir = NULL;
}
