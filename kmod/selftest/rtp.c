// SPDX-License-Identifier: GPL-2.0
/*
 * RTP self-test: demultiplexing, header parsing and SRTP index estimation.
 * #included at the end of rtp.c under HERALD_SELFTEST (run at module load)
 * and by tests/unit/test_rtp.c (run on the build host): one set of tables.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>

struct rtp_test_demux {
	u8 b0, b1;
	u8 len;
	u8 expect;
};

#define DM(b0_, b1_, len_, e) { (b0_), (b1_), (len_), HERALD_DEMUX_##e }

static const struct rtp_test_demux rtp_test_demux[] __initconst = {
	DM(0x00, 0x01, 20, STUN),	/* Binding Request */
	DM(0x01, 0x01, 20, STUN),	/* Binding Success */
	DM(0x03, 0x00, 20, STUN),
	DM(0x04, 0x00, 20, OTHER),	/* unassigned by RFC 7983 */
	DM(0x0f, 0x00, 20, OTHER),
	DM(0x10, 0x00, 20, ZRTP),
	DM(0x13, 0x00, 20, ZRTP),
	DM(0x14, 0xfe, 20, DTLS),	/* change_cipher_spec */
	DM(0x16, 0xfe, 20, DTLS),	/* handshake */
	DM(0x17, 0xfe, 20, DTLS),	/* application data */
	DM(0x3f, 0x00, 20, DTLS),
	DM(0x40, 0x00, 20, OTHER),	/* TURN channel */
	DM(0x7f, 0x00, 20, OTHER),
	DM(0x80, 0x00, 12, RTP),	/* PCMU */
	DM(0x80, 0x08, 12, RTP),	/* PCMA */
	DM(0x80, 0x09, 12, RTP),	/* G722 */
	DM(0x80, 0x3f, 12, RTP),	/* PT 63 */
	DM(0x80, 0xbf, 12, RTP),	/* PT 63, marker */
	DM(0x80, 0x40, 12, RTCP),	/* PT 64: reserved when muxed */
	DM(0x80, 0x5f, 12, RTCP),	/* PT 95 */
	DM(0x80, 0x60, 12, RTP),	/* PT 96 */
	DM(0x80, 0xe0, 12, RTP),	/* PT 96, marker */
	DM(0x80, 0xc8, 28, RTCP),	/* SR */
	DM(0x81, 0xc9, 32, RTCP),	/* RR, one block */
	DM(0x81, 0xca, 20, RTCP),	/* SDES */
	DM(0x81, 0xcb, 8, RTCP),	/* BYE */
	DM(0x80, 0xcd, 12, RTCP),	/* RTPFB */
	DM(0x80, 0xdf, 12, RTCP),	/* 223, top of the RTCP range */
	DM(0xbf, 0x00, 12, RTP),	/* V=2 P X CC=15 */
	DM(0x80, 0x00, 1, OTHER),	/* a runt has no PT to look at */
	DM(0x80, 0x00, 0, OTHER),	/* zero-length keepalive */
	DM(0x00, 0x00, 0, OTHER),
	DM(0xc0, 0x00, 12, OTHER),	/* version 3 */
	DM(0xff, 0xff, 12, OTHER),
};

#undef DM

struct rtp_test_parse {
	const char *name;
	u8 len;
	u8 trailer;
	u8 expect;		/* after parse and, if that passed, unpad */
	u8 hdr_len;
	u8 payload_len;		/* after unpad */
	u8 pkt[48];
};

/* V=2 M=1 PT=96 seq=0xbeef ts=0xdeadbeef ssrc=0xcafebabe, first byte apart. */
#define HDR(b0) (b0), 0xe0, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xba, 0xbe
#define PC(n, l, t, e, h, p, ...) \
	{ .name = (n), .len = (l), .trailer = (t), .expect = HERALD_RTP_##e, \
	  .hdr_len = (h), .payload_len = (p), .pkt = { __VA_ARGS__ } }

