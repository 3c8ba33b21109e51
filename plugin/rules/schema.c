/*
 * schema.c: the generic schema reader of rules/ (see schema.h): parse a
 * file's one YAML document, check its nodes against what a section
 * expects, and say where a problem is.  It allocates nothing of its own
 * that outlives a call: strings read go to l->r->arena, the document to
 * l->src->doc (the loader deletes it).
 */
#include "rules/reader.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULES_MAX_DEPTH 64		/* nesting of YAML collections */

/* ---- errors ---- */

__attribute__((format(printf, 3, 0)))
static int verror_at_mark(struct loader *l, yaml_mark_t mark,
			  const char *fmt, va_list ap)
{
	char msg[768];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return ss_error(l->err, "%s:%zu:%zu: %s", l->src->path, mark.line + 1,
			mark.column + 1, msg);
}

int schema_error_at_mark(struct loader *l, yaml_mark_t mark,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at_mark(l, mark, fmt, ap);
	va_end(ap);
	return -1;
}

int schema_error_at(struct loader *l, const yaml_node_t *node,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at_mark(l, node->start_mark, fmt, ap);
	va_end(ap);
	return -1;
}

int schema_line(const yaml_node_t *node)
{
	return (int)node->start_mark.line + 1;
}

/* Reader errors come with a byte offset only: find its line and column. */
static yaml_mark_t mark_of_offset(const struct loader *l, size_t offset)
{
	yaml_mark_t mark = { offset, 0, 0 };
	size_t i, line_start = 0;

	if (offset > l->src->len)
		offset = l->src->len;
	for (i = 0; i < offset; i++) {
		if (l->src->text[i] == '\n') {
			mark.line++;
			line_start = i + 1;
		}
	}
	mark.column = offset - line_start;
	return mark;
}

static int syntax_error(struct loader *l, const yaml_parser_t *parser)
{
	yaml_mark_t mark = parser->problem_mark;
	const char *problem = parser->problem ? parser->problem : "invalid YAML";

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		return ss_error(l->err, "%s: out of memory parsing YAML",
				l->src->path);
	case YAML_READER_ERROR:
		mark = mark_of_offset(l, parser->problem_offset);
		if (parser->problem_value >= 0)
			return schema_error_at_mark(l, mark, "%s (byte 0x%02x)",
						    problem,
						    parser->problem_value);
		return schema_error_at_mark(l, mark, "%s", problem);
	default:
		break;
	}
	if (parser->context)
		return schema_error_at_mark(l, mark, "%s (%s at line %zu)",
					    problem, parser->context,
					    parser->context_mark.line + 1);
	return schema_error_at_mark(l, mark, "%s", problem);
}

/* ---- parsing ---- */

/* A parser reading the file being read; only memory can fail it. */
static int start_parser(struct loader *l, yaml_parser_t *parser)
{
	if (!yaml_parser_initialize(parser))
		return ss_error(l->err, "%s: out of memory parsing YAML",
				l->src->path);
	yaml_parser_set_input_string(parser,
				     (const unsigned char *)l->src->text,
				     l->src->len);
	return 0;
}

/*
 * libyaml's loader takes time quadratic in the nesting depth ("[[[[..."):
 * the events are read first, and a file nested deeper than any rules file
 * needs is refused where it goes too deep.  A syntax error is left to the
 * loader, which reports it.
 */
static int check_depth(struct loader *l)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, ret = 0, done = 0;

	if (start_parser(l, &parser))
		return -1;
	while (!done && !ret && yaml_parser_parse(&parser, &ev)) {
		if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > RULES_MAX_DEPTH)
				ret = schema_error_at_mark(l, ev.start_mark,
							   "nested deeper than %d levels",
							   RULES_MAX_DEPTH);
		} else if (ev.type == YAML_SEQUENCE_END_EVENT ||
			   ev.type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ret;
}

