/*
 * command.h: run a program without a shell (posix_spawn with an argument
 * vector), collecting what it prints: spatch, git for --since, the
 * compiler for its version.
 *
 * Ownership: command_run() hands the caller its output (free()).
 */
#ifndef SPLITSAFE_COMMAND_H
#define SPLITSAFE_COMMAND_H

#include <stddef.h>
#include "core/util.h"

/* name found on PATH into path: 1, or 0. */
int command_which(const char *name, char *path, size_t size);

/*
 * Run the program at path with argv (argv[0] is ignored, NULL-terminated)
 * and extra environment entries env ("NAME=value", NULL-terminated, may
 * be NULL); its standard output into *out.  Returns 0, or -1 with err set
 * (naming the first line it wrote on stderr) when it cannot run or exits
 * non-zero.
 */
int command_run(const char *path, char *const argv[], char *const env[],
	      char **out, struct ss_err *err);

#endif
