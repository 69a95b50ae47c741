// SPDX-License-Identifier: GPL-2.0
/*
 * SRTP crypto: key derivation and packet protection (see srtp.h).
 *
 * Transforms (see docs/crypto-notes.md for the measurements behind them):
 *  - AES-CM:  "ctr(aes)" as a synchronous skcipher. SRTP's counter mode
 *    increments only the low 16 bits of the IV, the kernel's ctr() the whole
 *    128 bits; the two agree because a payload never reaches 2^16 blocks
 *    (a UDP datagram is below 2^16 bytes), so the low 16 bits, which start
 *    at zero, never carry.
 *  - HMAC-SHA1: the "hmac(sha1)" shash (6.1 has no HMAC library).
 *  - GCM: "gcm(aes)" restricted to synchronous implementations. The faster
 *    AES-NI AEAD on 6.1/6.12 is an asynchronous wrapper that hands the work
 *    to cryptd (and returns -EINPROGRESS) whenever softirq interrupted a
 *    kernel FPU section; the packet path has no completion path for that.
 *  - KDF: the AES library (aes_expandkey/aes_encrypt), once per key.
 *
 * No allocation on the packet path: the skcipher and shash requests live on
 * the stack; an AEAD request cannot (the GCM template puts parts of it in
 * scatterlists, and stacks are vmalloc'ed), so each key has one
 * preallocated request per CPU, used with bottom halves disabled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aead.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha1.h>
#include <crypto/skcipher.h>
#include <linux/bottom_half.h>
#include <linux/err.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "srtp.h"

/* RFC 3711 §4.3.2 key derivation labels (SRTCP's 3..5 are not used yet). */
enum herald_srtp_label {
	HERALD_SRTP_LABEL_ENC = 0x00,
	HERALD_SRTP_LABEL_AUTH = 0x01,
	HERALD_SRTP_LABEL_SALT = 0x02,
};

enum {
	HERALD_GCM_IV_LEN = 12,
	HERALD_GCM_TAG_LEN = 16,
};

/* Session keys of one master key: on the stack only while a key is made. */
struct herald_srtp_session {
	u8 enc[HERALD_SRTP_MAX_KEY_LEN];
	u8 salt[HERALD_SRTP_MAX_SALT_LEN];
	u8 auth[HERALD_SRTP_AUTH_KEY_LEN];
};

/* ---- transforms ---------------------------------------------------------- */

static struct crypto_sync_skcipher *herald_srtp_alloc_ctr(void)
{
	return crypto_alloc_sync_skcipher("ctr(aes)", 0, 0);
}

static struct crypto_shash *herald_srtp_alloc_hmac(void)
{
	return crypto_alloc_shash("hmac(sha1)", 0, 0);
}

static struct crypto_aead *herald_srtp_alloc_gcm(void)
{
	/* Mask out asynchronous implementations: see the top of this file. */
	return crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
}

int herald_srtp_probe(const struct herald_suite_desc *desc, char *buf, size_t len)
{
	struct crypto_sync_skcipher *ctr;
	struct crypto_shash *hmac;
	struct crypto_aead *aead;

	if (desc->kind == HERALD_KIND_AEAD_AES_GCM) {
		aead = herald_srtp_alloc_gcm();
		if (IS_ERR(aead))
			return PTR_ERR(aead);
		strscpy(buf, crypto_tfm_alg_driver_name(crypto_aead_tfm(aead)), len);
		crypto_free_aead(aead);
		return 0;
	}
	ctr = herald_srtp_alloc_ctr();
	if (IS_ERR(ctr))
		return PTR_ERR(ctr);
	hmac = herald_srtp_alloc_hmac();
	if (IS_ERR(hmac)) {
		crypto_free_sync_skcipher(ctr);
		return PTR_ERR(hmac);
	}
	snprintf(buf, len, "%s+%s",
		 crypto_tfm_alg_driver_name(crypto_skcipher_tfm(&ctr->base)),
		 crypto_tfm_alg_driver_name(crypto_shash_tfm(hmac)));
	crypto_free_shash(hmac);
	crypto_free_sync_skcipher(ctr);
	return 0;
}

/* ---- key derivation ------------------------------------------------------ */

/*
 * RFC 3711 §4.3.1/§4.3.3 with a key derivation rate of 0 (r = 0): the
 * AES-CM PRF keyed with the master key, with IV (master_salt XOR label at
 * bit 48) * 2^16, i.e. the label lands in byte 7 of the 14-byte salt and
 * the last two bytes count blocks. A 12-byte GCM master salt is the first 12
 * of those 14 bytes, the last two zero (RFC 7714 §11, as libsrtp2 does).
 * A 192/256-bit key needs two blocks (RFC 6188 §6).
 */
