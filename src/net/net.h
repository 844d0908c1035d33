/*
 * net — links, addresses, routes, qdiscs, sysctls and dumps over rtnetlink.
 *
 * Every mutating function here *queues* one request (sometimes two) on a
 * struct nl_sock and returns at once: 0, or -errno when the arguments are
 * invalid (nothing queued then, ERR filled). The kernel's verdict arrives at
 * nl_flush(S, ERR), which the caller calls when it wants: after one request
 * (synchronous use, see net_sync) or after thousands (one sendmsg per 64 KiB).
 *
 * A struct nl_sock is bound to one namespace (nl_open(nsfd, ...)); ifindexes,
 * names and parents (IFLA_LINK, master) are those of the socket's namespace.
 * A link is addressed by ifindex when `ifindex > 0`, otherwise by name.
 *
 * Batching without lookups: a caller that owns a fresh namespace (only lo,
 * ifindex 1) may choose the ifindex of every link it creates there
 * (struct net_link.ifindex) and queue addresses, routes and `up` for those
 * ifindexes in the same batch. Kernel rule: the ifindex of the *first* end of
 * a create request is looked up in the socket's namespace (an existing link
 * with that ifindex there makes the request EEXIST), so create a veth from
 * the socket of end A's namespace (a.nsfd = 0), or let the kernel choose;
 * the veth peer's ifindex (end b) is only checked in b's namespace.
 * Requests to different sockets are ordered only by the caller's flushes:
 * flush the socket that creates a link before flushing the socket of the
 * namespace that configures its other end.
 *
 * Names are limited to 15 bytes (IFNAMSIZ - 1); longer ones are refused
 * before anything is queued.
 */
#ifndef NNS_NET_H
#define NNS_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns.h"

struct nl_sock;

/* ---- addresses and prefixes (prefix.c) --------------------------------- */

