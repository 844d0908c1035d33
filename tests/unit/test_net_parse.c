/* net/ parsing: CIDRs, tc units, netem/tbf specs, the 15-byte name limit. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "net/net.h"
#include "net/tcunits.h"

static void cidr_v4_v6(void **state)
{
	(void)state;
	struct net_ip ip;
	struct nns_err err = {0};
	char buf[64];
	assert_int_equal(net_ip_parse("10.0.0.1/24", false, 0, &ip, &err), 0);
	assert_int_equal(ip.family, AF_INET);
	assert_int_equal(ip.prefixlen, 24);
	assert_string_equal(net_ip_format(&ip, true, buf, sizeof(buf)), "10.0.0.1/24");
	assert_int_equal(net_ip_parse("fd00::1/64", false, 0, &ip, &err), 0);
	assert_int_equal(ip.family, AF_INET6);
	assert_int_equal(net_ip_parse("fd00::1", true, 0, &ip, &err), 0);
	assert_int_equal(ip.prefixlen, 128);
	assert_int_equal(net_ip_parse("default", true, AF_INET6, &ip, &err), 0);
	assert_int_equal(ip.family, AF_INET6);
	assert_int_equal(ip.prefixlen, 0);
}

static void cidr_refused(void **state)
{
	(void)state;
	struct net_ip ip;
	struct nns_err err = {0};
	const char *bad[] = {"10.0.0.300/24", "10.0.0.1/33", "10.0.0.1", "fd00::1/129",
			     "10.0.0.1/",     "10.0.0.1/-1", "",	 "x/8",
			     "10.0.0.1/24x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(net_ip_parse(bad[i], false, 0, &ip, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "bad address"));
	}
	assert_int_equal(net_ip_parse("fd00::1/64", false, AF_INET, &ip, &err), -EINVAL);
}

static void prefix_membership(void **state)
{
	(void)state;
	struct net_ip net, a, b;
	net_ip_parse("10.1.0.0/16", false, 0, &net, NULL);
	net_ip_parse("10.1.200.3", true, 0, &a, NULL);
	net_ip_parse("10.2.0.1", true, 0, &b, NULL);
	assert_true(net_ip_in_prefix(&a, &net));
	assert_false(net_ip_in_prefix(&b, &net));
}

static void tc_units(void **state)
{
	(void)state;
	uint32_t v;
	uint64_t r;
	double p;
	assert_int_equal(tc_time_parse("50ms", &v, NULL), 0);
	assert_int_equal(v, 50000);
	assert_int_equal(tc_time_parse("1s", &v, NULL), 0);
	assert_int_equal(v, 1000000);
	assert_int_equal(tc_size_parse("32kbit", &v, NULL), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(net_rate_parse("1mbit", &r, NULL), 0);
	assert_int_equal(r, 1000000);
	assert_int_equal(net_rate_parse("10mbps", &r, NULL), 0);
	assert_int_equal(r, 80000000);
	assert_int_equal(tc_percent_parse("25%", &p, NULL), 0);
	assert_int_equal(tc_percent_to_u32(p), 0x40000000);
	assert_int_equal(tc_percent_to_u32(1.0), 0x028f5c29); /* what tc sends for 1% */
	assert_int_equal(tc_percent_to_u32(100.0), 0xffffffffu);
	assert_int_equal(tc_time2tick(20000, 15.625), 312500);
	assert_int_equal(net_rate_parse("fast", &r, NULL), -EINVAL);
	assert_int_equal(tc_percent_parse("101%", &p, NULL), -EINVAL);
}

static void netem_and_tbf_specs(void **state)
{
	(void)state;
	struct net_netem n;
	struct net_tbf t;
	struct nns_err err = {0};
	assert_int_equal(net_netem_parse("delay 20ms 5ms loss 1% rate 1mbit", &n, &err), 0);
	assert_int_equal(n.delay_us, 20000);
	assert_int_equal(n.jitter_us, 5000);
	assert_true(n.loss == 1.0);
	assert_int_equal(n.rate_bps, 1000000);
	assert_int_equal(net_netem_parse("reorder 25%", &n, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "reorder needs a delay"));
	assert_int_equal(net_netem_parse("delay", &n, &err), -EINVAL);
	assert_int_equal(net_netem_parse("jitter 5ms", &n, &err), -EINVAL);
	assert_int_equal(net_tbf_parse("rate 1mbit burst 32kbit latency 50ms", &t, &err), 0);
	assert_int_equal(t.burst, 4096);
	assert_int_equal(t.latency_us, 50000);
	assert_int_equal(net_tbf_parse("burst 10k", &t, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "rate is required"));
}

static void names_over_15_bytes_refused_before_queueing(void **state)
{
	(void)state;
	struct nns_err err = {0};
	struct net_link l = {.name = "sixteen-bytes-xx"};
	/* The socket is never touched: validation fails first. */
	assert_int_equal(net_dummy_add(NULL, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "too long"));
	struct net_veth v = {.a = {.name = "a", .up = true}, .b = {.name = "b"}};
	assert_int_equal(net_veth_add(NULL, &v, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "cannot be created up"));
	struct net_vlan vl = {.link = {.name = "v"}, .parent = 2, .id = 4095};
	assert_int_equal(net_vlan_add(NULL, &vl, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cidr_v4_v6),
	    cmocka_unit_test(cidr_refused),
	    cmocka_unit_test(prefix_membership),
	    cmocka_unit_test(tc_units),
	    cmocka_unit_test(netem_and_tbf_specs),
	    cmocka_unit_test(names_over_15_bytes_refused_before_queueing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
