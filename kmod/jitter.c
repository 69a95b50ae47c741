// SPDX-License-Identifier: GPL-2.0
/*
 * Jitter buffer, drift estimator, loss concealment and gain for the sink
 * (see jitter.h). Pure logic: the sink serialises calls with its own lock.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/herald.h>

#include "jitter.h"

void herald_jb_init(struct herald_jb *jb, u32 target, u32 preroll)
{
	jb->target = min_t(u32, target, HERALD_JB_UNITS / 2);
	jb->preroll = min_t(u32, preroll, HERALD_JB_UNITS / 2 - jb->target);
	herald_jb_reset(jb);
}

void herald_jb_reset(struct herald_jb *jb)
{
	memset(jb->tag, 0, sizeof(jb->tag));
	jb->started = false;
	jb->ssrc = 0;
	jb->read_ts = 0;
	jb->end_ts = 0;
	jb->last_len = 0;
	jb->win_max = 0;
	jb->win_n = 0;
	jb->windows = 0;
	jb->est = 0;
	jb->ref = 0;
	jb->correct = 0;
	jb->since_correct = 0;
	jb->dry = 0;
	jb->dry_end = 0;
}

/* Start a page on a packet at @ts: it plays after the target delay. */
static void herald_jb_anchor(struct herald_jb *jb, u32 ssrc, u32 ts)
{
	herald_jb_reset(jb);
	jb->started = true;
	jb->ssrc = ssrc;
	jb->read_ts = ts - jb->target - jb->preroll;
	jb->end_ts = ts;
	jb->first_ts = ts;
}

enum herald_jb_put herald_jb_put(struct herald_jb *jb, u32 ssrc, u32 ts, u8 pt,
				 const u8 *payload, u32 len)
{
	enum herald_jb_put ret = HERALD_JB_OK;
	u32 i, skip = 0;
	s32 d;

	if (!len || len > HERALD_JB_MAX_PACKET)
		return HERALD_JB_BAD_SIZE;
	if (!jb->started || ssrc != jb->ssrc) {
		/* A new talker is a new page, whatever its timestamps. */
		herald_jb_anchor(jb, ssrc, ts);
		ret = HERALD_JB_STARTED;
	}
	d = (s32)(ts - jb->read_ts);
	if (d < -(s32)HERALD_JB_UNITS) {
		/* Far behind: the sender's timeline jumped back. */
		herald_jb_anchor(jb, ssrc, ts);
		ret = HERALD_JB_JUMP_BACK;
		d = jb->target + jb->preroll;
	} else if (d > (s32)(HERALD_JB_UNITS - len)) {
		/* Beyond what the ring can hold before the reader gets there. */
		herald_jb_anchor(jb, ssrc, ts);
		ret = HERALD_JB_JUMP_FORWARD;
		d = jb->target + jb->preroll;
	} else if (d < 0) {
		if ((u32)-d >= len)
			return HERALD_JB_LATE;
		/* Partly late: keep the part still to be played. */
		skip = -d;
	}
	for (i = skip; i < len; i++) {
		u32 idx = (ts + i) & HERALD_JB_MASK;

		jb->code[idx] = payload[i];
		jb->tag[idx] = HERALD_JB_PRESENT | (pt & 0x7f);
	}
	if ((s32)(ts + len - jb->end_ts) > 0)
		jb->end_ts = ts + len;
	jb->last_len = len;
	return ret;
}

u32 herald_jb_level(const struct herald_jb *jb)
{
	s32 d = (s32)(jb->end_ts - jb->read_ts);

	return jb->started && d > 0 ? d : 0;
}

int herald_jb_drift(struct herald_jb *jb, u32 period, u32 spu, u32 queued)
{
	u32 level = herald_jb_level(jb);

	if (!jb->started)
		return 0;
	/*
	 * Sampled only while the page's own audio flows: the silence before
	 * its first packet (still being trimmed), a gap or its end are not
	 * drift. The delay of the newest unit is the ring's level plus what
	 * the card holds: a reader that runs late moves audio from the card's
	 * share to the ring's, not the sum.
	 */
	if (level && (s32)(jb->read_ts - jb->first_ts) >= 0) {
		s32 delay = (s32)(level * spu + queued);

		if (!jb->win_n || delay > jb->win_max)
			jb->win_max = delay;
		jb->win_n++;
	}
	if (jb->win_n >= HERALD_JB_DRIFT_WINDOW) {
		/*
		 * The peak, not the average: a packet that comes late lowers
		 * the delay until it lands, but none comes before its time,
		 * so the peaks follow the sender's clock alone. The peaks
		 * still wander by up to a packet with the phase between
		 * arrivals and reads and with a bursty sender: filtered, and
		 * compared with the level the page settled at (set by the
		 * anchor and the lead trim), beyond a dead band of a period
		 * and a millisecond. Real drift (100 ppm is 0.1 ms a second)
		 * crosses it in seconds; jitter alone does not.
		 */
		if (!jb->windows)
			jb->est = jb->win_max;
		else
			jb->est += (jb->win_max - jb->est) / (1 << HERALD_JB_DRIFT_SHIFT);
		jb->windows++;
		jb->win_n = 0;
		if (jb->windows == HERALD_JB_DRIFT_SETTLE) {
			jb->ref = jb->est;
		} else if (jb->windows > HERALD_JB_DRIFT_SETTLE && !jb->correct) {
			s32 err = jb->est - jb->ref;
			s32 band = (s32)((period + HERALD_JB_DRIFT_DEADBAND) * spu);

			/* All the way back to the reference: the estimate
			 * follows each step taken (below), so it does not
			 * ask again for what is already corrected.
			 */
			if (err > band || err < -band)
				jb->correct = err;
		}
	}
	/* One sample now and then: the pitch moves by a fraction of a
	 * percent for one period, and is back before the next correction.
	 */
	if (jb->since_correct < HERALD_JB_DRIFT_SPACING) {
		jb->since_correct++;
		return 0;
	}
	if (!jb->correct)
		return 0;
	jb->since_correct = 0;
	if (jb->correct > 0) {
		/* A sample fewer: every later unit plays a sample sooner. */
		jb->correct--;
		jb->est--;
		jb->win_max--;
		return 1;
	}
	jb->correct++;
	jb->est++;
	jb->win_max++;
	return -1;
}

