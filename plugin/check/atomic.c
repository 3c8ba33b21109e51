/*
 * atomic.c: the atomic-context check (see atomic.h).
 *
 * For each sink we run two breadth-first searches over reverse call edges:
 * one over all functions, and one that does not pass through a function
 * whose established facts meet the sink's guards (such paths are safe).
 * The first gives every entry from which the sink is reachable, the second
 * those from which it is reachable unsafely; the difference is the
 * suppressed set.  Each search also records, per function, the call that
 * leads toward the sink along a shortest path: the witness chain.
 */
#include "check/atomic.h"
#include "check/checks.h"

#include <stdlib.h>
#include <string.h>

/* Facts a node establishes for everything it calls, closed. */
static fact_mask established(const struct g_func *f)
{
	return f->rules && f->rules->establish ? f->rules->establish->facts : 0;
}

fact_mask atomic_established(const struct graph *g, int f)
{
	return established(&g->funcs[f]);
}

fact_mask atomic_sink_guards(const struct graph *g, int k)
{
	const struct rules *r = g->rules;
	const struct g_func *s = &g->funcs[k];
	fact_mask m = s->rules && s->rules->sink ? s->rules->sink->safe_when : 0;
	int i;

	for (i = 0; i < s->nr_guards; i++) {
		const struct rules_name *rn = rules_lookup(r, s->guards[i].predicate);

		if (rn && rn->predicate)
			m |= s->guards[i].negated ? rn->predicate->when_false :
						    rn->predicate->when_true;
	}
	return m;
}

int atomic_whole_context(const struct graph *g, int f)
{
	const struct g_func *e = &g->funcs[f];

	if (e->rules && e->rules->entry)
		return e->rules->entry->index;
	if (e->reg >= 0 && g->regs[e->reg].context)
		return g->regs[e->reg].context->index;
	return -1;
}

struct atomic_search {
	int *dist;		/* -1: cannot reach the target */
	int *next;		/* call index toward the target */
	const struct atomic_sleepers *barriers;	/* these do not lead on, or NULL */
	int sink;		/* the target */
};

/*
 * A function that sleeps itself (one the rules say sleeps, such as
 * vfree(), or one that calls such a function or allocates with a sleeping
 * GFP flag) is a bug of its own in atomic context: a path through it to
 * another sink says nothing new, and such paths are what context-
 * insensitive chains through reclaim and frees are made of.
 */
struct atomic_sleepers {
	int *first;		/* per node: a sleeper it calls, -1 none, or
				   -2: the rules say it sleeps */
	char *more;		/* ... and another one besides */
};

static void find_sleepers(const struct graph *g, struct atomic_sleepers *sl)
{
	int i, j;

	sl->first = xcalloc(g->nr + 1, sizeof(int));
	sl->more = xcalloc(g->nr + 1, 1);
	for (i = 0; i < g->nr; i++) {
		const struct g_func *f = &g->funcs[i];

		sl->first[i] = f->rules && f->rules->sleeper ? -2 : -1;
		for (j = 0; sl->first[i] != -2 && j < f->nr_calls; j++) {
			int c = f->calls[j].callee;
			const struct g_func *cf = &g->funcs[c];

			if (!f->calls[j].reached || f->calls[j].nr_held ||
			    !(cf->is_gfp || (cf->rules && cf->rules->sleeper)))
				continue;
			if (sl->first[i] < 0)
				sl->first[i] = c;
			else if (sl->first[i] != c)
				sl->more[i] = 1;
		}
	}
}

static void free_sleepers(struct atomic_sleepers *sl)
{
	free(sl->first);
	free(sl->more);
	memset(sl, 0, sizeof(*sl));
}

/* Sleeps itself, not counting a call of the sink it leads to. */
static int sleeps_itself(const struct atomic_sleepers *sl, int f, int sink)
{
	int first;

	if (f == sink || !sl || !sl->first)
		return 0;
	first = sl->first[f];
	return first == -2 || (first >= 0 && (first != sink || sl->more[f]));
}

static void bfs(const struct graph *g, int sink, fact_mask guards,
		struct atomic_search *s, int *queue)
{
	int head = 0, tail = 0, i;

