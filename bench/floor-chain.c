/*
 * Copied from /work/shared/bench/floor-chain.c (the team's reference, unchanged
 * below this note) so bench/run measures it in the same run as netns.
 */
/*
 * floor-chain: the speed floor for building an N-node chain topology.
 *
 * One process, sequential libmnl requests, no error recovery: N named
 * namespaces (PREFIX0 .. PREFIX{N-1}) with lo up, N-1 veth pairs created from
 * the root namespace with each end placed directly in its namespace
 * (IFLA_NET_NS_FD), a /31 IPv4 address on each end, both ends up.
 * Then it tears everything down (umount + unlink each namespace file).
 *
 * Build: cc -O2 -o floor-chain floor-chain.c $(pkg-config --cflags --libs libmnl)
 * Run:   ./floor-chain N [PREFIX]        (as root; PREFIX defaults to "fc")
 * Prints: n=N up=SECONDS down=SECONDS (and the split of the up phase)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static unsigned seq = 1;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Send one request and wait for its ack. */
static void talk(struct mnl_socket *nl, struct nlmsghdr *h)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	h->nlmsg_seq = seq++;
	h->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0)
		die("mnl_socket_sendto");
	int r = mnl_socket_recvfrom(nl, buf, sizeof buf);
	if (r < 0 || mnl_cb_run(buf, r, h->nlmsg_seq, mnl_socket_get_portid(nl), NULL, NULL) < 0)
		die("netlink request");
}

static struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("mnl_socket_open");
	return nl;
}

static void link_up(struct mnl_socket *nl, int ifindex, const char *name)
{
	char buf[512];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_NEWLINK;
	h->nlmsg_flags = NLM_F_REQUEST;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof *ifi);
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (name)
		mnl_attr_put_strz(h, IFLA_IFNAME, name);
	talk(nl, h);
}

/* veth a (in namespace fda) <-> b (in namespace fdb), in one request. */
static void veth(struct mnl_socket *nl, const char *a, int fda, const char *b, int fdb)
{
	char buf[1024];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_NEWLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	mnl_nlmsg_put_extra_header(h, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(h, IFLA_IFNAME, a);
	mnl_attr_put_u32(h, IFLA_NET_NS_FD, fda);
	struct nlattr *info = mnl_attr_nest_start(h, IFLA_LINKINFO);
	mnl_attr_put_strz(h, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(h, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(h, VETH_INFO_PEER);
	mnl_nlmsg_put_extra_header(h, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(h, IFLA_IFNAME, b);
	mnl_attr_put_u32(h, IFLA_NET_NS_FD, fdb);
	mnl_attr_nest_end(h, peer);
	mnl_attr_nest_end(h, data);
	mnl_attr_nest_end(h, info);
	talk(nl, h);
}

/* Address, then up; the socket must belong to the interface's namespace. */
static void addr_up(struct mnl_socket *nl, int nsfd, const char *ifname, uint32_t ip)
{
	if (setns(nsfd, CLONE_NEWNET) < 0)
		die("setns");
	int ifindex = if_nametoindex(ifname);
	char buf[512];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_NEWADDR;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	struct ifaddrmsg *ia = mnl_nlmsg_put_extra_header(h, sizeof *ia);
	ia->ifa_family = AF_INET;
	ia->ifa_prefixlen = 31;
	ia->ifa_index = ifindex;
	uint32_t v = htonl(ip);
	mnl_attr_put_u32(h, IFA_LOCAL, v);
	mnl_attr_put_u32(h, IFA_ADDRESS, v);
	talk(nl, h);
	link_up(nl, ifindex, NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s N [PREFIX]\n", argv[0]);
		return 2;
	}
	int n = atoi(argv[1]);
	const char *prefix = argc > 2 ? argv[2] : "fc";
	struct rlimit rl = { 3 * n + 64, 3 * n + 64 };
	setrlimit(RLIMIT_NOFILE, &rl);
	mkdir("/run/netns", 0755);

	int self = open("/proc/self/ns/net", O_RDONLY);
	struct mnl_socket *root = nl_open();
	int *fd = calloc(n, sizeof *fd);
	struct mnl_socket **nl = calloc(n, sizeof *nl);
	char path[PATH_MAX], a[IFNAMSIZ], b[IFNAMSIZ];

	double t0 = now();
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "/run/netns/%s%d", prefix, i);
		int f = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
		if (f < 0)
			die(path);
		close(f);
		if (unshare(CLONE_NEWNET) < 0)
			die("unshare");
		if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
			die("mount");
		fd[i] = open("/proc/thread-self/ns/net", O_RDONLY);
		nl[i] = nl_open();
		link_up(nl[i], 1, NULL); /* lo */
	}
	setns(self, CLONE_NEWNET);
	double t1 = now();
	for (int i = 0; i + 1 < n; i++) {
		snprintf(a, sizeof a, "r%d", i);
		snprintf(b, sizeof b, "l%d", i + 1);
		veth(root, a, fd[i], b, fd[i + 1]);
	}
	double t2 = now();
	for (int i = 0; i + 1 < n; i++) {
		uint32_t base = (10u << 24) | (uint32_t)(2 * i);
		snprintf(a, sizeof a, "r%d", i);
		snprintf(b, sizeof b, "l%d", i + 1);
		addr_up(nl[i], fd[i], a, base);
		addr_up(nl[i + 1], fd[i + 1], b, base + 1);
	}
	setns(self, CLONE_NEWNET);
	double t3 = now();

	for (int i = 0; i < n; i++) {
		mnl_socket_close(nl[i]);
		close(fd[i]);
		snprintf(path, sizeof path, "/run/netns/%s%d", prefix, i);
		if (umount2(path, MNT_DETACH) < 0 || unlink(path) < 0)
			die(path);
	}
	double t4 = now();
	printf("n=%d up=%.3f down=%.3f (namespaces %.3f, veth %.3f, addr+up %.3f)\n",
	       n, t3 - t0, t4 - t3, t1 - t0, t2 - t1, t3 - t2);
	return 0;
}
