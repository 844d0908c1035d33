/*
 * The floor for named-namespace lifecycle: the fewest syscalls that give
 * iproute2-compatible results, with no checks, messages or library. Run by
 * bench/lifecycle. Usage: floor add|del PREFIX COUNT (the run directory must
 * already be a shared mount point).
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define RUN_DIR "/run/netns"

static void add(int dirfd, const char *name)
{
	char target[64];
	int fd = openat(dirfd, name, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0 || unshare(CLONE_NEWNET) < 0) {
		perror(name);
		exit(1);
	}
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	if (mount("/proc/thread-self/ns/net", target, "none", MS_BIND, NULL) < 0) {
		perror(name);
		exit(1);
	}
	close(fd);
}

static void del(int dirfd, const char *name)
{
	char path[300];
	snprintf(path, sizeof(path), RUN_DIR "/%s", name);
	umount2(path, MNT_DETACH);
	if (unlinkat(dirfd, name, 0) < 0) {
		perror(name);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int count = atoi(argv[3]);
	int dirfd = open(RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (dirfd < 0 || self < 0)
		return 1;
	for (int i = 1; i <= count; i++) {
		char name[256];
		snprintf(name, sizeof(name), "%s%d", argv[2], i);
		if (!strcmp(argv[1], "add"))
			add(dirfd, name);
		else
			del(dirfd, name);
	}
	return setns(self, CLONE_NEWNET) < 0;
}
