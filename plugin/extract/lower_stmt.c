/*
 * lower_stmt.c: statements to the cflow IR, and the dispatch of every
 * cursor kind (lower()).  libclang does not say which parts of a for
 * statement are present: they are read from the source text when the
 * tokens are in the file, and the loop's shape is left unknown when they
 * come from a macro body.
 *
 * Ownership: IR nodes are in the function's cf arena (the TU's); label
 * names in the builder's b->label_names.
 */
#include "extract/lower.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The IR of k's kids from from on: one node, a sequence, or NULL. */
struct cf_node *lower_kids(struct builder *b, struct kids *k, int from)
{
	struct cf_node *seq = NULL, *n;
	int i;

	for (i = from; i < k->n; i++) {
		n = lower(b, k->v[i]);
		/*
		 * A literal is the value only of a node that wraps it alone
		 * (parens, casts): in "ret < 0" the 0 is not the condition.
		 */
		if (!n || (n->kind == CF_CONST && k->n - from > 1))
			continue;
		if (!seq)
			seq = lower_node(b, CF_SEQ);
		cf_add(seq, n);
	}
	if (seq && seq->nkids == 1) {
		n = seq->kids;
		n->parent = NULL;
		n->next = NULL;
		return n;
	}
	return seq;
}

/* The index of the label c names, numbered as they are met. */
static int label_index(struct builder *b, CXCursor c)
{
	CXString s = clang_getCursorSpelling(c);
	const char *name = clang_getCString(s);
	uintptr_t v;
	int idx;

	if (!name)
		name = "";
	v = (uintptr_t)strmap_get(&b->labels, name);
	if (v) {
		idx = (int)v - 1;
	} else {
		idx = b->cf.nr_labels++;
		strmap_put(&b->labels, arena_strdup(&b->label_names, name),
			   (void *)(uintptr_t)(idx + 1));
	}
	clang_disposeString(s);
	return idx;
}

/* A part that is there but has no effect is not an absent part: for a
 * condition, CF_EMPTY would mean "for (;;)". */
static struct cf_node *present(struct builder *b, struct cf_node *n)
{
	return n ? n : lower_node(b, CF_SEQ);
}

/*
 * The two ';' and the ')' of the for statement at off in fi, read from
 * the text.  0: not read (not in the file, or not that shape).
 */
static int for_layout(struct file_info *fi, unsigned off, unsigned semi[2],
		      unsigned *close)
{
	int depth = 0, nsemi = 0;
	unsigned p;

	if (!fi || !fi->text || off + 3 >= fi->size ||
	    strncmp(fi->text + off, "for", 3) ||
	    src_is_ident((unsigned char)fi->text[off + 3]))
		return 0;
	for (p = off + 3; p < fi->size; p++) {
		char ch = fi->text[p];

		if (ch == '(') {
			depth++;
		} else if (ch == ')') {
			if (--depth == 0) {
				*close = p;
				break;
			}
		} else if (ch == ';' && depth == 1 && nsemi < 2) {
			semi[nsemi++] = p;
		}
	}
	return nsemi == 2 && *close;
}

/* Which kids of a for statement are init, cond, inc: from the text. */
static void lower_for_parts(struct builder *b, CXCursor c, struct kids *k,
			    struct cf_node *parts[4])
{
	unsigned off, semi[2] = { 0, 0 }, close = 0;
	struct file_info *fi = src_start(b->t, c, &off);
	int i;

	if (!for_layout(fi, off, semi, &close)) {
		/* unknown layout: the caller falls back to CF_LOOP */
		parts[0] = parts[1] = parts[2] = (struct cf_node *)-1;
		return;
	}
	for (i = 0; i < k->n - 1; i++) {
		unsigned ko;
		struct file_info *kf = src_start(b->t, k->v[i], &ko);
		int slot = kf != fi ? -1 : ko < semi[0] ? 0 :
			   ko < semi[1] ? 1 : ko < close ? 2 : -1;

		if (slot >= 0 && !parts[slot])
			parts[slot] = present(b, lower(b, k->v[i]));
	}
}

static struct cf_node *lower_for(struct builder *b, CXCursor c)
{
	struct cf_node *n = lower_node(b, CF_FOR), *saved = b->scope;
	struct cf_node *parts[4] = { NULL, NULL, NULL, NULL };
	struct kids k;
	int i;

