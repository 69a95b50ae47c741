// SPDX-License-Identifier: GPL-2.0
/*
 * The event worker: turns what the packet path left behind into
 * HERALD_CMD_STREAM_EVENT notifications (uapi/linux/herald.h); and the
 * message of a sink's page event, which the sink's own thread sends.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>

#include "event.h"
#include "herald.h"
#include "netlink.h"
#include "sink.h"
#include "stream.h"

#define HERALD_REJECTIONS_INTERVAL_MS 1000

static const u8 herald_drop_causes[] = {
	HERALD_STAT_DROP_MALFORMED, HERALD_STAT_DROP_AUTH, HERALD_STAT_DROP_REPLAY,
	HERALD_STAT_DROP_TOO_OLD, HERALD_STAT_DROP_UNKNOWN_MKI, HERALD_STAT_DROP_NO_KEY,
	HERALD_STAT_DROP_SSRC, HERALD_STAT_DROP_INDEX_LIMIT, HERALD_STAT_DROP_PAYLOAD_TYPE,
	HERALD_STAT_DROP_NOMEM,
};

/* A notification of @cmd with its HERALD_A_EVENT nest open, or NULL. */
static struct sk_buff *herald_event_new(u8 cmd, void **hdr, struct nlattr **nest)
{
	struct sk_buff *msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &herald_genl_family, 0, cmd);
	*nest = *hdr ? nla_nest_start(msg, HERALD_A_EVENT) : NULL;
	if (!*nest) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Close what herald_event_new opened and send it to the events group. */
static void herald_event_post(struct herald_net *hn, struct sk_buff *msg, void *hdr,
			      struct nlattr *nest)
{
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	herald_nl_notify(hn, msg);
}

static void herald_event_send(struct herald_net *hn, struct herald_stream *st, u32 type,
			      u32 ssrc, u32 mki, const u64 *drops)
{
	struct nlattr *nest, *list;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = herald_event_new(HERALD_CMD_STREAM_EVENT, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, HERALD_EVENT_A_TYPE, type) ||
	    nla_put_u32(msg, HERALD_EVENT_A_STREAM_ID, st->id) ||
	    nla_put_string(msg, HERALD_EVENT_A_LABEL, st->label))
		goto err;
	if ((type == HERALD_EVENT_NEW_SSRC || type == HERALD_EVENT_KEY_SWITCHED) &&
	    nla_put_u32(msg, HERALD_EVENT_A_SSRC, ssrc))
		goto err;
	if (type == HERALD_EVENT_KEY_SWITCHED && nla_put_u32(msg, HERALD_EVENT_A_MKI, mki))
		goto err;
	if (drops) {
		list = nla_nest_start(msg, HERALD_EVENT_A_DROPS);
		if (!list)
			goto err;
		for (i = 0; i < ARRAY_SIZE(herald_drop_causes); i++) {
			u8 c = herald_drop_causes[i];

			if (drops[c] && nla_put_u64_64bit(msg, c, drops[c], HERALD_STAT_PAD))
				goto err;
		}
		nla_nest_end(msg, list);
	}
	herald_event_post(hn, msg, hdr, nest);
	return;
err:
	nlmsg_free(msg);
}

void herald_event_sink(struct herald_net *hn, u32 sink_id, const struct herald_sink_event *ev)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = herald_event_new(HERALD_CMD_SINK_EVENT, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, HERALD_EVENT_A_TYPE, ev->type) ||
	    nla_put_u32(msg, HERALD_EVENT_A_SINK_ID, sink_id) ||
	    nla_put_u32(msg, HERALD_EVENT_A_STREAM_ID, ev->stream_id) ||
	    nla_put_string(msg, HERALD_EVENT_A_LABEL, ev->label) ||
	    (ev->type == HERALD_EVENT_PAGE_PREEMPTED &&
	     nla_put_u32(msg, HERALD_EVENT_A_BY_STREAM_ID, ev->by_id))) {
		nlmsg_free(msg);
		return;
	}
	herald_event_post(hn, msg, hdr, nest);
}

static void herald_events_stream(struct herald_net *hn, struct herald_stream *st,
				 unsigned long now)
{
	unsigned long last = READ_ONCE(st->last_rx);
	bool active = last && time_before(now, last + msecs_to_jiffies(HERALD_IDLE_MS));
	u64 sum[__HERALD_STAT_MAX], delta[__HERALD_STAT_MAX] = {};
	bool rejected = false;
	unsigned int i;
	u32 ssrc, mki;

	if (active != st->ev_active) {
		st->ev_active = active;
		herald_event_send(hn, st, active ? HERALD_EVENT_ACTIVE : HERALD_EVENT_IDLE,
				  0, 0, NULL);
	}
	if (test_and_clear_bit(HERALD_EV_NEW_SSRC, &st->ev_pending)) {
		spin_lock_bh(&st->ssrc_lock);
		ssrc = st->ev_new_ssrc;
		spin_unlock_bh(&st->ssrc_lock);
		herald_event_send(hn, st, HERALD_EVENT_NEW_SSRC, ssrc, 0, NULL);
	}
	if (test_and_clear_bit(HERALD_EV_KEY_SWITCHED, &st->ev_pending)) {
		spin_lock_bh(&st->ssrc_lock);
		ssrc = st->ev_key_ssrc;
		mki = st->ev_key_mki;
		spin_unlock_bh(&st->ssrc_lock);
		herald_event_send(hn, st, HERALD_EVENT_KEY_SWITCHED, ssrc, mki, NULL);
	}
	/* Rejections at most once a second per stream: an attack must not
	 * turn into a flood of notifications.
	 */
	if (time_before(now, st->ev_last_rejections +
			msecs_to_jiffies(HERALD_REJECTIONS_INTERVAL_MS)))
		return;
	herald_stats_read(st->stats, sum);
	for (i = 0; i < ARRAY_SIZE(herald_drop_causes); i++) {
		u8 c = herald_drop_causes[i];

		delta[c] = sum[c] - st->ev_drops[c];
		st->ev_drops[c] = sum[c];
		rejected |= delta[c] != 0;
	}
	if (rejected) {
		st->ev_last_rejections = now;
		herald_event_send(hn, st, HERALD_EVENT_REJECTIONS, 0, 0, delta);
	}
}

static void herald_events_work(struct work_struct *work)
{
	struct herald_net *hn = container_of(to_delayed_work(work), struct herald_net,
					     event_work);
	unsigned long now = jiffies;
	struct herald_stream *st;

	mutex_lock(&hn->lock);
	list_for_each_entry(st, &hn->streams, list)
		herald_events_stream(hn, st, now);
	/* Run while there are streams; the next new stream restarts us. */
	if (!list_empty(&hn->streams) && !hn->events_stopped)
		queue_delayed_work(system_wq, &hn->event_work,
				   msecs_to_jiffies(HERALD_EVENT_INTERVAL_MS));
	mutex_unlock(&hn->lock);
}

void herald_events_init(struct herald_net *hn)
{
	INIT_DELAYED_WORK(&hn->event_work, herald_events_work);
}

void herald_events_kick(struct herald_net *hn)
{
	lockdep_assert_held(&hn->lock);
	if (!hn->events_stopped)
		queue_delayed_work(system_wq, &hn->event_work,
				   msecs_to_jiffies(HERALD_EVENT_INTERVAL_MS));
}

void herald_events_stop(struct herald_net *hn)
{
	mutex_lock(&hn->lock);
	hn->events_stopped = true;
	mutex_unlock(&hn->lock);
	cancel_delayed_work_sync(&hn->event_work);
}
