/*
 * ignore.c: in-tree suppressions (see ignore.h).  The text of each file
 * a finding points into is read once; a marker is looked for on the
 * finding's line, the line above, and the lines just above the starting
 * function's definition (its comment block).
 */
#include "filter/ignore.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARK "splitsafe: ignore "

static const char *file_text(struct ignores *ig, const char *path)
{
	const char *t = strmap_get(&ig->files, path);
	char *buf;

	if (t)
		return t;
	buf = read_file(path, NULL);	/* unreadable: no comment there */
	t = arena_strdup(&ig->arena, buf ? buf : "");
	free(buf);
	strmap_put(&ig->files, arena_strdup(&ig->arena, path), (void *)t);
	return t;
}

void ignores_use_text(struct ignores *ig, const char *path, const char *text)
{
	strmap_put(&ig->files, arena_strdup(&ig->arena, path),
		   arena_strdup(&ig->arena, text ? text : ""));
}

/* Start of line n (1-based) in text, or NULL. */
static const char *line_at(const char *text, unsigned n)
{
	while (n > 1 && text) {
		text = strchr(text, '\n');
		if (text)
			text++;
		n--;
	}
	return text && *text ? text : NULL;
}

/*
 * A marker for check on line n: 1 and *reason set, 0 none, -1 a marker
 * without a reason.
 */
static int marker(struct ignores *ig, const char *text, unsigned n,
		  const char *check, const char **reason)
{
	const char *l = line_at(text, n), *end, *m, *r;
	size_t clen = strlen(check);

	if (!l)
		return 0;
	end = strchr(l, '\n');
	if (!end)
		end = l + strlen(l);
	for (m = l; (m = strstr(m, MARK)) && m < end; m += strlen(MARK)) {
		const char *c = m + strlen(MARK), *close;

		if (strncmp(c, check, clen) ||
		    !(isspace((unsigned char)c[clen]) || c[clen] == '*'))
			continue;
		r = strstr(c + clen, "-- ");
		close = strstr(c + clen, "*/");
		if (!r || r > end || (close && r > close))
			return -1;
		r += 3;
		while (isspace((unsigned char)*r))
			r++;
		if (!close || close > end)
			close = end;
		while (close > r && isspace((unsigned char)close[-1]))
			close--;
		if (close <= r)
			return -1;
		*reason = arena_strndup(&ig->arena, r, close - r);
		return 1;
	}
	return 0;
}

/* Where a finding warns, and the function it starts in. */
static const struct fact_loc *warn_loc(const struct graph *g,
				       const struct finding *f)
{
	const struct hop *h;

	if (f->cocci_msg)
		return &f->cocci_loc;
	if (!f->nr_hops)
		return NULL;
	h = &f->hops[f->phase >= 0 ? f->warn_hop : 0];
	return &g->funcs[h->func].calls[h->call].loc;
}

/*
 * A marker for check on line `line` of file or one of the `above` lines
 * before it: 1 and *reason set, 0 none, -1 with err set when it has no
 * reason.
 */
static int scan(struct ignores *ig, const struct fact_loc *at, unsigned above,
		const char *check, const char **reason, struct ss_err *err)
{
	const char *text = file_text(ig, at->file);
	unsigned n;

	for (n = at->line; n >= 1 && n + above >= at->line; n--) {
		int m = marker(ig, text, n, check, reason);

		if (m < 0)
			return ss_error(err, "%s:%u: 'splitsafe: ignore %s' needs a reason "
					"('-- why')", at->file, n, check);
		if (m > 0)
			return 1;
	}
	return 0;
}

int ignores_apply(struct ignores *ig, const struct graph *g,
		  struct findings *fs, struct ss_err *err)
{
	int i, r;

	for (i = 0; i < fs->nr; i++) {
		struct finding *f = &fs->v[i];
		const struct fact_loc *at = warn_loc(g, f);
		const char *reason = NULL;

		if (!at || !at->file)
			continue;
		/* the call's line and the one above; the function's comment */
		r = scan(ig, at, 1, f->check, &reason, err);
		if (!r && !f->cocci_msg && f->entry >= 0 && g->funcs[f->entry].loc.file)
			r = scan(ig, &g->funcs[f->entry].loc, 4, f->check, &reason,
				 err);
		if (r < 0)
			return -1;
		if (r > 0 && !f->suppressed) {
			f->suppressed = 1;
			f->ignore_reason = reason;
			ig->nr++;
		}
	}
	return 0;
}

void ignores_release(struct ignores *ig)
{
	strmap_release(&ig->files);
	arena_release(&ig->arena);
	memset(ig, 0, sizeof(*ig));
}
