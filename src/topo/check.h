/* check — reachability matrix of a lab: ICMP/ICMPv6 echo from inside each node. */
#ifndef NNS_TOPO_CHECK_H
#define NNS_TOPO_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "netns.h"

struct check_probe {
	int src, dst;		    /* node indices */
	const struct topo_addr *to; /* an address of dst */
	bool expect;		    /* false: listed under expect: unreachable */
	bool answered;
	unsigned rtt_us;
};

struct check_result {
	struct check_probe *v;
	size_t n;
	size_t failed; /* probes whose outcome differs from the expectation */
};

/* Which pairs to probe: all by default. */
struct check_opts {
	int timeout_ms;	      /* 0: 2000 */
	const int *from, *to; /* node indices; NULL: every host */
	size_t nfrom, nto;
	size_t sample; /* > 0: that many random (source, destination) pairs */
};

/*
 * Every host pings every address of every other host, in each family it has
 * an address in; all probes in flight at once, resent every 250 ms until the
 * timeout. Raw sockets are opened inside the namespaces (no process per
 * node). Returns 0 (see RES->failed) or -errno.
 */
int topo_check(const struct topo *t, const struct check_opts *o, struct check_result *res,
	       struct nns_err *err);
void check_result_free(struct check_result *res);

#endif
