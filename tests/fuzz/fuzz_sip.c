// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for daemon/sip/msg.c: stream framing, the parser over
 * both transports, and the response builder. Whenever a request parses (or
 * fails with can_reply), a response built from it must parse back as a
 * response carrying the same Call-ID, CSeq and From tag; it may only fail
 * when the request carried several Via values (proxied: a response with
 * more than one Via is refused, and lower ones may be broken in a request
 * answered with 400).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Idaemon \
 *     -Iuapi tests/fuzz/fuzz_sip.c daemon/sip/msg.c -o build/fuzz/fuzz_sip
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/sip/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sip_msg req, resp;
static char out[SIP_MAX_MSG + 4096];

static bool same(struct sip_str a, struct sip_str b)
{
	return a.len == b.len && (!a.len || !memcmp(a.p, b.p, a.len));
}

static void check_response(int status)
{
	struct sip_builder b;
	struct sip_error err;
	int len;

	sip_build_init(&b, out, sizeof(out));
	if (sip_build_response(&b, &req, status, NULL, "fz7tag", "192.0.2.1", 5060))
		abort();	/* the request had everything it needs */
	sip_build_header(&b, "Server", "herald-fuzz");
	len = sip_build_finish(&b, NULL, NULL, 0);
	if (len < 0)
		return;		/* only when the response outgrows SIP_MAX_MSG */
	if ((size_t)len != strlen(out))
		abort();
	if (sip_msg_parse(&resp, out, len, SIP_PARSE_STREAM, &err)) {
		/*
		 * Every Via value is copied [8.2.6.2]; the client only reads the
		 * top one, which parsed. Lower ones may be broken in a request
		 * answered with 400, and several are an error in a response.
		 */
		unsigned int i, nvia = 0;

		for (i = 0; i < req.nhdrs; i++)
			nvia += req.hdrs[i].id == SIP_HDR_VIA;
		if (nvia < 2)
			abort();
		sip_msg_free(&resp);
		return;
	}
	if (resp.is_request || resp.status != status || resp.nvia != 1 ||
	    !same(resp.call_id, req.call_id) || resp.cseq != req.cseq ||
	    !same(resp.cseq_method_str, req.cseq_method_str) ||
	    !same(resp.from.tag, req.from.tag) || !same(resp.via[0].branch, req.via[0].branch))
		abort();
	if (!req.to.tag.len && !sip_str_eq(resp.to.tag, "fz7tag"))
		abort();
	if (resp.via[0].rport && !req.via[0].rport_value && resp.via[0].rport_value != 5060)
		abort();
	sip_msg_free(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct sip_error err;
	size_t len;
	int i;

	if (sip_msg_frame(text, size, &len) == SIP_FRAME_MESSAGE && (len > size || !len))
		abort();

	for (i = 0; i < 2; i++) {
		int rc = sip_msg_parse(&req, text, size, i ? SIP_PARSE_STREAM : 0, &err);

		if (rc == 0) {
			if (req.body_len > size || err.code != SIP_OK)
				abort();
			if (req.body && req.body[req.body_len] != '\0')
				abort();
			if (req.is_request)
				check_response(200);
		} else {
			if (err.code == SIP_OK || !memchr(err.text, '\0', sizeof(err.text)))
				abort();
			if (err.can_reply != (err.status != 0))
				abort();
			if (err.can_reply)
				check_response(err.status);
		}
		sip_msg_free(&req);
	}
	return 0;
}
