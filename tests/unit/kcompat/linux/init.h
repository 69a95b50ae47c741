/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/init.h>: no init sections to discard. */
#ifndef _HERALD_KCOMPAT_LINUX_INIT_H
#define _HERALD_KCOMPAT_LINUX_INIT_H

#define __init
#define __initdata
#define __initconst

#endif
