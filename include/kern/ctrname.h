/*
 * The container-name rule, in one place: 1 to CTR_NAME_MAX characters of
 * [A-Za-z0-9._-].  Pure, so the checkpoint codec (also built on the host)
 * and container.c share it.
 */
#ifndef KERN_CTRNAME_H
#define KERN_CTRNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <uapi/cellblock.h>

/* Is name[0..len) a valid container name? */
static inline bool ctr_name_ok(const char *name, size_t len)
{
	if (len < 1 || len > CTR_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];
		bool ok = (ch >= 'a' && ch <= 'z') ||
			  (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
			  ch == '-';
		if (!ok)
			return false;
	}
	return true;
}

#endif