	get_kids(c, &k);
	b->scope = n;	/* guards declared in the init live until the end */
	if (k.n == 4) {
		for (i = 0; i < 4; i++)
			parts[i] = present(b, lower(b, k.v[i]));
	} else if (k.n == 1) {
		parts[3] = lower(b, k.v[0]);
	} else if (k.n > 1) {
		lower_for_parts(b, c, &k, parts);
		if (parts[0] == (struct cf_node *)-1) {
			n->kind = CF_LOOP;
			for (i = 0; i < k.n; i++)
				lower_add(n, lower(b, k.v[i]));
			free(k.v);
			b->scope = saved;
			return n;
		}
		parts[3] = lower(b, k.v[k.n - 1]);
	}
	for (i = 0; i < 4; i++)
		cf_add(n, lower_or_empty(b, parts[i]));
	free(k.v);
	b->scope = saved;
	return n;
}

/* A statement of kind whose kids are its parts, want of them (0: any). */
static struct cf_node *lower_stmt_kids(struct builder *b, CXCursor c,
				       enum cf_kind kind, int want)
{
	struct cf_node *n = lower_node(b, kind);
	struct kids k;
	int i;

	get_kids(c, &k);
	for (i = 0; i < k.n; i++)
		cf_add(n, lower_or_empty(b, lower(b, k.v[i])));
	free(k.v);
	if (want && n->nkids != want) {
		/* unexpected shape: keep the calls, lose the control flow */
		n->kind = CF_LOOP;
	}
	return n;
}

/* A block: a scope for guards; a statement may assert a context. */
static struct cf_node *lower_compound(struct builder *b, CXCursor c)
{
	struct cf_node *n = lower_node(b, CF_SEQ), *saved = b->scope;
	struct kids k;
	int i;

	get_kids(c, &k);
	b->scope = n;
	for (i = 0; i < k.n; i++) {
		lower_add(n, context_assertion(b, k.v[i]));
		lower_add(n, lower(b, k.v[i]));
	}
	b->scope = saved;
	free(k.v);
	return n;
}

/* A label (head) and the statement it labels. */
static struct cf_node *lower_labelled(struct builder *b, CXCursor c,
				      struct cf_node *head)
{
	struct cf_node *seq = lower_node(b, CF_SEQ);
	struct kids k;

	get_kids(c, &k);
	cf_add(seq, head);
	if (k.n)
		lower_add(seq, lower(b, k.v[k.n - 1]));
	free(k.v);
	return seq;
}

/* A statement expression "({ ...; v; })": its value is the last one's. */
static struct cf_node *lower_stmt_expr(struct builder *b, CXCursor c)
{
	struct cf_node *n;
	struct kids k;

	get_kids(c, &k);
	n = k.n ? lower(b, k.v[0]) : NULL;
	free(k.v);
	if (n && n->kind == CF_SEQ)
		n->value_last = 1;
	return n;
}

static struct cf_node *lower_if(struct builder *b, CXCursor c)
{
	int before = b->nr_checks;
	struct cf_node *n = lower_stmt_kids(b, c, CF_IF, 0);

	boot_pred_mark_asserted(b, c, before);
	return n;
}

static struct cf_node *lower_switch(struct builder *b, CXCursor c)
{
	struct cf_node *n;
	struct kids k;

	if (b->nr_switches >= 64)
		return lower_stmt_kids(b, c, CF_LOOP, 0);
	n = lower_node(b, CF_SWITCH);
	b->switches[b->nr_switches++] = n;
	get_kids(c, &k);
	if (k.n == 2) {
		cf_add(n, lower_or_empty(b, lower(b, k.v[0])));
		cf_add(n, lower_or_empty(b, lower(b, k.v[1])));
	} else {
		n->kind = CF_LOOP;
		n->has_default = 0;
	}
	free(k.v);
	b->nr_switches--;
	return n;
}

/* A case or default label: of the innermost switch, if any. */
static struct cf_node *lower_case(struct builder *b, CXCursor c)
{
	if (!b->nr_switches)
		return lower_labelled(b, c, lower_node(b, CF_EMPTY));
	if (clang_getCursorKind(c) == CXCursor_DefaultStmt)
		b->switches[b->nr_switches - 1]->has_default = 1;
	return lower_labelled(b, c, lower_node(b, CF_CASE));
}

static struct cf_node *lower_label(struct builder *b, CXCursor c)
{
	struct cf_node *n = lower_node(b, CF_LABEL);

	n->label = label_index(b, c);
	return lower_labelled(b, c, n);
}

static struct cf_node *lower_goto(struct builder *b, CXCursor c)
{
	struct cf_node *n;
	struct kids k;

	get_kids(c, &k);
	n = lower_node(b, CF_GOTO);
	if (k.n)
		n->label = label_index(b, k.v[0]);
	free(k.v);
	return n;
}

static struct cf_node *lower_return(struct builder *b, CXCursor c)
{
	struct cf_node *n = lower_node(b, CF_RETURN);
	struct kids k;

	get_kids(c, &k);
	if (k.n)
		lower_add(n, lower(b, k.v[0]));
	free(k.v);
	return n;
}

