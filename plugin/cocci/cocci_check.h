/*
 * cocci_check.h: the semantic patches as a second detector.  Runs a
 * coccicheck-style semantic patch in report mode over directories, with
 * the list of functions that may reach a sink (from the whole-program
 * graph) given to it, and reads its "file:line:col-col: message" lines.
 *
 * Ownership: hits and their strings belong to the arena given.
 */
#ifndef SPLITSAFE_COCCI_CHECK_H
#define SPLITSAFE_COCCI_CHECK_H

#include "model/facts.h"
#include "core/util.h"

struct cocci_hit {
	struct fact_loc loc;	/* absolute file, 1-based line and column */
	const char *msg;	/* without "WARNING: " */
	const char *patch;	/* "split_atomic.cocci" */
};

struct cocci_hits {
	struct cocci_hit *v;
	int nr, alloc;
	int both, only, covered;	/* how they merged (main.c) */
	struct arena arena;
};

/*
 * Run the semantic patch at path in report mode over dirs (absolute),
 * with SPLITSAFE_SINK_CALLERS=callers (may be NULL); append its reports
 * to hits.  Returns 0, or -1 with err set.
 */
int cocci_check(struct cocci_hits *hits, const char *path, char **dirs,
		int nr_dirs, int jobs, const char *callers, struct ss_err *err);

/* Read report lines ("file:line:col-col: WARNING: msg"); exposed for tests. */
int cocci_read_report(struct cocci_hits *hits, const char *text,
		      const char *patch, struct ss_err *err);

void cocci_hits_release(struct cocci_hits *hits);

#endif