static int herald_srtp_kdf(const u8 *master_key, unsigned int key_len,
			   const u8 *master_salt, unsigned int salt_len,
			   u8 label, u8 *out, unsigned int out_len)
{
	struct crypto_aes_ctx aes;
	u8 block[AES_BLOCK_SIZE], ks[AES_BLOCK_SIZE];
	unsigned int n;
	u16 ctr = 0;
	int ret;

	ret = aes_expandkey(&aes, master_key, key_len);
	if (ret)
		return ret;
	memset(block, 0, sizeof(block));
	memcpy(block, master_salt, salt_len);
	block[7] ^= label;
	while (out_len) {
		block[14] = ctr >> 8;
		block[15] = ctr;
		ctr++;
		aes_encrypt(&aes, ks, block);
		n = min_t(unsigned int, out_len, AES_BLOCK_SIZE);
		memcpy(out, ks, n);
		out += n;
		out_len -= n;
	}
	memzero_explicit(&aes, sizeof(aes));
	memzero_explicit(ks, sizeof(ks));
	memzero_explicit(block, sizeof(block));
	return 0;
}

static int herald_srtp_derive(const struct herald_suite_desc *desc, const u8 *material,
			      struct herald_srtp_session *s)
{
	const u8 *mkey = material, *msalt = material + desc->key_len;
	unsigned int session_salt_len = desc->salt_len;
	int ret;

	ret = herald_srtp_kdf(mkey, desc->key_len, msalt, desc->salt_len,
			      HERALD_SRTP_LABEL_ENC, s->enc, desc->key_len);
	if (!ret)
		ret = herald_srtp_kdf(mkey, desc->key_len, msalt, desc->salt_len,
				      HERALD_SRTP_LABEL_SALT, s->salt, session_salt_len);
	/* GCM authenticates with its own tag: no HMAC key to derive. */
	if (!ret && desc->kind == HERALD_KIND_AES_CM_HMAC_SHA1)
		ret = herald_srtp_kdf(mkey, desc->key_len, msalt, desc->salt_len,
				      HERALD_SRTP_LABEL_AUTH, s->auth, sizeof(s->auth));
	return ret;
}

/* ---- keys ---------------------------------------------------------------- */

static void herald_srtp_free_gcm_reqs(struct herald_srtp_key *k)
{
	int cpu;

	if (!k->req)
		return;
	for_each_possible_cpu(cpu)
		aead_request_free(*per_cpu_ptr(k->req, cpu));	/* kfree_sensitive */
	free_percpu(k->req);
}

void herald_srtp_key_free(struct herald_srtp_key *k)
{
	if (!k)
		return;
	if (k->desc->kind == HERALD_KIND_AEAD_AES_GCM) {
		herald_srtp_free_gcm_reqs(k);
		if (k->aead)
			crypto_free_aead(k->aead);
	} else {
		if (k->hmac)
			crypto_free_shash(k->hmac);
		if (k->ctr)
			crypto_free_sync_skcipher(k->ctr);
	}
	kfree_sensitive(k);
}

static int herald_srtp_setup_cm(struct herald_srtp_key *k, const struct herald_srtp_session *s)
{
	struct crypto_sync_skcipher *ctr;
	struct crypto_shash *hmac;
	int ret;

	ctr = herald_srtp_alloc_ctr();
	if (IS_ERR(ctr))
		return PTR_ERR(ctr);
	k->ctr = ctr;
	hmac = herald_srtp_alloc_hmac();
	if (IS_ERR(hmac))
		return PTR_ERR(hmac);
	k->hmac = hmac;
	ret = crypto_sync_skcipher_setkey(ctr, s->enc, k->desc->key_len);
	if (!ret)
		ret = crypto_shash_setkey(hmac, s->auth, sizeof(s->auth));
	return ret;
}

static int herald_srtp_setup_gcm(struct herald_srtp_key *k, const struct herald_srtp_session *s,
				 gfp_t gfp)
{
	struct crypto_aead *aead;
	int cpu, ret;

	aead = herald_srtp_alloc_gcm();
	if (IS_ERR(aead))
		return PTR_ERR(aead);
	k->aead = aead;
	ret = crypto_aead_setkey(aead, s->enc, k->desc->key_len);
	if (!ret)
		ret = crypto_aead_setauthsize(aead, HERALD_GCM_TAG_LEN);
	if (ret)
		return ret;
	if (WARN_ON_ONCE(crypto_aead_ivsize(aead) != HERALD_GCM_IV_LEN))
		return -EINVAL;

	k->req = alloc_percpu_gfp(struct aead_request *, gfp);
	if (!k->req)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct aead_request *req = aead_request_alloc(aead, gfp);

		if (!req)
			return -ENOMEM;
		*per_cpu_ptr(k->req, cpu) = req;
	}
	return 0;
}

