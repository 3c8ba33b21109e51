/*
 * test_rules.c: the rule-file loader.  Loads the default rules and the
 * 6.12 rules (both built from included files) and asks what they say about
 * well-known kernel names, loads a small file that exercises the corners
 * of the schema and a small tree of files that exercises include:, and
 * checks that each broken file under bad-rules/ (bad-rules/include/ for
 * broken sets of files) fails with its message at the right file, line
 * and column.  Run from tests/unit (the bad-rules/ paths are relative).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/rules.h"

#ifndef SPLITSAFE_RULES_DIR
#error "SPLITSAFE_RULES_DIR must name the rules/ directory"
#endif

#include "check.h"


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

static phase_mask phase(const struct rules *r, const char *name)
{
	int i = rules_phase_index(r, name);

	return i < 0 ? 0 : (phase_mask)(1u << i);
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

	/* Now from kernel-common.yaml and arm64-facts.yaml. */
	CHECK(str_eq(r->establish[0].function, "__kernel_map_pages") &&
	      str_eq(r->establish[1].function, "kfence_protect_page"));
	n = lookup(r, "vm_unmap_aliases");
	CHECK(n && n->sleeper && !n->sink);
	CHECK(!rules_lookup(r, "apply_to_page_range"));

	rules_free(r);
}

/* Linux 6.12: no split_kernel_leaf_mapping(), the same facts. */
static void test_rules_6_12(void)
{
	const char *path = SPLITSAFE_RULES_DIR "/arm64-split-6.12.yaml";
	struct ss_err err = { "" };
	struct rules *r = NULL;
	const struct rules_name *n;
	fact_mask pte, kfence;

	if (!CHECK(rules_load(&r, path, &err) == 0)) {
		printf("  %s\n", err.msg);
		return;
	}
	CHECK(str_eq(r->name, "arm64-split-6.12"));
	CHECK(str_eq(r->path, path));
	CHECK(str_eq(r->gfp_type, "gfp_t"));
	CHECK(str_eq(r->guard_constructor, "class_%s_constructor"));
	CHECK(r->nr_contexts == 9 && r->nr_facts == 2 && r->nr_sinks == 2 &&
	      r->nr_establish == 2 && r->nr_predicates == 0);
	pte = fact(r, "pte-mapped");
	kfence = fact(r, "kfence-address");
	CHECK(pte && kfence);

	n = lookup(r, "apply_to_page_range");
	CHECK(n && n->sink && n->sink == &r->sinks[0] &&
	      str_eq(n->sink->why,
		     "may allocate page tables with GFP_PGTABLE_KERNEL") &&
	      n->sink->nr_sleeps_at == 0 && n->sink->safe_when == pte &&
	      !n->sleeper);
	n = lookup(r, "vm_unmap_aliases");
	CHECK(n && n->sink && n->sink == &r->sinks[1] &&
	      str_eq(n->sink->why, "takes vmap_purge_lock") &&
	      n->sink->nr_sleeps_at == 0 &&	/* sleeps in a callee */
	      n->sink->safe_when == 0 && n->sleeper);
	CHECK(!rules_lookup(r, "split_kernel_leaf_mapping"));
	CHECK(!rules_lookup(r, "force_pte_mapping"));

	n = lookup(r, "kfence_protect_page");
	CHECK(n && n->establish && n->establish->facts == (pte | kfence));
	n = lookup(r, "__kernel_map_pages");
	CHECK(n && n->establish && n->establish->facts == pte &&
	      str_eq(n->establish->because,
		     "DEBUG_PAGEALLOC forces a pte-mapped linear map"));
	n = lookup(r, "mutex_lock");
	CHECK(n && n->sleeper && !n->sleeps_at);
	n = rules_guard_constructor(r, "class_rcu_constructor");
	CHECK(n && str_eq(n->context->kind, "rcu"));
	n = lookup(r, "kfence_handle_page_fault");
	CHECK(n && n->entry && str_eq(n->entry->kind, "exception"));

	rules_free(r);
}

/*
 * The boot model of arm64-boot.yaml, which both arm64 rule files include:
 * the phases in boot order, where the walk starts, the calls that move it
 * on, the checks whose value each phase decides, and the registrations.
 */
