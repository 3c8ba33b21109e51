/*
 * datadir.h: where splitsafe's own data is, its rules and its semantic
 * patches.
 *
 * An installed splitsafe finds them beside itself, at SPLITSAFE_DATADIR_REL
 * from the directory of its executable ("../share/splitsafe" for
 * bin/splitsafe), so an installed prefix can be moved or copied whole.  A
 * splitsafe run from the build directory it was built in uses its source
 * tree's rules/ and semantic-patches/, unless it was built with
 * SPLITSAFE_SOURCE_FALLBACK=OFF (a package: no build paths in the
 * binary).  Nothing else is looked at: a binary copied away from both is
 * an error, never a guess.
 *
 * Ownership: the returned strings are the module's, made once, kept until
 * exit.
 */
#ifndef SPLITSAFE_DATADIR_H
#define SPLITSAFE_DATADIR_H

#include "core/util.h"

/* The directory holding rules/ and semantic-patches/, or -1 with err. */
int datadir_get(const char **dir, struct ss_err *err);

/* DIR/name under the data directory (malloc'd), or NULL with err. */
char *datadir_file(const char *name, struct ss_err *err);

#endif
