// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-256 through EVP so the tools use the same digest code path as every
 * other OpenSSL consumer on the machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>

#include "sha256.h"

int sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		h->ctx = NULL;
		return -1;
	}
	h->ctx = ctx;
	return 0;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	/* A failing update would silently produce a wrong digest: abort. */
	if (len && EVP_DigestUpdate(h->ctx, data, len) != 1) {
		fprintf(stderr, "EVP_DigestUpdate failed\n");
		abort();
	}
}

void sha256_final_hex(struct sha256 *h, char hex[SHA256_HEX_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (EVP_DigestFinal_ex(h->ctx, md, &n) != 1 || n != 32) {
		fprintf(stderr, "EVP_DigestFinal_ex failed\n");
		abort();
	}
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}
