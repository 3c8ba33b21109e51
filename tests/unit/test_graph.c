/*
 * test_graph.c: the call graph merged from two hand-built TUs: a call
 * resolved to the other TU's definition, two static functions of one name
 * kept apart, a header function merged once, an indirect call resolved to
 * what is stored into its pointer (and left alone past the cap), and a
 * registration making its callback an entry of the rules' context.
 */
#include "check/atomic.h"
#include "graph/graph.h"
#include "hand.h"

static struct rules *R;

#define OPS_RUN "F:c:@S@ops@FI@run"

/*
 * a.c: main_a() calls helper() (b.c), its own static util(), the header's
 * hdr_inline() and, under a spinlock, ops->run; util() and b_run() are
 * stored into ops.run.  b.c: helper(), its own util(), hdr_inline() again,
 * b_run(), and b_init() registering b_timer() with timer_setup().
 */
static void make_a(struct fact_tu *t)
{
	struct fact_func *f;
	struct fact_call *c;
	int s;

	hand_tu(t, "/t/a.c");
	f = hand_func(t, "main_a", NULL, 10);
	hand_call(t, f, "helper");
	hand_call(t, f, "util")->callee_file = "/t/a.c";
	hand_call(t, f, "hdr_inline")->callee_file = "/t/inc/h.h";
	s = hand_site(f, hand_context(R, "spinlock"), "a_lock", "spin_lock");
	c = hand_icall(t, f, OPS_RUN, "ops->run");
	hand_held(c, s);
	c->dom = 2;

	f = hand_static(t, "util", "/t/a.c", 30);
	hand_call(t, f, "only_a");
	f = hand_static(t, "hdr_inline", "/t/inc/h.h", 3);
	hand_site(f, hand_context(R, "spinlock"), "h_lock", "spin_lock");
	hand_call(t, f, "hdr_callee");
	t->hkeys = arena_alloc(&t->arena, sizeof(*t->hkeys));
	t->hkeys[0] = f->key;
	t->nr_hkeys = 1;

	hand_store(t, OPS_RUN, "util", "/t/a.c");
	hand_store(t, OPS_RUN, "b_run", NULL);
}

static void make_b(struct fact_tu *t)
{
	struct fact_func *f;

	hand_tu(t, "/t/b.c");
	hand_func(t, "helper", NULL, 5);
	f = hand_static(t, "util", "/t/b.c", 20);
	hand_call(t, f, "only_b");
	/* the header function again, as a second TU including it sees it */
	f = hand_static(t, "hdr_inline", "/t/inc/h.h", 3);
	hand_site(f, hand_context(R, "spinlock"), "h_lock", "spin_lock");
	hand_call(t, f, "hdr_callee");
	hand_func(t, "b_run", NULL, 40);
	f = hand_func(t, "b_init", NULL, 50);
	hand_call(t, f, "timer_setup");
	hand_func(t, "b_timer", NULL, 60);
	hand_reg(t, R, "timer_setup", "b_timer");
}

static void build(struct graph *g, int max_targets)
{
	struct fact_tu a, b;

	make_a(&a);
	make_b(&b);
	graph_init(g, R);
	if (max_targets)
		g->max_targets = max_targets;
	graph_add_tu(g, &a);
	graph_add_tu(g, &b);
	graph_finish(g);
	/* the graph keeps copies: the facts can go */
	facts_tu_release(&a);
	facts_tu_release(&b);
}

/* The call of caller (in order) whose callee is node callee, or -1. */
static int call_to(const struct graph *g, int caller, int callee, int from)
{
	int i;

	for (i = from; i < g->funcs[caller].nr_calls; i++)
		if (g->funcs[caller].calls[i].callee == callee)
			return i;
	return -1;
}

