/* Test-only failure injection: see fault.h. Empty in normal builds. */
#ifdef NNS_FAULT_INJECTION
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "err.h"
#include "fault.h"

static atomic_ulong fault_steps;

static void fault_trace(unsigned long step, const char *what)
{
	const char *path = getenv("NNS_FAULT_TRACE");
	if (!path || !*path)
		return;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	dprintf(fd, "%lu %s\n", step, what);
	close(fd);
}

int fault_point(const char *what, struct nns_err *err)
{
	unsigned long step = atomic_fetch_add(&fault_steps, 1) + 1;
	fault_trace(step, what);
	const char *at = getenv("NNS_FAULT_AT");
	if (!at || strtoul(at, NULL, 10) != step)
		return 0;
	return err_msg(err, EIO, "%s: Input/output error (injected fault at step %lu)", what,
		       step);
}
#else
typedef int fault_empty_translation_unit; /* ISO C wants one declaration */
#endif
