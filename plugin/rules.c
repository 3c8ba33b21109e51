/*
 * rules.c: load a rule file (YAML, see rules/arm64-split.yaml) into a
 * read-only struct rules.
 *
 * The whole file is parsed with libyaml's document API and then checked
 * against the schema one section at a time, in the order the sections
 * depend on each other: the version, the guard constructor pattern, the
 * facts (so that everything after may name them, and facts may name facts
 * declared later), the contexts and entry contexts, the sleepers, and the
 * establish, predicate and sink lists.
 *
 * Every name the rules mention gets one entry in r->names that says all
 * the rules say about it.  Guard classes are kept apart, under the name of
 * their cleanup.h constructor, in r->guard_ctors: a class is often called
 * like a lock function ("read_lock") that has a role of its own.
 *
 * The first problem found stops the load with one line
 * "path:line:col: what is wrong" (1-based) in the caller's ss_err, and
 * nothing allocated is left behind.  Nothing here prints.
 */
#include "rules.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* A name's public record, and where its roles were given, for messages. */
struct name_entry {
	struct rules_name pub;		/* first: the maps hold name_entry */
	int role_line;			/* context, entry or guard class */
	int sleeper_line;
	int gfp_line;
};

struct loader {
	const char *path;
	const char *text;		/* the file, to place reader errors */
	size_t len;
	yaml_document_t doc;
	int have_doc;
	struct rules *r;
	struct ss_err *err;
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

#define MAX_FIELDS 12

/* ---- errors ---- */

__attribute__((format(printf, 3, 0)))
static int verror_at_mark(struct loader *l, yaml_mark_t mark,
			  const char *fmt, va_list ap)
{
	char msg[768];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return ss_error(l->err, "%s:%zu:%zu: %s", l->path, mark.line + 1,
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

/* Reader errors come with a byte offset only: find its line and column. */
static yaml_mark_t mark_of_offset(const struct loader *l, size_t offset)
{
	yaml_mark_t mark = { offset, 0, 0 };
	size_t i, line_start = 0;

	if (offset > l->len)
		offset = l->len;
	for (i = 0; i < offset; i++) {
		if (l->text[i] == '\n') {
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
				l->path);
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
	return yaml_document_get_node(&l->doc, index);
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
					"duplicate fact '%s' (first at line %d)",
					fact->name, l->r->facts[i].line);
	if (kv[FACT_MEANS].value &&
	    read_string(l, kv[FACT_MEANS].value, "means", &fact->means))
		return -1;
	fact->line = node_line(map);
	fact->implies = fact_bit(index);
	return 0;
}

/* Names first, then implies, so that a fact may imply one declared later. */
static int read_facts(struct loader *l, yaml_node_t *seq)
{
	struct rules *r = l->r;
	yaml_node_item_t *start;
	int i, nr;

	if (!seq)
		return 0;
	if (expect_sequence(l, seq, "facts"))
		return -1;
	start = seq->data.sequence.items.start;
	nr = sequence_length(seq);
	if (nr > RULES_MAX_FACTS)
		return error_at(l, node_at(l, start[RULES_MAX_FACTS]),
				"too many facts (at most %d)", RULES_MAX_FACTS);
	r->facts = arena_alloc(&r->arena, nr * sizeof(*r->facts));
	for (i = 0; i < nr; i++)
		if (read_fact_name(l, node_at(l, start[i]), i))
			return -1;
	r->nr_facts = nr;
	for (i = 0; i < nr; i++) {
		struct kv kv[FACT_NR];
		fact_mask direct;

		if (read_fields(l, node_at(l, start[i]), "in fact",
				fact_fields, FACT_NR, kv) ||
		    read_fact_list(l, kv[FACT_IMPLIES].value, "implies",
				   &direct))
			return -1;
		r->facts[i].implies |= direct;
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
				"'%s' listed twice as %s of '%s' (first at line %d)",
				e->pub.name, role_text(effect), ctx->kind,
				e->role_line);
	if (old)
		return error_at(l, item,
				"conflicting roles for '%s': %s of '%s' at line %d, %s of '%s' here",
				e->pub.name, role_text(old_effect), old->kind,
				e->role_line, role_text(effect), ctx->kind);
	if (effect == RULES_EFFECT_NONE)
		e->pub.entry = ctx;
	else
		e->pub.context = ctx;
	e->pub.effect = effect;
	e->role_line = node_line(item);
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
				"guard class '%s' listed twice (first in '%s' at line %d)",
				name, e->pub.context->kind, e->role_line);
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
	CTX_ACQUIRE, CTX_TRY_ACQUIRE, CTX_RELEASE, CTX_GUARD_CLASSES, CTX_NR
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
				 "duplicate context kind '%s' (first at line %d)",
				 ctx->kind, r->contexts[i]->line);
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
	r->contexts[index] = ctx;
	r->nr_contexts = index + 1;
	return ctx;
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

/* Atomic contexts, then entry contexts, all in r->contexts. */
static int read_contexts(struct loader *l, yaml_node_t *atomic,
			 yaml_node_t *entries)
{
	struct rules *r = l->r;
	int nr_atomic = 0, nr_entries = 0, i;

	if (atomic) {
		if (expect_sequence(l, atomic, "contexts"))
			return -1;
		nr_atomic = sequence_length(atomic);
	}
	if (entries) {
		if (expect_sequence(l, entries, "entry-contexts"))
			return -1;
		nr_entries = sequence_length(entries);
	}
	r->contexts = arena_alloc(&r->arena, (nr_atomic + nr_entries) *
				  sizeof(*r->contexts));
	for (i = 0; i < nr_atomic; i++)
		if (read_context(l, node_at(l, atomic->data.sequence.items.start[i]),
				 i))
			return -1;
	for (i = 0; i < nr_entries; i++)
		if (read_entry_context(l,
			node_at(l, entries->data.sequence.items.start[i]),
			nr_atomic + i))
			return -1;
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
				"'%s' listed twice in sleepers (first at line %d)",
				name, e->sleeper_line);
	e->pub.sleeper = 1;
	e->sleeper_line = node_line(item);
	return 0;
}

static int add_gfp_flag(struct loader *l, yaml_node_t *item, const char *name,
			void *data)
{
	struct name_entry *e = name_entry(l->r, &l->r->names, name);

	(void)data;
	if (e->pub.gfp_sleep_flag)
		return error_at(l, item,
				"'%s' listed twice in gfp-flags (first at line %d)",
				name, e->gfp_line);
	e->pub.gfp_sleep_flag = 1;
	e->gfp_line = node_line(item);
	return 0;
}

enum { SLEEP_FUNCTIONS, SLEEP_GFP_TYPE, SLEEP_GFP_FLAGS, SLEEP_NR };
static const struct field sleeper_fields[SLEEP_NR] = {
	[SLEEP_FUNCTIONS] = { "functions", 0 },
	[SLEEP_GFP_TYPE] = { "gfp-type", 0 },
	[SLEEP_GFP_FLAGS] = { "gfp-flags", 0 },
};

static int read_sleepers(struct loader *l, yaml_node_t *map)
{
	struct kv kv[SLEEP_NR];

	if (!map)
		return 0;
	if (expect_mapping(l, map, "'sleepers'") ||
	    read_fields(l, map, "in sleepers", sleeper_fields, SLEEP_NR, kv))
		return -1;
	if (kv[SLEEP_GFP_TYPE].value &&
	    read_string(l, kv[SLEEP_GFP_TYPE].value, "gfp-type",
			&l->r->gfp_type))
		return -1;
	if (for_each_name(l, kv[SLEEP_FUNCTIONS].value, "functions", 1,
			  add_sleeper, NULL) ||
	    for_each_name(l, kv[SLEEP_GFP_FLAGS].value, "gfp-flags", 1,
			  add_gfp_flag, NULL))
		return -1;
	return 0;
}

/* ---- establish, predicates, sinks ---- */

/* The items of a list section, each a mapping read by fn. */
static int read_list(struct loader *l, yaml_node_t *seq, const char *key,
		     const char *what, void **array, int *nr, size_t size,
		     int (*fn)(struct loader *, yaml_node_t *, void *))
{
	int i, len;

	if (!seq)
		return 0;
	if (expect_sequence(l, seq, key))
		return -1;
	len = sequence_length(seq);
	*array = arena_alloc(&l->r->arena, len * size);
	for (i = 0; i < len; i++) {
		yaml_node_t *map = node_at(l, seq->data.sequence.items.start[i]);

		if (expect_mapping(l, map, what) ||
		    fn(l, map, (char *)*array + i * size))
			return -1;
		*nr = i + 1;
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
				"duplicate establish for '%s' (first at line %d)",
				e->pub.name, e->pub.establish->line);
	if (read_fact_list(l, kv[EST_FACTS].value, "facts", &est->facts) ||
	    (kv[EST_BECAUSE].value &&
	     read_string(l, kv[EST_BECAUSE].value, "because", &est->because)))
		return -1;
	est->function = e->pub.name;
	est->facts = close_facts(l->r, est->facts);
	est->line = node_line(map);
	e->pub.establish = est;
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
				"duplicate predicate '%s' (first at line %d)",
				e->pub.name, e->pub.predicate->line);
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
	return 0;
}

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

