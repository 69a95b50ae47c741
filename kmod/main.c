// SPDX-License-Identifier: GPL-2.0
/*
 * herald.ko: module init/exit and per-network-namespace state.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "herald.h"
#include "event.h"
#include "netlink.h"
#include "output.h"
#include "replay.h"
#include "resample.h"
#include "rtp.h"
#include "sink.h"
#include "srtp.h"
#include "stream.h"

static unsigned int herald_net_id __read_mostly;
struct workqueue_struct *herald_wq __read_mostly;

static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "run the self-tests (RFC test vectors, replay and index tables) at load; the load fails if one fails");

struct herald_net *herald_pernet(struct net *net)
{
	return net_generic(net, herald_net_id);
}

/* Everything of a namespace, at its exit or the module's. hn->lock held. */
static void herald_objects_flush(struct herald_net *hn)
{
	struct herald_output *out, *out_next;
	struct herald_stream *st, *st_next;
	struct herald_sink *sink, *sink_next;

	/* Streams first: they send to outputs. */
	list_for_each_entry_safe(st, st_next, &hn->streams, list)
		herald_stream_destroy(st);
	list_for_each_entry_safe(out, out_next, &hn->outputs, list) {
		list_del(&out->list);
		herald_output_destroy(out);
	}
	/* Sinks last: no stream points at them any more once the streams'
	 * grace period has passed.
	 */
	if (!list_empty(&hn->sinks)) {
		synchronize_rcu();
		list_for_each_entry_safe(sink, sink_next, &hn->sinks, list) {
			list_del(&sink->list);
			herald_sink_destroy(sink);
		}
	}
}

void herald_retired_barrier(void)
{
	/* queue_rcu_work() queues from an RCU callback: wait for those first. */
	rcu_barrier();
	flush_workqueue(herald_wq);
}

static int __net_init herald_net_init(struct net *net)
{
	struct herald_net *hn = herald_pernet(net);

	hn->net = net;
	mutex_init(&hn->lock);
	hn->require_encryption = false;
	INIT_LIST_HEAD(&hn->streams);
	INIT_LIST_HEAD(&hn->outputs);
	INIT_LIST_HEAD(&hn->sinks);
	hn->next_stream_id = 1;
	hn->next_output_id = 1;
	hn->next_sink_id = 1;
	herald_events_init(hn);
	return 0;
}

static void __net_exit herald_net_exit(struct net *net)
{
	struct herald_net *hn = herald_pernet(net);

	herald_events_stop(hn);
	mutex_lock(&hn->lock);
	herald_objects_flush(hn);
	mutex_unlock(&hn->lock);
	/* Output sockets belong to this namespace: release them before it goes. */
	herald_retired_barrier();
	mutex_destroy(&hn->lock);
}

static struct pernet_operations herald_net_ops = {
	.init = herald_net_init,
	.exit = herald_net_exit,
	.id = &herald_net_id,
	.size = sizeof(struct herald_net),
};

static int __init herald_run_selftests(void)
{
	bool ok = true;

	/* Every test runs, so one failure does not hide another. */
	ok &= herald_rtp_selftest();
	ok &= herald_replay_selftest();
	ok &= herald_srtp_selftest();
	ok &= herald_codec_selftest();
	if (!ok) {
		pr_err("herald: self-tests failed, not loading\n");
		return -ENOTRECOVERABLE;
	}
	pr_info("herald: self-tests passed\n");
	return 0;
}

static int __init herald_init(void)
{
	int ret;

	if (selftest) {
		ret = herald_run_selftests();
		if (ret)
			return ret;
	}

	herald_wq = alloc_workqueue("herald", 0, 0);
	if (!herald_wq)
		return -ENOMEM;
	ret = register_pernet_subsys(&herald_net_ops);
	if (ret)
		goto err_wq;

	/* The family goes last: once it is registered, requests can arrive. */
	ret = herald_genl_init();
	if (ret)
		goto err_pernet;

	pr_info("herald " HERALD_VERSION " loaded\n");
	return 0;

err_pernet:
	unregister_pernet_subsys(&herald_net_ops);
err_wq:
	destroy_workqueue(herald_wq);
	return ret;
}

static void __exit herald_exit(void)
{
	/* The family goes first: no request may run while state is torn down. */
	herald_genl_exit();
	unregister_pernet_subsys(&herald_net_ops);
	/* Streams are freed by RCU callbacks: they must run before the code goes. */
	rcu_barrier();
	destroy_workqueue(herald_wq);
}

module_init(herald_init);
module_exit(herald_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("herald: encrypted SIP paging fast path (SRTP, multicast zones, playback)");
MODULE_AUTHOR("herald developers");
MODULE_VERSION(HERALD_VERSION);
MODULE_ALIAS_GENL_FAMILY("herald");
