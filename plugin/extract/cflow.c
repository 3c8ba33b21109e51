/*
 * cflow.c: the may-held dataflow over the structured IR of cflow.h: building
 * the IR, and solving it (the evaluation of its nodes is cflow_eval.c's).
 *
 * A state is a bit set of context sites plus a "live" flag (a dead state is
 * the state after return, goto or break: nothing flows from it).  Joins are
 * unions, so the analysis is monotone and every loop reaches a fixpoint.
 * Gotos feed the state of their label; the whole body is re-evaluated until
 * no label state grows, which handles backward gotos ("goto again") and
 * forward ones ("goto out") alike.
 */
#include "extract/cflow.h"
#include "extract/cflow_solver.h"

#include <string.h>

void cf_init(struct cf_func *f, struct arena *arena)
{
	memset(f, 0, sizeof(*f));
	f->arena = arena;
}

struct cf_node *cf_new(struct cf_func *f, enum cf_kind kind)
{
	struct cf_node *n = arena_alloc(f->arena, sizeof(*n));

	n->kind = kind;
	n->site = n->call = n->label = n->context = n->pred = n->var = -1;
	return n;
}

void cf_add(struct cf_node *parent, struct cf_node *kid)
{
	kid->parent = parent;
	if (parent->last)
		parent->last->next = kid;
	else
		parent->kids = kid;
	parent->last = kid;
	parent->nkids++;
}

int cf_new_site(struct cf_func *f, int context, const char *key)
{
	if (f->nr_sites >= f->alloc_sites) {
		int n = f->alloc_sites ? f->alloc_sites * 2 : 16;
		int *c = arena_alloc(f->arena, n * sizeof(*c));
		const char **k = arena_alloc(f->arena, n * sizeof(*k));

		if (f->nr_sites) {
			memcpy(c, f->site_context, f->nr_sites * sizeof(*c));
			memcpy(k, f->site_key, f->nr_sites * sizeof(*k));
		}
		f->site_context = c;
		f->site_key = k;
		f->alloc_sites = n;
	}
	f->site_context[f->nr_sites] = context;
	f->site_key[f->nr_sites] = key;
	return f->nr_sites++;
}

int cf_new_call(struct cf_func *f)
{
	return f->nr_calls++;
}

/* Scope kill sets are sized when the site count is final: keep a list. */
struct scope_release {
	struct cf_node *scope;
	int site;
	struct scope_release *next;
};

void cf_scope_release(struct cf_func *f, struct cf_node *scope, int site)
{
	/* stash in the scope's kill pointer until cf_solve() sizes it */
	struct scope_release *r = arena_alloc(f->arena, sizeof(*r));

	r->scope = scope;
	r->site = site;
	r->next = (struct scope_release *)scope->scope_kill;
	scope->scope_kill = (uint64_t *)r;
}

/* ---- solving ---- */

static void index_labels(struct solver *s, struct cf_node *n)
{
	struct cf_node *k;

	if (n->kind == CF_LABEL && n->label >= 0 &&
	    n->label < s->f->nr_labels)
		s->label_node[n->label] = n;
	for (k = n->kids; k; k = k->next)
		index_labels(s, k);
}

/* Size scope kill sets and release kill sets now that sites are known. */
static int prepare(struct solver *s, struct cf_node *n, int *nr_releases)
{
	struct cf_node *k;

	/* the list becomes a bit set once: cf_reach() solves again */
	if (n->scope_kill && !s->f->prepared) {
		struct scope_release *r = (struct scope_release *)n->scope_kill;
		uint64_t *bits = arena_alloc(s->f->arena,
					     s->f->nwords * sizeof(uint64_t));

		for (; r; r = r->next)
			bit_set(bits, r->site);
		n->scope_kill = bits;
	}
	if (n->kind == CF_RELEASE)
		n->call = (*nr_releases)++;	/* index into solver->kill */
	for (k = n->kids; k; k = k->next)
		if (prepare(s, k, nr_releases))
			return -1;
	return 0;
}

static void fill_kills(struct solver *s, struct cf_node *n)
{
	struct cf_func *f = s->f;
	struct cf_node *k;
	int i;

	if (n->kind == CF_RELEASE) {
		uint64_t *bits = arena_alloc(&s->scratch,
					     f->nwords * sizeof(uint64_t));

		for (i = 0; i < f->nr_sites; i++) {
			const char *sk = f->site_key[i];

			if (f->site_context[i] != n->context)
				continue;
			if (!n->key || !sk || !strcmp(n->key, sk))
				bit_set(bits, i);
		}
		s->kill[n->call] = bits;
	}
	for (k = n->kids; k; k = k->next)
		fill_kills(s, k);
}

/* Functions with more calls than this get no dominators (quadratic). */
#define DOM_MAX_CALLS 4096

/* A call's bit in a held set: set while the call may not have been made. */
static int pending(const struct cf_func *f, const uint64_t *held, int call)
{
	return bit_test(held, f->nr_sites + call);
}

/* Nearest dominating call among those not pending in held. */
static int nearest(const struct cf_func *f, const uint64_t *held,
		   const int *ndom, int self)
{
	int i, best = -1;

	for (i = 0; i < f->nr_calls; i++)
		if (i != self && f->call_reached[i] && !pending(f, held, i) &&
		    (best < 0 || ndom[i] > ndom[best]))
			best = i;
	return best;
}

/*
 * Calls made on every path to a call are those whose "not yet made" bit
 * is clear there; they form a chain, ordered by how many calls dominate
 * each, so the nearest one is the one with most dominators.
 */
