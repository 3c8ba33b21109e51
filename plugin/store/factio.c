/*
 * factio.c: facts as bytes (see factio.h).
 *
 * Layout: "SSF3", the XXH64 of every byte after it (8 bytes, little
 * endian), the string table (count, then length and bytes of each; string
 * 0 is NULL), then the payload: unsigned LEB128 numbers, signed ones
 * zigzagged, strings as table indices.  What a record of the payload
 * holds, and in which order, is said once, in its FORMAT_ list below.
 *
 * The checksum catches bytes damaged in the store; the reader still checks
 * every count and index it reads against what it has, so that no blob,
 * however made, can send a later stage outside an array.
 */
#include "store/factio.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAGIC "SSF3"
#define HEAD 12		/* magic and checksum */

/* A counted array as bytes: its length, then each element by put/get. */
#define PUT_EACH(w, v, nr, put) do {					\
	int i_;								\
	put_uv(w, nr);							\
	for (i_ = 0; i_ < (nr); i_++)					\
		put(w, &(v)[i_]);					\
} while (0)
#define GET_EACH(r, v, nr, get) do {					\
	int i_;								\
	(nr) = get_count(r);						\
	(v) = get_array(r, (nr), sizeof(*(v)));				\
	for (i_ = 0; i_ < (nr) && !(r)->bad; i_++)			\
		get(r, &(v)[i_]);					\
} while (0)

/* v[0] to v[nr - 1], each a number or string k (uv, sv, str); no count. */
#define PUT_ITEMS(w, v, nr, k) do {					\
	int i_;								\
	for (i_ = 0; i_ < (int)(nr); i_++)				\
		put_##k(w, (v)[i_]);					\
} while (0)
#define GET_ITEMS(r, v, nr, k) do {					\
	int i_;								\
	for (i_ = 0; i_ < (int)(nr) && !(r)->bad; i_++)			\
		(v)[i_] = get_##k(r);					\
} while (0)

enum { KIND_TU, KIND_UNIT, KIND_WHOLE };

/* ---- numbers and strings ---- */

struct writer {
	struct blob body;
	size_t alloc;
	struct strmap index;	/* string -> its index */
	const char **strs;
	int nr_strs, alloc_strs;
	const struct rules *rules;
	struct arena tmp;	/* strings made while writing */
};

