// SPDX-License-Identifier: GPL-2.0
/*
 * bench-ctl: herald objects in bulk over generic netlink, one process for
 * thousands of requests (heraldctl is one process per object: minutes under
 * TCG for 1,000 streams).
 *
 *   bench-ctl setup SUITE INKEYHEX OUTKEYHEX STREAMS OUTS IN_ADDR IN_PORT OUT_ADDR OUT_PORT
 *                   [outputs|streams]
 *       outputs 1..STREAMS*OUTS (output n: OUT_PORT + n - 1, key OUTKEY
 *       with n-1 XORed into its last four bytes, as the relays do), then
 *       streams 1..STREAMS on IN_ADDR:IN_PORT+k feeding outputs k*OUTS+1..;
 *       with "outputs" or "streams" only that half (memory per object)
 *   bench-ctl flush       delete every stream and output of the namespace
 *   bench-ctl stats       one JSON line: summed stream and output counters
 *   bench-ctl sample FILE WARM WIN [MARKFILE ID]
 *                         read the counter in FILE (e.g. an interface's
 *                         tx_packets) after WARM s and again WIN s later;
 *                         one JSON line: the difference and the exact time
 *                         between the two reads, and what UDP dropped for
 *                         full socket buffers (/proc/net/snmp RcvbufErrors)
 *                         and the backlog queues (softnet_stat) meanwhile.
 *                         With MARKFILE, "ID start" and "ID end" are
 *                         written to it right after the two reads (the
 *                         host's tests/bench/hostcpu.py watches it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/herald.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <time.h>
#include <unistd.h>

static struct nl_sock *sk;
static int family;

static int hex_key(const char *h, uint8_t *k, unsigned int *n)
{
	unsigned int i, v;

	*n = (unsigned int)strlen(h) / 2;
	if (strlen(h) % 2 || *n > 64)
		return -1;
	for (i = 0; i < *n; i++) {
		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		k[i] = (uint8_t)v;
	}
	return 0;
}

static struct nl_msg *req(uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			       HERALD_GENL_VERSION)) {
		fprintf(stderr, "bench-ctl: nlmsg_alloc failed\n");
		exit(2);
	}
	return m;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	*(bool *)arg = true;
	return NL_STOP;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

/*
 * Send a request and read until its ACK. Not nl_send_sync(): NEW_OUTPUT and
 * NEW_STREAM answer with the new object and then the ACK, and
 * nl_send_sync() returns after the first of the two, leaving the ACK in the
 * socket. One process making thousands of objects then fills the socket's
 * receive buffer with unread ACKs and the next read fails with ENOBUFS
 * (libnl: NLE_NOMEM, "Out of memory").
 */
static int send_sync(struct nl_msg *m, const char *what)
{
	struct nl_cb *cb = nl_cb_clone(nl_socket_get_cb(sk));
	bool acked = false;
	int r;

	if (!cb) {
		nlmsg_free(m);
		fprintf(stderr, "bench-ctl: %s: nl_cb_clone failed\n", what);
		return -NLE_NOMEM;
	}
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &acked);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, NULL);
	r = nl_send_auto(sk, m);
	nlmsg_free(m);
	while (r >= 0 && !acked)
		r = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (r < 0)
		fprintf(stderr, "bench-ctl: %s: %s (errno %d)\n", what, nl_geterror(r), errno);
	return r;
}

static void put_key(struct nl_msg *m, int attr, const uint8_t *k, unsigned int n, bool active)
{
	struct nlattr *keys = nla_nest_start(m, attr), *key = nla_nest_start(m, HERALD_A_KEY);

	nla_put(m, HERALD_KEY_A_MATERIAL, (int)n, k);
	nla_put_u32(m, HERALD_KEY_A_MKI_ID, 0);
	nla_put_u8(m, HERALD_KEY_A_MKI_LEN, 0);
	if (active)
		nla_put_flag(m, HERALD_KEY_A_ACTIVE);
	nla_nest_end(m, key);
	nla_nest_end(m, keys);
}

