/*
 * baseline.c: baselines (see baseline.h).  The file is
 *   {"splitsafe-baseline": 1, "findings": [{"check": ..., "sink": ...,
 *     "entry": ..., "where": ..., "chain": [...]}, ...]}
 * where "where" is the context kind or the boot phase, and "chain" the
 * functions called, entry's callee first, the sink last.
 */
#include "filter/baseline.h"
#include "core/wholefile.h"
#include "check/group.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The parts of a key, as the file holds them. */
static json_t *key_object(const struct graph *g, const struct compdb *db,
			  const struct finding *f, int path)
{
	json_t *chain = json_array();
	const char *sink, *entry, *where;
	int i;

	if (f->cocci_msg) {
		/* a Coccinelle report: its file and message, no lines */
		return json_pack("{s:s, s:s, s:s, s:s, s:[]}", "check", f->check,
				 "sink", f->cocci_msg, "entry",
				 compdb_relative(db, f->cocci_loc.file), "where", "");
	}
	sink = g->funcs[f->sink].name;
	where = f->phase >= 0 ? g->rules->boot.phases[f->phase].name :
		f->context >= 0 ? g->rules->contexts[f->context]->kind : "";
	if (f->group >= 0 && !path) {
		/* a group: the call that is its cause, in place of a chain */
		int caller, callee;

		group_cause(g, f, &caller, &callee);
		json_decref(chain);
		return json_pack("{s:s, s:s, s:s, s:s, s:[s], s:b}", "check",
				 f->check, "sink", sink, "entry",
				 g->funcs[caller].name, "where", "", "chain",
				 g->funcs[callee].name, "group", 1);
	}
	entry = g->funcs[f->entry].name;
	for (i = 0; i < f->nr_hops; i++) {
		const struct g_func *fn = &g->funcs[f->hops[i].func];

		json_array_append_new(chain, json_string(
			g->funcs[fn->calls[f->hops[i].call].callee].name));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "check", f->check,
			 "sink", sink, "entry", entry, "where", where,
			 "chain", chain);
}

/* "check\x1fsink\x1fentry\x1fwhere\x1fchain..." from a key object. */
static char *key_string(json_t *o)
{
	size_t len = 0, alloc = 0, i;
	const char *fields[] = { "check", "sink", "entry", "where" };
	char *s = NULL;
	json_t *chain = json_object_get(o, "chain");

	for (i = 0; i < 4; i++) {
		const char *v = json_string_value(json_object_get(o, fields[i]));
		size_t n = v ? strlen(v) : 0;

		ALLOC_GROW(s, len + n + 2, alloc);
		memcpy(s + len, v ? v : "", n);
		len += n;
		s[len++] = '\x1f';
	}
	for (i = 0; i < json_array_size(chain); i++) {
		const char *v = json_string_value(json_array_get(chain, i));
		size_t n = v ? strlen(v) : 0;

		ALLOC_GROW(s, len + n + 2, alloc);
		memcpy(s + len, v ? v : "", n);
		len += n;
		s[len++] = '\x1f';
	}
	ALLOC_GROW(s, len + 1, alloc);
	s[len] = '\0';
	return s;
}

static char *key_of(const struct graph *g, const struct compdb *db,
		    const struct finding *f, int path)
{
	json_t *o = key_object(g, db, f, path);
	char *s = key_string(o);

	json_decref(o);
	return s;
}

char *baseline_key(const struct graph *g, const struct compdb *db,
		   const struct finding *f)
{
	return key_of(g, db, f, 0);
}

char *baseline_path_key(const struct graph *g, const struct compdb *db,
			const struct finding *f)
{
	return key_of(g, db, f, 1);
}

int baseline_write(const char *path, const struct graph *g,
		   const struct compdb *db, const struct findings *fs,
		   struct ss_err *err)
{
	json_t *list = json_array(), *root;
	struct wholefile w;
	struct strmap seen = { 0 };
	int i, n = 0;

	for (i = 0; i < fs->nr; i++) {
		json_t *o;
		char *k;

		if (fs->v[i].suppressed)
			continue;
		o = key_object(g, db, &fs->v[i], 0);
		k = key_string(o);
		if (strmap_get(&seen, k)) {
			free(k);
			json_decref(o);
			continue;
		}
		strmap_put(&seen, k, (void *)1);
		json_array_append_new(list, o);
		n++;
	}
	root = json_pack("{s:i, s:o}", "splitsafe-baseline", 1, "findings", list);
	if (wholefile_open(&w, path, err)) {
		n = -1;
	} else if (json_dumpf(root, w.f, JSON_INDENT(1) | JSON_PRESERVE_ORDER)) {
		ss_error(err, "cannot write '%s': %s", path, strerror(errno));
		wholefile_discard(&w);	/* after: it may change errno */
		n = -1;
	} else if (wholefile_commit(&w, err)) {
		n = -1;
	}
	json_decref(root);
	/* the keys were malloc'd: free them with the map */
	for (i = 0; i < (int)seen.size; i++)
		free((char *)seen.keys[i]);
	strmap_release(&seen);
	return n;
}

int baseline_load(struct baseline *b, const char *path, struct ss_err *err)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *list;
	size_t i;

	memset(b, 0, sizeof(*b));
	if (!root) {
		if (je.line < 0)
			return ss_error(err, "cannot read '%s': %s", path, je.text);
		return ss_error(err, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	}
	list = json_object_get(root, "findings");
	if (json_integer_value(json_object_get(root, "splitsafe-baseline")) != 1 ||
	    !json_is_array(list)) {
		json_decref(root);
		return ss_error(err, "%s:1:1: not a splitsafe baseline (version 1)", path);
	}
	for (i = 0; i < json_array_size(list); i++) {
		json_t *o = json_array_get(list, i);
		char *k;

		if (!json_is_object(o) || !json_is_string(json_object_get(o, "check")) ||
		    !json_is_array(json_object_get(o, "chain"))) {
			json_decref(root);
			baseline_release(b);
			return ss_error(err, "%s: finding %zu lacks 'check' or 'chain'",
					path, i + 1);
		}
		k = key_string(o);
		strmap_put(&b->keys, arena_strdup(&b->arena, k), (void *)1);
		free(k);
		b->nr++;
	}
	json_decref(root);
	return 0;
}

void baseline_release(struct baseline *b)
{
	strmap_release(&b->keys);
	arena_release(&b->arena);
	memset(b, 0, sizeof(*b));
}
