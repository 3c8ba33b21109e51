/*
 * sleeps.c: the sleepers a function reaches (see sleeps.h).  One
 * breadth-first search over all calls gives every sleeper with a shortest
 * chain; for a sink with guard facts a second search, which does not go
 * on from a function establishing them, tells whether it is reached on a
 * path no guard makes safe, and gives that path.
 */
#include "check/sleeps.h"

#include <stdlib.h>
#include <string.h>

#include "check/atomic.h"

struct forward {
	int *dist;		/* calls from func, -1: not reached */
	struct hop *from;	/* the call that reached each node */
	int *queue;
};

static int is_sleeper(const struct graph *g, int f)
{
	return atomic_is_sink(&g->funcs[f], SINKS_SLEEP);
}

/*
 * Nodes established facts in guards stop, as they stop the sink.  Beyond
 * func itself, a call made while its caller holds an atomic context is
 * not followed: a sleeper behind it is a bug at that call already (check
 * --sinks=sleep reports it), and most such chains are ones no real call
 * makes (wake-ups into the scheduler, error paths into printk).
 */
static void search(const struct graph *g, int func, fact_mask guards,
		   struct forward *fw)
{
	int head = 0, tail = 0, i;

	for (i = 0; i < g->nr; i++)
		fw->dist[i] = -1;
	fw->dist[func] = 0;
	fw->queue[tail++] = func;
	while (head < tail) {
		int x = fw->queue[head++];
		const struct g_func *xf = &g->funcs[x];

		if (guards & atomic_established(g, x))
			continue;
		if (x != func && is_sleeper(g, x))
			continue;	/* its own callees say nothing new */
		for (i = 0; i < xf->nr_calls; i++) {
			int y = xf->calls[i].callee;

			if (!xf->calls[i].reached || fw->dist[y] >= 0 ||
			    (x != func && xf->calls[i].nr_held))
				continue;
			fw->dist[y] = fw->dist[x] + 1;
			fw->from[y].func = x;
			fw->from[y].call = i;
			fw->queue[tail++] = y;
		}
	}
}

/* The chain from func to k, read back from where each node was reached. */
static void chain(const struct forward *fw, int k, struct finding *f)
{
	int n = fw->dist[k], x = k;

	f->hops = xcalloc(n + 1, sizeof(*f->hops));
	f->nr_hops = n;
	while (n-- > 0) {
		f->hops[n] = fw->from[x];
		x = fw->from[x].func;
	}
}

/* The first function of the chain (func included) establishing guards. */
static void find_guard(const struct graph *g, struct finding *f,
		       fact_mask guards)
{
	int i;

	for (i = 0; i < f->nr_hops; i++) {
		fact_mask m = guards & atomic_established(g, f->hops[i].func);

		if (m) {
			f->guard_by = f->hops[i].func;
			f->facts = m;
			return;
		}
	}
	f->guard_by = f->sink;
	f->facts = guards & atomic_established(g, f->sink);
}

static struct finding *add(struct findings *out, int func, int k)
{
	struct finding *f = findings_add(out, NULL);

	f->sink = k;
	f->entry = func;
	return f;
}

/* A guarded sink: on an unguarded path, or only on guarded ones. */
static void add_guarded(const struct graph *g, struct forward *guarded,
			const struct forward *all, int func, int k,
			fact_mask guards, struct findings *out)
{
	struct finding *f = add(out, func, k);

	search(g, func, guards, guarded);
	if (guarded->dist[k] >= 0 && !(guards & atomic_established(g, k))) {
		chain(guarded, k, f);
		return;
	}
	chain(all, k, f);
	f->suppressed = 1;
	find_guard(g, f, guards);
}

static const struct graph *sort_graph;

static int cmp_found(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	const struct g_func *fx = &sort_graph->funcs[x->sink];
	const struct g_func *fy = &sort_graph->funcs[y->sink];
	int c;

	if (x->nr_hops != y->nr_hops)
		return x->nr_hops < y->nr_hops ? -1 : 1;
	c = strcmp(fx->name, fy->name);
	return c ? c : strcmp(fx->key, fy->key);
}

static void forward_init(struct forward *fw, int n)
{
	fw->dist = xcalloc(n, sizeof(int));
	fw->from = xcalloc(n, sizeof(struct hop));
	fw->queue = xcalloc(n, sizeof(int));
}

static void forward_release(struct forward *fw)
{
	free(fw->dist);
	free(fw->from);
	free(fw->queue);
}

int sleeps_from(const struct graph *g, int func, struct findings *out)
{
	struct forward all, guarded;
	int first = out->nr, k;

	forward_init(&all, g->nr + 1);
	forward_init(&guarded, g->nr + 1);
	search(g, func, 0, &all);
	for (k = 0; k < g->nr; k++) {
		fact_mask guards;

		if (k == func || all.dist[k] < 0 || !is_sleeper(g, k))
			continue;
		guards = atomic_sink_guards(g, k);
		if (guards)
			add_guarded(g, &guarded, &all, func, k, guards, out);
		else
			chain(&all, k, add(out, func, k));
	}
	sort_graph = g;
	if (out->nr > first)	/* none: out->v may be NULL, which qsort() may not get */
		qsort(out->v + first, out->nr - first, sizeof(*out->v), cmp_found);
	sort_graph = NULL;
	forward_release(&all);
	forward_release(&guarded);
	return out->nr - first;
}
