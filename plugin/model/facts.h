/*
 * facts.h: what one translation unit says about the functions it defines:
 * the data model every phase after the extractor reads, with no libclang
 * in it.
 *
 * The extractor (extract/extract.h) fills a fact_tu from a parsed TU: per
 * function its context sites, its calls (each with the sites that may be
 * held there) and, for sinks, the early-return guards before the sleeping
 * call.  Nothing here decides whether something is a bug.
 *
 * Ownership: a fact_tu owns all its strings and arrays in its arena;
 * facts_tu_release() frees them.  Paths are absolute and canonical.
 */
#ifndef SPLITSAFE_FACTS_H
#define SPLITSAFE_FACTS_H

#include "rules/rules.h"
#include "core/util.h"

struct fact_loc {
	const char *file;
	unsigned line, col;
};

struct fact_site {
	int context;		/* index into rules->contexts */
	const char *key;	/* lock expression ("zone->lock") or NULL */
	const char *prim;	/* the primitive as written */
	struct fact_loc loc;
	unsigned is_assert:1;	/* an assertion or annotation, not an entry */
};

struct fact_call {
	const char *callee;	/* function name, or NULL: an indirect call */
	const char *via;	/* indirect: key of the pointer (see fnptr.h) */
	const char *via_text;	/* indirect: the pointer as written */
	const char *callee_file; /* defining file if it has internal linkage */
	const char *text;	/* source text, for calls a sink sleeps at */
	const char *gfp_flag;	/* a sleeping GFP flag passed, or NULL */
	struct fact_loc loc;
	int *held;		/* indices of sites that may be held */
	int nr_held;
	int dom;		/* nearest call made on every path before, or -1 */
	phase_mask phases;	/* boot phases in which the call can be made */
	phase_mask leaky;	/* ... only because a leaky check lets it through */
	phase_mask misled;	/* not made only because of a misleading check */
	/* parameters (bit i: the i-th) that must be zero, or non-zero, for
	 * the call to be made; and what this call passes: arguments known
	 * to be zero (NULL) or non-zero (&obj) */
	uint32_t need_zero, need_nonzero, arg_zero, arg_nonzero;
	unsigned reached:1;
};

/* A boot check (rules boot predicate) tested in a function's body. */
struct fact_check {
	const struct rules_boot_pred *pred;
	struct fact_loc loc;
	int is_call;		/* a function call, not a variable */
	/* tested inside an assertion macro (rules boot assertions): the
	 * macro as written, and what the statement it guards returns */
	const char *assertion;	/* "WARN_ON", or NULL */
	const char *fails;	/* "-EBUSY", or NULL */
};

/* How a store or registration is written, to compare extractors. */
enum fact_how {
	HOW_DESIGNATED = 1,	/* { .field = fn } */
	HOW_POSITIONAL,		/* { a, fn } */
	HOW_ASSIGN,		/* p->field = fn */
	HOW_VAR,		/* variable initializer */
	HOW_ARG,		/* argument of a call */
	HOW_CALL,		/* registration call */
	HOW_MACRO,		/* registration macro */
};

/* A function (or what key 'from' holds) stored into a pointer 'key'. */
struct fact_store {
	enum fact_how how;
	unsigned cocci:1;	/* extracted by Coccinelle */
	const char *key;
	const char *func;	/* function name, or NULL */
	const char *func_file;	/* its file if it has internal linkage */
	const char *from;	/* or the key whose functions it gets */
	struct fact_loc loc;
};

/* A callback registered by a call or a file-scope macro. */
struct fact_reg {
	enum fact_how how;
	unsigned cocci:1;	/* extracted by Coccinelle */
	unsigned alt:1;		/* its context-if argument matched */
	const struct rules_registration *rule;
	const char *callback;	/* function name */
	const char *callback_file; /* defining file if it has internal linkage */
	struct fact_loc loc;
};

struct fact_guard {		/* "if (pred) return" before the sleep */
	const char *predicate;
	int negated;		/* the return happens when pred is false */
	struct fact_loc loc;
};

struct fact_func {
	const char *name;
	struct fact_loc loc;
	unsigned end_line;	/* last line of the definition */
	const char *key;	/* defined in a header: "name@path" if static,
				 * else "name@"; NULL in the main file */
	/* registrations and stores made in its body: ranges of the TU's */
	int first_reg, nr_regs, first_store, nr_stores;
	unsigned is_static:1;
	unsigned boot_only:1;	/* marked with a boot-only attribute (__init) */
	struct fact_site *sites;
	int nr_sites;
	struct fact_call *calls;
	int nr_calls;
	struct fact_guard *guards;
	int nr_guards;
	int sleep_call;		/* index of the first sleeps-at call, or -1 */
	int exit_dom;		/* nearest call made on every path to return */
	/* per phase: the check that keeps the sleep call from being made */
	signed char stop_check[RULES_MAX_PHASES];
	struct fact_check *checks;
	int nr_checks;
};

/* A file a TU read, as the parser saw it. */
struct fact_dep {
	const char *path;
	uint64_t size, hash;	/* of the contents parsed (XXH64) */
};

struct fact_tu {
	int index;		/* position in the compile database */
	const char *file;
	struct fact_func *funcs;
	int nr_funcs;
	struct fact_reg *regs;
	int nr_regs;
	struct fact_store *stores;
	int nr_stores;
	int nr_errors;		/* error diagnostics */
	const char *first_error; /* "file:line:col: message", or NULL */
	int failed;		/* no AST at all */
	/* header functions it defines (extracted here or not), in order */
	const char **hkeys;
	int nr_hkeys;
	struct fact_dep *deps;	/* files it read, the main file first */
	int nr_deps;
	/* names the rules use that it defines, calls, expands or reads
	 * (sorted; for the rules coverage) */
	const char **seen;
	int nr_seen;
	struct arena arena;
};

/*
 * Functions defined in headers are extracted by one TU only: before
 * lowering one, the extractor asks claim(data, key) and skips it when the
 * answer is 0 (another TU, or the facts store, has it).  The key is
 * recorded in hkeys either way.  claim is called from worker threads.
 */
typedef int (*facts_claim_fn)(void *data, const char *key);

void facts_tu_release(struct fact_tu *t);

#endif
