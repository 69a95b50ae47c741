/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/errno.h>. Like the kernel's, it builds on the
 * uapi header, which gives the E* values; glibc's <errno.h> reaches for
 * <linux/errno.h> too and must land on the uapi one through this file.
 */
#ifndef _HERALD_KCOMPAT_LINUX_ERRNO_H
#define _HERALD_KCOMPAT_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif
