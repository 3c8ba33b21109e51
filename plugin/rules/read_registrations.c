/*
 * read_registrations.c: the "registrations" section, the calls, macros
 * and struct fields that register a callback: which argument is the
 * callback, which registrations count (match), the boot phases and the
 * context the callback runs in, another context when an argument matches
 * (context-if), and what to call it in reports.  r->registrations and
 * each one's names and fields are allocated in r->arena.
 */
#include "rules/reader.h"

#include <string.h>

enum { REGISTRATION_KEYS(SCHEMA_KEY_INDEX) REG_NR };
static const struct field registration_fields[REG_NR] = {
	REGISTRATION_KEYS(SCHEMA_KEY_FIELD)
};

/* 'context-if' and 'match' start with the same two keys. */
enum { ARG_ARGUMENT, ARG_PATTERN, ARG_COMMON_NR };

enum { CIF_CONTEXT = ARG_COMMON_NR, CIF_NR };
static const struct field context_if_fields[CIF_NR] = {
	[ARG_ARGUMENT] = { "argument", 1 },
	[ARG_PATTERN] = { "pattern", 1 },
	[CIF_CONTEXT] = { "context", 1 },
};

static const struct field match_fields[ARG_COMMON_NR] = {
	[ARG_ARGUMENT] = { "argument", 1 },
	[ARG_PATTERN] = { "pattern", 1 },
};

/* ---- names ---- */

static int add_registrar(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct rules_registration *reg = data;
	struct name_entry *e = reader_name(l->r, &l->r->names, name);
	struct place *first = &e->item[SECTION_REGISTRATION];

	if (first->src)
		return schema_error_at(l, item,
				       "'%s' registers twice (first at %s)",
				       name, reader_where(l, first->src,
							  first->line));
	first->src = l->src;
	first->line = reg->line;
	e->pub.registration = reg;
	if (reg->names)
		reg->names[reg->nr_names++] = e->pub.name;
	return 0;
}

/* "hrtimer.function": a struct tag and one of its fields. */
static int add_field_registrar(struct loader *l, yaml_node_t *item,
			       const char *name, void *data)
{
	struct rules_registration *reg = data;
	const char *dot = strchr(name, '.');
	char tag[256];

	if (!dot || dot == name || (size_t)(dot - name) >= sizeof(tag) ||
	    strchr(dot + 1, '.') || !schema_is_identifier(dot + 1))
		return schema_error_at(l, item,
				       "'%s' in 'fields' is not struct.field",
				       name);
	memcpy(tag, name, dot - name);
	tag[dot - name] = '\0';
	if (!schema_is_identifier(tag))
		return schema_error_at(l, item,
				       "'%s' in 'fields' is not struct.field",
				       name);
	if (add_registrar(l, item, name, data))
		return -1;
	reg->fields[reg->nr_fields++] = rules_lookup(l->r, name)->name;
	return 0;
}

/* ---- what every registration says ---- */

/* 'as', 'phases' and 'context' (both optional, but not both absent). */
static int read_callback_runs(struct loader *l, struct kv *kv,
			      struct rules_registration *reg)
{
	if (schema_read_string(l, kv[REG_AS].value, "as", &reg->as) ||
	    read_boot_phase_list(l, kv[REG_PHASES].value, "phases",
				 &reg->phases) ||
	    (kv[REG_CONTEXT].value &&
	     read_contexts_kind(l, kv[REG_CONTEXT].value, &reg->context)))
		return -1;
	return 0;
}

static int check_callback_runs(struct loader *l, yaml_node_t *map,
			       const struct rules_registration *reg)
{
	if (!reg->phases && !reg->context)
		return schema_error_at(l, map,
				       "a registration needs phases or a context");
	return 0;
}

/*
 * The mapping m, the value of 'context-if' or 'match', with fields that
 * start with an argument and the pattern it must match.
 */
static int read_argument_pattern(struct loader *l, yaml_node_t *m,
				 const char *what, const char *where,
				 const struct field *fields, int nr,
				 struct kv *kv, int *arg,
				 const char **pattern)
{
	if (schema_expect_mapping(l, m, what) ||
	    schema_read_fields(l, m, where, fields, nr, kv) ||
	    schema_read_int(l, kv[ARG_ARGUMENT].value, "argument", arg) ||
	    schema_read_string(l, kv[ARG_PATTERN].value, "pattern", pattern))
		return -1;
	return 0;
}

static int check_argument(struct loader *l, struct kv *kv, int arg)
{
	if (arg < 1)
		return schema_error_at(l, kv[ARG_ARGUMENT].value,
				       "argument must be a number from 1");
	return 0;
}

