// SPDX-License-Identifier: GPL-2.0
/*
 * relay-evp: the userspace relay on OpenSSL 3 with every context prepared
 * once per key (srtp_evp.c); refuses to run unless it agrees with libsrtp2.
 */
#include "relay.h"
#include "srtp_evp.h"

static void *evp_new(const char *suite, const uint8_t *master, int encrypt)
{
	enum se_suite s;

	return se_suite_parse(suite, &s) ? NULL : se_ctx_new(s, master, encrypt);
}

static void *evp_in_new(const char *suite, const uint8_t *master)
{
	return evp_new(suite, master, 0);
}

static void *evp_out_new(const char *suite, const uint8_t *master)
{
	return evp_new(suite, master, 1);
}

static int evp_unprotect(void *ctx, uint8_t *pkt, unsigned int len)
{
	return se_unprotect(ctx, pkt, len);
}

static int evp_protect(void *ctx, uint8_t *pkt, unsigned int len, uint64_t index)
{
	return se_protect(ctx, pkt, len, index);
}

static const struct relay_ops evp_ops = {
	.name = "relay-evp",
	.in_new = evp_in_new,
	.out_new = evp_out_new,
	.unprotect = evp_unprotect,
	.protect = evp_protect,
	.selfcheck = se_selfcheck,
};

int main(int argc, char **argv)
{
	return relay_main(argc, argv, &evp_ops);
}
