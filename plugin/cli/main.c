/*
 * main.c: the splitsafe command line.  The only place that prints
 * diagnostics about splitsafe itself and decides the exit status:
 * 0 no finding, 1 findings, 2 usage or input error.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/argprobe.h"
#include "graph/assume.h"
#include "check/atomic.h"
#include "filter/baseline.h"
#include "check/group.h"
#include "check/boot.h"
#include "input/change.h"
#include "check/checks.h"
#include "cocci/cocci_check.h"
#include "cocci/cocci_facts.h"
#include "check/coverage.h"
#include "graph/collect.h"
#include "input/compdb.h"
#include "report/explain.h"
#include "filter/ignore.h"
#include "graph/graph.h"
#include "parse/parse.h"
#include "report/report.h"
#include "rules/rules.h"
#include "report/sarif.h"
#include "filter/scope.h"
#include "store/store.h"
#include "core/stdstreams.h"
#include "core/wholefile.h"

#define DEFAULT_RULES SPLITSAFE_RULES_DIR "/arm64-split.yaml"

static const char usage[] =
	"usage: splitsafe check [-p BUILD_DIR] [-j N] [--rules FILE] [--root DIR]\n"
	"                       [--sinks=rules|sleep] [--show-suppressed]\n"
	"                       [--max-warnings N] [--format text|json|sarif]\n"
	"                       [-o FILE] [--sarif-output FILE] [--assume-sleeps FUNC]\n"
	"                       [-q] [PATH...]\n"
	"   or: splitsafe extract --facts DIR [--rules FILE] [--root DIR]\n"
	"                       COMPILER-FLAGS... SOURCE      (kbuild CHECK=)\n"
	"   or: splitsafe explain [-p BUILD_DIR] [-j N] [--rules FILE] [--root DIR]\n"
	"                       [--dot FILE] [--assume-sleeps FUNC] [-q]\n"
	"                       FUNCTION... [PATH/...]\n"
	"\n"
	"check reports paths to the rules' sinks in atomic context\n"
	"[splitsafe-atomic] and in boot phases where they cannot work\n"
	"[splitsafe-boot]; explain prints the boot phases and the atomic\n"
	"contexts a function runs in, each with a shortest chain from where it\n"
	"starts, and the sleepers it reaches, nearest first, each with a\n"
	"shortest chain from it.\n"
	"\n"
	"  -p DIR            directory holding compile_commands.json (default .)\n"
	"  -j N              parse N translation units at once (default: all cores)\n"
	"  --rules FILE      rules file (default " DEFAULT_RULES ")\n"
	"  --root DIR        source tree root for relative paths (default: the\n"
	"                    build directory's 'source' link, else BUILD_DIR)\n"
	"  --sinks=SET       rules: the rules' sinks; sleep: also every function\n"
	"                    known to sleep and every sleeping allocation\n"
	"  --show-suppressed also list paths made safe by a guard, and why\n"
	"  --all-paths       one warning per path: paths with one cause (the\n"
	"                    call by which they enter the sink's directory) are\n"
	"                    otherwise one warning, its shortest chain shown\n"
	"  --max-warnings N  print at most N warnings (all are counted)\n"
	"  --max-targets N   an indirect call with more possible targets is\n"
	"                    not followed, only counted (default 16)\n"
	"  --stats           print what the analysis resolved and did not\n"
	"  --cocci-facts     also take callback facts from Coccinelle (spatch),\n"
	"                    in every file under the paths, built or not\n"
	"  --cocci           also run the semantic patches as a detector over\n"
	"                    the paths, fed with the functions that may reach a\n"
	"                    sink; merge their findings [splitsafe-cocci]\n"
	"  --format FORMAT   text (default), json, or sarif (SARIF 2.1.0, for\n"
	"                    GitHub code scanning)\n"
	"  --baseline FILE   do not report or count findings listed in FILE\n"
	"  --write-baseline FILE\n"
	"                    list the reported findings in FILE\n"
	"  -o FILE           write the report to FILE (whole, or not at all)\n"
	"  --sarif-output FILE\n"
	"                    also write the report as SARIF to FILE\n"
	"  --assume-sleeps FUNC\n"
	"                    for this run, FUNC sleeps: a sink for check, a\n"
	"                    sleeper for explain (repeatable; an error if no\n"
	"                    function of that name is in the tree)\n"
	"  --dot FILE        explain: also write the chains shown as a Graphviz\n"
	"                    graph to FILE (whole, or not at all)\n"
	"  --write-sink-callers FILE\n"
	"                    write the functions that may reach a sink, for the\n"
	"                    semantic patches (SPLITSAFE_SINK_CALLERS)\n"
	"  --since REV       only findings whose chain passes through a function\n"
	"                    changed since git revision REV (working tree)\n"
	"  --diff FILE       the same for the changes of a unified diff ('-':\n"
	"                    stdin), applied to the tree\n"
	"  --cache DIR       facts store: TUs unchanged since the last run are\n"
	"                    not parsed again (default BUILD_DIR/.splitsafe)\n"
	"  --no-cache        parse every TU, read and write no facts store\n"
	"  --facts DIR       analyse the TUs in the facts store DIR (written by\n"
	"                    'extract' from kbuild), not compile_commands.json\n"
	"  -q                no summary line, no progress display (shown on a\n"
	"                    terminal only)\n"
	"  PATH...           only parse sources under these paths (relative to\n"
	"                    the root); for explain, arguments with a '/'\n"
	"\n"
	"exit status: 0 no finding, 1 findings, 2 usage or input error\n";

enum report_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF };
#define MAX_ASSUME 64

struct check_opts {
	const char *build_dir, *rules_path, *root;
	const char *assume[MAX_ASSUME];	/* --assume-sleeps */
	int nr_assume;
	const char *dot;		/* explain --dot FILE */
	int jobs, quiet, stats, max_targets, cocci_facts, cocci;
	enum report_format format;
	const char *write_callers, *output, *baseline, *write_baseline;
	const char *cache_dir, *facts_dir, *since, *diff;
	int no_cache;
	const char *sarif_output;
	enum sink_set sinks;
	struct report_opts report;
	char **paths;
	int nr_paths;
};

