/*
 * boot.c: boot phases (see boot.h).
 *
 * A state is a function in a phase.  The walk is a breadth-first search
 * over states, so each state's witness (the state and call it was first
 * reached from) lies on a shortest chain from an entry.  A call of f made
 * in phase p moves its callee to max(p, the phase the calls dominating it
 * moved to), and further if the callee is an "enters" transition; the
 * phase a function moves to once it returns is the most any call made on
 * every path to its return moves to, a fixpoint over the graph.
 */
#include "check/boot.h"
#include "check/checks.h"

#include "check/atomic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int max_phase(int a, int b)
{
	return a > b ? a : b;
}

static phase_mask bit(int p)
{
	return (phase_mask)(1u << p);
}

static struct boot_state *state_of(const struct boot *b, int f, int p)
{
	return &b->st[(size_t)f * b->nr_phases + p];
}

const struct boot_state *boot_state(const struct boot *b, int f, int p)
{
	if (!b->nr_phases || f < 0 || p < 0 || p >= b->nr_phases ||
	    !(b->phases[f] & bit(p)))
		return NULL;
	return state_of(b, f, p);
}

/* What the calls on the dominator chain from c (inclusive) move to. */
static int chain_moves(const signed char *moves, const struct g_func *f,
		       int c)
{
	int m = -1, steps = 0;

	for (; c >= 0 && steps <= f->nr_calls; c = f->calls[c].dom, steps++)
		m = max_phase(m, moves[f->calls[c].callee]);
	return m;
}

void boot_order_moves(const struct graph *g, signed char *moves)
{
	int i, changed;

	do {
		changed = 0;
		for (i = 0; i < g->nr; i++) {
			const struct g_func *f = &g->funcs[i];
			int m;

			if (!f->defined || f->exit_dom < 0)
				continue;
			m = chain_moves(moves, f, f->exit_dom);
			if (m > moves[i]) {
				moves[i] = (signed char)m;
				changed = 1;
			}
		}
	} while (changed);
}

signed char **boot_order_before(const struct graph *g,
				const signed char *moves)
{
	signed char **all = xcalloc(g->nr + 1, sizeof(*all));
	int i, c;

	for (i = 0; i < g->nr; i++) {
		const struct g_func *f = &g->funcs[i];
		signed char *before;

		if (!f->nr_calls)
			continue;
		before = all[i] = xcalloc(f->nr_calls, 1);
		for (c = 0; c < f->nr_calls; c++) {
			int d = f->calls[c].dom;

			if (d < 0)
				before[c] = -1;
			else if (d < c)
				before[c] = (signed char)max_phase(before[d],
					moves[f->calls[d].callee]);
			else
				before[c] = (signed char)chain_moves(moves, f, d);
		}
	}
	return all;
}

void boot_order_release(const struct graph *g, signed char **before)
{
	int i;

	if (!before)
		return;
	for (i = 0; i < g->nr; i++)
		free(before[i]);
	free(before);
}

/* Phases move on at transitions (rules boot transitions). */
static void compute_moves(struct boot *b)
{
	const struct graph *g = b->g;
	int i;

	for (i = 0; i < g->nr; i++) {
		const struct rules_name *rn = g->funcs[i].rules;

		b->moves[i] = rn && rn->transition ? rn->transition->phase : -1;
	}
	boot_order_moves(g, b->moves);
}

int boot_call_phase(const struct boot *b, int f, int c, int p)
{
	const struct g_func *fn = &b->g->funcs[f];
	const struct g_call *call = &fn->calls[c];
	const struct rules_name *rn;
	int q;

	if (!call->reached)
		return -1;
	q = max_phase(p, b->before[f][c]);
	if (!(call->phases & bit(q)))
		return -1;
	rn = b->g->funcs[call->callee].rules;
	if (rn && rn->transition && rn->transition->enters)
		q = max_phase(q, rn->transition->phase);
	return q;
}

struct walk {
	int *queue;
	int head, tail;
};

static void visit(struct boot *b, struct walk *w, int f, int p, int from_f,
		  int from_c, int from_p, int how)
{
	struct boot_state *st;

	if (b->phases[f] & bit(p))
		return;
	b->phases[f] |= bit(p);
	st = state_of(b, f, p);
	st->from_func = from_f;
	st->from_call = from_c;
	st->from_phase = (signed char)from_p;
	st->how = (unsigned char)how;
	w->queue[w->tail++] = f * b->nr_phases + p;
}

