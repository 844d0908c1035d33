/* vxlan tunnels: VNI, local, unicast remote or multicast group, port, dev. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>

#include "../nl/nl.h"
#include "../util/err.h"
#include "link.h"

#define VXLAN_IANA_PORT 4789

static void put_ip(struct nlmsghdr *h, uint16_t v4type, uint16_t v6type, const struct net_ip *ip)
{
	if (ip->family == AF_INET)
		nl_put(h, v4type, 4, &ip->v4);
	else if (ip->family == AF_INET6)
		nl_put(h, v6type, 16, &ip->v6);
}

static int vxlan_check(const struct net_vxlan *x, struct nns_err *err)
{
	const char *name = x->link.name;
	if (x->vni >= 1u << 24)
		return err_msg(err, EINVAL, "%s: VNI %u out of range 0..16777215", name, x->vni);
	if (x->remote.family && x->group.family)
		return err_msg(err, EINVAL, "%s: remote and group are exclusive", name);
	if (x->group.family && !x->dev)
		return err_msg(err, EINVAL, "%s: a multicast group needs a device", name);
	int fam = x->local.family ? x->local.family : 0;
	const struct net_ip *other = x->remote.family ? &x->remote : &x->group;
	if (fam && other->family && fam != other->family)
		return err_msg(err, EINVAL, "%s: local and remote/group differ in family", name);
	return 0;
}

int net_vxlan_add(struct nl_sock *s, const struct net_vxlan *x, struct nns_err *err)
{
	int r = link_check(&x->link, "vxlan", err);
	if (r >= 0)
		r = vxlan_check(x, err);
	if (r < 0)
		return r;
	struct nlattr *info;
	struct nlmsghdr *h = link_begin(s, &x->link, "vxlan", NULL, &info);
	struct nlattr *data = nl_nest_start(h, IFLA_INFO_DATA);
	nl_put_u32(h, IFLA_VXLAN_ID, x->vni);
	put_ip(h, IFLA_VXLAN_GROUP, IFLA_VXLAN_GROUP6, x->remote.family ? &x->remote : &x->group);
	put_ip(h, IFLA_VXLAN_LOCAL, IFLA_VXLAN_LOCAL6, &x->local);
	if (x->dev > 0)
		nl_put_u32(h, IFLA_VXLAN_LINK, (uint32_t)x->dev);
	nl_put_u16(h, IFLA_VXLAN_PORT, htons(x->dstport ? x->dstport : VXLAN_IANA_PORT));
	if (x->no_learning)
		nl_put_u8(h, IFLA_VXLAN_LEARNING, 0);
	nl_nest_end(h, data);
	nl_nest_end(h, info);
	link_finish(s, &x->link);
	return 0;
}
