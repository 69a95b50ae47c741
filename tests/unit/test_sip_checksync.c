// SPDX-License-Identifier: GPL-2.0
/*
 * Server-side digest (daemon/sip/digest_verify.c) and the NOTIFY
 * check-sync rules (daemon/sip/checksync.c).
 *
 * The verifier is checked against the published examples, RFC 7616 3.9.1
 * (MD5 and SHA-256) and RFC 2617 3.5, as the Authorization header values
 * given there; the handler with NOTIFYs as a registrar sends them through
 * a proxy, answered with the client side of digest.c, the way heraldd
 * itself answers its registrar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/sip/checksync.h"
#include "../../daemon/sip/digest.h"
#include "../../daemon/sip/digest_verify.h"
#include "../../daemon/sip/msg.h"

static struct sip_str S(const char *s)
{
	return (struct sip_str){ s, strlen(s) };
}

/* ---- the verifier ------------------------------------------------------- */

#define RFC7616_NONCE "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define RFC7616_OPAQUE "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
#define RFC7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

static const char rfc7616_md5[] =
	"Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
	"algorithm=MD5, nonce=\"" RFC7616_NONCE "\", nc=00000001, cnonce=\"" RFC7616_CNONCE "\", "
	"qop=auth, response=\"8ca523f5e9506fed4657c9700eebdbec\", opaque=\"" RFC7616_OPAQUE "\"";

static const char rfc7616_sha256[] =
	"Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
	"algorithm=SHA-256, nonce=\"" RFC7616_NONCE "\", nc=00000001, cnonce=\"" RFC7616_CNONCE "\", "
	"qop=auth, response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", "
	"opaque=\"" RFC7616_OPAQUE "\"";

/* RFC 2617 3.5, with the folding removed. */
static const char rfc2617[] =
	"Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
	"nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, "
	"nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
	"opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

static void verify_rfc7616(void **state)
{
	struct digest_credentials cr;
	char why[160];

	assert_int_equal(digest_credentials_parse(S(rfc7616_md5), &cr, why, sizeof(why)), 0);
	assert_int_equal(cr.alg, DIGEST_MD5);
	assert_true(cr.qop_auth);
	assert_int_equal(cr.nc, 1);
	assert_true(sip_str_eq(cr.username, "Mufasa"));
	assert_true(sip_str_eq(cr.uri, "/dir/index.html"));
	assert_true(digest_verify(&cr, "GET", "Circle of Life"));
	assert_false(digest_verify(&cr, "GET", "Circle Of Life"));
	assert_false(digest_verify(&cr, "POST", "Circle of Life"));

	assert_int_equal(digest_credentials_parse(S(rfc7616_sha256), &cr, why, sizeof(why)), 0);
	assert_int_equal(cr.alg, DIGEST_SHA256);
	assert_true(digest_verify(&cr, "GET", "Circle of Life"));
	assert_false(digest_verify(&cr, "GET", "circle of life"));
	/* Another count: another response. */
	cr.nc = 2;
	assert_false(digest_verify(&cr, "GET", "Circle of Life"));
}

static void verify_rfc2617(void **state)
{
	struct digest_credentials cr;
	char why[160], copy[sizeof(rfc2617)], *p;

	assert_int_equal(digest_credentials_parse(S(rfc2617), &cr, why, sizeof(why)), 0);
	assert_int_equal(cr.alg, DIGEST_MD5);
	assert_true(digest_verify(&cr, "GET", "Circle Of Life"));
	assert_false(digest_verify(&cr, "GET", "Circle Of Life "));

	/* One digit of the response changed. */
	memcpy(copy, rfc2617, sizeof(copy));
	p = strstr(copy, "6629fae4");
	p[0] = '7';
	assert_int_equal(digest_credentials_parse(S(copy), &cr, why, sizeof(why)), 0);
	assert_false(digest_verify(&cr, "GET", "Circle Of Life"));
	/* The last one. */
	memcpy(copy, rfc2617, sizeof(copy));
	p = strstr(copy, "507c4ef1");
	p[7] = '0';
	assert_int_equal(digest_credentials_parse(S(copy), &cr, why, sizeof(why)), 0);
	assert_false(digest_verify(&cr, "GET", "Circle Of Life"));
}

