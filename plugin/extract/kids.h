/*
 * kids.h: the children of a libclang cursor as an array, for the fact
 * extractors that walk the AST by hand.
 *
 * Ownership: the caller frees kids.v.
 */
#ifndef SPLITSAFE_KIDS_H
#define SPLITSAFE_KIDS_H

#include <clang-c/Index.h>

struct kids {
	CXCursor *v;
	int n, alloc;
};

void get_kids(CXCursor c, struct kids *k);

#endif
