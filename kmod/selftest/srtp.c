// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of srtp.c, #included at its end when HERALD_SELFTEST is
 * defined and run from module init (selftest=1): the load fails if one
 * fails, and each failure names its vector.
 *
 * Sources of the expected bytes:
 *  - RFC 3711 B.2 (AES-CM keystream) and B.3 (key derivation);
 *  - RFC 6188 §7.1 (AES-256-CM keystream), §7.2 and §7.4 (AES-256/192 KDF);
 *  - RFC 7714 §16.1.1 and §16.2.1 (AEAD_AES_128_GCM / 256 protected packet,
 *    session key and salt given directly);
 *  - libsrtp2's srtp_validate() packet (AES_CM_128_HMAC_SHA1_80);
 *  - two packets per suite protected by libsrtp2 2.5 on the host with
 *    tests/tools/gen-srtp-vectors.c (one with a CSRC and ROC 0, one with an
 *    MKI, a header extension and ROC 1); AES-192 ones see the table.
 * Then every suite makes a round trip over payload lengths and MKI lengths,
 * and forgeries (header, payload, tag, ROC, MKI, length) must be refused
 * and leave the packet as it was.
 */
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/timer.h>
#ifdef CONFIG_X86
#include <asm/fpu/api.h>
#endif

static unsigned int srtp_bench;
module_param(srtp_bench, uint, 0444);
MODULE_PARM_DESC(srtp_bench,
		 "with selftest=1: time this many SRTP protect/unprotect rounds per suite");

/* Room for any test packet plus its trailer, kmalloc'ed (scatterlists). */
#define HERALD_ST_BUF 512

static bool __init herald_st_hex(u8 *dst, unsigned int size, const char *hex,
				 unsigned int *len, const char *name)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > size || hex2bin(dst, hex, n / 2)) {
		pr_err("srtp selftest %s: bad hex in the test table\n", name);
		return false;
	}
	*len = n / 2;
	return true;
}

static void __init herald_st_dump(const char *name, const char *what, const u8 *p,
				  unsigned int len)
{
	pr_err("srtp selftest %s: %s (%u bytes): %*phN\n", name, what, len,
	       min_t(int, len, 64), p);
}

/* ---- key derivation ------------------------------------------------------ */

static const struct {
	const char *name;
	enum herald_suite suite;
	const char *master_key, *master_salt;
	const char *enc, *salt, *auth;
} herald_st_kdf[] __initconst = {
	{ "RFC 3711 B.3", HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
	  "e1f97a0d3e018be0d64fa32c06de4139", "0ec675ad498afeebb6960b3aabe6",
	  "c61e7a93744f39ee10734afe3ff7a087", "30cbbc08863d8c85d49db34a9ae1",
	  "cebe321f6ff7716b6fd4ab49af256a156d38baa4" },
	{ "RFC 6188 7.2 (AES-256)", HERALD_SUITE_AES_256_CM_HMAC_SHA1_80,
	  "f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6",
	  "3b04803de51ee7c96423ab5b78d2",
	  "5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4",
	  "fa31791685ca444a9e07c6c64e93",
	  "fd9c32d39ed5fbb5a9dc96b30818454d1313dc05" },
	{ "RFC 6188 7.4 (AES-192)", HERALD_SUITE_AES_192_CM_HMAC_SHA1_80,
	  "73edc66c4fa15776fb57f9505c17136550ffda71f3e8e5f1",
	  "c8522f3acd4ce86d5add78edbb11",
	  "31874736a8f1143870c26e4857d8a5b2c4a354407faadabb",
	  "2372b82d639b6d8503a47adc0a6c",
	  "355b10973cd95b9eacf4061c7e1a7151e7cfbfcb" },
};

static bool __init herald_st_check_kdf(unsigned int i)
{
	const char *name = herald_st_kdf[i].name;
	const struct herald_suite_desc *desc = herald_suite_get(herald_st_kdf[i].suite);
	u8 material[HERALD_SRTP_MAX_KEY_LEN + HERALD_SRTP_MAX_SALT_LEN];
	u8 enc[HERALD_SRTP_MAX_KEY_LEN], salt[HERALD_SRTP_MAX_SALT_LEN];
	u8 auth[HERALD_SRTP_AUTH_KEY_LEN];
	unsigned int klen, slen, n;
	struct herald_srtp_session s;
	bool ok = true;

	if (!herald_st_hex(material, sizeof(material), herald_st_kdf[i].master_key, &klen, name) ||
	    !herald_st_hex(material + klen, sizeof(material) - klen,
			   herald_st_kdf[i].master_salt, &slen, name) ||
	    !herald_st_hex(enc, sizeof(enc), herald_st_kdf[i].enc, &n, name) ||
	    !herald_st_hex(salt, sizeof(salt), herald_st_kdf[i].salt, &n, name) ||
	    !herald_st_hex(auth, sizeof(auth), herald_st_kdf[i].auth, &n, name))
		return false;
	if (!desc || klen != desc->key_len || slen != desc->salt_len) {
		pr_err("srtp selftest %s: table does not match the suite\n", name);
		return false;
	}
	if (herald_srtp_derive(desc, material, &s)) {
		pr_err("srtp selftest %s: derivation failed\n", name);
		return false;
	}
	if (memcmp(s.enc, enc, klen)) {
		pr_err("srtp selftest %s: wrong session key\n", name);
		herald_st_dump(name, "got", s.enc, klen);
		ok = false;
	}
	if (memcmp(s.salt, salt, sizeof(salt))) {
		pr_err("srtp selftest %s: wrong session salt\n", name);
		herald_st_dump(name, "got", s.salt, sizeof(salt));
		ok = false;
	}
	if (memcmp(s.auth, auth, sizeof(auth))) {
		pr_err("srtp selftest %s: wrong authentication key\n", name);
		herald_st_dump(name, "got", s.auth, sizeof(auth));
		ok = false;
	}
	memzero_explicit(&s, sizeof(s));
	return ok;
}

