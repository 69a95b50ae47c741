// SPDX-License-Identifier: GPL-2.0
/*
 * Suite table (RFC 4568 §6.2, RFC 6188 §7, RFC 7714 §14.2) and libsrtp2
 * session construction. SRTCP always uses the 80-bit tag variant: the *_32
 * suites shorten only the SRTP tag (RFC 4568 §6.2.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtp_suite.h"

/*
 * libsrtp2 defines the AES_CM_128_HMAC_SHA1_80 setter as a macro over the
 * default policy, so its address is taken through the function it names.
 */
#define set_aes_cm_128_80 srtp_crypto_policy_set_rtp_default

static const struct tt_suite suites[] = {
	{ "AES_CM_128_HMAC_SHA1_80", 16, 14, 10, false,
	  set_aes_cm_128_80,
	  set_aes_cm_128_80 },
	{ "AES_CM_128_HMAC_SHA1_32", 16, 14, 4, false,
	  srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
	  set_aes_cm_128_80 },
	{ "AES_192_CM_HMAC_SHA1_80", 24, 14, 10, false,
	  srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80,
	  srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80 },
	{ "AES_192_CM_HMAC_SHA1_32", 24, 14, 4, false,
	  srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32,
	  srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80 },
	{ "AES_256_CM_HMAC_SHA1_80", 32, 14, 10, false,
	  srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80,
	  srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80 },
	{ "AES_256_CM_HMAC_SHA1_32", 32, 14, 4, false,
	  srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32,
	  srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80 },
	{ "AEAD_AES_128_GCM", 16, 12, 16, true,
	  srtp_crypto_policy_set_aes_gcm_128_16_auth,
	  srtp_crypto_policy_set_aes_gcm_128_16_auth },
	{ "AEAD_AES_256_GCM", 32, 12, 16, true,
	  srtp_crypto_policy_set_aes_gcm_256_16_auth,
	  srtp_crypto_policy_set_aes_gcm_256_16_auth },
};

const struct tt_suite *tt_suite_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (!strcmp(suites[i].name, name))
			return &suites[i];
	return NULL;
}

void tt_suite_list(FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		fprintf(f, "%s\n", suites[i].name);
}

void tt_srtp_init(void)
{
	static bool done;
	srtp_err_status_t e;

	if (done)
		return;
	e = srtp_init();
	if (e) {
		fprintf(stderr, "srtp_init: %s\n", tt_srtp_strerror(e));
		exit(2);
	}
	done = true;
}

const char *tt_srtp_strerror(srtp_err_status_t e)
{
	switch (e) {
	case srtp_err_status_ok:		return "ok";
	case srtp_err_status_bad_param:		return "bad parameter";
	case srtp_err_status_alloc_fail:	return "allocation failed";
	case srtp_err_status_init_fail:		return "init failed";
	case srtp_err_status_auth_fail:		return "authentication failed";
	case srtp_err_status_cipher_fail:	return "cipher failure";
	case srtp_err_status_replay_fail:	return "replayed packet";
	case srtp_err_status_replay_old:	return "packet too old";
	case srtp_err_status_no_ctx:		return "no context";
	case srtp_err_status_key_expired:	return "key expired";
	case srtp_err_status_parse_err:		return "parse error";
	case srtp_err_status_bad_mki:		return "unknown MKI";
	default:				return "libsrtp2 error";
	}
}

int tt_session_create(srtp_t *session, const struct tt_suite *s,
		      const struct sdes_key *keys, int n, bool outbound,
		      unsigned long window, char *err, size_t errlen)
{
	srtp_master_key_t mk[TT_MAX_KEYS], *mkp[TT_MAX_KEYS];
	srtp_policy_t pol;
	srtp_err_status_t e;
	int i;

	if (n < 1 || n > TT_MAX_KEYS) {
		snprintf(err, errlen, "need 1..%d keys", TT_MAX_KEYS);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (keys[i].len != s->key_len + s->salt_len) {
			snprintf(err, errlen,
				 "key %d is %u bytes, %s needs %u (key %u + salt %u)",
				 i + 1, keys[i].len, s->name,
				 s->key_len + s->salt_len, s->key_len,
				 s->salt_len);
			return -1;
		}
		if (keys[i].mki_len != keys[0].mki_len) {
			snprintf(err, errlen, "all keys need MKIs of one length");
			return -1;
		}
	}
	if (n > 1 && !keys[0].mki_len) {
		snprintf(err, errlen, "several keys need MKIs to tell them apart");
		return -1;
	}

	tt_srtp_init();
	/*
	 * libsrtp2 before 2.7.1 derives AES-192 session keys with AES-256
	 * (cisco/libsrtp#763, see docs/crypto-notes.md): its AES_192 packets
	 * are not RFC 6188 ones, so an RFC-conformant peer rejects them.
	 */
	if (s->key_len == 24 && srtp_get_version() < (2u << 24 | 7u << 16 | 1u))
		fprintf(stderr, "warning: %s derives %s keys against "
			"RFC 6188 (cisco/libsrtp#763)\n",
			srtp_get_version_string(), s->name);
	memset(&pol, 0, sizeof(pol));
	s->set_rtp(&pol.rtp);
	s->set_rtcp(&pol.rtcp);
	pol.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	pol.window_size = window;
	if (keys[0].mki_len) {
		for (i = 0; i < n; i++) {
			/* libsrtp2 copies the keys into the session. */
			mk[i].key = (unsigned char *)keys[i].key;
			mk[i].mki_id = (unsigned char *)keys[i].mki;
			mk[i].mki_size = keys[i].mki_len;
			mkp[i] = &mk[i];
		}
		pol.keys = mkp;
		pol.num_master_keys = (unsigned long)n;
	} else {
		pol.key = (unsigned char *)keys[0].key;
	}
	e = srtp_create(session, &pol);
	if (e) {
		snprintf(err, errlen, "srtp_create(%s): %s", s->name,
			 tt_srtp_strerror(e));
		return -1;
	}
	return 0;
}
