/*
 * overlay.c: the other side of a change at a git revision (see overlay.h).
 */
#define _GNU_SOURCE
#include "input/overlay.h"
#include "core/command.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void overlay_add(struct overlay *ov, const char *root, const char *rel,
		 const char *text, size_t len)
{
	const char *path = arena_realpath(&ov->arena, root, rel);
	struct stat st;
	int made;
	struct overlay_file *f = strmap_get_or_make(&ov->files, path,
						    &ov->arena, sizeof(*f),
						    &made);

	if (made) {
		f->path = path;
		ALLOC_GROW(ov->all, ov->nr + 1, ov->alloc);
		ov->all[ov->nr++] = f;
		f->here = !stat(path, &st);
	} else if (f->text && !f->here) {
		ov->adds--;
	}
	f->text = text ? arena_strndup(&ov->arena, text, len) : NULL;
	f->len = text ? len : 0;
	if (f->text && !f->here)
		ov->adds++;
}

const struct overlay_file *overlay_get(const struct overlay *ov,
				       const char *path)
{
	return path ? strmap_get(&ov->files, path) : NULL;
}

void overlay_release(struct overlay *ov)
{
	overlay_remove_vfs(ov);
	free(ov->all);
	strmap_release(&ov->files);
	arena_release(&ov->arena);
	memset(ov, 0, sizeof(*ov));
}

int overlay_git(const char *dir, const char *const *args, char *const *env,
		char **out, struct ss_err *err)
{
	char path[PATH_MAX];
	const char *argv[16] = { "git", "-C", dir };
	int n = 3;

	if (!command_which("git", path, sizeof(path)))
		return ss_error(err, "--compare needs git on PATH");
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	return command_run(path, (char *const *)argv, env, out, err);
}

static int git(const char *root, const char *const *args, char **out,
	       struct ss_err *err)
{
	return overlay_git(root, args, NULL, out, err);
}

/* A revision git knows, named in the error if not. */
static int check_rev(const char *root, const char *rev, struct ss_err *err)
{
	char *spec = xasprintf("%s^{commit}", rev), *out = NULL;
	const char *args[] = { "rev-parse", "--verify", "--quiet", spec, NULL };
	struct ss_err why;
	int ret = 0;

	if (rev[0] == '-' || git(root, args, &out, &why))
		ret = ss_error(err, "--compare: '%s' is not a revision of the git "
			       "work tree at %s", rev, root);
	free(out);
	free(spec);
	return ret;
}

/* The file rel as git has it at rev, checked out as the work tree is. */
static int add_at_rev(struct overlay *ov, const char *root, const char *rev,
		      const char *rel, struct ss_err *err)
{
	char *spec = xasprintf("%s:./%s", rev, rel), *text = NULL;
	const char *args[] = { "cat-file", "--filters", spec, NULL };
	int ret = git(root, args, &text, err);

	/* a file with a NUL byte is no C source: its text stops there */
	if (!ret)
		overlay_add(ov, root, rel, text ? text : "", text ? strlen(text) : 0);
	free(text);
	free(spec);
	return ret;
}

/* "M\0path\0A\0path\0...": what `git diff --name-status -z` says. */
static int add_changed(struct overlay *ov, const char *root, const char *rev,
		       const char *list, struct ss_err *err)
{
	const char *p = list;

	while (*p) {
		const char *status = p, *rel = p + strlen(p) + 1;

		if (!*rel)
			return ss_error(err, "git diff --name-status: '%s' without "
					"a path", status);
		if (status[0] == 'A')	/* added since rev: absent there */
			overlay_add(ov, root, rel, NULL, 0);
		else if (add_at_rev(ov, root, rev, rel, err))
			return -1;
		p = rel + strlen(rel) + 1;
	}
	return 0;
}

/* Files git does not track (and does not ignore): absent at any rev. */
static int add_untracked(struct overlay *ov, const char *root,
			 struct ss_err *err)
{
	const char *args[] = { "ls-files", "-z", "--others", "--exclude-standard",
			       NULL };
	char *out = NULL;
	const char *p;

	if (git(root, args, &out, err))
		return -1;
	for (p = out ? out : ""; *p; p += strlen(p) + 1)
		overlay_add(ov, root, p, NULL, 0);
	free(out);
	return 0;
}

int overlay_from_git(struct overlay *ov, const char *root, const char *rev,
		     struct ss_err *err)
{
	const char *args[] = { "diff", "--name-status", "-z", "--no-renames",
			       "--relative", rev, "--", NULL };
	char *out = NULL;
	int ret;

	memset(ov, 0, sizeof(*ov));
	if (check_rev(root, rev, err) || git(root, args, &out, err))
		return -1;
	ret = add_changed(ov, root, rev, out ? out : "", err);
	free(out);
	return ret ? -1 : add_untracked(ov, root, err);
}
