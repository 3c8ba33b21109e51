/*
 * track.h: variables whose value the control-flow IR follows.
 *
 * A scalar local or parameter of the function being lowered can be
 * tracked: its assignments become CF_ASSIGN and its reads CF_VAR, so that
 * "success = true; ... if (!success) kvfree(ptr);" leaves kvfree() out of
 * the paths where success is known to be true, and "if (!head)" splits
 * on what the caller passed.  A variable is kept only when every change
 * of it is in the IR (its address is never taken, no asm names it), it is
 * tested in a condition, and it is a parameter or is given a constant
 * somewhere; the others go back to being opaque.
 *
 * The result per call: which parameters must be zero, or non-zero, for the
 * call to be made at all.  A caller that passes a known value (NULL, or
 * the address of an object) rules the call out on its edge.
 *
 * Ownership: a tracker owns its array; track_release() frees it.  The IR
 * nodes belong to the function's arena.
 */
#ifndef SPLITSAFE_TRACK_H
#define SPLITSAFE_TRACK_H

#include <clang-c/Index.h>
#include <stdint.h>
#include "extract/cflow.h"
#include "core/util.h"

#define TRACK_MAX_PARAMS 32	/* parameters a call requirement can name */

struct track_var {
	CXCursor decl;
	int param;		/* parameter index, or -1: a local */
	unsigned never:1;	/* not a variable that can be tracked */
	unsigned tested:1;	/* read as a condition */
	unsigned constant:1;	/* given a constant somewhere */
	unsigned escaped:1;	/* its address is taken, or asm names it */
};

struct tracker {
	CXCursor fn;		/* the function being lowered */
	struct track_var *v;	/* every declaration asked about */
	int nr, alloc;
	int *slot;		/* hash of decl -> index + 1 */
	unsigned nr_slots;
};

void track_init(struct tracker *tr, CXCursor fn);
void track_release(struct tracker *tr);

/* The tracked variable decl is (a parameter or scalar local), or -1. */
int track_var_of(struct tracker *tr, CXCursor decl);

/* The variable a plain reference (through parentheses) names, or -1. */
int track_ref(struct tracker *tr, CXCursor expr);

/* Every variable named under c can change behind the IR's back (its
 * address is taken, an asm statement names it): it is not kept. */
void track_escape(struct tracker *tr, CXCursor c);

/* The variable is given a constant: worth keeping if it is tested. */
void track_constant(struct tracker *tr, int var);

/*
 * Once the body is lowered: mark what is tested, drop the variables that
 * cannot be kept (their nodes become opaque) and number the rest into
 * cf->nr_vars.
 */
void track_finish(struct tracker *tr, struct cf_func *cf);

/*
 * Per call of cf (after cf_solve()): the parameters that must be zero
 * (need_zero[call]) or non-zero for the call to be made.  Both arrays have
 * cf->nr_calls entries.  Returns 0, or -1 with err set.
 */
int track_needs(const struct tracker *tr, struct cf_func *cf,
		uint32_t *need_zero, uint32_t *need_nonzero,
		struct ss_err *err);

/* Is the unary operator expression c "&operand"? */
int track_is_address_of(CXCursor c);

/* What an argument is known to be: 1 non-zero, 0 zero, -1 not known. */
int track_arg_value(CXCursor arg);

#endif
