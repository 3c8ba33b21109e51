/*
 * order.c: values read before they are set (see order.h).
 *
 * A state is a function in a boot phase with the value not yet set; the
 * walk is the boot walk's (boot_call_phase()) restricted to calls that no
 * setting call precedes on every path, and it does not enter the event.
 * Each state keeps its witness, so chains are shortest from an entry.
 */
#include "check/order.h"
#include "check/checks.h"

#include <stdlib.h>
#include <string.h>

struct order {
	const struct boot *b;
	const struct graph *g;
	const struct rules_valid_from *rule;
	int nr;				/* phases */
	signed char *moves;		/* per function: >= 0, returns set */
	signed char **before;		/* per call: >= 0, made after a set */
	phase_mask *seen;		/* per function: phases reached unset */
	struct boot_state *st;		/* per state: its witness */
	int *dist, *next;		/* per state: calls to a read, the call */
	int *queue;
	int head, tail;
};

static int is_event(const struct order *o, int f)
{
	const struct rules_name *rn = o->g->funcs[f].rules;

	return rn && rn->name == o->rule->set_by;
}

static int is_read(const struct order *o, int f)
{
	const struct rules_name *rn = o->g->funcs[f].rules;

	return rn && rn->valid_from == o->rule;
}

static int has(phase_mask m, int p)
{
	return (m >> p) & 1u;
}

/*
 * The phase call c of f (in p) is made in with the value unset, or -1: a
 * call made after a set, into the event, or into a function with nothing
 * to do in the phase (which reads nothing either).
 */
static int unset_call(const struct order *o, int f, int c, int p)
{
	int q = boot_call_phase(o->b, f, c, p);
	int callee = o->g->funcs[f].calls[c].callee;

	if (q < 0 || (o->before[f] && o->before[f][c] >= 0) ||
	    is_event(o, callee) || boot_idle_in(o->g, callee, q))
		return -1;
	return q;
}

/* The earliest phase the event runs in, or -1 if it never does. */
static int event_phase(const struct order *o)
{
	int f, p;

	for (p = 0; p < o->nr; p++)
		for (f = 0; f < o->g->nr; f++)
			if (is_event(o, f) && has(o->b->phases[f], p))
				return p;
	return -1;
}

static void visit(struct order *o, int f, int p, int from_f, int from_c,
		  int from_p, int how)
{
	struct boot_state *st = &o->st[(size_t)f * o->nr + p];

	if (has(o->seen[f], p))
		return;
	o->seen[f] |= (phase_mask)(1u << p);
	st->from_func = from_f;
	st->from_call = from_c;
	st->from_phase = (signed char)from_p;
	st->how = (unsigned char)how;
	o->queue[o->tail++] = f * o->nr + p;
}

/* From every boot entry of a phase up to the event's, value unset. */
static void walk_unset(struct order *o, int last)
{
	int f, p, c;

	o->head = o->tail = 0;
	for (p = 0; p <= last; p++)
		for (f = 0; f < o->g->nr; f++) {
			const struct boot_state *st = boot_state(o->b, f, p);

			if (st && st->from_func < 0 && st->how != BOOT_RUNTIME)
				visit(o, f, p, -1, st->from_call, -1, st->how);
		}
	while (o->head < o->tail) {
		int s = o->queue[o->head++];
		const struct g_func *fn = &o->g->funcs[s / o->nr];

		f = s / o->nr;
		p = s % o->nr;
		for (c = 0; c < fn->nr_calls; c++) {
			int q = unset_call(o, f, c, p);

			if (q >= 0)
				visit(o, fn->calls[c].callee, q, f, c, p,
				      BOOT_CALLED);
		}
	}
}

/* A call back toward a read, between states reached unset. */
static int back_step(const void *data, int x, int c, int px)
{
	const struct order *o = data;

	return has(o->seen[x], px) ? unset_call(o, x, c, px) : -1;
}

/* Shortest ways from every unset state to a read. */
static void toward_reads(struct order *o)
{
	struct boot_back bb = { o->dist, o->next, o->queue, 0 };
	int i, p;

	for (i = 0; i < o->g->nr * o->nr; i++)
		o->dist[i] = -1;
	for (i = 0; i < o->g->nr; i++)
		for (p = 0; p < o->nr && is_read(o, i); p++)
			if (has(o->seen[i], p)) {
				o->dist[i * o->nr + p] = 0;
				o->queue[bb.tail++] = i * o->nr + p;
			}
	boot_back(o->g, o->nr, &bb, back_step, o);
}

static void add_hop(struct finding *fd, int *alloc, int func, int call)
{
	ALLOC_GROW(fd->hops, fd->nr_hops + 1, *alloc);
	fd->hops[fd->nr_hops].func = func;
	fd->hops[fd->nr_hops].call = call;
	fd->nr_hops++;
}

