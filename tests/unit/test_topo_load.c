/* Topology loading, validation and planning, without a kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>

#include "topo/load.h"
#include "topo/plan.h"
#include "topo/validate.h"

/* Load and validate TEXT; returns the diag (caller frees) through D. */
static int load(const char *text, struct topo *t, struct topo_diag *d)
{
	memset(d, 0, sizeof(*d));
	int r = topo_load_text("t.yaml", text, strlen(text), t, d);
	if (r == 0 || r == -22)
		r = topo_validate(t, d) ?: r;
	topo_diag_sort(d);
	return r;
}

static void router_example_loads(void **state)
{
	(void)state;
	const char *y = "name: lab\n"
			"defaults: {sysctl: {net.ipv4.ip_forward: 1}}\n"
			"nodes:\n"
			"  h1:\n"
			"    interfaces: {eth0: 10.0.1.2/24}\n"
			"    routes: {default: 10.0.1.1}\n"
			"    run: [\"sleep 1\", [echo, hi]]\n"
			"  r1:\n"
			"    sysctl: {net.ipv4.ip_forward: 0}\n"
			"    interfaces:\n"
			"      eth0: 10.0.1.1/24\n"
			"      eth1: [10.0.2.1/24, \"fd00::1/64\"]\n"
			"bridges: {sw1: {}}\n"
			"links:\n"
			"  - [h1:eth0, r1:eth0]\n"
			"  - endpoints: [r1:eth1, sw1]\n"
			"    rate: 100mbit\n"
			"    mtu: 9000\n";
	struct topo t;
	struct topo_diag d;
	assert_int_equal(load(y, &t, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(t.name, "lab");
	assert_int_equal(t.nnodes, 3);
	assert_string_equal(t.nodes[2].ns, "lab-sw1");
	assert_int_equal(t.nodes[2].kind, TOPO_BRIDGE);
	const struct topo_node *r1 = &t.nodes[topo_find_node(&t, "r1")];
	assert_int_equal(r1->nsysctls, 1);
	assert_string_equal(r1->sysctls[0].value, "0"); /* the node overrides defaults */
	assert_int_equal(r1->ifaces[1].naddrs, 2);
	assert_int_equal(r1->ifaces[1].addrs[1].family, AF_INET6);
	assert_int_equal(r1->ifaces[1].mtu, 9000);
	assert_int_equal(t.links[1].rate_bps, 100000000);
	const struct topo_node *h1 = &t.nodes[0];
	assert_true(h1->run[0].shell);
	assert_false(h1->run[1].shell);
	assert_string_equal(h1->run[1].argv[1], "hi");
	assert_true(h1->routes[0].is_default && h1->routes[0].has_gw);
	/* The bridge port is named after the node on the other end. */
	assert_string_equal(t.nodes[2].ifaces[1].name, "r1");
	topo_plan(&t);
	assert_int_equal(r1->ifaces[0].ifindex, 2);
	assert_int_equal(r1->ifaces[1].ifindex, 3);
	assert_int_equal(t.nodes[2].ifaces[0].ifindex, 2); /* the bridge itself */
	topo_diag_free(&d);
	topo_free(&t);
}

static void every_mistake_has_a_position(void **state)
{
	(void)state;
	const char *y = "name: lab\n"
			"nodes:\n"
			"  a: {interfaces: {eth0: 10.0.0.1/24}, rutes: {}}\n"
			"  b: {}\n"
			"links:\n"
			"  - [a:eth0, c:eth0]\n"
			"  - [a:eth0, b:eth0]\n";
	struct topo t;
	struct topo_diag d;
	assert_int_equal(load(y, &t, &d), -22);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].pos.line, 3);
	assert_int_equal(d.v[0].pos.col, 40);
	assert_string_equal(d.v[0].msg,
			    "unknown key \"rutes\" in a node (did you mean \"routes\"?)");
	assert_int_equal(d.v[1].pos.line, 6);
	assert_int_equal(d.v[1].pos.col, 14);
	assert_string_equal(d.v[1].msg, "unknown node or bridge \"c\"");
	topo_diag_free(&d);
	topo_free(&t);
}

static void value_parsers(void **state)
{
	(void)state;
	uint64_t bps;
	assert_int_equal(topo_parse_rate("10mbit", &bps), 0);
	assert_int_equal(bps, 10000000);
	assert_int_equal(topo_parse_rate("1mbps", &bps), 0);
	assert_int_equal(bps, 8000000);
	assert_int_not_equal(topo_parse_rate("fast", &bps), 0);
	assert_int_not_equal(topo_parse_rate("-1mbit", &bps), 0);
	uint32_t us;
	assert_int_equal(topo_parse_time_us("20ms", &us), 0);
	assert_int_equal(us, 20000);
	assert_int_not_equal(topo_parse_time_us("20", &us), 0); /* unit required */
	double pct;
	assert_int_equal(topo_parse_percent("1.5%", &pct), 0);
	assert_true(pct > 1.49 && pct < 1.51);
	assert_int_not_equal(topo_parse_percent("101%", &pct), 0);
	struct topo_addr a;
	assert_int_equal(topo_parse_cidr("fd00::1/64", true, &a), 0);
	assert_int_equal(a.plen, 64);
	assert_int_not_equal(topo_parse_cidr("10.0.0.1", true, &a), 0);
	assert_int_not_equal(topo_parse_cidr("10.0.0.1/+8", true, &a), 0);
}

static void hostile_input_is_refused_not_crashed(void **state)
{
	(void)state;
	static const char *const inputs[] = {
	    "",
	    "\x00\x01\x02",
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	    "a: &x [*x]\n",
	    "name: a\nnodes: *nope\n",
	    "name: ../etc\nnodes: {a: {}}\n",
	    "name: a\nnodes: {\"x/y\": {}, \"\\n\": {}}\n",
	    "name: a\nnodes: {a: {sysctl: {\"net.../x\": 1}}}\n",
	    "--- {name: a}\n--- {name: b}\n",
	    "name: a\nnodes: {a: {interfaces: {eth0: {type: vlan}}}}\n",
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct topo t;
		struct topo_diag d = {0};
		size_t len = i == 1 ? 3 : strlen(inputs[i]);
		int r = topo_load_text("h.yaml", inputs[i], len, &t, &d);
		if (r == 0 || r == -22)
			r = topo_validate(&t, &d) ?: r;
		assert_int_not_equal(r, 0);
		assert_true(d.n > 0);
		topo_diag_free(&d);
		topo_free(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(router_example_loads),
	    cmocka_unit_test(every_mistake_has_a_position),
	    cmocka_unit_test(value_parsers),
	    cmocka_unit_test(hostile_input_is_refused_not_crashed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
