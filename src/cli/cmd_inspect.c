/* inspect: what each namespace holds — interfaces, addresses, peers, routes. */
#include <errno.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../net/net.h"
#include "../nl/nl.h"
#include "cli.h"
#include "json.h"

/* Everything dumped from one namespace. */
struct nsview {
	const char *name;
	struct net_link_info *links;
	size_t nlinks;
	struct net_addr_info *addrs;
	size_t naddrs;
	struct net_route_info *routes;
	size_t nroutes;
	/* veth peers, parallel to links: "ns:ifname" or "" */
	char (*peer)[300];
};

static void view_free(struct nsview *v)
{
	free(v->links);
	free(v->addrs);
	free(v->routes);
	free(v->peer);
}

static const char *ifname_of(const struct nsview *v, int ifindex)
{
	for (size_t i = 0; i < v->nlinks; i++)
		if (v->links[i].ifindex == ifindex)
			return v->links[i].name;
	return "?";
}

/* Name of ifindex IFINDEX inside the named namespace NS. */
static void remote_ifname(const char *ns, int ifindex, char *out, size_t len)
{
	snprintf(out, len, "ifindex %d", ifindex);
	int fd = nns_open(ns, NULL);
	struct nl_sock *nl = NULL;
	if (fd < 0 || nl_open(fd, &nl, NULL) < 0)
		goto out;
	struct net_link_info *links = NULL;
	size_t n = 0;
	if (net_link_dump(nl, &links, &n, NULL) == 0)
		for (size_t i = 0; i < n; i++)
			if (links[i].ifindex == ifindex)
				snprintf(out, len, "%s", links[i].name);
	free(links);
out:
	nl_close(nl);
	if (fd >= 0)
		close(fd);
}

static void resolve_peer(struct nl_sock *nl, struct nsview *v, size_t i)
{
	const struct net_link_info *li = &v->links[i];
	char ns[256] = "", ifn[64];
	if (strcmp(li->kind, "veth") || li->link <= 0)
		return;
	if (li->link_nsid < 0) {
		snprintf(v->peer[i], sizeof(v->peer[i]), "%s:%s", v->name, ifname_of(v, li->link));
		return;
	}
	net_nsid_name(nl, li->link_nsid, ns, sizeof(ns), NULL);
	if (!ns[0]) {
		snprintf(v->peer[i], sizeof(v->peer[i]), "nsid %d:ifindex %d", li->link_nsid,
			 li->link);
		return;
	}
	remote_ifname(ns, li->link, ifn, sizeof(ifn));
	snprintf(v->peer[i], sizeof(v->peer[i]), "%s:%s", ns, ifn);
}

static int view_load(struct nsview *v, struct nns_err *err)
{
	int fd = nns_open(v->name, err);
	if (fd < 0)
		return fd;
	struct nl_sock *nl;
	int r = nl_open(fd, &nl, err);
	close(fd);
	if (r < 0)
		return r;
	r = net_link_dump(nl, &v->links, &v->nlinks, err);
	if (!r)
		r = net_addr_dump(nl, 0, &v->addrs, &v->naddrs, err);
	if (!r)
		r = net_route_dump(nl, 0, false, &v->routes, &v->nroutes, err);
	if (!r && !(v->peer = calloc(v->nlinks + 1, sizeof(*v->peer))))
		r = -ENOMEM;
	for (size_t i = 0; !r && i < v->nlinks; i++)
		resolve_peer(nl, v, i);
	nl_close(nl);
	return r;
}

static const char *state_of(const struct net_link_info *li)
{
	static const char *const oper[] = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
					   "TESTING", "DORMANT",    "UP"};
	if (!(li->flags & IFF_UP))
		return "DOWN";
	return li->operstate < sizeof(oper) / sizeof(oper[0]) ? oper[li->operstate] : "UNKNOWN";
}

static void mac_text(const struct net_link_info *li, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0, off = 0; i < li->mac_len && off + 3 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, i ? ":%02x" : "%02x", li->mac[i]);
}

static void route_text(const struct nsview *v, const struct net_route_info *r, char *buf,
		       size_t len)
{
	static const char *const types[] = {[RTN_BLACKHOLE] = "blackhole ",
					    [RTN_UNREACHABLE] = "unreachable ",
					    [RTN_PROHIBIT] = "prohibit "};
	char dst[64] = "default", via[64] = "";
	if (r->dst.prefixlen)
		net_ip_format(&r->dst, true, dst, sizeof(dst));
	if (r->via.family)
		net_ip_format(&r->via, false, via, sizeof(via));
	const char *type =
	    r->type < sizeof(types) / sizeof(types[0]) && types[r->type] ? types[r->type] : "";
	int n = snprintf(buf, len, "%s%s", type, dst);
	if (via[0])
		n += snprintf(buf + n, len - (size_t)n, " via %s", via);
	if (r->ifindex)
		n += snprintf(buf + n, len - (size_t)n, " dev %s", ifname_of(v, r->ifindex));
	if (r->metric)
		n += snprintf(buf + n, len - (size_t)n, " metric %u", r->metric);
	if (r->table != RT_TABLE_MAIN)
		snprintf(buf + n, len - (size_t)n, " table %u", r->table);
}

static void print_ports(const struct nsview *v, int master)
{
	const char *sep = " ports:";
	for (size_t j = 0; j < v->nlinks; j++) {
		if (v->links[j].master == master) {
			printf("%s %s", sep, v->links[j].name);
			sep = ",";
		}
	}
}

