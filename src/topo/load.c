/*
 * YAML tree → typed model. Every mistake is recorded with its position and
 * loading goes on, so one run reports all of them.
 */
#include "load.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "state.h"
#include "yaml.h"

struct loader {
	struct topo *t;
	struct topo_diag *diag;
	/* defaults: applied to every node and link that does not say otherwise */
	const struct ynode *def_sysctl;
	const struct ynode *def_netem;
	const struct ynode *def_rate;
	const struct ynode *def_mtu;
	bool def_ipv6_ll;
	size_t items; /* appended to the model so far */
	bool too_big;
};

#define KEYS(...)                                                                                  \
	((const char *const[]){__VA_ARGS__}), ARRAY_SIZE(((const char *const[]){__VA_ARGS__}))

static const char *type_name(const struct ynode *n)
{
	if (ynode_is_null(n))
		return "nothing";
	return n->type == Y_MAP ? "a mapping" : n->type == Y_SEQ ? "a list" : "a scalar";
}

static bool want(struct loader *L, const struct ynode *n, enum ynode_type type, const char *what)
{
	if (n && n->type == type && !(type == Y_SCALAR && ynode_is_null(n)))
		return true;
	static const char *const names[] = {"a scalar", "a list", "a mapping"};
	topo_diag_add(L->diag, n->pos, "%s must be %s, not %s", what, names[type], type_name(n));
	return false;
}

/* Keys in text order, then position: equal keys end up side by side. */
static int key_cmp(const void *a, const void *b)
{
	const struct ynode *x = *(const struct ynode *const *)a,
			   *y = *(const struct ynode *const *)b;
	int c = strcmp(x->str, y->str);
	if (c)
		return c;
	return x->pos.line != y->pos.line
		   ? (x->pos.line < y->pos.line ? -1 : 1)
		   : (x->pos.col < y->pos.col ? -1 : x->pos.col > y->pos.col);
}

/* Repeated keys of MAP (sorted, not pairwise: `nodes:` may have thousands). */
static bool check_duplicates(struct loader *L, const struct ynode *map, const char *where)
{
	size_t n = ymap_len(map), k = 0;
	const struct ynode **keys = malloc((n + 1) * sizeof(*keys));
	if (!keys)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ymap_key(map, i)->type == Y_SCALAR)
			keys[k++] = ymap_key(map, i);
	qsort(keys, k, sizeof(*keys), key_cmp);
	bool ok = true;
	for (size_t i = 1, first = 0; i < k; i++) {
		if (strcmp(keys[i]->str, keys[first]->str)) {
			first = i;
			continue;
		}
		topo_diag_add(L->diag, keys[i]->pos, "duplicate key \"%s\" in %s (first at %u:%u)",
			      keys[i]->str, where, keys[first]->pos.line, keys[first]->pos.col);
		ok = false;
	}
	free(keys);
	return ok;
}

/* Report unknown and repeated keys of MAP; false if any key is unusable. */
static bool check_keys(struct loader *L, const struct ynode *map, const char *where,
		       const char *const *allowed, size_t nallowed)
{
	bool ok = check_duplicates(L, map, where);
	for (size_t i = 0; i < ymap_len(map); i++) {
		const struct ynode *k = ymap_key(map, i);
		if (k->type != Y_SCALAR) {
			topo_diag_add(L->diag, k->pos, "keys of %s must be scalars", where);
			ok = false;
			continue;
		}
		if (!allowed)
			continue;
		bool known = false;
		for (size_t j = 0; j < nallowed && !known; j++)
			known = !strcmp(k->str, allowed[j]);
		if (known)
			continue;
		const char *hint = topo_did_you_mean(k->str, allowed, nallowed);
		if (hint)
			topo_diag_add(L->diag, k->pos,
				      "unknown key \"%s\" in %s (did you mean \"%s\"?)", k->str,
				      where, hint);
		else
			topo_diag_add(L->diag, k->pos, "unknown key \"%s\" in %s", k->str, where);
		ok = false;
	}
	return ok;
}

static const struct ynode *map_get(const struct ynode *map, const char *key)
{
	if (!map || map->type != Y_MAP)
		return NULL;
	for (size_t i = 0; i < ymap_len(map); i++) {
		const struct ynode *k = ymap_key(map, i);
		if (k->type == Y_SCALAR && !strcmp(k->str, key))
			return ymap_val(map, i);
	}
	return NULL;
}

