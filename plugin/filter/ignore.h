/*
 * ignore.h: in-tree suppressions.  A C comment saying
 *	splitsafe: ignore <check> -- <reason>
 * on the line of a finding's call (or the line above it), or above the
 * definition of the function where the finding starts, silences that
 * check there.  The reason is mandatory.
 *
 * Ownership: the reasons the findings point to belong to struct ignores;
 * ignores_release() frees them.
 */
#ifndef SPLITSAFE_IGNORE_H
#define SPLITSAFE_IGNORE_H

#include "input/compdb.h"
#include "check/findings.h"
#include "graph/graph.h"
#include "core/util.h"

struct ignores {
	struct strmap files;	/* path -> file text, read once */
	struct arena arena;
	int nr;			/* findings silenced */
};

/*
 * Mark the findings a comment silences (suppressed, ignore_reason set).
 * Returns 0, or -1 with err set to "path:line: ..." for a comment without
 * a reason.
 */
int ignores_apply(struct ignores *ig, const struct graph *g,
		  struct findings *fs, struct ss_err *err);

/* The text of the file at path is text (check --compare: the other side's
 * version of a file), not what the work tree has; call before applying. */
void ignores_use_text(struct ignores *ig, const char *path, const char *text);

void ignores_release(struct ignores *ig);

#endif