static void walk(struct boot *b, struct walk *w)
{
	while (w->head < w->tail) {
		int s = w->queue[w->head++];
		int f = s / b->nr_phases, p = s % b->nr_phases, c;
		const struct g_func *fn = &b->g->funcs[f];

		for (c = 0; c < fn->nr_calls; c++) {
			int q = boot_call_phase(b, f, c, p);

			if (q >= 0)
				visit(b, w, fn->calls[c].callee, q, f, c, p,
				      BOOT_CALLED);
		}
	}
}

static void seed(struct boot *b, struct walk *w)
{
	const struct graph *g = b->g;
	int final = b->nr_phases - 1, i, p;

	/* a root may be static (kernel_init()): every definition counts */
	for (i = 0; i < g->nr; i++) {
		const struct rules_name *rn = g->funcs[i].rules;

		for (p = 0; rn && rn->boot_root && g->funcs[i].defined &&
			    g->funcs[i].orig == i && p < b->nr_phases; p++)
			if (rn->boot_root->phases & bit(p))
				visit(b, w, i, p, -1, -1, -1, BOOT_ROOT);
	}
	for (i = 0; i < g->nr_regs; i++)
		for (p = 0; p < b->nr_phases; p++)
			if (g->regs[i].rule->phases & bit(p))
				visit(b, w, g->regs[i].func, p, -1, i, -1,
				      BOOT_REGISTERED);
	walk(b, w);
	/* what nothing calls runs at run time, and so does what it calls */
	for (i = 0; i < g->nr; i++)
		if (g->funcs[i].defined && !g->funcs[i].nr_rev && !b->phases[i])
			visit(b, w, i, final, -1, -1, -1, BOOT_RUNTIME);
	walk(b, w);
	for (i = 0; i < g->nr; i++) {
		if (!g->funcs[i].defined || b->phases[i])
			continue;
		visit(b, w, i, final, -1, -1, -1, BOOT_RUNTIME);
		walk(b, w);
	}
}

int boot_analyze(struct boot *b, const struct graph *g)
{
	struct walk w;
	size_t n;

	memset(b, 0, sizeof(*b));
	b->g = g;
	if (!g->rules->boot.nr_phases)
		return 0;
	b->nr_phases = g->rules->boot.nr_phases;
	n = (size_t)(g->nr + 1) * b->nr_phases;
	b->phases = xcalloc(g->nr + 1, sizeof(*b->phases));
	b->st = xcalloc(n, sizeof(*b->st));
	b->moves = xcalloc(g->nr + 1, 1);
	compute_moves(b);
	b->before = boot_order_before(g, b->moves);
	w.queue = xcalloc(n, sizeof(int));
	w.head = w.tail = 0;
	seed(b, &w);
	free(w.queue);
	return 0;
}

void boot_release(struct boot *b)
{
	if (b->before)
		boot_order_release(b->g, b->before);
	free(b->phases);
	free(b->st);
	free(b->moves);
	memset(b, 0, sizeof(*b));
}

/* ---- the check ---- */

/* First check of f (or -1) with a value in p that the test accepts. */
enum which { LEAKY, MISLEADING };

static int find_check(const struct g_func *f, int p, enum which which)
{
	int i;

	for (i = 0; i < f->nr_checks; i++) {
		const struct rules_boot_pred *pr = f->checks[i].pred;

		if (which == LEAKY && (pr->leaky_in & bit(p)))
			return i;
		if (which == MISLEADING && pr->misleading &&
		    (pr->false_in & bit(p)))
			return i;
	}
	return -1;
}

struct verdict {
	enum boot_kind kind;	/* 0: nothing to say */
	int suppressed;
	int check;		/* in the sink, or -1 */
	int open;		/* a leaky check that check closes, or -1 */
};

/* What reaching sink k in phase p means. */
static struct verdict classify(const struct boot *b, int k, int p)
{
	const struct g_func *s = &b->g->funcs[k];
	int forbidden = (s->rules->sink->boot_forbidden & bit(p)) != 0;
	int q = p, works = 1, misled = 0, leak = 0, sc = s->sleep_call;
	struct verdict v = { 0, 0, -1, -1 };