	s->sink = sink;
	for (i = 0; i < g->nr; i++) {
		s->dist[i] = -1;
		s->next[i] = -1;
	}
	if (guards & established(&g->funcs[sink]))
		return;
	/* the target and its copies (specialize.h) */
	for (i = 0; i < g->nr; i++)
		if (g->funcs[i].orig == sink) {
			s->dist[i] = 0;
			queue[tail++] = i;
		}
	while (head < tail) {
		const struct g_func *y = &g->funcs[queue[head++]];
		int d = s->dist[y - g->funcs];

		for (i = 0; i < y->nr_rev; i++) {
			int x = y->rev[i].func;

			if (s->dist[x] >= 0)
				continue;
			if (!g->funcs[x].calls[y->rev[i].call].reached)
				continue;
			s->dist[x] = d + 1;
			s->next[x] = y->rev[i].call;
			/* a function establishing a guard fact does not lead on;
			 * in the unsafe search neither does a sleeper */
			if (!(guards & established(&g->funcs[x])) &&
			    !sleeps_itself(s->barriers, x, sink))
				queue[tail++] = x;
		}
	}
}

static void chain(const struct graph *g, const struct atomic_search *s,
		  int entry, int call, int sink, struct finding *f)
{
	int n = 1, x = g->funcs[entry].calls[call].callee;

	while (x != sink && s->next[x] >= 0) {
		n++;
		x = g->funcs[x].calls[s->next[x]].callee;
	}
	f->hops = xcalloc(n, sizeof(*f->hops));
	f->hops[0].func = entry;
	f->hops[0].call = call;
	f->nr_hops = 1;
	x = g->funcs[entry].calls[call].callee;
	while (x != sink && s->next[x] >= 0) {
		f->hops[f->nr_hops].func = x;
		f->hops[f->nr_hops].call = s->next[x];
		f->nr_hops++;
		x = g->funcs[x].calls[s->next[x]].callee;
	}
}

/* Which sink guard the facts in f->facts meet, into f->guard_index. */
static void guard_index(const struct graph *g, struct finding *f)
{
	const struct g_func *k = &g->funcs[f->sink];
	const struct rules *r = g->rules;
	int i;

	f->guard_index = -1;
	for (i = 0; i < k->nr_guards; i++) {
		const struct rules_name *rn = rules_lookup(r, k->guards[i].predicate);
		fact_mask m;

		if (!rn || !rn->predicate)
			continue;
		m = k->guards[i].negated ? rn->predicate->when_false :
					   rn->predicate->when_true;
		if (m & f->facts) {
			f->guard_index = i;
			break;
		}
	}
}

/* The first function on f's chain (after its entry) that sleeps itself. */
static int first_sleeper(const struct atomic_sleepers *sl, const struct finding *f)
{
	int i;

	for (i = 1; i < f->nr_hops; i++)
		if (sleeps_itself(sl, f->hops[i].func, f->sink))
			return f->hops[i].func;
	return -1;
}

int atomic_sleeps_by(const struct atomic_reach *ar, int f)
{
	int first = ar->sl->first[f];

	return first == -2 ? f : first;
}

void atomic_guard_of(const struct graph *g, struct finding *f, int from,
		     fact_mask guards)
{
	const struct g_func *k = &g->funcs[f->sink];
	int i;

	f->guard_by = -1;
	for (i = from; i < f->nr_hops && f->guard_by < 0; i++) {
		int fn = i ? f->hops[i].func : f->entry;

		if (guards & established(&g->funcs[fn])) {
			f->guard_by = fn;
			f->facts = guards & established(&g->funcs[fn]);
		}
	}
	if (f->guard_by < 0 && (guards & established(k))) {
		f->guard_by = f->sink;
		f->facts = guards & established(k);
	}
	guard_index(g, f);
}

/* Why a suppressed path is safe: the first hop establishing a guard fact. */
static void explain(const struct graph *g, struct finding *f, fact_mask guards)
{
	f->sleeper = -1;
	atomic_guard_of(g, f, 0, guards);
}

static struct finding *add_finding(struct findings *out)
{
	return findings_add(out, check_table[CHECK_ATOMIC].id);
}

/* Best call of entry under site (or any reached call when site < 0). */
static int best_call(const struct graph *g, const struct g_func *e, int site,
		     const struct atomic_search *s)
{
	int j, k, best = -1;

	for (j = 0; j < e->nr_calls; j++) {
		const struct g_call *c = &e->calls[j];
		int held = site < 0 ? c->reached : 0;

		for (k = 0; !held && k < c->nr_held; k++)
			held = c->held[k] == site;
		if (!held || s->dist[c->callee] < 0)
			continue;
		if (sleeps_itself(s->barriers, c->callee, s->sink))
			continue;	/* the bug is at that call */
		if (best < 0 || s->dist[c->callee] < s->dist[e->calls[best].callee])
			best = j;
	}
	return best;
}

