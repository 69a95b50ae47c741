// SPDX-License-Identifier: GPL-2.0
/* libsrtp2 session setup shared by the self-check and the libsrtp2 relay. */
#include <stdio.h>
#include <string.h>

#include "bench_srtp.h"

int bench_srtp_session(srtp_t *s, const char *suite, const uint8_t *master, bool outbound)
{
	static bool inited;
	srtp_policy_t pol;

	if (!inited) {
		if (srtp_init() != srtp_err_status_ok)
			return -1;
		inited = true;
	}
	memset(&pol, 0, sizeof(pol));
	if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_80")) {
		srtp_crypto_policy_set_rtp_default(&pol.rtp);
		srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
	} else if (!strcmp(suite, "AEAD_AES_128_GCM")) {
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtcp);
	} else {
		fprintf(stderr, "bench: unsupported suite %s\n", suite);
		return -1;
	}
	pol.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	pol.key = (unsigned char *)master;
	pol.window_size = 128;
	return srtp_create(s, &pol) == srtp_err_status_ok ? 0 : -1;
}
