/*
 * parse.c: the parallel parsing driver (see parse.h).
 */
#include "parse.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	struct fact_tu tu;
	int done;
	int extract_failed;
	struct ss_err err;
};

struct pool {
	const struct compdb *db;
	const struct rules *rules;
	const struct parse_opts *o;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct slot *slots;
	int next;		/* next TU to hand to a worker */
	int consumed;		/* TUs consumed so far */
	int window;
};

static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;

static void parse_one(struct pool *p, CXIndex idx, int i)
{
	const struct compdb_entry *e = &p->db->entries[i];
	struct slot *s = &p->slots[i];
	CXTranslationUnit tu = NULL;
	enum CXErrorCode rc;
	unsigned opts = CXTranslationUnit_KeepGoing;

#if CINDEX_VERSION_MINOR >= 51
	opts |= CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
#endif
	rc = clang_parseTranslationUnit2(idx, e->file, e->argv, e->argc, NULL, 0,
					 opts, &tu);
	if (rc != CXError_Success || !tu) {
		memset(&s->tu, 0, sizeof(s->tu));
		s->tu.index = i;
		s->tu.failed = 1;
		s->tu.file = e->file;
		s->tu.first_error = rc == CXError_Crashed ? "libclang crashed" :
				    rc == CXError_InvalidArguments ? "invalid arguments" :
				    rc == CXError_ASTReadError ? "AST read error" :
				    "parse failed";
		return;
	}
	if (facts_extract(&s->tu, tu, e->file, e->dir, i, p->rules, p->o->claim,
			  p->o->claim_data, &s->err))
		s->extract_failed = 1;
	clang_disposeTranslationUnit(tu);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	CXIndex idx;
	int i;

	pthread_mutex_lock(&index_lock);	/* older libclang raced here */
	idx = clang_createIndex(0, 0);
	pthread_mutex_unlock(&index_lock);
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->next < p->db->nr && p->next >= p->consumed + p->window)
			pthread_cond_wait(&p->cond, &p->lock);
		i = p->next < p->db->nr ? p->next++ : -1;
		pthread_mutex_unlock(&p->lock);
		if (i < 0)
			break;
		if (!p->o->skip || !p->o->skip[i])
			parse_one(p, idx, i);
		pthread_mutex_lock(&p->lock);
		p->slots[i].done = 1;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	clang_disposeIndex(idx);
	return NULL;
}

void parse_all(const struct compdb *db, const struct rules *r,
	       const struct parse_opts *o, struct parse_stats *st)
{
	int jobs = o->jobs > 0 ? o->jobs : 1;
	struct pool p;
	pthread_t *threads;
	int i, nthreads;

	memset(&p, 0, sizeof(p));
	memset(st, 0, sizeof(*st));
	p.db = db;
	p.rules = r;
	p.o = o;
	p.window = jobs * 4 + 4;
	p.slots = xcalloc(db->nr + 1, sizeof(*p.slots));
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	nthreads = jobs < db->nr ? jobs : db->nr;
	threads = xcalloc(nthreads + 1, sizeof(*threads));
	for (i = 0; i < nthreads; i++)
		pthread_create(&threads[i], NULL, worker, &p);

	for (i = 0; i < db->nr; i++) {
		struct slot *s = &p.slots[i];

		pthread_mutex_lock(&p.lock);
		while (!s->done)
			pthread_cond_wait(&p.cond, &p.lock);
		pthread_mutex_unlock(&p.lock);
		if (o->skip && o->skip[i]) {
			st->skipped++;
			o->consume(NULL, i, &db->entries[i], o->data);
			goto next;
		}
		/* a function we could not model fails its TU, not the run */
		if (s->extract_failed) {
			s->tu.nr_errors++;
			s->tu.first_error = s->err.msg;
		}
		if (s->tu.failed) {
			st->failed++;
		} else {
			st->parsed++;
			st->with_errors += s->tu.nr_errors > 0;
		}
		o->consume(&s->tu, i, &db->entries[i], o->data);
		if (!s->tu.failed)
			facts_tu_release(&s->tu);
next:
		pthread_mutex_lock(&p.lock);
		p.consumed = i + 1;
		pthread_cond_broadcast(&p.cond);
		pthread_mutex_unlock(&p.lock);
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	free(p.slots);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.cond);
}
