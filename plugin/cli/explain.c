/*
 * explain.c: splitsafe explain: for each function named, the boot phases
 * and atomic contexts it runs in and the sleepers it reaches, each with a
 * shortest chain (report/explain.h); also as a Graphviz graph (--dot).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/atomic.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/run.h"
#include "report/explain.h"

/* The arguments: function names, and paths (with a '/') to limit the
 * parse.  Both arrays are the caller's to free. */
struct explain_args {
	char **names, **paths;
	int nr_names, nr_paths;
};

static int split_args(struct explain_args *a, const struct check_opts *o)
{
	int i;

	a->names = xcalloc(o->nr_paths + 1, sizeof(*a->names));
	a->paths = xcalloc(o->nr_paths + 1, sizeof(*a->paths));
	for (i = 0; i < o->nr_paths; i++) {
		char msg[512];

		if (strchr(o->paths[i], '/')) {
			a->paths[a->nr_paths++] = o->paths[i];
			continue;
		}
		if (is_identifier(o->paths[i])) {
			a->names[a->nr_names++] = o->paths[i];
			continue;
		}
		snprintf(msg, sizeof(msg),
			 "'%s' is neither a function name nor a path", o->paths[i]);
		return usage_error(msg);
	}
	if (!a->nr_names)
		return usage_error("explain needs a function name");
	return 0;
}

/*
 * Explain each name as it comes, so that an unknown one is said between
 * the others; returns how many were unknown.
 */
static int explain_names(const struct run *run, const struct explain_args *a,
			 struct explanations *xs)
{
	struct atomic_reach ar;
	int i, j, first, missing = 0;

	atomic_reach_init(&ar, &run->g, &run->boot);
	for (i = 0; i < a->nr_names; i++) {
		first = xs->nr;
		if (!explain_add(xs, &ar, &run->boot, a->names[i])) {
			fflush(stdout);
			fprintf(stderr, "splitsafe: no function '%s' in the tree\n",
				a->names[i]);
			missing++;
		}
		for (j = first; j < xs->nr; j++)
			explain_print(stdout, &run->g, &run->boot, &run->db,
				      &xs->v[j]);
	}
	fflush(stdout);
	atomic_reach_release(&ar);
	return missing;
}

/* The chains shown, into the --dot file opened before the run; a write
 * error shows in ferror(), which the commit reads. */
static int write_dot(struct wholefile *dot, const struct run *run,
		     const struct explanations *xs)
{
	explain_dot(dot->f, &run->g, &run->boot, &run->db, xs);
	return commit_whole(dot);
}

static void print_summary(const struct run *run)
{
	char errs[64];

	fprintf(stderr, "splitsafe: %d TUs parsed, %d failed%s, %d functions, "
		"%d from the facts store, %.1fs\n", run->st.parsed,
		run->st.failed, run_with_errors(errs, sizeof(errs), run),
		run->g.nr, run->from_store, now_seconds() - run->start);
}

/* The --dot file is opened before the long run, so that a bad path fails
 * at once. */
static int explain(const struct check_opts *o, const struct explain_args *a)
{
	struct run run;
	struct explanations xs = { 0 };
	struct wholefile dot = { 0 };
	int missing = 0, ret = 0;

	if ((o->dot && open_whole(&dot, o->dot)) ||
	    run_load(&run, o, a->paths, a->nr_paths)) {
		if (dot.f)
			wholefile_discard(&dot);
		return 2;
	}
	if (run_assume(&run, o))
		ret = 2;
	else
		missing = explain_names(&run, a, &xs);
	if (!ret && finish_stdout("the explanation"))
		ret = 2;
	if (dot.f && ret)
		wholefile_discard(&dot);
	else if (dot.f && write_dot(&dot, &run, &xs))
		ret = 2;
	if (!o->quiet && !ret)
		print_summary(&run);
	explanations_release(&xs);
	run_release(&run);
	return ret || missing ? 2 : 0;
}

int cmd_explain(int argc, char **argv)
{
	struct check_opts o;
	struct explain_args a = { 0 };
	int ret;

	if (parse_check_args(argc, argv, &o))
		return 2;
	if (o.compare || o.compare_diff || o.format == FORMAT_MAIL)
		return usage_error("--compare, --compare-diff and --format mail "
				   "are options of check");
	ret = split_args(&a, &o);
	if (!ret)
		ret = explain(&o, &a);
	free(a.names);
	free(a.paths);
	return ret;
}
