/*
 * rules.c: load a rule file (YAML, see rules/arm64-split.yaml) into a
 * read-only struct rules.
 *
 * A file may include others ("include: kernel-common.yaml", or a list),
 * named relative to its own directory.  Every file is read and parsed
 * first, its top level checked and its includes loaded depth first; this
 * gives the files in the order their content counts: each file's includes,
 * in include order, before the file itself.  A file included a second time
 * (not through a cycle, which is an error) adds nothing the second time.
 *
 * Then the files are checked against the schema one section at a time, as
 * if the files' lists were written one after the other in one file, in the
 * order the sections depend on each other: the version, the guard
 * constructor pattern, the facts (so that everything after may name them,
 * and facts may name facts declared later), the contexts and entry
 * contexts, the sleepers, and the establish, predicate and sink lists.  A
 * scalar setting may be given in more than one file if all give the same
 * value; the top file's name wins over any other.
 *
 * Every name the rules mention gets one entry in r->names that says all
 * the rules say about it.  Guard classes are kept apart, under the name of
 * their cleanup.h constructor, in r->guard_ctors: a class is often called
 * like a lock function ("read_lock") that has a role of its own.
 *
 * The first problem found stops the load with one line
 * "path:line:col: what is wrong" (1-based, path the file the problem is
 * in) in the caller's ss_err, and nothing allocated is left behind.
 * Nothing here prints.
 */
#include "rules/rules.h"

#include <errno.h>
#include <xxhash.h>
#include <limits.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

struct source;

/* A name's public record, and where its roles were given, for messages. */
struct name_entry {
	struct rules_name pub;		/* first: the maps hold name_entry */
	int role_line;			/* context, entry or guard class */
	int sleeper_line;
	int gfp_line;
	const struct source *role_src, *sleeper_src, *gfp_src;
	const struct source *establish_src, *predicate_src, *sink_src;
	const struct source *root_src, *transition_src, *boot_pred_src;
	const struct source *registration_src, *boot_only_src;
	int boot_only_line;
};

/* A key a mapping may have. */
struct field {
	const char *key;
	int required;
};

/* What a mapping holds for one field: both NULL if absent. */
struct kv {
	yaml_node_t *key;
	yaml_node_t *value;
};

enum {
	TOP_VERSION, TOP_NAME, TOP_INCLUDE, TOP_GUARD_CONSTRUCTOR,
	TOP_CONTEXTS, TOP_ENTRY_CONTEXTS, TOP_SLEEPERS, TOP_FACTS,
	TOP_ESTABLISH, TOP_PREDICATES, TOP_SINKS, TOP_BOOT, TOP_REGISTRATIONS,
	TOP_HELD_ASSERTS, TOP_HELD_ANNOTATIONS, TOP_NR
};

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
	const struct source *guard_src, *gfp_type_src;
	int guard_line, gfp_type_line;
};

#define MAX_FIELDS 12
#define RULES_MAX_BYTES ((size_t)16 << 20)	/* a rules file, 16 MiB */
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

__attribute__((format(printf, 3, 4)))
static int error_at_mark(struct loader *l, yaml_mark_t mark,
			 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at_mark(l, mark, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 3, 4)))
static int error_at(struct loader *l, const yaml_node_t *node,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at_mark(l, node->start_mark, fmt, ap);
	va_end(ap);
	return -1;
}

static int node_line(const yaml_node_t *node)
{
	return (int)node->start_mark.line + 1;
}

/* "line 7" in the file being read, "dir/other.yaml:7" in another one. */
static const char *where(struct loader *l, const struct source *src, int line)
{
	if (src == l->src)
		return arena_printf(&l->r->arena, "line %d", line);
	return arena_printf(&l->r->arena, "%s:%d", src->path, line);
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
			return error_at_mark(l, mark, "%s (byte 0x%02x)",
					     problem, parser->problem_value);
		return error_at_mark(l, mark, "%s", problem);
	default:
		break;
	}
	if (parser->context)
		return error_at_mark(l, mark, "%s (%s at line %zu)", problem,
				     parser->context,
				     parser->context_mark.line + 1);
	return error_at_mark(l, mark, "%s", problem);
}

/* ---- nodes ---- */

static yaml_node_t *node_at(struct loader *l, int index)
{
	return yaml_document_get_node(&l->src->doc, index);
}

static const char *scalar_text(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

/* A plain "", "~" or "null": what "key:" with nothing after it gives. */
static int is_null(const yaml_node_t *node)
{
	const char *s;

	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = scalar_text(node);
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

static int expect_mapping(struct loader *l, yaml_node_t *node,
			  const char *what)
{
	if (node->type == YAML_MAPPING_NODE)
		return 0;
	return error_at(l, node, "expected a mapping for %s, found %s", what,
			describe(node));
}

static int expect_sequence(struct loader *l, yaml_node_t *node,
			   const char *key)
{
	if (node->type == YAML_SEQUENCE_NODE)
		return 0;
	return error_at(l, node, "expected a sequence for '%s', found %s",
			key, describe(node));
}

static int sequence_length(const yaml_node_t *seq)
{
	return (int)(seq->data.sequence.items.top -
		     seq->data.sequence.items.start);
}

static int check_scalar(struct loader *l, yaml_node_t *node,
			const char *expected, const char *key)
{
	if (node->type != YAML_SCALAR_NODE || is_null(node))
		return error_at(l, node, "expected %s for '%s', found %s",
				expected, key, describe(node));
	if (strlen(scalar_text(node)) != node->data.scalar.length)
		return error_at(l, node, "NUL byte in '%s'", key);
	return 0;
}

/* The value of key as a string owned by the rules. */
static int read_string(struct loader *l, yaml_node_t *node, const char *key,
		       const char **out)
{
	if (check_scalar(l, node, "a string", key))
		return -1;
	*out = arena_strdup(&l->r->arena, scalar_text(node));
	return 0;
}

static int read_int(struct loader *l, yaml_node_t *node, const char *key,
		    int *out)
{
	const char *s;
	char *end;
	long v;

	if (check_scalar(l, node, "an integer", key))
		return -1;
	s = scalar_text(node);
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < INT_MIN || v > INT_MAX)
		return error_at(l, node,
				"expected an integer for '%s', found '%s'",
				key, s);
	*out = (int)v;
	return 0;
}

/*
 * Check that map has only keys from fields, each once, and all the
 * required ones; fill kv[i] for fields[i].  "where" completes messages:
 * "in context", "at top level".
 */
static int read_fields(struct loader *l, yaml_node_t *map, const char *where,
		       const struct field *fields, int nr, struct kv *kv)
{
	yaml_node_pair_t *pair;
	int i;

	for (i = 0; i < nr; i++)
		kv[i].key = kv[i].value = NULL;
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = node_at(l, pair->key);
		const char *name;

		if (key->type != YAML_SCALAR_NODE)
			return error_at(l, key, "expected a key %s, found %s",
					where, describe(key));
		name = scalar_text(key);
		for (i = 0; i < nr; i++)
			if (!strcmp(fields[i].key, name))
				break;
		if (i == nr)
			return error_at(l, key, "unknown key '%s' %s", name,
					where);
		if (kv[i].key)
			return error_at(l, key,
					"duplicate key '%s' (first at line %d)",
					name, node_line(kv[i].key));
		kv[i].key = key;
		kv[i].value = node_at(l, pair->value);
	}
	for (i = 0; i < nr; i++)
		if (fields[i].required && !kv[i].key)
			return error_at(l, map, "missing required key '%s' %s",
					fields[i].key, where);
	return 0;
}

/* ---- names ---- */

static int is_identifier(const char *s)
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

static int read_word(struct loader *l, yaml_node_t *node, const char *key,
		     const char **out)
{
	if (read_string(l, node, key, out))
		return -1;
	if (!is_word(*out))
		return error_at(l, node,
				"invalid %s '%s' (letters, digits, '-' and '_' only)",
				key, *out);
	return 0;
}

static struct name_entry *name_entry(struct rules *r, struct strmap *map,
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

typedef int (*name_fn)(struct loader *l, yaml_node_t *item, const char *name,
		       void *data);

/*
 * Call fn for each name in the sequence seq, the value of key (nothing if
 * the key is absent).  Function names must be C identifiers.
 */
static int for_each_name(struct loader *l, yaml_node_t *seq, const char *key,
			 int identifiers, name_fn fn, void *data)
{
	yaml_node_item_t *it;

	if (!seq)
		return 0;
	if (expect_sequence(l, seq, key))
		return -1;
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *item = node_at(l, *it);
		const char *name;

		if (item->type != YAML_SCALAR_NODE || is_null(item))
			return error_at(l, item,
					"expected a name in '%s', found %s",
					key, describe(item));
		name = scalar_text(item);
		if (strlen(name) != item->data.scalar.length)
			return error_at(l, item, "NUL byte in '%s'", key);
		if (identifiers && !is_identifier(name))
			return error_at(l, item,
					"'%s' in '%s' is not a C identifier",
					name, key);
		if (fn(l, item, name, data))
			return -1;
	}
	return 0;
}

