// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/sip/msg.c: real-world shaped messages (Kamailio, baresip, SIPp,
 * Polycom/Zoom-like), the RFC 3261 corner cases (compact forms, folding,
 * escaped quotes, IPv6, lists), the error policy (400 / drop), framing and
 * builder round trips.
 *
 * Messages are written with "\n" and converted to CRLF by crlf().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/sip/msg.h"

static char conv[SIP_MAX_MSG * 2];

/* "\n" -> "\r\n"; a body after the first empty line is kept as is. */
static size_t crlf(const char *in, char *out, size_t size)
{
	size_t o = 0, lead = strspn(in, "\n");
	const char *body = strstr(in + lead, "\n\n");

	for (; *in; in++) {
		if (body && in > body + 1) {
			size_t rest = strlen(in);

			assert_true(o + rest < size);
			memcpy(out + o, in, rest);
			o += rest;
			break;
		}
		if (*in == '\n')
			out[o++] = '\r';
		out[o++] = *in;
		assert_true(o < size);
	}
	out[o] = '\0';
	return o;
}

/* Headers (ending in "\n") + Content-Length + body. */
static size_t with_body(const char *hdrs, const char *body, char *out, size_t size)
{
	char tmp[8192];

	snprintf(tmp, sizeof(tmp), "%sContent-Length: %zu\n\n%s", hdrs, strlen(body), body);
	return crlf(tmp, out, size);
}

static struct sip_msg *msg;

static int setup(void **state)
{
	msg = calloc(1, sizeof(*msg));
	return msg ? 0 : -1;
}

static int teardown(void **state)
{
	sip_msg_free(msg);
	free(msg);
	return 0;
}

static int parse_text(const char *text, unsigned int flags, struct sip_error *err)
{
	size_t n = crlf(text, conv, sizeof(conv));

	sip_msg_free(msg);
	return sip_msg_parse(msg, conv, n, flags, err);
}

static void assert_str(struct sip_str s, const char *want)
{
	char got[512];

	snprintf(got, sizeof(got), "%.*s", (int)s.len, s.p ? s.p : "");
	assert_string_equal(got, want);
}

/* ---- real-world messages ------------------------------------------------- */

static const char baresip_register[] =
	"REGISTER sip:pbx.example.com;transport=tls SIP/2.0\n"
	"Via: SIP/2.0/TLS 192.168.1.20:45678;branch=z9hG4bK8a3f2b1c4d;rport\n"
	"Contact: <sip:1001-0x55d5c8a0@192.168.1.20:45678;transport=tls>;expires=3600\n"
	"Max-Forwards: 70\n"
	"To: <sip:1001@pbx.example.com>\n"
	"From: <sip:1001@pbx.example.com>;tag=5f2d7a1b9c\n"
	"Call-ID: 3c2d1e4f5a6b7c8d\n"
	"CSeq: 61937 REGISTER\n"
	"User-Agent: baresip v1.0.0 (x86_64/linux)\n"
	"Allow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,UPDATE\n"
	"Supported: replaces,norefersub,gruu\n"
	"Content-Length: 0\n"
	"\n";

static void baresip_register_parses(void **state)
{
	struct sip_error err;

	assert_int_equal(parse_text(baresip_register, SIP_PARSE_STREAM, &err), 0);
	assert_true(msg->is_request);
	assert_int_equal(msg->method, SIP_METHOD_REGISTER);
	assert_int_equal(msg->ruri.scheme, SIP_URI_SIP);
	assert_str(msg->ruri.host, "pbx.example.com");
	assert_str(msg->ruri.transport, "tls");
	assert_int_equal(msg->nvia, 1);
	assert_str(msg->via[0].transport, "TLS");
	assert_str(msg->via[0].host, "192.168.1.20");
	assert_int_equal(msg->via[0].port, 45678);
	assert_str(msg->via[0].branch, "z9hG4bK8a3f2b1c4d");
	assert_true(msg->via[0].rport);
	assert_int_equal(msg->via[0].rport_value, 0);
	assert_int_equal(msg->ncontact, 1);
	assert_int_equal(msg->contact[0].expires, 3600);
	assert_str(msg->contact[0].uri.user, "1001-0x55d5c8a0");
	assert_str(msg->from.tag, "5f2d7a1b9c");
	assert_int_equal(msg->to.tag.len, 0);
	assert_str(msg->call_id, "3c2d1e4f5a6b7c8d");
	assert_int_equal(msg->cseq, 61937);
	assert_int_equal(msg->cseq_method, SIP_METHOD_REGISTER);
	assert_int_equal(msg->max_forwards, 70);
	assert_int_equal(msg->nsupported, 3);
	assert_true(sip_msg_supports(msg, "gruu"));
	assert_false(sip_msg_supports(msg, "timer"));
	assert_int_equal(msg->content_length, 0);
	assert_int_equal(msg->body_len, 0);
	/* Allow split into ten values */
	{
		unsigned int i, n = 0;

		for (i = 0; i < msg->nhdrs; i++)
			n += msg->hdrs[i].id == SIP_HDR_ALLOW;
		assert_int_equal(n, 10);
	}
	assert_str(sip_msg_hdr(msg, SIP_HDR_USER_AGENT)->value, "baresip v1.0.0 (x86_64/linux)");
}

static const char kamailio_401[] =
	"SIP/2.0 401 Unauthorized\n"
	"Via: SIP/2.0/TLS 192.168.1.20:45678;branch=z9hG4bK8a3f2b1c4d;rport=45678;"
	"received=203.0.113.5\n"
	"From: <sip:1001@pbx.example.com>;tag=5f2d7a1b9c\n"
	"To: <sip:1001@pbx.example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.a5c4\n"
	"Call-ID: 3c2d1e4f5a6b7c8d\n"
	"CSeq: 61937 REGISTER\n"
	"WWW-Authenticate: Digest realm=\"pbx.example.com\", "
	"nonce=\"ZLqBbWS6gEGXFz6c1mNQkA1kRD7y3bDz\", qop=\"auth\"\n"
	"Server: kamailio (5.6.3 (x86_64/linux))\n"
	"Content-Length: 0\n"
	"\n";

