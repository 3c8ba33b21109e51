/*
 * track.c: tracked variables (see track.h).
 */
#include "extract/track.h"
#include "extract/kids.h"

#include <stdlib.h>
#include <string.h>

void track_init(struct tracker *tr, CXCursor fn)
{
	memset(tr, 0, sizeof(*tr));
	tr->fn = fn;
}

void track_release(struct tracker *tr)
{
	free(tr->v);
	free(tr->slot);
	memset(tr, 0, sizeof(*tr));
}

/* Integers, enums, pointers: values a condition can test as a whole. */
static int scalar(CXType t)
{
	CXType c = clang_getCanonicalType(t);

	if (clang_isVolatileQualifiedType(c))
		return 0;
	if (c.kind >= CXType_Bool && c.kind <= CXType_Int128)
		return 1;
	return c.kind == CXType_Pointer || c.kind == CXType_Enum;
}

static int param_index(const struct tracker *tr, CXCursor decl)
{
	int i, n = clang_Cursor_getNumArguments(tr->fn);

	for (i = 0; i < n; i++)
		if (clang_equalCursors(clang_Cursor_getArgument(tr->fn, i), decl))
			return i;
	return -1;
}

/* A local of the function with automatic storage. */
static int automatic(const struct tracker *tr, CXCursor decl)
{
	enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);

	if (sc != CX_SC_None && sc != CX_SC_Auto && sc != CX_SC_Register)
		return 0;
	return clang_equalCursors(clang_getCursorSemanticParent(decl), tr->fn);
}

/* Can decl be tracked?  Its parameter index into *param. */
static int trackable(const struct tracker *tr, CXCursor decl, int *param)
{
	enum CXCursorKind k = clang_getCursorKind(decl);

	*param = -1;
	if (k == CXCursor_ParmDecl) {
		*param = param_index(tr, decl);
		if (*param < 0)
			return 0;
	} else if (k != CXCursor_VarDecl || !automatic(tr, decl)) {
		return 0;
	}
	return scalar(clang_getCursorType(decl));
}

static void rehash(struct tracker *tr)
{
	unsigned n = tr->nr_slots ? tr->nr_slots * 2 : 64, i;
	int j;

	free(tr->slot);
	tr->slot = xcalloc(n, sizeof(*tr->slot));
	tr->nr_slots = n;
	for (j = 0; j < tr->nr; j++) {
		for (i = clang_hashCursor(tr->v[j].decl) & (n - 1); tr->slot[i];
		     i = (i + 1) & (n - 1))
			;
		tr->slot[i] = j + 1;
	}
}

/*
 * Every declaration asked about is remembered, trackable or not: a
 * function reads its structs and globals far more often than it has
 * variables.
 */
int track_var_of(struct tracker *tr, CXCursor decl)
{
	unsigned i, h = clang_hashCursor(decl);
	struct track_var *v;
	int param;

	if (tr->nr_slots)
		for (i = h & (tr->nr_slots - 1); tr->slot[i];
		     i = (i + 1) & (tr->nr_slots - 1)) {
			v = &tr->v[tr->slot[i] - 1];
			if (clang_equalCursors(v->decl, decl))
				return v->never ? -1 : tr->slot[i] - 1;
		}
	if ((unsigned)(tr->nr + 1) * 2 > tr->nr_slots)
		rehash(tr);
	ALLOC_GROW(tr->v, tr->nr + 1, tr->alloc);
	v = &tr->v[tr->nr];
	memset(v, 0, sizeof(*v));
	v->decl = decl;
	v->never = !trackable(tr, decl, &param);
	v->param = param;
	for (i = h & (tr->nr_slots - 1); tr->slot[i]; i = (i + 1) & (tr->nr_slots - 1))
		;
	tr->slot[i] = ++tr->nr;
	return v->never ? -1 : tr->nr - 1;
}

