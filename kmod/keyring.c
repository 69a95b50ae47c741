// SPDX-License-Identifier: GPL-2.0
/*
 * Keyrings: the SRTP keys of a stream or an output, parsed from netlink,
 * swapped under RCU, wiped when freed.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "herald.h"
#include "keyring.h"
#include "srtp.h"

const struct nla_policy herald_key_policy[HERALD_KEY_A_MAX + 1] = {
	[HERALD_KEY_A_MATERIAL] = { .type = NLA_BINARY, .len = 32 + 14 },
	[HERALD_KEY_A_MKI_ID] = { .type = NLA_U32 },
	[HERALD_KEY_A_MKI_LEN] = NLA_POLICY_MAX(NLA_U8, 4),
	[HERALD_KEY_A_ACTIVE] = { .type = NLA_FLAG },
	[HERALD_KEY_A_SUITE] = { .type = NLA_REJECT },
};

struct herald_srtp_key *herald_key_from_nl(const struct herald_suite_desc *desc,
					   struct nlattr *nest, u32 *mki, u8 *mki_len,
					   bool *active, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HERALD_KEY_A_MAX + 1];
	struct herald_srtp_key *key;
	struct nlattr *mat;
	int ret;

	ret = nla_parse_nested(tb, HERALD_KEY_A_MAX, nest, herald_key_policy, extack);
	if (ret)
		return ERR_PTR(ret);
	mat = tb[HERALD_KEY_A_MATERIAL];
	if (!mat) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "key without material");
		return ERR_PTR(-EINVAL);
	}
	if (nla_len(mat) != desc->key_len + desc->salt_len) {
		NL_SET_ERR_MSG_ATTR(extack, mat,
				    "key material length does not match the suite (key || salt)");
		ret = -EINVAL;
		goto wipe;
	}
	*mki_len = tb[HERALD_KEY_A_MKI_LEN] ? nla_get_u8(tb[HERALD_KEY_A_MKI_LEN]) : 0;
	*mki = tb[HERALD_KEY_A_MKI_ID] ? nla_get_u32(tb[HERALD_KEY_A_MKI_ID]) : 0;
	if (*mki_len < 4 && (*mki >> (8 * *mki_len))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HERALD_KEY_A_MKI_ID],
				    "MKI value does not fit its length");
		ret = -ERANGE;
		goto wipe;
	}
	*active = nla_get_flag(tb[HERALD_KEY_A_ACTIVE]);
	key = herald_srtp_key_new(desc, nla_data(mat), *mki, *mki_len, GFP_KERNEL);
	if (IS_ERR(key)) {
		NL_SET_ERR_MSG_ATTR(extack, mat, "cannot set up the crypto for this key");
		ret = PTR_ERR(key);
		goto wipe;
	}
	memzero_explicit(nla_data(mat), nla_len(mat));
	return key;
wipe:
	/* The request skb may be kept (e.g. for an echo): no key stays in it. */
	memzero_explicit(nla_data(mat), nla_len(mat));
	return ERR_PTR(ret);
}

static void herald_keyring_free_keys(struct herald_keyring *kr)
{
	unsigned int i;

	for (i = 0; i < kr->count; i++)
		herald_srtp_key_free(kr->slot[i].key);
	kfree(kr);
}

struct herald_keyring *herald_keyring_from_nl(const struct herald_suite_desc *desc,
					      struct nlattr *keys,
					      struct netlink_ext_ack *extack)
{
	struct herald_keyring *kr;
	struct nlattr *nest;
	int rem, ret = 0;

	kr = kzalloc(sizeof(*kr), GFP_KERNEL);
	if (!kr)
		return ERR_PTR(-ENOMEM);
	kr->desc = desc;
	nla_for_each_nested(nest, keys, rem) {
		struct herald_srtp_key *key;
		bool active;
		u8 mki_len;
		u32 mki;

		if (nla_type(nest) != HERALD_A_KEY) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "expected a key");
			ret = -EINVAL;
			break;
		}
		if (kr->count == HERALD_MAX_KEYS) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "too many keys");
			ret = -E2BIG;
			break;
		}
		key = herald_key_from_nl(desc, nest, &mki, &mki_len, &active, extack);
		if (IS_ERR(key)) {
			ret = PTR_ERR(key);
			break;
		}
		if (kr->count && mki_len != kr->mki_len) {
			herald_srtp_key_free(key);
			NL_SET_ERR_MSG_ATTR(extack, nest, "all keys need the same MKI length");
			ret = -EINVAL;
			break;
		}
		if (herald_keyring_find(kr, mki)) {
			herald_srtp_key_free(key);
			NL_SET_ERR_MSG_ATTR(extack, nest, "two keys with the same MKI");
			ret = -EINVAL;
			break;
		}
		kr->mki_len = mki_len;
		if (active)
			kr->active = kr->count;
		kr->slot[kr->count].mki = mki;
		kr->slot[kr->count].key = key;
		kr->count++;
	}
	if (!ret && !kr->count) {
		NL_SET_ERR_MSG_ATTR(extack, keys, "no key given");
		ret = -EINVAL;
	}
	if (!ret && kr->count > 1 && !kr->mki_len) {
		NL_SET_ERR_MSG_ATTR(extack, keys, "several keys need an MKI to tell them apart");
		ret = -EINVAL;
	}
	if (ret) {
		herald_keyring_free_keys(kr);
		return ERR_PTR(ret);
	}
	return kr;
}

