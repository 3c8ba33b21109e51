/*
 * explain.c: explain one function (see explain.h).  The witness of a
 * phase is read backwards from the function's boot state to the entry
 * that started it, then printed entry first.
 */
#include "explain.h"

#include <stdlib.h>

static const char *rel(const struct compdb *db, const char *file)
{
	return db ? compdb_relative(db, file) : file;
}

static void print_entry(FILE *out, const struct graph *g,
			const struct compdb *db, int f,
			const struct boot_state *st)
{
	const struct g_func *fn = &g->funcs[f];

	fprintf(out, "%s()", fn->name);
	if (st->how == BOOT_ROOT) {
		fprintf(out, " [boot root]");
	} else if (st->how == BOOT_REGISTERED) {
		const struct g_reg *reg = &g->regs[st->from_call];

		fprintf(out, " [registered as %s at %s:%u]", reg->rule->as,
			rel(db, reg->loc.file), reg->loc.line);
	} else {
		fprintf(out, " [run time: nothing calls it]");
	}
}

static void print_witness(FILE *out, const struct graph *g,
			  const struct boot *b, const struct compdb *db,
			  int f, int p)
{
	int *chain = NULL, *phase = NULL, n = 0, alloc = 0, palloc = 0, i;
	const struct boot_state *st = boot_state(b, f, p);
	int x = f, px = p;

	while (st && st->from_func >= 0) {
		ALLOC_GROW(chain, n + 1, alloc);
		ALLOC_GROW(phase, n + 1, palloc);
		chain[n] = x;
		phase[n++] = px;
		x = st->from_func;
		px = st->from_phase;
		st = boot_state(b, x, px);
	}
	fprintf(out, "  phase %s: ", g->rules->boot.phases[p].name);
	print_entry(out, g, db, x, st);
	for (i = n - 1; i >= 0; i--) {
		const struct boot_state *s = boot_state(b, chain[i], phase[i]);
		const struct g_call *c = &g->funcs[s->from_func].calls[s->from_call];

		fprintf(out, " -> %s() [%s:%u", g->funcs[chain[i]].name,
			rel(db, c->loc.file), c->loc.line);
		if (phase[i] != s->from_phase)
			fprintf(out, ", phase %s", g->rules->boot.phases[phase[i]].name);
		fprintf(out, "]");
	}
	fputc('\n', out);
	free(chain);
	free(phase);
}

void explain_function(FILE *out, const struct graph *g, const struct boot *b,
		      const struct compdb *db, int func)
{
	const struct g_func *fn = &g->funcs[func];
	char phases[256];
	int p;

	if (fn->loc.file && fn->loc.line)
		fprintf(out, "%s:%u:%u: ", rel(db, fn->loc.file), fn->loc.line,
			fn->loc.col);
	fprintf(out, "%s()%s", fn->name, fn->defined ? "" : " (not defined)");
	if (fn->boot_only)
		fprintf(out, " [boot-only]");
	if (!b->nr_phases) {
		fprintf(out, ": the rules have no boot phases\n");
		return;
	}
	rules_phase_names(g->rules, b->phases[func], phases, sizeof(phases));
	fprintf(out, " runs in boot phases: %s\n", b->phases[func] ? phases : "none");
	for (p = 0; p < b->nr_phases; p++)
		if (b->phases[func] & (1u << p))
			print_witness(out, g, b, db, func, p);
}
