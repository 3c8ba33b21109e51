/*
 * cflow_eval.c: the evaluation of the cflow IR for the solver (see
 * cflow.c): the state after each node, and for a condition the states
 * where it is non-zero and zero.  Loops iterate until their head state
 * stops growing; break, continue and goto feed the states of where they
 * jump; leaving a scope releases its guards.
 *
 * Ownership: every state is in the solver's scratch arena.
 */
#include "extract/cflow_solver.h"

#include <limits.h>

static int fail(struct solver *s, const char *what)
{
	if (!s->failed)
		ss_error(s->err, "malformed control-flow IR: %s", what);
	s->failed = 1;
	return -1;
}

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
		cur = cflow_eval(s, k, cur);
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

/*
 * One pass of loop n from head, with the loop's jump j pushed: it pops j
 * once the body is done, adds to exit what leaves the loop, and returns
 * the state that goes back to the head.  start: the state on entry.
 */
typedef uint64_t *loop_pass(struct solver *s, struct cf_node *n,
			    const uint64_t *start, uint64_t *head,
			    struct jump *j, uint64_t *exit);

/* Passes of loop n from start until its head state stops growing. */
static uint64_t *iterate(struct solver *s, struct cf_node *n,
			 const uint64_t *start, loop_pass *pass)
{
	uint64_t *head = st_copy(s, start), *exit = st_dead(s);
	struct jump *j;

	for (;;) {
		if (!(j = push(s, n)))
			return st_dead(s);
		if (!st_join(s, head, pass(s, n, start, head, j, exit)))
			break;
	}
	return exit;
}

static uint64_t *while_pass(struct solver *s, struct cf_node *n,
			    const uint64_t *start, uint64_t *head,
			    struct jump *j, uint64_t *exit)
{
	struct cf_node *cond = kid(n, 0), *body = kid(n, 1);
	uint64_t *t, *f, *out, *next;

	evalc(s, cond, head, &t, &f);
	out = cflow_eval(s, body, t);
	s->njumps--;
	st_join(s, exit, f);
	st_join(s, exit, j->brk);
	next = st_union(s, start, out);
	st_join(s, next, j->cont);
	return next;
}

static uint64_t *do_pass(struct solver *s, struct cf_node *n,
			 const uint64_t *start, uint64_t *head,
			 struct jump *j, uint64_t *exit)
{
	struct cf_node *body = kid(n, 0), *cond = kid(n, 1);
	uint64_t *t, *f, *out;

	out = cflow_eval(s, body, head);
	s->njumps--;
	out = st_union(s, out, j->cont);
	/* before cond: a loop in cond reuses j's slot */
	st_join(s, exit, j->brk);
	evalc(s, cond, out, &t, &f);
	st_join(s, exit, f);
	return t;
}

static uint64_t *for_pass(struct solver *s, struct cf_node *n,
			  const uint64_t *start, uint64_t *head,
			  struct jump *j, uint64_t *exit)
{
	struct cf_node *cond = kid(n, 1), *inc = kid(n, 2), *body = kid(n, 3);
	uint64_t *t, *f, *out;

	if (cond->kind == CF_EMPTY) {
		t = head;
		f = st_dead(s);
	} else {
		evalc(s, cond, head, &t, &f);
	}
	out = cflow_eval(s, body, t);
	s->njumps--;
	st_join(s, exit, f);
	st_join(s, exit, j->brk);
	out = st_union(s, out, j->cont);
	return cflow_eval(s, inc, out);
}

/* A loop whose parts we could not tell apart: may run its kids any times. */
static uint64_t *loop_pass_kids(struct solver *s, struct cf_node *n,
				const uint64_t *start, uint64_t *head,
				struct jump *j, uint64_t *exit)
{
	uint64_t *out = eval_kids(s, n, head);

	s->njumps--;
	st_join(s, exit, head);
	st_join(s, exit, out);
	st_join(s, exit, j->brk);
	return st_union(s, out, j->cont);
}

