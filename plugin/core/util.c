/*
 * util.c: error buffers, checked allocation, arenas, the string map and the
 * interner.  Allocation failure is the one error we do not propagate: the
 * process aborts with a message, as git's xmalloc does.
 */
#define _GNU_SOURCE
#include "core/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int ss_error(struct ss_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void oom(size_t size)
{
	fprintf(stderr, "splitsafe: out of memory allocating %zu bytes\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom(0);
	va_end(ap);
	return s;
}

/* ---- arena ---- */

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t size;
	unsigned char data[];
};

void *arena_alloc(struct arena *a, size_t size)
{
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (!a->head || a->used + size > a->head->size) {
		size_t bsize = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		struct arena_block *b = xmalloc(sizeof(*b) + bsize);

		b->size = bsize;
		if (a->head && size > ARENA_BLOCK) {
			/* keep the partly used head for small requests */
			b->next = a->head->next;
			a->head->next = b;
			memset(b->data, 0, size);
			a->total += size;
			return b->data;
		}
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	p = a->head->data + a->used;
	a->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char buf[512], *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(buf))
		return arena_strndup(a, buf, n);
	p = arena_alloc(a, n + 1);
	va_start(ap, fmt);
	vsnprintf(p, n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

/* ---- strmap ---- */

uint64_t str_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t strmap_slot(const struct strmap *m, const char *key,
			  size_t len)
{
	size_t mask = m->size - 1;
	size_t i = str_hash(key, len) & mask;

	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & mask;
	return i;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	size_t i;

	if (!m->size)
		return NULL;
	i = strmap_slot(m, key, strlen(key));
	return m->keys[i] ? m->vals[i] : NULL;
}

static void strmap_grow(struct strmap *m)
{
	struct strmap n = STRMAP_INIT;
	size_t i;

	n.size = m->size ? m->size * 2 : 64;
	n.keys = xcalloc(n.size, sizeof(*n.keys));
	n.vals = xcalloc(n.size, sizeof(*n.vals));
	for (i = 0; i < m->size; i++) {
		if (m->keys[i]) {
			size_t j = strmap_slot(&n, m->keys[i],
					       strlen(m->keys[i]));
			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
			n.nr++;
		}
	}
	free(m->keys);
	free(m->vals);
	*m = n;
}

void strmap_put(struct strmap *m, const char *key, void *val)
{
	size_t i;

	if ((m->nr + 1) * 2 > m->size)
		strmap_grow(m);
	i = strmap_slot(m, key, strlen(key));
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->nr++;
	}
	m->vals[i] = val;
}

void strmap_release(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->size = m->nr = 0;
}

/* ---- interner ---- */

const char *intern_len(struct interner *in, const char *s, size_t len)
{
	char stack[256], *tmp = len < sizeof(stack) ? stack : xmalloc(len + 1);
	const char *found;
	char *copy;

	memcpy(tmp, s, len);
	tmp[len] = '\0';
	found = strmap_get(&in->map, tmp);
	if (!found) {
		copy = arena_strndup(&in->arena, s, len);
		strmap_put(&in->map, copy, copy);
		found = copy;
	}
	if (tmp != stack)
		free(tmp);
	return found;
}

const char *intern(struct interner *in, const char *s)
{
	return intern_len(in, s, strlen(s));
}

void interner_release(struct interner *in)
{
	strmap_release(&in->map);
	arena_release(&in->arena);
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Regular files and pipes end; a device or a directory may not. */
static int readable_kind(FILE *f, const char *path, size_t limit,
			 size_t *size, struct ss_err *err)
{
	struct stat st;

	*size = 0;
	if (fstat(fileno(f), &st))
		return ss_error(err, "cannot read '%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
		return ss_error(err, "cannot read '%s': not a regular file", path);
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > limit)
		return ss_error(err, "cannot read '%s': larger than %zu MiB", path,
				limit >> 20);
	if (S_ISREG(st.st_mode))
		*size = st.st_size;
	return 0;
}

char *read_stream(FILE *f, const char *path, size_t limit, size_t *len,
		  struct ss_err *err)
{
	size_t n = 0, alloc = 0, got;
	char *buf = NULL;

	if (readable_kind(f, path, limit, &alloc, err))
		return NULL;
	alloc += 4096 + 1;	/* a regular file's size, and room for EOF */
	buf = xmalloc(alloc);
	do {
		if (n + 4096 + 1 > alloc)
			ALLOC_GROW(buf, n + 4096 + 1, alloc);
		got = fread(buf + n, 1, alloc - n - 1, f);
		n += got;
	} while (got && n <= limit);
	if (ferror(f) || n > limit) {
		if (n > limit)
			ss_error(err, "cannot read '%s': larger than %zu MiB", path,
				 limit >> 20);
		else
			ss_error(err, "cannot read '%s': %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char *read_file_max(const char *path, size_t limit, size_t *len,
		    struct ss_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf;

	if (!f) {
		ss_error(err, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	buf = read_stream(f, f == stdin ? "<stdin>" : path, limit, len, err);
	if (f != stdin)
		fclose(f);
	return buf;
}

char *read_file(const char *path, struct ss_err *err)
{
	return read_file_max(path, READ_FILE_MAX, NULL, err);
}

const char *arena_realpath(struct arena *a, const char *dir, const char *f)
{
	char buf[PATH_MAX], *real;
	const char *res;

	if (f[0] != '/' && dir) {
		snprintf(buf, sizeof(buf), "%s/%s", dir, f);
		f = buf;
	}
	real = realpath(f, NULL);
	res = arena_strdup(a, real ? real : f);
	free(real);
	return res;
}

/* Compare dotted versions: <0, 0, >0. */
int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if ((!*a || *a == ' ') && (!*b || *b == ' '))
			break;
	}
	return 0;
}

const char *path_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}
