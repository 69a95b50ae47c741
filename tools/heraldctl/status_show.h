/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Human output of a control socket reply: any JSON value as indented
 * "name:  value" lines, names aligned per object, in the manner of
 * "wg show". Generic on purpose: areas heraldd gains later print without a
 * heraldctl that knows them.
 */
#ifndef HERALDCTL_STATUS_SHOW_H
#define HERALDCTL_STATUS_SHOW_H

#include <stdio.h>

#include "../../daemon/json_read.h"

/* @v at @indent spaces; an object's members one per line. */
void status_show(FILE *fp, const struct json_value *v, unsigned int indent);

#endif
