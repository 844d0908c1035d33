/* Root qdiscs: netem impairments and tbf rate limits (byte-compatible with tc). */
#include <errno.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../nl/nl.h"
#include "../util/err.h"
#include "link.h"
#include "tcunits.h"

#define NETEM_DEFAULT_LIMIT    1000
#define TBF_DEFAULT_LATENCY_US 50000
#define TBF_MIN_BURST	       4096
#define RTAB_CELLS	       256
#define TC_DEFAULT_MTU	       2047

static const uint16_t op_flags[] = {
    [NET_QDISC_ADD] = NLM_F_CREATE | NLM_F_EXCL,
    [NET_QDISC_CHANGE] = 0,
    [NET_QDISC_REPLACE] = NLM_F_CREATE | NLM_F_REPLACE,
};
static const char *const op_verb[] = {
    [NET_QDISC_ADD] = "adding",
    [NET_QDISC_CHANGE] = "changing",
    [NET_QDISC_REPLACE] = "replacing",
};

static struct nlmsghdr *qdisc_begin(struct nl_sock *s, uint16_t type, uint16_t flags, int ifindex,
				    const char *kind, const char *verb, const char *ifname)
{
	struct tcmsg tcm = {
	    .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex, .tcm_parent = TC_H_ROOT};
	char who[300];
	struct nlmsghdr *h = nl_req(s, type, flags, &tcm, sizeof(tcm), "%s %s qdisc on %s", verb,
				    kind, link_label(NULL, ifname, ifindex, who, sizeof(who)));
	if (kind[0] != '(')
		nl_put_strz(h, TCA_KIND, kind);
	return h;
}

static int qdisc_check(int ifindex, enum net_qdisc_op op, struct nns_err *err)
{
	if (ifindex <= 0)
		return err_msg(err, EINVAL, "qdisc: no ifindex");
	if ((unsigned)op > NET_QDISC_REPLACE)
		return err_msg(err, EINVAL, "qdisc: bad operation %d", op);
	return 0;
}

static void put_prob(struct nlmsghdr *h, uint16_t type, double pct)
{
	struct {
		uint32_t probability, correlation;
	} p = {tc_percent_to_u32(pct), 0};
	nl_put(h, type, sizeof(p), &p);
}

static void netem_put_rate(struct nlmsghdr *h, uint64_t rate_bps)
{
	uint64_t bytes = rate_bps / 8;
	struct tc_netem_rate r = {.rate = bytes >= 0xffffffffu ? 0xffffffffu : (uint32_t)bytes};
	nl_put(h, TCA_NETEM_RATE, sizeof(r), &r);
	if (bytes >= 0xffffffffu)
		nl_put_u64(h, TCA_NETEM_RATE64, bytes);
}

int net_netem_set(struct nl_sock *s, int ifindex, const char *ifname, const struct net_netem *n,
		  enum net_qdisc_op op, struct nns_err *err)
{
	int r = qdisc_check(ifindex, op, err);
	if (r < 0)
		return r;
	if (n->reorder > 0 && !n->delay_us)
		return err_msg(err, EINVAL, "netem: reorder needs a delay");
	double tick = tc_tick_in_usec();
	struct nlmsghdr *h =
	    qdisc_begin(s, RTM_NEWQDISC, op_flags[op], ifindex, "netem", op_verb[op], ifname);
	struct nlattr *opts = nl_nest_start(h, TCA_OPTIONS);
	struct tc_netem_qopt *q = nl_put_extra(h, sizeof(*q));
	q->latency = tc_time2tick(n->delay_us, tick);
	q->jitter = tc_time2tick(n->jitter_us, tick);
	q->limit = n->limit ? n->limit : NETEM_DEFAULT_LIMIT;
	q->loss = tc_percent_to_u32(n->loss);
	q->duplicate = tc_percent_to_u32(n->duplicate);
	/* tc's rule: reordering without an explicit gap reorders every packet
	 * that the probability picks (gap 1). */
	q->gap = n->reorder > 0 ? 1 : 0;
	if (n->reorder > 0)
		put_prob(h, TCA_NETEM_REORDER, n->reorder);
	if (n->corrupt > 0)
		put_prob(h, TCA_NETEM_CORRUPT, n->corrupt);
	if (n->rate_bps)
		netem_put_rate(h, n->rate_bps);
	nl_nest_end(h, opts);
	return 0;
}

static uint32_t tbf_burst(const struct net_tbf *t)
{
	if (t->burst)
		return t->burst;
	uint64_t b = t->rate_bps / 8 / 100;
	return b < TBF_MIN_BURST ? TBF_MIN_BURST : b > 0xffffffffu ? 0xffffffffu : (uint32_t)b;
}

/* The rate table (tc_calc_rtable): transmit time of 256 size cells. */
static void put_rtab(struct nlmsghdr *h, struct tc_ratespec *rs, uint64_t rate, double tick)
{
	uint32_t rtab[RTAB_CELLS];
	unsigned cell_log = 0;
	while ((TC_DEFAULT_MTU >> cell_log) > 255)
		cell_log++;
	for (unsigned i = 0; i < RTAB_CELLS; i++)
		rtab[i] = tc_xmittime(rate, (i + 1) << cell_log, tick);
	rs->cell_align = -1;
	rs->cell_log = (uint8_t)cell_log;
	rs->linklayer = TC_LINKLAYER_ETHERNET;
	nl_put(h, TCA_TBF_RTAB, sizeof(rtab), rtab);
}

int net_tbf_set(struct nl_sock *s, int ifindex, const char *ifname, const struct net_tbf *t,
		enum net_qdisc_op op, struct nns_err *err)
{
	int r = qdisc_check(ifindex, op, err);
	if (r < 0)
		return r;
	if (t->rate_bps < 8)
		return err_msg(err, EINVAL, "tbf: rate missing");
	double tick = tc_tick_in_usec();
	uint64_t rate = t->rate_bps / 8; /* bytes per second */
	uint32_t burst = tbf_burst(t);
	uint32_t latency = t->latency_us ? t->latency_us : TBF_DEFAULT_LATENCY_US;
	struct nlmsghdr *h =
	    qdisc_begin(s, RTM_NEWQDISC, op_flags[op], ifindex, "tbf", op_verb[op], ifname);
	struct nlattr *opts = nl_nest_start(h, TCA_OPTIONS);
	struct nlattr *parms = nl_nest_start(h, TCA_TBF_PARMS);
	/* put_rtab() fills the cell fields of q->rate later, in place. */
	struct tc_tbf_qopt *q = nl_put_extra(h, sizeof(*q));
	q->rate.rate = rate >= 0xffffffffu ? 0xffffffffu : (uint32_t)rate;
	q->limit = t->limit ? t->limit : (uint32_t)((double)rate * latency / 1000000.0 + burst);
	q->buffer = tc_xmittime(rate, burst, tick);
	nl_nest_end(h, parms);
	if (rate >= 0xffffffffu)
		nl_put_u64(h, TCA_TBF_RATE64, rate);
	nl_put_u32(h, TCA_TBF_BURST, burst);
	put_rtab(h, &q->rate, rate, tick);
	nl_nest_end(h, opts);
	return 0;
}

int net_qdisc_del_root(struct nl_sock *s, int ifindex, const char *ifname, struct nns_err *err)
{
	int r = qdisc_check(ifindex, NET_QDISC_ADD, err);
	if (r < 0)
		return r;
	qdisc_begin(s, RTM_DELQDISC, 0, ifindex, "(root)", "deleting", ifname);
	return 0;
}
