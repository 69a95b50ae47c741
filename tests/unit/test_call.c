// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/sip/call.c driven with requests as baresip and a Kamailio proxy
 * write them, through a recording call_io, a fake herald.ko (kernel_ops) and
 * a fake clock behind loop.h's timers. Media sockets are real (loopback
 * binds from the configured range).
 *
 * Messages are written with "\n" and converted to CRLF; the SDP bodies are
 * CRLF already, as baresip sends them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "../../daemon/loop.h"
#include "fake_loop.h"
#include "../../daemon/sip/call.h"
#include "../../daemon/audio.h"
#include "../../daemon/media.h"

/* ---- recording transport ------------------------------------------------- */

#define MAX_SENT 64
static struct {
	char *buf;
	uint64_t at;
} sent[MAX_SENT];
static unsigned int nsent;

static int io_send(void *ctx, const struct call_peer *peer, const char *buf, size_t len)
{
	assert_true(nsent < MAX_SENT);
	sent[nsent].buf = strndup(buf, len);
	sent[nsent].at = fake_now_ms;
	nsent++;
	return 0;
}

static int io_contact(void *ctx, const struct call_peer *peer, char *buf, size_t size)
{
	snprintf(buf, size, "sip:page@192.0.2.10:5060");
	return 0;
}

static const struct call_io io = { .send = io_send, .contact = io_contact };

static void clear_sent(void)
{
	unsigned int i;

	for (i = 0; i < nsent; i++)
		free(sent[i].buf);
	nsent = 0;
}

static int status_of(unsigned int i)
{
	int st = 0;

	assert_true(i < nsent);
	if (sscanf(sent[i].buf, "SIP/2.0 %d ", &st) != 1)
		return 0;	/* a request */
	return st;
}

/* The value of header @name ("To: ") in message @i, up to CRLF, or NULL. */
static char hv[1024];
static const char *hdr(unsigned int i, const char *name)
{
	char needle[64];
	const char *p, *e;

	assert_true(i < nsent);
	snprintf(needle, sizeof(needle), "\r\n%s: ", name);
	p = strstr(sent[i].buf, needle);
	if (!p)
		return NULL;
	p += strlen(needle);
	e = strstr(p, "\r\n");
	snprintf(hv, sizeof(hv), "%.*s", (int)(e - p), p);
	return hv;
}

static const char *body(unsigned int i)
{
	const char *p = strstr(sent[i].buf, "\r\n\r\n");

	assert_non_null(p);
	return p + 4;
}

/* ---- fake herald.ko ------------------------------------------------------ */

static struct {
	bool absent;
	unsigned int next_id;
	unsigned int nnew, ndel, nadd, ndelkey;
	struct kernel_stream_req last;
	uint32_t last_outputs[HERALD_MAX_OUTPUTS];	/* last.outputs points here */
	uint32_t last_id;
	uint32_t del_ids[16];
	uint32_t delkey_mki[8];
	struct kernel_key added[8];
	uint64_t packets;
	unsigned int nset, set_n;
} kf;

static int k_new(void *ctx, const struct kernel_stream_req *req, uint32_t *id, char *why,
		 size_t whylen)
{
	if (kf.absent) {
		snprintf(why, whylen, "herald module not loaded");
		return -ENOENT;
	}
	assert_true(req->fd >= 0);
	kf.last = *req;
	/* The request's list lives on the caller's stack: keep a copy. */
	memcpy(kf.last_outputs, req->outputs, sizeof(req->outputs[0]) * req->noutputs);
	kf.last.outputs = kf.last_outputs;
	kf.nnew++;
	*id = kf.last_id = ++kf.next_id;
	return 0;
}

static int k_del(void *ctx, uint32_t id, char *why, size_t whylen)
{
	assert_true(kf.ndel < 16);
	kf.del_ids[kf.ndel++] = id;
	return 0;
}

static int k_add_key(void *ctx, uint32_t id, const struct kernel_key *key, char *why,
		     size_t whylen)
{
	assert_true(kf.nadd < 8);
	kf.added[kf.nadd++] = *key;
	return 0;
}

static int k_del_key(void *ctx, uint32_t id, uint32_t mki, char *why, size_t whylen)
{
	assert_true(kf.ndelkey < 8);
	kf.delkey_mki[kf.ndelkey++] = mki;
	return 0;
}

static int k_set_outputs(void *ctx, uint32_t id, const uint32_t *outputs, unsigned int n,
			 char *why, size_t whylen)
{
	kf.nset++;
	kf.set_n = n;
	return 0;
}

static int k_packets(void *ctx, uint32_t id, uint64_t *packets, char *why, size_t whylen)
{
	*packets = kf.packets;
	return 0;
}

/* The playback sink (audio.c) on the same fake module: always id 7. */
static int k_new_sink(void *ctx, const struct kernel_sink_req *req, uint32_t *id, char *why,
		      size_t whylen)
{
	*id = 7;
	return 0;
}

static int k_del_sink(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return 0;
}

static int k_get_sink(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return 0;
}

static const struct kernel_ops kops = {
	.new_stream = k_new, .del_stream = k_del, .add_key = k_add_key,
	.del_key = k_del_key, .set_outputs = k_set_outputs, .packets = k_packets,
	.new_sink = k_new_sink, .del_sink = k_del_sink, .get_sink = k_get_sink,
};

/* ---- requests ------------------------------------------------------------ */

#define K128 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e"
#define K128B "HR4fICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6"
#define KGCM256 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKyw="
#define KGCM256B "LCsqKSgnJiUkIyIhIB8eHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE="

/* baresip (srtp-mand) offering three suites, G722 first. */
static const char *sdp_savp =
	"v=0\r\n"
	"o=- 3886 2813 IN IP4 192.0.2.50\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.50\r\n"
	"t=0 0\r\n"
	"m=audio 10000 RTP/SAVP 9 0 8 101\r\n"
	"a=rtpmap:9 G722/8000\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15\r\n"
	"a=sendrecv\r\n"
	"a=rtcp-mux\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n"
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" K128 "\r\n"
	"a=crypto:3 AEAD_AES_256_GCM inline:" KGCM256 "\r\n"
	"a=ptime:20\r\n";

static const char *sdp_savp_rekeyed =
	"v=0\r\n"
	"o=- 3886 2814 IN IP4 192.0.2.50\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.50\r\n"
	"t=0 0\r\n"
	"m=audio 10000 RTP/SAVP 0\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=sendrecv\r\n"
	"a=crypto:7 AEAD_AES_256_GCM inline:" KGCM256B "\r\n";

static const char *sdp_mki1 =
	"v=0\r\n"
	"o=- 1 1 IN IP4 192.0.2.50\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.50\r\n"
	"t=0 0\r\n"
	"m=audio 10000 RTP/SAVP 0\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "|2^31|1:1\r\n";

static const char *sdp_mki2 =
	"v=0\r\n"
	"o=- 1 2 IN IP4 192.0.2.50\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.50\r\n"
	"t=0 0\r\n"
	"m=audio 10000 RTP/SAVP 0\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128B "|2^31|2:1\r\n";

static const char *sdp_plain =
	"v=0\r\n"
	"o=- 3886 2813 IN IP4 192.0.2.50\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.50\r\n"
	"t=0 0\r\n"
	"m=audio 10000 RTP/AVP 8 0\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:0 PCMU/8000\r\n";

