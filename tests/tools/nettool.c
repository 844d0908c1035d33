/*
 * nettool — test driver for the net/ layer: one library call per run, in a
 * named namespace, so the bats tests can check each object with ip/tc as
 * independent oracles (and strace the request it sends).
 *
 *   nettool NS veth NAME PEER_NS PEER [mtu N] [ifindex I] [peer_ifindex J] [alias A] [noll]
 *   nettool NS bridge|dummy NAME [stp] [vlan_filtering] [ageing S] [alias A] [noll] [up]
 *   nettool NS vlan NAME PARENT ID
 *   nettool NS macvlan NAME PARENT MODE [netns NS2]
 *   nettool NS vxlan NAME VNI [local IP] [remote IP] [group IP] [port N] [dev DEV]
 *   nettool NS set DEV [up|down] [mtu N] [mac M] [master BR|nomaster] [name NEW] [netns NS2]
 *   nettool NS del DEV
 *   nettool NS addr add|del DEV CIDR [nodad] [brd] | addr flush DEV
 *   nettool NS route add|del DST [via GW] [dev DEV] [metric N] [table N] [blackhole|unreachable]
 *   nettool NS netem|tbf DEV add|change|replace WORDS...  |  nettool NS qdisc-del DEV
 *   nettool NS sysctl KEY=VALUE...  |  nettool NS sysctl-get KEY  |  nettool NS ifindex DEV
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net.h"
#include "nl/nl.h"

struct ctx {
	const char *ns;
	int nsfd;
	struct nl_sock *nl;
	struct nns_err err;
};

static const char *opt(int argc, char **argv, const char *key)
{
	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], key))
			return argv[i + 1];
	return NULL;
}

static bool flag(int argc, char **argv, const char *key)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], key))
			return true;
	return false;
}

static unsigned num(const char *s)
{
	return s ? (unsigned)strtoul(s, NULL, 0) : 0;
}

static int ifindex(struct ctx *c, const char *name)
{
	if (!name)
		return 0;
	int r = net_ifindex(c->nl, name, &c->err);
	if (r < 0) {
		fprintf(stderr, "nettool: %s\n", c->err.msg);
		exit(1);
	}
	return r;
}

static int open_ns(const char *name, struct nns_err *err)
{
	int fd = name ? nns_open(name, err) : 0;
	if (fd < 0) {
		fprintf(stderr, "nettool: %s\n", err->msg);
		exit(1);
	}
	return fd;
}

static void common(struct ctx *c, struct net_link *l, const char *name, int argc, char **argv)
{
	l->name = name;
	l->ns = c->ns;
	l->mtu = num(opt(argc, argv, "mtu"));
	l->ifindex = (int)num(opt(argc, argv, "ifindex"));
	l->alias = opt(argc, argv, "alias");
	l->no_ipv6_ll = flag(argc, argv, "noll");
	l->up = flag(argc, argv, "up");
	l->nsfd = open_ns(opt(argc, argv, "netns"), &c->err);
}

static void parse_ip(struct ctx *c, const char *text, struct net_ip *ip)
{
	if (text && net_ip_parse(text, true, 0, ip, &c->err) < 0) {
		fprintf(stderr, "nettool: %s\n", c->err.msg);
		exit(1);
	}
}

static int do_link(struct ctx *c, const char *kind, int argc, char **argv)
{
	const char *name = argv[0];
	argc--, argv++;
	if (!strcmp(kind, "veth")) {
		struct net_veth v = {0};
		common(c, &v.a, name, argc - 2, argv + 2);
		v.b.name = argv[1];
		v.b.ns = argv[0];
		v.b.nsfd = open_ns(argv[0], &c->err);
		v.b.ifindex = (int)num(opt(argc, argv, "peer_ifindex"));
		v.b.mtu = v.a.mtu;
		return net_veth_add(c->nl, &v, &c->err);
	}
	if (!strcmp(kind, "bridge")) {
		struct net_bridge b = {.stp = flag(argc, argv, "stp"),
				       .vlan_filtering = flag(argc, argv, "vlan_filtering"),
				       .ageing_seconds = (int)num(opt(argc, argv, "ageing"))};
		common(c, &b.link, name, argc, argv);
		return net_bridge_add(c->nl, &b, &c->err);
	}
	if (!strcmp(kind, "vlan")) {
		struct net_vlan v = {.parent = ifindex(c, argv[0]),
				     .id = (uint16_t)num(argv[1]),
				     .qinq = flag(argc, argv, "qinq")};
		common(c, &v.link, name, argc - 2, argv + 2);
		return net_vlan_add(c->nl, &v, &c->err);
	}
	if (!strcmp(kind, "macvlan")) {
		struct net_macvlan m = {.parent = ifindex(c, argv[0])};
		if (net_macvlan_mode_parse(argv[1], &m.mode, &c->err) < 0)
			return c->err.code;
		common(c, &m.link, name, argc - 2, argv + 2);
		return net_macvlan_add(c->nl, &m, &c->err);
	}
	if (!strcmp(kind, "vxlan")) {
		struct net_vxlan x = {.vni = num(argv[0]),
				      .dstport = (uint16_t)num(opt(argc, argv, "port")),
				      .dev = ifindex(c, opt(argc, argv, "dev"))};
		parse_ip(c, opt(argc, argv, "local"), &x.local);
		parse_ip(c, opt(argc, argv, "remote"), &x.remote);
		parse_ip(c, opt(argc, argv, "group"), &x.group);
		common(c, &x.link, name, argc - 1, argv + 1);
		return net_vxlan_add(c->nl, &x, &c->err);
	}
	struct net_link l = {0};
	common(c, &l, name, argc, argv);
	return net_dummy_add(c->nl, &l, &c->err);
}

static int do_set(struct ctx *c, int argc, char **argv)
{
	static uint8_t mac[6];
	struct net_link_change ch = {.ifindex = ifindex(c, argv[0]), .name = argv[0], .ns = c->ns};
	ch.up = flag(argc, argv, "up") ? 1 : flag(argc, argv, "down") ? -1 : 0;
	ch.mtu = num(opt(argc, argv, "mtu"));
	const char *m = opt(argc, argv, "mac");
	if (m && sscanf(m, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3],
			&mac[4], &mac[5]) == 6)
		ch.mac = mac;
	ch.master = flag(argc, argv, "nomaster") ? -1 : ifindex(c, opt(argc, argv, "master"));
	ch.new_name = opt(argc, argv, "name");
	ch.no_ipv6_ll = flag(argc, argv, "noll");
	ch.alias = opt(argc, argv, "alias");
	ch.move_nsfd = opt(argc, argv, "netns") ? open_ns(opt(argc, argv, "netns"), &c->err) : 0;
	return net_link_change(c->nl, &ch, &c->err);
}

static int do_addr(struct ctx *c, int argc, char **argv)
{
	if (!strcmp(argv[0], "flush")) {
		int r = net_addr_flush(c->nl, ifindex(c, argv[1]), 0, &c->err);
		return r < 0 ? r : 0;
	}
	struct net_addr a = {.ifindex = ifindex(c, argv[1]),
			     .ifname = argv[1],
			     .nodad = flag(argc, argv, "nodad"),
			     .broadcast = flag(argc, argv, "brd")};
	if (net_ip_parse(argv[2], false, 0, &a.ip, &c->err) < 0)
		return c->err.code;
	return !strcmp(argv[0], "add") ? net_addr_add(c->nl, &a, &c->err)
				       : net_addr_del(c->nl, &a, &c->err);
}

static int do_route(struct ctx *c, int argc, char **argv)
{
	struct net_route r = {.ifindex = ifindex(c, opt(argc, argv, "dev")),
			      .metric = num(opt(argc, argv, "metric")),
			      .table = num(opt(argc, argv, "table"))};
	const char *via = opt(argc, argv, "via");
	if (via && net_ip_parse(via, true, 0, &r.via, &c->err) < 0)
		return c->err.code;
	int fam = r.via.family ? r.via.family : flag(argc, argv, "-6") ? AF_INET6 : 0;
	if (net_ip_parse(argv[1], true, fam, &r.dst, &c->err) < 0)
		return c->err.code;
	if (flag(argc, argv, "blackhole"))
		r.type = NET_ROUTE_BLACKHOLE;
	if (flag(argc, argv, "unreachable"))
		r.type = NET_ROUTE_UNREACHABLE;
	return !strcmp(argv[0], "add") ? net_route_add(c->nl, &r, &c->err)
				       : net_route_del(c->nl, &r, &c->err);
}

/* The words after the operation, joined back into one spec string. */
static void join(int argc, char **argv, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < argc; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "", argv[i]);
}

