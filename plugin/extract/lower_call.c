/*
 * lower_call.c: a call to the cflow IR.  A context primitive becomes its
 * event, __builtin_expect() the condition it wraps; any other call is a
 * CF_CALL after its arguments, recorded as a fact_call: its callee (or
 * the function pointer it goes through), what it passes (constants,
 * allocation flags), whether the rules say it sleeps, the registrations
 * it makes, and the boot check it is.
 *
 * Ownership: calls grow the builder's b->calls; texts are in its arena.
 */
#include "extract/lower.h"

#include <stdlib.h>
#include <string.h>

/* The text of a call from its file location to the balancing ')'. */
static const char *call_text(struct builder *b, CXCursor c)
{
	unsigned off, end;
	struct file_info *fi = src_start(b->t, c, &off);
	int depth = 0;

	if (!fi || !fi->text)
		return NULL;
	for (end = off; end < fi->size && end - off < 200; end++) {
		char ch = fi->text[end];

		if (ch == '(')
			depth++;
		else if (ch == ')' && --depth == 0)
			return arena_strndup(b->arena, fi->text + off, end + 1 - off);
		else if (ch == ';' || ch == '{')
			break;
	}
	return NULL;
}

/* What a call is: the function called, the name written at the call. */
struct callee {
	CXCursor ref;		/* what the callee expression refers to */
	int direct;		/* ref is a function */
	CXString s;		/* owns name, if direct */
	const char *name;	/* the function called, or NULL */
	const char *written;	/* the name written at the call, or name */
	char wbuf[128];
	struct file_info *fi;	/* where the call is written */
	unsigned off;
	const struct rules_name *prim;	/* the primitive it is, or NULL */
	int by_macro;		/* prim is the macro written */
};

/*
 * The names of call c, and the context primitive it is: the macro the
 * caller wrote, if the rules name it, else the function called.  The
 * caller disposes of ce->s if ce->direct.
 */
static void callee_names(struct builder *b, CXCursor c, struct callee *ce)
{
	const struct rules *r = b->t->rules;

	ce->ref = clang_getCursorReferenced(c);
	ce->direct = !clang_Cursor_isNull(ce->ref) &&
		     clang_getCursorKind(ce->ref) == CXCursor_FunctionDecl;
	ce->name = NULL;
	ce->prim = NULL;
	ce->off = 0;
	if (ce->direct) {
		ce->s = clang_getCursorSpelling(ce->ref);
		ce->name = clang_getCString(ce->s);
	}
	ce->fi = src_loc(b->t, c, NULL, NULL, &ce->off);
	ce->written = src_ident_at(ce->fi, ce->off, ce->wbuf, sizeof(ce->wbuf));
	/* another name than the callee's: the macro the caller wrote */
	if (ce->written && ce->name && strcmp(ce->written, ce->name))
		ce->prim = context_primitive(r, ce->written);
	else
		ce->written = ce->name;
	ce->by_macro = ce->prim != NULL;
	extract_saw(b->t, ce->name);
	if (ce->written != ce->name)
		extract_saw(b->t, ce->written);
	if (!ce->prim)
		ce->prim = context_primitive(r, ce->name);
}

/* __builtin_expect(cond, v): the condition's value, then v's. */
static struct cf_node *lower_expect(struct builder *b, CXCursor c)
{
	struct cf_node *n;
	struct kids k;
	int i;

	get_kids(c, &k);
	n = lower_node(b, CF_TRANSPARENT);
	for (i = 1; i < k.n; i++)
		cf_add(n, lower_or_empty(b, lower(b, k.v[i])));
	free(k.v);
	return n;
}

/* The CF_CALL of c after its kids; the caller frees k->v. */
static struct cf_node *call_node(struct builder *b, CXCursor c,
				 struct kids *k)
{
	struct cf_node *n;
	int i;

	/* arguments (and the callee expression) are evaluated first */
	get_kids(c, k);
	n = lower_node(b, CF_CALL);
	for (i = 0; i < k->n; i++)
		lower_add(n, lower(b, k->v[i]));
	return n;
}

