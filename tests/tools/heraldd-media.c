// SPDX-License-Identifier: GPL-2.0
/*
 * heraldd-media: heraldd's media hand-off (daemon/media.c over
 * daemon/kernel.c) against the real herald.ko, for tests/vm. It does what
 * the call layer does for a call, step by step, and prints what happened
 * as "key value" lines:
 *
 *   heraldd-media --ports MIN-MAX --port-file FILE [--suite NAME --key KEY]
 *                 [--output ID] [--packets N] [--rekey KEY] [--packets2 N] [--mute]
 *                 [--timeout S]
 *
 *  1. bind an RTP socket from the range; write its port to FILE;
 *  2. hand it to the module as a stream (suite + key, or plain without --key),
 *     feeding output ID;
 *  3. wait until the stream has accepted N packets (RTP sent by srtp-send);
 *  4. with --rekey: add the new key, drop the old one (media_rekey() and
 *     media_commit_rekey(): both keys need distinct MKIs), then wait for
 *     N2 packets in all;
 *  5. with --mute: the stream feeds no output any more (a call on hold);
 *  6. with HOLD_FILE set in the environment: wait for that file to exist, so
 *     the caller can look at the stream;
 *  7. close: stream deleted, socket closed.
 *
 * Exit 0 when every step worked; 3 when the module refused or is absent
 * (the reason is printed as "error ..."); 4 on a timeout; 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../daemon/kernel.h"
#include "../../daemon/media.h"

static int parse_key(const char *suite_name, const char *text, struct media_crypto *mc)
{
	const struct sdes_suite_info *suite = sdes_suite_by_name(suite_name);
	struct sdes_key k;
	char why[200];

	if (!suite) {
		fprintf(stderr, "unknown suite %s\n", suite_name);
		return -1;
	}
	if (sdes_key_param_parse(text, strlen(text), suite, SDES_MAX_MKI_LEN, &k, why,
				 sizeof(why))) {
		fprintf(stderr, "bad key: %s\n", why);
		return -1;
	}
	memset(mc, 0, sizeof(*mc));
	mc->suite = suite->id;
	memcpy(mc->keys[0].material, k.key, k.len);
	mc->keys[0].len = k.len;
	mc->keys[0].mki = k.mki;
	mc->keys[0].mki_len = k.has_mki ? k.mki_len : 0;
	mc->nkeys = 1;
	explicit_bzero(&k, sizeof(k));
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Poll the stream's counter until @want packets or @deadline. */
static int wait_packets(struct media *m, struct media_sess *s, uint64_t want, double deadline,
			uint64_t *got)
{
	for (;;) {
		if (media_packets(m, s, got))
			return 3;
		if (*got >= want)
			return 0;
		if (now() > deadline)
			return 4;
		usleep(50 * 1000);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ports", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'f' },
		{ "suite", required_argument, NULL, 's' },
		{ "key", required_argument, NULL, 'k' },
		{ "rekey", required_argument, NULL, 'r' },
		{ "packets", required_argument, NULL, 'n' },
		{ "packets2", required_argument, NULL, 'N' },
		{ "timeout", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "mute", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *suite = "AES_CM_128_HMAC_SHA1_80", *key = NULL, *rekey = NULL;
	const char *port_file = NULL;
	unsigned int pmin = 30000, pmax = 30099;
	unsigned long long want = 0, want2 = 0;
	double timeout = 20;
	uint32_t output = 0;
	bool mute = false;
	struct media_crypto mc, mc2;
	struct media_sess s;
	struct media m;
	struct kernel *k;
	uint64_t got = 0;
	char why[256];
	FILE *fp;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (sscanf(optarg, "%u-%u", &pmin, &pmax) != 2 || pmax > 65535)
				return 2;
			break;
		case 'f': port_file = optarg; break;
		case 's': suite = optarg; break;
		case 'k': key = optarg; break;
		case 'r': rekey = optarg; break;
		case 'n': want = strtoull(optarg, NULL, 10); break;
		case 'N': want2 = strtoull(optarg, NULL, 10); break;
		case 't': timeout = atof(optarg); break;
		case 'o': output = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'm': mute = true; break;
		default: return 2;
		}
	}
	if (!port_file || (rekey && !key))
		return 2;
	memset(&mc, 0, sizeof(mc));
	mc.suite = HERALD_SUITE_NONE;
	if ((key && parse_key(suite, key, &mc)) || (rekey && parse_key(suite, rekey, &mc2)))
		return 2;

	k = kernel_open();
	if (!k) {
		printf("error no netlink socket\n");
		return 3;
	}
	media_init(&m, &kernel_netlink_ops, k, (uint16_t)pmin, (uint16_t)pmax);
	media_sess_init(&s);
	ret = media_bind(&m, &s, 4, why, sizeof(why));
	if (ret) {
		printf("error %s\n", why);
		return 3;
	}
	printf("port %u\n", s.port);
	ret = media_start(&m, &s, &mc, "heraldd-media", HERALD_PRIORITY_NORMAL, &output,
			  output ? 1 : 0, -1, why, sizeof(why));
	media_crypto_wipe(&mc);
	if (ret) {
		printf("error %s (errno %d)\n", why, -ret);
		media_close(&m, &s);
		kernel_close(k);
		return 3;
	}
	printf("stream %u\n", s.stream_id);
	fflush(stdout);
	/* Only now: the sender starts when the stream is there. */
	fp = fopen(port_file, "w");
	if (!fp || fprintf(fp, "%u\n", s.port) < 0 || fclose(fp))
		return 2;
	ret = wait_packets(&m, &s, want, now() + timeout, &got);
	printf("packets %llu\n", (unsigned long long)got);
	if (!ret && rekey) {
		ret = media_rekey(&m, &s, &mc2, why, sizeof(why));
		media_crypto_wipe(&mc2);
		if (ret) {
			printf("error rekey: %s\n", ret > 0 ? "needs distinct MKIs" : why);
			ret = 3;
		} else {
			printf("rekeyed %u\n", s.nstale);
			fflush(stdout);
			ret = wait_packets(&m, &s, want2, now() + timeout, &got);
			media_commit_rekey(&m, &s);
			printf("packets2 %llu\n", (unsigned long long)got);
		}
	}
	if (!ret && mute) {
		ret = media_set_outputs(&m, &s, NULL, 0) ? 3 : 0;
		printf("muted %s\n", ret ? "no" : "yes");
	}
	fflush(stdout);
	/* The stream is still there for the caller to look at, until it says. */
	if (!ret && getenv("HOLD_FILE")) {
		while (access(getenv("HOLD_FILE"), F_OK))
			usleep(50 * 1000);
	}
	media_close(&m, &s);
	printf("closed\n");
	kernel_close(k);
	return ret;
}
