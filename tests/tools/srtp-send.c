// SPDX-License-Identifier: GPL-2.0
/*
 * srtp-send: generate an RTP stream, protect it with libsrtp2 and send it over
 * UDP, with the faults a receiver must survive (reordering, duplicates, bit
 * flips, a wrong key, MKI key rotation, seeded random loss, packets held back,
 * timestamp jumps, a talker change). Prints one JSON summary line whose
 * digests a receiver's verdict can be compared with.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "rtp_pkt.h"
#include "sdes_key.h"
#include "sha256.h"
#include "srtp_suite.h"

#define MAX_PAYLOAD 4096
#define PKT_BUF (RTP_HDR_LEN + MAX_PAYLOAD + SRTP_MAX_TRAILER_LEN)
#define BATCH 256
#define FAST_MEM_LIMIT (1ull << 30)	/* pre-protected packets, bytes */
#define MAX_JUMPS 4
#define MAX_HELD 64
#define MAX_LOST_LISTED 1024

enum tamper_where { T_NONE, T_HEADER, T_PAYLOAD, T_MKI, T_TAG };

struct send_cfg {
	const char *dst, *suite, *payload_file, *bind, *iface;
	struct sdes_key keys[2];
	int nkeys;
	bool plain, wrong_key, quiet;
	uint32_t ssrc, ts, ts_step;
	uint16_t seq;
	uint8_t pt;
	uint64_t count, switch_at, reorder, duplicate;
	bool count_set, ts_step_set;
	double rate;
	size_t payload_size;
	int ttl;
	enum tamper_where tamper;
	size_t tamper_off;
	uint64_t tamper_every;
	double loss;			/* share of packets not sent, 0..1 */
	uint64_t seed;
	uint64_t hold_every, hold_by;	/* every Nth packet sent D packets late */
	uint64_t jump_at[MAX_JUMPS];	/* timestamps move by jump_by from here on */
	int64_t jump_by[MAX_JUMPS];
	int njumps;
	uint64_t ssrc_at;		/* packets from here on under ssrc2 */
	uint32_t ssrc2;
	bool ssrc2_set;
};

/* One packet at a time, in sequence order; the caller decides send order. */
struct gen {
	const struct send_cfg *c;
	const struct tt_suite *suite;
	srtp_t srtp;
	uint8_t *file;
	size_t file_len, nframes;
	struct sha256 all, valid;
	uint64_t payload_bytes, valid_packets, tampered;
	uint64_t lost, held;
	uint64_t lost_idx[MAX_LOST_LISTED];
};

/* Where datagrams go: a packed pre-protected list, or straight on the wire. */
struct sink {
	int fd;
	struct tt_addr dst;
	bool fast;
	double t0, interval;
	double first_sent;	/* CLOCK_MONOTONIC, s: the first datagram's send */
	uint64_t slots;		/* paced datagrams so far (duplicates excluded) */
	uint8_t *mem;
	size_t mem_len, mem_cap;
	size_t *off;
	uint32_t *len;
	uint64_t n, cap;
	uint64_t sent;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: srtp-send [options] ADDR:PORT\n"
"  --suite NAME          SDES suite (default AES_CM_128_HMAC_SHA1_80)\n"
"  --key KEY             inline:B64[|LIFETIME][|MKI:LEN] or B64\n"
"  --key-file FILE       first line key 1, optional second line key 2\n"
"  --mki ID:LEN          MKI of key 1\n"
"  --key2 KEY --mki2 ID:LEN --switch-at N\n"
"                        packets N.. use key 2 (both keys need MKIs)\n"
"  --plain               plain RTP\n"
"  --wrong-key           protect with a key differing from the given one\n"
"  --ssrc X --seq N --ts N --pt N --ts-step N\n"
"  --count N             packets (default 100, or the frames of --payload-file)\n"
"  --rate PPS            packets per second (default 50); 0 = as fast as\n"
"                        possible, all packets protected before sending\n"
"  --payload-size N      bytes per packet (default 160)\n"
"  --payload-file FILE   raw payload (e.g. G.711) cut into frames; default is\n"
"                        a generated pattern srtp-recv --check-pattern checks\n"
"  --reorder N           swap packet N-1 with packet N, every N packets\n"
"  --duplicate N         send every Nth packet twice\n"
"  --tamper WHERE:OFF[:EVERY]  flip a bit at byte OFF of header|payload|mki|tag\n"
"                        of every EVERYth packet (default 10)\n"
"  --loss PCT --seed N   do not send PCT %% of the packets, chosen by a PRNG\n"
"                        seeded with N (default 1); never the first or last\n"
"  --hold N:D            send every Nth packet after the D packets that follow\n"
"  --ts-jump N:DELTA     timestamps from packet N on move by DELTA (signed;\n"
"                        up to 4 jumps)\n"
"  --ssrc-at N:X         packets from N on go under SSRC X (a new talker)\n"
"  --bind ADDR[:PORT]    source address\n"
"  --ttl N --iface NAME  TTL/hop limit; multicast interface\n"
"  --quiet               no JSON summary\n"
"  --list-suites\n");
}

