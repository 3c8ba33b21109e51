/*
 * extract.c: lower each function body of a parsed TU to the cflow IR and
 * record its context sites, calls and (for sinks) early-return guards.
 *
 * Context primitives are recognised by name: the name of the called
 * function, or the name of the macro the programmer wrote when the call
 * comes from a macro body (spin_lock_irqsave() expands to a call of
 * _raw_spin_lock_irqsave(); both may be listed in the rules).  We read the
 * macro name from the source text at the call's file location, which for a
 * call produced by a macro body is the macro invocation.
 *
 * libclang (14) exposes neither the operator of a binary or unary
 * expression nor which parts of a for statement are present, so those are
 * read from the source text when the tokens are in the file, and treated
 * conservatively when they come from a macro body.
 */
#define _GNU_SOURCE
#include "extract/extract.h"
#include "extract/cflow.h"
#include "extract/fnptr.h"
#include "extract/kids.h"
#include "extract/track.h"

#include <ctype.h>
#include <fnmatch.h>
#include <limits.h>
#include <xxhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- per-TU context ---- */

struct file_info {
	CXFile file;
	const char *path;
	const char *text;
	size_t size;
};

struct tu_ctx {
	CXTranslationUnit tu;
	const struct rules *rules;
	const char *dir;
	struct fact_tu *out;
	struct arena *arena;
	CXFile main;
	struct file_info *files;
	int nr_files, alloc_files;
	struct strmap gfp_param;	/* callee name -> gfp arg index + 1, or -1 */
	struct fact_reg *regs;
	int nr_regs, alloc_regs;
	unsigned last_reg_off;		/* one macro makes several decls */
	struct file_info *last_reg_file;
	struct fnptr_ctx fp;		/* function pointer stores */
	struct strmap seen;		/* rules names met: name -> rules_name */
};

/* A name the rules use, met in this TU (for the rules coverage). */
static void saw(struct tu_ctx *t, const char *name)
{
	const struct rules_name *rn = name ? rules_lookup(t->rules, name) : NULL;

	if (rn)
		strmap_put(&t->seen, rn->name, (void *)rn);
}

static const char *canonical_path(struct tu_ctx *t, CXFile f)
{
	CXString s = clang_getFileName(f);
	const char *name = clang_getCString(s);
	const char *res = arena_realpath(t->arena, t->dir, name ? name : "");

	clang_disposeString(s);
	return res;
}

static struct file_info *file_info(struct tu_ctx *t, CXFile f)
{
	struct file_info *fi;
	int i;

	for (i = t->nr_files - 1; i >= 0; i--)
		if (clang_File_isEqual(t->files[i].file, f))
			return &t->files[i];
	ALLOC_GROW(t->files, t->nr_files + 1, t->alloc_files);
	fi = &t->files[t->nr_files++];
	fi->file = f;
	fi->path = canonical_path(t, f);
	fi->text = clang_getFileContents(t->tu, f, &fi->size);
	return fi;
}

static const char *path_of(void *data, CXFile f)
{
	return file_info(data, f)->path;
}

/* The source text of an expression written in the file, or NULL. */
static const char *expr_text(struct tu_ctx *t, CXCursor c)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1, f2;
	unsigned o1, o2;
	struct file_info *fi;

	clang_getFileLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o1);
	clang_getFileLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &o2);
	if (!f1 || !f2 || !clang_File_isEqual(f1, f2) || o2 <= o1 || o2 - o1 > 120)
		return NULL;
	fi = file_info(t, f1);
	if (!fi->text || o2 > fi->size)
		return NULL;
	return arena_strndup(t->arena, fi->text + o1, o2 - o1);
}

/* File location of a cursor: macro arguments where spelled, macro bodies
 * at their invocation. */
static struct file_info *cursor_floc(struct tu_ctx *t, CXCursor c,
				     unsigned *line, unsigned *col,
				     unsigned *off)
{
	CXFile f;
	unsigned l, cl, o;

	clang_getFileLocation(clang_getCursorLocation(c), &f, &l, &cl, &o);
	if (line)
		*line = l;
	if (col)
		*col = cl;
	if (off)
		*off = o;
	return f ? file_info(t, f) : NULL;
}

static struct file_info *range_start(struct tu_ctx *t, CXCursor c,
				     unsigned *off)
{
	CXFile f;
	unsigned l, cl, o;

	clang_getFileLocation(clang_getRangeStart(clang_getCursorExtent(c)),
			      &f, &l, &cl, &o);
	*off = o;
	return f ? file_info(t, f) : NULL;
}

static void set_loc(struct tu_ctx *t, CXCursor c, struct fact_loc *loc)
{
	struct file_info *fi = cursor_floc(t, c, &loc->line, &loc->col, NULL);

	loc->file = fi ? fi->path : "";
}

static int is_ident(int ch)
{
	return isalnum(ch) || ch == '_';
}

/* The identifier starting at off in fi, copied into buf. */
static const char *ident_at(struct file_info *fi, unsigned off, char *buf,
			    size_t size)
{
	size_t n = 0;

	if (!fi || !fi->text || off >= fi->size)
		return NULL;
	if (!(isalpha((unsigned char)fi->text[off]) || fi->text[off] == '_'))
		return NULL;
	while (off + n < fi->size && is_ident((unsigned char)fi->text[off + n]) &&
	       n + 1 < size) {
		buf[n] = fi->text[off + n];
		n++;
	}
	buf[n] = '\0';
	return buf;
}

/* Skip back over blanks and comments from off (exclusive); -1 if none. */
static long skip_back(const char *s, long off)
{
	for (;;) {
		while (off > 0 && isspace((unsigned char)s[off - 1]))
			off--;
		if (off >= 2 && s[off - 1] == '/' && s[off - 2] == '*') {
			long p = off - 2;

			while (p >= 2 && !(s[p - 2] == '/' && s[p - 1] == '*'))
				p--;
			if (p < 2)
				return off;
			off = p - 2;
			continue;
		}
		return off;
	}
}

/* ---- function builder ---- */

struct builder {
	struct tu_ctx *t;
	struct cf_func cf;
	struct arena *arena;
	struct cf_node *scope;		/* innermost scope for guards */
	struct cf_node *switches[64];
	int nr_switches;
	struct strmap labels;		/* name -> label index + 1 */
	struct arena label_names;
	struct fact_site *sites;
	int alloc_sites;
	struct fact_call *calls;
	int nr_calls, alloc_calls;
	int sleep_call;
	/* last primitive expansion, so a macro with several calls counts once */
	const char *prim_file;
	unsigned prim_off;
	const struct rules_name *prim_name;
	/* boot checks: the distinct predicates, their uses, local copies */
	const struct rules_boot_pred **preds;
	int alloc_preds;
	struct fact_check *checks;
	int nr_checks, alloc_checks;
	struct local_copy *locals;
	int nr_locals, alloc_locals;
	struct tracker tr;		/* variables the IR follows */
};

/* A local variable holding a boot check: "int __ret = !!(cond);" */
struct local_copy {
	CXCursor var;
	struct cf_node *value;
};

static struct cf_node *lower(struct builder *b, CXCursor c);

static struct cf_node *node(struct builder *b, enum cf_kind k)
{
	return cf_new(&b->cf, k);
}

static void add(struct cf_node *parent, struct cf_node *kid)
{
	if (kid)
		cf_add(parent, kid);
}

static struct cf_node *or_empty(struct builder *b, struct cf_node *n)
{
	return n ? n : node(b, CF_EMPTY);
}

static struct cf_node *lower_kids(struct builder *b, struct kids *k, int from)
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
			seq = node(b, CF_SEQ);
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

static void append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > size)
		n = size - *len - 1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/*
 * Structural text of a lock argument: "&zone->lock" and
 * "spinlock_check(&zone->lock)" both give "zone->lock".
 */
static void lock_text(CXCursor c, char *buf, size_t size, size_t *len)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	struct kids kids;
	CXString s;
	const char *name;

	if (*len + 1 >= size)
		return;
	get_kids(c, &kids);
	switch (k) {
	case CXCursor_DeclRefExpr:
		s = clang_getCursorSpelling(c);
		name = clang_getCString(s);
		append(buf, size, len, name ? name : "");
		clang_disposeString(s);
		break;
	case CXCursor_MemberRefExpr:
		if (kids.n >= 1) {
			CXType bt = clang_getCursorType(kids.v[0]);

			lock_text(kids.v[0], buf, size, len);
			bt = clang_getCanonicalType(bt);
			append(buf, size, len,
			       bt.kind == CXType_Pointer ? "->" : ".");
		}
		s = clang_getCursorSpelling(c);
		name = clang_getCString(s);
		append(buf, size, len, name ? name : "");
		clang_disposeString(s);
		break;
	case CXCursor_ArraySubscriptExpr:
		if (kids.n >= 1)
			lock_text(kids.v[0], buf, size, len);
		append(buf, size, len, "[]");
		break;
	case CXCursor_CallExpr:
		/* accessor such as spinlock_check(l) or a lock getter */
		if (clang_Cursor_getNumArguments(c) == 1) {
			lock_text(clang_Cursor_getArgument(c, 0), buf, size, len);
		} else {
			s = clang_getCursorSpelling(c);
			name = clang_getCString(s);
			append(buf, size, len, name ? name : "");
			append(buf, size, len, "()");
			clang_disposeString(s);
		}
		break;
	case CXCursor_BinaryOperator:
		/* comma expression: ((void)(subclass), (lock)) */
		if (kids.n == 2)
			lock_text(kids.v[1], buf, size, len);
		break;
	default:
		/* &x, (x), casts, implicit conversions: look through */
		if (kids.n >= 1)
			lock_text(kids.v[kids.n - 1], buf, size, len);
		break;
	}
	free(kids.v);
}

