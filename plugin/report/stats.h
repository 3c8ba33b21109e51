/*
 * stats.h: check --stats, what the analysis resolved and did not, each
 * a "splitsafe: " line (or a few) on out: the rules used, the indirect calls, the
 * arguments libclang rejected, the rules' coverage, how Coccinelle's facts
 * compare with libclang's and how the semantic patches' findings merged.
 * The analyses decide what is counted; these only print it.
 */
#ifndef SPLITSAFE_REPORT_STATS_H
#define SPLITSAFE_REPORT_STATS_H

#include <stdio.h>

#include "check/coverage.h"
#include "cocci/cocci_check.h"
#include "cocci/compare.h"
#include "graph/graph.h"
#include "input/argprobe.h"
#include "input/compdb.h"
#include "rules/rules.h"

/* The indirect calls, and the pointers with the most targets not followed. */
void stats_print_graph(FILE *out, const struct graph *g);

/* How the compile database's arguments were probed. */
void stats_print_argprobe(FILE *out, const struct argprobe_report *p);

/* Which rules the run used: their file, name and version. */
void stats_print_rules(FILE *out, const struct rules *r);

/* The rules' names the analysed TUs did not meet. */
void stats_print_coverage(FILE *out, const struct coverage *c);

/* Each fact one extractor alone has, then the counts; db names files. */
void stats_print_fact_comparison(FILE *out, const struct fact_comparison *c,
				 const struct graph *g, const struct compdb *db);

/* How the semantic patches' reports merged (cocci/merge.h). */
void stats_print_cocci_hits(FILE *out, const struct cocci_hits *hits);

#endif
