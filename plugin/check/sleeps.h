/*
 * sleeps.h: what a function calls that may sleep.
 *
 * A forward search from the function over the calls it can make finds
 * every sleeper it reaches, in the sense of --sinks=sleep: the rules'
 * sinks, the functions the rules say sleep, and allocations with a
 * sleeping GFP flag.  It does not search past a sleeper (what a
 * mutex_lock() calls says nothing new), nor, beyond the function itself,
 * past a call made in atomic context (a sleeper there is a bug at that
 * call).  A sink reached only through a function that establishes one of
 * its guard facts is listed as safe, with that function, as
 * atomic_check() would suppress the path.
 */
#ifndef SPLITSAFE_SLEEPS_H
#define SPLITSAFE_SLEEPS_H

#include "check/findings.h"
#include "graph/graph.h"

/*
 * One finding per sleeper reached from func (not func itself): sink the
 * sleeper, entry func, site and context -1, hops func's call first.  In
 * order: nearest first, then by name and key.  Guarded ones are
 * suppressed, with guard_by and facts.  Returns how many were added.
 */
int sleeps_from(const struct graph *g, int func, struct findings *out);

#endif