static const char *lock_key(struct builder *b, CXCursor call, int arg)
{
	char buf[256];
	size_t len = 0;

	if (arg <= 0 || clang_Cursor_getNumArguments(call) < arg)
		return NULL;
	buf[0] = '\0';
	lock_text(clang_Cursor_getArgument(call, arg - 1), buf, sizeof(buf), &len);
	return len ? arena_strdup(b->arena, buf) : NULL;
}

/* The text of a call from its file location to the balancing ')'. */
static const char *call_text(struct builder *b, CXCursor c)
{
	unsigned off, end;
	struct file_info *fi = range_start(b->t, c, &off);
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

/* Index of the gfp_t parameter of the callee, or -1 (cached per name). */
static int gfp_param(struct builder *b, CXCursor callee, const char *name)
{
	struct tu_ctx *t = b->t;
	intptr_t v = (intptr_t)strmap_get(&t->gfp_param, name);
	CXType ft;
	int i, n, found = -1;

	if (v)
		return v > 0 ? (int)v - 1 : -1;
	ft = clang_getCursorType(callee);
	n = clang_getNumArgTypes(ft);
	for (i = 0; i < n && t->rules->gfp_type; i++) {
		CXString s = clang_getTypeSpelling(clang_getArgType(ft, i));
		const char *ts = clang_getCString(s);

		if (ts && !strcmp(ts, t->rules->gfp_type))
			found = i;
		clang_disposeString(s);
		if (found >= 0)
			break;
	}
	strmap_put(&t->gfp_param, arena_strdup(t->arena, name),
		   (void *)(intptr_t)(found >= 0 ? found + 1 : -1));
	return found;
}

/* A sleeping GFP flag named in the argument's source text, or NULL. */
static const char *gfp_sleep_flag(struct builder *b, CXCursor arg)
{
	unsigned off, end;
	struct file_info *fi = range_start(b->t, arg, &off);
	int depth = 0;
	char id[128];

	if (!fi || !fi->text)
		return NULL;
	for (end = off; end < fi->size && end - off < 300; end++) {
		char ch = fi->text[end];
		const struct rules_name *rn;

		if (ch == '(') {
			depth++;
		} else if (ch == ')' || ch == ',') {
			if (depth-- == 0)
				break;
		} else if ((isalpha((unsigned char)ch) || ch == '_') &&
			   (end == off || !is_ident((unsigned char)fi->text[end - 1]))) {
			if (ident_at(fi, end, id, sizeof(id)) &&
			    (rn = rules_lookup(b->t->rules, id)) && rn->gfp_sleep_flag)
				return rn->name;
		} else if (ch == ';') {
			break;
		}
	}
	return NULL;
}

static struct fact_site *new_site(struct builder *b, int context,
				  const char *key, const char *prim,
				  CXCursor c, int *site)
{
	struct fact_site *fs;

	*site = cf_new_site(&b->cf, context, key);
	ALLOC_GROW(b->sites, b->cf.nr_sites, b->alloc_sites);
	fs = &b->sites[*site];
	memset(fs, 0, sizeof(*fs));
	fs->context = context;
	fs->key = key;
	fs->prim = arena_strdup(b->arena, prim);
	set_loc(b->t, c, &fs->loc);
	return fs;
}

/*
 * Argument arg (1-based) of the macro invocation at off in fi, from the
 * source text, into buf without blanks, parentheses or a leading '&':
 * "raw_spin_lock_irqsave(&meta->lock, flags)" gives "meta->lock" for 1.
 * Returns the length, 0 if there is no such argument.
 */
static size_t macro_argument(struct file_info *fi, unsigned off, int arg,
			     char *buf, size_t size)
{
	size_t n = 0;
	int depth = 0, cur = 1;
	unsigned p;

	if (!fi || !fi->text)
		return 0;
	for (p = off; p < fi->size && fi->text[p] != '('; p++)
		if (fi->text[p] == ';' || fi->text[p] == '\n')
			return 0;
	for (; p < fi->size; p++) {
		char ch = fi->text[p];

		if (ch == '(' && depth++ == 0)
			continue;
		if (ch == ')' && --depth == 0)
			break;
		if (ch == ',' && depth == 1) {
			if (cur++ == arg)
				break;
			continue;
		}
		if (cur != arg || isspace((unsigned char)ch) || ch == '(' ||
		    ch == ')' || n + 1 >= size)
			continue;
		if (!n && ch == '&')
			continue;
		buf[n++] = ch;
	}
	buf[n] = '\0';
	return n;
}

/* The lock named by argument arg of the primitive macro at off. */
static const char *macro_lock_key(struct builder *b, struct file_info *fi,
				  unsigned off, int arg)
{
	char buf[256];
	size_t n = macro_argument(fi, off, arg, buf, sizeof(buf));

	return n ? arena_strndup(b->arena, buf, n) : NULL;
}

static struct cf_node *lower_primitive(struct builder *b, CXCursor c,
				       const struct rules_name *rn,
				       const char *written, unsigned off,
				       struct file_info *fi, int by_macro)
{
	const struct rules_context *ctx = rn->context;
	const char *key = !ctx->lock_arg ? NULL :
			  by_macro ? macro_lock_key(b, fi, off, ctx->lock_arg) :
			  lock_key(b, c, ctx->lock_arg);
	struct cf_node *n;
	int site;

	/*
	 * A primitive macro (matched by the name written at the call) that
	 * expands to several calls is one event.
	 */
	if (by_macro) {
		if (fi && b->prim_file == fi->path && b->prim_off == off &&
		    b->prim_name == rn)
			return NULL;
		b->prim_file = fi ? fi->path : NULL;
		b->prim_off = off;
		b->prim_name = rn;
	}
	switch (rn->effect) {
	case RULES_ACQUIRE:
	case RULES_GUARD_CLASS:
		new_site(b, ctx->index, key, written, c, &site);
		n = node(b, CF_ACQUIRE);
		n->site = site;
		if (rn->effect == RULES_GUARD_CLASS && b->scope)
			cf_scope_release(&b->cf, b->scope, site);
		return n;
	case RULES_TRY_ACQUIRE:
		new_site(b, ctx->index, key, written, c, &site);
		n = node(b, CF_TRY);
		n->site = site;
		return n;
	case RULES_RELEASE:
		n = node(b, CF_RELEASE);
		n->context = ctx->index;
		n->key = key;
		return n;
	default:
		return NULL;
	}
}

static const struct rules_name *primitive(const struct rules *r,
					  const char *name)
{
	const struct rules_name *rn;

	if (!name)
		return NULL;
	rn = rules_lookup(r, name);
	if (rn && rn->context && rn->effect != RULES_EFFECT_NONE)
		return rn;
	rn = rules_guard_constructor(r, name);
	return rn;
}

/* ---- boot checks ---- */

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

static void add_check(struct builder *b, int pred, CXCursor at, int is_call)
{
	struct fact_check *fc;

	ALLOC_GROW(b->checks, b->nr_checks + 1, b->alloc_checks);
	fc = &b->checks[b->nr_checks++];
	memset(fc, 0, sizeof(*fc));
	fc->pred = b->preds[pred];
	fc->is_call = is_call;
	set_loc(b->t, at, &fc->loc);
}

/*
 * A boot check around kid (the call that computes it, or NULL for a
 * variable).  A check with a comparison in the rules stays raw (unknown)
 * until its comparison has been read.
 */
static struct cf_node *pred_node(struct builder *b,
				 const struct rules_boot_pred *p, CXCursor at,
				 struct cf_node *kid)
{
	struct cf_node *n = node(b, CF_PRED);

	n->pred = pred_index(b, p);
	n->value = p->compare != NULL;
	if (kid)
		cf_add(n, kid);
	if (!n->value)
		add_check(b, n->pred, at, kid != NULL);
	return n;
}

static int has_pred(const struct cf_node *n)
{
	const struct cf_node *k;

	if (!n)
		return 0;
	if (n->kind == CF_PRED)
		return 1;
	for (k = n->kids; k; k = k->next)
		if (has_pred(k))
			return 1;
	return 0;
}

/* Forget the checks in n: an operator we cannot read makes them unknown. */
static void unpred(struct cf_node *n)
{
	struct cf_node *k;

	if (!n)
		return;
	if (n->kind == CF_PRED)
		n->kind = CF_SEQ;
	for (k = n->kids; k; k = k->next)
		unpred(k);
}

/* A check, negated any number of times: what a local copy may hold. */
static int pure_pred(const struct cf_node *n)
{
	while (n && (n->kind == CF_NOT || n->kind == CF_TRANSPARENT))
		n = n->kids;
	return n && n->kind == CF_PRED && !n->value;
}

/* The value of a local copy, without the call that computed it. */
static struct cf_node *copy_pred(struct builder *b, const struct cf_node *n)
{
	struct cf_node *c;

	if (n->kind == CF_TRANSPARENT)
		return copy_pred(b, n->kids);
	c = node(b, n->kind);
	if (n->kind == CF_NOT)
		cf_add(c, copy_pred(b, n->kids));
	else
		c->pred = n->pred;
	return c;
}

static char *pretty(CXCursor c)
{
	CXPrintingPolicy pp = clang_getCursorPrintingPolicy(c);
	CXString s = clang_getCursorPrettyPrinted(c, pp);
	char *r = xstrdup(clang_getCString(s) ? clang_getCString(s) : "");

	clang_disposeString(s);
	clang_PrintingPolicy_dispose(pp);
	return r;
}

static int is_op_char(int ch)
{
	return ch && strchr("=!<>&|+-*/%^", ch) != NULL;
}

/* The operator at s (after blanks), at most 2 characters, into op. */
static int read_op(const char *s, size_t len, char op[3])
{
	size_t i = 0, n = 0;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	while (i < len && n < 2 && is_op_char((unsigned char)s[i]))
		op[n++] = s[i++];
	op[n] = '\0';
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	return n && i == len;
}

/*
 * The operator of the binary expression c: from the source text between
 * its operands when both are in the file, else from the pretty-printed
 * expression (tokens from a macro body have no text of their own).
 */
static int binary_op(struct builder *b, CXCursor c, CXCursor lhs, CXCursor rhs,
		     char op[3])
{
	CXFile lf, rf;
	unsigned le, rs;
	char *all, *left;
	size_t n;
	int ok = 0;

	clang_getFileLocation(clang_getRangeEnd(clang_getCursorExtent(lhs)),
			      &lf, NULL, NULL, &le);
	clang_getFileLocation(clang_getRangeStart(clang_getCursorExtent(rhs)),
			      &rf, NULL, NULL, &rs);
	if (lf && rf && clang_File_isEqual(lf, rf) && le < rs) {
		struct file_info *fi = file_info(b->t, lf);

		if (fi->text && rs <= fi->size &&
		    read_op(fi->text + le, rs - le, op))
			return 1;
	}
	all = pretty(c);
	left = pretty(lhs);
	n = strlen(left);
	if (n && !strncmp(all, left, n)) {
		const char *rest = all + n, *p = rest;

		while (isspace((unsigned char)*p))
			p++;
		while (is_op_char((unsigned char)*p))
			p++;
		ok = read_op(rest, p - rest, op);
	}
	free(all);
	free(left);
	return ok;
}

/*
 * 1: "!x", 0: another unary operator.  From the text when the operator is
 * in the file; else from the printed form where libclang prints
 * expressions; else from the type: the only unary operator kernel macros
 * apply to a condition is "!" (WARN_ON's "!!"), whose value is an int.
 */
static int unary_not(struct builder *b, CXCursor op, CXCursor operand)
{
	unsigned oo, po;
	struct file_info *of = range_start(b->t, op, &oo);
	struct file_info *pf = range_start(b->t, operand, &po);
	char *text;
	int r;

	if (of && of == pf && of->text && oo < po && oo < of->size)
		return of->text[oo] == '!';
	text = pretty(op);
	r = text[0] ? text[0] == '!' :
	    clang_getCanonicalType(clang_getCursorType(op)).kind == CXType_Int;
	free(text);
	return r;
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

static int int_value(CXCursor c, long long *v)
{
	CXEvalResult ev = clang_Cursor_Evaluate(c);
	int ok = 0;

	if (ev) {
		if (clang_EvalResult_getKind(ev) == CXEval_Int) {
			*v = clang_EvalResult_getAsLongLong(ev);
			ok = 1;
		}
		clang_EvalResult_dispose(ev);
	}
	return ok;
}

/* Two lowered operands of an operator without control flow. */
static struct cf_node *combine(struct builder *b, struct cf_node *l,
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
	seq = node(b, CF_SEQ);
	cf_add(seq, l);
	cf_add(seq, r);
	return seq;
}

/*
 * A binary expression with a boot check in an operand: a logical
 * operator the text did not show, or a comparison of the check with a
 * number ("num_online_cpus() > 1", "page_alloc_available == 0").
 */
static struct cf_node *pred_binary(struct builder *b, CXCursor c,
				   CXCursor lhs, CXCursor rhs,
				   struct cf_node *l, struct cf_node *r)
{
	struct cf_node *pn, *n;
	char op[3], seen[64];
	long long v;
	int flip, sense = 0;

	if (!binary_op(b, c, lhs, rhs, op))
		goto opaque;
	if (!strcmp(op, "&&") || !strcmp(op, "||")) {
		n = node(b, op[0] == '&' ? CF_AND : CF_OR);
		cf_add(n, or_empty(b, l));
		cf_add(n, or_empty(b, r));
		return n;
	}
	flip = !(l && l->kind == CF_PRED);
	pn = flip ? r : l;
	if (!pn || pn->kind != CF_PRED || !int_value(flip ? lhs : rhs, &v) ||
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
	n = node(b, CF_NOT);
	cf_add(n, pn);
	return n;
opaque:
	unpred(l);
	unpred(r);
	return combine(b, l, r);
}

/* A read of tracked variable v. */
static struct cf_node *var_node(struct builder *b, int v)
{
	struct cf_node *n = node(b, CF_VAR);

	n->var = v;
	return n;
}

/* A variable read: a boot check, a local copy of one, or a tracked one. */
static struct cf_node *lower_ref(struct builder *b, CXCursor c)
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
	saw(b->t, clang_getCString(s));
	rn = clang_getCString(s) ? rules_lookup(b->t->rules, clang_getCString(s)) : NULL;
	clang_disposeString(s);
	for (i = 0; i < b->nr_locals; i++)
		if (clang_equalCursors(b->locals[i].var, ref))
			return copy_pred(b, b->locals[i].value);
	if (rk == CXCursor_VarDecl && rn && rn->boot_pred &&
	    !rn->boot_pred->compare && b->t->rules->boot.nr_phases)
		return pred_node(b, rn->boot_pred, c, NULL);
	v = track_var_of(&b->tr, ref);
	return v >= 0 ? var_node(b, v) : NULL;
}

/* v = what value computes (a constant when the expression is one). */
static struct cf_node *assign_node(struct builder *b, int v, CXCursor expr,
				   struct cf_node *value)
{
	struct cf_node *n = node(b, CF_ASSIGN);
	long long k;

	n->var = v;
	if (!clang_Cursor_isNull(expr) && int_value(expr, &k)) {
		struct cf_node *c = node(b, CF_CONST);

		c->value = k != 0;
		track_constant(&b->tr, v);
		if (value && value->kind != CF_CONST) {
			struct cf_node *seq = node(b, CF_SEQ);

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

static struct cf_node *lower_var(struct builder *b, CXCursor c)
{
	struct kids k;
	struct cf_node *n;
	int v, init;

	fnptr_var(&b->t->fp, c);
	get_kids(c, &k);
	n = lower_kids(b, &k, 0);
	if (pure_pred(n)) {
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

/* ---- registrations ---- */

/* The function an argument names, looking through casts, parens and '&'. */
static CXCursor function_named(CXCursor c)
{
	struct kids k;
	CXCursor r = clang_getNullCursor();

	if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
		CXCursor ref = clang_getCursorReferenced(c);

		return clang_getCursorKind(ref) == CXCursor_FunctionDecl ? ref : r;
	}
	get_kids(c, &k);
	if (k.n >= 1)
		r = function_named(k.v[k.n - 1]);
	free(k.v);
	return r;
}

static struct fact_reg *add_reg(struct tu_ctx *t,
				const struct rules_registration *rule,
				CXCursor fn, const char *name, CXCursor at)
{
	struct fact_reg *fr;

	ALLOC_GROW(t->regs, t->nr_regs + 1, t->alloc_regs);
	fr = &t->regs[t->nr_regs++];
	memset(fr, 0, sizeof(*fr));
	fr->how = rule->is_macro ? HOW_MACRO : HOW_CALL;
	fr->rule = rule;
	fr->callback = arena_strdup(t->arena, name);
	set_loc(t, at, &fr->loc);
	if (!clang_Cursor_isNull(fn) &&
	    clang_getCursorLinkage(fn) == CXLinkage_Internal) {
		CXCursor def = clang_getCursorDefinition(fn);
		CXFile f;

		if (clang_Cursor_isNull(def))
			def = fn;
		clang_getFileLocation(clang_getCursorLocation(def), &f, NULL,
				      NULL, NULL);
		fr->callback_file = f ? file_info(t, f)->path : "";
	}
	return fr;
}

/* Text of an argument for a match pattern: a constant's name, or printed. */
static char *argument_text(CXCursor arg)
{
	struct kids k;
	char *r;

	for (;;) {
		if (clang_getCursorKind(arg) == CXCursor_DeclRefExpr) {
			CXString s = clang_getCursorSpelling(arg);

			r = xstrdup(clang_getCString(s) ? clang_getCString(s) : "");
			clang_disposeString(s);
			return r;
		}
		get_kids(arg, &k);
		if (k.n != 1 || clang_getCursorKind(arg) == CXCursor_CallExpr) {
			free(k.v);
			return pretty(arg);
		}
		arg = k.v[0];
		free(k.v);
	}
}

/* A call that registers a callback: cpuhp_setup_state(..., fn, ...). */
static void call_registration(struct builder *b, CXCursor call,
			      const struct rules_registration *rule)
{
	int nargs = clang_Cursor_getNumArguments(call);
	struct fact_reg *fr;
	CXCursor fn;
	CXString s;

	if (rule->callback > nargs || (rule->match_arg && rule->match_arg > nargs))
		return;
	if (rule->match_arg) {
		char *text = argument_text(clang_Cursor_getArgument(call,
							rule->match_arg - 1));
		int match = !fnmatch(rule->match, text, 0);

		free(text);
		if (!match)
			return;
	}
	fn = function_named(clang_Cursor_getArgument(call, rule->callback - 1));
	if (clang_Cursor_isNull(fn))
		return;		/* a function pointer variable: not followed */
	s = clang_getCursorSpelling(fn);
	fr = add_reg(b->t, rule, fn, clang_getCString(s), call);
	clang_disposeString(s);
	if (rule->alt_arg && rule->alt_arg <= nargs) {
		char *text = argument_text(clang_Cursor_getArgument(call,
							rule->alt_arg - 1));

		fr->alt = !fnmatch(rule->alt_match, text, 0);
		free(text);
	}
}

struct find_fn {
	const char *name;
	CXCursor found;
};

static enum CXChildVisitResult find_function(CXCursor c, CXCursor parent,
					     CXClientData data)
{
	struct find_fn *ff = data;
	CXCursor fn;
	CXString s;
	int same;

	if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
		return CXChildVisit_Recurse;
	fn = clang_getCursorReferenced(c);
	if (clang_getCursorKind(fn) != CXCursor_FunctionDecl)
		return CXChildVisit_Continue;
	s = clang_getCursorSpelling(fn);
	same = clang_getCString(s) && !strcmp(clang_getCString(s), ff->name);
	clang_disposeString(s);
	if (!same)
		return CXChildVisit_Continue;
	ff->found = fn;
	return CXChildVisit_Break;
}

/*
 * A registration by the macro the caller wrote (timer_setup()), when the
 * rules name that macro: its arguments are read as written and the
 * callback is found by name in the expansion.  So the function the macro
 * ends in may be renamed (6.12's init_timer_key() is 6.19's
 * timer_init_key()) without losing a registration.
 */
static void macro_call_registration(struct builder *b, CXCursor call,
				    const struct rules_registration *rule,
				    struct file_info *fi, unsigned off)
{
	char cb[256], text[256];
	struct fact_reg *fr;
	struct find_fn ff;

	if (rule->match_arg &&
	    (!macro_argument(fi, off, rule->match_arg, text, sizeof(text)) ||
	     fnmatch(rule->match, text, 0)))
		return;
	if (fi == b->t->last_reg_file && off == b->t->last_reg_off)
		return;		/* another call the same macro expands to */
	if (!macro_argument(fi, off, rule->callback, cb, sizeof(cb)))
		return;
	ff.name = cb;
	ff.found = clang_getNullCursor();
	clang_visitChildren(call, find_function, &ff);
	if (clang_Cursor_isNull(ff.found))
		return;		/* not a function: a pointer variable */
	b->t->last_reg_file = fi;
	b->t->last_reg_off = off;
	fr = add_reg(b->t, rule, ff.found, cb, call);
	if (rule->alt_arg &&
	    macro_argument(fi, off, rule->alt_arg, text, sizeof(text)))
		fr->alt = !fnmatch(rule->alt_match, text, 0);
}

/* The registration macro written in c's text, its offset in *off. */
static const struct rules_name *registration_macro(struct tu_ctx *t, CXCursor c,
						   struct file_info **fi,
						   unsigned *off)
{
	CXSourceRange r = clang_getCursorExtent(c);
	unsigned p, end;
	CXFile f, fe;
	char name[256];

	clang_getFileLocation(clang_getRangeStart(r), &f, NULL, NULL, &p);
	clang_getFileLocation(clang_getRangeEnd(r), &fe, NULL, NULL, &end);
	if (!f || !fe || !clang_File_isEqual(f, fe))
		return NULL;
	*fi = file_info(t, f);
	if (!(*fi)->text || end > (*fi)->size)
		return NULL;
	/* "static DEFINE_TIMER(name, fn)": the macro is not always first */
	for (; p < end; p++) {
		const struct rules_name *rn;

		if (!(isalpha((unsigned char)(*fi)->text[p]) || (*fi)->text[p] == '_') ||
		    (p && is_ident((unsigned char)(*fi)->text[p - 1])))
			continue;
		if (ident_at(*fi, p, name, sizeof(name)) &&
		    (rn = rules_lookup(t->rules, name)) && rn->registration &&
		    rn->registration->is_macro) {
			*off = p;
			saw(t, rn->name);
			return rn;
		}
	}
	return NULL;
}

/*
 * A file-scope declaration made by a registration macro such as
 * early_initcall(fn): the callback is the macro argument, and the
 * declaration refers to it (which gives its linkage).
 */
static void macro_registration(struct tu_ctx *t, CXCursor c)
{
	const struct rules_name *rn;
	struct file_info *fi;
	struct find_fn ff;
	char name[256];
	unsigned off;

	if (!(rn = registration_macro(t, c, &fi, &off)))
		return;
	if (fi == t->last_reg_file && off == t->last_reg_off)
		return;		/* another declaration of the same macro */
	t->last_reg_file = fi;
	t->last_reg_off = off;
	if (!macro_argument(fi, off, rn->registration->callback, name,
			    sizeof(name)))
		return;
	ff.name = name;
	ff.found = clang_getNullCursor();
	clang_visitChildren(c, find_function, &ff);
	add_reg(t, rn->registration, ff.found, name, c);
}

/* A call through a function pointer: resolved when the graph is whole. */
static void indirect_call(struct builder *b, struct cf_node *n, CXCursor c,
			  CXCursor callee, const char *key)
{
	struct fact_call *fc;

	n->call = cf_new_call(&b->cf);
	ALLOC_GROW(b->calls, b->cf.nr_calls, b->alloc_calls);
	fc = &b->calls[n->call];
	memset(fc, 0, sizeof(*fc));
	fc->via = key;
	fc->via_text = expr_text(b->t, callee);
	set_loc(b->t, c, &fc->loc);
}

static struct cf_node *lower_call(struct builder *b, CXCursor c)
{
	CXCursor ref = clang_getCursorReferenced(c);
	const struct rules *r = b->t->rules;
	const struct rules_name *prim = NULL, *rn, *wr;
	char wbuf[128];
	const char *written, *name = NULL;
	CXString s = { 0 };
	unsigned off = 0;
	struct file_info *fi;
	struct fact_call *fc;
	struct cf_node *n;
	struct kids k;
	int i, nargs, direct, by_macro;

	direct = !clang_Cursor_isNull(ref) &&
		 clang_getCursorKind(ref) == CXCursor_FunctionDecl;
	if (direct) {
		s = clang_getCursorSpelling(ref);
		name = clang_getCString(s);
	}
	fi = cursor_floc(b->t, c, NULL, NULL, &off);
	written = ident_at(fi, off, wbuf, sizeof(wbuf));
	if (written && name && strcmp(written, name))
		prim = primitive(r, written);	/* the macro the caller wrote */
	else
		written = name;
	by_macro = prim != NULL;
	saw(b->t, name);
	if (written != name)
		saw(b->t, written);
	if (!prim)
		prim = primitive(r, name);
	if (prim) {
		n = lower_primitive(b, c, prim, by_macro ? written : name, off,
				    fi, by_macro);
		if (direct)
			clang_disposeString(s);
		return n;
	}
	if (name && !strncmp(name, "__builtin_expect", 16)) {
		get_kids(c, &k);
		n = node(b, CF_TRANSPARENT);
		for (i = 1; i < k.n; i++)
			cf_add(n, or_empty(b, lower(b, k.v[i])));
		free(k.v);
		clang_disposeString(s);
		return n;
	}

	/* arguments (and the callee expression) are evaluated first */
	get_kids(c, &k);
	n = node(b, CF_CALL);
	for (i = 0; i < k.n; i++)
		add(n, lower(b, k.v[i]));
	if (!direct) {
		struct fnptr_ref via = { 0 };

		if (k.n)
			fnptr_expr(&b->t->fp, k.v[0], &via);
		if (via.kind == FNPTR_KEY)
			indirect_call(b, n, c, k.v[0], via.key);
		free(k.v);
		return n;
	}
	free(k.v);
	fnptr_call_args(&b->t->fp, c, ref);

	n->call = cf_new_call(&b->cf);
	ALLOC_GROW(b->calls, b->cf.nr_calls, b->alloc_calls);
	fc = &b->calls[n->call];
	memset(fc, 0, sizeof(*fc));
	fc->callee = arena_strdup(b->arena, name);
	set_loc(b->t, c, &fc->loc);
	if (clang_getCursorLinkage(ref) == CXLinkage_Internal) {
		CXCursor def = clang_getCursorDefinition(ref);
		CXFile f;

		if (clang_Cursor_isNull(def))
			def = ref;
		clang_getFileLocation(clang_getCursorLocation(def), &f, NULL,
				      NULL, NULL);
		fc->callee_file = f ? file_info(b->t, f)->path : "";
	}
	rn = rules_lookup(r, name);
	if ((rn && rn->sleeps_at) ||
	    (written && (rn = rules_lookup(r, written)) && rn->sleeps_at)) {
		fc->text = call_text(b, c);
		if (b->sleep_call < 0)
			b->sleep_call = n->call;
	}
	nargs = clang_Cursor_getNumArguments(c);
	for (i = 0; i < nargs && i < TRACK_MAX_PARAMS; i++) {
		int v = track_arg_value(clang_Cursor_getArgument(c, i));

		if (v == 0)
			fc->arg_zero |= (uint32_t)1 << i;
		else if (v == 1)
			fc->arg_nonzero |= (uint32_t)1 << i;
	}
	if (nargs > 0 && r->gfp_type) {
		int gi = gfp_param(b, ref, name);

		if (gi >= 0 && gi < nargs)
			fc->gfp_flag = gfp_sleep_flag(b, clang_Cursor_getArgument(c, gi));
	}
	wr = written != name ? rules_lookup(r, written) : NULL;
	rn = rules_lookup(r, name);
	if (wr && wr->registration && !wr->registration->is_macro)
		macro_call_registration(b, c, wr->registration, fi, off);
	else if (rn && rn->registration && !rn->registration->is_macro)
		call_registration(b, c, rn->registration);
	if (rn && rn->boot_pred && r->boot.nr_phases)
		n = pred_node(b, rn->boot_pred, c, n);
	clang_disposeString(s);
	return n;
}

/* "a || b" or "a && b": read the operator before b in the source. */
static enum cf_kind logical_op(struct builder *b, CXCursor lhs, CXCursor rhs)
{
	unsigned lo, ro;
	struct file_info *lf = range_start(b->t, lhs, &lo);
	struct file_info *rf = range_start(b->t, rhs, &ro);
	long p;

	if (!lf || lf != rf || !rf->text || lo >= ro || ro > rf->size)
		return CF_SEQ;
	p = ro;
	for (;;) {
		p = skip_back(rf->text, p);
		if (p > 0 && rf->text[p - 1] == '(') {
			p--;
			continue;
		}
		break;
	}
	if (p < 2 || p - 2 < (long)lo)
		return CF_SEQ;
	if (rf->text[p - 1] == '|' && rf->text[p - 2] == '|')
		return CF_OR;
	if (rf->text[p - 1] == '&' && rf->text[p - 2] == '&')
		return CF_AND;
	return CF_SEQ;
}

static int is_not(struct builder *b, CXCursor op, CXCursor operand)
{
	unsigned oo, po;
	struct file_info *of = range_start(b->t, op, &oo);
	struct file_info *pf = range_start(b->t, operand, &po);

	return of && of == pf && of->text && oo < po && oo < of->size &&
	       of->text[oo] == '!';
}

static struct cf_node *lower_const(struct builder *b, CXCursor c)
{
	CXEvalResult ev = clang_Cursor_Evaluate(c);
	struct cf_node *n = NULL;

	if (ev) {
		if (clang_EvalResult_getKind(ev) == CXEval_Int) {
			long long v = clang_EvalResult_getAsLongLong(ev);

			n = node(b, CF_CONST);
			n->value = v != 0;
		}
		clang_EvalResult_dispose(ev);
	}
	return n;
}

/* A part that is there but has no effect is not an absent part: for a
 * condition, CF_EMPTY would mean "for (;;)". */
static struct cf_node *present(struct builder *b, struct cf_node *n)
{
	return n ? n : node(b, CF_SEQ);
}

/* Which kids of a for statement are init, cond, inc: from the text. */
static void lower_for_parts(struct builder *b, CXCursor c, struct kids *k,
			    struct cf_node *parts[4])
{
	unsigned off, semi[2] = { 0, 0 }, close = 0;
	struct file_info *fi = range_start(b->t, c, &off);
	int depth = 0, nsemi = 0, i;
	unsigned p;

	if (fi && fi->text && off + 3 < fi->size &&
	    !strncmp(fi->text + off, "for", 3) && !is_ident((unsigned char)fi->text[off + 3])) {
		for (p = off + 3; p < fi->size; p++) {
			char ch = fi->text[p];

			if (ch == '(') {
				depth++;
			} else if (ch == ')') {
				if (--depth == 0) {
					close = p;
					break;
				}
			} else if (ch == ';' && depth == 1 && nsemi < 2) {
				semi[nsemi++] = p;
			}
		}
	}
	if (nsemi == 2 && close) {
		for (i = 0; i < k->n - 1; i++) {
			unsigned ko;
			struct file_info *kf = range_start(b->t, k->v[i], &ko);
			int slot = kf != fi ? -1 : ko < semi[0] ? 0 : ko < semi[1] ? 1 : ko < close ? 2 : -1;

			if (slot >= 0 && !parts[slot])
				parts[slot] = present(b, lower(b, k->v[i]));
		}
		return;
	}
	/* unknown layout: the caller falls back to CF_LOOP */
	parts[0] = parts[1] = parts[2] = (struct cf_node *)-1;
}

static struct cf_node *lower_for(struct builder *b, CXCursor c)
{
	struct cf_node *n = node(b, CF_FOR), *saved = b->scope;
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
				add(n, lower(b, k.v[i]));
			free(k.v);
			b->scope = saved;
			return n;
		}
		parts[3] = lower(b, k.v[k.n - 1]);
	}
	for (i = 0; i < 4; i++)
		cf_add(n, or_empty(b, parts[i]));
	free(k.v);
	b->scope = saved;
	return n;
}

static struct cf_node *lower_stmt_kids(struct builder *b, CXCursor c,
				       enum cf_kind kind, int want)
{
	struct cf_node *n = node(b, kind);
	struct kids k;
	int i;

	get_kids(c, &k);
	for (i = 0; i < k.n; i++)
		cf_add(n, or_empty(b, lower(b, k.v[i])));
	free(k.v);
	if (want && n->nkids != want) {
		/* unexpected shape: keep the calls, lose the control flow */
		n->kind = CF_LOOP;
	}
	return n;
}

/* ---- assertions and annotations that a context is held ---- */

struct lock_find {
	const struct rules *r;
	const char *key;		/* the lock wanted, or NULL: any */
	const struct rules_context *ctx;
};

/* A lock expression of a type the rules give a context (lock-types). */
static enum CXChildVisitResult find_lock(CXCursor c, CXCursor parent,
					 CXClientData data)
{
	struct lock_find *lf = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	const struct rules_name *rn;
	CXString ts;

	if (k != CXCursor_MemberRefExpr && k != CXCursor_DeclRefExpr)
		return CXChildVisit_Recurse;
	ts = clang_getTypeSpelling(clang_getCursorType(c));
	rn = clang_getCString(ts) ? rules_lookup(lf->r, clang_getCString(ts)) : NULL;
	clang_disposeString(ts);
	if (!rn || !rn->lock_type)
		return CXChildVisit_Recurse;
	if (lf->key) {
		char buf[256];
		size_t len = 0;

		buf[0] = '\0';
		lock_text(c, buf, sizeof(buf), &len);
		if (strcmp(buf, lf->key))
			return CXChildVisit_Continue;
	}
	lf->ctx = rn->lock_type;
	return CXChildVisit_Break;
}

static struct cf_node *held_site(struct builder *b, const struct rules_context *ctx,
				 const char *key, const char *prim, CXCursor at)
{
	struct fact_site *fs;
	struct cf_node *n;
	int site;

	fs = new_site(b, ctx->index, key, prim, at, &site);
	fs->is_assert = 1;
	n = node(b, CF_ACQUIRE);
	n->site = site;
	return n;
}

/*
 * A statement that asserts a context: lockdep_assert_irqs_disabled(), or
 * lockdep_assert_held(lock) with the lock's type naming the context.
 * Without lockdep these expand to empty statements, so they are matched
 * by the macro name written at the statement.
 */
static struct cf_node *assertion(struct builder *b, CXCursor stmt)
{
	const struct rules_name *rn;
	struct file_info *fi;
	struct lock_find lf;
	char name[128], key[256];
	unsigned off;

	fi = cursor_floc(b->t, stmt, NULL, NULL, &off);
	if (!ident_at(fi, off, name, sizeof(name)) ||
	    !(rn = rules_lookup(b->t->rules, name)))
		return NULL;
	saw(b->t, rn->name);
	if (rn->context && rn->effect == RULES_ASSERT)
		return held_site(b, rn->context, NULL, rn->name, stmt);
	if (!rn->held_assert || !macro_argument(fi, off, 1, key, sizeof(key)))
		return NULL;
	lf.r = b->t->rules;
	lf.key = NULL;
	lf.ctx = NULL;
	clang_visitChildren(stmt, find_lock, &lf);
	return lf.ctx ? held_site(b, lf.ctx, arena_strdup(b->arena, key),
				  rn->name, stmt) : NULL;
}

/*
 * __must_hold(lock) between a function's name and its body: the lock is
 * held on entry.  Its context comes from the type of that lock where the
 * body uses it.
 */
static struct cf_node *annotation(struct builder *b, CXCursor fn, CXCursor body)
{
	unsigned start, end, p;
	struct file_info *fi = range_start(b->t, fn, &start);
	struct file_info *bi = range_start(b->t, body, &end);
	char name[128], key[256];

	if (!fi || fi != bi || !fi->text || end > fi->size)
		return NULL;
	for (p = start; p < end; p++) {
		const struct rules_name *rn;
		struct lock_find lf;

		if (!(isalpha((unsigned char)fi->text[p]) || fi->text[p] == '_') ||
		    (p > start && is_ident((unsigned char)fi->text[p - 1])))
			continue;
		if (!ident_at(fi, p, name, sizeof(name)) ||
		    !(rn = rules_lookup(b->t->rules, name)) ||
		    !rn->held_annotation)
			continue;
		saw(b->t, rn->name);
		if (!macro_argument(fi, p, 1, key, sizeof(key)))
			continue;
		lf.r = b->t->rules;
		lf.key = key;
		lf.ctx = NULL;
		clang_visitChildren(body, find_lock, &lf);
		if (lf.ctx)
			return held_site(b, lf.ctx, arena_strdup(b->arena, key),
					 rn->name, fn);
	}
	return NULL;
}

static struct cf_node *lower_compound(struct builder *b, CXCursor c)
{
	struct cf_node *n = node(b, CF_SEQ), *saved = b->scope;
	struct kids k;
	int i;

	get_kids(c, &k);
	b->scope = n;
	for (i = 0; i < k.n; i++) {
		add(n, assertion(b, k.v[i]));
		add(n, lower(b, k.v[i]));
	}
	b->scope = saved;
	free(k.v);
	return n;
}

static struct cf_node *lower_labelled(struct builder *b, CXCursor c,
				      struct cf_node *head)
{
	struct cf_node *seq = node(b, CF_SEQ);
	struct kids k;

	get_kids(c, &k);
	cf_add(seq, head);
	if (k.n)
		add(seq, lower(b, k.v[k.n - 1]));
	free(k.v);
	return seq;
}

/* what evaluates first, then v takes a value not known */
static struct cf_node *changed(struct builder *b, int v, struct cf_node *what)
{
	struct cf_node *n = node(b, CF_SEQ);

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
	if (binary_op(b, c, lhs, rhs, op)) {
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
	    !binary_op(b, c, lhs, rhs, op))
		return NULL;
	if (strcmp(op, "==") && strcmp(op, "!="))
		return NULL;
	n = node(b, CF_NOT);
	cf_add(n, v);
	if (op[0] == '!') {	/* "v != NULL" is "!!v" */
		struct cf_node *nn = node(b, CF_NOT);

		cf_add(nn, n);
		n = nn;
	}
	return n;
}

/* Only operator characters, blanks and parentheses in s[0..n)? */
static int only_operator(const char *s, size_t n, int *step)
{
	size_t i;

	*step = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '+' || s[i] == '-')
			*step |= i + 1 < n && s[i + 1] == s[i];
		else if (!strchr(" \t\n()!~*&", s[i]))
			return 0;
	}
	return 1;
}

/*
 * Does the unary operator c change its operand ("++v", "v--")?  Read from
 * the text between the operator's and the operand's ends; -1 when it
 * cannot be read (a macro body).
 */
static int unary_step(struct builder *b, CXCursor c, CXCursor operand)
{
	CXSourceRange ro = clang_getCursorExtent(c), rv = clang_getCursorExtent(operand);
	CXFile f[4];
	unsigned o[4];
	struct file_info *fi;
	int step, i;

	clang_getFileLocation(clang_getRangeStart(ro), &f[0], NULL, NULL, &o[0]);
	clang_getFileLocation(clang_getRangeEnd(ro), &f[1], NULL, NULL, &o[1]);
	clang_getFileLocation(clang_getRangeStart(rv), &f[2], NULL, NULL, &o[2]);
	clang_getFileLocation(clang_getRangeEnd(rv), &f[3], NULL, NULL, &o[3]);
	for (i = 0; i < 4; i++)
		if (!f[i] || !clang_File_isEqual(f[i], f[0]))
			return -1;
	fi = file_info(b->t, f[0]);
	if (!fi->text || o[1] > fi->size)
		return -1;
	if (o[0] < o[2] && o[3] == o[1])	/* prefix */
		return only_operator(fi->text + o[0], o[2] - o[0], &step) ? step : -1;
	if (o[0] == o[2] && o[3] < o[1])	/* postfix */
		return only_operator(fi->text + o[3], o[1] - o[3], &step) ? step : -1;
	return -1;
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
	if (is_not(b, c, operand))
		return NULL;
	switch (unary_step(b, c, operand)) {
	case 0:
		return NULL;
	case -1:
		/* "!v" or "v++" from a macro body: v is not followed */
		track_escape(&b->tr, operand);
		return NULL;
	}
	return changed(b, v, inner);
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
		r = expr_text(b->t, k.v[0]);
	free(k.v);
	return r;
}

/*
 * "if (WARN_ON(check)) return -EBUSY;": the boot checks its condition
 * added since first are tested inside an assertion macro (by the name
 * written at the condition), which fires where the check stops a sink.
 */
static void mark_asserted(struct builder *b, CXCursor ifs, int first)
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
	fi = k.n >= 2 ? cursor_floc(b->t, k.v[0], NULL, NULL, &off) : NULL;
	name = ident_at(fi, off, buf, sizeof(buf));
	rn = name ? rules_lookup(b->t->rules, name) : NULL;
	for (i = first; rn && rn->assertion && i < b->nr_checks; i++) {
		if (!within(k.v[0], &b->checks[i].loc))
			continue;
		b->checks[i].assertion = arena_strdup(b->arena, name);
		b->checks[i].fails = returned(b, k.v[1]);
	}
	free(k.v);
}

static struct cf_node *lower_any(struct builder *b, CXCursor c)
{
	enum CXCursorKind kind = clang_getCursorKind(c);
	struct cf_node *n;
	struct kids k;

	switch (kind) {
	case CXCursor_CompoundStmt:
		return lower_compound(b, c);
	case CXCursor_StmtExpr:
		get_kids(c, &k);
		n = k.n ? lower(b, k.v[0]) : NULL;
		free(k.v);
		if (n && n->kind == CF_SEQ) {
			n->value_last = 1;
			if (!n->scope_kill)
				return n;
		}
		return n;
	case CXCursor_IfStmt: {
		int before = b->nr_checks;

		n = lower_stmt_kids(b, c, CF_IF, 0);
		mark_asserted(b, c, before);
		return n;
	}
	case CXCursor_WhileStmt:
		return lower_stmt_kids(b, c, CF_WHILE, 2);
	case CXCursor_DoStmt:
		return lower_stmt_kids(b, c, CF_DO, 2);
	case CXCursor_ForStmt:
		return lower_for(b, c);
	case CXCursor_SwitchStmt:
		if (b->nr_switches >= 64)
			return lower_stmt_kids(b, c, CF_LOOP, 0);
		n = node(b, CF_SWITCH);
		b->switches[b->nr_switches++] = n;
		get_kids(c, &k);
		if (k.n == 2) {
			cf_add(n, or_empty(b, lower(b, k.v[0])));
			cf_add(n, or_empty(b, lower(b, k.v[1])));
		} else {
			n->kind = CF_LOOP;
			n->has_default = 0;
		}
		free(k.v);
		b->nr_switches--;
		return n;
	case CXCursor_CaseStmt:
	case CXCursor_DefaultStmt:
		if (!b->nr_switches)
			return lower_labelled(b, c, node(b, CF_EMPTY));
		if (kind == CXCursor_DefaultStmt)
			b->switches[b->nr_switches - 1]->has_default = 1;
		return lower_labelled(b, c, node(b, CF_CASE));
	case CXCursor_LabelStmt:
		n = node(b, CF_LABEL);
		n->label = label_index(b, c);
		return lower_labelled(b, c, n);
	case CXCursor_GotoStmt:
		get_kids(c, &k);
		n = node(b, CF_GOTO);
		if (k.n)
			n->label = label_index(b, k.v[0]);
		free(k.v);
		return n;
	case CXCursor_IndirectGotoStmt:
		return NULL;
	case CXCursor_ReturnStmt:
		n = node(b, CF_RETURN);
		get_kids(c, &k);
		if (k.n)
			add(n, lower(b, k.v[0]));
		free(k.v);
		return n;
	case CXCursor_BreakStmt:
		return node(b, CF_BREAK);
	case CXCursor_ContinueStmt:
		return node(b, CF_CONTINUE);
	case CXCursor_CallExpr:
		return lower_call(b, c);
	case CXCursor_ConditionalOperator:
		return lower_stmt_kids(b, c, CF_TERNARY, 3);
	case CXCursor_IntegerLiteral:
		return lower_const(b, c);
	case CXCursor_BinaryOperator:
		fnptr_assign(&b->t->fp, c);
		get_kids(c, &k);
		if (k.n == 2) {
			enum cf_kind op = logical_op(b, k.v[0], k.v[1]);
			struct cf_node *l = lower(b, k.v[0]);
			struct cf_node *r = lower(b, k.v[1]);

			if (op != CF_SEQ) {
				n = node(b, op);
				cf_add(n, or_empty(b, l));
				cf_add(n, or_empty(b, r));
			} else if ((n = lower_assign(b, c, k.v[0], k.v[1], r))) {
				/* an assignment to a tracked variable */
			} else if (has_pred(l) || has_pred(r)) {
				n = pred_binary(b, c, k.v[0], k.v[1], l, r);
			} else if (!(n = var_compare(b, c, k.v[0], k.v[1], l, r))) {
				n = combine(b, l, r);
			}
			free(k.v);
			return n;
		}
		n = lower_kids(b, &k, 0);
		free(k.v);
		return n;
	case CXCursor_UnaryOperator:
		get_kids(c, &k);
		if (k.n == 1 && is_not(b, c, k.v[0])) {
			n = node(b, CF_NOT);
			cf_add(n, or_empty(b, lower(b, k.v[0])));
			free(k.v);
			return n;
		}
		n = lower_kids(b, &k, 0);
		if (k.n == 1) {
			struct cf_node *u = var_unary(b, c, k.v[0], n);

			if (u) {
				free(k.v);
				return u;
			}
		}
		if (k.n == 1 && has_pred(n)) {
			/* "!" from a macro body (WARN_ON's "!!"), or another operator */
			if (unary_not(b, c, k.v[0])) {
				struct cf_node *not = node(b, CF_NOT);

				cf_add(not, n);
				n = not;
			} else {
				unpred(n);
			}
		}
		free(k.v);
		return n;
	case CXCursor_DeclRefExpr:
		return lower_ref(b, c);
	case CXCursor_VarDecl:
		return lower_var(b, c);
	case CXCursor_AsmStmt:
		/* what an asm statement names may change behind the IR */
		track_escape(&b->tr, c);
		return NULL;
	case CXCursor_UnaryExpr:	/* sizeof, alignof: not evaluated */
	case CXCursor_NullStmt:
	case CXCursor_TypeRef:
	case CXCursor_StructDecl:
	case CXCursor_UnionDecl:
	case CXCursor_EnumDecl:
	case CXCursor_TypedefDecl:
	case CXCursor_FunctionDecl:
	case CXCursor_StringLiteral:
	case CXCursor_CharacterLiteral:
	case CXCursor_FloatingLiteral:
		return NULL;
	default:
		if (clang_isAttribute(kind))
			return NULL;
		get_kids(c, &k);
		n = lower_kids(b, &k, 0);
		free(k.v);
		return n;
	}
}

/*
 * A tracked variable's read stands for the expression only where the
 * expression is the variable (through parentheses and conversions): the
 * value of "p->next", "x < 3" or "-x" is not x's, so such a read is
 * wrapped and means nothing as a condition.
 */
static struct cf_node *lower(struct builder *b, CXCursor c)
{
	enum CXCursorKind kind = clang_getCursorKind(c);
	struct cf_node *n = lower_any(b, c), *seq;

	if (!n || n->kind != CF_VAR || kind == CXCursor_DeclRefExpr ||
	    kind == CXCursor_ParenExpr || kind == CXCursor_UnexposedExpr)
		return n;
	seq = node(b, CF_SEQ);
	cf_add(seq, n);
	return seq;
}

/* ---- guards of sinks ---- */

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

/* Collect the disjuncts of an early-return condition. */
static void guard_disjuncts(struct builder *b, CXCursor c, int negated,
			    struct fact_guard **gs, int *nr, int *alloc)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	struct kids kids;
	CXString s;
	const char *name = NULL;
	CXCursor ref;

	get_kids(c, &kids);
	if (k == CXCursor_BinaryOperator && kids.n == 2) {
		if (logical_op(b, kids.v[0], kids.v[1]) == CF_OR && !negated) {
			guard_disjuncts(b, kids.v[0], 0, gs, nr, alloc);
			guard_disjuncts(b, kids.v[1], 0, gs, nr, alloc);
		}
		goto out;
	}
	if (k == CXCursor_UnaryOperator && kids.n == 1) {
		if (is_not(b, c, kids.v[0]))
			guard_disjuncts(b, kids.v[0], !negated, gs, nr, alloc);
		goto out;
	}
	if (k == CXCursor_CallExpr || k == CXCursor_DeclRefExpr) {
		ref = clang_getCursorReferenced(c);
		if (clang_Cursor_isNull(ref))
			goto out;
		s = clang_getCursorSpelling(ref);
		name = clang_getCString(s);
		if (name && k == CXCursor_CallExpr &&
		    !strncmp(name, "__builtin_expect", 16)) {
			if (kids.n >= 2)
				guard_disjuncts(b, kids.v[1], negated, gs, nr, alloc);
		} else if (name && rules_lookup(b->t->rules, name) &&
			   rules_lookup(b->t->rules, name)->predicate) {
			struct fact_guard *g;

			ALLOC_GROW(*gs, *nr + 1, *alloc);
			g = &(*gs)[(*nr)++];
			g->predicate = arena_strdup(b->arena, name);
			g->negated = negated;
			set_loc(b->t, c, &g->loc);
		}
		clang_disposeString(s);
		goto out;
	}
	if (kids.n == 1)	/* parens, implicit casts */
		guard_disjuncts(b, kids.v[0], negated, gs, nr, alloc);
out:
	free(kids.v);
}