static int setup(char **a, const char *phase)
{
	bool do_outs = !phase || !strcmp(phase, "outputs");
	bool do_streams = !phase || !strcmp(phase, "streams");
	uint32_t suite = strcmp(a[0], "AEAD_AES_128_GCM") ? HERALD_SUITE_AES_CM_128_HMAC_SHA1_80
							  : HERALD_SUITE_AEAD_AES_128_GCM;
	unsigned long streams = strtoul(a[3], NULL, 0), outs = strtoul(a[4], NULL, 0), s, j;
	unsigned int in_port = (unsigned int)atoi(a[6]), out_port = (unsigned int)atoi(a[8]);
	unsigned int nin, nout;
	uint8_t kin[64], kout[64], k[64];
	struct in_addr in_addr, out_addr;

	if (hex_key(a[1], kin, &nin) || hex_key(a[2], kout, &nout) ||
	    inet_pton(AF_INET, a[5], &in_addr) != 1 || inet_pton(AF_INET, a[7], &out_addr) != 1 ||
	    outs > HERALD_MAX_OUTPUTS) {
		fprintf(stderr, "bench-ctl setup: bad arguments\n");
		return 2;
	}
	for (j = 0; do_outs && j < streams * outs; j++) {
		struct nl_msg *m = req(HERALD_CMD_NEW_OUTPUT, 0);
		struct nlattr *o = nla_nest_start(m, HERALD_A_OUTPUT);

		memcpy(k, kout, nout);
		k[nout - 4] ^= (uint8_t)(j >> 24);
		k[nout - 3] ^= (uint8_t)(j >> 16);
		k[nout - 2] ^= (uint8_t)(j >> 8);
		k[nout - 1] ^= (uint8_t)j;
		nla_put_u32(m, HERALD_OUTPUT_A_ID, (uint32_t)j + 1);
		nla_put(m, HERALD_OUTPUT_A_DST_ADDR, 4, &out_addr);
		nla_put_u16(m, HERALD_OUTPUT_A_DST_PORT, (uint16_t)(out_port + j));
		nla_put_u32(m, HERALD_OUTPUT_A_SUITE, suite);
		put_key(m, HERALD_OUTPUT_A_KEYS, k, nout, true);
		nla_nest_end(m, o);
		if (send_sync(m, "new output") < 0)
			return 1;
	}
	for (s = 0; do_streams && s < streams; s++) {
		struct nl_msg *m = req(HERALD_CMD_NEW_STREAM, 0);
		struct nlattr *st = nla_nest_start(m, HERALD_A_STREAM), *ol;

		nla_put_u32(m, HERALD_STREAM_A_ID, (uint32_t)s + 1);
		nla_put(m, HERALD_STREAM_A_LOCAL_ADDR, 4, &in_addr);
		nla_put_u16(m, HERALD_STREAM_A_LOCAL_PORT, (uint16_t)(in_port + s));
		nla_put_u32(m, HERALD_STREAM_A_SUITE, suite);
		put_key(m, HERALD_STREAM_A_KEYS, kin, nin, false);
		if (outs) {
			ol = nla_nest_start(m, HERALD_STREAM_A_OUTPUTS);
			for (j = 0; j < outs; j++)
				nla_put_u32(m, HERALD_A_OUTPUT_ID, (uint32_t)(s * outs + j + 1));
			nla_nest_end(m, ol);
		}
		nla_nest_end(m, st);
		if (send_sync(m, "new stream") < 0)
			return 1;
	}
	return 0;
}

/* ---- dumps ---- */
struct sums {
	uint64_t s_packets, s_drops, s_drop_auth, s_drop_replay, o_packets, o_err, o_busy;
	unsigned int streams, outputs;
	uint32_t ids[70000];
	unsigned int nids;
};