/* ---- AES-CM keystream ---------------------------------------------------- */

static const struct {
	const char *name;
	enum herald_suite suite;
	const char *key, *salt, *keystream;
} herald_st_keystream[] __initconst = {
	{ "RFC 3711 B.2", HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
	  "2b7e151628aed2a6abf7158809cf4f3c", "f0f1f2f3f4f5f6f7f8f9fafbfcfd",
	  "e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab"
	  "41e95b3bb0a2e8dd477901e4fca894c0" },
	{ "RFC 6188 7.1 (AES-256)", HERALD_SUITE_AES_256_CM_HMAC_SHA1_80,
	  "57f82fe3613fd170a85ec93c40b1f0922ec4cb0dc025b58272147cc438944a98",
	  "f0f1f2f3f4f5f6f7f8f9fafbfcfd",
	  "92bdd28a93c3f52511c677d08b5515a49da71b2378a854f67050756ded165bac"
	  "63c4868b7096d88421b563b8c94c9a31" },
};

/* A key from session keys given directly, as the RFC examples give them. */
static struct herald_srtp_key *__init herald_st_session_key(enum herald_suite suite,
							    const char *key, const char *salt,
							    const char *name)
{
	const struct herald_suite_desc *desc = herald_suite_get(suite);
	struct herald_srtp_session s = {};
	struct herald_srtp_key *k;
	unsigned int n;

	if (!desc || !herald_st_hex(s.enc, sizeof(s.enc), key, &n, name) ||
	    n != desc->key_len || !herald_st_hex(s.salt, sizeof(s.salt), salt, &n, name))
		return NULL;
	k = herald_srtp_key_setup(desc, &s, 0, 0, GFP_KERNEL);
	memzero_explicit(&s, sizeof(s));
	if (IS_ERR(k)) {
		pr_err("srtp selftest %s: cannot make the key: %ld\n", name, PTR_ERR(k));
		return NULL;
	}
	return k;
}

static bool __init herald_st_check_keystream(unsigned int i)
{
	const char *name = herald_st_keystream[i].name;
	struct herald_srtp_key *k;
	u8 want[64], *buf;
	unsigned int n;
	bool ok = false;

	if (!herald_st_hex(want, sizeof(want), herald_st_keystream[i].keystream, &n, name))
		return false;
	k = herald_st_session_key(herald_st_keystream[i].suite, herald_st_keystream[i].key,
				  herald_st_keystream[i].salt, name);
	buf = kzalloc(n, GFP_KERNEL);
	/* SSRC 0, index 0: the IV is the salt alone, the output the keystream. */
	if (k && buf && !herald_srtp_cm_crypt(k, buf, n, 0, 0)) {
		ok = !memcmp(buf, want, n);
		if (!ok) {
			pr_err("srtp selftest %s: wrong keystream\n", name);
			herald_st_dump(name, "got", buf, n);
		}
	} else {
		pr_err("srtp selftest %s: could not run\n", name);
	}
	kfree(buf);
	herald_srtp_key_free(k);
	return ok;
}

/* ---- whole packets ------------------------------------------------------- */

/*
 * Forgeries of the valid SRTP packet @srtp must be refused with the right
 * error and leave the buffer exactly as they came.
 */
static bool __init herald_st_forgeries(const char *name, const struct herald_srtp_key *k,
				       const u8 *srtp, unsigned int len, unsigned int hdr_len,
				       u32 ssrc, u64 index, u8 *buf, u8 *copy)
{
	bool gcm = k->desc->kind == HERALD_KIND_AEAD_AES_GCM;
	unsigned int payload_end = len - herald_srtp_trailer_len(k);
	unsigned int tag_end = gcm ? len - k->mki_len : len;
	unsigned int mki_off = gcm ? tag_end : payload_end;
	bool payload = payload_end > hdr_len;
	const struct {
		const char *what;
		bool skip;
		int flip;		/* byte whose low bit flips, -1: none */
		unsigned int len;
		u64 index;
		int err;
	} f[] = {
		{ "header bit", false, 1, len, index, -EBADMSG },
		{ "first payload bit", !payload, hdr_len, len, index, -EBADMSG },
		{ "last payload bit", !payload, payload_end - 1, len, index, -EBADMSG },
		{ "tag bit", false, tag_end - 1, len, index, -EBADMSG },
		{ "ROC", false, -1, len, index + 0x10000, -EBADMSG },
		{ "MKI bit", !k->mki_len, mki_off + k->mki_len - 1, len, index, -ENOKEY },
		{ "length", false, -1, hdr_len + herald_srtp_trailer_len(k) - 1, index,
		  -EINVAL },
	};
	unsigned int i, out_len;
	bool ok = true;
	int ret;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		if (f[i].skip)
			continue;
		memcpy(buf, srtp, len);
		if (f[i].flip >= 0)
			buf[f[i].flip] ^= 1;
		memcpy(copy, buf, len);
		ret = herald_srtp_unprotect(k, buf, hdr_len, f[i].len, ssrc, f[i].index, &out_len);
		if (ret != f[i].err) {
			pr_err("srtp selftest %s: forged %s: got %d, want %d\n",
			       name, f[i].what, ret, f[i].err);
			ok = false;
		} else if (memcmp(buf, copy, len)) {
			pr_err("srtp selftest %s: forged %s changed the packet\n", name, f[i].what);
			herald_st_dump(name, "now", buf, len);
			ok = false;
		}
	}
	return ok;
}

