/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels herald supports (Debian's 6.1 and 6.12),
 * in one place. Each entry says which kernel changed what.
 */
#ifndef _HERALD_COMPAT_H
#define _HERALD_COMPAT_H

#include <linux/version.h>

/* 6.12 moved the unaligned accessors from asm/ to linux/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* _HERALD_COMPAT_H */
