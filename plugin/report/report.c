/*
 * report.c: the text reporter (see report.h).  Each finding is rendered
 * into one block of lines; blocks are sorted by their first line and
 * identical blocks printed once, so output does not depend on the order in
 * which the analysis found them.
 */
#include "report/report.h"
#include "report/block.h"
#include "check/group.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* "num_online_cpus() > 1", "page_alloc_available" */
static void check_text(char *buf, size_t size, const struct fact_check *c)
{
	snprintf(buf, size, "%s%s%s%s", c->pred->name, c->is_call ? "()" : "",
		 c->pred->compare ? " " : "",
		 c->pred->compare ? c->pred->compare : "");
}

/* Why a path is safe: who establishes which fact, and the sink's guard
 * (or the rules' safe-when) that fact meets. */
static void guard_notes(struct block *b, const struct graph *g,
			const struct compdb *db, const struct finding *f,
			const char *sink)
{
	const struct rules *r = g->rules;
	const struct g_func *k = &g->funcs[f->sink];

	if (f->guard_by >= 0) {
		const struct g_func *gb = &g->funcs[f->guard_by];
		char facts[256];

		rules_fact_names(r, f->facts, facts, sizeof(facts));
		block_loc(b, db, &gb->loc);
		block_add(b, "note: safe: %s() establishes %s: %s\n", gb->name, facts,
		    gb->rules && gb->rules->establish &&
		    gb->rules->establish->because ? gb->rules->establish->because : "");
	}
	if (f->guard_index >= 0) {
		const struct fact_guard *gd = &k->guards[f->guard_index];

		block_loc(b, db, &gd->loc);
		block_add(b, "note: safe: %s returns early when %s%s()\n", sink,
		    gd->negated ? "!" : "", gd->predicate);
	} else if (k->rules && k->rules->sink && k->rules->sink->safe_when) {
		char facts[256];

		rules_fact_names(r, k->rules->sink->safe_when, facts, sizeof(facts));
		block_loc(b, db, &k->loc);
		block_add(b, "note: safe: %s does not sleep when %s (rules)\n", sink, facts);
	}
}

/*
 * The group a reported finding stands for (or, with --all-paths, is one
 * of), at the call that is the group's cause.
 */
static void group_note(struct block *b, const struct graph *g,
		       const struct compdb *db, const struct finding *f,
		       const struct report_opts *o)
{
	const struct hop *h = &f->hops[f->cause_hop];
	const struct g_call *c = &g->funcs[h->func].calls[h->call];
	const char *what = f->phase >= 0 ? "boot call sites" : "places in atomic context";
	char sink[512], phases[256] = "", list[200];
	int caller, callee;

	if (f->group < 0 || f->group_size < 2)
		return;
	/* a boot group in more than one phase says which */
	if (f->group_phases & (f->group_phases - 1)) {
		rules_phase_names(g->rules, f->group_phases, list, sizeof(list));
		snprintf(phases, sizeof(phases), " (phases %s)", list);
	}
	group_cause(g, f, &caller, &callee);
	block_sink_name(sink, sizeof(sink), &g->funcs[f->sink]);
	block_loc(b, db, &c->loc);
	if (o->all_paths)
		block_add(b, "note: one of %d %s%s that reach %s through %s() -> %s()\n",
		    f->group_size, what, phases, sink, g->funcs[caller].name,
		    g->funcs[callee].name);
	else
		block_add(b, "note: %d %s%s reach %s through %s() -> %s(); this is the "
		    "shortest chain (--all-paths lists every one)\n", f->group_size,
		    what, phases, sink, g->funcs[caller].name, g->funcs[callee].name);
}

/* Why a suppressed boot path needs no work: an idle function, or a guard. */
static void safe_notes(struct block *b, const struct graph *g,
		       const struct compdb *db, const struct finding *f,
		       const char *sink)
{
	const struct g_func *fn;

	if (f->idle_by < 0) {
		guard_notes(b, g, db, f, sink);
		return;
	}
	fn = &g->funcs[f->idle_by];
	block_loc(b, db, &fn->loc);
	block_add(b, "note: safe: %s() has nothing to do in phase %s: %s\n", fn->name,
	    g->rules->boot.phases[f->idle_phase].name, fn->rules->idle->because);
}

