// SPDX-License-Identifier: GPL-2.0
/*
 * pcap-replay: take the UDP payloads of a capture and either send them to an
 * address (as fast as possible, or at capture timing x factor), or decrypt
 * them offline with libsrtp2 (--decrypt), giving the reference payload bytes
 * and digest that a live receiver's output is compared with.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "rx_account.h"
#include "sdes_key.h"
#include "srtp_suite.h"

#define MAX_UDP 65536

struct replay_cfg {
	const char *pcap, *filter, *dst, *bind, *suite, *out;
	struct sdes_key keys[TT_MAX_KEYS];
	int nkeys;
	bool decrypt, order_seq;
	double speed;		/* 0: as fast as possible */
	uint64_t limit;		/* 0: all */
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
"usage: pcap-replay [options] FILE.pcap\n"
"  --to ADDR:PORT        send each UDP payload there\n"
"  --bind ADDR[:PORT]    source address for --to\n"
"  --speed F             scale the capture's inter-packet gaps by F:\n"
"                        1 = real time, 0.05 = 20x faster, 2 = half speed;\n"
"                        0 (default) = as fast as possible\n"
"  --decrypt             decrypt offline instead of sending, print a verdict\n"
"  --suite NAME --key KEY [--key KEY..] [--key-file FILE]\n"
"  --out FILE            decrypted payload bytes (with --decrypt)\n"
"  --order arrival|seq   payload order for --out and the digest\n"
"  --filter EXPR         pcap filter, e.g. 'udp dst port 10000'\n"
"  --limit N             only the first N UDP packets\n");
}

enum {
	OPT_TO = 256, OPT_BIND, OPT_SPEED, OPT_DECRYPT, OPT_SUITE, OPT_KEY,
	OPT_KEY_FILE, OPT_OUT, OPT_ORDER, OPT_FILTER, OPT_LIMIT, OPT_HELP,
};

static const struct option opts[] = {
	{ "to", required_argument, NULL, OPT_TO },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "decrypt", no_argument, NULL, OPT_DECRYPT },
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "order", required_argument, NULL, OPT_ORDER },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void parse_args(int argc, char **argv, struct replay_cfg *c)
{
	char err[160], *e;
	int o, n;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case OPT_TO: c->dst = optarg; break;
		case OPT_BIND: c->bind = optarg; break;
		case OPT_SPEED:
			c->speed = strtod(optarg, &e);
			if (!*optarg || *e || c->speed < 0)
				die("bad --speed '%s'", optarg);
			break;
		case OPT_DECRYPT: c->decrypt = true; break;
		case OPT_SUITE: c->suite = optarg; break;
		case OPT_KEY:
			if (c->nkeys == TT_MAX_KEYS)
				die("at most %d keys", TT_MAX_KEYS);
			if (sdes_key_parse(optarg, &c->keys[c->nkeys++], err,
					   sizeof(err)))
				die("--key: %s", err);
			break;
		case OPT_KEY_FILE:
			n = sdes_key_file(optarg, c->keys + c->nkeys,
					  TT_MAX_KEYS - c->nkeys, err, sizeof(err));
			if (n < 0)
				die("--key-file: %s", err);
			c->nkeys += n;
			break;
		case OPT_OUT: c->out = optarg; break;
		case OPT_ORDER:
			if (strcmp(optarg, "seq") && strcmp(optarg, "arrival"))
				die("--order arrival|seq");
			c->order_seq = !strcmp(optarg, "seq");
			break;
		case OPT_FILTER: c->filter = optarg; break;
		case OPT_LIMIT:
			c->limit = strtoull(optarg, &e, 0);
			if (!*optarg || *e)
				die("bad --limit '%s'", optarg);
			break;
		case OPT_HELP: usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		exit(2);
	}
	c->pcap = argv[optind];
	if (c->decrypt == !!c->dst)
		die("give exactly one of --to and --decrypt");
	if (c->decrypt && !c->nkeys)
		die("--decrypt needs --key or --key-file");
}

