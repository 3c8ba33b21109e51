/*
 * read_sinks.c: the sections about sleeping: "sleepers" (functions that
 * may sleep, and the GFP type and flags that allow it) and "sinks" (the
 * functions whose callers splitsafe checks, with why they must not be
 * reached in atomic context, where in their body they sleep, and the
 * facts and boot phases that decide).  r->sinks and each sink's sleeps_at
 * are allocated in r->arena.
 */
#include "rules/reader.h"

/* ---- sleepers ---- */

enum { SLEEP_FUNCTIONS, SLEEP_GFP_TYPE, SLEEP_GFP_FLAGS, SLEEP_NR };
static const struct field sleeper_fields[SLEEP_NR] = {
	[SLEEP_FUNCTIONS] = { "functions", 0 },
	[SLEEP_GFP_TYPE] = { "gfp-type", 0 },
	[SLEEP_GFP_FLAGS] = { "gfp-flags", 0 },
};

static int read_sleepers(struct loader *l, yaml_node_t *map)
{
	struct kv kv[SLEEP_NR];
	const char *gfp_type;

	if (!map)
		return 0;
	if (schema_expect_mapping(l, map, "'sleepers'") ||
	    schema_read_fields(l, map, "in sleepers", sleeper_fields, SLEEP_NR,
			       kv))
		return -1;
	if (kv[SLEEP_GFP_TYPE].value &&
	    (schema_read_string(l, kv[SLEEP_GFP_TYPE].value, "gfp-type",
				&gfp_type) ||
	     reader_set_once(l, kv[SLEEP_GFP_TYPE].value, "gfp-type", gfp_type,
			     &l->r->gfp_type, &l->gfp_type)))
		return -1;
	if (reader_mark_names(l, kv[SLEEP_FUNCTIONS].value, "functions",
			      MARK_SLEEPER) ||
	    reader_mark_names(l, kv[SLEEP_GFP_FLAGS].value, "gfp-flags",
			      MARK_GFP_FLAG))
		return -1;
	return 0;
}

int read_sinks_sleepers(struct loader *l)
{
	int f;

	for (f = 0; f < l->nr_files; f++)
		if (read_sleepers(l, reader_file_key(l, f, TOP_SLEEPERS)))
			return -1;
	return 0;
}

/* ---- sinks ---- */

static int add_sleeps_at(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct rules_sink *sink = data;
	struct name_entry *e = reader_name(l->r, &l->r->names, name);
	int i;

	for (i = 0; i < sink->nr_sleeps_at; i++)
		if (sink->sleeps_at[i] == e->pub.name)
			return schema_error_at(l, item,
					       "'%s' listed twice in sleeps-at",
					       name);
	e->pub.sleeps_at = 1;
	sink->sleeps_at[sink->nr_sleeps_at++] = e->pub.name;
	return 0;
}

static int read_sleeps_at(struct loader *l, yaml_node_t *seq,
			  struct rules_sink *sink)
{
	if (!seq)
		return 0;
	if (schema_expect_sequence(l, seq, "sleeps-at"))
		return -1;
	sink->sleeps_at = arena_alloc(&l->r->arena, schema_length(seq) *
				      sizeof(*sink->sleeps_at));
	return schema_for_each_name(l, seq, "sleeps-at", 1, add_sleeps_at,
				    sink);
}

enum {
	SINK_FUNCTION, SINK_WHY, SINK_SLEEPS_AT, SINK_SAFE_WHEN,
	SINK_BOOT_FORBIDDEN, SINK_NR
};
static const struct field sink_fields[SINK_NR] = {
	[SINK_FUNCTION] = { "function", 1 },
	[SINK_WHY] = { "why", 1 },
	[SINK_SLEEPS_AT] = { "sleeps-at", 0 },
	[SINK_SAFE_WHEN] = { "safe-when", 0 },
	[SINK_BOOT_FORBIDDEN] = { "boot-forbidden", 0 },
};

static int read_sink(struct loader *l, yaml_node_t *map, struct kv *kv,
		     struct name_entry *e, void *item)
{
	struct rules_sink *sink = item;

	if (schema_read_string(l, kv[SINK_WHY].value, "why", &sink->why) ||
	    read_sleeps_at(l, kv[SINK_SLEEPS_AT].value, sink) ||
	    read_facts_list(l, kv[SINK_SAFE_WHEN].value, "safe-when",
			    &sink->safe_when) ||
	    read_boot_phase_list(l, kv[SINK_BOOT_FORBIDDEN].value,
				 "boot-forbidden", &sink->boot_forbidden))
		return -1;
	sink->function = e->pub.name;
	sink->line = schema_line(map);
	e->pub.sink = sink;
	return 0;
}

static const struct reader_list sink_list = {
	.key = "sinks", .what = "a sink", .where = "in sink",
	.fields = sink_fields, .nr_fields = SINK_NR,
	.function = SINK_FUNCTION, .section = SECTION_SINK,
	.duplicate = "sink", .size = sizeof(struct rules_sink),
	.read = read_sink,
};

int read_sinks(struct loader *l)
{
	return reader_read_list(l, TOP_SINKS, &sink_list,
				(void **)&l->r->sinks, &l->r->nr_sinks);
}