enum {
	OPT_SUITE = 256, OPT_KEY, OPT_KEY_FILE, OPT_MKI, OPT_KEY2, OPT_MKI2,
	OPT_SWITCH_AT, OPT_PLAIN, OPT_WRONG_KEY, OPT_SSRC, OPT_SEQ, OPT_TS,
	OPT_PT, OPT_TS_STEP, OPT_COUNT, OPT_RATE, OPT_PAYLOAD_SIZE,
	OPT_PAYLOAD_FILE, OPT_REORDER, OPT_DUPLICATE, OPT_TAMPER, OPT_BIND,
	OPT_TTL, OPT_IFACE, OPT_QUIET, OPT_LIST, OPT_HELP, OPT_LOSS, OPT_SEED,
	OPT_HOLD, OPT_TS_JUMP, OPT_SSRC_AT,
};

static const struct option opts[] = {
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "mki", required_argument, NULL, OPT_MKI },
	{ "key2", required_argument, NULL, OPT_KEY2 },
	{ "mki2", required_argument, NULL, OPT_MKI2 },
	{ "switch-at", required_argument, NULL, OPT_SWITCH_AT },
	{ "plain", no_argument, NULL, OPT_PLAIN },
	{ "wrong-key", no_argument, NULL, OPT_WRONG_KEY },
	{ "ssrc", required_argument, NULL, OPT_SSRC },
	{ "seq", required_argument, NULL, OPT_SEQ },
	{ "ts", required_argument, NULL, OPT_TS },
	{ "pt", required_argument, NULL, OPT_PT },
	{ "ts-step", required_argument, NULL, OPT_TS_STEP },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "payload-size", required_argument, NULL, OPT_PAYLOAD_SIZE },
	{ "payload-file", required_argument, NULL, OPT_PAYLOAD_FILE },
	{ "reorder", required_argument, NULL, OPT_REORDER },
	{ "duplicate", required_argument, NULL, OPT_DUPLICATE },
	{ "tamper", required_argument, NULL, OPT_TAMPER },
	{ "loss", required_argument, NULL, OPT_LOSS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "ts-jump", required_argument, NULL, OPT_TS_JUMP },
	{ "ssrc-at", required_argument, NULL, OPT_SSRC_AT },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "iface", required_argument, NULL, OPT_IFACE },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "list-suites", no_argument, NULL, OPT_LIST },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static uint64_t num(const char *s, const char *what, uint64_t max)
{
	unsigned long long v;
	char *e;

	errno = 0;
	v = strtoull(s, &e, 0);
	if (errno || !*s || *e || *s == '-' || v > max)
		die("bad %s '%s' (0..%" PRIu64 ")", what, s, max);
	return v;
}

