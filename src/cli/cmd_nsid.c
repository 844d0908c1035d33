/* set, list-id: nsids, the integers a namespace uses to name its peers. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

/* iproute2's get_integer(): base 0 (so 0x10 is 16), the whole word, an int. */
static int parse_int(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (!*s || *end || errno || v > INT_MAX || v < INT_MIN)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* "Error: argument "X" is wrong: WHY" (iproute2's invarg), exit 255. */
static int bad_argument(const char *arg, const char *why)
{
	cli_errorf("Error: argument \"%s\" is wrong: %s", arg, why);
	return EXIT_USAGE;
}

int cmd_set(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc < 2) {
		cli_errorf("No netns name specified");
		return EXIT_FAIL;
	}
	if (argc < 3) {
		cli_errorf("No nsid specified");
		return EXIT_FAIL;
	}
	int nsid = NNS_NSID_AUTO;
	if (strcmp(argv[2], "auto") != 0) {
		if (parse_int(argv[2], &nsid) < 0)
			return bad_argument(argv[2], "Invalid \"netnsid\" value");
		if (nsid < 0)
			return bad_argument(argv[2], "\"netnsid\" value should be >= 0");
	}
	struct nns_err err = { 0 };
	if (nns_set_nsid(argv[1], nsid, &err) < 0)
		return cli_fail(&err);
	return EXIT_OK;
}

static void print_id(FILE *f, const char *key, int id)
{
	if (id >= 0)
		fprintf(f, "%s %d ", key, id);
	else
		fprintf(f, "%s unassigned ", key);
}

void cli_print_ids(FILE *f, const struct cli *c, const struct nns_id *v, size_t n)
{
	if (c->json) {
		struct jout *arr = jout_array();
		for (size_t i = 0; i < n; i++) {
			struct jout *o = jout_object();
			if (v[i].nsid >= 0)
				jout_set_int(o, "nsid", v[i].nsid);
			if (v[i].has_current && v[i].current_nsid >= 0)
				jout_set_int(o, "current-nsid", v[i].current_nsid);
			if (v[i].name[0])
				jout_set_str(o, "name", v[i].name);
			jout_append(arr, o);
		}
		jout_print(f, arr, c->pretty);
		return;
	}
	/* iproute2's print_nsid(), trailing space included when unnamed. */
	for (size_t i = 0; i < n; i++) {
		print_id(f, "nsid", v[i].nsid);
		if (v[i].has_current)
			print_id(f, "current-nsid", v[i].current_nsid);
		if (v[i].name[0])
			fprintf(f, "(iproute2 netns name: %s)", v[i].name);
		fputc('\n', f);
	}
}

/* One "KEYWORD VALUE" pair of list-id: a non-negative int, given once. */
static int parse_id_arg(int *argc, char ***argv, const char *key, int *out)
{
	if (*out >= 0) {
		cli_errorf("Error: duplicate \"%s\": \"%s\" is the second value.", key, key);
		return EXIT_USAGE;
	}
	if (*argc < 2) {
		cli_errorf("Command line is not complete. Try option \"help\"");
		return EXIT_USAGE;
	}
	(*argc)--, (*argv)++;
	const char *v = (*argv)[0];
	char why[64];
	if (parse_int(v, out) < 0) {
		snprintf(why, sizeof(why), "\"%s\" value is invalid", key);
		return bad_argument(v, why);
	}
	if (*out < 0) {
		snprintf(why, sizeof(why), "\"%s\" value should be >= 0", key);
		return bad_argument(v, why);
	}
	return EXIT_OK;
}

int cmd_list_id(struct cli *c, int argc, char **argv)
{
	int target = -1, nsid = -1, r = EXIT_OK;
	for (argc--, argv++; argc > 0 && r == EXIT_OK; argc--, argv++) {
		if (!strcmp(argv[0], "target-nsid")) {
			r = parse_id_arg(&argc, &argv, "target-nsid", &target);
		} else if (!strcmp(argv[0], "nsid")) {
			r = parse_id_arg(&argc, &argv, "nsid", &nsid);
		} else if (cli_is_json_flag(argv[0])) {
			c->json = true;
		} else {
			cli_usage(stderr, cli_command("list-id"));
			r = EXIT_USAGE;
		}
	}
	if (r != EXIT_OK)
		return r;
	struct nns_err err = { 0 };
	struct nns_id one, *v = &one;
	size_t n = 1;
	if (nsid >= 0)
		r = nns_get_id(target, nsid, &one, &err);
	else
		r = nns_list_ids(target, &v, &n, &err);
	/* A failed dump is exit 1 in iproute2 (rtnl_talk's 2 is for requests). */
	if (r < 0 && nsid < 0) {
		cli_error(&err);
		return EXIT_FAIL;
	}
	if (r < 0)
		return cli_fail(&err);
	cli_print_ids(stdout, c, v, n);
	if (v != &one)
		free(v);
	return EXIT_OK;
}
