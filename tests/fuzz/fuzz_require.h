/*
 * FUZZ_REQUIRE(cond): the fuzz targets' oracle.  An input the code under
 * test accepted but that breaks cond is reported with the target's file
 * and line and aborts, so libFuzzer (and the unit test that replays the
 * saved inputs) treats it like a memory error.
 */
#ifndef TESTS_FUZZ_FUZZ_REQUIRE_H
#define TESTS_FUZZ_FUZZ_REQUIRE_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_REQUIRE(cond)                                                     \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: accepted input breaks: %s\n",  \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

#endif
