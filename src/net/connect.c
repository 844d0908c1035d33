/* connect/disconnect: a veth pair between two named namespaces, all or nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../nl/nl.h"
#include "../util/cleanup.h"
#include "../util/err.h"
#include "net.h"

#define IFNAME_MAX 15

void nns_veth_default_name(const char *peer_ns, char out[16])
{
	snprintf(out, IFNAME_MAX + 1, "veth-%s", peer_ns);
}

/* Everything parsed and checked before the kernel is touched. */
struct plan {
	char if1[IFNAME_MAX + 1], if2[IFNAME_MAX + 1];
	struct net_ip addr1, addr2;
	bool netem, tbf;
	struct net_netem ne;
	struct net_tbf tb;
};

static int check_ifname(const char *ns, const char *name, struct nns_err *err)
{
	if (!*name)
		return err_msg(err, EINVAL, "%s: interface name is empty", ns);
	if (strlen(name) > IFNAME_MAX)
		return err_msg(err, EINVAL,
			       "%s: interface name \"%s\" is too long (%zu bytes, at "
			       "most %d)",
			       ns, name, strlen(name), IFNAME_MAX);
	return 0;
}

static int plan_impairment(const char *spec, struct plan *p, struct nns_err *err)
{
	int r = net_netem_parse(spec, &p->ne, err);
	if (r < 0)
		return r;
	struct net_netem rate_only = {.rate_bps = p->ne.rate_bps};
	if (p->ne.rate_bps && !memcmp(&rate_only, &p->ne, sizeof(rate_only))) {
		p->tbf = true; /* works on kernels without sch_netem */
		p->tb.rate_bps = p->ne.rate_bps;
	} else {
		p->netem = true;
	}
	return 0;
}

static int make_plan(const struct nns_connect *c, struct plan *p, struct nns_err *err)
{
	memset(p, 0, sizeof(*p));
	if (!nns_name_valid(c->ns1) || !nns_name_valid(c->ns2))
		return err_msg(err, EINVAL, "invalid namespace name \"%s\"",
			       nns_name_valid(c->ns1) ? c->ns2 : c->ns1);
	if (c->if1 && strlen(c->if1) > IFNAME_MAX)
		return check_ifname(c->ns1, c->if1, err);
	if (c->if2 && strlen(c->if2) > IFNAME_MAX)
		return check_ifname(c->ns2, c->if2, err);
	if (c->if1)
		snprintf(p->if1, sizeof(p->if1), "%s", c->if1);
	else
		nns_veth_default_name(c->ns2, p->if1);
	if (c->if2)
		snprintf(p->if2, sizeof(p->if2), "%s", c->if2);
	else
		nns_veth_default_name(c->ns1, p->if2);
	int r = check_ifname(c->ns1, p->if1, err);
	if (!r)
		r = check_ifname(c->ns2, p->if2, err);
	if (!r && !strcmp(c->ns1, c->ns2) && !strcmp(p->if1, p->if2))
		r = err_msg(err, EINVAL, "%s: both ends are named %s", c->ns1, p->if1);
	if (!r && c->addr1)
		r = net_ip_parse(c->addr1, false, 0, &p->addr1, err);
	if (!r && c->addr2)
		r = net_ip_parse(c->addr2, false, 0, &p->addr2, err);
	if (!r && c->mtu && (c->mtu < 68 || c->mtu > 65535))
		r = err_msg(err, EINVAL, "MTU %u out of range 68..65535", c->mtu);
	if (!r && c->netem)
		r = plan_impairment(c->netem, p, err);
	return r;
}

/* One end of the pair: its namespace, socket and interface. */
struct end {
	const char *ns;
	const char *ifname;
	int nsfd;
	struct nl_sock *nl;
	int ifindex;
};

static void end_close(struct end *e)
{
	nl_close(e->nl);
	if (e->nsfd >= 0)
		close(e->nsfd);
}

static int end_open(struct end *e, struct nns_err *err)
{
	e->nsfd = nns_open(e->ns, err);
	if (e->nsfd < 0)
		return err_prefix(err, "%s", e->ns);
	int r = nl_open(e->nsfd, &e->nl, err);
	if (r < 0)
		return err_prefix(err, "%s", e->ns);
	r = net_ifindex(e->nl, e->ifname, NULL);
	if (r > 0)
		return err_msg(err, EEXIST, "%s: %s (interface %s already exists)", e->ns,
			       strerror(EEXIST), e->ifname);
	return 0;
}

