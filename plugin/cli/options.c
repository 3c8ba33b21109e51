/*
 * options.c: the command lines of check, explain and extract (see
 * options.h).  The options of check and explain are one table: each
 * names its handler, which sets the field the entry names or checks a
 * value first; getopt_long()'s tables are made from it.  The options that
 * do not go together are checked once all are read.
 */
#include <ctype.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"

struct check_option;

/* 0, or the exit status of the usage error it said. */
typedef int set_fn(struct check_opts *o, const struct check_option *opt,
		   const char *arg);

struct check_option {
	const char *name;	/* long name, or NULL */
	char letter;		/* short name, or 0 */
	int has_arg;		/* no_argument, required_argument */
	set_fn *set;
	size_t field;		/* the field set_string(), set_flag(),
				 * set_number() set: offsetof(check_opts) */
	int min;		/* set_number(): the smallest value taken */
	const char *bad;	/* the usage error for a bad value */
};

#define FIELD(f) offsetof(struct check_opts, f)
#define FIELD_OF(o, opt, type) ((type *)((char *)(o) + (opt)->field))

int is_identifier(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
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

/* ---- the handlers: one for each kind of value ---- */

static int set_string(struct check_opts *o, const struct check_option *opt,
		      const char *arg)
{
	*FIELD_OF(o, opt, const char *) = arg;
	return 0;
}

static int set_flag(struct check_opts *o, const struct check_option *opt,
		    const char *arg)
{
	*FIELD_OF(o, opt, int) = 1;
	return 0;
}

static int set_number(struct check_opts *o, const struct check_option *opt,
		      const char *arg)
{
	int *v = FIELD_OF(o, opt, int);

	if (parse_int(arg, v) || *v < opt->min)
		return usage_error(opt->bad);
	return 0;
}

struct choice {
	const char *name;
	int value;
};

/* The value of the choice arg names, or -1. */
static int choice_value(const struct choice *choices, const char *arg)
{
	for (; choices->name; choices++)
		if (!strcmp(choices->name, arg))
			return choices->value;
	return -1;
}

static const struct choice sink_sets[] = {
	{ "rules", SINKS_RULES }, { "sleep", SINKS_SLEEP }, { NULL, 0 },
};

static const struct choice formats[] = {
	{ "text", FORMAT_TEXT }, { "json", FORMAT_JSON },
	{ "sarif", FORMAT_SARIF }, { "mail", FORMAT_MAIL }, { NULL, 0 },
};

static int set_sinks(struct check_opts *o, const struct check_option *opt,
		     const char *arg)
{
	int v = choice_value(sink_sets, arg);

	if (v < 0)
		return usage_error(opt->bad);
	o->sinks = v;
	return 0;
}

/* "text" is the default: after another format, it leaves that one. */
static int set_format(struct check_opts *o, const struct check_option *opt,
		      const char *arg)
{
	int v = choice_value(formats, arg);

	if (v < 0)
		return usage_error(opt->bad);
	if (v != FORMAT_TEXT)
		o->format = v;
	return 0;
}

static int add_assumption(struct check_opts *o, const struct check_option *opt,
			  const char *arg)
{
	if (!is_identifier(arg))
		return usage_error(opt->bad);
	if (o->nr_assume == MAX_ASSUME)
		return usage_error("too many --assume-sleeps");
	o->assume[o->nr_assume++] = arg;
	return 0;
}

static int help(struct check_opts *o, const struct check_option *opt,
		const char *arg)
{
	exit(show_help());
}

/* ---- the table ---- */

#define STRING(name, letter, f) \
	{ name, letter, required_argument, set_string, FIELD(f), 0, NULL }
#define FLAG(name, letter, f) \
	{ name, letter, no_argument, set_flag, FIELD(f), 0, NULL }
#define NUMBER(name, letter, f, min, bad) \
	{ name, letter, required_argument, set_number, FIELD(f), min, bad }
#define OWN(name, letter, has_arg, fn, bad) \
	{ name, letter, has_arg, fn, 0, 0, bad }

static const struct check_option options[] = {
	/* what the run reads */
	STRING(NULL, 'p', build_dir),
	STRING("rules", 0, rules_path),
	STRING("root", 0, root),
	STRING("cache", 0, cache_dir),
	FLAG("no-cache", 0, no_cache),
	STRING("facts", 0, facts_dir),
	/* how it analyses */
	NUMBER(NULL, 'j', jobs, 1, "-j needs a positive number"),
	OWN("sinks", 0, required_argument, set_sinks,
	    "--sinks must be 'rules' or 'sleep'"),
	NUMBER("max-targets", 0, max_targets, 1,
	       "--max-targets needs a positive number"),
	OWN("assume-sleeps", 0, required_argument, add_assumption,
	    "--assume-sleeps needs a function name"),
	FLAG("cocci-facts", 0, cocci_facts),
	FLAG("cocci", 0, cocci),
	/* which findings it keeps */
	STRING("since", 0, since),
	STRING("diff", 0, diff),
	STRING("compare", 0, compare),
	STRING("compare-diff", 0, compare_diff),
	STRING("baseline", 0, baseline),
	/* what it writes */
	STRING(NULL, 'o', output),
	FLAG(NULL, 'q', quiet),
	OWN("format", 0, required_argument, set_format,
	    "--format must be 'text', 'json', 'sarif' or 'mail'"),
	FLAG("show-suppressed", 0, report.show_suppressed),
	FLAG("all-paths", 0, report.all_paths),
	NUMBER("max-warnings", 0, report.max_warnings, 0,
	       "--max-warnings needs a number"),
	FLAG("stats", 0, stats),
	STRING("sarif-output", 0, sarif_output),
	STRING("write-baseline", 0, write_baseline),
	STRING("write-sink-callers", 0, write_callers),
	STRING("dot", 0, dot),
	OWN("help", 'h', no_argument, help, NULL),
};

#define NR_OPTIONS (sizeof(options) / sizeof(options[0]))

/* What getopt_long() returns for option i: its letter, else past them. */
static int option_val(size_t i)
{
	return options[i].letter ? options[i].letter : 256 + (int)i;
}

/* getopt_long()'s two tables, from the one above. */
static void build_getopt(struct option *longopts, char *shortopts)
{
	size_t i, n = 0;

	for (i = 0; i < NR_OPTIONS; i++) {
		const struct check_option *opt = &options[i];

		if (opt->letter) {
			*shortopts++ = opt->letter;
			if (opt->has_arg == required_argument)
				*shortopts++ = ':';
		}
		if (opt->name) {
			longopts[n].name = opt->name;
			longopts[n].has_arg = opt->has_arg;
			longopts[n].flag = NULL;
			longopts[n++].val = option_val(i);
		}
	}
	*shortopts = '\0';
	memset(&longopts[n], 0, sizeof(longopts[n]));
}

static void set_defaults(struct check_opts *o)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	o->build_dir = ".";
	o->jobs = cores > 0 ? (int)cores : 1;
	o->sinks = SINKS_RULES;
	o->max_targets = 16;
}

