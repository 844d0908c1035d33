/* macvlans over a parent link, in bridge/private/vepa/passthru mode. */
#include <errno.h>
#include <linux/if_link.h>
#include <string.h>

#include "../nl/nl.h"
#include "../util/err.h"
#include "link.h"

static const struct {
	const char *name;
	uint32_t kernel;
} modes[] = {
    [NET_MACVLAN_BRIDGE] = {"bridge", MACVLAN_MODE_BRIDGE},
    [NET_MACVLAN_PRIVATE] = {"private", MACVLAN_MODE_PRIVATE},
    [NET_MACVLAN_VEPA] = {"vepa", MACVLAN_MODE_VEPA},
    [NET_MACVLAN_PASSTHRU] = {"passthru", MACVLAN_MODE_PASSTHRU},
};

int net_macvlan_mode_parse(const char *text, enum net_macvlan_mode *out, struct nns_err *err)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(text, modes[i].name)) {
			*out = (enum net_macvlan_mode)i;
			return 0;
		}
	}
	return err_msg(err, EINVAL,
		       "unknown macvlan mode \"%s\" (bridge, private, vepa or passthru)", text);
}

int net_macvlan_add(struct nl_sock *s, const struct net_macvlan *m, struct nns_err *err)
{
	int r = link_check(&m->link, "macvlan", err);
	if (r < 0)
		return r;
	if (m->parent <= 0)
		return err_msg(err, EINVAL, "%s: a macvlan needs a parent link", m->link.name);
	if ((unsigned)m->mode >= sizeof(modes) / sizeof(modes[0]))
		return err_msg(err, EINVAL, "%s: bad macvlan mode %d", m->link.name, m->mode);
	struct nlattr *info;
	struct nlmsghdr *h = link_begin(s, &m->link, "macvlan", NULL, &info);
	struct nlattr *data = nl_nest_start(h, IFLA_INFO_DATA);
	nl_put_u32(h, IFLA_MACVLAN_MODE, modes[m->mode].kernel);
	nl_nest_end(h, data);
	nl_nest_end(h, info);
	nl_put_u32(h, IFLA_LINK, (uint32_t)m->parent);
	link_finish(s, &m->link);
	return 0;
}
