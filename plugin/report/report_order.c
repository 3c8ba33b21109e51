/*
 * report_order.c: the text of a value read before it is set
 * (check/order.h): "map_mem() reads is_realm_world() before
 * arm64_rsi_init() sets it (setup_arch: paging_init() at line 9,
 * arm64_rsi_init() at line 10)", the chain from where boot starts to the
 * read, and where the value is set.
 */
#include "report/block.h"

#include <stdio.h>

/* " (setup_arch: paging_init() at line 9, arm64_rsi_init() at line 10)" */
static void parting(char *buf, size_t size, const struct graph *g,
		    const struct finding *f)
{
	const struct hop *h;
	const struct g_func *fn;
	const struct g_call *read, *set;

	*buf = '\0';
	if (f->order_hop < 0)
		return;
	h = &f->hops[f->order_hop];
	fn = &g->funcs[h->func];
	read = &fn->calls[h->call];
	set = &fn->calls[f->order_set_call];
	snprintf(buf, size, " (%s: %s() at line %u, %s() at line %u)",
		 fn->name, g->funcs[read->callee].name, read->loc.line,
		 g->funcs[set->callee].name, set->loc.line);
}

/* Where the value gets set, or at the read why it is not yet. */
static void set_note(struct block *b, const struct graph *g,
		     const struct compdb *db, const struct finding *f,
		     const struct rules_valid_from *v)
{
	const struct hop *h;

	if (f->order_hop >= 0) {
		h = &f->hops[f->order_hop];
		block_loc(b, db, &g->funcs[h->func].calls[f->order_set_call].loc);
		block_add(b, "note: the value is set here, later: %s\n",
			  v->because);
		return;
	}
	h = &f->hops[f->nr_hops - 1];
	block_loc(b, db, &g->funcs[h->func].calls[h->call].loc);
	block_add(b, "note: read here before the value is set: %s\n",
		  v->because);
}

void render_order(struct block *b, const struct graph *g,
		  const struct compdb *db, const struct finding *f,
		  const struct report_opts *o)
{
	const struct rules_valid_from *v =
		&g->rules->boot.valid_from[f->order_rule];
	const struct hop *w = &f->hops[f->warn_hop];
	const struct fact_loc *at = &g->funcs[w->func].calls[w->call].loc;
	char where[600], read[512];

	block_sink_name(read, sizeof(read), &g->funcs[f->sink]);
	parting(where, sizeof(where), g, f);
	block_start(b, db, at, f);
	block_add(b, "%s() reads %s before %s() sets it%s [%s]\n",
		  g->funcs[w->func].name, read, v->set_by, where, f->check);
	b->flow_first = b->nr_lines;
	block_entry_note(b, g, db, f, o);
	block_hops(b, g, db, f);
	b->flow_end = b->nr_lines;
	set_note(b, g, db, f, v);
	if (f->suppressed) {
		b->why_first = b->nr_lines;
		block_accepted_note(b, db, at, f);
	}
}
