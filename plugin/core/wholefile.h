/*
 * wholefile.h: a file written whole or not at all.  It is written as
 * PATH.tmp.PID and renamed over PATH once closed without error; on any
 * error the temporary file is removed and PATH is left as it was.
 *
 * Ownership: struct wholefile owns its stream and temporary name until
 * wholefile_commit() or wholefile_discard().
 */
#ifndef SPLITSAFE_WHOLEFILE_H
#define SPLITSAFE_WHOLEFILE_H

#include <stdio.h>
#include "core/util.h"

struct wholefile {
	FILE *f;		/* write here */
	char *tmp;
	const char *path;	/* the caller's */
};

/* -1 with err set ("cannot write 'PATH.tmp.PID': ...") if it cannot. */
int wholefile_open(struct wholefile *w, const char *path, struct ss_err *err);

/* Close, and rename over the path: -1 with err set if a write failed. */
int wholefile_commit(struct wholefile *w, struct ss_err *err);

/* Close and remove: the path keeps what it had. */
void wholefile_discard(struct wholefile *w);

#endif
