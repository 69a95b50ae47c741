/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SRTP keys of one stream or output, selected by MKI.
 *
 * A keyring is immutable once published: adding or removing a key builds a
 * new ring that shares the untouched keys, publishes it with RCU and frees
 * only what the old ring alone held, after a grace period. Packets in flight
 * keep using the ring they started with, so a key change never interrupts
 * traffic.
 */
#ifndef _HERALD_KEYRING_H
#define _HERALD_KEYRING_H

#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "suite.h"

struct herald_srtp_key;

struct herald_keyring {
	struct rcu_work free_work;	/* see herald_keyring_retire() */
	u8 free_mask;			/* slots whose keys go with the ring */
	const struct herald_suite_desc *desc;
	u8 mki_len;		/* shared by all keys: the wire format depends on it */
	u8 count;
	u8 active;		/* the key an output sends with */
	struct {
		u32 mki;
		struct herald_srtp_key *key;
	} slot[HERALD_MAX_KEYS];
};

struct nlattr;
struct netlink_ext_ack;
struct nla_policy;

extern const struct nla_policy herald_key_policy[HERALD_KEY_A_MAX + 1];

/* Parse one HERALD_A_KEY nest into a new key for @desc. Wipes the key
 * material attribute in the request once the key is derived.
 */
struct herald_srtp_key *herald_key_from_nl(const struct herald_suite_desc *desc,
					   struct nlattr *nest, u32 *mki, u8 *mki_len,
					   bool *active, struct netlink_ext_ack *extack);

/* Build a keyring from a HERALD_*_A_KEYS nest (1..HERALD_MAX_KEYS keys). */
struct herald_keyring *herald_keyring_from_nl(const struct herald_suite_desc *desc,
					      struct nlattr *keys,
					      struct netlink_ext_ack *extack);

/* A copy of @old with one key more (made active if @active) or one less.
 * The new ring shares the key objects; see herald_keyring_retire().
 */
struct herald_keyring *herald_keyring_add(const struct herald_keyring *old,
					  struct herald_srtp_key *key, u32 mki,
					  u8 mki_len, bool active,
					  struct netlink_ext_ack *extack);
struct herald_keyring *herald_keyring_del(const struct herald_keyring *old, u32 mki,
					  bool protect_active,
					  struct netlink_ext_ack *extack);

/* Free @old after a grace period, and with it every key @now no longer
 * holds (@now may be NULL: everything goes). Does not wait: the freeing
 * runs on herald_wq. @now must be the ring that replaced @old (or NULL);
 * which keys go is decided here, so a ring retired later cannot free a key
 * twice.
 */
void herald_keyring_retire(struct herald_keyring *old, const struct herald_keyring *now);

/* Key named by @mki, or NULL. Packet path, under RCU. */
static inline struct herald_srtp_key *
herald_keyring_find(const struct herald_keyring *kr, u32 mki)
{
	unsigned int i;

	for (i = 0; i < kr->count; i++)
		if (kr->slot[i].mki == mki)
			return kr->slot[i].key;
	return NULL;
}

struct sk_buff;
int herald_keyring_put(struct sk_buff *skb, int attr, const struct herald_keyring *kr);

#endif /* _HERALD_KEYRING_H */
