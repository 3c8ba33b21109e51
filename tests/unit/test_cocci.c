/*
 * test_cocci.c: reading what extract-facts.cocci prints (cocci_parse()):
 * registrations by call and by macro, with the rules' callback argument,
 * match pattern and context-if; struct field stores; and lines that are
 * not facts splitsafe can use.
 */
#include <stdio.h>
#include <string.h>

#include "cocci/cocci_facts.h"

#ifndef SPLITSAFE_RULES_DIR
#error "SPLITSAFE_RULES_DIR must name the rules/ directory"
#endif

#include "check.h"


static struct rules *R;

static int parse(struct fact_tu *tu, const char *text, struct ss_err *err)
{
	memset(tu, 0, sizeof(*tu));
	return cocci_parse(tu, text, R, err);
}

static void test_registrations(void)
{
	struct fact_tu tu;
	struct ss_err err;

	CHECK(parse(&tu,
		"REG\trequest_threaded_irq\t/x/a.c\t10\t2\t7 , cb_irq , cb_thread , 0 , \"cb\" , NULL\n"
		"REG\ttimer_setup\t/x/a.c\t11\t2\t& t , cb_timer , 0\n"
		/* the callback is not a name: a parameter passed on, an expression */
		"REG\tcall_rcu\t/x/a.c\t12\t2\t& h , ops -> free\n"
		/* a STARTING state only */
		"REG\tcpuhp_setup_state\t/x/a.c\t13\t2\tCPUHP_AP_ONLINE_DYN , \"x\" , cb_on , NULL\n"
		"REG\tcpuhp_setup_state\t/x/a.c\t14\t2\tCPUHP_AP_X_STARTING , \"x\" , cb_start , NULL\n"
		/* a function the rules do not know */
		"REG\tprintk\t/x/a.c\t15\t2\t\"%s\" , cb_x\n"
		"REG\thrtimer_setup\t/x/a.c\t16\t2\t& t , cb_soft , 1 , HRTIMER_MODE_REL_SOFT\n"
		"REG\thrtimer_setup\t/x/a.c\t17\t2\t& t , cb_hard , 1 , HRTIMER_MODE_REL\n"
		"MACRO\tearly_initcall\t/x/a.c\t20\t1\tcb_early\n"
		"MACRO\tearly_param\t/x/a.c\t21\t1\t\"a,b\" , cb_param\n"
		/* a declarer the rules do not register with */
		"MACRO\tEXPORT_SYMBOL\t/x/a.c\t22\t1\tcb_irq\n"
		/* a macro name used as a call is no macro registration */
		"REG\tearly_initcall\t/x/a.c\t23\t1\tcb_y\n", &err) == 0);
	CHECK(tu.nr_regs == 7);
	if (tu.nr_regs == 7) {
		CHECK(str_eq(tu.regs[0].callback, "cb_irq") && tu.regs[0].cocci &&
		      tu.regs[0].how == HOW_CALL && tu.regs[0].loc.line == 10 &&
		      tu.regs[0].loc.col == 2 && str_eq(tu.regs[0].loc.file, "/x/a.c") &&
		      str_eq(tu.regs[0].rule->context->kind, "hardirq"));
		CHECK(str_eq(tu.regs[1].callback, "cb_timer") &&
		      str_eq(tu.regs[1].rule->as, "a timer callback"));
		CHECK(str_eq(tu.regs[2].callback, "cb_start") &&
		      tu.regs[2].rule->phases && tu.regs[2].loc.line == 14);
		CHECK(str_eq(tu.regs[3].callback, "cb_soft") && tu.regs[3].alt);
		CHECK(str_eq(tu.regs[4].callback, "cb_hard") && !tu.regs[4].alt);
		CHECK(str_eq(tu.regs[5].callback, "cb_early") &&
		      tu.regs[5].how == HOW_MACRO);
		CHECK(str_eq(tu.regs[6].callback, "cb_param") &&
		      tu.regs[6].how == HOW_MACRO);
	}
	facts_tu_release(&tu);
}

static void test_stores(void)
{
	struct fact_tu tu;
	struct ss_err err;

	CHECK(parse(&tu,
		"STORE\tinit\tcb_ops\trelease\tcb_release_a\t/x/o.c\t20\t45\n"
		"STORE\tassign\thrtimer\tfunction\tcb_hrtimer\t/x/o.c\t30\t20\n"
		/* not a function name */
		"STORE\tinit\tcb_ops\tname\t\"a\"\t/x/o.c\t20\t10\n", &err) == 0);
	CHECK(tu.nr_stores == 2);
	if (tu.nr_stores == 2) {
		CHECK(str_eq(tu.stores[0].key, "F:c:@S@cb_ops@FI@release") &&
		      str_eq(tu.stores[0].func, "cb_release_a") &&
		      tu.stores[0].how == HOW_DESIGNATED && tu.stores[0].cocci &&
		      !tu.stores[0].func_file && !tu.stores[0].from);
		CHECK(str_eq(tu.stores[1].key, "F:c:@S@hrtimer@FI@function") &&
		      tu.stores[1].how == HOW_ASSIGN && tu.stores[1].loc.line == 30);
	}
	facts_tu_release(&tu);

	/* what spatch prints besides facts is not read */
	CHECK(parse(&tu, "warning: something\n\ninit_defs_builtins: /usr/lib/x\n",
		    &err) == 0 && !tu.nr_regs && !tu.nr_stores);
	facts_tu_release(&tu);
}

static void test_bad_lines(void)
{
	struct fact_tu tu;
	struct ss_err err;

	CHECK(parse(&tu, "STORE\tinit\tcb_ops\trelease\n", &err) == -1 &&
	      str_eq(err.msg, "spatch printed a bad STORE line"));
	facts_tu_release(&tu);
	CHECK(parse(&tu, "STORE\tcopy\ta\tb\tc\t/x\t1\t1\n", &err) == -1);
	facts_tu_release(&tu);
	CHECK(parse(&tu, "REG\tcall_rcu\t/x/a.c\t12\n", &err) == -1 &&
	      str_eq(err.msg, "spatch printed a REG line with 4 fields"));
	facts_tu_release(&tu);
	CHECK(parse(&tu, "REG\tcall_rcu\t/x/a.c\tx12\t2\t& h , f\n", &err) == -1 &&
	      str_eq(err.msg, "spatch printed a bad line number 'x12'"));
	facts_tu_release(&tu);
}

int main(void)
{
	struct ss_err err;

	if (rules_load(&R, SPLITSAFE_RULES_DIR "/arm64-split.yaml", &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	test_registrations();
	test_stores();
	test_bad_lines();
	rules_free(R);
	return check_status("test_cocci");
}
