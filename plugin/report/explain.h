/*
 * explain.h: what splitsafe knows about one function, for a reviewer.
 *
 * explain_add() collects, for every function of a name, witness chains
 * in the findings form the analyses already produce:
 *  - per boot phase it runs in, one shortest chain from where the phase
 *    starts (a boot root, a registration, or run time);
 *  - per atomic context kind it can run in, one shortest chain from where
 *    the context is entered (a lock or irq-disable site, a function that
 *    runs in the context as a whole, an assertion), as the atomic check
 *    finds it for a sink: the same entries, guards and sleeps-itself
 *    barriers, a chain check would not report marked why;
 *  - the sleepers it reaches (--sinks=sleep), nearest first, each with one
 *    shortest chain from it.
 * explain_print() writes them as text, explain_dot() as a Graphviz graph.
 *
 * Ownership: struct explanations owns its findings and their hops.
 */
#ifndef SPLITSAFE_EXPLAIN_H
#define SPLITSAFE_EXPLAIN_H

#include <stdio.h>
#include "check/atomic.h"
#include "check/boot.h"
#include "input/compdb.h"
#include "check/findings.h"
#include "graph/graph.h"

/* Sleepers shown per function; the rest are counted. */
#define EXPLAIN_MAX_SLEEPERS 10

struct explanation {
	int func;
	int nth, same_name;	/* 1-based, of the functions of its name */
	struct findings phases;		/* one per phase, in phase order */
	struct findings contexts;	/* one per context kind, rules order */
	struct findings sleeps;		/* the nearest sleepers it reaches */
	int nr_sleeps;			/* how many it reaches in all */
};

struct explanations {
	struct explanation *v;
	int nr, alloc;
};

/*
 * Explain every function named name: the external one, or the static
 * ones of every file.  Returns how many were added (0: no such function).
 */
int explain_add(struct explanations *xs, struct atomic_reach *ar,
		const struct boot *b, const char *name);
void explanations_release(struct explanations *xs);

/* The text for one explanation; db may be NULL (absolute paths). */
void explain_print(FILE *out, const struct graph *g, const struct boot *b,
		   const struct compdb *db, const struct explanation *ex);

/*
 * The witness chains of all explanations as one Graphviz digraph: a node
 * per function (the explained ones highlighted, where chains start and
 * the sleepers marked), an edge per call labelled with its place.
 * Returns 0, or -1 if out could not be written.
 */
int explain_dot(FILE *out, const struct graph *g, const struct boot *b,
		const struct compdb *db, const struct explanations *xs);

/*
 * Shared by the two writers.  How a witness starts, without the
 * function's name: "registered as a timer callback at f.c:12",
 * "f.c:8: 'l' acquired here", "boot root"; "" for a sleeper's chain.
 */
const char *explain_start(char *buf, size_t size, const struct graph *g,
			  const struct compdb *db, const struct finding *w);
/* What to note after a witness, or "": why check would not report it
 * ("safe: f() establishes pte-mapped", "not reported: ..."), and for a
 * sleeper's chain, that the function makes its first call in atomic
 * context ("called with spinlock 'l' held"). */
const char *explain_note(char *buf, size_t size, const struct graph *g,
			 const struct boot *b, const struct finding *w);
/* "f()" for a function, "kmalloc(GFP_KERNEL)" for an allocation. */
const char *explain_name(char *buf, size_t size, const struct g_func *f);

#endif
