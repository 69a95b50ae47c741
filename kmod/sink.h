/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sinks: the page played on a local ALSA playback PCM, from the kernel.
 *
 * The receive softirq only copies a packet's payload into the sink's jitter
 * buffer under a spinlock (herald_sink_feed). Everything that may sleep or
 * take ALSA's locks happens in the sink's own kernel thread: opening the PCM
 * when a page starts, pulling one period at a time from the jitter buffer,
 * decoding, concealing, resampling, drift correction, gain, writing, and
 * releasing the PCM once the page is over.
 */
#ifndef _HERALD_SINK_H
#define _HERALD_SINK_H

#include <linux/list.h>
#include <linux/spinlock.h>

#include "herald.h"
#include "g722.h"
#include "jitter.h"
#include "resample.h"
#include "stats.h"

struct file;
struct snd_pcm_substream;
struct task_struct;
struct herald_stream;
struct netlink_ext_ack;

/* A pre-announce tone at the sink's rate, mono. */
struct herald_tone {
	u32 frames;
	s16 pcm[];
};

/*
 * A page event waiting for the sink's thread to send it: the packet path
 * only queues it (under the sink's lock), it never allocates or sends.
 */
struct herald_sink_event {
	u32 type;			/* HERALD_EVENT_PAGE_* */
	u32 stream_id;
	u32 by_id;			/* PAGE_PREEMPTED: the new holder */
	char label[HERALD_LABEL_MAX];	/* the stream's, when queued */
};

#define HERALD_SINK_EVENTS 16		/* queued at most; more are dropped */

struct herald_sink_config {
	u32 card;		/* index, when card_id is empty */
	char card_id[HERALD_SINK_CARD_ID_MAX];
	u32 device;
	u32 rate;
	u32 period;		/* frames */
	u32 buffer;		/* frames */
	u32 target_ms;
	s32 volume_db;
	s32 emergency_db;
};

/* What the thread owns while a page plays: never touched by the softirq. */
struct herald_sink_play {
	struct file *file;			/* the PCM node, NULL when closed */
	struct snd_pcm_substream *ss;
	unsigned int channels;
	int pt;					/* codec being decoded, -1: none yet */
	bool full;				/* the card's buffer filled up once */
	u64 written_ns;				/* when the last period went in */
	u32 quiet;				/* frames written since the last
						 * period that carried page audio */
	u32 out_len;				/* frames in out: a period, +-1 */
	struct herald_tone *tone;		/* the tone pages start with */
	u32 tone_pos, tone_left;		/* frames of it played, to play */
	struct herald_resampler rs;
	struct herald_stretch stretch;
	struct herald_conceal conceal;
	struct herald_g722_dec g722;
	/* One period's worth, sized at creation for the longest read. */
	u8 *code;
	u8 *tag;
	s16 *dec;				/* codec rate */
	s16 *up;				/* card rate, before the stretch */
	s16 *out;				/* card rate, interleaved */
};

struct herald_sink {
	struct list_head list;		/* herald_net.sinks, under hn->lock */
	struct herald_net *hn;
	u32 id;
	char label[HERALD_LABEL_MAX];
	struct herald_sink_config cfg;	/* volumes written with WRITE_ONCE */

	spinlock_t lock;		/* jb and the holder; softirq and thread */
	struct herald_jb *jb;
	u32 holder_id;			/* stream playing, 0 = none */
	u8 holder_prio;
	bool holder_tone;		/* its pages start with the tone */
	s32 holder_offset_db;		/* its volume offset, as of its last packet */
	char holder_label[HERALD_LABEL_MAX];
	u32 tone_gen;			/* jb_gen of the page that wants the tone */
	u32 tone_units;			/* length of the next tone, 8 kHz units */
	struct herald_tone *tone_next;	/* set, not yet taken by the thread */
	struct herald_sink_event ev[HERALD_SINK_EVENTS];
	u32 ev_head, ev_tail;		/* queued: ev[tail % N] .. ev[head % N] */
	unsigned long holder_last;	/* jiffies of its last packet */
	u32 next_target_ms;		/* applied when the next page starts */
	u32 jb_gen;			/* bumped when the buffer re-anchors */
	u64 anchor_ns;			/* when it did (ktime_get_ns) */
	bool cut_pending;		/* preempted: the thread drops the card's audio */
	u32 cut_id;			/* stream whose page was cut, 0 = none */
	u32 cut_ssrc;			/* its talker then */
	u32 cut_ts;			/* RTP time just past its newest audio */
	unsigned long cut_last;		/* jiffies of its last packet since */

	struct task_struct *thread;
	struct herald_sink_play play;
	u32 tone_ms;			/* length of the tone set, for GET */
	int error;			/* last PCM error, for GET */
	bool pcm_open;
	struct herald_stats __percpu *stats;
};

/*
 * A tone for a sink playing at @rate: the @bytes of s16le mono 16 kHz PCM
 * at @pcm converted, or the built-in chime for @bytes 0. Process context.
 */
struct herald_tone *herald_sink_tone_make(u32 rate, const u8 *pcm, u32 bytes);
/* The tone the next page that asks for one plays. Takes @tone. */
void herald_sink_tone_set(struct herald_sink *sink, struct herald_tone *tone);

struct herald_sink *herald_sink_create(struct herald_net *hn, u32 id, const char *label,
				       const struct herald_sink_config *cfg,
				       struct netlink_ext_ack *extack);
/* Unlinked by the caller, detached from every stream and past a grace
 * period: stops the thread, releases the PCM, frees.
 */
void herald_sink_destroy(struct herald_sink *sink);
struct herald_sink *herald_sink_find(struct herald_net *hn, u32 id);

/* Units of audio buffered ahead of the player, in microseconds. */
u32 herald_sink_level_us(struct herald_sink *sink);
u32 herald_sink_holder(struct herald_sink *sink);

/*
 * Packet path, softirq, under RCU: offer one decrypted payload of @st.
 * Takes only the sink's spinlock; wakes the thread when a page starts.
 */
void herald_sink_feed(struct herald_sink *sink, const struct herald_stream *st, u32 ssrc,
		      u8 pt, u32 ts, const u8 *payload, unsigned int len);

#endif /* _HERALD_SINK_H */
