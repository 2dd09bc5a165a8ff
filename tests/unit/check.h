/*
 * Checks for the host unit tests.  CHECK(cond) and CHECKF(cond, fmt, ...)
 * (the same with a printf-style note) count the checks made and the ones
 * failed, print one "FAIL file:line: cond" line for each failure, and keep
 * going; check_verdict(name) ends main with one summary line and the exit
 * status.  Include once, from the test file.
 */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <stdio.h>

static int failures, checks;

#define CHECK(cond)                                                            \
	do {                                                                   \
		checks++;                                                      \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                            \
		}                                                              \
	} while (0)

#define CHECKF(cond, ...)                                                      \
	do {                                                                   \
		checks++;                                                      \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
			failures++;                                            \
		}                                                              \
	} while (0)

/* Prints "NAME: N checks, M failures: PASS" (or FAIL); main's status. */
static inline int check_verdict(const char *name)
{
	printf("%s: %d checks, %d failures: %s\n", name, checks, failures,
	       failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}

#endif
