/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SRTP crypto suites herald knows: their parameters, and which kernel
 * crypto algorithms implement them.
 */
#ifndef _HERALD_SUITE_H
#define _HERALD_SUITE_H

#include <linux/types.h>
#include <linux/herald.h>

enum herald_suite_kind {
	HERALD_KIND_AES_CM_HMAC_SHA1,	/* RFC 3711 / RFC 6188 */
	HERALD_KIND_AEAD_AES_GCM,	/* RFC 7714 */
};

struct herald_suite_desc {
	enum herald_suite id;
	const char *name;		/* SDES name */
	enum herald_suite_kind kind;
	u8 key_len;			/* master key, bytes */
	u8 salt_len;			/* master salt, bytes */
	u8 tag_len;			/* SRTP authentication tag, bytes */
};

const struct herald_suite_desc *herald_suite_get(u32 id);
/* Iterate the table: NULL past the end. */
const struct herald_suite_desc *herald_suite_at(unsigned int i);

#endif /* _HERALD_SUITE_H */
