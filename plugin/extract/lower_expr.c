/*
 * lower_expr.c: expressions to the cflow IR: constants, operators, and
 * the variables the IR tracks (track.h): their reads, assignments and
 * changes, and the tests of them against zero.
 *
 * Ownership: IR nodes are in the function's cf arena (the TU's); local
 * copies of boot checks grow the builder's b->locals.
 */
#include "extract/lower.h"

#include <stdlib.h>
#include <string.h>

/* "a && b", "a || b": op of the two lowered operands. */
struct cf_node *lower_logical(struct builder *b, enum cf_kind op,
			      struct cf_node *l, struct cf_node *r)
{
	struct cf_node *n = lower_node(b, op);

	cf_add(n, lower_or_empty(b, l));
	cf_add(n, lower_or_empty(b, r));
	return n;
}

/* Two lowered operands of an operator without control flow. */
struct cf_node *lower_combine(struct builder *b, struct cf_node *l,
			      struct cf_node *r)
{
	struct cf_node *seq;

	/* a literal is not the value of a two-operand expression */
	if (l && l->kind == CF_CONST)
		l = NULL;
	if (r && r->kind == CF_CONST)
		r = NULL;
	if (!l || !r)
		return l ? l : r;
	seq = lower_node(b, CF_SEQ);
	cf_add(seq, l);
	cf_add(seq, r);
	return seq;
}

/* A read of tracked variable v. */
static struct cf_node *var_node(struct builder *b, int v)
{
	struct cf_node *n = lower_node(b, CF_VAR);

	n->var = v;
	return n;
}

/* A variable read: a boot check, a local copy of one, or a tracked one. */
struct cf_node *lower_ref(struct builder *b, CXCursor c)
{
	CXCursor ref = clang_getCursorReferenced(c);
	enum CXCursorKind rk = clang_getCursorKind(ref);
	const struct rules_name *rn;
	CXString s;
	int i, v;

	if (clang_Cursor_isNull(ref) ||
	    (rk != CXCursor_VarDecl && rk != CXCursor_ParmDecl))
		return NULL;
	s = clang_getCursorSpelling(ref);
	extract_saw(b->t, clang_getCString(s));
	rn = clang_getCString(s) ? rules_lookup(b->t->rules, clang_getCString(s)) : NULL;
	clang_disposeString(s);
	for (i = 0; i < b->nr_locals; i++)
		if (clang_equalCursors(b->locals[i].var, ref))
			return boot_pred_copy(b, b->locals[i].value);
	if (rk == CXCursor_VarDecl && rn && rn->boot_pred &&
	    !rn->boot_pred->compare && b->t->rules->boot.nr_phases)
		return boot_pred_node(b, rn->boot_pred, c, NULL);
	v = track_var_of(&b->tr, ref);
	return v >= 0 ? var_node(b, v) : NULL;
}

/* v = what value computes (a constant when the expression is one). */
static struct cf_node *assign_node(struct builder *b, int v, CXCursor expr,
				   struct cf_node *value)
{
	struct cf_node *n = lower_node(b, CF_ASSIGN);
	long long k;

	n->var = v;
	if (!clang_Cursor_isNull(expr) && src_int_value(expr, &k)) {
		struct cf_node *c = lower_node(b, CF_CONST);

		c->value = k != 0;
		track_constant(&b->tr, v);
		if (value && value->kind != CF_CONST) {
			struct cf_node *seq = lower_node(b, CF_SEQ);

			cf_add(seq, value);
			cf_add(seq, n);
			cf_add(n, c);
			return seq;
		}
		value = c;
	}
	if (value)
		cf_add(n, value);
	return n;
}

/* The initializer of a declaration: its last expression kid. */
static int initializer(const struct kids *k)
{
	int i;

	for (i = k->n - 1; i >= 0; i--)
		if (clang_isExpression(clang_getCursorKind(k->v[i])))
			return i;
	return -1;
}

/* A declaration: a local copy of a boot check, or a tracked variable's
 * first value. */
struct cf_node *lower_var(struct builder *b, CXCursor c)
{
	struct kids k;
	struct cf_node *n;
	int v, init;

	fnptr_var(&b->t->fp, c);
	get_kids(c, &k);
	n = lower_kids(b, &k, 0);
	if (boot_pred_pure(n)) {
		ALLOC_GROW(b->locals, b->nr_locals + 1, b->alloc_locals);
		b->locals[b->nr_locals].var = c;
		b->locals[b->nr_locals].value = n;
		b->nr_locals++;
	} else if ((v = track_var_of(&b->tr, c)) >= 0) {
		init = initializer(&k);
		/* no initializer: a value not known */
		n = assign_node(b, v, init >= 0 ? k.v[init] : clang_getNullCursor(),
				n);
	}
	free(k.v);
	return n;
}

/* An integer literal: a constant condition. */
struct cf_node *lower_const(struct builder *b, CXCursor c)
{
	struct cf_node *n;
	long long v;

	if (!src_int_value(c, &v))
		return NULL;
	n = lower_node(b, CF_CONST);
	n->value = v != 0;
	return n;
}

