/*
 * Fuzz target: a -batch file through the line reader (comments, joined
 * backslash-newlines), the word splitter and the command lookup, as
 * cmd_batch() does it — without running any line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int fuzz_batch_one(const uint8_t *data, size_t size)
{
	if (!size)
		return 0; /* fmemopen refuses an empty buffer */
	struct cli_batch_reader br = {.f = fmemopen((void *)data, size, "r")};
	if (!br.f)
		return 0;
	struct cli c = {.prog = "netns", .in_batch = true};
	int lines = 0;
	for (char *line; (line = cli_batch_next(&br)); lines++) {
		if (br.lineno <= lines)
			abort(); /* line numbers move forward */
		char *argv[CLI_BATCH_MAX_ARGS];
		const char *why;
		int argc = cli_split_line(line, argv, CLI_BATCH_MAX_ARGS, &why);
		if (argc < 0) {
			if (!why)
				abort();
			continue;
		}
		if (argc >= CLI_BATCH_MAX_ARGS || argv[argc])
			abort();
		char **a = argv;
		if (argc > 0 && !strcmp(a[0], "netns"))
			argc--, a++;
		const struct cli_cmd *cmd;
		const char *culprit;
		cli_resolve(&c, argc, a, &cmd, &culprit);
	}
	free(br.line);
	fclose(br.f);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_batch_one(data, size);
}
#endif
