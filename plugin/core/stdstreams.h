/*
 * stdstreams.h: the standard descriptors.  A command whose stdout is
 * closed or full must fail, not exit as if its report had been read; and
 * a descriptor 0-2 that is closed must not be handed to the next file
 * opened (the report would be written into it).
 */
#ifndef SPLITSAFE_STDSTREAMS_H
#define SPLITSAFE_STDSTREAMS_H

#include "core/util.h"

/*
 * First thing in main(): a closed descriptor 0, 1 or 2 gets /dev/null,
 * read-only, so that writing to one that was closed still fails (EBADF)
 * as it would have; stdout becomes a stream that remembers why its first
 * write failed.
 */
void std_streams_init(void);

/*
 * At the end of what a command writes to stdout: flush and close it.  A
 * write, flush or close that failed is -1 with err set: "cannot write
 * WHAT to standard output: why".  Nothing may write to stdout after.
 */
int stdout_close(const char *what, struct ss_err *err);

#endif
