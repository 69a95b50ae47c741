/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streams, outputs and their keys. Each command parses its words into a
 * request struct first (no socket, no kernel: unit-testable), then a
 * separate builder turns the struct into the netlink request, and the
 * module's answer is printed by a show function shared with "show".
 */
#ifndef HERALDCTL_OBJECTS_H
#define HERALDCTL_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/herald.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "heraldctl.h"
#include "keyspec.h"

/* "output add" and "output set" (and "del"/"show" use only the id). */
struct output_req {
	bool has_id, has_label, has_dst, has_port, has_dev, has_ttl, has_dscp;
	uint32_t id;
	char label[HERALD_LABEL_MAX];
	struct ctl_addr dst;
	uint16_t port;
	uint32_t ifindex;
	uint8_t ttl, dscp;
	bool plaintext;
	const struct sdes_suite_info *suite;
	struct key_spec keys[HERALD_MAX_KEYS];
	int nkeys;
};

int output_add_parse(const char *path, int argc, char **argv, struct output_req *req);
int output_set_parse(const char *path, int argc, char **argv, struct output_req *req);
/* "id N" alone (del), or also nothing at all (show, @id_optional). */
int output_id_parse(const char *path, int argc, char **argv, bool id_optional,
		    struct output_req *req);
/* Append HERALD_A_OUTPUT with what @req holds. -1 if @msg is too small. */
int output_build(struct nl_msg *msg, const struct output_req *req);
void output_req_wipe(struct output_req *req);

struct stream_req {
	bool has_id, has_label, has_fd, has_local, has_port, has_dev, has_window,
	     has_ssrc, has_priority, has_outputs, has_pts, has_sink, has_offset, has_tone;
	uint32_t id;
	char label[HERALD_LABEL_MAX];
	uint32_t fd;
	struct ctl_addr local;
	uint16_t port;
	uint32_t ifindex;
	uint16_t window;
	uint32_t ssrc;
	uint8_t priority;
	uint32_t outputs[HERALD_MAX_OUTPUTS];
	int noutputs;		/* 0 with has_outputs: "output none" */
	uint8_t pts[PT_MASK_BYTES];
	uint32_t sink;		/* with has_sink; 0: none */
	int32_t offset_db;	/* volume offset on the sink, with has_offset */
	bool tone;		/* with has_tone */
	bool plaintext;
	const struct sdes_suite_info *suite;
	struct key_spec keys[HERALD_MAX_KEYS];
	int nkeys;
};

int stream_add_parse(const char *path, int argc, char **argv, struct stream_req *req);
int stream_set_parse(const char *path, int argc, char **argv, struct stream_req *req);
int stream_id_parse(const char *path, int argc, char **argv, bool id_optional,
		    struct stream_req *req);
int stream_build(struct nl_msg *msg, const struct stream_req *req);
void stream_req_wipe(struct stream_req *req);

/* "sink add" and "sink set" (and "del"/"show" use only the id). */
struct sink_req {
	bool has_id, has_label, has_card, has_device, has_rate, has_period, has_buffer,
	     has_volume, has_emergency, has_delay, has_tone;
	uint32_t id;
	char label[HERALD_LABEL_MAX];
	uint32_t card, device, rate, period, buffer, delay_ms;
	int32_t volume_db, emergency_db;
	char card_id[HERALD_SINK_CARD_ID_MAX];	/* card by id: has_card, card_id[0] */
	uint8_t *tone;		/* with has_tone: s16le 16 kHz; NULL: the built-in chime */
	uint32_t tone_len;
};

int sink_add_parse(const char *path, int argc, char **argv, struct sink_req *req);
int sink_set_parse(const char *path, int argc, char **argv, struct sink_req *req);
int sink_id_parse(const char *path, int argc, char **argv, bool id_optional,
		  struct sink_req *req);
int sink_build(struct nl_msg *msg, const struct sink_req *req);
void sink_req_free(struct sink_req *req);

/* "key add" / "key del". */
struct key_req {
	bool output;		/* else a stream */
	uint32_t id;
	struct key_spec key;	/* del: only mki */
};

int key_add_parse(const char *path, int argc, char **argv, struct key_req *req);
int key_del_parse(const char *path, int argc, char **argv, struct key_req *req);
int key_build(struct nl_msg *msg, const struct key_req *req);

/*
 * Shared by the object commands (objects.c). obj_run() connects, sends
 * @cmd (a dump when @dump) with the attributes @build puts from @req,
 * and prints every object of @reply_attr in the answer with @show, as a
 * list (a JSON array). @show NULL: the command answers with an ack only.
 */
struct obj_show {
	int reply_attr;		/* HERALD_A_STREAM or HERALD_A_OUTPUT */
	int (*valid)(struct nlattr *nest);	/* 0 if @show may print it */
	void (*show)(struct nlattr *nest);
};

int obj_run(const char *path, uint8_t cmd, bool dump, bool mutating,
	    int (*build)(struct nl_msg *msg, const void *req), const void *req,
	    const struct obj_show *show);

/* Argument helpers: each prints its message and returns -1 on error. */
int arg_id(const char *path, const char *what, const char *arg, uint32_t *id);
int arg_label(const char *path, const char *arg, char *label);
/* A keyword that may appear once. */
int arg_once(const char *path, const char *keyword, bool *given);

/* suite/key/plaintext, the same for streams and outputs. */
struct crypto_args {
	bool *plaintext;
	const struct sdes_suite_info **suite;
	struct key_spec *keys;	/* HERALD_MAX_KEYS of them */
	int *nkeys;
};

/* Take @keyword ("suite", "key" or "plaintext") and its value @arg. */
int arg_crypto(const char *path, const char *keyword, const char *arg, struct crypto_args *c);
/* Once all words are read: exactly one of suite + keys or plaintext. */
int crypto_check(const char *path, const struct crypto_args *c);

/* Counters: HERALD_STAT_* u64 in a nest; unknown ones are skipped. */
int stats_valid(struct nlattr *nest);
void stats_show(struct nlattr *nest);

/* "dev NAME" (or the index when it has no name here); JSON ifindex and dev. */
void dev_show(uint32_t ifindex);

/* An address attribute of 4 or 16 bytes, printed after @label. */
int addr_valid(struct nlattr *attr);
void addr_show(const char *key, const char *label, struct nlattr *attr);

int output_valid(struct nlattr *nest);
void output_show(struct nlattr *nest);
int stream_valid(struct nlattr *nest);
void stream_show(struct nlattr *nest);
int sink_valid(struct nlattr *nest);
void sink_show(struct nlattr *nest);

#endif
