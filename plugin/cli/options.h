/*
 * options.h: the command line of each command, read into its options
 * (private to cli/).  A bad option or value is a usage error, said in one
 * line (cli.h).
 *
 * Ownership: the options point into argv.
 */
#ifndef SPLITSAFE_CLI_OPTIONS_H
#define SPLITSAFE_CLI_OPTIONS_H

#include "check/atomic.h"
#include "report/report.h"

enum report_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_MAIL };
#define MAX_ASSUME 64

/* check and explain: one set of options (each says which it rejects). */
struct check_opts {
	const char *build_dir, *root;
	const char *rules_path;		/* NULL: the installed default */
	const char *assume[MAX_ASSUME];	/* --assume-sleeps */
	int nr_assume;
	const char *dot;		/* explain --dot FILE */
	int jobs, quiet, stats, max_targets, cocci_facts, cocci;
	enum report_format format;
	const char *write_callers, *output, *baseline, *write_baseline;
	const char *cache_dir, *facts_dir, *since, *diff;
	const char *compare, *compare_diff;	/* the other side of a change */
	int no_cache;
	const char *sarif_output;
	enum sink_set sinks;
	struct report_opts report;
	char **paths;		/* the arguments after the options */
	int nr_paths;
};

/* argv[0] is the command.  0, or the exit status of a usage error (2)
 * once said; --help prints the usage and exits. */
int parse_check_args(int argc, char **argv, struct check_opts *o);

/*
 * kbuild CHECK mode: make C=1 CHECK="splitsafe extract --facts DIR" runs
 * "$(CHECK) $(CHECKFLAGS) $(c_flags) file" once per TU; splitsafe's own
 * options come first, everything after them is the compiler's.
 */
struct extract_opts {
	const char *facts_dir, *rules_path, *root;
	int quiet;
	char **args;		/* the compiler's */
	int nr_args;
};

/* As parse_check_args(), for extract. */
int parse_extract_args(int argc, char **argv, struct extract_opts *o);

/* A C identifier: what a function name given on the command line is. */
int is_identifier(const char *s);

#endif
