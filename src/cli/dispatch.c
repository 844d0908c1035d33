/* The command table, global options and dispatch (shared with -batch). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd commands[] = {
	/* iproute2 `ip netns` commands, in the order `ip` tries prefixes. */
	{ "list", cmd_list, "[list|show] [-j]", "list named namespaces" },
	{ "list-id", cmd_list_id, "list-id [target-nsid ID] [nsid ID] [-j]",
	  "list the nsids this namespace assigned" },
	{ "add", cmd_add, "add NAME [NAME...]", "create named namespaces" },
	{ "set", cmd_set, "set NAME NETNSID|auto", "assign an nsid to a namespace" },
	{ "delete", cmd_delete, "[-all] delete [NAME...]", "delete named namespaces" },
	{ "identify", cmd_identify, "identify [PID]", "print the name of PID's namespace" },
	{ "pids", cmd_pids, "pids NAME", "list processes in a namespace" },
	{ "exec", cmd_exec, "[-all] exec [NAME] CMD [ARGS...]", "run a command in a namespace" },
	{ "monitor", cmd_monitor, "monitor", "print namespace add/delete events" },
	{ "attach", cmd_attach, "attach NAME PID", "name the namespace of process PID" },
	/* netns extensions: matched by their full name only. */
	{ "connect", cmd_connect,
	  "connect NS1[:IF1] NS2[:IF2] [--addr CIDR1,CIDR2] [--mtu N] [--netem SPEC]",
	  "join two namespaces with a veth pair" },
	{ "disconnect", cmd_disconnect, "disconnect NS:IF", "delete a veth pair" },
	{ "inspect", cmd_inspect, "inspect [NAME...] [-j]", "show interfaces, addresses, routes" },
	{ "up", cmd_up, "up FILE [--dry-run]", "build a topology from a YAML file" },
	{ "down", cmd_down, "down FILE|LAB", "tear a topology down" },
	{ "status", cmd_status, "status [LAB] [-j]", "show labs that are up" },
	{ "check", cmd_check, "check FILE|LAB [--from N,..] [--to N,..] [--sample N] [-j]",
	  "reachability matrix of a lab" },
	{ "graph", cmd_graph, "graph FILE|LAB", "a lab as Graphviz DOT" },
};

#define N_COMPAT 10 /* the first entries follow iproute2's prefix rules */

void cli_errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_error(const struct nns_err *err)
{
	fprintf(stderr, "%s%s\n", err->kernel ? "Error: " : "",
		err->msg[0] ? err->msg : "unknown error");
}

int cli_fail(const struct nns_err *err)
{
	cli_error(err);
	return err->kernel ? EXIT_KERNEL : EXIT_FAIL;
}

bool cli_is_json_flag(const char *arg)
{
	return !strcmp(arg, "-j") || !strcmp(arg, "-json") || !strcmp(arg, "--json");
}

const struct cli_cmd *cli_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

void cli_usage(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "Usage: netns %s\n", cmd->usage);
}

bool cli_wants_help(int argc, char **argv)
{
	return argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
			    !strcmp(argv[1], "-help"));
}

static void usage_all(FILE *f)
{
	fprintf(f, "Usage: netns [OPTIONS] COMMAND [ARGS...]\n\n"
		   "Options: -j|-json  -p|-pretty  -n|-netns NAME  -all  -batch FILE  -force  -V|-Version  "
		   "-h|-help\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-58s %s\n", commands[i].usage, commands[i].summary);
	fprintf(f, "\nExit status: 0 ok, 1 failed, 2 kernel refused or invalid file, "
		   "255 usage; exec: the command's.\n");
}

/* iproute2's matches(): ARG is a non-empty prefix of WORD. */
static bool matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);
	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

static const struct cli_cmd *find_command(const char *word)
{
	for (size_t i = N_COMPAT; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(word, commands[i].name))
			return &commands[i];
	if (matches(word, "list") || matches(word, "show") || matches(word, "lst"))
		return &commands[0];
	for (size_t i = 1; i < N_COMPAT; i++)
		if (matches(word, commands[i].name))
			return &commands[i];
	return NULL;
}

int cli_dispatch(struct cli *c, int argc, char **argv)
{
	if (argc < 1)
		return cmd_list(c, 0, NULL);
	if (matches(argv[0], "help")) {
		usage_all(stderr);
		return EXIT_USAGE;
	}
	const struct cli_cmd *cmd = find_command(argv[0]);
	bool compat = cmd && cmd - commands < N_COMPAT;
	/* iproute2 checks the word after the subcommand before dispatching,
	 * whatever the subcommand is (so `netns bogus ''` is an invalid name). */
	if ((compat || !cmd) && !c->all && argc > 1 && !nns_name_valid(argv[1]) &&
	    !cli_wants_help(argc, argv)) {
		cli_errorf("Invalid netns name \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	if (!cmd) {
		cli_errorf("Command \"%s\" is unknown, try \"netns help\".", argv[0]);
		return EXIT_USAGE;
	}
	if (cli_wants_help(argc, argv)) {
		cli_usage(stdout, cmd);
		return EXIT_OK;
	}
	return cmd->run(c, argc, argv);
}

/* `ip` option rules: prefixes, `--opt` same as `-opt`, `--` ends options. */
static int parse_options(struct cli *c, int *argc, char ***argv)
{
	while (*argc > 0 && (*argv)[0][0] == '-') {
		char *opt = (*argv)[0] + 1;
		if (!strcmp(opt, "-")) {
			(*argc)--, (*argv)++;
			break;
		}
		if (opt[0] == '-')
			opt++;
		if (matches(opt, "json")) {
			c->json = true;
		} else if (matches(opt, "pretty")) {
			c->pretty = true;
		} else if (matches(opt, "netns")) {
			/* As `ip -n NAME`: switch now, the rest runs inside. */
			if (*argc < 2) {
				cli_errorf("Command line is not complete. Try option \"help\"");
				return EXIT_USAGE;
			}
			int r = cli_enter((*argv)[1]);
			if (r)
				return r;
			(*argc)--, (*argv)++;
		} else if (matches(opt, "all")) {
			c->all = true;
		} else if (strlen(opt) >= 2 && matches(opt, "force")) {
			c->force = true;
		} else if (matches(opt, "batch")) {
			if (*argc < 2) {
				cli_errorf("Command line is not complete. Try option \"help\"");
				return EXIT_USAGE;
			}
			c->batch = (*argv)[1];
			(*argc)--, (*argv)++;
		} else if (matches(opt, "Version")) {
			printf("netns %s\n", NNS_VERSION);
			return EXIT_OK;
		} else if (matches(opt, "help")) {
			usage_all(stdout);
			return EXIT_OK;
		} else {
			cli_errorf("Option \"%s\" is unknown, try \"netns -help\".", (*argv)[0]);
			return EXIT_USAGE;
		}
		(*argc)--, (*argv)++;
	}
	return -1;
}

int cli_main(int argc, char **argv)
{
	struct cli c = { .prog = "netns" };
	argc--, argv++;
	int r = parse_options(&c, &argc, &argv);
	if (r >= 0)
		return r;
	if (c.batch)
		return cmd_batch(&c, c.batch);
	return cli_dispatch(&c, argc, argv);
}
