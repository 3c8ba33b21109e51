/*
 * fuzz_facts.c: the facts decoder on one blob, under the default rules
 * (blobs refer to the rules by index).  The store trusts nothing it
 * reads, so any bytes must decode or fail cleanly; what decodes must
 * encode again, and decoding and encoding that must give the same bytes
 * (the first pass may normalize: a key name cut at 511 bytes, a string
 * with a NUL in it).  The input's checksum is made right first, or almost
 * nothing would get past it to the decoder; every index of what decodes
 * must point inside what it has, since the graph indexes by them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/factio.h"
#include "fuzz.h"

static struct rules *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct ss_err err;

	if (rules_load(&rules, SPLITSAFE_RULES_DIR "/arm64-split.yaml", &err)) {
		fprintf(stderr, "fuzz_facts: %s\n", err.msg);
		exit(1);
	}
	return 0;
}

static void in_range(int v, int lo, int n, const char *what)
{
	if (v < lo || v >= n) {
		fprintf(stderr, "fuzz_facts: %s %d decoded, outside [%d, %d)\n",
			what, v, lo, n);
		abort();
	}
}

static void check_indices(const struct fact_tu *t)
{
	int i, j, k;

	for (i = 0; i < t->nr_funcs; i++) {
		const struct fact_func *f = &t->funcs[i];

		in_range(f->sleep_call, -1, f->nr_calls, "sleep_call");
		in_range(f->exit_dom, -1, f->nr_calls, "exit_dom");
		for (j = 0; j < f->nr_sites; j++)
			in_range(f->sites[j].context, 0, rules->nr_contexts, "context");
		for (j = 0; j < f->nr_calls; j++) {
			in_range(f->calls[j].dom, -1, f->nr_calls, "dom");
			for (k = 0; k < f->calls[j].nr_held; k++)
				in_range(f->calls[j].held[k], 0, f->nr_sites, "held");
		}
		for (j = 0; j < RULES_MAX_PHASES && f->nr_checks; j++)
			in_range(f->stop_check[j], -1, f->nr_checks, "stop_check");
	}
}

/* Decode p and encode it again into out; -1 if it does not decode. */
static int again(const unsigned char *p, size_t len, struct blob *out)
{
	struct fact_tu t;
	struct ss_err err;

	if (factio_decode(p, len, rules, &t, &err))
		return -1;
	check_indices(&t);
	factio_encode_tu(&t, rules, out);
	facts_tu_release(&t);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blob one, two;
	unsigned char *sealed = malloc(size + 1);
	int bad;

	memcpy(sealed, data, size);
	factio_seal(sealed, size);
	bad = again(sealed, size, &one);
	free(sealed);
	if (bad)
		return 0;
	if (again(one.p, one.len, &two)) {
		fprintf(stderr, "fuzz_facts: a blob it wrote does not decode\n");
		abort();
	}
	if (one.len != two.len || memcmp(one.p, two.p, one.len)) {
		fprintf(stderr, "fuzz_facts: encoding is not stable\n");
		abort();
	}
	free(one.p);
	free(two.p);
	return 0;
}
