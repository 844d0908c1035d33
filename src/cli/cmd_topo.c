/* up, down, status, check, graph: labs built from topology files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../topo/topo.h"
#include "cli.h"
#include "json.h"

static void print_diag(const struct topo_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s:%u:%u: %s\n", d->file, d->v[i].pos.line, d->v[i].pos.col,
			d->v[i].msg);
	if (d->dropped)
		fprintf(stderr, "%s: %zu more problems not shown\n", d->file, d->dropped);
}

/* Load, validate and plan FILE; EXIT_OK or the exit status to return. */
static int load_file(const char *file, struct topo *t)
{
	struct topo_diag d = { 0 };
	struct nns_err err = { 0 };
	int r = topo_load(file, t, &d, &err);
	if (r == -EINVAL && d.n == 0 && !d.dropped)
		r = 0;
	if (!r)
		r = topo_validate(t, &d);
	if (r == -EINVAL || d.n) {
		topo_diag_sort(&d);
		print_diag(&d);
		topo_diag_free(&d);
		return EXIT_KERNEL;
	}
	topo_diag_free(&d);
	if (r < 0) {
		cli_error(&err);
		return EXIT_FAIL;
	}
	topo_plan(t);
	return EXIT_OK;
}

/* A FILE|LAB argument: an existing file is a file, else a lab name. */
static bool is_file(const char *arg)
{
	struct stat st;
	return strchr(arg, '/') || strstr(arg, ".yaml") || strstr(arg, ".yml") ||
	       (stat(arg, &st) == 0 && S_ISREG(st.st_mode));
}

static int load_lab_or_file(const char *arg, struct topo *t)
{
	if (is_file(arg))
		return load_file(arg, t);
	struct topo_diag d = { 0 };
	struct nns_err err = { 0 };
	int r = topo_load_lab(arg, t, &d, &err);
	if (r == -EINVAL) {
		topo_diag_sort(&d);
		print_diag(&d);
	}
	topo_diag_free(&d);
	if (r < 0 && r != -EINVAL)
		cli_error(&err);
	return r == 0 ? EXIT_OK : r == -EINVAL ? EXIT_KERNEL : EXIT_FAIL;
}

static void print_line(const char *line, void *data)
{
	(void)data;
	printf("  %s\n", line);
}

static int usage(const char *cmd, const char *args)
{
	cli_errorf("Usage: netns %s %s", cmd, args);
	return EXIT_USAGE;
}

int cmd_up(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	bool dry = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n"))
			dry = true;
		else if (!file)
			file = argv[i];
		else
			return usage("up", "FILE [--dry-run]");
	}
	if (!file)
		return usage("up", "FILE [--dry-run]");
	struct topo t;
	int rc = load_file(file, &t);
	if (rc == EXIT_OK && dry) {
		printf("lab %s: plan (nothing created)\n", t.name);
		topo_plan_describe(&t, print_line, NULL);
	} else if (rc == EXIT_OK) {
		struct topo_diag d = { 0 };
		struct nns_err err = { 0 };
		struct topo_up_result res;
		int r = topo_up(&t, &d, &res, &err);
		if (r == -EINVAL && d.n) {
			topo_diag_sort(&d);
			d.file = t.file;
			print_diag(&d);
			rc = EXIT_KERNEL;
		} else if (r < 0) {
			cli_errorf("netns: up %s: %s", t.name, err.msg);
			rc = EXIT_FAIL;
		} else if (res.already_up) {
			printf("lab %s is already up from %s: nothing to do\n", t.name, file);
		} else {
			printf("lab %s is up: %zu nodes, %zu bridges, %zu links, %zu programs in "
			       "%.3f s\n",
			       t.name, res.nodes, res.bridges, res.links, res.programs, res.seconds);
		}
		topo_diag_free(&d);
	}
	(void)c;
	topo_free(&t);
	return rc;
}

/* The lab name of a FILE|LAB argument (a file is read for its name only). */
static int lab_name_of(const char *arg, char *name, size_t len)
{
	if (!is_file(arg)) {
		snprintf(name, len, "%s", arg);
		return EXIT_OK;
	}
	struct topo t;
	int rc = load_file(arg, &t);
	if (rc == EXIT_OK)
		snprintf(name, len, "%s", t.name);
	topo_free(&t);
	return rc;
}

int cmd_down(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc != 2)
		return usage("down", "FILE|LAB");
	char name[256];
	int rc = lab_name_of(argv[1], name, sizeof(name));
	if (rc != EXIT_OK)
		return rc;
	struct nns_err err = { 0 };
	struct topo_down_result res;
	int r = topo_down(name, &res, &err);
	if (r < 0) {
		cli_errorf("netns: down %s: %s", name, err.msg);
		return EXIT_FAIL;
	}
	if (!res.was_up)
		printf("lab %s is not up: nothing to do\n", name);
	else
		printf("lab %s is down: %zu namespaces removed, %zu processes stopped\n", name,
		       res.namespaces, res.processes);
	return EXIT_OK;
}

int cmd_graph(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc != 2)
		return usage("graph", "FILE|LAB");
	struct topo t;
	int rc = load_lab_or_file(argv[1], &t);
	if (rc == EXIT_OK) {
		char *dot = topo_graph_dot(&t);
		if (dot)
			fputs(dot, stdout);
		else
			rc = EXIT_FAIL;
		free(dot);
	}
	topo_free(&t);
	return rc;
}

int cmd_status(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	cli_errorf("netns: %s: not implemented yet", argv[0]);
	return EXIT_FAIL;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	cli_errorf("netns: %s: not implemented yet", argv[0]);
	return EXIT_FAIL;
}
