/*
 * compare.h: how Coccinelle's callback facts and libclang's compare
 * (check --cocci-facts --stats), counted where both extract: the
 * registrations made by a call or a registration macro, and the stores
 * of a function into a pointer, except those libclang sees in a kind
 * Coccinelle does not extract or made by a registration macro (compared
 * as that macro).
 *
 * Ownership: struct fact_comparison owns its array, which points into
 * the graph compared.
 */
#ifndef SPLITSAFE_COCCI_COMPARE_H
#define SPLITSAFE_COCCI_COMPARE_H

#include "graph/graph.h"

/* A fact one extractor alone has. */
struct fact_difference {
	int src;		/* SRC_COCCI or SRC_LIBCLANG: the one */
	const struct fact_loc *loc;
	const char *as;		/* a registration: the rule's name for it */
	const char *ptr_key;	/* else the pointer stored into (its key) */
	int func;		/* node registered or stored */
};

struct fact_comparison {
	int both, only_cocci, only_libclang;
	struct fact_difference *v;	/* registrations first, graph order */
	int nr, alloc;
};

void cocci_compare_facts(struct fact_comparison *c, const struct graph *g);
void fact_comparison_release(struct fact_comparison *c);

#endif
