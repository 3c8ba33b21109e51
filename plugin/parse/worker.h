/*
 * worker.h: a parse worker, a child process that parses the compile
 * database entries it is sent and answers with their facts.
 *
 * A TU that crashes libclang (or the extractor: a stack overflow on an
 * expression nested thousands deep) kills its worker, not the run: the
 * parent sees the worker go, names the TU and starts another.
 *
 * Over one socket pair, the parent sends an entry index (4 bytes); the
 * worker answers with any number of claims ('C', length, header function
 * key; the parent answers one byte, 1 if the worker is to extract it) and
 * then the result ('R', index, length, the whole TU as factio bytes).
 *
 * Ownership: a worker is its socket and its process; worker_stop() ends
 * both.  Blobs and keys read are malloc'd for the caller.
 */
#ifndef SPLITSAFE_WORKER_H
#define SPLITSAFE_WORKER_H

#include <sys/types.h>
#include "input/compdb.h"
#include "input/overlay.h"
#include "store/factio.h"
#include "rules/rules.h"

struct worker {
	pid_t pid;
	int fd;			/* the parent's end of the socket, or -1 */
	int tu;			/* the entry it is parsing, or -1 */
};

/* Fork a worker; the child first closes the sockets of the others (so
 * that each worker sees its parent go).  It parses with the files of
 * overlay (if not NULL) in place of the work tree's: the child inherits
 * it.  -1 with err set if it cannot. */
int worker_start(struct worker *w, const struct worker *others, int nr_others,
		 const struct compdb *db, const struct rules *r,
		 const struct overlay *overlay, struct ss_err *err);

/* Hand entry index to an idle worker: -1 if it is gone. */
int worker_send(struct worker *w, int index);

enum worker_said { WORKER_CLAIM, WORKER_RESULT, WORKER_GONE };

/* Read what a busy worker says: a claim (*key, answer it) or its result
 * (*facts, for w->tu); WORKER_GONE if it died or spoke nonsense. */
enum worker_said worker_read(struct worker *w, char **key, struct blob *facts);
int worker_answer(struct worker *w, int yes);

/* Close the socket and wait for the process.  Returns why it ended if it
 * did not exit cleanly ("Segmentation fault", "exit status 3") in buf, or
 * NULL. */
const char *worker_stop(struct worker *w, char *buf, size_t size);

#endif