	if (sc >= 0) {
		const struct g_call *c = &s->calls[sc];

		q = max_phase(p, b->before[k][sc]);
		works = c->reached && (c->phases & bit(q));
		misled = (c->misled & bit(q)) != 0;
		leak = (c->leaky & bit(q)) != 0;
	}
	if (misled) {
		v.kind = BOOT_MISLED;
		v.check = find_check(s, q, MISLEADING);
	} else if (forbidden) {
		v.kind = BOOT_FORBIDDEN;
		v.suppressed = !works;
		v.check = !works ? s->stop_check[q] :
			  leak ? find_check(s, q, LEAKY) : -1;
		if (!works && v.check >= 0)
			v.open = find_check(s, q, LEAKY);
		/* stopped by an assertion: not quietly, the caller fails */
		if (!works && v.check >= 0 && s->checks[v.check].assertion) {
			v.kind = BOOT_WARNS;
			v.suppressed = 0;
		}
	}
	return v;
}

int boot_idle_in(const struct graph *g, int f, int p)
{
	const struct rules_name *rn = g->funcs[f].rules;

	return rn && rn->idle && (rn->idle->phases & bit(p));
}

struct back {
	int idle;		/* states of idle functions are not passed */
	int *dist;		/* per state: calls to the sink state, or -1 */
	int *next;		/* per state: the call toward it */
	int *queue;
	fact_mask guards;	/* functions establishing these are not
				 * passed: the sink has no work there */
};

void boot_back(const struct graph *g, int nr, struct boot_back *bk,
	       boot_step_fn *step, const void *data)
{
	int head = 0, i;

	while (head < bk->tail) {
		int s = bk->queue[head++], y = s / nr, qy = s % nr;
		const struct g_func *fy = &g->funcs[y];

		for (i = 0; i < fy->nr_rev; i++) {
			int x = fy->rev[i].func, c = fy->rev[i].call, px;

			for (px = 0; px < nr; px++) {
				int sx = x * nr + px;

				if (bk->dist[sx] >= 0 || step(data, x, c, px) != qy)
					continue;
				bk->dist[sx] = bk->dist[s] + 1;
				bk->next[sx] = c;
				bk->queue[bk->tail++] = sx;
			}
		}
	}
}

struct back_ctx {
	const struct boot *b;
	const struct back *bk;
};

/* A call back toward the sink, over states the walk saw. */
static int back_step(const void *data, int x, int c, int px)
{
	const struct back_ctx *ctx = data;
	const struct boot *b = ctx->b;

	if (!(b->phases[x] & bit(px)) ||
	    (ctx->bk->guards & atomic_established(b->g, x)) ||
	    (ctx->bk->idle && boot_idle_in(b->g, x, px)))
		return -1;
	return boot_call_phase(b, x, c, px);
}

/* Shortest ways from every state to (k, p), over states the walk saw. */
static void backward(const struct boot *b, int k, int p, struct back *bk)
{
	int nr = b->nr_phases, i;
	size_t n = (size_t)b->g->nr * nr;
	struct back_ctx ctx = { b, bk };
	struct boot_back bb = { bk->dist, bk->next, bk->queue, 0 };

	for (i = 0; (size_t)i < n; i++)
		bk->dist[i] = -1;
	bk->dist[k * nr + p] = 0;
	bk->queue[bb.tail++] = k * nr + p;
	boot_back(b->g, nr, &bb, back_step, &ctx);
}

/* Boot-only code, or an entry: where a chain may cross into shared code. */
int boot_side(const struct boot *b, int f, int p)
{
	return b->g->funcs[f].boot_only || state_of(b, f, p)->from_func < 0;
}

struct chain {
	struct hop *hops;
	int *phase;		/* the caller's phase at each hop */
	int nr, alloc, palloc;
};

static void add_hop(struct chain *ch, int func, int call, int phase)
{
	ALLOC_GROW(ch->hops, ch->nr + 1, ch->alloc);
	ALLOC_GROW(ch->phase, ch->nr + 1, ch->palloc);
	ch->hops[ch->nr].func = func;
	ch->hops[ch->nr].call = call;
	ch->phase[ch->nr] = phase;
	ch->nr++;
}

