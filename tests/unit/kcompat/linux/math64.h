/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/math64.h>. The kernel needs these helpers
 * because 32-bit architectures have no native 64-bit division; in userspace
 * the compiler does it.
 */
#ifndef _HERALD_KCOMPAT_LINUX_MATH64_H
#define _HERALD_KCOMPAT_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#endif
