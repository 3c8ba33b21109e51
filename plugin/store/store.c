/*
 * store.c: the facts store in SQLite (see store.h).
 */
#define _GNU_SOURCE
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define SCHEMA_VERSION "1"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);"
	"CREATE TABLE IF NOT EXISTS tus(file TEXT PRIMARY KEY, dir TEXT,"
	" argv BLOB, cmd INTEGER, deps BLOB, facts BLOB);"
	"CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, size INTEGER,"
	" mtime INTEGER, hash INTEGER);"
	"CREATE TABLE IF NOT EXISTS units(key TEXT PRIMARY KEY, tu TEXT,"
	" facts BLOB);"
	"CREATE INDEX IF NOT EXISTS units_tu ON units(tu);";

enum { FILE_UNKNOWN, FILE_CURRENT, FILE_CHANGED };

struct store {
	sqlite3 *db;
	const char *dir, *path;
	uint64_t id;
	int keep;
	int corrupt;		/* SQLite found the file damaged */
	const char *rebuilt;	/* why it was started afresh, or NULL */
	struct strmap stamps;	/* path -> FILE_* for this run */
	struct strmap tus;	/* TU file -> FILE_* for this run */
	struct arena arena;
};

/* What to do about a store that cannot be written. */
#define READ_ONLY_ADVICE "fix its permissions, or give --cache a directory " \
	"you can write, or --no-cache"

static int is_corrupt(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static int db_error(struct store *s, struct ss_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(s->db);

	if (is_corrupt(rc)) {
		s->corrupt = 1;
		return ss_error(err, "%s: %s: the store is damaged (%s)", s->path,
				what, sqlite3_errmsg(s->db));
	}
	if ((rc & 0xff) == SQLITE_READONLY)
		return ss_error(err, "%s: %s: %s (the facts store must be writable: "
				READ_ONLY_ADVICE ")", s->path, what,
				sqlite3_errmsg(s->db));
	return ss_error(err, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int exec(struct store *s, const char *sql, struct ss_err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "cannot update");
	return 0;
}

static sqlite3_stmt *prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	return st;
}

char *store_meta(struct store *s, const char *key)
{
	sqlite3_stmt *st = prepare(s, "SELECT v FROM meta WHERE k=?");
	char *v = NULL;

	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (st && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) == SQLITE_TEXT)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int store_set_meta(struct store *s, const char *key, const char *value,
		   struct ss_err *err)
{
	sqlite3_stmt *st = prepare(s, "INSERT OR REPLACE INTO meta VALUES(?,?)");
	int rc;

	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "cannot write");
}

