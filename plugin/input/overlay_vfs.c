/*
 * overlay_vfs.c: the files the other side of a change adds, for clang's
 * -ivfsoverlay (see overlay.h).  libclang's unsaved files replace files
 * that exist; a file that does not is found by an #include only through
 * the file system clang sees, so each is written to a temporary directory
 * and a VFS overlay file (JSON, which clang's YAML reader takes) maps its
 * path in the tree to it.
 */
#define _GNU_SOURCE
#include "input/overlay.h"

#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The text of f into dir/N (files are named by number: no paths). */
static char *write_added(const char *dir, int n, const struct overlay_file *f)
{
	char *path = xasprintf("%s/%d", dir, n);
	FILE *out = fopen(path, "w");
	int bad = !out || fwrite(f->text, 1, f->len, out) != f->len;

	if (out && fclose(out))
		bad = 1;
	if (bad) {
		free(path);
		return NULL;
	}
	return path;
}

/*
 * {"version": 0, "roots": [{"type": "file", "name": ..., ...}]}; the
 * names in the tree, not the copies', are what diagnostics and cursors
 * say (libclang 14 defaults to the copies').
 */
static int write_map(struct overlay *ov, json_t *roots, struct ss_err *err)
{
	json_t *doc = json_pack("{s:i, s:s, s:s, s:o}", "version", 0,
				"case-sensitive", "true",
				"use-external-names", "false", "roots", roots);
	int ret = 0;

	ov->vfs_file = xasprintf("%s/overlay.json", ov->vfs_dir);
	if (json_dump_file(doc, ov->vfs_file, JSON_INDENT(1)))
		ret = ss_error(err, "cannot write %s: %s", ov->vfs_file,
			       strerror(errno));
	json_decref(doc);
	return ret;
}

int overlay_write_vfs(struct overlay *ov, struct ss_err *err)
{
	const char *tmp = getenv("TMPDIR");
	json_t *roots = json_array();
	int i;

	ov->vfs_dir = xasprintf("%s/splitsafe-vfs-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(ov->vfs_dir)) {
		json_decref(roots);
		return ss_error(err, "cannot make a directory for the files the "
				"change adds: %s", strerror(errno));
	}
	for (i = 0; i < ov->nr; i++) {
		const struct overlay_file *f = ov->all[i];
		char *path;

		if (!f->text || f->here)
			continue;
		path = write_added(ov->vfs_dir, i, f);
		if (!path) {
			json_decref(roots);
			return ss_error(err, "cannot write a copy of %s in %s: %s",
					f->path, ov->vfs_dir, strerror(errno));
		}
		json_array_append_new(roots, json_pack("{s:s, s:s, s:s}", "type", "file",
			"name", f->path, "external-contents", path));
		free(path);
	}
	return write_map(ov, roots, err);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	return remove(path);
}

void overlay_remove_dir(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void overlay_remove_vfs(struct overlay *ov)
{
	if (ov->vfs_dir)
		overlay_remove_dir(ov->vfs_dir);
	free(ov->vfs_dir);
	free(ov->vfs_file);
	ov->vfs_dir = ov->vfs_file = NULL;
}
