/*
 * cflow_solver.h: the state of one solve of the cflow IR, shared by
 * cflow.c (which prepares the IR and drives the solve) and cflow_eval.c
 * (which evaluates nodes).  Private to extract/.
 *
 * A state is nw words: word 0 is the "live" flag (0: dead, nothing flows
 * from it), the others a bit set: the sites that may be held, then (when
 * dominators are computed) a bit per call not yet made, then two bits per
 * tracked variable.
 *
 * Ownership: states and the solver's tables are in s->scratch, released
 * when the solve ends; what outlives it is in the cf_func's arena.
 */
#ifndef SPLITSAFE_CFLOW_SOLVER_H
#define SPLITSAFE_CFLOW_SOLVER_H

#include <string.h>
#include "extract/cflow.h"

struct jump {
	uint64_t *brk;		/* state at break */
	uint64_t *cont;		/* state at continue (loops) */
	uint64_t *entry;	/* state at switch entry (switches) */
	struct cf_node *node;
};

#define MAX_DEPTH 256

struct solver {
	struct cf_func *f;
	struct arena scratch;
	int nw;			/* words of a state: 1 live + bits */
	uint64_t *label_in;	/* per label */
	struct cf_node **label_node;
	uint64_t **kill;	/* per RELEASE: found via node->call slot */
	struct jump jumps[MAX_DEPTH];
	int njumps;
	int changed;
	uint64_t *exit;		/* state at return, for dominators */
	int call_bits;		/* bit of call i is call_bits + i, or -1 */
	int var_bits;		/* variable v: bit var_bits + 2v may be
				   non-zero, the next one may be zero */
	struct ss_err *err;
	int failed;
};

/* ---- states ---- */

static inline uint64_t *st_new(struct solver *s)
{
	return arena_alloc(&s->scratch, s->nw * sizeof(uint64_t));
}

static inline uint64_t *st_copy(struct solver *s, const uint64_t *a)
{
	uint64_t *n = st_new(s);

	memcpy(n, a, s->nw * sizeof(uint64_t));
	return n;
}

static inline uint64_t *st_dead(struct solver *s)
{
	return st_new(s);	/* zeroed: dead, no bits */
}

/* a |= b; returns whether a grew */
static inline int st_join(struct solver *s, uint64_t *a, const uint64_t *b)
{
	int i, grew = 0;

	if (!b[0])
		return 0;
	for (i = 0; i < s->nw; i++) {
		uint64_t n = a[i] | b[i];

		if (n != a[i]) {
			a[i] = n;
			grew = 1;
		}
	}
	return grew;
}

static inline uint64_t *st_union(struct solver *s, const uint64_t *a,
				 const uint64_t *b)
{
	uint64_t *n = st_copy(s, a);

	if (!a[0])
		memset(n, 0, s->nw * sizeof(uint64_t));
	st_join(s, n, b);
	return n;
}

static inline void st_kill(struct solver *s, uint64_t *a,
			   const uint64_t *bits)
{
	int i;

	for (i = 1; i < s->nw; i++)
		a[i] &= ~bits[i - 1];
}

/* The state after n, evaluated from in (cflow_eval.c). */
uint64_t *cflow_eval(struct solver *s, struct cf_node *n, uint64_t *in);

#endif
