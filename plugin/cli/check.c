/*
 * check.c: splitsafe check: the analyses over the run, the semantic
 * patches merged (--cocci), what the run keeps (change, in-tree ignores,
 * baseline), then the report, the summary and the statistics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check/atomic.h"
#include "check/boot.h"
#include "check/checks.h"
#include "check/coverage.h"
#include "check/group.h"
#include "check/order.h"
#include "cli/check.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/run.h"
#include "cocci/cocci_check.h"
#include "cocci/compare.h"
#include "cocci/merge.h"
#include "filter/baseline.h"
#include "filter/ignore.h"
#include "filter/scope.h"
#include "input/change.h"
#include "report/report.h"
#include "report/sarif.h"
#include "report/stats.h"

/*
 * The functions that may reach a sink, one a line, "name" or, for a
 * static one, "name path", into path: written whole or not at all.
 */
static int write_sink_callers(const struct run *run, enum sink_set set,
			      const char *path)
{
	struct wholefile w;
	int *nodes, n = atomic_reaching(&run->g, set, &nodes), i, ret = -1;

	if (!open_whole(&w, path)) {
		for (i = 0; i < n; i++) {
			const struct g_func *fn = &run->g.funcs[nodes[i]];

			if (fn->is_static)
				fprintf(w.f, "%s %s\n", fn->name, fn->loc.file);
			else
				fprintf(w.f, "%s\n", fn->name);
		}
		ret = commit_whole(&w);
	}
	free(nodes);
	return ret;
}

/*
 * --cocci: run the semantic patches over the paths, fed with the sink
 * callers, and merge their findings with libclang's.
 */
static int add_cocci_findings(const struct run *run, const struct check_opts *o,
			      struct findings *fs, struct cocci_hits *hits)
{
	char tmp[] = "/tmp/splitsafe-callers-XXXXXX";
	struct ss_err err;
	char **dirs;
	int fd, nr, ret;

	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	close(fd);
	dirs = run_dirs(run, o->paths, o->nr_paths, &nr);
	ret = write_sink_callers(run, o->sinks, tmp);
	if (!ret && cocci_check_all(hits, dirs, nr, o->jobs, tmp, &err))
		ret = say_error(&err);
	unlink(tmp);
	free_dirs(dirs);
	if (!ret)
		cocci_merge(hits, fs, &run->g, &run->db);
	return ret;
}

/* --since REV or --diff FILE: keep the findings of that change. */
static int limit_to_change(const struct run *run, const struct check_opts *o,
			   struct findings *fs)
{
	struct change c = { 0 };
	struct ss_err err;
	int ret;

	if (!o->since && !o->diff)
		return 0;
	if (o->since)
		ret = change_from_git(&c, run->db.root, o->since, &err);
	else
		ret = change_from_diff_file(&c, o->diff, run->db.root, &err);
	if (ret)
		say_error(&err);
	else
		scope_filter(fs, &run->g, &c);
	change_release(&c);
	return ret;
}

/* The findings the baseline lists are accepted: suppressed, and said so. */
static void mark_baselined(const struct run *run, const struct baseline *b,
			   struct findings *fs)
{
	int i;

	for (i = 0; i < fs->nr; i++) {
		struct finding *f = &fs->v[i];
		char *k;

		if (f->suppressed)
			continue;
		k = baseline_key(&run->g, &run->db, f);
		if (strmap_get(&b->keys, k))
			f->suppressed = f->baselined = 1;
		free(k);
		/* a baseline written before groups lists paths */
		k = baseline_path_key(&run->g, &run->db, f);
		if (strmap_get(&b->keys, k))
			f->suppressed = f->baselined = 1;
		free(k);
	}
}

/* Write the baseline asked for, then hold the findings against one. */
static int baselines(const struct run *run, const struct check_opts *o,
		     struct findings *fs)
{
	struct baseline b;
	struct ss_err err;

	if (o->write_baseline &&
	    baseline_write(o->write_baseline, &run->g, &run->db, fs, &err) < 0)
		return say_error(&err);
	if (!o->baseline)
		return 0;
	if (baseline_load(&b, o->baseline, &err))
		return say_error(&err);
	mark_baselined(run, &b, fs);
	baseline_release(&b);
	return 0;
}

int check_find(const struct run *run, const struct check_opts *o,
	       struct findings *fs, struct cocci_hits *hits,
	       struct ignores *ignores)
{
	struct ss_err err;

	atomic_check(&run->g, o->sinks, &run->boot, fs);
	boot_check(&run->boot, fs);
	order_check(&run->boot, fs);
	if ((o->write_callers && write_sink_callers(run, o->sinks, o->write_callers)) ||
	    (o->cocci && add_cocci_findings(run, o, fs, hits)) ||
	    limit_to_change(run, o, fs))
		return -1;
	if (ignores_apply(ignores, &run->g, fs, &err))
		return say_error(&err);
	group_findings(&run->g, fs, o->report.all_paths);
	if (baselines(run, o, fs))
		return -1;
	/* what the baseline accepted leaves its groups */
	group_findings(&run->g, fs, o->report.all_paths);
	return 0;
}

