// SPDX-License-Identifier: GPL-2.0
/*
 * rtp-junk: send crafted, malformed or borderline RTP datagrams, for the VM
 * tests that check what a herald stream does with them.
 *
 *   rtp-junk [--count N] [--seq N] [--ssrc X] [--pt N] [--seed N] [--rate PPS]
 *            KIND[*COUNT][,KIND[*COUNT]...] DEST [DEST...]
 *
 *   DEST  ADDR:PORT (IPv6 as [ADDR]:PORT), or ADDR:PORT,SUITE,KEY to protect
 *         with libsrtp2 what a real sender could protect (see below)
 *
 * For each KIND in order, COUNT (default --count, 10) datagrams go to each
 * DEST in turn. Every DEST has its own sequence numbers (from --seq, running
 * on across the kinds) and gets the same random bytes for "random" (the
 * generator restarts from --seed for each DEST).
 *
 * KIND:
 *   trunc:N      the first N (0..11) bytes of a valid RTP header
 *   version:V    a 12-byte header + 20 payload bytes with version V (0..3)
 *   csrc         CC 1..15 (cycling) with the packet ending inside the CSRC list
 *   ext          X set, extension length pointing past the end
 *   ext-short    X set, fewer than the 4 bytes of an extension header
 *   pad-nopayload  P set on a packet without payload bytes
 *   pad-long     P set, padding count > payload length (20)
 *   pad-zero     P set, padding count 0
 *   pad-only     P set, padding count == payload length: nothing left
 *   pad-ok       P set, 20 payload bytes of which the last 4 are padding
 *                (well formed: 16 bytes of audio)
 *   empty        a 12-byte header, no payload at all
 *   random[:MAX] random bytes, length 0..MAX (default 200)
 *   flip:REGION  (needs a key) valid packets with a 160-byte payload from
 *                srtp-send's pattern; every second one (odd packet numbers)
 *                has one bit flipped after protection, in REGION "payload"
 *                or "tag": the k-th flipped packet flips bit k % 8 of byte
 *                k % (region length), so a run of 2 * length packets
 *                flips every byte of the region once
 *
 * With a key, the kinds a sender could produce with a real key (the padding
 * kinds, empty, version:2) are protected, so that they pass authentication
 * and reach the checks behind it; the structural kinds (trunc, version:0/1/3,
 * csrc, ext, ext-short, random) are always sent raw.
 *
 * Prints one JSON line per KIND and DEST: kind, dest, sent, bytes (UDP
 * payload bytes), protected, tampered (flip), payload_bytes and
 * payload_sha256 (the audio bytes a receiver may legitimately forward, in
 * order: pad-ok, version:2 and the untouched flip packets), and how RFC 7983 / RFC 5761
 * sort the datagrams by their first two bytes: rtp (first byte 128..191,
 * payload type outside 64..95, at least 2 bytes), rtcp, stun (first byte
 * 0..3), zrtp (16..19), dtls (20..63), other (everything else, including
 * datagrams under 2 bytes). Exit status 0, or 2 on usage/setup errors.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "rtp_pkt.h"
#include "sdes_key.h"
#include "sha256.h"
#include "srtp_suite.h"

#define MAX_PKT 2048
#define PAYLOAD 20

enum kind {
	K_TRUNC, K_VERSION, K_CSRC, K_EXT, K_EXT_SHORT, K_PAD_NOPAYLOAD, K_PAD_LONG,
	K_PAD_ZERO, K_PAD_ONLY, K_PAD_OK, K_EMPTY, K_RANDOM, K_FLIP,
};

static const char *const kind_names[] = {
	[K_TRUNC] = "trunc", [K_VERSION] = "version", [K_CSRC] = "csrc", [K_EXT] = "ext",
	[K_EXT_SHORT] = "ext-short", [K_PAD_NOPAYLOAD] = "pad-nopayload",
	[K_PAD_LONG] = "pad-long", [K_PAD_ZERO] = "pad-zero", [K_PAD_ONLY] = "pad-only",
	[K_PAD_OK] = "pad-ok", [K_EMPTY] = "empty", [K_RANDOM] = "random",
	[K_FLIP] = "flip",
};

enum flip_region { FLIP_PAYLOAD, FLIP_TAG };
#define FLIP_PAYLOAD_LEN 160

enum demux { D_RTP, D_RTCP, D_STUN, D_ZRTP, D_DTLS, D_OTHER, D_MAX };
static const char *const demux_names[] = {
	"rtp", "rtcp", "stun", "zrtp", "dtls", "other",
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("rtp-junk: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static uint64_t num(const char *s, const char *what, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end || v > max)
		die("%s: bad number '%s'", what, s);
	return v;
}

/* xorshift64*: reproducible junk for a given --seed. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static enum demux classify(const uint8_t *p, size_t len)
{
	uint8_t pt;

	if (len && p[0] <= 3)
		return D_STUN;
	if (len && p[0] >= 16 && p[0] <= 19)
		return D_ZRTP;
	if (len && p[0] >= 20 && p[0] <= 63)
		return D_DTLS;
	if (len < 2 || p[0] < 128 || p[0] > 191)
		return D_OTHER;
	pt = p[1] & 0x7f;
	return pt >= 64 && pt <= 95 ? D_RTCP : D_RTP;
}

#define MAX_SPECS 64
#define MAX_DESTS 16

struct spec {
	const char *text;
	enum kind kind;
	unsigned int arg;	/* trunc:N, version:V, random:MAX, flip:REGION */
	uint64_t count;
};

