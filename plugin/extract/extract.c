/*
 * extract.c: the TU driver.  facts_extract() visits the top level of a
 * parsed TU: each function definition it has to extract (in the main
 * file, or a header function this TU claims) goes to function.c; struct
 * definitions, file-scope variables and registration macros are looked
 * at on the way.  Then the TU's facts are completed: the functions, the
 * header keys, registrations, function pointer stores, the files read and
 * the rules names met.
 *
 * Ownership: the facts are in out->arena; the tu_ctx's own arrays and
 * maps are freed before facts_extract() returns.
 */
#define _GNU_SOURCE
#include "extract/extract.h"
#include "extract/lower.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* A name the rules use, met in this TU (for the rules coverage). */
void extract_saw(struct tu_ctx *t, const char *name)
{
	const struct rules_name *rn = name ? rules_lookup(t->rules, name) : NULL;

	if (rn)
		strmap_put(&t->seen, rn->name, (void *)rn);
}

/* n elements of size at v, copied into a: with a zeroed one after them. */
void *extract_copy(struct arena *a, const void *v, int n, size_t size)
{
	void *r = arena_alloc(a, (n + 1) * size);

	if (n)
		memcpy(r, v, n * size);
	return r;
}

/* The same without the zeroed element, and NULL when n is 0. */
void *extract_copy_or_null(struct arena *a, const void *v, int n,
			   size_t size)
{
	void *r;

	if (!n)
		return NULL;
	r = arena_alloc(a, n * size);
	memcpy(r, v, n * size);
	return r;
}

/* The canonical path of f, for the function pointer stores. */
static const char *path_of(void *data, CXFile f)
{
	return src_file(data, f)->path;
}

/* The line c ends on. */
static unsigned end_line(CXCursor c)
{
	unsigned line = 0;

	clang_getFileLocation(clang_getRangeEnd(clang_getCursorExtent(c)),
			      NULL, &line, NULL, NULL);
	return line;
}

/* The files a TU read, as clang_getInclusions() visits them. */
struct deps_walk {
	struct tu_ctx *t;
	struct fact_dep *v;
	int nr, alloc;
};

static void visit_inclusion(CXFile f, CXSourceLocation *stack, unsigned n,
			    CXClientData data)
{
	struct deps_walk *d = data;
	struct file_info *fi = src_file(d->t, f);

	ALLOC_GROW(d->v, d->nr + 1, d->alloc);
	d->v[d->nr].path = fi->path;
	d->v[d->nr].size = fi->size;
	d->v[d->nr++].hash = XXH64(fi->text ? fi->text : "", fi->size, 0);
}

/* Every file the TU read, for the facts store to tell when it changed. */
static void record_deps(struct tu_ctx *t)
{
	struct deps_walk d = { t, NULL, 0, 0 };

	clang_getInclusions(t->tu, visit_inclusion, &d);
	t->out->deps = extract_copy(t->arena, d.v, d.nr, sizeof(*d.v));
	t->out->nr_deps = d.nr;
	free(d.v);
}

/* The walk over a TU's top level: the functions extracted so far. */
struct top_walk {
	struct tu_ctx *t;
	facts_claim_fn claim;
	void *claim_data;
	struct fact_func *funcs;
	int nr, alloc;
	const char **hkeys;
	int nr_hkeys, alloc_hkeys;
	struct ss_err *err;
	int failed;
};

/* A top-level declaration that is not a function definition. */
static void visit_decl(struct tu_ctx *t, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXFile f;

	if (k == CXCursor_VarDecl)
		fnptr_var(&t->fp, c);
	if (k == CXCursor_StructDecl && clang_isCursorDefinition(c) &&
	    t->rules->nr_registrations)
		reg_saw_fields(t, c);
	if (!t->rules->nr_registrations)
		return;
	/* macro expansions count where they are written */
	clang_getFileLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	if (f && clang_File_isEqual(f, t->main))
		reg_macro_decl(t, c);
}

/*
 * The key of function c (called name) defined in header f, recorded for
 * the TU; NULL when another TU has claimed it.
 */
static const char *claimed_key(struct top_walk *w, CXCursor c, CXFile f,
			       const char *name)
{
	struct tu_ctx *t = w->t;
	int is_static = clang_getCursorLinkage(c) == CXLinkage_Internal;
	const char *key = arena_printf(t->arena, "%s@%s", name,
				       is_static ? src_file(t, f)->path : "");

	ALLOC_GROW(w->hkeys, w->nr_hkeys + 1, w->alloc_hkeys);
	w->hkeys[w->nr_hkeys++] = key;
	return w->claim(w->claim_data, key) ? key : NULL;
}

/* The facts of function definition c; key: its header key, or NULL. */
static void add_function(struct top_walk *w, CXCursor c, const char *name,
			 const char *key)
{
	struct tu_ctx *t = w->t;
	int first_reg = t->nr_regs, first_store = t->fp.nr_stores;
	struct fact_func *fn;

	ALLOC_GROW(w->funcs, w->nr + 1, w->alloc);
	fn = &w->funcs[w->nr];
	if (function_extract(t, c, name, fn, w->err)) {
		w->failed = 1;
		return;
	}
	fn->key = key;
	fn->end_line = end_line(c);
	fn->first_reg = first_reg;
	fn->nr_regs = t->nr_regs - first_reg;
	fn->first_store = first_store;
	fn->nr_stores = t->fp.nr_stores - first_store;
	w->nr++;
}

