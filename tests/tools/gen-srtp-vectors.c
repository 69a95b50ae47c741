// SPDX-License-Identifier: GPL-2.0
/*
 * gen-srtp-vectors: print SRTP reference vectors made by libsrtp2, as the C
 * table kmod/selftest/srtp.c checks herald.ko's protect output against.
 *
 * For every suite herald supports, two packets are protected from fixed
 * master keys: one without MKI (ROC 0, a CSRC in the header), one with an MKI
 * after the sequence number wrapped (ROC 1, a header extension), so the
 * index, the ROC in the tag/IV and the header length are all exercised.
 * libsrtp2 is the reference nobody here wrote. Each packet is also rebuilt
 * from OpenSSL primitives (RFC 3711 KDF and transforms), and the two must
 * agree, with one exception: libsrtp2 before 2.7.1/3.0 derives AES-192 keys
 * with AES-256 (cisco/libsrtp#763, fixed by #765/#770), against RFC 6188
 * §7.4. For AES-192 the OpenSSL rebuild must match libsrtp2 under that
 * faulty derivation (which shows both agree on everything else), and the
 * vector printed is the RFC-conformant one.
 *
 *   cc -o gen-srtp-vectors tests/tools/gen-srtp-vectors.c -lsrtp2 -lcrypto
 *   ./gen-srtp-vectors > /tmp/v.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <srtp2/srtp.h>

struct suite {
	const char *name;	/* enum herald_suite member */
	void (*set)(srtp_crypto_policy_t *p);
	int key_len, salt_len;	/* salt_len 12: GCM */
};

static const struct suite suites[] = {
	{ "AES_CM_128_HMAC_SHA1_80", srtp_crypto_policy_set_rtp_default, 16, 14 },
	{ "AES_CM_128_HMAC_SHA1_32", srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32, 16, 14 },
	{ "AES_192_CM_HMAC_SHA1_80", srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80, 24, 14 },
	{ "AES_192_CM_HMAC_SHA1_32", srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32, 24, 14 },
	{ "AES_256_CM_HMAC_SHA1_80", srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80, 32, 14 },
	{ "AES_256_CM_HMAC_SHA1_32", srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32, 32, 14 },
	{ "AEAD_AES_128_GCM", srtp_crypto_policy_set_aes_gcm_128_16_auth, 16, 12 },
	{ "AEAD_AES_256_GCM", srtp_crypto_policy_set_aes_gcm_256_16_auth, 32, 12 },
};

#define SSRC 0x4d617273u	/* "Mars" */

/* A hex string, split in lines of 32 bytes (C string concatenation). */
static void hex(const char *field, const uint8_t *p, int n)
{
	printf("\t  .%s = \"", field);
	for (int i = 0; i < n; i++) {
		if (i && i % 32 == 0)
			printf("\"\n\t\t\"");
		printf("%02x", p[i]);
	}
	printf("\",\n");
}

/* Build an RTP packet: CSRC count @cc, extension words @ext, payload @plen. */
static int rtp(uint8_t *p, uint16_t seq, int cc, int ext, int plen)
{
	int n = 0;

	p[n++] = 0x80 | (ext ? 0x10 : 0) | cc;
	p[n++] = 0x00;		/* PT 0, PCMU */
	p[n++] = seq >> 8;
	p[n++] = seq;
	p[n++] = 0x00; p[n++] = 0x01; p[n++] = 0xe2; p[n++] = 0x40;
	p[n++] = (uint8_t)(SSRC >> 24); p[n++] = (uint8_t)(SSRC >> 16);
	p[n++] = (uint8_t)(SSRC >> 8); p[n++] = (uint8_t)SSRC;
	for (int i = 0; i < cc; i++) {
		p[n++] = 0xc5; p[n++] = 0x5c; p[n++] = 0x00; p[n++] = i;
	}
	if (ext) {
		p[n++] = 0xbe; p[n++] = 0xde; p[n++] = 0; p[n++] = ext;
		for (int i = 0; i < 4 * ext; i++)
			p[n++] = 0x10 + i;
	}
	for (int i = 0; i < plen; i++)
		p[n++] = (uint8_t)(0xd5 ^ (i * 7));	/* "silence"-ish bytes */
	return n;
}

static int hdr_len(int cc, int ext)
{
	return 12 + 4 * cc + (ext ? 4 + 4 * ext : 0);
}

static const EVP_CIPHER *ctr_cipher(int key_len)
{
	return key_len == 16 ? EVP_aes_128_ctr() : key_len == 24 ? EVP_aes_192_ctr() :
	       EVP_aes_256_ctr();
}

