// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for daemon/sip/call.c (with dialog.c, media.c, sdp.c,
 * sdes.c, msg.c): a sequence of requests and responses through the call
 * layer, with the clock moved between them, over a fake herald.ko and a
 * transport that checks what the call layer sends.
 *
 * Input: chunks separated by a NUL byte. Each chunk's first byte is
 * control: bits 0-1 the transport (UDP, TCP, TLS), bit 2 "the module is
 * absent", bits 3-7 how far the clock moves before the message (x 1.5 s, so
 * retransmissions, Timer H and the media timeout all happen). The rest is a
 * SIP message, parsed as the transport would.
 *
 * Oracle: everything the call layer sends must parse back: requests (our
 * BYE) always, responses unless they carry several Via values (refused by
 * the parser by design, and lower ones may be broken in a 400). No leak, no
 * sanitizer report. Randomness (tags, keys) is a constant so a corpus can name our
 * To tag: "abababababababab".
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Idaemon -Iuapi \
 *     tests/fuzz/fuzz_call.c tests/unit/fake_loop.c daemon/sip/call.c daemon/sip/dialog.c \
 *     daemon/sip/session_timer.c daemon/media.c daemon/call_config.c daemon/sdp.c daemon/sdes.c daemon/sip/msg.c \
 *     daemon/log.c -o build/fuzz/fuzz_call
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../../daemon/log.h"
#include "../../daemon/sip/call.h"
#include "../unit/fake_loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Constant randomness: reproducible runs, and a To tag a corpus can use. */
ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	memset(buf, 0xab, len);
	return (ssize_t)len;
}

static bool absent;
static uint32_t next_id;
static uint64_t packets;

static int k_new(void *ctx, const struct kernel_stream_req *req, uint32_t *id, char *why,
		 size_t whylen)
{
	if (absent) {
		snprintf(why, whylen, "herald module not loaded");
		return -ENOENT;
	}
	if (req->fd < 0 || req->nkeys > HERALD_MAX_KEYS)
		abort();
	*id = ++next_id;
	return 0;
}

static int k_del(void *ctx, uint32_t id, char *why, size_t whylen)
{
	return 0;
}

static int k_add_key(void *ctx, uint32_t id, const struct kernel_key *key, char *why,
		     size_t whylen)
{
	return absent ? -ENOENT : 0;
}

static int k_del_key(void *ctx, uint32_t id, uint32_t mki, char *why, size_t whylen)
{
	return 0;
}

static int k_set_outputs(void *ctx, uint32_t id, const uint32_t *outputs, unsigned int n,
			 char *why, size_t whylen)
{
	if (n > HERALD_MAX_OUTPUTS)
		abort();
	return absent ? -ENOENT : 0;
}

static int k_packets(void *ctx, uint32_t id, uint64_t *p, char *why, size_t whylen)
{
	*p = packets;
	return absent ? -ENOENT : 0;
}

static const struct kernel_ops kops = {
	.new_stream = k_new, .del_stream = k_del, .add_key = k_add_key,
	.del_key = k_del_key, .set_outputs = k_set_outputs, .packets = k_packets,
};

/* Responses to proxied requests carry every Via, and msg.c answers a
 * request whose lower Via values are broken (only the top one must parse):
 * such a response may not parse back, by design (as in fuzz_sip.c).
 */
static bool several_vias(const char *buf, size_t len)
{
	const char *p = memmem(buf, len, "\r\nVia: ", 7);

	return p && memmem(p + 7, len - (size_t)(p + 7 - buf), "\r\nVia: ", 7);
}

static int io_send(void *ctx, const struct call_peer *peer, const char *buf, size_t len)
{
	struct sip_msg m;
	struct sip_error err;
	int ret = sip_msg_parse(&m, buf, len, SIP_PARSE_STREAM, &err);
	bool response = len > 8 && !memcmp(buf, "SIP/2.0 ", 8);

	sip_msg_free(&m);
	if (ret && !(response && several_vias(buf, len))) {
		/* We sent something unparseable. */
		fprintf(stderr, "sent message does not parse: %s\n%.*s\n", err.text, (int)len, buf);
		abort();
	}
	return 0;
}

static int io_contact(void *ctx, const struct call_peer *peer, char *buf, size_t size)
{
	snprintf(buf, size, "sip:page@192.0.2.10:5060");
	return 0;
}

static const struct call_io io = { .send = io_send, .contact = io_contact };

static struct call_config cfg;
static struct call_policy pol;

static int init(void)
{
	char err[200];

	/* FUZZ_CALL_LOG=1 shows what a corpus file makes the call layer do. */
	log_set_level(getenv("FUZZ_CALL_LOG") ? LOGL_DEBUG : LOGL_ERROR);
	call_config_defaults(&cfg);
	cfg.max_calls = 2;
	cfg.answer_delay_ms = 1000;
	cfg.timeout_s = 10;
	cfg.port_min = 42000;
	cfg.port_max = 42099;
	cfg.srtp = MEDIA_SRTP_OPTIONAL;
	return call_config_check(&cfg, &pol, err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct call_layer *cl;
	struct call_peer peer = { 0 };
	struct sockaddr_in *r = (struct sockaddr_in *)&peer.remote;
	struct sockaddr_in *l = (struct sockaddr_in *)&peer.local;
	size_t off = 0;

	if (!ready) {
		if (init())
			abort();
		ready = true;
	}
	r->sin_family = AF_INET;
	r->sin_port = htons(5060);
	r->sin_addr.s_addr = htonl(0xc0000232);	/* 192.0.2.50 */
	l->sin_family = AF_INET;
	l->sin_port = htons(5060);
	l->sin_addr.s_addr = htonl(0x7f000001);
	absent = false;
	packets = 0;
	cl = call_layer_new(NULL, &cfg, &pol, &io, &kops, NULL);
	if (!cl)
		return 0;
	while (off < size) {
		const uint8_t *end = memchr(data + off, 0, size - off);
		size_t len = end ? (size_t)(end - (data + off)) : size - off;
		struct sip_msg m;
		struct sip_error err;

		if (len) {
			uint8_t ctl = data[off];

			peer.transport = (enum call_transport)((ctl & 3) % 3);
			absent = ctl & 4;
			fake_advance((uint64_t)(ctl >> 3) * 1500);
			packets += ctl & 1;
			if (!sip_msg_parse(&m, (const char *)data + off + 1, len - 1,
					   peer.transport == CALL_TP_UDP ? 0 : SIP_PARSE_STREAM,
					   &err)) {
				if (m.is_request)
					call_rx_request(cl, &m, &peer, NULL);
				else
					call_rx_response(cl, &m);
			} else if (m.is_request) {
				call_rx_malformed(cl, &m, &err, &peer);
			}
			sip_msg_free(&m);
		}
		off += len + 1;
	}
	/* Let every timer run out before the layer goes. */
	fake_advance(120000);
	call_layer_free(cl);
	return 0;
}
