/*
 * worker.c: parse workers as child processes (see worker.h).
 */
#define _GNU_SOURCE
#include "parse/worker.h"
#include "extract/extract.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Frames never hold more than this: a longer length is a broken worker. */
#define MAX_FRAME ((uint64_t)1 << 34)
#define MAX_KEY (1u << 20)

typedef ssize_t (*io_fn)(int fd, void *p, size_t n);

/* All n bytes through io, retried when a signal interrupts it. */
static int io_all(int fd, void *p, size_t n, io_fn io)
{
	char *c = p;

	while (n) {
		ssize_t k = io(fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= k;
	}
	return 0;
}

/* send(), not write(): a parent gone is an error here, not a SIGPIPE */
static ssize_t send_some(int fd, void *p, size_t n)
{
	return send(fd, p, n, MSG_NOSIGNAL);
}

static int write_all(int fd, const void *p, size_t n)
{
	return io_all(fd, (void *)p, n, send_some);
}

static int read_all(int fd, void *p, size_t n)
{
	return io_all(fd, p, n, read);
}

/* ---- the child ---- */

struct child {
	int fd;
	struct CXUnsavedFile *unsaved;	/* the overlay's files with a text */
	unsigned nr_unsaved;
	const char *vfs;		/* its -ivfsoverlay file, or NULL */
};

/* The overlay as libclang's unsaved files: a file absent on that side is
 * not among them (a TU that reads it reads the work tree's). */
static void unsaved_files(struct child *c, const struct overlay *ov)
{
	int i;

	c->unsaved = xcalloc(ov ? ov->nr + 1 : 1, sizeof(*c->unsaved));
	c->vfs = ov ? ov->vfs_file : NULL;
	for (i = 0; ov && i < ov->nr; i++) {
		const struct overlay_file *f = ov->all[i];

		if (!f->text)
			continue;
		c->unsaved[c->nr_unsaved].Filename = f->path;
		c->unsaved[c->nr_unsaved].Contents = f->text;
		c->unsaved[c->nr_unsaved++].Length = f->len;
	}
}

/* facts_claim_fn: ask the parent, which knows every worker's claims. */
static int child_claim(void *data, const char *key)
{
	struct child *c = data;
	uint32_t len = strlen(key);
	unsigned char yes;

	if (write_all(c->fd, "C", 1) || write_all(c->fd, &len, 4) ||
	    write_all(c->fd, key, len) || read_all(c->fd, &yes, 1))
		_exit(3);	/* the parent is gone */
	return yes == 1;
}

static const char *parse_error(enum CXErrorCode rc)
{
	return rc == CXError_Crashed ? "libclang crashed" :
	       rc == CXError_InvalidArguments ? "invalid arguments" :
	       rc == CXError_ASTReadError ? "AST read error" : "parse failed";
}

/* The entry's arguments, and the overlay's file system if it has one. */
static enum CXErrorCode parse_with(CXIndex idx, const struct compdb_entry *e,
				   const struct child *c, unsigned opts,
				   CXTranslationUnit *tu)
{
	const char **argv = xcalloc(e->argc + 3, sizeof(*argv));
	enum CXErrorCode rc;
	int n = e->argc;

	memcpy(argv, e->argv, e->argc * sizeof(*argv));
	if (c->vfs) {
		argv[n++] = "-ivfsoverlay";
		argv[n++] = c->vfs;
	}
	rc = clang_parseTranslationUnit2(idx, e->file, argv, n, c->unsaved,
					 c->nr_unsaved, opts, tu);
	free(argv);
	return rc;
}

static void parse_entry(CXIndex idx, const struct compdb_entry *e, int i,
			const struct rules *r, struct child *c, struct fact_tu *t)
{
	CXTranslationUnit tu = NULL;
	enum CXErrorCode rc;
	unsigned opts = CXTranslationUnit_KeepGoing;
	struct ss_err err;

#if CINDEX_VERSION_MINOR >= 51
	opts |= CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
#endif
	rc = parse_with(idx, e, c, opts, &tu);
	if (rc != CXError_Success || !tu) {
		memset(t, 0, sizeof(*t));
		t->index = i;
		t->failed = 1;
		t->file = e->file;
		t->first_error = parse_error(rc);
		return;
	}
	/* a function we could not model fails its TU, not the run */
	if (facts_extract(t, tu, e->file, e->dir, i, r, child_claim, c, &err)) {
		t->nr_errors++;
		t->first_error = arena_strdup(&t->arena, err.msg);
	}
	clang_disposeTranslationUnit(tu);
}

static void child_main(int fd, const struct compdb *db, const struct rules *r,
		       const struct overlay *ov)
{
	struct child c = { fd, NULL, 0, NULL };
	CXIndex idx;
	uint32_t i;

	unsaved_files(&c, ov);
	/* parse on this thread: a worker is its own safety net, and a thread
	 * libclang could not start would abort it */
	setenv("LIBCLANG_NOTHREADS", "1", 1);
	idx = clang_createIndex(0, 0);

	while (!read_all(fd, &i, 4) && i < (uint32_t)db->nr) {
		struct fact_tu t;
		struct blob b;
		uint64_t len;

		parse_entry(idx, &db->entries[i], i, r, &c, &t);
		factio_encode_whole(&t, r, &b);
		len = b.len;
		if (write_all(fd, "R", 1) || write_all(fd, &i, 4) ||
		    write_all(fd, &len, 8) || write_all(fd, b.p, b.len))
			_exit(3);
		free(b.p);
		facts_tu_release(&t);
	}
	_exit(0);		/* no atexit handlers, no stdio flushed twice */
}

/* ---- the parent ---- */

int worker_start(struct worker *w, const struct worker *others, int nr_others,
		 const struct compdb *db, const struct rules *r,
		 const struct overlay *overlay, struct ss_err *err)
{
	int sv[2], i;
	pid_t pid;

	w->pid = -1;
	w->fd = -1;
	w->tu = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return ss_error(err, "cannot start a parse worker: socketpair: %s",
				strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return ss_error(err, "cannot start a parse worker: %s",
				strerror(errno));
	}
	if (!pid) {
		close(sv[0]);
		for (i = 0; i < nr_others; i++)
			if (others[i].fd >= 0)
				close(others[i].fd);
		child_main(sv[1], db, r, overlay);
	}
	close(sv[1]);
	w->pid = pid;
	w->fd = sv[0];
	return 0;
}

int worker_send(struct worker *w, int index)
{
	uint32_t i = index;

	if (write_all(w->fd, &i, 4))
		return -1;
	w->tu = index;
	return 0;
}

static enum worker_said read_claim(struct worker *w, char **key)
{
	uint32_t len;

	if (read_all(w->fd, &len, 4) || len > MAX_KEY)
		return WORKER_GONE;
	*key = xmalloc(len + 1);
	if (read_all(w->fd, *key, len)) {
		free(*key);
		return WORKER_GONE;
	}
	(*key)[len] = '\0';
	return WORKER_CLAIM;
}

static enum worker_said read_result(struct worker *w, struct blob *facts)
{
	uint32_t i;
	uint64_t len;

	if (read_all(w->fd, &i, 4) || (int)i != w->tu ||
	    read_all(w->fd, &len, 8) || len > MAX_FRAME)
		return WORKER_GONE;
	facts->len = len;
	facts->p = xmalloc(len + 1);
	if (read_all(w->fd, facts->p, len)) {
		free(facts->p);
		return WORKER_GONE;
	}
	return WORKER_RESULT;
}

enum worker_said worker_read(struct worker *w, char **key, struct blob *facts)
{
	char kind;

	if (read_all(w->fd, &kind, 1))
		return WORKER_GONE;
	if (kind == 'C')
		return read_claim(w, key);
	if (kind == 'R')
		return read_result(w, facts);
	return WORKER_GONE;
}

int worker_answer(struct worker *w, int yes)
{
	unsigned char b = yes ? 1 : 0;

	return write_all(w->fd, &b, 1);
}

const char *worker_stop(struct worker *w, char *buf, size_t size)
{
	int status;

	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->pid <= 0)
		return NULL;
	while (waitpid(w->pid, &status, 0) < 0)
		if (errno != EINTR)
			return NULL;
	w->pid = -1;
	if (WIFSIGNALED(status))
		snprintf(buf, size, "%s", strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status) && WEXITSTATUS(status))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
	else
		return NULL;
	return buf;
}
