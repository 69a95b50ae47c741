/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDES crypto-suite names mapped onto libsrtp2 policies, and the session setup
 * shared by the sender, the receiver and the offline decrypter.
 */
#ifndef TT_SRTP_SUITE_H
#define TT_SRTP_SUITE_H

#include <stdbool.h>
#include <srtp2/srtp.h>

#include "sdes_key.h"

#define TT_MAX_KEYS 16		/* libsrtp2's limit on master keys per policy */

struct tt_suite {
	const char *name;
	unsigned int key_len;	/* master key bytes */
	unsigned int salt_len;	/* master salt bytes */
	unsigned int tag_len;	/* SRTP authentication tag bytes */
	bool mki_after_tag;	/* AEAD: payload | tag | MKI, as libsrtp2 does */
	void (*set_rtp)(srtp_crypto_policy_t *p);
	void (*set_rtcp)(srtp_crypto_policy_t *p);
};

const struct tt_suite *tt_suite_find(const char *name);
void tt_suite_list(FILE *f);

/*
 * Creates a libsrtp2 session for one suite and n keys. Either every key has an
 * MKI (same length, as libsrtp2 requires) or there is exactly one key without.
 * outbound selects ssrc_any_outbound, else ssrc_any_inbound.
 */
int tt_session_create(srtp_t *session, const struct tt_suite *s,
		      const struct sdes_key *keys, int n, bool outbound,
		      unsigned long window, char *err, size_t errlen);

/* libsrtp2 is initialised once per process; aborts on failure. */
void tt_srtp_init(void);
const char *tt_srtp_strerror(srtp_err_status_t e);

#endif
