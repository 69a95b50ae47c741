// SPDX-License-Identifier: GPL-2.0
/*
 * Sinks: a page played on a local ALSA playback PCM by a kernel thread.
 *
 * Why a kernel client of ALSA: the audio is decrypted in the kernel; taking
 * it back to userspace only to write it to a PCM would add a copy, a wakeup
 * and a scheduling dependency on a daemon to every period. snd-pcm lets a
 * kernel client drive a substream (the OSS emulation does): we open the PCM
 * node like any opener, so ALSA's own exclusivity and lifetime rules apply,
 * take the substream from its snd_pcm_file, and use snd_pcm_kernel_ioctl()
 * and snd_pcm_kernel_write(). The node is opened O_NONBLOCK: a blocking open
 * of a busy PCM would wait forever, and a blocking write could not be
 * interrupted by kthread_stop(); we wait for room ourselves instead.
 *
 * Idle means closed: the PCM is opened when a page starts and released when
 * it is over, so nothing, not even digital silence, reaches the amplifier
 * between pages, and another application may use the card meanwhile.
 */
#define pr_fmt(fmt) "herald: " fmt

#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/netlink.h>
#include <sound/core.h>
#include <sound/minors.h>
#include <sound/pcm.h>
#include <sound/pcm_params.h>

#include "event.h"
#include "g711.h"
#include "sink.h"
#include "stream.h"
#include "tone.h"

#define RTP_PT_PCMU 0
#define RTP_PT_PCMA 8
#define RTP_PT_G722 9

/* Fade of the loss concealment: 20 ms at the codec's rate. */
#define CONCEAL_FADE_MS 20

struct herald_sink *herald_sink_find(struct herald_net *hn, u32 id)
{
	struct herald_sink *sink;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(sink, &hn->sinks, list)
		if (sink->id == id)
			return sink;
	return NULL;
}

/* 8 kHz units in @frames frames at the card's rate. */
static u32 herald_sink_units(const struct herald_sink *sink, u32 frames)
{
	return frames / (sink->cfg.rate / 8000);
}

/*
 * Set the jitter buffer up for the configured target. The card's buffer
 * holds between buffer - period and buffer frames once running, and the
 * thread fills it at once when it starts; so the level held in the jitter
 * buffer is the target less what the card holds on average, plus a period
 * (the delay promised is target + one period), and the first packet of a
 * page waits for the card's buffer to fill on top of that. A page that
 * starts with the tone holds @tone units more: the tone plays over the
 * silence before the page's first packet, and the page follows it, later
 * by the tone's length and whole.
 */
static void herald_sink_jb_setup(struct herald_sink *sink, u32 target_ms, u32 tone)
{
	u32 t = target_ms * 8, p = herald_sink_units(sink, sink->cfg.period);
	u32 b = herald_sink_units(sink, sink->cfg.buffer);
	s32 hold = (s32)(t + p + tone) - (s32)(b - p / 2);

	herald_jb_init(sink->jb, max_t(s32, hold, p), b);
}

/* Thread context: counters shared with the softirq, so with BH off. */
static void herald_sink_count(struct herald_sink *sink, int what, u64 n)
{
	local_bh_disable();
	herald_stats_add(sink->stats, what, n);
	local_bh_enable();
}

/* ---- page events ----------------------------------------------------- */

/* Queue an event for the thread to send. sink->lock held. */
static void herald_sink_event(struct herald_sink *sink, u32 type, u32 stream_id,
			      const char *label, u32 by_id)
{
	struct herald_sink_event *ev;

	if (sink->ev_head - sink->ev_tail >= HERALD_SINK_EVENTS)
		return;		/* the thread is far behind: dropped */
	ev = &sink->ev[sink->ev_head++ % HERALD_SINK_EVENTS];
	ev->type = type;
	ev->stream_id = stream_id;
	ev->by_id = by_id;
	strscpy(ev->label, label, sizeof(ev->label));
}

/* The thread sends what is queued: process context, may allocate. */
static void herald_sink_events_send(struct herald_sink *sink)
{
	struct herald_sink_event ev;

	for (;;) {
		spin_lock_bh(&sink->lock);
		if (sink->ev_tail == sink->ev_head) {
			spin_unlock_bh(&sink->lock);
			return;
		}
		ev = sink->ev[sink->ev_tail++ % HERALD_SINK_EVENTS];
		spin_unlock_bh(&sink->lock);
		herald_event_sink(sink->hn, sink->id, &ev);
	}
}

