// SPDX-License-Identifier: GPL-2.0
/*
 * Used entries in batches: TX and RX collect the chains they are done
 * with and put them in the used ring VHN_NET_BATCH at a time, with one
 * signal to the guest per batch at most (vhn_net_used_add(), inline in
 * net.h, collects them). Its own file so that tx.c and rx.c depend on it,
 * and net.c only on them.
 */
#include "net.h"

/**
 * vhn_net_used_flush() - put the collected used entries and tell the guest
 * @nvq: the queue, with its mutex held
 */
void vhn_net_used_flush(struct vhn_net_vq *nvq)
{
	struct vhn_vq *vq = &nvq->vq;
	int r;

	if (!nvq->nused)
		return;
	if (nvq->one_used)
		r = vhn_ring_put_in_order(vq, nvq->used, nvq->nused);
	else
		r = vhn_ring_put(vq, nvq->used, nvq->nused);
	/* A batch with no call eventfd counts as neither call nor suppressed. */
	if (!r && vq->call)
		vhn_stat_call(&vq->stats, vhn_ring_signal(vq));
	nvq->nused = 0;
}
