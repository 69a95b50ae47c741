/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The audio.* keys: the local playback sink heraldd asks herald.ko for
 * (daemon/audio.c). Kept apart from audio.c, as call_config.h is from the
 * call layer, so the configuration table and its tests need no netlink.
 *
 * config.c takes them in by embedding struct audio_config in struct
 * heraldd_config and AUDIO_CONFIG_KEYS() in its table, calls
 * audio_config_defaults() on load and audio_config_check() with the rest
 * of the whole configuration's checks.
 *
 * audio.card is an ALSA card index. The module on this branch opens
 * /dev/snd/pcmC<card>D<device>p by number only, so a card id string
 * ("Loopback") is refused here rather than guessed at.
 */
#ifndef HERALDD_AUDIO_CONFIG_H
#define HERALDD_AUDIO_CONFIG_H

#include <stddef.h>
#include <linux/herald.h>

#include "config_parse.h"

struct call_config;

/* audio.card when it is not set: no sink, no playback. */
#define AUDIO_CARD_NONE (-1)

struct audio_config {
	int card;		/* audio.card: ALSA card index; AUDIO_CARD_NONE: no sink */
	int device;		/* audio.device: PCM device on the card */
	int rate;		/* audio.rate: 8000, 16000 or 48000 Hz */
	int period_ms;		/* audio.period_ms: the card's period */
	int periods;		/* audio.periods: the card's buffer, in periods */
	int delay_ms;		/* audio.delay_ms: jitter buffer target */
	int volume_db;		/* audio.volume_db */
	int emergency_volume_db;	/* audio.emergency_volume_db: emergency pages */
	char label[HERALD_LABEL_MAX];	/* audio.label: the sink's label in herald.ko */
};

/*
 * The card's range starts at 0: AUDIO_CARD_NONE is only ever the default,
 * so leaving the key out is the one way to have no sink.
 */
#define AUDIO_CONFIG_KEYS(S, m) \
	CFG_KEY_INT("audio.card", S, m card, 0, 31), \
	CFG_KEY_INT("audio.device", S, m device, 0, 31), \
	CFG_KEY_INT("audio.rate", S, m rate, 8000, 48000), \
	CFG_KEY_INT("audio.period_ms", S, m period_ms, 1, 100), \
	CFG_KEY_INT("audio.periods", S, m periods, 2, 16), \
	CFG_KEY_INT("audio.delay_ms", S, m delay_ms, HERALD_SINK_TARGET_MS_MIN, \
		    HERALD_SINK_TARGET_MS_MAX), \
	CFG_KEY_INT("audio.volume_db", S, m volume_db, HERALD_SINK_VOLUME_DB_MIN, \
		    HERALD_SINK_VOLUME_DB_MAX), \
	CFG_KEY_INT("audio.emergency_volume_db", S, m emergency_volume_db, \
		    HERALD_SINK_VOLUME_DB_MIN, HERALD_SINK_VOLUME_DB_MAX), \
	CFG_KEY_STRING("audio.label", S, m label)

/* The table alone (NULL-terminated), for callers that parse just these keys. */
extern const struct cfg_key audio_config_keys[];

void audio_config_defaults(struct audio_config *a);

/*
 * What the generic parser cannot check: the rate is one the module plays,
 * and, with a sink, that it can play every codec media.codecs (@call, may
 * be NULL) lets a call choose (G.722 needs 16000 or 48000 Hz). 0, or -1
 * with the reason in @err.
 */
int audio_config_check(const struct audio_config *a, const struct call_config *call, char *err,
		       size_t errlen);

/* The sink's period and buffer in frames, as herald.ko takes them. */
static inline unsigned int audio_period_frames(const struct audio_config *a)
{
	return (unsigned int)(a->rate / 1000 * a->period_ms);
}

static inline unsigned int audio_buffer_frames(const struct audio_config *a)
{
	return audio_period_frames(a) * (unsigned int)a->periods;
}

#endif
