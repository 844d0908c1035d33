/* Link requests shared by every kind: create skeleton, change, delete, lookup. */
#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../nl/nl.h"
#include "../util/err.h"
#include "link.h"

#define IFNAME_MAX 15 /* IFNAMSIZ - 1 */

const char *link_label(const char *ns, const char *name, int ifindex, char *buf, size_t len)
{
	char ifn[24];
	if (name)
		snprintf(ifn, sizeof(ifn), "%s", name);
	else
		snprintf(ifn, sizeof(ifn), "ifindex %d", ifindex);
	if (ns)
		snprintf(buf, len, "%s:%s", ns, ifn);
	else
		snprintf(buf, len, "%s", ifn);
	return buf;
}

static int name_check(const char *ns, const char *name, struct nns_err *err)
{
	if (!name || !*name)
		return err_msg(err, EINVAL, "%s%sinterface name is empty", ns ? ns : "",
			       ns ? ": " : "");
	if (strlen(name) > IFNAME_MAX)
		return err_msg(err, EINVAL,
			       "%s%sinterface name \"%s\" is too long (%zu bytes, at most %d)",
			       ns ? ns : "", ns ? ": " : "", name, strlen(name), IFNAME_MAX);
	if (strchr(name, '/') || strchr(name, ':') || strpbrk(name, " \t\n") ||
	    !strcmp(name, ".") || !strcmp(name, ".."))
		return err_msg(err, EINVAL, "%s%sinterface name \"%s\" is not valid", ns ? ns : "",
			       ns ? ": " : "", name);
	return 0;
}

int link_check(const struct net_link *l, const char *kind, struct nns_err *err)
{
	int r = name_check(l->ns, l->name, err);
	if (r < 0)
		return r;
	if (l->up && !strcmp(kind, "veth"))
		return err_msg(err, EINVAL,
			       "%s: a veth cannot be created up (the peer does not exist yet); "
			       "bring it up afterwards",
			       l->name);
	if (l->ifindex < 0)
		return err_msg(err, EINVAL, "%s: ifindex %d is not valid", l->name, l->ifindex);
	if ((l->no_ipv6_ll || l->alias) && l->nsfd > 0)
		return err_msg(err, EINVAL,
			       "%s: %s for a link placed in another namespace: set it from that "
			       "namespace's socket (net_link_change)",
			       l->name, l->alias ? "alias" : "addrgenmode none");
	return 0;
}

static void put_addrgenmode_none(struct nlmsghdr *h)
{
	struct nlattr *spec = nl_nest_start(h, IFLA_AF_SPEC);
	struct nlattr *in6 = nl_nest_start(h, AF_INET6);
	nl_put_u8(h, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	nl_nest_end(h, in6);
	nl_nest_end(h, spec);
}

void link_put_common(struct nlmsghdr *h, const struct net_link *l)
{
	nl_put_strz(h, IFLA_IFNAME, l->name);
	if (l->nsfd > 0)
		nl_put_u32(h, IFLA_NET_NS_FD, (uint32_t)l->nsfd);
	if (l->mtu)
		nl_put_u32(h, IFLA_MTU, l->mtu);
	if (l->mac)
		nl_put(h, IFLA_ADDRESS, 6, l->mac);
	if (l->master > 0)
		nl_put_u32(h, IFLA_MASTER, (uint32_t)l->master);
}

void link_finish(struct nl_sock *s, const struct net_link *l)
{
	if (!l->no_ipv6_ll && !l->alias)
		return;
	char who[300];
	link_label(l->ns, l->name, l->ifindex, who, sizeof(who));
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = l->ifindex};
	struct nlmsghdr *h = nl_req(s, RTM_NEWLINK, 0, &ifi, sizeof(ifi), "marking %s", who);
	if (!l->ifindex)
		nl_put_strz(h, IFLA_IFNAME, l->name);
	if (l->alias)
		nl_put_strz(h, IFLA_IFALIAS, l->alias);
	if (l->no_ipv6_ll)
		put_addrgenmode_none(h);
	if (l->up && l->no_ipv6_ll) {
		ifi.ifi_flags = ifi.ifi_change = IFF_UP;
		h = nl_req(s, RTM_NEWLINK, 0, &ifi, sizeof(ifi), "setting %s up", who);
		if (!l->ifindex)
			nl_put_strz(h, IFLA_IFNAME, l->name);
	}
}

struct nlmsghdr *link_begin(struct nl_sock *s, const struct net_link *l, const char *kind,
			    const char *extra_label, struct nlattr **info)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = l->ifindex};
	if (l->up && !l->no_ipv6_ll) { /* else link_finish() brings it up after */
		ifi.ifi_flags = IFF_UP;
		ifi.ifi_change = IFF_UP;
	}
	char who[300];
	link_label(l->ns, l->name, l->ifindex, who, sizeof(who));
	struct nlmsghdr *h = nl_req(s, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi),
				    "creating %s %s%s", kind, who, extra_label ? extra_label : "");
	link_put_common(h, l);
	*info = nl_nest_start(h, IFLA_LINKINFO);
	nl_put(h, IFLA_INFO_KIND, strlen(kind), kind); /* no NUL, as iproute2 */
	return h;
}

int net_dummy_add(struct nl_sock *s, const struct net_link *l, struct nns_err *err)
{
	int r = link_check(l, "dummy", err);
	if (r < 0)
		return r;
	struct nlattr *info;
	struct nlmsghdr *h = link_begin(s, l, "dummy", NULL, &info);
	nl_nest_end(h, info);
	link_finish(s, l);
	return 0;
}