/* The TUs that did not parse cleanly, for the structured reports. */
struct tu_failures {
	struct report_failure *v;
	int nr, alloc;
};

struct consume_ctx {
	struct collect *col;
	const struct compdb *db;
	struct tu_failures *failures;
	int progress;		/* a one-line display on a terminal */
	int done;
	int parsed, failed;	/* TUs, loaded from the store or not */
	int with_errors;	/* parsed, but libclang reported errors */
	int store_errors;
	double start;
};

/* "[12/409] mm/slub.c 8s" over itself; cleared at the end. */
static void show_progress(struct consume_ctx *c, const char *file)
{
	if (!c->progress)
		return;
	if (!file) {
		fputs("\r\033[K", stderr);
		return;
	}
	fprintf(stderr, "\r\033[K[%d/%d] %.60s %.0fs", c->done, c->db->nr, file,
		now_seconds() - c->start);
}

static void add_failure(struct tu_failures *fl, const char *file,
			const char *msg, int failed)
{
	ALLOC_GROW(fl->v, fl->nr + 1, fl->alloc);
	fl->v[fl->nr].file = file;
	fl->v[fl->nr].failed = failed;
	fl->v[fl->nr++].msg = msg ? xstrdup(msg) : NULL;
}

/* The line for a TU that failed (no AST) or parsed with errors. */
static void print_tu_errors(const char *rel, int failed, const char *msg)
{
	if (failed)
		fprintf(stderr, "splitsafe: cannot parse '%s': %s\n", rel,
			msg ? msg : "parse failed");
	else
		fprintf(stderr, "splitsafe: errors in '%s' (facts kept from the "
			"rest): %s\n", rel, msg ? msg : "errors");
}

/*
 * A TU without an AST failed; one with error diagnostics still gave the
 * facts of what parsed, and is counted and named apart.
 */
static void count_tu(struct consume_ctx *c, const struct fact_tu *tu,
		     const struct compdb_entry *e)
{
	int failed = tu && tu->failed;
	int errors = tu ? tu->nr_errors : c->col->last_errors;
	const char *msg = tu ? tu->first_error : c->col->last_error;

	if (!failed && !errors) {
		c->parsed++;
		return;
	}
	if (c->progress)
		show_progress(c, NULL);
	if (failed) {
		c->failed++;
	} else {
		c->parsed++;
		c->with_errors++;
	}
	print_tu_errors(e->rel, failed, msg);
	add_failure(c->failures, e->rel, msg, failed);
}

static void consume(struct fact_tu *tu, int index, const struct compdb_entry *e,
		    void *data)
{
	struct consume_ctx *c = data;
	struct collect *col = c->col;

	c->done++;
	show_progress(c, e->rel);
	if (collect_tu(col, tu, index)) {
		if (c->progress)
			show_progress(c, NULL);
		if (!c->store_errors++)
			fprintf(stderr, "splitsafe: %s\n", col->err.msg);
	}
	if (col->round > 1)
		return;
	count_tu(c, tu, e);
}

/* The end of a command's stdout: a failed write is exit 2, in one line. */
static int finish_stdout(const char *what)
{
	struct ss_err err;

	if (!stdout_close(what, &err))
		return 0;
	fprintf(stderr, "splitsafe: %s\n", err.msg);
	return -1;
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

static int is_identifier(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int parse_check_args(int argc, char **argv, struct check_opts *o)
{
	enum {
		OPT_RULES = 256, OPT_ROOT, OPT_SINKS, OPT_SUPPRESSED, OPT_MAX,
		OPT_ALL_PATHS,
		OPT_STATS, OPT_TARGETS, OPT_COCCI_FACTS, OPT_COCCI, OPT_CALLERS,
		OPT_FORMAT, OPT_BASELINE, OPT_WRITE_BASELINE, OPT_SARIF_OUTPUT,
		OPT_CACHE, OPT_NO_CACHE, OPT_FACTS, OPT_SINCE, OPT_DIFF, OPT_ASSUME,
		OPT_DOT
	};
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "sinks", required_argument, NULL, OPT_SINKS },
		{ "show-suppressed", no_argument, NULL, OPT_SUPPRESSED },
		{ "all-paths", no_argument, NULL, OPT_ALL_PATHS },
		{ "max-warnings", required_argument, NULL, OPT_MAX },
		{ "max-targets", required_argument, NULL, OPT_TARGETS },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "cocci-facts", no_argument, NULL, OPT_COCCI_FACTS },
		{ "cocci", no_argument, NULL, OPT_COCCI },
		{ "write-sink-callers", required_argument, NULL, OPT_CALLERS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE },
		{ "sarif-output", required_argument, NULL, OPT_SARIF_OUTPUT },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "facts", required_argument, NULL, OPT_FACTS },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "assume-sleeps", required_argument, NULL, OPT_ASSUME },
		{ "dot", required_argument, NULL, OPT_DOT },
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
	o->max_targets = 16;
	optind = 1;
	opterr = 0;	/* we say it ourselves, in one line */
	while ((c = getopt_long(argc, argv, "p:j:o:qh", longopts, NULL)) != -1) {
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
		case OPT_ALL_PATHS:
			o->report.all_paths = 1;
			break;
		case OPT_SUPPRESSED:
			o->report.show_suppressed = 1;
			break;
		case OPT_MAX:
			if (parse_int(optarg, &o->report.max_warnings))
				return die_usage("--max-warnings needs a number");
			break;
		case OPT_TARGETS:
			if (parse_int(optarg, &o->max_targets) || o->max_targets < 1)
				return die_usage("--max-targets needs a positive number");
			break;
		case OPT_STATS:
			o->stats = 1;
			break;
		case OPT_COCCI_FACTS:
			o->cocci_facts = 1;
			break;
		case OPT_COCCI:
			o->cocci = 1;
			break;
		case OPT_CALLERS:
			o->write_callers = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				o->format = FORMAT_JSON;
			else if (!strcmp(optarg, "sarif"))
				o->format = FORMAT_SARIF;
			else if (strcmp(optarg, "text"))
				return die_usage("--format must be 'text', 'json' or 'sarif'");
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_WRITE_BASELINE:
			o->write_baseline = optarg;
			break;
		case OPT_SARIF_OUTPUT:
			o->sarif_output = optarg;
			break;
		case OPT_CACHE:
			o->cache_dir = optarg;
			break;
		case OPT_NO_CACHE:
			o->no_cache = 1;
			break;
		case OPT_FACTS:
			o->facts_dir = optarg;
			break;
		case OPT_SINCE:
			o->since = optarg;
			break;
		case OPT_DIFF:
			o->diff = optarg;
			break;
		case OPT_ASSUME:
			if (!is_identifier(optarg))
				return die_usage("--assume-sleeps needs a function name");
			if (o->nr_assume == MAX_ASSUME)
				return die_usage("too many --assume-sleeps");
			o->assume[o->nr_assume++] = optarg;
			break;
		case OPT_DOT:
			o->dot = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(finish_stdout("the usage") ? 2 : 0);
		default: {
			char msg[256];

			snprintf(msg, sizeof(msg), "bad option '%s'", argv[optind - 1]);
			return die_usage(msg);
		}
		}
	}
	o->paths = argv + optind;
	o->nr_paths = argc - optind;
	if (o->since && o->diff)
		return die_usage("--since and --diff do not go together");
	if (o->facts_dir && (o->no_cache || o->cache_dir))
		return die_usage("--facts is a facts store already: no --cache/--no-cache");
	return 0;
}

