/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS for the SIP transport (OpenSSL 3): a client context (TLS 1.2 or
 * newer, the CA bundle, an optional client certificate) and non-blocking
 * connections on a connected socket. Every call returns at once; "want
 * read"/"want write" say what to wait for in epoll.
 */
#ifndef HERALDD_SIP_TLS_H
#define HERALDD_SIP_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct sip_tls_ctx;
struct sip_tls_conn;

/*
 * @ca_file is required when @verify; @cert_file and @key_file go together
 * or not at all. NULL on failure with the reason (OpenSSL's included) in @err.
 */
struct sip_tls_ctx *sip_tls_ctx_new(const char *ca_file, bool verify, const char *cert_file,
				    const char *key_file, char *err, size_t errlen);
void sip_tls_ctx_free(struct sip_tls_ctx *ctx);

/*
 * A client connection on @fd. @name is the server's identity: sent as SNI
 * when it is a DNS name (RFC 6066 3 forbids addresses there) and checked
 * against the certificate (subjectAltName DNS or IP) when verifying.
 */
struct sip_tls_conn *sip_tls_conn_new(struct sip_tls_ctx *ctx, int fd, const char *name,
				      char *err, size_t errlen);
void sip_tls_conn_free(struct sip_tls_conn *c);

enum sip_tls_io {
	SIP_TLS_DONE = 0,	/* handshake finished / bytes moved */
	SIP_TLS_WANT_READ,
	SIP_TLS_WANT_WRITE,
	SIP_TLS_CLOSED,		/* the peer closed the TLS session */
	SIP_TLS_ERROR,		/* fatal: reason in @why */
};

enum sip_tls_io sip_tls_handshake(struct sip_tls_conn *c, char *why, size_t whylen);
/* *@n: bytes moved when SIP_TLS_DONE. */
enum sip_tls_io sip_tls_read(struct sip_tls_conn *c, void *buf, size_t len, size_t *n,
			     char *why, size_t whylen);
enum sip_tls_io sip_tls_write(struct sip_tls_conn *c, const void *buf, size_t len, size_t *n,
			      char *why, size_t whylen);
/* "TLSv1.3 TLS_AES_256_GCM_SHA384" for the log. */
const char *sip_tls_describe(struct sip_tls_conn *c, char *buf, size_t len);
/* Data OpenSSL has decrypted but we have not read yet. */
bool sip_tls_pending(struct sip_tls_conn *c);

#endif