/* A one-stream offer from 192.0.2.50: the session lines, then @media (CRLF lines). */
static char offer_buf[4][1024];
static const char *offer(unsigned int slot, unsigned int version, const char *media)
{
	snprintf(offer_buf[slot], sizeof(offer_buf[slot]),
		 "v=0\r\n"
		 "o=- 3886 %u IN IP4 192.0.2.50\r\n"
		 "s=-\r\n"
		 "c=IN IP4 192.0.2.50\r\n"
		 "t=0 0\r\n"
		 "%s", version, media);
	return offer_buf[slot];
}

static char conv[16384];

/* "\n" -> "\r\n" in @hdrs, then Content-Length and the CRLF @sdp. */
static size_t compose(const char *hdrs, const char *sdp, char *out, size_t size)
{
	size_t o = 0;
	const char *p;
	int n;

	for (p = hdrs; *p; p++) {
		if (*p == '\n')
			out[o++] = '\r';
		out[o++] = *p;
		assert_true(o + 2 < size);
	}
	n = snprintf(out + o, size - o, "%sContent-Length: %zu\r\n\r\n%s",
		     sdp ? "Content-Type: application/sdp\r\n" : "", sdp ? strlen(sdp) : 0,
		     sdp ? sdp : "");
	assert_true(n > 0 && (size_t)n < size - o);
	return o + (size_t)n;
}

static struct call_layer *cl;
static struct call_config cfg;
static struct call_policy pol;
static struct call_peer peer;
static char to_tag[64];
/* The account requests arrive for (NULL: none), as sip/ua.c gives it. */
static const struct call_account *acct;

static void deliver(const char *hdrs, const char *sdp)
{
	struct sip_msg m;
	struct sip_error err;
	size_t len = compose(hdrs, sdp, conv, sizeof(conv));
	int ret = sip_msg_parse(&m, conv, len, 0, &err);

	if (ret)
		fail_msg("test message does not parse: %s", err.text);
	call_rx_request(cl, &m, &peer, acct);
	sip_msg_free(&m);
}

static void start(void)
{
	char err[200];

	assert_int_equal(call_config_check(&cfg, &pol, err, sizeof(err)), 0);
	cl = call_layer_new(NULL, &cfg, &pol, &io, &kops, NULL);
	assert_non_null(cl);
}

static int setup(void **state)
{
	struct sockaddr_in *r = (struct sockaddr_in *)&peer.remote;
	struct sockaddr_in *l = (struct sockaddr_in *)&peer.local;

	memset(&kf, 0, sizeof(kf));
	memset(&peer, 0, sizeof(peer));
	fake_now_ms = 1000;
	r->sin_family = AF_INET;
	r->sin_port = htons(5060);
	inet_pton(AF_INET, "192.0.2.50", &r->sin_addr);
	l->sin_family = AF_INET;
	l->sin_port = htons(5060);
	inet_pton(AF_INET, "127.0.0.1", &l->sin_addr);
	peer.transport = CALL_TP_UDP;
	call_config_defaults(&cfg);
	/* A range of our own, away from the default, so parallel runs rarely meet. */
	cfg.port_min = 41000;
	cfg.port_max = 41999;
	cl = NULL;
	acct = NULL;
	return 0;
}

static int teardown(void **state)
{
	call_layer_free(cl);
	clear_sent();
	return 0;
}

#define INVITE_HDRS(cseq, branch) \
	"INVITE sip:page@192.0.2.10:5060 SIP/2.0\n" \
	"Via: SIP/2.0/UDP 192.0.2.50:5060;branch=" branch ";rport\n" \
	"Max-Forwards: 70\n" \
	"To: <sip:page@192.0.2.10>\n" \
	"From: \"alice\" <sip:alice@192.0.2.50>;tag=f00ba4\n" \
	"Call-ID: 7f5d3c1e9a@192.0.2.50\n" \
	"CSeq: " cseq " INVITE\n" \
	"Contact: <sip:alice-0x5629@192.0.2.50:5060;transport=udp>\n" \
	"User-Agent: baresip v3.10.1 (x86_64/Linux)\n" \
	"Allow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,UPDATE,REFER\n" \
	"Supported: replaces,norefersub\n"

/* Requests in the dialog: To carries our tag, saved from the 200; @extra: header lines. */
static void in_dialog_x(const char *method, unsigned int cseq, const char *branch,
			const char *extra, const char *sdp)
{
	char h[2048];

	snprintf(h, sizeof(h),
		 "%s sip:page@192.0.2.10:5060 SIP/2.0\n"
		 "Via: SIP/2.0/UDP 192.0.2.50:5060;branch=%s;rport\n"
		 "Max-Forwards: 70\n"
		 "To: <sip:page@192.0.2.10>;tag=%s\n"
		 "From: \"alice\" <sip:alice@192.0.2.50>;tag=f00ba4\n"
		 "Call-ID: 7f5d3c1e9a@192.0.2.50\n"
		 "CSeq: %u %s\n"
		 "%s%s",
		 method, branch, to_tag, cseq, method,
		 strcmp(method, "INVITE") ? "" :
		 "Contact: <sip:alice-0x5629@192.0.2.50:5060;transport=udp>\n", extra);
	deliver(h, sdp);
}

static void in_dialog(const char *method, unsigned int cseq, const char *branch,
		      const char *sdp)
{
	in_dialog_x(method, cseq, branch, "", sdp);
}

/* The To tag of response @i. */
static void save_tag(unsigned int i)
{
	const char *to = hdr(i, "To");
	const char *t;

	assert_non_null(to);
	t = strstr(to, ";tag=");
	assert_non_null(t);
	snprintf(to_tag, sizeof(to_tag), "%s", t + 5);
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.sin_port);
}

static unsigned int answer_port(unsigned int i)
{
	unsigned int port = 0;
	const char *m = strstr(body(i), "m=audio ");

	assert_non_null(m);
	assert_int_equal(sscanf(m, "m=audio %u ", &port), 1);
	return port;
}

/* ---- tests --------------------------------------------------------------- */

static void invite_answered(void **state)
{
	uint8_t key[64];
	const char *b;

	start();
	deliver(INVITE_HDRS("21890", "z9hG4bK1a2b3c"), sdp_savp);
	assert_int_equal(nsent, 2);

	/* 100 Trying: no To tag, the request's Via and CSeq. */
	assert_int_equal(status_of(0), 100);
	assert_string_equal(hdr(0, "To"), "<sip:page@192.0.2.10>");
	assert_string_equal(hdr(0, "Via"),
			    "SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK1a2b3c;rport=5060");

	/* 200 OK: our tag, Via with rport filled, CSeq, Contact, Allow, SDP. */
	assert_int_equal(status_of(1), 200);
	assert_string_equal(hdr(1, "Via"),
			    "SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK1a2b3c;rport=5060");
	assert_string_equal(hdr(1, "CSeq"), "21890 INVITE");
	assert_string_equal(hdr(1, "Call-ID"), "7f5d3c1e9a@192.0.2.50");
	assert_string_equal(hdr(1, "From"), "\"alice\" <sip:alice@192.0.2.50>;tag=f00ba4");
	assert_non_null(strstr(hdr(1, "To"), "<sip:page@192.0.2.10>;tag="));
	assert_string_equal(hdr(1, "Contact"), "<sip:page@192.0.2.10:5060>");
	assert_string_equal(hdr(1, "Allow"), "INVITE, ACK, CANCEL, BYE, OPTIONS");
	assert_string_equal(hdr(1, "Content-Type"), "application/sdp");

	/* The answer: PCMU (our first), the strongest suite with tag 3, a key of
	 * ours (not the offer's), recvonly, on the port of the socket the module got.
	 */
	b = body(1);
	assert_non_null(strstr(b, "c=IN IP4 127.0.0.1\r\n"));
	assert_non_null(strstr(b, " RTP/SAVP 0 101\r\n"));
	assert_non_null(strstr(b, "a=recvonly\r\n"));
	assert_non_null(strstr(b, "a=crypto:3 AEAD_AES_256_GCM inline:"));
	assert_null(strstr(b, KGCM256));
	assert_int_equal(strstr(b, "a=crypto:") - b, strrchr(b, '\n') - b -
			 (long)strlen(strstr(b, "a=crypto:")) + 1);

	assert_int_equal(kf.nnew, 1);
	assert_int_equal(kf.last.suite, HERALD_SUITE_AEAD_AES_256_GCM);
	assert_int_equal(kf.last.nkeys, 1);
	assert_int_equal(sdes_base64_decode(KGCM256, strlen(KGCM256), key, sizeof(key)), 44);
	assert_int_equal(kf.last.keys[0].len, 44);
	assert_memory_equal(kf.last.keys[0].material, key, 44);
	assert_int_equal(kf.last.pt, 0);
	/* No audio.card: the stream plays on no sink. */
	assert_int_equal(kf.last.sink, 0);
	assert_int_equal(bound_port(kf.last.fd), answer_port(1));
	assert_true(answer_port(1) >= 41000 && answer_port(1) <= 41999 && !(answer_port(1) & 1));
}

