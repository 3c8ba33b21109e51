/*
 * context.c: context primitives, recognised by name: the name of the
 * called function, or the name of the macro the programmer wrote when the
 * call comes from a macro body (spin_lock_irqsave() expands to a call of
 * _raw_spin_lock_irqsave(); both may be listed in the rules).  A primitive
 * becomes an IR event (acquire, try, release) with a context site; so do
 * the statements that assert a context is held and the annotations that
 * say a lock is held on entry.
 *
 * Ownership: sites grow the builder's b->sites; names and keys are in the
 * builder's arena.
 */
#include "extract/lower.h"

#include <string.h>

/* A new context site of the function: primitive prim entered at c. */
static struct fact_site *new_site(struct builder *b, int context,
				  const char *key, const char *prim,
				  CXCursor c, int *site)
{
	struct fact_site *fs;

	*site = cf_new_site(&b->cf, context, key);
	ALLOC_GROW(b->sites, b->cf.nr_sites, b->alloc_sites);
	fs = &b->sites[*site];
	memset(fs, 0, sizeof(*fs));
	fs->context = context;
	fs->key = key;
	fs->prim = arena_strdup(b->arena, prim);
	src_set_loc(b->t, c, &fs->loc);
	return fs;
}

/*
 * The rules entry of a context primitive called name: a function with a
 * context effect, or the constructor of a guard class.  NULL: none.
 */
const struct rules_name *context_primitive(const struct rules *r,
					   const char *name)
{
	const struct rules_name *rn;

	if (!name)
		return NULL;
	rn = rules_lookup(r, name);
	if (rn && rn->context && rn->effect != RULES_EFFECT_NONE)
		return rn;
	rn = rules_guard_constructor(r, name);
	return rn;
}

/*
 * The IR event of a call c of the primitive rn, written as written at off
 * in fi; by_macro: matched by the macro name written there.
 */
struct cf_node *context_event(struct builder *b, CXCursor c,
			      const struct rules_name *rn,
			      const char *written, unsigned off,
			      struct file_info *fi, int by_macro)
{
	const struct rules_context *ctx = rn->context;
	const char *key = !ctx->lock_arg ? NULL :
			  by_macro ? lock_macro_key(b, fi, off, ctx->lock_arg) :
			  lock_key(b, c, ctx->lock_arg);
	struct cf_node *n;
	int site;

	/*
	 * A primitive macro (matched by the name written at the call) that
	 * expands to several calls is one event.
	 */
	if (by_macro) {
		if (fi && b->prim_file == fi->path && b->prim_off == off &&
		    b->prim_name == rn)
			return NULL;
		b->prim_file = fi ? fi->path : NULL;
		b->prim_off = off;
		b->prim_name = rn;
	}
	switch (rn->effect) {
	case RULES_ACQUIRE:
	case RULES_GUARD_CLASS:
		new_site(b, ctx->index, key, written, c, &site);
		n = lower_node(b, CF_ACQUIRE);
		n->site = site;
		if (rn->effect == RULES_GUARD_CLASS && b->scope)
			cf_scope_release(&b->cf, b->scope, site);
		return n;
	case RULES_TRY_ACQUIRE:
		new_site(b, ctx->index, key, written, c, &site);
		n = lower_node(b, CF_TRY);
		n->site = site;
		return n;
	case RULES_RELEASE:
		n = lower_node(b, CF_RELEASE);
		n->context = ctx->index;
		n->key = key;
		return n;
	default:
		return NULL;
	}
}

/* An assertion or annotation: the context is held from here on. */
static struct cf_node *held_site(struct builder *b,
				 const struct rules_context *ctx,
				 const char *key, const char *prim, CXCursor at)
{
	struct fact_site *fs;
	struct cf_node *n;
	int site;

	fs = new_site(b, ctx->index, key, prim, at, &site);
	fs->is_assert = 1;
	n = lower_node(b, CF_ACQUIRE);
	n->site = site;
	return n;
}

/*
 * A statement that asserts a context: lockdep_assert_irqs_disabled(), or
 * lockdep_assert_held(lock) with the lock's type naming the context.
 * Without lockdep these expand to empty statements, so they are matched
 * by the macro name written at the statement.
 */
struct cf_node *context_assertion(struct builder *b, CXCursor stmt)
{
	const struct rules_name *rn;
	const struct rules_context *ctx;
	struct file_info *fi;
	char name[128], key[256];
	unsigned off;

	fi = src_loc(b->t, stmt, NULL, NULL, &off);
	if (!src_ident_at(fi, off, name, sizeof(name)) ||
	    !(rn = rules_lookup(b->t->rules, name)))
		return NULL;
	extract_saw(b->t, rn->name);
	if (rn->context && rn->effect == RULES_ASSERT)
		return held_site(b, rn->context, NULL, rn->name, stmt);
	if (!rn->held_assert ||
	    !src_macro_argument(fi, off, 1, key, sizeof(key)))
		return NULL;
	ctx = lock_type_context(b->t->rules, stmt, NULL);
	return ctx ? held_site(b, ctx, arena_strdup(b->arena, key), rn->name,
			       stmt) : NULL;
}

/*
 * __must_hold(lock) between a function's name and its body: the lock is
 * held on entry.  Its context comes from the type of that lock where the
 * body uses it.
 */
struct cf_node *context_annotation(struct builder *b, CXCursor fn,
				   CXCursor body)
{
	unsigned start, end, p;
	struct file_info *fi = src_start(b->t, fn, &start);
	struct file_info *bi = src_start(b->t, body, &end);
	char name[128], key[256];

	if (!fi || fi != bi || !fi->text || end > fi->size)
		return NULL;
	for (p = start; p < end; p++) {
		const struct rules_name *rn;
		const struct rules_context *ctx;

		if (!src_ident_starts(fi, p, start))
			continue;
		if (!src_ident_at(fi, p, name, sizeof(name)) ||
		    !(rn = rules_lookup(b->t->rules, name)) ||
		    !rn->held_annotation)
			continue;
		extract_saw(b->t, rn->name);
		if (!src_macro_argument(fi, p, 1, key, sizeof(key)))
			continue;
		ctx = lock_type_context(b->t->rules, body, key);
		if (ctx)
			return held_site(b, ctx, arena_strdup(b->arena, key),
					 rn->name, fn);
	}
	return NULL;
}