/* The chain entry -> (f, pf) -c-> ... -> sink into fd. */
static void build(const struct boot *b, const struct back *bk, int f, int pf,
		  int c, struct finding *fd)
{
	const struct graph *g = b->g;
	struct chain rev = { 0 }, ch = { 0 };
	const struct boot_state *st;
	int nr = b->nr_phases, x = f, px = pf, i;

	for (;;) {		/* the forward witness, backwards */
		st = state_of(b, x, px);
		if (st->from_func < 0)
			break;
		add_hop(&rev, st->from_func, st->from_call, st->from_phase);
		x = st->from_func;
		px = st->from_phase;
	}
	fd->entry = x;
	fd->entry_phase = px;
	fd->entry_how = st->how;
	fd->reg = st->how == BOOT_REGISTERED ? st->from_call : -1;
	for (i = rev.nr - 1; i >= 0; i--)
		add_hop(&ch, rev.hops[i].func, rev.hops[i].call, rev.phase[i]);
	fd->warn_hop = ch.nr;
	add_hop(&ch, f, c, pf);
	x = g->funcs[f].calls[c].callee;
	px = boot_call_phase(b, f, c, pf);
	while (bk->dist[x * nr + px] > 0) {
		int nc = bk->next[x * nr + px];

		add_hop(&ch, x, nc, px);
		px = boot_call_phase(b, x, nc, px);
		x = g->funcs[x].calls[nc].callee;
	}
	/* a leaky check in a caller lets the chain through: explain it */
	for (i = 0; i < ch.nr && fd->note_check < 0; i++) {
		const struct g_func *fn = &g->funcs[ch.hops[i].func];
		int q = max_phase(ch.phase[i],
				  b->before[ch.hops[i].func][ch.hops[i].call]);

		if (fn->calls[ch.hops[i].call].leaky & bit(q)) {
			fd->note_func = ch.hops[i].func;
			fd->note_check = find_check(fn, q, LEAKY);
		}
	}
	fd->hops = ch.hops;
	fd->nr_hops = ch.nr;
	for (i = 0; i < ch.nr; i++)	/* from the caller's to the call's */
		ch.phase[i] = boot_call_phase(b, ch.hops[i].func,
					      ch.hops[i].call, ch.phase[i]);
	fd->hop_phase = ch.phase;
	free(rev.hops);
	free(rev.phase);
}

struct sink_ctx {
	int sink, phase;
	struct verdict v;
	fact_mask guards;	/* the sink's guards: a path through a
				 * function establishing one needs no work */
	struct strmap *seen;	/* "sink:func:call" -> finding index + 1 */
	struct arena *keys;
};

/* The first function of the chain from its warning on that is idle in its
 * phase, into fd->idle_by; 0 if there is none. */
static int idle_reason(const struct boot *b, struct finding *fd)
{
	int i;

	for (i = fd->warn_hop; i < fd->nr_hops; i++) {
		const struct hop *h = &fd->hops[i];
		int callee = b->g->funcs[h->func].calls[h->call].callee;

		if (boot_idle_in(b->g, callee, fd->hop_phase[i])) {
			fd->idle_by = callee;
			fd->idle_phase = fd->hop_phase[i];
			return 1;
		}
	}
	return 0;
}

static void report(const struct boot *b, const struct back *bk,
		   struct sink_ctx *sc, int f, int pf, int c, int guarded,
		   struct findings *out)
{
	int suppressed = sc->v.suppressed || guarded;
	char key[64];
	uintptr_t old;
	struct finding *fd;

	/* a copy's call is its original's (specialize.h) */
	snprintf(key, sizeof(key), "%d:%d:%d", sc->sink, b->g->funcs[f].orig, c);
	old = (uintptr_t)strmap_get(sc->seen, key);
	if (old) {
		fd = &out->v[old - 1];
		if (suppressed || !fd->suppressed)
			return;		/* an earlier phase said as much */
		free(fd->hops);
		free(fd->hop_phase);
		findings_init(fd, check_table[CHECK_BOOT].id);
	} else {
		fd = findings_add(out, check_table[CHECK_BOOT].id);
		strmap_put(sc->seen, arena_strdup(sc->keys, key),
			   (void *)(uintptr_t)out->nr);
	}
	fd->sink = sc->sink;
	fd->boot_kind = sc->v.kind;
	fd->suppressed = suppressed;
	fd->phase = sc->phase;
	fd->note_func = sc->v.check >= 0 ? sc->sink : -1;
	fd->note_check = sc->v.check;
	fd->open_check = sc->v.open;
	build(b, bk, f, pf, c, fd);
	fd->idle_by = -1;
	if (guarded && !idle_reason(b, fd))
		/* the first reason in the sink's own order */
		atomic_guard_of(b->g, fd, fd->warn_hop, sc->guards);
}

