/*
 * collect.c: the facts of one run, into the graph (see collect.h).
 */
#include "graph/collect.h"
#include "store/factio.h"

#include <stdlib.h>
#include <string.h>

struct plan {
	struct collect *c;
	struct strmap current;	/* TU file -> 1 if its facts are current */
	struct strmap damaged;	/* TU file or unit key -> 1 */
	const char *self;
};

/* A stored blob that fails its checksum: noted, and made again. */
static void damaged(void *data, const char *key, const char *tu)
{
	struct plan *p = data;
	struct collect *c = p->c;
	const char *what = key ? key : tu;

	if (!what || strmap_get(&p->damaged, what))
		return;
	what = arena_strdup(&c->arena, what);
	strmap_put(&p->damaged, what, (void *)1);
	ALLOC_GROW(c->damaged, c->nr_damaged + 1, c->alloc_damaged);
	c->damaged[c->nr_damaged].tu = tu ? arena_strdup(&c->arena, tu) : "?";
	c->damaged[c->nr_damaged++].unit = key ? what : NULL;
}

static void take_unit(void *data, const char *key, const char *tu)
{
	struct plan *p = data;
	int taken = p->self ? strcmp(tu, p->self) != 0 :
		    strmap_get(&p->current, tu) != NULL;

	if (strmap_get(&p->damaged, key))
		taken = 0;	/* an orphan: extracted again */
	if (taken)
		strmap_put(&p->c->taken, arena_strdup(&p->c->taken_keys, key),
			   (void *)1);
}

/* Which entries the store has current facts for, and whose units count. */
static int plan(struct collect *c, const char *self, struct ss_err *err)
{
	struct plan p = { c, STRMAP_INIT, STRMAP_INIT, self };
	struct store_tu *tus;
	struct arena tmp = ARENA_INIT;
	int nr, i, ret;

	if (store_damaged(c->store, damaged, &p, err) ||
	    store_list(c->store, &tmp, &tus, &nr, err)) {
		strmap_release(&p.damaged);
		arena_release(&tmp);
		return -1;
	}
	for (i = 0; i < nr; i++)
		if (tus[i].current && !strmap_get(&p.damaged, tus[i].file))
			strmap_put(&p.current, tus[i].file, &tus[i]);
	for (i = 0; i < c->db->nr && !self; i++) {
		const struct compdb_entry *e = &c->db->entries[i];
		struct store_tu *t = strmap_get(&p.current, e->file);

		if (t && c->reparse && c->reparse[i])
			strmap_put(&p.current, t->file, NULL);	/* its units too */
		else if (t && t->cmd == store_cmd_digest(e->file, e->dir, e->argv, e->argc))
			c->skip[i] = 1;
		else if (t)
			strmap_put(&p.current, t->file, NULL);	/* parsed again */
	}
	ret = store_units(c->store, take_unit, &p, err);
	strmap_release(&p.current);
	strmap_release(&p.damaged);
	arena_release(&tmp);
	return ret;
}

static int init(struct collect *c, const struct rules *r, struct graph *g,
		struct store *s, const struct compdb *db, const char *self,
		const char *reparse, struct ss_err *err)
{
	memset(c, 0, sizeof(*c));
	c->rules = r;
	c->g = g;
	c->store = s;
	c->db = db;
	c->round = 1;
	c->reparse = reparse;
	c->read_only = reparse != NULL;
	c->skip = xcalloc(db->nr + 1, 1);
	pthread_mutex_init(&c->lock, NULL);
	if (s && plan(c, self, err)) {
		collect_release(c);
		return -1;
	}
	return 0;
}

int collect_init(struct collect *c, const struct rules *r, struct graph *g,
		 struct store *s, const struct compdb *db, const char *self,
		 struct ss_err *err)
{
	return init(c, r, g, s, db, self, NULL, err);
}

int collect_init_side(struct collect *c, const struct rules *r, struct graph *g,
		      struct store *s, const struct compdb *db,
		      const char *reparse, struct ss_err *err)
{
	return init(c, r, g, s, db, NULL, reparse, err);
}

int collect_claim(void *data, const char *key)
{
	struct collect *c = data;
	int mine;

	pthread_mutex_lock(&c->lock);
	mine = !strmap_get(&c->taken, key);
	if (mine)
		strmap_put(&c->taken, arena_strdup(&c->taken_keys, key), (void *)1);
	pthread_mutex_unlock(&c->lock);
	return mine;
}

/* Remember the order in which TUs name header functions. */
static void name_units(struct collect *c, const struct fact_tu *t, int index)
{
	int i;

	for (i = 0; i < t->nr_hkeys; i++) {
		const char *k = t->hkeys[i];

		if (strmap_get(&c->first_ref, k))
			continue;
		k = arena_strdup(&c->arena, k);
		strmap_put(&c->first_ref, k, (void *)(uintptr_t)(index + 1));
		ALLOC_GROW(c->order, c->nr_order + 1, c->alloc_order);
		c->order[c->nr_order++] = k;
	}
}

static int add_blob(struct collect *c, const struct blob *b, int index,
		    struct ss_err *err)
{
	struct fact_tu t;

	if (factio_decode(b->p, b->len, c->rules, &t, err))
		return -1;
	t.index = index;
	c->last_errors = t.nr_errors;
	c->last_error = t.first_error ? arena_strdup(&c->arena, t.first_error) :
			"errors";
	if (c->g && c->round == 1)
		graph_add_tu(c->g, &t);
	if (c->round == 1)
		name_units(c, &t, index);
	facts_tu_release(&t);
	return 0;
}

