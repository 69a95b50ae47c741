// SPDX-License-Identifier: GPL-2.0
/*
 * heraldctl: command-line control of the herald kernel module over generic
 * netlink, and of heraldd over its control socket (control.c). Global
 * options come first; then an object and what to do with it, each object in
 * its own file.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "heraldctl.h"
#include "output.h"

static const struct cmd top_cmds[] = {
	{ "version", cmd_version, "show the versions of heraldctl and of the loaded module" },
	{ "info", cmd_info, "show the module's version, crypto suites, features and policy" },
	{ "policy", cmd_policy, "show or set the namespace's policy (show | set)" },
	{ "stream", cmd_stream, "ingress: add, set, del or show streams" },
	{ "output", cmd_output, "egress: add, set, del or show outputs" },
	{ "sink", cmd_sink, "playback: add, set, del or show sinks (ALSA PCMs)" },
	{ "key", cmd_key, "add or delete a key of a stream or output" },
	{ "monitor", cmd_monitor, "print the module's events as they happen" },
	{ "status", cmd_status, "heraldd: the whole status (every area)" },
	{ "accounts", cmd_accounts, "heraldd: SIP registration of each account" },
	{ "calls", cmd_calls, "heraldd: calls in progress" },
	{ "zones", cmd_zones, "heraldd: multicast paging zones" },
	{ "exceptions", cmd_exceptions, "heraldd: what is not encrypted, and why" },
	{ "provision", cmd_provision, "heraldd: \"provision now\" fetches the provisioned files" },
	{ "reload", cmd_reload, "heraldd: reread the configuration (as SIGHUP does)" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *fp)
{
	const struct cmd *c;

	fprintf(fp,
		"Usage: heraldctl [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Options:\n"
		"  -j, --json      print JSON (show: an array; monitor: one object per line;\n"
		"                  heraldd's commands: its reply as it was sent)\n"
		"  -p, --pretty    print indented JSON (implies --json)\n"
		"  -S, --socket PATH  heraldd's control socket (default %s)\n"
		"  -h, --help      show this text\n"
		"  -V, --version   show heraldctl's version\n"
		"\n"
		"Commands:\n", HERALDCTL_CONTROL_SOCKET);
	for (c = top_cmds; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
	fprintf(fp, "\n\"heraldctl COMMAND help\" lists a command's subcommands.\n");
}

int heraldctl_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, pretty = false;
	int c;

	/* optind 0 restarts getopt, so tests can run this more than once;
	 * "+" stops at the first command word, keeping its arguments intact.
	 */
	optind = 0;
	opterr = 0;
	ctl_socket_path = HERALDCTL_CONTROL_SOCKET;
	while ((c = getopt_long(argc, argv, "+jphVS:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			json = true;
			pretty = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("heraldctl %s\n", HERALDCTL_VERSION);
			return 0;
		case 'S':
			ctl_socket_path = optarg;
			break;
		default:
			/* optopt names a bad short option; 0 means a long one. */
			if (optopt)
				ctl_error(NULL, "unknown option \"-%c\"; try \"heraldctl --help\"",
					  optopt);
			else
				ctl_error(NULL, "unknown option \"%s\"; try \"heraldctl --help\"",
					  argv[optind - 1]);
			return 1;
		}
	}
	output_init(stdout, json, pretty);
	if (optind >= argc) {
		usage(ctl_errfp ? ctl_errfp : stderr);
		return 1;
	}
	return cmd_dispatch(top_cmds, NULL, "", argc - optind, argv + optind);
}
