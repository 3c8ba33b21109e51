/*
 * scope.c: the findings a change is responsible for (see scope.h).
 */
#include "filter/scope.h"

#include <stdlib.h>
#include <string.h>

char *scope_touched(const struct graph *g, const struct change *c)
{
	char *t = xcalloc(g->nr + 1, 1);
	int i, j;

	for (i = 0; i < g->nr; i++) {
		const struct g_func *f = &g->funcs[i];

		if (f->defined && change_touches(c, f->loc.file, f->loc.line,
						 f->end_line ? f->end_line : f->loc.line))
			t[i] = 1;
	}
	for (i = 0; i < g->nr_regs; i++)
		if (change_touches(c, g->regs[i].loc.file, g->regs[i].loc.line,
				   g->regs[i].loc.line))
			t[g->regs[i].func] = 1;
	for (i = 0; i < g->nr_ptrs; i++) {
		const struct g_ptr *p = g->all_ptrs[i];

		for (j = 0; j < p->nr_funcs; j++)
			if (change_touches(c, p->locs[j].file, p->locs[j].line,
					   p->locs[j].line))
				t[p->funcs[j]] = 1;
	}
	return t;
}

static int in_scope(const struct finding *f, const struct graph *g,
		    const struct change *c, const char *touched)
{
	int i;

	if (f->cocci_msg)
		return change_touches(c, f->cocci_loc.file, f->cocci_loc.line,
				      f->cocci_loc.line);
	if ((f->entry >= 0 && touched[f->entry]) ||
	    (f->sink >= 0 && touched[f->sink]))
		return 1;
	for (i = 0; i < f->nr_hops; i++) {
		const struct hop *h = &f->hops[i];

		if (touched[h->func] || touched[g->funcs[h->func].calls[h->call].callee])
			return 1;
	}
	return 0;
}

int scope_filter(struct findings *fs, const struct graph *g,
		 const struct change *c)
{
	char *touched = scope_touched(g, c);
	int i, kept = 0;

	for (i = 0; i < fs->nr; i++) {
		struct finding *f = &fs->v[i];

		if (in_scope(f, g, c, touched)) {
			fs->v[kept++] = *f;
			continue;
		}
		free(f->hops);
		free(f->hop_phase);
	}
	free(touched);
	i = fs->nr - kept;
	fs->nr = kept;
	return i;
}