static bool get_uint(struct loader *L, const struct ynode *n, unsigned long min, unsigned long max,
		     const char *what, unsigned *out)
{
	if (!want(L, n, Y_SCALAR, what))
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(n->str, &end, 10);
	if (errno || *end || end == n->str || n->str[0] == '-' || v < min || v > max) {
		topo_diag_add(L->diag, n->pos, "%s must be an integer from %lu to %lu, not \"%s\"",
			      what, min, max, n->str);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

static bool get_bool(struct loader *L, const struct ynode *n, const char *what, bool *out)
{
	if (!want(L, n, Y_SCALAR, what))
		return false;
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(n->str, yes[i]))
			return *out = true, true;
		if (!strcasecmp(n->str, no[i]))
			return *out = false, true;
	}
	topo_diag_add(L->diag, n->pos, "%s must be true or false, not \"%s\"", what, n->str);
	return false;
}

/* An interface name as the kernel takes it: 1..15 bytes, no '/', ':' or space. */
static bool ifname_ok(struct loader *L, struct topo_pos pos, const char *name, const char *what)
{
	size_t len = strlen(name);
	if (!len || len >= TOPO_IFNAMSIZ) {
		topo_diag_add(L->diag, pos,
			      "%s \"%s\" is %zu bytes long: interface names are 1 to 15 bytes",
			      what, name, len);
		return false;
	}
	if (!strcmp(name, ".") || !strcmp(name, "..") || strpbrk(name, "/: \t\n\r\v\f")) {
		topo_diag_add(L->diag, pos, "%s \"%s\" is not a valid interface name", what, name);
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			topo_diag_add(L->diag, pos, "%s has a control character in its name", what);
			return false;
		}
	return true;
}

/* ---- value parsers ---------------------------------------------------- */

int topo_parse_cidr(const char *s, bool need_plen, struct topo_addr *out)
{
	char buf[64];
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	snprintf(out->text, sizeof(out->text), "%s", s);
	snprintf(buf, sizeof(buf), "%s", s);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	else if (need_plen)
		return -EINVAL;
	if (inet_pton(AF_INET, buf, out->bytes) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, out->bytes) == 1)
		out->family = AF_INET6;
	else
		return -EINVAL;
	unsigned max = out->family == AF_INET ? 32 : 128;
	out->plen = (uint8_t)max;
	if (slash) {
		char *end;
		unsigned long plen = strtoul(slash, &end, 10);
		if (!*slash || *end || plen > max || *slash == '-' || *slash == '+')
			return -EINVAL;
		out->plen = (uint8_t)plen;
	}
	return 0;
}

/* A number with a unit from TABLE; a bare number takes the unit BARE. */
struct unit {
	const char *name;
	double scale;
};

static int parse_with_unit(const char *s, const struct unit *table, size_t n, double bare,
			   double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0 || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	if (!*end) {
		*out = v * bare;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(end, table[i].name)) {
			*out = v * table[i].scale;
			return 0;
		}
	return -EINVAL;
}

int topo_parse_rate(const char *s, uint64_t *bps)
{
	/* tc's units: "bit" suffixes are bits, "bps" suffixes are bytes. */
	static const struct unit units[] = {
	    {"bit", 1},	    {"kbit", 1e3},    {"mbit", 1e6},	   {"gbit", 1e9},
	    {"tbit", 1e12}, {"bps", 8},	      {"kbps", 8e3},	   {"mbps", 8e6},
	    {"gbps", 8e9},  {"kibit", 1024.}, {"mibit", 1048576.}, {"gibit", 1073741824.},
	};
	double v;
	if (parse_with_unit(s, units, ARRAY_SIZE(units), 1, &v) < 0 || v < 8 || v > 1e13)
		return -EINVAL;
	*bps = (uint64_t)v;
	return 0;
}

int topo_parse_time_us(const char *s, uint32_t *us)
{
	static const struct unit units[] = {{"us", 1},	   {"usec", 1}, {"ms", 1e3},
					    {"msec", 1e3}, {"s", 1e6},	{"sec", 1e6}};
	double v;
	/* A bare number is ambiguous (tc reads microseconds); only 0 may omit it. */
	if (parse_with_unit(s, units, ARRAY_SIZE(units), 0, &v) < 0 || v > 4e9)
		return -EINVAL;
	if (v == 0 && strtod(s, NULL) != 0)
		return -EINVAL;
	*us = (uint32_t)v;
	return 0;
}

int topo_parse_percent(const char *s, double *pct)
{
	static const struct unit units[] = {{"%", 1}};
	double v;
	if (parse_with_unit(s, units, ARRAY_SIZE(units), 1, &v) < 0 || v > 100)
		return -EINVAL;
	*pct = v;
	return 0;
}

/* ---- pieces of the model ---------------------------------------------- */

static void *grow(void *v, size_t n, size_t size)
{
	/* Arrays grow by powers of two; N is the count before appending. */
	if (n & (n - 1) && n)
		return v;
	size_t cap = n ? n * 2 : 1;
	return realloc(v, cap * size);
}

