/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local playback: the herald.ko sink heraldd keeps for the audio.* settings
 * (audio_config.h). With audio.card set, heraldd asks the module for a sink
 * at start; while the module is absent it asks again every
 * AUDIO_WATCH_MS, and it checks on the same period that the sink it made is
 * still there, making a new one if the module was reloaded. The sink is
 * deleted when heraldd exits.
 *
 * Whatever plays locally names the sink by audio_sink_id() when it creates
 * its stream: each call's stream (media.c), and receivers of multicast
 * zones. A stream made while there is no sink plays nowhere; one made
 * before the module was reloaded went with the module anyway.
 */
#ifndef HERALDD_AUDIO_H
#define HERALDD_AUDIO_H

#include <stdint.h>

#include "audio_config.h"
#include "kernel.h"

#define AUDIO_WATCH_MS 2000

struct loop;
struct audio;

/*
 * Playback as @cfg (copied) says, through @kops/@kctx (kernel.h), which
 * must outlive it. With no card configured the object exists but holds no
 * sink and asks nothing. NULL on failure (logged).
 */
struct audio *audio_new(struct loop *loop, const struct audio_config *cfg,
			const struct kernel_ops *kops, void *kctx);
/* Deletes the sink, if any. */
void audio_free(struct audio *a);

/* The herald.ko sink local playback goes to; 0: none now (or @a NULL). */
uint32_t audio_sink_id(const struct audio *a);

/*
 * Call @fn now with the current sink id and again whenever it changes (made
 * late because the module came, or made anew after it was gone; 0 while
 * there is none): for players that are not calls, the receiver zones.
 */
void audio_on_sink(struct audio *a, void (*fn)(void *arg, uint32_t sink), void *arg);

#endif
