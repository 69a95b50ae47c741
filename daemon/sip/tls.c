// SPDX-License-Identifier: GPL-2.0
/*
 * TLS client connections for the SIP transport: see tls.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"

struct sip_tls_ctx {
	SSL_CTX *ssl;
	bool verify;
};

struct sip_tls_conn {
	SSL *ssl;
	bool verify;
};

/* OpenSSL's queued errors as one line, and the queue emptied. */
static void ssl_errors(char *buf, size_t len)
{
	unsigned long e;
	size_t used = 0;

	buf[0] = '\0';
	while ((e = ERR_get_error()) != 0) {
		char one[256];
		int n;

		ERR_error_string_n(e, one, sizeof(one));
		n = snprintf(buf + used, len - used, "%s%s", used ? "; " : "", one);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += n;
	}
	ERR_clear_error();
}

struct sip_tls_ctx *sip_tls_ctx_new(const char *ca_file, bool verify, const char *cert_file,
				    const char *key_file, char *err, size_t errlen)
{
	struct sip_tls_ctx *ctx;
	char ssl_err[400];

	ERR_clear_error();
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ctx->verify = verify;
	ctx->ssl = SSL_CTX_new(TLS_client_method());
	if (!ctx->ssl)
		goto ssl_fail;
	/* TLS 1.0 and 1.1 are deprecated (RFC 8996); SIP peers all do 1.2. */
	if (!SSL_CTX_set_min_proto_version(ctx->ssl, TLS1_2_VERSION))
		goto ssl_fail;
	/*
	 * Partial writes and a moving buffer: the transport's send queue
	 * shifts as it drains, and a retried SSL_write may see another
	 * address for the same bytes.
	 */
	SSL_CTX_set_mode(ctx->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (verify) {
		if (!ca_file || !*ca_file) {
			snprintf(err, errlen, "TLS: verification needs a CA file (sip.tls.ca)");
			goto fail;
		}
		if (!SSL_CTX_load_verify_locations(ctx->ssl, ca_file, NULL)) {
			ssl_errors(ssl_err, sizeof(ssl_err));
			snprintf(err, errlen, "TLS: cannot load CA file %s: %s", ca_file, ssl_err);
			goto fail;
		}
		SSL_CTX_set_verify(ctx->ssl, SSL_VERIFY_PEER, NULL);
	} else {
		SSL_CTX_set_verify(ctx->ssl, SSL_VERIFY_NONE, NULL);
	}
	if ((cert_file && *cert_file) != (key_file && *key_file)) {
		snprintf(err, errlen, "TLS: a client certificate needs both sip.tls.cert and sip.tls.key");
		goto fail;
	}
	if (cert_file && *cert_file) {
		if (SSL_CTX_use_certificate_chain_file(ctx->ssl, cert_file) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx->ssl, key_file, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx->ssl) != 1) {
			ssl_errors(ssl_err, sizeof(ssl_err));
			snprintf(err, errlen, "TLS: client certificate %s / key %s: %s",
				 cert_file, key_file, ssl_err);
			goto fail;
		}
	}
	return ctx;

ssl_fail:
	ssl_errors(ssl_err, sizeof(ssl_err));
	snprintf(err, errlen, "TLS: %s", ssl_err);
fail:
	sip_tls_ctx_free(ctx);
	return NULL;
}

void sip_tls_ctx_free(struct sip_tls_ctx *ctx)
{
	if (!ctx)
		return;
	SSL_CTX_free(ctx->ssl);
	free(ctx);
}

static bool is_ip_literal(const char *name)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, name, buf) == 1 || inet_pton(AF_INET6, name, buf) == 1;
}

