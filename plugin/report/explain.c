/*
 * explain.c: collect what explain says of a function (see explain.h).
 * The witness of a phase is read backwards from the function's boot
 * state to the entry that started it; the witnesses of contexts are the
 * atomic check's findings with the function as the target, the shortest
 * per context kind; the sleepers come from sleeps_from().
 */
#include "report/explain.h"

#include <stdlib.h>
#include <string.h>

#include "check/sleeps.h"

const char *explain_name(char *buf, size_t size, const struct g_func *f)
{
	snprintf(buf, size, f->is_gfp ? "%s" : "%s()", f->name);
	return buf;
}

static struct finding *add_witness(struct findings *out, int func)
{
	struct finding *w;

	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	w = &out->v[out->nr++];
	memset(w, 0, sizeof(*w));
	w->sink = func;
	w->entry = w->site = w->context = w->phase = w->reg = -1;
	w->guard_by = w->guard_index = w->sleeper = -1;
	return w;
}

/* The chain from where phase p starts to f, entry first. */
static void phase_witness(const struct boot *b, int f, int p,
			  struct findings *out)
{
	const struct boot_state *st = boot_state(b, f, p);
	struct finding *w = add_witness(out, f);
	int x = f, px = p, n = 0;

	while (st->from_func >= 0) {
		n++;
		x = st->from_func;
		px = st->from_phase;
		st = boot_state(b, x, px);
	}
	w->phase = p;
	w->entry = x;
	w->entry_how = st->how;
	w->entry_phase = px;
	w->reg = st->how == BOOT_REGISTERED ? st->from_call : -1;
	w->hops = xcalloc(n + 1, sizeof(*w->hops));
	w->hop_phase = xcalloc(n + 1, sizeof(*w->hop_phase));
	w->nr_hops = n;
	px = p;
	st = boot_state(b, f, p);
	while (n-- > 0) {
		w->hops[n].func = st->from_func;
		w->hops[n].call = st->from_call;
		w->hop_phase[n] = px;	/* the phase the callee runs in */
		px = st->from_phase;
		st = boot_state(b, st->from_func, px);
	}
}

/* A chain check reports first, then the shortest, then by entry. */
static int better(const struct graph *g, const struct finding *x,
		  const struct finding *y)
{
	int c;

	if (x->suppressed != y->suppressed)
		return x->suppressed < y->suppressed;
	if (x->nr_hops != y->nr_hops)
		return x->nr_hops < y->nr_hops;
	c = strcmp(g->funcs[x->entry].name, g->funcs[y->entry].name);
	if (!c)
		c = strcmp(g->funcs[x->entry].key, g->funcs[y->entry].key);
	return c ? c < 0 : x->site < y->site;
}

/* Move the best candidate of each context kind into out. */
static void pick_contexts(const struct graph *g, struct findings *cand,
			  struct findings *out)
{
	int c, i;

	for (c = 0; c < g->rules->nr_contexts; c++) {
		int best = -1;

		for (i = 0; i < cand->nr; i++)
			if (cand->v[i].context == c &&
			    (best < 0 || better(g, &cand->v[i], &cand->v[best])))
				best = i;
		if (best < 0)
			continue;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = cand->v[best];
		cand->v[best].hops = NULL;	/* out owns them now */
		cand->v[best].hop_phase = NULL;
	}
}

/* The nearest max sleepers func reaches; *all counts them all. */
static void nearest_sleepers(const struct graph *g, int func, int max,
			     struct findings *out, int *all)
{
	int i;

	*all = sleeps_from(g, func, out);
	for (i = max; i < out->nr; i++) {
		free(out->v[i].hops);
		free(out->v[i].hop_phase);
	}
	if (out->nr > max)
		out->nr = max;
}

static void collect(struct explanation *ex, struct atomic_reach *ar,
		    const struct boot *b, int func)
{
	struct findings cand = { 0 };
	int p;

	memset(ex, 0, sizeof(*ex));
	ex->func = func;
	for (p = 0; p < b->nr_phases; p++)
		if (b->phases[func] & (1u << p))
			phase_witness(b, func, p, &ex->phases);
	atomic_own_entries(ar, func, &cand);
	atomic_reach_entries(ar, func, &cand);
	pick_contexts(ar->g, &cand, &ex->contexts);
	findings_release(&cand);
	nearest_sleepers(ar->g, func, EXPLAIN_MAX_SLEEPERS, &ex->sleeps,
			 &ex->nr_sleeps);
}

int explain_add(struct explanations *xs, struct atomic_reach *ar,
		const struct boot *b, const char *name)
{
	const struct graph *g = ar->g;
	int first = xs->nr, i;

	for (i = 0; i < g->nr; i++) {
		if (g->funcs[i].is_gfp || strcmp(g->funcs[i].name, name))
			continue;
		ALLOC_GROW(xs->v, xs->nr + 1, xs->alloc);
		collect(&xs->v[xs->nr++], ar, b, i);
	}
	for (i = first; i < xs->nr; i++) {
		xs->v[i].nth = i - first + 1;
		xs->v[i].same_name = xs->nr - first;
	}
	return xs->nr - first;
}

