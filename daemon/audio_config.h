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
 * audio.card names the ALSA card either way herald.ko takes it: digits are
 * its index (HERALD_SINK_A_CARD), anything else its id as /proc/asound/cards
 * shows it (HERALD_SINK_A_CARD_ID, e.g. "Loopback"), which the module looks
 * up each time it opens the PCM, whatever index the card has then.
 */
#ifndef HERALDD_AUDIO_CONFIG_H
#define HERALDD_AUDIO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/herald.h>

#include "config_parse.h"

struct call_config;

struct audio_config {
	/* audio.card: an index (digits) or an id; "": no sink, no playback */
	char card[HERALD_SINK_CARD_ID_MAX];
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
 * audio.card is a string so that it can be an index or an id; an empty value
 * is "missing value" to the parser, so leaving the key out is the one way to
 * have no sink. What it may hold is checked by audio_config_check().
 */
#define AUDIO_CONFIG_KEYS(S, m) \
	CFG_KEY_STRING("audio.card", S, m card), \
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

/* The highest ALSA card index (SNDRV_CARDS - 1), as herald.ko's policy has it. */
#define AUDIO_CARD_INDEX_MAX 31

/* Is a sink wanted: is audio.card set? */
static inline bool audio_has_card(const struct audio_config *a)
{
	return a->card[0] != '\0';
}

/*
 * audio.card as herald.ko takes it: 1 with the index in @index when it is
 * digits only, 0 when it is an id, -1 when it is neither (out of range,
 * a character ALSA ids do not have) or empty. Inline so that what links
 * audio.c (the fuzzer, heraldd-media) need not link the key table too.
 *
 * herald.ko takes an id of any 1..15 bytes and would find no card by a
 * name ALSA cannot have given it. Its characters are those heraldctl takes
 * (tools/heraldctl/sink.c): letters, digits and '_', and '-', which a few
 * drivers use and ALSA accepts when an id is set through sysfs.
 */
static inline int audio_card_index(const char *card, unsigned int *index)
{
	size_t i, len = strlen(card);
	unsigned int n = 0;

	if (!len || len >= HERALD_SINK_CARD_ID_MAX)
		return -1;
	if (strspn(card, "0123456789") == len) {
		for (i = 0; i < len; i++) {
			n = n * 10 + (unsigned int)(card[i] - '0');
			if (n > AUDIO_CARD_INDEX_MAX)
				return -1;
		}
		*index = n;
		return 1;
	}
	return strspn(card, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-") == len ? 0 : -1;
}

/*
 * What the generic parser cannot check: audio.card is an index 0..31 or an
 * ALSA card id (audio_card_index()), the rate is one the module plays, and,
 * with a sink, that it can play every codec media.codecs (@call, may be
 * NULL) lets a call choose (G.722 needs 16000 or 48000 Hz). 0, or -1 with
 * the reason in @err.
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
