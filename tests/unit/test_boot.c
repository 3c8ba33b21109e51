/*
 * test_boot.c: boot phases on hand-built graphs (graph-rules.yaml: phases
 * early and final, root start_kernel() in early, mem_init() entering
 * final, the sink split_leaf() forbidden in early).  The root reaching the
 * sink through shared code is a finding at the root's call; the same
 * after mem_init(), or through a call a boot check keeps to final, is
 * none; __init code moves the finding to where it calls shared code; and
 * the atomic check exempts a lock taken only in early.  A value valid
 * from detect_realm() on (valid-from) read before it is a finding of its
 * own, and none once detect_realm() has run.
 */
#include "check/atomic.h"
#include "check/boot.h"
#include "check/order.h"
#include "graph/graph.h"
#include "hand.h"

static struct rules *R;
static int EARLY, FINAL;

static void add_sink(struct fact_tu *t)
{
	struct fact_func *f = hand_func(t, "split_leaf", "/t/split.c", 100);

	hand_call(t, f, "mutex_lock");
	f->sleep_call = 0;
	f = hand_func(t, "setup", "/t/setup.c", 50);
	hand_call(t, f, "split_leaf");
}

struct run {
	struct graph g;
	struct boot b;
	struct findings fs;
};

static void run(struct fact_tu *t, struct run *r)
{
	graph_init(&r->g, R);
	graph_add_tu(&r->g, t);
	graph_finish(&r->g);
	facts_tu_release(t);
	memset(&r->fs, 0, sizeof(r->fs));
	CHECK(boot_analyze(&r->b, &r->g) == 0);
	CHECK(r->b.nr_phases == 2);
	boot_check(&r->b, &r->fs);
	order_check(&r->b, &r->fs);
}

static void done(struct run *r)
{
	findings_release(&r->fs);
	boot_release(&r->b);
	graph_release(&r->g);
}

static int node(const struct run *r, const char *name)
{
	return graph_find(&r->g, name);
}

static phase_mask bit(int p)
{
	return (phase_mask)(1u << p);
}

/* start_kernel() -> setup() -> split_leaf(), all in early */
static void test_early(void)
{
	struct fact_tu t;
	struct run r;
	const struct finding *f;

	hand_tu(&t, "/t/init/main.c");
	hand_call(&t, hand_func(&t, "start_kernel", NULL, 10), "setup");
	add_sink(&t);
	run(&t, &r);
	CHECK(r.b.phases[node(&r, "start_kernel")] == bit(EARLY));
	CHECK(boot_state(&r.b, node(&r, "start_kernel"), EARLY) &&
	      boot_state(&r.b, node(&r, "start_kernel"), EARLY)->how == BOOT_ROOT);
	CHECK(r.b.phases[node(&r, "split_leaf")] == bit(EARLY));
	CHECK(!boot_state(&r.b, node(&r, "split_leaf"), FINAL));
	if (!CHECK(r.fs.nr == 1))
		goto out;
	f = &r.fs.v[0];
	CHECK(str_eq(f->check, "splitsafe-boot") && f->boot_kind == BOOT_FORBIDDEN);
	CHECK(!f->suppressed && f->phase == EARLY);
	CHECK(f->sink == node(&r, "split_leaf") && f->entry == node(&r, "start_kernel"));
	CHECK(f->entry_how == BOOT_ROOT && f->entry_phase == EARLY && f->reg == -1);
	/* the root's call into shared code is the warning's place */
	CHECK(f->warn_hop == 0 && f->nr_hops == 2);
	if (f->nr_hops == 2)
		CHECK(f->hops[0].func == node(&r, "start_kernel") && f->hops[0].call == 0 &&
		      f->hops[1].func == node(&r, "setup") && f->hops[1].call == 0 &&
		      f->hop_phase[0] == EARLY && f->hop_phase[1] == EARLY);
out:
	done(&r);
}

