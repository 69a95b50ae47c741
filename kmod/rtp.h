/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RTP on the receive path: demultiplexing, strict header parsing, SRTP packet
 * index estimation and RFC 3550 receive statistics.
 *
 * Pure logic over linear buffers and plain state structs: no skb, no locks,
 * no allocation. The caller linearises the packet, owns the state and
 * serialises access to it. The same file builds for userspace (unit tests,
 * fuzzers) with HERALD_USERSPACE defined.
 */
#ifndef _HERALD_RTP_H
#define _HERALD_RTP_H

#include <linux/types.h>

enum {
	HERALD_RTP_VERSION = 2,
	HERALD_RTP_FIXED_LEN = 12,	/* RFC 3550 §5.1 fixed header */
	HERALD_RTCP_MIN_LEN = 8,	/* RFC 3550 §6.4.1 header + SSRC */
};

/*
 * What a datagram arriving on a media socket is (RFC 7983 §7, RFC 5761 §4).
 * Only HERALD_DEMUX_RTP is for the kernel's datapath; everything else goes on
 * to the socket owner (the daemon) untouched.
 */
enum herald_demux {
	HERALD_DEMUX_RTP,
	HERALD_DEMUX_RTCP,	/* includes RTP payload types 64..95, see rtp.c */
	HERALD_DEMUX_STUN,	/* first byte 0..3 */
	HERALD_DEMUX_ZRTP,	/* first byte 16..19 */
	HERALD_DEMUX_DTLS,	/* first byte 20..63 */
	HERALD_DEMUX_OTHER,	/* TURN channel, QUIC, RTP version != 2, runts */
};

enum herald_demux herald_rtp_demux(const u8 *pkt, size_t len);

/* Why herald_rtp_parse() or herald_rtp_unpad() refused a packet. */
enum herald_rtp_status {
	HERALD_RTP_OK = 0,
	HERALD_RTP_TRUNCATED,	/* shorter than fixed header + trailer */
	HERALD_RTP_BAD_VERSION,	/* version field is not 2 */
	HERALD_RTP_BAD_CSRC,	/* CSRC list runs past the end */
	HERALD_RTP_BAD_EXT,	/* header extension runs past the end */
	HERALD_RTP_BAD_PADDING,	/* P bit with a count of 0 or past the payload */
};

struct herald_rtp_hdr {
	u32 ssrc;
	u32 timestamp;
	u16 seq;
	u8 pt;
	u8 cc;			/* CSRC count */
	bool marker;
	bool extension;		/* X bit; the extension lies before hdr_len */
	bool padding;		/* P bit: padding still to strip with unpad() */
	u32 hdr_len;		/* offset of the payload: fixed + CSRCs + ext */
	/*
	 * Bytes from hdr_len up to the trailer. Before herald_rtp_unpad() this
	 * includes the padding (for SRTP: the whole encrypted portion).
	 */
	u32 payload_len;
};

/*
 * Parse the header of the RTP (or SRTP) packet at @pkt, @len bytes long, the
 * last @trailer_len of which are not RTP (SRTP: MKI and authentication tag;
 * plain RTP: 0). Only cleartext fields are read, so this runs before
 * authentication; the padding count, encrypted in SRTP, is left to
 * herald_rtp_unpad(). On success fills @hdr and returns HERALD_RTP_OK.
 *
 * A packet without payload parses (see rtp.c): callers that play or forward
 * audio check hdr->payload_len after unpad and decide (stream.c drops it as
 * malformed).
 */
enum herald_rtp_status herald_rtp_parse(const u8 *pkt, size_t len, size_t trailer_len,
					struct herald_rtp_hdr *hdr);

/*
 * Validate and strip the padding of a parsed packet once its payload is
 * cleartext (after decryption for SRTP, right after parse for RTP): the last
 * payload byte counts the padding bytes including itself, so it must be at
 * least 1 and at most the payload length. A no-op without the P bit.
 */
