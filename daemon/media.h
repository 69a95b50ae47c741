/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A call's media: an RTP socket bound from the configured port range, and
 * the herald.ko stream that reads it. The socket stays ours (the stream
 * dies with it); the remote's SRTP keys go to the module and are kept here
 * only to recognise an unchanged offer in a re-INVITE, wiped at close.
 */
#ifndef HERALDD_MEDIA_H
#define HERALDD_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

struct audio;

struct media {
	const struct kernel_ops *kops;
	void *kctx;
	const struct audio *audio;	/* local playback; NULL: none */
	uint16_t port_min, port_max;	/* even ports in [min, max] are RTP */
	uint16_t next;			/* where the next search starts */
};

struct media_crypto {
	enum herald_suite suite;	/* HERALD_SUITE_NONE: plain RTP */
	struct kernel_key keys[SDES_MAX_KEYS];
	unsigned int nkeys;
};

struct media_sess {
	int fd;				/* -1: none */
	int family;			/* 4 or 6 */
	uint16_t port;
	bool has_stream;
	uint32_t stream_id;
	struct media_crypto crypto;	/* what the stream holds */
	uint32_t stale_mki[SDES_MAX_KEYS];	/* keys to drop once a re-key is confirmed */
	unsigned int nstale;
};

void media_init(struct media *m, const struct kernel_ops *kops, void *kctx, uint16_t port_min,
		uint16_t port_max);
void media_sess_init(struct media_sess *s);
/* Streams started from now on play on @a's sink, when it has one (audio.h). */
void media_set_audio(struct media *m, const struct audio *a);

/*
 * Bind a UDP socket for @family on the first free even port of the range,
 * on the wildcard address. 0, or a negative errno (-EADDRINUSE: the range
 * is full) with the reason in @why.
 */
int media_bind(struct media *m, struct media_sess *s, int family, char *why, size_t whylen);

/* The remote's crypto from its chosen a=crypto line (or plain if @c is NULL). */
void media_crypto_from_sdes(struct media_crypto *mc, const struct sdes_crypto *c);
bool media_crypto_equal(const struct media_crypto *a, const struct media_crypto *b);
void media_crypto_wipe(struct media_crypto *mc);

/*
 * Hand the socket to the module as a stream decrypting with @mc (copied;
 * the caller wipes its own), feeding @outputs and the local sink if there
 * is one now (media_set_audio()), accepting payload type @pt. @outputs of
 * a running call (a re-INVITE's new stream) are taken as its account's
 * zones are now (call_feeds.h), as in media_set_outputs().
 * A negative errno and @why on failure; -ENOENT: the module is not loaded.
 */
int media_start(struct media *m, struct media_sess *s, const struct media_crypto *mc,
		const char *label, uint8_t priority, const uint32_t *outputs,
		unsigned int noutputs, int pt, char *why, size_t whylen);

/*
 * Re-key a live stream without a gap, if the module can hold both key sets
 * at once: same suite, and every key with an MKI of the stream's length
 * that none of its keys uses. The new keys are added now; the old ones are
 * remembered and dropped by media_commit_rekey() once the peer has our
 * answer. Returns 0 when done, 1 when this stream cannot hold both (the
 * caller opens a new session instead), a negative errno on failure.
 */
int media_rekey(struct media *m, struct media_sess *s, const struct media_crypto *mc,
		char *why, size_t whylen);
void media_commit_rekey(struct media *m, struct media_sess *s);

/*
 * Feed @outputs from now on (@n 0: none). Unless @n is 0, the outputs sent
 * are media.outputs and the call's account's zone outputs as they are now
 * (call_feeds.h), which the call layer's list, taken at the call's start,
 * may no longer be. A negative errno, logged, on failure.
 */
int media_set_outputs(struct media *m, struct media_sess *s, const uint32_t *outputs,
		      unsigned int n);

/* Packets the stream accepted so far; a negative errno on failure. */
int media_packets(struct media *m, struct media_sess *s, uint64_t *packets);

/* Delete the stream, close the socket, wipe the keys. Safe on an empty session. */
void media_close(struct media *m, struct media_sess *s);

#endif