/*
 * @plain protects to exactly @srtp under @k, @srtp unprotects to @plain,
 * its MKI reads back, and forgeries fail.
 */
static bool __init herald_st_check_packet(const char *name, const struct herald_srtp_key *k,
					  const u8 *plain, unsigned int plain_len,
					  const u8 *srtp, unsigned int srtp_len,
					  unsigned int hdr_len, u32 ssrc, u64 index)
{
	u8 *buf = kmalloc(HERALD_ST_BUF, GFP_KERNEL);
	u8 *copy = kmalloc(HERALD_ST_BUF, GFP_KERNEL);
	unsigned int out_len = 0;
	bool ok = false;
	u32 mki = ~0;
	int ret;

	if (!buf || !copy || srtp_len > HERALD_ST_BUF ||
	    plain_len + HERALD_SRTP_MAX_TRAILER_LEN > HERALD_ST_BUF)
		goto out;

	memcpy(buf, plain, plain_len);
	ret = herald_srtp_protect(k, buf, hdr_len, plain_len, ssrc, index, &out_len);
	if (ret || out_len != srtp_len || memcmp(buf, srtp, srtp_len)) {
		pr_err("srtp selftest %s: protect: %d, %u bytes, want %u\n",
		       name, ret, out_len, srtp_len);
		herald_st_dump(name, "got", buf, out_len);
		herald_st_dump(name, "want", srtp, srtp_len);
		goto out;
	}
	if (herald_srtp_mki_read(k->desc, k->mki_len, srtp, hdr_len, srtp_len, &mki) ||
	    mki != k->mki) {
		pr_err("srtp selftest %s: MKI read back as %#x, want %#x\n", name, mki, k->mki);
		goto out;
	}
	memcpy(buf, srtp, srtp_len);
	ret = herald_srtp_unprotect(k, buf, hdr_len, srtp_len, ssrc, index, &out_len);
	if (ret || out_len != plain_len || memcmp(buf, plain, plain_len)) {
		pr_err("srtp selftest %s: unprotect: %d, %u bytes, want %u\n",
		       name, ret, out_len, plain_len);
		herald_st_dump(name, "got", buf, out_len);
		goto out;
	}
	ok = herald_st_forgeries(name, k, srtp, srtp_len, hdr_len, ssrc, index, buf, copy);
out:
	if (!buf || !copy)
		pr_err("srtp selftest %s: out of memory\n", name);
	kfree(copy);
	kfree(buf);
	return ok;
}

struct herald_st_packet {
	const char *name;
	enum herald_suite suite;
	bool session;		/* key and salt are session keys (RFC 7714) */
	const char *master_key, *master_salt;
	u32 mki;
	u8 mki_len;
	u32 ssrc;
	u64 index;
	unsigned int hdr_len;
	const char *plain, *srtp;
};

static const struct herald_st_packet herald_st_rfc[] __initconst = {
	{ .name = "RFC 7714 16.1.1", .suite = HERALD_SUITE_AEAD_AES_128_GCM, .session = true,
	  .master_key = "000102030405060708090a0b0c0d0e0f",
	  .master_salt = "517569642070726f2071756f",
	  .ssrc = 0x5501a0b2, .index = 0xf17b, .hdr_len = 12,
	  .plain = "8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e697320646976"
		"69736120696e207061727465732074726573",
	  .srtp = "8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd5"
		"0d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee439"
		"0cce" },
	{ .name = "RFC 7714 16.2.1", .suite = HERALD_SUITE_AEAD_AES_256_GCM, .session = true,
	  .master_key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  .master_salt = "517569642070726f2071756f",
	  .ssrc = 0x5501a0b2, .index = 0xf17b, .hdr_len = 12,
	  .plain = "8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e697320646976"
		"69736120696e207061727465732074726573",
	  .srtp = "8040f17b8041f8d35501a0b232b1de78a822fe12ef9f78fa332e33aab1801238"
		"9a58e2f3b50b2a0276ffae0f1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a7"
		"6c13" },
	{ .name = "libsrtp srtp_validate", .suite = HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
	  .master_key = "e1f97a0d3e018be0d64fa32c06de4139",
	  .master_salt = "0ec675ad498afeebb6960b3aabe6",
	  .ssrc = 0xcafebabe, .index = 0x1234, .hdr_len = 12,
	  .plain = "800f1234decafbadcafebabeabababababababababababababababab",
	  .srtp = "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc"
		"99ea179b8dbb" },
};

/*
 * Generated by tests/tools/gen-srtp-vectors.c: libsrtp2 2.5.0's output, also
 * rebuilt from OpenSSL primitives. AES-192 packets are the rebuild's with the
 * RFC 6188 key derivation: libsrtp2 2.5.0 derives AES-192 keys with AES-256
 * (cisco/libsrtp#763), so its AES-192 bytes are not the RFC's.
 */