static void retransmits_until_ack(void **state)
{
	uint64_t gaps[] = { 500, 1000, 2000, 4000, 4000, 4000 };
	unsigned int i;

	cfg.timeout_s = 0;	/* no media check: only the transaction speaks */
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKr1"), sdp_savp);
	assert_int_equal(nsent, 2);
	for (i = 0; i < 6; i++) {
		fake_advance(gaps[i] - 1);
		assert_int_equal(nsent, 2 + i);
		fake_advance(1);
		assert_int_equal(nsent, 3 + i);
		assert_string_equal(sent[2 + i].buf, sent[1].buf);
	}
	save_tag(1);
	in_dialog("ACK", 1, "z9hG4bKack1", NULL);
	fake_advance(60000);
	assert_int_equal(nsent, 8);	/* nothing more: no retransmission, no BYE */
	assert_int_equal(kf.ndel, 0);
}

static void retransmitted_invite(void **state)
{
	start();
	deliver(INVITE_HDRS("5", "z9hG4bKdup"), sdp_savp);
	deliver(INVITE_HDRS("5", "z9hG4bKdup"), sdp_savp);
	assert_int_equal(nsent, 3);
	assert_string_equal(sent[2].buf, sent[1].buf);
	assert_int_equal(kf.nnew, 1);
}

#define LONG_BRANCH "z9hG4bK" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void retransmitted_invite_long_branch(void **state)
{
	start();
	deliver(INVITE_HDRS("6", LONG_BRANCH), sdp_savp);
	deliver(INVITE_HDRS("6", LONG_BRANCH), sdp_savp);
	assert_int_equal(nsent, 3);
	assert_string_equal(sent[2].buf, sent[1].buf);
	assert_int_equal(kf.nnew, 1);
}

static void no_ack_ends_with_bye(void **state)
{
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKnoack"), sdp_savp);
	save_tag(1);
	fake_advance(32000);
	/* The last sent is our BYE, to the Contact, in the dialog. */
	assert_int_equal(status_of(nsent - 1), 0);
	assert_memory_equal(sent[nsent - 1].buf,
			    "BYE sip:alice-0x5629@192.0.2.50:5060;transport=udp SIP/2.0\r\n", 59);
	assert_non_null(strstr(hdr(nsent - 1, "From"), to_tag));
	assert_string_equal(hdr(nsent - 1, "To"), "\"alice\" <sip:alice@192.0.2.50>;tag=f00ba4");
	assert_string_equal(hdr(nsent - 1, "CSeq"), "2 BYE");
	assert_int_equal(kf.ndel, 1);
	assert_int_equal(kf.del_ids[0], kf.last_id);
}

static void bye_ends_call(void **state)
{
	struct call_stats st;

	start();
	deliver(INVITE_HDRS("1", "z9hG4bKb1"), sdp_savp);
	save_tag(1);
	in_dialog("ACK", 1, "z9hG4bKb2", NULL);
	call_get_stats(cl, &st);
	assert_int_equal(st.calls, 1);
	in_dialog("BYE", 2, "z9hG4bKb3", NULL);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_string_equal(hdr(nsent - 1, "CSeq"), "2 BYE");
	assert_int_equal(kf.ndel, 1);
	call_get_stats(cl, &st);
	assert_int_equal(st.calls, 0);
	/* The dialog is gone: another BYE matches nothing. */
	in_dialog("BYE", 3, "z9hG4bKb4", NULL);
	assert_int_equal(status_of(nsent - 1), 481);
}

/* With a playback sink (audio.card set), every call's stream plays on it. */
static void call_plays_on_sink(void **state)
{
	struct audio_config acfg;
	struct audio *a;

	audio_config_defaults(&acfg);
	snprintf(acfg.card, sizeof(acfg.card), "0");
	a = audio_new(NULL, &acfg, &kops, NULL);
	assert_non_null(a);
	assert_int_equal(audio_sink_id(a), 7);
	start();
	call_layer_set_audio(cl, a);
	deliver(INVITE_HDRS("21890", "z9hG4bK1a2b3c"), sdp_savp);
	assert_int_equal(status_of(1), 200);
	assert_int_equal(kf.nnew, 1);
	assert_int_equal(kf.last.sink, 7);
	call_layer_free(cl);
	cl = NULL;
	audio_free(a);
}

/* media_init() on a stack struct full of garbage: no sink, no stale field
 * (heraldd-media's stream once named a garbage sink id).
 */
static void media_init_whole(void **state)
{
	struct media m;

	memset(&m, 0xa5, sizeof(m));
	media_init(&m, &kops, NULL, 16385, 16999);
	assert_null(m.audio);
	assert_int_equal(m.port_min, 16386);
	assert_int_equal(m.next, 16386);
}

static void cancel_before_answer(void **state)
{
	struct call_stats st;

	cfg.answer_delay_ms = 2000;
	start();
	deliver(INVITE_HDRS("30", "z9hG4bKc1"), sdp_savp);
	assert_int_equal(nsent, 1);
	assert_int_equal(status_of(0), 100);
	assert_int_equal(kf.nnew, 1);
	fake_advance(500);
	deliver("CANCEL sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKc1;rport\n"
		"Max-Forwards: 70\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: \"alice\" <sip:alice@192.0.2.50>;tag=f00ba4\n"
		"Call-ID: 7f5d3c1e9a@192.0.2.50\n"
		"CSeq: 30 CANCEL\n", NULL);
	assert_int_equal(nsent, 3);
	assert_int_equal(status_of(1), 200);
	assert_string_equal(hdr(1, "CSeq"), "30 CANCEL");
	assert_int_equal(status_of(2), 487);
	assert_string_equal(hdr(2, "CSeq"), "30 INVITE");
	assert_int_equal(kf.ndel, 1);
	/* Same To tag on both [9.2]. */
	save_tag(2);
	assert_non_null(strstr(hdr(1, "To"), to_tag));
	/* The 487 is retransmitted on UDP until its ACK; no 200 ever. */
	fake_advance(500);
	assert_int_equal(nsent, 4);
	assert_int_equal(status_of(3), 487);
	in_dialog("ACK", 30, "z9hG4bKc1", NULL);
	fake_advance(40000);
	assert_int_equal(nsent, 4);
	call_get_stats(cl, &st);
	assert_int_equal(st.calls + st.pending, 0);
}