/* Through parentheses and implicit conversions (and casts if asked). */
static CXCursor strip(CXCursor c, int casts)
{
	for (;;) {
		enum CXCursorKind k = clang_getCursorKind(c);
		struct kids kids;
		CXCursor next;

		if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr &&
		    !(casts && k == CXCursor_CStyleCastExpr))
			return c;
		get_kids(c, &kids);
		if (!kids.n) {
			free(kids.v);
			return c;
		}
		/* the operand is the last kid (a cast may have a TypeRef) */
		next = kids.v[kids.n - 1];
		free(kids.v);
		if (clang_Cursor_isNull(next) || !clang_isExpression(clang_getCursorKind(next)))
			return c;
		c = next;
	}
}

int track_ref(struct tracker *tr, CXCursor expr)
{
	CXCursor c = strip(expr, 0), ref;

	if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
		return -1;
	ref = clang_getCursorReferenced(c);
	return clang_Cursor_isNull(ref) ? -1 : track_var_of(tr, ref);
}

static enum CXChildVisitResult escape_visit(CXCursor c, CXCursor parent,
					    CXClientData data)
{
	struct tracker *tr = data;
	int v;

	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
		CXCursor ref = clang_getCursorReferenced(c);
		enum CXCursorKind k = clang_getCursorKind(ref);

		v = k == CXCursor_VarDecl || k == CXCursor_ParmDecl ?
		    track_var_of(tr, ref) : -1;
		if (v >= 0)
			tr->v[v].escaped = 1;
	}
	return CXChildVisit_Recurse;
}

void track_escape(struct tracker *tr, CXCursor c)
{
	escape_visit(c, clang_getNullCursor(), tr);
	clang_visitChildren(c, escape_visit, tr);
}

void track_constant(struct tracker *tr, int var)
{
	if (var >= 0 && var < tr->nr)
		tr->v[var].constant = 1;
}

/* Is n where its parent reads it as a condition? */
static int as_condition(const struct cf_node *n)
{
	const struct cf_node *p = n->parent;

	if (!p)
		return 0;
	switch (p->kind) {
	case CF_IF:
	case CF_WHILE:
	case CF_TRANSPARENT:
		return p->kids == n;
	case CF_DO:
		return p->kids && p->kids->next == n;
	case CF_FOR:
		return p->kids && p->kids->next == n;
	case CF_NOT:
	case CF_AND:
	case CF_OR:
	case CF_TERNARY:
	case CF_ASSIGN:
		return 1;
	case CF_SEQ:
		return p->value_last && p->last == n;
	default:
		return 0;
	}
}

static void mark_tested(struct tracker *tr, const struct cf_node *n)
{
	const struct cf_node *k;

	if (n->kind == CF_VAR && n->var >= 0 && n->var < tr->nr &&
	    as_condition(n))
		tr->v[n->var].tested = 1;
	for (k = n->kids; k; k = k->next)
		mark_tested(tr, k);
}

/* Drop or renumber: map[v] is the new index, or -1. */
static void renumber(struct cf_node *n, const int *map)
{
	struct cf_node *k;

	if ((n->kind == CF_VAR || n->kind == CF_ASSIGN) && n->var >= 0) {
		n->var = map[n->var];
		/* opaque again: an empty sequence is "no effect", also as a
		 * condition (CF_EMPTY there would mean "for (;;)") */
		if (n->var < 0)
			n->kind = CF_SEQ;
	}
	for (k = n->kids; k; k = k->next)
		renumber(k, map);
}

