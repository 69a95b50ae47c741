// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl version: this tool's version and the loaded module's. A module
 * that is not loaded is an answer here, not an error.
 */
#include <errno.h>
#include <linux/herald.h>

#include "heraldctl.h"
#include "info.h"
#include "nl.h"
#include "output.h"

static int show_module_version(struct nlattr **tb, void *arg)
{
	const char **version = arg;

	if (!tb[HERALD_A_VERSION])
		return -1;
	*version = nla_get_string(tb[HERALD_A_VERSION]);
	print_string(PRINT_ANY, "module", "herald module %s\n", *version);
	return 0;
}

int cmd_version(const char *path, int argc, char **argv)
{
	const char *module = NULL;
	struct hnl h;
	int ret;

	if (argc > 0) {
		ctl_error(path, "unexpected argument \"%s\"", argv[0]);
		return 1;
	}
	output_begin();
	print_string(PRINT_ANY, "heraldctl", "heraldctl %s\n", HERALDCTL_VERSION);
	ret = hnl_open(&h, path, true);
	if (ret == -ENOENT) {
		print_text("herald module not loaded\n");
		/* "module": null says "not loaded" to a script. */
		print_json_null("module");
	} else if (ret) {
		output_end();
		return 1;
	} else {
		ret = herald_get_info(&h, show_module_version, &module);
		hnl_close(&h);
		if (ret) {
			output_end();
			return 1;
		}
	}
	return output_end() ? 1 : 0;
}