static void ctr_xor(int key_len, const uint8_t *key, const uint8_t iv[16], uint8_t *p, int n)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int out;

	EVP_EncryptInit_ex(c, ctr_cipher(key_len), NULL, key, iv);
	EVP_EncryptUpdate(c, p, &out, p, n);
	EVP_CIPHER_CTX_free(c);
}

/* RFC 3711 §4.3 PRF, KDR 0: AES-CM keystream, IV = (salt ^ label<<48) << 16. */
static void kdf(int key_len, const uint8_t *key, const uint8_t *salt, int salt_len,
		uint8_t label, uint8_t *out, int n)
{
	uint8_t iv[16] = { 0 };

	memcpy(iv, salt, salt_len);
	iv[7] ^= label;
	memset(out, 0, n);
	ctr_xor(key_len, key, iv, out, n);
}

/*
 * Protect @p (@n bytes, header @hl) with session keys, as RFC 3711 / RFC
 * 7714 say; returns the new length.
 */
static int compose(const struct suite *su, const uint8_t *mk, const uint8_t *ms, int libsrtp_192,
		   uint8_t *p, int n, int hl, uint32_t ssrc, uint64_t index,
		   const uint8_t *mki, int mki_len, int tag_len)
{
	uint8_t ke[32], ks[14] = { 0 }, ka[20], iv[16] = { 0 };
	int gcm = su->salt_len == 12;

	if (libsrtp_192) {
		/* libsrtp2 < 2.7.1: AES-256 PRF keyed with mk || ms[0..8) */
		uint8_t k256[32], s[14] = { 0 };

		memcpy(k256, mk, 24);
		memcpy(k256 + 24, ms, 8);
		memcpy(s, ms + 8, 6);
		kdf(32, k256, s, 14, 0, ke, su->key_len);
		kdf(32, k256, s, 14, 1, ka, 20);
		kdf(32, k256, s, 14, 2, ks, 14);
	} else {
		kdf(su->key_len, mk, ms, su->salt_len, 0, ke, su->key_len);
		kdf(su->key_len, mk, ms, su->salt_len, 1, ka, 20);
		kdf(su->key_len, mk, ms, su->salt_len, 2, ks, gcm ? 12 : 14);
	}
	if (gcm) {
		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
		int out;

		memcpy(iv, ks, 12);
		for (int i = 0; i < 4; i++)
			iv[2 + i] ^= (uint8_t)(ssrc >> (24 - 8 * i));
		for (int i = 0; i < 6; i++)
			iv[6 + i] ^= (uint8_t)(index >> (40 - 8 * i));
		EVP_EncryptInit_ex(c, su->key_len == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm(),
				   NULL, NULL, NULL);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL);
		EVP_EncryptInit_ex(c, NULL, NULL, ke, iv);
		EVP_EncryptUpdate(c, NULL, &out, p, hl);
		EVP_EncryptUpdate(c, p + hl, &out, p + hl, n - hl);
		EVP_EncryptFinal_ex(c, p + n, &out);
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, p + n);
		EVP_CIPHER_CTX_free(c);
		memcpy(p + n + 16, mki, mki_len);
		return n + 16 + mki_len;
	}
	uint8_t mac[20], roc[4];
	unsigned int mlen;

	memcpy(iv, ks, 14);
	for (int i = 0; i < 4; i++)
		iv[4 + i] ^= (uint8_t)(ssrc >> (24 - 8 * i));
	for (int i = 0; i < 6; i++)
		iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
	ctr_xor(su->key_len, ke, iv, p + hl, n - hl);
	for (int i = 0; i < 4; i++)
		roc[i] = (uint8_t)(index >> 16 >> (24 - 8 * i));
	memcpy(p + n, roc, 4);	/* ROC goes into the MAC, not onto the wire */
	HMAC(EVP_sha1(), ka, 20, p, (size_t)n + 4, mac, &mlen);
	memcpy(p + n, mki, mki_len);
	memcpy(p + n + mki_len, mac, tag_len);
	return n + mki_len + tag_len;
}