static void dominators(struct cf_func *f, const uint64_t *exit, int have_exit)
{
	int *ndom = arena_alloc(f->arena, (f->nr_calls + 1) * sizeof(int));
	int i, j;

	for (i = 0; i < f->nr_calls; i++) {
		const uint64_t *h = cf_held(f, i);

		for (j = 0; j < f->nr_calls && f->call_reached[i]; j++)
			ndom[i] += j != i && f->call_reached[j] &&
				   !pending(f, h, j);
	}
	for (i = 0; i < f->nr_calls; i++)
		f->call_dom[i] = f->call_reached[i] ?
				 nearest(f, cf_held(f, i), ndom, i) : -1;
	f->exit_dom = have_exit ? nearest(f, exit + 1, ndom, -1) : -1;
}


/* The state's layout, and the result arrays of the cf_func. */
static void solver_init(struct solver *s, struct cf_func *f,
			int with_dominators, struct ss_err *err)
{
	int bits;

	memset(s, 0, sizeof(*s));
	s->f = f;
	s->err = err;
	s->call_bits = with_dominators ? f->nr_sites : -1;
	s->var_bits = f->nr_sites + (with_dominators ? f->nr_calls : 0);
	bits = s->var_bits + 2 * f->nr_vars;
	f->nwords = (bits + 63) / 64;
	if (!f->nwords)
		f->nwords = 1;
	s->nw = f->nwords + 1;
	f->call_held = arena_alloc(f->arena,
				   (size_t)(f->nr_calls ? f->nr_calls : 1) *
				   f->nwords * sizeof(uint64_t));
	f->call_reached = arena_alloc(f->arena, f->nr_calls ? f->nr_calls : 1);
}

/* What releases kill, and where labels are, for the root's IR. */
static int solver_tables(struct solver *s)
{
	struct cf_func *f = s->f;
	int nr_releases = 0;

	if (prepare(s, f->root, &nr_releases))
		return -1;
	f->prepared = 1;
	s->kill = arena_alloc(&s->scratch, (nr_releases ? nr_releases : 1) *
			      sizeof(*s->kill));
	fill_kills(s, f->root);
	s->label_in = arena_alloc(&s->scratch,
				  (size_t)(f->nr_labels ? f->nr_labels : 1) *
				  s->nw * sizeof(uint64_t));
	s->label_node = arena_alloc(&s->scratch,
				    (f->nr_labels ? f->nr_labels : 1) *
				    sizeof(*s->label_node));
	index_labels(s, f->root);
	return 0;
}

/* Live, no site held, no call made yet, variables as they enter. */
static uint64_t *entry_state(struct solver *s, int with_dominators)
{
	struct cf_func *f = s->f;
	uint64_t *entry = st_dead(s);
	int i;

	entry[0] = 1;
	for (i = 0; with_dominators && i < f->nr_calls; i++)
		bit_set(entry + 1, f->nr_sites + i);
	for (i = 0; i < f->nr_vars; i++) {
		int v = f->var_init ? f->var_init[i] : -1;

		if (v != 0)
			bit_set(entry + 1, s->var_bits + 2 * i);
		if (v != 1)
			bit_set(entry + 1, s->var_bits + 2 * i + 1);
	}
	return entry;
}

/* Evaluate the body until no label's state grows (or it fails). */
static void fixpoint(struct solver *s, uint64_t *entry)
{
	int rounds = 0;

	do {
		uint64_t *out;

		s->changed = 0;
		out = cflow_eval(s, s->f->root, entry);
		if (s->exit)
			st_join(s, s->exit, out);
	} while (s->changed && !s->failed && ++rounds < 1000);
}

static int solve(struct cf_func *f, int with_dominators, struct ss_err *err)
{
	struct solver s;
	uint64_t *entry;

	solver_init(&s, f, with_dominators, err);
	if (!f->root)
		return 0;
	if (solver_tables(&s))
		return -1;
	entry = entry_state(&s, with_dominators);
	if (with_dominators)
		s.exit = st_dead(&s);
	fixpoint(&s, entry);
	if (with_dominators && !s.failed)
		dominators(f, s.exit, s.exit[0] != 0);
	arena_release(&s.scratch);
	return s.failed ? -1 : 0;
}

int cf_solve(struct cf_func *f, struct ss_err *err)
{
	int i;

	f->call_dom = arena_alloc(f->arena, (f->nr_calls + 1) * sizeof(int));
	for (i = 0; i < f->nr_calls; i++)
		f->call_dom[i] = -1;
	f->exit_dom = -1;
	return solve(f, f->nr_calls <= DOM_MAX_CALLS, err);
}

int cf_reach(struct cf_func *f, const signed char *values,
	     unsigned char *reached, struct ss_err *err)
{
	return cf_reach_vars(f, values, NULL, reached, err);
}

int cf_reach_vars(struct cf_func *f, const signed char *values,
		  const signed char *vars, unsigned char *reached,
		  struct ss_err *err)
{
	uint64_t *held = f->call_held;
	unsigned char *was = f->call_reached;
	const signed char *saved = f->pred_value, *saved_vars = f->var_init;
	struct arena *arena = f->arena, scratch = { 0 };
	int nwords = f->nwords, ret;

	/* nothing of this solve outlives it: a scratch arena */
	f->arena = &scratch;
	f->pred_value = values;
	f->var_init = vars;
	ret = solve(f, 0, err);
	if (!ret && f->nr_calls)
		memcpy(reached, f->call_reached, f->nr_calls);
	f->arena = arena;
	arena_release(&scratch);
	f->call_held = held;
	f->call_reached = was;
	f->pred_value = saved;
	f->var_init = saved_vars;
	f->nwords = nwords;
	return ret;
}
