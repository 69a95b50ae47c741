// SPDX-License-Identifier: GPL-2.0
/*
 * Receive-side accounting: the same counting rules for live traffic and for
 * offline captures, so their verdicts can be compared field by field.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rx_account.h"

int rx_init(struct rx_account *rx)
{
	return sha256_init(&rx->sha);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static int ssrc_slot(struct rx_account *rx, uint32_t ssrc)
{
	unsigned int i;

	for (i = 0; i < rx->nssrc; i++)
		if (rx->ssrc[i] == ssrc)
			return (int)i;
	if (rx->nssrc == RX_MAX_SSRC)
		return -1;
	rx->ssrc[rx->nssrc] = ssrc;
	return (int)rx->nssrc++;
}

static void count_error(struct rx_account *rx, srtp_err_status_t e)
{
	switch (e) {
	case srtp_err_status_auth_fail:
		rx->auth_fail++;
		break;
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		rx->replay++;
		break;
	case srtp_err_status_bad_mki:
		rx->bad_mki++;
		break;
	default:
		rx->other_err++;
	}
}

static void accept_payload(struct rx_account *rx, const struct rtp_info *ri,
			   const uint8_t *payload)
{
	struct rx_record *r;
	int slot = ssrc_slot(rx, ri->ssrc);
	int64_t ext;

	if (slot < 0) {
		rx->ssrc_overflow++;
		return;
	}
	ext = rtp_seq_extend(&rx->track[slot], ri->seq);
	switch (rtp_seq_commit(&rx->track[slot], ext)) {
	case RTP_SEQ_DUP:
		/*
		 * Plain RTP has no replay protection of its own: drop what an
		 * SRTP receiver would drop. After SRTP, an index seen before
		 * means the decryptor let a replay through.
		 */
		if (rx->srtp)
			rx->duplicates++;
		else
			rx->replay++;
		return;
	case RTP_SEQ_LATE:
		rx->reordered++;
		break;
	default:
		break;
	}
	if (!rx->decrypted) {
		rx->first_seq = ri->seq;
		rx->first_len = ri->payload_len < RX_FIRST_BYTES ?
				(unsigned int)ri->payload_len : RX_FIRST_BYTES;
		memcpy(rx->first_payload, payload, rx->first_len);
	}
	rx->last_seq = ri->seq;
	rx->decrypted++;
	rx->payload_bytes += ri->payload_len;
	if (rx->check_pattern && !tt_pattern_check(payload, ri->payload_len))
		rx->pattern_bad++;

	if (grow((void **)&rx->rec, &rx->caprec, rx->nrec + 1, sizeof(*r))) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	r = &rx->rec[rx->nrec++];
	r->ext_seq = ext;
	r->ssrc_idx = (uint16_t)slot;
	r->len = (uint32_t)ri->payload_len;
	r->off = rx->nstore;
	if (rx->order_seq) {
		if (grow((void **)&rx->store, &rx->capstore,
			 rx->nstore + ri->payload_len, 1)) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
		memcpy(rx->store + rx->nstore, payload, ri->payload_len);
		rx->nstore += ri->payload_len;
		return;
	}
	sha256_update(&rx->sha, payload, ri->payload_len);
	if (rx->out && fwrite(payload, 1, ri->payload_len, rx->out) !=
	    ri->payload_len) {
		perror("write payload");
		exit(2);
	}
}

void rx_packet(struct rx_account *rx, uint8_t *pkt, size_t len)
{
	struct rtp_info ri;
	int n = (int)len;

	rx->received++;
	if (rtp_is_rtcp(pkt, len)) {
		rx->rtcp++;
		return;
	}
	if (rx->srtp) {
		srtp_err_status_t e = rx->use_mki ?
			srtp_unprotect_mki(rx->srtp, pkt, &n, 1) :
			srtp_unprotect(rx->srtp, pkt, &n);

		if (e) {
			count_error(rx, e);
			return;
		}
	}
	if (rtp_parse(pkt, (size_t)n, &ri)) {
		rx->other_err++;
		return;
	}
	accept_payload(rx, &ri, pkt + ri.payload_off);
}

static int cmp_rec(const void *a, const void *b)
{
	const struct rx_record *x = a, *y = b;

	if (x->ssrc_idx != y->ssrc_idx)
		return x->ssrc_idx < y->ssrc_idx ? -1 : 1;
	if (x->ext_seq != y->ext_seq)
		return x->ext_seq < y->ext_seq ? -1 : 1;
	return 0;
}

int rx_finish(struct rx_account *rx)
{
	size_t i;

	/* Records are unique per (SSRC, index): accept_payload drops repeats. */
	qsort(rx->rec, rx->nrec, sizeof(*rx->rec), cmp_rec);
	for (i = 0; i < rx->nrec; i++) {
		const struct rx_record *r = &rx->rec[i];

		if (i && rx->rec[i - 1].ssrc_idx == r->ssrc_idx)
			rx->lost += (uint64_t)(r->ext_seq - rx->rec[i - 1].ext_seq - 1);
		if (!rx->order_seq)
			continue;
		sha256_update(&rx->sha, rx->store + r->off, r->len);
		if (rx->out && fwrite(rx->store + r->off, 1, r->len, rx->out) !=
		    r->len) {
			perror("write payload");
			return -1;
		}
	}
	sha256_final_hex(&rx->sha, rx->sha_hex);
	if (rx->out && fflush(rx->out)) {
		perror("write payload");
		return -1;
	}
	return 0;
}

uint64_t rx_failures(const struct rx_account *rx)
{
	return rx->auth_fail + rx->replay + rx->bad_mki + rx->other_err +
	       rx->pattern_bad + rx->duplicates + rx->ssrc_overflow;
}

void rx_print_fields(const struct rx_account *rx, FILE *f)
{
	unsigned int i;

	fprintf(f, "\"received\":%" PRIu64 ",\"decrypted\":%" PRIu64
		",\"auth_fail\":%" PRIu64 ",\"replay\":%" PRIu64
		",\"bad_mki\":%" PRIu64 ",\"other_err\":%" PRIu64
		",\"rtcp\":%" PRIu64 ",\"pattern_bad\":%" PRIu64
		",\"duplicates\":%" PRIu64 ",\"lost\":%" PRIu64
		",\"reordered\":%" PRIu64 ",\"payload_bytes\":%" PRIu64
		",\"payload_sha256\":\"%s\"",
		rx->received, rx->decrypted, rx->auth_fail, rx->replay,
		rx->bad_mki, rx->other_err, rx->rtcp, rx->pattern_bad,
		rx->duplicates, rx->lost, rx->reordered, rx->payload_bytes,
		rx->sha_hex);
	if (rx->decrypted)
		fprintf(f, ",\"first_seq\":%u,\"last_seq\":%u", rx->first_seq,
			rx->last_seq);
	else
		fprintf(f, ",\"first_seq\":null,\"last_seq\":null");
	fprintf(f, ",\"first_payload\":\"");
	for (i = 0; i < rx->first_len; i++)
		fprintf(f, "%02x", rx->first_payload[i]);
	fprintf(f, "\",\"ssrcs\":[");
	for (i = 0; i < rx->nssrc; i++)
		fprintf(f, "%s\"0x%08x\"", i ? "," : "", rx->ssrc[i]);
	fprintf(f, "],\"ssrc_overflow\":%" PRIu64, rx->ssrc_overflow);
}

void rx_free(struct rx_account *rx)
{
	free(rx->rec);
	free(rx->store);
	rx->rec = NULL;
	rx->store = NULL;
	if (rx->srtp)
		srtp_dealloc(rx->srtp);
	rx->srtp = NULL;
}
