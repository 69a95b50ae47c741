// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers for sinks: new, set, del, get/dump.
 */
#include <linux/mm.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "herald.h"
#include "netlink.h"
#include "sink.h"
#include "stream.h"

const struct nla_policy herald_sink_policy[HERALD_SINK_A_MAX + 1] = {
	[HERALD_SINK_A_PAD] = { .type = NLA_REJECT },
	[HERALD_SINK_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HERALD_SINK_A_LABEL] = { .type = NLA_NUL_STRING, .len = HERALD_LABEL_MAX - 1 },
	[HERALD_SINK_A_CARD] = NLA_POLICY_MAX(NLA_U32, 31),
	[HERALD_SINK_A_DEVICE] = NLA_POLICY_MAX(NLA_U32, 31),
	[HERALD_SINK_A_RATE] = { .type = NLA_U32 },
	[HERALD_SINK_A_PERIOD_FRAMES] = NLA_POLICY_MIN(NLA_U32, 1),
	[HERALD_SINK_A_BUFFER_FRAMES] = NLA_POLICY_MIN(NLA_U32, 1),
	[HERALD_SINK_A_VOLUME_DB] = NLA_POLICY_RANGE(NLA_S32, HERALD_SINK_VOLUME_DB_MIN,
						     HERALD_SINK_VOLUME_DB_MAX),
	[HERALD_SINK_A_EMERGENCY_VOLUME_DB] = NLA_POLICY_RANGE(NLA_S32, HERALD_SINK_VOLUME_DB_MIN,
							       HERALD_SINK_VOLUME_DB_MAX),
	[HERALD_SINK_A_TARGET_DELAY_MS] = NLA_POLICY_RANGE(NLA_U32, HERALD_SINK_TARGET_MS_MIN,
							   HERALD_SINK_TARGET_MS_MAX),
	[HERALD_SINK_A_STATS] = { .type = NLA_REJECT },
	[HERALD_SINK_A_LEVEL_US] = { .type = NLA_REJECT },
	[HERALD_SINK_A_HOLDER] = { .type = NLA_REJECT },
	[HERALD_SINK_A_PCM_OPEN] = { .type = NLA_REJECT },
	[HERALD_SINK_A_ERROR] = { .type = NLA_REJECT },
	[HERALD_SINK_A_CHANNELS] = { .type = NLA_REJECT },
	[HERALD_SINK_A_CARD_ID] = { .type = NLA_NUL_STRING, .len = HERALD_SINK_CARD_ID_MAX - 1 },
	[HERALD_SINK_A_TONE_PCM] = { .type = NLA_BINARY, .len = HERALD_SINK_TONE_MAX_BYTES },
	[HERALD_SINK_A_TONE_MS] = { .type = NLA_REJECT },
};

static const u8 herald_sink_counters[] = {
	HERALD_STAT_PACKETS, HERALD_STAT_DROP_BUSY, HERALD_STAT_FRAMES_PLAYED,
	HERALD_STAT_UNDERRUNS, HERALD_STAT_CONCEALED, HERALD_STAT_LATE, HERALD_STAT_EARLY,
	HERALD_STAT_DRIFT_CORRECTIONS, HERALD_STAT_DROP_CODEC, HERALD_STAT_PAGES,
	HERALD_STAT_PREEMPTIONS, HERALD_STAT_GAP,
};

