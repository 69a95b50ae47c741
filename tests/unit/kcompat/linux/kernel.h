/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the parts of <linux/kernel.h> (and what it pulls in:
 * minmax.h, limits.h, compiler.h) that kmod's pure-logic files use.
 */
#ifndef _HERALD_KCOMPAT_LINUX_KERNEL_H
#define _HERALD_KCOMPAT_LINUX_KERNEL_H

#include <linux/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * Like the kernel's, evaluating each argument once, with unique temporaries so
 * that they nest without shadowing; but without its type check.
 */
#define __kc_paste(a, b) a##b
#define __kc_paste2(a, b) __kc_paste(a, b)
#define __kc_uniq(p) __kc_paste2(__kc_##p, __COUNTER__)
#define __kc_cmp(a, b, op, ua, ub) \
	({ __typeof__(a) ua = (a); __typeof__(b) ub = (b); ua op ub ? ua : ub; })
#define min(a, b) __kc_cmp(a, b, <, __kc_uniq(l_), __kc_uniq(r_))
#define max(a, b) __kc_cmp(a, b, >, __kc_uniq(l_), __kc_uniq(r_))
#define min_t(t, a, b) min((t)(a), (t)(b))
#define max_t(t, a, b) max((t)(a), (t)(b))
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)

#define U8_MAX ((u8)~0U)
#define U16_MAX ((u16)~0U)
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define S32_MAX ((s32)(U32_MAX >> 1))
#define S32_MIN ((s32)(-S32_MAX - 1))

#endif
