/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared between the files of herald.ko.
 */
#ifndef _HERALD_H
#define _HERALD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/herald.h>
#include <net/net_namespace.h>

#define HERALD_VERSION "0.1.0"

/* Per network namespace state. Writers hold @lock; readers on the packet
 * path use RCU-protected pointers hanging off the objects themselves.
 */
struct herald_net {
	struct net *net;
	struct mutex lock;		/* serialises every change below */
	bool require_encryption;
	struct list_head streams;
	struct list_head outputs;
	struct list_head sinks;
	u32 next_stream_id;
	u32 next_output_id;
	u32 next_sink_id;
	struct delayed_work event_work;	/* event.c */
	bool events_stopped;
};

struct herald_net *herald_pernet(struct net *net);

/*
 * Objects that packets may still be using are freed after an RCU grace
 * period, in process context (crypto transforms and sockets may sleep when
 * freed), by rcu_work items on this queue. Deleting an object therefore
 * never waits for a grace period under hn->lock: flushing a thousand
 * objects costs one grace period, not a thousand.
 */
extern struct workqueue_struct *herald_wq;

/* Wait until every object retired so far is freed (netns and module exit). */
void herald_retired_barrier(void);

#endif /* _HERALD_H */
