/*
 * cocci_check.c: run the semantic patches as detectors (see cocci_check.h)
 * and read what they report.  Coccinelle's report columns are 0-based;
 * ours are 1-based.
 */
#define _GNU_SOURCE
#include "cocci/cocci_check.h"
#include "cocci/cocci.h"
#include "core/command.h"
#include "core/datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What each semantic patch is a second detector of. */
const struct cocci_detector cocci_detectors[] = {
	{ "split_atomic.cocci", COCCI_ATOMIC },
	{ "split_callback.cocci", COCCI_ATOMIC },
	{ "split_boot.cocci", COCCI_BOOT },
	{ NULL, COCCI_ATOMIC },
};

/* The patches' messages end "... on line N" where they say the line the
 * context was entered on: N, or 0. */
static unsigned entered_line(const char *msg)
{
	static const char on_line[] = " on line ";
	const char *on = strstr(msg, on_line);

	return on ? (unsigned)strtoul(on + strlen(on_line), NULL, 10) : 0;
}

static int read_line(struct cocci_hits *hits, char *line,
		     const struct cocci_detector *d, struct ss_err *err)
{
	char *colon1, *colon2, *colon3, *msg, *end;
	struct cocci_hit *h;
	unsigned long ln, col;

	/* path:line:col-col: message */
	colon3 = strstr(line, ": ");
	if (!colon3)
		return 0;	/* not a report line */
	*colon3 = '\0';
	msg = colon3 + 2;
	colon2 = strrchr(line, ':');
	if (!colon2)
		return 0;
	*colon2 = '\0';
	colon1 = strrchr(line, ':');
	if (!colon1)
		return 0;
	*colon1 = '\0';
	ln = strtoul(colon1 + 1, &end, 10);
	if (*end || !ln)
		return ss_error(err, "spatch printed a bad report line for '%s'", line);
	col = strtoul(colon2 + 1, &end, 10);
	if (*end != '-')
		return ss_error(err, "spatch printed a bad report column for '%s'", line);
	if (!strncmp(msg, "WARNING: ", 9))
		msg += 9;
	ALLOC_GROW(hits->v, hits->nr + 1, hits->alloc);
	h = &hits->v[hits->nr++];
	h->loc.file = arena_realpath(&hits->arena, NULL, line);
	h->loc.line = (unsigned)ln;
	h->loc.col = (unsigned)col + 1;
	h->msg = arena_strdup(&hits->arena, msg);
	h->patch = d->patch;
	h->kind = d->kind;
	h->entered = entered_line(h->msg);
	return 0;
}

int cocci_read_report(struct cocci_hits *hits, const char *text,
		      const struct cocci_detector *d, struct ss_err *err)
{
	char *copy = xstrdup(text), *line, *save = NULL;
	int ret = 0;

	for (line = strtok_r(copy, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save))
		ret = read_line(hits, line, d, err);
	free(copy);
	return ret;
}

int cocci_check(struct cocci_hits *hits, const struct cocci_detector *d,
		char **dirs, int nr_dirs, int jobs, const char *callers,
		struct ss_err *err)
{
	char spatch[PATH_MAX], version[64], jobs_s[16];
	char *env[2] = { NULL, NULL }, *out = NULL, *path, *name;
	int i, ret = 0;

	if (cocci_find(spatch, sizeof(spatch), version, sizeof(version), err))
		return -1;
	name = xasprintf("semantic-patches/%s", d->patch);
	path = datadir_file(name, err);
	free(name);
	if (!path)
		return -1;
	if (callers)
		env[0] = xasprintf("SPLITSAFE_SINK_CALLERS=%s", callers);
	snprintf(jobs_s, sizeof(jobs_s), "%d", jobs > 0 ? jobs : 1);
	for (i = 0; i < nr_dirs && !ret; i++) {
		char *argv[] = { "spatch", "--very-quiet", "-D", "report",
				 "--cocci-file", path, "--no-includes",
				 "--include-headers", "--jobs", jobs_s,
				 "--chunksize", "1", "--dir", dirs[i], NULL };

		ret = command_run(spatch, argv, env, &out, err);
		if (!ret)
			ret = cocci_read_report(hits, out, d, err);
		free(out);
		out = NULL;
	}
	free(env[0]);
	free(path);
	return ret;
}

int cocci_check_all(struct cocci_hits *hits, char **dirs, int nr_dirs,
		    int jobs, const char *callers, struct ss_err *err)
{
	const struct cocci_detector *d;

	for (d = cocci_detectors; d->patch; d++)
		if (cocci_check(hits, d, dirs, nr_dirs, jobs, callers, err))
			return -1;
	return 0;
}

void cocci_hits_release(struct cocci_hits *hits)
{
	free(hits->v);
	arena_release(&hits->arena);
	memset(hits, 0, sizeof(*hits));
}
