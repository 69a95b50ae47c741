/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sink's jitter buffer and playout logic, pure: no locks, no allocation,
 * no kernel-only API, so the same file builds for the unit tests.
 *
 * The buffer is a ring indexed by RTP timestamp. Every codec the sink plays
 * (PCMU, PCMA, G.722) carries exactly one octet per 8 kHz timestamp unit
 * (G.722: one octet holds two 16 kHz samples, and RFC 3551 clocks it at
 * 8 kHz), so the ring holds codes, one per unit, and a tag per unit saying
 * whether it arrived and with which payload type. Decoding happens when the
 * unit is played, in the sink's thread, never in the receive softirq.
 *
 * Playout: the first packet of a page anchors the read position @target
 * (+ @preroll) units before its timestamp, so it is heard after the target delay; from
 * then on the reader (the card's clock) advances the read position one
 * period at a time. A packet behind the read position is late (dropped); one
 * beyond the ring is a timeline jump and re-anchors the page.
 *
 * Drift: the sender's clock and the card's differ. The quantity watched is
 * the delay of the newest unit received: the level of the ring plus what
 * the card still holds (the caller says how much). The two trade places
 * when the reader runs late and catches up, so their sum does not move with
 * the reader's scheduling, only with the sender's clock against the card's.
 * Its peak over a window of periods is filtered (a late packet lowers the
 * level until it lands, but no packet comes before its time), the filtered
 * estimate is compared with the reference the page settled at, and only an
 * error beyond a dead band is corrected: single card samples dropped or
 * inserted, each stretched over a period, so the correction is a pitch
 * change of a fraction of a percent for one period, not a click.
 */
#ifndef _HERALD_JITTER_H
#define _HERALD_JITTER_H

#include <linux/types.h>

/*
 * Ring size, 8 kHz units: 8.192 s. What it must hold, at most half of it
 * (herald_jb_init): the target delay (500 ms at most), the card's buffer
 * taken at once when a page starts (250 ms at most) and a pre-announce tone
 * played before the page (HERALD_SINK_TONE_MAX_BYTES: 2 s), since the page's
 * packets wait in the ring while the tone plays: 2.75 s.
 */
#define HERALD_JB_UNITS 65536
#define HERALD_JB_MASK (HERALD_JB_UNITS - 1)
#define HERALD_JB_PRESENT 0x80		/* tag bit: the unit arrived; low 7 bits: PT */
#define HERALD_JB_MAX_PACKET 1024	/* units in one packet: 128 ms */
#define HERALD_JB_DRIFT_WINDOW 50	/* periods per peak taken */
#define HERALD_JB_DRIFT_SETTLE 3	/* windows before the reference is taken */
#define HERALD_JB_DRIFT_SHIFT 2		/* filter: estimate moves 1/4 of the way per window */
#define HERALD_JB_DRIFT_DEADBAND 8	/* units (1 ms): error tolerated beyond a period */
#define HERALD_JB_DRIFT_SPACING 1	/* periods at least between two corrections */

enum herald_jb_put {
	HERALD_JB_OK,
	HERALD_JB_STARTED,	/* first packet of a page: the buffer anchored on it */
	HERALD_JB_LATE,		/* its time has passed: dropped */
	HERALD_JB_JUMP_FORWARD,	/* beyond the ring: re-anchored on it */
	HERALD_JB_JUMP_BACK,	/* more than the ring behind: re-anchored on it */
	HERALD_JB_BAD_SIZE,	/* empty, or longer than HERALD_JB_MAX_PACKET */
};

struct herald_jb {
	u8 code[HERALD_JB_UNITS];
	u8 tag[HERALD_JB_UNITS];	/* 0: nothing; else PRESENT | payload type */
	bool started;
	u32 ssrc;
	u32 read_ts;		/* next unit the reader plays */
	u32 end_ts;		/* one past the newest unit received */
	u32 first_ts;		/* timestamp of the packet the page anchored on */
	u32 target;		/* units held ahead of the reader */
	u32 preroll;		/* units the reader takes at once when it starts */
	u32 last_len;		/* units in the last packet stored */
	/* The reader's drift estimator, in card samples (units * spu). */
	s32 win_max;		/* peak delay of the newest unit in this window */
	u32 win_n;		/* periods in this window */
	u32 windows;		/* windows taken this page */
	s32 est;		/* filtered peak */
	s32 ref;		/* the filtered peak the page settled at */
	s32 correct;		/* samples still to correct: > 0 drop, < 0 insert */
	u32 since_correct;	/* periods since the last correction */
	/* Units read past the newest one received, not yet known to be a gap
	 * (the page went on) or the page's end (it did not).
	 */
	u32 dry;
	u32 dry_end;		/* read position just past them */
};

/*
 * Empty buffer holding @target units ahead of the reader. @preroll: units
 * the reader consumes at once when a page starts (the sink fills the card's
 * buffer before the card's clock paces it), added to the first packet's
 * delay so that they do not come out of the target. The sum must stay below
 * HERALD_JB_UNITS / 2.
 */
void herald_jb_init(struct herald_jb *jb, u32 target, u32 preroll);
/* Forget the page: the next packet anchors a new one. */
void herald_jb_reset(struct herald_jb *jb);

/* Store one packet's payload (@len octets = units at @ts). */
enum herald_jb_put herald_jb_put(struct herald_jb *jb, u32 ssrc, u32 ts, u8 pt,
				 const u8 *payload, u32 len);

/* Units buffered ahead of the reader (0 when it has caught up). */
u32 herald_jb_level(const struct herald_jb *jb);

/*
 * The reader's drift decision for the next period of @period units, called
 * once per period, just before herald_jb_pull(), while a page plays: 1 to
 * play the period one card sample short (the delay grew: the card then
 * comes back for the next period a sample earlier), -1 to play it one
 * sample long, 0 to play it as is. @spu: card samples per unit (rate /
 * 8000). @queued: card samples written but not yet played (0 without a
 * card). Nothing is corrected before HERALD_JB_DRIFT_SETTLE windows of the
 * page's audio have been seen, nor while the filtered error stays within a
 * period plus HERALD_JB_DRIFT_DEADBAND.
 */
int herald_jb_drift(struct herald_jb *jb, u32 period, u32 spu, u32 queued);

/*
 * Read @n units from the read position into @code and @tag (tag 0: missing)
 * and advance past them. Returns how many of them were present. Units of
 * the page that were not there are counted once each, in one of two ways:
 * @holes (if not NULL) gets the missing ones that lay before the newest unit
 * received (lost, or their packet late); @gap (if not NULL) gets those read
 * while the buffer was empty, once a later packet shows that the page went
 * on (the sender stalled or paused). Read past the newest unit of a page
 * that then ends, they are its end, and are not counted.
 */
u32 herald_jb_pull(struct herald_jb *jb, u8 *code, u8 *tag, u32 n, u32 *holes, u32 *gap);

/* Units of silence still to be read before the page's first packet. */
u32 herald_jb_lead(const struct herald_jb *jb);

/*
 * Skip up to @units of the silence before the first packet of the page
 * (never into it). The sink calls it when the card starts: the delay runs
 * from the first packet's arrival, not from when the card was ready.
 * Returns the units skipped.
 */
u32 herald_jb_skip_lead(struct herald_jb *jb, u32 units);

/*
 * While only the silence before the page's first packet is left to read,
 * skip what the level holds beyond target + one packet: the first packet
 * came late (the sender's first packets often do), the later ones show the
 * sender's true timeline. Done now it costs nothing audible; done later it
 * would be a drift correction. Call just before a read, once the card's
 * buffer is full. Returns the units skipped.
 */
u32 herald_jb_trim_lead(struct herald_jb *jb);

/*
 * Loss concealment on decoded audio at the codec's rate: a missing stretch
 * repeats the last HERALD_CONCEAL_HIST samples heard, fading linearly to zero
 * over @fade samples, then stays silent until audio returns.
 */
#define HERALD_CONCEAL_HIST 160		/* 10 ms at 16 kHz, 20 ms at 8 kHz */

struct herald_conceal {
	s16 hist[HERALD_CONCEAL_HIST];
	u32 fill;		/* valid samples in hist (ring, newest at pos - 1) */
	u32 pos;
	u32 missing;		/* samples concealed since the last good one */
	u32 fade;		/* fade length, samples */
};

void herald_conceal_init(struct herald_conceal *c, u32 fade);
/*
 * @pcm holds @units * @spu samples (@spu samples per unit); units whose tag
 * lacks HERALD_JB_PRESENT are filled in. Returns the units concealed.
 */
u32 herald_conceal(struct herald_conceal *c, s16 *pcm, const u8 *tag, u32 units, u32 spu);

/*
 * The volume a page plays at: the sink's volume (or emergency volume)
 * plus the offset of the stream whose page it is, clamped to what a sink
 * takes (HERALD_SINK_VOLUME_DB_MIN..MAX).
 */
s32 herald_volume_db(s32 sink_db, s32 offset_db);

/* Gain for @db decibels (-96..+24), Q16. */
u32 herald_gain_q16(s32 db);
/* Multiply @n samples by @gain (Q16), saturating. */
void herald_gain_apply(s16 *pcm, size_t n, u32 gain);

#endif /* _HERALD_JITTER_H */
