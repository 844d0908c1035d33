/* Ifindex assignment and the human-readable plan of `up --dry-run`. */
#include "plan.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void topo_plan(struct topo *t)
{
	for (size_t i = 0; i < t->nnodes; i++) {
		struct topo_node *n = &t->nodes[i];
		int next = 2; /* lo is 1 in every new namespace */
		for (size_t k = 0; k < n->nifaces; k++)
			if (n->ifaces[k].kind == TOPO_IF_BRIDGE ||
			    n->ifaces[k].kind == TOPO_IF_VETH)
				n->ifaces[k].ifindex = next++;
		for (size_t k = 0; k < n->nifaces; k++)
			if (!n->ifaces[k].ifindex)
				n->ifaces[k].ifindex = next++;
	}
}

void topo_addrs_text(const struct topo_iface *ifc, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ifc->naddrs && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s", i ? " " : "", ifc->addrs[i].text);
		if (n < 0)
			return;
		off += (size_t)n;
	}
}

bool topo_iface_wants_ipv6_ll(const struct topo_node *n, const struct topo_iface *ifc)
{
	if (n->ipv6_ll)
		return true;
	for (size_t i = 0; i < ifc->naddrs; i++)
		if (ifc->addrs[i].family == AF_INET6)
			return true;
	return false;
}

static void describe_link(const struct topo *t, size_t i, topo_line_fn out, void *data)
{
	const struct topo_link *l = &t->links[i];
	const struct topo_endpoint *a = &l->end[0], *b = &l->end[1];
	char line[1024];
	int n = snprintf(line, sizeof(line), "veth %s:%s <-> %s:%s", t->nodes[a->node].ns,
			 a->ifname, t->nodes[b->node].ns, b->ifname);
	if (l->mtu && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " mtu %u", l->mtu);
	if (l->rate_bps && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " rate %llubit",
			      (unsigned long long)l->rate_bps);
	if (l->netem.set && n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n,
			 " netem delay %uus jitter %uus loss %g%%", l->netem.delay_us,
			 l->netem.jitter_us, l->netem.loss);
	out(line, data);
}

static void describe_node(const struct topo_node *n, topo_line_fn out, void *data)
{
	char line[1024], addrs[512];
	for (size_t k = 0; k < n->nifaces; k++) {
		const struct topo_iface *ifc = &n->ifaces[k];
		if (ifc->kind == TOPO_IF_BRIDGE)
			snprintf(line, sizeof(line), "bridge %s:%s", n->ns, ifc->name);
		else if (ifc->kind != TOPO_IF_VETH)
			snprintf(line, sizeof(line), "%s %s:%s on %s",
				 ifc->kind == TOPO_IF_VLAN	? "vlan"
				 : ifc->kind == TOPO_IF_MACVLAN ? "macvlan"
								: "vxlan",
				 n->ns, ifc->name, ifc->parent[0] ? ifc->parent : "-");
		else
			line[0] = '\0';
		if (line[0])
			out(line, data);
		topo_addrs_text(ifc, addrs, sizeof(addrs));
		if (addrs[0]) {
			snprintf(line, sizeof(line), "address %s:%s %s", n->ns, ifc->name, addrs);
			out(line, data);
		}
	}
	for (size_t k = 0; k < n->nroutes; k++) {
		const struct topo_route *r = &n->routes[k];
		snprintf(line, sizeof(line), "route %s %s %s%s", n->ns,
			 r->is_default ? "default" : r->dst.text, r->has_gw ? "via " : "dev ",
			 r->has_gw ? r->gw.text : r->dev);
		out(line, data);
	}
	for (size_t k = 0; k < n->nsysctls; k++) {
		snprintf(line, sizeof(line), "sysctl %s %s=%s", n->ns, n->sysctls[k].key,
			 n->sysctls[k].value);
		out(line, data);
	}
	for (size_t k = 0; k < n->nrun + n->nexec; k++) { /* run: first, as up does */
		const struct topo_cmd *c = k < n->nrun ? &n->run[k] : &n->exec[k - n->nrun];
		snprintf(line, sizeof(line), "%s %s: %s%s", k < n->nrun ? "run" : "exec", n->ns,
			 c->argv && c->argv[0] ? c->argv[0] : "", c->argc > 1 ? " ..." : "");
		out(line, data);
	}
}

void topo_plan_describe(const struct topo *t, topo_line_fn out, void *data)
{
	char line[512];
	for (size_t i = 0; i < t->nnodes; i++) {
		snprintf(line, sizeof(line), "namespace %s", t->nodes[i].ns);
		out(line, data);
	}
	for (size_t i = 0; i < t->nlinks; i++)
		describe_link(t, i, out, data);
	for (size_t i = 0; i < t->nnodes; i++)
		describe_node(&t->nodes[i], out, data);
}