static const struct herald_st_packet herald_st_libsrtp[] __initconst = {
	{ .suite = HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
	  .master_key = "030e19242f3a45505b66717c87929da8",
	  .master_salt = "b3bec9d4dfeaf5000b16212c3742",
	  .ssrc = 0x4d617273, .index = 0xfffe, .hdr_len = 16,
	  .plain = "8100fffe0001e2404d617273c55c0000d5d2dbc0c9f6ffe4edea9398818eb7bc"
		"a5a2ab5059464f747d7a6368111e070c35323b2029",
	  .srtp = "8100fffe0001e2404d617273c55c0000c5c3a03a2d54734bf8e8d426ab593c5b"
		"13269bd84fec777952022f40c360093c45d8a2627a13ec4bbf326946709c14",
	},
	{ .suite = HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
	  .master_key = "68737e89949faab5c0cbd6e1ecf7020d",
	  .master_salt = "18232e39444f5a65707b86919ca7",
	  .mki = 0xa0, .mki_len = 1,
	  .ssrc = 0x4d617273, .index = 0x10000, .hdr_len = 24,
	  .plain = "900000000001e2404d617273bede00021011121314151617d5d2dbc0c9f6ffe4"
		"edea9398818eb7bca5a2ab5059464f747d7a6368111e070c35323b2029d6dfc4"
		"cdcaf3f8e1ee979c85828bb0b9a6af545d5a434871",
	  .srtp = "900000000001e2404d617273bede00021011121314151617e66dc8fbfb157d85"
		"7588cbd440af725d07df645ef83e5aa72d055748035dda9f1e3a9f360df4ff1d"
		"3a34774fabee37bca5ac1ce0f0985db2bfed3add53a0794bf5a4c104c70f05d5",
	},
	{ .suite = HERALD_SUITE_AES_CM_128_HMAC_SHA1_32,
	  .master_key = "28333e49545f6a75808b96a1acb7c2cd",
	  .master_salt = "d8e3eef9040f1a25303b46515c67",
	  .ssrc = 0x4d617273, .index = 0xfffe, .hdr_len = 16,
	  .plain = "8100fffe0001e2404d617273c55c0000d5d2dbc0c9f6ffe4edea9398818eb7bc"
		"a5a2ab5059464f747d7a6368111e070c35323b2029",
	  .srtp = "8100fffe0001e2404d617273c55c0000b5067af7b31a1861b7efd034d68e7647"
		"608f645ddad66c1d11e65f16b77007c27753b5d9bdf278671f",
	},
	{ .suite = HERALD_SUITE_AES_CM_128_HMAC_SHA1_32,
	  .master_key = "8d98a3aeb9c4cfdae5f0fb06111c2732",
	  .master_salt = "3d48535e69747f8a95a0abb6c1cc",
	  .mki = 0xb0b1, .mki_len = 2,
	  .ssrc = 0x4d617273, .index = 0x10000, .hdr_len = 24,
	  .plain = "900000000001e2404d617273bede00021011121314151617d5d2dbc0c9f6ffe4"
		"edea9398818eb7bca5a2ab5059464f747d7a6368111e070c35323b2029d6dfc4"
		"cdcaf3f8e1ee979c85828bb0b9a6af545d5a434871",
	  .srtp = "900000000001e2404d617273bede00021011121314151617f0a9fee8d4d7a80b"
		"291cb72e552595d41323fe4999dfa8aff7764bab2261cd929c0694185c008dda"
		"fbc5f2a2428869daed0e1cae976aeb5e8e227205b5b0b1537f95e8",
	},
	{ .suite = HERALD_SUITE_AES_192_CM_HMAC_SHA1_80,
	  .master_key = "4d58636e79848f9aa5b0bbc6d1dce7f2fd08131e29343f4a",
	  .master_salt = "55606b76818c97a2adb8c3ced9e4",
	  .ssrc = 0x4d617273, .index = 0xfffe, .hdr_len = 16,
	  .plain = "8100fffe0001e2404d617273c55c0000d5d2dbc0c9f6ffe4edea9398818eb7bc"
		"a5a2ab5059464f747d7a6368111e070c35323b2029",
	  .srtp = "8100fffe0001e2404d617273c55c0000bc2a1127689244de38690b8800db9f0f"
		"57b086a182dde731cd3354c42241cb9ec379f7c0ea4c54b51ef99df8a2ba14",
	},
	{ .suite = HERALD_SUITE_AES_192_CM_HMAC_SHA1_80,
	  .master_key = "b2bdc8d3dee9f4ff0a15202b36414c57626d78838e99a4af",
	  .master_salt = "bac5d0dbe6f1fc07121d28333e49",
	  .mki = 0xc0c1c2, .mki_len = 3,
	  .ssrc = 0x4d617273, .index = 0x10000, .hdr_len = 24,
	  .plain = "900000000001e2404d617273bede00021011121314151617d5d2dbc0c9f6ffe4"
		"edea9398818eb7bca5a2ab5059464f747d7a6368111e070c35323b2029d6dfc4"
		"cdcaf3f8e1ee979c85828bb0b9a6af545d5a434871",
	  .srtp = "900000000001e2404d617273bede0002101112131415161741b28a12f62dc707"
		"d81747dc75d0839247daf09bc379b669c129e6209bb79bb22960d794def30d01"
		"3cd8fc1bb88c6722ec9894864d2d3166a2f3c218cbc0c1c2e21558b049eaef5c"
		"538b",
	},
	{ .suite = HERALD_SUITE_AES_192_CM_HMAC_SHA1_32,
	  .master_key = "727d88939ea9b4bfcad5e0ebf6010c17222d38434e59646f",
	  .master_salt = "7a85909ba6b1bcc7d2dde8f3fe09",
	  .ssrc = 0x4d617273, .index = 0xfffe, .hdr_len = 16,
	  .plain = "8100fffe0001e2404d617273c55c0000d5d2dbc0c9f6ffe4edea9398818eb7bc"
		"a5a2ab5059464f747d7a6368111e070c35323b2029",
	  .srtp = "8100fffe0001e2404d617273c55c00009ea399373afc9005207053b21feeaea6"
		"62d6a1255aa92f8fce780c6c5060547465e82e4e63526acaaa",
	},
	{ .suite = HERALD_SUITE_AES_192_CM_HMAC_SHA1_32,
	  .master_key = "d7e2edf8030e19242f3a45505b66717c87929da8b3bec9d4",
	  .master_salt = "dfeaf5000b16212c37424d58636e",
	  .mki = 0xd0d1d2d3, .mki_len = 4,
	  .ssrc = 0x4d617273, .index = 0x10000, .hdr_len = 24,
	  .plain = "900000000001e2404d617273bede00021011121314151617d5d2dbc0c9f6ffe4"
		"edea9398818eb7bca5a2ab5059464f747d7a6368111e070c35323b2029d6dfc4"
		"cdcaf3f8e1ee979c85828bb0b9a6af545d5a434871",
	  .srtp = "900000000001e2404d617273bede000210111213141516174ff4faabf3b43ace"
		"dd202e80842a7c37fd1647948887818fa1f02f5b6a289438ec6b31309af06beb"
		"f9555fe1cc48c14987480c542f650d150f6d9941b1d0d1d2d3d28ca4c3",
	},
	{ .suite = HERALD_SUITE_AES_256_CM_HMAC_SHA1_80,
	  .master_key = "97a2adb8c3ced9e4effa05101b26313c47525d68737e89949faab5c0cbd6e1ec",
	  .master_salt = "f7020d18232e39444f5a65707b86",
	  .ssrc = 0x4d617273, .index = 0xfffe, .hdr_len = 16,
	  .plain = "8100fffe0001e2404d617273c55c0000d5d2dbc0c9f6ffe4edea9398818eb7bc"
		"a5a2ab5059464f747d7a6368111e070c35323b2029",
	  .srtp = "8100fffe0001e2404d617273c55c00006dd4b48f9dc604bac182165b180eee20"
		"b8b41df2fd5ed7b89737a4f5f81fcd5a3848590074a437954415b1e6f61fe6",
	},
	{ .suite = HERALD_SUITE_AES_256_CM_HMAC_SHA1_80,
	  .master_key = "fc07121d28333e49545f6a75808b96a1acb7c2cdd8e3eef9040f1a25303b4651",
	  .master_salt = "5c67727d88939ea9b4bfcad5e0eb",
	  .mki = 0xe0, .mki_len = 1,
	  .ssrc = 0x4d617273, .index = 0x10000, .hdr_len = 24,
	  .plain = "900000000001e2404d617273bede00021011121314151617d5d2dbc0c9f6ffe4"
		"edea9398818eb7bca5a2ab5059464f747d7a6368111e070c35323b2029d6dfc4"
		"cdcaf3f8e1ee979c85828bb0b9a6af545d5a434871",
	  .srtp = "900000000001e2404d617273bede0002101112131415161701206f2c9574a4ba"
		"f261ca86e64196304c4f4a9b481d0219d7da77906a8523bc8e0c9f867ed82998"
		"8109f8aea31d2366e4d9e7b32a388fd60ca0cbbcc1e0caef26a90a6ec40a5676",
	},
	{ .suite = HERALD_SUITE_AES_256_CM_HMAC_SHA1_32,
	  .master_key = "bcc7d2dde8f3fe09141f2a35404b56616c77828d98a3aeb9c4cfdae5f0fb0611",
	  .master_salt = "1c27323d48535e69747f8a95a0ab",
	  .ssrc = 0x4d617273, .index = 0xfffe, .hdr_len = 16,
	  .plain = "8100fffe0001e2404d617273c55c0000d5d2dbc0c9f6ffe4edea9398818eb7bc"
		"a5a2ab5059464f747d7a6368111e070c35323b2029",
	  .srtp = "8100fffe0001e2404d617273c55c00007bf1efd0797daffb73514f2847e10ef5"
		"2212c1ac02aa61172cd7f88cc494d5febea2d1707b8d3e31fa",
	},
	{ .suite = HERALD_SUITE_AES_256_CM_HMAC_SHA1_32,
	  .master_key = "212c37424d58636e79848f9aa5b0bbc6d1dce7f2fd08131e29343f4a55606b76",
	  .master_salt = "818c97a2adb8c3ced9e4effa0510",
	  .mki = 0xf0f1, .mki_len = 2,
	  .ssrc = 0x4d617273, .index = 0x10000, .hdr_len = 24,
	  .plain = "900000000001e2404d617273bede00021011121314151617d5d2dbc0c9f6ffe4"
		"edea9398818eb7bca5a2ab5059464f747d7a6368111e070c35323b2029d6dfc4"
		"cdcaf3f8e1ee979c85828bb0b9a6af545d5a434871",
	  .srtp = "900000000001e2404d617273bede000210111213141516179241a177934859a4"
		"3a6c11f04f9d7388a8d6122fd9d19c7a5518e7259794bef9d211b973ee0d3d56"
		"1211ff4d0e24d926a17f7f01ea0ccd81cb1536d89cf0f14833fb5d",
	},
	{ .suite = HERALD_SUITE_AEAD_AES_128_GCM,
	  .master_key = "e1ecf7020d18232e39444f5a65707b86",
	  .master_salt = "919ca7b2bdc8d3dee9f4ff0a",
	  .ssrc = 0x4d617273, .index = 0xfffe, .hdr_len = 16,
	  .plain = "8100fffe0001e2404d617273c55c0000d5d2dbc0c9f6ffe4edea9398818eb7bc"
		"a5a2ab5059464f747d7a6368111e070c35323b2029",
	  .srtp = "8100fffe0001e2404d617273c55c0000e8a8034c383e79fa775372cae2b631a7"
		"846fbe50c75badac2ea122c91db80565a5ca9ddc75c7a92420b9633f5ef5830e"
		"dc1480a2fb",
	},
	{ .suite = HERALD_SUITE_AEAD_AES_128_GCM,
	  .master_key = "46515c67727d88939ea9b4bfcad5e0eb",
	  .master_salt = "f6010c17222d38434e59646f",
	  .mki = 0x102, .mki_len = 3,
	  .ssrc = 0x4d617273, .index = 0x10000, .hdr_len = 24,
	  .plain = "900000000001e2404d617273bede00021011121314151617d5d2dbc0c9f6ffe4"
		"edea9398818eb7bca5a2ab5059464f747d7a6368111e070c35323b2029d6dfc4"
		"cdcaf3f8e1ee979c85828bb0b9a6af545d5a434871",
	  .srtp = "900000000001e2404d617273bede000210111213141516173a978b552db7ff4d"
		"0eef8bba9b1f9d6cbd4cf3d5f61fe37f5664797dbae489b405f735583d6e362c"
		"2bf4b56017920c65426c0da72f3745ed9bc7d53c1033502512b79c6e321af599"
		"f5fff3cde3000102",
	},
	{ .suite = HERALD_SUITE_AEAD_AES_256_GCM,
	  .master_key = "06111c27323d48535e69747f8a95a0abb6c1ccd7e2edf8030e19242f3a45505b",
	  .master_salt = "66717c87929da8b3bec9d4df",
	  .ssrc = 0x4d617273, .index = 0xfffe, .hdr_len = 16,
	  .plain = "8100fffe0001e2404d617273c55c0000d5d2dbc0c9f6ffe4edea9398818eb7bc"
		"a5a2ab5059464f747d7a6368111e070c35323b2029",
	  .srtp = "8100fffe0001e2404d617273c55c000058cf8ac501ad4416d4738f0907cf0b62"
		"ddb28bdba4acabc1cb6ecab873907f3cd01241f8da22a1b35d25f19e85afe9dc"
		"9f157aecda",
	},
	{ .suite = HERALD_SUITE_AEAD_AES_256_GCM,
	  .master_key = "6b76818c97a2adb8c3ced9e4effa05101b26313c47525d68737e89949faab5c0",
	  .master_salt = "cbd6e1ecf7020d18232e3944",
	  .mki = 0x10111213, .mki_len = 4,
	  .ssrc = 0x4d617273, .index = 0x10000, .hdr_len = 24,
	  .plain = "900000000001e2404d617273bede00021011121314151617d5d2dbc0c9f6ffe4"
		"edea9398818eb7bca5a2ab5059464f747d7a6368111e070c35323b2029d6dfc4"
		"cdcaf3f8e1ee979c85828bb0b9a6af545d5a434871",
	  .srtp = "900000000001e2404d617273bede000210111213141516170c294a85ae50f17e"
		"cc88f2d322320eca7827fec3270e113df0767df5de85729d32626c67b47ebd05"
		"5860fc845c6e09169030ba85a1c125b2766fc44dade696a6cc69778ef57a2235"
		"7f50600f8810111213",
	},
};