static const struct rtp_test_parse rtp_test_parse[] __initconst = {
	PC("header only", 12, 0, OK, 12, 0, HDR(0x80)),
	PC("payload", 16, 0, OK, 12, 4, HDR(0x80), 1, 2, 3, 4),
	PC("srtp tag", 26, 10, OK, 12, 4, HDR(0x80), 1, 2, 3, 4),
	PC("srtp tag only", 22, 10, OK, 12, 0, HDR(0x80)),
	PC("empty", 0, 0, TRUNCATED, 0, 0, 0),
	PC("11 bytes", 11, 0, TRUNCATED, 0, 0, HDR(0x80)),
	PC("tag eats header", 21, 10, TRUNCATED, 0, 0, HDR(0x80)),
	PC("trailer past start", 4, 10, TRUNCATED, 0, 0, HDR(0x80)),
	PC("version 0", 12, 0, BAD_VERSION, 0, 0, HDR(0x00)),
	PC("version 1", 12, 0, BAD_VERSION, 0, 0, HDR(0x40)),
	PC("version 3", 12, 0, BAD_VERSION, 0, 0, HDR(0xc0)),
	PC("1 csrc", 16, 0, OK, 16, 0, HDR(0x81), 0, 0, 0, 1),
	PC("1 csrc, payload", 17, 0, OK, 16, 1, HDR(0x81), 0, 0, 0, 1, 0xff),
	PC("1 csrc short", 15, 0, BAD_CSRC, 0, 0, HDR(0x81), 0, 0, 0),
	PC("1 csrc under tag", 25, 10, BAD_CSRC, 0, 0, HDR(0x81), 0, 0, 0, 1),
	PC("15 csrc short", 40, 0, BAD_CSRC, 0, 0, HDR(0x8f)),
	PC("ext, no room", 12, 0, BAD_EXT, 0, 0, HDR(0x90)),
	PC("ext, 3 of 4", 15, 0, BAD_EXT, 0, 0, HDR(0x90), 0xbe, 0xde, 0),
	PC("ext empty", 16, 0, OK, 16, 0, HDR(0x90), 0xbe, 0xde, 0, 0),
	PC("ext 1 word short", 16, 0, BAD_EXT, 0, 0, HDR(0x90), 0xbe, 0xde, 0, 1),
	PC("ext 1 word", 20, 0, OK, 20, 0, HDR(0x90), 0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0),
	PC("ext 1 word, payload", 22, 0, OK, 20, 2,
	   HDR(0x90), 0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0, 7, 7),
	PC("ext 65535 words", 24, 0, BAD_EXT, 0, 0, HDR(0x90), 0x10, 0x00, 0xff, 0xff),
	PC("ext under tag", 26, 10, BAD_EXT, 0, 0,
	   HDR(0x90), 0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0),
	PC("csrc then ext short", 20, 0, BAD_EXT, 0, 0,
	   HDR(0x91), 0, 0, 0, 1, 0xbe, 0xde, 0, 1),
	PC("padding, no room", 12, 0, BAD_PADDING, 0, 0, HDR(0xa0)),
	PC("padding, no room before tag", 22, 10, BAD_PADDING, 0, 0, HDR(0xa0)),
	PC("padding only", 13, 0, OK, 12, 0, HDR(0xa0), 1),
	PC("padding 0", 16, 0, BAD_PADDING, 0, 0, HDR(0xa0), 1, 2, 3, 0),
	PC("padding 1", 16, 0, OK, 12, 3, HDR(0xa0), 1, 2, 3, 1),
	PC("padding 3", 16, 0, OK, 12, 1, HDR(0xa0), 1, 2, 3, 3),
	PC("padding all", 16, 0, OK, 12, 0, HDR(0xa0), 1, 2, 3, 4),
	PC("padding 5 of 4", 16, 0, BAD_PADDING, 0, 0, HDR(0xa0), 1, 2, 3, 5),
	PC("padding 255", 16, 0, BAD_PADDING, 0, 0, HDR(0xa0), 1, 2, 3, 255),
	PC("padding, count before tag", 26, 10, OK, 12, 2,
	   HDR(0xa0), 1, 2, 2, 2, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa),
	PC("padding does not reach into header", 14, 0, BAD_PADDING, 0, 0, HDR(0xa0), 0, 3),
	PC("csrc ext padding", 31, 0, OK, 28, 1,
	   HDR(0xb2), 0, 0, 0, 1, 0, 0, 0, 2, 0xbe, 0xde, 0, 1, 0x10, 0xaa, 0, 0, 9, 0, 2),
};