static void check_boot_model(const struct rules *r)
{
	static const char *const names[] = {
		"early", "booting", "single", "secondary", "final",
	};
	const struct rules_boot *b = &r->boot;
	const struct rules_name *n;
	phase_mask early, booting, single, secondary, final, before;
	char buf[64];
	int i;

	if (!CHECK(b->nr_phases == 5))
		return;
	for (i = 0; i < 5; i++) {
		CHECK(str_eq(b->phases[i].name, names[i]));
		CHECK(rules_phase_index(r, names[i]) == i);
	}
	CHECK(str_eq(b->phases[0].means, "page allocator not yet available"));
	CHECK(str_eq(b->phases[3].means, "secondary CPUs starting, system "
					 "capabilities not finalized"));
	CHECK(str_eq(b->phases[4].means, "system capabilities finalized"));
	for (i = 0; i < 4; i++)
		CHECK(str_eq(b->phases[i].reached,
			     "before system capabilities are finalized"));
	/* final has no reached: of its own: the loader words one */
	CHECK(str_eq(b->phases[4].reached, "in boot phase 'final'"));
	CHECK(rules_phase_index(r, "run-time") == -1);
	CHECK(rules_phase_index(r, "Early") == -1);

	early = phase(r, "early");
	booting = phase(r, "booting");
	single = phase(r, "single");
	secondary = phase(r, "secondary");
	final = phase(r, "final");
	before = early | booting | single | secondary;
	CHECK(early == 1 && final == 16);

	CHECK(b->nr_roots == 3 && str_eq(b->roots[0].function, "start_kernel"));
	n = lookup(r, "start_kernel");
	CHECK(n && n->boot_root && n->boot_root->phases == early &&
	      str_eq(n->boot_root->function, "start_kernel") &&
	      !n->transition && !n->boot_pred && !n->boot_only);
	n = lookup(r, "kernel_init");
	CHECK(n && n->boot_root && n->boot_root->phases == single);
	n = lookup(r, "secondary_start_kernel");
	CHECK(n && n->boot_root && n->boot_root->phases == (secondary | final));

	CHECK(b->nr_transitions == 3);
	n = lookup(r, "mem_init");
	CHECK(n && n->transition && n->transition->enters &&
	      n->transition->phase == 1 && !n->boot_root);
	n = lookup(r, "smp_init");
	CHECK(n && n->transition && n->transition->enters &&
	      n->transition->phase == 3);
	n = lookup(r, "apply_alternatives_all");
	CHECK(n && n->transition && !n->transition->enters &&
	      n->transition->phase == 4 &&
	      str_eq(n->transition->function, "apply_alternatives_all"));

	CHECK(b->nr_preds == 7);
	n = lookup(r, "system_capabilities_finalized");
	CHECK(n && n->boot_pred && n->boot_pred->true_in == final &&
	      n->boot_pred->false_in == before &&
	      !n->boot_pred->leaky_in && !n->boot_pred->compare &&
	      !n->boot_pred->leak && !n->boot_pred->misleading);
	n = lookup(r, "page_alloc_available");
	CHECK(n && n->boot_pred &&
	      n->boot_pred->true_in == (booting | single | secondary | final) &&
	      n->boot_pred->false_in == early);
	n = lookup(r, "slab_is_available");
	CHECK(n && n->boot_pred && n->boot_pred->false_in == early &&
	      n->boot_pred->true_in == (booting | single | secondary | final));
	n = lookup(r, "num_online_cpus");
	CHECK(n && n->boot_pred && str_eq(n->boot_pred->compare, "> 1") &&
	      n->boot_pred->true_in == 0 &&
	      n->boot_pred->false_in == (early | booting | single) &&
	      n->boot_pred->leaky_in == secondary &&
	      n->boot_pred->leak &&
	      strstr(n->boot_pred->leak, "before set_cpu_online()") &&
	      !n->boot_pred->misleading);
	n = lookup(r, "cpus_read_trylock");
	CHECK(n && n->boot_pred && n->boot_pred->false_in == secondary &&
	      n->boot_pred->true_in == 0 && !n->boot_pred->leaky_in &&
	      n->boot_pred->closes &&
	      strstr(n->boot_pred->closes, "holds the CPU-hotplug lock"));
	CHECK(!lookup(r, "num_online_cpus")->boot_pred->closes);
	n = lookup(r, "system_supports_bbml2_noabort");
	CHECK(n && n->boot_pred && n->boot_pred->true_in == 0 &&
	      n->boot_pred->false_in == before && !n->boot_pred->leaky_in &&
	      n->boot_pred->misleading &&
	      strstr(n->boot_pred->misleading,
		     "reads false until apply_alternatives_all() patches it"));
	n = lookup(r, "split_leaf_mapping_possible");
	CHECK(n && n->boot_pred && n->boot_pred->misleading &&
	      n->boot_pred->false_in == before);

	CHECK(b->nr_valid_from == 1);
	n = lookup(r, "is_realm_world");
	CHECK(n && n->valid_from && n->valid_from == &b->valid_from[0] &&
	      str_eq(n->valid_from->set_by, "arm64_rsi_init") &&
	      n->valid_from->set_by == lookup(r, "arm64_rsi_init")->name &&
	      strstr(n->valid_from->because, "asks the firmware"));
	CHECK(b->exempt == (early | booting));
	CHECK(b->exempt_because && strstr(b->exempt_because, "might_sleep()"));
	n = lookup(r, "__init");
	CHECK(n && n->boot_only && !n->registration && !n->boot_root);
	CHECK(!rules_lookup(r, "__initdata"));

	/* 4 in arm64-boot.yaml, 19 in kernel-callbacks.yaml */
	CHECK(r->nr_registrations == 23);
	n = lookup(r, "DEFINE_TIMER");
	CHECK(n && n->registration && n->registration->is_macro &&
	      n->registration->callback == 2 && n->registration->nr_names == 1 &&
	      str_eq(n->registration->context->kind, "softirq"));
	n = lookup(r, "timer_setup");
	CHECK(n && n->registration && n->registration == lookup(r, "init_timer_key")->registration &&
	      n->registration == lookup(r, "timer_init_key")->registration &&
	      n->registration->nr_names == 6 &&
	      str_eq(n->registration->names[0], "timer_setup"));
	n = lookup(r, "hrtimer.function");
	CHECK(n && n->registration && n->registration->nr_fields == 1 &&
	      str_eq(n->registration->fields[0], "hrtimer.function") &&
	      !n->registration->callback && !n->registration->is_macro &&
	      n->registration->context &&
	      str_eq(n->registration->context->kind, "hardirq") &&
	      !n->registration->phases);
	n = lookup(r, "tasklet_struct.callback");
	CHECK(n && n->registration && n->registration->nr_fields == 2 &&
	      str_eq(n->registration->fields[0], "tasklet_struct.func"));
	n = lookup(r, "init_timer_key");
	CHECK(n && n->registration && n->registration->callback == 2 &&
	      str_eq(n->registration->context->kind, "softirq") &&
	      str_eq(n->registration->as, "a timer callback"));
	n = lookup(r, "hrtimer_setup");
	CHECK(n && n->registration && n->registration->callback == 2 &&
	      str_eq(n->registration->context->kind, "hardirq") &&
	      n->registration->alt_arg == 4 &&
	      str_eq(n->registration->alt_match, "*SOFT*") &&
	      str_eq(n->registration->alt_context->kind, "softirq"));
	n = lookup(r, "stop_machine");
	CHECK(n && n->registration && n->registration->callback == 1 &&
	      str_eq(n->registration->context->kind, "irqs-off"));
	n = lookup(r, "early_initcall");
	CHECK(n && n->registration && n->registration->is_macro &&
	      n->registration->callback == 1 &&
	      n->registration->phases == single &&
	      str_eq(n->registration->as, "an early initcall") &&
	      n->registration->match_arg == 0 && !n->registration->match &&
	      !n->registration->context);
	n = lookup(r, "module_init");
	CHECK(n && n->registration && n->registration->is_macro &&
	      n->registration->callback == 1 &&
	      n->registration->phases == final &&
	      str_eq(n->registration->as, "an initcall"));
	CHECK(n && rules_lookup(r, "late_initcall_sync") &&
	      rules_lookup(r, "late_initcall_sync")->registration ==
	      n->registration);
	n = lookup(r, "early_param");
	CHECK(n && n->registration && n->registration->is_macro &&
	      n->registration->callback == 2 &&
	      n->registration->phases == early &&
	      str_eq(n->registration->as, "an early parameter handler"));
	n = lookup(r, "cpuhp_setup_state_nocalls");
	CHECK(n && n->registration && !n->registration->is_macro &&
	      n->registration->callback == 3 &&
	      n->registration->match_arg == 1 &&
	      str_eq(n->registration->match, "*_STARTING") &&
	      n->registration->phases == (secondary | final) &&
	      n->registration->context &&
	      str_eq(n->registration->context->kind, "irqs-off") &&
	      n->registration->context ==
	      r->contexts[n->registration->context->index] &&
	      str_eq(n->registration->as, "a CPU-hotplug STARTING callback"));
	CHECK(!rules_lookup(r, "cpuhp_remove_state"));

	CHECK(str_eq(rules_phase_names(r, early | secondary | final, buf,
				       sizeof(buf)),
		     "early, secondary, final"));
	CHECK(str_eq(rules_phase_names(r, b->exempt, buf, sizeof(buf)),
		     "early, booting"));
	CHECK(str_eq(rules_phase_names(r, 0, buf, sizeof(buf)), ""));
	/* whole names only, as for facts */
	CHECK(str_eq(rules_phase_names(r, early | booting, buf, 14), "early"));
	CHECK(str_eq(rules_phase_names(r, early | booting, buf, 15),
		     "early, booting"));
	CHECK(str_eq(rules_phase_names(r, early, buf, 5), ""));
}

