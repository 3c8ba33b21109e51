/*
 * version.c: splitsafe --version, the rules a command loads when none is
 * given, and the versions a facts store records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/datadir.h"
#include "input/argprobe.h"
#include "rules/rules.h"
#include "store/store.h"

/* What --rules means when it is not given. */
#define DEFAULT_RULES_FILE "rules/arm64-split.yaml"

int cli_load_rules(struct rules **r, const char *given)
{
	struct ss_err err;
	char *path = NULL;
	int ret = 0;

	if (!given && !(path = datadir_file(DEFAULT_RULES_FILE, &err)))
		return say_error(&err);
	if (rules_load(r, given ? given : path, &err))
		ret = say_error(&err);
	free(path);
	return ret;
}

void cli_versions(const struct rules *r, struct cli_versions *v)
{
	snprintf(v->splitsafe, sizeof(v->splitsafe), "%s", SPLITSAFE_VERSION);
	libclang_version(v->libclang, sizeof(v->libclang));
	rules_version(r, v->rules, sizeof(v->rules));
}

int cli_record_versions(struct store *s, const struct rules *r)
{
	struct cli_versions v;
	struct ss_err err;

	cli_versions(r, &v);
	if (store_set_meta(s, "splitsafe-version", v.splitsafe, &err) ||
	    store_set_meta(s, "libclang-version", v.libclang, &err) ||
	    store_set_meta(s, "rules-version", v.rules, &err) ||
	    store_set_meta(s, "rules-name", r->name, &err))
		return say_error(&err);
	return 0;
}

/* splitsafe --version [--rules FILE] */
int cmd_version(int argc, char **argv)
{
	const char *given = NULL;
	struct cli_versions v;
	struct rules *r;

	if (argc == 3 && !strcmp(argv[1], "--rules"))
		given = argv[2];
	else if (argc != 1)
		return usage_error("--version takes only --rules FILE");
	if (cli_load_rules(&r, given))
		return 2;
	cli_versions(r, &v);
	printf("splitsafe %s\nlibclang %s\nrules %s %s (%s)\n", v.splitsafe,
	       v.libclang, r->name, v.rules, r->path);
	rules_free(r);
	return finish_stdout("the version") ? 2 : 0;
}