/* Address, impairment and up on one end: one batch on its socket. */
static int end_configure(struct end *e, const struct net_ip *ip, const struct plan *p,
			 struct nns_err *err)
{
	e->ifindex = net_ifindex(e->nl, e->ifname, err);
	if (e->ifindex < 0)
		return err_prefix(err, "%s", e->ns);
	int r = 0;
	if (ip->family) {
		struct net_addr a = {.ifindex = e->ifindex,
				     .ifname = e->ifname,
				     .ip = *ip,
				     .nodad = true,
				     .broadcast = true};
		r = net_addr_add(e->nl, &a, err);
	}
	if (!r && p->netem)
		r = net_netem_set(e->nl, e->ifindex, e->ifname, &p->ne, NET_QDISC_ADD, err);
	if (!r && p->tbf)
		r = net_tbf_set(e->nl, e->ifindex, e->ifname, &p->tb, NET_QDISC_ADD, err);
	if (!r)
		r = net_link_up(e->nl, e->ifindex, e->ifname, true, err);
	if (!r)
		r = nl_flush(e->nl, err);
	if (r < 0 && p->netem)
		net_explain(err);
	return r < 0 ? err_prefix(err, "%s", e->ns) : 0;
}

static int create_pair(struct end *a, struct end *b, unsigned mtu, struct nns_err *err)
{
	struct net_veth v = {
	    .a = {.name = a->ifname, .ns = a->ns, .mtu = mtu},
	    .b = {.name = b->ifname, .ns = b->ns, .mtu = mtu, .nsfd = b->nsfd},
	};
	int r = net_sync(a->nl, net_veth_add(a->nl, &v, err), err);
	return r < 0 ? err_prefix(err, "%s", a->ns) : 0;
}

int nns_connect(const struct nns_connect *c, struct nns_err *err)
{
	struct plan p;
	int r = make_plan(c, &p, err);
	if (r < 0)
		return r;
	struct end a = {.ns = c->ns1, .ifname = p.if1, .nsfd = -1};
	struct end b = {.ns = c->ns2, .ifname = p.if2, .nsfd = -1};
	r = end_open(&a, err);
	if (!r)
		r = end_open(&b, err);
	if (!r)
		r = create_pair(&a, &b, c->mtu, err);
	if (!r) {
		r = end_configure(&a, &p.addr1, &p, err);
		if (!r)
			r = end_configure(&b, &p.addr2, &p, err);
		if (r < 0) /* deleting one end deletes the pair: nothing half-made */
			net_sync(a.nl, net_link_del(a.nl, 0, a.ifname, NULL), NULL);
	}
	if (!r) { /* both ends carry traffic on return (best effort) */
		net_link_settle(a.nl, a.ifindex, "settling", NULL);
		net_link_settle(b.nl, b.ifindex, "settling", NULL);
	}
	end_close(&a);
	end_close(&b);
	return r;
}

int nns_disconnect(const char *ns, const char *ifname, struct nns_err *err)
{
	autoclose int nsfd = nns_open(ns, err);
	if (nsfd < 0)
		return err_prefix(err, "%s", ns);
	struct nl_sock *nl;
	int r = nl_open(nsfd, &nl, err);
	if (r < 0)
		return err_prefix(err, "%s", ns);
	autofree struct net_link_info *links = NULL;
	size_t n = 0;
	r = net_link_dump(nl, &links, &n, err);
	const struct net_link_info *li = NULL;
	for (size_t i = 0; r == 0 && i < n && !li; i++)
		if (!strcmp(links[i].name, ifname))
			li = &links[i];
	if (r == 0 && !li)
		r = err_msg(err, ENODEV, "%s: %s (no interface %s)", ns, strerror(ENODEV), ifname);
	else if (r == 0 && strcmp(li->kind, "veth"))
		r = err_msg(err, EINVAL, "%s:%s is a%s %s, not a veth", ns, ifname,
			    li->kind[0] ? "" : "n", li->kind[0] ? li->kind : "interface");
	else if (r == 0)
		r = net_sync(nl, net_link_del(nl, li->ifindex, ifname, err), err);
	nl_close(nl);
	return r;
}