static void test_boot_model(void)
{
	const char *path = SPLITSAFE_RULES_DIR "/arm64-split.yaml";
	struct ss_err err = { "" };
	struct rules *r = NULL;
	const struct rules_name *n;

	if (!CHECK(rules_load(&r, path, &err) == 0)) {
		printf("  %s\n", err.msg);
		return;
	}
	check_boot_model(r);
	n = lookup(r, "split_kernel_leaf_mapping");
	CHECK(n && n->sink &&
	      n->sink->boot_forbidden == (phase(r, "early") |
					  phase(r, "secondary")));
	n = lookup(r, "arch_kfence_init_pool");
	CHECK(n && n->sink && n->sink->boot_forbidden == 0);
	/* a guard predicate of the sink and a boot check at once */
	n = lookup(r, "split_leaf_mapping_possible");
	CHECK(n && n->predicate && n->boot_pred);
	rules_free(r);

	/* the 6.12 rules include the same model */
	path = SPLITSAFE_RULES_DIR "/arm64-split-6.12.yaml";
	if (!CHECK(rules_load(&r, path, &err) == 0)) {
		printf("  %s\n", err.msg);
		return;
	}
	check_boot_model(r);
	n = lookup(r, "apply_to_page_range");
	CHECK(n && n->sink && n->sink->boot_forbidden == 0);
	n = lookup(r, "split_leaf_mapping_possible");
	CHECK(n && !n->predicate && n->boot_pred);
	rules_free(r);

	/* the base of bad-rules/include/boot-twice.yaml is fine alone */
	path = "bad-rules/include/boot-base.yaml";
	if (!CHECK(rules_load(&r, path, &err) == 0)) {
		printf("  %s\n", err.msg);
		return;
	}
	CHECK(r->boot.nr_phases == 2 && r->boot.nr_roots == 0 &&
	      r->boot.exempt == 0 && r->nr_registrations == 0);
	CHECK(r->boot.nr_phases == 2 &&
	      str_eq(r->boot.phases[0].reached, "in boot phase 'early'"));
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

	/* no boot: section: no phases, and no phase has a name */
	CHECK(r->boot.nr_phases == 0 && r->nr_registrations == 0);
	CHECK(rules_phase_index(r, "early") == -1);
	CHECK(str_eq(rules_phase_names(r, 3, buf, sizeof(buf)), ""));

	rules_free(r);
}

