/*
 * scope.h: keep the findings a change is responsible for (--since, --diff).
 *
 * A function is touched when the change touched a line of its body, or a
 * line that stores it into a function pointer or registers it as a
 * callback.  A finding stays when its chain (the entry of the context,
 * every caller and callee on the way, the sink) passes through a touched
 * function; the others are dropped, neither reported nor counted.
 */
#ifndef SPLITSAFE_SCOPE_H
#define SPLITSAFE_SCOPE_H

#include "input/change.h"
#include "check/findings.h"
#include "graph/graph.h"

/* Per node: touched by the change.  Caller frees. */
char *scope_touched(const struct graph *g, const struct change *c);

/* Drop the findings outside the change; returns how many were dropped. */
int scope_filter(struct findings *fs, const struct graph *g,
		 const struct change *c);

#endif