/* Everything a command works on: one parse of the tree, analysed. */
struct run {
	struct rules *rules;
	struct compdb db;
	struct store *store;
	struct graph g;
	struct boot boot;
	struct parse_stats st;	/* parsed and failed count loaded TUs too */
	struct argprobe_report probe;	/* arguments libclang rejected */
	int from_store;
	struct tu_failures failures;
	double start;
};

/* Coccinelle's facts for the paths (or the whole root), into the graph. */
static int add_cocci_facts(struct run *run, const struct check_opts *o,
			   char **paths, int nr_paths)
{
	struct cocci_facts_opts co;
	struct fact_tu tu;
	struct ss_err err;
	char **dirs = xcalloc(nr_paths + 2, sizeof(*dirs));
	int i, ret;

	for (i = 0; i < nr_paths; i++)
		dirs[i] = xasprintf("%s/%s", run->db.root, paths[i]);
	if (!nr_paths)
		dirs[nr_paths++] = xstrdup(run->db.root);
	co.cocci = SPLITSAFE_COCCI_DIR "/extract-facts.cocci";
	co.dirs = dirs;
	co.nr_dirs = nr_paths;
	co.jobs = o->jobs;
	co.rules = run->rules;
	ret = cocci_extract(&tu, &co, &err);
	if (ret)
		fprintf(stderr, "splitsafe: %s\n", err.msg);
	else
		graph_add_tu(&run->g, &tu);
	facts_tu_release(&tu);
	for (i = 0; i < nr_paths; i++)
		free(dirs[i]);
	free(dirs);
	return ret;
}

static void run_release(struct run *run)
{
	int i;

	for (i = 0; i < run->failures.nr; i++)
		free((char *)run->failures.v[i].msg);
	free(run->failures.v);
	boot_release(&run->boot);
	graph_release(&run->g);
	store_close(run->store);
	argprobe_report_release(&run->probe);
	compdb_release(&run->db);
	rules_free(run->rules);
}

/* A database of the TUs in the facts store (--facts), in path order. */
static int store_compdb(struct run *run, const struct check_opts *o)
{
	struct store_tu *tus;
	struct arena tmp = ARENA_INIT;
	struct ss_err err;
	char *root = o->root ? xstrdup(o->root) : store_meta(run->store, "root");
	int nr, i, ret = -1;

	if (!root)
		fprintf(stderr, "splitsafe: %s/facts.db: no TU extracted yet\n",
			o->facts_dir);
	else if (compdb_init(&run->db, root, &err) ||
		 store_list(run->store, &tmp, &tus, &nr, &err))
		fprintf(stderr, "splitsafe: %s\n", err.msg);
	else
		ret = 0;
	for (i = 0; !ret && i < nr; i++)
		compdb_add_sanitised(&run->db, tus[i].file, tus[i].dir,
				     tus[i].argv, tus[i].argc);
	if (!ret)
		compdb_filter(&run->db, o->paths, o->nr_paths);
	arena_release(&tmp);
	free(root);
	return ret;
}

/* What facts in a store are valid for: format, this binary, the rules. */
static uint64_t store_id(const struct rules *r)
{
	return store_self_digest() ^ r->digest;
}

static void say_rebuilt(const struct store *s)
{
	if (store_rebuilt(s))
		fprintf(stderr, "splitsafe: %s; starting it afresh\n",
			store_rebuilt(s));
}