struct dest {
	const char *text;
	struct tt_addr addr;
	srtp_t srtp;		/* NULL: send raw */
	const struct tt_suite *suite;
	uint16_t seq;		/* next sequence number */
	int fd;
};

struct cfg {
	uint32_t ssrc;
	uint8_t pt;
};

/* Builds packet i; returns its length before protection. *protect: whether
 * a real sender could have protected it (and so it should be, with a key).
 */
static size_t build(const struct cfg *c, const struct spec *sp, uint16_t seq, uint64_t i,
		    uint8_t *buf, bool *protect, size_t *audio)
{
	size_t len, j;
	unsigned int cc;

	*protect = false;
	*audio = 0;
	rtp_build_header(buf, c->pt, false, seq, 160000 + (uint32_t)seq * 160, c->ssrc);
	for (j = 0; j < PAYLOAD; j++)
		buf[RTP_HDR_LEN + j] = (uint8_t)(0xa0 + i + j);
	len = RTP_HDR_LEN + PAYLOAD;

	switch (sp->kind) {
	case K_TRUNC:
		return sp->arg;
	case K_VERSION:
		buf[0] = (uint8_t)(sp->arg << 6);
		*protect = sp->arg == 2;
		*audio = sp->arg == 2 ? PAYLOAD : 0;
		return len;
	case K_CSRC:
		/* One byte short of the CSRC list, however long the trailer. */
		cc = 1 + (unsigned int)(i % 15);
		buf[0] = (uint8_t)(0x80 | cc);
		len = RTP_HDR_LEN + 4 * cc - 1;
		memset(buf + RTP_HDR_LEN, 0x11, len - RTP_HDR_LEN);
		return len;
	case K_EXT:
		/* 8 bytes follow the extension header; it claims 3.. words. */
		buf[0] = 0x90;
		buf[12] = 0xbe;
		buf[13] = 0xde;
		buf[14] = (uint8_t)((3 + i % 1000) >> 8);
		buf[15] = (uint8_t)(3 + i % 1000);
		return RTP_HDR_LEN + 4 + 8;
	case K_EXT_SHORT:
		buf[0] = 0x90;
		buf[12] = 0xbe;
		buf[13] = 0xde;
		return RTP_HDR_LEN + 2;
	case K_PAD_NOPAYLOAD:
		buf[0] = 0xa0;
		*protect = true;
		return RTP_HDR_LEN;
	case K_PAD_LONG:
		buf[0] = 0xa0;
		buf[len - 1] = (uint8_t)(PAYLOAD + 1 + i % (255 - PAYLOAD));
		*protect = true;
		return len;
	case K_PAD_ZERO:
		buf[0] = 0xa0;
		buf[len - 1] = 0;
		*protect = true;
		return len;
	case K_PAD_ONLY:
		buf[0] = 0xa0;
		buf[len - 1] = PAYLOAD;
		*protect = true;
		return len;
	case K_PAD_OK:
		buf[0] = 0xa0;
		memset(buf + len - 4, 0, 3);
		buf[len - 1] = 4;
		*protect = true;
		*audio = PAYLOAD - 4;
		return len;
	case K_EMPTY:
		*protect = true;
		return RTP_HDR_LEN;
	case K_RANDOM:
		len = (size_t)(rng() % (sp->arg + 1));
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)rng();
		return len;
	case K_FLIP:
		tt_pattern_fill(buf + RTP_HDR_LEN, FLIP_PAYLOAD_LEN, (uint32_t)i);
		*protect = true;
		*audio = i % 2 ? 0 : FLIP_PAYLOAD_LEN;
		return RTP_HDR_LEN + FLIP_PAYLOAD_LEN;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fputs("usage: rtp-junk [--count N] [--seq N] [--ssrc X] [--pt N] [--seed N]\n"
	      "                [--rate PPS] KIND[*COUNT][,KIND[*COUNT]...]\n"
	      "                ADDR:PORT[,SUITE,KEY] [ADDR:PORT[,SUITE,KEY]...]\n"
	      "KIND: trunc:N version:V csrc ext ext-short pad-nopayload pad-long\n"
	      "      pad-zero pad-only pad-ok empty random[:MAX]\n", stderr);
	exit(2);
}

