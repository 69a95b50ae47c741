/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SRTP (RFC 3711, RFC 7714) on OpenSSL 3, every context prepared once per
 * key: the "fastest userspace relay" competitor of the benchmark. Two
 * suites only, those the benchmark measures: AES_CM_128_HMAC_SHA1_80 and
 * AEAD_AES_128_GCM. No MKI, KDR 0.
 */
#ifndef BENCH_SRTP_EVP_H
#define BENCH_SRTP_EVP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SE_MAX_KEY 30		/* master key || salt, AES-128 */
#define SE_MAX_TRAILER 16

enum se_suite { SE_AES_CM_128_HMAC_SHA1_80, SE_AEAD_AES_128_GCM };

struct se_ctx;

/* name: the SDES suite name; 0 if known. */
int se_suite_parse(const char *name, enum se_suite *s);
const char *se_suite_name(enum se_suite s);
unsigned int se_master_len(enum se_suite s);	/* key + salt bytes */
unsigned int se_tag_len(enum se_suite s);

/* A context for one master key, one direction. NULL on failure. */
struct se_ctx *se_ctx_new(enum se_suite s, const uint8_t *master, bool encrypt);
void se_ctx_free(struct se_ctx *c);

/*
 * Protect the RTP packet pkt[0..len) in place under packet index @index
 * (ROC << 16 | seq); the caller tracks the index. Writes up to
 * SE_MAX_TRAILER bytes past len. Returns the new length, or -1.
 */
int se_protect(struct se_ctx *c, uint8_t *pkt, unsigned int len, uint64_t index);

/*
 * Verify and decrypt in place with the receiver's ROC estimate and replay
 * window (64 packets) kept in the context for one SSRC at a time: a packet
 * of another SSRC is judged against fresh state, and once it authenticates
 * its SSRC replaces the old one. Returns
 * the plaintext length, SE_REPLAY (index seen or behind the window) or -1
 * (authentication, malformed).
 */
#define SE_REPLAY (-2)
int se_unprotect(struct se_ctx *c, uint8_t *pkt, unsigned int len);

/* Length of the RTP header (fixed part, CSRCs, extension), or -1. */
int se_rtp_hdr_len(const uint8_t *pkt, unsigned int len);

/*
 * Cross-check against libsrtp2 for both suites, both directions, across a
 * sequence number wrap. 0 when everything agrees; prints what disagrees.
 */
int se_selfcheck(void);

#endif
