/*
 * locks.c: which lock a primitive's argument names, as a key that is the
 * same wherever the lock is written: "&zone->lock" and
 * "spinlock_check(&zone->lock)" both give "zone->lock".  Also the context
 * the rules give a lock by its type (lock-types), for assertions and
 * annotations that name a lock.
 *
 * Ownership: keys are in the builder's arena.
 */
#include "extract/lower.h"

#include <stdlib.h>
#include <string.h>

/* s after buf[0..*len), cut to fit size. */
static void append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > size)
		n = size - *len - 1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/* The name of what c names, after buf. */
static void append_spelling(CXCursor c, char *buf, size_t size, size_t *len)
{
	CXString s = clang_getCursorSpelling(c);
	const char *name = clang_getCString(s);

	append(buf, size, len, name ? name : "");
	clang_disposeString(s);
}

/*
 * Structural text of a lock argument: "&zone->lock" and
 * "spinlock_check(&zone->lock)" both give "zone->lock".
 */
static void lock_text(CXCursor c, char *buf, size_t size, size_t *len)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	struct kids kids;

	if (*len + 1 >= size)
		return;
	get_kids(c, &kids);
	switch (k) {
	case CXCursor_DeclRefExpr:
		append_spelling(c, buf, size, len);
		break;
	case CXCursor_MemberRefExpr:
		if (kids.n >= 1) {
			CXType bt = clang_getCursorType(kids.v[0]);

			lock_text(kids.v[0], buf, size, len);
			bt = clang_getCanonicalType(bt);
			append(buf, size, len,
			       bt.kind == CXType_Pointer ? "->" : ".");
		}
		append_spelling(c, buf, size, len);
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
			append_spelling(c, buf, size, len);
			append(buf, size, len, "()");
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

/* The lock named by argument arg (1-based) of call, or NULL. */
const char *lock_key(struct builder *b, CXCursor call, int arg)
{
	char buf[256];
	size_t len = 0;

	if (arg <= 0 || clang_Cursor_getNumArguments(call) < arg)
		return NULL;
	buf[0] = '\0';
	lock_text(clang_Cursor_getArgument(call, arg - 1), buf, sizeof(buf), &len);
	return len ? arena_strdup(b->arena, buf) : NULL;
}

/* The lock named by argument arg of the primitive macro at off. */
const char *lock_macro_key(struct builder *b, struct file_info *fi,
			   unsigned off, int arg)
{
	char buf[256];
	size_t n = src_macro_argument(fi, off, arg, buf, sizeof(buf));

	return n ? arena_strndup(b->arena, buf, n) : NULL;
}

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

/*
 * The context of the first lock under c whose type the rules give one:
 * the lock written key, or any lock when key is NULL.  NULL: none.
 */
const struct rules_context *lock_type_context(const struct rules *r,
					      CXCursor c, const char *key)
{
	struct lock_find lf;

	lf.r = r;
	lf.key = key;
	lf.ctx = NULL;
	clang_visitChildren(c, find_lock, &lf);
	return lf.ctx;
}