enum herald_rtp_status herald_rtp_unpad(const u8 *pkt, struct herald_rtp_hdr *hdr);

/*
 * SRTP packet index (RFC 3711 §3.3.1, Appendix A): 48 bits, ROC << 16 | SEQ.
 * The receiver estimates the index of each packet from its SEQ and the
 * highest authenticated one (s_l, ROC), and moves s_l/ROC forward only after
 * the packet authenticated, so a forged SEQ cannot shift the estimate.
 */
#define HERALD_SRTP_INDEX_LIMIT (1ULL << 48)

struct herald_srtp_index {
	u32 roc;
	u16 s_l;		/* highest authenticated SEQ under roc */
	bool started;		/* s_l is valid: a packet authenticated */
};

enum herald_index_status {
	HERALD_INDEX_OK = 0,
	/* The estimate falls before index 0 (ROC would be -1): too old. */
	HERALD_INDEX_BEFORE_START,
	/* The estimate reaches 2^48: the key may not protect any more. */
	HERALD_INDEX_EXHAUSTED,
};

/* @roc: the ROC to assume for the first packet (0, or one signalled). */
void herald_srtp_index_init(struct herald_srtp_index *st, u32 roc);
enum herald_index_status herald_srtp_index_guess(const struct herald_srtp_index *st,
						 u16 seq, u64 *index);
/* Only after the packet with this @index authenticated. */
void herald_srtp_index_update(struct herald_srtp_index *st, u64 index);

static inline u32 herald_srtp_index_roc(u64 index)
{
	return (u32)(index >> 16);
}

/*
 * RFC 3550 per-SSRC receive statistics: sequence validation and extended
 * highest sequence number (A.1), cumulative and fractional loss (A.3),
 * interarrival jitter (A.8). Integer arithmetic only.
 */
struct herald_rtp_stats {
	u32 cycles;		/* SEQ wraps, times 2^16 */
	u32 base_seq;
	u32 bad_seq;		/* after a large jump: the SEQ that confirms it */
	u32 received;
	u32 expected_prior;	/* at the last report */
	u32 received_prior;
	u32 transit;		/* arrival - timestamp of the previous packet */
	u32 jitter;		/* estimate times 16 (A.8) */
	u16 max_seq;
	u8 probation;		/* sequential packets still needed */
	u8 min_sequential;	/* probation of a new source */
	bool have_transit;
};

/* RFC 3550 §6.4.1 report block fields. */
struct herald_rtp_report {
	u32 ext_max_seq;
	s32 cumulative_lost;	/* 24-bit signed range, clamped */
	u8 fraction_lost;	/* since the previous report, in 1/256 */
	u32 jitter;		/* timestamp units */
};

/*
 * Start statistics for a new source whose first packet carries @seq; feed
 * that packet to herald_rtp_stats_update_seq() as well. @probation is how
 * many packets in sequence make the source valid (RFC 3550 A.1 uses 2 for
 * plain RTP); 0 makes it valid at once, right for SRTP whose packets
 * authenticate their source.
 */
void herald_rtp_stats_init(struct herald_rtp_stats *s, u16 seq, u8 probation);
/* Returns false for a packet that does not count (probation, big jump). */
bool herald_rtp_stats_update_seq(struct herald_rtp_stats *s, u16 seq);
/* @arrival: arrival time in the stream's timestamp units (same clock rate). */
void herald_rtp_stats_update_jitter(struct herald_rtp_stats *s, u32 rtp_ts, u32 arrival);
/* Fills @r and starts a new interval for fraction_lost. */
void herald_rtp_stats_report(struct herald_rtp_stats *s, struct herald_rtp_report *r);
/* A clock in nanoseconds converted to @clock_rate units, modulo 2^32. */
u32 herald_rtp_clock_units(u64 ns, u32 clock_rate);

#ifdef HERALD_SELFTEST
bool herald_rtp_selftest(void);
#endif

#endif /* _HERALD_RTP_H */
