/*
 * compare.c: splitsafe check --compare REV and --compare-diff FILE.  The
 * work tree is analysed as check does (its facts store brought up to
 * date), the other side of the change as side.h describes; both sides'
 * findings are made as check makes them and matched (filter/compare.h),
 * and the report says what is new, what is fixed and how many are
 * unchanged.  Only something new is exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check.h"
#include "cli/cli.h"
#include "cli/side.h"
#include "filter/compare.h"
#include "input/overlay.h"

/* Both sides, which is before the change and which after. */
struct sides {
	struct run here, there;		/* the work tree; the other side */
	struct findings here_fs, there_fs;
	struct ignores here_ig, there_ig;
	struct overlay ov;
	char *label;			/* "at REV", "with FILE" */
	struct run *before, *after;
	struct findings *before_fs, *after_fs;
};

static int read_overlay(struct sides *s, const struct check_opts *o)
{
	struct ss_err err;
	int ret;

	if (o->compare)
		ret = overlay_from_git(&s->ov, s->here.db.root, o->compare, &err);
	else
		ret = overlay_from_patch(&s->ov, s->here.db.root, o->compare_diff,
					 &err);
	/* an #include finds a file the work tree lacks only on disk */
	if (ret || (s->ov.adds && overlay_write_vfs(&s->ov, &err)))
		return say_error(&err);
	s->label = o->compare ? xasprintf("at %s", o->compare) :
		   xasprintf("with %s", o->compare_diff);
	return 0;
}

/* A source the other side has and the compile database does not name
 * is analysed on neither side: said, so that nothing is missed unseen. */
static void say_unbuilt(const struct sides *s)
{
	struct strmap built = STRMAP_INIT;
	int i;

	for (i = 0; i < s->here.db.nr; i++)
		strmap_put(&built, s->here.db.entries[i].file, (void *)1);
	for (i = 0; i < s->ov.nr; i++) {
		const struct overlay_file *f = s->ov.all[i];
		size_t n = strlen(f->path);

		if (f->text && !f->here && n > 2 && !strcmp(f->path + n - 2, ".c") &&
		    !strmap_get(&built, f->path))
			fprintf(stderr, "splitsafe: %s (only %s) is not in the compile "
				"database: not analysed\n",
				compdb_relative(&s->here.db, f->path), s->label);
	}
	strmap_release(&built);
}

/* The work tree's run, then the overlay, then the other side's run. */
static int load_sides(struct sides *s, const struct check_opts *o)
{
	if (run_open(&s->here, o, o->paths, o->nr_paths))
		return -1;
	if (read_overlay(s, o)) {
		run_release(&s->here);
		return -1;
	}
	if (run_analyse(&s->here, o, o->paths, o->nr_paths))
		return -1;
	if (!o->quiet)
		say_unbuilt(s);
	if (side_load(&s->there, &s->here, o, &s->ov, s->label)) {
		run_release(&s->here);
		return -1;
	}
	return 0;
}

/* Each side's findings; the other side's comments are in its files. */
static int find_both(struct sides *s, const struct check_opts *o)
{
	int i;

	for (i = 0; i < s->ov.nr; i++)
		ignores_use_text(&s->there_ig, s->ov.all[i]->path,
				 s->ov.all[i]->text);
	return run_assume(&s->here, o) || run_assume(&s->there, o) ||
	       check_find(&s->here, o, &s->here_fs, NULL, &s->here_ig) ||
	       check_find(&s->there, o, &s->there_fs, NULL, &s->there_ig) ? -1 : 0;
}

/* --compare REV: the work tree is after the change; with a patch, before. */
static void assign(struct sides *s, const struct check_opts *o)
{
	int patch = o->compare_diff != NULL;

	s->after = patch ? &s->there : &s->here;
	s->before = patch ? &s->here : &s->there;
	s->after_fs = patch ? &s->there_fs : &s->here_fs;
	s->before_fs = patch ? &s->here_fs : &s->there_fs;
}

static void match(struct sides *s, const struct check_opts *o,
		  struct report_compare *rc)
{
	struct compare_side before = { &s->before->g, &s->before->db, s->before_fs };
	struct compare_side after = { &s->after->g, &s->after->db, s->after_fs };

	memset(rc, 0, sizeof(*rc));
	compare_findings(&before, &after, &rc->counts);
	rc->against = o->compare ? o->compare : o->compare_diff;
	rc->patch = o->compare_diff != NULL;
	rc->g = &s->before->g;
	rc->db = &s->before->db;
	rc->fs = s->before_fs;
	rc->boot = &s->before->boot;
}

/* What the other side cost: the TUs parsed for it. */
static void say_side(const struct sides *s)
{
	struct side_counts n;

	side_count(&s->there, &s->here, &n);
	if (!s->here.store)
		fprintf(stderr, "splitsafe: %s: %d TUs parsed (no facts store), %d "
			"left out (no source there)\n", s->label, n.parsed,
			n.left_out);
	else
		fprintf(stderr, "splitsafe: %s: %d TUs parsed again (they read "
			"files the change touches), %d from the facts store, %d left "
			"out (no source there)\n", s->label, n.parsed, n.from_store,
			n.left_out);
}

/* The work tree's findings its report would count. */
static int reported(const struct findings *fs)
{
	int i, n = 0;

	for (i = 0; i < fs->nr; i++)
		n += !fs->v[i].suppressed && !fs->v[i].folded;
	return n;
}

static void release_sides(struct sides *s)
{
	findings_release(&s->here_fs);
	findings_release(&s->there_fs);
	ignores_release(&s->here_ig);
	ignores_release(&s->there_ig);
	run_release(&s->there);
	run_release(&s->here);
	overlay_release(&s->ov);
	free(s->label);
}

int cmd_compare(struct check_opts *o)
{
	struct sides s;
	struct report_compare rc;
	int warnings = -1, suppressed;

	memset(&s, 0, sizeof(s));
	memset(&rc, 0, sizeof(rc));
	if (load_sides(&s, o)) {
		overlay_release(&s.ov);
		free(s.label);
		return 2;
	}
	if (!find_both(&s, o)) {
		assign(&s, o);
		match(&s, o, &rc);
		o->report.boot = &s.after->boot;
		o->report.compare = &rc;
		suppressed = check_suppressed(s.after_fs);
		warnings = check_write_reports(s.after, o, s.after_fs, suppressed);
		if (warnings >= 0 && !o->quiet) {
			check_print_summary(&s.here, reported(&s.here_fs),
					    check_suppressed(&s.here_fs));
			say_side(&s);
		}
	}
	release_sides(&s);
	return warnings < 0 ? 2 : rc.counts.added ? 1 : 0;
}