/* ---- facts ---- */

static fact_mask fact_bit(int index)
{
	return (fact_mask)1 << index;
}

static int add_fact_to_mask(struct loader *l, yaml_node_t *item,
			    const char *name, void *data)
{
	int index = rules_fact_index(l->r, name);

	if (index < 0)
		return error_at(l, item, "unknown fact '%s'", name);
	*(fact_mask *)data |= fact_bit(index);
	return 0;
}

static int read_fact_list(struct loader *l, yaml_node_t *seq, const char *key,
			  fact_mask *out)
{
	*out = 0;
	return for_each_name(l, seq, key, 0, add_fact_to_mask, out);
}

/* Everything the facts in m imply, m included. */
static fact_mask close_facts(const struct rules *r, fact_mask m)
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
			fact_mask m = close_facts(r, r->facts[i].implies);

			if (m != r->facts[i].implies) {
				r->facts[i].implies = m;
				changed = 1;
			}
		}
	} while (changed);
}

enum { FACT_NAME, FACT_MEANS, FACT_IMPLIES, FACT_NR };
static const struct field fact_fields[FACT_NR] = {
	[FACT_NAME] = { "name", 1 },
	[FACT_MEANS] = { "means", 0 },
	[FACT_IMPLIES] = { "implies", 0 },
};

static int read_fact_name(struct loader *l, yaml_node_t *map, int index)
{
	struct rules_fact *fact = &l->r->facts[index];
	struct kv kv[FACT_NR];
	int i;

	if (expect_mapping(l, map, "a fact") ||
	    read_fields(l, map, "in fact", fact_fields, FACT_NR, kv) ||
	    read_word(l, kv[FACT_NAME].value, "name", &fact->name))
		return -1;
	for (i = 0; i < index; i++)
		if (!strcmp(l->r->facts[i].name, fact->name))
			return error_at(l, kv[FACT_NAME].value,
					"duplicate fact '%s' (first at %s)",
					fact->name,
					where(l, l->fact_src[i],
					      l->r->facts[i].line));
	if (kv[FACT_MEANS].value &&
	    read_string(l, kv[FACT_MEANS].value, "means", &fact->means))
		return -1;
	fact->line = node_line(map);
	fact->implies = fact_bit(index);
	l->fact_src[index] = l->src;
	return 0;
}

/* The value of a top-level key in the f-th file, which is now the one read. */
static yaml_node_t *file_key(struct loader *l, int f, int key)
{
	l->src = l->files[f];
	return l->src->top[key].value;
}

/*
 * The facts of all files, as one list.  Names first, then implies, so
 * that a fact may imply one declared later.
 */
static int read_facts(struct loader *l)
{
	struct rules *r = l->r;
	yaml_node_item_t *it;
	yaml_node_t *seq;
	int f, i, nr = 0;

	for (f = 0; f < l->nr_files; f++) {
		if (!(seq = file_key(l, f, TOP_FACTS)))
			continue;
		if (expect_sequence(l, seq, "facts"))
			return -1;
		if (nr + sequence_length(seq) > RULES_MAX_FACTS)
			return error_at(l, node_at(l, seq->data.sequence.items.start[RULES_MAX_FACTS - nr]),
					"too many facts (at most %d)",
					RULES_MAX_FACTS);
		nr += sequence_length(seq);
	}
	r->facts = arena_alloc(&r->arena, nr * sizeof(*r->facts));
	for (f = i = 0; f < l->nr_files; f++) {
		if (!(seq = file_key(l, f, TOP_FACTS)))
			continue;
		for (it = seq->data.sequence.items.start;
		     it < seq->data.sequence.items.top; it++)
			if (read_fact_name(l, node_at(l, *it), i++))
				return -1;
	}
	r->nr_facts = nr;
	for (f = i = 0; f < l->nr_files; f++) {
		if (!(seq = file_key(l, f, TOP_FACTS)))
			continue;
		for (it = seq->data.sequence.items.start;
		     it < seq->data.sequence.items.top; it++) {
			struct kv kv[FACT_NR];
			fact_mask direct;

			if (read_fields(l, node_at(l, *it), "in fact",
					fact_fields, FACT_NR, kv) ||
			    read_fact_list(l, kv[FACT_IMPLIES].value,
					   "implies", &direct))
				return -1;
			r->facts[i++].implies |= direct;
		}
	}
	close_implies(r);
	return 0;
}

/* ---- contexts ---- */

static const char *role_text(enum rules_effect effect)
{
	switch (effect) {
	case RULES_ACQUIRE:
		return "acquire";
	case RULES_TRY_ACQUIRE:
		return "try-acquire";
	case RULES_RELEASE:
		return "release";
	case RULES_GUARD_CLASS:
		return "guard class";
	case RULES_ASSERT:
		return "assertion";
	default:
		return "entry function";
	}
}

/*
 * Give a name its one context role: effect in ctx, or (effect NONE) an
 * entry function of ctx.  A second role, or the same one twice, is an
 * error at the second.
 */
static int give_role(struct loader *l, yaml_node_t *item, struct name_entry *e,
		     const struct rules_context *ctx, enum rules_effect effect)
{
	const struct rules_context *old = e->pub.entry ? e->pub.entry
						       : e->pub.context;
	enum rules_effect old_effect = e->pub.effect;

	if (old && old == ctx && old_effect == effect)
		return error_at(l, item,
				"'%s' listed twice as %s of '%s' (first at %s)",
				e->pub.name, role_text(effect), ctx->kind,
				where(l, e->role_src, e->role_line));
	if (old)
		return error_at(l, item,
				"conflicting roles for '%s': %s of '%s' at %s, %s of '%s' here",
				e->pub.name, role_text(old_effect), old->kind,
				where(l, e->role_src, e->role_line),
				role_text(effect), ctx->kind);
	if (effect == RULES_EFFECT_NONE)
		e->pub.entry = ctx;
	else
		e->pub.context = ctx;
	e->pub.effect = effect;
	e->role_line = node_line(item);
	e->role_src = l->src;
	return 0;
}

struct role {
	const struct rules_context *ctx;
	enum rules_effect effect;
};

static int add_primitive(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct role *role = data;

	return give_role(l, item, name_entry(l->r, &l->r->names, name),
			 role->ctx, role->effect);
}

static int add_entry_function(struct loader *l, yaml_node_t *item,
			      const char *name, void *data)
{
	return give_role(l, item, name_entry(l->r, &l->r->names, name), data,
			 RULES_EFFECT_NONE);
}

/* read_guard_constructor() made sure the pattern has one "%s", no other '%'. */
static const char *guard_constructor_name(struct rules *r, const char *class)
{
	const char *pattern = r->guard_constructor;
	const char *s = strstr(pattern, "%s");

	return arena_printf(&r->arena, "%.*s%s%s", (int)(s - pattern), pattern,
			    class, s + 2);
}

static int add_guard_class(struct loader *l, yaml_node_t *item,
			   const char *name, void *data)
{
	const char *ctor = guard_constructor_name(l->r, name);
	struct name_entry *e = name_entry(l->r, &l->r->guard_ctors, ctor);

	if (e->pub.context)
		return error_at(l, item,
				"guard class '%s' listed twice (first in '%s' at %s)",
				name, e->pub.context->kind,
				where(l, e->role_src, e->role_line));
	return give_role(l, item, e, data, RULES_GUARD_CLASS);
}

/* "{lock}" and "{function}" are the only placeholders a report fills. */
static int check_placeholders(struct loader *l, yaml_node_t *node,
			      const char *key, const char *text, int lock_arg)
{
	const char *p = text;

	while ((p = strchr(p, '{'))) {
		const char *end = strchr(p, '}');
		int len;

		if (!end)
			return error_at(l, node, "unclosed '{' in '%s'", key);
		len = (int)(end - p + 1);
		if (len == 6 && !strncmp(p, "{lock}", 6)) {
			if (!lock_arg)
				return error_at(l, node,
						"'%s' uses {lock} but there is no lock-argument",
						key);
		} else if (len != 10 || strncmp(p, "{function}", 10)) {
			return error_at(l, node,
					"unknown placeholder '%.*s' in '%s'",
					len, p, key);
		}
		p = end + 1;
	}
	return 0;
}

/* Both kinds of context start with these three keys. */
enum { CTX_KIND, CTX_REACHED_WITH, CTX_ENTERED_HERE, CTX_COMMON_NR };