/* Finds the UDP payload in one frame; NULL when it is not UDP over IP. */
static const uint8_t *udp_payload(int dlt, const uint8_t *p, size_t caplen,
				  size_t wirelen, size_t *plen)
{
	size_t off, l3 = 0, ulen;
	unsigned int etype = 0;

	switch (dlt) {
	case DLT_EN10MB:
		if (caplen < 14)
			return NULL;
		etype = (unsigned int)p[12] << 8 | p[13];
		l3 = 14;
		/* 802.1Q / 802.1ad tags */
		while ((etype == 0x8100 || etype == 0x88a8) && caplen >= l3 + 4) {
			etype = (unsigned int)p[l3 + 2] << 8 | p[l3 + 3];
			l3 += 4;
		}
		break;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return NULL;
		etype = (unsigned int)p[14] << 8 | p[15];
		l3 = 16;
		break;
	case DLT_RAW:
		if (caplen < 1)
			return NULL;
		etype = (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	default:
		return NULL;
	}
	if (caplen != wirelen)
		return NULL;	/* truncated capture: payload incomplete */
	if (etype == 0x0800) {
		if (caplen < l3 + 20 || (p[l3] >> 4) != 4 || p[l3 + 9] != 17)
			return NULL;
		/* Fragments other than a whole datagram are not reassembled. */
		if (((p[l3 + 6] & 0x3f) << 8 | p[l3 + 7]) != 0)
			return NULL;
		off = l3 + 4u * (p[l3] & 0x0f);
	} else if (etype == 0x86dd) {
		if (caplen < l3 + 40 || p[l3 + 6] != 17)
			return NULL;	/* extension headers are not walked */
		off = l3 + 40;
	} else {
		return NULL;
	}
	if (caplen < off + 8)
		return NULL;
	ulen = (size_t)p[off + 4] << 8 | p[off + 5];
	if (ulen < 8 || off + ulen > caplen)
		return NULL;
	*plen = ulen - 8;
	return p + off + 8;
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

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_socket(const struct replay_cfg *c, struct tt_addr *dst)
{
	struct tt_addr src;
	int fd;

	if (tt_addr_parse(c->dst, true, dst))
		die("bad --to '%s' (want ADDR:PORT or [V6]:PORT)", c->dst);
	fd = socket(tt_addr_family(dst), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	tt_sock_bufs(fd, SO_SNDBUF, 4 << 20);
	if (c->bind) {
		if (tt_addr_parse(c->bind, false, &src) ||
		    tt_addr_family(&src) != tt_addr_family(dst))
			die("--bind '%s': not an address of the --to family",
			    c->bind);
		if (bind(fd, (struct sockaddr *)&src.ss, src.len))
			die("bind %s: %s", c->bind, strerror(errno));
	}
	return fd;
}

int main(int argc, char **argv)
{
	static uint8_t buf[MAX_UDP + SRTP_MAX_TRAILER_LEN] __attribute__((aligned(8)));
	struct replay_cfg c = { .suite = "AES_CM_128_HMAC_SHA1_80" };
	char perr[PCAP_ERRBUF_SIZE], err[200];
	struct rx_account rx;
	struct tt_addr dst;
	struct pcap_pkthdr *h;
	const uint8_t *frame, *pl;
	uint64_t frames = 0, udp = 0, sent = 0, sent_bytes = 0;
	double t0 = 0, cap0 = 0;
	size_t plen;
	pcap_t *pc;
	int fd = -1, dlt, r, i;
	bool pass;

	parse_args(argc, argv, &c);
	pc = pcap_open_offline(c.pcap, perr);
	if (!pc)
		die("%s", perr);
	dlt = pcap_datalink(pc);
	if (c.filter) {
		struct bpf_program prog;

		if (pcap_compile(pc, &prog, c.filter, 1, PCAP_NETMASK_UNKNOWN) ||
		    pcap_setfilter(pc, &prog))
			die("--filter: %s", pcap_geterr(pc));
		pcap_freecode(&prog);
	}

	memset(&rx, 0, sizeof(rx));
	if (c.decrypt) {
		const struct tt_suite *s = tt_suite_find(c.suite);

		if (!s)
			die("unknown suite '%s'", c.suite);
		if (tt_session_create(&rx.srtp, s, c.keys, c.nkeys, false, 0,
				      err, sizeof(err)))
			die("%s", err);
		rx.use_mki = c.keys[0].mki_len;
		rx.order_seq = c.order_seq;
		if (c.out) {
			rx.out = fopen(c.out, "wb");
			if (!rx.out)
				die("%s: %s", c.out, strerror(errno));
		}
		if (rx_init(&rx))
			die("sha256 init failed");
	} else {
		fd = open_socket(&c, &dst);
	}
	for (i = 0; i < c.nkeys; i++)
		sdes_key_wipe(&c.keys[i]);

	while ((r = pcap_next_ex(pc, &h, &frame)) == 1) {
		double ts = h->ts.tv_sec + h->ts.tv_usec / 1e6;

		if (c.limit && udp == c.limit)
			break;
		frames++;
		pl = udp_payload(dlt, frame, h->caplen, h->len, &plen);
		if (!pl)
			continue;
		udp++;
		if (c.decrypt) {
			/* Copy: unprotect works in place and wants alignment. */
			memcpy(buf, pl, plen);
			rx_packet(&rx, buf, plen);
			continue;
		}
		if (c.speed > 0) {
			if (udp == 1) {
				t0 = mono();
				cap0 = ts;
			}
			sleep_until(t0 + (ts - cap0) * c.speed);
		}
		while (sendto(fd, pl, plen, 0, (struct sockaddr *)&dst.ss,
			      dst.len) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
				die("sendto: %s", strerror(errno));
			usleep(200);
		}
		sent++;
		sent_bytes += plen;
	}
	if (r == PCAP_ERROR)
		die("%s: %s", c.pcap, pcap_geterr(pc));
	pcap_close(pc);

	if (!c.decrypt) {
		close(fd);
		printf("{\"tool\":\"pcap-replay\",\"frames\":%" PRIu64
		       ",\"udp\":%" PRIu64 ",\"sent\":%" PRIu64
		       ",\"sent_bytes\":%" PRIu64 "}\n", frames, udp, sent,
		       sent_bytes);
		return sent ? 0 : 1;
	}
	if (rx_finish(&rx))
		return 2;
	if (rx.out && fclose(rx.out))
		die("%s: %s", c.out, strerror(errno));
	pass = rx.decrypted > 0 && !rx_failures(&rx);
	printf("{\"tool\":\"pcap-replay\",\"suite\":\"%s\",\"frames\":%" PRIu64
	       ",\"udp\":%" PRIu64 ",", c.suite, frames, udp);
	rx_print_fields(&rx, stdout);
	printf(",\"verdict\":\"%s\"}\n", pass ? "pass" : "fail");
	rx_free(&rx);
	srtp_shutdown();
	return pass ? 0 : 1;
}