#undef PC
#undef HDR

enum { IX_INIT, IX_GUESS, IX_ACCEPT };

struct rtp_test_index {
	u8 op;			/* IX_ACCEPT: guess, then update as if authenticated */
	u8 expect;
	u32 arg;		/* IX_INIT: ROC; otherwise SEQ */
	u64 index;
};

#define IX_INIT(roc) { IX_INIT, 0, (roc), 0 }
#define IX_GUESS(seq, e, i) { IX_GUESS, HERALD_INDEX_##e, (seq), (i) }
#define IX_ACCEPT(seq, e, i) { IX_ACCEPT, HERALD_INDEX_##e, (seq), (i) }
#define ROC(r) ((u64)(r) << 16)

static const struct rtp_test_index rtp_test_index[] __initconst = {
	/* A stream starting at 65000 runs across the wrap, reordered. */
	IX_INIT(0),
	IX_ACCEPT(65000, OK, 65000),
	IX_ACCEPT(65001, OK, 65001),
	IX_ACCEPT(65003, OK, 65003),
	IX_ACCEPT(65002, OK, 65002),
	IX_ACCEPT(65533, OK, 65533),
	IX_ACCEPT(65534, OK, 65534),
	IX_ACCEPT(0, OK, ROC(1) + 0),		/* overtakes 65535 */
	IX_ACCEPT(65535, OK, 65535),		/* late: still ROC 0 */
	IX_ACCEPT(2, OK, ROC(1) + 2),
	IX_ACCEPT(1, OK, ROC(1) + 1),
	IX_GUESS(32770, OK, ROC(1) + 32770),	/* s_l stayed 2: 2^15 ahead */
	IX_GUESS(65535, OK, 65535),		/* a replay maps to the old ROC */
	IX_ACCEPT(3, OK, ROC(1) + 3),

	/* Jumps: within 2^15 of s_l = 3 the ROC holds, one more and it flips. */
	IX_GUESS(32771, OK, ROC(1) + 32771),	/* SEQ - s_l = 2^15 */
	IX_GUESS(32772, OK, ROC(0) + 32772),	/* SEQ - s_l = 2^15 + 1 */
	IX_ACCEPT(32771, OK, ROC(1) + 32771),	/* s_l now in the upper half */
	IX_GUESS(3, OK, ROC(1) + 3),		/* s_l - SEQ = 2^15 */
	IX_GUESS(2, OK, ROC(2) + 2),		/* s_l - SEQ = 2^15 + 1 */
	IX_ACCEPT(40000, OK, ROC(1) + 40000),
	IX_GUESS(10000, OK, ROC(1) + 10000),
	/* Unauthenticated guesses moved nothing: */
	IX_GUESS(7231, OK, ROC(2) + 7231),
	IX_ACCEPT(7231, OK, ROC(2) + 7231),	/* a jump forward of 32767 */
	IX_GUESS(40000, OK, ROC(1) + 40000),

	/* Before the first packet, the assumed ROC is taken as is. */
	IX_INIT(0),
	IX_GUESS(40000, OK, 40000),
	IX_ACCEPT(10, OK, 10),
	IX_GUESS(65000, BEFORE_START, 0),	/* would be ROC -1 */
	IX_GUESS(32778, OK, 32778),
	IX_GUESS(32779, BEFORE_START, 0),
	IX_INIT(5),				/* a signalled ROC */
	IX_GUESS(7, OK, ROC(5) + 7),
	IX_GUESS(60000, OK, ROC(5) + 60000),

	/* The end of the 48-bit index space. */
	IX_INIT(0xffffffff),
	IX_ACCEPT(65535, OK, 0xffffffffffffULL),
	IX_GUESS(0, EXHAUSTED, 0),
	IX_GUESS(65534, OK, 0xfffffffffffeULL),
	IX_INIT(0xffffffff),
	IX_ACCEPT(40000, OK, ROC(0xffffffff) + 40000),
	IX_GUESS(100, EXHAUSTED, 0),
	IX_GUESS(40001, OK, ROC(0xffffffff) + 40001),

	/* ROC - 1 from a stream whose ROC is 1. */
	IX_INIT(1),
	IX_ACCEPT(100, OK, ROC(1) + 100),
	IX_GUESS(50000, OK, ROC(0) + 50000),
	IX_GUESS(32868, OK, ROC(1) + 32868),
	IX_GUESS(32869, OK, ROC(0) + 32869),
};