enum {
	CTX_LOCK_ARG = CTX_COMMON_NR,
	CTX_ACQUIRE, CTX_TRY_ACQUIRE, CTX_RELEASE, CTX_GUARD_CLASSES,
	CTX_ASSERTS, CTX_LOCK_TYPES, CTX_NR
};
static const struct field context_fields[CTX_NR] = {
	[CTX_KIND] = { "kind", 1 },
	[CTX_REACHED_WITH] = { "reached-with", 1 },
	[CTX_ENTERED_HERE] = { "entered-here", 1 },
	[CTX_LOCK_ARG] = { "lock-argument", 0 },
	[CTX_ACQUIRE] = { "acquire", 0 },
	[CTX_TRY_ACQUIRE] = { "try-acquire", 0 },
	[CTX_RELEASE] = { "release", 0 },
	[CTX_GUARD_CLASSES] = { "guard-classes", 0 },
	[CTX_ASSERTS] = { "asserts", 0 },
	[CTX_LOCK_TYPES] = { "lock-types", 0 },
};

enum { ENTRY_FUNCTIONS = CTX_COMMON_NR, ENTRY_NR };
static const struct field entry_fields[ENTRY_NR] = {
	[CTX_KIND] = { "kind", 1 },
	[CTX_REACHED_WITH] = { "reached-with", 1 },
	[CTX_ENTERED_HERE] = { "entered-here", 1 },
	[ENTRY_FUNCTIONS] = { "functions", 0 },
};

/* Allocate contexts[index] and fill what all contexts have. */
static struct rules_context *new_context(struct loader *l, yaml_node_t *map,
					 struct kv *kv, int index, int lock_arg)
{
	struct rules *r = l->r;
	struct rules_context *ctx = arena_alloc(&r->arena, sizeof(*ctx));
	int i;

	if (read_word(l, kv[CTX_KIND].value, "kind", &ctx->kind))
		return NULL;
	for (i = 0; i < index; i++) {
		if (!strcmp(r->contexts[i]->kind, ctx->kind)) {
			error_at(l, kv[CTX_KIND].value,
				 "duplicate context kind '%s' (first at %s)",
				 ctx->kind, where(l, l->context_src[i],
						  r->contexts[i]->line));
			return NULL;
		}
	}
	if (read_string(l, kv[CTX_REACHED_WITH].value, "reached-with",
			&ctx->reached_with) ||
	    check_placeholders(l, kv[CTX_REACHED_WITH].value, "reached-with",
			       ctx->reached_with, lock_arg) ||
	    read_string(l, kv[CTX_ENTERED_HERE].value, "entered-here",
			&ctx->entered_here) ||
	    check_placeholders(l, kv[CTX_ENTERED_HERE].value, "entered-here",
			       ctx->entered_here, lock_arg))
		return NULL;
	ctx->lock_arg = lock_arg;
	ctx->index = index;
	ctx->line = node_line(map);
	l->context_src[index] = l->src;
	r->contexts[index] = ctx;
	r->nr_contexts = index + 1;
	return ctx;
}

static int add_lock_type(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct name_entry *e = name_entry(l->r, &l->r->names, name);

	if (e->pub.lock_type)
		return error_at(l, item, "lock type '%s' listed twice", name);
	e->pub.lock_type = data;
	return 0;
}

static int read_context(struct loader *l, yaml_node_t *map, int index)
{
	struct kv kv[CTX_NR];
	struct rules_context *ctx;
	struct role role;
	int lock_arg = 0;

	if (expect_mapping(l, map, "a context") ||
	    read_fields(l, map, "in context", context_fields, CTX_NR, kv))
		return -1;
	if (kv[CTX_LOCK_ARG].value) {
		if (read_int(l, kv[CTX_LOCK_ARG].value, "lock-argument",
			     &lock_arg))
			return -1;
		if (lock_arg < 0)
			return error_at(l, kv[CTX_LOCK_ARG].value,
					"lock-argument must be 0 or more, not %d",
					lock_arg);
	}
	ctx = new_context(l, map, kv, index, lock_arg);
	if (!ctx)
		return -1;

	role.ctx = ctx;
	role.effect = RULES_ACQUIRE;
	if (for_each_name(l, kv[CTX_ACQUIRE].value, "acquire", 1,
			  add_primitive, &role))
		return -1;
	role.effect = RULES_TRY_ACQUIRE;
	if (for_each_name(l, kv[CTX_TRY_ACQUIRE].value, "try-acquire", 1,
			  add_primitive, &role))
		return -1;
	role.effect = RULES_RELEASE;
	if (for_each_name(l, kv[CTX_RELEASE].value, "release", 1,
			  add_primitive, &role))
		return -1;
	role.effect = RULES_ASSERT;
	if (for_each_name(l, kv[CTX_ASSERTS].value, "asserts", 1,
			  add_primitive, &role) ||
	    for_each_name(l, kv[CTX_LOCK_TYPES].value, "lock-types", 1,
			  add_lock_type, ctx))
		return -1;

	if (!kv[CTX_GUARD_CLASSES].key)
		return 0;
	if (!l->r->guard_constructor)
		return error_at(l, kv[CTX_GUARD_CLASSES].key,
				"guard-classes needs a top-level guard-constructor");
	return for_each_name(l, kv[CTX_GUARD_CLASSES].value, "guard-classes",
			     1, add_guard_class, ctx);
}

static int read_entry_context(struct loader *l, yaml_node_t *map, int index)
{
	struct kv kv[ENTRY_NR];
	struct rules_context *ctx;

	if (expect_mapping(l, map, "an entry context") ||
	    read_fields(l, map, "in entry context", entry_fields, ENTRY_NR, kv))
		return -1;
	ctx = new_context(l, map, kv, index, 0);
	if (!ctx)
		return -1;
	ctx->is_entry = 1;
	return for_each_name(l, kv[ENTRY_FUNCTIONS].value, "functions", 1,
			     add_entry_function, ctx);
}

/* Add to *nr the length of the sequence under key in every file. */
static int count_items(struct loader *l, int top_key, const char *key,
		       int *nr)
{
	yaml_node_t *seq;
	int f;

	for (f = 0; f < l->nr_files; f++) {
		if (!(seq = file_key(l, f, top_key)))
			continue;
		if (expect_sequence(l, seq, key))
			return -1;
		*nr += sequence_length(seq);
	}
	return 0;
}

/*
 * Atomic contexts of all files, then entry contexts of all files, all in
 * r->contexts.
 */
static int read_contexts(struct loader *l)
{
	struct rules *r = l->r;
	yaml_node_item_t *it;
	yaml_node_t *seq;
	int nr = 0, f, i = 0;

	if (count_items(l, TOP_CONTEXTS, "contexts", &nr) ||
	    count_items(l, TOP_ENTRY_CONTEXTS, "entry-contexts", &nr))
		return -1;
	r->contexts = arena_alloc(&r->arena, nr * sizeof(*r->contexts));
	l->context_src = xcalloc(nr ? nr : 1, sizeof(*l->context_src));
	for (f = 0; f < l->nr_files; f++) {
		if (!(seq = file_key(l, f, TOP_CONTEXTS)))
			continue;
		for (it = seq->data.sequence.items.start;
		     it < seq->data.sequence.items.top; it++)
			if (read_context(l, node_at(l, *it), i++))
				return -1;
	}
	for (f = 0; f < l->nr_files; f++) {
		if (!(seq = file_key(l, f, TOP_ENTRY_CONTEXTS)))
			continue;
		for (it = seq->data.sequence.items.start;
		     it < seq->data.sequence.items.top; it++)
			if (read_entry_context(l, node_at(l, *it), i++))
				return -1;
	}
	return 0;
}

/* ---- sleepers ---- */

static int add_sleeper(struct loader *l, yaml_node_t *item, const char *name,
		       void *data)
{
	struct name_entry *e = name_entry(l->r, &l->r->names, name);

	(void)data;
	if (e->pub.sleeper)
		return error_at(l, item,
				"'%s' listed twice in sleepers (first at %s)",
				name, where(l, e->sleeper_src, e->sleeper_line));
	e->pub.sleeper = 1;
	e->sleeper_line = node_line(item);
	e->sleeper_src = l->src;
	return 0;
}

static int add_gfp_flag(struct loader *l, yaml_node_t *item, const char *name,
			void *data)
{
	struct name_entry *e = name_entry(l->r, &l->r->names, name);

	(void)data;
	if (e->pub.gfp_sleep_flag)
		return error_at(l, item,
				"'%s' listed twice in gfp-flags (first at %s)",
				name, where(l, e->gfp_src, e->gfp_line));
	e->pub.gfp_sleep_flag = 1;
	e->gfp_line = node_line(item);
	e->gfp_src = l->src;
	return 0;
}

enum { SLEEP_FUNCTIONS, SLEEP_GFP_TYPE, SLEEP_GFP_FLAGS, SLEEP_NR };
static const struct field sleeper_fields[SLEEP_NR] = {
	[SLEEP_FUNCTIONS] = { "functions", 0 },
	[SLEEP_GFP_TYPE] = { "gfp-type", 0 },
	[SLEEP_GFP_FLAGS] = { "gfp-flags", 0 },
};

/*
 * A scalar setting that any file may give, if all that do give the same
 * value: the first one found is kept, with where it was.
 */
