// SPDX-License-Identifier: GPL-2.0
/*
 * Registration status as JSON: see status.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../json_read.h"
#include "reg_status.h"

const char *reg_status_text(enum reg_status s)
{
	switch (s) {
	case REG_STATUS_DISABLED:
		return "Disabled";
	case REG_STATUS_REGISTERING:
		return "Registering";
	case REG_STATUS_OK:
		return "Successful";
	case REG_STATUS_REJECTED:
		return "Rejected by Server";
	case REG_STATUS_NO_REPLY:
		return "No reply from server";
	}
	return "?";
}

/*
 * Reason phrases come from the network: escape everything JSON requires,
 * and bytes that are not UTF-8 become U+FFFD (JSON is UTF-8; heraldctl's
 * strict reader refuses anything else).
 */
static void json_str(FILE *fp, const char *s)
{
	size_t left = strlen(s), n;

	fputc('"', fp);
	while (left) {
		unsigned char c = *s;

		n = 1;
		if (c == '"' || c == '\\') {
			fprintf(fp, "\\%c", c);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u%04x", c);
		} else if ((n = json_utf8_len(s, left))) {
			fwrite(s, 1, n, fp);
		} else {
			fputs("\\ufffd", fp);
			n = 1;
		}
		s += n;
		left -= n;
	}
	fputc('"', fp);
}

char *reg_status_json(const char *transport, const char *proxy, const char *surv_proxy,
		      const struct reg_status_entry *e, unsigned int n)
{
	char *buf = NULL, when[32];
	unsigned int i;
	size_t len;
	struct tm tm;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	if (!fp)
		return NULL;
	fprintf(fp, "{\"transport\": ");
	json_str(fp, transport);
	fprintf(fp, ", \"proxy\": ");
	json_str(fp, proxy);
	if (surv_proxy && surv_proxy[0]) {
		fprintf(fp, ", \"survivability_proxy\": ");
		json_str(fp, surv_proxy);
	}
	fprintf(fp, ", \"accounts\": [");
	for (i = 0; i < n; i++) {
		gmtime_r(&e[i].since, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(fp, "%s\n  {\"account\": ", i ? "," : "");
		json_str(fp, e[i].account);
		fprintf(fp, ", \"user\": ");
		json_str(fp, e[i].user);
		fprintf(fp, ", \"role\": ");
		json_str(fp, e[i].role);
		fprintf(fp, ", \"status\": ");
		json_str(fp, reg_status_text(e[i].status));
		fprintf(fp, ", \"code\": %d, \"reason\": ", e[i].code);
		json_str(fp, e[i].reason);
		fprintf(fp, ", \"time\": \"%s\", \"expires\": %d, \"proxy_in_use\": ", when,
			e[i].expires);
		json_str(fp, e[i].proxy_in_use ? e[i].proxy_in_use : "primary");
		fputc('}', fp);
	}
	fprintf(fp, "\n]}");
	if (fclose(fp)) {
		free(buf);
		return NULL;
	}
	return buf;
}
