/*
 * assume.c: what-if assumptions (see assume.h).
 */
#include "graph/assume.h"

#include <string.h>

int assume_sleeps(struct rules *r, struct graph *g, const char *name)
{
	int i, n = 0;

	for (i = 0; i < g->nr; i++)
		n += !g->funcs[i].is_gfp && !strcmp(g->funcs[i].name, name);
	if (!n)
		return 0;
	rules_assume_sleeps(r, name, ASSUME_SLEEPS_WHY);
	/* nodes made before the rules knew the name */
	for (i = 0; i < g->nr; i++)
		if (!g->funcs[i].is_gfp && !strcmp(g->funcs[i].name, name))
			g->funcs[i].rules = rules_lookup(r, name);
	return n;
}