/* Does the function run only while the rules exempt atomic context? */
static int exempt(const struct boot *boot, int func)
{
	phase_mask in, ex;

	if (!boot || !boot->nr_phases)
		return 0;
	in = boot->phases[func];
	ex = boot->g->rules->boot.exempt;
	return in && !(in & ~ex);
}

/* The finding's place and context, and whether check would report it. */
static void finish_entry(const struct atomic_reach *ar, struct finding *f,
			 int entry, int site, int context, fact_mask guards)
{
	const struct g_func *e = &ar->g->funcs[entry];

	f->reg = site < 0 && !(e->rules && e->rules->entry) ? e->reg : -1;
	f->entry = entry;
	f->site = site;
	f->context = context;
	if (f->suppressed)
		explain(ar->g, f, guards);
	else if (exempt(ar->boot, entry))
		f->suppressed = f->exempt = 1;
}

/* The entry's shortest way when a guard makes it safe: a suppressed
 * finding, next to the warning its way through a sleeper made. */
static void guarded_too(const struct atomic_reach *ar, fact_mask guards,
			int entry, int site, int context, struct findings *out)
{
	const struct g_func *e = &ar->g->funcs[entry];
	int call = best_call(ar->g, e, site, ar->all);
	struct finding *f;

	if (call < 0)
		return;
	f = add_finding(out);
	chain(ar->g, ar->all, entry, call, ar->all->sink, f);
	f->sink = ar->all->sink;
	f->suppressed = 1;
	finish_entry(ar, f, entry, site, context, guards);
	if (f->guard_by < 0 && f->guard_index < 0) {
		/* no guard on it: the same path as the warning's */
		findings_drop_last(out);
	}
}

static void check_entry(const struct atomic_reach *ar, fact_mask guards,
			int entry, int site, int context, struct findings *out)
{
	const struct graph *g = ar->g;
	const struct atomic_search *all = ar->all, *unsafe = ar->unsafe;
	int sink = all->sink;
	const struct g_func *e = &g->funcs[entry];
	int call, safe_entry = (guards & established(e)) != 0;
	struct finding *f;

	call = safe_entry ? -1 : best_call(g, e, site, unsafe);
	if (call >= 0) {
		f = add_finding(out);
		chain(g, unsafe, entry, call, sink, f);
	} else if (!safe_entry &&
		   (call = best_call(g, e, site, ar->guarded)) >= 0) {
		/* only through a function that sleeps itself: said, reported */
		f = add_finding(out);
		chain(g, ar->guarded, entry, call, sink, f);
		f->sleeper = first_sleeper(ar->sl, f);
		f->sleeps_by = f->sleeper >= 0 ? atomic_sleeps_by(ar, f->sleeper) : -1;
		f->sink = sink;
		finish_entry(ar, f, entry, site, context, guards);
		/* and its guarded way, when it has one, listed as safe */
		guarded_too(ar, guards, entry, site, context, out);
		return;
	} else {
		call = best_call(g, e, site, all);
		if (call < 0)
			return;
		f = add_finding(out);
		chain(g, all, entry, call, sink, f);
		f->suppressed = 1;
	}
	f->sink = sink;
	finish_entry(ar, f, entry, site, context, guards);
}

int atomic_is_sink(const struct g_func *f, enum sink_set set)
{
	/*
	 * A sink whose body we see but which never makes the call the rules
	 * say it sleeps at does not sleep in this tree (a stub, an old version).
	 */
	if (f->rules && f->rules->sink)
		return !(f->defined && f->rules->sink->nr_sleeps_at &&
			 f->sleep_call < 0);
	if (set != SINKS_SLEEP)
		return 0;
	return f->is_gfp || (f->rules && f->rules->sleeper);
}

void atomic_reach_init(struct atomic_reach *ar, const struct graph *g,
		       const struct boot *boot)
{
	int n = g->nr + 1;

	ar->g = g;
	ar->boot = boot;
	ar->all = xcalloc(1, sizeof(*ar->all));
	ar->unsafe = xcalloc(1, sizeof(*ar->unsafe));
	ar->guarded = xcalloc(1, sizeof(*ar->guarded));
	ar->guarded->dist = xcalloc(n, sizeof(int));
	ar->guarded->next = xcalloc(n, sizeof(int));
	ar->guarded->barriers = NULL;
	ar->sl = xcalloc(1, sizeof(*ar->sl));
	ar->queue = xcalloc(n, sizeof(int));
	ar->all->dist = xcalloc(n, sizeof(int));
	ar->all->next = xcalloc(n, sizeof(int));
	ar->unsafe->dist = xcalloc(n, sizeof(int));
	ar->unsafe->next = xcalloc(n, sizeof(int));
	find_sleepers(g, ar->sl);
	ar->all->barriers = NULL;
	ar->unsafe->barriers = ar->sl;
}

