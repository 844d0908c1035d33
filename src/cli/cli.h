/* cli — argument parsing, printing, exit codes. Only this layer prints. */
#ifndef NNS_CLI_H
#define NNS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "netns.h"

/* Exit codes (stable; documented in README and netns(8)). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	  /* the command failed (iproute2: handler error) */
	EXIT_KERNEL = 2,  /* the kernel refused a request / invalid topology file */
	EXIT_USAGE = 255, /* bad usage, invalid name, unknown command (as iproute2) */
};

/* Global options, parsed before the subcommand as `ip` does. */
struct cli {
	bool json;
	bool pretty;
	bool all;
	bool force;
	bool in_batch; /* running a -batch line: exec forks instead of replacing us */
	bool abort;    /* stop the batch now (iproute2 exit()s here) */
	const char *batch;
	const char *prog; /* "netns" */
};

typedef int (*cli_handler)(struct cli *c, int argc, char **argv);

struct cli_cmd {
	const char *name;
	cli_handler run;
	const char *usage; /* one or more lines, each without the leading "netns " */
	const char *summary;
};

/* Print "netns: <msg>" (or the iproute2-compatible text alone) to stderr. */
void cli_error(const struct nns_err *err);
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print ERR (kernel refusals as "Error: ..."); returns the exit status
 * iproute2 would use: 2 when the kernel refused a netlink request, else 1. */
int cli_fail(const struct nns_err *err);
/* The command named exactly NAME (for its usage line). */
const struct cli_cmd *cli_command(const char *name);
/* -j, -json, --json: accepted after a listing subcommand too. */
bool cli_is_json_flag(const char *arg);
/* Output of list and list-id, text or JSON (iproute2's shapes). */
void cli_print_list(FILE *f, const struct cli *c, const struct nns_entry *v, size_t n);
void cli_print_ids(FILE *f, const struct cli *c, const struct nns_id *v, size_t n);
/* Switch this process into NAME as `ip netns exec` does, printing /etc bind
 * warnings; returns 0 or 255 (iproute2's status for a failed switch). */
int cli_enter(const char *name);
/* Reading a batch file line by line, joined over backslash-newlines. */
struct cli_batch_reader {
	FILE *f;
	char *line; /* malloc'd; the caller frees it at the end */
	size_t cap;
	int lineno; /* the physical line the command ended on, as ip reports */
};
/* Next logical line without its comment; NULL at the end of the file. */
char *cli_batch_next(struct cli_batch_reader *br);
#define CLI_BATCH_MAX_ARGS 256
/* Split a batch line in place into ARGV (at most MAX-1 words); -1 on error
 * with *WHY set to a message. Pure. */
int cli_split_line(char *line, char **argv, int max, const char **why);
/* `CMD -- NAME`: drop the "--" (true if there was one) so a lab or file
 * name may start with '-'. */
bool cli_take_dashdash(int *argc, char **argv);
/* Print the usage lines of one command to F. */
void cli_usage(FILE *f, const struct cli_cmd *cmd);
/* True if ARGV[i] is -h/--help for a subcommand. */
bool cli_wants_help(int argc, char **argv);
/* What a command line asks for (parsing decided, nothing done yet). */
enum cli_verdict {
	CLI_RUN,	     /* run *cmd (options: go on to cli_resolve) */
	CLI_BATCH,	     /* options said -batch FILE */
	CLI_VERSION,	     /* -Version */
	CLI_HELP,	     /* -help: usage on stdout, exit 0 */
	CLI_USAGE_ALL,	     /* `help`: usage on stderr, exit 255 */
	CLI_COMMAND_HELP,    /* CMD -h: its usage on stdout */
	CLI_INCOMPLETE,	     /* an option lacks its argument */
	CLI_ENTER_FAILED,    /* -netns NAME could not be entered */
	CLI_UNKNOWN_OPTION,  /* culprit: the option */
	CLI_UNKNOWN_COMMAND, /* culprit: the word */
	CLI_BAD_NAME,	     /* culprit: the invalid namespace name */
};
/* Global options (see dispatch.c); pure apart from calling ENTER. */
enum cli_verdict cli_parse_options(struct cli *c, int *argc, char ***argv,
				   int (*enter)(const char *name), int *status,
				   const char **culprit);
/* Command lookup and the pre-dispatch name check; pure. */
enum cli_verdict cli_resolve(const struct cli *c, int argc, char **argv,
			     const struct cli_cmd **cmd, const char **culprit);
/* Run one command line (argv[0] is the subcommand); shared with -batch. */
int cli_dispatch(struct cli *c, int argc, char **argv);
/* The whole program: options, then dispatch; returns the exit status. */
int cli_main(int argc, char **argv);

/* Handlers, one file per command group. */
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_add(struct cli *c, int argc, char **argv);
int cmd_attach(struct cli *c, int argc, char **argv);
int cmd_delete(struct cli *c, int argc, char **argv);
int cmd_set(struct cli *c, int argc, char **argv);
int cmd_list_id(struct cli *c, int argc, char **argv);
int cmd_identify(struct cli *c, int argc, char **argv);
int cmd_pids(struct cli *c, int argc, char **argv);
int cmd_exec(struct cli *c, int argc, char **argv);
int cmd_monitor(struct cli *c, int argc, char **argv);
int cmd_batch(struct cli *c, const char *file);

int cmd_connect(struct cli *c, int argc, char **argv);
int cmd_disconnect(struct cli *c, int argc, char **argv);
int cmd_inspect(struct cli *c, int argc, char **argv);

int cmd_up(struct cli *c, int argc, char **argv);
int cmd_down(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_graph(struct cli *c, int argc, char **argv);

#endif