static int set_once(struct loader *l, yaml_node_t *node, const char *key,
		    const char *value, const char **setting,
		    const struct source **src, int *line)
{
	if (*setting && strcmp(*setting, value))
		return error_at(l, node,
				"conflicting values for '%s': '%s' at %s, '%s' here",
				key, *setting, where(l, *src, *line), value);
	if (!*setting) {
		*setting = value;
		*src = l->src;
		*line = node_line(node);
	}
	return 0;
}

static int read_sleepers(struct loader *l, yaml_node_t *map)
{
	struct kv kv[SLEEP_NR];
	const char *gfp_type;

	if (!map)
		return 0;
	if (expect_mapping(l, map, "'sleepers'") ||
	    read_fields(l, map, "in sleepers", sleeper_fields, SLEEP_NR, kv))
		return -1;
	if (kv[SLEEP_GFP_TYPE].value &&
	    (read_string(l, kv[SLEEP_GFP_TYPE].value, "gfp-type", &gfp_type) ||
	     set_once(l, kv[SLEEP_GFP_TYPE].value, "gfp-type", gfp_type,
		      &l->r->gfp_type, &l->gfp_type_src, &l->gfp_type_line)))
		return -1;
	if (for_each_name(l, kv[SLEEP_FUNCTIONS].value, "functions", 1,
			  add_sleeper, NULL) ||
	    for_each_name(l, kv[SLEEP_GFP_FLAGS].value, "gfp-flags", 1,
			  add_gfp_flag, NULL))
		return -1;
	return 0;
}

/* ---- establish, predicates, sinks ---- */

/* The items of a list section in all files, each a mapping read by fn. */
static int read_list(struct loader *l, int top_key, const char *key,
		     const char *what, void **array, int *nr, size_t size,
		     int (*fn)(struct loader *, yaml_node_t *, void *))
{
	yaml_node_item_t *it;
	yaml_node_t *seq;
	int f, i = 0, len = 0;

	if (count_items(l, top_key, key, &len))
		return -1;
	if (!len)
		return 0;
	*array = arena_alloc(&l->r->arena, len * size);
	for (f = 0; f < l->nr_files; f++) {
		if (!(seq = file_key(l, f, top_key)))
			continue;
		for (it = seq->data.sequence.items.start;
		     it < seq->data.sequence.items.top; it++) {
			yaml_node_t *map = node_at(l, *it);

			if (expect_mapping(l, map, what) ||
			    fn(l, map, (char *)*array + i * size))
				return -1;
			*nr = ++i;
		}
	}
	return 0;
}

/* The name entry for a function a section is about. */
static int read_function(struct loader *l, yaml_node_t *node, const char *key,
			 struct name_entry **out)
{
	const char *name;

	if (check_scalar(l, node, "a name", key))
		return -1;
	name = scalar_text(node);
	if (!is_identifier(name))
		return error_at(l, node, "'%s' in '%s' is not a C identifier",
				name, key);
	*out = name_entry(l->r, &l->r->names, name);
	return 0;
}

enum { EST_FUNCTION, EST_FACTS, EST_BECAUSE, EST_NR };
static const struct field establish_fields[EST_NR] = {
	[EST_FUNCTION] = { "function", 1 },
	[EST_FACTS] = { "facts", 1 },
	[EST_BECAUSE] = { "because", 0 },
};

static int read_establish(struct loader *l, yaml_node_t *map, void *item)
{
	struct rules_establish *est = item;
	struct name_entry *e;
	struct kv kv[EST_NR];

	if (read_fields(l, map, "in establish", establish_fields, EST_NR, kv) ||
	    read_function(l, kv[EST_FUNCTION].value, "function", &e))
		return -1;
	if (e->pub.establish)
		return error_at(l, kv[EST_FUNCTION].value,
				"duplicate establish for '%s' (first at %s)",
				e->pub.name, where(l, e->establish_src,
						   e->pub.establish->line));
	if (read_fact_list(l, kv[EST_FACTS].value, "facts", &est->facts) ||
	    (kv[EST_BECAUSE].value &&
	     read_string(l, kv[EST_BECAUSE].value, "because", &est->because)))
		return -1;
	est->function = e->pub.name;
	est->facts = close_facts(l->r, est->facts);
	est->line = node_line(map);
	e->pub.establish = est;
	e->establish_src = l->src;
	return 0;
}

enum { PRED_NAME, PRED_WHEN_TRUE, PRED_WHEN_FALSE, PRED_NR };
static const struct field predicate_fields[PRED_NR] = {
	[PRED_NAME] = { "name", 1 },
	[PRED_WHEN_TRUE] = { "when-true", 0 },
	[PRED_WHEN_FALSE] = { "when-false", 0 },
};

static int read_predicate(struct loader *l, yaml_node_t *map, void *item)
{
	struct rules_predicate *pred = item;
	struct name_entry *e;
	struct kv kv[PRED_NR];

	if (read_fields(l, map, "in predicate", predicate_fields, PRED_NR, kv) ||
	    read_function(l, kv[PRED_NAME].value, "name", &e))
		return -1;
	if (e->pub.predicate)
		return error_at(l, kv[PRED_NAME].value,
				"duplicate predicate '%s' (first at %s)",
				e->pub.name, where(l, e->predicate_src,
						   e->pub.predicate->line));
	if (!kv[PRED_WHEN_TRUE].key && !kv[PRED_WHEN_FALSE].key)
		return error_at(l, map,
				"predicate '%s' needs when-true or when-false",
				e->pub.name);
	if (read_fact_list(l, kv[PRED_WHEN_TRUE].value, "when-true",
			   &pred->when_true) ||
	    read_fact_list(l, kv[PRED_WHEN_FALSE].value, "when-false",
			   &pred->when_false))
		return -1;
	pred->name = e->pub.name;
	pred->when_true = close_facts(l->r, pred->when_true);
	pred->when_false = close_facts(l->r, pred->when_false);
	pred->line = node_line(map);
	e->pub.predicate = pred;
	e->predicate_src = l->src;
	return 0;
}

static int read_phase_list(struct loader *l, yaml_node_t *seq, const char *key,
			   phase_mask *out);

static int add_sleeps_at(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct rules_sink *sink = data;
	struct name_entry *e = name_entry(l->r, &l->r->names, name);
	int i;

	for (i = 0; i < sink->nr_sleeps_at; i++)
		if (sink->sleeps_at[i] == e->pub.name)
			return error_at(l, item, "'%s' listed twice in sleeps-at",
					name);
	e->pub.sleeps_at = 1;
	sink->sleeps_at[sink->nr_sleeps_at++] = e->pub.name;
	return 0;
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

static int read_sink(struct loader *l, yaml_node_t *map, void *item)
{
	struct rules_sink *sink = item;
	struct name_entry *e;
	struct kv kv[SINK_NR];
	yaml_node_t *sleeps_at;

	if (read_fields(l, map, "in sink", sink_fields, SINK_NR, kv) ||
	    read_function(l, kv[SINK_FUNCTION].value, "function", &e))
		return -1;
	if (e->pub.sink)
		return error_at(l, kv[SINK_FUNCTION].value,
				"duplicate sink '%s' (first at %s)",
				e->pub.name, where(l, e->sink_src, e->pub.sink->line));
	if (read_string(l, kv[SINK_WHY].value, "why", &sink->why))
		return -1;
	sleeps_at = kv[SINK_SLEEPS_AT].value;
	if (sleeps_at) {
		if (expect_sequence(l, sleeps_at, "sleeps-at"))
			return -1;
		sink->sleeps_at = arena_alloc(&l->r->arena,
					      sequence_length(sleeps_at) *
					      sizeof(*sink->sleeps_at));
		if (for_each_name(l, sleeps_at, "sleeps-at", 1, add_sleeps_at,
				  sink))
			return -1;
	}
	if (read_fact_list(l, kv[SINK_SAFE_WHEN].value, "safe-when",
			   &sink->safe_when) ||
	    read_phase_list(l, kv[SINK_BOOT_FORBIDDEN].value, "boot-forbidden",
			    &sink->boot_forbidden))
		return -1;
	sink->function = e->pub.name;
	sink->line = node_line(map);
	e->pub.sink = sink;
	e->sink_src = l->src;
	return 0;
}


/* ---- boot phases ---- */

static int add_phase_to_mask(struct loader *l, yaml_node_t *item,
			     const char *name, void *data)
{
	int index = rules_phase_index(l->r, name);

	if (index < 0)
		return error_at(l, item, "unknown boot phase '%s'", name);
	*(phase_mask *)data |= (phase_mask)(1u << index);
	return 0;
}

static int read_phase_list(struct loader *l, yaml_node_t *seq, const char *key,
			   phase_mask *out)
{
	*out = 0;
	if (seq && !l->r->boot.nr_phases)
		return error_at(l, seq, "'%s' needs the boot phases (boot: phases:)",
				key);
	return for_each_name(l, seq, key, 0, add_phase_to_mask, out);
}

static int read_phase(struct loader *l, yaml_node_t *node, const char *key,
		      int *out)
{
	const char *name;

	if (check_scalar(l, node, "a boot phase", key))
		return -1;
	name = scalar_text(node);
	*out = rules_phase_index(l->r, name);
	if (*out < 0)
		return error_at(l, node, "unknown boot phase '%s'", name);
	return 0;
}

enum { PHASE_NAME, PHASE_MEANS, PHASE_REACHED, PHASE_NR };
static const struct field phase_fields[PHASE_NR] = {
	[PHASE_NAME] = { "name", 1 },
	[PHASE_MEANS] = { "means", 1 },
	[PHASE_REACHED] = { "reached", 0 },
};

static int read_phases(struct loader *l, yaml_node_t *seq)
{
	struct rules_boot *b = &l->r->boot;
	yaml_node_item_t *it;
	int n;

	if (expect_sequence(l, seq, "phases"))
		return -1;
	n = sequence_length(seq);
	if (n < 2 || n > RULES_MAX_PHASES)
		return error_at(l, seq, "expected 2 to %d boot phases, found %d",
				RULES_MAX_PHASES, n);
	b->phases = arena_alloc(&l->r->arena, n * sizeof(*b->phases));
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *map = node_at(l, *it);
		struct rules_phase *ph = &b->phases[b->nr_phases];
		struct kv kv[PHASE_NR];

		if (expect_mapping(l, map, "a boot phase") ||
		    read_fields(l, map, "in boot phase", phase_fields,
				PHASE_NR, kv) ||
		    read_word(l, kv[PHASE_NAME].value, "name", &ph->name) ||
		    read_string(l, kv[PHASE_MEANS].value, "means", &ph->means) ||
		    (kv[PHASE_REACHED].value &&
		     read_string(l, kv[PHASE_REACHED].value, "reached",
				 &ph->reached)))
			return -1;
		if (!ph->reached)
			ph->reached = arena_printf(&l->r->arena,
						   "in boot phase '%s'", ph->name);
		if (rules_phase_index(l->r, ph->name) >= 0)
			return error_at(l, kv[PHASE_NAME].value,
					"duplicate boot phase '%s'", ph->name);
		ph->line = node_line(map);
		b->nr_phases++;
	}
	return 0;
}