struct sip_tls_conn *sip_tls_conn_new(struct sip_tls_ctx *ctx, int fd, const char *name,
				      char *err, size_t errlen)
{
	struct sip_tls_conn *c;
	char ssl_err[400];
	bool ip = is_ip_literal(name);

	ERR_clear_error();
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->verify = ctx->verify;
	c->ssl = SSL_new(ctx->ssl);
	if (!c->ssl || !SSL_set_fd(c->ssl, fd))
		goto ssl_fail;
	if (!ip && !SSL_set_tlsext_host_name(c->ssl, name))
		goto ssl_fail;
	if (ctx->verify) {
		/*
		 * The chain alone proves nothing about who we talk to: the
		 * certificate must name the server (RFC 5922 7.1 for SIP, with
		 * the subjectAltName rules of RFC 6125), no partial wildcards.
		 */
		if (ip) {
			if (!X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), name))
				goto ssl_fail;
		} else {
			SSL_set_hostflags(c->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
			if (!SSL_set1_host(c->ssl, name))
				goto ssl_fail;
		}
	}
	SSL_set_connect_state(c->ssl);
	return c;

ssl_fail:
	ssl_errors(ssl_err, sizeof(ssl_err));
	snprintf(err, errlen, "TLS: %s", ssl_err);
	sip_tls_conn_free(c);
	return NULL;
}

void sip_tls_conn_free(struct sip_tls_conn *c)
{
	if (!c)
		return;
	SSL_free(c->ssl);
	free(c);
}

/* Maps SSL_get_error() and, for a failed handshake, says why. */
static enum sip_tls_io classify(struct sip_tls_conn *c, int ret, char *why, size_t whylen)
{
	int e = SSL_get_error(c->ssl, ret);
	char ssl_err[400];
	long vr;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return SIP_TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return SIP_TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		snprintf(why, whylen, "TLS: the server closed the session");
		return SIP_TLS_CLOSED;
	case SSL_ERROR_SYSCALL:
		ssl_errors(ssl_err, sizeof(ssl_err));
		if (errno && ret < 0)
			snprintf(why, whylen, "TLS: %s", strerror(errno));
		else
			snprintf(why, whylen, "TLS: connection closed by the server%s%s",
				 ssl_err[0] ? ": " : "", ssl_err);
		return SIP_TLS_ERROR;
	default:
		/* OpenSSL 3 reports a TCP close without close_notify as an error. */
		if (ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			ERR_clear_error();
			snprintf(why, whylen, "TLS: connection closed by the server");
			return SIP_TLS_CLOSED;
		}
		vr = SSL_get_verify_result(c->ssl);
		ssl_errors(ssl_err, sizeof(ssl_err));
		/* The verify result is the useful part for an operator. */
		if (c->verify && vr != X509_V_OK)
			snprintf(why, whylen, "TLS: server certificate rejected: %s",
				 X509_verify_cert_error_string(vr));
		else
			snprintf(why, whylen, "TLS: %s", ssl_err[0] ? ssl_err : "protocol error");
		return SIP_TLS_ERROR;
	}
}

enum sip_tls_io sip_tls_handshake(struct sip_tls_conn *c, char *why, size_t whylen)
{
	int ret;

	ERR_clear_error();
	errno = 0;
	ret = SSL_do_handshake(c->ssl);
	if (ret == 1)
		return SIP_TLS_DONE;
	return classify(c, ret, why, whylen);
}

enum sip_tls_io sip_tls_read(struct sip_tls_conn *c, void *buf, size_t len, size_t *n,
			     char *why, size_t whylen)
{
	int ret;

	ERR_clear_error();
	errno = 0;
	ret = SSL_read_ex(c->ssl, buf, len, n);
	if (ret == 1)
		return SIP_TLS_DONE;
	return classify(c, ret, why, whylen);
}

enum sip_tls_io sip_tls_write(struct sip_tls_conn *c, const void *buf, size_t len, size_t *n,
			      char *why, size_t whylen)
{
	int ret;

	ERR_clear_error();
	errno = 0;
	ret = SSL_write_ex(c->ssl, buf, len, n);
	if (ret == 1)
		return SIP_TLS_DONE;
	return classify(c, ret, why, whylen);
}

const char *sip_tls_describe(struct sip_tls_conn *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", SSL_get_version(c->ssl), SSL_get_cipher_name(c->ssl));
	return buf;
}

bool sip_tls_pending(struct sip_tls_conn *c)
{
	return SSL_pending(c->ssl) > 0;
}
