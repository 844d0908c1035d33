#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_vset(struct nns_err *err, int errnum, bool with_reason, const char *fmt,
		    va_list ap)
{
	if (errnum < 0)
		errnum = -errnum;
	if (!err)
		return -errnum;
	err->code = -errnum;
	err->kernel = false;
	err->ext[0] = '\0';
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (with_reason && n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s", strerror(errnum));
	return -errnum;
}

int err_sys(struct nns_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = err_vset(err, errnum, true, fmt, ap);
	va_end(ap);
	return r;
}

int err_msg(struct nns_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = err_vset(err, errnum, false, fmt, ap);
	va_end(ap);
	return r;
}

int err_prefix(struct nns_err *err, const char *fmt, ...)
{
	if (!err)
		return 0;
	char head[sizeof(err->msg)];
	char old[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", head, old);
	return err->code;
}

void err_clear(struct nns_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
		err->ext[0] = '\0';
		err->kernel = false;
	}
}
