// SPDX-License-Identifier: GPL-2.0
/*
 * srtp-recv: receive SRTP (or plain RTP) on a UDP socket, decrypt it with
 * libsrtp2 and print one JSON verdict line. Exit status 0 only when exactly
 * --expect packets decrypted and nothing failed (unless --allow-fail).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "rx_account.h"
#include "sdes_key.h"
#include "srtp_suite.h"

#define BATCH 64
#define SLOT 2048		/* > any datagram the tools send (MTU-sized) */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: srtp-recv [options] ADDR:PORT\n"
"  --suite NAME          SDES suite (default AES_CM_128_HMAC_SHA1_80)\n"
"  --key KEY             inline:B64[|LIFETIME][|MKI:LEN] or B64; repeat for\n"
"                        several MKI-tagged keys\n"
"  --key-file FILE       keys, one per line\n"
"  --plain               plain RTP, no decryption\n"
"  --group ADDR          join this multicast group (--iface NAME|IPv4)\n"
"  --expect N            exit 0 only if exactly N packets decrypted\n"
"  --allow-fail          failed packets do not fail the verdict\n"
"  --count N             stop after N datagrams\n"
"  --timeout SEC         stop after SEC seconds without a datagram (5)\n"
"  --start-timeout SEC   wait at most SEC seconds for the first one (30)\n"
"  --out FILE            write payload bytes (arrival order, or --order seq)\n"
"  --order arrival|seq   payload order for --out and the digest\n"
"  --check-pattern       check srtp-send's generated payload pattern\n"
"  --window N            replay window (libsrtp2 default 128)\n"
"  --ready-file FILE     written once the socket is bound and joined: the\n"
"                        bound port (useful with port 0)\n"
"  --list-suites\n");
}

enum {
	OPT_SUITE = 256, OPT_KEY, OPT_KEY_FILE, OPT_PLAIN, OPT_GROUP,
	OPT_IFACE, OPT_EXPECT, OPT_ALLOW_FAIL, OPT_COUNT, OPT_TIMEOUT,
	OPT_START_TIMEOUT, OPT_OUT, OPT_ORDER, OPT_CHECK_PATTERN, OPT_WINDOW,
	OPT_READY, OPT_LIST, OPT_HELP,
};

static const struct option opts[] = {
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "plain", no_argument, NULL, OPT_PLAIN },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "iface", required_argument, NULL, OPT_IFACE },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "allow-fail", no_argument, NULL, OPT_ALLOW_FAIL },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "start-timeout", required_argument, NULL, OPT_START_TIMEOUT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "order", required_argument, NULL, OPT_ORDER },
	{ "check-pattern", no_argument, NULL, OPT_CHECK_PATTERN },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "ready-file", required_argument, NULL, OPT_READY },
	{ "list-suites", no_argument, NULL, OPT_LIST },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct recv_cfg {
	const char *suite, *group, *iface, *out, *ready;
	struct sdes_key keys[TT_MAX_KEYS];
	int nkeys;
	bool plain, allow_fail, order_seq, check_pattern;
	long long expect;	/* -1: not given */
	unsigned long long count;
	double timeout, start_timeout;
	unsigned long window;
};

