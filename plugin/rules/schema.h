/*
 * schema.h: the generic part of reading a rule file, private to rules/:
 * one YAML document parsed with libyaml, its nodes checked against a
 * schema (mappings with known keys, sequences of names, scalars of a
 * type), and each error placed at the node it is about.  Nothing in it
 * knows what a section of a rule file means.
 *
 * Every function takes the loader (rules/reader.h) for three things: the
 * file being read, l->src (its path for messages, its text and its YAML
 * document), the caller's ss_err l->err, which gets the one error line,
 * and the arena l->r->arena, which owns every string read (they live as
 * long as the rules).  Functions returning int return 0, or -1 with the
 * error set.
 */
#ifndef SPLITSAFE_RULES_SCHEMA_H
#define SPLITSAFE_RULES_SCHEMA_H

#include <yaml.h>

#include <stddef.h>

struct loader;

/*
 * How a field's value is read: node into out, which points where it goes
 * (key completes messages).  NULL node: never (absent fields are skipped).
 */
typedef int schema_value_fn(struct loader *l, yaml_node_t *node,
			    const char *key, void *out);

/*
 * A key a mapping may have and, if read is set, how its value is read and
 * where it goes: at bytes into the item being read.  A field without read
 * is read by the caller's own code, from the kv schema_read_fields() fills.
 */
struct field {
	const char *key;
	int required;
	schema_value_fn *read;
	size_t at;
};

/* A field the caller's own code reads. */
#define SCHEMA_KEY(key, required) { key, required, NULL, 0 }

/* A field read to a member of type, the item a mapping describes. */
#define SCHEMA_VALUE(key, required, read, type, member) \
	{ key, required, read, offsetof(type, member) }

/*
 * From a list of KEY(index, key, required) (rules/keys.def): the enum of
 * its indexes, and its field table.
 */
#define SCHEMA_KEY_INDEX(index, key, required) index,
#define SCHEMA_KEY_FIELD(index, key, required) \
	[index] = SCHEMA_KEY(key, required),

/* What a mapping holds for one field: both NULL if absent. */
struct kv {
	yaml_node_t *key;
	yaml_node_t *value;
};

/* ---- errors: "path:line:col: message" in l->err, returning -1 ---- */

__attribute__((format(printf, 3, 4)))
int schema_error_at_mark(struct loader *l, yaml_mark_t mark,
			 const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
int schema_error_at(struct loader *l, const yaml_node_t *node,
		    const char *fmt, ...);

/* The 1-based line a node starts on. */
int schema_line(const yaml_node_t *node);

/*
 * Parse the one YAML document of l->src->text into l->src->doc (and set
 * l->src->have_doc once there is one to delete).
 */
int schema_parse(struct loader *l);

/* ---- nodes ---- */

yaml_node_t *schema_node(struct loader *l, int index);
const char *schema_text(const yaml_node_t *scalar);
int schema_length(const yaml_node_t *seq);

/* "what" and "key" complete messages: "expected a mapping for a sink". */
int schema_expect_mapping(struct loader *l, yaml_node_t *node,
			  const char *what);
int schema_expect_sequence(struct loader *l, yaml_node_t *node,
			   const char *key);

/* node is a scalar with a value, "expected" saying what it should be. */
int schema_check_scalar(struct loader *l, yaml_node_t *node,
			const char *expected, const char *key);

/* ---- values: the strings are copied into l->r->arena ---- */

int schema_read_string(struct loader *l, yaml_node_t *node, const char *key,
		       const char **out);
int schema_read_int(struct loader *l, yaml_node_t *node, const char *key,
		    int *out);
/* Context kinds and fact names: "irqs-off", "pte-mapped". */
int schema_read_word(struct loader *l, yaml_node_t *node, const char *key,
		     const char **out);
int schema_is_identifier(const char *s);

/* The same as schema_value_fn, for field tables. */
schema_value_fn schema_value_string, schema_value_word, schema_value_int;

/*
 * Check that map has only keys from fields, each once, and all the
 * required ones; fill kv[i] for fields[i].  "where" completes messages:
 * "in context", "at top level".
 */
int schema_read_fields(struct loader *l, yaml_node_t *map, const char *where,
		       const struct field *fields, int nr, struct kv *kv);

/*
 * Read the value of every field given in kv that has a read function,
 * in the order of fields, to item + at.
 */
int schema_read_values(struct loader *l, const struct field *fields, int nr,
		       const struct kv *kv, void *item);

/*
 * A mapping item ("what" and "where" complete messages as above): its
 * fields checked (kv filled) and their values read into item.
 */
int schema_read_mapping(struct loader *l, yaml_node_t *map, const char *what,
			const char *where, const struct field *fields, int nr,
			struct kv *kv, void *item);

typedef int (*schema_name_fn)(struct loader *l, yaml_node_t *item,
			      const char *name, void *data);

/*
 * Call fn for each name in the sequence seq, the value of key (nothing if
 * the key is absent).  Function names must be C identifiers.
 */
int schema_for_each_name(struct loader *l, yaml_node_t *seq, const char *key,
			 int identifiers, schema_name_fn fn, void *data);

#endif