static bool __init herald_st_check_table(const struct herald_st_packet *t)
{
	const struct herald_suite_desc *desc = herald_suite_get(t->suite);
	u8 material[HERALD_SRTP_MAX_KEY_LEN + HERALD_SRTP_MAX_SALT_LEN];
	u8 *plain = kmalloc(HERALD_ST_BUF, GFP_KERNEL);
	u8 *srtp = kmalloc(HERALD_ST_BUF, GFP_KERNEL);
	unsigned int klen, slen, plen, len;
	struct herald_srtp_key *k = NULL;
	char name[64];
	bool ok = false;

	snprintf(name, sizeof(name), "%s %s%s", t->name ?: "libsrtp2",
		 desc ? desc->name : "?", t->mki_len ? " MKI" : "");
	if (!plain || !srtp || !desc ||
	    !herald_st_hex(plain, HERALD_ST_BUF, t->plain, &plen, name) ||
	    !herald_st_hex(srtp, HERALD_ST_BUF, t->srtp, &len, name))
		goto out;
	if (t->session) {
		k = herald_st_session_key(t->suite, t->master_key, t->master_salt, name);
	} else if (herald_st_hex(material, sizeof(material), t->master_key, &klen, name) &&
		   herald_st_hex(material + klen, sizeof(material) - klen, t->master_salt,
				 &slen, name)) {
		k = herald_srtp_key_new(desc, material, t->mki, t->mki_len, GFP_KERNEL);
		if (IS_ERR(k)) {
			pr_err("srtp selftest %s: cannot make the key: %ld\n", name, PTR_ERR(k));
			k = NULL;
		}
	}
	if (k)
		ok = herald_st_check_packet(name, k, plain, plen, srtp, len, t->hdr_len,
					    t->ssrc, t->index);
out:
	herald_srtp_key_free(k);
	kfree(srtp);
	kfree(plain);
	return ok;
}

