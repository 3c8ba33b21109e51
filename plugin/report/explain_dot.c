/*
 * explain_dot.c: the witness chains of explanations as a Graphviz digraph
 * (see explain.h).  Nodes are functions, identified by their name (and
 * a static function's file), in the order chains first name them; an edge is one call, drawn once however many chains use it.
 */
#include "report/explain.h"

#include <stdlib.h>
#include <string.h>

enum { K_PHASE = 1, K_CONTEXT = 2, K_SLEEP = 4 };

struct dot_node {
	int func;
	unsigned target:1, sleeper:1;
	int starts;		/* K_*: chains of these kinds start here */
	char **roles;		/* label lines: where and how chains start */
	int nr_roles, alloc_roles;
};

struct dot_edge {
	struct hop call;
	int kinds;		/* K_*: chains using it */
};

struct dot {
	const struct graph *g;
	const struct boot *b;
	const struct compdb *db;
	int *slot;		/* per graph node: index in nodes, or -1 */
	struct dot_node *nodes;
	int nr_nodes, alloc_nodes;
	struct dot_edge *edges;
	int nr_edges, alloc_edges;
};

static struct dot_node *node(struct dot *d, int func)
{
	struct dot_node *n;

	if (d->slot[func] >= 0)
		return &d->nodes[d->slot[func]];
	ALLOC_GROW(d->nodes, d->nr_nodes + 1, d->alloc_nodes);
	n = &d->nodes[d->nr_nodes];
	memset(n, 0, sizeof(*n));
	n->func = func;
	d->slot[func] = d->nr_nodes++;
	return n;
}

static void add_role(struct dot_node *n, const char *text)
{
	int i;

	for (i = 0; i < n->nr_roles; i++)
		if (!strcmp(n->roles[i], text))
			return;
	ALLOC_GROW(n->roles, n->nr_roles + 1, n->alloc_roles);
	n->roles[n->nr_roles++] = xstrdup(text);
}

static void add_edge(struct dot *d, const struct hop *h, int kind)
{
	int i;

	for (i = 0; i < d->nr_edges; i++)
		if (d->edges[i].call.func == h->func &&
		    d->edges[i].call.call == h->call) {
			d->edges[i].kinds |= kind;
			return;
		}
	ALLOC_GROW(d->edges, d->nr_edges + 1, d->alloc_edges);
	d->edges[d->nr_edges].call = *h;
	d->edges[d->nr_edges++].kinds = kind;
}

/* One chain: its start marked with what the witness is for. */
static void add_chain(struct dot *d, const struct finding *w, int kind,
		      const char *what)
{
	const struct graph *g = d->g;
	char start[1024], note[1536], role[2700];
	struct dot_node *n = node(d, w->entry);
	int i;

	explain_start(start, sizeof(start), g, d->db, w);
	explain_note(note, sizeof(note), g, d->b, w);
	if (*start) {
		snprintf(role, sizeof(role), "%s: %s%s%s%s", what, start,
			 *note ? " (" : "", note, *note ? ")" : "");
		add_role(n, role);
		n->starts |= kind;
	}
	for (i = 0; i < w->nr_hops; i++) {
		const struct g_func *f = &g->funcs[w->hops[i].func];

		node(d, f->calls[w->hops[i].call].callee);
		add_edge(d, &w->hops[i], kind);
	}
}

static void add_explanation(struct dot *d, const struct explanation *ex)
{
	const struct graph *g = d->g;
	char what[256];
	int i;

	node(d, ex->func)->target = 1;
	for (i = 0; i < ex->phases.nr; i++) {
		snprintf(what, sizeof(what), "phase %s",
			 g->rules->boot.phases[ex->phases.v[i].phase].name);
		add_chain(d, &ex->phases.v[i], K_PHASE, what);
	}
	for (i = 0; i < ex->contexts.nr; i++) {
		snprintf(what, sizeof(what), "context %s",
			 g->rules->contexts[ex->contexts.v[i].context]->kind);
		add_chain(d, &ex->contexts.v[i], K_CONTEXT, what);
	}
	for (i = 0; i < ex->sleeps.nr; i++) {
		const struct g_func *k = &g->funcs[ex->sleeps.v[i].sink];
		struct dot_node *n;

		add_chain(d, &ex->sleeps.v[i], K_SLEEP, "");
		n = node(d, ex->sleeps.v[i].sink);
		n->sleeper = 1;
		add_role(n, k->rules && k->rules->sink ? k->rules->sink->why :
			 "may sleep");
	}
}

