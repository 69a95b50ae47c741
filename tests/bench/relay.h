/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace relay loop shared by relay-evp and relay-libsrtp: the same
 * work herald.ko does per packet, so that only the SRTP library differs.
 *
 *   epoll -> recvmmsg (per stream socket) -> unprotect (verify, replay,
 *   decrypt) -> per output: new RTP header (own SSRC, sequence, timestamp
 *   line), copy payload, protect -> sendmmsg (all outputs of a batch at once)
 */
#ifndef BENCH_RELAY_H
#define BENCH_RELAY_H

#include <stdint.h>

#define RELAY_REPLAY (-2)

struct relay_ops {
	const char *name;
	/* One inbound context per stream (one SSRC), one outbound per output. */
	void *(*in_new)(const char *suite, const uint8_t *master);
	void *(*out_new)(const char *suite, const uint8_t *master);
	/* In place; plaintext length, RELAY_REPLAY or -1 (anything else). */
	int (*unprotect)(void *ctx, uint8_t *pkt, unsigned int len);
	/* In place, room for the trailer after len; new length or -1. */
	int (*protect)(void *ctx, uint8_t *pkt, unsigned int len, uint64_t index);
	/* Refuse to run unless this returns 0 (may be NULL). */
	int (*selfcheck)(void);
};

int relay_main(int argc, char **argv, const struct relay_ops *ops);

#endif
