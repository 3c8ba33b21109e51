/*
 * rules.h: the declarative rule files under rules/ (YAML, read with
 * libyaml).  A rule file names every kernel function splitsafe knows:
 * context primitives, functions that run in atomic context, sleepers,
 * sinks, guard predicates and the facts that make a path safe.
 *
 * Ownership: struct rules owns every string and struct reachable from it;
 * all are valid until rules_free().  A loaded rules object is read-only and
 * may be shared by parser threads.
 */
#ifndef SPLITSAFE_RULES_H
#define SPLITSAFE_RULES_H

#include <stdint.h>
#include "util.h"

#define RULES_MAX_FACTS 16

typedef uint32_t fact_mask;	/* bit i: rules->facts[i] */

enum rules_effect {
	RULES_EFFECT_NONE = 0,
	RULES_ACQUIRE,		/* enters the context */
	RULES_TRY_ACQUIRE,	/* enters it when it returns non-zero */
	RULES_RELEASE,		/* leaves it */
	RULES_GUARD_CLASS,	/* cleanup.h guard class: enters until scope end */
};

/* One kind of atomic context ("spinlock", "irqs-off", "softirq", ...). */
struct rules_context {
	const char *kind;
	const char *reached_with;  /* "spinlock '{lock}' held" */
	const char *entered_here;  /* "'{lock}' acquired here", may use {function} */
	int lock_arg;		   /* 1-based argument naming the lock, 0 if none */
	int is_entry;		   /* from entry-contexts: whole functions */
	int index;		   /* position in rules->contexts */
	int line;		   /* where it is declared */
};

struct rules_fact {
	const char *name;
	const char *means;
	fact_mask implies;	   /* closure, including the fact itself */
	int line;
};

struct rules_sink {
	const char *function;
	const char *why;	   /* "takes pgtable_split_lock" */
	const char **sleeps_at;	   /* calls in its body where it sleeps */
	int nr_sleeps_at;
	fact_mask safe_when;	   /* facts that make it safe whatever its code */
	int line;
};

struct rules_predicate {
	const char *name;	   /* function or variable */
	fact_mask when_true;	   /* facts that hold when it is true */
	fact_mask when_false;
	int line;
};

struct rules_establish {
	const char *function;
	fact_mask facts;	   /* closed under implies */
	const char *because;
	int line;
};

/* Everything the rules say about one name; at most one context role. */
struct rules_name {
	const char *name;
	const struct rules_context *context;	/* with effect */
	enum rules_effect effect;
	const struct rules_context *entry;	/* runs entirely in it */
	const struct rules_sink *sink;
	const struct rules_predicate *predicate;
	const struct rules_establish *establish;
	unsigned sleeper:1;		/* on the sleepers list */
	unsigned gfp_sleep_flag:1;	/* a GFP flag that allows sleeping */
	unsigned sleeps_at:1;		/* named by some sink's sleeps-at */
};

struct rules {
	const char *path;
	const char *name;
	struct rules_context **contexts;	/* atomic kinds, then entries */
	int nr_contexts;
	struct rules_fact *facts;
	int nr_facts;
	struct rules_sink *sinks;
	int nr_sinks;
	struct rules_predicate *predicates;
	int nr_predicates;
	struct rules_establish *establish;
	int nr_establish;
	const char *gfp_type;		/* "gfp_t", or NULL */
	const char *guard_constructor;	/* printf pattern, "class_%s_constructor" */

	/* private */
	struct strmap names;		/* name -> struct rules_name */
	struct strmap guard_ctors;	/* "class_X_constructor" -> rules_name */
	struct arena arena;
};

/*
 * Load and validate a rules file.  On error returns -1 with err set to one
 * line "path:line:col: message" and *out untouched.
 */
int rules_load(struct rules **out, const char *path, struct ss_err *err);
void rules_free(struct rules *r);

/* What the rules say about name, or NULL.  Thread-safe. */
const struct rules_name *rules_lookup(const struct rules *r, const char *name);

/* The guard class whose cleanup.h constructor function is called ctor. */
const struct rules_name *rules_guard_constructor(const struct rules *r,
						 const char *ctor);

/* Index of a fact by name, or -1. */
int rules_fact_index(const struct rules *r, const char *name);

/* "pte-mapped, kfence-address" for a mask, into buf. */
const char *rules_fact_names(const struct rules *r, fact_mask m, char *buf,
			     size_t size);

#endif
