/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDES key parameters (RFC 4568 §6.1): "inline:" base64(master key || salt),
 * optionally followed by "|lifetime" and "|MKI:length". The bare base64 form is
 * accepted too, since tests usually pass just the key.
 */
#ifndef TT_SDES_KEY_H
#define TT_SDES_KEY_H

#include <stdint.h>
#include <stdio.h>

#define SDES_MAX_KEY_SALT 46	/* AES-256 key (32) + AES-CM salt (14) */
#define SDES_MAX_MKI 128	/* RFC 4568 allows 1..128 bytes */

struct sdes_key {
	uint8_t key[SDES_MAX_KEY_SALT];
	unsigned int len;		/* bytes of key || salt */
	uint64_t lifetime;		/* packets; 0 = not given */
	uint8_t mki[SDES_MAX_MKI];	/* MKI as it appears on the wire */
	unsigned int mki_len;		/* 0 = no MKI */
	uint64_t mki_value;
};

/* Parses "inline:B64[|LIFETIME][|MKI:LEN]" or bare "B64"; 0 or -1 (+ errmsg). */
int sdes_key_parse(const char *text, struct sdes_key *k, char *err,
		   size_t errlen);
/* Sets the MKI from "ID:LEN" (decimal ID, LEN bytes big-endian). */
int sdes_mki_parse(const char *text, struct sdes_key *k, char *err,
		   size_t errlen);
/* Reads up to max keys, one per non-empty line of a file. */
int sdes_key_file(const char *path, struct sdes_key *keys, int max, char *err,
		  size_t errlen);
/* Base64 (RFC 4648, padding optional); returns decoded length or -1. */
int sdes_base64_decode(const char *in, size_t inlen, uint8_t *out,
		       size_t outmax);
/* Wipes the secret (key || salt) once libsrtp2 holds its own copy. */
void sdes_key_wipe(struct sdes_key *k);

#endif
