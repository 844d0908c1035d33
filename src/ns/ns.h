/* ns — the /run/netns store: names, the shared mount point, add/delete. */
#ifndef NNS_NS_H
#define NNS_NS_H

#include <dirent.h>
#include <stddef.h>

#include "netns.h"

/*
 * Make sure the run directory exists and is a shared mount point, the way
 * iproute2 does it (under flock so first-time callers do not stack bind
 * mounts), and return an O_DIRECTORY fd on it (opened after the mount, so
 * openat() lands in the mount, not beneath it).
 */
int rundir_prepare(struct nns_err *err);
/* Open the run directory if it exists: fd, or -ENOENT without a message. */
int rundir_open(struct nns_err *err);
/* The run directory as an fd (for openat) and a stream over it (for readdir);
 * -ENOENT without a message when it does not exist. */
int rundir_scan(int *dirfd, DIR **dir, struct nns_err *err);

/*
 * Called inside each new namespace, after it is named, with the calling
 * thread still in it: a place to open sockets or set lo up without another
 * setns. A failure deletes that namespace again.
 */
typedef int (*ns_create_hook)(size_t index, void *data, struct nns_err *err);

/* Create NAMES[0..n-1] in DIRFD; *done counts the ones that exist on return. */
int ns_create_all(int dirfd, const char *const *names, size_t n, ns_create_hook hook, void *data,
		  size_t *done, struct nns_err *err);
/* Remove one name: detach every mount stacked on it, then unlink. */
int ns_remove(int dirfd, const char *name, struct nns_err *err);

/* The nsid the caller's namespace uses for the namespace open on NSFD
 * (-1 when unassigned), asked over the rtnetlink socket NL. */
struct nl_sock;
int ns_nsid_of(struct nl_sock *nl, int nsfd, struct nns_err *err);

#endif
