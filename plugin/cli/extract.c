/*
 * extract.c: splitsafe extract, kbuild's CHECK: one TU, given as the
 * compiler's arguments, parsed and its facts written to the facts store
 * (--facts DIR) that check --facts analyses later.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/run.h"

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
		say_tu_errors(e->rel, tu->failed, tu->first_error);
	if (collect_tu(col, tu, index))
		say_error(&col->err);
}

/* Parse the TU into the store, which keeps the tree's root for check. */
static int extract_one(struct run *run)
{
	struct collect col;
	struct parse_opts po;
	struct ss_err err;
	int ret;

	if (run_start_collect(run, &col, NULL, run->db.entries[0].file))
		return -1;
	memset(&po, 0, sizeof(po));
	po.jobs = 1;
	po.claim = collect_claim;
	po.claim_data = &col;
	po.consume = extract_consume;
	po.data = &col;
	ret = store_set_meta(run->store, "root", run->db.root, &err) ||
	      parse_all(&run->db, run->rules, &po, &run->st, &err);
	if (ret)
		ret = say_error(&err);
	else if (col.store_failed)
		ret = -1;
	collect_release(&col);
	return ret;
}

/* The rules, the TU and the arguments libclang takes of it. */
static int load_tu(struct run *run, const struct extract_opts *o,
		   const char *cwd)
{
	char *root = extract_root(o, cwd);
	struct ss_err err;
	int ret = 0;

	if (cli_load_rules(&run->rules, o->rules_path))
		ret = -1;
	else if (compdb_init(&run->db, root, &err) ||
		 compdb_add_check(&run->db, cwd, o->args, o->nr_args, &err) ||
		 argprobe_compdb(&run->db, &run->probe, &err))
		ret = say_error(&err);
	free(root);
	return ret;
}

int cmd_extract(int argc, char **argv)
{
	struct extract_opts o;
	struct run run;
	char cwd[PATH_MAX];
	int ret = 2;

	if (parse_extract_args(argc, argv, &o))
		return 2;
	if (!getcwd(cwd, sizeof(cwd))) {
		fprintf(stderr, "splitsafe: cannot tell the current directory: %s\n",
			strerror(errno));
		return 2;
	}
	memset(&run, 0, sizeof(run));
	if (!load_tu(&run, &o, cwd) && !run_open_store(&run, o.facts_dir, 0) &&
	    !extract_one(&run))
		ret = 0;
	store_close(run.store);
	argprobe_report_release(&run.probe);
	compdb_release(&run.db);
	rules_free(run.rules);
	return ret;
}