/* A DOT string: quoted, '"' and '\' escaped, newlines as \n. */
static void put_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

/* A function's ID: its name, and a static one's file, relative to the
 * root so that the graph does not depend on where the tree is. */
static void put_id(FILE *out, const struct dot *d, const struct g_func *f)
{
	fputc('"', out);
	put_escaped(out, f->name);
	if (f->is_static && f->loc.file) {
		fputc('@', out);
		put_escaped(out, compdb_relative(d->db, f->loc.file));
	}
	fputc('"', out);
}

static const char *color(int kinds)
{
	if (kinds == K_CONTEXT)
		return "red";
	if (kinds == K_PHASE)
		return "blue";
	if (kinds == K_SLEEP)
		return "darkorange";
	return "black";
}

static void put_node(FILE *out, const struct dot *d, const struct dot_node *n)
{
	const struct g_func *f = &d->g->funcs[n->func];
	char name[512];
	int i;

	fputc('\t', out);
	put_id(out, d, f);
	fputs(" [label=\"", out);
	put_escaped(out, explain_name(name, sizeof(name), f));
	if (f->is_static && f->loc.file) {
		fputs("\\n", out);
		put_escaped(out, compdb_relative(d->db, f->loc.file));
	}
	for (i = 0; i < n->nr_roles; i++) {
		fputs("\\n", out);
		put_escaped(out, n->roles[i]);
	}
	fputc('"', out);
	if (n->target)
		fputs(", style=\"filled,bold\", fillcolor=gold, penwidth=2", out);
	if (n->sleeper)
		fputs(", shape=octagon", out);
	if (n->starts)
		fprintf(out, ", peripheries=2, color=%s", color(n->starts));
	else if (n->sleeper)
		fputs(", color=darkorange", out);
	fputs("];\n", out);
}

static void put_edge(FILE *out, const struct dot *d, const struct dot_edge *e)
{
	const struct g_func *f = &d->g->funcs[e->call.func];
	const struct g_call *c = &f->calls[e->call.call];

	fputc('\t', out);
	put_id(out, d, f);
	fputs(" -> ", out);
	put_id(out, d, &d->g->funcs[c->callee]);
	fputs(" [label=\"", out);
	put_escaped(out, compdb_relative(d->db, c->loc.file));
	fprintf(out, ":%u", c->loc.line);
	if (c->indirect) {
		fputs("\\nthrough ", out);
		put_escaped(out, c->via);
	}
	fprintf(out, "\", color=%s];\n", color(e->kinds));
}

static void release(struct dot *d)
{
	int i, j;

	for (i = 0; i < d->nr_nodes; i++) {
		for (j = 0; j < d->nodes[i].nr_roles; j++)
			free(d->nodes[i].roles[j]);
		free(d->nodes[i].roles);
	}
	free(d->nodes);
	free(d->edges);
	free(d->slot);
}

int explain_dot(FILE *out, const struct graph *g, const struct boot *b,
		const struct compdb *db, const struct explanations *xs)
{
	struct dot d;
	int i;

	memset(&d, 0, sizeof(d));
	d.g = g;
	d.b = b;
	d.db = db;
	d.slot = xcalloc(g->nr + 1, sizeof(int));
	for (i = 0; i < g->nr; i++)
		d.slot[i] = -1;
	for (i = 0; i < xs->nr; i++)
		add_explanation(&d, &xs->v[i]);
	fputs("digraph \"splitsafe explain\" {\n"
	      "\tnode [shape=box, fontname=\"Helvetica\"];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=10];\n", out);
	for (i = 0; i < d.nr_nodes; i++)
		put_node(out, &d, &d.nodes[i]);
	for (i = 0; i < d.nr_edges; i++)
		put_edge(out, &d, &d.edges[i]);
	fputs("}\n", out);
	release(&d);
	return ferror(out) ? -1 : 0;
}
