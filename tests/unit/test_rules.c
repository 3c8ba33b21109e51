/*
 * test_rules.c: the rule-file loader.  Loads the default rules and asks
 * what they say about well-known kernel names, loads a small file that
 * exercises the corners of the schema, and checks that each broken file
 * under bad-rules/ fails with its message at the right line and column.
 * Run from tests/unit (the bad-rules/ paths are relative).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"

#ifndef SPLITSAFE_RULES_DIR
#error "SPLITSAFE_RULES_DIR must name the rules/ directory"
#endif

static int passed, failed;

#define CHECK(expr) check(!!(expr), #expr, __FILE__, __LINE__)

static int check(int ok, const char *expr, const char *file, int line)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("%s:%d: check failed: %s\n", file, line, expr);
	}
	return ok;
}

static int str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static const struct rules_name *lookup(const struct rules *r, const char *name)
{
	const struct rules_name *n = rules_lookup(r, name);

	if (!n)
		printf("  (no rules for '%s')\n", name);
	return n;
}

static fact_mask fact(const struct rules *r, const char *name)
{
	int i = rules_fact_index(r, name);

	return i < 0 ? 0 : (fact_mask)1 << i;
}

static void test_default_rules(void)
{
	const char *path = SPLITSAFE_RULES_DIR "/arm64-split.yaml";
	struct ss_err err = { "" };
	struct rules *r = NULL;
	const struct rules_name *n;
	char buf[64];

	if (!CHECK(rules_load(&r, path, &err) == 0)) {
		printf("  %s\n", err.msg);
		return;
	}
	CHECK(str_eq(r->name, "arm64-split"));
	CHECK(str_eq(r->path, path));
	CHECK(str_eq(r->gfp_type, "gfp_t"));
	CHECK(str_eq(r->guard_constructor, "class_%s_constructor"));
	CHECK(r->nr_contexts == 9);
	CHECK(str_eq(r->contexts[0]->kind, "spinlock"));
	CHECK(!r->contexts[5]->is_entry && r->contexts[6]->is_entry);
	CHECK(str_eq(r->contexts[6]->kind, "softirq"));
	CHECK(r->contexts[6]->index == 6);

	n = lookup(r, "_raw_spin_lock_irqsave");
	CHECK(n && n->effect == RULES_ACQUIRE && n->context &&
	      str_eq(n->context->kind, "spinlock") &&
	      n->context->lock_arg == 1 && !n->entry);
	n = lookup(r, "spin_trylock");
	CHECK(n && n->effect == RULES_TRY_ACQUIRE &&
	      str_eq(n->context->kind, "spinlock"));
	n = lookup(r, "rcu_read_unlock");
	CHECK(n && n->effect == RULES_RELEASE &&
	      str_eq(n->context->kind, "rcu") && n->context->lock_arg == 0);
	n = lookup(r, "read_lock");
	CHECK(n && n->effect == RULES_ACQUIRE &&
	      str_eq(n->context->kind, "rwlock"));

	n = rules_guard_constructor(r, "class_spinlock_irqsave_constructor");
	CHECK(n && n->effect == RULES_GUARD_CLASS &&
	      str_eq(n->context->kind, "spinlock"));
	n = rules_guard_constructor(r, "class_read_lock_constructor");
	CHECK(n && n->effect == RULES_GUARD_CLASS &&
	      str_eq(n->context->kind, "rwlock"));
	CHECK(!rules_lookup(r, "spinlock_irqsave"));
	CHECK(!rules_guard_constructor(r, "spinlock_irqsave"));
	CHECK(!rules_guard_constructor(r, "class_spin_lock_constructor"));

	n = lookup(r, "net_rx_action");
	CHECK(n && n->entry && str_eq(n->entry->kind, "softirq") &&
	      n->entry->is_entry && !n->context &&
	      n->effect == RULES_EFFECT_NONE);

	n = lookup(r, "split_kernel_leaf_mapping");
	CHECK(n && n->sink && str_eq(n->sink->function, n->name) &&
	      str_eq(n->sink->why, "takes pgtable_split_lock") &&
	      n->sink->nr_sleeps_at == 2 &&
	      str_eq(n->sink->sleeps_at[0], "mutex_lock") &&
	      str_eq(n->sink->sleeps_at[1], "mutex_lock_nested") &&
	      n->sink->safe_when == 0);
	CHECK(r->nr_sinks == 2 && r->nr_predicates == 5 &&
	      r->nr_establish == 2 && r->nr_facts == 2);

	n = lookup(r, "force_pte_mapping");
	CHECK(n && n->predicate && (n->predicate->when_true &
				    fact(r, "pte-mapped")) &&
	      n->predicate->when_false == 0);
	n = lookup(r, "split_leaf_mapping_possible");
	CHECK(n && n->predicate && n->predicate->when_true == 0 &&
	      n->predicate->when_false == fact(r, "pte-mapped"));

	n = lookup(r, "kfence_protect_page");
	CHECK(n && n->establish &&
	      (n->establish->facts & fact(r, "kfence-address")) &&
	      (n->establish->facts & fact(r, "pte-mapped")) &&
	      str_eq(n->establish->because,
		     "KFENCE only changes permissions of its own pool"));
	CHECK(rules_fact_index(r, "kfence-address") >= 0 &&
	      r->facts[rules_fact_index(r, "kfence-address")].implies ==
	      (fact(r, "kfence-address") | fact(r, "pte-mapped")));
	CHECK(r->facts[rules_fact_index(r, "pte-mapped")].implies ==
	      fact(r, "pte-mapped"));
	CHECK(rules_fact_index(r, "no-such-fact") == -1);
	CHECK(str_eq(rules_fact_names(r, n->establish->facts, buf,
				      sizeof(buf)),
		     "pte-mapped, kfence-address"));

	n = lookup(r, "GFP_KERNEL");
	CHECK(n && n->gfp_sleep_flag && !n->sleeper && !n->context);
	n = lookup(r, "mutex_lock");
	CHECK(n && n->sleeper && n->sleeps_at && !n->sink && !n->context);
	n = lookup(r, "msleep");
	CHECK(n && n->sleeper && !n->sleeps_at);
	CHECK(!rules_lookup(r, "no_such_function"));

	rules_free(r);
}

/* A small file for what the default rules do not use. */
static const char mini_rules[] =
	"splitsafe-rules: 1\n"
	"name: mini\n"
	"guard-constructor: \"guard_%s_init\"\n"
	"facts:\n"
	"  - name: a\n"
	"    implies: [b]\n"		/* b and c come later */
	"  - name: b\n"
	"    implies:\n"
	"      - c\n"
	"  - name: c\n"
	"  - name: d\n"
	"    implies: [e]\n"		/* d and e imply each other */
	"  - name: e\n"
	"    implies: [d]\n"
	"contexts:\n"
	"  - kind: lockish\n"
	"    reached-with: \"holding {lock}\"\n"
	"    entered-here: \"{lock} taken in {function}\"\n"
	"    lock-argument: 2\n"
	"    acquire:\n"
	"      - take\n"
	"    try-acquire: []\n"
	"    release: [drop]\n"
	"    guard-classes:\n"
	"      - lockish\n"
	"  - kind: plain\n"
	"    reached-with: plain\n"
	"    entered-here: plain here\n"
	"    acquire: [plain_on]\n"
	"entry-contexts:\n"
	"  - kind: irq\n"
	"    reached-with: in irq\n"
	"    entered-here: \"{function}() is an irq handler\"\n"
	"    functions: [my_handler]\n"
	"sleepers:\n"
	"  functions: [nap]\n"
	"  gfp-flags: [GFP_NAP]\n"
	"establish:\n"
	"  - function: maker\n"
	"    facts: [a]\n"
	"predicates:\n"
	"  - name: is_b\n"
	"    when-false: [b]\n"
	"sinks:\n"
	"  - function: sinky\n"
	"    why: naps\n"
	"    sleeps-at: [nap, doze]\n"
	"    safe-when: [a, d]\n";

