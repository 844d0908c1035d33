#include <limits.h>
#include <string.h>

#include "netns.h"

bool nns_name_valid(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > NAME_MAX || strchr(name, '/'))
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	/* Deliberate difference from iproute2: a newline or other control
	 * character in a name makes `list` output ambiguous. */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}
