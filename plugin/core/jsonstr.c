/*
 * jsonstr.c: strings of any bytes, for the JSON reports (see jsonstr.h).
 */
#define _GNU_SOURCE
#include "core/jsonstr.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *uri_escape(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(strlen(path) * 3 + 1), *p = out;

	for (; *path; path++) {
		unsigned char c = *path;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			*p++ = c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return out;
}

/*
 * The length of the UTF-8 sequence at s (1 to 4), or 0 if s does not
 * start one: no overlong form, no surrogate, nothing above U+10FFFF.
 */
static int utf8_seq(const unsigned char *s)
{
	unsigned cp;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* s with each byte outside UTF-8 as "<FF>"; every byte >= 0x80 if all. */
static char *escape_bytes(const char *s, int all)
{
	char *out = xmalloc(strlen(s) * 4 + 1), *p = out;
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		int n = all && *u >= 0x80 ? 0 : utf8_seq(u);

		if (n) {
			memcpy(p, u, n);
			p += n;
			u += n;
		} else {
			p += sprintf(p, "<%02X>", *u++);
		}
	}
	*p = '\0';
	return out;
}

json_t *json_text_string(const char *s)
{
	json_t *j = json_string(s);
	char *esc;

	if (j)
		return j;
	esc = escape_bytes(s, 0);
	j = json_string(esc);
	free(esc);
	if (j)
		return j;
	esc = escape_bytes(s, 1);	/* ASCII: jansson takes it */
	j = json_string(esc);
	free(esc);
	return j;
}

void json_set_path(json_t *obj, const char *path)
{
	json_t *j = json_string(path);
	char *esc;

	if (j) {
		json_object_set_new(obj, "file", j);
		return;
	}
	esc = uri_escape(path);
	json_object_set_new(obj, "file", json_string(esc));
	json_object_set_new(obj, "file_encoding", json_string("percent"));
	free(esc);
}
