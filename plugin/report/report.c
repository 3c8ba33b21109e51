/*
 * report.c: the text reporter (see report.h).  Each finding is rendered
 * into one block of lines; blocks are sorted by their first line and
 * identical blocks printed once, so output does not depend on the order in
 * which the analysis found them.
 */
#include "report/report.h"
#include "check/group.h"
#include "core/jsonstr.h"

#include <jansson.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Where each line of a block starts, for the structured formats. */
struct rline {
	const char *file;
	unsigned line, col;
	size_t msg;		/* offset of the message after "file:l:c: " */
};

struct block {
	char *text;
	size_t len, alloc;
	const char *file;	/* for sorting */
	unsigned line, col;
	int suppressed;
	const char *check;
	const struct finding *finding;
	struct rline *lines;
	int nr_lines, alloc_lines;
	int flow_first, flow_end;	/* see struct report_item */
	int why_first;
};

static void add(struct block *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct block *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ALLOC_GROW(b->text, b->len + n + 1, b->alloc);
	va_start(ap, fmt);
	vsnprintf(b->text + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

static const char *rel(const struct compdb *db, const char *file)
{
	return db ? compdb_relative(db, file) : file;
}

static void loc(struct block *b, const struct compdb *db,
		const struct fact_loc *l)
{
	struct rline *rl;

	ALLOC_GROW(b->lines, b->nr_lines + 1, b->alloc_lines);
	rl = &b->lines[b->nr_lines++];
	rl->file = rel(db, l->file);
	rl->line = l->line;
	rl->col = l->col;
	add(b, "%s:%u:%u: ", rl->file, l->line, l->col);
	rl->msg = b->len;
}

static void sink_name(char *buf, size_t size, const struct g_func *k)
{
	snprintf(buf, size, k->is_gfp ? "%s" : "%s()", k->name);
}

/* The first line of a block, which also places it in the sort order. */
static void start(struct block *b, const struct compdb *db,
		  const struct fact_loc *l, int suppressed)
{
	b->file = rel(db, l->file);
	b->line = l->line;
	b->col = l->col;
	b->suppressed = suppressed;
	loc(b, db, l);
	add(b, "%s: ", suppressed ? "note: suppressed" : "warning");
}

/* One note per call; a boot chain says where the phase moves on. */
static void hops(struct block *b, const struct graph *g,
		 const struct compdb *db, const struct finding *f)
{
	int i, phase = f->hop_phase ? f->entry_phase : -1;

	for (i = 0; i < f->nr_hops; i++) {
		const struct g_func *fn = &g->funcs[f->hops[i].func];
		const struct g_call *c = &fn->calls[f->hops[i].call];
		char callee[512];

		sink_name(callee, sizeof(callee), &g->funcs[c->callee]);
		loc(b, db, &c->loc);
		add(b, "note: calls %s", callee);
		if (c->indirect)
			add(b, " through %s", c->via);
		if (f->hop_phase && f->hop_phase[i] != phase) {
			phase = f->hop_phase[i];
			add(b, " in phase %s", g->rules->boot.phases[phase].name);
		}
		add(b, "\n");
	}
}

/*
 * The note of a finding the user accepted, at at: listed in the baseline,
 * or silenced by a comment (never both: a baseline holds only findings
 * nothing else suppressed).  1 if there was one.
 */
static int accepted_note(struct block *b, const struct compdb *db,
			 const struct fact_loc *at, const struct finding *f)
{
	if (f->baselined) {
		loc(b, db, at);
		add(b, "note: accepted: in the baseline\n");
	} else if (f->ignore_reason) {
		loc(b, db, at);
		add(b, "note: ignored by a comment: %s\n", f->ignore_reason);
	} else {
		return 0;
	}
	return 1;
}

static phase_mask phases_of(const struct report_opts *o, int func)
{
	return o->boot && o->boot->nr_phases ? o->boot->phases[func] : 0;
}

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
		loc(b, db, &gb->loc);
		add(b, "note: safe: %s() establishes %s: %s\n", gb->name, facts,
		    gb->rules && gb->rules->establish &&
		    gb->rules->establish->because ? gb->rules->establish->because : "");
	}
	if (f->guard_index >= 0) {
		const struct fact_guard *gd = &k->guards[f->guard_index];

		loc(b, db, &gd->loc);
		add(b, "note: safe: %s returns early when %s%s()\n", sink,
		    gd->negated ? "!" : "", gd->predicate);
	} else if (k->rules && k->rules->sink && k->rules->sink->safe_when) {
		char facts[256];

		rules_fact_names(r, k->rules->sink->safe_when, facts, sizeof(facts));
		loc(b, db, &k->loc);
		add(b, "note: safe: %s does not sleep when %s (rules)\n", sink, facts);
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
	sink_name(sink, sizeof(sink), &g->funcs[f->sink]);
	loc(b, db, &c->loc);
	if (o->all_paths)
		add(b, "note: one of %d %s%s that reach %s through %s() -> %s()\n",
		    f->group_size, what, phases, sink, g->funcs[caller].name,
		    g->funcs[callee].name);
	else
		add(b, "note: %d %s%s reach %s through %s() -> %s(); this is the "
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
	loc(b, db, &fn->loc);
	add(b, "note: safe: %s() has nothing to do in phase %s: %s\n", fn->name,
	    g->rules->boot.phases[f->idle_phase].name, fn->rules->idle->because);
}

static void render_boot(struct block *b, const struct graph *g,
			const struct compdb *db, const struct finding *f,
			const struct report_opts *o)
{
	const struct rules *r = g->rules;
	const struct rules_phase *ph = &r->boot.phases[f->phase];
	const struct g_func *k = &g->funcs[f->sink], *e = &g->funcs[f->entry];
	const struct g_func *nf = f->note_func >= 0 ? &g->funcs[f->note_func] : NULL;
	const struct fact_check *chk = nf && f->note_check >= 0 ?
				       &nf->checks[f->note_check] : NULL;
	const struct g_func *wf = &g->funcs[f->hops[f->warn_hop].func];
	const struct g_call *wc = &wf->calls[f->hops[f->warn_hop].call];
	char sink[512], phases[256], text[256];

	sink_name(sink, sizeof(sink), k);
	start(b, db, &wc->loc, f->suppressed);
	if (f->boot_kind == BOOT_WARNS)
		add(b, "%s reached %s, where it WARNs%s%s (phase %s: %s) [%s]\n",
		    sink, ph->reached, chk && chk->fails ? " and fails with " : "",
		    chk && chk->fails ? chk->fails : "", ph->name, ph->means,
		    f->check);
	else
		add(b, "%s reached %s%s (phase %s: %s) [%s]\n", sink, ph->reached,
		    f->boot_kind == BOOT_MISLED ?
		    ", where it returns without doing its work" : "",
		    ph->name, ph->means, f->check);
	rules_phase_names(r, phases_of(o, f->entry), phases, sizeof(phases));
	b->flow_first = b->nr_lines;
	if (f->entry_how == BOOT_REGISTERED) {
		const struct g_reg *reg = &g->regs[f->reg];

		loc(b, db, &reg->loc);
		add(b, "note: %s() registered as %s here (phases: %s)%s\n",
		    e->name, reg->rule->as, phases,
		    reg->src == SRC_COCCI ? " (seen by Coccinelle only)" : "");
	} else {
		loc(b, db, &e->loc);
		if (f->entry_how == BOOT_ROOT)
			add(b, "note: %s() starts in phase %s\n", e->name,
			    r->boot.phases[f->entry_phase].name);
		else
			add(b, "note: %s() runs at run time: nothing calls it\n",
			    e->name);
	}
	hops(b, g, db, f);
	b->flow_end = b->nr_lines;
	if (f->boot_kind == BOOT_MISLED) {
		if (chk) {
			loc(b, db, &chk->loc);
			add(b, "note: returns early here without doing its work: %s\n",
			    chk->pred->misleading);
		}
		group_note(b, g, db, f, o);
		if (f->suppressed && (f->guard_by >= 0 || f->idle_by >= 0)) {
			b->why_first = b->nr_lines;
			safe_notes(b, g, db, f, sink);
		}
		return;
	}
	if (f->boot_kind == BOOT_WARNS && chk) {
		check_text(text, sizeof(text), chk);
		loc(b, db, &chk->loc);
		add(b, "note: %s() fires here in phase %s, where %s is %s: %s "
		    "returns %s and its caller's request fails\n", chk->assertion,
		    ph->name, text,
		    (chk->pred->true_in & (1u << f->phase)) ? "true" : "false",
		    sink, chk->fails ? chk->fails : "early");
		group_note(b, g, db, f, o);
		if (f->suppressed) {
			b->why_first = b->nr_lines;
			if (!accepted_note(b, db, &wc->loc, f) &&
			    (f->guard_by >= 0 || f->idle_by >= 0))
				safe_notes(b, g, db, f, sink);
		}
		return;
	}
	if (f->suppressed)
		b->why_first = b->nr_lines;
	if (accepted_note(b, db, &wc->loc, f))
		return;
	if (f->suppressed) {
		if (f->guard_by >= 0 || f->idle_by >= 0)
			safe_notes(b, g, db, f, sink);
		else if (chk) {
			int on = (chk->pred->true_in & (1u << f->phase)) != 0;

			check_text(text, sizeof(text), chk);
			loc(b, db, &chk->loc);
			add(b, "note: safe: %s returns early in phase %s, where %s is %s\n",
			    sink, ph->name, text, on ? "true" : "false");
		}
		return;
	}
	if (k->sleep_call >= 0) {
		const struct g_call *c = &k->calls[k->sleep_call];

		loc(b, db, &c->loc);
		add(b, "note: which does its work here: %s\n",
		    c->text ? c->text : g->funcs[c->callee].name);
	}
	if (chk) {
		check_text(text, sizeof(text), chk);
		loc(b, db, &chk->loc);
		add(b, "note: %s does not close this window: %s\n", text,
		    chk->pred->leak);
	}
	group_note(b, g, db, f, o);
}

/* A finding only a semantic patch made: one function, no chain. */
static void render_cocci(struct block *b, const struct compdb *db,
			 const struct finding *f)
{
	start(b, db, &f->cocci_loc, f->suppressed);
	add(b, "%s [%s]\n", f->cocci_msg, f->check);
	loc(b, db, &f->cocci_loc);
	add(b, "note: found by Coccinelle only (%s): one function, no chain "
	    "across files; lower confidence\n", f->cocci_patch);
	if (f->suppressed)
		b->why_first = b->nr_lines;
	accepted_note(b, db, &f->cocci_loc, f);
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
	loc(b, db, &sl->loc);
	add(b, "note: on the way %s() may sleep itself (%s): it is a bug in "
	    "this context already\n", sl->name, why);
}

static void render(struct block *b, const struct graph *g,
		   const struct compdb *db, const struct finding *f,
		   const struct report_opts *o)
{
	const struct rules *r = g->rules;
	const struct g_func *k = &g->funcs[f->sink], *e = &g->funcs[f->entry];
	const struct rules_context *ctx = r->contexts[f->context];
	const struct g_site *site = f->site >= 0 ? &e->sites[f->site] : NULL;
	const struct g_call *first = &e->calls[f->hops[0].call];
	char sink[512], with[512], here[512], why[512] = "";

	sink_name(sink, sizeof(sink), k);
	rules_expand(with, sizeof(with), ctx->reached_with, site ? site->key : NULL,
	       e->name);
	rules_expand(here, sizeof(here), ctx->entered_here, site ? site->key : NULL,
	       e->name);
	if (k->rules && k->rules->sink)
		snprintf(why, sizeof(why), " (%s)", k->rules->sink->why);
	else if (k->is_gfp)
		snprintf(why, sizeof(why), " (allocates with %s)", k->gfp_flag);
	start(b, db, &first->loc, f->suppressed);
	add(b, "%s may sleep%s but is reached %s [%s]\n", sink, why, with,
	    f->check);
	b->flow_first = b->nr_lines;
	if (!site && f->reg >= 0) {
		const struct g_reg *reg = &g->regs[f->reg];

		loc(b, db, &reg->loc);
		add(b, "note: %s() runs %s: registered as %s here%s\n",
		    e->name, with, reg->rule->as,
		    reg->src == SRC_COCCI ? " (seen by Coccinelle only)" : "");
	} else if (site && site->is_assert) {
		loc(b, db, &site->loc);
		add(b, "note: %s() asserts it runs %s\n", site->prim, with);
	} else {
		loc(b, db, site ? &site->loc : &e->loc);
		add(b, "note: %s\n", here);
	}
	hops(b, g, db, f);
	b->flow_end = b->nr_lines;
	if (k->sleep_call >= 0) {
		const struct g_call *c = &k->calls[k->sleep_call];

		loc(b, db, &c->loc);
		add(b, "note: which sleeps here: %s\n",
		    c->text ? c->text : g->funcs[c->callee].name);
	}
	sleeper_note(b, g, db, f);
	if (f->cocci_patch) {
		loc(b, db, &first->loc);
		add(b, "note: also found by Coccinelle (%s)\n", f->cocci_patch);
	}
	group_note(b, g, db, f, o);
	if (!f->suppressed)
		return;
	b->why_first = b->nr_lines;
	if (accepted_note(b, db, &first->loc, f))
		return;
	if (f->exempt) {
		char phases[256];

		rules_phase_names(r, phases_of(o, f->entry), phases,
				  sizeof(phases));
		loc(b, db, &e->loc);
		add(b, "note: safe: %s() runs only in boot phases %s: %s\n",
		    e->name, phases, r->boot.exempt_because);
		return;
	}
	guard_notes(b, g, db, f, sink);
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
		    fs->v[i].folded)
			continue;
		v[n].check = fs->v[i].check;
		v[n].finding = &fs->v[i];
		if (fs->v[i].cocci_msg)
			render_cocci(&v[n++], db, &fs->v[i]);
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
		"warning: ", "note: suppressed: ", "note: ", NULL
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

/* {file, line, column}: a path of any bytes (jsonstr.h). */
static json_t *json_place(const char *file, unsigned line, unsigned col)
{
	json_t *o = json_object();

	json_set_path(o, file);
	json_object_set_new(o, "line", json_integer(line));
	json_object_set_new(o, "column", json_integer(col));
	return o;
}

static json_t *json_location(const struct report_line *rl)
{
	return json_place(rl->file, rl->line, rl->col);
}

json_t *report_group_members(const struct graph *g, const struct compdb *db,
			     const struct finding *f)
{
	json_t *list;
	int i;

	if (f->folded || f->nr_members < 2)
		return NULL;
	list = json_array();
	for (i = 0; i < f->nr_members; i++) {
		const struct group_member *m = &f->members[i];

		json_t *o = json_place(rel(db, m->loc.file), m->loc.line,
				       m->loc.col);

		json_object_set_new(o, "entry",
				    json_text_string(g->funcs[m->entry].name));
		json_array_append_new(list, o);
	}
	return list;
}

struct json_ctx {
	const struct graph *g;
	const struct compdb *db;
	json_t *list;
};

static void json_finding(const struct report_item *it, void *data)
{
	struct json_ctx *c = data;
	json_t *list = c->list, *notes = json_array(), *members;
	int l;

	for (l = 1; l < it->nr_lines; l++)
		json_array_append_new(notes, json_pack("{s:o, s:o}",
			"location", json_location(&it->lines[l]),
			"message", json_text_string(it->lines[l].msg)));
	json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:o, s:o, s:o}",
		"check", it->check,
		"severity", it->suppressed ? "note" : "warning",
		"suppressed", it->suppressed,
		"location", json_location(&it->lines[0]),
		"message", json_text_string(it->lines[0].msg), "notes", notes));
	/* a group: every path it stands for */
	members = it->finding ? report_group_members(c->g, c->db, it->finding) : NULL;
	if (members)
		json_object_set_new(json_array_get(list, json_array_size(list) - 1),
				    "paths", members);
}

int report_json(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o,
		const struct report_summary *sum)
{
	json_t *root, *list = json_array();
	struct json_ctx c = { g, db, list };
	int warnings = report_each(g, db, fs, o, json_finding, &c);

	root = json_pack("{s:s, s:i, s:s, s:{s:i, s:i, s:i, s:i, s:i, s:i, s:i}, s:o}",
			 "tool", "splitsafe", "version", 1,
			 "rules", g->rules->name ? g->rules->name : "",
			 "summary", "tus", sum->parsed, "failed", sum->failed,
			 "with_errors", sum->with_errors,
			 "functions", g->nr, "edges", g->nr_edges,
			 "warnings", warnings, "suppressed", sum->suppressed,
			 "findings", list);
	json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return warnings;
}