/* The option getopt_long() returned as c, or a usage error if none. */
static int take_option(struct check_opts *o, int c, char **argv)
{
	char msg[256];
	size_t i;

	for (i = 0; i < NR_OPTIONS; i++)
		if (option_val(i) == c)
			return options[i].set(o, &options[i], optarg);
	snprintf(msg, sizeof(msg), "bad option '%s'", argv[optind - 1]);
	return usage_error(msg);
}

/*
 * --compare and --compare-diff: both sides are whole runs of the tree
 * from its compile database; what filters one run's findings (a change,
 * a baseline) or adds to them (Coccinelle) is for a run on its own.
 */
static int check_compare(const struct check_opts *o)
{
	const char *what = o->compare ? "--compare" : "--compare-diff";
	const char *other = o->since ? "--since" : o->diff ? "--diff" :
		o->baseline ? "--baseline" : o->write_baseline ? "--write-baseline" :
		o->cocci ? "--cocci" : o->cocci_facts ? "--cocci-facts" :
		o->facts_dir ? "--facts" : o->report.show_suppressed ? "--show-suppressed" :
		o->write_callers ? "--write-sink-callers" : NULL;
	char msg[128];

	if (!o->compare && !o->compare_diff) {
		if (o->format == FORMAT_MAIL)
			return usage_error("--format mail is the report of "
					   "--compare or --compare-diff");
		return 0;
	}
	if (o->compare && o->compare_diff)
		return usage_error("--compare and --compare-diff do not go together");
	if (!other)
		return 0;
	snprintf(msg, sizeof(msg), "%s and %s do not go together", what, other);
	return usage_error(msg);
}

/* Options each good alone that do not go together. */
static int check_combinations(const struct check_opts *o)
{
	if (check_compare(o))
		return 2;
	if (o->since && o->diff)
		return usage_error("--since and --diff do not go together");
	if (o->facts_dir && (o->no_cache || o->cache_dir))
		return usage_error("--facts is a facts store already: no --cache/--no-cache");
	return 0;
}

int parse_check_args(int argc, char **argv, struct check_opts *o)
{
	struct option longopts[NR_OPTIONS + 1];
	char shortopts[2 * NR_OPTIONS + 1];
	int c, ret;

	set_defaults(o);
	build_getopt(longopts, shortopts);
	optind = 1;
	opterr = 0;	/* we say it ourselves, in one line */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
		if ((ret = take_option(o, c, argv)))
			return ret;
	o->paths = argv + optind;
	o->nr_paths = argc - optind;
	return check_combinations(o);
}

int parse_extract_args(int argc, char **argv, struct extract_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
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
			return usage_error("extract: an option needs a value");
		*dst = argv[i];
	}
	if (!o->facts_dir)
		return usage_error("extract needs --facts DIR");
	o->args = argv + i;
	o->nr_args = argc - i;
	return 0;
}
