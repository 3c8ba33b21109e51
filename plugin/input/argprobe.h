/*
 * argprobe.h: drop the compiler arguments the linked libclang rejects.
 *
 * A database written for another compiler (a newer clang, or GCC) carries
 * options this libclang's driver does not know, and then every TU starts
 * with "error: unknown argument".  Rather than keep a list of such flags,
 * we ask libclang: each distinct set of options in the database (less the
 * defines and include paths, which differ per file and which the driver
 * never rejects) is parsed once on an empty source, and the options whose
 * removal makes driver errors go away are dropped from every TU that
 * carries them.  A kernel has a handful of such sets, so this costs a few
 * empty parses when nothing is rejected, and a few dozen when something is.
 *
 * Ownership: the report's strings live in the compdb's arena.
 */
#ifndef SPLITSAFE_ARGPROBE_H
#define SPLITSAFE_ARGPROBE_H

#include "input/compdb.h"

struct argprobe_drop {
	const char *arg;	/* "-fstrict-flex-arrays=3", or "--param x=y" */
	int tus;		/* TUs it was dropped from */
};

struct argprobe_report {
	char libclang[64];	/* "19.1.7" */
	struct argprobe_drop *drops;	/* in the order first found */
	int nr_drops;
	int unresolved;		/* option sets still rejected after dropping */
	int probes;		/* empty parses run */
	const char *compiler;	/* the database's clang, if newer than ours */
	char compiler_version[64];
};

/* The version of the libclang splitsafe runs with, "19.1.7". */
void libclang_version(char *buf, size_t size);

/*
 * Probe every entry's arguments and drop the rejected ones in place.
 * Returns 0, or -1 with err set when libclang cannot be asked at all.
 */
int argprobe_compdb(struct compdb *db, struct argprobe_report *rep,
		    struct ss_err *err);

void argprobe_report_release(struct argprobe_report *rep);

#endif
