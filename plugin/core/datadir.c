/*
 * datadir.c: the data directory, found from the executable (see datadir.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/datadir.h"

static char data_dir[PATH_MAX];
static char data_error[sizeof(((struct ss_err *)0)->msg)];

/* dir has a rules/ directory. */
static int has_rules(const char *dir)
{
	char *rules = xasprintf("%s/rules", dir);
	struct stat st;
	int ret = !stat(rules, &st) && S_ISDIR(st.st_mode);

	free(rules);
	return ret;
}

/* The directory of the running executable, symbolic links resolved. */
static int exe_dir(char *buf, struct ss_err *err)
{
	char *slash;

	if (!realpath("/proc/self/exe", buf))
		return ss_error(err, "cannot find the splitsafe executable "
				"(/proc/self/exe)");
	slash = strrchr(buf, '/');
	*(slash == buf ? slash + 1 : slash) = '\0';
	return 0;
}

/*
 * An uninstalled build: the executable sits in the build directory.  A
 * build without the fallback (SPLITSAFE_SOURCE_FALLBACK=OFF) names none.
 */
static int in_build_dir(const char *dir)
{
	char build[PATH_MAX];

	if (!SPLITSAFE_BUILD_DIR[0])
		return 0;
	return realpath(SPLITSAFE_BUILD_DIR, build) && !strcmp(build, dir);
}

static int find_data_dir(struct ss_err *err)
{
	char dir[PATH_MAX], *want;
	int ret = 0;

	if (exe_dir(dir, err))
		return -1;
	if (in_build_dir(dir) && has_rules(SPLITSAFE_SOURCE_DIR)) {
		snprintf(data_dir, sizeof(data_dir), "%s", SPLITSAFE_SOURCE_DIR);
		return 0;
	}
	want = xasprintf("%s/%s", dir, SPLITSAFE_DATADIR_REL);
	if (realpath(want, data_dir) && has_rules(data_dir)) {
		free(want);
		return 0;
	}
	ret = ss_error(err, "no rules and semantic patches at %s (an installed "
		       "splitsafe reads them there: install it whole, with "
		       "cmake --install or its package)", want);
	data_dir[0] = '\0';
	free(want);
	return ret;
}

int datadir_get(const char **dir, struct ss_err *err)
{
	static int done;

	if (!done) {
		struct ss_err e;

		done = 1;
		if (find_data_dir(&e))
			snprintf(data_error, sizeof(data_error), "%s", e.msg);
	}
	if (!data_dir[0])
		return ss_error(err, "%s", data_error);
	*dir = data_dir;
	return 0;
}

char *datadir_file(const char *name, struct ss_err *err)
{
	const char *dir;

	if (datadir_get(&dir, err))
		return NULL;
	return xasprintf("%s/%s", dir, name);
}
