// SPDX-License-Identifier: GPL-2.0
/*
 * SRTP on OpenSSL 3 with everything prepared per key, nothing per packet:
 *
 *   AES-CM: one EVP_CIPHER_CTX (AES-128-CTR) keyed once; a packet only sets
 *           its IV. HMAC-SHA1: the inner and outer SHA-1 states after the
 *           ipad/opad block are computed once; a packet copies them (a
 *           struct copy, no allocation) and runs libcrypto's SHA-1 block
 *           function over header, payload and ROC. EVP_MAC would duplicate
 *           a provider context (malloc + free) per packet instead.
 *   GCM:    one EVP_CIPHER_CTX (AES-128-GCM) keyed once per direction; a
 *           packet sets its IV, AAD, data and tag.
 *
 * Key derivation (RFC 3711 §4.3, KDR 0) runs the AES-CM PRF once per key.
 * The GCM master salt (12 bytes) is padded with two zero bytes for the PRF,
 * as libsrtp2 and herald.ko do (docs/crypto-notes.md).
 */
#define OPENSSL_API_COMPAT 10101	/* SHA1_Init & co without warnings */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "srtp_evp.h"

#define SHA1_BLOCK 64
#define CM_TAG_LEN 10
#define GCM_TAG_LEN 16
#define REPLAY_BITS 64

struct se_ctx {
	enum se_suite suite;
	bool encrypt;
	EVP_CIPHER_CTX *cipher;
	uint8_t salt[14];		/* session salt (GCM uses 12) */
	SHA_CTX hmac_inner, hmac_outer;	/* AES-CM: after the pad blocks */
	/* receiver state of the current SSRC: RFC 3711 Appendix A estimate,
	 * replay window; a new SSRC starts afresh (one talker at a time)
	 */
	bool started;
	uint32_t ssrc;
	uint16_t s_l;
	uint32_t roc;
	uint64_t top;			/* highest index accepted */
	uint64_t bits;			/* bit n: index top - n seen */
};

int se_suite_parse(const char *name, enum se_suite *s)
{
	if (!strcmp(name, "AES_CM_128_HMAC_SHA1_80"))
		*s = SE_AES_CM_128_HMAC_SHA1_80;
	else if (!strcmp(name, "AEAD_AES_128_GCM"))
		*s = SE_AEAD_AES_128_GCM;
	else
		return -1;
	return 0;
}

const char *se_suite_name(enum se_suite s)
{
	return s == SE_AEAD_AES_128_GCM ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80";
}

unsigned int se_master_len(enum se_suite s)
{
	return s == SE_AEAD_AES_128_GCM ? 28 : 30;
}

unsigned int se_tag_len(enum se_suite s)
{
	return s == SE_AEAD_AES_128_GCM ? GCM_TAG_LEN : CM_TAG_LEN;
}

/* The AES-CM PRF of RFC 3711 §4.3.1 with r = 0: n bytes for @label. */
static int se_kdf(const uint8_t *mkey, const uint8_t *msalt14, uint8_t label,
		  uint8_t *out, int n)
{
	static const uint8_t zero[32];
	uint8_t iv[16] = { 0 };
	EVP_CIPHER_CTX *c;
	int ok, l;

	memcpy(iv, msalt14, 14);
	iv[7] ^= label;
	c = EVP_CIPHER_CTX_new();
	if (!c)
		return -1;
	ok = EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, mkey, iv) &&
	     EVP_EncryptUpdate(c, out, &l, zero, n);
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

