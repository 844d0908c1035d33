/* Semantic checks of a loaded topology: every mistake, with its position. */
#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "netns.h"

static struct topo_iface *add_iface(struct topo_node *n, const char *name, struct topo_pos pos)
{
	if (!(n->nifaces & (n->nifaces - 1)) || !n->nifaces) {
		size_t cap = n->nifaces ? n->nifaces * 2 : 1;
		struct topo_iface *v = realloc(n->ifaces, cap * sizeof(*v));
		if (!v)
			return NULL;
		n->ifaces = v;
	}
	struct topo_iface *ifc = &n->ifaces[n->nifaces++];
	memset(ifc, 0, sizeof(*ifc));
	snprintf(ifc->name, sizeof(ifc->name), "%s", name);
	topo_index_iface(n, n->nifaces - 1);
	ifc->pos = pos;
	ifc->link = -1;
	ifc->kind = TOPO_IF_VETH;
	return ifc;
}

/* Bridge ports are named after the node on the other end when that is
 * short and free, so `ip -n lab-sw1 link` reads naturally; else pN. */
static void port_name(const struct topo_node *br, const char *peer, char out[TOPO_IFNAMSIZ])
{
	if (strlen(peer) < TOPO_IFNAMSIZ && topo_find_iface(br, peer) < 0) {
		snprintf(out, TOPO_IFNAMSIZ, "%s", peer);
		return;
	}
	for (unsigned k = (unsigned)br->nifaces;; k++) {
		snprintf(out, TOPO_IFNAMSIZ, "p%u", k);
		if (topo_find_iface(br, out) < 0)
			return;
	}
}

static void unknown_node(struct topo *t, struct topo_diag *d, const struct topo_endpoint *e)
{
	/* Hints only for small files: the candidates list costs a scan. */
	const char *hint = NULL;
	if (t->nnodes <= 256) {
		const char *names[256];
		for (size_t i = 0; i < t->nnodes; i++)
			names[i] = t->nodes[i].name;
		hint = topo_did_you_mean(e->node_name, names, t->nnodes);
	}
	if (hint)
		topo_diag_add(d, e->pos, "unknown node or bridge \"%s\" (did you mean \"%s\"?)",
			      e->node_name, hint);
	else
		topo_diag_add(d, e->pos, "unknown node or bridge \"%s\"", e->node_name);
}

/* Claim the interface of end WHICH of link LI; false if the end is broken. */
static bool resolve_end(struct topo *t, struct topo_diag *d, size_t li, int which)
{
	struct topo_endpoint *e = &t->links[li].end[which];
	if (!e->node_name || e->node == -2)
		return false; /* reported by the loader */
	int ni = topo_find_node(t, e->node_name);
	if (ni < 0) {
		unknown_node(t, d, e);
		return false;
	}
	struct topo_node *n = &t->nodes[ni];
	if (n->kind == TOPO_HOST && !e->ifname[0]) {
		topo_diag_add(d, e->pos, "endpoint \"%s\" needs an interface: %s:IFNAME",
			      e->node_name, e->node_name);
		return false;
	}
	if (n->kind == TOPO_BRIDGE && !e->ifname[0]) {
		const struct topo_endpoint *o = &t->links[li].end[!which];
		port_name(n, o->node_name ? o->node_name : "p", e->ifname);
	}
	int ii = topo_find_iface(n, e->ifname);
	struct topo_iface *ifc = ii >= 0 ? &n->ifaces[ii] : add_iface(n, e->ifname, e->pos);
	if (!ifc)
		return false;
	if (ifc->kind != TOPO_IF_VETH) {
		topo_diag_add(d, e->pos, "%s:%s is not a veth interface: a link cannot use it",
			      n->name, e->ifname);
		return false;
	}
	if (ifc->link >= 0) {
		const struct topo_link *first = &t->links[ifc->link];
		topo_diag_add(d, e->pos, "interface %s:%s is used by two links (first at %u:%u)",
			      n->name, e->ifname, first->pos.line, first->pos.col);
		return false;
	}
	ifc->link = (int)li;
	ifc->mtu = t->links[li].mtu ? t->links[li].mtu : ifc->mtu;
	e->node = ni;
	e->iface = (int)(ifc - n->ifaces);
	return true;
}

static void check_link(struct topo *t, struct topo_diag *d, size_t li)
{
	struct topo_link *l = &t->links[li];
	bool ok0 = resolve_end(t, d, li, 0), ok1 = resolve_end(t, d, li, 1);
	/* A broken link gives its good end back (marked -2: on no link, but not
	 * "unconnected" either), so one mistake is reported once. */
	for (int e = 0; e < 2; e++)
		if ((e ? ok1 : ok0) && !(e ? ok0 : ok1)) {
			struct topo_node *n = &t->nodes[l->end[e].node];
			n->ifaces[l->end[e].iface].link = -2;
			l->end[e].node = -2;
		}
	if (!ok0 || !ok1)
		return;
	if (l->end[0].node >= 0 && l->end[0].node == l->end[1].node &&
	    t->nodes[l->end[0].node].kind == TOPO_BRIDGE)
		topo_diag_add(d, l->pos, "a link from bridge \"%s\" to itself",
			      t->nodes[l->end[0].node].name);
}

