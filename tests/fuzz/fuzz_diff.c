/*
 * fuzz_diff.c: the unified-diff reader (--diff FILE) on one input, read
 * as main.c reads a diff file: as text, up to the first NUL.  Relative
 * paths are taken from a directory that does not exist, so that what they
 * name is not looked up among the machine's files.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "input/change.h"
#include "fuzz.h"

#define ROOT "/nonexistent/splitsafe-fuzz"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* Every range read must be one change_touches() finds. */
static void check(const struct change *c)
{
	int i, j;

	for (i = 0; i < c->nr; i++) {
		const struct change_file *f = c->all[i];

		for (j = 0; j < f->nr; j++)
			if (f->v[j].first <= f->v[j].last &&
			    !change_touches(c, f->path, f->v[j].first,
					    f->v[j].last))
				abort();
	}
	change_touches(c, ROOT "/a.c", 0, UINT_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct change c = { 0 };
	struct ss_err err;

	memcpy(text, data, size);
	text[size] = '\0';
	if (!change_from_diff(&c, text, "fuzz.diff", ROOT, &err))
		check(&c);
	change_release(&c);
	free(text);
	return 0;
}
