// SPDX-License-Identifier: GPL-2.0
/*
 * RTP sockets and herald.ko streams for calls: see media.h.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audio.h"
#include "call_feeds.h"
#include "log.h"
#include "media.h"

void media_init(struct media *m, const struct kernel_ops *kops, void *kctx, uint16_t port_min,
		uint16_t port_max)
{
	/* Whole, so a field added later (the sink) never starts as stack garbage. */
	*m = (struct media){
		.kops = kops,
		.kctx = kctx,
		/* RTP takes even ports (RFC 3550 11): round the range inwards. */
		.port_min = (uint16_t)(port_min + (port_min & 1)),
		.port_max = port_max,
	};
	m->next = m->port_min;
}

void media_set_audio(struct media *m, const struct audio *a)
{
	m->audio = a;
}

void media_sess_init(struct media_sess *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

static int bind_port(int fd, int family, uint16_t port)
{
	if (family == 6) {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port),
					  .sin6_addr = IN6ADDR_ANY_INIT };

		return bind(fd, (struct sockaddr *)&a, sizeof(a));
	} else {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
					 .sin_addr.s_addr = htonl(INADDR_ANY) };

		return bind(fd, (struct sockaddr *)&a, sizeof(a));
	}
}

int media_bind(struct media *m, struct media_sess *s, int family, char *why, size_t whylen)
{
	unsigned int span, i;
	int fd, err = EADDRINUSE;

	if (m->port_min > m->port_max) {
		snprintf(why, whylen, "no even port in the media port range");
		return -EINVAL;
	}
	fd = socket(family == 6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0) {
		err = errno;
		snprintf(why, whylen, "RTP socket: %s", strerror(err));
		return -err;
	}
	if (family == 6) {
		int one = 1;

		/* The stream is IPv6 only; IPv4 calls get their own IPv4 socket. */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	/* Start after the last port handed out, so a port just freed is not
	 * reused at once and late packets of the old call do not land in the
	 * new one.
	 */
	span = (unsigned int)(m->port_max - m->port_min) / 2 + 1;
	for (i = 0; i < span; i++) {
		uint16_t port = m->next;

		m->next = (uint16_t)(port + 2);
		if (m->next > m->port_max || m->next < m->port_min)
			m->next = m->port_min;
		if (!bind_port(fd, family, port)) {
			s->fd = fd;
			s->family = family;
			s->port = port;
			return 0;
		}
		err = errno;
		if (err != EADDRINUSE)
			break;
	}
	close(fd);
	if (err == EADDRINUSE)
		snprintf(why, whylen, "every RTP port in %u-%u is in use", m->port_min,
			 m->port_max);
	else
		snprintf(why, whylen, "RTP socket bind: %s", strerror(err));
	return -err;
}

void media_crypto_from_sdes(struct media_crypto *mc, const struct sdes_crypto *c)
{
	unsigned int i;

	memset(mc, 0, sizeof(*mc));
	mc->suite = HERALD_SUITE_NONE;
	if (!c)
		return;
	mc->suite = c->suite;
	for (i = 0; i < c->nkeys && i < SDES_MAX_KEYS; i++) {
		memcpy(mc->keys[i].material, c->keys[i].key, c->keys[i].len);
		mc->keys[i].len = c->keys[i].len;
		mc->keys[i].mki = c->keys[i].has_mki ? c->keys[i].mki : 0;
		mc->keys[i].mki_len = c->keys[i].has_mki ? c->keys[i].mki_len : 0;
	}
	mc->nkeys = i;
}

bool media_crypto_equal(const struct media_crypto *a, const struct media_crypto *b)
{
	unsigned int i;
	unsigned char diff = 0;

	if (a->suite != b->suite || a->nkeys != b->nkeys)
		return false;
	for (i = 0; i < a->nkeys; i++) {
		const struct kernel_key *x = &a->keys[i], *y = &b->keys[i];
		size_t j;

		if (x->len != y->len || x->mki != y->mki || x->mki_len != y->mki_len)
			return false;
		/* Constant time over the material: it is a secret. */
		for (j = 0; j < x->len; j++)
			diff |= x->material[j] ^ y->material[j];
	}
	return !diff;
}

void media_crypto_wipe(struct media_crypto *mc)
{
	explicit_bzero(mc, sizeof(*mc));
	mc->suite = HERALD_SUITE_NONE;
}

int media_start(struct media *m, struct media_sess *s, const struct media_crypto *mc,
		const char *label, uint8_t priority, const uint32_t *outputs,
		unsigned int noutputs, int pt, char *why, size_t whylen)
{
	uint32_t list[HERALD_MAX_OUTPUTS];
	struct kernel_stream_req req = {
		.fd = s->fd,
		.suite = mc->suite,
		.nkeys = mc->nkeys,
		.priority = priority,
		.outputs = list,
		.pt = pt,
		.sink = audio_sink_id(m->audio),
	};
	int ret;

	/* A new stream of a running call feeds its account's zones as they are now. */
	req.noutputs = call_feeds_resolve(0, label, outputs, noutputs, list);
	snprintf(req.label, sizeof(req.label), "%s", label);
	memcpy(req.keys, mc->keys, sizeof(mc->keys[0]) * mc->nkeys);
	ret = m->kops->new_stream(m->kctx, &req, &s->stream_id, why, whylen);
	kernel_stream_req_wipe(&req);
	if (ret)
		return ret;
	call_feeds_note(m->kops, m->kctx, s->stream_id, label, list, req.noutputs);
	s->has_stream = true;
	s->crypto = *mc;
	return 0;
}

static bool holds_mki(const struct media_crypto *mc, uint32_t mki)
{
	unsigned int i;

	for (i = 0; i < mc->nkeys; i++)
		if (mc->keys[i].mki == mki)
			return true;
	return false;
}

int media_rekey(struct media *m, struct media_sess *s, const struct media_crypto *mc,
		char *why, size_t whylen)
{
	struct media_crypto *cur = &s->crypto;
	unsigned int i, added = 0;
	int ret = 0;

	if (!s->has_stream || mc->suite == HERALD_SUITE_NONE || mc->suite != cur->suite ||
	    cur->nkeys + mc->nkeys > HERALD_MAX_KEYS || s->nstale)
		return 1;
	/* Packets pick their key by MKI: both sets must be told apart by it. */
	for (i = 0; i < mc->nkeys; i++)
		if (!mc->keys[i].mki_len || mc->keys[i].mki_len != cur->keys[0].mki_len ||
		    holds_mki(cur, mc->keys[i].mki))
			return 1;
	for (i = 0; i < mc->nkeys; i++) {
		ret = m->kops->add_key(m->kctx, s->stream_id, &mc->keys[i], why, whylen);
		if (ret)
			break;
		added++;
	}
	if (ret) {
		/* Leave the stream as it was: the old keys still work. */
		char w[128];

		for (i = 0; i < added; i++)
			m->kops->del_key(m->kctx, s->stream_id, mc->keys[i].mki, w, sizeof(w));
		return ret;
	}
	for (i = 0; i < cur->nkeys; i++)
		s->stale_mki[i] = cur->keys[i].mki;
	s->nstale = cur->nkeys;
	media_crypto_wipe(cur);
	*cur = *mc;
	return 0;
}

void media_commit_rekey(struct media *m, struct media_sess *s)
{
	char why[200];
	unsigned int i;

	for (i = 0; i < s->nstale; i++)
		if (m->kops->del_key(m->kctx, s->stream_id, s->stale_mki[i], why, sizeof(why)))
			log_warn("media: stream %u: cannot drop the old key with MKI %u: %s",
				 s->stream_id, s->stale_mki[i], why);
	s->nstale = 0;
}

int media_set_outputs(struct media *m, struct media_sess *s, const uint32_t *outputs,
		      unsigned int n)
{
	uint32_t list[HERALD_MAX_OUTPUTS];
	char why[200];
	int ret;

	if (!s->has_stream)
		return -ENOENT;
	/* The zones of the call's account as they are now, not as they were at its start. */
	n = call_feeds_resolve(s->stream_id, NULL, outputs, n, list);
	ret = m->kops->set_outputs(m->kctx, s->stream_id, list, n, why, sizeof(why));
	if (ret)
		log_warn("media: stream %u: cannot set its outputs: %s", s->stream_id, why);
	else
		call_feeds_note(m->kops, m->kctx, s->stream_id, NULL, list, n);
	return ret;
}

int media_packets(struct media *m, struct media_sess *s, uint64_t *packets)
{
	char why[200];
	int ret;

	if (!s->has_stream)
		return -ENOENT;
	ret = m->kops->packets(m->kctx, s->stream_id, packets, why, sizeof(why));
	if (ret)
		log_warn("media: stream %u: cannot read its counters: %s", s->stream_id, why);
	return ret;
}

void media_close(struct media *m, struct media_sess *s)
{
	char why[200];

	/* Deleting first is not needed for the module (the stream dies with the
	 * socket) but makes the end explicit and reports a stream gone astray.
	 */
	if (s->has_stream && m->kops->del_stream(m->kctx, s->stream_id, why, sizeof(why)))
		log_warn("media: stream %u: delete: %s", s->stream_id, why);
	if (s->has_stream)
		call_feeds_forget(s->stream_id);
	if (s->fd >= 0)
		close(s->fd);
	media_crypto_wipe(&s->crypto);
	media_sess_init(s);
}