static int on_obj(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[HERALD_A_MAX + 1], *ob[HERALD_STREAM_A_MAX + 1 > HERALD_OUTPUT_A_MAX + 1 ?
						    HERALD_STREAM_A_MAX + 1 : HERALD_OUTPUT_A_MAX + 1];
	struct nlattr *st[HERALD_STAT_MAX + 1];
	struct sums *sum = arg;
	bool is_stream;
	int i;

	if (nla_parse(tb, HERALD_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), NULL))
		return NL_SKIP;
	is_stream = tb[HERALD_A_STREAM] != NULL;
	if (!is_stream && !tb[HERALD_A_OUTPUT])
		return NL_SKIP;
	if (nla_parse_nested(ob, is_stream ? HERALD_STREAM_A_MAX : HERALD_OUTPUT_A_MAX,
			     tb[is_stream ? HERALD_A_STREAM : HERALD_A_OUTPUT], NULL))
		return NL_SKIP;
	if (ob[1] && sum->nids < sizeof(sum->ids) / sizeof(sum->ids[0]))
		sum->ids[sum->nids++] = nla_get_u32(ob[1]);	/* *_A_ID == 1 for both */
	i = is_stream ? HERALD_STREAM_A_STATS : HERALD_OUTPUT_A_STATS;
	memset(st, 0, sizeof(st));
	if (ob[i])
		nla_parse_nested(st, HERALD_STAT_MAX, ob[i], NULL);
	if (is_stream) {
		sum->streams++;
		for (i = HERALD_STAT_DROP_MALFORMED; i <= HERALD_STAT_DROP_NOMEM; i++)
			if (st[i])
				sum->s_drops += nla_get_u64(st[i]);
		if (st[HERALD_STAT_PACKETS])
			sum->s_packets += nla_get_u64(st[HERALD_STAT_PACKETS]);
		if (st[HERALD_STAT_DROP_AUTH])
			sum->s_drop_auth += nla_get_u64(st[HERALD_STAT_DROP_AUTH]);
		if (st[HERALD_STAT_DROP_REPLAY])
			sum->s_drop_replay += nla_get_u64(st[HERALD_STAT_DROP_REPLAY]);
	} else {
		sum->outputs++;
		if (st[HERALD_STAT_PACKETS])
			sum->o_packets += nla_get_u64(st[HERALD_STAT_PACKETS]);
		if (st[HERALD_STAT_TX_ERRORS])
			sum->o_err += nla_get_u64(st[HERALD_STAT_TX_ERRORS]);
		if (st[HERALD_STAT_DROP_BUSY])
			sum->o_busy += nla_get_u64(st[HERALD_STAT_DROP_BUSY]);
	}
	return NL_OK;
}

static int dump(uint8_t cmd, struct sums *sum)
{
	struct nl_msg *m = req(cmd, NLM_F_DUMP);
	int r;

	sum->nids = 0;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_obj, sum);
	r = nl_send_auto(sk, m);
	nlmsg_free(m);
	if (r >= 0)
		r = nl_recvmsgs_default(sk);
	if (r < 0)
		fprintf(stderr, "bench-ctl: dump: %s\n", nl_geterror(r));
	return r;
}

static int del_all(uint8_t dump_cmd, uint8_t del_cmd, int nest)
{
	static struct sums sum;
	unsigned int i;

	memset(&sum, 0, sizeof(sum));
	if (dump(dump_cmd, &sum) < 0)
		return 1;
	for (i = 0; i < sum.nids; i++) {
		struct nl_msg *m = req(del_cmd, 0);
		struct nlattr *o = nla_nest_start(m, nest);

		nla_put_u32(m, 1, sum.ids[i]);
		nla_nest_end(m, o);
		if (send_sync(m, "delete") < 0)
			return 1;
	}
	return 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int read_counter(int fd, uint64_t *v)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 10);
	return 0;
}

/* UDP RcvbufErrors of this namespace. */
static uint64_t udp_rcvbuf_errors(void)
{
	char names[512], values[512], *n, *v, *sn, *sv;
	uint64_t r = 0;
	FILE *f = fopen("/proc/net/snmp", "r");

	if (!f)
		return 0;
	while (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		if (strncmp(names, "Udp:", 4))
			continue;
		for (n = strtok_r(names, " \n", &sn), v = strtok_r(values, " \n", &sv); n && v;
		     n = strtok_r(NULL, " \n", &sn), v = strtok_r(NULL, " \n", &sv))
			if (!strcmp(n, "RcvbufErrors"))
				r = strtoull(v, NULL, 10);
		break;
	}
	fclose(f);
	return r;
}