/* A new fact_call for the CF_CALL n. */
static struct fact_call *new_call(struct builder *b, struct cf_node *n)
{
	struct fact_call *fc;

	n->call = cf_new_call(&b->cf);
	ALLOC_GROW(b->calls, b->cf.nr_calls, b->alloc_calls);
	fc = &b->calls[n->call];
	memset(fc, 0, sizeof(*fc));
	return fc;
}

/* A call through a function pointer: resolved when the graph is whole. */
static struct cf_node *lower_indirect(struct builder *b, CXCursor c)
{
	struct fnptr_ref via = { 0 };
	struct fact_call *fc;
	struct cf_node *n;
	struct kids k;

	n = call_node(b, c, &k);
	if (k.n)
		fnptr_expr(&b->t->fp, k.v[0], &via);
	if (via.kind == FNPTR_KEY) {
		fc = new_call(b, n);
		fc->via = via.key;
		fc->via_text = src_expr_text(b->t, k.v[0]);
		src_set_loc(b->t, c, &fc->loc);
	}
	free(k.v);
	return n;
}

/* Does the rules say the function called, or the macro written, sleeps? */
static int sleeps(const struct rules *r, const struct callee *ce)
{
	const struct rules_name *rn = rules_lookup(r, ce->name);

	return (rn && rn->sleeps_at) ||
	       (ce->written && (rn = rules_lookup(r, ce->written)) &&
		rn->sleeps_at);
}

/* The arguments of c known to be zero, or non-zero, as bits. */
static void argument_values(CXCursor c, struct fact_call *fc)
{
	int nargs = clang_Cursor_getNumArguments(c), i;

	for (i = 0; i < nargs && i < TRACK_MAX_PARAMS; i++) {
		int v = track_arg_value(clang_Cursor_getArgument(c, i));

		if (v == 0)
			fc->arg_zero |= (uint32_t)1 << i;
		else if (v == 1)
			fc->arg_nonzero |= (uint32_t)1 << i;
	}
}

/* A call of a function: a fact_call, and the boot check it may be. */
static struct cf_node *lower_direct(struct builder *b, CXCursor c,
				    const struct callee *ce)
{
	const struct rules *r = b->t->rules;
	const struct rules_name *rn;
	struct fact_call *fc;
	struct cf_node *n;
	struct kids k;

	n = call_node(b, c, &k);
	free(k.v);
	fnptr_call_args(&b->t->fp, c, ce->ref);
	fc = new_call(b, n);
	fc->callee = arena_strdup(b->arena, ce->name);
	src_set_loc(b->t, c, &fc->loc);
	fc->callee_file = src_static_file(b->t, ce->ref);
	if (sleeps(r, ce)) {
		fc->text = call_text(b, c);
		if (b->sleep_call < 0)
			b->sleep_call = n->call;
	}
	argument_values(c, fc);
	fc->gfp_flag = gfp_call_flag(b, c, ce->ref, ce->name);
	reg_call(b, c, ce->name, ce->written, ce->fi, ce->off);
	rn = rules_lookup(r, ce->name);
	if (rn && rn->boot_pred && r->boot.nr_phases)
		n = boot_pred_node(b, rn->boot_pred, c, n);
	return n;
}

/* A call: a primitive's event, a condition, or a call the facts record. */
struct cf_node *lower_call(struct builder *b, CXCursor c)
{
	struct callee ce;
	struct cf_node *n;

	callee_names(b, c, &ce);
	if (ce.prim)
		n = context_event(b, c, ce.prim,
				  ce.by_macro ? ce.written : ce.name, ce.off,
				  ce.fi, ce.by_macro);
	else if (ce.name && !strncmp(ce.name, "__builtin_expect", 16))
		n = lower_expect(b, c);
	else if (!ce.direct)
		n = lower_indirect(b, c);
	else
		n = lower_direct(b, c, &ce);
	if (ce.direct)
		clang_disposeString(ce.s);
	return n;
}
