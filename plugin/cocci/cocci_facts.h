/*
 * cocci_facts.h: callback registrations and struct-field stores found by
 * Coccinelle (semantic-patches/extract-facts.cocci), including in files the
 * compilation database does not build, as facts for the graph.
 *
 * Ownership: the fact_tu filled in owns everything (facts_tu_release()).
 */
#ifndef SPLITSAFE_COCCI_FACTS_H
#define SPLITSAFE_COCCI_FACTS_H

#include "model/facts.h"
#include "rules/rules.h"

struct cocci_facts_opts {
	const char *cocci;	/* path of extract-facts.cocci */
	char **dirs;		/* absolute directories to read */
	int nr_dirs;
	int jobs;
	const struct rules *rules;
};

/* Run spatch and turn what it prints into facts; -1 with err set if
 * spatch is missing, too old, fails or prints what cannot be read. */
int cocci_extract(struct fact_tu *out, const struct cocci_facts_opts *o,
		  struct ss_err *err);

/* Turn spatch's output (one fact a line) into facts; exposed for tests. */
int cocci_parse(struct fact_tu *out, const char *text,
		const struct rules *rules, struct ss_err *err);

#endif
