/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration of the call layer and of media: the call.* and media.* keys.
 *
 * They live here, not in config.c's table, so the call layer can be built
 * and tested alone. config.c takes them in by embedding struct
 * call_config in struct heraldd_config and CALL_CONFIG_KEYS() in its table:
 *
 *   struct heraldd_config { ...; struct call_config call; };
 *   const struct cfg_key heraldd_config_keys[] = {
 *           ..., CALL_CONFIG_KEYS(struct heraldd_config, call.), { NULL } };
 *
 * (@m is the path to the struct with its dot, or nothing: the macro writes
 * "m field", so the tokens form call.max_calls or max_calls.)
 *
 * then calls call_config_defaults() on load and call_config_check() after
 * a successful parse (the lists and ranges are checked there: the generic
 * parser only knows single values).
 */
#ifndef HERALDD_CALL_CONFIG_H
#define HERALDD_CALL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_parse.h"
#include "sdp.h"

#define CALL_MAX_CODECS	3
#define CALL_MAX_SUITES	8

enum media_srtp {
	MEDIA_SRTP_REQUIRED,	/* no usable crypto: 488, never plain RTP */
	MEDIA_SRTP_OPTIONAL,	/* SRTP preferred; plain accepted, reported as an exception */
	MEDIA_SRTP_OFF,		/* plain RTP only; an RTP/SAVP-only offer gets 488 */
};

extern const char *const media_srtp_names[];

struct call_config {
	int max_calls;		/* call.max_calls: more simultaneous calls get 486 */
	int answer_delay_ms;	/* call.answer_delay_ms: 0 answers at once */
	int port_min, port_max;	/* media.port_min/max: RTP ports we bind */
	int srtp;		/* media.srtp: enum media_srtp */
	int timeout_s;		/* media.timeout: no RTP for this long ends a call; 0 never */
	char codecs[64];	/* media.codecs: "PCMU,PCMA,G722", our order */
	char suites[320];	/* media.suites: SDES names, strongest first */
	char address[64];	/* media.address: advertised in SDP; empty: the SIP flow's */
	char outputs[128];	/* media.outputs: herald.ko output ids a call feeds, "1,2" */
};

#define CALL_CONFIG_KEYS(S, m) \
	CFG_KEY_INT("call.max_calls", S, m max_calls, 1, 64), \
	CFG_KEY_INT("call.answer_delay_ms", S, m answer_delay_ms, 0, 60000), \
	CFG_KEY_INT("media.port_min", S, m port_min, 1024, 65534), \
	CFG_KEY_INT("media.port_max", S, m port_max, 1025, 65535), \
	CFG_KEY_ENUM("media.srtp", S, m srtp, media_srtp_names), \
	CFG_KEY_INT("media.timeout", S, m timeout_s, 0, 86400), \
	CFG_KEY_STRING("media.codecs", S, m codecs), \
	CFG_KEY_STRING("media.suites", S, m suites), \
	CFG_KEY_STRING("media.address", S, m address), \
	CFG_KEY_STRING("media.outputs", S, m outputs)

/* The table alone (NULL-terminated), for callers that parse just these keys. */
extern const struct cfg_key call_config_keys[];

void call_config_defaults(struct call_config *c);

/* The lists resolved, in preference order. */
struct call_policy {
	struct sdp_codec codecs[CALL_MAX_CODECS];
	unsigned int ncodecs;
	enum herald_suite suites[CALL_MAX_SUITES];
	unsigned int nsuites;
	uint32_t outputs[HERALD_MAX_OUTPUTS];
	unsigned int noutputs;
};

/*
 * Check what the generic parser cannot (port_min <= port_max, the lists,
 * the address) and resolve the lists into @pol. 0, or -1 with the reason
 * in @err.
 */
int call_config_check(const struct call_config *c, struct call_policy *pol, char *err,
		      size_t errlen);

#endif