static void parse_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
		"Digest",
		"Digestusername=\"a\"",
		/* a required parameter missing */
		"Digest realm=\"r\", nonce=\"n\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", nonce=\"n\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\"",
		/* twice */
		"Digest username=\"a\", username=\"b\", realm=\"r\", nonce=\"n\", uri=\"u\", "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		/* unquoted where quotes are required, unterminated, escaped */
		"Digest username=a, realm=\"r\", nonce=\"n\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a, realm=\"r\", nonce=\"n\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\\\"\", realm=\"r\", nonce=\"n\", uri=\"u\", "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		/* algorithms we do not do, qop other than auth */
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", algorithm=SHA-512-256, "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", algorithm=MD5-sess, "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", qop=auth-int, nc=00000001, "
		"cnonce=\"c\", response=\"6629fae49393a05397450978507c4ef1\"",
		/* qop without nc or cnonce, nc not 8 hex, nc without qop */
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", qop=auth, cnonce=\"c\", "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", qop=auth, nc=00000001, "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", qop=auth, nc=1, cnonce=\"c\", "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", qop=auth, nc=0000000g, cnonce=\"c\", "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", nc=00000001, "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		/* response of the wrong length or case for its algorithm */
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"6629fae4\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", "
		"response=\"6629FAE49393A05397450978507C4EF1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", algorithm=SHA-256, "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		/* empty values, userhash, junk between parameters */
		"Digest username=\"\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", userhash=true, "
		"response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\" realm=\"r\", nonce=\"n\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\"",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\",",
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\", x=",
	};
	struct digest_credentials cr;
	char why[160];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (digest_credentials_parse(S(bad[i]), &cr, why, sizeof(why)) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_true(why[0]);
	}
	/* Unknown auth-params are extensions; no qop is the RFC 2069 form (parsed, refused later). */
	assert_int_equal(digest_credentials_parse(S("Digest username=\"a\", realm=\"r\", nonce=\"n\", "
						    "uri=\"u\", response=\"6629fae49393a05397450978507c4ef1\", "
						    "foo=bar, x=\"y, z\""), &cr, why, sizeof(why)), 0);
	assert_false(cr.qop_auth);
	/* Quoted qop and algorithm (some clients quote them), any case of the names. */
	assert_int_equal(digest_credentials_parse(S("digest USERNAME=\"a\",realm=\"r\",nonce=\"n\",uri=\"u\","
						    "qop=\"auth\",algorithm=\"sha-256\",nc=0000000A,cnonce=\"c\","
						    "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""),
						  &cr, why, sizeof(why)), 0);
	assert_int_equal(cr.alg, DIGEST_SHA256);
	assert_int_equal(cr.nc, 10);
}

static void nonce_expiry_and_replay(void **state)
{
	struct digest_nonces ns = { 0 };
	char n1[DIGEST_NONCE_HEX + 1], n2[DIGEST_NONCE_HEX + 1], first[DIGEST_NONCE_HEX + 1];
	unsigned int i;

	assert_int_equal(digest_nonce_new(&ns, 1000, n1), 0);
	assert_int_equal(strlen(n1), DIGEST_NONCE_HEX);
	assert_int_equal(strspn(n1, "0123456789abcdef"), DIGEST_NONCE_HEX);
	assert_int_equal(digest_nonce_new(&ns, 1000, n2), 0);
	assert_string_not_equal(n1, n2);

	assert_int_equal(digest_nonce_use(&ns, S(n1), 1, 2000), DIGEST_NONCE_OK);
	assert_int_equal(digest_nonce_use(&ns, S(n1), 1, 2000), DIGEST_NONCE_REPLAY);
	assert_int_equal(digest_nonce_use(&ns, S(n1), 2, 2001), DIGEST_NONCE_OK);
	assert_int_equal(digest_nonce_use(&ns, S(n1), 1, 2002), DIGEST_NONCE_REPLAY);
	/* Never issued, or a prefix of one. */
	assert_int_equal(digest_nonce_use(&ns, S("00112233445566778899aabbccddeeff"), 1, 2000),
			 DIGEST_NONCE_STALE);
	assert_int_equal(digest_nonce_use(&ns, (struct sip_str){ n2, 31 }, 1, 2000), DIGEST_NONCE_STALE);
	/* The lifetime is inclusive; a millisecond later it is stale, and stays so. */
	assert_int_equal(digest_nonce_use(&ns, S(n2), 1, 1000 + DIGEST_NONCE_LIFETIME_MS), DIGEST_NONCE_OK);
	assert_int_equal(digest_nonce_use(&ns, S(n1), 3, 1001 + DIGEST_NONCE_LIFETIME_MS),
			 DIGEST_NONCE_STALE);
	assert_int_equal(digest_nonce_use(&ns, S(n1), 4, 1002), DIGEST_NONCE_STALE);

	/* A full table reuses the oldest slot. */
	memset(&ns, 0, sizeof(ns));
	assert_int_equal(digest_nonce_new(&ns, 5000, first), 0);
	for (i = 1; i < DIGEST_NONCE_SLOTS; i++)
		assert_int_equal(digest_nonce_new(&ns, 5000 + i, n1), 0);
	assert_int_equal(digest_nonce_use(&ns, S(first), 1, 6000), DIGEST_NONCE_OK);
	assert_int_equal(digest_nonce_new(&ns, 7000, n2), 0);
	assert_int_equal(digest_nonce_use(&ns, S(first), 2, 7000), DIGEST_NONCE_STALE);
	assert_int_equal(digest_nonce_use(&ns, S(n1), 1, 7000), DIGEST_NONCE_OK);
	assert_int_equal(digest_nonce_use(&ns, S(n2), 1, 7000), DIGEST_NONCE_OK);
}