/* A function definition: extracted if it is in the main file or claimed. */
static void visit_function(struct top_walk *w, CXCursor c)
{
	struct tu_ctx *t = w->t;
	const char *key = NULL, *name;
	CXString s;
	CXFile f;

	clang_getFileLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	if (!f)
		return;
	s = clang_getCursorSpelling(c);
	name = clang_getCString(s);
	extract_saw(t, name);
	/* the body of a primitive is its implementation, not a caller */
	if (!name || context_primitive(t->rules, name))
		goto out;
	if (!clang_File_isEqual(f, t->main) &&
	    !(key = claimed_key(w, c, f, name)))
		goto out;
	add_function(w, c, name, key);
out:
	clang_disposeString(s);
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent,
					 CXClientData data)
{
	struct top_walk *w = data;

	if (clang_getCursorKind(c) == CXCursor_FunctionDecl &&
	    clang_isCursorDefinition(c))
		visit_function(w, c);
	else
		visit_decl(w->t, c);
	return w->failed ? CXChildVisit_Break : CXChildVisit_Continue;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The rules names met, sorted, into the TU's facts. */
static void seen_names(struct tu_ctx *t)
{
	struct fact_tu *out = t->out;
	size_t i;

	out->seen = arena_alloc(t->arena, (t->seen.nr + 1) * sizeof(*out->seen));
	for (i = 0; i < t->seen.size; i++)
		if (t->seen.keys && t->seen.keys[i])
			out->seen[out->nr_seen++] = arena_strdup(t->arena,
								 t->seen.keys[i]);
	qsort(out->seen, out->nr_seen, sizeof(*out->seen), by_name);
}

/* The errors libclang reported, and the first one as text. */
static void count_errors(struct tu_ctx *t)
{
	unsigned i, n = clang_getNumDiagnostics(t->tu);

	for (i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(t->tu, i);

		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			if (!t->out->nr_errors++) {
				CXString s = clang_formatDiagnostic(d,
					CXDiagnostic_DisplaySourceLocation |
					CXDiagnostic_DisplayColumn);

				t->out->first_error = arena_strdup(t->arena,
							clang_getCString(s));
				clang_disposeString(s);
			}
		}
		clang_disposeDiagnostic(d);
	}
}

static void tu_init(struct tu_ctx *t, struct fact_tu *out,
		    CXTranslationUnit tu, const char *main_file,
		    const char *dir, const struct rules *r)
{
	memset(t, 0, sizeof(*t));
	t->tu = tu;
	t->rules = r;
	t->dir = dir;
	t->out = out;
	t->arena = &out->arena;
	t->main = clang_getFile(tu, main_file);
	t->fp.arena = &out->arena;
	t->fp.path_of = path_of;
	t->fp.data = t;
}

/* What the walk found into the TU's facts; the walk's arrays freed. */
static void tu_finish(struct tu_ctx *t, struct top_walk *w)
{
	struct fact_tu *out = t->out;

	record_deps(t);
	out->hkeys = extract_copy(t->arena, w->hkeys, w->nr_hkeys,
				  sizeof(*w->hkeys));
	out->nr_hkeys = w->nr_hkeys;
	free(w->hkeys);
	out->funcs = extract_copy(t->arena, w->funcs, w->nr, sizeof(*w->funcs));
	out->nr_funcs = w->nr;
	free(w->funcs);
	out->regs = extract_copy_or_null(t->arena, t->regs, t->nr_regs,
					 sizeof(*t->regs));
	out->nr_regs = t->nr_regs;
	free(t->regs);
	out->stores = extract_copy_or_null(t->arena, t->fp.stores,
					   t->fp.nr_stores,
					   sizeof(*t->fp.stores));
	out->nr_stores = t->fp.nr_stores;
	seen_names(t);
}

int facts_extract(struct fact_tu *out, CXTranslationUnit tu,
		  const char *main_file, const char *dir, int index,
		  const struct rules *r, facts_claim_fn claim, void *claim_data,
		  struct ss_err *err)
{
	struct tu_ctx t;
	struct top_walk w;

	memset(out, 0, sizeof(*out));
	out->index = index;
	out->file = arena_strdup(&out->arena, main_file);
	tu_init(&t, out, tu, main_file, dir, r);
	count_errors(&t);
	memset(&w, 0, sizeof(w));
	w.t = &t;
	w.claim = claim;
	w.claim_data = claim_data;
	w.err = err;
	clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_top, &w);
	tu_finish(&t, &w);
	fnptr_release(&t.fp);
	free(t.files);
	strmap_release(&t.gfp_param);
	strmap_release(&t.seen);
	return w.failed ? -1 : 0;
}
