/*
 * cflow.c: the may-held dataflow over the structured IR of cflow.h.
 *
 * A state is a bit set of context sites plus a "live" flag (a dead state is
 * the state after return, goto or break: nothing flows from it).  Joins are
 * unions, so the analysis is monotone and every loop reaches a fixpoint.
 * Gotos feed the state of their label; the whole body is re-evaluated until
 * no label state grows, which handles backward gotos ("goto again") and
 * forward ones ("goto out") alike.
 */
#include "extract/cflow.h"

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

/* ---- solver ---- */

struct jump {
	uint64_t *brk;		/* state at break */
	uint64_t *cont;		/* state at continue (loops) */
	uint64_t *entry;	/* state at switch entry (switches) */
	struct cf_node *node;
};

#define MAX_DEPTH 256

struct solver {
	struct cf_func *f;
	struct arena scratch;
	int nw;			/* words of a state: 1 live + bits */
	uint64_t *label_in;	/* per label */
	struct cf_node **label_node;
	uint64_t **kill;	/* per RELEASE: found via node->call slot */
	struct jump jumps[MAX_DEPTH];
	int njumps;
	int changed;
	uint64_t *exit;		/* state at return, for dominators */
	int call_bits;		/* bit of call i is call_bits + i, or -1 */
	int var_bits;		/* variable v: bit var_bits + 2v may be
				   non-zero, the next one may be zero */
	struct ss_err *err;
	int failed;
};

static uint64_t *st_new(struct solver *s)
{
	return arena_alloc(&s->scratch, s->nw * sizeof(uint64_t));
}

static uint64_t *st_copy(struct solver *s, const uint64_t *a)
{
	uint64_t *n = st_new(s);

	memcpy(n, a, s->nw * sizeof(uint64_t));
	return n;
}

static uint64_t *st_dead(struct solver *s)
{
	return st_new(s);	/* zeroed: dead, no bits */
}

/* a |= b; returns whether a grew */
static int st_join(struct solver *s, uint64_t *a, const uint64_t *b)
{
	int i, grew = 0;

	if (!b[0])
		return 0;
	for (i = 0; i < s->nw; i++) {
		uint64_t n = a[i] | b[i];

		if (n != a[i]) {
			a[i] = n;
			grew = 1;
		}
	}
	return grew;
}

static uint64_t *st_union(struct solver *s, const uint64_t *a,
			  const uint64_t *b)
{
	uint64_t *n = st_copy(s, a);

	if (!a[0])
		memset(n, 0, s->nw * sizeof(uint64_t));
	st_join(s, n, b);
	return n;
}

static void st_kill(struct solver *s, uint64_t *a, const uint64_t *bits)
{
	int i;

	for (i = 1; i < s->nw; i++)
		a[i] &= ~bits[i - 1];
}

static int fail(struct solver *s, const char *what)
{
	if (!s->failed)
		ss_error(s->err, "malformed control-flow IR: %s", what);
	s->failed = 1;
	return -1;
}

static uint64_t *eval(struct solver *s, struct cf_node *n, uint64_t *in);
static void evalc(struct solver *s, struct cf_node *n, uint64_t *in,
		  uint64_t **t, uint64_t **f);

static struct cf_node *kid(struct cf_node *n, int i)
{
	struct cf_node *k = n->kids;

	while (k && i--)
		k = k->next;
	return k;
}

static uint64_t *eval_kids(struct solver *s, struct cf_node *n, uint64_t *in)
{
	struct cf_node *k;
	uint64_t *cur = in;

	for (k = n->kids; k; k = k->next)
		cur = eval(s, k, cur);
	return cur;
}

/* Scopes between the current node and an ancestor (exclusive). */
static void kill_scopes_upto(struct solver *s, struct cf_node *from,
			     struct cf_node *upto, uint64_t *st)
{
	struct cf_node *p;

	for (p = from; p && p != upto; p = p->parent)
		if (p->scope_kill)
			st_kill(s, st, p->scope_kill);
}

static int is_ancestor(struct cf_node *a, struct cf_node *n)
{
	for (; n; n = n->parent)
		if (n == a)
			return 1;
	return 0;
}

