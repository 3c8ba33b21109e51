/*
 * group.h: one warning per root cause.
 *
 * Paths to a sink mostly differ where they start: a thousand places that
 * allocate under a spinlock reach the splitter the same way, through
 * KFENCE.  The cause of a path is the call by which it enters the sink's
 * own directory (the subsystem the sink belongs to): the last call on its
 * chain made from a function defined elsewhere, or the first call when
 * the whole chain is at home.  Reported paths of one check, sink, cause
 * and (boot) kind form a group, whatever boot phases they are in; the one
 * with the shortest chain stands for it, a path that avoids functions
 * sleeping themselves before one through them, and the others are folded
 * into it.
 *
 * A group's key names the check, the sink and the cause's caller and
 * callee: nothing that changes when members come and go or lines move.
 *
 * Ownership: the representative owns its members array (freed with the
 * findings).
 */
#ifndef SPLITSAFE_GROUP_H
#define SPLITSAFE_GROUP_H

#include "check/findings.h"
#include "graph/graph.h"

/* Group the reported findings of fs; with all_paths nothing is folded. */
void group_findings(const struct graph *g, struct findings *fs, int all_paths);

/* The caller and callee of f's cause (nodes). */
void group_cause(const struct graph *g, const struct finding *f, int *caller,
		 int *callee);

/* Does f take part in grouping (reported, with a chain)? */
int group_member_of(const struct finding *f);

#endif
