#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
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

/*
 * Creating a namespace is CPU work in the kernel (setup_net runs every
 * subsystem's pernet init) that scales across cores: on 2 cores, 2000
 * namespaces took 1.13 s from one thread and 0.71-0.73 s from two, four
 * threads no better (bench/ns-threads.c). So several threads take the next index
 * from a shared counter. Each runs the hook inside the namespace it just made.
 */
#define CREATE_THREADS_MAX 4
#define CREATE_PER_THREAD  32 /* below this, a thread costs more than it wins */

struct create_job {
	int dirfd;
	const char *const *names;
	size_t n;
	ns_create_hook hook;
	void *data;
	atomic_size_t next;   /* the next index to create */
	atomic_bool stop;     /* a failure: take no new index */
	unsigned char *made;  /* made[i]: names[i] exists because of us */
	pthread_mutex_t lock; /* guards the three below */
	size_t failed_at;     /* lowest failing index, n if none */
	int result;
	struct nns_err err;
};

static void create_fail(struct create_job *j, size_t i, int r, const struct nns_err *e)
{
	atomic_store(&j->stop, true);
	pthread_mutex_lock(&j->lock);
	if (i < j->failed_at) {
		j->failed_at = i;
		j->result = r;
		j->err = *e;
	}
	pthread_mutex_unlock(&j->lock);
}

/* Create indexes until none is left or one fails; the thread ends up in
 * the last namespace it created (the caller's thread goes back itself). */
static void create_loop(struct create_job *j)
{
	while (!atomic_load(&j->stop)) {
		size_t i = atomic_fetch_add(&j->next, 1);
		if (i >= j->n)
			return;
		struct nns_err e = {0};
		int r = create_one(j->dirfd, j->names[i], &e);
		if (!r && j->hook && (r = j->hook(i, j->data, &e)) < 0)
			ns_remove(j->dirfd, j->names[i], NULL);
		if (r < 0) {
			create_fail(j, i, r, &e);
			return;
		}
		j->made[i] = 1;
	}
}

static void *create_thread(void *arg)
{
	create_loop(arg);
	return NULL; /* the thread, and its namespace reference, go away */
}

static size_t create_threads(size_t n)
{
#ifdef NNS_FAULT_INJECTION
	return 1; /* test builds fail "the Nth step": keep the steps in order */
#endif
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t t = cpus > 0 ? (size_t)cpus : 1;
	if (t > CREATE_THREADS_MAX)
		t = CREATE_THREADS_MAX;
	if (t > n / CREATE_PER_THREAD)
		t = n / CREATE_PER_THREAD;
	return t ? t : 1;
}

/*
 * Names are handed out in increasing order and every index taken is
 * finished, so all indexes below the lowest failure exist: removing the ones
 * above it (made by other threads meanwhile) leaves exactly names[0..done-1],
 * and names[done] is the one that failed, as with a single thread.
 */
static size_t create_settle(struct create_job *j)
{
	for (size_t i = j->failed_at + 1; i < j->n; i++)
		if (j->made[i])
			ns_remove(j->dirfd, j->names[i], NULL);
	return j->failed_at;
}

int ns_create_all(int dirfd, const char *const *names, size_t n, ns_create_hook hook, void *data,
		  size_t *done, struct nns_err *err)
{
	*done = 0;
	autoclose int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return err_sys(err, errno, "Cannot open init namespace");
	autofree unsigned char *made = calloc(n ? n : 1, 1);
	if (!made)
		return err_sys(err, ENOMEM, "creating %zu namespaces", n);
	struct create_job j = {.dirfd = dirfd,
			       .names = names,
			       .n = n,
			       .hook = hook,
			       .data = data,
			       .made = made,
			       .failed_at = n};
	pthread_mutex_init(&j.lock, NULL);
	pthread_t helper[CREATE_THREADS_MAX];
	size_t helpers = 0;
	for (size_t t = 1; t < create_threads(n); t++)
		if (pthread_create(&helper[helpers], NULL, create_thread, &j) == 0)
			helpers++; /* else the others do its share */
	create_loop(&j);
	for (size_t t = 0; t < helpers; t++)
		pthread_join(helper[t], NULL);
	pthread_mutex_destroy(&j.lock);
	*done = create_settle(&j);
	int r = j.result;
	if (r < 0 && err)
		*err = j.err;
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
