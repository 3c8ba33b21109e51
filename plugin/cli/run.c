/*
 * run.c: the run driver the commands share (see run.h): the compile
 * database or the facts store's TUs, the store, the parse and collection
 * of every TU with its progress and its errors, Coccinelle's facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/run.h"
#include "core/datadir.h"
#include "cocci/cocci_facts.h"
#include "graph/assume.h"

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
	const char *side;	/* the other side of a change, or NULL */
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

/* The line for a TU, on the other side of a change if side says so. */
static void say_side_errors(const char *rel, const char *side, int failed,
			    const char *msg)
{
	const char *sp = side ? " " : "";

	if (!side)
		side = "";
	if (failed)
		fprintf(stderr, "splitsafe: cannot parse '%s'%s%s: %s\n", rel, sp,
			side, msg ? msg : "parse failed");
	else
		fprintf(stderr, "splitsafe: errors in '%s'%s%s (facts kept from the "
			"rest): %s\n", rel, sp, side, msg ? msg : "errors");
}

void say_tu_errors(const char *rel, int failed, const char *msg)
{
	say_side_errors(rel, NULL, failed, msg);
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
	if (c->side && !tu)
		return;		/* the work tree's run said it */
	say_side_errors(e->rel, c->side, failed, msg);
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
			say_error(&col->err);
	}
	if (col->round > 1)
		return;
	count_tu(c, tu, e);
}

char **run_dirs(const struct run *run, char **paths, int nr_paths, int *nr)
{
	char **dirs = xcalloc(nr_paths + 2, sizeof(*dirs));
	int i;

	for (i = 0; i < nr_paths; i++)
		dirs[i] = xasprintf("%s/%s", run->db.root, paths[i]);
	if (!nr_paths)
		dirs[nr_paths++] = xstrdup(run->db.root);
	*nr = nr_paths;
	return dirs;
}

void free_dirs(char **dirs)
{
	int i;

	for (i = 0; dirs[i]; i++)
		free(dirs[i]);
	free(dirs);
}

/* Coccinelle's facts for the paths (or the whole root), into the graph. */
static int add_cocci_facts(struct run *run, const struct check_opts *o,
			   char **paths, int nr_paths)
{
	struct cocci_facts_opts co;
	struct fact_tu tu;
	struct ss_err err;
	char *patch = datadir_file("semantic-patches/extract-facts.cocci", &err);
	int ret;

	if (!patch)
		return say_error(&err);
	co.cocci = patch;
	co.dirs = run_dirs(run, paths, nr_paths, &co.nr_dirs);
	co.jobs = o->jobs;
	co.rules = run->rules;
	ret = cocci_extract(&tu, &co, &err);
	if (ret)
		say_error(&err);
	else
		graph_add_tu(&run->g, &tu);
	facts_tu_release(&tu);
	free_dirs(co.dirs);
	free(patch);
	return ret;
}