/* The witness chain from the entry to (f, p) into fd, f's last. */
static void chain_to(const struct order *o, struct finding *fd, int *alloc,
		     int f, int p)
{
	const struct boot_state *st = &o->st[(size_t)f * o->nr + p];

	if (st->from_func < 0) {
		fd->entry = f;
		fd->entry_phase = p;
		fd->entry_how = st->how;
		fd->reg = st->how == BOOT_REGISTERED ? st->from_call : -1;
		return;
	}
	chain_to(o, fd, alloc, st->from_func, st->from_phase);
	add_hop(fd, alloc, st->from_func, st->from_call);
}

/*
 * The deepest function of the chain up to the warning's call that also
 * makes a call setting the value: where the read's way and the event's
 * part.  fd->order_hop is -1 if none does (an entry of an earlier phase).
 */
static void find_parting(const struct order *o, struct finding *fd)
{
	int i, m;

	fd->order_hop = fd->order_set_call = -1;
	for (i = fd->warn_hop; i >= 0; i--) {
		const struct g_func *fn = &o->g->funcs[fd->hops[i].func];

		for (m = 0; m < fn->nr_calls; m++) {
			int callee = fn->calls[m].callee;

			if (m == fd->hops[i].call ||
			    (!is_event(o, callee) && o->moves[callee] < 0))
				continue;
			fd->order_hop = i;
			fd->order_set_call = m;
			if (m > fd->hops[i].call)
				return;		/* the first made after it */
		}
		if (fd->order_hop >= 0)
			return;
	}
}

/* The finding for boot-side f (in p), its call c toward a read (in q). */
static void report(struct order *o, int rule, int f, int p, int c, int q,
		   struct findings *out)
{
	struct finding *fd = findings_add(out, check_table[CHECK_ORDER].id);
	int alloc = 0, x = o->g->funcs[f].calls[c].callee;

	fd->phase = p;
	fd->order_rule = rule;
	chain_to(o, fd, &alloc, f, p);
	fd->warn_hop = fd->nr_hops;
	add_hop(fd, &alloc, f, c);
	while (o->dist[x * o->nr + q] > 0) {
		int nc = o->next[x * o->nr + q];

		add_hop(fd, &alloc, x, nc);
		q = unset_call(o, x, nc, q);
		x = o->g->funcs[x].calls[nc].callee;
	}
	fd->sink = x;
	find_parting(o, fd);
}

/* Each boot-side function's first call toward a read: one finding. */
static void frontiers(struct order *o, int rule, struct findings *out)
{
	const struct graph *g = o->g;
	int f, p, c;

	for (f = 0; f < g->nr; f++) {
		const struct g_func *fn = &g->funcs[f];
		int found = 0;

		for (p = 0; p < o->nr && !found; p++) {
			if (!has(o->seen[f], p) || o->dist[f * o->nr + p] < 1 ||
			    !boot_side(o->b, f, p))
				continue;
			for (c = 0; c < fn->nr_calls && !found; c++) {
				int x = fn->calls[c].callee;
				int q = unset_call(o, f, c, p);

				if (q < 0 || o->dist[x * o->nr + q] < 0 ||
				    (!is_read(o, x) && boot_side(o->b, x, q)))
					continue;
				report(o, rule, f, p, c, q, out);
				found = 1;
			}
		}
	}
}

static void check_rule(struct order *o, int rule, struct findings *out)
{
	const struct graph *g = o->g;
	int f, last;

	o->rule = &g->rules->boot.valid_from[rule];
	for (f = 0; f < g->nr; f++)
		o->moves[f] = is_event(o, f) ? 0 : -1;
	boot_order_moves(g, o->moves);
	o->before = boot_order_before(g, o->moves);
	last = event_phase(o);
	if (last >= 0) {
		memset(o->seen, 0, g->nr * sizeof(*o->seen));
		walk_unset(o, last);
		toward_reads(o);
		frontiers(o, rule, out);
	}
	boot_order_release(g, o->before);
	o->before = NULL;
}

void order_check(const struct boot *b, struct findings *out)
{
	const struct graph *g = b->g;
	struct order o = { 0 };
	size_t n = (size_t)(g->nr + 1) * b->nr_phases;
	int i;

	if (!b->nr_phases || !g->rules->boot.nr_valid_from)
		return;
	o.b = b;
	o.g = g;
	o.nr = b->nr_phases;
	o.moves = xcalloc(g->nr + 1, 1);
	o.seen = xcalloc(g->nr + 1, sizeof(*o.seen));
	o.st = xcalloc(n, sizeof(*o.st));
	o.dist = xcalloc(n, sizeof(int));
	o.next = xcalloc(n, sizeof(int));
	o.queue = xcalloc(n, sizeof(int));
	for (i = 0; i < g->rules->boot.nr_valid_from; i++)
		check_rule(&o, i, out);
	free(o.moves);
	free(o.seen);
	free(o.st);
	free(o.dist);
	free(o.next);
	free(o.queue);
}