static void check_parent(struct topo_diag *d, const struct topo_node *n,
			 const struct topo_iface *ifc)
{
	static const char *const kinds[] = {"veth", "vlan", "macvlan", "vxlan", "bridge"};
	if (!ifc->parent[0]) {
		if (ifc->kind == TOPO_IF_VLAN || ifc->kind == TOPO_IF_MACVLAN)
			topo_diag_add(d, ifc->pos, "%s interface %s:%s needs a parent",
				      kinds[ifc->kind], n->name, ifc->name);
		return;
	}
	if (ifc->kind == TOPO_IF_VETH) {
		topo_diag_add(d, ifc->parent_pos, "parent applies to vlan, macvlan and vxlan only");
		return;
	}
	int pi = topo_find_iface(n, ifc->parent);
	if (pi < 0)
		topo_diag_add(d, ifc->parent_pos, "parent \"%s\" is not an interface of node %s",
			      ifc->parent, n->name);
	else if (&n->ifaces[pi] == ifc || n->ifaces[pi].kind != TOPO_IF_VETH)
		topo_diag_add(d, ifc->parent_pos, "parent \"%s\" of %s:%s must be a veth interface",
			      ifc->parent, n->name, ifc->name);
}

static void check_ifaces(struct topo_diag *d, const struct topo_node *n)
{
	for (size_t i = 0; i < n->nifaces; i++) {
		const struct topo_iface *ifc = &n->ifaces[i];
		if (ifc->kind == TOPO_IF_VETH && ifc->link == -1)
			topo_diag_add(d, ifc->pos,
				      "interface %s:%s is not on any link (add one under links:, "
				      "or give it a type)",
				      n->name, ifc->name);
		if (ifc->kind == TOPO_IF_VXLAN && !ifc->remote.family)
			topo_diag_add(d, ifc->pos, "vxlan interface %s:%s needs a remote address",
				      n->name, ifc->name);
		check_parent(d, n, ifc);
		if (!strcmp(ifc->name, "lo"))
			topo_diag_add(d, ifc->pos, "\"lo\" exists in every namespace already");
	}
}

/* The kernel numbers bridge ports in 10 bits (BR_MAX_PORTS): the 1024th
 * port would fail with EXFULL after everything before it was built. */
#define BRIDGE_MAX_PORTS 1023

static void check_bridge(struct topo_diag *d, const struct topo_node *n)
{
	size_t ports = n->nifaces ? n->nifaces - 1 : 0; /* ifaces[0] is the bridge */
	if (n->kind == TOPO_BRIDGE && ports > BRIDGE_MAX_PORTS)
		topo_diag_add(d, n->pos,
			      "bridge %s has %zu ports; a Linux bridge takes at most %d (use "
			      "several bridges)",
			      n->name, ports, BRIDGE_MAX_PORTS);
}

static void check_routes(struct topo_diag *d, const struct topo_node *n)
{
	for (size_t i = 0; i < n->nroutes; i++) {
		const struct topo_route *r = &n->routes[i];
		if (r->dev[0] && topo_find_iface(n, r->dev) < 0)
			topo_diag_add(d, r->pos,
				      "route device \"%s\" is not an interface of node %s", r->dev,
				      n->name);
		/* Pairwise, so only for a sane count: the kernel refuses the rest. */
		for (size_t j = 0; j < i && n->nroutes <= 256; j++)
			if (n->routes[j].dst.family == r->dst.family &&
			    n->routes[j].dst.plen == r->dst.plen &&
			    !memcmp(n->routes[j].dst.bytes, r->dst.bytes, 16))
				topo_diag_add(d, r->pos, "route to %s given twice for node %s",
					      r->is_default ? "default" : r->dst.text, n->name);
	}
}

static void name_namespace(struct topo *t, struct topo_diag *d, struct topo_node *n)
{
	size_t len = strlen(t->name) + 1 + strlen(n->name);
	if (len > NAME_MAX) {
		topo_diag_add(d, n->pos,
			      "namespace name \"%s-%s\" is %zu bytes long: the limit is %d",
			      t->name, n->name, len, NAME_MAX);
		return;
	}
	snprintf(n->ns, sizeof(n->ns), "%s-%s", t->name, n->name);
}

int topo_validate(struct topo *t, struct topo_diag *d)
{
	size_t before = d->n + d->dropped;
	for (size_t i = 0; i < t->nnodes; i++)
		if (t->name)
			name_namespace(t, d, &t->nodes[i]);
	for (size_t i = 0; i < t->nlinks; i++)
		check_link(t, d, i);
	for (size_t i = 0; i < t->nnodes; i++) {
		check_ifaces(d, &t->nodes[i]);
		check_bridge(d, &t->nodes[i]);
		check_routes(d, &t->nodes[i]);
	}
	if (!t->nnodes && !d->n)
		topo_diag_add(d, t->name_pos, "the topology has no nodes");
	return d->n + d->dropped > before ? -EINVAL : 0;
}

int topo_validate_machine(const struct topo *t, int dirfd, topo_owned_fn owned, void *data,
			  struct topo_diag *d)
{
	if (dirfd < 0)
		return 0;
	size_t before = d->n + d->dropped;
	for (size_t i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		struct stat st;
		if (!n->ns[0] || fstatat(dirfd, n->ns, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (owned && owned(n->ns, data))
			continue;
		topo_diag_add(d, n->pos,
			      "namespace \"%s\" already exists and is not part of lab \"%s\"",
			      n->ns, t->name);
	}
	return d->n + d->dropped > before ? -EINVAL : 0;
}
