// SPDX-License-Identifier: GPL-2.0
/*
 * audio.* configuration keys: defaults, table, the checks between keys.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audio_config.h"
#include "call_config.h"

const struct cfg_key audio_config_keys[] = {
	AUDIO_CONFIG_KEYS(struct audio_config, ),
	{ .name = NULL },
};

void audio_config_defaults(struct audio_config *a)
{
	memset(a, 0, sizeof(*a));
	a->rate = HERALD_SINK_RATE_DEFAULT;
	a->period_ms = HERALD_SINK_PERIOD_MS_DEFAULT;
	a->periods = HERALD_SINK_PERIODS_DEFAULT;
	a->delay_ms = HERALD_SINK_TARGET_MS_DEFAULT;
	snprintf(a->label, sizeof(a->label), "audio");
}

/* Is G722 among the comma-separated codecs of @list? */
static bool lists_g722(const char *list)
{
	const char *p = list;

	while (p && *p) {
		if (!strncasecmp(p, "G722", 4) && (p[4] == ',' || !p[4]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

int audio_config_check(const struct audio_config *a, const struct call_config *call, char *err,
		       size_t errlen)
{
	unsigned int index;

	if (a->rate != 8000 && a->rate != 16000 && a->rate != 48000) {
		snprintf(err, errlen, "audio.rate: %d is not one of 8000, 16000, 48000", a->rate);
		return -1;
	}
	if (!a->label[0]) {
		snprintf(err, errlen, "audio.label: empty");
		return -1;
	}
	if (!audio_has_card(a))
		return 0;
	if (audio_card_index(a->card, &index) < 0) {
		snprintf(err, errlen,
			 "audio.card: expected an ALSA card index 0..%d or an id of 1..%d letters, "
			 "digits, '_' or '-' (as /proc/asound/cards shows it), not \"%s\"",
			 AUDIO_CARD_INDEX_MAX, HERALD_SINK_CARD_ID_MAX - 1, a->card);
		return -1;
	}
	/* A call would be answered with G.722 and then heard as nothing. */
	if (call && a->rate == 8000 && lists_g722(call->codecs)) {
		snprintf(err, errlen,
			 "audio.rate 8000 cannot play G.722, which media.codecs offers: "
			 "take 16000 or 48000, or drop G722 from media.codecs");
		return -1;
	}
	return 0;
}
