/*
 * main.c: the splitsafe command line.  The only place that prints
 * diagnostics about splitsafe itself and decides the exit status:
 * 0 no finding, 1 findings, 2 usage or input error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "boot.h"
#include "compdb.h"
#include "graph.h"
#include "parse.h"
#include "report.h"
#include "rules.h"

#define DEFAULT_RULES SPLITSAFE_RULES_DIR "/arm64-split.yaml"

static const char usage[] =
	"usage: splitsafe check [-p BUILD_DIR] [-j N] [--rules FILE] [--root DIR]\n"
	"                       [--sinks=rules|sleep] [--show-suppressed]\n"
	"                       [--max-warnings N] [-q] [PATH...]\n"
	"\n"
	"  -p DIR            directory holding compile_commands.json (default .)\n"
	"  -j N              parse N translation units at once (default: all cores)\n"
	"  --rules FILE      rules file (default " DEFAULT_RULES ")\n"
	"  --root DIR        source tree root for relative paths (default: the\n"
	"                    build directory's 'source' link, else BUILD_DIR)\n"
	"  --sinks=SET       rules: the rules' sinks; sleep: also every function\n"
	"                    known to sleep and every sleeping allocation\n"
	"  --show-suppressed also list paths made safe by a guard, and why\n"
	"  --max-warnings N  print at most N warnings (all are counted)\n"
	"  -q                no summary line\n"
	"  PATH...           only parse sources under these paths (relative to\n"
	"                    the root)\n"
	"\n"
	"exit status: 0 no finding, 1 findings, 2 usage or input error\n";

struct check_opts {
	const char *build_dir, *rules_path, *root;
	int jobs, quiet;
	enum sink_set sinks;
	struct report_opts report;
	char **paths;
	int nr_paths;
};

struct consume_ctx {
	struct graph *g;
	const struct compdb *db;
};

static void consume(struct fact_tu *tu, const struct compdb_entry *e, void *data)
{
	struct consume_ctx *c = data;

	if (tu->failed || tu->nr_errors)
		fprintf(stderr, "splitsafe: cannot parse '%s': %s\n", e->rel,
			tu->first_error ? tu->first_error : "errors");
	if (!tu->failed)
		graph_add_tu(c->g, tu);
}

/* A usage error is one line; the full usage only when nothing was said. */
static int die_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "splitsafe: %s (see 'splitsafe --help')\n", msg);
	else
		fputs(usage, stderr);
	return 2;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 1 << 20)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_check_args(int argc, char **argv, struct check_opts *o)
{
	enum { OPT_RULES = 256, OPT_ROOT, OPT_SINKS, OPT_SUPPRESSED, OPT_MAX };
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "sinks", required_argument, NULL, OPT_SINKS },
		{ "show-suppressed", no_argument, NULL, OPT_SUPPRESSED },
		{ "max-warnings", required_argument, NULL, OPT_MAX },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	o->build_dir = ".";
	o->rules_path = DEFAULT_RULES;
	o->jobs = cores > 0 ? (int)cores : 1;
	o->sinks = SINKS_RULES;
	optind = 1;
	opterr = 0;	/* we say it ourselves, in one line */
	while ((c = getopt_long(argc, argv, "p:j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->build_dir = optarg;
			break;
		case 'j':
			if (parse_int(optarg, &o->jobs) || o->jobs < 1)
				return die_usage("-j needs a positive number");
			break;
		case 'q':
			o->quiet = 1;
			break;
		case OPT_RULES:
			o->rules_path = optarg;
			break;
		case OPT_ROOT:
			o->root = optarg;
			break;
		case OPT_SINKS:
			if (!strcmp(optarg, "rules"))
				o->sinks = SINKS_RULES;
			else if (!strcmp(optarg, "sleep"))
				o->sinks = SINKS_SLEEP;
			else
				return die_usage("--sinks must be 'rules' or 'sleep'");
			break;
		case OPT_SUPPRESSED:
			o->report.show_suppressed = 1;
			break;
		case OPT_MAX:
			if (parse_int(optarg, &o->report.max_warnings))
				return die_usage("--max-warnings needs a number");
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default: {
			char msg[256];

			snprintf(msg, sizeof(msg), "bad option '%s'", argv[optind - 1]);
			return die_usage(msg);
		}
		}
	}
	o->paths = argv + optind;
	o->nr_paths = argc - optind;
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	struct check_opts o;
	struct rules *rules = NULL;
	struct compdb db;
	struct graph g;
	struct boot boot;
	struct findings fs = { 0 };
	struct parse_stats st;
	struct consume_ctx cc;
	struct ss_err err;
	double start = now_seconds();
	int warnings, suppressed = 0, i;

	if (parse_check_args(argc, argv, &o))
		return 2;
	if (rules_load(&rules, o.rules_path, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return 2;
	}
	if (compdb_load(&db, o.build_dir, o.root, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		rules_free(rules);
		return 2;
	}
	compdb_filter(&db, o.paths, o.nr_paths);
	if (o.nr_paths && !db.nr) {
		fprintf(stderr, "splitsafe: no C source in '%s' is under the paths given\n",
			db.path);
		compdb_release(&db);
		rules_free(rules);
		return 2;
	}
	graph_init(&g, rules);
	cc.g = &g;
	cc.db = &db;
	parse_all(&db, rules, o.jobs, consume, &cc, &st, &err);
	graph_finish(&g);
	boot_analyze(&boot, &g);
	atomic_check(&g, o.sinks, &boot, &fs);
	boot_check(&boot, &fs);
	o.report.boot = &boot;
	warnings = report_text(stdout, &g, &db, &fs, &o.report);
	fflush(stdout);
	for (i = 0; i < fs.nr; i++)
		suppressed += fs.v[i].suppressed;
	if (!o.quiet)
		fprintf(stderr, "splitsafe: %d TUs parsed, %d failed, %d functions, "
			"%d edges, %d findings, %d suppressed, %.1fs\n",
			st.parsed, st.failed, g.nr, g.nr_edges, warnings,
			suppressed, now_seconds() - start);
	findings_release(&fs);
	boot_release(&boot);
	graph_release(&g);
	compdb_release(&db);
	rules_free(rules);
	return warnings ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return die_usage(NULL);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return 0;
	}
	fprintf(stderr, "splitsafe: unknown command '%s' (see 'splitsafe --help')\n",
		argv[1]);
	return 2;
}
