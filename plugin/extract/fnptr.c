/*
 * fnptr.c: function pointer stores and keys (see fnptr.h).
 *
 * libclang shows a designated initializer as an unexposed expression
 * whose first child is a MemberRef to the field; positional initializers
 * are matched to the record's fields in declaration order.
 */
#include "extract/fnptr.h"
#include "extract/kids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* A copy of s in the arena; s is disposed of. */
static const char *own(struct fnptr_ctx *c, CXString s)
{
	const char *r = arena_strdup(c->arena, clang_getCString(s) ?
				     clang_getCString(s) : "");

	clang_disposeString(s);
	return r;
}

static const char *spelling(struct fnptr_ctx *c, CXCursor x)
{
	return own(c, clang_getCursorSpelling(x));
}

static const char *usr(struct fnptr_ctx *c, CXCursor x)
{
	return own(c, clang_getCursorUSR(x));
}

static const char *decl_path(struct fnptr_ctx *c, CXCursor d)
{
	CXCursor def = clang_getCursorDefinition(d);
	CXFile f;

	if (clang_Cursor_isNull(def))
		def = d;
	clang_getFileLocation(clang_getCursorLocation(def), &f, NULL, NULL, NULL);
	return f ? c->path_of(c->data, f) : "";
}

/* "name" or "name@path": the graph's key of a function. */
static const char *function_key(struct fnptr_ctx *c, CXCursor fn)
{
	const char *name = spelling(c, fn);

	if (clang_getCursorLinkage(fn) != CXLinkage_Internal)
		return name;
	return arena_printf(c->arena, "%s@%s", name, decl_path(c, fn));
}

static int param_index(CXCursor fn, CXCursor parm)
{
	int i, n = clang_Cursor_getNumArguments(fn);

	for (i = 0; i < n; i++)
		if (clang_equalCursors(clang_Cursor_getArgument(fn, i), parm))
			return i;
	return -1;
}

/* The key of a field, variable or parameter declaration, or NULL. */
static const char *decl_key(struct fnptr_ctx *c, CXCursor d)
{
	CXCursor fn;
	int i;

	switch (clang_getCursorKind(d)) {
	case CXCursor_FieldDecl:
		return arena_printf(c->arena, "F:%s", usr(c, d));
	case CXCursor_VarDecl:
		if (clang_getCursorLinkage(d) == CXLinkage_External)
			return arena_printf(c->arena, "V:%s", spelling(c, d));
		return arena_printf(c->arena, "V:%s@%s", usr(c, d),
				    decl_path(c, d));
	case CXCursor_ParmDecl:
		fn = clang_getCursorSemanticParent(d);
		if (clang_getCursorKind(fn) != CXCursor_FunctionDecl)
			return NULL;
		i = param_index(fn, d);
		if (i < 0)
			return NULL;
		return arena_printf(c->arena, "P:%s#%d", function_key(c, fn), i);
	default:
		return NULL;
	}
}

void fnptr_expr(struct fnptr_ctx *c, CXCursor e, struct fnptr_ref *out)
{
	enum CXCursorKind k = clang_getCursorKind(e);
	struct kids kids;

	memset(out, 0, sizeof(*out));
	if (k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr) {
		CXCursor d = clang_getCursorReferenced(e);

		if (clang_getCursorKind(d) == CXCursor_FunctionDecl) {
			out->kind = FNPTR_FUNC;
			out->name = spelling(c, d);
			if (clang_getCursorLinkage(d) == CXLinkage_Internal)
				out->file = decl_path(c, d);
			return;
		}
		out->key = decl_key(c, d);
		out->kind = out->key ? FNPTR_KEY : FNPTR_NONE;
		return;
	}
	if (k == CXCursor_ArraySubscriptExpr) {
		/* tbl[i]: whatever the array holds */
		get_kids(e, &kids);
		if (kids.n >= 1)
			fnptr_expr(c, kids.v[0], out);
		free(kids.v);
		return;
	}
	if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr &&
	    k != CXCursor_CStyleCastExpr && k != CXCursor_UnaryOperator)
		return;
	get_kids(e, &kids);
	if (kids.n >= 1)
		fnptr_expr(c, kids.v[kids.n - 1], out);
	free(kids.v);
}

static void add_store(struct fnptr_ctx *c, const char *key,
		      const struct fnptr_ref *v, CXCursor at, enum fact_how how)
{
	struct fact_store *s;
	CXFile f;

	if (!key || v->kind == FNPTR_NONE || (v->kind == FNPTR_KEY &&
					      !strcmp(v->key, key)))
		return;
	ALLOC_GROW(c->stores, c->nr_stores + 1, c->alloc_stores);
	s = &c->stores[c->nr_stores++];
	memset(s, 0, sizeof(*s));
	s->key = key;
	s->how = how;
	if (v->kind == FNPTR_FUNC) {
		s->func = v->name;
		s->func_file = v->file;
	} else {
		s->from = v->key;
	}
	clang_getFileLocation(clang_getCursorLocation(at), &f, &s->loc.line,
			      &s->loc.col, NULL);
	s->loc.file = f ? c->path_of(c->data, f) : "";
}