/* After the document, the stream must end: a second one is an error. */
static int check_one_document(struct loader *l, yaml_parser_t *parser)
{
	yaml_document_t extra;
	int ret = 0;

	if (!yaml_parser_load(parser, &extra))
		return syntax_error(l, parser);
	if (yaml_document_get_root_node(&extra))
		ret = schema_error_at(l, yaml_document_get_root_node(&extra),
				      "more than one YAML document in a rules file");
	yaml_document_delete(&extra);
	return ret;
}

int schema_parse(struct loader *l)
{
	struct source *src = l->src;
	yaml_parser_t parser;
	int ret;

	if (check_depth(l) || start_parser(l, &parser))
		return -1;
	if (!yaml_parser_load(&parser, &src->doc)) {
		ret = syntax_error(l, &parser);
	} else {
		src->have_doc = 1;
		if (!yaml_document_get_root_node(&src->doc)) {
			yaml_mark_t start = { 0, 0, 0 };

			ret = schema_error_at_mark(l, start, "empty rules file");
		} else {
			ret = check_one_document(l, &parser);
		}
	}
	yaml_parser_delete(&parser);
	return ret;
}

/* ---- nodes ---- */

yaml_node_t *schema_node(struct loader *l, int index)
{
	return yaml_document_get_node(&l->src->doc, index);
}

const char *schema_text(const yaml_node_t *scalar)
{
	return (const char *)scalar->data.scalar.value;
}

int schema_length(const yaml_node_t *seq)
{
	return (int)(seq->data.sequence.items.top -
		     seq->data.sequence.items.start);
}

/* A plain "", "~" or "null": what "key:" with nothing after it gives. */
static int is_null(const yaml_node_t *node)
{
	const char *s;

	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = schema_text(node);
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static const char *describe(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a sequence";
	default:
		return is_null(node) ? "an empty value" : "a scalar";
	}
}

int schema_expect_mapping(struct loader *l, yaml_node_t *node,
			  const char *what)
{
	if (node->type == YAML_MAPPING_NODE)
		return 0;
	return schema_error_at(l, node, "expected a mapping for %s, found %s",
			       what, describe(node));
}

int schema_expect_sequence(struct loader *l, yaml_node_t *node,
			   const char *key)
{
	if (node->type == YAML_SEQUENCE_NODE)
		return 0;
	return schema_error_at(l, node,
			       "expected a sequence for '%s', found %s",
			       key, describe(node));
}

/* A scalar with a value: "expected" names the value, "in" what holds it. */
static int check_value(struct loader *l, yaml_node_t *node,
		       const char *expected, const char *in, const char *key)
{
	if (node->type != YAML_SCALAR_NODE || is_null(node))
		return schema_error_at(l, node, "expected %s %s '%s', found %s",
				       expected, in, key, describe(node));
	if (strlen(schema_text(node)) != node->data.scalar.length)
		return schema_error_at(l, node, "NUL byte in '%s'", key);
	return 0;
}

int schema_check_scalar(struct loader *l, yaml_node_t *node,
			const char *expected, const char *key)
{
	return check_value(l, node, expected, "for", key);
}

/* ---- values ---- */

/* The value of key as a string owned by the rules. */
int schema_read_string(struct loader *l, yaml_node_t *node, const char *key,
		       const char **out)
{
	if (schema_check_scalar(l, node, "a string", key))
		return -1;
	*out = arena_strdup(&l->r->arena, schema_text(node));
	return 0;
}

int schema_read_int(struct loader *l, yaml_node_t *node, const char *key,
		    int *out)
{
	const char *s;
	char *end;
	long v;

	if (schema_check_scalar(l, node, "an integer", key))
		return -1;
	s = schema_text(node);
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < INT_MIN || v > INT_MAX)
		return schema_error_at(l, node,
				       "expected an integer for '%s', found '%s'",
				       key, s);
	*out = (int)v;
	return 0;
}

