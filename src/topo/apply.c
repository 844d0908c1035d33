/*
 * `up`: build a planned topology in phases, journaling before creating, and
 * remove everything again if any step fails.
 *
 *   1. journal every namespace name, then create them all; a hook inside each
 *      new namespace opens its rtnetlink socket, sets lo up (marked with the
 *      lab's alias) and writes the node's sysctls — no extra setns;
 *   2. every bridge, then every veth, on the socket of its first end
 *      (explicit ifindexes, peer placed by IFLA_NET_NS_FD);
 *   3. per namespace, one batch: vlan/macvlan/vxlan, addresses, up, qdiscs,
 *      routes;
 *   4. interface sysctls, run: programs, exec: commands; journal "up".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../net/net.h"
#include "../nl/nl.h"
#include "../ns/ns.h"
#include "../util/cleanup.h"
#include "../util/err.h"
#include "journal.h"
#include "proc.h"
#include "state.h"
#include "topo.h"

struct rt_node {
	int nsfd;
	struct nl_sock *nl;
};

struct build {
	struct topo *t;
	struct lab_state *st;
	int rundir;
	struct rt_node *rt;
	size_t created; /* namespaces that exist because of us */
	char alias[300];
};

static void to_ip(const struct topo_addr *a, struct net_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = a->family;
	ip->prefixlen = a->plen;
	memcpy(ip->bytes, a->bytes, 16);
}

/* A key that names one of the node's interfaces must wait for it to exist. */
static bool sysctl_names_iface(const struct topo_node *n, const char *key)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", key);
	char *save = NULL;
	for (char *w = strtok_r(buf, ".", &save); w; w = strtok_r(NULL, ".", &save))
		if (topo_find_iface(n, w) >= 0)
			return true;
	return false;
}

static int write_sysctls(int nsfd, const struct topo_node *n, bool late, struct nns_err *err)
{
	struct net_sysctl v[64];
	size_t k = 0;
	for (size_t i = 0; i < n->nsysctls; i++) {
		if (sysctl_names_iface(n, n->sysctls[i].key) != late)
			continue;
		v[k++] = (struct net_sysctl){n->sysctls[i].key, n->sysctls[i].value};
		if (k == ARRAY_SIZE(v) || i + 1 == n->nsysctls) {
			int r = net_sysctl_set(nsfd, v, k, err);
			if (r < 0)
				return err_prefix(err, "node %s", n->name);
			k = 0;
		}
	}
	return k ? net_sysctl_set(nsfd, v, k, err) : 0;
}

/* Runs inside namespace I right after its creation. */
static int in_new_namespace(size_t i, void *data, struct nns_err *err)
{
	struct build *b = data;
	struct rt_node *rn = &b->rt[i];
	const struct topo_node *n = &b->t->nodes[i];
	rn->nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (rn->nsfd < 0)
		return err_sys(err, errno, "opening namespace %s", n->ns);
	int r = nl_open(-1, &rn->nl, err);
	if (r < 0)
		return err_prefix(err, "namespace %s", n->ns);
	struct net_link_change lo = {.ifindex = 1, .ns = n->ns, .up = 1, .alias = b->alias};
	r = net_link_change(rn->nl, &lo, err);
	if (!r && (r = nl_flush(rn->nl, err)) < 0)
		err_prefix(err, "setting lo up in %s", n->ns);
	if (r < 0)
		return r;
	return write_sysctls(-1, n, false, err);
}

static void fill_link(struct net_link *l, const struct build *b, const struct topo_node *n,
		      const struct topo_iface *ifc)
{
	l->name = ifc->name;
	l->ifindex = ifc->ifindex;
	l->ns = n->ns;
	l->mtu = ifc->mtu;
	/* No alias or no_ipv6_ll here: see queue_iface. */
}

/*
 * Send what is queued on node I's socket. Wiring flushes a socket as soon as
 * the next request goes to another one: as many sendmsg as queueing the
 * whole lab first, but only one queue (8-16 KiB) exists at a time, so memory
 * does not grow with the number of namespaces.
 */
