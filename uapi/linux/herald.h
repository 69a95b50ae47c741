/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * herald — encrypted SIP paging fast path: generic netlink ABI.
 *
 * The module registers the generic netlink family HERALD_GENL_NAME ("herald"),
 * version HERALD_GENL_VERSION, in every network namespace. Objects belong to
 * the namespace the request was sent from. Commands that change state require
 * CAP_NET_ADMIN in the user namespace that owns the network namespace
 * (GENL_UNS_ADMIN_PERM); commands that only read are open to every user.
 * Every attribute is validated strictly against a policy: an unknown
 * attribute, a wrong type or an out-of-range value rejects the request with
 * an extended ack message naming the attribute.
 *
 * Commands
 * --------
 *
 * HERALD_CMD_GET_INFO (read-only, no attributes in the request)
 *     Answers one message describing the module:
 *       HERALD_A_VERSION            NLA_NUL_STRING  module version, "MAJOR.MINOR.PATCH"
 *       HERALD_A_SUITES             NLA_NESTED      one HERALD_A_SUITE nest per crypto
 *                                                   suite this running kernel can do
 *           HERALD_A_SUITE          NLA_NESTED
 *               HERALD_SUITE_A_ID        NLA_U32    enum herald_suite
 *               HERALD_SUITE_A_NAME      NLA_NUL_STRING  the SDES name (RFC 4568 registry)
 *               HERALD_SUITE_A_KEY_LEN   NLA_U32    master key length, bytes
 *               HERALD_SUITE_A_SALT_LEN  NLA_U32    master salt length, bytes
 *               HERALD_SUITE_A_TAG_LEN   NLA_U32    authentication tag length, bytes
 *               HERALD_SUITE_A_DRIVER    NLA_NUL_STRING  crypto driver(s) the kernel
 *                                                   picked, for diagnosis
 *       HERALD_A_FEATURES           NLA_NESTED      HERALD_A_FEATURE strings naming
 *                                                   what this build implements
 *       HERALD_A_REQUIRE_ENCRYPTION NLA_U8          current policy of this netns (0/1)
 *
 * HERALD_CMD_SET_POLICY (CAP_NET_ADMIN)
 *     Sets the per-namespace policy.
 *       HERALD_A_REQUIRE_ENCRYPTION NLA_U8 (0 or 1), optional
 *     With require-encryption on, the module refuses every object that would
 *     carry media in the clear (a plaintext output, a stream without keys);
 *     turning it on fails with -EPERM while such an object exists, so the
 *     policy never claims more than is true.
 *
 * Objects
 * -------
 *
 * A *stream* is ingress: SRTP (or, with HERALD_STREAM_A_PLAINTEXT, RTP)
 * arriving on one UDP socket. The socket is either one the caller owns,
 * passed as a file descriptor (the stream dies when the socket is closed),
 * or one the module binds itself to a local address and port (the stream
 * lives until deleted; with a multicast address the group is joined on
 * HERALD_STREAM_A_IFINDEX). Packets the stream accepts are verified,
 * decrypted and sent to each of its outputs; RTCP, STUN, DTLS and anything
 * that is not RTP go on to the socket untouched.
 *
 * An *output* is egress: one destination (IPv4 or IPv6, unicast or
 * multicast), with its own SRTP keys, or plain RTP only when created with
 * HERALD_OUTPUT_A_PLAINTEXT. It sends under its own random SSRC, with
 * sequence numbers and timestamps that run on across every stream that
 * feeds it. When several streams feed an output, the one of the highest
 * priority holds it; an equal priority does not take it from the holder.
 * A holder that has sent nothing for HERALD_HOLD_TIMEOUT_MS lets go.
 *
 * A *sink* is playback: the module decodes the audio of the stream that
 * holds it (PCMU, PCMA or G.722, by RTP payload type 0, 8 or 9; anything
 * else is counted and ignored) and plays it on a local ALSA playback PCM,
 * /dev/snd/pcmC<card>D<device>p, from a kernel thread of its own. Packets go
 * into a jitter buffer keyed by RTP timestamp and play after the target
 * delay; lost audio is concealed, late packets are dropped, and the drift
 * between the sender's clock and the card's is absorbed by reading single
 * samples more or fewer. The PCM is opened when a page starts and released
 * HERALD_SINK_END_MS after its audio ran out, so an idle amplifier gets no
 * signal at all. Several streams may feed one sink: the stream of the
 * highest priority plays; a higher priority takes the sink at once (the
 * page it cuts is dropped, not resumed), an equal or lower one is counted
 * as DROP_BUSY. Pages of HERALD_PRIORITY_EMERGENCY play at the emergency
 * volume. A PCM that cannot be opened (no such card, busy) is retried once
 * a second while the page lasts; HERALD_SINK_A_ERROR says why.
 *
 * Objects are identified by a u32 id, unique per namespace and kind, chosen
 * by the module when the request does not give one.
 *
 * Keys are write-only: no reply or dump ever carries key material, only
 * the suite and the MKI of each key. The module wipes key attributes from
 * the request once it has used them and wipes its own copies when freed.
 *
 * HERALD_CMD_NEW_OUTPUT (CAP_NET_ADMIN)       HERALD_A_OUTPUT nest:
 *     required: DST_ADDR, DST_PORT, and SUITE + KEYS, or PLAINTEXT
 *     optional: ID, LABEL, IFINDEX, TTL (default 1 for multicast, 64
 *               otherwise), DSCP (default 46, EF)
 *     Answers the new object as HERALD_CMD_GET_OUTPUT would.
 * HERALD_CMD_SET_OUTPUT (CAP_NET_ADMIN)       HERALD_A_OUTPUT: ID + any of
 *     LABEL, TTL, DSCP
 * HERALD_CMD_DEL_OUTPUT (CAP_NET_ADMIN)       HERALD_A_OUTPUT: ID
 *     The output is detached from every stream that feeds it.
 * HERALD_CMD_GET_OUTPUT                       HERALD_A_OUTPUT: ID, or dump all
 *
 * HERALD_CMD_NEW_STREAM (CAP_NET_ADMIN)       HERALD_A_STREAM nest:
 *     required: FD, or LOCAL_ADDR + LOCAL_PORT; SUITE + KEYS, or PLAINTEXT
 *     optional: ID, LABEL, IFINDEX, REPLAY_WINDOW (64..4096, default 128),
 *               SSRC (accept this SSRC only; otherwise any, up to
 *               HERALD_MAX_SSRCS at a time), PRIORITY (default normal),
 *               OUTPUTS, PAYLOAD_TYPES (default: all), SINK,
 *               VOLUME_OFFSET_DB (default 0), TONE (default 0)
 * HERALD_CMD_SET_STREAM (CAP_NET_ADMIN)       HERALD_A_STREAM: ID + any of
 *     LABEL, PRIORITY, OUTPUTS (replaces the list), PAYLOAD_TYPES, SINK,
 *     VOLUME_OFFSET_DB, TONE
 * HERALD_CMD_DEL_STREAM (CAP_NET_ADMIN)       HERALD_A_STREAM: ID
 * HERALD_CMD_GET_STREAM                       HERALD_A_STREAM: ID, or dump all
 *
 * Streams name the sink they feed with HERALD_STREAM_A_SINK (NEW and SET;
 * 0 detaches); GET replies carry it when set. A stream's pages play at the
 * sink's volume (or emergency volume) plus its VOLUME_OFFSET_DB, clamped to
 * HERALD_SINK_VOLUME_DB_MIN..MAX. A stream with TONE set has the sink play
 * its pre-announce tone when one of its pages starts; the page's audio is
 * delayed by the tone's length, not cut.
 *
 * HERALD_CMD_NEW_SINK (CAP_NET_ADMIN)         HERALD_A_SINK nest:
 *     required: CARD (the card's index) or CARD_ID (its id string, as in
 *               /proc/asound/cards, e.g. "Loopback": found by id each time
 *               a page opens the PCM, whatever index the card has then)
 *     optional: ID, LABEL, DEVICE (default 0), RATE (8000, 16000, 48000;
 *               default 48000; G.722 needs 16000 or 48000), PERIOD_FRAMES
 *               (default rate / 100: 10 ms; a multiple of rate / 8000,
 *               1..100 ms), BUFFER_FRAMES (default 4 periods; 2..16
 *               periods), VOLUME_DB (default 0), EMERGENCY_VOLUME_DB
 *               (default 0), TARGET_DELAY_MS (default 60), TONE_PCM
 *               (default: a built-in two-note chime)
 *     The end-to-end delay is held at about the target delay plus one
 *     period. Answers the new object as HERALD_CMD_GET_SINK would.
 * HERALD_CMD_SET_SINK (CAP_NET_ADMIN)         HERALD_A_SINK: ID + any of
 *     LABEL, VOLUME_DB, EMERGENCY_VOLUME_DB (at once, even mid-page);
 *     TONE_PCM (from the next tone on);
 *     TARGET_DELAY_MS (from the next page on). The PCM settings are fixed.
 * HERALD_CMD_DEL_SINK (CAP_NET_ADMIN)         HERALD_A_SINK: ID
 *     Streams feeding it are detached; the PCM is released.
 * HERALD_CMD_GET_SINK                         HERALD_A_SINK: ID, or dump all
 *     Replies carry the settings (CARD or CARD_ID, as created) and STATS (PACKETS, DROP_BUSY,
 *     FRAMES_PLAYED, UNDERRUNS, CONCEALED, LATE, EARLY, DRIFT_CORRECTIONS,
 *     DROP_CODEC, PAGES, PREEMPTIONS, GAP), LEVEL_US, HOLDER, PCM_OPEN, ERROR,
 *     CHANNELS, TONE_MS.
 *
 * HERALD_CMD_ADD_KEY (CAP_NET_ADMIN)
 *     HERALD_A_STREAM or HERALD_A_OUTPUT nest with ID and KEYS holding one
 *     HERALD_A_KEY. A stream accepts every key it holds (selected by the
 *     packet's MKI); an output sends with its active key: a key added with
 *     HERALD_KEY_A_ACTIVE becomes the active one at once. Traffic is not
 *     interrupted. At most HERALD_MAX_KEYS keys per object.
 * HERALD_CMD_DEL_KEY (CAP_NET_ADMIN)
 *     Same shape; the key is named by HERALD_KEY_A_MKI_ID. The active key of
 *     an output cannot be removed (activate another first).
 *
 * Key nest (HERALD_A_KEY, inside HERALD_STREAM_A_KEYS / HERALD_OUTPUT_A_KEYS):
 *     HERALD_KEY_A_MATERIAL  NLA_BINARY  master key || master salt, exactly
 *                                        the suite's key_len + salt_len
 *     HERALD_KEY_A_MKI_ID    NLA_U32     MKI value (0 when MKI_LEN is 0)
 *     HERALD_KEY_A_MKI_LEN   NLA_U8      MKI length on the wire, 0..4 bytes;
 *                                        all keys of an object share it
 *     HERALD_KEY_A_ACTIVE    NLA_FLAG    outputs: send with this key
 *
 * Addresses are NLA_BINARY of 4 (IPv4) or 16 (IPv6) bytes, network order;
 * ports are NLA_U16 in host order.
 *
 * Statistics come back in GET replies and dumps (never in requests):
 *     HERALD_STREAM_A_STATS nest: HERALD_STAT_* u64 counters (packets, bytes,
 *     and drops per cause) and HERALD_STREAM_A_SSRCS: one HERALD_A_SSRC nest
 *     per SSRC seen, with HERALD_SSRC_A_* (RFC 3550 receive statistics).
 *     HERALD_OUTPUT_A_STATS nest: packets, bytes, errors.
 *
 * Multicast group HERALD_MCGRP_EVENTS ("events") carries notifications.
 * Listening needs no privilege. Notifications reuse the command number of
 * the change they report:
 *   HERALD_CMD_SET_POLICY   sent after a successful SET_POLICY, carrying the
 *                           resulting HERALD_A_REQUIRE_ENCRYPTION.
 *   HERALD_CMD_STREAM_EVENT (notification only) one HERALD_A_EVENT nest:
 *       HERALD_EVENT_A_TYPE       NLA_U32  enum herald_event
 *       HERALD_EVENT_A_STREAM_ID  NLA_U32
 *       HERALD_EVENT_A_LABEL      NLA_NUL_STRING  the stream's label
 *       HERALD_EVENT_A_SSRC       NLA_U32  NEW_SSRC, KEY_SWITCHED
 *       HERALD_EVENT_A_MKI        NLA_U32  KEY_SWITCHED: the MKI now in use
 *       HERALD_EVENT_A_DROPS      NLA_NESTED  REJECTIONS: HERALD_STAT_* drop
 *                                 counters, packets dropped since the last
 *                                 REJECTIONS event of the stream
 *     Events are produced in process context from state the packet path
 *     leaves behind, at most one of each type per stream and
 *     HERALD_EVENT_INTERVAL_MS; several occurrences in between are merged
 *     (NEW_SSRC and KEY_SWITCHED report the latest).
 *   HERALD_CMD_SINK_EVENT (notification only) one HERALD_A_EVENT nest:
 *       TYPE (PAGE_START, PAGE_END, PAGE_PREEMPTED), SINK_ID, STREAM_ID (the
 *       stream whose page it is), LABEL (the stream's), BY_STREAM_ID
 *       (PAGE_PREEMPTED). Sent from the sink's thread, one per change.
 *
 * Compatibility: new attributes and commands are only ever appended.
 */
#ifndef _UAPI_LINUX_HERALD_H
#define _UAPI_LINUX_HERALD_H

#define HERALD_GENL_NAME "herald"
#define HERALD_GENL_VERSION 1
#define HERALD_MCGRP_EVENTS "events"

enum herald_cmd {
	HERALD_CMD_UNSPEC,
	HERALD_CMD_GET_INFO,
	HERALD_CMD_SET_POLICY,
	HERALD_CMD_NEW_OUTPUT,
	HERALD_CMD_SET_OUTPUT,
	HERALD_CMD_DEL_OUTPUT,
	HERALD_CMD_GET_OUTPUT,
	HERALD_CMD_NEW_STREAM,
	HERALD_CMD_SET_STREAM,
	HERALD_CMD_DEL_STREAM,
	HERALD_CMD_GET_STREAM,
	HERALD_CMD_ADD_KEY,
	HERALD_CMD_DEL_KEY,
	HERALD_CMD_STREAM_EVENT,
	HERALD_CMD_NEW_SINK,
	HERALD_CMD_SET_SINK,
	HERALD_CMD_DEL_SINK,
	HERALD_CMD_GET_SINK,
	HERALD_CMD_SINK_EVENT,
	__HERALD_CMD_MAX
};
#define HERALD_CMD_MAX (__HERALD_CMD_MAX - 1)

enum herald_attr {
	HERALD_A_UNSPEC,
	HERALD_A_VERSION,
	HERALD_A_SUITES,
	HERALD_A_FEATURES,
	HERALD_A_REQUIRE_ENCRYPTION,
	HERALD_A_STREAM,
	HERALD_A_OUTPUT,
	HERALD_A_EVENT,
	HERALD_A_SINK,
	__HERALD_A_MAX
};
#define HERALD_A_MAX (__HERALD_A_MAX - 1)

/* Members of the HERALD_A_SUITES and HERALD_A_FEATURES nests. */
enum herald_list_attr {
	HERALD_A_LIST_UNSPEC,
	HERALD_A_SUITE,
	HERALD_A_FEATURE,
	HERALD_A_KEY,		/* in HERALD_{STREAM,OUTPUT}_A_KEYS */
	HERALD_A_OUTPUT_ID,	/* NLA_U32, in HERALD_STREAM_A_OUTPUTS */
	HERALD_A_PT,		/* NLA_U8 0..127, in HERALD_STREAM_A_PAYLOAD_TYPES */
	HERALD_A_SSRC,		/* in HERALD_STREAM_A_SSRCS */
	__HERALD_A_LIST_MAX
};
#define HERALD_A_LIST_MAX (__HERALD_A_LIST_MAX - 1)

enum herald_suite_attr {
	HERALD_SUITE_A_UNSPEC,
	HERALD_SUITE_A_ID,
	HERALD_SUITE_A_NAME,
	HERALD_SUITE_A_KEY_LEN,
	HERALD_SUITE_A_SALT_LEN,
	HERALD_SUITE_A_TAG_LEN,
	HERALD_SUITE_A_DRIVER,
	__HERALD_SUITE_A_MAX
};
#define HERALD_SUITE_A_MAX (__HERALD_SUITE_A_MAX - 1)

#define HERALD_LABEL_MAX 32	/* bytes, including the terminating NUL */
#define HERALD_MAX_KEYS 4
#define HERALD_MAX_SSRCS 8
#define HERALD_MAX_OUTPUTS 64	/* per stream */
#define HERALD_REPLAY_WINDOW_MIN 64
#define HERALD_REPLAY_WINDOW_MAX 4096
#define HERALD_REPLAY_WINDOW_DEFAULT 128
#define HERALD_HOLD_TIMEOUT_MS 1000

enum herald_stream_attr {
	HERALD_STREAM_A_UNSPEC,
	HERALD_STREAM_A_ID,		/* NLA_U32 */
	HERALD_STREAM_A_LABEL,		/* NLA_NUL_STRING */
	HERALD_STREAM_A_FD,		/* NLA_U32: a UDP socket of the caller */
	HERALD_STREAM_A_LOCAL_ADDR,	/* NLA_BINARY 4|16: bind here (unicast or group) */
	HERALD_STREAM_A_LOCAL_PORT,	/* NLA_U16 */
	HERALD_STREAM_A_IFINDEX,	/* NLA_U32: interface for a multicast group */
	HERALD_STREAM_A_SUITE,		/* NLA_U32, enum herald_suite */
	HERALD_STREAM_A_KEYS,		/* NLA_NESTED of HERALD_A_KEY */
	HERALD_STREAM_A_PLAINTEXT,	/* NLA_FLAG: accept plain RTP, no keys */
	HERALD_STREAM_A_REPLAY_WINDOW,	/* NLA_U16 */
	HERALD_STREAM_A_SSRC,		/* NLA_U32: SSRC filter */
	HERALD_STREAM_A_PRIORITY,	/* NLA_U8, enum herald_priority names */
	HERALD_STREAM_A_OUTPUTS,	/* NLA_NESTED of HERALD_A_OUTPUT_ID */
	HERALD_STREAM_A_PAYLOAD_TYPES,	/* NLA_NESTED of HERALD_A_PT */
	HERALD_STREAM_A_STATS,		/* reply: NLA_NESTED of HERALD_STAT_* */
	HERALD_STREAM_A_SSRCS,		/* reply: NLA_NESTED of HERALD_A_SSRC */
	HERALD_STREAM_A_LOCAL_PORT_BOUND, /* reply: NLA_U16, the port in use */
	HERALD_STREAM_A_SINK,		/* NLA_U32: id of the sink it feeds, 0 = none */
	HERALD_STREAM_A_VOLUME_OFFSET_DB, /* NLA_S32: -48..+24 dB, added to the
					 * sink's volume for this stream's pages */
	HERALD_STREAM_A_TONE,		/* NLA_U8 0/1: the sink plays its
					 * pre-announce tone before each page */
	__HERALD_STREAM_A_MAX
};
#define HERALD_STREAM_A_MAX (__HERALD_STREAM_A_MAX - 1)

enum herald_output_attr {
	HERALD_OUTPUT_A_UNSPEC,
	HERALD_OUTPUT_A_ID,		/* NLA_U32 */
	HERALD_OUTPUT_A_LABEL,		/* NLA_NUL_STRING */
	HERALD_OUTPUT_A_DST_ADDR,	/* NLA_BINARY 4|16 */
	HERALD_OUTPUT_A_DST_PORT,	/* NLA_U16 */
	HERALD_OUTPUT_A_IFINDEX,	/* NLA_U32: egress interface (multicast) */
	HERALD_OUTPUT_A_TTL,		/* NLA_U8: TTL / hop limit */
	HERALD_OUTPUT_A_DSCP,		/* NLA_U8 0..63 */
	HERALD_OUTPUT_A_SUITE,		/* NLA_U32, enum herald_suite */
	HERALD_OUTPUT_A_KEYS,		/* NLA_NESTED of HERALD_A_KEY */
	HERALD_OUTPUT_A_PLAINTEXT,	/* NLA_FLAG: send plain RTP */
	HERALD_OUTPUT_A_SSRC,		/* reply: NLA_U32, the SSRC it sends under */
	HERALD_OUTPUT_A_STATS,		/* reply: NLA_NESTED of HERALD_STAT_* */
	HERALD_OUTPUT_A_HOLDER,		/* reply: NLA_U32, id of the stream holding it */
	__HERALD_OUTPUT_A_MAX
};
#define HERALD_OUTPUT_A_MAX (__HERALD_OUTPUT_A_MAX - 1)

enum herald_key_attr {
	HERALD_KEY_A_UNSPEC,
	HERALD_KEY_A_MATERIAL,
	HERALD_KEY_A_MKI_ID,
	HERALD_KEY_A_MKI_LEN,
	HERALD_KEY_A_ACTIVE,
	HERALD_KEY_A_SUITE,		/* reply only: NLA_U32 */
	__HERALD_KEY_A_MAX
};
#define HERALD_KEY_A_MAX (__HERALD_KEY_A_MAX - 1)

/* Counters, all NLA_U64. Streams use PACKETS..PASSED, outputs
 * PACKETS, BYTES, TX_ERRORS and DROP_BUSY. Every packet a stream consumes
 * is counted once: as accepted or under exactly one drop cause.
 */
enum herald_stat_attr {
	HERALD_STAT_UNSPEC,
	HERALD_STAT_PAD,
	HERALD_STAT_PACKETS,		/* accepted (stream) / sent (output) */
	HERALD_STAT_BYTES,		/* RTP payload bytes */
	HERALD_STAT_DROP_MALFORMED,	/* not well-formed RTP, or no payload */
	HERALD_STAT_DROP_AUTH,		/* authentication tag wrong */
	HERALD_STAT_DROP_REPLAY,	/* index seen before */
	HERALD_STAT_DROP_TOO_OLD,	/* index behind the replay window */
	HERALD_STAT_DROP_UNKNOWN_MKI,	/* MKI names no key */
	HERALD_STAT_DROP_NO_KEY,	/* encrypted stream without a key */
	HERALD_STAT_DROP_SSRC,		/* SSRC filtered, or too many SSRCs */
	HERALD_STAT_DROP_INDEX_LIMIT,	/* 2^48 packets under one key */
	HERALD_STAT_DROP_PAYLOAD_TYPE,	/* payload type not accepted */
	HERALD_STAT_DROP_NOMEM,		/* could not make the packet writable */
	HERALD_STAT_PASSED,		/* RTCP, STUN, ... left to the socket */
	HERALD_STAT_TX_ERRORS,		/* output: route, allocation, send */
	HERALD_STAT_DROP_BUSY,		/* output, sink: offered by a stream that
					 * does not hold it (lower or equal priority) */
	/* Sinks: PACKETS (stored in the jitter buffer), DROP_BUSY and these. */
	HERALD_STAT_FRAMES_PLAYED,	/* frames written to the card */
	HERALD_STAT_UNDERRUNS,		/* the card ran dry (xrun), restarted */
	HERALD_STAT_CONCEALED,		/* 8 kHz units missing during a page, concealed */
	HERALD_STAT_LATE,		/* packets after their play time: dropped, or
					 * a timeline jump back: re-anchored on */
	HERALD_STAT_EARLY,		/* packets beyond the buffer: the page was
					 * re-anchored on them */
	HERALD_STAT_DRIFT_CORRECTIONS,	/* periods read one unit long or short */
	HERALD_STAT_DROP_CODEC,		/* payload type the sink cannot play, or a
					 * payload size out of range */
	HERALD_STAT_PAGES,		/* pages started (first packet after silence,
					 * a new talker, or a preemption) */
	HERALD_STAT_PREEMPTIONS,	/* pages cut by a higher priority stream */
	HERALD_STAT_GAP,		/* 8 kHz units played while the jitter buffer
					 * was empty in the middle of a page (the
					 * sender stalled or paused, or its packets
					 * came late): silence, then concealment */
	__HERALD_STAT_MAX
};
#define HERALD_STAT_MAX (__HERALD_STAT_MAX - 1)

/* Per SSRC receive statistics (RFC 3550 A.3, A.8), in HERALD_A_SSRC. */
enum herald_ssrc_attr {
	HERALD_SSRC_A_UNSPEC,
	HERALD_SSRC_A_PAD,
	HERALD_SSRC_A_SSRC,		/* NLA_U32 */
	HERALD_SSRC_A_PACKETS,		/* NLA_U64 accepted */
	HERALD_SSRC_A_EXT_HIGHEST_SEQ,	/* NLA_U32: ROC << 16 | highest seq */
	HERALD_SSRC_A_LOST,		/* NLA_S32: cumulative, may be negative */
	HERALD_SSRC_A_JITTER,		/* NLA_U32: timestamp units */
	HERALD_SSRC_A_ACTIVE_KEY_MKI,	/* NLA_U32: MKI of the last good packet */
	__HERALD_SSRC_A_MAX
};
#define HERALD_SSRC_A_MAX (__HERALD_SSRC_A_MAX - 1)

enum herald_event {
	HERALD_EVENT_UNSPEC,
	HERALD_EVENT_ACTIVE,		/* packets accepted again after idle */
	HERALD_EVENT_IDLE,		/* nothing accepted for HERALD_IDLE_MS */
	HERALD_EVENT_NEW_SSRC,		/* first authenticated packet of an SSRC */
	HERALD_EVENT_KEY_SWITCHED,	/* an SSRC's packets use another MKI */
	HERALD_EVENT_REJECTIONS,	/* packets were dropped */
	HERALD_EVENT_PAGE_START,	/* sink: a stream's page started playing */
	HERALD_EVENT_PAGE_END,		/* sink: the page played out */
	HERALD_EVENT_PAGE_PREEMPTED,	/* sink: a higher priority took it */
	__HERALD_EVENT_MAX
};

enum herald_event_attr {
	HERALD_EVENT_A_UNSPEC,
	HERALD_EVENT_A_TYPE,
	HERALD_EVENT_A_STREAM_ID,
	HERALD_EVENT_A_LABEL,
	HERALD_EVENT_A_SSRC,
	HERALD_EVENT_A_MKI,
	HERALD_EVENT_A_DROPS,
	HERALD_EVENT_A_SINK_ID,		/* NLA_U32, sink events */
	HERALD_EVENT_A_BY_STREAM_ID,	/* NLA_U32, PAGE_PREEMPTED: the new holder */
	__HERALD_EVENT_A_MAX
};
#define HERALD_EVENT_A_MAX (__HERALD_EVENT_A_MAX - 1)

/* Sinks: playback of the stream that holds them on a local ALSA PCM. */
enum herald_sink_attr {
	HERALD_SINK_A_UNSPEC,
	HERALD_SINK_A_PAD,
	HERALD_SINK_A_ID,		/* NLA_U32 */
	HERALD_SINK_A_LABEL,		/* NLA_NUL_STRING */
	HERALD_SINK_A_CARD,		/* NLA_U32: ALSA card index (or CARD_ID) */
	HERALD_SINK_A_DEVICE,		/* NLA_U32: PCM device on the card */
	HERALD_SINK_A_RATE,		/* NLA_U32: 8000, 16000 or 48000 Hz */
	HERALD_SINK_A_PERIOD_FRAMES,	/* NLA_U32: frames per period */
	HERALD_SINK_A_BUFFER_FRAMES,	/* NLA_U32: frames in the card's buffer */
	HERALD_SINK_A_VOLUME_DB,	/* NLA_S32: -96..+24 dB */
	HERALD_SINK_A_EMERGENCY_VOLUME_DB, /* NLA_S32: -96..+24 dB, emergency pages */
	HERALD_SINK_A_TARGET_DELAY_MS,	/* NLA_U32: 20..500 ms */
	HERALD_SINK_A_STATS,		/* reply: NLA_NESTED of HERALD_STAT_* */
	HERALD_SINK_A_LEVEL_US,		/* reply: NLA_U32, audio buffered ahead, us */
	HERALD_SINK_A_HOLDER,		/* reply: NLA_U32, stream playing, 0 = none */
	HERALD_SINK_A_PCM_OPEN,		/* reply: NLA_U8, 1 while the PCM is held */
	HERALD_SINK_A_ERROR,		/* reply: NLA_S32, last error opening or
					 * writing the PCM (-errno), 0 = none */
	HERALD_SINK_A_CHANNELS,		/* reply: NLA_U32, channels the card took
					 * (the same audio on each) */
	HERALD_SINK_A_CARD_ID,		/* NLA_NUL_STRING: ALSA card id (e.g.
					 * "Loopback"), instead of CARD; looked up
					 * each time the PCM is opened */
	HERALD_SINK_A_TONE_PCM,		/* NLA_BINARY: the pre-announce tone,
					 * s16le mono at 16000 Hz, at most
					 * HERALD_SINK_TONE_MAX_BYTES; empty =
					 * the built-in chime again */
	HERALD_SINK_A_TONE_MS,		/* reply: NLA_U32, length of the tone */
	__HERALD_SINK_A_MAX
};
#define HERALD_SINK_A_MAX (__HERALD_SINK_A_MAX - 1)

#define HERALD_SINK_RATE_DEFAULT 48000
#define HERALD_SINK_TARGET_MS_MIN 20
#define HERALD_SINK_TARGET_MS_MAX 500
#define HERALD_SINK_TARGET_MS_DEFAULT 60
#define HERALD_SINK_PERIOD_MS_DEFAULT 10	/* period: rate / 100 frames */
#define HERALD_SINK_PERIODS_DEFAULT 4		/* buffer: 4 periods */
#define HERALD_SINK_VOLUME_DB_MIN (-96)
#define HERALD_SINK_VOLUME_DB_MAX 24
#define HERALD_SINK_CARD_ID_MAX 16	/* with the NUL, as ALSA's snd_card.id */
#define HERALD_SINK_TONE_MAX_BYTES 64000	/* 2 s at 16 kHz */
#define HERALD_STREAM_VOLUME_OFFSET_DB_MIN (-48)
#define HERALD_STREAM_VOLUME_OFFSET_DB_MAX 24
#define HERALD_SINK_END_MS 250	/* silence after the buffer empties that ends a page */

#define HERALD_EVENT_INTERVAL_MS 250
#define HERALD_IDLE_MS 1000

/*
 * SRTP crypto suites (RFC 3711, RFC 6188, RFC 7714). The names are those of
 * the SDES registry; HERALD_SUITE_NONE is plain RTP and only valid where an
 * explicit plaintext flag allows it.
 */
enum herald_suite {
	HERALD_SUITE_NONE,
	HERALD_SUITE_AES_CM_128_HMAC_SHA1_80,
	HERALD_SUITE_AES_CM_128_HMAC_SHA1_32,
	HERALD_SUITE_AES_192_CM_HMAC_SHA1_80,
	HERALD_SUITE_AES_192_CM_HMAC_SHA1_32,
	HERALD_SUITE_AES_256_CM_HMAC_SHA1_80,
	HERALD_SUITE_AES_256_CM_HMAC_SHA1_32,
	HERALD_SUITE_AEAD_AES_128_GCM,
	HERALD_SUITE_AEAD_AES_256_GCM,
	__HERALD_SUITE_MAX
};
#define HERALD_SUITE_MAX (__HERALD_SUITE_MAX - 1)

/* Priority levels of streams; any u8 is valid, these are the named ones. */
enum herald_priority {
	HERALD_PRIORITY_NORMAL = 0,
	HERALD_PRIORITY_PRIORITY = 128,
	HERALD_PRIORITY_EMERGENCY = 255,
};

#endif /* _UAPI_LINUX_HERALD_H */