static void cancel_unknown(void **state)
{
	start();
	deliver("CANCEL sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKzz;rport\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: <sip:alice@192.0.2.50>;tag=1\n"
		"Call-ID: nothing\n"
		"CSeq: 1 CANCEL\n", NULL);
	assert_int_equal(nsent, 1);
	assert_int_equal(status_of(0), 481);
}

static void answer_delay_then_200(void **state)
{
	cfg.answer_delay_ms = 1500;
	start();
	deliver(INVITE_HDRS("8", "z9hG4bKd1"), sdp_savp);
	fake_advance(1499);
	assert_int_equal(nsent, 1);
	fake_advance(1);
	assert_int_equal(nsent, 2);
	assert_int_equal(status_of(1), 200);
	/* A CANCEL now changes nothing but gets its 200. */
	deliver("CANCEL sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKd1;rport\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: \"alice\" <sip:alice@192.0.2.50>;tag=f00ba4\n"
		"Call-ID: 7f5d3c1e9a@192.0.2.50\n"
		"CSeq: 8 CANCEL\n", NULL);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_int_equal(kf.ndel, 0);
}

static void options_ok(void **state)
{
	start();
	deliver("OPTIONS sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKo1\n"
		"Max-Forwards: 70\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: <sip:kamailio@192.0.2.99>;tag=abc\n"
		"Call-ID: opt1\n"
		"CSeq: 10 OPTIONS\n", NULL);
	assert_int_equal(nsent, 1);
	assert_int_equal(status_of(0), 200);
	assert_string_equal(hdr(0, "Allow"), "INVITE, ACK, CANCEL, BYE, OPTIONS");
	assert_string_equal(hdr(0, "Accept"), "application/sdp");
	assert_non_null(strstr(hdr(0, "To"), ";tag="));
	/* Sent from elsewhere than its Via says: received= [18.2.1]. */
	assert_string_equal(hdr(0, "Via"),
			    "SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKo1;received=192.0.2.50");
}

static void unknown_method_405(void **state)
{
	start();
	deliver("SUBSCRIBE sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKs1\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: <sip:alice@192.0.2.50>;tag=abc\n"
		"Call-ID: sub1\n"
		"CSeq: 1 SUBSCRIBE\n"
		"Event: presence\n", NULL);
	assert_int_equal(status_of(0), 405);
	assert_string_equal(hdr(0, "Allow"), "INVITE, ACK, CANCEL, BYE, OPTIONS");
}

static void max_calls_486(void **state)
{
	cfg.max_calls = 1;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKm1"), sdp_savp);
	assert_int_equal(status_of(1), 200);
	deliver("INVITE sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.51:5060;branch=z9hG4bKm2\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: <sip:bob@192.0.2.51>;tag=b0b\n"
		"Call-ID: second\n"
		"CSeq: 1 INVITE\n"
		"Contact: <sip:bob@192.0.2.51>\n", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 486);
	assert_non_null(strstr(hdr(nsent - 1, "To"), ";tag="));
	assert_int_equal(kf.nnew, 1);
}

static void plain_refused_when_required(void **state)
{
	struct call_stats st;

	start();
	deliver(INVITE_HDRS("1", "z9hG4bKp1"), sdp_plain);
	assert_int_equal(status_of(nsent - 1), 488);
	assert_non_null(hdr(nsent - 1, "Warning"));
	assert_memory_equal(hdr(nsent - 1, "Warning"), "399 herald \"", 12);
	assert_non_null(strstr(hdr(nsent - 1, "Warning"), "encryption is required"));
	assert_int_equal(kf.nnew, 0);
	call_get_stats(cl, &st);
	assert_int_equal(st.calls, 0);
	assert_int_equal(st.pending, 1);
	/* The ACK for the 488 ends the transaction. */
	save_tag(nsent - 1);
	in_dialog("ACK", 1, "z9hG4bKp1", NULL);
	call_get_stats(cl, &st);
	assert_int_equal(st.pending, 0);
}

static struct call_info seen[4];
static unsigned int nseen;

static void collect(const struct call_info *info, void *arg)
{
	assert_true(nseen < 4);
	seen[nseen++] = *info;
}

static unsigned int nchanges;

static void count_changes(void *arg)
{
	nchanges++;
}

static void status_lists_calls(void **state)
{
	time_t t0 = time(NULL);

	cfg.srtp = MEDIA_SRTP_OPTIONAL;
	start();
	nchanges = 0;
	call_layer_set_observer(cl, count_changes, NULL);
	deliver(INVITE_HDRS("1", "z9hG4bKl1"), sdp_savp);
	/* Answered with media: the observer hears of it. */
	assert_int_equal(nchanges, 1);
	save_tag(1);
	deliver("INVITE sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.51:5060;branch=z9hG4bKl2\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: <sip:bob@192.0.2.51>;tag=b0b\n"
		"Call-ID: plain-2\n"
		"CSeq: 1 INVITE\n"
		"Contact: <sip:bob@192.0.2.51>\n", sdp_plain);
	in_dialog("ACK", 1, "z9hG4bKl3", NULL);
	nseen = 0;
	call_foreach(cl, collect, NULL);
	assert_int_equal(nseen, 2);
	/* Newest first. */
	assert_string_equal(seen[0].call_id, "plain-2");
	assert_false(seen[0].srtp);
	assert_int_equal(seen[0].suite, HERALD_SUITE_NONE);
	assert_string_equal(seen[0].state, "answered");
	assert_string_equal(seen[1].call_id, "7f5d3c1e9a@192.0.2.50");
	assert_true(seen[1].srtp);
	assert_int_equal(seen[1].suite, HERALD_SUITE_AEAD_AES_256_GCM);
	assert_string_equal(seen[1].state, "established");
	assert_int_equal(seen[1].port, answer_port(1));
	assert_int_equal(seen[1].stream_id, 1);
	assert_string_equal(seen[1].label, "call-1");
	/* For the "calls" area: the From URI alone, the codec, when media began. */
	assert_string_equal(seen[0].caller, "sip:bob@192.0.2.51");
	assert_string_equal(seen[1].account, "");
	assert_string_equal(seen[1].codec, "PCMU");
	assert_true(seen[1].started >= t0 && seen[1].started <= time(NULL));
	assert_false(seen[1].held);
	/* Second call answered, first established (ACK): one change each more. */
	assert_int_equal(nchanges, 3);
	/* The caller's BYE: the call goes, and the observer hears of it. */
	in_dialog("BYE", 2, "z9hG4bKl4", NULL);
	assert_int_equal(nchanges, 4);
	nseen = 0;
	call_foreach(cl, collect, NULL);
	assert_int_equal(nseen, 1);
}

static void plain_accepted_when_optional(void **state)
{
	struct call_stats st;

	cfg.srtp = MEDIA_SRTP_OPTIONAL;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKp2"), sdp_plain);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_non_null(strstr(body(nsent - 1), " RTP/AVP 0\r\n"));
	assert_null(strstr(body(nsent - 1), "a=crypto"));
	assert_int_equal(kf.nnew, 1);
	assert_int_equal(kf.last.suite, HERALD_SUITE_NONE);
	assert_int_equal(kf.last.nkeys, 0);
	call_get_stats(cl, &st);
	assert_int_equal(st.plain, 1);
}

