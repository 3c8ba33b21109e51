/*
 * cli.h: what the commands of the program share: the usage, the one-line
 * errors, the end of stdout, and the commands themselves.  The program is
 * the only place that prints diagnostics about splitsafe itself and
 * decides the exit status: 0 no finding, 1 findings, 2 usage or input
 * error.
 */
#ifndef SPLITSAFE_CLI_H
#define SPLITSAFE_CLI_H

#include "core/util.h"
#include "core/wholefile.h"

/* splitsafe --help */
extern const char cli_usage[];

/* A usage error is one line ("see 'splitsafe --help'"); the full usage
 * only when msg is NULL.  Returns the exit status, 2. */
int usage_error(const char *msg);

/* The usage on stdout: returns the exit status, 0, or 2 if it could not
 * be written. */
int show_help(void);

/* "splitsafe: MSG" on stderr for err; returns -1. */
int say_error(const struct ss_err *err);

/* wholefile_open() and wholefile_commit(), their error said: -1. */
int open_whole(struct wholefile *w, const char *path);
int commit_whole(struct wholefile *w);

/* The end of a command's stdout: a failed write is said in one line and
 * is -1; else 0.  Nothing may write to stdout after. */
int finish_stdout(const char *what);

/* The commands: argv[0] is the command's name; each returns the exit
 * status. */
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_version(int argc, char **argv);	/* --version */

struct rules;
struct store;

/* The rules of --rules FILE, or the installed default when given is NULL
 * (core/datadir.h); -1 once said. */
int cli_load_rules(struct rules **r, const char *given);

/* What --version prints, the facts store and SARIF carry. */
struct cli_versions {
	char splitsafe[32];
	char libclang[64];	/* "19.1.7" */
	char rules[32];		/* rules_version() */
};
void cli_versions(const struct rules *r, struct cli_versions *v);

/* The versions into the store's meta table; -1 once said. */
int cli_record_versions(struct store *s, const struct rules *r);

#endif