struct se_ctx *se_ctx_new(enum se_suite s, const uint8_t *master, bool encrypt)
{
	uint8_t msalt[14] = { 0 }, ekey[16], akey[20], pad[SHA1_BLOCK];
	struct se_ctx *c;
	int i, ok;

	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->suite = s;
	c->encrypt = encrypt;
	memcpy(msalt, master + 16, s == SE_AEAD_AES_128_GCM ? 12 : 14);
	if (se_kdf(master, msalt, 0, ekey, 16) || se_kdf(master, msalt, 2, c->salt, 14))
		goto err;
	c->cipher = EVP_CIPHER_CTX_new();
	if (!c->cipher)
		goto err;
	if (s == SE_AEAD_AES_128_GCM) {
		ok = encrypt ? EVP_EncryptInit_ex(c->cipher, EVP_aes_128_gcm(), NULL, NULL, NULL)
			     : EVP_DecryptInit_ex(c->cipher, EVP_aes_128_gcm(), NULL, NULL, NULL);
		ok = ok && EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_SET_IVLEN, 12, NULL);
		ok = ok && (encrypt ? EVP_EncryptInit_ex(c->cipher, NULL, NULL, ekey, NULL)
				    : EVP_DecryptInit_ex(c->cipher, NULL, NULL, ekey, NULL));
	} else {
		/* CTR is its own inverse: encrypt in both directions. */
		ok = EVP_EncryptInit_ex(c->cipher, EVP_aes_128_ctr(), NULL, ekey, NULL);
		ok = ok && !se_kdf(master, msalt, 1, akey, 20);
		if (ok) {
			for (i = 0; i < SHA1_BLOCK; i++)
				pad[i] = (i < 20 ? akey[i] : 0) ^ 0x36;
			SHA1_Init(&c->hmac_inner);
			SHA1_Update(&c->hmac_inner, pad, SHA1_BLOCK);
			for (i = 0; i < SHA1_BLOCK; i++)
				pad[i] ^= 0x36 ^ 0x5c;
			SHA1_Init(&c->hmac_outer);
			SHA1_Update(&c->hmac_outer, pad, SHA1_BLOCK);
		}
	}
	OPENSSL_cleanse(ekey, sizeof(ekey));
	OPENSSL_cleanse(akey, sizeof(akey));
	OPENSSL_cleanse(pad, sizeof(pad));
	if (!ok)
		goto err;
	return c;
err:
	se_ctx_free(c);
	return NULL;
}

void se_ctx_free(struct se_ctx *c)
{
	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->cipher);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

int se_rtp_hdr_len(const uint8_t *pkt, unsigned int len)
{
	unsigned int h;

	if (len < 12 || (pkt[0] >> 6) != 2)
		return -1;
	h = 12 + 4 * (pkt[0] & 0x0f);
	if (pkt[0] & 0x10) {
		if (len < h + 4)
			return -1;
		h += 4 + 4 * ((unsigned int)pkt[h + 2] << 8 | pkt[h + 3]);
	}
	return h <= len ? (int)h : -1;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* HMAC-SHA1 over pkt[0..len) || ROC, 10 bytes to @tag. */
static void se_hmac(const struct se_ctx *c, const uint8_t *pkt, unsigned int len,
		    uint32_t roc, uint8_t *tag)
{
	uint8_t r[4], md[SHA_DIGEST_LENGTH];
	SHA_CTX h = c->hmac_inner;

	put32(r, roc);
	SHA1_Update(&h, pkt, len);
	SHA1_Update(&h, r, 4);
	SHA1_Final(md, &h);
	h = c->hmac_outer;
	SHA1_Update(&h, md, SHA_DIGEST_LENGTH);
	SHA1_Final(md, &h);
	memcpy(tag, md, CM_TAG_LEN);
}

static int se_ctr(struct se_ctx *c, uint8_t *p, unsigned int n, uint32_t ssrc, uint64_t index)
{
	uint8_t iv[16];
	int l, i;

	memcpy(iv, c->salt, 14);
	iv[14] = iv[15] = 0;
	for (i = 0; i < 4; i++)
		iv[4 + i] ^= ssrc >> (24 - 8 * i);
	for (i = 0; i < 6; i++)
		iv[8 + i] ^= index >> (40 - 8 * i);
	if (!EVP_EncryptInit_ex(c->cipher, NULL, NULL, NULL, iv))
		return -1;
	return n && !EVP_EncryptUpdate(c->cipher, p, &l, p, (int)n) ? -1 : 0;
}

static void se_gcm_iv(const struct se_ctx *c, uint8_t *iv, uint32_t ssrc, uint64_t index)
{
	int i;

	iv[0] = iv[1] = 0;
	put32(iv + 2, ssrc);
	put32(iv + 6, (uint32_t)(index >> 16));
	iv[10] = index >> 8;
	iv[11] = index;
	for (i = 0; i < 12; i++)
		iv[i] ^= c->salt[i];
}

int se_protect(struct se_ctx *c, uint8_t *pkt, unsigned int len, uint64_t index)
{
	int h = se_rtp_hdr_len(pkt, len), l;
	uint32_t ssrc;
	uint8_t iv[12];

	if (h < 0)
		return -1;
	ssrc = get32(pkt + 8);
	if (c->suite == SE_AES_CM_128_HMAC_SHA1_80) {
		if (se_ctr(c, pkt + h, len - h, ssrc, index))
			return -1;
		se_hmac(c, pkt, len, (uint32_t)(index >> 16), pkt + len);
		return (int)len + CM_TAG_LEN;
	}
	se_gcm_iv(c, iv, ssrc, index);
	if (!EVP_EncryptInit_ex(c->cipher, NULL, NULL, NULL, iv) ||
	    !EVP_EncryptUpdate(c->cipher, NULL, &l, pkt, h) ||
	    (len > (unsigned int)h &&
	     !EVP_EncryptUpdate(c->cipher, pkt + h, &l, pkt + h, (int)len - h)) ||
	    !EVP_EncryptFinal_ex(c->cipher, pkt + len, &l) ||
	    !EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN, pkt + len))
		return -1;
	return (int)len + GCM_TAG_LEN;
}

