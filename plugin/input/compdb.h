/*
 * compdb.h: the build's compile_commands.json, read through libclang's
 * CompilationDatabase API, with every command turned into arguments that
 * libclang accepts (codegen and dependency flags dropped, a GCC build's
 * target added, the working directory passed explicitly; argprobe drops
 * what the linked libclang rejects).
 *
 * Ownership: struct compdb owns its entries and strings (arena).
 */
#ifndef SPLITSAFE_COMPDB_H
#define SPLITSAFE_COMPDB_H

#include "core/util.h"

struct compdb_entry {
	const char *file;	/* absolute, canonical */
	const char *rel;	/* relative to the tree root when inside it */
	const char *dir;	/* the command's working directory */
	const char *compiler;	/* as the command names it; NULL if unknown */
	const char **argv;	/* sanitised arguments, without the source */
	int argc;
	int own;		/* the last own arguments are splitsafe's
				 * (-Wno-everything...): argprobe keeps them */
};

/* An entry the tool cannot use: the CLI says so, the run goes on. */
struct compdb_unusable {
	int entry;		/* 1-based, in the file's order */
	const char *why;
};

struct compdb {
	const char *path;	/* .../compile_commands.json */
	const char *root;	/* source tree root, for relative paths */
	struct compdb_entry *entries;
	int nr;
	int skipped;		/* entries that are not C sources */
	int from_gcc;		/* entries compiled by GCC, adapted for clang */
	struct compdb_unusable *unusable;	/* in the arena */
	int nr_unusable;
	struct arena arena;
};

/*
 * Load dir/compile_commands.json, entries sorted by file.  root may be
 * NULL: then the kbuild "source" link in dir is followed when present, else
 * dir is the root.  Entries that cannot be used (a path longer than
 * PATH_MAX, no command) are listed in unusable, not in entries.
 */
int compdb_load(struct compdb *db, const char *dir, const char *root,
		struct ss_err *err);

/* An empty database for files under root (kbuild CHECK mode, the store). */
int compdb_init(struct compdb *db, const char *root, struct ss_err *err);

/*
 * Add the TU of a kbuild CHECK command line run in dir: compiler flags and
 * sparse-only options (--arch=, -Wbitwise...; ignored), the source last.
 */
int compdb_add_check(struct compdb *db, const char *dir, char *const *args,
		     int n, struct ss_err *err);

/* Add a TU whose arguments were sanitised before (read from the store). */
void compdb_add_sanitised(struct compdb *db, const char *file, const char *dir,
			  const char *const *argv, int argc);

/* Keep only entries whose relative path starts with one of prefixes. */
void compdb_filter(struct compdb *db, char *const *prefixes, int n);

/* Path of file relative to the root if inside it, else file itself (also
 * when db is NULL: no compile database to be relative to). */
const char *compdb_relative(const struct compdb *db, const char *file);

void compdb_release(struct compdb *db);

#endif