static struct herald_srtp_key *herald_srtp_key_setup(const struct herald_suite_desc *desc,
						     const struct herald_srtp_session *s,
						     u32 mki, u8 mki_len, gfp_t gfp)
{
	struct herald_srtp_key *k;
	int ret;

	k = kzalloc(sizeof(*k), gfp);
	if (!k)
		return ERR_PTR(-ENOMEM);
	k->desc = desc;
	k->mki = mki;
	k->mki_len = mki_len;
	memcpy(k->salt, s->salt, sizeof(k->salt));
	if (desc->kind == HERALD_KIND_AEAD_AES_GCM)
		ret = herald_srtp_setup_gcm(k, s, gfp);
	else
		ret = herald_srtp_setup_cm(k, s);
	if (ret) {
		herald_srtp_key_free(k);
		return ERR_PTR(ret);
	}
	return k;
}

static bool herald_srtp_desc_ok(const struct herald_suite_desc *desc)
{
	unsigned int salt = desc->kind == HERALD_KIND_AEAD_AES_GCM ? 12 : 14;
	unsigned int tag = desc->kind == HERALD_KIND_AEAD_AES_GCM ? HERALD_GCM_TAG_LEN : 0;

	if (desc->key_len != 16 && desc->key_len != 24 && desc->key_len != 32)
		return false;
	if (desc->salt_len != salt)
		return false;
	if (tag)
		return desc->tag_len == tag;
	return desc->tag_len >= 4 && desc->tag_len <= SHA1_DIGEST_SIZE;
}

struct herald_srtp_key *herald_srtp_key_new(const struct herald_suite_desc *desc,
					    const u8 *material, u32 mki, u8 mki_len,
					    gfp_t gfp)
{
	struct herald_srtp_session s;
	struct herald_srtp_key *k;
	int ret;

	might_sleep();
	if (WARN_ON_ONCE(!gfpflags_allow_blocking(gfp)))
		return ERR_PTR(-EINVAL);
	if (!herald_srtp_desc_ok(desc) || mki_len > HERALD_SRTP_MAX_MKI_LEN ||
	    (mki_len < 4 && mki >> (8 * mki_len)))
		return ERR_PTR(-EINVAL);

	ret = herald_srtp_derive(desc, material, &s);
	k = ret ? ERR_PTR(ret) : herald_srtp_key_setup(desc, &s, mki, mki_len, gfp);
	memzero_explicit(&s, sizeof(s));
	return k;
}

/* ---- packets ------------------------------------------------------------- */

static void herald_srtp_put_mki(const struct herald_srtp_key *k, u8 *p)
{
	unsigned int i;

	for (i = 0; i < k->mki_len; i++)
		p[i] = k->mki >> (8 * (k->mki_len - 1 - i));
}

static u32 herald_srtp_get_mki(const u8 *p, unsigned int mki_len)
{
	u32 mki = 0;
	unsigned int i;

	for (i = 0; i < mki_len; i++)
		mki = mki << 8 | p[i];
	return mki;
}

int herald_srtp_mki_read(const struct herald_suite_desc *desc, unsigned int mki_len,
			 const u8 *pkt, unsigned int hdr_len, unsigned int len, u32 *mki)
{
	unsigned int trailer = desc->tag_len + mki_len;
	unsigned int off;

	if (mki_len > HERALD_SRTP_MAX_MKI_LEN || hdr_len < HERALD_RTP_MIN_HDR_LEN ||
	    len < hdr_len || len - hdr_len < trailer)
		return -EINVAL;
	/* AES-CM: MKI then tag; GCM: tag (part of the AEAD output) then MKI. */
	if (desc->kind == HERALD_KIND_AEAD_AES_GCM)
		off = len - mki_len;
	else
		off = len - trailer;
	*mki = herald_srtp_get_mki(pkt + off, mki_len);
	return 0;
}

/*
 * RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), as
 * 16 bytes: the salt in bytes 0..13, SSRC over bytes 4..7, the 48-bit index
 * over bytes 8..13, the block counter in bytes 14..15.
 */