static int meta_exists(struct store *s, const char *key)
{
	sqlite3_stmt *st = prepare(s, "SELECT 1 FROM meta WHERE k=?");
	int found;

	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	found = st && sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Facts made by another splitsafe or under other rules are dropped. */
static int check_id(struct store *s, uint64_t id, int keep, struct ss_err *err)
{
	char want[64], *have, *sql;
	int ret = 0;

	snprintf(want, sizeof(want), SCHEMA_VERSION ":%016llx",
		 (unsigned long long)id);
	if (exec(s, "BEGIN IMMEDIATE", err))
		return -1;
	have = store_meta(s, "id");
	if (!have && meta_exists(s, "id"))
		s->rebuilt = arena_printf(&s->arena, "%s: the store's id is "
					  "unreadable", s->path);
	if (keep && (have ? strcmp(have, want) != 0 : s->rebuilt != NULL)) {
		free(have);
		exec(s, "ROLLBACK", NULL);
		return ss_error(err, "%s: facts of another splitsafe or other rules "
				"(give 'check' the --rules 'extract' had)", s->path);
	}
	if (!have || strcmp(have, want)) {
		sql = xasprintf("DELETE FROM tus; DELETE FROM units; DELETE FROM files;"
				"INSERT OR REPLACE INTO meta VALUES('id','%s')", want);
		ret = exec(s, sql, err);
		free(sql);
	}
	if (ret) {
		free(have);
		exec(s, "ROLLBACK", NULL);
		return -1;
	}
	ret = exec(s, "COMMIT", err);
	/* emptied: give the space back (not possible inside a transaction) */
	if (!ret && have && strcmp(have, want))
		sqlite3_exec(s->db, "VACUUM", NULL, NULL, NULL);
	free(have);
	return ret;
}

/* The directory and the file must take writes: say so before SQLite
 * fails with a message about something else. */
static int writable(struct store *s, struct ss_err *err)
{
	const char *what = NULL;

	if (access(s->dir, W_OK))
		what = s->dir;
	else if (!access(s->path, F_OK) && access(s->path, W_OK))
		what = s->path;
	else if (sqlite3_db_readonly(s->db, "main") == 1)
		what = s->path;
	if (!what)
		return 0;
	return ss_error(err, "%s: the facts store is read-only (" READ_ONLY_ADVICE ")",
			what);
}

static int is_busy(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

static int open_once(struct store *s, struct ss_err *err)
{
	if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		return ss_error(err, "cannot open '%s': %s", s->path,
				s->db ? sqlite3_errmsg(s->db) : "out of memory");
	if (writable(s, err))
		return -1;
	sqlite3_busy_timeout(s->db, 600000);
	if (exec(s, "PRAGMA journal_mode=WAL", err) ||
	    exec(s, "PRAGMA synchronous=NORMAL", err) ||
	    exec(s, schema, err) || check_id(s, s->id, s->keep, err)) {
		if (!err->msg[0] || !strstr(err->msg, s->path))
			db_error(s, err, "not a splitsafe facts store");
		return -1;
	}
	return 0;
}

/*
 * Another process opening a new store at the same moment can make SQLite
 * answer "locked" where its busy handler does not wait (switching into
 * WAL mode takes the file whole): such a start is tried again.
 */
static int open_db(struct store *s, struct ss_err *err)
{
	int tries;

	for (tries = 0;; tries++) {
		memset(err, 0, sizeof(*err));
		if (!open_once(s, err))
			return 0;
		if (!s->db || !is_busy(sqlite3_extended_errcode(s->db)) ||
		    tries == 3000)
			return -1;
		sqlite3_close(s->db);
		s->db = NULL;
		usleep(20000);
	}
}

static void remove_files(const char *path)
{
	static const char *const tails[] = { "", "-wal", "-shm" };
	size_t i;

	for (i = 0; i < sizeof(tails) / sizeof(*tails); i++) {
		char *p = xasprintf("%s%s", path, tails[i]);

		unlink(p);
		free(p);
	}
}

int store_rebuild(struct store *s, struct ss_err *err)
{
	if (s->keep)
		return ss_error(err, "%s: the facts store is damaged: run "
				"'splitsafe extract' again", s->path);
	if (!s->rebuilt)
		s->rebuilt = err->msg[0] ? arena_strdup(&s->arena, err->msg) :
			     "damaged";
	sqlite3_close(s->db);
	s->db = NULL;
	s->corrupt = 0;
	strmap_release(&s->stamps);
	strmap_release(&s->tus);
	remove_files(s->path);
	memset(err, 0, sizeof(*err));
	return open_db(s, err);
}

const char *store_rebuilt(const struct store *s)
{
	return s->rebuilt;
}

int store_corrupt(const struct store *s)
{
	return s->corrupt;
}

int store_open(struct store **out, const char *dir, uint64_t id, int keep,
	       struct ss_err *err)
{
	struct store *s;
	int ret;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return ss_error(err, "cannot create '%s': %s", dir, strerror(errno));
	s = xcalloc(1, sizeof(*s));
	s->dir = arena_strdup(&s->arena, dir);
	s->path = arena_printf(&s->arena, "%s/facts.db", dir);
	s->id = id;
	s->keep = keep;
	memset(err, 0, sizeof(*err));
	ret = open_db(s, err);
	if (ret && s->corrupt)
		ret = store_rebuild(s, err);
	if (ret) {
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	strmap_release(&s->stamps);
	strmap_release(&s->tus);
	arena_release(&s->arena);
	free(s);
}

/* NUL-separated strings, as stored. */
static void *join(const char *const *v, int n, int *len)
{
	size_t total = 0, off = 0;
	char *p;
	int i;

	for (i = 0; i < n; i++)
		total += strlen(v[i]) + 1;
	p = xmalloc(total + 1);
	for (i = 0; i < n; i++) {
		size_t k = strlen(v[i]) + 1;

		memcpy(p + off, v[i], k);
		off += k;
	}
	*len = (int)total;
	return p;
}

static const char **split(struct arena *a, const char *p, int len, int *nr)
{
	const char **v;
	int i, n = 0;

	for (i = 0; i < len; i++)
		n += !p[i];
	v = arena_alloc(a, (n + 1) * sizeof(*v));
	for (i = 0, n = 0; i < len; i += strlen(p + i) + 1)
		v[n++] = arena_strndup(a, p + i, strnlen(p + i, len - i));
	*nr = n;
	return v;
}

uint64_t store_cmd_digest(const char *file, const char *dir,
			  const char *const *argv, int argc)
{
	XXH64_state_t *h = XXH64_createState();
	uint64_t d;
	int i;

	XXH64_reset(h, 0);
	XXH64_update(h, file, strlen(file) + 1);
	XXH64_update(h, dir, strlen(dir) + 1);
	for (i = 0; i < argc; i++)
		XXH64_update(h, argv[i], strlen(argv[i]) + 1);
	d = XXH64_digest(h);
	XXH64_freeState(h);
	return d;
}

static int hash_file(const char *path, uint64_t *hash);

uint64_t store_self_digest(void)
{
	uint64_t h = 0;

	hash_file("/proc/self/exe", &h);
	return h;
}

/* XXH64 of a file's contents; -1 if unreadable. */
static int hash_file(const char *path, uint64_t *hash)
{
	XXH64_state_t *h;
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	h = XXH64_createState();
	XXH64_reset(h, 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		XXH64_update(h, buf, n);
	*hash = XXH64_digest(h);
	XXH64_freeState(h);
	close(fd);
	return n < 0 ? -1 : 0;
}

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Is path as it was parsed?  Size and mtime, else the contents. */
static int file_state(struct store *s, const char *path)
{
	uintptr_t memo = (uintptr_t)strmap_get(&s->stamps, path);
	sqlite3_stmt *st;
	struct stat sb;
	int state = FILE_CHANGED;

	if (memo)
		return (int)memo;
	st = prepare(s, "SELECT size, mtime, hash FROM files WHERE path=?");
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (!stat(path, &sb) && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_int64(st, 0) == (int64_t)sb.st_size) {
		uint64_t hash;

		if (sqlite3_column_int64(st, 1) == mtime_ns(&sb))
			state = FILE_CURRENT;
		else if (!hash_file(path, &hash) &&
			 (int64_t)hash == sqlite3_column_int64(st, 2))
			state = FILE_CURRENT;	/* touched, not changed */
	}
	sqlite3_finalize(st);
	strmap_put(&s->stamps, arena_strdup(&s->arena, path),
		   (void *)(uintptr_t)state);
	return state;
}

/* Remember for the run what is known of a TU. */
static void tu_state(struct store *s, const char *file, int state)
{
	const char *key = strmap_get(&s->tus, file) ? file :
			  arena_strdup(&s->arena, file);

	strmap_put(&s->tus, key, (void *)(uintptr_t)state);
}

int store_tu_current(struct store *s, const char *file)
{
	uintptr_t memo = (uintptr_t)strmap_get(&s->tus, file);
	sqlite3_stmt *st;
	int current = 0;

	if (memo)
		return memo == FILE_CURRENT;
	st = prepare(s, "SELECT deps FROM tus WHERE file=?");
	sqlite3_bind_text(st, 1, file, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *p = sqlite3_column_blob(st, 0);
		int len = sqlite3_column_bytes(st, 0), i;

		current = 1;
		for (i = 0; i < len && current; i += strlen(p + i) + 1)
			current = file_state(s, p + i) == FILE_CURRENT;
	}
	sqlite3_finalize(st);
	tu_state(s, file, current ? FILE_CURRENT : FILE_CHANGED);
	return current;
}

int store_tu_deps(struct store *s, const char *file, struct arena *arena,
		  const char ***paths, int *nr)
{
	sqlite3_stmt *st = prepare(s, "SELECT deps FROM tus WHERE file=?");
	int found = 0;

	*paths = NULL;
	*nr = 0;
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, file, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*paths = split(arena, sqlite3_column_blob(st, 0),
			       sqlite3_column_bytes(st, 0), nr);
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

int store_list(struct store *s, struct arena *arena, struct store_tu **out,
	       int *nr, struct ss_err *err)
{
	sqlite3_stmt *st = prepare(s, "SELECT file, dir, argv, cmd FROM tus ORDER BY file");
	struct store_tu *v = NULL;
	int n = 0, alloc = 0, rc, i;

	if (!st)
		return db_error(s, err, "cannot read");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_tu *t;

		ALLOC_GROW(v, n + 1, alloc);
		t = &v[n++];
		t->file = arena_strdup(arena, (const char *)sqlite3_column_text(st, 0));
		t->dir = arena_strdup(arena, (const char *)sqlite3_column_text(st, 1));
		t->argv = split(arena, sqlite3_column_blob(st, 2),
				sqlite3_column_bytes(st, 2), &t->argc);
		t->cmd = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return db_error(s, err, "cannot read");
	}
	for (i = 0; i < n; i++)
		v[i].current = store_tu_current(s, v[i].file);
	*out = arena_alloc(arena, (n + 1) * sizeof(*v));
	if (n)
		memcpy(*out, v, n * sizeof(*v));
	free(v);
	*nr = n;
	return 0;
}

static int get_blob(struct store *s, const char *sql, const char *key,
		    struct blob *out)
{
	sqlite3_stmt *st = prepare(s, sql);
	int found = 0;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->len = sqlite3_column_bytes(st, 0);
		out->p = xmalloc(out->len + 1);
		memcpy(out->p, sqlite3_column_blob(st, 0), out->len);
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

int store_tu_facts(struct store *s, const char *file, struct blob *out)
{
	return get_blob(s, "SELECT facts FROM tus WHERE file=?", file, out);
}

int store_unit_facts(struct store *s, const char *key, struct blob *out)
{
	return get_blob(s, "SELECT facts FROM units WHERE key=?", key, out);
}

int store_units(struct store *s,
		void (*fn)(void *data, const char *key, const char *tu),
		void *data, struct ss_err *err)
{
	sqlite3_stmt *st = prepare(s, "SELECT key, tu FROM units");
	int rc;

	if (!st)
		return db_error(s, err, "cannot read");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(data, (const char *)sqlite3_column_text(st, 0),
		   (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "cannot read");
}

static int damaged_in(struct store *s, const char *sql, int units,
		      void (*fn)(void *data, const char *key, const char *tu),
		      void *data, struct ss_err *err)
{
	sqlite3_stmt *st = prepare(s, sql);
	int rc;

	if (!st)
		return db_error(s, err, "cannot read");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (!factio_intact(sqlite3_column_blob(st, 1),
				   sqlite3_column_bytes(st, 1)))
			fn(data, units ? (const char *)sqlite3_column_text(st, 0) : NULL,
			   (const char *)sqlite3_column_text(st, units ? 2 : 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "cannot read");
}

int store_damaged(struct store *s,
		  void (*fn)(void *data, const char *key, const char *tu),
		  void *data, struct ss_err *err)
{
	return damaged_in(s, "SELECT file, facts FROM tus", 0, fn, data, err) ||
	       damaged_in(s, "SELECT key, facts, tu FROM units", 1, fn, data, err);
}

/* Record what was parsed of a file: its size and hash, and its mtime now. */
static int put_file(struct store *s, sqlite3_stmt *st, const struct fact_dep *d)
{
	struct stat sb;
	int rc;

	if (strmap_get(&s->stamps, d->path) == (void *)(uintptr_t)FILE_CURRENT)
		return 0;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, d->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)d->size);
	sqlite3_bind_int64(st, 3, stat(d->path, &sb) ? 0 : mtime_ns(&sb));
	sqlite3_bind_int64(st, 4, (int64_t)d->hash);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE && !stat(d->path, &sb) &&
	    (uint64_t)sb.st_size == d->size)
		strmap_put(&s->stamps, arena_strdup(&s->arena, d->path),
			   (void *)(uintptr_t)FILE_CURRENT);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int put_files(struct store *s, const struct store_put *p)
{
	sqlite3_stmt *st = prepare(s, "INSERT OR REPLACE INTO files VALUES(?,?,?,?)");
	int i, ret = st ? 0 : -1;

	for (i = 0; i < p->nr_deps && !ret; i++)
		ret = put_file(s, st, &p->deps[i]);
	sqlite3_finalize(st);
	return ret;
}

static int put_tu(struct store *s, const struct store_put *p)
{
	sqlite3_stmt *st = prepare(s, "INSERT OR REPLACE INTO tus VALUES(?,?,?,?,?,?)");
	const char **paths = xcalloc(p->nr_deps + 1, sizeof(*paths));
	void *argv, *deps;
	int alen, dlen, i, rc;

	for (i = 0; i < p->nr_deps; i++)
		paths[i] = p->deps[i].path;
	argv = join(p->argv, p->argc, &alen);
	deps = join(paths, p->nr_deps, &dlen);
	sqlite3_bind_text(st, 1, p->file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->dir, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, argv, alen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)p->cmd);
	sqlite3_bind_blob(st, 5, deps, dlen, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, p->facts->p, p->facts->len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(argv);
	free(deps);
	free(paths);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Units this TU extracted before and no longer defines go. */
static int drop_old_units(struct store *s, const struct store_put *p)
{
	sqlite3_stmt *sel = prepare(s, "SELECT key FROM units WHERE tu=?");
	sqlite3_stmt *del = prepare(s, "DELETE FROM units WHERE key=?");
	struct strmap defined = STRMAP_INIT;
	int i, ret = 0;

	for (i = 0; i < p->nr_hkeys; i++)
		strmap_put(&defined, p->hkeys[i], (void *)1);
	sqlite3_bind_text(sel, 1, p->file, -1, SQLITE_STATIC);
	while (!ret && sqlite3_step(sel) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(sel, 0);

		if (strmap_get(&defined, k))
			continue;
		sqlite3_reset(del);
		sqlite3_bind_text(del, 1, k, -1, SQLITE_TRANSIENT);
		ret = sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(del);
	strmap_release(&defined);
	return ret;
}

static int put_units(struct store *s, const struct store_put *p)
{
	sqlite3_stmt *st = prepare(s, "INSERT OR REPLACE INTO units VALUES(?,?,?)");
	int i, ret = st ? 0 : -1;

	for (i = 0; i < p->nr_units && !ret; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, p->keys[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->file, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, p->units[i].p, p->units[i].len,
				  SQLITE_STATIC);
		ret = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return ret;
}

int store_put(struct store *s, const struct store_put *p, struct ss_err *err)
{
	if (exec(s, "BEGIN IMMEDIATE", err))
		return -1;
	if (put_files(s, p) || put_tu(s, p) || drop_old_units(s, p) ||
	    put_units(s, p)) {
		db_error(s, err, "cannot write");
		exec(s, "ROLLBACK", NULL);
		return -1;
	}
	if (exec(s, "COMMIT", err))
		return -1;
	tu_state(s, p->file, FILE_CURRENT);	/* as just parsed */
	return 0;
}
