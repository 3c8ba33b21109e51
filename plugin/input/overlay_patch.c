/*
 * overlay_patch.c: the work tree with a patch applied, for --compare-diff
 * (see overlay.h).  git reads the patch (what it names, whether it
 * applies) and applies it to copies of the files it names in a temporary
 * directory; the work tree is only read.
 */
#define _GNU_SOURCE
#include "input/overlay.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where the patch is applied, and how git is kept from finding a
 * repository above it. */
struct scratch {
	char dir[PATH_MAX];
	char *ceiling;		/* "GIT_CEILING_DIRECTORIES=..." */
	const char *patch;	/* absolute */
	const char *name;	/* as the user gave it */
};

static int git_here(const struct scratch *s, const char *const *args,
		    char **out, struct ss_err *err)
{
	char *const env[] = { s->ceiling, NULL };

	return overlay_git(s->dir, args, env, out, err);
}

/* A path in the patch that stays inside the tree: relative, no "..". */
static int inside(const char *rel)
{
	const char *p = rel;

	if (*rel == '/' || !*rel)
		return 0;
	while (p) {
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
			return 0;
		p = strchr(p, '/');
		p = p ? p + 1 : NULL;
	}
	return 1;
}

/* mkdir -p of the directories above path. */
static int make_parents(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* The work tree's root/rel into the scratch directory, if it has one. */
static int copy_in(const struct scratch *s, const char *root, const char *rel,
		   struct ss_err *err)
{
	char *from = xasprintf("%s/%s", root, rel);
	char *to = xasprintf("%s/%s", s->dir, rel);
	size_t len;
	char *text = NULL;
	FILE *f = NULL;
	struct stat st;
	int ret = 0;

	if (!stat(from, &st) && S_ISREG(st.st_mode)) {
		text = read_file_max(from, READ_FILE_MAX, &len, err);
		ret = !text || make_parents(to) || !(f = fopen(to, "w")) ||
		      fwrite(text, 1, len, f) != len;
		if (f && fclose(f))
			ret = 1;
		if (ret && text)
			ss_error(err, "%s: cannot copy %s for the patch: %s", s->name,
				 rel, strerror(errno));
	}
	free(text);
	free(from);
	free(to);
	return ret ? -1 : 0;
}

/* The path of a numstat record "added\tdeleted\tpath" ("" for a rename:
 * its two paths follow as records of their own). */
static const char *numstat_path(const char *rec)
{
	const char *t = strchr(rec, '\t');

	t = t ? strchr(t + 1, '\t') : NULL;
	return t ? t + 1 : "";
}

/*
 * The paths the patch names, from `git apply --numstat -z`: "a\td\tpath\0",
 * or for a rename "a\td\t\0old\0new\0".  NUL-separated into *paths.
 */
static int patch_paths(const struct scratch *s, char **paths, struct ss_err *err)
{
	const char *args[] = { "apply", "--numstat", "-z", s->patch, NULL };
	char *out = NULL, *p, *w;
	int names = 0;		/* rename paths still to come */

	if (git_here(s, args, &out, err))
		return -1;
	for (p = out ? out : ""; *p; p += strlen(p) + 1)
		;		/* the records end with an empty one */
	*paths = w = xcalloc(1, (out ? p - out : 0) + 2);
	for (p = out ? out : ""; *p; p += strlen(p) + 1) {
		const char *rel = names ? p : numstat_path(p);

		if (names)
			names--;
		else if (!*rel)
			names = 2;
		if (*rel) {
			strcpy(w, rel);
			w += strlen(rel) + 1;
		}
	}
	free(out);
	return 0;
}

/* git's own line from a failed run: after "'.../git' failed (...): ". */
static const char *git_said(const struct ss_err *e)
{
	const char *p = strstr(e->msg, "): ");

	return p ? p + 3 : e->msg;
}

/* Copy what the patch names, apply it, and take the results. */
static int apply(struct overlay *ov, const struct scratch *s, const char *root,
		 const char *paths, struct ss_err *err)
{
	const char *args[] = { "apply", s->patch, NULL };
	struct ss_err why;
	const char *p;
	char *out = NULL;

	for (p = paths; *p; p += strlen(p) + 1)
		if (!inside(p))
			return ss_error(err, "%s: names a path outside the tree: %s",
					s->name, p);
		else if (copy_in(s, root, p, err))
			return -1;
	if (git_here(s, args, &out, &why)) {
		free(out);
		return ss_error(err, "%s: does not apply to the work tree: %s",
				s->name, git_said(&why));
	}
	free(out);
	for (p = paths; *p; p += strlen(p) + 1) {
		char *at = xasprintf("%s/%s", s->dir, p), *text = NULL;
		size_t len = 0;

		if (!access(at, F_OK))
			text = read_file_max(at, READ_FILE_MAX, &len, err);
		overlay_add(ov, root, p, text, len);
		free(text);
		free(at);
	}
	return 0;
}

int overlay_from_patch(struct overlay *ov, const char *root, const char *path,
		       struct ss_err *err)
{
	const char *tmp = getenv("TMPDIR");
	struct scratch s;
	struct ss_err why;
	char abs[PATH_MAX], *paths = NULL;
	int ret;

	memset(ov, 0, sizeof(*ov));
	memset(&s, 0, sizeof(s));
	s.name = path;
	if (!realpath(path, abs))
		return ss_error(err, "%s: %s", path, strerror(errno));
	s.patch = abs;
	snprintf(s.dir, sizeof(s.dir), "%s/splitsafe-patch-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s.dir))
		return ss_error(err, "%s: cannot make a directory to apply it in: "
				"%s", path, strerror(errno));
	s.ceiling = xasprintf("GIT_CEILING_DIRECTORIES=%.*s",
			      (int)(strrchr(s.dir, '/') - s.dir), s.dir);
	ret = patch_paths(&s, &paths, &why);
	if (ret)
		ss_error(err, "%s: not a patch git can read: %s", path,
			 git_said(&why));
	else
		ret = apply(ov, &s, root, paths, err);
	overlay_remove_dir(s.dir);
	free(paths);
	free(s.ceiling);
	return ret;
}
