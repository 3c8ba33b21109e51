/*
 * factio.c: facts as bytes (see factio.h).
 *
 * Layout: "SSF3", the XXH64 of every byte after it (8 bytes, little
 * endian), the string table (count, then length and bytes of each; string
 * 0 is NULL), then the payload: unsigned LEB128 numbers, signed ones
 * zigzagged, strings as table indices.
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

enum { KIND_TU, KIND_UNIT, KIND_WHOLE };

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

static void put_loc(struct writer *w, const struct fact_loc *l)
{
	put_str(w, l->file);
	put_uv(w, l->line);
	put_uv(w, l->col);
}

static void put_site(struct writer *w, const struct fact_site *s)
{
	put_sv(w, s->context);
	put_str(w, s->key);
	put_str(w, s->prim);
	put_loc(w, &s->loc);
	put_uv(w, s->is_assert);
}

static void put_call(struct writer *w, const struct fact_call *c)
{
	int i;

	put_str(w, c->callee);
	put_str(w, c->via);
	put_str(w, c->via_text);
	put_str(w, c->callee_file);
	put_str(w, c->text);
	put_str(w, c->gfp_flag);
	put_loc(w, &c->loc);
	put_uv(w, c->nr_held);
	for (i = 0; i < c->nr_held; i++)
		put_sv(w, c->held[i]);
	put_sv(w, c->dom);
	put_uv(w, c->phases);
	put_uv(w, c->leaky);
	put_uv(w, c->misled);
	put_uv(w, c->need_zero);
	put_uv(w, c->need_nonzero);
	put_uv(w, c->arg_zero);
	put_uv(w, c->arg_nonzero);
	put_uv(w, c->reached);
}

static void put_guard(struct writer *w, const struct fact_guard *g)
{
	put_str(w, g->predicate);
	put_uv(w, g->negated);
	put_loc(w, &g->loc);
}

static void put_func(struct writer *w, const struct fact_func *f)
{
	int i;

	put_str(w, f->name);
	put_loc(w, &f->loc);
	put_uv(w, f->end_line);
	put_str(w, f->key);
	put_uv(w, f->is_static | f->boot_only << 1);
	PUT_EACH(w, f->sites, f->nr_sites, put_site);
	PUT_EACH(w, f->calls, f->nr_calls, put_call);
	PUT_EACH(w, f->guards, f->nr_guards, put_guard);
	put_sv(w, f->sleep_call);
	put_sv(w, f->exit_dom);
	for (i = 0; i < RULES_MAX_PHASES; i++)
		put_sv(w, f->stop_check[i]);
	put_uv(w, f->nr_checks);
	for (i = 0; i < f->nr_checks; i++) {
		put_uv(w, f->checks[i].pred - w->rules->boot.preds);
		put_loc(w, &f->checks[i].loc);
		put_uv(w, f->checks[i].is_call);
		put_str(w, f->checks[i].assertion);
		put_str(w, f->checks[i].fails);
	}
}

static void put_reg(struct writer *w, const struct fact_reg *g)
{
	put_uv(w, g->how);
	put_uv(w, g->cocci | g->alt << 1);
	put_uv(w, g->rule - w->rules->registrations);
	put_str(w, g->callback);
	put_str(w, g->callback_file);
	put_loc(w, &g->loc);
}

static void put_store(struct writer *w, const struct fact_store *s)
{
	put_uv(w, s->how);
	put_uv(w, s->cocci);
	put_str(w, s->key);
	put_str(w, s->func);
	put_str(w, s->func_file);
	put_str(w, s->from);
	put_loc(w, &s->loc);
}

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
	put_str(w, t->file);
	put_uv(w, t->nr_errors);
	put_str(w, t->first_error);
	put_uv(w, t->failed);
}

void factio_encode_tu(const struct fact_tu *t, const struct rules *r,
		      struct blob *out)
{
	struct writer w = { .rules = r };
	char *hreg = in_header(t, 1), *hstore = in_header(t, 0);
	int i, n;

	put_tu_header(&w, t, KIND_TU);
	for (i = n = 0; i < t->nr_funcs; i++)
		n += !t->funcs[i].key;
	put_uv(&w, n);
	for (i = 0; i < t->nr_funcs; i++)
		if (!t->funcs[i].key)
			put_func(&w, &t->funcs[i]);
	for (i = n = 0; i < t->nr_regs; i++)
		n += !hreg[i];
	put_uv(&w, n);
	for (i = 0; i < t->nr_regs; i++)
		if (!hreg[i])
			put_reg(&w, &t->regs[i]);
	for (i = n = 0; i < t->nr_stores; i++)
		n += !hstore[i];
	put_uv(&w, n);
	for (i = 0; i < t->nr_stores; i++)
		if (!hstore[i])
			put_store(&w, &t->stores[i]);
	put_keys(&w, t->hkeys, t->nr_hkeys);
	put_strs(&w, t->seen, t->nr_seen);
	free(hreg);
	free(hstore);
	finish(&w, out);
}

/* What the TU part leaves to the store's other columns and units. */
static void put_whole_rest(struct writer *w, const struct fact_tu *t)
{
	int i;

	for (i = 0; i < t->nr_funcs; i++) {
		put_uv(w, t->funcs[i].first_reg);
		put_uv(w, t->funcs[i].nr_regs);
		put_uv(w, t->funcs[i].first_store);
		put_uv(w, t->funcs[i].nr_stores);
	}
	put_uv(w, t->nr_deps);
	for (i = 0; i < t->nr_deps; i++) {
		put_str(w, t->deps[i].path);
		put_uv(w, t->deps[i].size);
		put_uv(w, t->deps[i].hash);
	}
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
	int i;

	put_tu_header(&w, t, KIND_UNIT);
	put_uv(&w, 1);
	put_func(&w, f);
	put_uv(&w, f->nr_regs);
	for (i = f->first_reg; i < f->first_reg + f->nr_regs; i++)
		put_reg(&w, &t->regs[i]);
	put_uv(&w, f->nr_stores);
	for (i = f->first_store; i < f->first_store + f->nr_stores; i++)
		put_store(&w, &t->stores[i]);
	put_keys(&w, NULL, 0);
	put_strs(&w, NULL, 0);
	finish(&w, out);
}