static int herald_sink_fill(struct sk_buff *skb, struct list_head *node, u32 portid,
			    u32 seq, int flags)
{
	struct herald_sink *sink = list_entry(node, struct herald_sink, list);
	bool open = READ_ONCE(sink->pcm_open);
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &herald_genl_family, flags, HERALD_CMD_GET_SINK);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, HERALD_A_SINK);
	if (!nest)
		goto err;
	if (nla_put_u32(skb, HERALD_SINK_A_ID, sink->id) ||
	    nla_put_string(skb, HERALD_SINK_A_LABEL, sink->label) ||
	    (sink->cfg.card_id[0] ?
	     nla_put_string(skb, HERALD_SINK_A_CARD_ID, sink->cfg.card_id) :
	     nla_put_u32(skb, HERALD_SINK_A_CARD, sink->cfg.card)) ||
	    nla_put_u32(skb, HERALD_SINK_A_DEVICE, sink->cfg.device) ||
	    nla_put_u32(skb, HERALD_SINK_A_RATE, sink->cfg.rate) ||
	    nla_put_u32(skb, HERALD_SINK_A_PERIOD_FRAMES, sink->cfg.period) ||
	    nla_put_u32(skb, HERALD_SINK_A_BUFFER_FRAMES, sink->cfg.buffer) ||
	    nla_put_s32(skb, HERALD_SINK_A_VOLUME_DB, READ_ONCE(sink->cfg.volume_db)) ||
	    nla_put_s32(skb, HERALD_SINK_A_EMERGENCY_VOLUME_DB,
			READ_ONCE(sink->cfg.emergency_db)) ||
	    nla_put_u32(skb, HERALD_SINK_A_TARGET_DELAY_MS, READ_ONCE(sink->next_target_ms)) ||
	    nla_put_u32(skb, HERALD_SINK_A_LEVEL_US, herald_sink_level_us(sink)) ||
	    nla_put_u32(skb, HERALD_SINK_A_HOLDER, herald_sink_holder(sink)) ||
	    nla_put_u8(skb, HERALD_SINK_A_PCM_OPEN, open) ||
	    nla_put_s32(skb, HERALD_SINK_A_ERROR, READ_ONCE(sink->error)) ||
	    (open && nla_put_u32(skb, HERALD_SINK_A_CHANNELS, READ_ONCE(sink->play.channels))) ||
	    nla_put_u32(skb, HERALD_SINK_A_TONE_MS, READ_ONCE(sink->tone_ms)) ||
	    herald_stats_put(skb, HERALD_SINK_A_STATS, sink->stats, herald_sink_counters,
			     ARRAY_SIZE(herald_sink_counters)))
		goto err;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
err:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int herald_sink_parse(struct genl_info *info, struct nlattr **tb)
{
	if (GENL_REQ_ATTR_CHECK(info, HERALD_A_SINK))
		return -EINVAL;
	return nla_parse_nested(tb, HERALD_SINK_A_MAX, info->attrs[HERALD_A_SINK],
				herald_sink_policy, info->extack);
}

/* The sink a request names by ID. hn->lock held. */
static struct herald_sink *herald_sink_lookup(struct herald_net *hn, struct nlattr **tb,
					      struct genl_info *info)
{
	struct herald_sink *sink;

	if (!tb[HERALD_SINK_A_ID]) {
		NL_SET_ERR_MSG(info->extack, "sink id missing");
		return ERR_PTR(-EINVAL);
	}
	sink = herald_sink_find(hn, nla_get_u32(tb[HERALD_SINK_A_ID]));
	if (!sink) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[HERALD_SINK_A_ID], "no sink with this id");
		return ERR_PTR(-ENOENT);
	}
	return sink;
}

/* Settings of a new sink, defaults filled in, checked against each other. */
static int herald_sink_config_from_nl(struct nlattr **tb, struct herald_sink_config *cfg,
				      struct netlink_ext_ack *extack)
{
	u32 step;