void track_finish(struct tracker *tr, struct cf_func *cf)
{
	int *map, i, n = 0;

	cf->nr_vars = 0;
	if (!cf->root || !tr->nr)
		return;
	mark_tested(tr, cf->root);
	map = xcalloc(tr->nr, sizeof(int));
	for (i = 0; i < tr->nr; i++) {
		const struct track_var *v = &tr->v[i];
		int keep = !v->never && !v->escaped && v->tested &&
			   (v->param >= 0 || v->constant);

		map[i] = keep ? n++ : -1;
	}
	renumber(cf->root, map);
	/* the tracker's numbering follows the IR's from here on */
	for (i = 0; i < tr->nr; i++)
		if (map[i] >= 0)
			tr->v[map[i]] = tr->v[i];
	tr->nr = n;
	cf->nr_vars = n;
	/* the declarations are not asked about again */
	free(tr->slot);
	tr->slot = NULL;
	tr->nr_slots = 0;
	free(map);
}

int track_needs(const struct tracker *tr, struct cf_func *cf,
		uint32_t *need_zero, uint32_t *need_nonzero,
		struct ss_err *err)
{
	signed char *vals;
	unsigned char *reached;
	int v, c, value;

	if (!cf->nr_calls)
		return 0;
	memset(need_zero, 0, cf->nr_calls * sizeof(*need_zero));
	memset(need_nonzero, 0, cf->nr_calls * sizeof(*need_nonzero));
	vals = xcalloc(cf->nr_vars + 1, 1);
	reached = xcalloc(cf->nr_calls, 1);
	for (v = 0; v < tr->nr; v++) {
		int p = tr->v[v].param;

		if (p < 0 || p >= TRACK_MAX_PARAMS)
			continue;
		for (value = 0; value <= 1; value++) {
			memset(vals, -1, cf->nr_vars);
			vals[v] = (signed char)value;
			if (cf_reach_vars(cf, cf->pred_value, vals, reached, err))
				goto fail;
			for (c = 0; c < cf->nr_calls; c++) {
				if (!cf->call_reached[c] || reached[c])
					continue;
				/* not made when p has this value */
				if (value)
					need_zero[c] |= (uint32_t)1 << p;
				else
					need_nonzero[c] |= (uint32_t)1 << p;
			}
		}
	}
	free(vals);
	free(reached);
	return 0;
fail:
	free(vals);
	free(reached);
	return -1;
}

/*
 * libclang does not say which unary operator an expression applies, and
 * prints no expressions; the types do: &x is the one whose value is a
 * pointer to its operand's type.
 */
int track_is_address_of(CXCursor c)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(c));
	struct kids kids;
	int r = 0;

	if (t.kind != CXType_Pointer)
		return 0;
	get_kids(c, &kids);
	if (kids.n == 1) {
		CXType o = clang_getCanonicalType(clang_getCursorType(kids.v[0]));
		CXType p = clang_getCanonicalType(clang_getPointeeType(t));

		r = clang_equalTypes(o, p) != 0;
	}
	free(kids.v);
	return r;
}

int track_arg_value(CXCursor arg)
{
	CXCursor c = strip(arg, 1);
	enum CXCursorKind k = clang_getCursorKind(c);
	CXEvalResult ev;
	int r = -1;

	if (k == CXCursor_StringLiteral)
		return 1;
	if (k == CXCursor_DeclRefExpr) {
		CXCursor ref = clang_getCursorReferenced(c);

		if (clang_getCursorKind(ref) == CXCursor_FunctionDecl)
			return 1;
		/* a variable's value is not its initializer's */
		if (clang_getCursorKind(ref) != CXCursor_EnumConstantDecl)
			return -1;
	}
	/* the address of an object is never NULL */
	if (k == CXCursor_UnaryOperator && track_is_address_of(c))
		return 1;
	/* constants as written: a literal, an enumerator ("true") */
	if (k != CXCursor_IntegerLiteral && k != CXCursor_DeclRefExpr)
		return -1;
	ev = clang_Cursor_Evaluate(c);
	if (ev) {
		if (clang_EvalResult_getKind(ev) == CXEval_Int)
			r = clang_EvalResult_getAsLongLong(ev) != 0;
		clang_EvalResult_dispose(ev);
	}
	return r;
}
