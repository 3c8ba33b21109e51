/*
 * specialize.c: copies of callees for callers that pass known arguments
 * (see specialize.h).
 */
#include "graph/specialize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does what call c passes rule out call d of its callee? */
static int rules_out(const struct g_call *c, const struct g_call *d)
{
	return (c->arg_nonzero & d->need_zero) || (c->arg_zero & d->need_nonzero);
}

/* The parameters whose value decides one of y's calls. */
static void deciding(const struct g_func *y, uint32_t *zero, uint32_t *nonzero)
{
	int d;

	*zero = *nonzero = 0;
	for (d = 0; d < y->nr_calls; d++) {
		*zero |= y->calls[d].need_zero;
		*nonzero |= y->calls[d].need_nonzero;
	}
}

static int copy_node(struct graph *g, int y)
{
	struct g_func *c;
	int n;

	ALLOC_GROW(g->funcs, g->nr + 1, g->alloc);
	n = g->nr++;
	c = &g->funcs[n];
	*c = g->funcs[y];
	c->orig = y;
	c->reg = -1;		/* registered is the function, not the copy */
	c->rev = NULL;
	c->nr_rev = c->alloc_rev = 0;
	c->sites = NULL;
	if (c->nr_sites) {
		c->sites = xcalloc(c->nr_sites, sizeof(*c->sites));
		memcpy(c->sites, g->funcs[y].sites, c->nr_sites * sizeof(*c->sites));
	}
	c->calls = xcalloc(c->nr_calls + 1, sizeof(*c->calls));
	if (c->nr_calls)	/* a function without calls may have none allocated */
		memcpy(c->calls, g->funcs[y].calls, c->nr_calls * sizeof(*c->calls));
	c->alloc_calls = c->nr_calls + 1;
	return n;
}

/* The copy of y for what call c passes, made on first use. */
static int copy_for(struct graph *g, struct strmap *copies, struct arena *keys,
		    int y, const struct g_call *c)
{
	uint32_t zero, nonzero;
	char key[96];
	uintptr_t v;
	int n, d;

	deciding(&g->funcs[y], &zero, &nonzero);
	snprintf(key, sizeof(key), "%d/%x/%x", y, c->arg_zero & nonzero,
		 c->arg_nonzero & zero);
	v = (uintptr_t)strmap_get(copies, key);
	if (v)
		return (int)v - 1;
	n = copy_node(g, y);
	for (d = 0; d < g->funcs[n].nr_calls; d++)
		if (rules_out(c, &g->funcs[n].calls[d]))
			g->funcs[n].calls[d].reached = 0;
	strmap_put(copies, arena_strdup(keys, key), (void *)(uintptr_t)(n + 1));
	return n;
}

/* Does what call c passes rule out any call of y? */
static int rules_out_any(const struct g_func *y, const struct g_call *c)
{
	int d;

	if (!(c->arg_zero | c->arg_nonzero) || !y->defined ||
	    (y->rules && y->rules->sink))
		return 0;
	for (d = 0; d < y->nr_calls; d++)
		if (y->calls[d].reached && rules_out(c, &y->calls[d]))
			return 1;
	return 0;
}

void specialize_calls(struct graph *g)
{
	struct strmap copies = { 0 };
	struct arena keys = { 0 };
	int nr = g->nr, f, j;

	/* copies are not specialized again: their callers are originals */
	for (f = 0; f < nr; f++) {
		for (j = 0; j < g->funcs[f].nr_calls; j++) {
			struct g_call c = g->funcs[f].calls[j];

			if (!rules_out_any(&g->funcs[c.callee], &c))
				continue;
			g->funcs[f].calls[j].callee =
				copy_for(g, &copies, &keys, c.callee, &c);
		}
	}
	strmap_release(&copies);
	arena_release(&keys);
}