	if (!tb[HERALD_SINK_A_CARD] == !tb[HERALD_SINK_A_CARD_ID]) {
		NL_SET_ERR_MSG(extack, "a sink needs an ALSA card: its index or its id, one of them");
		return -EINVAL;
	}
	if (tb[HERALD_SINK_A_CARD]) {
		cfg->card = nla_get_u32(tb[HERALD_SINK_A_CARD]);
	} else {
		/* Kept as given, looked up when the PCM is opened: a card
		 * plugged in later or re-enumerated is still found.
		 */
		nla_strscpy(cfg->card_id, tb[HERALD_SINK_A_CARD_ID], sizeof(cfg->card_id));
		if (!cfg->card_id[0]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HERALD_SINK_A_CARD_ID], "empty card id");
			return -EINVAL;
		}
	}
	cfg->device = tb[HERALD_SINK_A_DEVICE] ? nla_get_u32(tb[HERALD_SINK_A_DEVICE]) : 0;
	cfg->rate = tb[HERALD_SINK_A_RATE] ? nla_get_u32(tb[HERALD_SINK_A_RATE]) :
		    HERALD_SINK_RATE_DEFAULT;
	if (cfg->rate != 8000 && cfg->rate != 16000 && cfg->rate != 48000) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HERALD_SINK_A_RATE],
				    "the sink rate is 8000, 16000 or 48000 Hz");
		return -EINVAL;
	}
	/* Periods hold whole 8 kHz units: the jitter buffer's grain. */
	step = cfg->rate / 8000;
	cfg->period = tb[HERALD_SINK_A_PERIOD_FRAMES] ?
		      nla_get_u32(tb[HERALD_SINK_A_PERIOD_FRAMES]) :
		      cfg->rate * HERALD_SINK_PERIOD_MS_DEFAULT / 1000;
	if (cfg->period % step || cfg->period < cfg->rate / 1000 ||
	    cfg->period > cfg->rate / 10) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HERALD_SINK_A_PERIOD_FRAMES],
				    "the period is 1..100 ms and a multiple of rate / 8000 frames");
		return -EINVAL;
	}
	cfg->buffer = tb[HERALD_SINK_A_BUFFER_FRAMES] ?
		      nla_get_u32(tb[HERALD_SINK_A_BUFFER_FRAMES]) :
		      cfg->period * HERALD_SINK_PERIODS_DEFAULT;
	if (cfg->buffer % step || cfg->buffer < 2 * cfg->period ||
	    cfg->buffer > 16 * cfg->period || cfg->buffer > cfg->rate / 4) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HERALD_SINK_A_BUFFER_FRAMES],
				    "the buffer is 2..16 periods, at most 250 ms, a multiple of rate / 8000 frames");
		return -EINVAL;
	}
	cfg->target_ms = tb[HERALD_SINK_A_TARGET_DELAY_MS] ?
			 nla_get_u32(tb[HERALD_SINK_A_TARGET_DELAY_MS]) :
			 HERALD_SINK_TARGET_MS_DEFAULT;
	cfg->volume_db = tb[HERALD_SINK_A_VOLUME_DB] ?
			 nla_get_s32(tb[HERALD_SINK_A_VOLUME_DB]) : 0;
	cfg->emergency_db = tb[HERALD_SINK_A_EMERGENCY_VOLUME_DB] ?
			    nla_get_s32(tb[HERALD_SINK_A_EMERGENCY_VOLUME_DB]) : 0;
	return 0;
}

/*
 * The tone a request uploads (HERALD_SINK_A_TONE_PCM), converted to the
 * sink's @rate; an empty one is the built-in chime again. NULL without the
 * attribute. Process context: the conversion runs once, here.
 */
static struct herald_tone *herald_tone_from_nl(struct nlattr *attr, u32 rate,
					       struct netlink_ext_ack *extack)
{
	struct herald_tone *tone;

	if (!attr)
		return NULL;
	if (nla_len(attr) % 2) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the tone is s16le mono at 16000 Hz: an even number of bytes");
		return ERR_PTR(-EINVAL);
	}
	tone = herald_sink_tone_make(rate, nla_len(attr) ? nla_data(attr) : NULL, nla_len(attr));
	return tone ? tone : ERR_PTR(-ENOMEM);
}

int herald_nl_new_sink(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_SINK_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct herald_sink_config cfg;
	struct herald_tone *tone;
	struct herald_sink *sink;
	u32 id;
	int ret;

	ret = herald_sink_parse(info, tb);
	if (ret)
		return ret;
	ret = herald_sink_config_from_nl(tb, &cfg, extack);
	if (ret)
		return ret;
	tone = herald_tone_from_nl(tb[HERALD_SINK_A_TONE_PCM], cfg.rate, extack);
	if (IS_ERR(tone))
		return PTR_ERR(tone);
	mutex_lock(&hn->lock);
	if (tb[HERALD_SINK_A_ID]) {
		id = nla_get_u32(tb[HERALD_SINK_A_ID]);
		if (herald_sink_find(hn, id)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[HERALD_SINK_A_ID], "a sink with this id exists");
			ret = -EEXIST;
			goto out_unlock;
		}
	} else {
		do
			id = hn->next_sink_id++;
		while (!id || herald_sink_find(hn, id));
	}
	sink = herald_sink_create(hn, id,
				  tb[HERALD_SINK_A_LABEL] ? nla_data(tb[HERALD_SINK_A_LABEL]) : "",
				  &cfg, extack);
	if (IS_ERR(sink)) {
		ret = PTR_ERR(sink);
		goto out_unlock;
	}
	if (tone) {
		herald_sink_tone_set(sink, tone);
		tone = NULL;
	}
	list_add_tail(&sink->list, &hn->sinks);
	ret = herald_nl_reply(info, herald_sink_fill, &sink->list);
	/* The sink exists whether or not the reply made it. */
	if (ret == -ENOMEM || ret == -EMSGSIZE)
		ret = 0;
