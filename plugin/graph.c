/*
 * graph.c: merge per-TU facts into one call graph (see graph.h).
 */
#include "graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void graph_init(struct graph *g, const struct rules *r)
{
	memset(g, 0, sizeof(*g));
	g->rules = r;
}

static const char *key_of(struct graph *g, const char *name, const char *file)
{
	char buf[4096];

	if (!file)
		return intern(&g->strings, name);
	snprintf(buf, sizeof(buf), "%s@%s", name, file);
	return intern(&g->strings, buf);
}

static int node_for(struct graph *g, const char *name, const char *file)
{
	const char *key = key_of(g, name, file);
	uintptr_t v = (uintptr_t)strmap_get(&g->by_key, key);
	struct g_func *f;

	if (v)
		return (int)v - 1;
	ALLOC_GROW(g->funcs, g->nr + 1, g->alloc);
	f = &g->funcs[g->nr];
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->name = intern(&g->strings, name);
	f->is_static = file != NULL;
	f->sleep_call = -1;
	f->exit_dom = -1;
	f->reg = -1;
	memset(f->stop_check, -1, sizeof(f->stop_check));
	f->rules = rules_lookup(g->rules, name);
	if (file)
		f->loc.file = intern(&g->strings, file);
	strmap_put(&g->by_key, key, (void *)(uintptr_t)(g->nr + 1));
	return g->nr++;
}

int graph_find(const struct graph *g, const char *name)
{
	uintptr_t v = (uintptr_t)strmap_get(&g->by_key, name);

	return v ? (int)v - 1 : -1;
}

static struct fact_loc loc_copy(struct graph *g, const struct fact_loc *l)
{
	struct fact_loc r = *l;

	r.file = intern(&g->strings, l->file ? l->file : "");
	return r;
}

static const char *str_copy(struct graph *g, const char *s)
{
	return s ? intern(&g->strings, s) : NULL;
}

/* A call passing a sleeping GFP flag also reaches "callee(FLAG)". */
static int gfp_node(struct graph *g, const char *callee, const char *flag)
{
	char buf[512];
	int id;

	snprintf(buf, sizeof(buf), "%s(%s)", callee, flag);
	id = node_for(g, buf, NULL);
	g->funcs[id].is_gfp = 1;
	g->funcs[id].gfp_flag = str_copy(g, flag);
	g->funcs[id].rules = NULL;
	return id;
}

static void add_call(struct graph *g, struct g_func *f, int callee,
		     const struct fact_call *fc, int site_base)
{
	struct g_call *c;
	int i;

	ALLOC_GROW(f->calls, f->nr_calls + 1, f->alloc_calls);
	c = &f->calls[f->nr_calls++];
	memset(c, 0, sizeof(*c));
	c->callee = callee;
	c->loc = loc_copy(g, &fc->loc);
	c->text = str_copy(g, fc->text);
	c->reached = fc->reached;
	c->dom = -1;
	c->phases = fc->phases;
	c->leaky = fc->leaky;
	c->misled = fc->misled;
	if (fc->nr_held) {
		c->held = arena_alloc(&g->arena, fc->nr_held * sizeof(int));
		for (i = 0; i < fc->nr_held; i++)
			c->held[i] = fc->held[i] + site_base;
		c->nr_held = fc->nr_held;
	}
	g->nr_edges++;
}

