// SPDX-License-Identifier: GPL-2.0
/*
 * RTP helpers for the test tools.
 */
#include <string.h>

#include "rtp_pkt.h"

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void rtp_build_header(uint8_t *p, uint8_t pt, bool marker, uint16_t seq,
		      uint32_t ts, uint32_t ssrc)
{
	p[0] = 0x80;		/* V=2, no padding, no extension, CC=0 */
	p[1] = (uint8_t)((marker ? 0x80 : 0) | (pt & 0x7f));
	put_be16(p + 2, seq);
	put_be32(p + 4, ts);
	put_be32(p + 8, ssrc);
}

int rtp_parse(const uint8_t *p, size_t len, struct rtp_info *ri)
{
	size_t off;

	if (len < RTP_HDR_LEN || (p[0] >> 6) != 2)
		return -1;
	off = RTP_HDR_LEN + 4u * (p[0] & 0x0f);
	if (p[0] & 0x10) {
		if (len < off + 4)
			return -1;
		off += 4 + 4u * ((size_t)p[off + 2] << 8 | p[off + 3]);
	}
	if (len < off)
		return -1;
	ri->payload_len = len - off;
	if (p[0] & 0x20) {
		uint8_t pad = p[len - 1];

		if (!pad || pad > ri->payload_len)
			return -1;
		ri->payload_len -= pad;
	}
	ri->payload_off = off;
	ri->marker = p[1] & 0x80;
	ri->pt = p[1] & 0x7f;
	ri->seq = (uint16_t)(p[2] << 8 | p[3]);
	ri->ts = get_be32(p + 4);
	ri->ssrc = get_be32(p + 8);
	return 0;
}

bool rtp_is_rtcp(const uint8_t *p, size_t len)
{
	return len >= 2 && (p[0] >> 6) == 2 && p[1] >= 192 && p[1] <= 223;
}

static uint8_t pattern_byte(uint32_t n, size_t j)
{
	/* Multiplicative mixing: neighbouring packets differ in every byte. */
	uint32_t x = n * 0x9e3779b1u + (uint32_t)j * 0x85ebca6bu;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	return (uint8_t)(x >> 24);
}

void tt_pattern_fill(uint8_t *p, size_t len, uint32_t n)
{
	size_t j;

	put_be32(p, n);
	for (j = TT_PATTERN_MIN; j < len; j++)
		p[j] = pattern_byte(n, j);
}

bool tt_pattern_check(const uint8_t *p, size_t len)
{
	uint32_t n;
	size_t j;

	if (len < TT_PATTERN_MIN)
		return false;
	n = get_be32(p);
	for (j = TT_PATTERN_MIN; j < len; j++)
		if (p[j] != pattern_byte(n, j))
			return false;
	return true;
}

int64_t rtp_seq_extend(const struct rtp_seq_track *t, uint16_t seq)
{
	if (!t->started)
		return seq;
	return t->highest + (int16_t)(seq - (uint16_t)t->highest);
}

static bool seen_bit(struct rtp_seq_track *t, int64_t ext, bool set)
{
	uint64_t pos = (uint64_t)ext % RTP_SEQ_WINDOW;
	uint64_t mask = 1ull << (pos % 64);
	bool was = t->seen[pos / 64] & mask;

	if (set)
		t->seen[pos / 64] |= mask;
	else
		t->seen[pos / 64] &= ~mask;
	return was;
}

enum rtp_seq_verdict rtp_seq_commit(struct rtp_seq_track *t, int64_t ext)
{
	int64_t i;

	if (!t->started) {
		t->started = true;
		t->highest = ext;
		seen_bit(t, ext, true);
		return RTP_SEQ_NEW;
	}
	if (ext > t->highest) {
		/* Slots passed over become free for the indexes they now hold. */
		for (i = t->highest + 1; i < ext && i - t->highest <= RTP_SEQ_WINDOW; i++)
			seen_bit(t, i, false);
		t->highest = ext;
		seen_bit(t, ext, true);
		return RTP_SEQ_NEW;
	}
	if (t->highest - ext >= RTP_SEQ_WINDOW || seen_bit(t, ext, true))
		return RTP_SEQ_DUP;
	return RTP_SEQ_LATE;
}
