// SPDX-License-Identifier: GPL-2.0
/*
 * The relay loop (see relay.h). IPv4 only: the benchmark's topology.
 *
 *   relay-X --suite S --in-key HEX --out-key HEX --in ADDR:PORT --streams N
 *           --out ADDR:PORT --outputs O
 *
 * Stream k listens on PORT + k and feeds outputs k*O .. k*O+O-1, output j
 * sending to out ADDR, port out PORT + j. Output keys are --out-key with
 * the output number XORed into the last four bytes (nobody decrypts them:
 * every output has a key of its own, as herald's zones do). Runs until
 * SIGTERM/SIGINT, then prints one JSON line of counters.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "relay.h"

#define RX_BATCH 64
#define TX_MAX 1024		/* sendmmsg's vlen limit (UIO_MAXIOV) */
#define PKT_MAX 1600
#define HDR_LEN 12

struct out {
	void *ctx;
	struct sockaddr_in dst;
	uint32_t ssrc, ts_off;
	uint64_t index;		/* ROC << 16 | seq of the next packet */
};

struct stream {
	int fd;
	void *ctx;
	struct out *outs;
};

static volatile sig_atomic_t stop;

static struct {
	uint64_t rx, rx_bad, rx_replay, tx, tx_err;
} cnt;

static struct mmsghdr txm[TX_MAX];
static struct iovec txv[TX_MAX];
static uint8_t txbuf[TX_MAX][PKT_MAX];
static unsigned int ntx;
static int txfd;

