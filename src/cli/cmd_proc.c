/* identify, pids, exec, monitor: namespaces and the processes in them. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static bool is_pid(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int cmd_identify(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc > 2) {
		cli_errorf("extra arguments specified");
		return EXIT_FAIL;
	}
	pid_t pid = 0; /* the caller */
	if (argc == 2) {
		if (!is_pid(argv[1])) {
			cli_errorf("Specified string '%s' is not a pid", argv[1]);
			return EXIT_FAIL;
		}
		long v = strtol(argv[1], NULL, 10);
		if (v <= 0 || v > INT_MAX) {
			cli_errorf("Cannot open network namespace of %s: %s", argv[1],
				   strerror(ESRCH));
			return EXIT_FAIL;
		}
		pid = (pid_t)v;
	}
	struct nns_err err = { 0 };
	char name[256];
	if (nns_identify(pid, name, &err) < 0)
		return cli_fail(&err);
	printf("%s\n", name); /* an empty line when unnamed, as iproute2 */
	return EXIT_OK;
}

int cmd_pids(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc < 2) {
		cli_errorf("No netns name specified");
		return EXIT_FAIL;
	}
	if (argc > 2) {
		cli_errorf("extra arguments specified");
		return EXIT_FAIL;
	}
	struct nns_err err = { 0 };
	pid_t *v = NULL;
	size_t n = 0;
	if (nns_pids(argv[1], &v, &n, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++)
		printf("%d\n", (int)v[i]);
	free(v);
	return EXIT_OK;
}

static void print_warning(const char *msg, void *data)
{
	(void)data;
	cli_errorf("%s", msg);
}

/* Switch to NAME; a failure is printed. iproute2 exits 255 then. */
int cli_enter(const char *name)
{
	struct nns_err err = { 0 };
	if (nns_enter(name, print_warning, NULL, &err) < 0) {
		cli_error(&err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Replace this process with CMD (PATH search, environment unchanged). */
static int exec_command(char **cmd)
{
	fflush(stdout);
	execvp(cmd[0], cmd);
	cli_errorf("exec of \"%s\" failed: %s", cmd[0], strerror(errno));
	return EXIT_FAIL;
}

/*
 * Run CMD in NAME in a child and wait: the command's exit status, or -1 when
 * the child died of a signal (iproute2 then gives up with exit 1). A failed
 * switch in the child exits 1 there (iproute2 >= 6.10).
 */
static int run_forked(const char *name, char **cmd)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		cli_errorf("fork failed: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (pid == 0)
		_exit(cli_enter(name) ? EXIT_FAIL : exec_command(cmd));
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAIL;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* `-all exec`: every name in directory order under a "netns: NAME" header;
 * failures are ignored (exit 0) but a command killed by a signal stops all. */
static int exec_all(struct cli *c, char **cmd)
{
	struct nns_err err = { 0 };
	struct nns_entry *v = NULL;
	size_t n = 0;
	if (nns_list(&v, &n, &err) < 0)
		return cli_fail(&err);
	int r = EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		printf("\nnetns: %s\n", v[i].name);
		if (run_forked(v[i].name, cmd) < 0) {
			c->abort = true;
			r = EXIT_FAIL;
			break;
		}
	}
	free(v);
	return r;
}

int cmd_exec(struct cli *c, int argc, char **argv)
{
	if (c->all) {
		if (argc < 2) {
			cli_errorf("No command specified");
			return EXIT_FAIL;
		}
		return exec_all(c, argv + 1);
	}
	if (argc < 2) {
		cli_errorf("No netns name specified");
		return EXIT_FAIL;
	}
	if (argc < 3) {
		cli_errorf("No command specified");
		return EXIT_FAIL;
	}
	if (c->in_batch) {
		int r = run_forked(argv[1], argv + 2);
		if (r >= 0)
			return r;
		c->abort = true;
		return EXIT_FAIL;
	}
	/* No fork, like ip: the command becomes this process, its status ours. */
	int r = cli_enter(argv[1]);
	return r ? r : exec_command(argv + 2);
}

static int print_event(enum nns_event ev, const char *name, void *data)
{
	(void)data;
	printf("%s %s\n", ev == NNS_EVENT_ADD ? "add" : "delete", name);
	return 0;
}

int cmd_monitor(struct cli *c, int argc, char **argv)
{
	(void)c, (void)argc, (void)argv;
	/* Deliberate difference: ip block-buffers, so a pipe sees nothing. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct nns_err err = { 0 };
	nns_monitor(print_event, NULL, &err);
	return cli_fail(&err);
}
