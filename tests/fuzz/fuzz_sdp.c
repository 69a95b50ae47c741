// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for daemon/sdp.c and daemon/sdes.c: SDP parse, a=crypto
 * parse (the input also taken as one crypto line), the chooser, and the
 * answer builder. An answer must parse back as SDP with one m-line per
 * offered one, our port on the accepted line and exactly one crypto line
 * there, whose key is the one the result reports.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Idaemon \
 *     -Iuapi tests/fuzz/fuzz_sdp.c daemon/sdp.c daemon/sdes.c -o build/fuzz/fuzz_sdp
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sdp_session offer, answer;
static char buf[SDP_MAX_LEN];

static const struct sdp_codec codecs[] = {
	{ "PCMU", 8000, 0 }, { "G722", 8000, 9 }, { "PCMA", 8000, 8 },
};

static const enum herald_suite suites[] = {
	HERALD_SUITE_AEAD_AES_256_GCM, HERALD_SUITE_AES_256_CM_HMAC_SHA1_80,
	HERALD_SUITE_AEAD_AES_128_GCM, HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
	HERALD_SUITE_AES_CM_128_HMAC_SHA1_32, HERALD_SUITE_AES_192_CM_HMAC_SHA1_80,
};

static void check_crypto_line(const char *text, size_t size)
{
	struct sdes_crypto c;
	struct sdes_local l;
	char line[160];
	int n;

	if (sdes_parse(text, size, &c, NULL, 0))
		return;
	if (c.nkeys > SDES_MAX_KEYS)
		abort();
	if (sdes_choose(&c, 1, suites, 6, line, sizeof(line)) == 0) {
		if (sdes_make_answer(&c, &l))
			abort();
		n = sdes_format(&l, line, sizeof(line));
		if (n < 0 || sdes_parse(line, n, &c, NULL, 0) || c.nkeys != 1 ||
		    memcmp(c.keys[0].key, l.key, l.len))
			abort();
		sdes_local_clear(&l);
	}
	sdes_crypto_clear(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct sdp_answer_params par = {
		.user = "herald", .sess_id = 1, .sess_version = 2, .family = 4,
		.addr = "192.0.2.7", .port = 40000, .codecs = codecs, .ncodecs = 3,
		.suites = suites, .nsuites = 6, .require_srtp = size & 1,
		.allow_best_effort = size & 2, .rtcp_mux = true, .send = false, .recv = true,
	};
	struct sdp_answer_result res;
	const struct sdp_media *am;
	int n;

	check_crypto_line(text, size);

	if (sdp_parse(&offer, text, size, NULL, 0))
		goto out;
	n = sdp_build_answer(&offer, &par, &res, buf, sizeof(buf));
	if (n < 0)
		goto out;
	if ((size_t)n != strlen(buf))
		abort();
	if (sdp_parse(&answer, buf, n, NULL, 0) || answer.nmedia != offer.nmedia)
		abort();
	if (res.media >= 0) {
		am = &answer.media[res.media];
		if (am->port != 40000 || am->pt[0] != res.pt)
			abort();
		if (res.srtp != (am->ncrypto == 1) || am->ncrypto > 1)
			abort();
		if (res.srtp && (am->crypto[0].nkeys != 1 ||
				 memcmp(am->crypto[0].keys[0].key, res.local.key, res.local.len)))
			abort();
		if (res.srtp && offer.media[res.media].crypto[res.crypto].tag != am->crypto[0].tag)
			abort();
	} else {
		for (unsigned int i = 0; i < answer.nmedia; i++)
			if (answer.media[i].port)
				abort();
	}
	sdes_local_clear(&res.local);
	sdp_session_clear(&answer);
out:
	sdp_session_clear(&offer);
	return 0;
}
