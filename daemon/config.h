/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's configuration: struct heraldd_config, its table of keys and the
 * checks between keys. The parser is config_parse.h.
 */
#ifndef HERALDD_CONFIG_H
#define HERALDD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "audio_config.h"
#include "call_config.h"
#include "config_parse.h"
#include "policy_config.h"
#include "provision_config.h"
#include "sip/sip_config.h"
#include "zones_config.h"

#define HERALDD_CONFIG_PATH "/etc/herald/herald.conf"

/* What heraldd itself reads from the file. */
struct heraldd_config {
	int log_level;		/* enum log_level */
	bool log_syslog;	/* also log to syslog in the foreground */
	struct sip_config sip;	/* sip.* (holds passwords: wiped when dropped) */
	struct provision_config prov;	/* provision.* */
	struct call_config call;	/* call.* and media.* */
	struct policy_config policy;	/* policy.* */
	struct audio_config audio;	/* audio.* */
	struct zones_config zones;	/* mcast.* and sip.uN.zones (holds keys) */
};

extern const struct cfg_key heraldd_config_keys[];

void heraldd_config_defaults(struct heraldd_config *cfg);
/*
 * Rules between keys, checked on a whole (merged) configuration
 * (sip_config_check, call_config_check, audio_config_check, zones_config_check,
 * policy_config_check): 0, or -1 with the reason in @err.
 */
int heraldd_config_check(const struct heraldd_config *cfg, char *err, size_t errlen);
/*
 * Defaults, then @path on top, then heraldd_config_check(); *cfg is only
 * changed on success.
 */
int heraldd_config_load(const char *path, struct heraldd_config *cfg, char *err, size_t errlen);

#endif
