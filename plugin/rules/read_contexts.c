/*
 * read_contexts.c: the sections about atomic contexts: "guard-constructor"
 * (the pattern of a cleanup.h guard class's constructor), "contexts"
 * (each kind with its primitives: acquire, try-acquire, release, guard
 * classes, asserts and lock types), "entry-contexts" (functions that run
 * entirely in one), and "held-asserts" and "held-annotations" (names that
 * say a lock is held).  Each name gets at most one context role.  The
 * contexts are allocated in r->arena; l->context_src, where each was
 * given, is the loader's (rules_load() frees it).
 */
#include "rules/reader.h"

#include <string.h>

/* ---- roles ---- */

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
		return schema_error_at(l, item,
				       "'%s' listed twice as %s of '%s' (first at %s)",
				       e->pub.name, role_text(effect), ctx->kind,
				       reader_where(l, e->role.src, e->role.line));
	if (old)
		return schema_error_at(l, item,
				       "conflicting roles for '%s': %s of '%s' at %s, %s of '%s' here",
				       e->pub.name, role_text(old_effect),
				       old->kind,
				       reader_where(l, e->role.src, e->role.line),
				       role_text(effect), ctx->kind);
	if (effect == RULES_EFFECT_NONE)
		e->pub.entry = ctx;
	else
		e->pub.context = ctx;
	e->pub.effect = effect;
	e->role.line = schema_line(item);
	e->role.src = l->src;
	return 0;
}

struct role {
	const struct rules_context *ctx;
	enum rules_effect effect;
};

/* A primitive of role->ctx, or (effect NONE) an entry function of it. */
static int add_role(struct loader *l, yaml_node_t *item, const char *name,
		    void *data)
{
	struct role *role = data;

	return give_role(l, item, reader_name(l->r, &l->r->names, name),
			 role->ctx, role->effect);
}

/* ---- guard classes ---- */

static int read_guard_constructor(struct loader *l, yaml_node_t *node)
{
	const char *pattern, *s;

	if (!node)
		return 0;
	if (schema_read_string(l, node, "guard-constructor", &pattern))
		return -1;
	s = strstr(pattern, "%s");
	if (!s || strchr(pattern, '%') != s || strchr(s + 2, '%'))
		return schema_error_at(l, node,
				       "guard-constructor must contain '%%s' once and no other '%%'");
	return reader_set_once(l, node, "guard-constructor", pattern,
			       &l->r->guard_constructor, &l->guard);
}

int read_contexts_guard_constructor(struct loader *l)
{
	int f;

	for (f = 0; f < l->nr_files; f++)
		if (read_guard_constructor(l, reader_file_key(l, f,
							      TOP_GUARD_CONSTRUCTOR)))
			return -1;
	return 0;
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
	struct name_entry *e = reader_name(l->r, &l->r->guard_ctors, ctor);

	if (e->pub.context)
		return schema_error_at(l, item,
				       "guard class '%s' listed twice (first in '%s' at %s)",
				       name, e->pub.context->kind,
				       reader_where(l, e->role.src,
						    e->role.line));
	return give_role(l, item, e, data, RULES_GUARD_CLASS);
}

/* ---- contexts ---- */

/* "{lock}" and "{function}" are the only placeholders a report fills. */
static int check_placeholders(struct loader *l, yaml_node_t *node,
			      const char *key, const char *text, int lock_arg)
{
	const char *p = text;

	while ((p = strchr(p, '{'))) {
		const char *end = strchr(p, '}');
		int len;

		if (!end)
			return schema_error_at(l, node, "unclosed '{' in '%s'",
					       key);
		len = (int)(end - p + 1);
		if (len == 6 && !strncmp(p, "{lock}", 6)) {
			if (!lock_arg)
				return schema_error_at(l, node,
						       "'%s' uses {lock} but there is no lock-argument",
						       key);
		} else if (len != 10 || strncmp(p, "{function}", 10)) {
			return schema_error_at(l, node,
					       "unknown placeholder '%.*s' in '%s'",
					       len, p, key);
		}
		p = end + 1;
	}
	return 0;
}