static struct jump *push(struct solver *s, struct cf_node *n)
{
	struct jump *j;

	if (s->njumps >= MAX_DEPTH) {
		fail(s, "loops nested too deeply");
		return NULL;
	}
	j = &s->jumps[s->njumps++];
	j->brk = st_dead(s);
	j->cont = st_dead(s);
	j->entry = NULL;
	j->node = n;
	return j;
}

static struct jump *innermost(struct solver *s, int want_switch)
{
	int i;

	for (i = s->njumps - 1; i >= 0; i--) {
		int is_switch = s->jumps[i].node->kind == CF_SWITCH;

		if (!want_switch || is_switch)
			return &s->jumps[i];
	}
	return NULL;
}

/* Loop to the innermost loop (continue) skipping switches. */
static struct jump *innermost_loop(struct solver *s)
{
	int i;

	for (i = s->njumps - 1; i >= 0; i--)
		if (s->jumps[i].node->kind != CF_SWITCH)
			return &s->jumps[i];
	return NULL;
}

static uint64_t *eval_while(struct solver *s, struct cf_node *n, uint64_t *in)
{
	struct cf_node *cond = kid(n, 0), *body = kid(n, 1);
	uint64_t *head = st_copy(s, in), *t, *f, *exit = st_dead(s);
	struct jump *j;

	for (;;) {
		uint64_t *out, *next;

		if (!(j = push(s, n)))
			return st_dead(s);
		evalc(s, cond, head, &t, &f);
		out = eval(s, body, t);
		s->njumps--;
		st_join(s, exit, f);
		st_join(s, exit, j->brk);
		next = st_union(s, in, out);
		st_join(s, next, j->cont);
		if (!st_join(s, head, next))
			break;
	}
	return exit;
}

static uint64_t *eval_do(struct solver *s, struct cf_node *n, uint64_t *in)
{
	struct cf_node *body = kid(n, 0), *cond = kid(n, 1);
	uint64_t *head = st_copy(s, in), *t, *f, *exit = st_dead(s);
	struct jump *j;

	for (;;) {
		uint64_t *out;

		if (!(j = push(s, n)))
			return st_dead(s);
		out = eval(s, body, head);
		s->njumps--;
		out = st_union(s, out, j->cont);
		/* before cond: a loop in cond reuses j's slot */
		st_join(s, exit, j->brk);
		evalc(s, cond, out, &t, &f);
		st_join(s, exit, f);
		if (!st_join(s, head, t))
			break;
	}
	return exit;
}

static uint64_t *eval_for(struct solver *s, struct cf_node *n, uint64_t *in)
{
	struct cf_node *init = kid(n, 0), *cond = kid(n, 1), *inc = kid(n, 2),
		       *body = kid(n, 3);
	uint64_t *start = eval(s, init, in);
	uint64_t *head = st_copy(s, start), *t, *f, *exit = st_dead(s);
	struct jump *j;

	for (;;) {
		uint64_t *out, *next;

		if (!(j = push(s, n)))
			return st_dead(s);
		if (cond->kind == CF_EMPTY) {
			t = head;
			f = st_dead(s);
		} else {
			evalc(s, cond, head, &t, &f);
		}
		out = eval(s, body, t);
		s->njumps--;
		st_join(s, exit, f);
		st_join(s, exit, j->brk);
		out = st_union(s, out, j->cont);
		next = eval(s, inc, out);
		if (!st_join(s, head, next))
			break;
	}
	if (n->scope_kill)
		st_kill(s, exit, n->scope_kill);
	return exit;
}

/* A loop whose parts we could not tell apart: may run its kids any times. */
static uint64_t *eval_loop(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *head = st_copy(s, in), *exit = st_dead(s);
	struct jump *j;

	for (;;) {
		uint64_t *out;

		if (!(j = push(s, n)))
			return st_dead(s);
		out = eval_kids(s, n, head);
		s->njumps--;
		st_join(s, exit, head);
		st_join(s, exit, out);
		st_join(s, exit, j->brk);
		out = st_union(s, out, j->cont);
		if (!st_join(s, head, out))
			break;
	}
	if (n->scope_kill)
		st_kill(s, exit, n->scope_kill);
	return exit;
}

