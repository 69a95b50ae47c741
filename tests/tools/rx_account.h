/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a receiver does with each datagram, shared by srtp-recv (from a socket)
 * and pcap-replay --decrypt (from a capture): unprotect with libsrtp2 (or take
 * plain RTP), count the outcome by cause, keep payload bytes in arrival or
 * sequence order, and print one JSON verdict line.
 */
#ifndef TT_RX_ACCOUNT_H
#define TT_RX_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <srtp2/srtp.h>

#include "sha256.h"
#include "rtp_pkt.h"

#define RX_MAX_SSRC 16
#define RX_FIRST_BYTES 16	/* bytes of the first payload shown in JSON */

struct rx_record {
	int64_t ext_seq;
	uint64_t off;		/* into the seq-order payload store */
	uint32_t len;
	uint16_t ssrc_idx;
};

struct rx_account {
	/* configuration */
	srtp_t srtp;		/* NULL: plain RTP */
	bool use_mki;
	bool order_seq;		/* write payload in sequence order at the end */
	bool check_pattern;
	FILE *out;		/* payload bytes, may be NULL */

	/* counters */
	uint64_t received, decrypted, auth_fail, replay, bad_mki, other_err;
	uint64_t rtcp, pattern_bad, reordered, payload_bytes;
	uint16_t first_seq, last_seq;
	uint8_t first_payload[RX_FIRST_BYTES];
	unsigned int first_len;

	uint32_t ssrc[RX_MAX_SSRC];
	struct rtp_seq_track track[RX_MAX_SSRC];
	unsigned int nssrc;
	uint64_t ssrc_overflow;	/* packets from SSRCs beyond the table */

	struct rx_record *rec;
	size_t nrec, caprec;
	uint8_t *store;		/* payloads, only with order_seq */
	size_t nstore, capstore;

	struct sha256 sha;	/* arrival order (unless order_seq) */
	char sha_hex[SHA256_HEX_LEN];
	/* SRTP only: an index accepted twice, i.e. a replay let through. */
	uint64_t duplicates;
	uint64_t lost;			/* computed by rx_finish */
};

int rx_init(struct rx_account *rx);
/* pkt must be 4-byte aligned; it is decrypted in place. */
void rx_packet(struct rx_account *rx, uint8_t *pkt, size_t len);
/* Sorts/writes what was kept, computes loss and the digest. */
int rx_finish(struct rx_account *rx);
/* Fields of the verdict, without braces, so callers can add their own. */
void rx_print_fields(const struct rx_account *rx, FILE *f);
uint64_t rx_failures(const struct rx_account *rx);
void rx_free(struct rx_account *rx);

#endif
