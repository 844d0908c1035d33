/* Watching the run directory for names coming and going (inotify). */
#include <errno.h>
#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "ns.h"

/* Call CB for each event in BUF; returns CB's first non-zero answer. */
static int deliver(const char *buf, ssize_t len, nns_event_cb cb, void *data)
{
	const struct inotify_event *ev;
	for (const char *p = buf; p < buf + len; p += sizeof(*ev) + ev->len) {
		ev = (const struct inotify_event *)p;
		int r = 0;
		if (ev->len && (ev->mask & IN_CREATE))
			r = cb(NNS_EVENT_ADD, ev->name, data);
		else if (ev->len && (ev->mask & IN_DELETE))
			r = cb(NNS_EVENT_DELETE, ev->name, data);
		if (r)
			return r;
	}
	return 0;
}

int nns_monitor(nns_event_cb cb, void *data, struct nns_err *err)
{
	autoclose int fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0)
		return err_sys(err, errno, "inotify_init failed");
	if (mkdir(NNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return err_sys(err, errno, "mkdir %s failed", NNS_RUN_DIR);
	if (inotify_add_watch(fd, NNS_RUN_DIR, IN_CREATE | IN_DELETE) < 0)
		return err_sys(err, errno, "inotify_add_watch failed on %s", NNS_RUN_DIR);
	char buf[16 * (sizeof(struct inotify_event) + NAME_MAX + 1)]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, errno, "read failed on the inotify watch of %s",
				       NNS_RUN_DIR);
		int r = deliver(buf, n, cb, data);
		if (r)
			return r;
	}
}