static void on_signal(int sig)
{
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "relay: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int hex_key(const char *h, uint8_t *k, unsigned int n)
{
	unsigned int i, v;

	if (strlen(h) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		k[i] = (uint8_t)v;
	}
	return 0;
}

static int parse_addr(const char *s, struct sockaddr_in *a)
{
	char host[64];
	const char *c = strrchr(s, ':');

	if (!c || (size_t)(c - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(c - s));
	host[c - s] = '\0';
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)atoi(c + 1));
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static void flush_tx(void)
{
	unsigned int done = 0;
	int r;

	while (done < ntx) {
		r = sendmmsg(txfd, txm + done, ntx - done, 0);
		if (r < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				continue;
			cnt.tx_err += ntx - done;
			break;
		}
		done += (unsigned int)r;
		cnt.tx += (uint64_t)r;
	}
	ntx = 0;
}

static void relay_packet(const struct relay_ops *ops, struct stream *st, unsigned int nout,
			 uint8_t *pkt, unsigned int len)
{
	unsigned int plen, hlen, j;
	int r;

	r = ops->unprotect(st->ctx, pkt, len);
	if (r == RELAY_REPLAY) {
		cnt.rx_replay++;
		return;
	}
	if (r < HDR_LEN) {
		cnt.rx_bad++;
		return;
	}
	plen = (unsigned int)r;
	hlen = HDR_LEN + 4 * (pkt[0] & 0x0f);
	if (pkt[0] & 0x10)
		hlen += 4 + 4 * ((unsigned int)pkt[hlen + 2] << 8 | pkt[hlen + 3]);
	if (hlen > plen) {
		cnt.rx_bad++;
		return;
	}
	cnt.rx++;
	for (j = 0; j < nout; j++) {
		struct out *o = &st->outs[j];
		uint8_t *p = txbuf[ntx];
		uint32_t ts = ((uint32_t)pkt[4] << 24 | (uint32_t)pkt[5] << 16 |
			       (uint32_t)pkt[6] << 8 | pkt[7]) + o->ts_off;
		uint16_t seq = (uint16_t)o->index;

		p[0] = 0x80;
		p[1] = pkt[1];
		p[2] = seq >> 8;
		p[3] = seq;
		p[4] = ts >> 24;
		p[5] = ts >> 16;
		p[6] = ts >> 8;
		p[7] = ts;
		p[8] = o->ssrc >> 24;
		p[9] = o->ssrc >> 16;
		p[10] = o->ssrc >> 8;
		p[11] = o->ssrc;
		memcpy(p + HDR_LEN, pkt + hlen, plen - hlen);
		r = ops->protect(o->ctx, p, HDR_LEN + plen - hlen, o->index++);
		if (r < 0) {
			cnt.tx_err++;
			continue;
		}
		txv[ntx].iov_base = p;
		txv[ntx].iov_len = (size_t)r;
		txm[ntx].msg_hdr.msg_name = &o->dst;
		txm[ntx].msg_hdr.msg_namelen = sizeof(o->dst);
		txm[ntx].msg_hdr.msg_iov = &txv[ntx];
		txm[ntx].msg_hdr.msg_iovlen = 1;
		if (++ntx == TX_MAX)
			flush_tx();
	}
}

int relay_main(int argc, char **argv, const struct relay_ops *ops)
{
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "in-key", required_argument, NULL, 'k' },
		{ "out-key", required_argument, NULL, 'K' },
		{ "in", required_argument, NULL, 'i' },
		{ "streams", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "outputs", required_argument, NULL, 'O' },
		{ "selfcheck", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *suite = "AES_CM_128_HMAC_SHA1_80", *in_key = NULL, *out_key = NULL;
	struct sockaddr_in in_addr, out_addr;
	unsigned int nstreams = 1, nout = 1, s, j, klen;
	uint8_t kin[64], kout[64];
	struct epoll_event ev[64];
	struct mmsghdr rxm[RX_BATCH];
	struct iovec rxv[RX_BATCH];
	static uint8_t rxbuf[RX_BATCH][PKT_MAX];
	struct stream *streams;
	int c, ep, i, n, r, only_check = 0;
	int have_in = 0, have_out = 0, big = 4 << 20;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': suite = optarg; break;
		case 'k': in_key = optarg; break;
		case 'K': out_key = optarg; break;
		case 'i': have_in = !parse_addr(optarg, &in_addr); break;
		case 'n': nstreams = (unsigned int)atoi(optarg); break;
		case 'o': have_out = !parse_addr(optarg, &out_addr); break;
		case 'O': nout = (unsigned int)atoi(optarg); break;
		case 'c': only_check = 1; break;
		default: return 2;
		}
	}
	if (ops->selfcheck && ops->selfcheck()) {
		fprintf(stderr, "%s: self-check against libsrtp2 failed: not benchmarking\n",
			ops->name);
		return 3;
	}
	if (only_check) {
		printf("{\"relay\":\"%s\",\"selfcheck\":\"ok\"}\n", ops->name);
		return 0;
	}
	klen = strcmp(suite, "AEAD_AES_128_GCM") ? 30 : 28;
	if (!in_key || !out_key || hex_key(in_key, kin, klen) || hex_key(out_key, kout, klen) ||
	    !have_in || !have_out || !nstreams || !nout) {
		fprintf(stderr, "usage: %s --suite S --in-key HEX --out-key HEX --in A:P "
			"--streams N --out A:P --outputs O | --selfcheck\n", argv[0]);
		return 2;
	}

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	ep = epoll_create1(0);
	txfd = socket(AF_INET, SOCK_DGRAM, 0);
	if (ep < 0 || txfd < 0)
		die("socket");
	setsockopt(txfd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	streams = calloc(nstreams, sizeof(*streams));
	if (!streams)
		die("calloc");
	for (s = 0; s < nstreams; s++) {
		struct sockaddr_in a = in_addr;
		struct epoll_event e = { .events = EPOLLIN, .data.u32 = s };
		struct stream *st = &streams[s];

		st->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (st->fd < 0)
			die("socket");
		setsockopt(st->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
		a.sin_port = htons((uint16_t)(ntohs(in_addr.sin_port) + s));
		if (bind(st->fd, (struct sockaddr *)&a, sizeof(a)))
			die("bind");
		if (epoll_ctl(ep, EPOLL_CTL_ADD, st->fd, &e))
			die("epoll_ctl");
		st->ctx = ops->in_new(suite, kin);
		st->outs = calloc(nout, sizeof(*st->outs));
		if (!st->ctx || !st->outs) {
			fprintf(stderr, "%s: cannot set up stream %u\n", ops->name, s);
			return 2;
		}
		for (j = 0; j < nout; j++) {
			struct out *o = &st->outs[j];
			uint32_t num = s * nout + j;
			uint8_t k[64];

			memcpy(k, kout, klen);
			k[klen - 4] ^= num >> 24;
			k[klen - 3] ^= num >> 16;
			k[klen - 2] ^= num >> 8;
			k[klen - 1] ^= num;
			o->ctx = ops->out_new(suite, k);
			if (!o->ctx) {
				fprintf(stderr, "%s: cannot set up output %u\n", ops->name, num);
				return 2;
			}
			o->dst = out_addr;
			o->dst.sin_port = htons((uint16_t)(ntohs(out_addr.sin_port) + num));
			o->ssrc = (uint32_t)random();
			o->ts_off = (uint32_t)random();
			o->index = (uint64_t)random() & 0x7fff;
		}
	}
	for (i = 0; i < RX_BATCH; i++) {
		rxv[i].iov_base = rxbuf[i];
		rxv[i].iov_len = PKT_MAX;
	}
	fprintf(stderr, "%s: %u streams x %u outputs, %s, ready\n", ops->name, nstreams, nout,
		suite);
	while (!stop) {
		n = epoll_wait(ep, ev, 64, 200);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			struct stream *st = &streams[ev[i].data.u32];

			/* One batch per ready socket per round: fair to all streams. */
			memset(rxm, 0, sizeof(rxm));
			for (j = 0; j < RX_BATCH; j++) {
				rxm[j].msg_hdr.msg_iov = &rxv[j];
				rxm[j].msg_hdr.msg_iovlen = 1;
			}
			r = recvmmsg(st->fd, rxm, RX_BATCH, MSG_DONTWAIT, NULL);
			if (r <= 0)
				continue;
			for (j = 0; j < (unsigned int)r; j++)
				relay_packet(ops, st, nout, rxbuf[j], rxm[j].msg_len);
			flush_tx();
		}
	}
	printf("{\"relay\":\"%s\",\"suite\":\"%s\",\"streams\":%u,\"outputs\":%u,"
	       "\"rx\":%" PRIu64 ",\"rx_bad\":%" PRIu64 ",\"rx_replay\":%" PRIu64
	       ",\"tx\":%" PRIu64 ",\"tx_err\":%" PRIu64 "}\n", ops->name, suite, nstreams, nout,
	       cnt.rx, cnt.rx_bad, cnt.rx_replay, cnt.tx, cnt.tx_err);
	return 0;
}
