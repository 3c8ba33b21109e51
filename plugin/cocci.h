/*
 * cocci.h: running Coccinelle's spatch: find it on PATH, check that its
 * version is one splitsafe knows, and run a semantic patch over a
 * directory without a shell (posix_spawn with an argument vector),
 * collecting what it prints.
 *
 * Ownership: cocci_run() hands the caller its output (free()).
 */
#ifndef SPLITSAFE_COCCI_H
#define SPLITSAFE_COCCI_H

#include "util.h"

/* Oldest spatch whose SmPL and Python interface splitsafe uses. */
#define COCCI_MIN_VERSION "1.1.0"

/* name found on PATH into path: 1, or 0. */
int cocci_which(const char *name, char *path, size_t size);

/* The spatch on PATH and its version, or -1 with err set. */
int cocci_find(char *path, size_t size, char *version, size_t vsize,
	       struct ss_err *err);

/*
 * Run spatch (or any program: git for --since) at path with argv (argv[0] is ignored, NULL-terminated) and
 * extra environment entries env ("NAME=value", NULL-terminated, may be
 * NULL); its standard output into *out.  Returns 0, or -1 with err set
 * (naming the first line spatch wrote on stderr) when it cannot run or
 * exits non-zero.
 */
int cocci_run(const char *path, char *const argv[], char *const env[],
	      char **out, struct ss_err *err);

#endif
