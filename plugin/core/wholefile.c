/*
 * wholefile.c: write a temporary file, rename it over the path (see
 * wholefile.h).
 */
#include "core/wholefile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int wholefile_open(struct wholefile *w, const char *path, struct ss_err *err)
{
	w->path = path;
	w->tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	w->f = fopen(w->tmp, "w");
	if (w->f)
		return 0;
	ss_error(err, "cannot write '%s': %s", w->tmp, strerror(errno));
	free(w->tmp);
	w->tmp = NULL;
	return -1;
}

int wholefile_commit(struct wholefile *w, struct ss_err *err)
{
	int bad;

	errno = 0;
	bad = ferror(w->f);
	bad |= fclose(w->f);
	w->f = NULL;
	if (bad || rename(w->tmp, w->path)) {
		ss_error(err, "cannot write '%s': %s", w->path,
			 errno ? strerror(errno) : "write error");
		unlink(w->tmp);
		free(w->tmp);
		w->tmp = NULL;
		return -1;
	}
	free(w->tmp);
	w->tmp = NULL;
	return 0;
}

void wholefile_discard(struct wholefile *w)
{
	if (w->f)
		fclose(w->f);
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	w->f = NULL;
	w->tmp = NULL;
}
