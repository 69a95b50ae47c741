// SPDX-License-Identifier: GPL-2.0
/*
 * bench-send: the offered load. Protects a pool of packets once at start
 * (EVP SRTP, checked against libsrtp2 first), then, per command on stdin,
 * blasts them with sendmmsg round-robin over N destination ports.
 *
 *   bench-send --suite S --key HEX --dst ADDR:PORT --pool N [--payload B]
 *   stdin:  "prep STREAMS"   protect the pool for STREAMS streams now
 *           "run STREAMS SECONDS RATE"   (RATE 0: unpaced; protects the
 *                                          pool first if not prepared)
 *   stdout: one JSON line per prep ("prepared") and per run: sent,
 *           elapsed_s, pps, exhausted
 *
 * Packet i goes to port PORT + i mod STREAMS; within its stream it is
 * packet m = i / STREAMS, sent under SSRC 0x48450000 + m / 32768 with
 * sequence number m mod 32768 and ROC 0. Sequence numbers never pass 2^15,
 * so however many packets an overloaded path drops in a row, the receiver's
 * ROC estimate (RFC 3711 Appendix A) cannot go wrong; herald's 8 SSRC slots
 * per stream bound the pool to 8 * 32768 packets per stream.
 * The pool restarts from packet 0 on every run, so the receivers' replay
 * state must be fresh for each run (new streams, new relay process).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "srtp_evp.h"

#define STRIDE 256
#define BATCH 64

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
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

/* Protect the pool for @streams streams (SSRC and index depend on it). */
static int build_pool(struct se_ctx *ctx, uint8_t *mem, uint32_t *lens, unsigned long pool,
		      unsigned long payload, unsigned long streams)
{
	unsigned long i, k;

	for (i = 0; i < pool; i++) {
		unsigned long m = i / streams;
		uint8_t *p = mem + i * STRIDE;
		uint32_t ts = (uint32_t)(m * payload), ssrc = 0x48450000u + (uint32_t)(m >> 15);
		uint16_t seq = (uint16_t)(m & 0x7fff);
		int l;

		p[0] = 0x80;
		p[1] = 0;	/* PCMU */
		p[2] = (uint8_t)(seq >> 8);
		p[3] = (uint8_t)seq;
		p[4] = ts >> 24;
		p[5] = ts >> 16;
		p[6] = ts >> 8;
		p[7] = ts;
		p[8] = ssrc >> 24;
		p[9] = ssrc >> 16;
		p[10] = ssrc >> 8;
		p[11] = ssrc;
		for (k = 0; k < payload; k++)
			p[12 + k] = (uint8_t)(i + k);
		l = se_protect(ctx, p, (unsigned int)(12 + payload), seq);
		if (l < 0) {
			fprintf(stderr, "bench-send: protect failed\n");
			return -1;
		}
		lens[i] = (uint32_t)l;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *suite = "AES_CM_128_HMAC_SHA1_80", *key = NULL, *dst = NULL;
	unsigned long pool = 200000, payload = 160, i;
	struct sockaddr_in base = { .sin_family = AF_INET };
	uint8_t master[SE_MAX_KEY], *mem;
	uint32_t *lens;
	struct se_ctx *ctx;
	enum se_suite s;
	char line[128], host[64];
	unsigned short port;
	unsigned long streams_built = 1;
	int fd, big = 8 << 20;

	for (i = 1; i + 1 < (unsigned long)argc; i += 2) {
		if (!strcmp(argv[i], "--suite"))
			suite = argv[i + 1];
		else if (!strcmp(argv[i], "--key"))
			key = argv[i + 1];
		else if (!strcmp(argv[i], "--dst"))
			dst = argv[i + 1];
		else if (!strcmp(argv[i], "--pool"))
			pool = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--payload"))
			payload = strtoul(argv[i + 1], NULL, 0);
		else
			break;
	}
	if (i != (unsigned long)argc || !key || !dst || se_suite_parse(suite, &s) ||
	    hex_key(key, master, se_master_len(s)) || payload < 1 ||
	    payload > STRIDE - 12 - SE_MAX_TRAILER || !pool ||
	    sscanf(dst, "%63[^:]:%hu", host, &port) != 2 ||
	    inet_pton(AF_INET, host, &base.sin_addr) != 1) {
		fprintf(stderr, "usage: bench-send --suite S --key HEX --dst ADDR:PORT "
			"--pool N [--payload B]\n");
		return 2;
	}
	base.sin_port = htons(port);
	if (se_selfcheck())
		return 3;
	mem = malloc(pool * STRIDE);
	lens = malloc(pool * sizeof(*lens));
	ctx = se_ctx_new(s, master, true);
	if (!mem || !lens || !ctx) {
		fprintf(stderr, "bench-send: out of memory\n");
		return 2;
	}
	if (build_pool(ctx, mem, lens, pool, payload, 1))
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 2;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	printf("{\"ready\":true,\"pool\":%lu}\n", pool);
	fflush(stdout);

	while (fgets(line, sizeof(line), stdin)) {
		static struct sockaddr_in to[BATCH];
		struct mmsghdr m[BATCH];
		struct iovec v[BATCH];
		unsigned long streams, sent = 0;
		double secs, rate, t0, t, end;
		int exhausted = 0;

		if (sscanf(line, "prep %lu", &streams) == 1 && streams) {
			/* Protect the pool for @streams now, not inside a run. */
			if (streams != streams_built) {
				if (build_pool(ctx, mem, lens, pool, payload, streams))
					return 2;
				streams_built = streams;
			}
			printf("{\"prepared\":%lu}\n", streams);
			fflush(stdout);
			continue;
		}
		if (sscanf(line, "run %lu %lf %lf", &streams, &secs, &rate) != 3 || !streams)
			continue;
		if (streams != streams_built) {
			if (build_pool(ctx, mem, lens, pool, payload, streams))
				return 2;
			streams_built = streams;
		}
		t0 = now();
		end = t0 + secs;
		while ((t = now()) < end) {
			unsigned int n = 0;
			int r;

			if (rate > 0 && sent > (t - t0) * rate) {
				usleep(100);
				continue;
			}
			if (sent + BATCH > pool) {
				exhausted = 1;
				break;
			}
			memset(m, 0, sizeof(m));
			for (n = 0; n < BATCH; n++) {
				unsigned long idx = sent + n;

				to[n] = base;
				to[n].sin_port = htons((uint16_t)(ntohs(base.sin_port) + idx % streams));
				v[n].iov_base = mem + idx * STRIDE;
				v[n].iov_len = lens[idx];
				m[n].msg_hdr.msg_name = &to[n];
				m[n].msg_hdr.msg_namelen = sizeof(to[n]);
				m[n].msg_hdr.msg_iov = &v[n];
				m[n].msg_hdr.msg_iovlen = 1;
			}
			r = sendmmsg(fd, m, BATCH, 0);
			if (r < 0) {
				if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
					continue;
				perror("sendmmsg");
				return 2;
			}
			sent += (unsigned long)r;
		}
		t = now() - t0;
		printf("{\"sent\":%lu,\"elapsed_s\":%.3f,\"pps\":%.0f,\"exhausted\":%s}\n", sent,
		       t, t > 0 ? sent / t : 0, exhausted ? "true" : "false");
		fflush(stdout);
	}
	return 0;
}