/* start_kernel() -> mem_init(), then setup(): setup() runs in final */
static void test_after_transition(void)
{
	struct fact_tu t;
	struct fact_func *sk;
	struct run r;

	hand_tu(&t, "/t/init/main.c");
	sk = hand_func(&t, "start_kernel", NULL, 10);
	hand_call(&t, sk, "mem_init");
	hand_call(&t, sk, "setup")->dom = 0;
	add_sink(&t);
	run(&t, &r);
	CHECK(r.fs.nr == 0);
	CHECK(boot_call_phase(&r.b, node(&r, "start_kernel"), 0, EARLY) == FINAL);
	CHECK(boot_call_phase(&r.b, node(&r, "start_kernel"), 1, EARLY) == FINAL);
	CHECK(r.b.phases[node(&r, "setup")] == bit(FINAL));
	CHECK(r.b.phases[node(&r, "split_leaf")] == bit(FINAL));
	done(&r);

	/* without the dominator the call may come first: early again */
	hand_tu(&t, "/t/init/main.c");
	sk = hand_func(&t, "start_kernel", NULL, 10);
	hand_call(&t, sk, "mem_init");
	hand_call(&t, sk, "setup");
	add_sink(&t);
	run(&t, &r);
	CHECK(r.fs.nr == 1 && r.fs.v[0].phase == EARLY && !r.fs.v[0].suppressed);
	done(&r);
}

/* A boot check keeps start_kernel()'s call of setup() to final. */
static void test_checked_call(void)
{
	struct fact_tu t;
	struct run r;

	hand_tu(&t, "/t/init/main.c");
	hand_call(&t, hand_func(&t, "start_kernel", NULL, 10), "setup")->phases =
		bit(FINAL);
	add_sink(&t);
	run(&t, &r);
	CHECK(r.fs.nr == 0);
	CHECK(boot_call_phase(&r.b, node(&r, "start_kernel"), 0, EARLY) == -1);
	/* what no call reaches runs at run time, from nowhere */
	CHECK(r.b.phases[node(&r, "setup")] == bit(FINAL));
	CHECK(boot_state(&r.b, node(&r, "setup"), FINAL) &&
	      boot_state(&r.b, node(&r, "setup"), FINAL)->how == BOOT_RUNTIME);
	done(&r);
}

/* start_kernel() -> early_init() (__init) -> setup(): the finding is
 * where boot-only code calls shared code, past the root. */
static void test_boot_only(void)
{
	struct fact_tu t;
	struct fact_func *f;
	struct run r;

	hand_tu(&t, "/t/init/main.c");
	hand_call(&t, hand_func(&t, "start_kernel", NULL, 10), "early_init");
	f = hand_func(&t, "early_init", NULL, 20);
	f->boot_only = 1;
	hand_call(&t, f, "setup");
	add_sink(&t);
	run(&t, &r);
	if (!CHECK(r.fs.nr == 1))
		goto out;
	CHECK(r.fs.v[0].entry == node(&r, "start_kernel") && !r.fs.v[0].suppressed);
	CHECK(r.fs.v[0].nr_hops == 3 && r.fs.v[0].warn_hop == 1 &&
	      r.fs.v[0].hops[1].func == node(&r, "early_init") &&
	      r.fs.v[0].hops[2].func == node(&r, "setup"));
out:
	done(&r);
}

/* A spinlock taken in start_kernel(): atomic, but only in early, which
 * the rules exempt; taken in a function run later, reported. */