/*
 * Every suite, payloads of 0 to 161 bytes, MKIs of 0 to 4 bytes: what
 * protect makes, unprotect takes back, and forgeries fail. No reference
 * here; the tables above pin the bytes.
 */
static bool __init herald_st_round_trip(const struct herald_suite_desc *desc)
{
	static const unsigned int plens[] __initconst = { 0, 1, 15, 16, 17, 161 };
	u8 material[HERALD_SRTP_MAX_KEY_LEN + HERALD_SRTP_MAX_SALT_LEN];
	u8 *plain = kmalloc(HERALD_ST_BUF, GFP_KERNEL);
	u8 *srtp = kmalloc(HERALD_ST_BUF, GFP_KERNEL);
	unsigned int i, len, out_len;
	bool ok = plain && srtp;
	char name[64];
	int ret;

	for (i = 0; ok && i < ARRAY_SIZE(plens); i++) {
		u8 mki_len = i % (HERALD_SRTP_MAX_MKI_LEN + 1);
		u32 mki = mki_len ? 0xc0ffee42 >> (8 * (4 - mki_len)) : 0;
		u64 index = 0xfffe + 0x10003 * i;	/* several ROCs */
		unsigned int hdr_len = 12 + 4 * (i % 3);	/* with CSRCs */
		struct herald_srtp_key *k;

		snprintf(name, sizeof(name), "round trip %s payload %u MKI %u",
			 desc->name, plens[i], mki_len);
		get_random_bytes(material, sizeof(material));
		k = herald_srtp_key_new(desc, material, mki, mki_len, GFP_KERNEL);
		if (IS_ERR(k)) {
			pr_err("srtp selftest %s: cannot make the key: %ld\n", name, PTR_ERR(k));
			ok = false;
			break;
		}
		len = hdr_len + plens[i];
		get_random_bytes(plain, len);
		plain[0] = 0x80 | (hdr_len - 12) / 4;
		memcpy(srtp, plain, len);
		ret = herald_srtp_protect(k, srtp, hdr_len, len, 0x11223344, index, &out_len);
		if (ret || out_len != len + herald_srtp_trailer_len(k) ||
		    (plens[i] >= 8 && !memcmp(srtp + hdr_len, plain + hdr_len, plens[i]))) {
			pr_err("srtp selftest %s: protect: %d, %u bytes\n", name, ret, out_len);
			ok = false;
		} else {
			ok = herald_st_check_packet(name, k, plain, len, srtp, out_len, hdr_len,
						    0x11223344, index);
		}
		herald_srtp_key_free(k);
	}
	memzero_explicit(material, sizeof(material));
	if (!plain || !srtp)
		pr_err("srtp selftest round trip: out of memory\n");
	kfree(srtp);
	kfree(plain);
	return ok;
}