/*
 * Aliases let a small file describe a huge model (every node pointing at one
 * big mapping): every item appended to the model is counted, and loading
 * stops, with one message, past a bound no real lab comes near.
 */
#define TOPO_ITEMS_MAX (1u << 20)

static bool budget_ok(struct loader *L, size_t n)
{
	L->items += n;
	if (L->items <= TOPO_ITEMS_MAX)
		return true;
	if (!L->too_big)
		topo_diag_add(L->diag, (struct topo_pos){1, 1},
			      "the topology is too large: more than %u nodes, interfaces, "
			      "addresses, routes, links and program arguments in all",
			      TOPO_ITEMS_MAX);
	L->too_big = true;
	return false;
}

#define APPEND(L, arr, count)                                                                      \
	({                                                                                         \
		void *g_ = budget_ok((L), 1) ? grow((arr), (count), sizeof(*(arr))) : NULL;        \
		__typeof__(arr) slot_ = NULL;                                                      \
		if (g_) {                                                                          \
			(arr) = g_;                                                                \
			slot_ = &(arr)[(count)++];                                                 \
			memset(slot_, 0, sizeof(*slot_));                                          \
		}                                                                                  \
		slot_;                                                                             \
	})

static void load_addr(struct loader *L, const struct ynode *v, struct topo_iface *ifc,
		      const char *what)
{
	if (!want(L, v, Y_SCALAR, what))
		return;
	struct topo_addr a;
	if (topo_parse_cidr(v->str, true, &a) < 0) {
		topo_diag_add(L->diag, v->pos,
			      "%s \"%s\" is not a CIDR (an IPv4 or IPv6 address with /PREFIXLEN)",
			      what, v->str);
		return;
	}
	a.pos = v->pos;
	struct topo_addr *slot = APPEND(L, ifc->addrs, ifc->naddrs);
	if (slot)
		*slot = a;
}

static void load_addrs(struct loader *L, const struct ynode *v, struct topo_iface *ifc)
{
	if (ynode_is_null(v))
		return;
	if (v->type != Y_SEQ) {
		load_addr(L, v, ifc, "address");
		return;
	}
	for (size_t i = 0; i < v->n && !L->too_big; i++)
		load_addr(L, v->kids[i], ifc, "address");
}

static void load_opt_addr(struct loader *L, const struct ynode *v, struct topo_addr *out,
			  const char *what)
{
	if (!v || !want(L, v, Y_SCALAR, what))
		return;
	if (topo_parse_cidr(v->str, false, out) < 0 ||
	    out->plen != (out->family == AF_INET ? 32 : 128))
		topo_diag_add(L->diag, v->pos, "%s \"%s\" is not an IP address", what, v->str);
	out->pos = v->pos;
}

static const struct {
	const char *name;
	enum topo_iface_kind kind;
} iface_kinds[] = {
    {"veth", TOPO_IF_VETH},
    {"vlan", TOPO_IF_VLAN},
    {"macvlan", TOPO_IF_MACVLAN},
    {"vxlan", TOPO_IF_VXLAN},
};

static const struct {
	const char *name;
	unsigned mode; /* enum macvlan_mode */
} macvlan_modes[] = {{"private", 1}, {"vepa", 2}, {"bridge", 4}, {"passthru", 8}};

