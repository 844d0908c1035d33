/* Placeholder until -batch lands: fails loudly. */
#include "cli.h"

int cmd_batch(struct cli *c, const char *file)
{
	(void)c;
	cli_errorf("netns: -batch %s: not implemented yet", file);
	return EXIT_FAIL;
}
