// SPDX-License-Identifier: GPL-2.0
/*
 * UAS dialog state and the messages built from it: see dialog.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "dialog.h"

char *dialog_dup(struct sip_str s)
{
	char *p = malloc(s.len + 1);

	if (p) {
		if (s.len)	/* an empty sip_str may have no pointer */
			memcpy(p, s.p, s.len);
		p[s.len] = '\0';
	}
	return p;
}

static bool str_eq(const char *a, struct sip_str b)
{
	/* An empty sip_str may have no pointer: memcmp must not see it. */
	return a && strlen(a) == b.len && (!b.len || !memcmp(a, b.p, b.len));
}

int dialog_random_hex(char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t r[32];
	size_t i;

	if (len > 2 * sizeof(r) || getrandom(r, (len + 1) / 2, 0) != (ssize_t)((len + 1) / 2))
		return -1;
	for (i = 0; i < len; i++)
		buf[i] = hex[(r[i / 2] >> (i & 1 ? 0 : 4)) & 0xf];
	buf[len] = '\0';
	return 0;
}

static bool sip_scheme(const struct sip_uri *u)
{
	return u->scheme == SIP_URI_SIP || u->scheme == SIP_URI_SIPS;
}

const char *dialog_check_targets(const struct sip_msg *inv)
{
	unsigned int i;

	if (!inv->ncontact || inv->contact[0].star)
		return "INVITE without a Contact URI";
	/* We send requests there: a SIP or SIPS URI [8.1.1.8, 12.1.1]. */
	if (!sip_scheme(&inv->contact[0].uri))
		return "Contact is not a SIP or SIPS URI";
	for (i = 0; i < inv->nrecord_route; i++)
		if (!sip_scheme(&inv->record_route[i].uri))
			return "Record-Route is not a SIP or SIPS URI";
	return NULL;
}

int dialog_init_uas(struct dialog *d, const struct sip_msg *inv, const struct call_peer *peer,
		    const char *contact)
{
	const struct sip_hdr *to = sip_msg_hdr(inv, SIP_HDR_TO);
	const struct sip_hdr *from = sip_msg_hdr(inv, SIP_HDR_FROM);
	unsigned int i, n = 0;

	memset(d, 0, sizeof(*d));
	if (dialog_check_targets(inv) || !to || !from || strlen(contact) >= sizeof(d->contact))
		return -1;
	if (dialog_random_hex(d->local_tag, DIALOG_TAG_LEN))
		return -1;
	d->call_id = dialog_dup(inv->call_id);
	d->remote_tag = dialog_dup(inv->from.tag);
	d->local_hdr = dialog_dup(to->value);
	d->remote_hdr = dialog_dup(from->value);
	d->remote_target = dialog_dup(inv->contact[0].uri.raw);
	/* The UAS keeps the Record-Route order as received [12.1.1]. */
	for (i = 0; i < inv->nhdrs; i++) {
		if (inv->hdrs[i].id != SIP_HDR_RECORD_ROUTE)
			continue;
		d->route[n] = dialog_dup(inv->hdrs[i].value);
		if (!d->route[n++])
			goto err;
	}
	d->nroute = n;
	if (n) {
		d->strict = !inv->record_route[0].uri.lr;
		d->route_first_uri = dialog_dup(inv->record_route[0].uri.raw);
		if (!d->route_first_uri)
			goto err;
	}
	if (!d->call_id || !d->remote_tag || !d->local_hdr || !d->remote_hdr || !d->remote_target)
		goto err;
	snprintf(d->contact, sizeof(d->contact), "%s", contact);
	d->remote_cseq = inv->cseq;
	d->local_cseq = 1;
	d->peer = *peer;
	return 0;
err:
	dialog_free(d);
	return -1;
}

void dialog_free(struct dialog *d)
{
	unsigned int i;

	free(d->call_id);
	free(d->remote_tag);
	free(d->local_hdr);
	free(d->remote_hdr);
	free(d->remote_target);
	free(d->route_first_uri);
	for (i = 0; i < d->nroute; i++)
		free(d->route[i]);
	memset(d, 0, sizeof(*d));
}

bool dialog_same_caller(const struct dialog *d, const struct sip_msg *req)
{
	return str_eq(d->call_id, req->call_id) && str_eq(d->remote_tag, req->from.tag);
}

bool dialog_match(const struct dialog *d, const struct sip_msg *req)
{
	return dialog_same_caller(d, req) && str_eq(d->local_tag, req->to.tag);
}

int dialog_refresh_target(struct dialog *d, const struct sip_msg *req)
{
	char *t;

	if (!req->ncontact || req->contact[0].star || !sip_scheme(&req->contact[0].uri))
		return 0;	/* the target stays as it was */
	t = dialog_dup(req->contact[0].uri.raw);
	if (!t)
		return -1;
	free(d->remote_target);
	d->remote_target = t;
	return 0;
}

