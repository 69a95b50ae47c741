/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SRTP crypto suites and keys as a user writes them: SDES names
 * (RFC 4568 registry) and SDES inline key parameters, and their netlink
 * form, HERALD_A_KEY nests.
 */
#ifndef HERALDCTL_KEYSPEC_H
#define HERALDCTL_KEYSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netlink/msg.h>

/* Suites, base64 and the key-param grammar are heraldd's (daemon/sdes.c). */
#include "../../daemon/sdes.h"

/* By exact name (a few common misspellings are accepted), or NULL. */
static inline const struct sdes_suite_info *suite_by_name(const char *name)
{
	return sdes_suite_by_name(name);
}

static inline const struct sdes_suite_info *suite_by_id(uint32_t id)
{
	return sdes_suite_info((enum herald_suite)id);
}

struct key_spec {
	uint8_t material[SDES_MAX_KEY_LEN];	/* master key || master salt */
	size_t len;
	uint64_t lifetime;	/* 0: not given; only validated, never sent */
	uint32_t mki;
	uint8_t mki_len;	/* 0: no MKI */
	bool active;
};

/*
 * Parse "inline:BASE64[|LIFETIME][|MKI:LEN]". Without a suite (@suite NULL)
 * the material only has to have the length of some suite; the module checks
 * it against the object's. Returns 0, or -1 with a message on ctl_errfp.
 */
int keyspec_parse(const char *path, const char *text, const struct sdes_suite_info *suite,
		  struct key_spec *key);

/*
 * A KEYSPEC argument: an inline string, "file:PATH" or "-" (stdin), the
 * latter two holding one inline: line so the key never shows in ps.
 */
int keyspec_load(const char *path, const char *arg, const struct sdes_suite_info *suite,
		 struct key_spec *key);

/* Check @key's material length against @suite (keys parsed before it). */
int keyspec_check_suite(const char *path, const struct key_spec *key,
			const struct sdes_suite_info *suite);

void keyspec_wipe(struct key_spec *key);

/* A nest @attr holding one HERALD_A_KEY per key. -1 if @msg is full. */
int keyspec_put(struct nl_msg *msg, int attr, const struct key_spec *keys, int n);

/* Print a HERALD_{STREAM,OUTPUT}_A_KEYS reply nest (never material: the
 * module sends none). 0, or -1 if the nest is malformed.
 */
struct nlattr;
int keys_valid(struct nlattr *keys);
void keys_show(struct nlattr *keys);

#endif
