/*
 * read_facts.c: the sections about facts, the things that make a path
 * safe: "facts" (each a name, what it means and what it implies), and
 * where facts come from, "establish" (calls after which they hold) and
 * "predicates" (checks that tell them).  r->facts, r->establish and
 * r->predicates are allocated in r->arena.
 */
#include "rules/reader.h"

#include <string.h>

static fact_mask fact_bit(int index)
{
	return (fact_mask)1 << index;
}

static int add_fact_to_mask(struct loader *l, yaml_node_t *item,
			    const char *name, void *data)
{
	int index = rules_fact_index(l->r, name);

	if (index < 0)
		return schema_error_at(l, item, "unknown fact '%s'", name);
	*(fact_mask *)data |= fact_bit(index);
	return 0;
}

int read_facts_list(struct loader *l, yaml_node_t *seq, const char *key,
		    fact_mask *out)
{
	*out = 0;
	return schema_for_each_name(l, seq, key, 0, add_fact_to_mask, out);
}

int read_facts_value(struct loader *l, yaml_node_t *seq, const char *key,
		     void *out)
{
	return read_facts_list(l, seq, key, out);
}

int read_facts_implied_value(struct loader *l, yaml_node_t *seq,
			     const char *key, void *out)
{
	fact_mask *m = out;

	if (read_facts_list(l, seq, key, m))
		return -1;
	*m = read_facts_closure(l->r, *m);
	return 0;
}

fact_mask read_facts_closure(const struct rules *r, fact_mask m)
{
	fact_mask closed = m;
	int i;

	for (i = 0; i < r->nr_facts; i++)
		if (m & fact_bit(i))
			closed |= r->facts[i].implies;
	return closed;
}

/* Make each fact's implies transitive; cycles make facts equivalent. */
static void close_implies(struct rules *r)
{
	int changed, i;

	do {
		changed = 0;
		for (i = 0; i < r->nr_facts; i++) {
			fact_mask m = read_facts_closure(r, r->facts[i].implies);

			if (m != r->facts[i].implies) {
				r->facts[i].implies = m;
				changed = 1;
			}
		}
	} while (changed);
}

/* ---- facts ---- */

enum { FACT_NAME, FACT_MEANS, FACT_IMPLIES, FACT_NR };
static const struct field fact_fields[FACT_NR] = {
	[FACT_NAME] = { "name", 1 },
	[FACT_MEANS] = { "means", 0 },
	[FACT_IMPLIES] = { "implies", 0 },
};

static int read_fact_name(struct loader *l, yaml_node_t *map, int index,
			  void *data)
{
	struct rules_fact *fact = &l->r->facts[index];
	struct kv kv[FACT_NR];
	int i;

	if (schema_expect_mapping(l, map, "a fact") ||
	    schema_read_fields(l, map, "in fact", fact_fields, FACT_NR, kv) ||
	    schema_read_word(l, kv[FACT_NAME].value, "name", &fact->name))
		return -1;
	for (i = 0; i < index; i++)
		if (!strcmp(l->r->facts[i].name, fact->name))
			return schema_error_at(l, kv[FACT_NAME].value,
					       "duplicate fact '%s' (first at %s)",
					       fact->name,
					       reader_where(l, l->fact_src[i],
							    l->r->facts[i].line));
	if (kv[FACT_MEANS].value &&
	    schema_read_string(l, kv[FACT_MEANS].value, "means", &fact->means))
		return -1;
	fact->line = schema_line(map);
	fact->implies = fact_bit(index);
	l->fact_src[index] = l->src;
	return 0;
}

/* What the index-th fact implies directly, once all facts are named. */
static int read_fact_implies(struct loader *l, yaml_node_t *map, int index,
			     void *data)
{
	struct kv kv[FACT_NR];
	fact_mask direct;

	if (schema_read_fields(l, map, "in fact", fact_fields, FACT_NR, kv) ||
	    read_facts_list(l, kv[FACT_IMPLIES].value, "implies", &direct))
		return -1;
	l->r->facts[index].implies |= direct;
	return 0;
}

/*
 * The facts of all files, as one list.  Names first, then implies, so
 * that a fact may imply one declared later.
 */
int read_facts(struct loader *l)
{
	struct rules *r = l->r;
	int i = 0, nr = 0;

	if (reader_count_items(l, TOP_FACTS, "facts", RULES_MAX_FACTS, &nr))
		return -1;
	r->facts = arena_alloc(&r->arena, nr * sizeof(*r->facts));
	if (reader_each_item(l, TOP_FACTS, &i, read_fact_name, NULL))
		return -1;
	r->nr_facts = nr;
	i = 0;
	if (reader_each_item(l, TOP_FACTS, &i, read_fact_implies, NULL))
		return -1;
	close_implies(r);
	return 0;
}

/* ---- establish ---- */

static const struct field establish_fields[] = {
	SCHEMA_KEY("function", 1),
	SCHEMA_VALUE("facts", 1, read_facts_implied_value,
		     struct rules_establish, facts),
	SCHEMA_VALUE("because", 0, schema_value_string,
		     struct rules_establish, because),
};

static const struct reader_list establish_list = {
	.top_key = TOP_ESTABLISH, .key = "establish",
	.what = "an establish entry", .where = "in establish",
	.fields = establish_fields,
	.nr_fields = ARRAY_SIZE(establish_fields), .function = 0,
	.section = SECTION_ESTABLISH, .duplicate = "establish for",
	READER_ITEM(struct rules_establish, function),
	READER_ENTRY(establish), READER_INTO(establish, nr_establish),
};

int read_facts_establish(struct loader *l)
{
	return reader_read_list(l, &establish_list);
}

/* ---- predicates ---- */

enum { PRED_NAME, PRED_WHEN_TRUE, PRED_WHEN_FALSE, PRED_NR };
static const struct field predicate_fields[PRED_NR] = {
	[PRED_NAME] = { "name", 1 },
	[PRED_WHEN_TRUE] = SCHEMA_VALUE("when-true", 0,
					read_facts_implied_value,
					struct rules_predicate, when_true),
	[PRED_WHEN_FALSE] = SCHEMA_VALUE("when-false", 0,
					 read_facts_implied_value,
					 struct rules_predicate, when_false),
};

static int check_predicate(struct loader *l, yaml_node_t *map, struct kv *kv,
			   struct name_entry *e, void *item)
{
	if (!kv[PRED_WHEN_TRUE].key && !kv[PRED_WHEN_FALSE].key)
		return schema_error_at(l, map,
				       "predicate '%s' needs when-true or when-false",
				       e->pub.name);
	return 0;
}

static const struct reader_list predicate_list = {
	.top_key = TOP_PREDICATES, .key = "predicates",
	.what = "a predicate", .where = "in predicate",
	.fields = predicate_fields, .nr_fields = PRED_NR,
	.function = PRED_NAME, .section = SECTION_PREDICATE,
	.duplicate = "predicate", .check = check_predicate,
	READER_ITEM(struct rules_predicate, name), READER_ENTRY(predicate),
	READER_INTO(predicates, nr_predicates),
};

int read_facts_predicates(struct loader *l)
{
	return reader_read_list(l, &predicate_list);
}