/* The page is over: nobody holds the sink. sink->lock held. */
static void herald_sink_page_end(struct herald_sink *sink)
{
	herald_sink_event(sink, HERALD_EVENT_PAGE_END, sink->holder_id, sink->holder_label, 0);
	sink->holder_id = 0;
	herald_jb_reset(sink->jb);
}

/* ---- the PCM --------------------------------------------------------- */

static int herald_sink_hw_params(struct herald_sink *sink, struct snd_pcm_substream *ss)
{
	struct snd_pcm_hw_params *hw;
	struct snd_interval iv = { .integer = 1 };
	int err;

	hw = kmalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	_snd_pcm_hw_params_any(hw);
	err = snd_mask_refine_set(hw_param_mask(hw, SNDRV_PCM_HW_PARAM_ACCESS),
				  (__force unsigned int)SNDRV_PCM_ACCESS_RW_INTERLEAVED);
	if (err >= 0)
		err = snd_mask_refine_set(hw_param_mask(hw, SNDRV_PCM_HW_PARAM_FORMAT),
					  (__force unsigned int)SNDRV_PCM_FORMAT_S16);
	/* Mono if the card takes it, else stereo with the audio on both. */
	iv.min = 1;
	iv.max = 2;
	if (err >= 0)
		err = snd_interval_refine(hw_param_interval(hw, SNDRV_PCM_HW_PARAM_CHANNELS), &iv);
	iv.min = iv.max = sink->cfg.rate;
	if (err >= 0)
		err = snd_interval_refine(hw_param_interval(hw, SNDRV_PCM_HW_PARAM_RATE), &iv);
	iv.min = iv.max = sink->cfg.period;
	if (err >= 0)
		err = snd_interval_refine(hw_param_interval(hw, SNDRV_PCM_HW_PARAM_PERIOD_SIZE), &iv);
	iv.min = iv.max = sink->cfg.buffer;
	if (err >= 0)
		err = snd_interval_refine(hw_param_interval(hw, SNDRV_PCM_HW_PARAM_BUFFER_SIZE), &iv);
	/* HW_PARAMS refines against the card's constraints and picks the
	 * smallest channel count left.
	 */
	if (err >= 0)
		err = snd_pcm_kernel_ioctl(ss, SNDRV_PCM_IOCTL_HW_PARAMS, hw);
	kfree(hw);
	if (err < 0)
		return err;
	if (ss->runtime->channels > 2 || ss->runtime->period_size != sink->cfg.period ||
	    ss->runtime->buffer_size != sink->cfg.buffer)
		return -EINVAL;
	return snd_pcm_kernel_ioctl(ss, SNDRV_PCM_IOCTL_PREPARE, NULL);
}

static void herald_sink_close(struct herald_sink *sink)
{
	struct herald_sink_play *pl = &sink->play;

	if (!pl->file)
		return;
	/* Stop at once: what is left in the card's buffer is silence. */
	snd_pcm_kernel_ioctl(pl->ss, SNDRV_PCM_IOCTL_DROP, NULL);
	filp_close(pl->file, NULL);
	pl->file = NULL;
	pl->ss = NULL;
	WRITE_ONCE(sink->pcm_open, false);
}

/*
 * The card's index now. A card named by id is looked up at each open, not
 * once: indexes follow probe order, and a USB card plugged out and in
 * again may come back under another.
 */
static int herald_sink_card_index(const struct herald_sink *sink)
{
	int i;

	if (!sink->cfg.card_id[0])
		return sink->cfg.card;
	for (i = 0; i < SNDRV_CARDS; i++) {
		struct snd_card *card = snd_card_ref(i);
		bool match;

		if (!card)
			continue;
		match = !strcmp(card->id, sink->cfg.card_id);
		snd_card_unref(card);
		if (match)
			return i;
	}
	return -ENODEV;
}

