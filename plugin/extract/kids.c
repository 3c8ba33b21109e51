/*
 * kids.c: the children of a cursor (see kids.h).
 */
#include "extract/kids.h"
#include "core/util.h"

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent,
				       CXClientData data)
{
	struct kids *k = data;

	ALLOC_GROW(k->v, k->n + 1, k->alloc);
	k->v[k->n++] = c;
	return CXChildVisit_Continue;
}

void get_kids(CXCursor c, struct kids *k)
{
	k->v = NULL;
	k->n = k->alloc = 0;
	clang_visitChildren(c, collect, k);
}
