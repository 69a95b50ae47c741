/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/bits.h>. */
#ifndef _HERALD_KCOMPAT_LINUX_BITS_H
#define _HERALD_KCOMPAT_LINUX_BITS_H

#define BITS_PER_LONG (8 * __SIZEOF_LONG__)
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))

#endif
