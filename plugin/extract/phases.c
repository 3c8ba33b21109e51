/*
 * phases.c: the boot phases in which each call of a function is made.
 * The IR is solved again for each phase with the boot checks given their
 * values in it; where a check leaks, misleads, or keeps the function's
 * sleeping call from being made, the call says so.
 *
 * Ownership: scratch arrays are malloc'd and freed here; results go into
 * the fact_func's calls.
 */
#include "extract/lower.h"

#include <stdlib.h>

enum valuation { REAL, INTENDED, HONEST, MISLEADING_ONLY };

/*
 * The value of check p in phase ph: as the rules give it (REAL), with
 * leaky checks doing what they are meant to (INTENDED), with misleading
 * checks unknown (HONEST), or with only the misleading ones known.
 */
static signed char check_value(const struct rules_boot_pred *p, int ph,
			       enum valuation how)
{
	phase_mask bit = (phase_mask)(1u << ph);

	if (how == MISLEADING_ONLY && !p->misleading)
		return -1;
	if (p->true_in & bit)
		return 1;
	if (p->false_in & bit)
		return how == HONEST && p->misleading ? -1 : 0;
	if (p->leaky_in & bit)
		return how == INTENDED ? 1 : -1;
	return -1;
}

/* Reached calls in phase ph; check 'unknown' (if >= 0) left unknown. */
static int reach_in(struct builder *b, int ph, enum valuation how,
		    int unknown, unsigned char *reached, struct ss_err *err)
{
	signed char values[64];
	int i;

	for (i = 0; i < b->cf.nr_preds && i < 64; i++)
		values[i] = i == unknown ? -1 : check_value(b->preds[i], ph, how);
	return cf_reach(&b->cf, b->cf.nr_preds <= 64 ? values : NULL,
			reached, err);
}

/*
 * Which check keeps call sc from being made in ph: the first one that,
 * unknown, lets it be made; a check that means to decide (not a
 * misleading one) first.
 */
static int stop_check(struct builder *b, int ph, int sc, unsigned char *tmp,
		      struct ss_err *err)
{
	int n = b->cf.nr_preds, i, j;

	for (i = 0; i < 2 * n; i++) {
		const struct rules_boot_pred *p = b->preds[i % n];

		if ((i < n) == (p->misleading != NULL))
			continue;
		if (reach_in(b, ph, REAL, i % n, tmp, err))
			return -2;
		if (!tmp[sc])
			continue;
		for (j = 0; j < b->nr_checks; j++)
			if (b->checks[j].pred == p)
				return j;
	}
	return -1;
}

/* Which calls each solve of one phase reaches (nr_calls + 1 each). */
struct phase_reach {
	unsigned char *real, *other, *alone;
	int leaky, misleading;		/* some check leaks, misleads */
};

/* The calls' phases, leaks, misleads, and the sleep's stop check in ph. */
static int one_phase(struct builder *b, struct fact_func *fn, int ph,
		     struct phase_reach *pr, struct ss_err *err)
{
	phase_mask bit = (phase_mask)(1u << ph);
	int i;

	if (reach_in(b, ph, REAL, -1, pr->real, err))
		return -1;
	for (i = 0; i < fn->nr_calls; i++)
		if (!pr->real[i])
			fn->calls[i].phases &= ~bit;
	if (pr->leaky) {
		if (reach_in(b, ph, INTENDED, -1, pr->other, err))
			return -1;
		for (i = 0; i < fn->nr_calls; i++)
			if (pr->real[i] && !pr->other[i])
				fn->calls[i].leaky |= bit;
	}
	if (fn->sleep_call >= 0 && !pr->real[fn->sleep_call]) {
		int sc = stop_check(b, ph, fn->sleep_call, pr->other, err);

		if (sc < -1)
			return -1;
		fn->stop_check[ph] = (signed char)sc;
	}
	/*
	 * misled: a misleading check alone keeps the call from being
	 * made, and the call would be made if it did not mislead
	 */
	if (pr->misleading) {
		if (reach_in(b, ph, HONEST, -1, pr->other, err) ||
		    reach_in(b, ph, MISLEADING_ONLY, -1, pr->alone, err))
			return -1;
		for (i = 0; i < fn->nr_calls; i++)
			if (pr->other[i] && !pr->alone[i])
				fn->calls[i].misled |= bit;
	}
	return 0;
}

/* Per call: the phases in which it is made, and why where that is odd. */
int phases_of_calls(struct builder *b, struct fact_func *fn,
		    struct ss_err *err)
{
	int nr = b->t->rules->boot.nr_phases, ph, i, ret = 0;
	struct phase_reach pr = { NULL, NULL, NULL, 0, 0 };

	for (i = 0; i < fn->nr_calls; i++)
		fn->calls[i].phases = fn->calls[i].reached ?
				      (phase_mask)((1u << nr) - 1) : 0;
	if (!b->cf.nr_preds || !nr)
		return 0;
	for (i = 0; i < b->cf.nr_preds; i++) {
		pr.leaky |= b->preds[i]->leaky_in != 0;
		pr.misleading |= b->preds[i]->misleading != NULL;
	}
	pr.real = xcalloc(fn->nr_calls + 1, 3);
	pr.other = pr.real + fn->nr_calls + 1;
	pr.alone = pr.other + fn->nr_calls + 1;
	for (ph = 0; ph < nr && !ret; ph++)
		ret = one_phase(b, fn, ph, &pr, err);
	free(pr.real);
	return ret;
}
