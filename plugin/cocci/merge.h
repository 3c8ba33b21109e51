/*
 * merge.h: check --cocci puts the semantic patches' findings with
 * libclang's.  A hit of a detector is the libclang finding of its check
 * that warns at the same call, or, for atomic context, that enters the
 * context on the line the hit says it was entered on: one finding,
 * whichever call of the region each detector showed.  The merge compares
 * the hit's structured fields (cocci_hit.kind, .loc, .entered), never its
 * message.
 *
 * Ownership: findings added or marked point to the hits' strings, which
 * must outlive them.
 */
#ifndef SPLITSAFE_COCCI_MERGE_H
#define SPLITSAFE_COCCI_MERGE_H

#include "check/findings.h"
#include "cocci/cocci_check.h"
#include "graph/graph.h"
#include "input/compdb.h"

/*
 * Merge hits into fs, counting each in hits: a hit at the place of a
 * libclang finding names its patch on that finding (both); one in a file
 * libclang analysed whole, where it found no such path, adds nothing
 * (covered); any other becomes a finding of its own (only).  db is what
 * was parsed, g its graph.
 */
void cocci_merge(struct cocci_hits *hits, struct findings *fs,
		 const struct graph *g, const struct compdb *db);

#endif