/* Both kinds of context start with the same three keys. */
enum { CONTEXT_COMMON_KEYS(SCHEMA_KEY_INDEX) CTX_COMMON_NR };

enum {
	CTX_BEFORE_LOCK = CTX_COMMON_NR - 1,	/* the lock keys follow */
	CONTEXT_LOCK_KEYS(SCHEMA_KEY_INDEX) CTX_NR
};
static const struct field context_fields[CTX_NR] = {
	CONTEXT_COMMON_KEYS(SCHEMA_KEY_FIELD)
	CONTEXT_LOCK_KEYS(SCHEMA_KEY_FIELD)
};

enum { ENTRY_FUNCTIONS = CTX_COMMON_NR, ENTRY_NR };
static const struct field entry_fields[ENTRY_NR] = {
	CONTEXT_COMMON_KEYS(SCHEMA_KEY_FIELD)
	[ENTRY_FUNCTIONS] = SCHEMA_KEY("functions", 0),
};

/* A report template of a context: a string with known placeholders. */
static int read_template(struct loader *l, yaml_node_t *node, const char *key,
			 int lock_arg, const char **out)
{
	if (schema_read_string(l, node, key, out) ||
	    check_placeholders(l, node, key, *out, lock_arg))
		return -1;
	return 0;
}

/* Allocate contexts[index] and fill what all contexts have. */
static struct rules_context *new_context(struct loader *l, yaml_node_t *map,
					 struct kv *kv, int index, int lock_arg)
{
	struct rules *r = l->r;
	struct rules_context *ctx = arena_alloc(&r->arena, sizeof(*ctx));
	int i;

	if (schema_read_word(l, kv[CTX_KIND].value, "kind", &ctx->kind))
		return NULL;
	for (i = 0; i < index; i++) {
		if (!strcmp(r->contexts[i]->kind, ctx->kind)) {
			schema_error_at(l, kv[CTX_KIND].value,
					"duplicate context kind '%s' (first at %s)",
					ctx->kind,
					reader_where(l, l->context_src[i],
						     r->contexts[i]->line));
			return NULL;
		}
	}
	if (read_template(l, kv[CTX_REACHED_WITH].value, "reached-with",
			  lock_arg, &ctx->reached_with) ||
	    read_template(l, kv[CTX_ENTERED_HERE].value, "entered-here",
			  lock_arg, &ctx->entered_here))
		return NULL;
	ctx->lock_arg = lock_arg;
	ctx->index = index;
	ctx->line = schema_line(map);
	l->context_src[index] = l->src;
	r->contexts[index] = ctx;
	r->nr_contexts = index + 1;
	return ctx;
}

static int add_lock_type(struct loader *l, yaml_node_t *item, const char *name,
			 void *data)
{
	struct name_entry *e = reader_name(l->r, &l->r->names, name);

	if (e->pub.lock_type)
		return schema_error_at(l, item, "lock type '%s' listed twice",
				       name);
	e->pub.lock_type = data;
	return 0;
}

static int read_lock_argument(struct loader *l, yaml_node_t *node, int *out)
{
	*out = 0;
	if (!node)
		return 0;
	if (schema_read_int(l, node, "lock-argument", out))
		return -1;
	if (*out < 0)
		return schema_error_at(l, node,
				       "lock-argument must be 0 or more, not %d",
				       *out);
	return 0;
}

/* The primitives of ctx, in the order their effects are listed. */
static int read_primitives(struct loader *l, struct kv *kv,
			   struct rules_context *ctx)
{
	static const struct {
		int field;
		enum rules_effect effect;
	} lists[] = {
		{ CTX_ACQUIRE, RULES_ACQUIRE },
		{ CTX_TRY_ACQUIRE, RULES_TRY_ACQUIRE },
		{ CTX_RELEASE, RULES_RELEASE },
		{ CTX_ASSERTS, RULES_ASSERT },
	};
	struct role role = { ctx, RULES_EFFECT_NONE };
	size_t i;

