/* net.* sysctls as seen from inside a namespace, without spawning a process. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "../util/fault.h"
#include "net.h"

#define SYSCTL_MAX  64 /* per call; enough for any lab node */
#define SYSCTL_PATH 256

/* "net.ipv4.ip_forward" → "/proc/sys/net/ipv4/ip_forward". Keys with a '/'
 * are taken as paths (so interface names with dots work: net/ipv4/conf/eth0.10/...). */
static int sysctl_path(const char *key, char *path, size_t len, struct nns_err *err)
{
	if (strncmp(key, "net.", 4) && strncmp(key, "net/", 4))
		return err_msg(err, EINVAL, "sysctl %s: only net.* keys are per namespace", key);
	if (strstr(key, "..") || strstr(key, "//") || strchr(key, ' '))
		return err_msg(err, EINVAL, "sysctl %s: not a valid key", key);
	int n = snprintf(path, len, "/proc/sys/%s", key);
	if (n < 0 || (size_t)n >= len)
		return err_msg(err, ENAMETOOLONG, "sysctl %s: key too long", key);
	if (!strchr(key, '/'))
		for (char *p = path + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
	return 0;
}

/* Open PATHS[0..n-1] with FLAGS from inside NSFD: /proc/sys/net shows the
 * namespace of the opener, and the open file keeps that view afterwards. */
static int open_in_ns(int nsfd, char (*paths)[SYSCTL_PATH], size_t n, int flags, int *fds,
		      const char *const *keys, struct nns_err *err)
{
	autoclose int self = -1;
	if (nsfd >= 0) {
		self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0)
			return err_sys(err, errno, "opening the current network namespace");
		if (setns(nsfd, CLONE_NEWNET) < 0)
			return err_sys(err, errno, "entering network namespace");
	}
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		fds[i] = open(paths[i], flags | O_CLOEXEC | O_NOFOLLOW);
		if (fds[i] < 0 && !r)
			r = err_sys(err, errno, "sysctl %s", keys[i]);
	}
	if (self >= 0 && setns(self, CLONE_NEWNET) < 0)
		r = err_sys(err, errno, "returning to the original network namespace");
	return r;
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int net_sysctl_set(int nsfd, const struct net_sysctl *v, size_t n, struct nns_err *err)
{
	if (n > SYSCTL_MAX)
		return err_msg(err, E2BIG, "too many sysctls in one call (%zu > %d)", n,
			       SYSCTL_MAX);
	char paths[SYSCTL_MAX][SYSCTL_PATH];
	const char *keys[SYSCTL_MAX] = {0};
	int fds[SYSCTL_MAX] = {0};
	for (size_t i = 0; i < n; i++) {
		keys[i] = v[i].key;
		fds[i] = -1;
		int r = sysctl_path(v[i].key, paths[i], sizeof(paths[i]), err);
		if (r < 0)
			return r;
	}
	int r = open_in_ns(nsfd, paths, n, O_WRONLY, fds, keys, err);
	for (size_t i = 0; i < n && !r; i++) {
		size_t len = strlen(v[i].value);
		if ((r = fault_point("writing a sysctl", err)) < 0)
			err_prefix(err, "sysctl %s = %s", v[i].key, v[i].value);
		else if (write(fds[i], v[i].value, len) != (ssize_t)len)
			r = err_sys(err, errno, "sysctl %s = %s", v[i].key, v[i].value);
	}
	close_all(fds, n);
	return r;
}

int net_sysctl_get(int nsfd, const char *key, char *buf, size_t len, struct nns_err *err)
{
	char path[1][SYSCTL_PATH];
	int r = sysctl_path(key, path[0], sizeof(path[0]), err);
	if (r < 0)
		return r;
	autoclose int fd = -1;
	if ((r = open_in_ns(nsfd, path, 1, O_RDONLY, &fd, &key, err)) < 0)
		return r;
	ssize_t got = read(fd, buf, len ? len - 1 : 0);
	if (got < 0)
		return err_sys(err, errno, "sysctl %s", key);
	while (got > 0 && buf[got - 1] == '\n')
		got--;
	buf[got] = '\0';
	return 0;
}

int net_ns_no_ipv6_ll(int nsfd, struct nns_err *err)
{
	const struct net_sysctl v = {"net.ipv6.conf.default.addr_gen_mode", "1"};
	return net_sysctl_set(nsfd, &v, 1, err);
}