static uint64_t *eval_switch(struct solver *s, struct cf_node *n,
			     uint64_t *in)
{
	struct cf_node *cond = kid(n, 0), *body = kid(n, 1);
	uint64_t *entry = eval(s, cond, in), *out;
	struct jump *j;

	if (!(j = push(s, n)))
		return st_dead(s);
	j->entry = entry;
	out = eval(s, body, st_dead(s));
	s->njumps--;
	out = st_union(s, out, j->brk);
	if (!n->has_default)
		st_join(s, out, entry);
	return out;
}

static uint64_t *eval_goto(struct solver *s, struct cf_node *n, uint64_t *in)
{
	struct cf_node *label, *p;
	uint64_t *st;

	if (n->label < 0 || n->label >= s->f->nr_labels ||
	    !(label = s->label_node[n->label])) {
		fail(s, "goto to an unknown label");
		return st_dead(s);
	}
	st = st_copy(s, in);
	/* leaving scopes that do not enclose the label runs their cleanups */
	for (p = n->parent; p; p = p->parent)
		if (p->scope_kill && !is_ancestor(p, label))
			st_kill(s, st, p->scope_kill);
	if (st_join(s, s->label_in + (size_t)n->label * s->nw, st))
		s->changed = 1;
	return st_dead(s);
}

static uint64_t *eval_call(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *cur = eval_kids(s, n, in);
	uint64_t *held;
	int i;

	if (n->call < 0)
		return cur;	/* not recorded: an indirect call */
	if (n->call >= s->f->nr_calls) {
		fail(s, "call index out of range");
		return cur;
	}
	if (!cur[0])
		return cur;
	held = s->f->call_held + (size_t)n->call * s->f->nwords;
	for (i = 1; i < s->nw; i++)
		held[i - 1] |= cur[i];
	s->f->call_reached[n->call] = 1;
	if (s->call_bits >= 0) {
		/* the call has now been made on this path */
		cur = st_copy(s, cur);
		cur[1 + (s->call_bits + n->call) / 64] &=
			~((uint64_t)1 << ((s->call_bits + n->call) % 64));
	}
	return cur;
}

static int var_ok(struct solver *s, const struct cf_node *n)
{
	return n->var >= 0 && n->var < s->f->nr_vars;
}

/* in with variable v known to be non-zero (nz) or zero; dead if it cannot */
static uint64_t *st_var(struct solver *s, const uint64_t *in, int v, int nz)
{
	int may = s->var_bits + 2 * v + !nz, other = s->var_bits + 2 * v + nz;
	uint64_t *out;

	if (!in[0] || !bit_test(in + 1, may))
		return st_dead(s);
	out = st_copy(s, in);
	out[1 + other / 64] &= ~((uint64_t)1 << (other % 64));
	return out;
}

/* in with v given both values (a value not known) */
static uint64_t *st_var_any(struct solver *s, const uint64_t *in, int v)
{
	uint64_t *out = st_copy(s, in);

	if (out[0]) {
		bit_set(out + 1, s->var_bits + 2 * v);
		bit_set(out + 1, s->var_bits + 2 * v + 1);
	}
	return out;
}

static uint64_t *eval_assign(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *t, *f;

	if (!var_ok(s, n))
		return fail(s, "assignment without a variable"), in;
	if (!n->kids)
		return st_var_any(s, in, n->var);
	evalc(s, n->kids, in, &t, &f);
	/* where the value is non-zero the variable is, and the other way */
	t = st_var_any(s, t, n->var);
	f = st_var_any(s, f, n->var);
	return st_union(s, st_var(s, t, n->var, 1), st_var(s, f, n->var, 0));
}