#undef IX_INIT
#undef IX_GUESS
#undef IX_ACCEPT
#undef ROC

static bool __init rtp_test_demux_all(void)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(rtp_test_demux); i++) {
		const struct rtp_test_demux *t = &rtp_test_demux[i];
		const u8 pkt[2] = { t->b0, t->b1 };
		/* Read no further than 2 bytes: len only says how much exists. */
		enum herald_demux got = herald_rtp_demux(pkt, min_t(size_t, t->len, 2));

		if (got != t->expect) {
			pr_err("rtp self-test: demux %02x %02x len %u: %d, expected %d\n",
			       t->b0, t->b1, t->len, got, t->expect);
			ok = false;
		}
	}
	return ok;
}

static bool __init rtp_test_parse_all(void)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(rtp_test_parse); i++) {
		const struct rtp_test_parse *t = &rtp_test_parse[i];
		struct herald_rtp_hdr hdr;
		enum herald_rtp_status got;

		got = herald_rtp_parse(t->pkt, t->len, t->trailer, &hdr);
		if (got == HERALD_RTP_OK)
			got = herald_rtp_unpad(t->pkt, &hdr);
		if (got != t->expect) {
			pr_err("rtp self-test: parse \"%s\": %d, expected %d\n",
			       t->name, got, t->expect);
			ok = false;
			continue;
		}
		if (got != HERALD_RTP_OK)
			continue;
		if (hdr.hdr_len != t->hdr_len || hdr.payload_len != t->payload_len ||
		    hdr.padding || hdr.seq != 0xbeef || hdr.timestamp != 0xdeadbeef ||
		    hdr.ssrc != 0xcafebabe || hdr.pt != 96 || !hdr.marker ||
		    hdr.cc != (t->pkt[0] & 0x0f) || hdr.extension != !!(t->pkt[0] & 0x10)) {
			pr_err("rtp self-test: parse \"%s\": header %u payload %u pt %u m %d seq %04x ts %08x ssrc %08x cc %u x %d p %d\n",
			       t->name, hdr.hdr_len, hdr.payload_len, hdr.pt, hdr.marker,
			       hdr.seq, hdr.timestamp, hdr.ssrc, hdr.cc, hdr.extension,
			       hdr.padding);
			ok = false;
		}
	}
	return ok;
}

static bool __init rtp_test_index_all(void)
{
	struct herald_srtp_index st;
	unsigned int i;
	bool ok = true;

	herald_srtp_index_init(&st, 0);
	for (i = 0; i < ARRAY_SIZE(rtp_test_index); i++) {
		const struct rtp_test_index *t = &rtp_test_index[i];
		enum herald_index_status got;
		u64 index = 0;

		if (t->op == IX_INIT) {
			herald_srtp_index_init(&st, t->arg);
			continue;
		}
		got = herald_srtp_index_guess(&st, (u16)t->arg, &index);
		if (got != t->expect || (got == HERALD_INDEX_OK && index != t->index)) {
			pr_err("rtp self-test: index step %u: seq %u gives %d, %#llx; expected %d, %#llx\n",
			       i, t->arg, got, (unsigned long long)index, t->expect,
			       (unsigned long long)t->index);
			ok = false;
			continue;
		}
		if (t->op == IX_ACCEPT && got == HERALD_INDEX_OK)
			herald_srtp_index_update(&st, index);
	}
	return ok;
}

bool __init herald_rtp_selftest(void)
{
	bool ok = true;

	ok &= rtp_test_demux_all();
	ok &= rtp_test_parse_all();
	ok &= rtp_test_index_all();
	if (ok)
		pr_info("rtp self-tests: pass\n");
	return ok;
}
