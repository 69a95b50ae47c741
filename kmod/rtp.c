// SPDX-License-Identifier: GPL-2.0
/*
 * RTP on the receive path: what a datagram is, where its payload lies, which
 * SRTP index it carries, and the RFC 3550 statistics of its source.
 *
 * Everything here works on bytes the caller has made linear and on state the
 * caller owns and locks, so that the same file runs in the kernel, in the unit
 * tests and under the fuzzer.
 *
 * Empty payloads: the parser accepts a packet whose payload is empty, or
 * only padding, because its header is well formed and, once authenticated,
 * it has consumed a sequence number (the index and replay window must move
 * on, or the next packets would be misjudged). What to do with it is the
 * caller's policy. herald's stream (stream.c) carries audio only, so after
 * commit it counts such a packet as malformed and forwards and plays nothing:
 * an empty frame in a paging stream is a broken or hostile sender, and the
 * drop counter is where an operator looks.
 */
#define pr_fmt(fmt) "herald: " fmt

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/types.h>

#include "rtp.h"

/*
 * Byte-wise big-endian loads: alignment-safe on every architecture, and free
 * of the <asm/unaligned.h> vs <linux/unaligned.h> split between 6.1 and 6.12.
 * The compiler turns them into a load and a byte swap.
 */
static inline u16 rtp_rd16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 rtp_rd32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/*
 * RFC 7983 §7 sorts a datagram by its first byte; within the RTP/RTCP range
 * (128..191, which is exactly "version 2"), RFC 5761 §4 tells RTCP from RTP by
 * the second byte: RTCP packet types 192..223 look like RTP payload types
 * 64..95 with the marker bit set. We send the whole payload type range 64..95
 * to the socket, marker or not: RFC 5761 forbids those payload types on a
 * multiplexed session, and the kernel must never consume something that could
 * be the daemon's RTCP.
 */
enum herald_demux herald_rtp_demux(const u8 *pkt, size_t len)
{
	u8 b0, pt;

	if (unlikely(!len))
		return HERALD_DEMUX_OTHER;
	b0 = pkt[0];
	if (b0 <= 3)
		return HERALD_DEMUX_STUN;
	if (b0 >= 16 && b0 <= 19)
		return HERALD_DEMUX_ZRTP;
	if (b0 >= 20 && b0 <= 63)
		return HERALD_DEMUX_DTLS;
	if (b0 < 128 || b0 > 191 || len < 2)
		return HERALD_DEMUX_OTHER;
	pt = pkt[1] & 0x7f;
	if (pt >= 64 && pt <= 95)
		return HERALD_DEMUX_RTCP;
	return HERALD_DEMUX_RTP;
}

enum herald_rtp_status herald_rtp_parse(const u8 *pkt, size_t len, size_t trailer_len,
					struct herald_rtp_hdr *hdr)
{
	size_t end, off;
	u8 b0;

	if (len < trailer_len || len - trailer_len < HERALD_RTP_FIXED_LEN)
		return HERALD_RTP_TRUNCATED;
	end = len - trailer_len;

	b0 = pkt[0];
	if ((b0 >> 6) != HERALD_RTP_VERSION)
		return HERALD_RTP_BAD_VERSION;

	hdr->padding = b0 & 0x20;
	hdr->extension = b0 & 0x10;
	hdr->cc = b0 & 0x0f;
	hdr->marker = pkt[1] & 0x80;
	hdr->pt = pkt[1] & 0x7f;
	hdr->seq = rtp_rd16(pkt + 2);
	hdr->timestamp = rtp_rd32(pkt + 4);
	hdr->ssrc = rtp_rd32(pkt + 8);

	off = HERALD_RTP_FIXED_LEN + 4 * (size_t)hdr->cc;
	if (off > end)
		return HERALD_RTP_BAD_CSRC;

	if (hdr->extension) {
		/* 16-bit profile, 16-bit length in 32-bit words, then data. */
		if (end - off < 4)
			return HERALD_RTP_BAD_EXT;
		off += 4 + 4 * (size_t)rtp_rd16(pkt + off + 2);
		if (off > end)
			return HERALD_RTP_BAD_EXT;
	}