/* Where the sink does its work: "which sleeps here: mutex_lock(...)". */
static void work_note(struct block *b, const struct graph *g,
		      const struct compdb *db, const struct g_func *k,
		      const char *does)
{
	const struct g_call *c;

	if (k->sleep_call < 0)
		return;
	c = &k->calls[k->sleep_call];
	block_loc(b, db, &c->loc);
	block_add(b, "note: which %s here: %s\n", does,
	    c->text ? c->text : g->funcs[c->callee].name);
}

/* The check a boot finding's notes speak of, or NULL. */
static const struct fact_check *noted_check(const struct graph *g,
					    const struct finding *f)
{
	const struct g_func *nf;

	if (f->note_func < 0 || f->note_check < 0)
		return NULL;
	nf = &g->funcs[f->note_func];
	return &nf->checks[f->note_check];
}

/* "true" or "false": what check c's predicate is in phase p. */
static const char *holds_in(const struct fact_check *c, int p)
{
	return (c->pred->true_in & (1u << p)) ? "true" : "false";
}

/* The call a boot finding's warning stands at. */
static const struct fact_loc *boot_warn_loc(const struct graph *g,
					    const struct finding *f)
{
	const struct hop *h = &f->hops[f->warn_hop];

	return &g->funcs[h->func].calls[h->call].loc;
}

/* "sink() reached ..., where it WARNs (phase P: ...) [check]" */
static void boot_warning(struct block *b, const struct graph *g,
			 const struct finding *f, const struct fact_check *chk,
			 const char *sink)
{
	const struct rules_phase *ph = &g->rules->boot.phases[f->phase];

	if (f->boot_kind == BOOT_WARNS)
		block_add(b, "%s reached %s, where it WARNs%s%s (phase %s: %s) [%s]\n",
		    sink, ph->reached, chk && chk->fails ? " and fails with " : "",
		    chk && chk->fails ? chk->fails : "", ph->name, ph->means,
		    f->check);
	else
		block_add(b, "%s reached %s%s (phase %s: %s) [%s]\n", sink, ph->reached,
		    f->boot_kind == BOOT_MISLED ?
		    ", where it returns without doing its work" : "",
		    ph->name, ph->means, f->check);
}

/* The notes of a sink a misleading check sends back without its work. */
static void misled_notes(struct block *b, const struct graph *g,
			 const struct compdb *db, const struct finding *f,
			 const struct report_opts *o,
			 const struct fact_check *chk, const char *sink)
{
	if (chk) {
		block_loc(b, db, &chk->loc);
		block_add(b, "note: returns early here without doing its work: %s\n",
		    chk->pred->misleading);
	}
	group_note(b, g, db, f, o);
	if (f->suppressed && (f->guard_by >= 0 || f->idle_by >= 0)) {
		b->why_first = b->nr_lines;
		safe_notes(b, g, db, f, sink);
	}
}

/* The notes of a sink an assertion stops: it WARNs, the request fails. */
static void warns_notes(struct block *b, const struct graph *g,
			const struct compdb *db, const struct finding *f,
			const struct report_opts *o,
			const struct fact_check *chk, const char *sink)
{
	const char *phase = g->rules->boot.phases[f->phase].name;
	char text[256];

	check_text(text, sizeof(text), chk);
	block_loc(b, db, &chk->loc);
	block_add(b, "note: %s() fires here in phase %s, where %s is %s: %s "
	    "returns %s and its caller's request fails\n", chk->assertion,
	    phase, text, holds_in(chk, f->phase), sink,
	    chk->fails ? chk->fails : "early");
	group_note(b, g, db, f, o);
	if (!f->suppressed)
		return;
	b->why_first = b->nr_lines;
	if (!block_accepted_note(b, db, boot_warn_loc(g, f), f) &&
	    (f->guard_by >= 0 || f->idle_by >= 0))
		safe_notes(b, g, db, f, sink);
}

/* The leaky check that the closing check (text) stands in for. */
static void closed_leak_note(struct block *b, const struct compdb *db,
			     const struct fact_check *leaky,
			     const char *closing)
{
	char text[256];

	check_text(text, sizeof(text), leaky);
	block_loc(b, db, &leaky->loc);
	block_add(b, "note: %s closes the window %s leaves open: %s\n", closing,
	    text, leaky->pred->leak);
}

