/*
 * cocci.c: find spatch and check its version (see cocci.h).
 */
#include "cocci/cocci.h"
#include "core/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cocci_find(char *path, size_t size, char *version, size_t vsize,
	       struct ss_err *err)
{
	char *argv[] = { "spatch", "--version", NULL };
	char *out = NULL, *v;

	if (!command_which("spatch", path, size))
		return ss_error(err, "spatch not found on PATH (install Debian's coccinelle)");
	if (command_run(path, argv, NULL, &out, err))
		return -1;
	v = strstr(out, "spatch version ");
	if (!v) {
		free(out);
		return ss_error(err, "'%s --version' does not say its version", path);
	}
	v += strlen("spatch version ");
	snprintf(version, vsize, "%.*s", (int)strcspn(v, " \n"), v);
	free(out);
	if (version_cmp(version, COCCI_MIN_VERSION) < 0)
		return ss_error(err, "spatch %s is too old (splitsafe needs %s or later)",
				version, COCCI_MIN_VERSION);
	return 0;
}