static void test_mini_rules(void)
{
	char path[] = "/tmp/test_rules-XXXXXX";
	struct ss_err err = { "" };
	struct rules *r = NULL;
	const struct rules_name *n;
	fact_mask a, b, c, d, e;
	char buf[64];
	int fd = mkstemp(path);

	if (!CHECK(fd >= 0))
		return;
	if (!CHECK(write(fd, mini_rules, sizeof(mini_rules) - 1) ==
		   (ssize_t)sizeof(mini_rules) - 1)) {
		close(fd);
		unlink(path);
		return;
	}
	close(fd);
	CHECK(rules_load(&r, path, &err) == 0);
	unlink(path);
	if (!r) {
		printf("  %s\n", err.msg);
		return;
	}

	CHECK(r->nr_facts == 5);
	a = fact(r, "a");
	b = fact(r, "b");
	c = fact(r, "c");
	d = fact(r, "d");
	e = fact(r, "e");
	CHECK(a == 1 && e == 16);
	CHECK(r->facts[0].implies == (a | b | c));
	CHECK(r->facts[1].implies == (b | c));
	CHECK(r->facts[2].implies == c);
	CHECK(r->facts[3].implies == (d | e));
	CHECK(r->facts[4].implies == (d | e));
	CHECK(r->facts[1].line == 7);

	CHECK(r->nr_contexts == 3);
	CHECK(r->contexts[0]->lock_arg == 2 && r->contexts[1]->lock_arg == 0);
	CHECK(r->contexts[2]->is_entry && r->contexts[2]->index == 2);
	CHECK(r->contexts[0]->line == 16 && r->contexts[2]->line == 31);
	n = lookup(r, "take");
	CHECK(n && n->effect == RULES_ACQUIRE && n->context == r->contexts[0]);
	n = lookup(r, "drop");
	CHECK(n && n->effect == RULES_RELEASE && n->context == r->contexts[0]);
	n = rules_guard_constructor(r, "guard_lockish_init");
	CHECK(n && n->effect == RULES_GUARD_CLASS &&
	      n->context == r->contexts[0]);
	CHECK(!rules_lookup(r, "lockish"));
	CHECK(!rules_lookup(r, "guard_lockish_init"));
	n = lookup(r, "my_handler");
	CHECK(n && n->entry == r->contexts[2] && !n->context);

	n = lookup(r, "nap");
	CHECK(n && n->sleeper && n->sleeps_at);
	n = lookup(r, "doze");
	CHECK(n && !n->sleeper && n->sleeps_at);
	n = lookup(r, "GFP_NAP");
	CHECK(n && n->gfp_sleep_flag);
	CHECK(r->gfp_type == NULL);

	n = lookup(r, "maker");
	CHECK(n && n->establish && n->establish->facts == (a | b | c) &&
	      n->establish->because == NULL);
	n = lookup(r, "is_b");
	CHECK(n && n->predicate && n->predicate->when_true == 0 &&
	      n->predicate->when_false == (b | c));
	n = lookup(r, "sinky");
	CHECK(n && n->sink && n->sink->safe_when == (a | d) &&
	      n->sink->nr_sleeps_at == 2 &&
	      str_eq(n->sink->sleeps_at[1], "doze"));

	CHECK(str_eq(rules_fact_names(r, a | c | e, buf, sizeof(buf)),
		     "a, c, e"));
	CHECK(str_eq(rules_fact_names(r, 0, buf, sizeof(buf)), ""));
	CHECK(str_eq(rules_fact_names(r, a | c, buf, 4), "a"));
	CHECK(str_eq(rules_fact_names(r, a | c, buf, 5), "a, c"));

	rules_free(r);
}