/* Why a suppressed boot path of a sink that works is safe. */
static void works_safe_notes(struct block *b, const struct graph *g,
			     const struct compdb *db, const struct finding *f,
			     const struct fact_check *chk, const char *sink)
{
	char text[256];

	if (f->guard_by >= 0 || f->idle_by >= 0) {
		safe_notes(b, g, db, f, sink);
		return;
	}
	if (!chk)
		return;
	check_text(text, sizeof(text), chk);
	block_loc(b, db, &chk->loc);
	block_add(b, "note: safe: %s returns early in phase %s, where %s is %s%s%s\n",
	    sink, g->rules->boot.phases[f->phase].name, text,
	    holds_in(chk, f->phase), chk->pred->closes ? ": " : "",
	    chk->pred->closes ? chk->pred->closes : "");
	if (f->open_check >= 0)
		closed_leak_note(b, db,
				 &g->funcs[f->note_func].checks[f->open_check],
				 text);
}

/* The notes of a sink that does its work in a phase it must not. */
static void works_notes(struct block *b, const struct graph *g,
			const struct compdb *db, const struct finding *f,
			const struct report_opts *o,
			const struct fact_check *chk, const char *sink)
{
	char text[256];

	if (f->suppressed)
		b->why_first = b->nr_lines;
	if (block_accepted_note(b, db, boot_warn_loc(g, f), f))
		return;
	if (f->suppressed) {
		works_safe_notes(b, g, db, f, chk, sink);
		return;
	}
	work_note(b, g, db, &g->funcs[f->sink], "does its work");
	if (chk) {
		check_text(text, sizeof(text), chk);
		block_loc(b, db, &chk->loc);
		block_add(b, "note: %s does not close this window: %s\n", text,
		    chk->pred->leak);
	}
	group_note(b, g, db, f, o);
}

/* A boot finding: the warning, where the chain starts, the chain, and
 * the notes its kind calls for. */
static void render_boot(struct block *b, const struct graph *g,
			const struct compdb *db, const struct finding *f,
			const struct report_opts *o)
{
	const struct fact_check *chk = noted_check(g, f);
	char sink[512];

	block_sink_name(sink, sizeof(sink), &g->funcs[f->sink]);
	block_start(b, db, boot_warn_loc(g, f), f);
	boot_warning(b, g, f, chk, sink);
	b->flow_first = b->nr_lines;
	block_entry_note(b, g, db, f, o);
	block_hops(b, g, db, f);
	b->flow_end = b->nr_lines;
	if (f->boot_kind == BOOT_MISLED)
		misled_notes(b, g, db, f, o, chk, sink);
	else if (f->boot_kind == BOOT_WARNS && chk)
		warns_notes(b, g, db, f, o, chk, sink);
	else
		works_notes(b, g, db, f, o, chk, sink);
}

/* A finding only a semantic patch made: one function, no chain. */
static void render_cocci(struct block *b, const struct compdb *db,
			 const struct finding *f)
{
	block_start(b, db, &f->cocci_loc, f);
	block_add(b, "%s [%s]\n", f->cocci_msg, f->check);
	block_loc(b, db, &f->cocci_loc);
	block_add(b, "note: found by Coccinelle only (%s): one function, no chain "
	    "across files; lower confidence\n", f->cocci_patch);
	if (f->suppressed)
		b->why_first = b->nr_lines;
	block_accepted_note(b, db, &f->cocci_loc, f);
}

/*
 * A function on the way that sleeps itself: atomic context is a bug there
 * already, and the chain may be one the kernel never takes (a free that
 * only happens elsewhere); the path is reported all the same.
 */
static void sleeper_note(struct block *b, const struct graph *g,
			 const struct compdb *db, const struct finding *f)
{
	const struct g_func *sl;
	char why[600] = "the rules list it among the sleepers";

	if (f->sleeper < 0)
		return;
	sl = &g->funcs[f->sleeper];
	if (f->sleeps_by >= 0 && f->sleeps_by != f->sleeper) {
		const struct g_func *by = &g->funcs[f->sleeps_by];

		if (by->is_gfp)
			snprintf(why, sizeof(why), "it allocates with %s", by->gfp_flag);
		else
			snprintf(why, sizeof(why), "it calls %s()", by->name);
	}
	block_loc(b, db, &sl->loc);
	block_add(b, "note: on the way %s() may sleep itself (%s): it is a bug in "
	    "this context already\n", sl->name, why);
}

/* Where the finding's context is entered in its entry, or NULL. */
static const struct g_site *entry_site(const struct graph *g,
				       const struct finding *f)
{
	const struct g_func *e = &g->funcs[f->entry];

	return f->site >= 0 ? &e->sites[f->site] : NULL;
}