/* Early returns at the top of a sink's body, before it sleeps. */
static void sink_guards(struct builder *b, CXCursor body, struct fact_func *fn)
{
	struct fact_guard *gs = NULL;
	int nr = 0, alloc = 0, i;
	struct kids k;
	unsigned sleep_line = fn->sleep_call >= 0 ?
		fn->calls[fn->sleep_call].loc.line : ~0u;

	get_kids(body, &k);
	for (i = 0; i < k.n; i++) {
		struct kids ik;
		unsigned line;

		cursor_floc(b->t, k.v[i], &line, NULL, NULL);
		if (line >= sleep_line)
			break;
		if (clang_getCursorKind(k.v[i]) != CXCursor_IfStmt)
			continue;
		get_kids(k.v[i], &ik);
		if (ik.n == 2 && always_returns(ik.v[1]))
			guard_disjuncts(b, ik.v[0], 0, &gs, &nr, &alloc);
		free(ik.v);
	}
	free(k.v);
	if (nr) {
		fn->guards = arena_alloc(b->arena, nr * sizeof(*gs));
		memcpy(fn->guards, gs, nr * sizeof(*gs));
		fn->nr_guards = nr;
	}
	free(gs);
}

/* ---- functions ---- */

/* ---- boot phases of calls ---- */