/* ---- the NOTIFY handler ------------------------------------------------- */

static struct sip_msg m;
static struct checksync cs;
static struct checksync_reply rep;
static const struct checksync_account acct = {
	.user = "1000", .auth_user = "", .password = "s3cret-1000", .realm = "example.org",
};

/* The Request-URI as a proxy rewrote it to our registered contact. */
#define RURI "sip:1000@127.0.0.1:5070;transport=tcp"

/* Parse a NOTIFY with @extra header lines into m. */
static void notify(const char *branch, unsigned int cseq, const char *extra)
{
	char buf[4096];
	struct sip_error err;
	int n;

	n = snprintf(buf, sizeof(buf),
		     "NOTIFY " RURI " SIP/2.0\r\n"
		     "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK%s\r\n"
		     "Max-Forwards: 69\r\n"
		     "From: <sip:pbx@example.org>;tag=f1\r\n"
		     "To: <sip:1000@example.org>\r\n"
		     "Call-ID: cs-1@pbx\r\n"
		     "CSeq: %u NOTIFY\r\n"
		     "%s"
		     "Content-Length: 0\r\n\r\n", branch, cseq, extra);
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	sip_msg_free(&m);
	if (sip_msg_parse(&m, buf, n, SIP_PARSE_STREAM, &err))
		fail_msg("NOTIFY does not parse: %s", err.text);
}

static void handle(uint64_t now)
{
	checksync_handle(&cs, &m, &acct, now, &rep);
}

/* Challenge @i of the last 401, as digest.c (the client side) takes it. */
static void take_challenge(unsigned int i, struct digest_challenge *c)
{
	struct sip_msg r;
	struct sip_error err;
	char buf[2048], why[160];
	int n;

	assert_true(i < rep.nchallenge);
	n = snprintf(buf, sizeof(buf),
		     "SIP/2.0 401 Unauthorized\r\n"
		     "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKx\r\n"
		     "From: <sip:pbx@example.org>;tag=f1\r\n"
		     "To: <sip:1000@example.org>;tag=t\r\n"
		     "Call-ID: cs-1@pbx\r\n"
		     "CSeq: 1 NOTIFY\r\n"
		     "WWW-Authenticate: %s\r\n"
		     "Content-Length: 0\r\n\r\n", rep.www_authenticate[i]);
	assert_int_equal(sip_msg_parse(&r, buf, n, SIP_PARSE_STREAM, &err), 0);
	assert_int_equal(r.nchallenge, 1);
	assert_int_equal(digest_challenge_from_sip(&r.challenge[0], c, why, sizeof(why)), 0);
	sip_msg_free(&r);
}

/* "Authorization: ...\r\n" for @c, as user @user with @password over @uri. */
static void authorization(char *out, size_t size, const struct digest_challenge *c, const char *user,
			  const char *password, const char *uri, uint32_t nc, const char *more)
{
	char value[1024];

	assert_true(digest_authorization(c, user, password, "NOTIFY", uri, "0a4f113b", nc,
					 value, sizeof(value)) > 0);
	snprintf(out, size, "Authorization: %s\r\n%s", value, more);
}

