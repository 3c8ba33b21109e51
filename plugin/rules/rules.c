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
 *
 * Here are the load and the release; the parts live apart (reader.h):
 * schema.c reads YAML against a schema, include.c loads the files,
 * read_facts.c, read_contexts.c, read_sinks.c, read_boot.c and
 * read_registrations.c read the sections, and query.c answers what the
 * loaded rules say.
 */
#include "rules/reader.h"

#include <xxhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The top file's name if it has one, else the first one given. */
static int read_name(struct loader *l)
{
	const char *name;
	yaml_node_t *node;
	int f;

	for (f = 0; f < l->nr_files; f++) {
		if (!(node = reader_file_key(l, f, TOP_NAME)))
			continue;
		if (schema_read_string(l, node, "name", &name))
			return -1;
		if (!l->r->name || f == l->nr_files - 1)
			l->r->name = name;
	}
	return 0;
}

/* The schema, section by section, over all the files in content order. */
static int read_rules(struct loader *l)
{
	if (read_name(l) || read_contexts_guard_constructor(l) ||
	    read_facts(l) || read_contexts(l) || read_contexts_held(l) ||
	    read_sinks_sleepers(l) || read_facts_establish(l) ||
	    read_facts_predicates(l) || read_boot(l) ||
	    read_registrations(l) || read_sinks(l))
		return -1;
	return 0;
}

void rules_version(const struct rules *r, char *buf, size_t size)
{
	snprintf(buf, size, "xxh64:%016llx", (unsigned long long)r->digest);
}

int rules_load(struct rules **out, const char *path, struct ss_err *err)
{
	struct loader l;
	int ret, i;

	memset(&l, 0, sizeof(l));
	l.err = err;
	l.r = xcalloc(1, sizeof(*l.r));
	l.r->path = arena_strdup(&l.r->arena, path);

	ret = include_load(&l, xstrdup(path), NULL);
	if (!ret)
		ret = read_rules(&l);
	for (i = 0; i < l.nr_opened; i++) {
		/* what the rules say is what their files say */
		l.r->digest = XXH64(l.opened[i]->text, l.opened[i]->len,
				    l.r->digest);
		include_free(l.opened[i]);
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