enum { ROOT_FUNCTION, ROOT_PHASES, ROOT_NR };
static const struct field root_fields[ROOT_NR] = {
	[ROOT_FUNCTION] = { "function", 1 },
	[ROOT_PHASES] = { "phases", 1 },
};

static int read_root(struct loader *l, yaml_node_t *map, void *item)
{
	struct rules_boot_root *root = item;
	struct name_entry *e;
	struct kv kv[ROOT_NR];

	if (read_fields(l, map, "in boot root", root_fields, ROOT_NR, kv) ||
	    read_function(l, kv[ROOT_FUNCTION].value, "function", &e))
		return -1;
	if (e->pub.boot_root)
		return error_at(l, kv[ROOT_FUNCTION].value,
				"duplicate boot root '%s' (first at %s)",
				e->pub.name, where(l, e->root_src,
						   e->pub.boot_root->line));
	if (read_phase_list(l, kv[ROOT_PHASES].value, "phases", &root->phases))
		return -1;
	if (!root->phases)
		return error_at(l, kv[ROOT_PHASES].value,
				"boot root '%s' needs at least one phase",
				e->pub.name);
	root->function = e->pub.name;
	root->line = node_line(map);
	e->pub.boot_root = root;
	e->root_src = l->src;
	return 0;
}

enum { TRANS_FUNCTION, TRANS_ENTERS, TRANS_AFTER, TRANS_NR };
static const struct field transition_fields[TRANS_NR] = {
	[TRANS_FUNCTION] = { "function", 1 },
	[TRANS_ENTERS] = { "enters", 0 },
	[TRANS_AFTER] = { "after", 0 },
};

static int read_transition(struct loader *l, yaml_node_t *map, void *item)
{
	struct rules_transition *t = item;
	struct name_entry *e;
	struct kv kv[TRANS_NR];
	int enters;

	if (read_fields(l, map, "in transition", transition_fields,
			TRANS_NR, kv) ||
	    read_function(l, kv[TRANS_FUNCTION].value, "function", &e))
		return -1;
	if (e->pub.transition)
		return error_at(l, kv[TRANS_FUNCTION].value,
				"duplicate transition '%s' (first at %s)",
				e->pub.name, where(l, e->transition_src,
						   e->pub.transition->line));
	enters = kv[TRANS_ENTERS].key != NULL;
	if (enters && kv[TRANS_AFTER].key)
		return error_at(l, kv[TRANS_AFTER].key,
				"transition '%s' has both 'enters' and 'after'",
				e->pub.name);
	if (!enters && !kv[TRANS_AFTER].key)
		return error_at(l, map,
				"transition '%s' needs one of 'enters' or 'after'",
				e->pub.name);
	if (read_phase(l, enters ? kv[TRANS_ENTERS].value : kv[TRANS_AFTER].value,
		       enters ? "enters" : "after", &t->phase))
		return -1;
	t->function = e->pub.name;
	t->enters = enters;
	t->line = node_line(map);
	e->pub.transition = t;
	e->transition_src = l->src;
	return 0;
}

enum { IDLE_FUNCTION, IDLE_PHASES, IDLE_BECAUSE, IDLE_NR };
static const struct field idle_fields[IDLE_NR] = {
	[IDLE_FUNCTION] = { "function", 1 },
	[IDLE_PHASES] = { "phases", 1 },
	[IDLE_BECAUSE] = { "because", 1 },
};

static int read_idle(struct loader *l, yaml_node_t *map, void *item)
{
	struct rules_idle *d = item;
	struct name_entry *e;
	struct kv kv[IDLE_NR];

	if (read_fields(l, map, "in idle", idle_fields, IDLE_NR, kv) ||
	    read_function(l, kv[IDLE_FUNCTION].value, "function", &e) ||
	    read_phase_list(l, kv[IDLE_PHASES].value, "phases", &d->phases) ||
	    read_string(l, kv[IDLE_BECAUSE].value, "because", &d->because))
		return -1;
	if (e->pub.idle)
		return error_at(l, kv[IDLE_FUNCTION].value,
				"'%s' is idle twice", e->pub.name);
	d->function = e->pub.name;
	d->line = node_line(map);
	e->pub.idle = d;
	return 0;
}

enum {
	BPRED_NAME, BPRED_COMPARE, BPRED_TRUE_IN, BPRED_FALSE_IN,
	BPRED_LEAKY_IN, BPRED_LEAK, BPRED_MISLEADING, BPRED_NR
};
static const struct field boot_pred_fields[BPRED_NR] = {
	[BPRED_NAME] = { "name", 1 },
	[BPRED_COMPARE] = { "compare", 0 },
	[BPRED_TRUE_IN] = { "true-in", 0 },
	[BPRED_FALSE_IN] = { "false-in", 0 },
	[BPRED_LEAKY_IN] = { "leaky-in", 0 },
	[BPRED_LEAK] = { "leak", 0 },
	[BPRED_MISLEADING] = { "misleading", 0 },
};

/* "> 1", ">= 2", "== 0", "!= 0", "< 2", "<= 1": an operator and a number. */
static int valid_compare(const char *s)
{
	static const char *ops[] = { ">=", "<=", "==", "!=", ">", "<" };
	char *end;
	size_t i, n;

	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++) {
		n = strlen(ops[i]);
		if (strncmp(s, ops[i], n) || s[n] != ' ')
			continue;
		if (!isdigit((unsigned char)s[n + 1]))
			return 0;
		strtol(s + n + 1, &end, 10);
		return !*end;
	}
	return 0;
}

static int read_boot_pred(struct loader *l, yaml_node_t *map, void *item)
{
	struct rules_boot_pred *p = item;
	struct name_entry *e;
	struct kv kv[BPRED_NR];

	if (read_fields(l, map, "in boot predicate", boot_pred_fields,
			BPRED_NR, kv) ||
	    read_function(l, kv[BPRED_NAME].value, "name", &e))
		return -1;
	if (e->pub.boot_pred)
		return error_at(l, kv[BPRED_NAME].value,
				"duplicate boot predicate '%s' (first at %s)",
				e->pub.name, where(l, e->boot_pred_src,
						   e->pub.boot_pred->line));
	if (read_phase_list(l, kv[BPRED_TRUE_IN].value, "true-in", &p->true_in) ||
	    read_phase_list(l, kv[BPRED_FALSE_IN].value, "false-in", &p->false_in) ||
	    read_phase_list(l, kv[BPRED_LEAKY_IN].value, "leaky-in", &p->leaky_in) ||
	    (kv[BPRED_COMPARE].value &&
	     read_string(l, kv[BPRED_COMPARE].value, "compare", &p->compare)) ||
	    (kv[BPRED_LEAK].value &&
	     read_string(l, kv[BPRED_LEAK].value, "leak", &p->leak)) ||
	    (kv[BPRED_MISLEADING].value &&
	     read_string(l, kv[BPRED_MISLEADING].value, "misleading",
			 &p->misleading)))
		return -1;
	if (p->compare && !valid_compare(p->compare))
		return error_at(l, kv[BPRED_COMPARE].value,
				"compare must be an operator and a number, as in '> 1'");
	if ((p->true_in & p->false_in) || (p->leaky_in & (p->true_in | p->false_in)))
		return error_at(l, map,
				"boot predicate '%s' has two values in one phase",
				e->pub.name);
	if (!p->true_in && !p->false_in && !p->leaky_in)
		return error_at(l, map,
				"boot predicate '%s' needs true-in, false-in or leaky-in",
				e->pub.name);
	if (!p->leaky_in != !p->leak)
		return error_at(l, map,
				"boot predicate '%s': leaky-in and leak go together",
				e->pub.name);
	p->name = e->pub.name;
	p->line = node_line(map);
	e->pub.boot_pred = p;
	e->boot_pred_src = l->src;
	return 0;
}

