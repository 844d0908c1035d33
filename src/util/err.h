/* Error records: build a message naming the object and the reason. */
#ifndef NNS_UTIL_ERR_H
#define NNS_UTIL_ERR_H

#include "netns.h"

/* Set ERR to "<fmt...>: strerror(errnum)" and return -errnum. */
int err_sys(struct nns_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Set ERR to the formatted text exactly (no strerror), return -errnum. */
int err_msg(struct nns_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prepend "<fmt...>: " to ERR's message (context added on the way up). */
int err_prefix(struct nns_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct nns_err *err);

#endif