static int is_function_pointer(CXType t)
{
	t = clang_getCanonicalType(t);
	if (t.kind != CXType_Pointer)
		return 0;
	t = clang_getCanonicalType(clang_getPointeeType(t));
	return t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto;
}

struct fields {
	CXCursor *v;
	int n, alloc;
};

static enum CXChildVisitResult collect_field(CXCursor x, CXCursor parent,
					     CXClientData data)
{
	struct fields *fs = data;

	if (clang_getCursorKind(x) == CXCursor_FieldDecl) {
		ALLOC_GROW(fs->v, fs->n + 1, fs->alloc);
		fs->v[fs->n++] = x;
	}
	return CXChildVisit_Continue;
}

static void init_value(struct fnptr_ctx *c, CXCursor value, const char *key,
		       enum fact_how how)
{
	struct fnptr_ref v;

	if (clang_getCursorKind(value) == CXCursor_InitListExpr) {
		fnptr_init_list(c, value, key);
		return;
	}
	fnptr_expr(c, value, &v);
	add_store(c, key, &v, value, how);
}

/* A designated initializer: the field it names and its value. */
static int designated(CXCursor e, CXCursor *field, CXCursor *value)
{
	struct kids k;
	int ok = 0;

	if (clang_getCursorKind(e) != CXCursor_UnexposedExpr)
		return 0;
	get_kids(e, &k);
	if (k.n == 2 && clang_getCursorKind(k.v[0]) == CXCursor_MemberRef) {
		*field = clang_getCursorReferenced(k.v[0]);
		*value = k.v[1];
		ok = 1;
	}
	free(k.v);
	return ok;
}

void fnptr_init_list(struct fnptr_ctx *c, CXCursor init, const char *key)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(init));
	struct fields fs = { 0 };
	enum fact_how how;
	struct kids k;
	int i, j, pos = 0;

	get_kids(init, &k);
	if (t.kind == CXType_Record)
		clang_visitChildren(clang_getTypeDeclaration(t), collect_field, &fs);
	for (i = 0; i < k.n; i++) {
		CXCursor field, value;

		if (t.kind != CXType_Record) {
			/* an array (of structs or of function pointers) */
			init_value(c, k.v[i], key, HOW_POSITIONAL);
			continue;
		}
		how = HOW_DESIGNATED;
		if (designated(k.v[i], &field, &value)) {
			for (j = 0; j < fs.n; j++)
				if (clang_equalCursors(fs.v[j], field))
					pos = j;
		} else {
			if (pos >= fs.n)
				break;
			field = fs.v[pos];
			value = k.v[i];
			how = HOW_POSITIONAL;
		}
		pos++;
		init_value(c, value, decl_key(c, field), how);
	}
	free(fs.v);
	free(k.v);
}

void fnptr_call_args(struct fnptr_ctx *c, CXCursor call, CXCursor callee)
{
	int i, n = clang_Cursor_getNumArguments(call);
	const char *fk = NULL;

	for (i = 0; i < n; i++) {
		CXCursor arg = clang_Cursor_getArgument(call, i);
		struct fnptr_ref v;

		if (!is_function_pointer(clang_getCursorType(arg)))
			continue;
		fnptr_expr(c, arg, &v);
		if (v.kind == FNPTR_NONE)
			continue;
		if (!fk)
			fk = function_key(c, callee);
		add_store(c, arena_printf(c->arena, "P:%s#%d", fk, i), &v, arg,
			  HOW_ARG);
	}
}

void fnptr_assign(struct fnptr_ctx *c, CXCursor binop)
{
	struct fnptr_ref lhs, rhs;
	struct kids k;

	/* an assignment has the type of its left side; a comparison is int */
	if (!is_function_pointer(clang_getCursorType(binop)))
		return;
	get_kids(binop, &k);
	if (k.n == 2) {
		fnptr_expr(c, k.v[0], &lhs);
		fnptr_expr(c, k.v[1], &rhs);
		if (lhs.kind == FNPTR_KEY)
			add_store(c, lhs.key, &rhs, binop, HOW_ASSIGN);
	}
	free(k.v);
}

void fnptr_var(struct fnptr_ctx *c, CXCursor var)
{
	struct kids k;
	const char *key;
	int i;

	get_kids(var, &k);
	for (i = 0; i < k.n; i++) {
		enum CXCursorKind kind = clang_getCursorKind(k.v[i]);

		if (kind == CXCursor_InitListExpr) {
			fnptr_init_list(c, k.v[i], decl_key(c, var));
		} else if (clang_isExpression(kind) &&
			   is_function_pointer(clang_getCursorType(var)) &&
			   (key = decl_key(c, var))) {
			struct fnptr_ref v;

			fnptr_expr(c, k.v[i], &v);
			add_store(c, key, &v, k.v[i], HOW_VAR);
		}
	}
	free(k.v);
}

void fnptr_release(struct fnptr_ctx *c)
{
	free(c->stores);
	c->stores = NULL;
	c->nr_stores = c->alloc_stores = 0;
}
