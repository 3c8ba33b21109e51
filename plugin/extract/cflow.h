/*
 * cflow.h: flow-sensitive "may be held" tracking of atomic contexts inside
 * one function.
 *
 * The fact extractor lowers a function body into a small structured IR
 * (sequences, ifs, loops, switches, labels and gotos, calls, and context
 * acquire/release events), then cf_solve() runs a may-analysis over it: a
 * call counts as made under a context site when any path reaches the call
 * with that site held.  Conditions are evaluated into a true and a false
 * state so that "if (spin_trylock(l))" holds l only on the true branch.
 *
 * Ownership: every node and array belongs to the arena given to cf_init().
 */
#ifndef SPLITSAFE_CFLOW_H
#define SPLITSAFE_CFLOW_H

#include <stdint.h>
#include "core/util.h"

enum cf_kind {
	CF_SEQ,		/* kids in order; a scope if scope_kill is set */
	CF_IF,		/* kids: cond, then [, else] */
	CF_WHILE,	/* kids: cond, body */
	CF_DO,		/* kids: body, cond */
	CF_FOR,		/* kids: init, cond, inc, body (CF_EMPTY where absent) */
	CF_LOOP,	/* kids evaluated in order, repeated: shape unknown */
	CF_SWITCH,	/* kids: cond, body; has_default */
	CF_CASE,	/* case or default label in the innermost switch */
	CF_LABEL,	/* label */
	CF_GOTO,	/* label */
	CF_RETURN,	/* kids: the returned expression */
	CF_BREAK,
	CF_CONTINUE,
	CF_CALL,	/* call (-1: not recorded); kids: arguments, first */
	CF_ACQUIRE,	/* site */
	CF_TRY,		/* site, held only where the expression is non-zero */
	CF_RELEASE,	/* context, key */
	CF_NOT,		/* kid */
	CF_AND,		/* kids: a, b */
	CF_OR,
	CF_TERNARY,	/* kids: cond, a, b */
	CF_CONST,	/* value: 0 or 1 */
	CF_TRANSPARENT,	/* condition value is the first kid (__builtin_expect) */
	CF_PRED,	/* a check with a known value (pred); kids run first;
			   value 1: a comparison still to be read, unknown */
	CF_VAR,		/* a tracked variable (var) read; as a condition, its
			   value is what the paths so far may have given it */
	CF_ASSIGN,	/* var = the kid's value (no kid: a value not known) */
	CF_EMPTY,
};

struct cf_node {
	enum cf_kind kind;
	struct cf_node *parent, *kids, *last, *next;
	int nkids;
	int site;		/* ACQUIRE, TRY */
	int call;		/* CALL */
	int label;		/* LABEL, GOTO */
	int value;		/* CONST */
	int pred;		/* PRED: index into the caller's valuation */
	int context;		/* RELEASE */
	int var;		/* VAR, ASSIGN */
	const char *key;	/* RELEASE: lock key or NULL for any */
	unsigned has_default:1;	/* SWITCH */
	unsigned value_last:1;	/* SEQ: a statement expression's value */
	uint64_t *scope_kill;	/* SEQ, FOR: sites released at scope exit */
};

struct cf_func {
	struct arena *arena;
	struct cf_node *root;
	/* sites: where a context is entered */
	int nr_sites, alloc_sites;
	int *site_context;
	const char **site_key;
	int nr_calls;
	int nr_labels;
	int nr_preds;
	int prepared;		/* scope release lists made bit sets */
	/* per pred: 1 true, 0 false, -1 unknown; NULL: all unknown */
	const signed char *pred_value;
	/*
	 * Tracked variables (scalar locals and parameters whose every change
	 * the IR shows): per variable its value on entry, 1 non-zero, 0 zero,
	 * -1 either; NULL: all either.
	 */
	int nr_vars;
	const signed char *var_init;
	/* result of cf_solve(): per call, may-held sites and reachability */
	int nwords;
	uint64_t *call_held;	/* nr_calls * nwords */
	unsigned char *call_reached;
	/*
	 * Also from cf_solve(): the nearest call made on every path from the
	 * entry to a call, or to the function's return (-1: none or not
	 * computed); following call_dom from a call gives all such calls.
	 */
	int *call_dom;
	int exit_dom;
};

void cf_init(struct cf_func *f, struct arena *arena);
struct cf_node *cf_new(struct cf_func *f, enum cf_kind kind);
void cf_add(struct cf_node *parent, struct cf_node *kid);
int cf_new_site(struct cf_func *f, int context, const char *key);
int cf_new_call(struct cf_func *f);
/* Make scope release site when control leaves it (cleanup.h guards). */
void cf_scope_release(struct cf_func *f, struct cf_node *scope, int site);

/*
 * Solve the may-held sites at every call.  Returns 0, or -1 when the IR is
 * malformed (a goto to an unknown label, a kid count that does not match
 * the kind), with err set.
 */
int cf_solve(struct cf_func *f, struct ss_err *err);

/*
 * Which calls are reached when each pred has the value in values (1, 0,
 * -1 unknown): reached[call] set to 0 or 1.  Run after cf_solve().
 */
int cf_reach(struct cf_func *f, const signed char *values,
	     unsigned char *reached, struct ss_err *err);

/* The same with the tracked variables' entry values in vars (or NULL). */
int cf_reach_vars(struct cf_func *f, const signed char *values,
		  const signed char *vars, unsigned char *reached,
		  struct ss_err *err);

static inline const uint64_t *cf_held(const struct cf_func *f, int call)
{
	return f->call_held + (size_t)call * f->nwords;
}

#endif
