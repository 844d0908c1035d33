/* Placeholder until this command group lands: fails loudly. */
#include "cli.h"

int cmd_set(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	cli_errorf("netns: %s: not implemented yet", argv[0]);
	return EXIT_FAIL;
}

int cmd_list_id(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	cli_errorf("netns: %s: not implemented yet", argv[0]);
	return EXIT_FAIL;
}

