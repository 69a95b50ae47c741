/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SRTP packet protection for the fast path: key derivation (RFC 3711 §4.3,
 * RFC 6188, RFC 7714 §11), AES-CM + HMAC-SHA1 (RFC 3711, RFC 6188) and
 * AEAD_AES_128_GCM / AEAD_AES_256_GCM (RFC 7714).
 *
 * Wire layout of a protected packet (the RFCs' figures; libsrtp2 agrees):
 *
 *   AES-CM/HMAC-SHA1:  header | encrypted payload | MKI | tag (10 or 4)
 *   AEAD AES-GCM:      header | encrypted payload | tag (16) | MKI
 *
 * In both, "header" is the whole RTP header (fixed part, CSRCs, extension):
 * authenticated, never encrypted. The HMAC covers header || encrypted
 * payload || ROC; GCM takes the header as associated data. The MKI is
 * neither encrypted nor authenticated. For GCM it follows the tag because
 * RFC 7714 counts the AEAD tag as part of the ciphertext (its Figure 1).
 *
 * A key is immutable once made: the packet functions only read it, so any
 * number of CPUs may use one key at once, with no lock.
 */
#ifndef _HERALD_SRTP_H
#define _HERALD_SRTP_H

#include <linux/gfp.h>
#include <linux/types.h>

#include "suite.h"

enum {
	HERALD_SRTP_MAX_KEY_LEN = 32,	/* AES-256 */
	HERALD_SRTP_MAX_SALT_LEN = 14,	/* AES-CM; GCM uses 12 */
	HERALD_SRTP_AUTH_KEY_LEN = 20,	/* HMAC-SHA1, RFC 3711 §8.2 */
	HERALD_SRTP_MAX_TAG_LEN = 16,	/* GCM */
	HERALD_SRTP_MAX_MKI_LEN = 4,	/* the MKI is a u32 on the wire, big endian */
	/* The most a protect call appends: what the caller keeps as tailroom. */
	HERALD_SRTP_MAX_TRAILER_LEN = HERALD_SRTP_MAX_TAG_LEN + HERALD_SRTP_MAX_MKI_LEN,
	HERALD_RTP_MIN_HDR_LEN = 12,
};

struct crypto_sync_skcipher;
struct crypto_shash;
struct crypto_aead;
struct aead_request;

/*
 * One master key of one suite, with its session keys derived (KDR 0) and the
 * transforms keyed. Everything but @desc, @mki and @mki_len is private to
 * srtp.c.
 */
struct herald_srtp_key {
	const struct herald_suite_desc *desc;
	union {
		struct {	/* HERALD_KIND_AES_CM_HMAC_SHA1 */
			struct crypto_sync_skcipher *ctr;
			struct crypto_shash *hmac;
		};
		struct {	/* HERALD_KIND_AEAD_AES_GCM */
			struct crypto_aead *aead;
			/* One request per CPU: see herald_srtp_gcm() */
			struct aead_request * __percpu *req;
		};
	};
	u32 mki;
	u8 mki_len;		/* 0: no MKI field in the packets */
	u8 salt[HERALD_SRTP_MAX_SALT_LEN];	/* session salt */
};

/*
 * Make a key from @material (master key || master salt, exactly
 * desc->key_len + desc->salt_len bytes, as SDES and HERALD_KEY_A_MATERIAL
 * carry it). @mki is written big endian in @mki_len (0..4) bytes; with
 * @mki_len 0 packets carry no MKI. The session keys exist only inside the
 * transforms afterwards: every intermediate copy is wiped, @material is left
 * to the caller to wipe.
 *
 * Process context: allocating transforms sleeps (the crypto API allocates
 * them with GFP_KERNEL whatever @gfp says). @gfp is for herald's own
 * allocations, e.g. GFP_KERNEL_ACCOUNT to charge a key to the user who set
 * it; it must allow blocking.
 *
 * Returns the key or ERR_PTR: -EINVAL (bad suite/MKI length), -ENOMEM, or
 * the crypto API's error when this kernel lacks an algorithm (-ENOENT).
 */
struct herald_srtp_key *herald_srtp_key_new(const struct herald_suite_desc *desc,
					    const u8 *material, u32 mki, u8 mki_len,
					    gfp_t gfp);

/* Free and wipe. NULL is fine. Process context; no packet may use @k any more. */
void herald_srtp_key_free(struct herald_srtp_key *k);

/* Bytes a protected packet carries after its payload: tag and MKI. */
static inline unsigned int herald_srtp_trailer_len(const struct herald_srtp_key *k)
{
	return k->desc->tag_len + k->mki_len;
}

/*
 * Protect the RTP packet of @len bytes at @pkt in place: encrypt the payload
 * (@pkt + @hdr_len up to @len), append the tag and the MKI in the suite's
 * order. @ssrc is the packet's SSRC and @index its 48-bit SRTP index
 * (ROC << 16 | SEQ of this very header): the caller owns the sender's ROC.
 *
 * The buffer must have herald_srtp_trailer_len(k) writable bytes after @len
 * and lie in the kernel's linear mapping (skb linear data or kmalloc memory,
 * never the stack or vmalloc: it goes into a scatterlist).
 *
 * Returns 0 with *@out_len = @len + trailer, or -EINVAL (@hdr_len below 12
 * or past @len), -EMSGSIZE (the result would not fit a UDP datagram), or a
 * crypto API error (not expected: the transforms are synchronous).
 *
 * Softirq or process context, not with hard interrupts disabled. Allocates
 * nothing.
 */
int herald_srtp_protect(const struct herald_srtp_key *k, u8 *pkt, unsigned int hdr_len,
			unsigned int len, u32 ssrc, u64 index, unsigned int *out_len);

/*
 * Verify and decrypt the SRTP packet of @len bytes at @pkt in place (same
 * buffer rules as protect). @hdr_len is the RTP header length, @ssrc and
 * @index (the receiver's estimate, RFC 3711 App. A) as for protect.
 *
 * Order: length check, MKI check, authentication in constant time, and only
 * then is the payload decrypted (AES-CM). GCM verifies and decrypts in one
 * operation; when the tag is wrong the payload is encrypted back, so for
 * every suite a failed call leaves the packet byte for byte as it was (the
 * caller may try another key, or hand the packet on untouched).
 *
 * Returns 0 with *@out_len = @len - trailer (the plain RTP packet: header
 * and payload, RTP padding included), or
 *   -EINVAL   @hdr_len below 12, or the packet too short for header + trailer
 *   -ENOKEY   @k has an MKI and the packet's MKI field is another one
 *   -EBADMSG  authentication failed
 *
 * Softirq or process context, not with hard interrupts disabled. Allocates
 * nothing.
 */
int herald_srtp_unprotect(const struct herald_srtp_key *k, u8 *pkt, unsigned int hdr_len,
			  unsigned int len, u32 ssrc, u64 index, unsigned int *out_len);

/*
 * Read the MKI field of a received packet, for choosing its key before
 * unprotect: @desc and @mki_len describe the layout (every key of a stream
 * shares suite and MKI length). With @mki_len 0 there is no MKI field and
 * *@mki is 0. Returns 0, or -EINVAL when the packet is too short to hold
 * header and trailer.
 *
 * Choosing the key is the caller's lookup of *@mki among its keys (a key
 * with that MKI, or -ENOKEY: HERALD_STAT_DROP_UNKNOWN_MKI); unprotect then
 * checks the MKI against the key once more.
 */
int herald_srtp_mki_read(const struct herald_suite_desc *desc, unsigned int mki_len,
			 const u8 *pkt, unsigned int hdr_len, unsigned int len, u32 *mki);

/*
 * Allocate the transforms a key of @desc would get and write their driver
 * names into @buf ("ctr+hmac" names, or the AEAD's): whether this kernel can
 * do the suite, and with which implementation. Process context.
 */
int herald_srtp_probe(const struct herald_suite_desc *desc, char *buf, size_t len);

#ifdef HERALD_SELFTEST
bool herald_srtp_selftest(void);
#endif

#endif /* _HERALD_SRTP_H */