out_unlock:
	mutex_unlock(&hn->lock);
	kvfree(tone);
	return ret;
}

int herald_nl_set_sink(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_SINK_A_MAX + 1];
	struct herald_sink *sink;
	int ret, i;

	ret = herald_sink_parse(info, tb);
	if (ret)
		return ret;
	for (i = 0; i <= HERALD_SINK_A_MAX; i++) {
		if (!tb[i] || i == HERALD_SINK_A_ID || i == HERALD_SINK_A_LABEL ||
		    i == HERALD_SINK_A_VOLUME_DB || i == HERALD_SINK_A_EMERGENCY_VOLUME_DB ||
		    i == HERALD_SINK_A_TARGET_DELAY_MS || i == HERALD_SINK_A_TONE_PCM)
			continue;
		NL_SET_ERR_MSG_ATTR(info->extack, tb[i],
				    "the PCM settings are fixed: delete and create the sink");
		return -EOPNOTSUPP;
	}
	mutex_lock(&hn->lock);
	sink = herald_sink_lookup(hn, tb, info);
	if (IS_ERR(sink)) {
		ret = PTR_ERR(sink);
		goto out_unlock;
	}
	/* Validated and converted before anything changes. */
	if (tb[HERALD_SINK_A_TONE_PCM]) {
		struct herald_tone *tone = herald_tone_from_nl(tb[HERALD_SINK_A_TONE_PCM],
							       sink->cfg.rate, info->extack);

		if (IS_ERR(tone)) {
			ret = PTR_ERR(tone);
			goto out_unlock;
		}
		herald_sink_tone_set(sink, tone);
	}
	if (tb[HERALD_SINK_A_LABEL])
		strscpy(sink->label, nla_data(tb[HERALD_SINK_A_LABEL]), sizeof(sink->label));
	if (tb[HERALD_SINK_A_VOLUME_DB])
		WRITE_ONCE(sink->cfg.volume_db, nla_get_s32(tb[HERALD_SINK_A_VOLUME_DB]));
	if (tb[HERALD_SINK_A_EMERGENCY_VOLUME_DB])
		WRITE_ONCE(sink->cfg.emergency_db,
			   nla_get_s32(tb[HERALD_SINK_A_EMERGENCY_VOLUME_DB]));
	if (tb[HERALD_SINK_A_TARGET_DELAY_MS]) {
		/* Read by the packet path when a page starts, under the lock. */
		spin_lock_bh(&sink->lock);
		sink->next_target_ms = nla_get_u32(tb[HERALD_SINK_A_TARGET_DELAY_MS]);
		spin_unlock_bh(&sink->lock);
	}
out_unlock:
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_del_sink(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_SINK_A_MAX + 1];
	struct herald_sink *sink;
	int ret;

	ret = herald_sink_parse(info, tb);
	if (ret)
		return ret;
	mutex_lock(&hn->lock);
	sink = herald_sink_lookup(hn, tb, info);
	if (IS_ERR(sink)) {
		ret = PTR_ERR(sink);
	} else {
		list_del(&sink->list);
		herald_streams_forget_sink(hn, sink);
		herald_sink_destroy(sink);
	}
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_get_sink(struct sk_buff *skb, struct genl_info *info)
{
	struct herald_net *hn = herald_pernet(genl_info_net(info));
	struct nlattr *tb[HERALD_SINK_A_MAX + 1];
	struct herald_sink *sink;
	int ret;

	ret = herald_sink_parse(info, tb);
	if (ret)
		return ret;
	mutex_lock(&hn->lock);
	sink = herald_sink_lookup(hn, tb, info);
	ret = IS_ERR(sink) ? PTR_ERR(sink) : herald_nl_reply(info, herald_sink_fill, &sink->list);
	mutex_unlock(&hn->lock);
	return ret;
}

int herald_nl_dump_sinks(struct sk_buff *skb, struct netlink_callback *cb)
{
	return herald_nl_dump_list(skb, cb, &herald_pernet(sock_net(skb->sk))->sinks,
				   herald_sink_fill);
}
