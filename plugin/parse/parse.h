/*
 * parse.h: parse the TUs of a compile database in parallel and hand their
 * facts to the caller in database order.
 *
 * Workers are child processes (worker.h), so that a TU that crashes
 * libclang fails that TU, not the run.  An idle worker takes the next TU
 * (not a static split), each with its own CXIndex; a TU is disposed as soon
 * as its facts are extracted.  Results are consumed in database order, so
 * everything built from them is the same for -j1 and -jN; workers never
 * run more than a bounded window ahead of the consumer, which bounds
 * memory.  Claims (facts.h) are answered by the calling process, which
 * sees every worker's.
 */
#ifndef SPLITSAFE_PARSE_H
#define SPLITSAFE_PARSE_H

#include "input/compdb.h"
#include "input/overlay.h"
#include "model/facts.h"
#include "rules/rules.h"

struct parse_stats {
	int parsed;		/* TUs with an AST (errors or not) */
	int failed;		/* no AST */
	int with_errors;	/* an AST, and error diagnostics */
	int skipped;		/* not parsed: skip[i] was set */
};

/* Called in the calling process, in database order, for every entry: tu is
 * NULL for a skipped one.  Ownership of tu stays with the parser, which
 * releases it after the call. */
typedef void (*parse_consume_fn)(struct fact_tu *tu, int index,
				 const struct compdb_entry *e, void *data);

struct parse_opts {
	int jobs;
	const char *skip;	/* per entry: do not parse; or NULL */
	facts_claim_fn claim;	/* see facts.h */
	void *claim_data;
	parse_consume_fn consume;
	void *data;
	/* the other side of a change: its files' texts replace the work
	 * tree's in every TU (libclang's unsaved files); or NULL */
	const struct overlay *overlay;
};

/* -1 with err set if a worker could not be started (a TU that kills its
 * worker is a failed TU, not an error). */
int parse_all(const struct compdb *db, const struct rules *r,
	      const struct parse_opts *o, struct parse_stats *st,
	      struct ss_err *err);

#endif
