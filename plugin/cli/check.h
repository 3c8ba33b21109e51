/*
 * check.h: the steps of `splitsafe check` that --compare (compare.c) takes
 * on each side of a change; private to cli/.  Each says what went wrong
 * on stderr and returns -1.
 */
#ifndef SPLITSAFE_CLI_CHECK_H
#define SPLITSAFE_CLI_CHECK_H

#include "check/findings.h"
#include "cli/options.h"
#include "cli/run.h"
#include "cocci/cocci_check.h"
#include "filter/ignore.h"

/* The findings of the run, with what it keeps of them marked. */
int check_find(const struct run *run, const struct check_opts *o,
	       struct findings *fs, struct cocci_hits *hits,
	       struct ignores *ignores);

/* The report (-o or stdout), and --sarif-output: the number of warnings
 * the report counted, or -1. */
int check_write_reports(const struct run *run, const struct check_opts *o,
			const struct findings *fs, int suppressed);

/* The summary line on stderr. */
void check_print_summary(const struct run *run, int warnings, int suppressed);

/* How many findings are suppressed. */
int check_suppressed(const struct findings *fs);

/* check --compare REV or --compare-diff FILE: the exit status. */
int cmd_compare(struct check_opts *o);

#endif
