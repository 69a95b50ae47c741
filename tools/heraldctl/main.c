// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl's entry point, apart from heraldctl.c so unit tests can link the
 * whole command line without a second main().
 */
#include "heraldctl.h"

int main(int argc, char **argv)
{
	return heraldctl_run(argc, argv);
}
