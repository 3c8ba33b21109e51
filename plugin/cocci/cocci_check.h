/*
 * cocci_check.h: the semantic patches as a second detector.  Runs a
 * coccicheck-style semantic patch in report mode over directories, with
 * the list of functions that may reach a sink (from the whole-program
 * graph) given to it, and reads its "file:line:col-col: message" lines
 * into hits: where, the message, and the facts the merge compares (which
 * check the patch is a detector of, where the context was entered).
 *
 * Ownership: hits and their strings belong to the arena given; a hit's
 * patch is the detector table's.
 */
#ifndef SPLITSAFE_COCCI_CHECK_H
#define SPLITSAFE_COCCI_CHECK_H

#include "model/facts.h"
#include "core/util.h"

/* The check a semantic patch is a second detector of. */
enum cocci_kind {
	COCCI_ATOMIC,		/* a sink called in atomic context */
	COCCI_BOOT,		/* a sink called in a boot phase */
};

/* A semantic patch of the data directory (core/datadir.h) run by
 * check --cocci. */
struct cocci_detector {
	const char *patch;	/* "split_atomic.cocci" */
	enum cocci_kind kind;
};

/* Every detector, in the order they run; the last one's patch is NULL. */
extern const struct cocci_detector cocci_detectors[];

struct cocci_hit {
	struct fact_loc loc;	/* absolute file, 1-based line and column */
	const char *msg;	/* without "WARNING: " */
	const char *patch;	/* "split_atomic.cocci" */
	enum cocci_kind kind;	/* the check of the patch that found it */
	unsigned entered;	/* the line the context was entered on (the
				 * message ends "... on line N"), or 0 */
};

struct cocci_hits {
	struct cocci_hit *v;
	int nr, alloc;
	int both, only, covered;	/* how they merged (merge.h) */
	struct arena arena;
};

/*
 * Run every detector in report mode over dirs (absolute), with
 * SPLITSAFE_SINK_CALLERS=callers (may be NULL); append their reports to
 * hits.  Stops at the first that fails: -1 with err set; else 0.
 */
int cocci_check_all(struct cocci_hits *hits, char **dirs, int nr_dirs,
		    int jobs, const char *callers, struct ss_err *err);

/* The same for one detector. */
int cocci_check(struct cocci_hits *hits, const struct cocci_detector *d,
		char **dirs, int nr_dirs, int jobs, const char *callers,
		struct ss_err *err);

/* Read d's report lines ("file:line:col-col: WARNING: msg"); exposed for
 * tests. */
int cocci_read_report(struct cocci_hits *hits, const char *text,
		      const struct cocci_detector *d, struct ss_err *err);

void cocci_hits_release(struct cocci_hits *hits);

#endif