static void parse_key(const char *text, struct sdes_key *k, const char *opt)
{
	char err[160];

	if (sdes_key_parse(text, k, err, sizeof(err)))
		die("%s: %s", opt, err);
}

static void parse_mki(const char *text, struct sdes_key *k, const char *opt)
{
	char err[160];

	if (sdes_mki_parse(text, k, err, sizeof(err)))
		die("%s: %s", opt, err);
}

static void parse_tamper(const char *text, struct send_cfg *c)
{
	static const char *const names[] = {
		[T_HEADER] = "header", [T_PAYLOAD] = "payload",
		[T_MKI] = "mki", [T_TAG] = "tag",
	};
	char buf[64], *off, *every;
	int w;

	snprintf(buf, sizeof(buf), "%s", text);
	off = strchr(buf, ':');
	if (!off)
		die("--tamper WHERE:OFFSET[:EVERY]");
	*off++ = '\0';
	every = strchr(off, ':');
	if (every)
		*every++ = '\0';
	for (w = T_HEADER; w <= T_TAG; w++)
		if (!strcmp(buf, names[w]))
			break;
	if (w > T_TAG)
		die("--tamper: WHERE is header, payload, mki or tag");
	c->tamper = (enum tamper_where)w;
	c->tamper_off = num(off, "--tamper offset", MAX_PAYLOAD);
	c->tamper_every = every ? num(every, "--tamper every", UINT64_MAX) : 10;
	if (!c->tamper_every)
		die("--tamper: EVERY must be >= 1");
}

/* "N:REST": the packet number N, and REST left in *rest. */
static uint64_t parse_at(const char *text, const char *opt, char *buf, size_t size, char **rest)
{
	snprintf(buf, size, "%s", text);
	*rest = strchr(buf, ':');
	if (!*rest)
		die("%s N:VALUE", opt);
	*(*rest)++ = '\0';
	return num(buf, opt, UINT32_MAX);
}

static void parse_ts_jump(const char *text, struct send_cfg *c)
{
	char buf[64], *delta, *e;
	long long v;

	if (c->njumps == MAX_JUMPS)
		die("--ts-jump: at most %d", MAX_JUMPS);
	c->jump_at[c->njumps] = parse_at(text, "--ts-jump", buf, sizeof(buf), &delta);
	errno = 0;
	v = strtoll(delta, &e, 0);
	if (errno || !*delta || *e || v < INT32_MIN || v > INT32_MAX)
		die("--ts-jump: bad DELTA '%s' (a signed 32-bit number)", delta);
	c->jump_by[c->njumps++] = v;
}

