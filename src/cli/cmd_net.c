/* connect, disconnect: veth pairs between named namespaces. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "NS[:IF]" → NS and IF (NULL when absent); the last ':' splits. */
static void split_end(char *arg, const char **ns, const char **ifname)
{
	char *colon = strrchr(arg, ':');
	*ns = arg;
	*ifname = NULL;
	if (colon) {
		*colon = '\0';
		*ifname = colon + 1;
	}
}

static int parse_unsigned(const char *text, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	if (!*text || *end || errno || v > 0xffffffffu || *text == '-')
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* --addr C1,C2 (either side may be empty: ",10.0.0.2/24"). */
static void split_addrs(char *arg, struct nns_connect *c)
{
	char *comma = strchr(arg, ',');
	if (comma)
		*comma = '\0';
	c->addr1 = *arg ? arg : NULL;
	c->addr2 = comma && comma[1] ? comma + 1 : NULL;
}

static int parse_connect(int argc, char **argv, struct nns_connect *c)
{
	int ends = 0;
	bool dashdash = false; /* after "--", a leading '-' is part of a name */
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		bool has_value = i + 1 < argc;
		if (!dashdash && !strcmp(opt, "--")) {
			dashdash = true;
		} else if ((dashdash || opt[0] != '-') && ends < 2) {
			split_end(argv[i], ends ? &c->ns2 : &c->ns1, ends ? &c->if2 : &c->if1);
			ends++;
		} else if (!strcmp(opt, "--addr") && has_value) {
			split_addrs(argv[++i], c);
		} else if (!strcmp(opt, "--mtu") && has_value) {
			if (parse_unsigned(argv[++i], &c->mtu) < 0) {
				cli_errorf("netns: connect: bad MTU \"%s\"", argv[i]);
				return -1;
			}
		} else if (!strcmp(opt, "--netem") && has_value) {
			c->netem = argv[++i];
		} else {
			cli_errorf("netns: connect: unexpected argument \"%s\"", opt);
			return -1;
		}
	}
	if (ends != 2) {
		cli_errorf("Usage: netns connect [--] NS1[:IF1] NS2[:IF2] [--addr CIDR1,CIDR2] "
			   "[--mtu N] [--netem SPEC]");
		return -1;
	}
	return 0;
}

/* Usage errors (nothing reached the kernel) exit 255, refusals 2, others 1. */
static int exit_code(const struct nns_err *err)
{
	if (err->ext[0])
		return EXIT_KERNEL;
	if (err->code == -EINVAL)
		return EXIT_USAGE;
	return EXIT_FAIL;
}

int cmd_connect(struct cli *c, int argc, char **argv)
{
	(void)c;
	struct nns_connect spec = {0};
	if (parse_connect(argc, argv, &spec) < 0)
		return EXIT_USAGE;
	char if1[16], if2[16];
	if (!spec.if1)
		nns_veth_default_name(spec.ns2, if1);
	if (!spec.if2)
		nns_veth_default_name(spec.ns1, if2);
	struct nns_err err = {0};
	if (nns_connect(&spec, &err) < 0) {
		cli_errorf("netns: connect %s:%s ↔ %s:%s: %s", spec.ns1, spec.if1 ? spec.if1 : if1,
			   spec.ns2, spec.if2 ? spec.if2 : if2, err.msg);
		return exit_code(&err);
	}
	return EXIT_OK;
}

int cmd_disconnect(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc != 2 || !strchr(argv[1], ':')) {
		cli_errorf("Usage: netns disconnect NS:IF");
		return EXIT_USAGE;
	}
	const char *ns, *ifname;
	split_end(argv[1], &ns, &ifname);
	struct nns_err err = {0};
	if (nns_disconnect(ns, ifname, &err) < 0) {
		cli_errorf("netns: disconnect %s:%s: %s", ns, ifname, err.msg);
		return exit_code(&err);
	}
	return EXIT_OK;
}
