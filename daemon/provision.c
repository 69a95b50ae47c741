// SPDX-License-Identifier: GPL-2.0
/*
 * Assisted provisioning over HTTPS with libcurl's multi interface, driven by
 * loop.c: curl tells us which sockets to watch (socket callback) and when
 * to call it back (timer callback); the loop calls curl_multi_socket_action()
 * on events. One transfer at a time: the group file's name may come from the
 * account or device file, and three small files in sequence cost nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "log.h"
#include "provision.h"
#include "status.h"

enum { PF_ACCOUNT, PF_DEVICE, PF_GROUP, PF_COUNT };	/* fetch order */

static const enum layer_id pf_layer[PF_COUNT] = {
	[PF_ACCOUNT] = LAYER_ACCOUNT,
	[PF_DEVICE] = LAYER_DEVICE,
	[PF_GROUP] = LAYER_GROUP,
};

struct pfile {
	const char *role;	/* cache file name: <role>.conf, <role>.meta */
	char url[1024];
	bool wanted;		/* part of this round */
	/* The transfer. */
	char *body;
	size_t len;
	bool too_big;
	long http;
	char etag[256], last_modified[128];
	/* The cached copy: the last good file and its validators. */
	char *cache_body;
	size_t cache_len;
	char cache_url[1024], cache_etag[256], cache_lm[128];
	bool have_cache;
	/* This round's result. */
	struct layer layer;
	bool present;		/* layer holds the file (else: absent, 404) */
	bool fresh;		/* came with a 200, to be cached */
};

struct provision {
	struct loop *loop;
	const struct layer_schema *schema;
	provision_apply_cb apply;
	void *arg;
	struct provision_config cfg;
	const struct layer *local;
	bool configured;

	CURLM *multi;
	struct loop_timer *curl_timer;
	struct loop_timer *interval_timer;
	CURL *easy;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	int step;		/* PF_* being fetched, -1 when idle */
	/* provision_trigger(): one queued request, the start of the last triggered round. */
	struct loop_timer *trigger_timer;
	bool trigger_queued;
	uint64_t trigger_last_ms;
	bool trigger_ran;
	struct pfile files[PF_COUNT];

	unsigned long fetches, not_modified;
	const char *source;	/* where the running configuration came from */
	bool applied;		/* the cached files are the running remote layers */
	bool have_result;	/* a round has ended, its status stands until the next ends */
	bool started;
};

static void set_status(struct provision *p, const char *state, const char *reason)
{
	if (strcmp(state, STATUS_PROV_RUNNING))
		p->have_result = true;
	status_provisioning(state, reason, p->source, p->fetches, p->not_modified);
}

static void free_round(struct provision *p)
{
	int i;

	for (i = 0; i < PF_COUNT; i++) {
		struct pfile *f = &p->files[i];

		if (f->body)
			explicit_bzero(f->body, f->len);
		free(f->body);
		f->body = NULL;
		f->len = 0;
		f->too_big = false;
		f->wanted = false;
		f->fresh = false;
		if (f->present)
			layer_clear(&f->layer);
		f->present = false;
	}
}

static void round_ended(struct provision *p);
static int round_failed(struct provision *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Always -1, so callers can return it. */
static int round_failed(struct provision *p, const char *fmt, ...)
{
	char reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	log_error("assisted provisioning failed, the running configuration stays: %s", reason);
	set_status(p, STATUS_PROV_FAILED, reason);
	free_round(p);
	p->step = -1;
	round_ended(p);
	return -1;
}

/* ---- MAC address of the main interface ------------------------------------ */

static int default_route_if(char *ifname, size_t len, char *err, size_t errlen)
{
	char line[256], name[64];
	unsigned long dest, mask;
	unsigned int flags;
	FILE *fp;

	fp = fopen("/proc/net/route", "re");
	if (!fp)
		return snprintf(err, errlen, "/proc/net/route: %s", strerror(errno)), -1;
	if (!fgets(line, sizeof(line), fp))	/* the header */
		line[0] = '\0';
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%63s %lx %*x %x %*d %*d %*d %lx", name, &dest, &flags, &mask) != 4)
			continue;
		if (dest == 0 && mask == 0 && (flags & 1 /* RTF_UP */)) {
			snprintf(ifname, len, "%s", name);
			fclose(fp);
			return 0;
		}
	}
	fclose(fp);
	snprintf(err, errlen, "no default route to name the main interface; "
		 "set provision.mac_interface");
	return -1;
}

