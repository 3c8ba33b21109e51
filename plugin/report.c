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

static void render(struct block *b, const struct graph *g,
		   const struct compdb *db, const struct finding *f)
{
	const struct rules *r = g->rules;
	const struct g_func *k = &g->funcs[f->sink], *e = &g->funcs[f->entry];
	const struct rules_context *ctx = r->contexts[f->context];
	const struct g_site *site = f->site >= 0 ? &e->sites[f->site] : NULL;
	const struct g_call *first = &e->calls[f->hops[0].call];
	char sink[512], with[512], here[512], why[512] = "";
	int i;

	sink_name(sink, sizeof(sink), k);
	expand(with, sizeof(with), ctx->reached_with, site ? site->key : NULL,
	       e->name);
	expand(here, sizeof(here), ctx->entered_here, site ? site->key : NULL,
	       e->name);
	if (k->rules && k->rules->sink)
		snprintf(why, sizeof(why), " (%s)", k->rules->sink->why);
	else if (k->is_gfp)
		snprintf(why, sizeof(why), " (allocates with %s)", k->gfp_flag);
	b->file = rel(db, first->loc.file);
	b->line = first->loc.line;
	b->col = first->loc.col;
	b->suppressed = f->suppressed;
	loc(b, db, &first->loc);
	add(b, "%s: %s may sleep%s but is reached %s [%s]\n",
	    f->suppressed ? "note: suppressed" : "warning", sink, why, with,
	    f->check);
	loc(b, db, site ? &site->loc : &e->loc);
	add(b, "note: %s\n", here);
	for (i = 0; i < f->nr_hops; i++) {
		const struct g_func *fn = &g->funcs[f->hops[i].func];
		const struct g_call *c = &fn->calls[f->hops[i].call];
		char callee[512];

		sink_name(callee, sizeof(callee), &g->funcs[c->callee]);
		loc(b, db, &c->loc);
		add(b, "note: calls %s\n", callee);
	}
	if (k->sleep_call >= 0) {
		const struct g_call *c = &k->calls[k->sleep_call];

		loc(b, db, &c->loc);
		add(b, "note: which sleeps here: %s\n",
		    c->text ? c->text : g->funcs[c->callee].name);
	}
	if (!f->suppressed)
		return;
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
		render(&v[n++], g, db, &fs->v[i]);
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