void explanations_release(struct explanations *xs)
{
	int i;

	for (i = 0; i < xs->nr; i++) {
		findings_release(&xs->v[i].phases);
		findings_release(&xs->v[i].contexts);
		findings_release(&xs->v[i].sleeps);
	}
	free(xs->v);
	memset(xs, 0, sizeof(*xs));
}

static const char *phase_start(char *buf, size_t size, const struct graph *g,
			       const struct compdb *db, const struct finding *w)
{
	const struct g_reg *reg;

	if (w->entry_how == BOOT_ROOT) {
		snprintf(buf, size, "boot root");
		return buf;
	}
	if (w->entry_how != BOOT_REGISTERED) {
		snprintf(buf, size, "run time: nothing calls it");
		return buf;
	}
	reg = &g->regs[w->reg];
	snprintf(buf, size, "registered as %s at %s:%u", reg->rule->as,
		 compdb_relative(db, reg->loc.file), reg->loc.line);
	return buf;
}

static const char *context_start(char *buf, size_t size,
				 const struct graph *g, const struct compdb *db,
				 const struct finding *w)
{
	const struct rules_context *ctx = g->rules->contexts[w->context];
	const struct g_func *e = &g->funcs[w->entry];
	const struct g_site *site = w->site >= 0 ? &e->sites[w->site] : NULL;
	char text[512];

	if (!site && w->reg >= 0) {
		const struct g_reg *reg = &g->regs[w->reg];

		snprintf(buf, size, "registered as %s at %s:%u%s", reg->rule->as,
			 compdb_relative(db, reg->loc.file), reg->loc.line,
			 reg->src == SRC_COCCI ? " (seen by Coccinelle only)" : "");
		return buf;
	}
	if (site && site->is_assert) {
		rules_expand(text, sizeof(text), ctx->reached_with, site->key,
			     e->name);
		snprintf(buf, size, "%s:%u: %s() asserts it runs %s",
			 compdb_relative(db, site->loc.file), site->loc.line,
			 site->prim, text);
		return buf;
	}
	rules_expand(text, sizeof(text), ctx->entered_here,
		     site ? site->key : NULL, e->name);
	if (site)
		snprintf(buf, size, "%s:%u: %s", compdb_relative(db, site->loc.file),
			 site->loc.line, text);
	else if (e->loc.file)
		snprintf(buf, size, "%s:%u: %s", compdb_relative(db, e->loc.file),
			 e->loc.line, text);
	else
		snprintf(buf, size, "%s", text);
	return buf;
}

const char *explain_start(char *buf, size_t size, const struct graph *g,
			  const struct compdb *db, const struct finding *w)
{
	if (w->phase >= 0)
		return phase_start(buf, size, g, db, w);
	if (w->context >= 0)
		return context_start(buf, size, g, db, w);
	if (size)
		buf[0] = '\0';
	return buf;
}

/* Why check would not report the witness, or "". */
static void why_not(char *buf, size_t size, const struct graph *g,
		    const struct boot *b, const struct finding *w)
{
	char name[512], text[256];

	if (!w->suppressed) {
		/* reported, and the function on the way is a bug already */
		if (w->sleeper >= 0)
			snprintf(buf, size, "on the way %s() may sleep itself",
				 g->funcs[w->sleeper].name);
		else
			snprintf(buf, size, "%s", "");
	} else if (w->exempt) {
		rules_phase_names(g->rules, b->phases[w->entry], text, sizeof(text));
		snprintf(buf, size, "not reported: %s() runs only in boot phases %s",
			 g->funcs[w->entry].name, text);
	} else if (w->guard_by >= 0) {
		rules_fact_names(g->rules, w->facts, text, sizeof(text));
		snprintf(buf, size, "safe: %s() establishes %s",
			 g->funcs[w->guard_by].name, text);
	} else if (w->guard_index >= 0) {
		const struct fact_guard *gd = &g->funcs[w->sink].guards[w->guard_index];

		snprintf(buf, size, "safe: %s returns early when %s%s()",
			 explain_name(name, sizeof(name), &g->funcs[w->sink]),
			 gd->negated ? "!" : "", gd->predicate);
	} else {
		snprintf(buf, size, "safe: the rules say it does not sleep there");
	}
}

/* A sleeper's chain whose first call is made in atomic context: "called
 * with spinlock 'l' held", else "". */
static void held_first(char *buf, size_t size, const struct graph *g,
		       const struct finding *w)
{
	const struct g_func *f;
	const struct g_call *c;
	const struct g_site *site;
	char with[400];

	buf[0] = '\0';
	if (w->phase >= 0 || w->context >= 0 || !w->nr_hops)
		return;
	f = &g->funcs[w->hops[0].func];
	c = &f->calls[w->hops[0].call];
	if (!c->nr_held)
		return;
	site = &f->sites[c->held[0]];
	rules_expand(with, sizeof(with),
		     g->rules->contexts[site->context]->reached_with, site->key,
		     f->name);
	snprintf(buf, size, "called %s", with);
}

const char *explain_note(char *buf, size_t size, const struct graph *g,
			 const struct boot *b, const struct finding *w)
{
	char held[512], why[1024];

	held_first(held, sizeof(held), g, w);
	why_not(why, sizeof(why), g, b, w);
	snprintf(buf, size, "%s%s%s", held, *held && *why ? "; " : "", why);
	return buf;
}
