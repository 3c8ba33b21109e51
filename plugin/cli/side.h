/*
 * side.h: the other side of a change, for check --compare: the work
 * tree's run with the files of an overlay (input/overlay.h) in place of
 * the work tree's.  The TUs whose recorded inputs (the facts store's) hold
 * none of those files are the same on both sides: their facts come from
 * the store, which the work tree's run has just brought up to date.  The
 * others, and any TU the store does not know, are parsed with the
 * overlay's files as libclang's unsaved files, and their facts are not
 * stored (the store describes the work tree).  A TU whose source is
 * absent on that side is left out.  When the other side adds files
 * (written for -ivfsoverlay, overlay.h), the TUs that parsed with errors
 * are parsed too (an #include that failed may find one of them).  Header functions are taken as a fresh run on that
 * tree would take them (graph/collect.h), so its graph is the one such a
 * run builds.
 *
 * Ownership: the side is a struct run that borrows base's rules and store
 * (run.h); run_release() frees the rest.
 */
#ifndef SPLITSAFE_CLI_SIDE_H
#define SPLITSAFE_CLI_SIDE_H

#include "cli/options.h"
#include "cli/run.h"
#include "input/overlay.h"

/* Load and analyse the side; label ("at HEAD~1") goes into its messages
 * and must outlive it.  -1 once said. */
int side_load(struct run *side, const struct run *base,
	      const struct check_opts *o, const struct overlay *ov,
	      const char *label);

/* How the side was made, for its line on stderr. */
struct side_counts {
	int parsed;		/* TUs parsed with the overlay */
	int from_store;
	int left_out;		/* no source on that side */
};
void side_count(const struct run *side, const struct run *base,
		struct side_counts *n);

#endif
