// SPDX-License-Identifier: GPL-2.0
/*
 * The playback sink in herald.ko, kept for the audio.* settings: see audio.h.
 *
 * Nothing here waits: a netlink request is answered by the module from
 * process context at once (kernel.c), and the retry and the check ride on
 * one loop timer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "log.h"
#include "loop.h"

struct audio {
	struct audio_config cfg;
	const struct kernel_ops *kops;
	void *kctx;
	struct loop_timer *watch;
	uint32_t sink;			/* 0: none */
	void (*changed)(void *arg, uint32_t sink);	/* audio_on_sink() */
	void *changed_arg;
	int last_err;			/* the last failure logged, so a retry does not repeat it */
};

static void sink_req(const struct audio_config *c, struct kernel_sink_req *r)
{
	unsigned int index = 0;

	memset(r, 0, sizeof(*r));
	snprintf(r->label, sizeof(r->label), "%s", c->label);
	/* Checked with the configuration: an index or an id, nothing else. */
	if (audio_card_index(c->card, &index) == 0)
		snprintf(r->card_id, sizeof(r->card_id), "%s", c->card);
	else
		r->card = index;
	r->device = (uint32_t)c->device;
	r->rate = (uint32_t)c->rate;
	r->period_frames = audio_period_frames(c);
	r->buffer_frames = audio_buffer_frames(c);
	r->volume_db = c->volume_db;
	r->emergency_volume_db = c->emergency_volume_db;
	r->delay_ms = (uint32_t)c->delay_ms;
}

/* The sink is now @id (0: none): tell whoever plays on it besides calls. */
static void set_sink(struct audio *a, uint32_t id)
{
	if (a->sink == id)
		return;
	a->sink = id;
	if (a->changed)
		a->changed(a->changed_arg, id);
}

static void make_sink(struct audio *a)
{
	struct kernel_sink_req req;
	char why[256];
	uint32_t id = 0;
	int ret;

	sink_req(&a->cfg, &req);
	ret = a->kops->new_sink(a->kctx, &req, &id, why, sizeof(why));
	if (ret) {
		/* The module absent is the usual case at boot: said once, at info. */
		if (ret != a->last_err) {
			if (ret == -ENOENT)
				log_info("audio: no playback sink yet: %s; trying again every %d s",
					 why, AUDIO_WATCH_MS / 1000);
			else
				log_error("audio: cannot create the playback sink on card %s device %d: %s",
					  a->cfg.card, a->cfg.device, why);
		}
		a->last_err = ret;
		return;
	}
	set_sink(a, id);
	a->last_err = 0;
	log_info("audio: sink %u \"%s\" plays on card %s device %d at %d Hz, delay %d ms, volume %d dB (emergency %d dB)",
		 id, a->cfg.label, a->cfg.card, a->cfg.device, a->cfg.rate, a->cfg.delay_ms,
		 a->cfg.volume_db, a->cfg.emergency_volume_db);
}

static void watch(struct loop_timer *t, void *arg)
{
	struct audio *a = arg;
	char why[256];
	int ret;

	if (!a->sink) {
		make_sink(a);
		return;
	}
	ret = a->kops->get_sink(a->kctx, a->sink, why, sizeof(why));
	if (ret == -ENOENT) {
		/* Unloaded (and maybe loaded again), or deleted by hand. */
		log_warn("audio: sink %u is gone (%s): making a new one", a->sink, why);
		set_sink(a, 0);
		a->last_err = 0;
		make_sink(a);
	} else if (ret) {
		log_warn("audio: cannot check sink %u: %s", a->sink, why);
	}
}

struct audio *audio_new(struct loop *loop, const struct audio_config *cfg,
			const struct kernel_ops *kops, void *kctx)
{
	struct audio *a = calloc(1, sizeof(*a));

	if (!a) {
		log_error("audio: out of memory");
		return NULL;
	}
	a->cfg = *cfg;
	if (!audio_has_card(cfg))
		return a;
	a->kops = kops;
	a->kctx = kctx;
	a->watch = loop_timer_new(loop, watch, a);
	if (!a->watch || loop_timer_set(a->watch, AUDIO_WATCH_MS, AUDIO_WATCH_MS)) {
		log_error("audio: cannot set a timer: %s", strerror(errno));
		audio_free(a);
		return NULL;
	}
	make_sink(a);
	return a;
}

void audio_free(struct audio *a)
{
	char why[256];

	if (!a)
		return;
	loop_timer_free(a->watch);
	/* Streams still naming it are detached by the module. */
	if (a->sink && a->kops->del_sink(a->kctx, a->sink, why, sizeof(why)))
		log_warn("audio: cannot delete sink %u: %s", a->sink, why);
	else if (a->sink)
		log_info("audio: sink %u deleted", a->sink);
	free(a);
}

uint32_t audio_sink_id(const struct audio *a)
{
	return a ? a->sink : 0;
}

void audio_on_sink(struct audio *a, void (*fn)(void *arg, uint32_t sink), void *arg)
{
	a->changed = fn;
	a->changed_arg = arg;
	if (fn)
		fn(arg, a->sink);
}
