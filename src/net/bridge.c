/* Bridges: STP off unless asked, optional vlan filtering and ageing time. */
#include <errno.h>
#include <linux/if_link.h>

#include "../nl/nl.h"
#include "../util/err.h"
#include "link.h"

#define USER_HZ 100 /* IFLA_BR_AGEING_TIME is in clock_t (centiseconds) */

int net_bridge_add(struct nl_sock *s, const struct net_bridge *b, struct nns_err *err)
{
	int r = link_check(&b->link, "bridge", err);
	if (r < 0)
		return r;
	if (b->ageing_seconds < 0 || b->ageing_seconds > 1000000)
		return err_msg(err, EINVAL, "%s: ageing time %d s out of range", b->link.name,
			       b->ageing_seconds);
	struct nlattr *info;
	struct nlmsghdr *h = link_begin(s, &b->link, "bridge",
					b->vlan_filtering > 0 ? " (vlan_filtering)" : NULL, &info);
	struct nlattr *data = nl_nest_start(h, IFLA_INFO_DATA);
	/* Explicit even though off is the kernel default: a bridge made by
	 * netns never starts STP whatever the system's bridge-stp helper does. */
	nl_put_u32(h, IFLA_BR_STP_STATE, b->stp ? 1 : 0);
	if (b->vlan_filtering > 0)
		nl_put_u8(h, IFLA_BR_VLAN_FILTERING, 1);
	if (b->ageing_seconds)
		nl_put_u32(h, IFLA_BR_AGEING_TIME, (uint32_t)b->ageing_seconds * USER_HZ);
	nl_nest_end(h, data);
	nl_nest_end(h, info);
	link_finish(s, &b->link);
	return 0;
}