static void test_exempt(void)
{
	struct fact_tu t;
	struct fact_func *f;
	struct run r;
	struct findings fs = { 0 };
	int i, early = -1, late = -1;

	hand_tu(&t, "/t/init/main.c");
	f = hand_func(&t, "start_kernel", NULL, 10);
	hand_held(hand_call(&t, f, "setup"),
		  hand_site(f, hand_context(R, "spinlock"), "l", "spin_lock"));
	f = hand_func(&t, "later", NULL, 30);
	hand_held(hand_call(&t, f, "setup"),
		  hand_site(f, hand_context(R, "spinlock"), "l", "spin_lock"));
	add_sink(&t);
	run(&t, &r);
	CHECK(r.b.phases[node(&r, "later")] == bit(FINAL));
	atomic_check(&r.g, SINKS_RULES, &r.b, &fs);
	CHECK(fs.nr == 2);
	for (i = 0; i < fs.nr; i++) {
		if (fs.v[i].entry == node(&r, "start_kernel"))
			early = i;
		if (fs.v[i].entry == node(&r, "later"))
			late = i;
	}
	CHECK(early >= 0 && fs.v[early].suppressed && fs.v[early].exempt);
	CHECK(late >= 0 && !fs.v[late].suppressed && !fs.v[late].exempt);
	findings_release(&fs);
	done(&r);
}

/*
 * start_kernel() calling setup() -> realm_check() and detect_realm(), in
 * that order or (set_first) the other, the second after the first on
 * every path if dominated.
 */
static void realm_boot(struct fact_tu *t, int set_first, int dominated)
{
	struct fact_func *sk;

	hand_tu(t, "/t/init/main.c");
	sk = hand_func(t, "start_kernel", NULL, 10);
	hand_call(t, sk, set_first ? "detect_realm" : "setup");
	hand_call(t, sk, set_first ? "setup" : "detect_realm")->dom =
		dominated ? 0 : -1;
	hand_call(t, hand_func(t, "setup", NULL, 30), "realm_check");
}

/* Read in setup(), set after it: a finding, parting in the root. */
static void test_read_before_set(void)
{
	struct fact_tu t;
	struct run r;
	const struct finding *f;

	realm_boot(&t, 0, 1);
	run(&t, &r);
	if (!CHECK(r.fs.nr == 1))
		goto out;
	f = &r.fs.v[0];
	CHECK(str_eq(f->check, "splitsafe-order") && f->order_rule == 0);
	CHECK(f->sink == node(&r, "realm_check") &&
	      f->entry == node(&r, "start_kernel") && f->phase == EARLY);
	/* placed at the root's call into shared code */
	CHECK(f->warn_hop == 0 && f->nr_hops == 2 && f->order_hop == 0 &&
	      f->order_set_call == 1);
out:
	done(&r);
}

/* Once detect_realm() has run, on every path, reads are fine. */
static void test_read_after_set(void)
{
	struct fact_tu t;
	struct fact_func *sk, *arch;
	struct run r;

	realm_boot(&t, 1, 1);
	run(&t, &r);
	CHECK(r.fs.nr == 0);
	done(&r);

	/* set inside a callee that always calls it: the same */
	hand_tu(&t, "/t/init/main.c");
	sk = hand_func(&t, "start_kernel", NULL, 10);
	hand_call(&t, sk, "arch_setup");
	hand_call(&t, sk, "setup")->dom = 0;
	arch = hand_func(&t, "arch_setup", NULL, 20);
	hand_call(&t, arch, "detect_realm");
	arch->exit_dom = 0;
	hand_call(&t, hand_func(&t, "setup", NULL, 30), "realm_check");
	run(&t, &r);
	CHECK(r.fs.nr == 0);
	done(&r);

	/* without the dominator setup() may come first: a finding */
	realm_boot(&t, 1, 0);
	run(&t, &r);
	CHECK(r.fs.nr == 1 && str_eq(r.fs.v[0].check, "splitsafe-order"));
	done(&r);
}

int main(void)
{
	R = hand_rules();
	EARLY = rules_phase_index(R, "early");
	FINAL = rules_phase_index(R, "final");
	CHECK(EARLY == 0 && FINAL == 1);
	test_early();
	test_after_transition();
	test_checked_call();
	test_boot_only();
	test_exempt();
	test_read_before_set();
	test_read_after_set();
	rules_free(R);
	return check_status("test_boot");
}
