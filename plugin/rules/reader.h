/*
 * reader.h: what the readers of rules/ share, private to rules/: the
 * loader and the files it reads, the record kept for every name, helpers
 * the readers of the sections have in common, and the readers themselves
 * (one file a group of sections: read_facts.c, read_contexts.c,
 * read_sinks.c, read_boot.c, read_registrations.c).
 *
 * Ownership: the loader owns the sources (include.c opens them, rules.c
 * frees them when the load ends, however it ends) and its own arrays; all
 * a reader allocates that the rules keep (strings, items, name entries)
 * goes to r->arena and is freed by rules_free().
 */
#ifndef SPLITSAFE_RULES_READER_H
#define SPLITSAFE_RULES_READER_H

#include <stddef.h>
#include <sys/types.h>

#include "rules/rules.h"
#include "rules/schema.h"
#include "rules/keys.def"

struct source;

/* Where something was given, for "first at" in messages. */
struct place {
	const struct source *src;	/* NULL: not given yet */
	int line;
};

/* The flags a list of names sets on each name in it. */
enum reader_mark {
	MARK_SLEEPER, MARK_GFP_FLAG, MARK_BOOT_ONLY, MARK_ASSERTION,
	MARK_HELD_ASSERT, MARK_HELD_ANNOTATION, MARK_NR
};

/*
 * The sections whose items are each about one function, at most one item
 * a function.
 */
enum reader_section {
	SECTION_ESTABLISH, SECTION_PREDICATE, SECTION_SINK, SECTION_BOOT_ROOT,
	SECTION_TRANSITION, SECTION_BOOT_PRED, SECTION_REGISTRATION,
	SECTION_VALID_FROM,
	SECTION_NR, SECTION_NONE = -1
};

/* A name's public record, and where its roles were given, for messages. */
struct name_entry {
	struct rules_name pub;		/* first: the maps hold name_entry */
	struct place role;		/* context, entry or guard class */
	struct place marked[MARK_NR];
	struct place item[SECTION_NR];	/* the item about it in a section */
};

/* The keys of a file's top level, TOP_VERSION to TOP_HELD_ANNOTATIONS. */
enum { TOP_KEYS(SCHEMA_KEY_INDEX) TOP_NR };

/* One rules file: the top one or one it includes. */
struct source {
	char *path;			/* as opened, for messages */
	char *text;			/* the file, to place reader errors */
	size_t len;
	dev_t dev;			/* to know it when included again */
	ino_t ino;
	yaml_document_t doc;
	int have_doc;
	int loading;			/* its includes are being loaded */
	struct kv top[TOP_NR];		/* its top-level keys */
};

struct loader {
	struct source *src;		/* the file being read */
	struct source **opened;		/* every file, in the order opened */
	int nr_opened, alloc_opened;
	struct source **files;		/* includes first: the content order */
	int nr_files, alloc_files;
	struct rules *r;
	struct ss_err *err;

	/* where settings and list items come from, for messages */
	const struct source *fact_src[RULES_MAX_FACTS];
	const struct source **context_src;
	struct place guard, gfp_type;
};

/* ---- reader.c: names, places, the files' lists ---- */

/* The entry for name in map (r->names or r->guard_ctors), made if new. */
struct name_entry *reader_name(struct rules *r, struct strmap *map,
			       const char *name);

/* The name entry of the function node names, the value of key: a C
 * identifier. */
int reader_function(struct loader *l, yaml_node_t *node, const char *key,
		    struct name_entry **out);

/* "line 7" in the file being read, "dir/other.yaml:7" in another one. */
const char *reader_where(struct loader *l, const struct source *src,
			 int line);

/* The value of a top-level key in the f-th file, which is now the one read. */
yaml_node_t *reader_file_key(struct loader *l, int f, int key);

/*
 * Add to *nr the length of the sequence under top_key (named key) in
 * every file.  With max > 0 an item past the max-th is an error.
 */
int reader_count_items(struct loader *l, int top_key, const char *key,
		       int max, int *nr);

typedef int (*reader_item_fn)(struct loader *l, yaml_node_t *item, int index,
			      void *data);

/*
 * Call fn on each item of the sequence under top_key in every file, in
 * content order, with *index counting them (reader_count_items() checked
 * that they are sequences).
 */
int reader_each_item(struct loader *l, int top_key, int *index,
		     reader_item_fn fn, void *data);

#define READER_MAX_FIELDS 12	/* the most keys an item of a list has */