static void put_unit(struct collect *c, const char *key, struct blob *b)
{
	struct blob *keep = strmap_get(&c->units, key);

	if (keep) {		/* not expected: one claim per key */
		free(keep->p);
	} else {
		keep = xmalloc(sizeof(*keep));
		strmap_put(&c->units, arena_strdup(&c->arena, key), keep);
	}
	*keep = *b;
}

static int save(struct collect *c, const struct fact_tu *tu,
		const struct compdb_entry *e, const struct blob *facts,
		const char **keys, const struct blob *units, int nr_units)
{
	struct store_put p;

	if (!c->store || c->read_only || tu->failed)
		return 0;
	p.file = e->file;
	p.dir = e->dir;
	p.argv = e->argv;
	p.argc = e->argc;
	p.cmd = store_cmd_digest(e->file, e->dir, e->argv, e->argc);
	p.deps = tu->deps;
	p.nr_deps = tu->nr_deps;
	p.facts = facts;
	p.keys = keys;
	p.units = units;
	p.nr_units = nr_units;
	p.hkeys = tu->hkeys;
	p.nr_hkeys = tu->nr_hkeys;
	return store_put(c->store, &p, &c->err);
}

/* A TU just parsed: store it, its header functions kept for the end. */
static int parsed(struct collect *c, struct fact_tu *tu, int index)
{
	const struct compdb_entry *e = &c->db->entries[index];
	struct blob facts, *units = xcalloc(tu->nr_funcs + 1, sizeof(*units));
	const char **keys = xcalloc(tu->nr_funcs + 1, sizeof(*keys));
	int i, n = 0, ret;

	factio_encode_tu(tu, c->rules, &facts);
	for (i = 0; i < tu->nr_funcs; i++) {
		if (!tu->funcs[i].key)
			continue;
		keys[n] = tu->funcs[i].key;
		factio_encode_unit(tu, i, c->rules, &units[n++]);
	}
	ret = save(c, tu, e, &facts, keys, units, n);
	if (ret)
		c->store_failed = 1;
	if (add_blob(c, &facts, index, &c->err))
		ret = -1;
	for (i = 0; i < n; i++)
		put_unit(c, keys[i], &units[i]);
	free(facts.p);
	free(units);
	free(keys);
	return ret;
}

int collect_tu(struct collect *c, struct fact_tu *tu, int index)
{
	const struct compdb_entry *e = &c->db->entries[index];
	struct blob b;
	int ret;

	if (tu)
		return tu->failed ? 0 : parsed(c, tu, index);
	if (c->round > 1)
		return 0;	/* its facts are in the graph already */
	if (!store_tu_facts(c->store, e->file, &b))
		return ss_error(&c->err, "%s: facts missing from the store", e->file);
	c->from_store++;
	ret = add_blob(c, &b, index, &c->err);
	free(b.p);
	if (ret) {
		struct ss_err why = c->err;

		return ss_error(&c->err, "%s: stored facts unreadable (%s)", e->file,
				why.msg);
	}
	return 0;
}

/* A key no TU gave this run and no current TU in the store has. */
static int orphan(struct collect *c, const char *key)
{
	return !strmap_get(&c->units, key) && !strmap_get(&c->taken, key);
}

int collect_orphans(struct collect *c)
{
	int i, n = 0;

	if (c->round > 1 || !c->store)
		return 0;
	memset(c->skip, 1, c->db->nr);
	for (i = 0; i < c->nr_order; i++) {
		int tu = (int)(uintptr_t)strmap_get(&c->first_ref, c->order[i]) - 1;

		if (orphan(c, c->order[i]) && c->skip[tu]) {
			c->skip[tu] = 0;
			n++;
		}
	}
	c->round = 2;
	return n;
}

static int add_unit(struct collect *c, const char *key, struct ss_err *err)
{
	struct blob *b = strmap_get(&c->units, key), stored;
	struct fact_tu t;
	int ret;

	if (!b) {
		if (!c->store || !strmap_get(&c->taken, key) ||
		    !store_unit_facts(c->store, key, &stored)) {
			c->missing++;
			return 0;
		}
		b = &stored;
	} else {
		stored.p = NULL;
	}
	ret = factio_decode(b->p, b->len, c->rules, &t, err);
	if (!ret) {
		graph_add_tu(c->g, &t);
		facts_tu_release(&t);
	} else {
		ss_error(err, "facts of header function %s unreadable", key);
	}
	free(stored.p);
	return ret;
}

int collect_finish(struct collect *c, struct ss_err *err)
{
	int i;

	for (i = 0; i < c->nr_order && c->g; i++)
		if (add_unit(c, c->order[i], err))
			return -1;
	return 0;
}

static void free_units(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->size; i++) {
		struct blob *b = m->vals ? m->vals[i] : NULL;

		if (m->keys[i] && b) {
			free(b->p);
			free(b);
		}
	}
	strmap_release(m);
}

void collect_release(struct collect *c)
{
	free_units(&c->units);
	strmap_release(&c->taken);
	strmap_release(&c->first_ref);
	free(c->order);
	free(c->damaged);
	free(c->skip);
	pthread_mutex_destroy(&c->lock);
	arena_release(&c->taken_keys);
	arena_release(&c->arena);
}
