/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event-index arithmetic for split virtqueues (virtio 1.x, 2.7.7.2 and
 * 2.7.10). Ring indices are free-running 16-bit counters, so every
 * comparison here is done modulo 2^16.
 */
#ifndef VHN_EVENT_IDX_H
#define VHN_EVENT_IDX_H

#include <linux/types.h>

/**
 * vhn_need_event() - does moving an index past @event call for a notification?
 * @event: the index the other side asked to be told about (used_event or
 *	   avail_event)
 * @new_idx: the index after the update
 * @old_idx: the index before the update
 *
 * The other side wants a notification when the index moves past @event,
 * that is, when @event lies in the half-open window [@old_idx, @new_idx).
 * Both differences are taken modulo 2^16 so the test holds across wrap.
 *
 * Return: true if a notification is needed.
 */
static inline bool vhn_need_event(u16 event, u16 new_idx, u16 old_idx)
{
	return ((new_idx - event - 1) & 0xffff) < ((new_idx - old_idx) & 0xffff);
}

#endif /* VHN_EVENT_IDX_H */
