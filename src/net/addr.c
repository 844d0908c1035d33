/* IPv4/IPv6 addresses on links: add, delete, flush. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "../nl/nl.h"
#include "../util/cleanup.h"
#include "../util/err.h"
#include "link.h"

/* iproute2's default scope: host for loopback addresses, link for IPv6
 * link-local, universe otherwise. */
static uint8_t default_scope(const struct net_ip *ip)
{
	if (ip->family == AF_INET && ip->bytes[0] == 127)
		return RT_SCOPE_HOST;
	if (ip->family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&ip->v6))
		return RT_SCOPE_HOST;
	if (ip->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&ip->v6))
		return RT_SCOPE_LINK;
	return RT_SCOPE_UNIVERSE;
}

static void put_broadcast(struct nlmsghdr *h, const struct net_ip *ip)
{
	uint32_t host = ip->prefixlen >= 32 ? 0 : 0xffffffffu >> ip->prefixlen;
	uint32_t brd = ip->v4.s_addr | htonl(host);
	nl_put(h, IFA_BROADCAST, 4, &brd);
}

static int addr_check(const struct net_addr *a, struct nns_err *err)
{
	char who[300];
	if (a->ifindex <= 0)
		return err_msg(err, EINVAL, "address on %s: no ifindex",
			       link_label(NULL, a->ifname, a->ifindex, who, sizeof(who)));
	if (!net_ip_len(&a->ip))
		return err_msg(err, EINVAL, "address on %s: no address",
			       link_label(NULL, a->ifname, a->ifindex, who, sizeof(who)));
	if (a->peer.family && a->peer.family != a->ip.family)
		return err_msg(err, EINVAL, "address on %s: peer of another family",
			       link_label(NULL, a->ifname, a->ifindex, who, sizeof(who)));
	return 0;
}

static int addr_req(struct nl_sock *s, const struct net_addr *a, uint16_t type, uint16_t flags,
		    const char *verb, struct nns_err *err)
{
	int r = addr_check(a, err);
	if (r < 0)
		return r;
	uint32_t ifa_flags = a->nodad && a->ip.family == AF_INET6 ? IFA_F_NODAD : 0;
	struct ifaddrmsg ifa = {.ifa_family = (uint8_t)a->ip.family,
				.ifa_prefixlen = a->ip.prefixlen,
				.ifa_flags = (uint8_t)ifa_flags,
				.ifa_scope = type == RTM_NEWADDR ? default_scope(&a->ip) : 0,
				.ifa_index = (uint32_t)a->ifindex};
	char ip[64], who[300];
	struct nlmsghdr *h = nl_req(s, type, flags, &ifa, sizeof(ifa), "%s %s on %s", verb,
				    net_ip_format(&a->ip, true, ip, sizeof(ip)),
				    link_label(NULL, a->ifname, a->ifindex, who, sizeof(who)));
	size_t len = net_ip_len(&a->ip);
	nl_put(h, IFA_LOCAL, len, a->ip.bytes);
	nl_put(h, IFA_ADDRESS, len, a->peer.family ? a->peer.bytes : a->ip.bytes);
	if (a->broadcast && a->ip.family == AF_INET && type == RTM_NEWADDR)
		put_broadcast(h, &a->ip);
	return 0;
}

int net_addr_add(struct nl_sock *s, const struct net_addr *a, struct nns_err *err)
{
	return addr_req(s, a, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, "adding address", err);
}

int net_addr_del(struct nl_sock *s, const struct net_addr *a, struct nns_err *err)
{
	return addr_req(s, a, RTM_DELADDR, 0, "deleting address", err);
}

int net_addr_flush(struct nl_sock *s, int ifindex, int family, struct nns_err *err)
{
	autofree struct net_addr_info *all = NULL;
	size_t n = 0;
	int r = net_addr_dump(s, family, &all, &n, err);
	if (r < 0)
		return r;
	int deleted = 0;
	for (size_t i = 0; i < n; i++) {
		if (ifindex > 0 && all[i].ifindex != ifindex)
			continue;
		struct net_addr a = {.ifindex = all[i].ifindex, .ip = all[i].ip};
		if ((r = net_addr_del(s, &a, err)) < 0)
			return r;
		deleted++;
	}
	r = nl_flush(s, err);
	return r < 0 ? r : deleted;
}