enum valuation { REAL, INTENDED, HONEST, MISLEADING_ONLY };

/*
 * The value of check p in phase ph: as the rules give it (REAL), with
 * leaky checks doing what they are meant to (INTENDED), with misleading
 * checks unknown (HONEST), or with only the misleading ones known.
 */
static signed char check_value(const struct rules_boot_pred *p, int ph,
			       enum valuation how)
{
	phase_mask bit = (phase_mask)(1u << ph);

	if (how == MISLEADING_ONLY && !p->misleading)
		return -1;
	if (p->true_in & bit)
		return 1;
	if (p->false_in & bit)
		return how == HONEST && p->misleading ? -1 : 0;
	if (p->leaky_in & bit)
		return how == INTENDED ? 1 : -1;
	return -1;
}

/* Reached calls in phase ph; check 'unknown' (if >= 0) left unknown. */
static int reach_in(struct builder *b, int ph, enum valuation how,
		    int unknown, unsigned char *reached, struct ss_err *err)
{
	signed char values[64];
	int i;

	for (i = 0; i < b->cf.nr_preds && i < 64; i++)
		values[i] = i == unknown ? -1 : check_value(b->preds[i], ph, how);
	return cf_reach(&b->cf, b->cf.nr_preds <= 64 ? values : NULL,
			reached, err);
}

