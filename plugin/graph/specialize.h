/*
 * specialize.h: calls whose arguments rule out part of the callee.
 *
 * kfree_rcu(p, rcu) passes kvfree_call_rcu() the address of p's rcu_head,
 * and kvfree_call_rcu() only sleeps and calls kvfree() when that argument
 * is NULL.  The facts say, per call, which parameters must be zero or
 * non-zero for it to be made (track.h) and what each call passes.  A call
 * whose known arguments rule out some of its callee's calls is pointed at
 * a copy of the callee in which those calls are not reached; callers that
 * pass the same known values share one copy.  Copies are not made of the
 * rules' sinks (nothing after a sink is followed).
 *
 * Ownership: copies are nodes of the graph like any other (g_func.orig
 * names what they copy); their sites and calls are their own.
 */
#ifndef SPLITSAFE_SPECIALIZE_H
#define SPLITSAFE_SPECIALIZE_H

#include "graph/graph.h"

/* After indirect calls are resolved, before reverse edges are made. */
void specialize_calls(struct graph *g);

#endif