static uint64_t *eval(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *out, *t, *f;
	struct jump *j;

	if (s->failed)
		return in;
	switch (n->kind) {
	case CF_SEQ:
		out = eval_kids(s, n, in);
		if (n->scope_kill) {
			out = st_copy(s, out);
			st_kill(s, out, n->scope_kill);
		}
		return out;
	case CF_IF:
		if (n->nkids < 2 || n->nkids > 3) {
			fail(s, "if without two or three parts");
			return in;
		}
		evalc(s, kid(n, 0), in, &t, &f);
		out = eval(s, kid(n, 1), t);
		if (n->nkids == 3)
			f = eval(s, kid(n, 2), f);
		return st_union(s, out, f);
	case CF_WHILE:
		if (n->nkids != 2)
			return fail(s, "while without cond and body"), in;
		return eval_while(s, n, in);
	case CF_DO:
		if (n->nkids != 2)
			return fail(s, "do without body and cond"), in;
		return eval_do(s, n, in);
	case CF_FOR:
		if (n->nkids != 4)
			return fail(s, "for without four parts"), in;
		return eval_for(s, n, in);
	case CF_LOOP:
		return eval_loop(s, n, in);
	case CF_SWITCH:
		if (n->nkids != 2)
			return fail(s, "switch without cond and body"), in;
		return eval_switch(s, n, in);
	case CF_CASE:
		j = innermost(s, 1);
		if (!j)
			return fail(s, "case outside a switch"), in;
		return st_union(s, in, j->entry);
	case CF_LABEL:
		if (n->label < 0 || n->label >= s->f->nr_labels)
			return fail(s, "label without an index"), in;
		return st_union(s, in, s->label_in + (size_t)n->label * s->nw);
	case CF_GOTO:
		return eval_goto(s, n, in);
	case CF_RETURN:
		out = eval_kids(s, n, in);
		if (s->exit)
			st_join(s, s->exit, out);
		return st_dead(s);
	case CF_BREAK:
	case CF_CONTINUE:
		j = n->kind == CF_BREAK ? innermost(s, 0) : innermost_loop(s);
		if (!j)
			return fail(s, "break or continue outside a loop"), in;
		out = st_copy(s, in);
		kill_scopes_upto(s, n->parent, j->node, out);
		st_join(s, n->kind == CF_BREAK ? j->brk : j->cont, out);
		return st_dead(s);
	case CF_CALL:
		return eval_call(s, n, in);
	case CF_ACQUIRE:
	case CF_TRY:
		if (n->site < 0 || n->site >= s->f->nr_sites)
			return fail(s, "acquire without a site"), in;
		out = st_copy(s, in);
		if (out[0])
			bit_set(out + 1, n->site);
		return out;
	case CF_RELEASE:
		out = st_copy(s, in);
		st_kill(s, out, s->kill[n->call]);
		return out;
	case CF_NOT:
	case CF_AND:
	case CF_OR:
	case CF_TERNARY:
	case CF_CONST:
	case CF_TRANSPARENT:
	case CF_PRED:
		evalc(s, n, in, &t, &f);
		return st_union(s, t, f);
	case CF_VAR:
		return in;
	case CF_ASSIGN:
		return eval_assign(s, n, in);
	case CF_EMPTY:
		return in;
	}
	fail(s, "unknown node kind");
	return in;
}

