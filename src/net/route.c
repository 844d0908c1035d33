/* IPv4/IPv6 routes: default or prefix, via, dev, metric, table, blackhole... */
#include <errno.h>
#include <stdio.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "../nl/nl.h"
#include "../util/err.h"
#include "net.h"

static const uint8_t rtn_type[] = {
    [NET_ROUTE_UNICAST] = RTN_UNICAST,
    [NET_ROUTE_BLACKHOLE] = RTN_BLACKHOLE,
    [NET_ROUTE_UNREACHABLE] = RTN_UNREACHABLE,
    [NET_ROUTE_PROHIBIT] = RTN_PROHIBIT,
};

static int route_check(const struct net_route *r, const char *dst, struct nns_err *err)
{
	if (r->dst.family != AF_INET && r->dst.family != AF_INET6)
		return err_msg(err, EINVAL, "route %s: no destination family", dst);
	if ((unsigned)r->type >= sizeof(rtn_type))
		return err_msg(err, EINVAL, "route %s: bad type %d", dst, r->type);
	if (r->via.family && r->via.family != r->dst.family)
		return err_msg(err, EINVAL, "route %s: gateway of another family", dst);
	if (r->type == NET_ROUTE_UNICAST && !r->via.family && r->ifindex <= 0)
		return err_msg(err, EINVAL, "route %s: needs a gateway or a device", dst);
	return 0;
}

static void route_attrs(struct nlmsghdr *h, const struct net_route *r)
{
	size_t len = net_ip_len(&r->dst);
	if (r->dst.prefixlen)
		nl_put(h, RTA_DST, len, r->dst.bytes);
	if (r->via.family)
		nl_put(h, RTA_GATEWAY, len, r->via.bytes);
	if (r->ifindex > 0)
		nl_put_u32(h, RTA_OIF, (uint32_t)r->ifindex);
	if (r->metric)
		nl_put_u32(h, RTA_PRIORITY, r->metric);
	if (r->table > 255)
		nl_put_u32(h, RTA_TABLE, r->table);
}

static int route_req(struct nl_sock *s, const struct net_route *r, bool add, struct nns_err *err)
{
	char dst[64];
	if (r->dst.prefixlen)
		net_ip_format(&r->dst, true, dst, sizeof(dst));
	else
		snprintf(dst, sizeof(dst), "default%s", r->dst.family == AF_INET6 ? " (IPv6)" : "");
	int rc = route_check(r, dst, err);
	if (rc < 0)
		return rc;
	uint32_t table = r->table ? r->table : RT_TABLE_MAIN;
	struct rtmsg rtm = {.rtm_family = (uint8_t)r->dst.family,
			    .rtm_dst_len = r->dst.prefixlen,
			    .rtm_table = table > 255 ? RT_TABLE_UNSPEC : (uint8_t)table,
			    .rtm_protocol = add ? RTPROT_BOOT : 0,
			    .rtm_type = rtn_type[r->type]};
	/* As iproute2: a route without gateway to a device is on-link. */
	if (!add)
		rtm.rtm_scope = RT_SCOPE_NOWHERE;
	else if (r->type == NET_ROUTE_UNICAST && !r->via.family)
		rtm.rtm_scope = RT_SCOPE_LINK;
	uint16_t flags = add ? NLM_F_CREATE | (r->replace ? NLM_F_REPLACE : NLM_F_EXCL) : 0;
	char via[64] = "";
	if (r->via.family) {
		char gw[48];
		snprintf(via, sizeof(via), " via %s",
			 net_ip_format(&r->via, false, gw, sizeof(gw)));
	}
	struct nlmsghdr *h = nl_req(s, add ? RTM_NEWROUTE : RTM_DELROUTE, flags, &rtm, sizeof(rtm),
				    "%s route %s%s", add ? "adding" : "deleting", dst, via);
	route_attrs(h, r);
	return 0;
}

int net_route_add(struct nl_sock *s, const struct net_route *r, struct nns_err *err)
{
	return route_req(s, r, true, err);
}

int net_route_del(struct nl_sock *s, const struct net_route *r, struct nns_err *err)
{
	return route_req(s, r, false, err);
}