static int herald_sink_open(struct herald_sink *sink)
{
	struct herald_sink_play *pl = &sink->play;
	struct snd_pcm_substream *ss;
	struct snd_pcm_file *pf;
	struct snd_pcm *pcm;
	struct inode *inode;
	struct file *file;
	char path[48];
	int err, index;

	index = herald_sink_card_index(sink);
	if (index < 0)
		return index;
	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD%up", index, sink->cfg.device);
	file = filp_open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	/* private_data is a snd_pcm_file only behind an ALSA playback PCM
	 * node: check the device number's registration, not the file name.
	 */
	inode = file_inode(file);
	err = -ENODEV;
	if (!S_ISCHR(inode->i_mode) || imajor(inode) != CONFIG_SND_MAJOR)
		goto err;
	pcm = snd_lookup_minor_data(iminor(inode), SNDRV_DEVICE_TYPE_PCM_PLAYBACK);
	if (!pcm)
		goto err;
	snd_card_unref(pcm->card);
	pf = file->private_data;
	ss = pf->substream;
	if (!ss || ss->pcm != pcm || ss->stream != SNDRV_PCM_STREAM_PLAYBACK)
		goto err;
	err = herald_sink_hw_params(sink, ss);
	if (err)
		goto err;
	pl->file = file;
	pl->ss = ss;
	pl->full = false;
	pl->written_ns = 0;
	pl->quiet = 0;
	pl->channels = ss->runtime->channels;
	WRITE_ONCE(sink->pcm_open, true);
	return 0;
err:
	filp_close(file, NULL);
	return err;
}

/*
 * Write the period in pl->out. The card's clock paces us: when its buffer
 * is full, wait a quarter period and try again.
 */
static int herald_sink_write(struct herald_sink *sink)
{
	struct herald_sink_play *pl = &sink->play;
	u32 period = pl->out_len, done = 0;
	unsigned long wait_us = (unsigned long)sink->cfg.period * 250000 / sink->cfg.rate;
	u64 lasts = div_u64((u64)sink->cfg.buffer * NSEC_PER_SEC, sink->cfg.rate);

	while (done < period) {
		snd_pcm_sframes_t n;
		u64 now = ktime_get_ns();

		/*
		 * Longer since the last write than the card's buffer lasts:
		 * the card ran dry, whether or not ALSA noticed. A card whose
		 * position comes from a clock (snd-aloop, timer-driven virtual
		 * cards) wraps round its buffer when the whole machine stalls
		 * that long (a VM descheduled by its host) and replays what it
		 * held without an xrun. Counted, and the card restarted so
		 * that it plays from here on.
		 */
		if (pl->written_ns && now - pl->written_ns > lasts) {
			herald_sink_count(sink, HERALD_STAT_UNDERRUNS, 1);
			snd_pcm_kernel_ioctl(pl->ss, SNDRV_PCM_IOCTL_DROP, NULL);
			snd_pcm_kernel_ioctl(pl->ss, SNDRV_PCM_IOCTL_PREPARE, NULL);
			pl->written_ns = 0;
		}
		n = snd_pcm_kernel_write(pl->ss, pl->out + done * pl->channels, period - done);
		if (n > 0) {
			done += n;
			pl->written_ns = ktime_get_ns();
			continue;
		}
		if (n == -EAGAIN || n == 0) {
			pl->full = true;
			if (kthread_should_stop())
				return 0;
			usleep_range(wait_us, wait_us + wait_us / 2);
			continue;
		}
		if (n == -EPIPE) {
			/* The card ran dry: start again from here. */
			herald_sink_count(sink, HERALD_STAT_UNDERRUNS, 1);
			n = snd_pcm_kernel_ioctl(pl->ss, SNDRV_PCM_IOCTL_PREPARE, NULL);
			if (!n)
				continue;
		}
		return n;
	}
	herald_sink_count(sink, HERALD_STAT_FRAMES_PLAYED, period);
	return 0;
}

/* ---- one period ------------------------------------------------------ */

/* Forget the previous page's codec state. */
static void herald_sink_new_page(struct herald_sink *sink)
{
	struct herald_sink_play *pl = &sink->play;

	pl->pt = -1;
	herald_stretch_init(&pl->stretch);
	herald_conceal_init(&pl->conceal, 8 * CONCEAL_FADE_MS);
}

