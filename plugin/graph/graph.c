/*
 * graph.c: merge per-TU facts into one call graph (see graph.h).
 */
#include "graph/graph.h"
#include "graph/specialize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void graph_init(struct graph *g, const struct rules *r)
{
	memset(g, 0, sizeof(*g));
	g->rules = r;
	g->max_targets = 16;
}

static struct g_ptr *ptr_for(struct graph *g, const char *key)
{
	const char *k = intern(&g->strings, key);
	int made;
	struct g_ptr *p = strmap_get_or_make(&g->ptrs, k, &g->arena,
					     sizeof(*p), &made);

	if (made) {
		p->key = k;
		ALLOC_GROW(g->all_ptrs, g->nr_ptrs + 1, g->alloc_ptrs);
		g->all_ptrs[g->nr_ptrs++] = p;
	}
	return p;
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
	f->orig = g->nr;
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

/* What a call fact and its graph call share; held sites renumbered. */
static void fill_call(struct graph *g, struct g_call *c,
		      const struct fact_call *fc, int site_base)
{
	int i;

	c->loc = loc_copy(g, &fc->loc);
	c->reached = fc->reached;
	c->phases = fc->phases;
	c->leaky = fc->leaky;
	c->misled = fc->misled;
	c->need_zero = fc->need_zero;
	c->need_nonzero = fc->need_nonzero;
	c->arg_zero = fc->arg_zero;
	c->arg_nonzero = fc->arg_nonzero;
	if (fc->nr_held) {
		c->held = arena_alloc(&g->arena, fc->nr_held * sizeof(int));
		for (i = 0; i < fc->nr_held; i++)
			c->held[i] = fc->held[i] + site_base;
		c->nr_held = fc->nr_held;
	}
}

static void add_call(struct graph *g, struct g_func *f, int callee,
		     const struct fact_call *fc, int site_base)
{
	struct g_call *c;

	ALLOC_GROW(f->calls, f->nr_calls + 1, f->alloc_calls);
	c = &f->calls[f->nr_calls++];
	memset(c, 0, sizeof(*c));
	fill_call(g, c, fc, site_base);
	c->callee = callee;
	c->text = str_copy(g, fc->text);
	c->dom = -1;
	g->nr_edges++;
}

/* A dominator in graph numbering; an indirect one stands for its own. */
static int mapped_dom(const struct fact_func *ff, const int *index, int d)
{
	int steps = 0;

	while (d >= 0 && index[d] < 0 && steps++ < ff->nr_calls)
		d = ff->calls[d].dom;
	return d >= 0 && index[d] >= 0 ? index[d] : -1;
}

static void add_pending(struct graph *g, int func, const struct fact_call *fc,
			int site_base, int dom)
{
	struct g_pending *p;
	struct g_call *c;

	ALLOC_GROW(g->pending, g->nr_pending + 1, g->alloc_pending);
	p = &g->pending[g->nr_pending++];
	memset(p, 0, sizeof(*p));
	p->func = func;
	p->ptr = ptr_for(g, fc->via);
	p->ptr->sites++;
	c = &p->call;
	fill_call(g, c, fc, site_base);
	c->callee = -1;
	c->via = str_copy(g, fc->via_text ? fc->via_text : "a function pointer");
	c->indirect = 1;
	c->dom = dom;
	g->stats.indirect++;
}

static void merge_sites(struct graph *g, struct g_func *f,
			const struct fact_func *ff)
{
	int i;

	f->sites = xrealloc(f->sites, (f->nr_sites + ff->nr_sites + 1) *
			    sizeof(*f->sites));
	for (i = 0; i < ff->nr_sites; i++) {
		struct g_site *s = &f->sites[f->nr_sites++];

		s->context = ff->sites[i].context;
		s->key = str_copy(g, ff->sites[i].key);
		s->prim = str_copy(g, ff->sites[i].prim);
		s->loc = loc_copy(g, &ff->sites[i].loc);
		s->is_assert = ff->sites[i].is_assert;
	}
}

/*
 * The direct calls of ff, appended to node id's; index[i] is where fact
 * call i went (-1: indirect, resolved at the end).  A sleeping GFP flag
 * adds an edge right after its call's.
 */
static void merge_calls(struct graph *g, int id, const struct fact_func *ff,
			int base, int *index)
{
	struct g_func *f;
	int i;

	for (i = 0; i < ff->nr_calls; i++) {
		const struct fact_call *fc = &ff->calls[i];
		int callee;

		if (!fc->callee) {
			index[i] = -1;
			continue;
		}
		callee = node_for(g, fc->callee, fc->callee_file);
		f = &g->funcs[id];	/* node_for may move the array */
		index[i] = f->nr_calls;
		add_call(g, f, callee, fc, base);
		if (fc->gfp_flag) {
			int v = gfp_node(g, fc->callee, fc->gfp_flag);

			f = &g->funcs[id];
			add_call(g, f, v, fc, base);
		}
	}
}

/* Dominators, renumbered: a gfp edge shares its call's. */
static void merge_doms(struct graph *g, int id, const struct fact_func *ff,
		       int base, const int *index)
{
	struct g_func *f = &g->funcs[id];
	int i;

	for (i = 0; i < ff->nr_calls; i++) {
		int d = mapped_dom(ff, index, ff->calls[i].dom);

		if (index[i] < 0) {
			add_pending(g, id, &ff->calls[i], base, d);
			continue;
		}
		f->calls[index[i]].dom = d;
		if (ff->calls[i].gfp_flag)
			f->calls[index[i] + 1].dom = d;
	}
}

/* The boot checks and guards of the first definition that has any. */
static void merge_checks(struct graph *g, struct g_func *f,
			 const struct fact_func *ff)
{
	int i;

	if (!ff->nr_checks || f->nr_checks)
		return;
	memcpy(f->stop_check, ff->stop_check, sizeof(f->stop_check));
	f->checks = arena_alloc(&g->arena, ff->nr_checks * sizeof(*f->checks));
	for (i = 0; i < ff->nr_checks; i++) {
		f->checks[i] = ff->checks[i];
		f->checks[i].loc = loc_copy(g, &ff->checks[i].loc);
		f->checks[i].assertion = str_copy(g, ff->checks[i].assertion);
		f->checks[i].fails = str_copy(g, ff->checks[i].fails);
	}
	f->nr_checks = ff->nr_checks;
}

static void merge_guards(struct graph *g, struct g_func *f,
			 const struct fact_func *ff)
{
	int i;

	if (!ff->nr_guards || f->nr_guards)
		return;
	f->guards = arena_alloc(&g->arena, ff->nr_guards * sizeof(*f->guards));
	for (i = 0; i < ff->nr_guards; i++) {
		f->guards[i] = ff->guards[i];
		f->guards[i].predicate = str_copy(g, ff->guards[i].predicate);
		f->guards[i].loc = loc_copy(g, &ff->guards[i].loc);
	}
	f->nr_guards = ff->nr_guards;
}

/*
 * A function's facts into its node.  A second definition (weak and
 * strong, two configs) is merged into the first: its sites and calls are
 * added, its checks and guards only if the first had none.
 */
static void add_func(struct graph *g, const struct fact_func *ff)
{
	int id = node_for(g, ff->name, ff->is_static ? ff->loc.file : NULL);
	struct g_func *f = &g->funcs[id];
	int base, first_call, *index;

	if (f->defined && f->loc.file == intern(&g->strings, ff->loc.file))
		return;		/* a header function seen again */
	if (!f->defined) {
		f->defined = 1;
		f->loc = loc_copy(g, &ff->loc);
		f->end_line = ff->end_line;
		f->boot_only = ff->boot_only;
	}
	base = f->nr_sites;
	merge_sites(g, f, ff);
	first_call = f->nr_calls;
	index = xcalloc(ff->nr_calls + 1, sizeof(int));	/* fact -> graph call */
	merge_calls(g, id, ff, base, index);
	merge_doms(g, id, ff, base, index);
	f = &g->funcs[id];
	if (first_call == 0)
		f->exit_dom = mapped_dom(ff, index, ff->exit_dom);
	merge_checks(g, f, ff);
	if (ff->sleep_call >= 0 && f->sleep_call < 0)
		f->sleep_call = index[ff->sleep_call];
	free(index);
	merge_guards(g, f, ff);
}

static struct g_reg *register_node(struct graph *g, int id,
				   const struct rules_registration *rule,
				   const struct fact_loc *loc)
{
	struct g_reg *r;
	int i;

	/* the same registration from the other extractor */
	for (i = g->funcs[id].reg; i >= 0 && i < g->nr_regs; i++)
		if (g->regs[i].func == id && g->regs[i].rule == rule &&
		    g->regs[i].loc.file == loc->file &&
		    g->regs[i].loc.line == loc->line)
			return &g->regs[i];
	ALLOC_GROW(g->regs, g->nr_regs + 1, g->alloc_regs);
	r = &g->regs[g->nr_regs];
	memset(r, 0, sizeof(*r));
	r->func = id;
	r->rule = rule;
	r->loc = *loc;
	r->context = rule->context;
	if (g->funcs[id].reg < 0)
		g->funcs[id].reg = g->nr_regs;
	g->nr_regs++;
	return r;
}

/*
 * The node of a function a fact names.  Coccinelle does not say whether
 * it is static: a static function of the fact's file comes first.
 */
static int fact_node(struct graph *g, const char *name, const char *file,
		     int cocci, const struct fact_loc *at)
{
	if (cocci && !file) {
		char key[4096];
		uintptr_t v;

		snprintf(key, sizeof(key), "%s@%s", name, at->file);
		v = (uintptr_t)strmap_get(&g->by_key, key);
		if (!v)
			v = (uintptr_t)strmap_get(&g->by_key, name);
		/* a name libclang never met: a parameter, or code not built */
		return v ? (int)v - 1 : -1;
	}
	return node_for(g, name, file);
}

static void add_reg(struct graph *g, const struct fact_reg *fr)
{
	int id = fact_node(g, fr->callback, fr->callback_file, fr->cocci, &fr->loc);
	struct fact_loc loc;
	struct g_reg *r;

	if (id < 0)
		return;
	loc = loc_copy(g, &fr->loc);
	r = register_node(g, id, fr->rule, &loc);

	r->src |= fr->cocci ? SRC_COCCI : SRC_LIBCLANG;
	if (!fr->cocci || !r->how)
		r->how = fr->how;
	if (fr->alt)
		r->context = fr->rule->alt_context;
}

/* A function stored into a registration field ("hrtimer.function"). */
static void field_registrations(struct graph *g)
{
	const struct rules *r = g->rules;
	int i, j, k;

	for (i = 0; i < r->nr_registrations; i++) {
		const struct rules_registration *reg = &r->registrations[i];

		for (j = 0; j < reg->nr_fields; j++) {
			const char *dot = strchr(reg->fields[j], '.');
			char key[512];
			const struct g_ptr *p;

			snprintf(key, sizeof(key), "F:c:@S@%.*s@FI@%s",
				 (int)(dot - reg->fields[j]), reg->fields[j], dot + 1);
			p = strmap_get(&g->ptrs, key);
			for (k = 0; p && k < p->nr_funcs; k++) {
				struct g_reg *r = register_node(g, p->funcs[k],
								reg, &p->locs[k]);

				r->src |= p->src[k];
				r->how = HOW_DESIGNATED;
			}
		}
	}
}

static void add_store(struct graph *g, const struct fact_store *fs)
{
	struct g_ptr *p = ptr_for(g, fs->key);
	int i;

	if (fs->func) {
		int id = fact_node(g, fs->func, fs->func_file, fs->cocci, &fs->loc);
		int visible = !fs->cocci && (fs->how == HOW_DESIGNATED ||
					     fs->how == HOW_ASSIGN);

		if (id < 0)
			return;
		for (i = 0; i < p->nr_funcs && p->funcs[i] != id; i++)
			;
		if (i == p->nr_funcs) {
			ALLOC_GROW(p->funcs, p->nr_funcs + 1, p->alloc_funcs);
			ALLOC_GROW(p->locs, p->nr_funcs + 1, p->alloc_locs);
			ALLOC_GROW(p->src, p->nr_funcs + 1, p->alloc_src);
			ALLOC_GROW(p->visible, p->nr_funcs + 1, p->alloc_visible);
			p->locs[p->nr_funcs] = loc_copy(g, &fs->loc);
			p->src[p->nr_funcs] = 0;
			p->visible[p->nr_funcs] = 0;
			p->funcs[p->nr_funcs++] = id;
		}
		p->src[i] |= fs->cocci ? SRC_COCCI : SRC_LIBCLANG;
		p->visible[i] |= visible;
	} else if (fs->from) {
		const struct g_ptr *from = ptr_for(g, fs->from);

		for (i = 0; i < p->nr_from; i++)
			if (p->from[i] == from)
				return;
		ALLOC_GROW(p->from, p->nr_from + 1, p->alloc_from);
		p->from[p->nr_from++] = from;
	}
}

void graph_add_tu(struct graph *g, const struct fact_tu *tu)
{
	int i;

	for (i = 0; i < tu->nr_funcs; i++)
		add_func(g, &tu->funcs[i]);
	for (i = 0; i < tu->nr_regs; i++)
		add_reg(g, &tu->regs[i]);
	for (i = 0; i < tu->nr_stores; i++)
		add_store(g, &tu->stores[i]);
	for (i = 0; i < tu->nr_seen; i++) {
		const struct rules_name *rn = rules_lookup(g->rules, tu->seen[i]);

		if (rn)
			strmap_put(&g->rules_seen, rn->name, (void *)rn);
	}
}

struct targets {
	int *v;
	int nr, alloc;
	unsigned *mark;		/* per node: generation it was added in */
	unsigned gen;
	int cap;
};

/* Every function stored into p or into what it gets from; stops past cap. */
static void collect_targets(struct g_ptr *p, struct targets *t)
{
	int i;

	if (p->seen == t->gen || t->nr > t->cap)
		return;
	p->seen = t->gen;
	for (i = 0; i < p->nr_funcs && t->nr <= t->cap; i++) {
		int id = p->funcs[i];

		if (t->mark[id] == t->gen)
			continue;
		t->mark[id] = t->gen;
		ALLOC_GROW(t->v, t->nr + 1, t->alloc);
		t->v[t->nr++] = id;
	}
	for (i = 0; i < p->nr_from; i++)
		collect_targets((struct g_ptr *)p->from[i], t);
}

static void resolve(struct graph *g)
{
	struct targets t = { 0 };
	int i, j;

	t.mark = xcalloc(g->nr + 1, sizeof(unsigned));
	t.cap = g->max_targets;
	for (i = 0; i < g->nr_pending; i++) {
		struct g_pending *p = &g->pending[i];
		struct g_func *f;

		t.gen++;
		t.nr = 0;
		collect_targets(p->ptr, &t);
		p->ptr->targets = t.nr;
		if (!t.nr) {
			g->stats.no_target++;
			continue;
		}
		if (t.nr > t.cap) {
			g->stats.capped++;
			continue;
		}
		g->stats.resolved++;
		f = &g->funcs[p->func];
		for (j = 0; j < t.nr; j++) {
			struct g_call *c;

			ALLOC_GROW(f->calls, f->nr_calls + 1, f->alloc_calls);
			c = &f->calls[f->nr_calls++];
			*c = p->call;
			c->callee = t.v[j];
			g->nr_edges++;
			g->stats.edges++;
		}
	}
	free(t.v);
	free(t.mark);
}

const char *graph_ptr_name(const char *key, char *buf, size_t size)
{
	const char *s, *fi, *hash;

	if (!strncmp(key, "F:c:@S@", 7) && (fi = strstr(key, "@FI@"))) {
		snprintf(buf, size, "struct %.*s.%s", (int)(fi - key - 7), key + 7,
			 fi + 4);
	} else if (!strncmp(key, "P:", 2) && (hash = strrchr(key, '#'))) {
		s = strchr(key + 2, '@');
		if (!s || s > hash)
			s = hash;
		snprintf(buf, size, "argument %d of %.*s()", atoi(hash + 1) + 1,
			 (int)(s - key - 2), key + 2);
	} else if (!strncmp(key, "V:c:", 4) && (s = strchr(key + 4, '@'))) {
		/* V:c:file.c@offset@F@func@name@path, or V:c:file.c@name@path */
		const char *end = strrchr(key, '@'), *start = end;

		while (start > s && start[-1] != '@')
			start--;
		snprintf(buf, size, "%.*s", (int)(end - start), start);
	} else {
		snprintf(buf, size, "%s", key + (key[0] && key[1] == ':' ? 2 : 0));
	}
	return buf;
}

static int cmp_ptr(const void *a, const void *b)
{
	const struct g_ptr *x = *(const struct g_ptr **)a;
	const struct g_ptr *y = *(const struct g_ptr **)b;

	if (x->targets != y->targets)
		return x->targets > y->targets ? -1 : 1;
	if (x->sites != y->sites)
		return x->sites > y->sites ? -1 : 1;
	return strcmp(x->key, y->key);
}

int graph_worst_ptrs(const struct graph *g, const struct g_ptr **out, int n)
{
	const struct g_ptr **all = xcalloc(g->nr_ptrs + 1, sizeof(*all));
	int i, nr = 0;

	for (i = 0; i < g->nr_ptrs; i++)
		if (g->all_ptrs[i]->sites && g->all_ptrs[i]->targets > g->max_targets)
			all[nr++] = g->all_ptrs[i];
	qsort(all, nr, sizeof(*all), cmp_ptr);
	if (nr > n)
		nr = n;
	memcpy(out, all, nr * sizeof(*out));
	free(all);
	return nr;
}

void graph_finish(struct graph *g)
{
	int i, j;

	field_registrations(g);
	resolve(g);
	specialize_calls(g);
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

	strmap_release(&g->rules_seen);
	for (i = 0; i < g->nr; i++) {
		free(g->funcs[i].sites);
		free(g->funcs[i].calls);
		free(g->funcs[i].rev);
	}
	free(g->funcs);
	free(g->regs);
	for (i = 0; i < g->nr_ptrs; i++) {
		free(g->all_ptrs[i]->funcs);
		free(g->all_ptrs[i]->locs);
		free(g->all_ptrs[i]->src);
		free(g->all_ptrs[i]->visible);
		free(g->all_ptrs[i]->from);
	}
	free(g->all_ptrs);
	free(g->pending);
	strmap_release(&g->ptrs);
	strmap_release(&g->by_key);
	interner_release(&g->strings);
	arena_release(&g->arena);
	memset(g, 0, sizeof(*g));
}