int dialog_addr_str(const struct sockaddr_storage *ss, char *host, size_t size, uint16_t *port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ss;

		*port = ntohs(a->sin_port);
		return inet_ntop(AF_INET, &a->sin_addr, host, (socklen_t)size) ? 0 : -1;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;

		*port = ntohs(a->sin6_port);
		return inet_ntop(AF_INET6, &a->sin6_addr, host, (socklen_t)size) ? 0 : -1;
	}
	return -1;
}

/* A Warning text is a quoted-string: no quote, backslash or control characters. */
static void warning_text(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < size; i++)
		out[i] = (in[i] == '"' || in[i] == '\\' || (unsigned char)in[i] < 0x20 ||
			  in[i] == 0x7f) ? '\'' : in[i];
	out[i] = '\0';
}

int dialog_build_response(const struct sip_msg *req, const struct call_peer *peer, int status,
			  const char *to_tag, const struct resp_extra *x, char *buf, size_t size)
{
	static const struct resp_extra none;
	struct sip_builder b;
	char host[INET6_ADDRSTRLEN], warn[200];
	const char *received = NULL;
	uint16_t port = 0;

	if (!x)
		x = &none;
	/* received= only when the Via's sent-by is not where it came from [18.2.1]. */
	if (!dialog_addr_str(&peer->remote, host, sizeof(host), &port) &&
	    !(req->nvia && req->via[0].host.len == strlen(host) &&
	      !strncasecmp(req->via[0].host.p, host, req->via[0].host.len)))
		received = host;
	sip_build_init(&b, buf, size);
	if (sip_build_response(&b, req, status, NULL, to_tag, received, port))
		return -1;
	if (x->contact)
		sip_build_header(&b, "Contact", "<%s>", x->contact);
	if (x->allow)
		sip_build_header(&b, "Allow", DIALOG_ALLOW);
	if (x->accept)
		sip_build_header(&b, "Accept", "application/sdp");
	if (x->supported)
		sip_build_header(&b, "Supported", DIALOG_SUPPORTED);
	if (x->session_expires) {
		/* We never refresh: the caller does [RFC 4028 9]. */
		sip_build_header(&b, "Session-Expires", "%u;refresher=uac", x->session_expires);
		sip_build_header(&b, "Require", "timer");
	}
	if (x->min_se)
		sip_build_header(&b, "Min-SE", "%u", x->min_se);
	if (x->unsupported)
		sip_build_header(&b, "Unsupported", "%s", x->unsupported);
	if (x->retry_after)
		sip_build_header(&b, "Retry-After", "%d", x->retry_after);
	if (x->warning) {
		warning_text(x->warning, warn, sizeof(warn));
		sip_build_header(&b, "Warning", "399 herald \"%s\"", warn);
	}
	return sip_build_finish(&b, x->body ? "application/sdp" : NULL, x->body, x->body_len);
}

static const char *transport_name(enum call_transport t)
{
	return t == CALL_TP_TLS ? "TLS" : t == CALL_TP_TCP ? "TCP" : "UDP";
}

int dialog_build_bye(struct dialog *d, char *branch, char *buf, size_t size)
{
	struct sip_builder b;
	char host[INET6_ADDRSTRLEN];
	const char *ruri = d->remote_target;
	unsigned int i;
	uint16_t port;

	if (dialog_addr_str(&d->peer.local, host, sizeof(host), &port))
		return -1;
	memcpy(branch, "z9hG4bK", 7);
	if (dialog_random_hex(branch + 7, DIALOG_BRANCH_LEN - 7))
		return -1;
	d->local_cseq++;
	/* A strict router takes the Request-URI; the target goes last [12.2.1.1]. */
	if (d->strict)
		ruri = d->route_first_uri;
	sip_build_init(&b, buf, size);
	sip_build_request_line(&b, "BYE", ruri);
	sip_build_header(&b, "Via", "SIP/2.0/%s %s%s%s:%u;branch=%s;rport",
			 transport_name(d->peer.transport), strchr(host, ':') ? "[" : "", host,
			 strchr(host, ':') ? "]" : "", port, branch);
	sip_build_header(&b, "Max-Forwards", "70");
	for (i = d->strict ? 1 : 0; i < d->nroute; i++)
		sip_build_header(&b, "Route", "%s", d->route[i]);
	if (d->strict)
		sip_build_header(&b, "Route", "<%s>", d->remote_target);
	sip_build_header(&b, "From", "%s;tag=%s", d->local_hdr, d->local_tag);
	sip_build_header(&b, "To", "%s", d->remote_hdr);
	sip_build_header(&b, "Call-ID", "%s", d->call_id);
	sip_build_header(&b, "CSeq", "%u BYE", d->local_cseq);
	return sip_build_finish(&b, NULL, NULL, 0);
}