u32 herald_jb_trim_lead(struct herald_jb *jb)
{
	s32 excess = (s32)herald_jb_level(jb) - (s32)(jb->target + jb->last_len);

	if (excess <= 0)
		return 0;
	return herald_jb_skip_lead(jb, excess);
}

u32 herald_jb_pull(struct herald_jb *jb, u8 *code, u8 *tag, u32 n, u32 *holes, u32 *gap)
{
	u32 i, present = 0, missing = 0, dry = 0, gone = 0;

	/* Audio came after the units read dry: they were a gap in the page. */
	if (jb->dry && (s32)(jb->end_ts - jb->dry_end) > 0) {
		gone = jb->dry;
		jb->dry = 0;
	}
	for (i = 0; i < n; i++) {
		u32 ts = jb->read_ts + i, idx = ts & HERALD_JB_MASK;

		code[i] = jb->code[idx];
		tag[i] = jb->tag[idx];
		/* Cleared as it is read: the slot is reused a ring later. */
		jb->tag[idx] = 0;
		if (tag[i] & HERALD_JB_PRESENT)
			present++;
		else if (!jb->started || (s32)(ts - jb->first_ts) < 0)
			continue;	/* the silence before the page */
		else if ((s32)(jb->end_ts - ts) > 0)
			missing++;
		else
			dry++;
	}
	jb->read_ts += n;
	if (dry) {
		jb->dry += dry;
		jb->dry_end = jb->read_ts;
	}
	if (holes)
		*holes = missing;
	if (gap)
		*gap = gone;
	return present;
}

u32 herald_jb_lead(const struct herald_jb *jb)
{
	s32 lead = (s32)(jb->first_ts - jb->read_ts);

	return jb->started && lead > 0 ? lead : 0;
}

u32 herald_jb_skip_lead(struct herald_jb *jb, u32 units)
{
	s32 lead = (s32)(jb->first_ts - jb->read_ts);

	if (!jb->started || lead <= 0)
		return 0;
	units = min_t(u32, units, lead);
	jb->read_ts += units;
	return units;
}

void herald_conceal_init(struct herald_conceal *c, u32 fade)
{
	memset(c, 0, sizeof(*c));
	c->fade = fade ? fade : 1;
}

u32 herald_conceal(struct herald_conceal *c, s16 *pcm, const u8 *tag, u32 units, u32 spu)
{
	u32 u, j, concealed = 0;

	for (u = 0; u < units; u++) {
		s16 *s = pcm + u * spu;

		if (tag[u] & HERALD_JB_PRESENT) {
			for (j = 0; j < spu; j++) {
				c->hist[c->pos] = s[j];
				c->pos = (c->pos + 1) % HERALD_CONCEAL_HIST;
				if (c->fill < HERALD_CONCEAL_HIST)
					c->fill++;
			}
			c->missing = 0;
			continue;
		}
		concealed++;
		for (j = 0; j < spu; j++) {
			s32 v = 0;

			if (c->fill && c->missing < c->fade) {
				/* Replay the last fill samples in a loop, from
				 * the oldest: the loop starts where the audio
				 * left off a cycle earlier, so it joins smoothly
				 * for periodic sound.
				 */
				u32 k = (c->pos + HERALD_CONCEAL_HIST - c->fill +
					 c->missing % c->fill) % HERALD_CONCEAL_HIST;

				v = (s32)c->hist[k] * (s32)(c->fade - c->missing) / (s32)c->fade;
			}
			s[j] = v;
			c->missing++;
		}
	}
	return concealed;
}

s32 herald_volume_db(s32 sink_db, s32 offset_db)
{
	return clamp_t(s32, sink_db + offset_db, HERALD_SINK_VOLUME_DB_MIN,
		       HERALD_SINK_VOLUME_DB_MAX);
}

u32 herald_gain_q16(s32 db)
{
	/* 10^(1/20) in Q16 is 73533.6; 10^(-1/20) is 58409.1. */
	u64 g = 1 << 16;

	db = clamp_t(s32, db, -96, 24);
	for (; db > 0; db--)
		g = (g * 73534 + (1 << 15)) >> 16;
	for (; db < 0; db++)
		g = (g * 58409 + (1 << 15)) >> 16;
	return g;
}

void herald_gain_apply(s16 *pcm, size_t n, u32 gain)
{
	size_t i;

	if (gain == 1 << 16)
		return;
	for (i = 0; i < n; i++) {
		s64 v = ((s64)pcm[i] * gain + (1 << 15)) >> 16;

		pcm[i] = clamp_t(s64, v, -32768, 32767);
	}
}