static int add_boot_only(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct name_entry *e = name_entry(l->r, &l->r->names, name);

	if (e->pub.boot_only)
		return error_at(l, item, "'%s' listed twice in boot-only (first at %s)",
				name, where(l, e->boot_only_src, e->boot_only_line));
	e->pub.boot_only = 1;
	e->boot_only_src = l->src;
	e->boot_only_line = node_line(item);
	return 0;
}

static int add_assertion(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct name_entry *e = name_entry(l->r, &l->r->names, name);

	(void)data;
	if (e->pub.assertion)
		return error_at(l, item, "'%s' listed twice in assertions", name);
	e->pub.assertion = 1;
	return 0;
}

/* The items of one sequence, each a mapping read by fn into an array. */
static int read_items(struct loader *l, yaml_node_t *seq, const char *key,
		      const char *what, void **array, int *nr, size_t size,
		      int (*fn)(struct loader *, yaml_node_t *, void *))
{
	yaml_node_item_t *it;

	if (!seq)
		return 0;
	if (expect_sequence(l, seq, key))
		return -1;
	*array = arena_alloc(&l->r->arena, (sequence_length(seq) + 1) * size);
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *map = node_at(l, *it);

		if (expect_mapping(l, map, what) ||
		    fn(l, map, (char *)*array + *nr * size))
			return -1;
		(*nr)++;
	}
	return 0;
}

enum {
	BOOT_PHASES, BOOT_ROOTS, BOOT_TRANSITIONS, BOOT_PREDICATES,
	BOOT_EXEMPT, BOOT_ONLY, BOOT_ASSERTIONS, BOOT_IDLE, BOOT_NR
};
static const struct field boot_fields[BOOT_NR] = {
	[BOOT_PHASES] = { "phases", 1 },
	[BOOT_ROOTS] = { "roots", 0 },
	[BOOT_TRANSITIONS] = { "transitions", 0 },
	[BOOT_PREDICATES] = { "predicates", 0 },
	[BOOT_EXEMPT] = { "atomic-exempt", 0 },
	[BOOT_ONLY] = { "boot-only", 0 },
	[BOOT_ASSERTIONS] = { "assertions", 0 },
	[BOOT_IDLE] = { "idle", 0 },
};

enum { EXEMPT_PHASES, EXEMPT_BECAUSE, EXEMPT_NR };
static const struct field exempt_fields[EXEMPT_NR] = {
	[EXEMPT_PHASES] = { "phases", 1 },
	[EXEMPT_BECAUSE] = { "because", 1 },
};

static int read_exempt(struct loader *l, yaml_node_t *map)
{
	struct rules_boot *b = &l->r->boot;
	struct kv kv[EXEMPT_NR];

	if (!map)
		return 0;
	if (expect_mapping(l, map, "'atomic-exempt'") ||
	    read_fields(l, map, "in atomic-exempt", exempt_fields, EXEMPT_NR, kv) ||
	    read_phase_list(l, kv[EXEMPT_PHASES].value, "phases", &b->exempt) ||
	    read_string(l, kv[EXEMPT_BECAUSE].value, "because",
			&b->exempt_because))
		return -1;
	if (b->exempt & (1u << (b->nr_phases - 1)))
		return error_at(l, kv[EXEMPT_PHASES].value,
				"the run-time phase '%s' cannot be exempt",
				b->phases[b->nr_phases - 1].name);
	return 0;
}

/* The boot model: one file gives it whole. */
static int read_boot(struct loader *l)
{
	struct rules_boot *b = &l->r->boot;
	const struct source *first = NULL;
	yaml_node_t *map = NULL, *node;
	struct kv kv[BOOT_NR];
	int f;

	for (f = 0; f < l->nr_files; f++) {
		if (!(node = file_key(l, f, TOP_BOOT)))
			continue;
		if (map)
			return error_at(l, node,
					"'boot' given twice (first in %s)",
					first->path);
		map = node;
		first = l->src;
	}
	if (!map)
		return 0;
	l->src = (struct source *)first;
	b->line = node_line(map);
	if (expect_mapping(l, map, "'boot'") ||
	    read_fields(l, map, "in boot", boot_fields, BOOT_NR, kv) ||
	    read_phases(l, kv[BOOT_PHASES].value) ||
	    read_items(l, kv[BOOT_ROOTS].value, "roots", "a boot root",
		       (void **)&b->roots, &b->nr_roots, sizeof(*b->roots),
		       read_root) ||
	    read_items(l, kv[BOOT_TRANSITIONS].value, "transitions",
		       "a transition", (void **)&b->transitions,
		       &b->nr_transitions, sizeof(*b->transitions),
		       read_transition) ||
	    read_items(l, kv[BOOT_PREDICATES].value, "predicates",
		       "a boot predicate", (void **)&b->preds, &b->nr_preds,
		       sizeof(*b->preds), read_boot_pred) ||
	    read_items(l, kv[BOOT_IDLE].value, "idle", "an idle function",
		       (void **)&b->idle, &b->nr_idle, sizeof(*b->idle),
		       read_idle) ||
	    read_exempt(l, kv[BOOT_EXEMPT].value) ||
	    for_each_name(l, kv[BOOT_ONLY].value, "boot-only", 1,
			  add_boot_only, NULL) ||
	    for_each_name(l, kv[BOOT_ASSERTIONS].value, "assertions", 1,
			  add_assertion, NULL))
		return -1;
	return 0;
}

/* ---- registrations ---- */

enum {
	REG_FUNCTIONS, REG_MACROS, REG_FIELDS, REG_CALLBACK, REG_MATCH,
	REG_PHASES, REG_CONTEXT, REG_CONTEXT_IF, REG_AS, REG_NR
};
static const struct field registration_fields[REG_NR] = {
	[REG_FUNCTIONS] = { "functions", 0 },
	[REG_MACROS] = { "macros", 0 },
	[REG_FIELDS] = { "fields", 0 },
	[REG_CALLBACK] = { "callback", 0 },
	[REG_MATCH] = { "match", 0 },
	[REG_PHASES] = { "phases", 0 },
	[REG_CONTEXT] = { "context", 0 },
	[REG_CONTEXT_IF] = { "context-if", 0 },
	[REG_AS] = { "as", 1 },
};

enum { CIF_ARGUMENT, CIF_PATTERN, CIF_CONTEXT, CIF_NR };
static const struct field context_if_fields[CIF_NR] = {
	[CIF_ARGUMENT] = { "argument", 1 },
	[CIF_PATTERN] = { "pattern", 1 },
	[CIF_CONTEXT] = { "context", 1 },
};

enum { MATCH_ARGUMENT, MATCH_PATTERN, MATCH_NR };
static const struct field match_fields[MATCH_NR] = {
	[MATCH_ARGUMENT] = { "argument", 1 },
	[MATCH_PATTERN] = { "pattern", 1 },
};

static int add_registrar(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct rules_registration *reg = data;
	struct name_entry *e = name_entry(l->r, &l->r->names, name);

	if (e->pub.registration)
		return error_at(l, item, "'%s' registers twice (first at %s)",
				name, where(l, e->registration_src,
					    e->pub.registration->line));
	e->pub.registration = reg;
	e->registration_src = l->src;
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
	    strchr(dot + 1, '.') || !is_identifier(dot + 1))
		return error_at(l, item,
				"'%s' in 'fields' is not struct.field", name);
	memcpy(tag, name, dot - name);
	tag[dot - name] = '\0';
	if (!is_identifier(tag))
		return error_at(l, item,
				"'%s' in 'fields' is not struct.field", name);
	if (add_registrar(l, item, name, data))
		return -1;
	reg->fields[reg->nr_fields++] = rules_lookup(l->r, name)->name;
	return 0;
}

static int read_context_kind(struct loader *l, yaml_node_t *node,
			     const struct rules_context **out)
{
	const char *kind;
	int i;

	if (read_word(l, node, "context", &kind))
		return -1;
	for (i = 0; i < l->r->nr_contexts; i++)
		if (!strcmp(l->r->contexts[i]->kind, kind)) {
			*out = l->r->contexts[i];
			return 0;
		}
	return error_at(l, node, "unknown context '%s'", kind);
}