/*
 * Which check keeps call sc from being made in ph: the first one that,
 * unknown, lets it be made; a check that means to decide (not a
 * misleading one) first.
 */
static int stop_check(struct builder *b, int ph, int sc, unsigned char *tmp,
		      struct ss_err *err)
{
	int n = b->cf.nr_preds, i, j;

	for (i = 0; i < 2 * n; i++) {
		const struct rules_boot_pred *p = b->preds[i % n];

		if ((i < n) == (p->misleading != NULL))
			continue;
		if (reach_in(b, ph, REAL, i % n, tmp, err))
			return -2;
		if (!tmp[sc])
			continue;
		for (j = 0; j < b->nr_checks; j++)
			if (b->checks[j].pred == p)
				return j;
	}
	return -1;
}

/* Per call: the phases in which it is made, and why where that is odd. */
static int call_phases(struct builder *b, struct fact_func *fn,
		       struct ss_err *err)
{
	int nr = b->t->rules->boot.nr_phases, ph, i, leaky = 0, misleading = 0;
	unsigned char *real, *other, *alone;

	for (i = 0; i < fn->nr_calls; i++)
		fn->calls[i].phases = fn->calls[i].reached ?
				      (phase_mask)((1u << nr) - 1) : 0;
	if (!b->cf.nr_preds || !nr)
		return 0;
	for (i = 0; i < b->cf.nr_preds; i++) {
		leaky |= b->preds[i]->leaky_in != 0;
		misleading |= b->preds[i]->misleading != NULL;
	}
	real = xcalloc(fn->nr_calls + 1, 3);
	other = real + fn->nr_calls + 1;
	alone = other + fn->nr_calls + 1;
	for (ph = 0; ph < nr; ph++) {
		phase_mask bit = (phase_mask)(1u << ph);

		if (reach_in(b, ph, REAL, -1, real, err))
			goto fail;
		for (i = 0; i < fn->nr_calls; i++)
			if (!real[i])
				fn->calls[i].phases &= ~bit;
		if (leaky) {
			if (reach_in(b, ph, INTENDED, -1, other, err))
				goto fail;
			for (i = 0; i < fn->nr_calls; i++)
				if (real[i] && !other[i])
					fn->calls[i].leaky |= bit;
		}
		if (fn->sleep_call >= 0 && !real[fn->sleep_call]) {
			int sc = stop_check(b, ph, fn->sleep_call, other, err);

			if (sc < -1)
				goto fail;
			fn->stop_check[ph] = (signed char)sc;
		}
		/*
		 * misled: a misleading check alone keeps the call from being
		 * made, and the call would be made if it did not mislead
		 */
		if (misleading) {
			if (reach_in(b, ph, HONEST, -1, other, err) ||
			    reach_in(b, ph, MISLEADING_ONLY, -1, alone, err))
				goto fail;
			for (i = 0; i < fn->nr_calls; i++)
				if (other[i] && !alone[i])
					fn->calls[i].misled |= bit;
		}
	}
	free(real);
	return 0;
fail:
	free(real);
	return -1;
}

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
		fi = cursor_floc(t, k->v[i], NULL, NULL, &off);
		if (ident_at(fi, off, name, sizeof(name)) &&
		    (rn = rules_lookup(t->rules, name)) && rn->boot_only)
			return 1;
	}
	return 0;
}

