/*
 * check.h: the unit tests' harness: CHECK(expr) counts and reports, main()
 * returns check_status().
 */
#ifndef SPLITSAFE_TEST_CHECK_H
#define SPLITSAFE_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int passed, failed;

#define CHECK(expr) check(!!(expr), #expr, __FILE__, __LINE__)

static inline int check(int ok, const char *expr, const char *file, int line)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		fprintf(stderr, "%s:%d: check failed: %s\n", file, line, expr);
	}
	return ok;
}

static inline int str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static inline int check_status(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, passed, failed);
	return failed ? 1 : 0;
}

#endif