static void parse_args(int argc, char **argv, struct send_cfg *c)
{
	const char *key1 = NULL, *key2 = NULL, *key_file = NULL;
	const char *mki1 = NULL, *mki2 = NULL;
	bool switch_set = false;
	char err[160];
	int o, n;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case OPT_SUITE: c->suite = optarg; break;
		case OPT_KEY: key1 = optarg; break;
		case OPT_KEY_FILE: key_file = optarg; break;
		case OPT_MKI: mki1 = optarg; break;
		case OPT_KEY2: key2 = optarg; break;
		case OPT_MKI2: mki2 = optarg; break;
		case OPT_SWITCH_AT:
			c->switch_at = num(optarg, "--switch-at", UINT64_MAX);
			switch_set = true;
			break;
		case OPT_PLAIN: c->plain = true; break;
		case OPT_WRONG_KEY: c->wrong_key = true; break;
		case OPT_SSRC: c->ssrc = (uint32_t)num(optarg, "--ssrc", UINT32_MAX); break;
		case OPT_SEQ: c->seq = (uint16_t)num(optarg, "--seq", 65535); break;
		case OPT_TS: c->ts = (uint32_t)num(optarg, "--ts", UINT32_MAX); break;
		case OPT_PT: c->pt = (uint8_t)num(optarg, "--pt", 127); break;
		case OPT_TS_STEP:
			c->ts_step = (uint32_t)num(optarg, "--ts-step", UINT32_MAX);
			c->ts_step_set = true;
			break;
		case OPT_COUNT:
			c->count = num(optarg, "--count", UINT32_MAX);
			c->count_set = true;
			break;
		case OPT_RATE: {
			char *e;

			c->rate = strtod(optarg, &e);
			if (!*optarg || *e || c->rate < 0)
				die("bad --rate '%s'", optarg);
			break;
		}
		case OPT_PAYLOAD_SIZE:
			c->payload_size = num(optarg, "--payload-size", MAX_PAYLOAD);
			break;
		case OPT_PAYLOAD_FILE: c->payload_file = optarg; break;
		case OPT_REORDER: c->reorder = num(optarg, "--reorder", UINT64_MAX); break;
		case OPT_DUPLICATE: c->duplicate = num(optarg, "--duplicate", UINT64_MAX); break;
		case OPT_TAMPER: parse_tamper(optarg, c); break;
		case OPT_LOSS: {
			char *e;

			c->loss = strtod(optarg, &e) / 100;
			if (!*optarg || *e || c->loss < 0 || c->loss > 1)
				die("bad --loss '%s' (0..100)", optarg);
			break;
		}
		case OPT_SEED: c->seed = num(optarg, "--seed", UINT64_MAX); break;
		case OPT_HOLD: {
			char buf[64], *d;

			c->hold_every = parse_at(optarg, "--hold", buf, sizeof(buf), &d);
			c->hold_by = num(d, "--hold D", MAX_HELD - 1);
			if (!c->hold_every || !c->hold_by)
				die("--hold N:D needs N >= 1 and D >= 1");
			break;
		}
		case OPT_TS_JUMP: parse_ts_jump(optarg, c); break;
		case OPT_SSRC_AT: {
			char buf[64], *x;

			c->ssrc_at = parse_at(optarg, "--ssrc-at", buf, sizeof(buf), &x);
			c->ssrc2 = (uint32_t)num(x, "--ssrc-at SSRC", UINT32_MAX);
			c->ssrc2_set = true;
			break;
		}
		case OPT_BIND: c->bind = optarg; break;
		case OPT_TTL: c->ttl = (int)num(optarg, "--ttl", 255); break;
		case OPT_IFACE: c->iface = optarg; break;
		case OPT_QUIET: c->quiet = true; break;
		case OPT_LIST: tt_suite_list(stdout); exit(0);
		case OPT_HELP: usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		exit(2);
	}
	c->dst = argv[optind];
	if (c->count_set && !c->count)
		die("--count must be >= 1");
	if (!c->payload_size)
		die("--payload-size must be >= 1");
	if (c->hold_every && (c->reorder || c->duplicate))
		die("--hold does not combine with --reorder or --duplicate");

	if (key_file) {
		n = sdes_key_file(key_file, c->keys, 2, err, sizeof(err));
		if (n < 0)
			die("--key-file: %s", err);
		c->nkeys = n;
	}
	if (key1)
		parse_key(key1, &c->keys[0], "--key");
	if (key2)
		parse_key(key2, &c->keys[1], "--key2");
	if (key1 && !key_file)
		c->nkeys = 1;
	if (key2)
		c->nkeys = 2;
	if (mki1)
		parse_mki(mki1, &c->keys[0], "--mki");
	if (mki2)
		parse_mki(mki2, &c->keys[1], "--mki2");

	if (c->plain) {
		if (c->nkeys || c->wrong_key)
			die("--plain takes no key");
		if (c->tamper == T_TAG || c->tamper == T_MKI)
			die("--plain packets have no tag or MKI to tamper with");
		return;
	}
	if (!c->nkeys || !c->keys[0].len)
		die("need --key/--key-file or --plain");
	if (c->nkeys == 2 && !switch_set)
		die("a second key needs --switch-at");
	if (switch_set && c->nkeys != 2)
		die("--switch-at needs a second key (--key2 or a second line)");
	if (c->nkeys == 2 && (!c->keys[0].mki_len || !c->keys[1].mki_len))
		die("key rotation needs an MKI on both keys");
	if (c->tamper == T_MKI && !c->keys[0].mki_len)
		die("--tamper mki needs keys with an MKI");
}

