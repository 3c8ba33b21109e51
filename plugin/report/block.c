/*
 * block.c: building a finding's block of text (see block.h).
 */
#include "report/block.h"

#include <stdarg.h>
#include <stdio.h>

void block_add(struct block *b, const char *fmt, ...)
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

void block_loc(struct block *b, const struct compdb *db,
		    const struct fact_loc *l)
{
	struct rline *rl;

	ALLOC_GROW(b->lines, b->nr_lines + 1, b->alloc_lines);
	rl = &b->lines[b->nr_lines++];
	rl->file = compdb_relative(db, l->file);
	rl->line = l->line;
	rl->col = l->col;
	block_add(b, "%s:%u:%u: ", rl->file, l->line, l->col);
	rl->msg = b->len;
}

void block_sink_name(char *buf, size_t size, const struct g_func *k)
{
	snprintf(buf, size, k->is_gfp ? "%s" : "%s()", k->name);
}

/* The first line of a block, which also places it in the sort order. */
void block_start(struct block *b, const struct compdb *db,
		 const struct fact_loc *l, const struct finding *f)
{
	b->file = compdb_relative(db, l->file);
	b->line = l->line;
	b->col = l->col;
	b->suppressed = f->suppressed;
	block_loc(b, db, l);
	block_add(b, "%s: ", f->suppressed ? "note: suppressed" :
		  f->state == STATE_FIXED ? "note: fixed" : "warning");
}

const struct g_call *report_hop(const struct graph *g, const struct finding *f,
				int i, int *phase, const char **moved)
{
	const struct hop *h = &f->hops[i];

	*moved = NULL;
	if (f->hop_phase && f->hop_phase[i] != *phase) {
		*phase = f->hop_phase[i];
		*moved = g->rules->boot.phases[*phase].name;
	}
	return &g->funcs[h->func].calls[h->call];
}

/* One note per call; a boot chain says where the phase moves on. */
void block_hops(struct block *b, const struct graph *g,
		const struct compdb *db, const struct finding *f)
{
	int i, phase = f->entry_phase;

	for (i = 0; i < f->nr_hops; i++) {
		const char *moved;
		const struct g_call *c = report_hop(g, f, i, &phase, &moved);
		char callee[512];

		block_sink_name(callee, sizeof(callee), &g->funcs[c->callee]);
		block_loc(b, db, &c->loc);
		block_add(b, "note: calls %s", callee);
		if (c->indirect)
			block_add(b, " through %s", c->via);
		if (moved)
			block_add(b, " in phase %s", moved);
		block_add(b, "\n");
	}
}

/*
 * The note of a finding the user accepted, at at: listed in the baseline,
 * or silenced by a comment (never both: a baseline holds only findings
 * nothing else suppressed).  1 if there was one.
 */
int block_accepted_note(struct block *b, const struct compdb *db,
			const struct fact_loc *at, const struct finding *f)
{
	if (f->baselined) {
		block_loc(b, db, at);
		block_add(b, "note: accepted: in the baseline\n");
	} else if (f->ignore_reason) {
		block_loc(b, db, at);
		block_add(b, "note: ignored by a comment: %s\n", f->ignore_reason);
	} else {
		return 0;
	}
	return 1;
}

phase_mask block_phases_of(const struct report_opts *o, int func)
{
	return o->boot && o->boot->nr_phases ? o->boot->phases[func] : 0;
}

/* Where the boot chain starts: a registration, a boot root, or run time. */
void block_entry_note(struct block *b, const struct graph *g,
		      const struct compdb *db, const struct finding *f,
		      const struct report_opts *o)
{
	const struct rules *r = g->rules;
	const struct g_func *e = &g->funcs[f->entry];

	if (f->entry_how == BOOT_REGISTERED) {
		const struct g_reg *reg = &g->regs[f->reg];
		char phases[256];

		rules_phase_names(r, block_phases_of(o, f->entry), phases, sizeof(phases));
		block_loc(b, db, &reg->loc);
		block_add(b, "note: %s() registered as %s here (phases: %s)%s\n",
		    e->name, reg->rule->as, phases,
		    reg->src == SRC_COCCI ? " (seen by Coccinelle only)" : "");
		return;
	}
	block_loc(b, db, &e->loc);
	if (f->entry_how == BOOT_ROOT)
		block_add(b, "note: %s() starts in phase %s\n", e->name,
		    r->boot.phases[f->entry_phase].name);
	else
		block_add(b, "note: %s() runs at run time: nothing calls it\n", e->name);
}