static void print_link(const struct nsview *v, size_t i)
{
	const struct net_link_info *li = &v->links[i];
	char mac[100];
	mac_text(li, mac, sizeof(mac));
	printf("  %s", li->name);
	if (li->kind[0])
		printf(" (%s)", li->kind);
	printf(" %s mtu %u", state_of(li), li->mtu);
	if (mac[0] && li->kind[0])
		printf(" mac %s", mac);
	if (v->peer[i][0])
		printf(" peer %s", v->peer[i]);
	if (li->master)
		printf(" master %s", ifname_of(v, li->master));
	if (!strcmp(li->kind, "bridge"))
		print_ports(v, li->ifindex);
	putchar('\n');
	char ip[64];
	for (size_t j = 0; j < v->naddrs; j++)
		if (v->addrs[j].ifindex == li->ifindex)
			printf("    %s\n", net_ip_format(&v->addrs[j].ip, true, ip, sizeof(ip)));
}

static void print_text(const struct nsview *v)
{
	printf("%s\n", v->name);
	for (size_t i = 0; i < v->nlinks; i++)
		print_link(v, i);
	if (v->nroutes)
		printf("  routes:\n");
	char rt[256];
	for (size_t i = 0; i < v->nroutes; i++) {
		route_text(v, &v->routes[i], rt, sizeof(rt));
		printf("    %s\n", rt);
	}
}

static struct jout *json_link(const struct nsview *v, size_t i)
{
	const struct net_link_info *li = &v->links[i];
	struct jout *o = jout_object();
	char mac[100], ip[64];
	mac_text(li, mac, sizeof(mac));
	jout_set_str(o, "ifname", li->name);
	jout_set_int(o, "ifindex", li->ifindex);
	jout_set_str(o, "kind", li->kind);
	jout_set_str(o, "state", state_of(li));
	jout_set_int(o, "mtu", li->mtu);
	jout_set_str(o, "address", mac);
	if (li->master)
		jout_set_str(o, "master", ifname_of(v, li->master));
	if (v->peer[i][0])
		jout_set_str(o, "peer", v->peer[i]);
	struct jout *addrs = jout_array();
	for (size_t j = 0; j < v->naddrs; j++) {
		if (v->addrs[j].ifindex != li->ifindex)
			continue;
		struct jout *a = jout_object();
		jout_set_str(a, "local", net_ip_format(&v->addrs[j].ip, false, ip, sizeof(ip)));
		jout_set_int(a, "prefixlen", v->addrs[j].ip.prefixlen);
		jout_append(addrs, a);
	}
	jout_set(o, "addresses", addrs);
	if (!strcmp(li->kind, "bridge")) {
		struct jout *ports = jout_array();
		for (size_t j = 0; j < v->nlinks; j++) {
			if (v->links[j].master == li->ifindex) {
				struct jout *p = jout_object();
				jout_set_str(p, "ifname", v->links[j].name);
				jout_append(ports, p);
			}
		}
		jout_set(o, "ports", ports);
	}
	return o;
}

static struct jout *json_view(const struct nsview *v)
{
	struct jout *o = jout_object(), *links = jout_array(), *routes = jout_array();
	jout_set_str(o, "name", v->name);
	for (size_t i = 0; i < v->nlinks; i++)
		jout_append(links, json_link(v, i));
	char rt[256];
	for (size_t i = 0; i < v->nroutes; i++) {
		struct jout *r = jout_object();
		route_text(v, &v->routes[i], rt, sizeof(rt));
		jout_set_str(r, "route", rt);
		jout_set_int(r, "table", v->routes[i].table);
		jout_append(routes, r);
	}
	jout_set(o, "interfaces", links);
	jout_set(o, "routes", routes);
	return o;
}

/* The namespaces to show: the arguments, or every named namespace. */
static int collect_names(int argc, char **argv, struct cli *c, const char ***names, size_t *n,
			 struct nns_entry **all)
{
	*names = calloc((size_t)argc + 1, sizeof(**names));
	*n = 0;
	*all = NULL;
	if (!*names)
		return -ENOMEM;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json") ||
		    !strcmp(argv[i], "-json"))
			c->json = true;
		else
			(*names)[(*n)++] = argv[i];
	}
	if (*n)
		return 0;
	size_t count = 0;
	struct nns_err err = {0};
	if (nns_list(all, &count, &err) < 0)
		return -1;
	free(*names);
	*names = calloc(count + 1, sizeof(**names));
	if (!*names)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++)
		if (!(*all)[i].stale)
			(*names)[(*n)++] = (*all)[i].name;
	return 0;
}

int cmd_inspect(struct cli *c, int argc, char **argv)
{
	const char **names;
	size_t n;
	struct nns_entry *all;
	if (collect_names(argc, argv, c, &names, &n, &all) < 0) {
		free(names);
		free(all);
		cli_errorf("netns: inspect: cannot list namespaces");
		return EXIT_FAIL;
	}
	int rc = EXIT_OK;
	struct jout *arr = c->json ? jout_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		struct nsview v = {.name = names[i]};
		struct nns_err err = {0};
		if (view_load(&v, &err) < 0) {
			cli_errorf("netns: inspect %s: %s", names[i], err.msg);
			rc = EXIT_FAIL;
		} else if (arr) {
			jout_append(arr, json_view(&v));
		} else {
			print_text(&v);
		}
		view_free(&v);
	}
	if (arr)
		jout_print(stdout, arr, c->pretty);
	free(names);
	free(all);
	return rc;
}
