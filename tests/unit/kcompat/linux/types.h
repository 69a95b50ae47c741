/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <linux/types.h>, so that the pure-logic
 * files of kmod/ build unchanged for unit tests and fuzzers.
 *
 * The kernel's own header builds on the uapi one (__u8, __be16, ...), so this
 * one does too: a test that also includes system uapi headers (netlink, ...)
 * sees one consistent set of types.
 */
#ifndef _HERALD_KCOMPAT_LINUX_TYPES_H
#define _HERALD_KCOMPAT_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#endif