static void put_change(struct nlmsghdr *h, const struct net_link_change *c)
{
	/* By ifindex, IFLA_IFNAME is the new name; by name, it selects the link. */
	if (c->new_name)
		nl_put_strz(h, IFLA_IFNAME, c->new_name);
	else if (c->ifindex <= 0)
		nl_put_strz(h, IFLA_IFNAME, c->name);
	if (c->mtu)
		nl_put_u32(h, IFLA_MTU, c->mtu);
	if (c->mac)
		nl_put(h, IFLA_ADDRESS, 6, c->mac);
	if (c->master)
		nl_put_u32(h, IFLA_MASTER, c->master > 0 ? (uint32_t)c->master : 0);
	if (c->move_nsfd > 0)
		nl_put_u32(h, IFLA_NET_NS_FD, (uint32_t)c->move_nsfd);
	if (c->alias)
		nl_put_strz(h, IFLA_IFALIAS, c->alias);
}

int net_link_change(struct nl_sock *s, const struct net_link_change *c, struct nns_err *err)
{
	if (c->ifindex <= 0 && !c->name)
		return err_msg(err, EINVAL, "changing a link: no ifindex and no name");
	int r = c->new_name ? name_check(c->ns, c->new_name, err) : 0;
	if (r < 0)
		return r;
	if (c->new_name && c->ifindex <= 0)
		/* By name, IFLA_IFNAME would select the link, not rename it. */
		return err_msg(err, EINVAL, "renaming %s: address the link by ifindex", c->name);
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = c->ifindex};
	char who[300];
	link_label(c->ns, c->name, c->ifindex, who, sizeof(who));
	struct nlmsghdr *h;
	/* The kernel applies the flags of a request before its IFLA_AF_SPEC: a
	 * link brought up in the same request would get its IPv6 link-local
	 * address first. Only then is addrgenmode a request of its own. */
	bool own_request = c->no_ipv6_ll && c->up;
	if (own_request) {
		h = nl_req(s, RTM_NEWLINK, 0, &ifi, sizeof(ifi), "setting addrgenmode none on %s",
			   who);
		if (c->ifindex <= 0)
			nl_put_strz(h, IFLA_IFNAME, c->name);
		put_addrgenmode_none(h);
	}
	if (c->up) {
		ifi.ifi_change = IFF_UP;
		ifi.ifi_flags = c->up > 0 ? IFF_UP : 0;
	}
	h = nl_req(s, RTM_NEWLINK, 0, &ifi, sizeof(ifi), "changing %s", who);
	put_change(h, c);
	if (c->no_ipv6_ll && !own_request)
		put_addrgenmode_none(h);
	return 0;
}

int net_link_up(struct nl_sock *s, int ifindex, const char *name, bool up, struct nns_err *err)
{
	if (ifindex <= 0 && !name)
		return err_msg(err, EINVAL, "setting a link up: no ifindex and no name");
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
				.ifi_index = ifindex,
				.ifi_flags = up ? IFF_UP : 0,
				.ifi_change = IFF_UP};
	char who[300];
	struct nlmsghdr *h =
	    nl_req(s, RTM_NEWLINK, 0, &ifi, sizeof(ifi), "setting %s %s",
		   link_label(NULL, name, ifindex, who, sizeof(who)), up ? "up" : "down");
	if (ifindex <= 0)
		nl_put_strz(h, IFLA_IFNAME, name);
	return 0;
}

int net_link_del(struct nl_sock *s, int ifindex, const char *name, struct nns_err *err)
{
	if (ifindex <= 0 && !name)
		return err_msg(err, EINVAL, "deleting a link: no ifindex and no name");
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	char who[300];
	struct nlmsghdr *h = nl_req(s, RTM_DELLINK, 0, &ifi, sizeof(ifi), "deleting %s",
				    link_label(NULL, name, ifindex, who, sizeof(who)));
	if (ifindex <= 0)
		nl_put_strz(h, IFLA_IFNAME, name);
	return 0;
}

static void put_ifname(struct nlmsghdr *h, const void *name)
{
	nl_put_strz(h, IFLA_IFNAME, name);
	nl_put_u32(h, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
}

static int read_index(const struct nlmsghdr *h, void *data)
{
	const struct ifinfomsg *ifi = nl_msg_data(h);
	*(int *)data = ifi->ifi_index;
	return 0;
}

int net_ifindex(struct nl_sock *s, const char *name, struct nns_err *err)
{
	int r = name_check(NULL, name, err);
	if (r < 0)
		return r;
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	int index = 0;
	char label[64];
	snprintf(label, sizeof(label), "looking up interface %s", name);
	r = nl_call(s, RTM_GETLINK, 0, &ifi, sizeof(ifi), put_ifname, name, read_index, &index,
		    label, err);
	if (r == -ENODEV)
		return err_msg(err, ENODEV, "interface %s does not exist", name);
	return r < 0 ? r : index;
}

static void put_skip_stats(struct nlmsghdr *h, const void *unused)
{
	nl_put_u32(h, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
}

int net_link_settle(struct nl_sock *s, int ifindex, const char *label, struct nns_err *err)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	return nl_call(s, RTM_GETLINK, 0, &ifi, sizeof(ifi), put_skip_stats, NULL, NULL, NULL,
		       label, err);
}

int net_sync(struct nl_sock *s, int queued, struct nns_err *err)
{
	return queued < 0 ? queued : nl_flush(s, err);
}
