/*
 * test_atomic.c: the atomic-context check on hand-built graphs: a chain
 * from a spinlock to a sink is one finding with that chain; without the
 * lock held there is none; a caller establishing a fact the sink's guard
 * meets makes it a suppressed finding saying so; a registered callback
 * and an entry-context function are entries as a whole.
 */
#include "check/atomic.h"
#include "graph/graph.h"
#include "hand.h"

static struct rules *R;

/* split_leaf() as the rules know it: returns early when range_is_pte(),
 * then sleeps at mutex_lock(). */
static void add_sink(struct fact_tu *t)
{
	struct fact_func *f = hand_func(t, "split_leaf", "/t/split.c", 100);

	hand_guard(f, "range_is_pte", 0);
	hand_call(t, f, "mutex_lock");
	f->sleep_call = 0;
}

/*
 * locker() takes a spinlock and calls outer() -> 'via' -> split_leaf(),
 * with the lock held when held is set.
 */
static void make_chain(struct fact_tu *t, const char *via, int held)
{
	struct fact_func *f;
	struct fact_call *c;
	int s;

	hand_tu(t, "/t/a.c");
	f = hand_func(t, "locker", NULL, 10);
	s = hand_site(f, hand_context(R, "spinlock"), "a_lock", "spin_lock");
	hand_call(t, f, "unrelated");
	c = hand_call(t, f, "outer");
	if (held)
		hand_held(c, s);
	f = hand_func(t, "outer", NULL, 20);
	hand_call(t, f, via);
	f = hand_func(t, via, NULL, 30);
	hand_call(t, f, "split_leaf");
	add_sink(t);
}

static void run(struct fact_tu *t, struct graph *g, struct findings *fs)
{
	graph_init(g, R);
	graph_add_tu(g, t);
	graph_finish(g);
	facts_tu_release(t);
	memset(fs, 0, sizeof(*fs));
	atomic_check(g, SINKS_RULES, NULL, fs);
}

static int is_hop(const struct graph *g, const struct hop *h, const char *func,
		  int call)
{
	return h->func == graph_find(g, func) && h->call == call;
}

static void test_held(void)
{
	struct fact_tu t;
	struct graph g;
	struct findings fs;
	const struct finding *f;

	make_chain(&t, "middle", 1);
	run(&t, &g, &fs);
	if (!CHECK(fs.nr == 1))
		goto out;
	f = &fs.v[0];
	CHECK(str_eq(f->check, "splitsafe-atomic"));
	CHECK(!f->suppressed && !f->exempt && f->sleeper == -1);
	CHECK(f->sink == graph_find(&g, "split_leaf") && f->sink >= 0);
	CHECK(f->entry == graph_find(&g, "locker") && f->site == 0);
	CHECK(f->context == hand_context(R, "spinlock"));
	CHECK(f->reg == -1);
	/* locker's second call, then outer -> middle -> split_leaf */
	CHECK(f->nr_hops == 3);
	if (f->nr_hops == 3)
		CHECK(is_hop(&g, &f->hops[0], "locker", 1) &&
		      is_hop(&g, &f->hops[1], "outer", 0) &&
		      is_hop(&g, &f->hops[2], "middle", 0));
out:
	findings_release(&fs);
	graph_release(&g);
}

static void test_not_held(void)
{
	struct fact_tu t;
	struct graph g;
	struct findings fs;
	int n, *nodes;

	make_chain(&t, "middle", 0);
	run(&t, &g, &fs);
	CHECK(fs.nr == 0);
	/* the sink is reachable all the same: it is the lock that counts */
	n = atomic_reaching(&g, SINKS_RULES, &nodes);
	CHECK(n == 4 && nodes[0] == graph_find(&g, "locker") &&
	      nodes[1] == graph_find(&g, "middle") &&
	      nodes[2] == graph_find(&g, "outer") &&
	      nodes[3] == graph_find(&g, "split_leaf"));
	free(nodes);
	findings_release(&fs);
	graph_release(&g);
}

static void test_guarded(void)
{
	struct fact_tu t;
	struct graph g;
	struct findings fs;
	const struct finding *f;
	int sink;

	/* map_pte_only() only passes pte-mapped ranges: range_is_pte() */
	make_chain(&t, "map_pte_only", 1);
	run(&t, &g, &fs);
	sink = graph_find(&g, "split_leaf");
	CHECK(sink >= 0 && atomic_sink_guards(&g, sink) ==
	      (fact_mask)1u << rules_fact_index(R, "pte-mapped"));
	if (!CHECK(fs.nr == 1))
		goto out;
	f = &fs.v[0];
	CHECK(f->suppressed && !f->exempt);
	CHECK(f->entry == graph_find(&g, "locker") && f->site == 0 && f->sink == sink);
	CHECK(f->guard_by == graph_find(&g, "map_pte_only"));
	CHECK(f->guard_index == 0);
	CHECK(f->facts == (fact_mask)1u << rules_fact_index(R, "pte-mapped"));
	CHECK(f->nr_hops == 3 && is_hop(&g, &f->hops[2], "map_pte_only", 0));
out:
	findings_release(&fs);
	graph_release(&g);
}

/* A timer callback and a softirq handler reach the sink: no lock, but
 * each is an entry of softirq context as a whole. */
static void test_whole_context(void)
{
	struct fact_tu t;
	struct fact_func *f;
	struct graph g;
	struct findings fs;
	int i, timer = -1, handler = -1;

	hand_tu(&t, "/t/b.c");
	f = hand_func(&t, "b_init", NULL, 5);
	hand_call(&t, f, "timer_setup");
	hand_reg(&t, R, "timer_setup", "b_timer");
	f = hand_func(&t, "b_timer", NULL, 10);
	hand_call(&t, f, "split_leaf");
	f = hand_func(&t, "run_softirq", NULL, 20);
	hand_call(&t, f, "helper");
	f = hand_func(&t, "helper", NULL, 30);
	hand_call(&t, f, "split_leaf");
	add_sink(&t);
	run(&t, &g, &fs);
	CHECK(fs.nr == 2);
	for (i = 0; i < fs.nr; i++) {
		if (fs.v[i].entry == graph_find(&g, "b_timer"))
			timer = i;
		if (fs.v[i].entry == graph_find(&g, "run_softirq"))
			handler = i;
	}
	if (!CHECK(timer >= 0 && handler >= 0))
		goto out;
	/* the callback: by its registration */
	CHECK(!fs.v[timer].suppressed && fs.v[timer].site == -1 &&
	      fs.v[timer].context == hand_context(R, "softirq") &&
	      fs.v[timer].reg == 0 && fs.v[timer].nr_hops == 1 &&
	      is_hop(&g, &fs.v[timer].hops[0], "b_timer", 0));
	/* the handler: by the rules' entry contexts, through helper() */
	CHECK(!fs.v[handler].suppressed && fs.v[handler].site == -1 &&
	      fs.v[handler].context == hand_context(R, "softirq") &&
	      fs.v[handler].reg == -1 && fs.v[handler].nr_hops == 2 &&
	      is_hop(&g, &fs.v[handler].hops[1], "helper", 0));
out:
	findings_release(&fs);
	graph_release(&g);
}

int main(void)
{
	R = hand_rules();
	test_held();
	test_not_held();
	test_guarded();
	test_whole_context();
	rules_free(R);
	return check_status("test_atomic");
}
