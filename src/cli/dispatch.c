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
	  "connect [--] NS1[:IF1] NS2[:IF2] [--addr CIDR1,CIDR2] [--mtu N] [--netem SPEC]",
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

bool cli_take_dashdash(int *argc, char **argv)
{
	if (*argc < 2 || strcmp(argv[1], "--"))
		return false;
	for (int i = 1; i < *argc; i++)
		argv[i] = argv[i + 1]; /* argv[argc] is NULL: it moves down too */
	(*argc)--;
	return true;
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

/*
 * What ARGV (argv[0] is the subcommand) asks for, decided without acting:
 * the command to run, a help text to show, or a usage error naming its
 * culprit. Pure, so the fuzzer can drive it.
 */
enum cli_verdict cli_resolve(const struct cli *c, int argc, char **argv,
			     const struct cli_cmd **cmd, const char **culprit)
{
	*cmd = NULL;
	*culprit = NULL;
	if (argc < 1) {
		*cmd = &commands[0];
		return CLI_RUN;
	}
	if (matches(argv[0], "help"))
		return CLI_USAGE_ALL;
	*cmd = find_command(argv[0]);
	bool compat = *cmd && *cmd - commands < N_COMPAT;
	/* iproute2 checks the word after the subcommand before dispatching,
	 * whatever the subcommand is (so `netns bogus ''` is an invalid name). */
	if ((compat || !*cmd) && !c->all && argc > 1 && !nns_name_valid(argv[1]) &&
	    !cli_wants_help(argc, argv)) {
		*culprit = argv[1];
		return CLI_BAD_NAME;
	}
	if (!*cmd) {
		*culprit = argv[0];
		return CLI_UNKNOWN_COMMAND;
	}
	return cli_wants_help(argc, argv) ? CLI_COMMAND_HELP : CLI_RUN;
}

int cli_dispatch(struct cli *c, int argc, char **argv)
{
	const struct cli_cmd *cmd;
	const char *culprit;
	switch (cli_resolve(c, argc, argv, &cmd, &culprit)) {
	case CLI_RUN:
		return argc < 1 ? cmd->run(c, 0, NULL) : cmd->run(c, argc, argv);
	case CLI_USAGE_ALL:
		usage_all(stderr);
		return EXIT_USAGE;
	case CLI_BAD_NAME:
		cli_errorf("Invalid netns name \"%s\"", culprit);
		return EXIT_USAGE;
	case CLI_UNKNOWN_COMMAND:
		cli_errorf("Command \"%s\" is unknown, try \"netns help\".", culprit);
		return EXIT_USAGE;
	case CLI_COMMAND_HELP:
		cli_usage(stdout, cmd);
		return EXIT_OK;
	default:
		return EXIT_USAGE;
	}
}

/*
 * `ip` option rules: prefixes, `--opt` same as `-opt`, `--` ends options.
 * Fills C and advances ARGC/ARGV past the options; ENTER is called for each
 * -netns NAME in order (as `ip -n NAME` switches at once; a non-zero return
 * stops parsing with that exit status in *STATUS). Pure otherwise.
 */
enum cli_verdict cli_parse_options(struct cli *c, int *argc, char ***argv,
				   int (*enter)(const char *name), int *status,
				   const char **culprit)
{
	*culprit = NULL;
	*status = EXIT_OK;
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
			if (*argc < 2)
				return CLI_INCOMPLETE;
			*status = enter((*argv)[1]);
			if (*status)
				return CLI_ENTER_FAILED;
			(*argc)--, (*argv)++;
		} else if (matches(opt, "all")) {
			c->all = true;
		} else if (strlen(opt) >= 2 && matches(opt, "force")) {
			c->force = true;
		} else if (matches(opt, "batch")) {
			if (*argc < 2)
				return CLI_INCOMPLETE;
			c->batch = (*argv)[1];
			(*argc)--, (*argv)++;
		} else if (matches(opt, "Version")) {
			return CLI_VERSION;
		} else if (matches(opt, "help")) {
			return CLI_HELP;
		} else {
			*culprit = (*argv)[0];
			return CLI_UNKNOWN_OPTION;
		}
		(*argc)--, (*argv)++;
	}
	return c->batch ? CLI_BATCH : CLI_RUN;
}

int cli_main(int argc, char **argv)
{
	struct cli c = { .prog = "netns" };
	const char *culprit;
	int status;
	argc--, argv++;
	switch (cli_parse_options(&c, &argc, &argv, cli_enter, &status, &culprit)) {
	case CLI_RUN:
		return cli_dispatch(&c, argc, argv);
	case CLI_BATCH:
		return cmd_batch(&c, c.batch);
	case CLI_INCOMPLETE:
		cli_errorf("Command line is not complete. Try option \"help\"");
		return EXIT_USAGE;
	case CLI_ENTER_FAILED:
		return status;
	case CLI_VERSION:
		printf("netns %s\n", NNS_VERSION);
		return EXIT_OK;
	case CLI_HELP:
		usage_all(stdout);
		return EXIT_OK;
	case CLI_UNKNOWN_OPTION:
		cli_errorf("Option \"%s\" is unknown, try \"netns -help\".", culprit);
		return EXIT_USAGE;
	default:
		return EXIT_USAGE;
	}
}