int main(void)
{
	if (srtp_init() != srtp_err_status_ok)
		return 1;
	{
		/* RFC 6188 §7.4, AES-192 derivation, pins kdf() itself. */
		static const uint8_t mk[24] = {
			0x73, 0xed, 0xc6, 0x6c, 0x4f, 0xa1, 0x57, 0x76, 0xfb, 0x57, 0xf9, 0x50,
			0x5c, 0x17, 0x13, 0x65, 0x50, 0xff, 0xda, 0x71, 0xf3, 0xe8, 0xe5, 0xf1 };
		static const uint8_t ms[14] = {
			0xc8, 0x52, 0x2f, 0x3a, 0xcd, 0x4c, 0xe8, 0x6d, 0x5a, 0xdd, 0x78, 0xed,
			0xbb, 0x11 };
		static const uint8_t ke[24] = {
			0x31, 0x87, 0x47, 0x36, 0xa8, 0xf1, 0x14, 0x38, 0x70, 0xc2, 0x6e, 0x48,
			0x57, 0xd8, 0xa5, 0xb2, 0xc4, 0xa3, 0x54, 0x40, 0x7f, 0xaa, 0xda, 0xbb };
		uint8_t out[24];

		kdf(24, mk, ms, 14, 0, out, 24);
		if (memcmp(out, ke, 24)) {
			fprintf(stderr, "kdf() fails RFC 6188 7.4\n");
			return 1;
		}
	}
	for (unsigned s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
		const struct suite *su = &suites[s];

		for (int use_mki = 0; use_mki < 2; use_mki++) {
			uint8_t master[SRTP_MAX_KEY_LEN];
			uint8_t mki[4];
			unsigned mki_len = 1 + s % 4;
			srtp_master_key_t mk = { master, mki, mki_len };
			srtp_master_key_t *mks[1] = { &mk };
			srtp_policy_t pol;
			srtp_t ctx;
			uint8_t pt[512], ct[512 + SRTP_MAX_TRAILER_LEN];
			int cc = use_mki ? 0 : 1, ext = use_mki ? 2 : 0;
			int plen = use_mki ? 61 : 37;
			uint16_t seqs[] = { 65534, 65535, 0 };
			uint16_t want = use_mki ? 0 : 65534;
			int n = 0, len = 0;

			for (int i = 0; i < su->key_len + su->salt_len; i++)
				master[i] = (uint8_t)(s * 37 + i * 11 + 3 + use_mki * 101);
			for (unsigned i = 0; i < mki_len; i++)
				mki[i] = (uint8_t)(0xa0 + s * 16 + i);

			memset(&pol, 0, sizeof(pol));
			su->set(&pol.rtp);
			su->set(&pol.rtcp);
			pol.ssrc.type = ssrc_specific;
			pol.ssrc.value = SSRC;
			if (use_mki) {
				pol.keys = mks;
				pol.num_master_keys = 1;
			} else {
				pol.key = master;
			}
			pol.window_size = 128;
			if (srtp_create(&ctx, &pol) != srtp_err_status_ok) {
				fprintf(stderr, "srtp_create %s\n", su->name);
				return 1;
			}
			for (unsigned i = 0; i < 3; i++) {
				n = rtp(pt, seqs[i], cc, ext, plen);
				memcpy(ct, pt, n);
				len = n;
				if (srtp_protect_mki(ctx, ct, &len, use_mki, 0) !=
				    srtp_err_status_ok) {
					fprintf(stderr, "protect %s\n", su->name);
					return 1;
				}
				if (seqs[i] == want)
					break;
			}
			srtp_dealloc(ctx);

			/* The independent rebuild must agree with libsrtp2. */
			uint8_t alt[512 + SRTP_MAX_TRAILER_LEN];
			int is192 = su->key_len == 24, alen;
			int tag_len = su->salt_len == 12 ? 16 : strstr(su->name, "_32") ? 4 : 10;
			uint64_t index = use_mki ? 0x10000 : 65534;

			memcpy(alt, pt, n);
			alen = compose(su, master, master + su->key_len, is192, alt, n,
				       hdr_len(cc, ext), SSRC, index, mki, use_mki ? mki_len : 0,
				       tag_len);
			if (alen != len || memcmp(alt, ct, len)) {
				fprintf(stderr, "%s%s: OpenSSL rebuild differs from libsrtp2\n",
					su->name, use_mki ? " MKI" : "");
				return 1;
			}
			if (is192) {
				/* Print the RFC 6188 conformant packet instead. */
				memcpy(ct, pt, n);
				len = compose(su, master, master + su->key_len, 0, ct, n,
					      hdr_len(cc, ext), SSRC, index, mki,
					      use_mki ? mki_len : 0, tag_len);
			}

			printf("\t{ .suite = HERALD_SUITE_%s,\n", su->name);
			hex("master_key", master, su->key_len);
			hex("master_salt", master + su->key_len, su->salt_len);
			if (use_mki) {
				uint32_t v = 0;

				for (unsigned i = 0; i < mki_len; i++)
					v = v << 8 | mki[i];
				printf("\t  .mki = 0x%x, .mki_len = %u,\n", v, mki_len);
			}
			printf("\t  .ssrc = 0x%08x, .index = 0x%llx, .hdr_len = %d,\n",
			       SSRC, use_mki ? 0x10000ull : 65534ull, hdr_len(cc, ext));
			hex("plain", pt, n);
			hex("srtp", ct, len);
			printf("\t},\n");
		}
	}
	return 0;
}
