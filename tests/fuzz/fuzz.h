/*
 * fuzz.h: what a fuzz target defines, for libFuzzer and for replay.c,
 * which runs the same function on files when there is no libFuzzer.
 */
#ifndef SPLITSAFE_FUZZ_H
#define SPLITSAFE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Once, before the first input (libFuzzer may drop its own flags from
 * argv; the targets ignore argv). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* One input; returns 0.  A bug is a crash or a sanitizer report. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
