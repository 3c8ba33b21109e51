/*
 * boot.h: boot phases.
 *
 * boot_analyze() walks the call graph from the rules' boot roots
 * (start_kernel(), kernel_init(), secondary_start_kernel()), from
 * registered callbacks (initcalls, CPU-hotplug STARTING callbacks, early
 * parameters) and, for everything nothing reaches, from run time.  Inside
 * a function the calls after a transition (a call that, on every path,
 * precedes them and moves the phase on, such as mem_init()) run in the
 * later phase; boot checks (system_capabilities_finalized(), ...) decide
 * which calls are made in which phase.  Each function gets the set of
 * phases in which it can run and one shortest witness chain per phase.
 *
 * boot_check() reports sinks reached in a phase their rules forbid, and
 * sinks that skip their work because a check reads wrong before the
 * capabilities are finalized.
 *
 * Ownership: struct boot owns its arrays; it points into the graph.
 */
#ifndef SPLITSAFE_BOOT_H
#define SPLITSAFE_BOOT_H

#include "check/findings.h"
#include "graph/graph.h"

struct boot_state {
	int from_func;		/* caller, or -1: an entry */
	int from_call;		/* the caller's call, or the registration */
	signed char from_phase;
	unsigned char how;	/* BOOT_ROOT, BOOT_REGISTERED, BOOT_RUNTIME */
};

enum { BOOT_CALLED, BOOT_ROOT, BOOT_REGISTERED, BOOT_RUNTIME };

struct boot {
	const struct graph *g;
	int nr_phases;
	phase_mask *phases;		/* per function: the phases it runs in */
	struct boot_state *st;		/* per function and phase */
	signed char *moves;		/* per function: phase once it returns */
	signed char **before;		/* per function and call: the phase
					   the calls made before it moved to */
};

/* Returns 0; does nothing (nr_phases 0) when the rules have no boot model. */
int boot_analyze(struct boot *b, const struct graph *g);
void boot_release(struct boot *b);

/* The state of f in phase p, or NULL if f does not run in p. */
const struct boot_state *boot_state(const struct boot *b, int f, int p);

/* The phase call c of f is made in when f runs in p, or -1: not made. */
int boot_call_phase(const struct boot *b, int f, int c, int p);

void boot_check(const struct boot *b, struct findings *out);

/*
 * Statement order, for any events that only move forward (the boot
 * phases; a value being set, order.h).  moves[f] holds, on entry, what
 * calling f itself moves to (-1: nothing); boot_order_moves() makes it
 * the most that every path through f to its return moves to, a fixpoint
 * over the graph.  boot_order_before() gives, per function and call, the
 * most the calls made before it on every path move to (-1: nothing);
 * boot_order_release() frees it.
 */
void boot_order_moves(const struct graph *g, signed char *moves);
signed char **boot_order_before(const struct graph *g,
				const signed char *moves);
void boot_order_release(const struct graph *g, signed char **before);

/*
 * Shortest ways back over (function, phase) states, state f * nr + p:
 * from the bk->tail states queued in bk->queue (dist 0, all others -1) to
 * every state that reaches one by calls step accepts: step(data, x, c,
 * px) is the phase call c of x, made in px, is made in, or -1.  dist is
 * the number of calls, next the call toward the nearest.
 */
typedef int boot_step_fn(const void *data, int x, int c, int px);
struct boot_back {
	int *dist, *next, *queue;
	int tail;
};
void boot_back(const struct graph *g, int nr, struct boot_back *bk,
	       boot_step_fn *step, const void *data);

/* Has f nothing to do in phase p (rules boot idle)? */
int boot_idle_in(const struct graph *g, int f, int p);

/* Is f, running in phase p, boot-side: boot-only code or an entry? */
int boot_side(const struct boot *b, int f, int p);

#endif
