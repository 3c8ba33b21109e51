/*
 * explain.h: what splitsafe knows about one function, for a reviewer:
 * the boot phases in which it can run, each with one shortest witness
 * chain from where that phase starts (a boot root, a registration, or run
 * time).
 */
#ifndef SPLITSAFE_EXPLAIN_H
#define SPLITSAFE_EXPLAIN_H

#include <stdio.h>
#include "boot.h"
#include "compdb.h"
#include "graph.h"

/* Print the explanation of node func; db may be NULL (absolute paths). */
void explain_function(FILE *out, const struct graph *g, const struct boot *b,
		      const struct compdb *db, int func);

#endif