static void add_func(struct graph *g, const struct fact_func *ff)
{
	int id = node_for(g, ff->name, ff->is_static ? ff->loc.file : NULL);
	struct g_func *f = &g->funcs[id];
	int base, i, first_call, *index;

	if (f->defined && f->loc.file == intern(&g->strings, ff->loc.file))
		return;		/* a header function seen again */
	if (!f->defined) {
		f->defined = 1;
		f->loc = loc_copy(g, &ff->loc);
		f->boot_only = ff->boot_only;
	}
	/* a second definition (weak and strong, two configs): merge */
	base = f->nr_sites;
	f->sites = xrealloc(f->sites, (f->nr_sites + ff->nr_sites + 1) *
			    sizeof(*f->sites));
	for (i = 0; i < ff->nr_sites; i++) {
		struct g_site *s = &f->sites[f->nr_sites++];

		s->context = ff->sites[i].context;
		s->key = str_copy(g, ff->sites[i].key);
		s->prim = str_copy(g, ff->sites[i].prim);
		s->loc = loc_copy(g, &ff->sites[i].loc);
	}
	first_call = f->nr_calls;
	index = xcalloc(ff->nr_calls + 1, sizeof(int));	/* fact -> graph call */
	for (i = 0; i < ff->nr_calls; i++) {
		const struct fact_call *fc = &ff->calls[i];
		int callee = node_for(g, fc->callee, fc->callee_file);

		f = &g->funcs[id];	/* node_for may move the array */
		index[i] = f->nr_calls;
		add_call(g, f, callee, fc, base);
		if (fc->gfp_flag) {
			int v = gfp_node(g, fc->callee, fc->gfp_flag);

			f = &g->funcs[id];
			add_call(g, f, v, fc, base);
		}
	}
	f = &g->funcs[id];
	/* dominators, renumbered: a gfp edge shares its call's */
	for (i = 0; i < ff->nr_calls; i++) {
		int d = ff->calls[i].dom;

		f->calls[index[i]].dom = d >= 0 ? index[d] : -1;
		if (ff->calls[i].gfp_flag)
			f->calls[index[i] + 1].dom = f->calls[index[i]].dom;
	}
	if (first_call == 0)
		f->exit_dom = ff->exit_dom >= 0 ? index[ff->exit_dom] : -1;
	if (ff->nr_checks && !f->nr_checks) {
		memcpy(f->stop_check, ff->stop_check, sizeof(f->stop_check));
		f->checks = arena_alloc(&g->arena, ff->nr_checks * sizeof(*f->checks));
		for (i = 0; i < ff->nr_checks; i++) {
			f->checks[i] = ff->checks[i];
			f->checks[i].loc = loc_copy(g, &ff->checks[i].loc);
		}
		f->nr_checks = ff->nr_checks;
	}
	if (ff->sleep_call >= 0 && f->sleep_call < 0)
		f->sleep_call = index[ff->sleep_call];
	free(index);
	if (ff->nr_guards && !f->nr_guards) {
		f->guards = arena_alloc(&g->arena, ff->nr_guards * sizeof(*f->guards));
		for (i = 0; i < ff->nr_guards; i++) {
			f->guards[i] = ff->guards[i];
			f->guards[i].predicate = str_copy(g, ff->guards[i].predicate);
			f->guards[i].loc = loc_copy(g, &ff->guards[i].loc);
		}
		f->nr_guards = ff->nr_guards;
	}
}

static void add_reg(struct graph *g, const struct fact_reg *fr)
{
	int id = node_for(g, fr->callback, fr->callback_file);
	struct g_reg *r;

	ALLOC_GROW(g->regs, g->nr_regs + 1, g->alloc_regs);
	r = &g->regs[g->nr_regs];
	r->func = id;
	r->rule = fr->rule;
	r->loc = loc_copy(g, &fr->loc);
	if (g->funcs[id].reg < 0)
		g->funcs[id].reg = g->nr_regs;
	g->nr_regs++;
}

void graph_add_tu(struct graph *g, const struct fact_tu *tu)
{
	int i;

	for (i = 0; i < tu->nr_funcs; i++)
		add_func(g, &tu->funcs[i]);
	for (i = 0; i < tu->nr_regs; i++)
		add_reg(g, &tu->regs[i]);
}

void graph_finish(struct graph *g)
{
	int i, j;

	for (i = 0; i < g->nr; i++) {
		struct g_func *f = &g->funcs[i];

		for (j = 0; j < f->nr_calls; j++) {
			struct g_func *t = &g->funcs[f->calls[j].callee];

			ALLOC_GROW(t->rev, t->nr_rev + 1, t->alloc_rev);
			t->rev[t->nr_rev].func = i;
			t->rev[t->nr_rev].call = j;
			t->nr_rev++;
		}
	}
}

void graph_release(struct graph *g)
{
	int i;

	for (i = 0; i < g->nr; i++) {
		free(g->funcs[i].sites);
		free(g->funcs[i].calls);
		free(g->funcs[i].rev);
	}
	free(g->funcs);
	free(g->regs);
	strmap_release(&g->by_key);
	interner_release(&g->strings);
	arena_release(&g->arena);
	memset(g, 0, sizeof(*g));
}