static void release_builder(struct builder *b)
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


static int extract_function(struct tu_ctx *t, CXCursor c, const char *name,
			    struct fact_func *fn, struct ss_err *err)
{
	struct builder b;
	struct kids k;
	CXCursor body = clang_getNullCursor();
	int i, j;

	memset(&b, 0, sizeof(b));
	b.t = t;
	b.arena = t->arena;
	b.sleep_call = -1;
	cf_init(&b.cf, t->arena);
	track_init(&b.tr, c);
	get_kids(c, &k);
	for (i = 0; i < k.n; i++)
		if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
			body = k.v[i];
	memset(fn, 0, sizeof(*fn));
	fn->name = arena_strdup(t->arena, name);
	set_loc(t, c, &fn->loc);
	fn->is_static = clang_getCursorLinkage(c) == CXLinkage_Internal;
	fn->boot_only = boot_only(t, &k);
	fn->sleep_call = -1;
	fn->exit_dom = -1;
	memset(fn->stop_check, -1, sizeof(fn->stop_check));
	free(k.v);
	if (clang_Cursor_isNull(body)) {
		release_builder(&b);
		return 0;
	}
	{
		struct cf_node *held = annotation(&b, c, body);

		b.cf.root = lower(&b, body);
		if (held) {
			struct cf_node *seq = node(&b, CF_SEQ);

			cf_add(seq, held);
			if (b.cf.root)
				cf_add(seq, b.cf.root);
			b.cf.root = seq;
		}
	}
	track_finish(&b.tr, &b.cf);
	if (cf_solve(&b.cf, err)) {
		char msg[sizeof(err->msg)];

		memcpy(msg, err->msg, sizeof(msg));
		ss_error(err, "%s:%u: %s(): %s", fn->loc.file, fn->loc.line,
			 name, msg);
		goto fail;
	}
	fn->nr_sites = b.cf.nr_sites;
	fn->sites = arena_alloc(t->arena, (fn->nr_sites + 1) * sizeof(*fn->sites));
	if (fn->nr_sites)
		memcpy(fn->sites, b.sites, fn->nr_sites * sizeof(*fn->sites));
	fn->nr_calls = b.cf.nr_calls;
	fn->calls = arena_alloc(t->arena, (fn->nr_calls + 1) * sizeof(*fn->calls));
	for (i = 0; i < fn->nr_calls; i++) {
		struct fact_call *fc = &fn->calls[i];
		const uint64_t *held = cf_held(&b.cf, i);
		int n = 0;

		*fc = b.calls[i];
		fc->reached = b.cf.call_reached[i];
		fc->dom = b.cf.call_dom[i];
		for (j = 0; j < fn->nr_sites; j++)
			n += bit_test(held, j);
		if (!n)
			continue;
		fc->held = arena_alloc(t->arena, n * sizeof(int));
		for (j = 0; j < fn->nr_sites; j++)
			if (bit_test(held, j))
				fc->held[fc->nr_held++] = j;
	}
	fn->sleep_call = b.sleep_call;
	fn->exit_dom = b.cf.exit_dom;
	if (call_needs(&b, fn, err) || call_phases(&b, fn, err))
		goto fail;
	if (b.nr_checks) {
		fn->checks = arena_alloc(t->arena, b.nr_checks * sizeof(*fn->checks));
		memcpy(fn->checks, b.checks, b.nr_checks * sizeof(*fn->checks));
		fn->nr_checks = b.nr_checks;
	}
	{
		const struct rules_name *rn = rules_lookup(t->rules, name);

		if (rn && rn->sink)
			sink_guards(&b, body, fn);
	}
	release_builder(&b);
	return 0;
fail:
	release_builder(&b);
	return -1;
}

