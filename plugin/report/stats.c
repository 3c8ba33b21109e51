/*
 * stats.c: the --stats lines (see stats.h).
 */
#include "report/stats.h"

void stats_print_graph(FILE *out, const struct graph *g)
{
	const struct graph_stats *st = &g->stats;
	const struct g_ptr *worst[10];
	int i, n = graph_worst_ptrs(g, worst, 10);

	fprintf(out, "splitsafe: indirect calls: %d, resolved %d (%d edges), "
		"no target known %d, over %d targets %d\n", st->indirect,
		st->resolved, st->edges, st->no_target, g->max_targets,
		st->capped);
	for (i = 0; i < n; i++) {
		char name[512];

		fprintf(out, "splitsafe:   not followed: %s: more than %d targets, %d calls\n",
			graph_ptr_name(worst[i]->key, name, sizeof(name)),
			g->max_targets, worst[i]->sites);
	}
}

void stats_print_rules(FILE *out, const struct rules *r)
{
	char version[32];

	rules_version(r, version, sizeof(version));
	fprintf(out, "splitsafe: rules: %s (%s, %s)\n", r->path, r->name,
		version);
}

void stats_print_argprobe(FILE *out, const struct argprobe_report *p)
{
	fprintf(out, "splitsafe: arguments: libclang %s, %d empty parses to "
		"probe them, %d rejected%s\n", p->libclang, p->probes,
		p->nr_drops, p->unresolved ? ", some unresolved" : "");
}

/*
 * Those in no source of the tree (an API renamed or removed) on the
 * coverage line, the others one a line with a file that has them.
 */
void stats_print_coverage(FILE *out, const struct coverage *c)
{
	int i, n = 0;

	fprintf(out, "splitsafe: rules coverage: %d names, %d met in the analysed "
		"TUs, %d only elsewhere in the tree, %d in no source of the tree%s",
		c->total, c->total - c->nr_unmet, c->nr_unmet - c->nr_gone,
		c->nr_gone, c->nr_gone ? ": " : "\n");
	for (i = 0; i < c->nr_unmet; i++)
		if (!c->unmet[i].where)
			fprintf(out, "%s%s", n++ ? ", " : "", c->unmet[i].name);
	if (c->nr_gone)
		fputc('\n', out);
	for (i = 0; i < c->nr_unmet; i++)
		if (c->unmet[i].where)
			fprintf(out, "splitsafe:   not met in the analysed TUs: %s (in %s)\n",
				c->unmet[i].name, c->unmet[i].where);
}

static void print_difference(FILE *out, const struct fact_difference *d,
			     const struct graph *g, const struct compdb *db)
{
	char name[512];
	const char *what = d->ptr_key ?
		graph_ptr_name(d->ptr_key, name, sizeof(name)) : d->as;

	fprintf(out, "splitsafe:   only %s: %s:%u: %s %s()\n",
		d->src == SRC_COCCI ? "coccinelle" : "libclang",
		compdb_relative(db, d->loc->file), d->loc->line, what,
		g->funcs[d->func].name);
}

void stats_print_fact_comparison(FILE *out, const struct fact_comparison *c,
				 const struct graph *g, const struct compdb *db)
{
	int i;

	for (i = 0; i < c->nr; i++)
		print_difference(out, &c->v[i], g, db);
	fprintf(out, "splitsafe: coccinelle and libclang: %d facts both, "
		"%d only coccinelle, %d only libclang\n", c->both,
		c->only_cocci, c->only_libclang);
}

void stats_print_cocci_hits(FILE *out, const struct cocci_hits *hits)
{
	fprintf(out, "splitsafe: semantic patches: %d reports, %d also "
		"libclang findings, %d only theirs (files not built), %d in "
		"analysed files where libclang found no such path\n",
		hits->nr, hits->both, hits->only, hits->covered);
}
