/*
 * parse.c: the parallel parsing driver (see parse.h).
 */
#include "parse/parse.h"
#include "parse/worker.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	struct blob facts;	/* the whole TU, from its worker */
	const char *crashed;	/* or why its worker died */
	int done;
};

struct pool {
	const struct compdb *db;
	const struct rules *rules;
	const struct parse_opts *o;
	struct parse_stats *st;
	struct worker *w;
	int nr_workers;
	struct slot *slots;
	int next;		/* next TU to hand to a worker */
	int consumed;		/* TUs consumed so far */
	int window;
	struct arena arena;	/* crash reasons */
	struct ss_err *err;
};

static int skipped(const struct pool *p, int i)
{
	return p->o->skip && p->o->skip[i];
}

static int to_parse(const struct pool *p)
{
	int i, n = 0;

	for (i = 0; i < p->db->nr; i++)
		n += !skipped(p, i);
	return n;
}

/* A worker died: its TU failed with the reason, another takes its place. */
static int replace(struct pool *p, struct worker *w)
{
	char why[128];
	const char *how = worker_stop(w, why, sizeof(why));
	int tu = w->tu;

	if (tu >= 0) {
		p->slots[tu].crashed = arena_printf(&p->arena, "libclang or the "
			"extractor crashed on it (%s)", how ? how : "worker lost");
		p->slots[tu].done = 1;
	}
	return worker_start(w, p->w, p->nr_workers, p->db, p->rules,
			    p->o->overlay, p->err);
}

/* Give idle workers the next TUs, no further than the window ahead. */
static int hand_out(struct pool *p)
{
	int k;

	for (k = 0; k < p->nr_workers; k++) {
		struct worker *w = &p->w[k];

		while (p->next < p->db->nr && skipped(p, p->next))
			p->next++;
		if (w->tu >= 0 || p->next >= p->db->nr ||
		    p->next >= p->consumed + p->window)
			continue;
		if (worker_send(w, p->next)) {
			w->tu = -1;	/* gone while idle: nothing lost */
			if (replace(p, w))
				return -1;
			k--;
			continue;
		}
		p->next++;
	}
	return 0;
}

/* -1 if a worker that died could not be replaced (p->err says why). */
static int heard(struct pool *p, struct worker *w)
{
	struct blob facts;
	char *key = NULL;

	switch (worker_read(w, &key, &facts)) {
	case WORKER_CLAIM:
		/* if it is gone, the next read says so */
		(void)worker_answer(w, p->o->claim(p->o->claim_data, key));
		free(key);
		break;
	case WORKER_RESULT:
		p->slots[w->tu].facts = facts;
		p->slots[w->tu].done = 1;
		w->tu = -1;
		break;
	case WORKER_GONE:
		return replace(p, w);
	}
	return 0;
}

/* Wait until a busy worker says something, and hear it. */
static int listen_workers(struct pool *p)
{
	struct pollfd fds[p->nr_workers + 1];
	int who[p->nr_workers + 1];	/* fds[j] is worker who[j]'s */
	int k, j, n = 0;

	for (k = 0; k < p->nr_workers; k++)
		if (p->w[k].tu >= 0) {
			who[n] = k;
			fds[n].fd = p->w[k].fd;
			fds[n++].events = POLLIN;
		}
	if (!n)
		return ss_error(p->err, "parse workers idle with TUs left");
	while (poll(fds, n, -1) < 0)
		if (errno != EINTR)
			return ss_error(p->err, "poll: %s", strerror(errno));
	for (j = 0; j < n; j++)
		if (fds[j].revents && heard(p, &p->w[who[j]]))
			return -1;
	return 0;
}

static void count(struct pool *p, const struct fact_tu *t)
{
	if (t->failed) {
		p->st->failed++;
	} else {
		p->st->parsed++;
		p->st->with_errors += t->nr_errors > 0;
	}
}

/* A TU's facts as its worker sent them, or a failed TU. */
static void unpack(struct pool *p, int i, struct fact_tu *t)
{
	struct slot *s = &p->slots[i];
	struct ss_err err;

	if (s->crashed || factio_decode(s->facts.p, s->facts.len, p->rules, t, &err)) {
		memset(t, 0, sizeof(*t));
		t->failed = 1;
		t->file = p->db->entries[i].file;
		t->first_error = s->crashed ? s->crashed :
				 "its parse worker sent malformed facts";
	}
	t->index = i;
	free(s->facts.p);
	s->facts.p = NULL;
}

/* Hand the caller every TU ready in database order; how many. */
static int consume_ready(struct pool *p)
{
	int n = 0;

	for (; p->consumed < p->db->nr; p->consumed++, n++) {
		int i = p->consumed;
		struct fact_tu t;

		if (skipped(p, i)) {
			p->st->skipped++;
			p->o->consume(NULL, i, &p->db->entries[i], p->o->data);
			continue;
		}
		if (!p->slots[i].done)
			break;
		unpack(p, i, &t);
		count(p, &t);
		p->o->consume(&t, i, &p->db->entries[i], p->o->data);
		facts_tu_release(&t);
	}
	return n;
}

static int start_workers(struct pool *p, int n)
{
	int k;

	p->w = xcalloc(n + 1, sizeof(*p->w));
	for (k = 0; k < n; k++) {
		if (worker_start(&p->w[k], p->w, k, p->db, p->rules, p->o->overlay,
				 p->err))
			return -1;
		p->nr_workers = k + 1;
	}
	return 0;
}

static void stop_workers(struct pool *p)
{
	char why[128];
	int k;

	for (k = 0; k < p->nr_workers; k++)
		worker_stop(&p->w[k], why, sizeof(why));
	free(p->w);
}

int parse_all(const struct compdb *db, const struct rules *r,
	      const struct parse_opts *o, struct parse_stats *st,
	      struct ss_err *err)
{
	int jobs = o->jobs > 0 ? o->jobs : 1, ret = 0, i;
	struct pool p;

	memset(&p, 0, sizeof(p));
	memset(st, 0, sizeof(*st));
	p.db = db;
	p.rules = r;
	p.o = o;
	p.st = st;
	p.err = err;
	p.window = jobs * 4 + 4;
	p.slots = xcalloc(db->nr + 1, sizeof(*p.slots));
	i = to_parse(&p);
	if (start_workers(&p, jobs < i ? jobs : i))
		ret = -1;
	while (!ret && p.consumed < db->nr)
		if (hand_out(&p))
			ret = -1;
		else if (!consume_ready(&p))
			ret = listen_workers(&p);
	stop_workers(&p);
	for (i = 0; i < db->nr; i++)
		free(p.slots[i].facts.p);
	free(p.slots);
	arena_release(&p.arena);
	return ret;
}
