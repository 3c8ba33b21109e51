/*
 * graph.h: the whole-program call graph, merged from the facts of every TU.
 *
 * Functions are identified by linkage: an external function by its name, a
 * function with internal linkage by its name and the full path of its
 * defining file, so two static helpers in two core.c never merge while a
 * header's static inline is one node however many TUs include it.  Names,
 * files and lock keys are interned: equal strings are equal pointers.
 *
 * Ownership: struct graph owns every node, edge and string.
 */
#ifndef SPLITSAFE_GRAPH_H
#define SPLITSAFE_GRAPH_H

#include "model/facts.h"
#include "rules/rules.h"
#include "core/util.h"

struct g_site {
	int context;
	const char *key, *prim;
	struct fact_loc loc;
	unsigned is_assert:1;
};

struct g_call {
	int callee;		/* node index */
	struct fact_loc loc;
	const char *text;	/* for sleeps-at calls */
	int *held;		/* site indices of the caller */
	int nr_held;
	int dom;		/* nearest call index made before on every path */
	phase_mask phases, leaky, misled;	/* see struct fact_call */
	const char *via;	/* resolved indirect call: the pointer as written */
	/* see struct fact_call */
	uint32_t need_zero, need_nonzero, arg_zero, arg_nonzero;
	unsigned reached:1;
	unsigned indirect:1;
};

/* A function pointer key (fnptr.h) and what is stored into it. */
struct g_ptr {
	const char *key;
	int *funcs;		/* nodes stored directly */
	struct fact_loc *locs;	/* where each was stored */
	unsigned char *src;	/* SRC_*: which extractors saw each */
	unsigned char *visible;	/* libclang saw a kind Coccinelle extracts */
	int nr_funcs, alloc_funcs, alloc_locs, alloc_src, alloc_visible;
	const struct g_ptr **from;	/* keys whose functions it gets */
	int nr_from, alloc_from;
	int sites;		/* indirect calls through it */
	int targets;		/* their number of targets, once resolved */
	unsigned seen;		/* resolution generation */
};

/* An indirect call waiting for the whole program. */
struct g_pending {
	int func;
	struct g_ptr *ptr;
	struct g_call call;
};

struct graph_stats {
	int indirect;		/* indirect call sites */
	int resolved;		/* ... with 1..max_targets targets */
	int edges;		/* edges they added */
	int no_target;		/* ... with no function known */
	int capped;		/* ... with more than max_targets */
};

/* A callback registration: func is registered by rule at loc. */
enum { SRC_LIBCLANG = 1, SRC_COCCI = 2 };

struct g_reg {
	int func;
	const struct rules_registration *rule;
	struct fact_loc loc;
	unsigned char src;	/* SRC_*: which extractors saw it */
	unsigned char how;	/* enum fact_how */
	const struct rules_context *context;	/* it runs in, or NULL */
};

struct g_edge {
	int func, call;	/* caller node, index of its call */
};

struct g_func {
	const char *key, *name;
	/*
	 * The node itself, or for a copy made for callers that pass known
	 * arguments (specialize.h) the node it copies: same function, with the
	 * calls those arguments rule out not reached.  Checks count a
	 * function once: on its original.
	 */
	int orig;
	struct fact_loc loc;
	unsigned end_line;	/* of the definition */
	unsigned defined:1, is_static:1, is_gfp:1, boot_only:1;
	const char *gfp_flag;	/* is_gfp: virtual node "kmalloc(GFP_KERNEL)" */
	const struct rules_name *rules;	/* what the rules say of name */
	struct g_site *sites;
	int nr_sites;
	struct g_call *calls;
	int nr_calls, alloc_calls;
	struct fact_guard *guards;
	int nr_guards;
	int sleep_call;		/* call index or -1 */
	int exit_dom;		/* call made on every path to return, or -1 */
	signed char stop_check[RULES_MAX_PHASES];	/* see fact_func */
	struct fact_check *checks;
	int nr_checks;
	int reg;		/* its first registration in graph->regs, or -1 */
	struct g_edge *rev;	/* callers, in graph order */
	int nr_rev, alloc_rev;
};

struct graph {
	const struct rules *rules;
	struct g_func *funcs;
	int nr, alloc;
	int nr_edges;
	struct g_reg *regs;
	int nr_regs, alloc_regs;
	struct strmap ptrs;		/* key -> struct g_ptr */
	struct g_ptr **all_ptrs;
	int nr_ptrs, alloc_ptrs;
	struct g_pending *pending;
	int nr_pending, alloc_pending;
	int max_targets;		/* an indirect call with more: unresolved */
	struct graph_stats stats;
	struct strmap by_key;
	struct strmap rules_seen;	/* rules names some TU met (their
					 * rules_name; for the coverage) */
	struct interner strings;
	struct arena arena;
};

void graph_init(struct graph *g, const struct rules *r);
/* Merge one TU's facts; TUs must come in compile-database order. */
void graph_add_tu(struct graph *g, const struct fact_tu *tu);
/*
 * Resolve indirect calls (to every function stored into the pointer they
 * call through, unless more than max_targets) and build reverse edges;
 * call once after the last TU.
 */
void graph_finish(struct graph *g);

/* The function pointer keys with the most targets, most first; at most n
 * into out, returns how many. */
int graph_worst_ptrs(const struct graph *g, const struct g_ptr **out, int n);

/* "struct cb_ops.release", "argument 2 of cb_apply()", "fn" for a key. */
const char *graph_ptr_name(const char *key, char *buf, size_t size);
/* Node of an external function name, or -1. */
int graph_find(const struct graph *g, const char *name);
void graph_release(struct graph *g);

#endif
