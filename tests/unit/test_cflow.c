/*
 * test_cflow.c: the flow-sensitive may-held analysis of cflow.c.  Each case
 * builds by hand the IR the fact extractor would produce for a small C
 * snippet (quoted in the comment above it), solves it, and checks which
 * context sites may be held at each call, and which calls are reached.
 * Boot checks are then given values with cf_reach(), and the calls that
 * dominate each call and the return are checked too.
 *
 * Every "held" check comes with a "clear" check (reached, and the site not
 * held), so that a solver which holds everything everywhere, or one which
 * reaches nothing, fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/cflow.h"

#include "check.h"

/* ---- the function under construction ---- */

static struct arena A;
static struct cf_func F;
static struct ss_err err;

/* context kinds, as indices into the rules' contexts */
enum { SPIN, IRQ, RCU, PREEMPT };

static void begin(void)
{
	cf_init(&F, &A);
	memset(&err, 0, sizeof(err));
}

static void end(void)
{
	arena_release(&A);
	memset(&F, 0, sizeof(F));
}

static int solve(struct cf_node *root)
{
	int rc;

	F.root = root;
	memset(&err, 0, sizeof(err));
	rc = cf_solve(&F, &err);
	if (rc)
		printf("  cf_solve: %s\n", err.msg);
	return rc;
}

#define SOLVE(root) CHECK(solve(root) == 0)

/* call reached with site possibly held */
static int held(int call, int site)
{
	return F.call_reached[call] && bit_test(cf_held(&F, call), site);
}

/* call reached, and site certainly not held there */
static int clear(int call, int site)
{
	return F.call_reached[call] && !bit_test(cf_held(&F, call), site);
}

/* call reached with no site held at all */
static int nothing_held(int call)
{
	int i;

	if (!F.call_reached[call])
		return 0;
	/* site bits only: the bits after them track calls for dominators */
	for (i = 0; i < F.nr_sites; i++)
		if (bit_test(cf_held(&F, call), i))
			return 0;
	return 1;
}

static int reached(int call)
{
	return F.call_reached[call];
}

/* what cf_reach() wrote: 0 or 1, or 2 where it wrote nothing */
static unsigned char R[8];

/* cf_reach() with check i valued v[i]: 1 true, 0 false, -1 unknown */
static int reach_v(const signed char *v)
{
	int rc;

	memset(R, 2, sizeof(R));
	memset(&err, 0, sizeof(err));
	rc = cf_reach(&F, v, R, &err);
	if (rc)
		printf("  cf_reach: %s\n", err.msg);
	return rc;
}

enum { NO = 0, YES = 1, UNK = -1 };

/* reach(YES, NO): checks 0 and 1 valued, in order */
#define reach(...) reach_v((const signed char[]){ __VA_ARGS__ })
#define REACH(...) CHECK(reach(__VA_ARGS__) == 0)

/* i: the nearest call made on every path to call j (-1: none) */
static int dom(int j, int i)
{
	return F.call_dom[j] == i;
}

/* ---- IR builders: read like the C they model ---- */

#define END ((struct cf_node *)0)

static struct cf_node *mk(enum cf_kind kind, ...)
{
	struct cf_node *n = cf_new(&F, kind), *k;
	va_list ap;

	va_start(ap, kind);
	while ((k = va_arg(ap, struct cf_node *)))
		cf_add(n, k);
	va_end(ap);
	return n;
}

#define seq(...) mk(CF_SEQ, __VA_ARGS__, END)
/* ({ ...; value; }) */
#define stmt_expr(...) value_last(mk(CF_SEQ, __VA_ARGS__, END))
#define loop(...) mk(CF_LOOP, __VA_ARGS__, END)

static struct cf_node *value_last(struct cf_node *n)
{
	n->value_last = 1;
	return n;
}

static int site(int context, const char *key)
{
	return cf_new_site(&F, context, key);
}

static int new_label(void)
{
	return F.nr_labels++;
}

/* an opaque value: a variable or expression without effects */
static struct cf_node *V(void)
{
	return cf_new(&F, CF_SEQ);
}

static struct cf_node *empty(void)
{
	return cf_new(&F, CF_EMPTY);
}

/* a call to a fresh function; its index is stored in *id */
static struct cf_node *call(int *id)
{
	struct cf_node *n = cf_new(&F, CF_CALL);

	n->call = *id = cf_new_call(&F);
	return n;
}

/* a call whose argument evaluation is arg */
static struct cf_node *call_with(int *id, struct cf_node *arg)
{
	struct cf_node *n = call(id);

	cf_add(n, arg);
	return n;
}

static struct cf_node *acquire(int s)
{
	struct cf_node *n = cf_new(&F, CF_ACQUIRE);

	n->site = s;
	return n;
}

static struct cf_node *trylock(int s)
{
	struct cf_node *n = cf_new(&F, CF_TRY);

	n->site = s;
	return n;
}

static struct cf_node *release(int context, const char *key)
{
	struct cf_node *n = cf_new(&F, CF_RELEASE);

	n->context = context;
	n->key = key;
	return n;
}

/* spin_unlock(&key) */
static struct cf_node *unlock(const char *key)
{
	return release(SPIN, key);
}

static struct cf_node *if_(struct cf_node *c, struct cf_node *t)
{
	return mk(CF_IF, c, t, END);
}

static struct cf_node *if_else(struct cf_node *c, struct cf_node *t,
			       struct cf_node *e)
{
	return mk(CF_IF, c, t, e, END);
}

static struct cf_node *while_(struct cf_node *c, struct cf_node *body)
{
	return mk(CF_WHILE, c, body, END);
}

static struct cf_node *do_(struct cf_node *body, struct cf_node *c)
{
	return mk(CF_DO, body, c, END);
}

static struct cf_node *for_(struct cf_node *init, struct cf_node *c,
			    struct cf_node *inc, struct cf_node *body)
{
	return mk(CF_FOR, init, c, inc, body, END);
}

static struct cf_node *switch_(struct cf_node *c, int has_default,
			       struct cf_node *body)
{
	struct cf_node *n = mk(CF_SWITCH, c, body, END);

	n->has_default = has_default;
	return n;
}

static struct cf_node *case_(void)
{
	return cf_new(&F, CF_CASE);
}

static struct cf_node *label(int l)
{
	struct cf_node *n = cf_new(&F, CF_LABEL);

	n->label = l;
	return n;
}

static struct cf_node *goto_(int l)
{
	struct cf_node *n = cf_new(&F, CF_GOTO);

	n->label = l;
	return n;
}

static struct cf_node *return_(void)
{
	return cf_new(&F, CF_RETURN);
}

static struct cf_node *return_val(struct cf_node *v)
{
	return mk(CF_RETURN, v, END);
}

static struct cf_node *break_(void)
{
	return cf_new(&F, CF_BREAK);
}

static struct cf_node *continue_(void)
{
	return cf_new(&F, CF_CONTINUE);
}

static struct cf_node *not_(struct cf_node *a)
{
	return mk(CF_NOT, a, END);
}

static struct cf_node *and_(struct cf_node *a, struct cf_node *b)
{
	return mk(CF_AND, a, b, END);
}

static struct cf_node *or_(struct cf_node *a, struct cf_node *b)
{
	return mk(CF_OR, a, b, END);
}

static struct cf_node *ternary(struct cf_node *c, struct cf_node *a,
			       struct cf_node *b)
{
	return mk(CF_TERNARY, c, a, b, END);
}

static struct cf_node *const_(int v)
{
	struct cf_node *n = cf_new(&F, CF_CONST);

	n->value = v;
	return n;
}

/* likely(x) / unlikely(x): __builtin_expect(!!(x), 1 or 0) */
static struct cf_node *expect(struct cf_node *x, int v)
{
	return mk(CF_TRANSPARENT, not_(not_(x)), const_(v), END);
}

/* the scope releases site when control leaves it (guard(), scoped_guard) */
static struct cf_node *scoped(struct cf_node *scope, int s)
{
	cf_scope_release(&F, scope, s);
	return scope;
}

/* a boot check the rules know (system_capabilities_finalized()) */
static int new_pred(void)
{
	return F.nr_preds++;
}

/* the check p read as a variable: page_alloc_available */
static struct cf_node *pred(int p)
{
	struct cf_node *n = cf_new(&F, CF_PRED);

	n->pred = p;
	n->value = 0;
	return n;
}

/* the check p computed by a call: system_capabilities_finalized() */
static struct cf_node *pred_call(int p, int *id)
{
	struct cf_node *n = pred(p);

	cf_add(n, call(id));
	return n;
}

/* num_online_cpus(), its comparison ("> 1") not read: always unknown */
static struct cf_node *raw_pred(int p, int *id)
{
	struct cf_node *n = pred_call(p, id);

	n->value = 1;
	return n;
}

/* ---- 1. straight line ---- */

