// SPDX-License-Identifier: GPL-2.0
/*
 * SRTP suite parameters (RFC 3711 §8.2, RFC 6188 §7, RFC 7714 §12).
 */
#include <linux/kernel.h>

#include "suite.h"

static const struct herald_suite_desc herald_suites[] = {
	{ HERALD_SUITE_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80",
	  HERALD_KIND_AES_CM_HMAC_SHA1, 16, 14, 10 },
	{ HERALD_SUITE_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32",
	  HERALD_KIND_AES_CM_HMAC_SHA1, 16, 14, 4 },
	{ HERALD_SUITE_AES_192_CM_HMAC_SHA1_80, "AES_192_CM_HMAC_SHA1_80",
	  HERALD_KIND_AES_CM_HMAC_SHA1, 24, 14, 10 },
	{ HERALD_SUITE_AES_192_CM_HMAC_SHA1_32, "AES_192_CM_HMAC_SHA1_32",
	  HERALD_KIND_AES_CM_HMAC_SHA1, 24, 14, 4 },
	{ HERALD_SUITE_AES_256_CM_HMAC_SHA1_80, "AES_256_CM_HMAC_SHA1_80",
	  HERALD_KIND_AES_CM_HMAC_SHA1, 32, 14, 10 },
	{ HERALD_SUITE_AES_256_CM_HMAC_SHA1_32, "AES_256_CM_HMAC_SHA1_32",
	  HERALD_KIND_AES_CM_HMAC_SHA1, 32, 14, 4 },
	{ HERALD_SUITE_AEAD_AES_128_GCM, "AEAD_AES_128_GCM",
	  HERALD_KIND_AEAD_AES_GCM, 16, 12, 16 },
	{ HERALD_SUITE_AEAD_AES_256_GCM, "AEAD_AES_256_GCM",
	  HERALD_KIND_AEAD_AES_GCM, 32, 12, 16 },
};

const struct herald_suite_desc *herald_suite_get(u32 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(herald_suites); i++)
		if (herald_suites[i].id == id)
			return &herald_suites[i];
	return NULL;
}

const struct herald_suite_desc *herald_suite_at(unsigned int i)
{
	return i < ARRAY_SIZE(herald_suites) ? &herald_suites[i] : NULL;
}
