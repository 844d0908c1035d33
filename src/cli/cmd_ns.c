/* list, add, delete, attach: the named-namespace store. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

/* `-j` is accepted after a listing subcommand too; iproute2 ignores the
 * other words. */
static void take_json_flag(struct cli *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (cli_is_json_flag(argv[i]))
			c->json = true;
}

void cli_print_list(FILE *f, const struct cli *c, const struct nns_entry *v, size_t n)
{
	if (c->json) {
		struct jout *arr = jout_array();
		for (size_t i = 0; i < n; i++) {
			struct jout *o = jout_object();
			jout_set_str(o, "name", v[i].name);
			if (v[i].nsid >= 0)
				jout_set_int(o, "id", v[i].nsid);
			jout_append(arr, o);
		}
		jout_print(f, arr, c->pretty);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].nsid >= 0)
			fprintf(f, "%s (id: %d)\n", v[i].name, v[i].nsid);
		else
			fprintf(f, "%s\n", v[i].name);
	}
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	take_json_flag(c, argc, argv);
	struct nns_err err = { 0 };
	struct nns_entry *v = NULL;
	size_t n = 0;
	int r = nns_list(&v, &n, &err);
	if (r < 0) {
		cli_error(&err);
		return EXIT_FAIL;
	}
	if (r == 1) /* no run directory: iproute2 prints nothing, not even [] */
		return EXIT_OK;
	for (size_t i = 0; i < n; i++)
		if (v[i].stale)
			cli_errorf("netns: warning: \"%s\" is not a network namespace (left by a "
				   "failed add?); 'netns delete' removes it",
				   v[i].name);
	cli_print_list(stdout, c, v, n);
	free(v);
	return EXIT_OK;
}

/* Skip one leading "--" so names starting with '-' can be given. */
static void skip_dashdash(int *argc, char ***argv)
{
	if (*argc > 0 && !strcmp((*argv)[0], "--"))
		(*argc)--, (*argv)++;
}

static int check_names(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!nns_name_valid(argv[i])) {
			cli_errorf("Invalid netns name \"%s\"", argv[i]);
			return EXIT_USAGE;
		}
	return EXIT_OK;
}

/* The NAME... arguments of add and delete: at least one, all valid. */
static int check_name_args(int argc, char **argv)
{
	if (argc < 1) {
		cli_errorf("No netns name specified");
		return EXIT_FAIL;
	}
	return check_names(argc, argv);
}

int cmd_add(struct cli *c, int argc, char **argv)
{
	(void)c;
	argc--, argv++;
	skip_dashdash(&argc, &argv);
	int r = check_name_args(argc, argv);
	if (r)
		return r;
	struct nns_err err = { 0 };
	if (nns_add((const char *const *)argv, (size_t)argc, NULL, &err) < 0) {
		cli_error(&err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int delete_all(void)
{
	struct nns_err err = { 0 };
	struct nns_entry *v = NULL;
	size_t n = 0;
	if (nns_list(&v, &n, &err) < 0) {
		cli_error(&err);
		return EXIT_OK; /* iproute2: -all delete always exits 0 */
	}
	for (size_t i = 0; i < n; i++) {
		if (nns_delete(v[i].name, &err) < 0) {
			cli_error(&err);
			break; /* iproute2 stops at the first failure, still exits 0 */
		}
	}
	free(v);
	return EXIT_OK;
}

int cmd_delete(struct cli *c, int argc, char **argv)
{
	argc--, argv++;
	/* Before "--": `delete -- -all` names a namespace called "-all". */
	if (argc > 0 && !strcmp(argv[0], "-all"))
		c->all = true;
	skip_dashdash(&argc, &argv);
	if (c->all)
		return delete_all();
	int r = check_name_args(argc, argv);
	if (r)
		return r;
	struct nns_err err = { 0 };
	for (int i = 0; i < argc; i++) {
		if (nns_delete(argv[i], &err) < 0) {
			cli_error(&err);
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

/* iproute2 parses the PID with base 0 into an s32; 0 and junk are refused. */
static int parse_pid(const char *s, pid_t *pid)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno || end == s || *end || v == 0 || v > INT_MAX || v < INT_MIN)
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

int cmd_attach(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc < 3) {
		cli_errorf("No netns name and PID specified");
		return EXIT_FAIL;
	}
	pid_t pid;
	if (parse_pid(argv[2], &pid) < 0) {
		cli_errorf("Invalid PID: %s", argv[2]);
		return EXIT_FAIL;
	}
	struct nns_err err = { 0 };
	if (nns_attach(argv[1], pid, &err) < 0) {
		cli_error(&err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
