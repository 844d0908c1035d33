/* Shared by the link builders: one RTM_NEWLINK request with common attributes. */
#ifndef NNS_NET_LINK_H
#define NNS_NET_LINK_H

#include <linux/netlink.h>

#include "net.h"

/* Check a new link's common fields (name length, not up for veth...). */
int link_check(const struct net_link *l, const char *kind, struct nns_err *err);

/* Append the common attributes of L (name, ns, mtu, mac, alias, master,
 * addrgenmode) to H, whose ifinfomsg is already in place. */
void link_put_common(struct nlmsghdr *h, const struct net_link *l);

/* Queue RTM_NEWLINK (create, exclusive) for L of KIND and open
 * IFLA_LINKINFO; returns the message, *INFO the open nest. The caller adds
 * IFLA_INFO_DATA and closes with nl_nest_end(h, *info). EXTRA_LABEL goes
 * after the name in messages. */
struct nlmsghdr *link_begin(struct nl_sock *s, const struct net_link *l, const char *kind,
			    const char *extra_label, struct nlattr **info);

/* Queue what a create request cannot carry: addrgenmode none, then up. */
void link_finish(struct nl_sock *s, const struct net_link *l);

/* "ns:name" or "name" for messages. */
const char *link_label(const char *ns, const char *name, int ifindex, char *buf, size_t len);

#endif
