/*
 * explain_text.c: an explanation as text (see explain.h).  One header
 * line with the function's place, then indented lines: its boot phases,
 * atomic contexts and sleepers, each witness a chain on one line,
 * "entry() [how it starts] -> callee() [file:line] -> ...".
 */
#include "report/explain.h"
#include "report/report.h"

#include <string.h>

static void print_chain(FILE *out, const struct graph *g,
			const struct compdb *db, const struct finding *w)
{
	char name[512], start[1024];
	int i, phase = w->entry_phase;

	explain_start(start, sizeof(start), g, db, w);
	fprintf(out, "%s", explain_name(name, sizeof(name), &g->funcs[w->entry]));
	if (*start)
		fprintf(out, " [%s]", start);
	for (i = 0; i < w->nr_hops; i++) {
		const char *moved;
		const struct g_call *c = report_hop(g, w, i, &phase, &moved);

		fprintf(out, " -> %s [%s:%u",
			explain_name(name, sizeof(name), &g->funcs[c->callee]),
			compdb_relative(db, c->loc.file), c->loc.line);
		if (c->indirect)
			fprintf(out, ", through %s", c->via);
		if (moved)
			fprintf(out, ", phase %s", moved);
		fprintf(out, "]");
	}
}

/* What to note about the chain, after it on its line, and the end of it. */
static void print_note(FILE *out, const struct graph *g,
		       const struct boot *b, const struct finding *w)
{
	char note[1536];

	explain_note(note, sizeof(note), g, b, w);
	fprintf(out, "%s%s%s\n", *note ? " (" : "", note, *note ? ")" : "");
}

static void print_head(FILE *out, const struct graph *g,
		       const struct compdb *db, const struct explanation *ex)
{
	const struct g_func *fn = &g->funcs[ex->func];

	if (fn->loc.file && fn->loc.line)
		fprintf(out, "%s:%u:%u: ", compdb_relative(db, fn->loc.file),
			fn->loc.line, fn->loc.col);
	fprintf(out, "%s()%s", fn->name, fn->defined ? "" : " (not defined)");
	if (fn->boot_only)
		fprintf(out, " [boot-only]");
	if (ex->same_name > 1)
		fprintf(out, " [%s%d of %d functions named %s()]",
			fn->is_static ? "static, " : "", ex->nth, ex->same_name,
			fn->name);
}

static void print_phases(FILE *out, const struct graph *g,
			 const struct boot *b, const struct compdb *db,
			 const struct explanation *ex)
{
	char phases[256];
	int i;

	if (!b->nr_phases) {
		fprintf(out, ": the rules have no boot phases\n");
		return;
	}
	rules_phase_names(g->rules, b->phases[ex->func], phases, sizeof(phases));
	fprintf(out, " runs in boot phases: %s\n",
		b->phases[ex->func] ? phases : "none");
	for (i = 0; i < ex->phases.nr; i++) {
		const struct finding *w = &ex->phases.v[i];

		fprintf(out, "  phase %s: ", g->rules->boot.phases[w->phase].name);
		print_chain(out, g, db, w);
		fputc('\n', out);
	}
}

static void print_contexts(FILE *out, const struct graph *g,
			   const struct boot *b, const struct compdb *db,
			   const struct explanation *ex)
{
	int i;

	fprintf(out, "  runs in atomic contexts:");
	for (i = 0; i < ex->contexts.nr; i++)
		fprintf(out, "%s %s", i ? "," : "",
			g->rules->contexts[ex->contexts.v[i].context]->kind);
	fprintf(out, "%s\n", ex->contexts.nr ? "" : " none");
	for (i = 0; i < ex->contexts.nr; i++) {
		const struct finding *w = &ex->contexts.v[i];

		fprintf(out, "  context %s: ", g->rules->contexts[w->context]->kind);
		print_chain(out, g, db, w);
		print_note(out, g, b, w);
	}
}

/* What the rules say makes the function sleep, or NULL. */
static const char *sleeps_because(const struct g_func *f)
{
	if (f->rules && f->rules->sink && atomic_is_sink(f, SINKS_RULES))
		return f->rules->sink->why;
	if (f->rules && f->rules->sleeper)
		return "the rules list it among the sleepers";
	return NULL;
}

static void print_sleepers(FILE *out, const struct graph *g,
			   const struct boot *b, const struct compdb *db,
			   const struct explanation *ex)
{
	const struct g_func *fn = &g->funcs[ex->func];
	const char *why = sleeps_because(fn);
	char name[512];
	int i;

	if (why)
		fprintf(out, "  sleeps itself: %s\n", why);
	if (!ex->nr_sleeps)
		fprintf(out, "  reaches no sleeper%s\n", fn->defined ? "" :
			" (its body is not in the files parsed)");
	else
		fprintf(out, "  reaches %d sleeper%s, nearest first:\n",
			ex->nr_sleeps, ex->nr_sleeps == 1 ? "" : "s");
	for (i = 0; i < ex->sleeps.nr; i++) {
		const struct finding *w = &ex->sleeps.v[i];
		const struct g_func *k = &g->funcs[w->sink];

		fprintf(out, "  sleeper %s", explain_name(name, sizeof(name), k));
		if (k->rules && k->rules->sink)
			fprintf(out, " (%s)", k->rules->sink->why);
		fprintf(out, ": ");
		print_chain(out, g, db, w);
		print_note(out, g, b, w);
	}
	if (ex->nr_sleeps > ex->sleeps.nr)
		fprintf(out, "  ... and %d more\n", ex->nr_sleeps - ex->sleeps.nr);
}

void explain_print(FILE *out, const struct graph *g, const struct boot *b,
		   const struct compdb *db, const struct explanation *ex)
{
	print_head(out, g, db, ex);
	print_phases(out, g, b, db, ex);
	print_contexts(out, g, b, db, ex);
	print_sleepers(out, g, b, db, ex);
}
