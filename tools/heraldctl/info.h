/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GET_INFO, shared by "info", "version" and "policy show".
 */
#ifndef HERALDCTL_INFO_H
#define HERALDCTL_INFO_H

#include <netlink/attr.h>
#include <linux/herald.h>

#include "nl.h"

/* Ask the module for HERALD_CMD_GET_INFO and hand the parsed top-level
 * attributes to @show. Returns 0 or -1 (message printed).
 */
int herald_get_info(struct hnl *h, int (*show)(struct nlattr **tb, void *arg), void *arg);

#endif
