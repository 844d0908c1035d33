/* Kernel refusals that mean "this kernel lacks a feature", said in words. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net.h"

static const struct {
	const char *label; /* how the failed request's label starts */
	int errnum;
	const char *words;
} missing[] = {
	{ "adding netem qdisc", ENOENT,
	  "kernel has no netem qdisc (sch_netem): delay/loss impairments unavailable; rate "
	  "limits still work via tbf" },
	{ "replacing netem qdisc", ENOENT,
	  "kernel has no netem qdisc (sch_netem): delay/loss impairments unavailable; rate "
	  "limits still work via tbf" },
	{ "adding tbf qdisc", ENOENT, "kernel has no tbf qdisc (sch_tbf): rate limits unavailable" },
	{ "creating vlan ", EOPNOTSUPP, "kernel has no vlan link type (8021q): 802.1Q unavailable" },
	{ "creating dummy ", EOPNOTSUPP, "kernel has no dummy link type (dummy)" },
	{ "creating macvlan ", EOPNOTSUPP, "kernel has no macvlan link type (macvlan)" },
	{ "creating vxlan ", EOPNOTSUPP, "kernel has no vxlan link type (vxlan)" },
	{ "creating bridge ", EOPNOTSUPP, "kernel has no bridge link type (bridge)" },
	{ "creating veth ", EOPNOTSUPP, "kernel has no veth link type (veth)" },
};

/* ERR's message is "LABEL: strerror (extack)", possibly behind prefixes. */
int net_explain(struct nns_err *err)
{
	if (!err || !err->code)
		return err ? err->code : 0;
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		char *at = strstr(err->msg, missing[i].label);
		if (!at || -err->code != missing[i].errnum)
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
