/*
 * cocci.h: Coccinelle's spatch: find it on PATH and check that its
 * version is one splitsafe knows (it is run with command.h).
 */
#ifndef SPLITSAFE_COCCI_H
#define SPLITSAFE_COCCI_H

#include "core/util.h"

/* Oldest spatch whose SmPL and Python interface splitsafe uses. */
#define COCCI_MIN_VERSION "1.1.0"

/* The spatch on PATH and its version, or -1 with err set. */
int cocci_find(char *path, size_t size, char *version, size_t vsize,
	       struct ss_err *err);

#endif
