/*
 * fuzz_facts.c: the facts decoder on one blob, under the default rules
 * (blobs refer to the rules by index).  The store trusts nothing it
 * reads, so any bytes must decode or fail cleanly; what decodes must
 * encode again, and decoding and encoding that must give the same bytes
 * (the first pass may normalize: a key name cut at 511 bytes, a string
 * with a NUL in it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "factio.h"
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

/* Decode p and encode it again into out; -1 if it does not decode. */
static int again(const unsigned char *p, size_t len, struct blob *out)
{
	struct fact_tu t;
	struct ss_err err;

	if (factio_decode(p, len, rules, &t, &err))
		return -1;
	factio_encode_tu(&t, rules, out);
	facts_tu_release(&t);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blob one, two;

	if (again(data, size, &one))
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
