/*
 * report.h: print findings in the shape kernel developers know from clang
 * and sparse: "path:line:col: warning: ... [check]" followed by one note
 * per hop of the call chain.  Paths are relative to the tree root.
 */
#ifndef SPLITSAFE_REPORT_H
#define SPLITSAFE_REPORT_H

#include <jansson.h>
#include <stdio.h>
#include "check/boot.h"
#include "input/compdb.h"
#include "check/findings.h"
#include "filter/compare.h"
#include "graph/graph.h"

/*
 * check --compare: the findings are the side after the change; this is
 * the side before it, whose fixed findings are reported too, and the
 * counts (filter/compare.h).
 */
struct report_compare {
	const char *against;	/* the revision, or the patch's name */
	int patch;		/* against names a patch: after = work tree + it */
	const struct graph *g;	/* before the change */
	const struct compdb *db;
	const struct findings *fs;
	const struct boot *boot;
	struct compare_counts counts;
};

struct report_opts {
	int show_suppressed;
	int max_warnings;	/* 0: no cap */
	int all_paths;		/* every member of a group (group.h) */
	const struct boot *boot;	/* phases, for boot notes; or NULL */
	enum finding_state state;	/* only findings in it (NONE: all) */
	const struct report_compare *compare;	/* or NULL */
};

/* Print reported findings (and suppressed ones if asked) in a stable
 * order without duplicates; returns the number of distinct warnings,
 * including those past the cap. */
int report_text(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o);

/*
 * check --compare as text (o->compare set): the new findings as warnings,
 * the fixed ones as "note: fixed: ..." with their chains (placed in the
 * tree before the change), then a line with the counts.  As a mail
 * (report_mail): plain text a reviewer can paste into a reply, the new
 * warnings and then the fixed ones under headings.  Both return the
 * number of new findings.
 */
int report_compare_text(FILE *out, const struct graph *g,
			const struct compdb *db, const struct findings *fs,
			const struct report_opts *o);
int report_mail(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o);

/* The options to render the side before the change with (o->compare):
 * its phases, its fixed findings. */
struct report_opts report_before_opts(const struct report_opts *o);

/* "new", "unchanged", "fixed"; NULL for STATE_NONE. */
const char *report_state_name(enum finding_state state);

/* A TU that did not parse cleanly: reported, and the run went on. */
struct report_failure {
	const char *file;	/* relative to the root when inside it */
	const char *msg;	/* the first error, or NULL */
	int failed;		/* 1: no AST at all; 0: errors, facts kept */
};

struct report_summary {
	int parsed, failed;	/* TUs; parsed counts those with errors too */
	int with_errors;
	int suppressed;
	const struct report_failure *failures;
	int nr_failures;
	const char *libclang;	/* the version splitsafe runs with */
};

/*
 * The same findings as one JSON document: the tool, the rules, a summary,
 * and per finding its check, severity, location, message and notes (each
 * with its location), in the text order.  Returns what report_text does.
 */
int report_json(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o,
		const struct report_summary *sum);

/* One line of a finding as the text prints it, for the structured formats. */
struct report_line {
	const char *file;	/* relative to the root when inside it */
	unsigned line, col;
	/* the message alone: no "warning: ", "note: suppressed: " or "note: "
	 * before it, and no "[check]" after the warning's */
	const char *msg;
};

/* A finding as the text prints it: its warning line, then its notes. */
struct report_item {
	const struct finding *finding;	/* the first of identical ones */
	const char *check;
	int suppressed;
	const struct report_line *lines;
	int nr_lines;
	/*
	 * The call chain: lines [flow_first, flow_end) are where the context
	 * or phase starts, then one line per call, the call into the sink
	 * last.  Empty for a finding only Coccinelle made (no chain).
	 */
	int flow_first, flow_end;
	/* suppressed: lines [why_first, nr_lines) say why; 0 if none does */
	int why_first;
};

typedef void report_item_fn(const struct report_item *it, void *data);

/*
 * Hop i of f's call chain, for the text report and explain alike: returns
 * the call made there.  *phase is the boot phase of the hop before
 * (start it at f->entry_phase); where the call moves the chain on to
 * another phase, *phase becomes it and *moved its name, else *moved is
 * NULL (always so in a chain without phases).
 */
const struct g_call *report_hop(const struct graph *g, const struct finding *f,
				int i, int *phase, const char **moved);

/*
 * The paths a reported finding stands for (group.h), as a JSON array of
 * {file, line, column, entry}, itself first; NULL when it stands for
 * itself alone.
 */
json_t *report_group_members(const struct graph *g, const struct compdb *db,
			     const struct finding *f);

/*
 * Call fn on each finding report_text() would print, in its order; the
 * item lives for the call only.  Returns what report_text() does.
 */
int report_each(const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o,
		report_item_fn *fn, void *data);

#endif
