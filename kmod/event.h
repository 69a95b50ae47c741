/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stream and sink events for the "events" multicast group. The packet path only
 * leaves marks (timestamps, pending bits, counters); a per-namespace worker
 * turns them into messages every HERALD_EVENT_INTERVAL_MS, in process
 * context, so no packet ever allocates or sends a notification.
 */
#ifndef _HERALD_EVENT_H
#define _HERALD_EVENT_H

#include <linux/workqueue.h>

struct herald_net;
struct herald_sink_event;

enum herald_event_pending {
	HERALD_EV_NEW_SSRC,
	HERALD_EV_KEY_SWITCHED,
};

void herald_events_init(struct herald_net *hn);
/* Start the worker if it is not running (a stream was added). */
void herald_events_kick(struct herald_net *hn);
/* Stop it for good; hn->lock not held. */
void herald_events_stop(struct herald_net *hn);

/*
 * Send one page event of sink @sink_id as HERALD_CMD_SINK_EVENT. Called by
 * the sink's thread only (process context); hn->lock not needed.
 */
void herald_event_sink(struct herald_net *hn, u32 sink_id, const struct herald_sink_event *ev);

#endif /* _HERALD_EVENT_H */