static int do_qdisc(struct ctx *c, const char *kind, int argc, char **argv)
{
	int idx = ifindex(c, argv[0]);
	if (!strcmp(kind, "qdisc-del"))
		return net_qdisc_del_root(c->nl, idx, argv[0], &c->err);
	enum net_qdisc_op op = !strcmp(argv[1], "change")    ? NET_QDISC_CHANGE
			       : !strcmp(argv[1], "replace") ? NET_QDISC_REPLACE
							     : NET_QDISC_ADD;
	char spec[512];
	join(argc - 2, argv + 2, spec, sizeof(spec));
	if (!strcmp(kind, "netem")) {
		struct net_netem n;
		if (net_netem_parse(spec, &n, &c->err) < 0)
			return c->err.code;
		return net_netem_set(c->nl, idx, argv[0], &n, op, &c->err);
	}
	struct net_tbf t;
	if (net_tbf_parse(spec, &t, &c->err) < 0)
		return c->err.code;
	return net_tbf_set(c->nl, idx, argv[0], &t, op, &c->err);
}

static int do_sysctl(struct ctx *c, int argc, char **argv)
{
	struct net_sysctl v[16];
	int n = 0;
	for (int i = 0; i < argc && n < 16; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq)
			continue;
		*eq = '\0';
		v[n++] = (struct net_sysctl){argv[i], eq + 1};
	}
	return net_sysctl_set(c->nsfd, v, (size_t)n, &c->err);
}