/* Switch the decoder to @pt (validated by herald_sink_feed). */
static void herald_sink_codec(struct herald_sink *sink, int pt)
{
	struct herald_sink_play *pl = &sink->play;
	u32 spu = pt == RTP_PT_G722 ? 2 : 1;

	pl->pt = pt;
	herald_g722_init(&pl->g722);
	herald_conceal_init(&pl->conceal, 8 * spu * CONCEAL_FADE_MS);
	/* Cannot fail: the rate was checked against every codec played. */
	WARN_ON(herald_resampler_init(&pl->rs, 8000 * spu, sink->cfg.rate));
}

/* Decode the @n units of the read into pl->dec at the codec's rate. */
static void herald_sink_decode(struct herald_sink *sink, u32 n)
{
	struct herald_sink_play *pl = &sink->play;
	u32 i, run;

	if (pl->pt != RTP_PT_G722) {
		herald_g711_decode(pl->pt == RTP_PT_PCMA ? HERALD_G711_ALAW : HERALD_G711_ULAW,
				   pl->dec, pl->code, n);
		return;
	}
	/* G.722 is adaptive: only real codes may go through its state. */
	for (i = 0; i < n; i += run) {
		for (run = 0; i + run < n && (pl->tag[i + run] & HERALD_JB_PRESENT); run++)
			;
		if (run) {
			herald_g722_decode(&pl->g722, pl->dec + 2 * i, pl->code + i, run);
			continue;
		}
		run = 1;
	}
}