static void savp_refused_when_off(void **state)
{
	cfg.srtp = MEDIA_SRTP_OFF;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKo2"), sdp_savp);
	assert_int_equal(status_of(nsent - 1), 488);
	assert_int_equal(kf.nnew, 0);
}

static void module_absent_503(void **state)
{
	struct call_stats st;

	kf.absent = true;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKa1"), sdp_savp);
	assert_int_equal(status_of(nsent - 1), 503);
	assert_string_equal(hdr(nsent - 1, "Retry-After"), "30");
	assert_non_null(strstr(hdr(nsent - 1, "Warning"), "not loaded"));
	call_get_stats(cl, &st);
	assert_int_equal(st.calls, 0);
}

static void reinvite_new_port_until_ack(void **state)
{
	unsigned int port1, port2;
	uint32_t id1;
	uint8_t key[64];

	start();
	deliver(INVITE_HDRS("1", "z9hG4bKri1"), sdp_savp);
	save_tag(1);
	port1 = answer_port(1);
	id1 = kf.last_id;
	in_dialog("ACK", 1, "z9hG4bKri2", NULL);
	/* baresip re-keys without MKI: the module cannot hold two such keys. */
	in_dialog("INVITE", 2, "z9hG4bKri3", sdp_savp_rekeyed);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_string_equal(hdr(nsent - 1, "CSeq"), "2 INVITE");
	assert_non_null(strstr(body(nsent - 1), "a=crypto:7 AEAD_AES_256_GCM inline:"));
	assert_non_null(strstr(body(nsent - 1), "o=herald "));
	port2 = answer_port(nsent - 1);
	assert_int_not_equal(port1, port2);
	assert_int_equal(kf.nnew, 2);
	assert_int_equal(bound_port(kf.last.fd), port2);
	assert_int_equal(sdes_base64_decode(KGCM256B, strlen(KGCM256B), key, sizeof(key)), 44);
	assert_memory_equal(kf.last.keys[0].material, key, 44);
	/* The old stream keeps taking packets until the caller has our answer. */
	assert_int_equal(kf.ndel, 0);
	in_dialog("ACK", 2, "z9hG4bKri4", NULL);
	assert_int_equal(kf.ndel, 1);
	assert_int_equal(kf.del_ids[0], id1);
}

