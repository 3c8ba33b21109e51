/*
 * reader.c: what the section readers share: the entry every name gets,
 * where a thing was given (for messages), the lists of all files read as
 * one, settings any file may give, and the lists of names that set a flag
 * on each name.  Everything allocated here belongs to r->arena.
 */
#include "rules/reader.h"

#include <string.h>

struct name_entry *reader_name(struct rules *r, struct strmap *map,
			       const char *name)
{
	struct name_entry *e = strmap_get(map, name);

	if (!e) {
		e = arena_alloc(&r->arena, sizeof(*e));
		e->pub.name = arena_strdup(&r->arena, name);
		strmap_put(map, e->pub.name, e);
	}
	return e;
}

const char *reader_where(struct loader *l, const struct source *src, int line)
{
	if (src == l->src)
		return arena_printf(&l->r->arena, "line %d", line);
	return arena_printf(&l->r->arena, "%s:%d", src->path, line);
}

/* ---- the lists of all files, as one ---- */

yaml_node_t *reader_file_key(struct loader *l, int f, int key)
{
	l->src = l->files[f];
	return l->src->top[key].value;
}

int reader_count_items(struct loader *l, int top_key, const char *key,
		       int max, int *nr)
{
	yaml_node_t *seq;
	int f;

	for (f = 0; f < l->nr_files; f++) {
		if (!(seq = reader_file_key(l, f, top_key)))
			continue;
		if (schema_expect_sequence(l, seq, key))
			return -1;
		if (max && *nr + schema_length(seq) > max)
			return schema_error_at(l, schema_node(l, seq->data.sequence.items.start[max - *nr]),
					       "too many %s (at most %d)",
					       key, max);
		*nr += schema_length(seq);
	}
	return 0;
}

/* fn on each item of the one sequence seq. */
static int each_in(struct loader *l, yaml_node_t *seq, int *index,
		   reader_item_fn fn, void *data)
{
	yaml_node_item_t *it;

	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++)
		if (fn(l, schema_node(l, *it), (*index)++, data))
			return -1;
	return 0;
}

int reader_each_item(struct loader *l, int top_key, int *index,
		     reader_item_fn fn, void *data)
{
	yaml_node_t *seq;
	int f;

	for (f = 0; f < l->nr_files; f++)
		if ((seq = reader_file_key(l, f, top_key)) &&
		    each_in(l, seq, index, fn, data))
			return -1;
	return 0;
}

/* Where reader_read_list() and reader_read_items() put what they read. */
struct into {
	const struct reader_list *list;
	char *array;
	int *nr;
};

int reader_function(struct loader *l, yaml_node_t *node, const char *key,
		    struct name_entry **out)
{
	const char *name;

	if (schema_check_scalar(l, node, "a name", key))
		return -1;
	name = schema_text(node);
	if (!schema_is_identifier(name))
		return schema_error_at(l, node,
				       "'%s' in '%s' is not a C identifier",
				       name, key);
	*out = reader_name(l->r, &l->r->names, name);
	return 0;
}

/* The one item of the section about e's function, the one at map. */
static int claim_item(struct loader *l, const struct reader_list *list,
		      yaml_node_t *map, yaml_node_t *node,
		      struct name_entry *e)
{
	struct place *first = &e->item[list->section];

	if (first->src)
		return schema_error_at(l, node,
				       "duplicate %s '%s' (first at %s)",
				       list->duplicate, e->pub.name,
				       reader_where(l, first->src, first->line));
	first->src = l->src;
	first->line = schema_line(map);
	return 0;
}

/* A pointer member of a struct, at bytes into it. */
static void set_member(void *base, size_t at, const void *value)
{
	memcpy((char *)base + at, &value, sizeof(value));
}

/* Its name, its line, what check says, and e's pointer to it. */
static int finish_item(struct loader *l, const struct reader_list *list,
		       yaml_node_t *map, struct kv *kv, struct name_entry *e,
		       char *item)
{
	int line = schema_line(map);

	if (e)
		set_member(item, list->name_at, e->pub.name);
	memcpy(item + list->line_at, &line, sizeof(line));
	if (list->check && list->check(l, map, kv, e, item))
		return -1;
	if (e && list->entry_at)
		set_member(&e->pub, list->entry_at, item);
	return 0;
}