/* Make the next period in pl->out; ends the page once its audio is over. */
static void herald_sink_period(struct herald_sink *sink, u32 *gen)
{
	struct herald_sink_play *pl = &sink->play;
	u32 period = sink->cfg.period, units = herald_sink_units(sink, period);
	u32 i, n, spu, holes, gap, queued, present, card_spu = sink->cfg.rate / 8000;
	struct herald_tone *old_tone = NULL;
	bool emergency, new_page;
	s16 *mono = pl->up;
	s32 offset_db;
	int d, pt = -1;

	/* What the card holds, for the drift estimate: ALSA updates its
	 * position at least once a period, and the estimate takes peaks over
	 * many periods with a dead band of one.
	 */
	queued = clamp_t(snd_pcm_sframes_t, snd_pcm_playback_hw_avail(pl->ss->runtime), 0,
			 sink->cfg.buffer);
	spin_lock_bh(&sink->lock);
	new_page = *gen != sink->jb_gen;
	*gen = sink->jb_gen;
	if (new_page) {
		/* The card took a while to open: that time is not part of the
		 * delay. Skip it out of the silence before the first packet,
		 * but not out of the share the tone plays over.
		 */
		u64 waited = ktime_get_ns() - sink->anchor_ns;
		u32 lead = herald_jb_lead(sink->jb), keep;

		/* A tone set since the last page: from this one on. */
		if (sink->tone_next) {
			old_tone = pl->tone;
			pl->tone = sink->tone_next;
			sink->tone_next = NULL;
		}
		pl->tone_pos = 0;
		pl->tone_left = 0;
		if (sink->holder_tone && sink->tone_gen == *gen)
			pl->tone_left = min_t(u32, pl->tone->frames, lead * card_spu);
		keep = DIV_ROUND_UP(pl->tone_left, card_spu);
		herald_jb_skip_lead(sink->jb, min_t(u64, div_u64(waited, NSEC_PER_MSEC) * 8,
						    lead - keep));
	}
	/* Not while the tone plays: its share of the lead is not excess. */
	if (pl->full && !pl->tone_left)
		herald_jb_trim_lead(sink->jb);
	d = herald_jb_drift(sink->jb, units, sink->cfg.rate / 8000, queued);
	n = units;
	pl->out_len = period - d;
	present = herald_jb_pull(sink->jb, pl->code, pl->tag, n, &holes, &gap);
	if (present || holes)
		pl->quiet = 0;
	else
		pl->quiet += pl->out_len;
	/*
	 * The talker is gone and so is its audio, in the jitter buffer and
	 * in the card's (a whole buffer of silence went in after the last
	 * audio): the page is over. Closed any sooner, the PCM would drop
	 * the end of the page still queued in the card, unseen by any
	 * counter.
	 */
	if (!herald_jb_level(sink->jb) && pl->quiet >= sink->cfg.buffer &&
	    time_after(jiffies, sink->holder_last + msecs_to_jiffies(HERALD_SINK_END_MS)))
		herald_sink_page_end(sink);
	emergency = sink->holder_prio == HERALD_PRIORITY_EMERGENCY;
	offset_db = sink->holder_offset_db;
	spin_unlock_bh(&sink->lock);

	kvfree(old_tone);

	if (new_page)
		herald_sink_new_page(sink);
	if (d)
		herald_sink_count(sink, HERALD_STAT_DRIFT_CORRECTIONS, 1);
	if (gap)
		herald_sink_count(sink, HERALD_STAT_GAP, gap);
	for (i = 0; i < n && pt < 0; i++)
		if (pl->tag[i] & HERALD_JB_PRESENT)
			pt = pl->tag[i] & 0x7f;
	if (pt >= 0 && pt != pl->pt)
		herald_sink_codec(sink, pt);
	/* Units of another codec than the period's first are lost here,
	 * and concealed like any other: counted with them.
	 */
	for (i = 0; i < n; i++)
		if ((pl->tag[i] & HERALD_JB_PRESENT) && (pl->tag[i] & 0x7f) != pl->pt) {
			pl->tag[i] = 0;
			holes++;
		}

	if (pl->pt < 0) {
		/* Nothing heard yet this page: the target delay's silence. */
		memset(mono, 0, pl->out_len * sizeof(*mono));
	} else {
		spu = pl->pt == RTP_PT_G722 ? 2 : 1;
		herald_sink_decode(sink, n);
		/* Missing units are filled in either way; only those lost
		 * within the page count, not the tail after the talker stopped.
		 */
		herald_conceal(&pl->conceal, pl->dec, pl->tag, n, spu);
		if (holes)
			herald_sink_count(sink, HERALD_STAT_CONCEALED, holes);
		herald_resample(&pl->rs, pl->up + period + 8, pl->dec, n * spu);
		/* One sample more or fewer than a period: spread over it. */
		herald_stretch(&pl->stretch, mono, pl->out_len, pl->up + period + 8, period);
	}
	period = pl->out_len;
	/*
	 * The tone, over the silence before the page's first packet: the
	 * lead holds at least what is left of it (no drift correction is
	 * made before the page's audio), so no page audio is under it.
	 */
	if (pl->tone_left) {
		u32 k = min(pl->tone_left, period);

		memcpy(mono, pl->tone->pcm + pl->tone_pos, k * sizeof(*mono));
		pl->tone_pos += k;
		pl->tone_left -= k;
	}
	herald_gain_apply(mono, period,
			  herald_gain_q16(herald_volume_db(emergency ?
							   READ_ONCE(sink->cfg.emergency_db) :
							   READ_ONCE(sink->cfg.volume_db),
							   offset_db)));
	for (i = 0; i < period; i++) {
		pl->out[i * pl->channels] = mono[i];
		if (pl->channels == 2)
			pl->out[i * 2 + 1] = mono[i];
	}
}

/*
 * A higher priority took the sink while the card played: what the card
 * still holds (up to a whole buffer) is the cut page's, and would be heard
 * before the new one. Dropped, so the cut page stops within a period; the
 * new page was anchored with a preroll (herald_sink_feed), as for a card
 * just opened, since the card is refilled from empty now.
 */
static void herald_sink_cut(struct herald_sink *sink)
{
	struct herald_sink_play *pl = &sink->play;
	bool cut;

	spin_lock_bh(&sink->lock);
	cut = sink->cut_pending;
	sink->cut_pending = false;
	spin_unlock_bh(&sink->lock);
	if (!cut || !pl->file)
		return;
	snd_pcm_kernel_ioctl(pl->ss, SNDRV_PCM_IOCTL_DROP, NULL);
	snd_pcm_kernel_ioctl(pl->ss, SNDRV_PCM_IOCTL_PREPARE, NULL);
	pl->full = false;
	pl->written_ns = 0;
}

/* Page over while the PCM cannot be opened: the talker's silence ends it. */
static void herald_sink_expire(struct herald_sink *sink)
{
	spin_lock_bh(&sink->lock);
	if (sink->holder_id &&
	    time_after(jiffies, sink->holder_last + msecs_to_jiffies(HERALD_SINK_END_MS)))
		herald_sink_page_end(sink);
	spin_unlock_bh(&sink->lock);
}