static void herald_srtp_cm_iv(u8 iv[AES_BLOCK_SIZE], const u8 *salt, u32 ssrc, u64 index)
{
	unsigned int i;

	memcpy(iv, salt, 14);
	iv[14] = 0;
	iv[15] = 0;
	for (i = 0; i < 4; i++)
		iv[4 + i] ^= ssrc >> (24 - 8 * i);
	for (i = 0; i < 6; i++)
		iv[8 + i] ^= index >> (40 - 8 * i);
}

/*
 * AES-CM keystream XOR over @n bytes at @data (encryption = decryption).
 * Out of line, like the HMAC below: each has a request of some 400 bytes on
 * the stack, and the packet path runs on the softirq stack.
 */
static noinline_for_stack int herald_srtp_cm_crypt(const struct herald_srtp_key *k,
						   u8 *data, unsigned int n, u32 ssrc,
						   u64 index)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, k->ctr);
	struct scatterlist sg;
	u8 iv[AES_BLOCK_SIZE];
	int ret;

	if (!n)
		return 0;
	herald_srtp_cm_iv(iv, k->salt, ssrc, index);
	sg_init_one(&sg, data, n);
	skcipher_request_set_sync_tfm(req, k->ctr);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg, &sg, n, iv);
	ret = crypto_skcipher_encrypt(req);
	skcipher_request_zero(req);
	memzero_explicit(iv, sizeof(iv));
	return ret;
}

/* RFC 3711 §4.2: HMAC-SHA1(k_a, authenticated portion || ROC), untruncated. */
static noinline_for_stack int herald_srtp_hmac(const struct herald_srtp_key *k,
					       const u8 *data, unsigned int n, u32 roc,
					       u8 mac[SHA1_DIGEST_SIZE])
{
	SHASH_DESC_ON_STACK(desc, k->hmac);
	__be32 roc_be = cpu_to_be32(roc);
	int ret;

	desc->tfm = k->hmac;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, data, n);
	if (!ret)
		ret = crypto_shash_finup(desc, (const u8 *)&roc_be, sizeof(roc_be), mac);
	shash_desc_zero(desc);
	return ret;
}

/*
 * RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt, 12 bytes.
 * ROC || SEQ is the 48-bit index.
 */
static void herald_srtp_gcm_iv(u8 iv[HERALD_GCM_IV_LEN], const u8 *salt, u32 ssrc, u64 index)
{
	unsigned int i;

	memcpy(iv, salt, HERALD_GCM_IV_LEN);
	for (i = 0; i < 4; i++)
		iv[2 + i] ^= ssrc >> (24 - 8 * i);
	for (i = 0; i < 6; i++)
		iv[6 + i] ^= index >> (40 - 8 * i);
}

/*
 * One GCM operation on @pkt: associated data the first @hdr_len bytes,
 * @cryptlen bytes after it (plaintext, or ciphertext || tag to decrypt).
 * The request is this CPU's: bottom halves stay disabled while it is in
 * use, so neither a softirq on this CPU nor a migrated task can share it.
 * The transform is synchronous, so the request is free again on return.
 */
static int herald_srtp_gcm(const struct herald_srtp_key *k, bool enc, u8 *pkt,
			   unsigned int hdr_len, unsigned int cryptlen, u32 ssrc, u64 index)
{
	unsigned int total = hdr_len + cryptlen + (enc ? HERALD_GCM_TAG_LEN : 0);
	struct aead_request *req;
	struct scatterlist sg;
	u8 iv[HERALD_GCM_IV_LEN];
	int ret;

	herald_srtp_gcm_iv(iv, k->salt, ssrc, index);
	sg_init_one(&sg, pkt, total);
	local_bh_disable();
	req = *this_cpu_ptr(k->req);
	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_crypt(req, &sg, &sg, cryptlen, iv);
	aead_request_set_ad(req, hdr_len);
	ret = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	local_bh_enable();
	memzero_explicit(iv, sizeof(iv));
	return ret;
}

static bool herald_srtp_hdr_ok(unsigned int hdr_len, unsigned int len)
{
	return hdr_len >= HERALD_RTP_MIN_HDR_LEN && hdr_len <= len;
}

