/*
 * boot_pred.c: boot checks in the IR.  A call or variable the rules name
 * as a boot predicate becomes a CF_PRED node whose value each boot phase
 * gives (phases.c); a comparison of it with a number is read into its
 * sense, negated or not; an operator that cannot be read makes the checks
 * under it unknown.  Each use is recorded as a fact_check, with the
 * assertion macro (WARN_ON) that tests it, if any.
 *
 * Ownership: the distinct predicates (b->preds) and the checks
 * (b->checks) grow the builder's arrays; texts are in its arena.
 */
#include "extract/lower.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The index of the distinct predicate p in the function. */
static int pred_index(struct builder *b, const struct rules_boot_pred *p)
{
	int i;

	for (i = 0; i < b->cf.nr_preds; i++)
		if (b->preds[i] == p)
			return i;
	ALLOC_GROW(b->preds, b->cf.nr_preds + 1, b->alloc_preds);
	b->preds[b->cf.nr_preds] = p;
	return b->cf.nr_preds++;
}

/* A use of predicate pred at at: a fact_check. */
static void add_check(struct builder *b, int pred, CXCursor at, int is_call)
{
	struct fact_check *fc;

	ALLOC_GROW(b->checks, b->nr_checks + 1, b->alloc_checks);
	fc = &b->checks[b->nr_checks++];
	memset(fc, 0, sizeof(*fc));
	fc->pred = b->preds[pred];
	fc->is_call = is_call;
	src_set_loc(b->t, at, &fc->loc);
}

/*
 * A boot check around kid (the call that computes it, or NULL for a
 * variable).  A check with a comparison in the rules stays raw (unknown)
 * until its comparison has been read.
 */
struct cf_node *boot_pred_node(struct builder *b,
			       const struct rules_boot_pred *p, CXCursor at,
			       struct cf_node *kid)
{
	struct cf_node *n = lower_node(b, CF_PRED);

	n->pred = pred_index(b, p);
	n->value = p->compare != NULL;
	if (kid)
		cf_add(n, kid);
	if (!n->value)
		add_check(b, n->pred, at, kid != NULL);
	return n;
}

/* Is there a check in n? */
int boot_pred_in(const struct cf_node *n)
{
	const struct cf_node *k;

	if (!n)
		return 0;
	if (n->kind == CF_PRED)
		return 1;
	for (k = n->kids; k; k = k->next)
		if (boot_pred_in(k))
			return 1;
	return 0;
}

/* Forget the checks in n: an operator we cannot read makes them unknown. */
void boot_pred_forget(struct cf_node *n)
{
	struct cf_node *k;

	if (!n)
		return;
	if (n->kind == CF_PRED)
		n->kind = CF_SEQ;
	for (k = n->kids; k; k = k->next)
		boot_pred_forget(k);
}

/* A check, negated any number of times: what a local copy may hold. */
int boot_pred_pure(const struct cf_node *n)
{
	while (n && (n->kind == CF_NOT || n->kind == CF_TRANSPARENT))
		n = n->kids;
	return n && n->kind == CF_PRED && !n->value;
}

/* The value of a local copy, without the call that computed it. */
struct cf_node *boot_pred_copy(struct builder *b, const struct cf_node *n)
{
	struct cf_node *c;

	if (n->kind == CF_TRANSPARENT)
		return boot_pred_copy(b, n->kids);
	c = lower_node(b, n->kind);
	if (n->kind == CF_NOT)
		cf_add(c, boot_pred_copy(b, n->kids));
	else
		c->pred = n->pred;
	return c;
}

/* Normal form of a comparison with a number: ">= 2", "< 2", "== 0", "!= 0". */
static int normal_compare(const char *op, long long v, int flip, char *out,
			  size_t size)
{
	if (flip) {
		if (!strcmp(op, ">"))
			op = "<";
		else if (!strcmp(op, "<"))
			op = ">";
		else if (!strcmp(op, ">="))
			op = "<=";
		else if (!strcmp(op, "<="))
			op = ">=";
	}
	if (!strcmp(op, ">"))
		op = ">=", v++;
	else if (!strcmp(op, "<="))
		op = "<", v++;
	else if (strcmp(op, ">=") && strcmp(op, "<") && strcmp(op, "==") &&
		 strcmp(op, "!="))
		return 0;
	snprintf(out, size, "%s %lld", op, v);
	return 1;
}

static const char *negated_op(const char *op)
{
	return !strcmp(op, ">=") ? "<" : !strcmp(op, "<") ? ">=" :
	       !strcmp(op, "==") ? "!=" : "==";
}