static struct cf_node *lower_while(struct builder *b, CXCursor c)
{
	return lower_stmt_kids(b, c, CF_WHILE, 2);
}

static struct cf_node *lower_do(struct builder *b, CXCursor c)
{
	return lower_stmt_kids(b, c, CF_DO, 2);
}

static struct cf_node *lower_ternary(struct builder *b, CXCursor c)
{
	return lower_stmt_kids(b, c, CF_TERNARY, 3);
}

static struct cf_node *lower_break(struct builder *b, CXCursor c)
{
	return lower_node(b, CF_BREAK);
}

static struct cf_node *lower_continue(struct builder *b, CXCursor c)
{
	return lower_node(b, CF_CONTINUE);
}

static struct cf_node *lower_asm(struct builder *b, CXCursor c)
{
	/* what an asm statement names may change behind the IR */
	track_escape(&b->tr, c);
	return NULL;
}

/* Not evaluated, or nothing the IR shows. */
static struct cf_node *lower_nothing(struct builder *b, CXCursor c)
{
	return NULL;
}

/* Any other kind: what its kids do. */
static struct cf_node *lower_other(struct builder *b, CXCursor c)
{
	struct cf_node *n;
	struct kids k;

	get_kids(c, &k);
	n = lower_kids(b, &k, 0);
	free(k.v);
	return n;
}

typedef struct cf_node *lower_fn(struct builder *b, CXCursor c);

/* How a cursor kind is lowered; a kind not here is lower_other()'s. */
static lower_fn *const lower_kind[] = {
	[CXCursor_CompoundStmt] = lower_compound,
	[CXCursor_StmtExpr] = lower_stmt_expr,
	[CXCursor_IfStmt] = lower_if,
	[CXCursor_WhileStmt] = lower_while,
	[CXCursor_DoStmt] = lower_do,
	[CXCursor_ForStmt] = lower_for,
	[CXCursor_SwitchStmt] = lower_switch,
	[CXCursor_CaseStmt] = lower_case,
	[CXCursor_DefaultStmt] = lower_case,
	[CXCursor_LabelStmt] = lower_label,
	[CXCursor_GotoStmt] = lower_goto,
	[CXCursor_IndirectGotoStmt] = lower_nothing,
	[CXCursor_ReturnStmt] = lower_return,
	[CXCursor_BreakStmt] = lower_break,
	[CXCursor_ContinueStmt] = lower_continue,
	[CXCursor_CallExpr] = lower_call,
	[CXCursor_ConditionalOperator] = lower_ternary,
	[CXCursor_IntegerLiteral] = lower_const,
	[CXCursor_BinaryOperator] = lower_binary,
	[CXCursor_UnaryOperator] = lower_unary,
	[CXCursor_DeclRefExpr] = lower_ref,
	[CXCursor_VarDecl] = lower_var,
	[CXCursor_AsmStmt] = lower_asm,
	[CXCursor_UnaryExpr] = lower_nothing,	/* sizeof, alignof */
	[CXCursor_NullStmt] = lower_nothing,
	[CXCursor_TypeRef] = lower_nothing,
	[CXCursor_StructDecl] = lower_nothing,
	[CXCursor_UnionDecl] = lower_nothing,
	[CXCursor_EnumDecl] = lower_nothing,
	[CXCursor_TypedefDecl] = lower_nothing,
	[CXCursor_FunctionDecl] = lower_nothing,
	[CXCursor_StringLiteral] = lower_nothing,
	[CXCursor_CharacterLiteral] = lower_nothing,
	[CXCursor_FloatingLiteral] = lower_nothing,
};

static struct cf_node *lower_any(struct builder *b, CXCursor c)
{
	enum CXCursorKind kind = clang_getCursorKind(c);
	size_t nr = sizeof(lower_kind) / sizeof(lower_kind[0]);

	if ((size_t)kind < nr && lower_kind[kind])
		return lower_kind[kind](b, c);
	if (clang_isAttribute(kind))
		return NULL;
	return lower_other(b, c);
}

/*
 * A tracked variable's read stands for the expression only where the
 * expression is the variable (through parentheses and conversions): the
 * value of "p->next", "x < 3" or "-x" is not x's, so such a read is
 * wrapped and means nothing as a condition.
 */
struct cf_node *lower(struct builder *b, CXCursor c)
{
	enum CXCursorKind kind = clang_getCursorKind(c);
	struct cf_node *n = lower_any(b, c), *seq;

	if (!n || n->kind != CF_VAR || kind == CXCursor_DeclRefExpr ||
	    kind == CXCursor_ParenExpr || kind == CXCursor_UnexposedExpr)
		return n;
	seq = lower_node(b, CF_SEQ);
	cf_add(seq, n);
	return seq;
}