/*
 * Every call from boot-side code into shared code (or into the sink) on
 * a chain to (sink, phase) is one finding: that is where a boot path
 * starts to rely on code that cannot work in this phase.  One that leads
 * there only through a function establishing a fact the sink's guards
 * meet (DEBUG_PAGEALLOC's pages are pte-mapped) is suppressed: the sink
 * has no work to do on it.
 */
static void frontiers(const struct boot *b, const struct back *bk,
		      const struct back *unguarded, struct sink_ctx *sc,
		      struct findings *out)
{
	const struct graph *g = b->g;
	int nr = b->nr_phases, f, pf, c;

	for (f = 0; f < g->nr; f++) {
		const struct g_func *fn = &g->funcs[f];

		for (pf = 0; pf < nr; pf++) {
			if (bk->dist[f * nr + pf] < 1 || !boot_side(b, f, pf))
				continue;
			for (c = 0; c < fn->nr_calls; c++) {
				int callee = fn->calls[c].callee;
				int q = boot_call_phase(b, f, c, pf);

				if (q < 0 || bk->dist[callee * nr + q] < 0)
					continue;
				if (callee != sc->sink && boot_side(b, callee, q))
					continue;
				/* the witness of a warning is an unguarded chain */
				if (unguarded->dist[callee * nr + q] >= 0 &&
				    !(sc->guards & atomic_established(g, f)) &&
				    !boot_idle_in(g, callee, q))
					report(b, unguarded, sc, f, pf, c, 0, out);
				else
					report(b, bk, sc, f, pf, c, 1, out);
			}
		}
	}
}

void boot_check(const struct boot *b, struct findings *out)
{
	const struct graph *g = b->g;
	struct strmap seen = { 0 };
	struct arena keys = { 0 };
	struct back bk, ug;
	size_t n;
	int k, p;

	if (!b->nr_phases)
		return;
	n = (size_t)(g->nr + 1) * b->nr_phases;
	bk.dist = xcalloc(n, sizeof(int));
	bk.next = xcalloc(n, sizeof(int));
	bk.queue = xcalloc(n, sizeof(int));
	bk.guards = 0;
	bk.idle = 0;
	ug.idle = 1;
	ug.dist = xcalloc(n, sizeof(int));
	ug.next = xcalloc(n, sizeof(int));
	ug.queue = bk.queue;
	for (k = 0; k < g->nr; k++) {
		const struct g_func *s = &g->funcs[k];
		fact_mask guards;

		if (!s->rules || !s->rules->sink || s->orig != k)
			continue;
		/* a stub: its body never makes the call the rules sleep at */
		if (s->defined && s->rules->sink->nr_sleeps_at && s->sleep_call < 0)
			continue;
		guards = ug.guards = atomic_sink_guards(g, k);
		for (p = 0; p < b->nr_phases; p++) {
			struct sink_ctx sc;

			if (!(b->phases[k] & bit(p)))
				continue;
			sc.sink = k;
			sc.phase = p;
			sc.v = classify(b, k, p);
			sc.guards = guards;
			sc.seen = &seen;
			sc.keys = &keys;
			if (!sc.v.kind)
				continue;
			backward(b, k, p, &bk);
			/* without guards or idle functions both searches are
			 * the same one */
			if (guards || g->rules->boot.nr_idle)
				backward(b, k, p, &ug);
			frontiers(b, &bk, guards || g->rules->boot.nr_idle ? &ug : &bk,
				  &sc, out);
		}
	}
	strmap_release(&seen);
	arena_release(&keys);
	free(bk.dist);
	free(bk.next);
	free(bk.queue);
	free(ug.dist);
	free(ug.next);
}
