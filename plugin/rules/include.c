/*
 * include.c: the files of a rule set.  Each is opened, read, parsed and
 * its top level checked, then what it includes is loaded depth first, and
 * it is added to l->files after its includes (the content order).  A file
 * met again is known by its device and inode: once loaded, it adds
 * nothing; still loading, it is in an include cycle.
 *
 * Ownership: a source, its path, text and document are the loader's from
 * the moment it is opened (in l->opened); rules_load() frees them all
 * with include_free(), whether the load worked or not.
 */
#include "rules/reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RULES_MAX_BYTES ((size_t)16 << 20)	/* a rules file, 16 MiB */

/* ---- the top level of a file ---- */

static const struct field top_fields[TOP_NR] = {
	TOP_KEYS(SCHEMA_KEY_FIELD)
};

/* Checked before anything else: a newer file fails on its version. */
static int check_version(struct loader *l, yaml_node_t *root)
{
	yaml_node_pair_t *pair;
	int version;

	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = schema_node(l, pair->key);
		yaml_node_t *value = schema_node(l, pair->value);

		if (key->type != YAML_SCALAR_NODE ||
		    strcmp(schema_text(key), "splitsafe-rules"))
			continue;
		if (schema_read_int(l, value, "splitsafe-rules", &version))
			return -1;
		if (version != 1)
			return schema_error_at(l, value,
					       "unsupported rules version %d (expected 1)",
					       version);
		return 0;
	}
	return schema_error_at(l, root,
			       "missing required key 'splitsafe-rules' at top level");
}

/* The version and the keys of the file's top level, into l->src->top. */
static int read_top(struct loader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(&l->src->doc);

	if (schema_expect_mapping(l, root, "the top level") ||
	    check_version(l, root) ||
	    schema_read_fields(l, root, "at top level", top_fields, TOP_NR,
			       l->src->top))
		return -1;
	return 0;
}

/* ---- includes ---- */

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
	if (schema_check_scalar(l, node, "a file name", "include"))
		return -1;
	return include_load(l, include_path(l->src->path, schema_text(node)),
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
		if (include_one(l, schema_node(l, *it)))
			return -1;
	return 0;
}

/* ---- one file ---- */

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
	return schema_error_at(l, include, "%s '%s': %s", what,
			       schema_text(include), strerror(errnum));
}

/* The file at path, open and its identity in *st; path is not taken. */
static int open_file(struct loader *l, const char *path,
		     yaml_node_t *include, struct stat *st, FILE **out)
{
	int ret;

	*out = fopen(path, "rb");
	if (!*out)
		return file_error(l, include, "cannot open", path, errno);
	if (fstat(fileno(*out), st)) {
		ret = file_error(l, include, "cannot read", path, errno);
		fclose(*out);
		return ret;
	}
	return 0;
}

/* The file opened already that st is, or NULL. */
static struct source *opened_before(struct loader *l, const struct stat *st)
{
	int i;

	for (i = 0; i < l->nr_opened; i++)
		if (l->opened[i]->dev == st->st_dev &&
		    l->opened[i]->ino == st->st_ino)
			return l->opened[i];
	return NULL;
}

/* A new source for path (which it takes), the loader's from now on. */
static struct source *new_source(struct loader *l, char *path,
				 const struct stat *st)
{
	struct source *src = xcalloc(1, sizeof(*src));

	src->path = path;
	src->dev = st->st_dev;
	src->ino = st->st_ino;
	ALLOC_GROW(l->opened, l->nr_opened + 1, l->alloc_opened);
	l->opened[l->nr_opened++] = src;
	return src;
}

/* The text of src from f, which this closes. */
static int read_text(struct loader *l, struct source *src, FILE *f,
		     yaml_node_t *include)
{
	struct ss_err why;

	src->text = read_stream(f, include ? schema_text(include) : src->path,
				RULES_MAX_BYTES, &src->len, &why);
	fclose(f);
	if (!src->text)
		return include ? schema_error_at(l, include, "%s", why.msg) :
				 ss_error(l->err, "%s", why.msg);
	return 0;
}

/* Parse src, check its top level and load its includes, as l->src. */
static int read_source(struct loader *l, struct source *src)
{
	struct source *parent = l->src;
	int ret;

	src->loading = 1;
	l->src = src;
	ret = schema_parse(l) || read_top(l) || read_includes(l) ? -1 : 0;
	l->src = parent;
	src->loading = 0;
	if (ret)
		return -1;
	ALLOC_GROW(l->files, l->nr_files + 1, l->alloc_files);
	l->files[l->nr_files++] = src;
	return 0;
}

int include_load(struct loader *l, char *path, yaml_node_t *include)
{
	struct source *src;
	struct stat st;
	FILE *f;

	if (open_file(l, path, include, &st, &f)) {
		free(path);
		return -1;
	}
	src = opened_before(l, &st);
	if (src) {
		fclose(f);
		free(path);
		if (src->loading)
			return schema_error_at(l, include,
					       "include cycle through '%s'",
					       schema_text(include));
		return 0;
	}
	src = new_source(l, path, &st);
	if (read_text(l, src, f, include) || read_source(l, src))
		return -1;
	return 0;
}

void include_free(struct source *src)
{
	if (src->have_doc)
		yaml_document_delete(&src->doc);
	free(src->text);
	free(src->path);
	free(src);
}
