/*
 * ns-threads: is namespace creation faster from several threads?
 *
 * Creates N named namespaces (PREFIX0 .. PREFIX{N-1}) the way `netns up`
 * does (exclusive file, unshare, bind mount, an fd and an rtnetlink socket
 * kept, lo up) from T threads taking indexes from a shared counter, then
 * removes them. The measurement behind the threads of ns_create_all().
 *
 * Run: ns-threads N T [PREFIX]   (root; PREFIX defaults to "bzt")
 * Prints: n=N threads=T create=SECONDS delete=SECONDS
 * Run it alternately with T=1 and T=2, letting the kernel settle between.
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct job {
	int n;
	const char *prefix;
	atomic_int next;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void lo_up(int fd)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} m = {
	    .h = {.nlmsg_len = sizeof(m),
		  .nlmsg_type = RTM_NEWLINK,
		  .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		  .nlmsg_seq = 1},
	    .i = {.ifi_index = 1, .ifi_flags = IFF_UP, .ifi_change = IFF_UP},
	};
	char buf[4096];
	if (send(fd, &m, sizeof(m), 0) < 0 || recv(fd, buf, sizeof(buf), 0) < 0)
		die("lo up");
}

static void *work(void *arg)
{
	struct job *j = arg;
	char path[256], self[64];
	for (int i; (i = atomic_fetch_add(&j->next, 1)) < j->n;) {
		snprintf(path, sizeof(path), "/run/netns/%s%d", j->prefix, i);
		int f = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
		if (f < 0)
			die(path);
		if (unshare(CLONE_NEWNET) < 0)
			die("unshare");
		snprintf(self, sizeof(self), "/proc/self/fd/%d", f);
		if (mount("/proc/thread-self/ns/net", self, "none", MS_BIND, NULL) < 0)
			die("mount");
		close(f);
		/* Kept open, as up keeps them until the lab is wired. */
		if (open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC) < 0)
			die("open");
		int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (s < 0)
			die("socket");
		lo_up(s);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s N THREADS [PREFIX]\n", argv[0]);
		return 2;
	}
	struct job j = {.n = atoi(argv[1]), .prefix = argc > 3 ? argv[3] : "bzt"};
	int threads = atoi(argv[2]);
	if (threads < 1 || threads > 64)
		threads = 1;
	struct rlimit rl = {(rlim_t)(2 * j.n + 64), (rlim_t)(2 * j.n + 64)};
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit");
	pthread_t th[64];
	double t0 = now();
	for (int t = 0; t < threads; t++)
		if (pthread_create(&th[t], NULL, work, &j) != 0)
			die("pthread_create");
	for (int t = 0; t < threads; t++)
		pthread_join(th[t], NULL);
	double t1 = now();
	char path[256];
	for (int i = 0; i < j.n; i++) {
		snprintf(path, sizeof(path), "/run/netns/%s%d", j.prefix, i);
		if (umount2(path, MNT_DETACH) < 0 || unlink(path) < 0)
			die(path);
	}
	printf("n=%d threads=%d create=%.3f delete=%.3f\n", j.n, threads, t1 - t0, now() - t1);
	return 0;
}
