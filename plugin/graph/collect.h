/*
 * collect.h: the facts of one run, into the graph: from the facts store
 * where they are current, from the parser where they are not.
 *
 * Every TU's facts pass through their stored form (factio.h) whether they
 * were parsed now or loaded, and header functions are added after all TUs
 * in the order the TUs name them; so a run from the store and a run from
 * scratch build the same graph.
 *
 * A header function is extracted by one TU: one whose facts are current in
 * the store already has it, else the first worker to claim it this run.
 * When a changed TU no longer defines a header function it had extracted
 * for the others, a TU that still defines it is parsed again (a second
 * round), so nothing goes missing.
 *
 * Ownership: struct collect owns its maps and the units held until
 * collect_finish(); the graph, store, compdb and rules are the caller's.
 */
#ifndef SPLITSAFE_COLLECT_H
#define SPLITSAFE_COLLECT_H

#include <pthread.h>
#include "input/compdb.h"
#include "model/facts.h"
#include "graph/graph.h"
#include "store/store.h"

struct collect {
	const struct rules *rules;
	struct graph *g;	/* NULL: only write the store */
	struct store *store;	/* NULL: no store */
	const struct compdb *db;
	char *skip;		/* per entry: current in the store */
	const char *reparse;	/* per entry: parse though current (a side) */
	int read_only;		/* a side: nothing is written to the store */
	int round;		/* 1, or 2: parsing again for header units */

	pthread_mutex_t lock;	/* over taken and taken_keys */
	struct strmap taken;	/* header keys a current TU or a claim has */
	struct arena taken_keys;
	struct strmap units;	/* key -> struct blob *, extracted this run */
	struct strmap first_ref;	/* key -> entry index + 1 naming it first */
	const char **order;	/* header keys in the order TUs name them */
	int nr_order, alloc_order;
	struct arena arena;	/* the calling thread's */

	int from_store;		/* TUs loaded, not parsed */
	int last_errors;	/* the TU just loaded: its error count */
	const char *last_error;	/* ... and first error */
	int missing;		/* header functions no TU could give */
	int store_failed;	/* a write failed: err says why */
	/* stored facts that failed their checksum: made again */
	struct collect_damage {
		const char *tu;		/* the TU they came from */
		const char *unit;	/* a header function's key, or NULL */
	} *damaged;
	int nr_damaged, alloc_damaged;
	struct ss_err err;
};

/*
 * Decide what to parse: skip[i] for entries current in the store.  self
 * (kbuild CHECK mode, one TU per process) makes every header function
 * another TU extracted taken, current or not.
 */
int collect_init(struct collect *c, const struct rules *r, struct graph *g,
		 struct store *s, const struct compdb *db, const char *self,
		 struct ss_err *err);

/*
 * The same for the other side of a change (check --compare): the store
 * describes the work tree, so the entries reparse[i] names (the TUs that
 * read a file the change touches) are parsed, their stored header
 * functions count as no one's, and nothing is written to the store.
 * db may differ from the work tree's (a TU absent on that side left out).
 */
int collect_init_side(struct collect *c, const struct rules *r, struct graph *g,
		      struct store *s, const struct compdb *db,
		      const char *reparse, struct ss_err *err);

/* facts_claim_fn for the parser. */
int collect_claim(void *data, const char *key);

/* Entry index's facts: tu just parsed, or NULL (load them).  -1 if the
 * store could not be read or written (err set; the run goes on). */
int collect_tu(struct collect *c, struct fact_tu *tu, int index);

/*
 * After the last TU: the entries to parse again for header functions
 * nobody gave (into skip: 0 = parse; returns how many), then, with 0,
 * add every header function to the graph.
 */
int collect_orphans(struct collect *c);
int collect_finish(struct collect *c, struct ss_err *err);

void collect_release(struct collect *c);

#endif