/* Each item checked and read into array[index] (see struct reader_list). */
static int read_item(struct loader *l, yaml_node_t *map, int index,
		     void *data)
{
	const struct into *into = data;
	const struct reader_list *list = into->list;
	char *item = into->array + index * list->size;
	struct kv kv[READER_MAX_FIELDS];
	struct name_entry *e = NULL;
	int fn = list->function;

	if (schema_expect_mapping(l, map, list->what) ||
	    schema_read_fields(l, map, list->where, list->fields,
			       list->nr_fields, kv) ||
	    (fn >= 0 && reader_function(l, kv[fn].value, list->fields[fn].key,
				      &e)) ||
	    (list->section != SECTION_NONE &&
	     claim_item(l, list, map, kv[fn].value, e)) ||
	    schema_read_values(l, list->fields, list->nr_fields, kv, item) ||
	    finish_item(l, list, map, kv, e, item))
		return -1;
	*into->nr = index + 1;
	return 0;
}

/* Where the list goes in l->r, its array allocated for len items. */
static struct into into_rules(struct loader *l, const struct reader_list *list,
			      int len)
{
	char *r = (char *)l->r;
	struct into into = { list, NULL, (int *)(r + list->nr_at) };

	into.array = arena_alloc(&l->r->arena, len * list->size);
	set_member(r, list->array_at, into.array);
	return into;
}

int reader_read_list(struct loader *l, const struct reader_list *list)
{
	struct into into;
	int i = 0, len = 0;

	if (reader_count_items(l, list->top_key, list->key, 0, &len))
		return -1;
	if (!len)
		return 0;
	into = into_rules(l, list, len);
	return reader_each_item(l, list->top_key, &i, read_item, &into);
}

int reader_read_items(struct loader *l, yaml_node_t *seq,
		      const struct reader_list *list)
{
	struct into into;
	int i = 0;

	if (!seq)
		return 0;
	if (schema_expect_sequence(l, seq, list->key))
		return -1;
	into = into_rules(l, list, schema_length(seq) + 1);
	return each_in(l, seq, &i, read_item, &into);
}

/* ---- settings, functions, marks ---- */

int reader_set_once(struct loader *l, yaml_node_t *node, const char *key,
		    const char *value, const char **setting,
		    struct place *first)
{
	if (*setting && strcmp(*setting, value))
		return schema_error_at(l, node,
				       "conflicting values for '%s': '%s' at %s, '%s' here",
				       key, *setting,
				       reader_where(l, first->src, first->line),
				       value);
	if (!*setting) {
		*setting = value;
		first->src = l->src;
		first->line = schema_line(node);
	}
	return 0;
}

/*
 * The lists that set a flag on each name in them: what a list is called
 * in messages, and what a name listed twice in it is.
 */
enum twice { TWICE_ALLOWED, TWICE_ERROR, TWICE_ERROR_FIRST_AT };
static const struct {
	const char *list;
	enum twice twice;
} mark_lists[MARK_NR] = {
	[MARK_SLEEPER] = { "sleepers", TWICE_ERROR_FIRST_AT },
	[MARK_GFP_FLAG] = { "gfp-flags", TWICE_ERROR_FIRST_AT },
	[MARK_BOOT_ONLY] = { "boot-only", TWICE_ERROR_FIRST_AT },
	[MARK_ASSERTION] = { "assertions", TWICE_ERROR },
	[MARK_HELD_ASSERT] = { "held-asserts", TWICE_ALLOWED },
	[MARK_HELD_ANNOTATION] = { "held-annotations", TWICE_ALLOWED },
};

/* The public flag of a mark (bit-fields have no address to keep). */
static void set_flag(struct rules_name *rn, enum reader_mark mark)
{
	rn->sleeper |= mark == MARK_SLEEPER;
	rn->gfp_sleep_flag |= mark == MARK_GFP_FLAG;
	rn->boot_only |= mark == MARK_BOOT_ONLY;
	rn->assertion |= mark == MARK_ASSERTION;
	rn->held_assert |= mark == MARK_HELD_ASSERT;
	rn->held_annotation |= mark == MARK_HELD_ANNOTATION;
}

static int add_mark(struct loader *l, yaml_node_t *item, const char *name,
		    void *data)
{
	enum reader_mark mark = *(enum reader_mark *)data;
	struct name_entry *e = reader_name(l->r, &l->r->names, name);
	struct place *first = &e->marked[mark];

	if (first->src && mark_lists[mark].twice == TWICE_ERROR_FIRST_AT)
		return schema_error_at(l, item,
				       "'%s' listed twice in %s (first at %s)",
				       name, mark_lists[mark].list,
				       reader_where(l, first->src, first->line));
	if (first->src && mark_lists[mark].twice == TWICE_ERROR)
		return schema_error_at(l, item, "'%s' listed twice in %s",
				       name, mark_lists[mark].list);
	set_flag(&e->pub, mark);
	if (!first->src) {
		first->src = l->src;
		first->line = schema_line(item);
	}
	return 0;
}

int reader_mark_names(struct loader *l, yaml_node_t *seq, const char *key,
		      enum reader_mark mark)
{
	return schema_for_each_name(l, seq, key, 1, add_mark, &mark);
}
