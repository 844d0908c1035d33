/*
 * topo model — a topology file as typed values, each with its file position.
 *
 * load.c fills it from YAML (types and keys checked), validate.c checks how
 * the parts refer to each other and to the machine, plan.c numbers what
 * will be created. Plain arrays with counts; the model owns every string.
 */
#ifndef NNS_TOPO_MODEL_H
#define NNS_TOPO_MODEL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOPO_IFNAMSIZ 16 /* the kernel's IFNAMSIZ: 15 bytes and a NUL */

struct topo_pos {
	unsigned line, col; /* 1-based; 0 when the value was not in the file */
};

/* A CIDR (or a bare address with PLEN the full length). */
struct topo_addr {
	struct topo_pos pos;
	int family; /* AF_INET or AF_INET6 */
	uint8_t bytes[16];
	uint8_t plen;
	char text[64]; /* as written */
};

struct topo_route {
	struct topo_pos pos;
	struct topo_addr dst; /* "default": plen 0 in the gateway's family */
	bool is_default;
	bool has_gw;
	struct topo_addr gw;
	char dev[TOPO_IFNAMSIZ]; /* "dev IFNAME" routes, else "" */
};

enum topo_iface_kind {
	TOPO_IF_VETH,	 /* one end of a link */
	TOPO_IF_VLAN,	 /* 802.1Q on PARENT */
	TOPO_IF_MACVLAN, /* on PARENT */
	TOPO_IF_VXLAN,	 /* VNI to REMOTE, optionally over PARENT */
	TOPO_IF_BRIDGE,	 /* the bridge device itself (bridge nodes only) */
};

struct topo_iface {
	char name[TOPO_IFNAMSIZ];
	struct topo_pos pos;
	enum topo_iface_kind kind;
	struct topo_addr *addrs;
	size_t naddrs;
	int link;		    /* index into topo.links for veth ends, -1 otherwise */
	int ifindex;		    /* assigned by the planner inside the node's namespace */
	unsigned mtu;		    /* 0: the kernel's default (or the link's) */
	char parent[TOPO_IFNAMSIZ]; /* vlan, macvlan, vxlan (optional) */
	struct topo_pos parent_pos;
	unsigned vlan_id;
	unsigned macvlan_mode; /* IFLA_MACVLAN_MODE value */
	unsigned vni;
	unsigned vxlan_port;
	struct topo_addr remote, local; /* vxlan; family 0 when unset */
};

/* Open-addressing hash of names → array index (-1: empty slot). */
struct topo_index {
	int *slots;
	size_t cap;
	size_t count; /* items indexed: 0..count-1 */
};

struct topo_sysctl {
	struct topo_pos pos;
	char *key;   /* "net.ipv4.ip_forward" */
	char *value; /* "1" */
};

/* A program: argv (a list in the file) or one shell command line. */
struct topo_cmd {
	struct topo_pos pos;
	char **argv; /* NULL-terminated */
	size_t argc;
	bool shell; /* argv[0] is a line for /bin/sh -c */
};

enum topo_node_kind { TOPO_HOST, TOPO_BRIDGE };

struct topo_node {
	char *name;
	struct topo_pos pos;
	enum topo_node_kind kind;
	char ns[NAME_MAX + 1]; /* "<lab>-<name>" */
	struct topo_iface *ifaces;
	size_t nifaces;
	struct topo_route *routes;
	size_t nroutes;
	struct topo_sysctl *sysctls;
	size_t nsysctls;
	struct topo_cmd *run;
	size_t nrun;
	struct topo_cmd *exec;
	size_t nexec;
	bool ipv6_ll;		 /* keep IPv6 link-local set-up on address-less interfaces */
	struct topo_index index; /* of ifaces, by name */
};

struct topo_netem {
	bool set;
	struct topo_pos pos;
	uint32_t delay_us, jitter_us;
	double loss, duplicate, reorder, corrupt; /* percent */
	uint32_t limit;				  /* packets, 0: kernel default */
};

struct topo_endpoint {
	struct topo_pos pos;
	char *node_name;	    /* as written: "h1" of "h1:eth0" */
	char ifname[TOPO_IFNAMSIZ]; /* "eth0"; "" for a bridge (auto-named port) */
	int node;		    /* index into topo.nodes, resolved by validation */
	int iface;		    /* index into that node's ifaces */
};

struct topo_link {
	struct topo_pos pos;
	struct topo_endpoint end[2];
	uint64_t rate_bps; /* bits per second, 0: none */
	struct topo_pos rate_pos;
	unsigned mtu;
	struct topo_netem netem;
};

struct topo_pair {
	struct topo_pos pos;
	int a, b; /* node indices */
};

struct topo {
	char *file; /* as given on the command line */
	char *name;
	struct topo_pos name_pos;
	struct topo_node *nodes; /* hosts first, then bridges, in file order */
	size_t nnodes;
	struct topo_link *links;
	size_t nlinks;
	struct topo_pair *unreachable;
	size_t nunreachable;
	struct topo_index index; /* of nodes, by name */
	char *text;		 /* the file's bytes: kept in the state dir, compared on `up` */
	size_t textlen;
};

void topo_free(struct topo *t);
/* Node lookups are hashed: a 4000-node file must not cost 16M strcmp. */
int topo_find_node(const struct topo *t, const char *name);
int topo_index_node(struct topo *t, size_t i);	     /* after appending nodes[i] */
int topo_index_iface(struct topo_node *n, size_t i); /* after appending ifaces[i] */
int topo_find_iface(const struct topo_node *n, const char *name);

/* ---- diagnostics: FILE:LINE:COL: message, collected and sorted -------- */
struct topo_diag_entry {
	struct topo_pos pos;
	char *msg;
};

struct topo_diag {
	const char *file;
	struct topo_diag_entry *v;
	size_t n, cap;
	size_t dropped; /* beyond the cap, counted only */
};

void topo_diag_add(struct topo_diag *d, struct topo_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sort by position (stable) so the report reads top to bottom. */
void topo_diag_sort(struct topo_diag *d);
void topo_diag_free(struct topo_diag *d);
/* The closest of CANDIDATES to WORD if it is close enough, else NULL. */
const char *topo_did_you_mean(const char *word, const char *const *candidates, size_t n);

#endif
