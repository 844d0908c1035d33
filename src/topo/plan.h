/* plan — what `up` will create, numbered before anything is touched. */
#ifndef NNS_TOPO_PLAN_H
#define NNS_TOPO_PLAN_H

#include "model.h"

/*
 * Give every interface the ifindex it will have in its fresh namespace
 * (lo is 1; then veth ends and bridges, then vlan/macvlan/vxlan), so the
 * whole lab is wired without a single lookup.
 */
void topo_plan(struct topo *t);

/* The plan in words, one line per step, for `up --dry-run`. */
typedef void (*topo_line_fn)(const char *line, void *data);
void topo_plan_describe(const struct topo *t, topo_line_fn out, void *data);

/* "10.0.0.1/24" style list of an interface's addresses into BUF. */
void topo_addrs_text(const struct topo_iface *ifc, char *buf, size_t len);

/* The IPv6 link-local set-up of an interface: on only when it has an IPv6
 * address or its node asks for it (it floods bridged labs otherwise). */
bool topo_iface_wants_ipv6_ll(const struct topo_node *n, const struct topo_iface *ifc);

#endif
