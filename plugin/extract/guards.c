/*
 * guards.c: the early returns at the top of a sink's body, before it
 * sleeps ("if (!preemptible()) return;"): each predicate the rules name
 * in such a condition is a guard of the sink.
 *
 * Ownership: the guards are copied into the TU's arena.
 */
#include "extract/lower.h"

#include <stdlib.h>
#include <string.h>

/* Does statement c end in a return (a block whose last statement does)? */
static int always_returns(CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	struct kids kids;
	int r = 0;

	if (k == CXCursor_ReturnStmt)
		return 1;
	if (k != CXCursor_CompoundStmt)
		return 0;
	get_kids(c, &kids);
	if (kids.n)
		r = clang_getCursorKind(kids.v[kids.n - 1]) == CXCursor_ReturnStmt;
	free(kids.v);
	return r;
}

/* The guards found so far: a growing array. */
struct guard_list {
	struct fact_guard *v;
	int nr, alloc;
};

static void guard_disjuncts(struct builder *b, CXCursor c, int negated,
			    struct guard_list *gl);

/*
 * A call or variable in an early-return condition: a predicate the rules
 * name is a guard; __builtin_expect() stands for its condition.
 */
static void named_disjunct(struct builder *b, CXCursor c, struct kids *kids,
			   int negated, struct guard_list *gl)
{
	CXCursor ref = clang_getCursorReferenced(c);
	const struct rules_name *rn;
	struct fact_guard *g;
	const char *name;
	CXString s;

	if (clang_Cursor_isNull(ref))
		return;
	s = clang_getCursorSpelling(ref);
	name = clang_getCString(s);
	if (name && clang_getCursorKind(c) == CXCursor_CallExpr &&
	    !strncmp(name, "__builtin_expect", 16)) {
		if (kids->n >= 2)
			guard_disjuncts(b, kids->v[1], negated, gl);
	} else if (name && (rn = rules_lookup(b->t->rules, name)) &&
		   rn->predicate) {
		ALLOC_GROW(gl->v, gl->nr + 1, gl->alloc);
		g = &gl->v[gl->nr++];
		g->predicate = arena_strdup(b->arena, name);
		g->negated = negated;
		src_set_loc(b->t, c, &g->loc);
	}
	clang_disposeString(s);
}

/* Collect the disjuncts of an early-return condition. */
static void guard_disjuncts(struct builder *b, CXCursor c, int negated,
			    struct guard_list *gl)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	struct kids kids;

	get_kids(c, &kids);
	if (k == CXCursor_BinaryOperator && kids.n == 2) {
		if (op_logical(b, kids.v[0], kids.v[1]) == CF_OR && !negated) {
			guard_disjuncts(b, kids.v[0], 0, gl);
			guard_disjuncts(b, kids.v[1], 0, gl);
		}
	} else if (k == CXCursor_UnaryOperator && kids.n == 1) {
		if (op_is_not(b, c, kids.v[0]))
			guard_disjuncts(b, kids.v[0], !negated, gl);
	} else if (k == CXCursor_CallExpr || k == CXCursor_DeclRefExpr) {
		named_disjunct(b, c, &kids, negated, gl);
	} else if (kids.n == 1) {	/* parens, implicit casts */
		guard_disjuncts(b, kids.v[0], negated, gl);
	}
	free(kids.v);
}

/* Early returns at the top of a sink's body, before it sleeps. */
void guards_of_sink(struct builder *b, CXCursor body, struct fact_func *fn)
{
	struct guard_list gl = { NULL, 0, 0 };
	struct kids k;
	unsigned sleep_line = fn->sleep_call >= 0 ?
		fn->calls[fn->sleep_call].loc.line : ~0u;
	int i;

	get_kids(body, &k);
	for (i = 0; i < k.n; i++) {
		struct kids ik;
		unsigned line;

		src_loc(b->t, k.v[i], &line, NULL, NULL);
		if (line >= sleep_line)
			break;
		if (clang_getCursorKind(k.v[i]) != CXCursor_IfStmt)
			continue;
		get_kids(k.v[i], &ik);
		if (ik.n == 2 && always_returns(ik.v[1]))
			guard_disjuncts(b, ik.v[0], 0, &gl);
		free(ik.v);
	}
	free(k.v);
	fn->guards = extract_copy_or_null(b->arena, gl.v, gl.nr, sizeof(*gl.v));
	fn->nr_guards = gl.nr;
	free(gl.v);
}