static void load_payload_file(struct gen *g)
{
	const struct send_cfg *c = g->c;
	struct stat st;
	int fd = open(c->payload_file, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st))
		die("%s: %s", c->payload_file, strerror(errno));
	if (!st.st_size)
		die("%s: empty", c->payload_file);
	g->file_len = (size_t)st.st_size;
	g->file = malloc(g->file_len);
	if (!g->file)
		die("out of memory");
	while (got < g->file_len) {
		ssize_t r = read(fd, g->file + got, g->file_len - got);

		if (r <= 0)
			die("%s: short read", c->payload_file);
		got += (size_t)r;
	}
	close(fd);
	g->nframes = (g->file_len + c->payload_size - 1) / c->payload_size;
}

static bool is_tampered(const struct send_cfg *c, uint64_t i)
{
	return c->tamper != T_NONE && (i + 1) % c->tamper_every == 0;
}

/* Packet i's RTP timestamp: one step per packet, plus the jumps passed. */
static uint32_t timestamp(const struct send_cfg *c, uint64_t i)
{
	uint32_t ts = c->ts + (uint32_t)i * c->ts_step;
	int k;

	for (k = 0; k < c->njumps; k++)
		if (i >= c->jump_at[k])
			ts += (uint32_t)c->jump_by[k];
	return ts;
}

/*
 * Whether packet i is lost: a hash of (seed, i), so the choice does not
 * depend on send order and a run is reproduced exactly by its seed. The
 * first and last packets are always sent: without them a receiver sees a
 * page that starts later or ends sooner, not a loss.
 */
static bool is_lost(const struct send_cfg *c, uint64_t i)
{
	uint64_t z = c->seed * 0x9e3779b97f4a7c15ull + i + 1;

	if (c->loss <= 0 || i == 0 || i + 1 >= c->count)
		return false;
	/* splitmix64's finaliser */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (double)(z >> 11) / (double)(1ull << 53) < c->loss;
}