static void put_bytes(struct blob *b, size_t *alloc, const void *p, size_t n)
{
	if (b->len + n > *alloc) {
		*alloc = (b->len + n) * 2 + 256;
		b->p = xrealloc(b->p, *alloc);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void put_uv_to(struct blob *b, size_t *alloc, uint64_t v)
{
	unsigned char buf[10];
	int n = 0;

	do {
		buf[n] = v & 0x7f;
		v >>= 7;
		if (v)
			buf[n] |= 0x80;
		n++;
	} while (v);
	put_bytes(b, alloc, buf, n);
}

static void put_uv(struct writer *w, uint64_t v)
{
	put_uv_to(&w->body, &w->alloc, v);
}

static void put_sv(struct writer *w, int64_t v)
{
	put_uv(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_str(struct writer *w, const char *s)
{
	uintptr_t i;

	if (!s) {
		put_uv(w, 0);
		return;
	}
	i = (uintptr_t)strmap_get(&w->index, s);
	if (!i) {
		ALLOC_GROW(w->strs, w->nr_strs + 1, w->alloc_strs);
		w->strs[w->nr_strs++] = s;
		i = w->nr_strs;
		strmap_put(&w->index, s, (void *)i);
	}
	put_uv(w, i);
}

struct reader {
	const unsigned char *p, *end;
	const char **strs;
	uint64_t nr_strs;
	const struct rules *rules;
	struct arena *arena;
	int bad;
};

static uint64_t get_uv(struct reader *r)
{
	uint64_t v = 0;
	int shift = 0;

	while (r->p < r->end && shift < 64) {
		unsigned char b = *r->p++;

		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
	r->bad = 1;
	return 0;
}

static int64_t get_sv(struct reader *r)
{
	uint64_t v = get_uv(r);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static const char *get_str(struct reader *r)
{
	uint64_t i = get_uv(r);

	if (i > r->nr_strs) {
		r->bad = 1;
		return NULL;
	}
	return i ? r->strs[i - 1] : NULL;
}

/* A count, bounded by what is left so that bad bytes cannot allocate. */
static int get_count(struct reader *r)
{
	uint64_t n = get_uv(r);

	if (n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return 0;
	}
	return (int)n;
}

static void *get_array(struct reader *r, int n, size_t size)
{
	return arena_alloc(r->arena, (n + 1) * size);
}

/* ---- records ---- */

/*
 * Each FORMAT_x lists the members of one struct in the order they are in
 * the bytes.  RECORDS is expanded twice, with ENTRY defined first to
 * write each entry (WRITE_*) and then to read it (READ_*), into put_x(w, p)
 * and get_x(r, p) for every record x, so that a record's format is written
 * down only here.
 *
 * The entries (p is the record; rules are the ones the blob is under):
 *
 *   FIELD(k, m)	p->m as a number or string: k is uv, sv or str
 *   REC(x, m)		p->m, itself a record x
 *   EACH(x, v, nr)	p->nr, then p->v[0 .. nr - 1], each a record x
 *   ARRAY(k, v, nr)	p->nr, then p->v[0 .. nr - 1], each as k
 *   FIXED(k, v)	every element of the array p->v, each as k; no count
 *   BITS(a, b)		one-bit members a and b as one number, a lowest
 *   ENUM(m, lo, hi)	p->m as uv; reading rejects one outside lo..hi
 *   INDEX(m, v, nr)	p->m, a pointer into rules->v, as its index;
 *			reading rejects one not below rules->nr
 *   VALID(fn)		reading only: fn(r, p) checks what was read
 *
 * A counted array's count is bounded by the bytes left (get_count).  A
 * number read is assigned to its member as C converts it (a one-bit
 * member keeps the lowest bit).  Once r->bad is set the blob is rejected
 * as a whole, so what is read after it need only stay inside the bytes.
 */

static int in_range(int v, int lo, int n)
{
	return v >= lo && v < n;
}

/* Every index a function holds points inside what it has. */
static void check_func(struct reader *r, const struct fact_func *f)
{
	int i, j, ok = in_range(f->sleep_call, -1, f->nr_calls) &&
		       in_range(f->exit_dom, -1, f->nr_calls);

	for (i = 0; i < f->nr_sites; i++)
		ok &= in_range(f->sites[i].context, 0, r->rules->nr_contexts);
	for (i = 0; i < f->nr_calls; i++) {
		const struct fact_call *c = &f->calls[i];

		ok &= in_range(c->dom, -1, f->nr_calls);
		for (j = 0; j < c->nr_held; j++)
			ok &= in_range(c->held[j], 0, f->nr_sites);
	}
	for (i = 0; i < RULES_MAX_PHASES && f->nr_checks; i++)
		ok &= in_range(f->stop_check[i], -1, f->nr_checks);
	if (!ok)
		r->bad = 1;
}

/* A file read is named. */
static void dep_named(struct reader *r, const struct fact_dep *d)
{
	if (!d->path)
		r->bad = 1;
}

#define FORMAT_loc							\
	FIELD(str, file)						\
	FIELD(uv, line)							\
	FIELD(uv, col)

#define FORMAT_site							\
	FIELD(sv, context)						\
	FIELD(str, key)							\
	FIELD(str, prim)						\
	REC(loc, loc)							\
	FIELD(uv, is_assert)

#define FORMAT_call							\
	FIELD(str, callee)						\
	FIELD(str, via)							\
	FIELD(str, via_text)						\
	FIELD(str, callee_file)						\
	FIELD(str, text)						\
	FIELD(str, gfp_flag)						\
	REC(loc, loc)							\
	ARRAY(sv, held, nr_held)					\
	FIELD(sv, dom)							\
	FIELD(uv, phases)						\
	FIELD(uv, leaky)						\
	FIELD(uv, misled)						\
	FIELD(uv, need_zero)						\
	FIELD(uv, need_nonzero)						\
	FIELD(uv, arg_zero)						\
	FIELD(uv, arg_nonzero)						\
	FIELD(uv, reached)

#define FORMAT_guard							\
	FIELD(str, predicate)						\
	FIELD(uv, negated)						\
	REC(loc, loc)

#define FORMAT_check							\
	INDEX(pred, boot.preds, boot.nr_preds)				\
	REC(loc, loc)							\
	FIELD(uv, is_call)						\
	FIELD(str, assertion)						\
	FIELD(str, fails)

#define FORMAT_func							\
	FIELD(str, name)						\
	REC(loc, loc)							\
	FIELD(uv, end_line)						\
	FIELD(str, key)							\
	BITS(is_static, boot_only)					\
	EACH(site, sites, nr_sites)					\
	EACH(call, calls, nr_calls)					\
	EACH(guard, guards, nr_guards)					\
	FIELD(sv, sleep_call)						\
	FIELD(sv, exit_dom)						\
	FIXED(sv, stop_check)						\
	EACH(check, checks, nr_checks)					\
	VALID(check_func)

#define FORMAT_reg							\
	ENUM(how, HOW_DESIGNATED, HOW_MACRO)				\
	BITS(cocci, alt)						\
	INDEX(rule, registrations, nr_registrations)			\
	FIELD(str, callback)						\
	FIELD(str, callback_file)					\
	REC(loc, loc)

#define FORMAT_store							\
	ENUM(how, HOW_DESIGNATED, HOW_MACRO)				\
	FIELD(uv, cocci)						\
	FIELD(str, key)							\
	FIELD(str, func)						\
	FIELD(str, func_file)						\
	FIELD(str, from)						\
	REC(loc, loc)

/* The head of every blob, after its kind (KIND_*). */
#define FORMAT_head							\
	FIELD(str, file)						\
	FIELD(uv, nr_errors)						\
	FIELD(str, first_error)						\
	FIELD(uv, failed)

/*
 * Only in a whole TU: a function's ranges of the TU's regs and stores
 * (checked against the TU by get_whole_rest), and the files it read.
 */
#define FORMAT_span							\
	FIELD(uv, first_reg)						\
	FIELD(uv, nr_regs)						\
	FIELD(uv, first_store)						\
	FIELD(uv, nr_stores)

#define FORMAT_dep							\
	FIELD(str, path)						\
	FIELD(uv, size)							\
	FIELD(uv, hash)							\
	VALID(dep_named)

/* A record before the records it holds. */
#define RECORDS								\
	RECORD(loc, fact_loc)						\
	RECORD(site, fact_site)						\
	RECORD(call, fact_call)						\
	RECORD(guard, fact_guard)					\
	RECORD(check, fact_check)					\
	RECORD(func, fact_func)						\
	RECORD(reg, fact_reg)						\
	RECORD(store, fact_store)					\
	RECORD(head, fact_tu)						\
	RECORD(span, fact_func)						\
	RECORD(dep, fact_dep)

/* Each entry as ENTRY(kind, ...), which says whether to write or read. */
#define FIELD(k, m)		ENTRY(FIELD, k, m)
#define REC(x, m)		ENTRY(REC, x, m)
#define EACH(x, v, nr)		ENTRY(EACH, x, v, nr)
#define ARRAY(k, v, nr)		ENTRY(ARRAY, k, v, nr)
#define FIXED(k, v)		ENTRY(FIXED, k, v)
#define BITS(a, b)		ENTRY(BITS, a, b)
#define ENUM(m, lo, hi)		ENTRY(ENUM, m, lo, hi)
#define INDEX(m, v, nr)		ENTRY(INDEX, m, v, nr)
#define VALID(fn)		ENTRY(VALID, fn)

/* Writing an entry, in put_x(): p, and the writer w. */
#define WRITE_FIELD(k, m)	put_##k(w, p->m);
#define WRITE_REC(x, m)		put_##x(w, &p->m);
#define WRITE_EACH(x, v, nr)	PUT_EACH(w, p->v, p->nr, put_##x);
#define WRITE_ARRAY(k, v, nr)	put_uv(w, p->nr); PUT_ITEMS(w, p->v, p->nr, k);
#define WRITE_FIXED(k, v)	PUT_ITEMS(w, p->v, ARRAY_SIZE(p->v), k);
#define WRITE_BITS(a, b)	put_uv(w, p->a | p->b << 1);
#define WRITE_ENUM(m, lo, hi)	put_uv(w, p->m);
#define WRITE_INDEX(m, v, nr)	put_uv(w, p->m - w->rules->v);
#define WRITE_VALID(fn)

/* Reading an entry, in get_x(): p, and the reader r. */
#define READ_FIELD(k, m)	p->m = get_##k(r);
#define READ_REC(x, m)		get_##x(r, &p->m);
#define READ_EACH(x, v, nr)	GET_EACH(r, p->v, p->nr, get_##x);
#define READ_ARRAY(k, v, nr)						\
	p->nr = get_count(r);						\
	p->v = get_array(r, p->nr, sizeof(*p->v));			\
	GET_ITEMS(r, p->v, p->nr, k);
#define READ_FIXED(k, v)	GET_ITEMS(r, p->v, ARRAY_SIZE(p->v), k);
#define READ_BITS(a, b) {						\
	uint64_t bits_ = get_uv(r);					\
	p->a = bits_ & 1;						\
	p->b = (bits_ >> 1) & 1;					\
}
#define READ_ENUM(m, lo, hi)						\
	p->m = get_uv(r);						\
	if (!in_range(p->m, lo, (hi) + 1))				\
		r->bad = 1;
#define READ_INDEX(m, v, nr) {						\
	uint64_t i_ = get_uv(r);					\
	if (i_ < (uint64_t)r->rules->nr)				\
		p->m = &r->rules->v[i_];				\
	else								\
		r->bad = 1;						\
}
#define READ_VALID(fn)		if (!r->bad) fn(r, p);

/* put_x() for every record x... */
#define ENTRY(kind, ...)	WRITE_##kind(__VA_ARGS__)
#define RECORD(x, type)							\
static void put_##x(struct writer *w, const struct type *p)		\
{									\
	FORMAT_##x							\
}
RECORDS
#undef ENTRY
#undef RECORD

/* ...and get_x() from the same list. */
#define ENTRY(kind, ...)	READ_##kind(__VA_ARGS__)
#define RECORD(x, type)							\
static void get_##x(struct reader *r, struct type *p)			\
{									\
	FORMAT_##x							\
}
RECORDS
#undef ENTRY
#undef RECORD

/* ---- writing ---- */

static void put_strs(struct writer *w, const char *const *v, int n)
{
	int i;

	put_uv(w, n);
	for (i = 0; i < n; i++)
		put_str(w, v[i]);
}

/*
 * Header function keys, "name@path": name and path apart, so that the
 * path, shared by hundreds of keys, is in the string table once.
 */
static void put_keys(struct writer *w, const char *const *v, int n)
{
	char buf[512];
	int i;

	put_uv(w, n);
	for (i = 0; i < n; i++) {
		const char *at = strchr(v[i], '@');
		size_t len = at ? (size_t)(at - v[i]) : strlen(v[i]);

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, v[i], len);
		buf[len] = '\0';
		put_str(w, arena_strdup(&w->tmp, buf));
		put_str(w, at ? at + 1 : NULL);
	}
}

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void factio_seal(unsigned char *p, size_t len)
{
	if (len >= HEAD)
		put_le64(p + 4, XXH64(p + HEAD, len - HEAD, 0));
}

int factio_intact(const unsigned char *p, size_t len)
{
	return p && len >= HEAD && !memcmp(p, MAGIC, 4) &&
	       get_le64(p + 4) == XXH64(p + HEAD, len - HEAD, 0);
}

/* The string table, then the body: the blob. */
static void finish(struct writer *w, struct blob *out)
{
	size_t alloc = 0;
	int i;

	memset(out, 0, sizeof(*out));
	put_bytes(out, &alloc, MAGIC "\0\0\0\0\0\0\0\0", HEAD);
	put_uv_to(out, &alloc, w->nr_strs);
	for (i = 0; i < w->nr_strs; i++) {
		size_t n = strlen(w->strs[i]);

		put_uv_to(out, &alloc, n);
		put_bytes(out, &alloc, w->strs[i], n);
	}
	put_bytes(out, &alloc, w->body.p, w->body.len);
	factio_seal(out->p, out->len);
	free(w->body.p);
	free(w->strs);
	strmap_release(&w->index);
	arena_release(&w->tmp);
}

/* Per reg (or store) index: made in the body of a header function. */
static char *in_header(const struct fact_tu *t, int regs)
{
	int n = regs ? t->nr_regs : t->nr_stores, i, j;
	char *mark = xcalloc(n + 1, 1);

	for (i = 0; i < t->nr_funcs; i++) {
		const struct fact_func *f = &t->funcs[i];
		int first = regs ? f->first_reg : f->first_store;
		int nr = regs ? f->nr_regs : f->nr_stores;

		if (f->key)
			for (j = first; j < first + nr && j < n; j++)
				mark[j] = 1;
	}
	return mark;
}

static void put_tu_header(struct writer *w, const struct fact_tu *t, int kind)
{
	put_uv(w, kind);
	put_head(w, t);
}

/* Per function index: defined in a header (it has a unit of its own). */
static char *header_funcs(const struct fact_tu *t)
{
	char *mark = xcalloc(t->nr_funcs + 1, 1);
	int i;

	for (i = 0; i < t->nr_funcs; i++)
		mark[i] = t->funcs[i].key != NULL;
	return mark;
}

/* The elements of v that mark[] does not mark: their count, then each. */
#define PUT_UNMARKED(w, v, nr, mark, put) do {				\
	int i_, n_ = 0;							\
	for (i_ = 0; i_ < (nr); i_++)					\
		n_ += !(mark)[i_];					\
	put_uv(w, n_);							\
	for (i_ = 0; i_ < (nr); i_++)					\
		if (!(mark)[i_])					\
			put(w, &(v)[i_]);				\
} while (0)

void factio_encode_tu(const struct fact_tu *t, const struct rules *r,
		      struct blob *out)
{
	struct writer w = { .rules = r };
	char *hfunc = header_funcs(t);
	char *hreg = in_header(t, 1), *hstore = in_header(t, 0);

	put_tu_header(&w, t, KIND_TU);
	PUT_UNMARKED(&w, t->funcs, t->nr_funcs, hfunc, put_func);
	PUT_UNMARKED(&w, t->regs, t->nr_regs, hreg, put_reg);
	PUT_UNMARKED(&w, t->stores, t->nr_stores, hstore, put_store);
	put_keys(&w, t->hkeys, t->nr_hkeys);
	put_strs(&w, t->seen, t->nr_seen);
	free(hfunc);
	free(hreg);
	free(hstore);
	finish(&w, out);
}

/* What the TU part leaves to the store's other columns and units. */
static void put_whole_rest(struct writer *w, const struct fact_tu *t)
{
	int i;

	for (i = 0; i < t->nr_funcs; i++)
		put_span(w, &t->funcs[i]);
	PUT_EACH(w, t->deps, t->nr_deps, put_dep);
}

void factio_encode_whole(const struct fact_tu *t, const struct rules *r,
			 struct blob *out)
{
	struct writer w = { .rules = r };

	put_tu_header(&w, t, KIND_WHOLE);
	PUT_EACH(&w, t->funcs, t->nr_funcs, put_func);
	PUT_EACH(&w, t->regs, t->nr_regs, put_reg);
	PUT_EACH(&w, t->stores, t->nr_stores, put_store);
	put_keys(&w, t->hkeys, t->nr_hkeys);
	put_strs(&w, t->seen, t->nr_seen);
	put_whole_rest(&w, t);
	finish(&w, out);
}

void factio_encode_unit(const struct fact_tu *t, int fi, const struct rules *r,
			struct blob *out)
{
	const struct fact_func *f = &t->funcs[fi];
	struct writer w = { .rules = r };

	put_tu_header(&w, t, KIND_UNIT);
	PUT_EACH(&w, f, 1, put_func);
	PUT_EACH(&w, t->regs + f->first_reg, f->nr_regs, put_reg);
	PUT_EACH(&w, t->stores + f->first_store, f->nr_stores, put_store);
	put_keys(&w, NULL, 0);
	put_strs(&w, NULL, 0);
	finish(&w, out);
}

/* ---- reading ---- */

static const char **get_keys(struct reader *r, int *nr)
{
	const char **v;
	int i;

	*nr = get_count(r);
	v = get_array(r, *nr, sizeof(*v));
	for (i = 0; i < *nr && !r->bad; i++) {
		const char *name = get_str(r), *path = get_str(r);

		v[i] = arena_printf(r->arena, "%s@%s", name ? name : "",
				    path ? path : "");
	}
	return v;
}

static const char **get_strs(struct reader *r, int *nr)
{
	const char **v;
	int i;

	*nr = get_count(r);
	v = get_array(r, *nr, sizeof(*v));
	for (i = 0; i < *nr && !r->bad; i++)
		if (!(v[i] = get_str(r)))
			r->bad = 1;
	return v;
}

static int read_table(struct reader *r)
{
	uint64_t i;

	if (!factio_intact(r->p, r->end - r->p))
		return -1;
	r->p += HEAD;
	r->nr_strs = get_count(r);
	r->strs = get_array(r, r->nr_strs, sizeof(*r->strs));
	for (i = 0; i < r->nr_strs && !r->bad; i++) {
		uint64_t n = get_uv(r);

		if (n > (uint64_t)(r->end - r->p)) {
			r->bad = 1;
			break;
		}
		r->strs[i] = arena_strndup(r->arena, (const char *)r->p, n);
		r->p += n;
	}
	return r->bad ? -1 : 0;
}

static int range_ok(int first, int nr, int total)
{
	return first >= 0 && nr >= 0 && first <= total && nr <= total - first;
}

static void get_whole_rest(struct reader *r, struct fact_tu *t)
{
	int i;

	for (i = 0; i < t->nr_funcs && !r->bad; i++) {
		struct fact_func *f = &t->funcs[i];

		get_span(r, f);
		if (!range_ok(f->first_reg, f->nr_regs, t->nr_regs) ||
		    !range_ok(f->first_store, f->nr_stores, t->nr_stores))
			r->bad = 1;
	}
	GET_EACH(r, t->deps, t->nr_deps, get_dep);
}

static void read_body(struct reader *r, struct fact_tu *t)
{
	uint64_t kind = get_uv(r);	/* the layout is the same, but... */

	get_head(r, t);
	GET_EACH(r, t->funcs, t->nr_funcs, get_func);
	GET_EACH(r, t->regs, t->nr_regs, get_reg);
	GET_EACH(r, t->stores, t->nr_stores, get_store);
	t->hkeys = get_keys(r, &t->nr_hkeys);
	t->seen = get_strs(r, &t->nr_seen);
	if (kind == KIND_WHOLE && !r->bad)
		get_whole_rest(r, t);	/* ...a whole TU has the rest */
	else if (kind > KIND_WHOLE)
		r->bad = 1;
}

int factio_decode(const unsigned char *p, size_t len, const struct rules *rules,
		  struct fact_tu *out, struct ss_err *err)
{
	struct reader r;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.end = p + len;
	r.rules = rules;
	r.arena = &out->arena;
	if (read_table(&r))
		r.bad = 1;
	else
		read_body(&r, out);
	if (r.bad || r.p != r.end) {
		facts_tu_release(out);
		return ss_error(err, "malformed facts (%zu bytes)", len);
	}
	return 0;
}
