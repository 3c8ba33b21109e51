/*
 * hand.h: translation units' facts built by hand, for the unit tests of
 * what runs on the merged graph (graph, atomic, boot), with no libclang.
 *
 * Every array lives in the TU's arena with room for HAND_MAX entries, so
 * pointers handed out stay valid while more is added; facts_tu_release()
 * frees it all.  Calls start reached in every phase with no dominator,
 * the way the extractor records a plain call at the top of a body.
 */
#ifndef SPLITSAFE_TEST_HAND_H
#define SPLITSAFE_TEST_HAND_H

#include <stdlib.h>

#include "model/facts.h"
#include "check.h"

#define HAND_MAX 8

static inline void *hand_array(struct fact_tu *t, size_t elem)
{
	return arena_alloc(&t->arena, HAND_MAX * elem);
}

/* Room is a test's own business: running out is a broken test. */
static inline void hand_room(int nr)
{
	if (nr >= HAND_MAX) {
		fprintf(stderr, "hand.h: more than %d entries\n", HAND_MAX);
		exit(2);
	}
}

static inline void hand_tu(struct fact_tu *t, const char *file)
{
	memset(t, 0, sizeof(*t));
	t->file = file;
	t->funcs = hand_array(t, sizeof(*t->funcs));
	t->regs = hand_array(t, sizeof(*t->regs));
	t->stores = hand_array(t, sizeof(*t->stores));
}

/* A definition at line 'line' of file (the TU's main file if NULL). */
static inline struct fact_func *hand_func(struct fact_tu *t, const char *name,
					  const char *file, unsigned line)
{
	struct fact_func *f;

	hand_room(t->nr_funcs);
	f = &t->funcs[t->nr_funcs++];
	f->name = name;
	f->loc = (struct fact_loc){ file ? file : t->file, line, 1 };
	f->end_line = line + 9;
	f->sleep_call = -1;
	f->exit_dom = -1;
	memset(f->stop_check, -1, sizeof(f->stop_check));
	f->calls = hand_array(t, sizeof(*f->calls));
	f->sites = hand_array(t, sizeof(*f->sites));
	f->guards = hand_array(t, sizeof(*f->guards));
	return f;
}

/* A static function, or a header's: keyed by name and file. */
static inline struct fact_func *hand_static(struct fact_tu *t, const char *name,
					    const char *file, unsigned line)
{
	struct fact_func *f = hand_func(t, name, file, line);

	f->is_static = 1;
	if (file && strcmp(file, t->file))
		f->key = arena_printf(&t->arena, "%s@%s", name, file);
	return f;
}

static inline struct fact_call *hand_call(struct fact_tu *t, struct fact_func *f,
					  const char *callee)
{
	struct fact_call *c;

	hand_room(f->nr_calls);
	c = &f->calls[f->nr_calls];
	c->callee = callee;
	c->loc = (struct fact_loc){ f->loc.file, f->loc.line + 1 + f->nr_calls, 2 };
	c->dom = -1;
	c->phases = (phase_mask)~0u;
	c->reached = 1;
	c->held = hand_array(t, sizeof(*c->held));
	f->nr_calls++;
	return c;
}

/* A call through the function pointer 'via' (a fnptr.h key). */
static inline struct fact_call *hand_icall(struct fact_tu *t, struct fact_func *f,
					   const char *via, const char *text)
{
	struct fact_call *c = hand_call(t, f, NULL);

	c->via = via;
	c->via_text = text;
	return c;
}

/* Where f enters context (a rules context index); returns the site index. */
static inline int hand_site(struct fact_func *f, int context, const char *key,
			    const char *prim)
{
	struct fact_site *s;

	hand_room(f->nr_sites);
	s = &f->sites[f->nr_sites];
	s->context = context;
	s->key = key;
	s->prim = prim;
	s->loc = (struct fact_loc){ f->loc.file, f->loc.line + 1, 2 };
	return f->nr_sites++;
}

static inline void hand_held(struct fact_call *c, int site)
{
	hand_room(c->nr_held);
	c->held[c->nr_held++] = site;
}

static inline void hand_guard(struct fact_func *f, const char *predicate,
			      int negated)
{
	struct fact_guard *gd;

	hand_room(f->nr_guards);
	gd = &f->guards[f->nr_guards++];
	gd->predicate = predicate;
	gd->negated = negated;
	gd->loc = (struct fact_loc){ f->loc.file, f->loc.line + 1, 2 };
}

static inline void hand_store(struct fact_tu *t, const char *key,
			      const char *func, const char *func_file)
{
	struct fact_store *s;

	hand_room(t->nr_stores);
	s = &t->stores[t->nr_stores++];
	s->how = HOW_DESIGNATED;
	s->key = key;
	s->func = func;
	s->func_file = func_file;
	s->loc = (struct fact_loc){ t->file, 90 + t->nr_stores, 3 };
}

/* callback registered by the rules' registration of 'api' (timer_setup). */
static inline void hand_reg(struct fact_tu *t, const struct rules *r,
			    const char *api, const char *callback)
{
	const struct rules_name *rn = rules_lookup(r, api);
	struct fact_reg *g;

	hand_room(t->nr_regs);
	if (!rn || !rn->registration) {
		fprintf(stderr, "hand.h: the rules register nothing with %s\n", api);
		exit(2);
	}
	g = &t->regs[t->nr_regs++];
	g->how = HOW_CALL;
	g->rule = rn->registration;
	g->callback = callback;
	g->loc = (struct fact_loc){ t->file, 80 + t->nr_regs, 2 };
}

/* The rules context of that kind, or -1. */
static inline int hand_context(const struct rules *r, const char *kind)
{
	int i;

	for (i = 0; i < r->nr_contexts; i++)
		if (str_eq(r->contexts[i]->kind, kind))
			return r->contexts[i]->index;
	return -1;
}

/* The rules of the graph tests, from the working directory tests/unit. */
static inline struct rules *hand_rules(void)
{
	struct ss_err err = { "" };
	struct rules *r = NULL;

	if (rules_load(&r, "graph-rules.yaml", &err)) {
		fprintf(stderr, "%s\n", err.msg);
		exit(2);
	}
	return r;
}

#endif