/*
 * A tree of files in a temporary directory: top.yaml includes
 * sub/locks.yaml (which includes ../common.yaml) and, by absolute path,
 * facts.yaml (which includes common.yaml again: it counts once).  The
 * content order is common, sub/locks, facts, top.
 */
static const char include_common[] =
	"splitsafe-rules: 1\n"
	"contexts:\n"
	"  - kind: base\n"
	"    reached-with: base\n"
	"    entered-here: base here\n"
	"    acquire: [base_on]\n"
	"facts:\n"
	"  - name: shared\n";

static const char include_locks[] =
	"splitsafe-rules: 1\n"
	"name: locks\n"			/* top.yaml's name wins */
	"include: ../common.yaml\n"
	"contexts:\n"
	"  - kind: lock\n"
	"    reached-with: \"holding {lock}\"\n"
	"    entered-here: \"{lock} taken\"\n"
	"    lock-argument: 1\n"
	"    acquire: [lock_on]\n"
	"    guard-classes: [lock]\n"		/* constructor from top.yaml */
	"entry-contexts:\n"
	"  - kind: irq\n"
	"    reached-with: in irq\n"
	"    entered-here: \"{function}() is an irq handler\"\n"
	"    functions: [irq_fn]\n"
	"sleepers:\n"
	"  gfp-type: gfp_t\n"
	"  functions: [lock_sleep]\n";

