/*
 * compare.h: the findings of a change, for `check --compare`: the same
 * tree analysed before and after it, each side's reported findings
 * matched with the other's by their baseline keys (baseline.h), so that
 * lines moving is no change.  A finding after the change is new or
 * unchanged, one before it fixed or unchanged; with two findings of one
 * key on a side and one on the other, one of the two is new (or fixed).
 *
 * Ownership: nothing is kept; the findings' states are set in place.
 */
#ifndef SPLITSAFE_FILTER_COMPARE_H
#define SPLITSAFE_FILTER_COMPARE_H

#include "check/findings.h"
#include "graph/graph.h"
#include "input/compdb.h"

/* One side: its graph, database and findings (grouped, filtered). */
struct compare_side {
	const struct graph *g;
	const struct compdb *db;
	struct findings *fs;
};

struct compare_counts {
	int added, fixed, unchanged;	/* unchanged: counted after */
};

/* Set the state of every reported finding of both sides. */
void compare_findings(struct compare_side *before, struct compare_side *after,
		      struct compare_counts *out);

#endif