/*
 * A list whose items are mappings, each read into an element of an array
 * that goes, with its length, to array_at and nr_at in struct rules.  An
 * item is checked, then read:
 * - a mapping with only the keys of fields (in kv for check);
 * - for an item about one function (function >= 0), the name of the
 *   function (its entry e for check, else NULL), which goes to name_at;
 * - in a section (not SECTION_NONE, which needs a function), no earlier
 *   item about the same function;
 * - the values of the fields that say how they are read (schema.h);
 * - its line to line_at; then check, if any, reads or checks the rest;
 * - last, with entry_at (0 for none: 0 is the name), e's pointer there in
 *   struct rules_name to the item.
 */
struct reader_list {
	int top_key;			/* TOP_SINKS, or -1 inside a section */
	const char *key;		/* "sinks" */
	const char *what;		/* "a sink" */
	const char *where;		/* "in sink" */
	const struct field *fields;
	int nr_fields;			/* at most READER_MAX_FIELDS */
	int function;			/* the field naming it, or -1 */
	enum reader_section section;	/* or SECTION_NONE: check checks */
	const char *duplicate;		/* "sink": "duplicate sink 'f' ..." */
	size_t size;			/* of an array element */
	size_t name_at, line_at;	/* in an element */
	size_t entry_at;		/* in struct rules_name */
	size_t array_at, nr_at;		/* in struct rules */
	int (*check)(struct loader *l, yaml_node_t *map, struct kv *kv,
		     struct name_entry *e, void *item);
};

/* Items of type, named by their member name; e's pointer to it, member. */
#define READER_ITEM(type, name) .size = sizeof(type), \
	.name_at = offsetof(type, name), .line_at = offsetof(type, line)
#define READER_ENTRY(member) .entry_at = offsetof(struct rules_name, member)
/* Where the list goes in struct rules: array and its length nr. */
#define READER_INTO(array, nr) .array_at = offsetof(struct rules, array), \
	.nr_at = offsetof(struct rules, nr)

/* The items of the list under list->top_key in all files, as one array. */
int reader_read_list(struct loader *l, const struct reader_list *list);

/* The items of the one sequence seq (nothing if NULL). */
int reader_read_items(struct loader *l, yaml_node_t *seq,
		      const struct reader_list *list);

/*
 * A scalar setting that any file may give, if all that do give the same
 * value: the first one found is kept, with where it was.
 */
int reader_set_once(struct loader *l, yaml_node_t *node, const char *key,
		    const char *value, const char **setting,
		    struct place *first);

/* Set mark on every name in seq, the value of key (nothing if absent). */
int reader_mark_names(struct loader *l, yaml_node_t *seq, const char *key,
		      enum reader_mark mark);

/* ---- the sections ---- */

/* read_facts.c: facts first, so that everything after may name them */
int read_facts(struct loader *l);
/* The facts named by seq, the value of key (0 if absent). */
int read_facts_list(struct loader *l, yaml_node_t *seq, const char *key,
		    fact_mask *out);
/* Everything the facts in m imply, m included. */
fact_mask read_facts_closure(const struct rules *r, fact_mask m);
/* For field tables: a fact_mask of the facts named, or of all they imply. */
schema_value_fn read_facts_value, read_facts_implied_value;
int read_facts_establish(struct loader *l);
int read_facts_predicates(struct loader *l);

/* read_contexts.c: guard-constructor, contexts, entry contexts, held */
int read_contexts_guard_constructor(struct loader *l);
int read_contexts(struct loader *l);
int read_contexts_held(struct loader *l);
/* The context named by node's kind. */
int read_contexts_kind(struct loader *l, yaml_node_t *node,
		       const struct rules_context **out);
/* The same for field tables. */
schema_value_fn read_contexts_kind_value;

/* read_sinks.c */
int read_sinks_sleepers(struct loader *l);
int read_sinks(struct loader *l);

/* read_boot.c */
int read_boot(struct loader *l);
/* The boot phases named by seq, the value of key (0 if absent). */
int read_boot_phase_list(struct loader *l, yaml_node_t *seq, const char *key,
			 phase_mask *out);
/* The same for field tables. */
schema_value_fn read_boot_phases_value;

/* read_registrations.c */
int read_registrations(struct loader *l);

/* ---- include.c: the files ---- */

/*
 * Open, parse and check the top level of the file at path (which this
 * takes), then load what it includes, and add it to l->files after them.
 * include is the scalar that names it in l->src, or NULL for the top file.
 */
int include_load(struct loader *l, char *path, yaml_node_t *include);
void include_free(struct source *src);

#endif