static void load_iface_kind(struct loader *L, const struct ynode *v, struct topo_iface *ifc)
{
	if (!v || !want(L, v, Y_SCALAR, "interface type"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(iface_kinds); i++)
		if (!strcmp(v->str, iface_kinds[i].name)) {
			ifc->kind = iface_kinds[i].kind;
			return;
		}
	topo_diag_add(L->diag, v->pos, "unknown interface type \"%s\" (veth, vlan, macvlan, vxlan)",
		      v->str);
}

static void load_macvlan_mode(struct loader *L, const struct ynode *v, struct topo_iface *ifc)
{
	ifc->macvlan_mode = 4; /* bridge: macvlans on one parent talk to each other */
	if (!v || !want(L, v, Y_SCALAR, "macvlan mode"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(macvlan_modes); i++)
		if (!strcmp(v->str, macvlan_modes[i].name)) {
			ifc->macvlan_mode = macvlan_modes[i].mode;
			return;
		}
	topo_diag_add(L->diag, v->pos,
		      "unknown macvlan mode \"%s\" (private, vepa, bridge, passthru)", v->str);
}

static void load_iface_map(struct loader *L, const struct ynode *v, struct topo_iface *ifc)
{
	check_keys(L, v, "an interface",
		   KEYS("addresses", "type", "parent", "id", "mode", "vni", "remote", "local",
			"port", "mtu"));
	load_addrs(L, map_get(v, "addresses"), ifc);
	load_iface_kind(L, map_get(v, "type"), ifc);
	const struct ynode *p = map_get(v, "parent");
	if (p && want(L, p, Y_SCALAR, "parent") && ifname_ok(L, p->pos, p->str, "parent")) {
		snprintf(ifc->parent, sizeof(ifc->parent), "%s", p->str);
		ifc->parent_pos = p->pos;
	}
	const struct ynode *x;
	if ((x = map_get(v, "id")))
		get_uint(L, x, 1, 4094, "vlan id", &ifc->vlan_id);
	if ((x = map_get(v, "vni")))
		get_uint(L, x, 0, 16777215, "vxlan vni", &ifc->vni);
	if ((x = map_get(v, "port")))
		get_uint(L, x, 1, 65535, "vxlan port", &ifc->vxlan_port);
	if ((x = map_get(v, "mtu")))
		get_uint(L, x, 68, 65535, "mtu", &ifc->mtu);
	load_opt_addr(L, map_get(v, "remote"), &ifc->remote, "vxlan remote");
	load_opt_addr(L, map_get(v, "local"), &ifc->local, "vxlan local");
	if (ifc->kind == TOPO_IF_MACVLAN)
		load_macvlan_mode(L, map_get(v, "mode"), ifc);
	else if ((x = map_get(v, "mode")))
		topo_diag_add(L->diag, x->pos, "mode applies to macvlan interfaces only");
	if (!ifc->vxlan_port)
		ifc->vxlan_port = 4789;
}

static void load_interfaces(struct loader *L, const struct ynode *v, struct topo_node *n)
{
	if (ynode_is_null(v) || !want(L, v, Y_MAP, "interfaces"))
		return;
	check_keys(L, v, "interfaces", NULL, 0);
	for (size_t i = 0; i < ymap_len(v) && !L->too_big; i++) {
		const struct ynode *k = ymap_key(v, i), *val = ymap_val(v, i);
		if (k->type != Y_SCALAR || !ifname_ok(L, k->pos, k->str, "interface"))
			continue;
		struct topo_iface *ifc = APPEND(L, n->ifaces, n->nifaces);
		if (!ifc)
			return;
		snprintf(ifc->name, sizeof(ifc->name), "%s", k->str);
		topo_index_iface(n, n->nifaces - 1);
		ifc->pos = k->pos;
		ifc->link = -1;
		ifc->kind = TOPO_IF_VETH;
		if (val && val->type == Y_MAP)
			load_iface_map(L, val, ifc);
		else
			load_addrs(L, val, ifc);
	}
}

static void load_route(struct loader *L, const struct ynode *k, const struct ynode *v,
		       struct topo_node *n)
{
	struct topo_route rt = {.pos = k->pos};
	if (!strcmp(k->str, "default")) {
		rt.is_default = true;
	} else if (topo_parse_cidr(k->str, false, &rt.dst) < 0) {
		topo_diag_add(L->diag, k->pos,
			      "route destination \"%s\" is not \"default\" or a CIDR", k->str);
		return;
	}
	if (!want(L, v, Y_SCALAR, "route gateway"))
		return;
	if (!strncmp(v->str, "dev ", 4)) {
		const char *dev = v->str + 4;
		while (*dev == ' ')
			dev++;
		if (!ifname_ok(L, v->pos, dev, "route device"))
			return;
		snprintf(rt.dev, sizeof(rt.dev), "%s", dev);
	} else if (topo_parse_cidr(v->str, false, &rt.gw) < 0 ||
		   rt.gw.plen != (rt.gw.family == AF_INET ? 32 : 128)) {
		topo_diag_add(L->diag, v->pos,
			      "route gateway \"%s\" is not an IP address or \"dev IFNAME\"",
			      v->str);
		return;
	} else {
		rt.has_gw = true;
		rt.gw.pos = v->pos;
	}
	if (rt.is_default)
		rt.dst.family = rt.has_gw ? rt.gw.family : AF_INET;
	else if (rt.has_gw && rt.gw.family != rt.dst.family) {
		topo_diag_add(L->diag, v->pos, "gateway %s is not in the family of %s", v->str,
			      k->str);
		return;
	}
	struct topo_route *slot = APPEND(L, n->routes, n->nroutes);
	if (slot)
		*slot = rt;
}

static void load_routes(struct loader *L, const struct ynode *v, struct topo_node *n)
{
	if (ynode_is_null(v) || !want(L, v, Y_MAP, "routes"))
		return;
	check_keys(L, v, "routes", NULL, 0);
	for (size_t i = 0; i < ymap_len(v) && !L->too_big; i++)
		if (ymap_key(v, i)->type == Y_SCALAR)
			load_route(L, ymap_key(v, i), ymap_val(v, i), n);
}

/*
 * Only net.* sysctls are per network namespace; anything else written from
 * inside a namespace would change the host, so it is refused.
 */
static bool sysctl_key_ok(const char *key)
{
	if (strncmp(key, "net.", 4) || strstr(key, "..") || key[strlen(key) - 1] == '.')
		return false;
	for (const char *p = key; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && !strchr("._-", *p))
			return false;
	return true;
}

static void set_sysctl(struct loader *L, struct topo_node *n, struct topo_pos pos, const char *key,
		       const char *val)
{
	for (size_t i = 0; i < n->nsysctls; i++)
		if (!strcmp(n->sysctls[i].key, key)) { /* the node overrides defaults */
			char *dup = strdup(val);
			if (dup) {
				free(n->sysctls[i].value);
				n->sysctls[i].value = dup;
				n->sysctls[i].pos = pos;
			}
			return;
		}
	struct topo_sysctl *s = APPEND(L, n->sysctls, n->nsysctls);
	if (!s)
		return;
	s->pos = pos;
	s->key = strdup(key);
	s->value = strdup(val);
	if (!s->key || !s->value) {
		free(s->key);
		free(s->value);
		n->nsysctls--;
	}
}

static void load_sysctls(struct loader *L, const struct ynode *v, struct topo_node *n)
{
	if (ynode_is_null(v) || !want(L, v, Y_MAP, "sysctl"))
		return;
	check_keys(L, v, "sysctl", NULL, 0);
	for (size_t i = 0; i < ymap_len(v) && !L->too_big; i++) {
		const struct ynode *k = ymap_key(v, i), *val = ymap_val(v, i);
		if (k->type != Y_SCALAR)
			continue;
		if (!sysctl_key_ok(k->str)) {
			topo_diag_add(L->diag, k->pos,
				      "sysctl \"%s\" is not a per-namespace net.* setting", k->str);
			continue;
		}
		if (!want(L, val, Y_SCALAR, "sysctl value"))
			continue;
		if (strchr(val->str, '\n')) {
			topo_diag_add(L->diag, val->pos, "sysctl value must be one line");
			continue;
		}
		set_sysctl(L, n, val->pos, k->str, val->str);
	}
}

static void load_cmd(struct loader *L, const struct ynode *v, struct topo_cmd *c)
{
	c->pos = v->pos;
	if (v->type == Y_SCALAR && !ynode_is_null(v)) {
		c->shell = true;
		c->argc = 1;
		c->argv = calloc(2, sizeof(char *));
		if (c->argv && !(c->argv[0] = strdup(v->str)))
			c->argc = 0;
		return;
	}
	if (v->type != Y_SEQ || !v->n) {
		topo_diag_add(L->diag, v->pos,
			      "a program is a command line or a non-empty list of arguments");
		return;
	}
	if (!budget_ok(L, v->n))
		return;
	c->argv = calloc(v->n + 1, sizeof(char *));
	for (size_t i = 0; c->argv && i < v->n; i++) {
		const struct ynode *a = v->kids[i];
		if (a->type != Y_SCALAR) {
			topo_diag_add(L->diag, a->pos, "program arguments must be scalars");
			return;
		}
		if (!(c->argv[c->argc] = strdup(a->str)))
			return;
		c->argc++;
	}
}

static void load_cmds(struct loader *L, const struct ynode *v, struct topo_cmd **out, size_t *n,
		      const char *what)
{
	if (ynode_is_null(v) || !want(L, v, Y_SEQ, what))
		return;
	for (size_t i = 0; i < v->n && !L->too_big; i++) {
		struct topo_cmd *c = APPEND(L, *out, *n);
		if (c)
			load_cmd(L, v->kids[i], c);
	}
}

static struct topo_node *add_node(struct loader *L, const struct ynode *k, enum topo_node_kind kind)
{
	struct topo *t = L->t;
	struct topo_node *n = APPEND(L, t->nodes, t->nnodes);
	if (!n)
		return NULL;
	n->name = strdup(k->str);
	n->pos = k->pos;
	n->kind = kind;
	n->ipv6_ll = L->def_ipv6_ll;
	if (!n->name || topo_index_node(t, t->nnodes - 1) < 0) {
		free(n->name);
		t->nnodes--;
		return NULL;
	}
	return n;
}

static void load_node(struct loader *L, const struct ynode *k, const struct ynode *v)
{
	struct topo_node *n = add_node(L, k, TOPO_HOST);
	if (!n)
		return;
	load_sysctls(L, L->def_sysctl, n);
	if (ynode_is_null(v))
		return;
	if (!want(L, v, Y_MAP, "a node"))
		return;
	check_keys(L, v, "a node",
		   KEYS("interfaces", "routes", "sysctl", "run", "exec", "ipv6_linklocal"));
	load_interfaces(L, map_get(v, "interfaces"), n);
	load_routes(L, map_get(v, "routes"), n);
	load_sysctls(L, map_get(v, "sysctl"), n);
	load_cmds(L, map_get(v, "run"), &n->run, &n->nrun, "run");
	load_cmds(L, map_get(v, "exec"), &n->exec, &n->nexec, "exec");
	const struct ynode *x = map_get(v, "ipv6_linklocal");
	if (x)
		get_bool(L, x, "ipv6_linklocal", &n->ipv6_ll);
}

static void load_bridge(struct loader *L, const struct ynode *k, const struct ynode *v)
{
	struct topo_node *n = add_node(L, k, TOPO_BRIDGE);
	if (!n)
		return;
	static const char *const no_keys[] = {""};
	if (!ynode_is_null(v) && want(L, v, Y_MAP, "a bridge"))
		check_keys(L, v, "a bridge", no_keys, 0);
	/* The bridge device carries the bridge's name inside its namespace. */
	struct topo_iface *br = APPEND(L, n->ifaces, n->nifaces);
	if (!br)
		return;
	snprintf(br->name, sizeof(br->name), "%s",
		 ifname_ok(L, k->pos, k->str, "bridge") ? k->str : "br");
	topo_index_iface(n, 0);
	br->pos = k->pos;
	br->kind = TOPO_IF_BRIDGE;
	br->link = -1;
}

static void load_named(struct loader *L, const struct ynode *v, const char *what,
		       void (*one)(struct loader *, const struct ynode *, const struct ynode *))
{
	if (ynode_is_null(v) || !want(L, v, Y_MAP, what))
		return;
	check_keys(L, v, what, NULL, 0);
	for (size_t i = 0; i < ymap_len(v) && !L->too_big; i++) {
		const struct ynode *k = ymap_key(v, i);
		if (k->type != Y_SCALAR)
			continue;
		if (k->len > NAME_MAX) {
			topo_diag_add(
			    L->diag, k->pos,
			    "name in %s is %zu bytes long: namespace names are at most %d", what,
			    k->len, NAME_MAX);
			continue;
		}
		if (!nns_name_valid(k->str) || strchr(k->str, ':')) {
			topo_diag_add(L->diag, k->pos, "invalid name \"%s\" in %s", k->str, what);
			continue;
		}
		int other = topo_find_node(L->t, k->str);
		if (other >= 0) {
			/* Repeats inside one mapping were reported by check_keys. */
			if (L->t->nodes[other].kind == TOPO_HOST && one == load_bridge)
				topo_diag_add(L->diag, k->pos,
					      "bridge \"%s\" has the name of a node (at %u:%u)",
					      k->str, L->t->nodes[other].pos.line,
					      L->t->nodes[other].pos.col);
			continue;
		}
		one(L, k, ymap_val(v, i));
	}
}

static void load_endpoint(struct loader *L, const struct ynode *v, struct topo_endpoint *e)
{
	e->pos = v->pos;
	e->node = e->iface = -1;
	if (!want(L, v, Y_SCALAR, "a link endpoint"))
		return;
	const char *colon = strchr(v->str, ':');
	size_t nlen = colon ? (size_t)(colon - v->str) : v->len;
	e->node_name = strndup(v->str, nlen);
	if (colon && ifname_ok(L, v->pos, colon + 1, "interface"))
		snprintf(e->ifname, sizeof(e->ifname), "%s", colon + 1);
	else if (colon)
		e->node = -2; /* reported already */
}

static void load_netem(struct loader *L, const struct ynode *v, struct topo_netem *ne)
{
	if (!want(L, v, Y_MAP, "netem"))
		return;
	check_keys(L, v, "netem",
		   KEYS("delay", "jitter", "loss", "duplicate", "reorder", "corrupt", "limit"));
	memset(ne, 0, sizeof(*ne));
	ne->set = true;
	ne->pos = v->pos;
	static const char *const times[] = {"delay", "jitter"};
	uint32_t *tdst[] = {&ne->delay_us, &ne->jitter_us};
	for (size_t i = 0; i < 2; i++) {
		const struct ynode *x = map_get(v, times[i]);
		if (x && want(L, x, Y_SCALAR, times[i]) && topo_parse_time_us(x->str, tdst[i]) < 0)
			topo_diag_add(L->diag, x->pos,
				      "netem %s \"%s\" is not a time (for example 20ms, 500us, 1s)",
				      times[i], x->str);
	}
	static const char *const pcts[] = {"loss", "duplicate", "reorder", "corrupt"};
	double *pdst[] = {&ne->loss, &ne->duplicate, &ne->reorder, &ne->corrupt};
	for (size_t i = 0; i < 4; i++) {
		const struct ynode *x = map_get(v, pcts[i]);
		if (x && want(L, x, Y_SCALAR, pcts[i]) && topo_parse_percent(x->str, pdst[i]) < 0)
			topo_diag_add(L->diag, x->pos,
				      "netem %s \"%s\" is not a percentage from 0%% to 100%%",
				      pcts[i], x->str);
	}
	const struct ynode *x = map_get(v, "limit");
	if (x)
		get_uint(L, x, 1, 1u << 30, "netem limit", &ne->limit);
}

static void load_rate(struct loader *L, const struct ynode *v, struct topo_link *l)
{
	if (!want(L, v, Y_SCALAR, "rate"))
		return;
	l->rate_pos = v->pos;
	if (topo_parse_rate(v->str, &l->rate_bps) < 0)
		topo_diag_add(L->diag, v->pos,
			      "rate \"%s\" is not a rate (for example 100mbit, 1gbit, 500kbit)",
			      v->str);
}

static void load_link_options(struct loader *L, const struct ynode *v, struct topo_link *l)
{
	const struct ynode *rate = map_get(v, "rate") ?: L->def_rate;
	const struct ynode *mtu = map_get(v, "mtu") ?: L->def_mtu;
	const struct ynode *netem = map_get(v, "netem") ?: L->def_netem;
	if (rate && !ynode_is_null(rate))
		load_rate(L, rate, l);
	if (mtu && !ynode_is_null(mtu))
		get_uint(L, mtu, 68, 65535, "mtu", &l->mtu);
	if (netem && !ynode_is_null(netem))
		load_netem(L, netem, &l->netem);
}

static void load_link(struct loader *L, const struct ynode *v)
{
	struct topo *t = L->t;
	struct topo_link *l = APPEND(L, t->links, t->nlinks);
	if (!l)
		return;
	l->pos = v->pos;
	l->end[0].node = l->end[1].node = -2;
	const struct ynode *ends = v;
	if (v->type == Y_MAP) {
		check_keys(L, v, "a link", KEYS("endpoints", "rate", "mtu", "netem"));
		ends = map_get(v, "endpoints");
		if (!ends) {
			topo_diag_add(L->diag, v->pos,
				      "a link needs endpoints: [NODE:IF, NODE:IF]");
			return;
		}
	}
	load_link_options(L, v->type == Y_MAP ? v : NULL, l);
	if (!want(L, ends, Y_SEQ, "a link"))
		return;
	if (ends->n != 2) {
		topo_diag_add(L->diag, ends->pos, "a link has exactly 2 endpoints, not %zu",
			      ends->n);
		return;
	}
	load_endpoint(L, ends->kids[0], &l->end[0]);
	load_endpoint(L, ends->kids[1], &l->end[1]);
}

static void load_links(struct loader *L, const struct ynode *v)
{
	if (ynode_is_null(v) || !want(L, v, Y_SEQ, "links"))
		return;
	for (size_t i = 0; i < v->n && !L->too_big; i++)
		load_link(L, v->kids[i]);
}

static void load_defaults(struct loader *L, const struct ynode *v)
{
	if (ynode_is_null(v) || !want(L, v, Y_MAP, "defaults"))
		return;
	check_keys(L, v, "defaults", KEYS("sysctl", "mtu", "rate", "netem", "ipv6_linklocal"));
	L->def_sysctl = map_get(v, "sysctl");
	L->def_mtu = map_get(v, "mtu");
	L->def_rate = map_get(v, "rate");
	L->def_netem = map_get(v, "netem");
	const struct ynode *x = map_get(v, "ipv6_linklocal");
	if (x)
		get_bool(L, x, "ipv6_linklocal", &L->def_ipv6_ll);
}

/* expect: {unreachable: [[a, b], ...]}, names resolved by validation. */
static void load_expect(struct loader *L, const struct ynode *v, const struct ynode **pairs)
{
	if (ynode_is_null(v) || !want(L, v, Y_MAP, "expect"))
		return;
	check_keys(L, v, "expect", KEYS("unreachable"));
	const struct ynode *u = map_get(v, "unreachable");
	if (u && !ynode_is_null(u) && want(L, u, Y_SEQ, "unreachable"))
		*pairs = u;
}

static void load_name(struct loader *L, const struct ynode *v)
{
	if (!v) {
		topo_diag_add(L->diag, (struct topo_pos){1, 1},
			      "missing key \"name\" (the lab's name)");
		return;
	}
	if (!want(L, v, Y_SCALAR, "name"))
		return;
	L->t->name_pos = v->pos;
	if (!nns_name_valid(v->str) || strchr(v->str, ' ')) {
		topo_diag_add(L->diag, v->pos, "invalid lab name \"%s\"", v->str);
		return;
	}
	L->t->name = strdup(v->str);
}

struct expect_src {
	const struct ynode *pairs;
};

static void load_top(struct loader *L, const struct ynode *root, struct expect_src *ex)
{
	check_keys(L, root, "the topology",
		   KEYS("name", "nodes", "bridges", "links", "defaults", "expect"));
	load_defaults(L, map_get(root, "defaults"));
	load_name(L, map_get(root, "name"));
	load_named(L, map_get(root, "nodes"), "nodes", load_node);
	load_named(L, map_get(root, "bridges"), "bridges", load_bridge);
	load_links(L, map_get(root, "links"));
	load_expect(L, map_get(root, "expect"), &ex->pairs);
	if (!map_get(root, "nodes") && !map_get(root, "bridges"))
		topo_diag_add(L->diag, root->pos, "no nodes: a topology needs \"nodes:\"");
}

/* After nodes and bridges are known: [a, b] names become indices. */
static void load_pairs(struct loader *L, const struct ynode *u)
{
	for (size_t i = 0; u && i < u->n && !L->too_big; i++) {
		const struct ynode *p = u->kids[i];
		if (p->type != Y_SEQ || p->n != 2 || p->kids[0]->type != Y_SCALAR ||
		    p->kids[1]->type != Y_SCALAR) {
			topo_diag_add(L->diag, p->pos, "an unreachable pair is [NODE, NODE]");
			continue;
		}
		struct topo_pair *pr = APPEND(L, L->t->unreachable, L->t->nunreachable);
		if (!pr)
			return;
		pr->pos = p->pos;
		pr->a = topo_find_node(L->t, p->kids[0]->str);
		pr->b = topo_find_node(L->t, p->kids[1]->str);
		if (pr->a < 0)
			topo_diag_add(L->diag, p->kids[0]->pos, "unknown node \"%s\"",
				      p->kids[0]->str);
		if (pr->b < 0)
			topo_diag_add(L->diag, p->kids[1]->pos, "unknown node \"%s\"",
				      p->kids[1]->str);
	}
}

/* The lab's name from a file with a syntax error further down, so that
 * `down FILE` still finds the lab (nothing else is trusted). */
static void salvage_name(struct topo *t, const struct ynode *root)
{
	const struct ynode *v = map_get(root, "name");
	if (v && v->type == Y_SCALAR && nns_name_valid(v->str) && v->str[0] != '-')
		t->name = strdup(v->str);
}

int topo_load_text(const char *file, const char *text, size_t len, struct topo *t,
		   struct topo_diag *diag)
{
	memset(t, 0, sizeof(*t));
	diag->file = file;
	t->file = strdup(file);
	t->text = malloc(len + 1);
	if (!t->file || !t->text)
		return -ENOMEM;
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	t->textlen = len;
	struct ydoc doc;
	int r = ydoc_parse(&doc, text, len, diag);
	if (r == 0 && !doc.root)
		topo_diag_add(
		    diag, (struct topo_pos){1, 1},
		    "empty file: a topology is a YAML mapping with name:, nodes: and links:");
	else if (r == 0 && doc.root->type != Y_MAP)
		topo_diag_add(diag, doc.root->pos,
			      "not a topology: expected a YAML mapping with name:, nodes: and "
			      "links:, found %s",
			      type_name(doc.root));
	else if (r == -EINVAL && doc.root && doc.root->type == Y_MAP)
		salvage_name(t, doc.root);
	else if (r == 0) {
		struct loader L = {.t = t, .diag = diag};
		struct expect_src ex = {NULL};
		load_top(&L, doc.root, &ex);
		load_pairs(&L, ex.pairs);
		if (L.too_big)
			r = -E2BIG;
	}
	ydoc_free(&doc);
	if (r == -ENOMEM || r == -E2BIG)
		return r;
	return diag->n || diag->dropped ? -EINVAL : 0;
}

int topo_load(const char *path, struct topo *t, struct topo_diag *diag, struct nns_err *err)
{
	memset(t, 0, sizeof(*t));
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return err_sys(err, errno, "cannot open topology file \"%s\"", path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return err_sys(err, errno, "cannot read topology file \"%s\"", path);
	if (S_ISDIR(st.st_mode))
		return err_msg(err, EISDIR, "\"%s\" is a directory, not a topology file", path);
	autofree char *buf = NULL;
	size_t len = 0;
	int r = lab_read_fd(fd, TOPO_FILE_MAX, &buf, &len);
	if (r == -EFBIG)
		return err_msg(err, EFBIG, "topology file \"%s\" is larger than %u MiB", path,
			       TOPO_FILE_MAX >> 20);
	if (r < 0)
		return err_sys(err, -r, "cannot read topology file \"%s\"", path);
	r = topo_load_text(path, buf, len, t, diag);
	if (r == -ENOMEM)
		return err_sys(err, ENOMEM, "loading \"%s\"", path);
	return r;
}