static const char include_facts[] =
	"splitsafe-rules: 1\n"
	"include: [common.yaml]\n"
	"facts:\n"
	"  - name: other\n"
	"establish:\n"
	"  - function: maker\n"
	"    facts: [local]\n";		/* declared in top.yaml */

static const char include_top[] =	/* %s: the directory */
	"splitsafe-rules: 1\n"
	"name: top\n"
	"include:\n"
	"  - sub/locks.yaml\n"
	"  - %s/facts.yaml\n"
	"guard-constructor: \"g_%%s\"\n"
	"facts:\n"
	"  - name: local\n"
	"    implies: [shared]\n"
	"contexts:\n"
	"  - kind: top\n"
	"    reached-with: top\n"
	"    entered-here: top here\n"
	"    acquire: [top_on]\n"
	"sleepers:\n"
	"  gfp-type: gfp_t\n"		/* the same again: no conflict */
	"  functions: [top_sleep]\n"
	"sinks:\n"
	"  - function: top_sink\n"
	"    why: w\n"
	"    safe-when: [shared]\n";

static const char include_noname[] =
	"splitsafe-rules: 1\n"
	"include: facts.yaml\n"
	"facts:\n"
	"  - name: local\n";

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return 0;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

static void test_include_tree(void)
{
	char dir[] = "/tmp/test_rules-XXXXXX";
	char path[PATH_MAX], top[2048];
	static const char *const files[] = {
		"top.yaml", "noname.yaml", "facts.yaml", "common.yaml",
		"sub/locks.yaml",
	};
	struct ss_err err = { "" };
	struct rules *r = NULL;
	const struct rules_name *n;
	fact_mask shared, other, local;
	size_t i;

	if (!CHECK(mkdtemp(dir)))
		return;
	snprintf(path, sizeof(path), "%s/sub", dir);
	snprintf(top, sizeof(top), include_top, dir);
	if (!CHECK(mkdir(path, 0700) == 0 &&
		   write_file(dir, "common.yaml", include_common) &&
		   write_file(dir, "sub/locks.yaml", include_locks) &&
		   write_file(dir, "facts.yaml", include_facts) &&
		   write_file(dir, "noname.yaml", include_noname) &&
		   write_file(dir, "top.yaml", top)))
		goto out;

	snprintf(path, sizeof(path), "%s/top.yaml", dir);
	if (!CHECK(rules_load(&r, path, &err) == 0)) {
		printf("  %s\n", err.msg);
		goto out;
	}
	CHECK(str_eq(r->name, "top"));
	CHECK(str_eq(r->path, path));
	CHECK(str_eq(r->gfp_type, "gfp_t"));
	CHECK(str_eq(r->guard_constructor, "g_%s"));

	CHECK(r->nr_facts == 3);
	shared = fact(r, "shared");
	other = fact(r, "other");
	local = fact(r, "local");
	CHECK(shared == 1 && other == 2 && local == 4);
	CHECK(r->facts[2].implies == (local | shared) && r->facts[2].line == 8);

	CHECK(r->nr_contexts == 4);
	CHECK(r->nr_contexts == 4 &&
	      str_eq(r->contexts[0]->kind, "base") &&
	      str_eq(r->contexts[1]->kind, "lock") &&
	      str_eq(r->contexts[2]->kind, "top") &&
	      str_eq(r->contexts[3]->kind, "irq") &&
	      r->contexts[3]->is_entry && r->contexts[3]->index == 3 &&
	      r->contexts[1]->line == 5 && r->contexts[2]->line == 11);
	n = lookup(r, "base_on");
	CHECK(n && n->effect == RULES_ACQUIRE && n->context == r->contexts[0]);
	n = rules_guard_constructor(r, "g_lock");
	CHECK(n && n->effect == RULES_GUARD_CLASS &&
	      n->context == r->contexts[1]);
	n = lookup(r, "irq_fn");
	CHECK(n && n->entry == r->contexts[3]);
	n = lookup(r, "lock_sleep");
	CHECK(n && n->sleeper);
	n = lookup(r, "top_sleep");
	CHECK(n && n->sleeper);

	n = lookup(r, "maker");
	CHECK(n && n->establish && n->establish->facts == (local | shared) &&
	      r->nr_establish == 1);
	n = lookup(r, "top_sink");
	CHECK(n && n->sink && n->sink->safe_when == shared &&
	      r->nr_sinks == 1 && r->nr_predicates == 0);
	rules_free(r);
	r = NULL;

	/* No name of its own: the first one given, here none at all. */
	snprintf(path, sizeof(path), "%s/noname.yaml", dir);
	if (CHECK(rules_load(&r, path, &err) == 0)) {
		CHECK(r->name == NULL && r->nr_facts == 3 &&
		      rules_fact_index(r, "local") == 2);
		rules_free(r);
		r = NULL;
	} else {
		printf("  %s\n", err.msg);
	}
	snprintf(path, sizeof(path), "%s/sub/locks.yaml", dir);
	CHECK(rules_load(&r, path, &err) == -1 &&
	      strstr(err.msg, "sub/locks.yaml:10:5: guard-classes needs"));

out:
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	CHECK(rmdir(dir) == 0);
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

/* The boot model and registrations: exactly this message at line:col. */
static const struct bad_case boot_cases[] = {
	{ "include/boot-twice.yaml", 4, 3,
	  "'boot' given twice (first in bad-rules/include/boot-base.yaml)" },
	{ "boot-one-phase.yaml", 4, 5,
	  "expected 2 to 8 boot phases, found 1" },
	{ "boot-nine-phases.yaml", 4, 5,
	  "expected 2 to 8 boot phases, found 9" },
	{ "duplicate-phase.yaml", 9, 13, "duplicate boot phase 'early'" },
	{ "unknown-root-phase.yaml", 12, 23,
	  "unknown boot phase 'secondary'" },
	{ "unknown-true-in-phase.yaml", 10, 17,
	  "unknown boot phase 'finale'" },
	{ "unknown-forbidden-phase.yaml", 11, 29,
	  "unknown boot phase 'secondary'" },
	{ "forbidden-without-boot.yaml", 5, 21,
	  "'boot-forbidden' needs the boot phases (boot: phases:)" },
	{ "transition-enters-and-after.yaml", 13, 7,
	  "transition 'apply_alternatives_all' has both 'enters' and 'after'" },
	{ "transition-without-phase.yaml", 9, 7,
	  "transition 'apply_alternatives_all' needs one of 'enters' or "
	  "'after'" },
	{ "duplicate-root.yaml", 14, 17,
	  "duplicate boot root 'start_kernel' (first at line 9)" },
	{ "boot-predicate-two-values.yaml", 11, 7,
	  "boot predicate 'page_alloc_available' has two values in one "
	  "phase" },
	{ "leaky-without-leak.yaml", 11, 7,
	  "boot predicate 'num_online_cpus': leaky-in and leak go together" },
	{ "closes-without-value.yaml", 14, 15,
	  "boot predicate 'cpu_window_probe' closes no phase: 'closes' needs "
	  "true-in or false-in, and no 'misleading'" },
	{ "valid-from-itself.yaml", 10, 15,
	  "'realm_probe' cannot set its own value" },
	{ "bad-compare.yaml", 10, 16,
	  "compare must be an operator and a number, as in '> 1'" },
	{ "exempt-run-time.yaml", 11, 13,
	  "the run-time phase 'final' cannot be exempt" },
	{ "registration-functions-and-macros.yaml", 9, 5,
	  "a registration needs one of 'functions', 'macros' or 'fields'" },
	{ "registration-without-names.yaml", 13, 5,
	  "a registration needs one of 'functions', 'macros' or 'fields'" },
	{ "callback-zero.yaml", 10, 15,
	  "callback must be an argument number from 1" },
	{ "unknown-registration-context.yaml", 16, 14,
	  "unknown context 'irq-off'" },
	{ "registration-without-phases.yaml", 9, 5,
	  "a registration needs phases or a context" },
	{ "registers-twice.yaml", 13, 30,
	  "'module_init' registers twice (first at line 9)" },
	{ "unknown-boot-key.yaml", 8, 3, "unknown key 'root' in boot" },
};

/*
 * Sets of files under bad-rules/include/: loading file fails in the file
 * in (file itself if NULL) at line:col, with a message containing phrase.
 */
static const struct include_case {
	const char *file, *in;
	int line, col;
	const char *phrase;
} include_cases[] = {
	{ "missing-include.yaml", NULL, 3, 22,
	  "cannot open 'no-such-file.yaml': No such file or directory" },
	{ "cycle-a.yaml", "cycle-b.yaml", 4, 5,
	  "include cycle through 'cycle-a.yaml'" },
	{ "cycle-b.yaml", "cycle-a.yaml", 2, 10,
	  "include cycle through 'cycle-b.yaml'" },
	{ "self-include.yaml", NULL, 2, 22,
	  "include cycle through './self-include.yaml'" },
	{ "include-mapping.yaml", NULL, 4, 5,
	  "expected a file name for 'include', found a mapping" },
	{ "include-directory.yaml", NULL, 2, 10,
	  "cannot read 'inner': not a regular file" },
	{ "conflicting-roles.yaml", NULL, 7, 29,
	  "conflicting roles for 'spin_lock_irq': acquire of 'spinlock' at "
	  "bad-rules/include/base.yaml:8, acquire of 'myspin' here" },
	{ "duplicate-kind.yaml", NULL, 4, 11,
	  "duplicate context kind 'spinlock' "
	  "(first at bad-rules/include/base.yaml:4)" },
	{ "duplicate-sink.yaml", NULL, 4, 15,
	  "duplicate sink 'split_kernel_leaf_mapping' "
	  "(first at bad-rules/include/base.yaml:15)" },
	{ "guard-conflict.yaml", NULL, 3, 20,
	  "conflicting values for 'guard-constructor': 'class_%s_constructor' "
	  "at bad-rules/include/base.yaml:2, 'guard_%s' here" },
	{ "gfp-type-conflict.yaml", NULL, 4, 13,
	  "conflicting values for 'gfp-type': 'gfp_t' at "
	  "bad-rules/include/base.yaml:10, 'gfp_flags_t' here" },
	{ "inner-unknown-fact.yaml", "inner/unknown-fact.yaml", 4, 17,
	  "unknown fact 'pte-maped'" },
	{ "inner-syntax-error.yaml", "inner/syntax-error.yaml", 5, 1,
	  "while scanning a quoted scalar at line 4" },
	{ "inner-no-version.yaml", "inner/no-version.yaml", 2, 1,
	  "missing required key 'splitsafe-rules' at top level" },
	{ "inner-wrong-version.yaml", "inner/wrong-version.yaml", 1, 18,
	  "unsupported rules version 2" },
	{ "inner-includes-missing.yaml", "inner/includes-missing.yaml", 2, 10,
	  "cannot open '../no-such-file.yaml': No such file or directory" },
};

/* Something no loader would store: to see that *out is left alone. */
static struct rules *const untouched = (struct rules *)&passed;

/*
 * Loading path fails at in:line:col with a message containing phrase, or
 * that is phrase if exact.
 */
static void check_bad(const char *path, const char *in, int line, int col,
		      const char *phrase, int exact)
{
	struct ss_err err = { "" };
	struct rules *r = untouched;
	char prefix[600];
	int ok;

	snprintf(prefix, sizeof(prefix), "%s:%d:%d: ", in, line, col);
	CHECK(rules_load(&r, path, &err) == -1);
	CHECK(r == untouched);
	ok = CHECK(!strncmp(err.msg, prefix, strlen(prefix)));
	if (exact)
		ok &= CHECK(!strncmp(err.msg, prefix, strlen(prefix)) &&
			    str_eq(err.msg + strlen(prefix), phrase));
	else
		ok &= CHECK(strstr(err.msg, phrase) != NULL);
	if (!ok)
		printf("  %s: got \"%s\"\n", path, err.msg);
	if (r != untouched)
		rules_free(r);
}

static void test_bad_rules(void)
{
	char path[256], in[256];
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];

		snprintf(path, sizeof(path), "bad-rules/%s", bc->file);
		check_bad(path, path, bc->line, bc->col, bc->phrase, 0);
	}
	for (i = 0; i < sizeof(include_cases) / sizeof(include_cases[0]); i++) {
		const struct include_case *ic = &include_cases[i];

		snprintf(path, sizeof(path), "bad-rules/include/%s", ic->file);
		snprintf(in, sizeof(in), "bad-rules/include/%s",
			 ic->in ? ic->in : ic->file);
		check_bad(path, in, ic->line, ic->col, ic->phrase, 0);
	}
	for (i = 0; i < sizeof(boot_cases) / sizeof(boot_cases[0]); i++) {
		const struct bad_case *bc = &boot_cases[i];

		snprintf(path, sizeof(path), "bad-rules/%s", bc->file);
		check_bad(path, path, bc->line, bc->col, bc->phrase, 1);
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
	CHECK(str_eq(err.msg, "cannot read 'bad-rules': not a regular file"));
	CHECK(r == untouched);
	CHECK(rules_load(&r, "bad-rules/empty.yaml", NULL) == -1);
	rules_free(NULL);
}

