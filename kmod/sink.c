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

#include "g711.h"
#include "sink.h"
#include "stream.h"

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
 * page waits for the card's buffer to fill on top of that.
 */
static void herald_sink_jb_setup(struct herald_sink *sink, u32 target_ms)
{
	u32 t = target_ms * 8, p = herald_sink_units(sink, sink->cfg.period);
	u32 b = herald_sink_units(sink, sink->cfg.buffer);
	s32 hold = (s32)(t + p) - (s32)(b - p / 2);

	herald_jb_init(sink->jb, max_t(s32, hold, p), b);
}

/* Thread context: counters shared with the softirq, so with BH off. */
static void herald_sink_count(struct herald_sink *sink, int what, u64 n)
{
	local_bh_disable();
	herald_stats_add(sink->stats, what, n);
	local_bh_enable();
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
	u32 i, n, spu, holes, gap, queued, present;
	bool emergency, new_page;
	s16 *mono = pl->up;
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
		 * delay. Skip it out of the silence before the first packet.
		 */
		u64 waited = ktime_get_ns() - sink->anchor_ns;

		herald_jb_skip_lead(sink->jb, min_t(u64, div_u64(waited, NSEC_PER_MSEC) * 8,
						    HERALD_JB_UNITS));
	}
	if (pl->full)
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
	    time_after(jiffies, sink->holder_last + msecs_to_jiffies(HERALD_SINK_END_MS))) {
		sink->holder_id = 0;
		herald_jb_reset(sink->jb);
	}
	emergency = sink->holder_prio == HERALD_PRIORITY_EMERGENCY;
	spin_unlock_bh(&sink->lock);

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
	herald_gain_apply(mono, period,
			  herald_gain_q16(emergency ? READ_ONCE(sink->cfg.emergency_db) :
					  READ_ONCE(sink->cfg.volume_db)));
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
	if (time_after(jiffies, sink->holder_last + msecs_to_jiffies(HERALD_SINK_END_MS))) {
		sink->holder_id = 0;
		herald_jb_reset(sink->jb);
	}
	spin_unlock_bh(&sink->lock);
}

static int herald_sink_thread(void *data)
{
	struct herald_sink *sink = data;
	u32 gen = 0;
	int err;

	while (!kthread_should_stop()) {
		if (!READ_ONCE(sink->holder_id)) {
			herald_sink_close(sink);
			set_current_state(TASK_INTERRUPTIBLE);
			/* herald_sink_feed sets holder_id before waking us. */
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
 * talker went on meanwhile. Its stream is heard again once it has paused
 * for HERALD_SINK_END_MS, as any next page. sink->lock held.
 */
static bool herald_sink_cut_talker(struct herald_sink *sink, const struct herald_stream *st)
{
	if (!sink->cut_id || st->id != sink->cut_id)
		return false;
	if (time_after(jiffies, sink->cut_last + msecs_to_jiffies(HERALD_SINK_END_MS))) {
		sink->cut_id = 0;
		return false;
	}
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

		if (herald_sink_cut_talker(sink, st) ||
		    (sink->holder_id && prio <= sink->holder_prio)) {
			spin_unlock(&sink->lock);
			herald_stats_add(sink->stats, HERALD_STAT_DROP_BUSY, 1);
			return;
		}
		if (sink->holder_id) {
			herald_stats_add(sink->stats, HERALD_STAT_PREEMPTIONS, 1);
			sink->cut_id = sink->holder_id;
			sink->cut_last = jiffies;
			sink->cut_pending = true;
		} else {
			wake = true;
		}
		/* A new page: the one cut short is not resumed. */
		sink->holder_id = st->id;
		sink->holder_prio = prio;
		herald_sink_jb_setup(sink, sink->next_target_ms);
	}
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

	kfree(pl->out);
	kfree(pl->up);
	kfree(pl->dec);
	kfree(pl->tag);
	kfree(pl->code);
	kvfree(sink->jb);
	free_percpu(sink->stats);
	kfree(sink);
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
	herald_sink_jb_setup(sink, cfg->target_ms);
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
