/*
 * side.c: the other side of a change (see side.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/side.h"

/* The work tree's database without the TUs whose source is absent on the
 * other side; the commands are the work tree's, already sanitised. */
static int side_compdb(struct compdb *db, const struct compdb *base,
		       const struct overlay *ov, struct ss_err *err)
{
	int i;

	if (compdb_init(db, base->root, err))
		return -1;
	for (i = 0; i < base->nr; i++) {
		const struct compdb_entry *e = &base->entries[i];
		const struct overlay_file *f = overlay_get(ov, e->file);

		if (f && !f->text)
			continue;
		compdb_add_sanitised(db, e->file, e->dir, e->argv, e->argc);
	}
	return 0;
}

/* Did the work tree's run find errors in the TU of file (but parse it)? */
static int had_errors(const struct run *base, const char *file)
{
	const char *rel = compdb_relative(&base->db, file);
	int i;

	for (i = 0; i < base->failures.nr; i++)
		if (!base->failures.v[i].failed &&
		    !strcmp(base->failures.v[i].file, rel))
			return 1;
	return 0;
}

/* Must the TU of file be parsed for the other side?  Yes when the store
 * does not know what it read, or it read a file the change touches. */
static int reads_overlay(const struct run *base, const struct overlay *ov,
			 const char *file)
{
	struct arena tmp = ARENA_INIT;
	const char **deps;
	int nr, i, reads = 1;

	if (base->store && store_tu_deps(base->store, file, &tmp, &deps, &nr))
		for (i = 0, reads = 0; i < nr && !reads; i++)
			reads = overlay_get(ov, deps[i]) != NULL;
	arena_release(&tmp);
	return reads || (ov->adds && had_errors(base, file));
}

int side_load(struct run *side, const struct run *base,
	      const struct check_opts *o, const struct overlay *ov,
	      const char *label)
{
	struct ss_err err;
	int i;

	memset(side, 0, sizeof(*side));
	side->start = now_seconds();
	side->base = base;
	side->rules = base->rules;
	side->store = base->store;
	side->overlay = ov;
	side->side = label;
	graph_init(&side->g, side->rules);
	if (side_compdb(&side->db, &base->db, ov, &err)) {
		say_error(&err);
		run_release(side);
		return -1;
	}
	side->reparse = xcalloc(side->db.nr + 1, 1);
	for (i = 0; i < side->db.nr; i++)
		side->reparse[i] = reads_overlay(base, ov, side->db.entries[i].file);
	return run_analyse(side, o, o->paths, o->nr_paths);
}

void side_count(const struct run *side, const struct run *base,
		struct side_counts *n)
{
	n->from_store = side->from_store;
	n->parsed = side->db.nr - side->from_store;
	n->left_out = base->db.nr - side->db.nr;
}
