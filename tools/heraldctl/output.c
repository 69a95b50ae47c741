// SPDX-License-Identifier: GPL-2.0
/*
 * Human or JSON output, one call per field.
 */
#include <inttypes.h>
#include <stdarg.h>

#include "json.h"
#include "output.h"

static struct {
	FILE *fp;
	bool json;
	struct json_writer jw;
} out = { .fp = NULL };

void output_init(FILE *fp, bool json, bool pretty)
{
	out.fp = fp;
	out.json = json;
	jw_init(&out.jw, fp, pretty);
}

bool output_json(void)
{
	return out.json;
}

void output_begin(void)
{
	if (!out.json)
		return;
	/* Each document starts afresh: a monitor writes one per event. */
	jw_init(&out.jw, out.fp, out.jw.pretty);
	jw_object_open(&out.jw);
}

int output_end(void)
{
	int ret = 0;

	if (out.json) {
		jw_object_close(&out.jw);
		ret = jw_finish(&out.jw);
		fputc('\n', out.fp);
	}
	fflush(out.fp);
	return ret;
}

void output_list_begin(void)
{
	if (!out.json)
		return;
	jw_init(&out.jw, out.fp, out.jw.pretty);
	jw_array_open(&out.jw);
}

int output_list_end(void)
{
	int ret = 0;

	if (out.json) {
		jw_array_close(&out.jw);
		ret = jw_finish(&out.jw);
		fputc('\n', out.fp);
	}
	fflush(out.fp);
	return ret;
}

void open_json_object(const char *key)
{
	if (!out.json)
		return;
	if (key)
		jw_key(&out.jw, key);
	jw_object_open(&out.jw);
}

void close_json_object(void)
{
	if (out.json)
		jw_object_close(&out.jw);
}

void open_json_array(const char *key)
{
	if (!out.json)
		return;
	if (key)
		jw_key(&out.jw, key);
	jw_array_open(&out.jw);
}

void close_json_array(void)
{
	if (out.json)
		jw_array_close(&out.jw);
}

/* In JSON mode inside an array, members have no key. */
static void json_key(const char *key)
{
	if (key)
		jw_key(&out.jw, key);
}

void print_string(enum output_type t, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			jw_string(&out.jw, va_arg(ap, const char *));
		}
	} else if (t & PRINT_FP) {
		vfprintf(out.fp, fmt, ap);
	}
	va_end(ap);
}

void print_uint(enum output_type t, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			jw_u64(&out.jw, va_arg(ap, unsigned int));
		}
	} else if (t & PRINT_FP) {
		vfprintf(out.fp, fmt, ap);
	}
	va_end(ap);
}

void print_int(enum output_type t, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			jw_s64(&out.jw, va_arg(ap, int));
		}
	} else if (t & PRINT_FP) {
		vfprintf(out.fp, fmt, ap);
	}
	va_end(ap);
}

void print_u64(enum output_type t, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			jw_u64(&out.jw, va_arg(ap, uint64_t));
		}
	} else if (t & PRINT_FP) {
		vfprintf(out.fp, fmt, ap);
	}
	va_end(ap);
}

/* Human branch of print_on_off(): @fmt's "%s" becomes @word. Done by hand
 * rather than through printf, which would need a non-literal format.
 */
static void fp_expand(const char *fmt, const char *word)
{
	for (; *fmt; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 's') {
			fputs(word, out.fp);
			fmt++;
		} else if (fmt[0] == '%' && fmt[1] == '%') {
			fputc('%', out.fp);
			fmt++;
		} else {
			fputc(*fmt, out.fp);
		}
	}
}

void print_on_off(enum output_type t, const char *key, const char *fmt, bool value)
{
	if (out.json) {
		if (t & PRINT_JSON) {
			json_key(key);
			jw_bool(&out.jw, value);
		}
	} else if (t & PRINT_FP) {
		fp_expand(fmt, value ? "on" : "off");
	}
}

void print_json_null(const char *key)
{
	if (!out.json)
		return;
	json_key(key);
	jw_null(&out.jw);
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (out.json)
		return;
	va_start(ap, fmt);
	vfprintf(out.fp, fmt, ap);
	va_end(ap);
}
