#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "ns.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

int rundir_open(struct nns_err *err)
{
	int fd = open(NNS_RUN_DIR, DIR_FLAGS);
	if (fd < 0 && errno != ENOENT)
		return err_sys(err, errno, "Cannot open netns runtime directory \"%s\"", NNS_RUN_DIR);
	return fd < 0 ? -ENOENT : fd;
}

int rundir_scan(int *dirfd, DIR **dir, struct nns_err *err)
{
	*dir = NULL;
	*dirfd = rundir_open(err);
	if (*dirfd < 0)
		return *dirfd;
	int fd = dup(*dirfd); /* the stream owns its own fd; DIRFD stays for openat */
	if (fd >= 0 && (*dir = fdopendir(fd)))
		return 0;
	int r = err_sys(err, errno, "reading %s", NNS_RUN_DIR);
	if (fd >= 0)
		close(fd);
	close(*dirfd);
	*dirfd = -1;
	return r;
}

/*
 * Mounts under a shared /run/netns propagate to every mount namespace that
 * copied it (exec'd commands, containers), so `delete` anywhere really frees
 * the namespace. A directory that is not yet a mount point (EINVAL) is bound
 * onto itself and made private first, so it leaves /run's peer group and
 * nsfs mounts are not duplicated (iproute2 v7.0 behaviour).
 */
static int make_shared(struct nns_err *err)
{
	bool bound = false;
	while (mount("", NNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || bound)
			return err_sys(err, errno, "mount --make-shared %s failed", NNS_RUN_DIR);
		if (mount(NNS_RUN_DIR, NNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
			return err_sys(err, errno, "mount --bind %s %s failed", NNS_RUN_DIR,
				       NNS_RUN_DIR);
		if (mount("", NNS_RUN_DIR, "none", MS_PRIVATE | MS_REC, NULL) < 0)
			return err_sys(err, errno, "mount --make-private %s failed", NNS_RUN_DIR);
		bound = true;
	}
	return 0;
}

int rundir_prepare(struct nns_err *err)
{
	if (mkdir(NNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return err_sys(err, errno, "mkdir %s failed", NNS_RUN_DIR);
	autoclose int lock = open(NNS_RUN_DIR, DIR_FLAGS);
	if (lock < 0)
		return err_sys(err, errno, "Cannot open netns runtime directory \"%s\"", NNS_RUN_DIR);
	/* Two first-time callers must not both bind the directory onto itself
	 * (Debian #949235: stacked mounts froze machines). */
	if (flock(lock, LOCK_EX) < 0)
		return err_sys(err, errno, "Cannot lock netns runtime directory \"%s\"", NNS_RUN_DIR);
	int r = make_shared(err);
	if (r < 0)
		return r;
	int fd = open(NNS_RUN_DIR, DIR_FLAGS);
	if (fd < 0)
		return err_sys(err, errno, "Cannot open netns runtime directory \"%s\"", NNS_RUN_DIR);
	return fd; /* the lock goes with `lock` */
}
