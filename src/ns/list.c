#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/vfs.h>

#include "../nl/nl.h"
#include "../util/cleanup.h"
#include "../util/err.h"
#include "ns.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

static void put_fd(struct nlmsghdr *h, const void *arg)
{
	nl_put_u32(h, NETNSA_FD, (uint32_t) * (const int *)arg);
}

static int read_nsid(const struct nlmsghdr *h, void *data)
{
	const struct nlattr *tb[NETNSA_MAX + 1];
	nl_parse(h, sizeof(struct rtgenmsg), tb, NETNSA_MAX);
	if (tb[NETNSA_NSID])
		*(int *)data = (int)nl_attr_u32(tb[NETNSA_NSID]);
	return 0;
}

/* The nsid the caller's namespace uses for the namespace open on NSFD. */
int ns_nsid_of(struct nl_sock *nl, int nsfd, struct nns_err *err)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	int id = -1;
	int r = nl_call(nl, RTM_GETNSID, 0, &g, sizeof(g), put_fd, &nsfd, read_nsid, &id,
			"reading nsid", err);
	return r < 0 ? r : id;
}

static bool is_nsfs(int fd)
{
	struct statfs st;
	return fstatfs(fd, &st) == 0 && st.f_type == NSFS_MAGIC;
}

static void fill_entry(int dirfd, struct nl_sock *nl, struct nns_entry *e)
{
	e->nsid = -1;
	e->stale = true;
	autoclose int fd = openat(dirfd, e->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !is_nsfs(fd))
		return;
	e->stale = false;
	if (nl) {
		int id = ns_nsid_of(nl, fd, NULL);
		e->nsid = id < 0 ? -1 : id;
	}
}

int nns_list(struct nns_entry **out, size_t *count, struct nns_err *err)
{
	*out = NULL;
	*count = 0;
	autoclose int dirfd = -1;
	autoclosedir DIR *d = NULL;
	int r = rundir_scan(&dirfd, &d, err);
	if (r == -ENOENT)
		return 1;
	if (r < 0)
		return r;
	struct nl_sock *nl = NULL;
	nl_open(-1, &nl, NULL); /* without it, names are listed without ids */
	size_t cap = 0;
	struct nns_entry *v = NULL;
	for (struct dirent *de; (de = readdir(d));) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			struct nns_entry *nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				r = err_sys(err, ENOMEM, "listing %s", NNS_RUN_DIR);
				break;
			}
			v = nv;
		}
		struct nns_entry *e = &v[(*count)++];
		snprintf(e->name, sizeof(e->name), "%s", de->d_name);
		fill_entry(dirfd, nl, e);
	}
	nl_close(nl);
	if (r < 0) {
		free(v);
		*count = 0;
		return r;
	}
	*out = v;
	return 0;
}