static void reinvite_same_keys_changes_nothing(void **state)
{
	unsigned int port1;

	start();
	deliver(INVITE_HDRS("1", "z9hG4bKs1"), sdp_savp);
	save_tag(1);
	port1 = answer_port(1);
	in_dialog("ACK", 1, "z9hG4bKs2", NULL);
	in_dialog("INVITE", 2, "z9hG4bKs3", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_int_equal(answer_port(nsent - 1), port1);
	assert_int_equal(kf.nnew, 1);
	assert_int_equal(kf.nadd + kf.ndel + kf.ndelkey, 0);
}

static void reinvite_mki_adds_before_removing(void **state)
{
	unsigned int port1;

	start();
	deliver(INVITE_HDRS("1", "z9hG4bKk1"), sdp_mki1);
	save_tag(1);
	port1 = answer_port(1);
	assert_int_equal(kf.last.keys[0].mki, 1);
	assert_int_equal(kf.last.keys[0].mki_len, 1);
	in_dialog("ACK", 1, "z9hG4bKk2", NULL);
	in_dialog("INVITE", 2, "z9hG4bKk3", sdp_mki2);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_int_equal(answer_port(nsent - 1), port1);
	assert_int_equal(kf.nnew, 1);
	assert_int_equal(kf.nadd, 1);
	assert_int_equal(kf.added[0].mki, 2);
	assert_int_equal(kf.ndelkey, 0);	/* old key kept until the ACK */
	in_dialog("ACK", 2, "z9hG4bKk4", NULL);
	assert_int_equal(kf.ndelkey, 1);
	assert_int_equal(kf.delkey_mki[0], 1);
	assert_int_equal(kf.ndel, 0);
}

static void hold_mutes(void **state)
{
	const char *sdp_hold = offer(0, 2815, "m=audio 10000 RTP/SAVP 0\r\na=sendonly\r\n"
				 "a=crypto:3 AEAD_AES_256_GCM inline:" KGCM256 "\r\n");
	const char *sdp_resume = offer(1, 2816, "m=audio 10000 RTP/SAVP 0\r\na=sendrecv\r\n"
				   "a=crypto:3 AEAD_AES_256_GCM inline:" KGCM256 "\r\n");

	snprintf(cfg.outputs, sizeof(cfg.outputs), "4,9");
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKh1"), sdp_savp);
	save_tag(1);
	assert_int_equal(kf.last.noutputs, 2);
	assert_int_equal(kf.last.outputs[1], 9);
	in_dialog("ACK", 1, "z9hG4bKh2", NULL);
	/* sendonly after sendrecv: hold, the zones hear no music on hold. */
	in_dialog("INVITE", 2, "z9hG4bKh3", sdp_hold);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_non_null(strstr(body(nsent - 1), "a=recvonly\r\n"));
	assert_int_equal(kf.nset, 1);
	assert_int_equal(kf.set_n, 0);
	in_dialog("ACK", 2, "z9hG4bKh4", NULL);
	in_dialog("INVITE", 3, "z9hG4bKh5", sdp_resume);
	assert_int_equal(kf.nset, 2);
	assert_int_equal(kf.set_n, 2);
	assert_int_equal(kf.nnew, 1);
}

/* The account's zone outputs come after media.outputs, each once, and follow hold. */
static void account_zone_outputs(void **state)
{
	static const uint32_t zones[] = { 9, 21, 22 };
	const struct call_account a = { .name = "u2", .outputs = zones, .noutputs = 3 };
	const char *sdp_hold = offer(0, 2815, "m=audio 10000 RTP/SAVP 0\r\na=sendonly\r\n"
				 "a=crypto:3 AEAD_AES_256_GCM inline:" KGCM256 "\r\n");
	const char *sdp_resume = offer(1, 2816, "m=audio 10000 RTP/SAVP 0\r\na=sendrecv\r\n"
				   "a=crypto:3 AEAD_AES_256_GCM inline:" KGCM256 "\r\n");

	snprintf(cfg.outputs, sizeof(cfg.outputs), "4,9");
	acct = &a;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKz1"), sdp_savp);
	assert_int_equal(status_of(1), 200);
	save_tag(1);
	assert_string_equal(kf.last.label, "u2-1");
	assert_int_equal(kf.last.noutputs, 4);
	assert_int_equal(kf.last.outputs[0], 4);
	assert_int_equal(kf.last.outputs[1], 9);
	assert_int_equal(kf.last.outputs[2], 21);
	assert_int_equal(kf.last.outputs[3], 22);
	in_dialog("ACK", 1, "z9hG4bKz2", NULL);
	in_dialog("INVITE", 2, "z9hG4bKz3", sdp_hold);
	assert_int_equal(kf.set_n, 0);
	in_dialog("ACK", 2, "z9hG4bKz4", NULL);
	in_dialog("INVITE", 3, "z9hG4bKz5", sdp_resume);
	assert_int_equal(kf.set_n, 4);
}

static void sendonly_page_is_not_hold(void **state)
{
	const char *sdp_oneway = offer(0, 1, "m=audio 10000 RTP/SAVP 0\r\na=sendonly\r\n"
				   "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n");

	/* Paging groups send one way from the start: that is the page itself. */
	snprintf(cfg.outputs, sizeof(cfg.outputs), "4");
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKo1"), sdp_oneway);
	assert_int_equal(status_of(1), 200);
	assert_int_equal(kf.last.noutputs, 1);
	save_tag(1);
	in_dialog("ACK", 1, "z9hG4bKo2", NULL);
	in_dialog("INVITE", 2, "z9hG4bKo3", sdp_oneway);
	assert_int_equal(kf.nset, 0);
}

static void reinvite_refused_keeps_call(void **state)
{
	struct call_stats st;

	start();
	deliver(INVITE_HDRS("1", "z9hG4bKf1"), sdp_savp);
	save_tag(1);
	in_dialog("ACK", 1, "z9hG4bKf2", NULL);
	in_dialog("INVITE", 2, "z9hG4bKf3", sdp_plain);
	assert_int_equal(status_of(nsent - 1), 488);
	in_dialog("ACK", 2, "z9hG4bKf3", NULL);
	call_get_stats(cl, &st);
	assert_int_equal(st.calls, 1);
	assert_int_equal(kf.ndel, 0);
	/* An older CSeq is out of order [12.2.2]. */
	in_dialog("INVITE", 2, "z9hG4bKf4", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 500);
}

static void retry_after_refusal(void **state)
{
	cfg.srtp = MEDIA_SRTP_REQUIRED;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKy1"), sdp_plain);
	assert_int_equal(status_of(nsent - 1), 488);
	/* The same request by another branch is a merged fork [8.2.2.2]. */
	deliver(INVITE_HDRS("1", "z9hG4bKy9"), sdp_plain);
	assert_int_equal(status_of(nsent - 1), 482);
	/* baresip tries again with SRTP, same Call-ID and tag, next CSeq. */
	deliver(INVITE_HDRS("2", "z9hG4bKy2"), sdp_savp);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_string_equal(hdr(nsent - 1, "CSeq"), "2 INVITE");
	assert_int_equal(kf.nnew, 1);
}

static void reinvite_codec_change_new_stream(void **state)
{
	const char *sdp_pcma = offer(0, 2815, "m=audio 10000 RTP/SAVP 8\r\n"
				 "a=crypto:3 AEAD_AES_256_GCM inline:" KGCM256 "\r\n");

	start();
	deliver(INVITE_HDRS("1", "z9hG4bKpc1"), sdp_savp);
	save_tag(1);
	assert_int_equal(kf.last.pt, 0);
	in_dialog("ACK", 1, "z9hG4bKpc2", NULL);
	/* Same key, other codec: the stream's payload type filter must follow. */
	in_dialog("INVITE", 2, "z9hG4bKpc3", sdp_pcma);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_non_null(strstr(body(nsent - 1), " RTP/SAVP 8\r\n"));
	assert_int_equal(kf.nnew, 2);
	assert_int_equal(kf.last.pt, 8);
}

static void tcp_retransmits_only_2xx(void **state)
{
	struct call_stats st;
	unsigned int n;

	cfg.max_calls = 1;
	cfg.timeout_s = 0;
	peer.transport = CALL_TP_TCP;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKtcp1"), sdp_savp);
	assert_int_equal(status_of(1), 200);
	/* A 2xx is retransmitted on every transport [13.3.1.4]... */
	fake_advance(500);
	assert_int_equal(nsent, 3);
	deliver("INVITE sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Via: SIP/2.0/TCP 192.0.2.51:5060;branch=z9hG4bKtcp2\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: <sip:bob@192.0.2.51>;tag=b0b\n"
		"Call-ID: tcp-second\n"
		"CSeq: 1 INVITE\n"
		"Contact: <sip:bob@192.0.2.51;transport=tcp>\n", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 486);
	/* ...a failure response only on UDP [17.2.1]: after the 200's next
	 * retransmission (1 s) nothing but that one.
	 */
	n = nsent;
	fake_advance(1000);
	assert_int_equal(nsent, n + 1);
	assert_int_equal(status_of(nsent - 1), 200);
	/* Unacknowledged, the 486 is forgotten after 64*T1. */
	call_get_stats(cl, &st);
	assert_int_equal(st.pending, 1);
	fake_advance(32000);
	call_get_stats(cl, &st);
	assert_int_equal(st.pending, 0);
}

static void ipv6_answer(void **state)
{
	struct sockaddr_in6 *r = (struct sockaddr_in6 *)&peer.remote;
	struct sockaddr_in6 *l = (struct sockaddr_in6 *)&peer.local;
	static const char *sdp6 =
		"v=0\r\n"
		"o=- 1 1 IN IP6 2001:db8::50\r\n"
		"s=-\r\n"
		"c=IN IP6 2001:db8::50\r\n"
		"t=0 0\r\n"
		"m=audio 10000 RTP/SAVP 0\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K128 "\r\n";

	memset(&peer, 0, sizeof(peer));
	r->sin6_family = AF_INET6;
	r->sin6_port = htons(5062);
	inet_pton(AF_INET6, "2001:db8::50", &r->sin6_addr);
	l->sin6_family = AF_INET6;
	l->sin6_port = htons(5060);
	inet_pton(AF_INET6, "::1", &l->sin6_addr);
	cfg.timeout_s = 10;
	start();
	deliver("INVITE sip:page@[2001:db8::10] SIP/2.0\n"
		"Via: SIP/2.0/UDP [2001:db8::50]:5062;branch=z9hG4bK6;rport\n"
		"To: <sip:page@[2001:db8::10]>\n"
		"From: <sip:alice@[2001:db8::50]>;tag=v6\n"
		"Call-ID: v6-1\n"
		"CSeq: 1 INVITE\n"
		"Contact: <sip:alice@[2001:db8::50]:5062>\n", sdp6);
	assert_int_equal(status_of(1), 200);
	assert_string_equal(hdr(1, "Via"),
			    "SIP/2.0/UDP [2001:db8::50]:5062;branch=z9hG4bK6;rport=5062");
	assert_non_null(strstr(body(1), "c=IN IP6 ::1\r\n"));
	assert_int_equal(kf.nnew, 1);
	/* Our BYE's Via names our IPv6 address in brackets. */
	fake_advance(10000);
	assert_memory_equal(sent[nsent - 1].buf, "BYE sip:alice@[2001:db8::50]:5062 SIP/2.0", 40);
	assert_non_null(strstr(hdr(nsent - 1, "Via"), "SIP/2.0/UDP [::1]:5060;branch=z9hG4bK"));
}

static void record_route_and_route_set(void **state)
{
	unsigned int i;

	cfg.timeout_s = 10;
	start();
	/* Through a Kamailio proxy: two Vias, two Record-Routes. */
	deliver("INVITE sip:page@192.0.2.10:5060 SIP/2.0\n"
		"Record-Route: <sip:192.0.2.1;lr;ftag=f00ba4>\n"
		"Record-Route: <sip:192.0.2.2;lr>\n"
		"Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKprx.1\n"
		"Via: SIP/2.0/UDP 192.0.2.50:5060;received=192.0.2.50;branch=z9hG4bKua;rport=5060\n"
		"Max-Forwards: 69\n"
		"To: <sip:page@example.org>\n"
		"From: \"alice\" <sip:alice@example.org>;tag=f00ba4\n"
		"Call-ID: rr-1\n"
		"CSeq: 4 INVITE\n"
		"Contact: <sip:alice@192.0.2.50:5060>\n", sdp_savp);
	assert_int_equal(status_of(1), 200);
	/* Both Vias in order, both Record-Routes; the proxy's source is 192.0.2.50
	 * here, so its Via gets received=.
	 */
	{
		const char *v1 = strstr(sent[1].buf, "\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKprx.1;received=192.0.2.50\r\n");
		const char *v2 = strstr(sent[1].buf, "\r\nVia: SIP/2.0/UDP 192.0.2.50:5060;received=192.0.2.50;branch=z9hG4bKua;rport=5060\r\n");
		const char *r1 = strstr(sent[1].buf, "\r\nRecord-Route: <sip:192.0.2.1;lr;ftag=f00ba4>\r\n");
		const char *r2 = strstr(sent[1].buf, "\r\nRecord-Route: <sip:192.0.2.2;lr>\r\n");

		assert_non_null(v1);
		assert_non_null(v2);
		assert_true(v1 < v2);
		assert_non_null(r1);
		assert_non_null(r2);
		assert_true(r1 < r2);
	}
	save_tag(1);
	{
		char ack_hdrs[1024];

		snprintf(ack_hdrs, sizeof(ack_hdrs),
			 "ACK sip:page@192.0.2.10:5060 SIP/2.0\n"
			 "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKprx.2\n"
			 "Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKua2;rport\n"
			 "Route: <sip:192.0.2.2;lr>\n"
			 "To: <sip:page@example.org>;tag=%s\n"
			 "From: \"alice\" <sip:alice@example.org>;tag=f00ba4\n"
			 "Call-ID: rr-1\n"
			 "CSeq: 4 ACK\n", to_tag);
		deliver(ack_hdrs, NULL);
	}
	/* Silence: five idle looks two seconds apart end it, and our BYE
	 * follows the route set in order.
	 */
	fake_advance(9999);
	assert_memory_equal(sent[nsent - 1].buf, "SIP/2.0 200 ", 12);
	fake_advance(1);
	i = nsent - 1;
	assert_memory_equal(sent[i].buf, "BYE sip:alice@192.0.2.50:5060 SIP/2.0\r\n", 39);
	{
		const char *r1 = strstr(sent[i].buf, "\r\nRoute: <sip:192.0.2.1;lr;ftag=f00ba4>\r\n");
		const char *r2 = strstr(sent[i].buf, "\r\nRoute: <sip:192.0.2.2;lr>\r\n");

		assert_non_null(r1);
		assert_non_null(r2);
		assert_true(r1 < r2);
	}
	assert_non_null(strstr(hdr(i, "Via"), "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK"));
	assert_string_equal(hdr(i, "To"), "\"alice\" <sip:alice@example.org>;tag=f00ba4");
	assert_non_null(strstr(hdr(i, "From"), "<sip:page@example.org>;tag="));
	assert_non_null(strstr(hdr(i, "From"), to_tag));
	assert_string_equal(hdr(i, "Call-ID"), "rr-1");
	assert_string_equal(hdr(i, "Max-Forwards"), "70");
	/* Unanswered, it is retransmitted on UDP (Timer E). */
	fake_advance(500);
	assert_int_equal(nsent, i + 2);
	assert_string_equal(sent[i + 1].buf, sent[i].buf);
}

static void malformed_400(void **state)
{
	const char *bad =
		"INVITE sip:page@192.0.2.10 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKbad\r\n"
		"To: <sip:page@192.0.2.10>\r\n"
		"From: <sip:alice@192.0.2.50>;tag=1\r\n"
		"Call-ID: bad1\r\n"
		"CSeq: 1 INVITE\r\n"
		"Contact: <sip:alice@192.0.2.50\r\n"
		"Content-Length: 0\r\n\r\n";
	struct sip_msg m;
	struct sip_error err;

	start();
	assert_int_equal(sip_msg_parse(&m, bad, strlen(bad), 0, &err), -1);
	assert_true(err.can_reply);
	call_rx_malformed(cl, &m, &err, &peer);
	sip_msg_free(&m);
	assert_int_equal(nsent, 1);
	assert_int_equal(status_of(0), 400);
	assert_string_equal(hdr(0, "CSeq"), "1 INVITE");
	assert_non_null(hdr(0, "Warning"));
}

static void invite_without_contact_400(void **state)
{
	start();
	deliver("INVITE sip:page@192.0.2.10 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKnc\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: <sip:alice@192.0.2.50>;tag=1\n"
		"Call-ID: nc1\n"
		"CSeq: 1 INVITE\n", sdp_savp);
	assert_int_equal(nsent, 1);
	assert_int_equal(status_of(0), 400);
	/* A target our BYE could not be sent to is no better. */
	deliver("INVITE sip:page@192.0.2.10 SIP/2.0\n"
		"Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKnc2\n"
		"To: <sip:page@192.0.2.10>\n"
		"From: <sip:alice@192.0.2.50>;tag=2\n"
		"Call-ID: nc2\n"
		"CSeq: 1 INVITE\n"
		"Contact: <tel:+15550100>\n", sdp_savp);
	assert_int_equal(nsent, 2);
	assert_int_equal(status_of(1), 400);
	assert_non_null(strstr(hdr(1, "Warning"), "Contact is not a SIP or SIPS URI"));
	assert_int_equal(kf.nnew, 0);
}

static void require_420(void **state)
{
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKq1") "Require: 100rel\n", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 420);
	assert_string_equal(hdr(nsent - 1, "Unsupported"), "100rel");
	assert_int_equal(kf.nnew, 0);
}

static void media_timeout_bye(void **state)
{
	unsigned int i;

	cfg.timeout_s = 10;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKt1"), sdp_savp);
	save_tag(1);
	in_dialog("ACK", 1, "z9hG4bKt2", NULL);
	/* Packets keep coming for a minute: the call stays. */
	for (i = 0; i < 30; i++) {
		kf.packets += 100;
		fake_advance(2000);
	}
	assert_int_equal(kf.ndel, 0);
	assert_int_equal(status_of(nsent - 1), 200);
	/* Then silence: ended within 1.2 timeouts, with a BYE. */
	fake_advance(9999);
	assert_int_equal(kf.ndel, 0);
	fake_advance(2001);
	assert_int_equal(kf.ndel, 1);
	assert_memory_equal(sent[nsent - 1].buf, "BYE ", 4);
	/* Its 200 ends the BYE transaction: no retransmission after. */
	{
		unsigned int n = nsent;
		char resp[1024];
		struct sip_msg m;
		struct sip_error err;
		const char *via = hdr(n - 1, "Via");

		snprintf(resp, sizeof(resp),
			 "SIP/2.0 200 OK\r\nVia: %s\r\nTo: \"alice\" <sip:alice@192.0.2.50>;tag=f00ba4\r\n"
			 "From: <sip:page@192.0.2.10>;tag=%s\r\nCall-ID: 7f5d3c1e9a@192.0.2.50\r\n"
			 "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n", via, to_tag);
		assert_int_equal(sip_msg_parse(&m, resp, strlen(resp), 0, &err), 0);
		call_rx_response(cl, &m);
		sip_msg_free(&m);
		fake_advance(60000);
		assert_int_equal(nsent, n);
	}
}

/* ---- RFC 4028 session timers --------------------------------------------- */

/* The caller refreshes; we answer each time and give up only when it stops. */
static void session_timer_refreshed_then_expires(void **state)
{
	cfg.timeout_s = 0;	/* no media inactivity check in the way */
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKe1") "Session-Expires: 90\nMin-SE: 90\n"
		"Supported: timer\n", sdp_savp);
	assert_int_equal(status_of(1), 200);
	assert_string_equal(hdr(1, "Session-Expires"), "90;refresher=uac");
	assert_string_equal(hdr(1, "Require"), "timer");
	assert_string_equal(hdr(1, "Supported"), "timer");
	save_tag(1);
	in_dialog("ACK", 1, "z9hG4bKe2", NULL);
	/* A refresh at 50 s (the caller's half-interval), a 2xx again with the timer. */
	fake_advance(50000);
	in_dialog_x("INVITE", 2, "z9hG4bKe3", "Session-Expires: 90;refresher=uac\n"
		    "Supported: timer\n", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_string_equal(hdr(nsent - 1, "Session-Expires"), "90;refresher=uac");
	in_dialog("ACK", 2, "z9hG4bKe4", NULL);
	/* 60 s after that 2xx (90 - min(32, 30)), not before: our BYE. */
	fake_advance(59999);
	assert_int_equal(kf.ndel, 0);
	assert_memory_equal(sent[nsent - 1].buf, "SIP/2.0 200", 11);
	fake_advance(1);
	assert_int_equal(kf.ndel, 1);
	assert_memory_equal(sent[nsent - 1].buf, "BYE ", 4);
}

/* Without a refresh the call ends 60 s after the first 2xx. */
static void session_timer_no_refresh_bye(void **state)
{
	cfg.timeout_s = 0;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKe5") "Session-Expires: 120\nSupported: timer\n",
		sdp_savp);
	save_tag(1);
	in_dialog("ACK", 1, "z9hG4bKe6", NULL);
	fake_advance(87999);	/* 120 - 32 */
	assert_int_equal(kf.ndel, 0);
	fake_advance(1);
	assert_int_equal(kf.ndel, 1);
	assert_memory_equal(sent[nsent - 1].buf, "BYE ", 4);
}