static int herald_sink_thread(void *data)
{
	struct herald_sink *sink = data;
	u32 gen = 0;
	int err;

	while (!kthread_should_stop()) {
		herald_sink_events_send(sink);
		if (!READ_ONCE(sink->holder_id)) {
			herald_sink_close(sink);
			set_current_state(TASK_INTERRUPTIBLE);
			/* herald_sink_feed sets holder_id (and queues its
			 * PAGE_START) before waking us.
			 */
			if (!READ_ONCE(sink->holder_id) && !kthread_should_stop())
				schedule();
			__set_current_state(TASK_RUNNING);
			continue;
		}
		if (!sink->play.file) {
			err = herald_sink_open(sink);
			WRITE_ONCE(sink->error, err);
			if (err) {
				herald_sink_expire(sink);
				schedule_timeout_interruptible(HZ);
				continue;
			}
		}
		herald_sink_cut(sink);
		herald_sink_period(sink, &gen);
		err = herald_sink_write(sink);
		if (err) {
			/* Card gone or broken: report, and retry while the page lasts. */
			WRITE_ONCE(sink->error, err);
			herald_sink_close(sink);
			schedule_timeout_interruptible(HZ);
		}
	}
	herald_sink_close(sink);
	return 0;
}

/* ---- packet path ----------------------------------------------------- */

/*
 * A page cut by a higher priority is not resumed when that one ends: its
 * talker went on meanwhile. The talker is followed on its own timeline, not
 * by the clock (a guest or host stall is no pause): its stream is heard
 * again once it pauses, i.e. its RTP time moves on by more than
 * HERALD_SINK_END_MS over what it sent, or another talker (SSRC) starts on
 * it, or it has sent nothing for HERALD_SINK_CUT_FORGET_MS. sink->lock held.
 */
#define HERALD_SINK_CUT_FORGET_MS 5000

static bool herald_sink_cut_talker(struct herald_sink *sink, const struct herald_stream *st,
				   u32 ssrc, u32 ts, unsigned int len)
{
	s32 gap;

	if (!sink->cut_id || st->id != sink->cut_id)
		return false;
	gap = (s32)(ts - sink->cut_ts);
	if (ssrc != sink->cut_ssrc || gap > HERALD_SINK_END_MS * 8 ||
	    time_after(jiffies, sink->cut_last + msecs_to_jiffies(HERALD_SINK_CUT_FORGET_MS))) {
		sink->cut_id = 0;
		return false;
	}
	if (gap + (s32)len > 0)
		sink->cut_ts = ts + len;
	sink->cut_last = jiffies;
	return true;
}

