/*
 * coverage.h: the names the rules use that the analysed code never met,
 * so that a kernel API rename shows at once instead of silently dropping
 * a registration, a primitive or a sink.
 *
 * A name is met when some analysed TU defines it, calls it, writes it (a
 * macro: primitives, registrations, assertions), reads it (a variable) or
 * defines it as a struct field; the extractor records that (facts.h,
 * fact_tu.seen).  The names not met are then looked for in the C sources
 * of the tree: those found nowhere are gone (renamed or removed), the
 * others are only in code this run did not analyse.
 *
 * Ownership: struct coverage owns its arrays and strings.
 */
#ifndef SPLITSAFE_COVERAGE_H
#define SPLITSAFE_COVERAGE_H

#include "graph/graph.h"
#include "rules/rules.h"
#include "core/util.h"

struct coverage_name {
	const char *name;	/* the rules' */
	const char *where;	/* a tree file that has it, or NULL: gone */
};

struct coverage {
	int total;		/* names the rules give a role that is checked */
	struct coverage_name *unmet;	/* met by no analysed TU, by name */
	int nr_unmet;
	int nr_gone;		/* of those, in no C source of the tree */
	int files;		/* sources read to look for them */
	struct arena arena;
};

/* Compute the coverage of the rules over graph g; root is the tree. */
int coverage_compute(struct coverage *c, const struct rules *r,
		     const struct graph *g, const char *root, struct ss_err *err);

void coverage_release(struct coverage *c);

#endif