static int setup(void **state)
{
	checksync_init(&cs);
	return 0;
}

static int teardown(void **state)
{
	sip_msg_free(&m);
	memset(&m, 0, sizeof(m));
	checksync_clear(&cs);
	return 0;
}

static void event_missing_or_other(void **state)
{
	notify("a1", 1, "");
	handle(1000);
	assert_int_equal(rep.status, 400);
	assert_false(rep.trigger);
	assert_int_equal(rep.nchallenge, 0);

	notify("a2", 2, "Event: message-summary\r\n");
	handle(1000);
	assert_int_equal(rep.status, 489);
	assert_true(rep.allow_events);
	assert_false(rep.trigger);

	/* The event package is checked before the credentials: no challenge for foo. */
	notify("a3", 3, "Event: foo\r\nAuthorization: Digest username=\"1000\"\r\n");
	handle(1000);
	assert_int_equal(rep.status, 489);
}

static void challenge_then_200(void **state)
{
	struct digest_challenge c;
	char extra[2048];

	notify("b1", 1, "Event: check-sync\r\n");
	handle(1000);
	assert_int_equal(rep.status, 401);
	assert_false(rep.trigger);
	assert_int_equal(rep.nchallenge, 2);
	/* SHA-256 first, then MD5, each with realm, qop and its own nonce. */
	take_challenge(0, &c);
	assert_int_equal(c.alg, DIGEST_SHA256);
	assert_string_equal(c.realm, "example.org");
	assert_true(c.qop_auth);
	assert_false(c.stale);
	assert_int_equal(strlen(c.nonce), DIGEST_NONCE_HEX);
	take_challenge(1, &c);
	assert_int_equal(c.alg, DIGEST_MD5);
	assert_true(strstr(rep.www_authenticate[0], c.nonce) == NULL);

	/* MD5, over the Request-URI as we got it. */
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", RURI, 1,
		      "Event: check-sync\r\n");
	notify("b2", 2, extra);
	handle(1500);
	assert_int_equal(rep.status, 200);
	assert_true(rep.trigger);

	/* Its retransmission: 200 again, nothing more triggered. */
	handle(1600);
	assert_int_equal(rep.status, 200);
	assert_false(rep.trigger);

	/* The same credentials in a new request: a replay. */
	notify("b3", 3, extra);
	handle(1700);
	assert_int_equal(rep.status, 403);
	assert_false(rep.trigger);

	/* The next count with the same nonce is fine. */
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", RURI, 2,
		      "Event: check-sync\r\n");
	notify("b4", 4, extra);
	handle(1800);
	assert_int_equal(rep.status, 200);
	assert_true(rep.trigger);
}

static void sha256_over_the_aor_with_reboot(void **state)
{
	struct digest_challenge c;
	char extra[2048];

	notify("c1", 1, "Event: check-sync;reboot=true\r\n");
	handle(1000);
	assert_int_equal(rep.status, 401);
	take_challenge(0, &c);
	/* The sender computed it over the AOR, before the proxy rewrote the Request-URI. */
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", "sip:1000@example.org:5060", 1,
		      "Event: check-sync;reboot=true\r\n");
	notify("c2", 2, extra);
	handle(1100);
	assert_int_equal(rep.status, 200);
	assert_true(rep.trigger);
}

