/* 802.1Q / 802.1ad vlans over a parent link. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>

#include "../nl/nl.h"
#include "../util/err.h"
#include "link.h"

int net_vlan_add(struct nl_sock *s, const struct net_vlan *v, struct nns_err *err)
{
	int r = link_check(&v->link, "vlan", err);
	if (r < 0)
		return r;
	if (v->id < 1 || v->id > 4094)
		return err_msg(err, EINVAL, "%s: vlan id %u out of range 1..4094", v->link.name,
			       v->id);
	if (v->parent <= 0)
		return err_msg(err, EINVAL, "%s: a vlan needs a parent link", v->link.name);
	struct nlattr *info;
	struct nlmsghdr *h = link_begin(s, &v->link, "vlan", NULL, &info);
	struct nlattr *data = nl_nest_start(h, IFLA_INFO_DATA);
	nl_put_u16(h, IFLA_VLAN_ID, v->id);
	if (v->qinq)
		nl_put_u16(h, IFLA_VLAN_PROTOCOL, htons(ETH_P_8021AD));
	nl_nest_end(h, data);
	nl_nest_end(h, info);
	nl_put_u32(h, IFLA_LINK, (uint32_t)v->parent);
	link_finish(s, &v->link);
	return 0;
}