enum { SINK_FUNCTION, SINK_WHY, SINK_SLEEPS_AT, SINK_SAFE_WHEN, SINK_NR };
static const struct field sink_fields[SINK_NR] = {
	[SINK_FUNCTION] = { "function", 1 },
	[SINK_WHY] = { "why", 1 },
	[SINK_SLEEPS_AT] = { "sleeps-at", 0 },
	[SINK_SAFE_WHEN] = { "safe-when", 0 },
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
				"duplicate sink '%s' (first at line %d)",
				e->pub.name, e->pub.sink->line);
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
			   &sink->safe_when))
		return -1;
	sink->function = e->pub.name;
	sink->line = node_line(map);
	e->pub.sink = sink;
	return 0;
}

/* ---- the file ---- */

enum {
	TOP_VERSION, TOP_NAME, TOP_GUARD_CONSTRUCTOR, TOP_CONTEXTS,
	TOP_ENTRY_CONTEXTS, TOP_SLEEPERS, TOP_FACTS, TOP_ESTABLISH,
	TOP_PREDICATES, TOP_SINKS, TOP_NR
};
static const struct field top_fields[TOP_NR] = {
	[TOP_VERSION] = { "splitsafe-rules", 1 },
	[TOP_NAME] = { "name", 0 },
	[TOP_GUARD_CONSTRUCTOR] = { "guard-constructor", 0 },
	[TOP_CONTEXTS] = { "contexts", 0 },
	[TOP_ENTRY_CONTEXTS] = { "entry-contexts", 0 },
	[TOP_SLEEPERS] = { "sleepers", 0 },
	[TOP_FACTS] = { "facts", 0 },
	[TOP_ESTABLISH] = { "establish", 0 },
	[TOP_PREDICATES] = { "predicates", 0 },
	[TOP_SINKS] = { "sinks", 0 },
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
	l->r->guard_constructor = pattern;
	return 0;
}