static void test_straight_line(void)
{
	int l, a, b, z;

	/*
	 * z();
	 * spin_lock(&l);
	 * a();
	 * spin_unlock(&l);
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(call(&z), acquire(l), call(&a), unlock("l"), call(&b)));
	CHECK(nothing_held(z));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	CHECK(nothing_held(b));
	CHECK(F.nwords == 1);
	end();

	/* foo(({ spin_lock(&l); 0; }));  bar(); -- arguments come first */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(call_with(&a, stmt_expr(acquire(l), const_(0))),
		  unlock("l"), call(&b)));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	end();

	/*
	 * An indirect call has no call index (-1) and is not recorded, but
	 * its arguments are evaluated:
	 *
	 * ops->fn(({ spin_lock(&l); 0; }));
	 * a();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(mk(CF_CALL, stmt_expr(acquire(l), const_(0)), END),
		  call(&a)));
	CHECK(F.nr_calls == 1);
	CHECK(held(a, l));
	end();

	/* no calls, no sites, no body */
	begin();
	CHECK(solve(NULL) == 0);
	CHECK(err.msg[0] == '\0');
	end();
}

/* ---- 2. released on one branch only ---- */

static void test_release_on_one_branch(void)
{
	int l, a, b, c;

	/*
	 * spin_lock(&l);
	 * if (x) {
	 *	spin_unlock(&l);
	 *	a();
	 * } else {
	 *	b();
	 * }
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l),
		  if_else(V(), seq(unlock("l"), call(&a)), seq(call(&b))),
		  call(&c)));
	CHECK(clear(a, l));
	CHECK(held(b, l));
	CHECK(held(c, l));
	end();

	/* same without else: spin_lock(&l); if (x) { spin_unlock(&l); a(); } c(); */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l), if_(V(), seq(unlock("l"), call(&a))), call(&c)));
	CHECK(clear(a, l));
	CHECK(held(c, l));
	end();

	/* if (x) spin_lock(&l); c(); ... spin_unlock(&l); b(); */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_(V(), acquire(l)), call(&c), unlock("l"), call(&b)));
	CHECK(held(c, l));
	CHECK(clear(b, l));
	end();
}

/* ---- 3. early return ---- */

