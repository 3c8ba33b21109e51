/*
 * util.h: the small helpers every splitsafe module uses: error reporting into
 * a caller-owned buffer, checked allocation, growable arrays, arenas and a
 * string-keyed hash map.
 *
 * Ownership: an arena owns every block it hands out until arena_release();
 * a strmap owns neither its keys nor its values.
 */
#ifndef SPLITSAFE_UTIL_H
#define SPLITSAFE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>

/* An error message travels up to the CLI, which alone prints it. */
struct ss_err {
	char msg[1024];
};

/* Format into err (if non-NULL) and return -1, so a failure is one line. */
int ss_error(struct ss_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The number of elements of an array (not a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Grow arr so that it holds at least nr elements (git's ALLOC_GROW). */
#define ALLOC_GROW(arr, nr, alloc)                                           \
	do {                                                                 \
		if ((size_t)(nr) > (size_t)(alloc)) {                        \
			size_t n_ = (alloc) ? (size_t)(alloc) * 2 : 16;      \
			if (n_ < (size_t)(nr))                               \
				n_ = (nr);                                   \
			(arr) = xrealloc((arr), n_ * sizeof(*(arr)));        \
			(alloc) = n_;                                        \
		}                                                            \
	} while (0)

/* Arena: many small allocations freed together. */
struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used;		/* bytes used in head */
	size_t total;		/* bytes handed out, for statistics */
};
#define ARENA_INIT { NULL, 0, 0 }

void *arena_alloc(struct arena *a, size_t size);	/* zeroed, 8-aligned */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

/* Open-addressing map from NUL-terminated string to pointer. */
struct strmap {
	const char **keys;
	void **vals;
	size_t size;		/* slots, a power of two */
	size_t nr;
};
#define STRMAP_INIT { NULL, NULL, 0, 0 }

uint64_t str_hash(const char *s, size_t len);
void *strmap_get(const struct strmap *m, const char *key);
/* Insert or replace; key must outlive the map. */
void strmap_put(struct strmap *m, const char *key, void *val);
void strmap_release(struct strmap *m);

/*
 * The value of key in m; when there is none, a new zeroed block of size
 * bytes from arena a, put in m under key (which must outlive m), and *made
 * is set so that the caller fills the block in and lists it (else 0).
 */
static inline void *strmap_get_or_make(struct strmap *m, const char *key,
				       struct arena *a, size_t size, int *made)
{
	void *val = strmap_get(m, key);

	*made = !val;
	if (!val) {
		val = arena_alloc(a, size);
		strmap_put(m, key, val);
	}
	return val;
}

/*
 * Interner: one copy of each string, so that equal names compare equal as
 * pointers.  Not thread-safe: only the graph builder interns.
 */
struct interner {
	struct strmap map;
	struct arena arena;
};
#define INTERNER_INIT { STRMAP_INIT, ARENA_INIT }
const char *intern(struct interner *in, const char *s);
const char *intern_len(struct interner *in, const char *s, size_t len);
void interner_release(struct interner *in);

/* Bit sets of a fixed word count, stored in caller memory. */
static inline int bit_test(const uint64_t *w, unsigned i)
{
	return (w[i / 64] >> (i % 64)) & 1;
}
static inline void bit_set(uint64_t *w, unsigned i)
{
	w[i / 64] |= (uint64_t)1 << (i % 64);
}

double now_seconds(void);

/* The part of path p after its last slash. */
const char *path_basename(const char *p);

/* Compare dotted versions ("19.1.7"): <0, 0, >0; a space ends one. */
int version_cmp(const char *a, const char *b);

/* Path f, made absolute against dir when relative (and dir is given),
 * with symlinks resolved if it exists; as joined otherwise.  In a. */
const char *arena_realpath(struct arena *a, const char *dir, const char *f);

/*
 * Inputs are bounded: a whole file is read only from a regular file or a
 * pipe, and only up to a limit, so that /dev/zero or a runaway generator
 * is one error, not the machine's memory.
 */
#define READ_FILE_MAX ((size_t)256 << 20)	/* read_file()'s limit */

/* A whole file ("-": standard input) of at most limit bytes, NUL-terminated
 * and malloc'd, its length in *len (if len; a NUL byte in the file makes it
 * differ from strlen()); NULL with err set, naming path. */
char *read_file_max(const char *path, size_t limit, size_t *len,
		    struct ss_err *err);

/* The same from the open stream f, which path names in errors. */
char *read_stream(FILE *f, const char *path, size_t limit, size_t *len,
		  struct ss_err *err);

/* read_file_max(path, READ_FILE_MAX, NULL, err). */
char *read_file(const char *path, struct ss_err *err);

#endif