	/*
	 * The padding count is the last payload byte: with the P bit set there
	 * must be one. Its value is checked by herald_rtp_unpad(), once it can
	 * be read in the clear.
	 */
	if (hdr->padding && off == end)
		return HERALD_RTP_BAD_PADDING;

	hdr->hdr_len = off;
	hdr->payload_len = end - off;
	return HERALD_RTP_OK;
}

enum herald_rtp_status herald_rtp_unpad(const u8 *pkt, struct herald_rtp_hdr *hdr)
{
	u8 count;

	if (!hdr->padding)
		return HERALD_RTP_OK;
	if (!hdr->payload_len)
		return HERALD_RTP_BAD_PADDING;
	count = pkt[hdr->hdr_len + hdr->payload_len - 1];
	if (!count || count > hdr->payload_len)
		return HERALD_RTP_BAD_PADDING;
	hdr->payload_len -= count;
	/* Stripped: a second call must not strip again. */
	hdr->padding = false;
	return HERALD_RTP_OK;
}

void herald_srtp_index_init(struct herald_srtp_index *st, u32 roc)
{
	st->roc = roc;
	st->s_l = 0;
	st->started = false;
}

/*
 * RFC 3711 Appendix A: the packet belongs to the ROC that puts its SEQ
 * closest to s_l, i.e. within 2^15 of it. Before any packet authenticated
 * there is no s_l to be close to, and the assumed ROC is taken as is.
 */
enum herald_index_status herald_srtp_index_guess(const struct herald_srtp_index *st,
						 u16 seq, u64 *index)
{
	s64 v = st->roc;

	if (likely(st->started)) {
		if (st->s_l < 0x8000) {
			if ((s32)seq - (s32)st->s_l > 0x8000)
				v--;
		} else if ((s32)st->s_l - 0x8000 > (s32)seq) {
			v++;
		}
	}

	if (unlikely(v < 0))
		return HERALD_INDEX_BEFORE_START;
	if (unlikely(v > U32_MAX))
		return HERALD_INDEX_EXHAUSTED;
	*index = (u64)v << 16 | seq;
	return HERALD_INDEX_OK;
}

/*
 * The RFC's three update rules (v = ROC + 1: take it; v = ROC: take a higher
 * SEQ; v = ROC - 1: nothing) all say "keep the highest index seen".
 */
void herald_srtp_index_update(struct herald_srtp_index *st, u64 index)
{
	u64 top = (u64)st->roc << 16 | st->s_l;

	if (!st->started || index > top) {
		st->roc = herald_srtp_index_roc(index);
		st->s_l = (u16)index;
		st->started = true;
	}
}

/* RFC 3550 A.1 limits: how far a SEQ may jump ahead or fall behind. */
enum {
	RTP_SEQ_MOD = 1 << 16,
	RTP_MAX_DROPOUT = 3000,
	RTP_MAX_MISORDER = 100,
};

/*
 * A step change in |D| larger than this is a clock jump, not network jitter;
 * capping it keeps the estimate (16 times the mean |D| in steady state) clear
 * of u32 overflow. 2^27 timestamp units are 46 minutes at 48 kHz.
 */
#define RTP_JITTER_D_MAX (1U << 27)

static void rtp_stats_restart(struct herald_rtp_stats *s, u16 seq)
{
	s->base_seq = seq;
	s->max_seq = seq;
	s->bad_seq = RTP_SEQ_MOD + 1;	/* matches no SEQ */
	s->cycles = 0;
	s->received = 0;
	s->received_prior = 0;
	s->expected_prior = 0;
}

void herald_rtp_stats_init(struct herald_rtp_stats *s, u16 seq, u8 probation)
{
	rtp_stats_restart(s, seq);
	s->min_sequential = probation;
	s->probation = probation;
	/*
	 * On probation the first packet must look like the successor of
	 * max_seq; without, it is max_seq itself and counts as received.
	 */
	if (probation)
		s->max_seq = seq - 1;
	s->transit = 0;
	s->jitter = 0;
	s->have_transit = false;
}

