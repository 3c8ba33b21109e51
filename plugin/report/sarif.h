/*
 * sarif.h: the report as SARIF 2.1.0, as GitHub code scanning and other
 * SARIF viewers read it.  One run: the tool with one rule per check, one
 * result per finding the text prints (same message, same notes, same
 * order), the call chain as a code flow, a fingerprint that does not
 * change when lines move, and the TUs that did not parse as tool
 * execution notifications.
 *
 * Ownership: report_sarif() borrows everything it is given and keeps
 * nothing after it returns.
 */
#ifndef SPLITSAFE_SARIF_H
#define SPLITSAFE_SARIF_H

#include <stdio.h>
#include "input/compdb.h"
#include "check/findings.h"
#include "graph/graph.h"
#include "report/report.h"

/* Write the SARIF log to out; returns what report_text() does. */
int report_sarif(FILE *out, const struct graph *g, const struct compdb *db,
		 const struct findings *fs, const struct report_opts *o,
		 const struct report_summary *sum);

#endif