static int read_rules(struct loader *l, yaml_node_t *root)
{
	struct rules *r = l->r;
	struct kv kv[TOP_NR];

	if (expect_mapping(l, root, "the top level") ||
	    check_version(l, root) ||
	    read_fields(l, root, "at top level", top_fields, TOP_NR, kv))
		return -1;
	if (kv[TOP_NAME].value &&
	    read_string(l, kv[TOP_NAME].value, "name", &r->name))
		return -1;
	if (read_guard_constructor(l, kv[TOP_GUARD_CONSTRUCTOR].value) ||
	    read_facts(l, kv[TOP_FACTS].value) ||
	    read_contexts(l, kv[TOP_CONTEXTS].value,
			  kv[TOP_ENTRY_CONTEXTS].value) ||
	    read_sleepers(l, kv[TOP_SLEEPERS].value))
		return -1;
	if (read_list(l, kv[TOP_ESTABLISH].value, "establish",
		      "an establish entry", (void **)&r->establish,
		      &r->nr_establish, sizeof(*r->establish), read_establish) ||
	    read_list(l, kv[TOP_PREDICATES].value, "predicates",
		      "a predicate", (void **)&r->predicates,
		      &r->nr_predicates, sizeof(*r->predicates),
		      read_predicate) ||
	    read_list(l, kv[TOP_SINKS].value, "sinks", "a sink",
		      (void **)&r->sinks, &r->nr_sinks, sizeof(*r->sinks),
		      read_sink))
		return -1;
	return 0;
}

static int read_file(const char *path, char **text, size_t *len,
		     struct ss_err *err)
{
	FILE *f = fopen(path, "rb");
	size_t alloc = 0, n;
	char *buf = NULL;

	if (!f)
		return ss_error(err, "cannot open '%s': %s", path,
				strerror(errno));
	*len = 0;
	do {
		ALLOC_GROW(buf, *len + 4096, alloc);
		n = fread(buf + *len, 1, alloc - *len, f);
		*len += n;
	} while (n);
	if (ferror(f)) {
		int saved = errno;

		fclose(f);
		free(buf);
		return ss_error(err, "cannot read '%s': %s", path,
				strerror(saved));
	}
	fclose(f);
	*text = buf;
	return 0;
}

/* Parse the one YAML document of the file into l->doc. */
static int parse_yaml(struct loader *l)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	int ret = 0;

	if (!yaml_parser_initialize(&parser))
		return ss_error(l->err, "%s: out of memory parsing YAML",
				l->path);
	yaml_parser_set_input_string(&parser, (const unsigned char *)l->text,
				     l->len);
	if (!yaml_parser_load(&parser, &l->doc)) {
		ret = syntax_error(l, &parser);
		goto out;
	}
	l->have_doc = 1;
	if (!yaml_document_get_root_node(&l->doc)) {
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

int rules_load(struct rules **out, const char *path, struct ss_err *err)
{
	struct loader l;
	char *text;
	size_t len;
	int ret;

	if (read_file(path, &text, &len, err))
		return -1;
	memset(&l, 0, sizeof(l));
	l.path = path;
	l.text = text;
	l.len = len;
	l.err = err;
	l.r = xcalloc(1, sizeof(*l.r));
	l.r->path = arena_strdup(&l.r->arena, path);

	ret = parse_yaml(&l);
	if (!ret)
		ret = read_rules(&l, yaml_document_get_root_node(&l.doc));
	if (l.have_doc)
		yaml_document_delete(&l.doc);
	free(text);
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

/* Whole names only: one that does not fit is left out with all after it. */
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
