/* Kernel refusals that mean "this kernel lacks a feature", said in words. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net.h"

static const struct {
	const char *label; /* in the failed request's label */
	int errnum;
	const char *words;
	const char *ext; /* the kernel's extack must contain this, if set */
} missing[] = {
    {"adding netem qdisc", ENOENT,
     "kernel has no netem qdisc (sch_netem): delay/loss impairments unavailable; rate "
     "limits still work via tbf",
     NULL},
    {"replacing netem qdisc", ENOENT,
     "kernel has no netem qdisc (sch_netem): delay/loss impairments unavailable; rate "
     "limits still work via tbf",
     NULL},
    {"adding tbf qdisc", ENOENT, "kernel has no tbf qdisc (sch_tbf): rate limits unavailable",
     NULL},
    {"(vlan_filtering)", EOPNOTSUPP,
     "kernel bridge has no vlan filtering (CONFIG_BRIDGE_VLAN_FILTERING)", NULL},
    {"creating vlan ", EOPNOTSUPP, "kernel has no vlan link type (8021q): 802.1Q unavailable",
     "Unknown device type"},
    {"creating dummy ", EOPNOTSUPP, "kernel has no dummy link type (dummy)", "Unknown device type"},
    {"creating macvlan ", EOPNOTSUPP, "kernel has no macvlan link type (macvlan)",
     "Unknown device type"},
    {"creating vxlan ", EOPNOTSUPP, "kernel has no vxlan link type (vxlan)", "Unknown device type"},
    {"creating bridge ", EOPNOTSUPP, "kernel has no bridge link type (bridge)",
     "Unknown device type"},
    {"creating veth ", EOPNOTSUPP, "kernel has no veth link type (veth)", "Unknown device type"},
};

/* ERR's message is "LABEL: strerror (extack)", possibly behind prefixes. */
int net_explain(struct nns_err *err)
{
	if (!err || !err->code)
		return err ? err->code : 0;
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		char *at = strstr(err->msg, missing[i].label);
		if (!at || -err->code != missing[i].errnum ||
		    (missing[i].ext && !strstr(err->ext, missing[i].ext)))
			continue;
		char *reason = strstr(at, ": ");
		if (!reason)
			continue;
		snprintf(reason, sizeof(err->msg) - (size_t)(reason - err->msg), ": %s",
			 missing[i].words);
		break;
	}
	return err->code;
}
