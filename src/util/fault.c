/* Test-only failure injection: see fault.h. Empty in normal builds. */
#ifdef NNS_FAULT_INJECTION
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "err.h"
#include "fault.h"

/* In shared memory, so a forked supervisor and `up` count one sequence. */
static atomic_ulong *fault_steps;
static pthread_once_t fault_once = PTHREAD_ONCE_INIT;

static void fault_init(void)
{
	static atomic_ulong fallback;
	void *p = mmap(NULL, sizeof(atomic_ulong), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	fault_steps = p == MAP_FAILED ? &fallback : p;
}

static void fault_trace(unsigned long step, const char *what)
{
	const char *path = getenv("NNS_FAULT_TRACE");
	if (!path || !*path)
		return;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	dprintf(fd, "%lu %d %s\n", step, (int)getpid(), what);
	close(fd);
}

int fault_point(const char *what, struct nns_err *err)
{
	pthread_once(&fault_once, fault_init);
	unsigned long step = atomic_fetch_add(fault_steps, 1) + 1;
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
