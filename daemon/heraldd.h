/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd: what the daemon's files share.
 */
#ifndef HERALDD_H
#define HERALDD_H

#define HERALDD_VERSION "0.1.0"

#endif