static void test_early_return(void)
{
	int l, r, d, e, f;

	/*
	 * spin_lock(&l);
	 * if (err) {
	 *	spin_unlock(&l);
	 *	r();
	 *	return;
	 * }
	 * d();
	 * spin_unlock(&l);
	 * e();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l),
		  if_(V(), seq(unlock("l"), call(&r), return_())),
		  call(&d), unlock("l"), call(&e)));
	CHECK(clear(r, l));
	CHECK(held(d, l));
	CHECK(clear(e, l));
	end();

	/*
	 * spin_lock(&l);
	 * if (err)
	 *	return f();		-- the returned expression runs under l
	 * spin_unlock(&l);
	 * e();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l), if_(V(), return_val(call(&f))),
		  unlock("l"), call(&e)));
	CHECK(held(f, l));
	CHECK(clear(e, l));
	end();
}

/* ---- 4. goto out ---- */

static void test_goto_out(void)
{
	int l, a, b, out, unlock_b, f, g, h, k, c, d, e;

	/*
	 * spin_lock(&l);
	 * if (x)
	 *	goto out;
	 * f();
	 * out:
	 * h();
	 * spin_unlock(&l);
	 * g();
	 */
	begin();
	l = site(SPIN, "l");
	out = new_label();
	SOLVE(seq(acquire(l), if_(V(), goto_(out)), call(&f),
		  label(out), call(&h), unlock("l"), call(&g)));
	CHECK(held(f, l));
	CHECK(held(h, l));
	CHECK(clear(g, l));
	end();

	/*
	 * The goto skips the unlock:
	 *
	 * spin_lock(&l);
	 * if (x)
	 *	goto out;
	 * f();
	 * spin_unlock(&l);
	 * k();
	 * out:
	 * g();			-- may-held through the goto
	 */
	begin();
	l = site(SPIN, "l");
	out = new_label();
	SOLVE(seq(acquire(l), if_(V(), goto_(out)), call(&f), unlock("l"),
		  call(&k), label(out), call(&g)));
	CHECK(held(f, l));
	CHECK(clear(k, l));
	CHECK(held(g, l));
	end();

	/*
	 * Unwinding ladder:
	 *
	 * spin_lock(&a);
	 * if (x)
	 *	goto out;
	 * spin_lock(&b);
	 * if (y)
	 *	goto unlock_b;
	 * c();
	 * unlock_b:
	 * spin_unlock(&b);
	 * d();
	 * out:
	 * spin_unlock(&a);
	 * e();
	 */
	begin();
	a = site(SPIN, "a");
	b = site(SPIN, "b");
	out = new_label();
	unlock_b = new_label();
	SOLVE(seq(acquire(a), if_(V(), goto_(out)),
		  acquire(b), if_(V(), goto_(unlock_b)),
		  call(&c),
		  label(unlock_b), unlock("b"), call(&d),
		  label(out), unlock("a"), call(&e)));
	CHECK(held(c, a) && held(c, b));
	CHECK(held(d, a));
	CHECK(clear(d, b));
	CHECK(nothing_held(e));
	end();
}

/* ---- 5. backward goto ---- */

static void test_backward_goto(void)
{
	int l, m, z, k, mm, n, p, relax, l1, l2, l3, c1, c2, dead;

	/*
	 * The lock taken at the end of one pass is held when the next pass
	 * starts at the label:
	 *
	 * z();
	 * again:
	 * k();			-- may-held (second pass)
	 * if (x) {
	 *	spin_lock(&l);
	 *	mm();
	 *	goto again;
	 * }
	 * n();			-- may-held (after a pass through the lock)
	 * spin_unlock(&l);
	 * p();
	 */
	begin();
	l = site(SPIN, "l");
	m = new_label();
	SOLVE(seq(call(&z), label(m), call(&k),
		  if_(V(), seq(acquire(l), call(&mm), goto_(m))),
		  call(&n), unlock("l"), call(&p)));
	CHECK(clear(z, l));
	CHECK(held(k, l));
	CHECK(held(mm, l));
	CHECK(held(n, l));
	CHECK(clear(p, l));
	end();

	/*
	 * The usual retry loop releases before going back:
	 *
	 * again:
	 * k();
	 * spin_lock(&l);
	 * if (busy) {
	 *	spin_unlock(&l);
	 *	cpu_relax();
	 *	goto again;
	 * }
	 * mm();
	 * spin_unlock(&l);
	 * p();
	 */
	begin();
	l = site(SPIN, "l");
	m = new_label();
	SOLVE(seq(label(m), call(&k), acquire(l),
		  if_(V(), seq(unlock("l"), call(&relax), goto_(m))),
		  call(&mm), unlock("l"), call(&p)));
	CHECK(clear(k, l));
	CHECK(clear(relax, l));
	CHECK(held(mm, l));
	CHECK(clear(p, l));
	end();

	/*
	 * A chain of gotos that needs several rounds to settle:
	 *
	 * z();
	 * goto l3;
	 * dead();
	 * l1:
	 * c1();		-- held: l3 -> l2 -> l1
	 * return;
	 * l2:
	 * c2();
	 * goto l1;
	 * l3:
	 * spin_lock(&m);
	 * goto l2;
	 */
	begin();
	l = site(SPIN, "m");
	l1 = new_label();
	l2 = new_label();
	l3 = new_label();
	SOLVE(seq(call(&z), goto_(l3), call(&dead),
		  label(l1), call(&c1), return_(),
		  label(l2), call(&c2), goto_(l1),
		  label(l3), acquire(l), goto_(l2)));
	CHECK(clear(z, l));
	CHECK(!reached(dead));
	CHECK(held(c1, l));
	CHECK(held(c2, l));
	end();
}

/* ---- 6. while loops ---- */

static void test_while(void)
{
	int l, z, more, a, b, c, d, relax;

	/*
	 * Taken at the end of the body, released at its start:
	 *
	 * z();
	 * while (more()) {	-- may-held on later iterations
	 *	a();		-- may-held on later iterations
	 *	spin_unlock(&l);
	 *	b();
	 *	spin_lock(&l);
	 * }
	 * c();			-- may-held
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(call(&z),
		  while_(call(&more),
			 seq(call(&a), unlock("l"), call(&b), acquire(l))),
		  call(&c)));
	CHECK(clear(z, l));
	CHECK(held(more, l));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	CHECK(held(c, l));
	end();

	/*
	 * Balanced body:
	 *
	 * while (more()) {
	 *	spin_lock(&l);
	 *	a();
	 *	spin_unlock(&l);
	 * }
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(while_(call(&more), seq(acquire(l), call(&a), unlock("l"))),
		  call(&c)));
	CHECK(clear(more, l));
	CHECK(held(a, l));
	CHECK(clear(c, l));
	end();

	/*
	 * while (1) {
	 *	spin_lock(&l);
	 *	if (x)
	 *		break;
	 *	spin_unlock(&l);
	 *	a();
	 * }
	 * c();			-- only the break leaves: held
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(while_(const_(1), seq(acquire(l), if_(V(), break_()),
					unlock("l"), call(&a))),
		  call(&c)));
	CHECK(clear(a, l));
	CHECK(held(c, l));
	end();

	/*
	 * while (!spin_trylock(&l))
	 *	cpu_relax();
	 * d();			-- held
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(while_(not_(trylock(l)), call(&relax)), call(&d)));
	CHECK(clear(relax, l));
	CHECK(held(d, l));
	end();

	/*
	 * continue goes back to the condition with what it holds:
	 *
	 * while (more()) {	-- may-held through the continue
	 *	spin_lock(&l);
	 *	if (x)
	 *		continue;
	 *	spin_unlock(&l);
	 *	a();
	 * }
	 * c();			-- may-held as well
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(while_(call(&more), seq(acquire(l), if_(V(), continue_()),
					  unlock("l"), call(&a))),
		  call(&c)));
	CHECK(held(more, l));
	CHECK(clear(a, l));
	CHECK(held(c, l));
	end();
}

/* ---- 7. do-while ---- */

static void test_do_while(void)
{
	int l, a, b, c, more, poll, ready, after;

	/*
	 * A macro body: the release really happens, the lock does not leak.
	 *
	 * spin_lock(&l);
	 * do { spin_unlock(&l); } while (0);
	 * a();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l), do_(seq(unlock("l")), const_(0)), call(&a)));
	CHECK(clear(a, l));
	end();

	/*
	 * do { spin_lock(&l); } while (0);
	 * b();
	 * do { spin_unlock(&l); } while (0);
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(do_(seq(acquire(l)), const_(0)), call(&b),
		  do_(seq(unlock("l")), const_(0)), call(&c)));
	CHECK(held(b, l));
	CHECK(clear(c, l));
	end();

	/*
	 * break and continue in do { } while (0) both leave it:
	 *
	 * spin_lock(&l);
	 * do {
	 *	if (x)
	 *		break;
	 *	spin_unlock(&l);
	 * } while (0);
	 * a();			-- may-held through the break
	 * spin_unlock(&l);
	 * do {
	 *	spin_lock(&l);
	 *	if (y)
	 *		continue;
	 *	spin_unlock(&l);
	 * } while (0);
	 * b();			-- may-held through the continue
	 * spin_unlock(&l);
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l),
		  do_(seq(if_(V(), break_()), unlock("l")), const_(0)),
		  call(&a), unlock("l"),
		  do_(seq(acquire(l), if_(V(), continue_()), unlock("l")),
		      const_(0)),
		  call(&b), unlock("l"), call(&c)));
	CHECK(held(a, l));
	CHECK(held(b, l));
	CHECK(clear(c, l));
	end();

	/*
	 * A real back edge:
	 *
	 * do {
	 *	a();		-- may-held through the back edge
	 *	spin_lock(&l);
	 *	b();
	 * } while (more());	-- held
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(do_(seq(call(&a), acquire(l), call(&b)), call(&more)),
		  call(&c)));
	CHECK(held(a, l));
	CHECK(held(b, l));
	CHECK(held(more, l));
	CHECK(held(c, l));
	end();

	/*
	 * do {
	 *	spin_lock(&l);
	 *	a();
	 *	spin_unlock(&l);
	 *	b();
	 * } while (more());
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(do_(seq(acquire(l), call(&a), unlock("l"), call(&b)),
		      call(&more)),
		  call(&c)));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	CHECK(clear(more, l));
	CHECK(clear(c, l));
	end();

	/*
	 * The break state must survive a loop inside the condition:
	 *
	 * do {
	 *	spin_lock(&l);
	 *	if (x)
	 *		break;
	 *	spin_unlock(&l);
	 * } while (({ while (poll()) ; ready(); }));
	 * after();		-- may-held through the break
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(do_(seq(acquire(l), if_(V(), break_()), unlock("l")),
		      stmt_expr(while_(call(&poll), empty()), call(&ready))),
		  call(&after)));
	CHECK(clear(poll, l));
	CHECK(clear(ready, l));
	CHECK(held(after, l));
	end();
}

/* ---- 8. for loops, break, continue ---- */

static void test_for(void)
{
	int l, done, a, b, c, start, next, skip, inner, w;

	/*
	 * for (;;) {
	 *	spin_lock(&l);
	 *	if (done())
	 *		break;
	 *	spin_unlock(&l);
	 *	a();
	 * }
	 * b();			-- held: the break is the only way out
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(for_(empty(), empty(), empty(),
		       seq(acquire(l), if_(call(&done), break_()),
			   unlock("l"), call(&a))),
		  call(&b)));
	CHECK(held(done, l));
	CHECK(clear(a, l));
	CHECK(held(b, l));
	end();

	/*
	 * for (i = start(); i < n; i = next(i)) {
	 *	spin_lock(&l);
	 *	if (skip()) {
	 *		spin_unlock(&l);
	 *		continue;
	 *	}
	 *	a();
	 *	spin_unlock(&l);
	 * }
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(for_(call(&start), V(), call(&next),
		       seq(acquire(l),
			   if_(call(&skip), seq(unlock("l"), continue_())),
			   call(&a), unlock("l"))),
		  call(&b)));
	CHECK(clear(start, l));
	CHECK(held(skip, l));
	CHECK(held(a, l));
	CHECK(clear(next, l));
	CHECK(clear(b, l));
	end();

	/*
	 * continue with the lock held reaches the increment and the exit:
	 *
	 * for (i = 0; i < n; i = next(i)) {
	 *	spin_lock(&l);
	 *	if (skip())
	 *		continue;
	 *	spin_unlock(&l);
	 *	a();
	 * }
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(for_(empty(), V(), call(&next),
		       seq(acquire(l), if_(call(&skip), continue_()),
			   unlock("l"), call(&a))),
		  call(&c)));
	CHECK(clear(a, l));
	CHECK(held(next, l));
	CHECK(held(c, l));
	end();

	/*
	 * break leaves only the innermost loop:
	 *
	 * while (x) {
	 *	spin_lock(&l);
	 *	for (;;) {
	 *		inner();
	 *		if (y)
	 *			break;
	 *	}
	 *	spin_unlock(&l);
	 *	a();
	 * }
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(while_(V(), seq(acquire(l),
				  for_(empty(), empty(), empty(),
				       seq(call(&inner), if_(V(), break_()))),
				  unlock("l"), call(&a))),
		  call(&b)));
	CHECK(held(inner, l));
	CHECK(clear(a, l));
	CHECK(clear(b, l));
	end();

	/*
	 * break in a switch leaves the switch, continue skips it:
	 *
	 * for (;;) {
	 *	w();		-- may-held through the continue
	 *	spin_lock(&l);
	 *	switch (v) {
	 *	case 1:
	 *		break;
	 *	case 2:
	 *		continue;
	 *	}
	 *	spin_unlock(&l);
	 *	a();
	 *	if (x)
	 *		break;
	 * }
	 * b();			-- only the loop's own break leaves: clear
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(for_(empty(), empty(), empty(),
		       seq(call(&w), acquire(l),
			   switch_(V(), 0, seq(case_(), break_(),
					       case_(), continue_())),
			   unlock("l"), call(&a), if_(V(), break_()))),
		  call(&b)));
	CHECK(held(w, l));
	CHECK(clear(a, l));
	CHECK(clear(b, l));
	end();

	/*
	 * An unstructured loop (CF_LOOP) may run its kids zero or more times:
	 *
	 * loop { a(); spin_lock(&l); b(); }
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(loop(call(&a), acquire(l), call(&b)), call(&c)));
	CHECK(held(a, l));
	CHECK(held(b, l));
	CHECK(held(c, l));
	end();

	/*
	 * Zero iterations too:
	 *
	 * spin_lock(&l);
	 * loop { spin_unlock(&l); a(); }
	 * c();			-- may-held: the loop may not run
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l), loop(unlock("l"), call(&a)), call(&c)));
	CHECK(clear(a, l));
	CHECK(held(c, l));
	end();

	/*
	 * A for the extractor could not take apart becomes a CF_LOOP; a
	 * guard in its init is released when it ends:
	 *
	 * loop { guard(spinlock)(&l); a(); if (x) break; }
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(scoped(loop(acquire(l), call(&a), if_(V(), break_())), l),
		  call(&c)));
	CHECK(held(a, l));
	CHECK(clear(c, l));
	end();
}

/* ---- 9. trylock ---- */

static void test_trylock(void)
{
	int l, h, i, k, j, m, x, a, b, c;

	/*
	 * if (spin_trylock(&l)) {
	 *	h();
	 *	spin_unlock(&l);
	 * } else {
	 *	k();
	 * }
	 * i();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_else(trylock(l), seq(call(&h), unlock("l")), call(&k)),
		  call(&i)));
	CHECK(held(h, l));
	CHECK(clear(k, l));
	CHECK(clear(i, l));
	end();

	/*
	 * if (!spin_trylock(&l))
	 *	return;
	 * j();
	 * spin_unlock(&l);
	 * m();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_(not_(trylock(l)), return_()), call(&j),
		  unlock("l"), call(&m)));
	CHECK(held(j, l));
	CHECK(clear(m, l));
	end();

	/*
	 * The modelled C leaks l when x() is false:
	 *
	 * if (spin_trylock(&l) && x()) {
	 *	a();
	 *	spin_unlock(&l);
	 * } else {
	 *	b();		-- may-held (trylock won, x() false)
	 * }
	 * c();			-- may-held for the same reason
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_else(and_(trylock(l), call(&x)),
			  seq(call(&a), unlock("l")), call(&b)),
		  call(&c)));
	CHECK(held(x, l));
	CHECK(held(a, l));
	CHECK(held(b, l));
	CHECK(held(c, l));
	end();

	/*
	 * if (x() && spin_trylock(&l)) {
	 *	a();
	 *	spin_unlock(&l);
	 * } else {
	 *	b();		-- trylock failed or never tried
	 * }
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_else(and_(call(&x), trylock(l)),
			  seq(call(&a), unlock("l")), call(&b)),
		  call(&c)));
	CHECK(clear(x, l));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	CHECK(clear(c, l));
	end();

	/*
	 * if (x() || !spin_trylock(&l))
	 *	return;
	 * j();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_(or_(call(&x), not_(trylock(l))), return_()), call(&j)));
	CHECK(clear(x, l));
	CHECK(held(j, l));
	end();

	/*
	 * if (x ? spin_trylock(&l) : 0) {
	 *	a();
	 *	spin_unlock(&l);
	 * }
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_(ternary(V(), trylock(l), const_(0)),
		      seq(call(&a), unlock("l"))),
		  call(&b)));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	end();

	/*
	 * if (x ? 1 : spin_trylock(&l))
	 *	a();		-- may-held
	 * else
	 *	b();		-- only when the trylock failed
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(if_else(ternary(V(), const_(1), trylock(l)), call(&a), call(&b)));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	end();

	/*
	 * if (x() || spin_trylock(&l))
	 *	a();		-- may-held
	 * else
	 *	b();		-- both false: trylock failed
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(if_else(or_(call(&x), trylock(l)), call(&a), call(&b)));
	CHECK(clear(x, l));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	end();

	/*
	 * The hint of __builtin_expect is evaluated on both outcomes:
	 *
	 * if (__builtin_expect(!spin_trylock(&l), hint()))
	 *	return;
	 * j();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_(mk(CF_TRANSPARENT, not_(trylock(l)), call(&m), END),
		      return_()),
		  call(&j)));
	CHECK(held(m, l));
	CHECK(held(j, l));
	end();

	/*
	 * if (unlikely(!spin_trylock(&l)))
	 *	return;
	 * j();
	 * spin_unlock(&l);
	 * if (likely(spin_trylock(&l))) {
	 *	a();
	 *	spin_unlock(&l);
	 * } else {
	 *	b();
	 * }
	 * c();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(if_(expect(not_(trylock(l)), 0), return_()), call(&j),
		  unlock("l"),
		  if_else(expect(trylock(l), 1), seq(call(&a), unlock("l")),
			  call(&b)),
		  call(&c)));
	CHECK(held(j, l));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	CHECK(clear(c, l));
	end();

	/*
	 * Outside a condition the result is unknown: may-held.
	 *
	 * ok = spin_trylock(&l);
	 * a();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(trylock(l), call(&a)));
	CHECK(held(a, l));
	end();
}

/* ---- 10. statement expression: raw_spin_trylock_irqsave ---- */

/*
 * raw_spin_trylock_irqsave(&l, flags):
 *	({ local_irq_save(flags);
 *	   raw_spin_trylock(&l) ? 1 : ({ local_irq_restore(flags); 0; }); })
 */
static struct cf_node *trylock_irqsave(int spin, int irq)
{
	return stmt_expr(acquire(irq),
			 ternary(trylock(spin), const_(1),
				 stmt_expr(release(IRQ, NULL), const_(0))));
}

static void test_trylock_irqsave(void)
{
	int l, irq, fail, a, b;

	/*
	 * if (!raw_spin_trylock_irqsave(&l, flags)) {
	 *	fail();		-- neither: irqs were restored
	 *	return;
	 * }
	 * a();			-- both
	 * raw_spin_unlock_irqrestore(&l, flags);
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	irq = site(IRQ, NULL);
	SOLVE(seq(if_(not_(trylock_irqsave(l, irq)),
		      seq(call(&fail), return_())),
		  call(&a), unlock("l"), release(IRQ, NULL), call(&b)));
	CHECK(nothing_held(fail));
	CHECK(held(a, l));
	CHECK(held(a, irq));
	CHECK(nothing_held(b));
	end();

	/*
	 * if (raw_spin_trylock_irqsave(&l, flags)) {
	 *	a();
	 *	raw_spin_unlock_irqrestore(&l, flags);
	 * }
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	irq = site(IRQ, NULL);
	SOLVE(seq(if_(trylock_irqsave(l, irq),
		      seq(call(&a), unlock("l"), release(IRQ, NULL))),
		  call(&b)));
	CHECK(held(a, l) && held(a, irq));
	CHECK(nothing_held(b));
	end();
}

/* ---- 11. switch ---- */

static void test_switch(void)
{
	int a, b, l, dead, c1, c2, c3, d, e, z;

	/*
	 * switch (v) {
	 *	dead();		-- before any case: never runs
	 * case 1:
	 *	spin_lock(&a);
	 *	c1();
	 *	fallthrough;
	 * case 2:
	 *	c2();		-- may-held a
	 *	break;
	 * case 3:
	 *	c3();
	 *	spin_lock(&b);
	 *	break;
	 * }
	 * d();			-- a (case 1), b (case 3); no default
	 */
	begin();
	a = site(SPIN, "a");
	b = site(SPIN, "b");
	SOLVE(seq(switch_(V(), 0,
			  seq(call(&dead),
			      case_(), acquire(a), call(&c1),
			      case_(), call(&c2), break_(),
			      case_(), call(&c3), acquire(b), break_())),
		  call(&d)));
	CHECK(!reached(dead));
	CHECK(held(c1, a));
	CHECK(held(c2, a));
	CHECK(clear(c2, b));
	CHECK(nothing_held(c3));
	CHECK(held(d, a));
	CHECK(held(d, b));
	end();

	/*
	 * Without default, no case may match: the entry state reaches the end.
	 *
	 * spin_lock(&l);
	 * switch (v) {
	 * case 1:
	 *	spin_unlock(&l);
	 *	break;
	 * }
	 * e();			-- may-held
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l),
		  switch_(V(), 0, seq(case_(), unlock("l"), break_())),
		  call(&e)));
	CHECK(held(e, l));
	end();

	/*
	 * spin_lock(&l);
	 * switch (v) {
	 * case 1:
	 *	spin_unlock(&l);
	 *	break;
	 * default:
	 *	spin_unlock(&l);
	 * }
	 * e();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l),
		  switch_(V(), 1, seq(case_(), unlock("l"), break_(),
				      case_(), unlock("l"))),
		  call(&e)));
	CHECK(clear(e, l));
	end();

	/*
	 * switch (v) {
	 * case 1:
	 *	return;
	 * default:
	 *	return;
	 * }
	 * z();			-- unreachable
	 */
	begin();
	SOLVE(seq(switch_(V(), 1, seq(case_(), return_(), case_(), return_())),
		  call(&z)));
	CHECK(!reached(z));
	end();
}

/* ---- 12. release by key and by context ---- */

static void test_release_by_key(void)
{
	int a, b, a2, irq, rcu, unk, c1, c2, c3, c4, c5, c6, c7;

	/*
	 * spin_lock(&a);
	 * spin_lock(&b);
	 * spin_unlock(&a);
	 * c1();		-- b only
	 * spin_unlock(&b);
	 * c2();
	 */
	begin();
	a = site(SPIN, "a");
	b = site(SPIN, "b");
	SOLVE(seq(acquire(a), acquire(b), unlock("a"), call(&c1),
		  unlock("b"), call(&c2)));
	CHECK(clear(c1, a));
	CHECK(held(c1, b));
	CHECK(nothing_held(c2));
	end();

	/*
	 * Two sites of the same lock are both released:
	 *
	 * if (x)
	 *	spin_lock(&a);
	 * else
	 *	spin_lock(&a);
	 * c1();
	 * spin_unlock(&a);
	 * c2();
	 */
	begin();
	a = site(SPIN, "a");
	a2 = site(SPIN, "a");
	SOLVE(seq(if_else(V(), acquire(a), acquire(a2)), call(&c1),
		  unlock("a"), call(&c2)));
	CHECK(held(c1, a) && held(c1, a2));
	CHECK(nothing_held(c2));
	end();

	/*
	 * Releases of other contexts do not touch spinlocks, and a release
	 * with no key releases every site of its context:
	 *
	 * spin_lock(&a);
	 * spin_lock(&b);
	 * local_irq_disable();
	 * rcu_read_lock();
	 * rcu_read_unlock();	-- context RCU, key "a": not spinlock a
	 * local_irq_enable();
	 * c3();		-- a, b
	 * <spin unlock of a lock the extractor could not name>
	 * c4();		-- nothing
	 */
	begin();
	a = site(SPIN, "a");
	b = site(SPIN, "b");
	irq = site(IRQ, NULL);
	rcu = site(RCU, "a");
	SOLVE(seq(acquire(a), acquire(b), acquire(irq), acquire(rcu),
		  release(RCU, "a"), release(IRQ, NULL), call(&c3),
		  release(SPIN, NULL), call(&c4)));
	CHECK(held(c3, a) && held(c3, b));
	CHECK(clear(c3, irq));
	CHECK(clear(c3, rcu));
	CHECK(nothing_held(c4));
	end();

	/*
	 * spin_lock(&a);
	 * local_irq_disable();
	 * local_irq_enable();	-- IRQ context, no key
	 * c5();		-- a still held
	 * preempt_enable();	-- nothing of that context held: no effect
	 * c6();
	 */
	begin();
	a = site(SPIN, "a");
	irq = site(IRQ, NULL);
	SOLVE(seq(acquire(a), acquire(irq), release(IRQ, NULL), call(&c5),
		  release(PREEMPT, NULL), call(&c6)));
	CHECK(held(c5, a));
	CHECK(clear(c5, irq));
	CHECK(held(c6, a));
	end();

	/*
	 * A site whose lock could not be named (key NULL) is released by
	 * any release of its context (current policy of fill_kills()):
	 *
	 * spin_lock(p->lock);
	 * spin_lock(&b);
	 * c6();
	 * spin_unlock(&b);
	 * c7();		-- both gone
	 */
	begin();
	unk = site(SPIN, NULL);
	b = site(SPIN, "b");
	SOLVE(seq(acquire(unk), acquire(b), call(&c6), unlock("b"), call(&c7)));
	CHECK(held(c6, unk) && held(c6, b));
	CHECK(nothing_held(c7));
	end();
}

/* ---- 13. scope guards ---- */

static void test_scope_guard(void)
{
	int l, ga, gb, a, b, x, y, c, d, e, f, g, h, i, j, k, out, in, mid;

	/*
	 * {
	 *	guard(spinlock)(&l);
	 *	a();
	 * }
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(scoped(seq(acquire(l), call(&a)), l), call(&b)));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	end();

	/*
	 * while (x()) {	-- not held: break and continue run the cleanup
	 *	guard(spinlock)(&l);
	 *	if (y())
	 *		break;
	 *	c();
	 *	if (z)
	 *		continue;
	 * }
	 * d();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(while_(call(&x),
			 scoped(seq(acquire(l), if_(call(&y), break_()),
				    call(&c), if_(V(), continue_())), l)),
		  call(&d)));
	CHECK(clear(x, l));
	CHECK(held(y, l));
	CHECK(held(c, l));
	CHECK(clear(d, l));
	end();

	/*
	 * {
	 *	guard(spinlock)(&l);
	 *	if (y)
	 *		goto out;
	 *	e();
	 * }
	 * out:
	 * f();
	 */
	begin();
	l = site(SPIN, "l");
	out = new_label();
	SOLVE(seq(scoped(seq(acquire(l), if_(V(), goto_(out)), call(&e)), l),
		  label(out), call(&f)));
	CHECK(held(e, l));
	CHECK(clear(f, l));
	end();

	/*
	 * A goto that stays inside the scope keeps the guard:
	 *
	 * {
	 *	guard(spinlock)(&l);
	 *	if (y)
	 *		goto in;
	 *	g();
	 * in:
	 *	h();
	 * }
	 * i();
	 */
	begin();
	l = site(SPIN, "l");
	in = new_label();
	SOLVE(seq(scoped(seq(acquire(l), if_(V(), goto_(in)), call(&g),
			     label(in), call(&h)), l),
		  call(&i)));
	CHECK(held(g, l));
	CHECK(held(h, l));
	CHECK(clear(i, l));
	end();

	/*
	 * Nested scopes: the goto leaves only the inner one.
	 *
	 * {
	 *	guard(spinlock)(&ga);
	 *	{
	 *		guard(spinlock)(&gb);
	 *		if (y)
	 *			goto mid;
	 *		a();
	 *	}
	 * mid:
	 *	b();
	 * }
	 * c();
	 */
	begin();
	ga = site(SPIN, "ga");
	gb = site(SPIN, "gb");
	mid = new_label();
	SOLVE(seq(scoped(seq(acquire(ga),
			     scoped(seq(acquire(gb), if_(V(), goto_(mid)),
					call(&a)), gb),
			     label(mid), call(&b)), ga),
		  call(&c)));
	CHECK(held(a, ga) && held(a, gb));
	CHECK(held(b, ga));
	CHECK(clear(b, gb));
	CHECK(nothing_held(c));
	end();

	/*
	 * Return inside the scope:
	 *
	 * {
	 *	guard(spinlock)(&l);
	 *	if (err)
	 *		return k();	-- evaluated before the cleanup
	 *	j();
	 * }
	 * i();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(scoped(seq(acquire(l), if_(V(), return_val(call(&k))),
			     call(&j)), l),
		  call(&i)));
	CHECK(held(k, l));
	CHECK(held(j, l));
	CHECK(clear(i, l));
	end();

	/*
	 * A guard in a case block; break leaves the switch and the scope:
	 *
	 * switch (v) {
	 * case 1: {
	 *	guard(spinlock)(&l);
	 *	if (y)
	 *		break;
	 *	a();
	 *	break;
	 * }
	 * }
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(switch_(V(), 0,
			  seq(case_(),
			      scoped(seq(acquire(l), if_(V(), break_()),
					 call(&a), break_()), l))),
		  call(&b)));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	end();
}

/* ---- 14. scoped_guard: a for loop with a scope ---- */

/*
 * scoped_guard(spinlock, &l) body:
 *	for (CLASS(spinlock, scope)(&l), *done = NULL;
 *	     __guard_ptr(spinlock)(&scope) && !done; done = (void *)1)
 *		body
 */
static struct cf_node *scoped_guard(int s, struct cf_node *body)
{
	return scoped(for_(acquire(s), V(), V(), body), s);
}

static void test_scoped_guard(void)
{
	int l, a, b, c, g, out;

	/*
	 * scoped_guard(spinlock, &l) {
	 *	a();
	 * }
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(scoped_guard(l, seq(call(&a))), call(&b)));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	end();

	/*
	 * break leaves the scoped_guard (it is a for loop):
	 *
	 * while (x) {
	 *	scoped_guard(spinlock, &l) {
	 *		if (y)
	 *			break;
	 *		a();
	 *	}
	 *	c();
	 * }
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(while_(V(), seq(scoped_guard(l, seq(if_(V(), break_()),
						      call(&a))),
				  call(&c))),
		  call(&b)));
	CHECK(held(a, l));
	CHECK(clear(c, l));
	CHECK(clear(b, l));
	end();

	/*
	 * scoped_guard(spinlock, &l) {
	 *	if (x)
	 *		goto out;
	 *	if (y)
	 *		return g();
	 *	a();
	 * }
	 * out:
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	out = new_label();
	SOLVE(seq(scoped_guard(l, seq(if_(V(), goto_(out)),
				      if_(V(), return_val(call(&g))),
				      call(&a))),
		  label(out), call(&b)));
	CHECK(held(g, l));
	CHECK(held(a, l));
	CHECK(clear(b, l));
	end();
}

/* ---- 15. unreachable calls ---- */

static void test_unreached(void)
{
	int l, a, b, c, d, e, f, out;

	/*
	 * spin_lock(&l);
	 * a();
	 * return;
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	SOLVE(seq(acquire(l), call(&a), return_(), call(&b)));
	CHECK(held(a, l));
	CHECK(!reached(b));
	CHECK(!bit_test(cf_held(&F, b), l));
	end();

	/*
	 * if (0)
	 *	c();
	 * goto out;
	 * d();
	 * out:
	 * for (;;)
	 *	e();
	 * f();
	 */
	begin();
	out = new_label();
	SOLVE(seq(if_(const_(0), call(&c)), goto_(out), call(&d),
		  label(out),
		  for_(empty(), empty(), empty(), call(&e)),
		  call(&f)));
	CHECK(!reached(c));
	CHECK(!reached(d));
	CHECK(reached(e));
	CHECK(!reached(f));
	end();
}

/* ---- 16. malformed IR ---- */

static int fails(struct cf_node *root)
{
	memset(&err, 0, sizeof(err));
	F.root = root;
	return cf_solve(&F, &err) == -1 && err.msg[0] != '\0';
}

static void test_malformed(void)
{
	struct cf_node *bad;
	int a, l, s;

	/* goto to a label index that does not exist */
	begin();
	SOLVE(seq(call(&a)));
	CHECK(err.msg[0] == '\0');
	CHECK(fails(seq(goto_(3))));
	end();

	/* goto to a label index with no label node */
	begin();
	l = new_label();
	CHECK(fails(seq(call(&a), goto_(l))));
	end();

	/* if (x) with no body */
	begin();
	CHECK(fails(seq(mk(CF_IF, V(), END), call(&a))));
	end();

	/* if with four parts */
	begin();
	CHECK(fails(mk(CF_IF, V(), V(), V(), V(), END)));
	end();

	/* while, do, for, switch with the wrong number of parts */
	begin();
	CHECK(fails(mk(CF_WHILE, V(), END)));
	end();
	begin();
	CHECK(fails(mk(CF_DO, V(), V(), V(), END)));
	end();
	begin();
	CHECK(fails(mk(CF_FOR, empty(), empty(), empty(), END)));
	end();
	begin();
	CHECK(fails(mk(CF_SWITCH, V(), END)));
	end();

	/* break outside a loop, case outside a switch */
	begin();
	CHECK(fails(seq(break_())));
	end();
	begin();
	CHECK(fails(seq(case_())));
	end();

	/* a call index past nr_calls, an acquire without site */
	begin();
	bad = cf_new(&F, CF_CALL);
	bad->call = 5;
	CHECK(fails(seq(call(&a), bad)));
	end();
	begin();
	s = site(SPIN, "l");
	CHECK(fails(seq(acquire(s + 1))));
	end();

	/* operators with the wrong number of operands, used as conditions */
	begin();
	CHECK(fails(if_(mk(CF_NOT, END), call(&a))));
	end();
	begin();
	CHECK(fails(if_(mk(CF_AND, V(), END), call(&a))));
	end();
	begin();
	CHECK(fails(if_(mk(CF_OR, V(), V(), V(), END), call(&a))));
	end();
	begin();
	CHECK(fails(if_(mk(CF_TERNARY, V(), V(), END), call(&a))));
	end();
	begin();
	CHECK(fails(if_(mk(CF_TRANSPARENT, END), call(&a))));
	end();
	begin();
	CHECK(fails(seq(mk(CF_NOT, V(), V(), END), call(&a))));
	end();

	/* no error buffer: still -1, no crash */
	begin();
	F.root = seq(goto_(0));
	CHECK(cf_solve(&F, NULL) == -1);
	end();
}

/* ---- 17. more than 64 sites ---- */

#define NLOCKS 70

static void test_many_sites(void)
{
	static char names[NLOCKS][8];
	int s[NLOCKS], i, a, b, c, d, e, g, out, ok;
	struct cf_node *body;

	/*
	 * for each i: spin_lock(&lk[i]);
	 * a();			-- all 70
	 * for each even i: spin_unlock(&lk[i]);
	 * b();			-- odd ones
	 * spin_unlock(&lk[65]);
	 * c();			-- odd ones but 65
	 * {
	 *	spin_unlock(&lk[68]);
	 *	guard(spinlock)(&lk[68]);	-- same site as before
	 *	if (x)
	 *		goto out;	-- with 67; 68 released by the scope
	 *	g();
	 * }
	 * spin_unlock(&lk[67]);
	 * d();
	 * out:
	 * e();			-- 67 through the goto, not 68
	 */
	begin();
	for (i = 0; i < NLOCKS; i++) {
		snprintf(names[i], sizeof(names[i]), "lk%d", i);
		s[i] = site(SPIN, names[i]);
	}
	out = new_label();
	body = seq(empty());
	for (i = 0; i < NLOCKS; i++)
		cf_add(body, acquire(s[i]));
	cf_add(body, call(&a));
	for (i = 0; i < NLOCKS; i += 2)
		cf_add(body, unlock(names[i]));
	cf_add(body, call(&b));
	cf_add(body, unlock(names[65]));
	cf_add(body, call(&c));
	cf_add(body, scoped(seq(release(SPIN, "lk68"), acquire(s[68]),
				if_(V(), goto_(out)), call(&g)), s[68]));
	cf_add(body, unlock(names[67]));
	cf_add(body, call(&d));
	cf_add(body, label(out));
	cf_add(body, call(&e));
	SOLVE(body);
	CHECK(F.nr_sites == NLOCKS);
	CHECK(F.nwords == 2);
	for (i = 0, ok = 1; i < NLOCKS; i++)
		ok &= F.site_context[i] == SPIN && !strcmp(F.site_key[i], names[i]);
	CHECK(ok);
	for (i = 0, ok = 1; i < NLOCKS; i++)
		ok &= held(a, s[i]);
	CHECK(ok);
	for (i = 0, ok = 1; i < NLOCKS; i++)
		ok &= (i % 2) ? held(b, s[i]) : clear(b, s[i]);
	CHECK(ok);
	CHECK(clear(c, s[65]));
	CHECK(held(c, s[1]) && held(c, s[63]) && held(c, s[67]));
	CHECK(clear(c, s[64]) && clear(c, s[68]));
	CHECK(held(g, s[68]) && held(g, s[69]));
	CHECK(clear(d, s[68]) && clear(d, s[67]) && held(d, s[69]));
	CHECK(held(e, s[67]) && held(e, s[69]));
	CHECK(clear(e, s[68]) && clear(e, s[65]) && clear(e, s[0]));
	end();

	/*
	 * 130 sites: three words.
	 *
	 * if (!spin_trylock(&lk129)) {
	 *	b();
	 *	return;
	 * }
	 * a();			-- 129
	 * spin_lock(&lk128);
	 * c();			-- 128, 129
	 * spin_unlock(...);	-- no key: all spinlocks
	 * d();
	 */
	begin();
	for (i = 0; i < 130; i++)
		site(SPIN, NULL);
	SOLVE(seq(if_(not_(trylock(129)), seq(call(&b), return_())),
		  call(&a), acquire(128), call(&c), release(SPIN, NULL),
		  call(&d)));
	CHECK(F.nwords == 3);
	CHECK(nothing_held(b));
	CHECK(held(a, 129));
	CHECK(clear(a, 128) && clear(a, 0) && clear(a, 64));
	CHECK(held(c, 128) && held(c, 129));
	CHECK(clear(c, 127) && clear(c, 63));
	CHECK(nothing_held(d));
	end();
}

/* ---- 18. boot checks: cf_reach() ---- */

static void test_reach(void)
{
	const unsigned char *was_reached;
	const uint64_t *was_held;
	int p, q, a, b, c, z, l, nwords, dom_c, i, ok;

	/*
	 * z();
	 * if (!page_alloc_available)
	 *	return;
	 * a();
	 */
	begin();
	p = new_pred();
	SOLVE(seq(call(&z), if_(not_(pred(p)), return_()), call(&a)));
	CHECK(reached(z) && reached(a));	/* cf_solve(): unknown */
	REACH(NO);
	CHECK(R[z] == 1 && R[a] == 0);
	CHECK(R[2] == 2);			/* nr_calls entries only */
	REACH(YES);
	CHECK(R[z] == 1 && R[a] == 1);
	REACH(UNK);
	CHECK(R[z] == 1 && R[a] == 1);
	/* NULL: every check unknown */
	memset(R, 2, sizeof(R));
	CHECK(cf_reach(&F, NULL, R, &err) == 0);
	CHECK(R[z] == 1 && R[a] == 1);
	end();

	/*
	 * Solving again keeps scope guards: their release lists became bit
	 * sets in cf_solve() and must not be read as lists again.
	 *
	 * z();
	 * { guard(spinlock)(&l0); guard(spinlock)(&l); a(); }
	 * if (p)
	 *	return;
	 * b();
	 */
	begin();
	site(SPIN, "l0");
	l = site(SPIN, "l");
	p = new_pred();
	SOLVE(seq(call(&z), scoped(seq(acquire(0), acquire(l), call(&a)), l),
		  if_(pred(p), return_()), call(&b)));
	REACH(UNK);
	CHECK(R[z] == 1 && R[a] == 1 && R[b] == 1);
	REACH(YES);
	CHECK(R[a] == 1 && R[b] == 0);
	REACH(NO);
	CHECK(R[b] == 1);
	CHECK(held(a, l) && clear(b, l));
	end();

	/*
	 * Re-solving leaves cf_solve()'s results alone, though it needs
	 * fewer words (no call bits for dominators: 62 sites and 3 calls
	 * take two words, 62 sites one):
	 *
	 * spin_lock(&l);
	 * a();
	 * if (p)
	 *	return;
	 * spin_unlock(&l);
	 * b();
	 * c();
	 */
	begin();
	for (i = 0; i < 62; i++)
		l = site(SPIN, "l");
	p = new_pred();
	SOLVE(seq(acquire(l), call(&a), if_(pred(p), return_()), unlock("l"),
		  call(&b), call(&c)));
	CHECK(F.nwords == 2);
	nwords = F.nwords;
	was_held = F.call_held;
	was_reached = F.call_reached;
	dom_c = F.call_dom[c];
	REACH(YES);
	CHECK(R[a] == 1 && R[b] == 0 && R[c] == 0);
	CHECK(F.nwords == nwords);
	CHECK(F.call_held == was_held && F.call_reached == was_reached);
	CHECK(reached(a) && reached(b) && reached(c));
	CHECK(held(a, l) && clear(b, l) && clear(c, l));
	CHECK(dom_c == b && dom(c, b) && dom(b, a) && F.exit_dom == a);
	CHECK(F.pred_value == NULL);
	end();

	/*
	 * if (p && q)
	 *	return;
	 * a();
	 */
	begin();
	p = new_pred();
	q = new_pred();
	SOLVE(seq(if_(and_(pred(p), pred(q)), return_()), call(&a)));
	REACH(YES, YES);
	CHECK(R[a] == 0);
	REACH(YES, NO);
	CHECK(R[a] == 1);
	REACH(NO, YES);
	CHECK(R[a] == 1);
	REACH(YES, UNK);
	CHECK(R[a] == 1);
	REACH(UNK, YES);
	CHECK(R[a] == 1);
	end();

	/*
	 * if (p || q)
	 *	return;
	 * a();
	 */
	begin();
	p = new_pred();
	q = new_pred();
	SOLVE(seq(if_(or_(pred(p), pred(q)), return_()), call(&a)));
	REACH(NO, NO);
	CHECK(R[a] == 1);
	REACH(YES, NO);
	CHECK(R[a] == 0);
	REACH(NO, YES);
	CHECK(R[a] == 0);
	REACH(YES, UNK);
	CHECK(R[a] == 0);
	REACH(NO, UNK);
	CHECK(R[a] == 1);
	end();

	/*
	 * if (!p) {
	 *	if (q)
	 *		return;
	 * }
	 * a();
	 */
	begin();
	p = new_pred();
	q = new_pred();
	SOLVE(seq(if_(not_(pred(p)), if_(pred(q), return_())), call(&a)));
	REACH(NO, YES);
	CHECK(R[a] == 0);
	REACH(NO, NO);
	CHECK(R[a] == 1);
	REACH(YES, YES);
	CHECK(R[a] == 1);
	REACH(UNK, YES);
	CHECK(R[a] == 1);
	REACH(NO, UNK);
	CHECK(R[a] == 1);
	end();

	/*
	 * The call that computes a check is made before its value is known,
	 * and the second check of && only when the first is true:
	 *
	 * spin_lock(&l);
	 * if (system_capabilities_finalized() &&
	 *     system_supports_bbml2_noabort())
	 *	a();
	 * b();
	 */
	begin();
	l = site(SPIN, "l");
	p = new_pred();
	q = new_pred();
	SOLVE(seq(acquire(l), if_(and_(pred_call(p, &c), pred_call(q, &z)),
				  call(&a)),
		  call(&b)));
	CHECK(held(c, l) && held(z, l));
	REACH(NO, YES);
	CHECK(R[c] == 1 && R[z] == 0 && R[a] == 0 && R[b] == 1);
	REACH(YES, NO);
	CHECK(R[c] == 1 && R[z] == 1 && R[a] == 0 && R[b] == 1);
	REACH(YES, YES);
	CHECK(R[c] == 1 && R[z] == 1 && R[a] == 1);
	end();

	/*
	 * A check whose comparison has not been read stays unknown, and so
	 * does a check past nr_preds:
	 *
	 * if (num_online_cpus() > 1)	-- raw: value 1
	 *	return;
	 * a();
	 * if (q)			-- pred 1, but nr_preds is 1
	 *	return;
	 * b();
	 */
	begin();
	p = new_pred();
	q = 1;
	SOLVE(seq(if_(raw_pred(p, &c), return_()), call(&a),
		  if_(pred(q), return_()), call(&b)));
	REACH(YES, YES);
	CHECK(R[c] == 1 && R[a] == 1 && R[b] == 1);
	REACH(NO, NO);
	CHECK(R[c] == 1 && R[a] == 1 && R[b] == 1);
	F.nr_preds = 2;				/* now q counts */
	REACH(YES, YES);
	CHECK(R[a] == 1 && R[b] == 0);
	end();

	/*
	 * if (unlikely(!system_capabilities_finalized()))
	 *	return;
	 * a();
	 * if (likely(p))
	 *	b();
	 */
	begin();
	p = new_pred();
	q = new_pred();
	SOLVE(seq(if_(expect(not_(pred_call(p, &c)), 0), return_()), call(&a),
		  if_(expect(pred(q), 1), call(&b))));
	REACH(NO, YES);
	CHECK(R[c] == 1 && R[a] == 0 && R[b] == 0);
	REACH(YES, NO);
	CHECK(R[a] == 1 && R[b] == 0);
	REACH(YES, YES);
	CHECK(R[a] == 1 && R[b] == 1);
	end();

	/*
	 * A check as the value of a statement expression:
	 *
	 * if (({ z(); page_alloc_available; }))
	 *	a();
	 * else
	 *	b();
	 */
	begin();
	p = new_pred();
	SOLVE(seq(if_else(stmt_expr(call(&z), pred(p)), call(&a), call(&b))));
	REACH(YES);
	CHECK(R[z] == 1 && R[a] == 1 && R[b] == 0);
	REACH(NO);
	CHECK(R[z] == 1 && R[a] == 0 && R[b] == 1);
	REACH(UNK);
	CHECK(R[a] == 1 && R[b] == 1);
	end();

	/*
	 * A check that is not a condition decides nothing:
	 *
	 * x = page_alloc_available;
	 * a();
	 */
	begin();
	p = new_pred();
	SOLVE(seq(pred(p), call(&a)));
	REACH(NO);
	CHECK(R[a] == 1);
	end();

	/* malformed IR fails in cf_reach() too, and leaves reached alone */
	begin();
	p = new_pred();
	F.root = seq(call(&a), mk(CF_IF, pred(p), V(), V(), V(), END));
	memset(R, 2, sizeof(R));
	memset(&err, 0, sizeof(err));
	CHECK(cf_reach(&F, (const signed char[]){ YES }, R, &err) == -1);
	CHECK(strstr(err.msg, "if without two or three parts"));
	CHECK(R[a] == 2);
	end();

	/* no body, no calls: nothing to write */
	begin();
	CHECK(reach(UNK) == 0);
	for (i = 0, ok = 1; i < (int)sizeof(R); i++)
		ok &= R[i] == 2;
	CHECK(ok);
	end();
}

/* ---- 19. dominators ---- */

static void test_dominators(void)
{
	struct cf_node *n;
	int a, b, c, d, e, out, again;

	/* a(); b(); c(); */
	begin();
	SOLVE(seq(call(&a), call(&b), call(&c)));
	CHECK(dom(a, -1));
	CHECK(dom(b, a));
	CHECK(dom(c, b));
	CHECK(F.exit_dom == c);
	end();

	/*
	 * a();
	 * if (x)
	 *	b();
	 * c();
	 */
	begin();
	SOLVE(seq(call(&a), if_(V(), call(&b)), call(&c)));
	CHECK(dom(b, a));
	CHECK(dom(c, a));
	CHECK(F.exit_dom == c);
	end();

	/*
	 * a();
	 * if (x)
	 *	b();
	 * else
	 *	c();
	 */
	begin();
	SOLVE(seq(call(&a), if_else(V(), call(&b), call(&c))));
	CHECK(dom(b, a) && dom(c, a));
	CHECK(F.exit_dom == a);
	end();

	/*
	 * a();
	 * if (b())
	 *	c();
	 * else
	 *	d();
	 * e();
	 */
	begin();
	SOLVE(seq(call(&a), if_else(call(&b), call(&c), call(&d)), call(&e)));
	CHECK(dom(b, a));
	CHECK(dom(c, b) && dom(d, b));
	CHECK(dom(e, b));
	CHECK(F.exit_dom == e);
	end();

	/*
	 * The second operand of && runs only on some paths:
	 *
	 * a();
	 * if (x && b())
	 *	c();		-- b
	 * d();			-- a
	 */
	begin();
	SOLVE(seq(call(&a), if_(and_(V(), call(&b)), call(&c)), call(&d)));
	CHECK(dom(c, b));
	CHECK(dom(d, a));
	CHECK(F.exit_dom == d);
	end();

	/*
	 * a();
	 * if (x) {
	 *	c();
	 *	return;
	 * }
	 * b();
	 */
	begin();
	SOLVE(seq(call(&a), if_(V(), seq(call(&c), return_())), call(&b)));
	CHECK(dom(b, a) && dom(c, a));
	CHECK(F.exit_dom == a);
	end();

	/*
	 * if (x)
	 *	return;		-- no call on this path to the return
	 * b();
	 */
	begin();
	SOLVE(seq(if_(V(), return_()), call(&b)));
	CHECK(dom(b, -1));
	CHECK(F.exit_dom == -1);
	end();

	/*
	 * a();
	 * if (x)
	 *	return b();
	 * c();
	 * return d();
	 */
	begin();
	SOLVE(seq(call(&a), if_(V(), return_val(call(&b))), call(&c),
		  return_val(call(&d))));
	CHECK(dom(b, a) && dom(c, a) && dom(d, c));
	CHECK(F.exit_dom == a);
	end();

	/*
	 * a();
	 * while (x)
	 *	b();
	 * c();
	 */
	begin();
	SOLVE(seq(call(&a), while_(V(), call(&b)), call(&c)));
	CHECK(dom(b, a));
	CHECK(dom(c, a));
	CHECK(F.exit_dom == c);
	end();

	/*
	 * while (b())
	 *	c();
	 * d();			-- the condition runs at least once
	 */
	begin();
	SOLVE(seq(while_(call(&b), call(&c)), call(&d)));
	CHECK(dom(b, -1));
	CHECK(dom(c, b));
	CHECK(dom(d, b));
	end();

	/*
	 * a();
	 * do {
	 *	b();
	 *	c();
	 * } while (x);
	 * d();
	 */
	begin();
	SOLVE(seq(call(&a), do_(seq(call(&b), call(&c)), V()), call(&d)));
	CHECK(dom(b, a));		/* not c: the first time round */
	CHECK(dom(c, b));
	CHECK(dom(d, c));
	CHECK(F.exit_dom == d);
	end();

	/*
	 * do {
	 *	if (x)
	 *		break;
	 *	b();
	 * } while (y);
	 * c();
	 */
	begin();
	SOLVE(seq(do_(seq(if_(V(), break_()), call(&b)), V()), call(&c)));
	CHECK(dom(b, -1));
	CHECK(dom(c, -1));
	CHECK(F.exit_dom == c);
	end();

	/*
	 * for (a(); x; c())
	 *	b();
	 * d();
	 */
	begin();
	SOLVE(seq(for_(call(&a), V(), call(&c), call(&b)), call(&d)));
	CHECK(dom(b, a));
	CHECK(dom(c, b));
	CHECK(dom(d, a));
	end();

	/*
	 * a();
	 * if (x)
	 *	goto out;
	 * b();
	 * out:
	 * c();
	 */
	begin();
	out = new_label();
	SOLVE(seq(call(&a), if_(V(), goto_(out)), call(&b), label(out),
		  call(&c)));
	CHECK(dom(b, a));
	CHECK(dom(c, a));
	CHECK(F.exit_dom == c);
	end();

	/*
	 * a();
	 * goto out;
	 * b();			-- unreached: no dominator
	 * out:
	 * c();
	 */
	begin();
	out = new_label();
	SOLVE(seq(call(&a), goto_(out), call(&b), label(out), call(&c)));
	CHECK(!reached(b) && dom(b, -1));
	CHECK(dom(c, a));
	CHECK(F.exit_dom == c);
	end();

	/*
	 * again:
	 * a();
	 * if (b())
	 *	goto again;
	 * c();
	 */
	begin();
	again = new_label();
	SOLVE(seq(label(again), call(&a), if_(call(&b), goto_(again)),
		  call(&c)));
	CHECK(dom(a, -1));
	CHECK(dom(b, a));
	CHECK(dom(c, b));
	CHECK(F.exit_dom == c);
	end();

	/*
	 * a();
	 * switch (b()) {
	 * case 1:
	 *	c();
	 *	break;
	 * default:
	 *	d();
	 * }
	 * e();
	 */
	begin();
	SOLVE(seq(call(&a),
		  switch_(call(&b), 1, seq(case_(), call(&c), break_(),
					   case_(), call(&d))),
		  call(&e)));
	CHECK(dom(c, b) && dom(d, b));
	CHECK(dom(e, b));
	end();

	/*
	 * Arguments are evaluated before the call:
	 *
	 * a(b(), c());
	 * d();
	 */
	begin();
	n = call(&a);
	cf_add(n, call(&b));
	cf_add(n, call(&c));
	SOLVE(seq(n, call(&d)));
	CHECK(dom(b, -1));
	CHECK(dom(c, b));
	CHECK(dom(a, c));
	CHECK(dom(d, a));
	CHECK(F.exit_dom == d);
	end();

	/*
	 * The end is never reached:
	 *
	 * a();
	 * for (;;)
	 *	b();
	 */
	begin();
	SOLVE(seq(call(&a), for_(empty(), empty(), empty(), call(&b))));
	CHECK(dom(b, a));
	CHECK(F.exit_dom == -1);
	end();

	/*
	 * a();
	 * while (1) {
	 *	b();
	 *	if (x)
	 *		return;
	 * }
	 */
	begin();
	SOLVE(seq(call(&a), while_(const_(1),
				   seq(call(&b), if_(V(), return_())))));
	CHECK(dom(b, a));
	CHECK(F.exit_dom == b);
	end();

	/*
	 * A check's call dominates what it guards and what follows:
	 *
	 * if (!system_capabilities_finalized())
	 *	return;
	 * a();
	 */
	begin();
	SOLVE(seq(if_(not_(pred_call(new_pred(), &b)), return_()),
		  call(&a)));
	CHECK(dom(a, b));
	CHECK(F.exit_dom == b);
	end();

	/* calls under a lock: the site bits and the call bits apart */
	begin();
	c = site(SPIN, "l");
	SOLVE(seq(acquire(c), call(&a), unlock("l"), call(&b)));
	CHECK(held(a, c) && nothing_held(b));
	CHECK(dom(b, a) && F.exit_dom == b);
	end();
}

/* ---- 20. tracked variables: CF_VAR, CF_ASSIGN, cf_reach_vars() ---- */

static struct cf_node *var(int v)
{
	struct cf_node *n = cf_new(&F, CF_VAR);

	n->var = v;
	return n;
}

/* v = value (NULL: a value not known) */
static struct cf_node *assign(int v, struct cf_node *value)
{
	struct cf_node *n = cf_new(&F, CF_ASSIGN);

	n->var = v;
	if (value)
		cf_add(n, value);
	return n;
}

static int reach_vars(const signed char *vars)
{
	memset(R, 2, sizeof(R));
	return cf_reach_vars(&F, NULL, vars, R, &err);
}

static void test_vars(void)
{
	int head = 0, ok = 1, z, a, b, c, w, x;

	/*
	 * The deferred-free shape: the inline free is made only when the
	 * head (variable 0, a parameter) is NULL.
	 *
	 * ok = z();
	 * if (!ok) {
	 *	if (head == NULL)
	 *		goto inline_free;
	 *	a();
	 *	ok = 1;
	 * }
	 * inline_free:
	 * if (!ok)
	 *	b();
	 */
	begin();
	F.nr_vars = 2;
	F.nr_labels = 1;
	SOLVE(seq(assign(ok, call(&z)),
		  if_(not_(var(ok)), seq(if_(not_(var(head)), goto_(0)), call(&a),
					 assign(ok, const_(1)))),
		  label(0), if_(not_(var(ok)), call(&b))));
	CHECK(reached(z) && reached(a) && reached(b));	/* head not known */
	CHECK(reach_vars((const signed char[]){ 1, -1 }) == 0);
	CHECK(R[z] == 1 && R[a] == 1 && R[b] == 0);	/* a head: no inline free */
	CHECK(reach_vars((const signed char[]){ 0, -1 }) == 0);
	CHECK(R[z] == 1 && R[a] == 0 && R[b] == 1);
	CHECK(reach_vars(NULL) == 0);
	CHECK(R[a] == 1 && R[b] == 1);
	end();

	/*
	 * A value not known forgets what was: n = 0; loop { n = ?; }
	 * if (n) c(); -- and a read is only a test where it is the condition
	 * (w() under "if (n)" is reached whatever n; x() under a copy m = n).
	 *
	 * n = 0;
	 * while (w())
	 *	n = <not known>;
	 * if (n) c();
	 * m = n;
	 * if (!m) x();
	 */
	begin();
	F.nr_vars = 2;
	SOLVE(seq(assign(0, const_(0)), while_(call(&w), assign(0, NULL)),
		  if_(var(0), call(&c)), assign(1, var(0)), if_(not_(var(1)), call(&x))));
	CHECK(reached(w) && reached(c) && reached(x));
	end();

	/* a constant sticks: n = 0; if (n) c(); -- c() is not reached */
	begin();
	F.nr_vars = 1;
	SOLVE(seq(assign(0, const_(0)), call(&w), if_(var(0), call(&c))));
	CHECK(reached(w) && !reached(c));
	end();
}

int main(void)
{
	test_straight_line();
	test_release_on_one_branch();
	test_early_return();
	test_goto_out();
	test_backward_goto();
	test_while();
	test_do_while();
	test_for();
	test_trylock();
	test_trylock_irqsave();
	test_switch();
	test_release_by_key();
	test_scope_guard();
	test_scoped_guard();
	test_unreached();
	test_malformed();
	test_many_sites();
	test_reach();
	test_dominators();
	test_vars();
	return check_status("test_cflow");
}