static int read_registration(struct loader *l, yaml_node_t *map, void *item)
{
	struct rules_registration *reg = item;
	struct kv kv[REG_NR], mkv[MATCH_NR];
	yaml_node_t *names;

	if (read_fields(l, map, "in registration", registration_fields,
			REG_NR, kv))
		return -1;
	if ((kv[REG_FUNCTIONS].key != NULL) + (kv[REG_MACROS].key != NULL) +
	    (kv[REG_FIELDS].key != NULL) != 1)
		return error_at(l, map,
				"a registration needs one of 'functions', 'macros' or 'fields'");
	if (kv[REG_FIELDS].key) {
		names = kv[REG_FIELDS].value;
		if (kv[REG_CALLBACK].key || kv[REG_MATCH].key)
			return error_at(l, kv[REG_CALLBACK].key ? kv[REG_CALLBACK].key :
					kv[REG_MATCH].key,
					"a field registration has no callback or match");
		if (read_string(l, kv[REG_AS].value, "as", &reg->as) ||
		    read_phase_list(l, kv[REG_PHASES].value, "phases", &reg->phases) ||
		    (kv[REG_CONTEXT].value &&
		     read_context_kind(l, kv[REG_CONTEXT].value, &reg->context)) ||
		    expect_sequence(l, names, "fields"))
			return -1;
		if (!reg->phases && !reg->context)
			return error_at(l, map, "a registration needs phases or a context");
		reg->fields = arena_alloc(&l->r->arena, (sequence_length(names) + 1) *
					  sizeof(*reg->fields));
		reg->line = node_line(map);
		if (for_each_name(l, names, "fields", 0, add_field_registrar, reg))
			return -1;
		reg->name = reg->nr_fields ? reg->fields[0] : "";
		return 0;
	}
	if (!kv[REG_CALLBACK].key)
		return error_at(l, map, "missing required key 'callback' in registration");
	reg->is_macro = kv[REG_MACROS].key != NULL;
	names = reg->is_macro ? kv[REG_MACROS].value : kv[REG_FUNCTIONS].value;
	if (read_int(l, kv[REG_CALLBACK].value, "callback", &reg->callback) ||
	    read_string(l, kv[REG_AS].value, "as", &reg->as) ||
	    read_phase_list(l, kv[REG_PHASES].value, "phases", &reg->phases) ||
	    (kv[REG_CONTEXT].value &&
	     read_context_kind(l, kv[REG_CONTEXT].value, &reg->context)))
		return -1;
	if (reg->callback < 1)
		return error_at(l, kv[REG_CALLBACK].value,
				"callback must be an argument number from 1");
	if (!reg->phases && !reg->context)
		return error_at(l, map, "a registration needs phases or a context");
	if (kv[REG_CONTEXT_IF].value) {
		yaml_node_t *m = kv[REG_CONTEXT_IF].value;
		struct kv ckv[CIF_NR];

		if (expect_mapping(l, m, "'context-if'") ||
		    read_fields(l, m, "in context-if", context_if_fields, CIF_NR, ckv) ||
		    read_int(l, ckv[CIF_ARGUMENT].value, "argument", &reg->alt_arg) ||
		    read_string(l, ckv[CIF_PATTERN].value, "pattern", &reg->alt_match) ||
		    read_context_kind(l, ckv[CIF_CONTEXT].value, &reg->alt_context))
			return -1;
		if (reg->alt_arg < 1)
			return error_at(l, ckv[CIF_ARGUMENT].value,
					"argument must be a number from 1");
	}
	if (kv[REG_MATCH].value) {
		yaml_node_t *m = kv[REG_MATCH].value;

		if (expect_mapping(l, m, "'match'") ||
		    read_fields(l, m, "in match", match_fields, MATCH_NR, mkv) ||
		    read_int(l, mkv[MATCH_ARGUMENT].value, "argument",
			     &reg->match_arg) ||
		    read_string(l, mkv[MATCH_PATTERN].value, "pattern",
				&reg->match))
			return -1;
		if (reg->match_arg < 1)
			return error_at(l, mkv[MATCH_ARGUMENT].value,
					"argument must be a number from 1");
	}
	reg->line = node_line(map);
	if (expect_sequence(l, names, reg->is_macro ? "macros" : "functions"))
		return -1;
	reg->names = arena_alloc(&l->r->arena, (sequence_length(names) + 1) *
				 sizeof(*reg->names));
	if (for_each_name(l, names, reg->is_macro ? "macros" : "functions", 1,
			  add_registrar, reg))
		return -1;
	if (sequence_length(names))
		reg->name = arena_strdup(&l->r->arena,
			scalar_text(node_at(l, names->data.sequence.items.start[0])));
	return 0;
}

/* ---- the files ---- */

static const struct field top_fields[TOP_NR] = {
	[TOP_VERSION] = { "splitsafe-rules", 1 },
	[TOP_NAME] = { "name", 0 },
	[TOP_INCLUDE] = { "include", 0 },
	[TOP_GUARD_CONSTRUCTOR] = { "guard-constructor", 0 },
	[TOP_CONTEXTS] = { "contexts", 0 },
	[TOP_ENTRY_CONTEXTS] = { "entry-contexts", 0 },
	[TOP_SLEEPERS] = { "sleepers", 0 },
	[TOP_FACTS] = { "facts", 0 },
	[TOP_ESTABLISH] = { "establish", 0 },
	[TOP_PREDICATES] = { "predicates", 0 },
	[TOP_SINKS] = { "sinks", 0 },
	[TOP_BOOT] = { "boot", 0 },
	[TOP_REGISTRATIONS] = { "registrations", 0 },
	[TOP_HELD_ASSERTS] = { "held-asserts", 0 },
	[TOP_HELD_ANNOTATIONS] = { "held-annotations", 0 },
};

/* Checked before anything else: a newer file fails on its version. */
static int check_version(struct loader *l, yaml_node_t *root)
{
	yaml_node_pair_t *pair;
	int version;

	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = node_at(l, pair->key);
		yaml_node_t *value = node_at(l, pair->value);

		if (key->type != YAML_SCALAR_NODE ||
		    strcmp(scalar_text(key), "splitsafe-rules"))
			continue;
		if (read_int(l, value, "splitsafe-rules", &version))
			return -1;
		if (version != 1)
			return error_at(l, value,
					"unsupported rules version %d (expected 1)",
					version);
		return 0;
	}
	return error_at(l, root,
			"missing required key 'splitsafe-rules' at top level");
}

/* The top file's name if it has one, else the first one given. */
static int read_name(struct loader *l)
{
	const char *name;
	yaml_node_t *node;
	int f;

	for (f = 0; f < l->nr_files; f++) {
		if (!(node = file_key(l, f, TOP_NAME)))
			continue;
		if (read_string(l, node, "name", &name))
			return -1;
		if (!l->r->name || f == l->nr_files - 1)
			l->r->name = name;
	}
	return 0;
}

static int read_guard_constructor(struct loader *l, yaml_node_t *node)
{
	const char *pattern, *s;

	if (!node)
		return 0;
	if (read_string(l, node, "guard-constructor", &pattern))
		return -1;
	s = strstr(pattern, "%s");
	if (!s || strchr(pattern, '%') != s || strchr(s + 2, '%'))
		return error_at(l, node,
				"guard-constructor must contain '%%s' once and no other '%%'");
	return set_once(l, node, "guard-constructor", pattern,
			&l->r->guard_constructor, &l->guard_src, &l->guard_line);
}

static int add_held(struct loader *l, yaml_node_t *item, const char *name,
		    void *data)
{
	struct name_entry *e = name_entry(l->r, &l->r->names, name);

	if (data)
		e->pub.held_annotation = 1;
	else
		e->pub.held_assert = 1;
	return 0;
}

/* Names that say a lock (their argument) is held: asserts in a body,
 * annotations on a function. */
static int read_held(struct loader *l)
{
	int f;

	for (f = 0; f < l->nr_files; f++) {
		if (for_each_name(l, file_key(l, f, TOP_HELD_ASSERTS),
				  "held-asserts", 1, add_held, NULL) ||
		    for_each_name(l, file_key(l, f, TOP_HELD_ANNOTATIONS),
				  "held-annotations", 1, add_held, l))
			return -1;
	}
	return 0;
}