struct herald_keyring *herald_keyring_add(const struct herald_keyring *old,
					  struct herald_srtp_key *key, u32 mki,
					  u8 mki_len, bool active,
					  struct netlink_ext_ack *extack)
{
	struct herald_keyring *kr;

	if (old->count == HERALD_MAX_KEYS) {
		NL_SET_ERR_MSG(extack, "the object holds the maximum number of keys");
		return ERR_PTR(-E2BIG);
	}
	if (mki_len != old->mki_len || !mki_len) {
		NL_SET_ERR_MSG(extack, "a second key needs an MKI of the length the first key has");
		return ERR_PTR(-EINVAL);
	}
	if (herald_keyring_find(old, mki)) {
		NL_SET_ERR_MSG(extack, "a key with this MKI exists");
		return ERR_PTR(-EEXIST);
	}
	kr = kmemdup(old, sizeof(*old), GFP_KERNEL);
	if (!kr)
		return ERR_PTR(-ENOMEM);
	kr->slot[kr->count].mki = mki;
	kr->slot[kr->count].key = key;
	if (active)
		kr->active = kr->count;
	kr->count++;
	return kr;
}

struct herald_keyring *herald_keyring_del(const struct herald_keyring *old, u32 mki,
					  bool protect_active,
					  struct netlink_ext_ack *extack)
{
	struct herald_keyring *kr;
	unsigned int i, j;

	for (i = 0; i < old->count && old->slot[i].mki != mki; i++)
		;
	if (i == old->count) {
		NL_SET_ERR_MSG(extack, "no key with this MKI");
		return ERR_PTR(-ENOENT);
	}
	if (old->count == 1) {
		NL_SET_ERR_MSG(extack, "the last key cannot be removed; delete the object");
		return ERR_PTR(-EBUSY);
	}
	if (protect_active && i == old->active) {
		NL_SET_ERR_MSG(extack, "the active key cannot be removed; activate another first");
		return ERR_PTR(-EBUSY);
	}
	kr = kmemdup(old, sizeof(*old), GFP_KERNEL);
	if (!kr)
		return ERR_PTR(-ENOMEM);
	for (j = i; j + 1 < kr->count; j++)
		kr->slot[j] = kr->slot[j + 1];
	kr->count--;
	memset(&kr->slot[kr->count], 0, sizeof(kr->slot[0]));
	if (kr->active > i)
		kr->active--;
	else if (kr->active == i)
		kr->active = 0;
	return kr;
}

static void herald_keyring_free_work(struct work_struct *work)
{
	struct herald_keyring *kr = container_of(to_rcu_work(work), struct herald_keyring,
						 free_work);
	unsigned int i;

	for (i = 0; i < kr->count; i++)
		if (kr->free_mask & BIT(i))
			herald_srtp_key_free(kr->slot[i].key);
	kfree(kr);
}

void herald_keyring_retire(struct herald_keyring *old, const struct herald_keyring *now)
{
	unsigned int i;

	if (!old)
		return;
	BUILD_BUG_ON(HERALD_MAX_KEYS > 8 * sizeof(old->free_mask));
	/*
	 * Packet-path readers never look at free_mask, so it may be written
	 * while they still hold @old.
	 */
	old->free_mask = 0;
	for (i = 0; i < old->count; i++)
		if (!now || herald_keyring_find(now, old->slot[i].mki) != old->slot[i].key)
			old->free_mask |= BIT(i);
	INIT_RCU_WORK(&old->free_work, herald_keyring_free_work);
	queue_rcu_work(herald_wq, &old->free_work);
}

int herald_keyring_put(struct sk_buff *skb, int attr, const struct herald_keyring *kr)
{
	struct nlattr *list, *nest;
	unsigned int i;

	list = nla_nest_start(skb, attr);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < kr->count; i++) {
		nest = nla_nest_start(skb, HERALD_A_KEY);
		if (!nest ||
		    nla_put_u32(skb, HERALD_KEY_A_SUITE, kr->desc->id) ||
		    nla_put_u32(skb, HERALD_KEY_A_MKI_ID, kr->slot[i].mki) ||
		    nla_put_u8(skb, HERALD_KEY_A_MKI_LEN, kr->mki_len) ||
		    (i == kr->active && nla_put_flag(skb, HERALD_KEY_A_ACTIVE)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, list);
	return 0;
}
