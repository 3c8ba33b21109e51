/*
 * findings.c: one constructor for a finding, and their release (see
 * findings.h).
 */
#include "check/findings.h"

#include <stdlib.h>
#include <string.h>

void findings_init(struct finding *f, const char *check)
{
	memset(f, 0, sizeof(*f));
	f->check = check;
	f->sink = f->entry = f->site = f->context = -1;
	f->guard_by = f->guard_index = f->sleeper = f->reg = -1;
	f->phase = f->group = f->idle_by = -1;
	f->note_func = f->note_check = f->open_check = -1;
	f->order_rule = f->order_hop = f->order_set_call = -1;
}

struct finding *findings_add(struct findings *fs, const char *check)
{
	struct finding *f;

	ALLOC_GROW(fs->v, fs->nr + 1, fs->alloc);
	f = &fs->v[fs->nr++];
	findings_init(f, check);
	return f;
}

void findings_drop_last(struct findings *fs)
{
	struct finding *f = &fs->v[--fs->nr];

	free(f->hops);
	free(f->hop_phase);
	free(f->members);
}

void findings_release(struct findings *fs)
{
	int i;

	for (i = 0; i < fs->nr; i++) {
		free(fs->v[i].hops);
		free(fs->v[i].hop_phase);
		free(fs->v[i].members);
	}
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}