/* The schema, section by section, over all the files in content order. */
static int read_rules(struct loader *l)
{
	struct rules *r = l->r;
	int f;

	if (read_name(l))
		return -1;
	for (f = 0; f < l->nr_files; f++)
		if (read_guard_constructor(l, file_key(l, f,
						       TOP_GUARD_CONSTRUCTOR)))
			return -1;
	if (read_facts(l) || read_contexts(l) || read_held(l))
		return -1;
	for (f = 0; f < l->nr_files; f++)
		if (read_sleepers(l, file_key(l, f, TOP_SLEEPERS)))
			return -1;
	if (read_list(l, TOP_ESTABLISH, "establish", "an establish entry",
		      (void **)&r->establish, &r->nr_establish,
		      sizeof(*r->establish), read_establish) ||
	    read_list(l, TOP_PREDICATES, "predicates", "a predicate",
		      (void **)&r->predicates, &r->nr_predicates,
		      sizeof(*r->predicates), read_predicate) ||
	    read_boot(l) ||
	    read_list(l, TOP_REGISTRATIONS, "registrations", "a registration",
		      (void **)&r->registrations, &r->nr_registrations,
		      sizeof(*r->registrations), read_registration) ||
	    read_list(l, TOP_SINKS, "sinks", "a sink", (void **)&r->sinks,
		      &r->nr_sinks, sizeof(*r->sinks), read_sink))
		return -1;
	return 0;
}

/*
 * "cannot open 'x': why", placed at the include that names x, or with no
 * place for the top file.
 */
static int file_error(struct loader *l, yaml_node_t *include,
		      const char *what, const char *path, int errnum)
{
	if (!include)
		return ss_error(l->err, "%s '%s': %s", what, path,
				strerror(errnum));
	return error_at(l, include, "%s '%s': %s", what, scalar_text(include),
			strerror(errnum));
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

	if (!yaml_parser_initialize(&parser))
		return ss_error(l->err, "%s: out of memory parsing YAML",
				l->src->path);
	yaml_parser_set_input_string(&parser, (const unsigned char *)l->src->text,
				     l->src->len);
	while (!done && !ret && yaml_parser_parse(&parser, &ev)) {
		if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > RULES_MAX_DEPTH)
				ret = error_at_mark(l, ev.start_mark,
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

/* Parse the one YAML document of the file into l->src->doc. */
static int parse_yaml(struct loader *l)
{
	struct source *src = l->src;
	yaml_parser_t parser;
	yaml_document_t extra;
	int ret = 0;

	if (check_depth(l))
		return -1;
	if (!yaml_parser_initialize(&parser))
		return ss_error(l->err, "%s: out of memory parsing YAML",
				src->path);
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text,
				     src->len);
	if (!yaml_parser_load(&parser, &src->doc)) {
		ret = syntax_error(l, &parser);
		goto out;
	}
	src->have_doc = 1;
	if (!yaml_document_get_root_node(&src->doc)) {
		yaml_mark_t start = { 0, 0, 0 };

		ret = error_at_mark(l, start, "empty rules file");
		goto out;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		ret = syntax_error(l, &parser);
		goto out;
	}
	if (yaml_document_get_root_node(&extra))
		ret = error_at(l, yaml_document_get_root_node(&extra),
			       "more than one YAML document in a rules file");
	yaml_document_delete(&extra);
out:
	yaml_parser_delete(&parser);
	return ret;
}

/* The version and the keys of the file's top level, into l->src->top. */
static int read_top(struct loader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(&l->src->doc);

	if (expect_mapping(l, root, "the top level") ||
	    check_version(l, root) ||
	    read_fields(l, root, "at top level", top_fields, TOP_NR,
			l->src->top))
		return -1;
	return 0;
}

static int load_source(struct loader *l, char *path, yaml_node_t *include);

/* name relative to the directory of the file from, unless absolute. */
static char *include_path(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');

	if (name[0] == '/' || !slash)
		return xstrdup(name);
	return xasprintf("%.*s%s", (int)(slash - from + 1), from, name);
}

static int include_one(struct loader *l, yaml_node_t *node)
{
	if (check_scalar(l, node, "a file name", "include"))
		return -1;
	return load_source(l, include_path(l->src->path, scalar_text(node)),
			   node);
}

/* include: a.yaml, or include: [a.yaml, b.yaml] */
static int read_includes(struct loader *l)
{
	yaml_node_t *node = l->src->top[TOP_INCLUDE].value;
	yaml_node_item_t *it;

	if (!node)
		return 0;
	if (node->type != YAML_SEQUENCE_NODE)
		return include_one(l, node);
	for (it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++)
		if (include_one(l, node_at(l, *it)))
			return -1;
	return 0;
}

/*
 * Open, parse and check the top level of the file at path (which this
 * takes), then load what it includes, and add it to l->files after them.
 * include is the scalar that names it in l->src, or NULL for the top file.
 * A file already loaded is not loaded again; one still loading is in an
 * include cycle.
 */
static int load_source(struct loader *l, char *path, yaml_node_t *include)
{
	struct source *parent = l->src, *src;
	struct ss_err why;
	struct stat st;
	FILE *f;
	int i, ret;

	f = fopen(path, "rb");
	if (!f) {
		ret = file_error(l, include, "cannot open", path, errno);
		free(path);
		return ret;
	}
	if (fstat(fileno(f), &st)) {
		ret = file_error(l, include, "cannot read", path, errno);
		fclose(f);
		free(path);
		return ret;
	}
	for (i = 0; i < l->nr_opened; i++) {
		if (l->opened[i]->dev != st.st_dev ||
		    l->opened[i]->ino != st.st_ino)
			continue;
		fclose(f);
		free(path);
		if (l->opened[i]->loading)
			return error_at(l, include, "include cycle through '%s'",
					scalar_text(include));
		return 0;
	}

	src = xcalloc(1, sizeof(*src));
	src->path = path;
	src->dev = st.st_dev;
	src->ino = st.st_ino;
	ALLOC_GROW(l->opened, l->nr_opened + 1, l->alloc_opened);
	l->opened[l->nr_opened++] = src;
	src->text = read_stream(f, include ? scalar_text(include) : path,
				RULES_MAX_BYTES, &src->len, &why);
	fclose(f);
	if (!src->text)
		return include ? error_at(l, include, "%s", why.msg) :
				 ss_error(l->err, "%s", why.msg);

	src->loading = 1;
	l->src = src;
	ret = parse_yaml(l) || read_top(l) || read_includes(l) ? -1 : 0;
	l->src = parent;
	src->loading = 0;
	if (ret)
		return -1;
	ALLOC_GROW(l->files, l->nr_files + 1, l->alloc_files);
	l->files[l->nr_files++] = src;
	return 0;
}

static void free_source(struct source *src)
{
	if (src->have_doc)
		yaml_document_delete(&src->doc);
	free(src->text);
	free(src->path);
	free(src);
}

int rules_load(struct rules **out, const char *path, struct ss_err *err)
{
	struct loader l;
	int ret, i;

	memset(&l, 0, sizeof(l));
	l.err = err;
	l.r = xcalloc(1, sizeof(*l.r));
	l.r->path = arena_strdup(&l.r->arena, path);

	ret = load_source(&l, xstrdup(path), NULL);
	if (!ret)
		ret = read_rules(&l);
	for (i = 0; i < l.nr_opened; i++) {
		/* what the rules say is what their files say */
		l.r->digest = XXH64(l.opened[i]->text, l.opened[i]->len,
				    l.r->digest);
		free_source(l.opened[i]);
	}
	free(l.opened);
	free(l.files);
	free(l.context_src);
	if (ret) {
		rules_free(l.r);
		return -1;
	}
	*out = l.r;
	return 0;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	strmap_release(&r->names);
	strmap_release(&r->guard_ctors);
	arena_release(&r->arena);
	free(r);
}

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

int rules_fact_index(const struct rules *r, const char *name)
{
	int i;

	for (i = 0; i < r->nr_facts; i++)
		if (!strcmp(r->facts[i].name, name))
			return i;
	return -1;
}

int rules_phase_index(const struct rules *r, const char *name)
{
	int i;

	for (i = 0; i < r->boot.nr_phases; i++)
		if (!strcmp(r->boot.phases[i].name, name))
			return i;
	return -1;
}

const char *rules_phase_names(const struct rules *r, phase_mask m, char *buf,
			      size_t size)
{
	size_t used = 0;
	int i;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < r->boot.nr_phases; i++) {
		int n;

		if (!(m & (1u << i)))
			continue;
		n = snprintf(buf + used, size - used, "%s%s",
			     used ? ", " : "", r->boot.phases[i].name);
		if (n < 0 || (size_t)n >= size - used) {
			buf[used] = '\0';
			break;
		}
		used += n;
	}
	return buf;
}

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
	struct name_entry *e = name_entry(r, &r->names, name);

	e->pub.sleeper = 1;
	if (!e->pub.sink)
		append_sink(r, e, why);
}

const char *rules_fact_names(const struct rules *r, fact_mask m, char *buf,
			     size_t size)
{
	size_t used = 0;
	int i;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < r->nr_facts; i++) {
		int n;

		if (!(m & fact_bit(i)))
			continue;
		n = snprintf(buf + used, size - used, "%s%s",
			     used ? ", " : "", r->facts[i].name);
		if (n < 0 || (size_t)n >= size - used) {
			buf[used] = '\0';
			break;
		}
		used += n;
	}
	return buf;
}
