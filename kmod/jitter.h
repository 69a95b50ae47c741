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
 * Drift: the sender's clock and the card's differ. The reader takes the peak
 * buffer level over a window of periods and, when it strays from the target
 * by more than a dead band, plays some of the following periods one card
 * sample shorter (drop) or longer (insert), stretched over the period, so
 * the correction is a pitch change of a fraction of a percent for one
 * period, not a click; the card's clock then takes the buffer back.
 */
#ifndef _HERALD_JITTER_H
#define _HERALD_JITTER_H

#include <linux/types.h>

#define HERALD_JB_UNITS 16384		/* ring size, 8 kHz units: 2.048 s */
#define HERALD_JB_MASK (HERALD_JB_UNITS - 1)
#define HERALD_JB_PRESENT 0x80		/* tag bit: the unit arrived; low 7 bits: PT */
#define HERALD_JB_MAX_PACKET 1024	/* units in one packet: 128 ms */
#define HERALD_JB_DRIFT_WINDOW 50	/* periods per drift decision */
#define HERALD_JB_DRIFT_DEADBAND 8	/* units (1 ms): peak error tolerated beyond a period */
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
	/* The reader's drift estimator. */
	u32 win_max;
	u32 win_n;
	s32 correct;		/* units still to correct: > 0 drop, < 0 insert */
	u32 since_correct;	/* periods since the last correction */
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
 * play the period one card sample short (the buffer runs long: the card
 * then comes back for the next period a sample earlier), -1 to play it one
 * sample long, 0 to play it as is. @spu: card samples per unit (rate /
 * 8000), the grain of the correction.
 */
int herald_jb_drift(struct herald_jb *jb, u32 period, u32 spu);

/*
 * Read @n units from the read position into @code and @tag (tag 0: missing)
 * and advance past them. Returns how many of them were present; @holes (if
 * not NULL) gets how many missing ones lie before the newest unit received:
 * lost or late audio, as opposed to the talker having stopped.
 */
u32 herald_jb_pull(struct herald_jb *jb, u8 *code, u8 *tag, u32 n, u32 *holes);

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

/* Gain for @db decibels (-96..+24), Q16. */
u32 herald_gain_q16(s32 db);
/* Multiply @n samples by @gain (Q16), saturating. */
void herald_gain_apply(s16 *pcm, size_t n, u32 gain);

#endif /* _HERALD_JITTER_H */