/* A text of the finding's context in the rules, with its lock and its
 * entry filled in: "with spinlock 'l' held". */
static const char *context_text(char *buf, size_t size, const struct graph *g,
				const struct finding *f, const char *tmpl)
{
	const struct g_site *site = entry_site(g, f);

	return rules_expand(buf, size, tmpl, site ? site->key : NULL,
			    g->funcs[f->entry].name);
}

/* " (takes a mutex)": why the sink sleeps, or "". */
static const char *sleep_why(char *buf, size_t size, const struct g_func *k)
{
	*buf = '\0';
	if (k->rules && k->rules->sink)
		snprintf(buf, size, " (%s)", k->rules->sink->why);
	else if (k->is_gfp)
		snprintf(buf, size, " (allocates with %s)", k->gfp_flag);
	return buf;
}

/* Where the context starts: a registration that makes the entry run in
 * it, an assertion, or the site that enters it (the entry itself when
 * none does). */
static void context_note(struct block *b, const struct graph *g,
			 const struct compdb *db, const struct finding *f,
			 const char *with)
{
	const struct g_func *e = &g->funcs[f->entry];
	const struct g_site *site = entry_site(g, f);
	char here[512];

	if (!site && f->reg >= 0) {
		const struct g_reg *reg = &g->regs[f->reg];

		block_loc(b, db, &reg->loc);
		block_add(b, "note: %s() runs %s: registered as %s here%s\n",
		    e->name, with, reg->rule->as,
		    reg->src == SRC_COCCI ? " (seen by Coccinelle only)" : "");
	} else if (site && site->is_assert) {
		block_loc(b, db, &site->loc);
		block_add(b, "note: %s() asserts it runs %s\n", site->prim, with);
	} else {
		context_text(here, sizeof(here), g, f,
			     g->rules->contexts[f->context]->entered_here);
		block_loc(b, db, site ? &site->loc : &e->loc);
		block_add(b, "note: %s\n", here);
	}
}

/* Why a suppressed path in atomic context is safe: its entry runs only
 * in boot phases the rules exempt, or a guard. */
static void atomic_safe_notes(struct block *b, const struct graph *g,
			      const struct compdb *db, const struct finding *f,
			      const struct report_opts *o, const char *sink)
{
	const struct g_func *e = &g->funcs[f->entry];
	char phases[256];

	if (!f->exempt) {
		guard_notes(b, g, db, f, sink);
		return;
	}
	rules_phase_names(g->rules, block_phases_of(o, f->entry), phases,
			  sizeof(phases));
	block_loc(b, db, &e->loc);
	block_add(b, "note: safe: %s() runs only in boot phases %s: %s\n",
	    e->name, phases, g->rules->boot.exempt_because);
}

/* A sink reached in atomic context: the warning at the entry's first call
 * of the chain, where the context starts, the chain, what sleeps, and
 * why it is safe if it is suppressed. */
static void render(struct block *b, const struct graph *g,
		   const struct compdb *db, const struct finding *f,
		   const struct report_opts *o)
{
	const struct g_func *k = &g->funcs[f->sink], *e = &g->funcs[f->entry];
	const struct fact_loc *first = &e->calls[f->hops[0].call].loc;
	char sink[512], with[512], why[512];

	block_sink_name(sink, sizeof(sink), k);
	context_text(with, sizeof(with), g, f,
		     g->rules->contexts[f->context]->reached_with);
	block_start(b, db, first, f);
	block_add(b, "%s may sleep%s but is reached %s [%s]\n", sink,
	    sleep_why(why, sizeof(why), k), with, f->check);
	b->flow_first = b->nr_lines;
	context_note(b, g, db, f, with);
	block_hops(b, g, db, f);
	b->flow_end = b->nr_lines;
	work_note(b, g, db, k, "sleeps");
	sleeper_note(b, g, db, f);
	if (f->cocci_patch) {
		block_loc(b, db, first);
		block_add(b, "note: also found by Coccinelle (%s)\n", f->cocci_patch);
	}
	group_note(b, g, db, f, o);
	if (!f->suppressed)
		return;
	b->why_first = b->nr_lines;
	if (!block_accepted_note(b, db, first, f))
		atomic_safe_notes(b, g, db, f, o, sink);
}

static int cmp_block(const void *a, const void *b)
{
	const struct block *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->text, y->text);
}

