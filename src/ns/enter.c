/*
 * Entering a named namespace for a command, as `ip netns exec` does: the
 * network namespace, plus a private mount namespace in which /sys and
 * the files of /etc/netns/NAME make the command see that namespace's world.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "ns.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

static int join_net(const char *name, struct nns_err *err)
{
	autoclose int fd = nns_open(name, err);
	if (fd < 0)
		return fd;
	if (setns(fd, CLONE_NEWNET) == 0)
		return 0;
	int e = errno;
	struct statfs st;
	/* A 0-byte placeholder (crash between create and bind, or a mount that
	 * lives only in another mount namespace) is the usual EINVAL. */
	if (e == EINVAL && fstatfs(fd, &st) == 0 && st.f_type != NSFS_MAGIC)
		return err_msg(err, e,
			       "setting the network namespace \"%s\" failed: %s (%s/%s is not a "
			       "namespace mount: left by a failed add, or mounted in another mount "
			       "namespace only; 'netns delete %s' removes it)",
			       name, strerror(e), NNS_RUN_DIR, name, name);
	return err_sys(err, e, "setting the network namespace \"%s\" failed", name);
}

/*
 * A sysfs mounted from inside the namespace shows its devices. The old /sys
 * is detached first; when that is impossible (a container's locked mount)
 * and it is read-only, the new one must be read-only too or the kernel
 * refuses to shadow it.
 */
static int remount_sys(const char *name, struct nns_err *err)
{
	unsigned long flags = 0;
	if (umount2("/sys", MNT_DETACH) < 0) {
		struct statvfs st;
		if (statvfs("/sys", &st) == 0 && (st.f_flag & ST_RDONLY))
			flags = MS_RDONLY;
	}
	if (mount(name, "/sys", "sysfs", flags, NULL) < 0)
		return err_sys(err, errno, "mount of /sys failed");
	return 0;
}

static void warn(nns_warn_cb cb, void *data, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(nns_warn_cb cb, void *data, const char *fmt, ...)
{
	if (!cb)
		return;
	char msg[PATH_MAX * 2 + 64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cb(msg, data);
}

/* Every /etc/netns/NAME/ENTRY over /etc/ENTRY; failures only warn (iproute2). */
static void bind_etc(const char *name, nns_warn_cb cb, void *data)
{
	char dir[PATH_MAX];
	/* iproute2 skips names too long to form the path; so do we. */
	if (strlen(name) >= NAME_MAX)
		return;
	snprintf(dir, sizeof(dir), "%s/%s", NNS_ETC_DIR, name);
	autoclosedir DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *de; (de = readdir(d));) {
		char src[PATH_MAX], dst[PATH_MAX];
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", de->d_name);
		if (mount(src, dst, "none", MS_BIND, NULL) < 0)
			warn(cb, data, "Bind %s -> %s failed: %s", src, dst, strerror(errno));
	}
}

int nns_enter(const char *name, nns_warn_cb cb, void *data, struct nns_err *err)
{
	int r = join_net(name, err);
	if (r < 0)
		return r;
	if (unshare(CLONE_NEWNS) < 0)
		return err_sys(err, errno, "unshare failed");
	/* Our /sys and /etc binds must not propagate back to the host. */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return err_sys(err, errno, "\"mount --make-rslave /\" failed");
	r = remount_sys(name, err);
	if (r < 0)
		return r;
	bind_etc(name, cb, data);
	return 0;
}
