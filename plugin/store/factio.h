/*
 * factio.h: facts as bytes, for the facts store.
 *
 * A parsed TU is cut into parts that can be stored and loaded on their
 * own: the TU part (what its main file defines, its file-scope stores and
 * registrations, the header functions it names and the files it read) and
 * one unit per header function it extracted (the function with the stores
 * and registrations made in its body), because a header function is
 * extracted by one TU and used by every TU that includes it.
 *
 * A blob carries a checksum of its bytes and its own string table; rules are referred to by index, so a
 * blob is only valid with the rules it was written under (the store keys
 * on the rules' digest).
 *
 * Ownership: factio_encode_* return malloc'd bytes the caller frees;
 * factio_decode fills a fact_tu whose memory is its arena.
 */
#ifndef SPLITSAFE_FACTIO_H
#define SPLITSAFE_FACTIO_H

#include "model/facts.h"
#include "rules/rules.h"

struct blob {
	unsigned char *p;
	size_t len;
};

/* The TU part of t: everything but the header functions it extracted. */
void factio_encode_tu(const struct fact_tu *t, const struct rules *r,
		      struct blob *out);

/* The unit of header function t->funcs[i] (t->funcs[i].key != NULL). */
void factio_encode_unit(const struct fact_tu *t, int i, const struct rules *r,
			struct blob *out);

/* All of t, as facts_extract() made it (the deps and the functions' ranges
 * of registrations and stores too): from a parse worker to the run. */
void factio_encode_whole(const struct fact_tu *t, const struct rules *r,
			 struct blob *out);

/* Are these the bytes a blob was written with (magic and checksum)? */
int factio_intact(const unsigned char *p, size_t len);

/* Write the checksum of the len bytes at p into them, as the encoder does
 * (for the fuzzer, which must get past it to reach the decoder). */
void factio_seal(unsigned char *p, size_t len);

/* A TU part or a unit back into a fact_tu (a unit: one function); -1 with
 * err set if the bytes are not a blob of this version. */
int factio_decode(const unsigned char *p, size_t len, const struct rules *r,
		  struct fact_tu *out, struct ss_err *err);

#endif
