/*
 * atomic.h: the atomic-context check.  For every sink, find every place an
 * atomic context is entered from which the sink is reachable, with the
 * shortest witness chain; paths on which a fact established by a caller
 * meets a guard of the sink are suppressed, not reported.
 */
#ifndef SPLITSAFE_ATOMIC_H
#define SPLITSAFE_ATOMIC_H

#include "boot.h"
#include "findings.h"
#include "graph.h"

enum sink_set {
	SINKS_RULES,		/* the rules' sinks only */
	SINKS_SLEEP,		/* also every sleeper and sleeping allocation */
};

/*
 * boot may be NULL; with a boot model, atomic context entered in a
 * function that runs only in the rules' atomic-exempt phases (the system
 * booting on one CPU) is suppressed, not reported.
 */
void atomic_check(const struct graph *g, enum sink_set set,
		  const struct boot *boot, struct findings *out);

/*
 * Every function from which a sink can be reached, into *nodes (sorted by
 * name; the caller frees the array).  Returns how many.
 */
int atomic_reaching(const struct graph *g, enum sink_set set, int **nodes);

#endif
