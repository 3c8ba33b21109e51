/*
 * block.h: a finding's text as the reporters build it, private to
 * report/: one block of lines, "file:line:col: severity: message" then
 * its notes, with where each line starts for the structured formats; and
 * the notes every kind of finding shares (the chain, where a boot chain
 * starts, a user's acceptance).
 *
 * Ownership: a block owns its text and lines (report.c frees them).
 */
#ifndef SPLITSAFE_REPORT_BLOCK_H
#define SPLITSAFE_REPORT_BLOCK_H

#include "report/report.h"

/* Where each line of a block starts, for the structured formats. */
struct rline {
	const char *file;
	unsigned line, col;
	size_t msg;		/* offset of the message after "file:l:c: " */
};

struct block {
	char *text;
	size_t len, alloc;
	const char *file;	/* for sorting */
	unsigned line, col;
	int suppressed;
	const char *check;
	const struct finding *finding;
	struct rline *lines;
	int nr_lines, alloc_lines;
	int flow_first, flow_end;	/* see struct report_item */
	int why_first;
};

__attribute__((format(printf, 2, 3)))
void block_add(struct block *b, const char *fmt, ...);

/* A line at l: "file:line:col: ", the message to follow (block_add). */
void block_loc(struct block *b, const struct compdb *db,
	       const struct fact_loc *l);

/*
 * The first line of a block, which also places it in the sort order; a
 * fixed finding (check --compare) is a note: it is gone.
 */
void block_start(struct block *b, const struct compdb *db,
		 const struct fact_loc *l, const struct finding *f);

/* "name()", or a GFP flag as it is. */
void block_sink_name(char *buf, size_t size, const struct g_func *k);

/* One note per call of f's chain; a boot chain says where phases move. */
void block_hops(struct block *b, const struct graph *g,
		const struct compdb *db, const struct finding *f);

/* A finding the user accepted (baseline, comment), at at: 1 if so. */
int block_accepted_note(struct block *b, const struct compdb *db,
			const struct fact_loc *at, const struct finding *f);

/* The boot phases func runs in, 0 without a boot model. */
phase_mask block_phases_of(const struct report_opts *o, int func);

/* Where a boot chain starts: a registration, a boot root, or run time. */
void block_entry_note(struct block *b, const struct graph *g,
		      const struct compdb *db, const struct finding *f,
		      const struct report_opts *o);

/* report_order.c: a value read before it is set (check/order.h). */
void render_order(struct block *b, const struct graph *g,
		  const struct compdb *db, const struct finding *f,
		  const struct report_opts *o);

#endif
