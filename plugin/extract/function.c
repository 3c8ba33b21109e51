/*
 * function.c: one function definition to facts.  Its body is lowered to
 * the cflow IR, solved, and what the solution says is copied into the
 * fact_func: sites, calls with the sites held at each, the parameters and
 * phases a call needs, the boot checks, and a sink's guards.
 *
 * Ownership: the builder's arrays are malloc'd and freed here; what the
 * fact_func keeps is copied into the TU's arena.
 */
#include "extract/lower.h"

#include <stdlib.h>
#include <string.h>

/* Per call: the parameters whose value decides whether it is made. */
static int call_needs(struct builder *b, struct fact_func *fn,
		      struct ss_err *err)
{
	uint32_t *nz, *nn;
	int i;

	if (!b->tr.nr || !fn->nr_calls)
		return 0;
	nz = xcalloc(fn->nr_calls, 2 * sizeof(*nz));
	nn = nz + fn->nr_calls;
	if (track_needs(&b->tr, &b->cf, nz, nn, err)) {
		free(nz);
		return -1;
	}
	for (i = 0; i < fn->nr_calls; i++) {
		fn->calls[i].need_zero = nz[i];
		fn->calls[i].need_nonzero = nn[i];
	}
	free(nz);
	return 0;
}

/* Is the function marked with a boot-only attribute macro (__init)? */
static int boot_only(struct tu_ctx *t, struct kids *k)
{
	char name[128];
	int i;

	for (i = 0; i < k->n; i++) {
		const struct rules_name *rn;
		struct file_info *fi;
		unsigned off;

		if (!clang_isAttribute(clang_getCursorKind(k->v[i])))
			continue;
		fi = src_loc(t, k->v[i], NULL, NULL, &off);
		if (src_ident_at(fi, off, name, sizeof(name)) &&
		    (rn = rules_lookup(t->rules, name)) && rn->boot_only)
			return 1;
	}
	return 0;
}

static void builder_init(struct builder *b, struct tu_ctx *t, CXCursor c)
{
	memset(b, 0, sizeof(*b));
	b->t = t;
	b->arena = t->arena;
	b->sleep_call = -1;
	cf_init(&b->cf, t->arena);
	track_init(&b->tr, c);
}

static void builder_release(struct builder *b)
{
	free(b->sites);
	free(b->calls);
	free(b->preds);
	free(b->checks);
	free(b->locals);
	track_release(&b->tr);
	strmap_release(&b->labels);
	arena_release(&b->label_names);
}

/*
 * The facts of function c (called name) that its declaration gives.
 * Returns its body, a null cursor if it has none.
 */
static CXCursor function_head(struct tu_ctx *t, CXCursor c, const char *name,
			      struct fact_func *fn)
{
	CXCursor body = clang_getNullCursor();
	struct kids k;
	int i;

	get_kids(c, &k);
	for (i = 0; i < k.n; i++)
		if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
			body = k.v[i];
	memset(fn, 0, sizeof(*fn));
	fn->name = arena_strdup(t->arena, name);
	src_set_loc(t, c, &fn->loc);
	fn->is_static = clang_getCursorLinkage(c) == CXLinkage_Internal;
	fn->boot_only = boot_only(t, &k);
	fn->sleep_call = -1;
	fn->exit_dom = -1;
	memset(fn->stop_check, -1, sizeof(fn->stop_check));
	free(k.v);
	return body;
}

/* The IR of the body, after the locks annotations say are held on entry. */
static void lower_body(struct builder *b, CXCursor c, CXCursor body)
{
	struct cf_node *held = context_annotation(b, c, body);

	b->cf.root = lower(b, body);
	if (held) {
		struct cf_node *seq = lower_node(b, CF_SEQ);

		cf_add(seq, held);
		if (b->cf.root)
			cf_add(seq, b->cf.root);
		b->cf.root = seq;
	}
}

/* Solve the IR; a malformed one is an error that names the function. */
static int solve(struct builder *b, struct fact_func *fn, struct ss_err *err)
{
	char msg[sizeof(err->msg)];

	track_finish(&b->tr, &b->cf);
	if (!cf_solve(&b->cf, err))
		return 0;
	memcpy(msg, err->msg, sizeof(msg));
	ss_error(err, "%s:%u: %s(): %s", fn->loc.file, fn->loc.line, fn->name,
		 msg);
	return -1;
}

/* The sites held where call is made, as indices, into fc. */
static void held_sites(struct builder *b, int call, int nr_sites,
		       struct fact_call *fc)
{
	const uint64_t *held = cf_held(&b->cf, call);
	int n = 0, j;

	for (j = 0; j < nr_sites; j++)
		n += bit_test(held, j);
	if (!n)
		return;
	fc->held = arena_alloc(b->arena, n * sizeof(int));
	for (j = 0; j < nr_sites; j++)
		if (bit_test(held, j))
			fc->held[fc->nr_held++] = j;
}

/* The sites and calls, with what the solution says of each, into fn. */
static void copy_solution(struct builder *b, struct fact_func *fn)
{
	int i;

	fn->nr_sites = b->cf.nr_sites;
	fn->sites = extract_copy(b->arena, b->sites, fn->nr_sites,
				 sizeof(*fn->sites));
	fn->nr_calls = b->cf.nr_calls;
	fn->calls = arena_alloc(b->arena,
				(fn->nr_calls + 1) * sizeof(*fn->calls));
	for (i = 0; i < fn->nr_calls; i++) {
		struct fact_call *fc = &fn->calls[i];

		*fc = b->calls[i];
		fc->reached = b->cf.call_reached[i];
		fc->dom = b->cf.call_dom[i];
		held_sites(b, i, fn->nr_sites, fc);
	}
	fn->sleep_call = b->sleep_call;
	fn->exit_dom = b->cf.exit_dom;
}

/*
 * The facts of function definition c (called name) into fn.  Returns 0,
 * or -1 with err set: its IR was malformed.
 */
int function_extract(struct tu_ctx *t, CXCursor c, const char *name,
		     struct fact_func *fn, struct ss_err *err)
{
	const struct rules_name *rn;
	struct builder b;
	CXCursor body;
	int ret = -1;

	builder_init(&b, t, c);
	body = function_head(t, c, name, fn);
	if (clang_Cursor_isNull(body)) {
		ret = 0;
		goto out;
	}
	lower_body(&b, c, body);
	if (solve(&b, fn, err))
		goto out;
	copy_solution(&b, fn);
	if (call_needs(&b, fn, err) || phases_of_calls(&b, fn, err))
		goto out;
	fn->checks = extract_copy_or_null(t->arena, b.checks, b.nr_checks,
					  sizeof(*fn->checks));
	fn->nr_checks = b.nr_checks;
	rn = rules_lookup(t->rules, name);
	if (rn && rn->sink)
		guards_of_sink(&b, body, fn);
	ret = 0;
out:
	builder_release(&b);
	return ret;
}
