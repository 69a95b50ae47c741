/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's side of herald.ko: streams for calls and zones, outputs for
 * zones, the playback sink, over generic netlink.
 *
 * The call layer talks to the module through struct kernel_ops, so unit
 * tests can put a recording fake in its place; kernel.c is the real one
 * (libnl-genl-3). Every operation returns 0 or a negative errno, with the
 * module's extended-ack message, or ours, in @why: -ENOENT means the module
 * is not loaded (the family is absent), which the caller turns into 503.
 */
#ifndef HERALDD_KERNEL_H
#define HERALDD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/herald.h>

#include "sdes.h"

struct kernel_key {
	uint8_t material[SDES_MAX_KEY_LEN];	/* master key || master salt */
	uint8_t len;
	uint32_t mki;
	uint8_t mki_len;			/* 0: no MKI */
};

struct kernel_stream_req {
	int fd;					/* our bound RTP socket; -1: the module binds */
	/* With fd -1: the address and port the module binds (a multicast
	 * group is joined on @ifindex, 0: the route's choice).
	 */
	int family;				/* 4 or 6 */
	uint8_t local_addr[16];
	uint16_t local_port;
	uint32_t ifindex;
	char label[HERALD_LABEL_MAX];
	enum herald_suite suite;		/* HERALD_SUITE_NONE: plain RTP */
	struct kernel_key keys[HERALD_MAX_KEYS];
	unsigned int nkeys;
	uint8_t priority;			/* enum herald_priority */
	const uint32_t *outputs;
	unsigned int noutputs;
	int pt;					/* accept this payload type only; -1: any */
	uint32_t sink;				/* herald.ko sink it plays on; 0: none */
	/*
	 * How its pages sound on the sink. Sent only when not the default
	 * (0 dB, no tone), so a module without these attributes still takes
	 * every stream that does not ask for them.
	 */
	int32_t volume_offset_db;		/* HERALD_STREAM_VOLUME_OFFSET_DB_MIN..MAX */
	bool tone;				/* pre-announce tone before each page */
};

/* What SET_STREAM changes of a stream's sound: only the fields marked set are sent. */
struct kernel_stream_sound {
	bool set_volume, set_tone;
	int32_t volume_offset_db;
	bool tone;
};

/*
 * A playback sink (HERALD_CMD_NEW_SINK); every field is sent, the card as
 * CARD_ID when @card_id is set, else as the index CARD (one of the two).
 */
struct kernel_sink_req {
	char label[HERALD_LABEL_MAX];
	uint32_t card;				/* ALSA card index, when card_id is "" */
	char card_id[HERALD_SINK_CARD_ID_MAX];	/* ALSA card id, e.g. "Loopback" */
	uint32_t device;
	uint32_t rate;				/* 8000, 16000 or 48000 */
	uint32_t period_frames, buffer_frames;
	int32_t volume_db, emergency_volume_db;
	uint32_t delay_ms;			/* jitter buffer target */
};

struct kernel_ops {
	int (*new_stream)(void *ctx, const struct kernel_stream_req *req, uint32_t *id,
			  char *why, size_t whylen);
	int (*del_stream)(void *ctx, uint32_t id, char *why, size_t whylen);
	int (*add_key)(void *ctx, uint32_t id, const struct kernel_key *key, char *why,
		       size_t whylen);
	int (*del_key)(void *ctx, uint32_t id, uint32_t mki, char *why, size_t whylen);
	/* Replace the outputs the stream feeds (@n 0: none, a mute). */
	int (*set_outputs)(void *ctx, uint32_t id, const uint32_t *outputs, unsigned int n,
			   char *why, size_t whylen);
	/* Change the volume offset and/or the tone in place (SET_STREAM). */
	int (*set_sound)(void *ctx, uint32_t id, const struct kernel_stream_sound *sound,
			 char *why, size_t whylen);
	/* RTP packets the stream accepted so far (every SSRC). */
	int (*packets)(void *ctx, uint32_t id, uint64_t *packets, char *why, size_t whylen);
	int (*new_sink)(void *ctx, const struct kernel_sink_req *req, uint32_t *id, char *why,
			size_t whylen);
	int (*del_sink)(void *ctx, uint32_t id, char *why, size_t whylen);
	/* 0 if sink @id exists; -ENOENT if it does not or the module is gone. */
	int (*get_sink)(void *ctx, uint32_t id, char *why, size_t whylen);
};

struct kernel_output_req {
	char label[HERALD_LABEL_MAX];
	int family;				/* 4 or 6 */
	uint8_t dst_addr[16];
	uint16_t dst_port;
	uint32_t ifindex;			/* 0: the route's choice */
	uint8_t ttl;
	enum herald_suite suite;		/* HERALD_SUITE_NONE: plain RTP */
	struct kernel_key key;			/* the key it sends with */
};

/* Outputs, for zones: egress with a key of their own (or plain). */
struct kernel_output_ops {
	int (*new_output)(void *ctx, const struct kernel_output_req *req, uint32_t *id,
			  char *why, size_t whylen);
	int (*del_output)(void *ctx, uint32_t id, char *why, size_t whylen);
	/* Add @key; with @active the output sends with it from now on. */
	int (*add_key)(void *ctx, uint32_t id, const struct kernel_key *key, bool active,
		       char *why, size_t whylen);
	/* The active key cannot be removed. */
	int (*del_key)(void *ctx, uint32_t id, uint32_t mki, char *why, size_t whylen);
	/* Packets the output sent so far. */
	int (*packets)(void *ctx, uint32_t id, uint64_t *packets, char *why, size_t whylen);
};

/* Inline so the fakes of unit tests need not link the netlink client. */
static inline void kernel_key_wipe(struct kernel_key *k)
{
	explicit_bzero(k, sizeof(*k));
}

static inline void kernel_stream_req_wipe(struct kernel_stream_req *req)
{
	explicit_bzero(req->keys, sizeof(req->keys));
	req->nkeys = 0;
}

/* The real module: kernel_ops over a generic netlink socket. */
struct kernel;
extern const struct kernel_ops kernel_netlink_ops;
extern const struct kernel_output_ops kernel_netlink_output_ops;

/*
 * A socket for the module. The family is resolved at each request until it
 * is found, so calls work once the module is loaded after heraldd started.
 * NULL if no netlink socket could be made.
 */
struct kernel *kernel_open(void);
void kernel_close(struct kernel *k);

/*
 * Hand the module policy.require_encryption (SET_POLICY). It is kept, and
 * handed again whenever the module is found anew (loaded after heraldd
 * started, or reloaded), before the request that found it, so no stream is
 * made under the module's default. 0 or a negative errno with @why:
 * -ENOENT while the module is not loaded; -EPERM when turning it on while
 * a plain stream or output exists (the module keeps it off then).
 */
int kernel_set_policy(struct kernel *k, bool require, char *why, size_t whylen);

/* An output as the module reports it, for the encryption status. */
struct kernel_output_info {
	char peer[64];					/* "192.0.2.1:5004", "[2001:db8::1]:5004" */
	bool plain;				/* created with HERALD_OUTPUT_A_PLAINTEXT */
	enum herald_suite suite;		/* HERALD_SUITE_NONE when plain */
};
int kernel_output_info(struct kernel *k, uint32_t id, struct kernel_output_info *info,
		       char *why, size_t whylen);

#endif
