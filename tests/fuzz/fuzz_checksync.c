// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the server side of digest authentication
 * (daemon/sip/digest_verify.c) and the NOTIFY check-sync rules
 * (daemon/sip/checksync.c).
 *
 * The first input line is one Authorization value for the parser alone:
 * what it accepts must lie inside the input, carry no quote or backslash
 * in the quoted values, have a response of its algorithm's length, and
 * with qop an nc and a cnonce. The response digest.c computes for the
 * parsed values must then verify, and the same with one digit changed
 * must not. Every input line then becomes an Authorization header of a
 * NOTIFY "Event: check-sync" through msg.c and checksync_handle(), whose
 * answer must be one of the statuses checksync.h lists, and 200 only
 * with a trigger or for a retransmission.
 *
 *   make $PWD/build/fuzz/fuzz_checksync
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/log.h"
#include "../../daemon/sip/checksync.h"
#include "../../daemon/sip/digest.h"
#include "../../daemon/sip/digest_verify.h"
#include "../../daemon/sip/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(struct sip_str s, const char *p, size_t len)
{
	return !s.len || (s.p >= p && s.p + s.len <= p + len);
}

static bool clean(struct sip_str s)
{
	return !s.len || (!memchr(s.p, '"', s.len) && !memchr(s.p, '\\', s.len));
}

static bool cstr(char *dst, size_t size, struct sip_str s)
{
	if (s.len >= size)
		return false;
	if (s.len)		/* an absent value is { NULL, 0 } */
		memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
	return true;
}

static void check_parser(const char *p, size_t len)
{
	struct digest_credentials cr;
	struct digest_challenge c = { 0 };
	char why[160], user[256], uri[1024], cnonce[256], hex[65];
	size_t hexlen;

	if (digest_credentials_parse((struct sip_str){ p, len }, &cr, why, sizeof(why))) {
		if (!why[0])
			abort();
		return;
	}
	if (!inside(cr.username, p, len) || !inside(cr.realm, p, len) || !inside(cr.nonce, p, len) ||
	    !inside(cr.uri, p, len) || !inside(cr.response, p, len) || !inside(cr.cnonce, p, len) ||
	    !inside(cr.opaque, p, len))
		abort();
	if (!clean(cr.username) || !clean(cr.realm) || !clean(cr.nonce) || !clean(cr.uri))
		abort();
	hexlen = cr.alg == DIGEST_SHA256 ? 64 : 32;
	if (cr.response.len != hexlen || !cr.username.len || !cr.nonce.len || !cr.uri.len)
		abort();
	if (cr.qop_auth && !cr.cnonce.len)
		abort();

	/* The right response for these values verifies; one digit off does not. */
	c.alg = cr.alg;
	c.qop_auth = cr.qop_auth;
	if (!cstr(c.realm, sizeof(c.realm), cr.realm) || !cstr(c.nonce, sizeof(c.nonce), cr.nonce) ||
	    !cstr(user, sizeof(user), cr.username) || !cstr(uri, sizeof(uri), cr.uri) ||
	    !cstr(cnonce, sizeof(cnonce), cr.cnonce))
		return;
	if (digest_response(&c, user, "pw", "NOTIFY", uri, cnonce, cr.nc, hex, sizeof(hex)))
		abort();
	cr.response = (struct sip_str){ hex, hexlen };
	if (!digest_verify(&cr, "NOTIFY", "pw"))
		abort();
	hex[hexlen - 1] = hex[hexlen - 1] == '0' ? '1' : '0';
	if (digest_verify(&cr, "NOTIFY", "pw"))
		abort();
}

static void check_handler(const char *data, size_t size)
{
	static char buf[SIP_MAX_MSG + 1024];
	static struct checksync cs;
	static const struct checksync_account a = {
		.user = "1000", .auth_user = "", .password = "pw", .realm = "example.org",
	};
	struct checksync_reply rep;
	struct sip_error err;
	struct sip_msg m;
	size_t len, i, start;
	int n;

	len = snprintf(buf, sizeof(buf),
		       "NOTIFY sip:1000@127.0.0.1:5070;transport=tcp SIP/2.0\r\n"
		       "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKfz\r\n"
		       "From: <sip:pbx@example.org>;tag=f\r\n"
		       "To: <sip:1000@example.org>\r\n"
		       "Call-ID: fz@pbx\r\n"
		       "CSeq: 1 NOTIFY\r\n"
		       "Event: check-sync\r\n");
	for (start = 0, i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		n = snprintf(buf + len, sizeof(buf) - len, "Authorization: %.*s\r\n",
			     (int)(i - start), data + start);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			return;
		len += n;
		start = i + 1;
	}
	n = snprintf(buf + len, sizeof(buf) - len, "Content-Length: 0\r\n\r\n");
	if (n < 0 || (size_t)n >= sizeof(buf) - len)
		return;
	len += n;
	if (sip_msg_parse(&m, buf, len, SIP_PARSE_STREAM, &err) == 0) {
		checksync_init(&cs);
		checksync_handle(&cs, &m, &a, 1000, &rep);
		switch (rep.status) {
		case 400: case 403: case 500:
			break;
		case 401:
			if (rep.nchallenge != CHECKSYNC_MAX_CHALLENGES)
				abort();
			break;
		default:
			/* 200 needs the password's response to a nonce we issued: not from here. */
			abort();
		}
		if (rep.trigger)
			abort();
	}
	sip_msg_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl;

	if (size > 8192)
		return 0;
	log_set_level(getenv("FUZZ_CHECKSYNC_LOG") ? LOGL_DEBUG : LOGL_ERROR);
	nl = memchr(data, '\n', size);
	check_parser((const char *)data, nl ? (size_t)(nl - (const char *)data) : size);
	check_handler((const char *)data, size);
	return 0;
}
