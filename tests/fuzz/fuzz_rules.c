/*
 * fuzz_rules.c: the rules loader on one file.  rules_load() reads a path,
 * so each input is written to a file in a private directory; the
 * repository's rules files are linked beside it, so that the seeds'
 * includes resolve and the fuzzer can combine an input with them.  The
 * directory goes at exit; after a crash it stays, in TMPDIR (the tests
 * point that into the build directory).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "rules/rules.h"

static char dir[PATH_MAX], input[PATH_MAX + 16];

static void cleanup(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[PATH_MAX + 256];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void link_rules(void)
{
	DIR *d = opendir(SPLITSAFE_RULES_DIR);
	struct dirent *e;
	char from[PATH_MAX], to[PATH_MAX + 256];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "%s/%s", SPLITSAFE_RULES_DIR,
			 e->d_name);
		snprintf(to, sizeof(to), "%s/%s", dir, e->d_name);
		if (symlink(from, to))
			perror(to);
	}
	if (d)
		closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	mkdir(tmp, 0777);	/* the tests' TMPDIR may not be there yet */
	snprintf(dir, sizeof(dir), "%s/splitsafe-fuzz-rules.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror(dir);
		exit(1);
	}
	atexit(cleanup);
	link_rules();
	snprintf(input, sizeof(input), "%s/input.yaml", dir);
	return 0;
}

/* What the other modules ask of loaded rules, on everything loaded. */
static int each_name(const struct rules_name *rn, void *data)
{
	return rules_lookup(data, rn->name) != rn;
}

static void use(struct rules *r)
{
	char buf[256];
	int i;

	if (rules_each_name(r, each_name, r))
		abort();
	rules_fact_names(r, ~(fact_mask)0, buf, sizeof(buf));
	rules_phase_names(r, ~(phase_mask)0, buf, sizeof(buf));
	for (i = 0; i < r->nr_facts; i++)
		if (rules_fact_index(r, r->facts[i].name) != i)
			abort();
	for (i = 0; i < r->nr_contexts; i++) {
		const struct rules_context *ctx = r->contexts[i];

		rules_expand(buf, sizeof(buf), ctx->reached_with, "l", "f");
		rules_expand(buf, sizeof(buf), ctx->entered_here, NULL, "f");
	}
	rules_assume_sleeps(r, "fuzz_sleeper", "the fuzzer says so");
	if (!rules_lookup(r, "fuzz_sleeper"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(input, "wb");
	struct rules *r = NULL;
	struct ss_err err;

	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(input);
		exit(1);
	}
	if (!rules_load(&r, input, &err)) {
		use(r);
		rules_free(r);
	}
	return 0;
}