/* Every finding rendered, sorted; *nr blocks. */
static struct block *render_all(const struct graph *g, const struct compdb *db,
				const struct findings *fs,
				const struct report_opts *o, int *nr)
{
	struct block *v = xcalloc(fs->nr + 1, sizeof(*v));
	int i, n = 0;

	for (i = 0; i < fs->nr; i++) {
		if ((fs->v[i].suppressed && !o->show_suppressed) ||
		    fs->v[i].folded || (o->state && fs->v[i].state != o->state))
			continue;
		v[n].check = fs->v[i].check;
		v[n].finding = &fs->v[i];
		if (fs->v[i].cocci_msg)
			render_cocci(&v[n++], db, &fs->v[i]);
		else if (fs->v[i].order_rule >= 0)
			render_order(&v[n++], g, db, &fs->v[i], o);
		else if (fs->v[i].phase >= 0)
			render_boot(&v[n++], g, db, &fs->v[i], o);
		else
			render(&v[n++], g, db, &fs->v[i], o);
	}
	qsort(v, n, sizeof(*v), cmp_block);
	*nr = n;
	return v;
}

static void free_blocks(struct block *v, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].lines);
	}
	free(v);
}

/*
 * Which blocks to print: not a repeat of the one before, and warnings up
 * to the cap.  Returns the number of distinct warnings, including those
 * past the cap (the exit status needs them).
 */
static int select_blocks(struct block *v, int n, const struct report_opts *o,
			 char *print)
{
	int i, warnings = 0;

	for (i = 0; i < n; i++) {
		print[i] = !(i && !strcmp(v[i].text, v[i - 1].text));
		if (!print[i] || v[i].suppressed)
			continue;
		if (o->max_warnings && warnings >= o->max_warnings)
			print[i] = 0;
		warnings++;
	}
	return warnings;
}

int report_text(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o)
{
	int i, n, warnings;
	struct block *v = render_all(g, db, fs, o, &n);
	char *print = xcalloc(n + 1, 1);

	warnings = select_blocks(v, n, o, print);
	for (i = 0; i < n; i++)
		if (print[i])
			fputs(v[i].text, out);
	free(print);
	free_blocks(v, n);
	return warnings;
}

/*
 * Line l of block b with its message alone: without the newline, the
 * severity or "note: " before it, and the warning's "[check]" after it.
 */
static void item_line(const struct block *b, int l, struct report_line *out)
{
	static const char *const prefixes[] = {
		"warning: ", "note: suppressed: ", "note: fixed: ", "note: ", NULL
	};
	const char *m = b->text + b->lines[l].msg;
	const char *nl = memchr(m, '\n', b->len - b->lines[l].msg);
	size_t len = nl ? (size_t)(nl - m) : strlen(m);
	size_t tail = strlen(b->check) + 3;	/* " [check]" */
	int i;

	for (i = 0; prefixes[i]; i++) {
		size_t n = strlen(prefixes[i]);

		if (len >= n && !strncmp(m, prefixes[i], n)) {
			m += n;
			len -= n;
			break;
		}
	}
	if (!l && len >= tail && m[len - 1] == ']')
		len -= tail;
	out->file = b->lines[l].file;
	out->line = b->lines[l].line;
	out->col = b->lines[l].col;
	out->msg = xstrndup(m, len);
}

static void each_block(const struct block *b, report_item_fn *fn, void *data)
{
	struct report_line *lines = xcalloc(b->nr_lines + 1, sizeof(*lines));
	struct report_item it;
	int l;

	for (l = 0; l < b->nr_lines; l++)
		item_line(b, l, &lines[l]);
	it.finding = b->finding;
	it.check = b->check;
	it.suppressed = b->suppressed;
	it.lines = lines;
	it.nr_lines = b->nr_lines;
	it.flow_first = b->flow_first;
	it.flow_end = b->flow_end;
	it.why_first = b->why_first;
	fn(&it, data);
	for (l = 0; l < b->nr_lines; l++)
		free((char *)lines[l].msg);
	free(lines);
}

int report_each(const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o,
		report_item_fn *fn, void *data)
{
	int i, n, warnings;
	struct block *v = render_all(g, db, fs, o, &n);
	char *print = xcalloc(n + 1, 1);

	warnings = select_blocks(v, n, o, print);
	for (i = 0; i < n; i++)
		if (print[i] && v[i].nr_lines)
			each_block(&v[i], fn, data);
	free(print);
	free_blocks(v, n);
	return warnings;
}