bool herald_rtp_stats_update_seq(struct herald_rtp_stats *s, u16 seq)
{
	u16 udelta = seq - s->max_seq;

	if (s->probation) {
		if (seq == (u16)(s->max_seq + 1)) {
			s->probation--;
			s->max_seq = seq;
			if (!s->probation) {
				rtp_stats_restart(s, seq);
				s->received++;
				return true;
			}
		} else {
			/* This packet starts a new run of sequential ones. */
			s->probation = s->min_sequential - 1;
			s->max_seq = seq;
		}
		return false;
	}

	if (udelta < RTP_MAX_DROPOUT) {
		/* In order, perhaps with a gap; a smaller SEQ means a wrap. */
		if (seq < s->max_seq)
			s->cycles += RTP_SEQ_MOD;
		s->max_seq = seq;
	} else if (udelta <= RTP_SEQ_MOD - RTP_MAX_MISORDER) {
		/*
		 * A big jump. Only when the next packet follows it is it a
		 * restarted sender rather than a stray: then resync.
		 */
		if (seq != s->bad_seq) {
			s->bad_seq = (seq + 1) & (RTP_SEQ_MOD - 1);
			return false;
		}
		rtp_stats_restart(s, seq);
	}
	/* Otherwise a duplicate or a reordered packet: counted, no move. */
	s->received++;
	return true;
}

void herald_rtp_stats_update_jitter(struct herald_rtp_stats *s, u32 rtp_ts, u32 arrival)
{
	u32 transit = arrival - rtp_ts;
	u32 d;

	/* The first packet has no predecessor to differ from. */
	if (!s->have_transit) {
		s->transit = transit;
		s->have_transit = true;
		return;
	}

	/* |D(i-1, i)| modulo 2^32: both transits wrap with the clocks. */
	d = transit - s->transit;
	if ((s32)d < 0)
		d = -d;
	s->transit = transit;
	d = min(d, RTP_JITTER_D_MAX);

	/* J += (|D| - J) / 16, with J kept times 16 and rounded (A.8). */
	s->jitter += d - ((s->jitter + 8) >> 4);
}

void herald_rtp_stats_report(struct herald_rtp_stats *s, struct herald_rtp_report *r)
{
	u32 expected, expected_interval, received_interval;
	s64 lost, lost_interval;

	r->ext_max_seq = s->cycles + s->max_seq;
	r->jitter = s->jitter >> 4;
	r->cumulative_lost = 0;
	r->fraction_lost = 0;
	/* No valid source yet: nothing to report losses against. */
	if (s->probation)
		return;

	expected = r->ext_max_seq - s->base_seq + 1;
	/* Duplicates make it negative; the field is 24-bit signed. */
	lost = (s64)expected - s->received;
	lost = clamp_t(s64, lost, -0x800000, 0x7fffff);
	r->cumulative_lost = (s32)lost;

	expected_interval = expected - s->expected_prior;
	s->expected_prior = expected;
	received_interval = s->received - s->received_prior;
	s->received_prior = s->received;
	lost_interval = (s64)expected_interval - received_interval;
	if (expected_interval && lost_interval > 0)
		/* All lost would be 256/256: the 8-bit field saturates. */
		r->fraction_lost = min_t(u64, 255,
					 div_u64((u64)lost_interval << 8, expected_interval));
}

u32 herald_rtp_clock_units(u64 ns, u32 clock_rate)
{
	const u32 nsec_per_sec = 1000000000;
	u32 rem;
	u64 sec = div_u64_rem(ns, nsec_per_sec, &rem);

	/* floor(ns * rate / 1e9) without a 96-bit product. */
	return (u32)(sec * clock_rate + div_u64((u64)rem * clock_rate, nsec_per_sec));
}

#ifdef HERALD_SELFTEST
#include "selftest/rtp.c"
#endif
