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
#include "core/util.h"

#define RULES_MAX_FACTS 16
#define RULES_MAX_PHASES 8

typedef uint32_t fact_mask;	/* bit i: rules->facts[i] */
typedef uint8_t phase_mask;	/* bit i: rules->boot.phases[i] */

enum rules_effect {
	RULES_EFFECT_NONE = 0,
	RULES_ACQUIRE,		/* enters the context */
	RULES_TRY_ACQUIRE,	/* enters it when it returns non-zero */
	RULES_RELEASE,		/* leaves it */
	RULES_GUARD_CLASS,	/* cleanup.h guard class: enters until scope end */
	RULES_ASSERT,		/* asserts the context is held where it is */
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
	phase_mask boot_forbidden; /* boot phases in which it cannot work */
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

/* ---- boot phases ---- */

struct rules_phase {
	const char *name;	   /* "early" */
	const char *means;	   /* "page allocator not yet available" */
	const char *reached;	   /* "before system capabilities are finalized" */
	int line;
};

/* A function that starts a boot thread of control (start_kernel). */
struct rules_boot_root {
	const char *function;
	phase_mask phases;
	int line;
};

/* A call that moves the caller to a later phase for what follows it. */
struct rules_transition {
	const char *function;
	int phase;
	int enters;		   /* the callee itself runs in the phase too */
	int line;
};

/* A function with nothing to do in some boot phases (no vmalloc'ed area
 * exists before the page allocator): a path through it there needs no
 * work of the sink. */
struct rules_idle {
	const char *function;
	phase_mask phases;
	const char *because;
	int line;
};

/* A check whose value is known in some boot phases. */
struct rules_boot_pred {
	const char *name;	   /* function or variable */
	const char *compare;	   /* "> 1": the check is this comparison */
	phase_mask true_in, false_in;
	phase_mask leaky_in;	   /* meant to be true there, but may not be */
	const char *leak;	   /* why, for leaky_in */
	const char *misleading;	   /* its false_in value is no real check */
	const char *closes;	   /* why its true_in/false_in values hold:
				    * a check that closes those phases */
	int line;
};

/*
 * A value valid only once a boot event has happened: read by calling
 * function (is_realm_world()), set when set_by (arm64_rsi_init()) has
 * returned; a read that can run before that reads it wrong.
 */
struct rules_valid_from {
	const char *function;
	const char *set_by;	   /* the name of its rules_name entry */
	const char *because;
	int line;
};

struct rules_boot {
	struct rules_phase *phases;	/* in boot order; the last is run time */
	int nr_phases;
	struct rules_boot_root *roots;
	int nr_roots;
	struct rules_transition *transitions;
	int nr_transitions;
	struct rules_boot_pred *preds;
	int nr_preds;
	struct rules_idle *idle;
	int nr_idle;
	struct rules_valid_from *valid_from;
	int nr_valid_from;
	phase_mask exempt;		/* atomic context is not reported */
	const char *exempt_because;
	int line;
};

/*
 * A call or a file-scope macro that registers a callback: the function
 * named by argument 'callback' runs in the given phases and context.
 */
struct rules_registration {
	const char *name;	   /* the first of the names it applies to */
	const char **names;	   /* all of them (functions or macros) */
	int nr_names;
	int is_macro;
	const char **fields;	   /* or stores into these: "hrtimer.function" */
	int nr_fields;
	int callback;		   /* 1-based; 0 for fields */
	int match_arg;		   /* 1-based, 0: every registration counts */
	const char *match;	   /* fnmatch() pattern for that argument */
	phase_mask phases;	   /* 0: any */
	const struct rules_context *context;	/* or NULL */
	/* another context when an argument matches (hrtimer SOFT modes) */
	int alt_arg;		   /* 1-based, 0: none */
	const char *alt_match;
	const struct rules_context *alt_context;
	const char *as;		   /* "CPU-hotplug STARTING callback" */
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
	unsigned boot_only:1;		/* an attribute macro such as __init */
	unsigned assertion:1;		/* WARN_ON(): a check it wraps fails
					 * loudly where it stops a sink */
	unsigned held_assert:1;		/* asserts its lock argument is held */
	unsigned held_annotation:1;	/* __must_hold(lock) on a function */
	const struct rules_context *lock_type;	/* a lock type of the context */
	const struct rules_boot_root *boot_root;
	const struct rules_transition *transition;
	const struct rules_boot_pred *boot_pred;
	const struct rules_registration *registration;
	const struct rules_idle *idle;
	const struct rules_valid_from *valid_from;	/* read by calling it */
};

struct rules {
	const char *path;
	const char *name;
	uint64_t digest;		/* of every file read, in order */
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
	struct rules_boot boot;		/* nr_phases 0: no boot model */
	struct rules_registration *registrations;
	int nr_registrations;

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

/*
 * The rules' version: "xxh64:" and the digest of every file they were read
 * from, includes too, so that it changes with any rule (the version
 * --version, the facts store and SARIF carry).
 */
void rules_version(const struct rules *r, char *buf, size_t size);

/* What the rules say about name, or NULL.  Thread-safe. */
const struct rules_name *rules_lookup(const struct rules *r, const char *name);

/* Call fn on every name the rules know, in no particular order, until it
 * returns non-zero (which is returned). */
int rules_each_name(const struct rules *r,
		    int (*fn)(const struct rules_name *rn, void *data), void *data);

/* The guard class whose cleanup.h constructor function is called ctor. */
const struct rules_name *rules_guard_constructor(const struct rules *r,
						 const char *ctor);

/* Index of a fact by name, or -1. */
int rules_fact_index(const struct rules *r, const char *name);

/* Index of a boot phase by name, or -1. */
int rules_phase_index(const struct rules *r, const char *name);

/* "early, booting" for a mask of phases, into buf. */
const char *rules_phase_names(const struct rules *r, phase_mask m, char *buf,
			      size_t size);

/* A context's template with {lock} and {function} replaced, into buf. */
const char *rules_expand(char *buf, size_t size, const char *tmpl,
			 const char *lock, const char *function);

/*
 * For this run, name sleeps: it becomes a sleeper and, unless it is one
 * already, a sink, whose why is given.  The loaded rules are extended in
 * place; lookups of name see it from then on.
 */
void rules_assume_sleeps(struct rules *r, const char *name, const char *why);

/* "pte-mapped, kfence-address" for a mask, into buf. */
const char *rules_fact_names(const struct rules *r, fact_mask m, char *buf,
			     size_t size);

#endif