/* An IPv4 or IPv6 address with a prefix length; family 0 means "unset". */
struct net_ip {
	int family; /* AF_INET, AF_INET6, 0 */
	uint8_t prefixlen;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

/* Parse "10.0.0.1/24", "fd00::1/64", or without "/N" when PREFIX_OPTIONAL
 * (prefixlen then 32/128). "default" parses as 0.0.0.0/0 with FAMILY (AF_INET
 * when 0). Errors name the text: "bad CIDR \"10.0.0.300/24\": ...". */
int net_ip_parse(const char *text, bool prefix_optional, int family, struct net_ip *out,
		 struct nns_err *err);
/* "10.0.0.1/24" (WITH_PREFIX) or "10.0.0.1" into BUF; returns BUF. */
char *net_ip_format(const struct net_ip *ip, bool with_prefix, char *buf, size_t len);
size_t net_ip_len(const struct net_ip *ip); /* 4, 16 or 0 */
/* Does IP lie inside NET/prefixlen? (same family required) */
bool net_ip_in_prefix(const struct net_ip *ip, const struct net_ip *net);

/* ---- links (link.c, veth.c, bridge.c, vlan.c, macvlan.c, vxlan.c) ----- */

/* Attributes common to every new link. Zero-initialise, then fill. */
struct net_link {
	const char *name;   /* IFLA_IFNAME, required */
	int ifindex;	    /* > 0: ask the kernel for this ifindex; 0: kernel chooses */
	int nsfd;	    /* > 0: create directly in this namespace (IFLA_NET_NS_FD);
			     * 0 or -1: the socket's (fd 0 is never a namespace fd here) */
	const char *ns;	    /* namespace name, used only in error messages (may be NULL) */
	unsigned mtu;	    /* 0: kernel default */
	const uint8_t *mac; /* 6 bytes, NULL: random */
	const char *alias;  /* IFLA_IFALIAS, e.g. "netns:<lab>" to mark a lab's links (below) */
	bool no_ipv6_ll;    /* IPv6 addrgenmode none: no link-local, no DAD/MLD (below) */
	bool up;	    /* create up (refused for veth: see net_veth) */
	int master;	    /* ifindex of the bridge to enslave to, 0: none */
};

/*
 * alias and no_ipv6_ll: the kernel ignores IFLA_IFALIAS in a create request
 * and refuses IFLA_AF_SPEC there (the device's IPv6 state does not exist yet:
 * EAFNOSUPPORT), so both go in a second request queued right after the
 * create (and `up` in a third when no_ipv6_ll: with up and addrgenmode in one
 * request the kernel brings the link up first and makes the link-local
 * address). This works for links created in the socket's namespace (for a
 * veth: end a). For a link placed in another namespace (nsfd > 0, a veth's
 * end b) they are refused (EINVAL): set alias/no_ipv6_ll in the
 * net_link_change that brings it up on that namespace's socket, or call
 * net_ns_no_ipv6_ll() on the namespace before creating links.
 */

/* veth pair: both ends in one request, each placed in its own namespace.
 * Created down: the kernel refuses IFF_UP before the peer exists (ENOTCONN);
 * bring both ends up afterwards (net_link_up on each end's socket). */
struct net_veth {
	struct net_link a; /* a.up and b.up are refused */
	struct net_link b;
};
int net_veth_add(struct nl_sock *s, const struct net_veth *v, struct nns_err *err);

/* bridge: STP off unless asked; vlan_filtering/ageing only sent when set. */
struct net_bridge {
	struct net_link link;
	bool stp;
	int vlan_filtering; /* -1/0: leave default (off); 1: on */
	int ageing_seconds; /* 0: kernel default (300 s) */
};
int net_bridge_add(struct nl_sock *s, const struct net_bridge *b, struct nns_err *err);

/* 802.1Q (or 802.1ad) vlan over PARENT (ifindex in the socket's namespace). */
struct net_vlan {
	struct net_link link;
	int parent;  /* IFLA_LINK */
	uint16_t id; /* 1..4094 */
	bool qinq;   /* 802.1ad instead of 802.1Q */
};
int net_vlan_add(struct nl_sock *s, const struct net_vlan *v, struct nns_err *err);

enum net_macvlan_mode {
	NET_MACVLAN_BRIDGE = 0, /* default */
	NET_MACVLAN_PRIVATE,
	NET_MACVLAN_VEPA,
	NET_MACVLAN_PASSTHRU,
};
/* Parse "bridge", "private", "vepa", "passthru". */
int net_macvlan_mode_parse(const char *text, enum net_macvlan_mode *out, struct nns_err *err);
struct net_macvlan {
	struct net_link link; /* link.nsfd may move it away from its parent */
	int parent;	      /* IFLA_LINK, in the socket's namespace */
	enum net_macvlan_mode mode;
};
int net_macvlan_add(struct nl_sock *s, const struct net_macvlan *m, struct nns_err *err);

struct net_vxlan {
	struct net_link link;
	uint32_t vni;	      /* 0..2^24-1 */
	struct net_ip local;  /* family 0: unset */
	struct net_ip remote; /* unicast peer; or */
	struct net_ip group;  /* multicast group (needs dev) */
	uint16_t dstport;     /* 0: 4789 (IANA; the kernel's own default is 8472) */
	int dev;	      /* underlay ifindex, 0: none */
	bool no_learning;
};
int net_vxlan_add(struct nl_sock *s, const struct net_vxlan *x, struct nns_err *err);

int net_dummy_add(struct nl_sock *s, const struct net_link *l, struct nns_err *err);

/* Changes to an existing link; every field left zero/NULL is untouched. */
struct net_link_change {
	int ifindex;	  /* which link: ifindex wins, */
	const char *name; /* else its name */
	const char *ns;	  /* for messages only */
	int up;		  /* 1 up, -1 down, 0 unchanged */
	unsigned mtu;
	const uint8_t *mac; /* 6 bytes */
	int master;	    /* ifindex to enslave to; -1: release; 0 unchanged */
	const char *new_name;
	int move_nsfd; /* >= 1: move to that namespace (IFLA_NET_NS_FD); 0 unchanged */
	const char *alias;
	bool no_ipv6_ll; /* sent as its own request before the rest (see above) */
};
int net_link_change(struct nl_sock *s, const struct net_link_change *c, struct nns_err *err);
/* Shortcuts for the common cases (NAME is used when IFINDEX <= 0). */
int net_link_up(struct nl_sock *s, int ifindex, const char *name, bool up, struct nns_err *err);
int net_link_del(struct nl_sock *s, int ifindex, const char *name, struct nns_err *err);

/* Synchronous: ifindex of NAME in the socket's namespace, or -ENODEV. */
int net_ifindex(struct nl_sock *s, const char *name, struct nns_err *err);

/*
 * Make the kernel apply a link's pending carrier change now. A veth end set
 * up before its peer gets carrier when the peer comes up, but its queue and
 * its operational state (and so a bridge port's forwarding) wait for the
 * kernel's linkwatch work, which handles 100 devices a second: a 1000-link
 * lab would carry traffic only ~20 s after up. A single-link RTM_GETLINK
 * runs that work for the link at once (linkwatch_sync_dev in rtnl_getlink).
 * Synchronous: flush first.
 */
int net_link_settle(struct nl_sock *s, int ifindex, const char *label, struct nns_err *err);

/* ---- addresses (addr.c) ------------------------------------------------ */

struct net_addr {
	int ifindex;
	const char *ifname; /* for messages only */
	struct net_ip ip;   /* with prefixlen */
	struct net_ip peer; /* point-to-point peer, family 0: none */
	bool broadcast;	    /* IPv4: set the broadcast address from the prefix (ip's "brd +") */
	bool nodad;	    /* IPv6: IFA_F_NODAD, usable at once (no DAD wait) */
};
int net_addr_add(struct nl_sock *s, const struct net_addr *a, struct nns_err *err);
int net_addr_del(struct nl_sock *s, const struct net_addr *a, struct nns_err *err);
/* Synchronous (dump, then delete): every address of FAMILY (0: both) on
 * IFINDEX (0: every link). Returns the number deleted. */
int net_addr_flush(struct nl_sock *s, int ifindex, int family, struct nns_err *err);

/* ---- routes (route.c) ---------------------------------------------------- */

enum net_route_type {
	NET_ROUTE_UNICAST = 0,
	NET_ROUTE_BLACKHOLE,
	NET_ROUTE_UNREACHABLE,
	NET_ROUTE_PROHIBIT,
};
struct net_route {
	struct net_ip dst; /* prefixlen 0: default route of dst.family */
	struct net_ip via; /* gateway, family 0: none (directly connected) */
	int ifindex;	   /* 0: let the kernel find it from via */
	uint32_t metric;   /* 0: kernel default */
	uint32_t table;	   /* 0: main */
	enum net_route_type type;
	bool replace; /* NLM_F_REPLACE instead of NLM_F_EXCL */
};
int net_route_add(struct nl_sock *s, const struct net_route *r, struct nns_err *err);
int net_route_del(struct nl_sock *s, const struct net_route *r, struct nns_err *err);

/* ---- qdiscs (qdisc.c) ---------------------------------------------------- */

/* netem settings; zero fields are not sent. Percentages are 0..100. */
struct net_netem {
	uint32_t delay_us;
	uint32_t jitter_us;
	double loss;
	double duplicate;
	double reorder; /* needs delay */
	double corrupt;
	uint64_t rate_bps; /* bits per second */
	uint32_t limit;	   /* packets, 0: 1000 */
};
/* Parse tc's words: "delay 50ms [JITTER] loss 1% duplicate 1% reorder 25%
 * corrupt 0.1% rate 1mbit limit N". */
int net_netem_parse(const char *spec, struct net_netem *out, struct nns_err *err);
struct net_tbf {
	uint64_t rate_bps;   /* bits per second, required */
	uint32_t burst;	     /* bytes, 0: 10 ms at RATE, at least 4096 */
	uint32_t limit;	     /* bytes queued, 0: from latency_us */
	uint32_t latency_us; /* 0: 50 ms */
};
int net_tbf_parse(const char *spec, struct net_tbf *out, struct nns_err *err);
/* Parse "1mbit", "500kbit", "10gbit", "100bps"... into bits per second. */
int net_rate_parse(const char *text, uint64_t *bps, struct nns_err *err);

enum net_qdisc_op {
	NET_QDISC_ADD,	   /* NLM_F_CREATE|NLM_F_EXCL: fails if a root qdisc exists */
	NET_QDISC_CHANGE,  /* the existing root qdisc of the same kind */
	NET_QDISC_REPLACE, /* NLM_F_CREATE|NLM_F_REPLACE */
};
/* Root qdisc on IFINDEX. A kernel without the qdisc answers ENOENT; nl_flush
 * reports it, and net_explain() rewrites the message in words. */
int net_netem_set(struct nl_sock *s, int ifindex, const char *ifname, const struct net_netem *n,
		  enum net_qdisc_op op, struct nns_err *err);
int net_tbf_set(struct nl_sock *s, int ifindex, const char *ifname, const struct net_tbf *t,
		enum net_qdisc_op op, struct nns_err *err);
int net_qdisc_del_root(struct nl_sock *s, int ifindex, const char *ifname, struct nns_err *err);

/* ---- sysctls (sysctl.c) -------------------------------------------------- */

/* Write/read net.* sysctls as seen from inside the namespace NSFD (< 0: the
 * caller's): the calling thread setns()es there, opens /proc/sys/..., and
 * comes back (no process is spawned). KEY uses dots or slashes:
 * "net.ipv4.ip_forward", "net/ipv6/conf/all/forwarding". */
struct net_sysctl {
	const char *key;
	const char *value;
};
int net_sysctl_set(int nsfd, const struct net_sysctl *v, size_t n, struct nns_err *err);
int net_sysctl_get(int nsfd, const char *key, char *buf, size_t len, struct nns_err *err);

/* Every link created later in NSFD gets no IPv6 link-local set-up (the
 * namespace's net.ipv6.conf.default.addr_gen_mode = 1): the cheapest way for a
 * topology that owns fresh namespaces. */
int net_ns_no_ipv6_ll(int nsfd, struct nns_err *err);

/* ---- dumps (dump.c) -------------------------------------------------------- */

struct net_link_info {
	int ifindex;
	char name[16];
	char kind[16]; /* "veth", "bridge", ... ; "" for lo / physical */
	char alias[128];
	unsigned flags;	   /* IFF_UP, IFF_LOWER_UP, ... */
	uint8_t operstate; /* IF_OPER_* */
	unsigned mtu;
	uint8_t mac[32];
	size_t mac_len;
	int master;    /* ifindex, 0: none */
	int link;      /* IFLA_LINK: veth peer / vlan parent ifindex, 0: none */
	int link_nsid; /* IFLA_LINK_NETNSID: peer's namespace, -1: same namespace */
};
struct net_addr_info {
	int ifindex;
	struct net_ip ip;
	uint8_t scope;
	uint32_t flags; /* IFA_F_* */
};
struct net_route_info {
	struct net_ip dst;
	struct net_ip via;
	int ifindex;
	uint32_t table;
	uint32_t metric;
	uint8_t type;	  /* RTN_* */
	uint8_t protocol; /* RTPROT_* */
	uint8_t scope;
};
/* Synchronous dumps into malloc'd arrays (free() them). Routes: table main
 * and local excluded unless ALL_TABLES; FAMILY 0 = both. */
int net_link_dump(struct nl_sock *s, struct net_link_info **out, size_t *n, struct nns_err *err);
int net_addr_dump(struct nl_sock *s, int family, struct net_addr_info **out, size_t *n,
		  struct nns_err *err);
int net_route_dump(struct nl_sock *s, int family, bool all_tables, struct net_route_info **out,
		   size_t *n, struct nns_err *err);

/* Name of the named namespace (under /run/netns) that the socket's namespace
 * knows as NSID; "" when none matches. Synchronous. */
int net_nsid_name(struct nl_sock *s, int nsid, char *name, size_t len, struct nns_err *err);

/* ---- helpers ------------------------------------------------------------------ */

/* After a failed nl_flush: when the kernel lacks the link type or qdisc the
 * failed request needed, say so in words ("kernel has no netem qdisc
 * (sch_netem): delay/loss impairments unavailable; rate limits still work via
 * tbf", "kernel has no vlan link type (8021q)"). Returns ERR->code. */
int net_explain(struct nns_err *err);

/* Synchronous use of any queued call: `net_sync(s, net_link_up(s, ...), err)`. */
int net_sync(struct nl_sock *s, int queued, struct nns_err *err);

#endif