static int open_store(struct run *run, const char *dir, int keep)
{
	struct ss_err err;

	if (store_open(&run->store, dir, store_id(run->rules), keep, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	say_rebuilt(run->store);
	return 0;
}

static void say_damaged(const struct collect *col, const struct compdb *db)
{
	int i;

	for (i = 0; i < col->nr_damaged; i++) {
		const struct collect_damage *d = &col->damaged[i];

		const char *at = d->unit ? strchr(d->unit, '@') : NULL;

		if (at)
			fprintf(stderr, "splitsafe: %s: stored facts of header "
				"function %.*s()%s%s fail their checksum; extracting "
				"them again\n", compdb_relative(db, d->tu),
				(int)(at - d->unit), d->unit, at[1] ? " of " : "",
				at[1] ? compdb_relative(db, at + 1) : "");
		else
			fprintf(stderr, "splitsafe: %s: stored facts fail their "
				"checksum; parsing it again\n",
				compdb_relative(db, d->tu));
	}
}

/* collect_init(), with a store found damaged as a whole started afresh. */
static int start_collect(struct run *run, struct collect *col, struct graph *g,
			 const char *self)
{
	struct ss_err err;

	memset(&err, 0, sizeof(err));
	if (!collect_init(col, run->rules, g, run->store, &run->db, self, &err))
		goto ok;
	if (!run->store || !store_corrupt(run->store) ||
	    store_rebuild(run->store, &err) ||
	    collect_init(col, run->rules, g, run->store, &run->db, self, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	say_rebuilt(run->store);
ok:
	say_damaged(col, &run->db);
	return 0;
}

/* Once per run: what the linked libclang did not accept. */
static void print_probe(const struct argprobe_report *p)
{
	char ver[64];
	int i;

	snprintf(ver, sizeof(ver), "%s", p->libclang);
	if (strchr(ver, '.') && strchr(strchr(ver, '.') + 1, '.'))
		*strchr(strchr(ver, '.') + 1, '.') = '\0';	/* "19.1" */
	if (p->compiler)
		fprintf(stderr, "splitsafe: the compile database was built with "
			"clang %s, newer than the linked libclang %s: options "
			"it does not know are dropped (build splitsafe against "
			"libclang %.*s to see what the compiler saw)\n",
			p->compiler_version, p->libclang,
			(int)strcspn(p->compiler_version, "."), p->compiler_version);
	for (i = 0; i < p->nr_drops; i++)
		fprintf(stderr, "splitsafe: libclang %s rejects %s: dropped in %d TU%s\n",
			ver, p->drops[i].arg, p->drops[i].tus,
			p->drops[i].tus == 1 ? "" : "s");
	if (p->unresolved)
		fprintf(stderr, "splitsafe: libclang %s rejects arguments of %d "
			"option set%s that no single option explains: their TUs "
			"report the errors\n", ver, p->unresolved,
			p->unresolved == 1 ? "" : "s");
}

/* Entries of the database that cannot be used: said one a line, and
 * counted as TUs that failed; the run goes on without them. */
static void report_unusable(struct run *run)
{
	int i;

	for (i = 0; i < run->db.nr_unusable; i++) {
		const struct compdb_unusable *u = &run->db.unusable[i];
		char *msg = xasprintf("entry %d: %s", u->entry, u->why);

		fprintf(stderr, "splitsafe: %s: %s\n", run->db.path, msg);
		add_failure(&run->failures, run->db.path, msg, 1);
		free(msg);
	}
}

/* The TUs to analyse: the compile database, or the facts store's TUs. */
static int load_tus(struct run *run, const struct check_opts *o,
		    char **paths, int nr_paths)
{
	struct ss_err err;
	char *dir;
	int ret;

	if (o->facts_dir)
		return open_store(run, o->facts_dir, 1) ||
		       store_compdb(run, o);
	if (compdb_load(&run->db, o->build_dir, o->root, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	report_unusable(run);
	compdb_filter(&run->db, paths, nr_paths);
	if (nr_paths && !run->db.nr) {
		fprintf(stderr, "splitsafe: no C source in '%s' is under the paths given\n",
			run->db.path);
		return -1;
	}
	if (argprobe_compdb(&run->db, &run->probe, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	if (!o->quiet)
		print_probe(&run->probe);
	if (o->no_cache)
		return 0;
	dir = o->cache_dir ? xstrdup(o->cache_dir) :
	      xasprintf("%s/.splitsafe", o->build_dir);
	ret = open_store(run, dir, 0);
	free(dir);
	return ret;
}

/* Parse what the store does not have current, in two rounds if a header
 * function lost the TU that extracted it. */
static int collect_all(struct run *run, const struct check_opts *o)
{
	struct collect col;
	struct consume_ctx cc;
	struct parse_opts po;
	struct parse_stats again;
	struct ss_err err;

	if (start_collect(run, &col, &run->g, NULL))
		return -1;
	memset(&cc, 0, sizeof(cc));
	cc.col = &col;
	cc.db = &run->db;
	cc.failures = &run->failures;
	cc.progress = !o->quiet && isatty(STDERR_FILENO);
	cc.start = run->start;
	memset(&po, 0, sizeof(po));
	po.jobs = o->jobs;
	po.skip = col.skip;
	po.claim = collect_claim;
	po.claim_data = &col;
	po.consume = consume;
	po.data = &cc;
	memset(&err, 0, sizeof(err));
	if (parse_all(&run->db, run->rules, &po, &run->st, &err) ||
	    (collect_orphans(&col) &&
	     parse_all(&run->db, run->rules, &po, &again, &err))) {
		show_progress(&cc, NULL);
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		collect_release(&col);
		return -1;
	}
	show_progress(&cc, NULL);
	run->st.parsed = cc.parsed;
	run->st.failed = cc.failed + run->db.nr_unusable;
	run->st.with_errors = cc.with_errors;
	run->from_store = col.from_store;
	if (collect_finish(&col, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		collect_release(&col);
		return -1;
	}
	collect_release(&col);
	/* never a report on facts that could not be read or kept */
	return cc.store_errors ? -1 : 0;
}

static int run_load(struct run *run, const struct check_opts *o,
		    char **paths, int nr_paths)
{
	struct ss_err err;

	memset(run, 0, sizeof(*run));
	run->start = now_seconds();
	if (rules_load(&run->rules, o->rules_path, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	graph_init(&run->g, run->rules);
	run->g.max_targets = o->max_targets;
	if (load_tus(run, o, paths, nr_paths) || collect_all(run, o) ||
	    (o->cocci_facts && add_cocci_facts(run, o, paths, nr_paths))) {
		run_release(run);
		return -1;
	}
	graph_finish(&run->g);
	boot_analyze(&run->boot, &run->g);
	return 0;
}


static void print_only(const struct graph *g, const struct compdb *db,
		       const char *who, const struct fact_loc *loc,
		       const char *what, const char *func)
{
	fprintf(stderr, "splitsafe:   only %s: %s:%u: %s %s()\n", who,
		compdb_relative(db, loc->file), loc->line, what, func);
}

/* A store a registration macro makes is compared as that macro. */
static int by_macro(const struct graph *g, const struct fact_loc *loc)
{
	int i;

	for (i = 0; i < g->nr_regs; i++)
		if (g->regs[i].how == HOW_MACRO && g->regs[i].loc.file == loc->file &&
		    g->regs[i].loc.line == loc->line)
			return 1;
	return 0;
}

/* How Coccinelle's facts and libclang's compare, where both extract. */
static void print_cocci_stats(const struct graph *g, const struct compdb *db)
{
	int i, j, both = 0, cocci = 0, clang = 0;
	char name[512];

	for (i = 0; i < g->nr_regs; i++) {
		const struct g_reg *r = &g->regs[i];

		if (r->how != HOW_CALL && r->how != HOW_MACRO)
			continue;
		both += r->src == (SRC_LIBCLANG | SRC_COCCI);
		cocci += r->src == SRC_COCCI;
		clang += r->src == SRC_LIBCLANG;
		if (r->src != (SRC_LIBCLANG | SRC_COCCI))
			print_only(g, db, r->src == SRC_COCCI ? "coccinelle" : "libclang",
				   &r->loc, r->rule->as, g->funcs[r->func].name);
	}
	for (i = 0; i < g->nr_ptrs; i++) {
		const struct g_ptr *p = g->all_ptrs[i];

		for (j = 0; j < p->nr_funcs; j++) {
			int s = p->src[j];

			if (s == SRC_LIBCLANG && (!p->visible[j] ||
						  by_macro(g, &p->locs[j])))
				continue;
			both += s == (SRC_LIBCLANG | SRC_COCCI);
			cocci += s == SRC_COCCI;
			clang += s == SRC_LIBCLANG;
			if (s != (SRC_LIBCLANG | SRC_COCCI))
				print_only(g, db, s == SRC_COCCI ? "coccinelle" : "libclang",
					   &p->locs[j],
					   graph_ptr_name(p->key, name, sizeof(name)),
					   g->funcs[p->funcs[j]].name);
		}
	}
	fprintf(stderr, "splitsafe: coccinelle and libclang: %d facts both, "
		"%d only coccinelle, %d only libclang\n", both, cocci, clang);
}

/* What the analysis did not see, so the user knows. */
static void print_stats(const struct graph *g)
{
	const struct graph_stats *st = &g->stats;
	const struct g_ptr *worst[10];
	int i, n = graph_worst_ptrs(g, worst, 10);

	fprintf(stderr, "splitsafe: indirect calls: %d, resolved %d (%d edges), "
		"no target known %d, over %d targets %d\n", st->indirect,
		st->resolved, st->edges, st->no_target, g->max_targets,
		st->capped);
	for (i = 0; i < n; i++) {
		char name[512];

		fprintf(stderr, "splitsafe:   not followed: %s: more than %d targets, %d calls\n",
			graph_ptr_name(worst[i]->key, name, sizeof(name)),
			g->max_targets, worst[i]->sites);
	}
}

/*
 * The rules names no analysed TU met: those in no source of the tree (an
 * API renamed or removed) on the coverage line, the others one a line with
 * a file that has them.
 */
static void print_coverage(const struct run *run)
{
	struct coverage c;
	struct ss_err err;
	int i, n = 0;

	if (coverage_compute(&c, run->rules, &run->g, run->db.root, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		coverage_release(&c);
		return;
	}
	fprintf(stderr, "splitsafe: rules coverage: %d names, %d met in the analysed "
		"TUs, %d only elsewhere in the tree, %d in no source of the tree%s",
		c.total, c.total - c.nr_unmet, c.nr_unmet - c.nr_gone, c.nr_gone,
		c.nr_gone ? ": " : "\n");
	for (i = 0; i < c.nr_unmet; i++)
		if (!c.unmet[i].where)
			fprintf(stderr, "%s%s", n++ ? ", " : "", c.unmet[i].name);
	if (c.nr_gone)
		fputc('\n', stderr);
	for (i = 0; i < c.nr_unmet; i++)
		if (c.unmet[i].where)
			fprintf(stderr, "splitsafe:   not met in the analysed TUs: %s (in %s)\n",
				c.unmet[i].name, c.unmet[i].where);
	coverage_release(&c);
}

static void print_probe_stats(const struct run *run)
{
	fprintf(stderr, "splitsafe: arguments: libclang %s, %d empty parses to "
		"probe them, %d rejected%s\n", run->probe.libclang,
		run->probe.probes, run->probe.nr_drops,
		run->probe.unresolved ? ", some unresolved" : "");
}

/*
 * One function a line, "name" or, for a static one, "name path", into
 * path: written whole or not at all.
 */
static int write_names(const char *path, const struct graph *g,
		       const int *nodes, int n)
{
	struct wholefile w;
	struct ss_err err;
	int i;

	if (wholefile_open(&w, path, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct g_func *fn = &g->funcs[nodes[i]];

		if (fn->is_static)
			fprintf(w.f, "%s %s\n", fn->name, fn->loc.file);
		else
			fprintf(w.f, "%s\n", fn->name);
	}
	if (wholefile_commit(&w, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int write_sink_callers(const struct run *run, enum sink_set set,
			      const char *path)
{
	int *nodes, n = atomic_reaching(&run->g, set, &nodes), ret;

	ret = write_names(path, &run->g, nodes, n);
	free(nodes);
	return ret;
}

/*
 * The libclang finding (reported or suppressed) for the same call, or for
 * the same place the context was entered ("... on line N" ends the
 * semantic patch's message): one finding, whichever call of the region
 * each detector showed.
 */
static struct finding *same_place(const struct graph *g, struct findings *fs,
				  const struct cocci_hit *h)
{
	const char *on = strstr(h->msg, " on line ");
	unsigned entered = on ? (unsigned)strtoul(on + 9, NULL, 10) : 0;
	int boot = strstr(h->patch, "boot") != NULL, i;

	for (i = 0; i < fs->nr; i++) {
		struct finding *f = &fs->v[i];
		const struct g_func *e;
		const struct hop *hp;
		const struct g_call *c;

		if (f->cocci_msg || !f->nr_hops || (f->phase >= 0) != boot)
			continue;
		e = &g->funcs[f->entry];
		hp = &f->hops[boot ? f->warn_hop : 0];
		c = &g->funcs[hp->func].calls[hp->call];
		if (strcmp(c->loc.file, h->loc.file))
			continue;
		if (c->loc.line == h->loc.line ||
		    (!boot && f->site >= 0 && e->sites[f->site].loc.line == entered))
			return f;
	}
	return NULL;
}

/* Files libclang analysed: the TUs parsed and the headers they define
 * functions in. */
static void build_analysed(const struct run *run, struct strmap *files)
{
	int i;

	for (i = 0; i < run->db.nr; i++)
		strmap_put(files, run->db.entries[i].file, (void *)1);
	for (i = 0; i < run->g.nr; i++)
		if (run->g.funcs[i].defined && run->g.funcs[i].loc.file)
			strmap_put(files, run->g.funcs[i].loc.file, (void *)1);
}

/* The semantic patches run as detectors by check --cocci. */
static const char *const detectors[] = {
	"split_atomic.cocci", "split_callback.cocci", "split_boot.cocci", NULL
};

/*
 * Run the semantic patches over the paths, fed with the sink callers,
 * and merge: the same call site found by both is one finding.
 */
static int add_cocci_findings(const struct run *run, const struct check_opts *o,
			      struct findings *fs, struct cocci_hits *hits)
{
	char tmp[] = "/tmp/splitsafe-callers-XXXXXX";
	char **dirs = xcalloc(o->nr_paths + 2, sizeof(*dirs));
	struct strmap analysed = { 0 };
	int fd, i, nr = 0, ret;
	struct ss_err err;

	for (i = 0; i < o->nr_paths; i++)
		dirs[nr++] = xasprintf("%s/%s", run->db.root, o->paths[i]);
	if (!nr)
		dirs[nr++] = xstrdup(run->db.root);
	fd = mkstemp(tmp);
	if (fd >= 0)
		close(fd);
	ret = fd < 0 || write_sink_callers(run, o->sinks, tmp) ? -1 : 0;
	for (i = 0; !ret && detectors[i]; i++) {
		char *path = xasprintf("%s/%s", SPLITSAFE_COCCI_DIR, detectors[i]);

		if (cocci_check(hits, path, dirs, nr, o->jobs, tmp, &err)) {
			fprintf(stderr, "splitsafe: %s\n", err.msg);
			ret = -1;
		}
		free(path);
	}
	if (fd >= 0)
		unlink(tmp);
	for (i = 0; i < nr; i++)
		free(dirs[i]);
	free(dirs);
	build_analysed(run, &analysed);
	for (i = 0; !ret && i < hits->nr; i++) {
		const struct cocci_hit *h = &hits->v[i];
		struct finding *f = same_place(&run->g, fs, h);

		if (f) {
			f->cocci_patch = h->patch;
			hits->both++;
			continue;
		}
		/* libclang saw this file whole and found no such path */
		if (strmap_get(&analysed, h->loc.file)) {
			hits->covered++;
			continue;
		}
		hits->only++;
		f = findings_add(fs, check_table[CHECK_COCCI].id);
		f->cocci_patch = h->patch;
		f->cocci_msg = h->msg;
		f->cocci_loc = h->loc;
	}
	strmap_release(&analysed);
	return ret;
}

static int report(FILE *out, const struct run *run, const struct check_opts *o,
		  enum report_format format, const struct findings *fs,
		  int suppressed)
{
	struct report_summary sum;

	if (format == FORMAT_TEXT)
		return report_text(out, &run->g, &run->db, fs, &o->report);
	sum.parsed = run->st.parsed;
	sum.failed = run->st.failed;
	sum.with_errors = run->st.with_errors;
	sum.suppressed = suppressed;
	sum.failures = run->failures.v;
	sum.nr_failures = run->failures.nr;
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
	struct ss_err err;
	int warnings;

	if (!path) {
		warnings = report(stdout, run, o, format, fs, suppressed);
		return finish_stdout("the report") ? -1 : warnings;
	}
	if (wholefile_open(&w, path, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	warnings = report(w.f, run, o, format, fs, suppressed);
	if (wholefile_commit(&w, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		warnings = -1;
	}
	return warnings;
}

/* Write the baseline asked for, then hold the findings against one. */
static int baselines(const struct run *run, const struct check_opts *o,
		     struct findings *fs)
{
	struct baseline b;
	struct ss_err err;
	int i;

	if (o->write_baseline &&
	    baseline_write(o->write_baseline, &run->g, &run->db, fs, &err) < 0) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	if (!o->baseline)
		return 0;
	if (baseline_load(&b, o->baseline, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		return -1;
	}
	for (i = 0; i < fs->nr; i++) {
		struct finding *f = &fs->v[i];
		char *k;

		if (f->suppressed)
			continue;
		k = baseline_key(&run->g, &run->db, f);
		if (strmap_get(&b.keys, k))
			f->suppressed = f->baselined = 1;
		free(k);
		/* a baseline written before groups lists paths */
		k = baseline_path_key(&run->g, &run->db, f);
		if (strmap_get(&b.keys, k))
			f->suppressed = f->baselined = 1;
		free(k);
	}
	baseline_release(&b);
	return 0;
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
		fprintf(stderr, "splitsafe: %s\n", err.msg);
	else
		scope_filter(fs, &run->g, &c);
	change_release(&c);
	return ret;
}

/* ", 3 with errors" when some TUs parsed with errors; else nothing. */
static const char *with_errors(char *buf, size_t size, const struct run *run)
{
	*buf = '\0';
	if (run->st.with_errors)
		snprintf(buf, size, ", %d with errors", run->st.with_errors);
	return buf;
}

static void print_summary(const struct run *run, int warnings, int suppressed)
{
	char store[64] = "", errs[64];

	if (run->store)
		snprintf(store, sizeof(store), " (%d from the facts store)",
			 run->from_store);
	fprintf(stderr, "splitsafe: %d TUs parsed%s, %d failed%s, %d functions, "
		"%d edges, %d findings, %d suppressed, %.1fs\n",
		run->st.parsed, store, run->st.failed,
		with_errors(errs, sizeof(errs), run), run->g.nr, run->g.nr_edges,
		warnings, suppressed, now_seconds() - run->start);
}

/* --assume-sleeps: each function named sleeps for this run. */
static int apply_assumptions(struct run *run, const struct check_opts *o)
{
	int i;

	for (i = 0; i < o->nr_assume; i++)
		if (!assume_sleeps(run->rules, &run->g, o->assume[i])) {
			fprintf(stderr, "splitsafe: --assume-sleeps: no function '%s' "
				"in the tree\n", o->assume[i]);
			return -1;
		}
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	struct check_opts o;
	struct run run;
	struct findings fs = { 0 };
	struct cocci_hits hits = { 0 };
	struct ignores ignores = { 0 };
	struct ss_err err;
	int warnings = -1, suppressed = 0, i;

	if (parse_check_args(argc, argv, &o))
		return 2;
	if (o.dot)
		return die_usage("--dot is an option of explain");
	if (run_load(&run, &o, o.paths, o.nr_paths))
		return 2;
	if (apply_assumptions(&run, &o)) {
		run_release(&run);
		return 2;
	}
	atomic_check(&run.g, o.sinks, &run.boot, &fs);
	boot_check(&run.boot, &fs);
	if ((o.write_callers && write_sink_callers(&run, o.sinks, o.write_callers)) ||
	    (o.cocci && add_cocci_findings(&run, &o, &fs, &hits)) ||
	    limit_to_change(&run, &o, &fs))
		goto out;
	o.report.boot = &run.boot;
	if (ignores_apply(&ignores, &run.g, &fs, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		goto out;
	}
	group_findings(&run.g, &fs, o.report.all_paths);
	if (baselines(&run, &o, &fs))
		goto out;
	/* what the baseline accepted leaves its groups */
	group_findings(&run.g, &fs, o.report.all_paths);
	for (i = 0; i < fs.nr; i++)
		suppressed += fs.v[i].suppressed;
	warnings = write_report(&run, &o, o.output, o.format, &fs, suppressed);
	/* the same report, once more as SARIF: no second parse for it */
	if (warnings >= 0 && o.sarif_output &&
	    write_report(&run, &o, o.sarif_output, FORMAT_SARIF, &fs, suppressed) < 0)
		warnings = -1;
	if (warnings < 0)
		goto out;
	if (!o.quiet)
		print_summary(&run, warnings, suppressed);
	if (o.stats) {
		print_stats(&run.g);
		print_probe_stats(&run);
		print_coverage(&run);
	}
	if (o.stats && o.cocci_facts)
		print_cocci_stats(&run.g, &run.db);
	if (o.stats && o.cocci)
		fprintf(stderr, "splitsafe: semantic patches: %d reports, %d also "
			"libclang findings, %d only theirs (files not built), %d in "
			"analysed files where libclang found no such path\n",
			hits.nr, hits.both, hits.only, hits.covered);
out:
	ignores_release(&ignores);
	findings_release(&fs);
	cocci_hits_release(&hits);
	run_release(&run);
	return warnings < 0 ? 2 : warnings ? 1 : 0;
}

/*
 * Explain each name as it comes, so that an unknown one is said between
 * the others; returns how many were unknown.
 */
static int explain_names(const struct run *run, char **names, int nr_names,
			 struct explanations *xs)
{
	struct atomic_reach ar;
	int i, j, first, missing = 0;

	atomic_reach_init(&ar, &run->g, &run->boot);
	for (i = 0; i < nr_names; i++) {
		first = xs->nr;
		if (!explain_add(xs, &ar, &run->boot, names[i])) {
			fflush(stdout);
			fprintf(stderr, "splitsafe: no function '%s' in the tree\n",
				names[i]);
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

/* The --dot file is opened before the long run, so that a bad path fails
 * at once. */
static int open_dot(struct wholefile *w, const char *path)
{
	struct ss_err err;

	if (!wholefile_open(w, path, &err))
		return 0;
	fprintf(stderr, "splitsafe: %s\n", err.msg);
	return -1;
}

static int commit_dot(struct wholefile *w)
{
	struct ss_err err;

	if (!wholefile_commit(w, &err))
		return 0;
	fprintf(stderr, "splitsafe: %s\n", err.msg);
	return -1;
}

static int cmd_explain(int argc, char **argv)
{
	struct check_opts o;
	struct run run;
	struct explanations xs = { 0 };
	struct wholefile dot = { 0 };
	char **names, **paths;
	int i, nr_names = 0, nr_paths = 0, missing = 0, ret = 0;

	if (parse_check_args(argc, argv, &o))
		return 2;
	/* function names, and paths (with a '/') to limit the parse */
	names = xcalloc(o.nr_paths + 1, sizeof(*names));
	paths = xcalloc(o.nr_paths + 1, sizeof(*paths));
	for (i = 0; i < o.nr_paths; i++) {
		if (strchr(o.paths[i], '/')) {
			paths[nr_paths++] = o.paths[i];
		} else if (is_identifier(o.paths[i])) {
			names[nr_names++] = o.paths[i];
		} else {
			char msg[512];

			snprintf(msg, sizeof(msg),
				 "'%s' is neither a function name nor a path",
				 o.paths[i]);
			free(names);
			free(paths);
			return die_usage(msg);
		}
	}
	if (!nr_names) {
		free(names);
		free(paths);
		return die_usage("explain needs a function name");
	}
	if ((o.dot && open_dot(&dot, o.dot)) ||
	    run_load(&run, &o, paths, nr_paths)) {
		if (dot.f)
			wholefile_discard(&dot);
		free(names);
		free(paths);
		return 2;
	}
	if (apply_assumptions(&run, &o))
		ret = 2;
	else
		missing = explain_names(&run, names, nr_names, &xs);
	if (!ret && finish_stdout("the explanation"))
		ret = 2;
	if (dot.f && ret) {
		wholefile_discard(&dot);
	} else if (dot.f) {
		/* a write error shows in ferror(), which the commit reads */
		explain_dot(dot.f, &run.g, &run.boot, &run.db, &xs);
		if (commit_dot(&dot))
			ret = 2;
	}
	if (!o.quiet && !ret) {
		char errs[64];

		fprintf(stderr, "splitsafe: %d TUs parsed, %d failed%s, %d functions, "
			"%d from the facts store, %.1fs\n", run.st.parsed,
			run.st.failed, with_errors(errs, sizeof(errs), &run),
			run.g.nr, run.from_store, now_seconds() - run.start);
	}
	explanations_release(&xs);
	run_release(&run);
	free(names);
	free(paths);
	return ret || missing ? 2 : 0;
}

/*
 * kbuild CHECK mode: make C=1 CHECK="splitsafe extract --facts DIR" runs
 * "$(CHECK) $(CHECKFLAGS) $(c_flags) file" once per TU; splitsafe's own
 * options come first, everything after them is the compiler's.
 */
struct extract_opts {
	const char *facts_dir, *rules_path, *root;
	int quiet;
	char **args;
	int nr_args;
};

static int parse_extract_args(int argc, char **argv, struct extract_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->rules_path = DEFAULT_RULES;
	for (i = 1; i < argc; i++) {
		const char **dst = !strcmp(argv[i], "--facts") ? &o->facts_dir :
				   !strcmp(argv[i], "--rules") ? &o->rules_path :
				   !strcmp(argv[i], "--root") ? &o->root : NULL;

		if (!strcmp(argv[i], "-q")) {
			o->quiet = 1;
			continue;
		}
		if (!dst)
			break;
		if (++i == argc)
			return die_usage("extract: an option needs a value");
		*dst = argv[i];
	}
	if (!o->facts_dir)
		return die_usage("extract needs --facts DIR");
	o->args = argv + i;
	o->nr_args = argc - i;
	return 0;
}

/* The tree root: --root, else kbuild's "source" link (O=), else here. */
static char *extract_root(const struct extract_opts *o, const char *cwd)
{
	char *link = xasprintf("%s/source", cwd), *root;

	root = realpath(o->root ? o->root : link, NULL);
	free(link);
	return root ? root : xstrdup(cwd);
}

static void extract_consume(struct fact_tu *tu, int index,
			    const struct compdb_entry *e, void *data)
{
	struct collect *col = data;

	if (tu->failed || tu->nr_errors)
		print_tu_errors(e->rel, tu->failed, tu->first_error);
	if (collect_tu(col, tu, index))
		fprintf(stderr, "splitsafe: %s\n", col->err.msg);
}

static int extract_one(struct run *run, const struct extract_opts *o)
{
	struct collect col;
	struct parse_opts po;
	struct ss_err err;
	int ret;

	if (start_collect(run, &col, NULL, run->db.entries[0].file))
		return -1;
	if (store_set_meta(run->store, "root", run->db.root, &err)) {
		fprintf(stderr, "splitsafe: %s\n", err.msg);
		collect_release(&col);
		return -1;
	}
	memset(&po, 0, sizeof(po));
	po.jobs = 1;
	po.claim = collect_claim;
	po.claim_data = &col;
	po.consume = extract_consume;
	po.data = &col;
	ret = parse_all(&run->db, run->rules, &po, &run->st, &err);
	if (ret)
		fprintf(stderr, "splitsafe: %s\n", err.msg);
	else if (col.store_failed)
		ret = -1;
	collect_release(&col);
	return ret;
}

static int cmd_extract(int argc, char **argv)
{
	struct extract_opts o;
	struct run run;
	struct ss_err err;
	char cwd[PATH_MAX], *root;
	int ret = 2;

	if (parse_extract_args(argc, argv, &o))
		return 2;
	if (!getcwd(cwd, sizeof(cwd))) {
		fprintf(stderr, "splitsafe: cannot tell the current directory: %s\n",
			strerror(errno));
		return 2;
	}
	memset(&run, 0, sizeof(run));
	root = extract_root(&o, cwd);
	if (rules_load(&run.rules, o.rules_path, &err) ||
	    compdb_init(&run.db, root, &err) ||
	    compdb_add_check(&run.db, cwd, o.args, o.nr_args, &err) ||
	    argprobe_compdb(&run.db, &run.probe, &err))
		fprintf(stderr, "splitsafe: %s\n", err.msg);
	else if (!open_store(&run, o.facts_dir, 0) && !extract_one(&run, &o))
		ret = 0;
	free(root);
	store_close(run.store);
	argprobe_report_release(&run.probe);
	compdb_release(&run.db);
	rules_free(run.rules);
	return ret;
}

int main(int argc, char **argv)
{
	std_streams_init();
	if (argc < 2)
		return die_usage(NULL);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "explain"))
		return cmd_explain(argc - 1, argv + 1);
	if (!strcmp(argv[1], "extract"))
		return cmd_extract(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return finish_stdout("the usage") ? 2 : 0;
	}
	fprintf(stderr, "splitsafe: unknown command '%s' (see 'splitsafe --help')\n",
		argv[1]);
	return 2;
}