/* what evaluates first, then v takes a value not known */
static struct cf_node *changed(struct builder *b, int v, struct cf_node *what)
{
	struct cf_node *n = lower_node(b, CF_SEQ);

	if (what)
		cf_add(n, what);
	cf_add(n, assign_node(b, v, clang_getNullCursor(), NULL));
	return n;
}

/* An assignment to a tracked variable, or NULL: not one. */
static struct cf_node *lower_assign(struct builder *b, CXCursor c,
				    CXCursor lhs, CXCursor rhs,
				    struct cf_node *r)
{
	static const char *const pure[] = {
		"==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*",
		"/", "%", "&", "|", "^", "<<", ">>", NULL
	};
	int v = track_ref(&b->tr, lhs), i;
	char op[3];

	if (v < 0)
		return NULL;
	if (op_binary(b, c, lhs, rhs, op)) {
		if (!strcmp(op, "="))
			return assign_node(b, v, rhs, r);
		for (i = 0; pure[i]; i++)
			if (!strcmp(op, pure[i]))
				return NULL;
	}
	/* a compound assignment, or an operator we cannot read */
	return changed(b, v, r);
}

/* "v == NULL", "0 != v": the variable's test, or NULL. */
static struct cf_node *var_compare(struct builder *b, CXCursor c,
				   CXCursor lhs, CXCursor rhs,
				   struct cf_node *l, struct cf_node *r)
{
	struct cf_node *v = l && l->kind == CF_VAR ? l :
			    r && r->kind == CF_VAR ? r : NULL;
	struct cf_node *n;
	char op[3];

	if (!v || track_arg_value(v == l ? rhs : lhs) != 0 ||
	    !op_binary(b, c, lhs, rhs, op))
		return NULL;
	if (strcmp(op, "==") && strcmp(op, "!="))
		return NULL;
	n = lower_not(b, v);
	if (op[0] == '!')	/* "v != NULL" is "!!v" */
		n = lower_not(b, n);
	return n;
}

/* "v++", "--v", "&v" on a tracked variable: what it does to v, or NULL. */
static struct cf_node *var_unary(struct builder *b, CXCursor c,
				 CXCursor operand, struct cf_node *inner)
{
	int v = track_ref(&b->tr, operand);

	if (v < 0)
		return NULL;
	if (track_is_address_of(c)) {
		track_escape(&b->tr, operand);
		return NULL;
	}
	if (op_is_not(b, c, operand))
		return NULL;
	switch (op_unary_step(b, c, operand)) {
	case 0:
		return NULL;
	case -1:
		/* "!v" or "v++" from a macro body: v is not followed */
		track_escape(&b->tr, operand);
		return NULL;
	}
	return changed(b, v, inner);
}

/*
 * The operator c of lhs and rhs: logical, an assignment to a tracked
 * variable, a comparison of a boot check with a number or of a tracked
 * variable with zero, or an operator without control flow.
 */
static struct cf_node *binary(struct builder *b, CXCursor c, CXCursor lhs,
			      CXCursor rhs)
{
	enum cf_kind op = op_logical(b, lhs, rhs);
	struct cf_node *l = lower(b, lhs);
	struct cf_node *r = lower(b, rhs);
	struct cf_node *n;

	if (op != CF_SEQ)
		return lower_logical(b, op, l, r);
	if ((n = lower_assign(b, c, lhs, rhs, r)))
		return n;	/* an assignment to a tracked variable */
	if (boot_pred_in(l) || boot_pred_in(r))
		return boot_pred_binary(b, c, lhs, rhs, l, r);
	if ((n = var_compare(b, c, lhs, rhs, l, r)))
		return n;
	return lower_combine(b, l, r);
}

struct cf_node *lower_binary(struct builder *b, CXCursor c)
{
	struct cf_node *n;
	struct kids k;

	fnptr_assign(&b->t->fp, c);
	get_kids(c, &k);
	n = k.n == 2 ? binary(b, c, k.v[0], k.v[1]) : lower_kids(b, &k, 0);
	free(k.v);
	return n;
}

/*
 * The unary operator c of its one kid in k: "!", a change of a tracked
 * variable, or another operator; a boot check under an operator the text
 * does not show is negated if it is "!", else unknown.
 */
static struct cf_node *unary(struct builder *b, CXCursor c, struct kids *k)
{
	CXCursor operand = k->v[0];
	struct cf_node *n, *u;

	if (op_is_not(b, c, operand)) {
		n = lower_node(b, CF_NOT);
		cf_add(n, lower_or_empty(b, lower(b, operand)));
		return n;
	}
	n = lower_kids(b, k, 0);
	if ((u = var_unary(b, c, operand, n)))
		return u;
	if (!boot_pred_in(n))
		return n;
	/* "!" from a macro body (WARN_ON's "!!"), or another operator */
	if (op_unary_not(b, c, operand))
		return lower_not(b, n);
	boot_pred_forget(n);
	return n;
}

struct cf_node *lower_unary(struct builder *b, CXCursor c)
{
	struct cf_node *n;
	struct kids k;

	get_kids(c, &k);
	n = k.n == 1 ? unary(b, c, &k) : lower_kids(b, &k, 0);
	free(k.v);
	return n;
}