/* Builds and protects packet i into buf (8-byte aligned); returns its length. */
static size_t build(struct gen *g, uint64_t i, uint8_t *buf)
{
	const struct send_cfg *c = g->c;
	size_t plen = c->payload_size, pos, mki, tag;
	uint8_t *payload = buf + RTP_HDR_LEN;
	bool bad = is_tampered(c, i), after;
	int len;

	rtp_build_header(buf, c->pt, i == 0, (uint16_t)(c->seq + i), timestamp(c, i),
			 c->ssrc2_set && i >= c->ssrc_at ? c->ssrc2 : c->ssrc);
	if (g->file) {
		size_t start = (i % g->nframes) * c->payload_size;

		if (start + plen > g->file_len)
			plen = g->file_len - start;
		memcpy(payload, g->file + start, plen);
	} else {
		tt_pattern_fill(payload, plen, (uint32_t)i);
	}
	sha256_update(&g->all, payload, plen);
	g->payload_bytes += plen;
	if (!bad) {
		sha256_update(&g->valid, payload, plen);
		g->valid_packets++;
	}
	len = (int)(RTP_HDR_LEN + plen);

	if (g->srtp) {
		srtp_err_status_t e;

		if (c->keys[0].mki_len)
			e = srtp_protect_mki(g->srtp, buf, &len, 1,
					     c->nkeys == 2 && i >= c->switch_at);
		else
			e = srtp_protect(g->srtp, buf, &len);
		if (e)
			die("srtp_protect packet %" PRIu64 ": %s", i,
			    tt_srtp_strerror(e));
	}
	if (!bad)
		return (size_t)len;

	/*
	 * Offsets are relative to the region. The trailer is payload | MKI |
	 * tag for AES-CM, payload | tag | MKI for AEAD (libsrtp2 agrees).
	 */
	mki = c->plain ? 0 : c->keys[0].mki_len;
	tag = c->plain ? 0 : g->suite->tag_len;
	after = !c->plain && g->suite->mki_after_tag;
	switch (c->tamper) {
	case T_HEADER:
		pos = c->tamper_off;
		break;
	case T_PAYLOAD:
		pos = RTP_HDR_LEN + c->tamper_off;
		break;
	case T_MKI:
		pos = (size_t)len - mki - (after ? 0 : tag) + c->tamper_off;
		break;
	default:
		pos = (size_t)len - tag - (after ? mki : 0) + c->tamper_off;
		break;
	}
	buf[pos] ^= 0x01;
	g->tampered++;
	return (size_t)len;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts = {
		.tv_sec = (time_t)t,
		.tv_nsec = (long)((t - (double)(time_t)t) * 1e9),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void send_one(struct sink *s, const uint8_t *p, size_t len)
{
	while (sendto(s->fd, p, len, 0, (struct sockaddr *)&s->dst.ss,
		      s->dst.len) < 0) {
		/* The qdisc or a full socket buffer: wait instead of dropping. */
		if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
			usleep(200);
			continue;
		}
		die("sendto: %s", strerror(errno));
	}
	if (!s->sent)
		s->first_sent = now();
	s->sent++;
}

static void emit(struct sink *s, const uint8_t *p, size_t len, bool dup)
{
	if (!s->fast) {
		if (!dup)
			sleep_until(s->t0 + (double)s->slots++ * s->interval);
		send_one(s, p, len);
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		s->off = realloc(s->off, s->cap * sizeof(*s->off));
		s->len = realloc(s->len, s->cap * sizeof(*s->len));
		if (!s->off || !s->len)
			die("out of memory");
	}
	if (s->mem_len + len > s->mem_cap) {
		s->mem_cap = s->mem_cap ? s->mem_cap * 2 : 1 << 20;
		if (s->mem_cap > FAST_MEM_LIMIT)
			die("--rate 0 keeps every packet in memory: too many");
		s->mem = realloc(s->mem, s->mem_cap);
		if (!s->mem)
			die("out of memory");
	}
	memcpy(s->mem + s->mem_len, p, len);
	s->off[s->n] = s->mem_len;
	s->len[s->n++] = (uint32_t)len;
	s->mem_len += len;
}

static void flush_fast(struct sink *s)
{
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	uint64_t i = 0;

	while (i < s->n) {
		unsigned int k, n = s->n - i < BATCH ? (unsigned int)(s->n - i) : BATCH;
		int r;

		memset(msg, 0, sizeof(msg));
		for (k = 0; k < n; k++) {
			iov[k].iov_base = s->mem + s->off[i + k];
			iov[k].iov_len = s->len[i + k];
			msg[k].msg_hdr.msg_name = &s->dst.ss;
			msg[k].msg_hdr.msg_namelen = s->dst.len;
			msg[k].msg_hdr.msg_iov = &iov[k];
			msg[k].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(s->fd, msg, n, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				usleep(200);
				continue;
			}
			die("sendmmsg: %s", strerror(errno));
		}
		i += (uint64_t)r;
		s->sent += (uint64_t)r;
	}
}

/* Packets held back by --hold, each until packet `until` has gone. */
struct held {
	uint64_t until;
	size_t len;
	uint8_t buf[PKT_BUF] __attribute__((aligned(8)));
};

static struct held held[MAX_HELD];
static unsigned int nheld;

/*
 * Packet i in its turn: not sent if lost (its time slot passes empty),
 * kept back if --hold picks it, else sent (twice with --duplicate); then
 * whatever was held until packet i goes, right behind it.
 */
static void put(struct gen *g, struct sink *s, uint64_t i, const uint8_t *p, size_t len)
{
	const struct send_cfg *c = g->c;
	unsigned int k;

	if (is_lost(c, i)) {
		if (g->lost < MAX_LOST_LISTED)
			g->lost_idx[g->lost] = i;
		g->lost++;
		s->slots++;
	} else if (c->hold_every && (i + 1) % c->hold_every == 0 && i + 1 < c->count) {
		if (nheld == MAX_HELD)
			die("--hold: more than %d packets held at once", MAX_HELD);
		held[nheld].until = i + c->hold_by;
		held[nheld].len = len;
		memcpy(held[nheld++].buf, p, len);
		g->held++;
		s->slots++;
	} else {
		emit(s, p, len, false);
		if (c->duplicate && (i + 1) % c->duplicate == 0)
			emit(s, p, len, true);
	}
	for (k = 0; k < nheld;) {
		if (held[k].until > i && i + 1 < c->count) {
			k++;
			continue;
		}
		emit(s, held[k].buf, held[k].len, true);
		held[k] = held[--nheld];
	}
}

/* Sequence order is fixed; --reorder, --hold and --loss change what is sent when. */
static void generate(struct gen *g, struct sink *s)
{
	static uint8_t a[PKT_BUF] __attribute__((aligned(8)));
	static uint8_t b[PKT_BUF] __attribute__((aligned(8)));
	const struct send_cfg *c = g->c;
	uint64_t i = 0;
	size_t la, lb;

	while (i < c->count) {
		bool swap = c->reorder && (i + 1) % c->reorder == 0 &&
			    i + 1 < c->count;

		la = build(g, i, a);
		if (swap) {
			lb = build(g, i + 1, b);
			put(g, s, i + 1, b, lb);
		}
		put(g, s, i, a, la);
		i += swap ? 2 : 1;
	}
}

static int open_socket(const struct send_cfg *c, struct sink *s)
{
	struct tt_addr src;
	int fd;

	if (tt_addr_parse(c->dst, true, &s->dst))
		die("bad destination '%s' (want ADDR:PORT or [V6]:PORT)", c->dst);
	fd = socket(tt_addr_family(&s->dst), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	tt_sock_bufs(fd, SO_SNDBUF, 4 << 20);
	if (c->bind) {
		if (tt_addr_parse(c->bind, false, &src) ||
		    tt_addr_family(&src) != tt_addr_family(&s->dst))
			die("--bind '%s': not an address of the destination's family",
			    c->bind);
		if (bind(fd, (struct sockaddr *)&src.ss, src.len))
			die("bind %s: %s", c->bind, strerror(errno));
	}
	if (tt_sock_tx_opts(fd, tt_addr_family(&s->dst), c->ttl, c->iface))
		die("socket options: %s", strerror(errno));
	return fd;
}

static void check_layout(const struct send_cfg *c, const struct gen *g)
{
	size_t region;

	if (c->tamper == T_NONE)
		return;
	switch (c->tamper) {
	case T_HEADER: region = RTP_HDR_LEN; break;
	case T_MKI: region = c->keys[0].mki_len; break;
	case T_TAG: region = g->suite->tag_len; break;
	default:
		/* The last frame of a file may be short. */
		region = g->file ? (g->file_len % c->payload_size ?
				    g->file_len % c->payload_size : c->payload_size)
				 : c->payload_size;
		break;
	}
	if (c->tamper_off >= region)
		die("--tamper offset %zu outside a %zu-byte region", c->tamper_off,
		    region);
}

static void warn_lifetime(const struct send_cfg *c)
{
	uint64_t use[2] = { c->count, 0 };
	int k;

	if (c->nkeys == 2) {
		use[0] = c->switch_at < c->count ? c->switch_at : c->count;
		use[1] = c->count - use[0];
	}
	for (k = 0; k < c->nkeys; k++)
		if (c->keys[k].lifetime && use[k] > c->keys[k].lifetime)
			fprintf(stderr, "warning: key %d protects %" PRIu64
				" packets, beyond its SDES lifetime %" PRIu64 "\n",
				k + 1, use[k], c->keys[k].lifetime);
}

int main(int argc, char **argv)
{
	struct send_cfg c = {
		.suite = "AES_CM_128_HMAC_SHA1_80", .ssrc = 0x48455241, .seed = 1,
		.seq = 1000, .ts = 160000, .pt = 0, .count = 100, .rate = 50,
		.payload_size = 160, .ttl = -1,
	};
	struct gen g = { .c = &c };
	struct sink s = { 0 };
	char all_hex[SHA256_HEX_LEN], valid_hex[SHA256_HEX_LEN], dst[80];
	double t_start, elapsed;
	char err[200];
	int k;

	parse_args(argc, argv, &c);
	if (!c.ts_step_set)
		c.ts_step = (uint32_t)c.payload_size;	/* 8 kHz G.711 */
	if (c.payload_file) {
		load_payload_file(&g);
		if (!c.count_set)
			c.count = g.nframes;
	} else if (c.payload_size < TT_PATTERN_MIN) {
		die("the generated pattern needs --payload-size >= %d",
		    TT_PATTERN_MIN);
	}
	if (!c.plain) {
		g.suite = tt_suite_find(c.suite);
		if (!g.suite)
			die("unknown suite '%s' (see --list-suites)", c.suite);
		for (k = 0; c.wrong_key && k < c.nkeys; k++)
			c.keys[k].key[0] ^= 0x80;
		if (tt_session_create(&g.srtp, g.suite, c.keys, c.nkeys, true, 0,
				      err, sizeof(err)))
			die("%s", err);
		warn_lifetime(&c);
		for (k = 0; k < c.nkeys; k++)
			sdes_key_wipe(&c.keys[k]);
	}
	check_layout(&c, &g);
	if (sha256_init(&g.all) || sha256_init(&g.valid))
		die("sha256 init failed");

	s.fd = open_socket(&c, &s);
	s.fast = c.rate == 0;
	s.interval = s.fast ? 0 : 1.0 / c.rate;
	s.t0 = now();
	if (s.fast)
		generate(&g, &s);
	t_start = now();
	if (s.fast)
		flush_fast(&s);
	else
		generate(&g, &s);
	elapsed = now() - t_start;
	close(s.fd);

	sha256_final_hex(&g.all, all_hex);
	sha256_final_hex(&g.valid, valid_hex);
	tt_addr_format(&s.dst, dst, sizeof(dst));
	if (!c.quiet)
		printf("{\"tool\":\"srtp-send\",\"dst\":\"%s\",\"suite\":\"%s\","
		       "\"ssrc\":\"0x%08x\",\"first_seq\":%u,\"last_seq\":%u,"
		       "\"packets\":%" PRIu64 ",\"sent\":%" PRIu64
		       ",\"tampered\":%" PRIu64 ",\"payload_bytes\":%" PRIu64
		       ",\"payload_sha256\":\"%s\",\"valid_packets\":%" PRIu64
		       ",\"valid_sha256\":\"%s\",\"elapsed_s\":%.6f,\"pps\":%.0f,"
		       "\"first_sent_mono_s\":%.6f,\"lost\":%" PRIu64 ",\"held\":%" PRIu64
		       ",\"lost_idx\":[",
		       dst, c.plain ? "plain" : c.suite, c.ssrc, c.seq,
		       (uint16_t)(c.seq + c.count - 1), c.count, s.sent,
		       g.tampered, g.payload_bytes, all_hex, g.valid_packets,
		       valid_hex, elapsed, elapsed > 0 ? s.sent / elapsed : 0, s.first_sent,
		       g.lost, g.held);
	for (k = 0; !c.quiet && (uint64_t)k < g.lost && k < MAX_LOST_LISTED; k++)
		printf("%s%" PRIu64, k ? "," : "", g.lost_idx[k]);
	if (!c.quiet)
		printf("]}\n");
	if (g.srtp)
		srtp_dealloc(g.srtp);
	free(g.file);
	free(s.mem);
	free(s.off);
	free(s.len);
	srtp_shutdown();
	return 0;
}
