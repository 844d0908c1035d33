/* Which name a process's namespace has (identify) and which processes are in
 * a named one (pids): both compare nsfs inodes, (st_dev, st_ino). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "ns.h"

static bool same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int nns_identify(pid_t pid, char name[256], struct nns_err *err)
{
	name[0] = '\0';
	char path[64];
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/net");
	struct stat want;
	if (stat(path, &want) < 0)
		return err_sys(err, errno, "Cannot open network namespace of %s", path);
	autoclose int dirfd = -1;
	autoclosedir DIR *d = NULL;
	int r = rundir_scan(&dirfd, &d, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	/* iproute2 keeps the last match in directory order; so do we. */
	for (struct dirent *de; (de = readdir(d));) {
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    same_inode(&st, &want))
			snprintf(name, 256, "%s", de->d_name);
	}
	return name[0] ? 1 : 0;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int push_pid(pid_t **v, size_t *n, size_t *cap, pid_t pid)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		pid_t *nv = realloc(*v, c * sizeof(**v));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = pid;
	return 0;
}

int nns_pids(const char *name, pid_t **out, size_t *count, struct nns_err *err)
{
	*out = NULL;
	*count = 0;
	autoclose int fd = nns_open(name, err);
	if (fd < 0)
		return fd;
	struct stat want;
	if (fstat(fd, &want) < 0)
		return err_sys(err, errno, "Cannot stat network namespace \"%s\"", name);
	autoclosedir DIR *d = opendir("/proc");
	if (!d)
		return err_sys(err, errno, "Cannot open /proc");
	pid_t *v = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *de; (de = readdir(d));) {
		char path[300];
		struct stat st;
		if (!all_digits(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		/* Processes vanish while we scan; kernel threads have no netns. */
		if (stat(path, &st) < 0 || !same_inode(&st, &want))
			continue;
		if (push_pid(&v, &n, &cap, (pid_t)atoi(de->d_name)) < 0) {
			free(v);
			return err_sys(err, ENOMEM, "listing the processes of \"%s\"", name);
		}
	}
	*out = v;
	*count = n;
	return 0;
}
