/*
 * compare.c: Coccinelle's callback facts against libclang's (see
 * compare.h).
 */
#include "cocci/compare.h"

#include <stdlib.h>
#include <string.h>

/* A store a registration macro makes is compared as that macro. */
static int by_macro(const struct graph *g, const struct fact_loc *loc)
{
	int i;

	for (i = 0; i < g->nr_regs; i++)
		if (g->regs[i].how == HOW_MACRO && g->regs[i].loc.file == loc->file &&
		    g->regs[i].loc.line == loc->line)
			return 1;
	return 0;
}

/* Count a fact seen by src; one extractor alone is a difference. */
static struct fact_difference *count(struct fact_comparison *c, int src)
{
	struct fact_difference *d;

	c->both += src == (SRC_LIBCLANG | SRC_COCCI);
	c->only_cocci += src == SRC_COCCI;
	c->only_libclang += src == SRC_LIBCLANG;
	if (src == (SRC_LIBCLANG | SRC_COCCI))
		return NULL;
	ALLOC_GROW(c->v, c->nr + 1, c->alloc);
	d = &c->v[c->nr++];
	memset(d, 0, sizeof(*d));
	d->src = src == SRC_COCCI ? SRC_COCCI : SRC_LIBCLANG;
	return d;
}

static void compare_regs(struct fact_comparison *c, const struct graph *g)
{
	struct fact_difference *d;
	int i;

	for (i = 0; i < g->nr_regs; i++) {
		const struct g_reg *r = &g->regs[i];

		if (r->how != HOW_CALL && r->how != HOW_MACRO)
			continue;
		if (!(d = count(c, r->src)))
			continue;
		d->loc = &r->loc;
		d->as = r->rule->as;
		d->func = r->func;
	}
}

static void compare_ptrs(struct fact_comparison *c, const struct graph *g)
{
	struct fact_difference *d;
	int i, j;

	for (i = 0; i < g->nr_ptrs; i++) {
		const struct g_ptr *p = g->all_ptrs[i];

		for (j = 0; j < p->nr_funcs; j++) {
			int s = p->src[j];

			if (s == SRC_LIBCLANG && (!p->visible[j] ||
						  by_macro(g, &p->locs[j])))
				continue;
			if (!(d = count(c, s)))
				continue;
			d->loc = &p->locs[j];
			d->ptr_key = p->key;
			d->func = p->funcs[j];
		}
	}
}

void cocci_compare_facts(struct fact_comparison *c, const struct graph *g)
{
	memset(c, 0, sizeof(*c));
	compare_regs(c, g);
	compare_ptrs(c, g);
}

void fact_comparison_release(struct fact_comparison *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}