static int read_context_if(struct loader *l, yaml_node_t *m,
			   struct rules_registration *reg)
{
	struct kv kv[CIF_NR];

	if (!m)
		return 0;
	if (read_argument_pattern(l, m, "'context-if'", "in context-if",
				  context_if_fields, CIF_NR, kv, &reg->alt_arg,
				  &reg->alt_match) ||
	    read_contexts_kind(l, kv[CIF_CONTEXT].value, &reg->alt_context))
		return -1;
	return check_argument(l, kv, reg->alt_arg);
}

static int read_match(struct loader *l, yaml_node_t *m,
		      struct rules_registration *reg)
{
	struct kv kv[ARG_COMMON_NR];

	if (!m)
		return 0;
	if (read_argument_pattern(l, m, "'match'", "in match", match_fields,
				  ARG_COMMON_NR, kv, &reg->match_arg,
				  &reg->match))
		return -1;
	return check_argument(l, kv, reg->match_arg);
}

/* ---- the two kinds ---- */

/* Stores into struct fields: no callback argument, nothing to match. */
static int read_field_registration(struct loader *l, yaml_node_t *map,
				   struct kv *kv,
				   struct rules_registration *reg)
{
	yaml_node_t *names = kv[REG_FIELDS].value;

	if (kv[REG_CALLBACK].key || kv[REG_MATCH].key)
		return schema_error_at(l, kv[REG_CALLBACK].key ?
				       kv[REG_CALLBACK].key : kv[REG_MATCH].key,
				       "a field registration has no callback or match");
	if (read_callback_runs(l, kv, reg) ||
	    schema_expect_sequence(l, names, "fields") ||
	    check_callback_runs(l, map, reg))
		return -1;
	reg->fields = arena_alloc(&l->r->arena, (schema_length(names) + 1) *
				  sizeof(*reg->fields));
	if (schema_for_each_name(l, names, "fields", 0, add_field_registrar,
				 reg))
		return -1;
	reg->name = reg->nr_fields ? reg->fields[0] : "";
	return 0;
}

/* Calls of functions or uses of macros, with a callback argument. */
static int read_call_registration(struct loader *l, yaml_node_t *map,
				  struct kv *kv,
				  struct rules_registration *reg)
{
	yaml_node_t *names;
	const char *key;

	if (!kv[REG_CALLBACK].key)
		return schema_error_at(l, map,
				       "missing required key 'callback' in registration");
	reg->is_macro = kv[REG_MACROS].key != NULL;
	names = kv[reg->is_macro ? REG_MACROS : REG_FUNCTIONS].value;
	key = reg->is_macro ? "macros" : "functions";
	if (schema_read_int(l, kv[REG_CALLBACK].value, "callback",
			    &reg->callback) ||
	    read_callback_runs(l, kv, reg))
		return -1;
	if (reg->callback < 1)
		return schema_error_at(l, kv[REG_CALLBACK].value,
				       "callback must be an argument number from 1");
	if (check_callback_runs(l, map, reg) ||
	    read_context_if(l, kv[REG_CONTEXT_IF].value, reg) ||
	    read_match(l, kv[REG_MATCH].value, reg))
		return -1;
	if (schema_expect_sequence(l, names, key))
		return -1;
	reg->names = arena_alloc(&l->r->arena, (schema_length(names) + 1) *
				 sizeof(*reg->names));
	if (schema_for_each_name(l, names, key, 1, add_registrar, reg))
		return -1;
	if (schema_length(names))
		reg->name = arena_strdup(&l->r->arena,
			schema_text(schema_node(l, names->data.sequence.items.start[0])));
	return 0;
}

static int read_registration(struct loader *l, yaml_node_t *map,
			     struct kv *kv, struct name_entry *e, void *item)
{
	struct rules_registration *reg = item;

	if ((kv[REG_FUNCTIONS].key != NULL) + (kv[REG_MACROS].key != NULL) +
	    (kv[REG_FIELDS].key != NULL) != 1)
		return schema_error_at(l, map,
				       "a registration needs one of 'functions', 'macros' or 'fields'");
	if (kv[REG_FIELDS].key)
		return read_field_registration(l, map, kv, reg);
	return read_call_registration(l, map, kv, reg);
}

/* a registration names several functions: read_registration() claims them */
static const struct reader_list registration_list = {
	.top_key = TOP_REGISTRATIONS, .key = "registrations",
	.what = "a registration", .where = "in registration",
	.fields = registration_fields, .nr_fields = REG_NR, .function = -1,
	.section = SECTION_NONE, .check = read_registration,
	READER_ITEM(struct rules_registration, name),
	READER_INTO(registrations, nr_registrations),
};

int read_registrations(struct loader *l)
{
	return reader_read_list(l, &registration_list);
}