int herald_srtp_protect(const struct herald_srtp_key *k, u8 *pkt, unsigned int hdr_len,
			unsigned int len, u32 ssrc, u64 index, unsigned int *out_len)
{
	unsigned int plen = len - hdr_len, tag_len = k->desc->tag_len;
	u8 mac[SHA1_DIGEST_SIZE];
	int ret;

	if (!herald_srtp_hdr_ok(hdr_len, len))
		return -EINVAL;
	/* Also keeps the payload far below 2^16 AES blocks (see the top). */
	if (len + herald_srtp_trailer_len(k) > U16_MAX)
		return -EMSGSIZE;

	if (k->desc->kind == HERALD_KIND_AEAD_AES_GCM) {
		ret = herald_srtp_gcm(k, true, pkt, hdr_len, plen, ssrc, index);
		if (ret)
			return ret;
		herald_srtp_put_mki(k, pkt + len + tag_len);
	} else {
		ret = herald_srtp_cm_crypt(k, pkt + hdr_len, plen, ssrc, index);
		if (!ret)
			ret = herald_srtp_hmac(k, pkt, len, index >> 16, mac);
		if (ret)
			return ret;
		herald_srtp_put_mki(k, pkt + len);
		memcpy(pkt + len + k->mki_len, mac, tag_len);
	}
	*out_len = len + herald_srtp_trailer_len(k);
	return 0;
}

static int herald_srtp_unprotect_cm(const struct herald_srtp_key *k, u8 *pkt,
				    unsigned int hdr_len, unsigned int end, u32 ssrc,
				    u64 index)
{
	u8 mac[SHA1_DIGEST_SIZE];
	int ret;

	ret = herald_srtp_hmac(k, pkt, end, index >> 16, mac);
	if (ret)
		return ret;
	if (crypto_memneq(mac, pkt + end + k->mki_len, k->desc->tag_len))
		return -EBADMSG;
	return herald_srtp_cm_crypt(k, pkt + hdr_len, end - hdr_len, ssrc, index);
}

/*
 * GCM decrypts in place before it knows the tag is wrong (the kernel's gcm
 * template runs CTR, then compares), and a forged packet must come out as
 * it went in. CTR is its own inverse: encrypting the garbage again under the
 * same IV gives the ciphertext back, and the received tag is put back over
 * the one encryption wrote. Whether the payload changed at all is read off
 * its first bytes, kept beforehand: an implementation that checks the tag
 * first leaves them alone (that a changed payload keeps its first min(16,
 * len) bytes needs a keystream of that many zero bytes, and then those bytes
 * are right anyway unless the payload is longer than 16: chance 2^-128).
 */
static int herald_srtp_unprotect_gcm(const struct herald_srtp_key *k, u8 *pkt,
				     unsigned int hdr_len, unsigned int end, u32 ssrc,
				     u64 index)
{
	unsigned int clen = end - hdr_len, plen = clen - HERALD_GCM_TAG_LEN;
	unsigned int head = min_t(unsigned int, plen, AES_BLOCK_SIZE);
	u8 tag[HERALD_GCM_TAG_LEN], first[AES_BLOCK_SIZE];
	int ret;

	memcpy(tag, pkt + hdr_len + plen, sizeof(tag));
	memcpy(first, pkt + hdr_len, head);
	ret = herald_srtp_gcm(k, false, pkt, hdr_len, clen, ssrc, index);
	if (ret != -EBADMSG || !memcmp(first, pkt + hdr_len, head))
		return ret;
	if (herald_srtp_gcm(k, true, pkt, hdr_len, plen, ssrc, index))
		WARN_ONCE(1, "herald: cannot restore a forged GCM packet\n");
	memcpy(pkt + hdr_len + plen, tag, sizeof(tag));
	return -EBADMSG;
}

int herald_srtp_unprotect(const struct herald_srtp_key *k, u8 *pkt, unsigned int hdr_len,
			  unsigned int len, u32 ssrc, u64 index, unsigned int *out_len)
{
	bool gcm = k->desc->kind == HERALD_KIND_AEAD_AES_GCM;
	unsigned int tag_len = k->desc->tag_len, end, mki_off;
	int ret;

	if (!herald_srtp_hdr_ok(hdr_len, len) || len - hdr_len < herald_srtp_trailer_len(k))
		return -EINVAL;
	/* @end: where the plain packet will end. */
	end = len - herald_srtp_trailer_len(k);
	mki_off = gcm ? end + tag_len : end;
	/* The MKI is public: no need for a constant-time compare. */
	if (k->mki_len && herald_srtp_get_mki(pkt + mki_off, k->mki_len) != k->mki)
		return -ENOKEY;

	if (gcm)
		ret = herald_srtp_unprotect_gcm(k, pkt, hdr_len, end + tag_len, ssrc, index);
	else
		ret = herald_srtp_unprotect_cm(k, pkt, hdr_len, end, ssrc, index);
	if (ret)
		return ret;
	*out_len = end;
	return 0;
}

#ifdef HERALD_SELFTEST
#include "selftest/srtp.c"
#endif
