/*
 * store.h: the facts store, one SQLite database (DIR/facts.db).
 *
 * It keeps, per TU, how it was compiled (directory, sanitised arguments),
 * the files it read with the size and hash of what was parsed, and its
 * facts (factio.h); per header function, the unit of facts and the TU that
 * extracted it.  A TU whose command and files are unchanged is not parsed
 * again.  Files are compared by size and mtime first and by content hash
 * only when those differ, so a touched file costs a read, not a parse.
 *
 * The store is valid for one "id" (facts format, the splitsafe binary and
 * the rules' digest); opened under another id it is emptied.  Several
 * processes may write it at once (kbuild runs one CHECK per TU): WAL mode
 * and a busy timeout; each TU is written in one transaction, so a run that
 * stops half-way leaves every TU whole or absent.
 *
 * Ownership: struct store owns its connection and memoised stamps; blobs
 * returned are malloc'd for the caller.  Use from one thread.
 */
#ifndef SPLITSAFE_STORE_H
#define SPLITSAFE_STORE_H

#include "model/facts.h"
#include "store/factio.h"
#include "core/util.h"

struct store;

/* Open or create DIR/facts.db (and DIR).  A store made under another id
 * is emptied, or with keep an error.  A file SQLite finds damaged is
 * started afresh (store_rebuilt() says why), or with keep an error; one
 * that cannot be written is an error that says what to do. */
int store_open(struct store **out, const char *dir, uint64_t id, int keep,
	       struct ss_err *err);
void store_close(struct store *s);

/* Did the last error find the file damaged?  Then store_rebuild() starts
 * it afresh (err: in, why; out, what went wrong if it could not). */
int store_corrupt(const struct store *s);
int store_rebuild(struct store *s, struct ss_err *err);

/* Why the store was emptied on its own accord this run, or NULL. */
const char *store_rebuilt(const struct store *s);

/* Each stored blob whose bytes are not what was written (factio_intact):
 * fn(data, NULL, tu) for a TU's facts, fn(data, key, tu) for a unit. */
int store_damaged(struct store *s,
		  void (*fn)(void *data, const char *key, const char *tu),
		  void *data, struct ss_err *err);

/* A TU as the store knows it. */
struct store_tu {
	const char *file, *dir;
	const char **argv;
	int argc;
	uint64_t cmd;		/* digest of dir, argv and file */
	int current;		/* every file it read is unchanged */
};

/* Every TU in the store, sorted by file; strings in arena. */
int store_list(struct store *s, struct arena *arena, struct store_tu **out,
	       int *nr, struct ss_err *err);

/* Is every file the TU read unchanged?  1 yes, 0 no (or unknown TU).
 * Known once per open store; a TU just put is current. */
int store_tu_current(struct store *s, const char *file);

/* The files the TU read when it was last put, the main file first, into
 * *paths (strings in arena): 1, or 0 for a TU the store does not have. */
int store_tu_deps(struct store *s, const char *file, struct arena *arena,
		  const char ***paths, int *nr);

/* The facts of a TU, or of a header function unit: 1 found, 0 not. */
int store_tu_facts(struct store *s, const char *file, struct blob *out);
int store_unit_facts(struct store *s, const char *key, struct blob *out);

/* For each header function unit: its key and the TU that extracted it. */
int store_units(struct store *s,
		void (*fn)(void *data, const char *key, const char *tu),
		void *data, struct ss_err *err);

/* A TU just parsed, and the units it extracted (keys[i], units[i]); its
 * units no longer defined (not in hkeys) are dropped. */
struct store_put {
	const char *file, *dir;
	const char *const *argv;
	int argc;
	uint64_t cmd;
	const struct fact_dep *deps;
	int nr_deps;
	const struct blob *facts;
	const char *const *keys;
	const struct blob *units;
	int nr_units;
	const char *const *hkeys;
	int nr_hkeys;
};
int store_put(struct store *s, const struct store_put *p, struct ss_err *err);

/* A value kept with the store ("root"), malloc'd, or NULL. */
char *store_meta(struct store *s, const char *key);
int store_set_meta(struct store *s, const char *key, const char *value,
		   struct ss_err *err);

/* Digest of the running splitsafe binary: facts it made are its own. */
uint64_t store_self_digest(void);

/* Digest of how a TU is compiled. */
uint64_t store_cmd_digest(const char *file, const char *dir,
			  const char *const *argv, int argc);

#endif