/* ---- softirq ------------------------------------------------------------- */

/*
 * The packet path runs in softirq: one protect/unprotect round from a timer
 * callback, for every suite (the GCM per-CPU request under softirq included).
 */
struct herald_st_softirq {
	struct timer_list timer;
	struct completion done;
	const struct herald_srtp_key *k;
	u8 *buf;
	bool in_softirq, same;
	int ret;
};

static void herald_st_softirq_fn(struct timer_list *t)
{
	struct herald_st_softirq *st = from_timer(st, t, timer);
	unsigned int len = 12 + 160, out_len = 0;

	st->in_softirq = in_serving_softirq();
	memset(st->buf, 0x5a, len);
	st->buf[0] = 0x80;
	st->ret = herald_srtp_protect(st->k, st->buf, 12, len, 7, 0x12345, &out_len);
	if (!st->ret)
		st->ret = herald_srtp_unprotect(st->k, st->buf, 12, out_len, 7, 0x12345, &out_len);
	st->same = !st->ret && out_len == len && !memchr_inv(st->buf + 12, 0x5a, len - 12);
	complete(&st->done);
}

static bool __init herald_st_softirq(const struct herald_suite_desc *desc)
{
	u8 material[HERALD_SRTP_MAX_KEY_LEN + HERALD_SRTP_MAX_SALT_LEN];
	struct herald_st_softirq *st = kzalloc(sizeof(*st), GFP_KERNEL);
	struct herald_srtp_key *k;
	bool ok = false;

	if (!st)
		return false;
	st->buf = kmalloc(HERALD_ST_BUF, GFP_KERNEL);
	get_random_bytes(material, sizeof(material));
	k = herald_srtp_key_new(desc, material, 0x5a, 1, GFP_KERNEL);
	memzero_explicit(material, sizeof(material));
	if (st->buf && !IS_ERR(k)) {
		st->k = k;
		init_completion(&st->done);
		timer_setup(&st->timer, herald_st_softirq_fn, 0);
		mod_timer(&st->timer, jiffies + 1);
		if (!wait_for_completion_timeout(&st->done, 10 * HZ))
			pr_err("srtp selftest softirq %s: timer did not run\n", desc->name);
		else if (!st->in_softirq || !st->same)
			pr_err("srtp selftest softirq %s: in softirq %d, ret %d, round trip %s\n",
			       desc->name, st->in_softirq, st->ret, st->same ? "ok" : "wrong");
		else
			ok = true;
		timer_delete_sync(&st->timer);
	} else {
		pr_err("srtp selftest softirq %s: setup failed\n", desc->name);
	}
	if (!IS_ERR(k))
		herald_srtp_key_free(k);
	kfree(st->buf);
	kfree(st);
	return ok;
}

/* ---- timing (srtp_bench=N) ----------------------------------------------- */

/*
 * N protect calls, then N protect+unprotect pairs, of a 20 ms G.711 packet
 * (12 + 160 bytes), in process context. For the GCM choice, the same work
 * through the asynchronous "gcm(aes)" the packet path does not use, counting
 * how often it did not complete inline.
 */
