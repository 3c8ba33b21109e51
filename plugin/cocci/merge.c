/*
 * merge.c: the semantic patches' findings with libclang's (see merge.h).
 */
#include "cocci/merge.h"
#include "check/checks.h"

#include <string.h>

/* The call of f the detector of kind would show: a boot finding's
 * warning hop, an atomic one's first. */
static const struct g_call *shown_call(const struct graph *g,
				       const struct finding *f, int boot)
{
	const struct hop *hp = &f->hops[boot ? f->warn_hop : 0];

	return &g->funcs[hp->func].calls[hp->call];
}

/* The place f's atomic context is entered on: the line of its site. */
static int entered_on(const struct graph *g, const struct finding *f,
		      unsigned line)
{
	return f->site >= 0 && g->funcs[f->entry].sites[f->site].loc.line == line;
}

/* The libclang finding (reported or suppressed) h is, or NULL. */
static struct finding *same_place(const struct graph *g, struct findings *fs,
				  const struct cocci_hit *h)
{
	int boot = h->kind == COCCI_BOOT, i;

	for (i = 0; i < fs->nr; i++) {
		struct finding *f = &fs->v[i];
		const struct g_call *c;

		if (f->cocci_msg || !f->nr_hops || (f->phase >= 0) != boot)
			continue;
		c = shown_call(g, f, boot);
		if (strcmp(c->loc.file, h->loc.file))
			continue;
		if (c->loc.line == h->loc.line ||
		    (!boot && entered_on(g, f, h->entered)))
			return f;
	}
	return NULL;
}

/* Files libclang analysed: the TUs parsed and the headers they define
 * functions in. */
static void build_analysed(const struct graph *g, const struct compdb *db,
			   struct strmap *files)
{
	int i;

	for (i = 0; i < db->nr; i++)
		strmap_put(files, db->entries[i].file, (void *)1);
	for (i = 0; i < g->nr; i++)
		if (g->funcs[i].defined && g->funcs[i].loc.file)
			strmap_put(files, g->funcs[i].loc.file, (void *)1);
}

static void add_only_cocci(struct findings *fs, const struct cocci_hit *h)
{
	struct finding *f = findings_add(fs, check_table[CHECK_COCCI].id);

	f->cocci_patch = h->patch;
	f->cocci_msg = h->msg;
	f->cocci_loc = h->loc;
}

void cocci_merge(struct cocci_hits *hits, struct findings *fs,
		 const struct graph *g, const struct compdb *db)
{
	struct strmap analysed = STRMAP_INIT;
	int i;

	build_analysed(g, db, &analysed);
	for (i = 0; i < hits->nr; i++) {
		const struct cocci_hit *h = &hits->v[i];
		struct finding *f = same_place(g, fs, h);

		if (f) {
			f->cocci_patch = h->patch;
			hits->both++;
		} else if (strmap_get(&analysed, h->loc.file)) {
			/* libclang saw this file whole and found no such path */
			hits->covered++;
		} else {
			hits->only++;
			add_only_cocci(fs, h);
		}
	}
	strmap_release(&analysed);
}
