/*
 * checks.h: the checks splitsafe reports, one table: the id a warning
 * ends with ("[splitsafe-atomic]"), and the name and texts of its SARIF
 * rule.  A check's index here is its SARIF ruleIndex.
 */
#ifndef SPLITSAFE_CHECKS_H
#define SPLITSAFE_CHECKS_H

enum check_kind {
	CHECK_ATOMIC,		/* a sink reached in atomic context */
	CHECK_BOOT,		/* a sink reached in a forbidden boot phase */
	CHECK_COCCI,		/* a sink call only a semantic patch saw */
	CHECK_ORDER,		/* a value read before its boot event sets it */
	NR_CHECKS
};

struct check_info {
	const char *id, *name, *short_text, *full_text, *help, *precision;
};

extern const struct check_info check_table[NR_CHECKS];

/* The index of the check with this id, or -1. */
int check_index(const char *id);

#endif
