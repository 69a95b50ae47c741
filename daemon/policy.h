/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Encryption status: a registry of the live legs heraldd carries, and the
 * verdict over them that the seed's shield shows ("Encrypted", "Partially
 * encrypted" with its list of exceptions, "Not encrypted").
 *
 * A leg is anything that carries signalling or audio to or from another
 * host: the SIP registration flow, a call's media, a herald.ko output a
 * call feeds, a multicast zone. Whoever sets a leg up reports it, and
 * removes it when it ends:
 *
 *   enc_leg_set(ENC_LEG_ZONE, "2", "239.1.2.3:5004", true, "SRTP AEAD_AES_128_GCM");
 *   enc_leg_set(ENC_LEG_ZONE, "3", "239.1.2.4:5004", false, "plain RTP (zone.3.plain = on)");
 *   ...
 *   enc_leg_del(ENC_LEG_ZONE, "2");
 *
 * (kind, id) names a leg; setting it again replaces it. @peer is where the
 * leg goes or comes from, @detail says how it is protected (encrypted) or
 * why it is not (an exception: shown as its reason). Every change rewrites
 * status area "encryption" (status.c):
 *
 *   {"status": "Partially encrypted", "require_encryption": false,
 *    "legs": [{"leg": "registration:primary", "peer": "...", "encrypted": true,
 *              "detail": "..."}, ...],
 *    "exceptions": [{"leg": "call:u1-2", "peer": "...", "reason": "..."}]}
 *
 * Legs are listed by kind (registration, call, output, zone), then id.
 * "Encrypted" when no leg is an exception, "Not encrypted" when every leg
 * is one, "Partially encrypted" otherwise. With no live leg the status is
 * "Encrypted" with empty lists: nothing is carried in the clear.
 *
 * Several changes that belong together (a call layer re-listing its calls)
 * go between enc_hold() and enc_release(), so a reader never sees a state
 * between them. Single-threaded, like the rest of heraldd.
 */
#ifndef HERALDD_POLICY_H
#define HERALDD_POLICY_H

#include <stdbool.h>

enum enc_leg_kind {
	ENC_LEG_REGISTRATION,	/* id: "primary" or "survivability" */
	ENC_LEG_CALL,		/* id: the call's label */
	ENC_LEG_OUTPUT,		/* id: the herald.ko output id */
	ENC_LEG_ZONE,		/* id: the zone's name or number */
	ENC_LEG_KINDS
};

#define ENC_ENCRYPTED		"Encrypted"
#define ENC_PARTIAL		"Partially encrypted"
#define ENC_NOT_ENCRYPTED	"Not encrypted"

/* "registration", "call", "output", "zone". */
const char *enc_leg_kind_name(enum enc_leg_kind kind);

/* Add or replace a leg. 0, or -ENOMEM (the leg is then missing, and logged). */
int enc_leg_set(enum enc_leg_kind kind, const char *id, const char *peer, bool encrypted,
		const char *detail);
/* Remove a leg; one that is not there is no error. */
void enc_leg_del(enum enc_leg_kind kind, const char *id);
/* Remove every leg of @kind (before listing them all again, under enc_hold()). */
void enc_leg_del_kind(enum enc_leg_kind kind);

/* policy.require_encryption as running, shown in the status. */
void enc_set_required(bool on);

void enc_hold(void);
void enc_release(void);

/* The verdict now: ENC_ENCRYPTED, ENC_PARTIAL or ENC_NOT_ENCRYPTED. */
const char *enc_status(void);
/* The "encryption" area as last written (owned here), for tests. */
const char *enc_status_json(void);

/* Forget every leg (at exit; tests). */
void enc_reset(void);

#endif
