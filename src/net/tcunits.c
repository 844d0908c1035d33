/* tc's units, computed exactly as iproute2 does so requests match byte for byte. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../util/err.h"
#include "net.h"
#include "tcunits.h"

struct unit {
	const char *suffix;
	double factor;
};

/* Parse "NUMBER[SUFFIX]" against UNITS (first entry: the bare number). */
static int parse_units(const char *text, const struct unit *units, size_t n, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || errno || v < 0 || v != v)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(end, units[i].suffix)) {
			*out = v * units[i].factor;
			return 0;
		}
	}
	return -EINVAL;
}

int tc_time_parse(const char *text, uint32_t *usec, struct nns_err *err)
{
	static const struct unit u[] = {
	    {"", 1},	    {"us", 1},	     {"usec", 1},    {"usecs", 1},     {"ms", 1000},
	    {"msec", 1000}, {"msecs", 1000}, {"s", 1000000}, {"sec", 1000000}, {"secs", 1000000}};
	double v;
	if (parse_units(text, u, sizeof(u) / sizeof(u[0]), &v) < 0 || v > 4294967295.0)
		return err_msg(err, EINVAL, "bad time \"%s\" (e.g. 50ms, 1s, 200us)", text);
	*usec = (uint32_t)v;
	return 0;
}

int tc_size_parse(const char *text, uint32_t *bytes, struct nns_err *err)
{
	static const struct unit u[] = {
	    {"", 1},	       {"b", 1},	   {"k", 1024},		{"kb", 1024},
	    {"kbit", 128},     {"m", 1048576},	   {"mb", 1048576},	{"mbit", 131072},
	    {"g", 1073741824}, {"gb", 1073741824}, {"gbit", 134217728},
	};
	double v;
	if (parse_units(text, u, sizeof(u) / sizeof(u[0]), &v) < 0 || v > 4294967295.0)
		return err_msg(err, EINVAL, "bad size \"%s\" (e.g. 4096, 32kbit, 64kb)", text);
	*bytes = (uint32_t)v;
	return 0;
}

int tc_percent_parse(const char *text, double *pct, struct nns_err *err)
{
	static const struct unit u[] = {{"", 1}, {"%", 1}};
	double v;
	if (parse_units(text, u, 2, &v) < 0 || v > 100)
		return err_msg(err, EINVAL, "bad percentage \"%s\" (0%%..100%%)", text);
	*pct = v;
	return 0;
}

int net_rate_parse(const char *text, uint64_t *bps, struct nns_err *err)
{
	static const struct unit u[] = {
	    {"", 1},	     {"bit", 1},	 {"kbit", 1e3},
	    {"mbit", 1e6},   {"gbit", 1e9},	 {"tbit", 1e12},
	    {"kibit", 1024}, {"mibit", 1048576}, {"gibit", 1073741824},
	    {"bps", 8},	     {"kbps", 8e3},	 {"mbps", 8e6},
	    {"gbps", 8e9},   {"kibps", 8192},	 {"mibps", 8388608},
	};
	double v;
	if (parse_units(text, u, sizeof(u) / sizeof(u[0]), &v) < 0 || v < 8 || v > 8e15)
		return err_msg(err, EINVAL, "bad rate \"%s\" (e.g. 1mbit, 500kbit, 10mbps)", text);
	*bps = (uint64_t)v;
	return 0;
}

uint32_t tc_percent_to_u32(double pct)
{
	double v = pct / 100.0 * 4294967295.0 + 0.5;
	return v >= 4294967295.0 ? 0xffffffffu : (uint32_t)v;
}

/* Same arithmetic as iproute2's tc_core_init(), fallback the usual 15.625. */
double tc_tick_in_usec(void)
{
	char buf[128] = "";
	int fd = open("/proc/net/psched", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	unsigned t2us, us2t, clock_res;
	if (sscanf(buf, "%08x%08x%08x", &t2us, &us2t, &clock_res) != 3 || !us2t || !clock_res)
		return 15.625;
	if (clock_res == 1000000000)
		t2us = us2t;
	return (double)t2us / us2t * ((double)clock_res / 1000000.0);
}

uint32_t tc_time2tick(uint32_t usec, double tick_in_usec)
{
	return (uint32_t)(usec * tick_in_usec);
}

uint32_t tc_xmittime(uint64_t rate, uint32_t size, double tick_in_usec)
{
	return tc_time2tick((uint32_t)(1000000.0 * ((double)size / (double)rate)), tick_in_usec);
}