static unsigned end_line(CXCursor c)
{
	unsigned line = 0;

	clang_getFileLocation(clang_getRangeEnd(clang_getCursorExtent(c)),
			      NULL, &line, NULL, NULL);
	return line;
}

struct deps_walk {
	struct tu_ctx *t;
	struct fact_dep *v;
	int nr, alloc;
};

static void visit_inclusion(CXFile f, CXSourceLocation *stack, unsigned n,
			    CXClientData data)
{
	struct deps_walk *d = data;
	struct file_info *fi = file_info(d->t, f);

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
	t->out->deps = arena_alloc(t->arena, (d.nr + 1) * sizeof(*d.v));
	if (d.nr)
		memcpy(t->out->deps, d.v, d.nr * sizeof(*d.v));
	t->out->nr_deps = d.nr;
	free(d.v);
}

struct field_walk {
	struct tu_ctx *t;
	const char *tag;
};

/* "timer_list.function" for each field of a struct definition, also the
 * members of its anonymous unions and structs. */
static enum CXChildVisitResult saw_field(CXCursor c, CXCursor parent,
					 CXClientData data)
{
	struct field_walk *w = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXString field;
	char buf[256];

	if ((k == CXCursor_UnionDecl || k == CXCursor_StructDecl) &&
	    clang_Cursor_isAnonymous(c)) {
		clang_visitChildren(c, saw_field, w);
		return CXChildVisit_Continue;
	}
	if (k != CXCursor_FieldDecl)
		return CXChildVisit_Continue;
	field = clang_getCursorSpelling(c);
	snprintf(buf, sizeof(buf), "%s.%s", w->tag, clang_getCString(field));
	saw(w->t, buf);
	clang_disposeString(field);
	return CXChildVisit_Continue;
}

