/*
 * registrations.c: callbacks handed to the kernel.  A call that registers
 * a function (cpuhp_setup_state(..., fn, ...)), the macro a caller wrote
 * that does (timer_setup()), or a file-scope declaration a registration
 * macro makes (early_initcall(fn)) records a fact_reg for the rules'
 * registration; the struct fields the rules register through are
 * counted as met for the rules coverage.
 *
 * Ownership: registrations grow the TU's t->regs; names are in its arena.
 */
#include "extract/lower.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A registration of the function fn (called name) by rule at at. */
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
	src_set_loc(t, at, &fr->loc);
	fr->callback_file = src_static_file(t, fn);
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
			return src_pretty(arg);
		}
		arg = k.v[0];
		free(k.v);
	}
}

/* Does argument arg (1-based) of call match pattern? */
static int argument_matches(CXCursor call, int arg, const char *pattern)
{
	char *text = argument_text(clang_Cursor_getArgument(call, arg - 1));
	int match = !fnmatch(pattern, text, 0);

	free(text);
	return match;
}

/* Is argument arg of the macro invocation at off there, matching pattern? */
static int macro_argument_matches(struct file_info *fi, unsigned off, int arg,
				  const char *pattern)
{
	char text[256];

	return src_macro_argument(fi, off, arg, text, sizeof(text)) &&
	       !fnmatch(pattern, text, 0);
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
	if (rule->match_arg && !argument_matches(call, rule->match_arg,
						 rule->match))
		return;
	fn = function_named(clang_Cursor_getArgument(call, rule->callback - 1));
	if (clang_Cursor_isNull(fn))
		return;		/* a function pointer variable: not followed */
	s = clang_getCursorSpelling(fn);
	fr = add_reg(b->t, rule, fn, clang_getCString(s), call);
	clang_disposeString(s);
	if (rule->alt_arg && rule->alt_arg <= nargs)
		fr->alt = argument_matches(call, rule->alt_arg,
					   rule->alt_match);
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

/* The function called name that c refers to, or a null cursor. */
static CXCursor function_under(CXCursor c, const char *name)
{
	struct find_fn ff;

	ff.name = name;
	ff.found = clang_getNullCursor();
	clang_visitChildren(c, find_function, &ff);
	return ff.found;
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
	char cb[256];
	struct fact_reg *fr;
	CXCursor fn;

	if (rule->match_arg &&
	    !macro_argument_matches(fi, off, rule->match_arg, rule->match))
		return;
	if (fi == b->t->last_reg_file && off == b->t->last_reg_off)
		return;		/* another call the same macro expands to */
	if (!src_macro_argument(fi, off, rule->callback, cb, sizeof(cb)))
		return;
	fn = function_under(call, cb);
	if (clang_Cursor_isNull(fn))
		return;		/* not a function: a pointer variable */
	b->t->last_reg_file = fi;
	b->t->last_reg_off = off;
	fr = add_reg(b->t, rule, fn, cb, call);
	if (rule->alt_arg)
		fr->alt = macro_argument_matches(fi, off, rule->alt_arg,
						 rule->alt_match);
}

/*
 * The registrations a direct call makes: by the macro the caller wrote
 * (written, at off in fi) when the rules name it, else by the function
 * called (name).
 */
void reg_call(struct builder *b, CXCursor c, const char *name,
	      const char *written, struct file_info *fi, unsigned off)
{
	const struct rules *r = b->t->rules;
	const struct rules_name *wr, *rn;

	wr = written != name ? rules_lookup(r, written) : NULL;
	rn = rules_lookup(r, name);
	if (wr && wr->registration && !wr->registration->is_macro)
		macro_call_registration(b, c, wr->registration, fi, off);
	else if (rn && rn->registration && !rn->registration->is_macro)
		call_registration(b, c, rn->registration);
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
	*fi = src_file(t, f);
	if (!(*fi)->text || end > (*fi)->size)
		return NULL;
	/* "static DEFINE_TIMER(name, fn)": the macro is not always first */
	for (; p < end; p++) {
		const struct rules_name *rn;

		if (!src_ident_starts(*fi, p, 0))
			continue;
		if (src_ident_at(*fi, p, name, sizeof(name)) &&
		    (rn = rules_lookup(t->rules, name)) && rn->registration &&
		    rn->registration->is_macro) {
			*off = p;
			extract_saw(t, rn->name);
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
void reg_macro_decl(struct tu_ctx *t, CXCursor c)
{
	const struct rules_name *rn;
	struct file_info *fi;
	char name[256];
	unsigned off;

	if (!(rn = registration_macro(t, c, &fi, &off)))
		return;
	if (fi == t->last_reg_file && off == t->last_reg_off)
		return;		/* another declaration of the same macro */
	t->last_reg_file = fi;
	t->last_reg_off = off;
	if (!src_macro_argument(fi, off, rn->registration->callback, name,
				sizeof(name)))
		return;
	add_reg(t, rn->registration, function_under(c, name), name, c);
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
	extract_saw(w->t, buf);
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

/* The fields of struct definition c, if the rules register through one. */
void reg_saw_fields(struct tu_ctx *t, CXCursor c)
{
	CXString tag = clang_getCursorSpelling(c);
	struct field_walk w = { t, clang_getCString(tag) };

	if (w.tag && *w.tag && field_tag(t->rules, w.tag))
		clang_visitChildren(c, saw_field, &w);
	clang_disposeString(tag);
}