/* RFC 3711 Appendix A. */
static uint64_t se_guess(const struct se_ctx *c, uint16_t seq)
{
	uint32_t v = c->roc;

	if (!c->started)
		return seq;
	if (c->s_l < 32768) {
		if (seq - c->s_l > 32768 && v)
			v--;
	} else if (c->s_l - 32768 > seq) {
		v++;
	}
	return (uint64_t)v << 16 | seq;
}

int se_unprotect(struct se_ctx *c, uint8_t *pkt, unsigned int len)
{
	unsigned int tag = se_tag_len(c->suite), plen;
	int h = se_rtp_hdr_len(pkt, len), l;
	uint8_t mac[CM_TAG_LEN], iv[12];
	uint64_t index;
	uint32_t ssrc;
	bool same;

	if (h < 0 || len < (unsigned int)h + tag)
		return -1;
	plen = len - tag;
	ssrc = get32(pkt + 8);
	/* Another SSRC is judged against fresh state, kept only once it has
	 * authenticated: a forgery cannot reset the replay window.
	 */
	same = c->started && ssrc == c->ssrc;
	index = same ? se_guess(c, (uint16_t)(pkt[2] << 8 | pkt[3])) : (uint16_t)(pkt[2] << 8 | pkt[3]);
	if (same && index <= c->top &&
	    (c->top - index >= REPLAY_BITS || (c->bits >> (c->top - index) & 1)))
		return SE_REPLAY;
	if (c->suite == SE_AES_CM_128_HMAC_SHA1_80) {
		se_hmac(c, pkt, plen, (uint32_t)(index >> 16), mac);
		if (CRYPTO_memcmp(mac, pkt + plen, CM_TAG_LEN))
			return -1;
		if (se_ctr(c, pkt + h, plen - h, ssrc, index))
			return -1;
	} else {
		se_gcm_iv(c, iv, ssrc, index);
		if (!EVP_DecryptInit_ex(c->cipher, NULL, NULL, NULL, iv) ||
		    !EVP_DecryptUpdate(c->cipher, NULL, &l, pkt, h) ||
		    (plen > (unsigned int)h &&
		     !EVP_DecryptUpdate(c->cipher, pkt + h, &l, pkt + h, (int)plen - h)) ||
		    !EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_SET_TAG, GCM_TAG_LEN,
					 pkt + plen) ||
		    EVP_DecryptFinal_ex(c->cipher, mac, &l) <= 0)
			return -1;
	}
	/* Authenticated: commit the index. */
	if (!same || index > c->top) {
		uint64_t d = same ? index - c->top : REPLAY_BITS;

		c->bits = d >= REPLAY_BITS ? 1 : c->bits << d | 1;
		c->top = index;
		c->started = true;
		c->ssrc = ssrc;
		c->roc = (uint32_t)(index >> 16);
		c->s_l = (uint16_t)index;
	} else {
		c->bits |= 1ull << (c->top - index);
	}
	return (int)plen;
}
