/*
 * report.c: the text reporter (see report.h).  Each finding is rendered
 * into one block of lines; blocks are sorted by their first line and
 * identical blocks printed once, so output does not depend on the order in
 * which the analysis found them.
 */
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct block {
	char *text;
	size_t len, alloc;
	const char *file;	/* for sorting */
	unsigned line, col;
	int suppressed;
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

/* Expand {lock} and {function} in a rules template. */
static void expand(char *buf, size_t size, const char *tmpl, const char *lock,
		   const char *function)
{
	size_t n = 0;

	while (*tmpl && n + 1 < size) {
		const char *v = NULL;

		if (!strncmp(tmpl, "{lock}", 6)) {
			v = lock ? lock : "?";
			tmpl += 6;
		} else if (!strncmp(tmpl, "{function}", 10)) {
			v = function;
			tmpl += 10;
		}
		if (v) {
			while (*v && n + 1 < size)
				buf[n++] = *v++;
		} else {
			buf[n++] = *tmpl++;
		}
	}
	buf[n] = '\0';
}

static const char *rel(const struct compdb *db, const char *file)
{
	return db ? compdb_relative(db, file) : file;
}

static void loc(struct block *b, const struct compdb *db,
		const struct fact_loc *l)
{
	add(b, "%s:%u:%u: ", rel(db, l->file), l->line, l->col);
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
	add(b, "%s reached %s%s (phase %s: %s) [%s]\n", sink, ph->reached,
	    f->boot_kind == BOOT_MISLED ?
	    ", where it returns without doing its work" : "",
	    ph->name, ph->means, f->check);
	rules_phase_names(r, phases_of(o, f->entry), phases, sizeof(phases));
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
	if (f->boot_kind == BOOT_MISLED) {
		if (chk) {
			loc(b, db, &chk->loc);
			add(b, "note: returns early here without doing its work: %s\n",
			    chk->pred->misleading);
		}
		return;
	}
	if (f->suppressed) {
		if (chk) {
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
}

/* A finding only a semantic patch made: one function, no chain. */
static void render_cocci(struct block *b, const struct compdb *db,
			 const struct finding *f)
{
	start(b, db, &f->cocci_loc, 0);
	add(b, "%s [%s]\n", f->cocci_msg, f->check);
	loc(b, db, &f->cocci_loc);
	add(b, "note: found by Coccinelle only (%s): one function, no chain "
	    "across files; lower confidence\n", f->cocci_patch);
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
	expand(with, sizeof(with), ctx->reached_with, site ? site->key : NULL,
	       e->name);
	expand(here, sizeof(here), ctx->entered_here, site ? site->key : NULL,
	       e->name);
	if (k->rules && k->rules->sink)
		snprintf(why, sizeof(why), " (%s)", k->rules->sink->why);
	else if (k->is_gfp)
		snprintf(why, sizeof(why), " (allocates with %s)", k->gfp_flag);
	start(b, db, &first->loc, f->suppressed);
	add(b, "%s may sleep%s but is reached %s [%s]\n", sink, why, with,
	    f->check);
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
	if (k->sleep_call >= 0) {
		const struct g_call *c = &k->calls[k->sleep_call];

		loc(b, db, &c->loc);
		add(b, "note: which sleeps here: %s\n",
		    c->text ? c->text : g->funcs[c->callee].name);
	}
	if (f->cocci_patch) {
		loc(b, db, &first->loc);
		add(b, "note: also found by Coccinelle (%s)\n", f->cocci_patch);
	}
	if (!f->suppressed)
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
	if (f->sleeper >= 0) {
		const struct g_func *sl = &g->funcs[f->sleeper];

		loc(b, db, &sl->loc);
		add(b, "note: safe: %s() may sleep itself: atomic callers are a bug "
		    "there already (--sinks=sleep)\n", sl->name);
		return;
	}
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

int report_text(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o)
{
	struct block *v = xcalloc(fs->nr + 1, sizeof(*v));
	int i, n = 0, printed = 0;

	for (i = 0; i < fs->nr; i++) {
		if (fs->v[i].suppressed && !o->show_suppressed)
			continue;
		if (fs->v[i].cocci_msg)
			render_cocci(&v[n++], db, &fs->v[i]);
		else if (fs->v[i].phase >= 0)
			render_boot(&v[n++], g, db, &fs->v[i], o);
		else
			render(&v[n++], g, db, &fs->v[i], o);
	}
	qsort(v, n, sizeof(*v), cmp_block);
	for (i = 0; i < n; i++) {
		if (i && !strcmp(v[i].text, v[i - 1].text))
			continue;
		if (!v[i].suppressed) {
			/* counted even past the cap: the exit status needs it */
			if (o->max_warnings && printed++ >= o->max_warnings)
				continue;
			if (!o->max_warnings)
				printed++;
		}
		fputs(v[i].text, out);
	}
	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
	return printed;
}
