/* assert(): prints the failed expression and its place, then aborts. */
#ifndef USER_ASSERT_H
#define USER_ASSERT_H

void __assert_fail(const char *expr, const char *file, int line)
    __attribute__((noreturn));

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__))
#endif

#endif