void run_release(struct run *run)
{
	int i;

	for (i = 0; i < run->failures.nr; i++)
		free((char *)run->failures.v[i].msg);
	free(run->failures.v);
	boot_release(&run->boot);
	graph_release(&run->g);
	compdb_release(&run->db);
	free(run->reparse);
	if (run->base)
		return;		/* the rest is base's */
	store_close(run->store);
	argprobe_report_release(&run->probe);
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
		say_error(&err);
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

int run_open_store(struct run *run, const char *dir, int keep)
{
	struct ss_err err;

	if (store_open(&run->store, dir, store_id(run->rules), keep, &err))
		return say_error(&err);
	say_rebuilt(run->store);
	return cli_record_versions(run->store, run->rules);
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

int run_start_collect(struct run *run, struct collect *col, struct graph *g,
		      const char *self)
{
	struct ss_err err;

	memset(&err, 0, sizeof(err));
	if (run->base) {
		if (collect_init_side(col, run->rules, g, run->store, &run->db,
				      run->reparse, &err))
			return say_error(&err);
		goto ok;
	}
	if (!collect_init(col, run->rules, g, run->store, &run->db, self, &err))
		goto ok;
	if (!run->store || !store_corrupt(run->store) ||
	    store_rebuild(run->store, &err) ||
	    collect_init(col, run->rules, g, run->store, &run->db, self, &err))
		return say_error(&err);
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

/* The store of a run on the compile database: --cache, else BUILD_DIR's. */
static int open_cache(struct run *run, const struct check_opts *o)
{
	char *dir;
	int ret;

	if (o->no_cache)
		return 0;
	dir = o->cache_dir ? xstrdup(o->cache_dir) :
	      xasprintf("%s/.splitsafe", o->build_dir);
	ret = run_open_store(run, dir, 0);
	free(dir);
	return ret;
}

/* The TUs to analyse: the compile database, or the facts store's TUs. */
static int load_tus(struct run *run, const struct check_opts *o,
		    char **paths, int nr_paths)
{
	struct ss_err err;

	if (o->facts_dir)
		return run_open_store(run, o->facts_dir, 1) ||
		       store_compdb(run, o);
	if (compdb_load(&run->db, o->build_dir, o->root, &err))
		return say_error(&err);
	report_unusable(run);
	compdb_filter(&run->db, paths, nr_paths);
	if (nr_paths && !run->db.nr) {
		fprintf(stderr, "splitsafe: no C source in '%s' is under the paths given\n",
			run->db.path);
		return -1;
	}
	if (argprobe_compdb(&run->db, &run->probe, &err))
		return say_error(&err);
	if (!o->quiet)
		print_probe(&run->probe);
	return open_cache(run, o);
}

/* How the parse workers hand each TU to the collection. */
static void set_parse_opts(struct parse_opts *po, struct collect *col,
			   struct consume_ctx *cc, int jobs,
			   const struct overlay *overlay)
{
	memset(po, 0, sizeof(*po));
	po->jobs = jobs;
	po->overlay = overlay;
	po->skip = col->skip;
	po->claim = collect_claim;
	po->claim_data = col;
	po->consume = consume;
	po->data = cc;
}

/* Parse what the store does not have current, in two rounds if a header
 * function lost the TU that extracted it. */
static int parse_tus(struct run *run, struct collect *col,
		     struct consume_ctx *cc, int jobs, struct ss_err *err)
{
	struct parse_opts po;
	struct parse_stats again;
	int ret;

	set_parse_opts(&po, col, cc, jobs, run->overlay);
	ret = parse_all(&run->db, run->rules, &po, &run->st, err) ||
	      (collect_orphans(col) &&
	       parse_all(&run->db, run->rules, &po, &again, err));
	show_progress(cc, NULL);
	return ret ? -1 : 0;
}

static int collect_all(struct run *run, const struct check_opts *o)
{
	struct collect col;
	struct consume_ctx cc;
	struct ss_err err;
	int ret;

	if (run_start_collect(run, &col, &run->g, NULL))
		return -1;
	memset(&cc, 0, sizeof(cc));
	cc.col = &col;
	cc.db = &run->db;
	cc.failures = &run->failures;
	cc.progress = !o->quiet && isatty(STDERR_FILENO);
	cc.start = run->start;
	cc.side = run->side;
	memset(&err, 0, sizeof(err));
	ret = parse_tus(run, &col, &cc, o->jobs, &err);
	if (!ret) {
		run->st.parsed = cc.parsed;
		run->st.failed = cc.failed + run->db.nr_unusable;
		run->st.with_errors = cc.with_errors;
		run->from_store = col.from_store;
		ret = collect_finish(&col, &err);
	}
	if (ret)
		say_error(&err);
	collect_release(&col);
	/* never a report on facts that could not be read or kept */
	return ret || cc.store_errors ? -1 : 0;
}

int run_open(struct run *run, const struct check_opts *o,
	     char **paths, int nr_paths)
{
	memset(run, 0, sizeof(*run));
	run->start = now_seconds();
	if (cli_load_rules(&run->rules, o->rules_path))
		return -1;
	graph_init(&run->g, run->rules);
	if (load_tus(run, o, paths, nr_paths)) {
		run_release(run);
		return -1;
	}
	return 0;
}

int run_analyse(struct run *run, const struct check_opts *o,
		char **paths, int nr_paths)
{
	run->g.max_targets = o->max_targets;
	if (collect_all(run, o) ||
	    (o->cocci_facts && add_cocci_facts(run, o, paths, nr_paths))) {
		run_release(run);
		return -1;
	}
	graph_finish(&run->g);
	boot_analyze(&run->boot, &run->g);
	return 0;
}

int run_load(struct run *run, const struct check_opts *o,
	     char **paths, int nr_paths)
{
	return run_open(run, o, paths, nr_paths) ||
	       run_analyse(run, o, paths, nr_paths) ? -1 : 0;
}

int run_assume(struct run *run, const struct check_opts *o)
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

const char *run_with_errors(char *buf, size_t size, const struct run *run)
{
	*buf = '\0';
	if (run->st.with_errors)
		snprintf(buf, size, ", %d with errors", run->st.with_errors);
	return buf;
}
