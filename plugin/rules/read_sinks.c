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

/* The calls in its body where the sink, out, sleeps. */
static int read_sleeps_at(struct loader *l, yaml_node_t *seq, const char *key,
			  void *out)
{
	struct rules_sink *sink = out;

	if (schema_expect_sequence(l, seq, key))
		return -1;
	sink->sleeps_at = arena_alloc(&l->r->arena, schema_length(seq) *
				      sizeof(*sink->sleeps_at));
	return schema_for_each_name(l, seq, key, 1, add_sleeps_at, sink);
}

static const struct field sink_fields[] = {
	SCHEMA_KEY("function", 1),
	SCHEMA_VALUE("why", 1, schema_value_string, struct rules_sink, why),
	{ "sleeps-at", 0, read_sleeps_at, 0 },
	SCHEMA_VALUE("safe-when", 0, read_facts_value, struct rules_sink,
		     safe_when),
	SCHEMA_VALUE("boot-forbidden", 0, read_boot_phases_value,
		     struct rules_sink, boot_forbidden),
};

static const struct reader_list sink_list = {
	.top_key = TOP_SINKS, .key = "sinks", .what = "a sink",
	.where = "in sink", .fields = sink_fields,
	.nr_fields = ARRAY_SIZE(sink_fields), .function = 0,
	.section = SECTION_SINK, .duplicate = "sink",
	READER_ITEM(struct rules_sink, function), READER_ENTRY(sink),
	READER_INTO(sinks, nr_sinks),
};

int read_sinks(struct loader *l)
{
	return reader_read_list(l, &sink_list);
}