/* Packets dropped at full backlog queues, all CPUs (softnet_stat column 2). */
static uint64_t backlog_drops(void)
{
	unsigned int processed, dropped;
	char line[256];
	uint64_t r = 0;
	FILE *f = fopen("/proc/net/softnet_stat", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %x", &processed, &dropped) == 2)
			r += dropped;
	fclose(f);
	return r;
}

static void mark(const char *file, const char *id, const char *what)
{
	FILE *f;

	if (!file)
		return;
	f = fopen(file, "w");
	if (f) {
		fprintf(f, "%s %s\n", id, what);
		fclose(f);
	}
}

static int sample(const char *file, double warm, double win, const char *markfile,
		  const char *id)
{
	uint64_t c0, c1, u0, u1, b0, b1;
	double t0, t1;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		perror(file);
		return 1;
	}
	usleep((useconds_t)(warm * 1e6));
	if (read_counter(fd, &c0))
		return 1;
	t0 = now();
	mark(markfile, id, "start");
	u0 = udp_rcvbuf_errors();
	b0 = backlog_drops();
	usleep((useconds_t)(win * 1e6));
	if (read_counter(fd, &c1))
		return 1;
	t1 = now();
	mark(markfile, id, "end");
	u1 = udp_rcvbuf_errors();
	b1 = backlog_drops();
	printf("{\"packets\":%" PRIu64 ",\"window_s\":%.4f,\"udp_rcvbuf_drops\":%" PRIu64
	       ",\"backlog_drops\":%" PRIu64 "}\n", c1 - c0, t1 - t0, u1 - u0, b1 - b0);
	return 0;
}

int main(int argc, char **argv)
{
	static struct sums sum;

	if ((argc == 5 || argc == 7) && !strcmp(argv[1], "sample"))
		return sample(argv[2], atof(argv[3]), atof(argv[4]), argc == 7 ? argv[5] : NULL,
			      argc == 7 ? argv[6] : NULL);

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) < 0) {
		fprintf(stderr, "bench-ctl: no generic netlink\n");
		return 2;
	}
	family = genl_ctrl_resolve(sk, HERALD_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "bench-ctl: herald not loaded\n");
		return 2;
	}
	if ((argc == 11 || argc == 12) && !strcmp(argv[1], "setup"))
		return setup(argv + 2, argc == 12 ? argv[11] : NULL);
	if (argc == 2 && !strcmp(argv[1], "flush"))
		return del_all(HERALD_CMD_GET_STREAM, HERALD_CMD_DEL_STREAM, HERALD_A_STREAM) ||
		       del_all(HERALD_CMD_GET_OUTPUT, HERALD_CMD_DEL_OUTPUT, HERALD_A_OUTPUT);
	if (argc == 2 && !strcmp(argv[1], "stats")) {
		if (dump(HERALD_CMD_GET_STREAM, &sum) < 0 || dump(HERALD_CMD_GET_OUTPUT, &sum) < 0)
			return 1;
		printf("{\"streams\":%u,\"outputs\":%u,\"stream_packets\":%" PRIu64
		       ",\"stream_drops\":%" PRIu64 ",\"drop_auth\":%" PRIu64
		       ",\"drop_replay\":%" PRIu64 ",\"output_packets\":%" PRIu64
		       ",\"output_errors\":%" PRIu64 ",\"output_busy\":%" PRIu64 "}\n",
		       sum.streams, sum.outputs, sum.s_packets, sum.s_drops, sum.s_drop_auth,
		       sum.s_drop_replay, sum.o_packets, sum.o_err, sum.o_busy);
		return 0;
	}
	fprintf(stderr, "usage: bench-ctl setup SUITE INKEY OUTKEY STREAMS OUTS IN_ADDR IN_PORT "
		"OUT_ADDR OUT_PORT | flush | stats\n");
	return 2;
}