/* KIND[:ARG][*COUNT] */
static void parse_spec(char *text, uint64_t count, struct spec *sp)
{
	char *star = strchr(text, '*'), *colon;
	unsigned int k;
	size_t n;

	sp->count = count;
	if (star) {
		*star = '\0';
		sp->count = num(star + 1, "kind count", UINT32_MAX);
	}
	sp->text = text;
	colon = strchr(text, ':');
	n = colon ? (size_t)(colon - text) : strlen(text);
	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (strlen(kind_names[k]) == n && !strncmp(text, kind_names[k], n))
			break;
	if (k == sizeof(kind_names) / sizeof(kind_names[0]))
		die("unknown kind '%s'", text);
	sp->kind = (enum kind)k;
	switch (sp->kind) {
	case K_TRUNC:
		if (!colon)
			die("trunc:N needs N (0..11)");
		sp->arg = (unsigned int)num(colon + 1, "trunc", RTP_HDR_LEN - 1);
		break;
	case K_VERSION:
		if (!colon)
			die("version:V needs V (0..3)");
		sp->arg = (unsigned int)num(colon + 1, "version", 3);
		break;
	case K_RANDOM:
		sp->arg = colon ? (unsigned int)num(colon + 1, "random", MAX_PKT - 64) : 200;
		break;
	case K_FLIP:
		if (colon && !strcmp(colon + 1, "payload"))
			sp->arg = FLIP_PAYLOAD;
		else if (colon && !strcmp(colon + 1, "tag"))
			sp->arg = FLIP_TAG;
		else
			die("flip:REGION needs REGION payload or tag");
		break;
	default:
		if (colon)
			die("kind '%s' takes no argument", kind_names[k]);
	}
}

