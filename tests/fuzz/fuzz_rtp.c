// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the module's RTP receive logic (kmod/rtp.c): demux,
 * header parse with every trailer length SRTP uses, padding strip, and the
 * SRTP index / RFC 3550 statistics fed from the parsed fields.
 *
 * Beyond "no crash, no out-of-bounds read" (ASan sees the input's exact
 * length), it checks what the hot path relies on: a parsed packet lies
 * inside the buffer, and demux never hands RTCP/STUN/DTLS to the datapath.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DHERALD_USERSPACE \
 *     -Ikmod -Itests/unit/kcompat -Iuapi tests/fuzz/fuzz_rtp.c kmod/rtp.c \
 *     -o build/fuzz_rtp
 */
#include <stdlib.h>

#include "rtp.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* No payload, MKI 4 + tag 4, tag 4, tag 10, MKI 4 + tag 10, tag 16 (GCM). */
static const size_t trailers[] = { 0, 4, 8, 10, 14, 16 };

/* State carried from input to input, as a long-lived stream's would be. */
static struct herald_srtp_index fz_idx;
static struct herald_rtp_stats fz_stats;
static bool fz_started;

static void check_parse(const u8 *data, size_t size, size_t trailer)
{
	struct herald_rtp_hdr hdr;
	enum herald_rtp_status st;
	u32 payload_before;

	st = herald_rtp_parse(data, size, trailer, &hdr);
	if (st != HERALD_RTP_OK)
		return;
	if (hdr.hdr_len < HERALD_RTP_FIXED_LEN ||
	    (size_t)hdr.hdr_len + hdr.payload_len + trailer != size ||
	    (data[0] >> 6) != 2 || hdr.cc != (data[0] & 0x0f))
		abort();
	if (hdr.padding && !hdr.payload_len)
		abort();

	payload_before = hdr.payload_len;
	st = herald_rtp_unpad(data, &hdr);
	if (st == HERALD_RTP_OK) {
		if (hdr.padding || hdr.payload_len > payload_before)
			abort();
		/* Idempotent: a second strip removes nothing. */
		payload_before = hdr.payload_len;
		if (herald_rtp_unpad(data, &hdr) != HERALD_RTP_OK ||
		    hdr.payload_len != payload_before)
			abort();
	} else if (st != HERALD_RTP_BAD_PADDING) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct herald_rtp_hdr hdr;
	enum herald_demux d;
	unsigned int i;
	u64 index;

	d = herald_rtp_demux(data, size);
	if (d == HERALD_DEMUX_RTP &&
	    (size < 2 || data[0] < 128 || data[0] > 191 ||
	     ((data[1] & 0x7f) >= 64 && (data[1] & 0x7f) <= 95)))
		abort();

	for (i = 0; i < sizeof(trailers) / sizeof(trailers[0]); i++)
		check_parse(data, size, trailers[i]);

	if (herald_rtp_parse(data, size, 0, &hdr) != HERALD_RTP_OK)
		return 0;

	/* Index estimation must stay within 48 bits and keep the SEQ. */
	if (!fz_started) {
		herald_srtp_index_init(&fz_idx, hdr.timestamp & 3 ? 0 : hdr.ssrc);
		herald_rtp_stats_init(&fz_stats, hdr.seq, hdr.pt & 3);
		fz_started = true;
	}
	switch (herald_srtp_index_guess(&fz_idx, hdr.seq, &index)) {
	case HERALD_INDEX_OK:
		if (index >= HERALD_SRTP_INDEX_LIMIT || (u16)index != hdr.seq)
			abort();
		if (hdr.marker)	/* as if it authenticated */
			herald_srtp_index_update(&fz_idx, index);
		break;
	case HERALD_INDEX_BEFORE_START:
	case HERALD_INDEX_EXHAUSTED:
		break;
	default:
		abort();
	}

	if (herald_rtp_stats_update_seq(&fz_stats, hdr.seq)) {
		struct herald_rtp_report r;

		herald_rtp_stats_update_jitter(&fz_stats, hdr.timestamp, hdr.ssrc);
		herald_rtp_stats_report(&fz_stats, &r);
		if (r.cumulative_lost > 0x7fffff || r.cumulative_lost < -0x800000)
			abort();
	}
	return 0;
}
