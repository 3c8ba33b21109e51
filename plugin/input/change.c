/*
 * change.c: the lines a unified diff touches (see change.h).
 */
#define _GNU_SOURCE
#include "input/change.h"
#include "core/command.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct change_file *file_of(struct change *c, const char *root,
				   const char *rel)
{
	const char *path = arena_realpath(&c->arena, root, rel);
	int made;
	struct change_file *f = strmap_get_or_make(&c->files, path, &c->arena,
						   sizeof(*f), &made);

	if (!made)
		return f;
	f->path = path;
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

/* Reading a diff: where we are, and whether it was one. */
struct diff_reader {
	struct change *c;
	const char *name, *root;
	struct change_file *f;		/* of the last "+++ ", or NULL */
	unsigned long old_left, new_left;	/* lines the hunk still has */
	int lineno;
	int headers;			/* "+++ " and "diff --git" lines */
};

/* A decimal number at *p, which it moves past; -1 if there is none. */
static int number(const char **p, unsigned long *out)
{
	char *end;

	if (**p < '0' || **p > '9')
		return -1;
	*out = strtoul(*p, &end, 10);
	*p = end;
	return 0;
}

/* "-a,b" or "+c,d" at *p (",b" may be absent: one line). */
static int side(const char **p, char sign, unsigned long *at,
		unsigned long *count)
{
	*count = 1;
	if (**p != sign)
		return -1;
	(*p)++;
	if (number(p, at))
		return -1;
	if (**p == ',') {
		(*p)++;
		return number(p, count);
	}
	return 0;
}

/* "@@ -a,b +c,d @@": the new side.  A hunk that only deletes touches the
 * lines around the place it deleted at. */
static int hunk(struct diff_reader *d, const char *line)
{
	unsigned long a, b, c, n;
	const char *p = line + 3;

	if (side(&p, '-', &a, &b) || *p++ != ' ' || side(&p, '+', &c, &n) ||
	    strncmp(p, " @@", 3) || (!b && !n))
		return -1;
	d->old_left = b;
	d->new_left = n;
	if (!d->f)
		return 0;
	if (n)
		add_range(d->f, c, c + n - 1);
	else
		add_range(d->f, c ? c : 1, c + 1);
	return 0;
}

/* A line inside a hunk: context, deleted, added, or "\ No newline". */
static int hunk_line(struct diff_reader *d, const char *line, size_t len,
		     struct ss_err *err)
{
	char k = len ? line[0] : ' ';	/* a blank context line may lose its space */

	if (k == '\\')
		return 0;
	if ((k == ' ' && d->old_left && d->new_left) ||
	    (k == '-' && d->old_left) || (k == '+' && d->new_left)) {
		d->old_left -= k != '+';
		d->new_left -= k != '-';
		return 0;
	}
	return ss_error(err, "%s:%d: not a line of the hunk above (%lu old and "
			"%lu new lines still expected)", d->name, d->lineno,
			d->old_left, d->new_left);
}

/* One line, without its end: a header, a hunk header, or part of a hunk. */
static int diff_line(struct diff_reader *d, const char *line, size_t len,
		     struct ss_err *err)
{
	if (d->old_left || d->new_left)
		return hunk_line(d, line, len, err);
	if (len >= 4 && !strncmp(line, "+++ ", 4)) {
		char *rel = new_name(line, len);

		d->f = rel ? file_of(d->c, d->root, rel) : NULL;
		d->headers++;
		free(rel);
	} else if (len >= 11 && !strncmp(line, "diff --git ", 11)) {
		d->headers++;
	} else if (len >= 3 && !strncmp(line, "@@ ", 3) && hunk(d, line)) {
		return ss_error(err, "%s:%d: malformed hunk header", d->name,
				d->lineno);
	}
	return 0;
}

/* The lines of text (len bytes); LF or CRLF line ends. */
static int read_diff(struct diff_reader *d, const char *text, size_t len,
		     struct ss_err *err)
{
	const char *line = text, *end = text + len;

	while (line < end) {
		const char *nl = memchr(line, '\n', end - line);
		size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
		size_t l = n && line[n - 1] == '\r' ? n - 1 : n;

		d->lineno++;
		if (diff_line(d, line, l, err))
			return -1;
		line += n + (nl != NULL);
	}
	if (d->old_left || d->new_left)
		return ss_error(err, "%s:%d: the diff ends inside a hunk (%lu old "
				"and %lu new lines missing)", d->name, d->lineno,
				d->old_left, d->new_left);
	return 0;
}

int change_from_diff(struct change *c, const char *text, const char *name,
		     const char *root, struct ss_err *err)
{
	struct diff_reader d = { c, name, root, NULL, 0, 0, 0, 0 };

	return read_diff(&d, text, strlen(text), err);
}

/* The line byte at is on. */
static int line_of(const char *text, size_t at)
{
	int line = 1;
	size_t i;

	for (i = 0; i < at; i++)
		line += text[i] == '\n';
	return line;
}

int change_from_diff_file(struct change *c, const char *path,
			  const char *root, struct ss_err *err)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	struct diff_reader d = { c, name, root, NULL, 0, 0, 0, 0 };
	size_t len;
	char *text = read_file_max(path, CHANGE_DIFF_MAX, &len, err);
	int ret = -1;

	if (!text)
		return -1;
	if (!len)
		ss_error(err, "%s: empty, not a unified diff (the working tree's "
			 "changes: --since HEAD)", name);
	else if (strlen(text) != len)
		ss_error(err, "%s:%d: a NUL byte: not a unified diff", name,
			 line_of(text, strlen(text)));
	else if (read_diff(&d, text, len, err))
		;
	else if (!d.headers)
		ss_error(err, "%s: not a unified diff (no '+++ ' file header, no "
			 "'diff --git' line)", name);
	else
		ret = 0;
	free(text);
	return ret;
}

int change_from_git(struct change *c, const char *root, const char *rev,
		    struct ss_err *err)
{
	char git[PATH_MAX], *out = NULL;
	char *argv[] = { "git", "-C", (char *)root, "diff", "--no-color",
			 "--no-ext-diff", "--no-renames", "-U0", (char *)rev,
			 "--", NULL };
	int ret;

	if (!command_which("git", git, sizeof(git)))
		return ss_error(err, "--since needs git on PATH");
	if (rev[0] == '-')
		return ss_error(err, "--since: '%s' is not a revision", rev);
	if (command_run(git, argv, NULL, &out, err))
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