/* Does a field registration of the rules name a field of struct tag? */
static int field_tag(const struct rules *r, const char *tag)
{
	size_t n = strlen(tag);
	int i, j;

	for (i = 0; i < r->nr_registrations; i++)
		for (j = 0; j < r->registrations[i].nr_fields; j++) {
			const char *f = r->registrations[i].fields[j];

			if (!strncmp(f, tag, n) && f[n] == '.')
				return 1;
		}
	return 0;
}

static void saw_fields(struct tu_ctx *t, CXCursor c)
{
	CXString tag = clang_getCursorSpelling(c);
	struct field_walk w = { t, clang_getCString(tag) };

	if (w.tag && *w.tag && field_tag(t->rules, w.tag))
		clang_visitChildren(c, saw_field, &w);
	clang_disposeString(tag);
}

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

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent,
					 CXClientData data)
{
	struct top_walk *w = data;
	struct tu_ctx *t = w->t;
	const struct rules_name *rn;
	struct fact_func *fn;
	int first_reg, first_store;
	const char *key = NULL;
	CXString s;
	const char *name;
	CXFile f;

	if (clang_getCursorKind(c) == CXCursor_VarDecl)
		fnptr_var(&t->fp, c);
	if (clang_getCursorKind(c) == CXCursor_StructDecl &&
	    clang_isCursorDefinition(c) && t->rules->nr_registrations)
		saw_fields(t, c);
	if (clang_getCursorKind(c) != CXCursor_FunctionDecl ||
	    !clang_isCursorDefinition(c)) {
		if (t->rules->nr_registrations) {
			/* macro expansions count where they are written */
			clang_getFileLocation(clang_getCursorLocation(c), &f,
					      NULL, NULL, NULL);
			if (f && clang_File_isEqual(f, t->main))
				macro_registration(t, c);
		}
		return CXChildVisit_Continue;
	}
	clang_getFileLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	if (!f)
		return CXChildVisit_Continue;
	s = clang_getCursorSpelling(c);
	name = clang_getCString(s);
	saw(t, name);
	rn = name ? rules_lookup(t->rules, name) : NULL;
	/* the body of a primitive is its implementation, not a caller */
	if (!name || (rn && rn->context && rn->effect != RULES_EFFECT_NONE) ||
	    rules_guard_constructor(t->rules, name))
		goto out;
	if (!clang_File_isEqual(f, t->main)) {
		int is_static = clang_getCursorLinkage(c) == CXLinkage_Internal;

		key = arena_printf(t->arena, "%s@%s", name,
				   is_static ? file_info(t, f)->path : "");
		ALLOC_GROW(w->hkeys, w->nr_hkeys + 1, w->alloc_hkeys);
		w->hkeys[w->nr_hkeys++] = key;
		if (!w->claim(w->claim_data, key))
			goto out;
	}
	ALLOC_GROW(w->funcs, w->nr + 1, w->alloc);
	fn = &w->funcs[w->nr];
	first_reg = t->nr_regs;
	first_store = t->fp.nr_stores;
	if (extract_function(t, c, name, fn, w->err)) {
		w->failed = 1;
		goto out;
	}
	fn->key = key;
	fn->end_line = end_line(c);
	fn->first_reg = first_reg;
	fn->nr_regs = t->nr_regs - first_reg;
	fn->first_store = first_store;
	fn->nr_stores = t->fp.nr_stores - first_store;
	w->nr++;
out:
	clang_disposeString(s);
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
	memset(&t, 0, sizeof(t));
	t.tu = tu;
	t.rules = r;
	t.dir = dir;
	t.out = out;
	t.arena = &out->arena;
	t.main = clang_getFile(tu, main_file);
	t.fp.arena = &out->arena;
	t.fp.path_of = path_of;
	t.fp.data = &t;
	count_errors(&t);
	memset(&w, 0, sizeof(w));
	w.t = &t;
	w.claim = claim;
	w.claim_data = claim_data;
	w.err = err;
	clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_top, &w);
	record_deps(&t);
	out->hkeys = arena_alloc(&out->arena, (w.nr_hkeys + 1) * sizeof(*w.hkeys));
	if (w.nr_hkeys)
		memcpy(out->hkeys, w.hkeys, w.nr_hkeys * sizeof(*w.hkeys));
	out->nr_hkeys = w.nr_hkeys;
	free(w.hkeys);
	out->funcs = arena_alloc(&out->arena, (w.nr + 1) * sizeof(*w.funcs));
	if (w.nr)
		memcpy(out->funcs, w.funcs, w.nr * sizeof(*w.funcs));
	out->nr_funcs = w.nr;
	free(w.funcs);
	if (t.nr_regs) {
		out->regs = arena_alloc(&out->arena, t.nr_regs * sizeof(*t.regs));
		memcpy(out->regs, t.regs, t.nr_regs * sizeof(*t.regs));
		out->nr_regs = t.nr_regs;
	}
	free(t.regs);
	if (t.fp.nr_stores) {
		out->stores = arena_alloc(&out->arena,
					  t.fp.nr_stores * sizeof(*t.fp.stores));
		memcpy(out->stores, t.fp.stores,
		       t.fp.nr_stores * sizeof(*t.fp.stores));
		out->nr_stores = t.fp.nr_stores;
	}
	seen_names(&t);
	fnptr_release(&t.fp);
	free(t.files);
	strmap_release(&t.gfp_param);
	strmap_release(&t.seen);
	return w.failed ? -1 : 0;
}
