/*
 * report.h: print findings in the shape kernel developers know from clang
 * and sparse: "path:line:col: warning: ... [check]" followed by one note
 * per hop of the call chain.  Paths are relative to the tree root.
 */
#ifndef SPLITSAFE_REPORT_H
#define SPLITSAFE_REPORT_H

#include <stdio.h>
#include "boot.h"
#include "compdb.h"
#include "findings.h"
#include "graph.h"

struct report_opts {
	int show_suppressed;
	int max_warnings;	/* 0: no cap */
	const struct boot *boot;	/* phases, for boot notes; or NULL */
};

/* Print reported findings (and suppressed ones if asked) in a stable
 * order without duplicates; returns the number of distinct warnings,
 * including those past the cap. */
int report_text(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o);

struct report_summary {
	int parsed, failed;	/* TUs */
	int suppressed;
};

/*
 * The same findings as one JSON document: the tool, the rules, a summary,
 * and per finding its check, severity, location, message and notes (each
 * with its location), in the text order.  Returns what report_text does.
 */
int report_json(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o,
		const struct report_summary *sum);

#endif
