/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/string.h>: memset, memcpy, memcmp. */
#ifndef _HERALD_KCOMPAT_LINUX_STRING_H
#define _HERALD_KCOMPAT_LINUX_STRING_H

#include <string.h>

#endif
