/*
 * group.c: groups of findings by cause (see group.h).
 */
#include "check/group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int group_member_of(const struct finding *f)
{
	return !f->suppressed && !f->cocci_msg && f->nr_hops > 0;
}

/* Is file under dir (dir without its final slash, len long)? */
static int under(const char *file, const char *dir, size_t len)
{
	return file && !strncmp(file, dir, len) && file[len] == '/';
}

static int callee_of(const struct graph *g, const struct hop *h)
{
	return g->funcs[h->func].calls[h->call].callee;
}

/* The hop whose call enters the sink's directory. */
static int cause_hop(const struct graph *g, const struct finding *f)
{
	const char *home = g->funcs[f->sink].loc.file, *slash;
	int first = f->phase >= 0 ? f->warn_hop : 0, i;
	size_t len;

	if (!home || !(slash = strrchr(home, '/')))
		return f->nr_hops - 1;
	len = (size_t)(slash - home);
	for (i = f->nr_hops - 1; i > first; i--)
		if (!under(g->funcs[f->hops[i].func].loc.file, home, len))
			break;
	return i;
}

void group_cause(const struct graph *g, const struct finding *f, int *caller,
		 int *callee)
{
	const struct hop *h = &f->hops[f->cause_hop];

	*caller = g->funcs[h->func].orig;
	*callee = g->funcs[callee_of(g, h)].orig;
}

/* Where the finding's warning is reported. */
static const struct fact_loc *warn_loc(const struct graph *g,
				       const struct finding *f)
{
	const struct hop *h = &f->hops[f->phase >= 0 ? f->warn_hop : 0];

	return &g->funcs[h->func].calls[h->call].loc;
}

static int cmp_loc(const struct fact_loc *a, const struct fact_loc *b)
{
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/*
 * Does a stand for a group better than b: a path that avoids functions
 * sleeping themselves (6.12's hibernation copy, not a vfree() from
 * softirq behind it), then a shorter chain, then the first?
 */
static int better(const struct graph *g, const struct finding *a,
		  const struct finding *b)
{
	if ((a->sleeper < 0) != (b->sleeper < 0))
		return a->sleeper < 0;
	if (a->nr_hops != b->nr_hops)
		return a->nr_hops < b->nr_hops;
	return cmp_loc(warn_loc(g, a), warn_loc(g, b)) < 0;
}

static void group_key(const struct graph *g, const struct finding *f,
		      char *buf, size_t size)
{
	int caller, callee;

	group_cause(g, f, &caller, &callee);
	/* not the phase: one cause in several phases is one cause */
	snprintf(buf, size, "%s/%d/%d/%d/%d", f->check, f->sink, caller,
		 callee, (int)f->boot_kind);
}

static void add_member(struct finding *rep, const struct graph *g,
		       const struct finding *m)
{
	struct group_member *gm;

	rep->members = xrealloc(rep->members,
				(rep->nr_members + 1) * sizeof(*rep->members));
	gm = &rep->members[rep->nr_members++];
	gm->loc = *warn_loc(g, m);
	gm->entry = m->entry;
	if (m->phase >= 0)
		rep->group_phases |= (phase_mask)(1u << m->phase);
}

static int member_cmp(const void *a, const void *b)
{
	return cmp_loc(&((const struct group_member *)a)->loc,
		       &((const struct group_member *)b)->loc);
}

/* What the text of a path shows: two findings alike are one warning. */
static char *path_key(const struct graph *g, const struct finding *f)
{
	const struct fact_loc *l = warn_loc(g, f);
	/* the site as printed: two sites of one macro are one */
	const struct g_site *st = f->site >= 0 ?
				  &g->funcs[f->entry].sites[f->site] : NULL;
	char *s = xasprintf("%s:%u:%u/%d/%u.%u/%d/%d", l->file ? l->file : "",
			    l->line, l->col, f->entry, st ? st->loc.line : 0,
			    st ? st->loc.col : 0, f->context, f->phase), *n;
	int i;

	for (i = 0; i < f->nr_hops; i++) {
		n = xasprintf("%s/%d.%d", s, f->hops[i].func, f->hops[i].call);
		free(s);
		s = n;
	}
	return s;
}

void group_findings(const struct graph *g, struct findings *fs, int all_paths)
{
	struct strmap reps = { 0 }, paths = { 0 };
	struct arena keys = { 0 };
	char key[256];
	int i;

	for (i = 0; i < fs->nr; i++) {
		struct finding *f = &fs->v[i];
		uintptr_t v;

		f->group = -1;
		f->folded = 0;
		f->group_size = 0;
		free(f->members);
		f->members = NULL;
		f->nr_members = 0;
		f->group_phases = 0;
		if (!group_member_of(f))
			continue;
		f->cause_hop = cause_hop(g, f);
		group_key(g, f, key, sizeof(key));
		v = (uintptr_t)strmap_get(&reps, key);
		if (!v || better(g, f, &fs->v[v - 1]))
			strmap_put(&reps, v ? key : arena_strdup(&keys, key),
				   (void *)(uintptr_t)(i + 1));
	}
	for (i = 0; i < fs->nr; i++) {
		struct finding *f = &fs->v[i];
		char *pk;
		int r;

		if (!group_member_of(f))
			continue;
		group_key(g, f, key, sizeof(key));
		r = (int)(uintptr_t)strmap_get(&reps, key) - 1;
		f->group = r;
		f->folded = r != i && !all_paths;
		pk = path_key(g, f);
		if (strmap_get(&paths, pk)) {	/* printed once: counted once */
			free(pk);
			continue;
		}
		strmap_put(&paths, arena_strdup(&keys, pk), (void *)1);
		free(pk);
		add_member(&fs->v[r], g, f);
	}
	for (i = 0; i < fs->nr; i++)
		if (fs->v[i].group >= 0) {
			fs->v[i].group_size = fs->v[fs->v[i].group].nr_members;
			fs->v[i].group_phases = fs->v[fs->v[i].group].group_phases;
		}
	for (i = 0; i < fs->nr; i++)
		if (fs->v[i].nr_members > 1)
			qsort(fs->v[i].members, fs->v[i].nr_members,
			      sizeof(*fs->v[i].members), member_cmp);
	strmap_release(&reps);
	strmap_release(&paths);
	arena_release(&keys);
}