	for (i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		role.effect = lists[i].effect;
		if (schema_for_each_name(l, kv[lists[i].field].value,
					 context_fields[lists[i].field].key, 1,
					 add_role, &role))
			return -1;
	}
	return schema_for_each_name(l, kv[CTX_LOCK_TYPES].value, "lock-types",
				    1, add_lock_type, ctx);
}

static int read_context(struct loader *l, yaml_node_t *map, int index,
			void *data)
{
	struct kv kv[CTX_NR];
	struct rules_context *ctx;
	int lock_arg;

	if (schema_expect_mapping(l, map, "a context") ||
	    schema_read_fields(l, map, "in context", context_fields, CTX_NR,
			       kv) ||
	    read_lock_argument(l, kv[CTX_LOCK_ARG].value, &lock_arg))
		return -1;
	ctx = new_context(l, map, kv, index, lock_arg);
	if (!ctx || read_primitives(l, kv, ctx))
		return -1;

	if (!kv[CTX_GUARD_CLASSES].key)
		return 0;
	if (!l->r->guard_constructor)
		return schema_error_at(l, kv[CTX_GUARD_CLASSES].key,
				       "guard-classes needs a top-level guard-constructor");
	return schema_for_each_name(l, kv[CTX_GUARD_CLASSES].value,
				    "guard-classes", 1, add_guard_class, ctx);
}

static int read_entry_context(struct loader *l, yaml_node_t *map, int index,
			      void *data)
{
	struct kv kv[ENTRY_NR];
	struct rules_context *ctx;
	struct role role = { NULL, RULES_EFFECT_NONE };

	if (schema_expect_mapping(l, map, "an entry context") ||
	    schema_read_fields(l, map, "in entry context", entry_fields,
			       ENTRY_NR, kv))
		return -1;
	ctx = new_context(l, map, kv, index, 0);
	if (!ctx)
		return -1;
	ctx->is_entry = 1;
	role.ctx = ctx;
	return schema_for_each_name(l, kv[ENTRY_FUNCTIONS].value, "functions",
				    1, add_role, &role);
}

/*
 * Atomic contexts of all files, then entry contexts of all files, all in
 * r->contexts.
 */
int read_contexts(struct loader *l)
{
	struct rules *r = l->r;
	int nr = 0, i = 0;

	if (reader_count_items(l, TOP_CONTEXTS, "contexts", 0, &nr) ||
	    reader_count_items(l, TOP_ENTRY_CONTEXTS, "entry-contexts", 0, &nr))
		return -1;
	r->contexts = arena_alloc(&r->arena, nr * sizeof(*r->contexts));
	l->context_src = xcalloc(nr ? nr : 1, sizeof(*l->context_src));
	if (reader_each_item(l, TOP_CONTEXTS, &i, read_context, NULL) ||
	    reader_each_item(l, TOP_ENTRY_CONTEXTS, &i, read_entry_context,
			     NULL))
		return -1;
	return 0;
}

int read_contexts_kind(struct loader *l, yaml_node_t *node,
		       const struct rules_context **out)
{
	const char *kind;
	int i;

	if (schema_read_word(l, node, "context", &kind))
		return -1;
	for (i = 0; i < l->r->nr_contexts; i++)
		if (!strcmp(l->r->contexts[i]->kind, kind)) {
			*out = l->r->contexts[i];
			return 0;
		}
	return schema_error_at(l, node, "unknown context '%s'", kind);
}

/* ---- held ---- */

/* Names that say a lock (their argument) is held: asserts in a body,
 * annotations on a function. */
int read_contexts_held(struct loader *l)
{
	int f;

	for (f = 0; f < l->nr_files; f++) {
		if (reader_mark_names(l, reader_file_key(l, f, TOP_HELD_ASSERTS),
				      "held-asserts", MARK_HELD_ASSERT) ||
		    reader_mark_names(l, reader_file_key(l, f,
							 TOP_HELD_ANNOTATIONS),
				      "held-annotations", MARK_HELD_ANNOTATION))
			return -1;
	}
	return 0;
}
