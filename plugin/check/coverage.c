/*
 * coverage.c: rules names the analysed code never met (see coverage.h).
 *
 * The tree is read only for the names no TU met, usually a handful: each
 * .c and .h file is lexed just enough to skip comments and literals, and
 * an identifier is looked up only when its length and first character
 * could be one of those names.
 */
#define _GNU_SOURCE
#include "check/coverage.h"

#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Roles whose names must exist for the rules to do their work. */
static int checked_role(const struct rules_name *rn)
{
	return rn->context || rn->entry || rn->sink || rn->predicate ||
	       rn->establish || rn->sleeper || rn->sleeps_at ||
	       rn->held_assert || rn->held_annotation || rn->boot_root ||
	       rn->transition || rn->boot_pred || rn->registration;
}

struct collect_unmet {
	struct coverage *c;
	const struct graph *g;
	int alloc;
};

static int add_unmet(const struct rules_name *rn, void *data)
{
	struct collect_unmet *u = data;
	struct coverage *c = u->c;

	if (!checked_role(rn))
		return 0;
	c->total++;
	if (strmap_get(&u->g->rules_seen, rn->name))
		return 0;
	ALLOC_GROW(c->unmet, c->nr_unmet + 1, u->alloc);
	c->unmet[c->nr_unmet].name = rn->name;
	c->unmet[c->nr_unmet++].where = NULL;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct coverage_name *)a)->name,
		      ((const struct coverage_name *)b)->name);
}

/* What is looked for in the sources: "timer_list.function" as its tag. */
struct scan {
	struct coverage *c;
	struct strmap want;	/* identifier -> coverage_name index + 1 */
	int *next;		/* the next name with the same identifier + 1 */
	uint64_t lengths;	/* bit n: some identifier of length n */
	unsigned char first[256];
	int left;		/* names not found yet */
	const char *rel;	/* the file being read, relative */
};

static void want_name(struct scan *s, int i)
{
	const char *n = s->c->unmet[i].name, *dot = strchr(n, '.');
	size_t len = dot ? (size_t)(dot - n) : strlen(n);
	char *id = arena_strndup(&s->c->arena, n, len);

	if (len >= 64)
		return;		/* no kernel identifier is that long */
	s->next[i] = (int)(intptr_t)strmap_get(&s->want, id);
	strmap_put(&s->want, id, (void *)(intptr_t)(i + 1));
	s->lengths |= (uint64_t)1 << len;
	s->first[(unsigned char)id[0]] = 1;
	s->left++;
}

static int ident_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

static void found(struct scan *s, const char *p, size_t len)
{
	char id[64];
	intptr_t i;

	memcpy(id, p, len);
	id[len] = '\0';
	for (i = (intptr_t)strmap_get(&s->want, id); i; i = s->next[i - 1]) {
		if (s->c->unmet[i - 1].where)
			continue;
		s->c->unmet[i - 1].where = arena_strdup(&s->c->arena, s->rel);
		s->left--;
	}
}

/* Where a comment, string or character literal starting at p ends. */
static size_t skip_noncode(const char *p, size_t i, size_t n)
{
	char q;

	if (p[i] == '/' && i + 1 < n && p[i + 1] == '*') {
		const char *e = memmem(p + i + 2, n - i - 2, "*/", 2);

		return e ? (size_t)(e - p) + 2 : n;
	}
	if (p[i] == '/' && i + 1 < n && p[i + 1] == '/') {
		const char *e = memchr(p + i, '\n', n - i);

		return e ? (size_t)(e - p) : n;
	}
	q = p[i];
	for (i++; i < n && p[i] != q && p[i] != '\n'; i++)
		if (p[i] == '\\')
			i++;
	return i < n ? i + 1 : n;
}

static void scan_text(struct scan *s, const char *p, size_t n)
{
	size_t i = 0, j;

	while (i < n && s->left) {
		unsigned char ch = p[i];

		if (ch == '"' || ch == '\'' ||
		    (ch == '/' && i + 1 < n && (p[i + 1] == '*' || p[i + 1] == '/'))) {
			i = skip_noncode(p, i, n);
		} else if (ident_char(ch)) {
			for (j = i + 1; j < n && ident_char((unsigned char)p[j]); j++)
				;
			if (j - i < 64 && (s->lengths >> (j - i) & 1) &&
			    s->first[ch] && !(ch >= '0' && ch <= '9'))
				found(s, p + i, j - i);
			i = j;
		} else {
			i++;
		}
	}
}

static int is_source(const char *name, size_t len)
{
	return len > 2 && name[len - 2] == '.' &&
	       (name[len - 1] == 'c' || name[len - 1] == 'h');
}

static void scan_file(struct scan *s, const char *path, off_t size,
		      char **buf, size_t *alloc)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;
	size_t n = 0;

	if (fd < 0)
		return;
	if ((size_t)size + 1 > *alloc) {
		*alloc = (size_t)size + 1;
		*buf = xrealloc(*buf, *alloc);
	}
	while (n < (size_t)size && (got = read(fd, *buf + n, size - n)) > 0)
		n += got;
	close(fd);
	s->c->files++;
	scan_text(s, *buf, n);
}

/* Look for the unmet names in every .c and .h file under root. */
static int scan_tree(struct scan *s, const char *root, struct ss_err *err)
{
	char *const paths[] = { (char *)root, NULL };
	size_t rootlen = strlen(root), alloc = 0;
	FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	char *buf = NULL;
	FTSENT *e;

	if (!fts)
		return ss_error(err, "cannot read '%s': %s", root, strerror(errno));
	while (s->left && (e = fts_read(fts))) {
		if (e->fts_info == FTS_D && e->fts_level > 0 && e->fts_name[0] == '.') {
			fts_set(fts, e, FTS_SKIP);
			continue;
		}
		if (e->fts_info != FTS_F || !is_source(e->fts_name, e->fts_namelen))
			continue;
		s->rel = e->fts_path + (e->fts_pathlen > rootlen ? rootlen + 1 : 0);
		scan_file(s, e->fts_path, e->fts_statp->st_size, &buf, &alloc);
	}
	free(buf);
	fts_close(fts);
	return 0;
}

int coverage_compute(struct coverage *c, const struct rules *r,
		     const struct graph *g, const char *root, struct ss_err *err)
{
	struct collect_unmet u = { c, g, 0 };
	struct scan s;
	int i, ret = 0;

	memset(c, 0, sizeof(*c));
	rules_each_name(r, add_unmet, &u);
	if (c->nr_unmet)
		qsort(c->unmet, c->nr_unmet, sizeof(*c->unmet), by_name);
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.next = xcalloc(c->nr_unmet + 1, sizeof(*s.next));
	for (i = 0; i < c->nr_unmet; i++)
		want_name(&s, i);
	if (s.left && root)
		ret = scan_tree(&s, root, err);
	strmap_release(&s.want);
	free(s.next);
	for (i = 0; i < c->nr_unmet; i++)
		c->nr_gone += !c->unmet[i].where;
	return ret;
}

void coverage_release(struct coverage *c)
{
	free(c->unmet);
	arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}