void herald_sink_feed(struct herald_sink *sink, const struct herald_stream *st, u32 ssrc,
		      u8 pt, u32 ts, const u8 *payload, unsigned int len)
{
	enum herald_jb_put r;
	bool wake = false;
	int stat = HERALD_STAT_PACKETS;

	/* Refused before the arbitration: a packet not played takes no sink. */
	if ((pt != RTP_PT_PCMU && pt != RTP_PT_PCMA && pt != RTP_PT_G722) ||
	    (pt == RTP_PT_G722 && sink->cfg.rate < 16000) || !len || len > HERALD_JB_MAX_PACKET) {
		herald_stats_add(sink->stats, HERALD_STAT_DROP_CODEC, 1);
		return;
	}
	spin_lock(&sink->lock);
	if (sink->holder_id != st->id) {
		u8 prio = READ_ONCE(st->priority);

		if (herald_sink_cut_talker(sink, st, ssrc, ts, len) ||
		    (sink->holder_id && prio <= sink->holder_prio)) {
			spin_unlock(&sink->lock);
			herald_stats_add(sink->stats, HERALD_STAT_DROP_BUSY, 1);
			return;
		}
		if (sink->holder_id) {
			herald_stats_add(sink->stats, HERALD_STAT_PREEMPTIONS, 1);
			herald_sink_event(sink, HERALD_EVENT_PAGE_PREEMPTED, sink->holder_id,
					  sink->holder_label, st->id);
			sink->cut_id = sink->holder_id;
			sink->cut_ssrc = sink->jb->ssrc;
			sink->cut_ts = sink->jb->end_ts;
			sink->cut_last = jiffies;
			sink->cut_pending = true;
		} else {
			wake = true;
		}
		/* A new page: the one cut short is not resumed. */
		sink->holder_id = st->id;
		sink->holder_prio = prio;
		sink->holder_tone = READ_ONCE(st->tone);
		strscpy(sink->holder_label, st->label, sizeof(sink->holder_label));
		herald_sink_event(sink, HERALD_EVENT_PAGE_START, st->id, st->label, 0);
		herald_sink_jb_setup(sink, sink->next_target_ms,
				     sink->holder_tone ? sink->tone_units : 0);
	}
	/* Followed packet by packet: a SET_STREAM is heard within one. */
	sink->holder_offset_db = READ_ONCE(st->volume_offset_db);
	/* While the card runs its buffer is already full: no preroll
	 * (unless the thread is about to empty it: herald_sink_cut).
	 */
	if (READ_ONCE(sink->pcm_open) && !sink->cut_pending)
		sink->jb->preroll = 0;
	else
		sink->jb->preroll = herald_sink_units(sink, sink->cfg.buffer);
	r = herald_jb_put(sink->jb, ssrc, ts, pt, payload, len);
	switch (r) {
	case HERALD_JB_STARTED:
		herald_stats_add(sink->stats, HERALD_STAT_PAGES, 1);
		sink->jb_gen++;
		sink->anchor_ns = ktime_get_ns();
		/* Every page of the holder starts with the tone (a new
		 * talker's too); a timeline jump within one does not.
		 */
		if (sink->holder_tone)
			sink->tone_gen = sink->jb_gen;
		break;
	case HERALD_JB_JUMP_FORWARD:
		herald_stats_add(sink->stats, HERALD_STAT_EARLY, 1);
		sink->jb_gen++;
		sink->anchor_ns = ktime_get_ns();
		break;
	case HERALD_JB_JUMP_BACK:
		herald_stats_add(sink->stats, HERALD_STAT_LATE, 1);
		sink->jb_gen++;
		sink->anchor_ns = ktime_get_ns();
		break;
	case HERALD_JB_LATE:
		stat = HERALD_STAT_LATE;
		break;
	case HERALD_JB_BAD_SIZE:
		stat = HERALD_STAT_DROP_CODEC;
		break;
	case HERALD_JB_OK:
		break;
	}
	if (stat == HERALD_STAT_PACKETS)
		sink->holder_last = jiffies;
	spin_unlock(&sink->lock);
	herald_stats_add(sink->stats, stat, 1);
	if (wake)
		wake_up_process(sink->thread);
}

/* ---- lifetime -------------------------------------------------------- */

u32 herald_sink_level_us(struct herald_sink *sink)
{
	u32 units;

	spin_lock_bh(&sink->lock);
	units = herald_jb_level(sink->jb);
	spin_unlock_bh(&sink->lock);
	return units * 125;
}

u32 herald_sink_holder(struct herald_sink *sink)
{
	u32 id;

	spin_lock_bh(&sink->lock);
	id = sink->holder_id;
	spin_unlock_bh(&sink->lock);
	return id;
}

static void herald_sink_free(struct herald_sink *sink)
{
	struct herald_sink_play *pl = &sink->play;

	kvfree(sink->tone_next);
	kvfree(pl->tone);
	kfree(pl->out);
	kfree(pl->up);
	kfree(pl->dec);
	kfree(pl->tag);
	kfree(pl->code);
	kvfree(sink->jb);
	free_percpu(sink->stats);
	kfree(sink);
}

/* ---- the tone -------------------------------------------------------- */

struct herald_tone *herald_sink_tone_make(u32 rate, const u8 *pcm, u32 bytes)
{
	u32 samples = bytes / 2;
	struct herald_tone *tone;
	u32 frames = pcm ? herald_tone_frames(samples, rate) : herald_chime_frames(rate);
	u32 space = pcm ? herald_tone_space(samples, rate) : frames;