static unsigned long long num(const char *s, const char *what)
{
	char *e;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &e, 0);
	if (errno || !*s || *e || *s == '-') {
		fprintf(stderr, "bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static double seconds(const char *s, const char *what)
{
	char *e;
	double v = strtod(s, &e);

	if (!*s || *e || v < 0) {
		fprintf(stderr, "bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static void parse_args(int argc, char **argv, struct recv_cfg *c)
{
	char err[160];
	int o, n;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case OPT_SUITE: c->suite = optarg; break;
		case OPT_KEY:
			if (c->nkeys == TT_MAX_KEYS) {
				fprintf(stderr, "at most %d keys\n", TT_MAX_KEYS);
				exit(2);
			}
			if (sdes_key_parse(optarg, &c->keys[c->nkeys], err,
					   sizeof(err))) {
				fprintf(stderr, "--key: %s\n", err);
				exit(2);
			}
			c->nkeys++;
			break;
		case OPT_KEY_FILE:
			n = sdes_key_file(optarg, c->keys + c->nkeys,
					  TT_MAX_KEYS - c->nkeys, err, sizeof(err));
			if (n < 0) {
				fprintf(stderr, "--key-file: %s\n", err);
				exit(2);
			}
			c->nkeys += n;
			break;
		case OPT_PLAIN: c->plain = true; break;
		case OPT_GROUP: c->group = optarg; break;
		case OPT_IFACE: c->iface = optarg; break;
		case OPT_EXPECT: c->expect = (long long)num(optarg, "--expect"); break;
		case OPT_ALLOW_FAIL: c->allow_fail = true; break;
		case OPT_COUNT: c->count = num(optarg, "--count"); break;
		case OPT_TIMEOUT: c->timeout = seconds(optarg, "--timeout"); break;
		case OPT_START_TIMEOUT:
			c->start_timeout = seconds(optarg, "--start-timeout");
			break;
		case OPT_OUT: c->out = optarg; break;
		case OPT_ORDER:
			if (strcmp(optarg, "seq") && strcmp(optarg, "arrival")) {
				fprintf(stderr, "--order arrival|seq\n");
				exit(2);
			}
			c->order_seq = !strcmp(optarg, "seq");
			break;
		case OPT_CHECK_PATTERN: c->check_pattern = true; break;
		case OPT_WINDOW: c->window = (unsigned long)num(optarg, "--window"); break;
		case OPT_READY: c->ready = optarg; break;
		case OPT_LIST: tt_suite_list(stdout); exit(0);
		case OPT_HELP: usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		exit(2);
	}
	if (!c->plain && !c->nkeys) {
		fprintf(stderr, "need --key/--key-file or --plain\n");
		exit(2);
	}
}

static int open_socket(const struct recv_cfg *c, const char *bindaddr)
{
	struct tt_addr a, g;
	int fd, one = 1;

	if (tt_addr_parse(bindaddr, true, &a)) {
		fprintf(stderr, "bad address '%s' (want ADDR:PORT or [V6]:PORT)\n",
			bindaddr);
		exit(2);
	}
	fd = socket(tt_addr_family(&a), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	/* Several receivers of one group on one host must coexist. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	tt_sock_bufs(fd, SO_RCVBUF, 32 << 20);
	if (bind(fd, (struct sockaddr *)&a.ss, a.len)) {
		perror("bind");
		exit(2);
	}
	if (c->group) {
		if (tt_addr_parse(c->group, false, &g) ||
		    !tt_addr_is_multicast(&g) ||
		    tt_addr_family(&g) != tt_addr_family(&a)) {
			fprintf(stderr, "--group: '%s' is not a multicast address "
				"of the bound family\n", c->group);
			exit(2);
		}
		if (tt_sock_join(fd, &g, c->iface)) {
			perror("join multicast group");
			exit(2);
		}
	}
	return fd;
}

/* Tells a test script the socket is live, and which port port 0 became. */
static int write_ready(int fd, const char *path)
{
	struct tt_addr a = { .len = sizeof(a.ss) };
	char tmp[4096];
	FILE *f;
	int port;

	if (getsockname(fd, (struct sockaddr *)&a.ss, &a.len)) {
		perror("getsockname");
		return -1;
	}
	port = ntohs(a.ss.ss_family == AF_INET ?
		     ((struct sockaddr_in *)&a.ss)->sin_port :
		     ((struct sockaddr_in6 *)&a.ss)->sin6_port);
	/* Written aside and renamed, so a reader never sees it half done. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) ||
	    rename(tmp, path)) {
		perror(path);
		return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Receives until --count, the idle timeout or a signal. */
static void receive(int fd, const struct recv_cfg *c, struct rx_account *rx)
{
	static uint8_t buf[BATCH][SLOT] __attribute__((aligned(8)));
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	double last = now();
	int i, n;

	while (!stop && (!c->count || rx->received < c->count)) {
		double limit = rx->received ? c->timeout : c->start_timeout;
		double left = last + limit - now();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		unsigned int want = BATCH;

		if (left <= 0)
			break;
		n = poll(&p, 1, (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR) {
			perror("poll");
			exit(2);
		}
		if (n <= 0)
			continue;
		if (c->count && c->count - rx->received < want)
			want = (unsigned int)(c->count - rx->received);
		memset(msg, 0, sizeof(msg));
		for (i = 0; i < (int)want; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = SLOT;
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, msg, want, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			perror("recvmmsg");
			exit(2);
		}
		for (i = 0; i < n; i++) {
			/* A truncated datagram cannot authenticate: count it. */
			if (msg[i].msg_hdr.msg_flags & MSG_TRUNC) {
				rx->received++;
				rx->other_err++;
				continue;
			}
			rx_packet(rx, buf[i], msg[i].msg_len);
		}
		last = now();
	}
}

int main(int argc, char **argv)
{
	struct recv_cfg c = {
		.suite = "AES_CM_128_HMAC_SHA1_80",
		.expect = -1, .timeout = 5, .start_timeout = 30,
	};
	struct rx_account rx;
	const struct tt_suite *s;
	char err[200];
	bool pass;
	int fd, i;

	parse_args(argc, argv, &c);
	memset(&rx, 0, sizeof(rx));
	if (!c.plain) {
		s = tt_suite_find(c.suite);
		if (!s) {
			fprintf(stderr, "unknown suite '%s' (see --list-suites)\n",
				c.suite);
			return 2;
		}
		if (tt_session_create(&rx.srtp, s, c.keys, c.nkeys, false,
				      c.window, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		rx.use_mki = c.keys[0].mki_len;
	}
	for (i = 0; i < c.nkeys; i++)
		sdes_key_wipe(&c.keys[i]);
	rx.order_seq = c.order_seq;
	rx.check_pattern = c.check_pattern;
	if (c.out) {
		rx.out = fopen(c.out, "wb");
		if (!rx.out) {
			perror(c.out);
			return 2;
		}
	}
	if (rx_init(&rx)) {
		fprintf(stderr, "sha256 init failed\n");
		return 2;
	}

	fd = open_socket(&c, argv[optind]);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (c.ready && write_ready(fd, c.ready))
		return 2;
	receive(fd, &c, &rx);
	close(fd);
	if (rx_finish(&rx))
		return 2;
	if (rx.out && fclose(rx.out)) {
		perror(c.out);
		return 2;
	}

	pass = (c.expect < 0 ? rx.decrypted > 0 :
		rx.decrypted == (unsigned long long)c.expect) &&
	       (c.allow_fail || !rx_failures(&rx));
	printf("{\"tool\":\"srtp-recv\",\"suite\":\"%s\",",
	       c.plain ? "plain" : c.suite);
	rx_print_fields(&rx, stdout);
	if (c.expect >= 0)
		printf(",\"expect\":%lld", c.expect);
	printf(",\"verdict\":\"%s\"}\n", pass ? "pass" : "fail");
	rx_free(&rx);
	srtp_shutdown();
	return pass ? 0 : 1;
}
