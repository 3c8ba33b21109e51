/*
 * findings.h: what the analyses conclude, in a form the reporters print.
 *
 * A finding is one (entry, sink) pair: the place an atomic context was
 * entered (a site in a function, or a function that runs in atomic context
 * as a whole) and a sink reached from it, with the shortest call chain.
 *
 * Ownership: struct findings owns its array and each finding's hops.
 */
#ifndef SPLITSAFE_FINDINGS_H
#define SPLITSAFE_FINDINGS_H

#include "graph.h"

struct hop {
	int func;		/* caller node */
	int call;		/* index of the call in it */
};

struct finding {
	const char *check;	/* "splitsafe-atomic" */
	int sink;		/* node */
	int entry;		/* node where the context is entered */
	int site;		/* site in entry, or -1: entry runs in context */
	int context;		/* rules context index */
	struct hop *hops;	/* entry's call first, the call into sink last */
	int nr_hops;
	/* suppressed findings: why the path is safe */
	int suppressed;
	int guard_by;		/* node establishing the fact, or -1 */
	int guard_index;	/* index in sink's guards, or -1: rules safe-when */
	fact_mask facts;	/* the facts that make it safe */
};

struct findings {
	struct finding *v;
	int nr, alloc;
};

void findings_release(struct findings *fs);

#endif
