// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the digest challenge path: the input becomes the
 * WWW-Authenticate / Proxy-Authenticate lines of a 401 (a line starting
 * with "P" is a Proxy-Authenticate), msg.c parses them into challenges and
 * digest.c checks, picks and answers them. Whatever a server sends, the
 * Authorization value we build must be one header line (no CR, LF or NUL),
 * with balanced quotes, and must repeat the nonce we were given.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Idaemon \
 *     tests/fuzz/fuzz_digest.c daemon/sip/digest.c daemon/sip/msg.c -lcrypto
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/sip/digest.h"
#include "../../daemon/sip/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sip_msg m;
static char buf[SIP_MAX_MSG + 1024];

static const char head[] =
	"SIP/2.0 401 Unauthorized\r\n"
	"Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKf\r\n"
	"From: <sip:1000@example.org>;tag=a\r\n"
	"To: <sip:1000@example.org>;tag=b\r\n"
	"Call-ID: f@z\r\n"
	"CSeq: 1 REGISTER\r\n";

static void check_header(const struct digest_challenge *c, const char *out, int len)
{
	int i, quotes = 0;

	if ((size_t)len != strlen(out))
		abort();
	for (i = 0; i < len; i++) {
		if (out[i] == '\r' || out[i] == '\n')
			abort();
		if (out[i] == '"')
			quotes++;
	}
	if (quotes & 1)
		abort();
	if (!strstr(out, c->nonce))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct digest_challenge c;
	struct sip_error err;
	char why[200], out[2048];
	size_t len = 0, i, start;
	unsigned int k;
	int n;

	if (size > 8192)
		return 0;
	memcpy(buf, head, sizeof(head) - 1);
	len = sizeof(head) - 1;
	/* Each input line is one challenge header. */
	for (start = 0; start <= size; ) {
		for (i = start; i < size && data[i] != '\n'; i++)
			;
		if (i > start) {
			const char *name = data[start] == 'P' ? "Proxy-Authenticate: "
							      : "WWW-Authenticate: ";
			size_t nl = strlen(name), vl = i - start - (data[start] == 'P');

			memcpy(buf + len, name, nl);
			len += nl;
			memcpy(buf + len, data + start + (data[start] == 'P'), vl);
			len += vl;
			memcpy(buf + len, "\r\n", 2);
			len += 2;
		}
		start = i + 1;
	}
	memcpy(buf + len, "Content-Length: 0\r\n\r\n", 21);
	len += 21;

	if (sip_msg_parse(&m, buf, len, SIP_PARSE_STREAM, &err) == 0) {
		for (k = 0; k < m.nchallenge; k++) {
			if (digest_challenge_from_sip(&m.challenge[k], &c, why, sizeof(why)))
				continue;
			n = digest_authorization(&c, "1000", "secret", "REGISTER",
						 "sip:example.org", "0a4f113b", 1, out, sizeof(out));
			if (n >= 0)
				check_header(&c, out, n);
		}
		if (digest_pick(&m, &c, why, sizeof(why)) == 0) {
			n = digest_authorization(&c, "1000", "secret", "REGISTER",
						 "sip:example.org", "0a4f113b", 2, out, sizeof(out));
			if (n >= 0)
				check_header(&c, out, n);
		}
	}
	sip_msg_free(&m);
	return 0;
}
