/* Addresses and prefixes in user syntax: "10.0.0.1/24", "fd00::1/64". */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "net.h"

size_t net_ip_len(const struct net_ip *ip)
{
	return ip->family == AF_INET ? 4 : ip->family == AF_INET6 ? 16 : 0;
}

static int bad(const char *text, const char *why, struct nns_err *err)
{
	return err_msg(err, EINVAL, "bad address \"%s\": %s", text, why);
}

static int parse_prefixlen(const char *text, const char *s, unsigned max, uint8_t *out,
			   struct nns_err *err)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > max || *s == '-' || *s == '+')
		return bad(text,
			   max == 32 ? "prefix length must be 0..32"
				     : "prefix length must be 0..128",
			   err);
	*out = (uint8_t)v;
	return 0;
}

int net_ip_parse(const char *text, bool prefix_optional, int family, struct net_ip *out,
		 struct nns_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!text || !*text)
		return bad(text ? text : "", "empty", err);
	if (!strcmp(text, "default") || !strcmp(text, "any")) {
		out->family = family ? family : AF_INET;
		return 0;
	}
	char host[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(text, '/');
	size_t hlen = slash ? (size_t)(slash - text) : strlen(text);
	if (hlen >= sizeof(host))
		return bad(text, "not an IPv4 or IPv6 address", err);
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, &out->v4) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, host, &out->v6) == 1)
		out->family = AF_INET6;
	else
		return bad(text, "not an IPv4 or IPv6 address", err);
	if (family && family != out->family)
		return bad(text,
			   family == AF_INET ? "expected an IPv4 address"
					     : "expected an IPv6 address",
			   err);
	unsigned max = out->family == AF_INET ? 32 : 128;
	if (!slash) {
		if (!prefix_optional)
			return bad(text, "missing /PREFIXLEN", err);
		out->prefixlen = (uint8_t)max;
		return 0;
	}
	return parse_prefixlen(text, slash + 1, max, &out->prefixlen, err);
}

char *net_ip_format(const struct net_ip *ip, bool with_prefix, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	if (ip->family)
		inet_ntop(ip->family, ip->bytes, host, sizeof(host));
	if (with_prefix)
		snprintf(buf, len, "%s/%u", host, ip->prefixlen);
	else
		snprintf(buf, len, "%s", host);
	return buf;
}

bool net_ip_in_prefix(const struct net_ip *ip, const struct net_ip *net)
{
	if (ip->family != net->family || !ip->family)
		return false;
	unsigned bits = net->prefixlen;
	for (unsigned i = 0; i < net_ip_len(ip) && bits; i++) {
		unsigned take = bits >= 8 ? 8 : bits;
		uint8_t mask = (uint8_t)(0xff00u >> take);
		if ((ip->bytes[i] ^ net->bytes[i]) & mask)
			return false;
		bits -= take;
	}
	return true;
}