static int flush_node(struct build *b, size_t i, const char *step, struct nns_err *err)
{
	if (!nl_pending(b->rt[i].nl))
		return 0;
	int r = nl_flush(b->rt[i].nl, err);
	if (r < 0) {
		net_explain(err); /* a missing link type or qdisc, in words */
		err_prefix(err, "%s in namespace %s", step, b->t->nodes[i].ns);
	}
	return r;
}

static int create_bridges(struct build *b, struct nns_err *err)
{
	for (size_t i = 0; i < b->t->nnodes; i++) {
		const struct topo_node *n = &b->t->nodes[i];
		if (n->kind != TOPO_BRIDGE)
			continue;
		struct net_bridge br = {0};
		fill_link(&br.link, b, n, &n->ifaces[0]);
		int r = net_bridge_add(b->rt[i].nl, &br, err);
		if (!r)
			r = flush_node(b, i, "creating bridges", err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The end whose socket creates link L: a bridge end goes first, so that the
 * creating request enslaves it at once. */
static int creating_end(const struct build *b, const struct topo_link *l)
{
	return b->t->nodes[l->end[1].node].kind == TOPO_BRIDGE &&
	       b->t->nodes[l->end[0].node].kind != TOPO_BRIDGE;
}

static int queue_veth(struct build *b, const struct topo_link *l, struct nns_err *err)
{
	int first = creating_end(b, l);
	const struct topo_endpoint *ea = &l->end[first], *eb = &l->end[!first];
	const struct topo_node *na = &b->t->nodes[ea->node], *nb = &b->t->nodes[eb->node];
	struct net_veth v = {0};
	fill_link(&v.a, b, na, &na->ifaces[ea->iface]);
	fill_link(&v.b, b, nb, &nb->ifaces[eb->iface]);
	v.b.nsfd = b->rt[eb->node].nsfd;
	if (na->kind == TOPO_BRIDGE)
		v.a.master = na->ifaces[0].ifindex;
	return net_veth_add(b->rt[ea->node].nl, &v, err);
}

static int queue_virtual(struct build *b, size_t i, const struct topo_iface *ifc,
			 struct nns_err *err)
{
	const struct topo_node *n = &b->t->nodes[i];
	struct nl_sock *s = b->rt[i].nl;
	int parent = ifc->parent[0] ? n->ifaces[topo_find_iface(n, ifc->parent)].ifindex : 0;
	static const enum net_macvlan_mode modes[] = {[1] = NET_MACVLAN_PRIVATE,
						      [2] = NET_MACVLAN_VEPA,
						      [4] = NET_MACVLAN_BRIDGE,
						      [8] = NET_MACVLAN_PASSTHRU};
	if (ifc->kind == TOPO_IF_VLAN) {
		struct net_vlan v = {.parent = parent, .id = (uint16_t)ifc->vlan_id};
		fill_link(&v.link, b, n, ifc);
		return net_vlan_add(s, &v, err);
	}
	if (ifc->kind == TOPO_IF_MACVLAN) {
		struct net_macvlan m = {.parent = parent, .mode = modes[ifc->macvlan_mode & 15]};
		fill_link(&m.link, b, n, ifc);
		return net_macvlan_add(s, &m, err);
	}
	struct net_vxlan x = {.vni = ifc->vni, .dstport = (uint16_t)ifc->vxlan_port, .dev = parent};
	fill_link(&x.link, b, n, ifc);
	to_ip(&ifc->remote, &x.remote);
	if (ifc->local.family)
		to_ip(&ifc->local, &x.local);
	return net_vxlan_add(s, &x, err);
}

static int queue_qdisc(struct build *b, size_t i, const struct topo_iface *ifc, struct nns_err *err)
{
	const struct topo_link *l = &b->t->links[ifc->link];
	struct nl_sock *s = b->rt[i].nl;
	if (l->netem.set) {
		/* One root qdisc per device: netem carries the rate itself. */
		struct net_netem ne = {.delay_us = l->netem.delay_us,
				       .jitter_us = l->netem.jitter_us,
				       .loss = l->netem.loss,
				       .duplicate = l->netem.duplicate,
				       .reorder = l->netem.reorder,
				       .corrupt = l->netem.corrupt,
				       .rate_bps = l->rate_bps,
				       .limit = l->netem.limit};
		return net_netem_set(s, ifc->ifindex, ifc->name, &ne, NET_QDISC_ADD, err);
	}
	if (!l->rate_bps)
		return 0;
	struct net_tbf tbf = {.rate_bps = l->rate_bps};
	return net_tbf_set(s, ifc->ifindex, ifc->name, &tbf, NET_QDISC_ADD, err);
}

static int queue_iface(struct build *b, size_t i, const struct topo_iface *ifc, struct nns_err *err)
{
	const struct topo_node *n = &b->t->nodes[i];
	struct nl_sock *s = b->rt[i].nl;
	int r = 0;
	if (ifc->kind == TOPO_IF_VLAN || ifc->kind == TOPO_IF_MACVLAN || ifc->kind == TOPO_IF_VXLAN)
		r = queue_virtual(b, i, ifc, err);
	/* The kernel applies neither IFLA_IFALIAS nor IFLA_AF_SPEC in a create
	 * request, so one change per link marks it as the lab's and turns IPv6
	 * link-local set-up off (it floods bridged labs) before it goes up; a
	 * bridge-to-bridge link's second end is enslaved here too. */
	bool port = n->kind == TOPO_BRIDGE && ifc->kind == TOPO_IF_VETH;
	if (!r) {
		struct net_link_change c = {.ifindex = ifc->ifindex,
					    .ns = n->ns,
					    .alias = b->alias,
					    .master = port ? n->ifaces[0].ifindex : 0,
					    .no_ipv6_ll = !topo_iface_wants_ipv6_ll(n, ifc)};
		r = net_link_change(s, &c, err);
	}
	for (size_t k = 0; !r && k < ifc->naddrs; k++) {
		struct net_addr a = {.ifindex = ifc->ifindex, .ifname = ifc->name, .nodad = true};
		to_ip(&ifc->addrs[k], &a.ip);
		/* As iproute2's "brd +": none on /31 and /32, where it would be the peer. */
		a.broadcast = a.ip.family == AF_INET && a.ip.prefixlen < 31;
		r = net_addr_add(s, &a, err);
	}
	if (!r)
		r = net_link_up(s, ifc->ifindex, ifc->name, true, err);
	if (!r && ifc->link >= 0)
		r = queue_qdisc(b, i, ifc, err);
	return r;
}

static int queue_routes(struct build *b, size_t i, struct nns_err *err)
{
	const struct topo_node *n = &b->t->nodes[i];
	for (size_t k = 0; k < n->nroutes; k++) {
		const struct topo_route *rt = &n->routes[k];
		struct net_route r = {0};
		to_ip(&rt->dst, &r.dst);
		if (rt->is_default)
			r.dst.prefixlen = 0;
		if (rt->has_gw)
			to_ip(&rt->gw, &r.via);
		if (rt->dev[0])
			r.ifindex = n->ifaces[topo_find_iface(n, rt->dev)].ifindex;
		int e = net_route_add(b->rt[i].nl, &r, err);
		if (e < 0)
			return err_prefix(err, "node %s", n->name);
	}
	return 0;
}

static int create_links(struct build *b, struct nns_err *err)
{
	size_t prev = SIZE_MAX;
	int r = 0;
	for (size_t i = 0; !r && i < b->t->nlinks; i++) {
		const struct topo_link *l = &b->t->links[i];
		size_t node = l->end[creating_end(b, l)].node;
		if (prev != SIZE_MAX && node != prev)
			r = flush_node(b, prev, "creating links", err);
		if (!r)
			r = queue_veth(b, l, err);
		prev = node;
	}
	if (!r && prev != SIZE_MAX)
		r = flush_node(b, prev, "creating links", err);
	return r;
}

/* Every veth end and bridge carries traffic when up returns: see
 * net_link_settle (one request per link, answered at once). */
static int settle_links(struct build *b, struct nns_err *err)
{
	char label[300];
	for (size_t i = 0; i < b->t->nnodes; i++) {
		const struct topo_node *n = &b->t->nodes[i];
		for (size_t k = 0; k < n->nifaces; k++) {
			const struct topo_iface *ifc = &n->ifaces[k];
			if (ifc->kind != TOPO_IF_VETH && ifc->kind != TOPO_IF_BRIDGE)
				continue;
			snprintf(label, sizeof(label), "waiting for %s:%s to carry traffic", n->ns,
				 ifc->name);
			int r = net_link_settle(b->rt[i].nl, ifc->ifindex, label, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int wire(struct build *b, struct nns_err *err)
{
	int r = create_bridges(b, err);
	if (!r)
		r = create_links(b, err);
	for (size_t i = 0; !r && i < b->t->nnodes; i++) {
		const struct topo_node *n = &b->t->nodes[i];
		for (size_t k = 0; !r && k < n->nifaces; k++)
			r = queue_iface(b, i, &n->ifaces[k], err);
		if (!r)
			r = queue_routes(b, i, err);
		if (!r)
			r = flush_node(b, i, "configuring interfaces and routes", err);
	}
	if (!r)
		r = settle_links(b, err);
	for (size_t i = 0; !r && i < b->t->nnodes; i++)
		r = write_sysctls(b->rt[i].nsfd, &b->t->nodes[i], true, err);
	return r;
}

/* ---- namespaces -------------------------------------------------------- */

/* Two fds per namespace are kept open during the build. The soft limit is
 * raised as needed; so is the hard one, which root may (CAP_SYS_RESOURCE,
 * up to fs.nr_open), when it is too low. */
int topo_ensure_fds(size_t nodes, struct nns_err *err)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return err_sys(err, errno, "getrlimit");
	rlim_t need = (rlim_t)nodes * 2 + 64;
	if (rl.rlim_cur >= need)
		return 0;
	struct rlimit want = {need, rl.rlim_max < need ? need : rl.rlim_max};
	if (setrlimit(RLIMIT_NOFILE, &want) == 0)
		return 0;
	if (rl.rlim_max < need)
		return err_msg(
		    err, EMFILE,
		    "%zu nodes need %llu open files; the hard limit is %llu (ulimit -Hn) and "
		    "cannot be raised: %s",
		    nodes, (unsigned long long)need, (unsigned long long)rl.rlim_max,
		    strerror(errno));
	return err_sys(err, errno, "raising the open-file limit");
}

static int journal_namespaces(struct build *b, struct nns_err *err)
{
	size_t cap = 64 * 1024, len = 0;
	autofree char *buf = malloc(cap);
	for (size_t i = 0; buf && i < b->t->nnodes; i++) {
		size_t need = strlen(b->t->nodes[i].ns) + 5;
		if (len + need > cap) {
			int r = lab_journal_write(b->st, buf, len, err);
			if (r < 0)
				return r;
			len = 0;
		}
		len += (size_t)snprintf(buf + len, cap - len, "ns %s\n", b->t->nodes[i].ns);
	}
	if (!buf)
		return err_sys(err, ENOMEM, "journal");
	return lab_journal_write(b->st, buf, len, err);
}

static int create_namespaces(struct build *b, struct nns_err *err)
{
	size_t n = b->t->nnodes;
	autofree const char **names = malloc(n * sizeof(*names));
	if (!names)
		return err_sys(err, ENOMEM, "planning namespaces");
	for (size_t i = 0; i < n; i++)
		names[i] = b->t->nodes[i].ns;
	int r = journal_namespaces(b, err);
	if (r < 0)
		return r;
	r = ns_create_all(b->rundir, names, n, in_new_namespace, b, &b->created, err);
	if (r == -EEXIST && b->created < n) /* someone else's: never ours to delete */
		lab_journal_printf(b->st, NULL, "notours %s\n", names[b->created]);
	if (r < 0)
		return err_prefix(err, "creating namespaces");
	return 0;
}

static void close_runtime(struct build *b)
{
	for (size_t i = 0; b->rt && i < b->t->nnodes; i++) {
		nl_close(b->rt[i].nl);
		if (b->rt[i].nsfd >= 0)
			close(b->rt[i].nsfd);
	}
	free(b->rt);
	b->rt = NULL;
}

/* Undo exactly what this up made: its programs and whatever runs in its
 * namespaces (a shell's children too), its namespaces, then its state. */
static void rollback(struct build *b)
{
	close_runtime(b);
	struct lab_journal j = {0};
	lab_journal_read(b->st->dirfd, &j, NULL);
	const char **names = malloc((b->created + 1) * sizeof(*names));
	for (size_t i = 0; names && i < b->created; i++)
		names[i] = b->t->nodes[i].ns;
	struct topo_down_result res = {0};
	if (names)
		lab_undo(&j, names, b->created, &res, NULL);
	free(names);
	lab_journal_free(&j);
	lab_state_remove(b->st, NULL);
}

/* ---- up ------------------------------------------------------------------ */

static bool in_journal(const char *ns, void *data)
{
	const struct lab_journal *j = data;
	for (size_t i = 0; i < j->nns; i++)
		if (!strcmp(j->ns[i], ns))
			return true;
	return false;
}

int topo_preflight(const struct topo *t, struct topo_diag *diag, struct nns_err *err)
{
	autoclose int rundir = rundir_open(NULL);
	if (rundir < 0)
		return 0;
	/* Read-only: the lab's own namespaces (from its journal) are no collision. */
	struct lab_journal j = {0};
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", NNS_LABS_DIR, t->name);
	autoclose int dir = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir >= 0 && lab_journal_read(dir, &j, err) < 0)
		return err->code;
	int r = topo_validate_machine(t, rundir, in_journal, &j, diag);
	lab_journal_free(&j);
	return r;
}

static bool never_owned(const char *ns, void *data)
{
	return false;
}

static int save_source(struct lab_state *st, const struct topo *t, struct nns_err *err)
{
	int r = lab_file_write(st->dirfd, "topology.yaml", t->text, t->textlen, err);
	if (r < 0)
		return r;
	char path[PATH_MAX];
	const char *abs = realpath(t->file, path);
	const char *src = abs ? abs : t->file;
	return lab_file_write(st->dirfd, "source", src, strlen(src), err);
}

/* A lab with a journal: same file and complete is a no-op; else refuse. */
static int check_existing(struct lab_state *st, const struct topo *t, bool *same,
			  struct nns_err *err)
{
	struct lab_journal j;
	int r = lab_journal_read(st->dirfd, &j, err);
	if (r < 0)
		return r;
	bool complete = j.complete, any = j.nns > 0;
	lab_journal_free(&j);
	*same = false;
	if (!any)
		return 0;
	autofree char *text = NULL;
	size_t len = 0;
	lab_file_read(st->dirfd, "topology.yaml", &text, &len, NULL);
	bool same_file = text && len == t->textlen && !memcmp(text, t->text, len);
	if (complete && same_file) {
		*same = true;
		return 0;
	}
	if (!complete)
		return err_msg(err, EALREADY,
			       "lab \"%s\" is half built (an earlier up was interrupted): run "
			       "'netns down %s' first",
			       t->name, t->name);
	return err_msg(err, EEXIST,
		       "lab \"%s\" is already up from a different file: run 'netns down %s' first",
		       t->name, t->name);
}

static int probe_netem(const struct topo *t, struct nns_err *err)
{
	bool want = false;
	for (size_t i = 0; i < t->nlinks && !want; i++)
		want = t->links[i].netem.set;
	if (!want)
		return 0;
	/* Try it on lo of a scratch namespace that vanishes with this thread's
	 * return: the answer comes before anything of the lab exists. */
	autoclose int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || unshare(CLONE_NEWNET) < 0)
		return err_sys(err, errno, "probing for netem");
	struct nl_sock *s = NULL;
	int r = nl_open(-1, &s, err);
	struct net_netem ne = {.delay_us = 1000};
	if (!r)
		r = net_netem_set(s, 1, "lo", &ne, NET_QDISC_ADD, err);
	if (!r && (r = nl_flush(s, err)) < 0)
		net_explain(err);
	nl_close(s);
	if (setns(self, CLONE_NEWNET) < 0)
		return err_sys(err, errno, "returning from the netem probe");
	return r < 0 ? err_prefix(err, "lab \"%s\" uses netem", t->name) : 0;
}

static size_t count_programs(const struct topo *t, size_t *bridges)
{
	size_t n = 0;
	*bridges = 0;
	for (size_t i = 0; i < t->nnodes; i++) {
		n += t->nodes[i].nrun;
		*bridges += t->nodes[i].kind == TOPO_BRIDGE;
	}
	return n;
}

/*
 * Ctrl-C, TERM and HUP are held while up works and looked at between steps:
 * an interrupted up rolls back like a failed one, then the signal is
 * delivered (the caller restores the mask). Only kill -9 needs `down`.
 */
static int interrupted(struct nns_err *err)
{
	sigset_t pending;
	if (sigpending(&pending) == 0 &&
	    (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM) ||
	     sigismember(&pending, SIGHUP)))
		return err_msg(err, EINTR, "interrupted: everything created so far is removed");
	return 0;
}

static int build(struct build *b, struct nns_err *err)
{
	int r = topo_ensure_fds(b->t->nnodes, err);
	if (!r)
		r = save_source(b->st, b->t, err);
	if (!r)
		r = lab_journal_open(b->st, true, err);
	if (!r && !(r = interrupted(err)))
		r = create_namespaces(b, err);
	if (!r && !(r = interrupted(err)))
		r = wire(b, err);
	if (!r && !(r = interrupted(err))) {
		close_runtime(b); /* programs must not inherit thousands of fds */
		r = lab_run_programs(b->st, b->t, err);
	}
	if (!r && !(r = interrupted(err)))
		r = lab_exec_commands(b->st, b->t, err);
	if (!r && !(r = interrupted(err)))
		r = lab_journal_printf(b->st, err, "up\n");
	return r;
}

int topo_up(struct topo *t, struct topo_diag *diag, struct topo_up_result *res, struct nns_err *err)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(res, 0, sizeof(*res));
	struct lab_state st;
	int r = lab_state_open(t->name, true, &st, err);
	if (r < 0)
		return r;
	bool same = false;
	r = check_existing(&st, t, &same, err);
	if (r < 0 || same) {
		res->already_up = same;
		lab_state_close(&st);
		return r;
	}
	struct build b = {.t = t, .st = &st, .rundir = rundir_prepare(err)};
	snprintf(b.alias, sizeof(b.alias), "netns:%s", t->name);
	r = b.rundir;
	if (r >= 0)
		r = topo_validate_machine(t, b.rundir, never_owned, NULL, diag);
	if (r >= 0)
		r = probe_netem(t, err);
	if (r >= 0 && !(b.rt = calloc(t->nnodes ? t->nnodes : 1, sizeof(*b.rt))))
		r = err_sys(err, ENOMEM, "planning");
	for (size_t i = 0; r >= 0 && i < t->nnodes; i++)
		b.rt[i].nsfd = -1;
	sigset_t held, saved;
	sigemptyset(&held);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGTERM);
	sigaddset(&held, SIGHUP);
	sigprocmask(SIG_BLOCK, &held, &saved);
	if (r >= 0)
		r = build(&b, err);
	if (r < 0)
		rollback(&b);
	close_runtime(&b);
	if (b.rundir >= 0)
		close(b.rundir);
	lab_state_close(&st);
	sigprocmask(SIG_SETMASK, &saved, NULL); /* a held signal strikes now */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	res->nodes = t->nnodes;
	res->links = t->nlinks;
	res->programs = count_programs(t, &res->bridges);
	res->nodes -= res->bridges;
	return r < 0 ? r : 0;
}