/* Does the comparison "op v" test the check p (1), its negation (-1)? */
static int compare_sense(const struct rules_boot_pred *p, const char *seen)
{
	char want[64], neg[64], op[3];
	long long v;

	if (p->compare) {
		if (sscanf(p->compare, "%2[=!<>] %lld", op, &v) != 2 ||
		    !normal_compare(op, v, 0, want, sizeof(want)))
			return 0;
	} else {
		snprintf(want, sizeof(want), "!= 0");
	}
	sscanf(want, "%2s %lld", op, &v);
	snprintf(neg, sizeof(neg), "%s %lld", negated_op(op), v);
	return !strcmp(seen, want) ? 1 : !strcmp(seen, neg) ? -1 : 0;
}

/*
 * A binary expression with a boot check in an operand: a logical
 * operator the text did not show, or a comparison of the check with a
 * number ("num_online_cpus() > 1", "page_alloc_available == 0").
 */
struct cf_node *boot_pred_binary(struct builder *b, CXCursor c,
				 CXCursor lhs, CXCursor rhs,
				 struct cf_node *l, struct cf_node *r)
{
	struct cf_node *pn;
	char op[3], seen[64];
	long long v;
	int flip, sense = 0;

	if (!op_binary(b, c, lhs, rhs, op))
		goto opaque;
	if (!strcmp(op, "&&") || !strcmp(op, "||")) {
		return lower_logical(b, op[0] == '&' ? CF_AND : CF_OR, l, r);
	}
	flip = !(l && l->kind == CF_PRED);
	pn = flip ? r : l;
	if (!pn || pn->kind != CF_PRED ||
	    !src_int_value(flip ? lhs : rhs, &v) ||
	    !normal_compare(op, v, flip, seen, sizeof(seen)))
		goto opaque;
	sense = compare_sense(b->preds[pn->pred], seen);
	if (!sense)
		goto opaque;
	if (pn->value) {
		pn->value = 0;
		add_check(b, pn->pred, c, 1);
	}
	if (sense > 0)
		return pn;
	return lower_not(b, pn);
opaque:
	boot_pred_forget(l);
	boot_pred_forget(r);
	return lower_combine(b, l, r);
}

/* Is (line, col) inside the file range of c? */
static int within(CXCursor c, const struct fact_loc *at)
{
	CXSourceRange r = clang_getCursorExtent(c);
	unsigned l0, c0, l1, c1;

	clang_getFileLocation(clang_getRangeStart(r), NULL, &l0, &c0, NULL);
	clang_getFileLocation(clang_getRangeEnd(r), NULL, &l1, &c1, NULL);
	if (at->line < l0 || at->line > l1)
		return 0;
	return (at->line != l0 || at->col >= c0) && (at->line != l1 || at->col <= c1);
}

/* What the statement returns, as written ("-EBUSY"), or NULL. */
static const char *returned(struct builder *b, CXCursor stmt)
{
	struct kids k;
	const char *r = NULL;

	if (clang_getCursorKind(stmt) == CXCursor_CompoundStmt) {
		get_kids(stmt, &k);
		if (k.n == 1)
			r = returned(b, k.v[0]);
		free(k.v);
		return r;
	}
	if (clang_getCursorKind(stmt) != CXCursor_ReturnStmt)
		return NULL;
	get_kids(stmt, &k);
	if (k.n)
		r = src_expr_text(b->t, k.v[0]);
	free(k.v);
	return r;
}

/*
 * "if (WARN_ON(check)) return -EBUSY;": the boot checks its condition
 * added since first are tested inside an assertion macro (by the name
 * written at the condition), which fires where the check stops a sink.
 */
void boot_pred_mark_asserted(struct builder *b, CXCursor ifs, int first)
{
	const struct rules_name *rn;
	struct file_info *fi;
	const char *name;
	char buf[128];
	unsigned off = 0;
	struct kids k;
	int i;

	if (first == b->nr_checks)
		return;
	get_kids(ifs, &k);
	fi = k.n >= 2 ? src_loc(b->t, k.v[0], NULL, NULL, &off) : NULL;
	name = src_ident_at(fi, off, buf, sizeof(buf));
	rn = name ? rules_lookup(b->t->rules, name) : NULL;
	for (i = first; rn && rn->assertion && i < b->nr_checks; i++) {
		if (!within(k.v[0], &b->checks[i].loc))
			continue;
		b->checks[i].assertion = arena_strdup(b->arena, name);
		b->checks[i].fails = returned(b, k.v[1]);
	}
	free(k.v);
}