int schema_is_identifier(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* Context kinds and fact names: "irqs-off", "pte-mapped". */
static int is_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(*s == '_' || *s == '-' || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

int schema_read_word(struct loader *l, yaml_node_t *node, const char *key,
		     const char **out)
{
	if (schema_read_string(l, node, key, out))
		return -1;
	if (!is_word(*out))
		return schema_error_at(l, node,
				       "invalid %s '%s' (letters, digits, '-' and '_' only)",
				       key, *out);
	return 0;
}

int schema_value_string(struct loader *l, yaml_node_t *node, const char *key,
			void *out)
{
	return schema_read_string(l, node, key, out);
}

int schema_value_word(struct loader *l, yaml_node_t *node, const char *key,
		      void *out)
{
	return schema_read_word(l, node, key, out);
}

int schema_value_int(struct loader *l, yaml_node_t *node, const char *key,
		     void *out)
{
	return schema_read_int(l, node, key, out);
}

/* ---- mappings and sequences ---- */

/* The index in fields of the key named by the scalar key, or nr. */
static int field_index(const struct field *fields, int nr, const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(fields[i].key, name))
			break;
	return i;
}

/* One pair of map: its key must be one of fields, not given before. */
static int read_pair(struct loader *l, yaml_node_pair_t *pair,
		     const char *where, const struct field *fields, int nr,
		     struct kv *kv)
{
	yaml_node_t *key = schema_node(l, pair->key);
	const char *name;
	int i;

	if (key->type != YAML_SCALAR_NODE)
		return schema_error_at(l, key, "expected a key %s, found %s",
				       where, describe(key));
	name = schema_text(key);
	i = field_index(fields, nr, name);
	if (i == nr)
		return schema_error_at(l, key, "unknown key '%s' %s", name,
				       where);
	if (kv[i].key)
		return schema_error_at(l, key,
				       "duplicate key '%s' (first at line %d)",
				       name, schema_line(kv[i].key));
	kv[i].key = key;
	kv[i].value = schema_node(l, pair->value);
	return 0;
}

int schema_read_fields(struct loader *l, yaml_node_t *map, const char *where,
		       const struct field *fields, int nr, struct kv *kv)
{
	yaml_node_pair_t *pair;
	int i;

	for (i = 0; i < nr; i++)
		kv[i].key = kv[i].value = NULL;
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++)
		if (read_pair(l, pair, where, fields, nr, kv))
			return -1;
	for (i = 0; i < nr; i++)
		if (fields[i].required && !kv[i].key)
			return schema_error_at(l, map,
					       "missing required key '%s' %s",
					       fields[i].key, where);
	return 0;
}

int schema_read_values(struct loader *l, const struct field *fields, int nr,
		       const struct kv *kv, void *item)
{
	int i;

	for (i = 0; i < nr; i++)
		if (fields[i].read && kv[i].value &&
		    fields[i].read(l, kv[i].value, fields[i].key,
				   (char *)item + fields[i].at))
			return -1;
	return 0;
}

int schema_read_mapping(struct loader *l, yaml_node_t *map, const char *what,
			const char *where, const struct field *fields, int nr,
			struct kv *kv, void *item)
{
	if (schema_expect_mapping(l, map, what) ||
	    schema_read_fields(l, map, where, fields, nr, kv) ||
	    schema_read_values(l, fields, nr, kv, item))
		return -1;
	return 0;
}

int schema_for_each_name(struct loader *l, yaml_node_t *seq, const char *key,
			 int identifiers, schema_name_fn fn, void *data)
{
	yaml_node_item_t *it;

	if (!seq)
		return 0;
	if (schema_expect_sequence(l, seq, key))
		return -1;
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *item = schema_node(l, *it);
		const char *name;

		if (check_value(l, item, "a name", "in", key))
			return -1;
		name = schema_text(item);
		if (identifiers && !schema_is_identifier(name))
			return schema_error_at(l, item,
					       "'%s' in '%s' is not a C identifier",
					       name, key);
		if (fn(l, item, name, data))
			return -1;
	}
	return 0;
}
