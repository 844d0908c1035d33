/* Dumps of a namespace's links, addresses and routes, for inspect and checks. */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../nl/nl.h"
#include "../ns/ns.h"
#include "../util/cleanup.h"
#include "../util/err.h"
#include "net.h"

/* A growing array filled by a dump callback. */
struct vec {
	void *items;
	size_t n, cap, size;
};

static void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->items, cap * v->size);
		if (!p)
			return NULL;
		v->items = p;
		v->cap = cap;
	}
	void *slot = (char *)v->items + v->n++ * v->size;
	memset(slot, 0, v->size);
	return slot;
}

static void copy_str(char *dst, size_t len, const struct nlattr *a)
{
	if (a)
		snprintf(dst, len, "%s", nl_attr_str(a));
}

static void link_kind(struct net_link_info *li, const struct nlattr *linkinfo)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1];
	nl_parse_nested(linkinfo, tb, IFLA_INFO_MAX);
	copy_str(li->kind, sizeof(li->kind), tb[IFLA_INFO_KIND]);
}

static int on_link(const struct nlmsghdr *h, void *data)
{
	struct net_link_info *li = vec_push(data);
	if (!li)
		return -ENOMEM;
	const struct ifinfomsg *ifi = nl_msg_data(h);
	const struct nlattr *tb[IFLA_MAX + 1];
	nl_parse(h, sizeof(*ifi), tb, IFLA_MAX);
	li->ifindex = ifi->ifi_index;
	li->flags = ifi->ifi_flags;
	li->link_nsid = -1;
	copy_str(li->name, sizeof(li->name), tb[IFLA_IFNAME]);
	copy_str(li->alias, sizeof(li->alias), tb[IFLA_IFALIAS]);
	if (tb[IFLA_LINKINFO])
		link_kind(li, tb[IFLA_LINKINFO]);
	if (tb[IFLA_OPERSTATE])
		li->operstate = nl_attr_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_MTU])
		li->mtu = nl_attr_u32(tb[IFLA_MTU]);
	if (tb[IFLA_MASTER])
		li->master = (int)nl_attr_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINK])
		li->link = (int)nl_attr_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		li->link_nsid = (int)nl_attr_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_ADDRESS] && nl_attr_len(tb[IFLA_ADDRESS]) <= sizeof(li->mac)) {
		li->mac_len = nl_attr_len(tb[IFLA_ADDRESS]);
		memcpy(li->mac, nl_attr_data(tb[IFLA_ADDRESS]), li->mac_len);
	}
	return 0;
}

static void put_skip_stats(struct nlmsghdr *h, const void *arg)
{
	nl_put_u32(h, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
}

static int finish(struct vec *v, int r, void *out, size_t *n)
{
	if (r < 0) {
		free(v->items);
		return r;
	}
	*(void **)out = v->items;
	*n = v->n;
	return 0;
}

int net_link_dump(struct nl_sock *s, struct net_link_info **out, size_t *n, struct nns_err *err)
{
	struct vec v = {.size = sizeof(**out)};
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	int r = nl_call(s, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof(ifi), put_skip_stats, NULL,
			on_link, &v, "listing links", err);
	return finish(&v, r, out, n);
}

static void read_ip(struct net_ip *ip, int family, const struct nlattr *a, uint8_t prefixlen)
{
	if (!a || nl_attr_len(a) > sizeof(ip->bytes))
		return;
	ip->family = family;
	ip->prefixlen = prefixlen;
	memcpy(ip->bytes, nl_attr_data(a), nl_attr_len(a));
}

static int on_addr(const struct nlmsghdr *h, void *data)
{
	const struct ifaddrmsg *ifa = nl_msg_data(h);
	const struct nlattr *tb[IFA_MAX + 1];
	nl_parse(h, sizeof(*ifa), tb, IFA_MAX);
	struct net_addr_info *ai = vec_push(data);
	if (!ai)
		return -ENOMEM;
	ai->ifindex = (int)ifa->ifa_index;
	ai->scope = ifa->ifa_scope;
	ai->flags = tb[IFA_FLAGS] ? nl_attr_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	read_ip(&ai->ip, ifa->ifa_family, tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS],
		ifa->ifa_prefixlen);
	return 0;
}

int net_addr_dump(struct nl_sock *s, int family, struct net_addr_info **out, size_t *n,
		  struct nns_err *err)
{
	struct vec v = {.size = sizeof(**out)};
	struct ifaddrmsg ifa = {.ifa_family = (uint8_t)family};
	int r = nl_call(s, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa), NULL, NULL, on_addr, &v,
			"listing addresses", err);
	return finish(&v, r, out, n);
}

struct route_ctx {
	struct vec v;
	bool all_tables;
};

static int on_route(const struct nlmsghdr *h, void *data)
{
	struct route_ctx *c = data;
	const struct rtmsg *rtm = nl_msg_data(h);
	const struct nlattr *tb[RTA_MAX + 1];
	nl_parse(h, sizeof(*rtm), tb, RTA_MAX);
	uint32_t table = tb[RTA_TABLE] ? nl_attr_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (!c->all_tables && (table == RT_TABLE_LOCAL || rtm->rtm_type == RTN_MULTICAST))
		return 0;
	struct net_route_info *ri = vec_push(&c->v);
	if (!ri)
		return -ENOMEM;
	ri->dst.family = rtm->rtm_family;
	ri->dst.prefixlen = rtm->rtm_dst_len;
	read_ip(&ri->dst, rtm->rtm_family, tb[RTA_DST], rtm->rtm_dst_len);
	read_ip(&ri->via, rtm->rtm_family, tb[RTA_GATEWAY], 0);
	ri->ifindex = tb[RTA_OIF] ? (int)nl_attr_u32(tb[RTA_OIF]) : 0;
	ri->metric = tb[RTA_PRIORITY] ? nl_attr_u32(tb[RTA_PRIORITY]) : 0;
	ri->table = table;
	ri->type = rtm->rtm_type;
	ri->protocol = rtm->rtm_protocol;
	ri->scope = rtm->rtm_scope;
	return 0;
}

int net_route_dump(struct nl_sock *s, int family, bool all_tables, struct net_route_info **out,
		   size_t *n, struct nns_err *err)
{
	struct route_ctx c = {.v = {.size = sizeof(**out)}, .all_tables = all_tables};
	struct rtmsg rtm = {.rtm_family = (uint8_t)family};
	int r = nl_call(s, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm), NULL, NULL, on_route, &c,
			"listing routes", err);
	return finish(&c.v, r, out, n);
}

int net_nsid_name(struct nl_sock *s, int nsid, char *name, size_t len, struct nns_err *err)
{
	name[0] = '\0';
	autofree struct nns_entry *all = NULL;
	size_t n = 0;
	int r = nns_list(&all, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (all[i].stale)
			continue;
		autoclose int fd = nns_open(all[i].name, NULL);
		if (fd >= 0 && ns_nsid_of(s, fd, NULL) == nsid) {
			snprintf(name, len, "%s", all[i].name);
			return 0;
		}
	}
	return 0;
}
