/*
 * run.h: the run the commands share: the rules, the compile database (or
 * the TUs of a facts store), the facts store, every TU collected into one
 * graph (parsed, or loaded from the store), and the boot phases analysed.
 * What goes wrong is said on stderr here, one line each, and is -1.
 *
 * Ownership: struct run owns everything in it until run_release().
 */
#ifndef SPLITSAFE_CLI_RUN_H
#define SPLITSAFE_CLI_RUN_H

#include "check/boot.h"
#include "graph/collect.h"
#include "graph/graph.h"
#include "input/argprobe.h"
#include "input/compdb.h"
#include "input/overlay.h"
#include "parse/parse.h"
#include "report/report.h"
#include "rules/rules.h"
#include "store/store.h"
#include "cli/options.h"

/* The TUs that did not parse cleanly, for the structured reports. */
struct tu_failures {
	struct report_failure *v;
	int nr, alloc;
};

/* Everything a command works on: one parse of the tree, analysed. */
struct run {
	struct rules *rules;
	struct compdb db;
	struct store *store;
	struct graph g;
	struct boot boot;
	struct parse_stats st;	/* parsed and failed count loaded TUs too */
	struct argprobe_report probe;	/* arguments libclang rejected */
	int from_store;
	struct tu_failures failures;
	double start;
	/* the other side of a change (check --compare, side.h): the rules
	 * and the store are base's, the files of overlay replace the work
	 * tree's, reparse[i] says which TUs read one of them */
	const struct run *base;
	const struct overlay *overlay;
	char *reparse;
	const char *side;	/* "before the change", for its messages */
};

/* Load the rules and the TUs under paths (all: none given), collect their
 * facts, with Coccinelle's if asked, and analyse the boot phases: that is
 * run_open() (the rules, the TUs, the store), then run_analyse(). */
int run_load(struct run *run, const struct check_opts *o,
	     char **paths, int nr_paths);
int run_open(struct run *run, const struct check_opts *o,
	     char **paths, int nr_paths);
int run_analyse(struct run *run, const struct check_opts *o,
		char **paths, int nr_paths);
/* What the run owns (of a side: not base's). */
void run_release(struct run *run);

/* --assume-sleeps: each function named sleeps for this run. */
int run_assume(struct run *run, const struct check_opts *o);

/* The directories of the tree paths name (the root: none), absolute, in
 * a NULL-ended array; free_dirs() frees it. */
char **run_dirs(const struct run *run, char **paths, int nr_paths, int *nr);
void free_dirs(char **dirs);

/* ", 3 with errors" when some TUs parsed with errors; else "". */
const char *run_with_errors(char *buf, size_t size, const struct run *run);

/* The facts store in dir, for the rules of the run (kept: read-only). */
int run_open_store(struct run *run, const char *dir, int keep);

/* collect_init() for the run, with a store found damaged as a whole
 * started afresh; g is NULL when the facts go only to the store. */
int run_start_collect(struct run *run, struct collect *col, struct graph *g,
		      const char *self);

/* The line for a TU that failed (no AST) or parsed with errors. */
void say_tu_errors(const char *rel, int failed, const char *msg);

#endif
