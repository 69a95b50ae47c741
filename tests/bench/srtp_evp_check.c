// SPDX-License-Identifier: GPL-2.0
/*
 * se_selfcheck(): the EVP SRTP must be bit-exact with libsrtp2 before it
 * may be benchmarked. Per suite: 300 packets across a sequence number wrap
 * (ROC 0 -> 1), payloads of 0..255 bytes, some with CSRCs and a header
 * extension. Each packet is protected by both; the bytes must be equal.
 * libsrtp2 unprotects ours, ours unprotects libsrtp2's, and a packet with a
 * flipped bit or replayed must be refused.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>
#include <srtp2/srtp.h>

#include "bench_srtp.h"
#include "srtp_evp.h"

#define NPKT 300
#define BUF 512

static int build(uint8_t *p, unsigned int i, uint16_t seq, uint32_t ssrc)
{
	unsigned int cc = i % 5 == 1 ? 2 : 0, ext = i % 7 == 3, n = 0, k, plen;

	p[n++] = 0x80 | (ext ? 0x10 : 0) | cc;
	p[n++] = (i % 11 == 0 ? 0x80 : 0) | 8;
	p[n++] = seq >> 8;
	p[n++] = seq;
	for (k = 0; k < 4; k++)
		p[n++] = (uint8_t)((1000 + i * 160) >> (24 - 8 * k));
	for (k = 0; k < 4; k++)
		p[n++] = (uint8_t)(ssrc >> (24 - 8 * k));
	for (k = 0; k < cc * 4; k++)
		p[n++] = (uint8_t)(0xc0 + k);
	if (ext) {
		p[n++] = 0xbe;
		p[n++] = 0xde;
		p[n++] = 0;
		p[n++] = 1;
		for (k = 0; k < 4; k++)
			p[n++] = (uint8_t)(0xe0 + k);
	}
	plen = (i * 37) % 256;
	for (k = 0; k < plen; k++)
		p[n++] = (uint8_t)(i * 7 + k);
	return (int)n;
}

static int check_suite(enum se_suite s)
{
	uint8_t master[SE_MAX_KEY], a[BUF], b[BUF], plain[BUF];
	struct se_ctx *enc, *dec;
	srtp_t ls_out, ls_in;
	int i, n, la, lb, bad = 0;
	uint64_t index = 65536 - 150;
	uint32_t ssrc = 0x5eed1e55;
	const char *name = se_suite_name(s);

	if (RAND_bytes(master, (int)se_master_len(s)) != 1)
		return 1;
	enc = se_ctx_new(s, master, true);
	dec = se_ctx_new(s, master, false);
	if (!enc || !dec || bench_srtp_session(&ls_out, name, master, true) ||
	    bench_srtp_session(&ls_in, name, master, false)) {
		fprintf(stderr, "selfcheck %s: setup failed\n", name);
		return 1;
	}
	for (i = 0; i < NPKT && bad < 5; i++, index++) {
		n = build(plain, (unsigned int)i, (uint16_t)index, ssrc);
		memcpy(a, plain, (size_t)n);
		memcpy(b, plain, (size_t)n);
		la = n;
		if (srtp_protect(ls_out, a, &la) != srtp_err_status_ok) {
			fprintf(stderr, "selfcheck %s: libsrtp2 protect failed\n", name);
			bad++;
			continue;
		}
		lb = se_protect(enc, b, (unsigned int)n, index);
		if (lb != la || memcmp(a, b, (size_t)la)) {
			fprintf(stderr, "selfcheck %s: packet %d (index %llu) differs from libsrtp2's\n",
				name, i, (unsigned long long)index);
			bad++;
			continue;
		}
		/* Theirs -> ours (with a forged copy first), ours -> theirs. */
		if (i % 13 == 5) {
			a[n - 1] ^= 1;
			if (se_unprotect(dec, a, (unsigned int)la) >= 0) {
				fprintf(stderr, "selfcheck %s: forged packet %d accepted\n", name, i);
				bad++;
			}
			a[n - 1] ^= 1;
			if (s == SE_AEAD_AES_128_GCM) /* decrypted in place before the tag check */
				memcpy(a, b, (size_t)la);
		}
		if (se_unprotect(dec, a, (unsigned int)la) != n || memcmp(a, plain, (size_t)n)) {
			fprintf(stderr, "selfcheck %s: cannot unprotect libsrtp2's packet %d\n",
				name, i);
			bad++;
		}
		if (i % 17 == 4) {
			memcpy(a, b, (size_t)lb);
			if (se_unprotect(dec, a, (unsigned int)lb) >= 0) {
				fprintf(stderr, "selfcheck %s: replay of packet %d accepted\n",
					name, i);
				bad++;
			}
		}
		if (srtp_unprotect(ls_in, b, &lb) != srtp_err_status_ok || lb != n ||
		    memcmp(b, plain, (size_t)n)) {
			fprintf(stderr, "selfcheck %s: libsrtp2 cannot unprotect packet %d\n",
				name, i);
			bad++;
		}
	}
	srtp_dealloc(ls_out);
	srtp_dealloc(ls_in);
	se_ctx_free(enc);
	se_ctx_free(dec);
	return bad;
}

int se_selfcheck(void)
{
	int bad = check_suite(SE_AES_CM_128_HMAC_SHA1_80) + check_suite(SE_AEAD_AES_128_GCM);

	if (bad)
		fprintf(stderr, "selfcheck: the EVP SRTP disagrees with libsrtp2 (%d problems)\n",
			bad);
	return bad ? -1 : 0;
}