static int report(FILE *out, const struct run *run, const struct check_opts *o,
		  enum report_format format, const struct findings *fs,
		  int suppressed)
{
	struct report_summary sum;
	char libclang[64];

	if (format == FORMAT_TEXT && o->report.compare)
		return report_compare_text(out, &run->g, &run->db, fs, &o->report);
	if (format == FORMAT_TEXT)
		return report_text(out, &run->g, &run->db, fs, &o->report);
	if (format == FORMAT_MAIL)
		return report_mail(out, &run->g, &run->db, fs, &o->report);
	sum.parsed = run->st.parsed;
	sum.failed = run->st.failed;
	sum.with_errors = run->st.with_errors;
	sum.suppressed = suppressed;
	sum.failures = run->failures.v;
	sum.nr_failures = run->failures.nr;
	libclang_version(libclang, sizeof(libclang));
	sum.libclang = libclang;
	if (format == FORMAT_SARIF)
		return report_sarif(out, &run->g, &run->db, fs, &o->report, &sum);
	return report_json(out, &run->g, &run->db, fs, &o->report, &sum);
}

/* To stdout, or to path through a temporary file renamed over it. */
static int write_report(const struct run *run, const struct check_opts *o,
			const char *path, enum report_format format,
			const struct findings *fs, int suppressed)
{
	struct wholefile w;
	int warnings;

	if (!path) {
		warnings = report(stdout, run, o, format, fs, suppressed);
		return finish_stdout("the report") ? -1 : warnings;
	}
	if (open_whole(&w, path))
		return -1;
	warnings = report(w.f, run, o, format, fs, suppressed);
	return commit_whole(&w) ? -1 : warnings;
}

/* The report, and the same once more as SARIF if asked: no second parse
 * for it. */
int check_write_reports(const struct run *run, const struct check_opts *o,
			const struct findings *fs, int suppressed)
{
	int warnings = write_report(run, o, o->output, o->format, fs, suppressed);

	if (warnings >= 0 && o->sarif_output &&
	    write_report(run, o, o->sarif_output, FORMAT_SARIF, fs, suppressed) < 0)
		warnings = -1;
	return warnings;
}

void check_print_summary(const struct run *run, int warnings, int suppressed)
{
	char store[64] = "", errs[64];

	if (run->store)
		snprintf(store, sizeof(store), " (%d from the facts store)",
			 run->from_store);
	fprintf(stderr, "splitsafe: %d TUs parsed%s, %d failed%s, %d functions, "
		"%d edges, %d findings, %d suppressed, %.1fs\n",
		run->st.parsed, store, run->st.failed,
		run_with_errors(errs, sizeof(errs), run), run->g.nr,
		run->g.nr_edges, warnings, suppressed, now_seconds() - run->start);
}

/*
 * The rules names no analysed TU met: those in no source of the tree (an
 * API renamed or removed), and the others with a file that has them.
 */
static void print_coverage(const struct run *run)
{
	struct coverage c;
	struct ss_err err;

	if (coverage_compute(&c, run->rules, &run->g, run->db.root, &err))
		say_error(&err);
	else
		stats_print_coverage(stderr, &c);
	coverage_release(&c);
}

/* How Coccinelle's facts and libclang's compare, where both extract. */
static void print_fact_comparison(const struct run *run)
{
	struct fact_comparison c;

	cocci_compare_facts(&c, &run->g);
	stats_print_fact_comparison(stderr, &c, &run->g, &run->db);
	fact_comparison_release(&c);
}

/* --stats: what the analysis resolved and did not, so the user knows. */
static void print_stats(const struct run *run, const struct check_opts *o,
			const struct cocci_hits *hits)
{
	stats_print_rules(stderr, run->rules);
	stats_print_graph(stderr, &run->g);
	stats_print_argprobe(stderr, &run->probe);
	print_coverage(run);
	if (o->cocci_facts)
		print_fact_comparison(run);
	if (o->cocci)
		stats_print_cocci_hits(stderr, hits);
}

int check_suppressed(const struct findings *fs)
{
	int i, n = 0;

	for (i = 0; i < fs->nr; i++)
		n += fs->v[i].suppressed;
	return n;
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o;
	struct run run;
	struct findings fs = { 0 };
	struct cocci_hits hits = { 0 };
	struct ignores ignores = { 0 };
	int warnings = -1, suppressed = 0;

	if (parse_check_args(argc, argv, &o))
		return 2;
	if (o.dot)
		return usage_error("--dot is an option of explain");
	if (o.compare || o.compare_diff)
		return cmd_compare(&o);
	if (run_load(&run, &o, o.paths, o.nr_paths))
		return 2;
	o.report.boot = &run.boot;
	if (!run_assume(&run, &o) && !check_find(&run, &o, &fs, &hits, &ignores)) {
		suppressed = check_suppressed(&fs);
		warnings = check_write_reports(&run, &o, &fs, suppressed);
	}
	if (warnings >= 0 && !o.quiet)
		check_print_summary(&run, warnings, suppressed);
	if (warnings >= 0 && o.stats)
		print_stats(&run, &o, &hits);
	ignores_release(&ignores);
	findings_release(&fs);
	cocci_hits_release(&hits);
	run_release(&run);
	return warnings < 0 ? 2 : warnings ? 1 : 0;
}
