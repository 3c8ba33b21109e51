/*
 * overlay.h: the other side of a change, for `check --compare REV` and
 * `--compare-diff FILE`: each file the change touches, with its text on
 * that side, or absent there.  Every other file is the work tree's.
 *
 * For --compare REV the other side is REV: the files `git diff REV` names
 * (staged or not) and the untracked ones, each as git has it at REV (with
 * the checkout filters, so line ends match the work tree's).  For
 * --compare-diff FILE it is the work tree with the patch applied: the
 * files the patch names are copied to a temporary directory and the patch
 * is applied there by `git apply`, so the work tree is never written.
 * git runs without a shell (core/command.h).
 *
 * Ownership: struct overlay owns its paths and texts (arena).
 */
#ifndef SPLITSAFE_OVERLAY_H
#define SPLITSAFE_OVERLAY_H

#include <stddef.h>
#include "core/util.h"

struct overlay_file {
	const char *path;	/* absolute */
	const char *text;	/* on the other side; NULL: absent there */
	size_t len;
	int here;		/* the work tree has it */
};

struct overlay {
	struct strmap files;	/* absolute path -> struct overlay_file */
	struct overlay_file **all;	/* in the order git names them */
	int nr, alloc;
	int adds;		/* files the other side has and the work tree not */
	struct arena arena;
	/* overlay_write_vfs(): the added files and clang's VFS overlay file
	 * mapping their paths to them (-ivfsoverlay), or NULL */
	char *vfs_dir, *vfs_file;
};

/* The tree at git revision rev, for the work tree at root. */
int overlay_from_git(struct overlay *ov, const char *root, const char *rev,
		     struct ss_err *err);

/* The work tree at root with the patch in the file at path applied; a
 * patch that does not apply is an error naming it. */
int overlay_from_patch(struct overlay *ov, const char *root, const char *path,
		       struct ss_err *err);

/* The other side's version of the file at path (absolute), or NULL when
 * the change did not touch it. */
const struct overlay_file *overlay_get(const struct overlay *ov,
				       const char *path);

/*
 * Write the files the other side adds (ov->adds of them) to a temporary
 * directory, with a VFS overlay file for clang's -ivfsoverlay: libclang's
 * unsaved files replace files that exist, and only the file system clang
 * sees lets an #include find one that does not.  overlay_release()
 * removes them.
 */
int overlay_write_vfs(struct overlay *ov, struct ss_err *err);
void overlay_remove_vfs(struct overlay *ov);

void overlay_release(struct overlay *ov);

/* For overlay_patch.c: a file of the other side, path relative to root
 * (text NULL: absent); git -C dir args (at most 12) with env added. */
void overlay_add(struct overlay *ov, const char *root, const char *rel,
		 const char *text, size_t len);
int overlay_git(const char *dir, const char *const *args, char *const *env,
		char **out, struct ss_err *err);
/* rm -r dir, a temporary directory of ours. */
void overlay_remove_dir(const char *dir);

#endif
