/*
 * assume.h: what-if assumptions for one run, made by extending the loaded
 * rules and graph, so that every analysis and reporter treats them as if
 * the rules had said so.
 *
 * --assume-sleeps X ("if X took a mutex, who breaks?"): X becomes a
 * sleeper and a sink.  It is applied after parsing: what was extracted
 * from the sources does not depend on it, so X sleeps on entry, before
 * any early return of its body.
 */
#ifndef SPLITSAFE_ASSUME_H
#define SPLITSAFE_ASSUME_H

#include "graph/graph.h"
#include "rules/rules.h"

/* What an assumed sink's reports say it does. */
#define ASSUME_SLEEPS_WHY "assumed to sleep: --assume-sleeps"

/*
 * Make every function named name sleep.  Returns how many functions of
 * the graph are named so; 0: none, and nothing is changed.
 */
int assume_sleeps(struct rules *r, struct graph *g, const char *name);

#endif