	tone = kvmalloc(struct_size(tone, pcm, space), GFP_KERNEL_ACCOUNT);
	if (!tone)
		return NULL;
	tone->frames = frames;
	if (!pcm)
		herald_chime(tone->pcm, rate);
	else if (WARN_ON(herald_tone_convert(tone->pcm, rate, pcm, samples)))
		tone->frames = 0;	/* the sink's rate was checked: cannot be */
	return tone;
}

void herald_sink_tone_set(struct herald_sink *sink, struct herald_tone *tone)
{
	struct herald_tone *old;

	spin_lock_bh(&sink->lock);
	old = sink->tone_next;
	sink->tone_next = tone;
	sink->tone_units = DIV_ROUND_UP(tone->frames, sink->cfg.rate / 8000);
	spin_unlock_bh(&sink->lock);
	WRITE_ONCE(sink->tone_ms, tone->frames * 1000 / sink->cfg.rate);
	kvfree(old);
}

struct herald_sink *herald_sink_create(struct herald_net *hn, u32 id, const char *label,
				       const struct herald_sink_config *cfg,
				       struct netlink_ext_ack *extack)
{
	struct herald_sink_play *pl;
	struct herald_sink *sink;
	u32 units, upmax;

	sink = kzalloc(sizeof(*sink), GFP_KERNEL_ACCOUNT);
	if (!sink)
		return ERR_PTR(-ENOMEM);
	sink->hn = hn;
	sink->id = id;
	strscpy(sink->label, label, sizeof(sink->label));
	sink->cfg = *cfg;
	sink->next_target_ms = cfg->target_ms;
	spin_lock_init(&sink->lock);
	pl = &sink->play;
	/* Everything the audio path needs, now: nothing is allocated per
	 * packet or per period. A period written is at most one sample long.
	 */
	units = herald_sink_units(sink, cfg->period);
	upmax = units * (cfg->rate / 8000);
	sink->jb = kvzalloc(sizeof(*sink->jb), GFP_KERNEL_ACCOUNT);
	sink->stats = herald_stats_alloc();
	pl->code = kmalloc(units, GFP_KERNEL_ACCOUNT);
	pl->tag = kmalloc(units, GFP_KERNEL_ACCOUNT);
	pl->dec = kmalloc_array(2 * units, sizeof(s16), GFP_KERNEL_ACCOUNT);
	/* up: the mono period, 8 spare, then the resampled read. */
	pl->up = kmalloc_array(cfg->period + 8 + upmax, sizeof(s16), GFP_KERNEL_ACCOUNT);
	pl->out = kmalloc_array(2 * (cfg->period + 1), sizeof(s16), GFP_KERNEL_ACCOUNT);
	if (!sink->jb || !sink->stats || !pl->code || !pl->tag || !pl->dec || !pl->up ||
	    !pl->out) {
		herald_sink_free(sink);
		return ERR_PTR(-ENOMEM);
	}
	pl->tone = herald_sink_tone_make(cfg->rate, NULL, 0);
	if (!pl->tone) {
		herald_sink_free(sink);
		return ERR_PTR(-ENOMEM);
	}
	sink->tone_units = DIV_ROUND_UP(pl->tone->frames, cfg->rate / 8000);
	sink->tone_ms = pl->tone->frames * 1000 / cfg->rate;
	herald_sink_jb_setup(sink, cfg->target_ms, 0);
	herald_sink_new_page(sink);
	sink->thread = kthread_create(herald_sink_thread, sink, "herald-sink/%u", id);
	if (IS_ERR(sink->thread)) {
		int err = PTR_ERR(sink->thread);

		NL_SET_ERR_MSG(extack, "cannot start the sink's thread");
		herald_sink_free(sink);
		return ERR_PTR(err);
	}
	/* The card waits for nobody: a writer starved by ordinary tasks for
	 * longer than the card's buffer replays stale audio before ALSA even
	 * reports the underrun. Lowest real-time priority, as threaded IRQ
	 * handlers of audio drivers get; it sleeps most of every period.
	 */
	sched_set_fifo_low(sink->thread);
	wake_up_process(sink->thread);
	return sink;
}

void herald_sink_destroy(struct herald_sink *sink)
{
	/* No stream feeds it any more (and a grace period has passed), so
	 * nothing wakes the thread but kthread_stop.
	 */
	kthread_stop(sink->thread);
	herald_sink_free(sink);
}
