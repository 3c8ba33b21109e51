/*
 * atomic.h: the atomic-context check.  For every sink, find every place an
 * atomic context is entered from which the sink is reachable, with the
 * shortest witness chain; paths on which a fact established by a caller
 * meets a guard of the sink are suppressed, not reported.
 *
 * The search behind it works for any target function, not only a sink:
 * atomic_reach_entries() gives the atomic contexts a function can run in
 * (explain uses it), atomic_check() runs it for every sink.
 */
#ifndef SPLITSAFE_ATOMIC_H
#define SPLITSAFE_ATOMIC_H

#include "check/boot.h"
#include "check/findings.h"
#include "graph/graph.h"

enum sink_set {
	SINKS_RULES,		/* the rules' sinks only */
	SINKS_SLEEP,		/* also every sleeper and sleeping allocation */
};

/*
 * boot may be NULL; with a boot model, atomic context entered in a
 * function that runs only in the rules' atomic-exempt phases (the system
 * booting on one CPU) is suppressed, not reported.
 */
void atomic_check(const struct graph *g, enum sink_set set,
		  const struct boot *boot, struct findings *out);

/*
 * Every function from which a sink can be reached, into *nodes (sorted by
 * name; the caller frees the array).  Returns how many.
 */
int atomic_reaching(const struct graph *g, enum sink_set set, int **nodes);

/* Is f a sink of the set?  A rules sink whose body never makes the call
 * the rules say it sleeps at is not (a stub, an old version). */
int atomic_is_sink(const struct g_func *f, enum sink_set set);

/* The facts under which sink k returns before it sleeps (0: none). */
fact_mask atomic_sink_guards(const struct graph *g, int k);

/*
 * Why the path of f is safe under guards: the first function of its chain
 * from hop from on (or the sink) that establishes a guard fact, into
 * f->guard_by and f->facts, and the sink guard those facts meet into
 * f->guard_index (-1: the rules' safe-when).
 */
void atomic_guard_of(const struct graph *g, struct finding *f, int from,
		     fact_mask guards);

/* The facts f establishes for everything it calls (0: none). */
fact_mask atomic_established(const struct graph *g, int f);

/* The context f runs in as a whole (rules entry context, or the context
 * of its registration), as a rules context index, or -1. */
int atomic_whole_context(const struct graph *g, int f);

/*
 * The searches toward one target at a time, reused from target to target.
 * A path no guard makes safe is reported; when it runs through a function
 * that sleeps itself the warning says so (that function is a bug in
 * atomic context already, and shortest chains through reclaim and frees
 * are often ones the call graph allows but the kernel does not take), but
 * it is reported all the same.  The functions that sleep themselves are
 * found once, at init.
 */
struct atomic_search;
struct atomic_sleepers;

struct atomic_reach {
	const struct graph *g;
	const struct boot *boot;	/* or NULL */
	/* over every path; over those no guard makes safe; over those no
	 * guard and no function that sleeps itself is on */
	struct atomic_search *all, *guarded, *unsafe;
	struct atomic_sleepers *sl;
	int *queue;
};

/* Why f sleeps itself: f when the rules say it sleeps, else the sleeper
 * or sleeping allocation it calls (-1: it does not). */
int atomic_sleeps_by(const struct atomic_reach *ar, int f);

void atomic_reach_init(struct atomic_reach *ar, const struct graph *g,
		       const struct boot *boot);
void atomic_reach_release(struct atomic_reach *ar);

/*
 * One finding per place an atomic context is entered (a site, or a
 * function running in a context as a whole) from which target is
 * reachable, other than in target itself, with a shortest chain into
 * target.  A place reaching it only on safe paths gives a suppressed
 * finding saying why, as atomic_check() does for a sink.
 */
void atomic_reach_entries(struct atomic_reach *ar, int target,
			  struct findings *out);

/*
 * The contexts target runs in by itself, as findings without hops: the
 * context it runs in as a whole, and the contexts it asserts are held
 * (lockdep_assert_held() and the like).
 */
void atomic_own_entries(struct atomic_reach *ar, int target,
			struct findings *out);

#endif