/* ---- reading ---- */

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

static void get_loc(struct reader *r, struct fact_loc *l)
{
	l->file = get_str(r);
	l->line = get_uv(r);
	l->col = get_uv(r);
}

static void get_site(struct reader *r, struct fact_site *s)
{
	s->context = get_sv(r);
	s->key = get_str(r);
	s->prim = get_str(r);
	get_loc(r, &s->loc);
	s->is_assert = get_uv(r);
}

static void get_call(struct reader *r, struct fact_call *c)
{
	int i;

	c->callee = get_str(r);
	c->via = get_str(r);
	c->via_text = get_str(r);
	c->callee_file = get_str(r);
	c->text = get_str(r);
	c->gfp_flag = get_str(r);
	get_loc(r, &c->loc);
	c->nr_held = get_count(r);
	c->held = get_array(r, c->nr_held, sizeof(int));
	for (i = 0; i < c->nr_held; i++)
		c->held[i] = get_sv(r);
	c->dom = get_sv(r);
	c->phases = get_uv(r);
	c->leaky = get_uv(r);
	c->misled = get_uv(r);
	c->need_zero = (uint32_t)get_uv(r);
	c->need_nonzero = (uint32_t)get_uv(r);
	c->arg_zero = (uint32_t)get_uv(r);
	c->arg_nonzero = (uint32_t)get_uv(r);
	c->reached = get_uv(r);
}

static void get_checks(struct reader *r, struct fact_func *f)
{
	int i;

	f->nr_checks = get_count(r);
	f->checks = get_array(r, f->nr_checks, sizeof(*f->checks));
	for (i = 0; i < f->nr_checks; i++) {
		uint64_t p = get_uv(r);

		if (p >= (uint64_t)r->rules->boot.nr_preds) {
			r->bad = 1;
			return;
		}
		f->checks[i].pred = &r->rules->boot.preds[p];
		get_loc(r, &f->checks[i].loc);
		f->checks[i].is_call = get_uv(r);
		f->checks[i].assertion = get_str(r);
		f->checks[i].fails = get_str(r);
	}
}

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

static void get_guard(struct reader *r, struct fact_guard *g)
{
	g->predicate = get_str(r);
	g->negated = get_uv(r);
	get_loc(r, &g->loc);
}

static void get_func(struct reader *r, struct fact_func *f)
{
	unsigned flags;
	int i;

	f->name = get_str(r);
	get_loc(r, &f->loc);
	f->end_line = get_uv(r);
	f->key = get_str(r);
	flags = get_uv(r);
	f->is_static = flags & 1;
	f->boot_only = (flags >> 1) & 1;
	GET_EACH(r, f->sites, f->nr_sites, get_site);
	GET_EACH(r, f->calls, f->nr_calls, get_call);
	GET_EACH(r, f->guards, f->nr_guards, get_guard);
	f->sleep_call = get_sv(r);
	f->exit_dom = get_sv(r);
	for (i = 0; i < RULES_MAX_PHASES; i++)
		f->stop_check[i] = get_sv(r);
	get_checks(r, f);
	if (!r->bad)
		check_func(r, f);
}

static void get_reg(struct reader *r, struct fact_reg *g)
{
	uint64_t flags, rule;

	g->how = get_uv(r);
	if (!in_range(g->how, HOW_DESIGNATED, HOW_MACRO + 1))
		r->bad = 1;
	flags = get_uv(r);
	g->cocci = flags & 1;
	g->alt = (flags >> 1) & 1;
	rule = get_uv(r);
	if (rule >= (uint64_t)r->rules->nr_registrations) {
		r->bad = 1;
		return;
	}
	g->rule = &r->rules->registrations[rule];
	g->callback = get_str(r);
	g->callback_file = get_str(r);
	get_loc(r, &g->loc);
}

static void get_store(struct reader *r, struct fact_store *s)
{
	s->how = get_uv(r);
	if (!in_range(s->how, HOW_DESIGNATED, HOW_MACRO + 1))
		r->bad = 1;
	s->cocci = get_uv(r);
	s->key = get_str(r);
	s->func = get_str(r);
	s->func_file = get_str(r);
	s->from = get_str(r);
	get_loc(r, &s->loc);
}

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

		f->first_reg = get_uv(r);
		f->nr_regs = get_uv(r);
		f->first_store = get_uv(r);
		f->nr_stores = get_uv(r);
		if (!range_ok(f->first_reg, f->nr_regs, t->nr_regs) ||
		    !range_ok(f->first_store, f->nr_stores, t->nr_stores))
			r->bad = 1;
	}
	t->nr_deps = get_count(r);
	t->deps = get_array(r, t->nr_deps, sizeof(*t->deps));
	for (i = 0; i < t->nr_deps && !r->bad; i++) {
		t->deps[i].path = get_str(r);
		t->deps[i].size = get_uv(r);
		t->deps[i].hash = get_uv(r);
		if (!t->deps[i].path)
			r->bad = 1;
	}
}

static void read_body(struct reader *r, struct fact_tu *t)
{
	uint64_t kind = get_uv(r);	/* the layout is the same, but... */

	t->file = get_str(r);
	t->nr_errors = get_uv(r);
	t->first_error = get_str(r);
	t->failed = get_uv(r);
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
