/*
 * findings.h: what the analyses conclude, in a form the reporters print.
 *
 * An atomic finding is one (entry, sink) pair: the place an atomic context
 * was entered (a site in a function, or a function that runs in atomic
 * context as a whole) and a sink reached from it, with the shortest call
 * chain.  A boot finding is one call from boot-only code into code that
 * leads to a sink in a phase where the sink cannot work, with the chain
 * from the boot root (or registration) through that call to the sink.
 *
 * Ownership: struct findings owns its array and each finding's hops.
 */
#ifndef SPLITSAFE_FINDINGS_H
#define SPLITSAFE_FINDINGS_H

#include "graph/graph.h"

struct hop {
	int func;		/* caller node */
	int call;		/* index of the call in it */
};

/* Where a member of a group is reported, for the group's representative. */
struct group_member {
	struct fact_loc loc;	/* its warning's place */
	int entry;		/* node where its context or phase starts */
};

enum boot_kind {
	BOOT_FORBIDDEN = 1,	/* reached in a phase the sink's rules forbid */
	BOOT_MISLED,		/* skips its work because a check misleads */
	BOOT_WARNS,		/* an assertion stops it: it WARNs and fails */
};

/* check --compare: a reported finding on one side of a change, matched
 * with the other side's (filter/compare.h). */
enum finding_state {
	STATE_NONE,		/* no comparison */
	STATE_NEW,		/* after the change only */
	STATE_UNCHANGED,	/* on both sides */
	STATE_FIXED,		/* before the change only */
};

struct finding {
	const char *check;	/* "splitsafe-atomic", "splitsafe-boot" */
	int sink;		/* node */
	int entry;		/* node where the context is entered */
	int site;		/* site in entry, or -1: entry runs in context */
	int context;		/* rules context index */
	struct hop *hops;	/* entry's call first, the call into sink last */
	int nr_hops;
	/* suppressed findings: why the path is safe */
	int suppressed;
	int guard_by;		/* node establishing the fact, or -1 */
	int guard_index;	/* index in sink's guards, or -1: rules safe-when */
	fact_mask facts;	/* the facts that make it safe */
	int exempt;		/* atomic: entry runs only in exempt phases */
	int baselined;		/* in the --baseline file: accepted */
	const char *ignore_reason;	/* silenced by a comment, and why */
	int sleeper;		/* atomic: a hop that sleeps itself, or -1 */
	int sleeps_by;		/* ... why: itself (the rules say so), or
				 * the sleeper it calls */
	/* boot findings */
	enum boot_kind boot_kind;
	int phase;		/* the phase in which the sink is reached */
	int warn_hop;		/* hop whose call is the warning's place */
	int note_func;		/* function of the check the notes explain */
	int note_check;		/* index in its checks, or -1 */
	int open_check;		/* a leaky check of the same function that
				 * note_check closes the phase for, or -1 */
	/* order findings (order.h): the sink is the read function */
	int order_rule;		/* index in rules boot valid_from */
	int order_hop;		/* the hop whose function calls toward the
				 * read before it sets it, or -1 */
	int order_set_call;	/* ... that call, which sets it later */
	/* Coccinelle: found by a semantic patch as well, or only by it */
	const char *cocci_patch;	/* "split_atomic.cocci", or NULL */
	const char *cocci_msg;		/* only Coccinelle: its message */
	struct fact_loc cocci_loc;	/* only Coccinelle: where */
	int entry_how;		/* BOOT_ROOT, BOOT_REGISTERED, BOOT_RUNTIME */
	int entry_phase;
	int *hop_phase;		/* boot: the phase each hop's call is made in */
	int reg;		/* BOOT_REGISTERED: index in graph->regs */
	int idle_by;		/* boot, suppressed: a function on the chain
				 * with nothing to do in its phase, or -1 */
	int idle_phase;
	/* groups (group.h): set on reported findings with a chain */
	int group;		/* its representative's index, -1: none */
	int cause_hop;		/* the hop whose call is the group's cause */
	unsigned folded:1;	/* printed only with --all-paths */
	int group_size;		/* members of its group, itself included */
	phase_mask group_phases;	/* boot: the phases its members are in */
	struct group_member *members;	/* representative: every member,
					 * itself first */
	int nr_members;
	enum finding_state state;	/* check --compare */
};

struct findings {
	struct finding *v;
	int nr, alloc;
};

/* A finding of check (an id of checks.h, or NULL for explain's own) at
 * the end of fs, every node and index in it "none" (-1); or one set so. */
struct finding *findings_add(struct findings *fs, const char *check);
void findings_init(struct finding *f, const char *check);

void findings_release(struct findings *fs);
/* Forget the last finding added. */
void findings_drop_last(struct findings *fs);

#endif
