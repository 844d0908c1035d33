/* netns — the command-line tool; everything else lives in dispatch.c. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