static void test_nodes(void)
{
	struct graph g;
	int main_a, helper, util_a, util_b, hdr, b_run;

	build(&g, 0);
	main_a = graph_find(&g, "main_a");
	helper = graph_find(&g, "helper");
	util_a = graph_find(&g, "util@/t/a.c");
	util_b = graph_find(&g, "util@/t/b.c");
	hdr = graph_find(&g, "hdr_inline@/t/inc/h.h");
	b_run = graph_find(&g, "b_run");
	CHECK(main_a >= 0 && helper >= 0 && util_a >= 0 && util_b >= 0 &&
	      hdr >= 0 && b_run >= 0);
	if (main_a < 0 || helper < 0 || util_a < 0 || util_b < 0 || hdr < 0 ||
	    b_run < 0)
		goto out;
	/* an unknown name, and a static one asked by its name alone */
	CHECK(graph_find(&g, "nowhere") == -1);
	CHECK(graph_find(&g, "util") == -1);

	/* the call in a.c lands on the definition from b.c */
	CHECK(g.funcs[main_a].defined && str_eq(g.funcs[main_a].loc.file, "/t/a.c"));
	CHECK(g.funcs[helper].defined && str_eq(g.funcs[helper].loc.file, "/t/b.c") &&
	      g.funcs[helper].loc.line == 5 && !g.funcs[helper].is_static);
	CHECK(g.funcs[main_a].calls[0].callee == helper);
	CHECK(g.funcs[helper].nr_rev == 1 && g.funcs[helper].rev[0].func == main_a &&
	      g.funcs[helper].rev[0].call == 0);

	/* one name, two static functions: each TU's calls its own */
	CHECK(util_a != util_b);
	CHECK(str_eq(g.funcs[util_a].name, "util") && str_eq(g.funcs[util_b].name, "util"));
	CHECK(g.funcs[util_a].is_static && str_eq(g.funcs[util_a].loc.file, "/t/a.c") &&
	      g.funcs[util_a].loc.line == 30);
	CHECK(g.funcs[util_b].is_static && str_eq(g.funcs[util_b].loc.file, "/t/b.c") &&
	      g.funcs[util_b].loc.line == 20);
	CHECK(g.funcs[main_a].calls[1].callee == util_a);
	CHECK(g.funcs[util_a].nr_calls == 1 &&
	      g.funcs[util_a].calls[0].callee == graph_find(&g, "only_a"));
	CHECK(g.funcs[util_b].nr_calls == 1 &&
	      g.funcs[util_b].calls[0].callee == graph_find(&g, "only_b"));
	/* names are interned: equal strings, equal pointers */
	CHECK(g.funcs[util_a].name == g.funcs[util_b].name);

	/* the header function seen by two TUs: one node, its body once */
	CHECK(g.funcs[main_a].calls[2].callee == hdr);
	CHECK(g.funcs[hdr].defined && g.funcs[hdr].nr_sites == 1 &&
	      g.funcs[hdr].nr_calls == 1 &&
	      str_eq(g.funcs[hdr].sites[0].key, "h_lock"));
	CHECK(g.funcs[graph_find(&g, "hdr_callee")].nr_rev == 1);

	/* called, never defined: a node all the same */
	CHECK(graph_find(&g, "timer_setup") >= 0 &&
	      !g.funcs[graph_find(&g, "timer_setup")].defined);
	/* main_a: helper, util, hdr_inline, ops->run twice; util, hdr_inline
	 * and b_init one each */
	CHECK(g.nr_edges == 3 + 2 + 1 + 1 + 1 + 1);
out:
	graph_release(&g);
}

static void test_indirect(void)
{
	struct graph g;
	int main_a, util_a, b_run, c1, c2, spin = hand_context(R, "spinlock");
	char buf[64];

	build(&g, 0);
	main_a = graph_find(&g, "main_a");
	util_a = graph_find(&g, "util@/t/a.c");
	b_run = graph_find(&g, "b_run");
	if (!CHECK(main_a >= 0 && util_a >= 0 && b_run >= 0))
		goto out;
	CHECK(g.stats.indirect == 1 && g.stats.resolved == 1 &&
	      g.stats.edges == 2 && g.stats.no_target == 0 && g.stats.capped == 0);
	/* the direct calls first, then one edge per function stored */
	CHECK(g.funcs[main_a].nr_calls == 5);
	c1 = call_to(&g, main_a, util_a, 3);
	c2 = call_to(&g, main_a, b_run, 3);
	CHECK(c1 >= 3 && c2 >= 3 && c1 != c2);
	if (c1 < 0 || c2 < 0)
		goto out;
	CHECK(g.funcs[main_a].calls[c1].indirect && g.funcs[main_a].calls[c2].indirect);
	CHECK(str_eq(g.funcs[main_a].calls[c1].via, "ops->run"));
	/* held sites and dominator carried over to both */
	CHECK(g.funcs[main_a].calls[c2].nr_held == 1 &&
	      g.funcs[main_a].calls[c2].held[0] == 0 &&
	      g.funcs[main_a].sites[0].context == spin);
	CHECK(g.funcs[main_a].calls[c1].dom == 2 && g.funcs[main_a].calls[c2].dom == 2);
	CHECK(!g.funcs[main_a].calls[0].indirect);
	CHECK(g.funcs[b_run].nr_rev == 1 && g.funcs[b_run].rev[0].func == main_a);
	CHECK(str_eq(graph_ptr_name(OPS_RUN, buf, sizeof(buf)), "struct ops.run"));
	graph_release(&g);

	/* past the cap the call resolves to nothing, and says so */
	build(&g, 1);
	main_a = graph_find(&g, "main_a");
	CHECK(g.stats.indirect == 1 && g.stats.resolved == 0 && g.stats.capped == 1);
	CHECK(main_a >= 0 && g.funcs[main_a].nr_calls == 3);
	CHECK(g.funcs[graph_find(&g, "b_run")].nr_rev == 0);
out:
	graph_release(&g);
}

static void test_registration(void)
{
	struct graph g;
	int cb, init, softirq = hand_context(R, "softirq");
	const struct g_reg *reg;

	build(&g, 0);
	cb = graph_find(&g, "b_timer");
	init = graph_find(&g, "b_init");
	if (!CHECK(cb >= 0 && init >= 0))
		goto out;
	CHECK(g.nr_regs == 1 && g.funcs[cb].reg == 0);
	reg = &g.regs[0];
	CHECK(reg->func == cb && reg->rule == rules_lookup(R, "timer_setup")->registration);
	CHECK(reg->context && reg->context->index == softirq && softirq >= 0);
	CHECK(str_eq(reg->loc.file, "/t/b.c") && reg->loc.line == 81);
	CHECK(reg->src == SRC_LIBCLANG && reg->how == HOW_CALL);
	/* so it runs in softirq as a whole; the registering function not */
	CHECK(atomic_whole_context(&g, cb) == softirq);
	CHECK(atomic_whole_context(&g, init) == -1);
	CHECK(g.funcs[init].reg == -1);
out:
	graph_release(&g);
}

int main(void)
{
	R = hand_rules();
	test_nodes();
	test_indirect();
	test_registration();
	rules_free(R);
	return check_status("test_graph");
}
