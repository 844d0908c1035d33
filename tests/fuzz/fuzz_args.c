/*
 * Fuzz target: a command line (words separated by NUL bytes) through the
 * global option parser, the command lookup and the name check — the pure
 * part of cli_main(); no command is ever run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define FUZZ_ARGS_MAX 64

/* Stands in for cli_enter(): refuses what nns_enter() would refuse first. */
static int fuzz_args_enter(const char *name)
{
	return nns_name_valid(name) ? EXIT_OK : EXIT_USAGE;
}

static bool fuzz_args_within(const char *p, char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		if (p == argv[i])
			return true;
	return false;
}

static int fuzz_args_one(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *words[FUZZ_ARGS_MAX + 1] = {"netns"};
	int n = 1;
	for (char *p = buf; p <= buf + size && n < FUZZ_ARGS_MAX; p += strlen(p) + 1)
		words[n++] = p;
	words[n] = NULL;

	struct cli c = {.prog = "netns"};
	int argc = n - 1, status;
	char **argv = words + 1;
	const char *culprit;
	enum cli_verdict v = cli_parse_options(&c, &argc, &argv, fuzz_args_enter, &status,
					       &culprit);
	if (argc < 0 || argv < words + 1 || argv > words + n)
		abort();
	if (v == CLI_UNKNOWN_OPTION && !fuzz_args_within(culprit, words, n))
		abort();
	if (v == CLI_RUN) {
		const struct cli_cmd *cmd;
		v = cli_resolve(&c, argc, argv, &cmd, &culprit);
		if (v == CLI_RUN && (!cmd || !cmd->run || !cmd->name))
			abort();
		if ((v == CLI_BAD_NAME || v == CLI_UNKNOWN_COMMAND) &&
		    !fuzz_args_within(culprit, argv, argc))
			abort();
		if (v == CLI_BAD_NAME && nns_name_valid(culprit))
			abort();
	}
	free(buf);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_args_one(data, size);
}
#endif
