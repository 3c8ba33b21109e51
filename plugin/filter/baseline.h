/*
 * baseline.h: findings known and accepted.  A baseline is a JSON file
 * listing findings by what does not move when unrelated lines do: the
 * check, the sink, the function where the context (or phase) starts, the
 * context or phase, and the functions of the chain; for a group
 * (group.h), the call that is its cause.  Findings in the
 * baseline are not reported or counted for the exit status.
 *
 * Ownership: a loaded baseline owns its keys; baseline_release() frees them.
 */
#ifndef SPLITSAFE_BASELINE_H
#define SPLITSAFE_BASELINE_H

#include "input/compdb.h"
#include "check/findings.h"
#include "graph/graph.h"
#include "core/util.h"

struct baseline {
	struct strmap keys;	/* key -> (void *)1 */
	struct arena arena;
	int nr;
};

/* The finding's key, "check\x1fsink\x1f..." (caller frees): its group's
 * (the cause's caller as entry, its callee as the chain) when it is in
 * one, else its own. */
char *baseline_key(const struct graph *g, const struct compdb *db,
		   const struct finding *f);
/* Its own path's key, as baselines written before groups hold it. */
char *baseline_path_key(const struct graph *g, const struct compdb *db,
			const struct finding *f);

/* Write the reported (not suppressed) findings to path, whole or not at
 * all.  Returns how many, or -1 with err set. */
int baseline_write(const char *path, const struct graph *g,
		   const struct compdb *db, const struct findings *fs,
		   struct ss_err *err);

/* Load path; -1 with err set to "path:line:col: why" on bad input. */
int baseline_load(struct baseline *b, const char *path, struct ss_err *err);

void baseline_release(struct baseline *b);

#endif
