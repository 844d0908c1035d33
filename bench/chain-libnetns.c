/*
 * wiring: the same chain as floor-chain.c, built through libnetns the way a
 * topology does it: N named namespaces, one rtnetlink socket opened inside
 * each as it is made, N-1 veth pairs with a /31 on each end and every link up.
 * Each node is one batch on its own socket (one sendmsg): lo up, the veth to
 * the next node (both ifindexes chosen by us, so no lookups), the addresses
 * and `up` of both of its ends. Then it tears everything down.
 *
 * Run: wiring N [PREFIX]    Prints: n=N up=SECONDS down=SECONDS
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"
#include "nl/nl.h"
#include "ns/ns.h"

enum { IF_LO = 1, IF_LEFT = 2, IF_RIGHT = 3 }; /* ifindexes in a fresh namespace */

struct chain {
	size_t n;
	int *nsfd;
	struct nl_sock **nl;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs inside each new namespace: keep a socket and an fd on it. */
static int on_new_ns(size_t i, void *data, struct nns_err *err)
{
	struct chain *c = data;
	c->nsfd[i] = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	return nl_open(-1, &c->nl[i], err);
}

static void die(const struct nns_err *err)
{
	fprintf(stderr, "wiring: %s\n", err->msg);
	exit(1);
}

static void addr_up(struct nl_sock *s, int ifindex, uint32_t ip, struct nns_err *err)
{
	struct net_addr a = {.ifindex = ifindex, .ip = {.family = AF_INET, .prefixlen = 31}};
	a.ip.v4.s_addr = htonl(ip);
	if (net_addr_add(s, &a, err) < 0 || net_link_up(s, ifindex, NULL, true, err) < 0)
		die(err);
}

/* Node I: lo, the veth to I+1, addresses and up on both of its ends. */
static void build_node(struct chain *c, size_t i, struct nns_err *err)
{
	struct nl_sock *s = c->nl[i];
	char a[16], b[16];
	if (net_link_up(s, IF_LO, NULL, true, err) < 0)
		die(err);
	if (i + 1 < c->n) {
		snprintf(a, sizeof(a), "r%zu", i);
		snprintf(b, sizeof(b), "l%zu", i + 1);
		struct net_veth v = {.a = {.name = a, .ifindex = IF_RIGHT},
				     .b = {.name = b, .ifindex = IF_LEFT, .nsfd = c->nsfd[i + 1]}};
		if (net_veth_add(s, &v, err) < 0)
			die(err);
		addr_up(s, IF_RIGHT, (10u << 24) | (uint32_t)(2 * i), err);
	}
	if (i > 0) /* made by node i-1's batch, flushed before this one */
		addr_up(s, IF_LEFT, (10u << 24) | (uint32_t)(2 * (i - 1) + 1), err);
	if (nl_flush(s, err) < 0)
		die(err);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s N [PREFIX]\n", argv[0]);
		return 2;
	}
	struct chain c = {.n = (size_t)atoi(argv[1])};
	const char *prefix = argc > 2 ? argv[2] : "wb";
	struct rlimit rl = {3 * c.n + 64, 3 * c.n + 64};
	setrlimit(RLIMIT_NOFILE, &rl);
	c.nsfd = calloc(c.n, sizeof(*c.nsfd));
	c.nl = calloc(c.n, sizeof(*c.nl));
	char **names = calloc(c.n, sizeof(*names));
	for (size_t i = 0; i < c.n; i++)
		if (asprintf(&names[i], "%s%zu", prefix, i) < 0)
			return 1;
	struct nns_err err = {0};
	size_t done;

	double t0 = now();
	int dirfd = rundir_prepare(&err);
	if (dirfd < 0 ||
	    ns_create_all(dirfd, (const char *const *)names, c.n, on_new_ns, &c, &done, &err) < 0)
		die(&err);
	double t1 = now();
	for (size_t i = 0; i < c.n; i++)
		build_node(&c, i, &err);
	double t2 = now();

	bool keep = getenv("WIRING_KEEP"); /* leave the chain for inspection */
	for (size_t i = 0; i < c.n; i++) {
		nl_close(c.nl[i]);
		if (keep)
			continue;
		close(c.nsfd[i]);
		if (ns_remove(dirfd, names[i], &err) < 0)
			die(&err);
		free(names[i]);
	}
	double t3 = now();
	printf("n=%zu up=%.3f down=%.3f (namespaces %.3f, links+addresses+up %.3f)\n", c.n, t2 - t0,
	       t3 - t2, t1 - t0, t2 - t1);
	close(dirfd);
	free(names);
	free(c.nsfd);
	free(c.nl);
	return 0;
}
