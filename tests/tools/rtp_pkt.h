/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP header building/parsing (RFC 3550 §5.1) and the deterministic payload
 * pattern that lets a receiver check content after any re-sequencing.
 */
#ifndef TT_RTP_PKT_H
#define TT_RTP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTP_HDR_LEN 12
#define TT_PATTERN_MIN 4	/* the pattern carries a 32-bit packet number */

struct rtp_info {
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	uint8_t pt;
	bool marker;
	size_t payload_off;
	size_t payload_len;
};

void rtp_build_header(uint8_t *p, uint8_t pt, bool marker, uint16_t seq,
		      uint32_t ts, uint32_t ssrc);
/* Validates an RTP packet (CSRCs, extension, padding); 0 or -1. */
int rtp_parse(const uint8_t *p, size_t len, struct rtp_info *ri);
/* RFC 5761 §4: payload types 64-95 (with marker: 192-223) are RTCP. */
bool rtp_is_rtcp(const uint8_t *p, size_t len);

/* Payload for packet number n: n big-endian, then bytes derived from n. */
void tt_pattern_fill(uint8_t *p, size_t len, uint32_t n);
/* True when p is a well-formed pattern payload for the number it carries. */
bool tt_pattern_check(const uint8_t *p, size_t len);

/*
 * Per-SSRC sequence state: the extended sequence number (RFC 3711 §3.3.1
 * style, the value closest to the highest seen) and a window of indexes seen,
 * as wide as the largest reordering an RTP sequence number can express.
 */
#define RTP_SEQ_WINDOW 32768

struct rtp_seq_track {
	int64_t highest;
	bool started;
	uint64_t seen[RTP_SEQ_WINDOW / 64];
};

enum rtp_seq_verdict { RTP_SEQ_NEW, RTP_SEQ_LATE, RTP_SEQ_DUP };

int64_t rtp_seq_extend(const struct rtp_seq_track *t, uint16_t seq);
/* Records ext: new and ahead, new but late (reordered), or seen/too old. */
enum rtp_seq_verdict rtp_seq_commit(struct rtp_seq_track *t, int64_t ext);

#endif
