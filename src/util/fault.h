/*
 * fault — test-only failure injection, compiled in only with
 * -DNNS_FAULT_INJECTION (`make fault` → build-fault/netns); in every other
 * build fault_point() is an inline 0 and no trace of it remains.
 *
 * Each fault point (a netlink request, a namespace creation, a journal
 * write, a sysctl write, a program start, a state file) counts one step.
 * Environment of the test binary:
 *   NNS_FAULT_AT=N      the Nth step (from 1) fails with EIO, as if the
 *                       kernel or the file system had refused it;
 *   NNS_FAULT_TRACE=F   append "N what" for every step to file F (so a test
 *                       learns how many steps an `up` takes).
 * The step counter is the one piece of global mutable state in the code
 * base, and it exists only in that test build.
 */
#ifndef NNS_UTIL_FAULT_H
#define NNS_UTIL_FAULT_H

#include <stdbool.h>

#include "netns.h"

#ifdef NNS_FAULT_INJECTION
/* Count one step named WHAT; 0, or -EIO with ERR saying "injected fault". */
int fault_point(const char *what, struct nns_err *err);
#else
static inline int fault_point(const char *what, struct nns_err *err)
{
	(void)what;
	(void)err;
	return 0;
}
#endif

#endif