void atomic_reach_release(struct atomic_reach *ar)
{
	free_sleepers(ar->sl);
	free(ar->sl);
	free(ar->queue);
	free(ar->all->dist);
	free(ar->all->next);
	free(ar->unsafe->dist);
	free(ar->unsafe->next);
	free(ar->guarded->dist);
	free(ar->guarded->next);
	free(ar->guarded);
	free(ar->all);
	free(ar->unsafe);
	memset(ar, 0, sizeof(*ar));
}

void atomic_reach_entries(struct atomic_reach *ar, int target,
			  struct findings *out)
{
	const struct graph *g = ar->g;
	fact_mask guards = atomic_sink_guards(g, target);
	int i, j;

	bfs(g, target, 0, ar->all, ar->queue);
	bfs(g, target, guards, ar->guarded, ar->queue);
	bfs(g, target, guards, ar->unsafe, ar->queue);
	for (i = 0; i < g->nr; i++) {
		const struct g_func *e = &g->funcs[i];
		int whole = atomic_whole_context(g, i);

		/* a copy's places are its original's */
		if (e->orig != i || i == target || ar->all->dist[i] < 0 ||
		    !e->defined)
			continue;
		if (whole >= 0)
			check_entry(ar, guards, i, -1, whole, out);
		for (j = 0; j < e->nr_sites; j++)
			check_entry(ar, guards, i, j, e->sites[j].context, out);
	}
}

void atomic_own_entries(struct atomic_reach *ar, int target,
			struct findings *out)
{
	const struct g_func *e = &ar->g->funcs[target];
	int whole = atomic_whole_context(ar->g, target), j;
	struct finding *f;

	if (whole >= 0) {
		f = add_finding(out);
		f->sink = target;
		finish_entry(ar, f, target, -1, whole, 0);
	}
	for (j = 0; j < e->nr_sites; j++) {
		if (!e->sites[j].is_assert)
			continue;
		f = add_finding(out);
		f->sink = target;
		finish_entry(ar, f, target, j, e->sites[j].context, 0);
	}
}

void atomic_check(const struct graph *g, enum sink_set set,
		  const struct boot *boot, struct findings *out)
{
	struct atomic_reach ar;
	int k;

	atomic_reach_init(&ar, g, boot);
	for (k = 0; k < g->nr; k++)
		if (g->funcs[k].orig == k && atomic_is_sink(&g->funcs[k], set))
			atomic_reach_entries(&ar, k, out);
	atomic_reach_release(&ar);
}

static const struct graph *sort_graph;

static int cmp_node(const void *a, const void *b)
{
	const struct g_func *x = &sort_graph->funcs[*(const int *)a];
	const struct g_func *y = &sort_graph->funcs[*(const int *)b];
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->key, y->key);
}

int atomic_reaching(const struct graph *g, enum sink_set set, int **nodes)
{
	char *seen = xcalloc(g->nr + 1, 1);
	int *queue = xcalloc(g->nr + 1, sizeof(int));
	int *v = xcalloc(g->nr + 1, sizeof(*v));
	struct atomic_search unsafe;
	struct atomic_sleepers sl;
	int n = 0, i, k;

	/* paths a guard makes safe do not count, nor those through a
	 * function that sleeps itself: the semantic patches' one-function
	 * check would report every caller of such a function */
	find_sleepers(g, &sl);
	unsafe.dist = xcalloc(g->nr + 1, sizeof(int));
	unsafe.next = xcalloc(g->nr + 1, sizeof(int));
	unsafe.barriers = &sl;
	for (k = 0; k < g->nr; k++) {
		if (g->funcs[k].orig != k || !atomic_is_sink(&g->funcs[k], set))
			continue;
		bfs(g, k, atomic_sink_guards(g, k), &unsafe, queue);
		for (i = 0; i < g->nr; i++)
			if (unsafe.dist[i] >= 0 && !sleeps_itself(&sl, i, k))
				seen[g->funcs[i].orig] = 1;
	}
	free(unsafe.dist);
	free(unsafe.next);
	free_sleepers(&sl);
	for (i = 0; i < g->nr; i++)
		if (seen[i] && !g->funcs[i].is_gfp)
			v[n++] = i;
	sort_graph = g;
	qsort(v, n, sizeof(*v), cmp_node);
	sort_graph = NULL;
	free(seen);
	free(queue);
	*nodes = v;
	return n;
}