/* Too small: 422 with our Min-SE, no stream; the retry with 90 is answered. */
static void session_timer_too_small_422(void **state)
{
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKe7") "Session-Expires: 60\nSupported: timer\n",
		sdp_savp);
	assert_int_equal(status_of(nsent - 1), 422);
	assert_string_equal(hdr(nsent - 1, "Min-SE"), "90");
	assert_int_equal(kf.nnew, 0);
	save_tag(nsent - 1);
	in_dialog("ACK", 1, "z9hG4bKe7", NULL);
	deliver(INVITE_HDRS("2", "z9hG4bKe8") "Session-Expires: 90\nMin-SE: 90\n"
		"Supported: timer\n", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_string_equal(hdr(nsent - 1, "Session-Expires"), "90;refresher=uac");
	assert_int_equal(kf.nnew, 1);
}

/* A refresh asking too little is refused and the session keeps its deadline. */
static void session_timer_refresh_422_keeps_deadline(void **state)
{
	cfg.timeout_s = 0;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKe9") "Session-Expires: 90\nSupported: timer\n",
		sdp_savp);
	save_tag(1);
	in_dialog("ACK", 1, "z9hG4bKea", NULL);
	fake_advance(30000);
	in_dialog_x("INVITE", 2, "z9hG4bKeb", "Session-Expires: 45\nSupported: timer\n",
		    sdp_savp);
	assert_int_equal(status_of(nsent - 1), 422);
	in_dialog("ACK", 2, "z9hG4bKeb", NULL);
	fake_advance(29999);
	assert_int_equal(kf.ndel, 0);
	fake_advance(1);
	assert_int_equal(kf.ndel, 1);
}