/* ADDR:PORT[,SUITE,KEY] */
static void parse_dest(char *text, struct dest *d, uint16_t seq)
{
	char *suite_name = strchr(text, ','), *key_text, err[200];
	const struct tt_suite *suite;
	struct sdes_key key;

	d->text = text;
	d->seq = seq;
	if (suite_name) {
		*suite_name++ = '\0';
		key_text = strchr(suite_name, ',');
		if (!key_text)
			die("%s: want ADDR:PORT,SUITE,KEY", text);
		*key_text++ = '\0';
		suite = tt_suite_find(suite_name);
		if (!suite)
			die("unknown suite '%s'", suite_name);
		if (sdes_key_parse(key_text, &key, err, sizeof(err)))
			die("%s: key: %s", text, err);
		if (key.mki_len)
			die("%s: keys with an MKI are not supported here", text);
		if (tt_session_create(&d->srtp, suite, &key, 1, true, 0, err, sizeof(err)))
			die("%s", err);
		d->suite = suite;
		sdes_key_wipe(&key);
	}
	if (tt_addr_parse(text, true, &d->addr))
		die("bad destination '%s'", text);
	d->fd = socket(tt_addr_family(&d->addr), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (d->fd < 0)
		die("socket: %s", strerror(errno));
	tt_sock_bufs(d->fd, SO_SNDBUF, 4 << 20);
}

static void send_one(const struct dest *d, const uint8_t *buf, size_t len)
{
	for (;;) {
		if (sendto(d->fd, buf, len, 0, (const struct sockaddr *)&d->addr.ss,
			   d->addr.len) >= 0)
			return;
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			die("sendto %s: %s", d->text, strerror(errno));
		usleep(100);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "seq", required_argument, NULL, 'q' },
		{ "ssrc", required_argument, NULL, 's' },
		{ "pt", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 'r' },
		{ "rate", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static uint8_t buf[MAX_PKT + SRTP_MAX_TRAILER_LEN];
	static struct spec specs[MAX_SPECS];
	static struct dest dests[MAX_DESTS];
	struct cfg c = { .ssrc = 0x4a554e4b, .pt = 0 };
	uint64_t count = 10, seed = 1, rate = 0, sent_all = 0;
	unsigned int nspecs = 0, ndests = 0, si, di;
	uint16_t seq = 1000;
	char *tok, *save = NULL;
	double t0;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'c': count = num(optarg, "--count", UINT32_MAX); break;
		case 'q': seq = (uint16_t)num(optarg, "--seq", 65535); break;
		case 's': c.ssrc = (uint32_t)num(optarg, "--ssrc", UINT32_MAX); break;
		case 'p': c.pt = (uint8_t)num(optarg, "--pt", 127); break;
		case 'r': seed = num(optarg, "--seed", UINT64_MAX); break;
		case 'R': rate = num(optarg, "--rate", 1000000); break;
		default: usage();
		}
	}
	if (argc - optind < 2)
		usage();
	for (tok = strtok_r(argv[optind], ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (nspecs == MAX_SPECS)
			die("at most %d kinds", MAX_SPECS);
		parse_spec(tok, count, &specs[nspecs++]);
	}
	for (optind++; optind < argc; optind++) {
		if (ndests == MAX_DESTS)
			die("at most %d destinations", MAX_DESTS);
		parse_dest(argv[optind], &dests[ndests++], seq);
	}

	t0 = now();
	for (si = 0; si < nspecs; si++) {
		const struct spec *sp = &specs[si];

		for (di = 0; di < ndests; di++) {
			struct dest *d = &dests[di];
			uint64_t demux[D_MAX] = { 0 }, bytes = 0, audio_total = 0, tampered = 0, i;
			char audio_hex[SHA256_HEX_LEN];
			bool any_protected = false;
			struct sha256 audio_sha;
			int j;

			if (sp->kind == K_FLIP && !d->srtp)
				die("flip needs a destination with a key: %s", d->text);
			if (sha256_init(&audio_sha))
				die("sha256_init failed");

			rng_state = (seed + 1) * 0x9e3779b97f4a7c15ull | 1;
			for (i = 0; i < sp->count; i++) {
				bool protect;
				size_t audio, len = build(&c, sp, d->seq++, i, buf, &protect, &audio);

				/* The audio (clear) follows the fixed header in every kind. */
				if (audio)
					sha256_update(&audio_sha, buf + RTP_HDR_LEN, audio);

				if (protect && d->srtp) {
					int plen = (int)len;
					srtp_err_status_t e = srtp_protect(d->srtp, buf, &plen);

					if (e)
						die("srtp_protect %s packet %" PRIu64 ": %s", sp->text, i,
						    tt_srtp_strerror(e));
					len = (size_t)plen;
					any_protected = true;
				}
				if (sp->kind == K_FLIP && i % 2) {
					size_t k = (size_t)tampered, region, off;

					if (sp->arg == FLIP_PAYLOAD) {
						region = FLIP_PAYLOAD_LEN;
						off = RTP_HDR_LEN;
					} else {
						region = d->suite->tag_len;
						off = len - region;
					}
					buf[off + k % region] ^= (uint8_t)(1u << (k % 8));
					tampered++;
				}

				demux[classify(buf, len)]++;
				audio_total += audio;
				send_one(d, buf, len);
				bytes += len;
				sent_all++;
				if (rate) {
					double wait = t0 + (double)sent_all / (double)rate - now();

					if (wait > 0)
						usleep((useconds_t)(wait * 1e6));
				}
			}
			sha256_final_hex(&audio_sha, audio_hex);
			printf("{\"kind\":\"%s\",\"dest\":\"%s\",\"sent\":%" PRIu64
			       ",\"bytes\":%" PRIu64 ",\"protected\":%s,\"tampered\":%" PRIu64
			       ",\"payload_bytes\":%" PRIu64 ",\"payload_sha256\":\"%s\"",
			       sp->text, d->text, sp->count, bytes,
			       any_protected ? "true" : "false", tampered, audio_total, audio_hex);
			for (j = 0; j < D_MAX; j++)
				printf(",\"%s\":%" PRIu64, demux_names[j], demux[j]);
			printf("}\n");
		}
	}
	for (di = 0; di < ndests; di++) {
		close(dests[di].fd);
		if (dests[di].srtp)
			srtp_dealloc(dests[di].srtp);
	}
	return 0;
}
