/*
 * change.h: what a change touched, for `check --since REV` and `--diff`:
 * the lines of each file that a unified diff adds or changes (new side),
 * and the places where it only deletes.
 *
 * A finding belongs to the change when its chain passes through a
 * function whose body the change touched, or through a store or
 * registration written on a changed line; the chain, not the changed line,
 * because a new sleeper in a callee warns at a distant caller.
 *
 * Ownership: struct change owns its strings and ranges.
 */
#ifndef SPLITSAFE_CHANGE_H
#define SPLITSAFE_CHANGE_H

#include "core/util.h"

struct change_range {
	unsigned first, last;	/* new-side lines, inclusive */
};

struct change_file {
	const char *path;	/* absolute */
	struct change_range *v;
	int nr, alloc;
};

struct change {
	struct strmap files;	/* absolute path -> struct change_file */
	struct change_file **all;
	int nr, alloc;
	struct arena arena;
};

/* The ranges of a unified diff (git diff, diff -u, a mailed patch); paths
 * relative to root ("a/", "b/" prefixes stripped); lines may end in CRLF
 * (a mailed patch).  err names the line of a malformed hunk header, of a
 * line in a hunk that is not one of its lines, or where a hunk is cut
 * short. */
int change_from_diff(struct change *c, const char *text, const char *name,
		     const char *root, struct ss_err *err);

/*
 * The same for the diff in the file at path ("-": standard input), of at
 * most CHANGE_DIFF_MAX bytes.  Input that is not a unified diff (empty, a
 * NUL byte, no file header) is an error naming the file.
 */
#define CHANGE_DIFF_MAX ((size_t)256 << 20)
int change_from_diff_file(struct change *c, const char *path,
			  const char *root, struct ss_err *err);

/* `git diff REV` of the working tree at root, staged or not. */
int change_from_git(struct change *c, const char *root, const char *rev,
		    struct ss_err *err);

/* Did the change touch lines first..last of file (absolute)? */
int change_touches(const struct change *c, const char *file, unsigned first,
		   unsigned last);

void change_release(struct change *c);

#endif
