/*
 * gfp.c: the allocation flags a call passes.  The gfp_t parameter of a
 * callee is found by its type (rules: gfp-type) and cached per callee;
 * the flag is read from the argument as written, since its macros are
 * gone from the AST.  A flag the rules mark as one that may sleep makes
 * the call one that may sleep.
 *
 * Ownership: the cache (t->gfp_param) and its names are the TU's.
 */
#include "extract/lower.h"

#include <stdint.h>
#include <string.h>

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
	struct file_info *fi = src_start(b->t, arg, &off);
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
		} else if (src_ident_starts(fi, end, off)) {
			if (src_ident_at(fi, end, id, sizeof(id)) &&
			    (rn = rules_lookup(b->t->rules, id)) && rn->gfp_sleep_flag)
				return rn->name;
		} else if (ch == ';') {
			break;
		}
	}
	return NULL;
}

/* The sleeping GFP flag call passes to callee (called name), or NULL. */
const char *gfp_call_flag(struct builder *b, CXCursor call, CXCursor callee,
			  const char *name)
{
	int nargs = clang_Cursor_getNumArguments(call), gi;

	if (nargs <= 0 || !b->t->rules->gfp_type)
		return NULL;
	gi = gfp_param(b, callee, name);
	if (gi < 0 || gi >= nargs)
		return NULL;
	return gfp_sleep_flag(b, clang_Cursor_getArgument(call, gi));
}