/* Evaluate n as a condition: *t is the state where it is non-zero. */
static void evalc(struct solver *s, struct cf_node *n, uint64_t *in,
		  uint64_t **t, uint64_t **f)
{
	uint64_t *ta, *fa, *tb, *fb, *tc, *fc;
	struct cf_node *k;

	switch (n->kind) {
	case CF_NOT:
		if (n->nkids != 1)
			goto bad;
		evalc(s, n->kids, in, f, t);
		return;
	case CF_AND:
		if (n->nkids != 2)
			goto bad;
		evalc(s, kid(n, 0), in, &ta, &fa);
		evalc(s, kid(n, 1), ta, &tb, &fb);
		*t = tb;
		*f = st_union(s, fa, fb);
		return;
	case CF_OR:
		if (n->nkids != 2)
			goto bad;
		evalc(s, kid(n, 0), in, &ta, &fa);
		evalc(s, kid(n, 1), fa, &tb, &fb);
		*t = st_union(s, ta, tb);
		*f = fb;
		return;
	case CF_TERNARY:
		if (n->nkids != 3)
			goto bad;
		evalc(s, kid(n, 0), in, &tc, &fc);
		evalc(s, kid(n, 1), tc, &ta, &fa);
		evalc(s, kid(n, 2), fc, &tb, &fb);
		*t = st_union(s, ta, tb);
		*f = st_union(s, fa, fb);
		return;
	case CF_CONST:
		*t = n->value ? in : st_dead(s);
		*f = n->value ? st_dead(s) : in;
		return;
	case CF_PRED: {
		uint64_t *st = eval_kids(s, n, in);
		/* value set: a check still missing its comparison */
		int v = !n->value && s->f->pred_value && n->pred >= 0 &&
			n->pred < s->f->nr_preds ? s->f->pred_value[n->pred] : -1;

		*t = v == 0 ? st_dead(s) : st;
		*f = v == 1 ? st_dead(s) : st;
		return;
	}
	case CF_VAR:
		if (!var_ok(s, n))
			break;
		*t = st_var(s, in, n->var, 1);
		*f = st_var(s, in, n->var, 0);
		return;
	case CF_TRY:
		if (n->site < 0 || n->site >= s->f->nr_sites)
			break;
		*t = st_copy(s, in);
		if (in[0])
			bit_set(*t + 1, n->site);
		*f = in;
		return;
	case CF_TRANSPARENT:
		if (!n->nkids)
			goto bad;
		evalc(s, n->kids, in, t, f);
		for (k = n->kids->next; k; k = k->next) {
			*t = eval(s, k, *t);
			*f = eval(s, k, *f);
		}
		return;
	case CF_SEQ:
		if (!n->value_last || !n->nkids || n->scope_kill)
			break;
		for (k = n->kids; k != n->last; k = k->next)
			in = eval(s, k, in);
		evalc(s, n->last, in, t, f);
		return;
	default:
		break;
	}
	*t = *f = eval(s, n, in);
	return;
bad:
	/* eval() of an operator comes back here: fail rather than recurse */
	fail(s, "operator with a wrong number of operands");
	*t = *f = in;
}

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

static int solve(struct cf_func *f, int with_dominators, struct ss_err *err)
{
	struct solver s;
	int nr_releases = 0, rounds = 0, i, bits;
	uint64_t *entry;

	memset(&s, 0, sizeof(s));
	s.f = f;
	s.err = err;
	s.call_bits = with_dominators ? f->nr_sites : -1;
	s.var_bits = f->nr_sites + (with_dominators ? f->nr_calls : 0);
	bits = s.var_bits + 2 * f->nr_vars;
	f->nwords = (bits + 63) / 64;
	if (!f->nwords)
		f->nwords = 1;
	s.nw = f->nwords + 1;
	f->call_held = arena_alloc(f->arena, (size_t)(f->nr_calls ? f->nr_calls : 1) *
				   f->nwords * sizeof(uint64_t));
	f->call_reached = arena_alloc(f->arena, f->nr_calls ? f->nr_calls : 1);
	if (!f->root)
		return 0;
	if (prepare(&s, f->root, &nr_releases))
		return -1;
	f->prepared = 1;
	s.kill = arena_alloc(&s.scratch, (nr_releases ? nr_releases : 1) *
			     sizeof(*s.kill));
	fill_kills(&s, f->root);
	s.label_in = arena_alloc(&s.scratch, (size_t)(f->nr_labels ? f->nr_labels : 1) *
				 s.nw * sizeof(uint64_t));
	s.label_node = arena_alloc(&s.scratch, (f->nr_labels ? f->nr_labels : 1) *
				   sizeof(*s.label_node));
	index_labels(&s, f->root);
	entry = st_dead(&s);
	entry[0] = 1;
	for (i = 0; with_dominators && i < f->nr_calls; i++)
		bit_set(entry + 1, f->nr_sites + i);
	for (i = 0; i < f->nr_vars; i++) {
		int v = f->var_init ? f->var_init[i] : -1;

		if (v != 0)
			bit_set(entry + 1, s.var_bits + 2 * i);
		if (v != 1)
			bit_set(entry + 1, s.var_bits + 2 * i + 1);
	}
	if (with_dominators)
		s.exit = st_dead(&s);
	do {
		uint64_t *out;

		s.changed = 0;
		out = eval(&s, f->root, entry);
		if (s.exit)
			st_join(&s, s.exit, out);
	} while (s.changed && !s.failed && ++rounds < 1000);
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