static int run(struct ctx *c, const char *cmd, int argc, char **argv)
{
	static const char *const kinds[] = {"veth", "bridge", "vlan", "macvlan", "vxlan", "dummy"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(cmd, kinds[i]))
			return do_link(c, cmd, argc, argv);
	if (!strcmp(cmd, "set"))
		return do_set(c, argc, argv);
	if (!strcmp(cmd, "del"))
		return net_link_del(c->nl, ifindex(c, argv[0]), argv[0], &c->err);
	if (!strcmp(cmd, "addr"))
		return do_addr(c, argc, argv);
	if (!strcmp(cmd, "route"))
		return do_route(c, argc, argv);
	if (!strcmp(cmd, "netem") || !strcmp(cmd, "tbf") || !strcmp(cmd, "qdisc-del"))
		return do_qdisc(c, cmd, argc, argv);
	if (!strcmp(cmd, "sysctl"))
		return do_sysctl(c, argc, argv);
	if (!strcmp(cmd, "sysctl-get")) {
		char buf[256];
		int r = net_sysctl_get(c->nsfd, argv[0], buf, sizeof(buf), &c->err);
		if (!r)
			printf("%s\n", buf);
		return r;
	}
	if (!strcmp(cmd, "ifindex")) {
		printf("%d\n", ifindex(c, argv[0]));
		return 0;
	}
	fprintf(stderr, "nettool: unknown command %s\n", cmd);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: nettool NS COMMAND ARGS...\n");
		return 2;
	}
	struct ctx c = {.ns = argv[1]};
	c.nsfd = open_ns(argv[1], &c.err);
	if (nl_open(c.nsfd, &c.nl, &c.err) < 0) {
		fprintf(stderr, "nettool: %s\n", c.err.msg);
		return 1;
	}
	int r = run(&c, argv[2], argc - 3, argv + 3);
	if (r >= 0 && nl_pending(c.nl))
		r = nl_flush(c.nl, &c.err);
	if (r < 0)
		net_explain(&c.err);
	if (r < 0)
		fprintf(stderr, "nettool: %s: %s\n", argv[1], c.err.msg);
	nl_close(c.nl);
	close(c.nsfd);
	return r < 0 ? 1 : 0;
}