/* Each file fails at line:col with a message that contains phrase. */
static const struct bad_case {
	const char *file;
	int line, col;
	const char *phrase;
} bad_cases[] = {
	{ "syntax-error.yaml", 5, 20, "did not find expected key" },
	{ "invalid-utf8.yaml", 2, 12, "invalid trailing UTF-8 octet" },
	{ "empty.yaml", 1, 1, "empty rules file" },
	{ "not-a-mapping.yaml", 1, 1, "expected a mapping" },
	{ "missing-version.yaml", 2, 1,
	  "missing required key 'splitsafe-rules'" },
	{ "wrong-version.yaml", 2, 18, "unsupported rules version 2" },
	{ "unknown-top-key.yaml", 3, 1, "unknown key 'sink' at top level" },
	{ "duplicate-key.yaml", 3, 1, "duplicate key 'name' (first at line 2)" },
	{ "unknown-context-key.yaml", 7, 5,
	  "unknown key 'acquires' in context" },
	{ "scalar-for-sequence.yaml", 6, 14,
	  "expected a sequence for 'acquire', found a scalar" },
	{ "negative-lock-argument.yaml", 6, 20, "lock-argument must be" },
	{ "lock-without-argument.yaml", 4, 19, "no lock-argument" },
	{ "unknown-fact.yaml", 6, 29, "unknown fact 'kfence-adress'" },
	{ "duplicate-kind.yaml", 10, 11,
	  "duplicate context kind 'rcu' (first at line 3)" },
	{ "conflicting-roles.yaml", 14, 9,
	  "conflicting roles for 'spin_lock_irq': acquire of 'spinlock' at line 7" },
	{ "acquire-and-release.yaml", 7, 33,
	  "conflicting roles for 'local_irq_save'" },
	{ "guard-without-constructor.yaml", 7, 5,
	  "needs a top-level guard-constructor" },
	{ "bad-guard-pattern.yaml", 2, 20, "guard-constructor must contain" },
	{ "too-many-facts.yaml", 19, 5, "too many facts (at most 16)" },
	{ "missing-key.yaml", 5, 5, "missing required key 'why' in sink" },
	{ "duplicate-sink.yaml", 6, 15,
	  "duplicate sink 'split_kernel_leaf_mapping' (first at line 3)" },
	{ "duplicate-predicate.yaml", 7, 11,
	  "duplicate predicate 'force_pte_mapping'" },
	{ "predicate-without-when.yaml", 3, 5,
	  "needs when-true or when-false" },
};

