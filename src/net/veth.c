/* veth pairs: both ends, each in its own namespace, in one request. */
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <sys/socket.h>

#include "../nl/nl.h"
#include "link.h"

int net_veth_add(struct nl_sock *s, const struct net_veth *v, struct nns_err *err)
{
	int r = link_check(&v->a, "veth", err);
	if (r >= 0)
		r = link_check(&v->b, "veth", err);
	if (r < 0)
		return r;
	char peer_label[300], who[300];
	snprintf(peer_label, sizeof(peer_label), " ↔ %s",
		 link_label(v->b.ns, v->b.name, v->b.ifindex, who, sizeof(who)));
	struct nlattr *info;
	struct nlmsghdr *h = link_begin(s, &v->a, "veth", peer_label, &info);
	struct nlattr *data = nl_nest_start(h, IFLA_INFO_DATA);
	struct nlattr *peer = nl_nest_start(h, VETH_INFO_PEER);
	struct ifinfomsg *ifi = nl_put_extra(h, sizeof(*ifi));
	ifi->ifi_index = v->b.ifindex;
	link_put_common(h, &v->b);
	nl_nest_end(h, peer);
	nl_nest_end(h, data);
	nl_nest_end(h, info);
	link_finish(s, &v->a);
	return 0;
}