static uint64_t *eval_while(struct solver *s, struct cf_node *n, uint64_t *in)
{
	return iterate(s, n, in, while_pass);
}

static uint64_t *eval_do(struct solver *s, struct cf_node *n, uint64_t *in)
{
	return iterate(s, n, in, do_pass);
}

static uint64_t *eval_for(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *exit = iterate(s, n, cflow_eval(s, kid(n, 0), in), for_pass);

	if (n->scope_kill)
		st_kill(s, exit, n->scope_kill);
	return exit;
}

static uint64_t *eval_loop(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *exit = iterate(s, n, in, loop_pass_kids);

	if (n->scope_kill)
		st_kill(s, exit, n->scope_kill);
	return exit;
}

static uint64_t *eval_switch(struct solver *s, struct cf_node *n,
			     uint64_t *in)
{
	struct cf_node *cond = kid(n, 0), *body = kid(n, 1);
	uint64_t *entry = cflow_eval(s, cond, in), *out;
	struct jump *j;

	if (!(j = push(s, n)))
		return st_dead(s);
	j->entry = entry;
	out = cflow_eval(s, body, st_dead(s));
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

/* ---- the nodes that are not conditions ---- */

static uint64_t *eval_seq(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *out = eval_kids(s, n, in);

	if (n->scope_kill) {
		out = st_copy(s, out);
		st_kill(s, out, n->scope_kill);
	}
	return out;
}

static uint64_t *eval_if(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *out, *t, *f;

	evalc(s, kid(n, 0), in, &t, &f);
	out = cflow_eval(s, kid(n, 1), t);
	if (n->nkids == 3)
		f = cflow_eval(s, kid(n, 2), f);
	return st_union(s, out, f);
}

static uint64_t *eval_case(struct solver *s, struct cf_node *n, uint64_t *in)
{
	struct jump *j = innermost(s, 1);

	if (!j)
		return fail(s, "case outside a switch"), in;
	return st_union(s, in, j->entry);
}

static uint64_t *eval_label(struct solver *s, struct cf_node *n, uint64_t *in)
{
	if (n->label < 0 || n->label >= s->f->nr_labels)
		return fail(s, "label without an index"), in;
	return st_union(s, in, s->label_in + (size_t)n->label * s->nw);
}

static uint64_t *eval_return(struct solver *s, struct cf_node *n,
			     uint64_t *in)
{
	uint64_t *out = eval_kids(s, n, in);

	if (s->exit)
		st_join(s, s->exit, out);
	return st_dead(s);
}

/* break or continue: to the innermost loop or switch, leaving scopes. */
static uint64_t *eval_jump(struct solver *s, struct cf_node *n, uint64_t *in)
{
	struct jump *j = n->kind == CF_BREAK ? innermost(s, 0) :
			 innermost_loop(s);
	uint64_t *out;

	if (!j)
		return fail(s, "break or continue outside a loop"), in;
	out = st_copy(s, in);
	kill_scopes_upto(s, n->parent, j->node, out);
	st_join(s, n->kind == CF_BREAK ? j->brk : j->cont, out);
	return st_dead(s);
}

static uint64_t *eval_acquire(struct solver *s, struct cf_node *n,
			      uint64_t *in)
{
	uint64_t *out;

	if (n->site < 0 || n->site >= s->f->nr_sites)
		return fail(s, "acquire without a site"), in;
	out = st_copy(s, in);
	if (out[0])
		bit_set(out + 1, n->site);
	return out;
}

static uint64_t *eval_release(struct solver *s, struct cf_node *n,
			      uint64_t *in)
{
	uint64_t *out = st_copy(s, in);

	st_kill(s, out, s->kill[n->call]);
	return out;
}

/* An operator or value as a statement: both of its outcomes. */
static uint64_t *eval_value(struct solver *s, struct cf_node *n, uint64_t *in)
{
	uint64_t *t, *f;

	evalc(s, n, in, &t, &f);
	return st_union(s, t, f);
}

static uint64_t *eval_nothing(struct solver *s, struct cf_node *n,
			      uint64_t *in)
{
	return in;
}

/* ---- conditions: 1 with *t and *f set, 0: evaluate as a statement ---- */

static int cond_not(struct solver *s, struct cf_node *n, uint64_t *in,
		    uint64_t **t, uint64_t **f)
{
	evalc(s, n->kids, in, f, t);
	return 1;
}

/* "a && b", "a || b": b is evaluated where a has not decided. */
static int cond_logical(struct solver *s, struct cf_node *n, uint64_t *in,
			uint64_t **t, uint64_t **f)
{
	int and = n->kind == CF_AND;
	uint64_t *ta, *fa, *tb, *fb;

	evalc(s, kid(n, 0), in, &ta, &fa);
	evalc(s, kid(n, 1), and ? ta : fa, &tb, &fb);
	*t = and ? tb : st_union(s, ta, tb);
	*f = and ? st_union(s, fa, fb) : fb;
	return 1;
}

static int cond_ternary(struct solver *s, struct cf_node *n, uint64_t *in,
			uint64_t **t, uint64_t **f)
{
	uint64_t *ta, *fa, *tb, *fb, *tc, *fc;

	evalc(s, kid(n, 0), in, &tc, &fc);
	evalc(s, kid(n, 1), tc, &ta, &fa);
	evalc(s, kid(n, 2), fc, &tb, &fb);
	*t = st_union(s, ta, tb);
	*f = st_union(s, fa, fb);
	return 1;
}

static int cond_const(struct solver *s, struct cf_node *n, uint64_t *in,
		      uint64_t **t, uint64_t **f)
{
	*t = n->value ? in : st_dead(s);
	*f = n->value ? st_dead(s) : in;
	return 1;
}

static int cond_pred(struct solver *s, struct cf_node *n, uint64_t *in,
		     uint64_t **t, uint64_t **f)
{
	uint64_t *st = eval_kids(s, n, in);
	/* value set: a check still missing its comparison */
	int v = !n->value && s->f->pred_value && n->pred >= 0 &&
		n->pred < s->f->nr_preds ? s->f->pred_value[n->pred] : -1;

	*t = v == 0 ? st_dead(s) : st;
	*f = v == 1 ? st_dead(s) : st;
	return 1;
}

static int cond_var(struct solver *s, struct cf_node *n, uint64_t *in,
		    uint64_t **t, uint64_t **f)
{
	if (!var_ok(s, n))
		return 0;
	*t = st_var(s, in, n->var, 1);
	*f = st_var(s, in, n->var, 0);
	return 1;
}

static int cond_try(struct solver *s, struct cf_node *n, uint64_t *in,
		    uint64_t **t, uint64_t **f)
{
	if (n->site < 0 || n->site >= s->f->nr_sites)
		return 0;
	*t = st_copy(s, in);
	if (in[0])
		bit_set(*t + 1, n->site);
	*f = in;
	return 1;
}

static int cond_transparent(struct solver *s, struct cf_node *n,
			    uint64_t *in, uint64_t **t, uint64_t **f)
{
	struct cf_node *k;

	evalc(s, n->kids, in, t, f);
	for (k = n->kids->next; k; k = k->next) {
		*t = cflow_eval(s, k, *t);
		*f = cflow_eval(s, k, *f);
	}
	return 1;
}

/* A statement expression's value is its last statement's. */
static int cond_seq(struct solver *s, struct cf_node *n, uint64_t *in,
		    uint64_t **t, uint64_t **f)
{
	struct cf_node *k;

	if (!n->value_last || !n->nkids || n->scope_kill)
		return 0;
	for (k = n->kids; k != n->last; k = k->next)
		in = cflow_eval(s, k, in);
	evalc(s, n->last, in, t, f);
	return 1;
}

typedef uint64_t *eval_fn(struct solver *s, struct cf_node *n, uint64_t *in);
typedef int cond_fn(struct solver *s, struct cf_node *n, uint64_t *in,
		    uint64_t **t, uint64_t **f);

/*
 * What the evaluation knows of a node kind: how to evaluate it as a
 * statement; how as a condition (NULL, or the function returning 0:
 * as a statement, both outcomes alike); the kids it needs, min to max,
 * and what is wrong if it has not them (what NULL: any kids will do).
 */
struct node_kind {
	eval_fn *eval;
	cond_fn *cond;
	int min, max;
	const char *what;
};

#define OPERANDS "operator with a wrong number of operands"

static const struct node_kind kinds[] = {
	[CF_SEQ] = { eval_seq, cond_seq },
	[CF_IF] = { eval_if, NULL, 2, 3, "if without two or three parts" },
	[CF_WHILE] = { eval_while, NULL, 2, 2, "while without cond and body" },
	[CF_DO] = { eval_do, NULL, 2, 2, "do without body and cond" },
	[CF_FOR] = { eval_for, NULL, 4, 4, "for without four parts" },
	[CF_LOOP] = { eval_loop },
	[CF_SWITCH] = { eval_switch, NULL, 2, 2,
			"switch without cond and body" },
	[CF_CASE] = { eval_case },
	[CF_LABEL] = { eval_label },
	[CF_GOTO] = { eval_goto },
	[CF_RETURN] = { eval_return },
	[CF_BREAK] = { eval_jump },
	[CF_CONTINUE] = { eval_jump },
	[CF_CALL] = { eval_call },
	[CF_ACQUIRE] = { eval_acquire },
	[CF_TRY] = { eval_acquire, cond_try },
	[CF_RELEASE] = { eval_release },
	[CF_NOT] = { eval_value, cond_not, 1, 1, OPERANDS },
	[CF_AND] = { eval_value, cond_logical, 2, 2, OPERANDS },
	[CF_OR] = { eval_value, cond_logical, 2, 2, OPERANDS },
	[CF_TERNARY] = { eval_value, cond_ternary, 3, 3, OPERANDS },
	[CF_CONST] = { eval_value, cond_const },
	[CF_TRANSPARENT] = { eval_value, cond_transparent,
			     1, INT_MAX, OPERANDS },
	[CF_PRED] = { eval_value, cond_pred },
	[CF_VAR] = { eval_nothing, cond_var },
	[CF_ASSIGN] = { eval_assign },
	[CF_EMPTY] = { eval_nothing },
};

/* The entry of n's kind, or NULL for a kind not known here. */
static const struct node_kind *kind_of(const struct cf_node *n)
{
	if ((size_t)n->kind >= ARRAY_SIZE(kinds) || !kinds[n->kind].eval)
		return NULL;
	return &kinds[n->kind];
}

/* What is wrong with n's kids for its kind k, or NULL. */
static const char *malformed(const struct node_kind *k,
			     const struct cf_node *n)
{
	if (!k->what || (n->nkids >= k->min && n->nkids <= k->max))
		return NULL;
	return k->what;
}

uint64_t *cflow_eval(struct solver *s, struct cf_node *n, uint64_t *in)
{
	const struct node_kind *k = kind_of(n);
	const char *what;

	if (s->failed)
		return in;
	if (!k)
		return fail(s, "unknown node kind"), in;
	if ((what = malformed(k, n)))
		return fail(s, what), in;
	return k->eval(s, n, in);
}

/* Evaluate n as a condition: *t is the state where it is non-zero. */
static void evalc(struct solver *s, struct cf_node *n, uint64_t *in,
		  uint64_t **t, uint64_t **f)
{
	const struct node_kind *k = kind_of(n);
	const char *what = k ? malformed(k, n) : NULL;

	/* the condition functions read their kids unchecked */
	if (what) {
		fail(s, what);
		*t = *f = in;
		return;
	}
	if (k && k->cond && k->cond(s, n, in, t, f))
		return;
	*t = *f = cflow_eval(s, n, in);
}
