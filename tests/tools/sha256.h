/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streaming SHA-256 over OpenSSL's EVP interface: the tools print digests of
 * payload streams so that a sender and a receiver can be compared by value.
 */
#ifndef TT_SHA256_H
#define TT_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 65	/* 64 hex digits + NUL */

struct sha256 {
	void *ctx;		/* EVP_MD_CTX, kept opaque to callers */
};

int sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Finishes the digest, writes it as lowercase hex and frees the context. */
void sha256_final_hex(struct sha256 *h, char hex[SHA256_HEX_LEN]);

#endif