static void __init herald_st_bench_async_gcm(const struct herald_suite_desc *desc, u8 *buf,
					     unsigned int n)
{
	u8 key[HERALD_SRTP_MAX_KEY_LEN], iv[HERALD_GCM_IV_LEN] = {};
	struct aead_request *req = NULL;
	unsigned int i, inprogress = 0;
	struct crypto_aead *aead;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u64 t0, t1;
	int ret = 0;

	aead = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(aead)) {
		pr_info("srtp bench %s async: unavailable (%ld)\n", desc->name, PTR_ERR(aead));
		return;
	}
	get_random_bytes(key, sizeof(key));
	if (crypto_aead_setkey(aead, key, desc->key_len) ||
	    crypto_aead_setauthsize(aead, HERALD_GCM_TAG_LEN))
		goto out;
	req = aead_request_alloc(aead, GFP_KERNEL);
	if (!req)
		goto out;
	sg_init_one(&sg, buf, 12 + 160 + HERALD_GCM_TAG_LEN);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
	aead_request_set_ad(req, 12);
	t0 = ktime_get_ns();
	for (i = 0; i < n && !ret; i++) {
		aead_request_set_crypt(req, &sg, &sg, 160, iv);
		ret = crypto_aead_encrypt(req);
		if (ret == -EINPROGRESS || ret == -EBUSY)
			inprogress++;
		ret = crypto_wait_req(ret, &wait);
	}
	t1 = ktime_get_ns();
	pr_info("srtp bench %s async %s: protect %llu ns/packet, %u of %u not inline, ret %d\n",
		desc->name, crypto_tfm_alg_driver_name(crypto_aead_tfm(aead)),
		div_u64(t1 - t0, n), inprogress, n, ret);
#ifdef CONFIG_X86
	/*
	 * What a softirq meets when it interrupted a kernel FPU section (which
	 * does not disable bottom halves on 6.1/6.12): the SIMD wrapper cannot
	 * use the FPU and queues the request to cryptd.
	 */
	aead_request_set_crypt(req, &sg, &sg, 160, iv);
	kernel_fpu_begin();
	ret = crypto_aead_encrypt(req);
	kernel_fpu_end();
	pr_info("srtp bench %s async, FPU busy: encrypt returned %d%s\n", desc->name, ret,
		ret == -EINPROGRESS || ret == -EBUSY ? " (not inline: needs a completion path)" : "");
	ret = crypto_wait_req(ret, &wait);
#endif
out:
	aead_request_free(req);
	crypto_free_aead(aead);
	memzero_explicit(key, sizeof(key));
}

static void __init herald_st_bench(unsigned int n)
{
	u8 material[HERALD_SRTP_MAX_KEY_LEN + HERALD_SRTP_MAX_SALT_LEN];
	const struct herald_suite_desc *desc;
	u8 *buf = kmalloc(HERALD_ST_BUF, GFP_KERNEL);
	unsigned int i, s, out_len;
	char driver[2 * CRYPTO_MAX_ALG_NAME + 2];
	u64 t0, t1, t2;
	int ret = 0;

	if (!buf)
		return;
	for (s = 0; (desc = herald_suite_at(s)); s++) {
		struct herald_srtp_key *k;

		get_random_bytes(material, sizeof(material));
		k = herald_srtp_key_new(desc, material, 0, 0, GFP_KERNEL);
		if (IS_ERR(k))
			continue;
		memset(buf, 0x55, 12 + 160);
		buf[0] = 0x80;
		t0 = ktime_get_ns();
		for (i = 0; i < n && !ret; i++)
			ret = herald_srtp_protect(k, buf, 12, 12 + 160, 1, i, &out_len);
		t1 = ktime_get_ns();
		for (i = 0; i < n && !ret; i++) {
			ret = herald_srtp_protect(k, buf, 12, 12 + 160, 1, i, &out_len);
			if (!ret)
				ret = herald_srtp_unprotect(k, buf, 12, out_len, 1, i, &out_len);
		}
		t2 = ktime_get_ns();
		if (herald_srtp_probe(desc, driver, sizeof(driver)))
			strscpy(driver, "?", sizeof(driver));
		pr_info("srtp bench %s %s: protect %llu ns/packet, protect+unprotect %llu ns, ret %d\n",
			desc->name, driver, div_u64(t1 - t0, n), div_u64(t2 - t1, n), ret);
		herald_srtp_key_free(k);
		if (desc->kind == HERALD_KIND_AEAD_AES_GCM)
			herald_st_bench_async_gcm(desc, buf, n);
	}
	memzero_explicit(material, sizeof(material));
	kfree(buf);
}

/* ---- entry --------------------------------------------------------------- */

bool __init herald_srtp_selftest(void)
{
	const struct herald_suite_desc *desc;
	unsigned int i, passed = 0, failed = 0;
	char driver[2 * CRYPTO_MAX_ALG_NAME + 2];

#define HERALD_ST_RUN(expr) do { if (expr) passed++; else failed++; } while (0)
	for (i = 0; i < ARRAY_SIZE(herald_st_kdf); i++)
		HERALD_ST_RUN(herald_st_check_kdf(i));
	for (i = 0; i < ARRAY_SIZE(herald_st_keystream); i++)
		HERALD_ST_RUN(herald_st_check_keystream(i));
	for (i = 0; i < ARRAY_SIZE(herald_st_rfc); i++)
		HERALD_ST_RUN(herald_st_check_table(&herald_st_rfc[i]));
	for (i = 0; i < ARRAY_SIZE(herald_st_libsrtp); i++)
		HERALD_ST_RUN(herald_st_check_table(&herald_st_libsrtp[i]));
	for (i = 0; (desc = herald_suite_at(i)); i++) {
		HERALD_ST_RUN(herald_st_round_trip(desc));
		HERALD_ST_RUN(herald_st_softirq(desc));
		if (!herald_srtp_probe(desc, driver, sizeof(driver)))
			pr_info("srtp: %s uses %s\n", desc->name, driver);
	}
#undef HERALD_ST_RUN

	if (srtp_bench)
		herald_st_bench(srtp_bench);
	if (failed) {
		pr_err("srtp self-tests: %u passed, %u FAILED\n", passed, failed);
		return false;
	}
	pr_info("srtp self-tests: %u passed\n", passed);
	return true;
}