int provision_mac(const char *ifname, char mac[13], char *err, size_t errlen)
{
	char path[128], buf[64], dflt[64];
	unsigned int b[6];
	FILE *fp;
	int i;

	if (!*ifname) {
		if (default_route_if(dflt, sizeof(dflt), err, errlen))
			return -1;
		ifname = dflt;
	}
	if (strchr(ifname, '/') || !strcmp(ifname, ".") || !strcmp(ifname, ".."))
		return snprintf(err, errlen, "bad interface name \"%s\"", ifname), -1;
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	fp = fopen(path, "re");
	if (!fp)
		return snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1;
	if (!fgets(buf, sizeof(buf), fp) ||
	    sscanf(buf, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
		fclose(fp);
		return snprintf(err, errlen, "%s: no Ethernet address", path), -1;
	}
	fclose(fp);
	for (i = 0; i < 6; i++)
		snprintf(mac + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* ---- the cache --------------------------------------------------------------- */

static int cache_path(const struct provision *p, const struct pfile *f, const char *ext,
		      char *path, size_t len)
{
	int n = snprintf(path, len, "%s/%s.%s", p->cfg.cache_dir, f->role, ext);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Write @len bytes atomically, mode 0600 whatever the umask. */
static int write_private(const char *path, const char *data, size_t len)
{
	char tmp[600];
	size_t off = 0;
	int fd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600) < 0)
		ret = -errno;
	while (!ret && off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno != EINTR)
			ret = -errno;
		else if (n > 0)
			off += n;
	}
	/* The cache is what runs after a power cut: make it reach the disk. */
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

static int cache_store(struct provision *p, struct pfile *f)
{
	char path[600], meta[2400];
	char *copy;
	int ret;

	if (mkdir(p->cfg.cache_dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (cache_path(p, f, "conf", path, sizeof(path)))
		return -ENAMETOOLONG;
	ret = write_private(path, f->body, f->len);
	if (ret)
		return ret;
	/* The URL goes with the validators: a 304 only stands for this URL. */
	snprintf(meta, sizeof(meta), "%s\n%s\n%s\n", f->url, f->etag, f->last_modified);
	if (cache_path(p, f, "meta", path, sizeof(path)))
		return -ENAMETOOLONG;
	ret = write_private(path, meta, strlen(meta));
	if (ret)
		return ret;
	copy = malloc(f->len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, f->body, f->len);
	if (f->cache_body)
		explicit_bzero(f->cache_body, f->cache_len);
	free(f->cache_body);
	f->cache_body = copy;
	f->cache_len = f->len;
	snprintf(f->cache_url, sizeof(f->cache_url), "%s", f->url);
	snprintf(f->cache_etag, sizeof(f->cache_etag), "%s", f->etag);
	snprintf(f->cache_lm, sizeof(f->cache_lm), "%s", f->last_modified);
	f->have_cache = true;
	return 0;
}

static void cache_drop(struct provision *p, struct pfile *f)
{
	char path[600];

	if (!cache_path(p, f, "conf", path, sizeof(path)))
		unlink(path);
	if (!cache_path(p, f, "meta", path, sizeof(path)))
		unlink(path);
	if (f->cache_body)
		explicit_bzero(f->cache_body, f->cache_len);
	free(f->cache_body);
	f->cache_body = NULL;
	f->cache_len = 0;
	f->have_cache = false;
}

static char *read_all(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > LAYER_MAX_BYTES) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	n = buf ? read(fd, buf, st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void cache_load_one(struct provision *p, struct pfile *f)
{
	char path[600], *meta, *l1, *l2, *l3;
	size_t len;

	if (cache_path(p, f, "meta", path, sizeof(path)))
		return;
	meta = read_all(path, &len);
	if (!meta)
		return;
	l1 = meta;
	l2 = strchr(l1, '\n');
	l3 = l2 ? strchr(l2 + 1, '\n') : NULL;
	if (l2 && l3 && cache_path(p, f, "conf", path, sizeof(path)) == 0) {
		*l2++ = '\0';
		*l3++ = '\0';
		l3[strcspn(l3, "\n")] = '\0';
		f->cache_body = read_all(path, &f->cache_len);
		if (f->cache_body) {
			snprintf(f->cache_url, sizeof(f->cache_url), "%s", l1);
			snprintf(f->cache_etag, sizeof(f->cache_etag), "%s", l2);
			snprintf(f->cache_lm, sizeof(f->cache_lm), "%s", l3);
			f->have_cache = true;
		}
	}
	free(meta);
}

/* ---- curl and the loop ------------------------------------------------------- */

static void check_done(struct provision *p);

static void on_socket_event(struct loop_source *src, int fd, uint32_t events, void *arg)
{
	struct provision *p = arg;
	int flags = 0, running;

	if (events & EPOLLIN)
		flags |= CURL_CSELECT_IN;
	if (events & EPOLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (events & (EPOLLERR | EPOLLHUP))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(p->multi, fd, flags, &running);
	check_done(p);
}

static int socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct provision *p = userp;
	struct loop_source *src = socketp;
	uint32_t events = 0;

	if (what == CURL_POLL_REMOVE) {
		loop_remove(src);
		curl_multi_assign(p->multi, s, NULL);
		return 0;
	}
	if (what & CURL_POLL_IN)
		events |= EPOLLIN;
	if (what & CURL_POLL_OUT)
		events |= EPOLLOUT;
	if (src)
		return loop_source_set_events(src, events) ? -1 : 0;
	src = loop_add_fd(p->loop, s, events, on_socket_event, p);
	if (!src)
		return -1;
	curl_multi_assign(p->multi, s, src);
	return 0;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct provision *p = userp;

	/* loop_timer_set(0) disarms, so "now" is 1 ms away. */
	if (timeout_ms < 0)
		return loop_timer_set(p->curl_timer, 0, 0) ? -1 : 0;
	return loop_timer_set(p->curl_timer, timeout_ms ? (uint64_t)timeout_ms : 1, 0) ? -1 : 0;
}

static void on_curl_timer(struct loop_timer *t, void *arg)
{
	struct provision *p = arg;
	int running;

	curl_multi_socket_action(p->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(p);
}

static size_t write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct pfile *f = arg;
	size_t len = size * n;
	char *b;

	if (f->len + len > LAYER_MAX_BYTES) {
		f->too_big = true;
		return 0;	/* aborts the transfer */
	}
	b = realloc(f->body, f->len + len + 1);
	if (!b)
		return 0;
	memcpy(b + f->len, data, len);
	f->body = b;
	f->len += len;
	return len;
}

/* Keep "Name: value" in @dst when the header line is @name. */
static void header_value(const char *line, size_t len, const char *name, char *dst, size_t dlen)
{
	size_t nl = strlen(name), vlen;
	const char *v;

	if (len <= nl || strncasecmp(line, name, nl) || line[nl] != ':')
		return;
	v = line + nl + 1;
	len -= nl + 1;
	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
		len--;
	vlen = len < dlen - 1 ? len : 0;	/* too long: not kept, no conditional request */
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

static size_t header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct pfile *f = arg;
	size_t len = size * n;

	header_value(data, len, "ETag", f->etag, sizeof(f->etag));
	header_value(data, len, "Last-Modified", f->last_modified, sizeof(f->last_modified));
	return len;
}

static int add_header(struct provision *p, const char *name, const char *value)
{
	char line[512];
	struct curl_slist *l;

	snprintf(line, sizeof(line), "%s: %s", name, value);
	l = curl_slist_append(p->headers, line);
	if (!l)
		return -1;
	p->headers = l;
	return 0;
}

static int start_transfer(struct provision *p, int step)
{
	struct pfile *f = &p->files[step];
	const struct provision_config *c = &p->cfg;
	CURL *e;

	f->wanted = true;
	f->http = 0;
	f->etag[0] = f->last_modified[0] = '\0';
	e = curl_easy_init();
	if (!e)
		return -1;
	p->errbuf[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL, f->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	/* Only the configured CA: not the system store, which trusts the world. */
	curl_easy_setopt(e, CURLOPT_CAINFO, c->ca);
	curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_SSLCERT, c->cert);
	curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
	curl_easy_setopt(e, CURLOPT_SSLKEY, c->key);
	if (c->key_password[0])
		curl_easy_setopt(e, CURLOPT_KEYPASSWD, c->key_password);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 60000L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, p->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "heraldd");

	curl_slist_free_all(p->headers);
	p->headers = NULL;
	/* Conditional only against a cached copy of this very URL. */
	if (f->have_cache && !strcmp(f->cache_url, f->url)) {
		if ((f->cache_etag[0] && add_header(p, "If-None-Match", f->cache_etag)) ||
		    (f->cache_lm[0] && add_header(p, "If-Modified-Since", f->cache_lm))) {
			curl_easy_cleanup(e);
			return -1;
		}
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, p->headers);
	if (curl_multi_add_handle(p->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		return -1;
	}
	p->easy = e;
	p->step = step;
	p->fetches++;
	log_debug("provisioning: fetching %s", f->url);
	return 0;
}

static const char *classify(CURLcode res)
{
	switch (res) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
		return "unreachable";
	case CURLE_SSL_CERTPROBLEM:
		return "no certificate";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		return "TLS failure";
	default:
		return "transfer failed";
	}
}

/* The group file's name, from every layer but the group's own. */
static int group_name(struct provision *p, char *name, size_t len)
{
	const struct layer *ls[LAYER_COUNT] = { 0 };
	const struct cfg_key *k = config_find(p->schema->table, "provision.group");
	void *cfg;
	int i;

	if (!k)
		return -1;
	cfg = malloc(p->schema->size);
	if (!cfg)
		return -1;
	for (i = 0; i < PF_COUNT; i++)
		if (p->files[i].present)
			ls[pf_layer[i]] = &p->files[i].layer;
	ls[LAYER_LOCAL] = p->local;
	if (layers_merge(p->schema, ls, cfg, NULL)) {
		free(cfg);
		return -1;
	}
	layer_format_value(k, cfg, name, len);
	explicit_bzero(cfg, p->schema->size);
	free(cfg);
	return 0;
}

static bool good_group_name(const char *s)
{
	if (!*s || *s == '.')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

static int finish_round(struct provision *p)
{
	const struct layer *remote[LAYER_COUNT] = { 0 };
	bool changed = false;
	int i, ret;

	for (i = 0; i < PF_COUNT; i++) {
		struct pfile *f = &p->files[i];

		if (f->fresh) {
			changed = true;
			ret = cache_store(p, f);
			if (ret)
				log_warn("provisioning: cannot cache %s in %s: %s", f->role,
					 p->cfg.cache_dir, strerror(-ret));
		} else if (!f->present && f->have_cache) {
			changed = true;
			cache_drop(p, f);
		}
		if (f->present)
			remote[pf_layer[i]] = &f->layer;
	}
	p->source = "server";
	p->step = -1;
	set_status(p, STATUS_PROV_OK, "");
	/* Nothing new: what runs is already this set (the cache is written
	 * exactly when a set is applied), so merging again would only repeat
	 * the lock warnings every interval.
	 */
	if (changed || !p->applied) {
		log_info("provisioning: new files applied");
		p->applied = true;
		p->apply(remote, false, p->arg);
	} else {
		log_info("provisioning: not modified");
	}
	free_round(p);
	round_ended(p);
	return 0;
}

static int next_step(struct provision *p)
{
	char group[256];
	struct pfile *g = &p->files[PF_GROUP];

	if (p->step == PF_ACCOUNT) {
		if (start_transfer(p, PF_DEVICE))
			return round_failed(p, "transfer failed: cannot start a transfer");
		return 0;
	}
	if (p->step == PF_DEVICE) {
		if (group_name(p, group, sizeof(group)))
			return round_failed(p, "out of memory");
		if (group[0]) {
			if (!good_group_name(group))
				return round_failed(p, "invalid file: provision.group \"%s\" is not a "
						    "file name ([A-Za-z0-9._-], no leading dot)", group);
			snprintf(g->url, sizeof(g->url), "%s%s.conf", p->cfg.url, group);
			if (start_transfer(p, PF_GROUP))
				return round_failed(p, "transfer failed: cannot start a transfer");
			return 0;
		}
	}
	return finish_round(p);
}

/* A transfer is over: judge it, then go on to the next file or end the round. */
static int transfer_done(struct provision *p, CURLcode res)
{
	struct pfile *f = &p->files[p->step];
	const char *body;
	char err[1024];
	size_t len;

	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &f->http);
	curl_multi_remove_handle(p->multi, p->easy);
	curl_easy_cleanup(p->easy);
	p->easy = NULL;

	if (f->too_big)
		return round_failed(p, "invalid file: %s is larger than %d bytes", f->url,
				    LAYER_MAX_BYTES);
	if (res != CURLE_OK)
		return round_failed(p, "%s: %s (%s)", classify(res),
				    p->errbuf[0] ? p->errbuf : curl_easy_strerror(res), f->url);
	if (f->http == 304 && f->have_cache && !strcmp(f->cache_url, f->url)) {
		p->not_modified++;
		body = f->cache_body;
		len = f->cache_len;
	} else if (f->http == 200) {
		body = f->body ? f->body : "";
		len = f->len;
		f->fresh = true;
	} else if (f->http == 404 && p->step != PF_ACCOUNT) {
		/* Device and group files are optional: no file, no layer. */
		return next_step(p);
	} else {
		return round_failed(p, "HTTP status %ld (%s)", f->http, f->url);
	}
	if (layer_parse(p->schema, &f->layer, body, len, f->url, err, sizeof(err)))
		return round_failed(p, "invalid file: %s", err);
	f->present = true;
	if (p->step == PF_GROUP) {
		size_t i;

		/* The group's name cannot come from the group file itself. */
		for (i = 0; i < f->layer.n; i++)
			if (!strcmp(f->layer.entries[i].key->name, "provision.group"))
				return round_failed(p, "invalid file: %s:%u: provision.group cannot "
						    "be set in the group file", f->url,
						    f->layer.entries[i].line);
	}
	return next_step(p);
}

static void check_done(struct provision *p)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(p->multi, &left))) {
		if (m->msg == CURLMSG_DONE && m->easy_handle == p->easy) {
			transfer_done(p, m->data.result);
			/* transfer_done may have started the next transfer; the
			 * message queue is read again on the next event.
			 */
			return;
		}
	}
}

/* ---- rounds ---------------------------------------------------------------------- */

static int fetch_now(struct provision *p)
{
	char mac[13], err[256];

	if (p->step >= 0 || !p->configured)
		return 0;
	if (!p->cfg.url[0]) {
		set_status(p, STATUS_PROV_OFF, "");
		return 0;
	}
	free_round(p);
	/* Before any network traffic: without a certificate the server can
	 * only refuse us, and this says why more clearly than a TLS error.
	 */
	if (access(p->cfg.cert, R_OK) < 0)
		return round_failed(p, "no certificate: %s: %s", p->cfg.cert, strerror(errno));
	if (access(p->cfg.key, R_OK) < 0)
		return round_failed(p, "no certificate: key %s: %s", p->cfg.key, strerror(errno));
	if (provision_mac(p->cfg.mac_interface, mac, err, sizeof(err)))
		return round_failed(p, "no MAC address: %s", err);
	snprintf(p->files[PF_ACCOUNT].url, sizeof(p->files[0].url), "%sherald.conf", p->cfg.url);
	snprintf(p->files[PF_DEVICE].url, sizeof(p->files[0].url), "%s%s.conf", p->cfg.url, mac);
	/* A failure stays visible, with its reason, until a round succeeds:
	 * flipping to "Provisioning" every interval would hide it.
	 */
	if (!p->have_result)
		set_status(p, STATUS_PROV_RUNNING, "");
	if (start_transfer(p, PF_ACCOUNT))
		return round_failed(p, "transfer failed: cannot start a transfer");
	return 0;
}

int provision_fetch_now(struct provision *p)
{
	bool off = !p->configured || !p->cfg.url[0];

	if (p->step >= 0)
		return 1;
	if (fetch_now(p) || off)
		return -1;
	return 0;
}

/* ---- triggered rounds (check-sync) -------------------------------------------- */

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds until a triggered round may start; 0: now. */
static uint64_t trigger_wait(const struct provision *p)
{
	uint64_t since;

	if (!p->trigger_ran)
		return 0;
	since = mono_ms() - p->trigger_last_ms;
	return since >= PROVISION_TRIGGER_GAP_MS ? 0 : PROVISION_TRIGGER_GAP_MS - since;
}

static void trigger_start(struct provision *p)
{
	p->trigger_queued = false;
	p->trigger_ran = true;
	p->trigger_last_ms = mono_ms();
	log_info("provisioning: round asked for by check-sync");
	fetch_now(p);
}

/* The queued request's time came, or a round ended with one queued. */
static void trigger_check(struct provision *p)
{
	uint64_t wait;

	if (!p->trigger_queued || p->step >= 0)
		return;		/* a running round calls again when it ends */
	if (!p->cfg.url[0]) {
		p->trigger_queued = false;
		return;
	}
	wait = trigger_wait(p);
	if (wait)
		loop_timer_set(p->trigger_timer, wait, 0);
	else
		trigger_start(p);
}

static void on_trigger_timer(struct loop_timer *t, void *arg)
{
	trigger_check(arg);
}

static void round_ended(struct provision *p)
{
	trigger_check(p);
}

enum provision_trigger provision_trigger(struct provision *p)
{
	if (!p->configured || !p->cfg.url[0])
		return PROVISION_TRIGGER_OFF;
	if (p->trigger_queued)
		return PROVISION_TRIGGER_QUEUED;
	if (p->step < 0 && !trigger_wait(p)) {
		trigger_start(p);
		return PROVISION_TRIGGER_STARTED;
	}
	p->trigger_queued = true;
	trigger_check(p);
	return PROVISION_TRIGGER_QUEUED;
}

static void on_interval(struct loop_timer *t, void *arg)
{
	/* A failure is in the status already; the next interval tries again. */
	provision_fetch_now(arg);
}

static int arm_interval(struct provision *p)
{
	uint64_t every = (uint64_t)p->cfg.interval * 1000;

	/* The first round right away (from the loop), then every interval. */
	return loop_timer_set(p->interval_timer, 1, every);
}

int provision_configure(struct provision *p, const struct provision_config *cfg,
			const struct layer *local)
{
	bool interval_changed = !p->configured || cfg->interval != p->cfg.interval;
	bool cache_changed = !p->configured || strcmp(cfg->cache_dir, p->cfg.cache_dir);
	int i;

	p->cfg = *cfg;
	p->local = local;
	p->configured = true;
	if (cfg->url[0] && cfg->url[strlen(cfg->url) - 1] != '/') {
		/* A base URL: files are named relative to it. */
		size_t n = strlen(p->cfg.url);

		if (n + 1 < sizeof(p->cfg.url)) {
			p->cfg.url[n] = '/';
			p->cfg.url[n + 1] = '\0';
		}
	}
	if (cache_changed && p->started) {
		p->applied = false;
		for (i = 0; i < PF_COUNT; i++) {
			if (p->files[i].cache_body)
				explicit_bzero(p->files[i].cache_body, p->files[i].cache_len);
			free(p->files[i].cache_body);
			p->files[i].cache_body = NULL;
			p->files[i].have_cache = false;
			cache_load_one(p, &p->files[i]);
		}
	}
	if (p->started && interval_changed && p->cfg.interval)
		return loop_timer_set(p->interval_timer, (uint64_t)p->cfg.interval * 1000,
				      (uint64_t)p->cfg.interval * 1000);
	if (p->started && interval_changed && !p->cfg.interval)
		return loop_timer_set(p->interval_timer, 0, 0);
	return 0;
}

int provision_start(struct provision *p)
{
	const struct layer *remote[LAYER_COUNT] = { 0 };
	bool bad = false;
	char err[1024];
	int i;

	p->started = true;
	if (!p->cfg.url[0]) {
		set_status(p, STATUS_PROV_OFF, "");
		return 0;
	}
	for (i = 0; i < PF_COUNT; i++)
		cache_load_one(p, &p->files[i]);
	/* The cache is applied only whole, like a fetched set. */
	for (i = 0; i < PF_COUNT; i++) {
		struct pfile *f = &p->files[i];

		if (!f->have_cache)
			continue;
		if (layer_parse(p->schema, &f->layer, f->cache_body, f->cache_len, f->cache_url,
				err, sizeof(err))) {
			/* Dropped, or its validators would earn a 304 for a file
			 * we cannot use (say, after an upgrade renamed a key).
			 */
			log_warn("provisioning: cached files not used: %s", err);
			bad = true;
			break;
		}
		f->present = true;
		remote[pf_layer[i]] = &f->layer;
	}
	if (bad) {
		for (i = 0; i < PF_COUNT; i++)
			cache_drop(p, &p->files[i]);
	} else if (p->files[PF_ACCOUNT].present) {
		log_info("provisioning: running the cached files until the server answers");
		p->source = "cache";
		p->applied = true;
		p->apply(remote, true, p->arg);
	}
	free_round(p);
	set_status(p, STATUS_PROV_RUNNING, "");
	return arm_interval(p);
}

struct provision *provision_new(struct loop *loop, const struct layer_schema *s,
				 provision_apply_cb apply, void *arg)
{
	static bool curl_ready;
	struct provision *p;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			errno = ENOMEM;
			return NULL;
		}
		curl_ready = true;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->loop = loop;
	p->schema = s;
	p->apply = apply;
	p->arg = arg;
	p->step = -1;
	p->source = "";
	p->files[PF_ACCOUNT].role = "account";
	p->files[PF_DEVICE].role = "device";
	p->files[PF_GROUP].role = "group";
	p->multi = curl_multi_init();
	p->curl_timer = loop_timer_new(loop, on_curl_timer, p);
	p->interval_timer = loop_timer_new(loop, on_interval, p);
	p->trigger_timer = loop_timer_new(loop, on_trigger_timer, p);
	if (!p->multi || !p->curl_timer || !p->interval_timer || !p->trigger_timer) {
		provision_free(p);
		errno = ENOMEM;
		return NULL;
	}
	curl_multi_setopt(p->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(p->multi, CURLMOPT_SOCKETDATA, p);
	curl_multi_setopt(p->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(p->multi, CURLMOPT_TIMERDATA, p);
	return p;
}

void provision_free(struct provision *p)
{
	int i;

	if (!p)
		return;
	if (p->easy) {
		curl_multi_remove_handle(p->multi, p->easy);
		curl_easy_cleanup(p->easy);
	}
	curl_slist_free_all(p->headers);
	if (p->multi)
		curl_multi_cleanup(p->multi);
	loop_timer_free(p->curl_timer);
	loop_timer_free(p->interval_timer);
	loop_timer_free(p->trigger_timer);
	free_round(p);
	for (i = 0; i < PF_COUNT; i++) {
		if (p->files[i].cache_body)
			explicit_bzero(p->files[i].cache_body, p->files[i].cache_len);
		free(p->files[i].cache_body);
	}
	explicit_bzero(&p->cfg, sizeof(p->cfg));
	free(p);
}
