/*
 * extract.h: the producer side of splitsafe.  facts_extract() walks the
 * libclang AST of a parsed TU, lowers every function body to the cflow IR,
 * solves it, and records what it finds as facts (model/facts.h).  This is
 * the only header after input/ that names a libclang type.
 */
#ifndef SPLITSAFE_EXTRACT_H
#define SPLITSAFE_EXTRACT_H

#include <clang-c/Index.h>
#include "model/facts.h"

/*
 * Extract the facts of tu into out (initialised here).  dir is the compile
 * directory, to make relative file names absolute.  Returns 0 or -1 with
 * err set (the IR of some function was malformed).
 */
int facts_extract(struct fact_tu *out, CXTranslationUnit tu, const char *main_file,
		  const char *dir, int index, const struct rules *r,
		  facts_claim_fn claim, void *claim_data, struct ss_err *err);

#endif
