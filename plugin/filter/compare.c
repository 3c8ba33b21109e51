/*
 * compare.c: before and after a change, matched by key (see compare.h).
 */
#include "filter/compare.h"
#include "filter/baseline.h"

#include <stdint.h>
#include <stdlib.h>

/* What the report prints: not suppressed, not folded into a group. */
static int reported(const struct finding *f)
{
	return !f->suppressed && !f->folded;
}

typedef void key_fn(struct finding *f, const char *key, void *data);

/* fn on each reported finding of the side, with its key. */
static void each_key(const struct compare_side *s, key_fn *fn, void *data)
{
	int i;

	for (i = 0; i < s->fs->nr; i++) {
		struct finding *f = &s->fs->v[i];
		char *k;

		if (!reported(f))
			continue;
		k = baseline_key(s->g, s->db, f);
		fn(f, k, data);
		free(k);
	}
}

/* How many reported findings of a side have each key. */
struct tally {
	struct strmap counts;	/* key -> how many */
	struct arena keys;
	enum finding_state state;	/* of a finding the other side lacks */
	int unchanged;
};

static void count_key(struct finding *f, const char *key, void *data)
{
	struct tally *t = data;
	uintptr_t n = (uintptr_t)strmap_get(&t->counts, key);

	strmap_put(&t->counts, n ? key : arena_strdup(&t->keys, key),
		   (void *)(n + 1));
}

/* A finding whose key the other side still has (the counts are used up
 * one by one) is unchanged, the others are in t->state. */
static void match_key(struct finding *f, const char *key, void *data)
{
	struct tally *t = data;
	uintptr_t n = (uintptr_t)strmap_get(&t->counts, key);

	if (n) {
		strmap_put(&t->counts, key, (void *)(n - 1));
		f->state = STATE_UNCHANGED;
		t->unchanged++;
	} else {
		f->state = t->state;
	}
}

/* Match side s against the counts of other: how many are unchanged. */
static int match(struct compare_side *s, const struct compare_side *other,
		 enum finding_state state)
{
	struct tally t = { STRMAP_INIT, ARENA_INIT, state, 0 };

	each_key(other, count_key, &t);
	each_key(s, match_key, &t);
	strmap_release(&t.counts);
	arena_release(&t.keys);
	return t.unchanged;
}

static int in_state(const struct findings *fs, enum finding_state state)
{
	int i, n = 0;

	for (i = 0; i < fs->nr; i++)
		n += fs->v[i].state == state;
	return n;
}

void compare_findings(struct compare_side *before, struct compare_side *after,
		      struct compare_counts *out)
{
	out->unchanged = match(after, before, STATE_NEW);
	match(before, after, STATE_FIXED);
	out->added = in_state(after->fs, STATE_NEW);
	out->fixed = in_state(before->fs, STATE_FIXED);
}
