/* ICMP/ICMPv6 echo between a lab's nodes, all probes in parallel. */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "topo.h"

#define CHECK_MAGIC 0x6e6e7334u /* "nns4" */
#define RESEND_MS   250

/* One raw socket per (source node, family), opened inside the node. */
struct prober {
	int fd;
	int family;
	int src;
};

struct payload {
	uint32_t magic;
	uint32_t probe;
	uint64_t sent_ns;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint16_t inet_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static bool unreachable_pair(const struct topo *t, int a, int b)
{
	for (size_t i = 0; i < t->nunreachable; i++) {
		const struct topo_pair *p = &t->unreachable[i];
		if ((p->a == a && p->b == b) || (p->a == b && p->b == a))
			return true;
	}
	return false;
}

static bool has_family(const struct topo_node *n, int family)
{
	for (size_t i = 0; i < n->nifaces; i++)
		for (size_t k = 0; k < n->ifaces[i].naddrs; k++)
			if (n->ifaces[i].addrs[k].family == family)
				return true;
	return false;
}

static int add_probe(struct check_result *res, struct check_probe p, size_t *cap)
{
	if (res->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		struct check_probe *v = realloc(res->v, *cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		res->v = v;
	}
	res->v[res->n++] = p;
	return 0;
}

/* Probes from S to every address of D in a family S has. */
static int plan_pair(const struct topo *t, int s, int d, struct check_result *res, size_t *cap)
{
	const struct topo_node *dn = &t->nodes[d];
	if (s == d || t->nodes[s].kind != TOPO_HOST || dn->kind != TOPO_HOST)
		return 0;
	for (size_t i = 0; i < dn->nifaces; i++)
		for (size_t k = 0; k < dn->ifaces[i].naddrs; k++) {
			const struct topo_addr *a = &dn->ifaces[i].addrs[k];
			if (!has_family(&t->nodes[s], a->family))
				continue;
			struct check_probe p = {
			    .src = s,
			    .dst = d,
			    .to = a,
			    .expect = !unreachable_pair(t, s, d),
			};
			if (add_probe(res, p, cap) < 0)
				return -ENOMEM;
		}
	return 0;
}

static bool in_set(const int *set, size_t n, int i)
{
	if (!set)
		return true;
	for (size_t k = 0; k < n; k++)
		if (set[k] == i)
			return true;
	return false;
}

/* A fixed seed: the same sample every run, so a failure can be re-run. */
static uint32_t xorshift(uint32_t *state)
{
	uint32_t x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

static int plan_sample(const struct topo *t, size_t count, struct check_result *res, size_t *cap)
{
	int *hosts = malloc((t->nnodes + 1) * sizeof(*hosts));
	if (!hosts)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < t->nnodes; i++)
		if (t->nodes[i].kind == TOPO_HOST)
			hosts[n++] = (int)i;
	uint32_t seed = 0x9e3779b9u;
	int r = 0;
	for (size_t k = 0; n > 1 && k < count && !r; k++) {
		int s = hosts[xorshift(&seed) % n], d = hosts[xorshift(&seed) % n];
		r = plan_pair(t, s, d, res, cap);
	}
	free(hosts);
	return r;
}

static int plan_probes(const struct topo *t, const struct check_opts *o, struct check_result *res)
{
	size_t cap = 0;
	if (o->sample)
		return plan_sample(t, o->sample, res, &cap);
	for (size_t s = 0; s < t->nnodes; s++) {
		if (!in_set(o->from, o->nfrom, (int)s))
			continue;
		for (size_t d = 0; d < t->nnodes; d++)
			if (in_set(o->to, o->nto, (int)d) &&
			    plan_pair(t, (int)s, (int)d, res, &cap) < 0)
				return -ENOMEM;
	}
	return 0;
}

static int open_raw(int family)
{
	int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	/* As far as IP goes: a routed chain is one hop per node. */
	int ttl = 255;
	if (fd >= 0 && family == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	if (fd >= 0 && family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	return fd;
}

/* Open the sockets of node S from inside its namespace, then come back. */
static int open_probers(const struct topo *t, size_t s, int self, struct prober *pr, size_t *n,
			struct nns_err *err)
{
	const struct topo_node *node = &t->nodes[s];
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", NNS_RUN_DIR, node->ns);
	autoclose int nsfd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (nsfd < 0)
		return err_sys(err, errno, "opening namespace %s", node->ns);
	if (setns(nsfd, CLONE_NEWNET) < 0)
		return err_sys(err, errno, "entering namespace %s", node->ns);
	int r = 0;
	static const int families[] = {AF_INET, AF_INET6};
	for (size_t f = 0; f < 2 && !r; f++) {
		if (!has_family(node, families[f]))
			continue;
		int fd = open_raw(families[f]);
		if (fd < 0)
			r = err_sys(err, errno, "raw ICMP socket in %s", node->ns);
		else
			pr[(*n)++] = (struct prober){fd, families[f], (int)s};
	}
	if (setns(self, CLONE_NEWNET) < 0)
		return err_sys(err, errno, "returning to the original namespace");
	return r;
}

static void send_probe(const struct prober *p, const struct check_probe *pb, uint32_t index)
{
	struct {
		struct icmphdr h;
		struct payload pl;
	} pkt = {0};
	pkt.h.type = p->family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	pkt.h.un.echo.id = htons((uint16_t)(0x4e00 | (p->src & 0xff)));
	pkt.h.un.echo.sequence = htons((uint16_t)index);
	pkt.pl = (struct payload){CHECK_MAGIC, index, now_ns()};
	if (p->family == AF_INET)
		pkt.h.checksum = inet_csum(&pkt, sizeof(pkt)); /* the kernel does ICMPv6's */
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	if (p->family == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, pb->to->bytes, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, pb->to->bytes, 16);
		sl = sizeof(*sin6);
	}
	sendto(p->fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl);
}

static void receive(const struct prober *p, struct check_result *res, size_t *answered)
{
	uint8_t buf[1500];
	for (;;) {
		ssize_t n = recv(p->fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return;
		size_t off = 0;
		if (p->family == AF_INET) /* IPv4 raw sockets see the IP header */
			off = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)n < off + sizeof(struct icmphdr) + sizeof(struct payload))
			continue;
		const struct icmphdr *h = (const void *)(buf + off);
		if (h->type != (p->family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY))
			continue;
		struct payload pl;
		memcpy(&pl, buf + off + sizeof(*h), sizeof(pl));
		if (pl.magic != CHECK_MAGIC || pl.probe >= res->n)
			continue;
		struct check_probe *pb = &res->v[pl.probe];
		if (pb->src != p->src || pb->to->family != p->family || pb->answered)
			continue;
		pb->answered = true;
		pb->rtt_us = (unsigned)((now_ns() - pl.sent_ns) / 1000);
		(*answered)++;
	}
}

static const struct prober *prober_of(const struct prober *pr, size_t n, int src, int family)
{
	/* Probers are in node order: a binary search on (src, family). */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pr[mid].src < src || (pr[mid].src == src && pr[mid].family < family))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && pr[lo].src == src && pr[lo].family == family ? &pr[lo] : NULL;
}

static void run_probes(struct prober *pr, size_t npr, struct check_result *res, int timeout_ms)
{
	struct pollfd *pfd = calloc(npr ? npr : 1, sizeof(*pfd));
	if (!pfd)
		return;
	for (size_t i = 0; i < npr; i++)
		pfd[i] = (struct pollfd){.fd = pr[i].fd, .events = POLLIN};
	size_t answered = 0;
	uint64_t start = now_ns(), deadline = start + (uint64_t)timeout_ms * 1000000u;
	uint64_t next_send = start;
	while (answered < res->n) {
		uint64_t now = now_ns();
		if (now >= deadline)
			break;
		if (now >= next_send) {
			for (size_t i = 0; i < res->n; i++)
				if (!res->v[i].answered)
					send_probe(
					    prober_of(pr, npr, res->v[i].src, res->v[i].to->family),
					    &res->v[i], (uint32_t)i);
			next_send = now + RESEND_MS * 1000000u;
		}
		uint64_t until = next_send < deadline ? next_send : deadline;
		int wait_ms = (int)((until - now) / 1000000u) + 1;
		if (poll(pfd, npr, wait_ms) <= 0)
			continue;
		for (size_t i = 0; i < npr; i++)
			if (pfd[i].revents & POLLIN)
				receive(&pr[i], res, &answered);
	}
	free(pfd);
}

int topo_check(const struct topo *t, const struct check_opts *o, struct check_result *res,
	       struct nns_err *err)
{
	memset(res, 0, sizeof(*res));
	if (plan_probes(t, o, res) < 0)
		return err_sys(err, ENOMEM, "planning probes");
	int r = topo_ensure_fds(t->nnodes, err);
	if (r < 0)
		return r;
	autoclose int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return err_sys(err, errno, "opening the current network namespace");
	struct prober *pr = calloc(2 * t->nnodes + 1, sizeof(*pr));
	if (!pr)
		return err_sys(err, ENOMEM, "planning probes");
	size_t npr = 0;
	bool *src = calloc(t->nnodes + 1, sizeof(*src));
	for (size_t i = 0; src && i < res->n; i++)
		src[res->v[i].src] = true;
	if (!src)
		r = err_sys(err, ENOMEM, "planning probes");
	for (size_t s = 0; s < t->nnodes && !r; s++)
		if (src[s])
			r = open_probers(t, s, self, pr, &npr, err);
	free(src);
	if (!r)
		run_probes(pr, npr, res, o->timeout_ms ? o->timeout_ms : 2000);
	for (size_t i = 0; i < npr; i++)
		close(pr[i].fd);
	free(pr);
	for (size_t i = 0; !r && i < res->n; i++)
		if (res->v[i].answered != res->v[i].expect)
			res->failed++;
	return r;
}

void check_result_free(struct check_result *res)
{
	free(res->v);
	memset(res, 0, sizeof(*res));
}