static void kamailio_401_parses(void **state)
{
	struct sip_error err;

	assert_int_equal(parse_text(kamailio_401, SIP_PARSE_STREAM, &err), 0);
	assert_false(msg->is_request);
	assert_int_equal(msg->status, 401);
	assert_str(msg->reason, "Unauthorized");
	assert_int_equal(msg->via[0].rport_value, 45678);
	assert_str(msg->via[0].received, "203.0.113.5");
	assert_str(msg->to.tag, "b27e1a1d33761e85846fc98f5f3a7e58.a5c4");
	assert_int_equal(msg->nchallenge, 1);
	assert_false(msg->challenge[0].proxy);
	assert_str(msg->challenge[0].scheme, "Digest");
	assert_str(msg->challenge[0].realm, "pbx.example.com");
	assert_str(msg->challenge[0].nonce, "ZLqBbWS6gEGXFz6c1mNQkA1kRD7y3bDz");
	assert_true(msg->challenge[0].qop_auth);
	assert_false(msg->challenge[0].qop_auth_int);
	assert_false(msg->challenge[0].stale);
	assert_int_equal(msg->challenge[0].algorithm.len, 0);
}

static void register_200_parses(void **state)
{
	static const char text[] =
		"SIP/2.0 200 OK\n"
		"Via: SIP/2.0/TLS 192.168.1.20:45678;branch=z9hG4bKaa;rport=45678;received=203.0.113.5\n"
		"From: <sip:1001@pbx.example.com>;tag=5f2d7a1b9c\n"
		"To: <sip:1001@pbx.example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.9b1c\n"
		"Call-ID: 3c2d1e4f5a6b7c8d\n"
		"CSeq: 61938 REGISTER\n"
		"Contact: <sip:1001-0x55d5c8a0@192.168.1.20:45678;transport=tls>;expires=600;"
		"received=\"sip:203.0.113.5:45678;transport=TLS\", "
		"<sip:1001@10.9.8.7:5060>;expires=12\n"
		"Date: Sat, 22 Nov 2025 02:10:00 GMT\n"
		"Server: kamailio (5.6.3 (x86_64/linux))\n"
		"Content-Length: 0\n"
		"\n";
	const struct sip_param *pa;

	assert_int_equal(parse_text(text, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->status, 200);
	assert_int_equal(msg->ncontact, 2);
	assert_int_equal(msg->contact[0].expires, 600);
	assert_int_equal(msg->contact[1].expires, 12);
	pa = NULL;
	for (unsigned int i = 0; i < msg->contact[0].nparams; i++)
		if (sip_str_eq(msg->contact[0].params[i].name, "received"))
			pa = &msg->contact[0].params[i];
	assert_non_null(pa);
	assert_str(pa->value, "sip:203.0.113.5:45678;transport=TLS");
	/* Date is not a list header: its comma stays */
	assert_str(sip_msg_hdr_by_name(msg, "date")->value, "Sat, 22 Nov 2025 02:10:00 GMT");
}

static const char sdp_body[] =
	"v=0\r\n"
	"o=user1 53655765 2353687637 IN IP4 192.0.2.1\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.1\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

static void sipp_invite_parses(void **state)
{
	static const char hdrs[] =
		"INVITE sip:service@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5061;branch=z9hG4bK-4142-1-0\n"
		"From: sipp <sip:sipp@192.0.2.1:5061>;tag=4142SIPpTag001\n"
		"To: service <sip:service@192.0.2.10:5060>\n"
		"Call-ID: 1-4142@192.0.2.1\n"
		"CSeq: 1 INVITE\n"
		"Contact: sip:sipp@192.0.2.1:5061\n"
		"Max-Forwards: 70\n"
		"Subject: Performance Test\n"
		"Content-Type: application/sdp\n";
	size_t n = with_body(hdrs, sdp_body, conv, sizeof(conv));

	assert_int_equal(sip_msg_parse(msg, conv, n, 0, NULL), 0);
	assert_int_equal(msg->method, SIP_METHOD_INVITE);
	assert_str(msg->ruri.user, "service");
	assert_int_equal(msg->ruri.port, 5060);
	assert_str(msg->from.display, "sipp");
	assert_str(msg->to.display, "service");
	assert_int_equal(msg->ncontact, 1);
	assert_str(msg->contact[0].uri.host, "192.0.2.1");
	assert_int_equal(msg->contact[0].uri.port, 5061);
	assert_str(msg->content_type, "application/sdp");
	assert_int_equal(msg->body_len, strlen(sdp_body));
	assert_memory_equal(msg->body, sdp_body, msg->body_len);
	assert_int_equal(msg->body[msg->body_len], '\0');
}

/* A PBX page INVITE as Zoom Phone / Polycom-like stacks send them. */
static void pbx_page_invite_parses(void **state)
{
	static const char hdrs[] =
		"INVITE sips:802@10.0.0.5:5061;transport=tls SIP/2.0\n"
		"Via: SIP/2.0/TLS 162.12.233.59:5061;branch=z9hG4bK-524287-1---a7f1c0d2e8d7b6a5;rport\n"
		"Via: SIP/2.0/TLS 10.20.0.3:5061;branch=z9hG4bKc0a8.1f2e3d4c.0, "
		"SIP/2.0/TLS 10.20.0.2;branch=z9hG4bK776asdhds\n"
		"Record-Route: <sip:162.12.233.59:5061;transport=tls;lr;r2=on>, "
		"<sip:10.20.0.3:5061;transport=tls;lr>\n"
		"Max-Forwards: 68\n"
		"Contact: <sip:+14085551234@162.12.233.59:5061;transport=tls>\n"
		"To: <sips:802@pbx.zoom.example>\n"
		"From: \"Front Desk\" <sips:+14085551234@pbx.zoom.example>;tag=9fxced76sl\n"
		"Call-ID: ZmVkY2JhOTg3NjU0MzIxMA..@162.12.233.59\n"
		"CSeq: 2 INVITE\n"
		"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, UPDATE\n"
		"Alert-Info: <http://127.0.0.1/page>;info=alert-autoanswer;delay=0\n"
		"Call-Info: <sip:pbx.zoom.example>;answer-after=0\n"
		"P-Asserted-Identity: \"Front Desk\" <sip:+14085551234@pbx.zoom.example>\n"
		"Supported: timer, replaces\n"
		"Session-Expires: 1800;refresher=uac\n"
		"Min-SE: 90\n"
		"Content-Type: application/sdp\n";
	size_t n = with_body(hdrs, sdp_body, conv, sizeof(conv));

	assert_int_equal(sip_msg_parse(msg, conv, n, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->ruri.scheme, SIP_URI_SIPS);
	assert_int_equal(msg->nvia, 3);
	assert_str(msg->via[1].branch, "z9hG4bKc0a8.1f2e3d4c.0");
	assert_str(msg->via[2].host, "10.20.0.2");
	assert_int_equal(msg->via[2].port, 0);
	assert_int_equal(msg->nrecord_route, 2);
	assert_true(msg->record_route[0].uri.lr);
	assert_str(msg->record_route[1].uri.host, "10.20.0.3");
	assert_str(msg->from.display, "Front Desk");
	assert_int_equal(msg->from.uri.scheme, SIP_URI_SIPS);
	assert_str(msg->from.uri.user, "+14085551234");
	assert_int_equal(msg->session_expires, 1800);
	assert_str(msg->se_refresher, "uac");
	assert_true(sip_msg_supports(msg, "timer"));
	assert_int_equal(msg->max_forwards, 68);
	assert_str(sip_msg_hdr(msg, SIP_HDR_ALERT_INFO)->value,
		   "<http://127.0.0.1/page>;info=alert-autoanswer;delay=0");
	assert_non_null(sip_msg_hdr_by_name(msg, "P-Asserted-Identity"));
}

/* ---- RFC 3261 corner cases ---------------------------------------------- */

static void compact_forms(void **state)
{
	static const char text[] =
		"INVITE sip:bob@biloxi.example.com SIP/2.0\n"
		"v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\n"
		"t: Bob <sip:bob@biloxi.example.com>\n"
		"f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
		"i: a84b4c76e66710@pc33.atlanta.example.com\n"
		"CSeq: 314159 INVITE\n"
		"m: <sip:alice@pc33.atlanta.example.com>\n"
		"k: timer\n"
		"o: presence;id=4\n"
		"x: 90\n"
		"c: application/sdp\n"
		"l: 0\n"
		"\n";

	assert_int_equal(parse_text(text, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->nvia, 1);
	assert_str(msg->to.display, "Bob");
	assert_str(msg->from.tag, "1928301774");
	assert_str(msg->call_id, "a84b4c76e66710@pc33.atlanta.example.com");
	assert_int_equal(msg->ncontact, 1);
	assert_true(sip_msg_supports(msg, "timer"));
	assert_str(msg->event, "presence");
	assert_str(msg->event_id, "4");
	assert_int_equal(msg->session_expires, 90);
	assert_int_equal(msg->content_length, 0);
	assert_int_equal(msg->max_forwards, -1);	/* tolerated */
	assert_int_equal(sip_msg_hdr(msg, SIP_HDR_CALL_ID)->id, SIP_HDR_CALL_ID);
}

static void folded_headers(void **state)
{
	static const char text[] =
		"\n\n"	/* leading CRLFs are skipped [7.5] */
		"OPTIONS sip:carol@chicago.example.com SIP/2.0\n"
		"Via: SIP/2.0/UDP pc33.atlanta.example.com\n"
		"  ;branch=z9hG4bKhjhs8ass877\n"
		"Max-Forwards: 70\n"
		"To: <sip:carol@chicago.example.com>\n"
		"From: Alice\n"
		"\t<sip:alice@atlanta.example.com>;tag=1928301774\n"
		"Call-ID: a84b4c76e66710\n"
		"CSeq: 63104 OPTIONS\n"
		"Subject: I know you're there,\n"
		"     pull up the phone\n"
		"Accept: application/sdp\n"
		"Content-Length: 0\n"
		"\n";

	assert_int_equal(parse_text(text, SIP_PARSE_STREAM, NULL), 0);
	assert_str(msg->via[0].branch, "z9hG4bKhjhs8ass877");
	assert_str(msg->from.display, "Alice");
	assert_str(msg->from.uri.user, "alice");
	assert_str(sip_msg_hdr(msg, SIP_HDR_SUBJECT)->value,
		   "I know you're there, pull up the phone");
}

static void quoted_display_names(void **state)
{
	static const char text[] =
		"BYE sip:bob@192.0.2.4 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n"
		"Max-Forwards: 70\n"
		"From: \"Bob \\\"the\\\" Smith, Jr.\" <sip:bob@example.com>;tag=a1\n"
		"To: \"<not a uri>\"<sip:al%69ce@example.com>;tag=b2\n"
		"Call-ID: x@y\n"
		"CSeq: 2 BYE\n"
		"Contact: \"A, B\" <sip:a@example.com>, <sip:b,c@example.com;x=1>\n"
		"Content-Length: 0\n"
		"\n";

	assert_int_equal(parse_text(text, 0, NULL), 0);
	assert_str(msg->from.display, "Bob \"the\" Smith, Jr.");
	assert_str(msg->to.display, "<not a uri>");
	assert_str(msg->to.uri.user, "alice");	/* %69 decoded */
	assert_int_equal(msg->ncontact, 2);
	assert_str(msg->contact[0].display, "A, B");
	assert_str(msg->contact[1].uri.raw, "sip:b,c@example.com;x=1");
	assert_str(msg->contact[1].uri.user, "b,c");
}

static void ipv6_via_and_contact(void **state)
{
	static const char text[] =
		"REGISTER sip:[2001:db8::10] SIP/2.0\n"
		"Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;received=2001:db8::9;rport=5062\n"
		"Max-Forwards: 70\n"
		"From: <sip:alice@[2001:db8::10]>;tag=1\n"
		"To: <sip:alice@[2001:db8::10]>\n"
		"Call-ID: 843817637684230@[2001:db8::1]\n"
		"CSeq: 1 REGISTER\n"
		"Contact: <sip:alice@[2001:db8::1]:5060;transport=udp>\n"
		"Expires: 7200\n"
		"Content-Length: 0\n"
		"\n";

	assert_int_equal(parse_text(text, 0, NULL), 0);
	assert_true(msg->ruri.host_ipv6);
	assert_str(msg->ruri.host, "2001:db8::10");
	assert_true(msg->via[0].host_ipv6);
	assert_str(msg->via[0].host, "2001:db8::1");
	assert_int_equal(msg->via[0].port, 5060);
	assert_str(msg->via[0].received, "2001:db8::9");
	assert_int_equal(msg->via[0].rport_value, 5062);
	assert_true(msg->contact[0].uri.host_ipv6);
	assert_int_equal(msg->contact[0].uri.port, 5060);
	assert_int_equal(msg->expires, 7200);

	/* a bad IPv6 reference */
	assert_int_equal(parse_text("OPTIONS sip:[2001:db8::zz] SIP/2.0\n"
				    "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
				    "From: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: c\n"
				    "CSeq: 1 OPTIONS\n\n", 0, NULL), -1);
}

static void uri_details(void **state)
{
	static const char text[] =
		"INVITE sip:alice:secretword@atlanta.example.com:5061;transport=tcp;maddr=239.255.255.1;"
		"lr;user=phone?subject=project%20x&priority=urgent SIP/2.0\n"
		"Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\n"
		"Max-Forwards: 70\n"
		"From: sip:alice@atlanta.example.com;tag=9fxced76sl\n"
		"To: <tel:+1-212-555-1212;phone-context=example.com>\n"
		"Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\n"
		"Call-ID: 3848276298220188511@atlanta.example.com\n"
		"CSeq: 1 INVITE\n"
		"Contact: *\n"
		"Content-Length: 0\n"
		"\n";

	assert_int_equal(parse_text(text, SIP_PARSE_STREAM, NULL), 0);
	assert_true(msg->ruri.has_password);
	assert_str(msg->ruri.user, "alice");
	assert_int_equal(msg->ruri.port, 5061);
	assert_str(msg->ruri.transport, "tcp");
	assert_str(msg->ruri.maddr, "239.255.255.1");
	assert_str(msg->ruri.user_param, "phone");
	assert_true(msg->ruri.lr);
	assert_str(msg->ruri.headers, "subject=project%20x&priority=urgent");
	/* addr-spec: ;tag belongs to the header, not the URI */
	assert_str(msg->from.tag, "9fxced76sl");
	assert_int_equal(msg->from.uri.nparams, 0);
	assert_int_equal(msg->to.uri.scheme, SIP_URI_TEL);
	assert_str(msg->to.uri.user, "+1-212-555-1212");
	assert_int_equal(msg->nroute, 2);
	assert_str(msg->route[1].uri.host, "p2.example.com");
	assert_true(msg->contact[0].star);
}

static void list_headers_and_extensions(void **state)
{
	static const char text[] =
		"NOTIFY sip:802@10.0.0.5:5061;transport=tls SIP/2.0\n"
		"Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK9;ttl=16;maddr=224.2.0.1\n"
		"Max-Forwards: 70\n"
		"From: <sip:802@pbx.example.com>;tag=n1\n"
		"To: <sip:802@pbx.example.com>;tag=s1\n"
		"Call-ID: sub-1\n"
		"CSeq: 7 NOTIFY\n"
		"Event: message-summary\n"
		"Subscription-State: active;expires=3599;reason=timeout\n"
		"Require: 100rel, timer\n"
		"Warning: 301 isi.edu \"Incompatible network \\\"address\\\" type\", "
		"399 devnull \"Whatever\"\n"
		"Min-Expires: 60\n"
		"Content-Length: 0\n"
		"\n";

	assert_int_equal(parse_text(text, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->via[0].ttl, 16);
	assert_str(msg->via[0].maddr, "224.2.0.1");
	assert_str(msg->event, "message-summary");
	assert_str(msg->sub_state, "active");
	assert_int_equal(msg->sub_expires, 3599);
	assert_str(msg->sub_reason, "timeout");
	assert_int_equal(msg->nrequire, 2);
	assert_true(sip_msg_requires(msg, "100rel"));
	assert_int_equal(msg->nwarning, 2);
	assert_int_equal(msg->warning[0].code, 301);
	assert_str(msg->warning[0].agent, "isi.edu");
	assert_str(msg->warning[0].text, "Incompatible network \"address\" type");
	assert_int_equal(msg->warning[1].code, 399);
	assert_int_equal(msg->min_expires, 60);
}

static void proxy_challenge(void **state)
{
	static const char text[] =
		"SIP/2.0 407 Proxy Authentication Required\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK77\n"
		"From: <sip:a@example.com>;tag=1\n"
		"To: <sip:b@example.com>;tag=2\n"
		"Call-ID: c1\n"
		"CSeq: 2 INVITE\n"
		"Proxy-Authenticate: Digest realm=\"example.com\",domain=\"sip:example.com\","
		"nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",opaque=\"\",stale=TRUE,"
		"algorithm=SHA-256,qop=\"auth,auth-int\"\n"
		"Proxy-Authenticate: Digest realm=\"example.com\", nonce=\"abc\", algorithm=MD5\n"
		"Expires: 99999999999\n"
		"Content-Length: 0\n"
		"\n";
	const struct sip_challenge *c;

	assert_int_equal(parse_text(text, 0, NULL), 0);
	assert_int_equal(msg->nchallenge, 2);
	c = &msg->challenge[0];
	assert_true(c->proxy);
	assert_str(c->domain, "sip:example.com");
	assert_str(c->nonce, "f84f1cec41e6cbe5aea9c8e88d359");
	assert_non_null(c->opaque.p);
	assert_int_equal(c->opaque.len, 0);
	assert_true(c->stale);
	assert_str(c->algorithm, "SHA-256");
	assert_true(c->qop_auth);
	assert_true(c->qop_auth_int);
	assert_str(msg->challenge[1].algorithm, "MD5");
	assert_int_equal(msg->expires, 0xffffffffLL);	/* saturates [20.19] */

	/* Digest without a nonce */
	assert_int_equal(parse_text("SIP/2.0 401 Unauthorized\n"
				    "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
				    "From: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: c\n"
				    "CSeq: 1 REGISTER\nWWW-Authenticate: Digest realm=\"x\"\n\n",
				    0, NULL), -1);
}

/* ---- errors -------------------------------------------------------------- */

static const char good_head[] =
	"INVITE sip:bob@example.com SIP/2.0\n"
	"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n"
	"Max-Forwards: 70\n"
	"From: <sip:a@example.com>;tag=1\n"
	"To: <sip:bob@example.com>\n"
	"Call-ID: c1\n";

static void expect_error(const char *text, unsigned int flags, enum sip_err code, int status,
			 bool can_reply)
{
	struct sip_error err;

	assert_int_equal(parse_text(text, flags, &err), -1);
	if (err.code != code)
		fail_msg("got %s (%s), want %s", sip_err_name(err.code), err.text,
			 sip_err_name(code));
	assert_int_equal(err.status, status);
	assert_int_equal(err.can_reply, can_reply);
	assert_true(strlen(err.text) > 0);
}

static void content_length_rules(void **state)
{
	char text[1024];
	struct sip_error err;

	/* stream: missing */
	snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\n\n", good_head);
	expect_error(text, SIP_PARSE_STREAM, SIP_E_CONTENT_LENGTH, 400, true);
	/* datagram: missing is fine, the body is the rest */
	snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\n\nhello", good_head);
	assert_int_equal(parse_text(text, 0, NULL), 0);
	assert_int_equal(msg->body_len, 5);
	/* stream: mismatch */
	snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\nContent-Length: 4\n\nhello", good_head);
	expect_error(text, SIP_PARSE_STREAM, SIP_E_CONTENT_LENGTH, 400, true);
	/* datagram: extra bytes cut off */
	assert_int_equal(parse_text(text, 0, NULL), 0);
	assert_int_equal(msg->body_len, 4);
	assert_string_equal(msg->body, "hell");
	/* datagram: too short */
	snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\nContent-Length: 40\n\nhello", good_head);
	expect_error(text, 0, SIP_E_CONTENT_LENGTH, 400, true);
	/* twice: smuggling */
	snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\nContent-Length: 5\nl: 0\n\nhello",
		 good_head);
	expect_error(text, 0, SIP_E_DUPLICATE, 400, true);
	/* not a number */
	snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\nContent-Length: -1\n\n", good_head);
	expect_error(text, 0, SIP_E_CONTENT_LENGTH, 400, true);
	/* a broken top Via over a good one: no answer can reach the sender */
	expect_error("CANCEL sip:bob@example.com SIP/2.0\n"
		     "Via: SIP/2.0/UDP 192.0.2.50:50\x03INVITE sip:bob@example.com SIP/2.0\n"
		     "Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK1\n"
		     "From: <sip:a@example.com>;tag=1\nTo: <sip:bob@example.com>\n"
		     "Call-ID: c1\nCSeq: 1 CANCEL\nContent-Length: 0\n\n", 0, SIP_E_HEADER, 0,
		     false);
	/* a response is dropped, never answered */
	assert_int_equal(parse_text("SIP/2.0 200 OK\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
				    "From: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: c\n"
				    "CSeq: 1 INVITE\nContent-Length: 10\n\nabc", 0, &err), -1);
	assert_int_equal(err.code, SIP_E_CONTENT_LENGTH);
	assert_int_equal(err.status, 0);
}

static void missing_mandatory(void **state)
{
	static const char *const lines[] = {
		"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\n",
		"From: <sip:a@example.com>;tag=1\n",
		"To: <sip:bob@example.com>\n",
		"Call-ID: c1\n",
		"CSeq: 1 OPTIONS\n",
	};
	unsigned int skip, i;

	for (skip = 0; skip < 5; skip++) {
		char text[1024] = "OPTIONS sip:bob@example.com SIP/2.0\n";

		for (i = 0; i < 5; i++)
			if (i != skip)
				strcat(text, lines[i]);
		strcat(text, "\n");
		/* Without one of them no response can be matched: drop. */
		expect_error(text, 0, SIP_E_MISSING, 0, false);
	}
}

static void cseq_and_start_line(void **state)
{
	char text[1024];

	snprintf(text, sizeof(text), "%sCSeq: 1 BYE\n\n", good_head);
	expect_error(text, 0, SIP_E_CSEQ_METHOD, 400, true);
	/* a broken CSeq: a response could not carry it, so drop */
	snprintf(text, sizeof(text), "%sCSeq: 2147483648 INVITE\n\n", good_head);
	expect_error(text, 0, SIP_E_HEADER, 0, false);
	snprintf(text, sizeof(text), "%sCSeq: INVITE\n\n", good_head);
	expect_error(text, 0, SIP_E_HEADER, 0, false);

	/* version: 505 */
	snprintf(text, sizeof(text), "INVITE sip:bob@example.com SIP/3.0\n%s\n",
		 strchr(good_head, '\n') + 1);
	strcpy(text + strlen(text) - 1, "CSeq: 1 INVITE\n\n");
	expect_error(text, 0, SIP_E_VERSION, 505, true);
	/* scheme: 416 */
	snprintf(text, sizeof(text), "INVITE tel:+15551234 SIP/2.0\n%sCSeq: 1 INVITE\n\n",
		 strchr(good_head, '\n') + 1);
	expect_error(text, 0, SIP_E_URI_SCHEME, 416, true);
	/* garbage start lines */
	expect_error("INVITE  sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\n\n", 0, SIP_E_START_LINE, 0,
		     false);
	expect_error("HELLO\n\n", 0, SIP_E_START_LINE, 0, false);
	expect_error("SIP/2.0 2000 OK\n\n", 0, SIP_E_START_LINE, 0, false);
	expect_error("SIP/1.0 200 OK\n\n", 0, SIP_E_VERSION, 0, false);
	/* response with two Via: drop [8.1.3.3] */
	expect_error("SIP/2.0 200 OK\nVia: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b\n"
		     "From: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 INVITE\n\n",
		     0, SIP_E_VIA_COUNT, 0, false);
}

static void line_structure(void **state)
{
	struct sip_error err;
	static const char bare_lf[] = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\n"
				      "From: x\r\n\r\n";
	static const char nul[] = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\0x\r\n\r\n";

	assert_int_equal(sip_msg_parse(msg, bare_lf, sizeof(bare_lf) - 1, 0, &err), -1);
	assert_int_equal(err.code, SIP_E_LINE);
	sip_msg_free(msg);
	assert_int_equal(sip_msg_parse(msg, nul, sizeof(nul) - 1, 0, &err), -1);
	assert_int_equal(err.code, SIP_E_LINE);
	sip_msg_free(msg);
	assert_int_equal(sip_msg_parse(msg, "OPTIONS sip:a@b SIP/2.0\r\n", 25, 0, &err), -1);
	assert_int_equal(err.code, SIP_E_INCOMPLETE);
	/* a continuation right after the start line */
	expect_error("OPTIONS sip:a@b SIP/2.0\n  Via: x\n\n", 0, SIP_E_LINE, 0, false);
	/* header without a colon */
	expect_error("OPTIONS sip:a@b SIP/2.0\nVia SIP/2.0/UDP h\n\n", 0, SIP_E_HEADER, 0, false);
	/* a bad value after the essentials: still answerable */
	{
		char text[1024];

		snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\nExpires: soon\n\n", good_head);
		expect_error(text, 0, SIP_E_HEADER, 400, true);
	}
}

static void oversized_and_too_many(void **state)
{
	struct sip_error err;
	char *big = malloc(SIP_MAX_MSG + 2);
	char text[SIP_MAX_MSG];
	size_t n;
	unsigned int i;

	memset(big, 'a', SIP_MAX_MSG + 1);
	assert_int_equal(sip_msg_parse(msg, big, SIP_MAX_MSG + 1, 0, &err), -1);
	assert_int_equal(err.code, SIP_E_TOO_LARGE);
	assert_int_equal(err.status, 0);
	free(big);

	n = snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\n", good_head);
	for (i = 0; i < SIP_MAX_HEADERS; i++)
		n += snprintf(text + n, sizeof(text) - n, "X-H%u: v\n", i);
	snprintf(text + n, sizeof(text) - n, "\n");
	expect_error(text, 0, SIP_E_TOO_MANY, 0, false);

	/* too many Via values in one line */
	n = snprintf(text, sizeof(text), "OPTIONS sip:a@b SIP/2.0\nVia: ");
	for (i = 0; i <= SIP_MAX_VIA; i++)
		n += snprintf(text + n, sizeof(text) - n, "%sSIP/2.0/UDP h%u;branch=z9hG4bK%u",
			      i ? "," : "", i, i);
	snprintf(text + n, sizeof(text) - n,
		 "\nFrom: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 OPTIONS\n\n");
	expect_error(text, 0, SIP_E_TOO_MANY, 400, true);
}

static void bad_values(void **state)
{
	static const char *const bad[] = {
		"Via: SIP/2.0/UDP\n",			/* no sent-by */
		"Via: SIP/2.0/UDP h:0;branch=z9hG4bK2\n",	/* port 0 */
		"Via: SIP/2.0/UDP h:70000\n",
		"Via: SIP/2.0/UDP h;received=not-an-ip\n",
		"Via: SIP/2.0/UDP h;rport=x\n",
		"Via: SIP/2.0/UDP [::1\n",
		"Via: SIP/2.0/UDP h,,SIP/2.0/UDP g\n",	/* empty list element */
		"Route: sip:p1.example.com;lr\n",	/* name-addr required */
		"Contact: <sip:a@b\n",
		"Contact: *, <sip:a@b>\n",
		"Contact: <sip:a@b>;expires=x\n",
		"Contact: \"unterminated <sip:a@b>\n",
		"Contact: <sip:a@@b>\n",
		"Contact: <sip:a@b c>\n",
		"Contact: <sip:%zz@b>\n",
		"Contact: <sip:%00@b>\n",
		"Contact: <sip:@b>\n",
		"Contact: <sip:a@-b.example>\n",
		"Contact: <sip:a@b;=x>\n",
		"Max-Forwards: 256\n",
		"Max-Forwards: 7x\n",
		"Session-Expires: 90;refresher=both\n",
		"Warning: 30 agent \"text\"\n",
		"Warning: 301 agent text\n",
		"Require: \n",
		"Content-Type: application\n",
		"Subscription-State: ;expires=3\n",
		"Event: \n",
		"WWW-Authenticate: Digest realm=\"x\" nonce=\"y\"\n",
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"y\", stale=maybe\n",
		"WWW-Authenticate: Digest realm=\"x\", realm=\"z\", nonce=\"y\"\n",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[1024];
		struct sip_error err;

		snprintf(text, sizeof(text), "%sCSeq: 1 INVITE\n%s\n", good_head, bad[i]);
		if (parse_text(text, 0, &err) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(err.status, 400);
	}
}

/* ---- framing ------------------------------------------------------------- */

static void stream_framing(void **state)
{
	char stream[4096];
	size_t n, len, a;

	n = crlf(baresip_register, stream, sizeof(stream));
	a = n;
	n += with_body("INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/TLS h;branch=z9hG4bK2\n"
		       "From: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: 2\nCSeq: 1 INVITE\n",
		       sdp_body, stream + n, sizeof(stream) - n);
	assert_int_equal(sip_msg_frame("\r\n\r\n", 4, &len), SIP_FRAME_KEEPALIVE);
	assert_int_equal(len, 4);
	assert_int_equal(sip_msg_frame("\r", 1, &len), SIP_FRAME_NEED_MORE);
	assert_int_equal(sip_msg_frame(stream, 10, &len), SIP_FRAME_NEED_MORE);
	assert_int_equal(sip_msg_frame(stream, n, &len), SIP_FRAME_MESSAGE);
	assert_int_equal(len, a);
	assert_int_equal(sip_msg_parse(msg, stream, len, SIP_PARSE_STREAM, NULL), 0);
	sip_msg_free(msg);
	/* second message: need its whole body */
	assert_int_equal(sip_msg_frame(stream + a, n - a - 1, &len), SIP_FRAME_NEED_MORE);
	assert_int_equal(sip_msg_frame(stream + a, n - a, &len), SIP_FRAME_MESSAGE);
	assert_int_equal(len, n - a);
	assert_int_equal(sip_msg_parse(msg, stream + a, len, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->body_len, strlen(sdp_body));
	/* no Content-Length, or two: the connection is lost */
	{
		static const char no_cl[] = "OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n";
		static const char two_cl[] = "OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\n"
					     "content-length: 1\r\n\r\nx";

		assert_int_equal(sip_msg_frame(no_cl, strlen(no_cl), &len), SIP_FRAME_ERROR);
		assert_int_equal(sip_msg_frame(two_cl, strlen(two_cl), &len), SIP_FRAME_ERROR);
	}
}

/* ---- builder ------------------------------------------------------------- */

static void build_request_round_trip(void **state)
{
	struct sip_builder b;
	char buf[2048];
	int n;

	sip_build_init(&b, buf, sizeof(buf));
	sip_build_request_line(&b, "REGISTER", "sips:pbx.example.com");
	sip_build_header(&b, "Via", "SIP/2.0/TLS [2001:db8::5]:5061;branch=z9hG4bK%s;rport",
			 "abc123");
	sip_build_header(&b, "Max-Forwards", "%d", 70);
	sip_build_header(&b, "From", "\"Paging \\\"Zone\\\" 1\" <sips:802@pbx.example.com>;tag=%s",
			 "t1");
	sip_build_header(&b, "To", "<sips:802@pbx.example.com>");
	sip_build_header(&b, "Call-ID", "%s@herald", "0123456789abcdef");
	sip_build_header(&b, "CSeq", "%u REGISTER", 5u);
	sip_build_header(&b, "Contact", "<sips:802@[2001:db8::5]:5061;transport=tls>;expires=%d",
			 300);
	sip_build_header(&b, "Supported", "outbound, path");
	n = sip_build_finish(&b, "text/plain", "hi", 2);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));

	assert_int_equal(sip_msg_parse(msg, buf, n, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->method, SIP_METHOD_REGISTER);
	assert_int_equal(msg->ruri.scheme, SIP_URI_SIPS);
	assert_str(msg->via[0].branch, "z9hG4bKabc123");
	assert_str(msg->via[0].host, "2001:db8::5");
	assert_str(msg->from.display, "Paging \"Zone\" 1");
	assert_str(msg->from.tag, "t1");
	assert_str(msg->call_id, "0123456789abcdef@herald");
	assert_int_equal(msg->cseq, 5);
	assert_int_equal(msg->contact[0].expires, 300);
	assert_int_equal(msg->nsupported, 2);
	assert_str(msg->content_type, "text/plain");
	assert_int_equal(msg->body_len, 2);
}

static void build_rejects_injection(void **state)
{
	struct sip_builder b;
	char buf[256], small[40];

	sip_build_init(&b, buf, sizeof(buf));
	sip_build_request_line(&b, "OPTIONS", "sip:a@b");
	sip_build_header(&b, "Subject", "x\r\nVia: evil");
	assert_true(b.error);
	assert_int_equal(sip_build_finish(&b, NULL, NULL, 0), -1);

	sip_build_init(&b, buf, sizeof(buf));
	sip_build_header(&b, "Bad Name", "x");
	assert_true(b.error);

	sip_build_init(&b, buf, sizeof(buf));
	sip_build_request_line(&b, "OPTIONS", "sip:a@b c");
	assert_true(b.error);

	sip_build_init(&b, buf, sizeof(buf));
	sip_build_header(&b, "X", "%c", 0);
	assert_true(b.error);

	sip_build_init(&b, buf, sizeof(buf));
	sip_build_status_line(&b, 99, NULL);
	assert_true(b.error);

	sip_build_init(&b, small, sizeof(small));
	sip_build_request_line(&b, "OPTIONS", "sip:a@b");
	sip_build_header(&b, "Subject", "this will not fit in forty bytes");
	assert_int_equal(sip_build_finish(&b, NULL, NULL, 0), -1);
}

static void build_response_round_trip(void **state)
{
	static const char hdrs[] =
		"INVITE sips:802@10.0.0.5:5061;transport=tls SIP/2.0\n"
		"Via: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK-top;rport\n"
		"Via: SIP/2.0/TLS 10.20.0.3:5061;branch=z9hG4bKc0a8, SIP/2.0/TLS 10.20.0.2;branch=z9hG4bK77\n"
		"Record-Route: <sip:162.12.233.59:5061;transport=tls;lr>\n"
		"Record-Route: <sip:10.20.0.3:5061;transport=tls;lr>\n"
		"Max-Forwards: 68\n"
		"To: \"Zone, 1\" <sips:802@pbx.example.com>\n"
		"From: \"Front Desk\" <sips:+14085551234@pbx.example.com>;tag=9fxced76sl\n"
		"Call-ID: abc@162.12.233.59\n"
		"CSeq: 2 INVITE\n"
		"Content-Type: application/sdp\n";
	struct sip_msg *req = calloc(1, sizeof(*req));
	struct sip_builder b;
	char in[4096], out[4096];
	size_t n = with_body(hdrs, sdp_body, in, sizeof(in));
	int len;

	assert_int_equal(sip_msg_parse(req, in, n, SIP_PARSE_STREAM, NULL), 0);

	/* 200 OK with tag, received and rport, Record-Route copied */
	sip_build_init(&b, out, sizeof(out));
	assert_int_equal(sip_build_response(&b, req, 200, NULL, "h3r4ld", "198.51.100.77", 40123),
			 0);
	sip_build_header(&b, "Contact", "<sips:802@10.0.0.5:5061;transport=tls>");
	len = sip_build_finish(&b, "application/sdp", sdp_body, strlen(sdp_body));
	assert_true(len > 0);
	assert_int_equal(sip_msg_parse(msg, out, len, SIP_PARSE_STREAM, NULL), -1);	/* 3 Via */
	assert_non_null(strstr(out, "SIP/2.0 200 OK\r\n"));
	assert_non_null(strstr(out, "Via: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK-top;rport=40123"
				    ";received=198.51.100.77\r\n"));
	assert_non_null(strstr(out, "Via: SIP/2.0/TLS 10.20.0.2;branch=z9hG4bK77\r\n"));
	assert_non_null(strstr(out, "To: \"Zone, 1\" <sips:802@pbx.example.com>;tag=h3r4ld\r\n"));
	assert_non_null(strstr(out, "Record-Route: <sip:10.20.0.3:5061;transport=tls;lr>\r\n"));
	sip_msg_free(msg);

	/* The response as the first hop sees it (one Via): parse back */
	sip_msg_free(req);
	n = with_body("INVITE sip:802@10.0.0.5 SIP/2.0\n"
		      "Via: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK-top;rport\n"
		      "Max-Forwards: 70\nTo: <sip:802@x>\nFrom: <sip:1@x>;tag=f\n"
		      "Call-ID: abc\nCSeq: 9 INVITE\nRecord-Route: <sip:p.example;lr>\n",
		      "", in, sizeof(in));
	assert_int_equal(sip_msg_parse(req, in, n, 0, NULL), 0);
	sip_build_init(&b, out, sizeof(out));
	assert_int_equal(sip_build_response(&b, req, 180, NULL, "tt", NULL, 5060), 0);
	len = sip_build_finish(&b, NULL, NULL, 0);
	assert_true(len > 0);
	assert_int_equal(sip_msg_parse(msg, out, len, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->status, 180);
	assert_str(msg->reason, "Ringing");
	assert_int_equal(msg->via[0].rport_value, 5060);
	assert_int_equal(msg->via[0].received.len, 0);
	assert_str(msg->to.tag, "tt");
	assert_str(msg->from.tag, "f");
	assert_str(msg->call_id, "abc");
	assert_int_equal(msg->cseq, 9);
	assert_int_equal(msg->cseq_method, SIP_METHOD_INVITE);
	assert_int_equal(msg->nrecord_route, 1);
	sip_msg_free(msg);

	/* 100 Trying: no tag; 4xx: no Record-Route */
	sip_build_init(&b, out, sizeof(out));
	assert_int_equal(sip_build_response(&b, req, 100, NULL, "tt", NULL, 0), 0);
	len = sip_build_finish(&b, NULL, NULL, 0);
	assert_int_equal(sip_msg_parse(msg, out, len, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->to.tag.len, 0);
	sip_msg_free(msg);
	sip_build_init(&b, out, sizeof(out));
	assert_int_equal(sip_build_response(&b, req, 488, NULL, "tt", NULL, 0), 0);
	sip_build_header(&b, "Warning", "399 herald \"no usable crypto\"");
	len = sip_build_finish(&b, NULL, NULL, 0);
	assert_int_equal(sip_msg_parse(msg, out, len, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->nrecord_route, 0);
	assert_str(msg->reason, "Not Acceptable Here");
	assert_str(msg->warning[0].text, "no usable crypto");

	/* bad arguments */
	sip_build_init(&b, out, sizeof(out));
	assert_int_equal(sip_build_response(&b, req, 200, NULL, "bad tag", NULL, 0), -1);
	sip_build_init(&b, out, sizeof(out));
	assert_int_equal(sip_build_response(&b, req, 200, NULL, "t", "not-an-ip", 0), -1);
	sip_build_init(&b, out, sizeof(out));
	assert_int_equal(sip_build_response(&b, msg, 200, NULL, "t", NULL, 0), -1); /* a response */
	sip_msg_free(req);
	free(req);
}

/* A 400 for a request that failed to parse, built from what was found. */
static void build_400_for_bad_request(void **state)
{
	char text[1024], out[2048];
	struct sip_builder b;
	struct sip_error err;
	int len;

	snprintf(text, sizeof(text), "%sCSeq: 1 BYE\n\n", good_head);
	assert_int_equal(parse_text(text, 0, &err), -1);
	assert_true(err.can_reply);
	sip_build_init(&b, out, sizeof(out));
	assert_int_equal(sip_build_response(&b, msg, err.status, NULL, "x1", NULL, 0), 0);
	sip_build_header(&b, "Warning", "399 herald \"%s\"", err.text);
	len = sip_build_finish(&b, NULL, NULL, 0);
	assert_true(len > 0);
	sip_msg_free(msg);
	assert_int_equal(sip_msg_parse(msg, out, len, SIP_PARSE_STREAM, NULL), 0);
	assert_int_equal(msg->status, 400);
	assert_str(msg->to.tag, "x1");
}

static void misc_helpers(void **state)
{
	assert_string_equal(sip_reason_phrase(200), "OK");
	assert_string_equal(sip_reason_phrase(488), "Not Acceptable Here");
	assert_string_equal(sip_reason_phrase(499), "Client Error");
	assert_string_equal(sip_method_name(SIP_METHOD_SUBSCRIBE), "SUBSCRIBE");
	assert_null(sip_method_name(SIP_METHOD_UNKNOWN));
	assert_string_equal(sip_hdr_name(SIP_HDR_CALL_ID), "Call-ID");
	assert_string_equal(sip_err_name(SIP_E_CSEQ_METHOD), "CSeq method mismatch");
	/* extension method */
	assert_int_equal(parse_text("FOO sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
				    "From: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: c\n"
				    "CSeq: 1 FOO\n\n", 0, NULL), 0);
	assert_int_equal(msg->method, SIP_METHOD_UNKNOWN);
	assert_str(msg->method_str, "FOO");
	/* methods are case-sensitive */
	expect_error("invite sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
		     "From: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 INVITE\n\n",
		     0, SIP_E_CSEQ_METHOD, 400, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(baresip_register_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(kamailio_401_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(register_200_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(sipp_invite_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(pbx_page_invite_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(compact_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(folded_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(quoted_display_names, setup, teardown),
		cmocka_unit_test_setup_teardown(ipv6_via_and_contact, setup, teardown),
		cmocka_unit_test_setup_teardown(uri_details, setup, teardown),
		cmocka_unit_test_setup_teardown(list_headers_and_extensions, setup, teardown),
		cmocka_unit_test_setup_teardown(proxy_challenge, setup, teardown),
		cmocka_unit_test_setup_teardown(content_length_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_mandatory, setup, teardown),
		cmocka_unit_test_setup_teardown(cseq_and_start_line, setup, teardown),
		cmocka_unit_test_setup_teardown(line_structure, setup, teardown),
		cmocka_unit_test_setup_teardown(oversized_and_too_many, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(stream_framing, setup, teardown),
		cmocka_unit_test_setup_teardown(build_request_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(build_rejects_injection, setup, teardown),
		cmocka_unit_test_setup_teardown(build_response_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(build_400_for_bad_request, setup, teardown),
		cmocka_unit_test_setup_teardown(misc_helpers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
