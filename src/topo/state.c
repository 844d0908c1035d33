/* The lab's state directory: creation, locking, files, removal. */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "../util/fault.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* A state directory must be ours alone: owned by us, not writable by others. */
static int check_private(int fd, const char *path, struct nns_err *err)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return err_sys(err, errno, "cannot stat \"%s\"", path);
	if (st.st_uid != geteuid() || (st.st_mode & 077))
		return err_msg(err, EPERM,
			       "refusing \"%s\": it must be owned by uid %u with mode 0700", path,
			       (unsigned)geteuid());
	return 0;
}

static int open_base(bool create, struct nns_err *err)
{
	if (create && mkdir(NNS_LABS_DIR, 0700) < 0 && errno != EEXIST)
		return err_sys(err, errno, "cannot create \"%s\"", NNS_LABS_DIR);
	int fd = open(NNS_LABS_DIR, DIR_FLAGS);
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return -ENOENT;
		return err_sys(err, errno, "cannot open \"%s\"", NNS_LABS_DIR);
	}
	int r = check_private(fd, NNS_LABS_DIR, err);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

static int open_lab_dir(int base, const char *lab, bool create, struct nns_err *err)
{
	if (create && mkdirat(base, lab, 0700) < 0 && errno != EEXIST)
		return err_sys(err, errno, "cannot create \"%s/%s\"", NNS_LABS_DIR, lab);
	int fd = openat(base, lab, DIR_FLAGS);
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return -ENOENT;
		return err_sys(err, errno, "cannot open \"%s/%s\"", NNS_LABS_DIR, lab);
	}
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", NNS_LABS_DIR, lab);
	int r = check_private(fd, path, err);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

/*
 * flock the lab's lock file. A `down` may remove the directory while we
 * wait for nothing (LOCK_NB) — but between our openat and flock it may
 * have been unlinked: then the lock is on a dead inode and we start over.
 */
static int take_lock(int dirfd, const char *lab, struct nns_err *err)
{
	int fd = openat(dirfd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ENOENT)
		return -EAGAIN; /* the directory was removed under us */
	if (fd < 0)
		return err_sys(err, errno, "cannot open the lock of lab \"%s\"", lab);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		if (e == EWOULDBLOCK)
			return err_msg(err, EBUSY,
				       "lab \"%s\" is busy: another netns up or down is working on "
				       "it",
				       lab);
		return err_sys(err, e, "cannot lock lab \"%s\"", lab);
	}
	struct stat held, now;
	if (fstat(fd, &held) < 0 || held.st_nlink == 0 ||
	    fstatat(dirfd, "lock", &now, AT_SYMLINK_NOFOLLOW) < 0 || now.st_ino != held.st_ino) {
		close(fd);
		return -EAGAIN;
	}
	return fd;
}

int lab_state_open(const char *lab, bool create, struct lab_state *st, struct nns_err *err)
{
	memset(st, 0, sizeof(*st));
	st->dirfd = st->lockfd = st->journalfd = -1;
	snprintf(st->name, sizeof(st->name), "%s", lab);
	if (!nns_name_valid(lab))
		return err_msg(err, EINVAL, "invalid lab name \"%s\"", lab);
	autoclose int base = open_base(create, err);
	if (base < 0)
		return base;
	for (int attempt = 0; attempt < 100; attempt++) {
		st->dirfd = open_lab_dir(base, lab, create, err);
		if (st->dirfd < 0)
			return st->dirfd;
		st->lockfd = take_lock(st->dirfd, lab, err);
		if (st->lockfd >= 0)
			return 0;
		close(st->dirfd);
		st->dirfd = -1;
		if (st->lockfd != -EAGAIN)
			return st->lockfd;
	}
	return err_msg(err, EBUSY, "lab \"%s\": its state directory keeps being replaced", lab);
}

void lab_state_close(struct lab_state *st)
{
	if (st->journalfd >= 0)
		close(st->journalfd);
	if (st->dirfd >= 0)
		close(st->dirfd);
	if (st->lockfd >= 0)
		close(st->lockfd);
	st->journalfd = st->dirfd = st->lockfd = -1;
}

int lab_state_remove(struct lab_state *st, struct nns_err *err)
{
	int dup = fcntl(st->dirfd, F_DUPFD_CLOEXEC, 0);
	if (dup < 0)
		return err_sys(err, errno, "reading the state of lab \"%s\"", st->name);
	autoclosedir DIR *d = fdopendir(dup);
	if (!d) {
		close(dup);
		return err_sys(err, errno, "reading the state of lab \"%s\"", st->name);
	}
	struct dirent *e;
	/* The lock goes last, so a concurrent opener never sees a lockless dir. */
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "lock"))
			unlinkat(st->dirfd, e->d_name, 0);
	unlinkat(st->dirfd, "lock", 0);
	autoclose int base = open_base(false, err);
	if (base < 0)
		return base == -ENOENT ? 0 : base;
	if (unlinkat(base, st->name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return err_sys(err, errno, "cannot remove \"%s/%s\"", NNS_LABS_DIR, st->name);
	return 0;
}

int lab_read_fd(int fd, size_t max, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	size_t cap = 4096, n = 0;
	autofree char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			return -ENOMEM;
		if (n + 1 >= cap) {
			char *b = realloc(buf, cap * 2);
			if (!b)
				return -ENOMEM;
			buf = b;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max)
			return -EFBIG;
	}
	buf[n] = '\0';
	*len = n;
	*out = steal_pointer(&buf);
	return 0;
}

int lab_file_read(int dirfd, const char *name, char **out, size_t *len, struct nns_err *err)
{
	*out = NULL;
	*len = 0;
	autoclose int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT
				       : err_sys(err, errno, "cannot open state file %s", name);
	int r = lab_read_fd(fd, 64u << 20, out, len);
	return r < 0 ? err_sys(err, -r, "reading state file %s", name) : 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int lab_file_write(int dirfd, const char *name, const void *data, size_t len, struct nns_err *err)
{
	int fault = fault_point("writing a state file", err); /* test builds only */
	if (fault < 0) {
		err_prefix(err, "%s", name);
		return fault;
	}
	char tmp[300];
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	unlinkat(dirfd, tmp, 0);
	autoclose int fd =
	    openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_sys(err, errno, "cannot create state file %s", name);
	int r = write_all(fd, data, len);
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return err_sys(err, -r, "writing state file %s", name);
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		r = err_sys(err, errno, "cannot write state file %s", name);
		unlinkat(dirfd, tmp, 0);
		return r;
	}
	return 0;
}

int lab_log_open(int dirfd, const char *name, struct nns_err *err)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_sys(err, errno, "cannot open log file %s", name);
	return fd;
}

int lab_list(char ***names, size_t *n, struct nns_err *err)
{
	*names = NULL;
	*n = 0;
	int base = open_base(false, err);
	if (base == -ENOENT)
		return 0;
	if (base < 0)
		return base;
	autoclosedir DIR *d = fdopendir(base);
	if (!d) {
		close(base);
		return err_sys(err, errno, "cannot read \"%s\"", NNS_LABS_DIR);
	}
	struct dirent *e;
	size_t cap = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			char **v = realloc(*names, cap * sizeof(*v));
			if (!v)
				return err_sys(err, ENOMEM, "listing labs");
			*names = v;
		}
		if (!((*names)[*n] = strdup(e->d_name)))
			return err_sys(err, ENOMEM, "listing labs");
		(*n)++;
	}
	return 0;
}

void lab_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
