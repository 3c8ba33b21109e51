/*
 * change.c: the lines a unified diff touches (see change.h).
 */
#define _GNU_SOURCE
#include "change.h"
#include "cocci.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct change_file *file_of(struct change *c, const char *root,
				   const char *rel)
{
	const char *path = arena_realpath(&c->arena, root, rel);
	struct change_file *f;

	f = strmap_get(&c->files, path);
	if (f)
		return f;
	f = arena_alloc(&c->arena, sizeof(*f));
	f->path = path;
	strmap_put(&c->files, path, f);
	ALLOC_GROW(c->all, c->nr + 1, c->alloc);
	c->all[c->nr++] = f;
	return f;
}

static void add_range(struct change_file *f, unsigned first, unsigned last)
{
	ALLOC_GROW(f->v, f->nr + 1, f->alloc);
	f->v[f->nr].first = first;
	f->v[f->nr++].last = last;
}

/* "+++ b/mm/slub.c\t..." -> "mm/slub.c"; NULL for /dev/null. */
static char *new_name(const char *line, size_t len)
{
	const char *p = line + 4;
	size_t n;

	if (!strncmp(p, "/dev/null", 9))
		return NULL;
	if (!strncmp(p, "b/", 2))
		p += 2;
	n = strcspn(p, "\t\n");
	if (n > len - (p - line))
		n = len - (p - line);
	return xstrndup(p, n);
}

/* "@@ -a,b +c,d @@": the new side.  A hunk that only deletes touches the
 * lines around the place it deleted at. */
static int hunk(struct change_file *f, const char *line)
{
	unsigned long c, d = 1;
	char *end;
	const char *p = strstr(line, " +");

	if (!p)
		return -1;
	c = strtoul(p + 2, &end, 10);
	if (end == p + 2)
		return -1;
	if (*end == ',')
		d = strtoul(end + 1, &end, 10);
	if (strncmp(end, " @@", 3))
		return -1;
	if (!f)
		return 0;
	if (d)
		add_range(f, c, c + d - 1);
	else
		add_range(f, c ? c : 1, c + 1);
	return 0;
}

int change_from_diff(struct change *c, const char *text, const char *name,
		     const char *root, struct ss_err *err)
{
	struct change_file *f = NULL;
	const char *line = text;
	int lineno = 0;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		lineno++;
		if (len >= 4 && !strncmp(line, "+++ ", 4)) {
			char *rel = new_name(line, len);

			f = rel ? file_of(c, root, rel) : NULL;
			free(rel);
		} else if (!strncmp(line, "@@ ", 3) && hunk(f, line)) {
			return ss_error(err, "%s:%d: malformed hunk header", name,
					lineno);
		}
		line += len + (nl != NULL);
	}
	return 0;
}

int change_from_git(struct change *c, const char *root, const char *rev,
		    struct ss_err *err)
{
	char git[PATH_MAX], *out = NULL;
	char *argv[] = { "git", "-C", (char *)root, "diff", "--no-color",
			 "--no-ext-diff", "--no-renames", "-U0", (char *)rev,
			 "--", NULL };
	int ret;

	if (!cocci_which("git", git, sizeof(git)))
		return ss_error(err, "--since needs git on PATH");
	if (rev[0] == '-')
		return ss_error(err, "--since: '%s' is not a revision", rev);
	if (cocci_run(git, argv, NULL, &out, err))
		return -1;
	ret = change_from_diff(c, out, "git diff", root, err);
	free(out);
	return ret;
}

int change_touches(const struct change *c, const char *file, unsigned first,
		   unsigned last)
{
	const struct change_file *f = file ? strmap_get(&c->files, file) : NULL;
	int i;

	for (i = 0; f && i < f->nr; i++)
		if (f->v[i].first <= last && first <= f->v[i].last)
			return 1;
	return 0;
}

void change_release(struct change *c)
{
	int i;

	for (i = 0; i < c->nr; i++)
		free(c->all[i]->v);
	free(c->all);
	strmap_release(&c->files);
	arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}