/* No timer: a caller without timer support, or refresher=uas asked; a
 * refresh without Session-Expires turns a running one off. Require: timer
 * is no 420.
 */
static void session_timer_declined(void **state)
{
	cfg.timeout_s = 0;
	start();
	deliver(INVITE_HDRS("1", "z9hG4bKec") "Session-Expires: 90;refresher=uas\n"
		"Require: timer\n", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_null(hdr(nsent - 1, "Session-Expires"));
	assert_null(hdr(nsent - 1, "Require"));
	save_tag(nsent - 1);
	in_dialog("ACK", 1, "z9hG4bKed", NULL);
	in_dialog_x("INVITE", 2, "z9hG4bKee", "Session-Expires: 90\nSupported: timer\n",
		    sdp_savp);
	assert_string_equal(hdr(nsent - 1, "Session-Expires"), "90;refresher=uac");
	in_dialog("ACK", 2, "z9hG4bKef", NULL);
	in_dialog("INVITE", 3, "z9hG4bKeg", sdp_savp);
	assert_int_equal(status_of(nsent - 1), 200);
	assert_null(hdr(nsent - 1, "Session-Expires"));
	in_dialog("ACK", 3, "z9hG4bKeh", NULL);
	fake_advance(3600000);
	assert_int_equal(kf.ndel, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(media_init_whole),
		cmocka_unit_test_setup_teardown(invite_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(retransmits_until_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(retransmitted_invite, setup, teardown),
		cmocka_unit_test_setup_teardown(retransmitted_invite_long_branch, setup, teardown),
		cmocka_unit_test_setup_teardown(no_ack_ends_with_bye, setup, teardown),
		cmocka_unit_test_setup_teardown(bye_ends_call, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_before_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(answer_delay_then_200, setup, teardown),
		cmocka_unit_test_setup_teardown(options_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_method_405, setup, teardown),
		cmocka_unit_test_setup_teardown(max_calls_486, setup, teardown),
		cmocka_unit_test_setup_teardown(plain_refused_when_required, setup, teardown),
		cmocka_unit_test_setup_teardown(plain_accepted_when_optional, setup, teardown),
		cmocka_unit_test_setup_teardown(savp_refused_when_off, setup, teardown),
		cmocka_unit_test_setup_teardown(status_lists_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(module_absent_503, setup, teardown),
		cmocka_unit_test_setup_teardown(reinvite_new_port_until_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(reinvite_same_keys_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(reinvite_mki_adds_before_removing, setup, teardown),
		cmocka_unit_test_setup_teardown(hold_mutes, setup, teardown),
		cmocka_unit_test_setup_teardown(account_zone_outputs, setup, teardown),
		cmocka_unit_test_setup_teardown(sendonly_page_is_not_hold, setup, teardown),
		cmocka_unit_test_setup_teardown(reinvite_refused_keeps_call, setup, teardown),
		cmocka_unit_test_setup_teardown(retry_after_refusal, setup, teardown),
		cmocka_unit_test_setup_teardown(reinvite_codec_change_new_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(tcp_retransmits_only_2xx, setup, teardown),
		cmocka_unit_test_setup_teardown(ipv6_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(record_route_and_route_set, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_400, setup, teardown),
		cmocka_unit_test_setup_teardown(invite_without_contact_400, setup, teardown),
		cmocka_unit_test_setup_teardown(require_420, setup, teardown),
		cmocka_unit_test_setup_teardown(media_timeout_bye, setup, teardown),
		cmocka_unit_test_setup_teardown(call_plays_on_sink, setup, teardown),
		cmocka_unit_test_setup_teardown(session_timer_refreshed_then_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(session_timer_no_refresh_bye, setup, teardown),
		cmocka_unit_test_setup_teardown(session_timer_too_small_422, setup, teardown),
		cmocka_unit_test_setup_teardown(session_timer_refresh_422_keeps_deadline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(session_timer_declined, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
