/* Placeholder until this command group lands: fails loudly. */
#include "cli.h"

int cmd_up(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	cli_errorf("netns: %s: not implemented yet", argv[0]);
	return EXIT_FAIL;
}

int cmd_down(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	cli_errorf("netns: %s: not implemented yet", argv[0]);
	return EXIT_FAIL;
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

int cmd_graph(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	cli_errorf("netns: %s: not implemented yet", argv[0]);
	return EXIT_FAIL;
}

