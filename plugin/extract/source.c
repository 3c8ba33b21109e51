/*
 * source.c: the source behind a cursor.  The files the TU read (one
 * struct file_info each, with its canonical path and text), where a cursor
 * is in them, and what is written there: identifiers, macro arguments,
 * expressions as text, constants.
 *
 * libclang shows the expansion of a macro, not what the programmer wrote;
 * the extractor reads the written names from the file text at a cursor's
 * file location (for a call made by a macro body: the macro invocation).
 *
 * Ownership: paths and copied text are in the TU's arena; the file table
 * (t->files) is freed by facts_extract(); src_pretty()'s string by the
 * caller.
 */
#define _GNU_SOURCE
#include "extract/lower.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *canonical_path(struct tu_ctx *t, CXFile f)
{
	CXString s = clang_getFileName(f);
	const char *name = clang_getCString(s);
	const char *res = arena_realpath(t->arena, t->dir, name ? name : "");

	clang_disposeString(s);
	return res;
}

struct file_info *src_file(struct tu_ctx *t, CXFile f)
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

/* The source text of an expression written in the file, or NULL. */
const char *src_expr_text(struct tu_ctx *t, CXCursor c)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1, f2;
	unsigned o1, o2;
	struct file_info *fi;

	clang_getFileLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o1);
	clang_getFileLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &o2);
	if (!f1 || !f2 || !clang_File_isEqual(f1, f2) || o2 <= o1 || o2 - o1 > 120)
		return NULL;
	fi = src_file(t, f1);
	if (!fi->text || o2 > fi->size)
		return NULL;
	return arena_strndup(t->arena, fi->text + o1, o2 - o1);
}

/* File location of a cursor: macro arguments where spelled, macro bodies
 * at their invocation. */
struct file_info *src_loc(struct tu_ctx *t, CXCursor c,
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
	return f ? src_file(t, f) : NULL;
}

struct file_info *src_start(struct tu_ctx *t, CXCursor c,
			    unsigned *off)
{
	CXFile f;
	unsigned l, cl, o;

	clang_getFileLocation(clang_getRangeStart(clang_getCursorExtent(c)),
			      &f, &l, &cl, &o);
	*off = o;
	return f ? src_file(t, f) : NULL;
}

/*
 * The file in which both a and b start, a before b (their offsets in *oa
 * and *ob), when it has text; NULL otherwise.
 */
struct file_info *src_in_order(struct tu_ctx *t, CXCursor a, CXCursor b,
			       unsigned *oa, unsigned *ob)
{
	struct file_info *fa = src_start(t, a, oa);
	struct file_info *fb = src_start(t, b, ob);

	return fa && fa == fb && fa->text && *oa < *ob ? fa : NULL;
}

void src_set_loc(struct tu_ctx *t, CXCursor c, struct fact_loc *loc)
{
	struct file_info *fi = src_loc(t, c, &loc->line, &loc->col, NULL);

	loc->file = fi ? fi->path : "";
}

/* The file of a static function's definition ("" if none), or NULL. */
const char *src_static_file(struct tu_ctx *t, CXCursor fn)
{
	CXCursor def;
	CXFile f;

	if (clang_Cursor_isNull(fn) ||
	    clang_getCursorLinkage(fn) != CXLinkage_Internal)
		return NULL;
	def = clang_getCursorDefinition(fn);
	if (clang_Cursor_isNull(def))
		def = fn;
	clang_getFileLocation(clang_getCursorLocation(def), &f, NULL, NULL,
			      NULL);
	return f ? src_file(t, f)->path : "";
}

int src_is_ident(int ch)
{
	return isalnum(ch) || ch == '_';
}

/* The identifier starting at off in fi, copied into buf. */
const char *src_ident_at(struct file_info *fi, unsigned off, char *buf,
			 size_t size)
{
	size_t n = 0;

	if (!fi || !fi->text || off >= fi->size)
		return NULL;
	if (!(isalpha((unsigned char)fi->text[off]) || fi->text[off] == '_'))
		return NULL;
	while (off + n < fi->size &&
	       src_is_ident((unsigned char)fi->text[off + n]) && n + 1 < size) {
		buf[n] = fi->text[off + n];
		n++;
	}
	buf[n] = '\0';
	return buf;
}

/* Does an identifier start at p in fi (and not before it, from from on)? */
int src_ident_starts(const struct file_info *fi, unsigned p, unsigned from)
{
	unsigned char ch = fi->text[p];

	return (isalpha(ch) || ch == '_') &&
	       (p == from || !src_is_ident((unsigned char)fi->text[p - 1]));
}

/* Skip back over blanks and comments from off (exclusive); -1 if none. */
long src_skip_back(const char *s, long off)
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

/*
 * Argument arg (1-based) of the macro invocation at off in fi, from the
 * source text, into buf without blanks, parentheses or a leading '&':
 * "raw_spin_lock_irqsave(&meta->lock, flags)" gives "meta->lock" for 1.
 * Returns the length, 0 if there is no such argument.
 */
size_t src_macro_argument(struct file_info *fi, unsigned off, int arg,
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

char *src_pretty(CXCursor c)
{
	CXPrintingPolicy pp = clang_getCursorPrintingPolicy(c);
	CXString s = clang_getCursorPrettyPrinted(c, pp);
	char *r = xstrdup(clang_getCString(s) ? clang_getCString(s) : "");

	clang_disposeString(s);
	clang_PrintingPolicy_dispose(pp);
	return r;
}

int src_int_value(CXCursor c, long long *v)
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
