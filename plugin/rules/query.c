/*
 * query.c: what the loaded rules say (the query API of rules.h): a name's
 * record, a guard class by its constructor, facts and boot phases by name
 * and by mask, report templates filled in; and the one change a run may
 * make, rules_assume_sleeps(), whose sink and strings go to r->arena.
 * Everything else here only reads, and is thread-safe.
 */
#include "rules/reader.h"

#include <stdio.h>
#include <string.h>

const struct rules_name *rules_lookup(const struct rules *r, const char *name)
{
	struct name_entry *e = strmap_get(&r->names, name);

	return e ? &e->pub : NULL;
}

int rules_each_name(const struct rules *r,
		    int (*fn)(const struct rules_name *rn, void *data), void *data)
{
	size_t i;
	int ret;

	for (i = 0; i < r->names.size; i++)
		if (r->names.keys && r->names.keys[i] &&
		    (ret = fn(&((struct name_entry *)r->names.vals[i])->pub, data)))
			return ret;
	return 0;
}

const struct rules_name *rules_guard_constructor(const struct rules *r,
						 const char *ctor)
{
	struct name_entry *e = strmap_get(&r->guard_ctors, ctor);

	return e ? &e->pub : NULL;
}

/* ---- facts and phases ---- */

/* The i-th fact's or boot phase's name: both are lists of names. */
typedef const char *(*name_at_fn)(const struct rules *r, int i);

static const char *fact_name(const struct rules *r, int i)
{
	return r->facts[i].name;
}

static const char *phase_name(const struct rules *r, int i)
{
	return r->boot.phases[i].name;
}

/* Index of name among the nr names of name_at, or -1. */
static int index_of(const struct rules *r, int nr, name_at_fn name_at,
		    const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(name_at(r, i), name))
			return i;
	return -1;
}

/* "a, b" for the names of the bits of m, into buf; whole names only. */
static const char *join_names(const struct rules *r, int nr,
			      name_at_fn name_at, uint32_t m, char *buf,
			      size_t size)
{
	size_t used = 0;
	int i;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < nr; i++) {
		int n;

		if (!(m & ((uint32_t)1 << i)))
			continue;
		n = snprintf(buf + used, size - used, "%s%s",
			     used ? ", " : "", name_at(r, i));
		if (n < 0 || (size_t)n >= size - used) {
			buf[used] = '\0';
			break;
		}
		used += n;
	}
	return buf;
}

int rules_fact_index(const struct rules *r, const char *name)
{
	return index_of(r, r->nr_facts, fact_name, name);
}

int rules_phase_index(const struct rules *r, const char *name)
{
	return index_of(r, r->boot.nr_phases, phase_name, name);
}

const char *rules_phase_names(const struct rules *r, phase_mask m, char *buf,
			      size_t size)
{
	return join_names(r, r->boot.nr_phases, phase_name, m, buf, size);
}

const char *rules_fact_names(const struct rules *r, fact_mask m, char *buf,
			     size_t size)
{
	return join_names(r, r->nr_facts, fact_name, m, buf, size);
}

/* ---- templates ---- */

/* Whole names only: one that does not fit is left out with all after it. */
const char *rules_expand(char *buf, size_t size, const char *tmpl,
			 const char *lock, const char *function)
{
	size_t n = 0;

	while (*tmpl && n + 1 < size) {
		const char *v = NULL;

		if (!strncmp(tmpl, "{lock}", 6)) {
			v = lock ? lock : "?";
			tmpl += 6;
		} else if (!strncmp(tmpl, "{function}", 10)) {
			v = function;
			tmpl += 10;
		}
		if (v) {
			while (*v && n + 1 < size)
				buf[n++] = *v++;
		} else {
			buf[n++] = *tmpl++;
		}
	}
	if (size)
		buf[n] = '\0';
	return buf;
}

/* ---- assumptions of a run ---- */

/*
 * The sinks array gets one more entry; the names of the sinks already in
 * it are pointed at their copies in the new array.
 */
static void append_sink(struct rules *r, struct name_entry *e, const char *why)
{
	struct rules_sink *v = arena_alloc(&r->arena,
					   (r->nr_sinks + 1) * sizeof(*v));
	int i;

	if (r->nr_sinks)
		memcpy(v, r->sinks, r->nr_sinks * sizeof(*v));
	for (i = 0; i < r->nr_sinks; i++) {
		struct name_entry *s = strmap_get(&r->names, v[i].function);

		s->pub.sink = &v[i];
	}
	v[r->nr_sinks].function = e->pub.name;
	v[r->nr_sinks].why = arena_strdup(&r->arena, why);
	e->pub.sink = &v[r->nr_sinks];
	r->sinks = v;
	r->nr_sinks++;
}

void rules_assume_sleeps(struct rules *r, const char *name, const char *why)
{
	struct name_entry *e = reader_name(r, &r->names, name);

	e->pub.sleeper = 1;
	if (!e->pub.sink)
		append_sink(r, e, why);
}
