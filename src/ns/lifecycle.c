#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "../util/fault.h"
#include "ns.h"

/* Bind SOURCE (a /proc/…/ns/net path) onto the fresh file FD of NAME. The
 * target is reached through FD itself, so a file swapped for a symlink after
 * we created it is never followed. */
static int bind_ns(int fd, const char *source, const char *name, struct nns_err *err)
{
	char target[64];
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	if (mount(source, target, "none", MS_BIND, NULL) < 0)
		return err_sys(err, errno, "Bind %s -> %s/%s failed", source, NNS_RUN_DIR, name);
	return 0;
}

static int create_file(int dirfd, const char *name, struct nns_err *err)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
		return err_sys(err, errno, "Cannot create namespace file \"%s/%s\"", NNS_RUN_DIR,
			       name);
	return fd;
}

/* One namespace, created in (and leaving) the calling thread. */
static int create_one(int dirfd, const char *name, struct nns_err *err)
{
	autoclose int fd = create_file(dirfd, name, err);
	if (fd < 0)
		return fd;
	int r = fault_point("creating namespace", err);
	if (r < 0)
		err_prefix(err, "Failed to create a new network namespace \"%s\"", name);
	else if (unshare(CLONE_NEWNET) < 0)
		r = err_sys(err, errno, "Failed to create a new network namespace \"%s\"", name);
	else
		r = bind_ns(fd, "/proc/thread-self/ns/net", name, err);
	if (r < 0)
		unlinkat(dirfd, name, 0);
	return r;
}

int ns_create_all(int dirfd, const char *const *names, size_t n, ns_create_hook hook, void *data,
		  size_t *done, struct nns_err *err)
{
	*done = 0;
	autoclose int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return err_sys(err, errno, "Cannot open init namespace");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++) {
		r = create_one(dirfd, names[i], err);
		if (!r && hook && (r = hook(i, data, err)) < 0)
			ns_remove(dirfd, names[i], NULL);
		if (!r)
			(*done)++;
	}
	/* Never leave the caller's thread inside a namespace it did not ask for. */
	if (setns(self, CLONE_NEWNET) < 0 && !r)
		r = err_sys(err, errno, "setns back to the original network namespace");
	return r;
}

int ns_remove(int dirfd, const char *name, struct nns_err *err)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", NNS_RUN_DIR, name);
	/* iproute2 detaches once; a name mounted several times (stacked binds,
	 * duplicated propagation) then fails with EBUSY. Peel every layer. */
	for (int i = 0; i < 64; i++)
		if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
			break;
	if (unlinkat(dirfd, name, 0) < 0)
		return err_sys(err, errno, "Cannot remove namespace file \"%s\"", path);
	return 0;
}

int nns_add(const char *const *names, size_t n, size_t *done, struct nns_err *err)
{
	size_t made = 0;
	if (done)
		*done = 0;
	int dirfd = rundir_prepare(err);
	if (dirfd < 0)
		return dirfd;
	int r = ns_create_all(dirfd, names, n, NULL, NULL, &made, err);
	close(dirfd);
	if (done)
		*done = made;
	return r < 0 ? r : (int)made;
}

int nns_attach(const char *name, pid_t pid, struct nns_err *err)
{
	autoclose int dirfd = rundir_prepare(err);
	if (dirfd < 0)
		return dirfd;
	autoclose int fd = create_file(dirfd, name, err);
	if (fd < 0)
		return fd;
	char source[64];
	snprintf(source, sizeof(source), "/proc/%d/ns/net", (int)pid);
	int r = bind_ns(fd, source, name, err);
	if (r < 0)
		unlinkat(dirfd, name, 0);
	return r;
}

int nns_delete(const char *name, struct nns_err *err)
{
	autoclose int dirfd = rundir_open(err);
	if (dirfd == -ENOENT)
		return err_sys(err, ENOENT, "Cannot remove namespace file \"%s/%s\"", NNS_RUN_DIR,
			       name);
	if (dirfd < 0)
		return dirfd;
	return ns_remove(dirfd, name, err);
}

int nns_open(const char *name, struct nns_err *err)
{
	/* Never let a "name" walk out of the run directory. */
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return err_msg(err, EINVAL, "Invalid netns name \"%s\"", name);
	autoclose int dirfd = rundir_open(err);
	if (dirfd == -ENOENT)
		return err_sys(err, ENOENT, "Cannot open network namespace \"%s\"", name);
	if (dirfd < 0)
		return dirfd;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, errno, "Cannot open network namespace \"%s\"", name);
	return fd;
}
