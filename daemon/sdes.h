/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDES (RFC 4568): a=crypto lines for SRTP. Parse, choose, answer.
 *
 *   a=crypto:<tag> <suite> <key-params> *(SP <session-param>)
 *   key-params = key-param *(";" key-param)
 *   key-param  = "inline:" base64(key || salt) ["|" lifetime] ["|" MKI ":" length]
 *
 * Decisions:
 *  - tag: 1*9DIGIT. Tag 0 is accepted on input: the grammar allows it (only
 *    Asterisk refuses it), and an answer echoes the offer's tag, whatever it
 *    is. Any tag we would choose ourselves starts at 1.
 *  - suites: the eight herald supports (enum herald_suite) by their registry
 *    names. The non-standard spellings AES_CM_192_HMAC_SHA1_80/32 and
 *    AES_CM_256_HMAC_SHA1_80/32 (seen in the field for the RFC 6188 suites)
 *    are the same algorithms: they are mapped (status SDES_SUITE_ALIAS), and
 *    the answer repeats the name the offer used, so the offerer recognises
 *    it. Known but unsupported suites (F8_128_HMAC_SHA1_80, the SEED suites,
 *    AEAD_AES_128_GCM_8 / AEAD_AES_256_GCM_8 with their 8-byte tag, NULL
 *    ciphers) get SDES_SUITE_UNSUPPORTED with a reason; anything else
 *    SDES_SUITE_UNKNOWN. Key parameters of those are not parsed.
 *  - key: base64 with or without padding; its decoded length must be the
 *    suite's key + salt length exactly.
 *  - lifetime: decimal or 2^n, n <= 48 (RFC 3711's SRTP limit).
 *  - MKI: value ":" length per RFC (length 1..128); we support lengths 1..4
 *    bytes, others make the line unusable (parsed, mki_unsupported set).
 *    Several keys on one line must all carry an MKI of one length, with
 *    distinct values [RFC 4568 6.1].
 *  - session parameters: UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP,
 *    UNAUTHENTICATED_SRTP, KDR=, WSH=, FEC_ORDER=, FEC_KEY= recorded; an
 *    unknown one is ignorable only with a leading "-" [6.3.7], otherwise it
 *    makes the line unusable. The chooser refuses UNENCRYPTED_*,
 *    UNAUTHENTICATED_* and KDR other than 0: herald.ko does none of those.
 */
#ifndef HERALDD_SDES_H
#define HERALDD_SDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/herald.h>

#define SDES_MAX_KEYS		4	/* key-params on one line */
#define SDES_MAX_KEY_LEN	46	/* AES-256 key + 14-byte salt */
#define SDES_MAX_SUITE_NAME	40
#define SDES_MAX_MKI_LEN	4	/* bytes */
#define SDES_MKI_LEN_LIMIT	128	/* bytes, RFC 4568's limit */
#define SDES_MAX_TAG		999999999u

enum sdes_suite_status {
	SDES_SUITE_OK,
	SDES_SUITE_ALIAS,		/* non-standard name of a supported suite */
	SDES_SUITE_UNSUPPORTED,		/* a known suite herald cannot do */
	SDES_SUITE_UNKNOWN,
};

struct sdes_suite_info {
	enum herald_suite id;
	const char *name;		/* registry name */
	uint8_t key_len, salt_len;
};

/* NULL for HERALD_SUITE_NONE and out-of-range values. */
const struct sdes_suite_info *sdes_suite_info(enum herald_suite id);
/* Look up a name as written in SDP; *@why set for unsupported ones. */
enum sdes_suite_status sdes_suite_lookup(const char *name, size_t len, enum herald_suite *id,
					 const char **why);
/*
 * A name as a user types it (heraldctl): a supported suite or an alias of
 * one, in exactly the registry's case. NULL otherwise.
 */
const struct sdes_suite_info *sdes_suite_by_name(const char *name);

struct sdes_key {
	uint8_t key[SDES_MAX_KEY_LEN];	/* master key || master salt */
	uint8_t len;
	bool has_lifetime;
	uint64_t lifetime;		/* packets */
	bool has_mki;
	uint32_t mki;
	uint8_t mki_len;		/* bytes, 1..4 when supported */
};

/*
 * One key-param, "inline:<base64>[|<lifetime>][|<MKI>:<length>]", over
 * [@p, @p + @len): the caller cuts it at ";" or SP. The decoded key must be
 * @suite's key + salt length, or with @suite NULL that of any supported
 * suite. MKI lengths 1..@max_mki_len bytes are accepted (at most
 * SDES_MKI_LEN_LIMIT); of one longer than SDES_MAX_MKI_LEN only the length
 * is kept, ->mki is 0. Returns 0, or -1 with the reason in @why (may be
 * NULL; it never quotes the key) and @k wiped.
 */
int sdes_key_param_parse(const char *p, size_t len, const struct sdes_suite_info *suite,
			 unsigned int max_mki_len, struct sdes_key *k, char *why, size_t whylen);
/* 0 if @len bytes are @suite's key + salt, else -1 with the reason in @why. */
int sdes_check_key_len(size_t len, const struct sdes_suite_info *suite, char *why,
		       size_t whylen);

enum sdes_fec_order {
	SDES_FEC_NONE,
	SDES_FEC_SRTP_FEC,		/* SRTP then FEC (the default) */
	SDES_FEC_FEC_SRTP,
};

struct sdes_crypto {
	uint32_t tag;
	char suite_name[SDES_MAX_SUITE_NAME + 1];	/* as written */
	enum herald_suite suite;	/* HERALD_SUITE_NONE unless OK/ALIAS */
	enum sdes_suite_status status;
	const char *suite_why;		/* static text for UNSUPPORTED */

	struct sdes_key keys[SDES_MAX_KEYS];
	unsigned int nkeys;
	bool mki_unsupported;		/* an MKI longer than SDES_MAX_MKI_LEN */

	bool unencrypted_srtp, unencrypted_srtcp, unauthenticated_srtp;
	int kdr;			/* -1: absent; else 0..24 */
	int64_t wsh;			/* -1: absent */
	enum sdes_fec_order fec_order;
	bool fec_key;
	bool unknown_param;		/* a mandatory session param we do not know */
};

/*
 * Parse the value of one a=crypto attribute (the text after "a=crypto:").
 * 0 when the line is well formed, even if its suite is unusable (see
 * ->status); -1 on a syntax error, with a reason in @why (may be NULL).
 * @c is wiped before parsing: call sdes_crypto_clear() when done.
 */
int sdes_parse(const char *value, size_t len, struct sdes_crypto *c, char *why, size_t whylen);
void sdes_crypto_clear(struct sdes_crypto *c);

/*
 * Why a parsed line cannot be used with @allowed (NULL: usable). The reason
 * is static text.
 */
const char *sdes_unusable(const struct sdes_crypto *c, const enum herald_suite *allowed,
			  unsigned int nallowed);

/*
 * Pick the line to answer: the usable line with the suite earliest in
 * @allowed (our preference order); among equals, the first offered. Returns
 * its index, or -1 with "tag N: reason; ..." in @why (may be NULL).
 */
int sdes_choose(const struct sdes_crypto *lines, unsigned int n,
		const enum herald_suite *allowed, unsigned int nallowed,
		char *why, size_t whylen);

/* Our side: one key, no MKI, no lifetime. */
struct sdes_local {
	uint32_t tag;
	enum herald_suite suite;
	char suite_name[SDES_MAX_SUITE_NAME + 1];
	uint8_t key[SDES_MAX_KEY_LEN];	/* master key || master salt */
	uint8_t len;
};

/*
 * Answer @offer: same tag and suite name, a fresh key from getrandom().
 * 0, or -1 (errno set) if @offer's suite is not usable or no randomness.
 */
int sdes_make_answer(const struct sdes_crypto *offer, struct sdes_local *ans);
/*
 * "<tag> <suite> inline:<base64>" into @buf (no "a=crypto:"). Returns the
 * length, or -1 if it does not fit.
 */
int sdes_format(const struct sdes_local *l, char *buf, size_t size);
void sdes_local_clear(struct sdes_local *l);

/* Base64 (RFC 4648, standard alphabet). Encode NUL-terminates; -1 if short. */
int sdes_base64_encode(const uint8_t *in, size_t len, char *out, size_t size);
/* Padding optional; -1 on a bad character, bad padding or overflow. */
int sdes_base64_decode(const char *in, size_t len, uint8_t *out, size_t size);

#endif