static void wrong_credentials(void **state)
{
	struct digest_challenge c;
	char extra[2048];

	notify("d1", 1, "Event: check-sync\r\n");
	handle(1000);
	take_challenge(0, &c);

	authorization(extra, sizeof(extra), &c, "1000", "wrong", RURI, 1, "Event: check-sync\r\n");
	notify("d2", 2, extra);
	handle(1100);
	assert_int_equal(rep.status, 403);
	assert_false(rep.trigger);

	authorization(extra, sizeof(extra), &c, "1001", "s3cret-1000", RURI, 1, "Event: check-sync\r\n");
	notify("d3", 3, extra);
	handle(1100);
	assert_int_equal(rep.status, 403);
	assert_false(rep.trigger);

	/* Another uri: neither ours nor the AOR. */
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", "sip:1001@example.org", 1,
		      "Event: check-sync\r\n");
	notify("d4", 4, extra);
	handle(1100);
	assert_int_equal(rep.status, 400);
	assert_false(rep.trigger);
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", "sip:1000@example.org:50x", 1,
		      "Event: check-sync\r\n");
	notify("d5", 5, extra);
	handle(1100);
	assert_int_equal(rep.status, 400);

	/* Credentials for another realm: none for ours, so a challenge. */
	snprintf(c.realm, sizeof(c.realm), "other.example");
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", RURI, 1, "Event: check-sync\r\n");
	notify("d6", 6, extra);
	handle(1100);
	assert_int_equal(rep.status, 401);

	/* Without qop (RFC 2069): refused, we offered only qop=auth. */
	snprintf(c.realm, sizeof(c.realm), "example.org");
	c.qop_auth = false;
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", RURI, 1, "Event: check-sync\r\n");
	notify("d7", 7, extra);
	handle(1100);
	assert_int_equal(rep.status, 400);

	/* Garbage in the header. */
	notify("d8", 8, "Event: check-sync\r\nAuthorization: Digest username=\"1000\", realm=\r\n");
	handle(1100);
	assert_int_equal(rep.status, 400);

	/* The right one still works: the failures used nothing up. */
	c.qop_auth = true;
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", RURI, 1, "Event: check-sync\r\n");
	notify("d9", 9, extra);
	handle(1200);
	assert_int_equal(rep.status, 200);
	assert_true(rep.trigger);
}

static void stale_nonce(void **state)
{
	struct digest_challenge c;
	char extra[2048];

	notify("e1", 1, "Event: check-sync\r\n");
	handle(1000);
	take_challenge(1, &c);
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", RURI, 1, "Event: check-sync\r\n");
	notify("e2", 2, extra);
	handle(1001 + DIGEST_NONCE_LIFETIME_MS);
	assert_int_equal(rep.status, 401);
	assert_false(rep.trigger);
	assert_int_equal(rep.nchallenge, 2);
	assert_non_null(strstr(rep.www_authenticate[0], "stale=true"));
	assert_non_null(strstr(rep.www_authenticate[1], "stale=true"));

	/* A nonce we never gave, with a right response for it: stale too. */
	snprintf(c.nonce, sizeof(c.nonce), "00112233445566778899aabbccddeeff");
	authorization(extra, sizeof(extra), &c, "1000", "s3cret-1000", RURI, 1, "Event: check-sync\r\n");
	notify("e3", 3, extra);
	handle(2000 + DIGEST_NONCE_LIFETIME_MS);
	assert_int_equal(rep.status, 401);
	assert_non_null(strstr(rep.www_authenticate[0], "stale=true"));
	/* With a wrong password it is just wrong. */
	authorization(extra, sizeof(extra), &c, "1000", "nope", RURI, 1, "Event: check-sync\r\n");
	notify("e4", 4, extra);
	handle(2000 + DIGEST_NONCE_LIFETIME_MS);
	assert_int_equal(rep.status, 403);
}

static void auth_user_is_used(void **state)
{
	static const struct checksync_account a2 = {
		.user = "1000", .auth_user = "dev-1000", .password = "pw", .realm = "example.org",
	};
	struct digest_challenge c;
	char extra[2048];

	notify("f1", 1, "Event: check-sync\r\n");
	checksync_handle(&cs, &m, &a2, 1000, &rep);
	take_challenge(0, &c);
	authorization(extra, sizeof(extra), &c, "1000", "pw", RURI, 1, "Event: check-sync\r\n");
	notify("f2", 2, extra);
	checksync_handle(&cs, &m, &a2, 1000, &rep);
	assert_int_equal(rep.status, 403);
	authorization(extra, sizeof(extra), &c, "dev-1000", "pw", RURI, 1, "Event: check-sync\r\n");
	notify("f3", 3, extra);
	checksync_handle(&cs, &m, &a2, 1000, &rep);
	assert_int_equal(rep.status, 200);
	assert_true(rep.trigger);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verify_rfc7616),
		cmocka_unit_test(verify_rfc2617),
		cmocka_unit_test(parse_refused),
		cmocka_unit_test(nonce_expiry_and_replay),
		cmocka_unit_test_setup_teardown(event_missing_or_other, setup, teardown),
		cmocka_unit_test_setup_teardown(challenge_then_200, setup, teardown),
		cmocka_unit_test_setup_teardown(sha256_over_the_aor_with_reboot, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_nonce, setup, teardown),
		cmocka_unit_test_setup_teardown(auth_user_is_used, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