/* A sink added at run time; the sinks loaded keep theirs. */
static void test_assume_sleeps(void)
{
	const char *path = SPLITSAFE_RULES_DIR "/arm64-split.yaml";
	struct ss_err err = { "" };
	struct rules *r = NULL;
	const struct rules_name *n, *k;
	char buf[128];
	int nr;

	if (!CHECK(rules_load(&r, path, &err) == 0))
		return;
	nr = r->nr_sinks;
	CHECK(!rules_lookup(r, "fixture_counter"));
	rules_assume_sleeps(r, "fixture_counter", "assumed");
	n = rules_lookup(r, "fixture_counter");
	CHECK(n && n->sleeper && n->sink && str_eq(n->sink->why, "assumed") &&
	      str_eq(n->sink->function, "fixture_counter") &&
	      !n->sink->nr_sleeps_at && !n->sink->boot_forbidden);
	CHECK(r->nr_sinks == nr + 1 && n->sink == &r->sinks[nr]);
	k = rules_lookup(r, "split_kernel_leaf_mapping");
	CHECK(k && k->sink == &r->sinks[0] && k->sink->nr_sleeps_at == 2 &&
	      k->sink->boot_forbidden);
	/* a sink already: only a sleeper besides */
	rules_assume_sleeps(r, "split_kernel_leaf_mapping", "assumed");
	CHECK(r->nr_sinks == nr + 1 && k->sleeper &&
	      !str_eq(k->sink->why, "assumed"));
	/* a known name keeps its other roles */
	rules_assume_sleeps(r, "spin_lock", "assumed");
	n = rules_lookup(r, "spin_lock");
	CHECK(n && n->sleeper && n->sink && n->effect == RULES_ACQUIRE);
	CHECK(str_eq(rules_expand(buf, sizeof(buf), "'{lock}' in {function}()",
				  "l", "f"), "'l' in f()"));
	CHECK(str_eq(rules_expand(buf, 6, "{function} runs", NULL, "abcdefgh"),
		     "abcde"));
	rules_free(r);
}

int main(void)
{
	test_default_rules();
	test_rules_6_12();
	test_boot_model();
	test_mini_rules();
	test_include_tree();
	test_bad_rules();
	test_missing_file();
	test_assume_sleeps();
	return check_status("test_rules");
}