/* Something no loader would store: to see that *out is left alone. */
static struct rules *const untouched = (struct rules *)&passed;

static void test_bad_rules(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct ss_err err = { "" };
		struct rules *r = untouched;
		char path[256], prefix[300];
		int ok;

		snprintf(path, sizeof(path), "bad-rules/%s", bc->file);
		snprintf(prefix, sizeof(prefix), "%s:%d:%d: ", path, bc->line,
			 bc->col);
		CHECK(rules_load(&r, path, &err) == -1);
		CHECK(r == untouched);
		ok = CHECK(!strncmp(err.msg, prefix, strlen(prefix)));
		ok &= CHECK(strstr(err.msg, bc->phrase) != NULL);
		if (!ok)
			printf("  %s: got \"%s\"\n", bc->file, err.msg);
		if (r != untouched)
			rules_free(r);
	}
}

static void test_missing_file(void)
{
	struct ss_err err = { "" };
	struct rules *r = untouched;

	CHECK(rules_load(&r, "bad-rules/does-not-exist.yaml", &err) == -1);
	CHECK(r == untouched);
	CHECK(str_eq(err.msg, "cannot open 'bad-rules/does-not-exist.yaml': "
			      "No such file or directory"));
	CHECK(rules_load(&r, "bad-rules", &err) == -1);
	CHECK(str_eq(err.msg, "cannot read 'bad-rules': Is a directory"));
	CHECK(r == untouched);
	CHECK(rules_load(&r, "bad-rules/empty.yaml", NULL) == -1);
	rules_free(NULL);
}

int main(void)
{
	test_default_rules();
	test_mini_rules();
	test_bad_rules();
	test_missing_file();
	printf("test_rules: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
