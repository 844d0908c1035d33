/* -batch FILE: one command per line, as `ip -batch` (FILE "-" is stdin). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Next logical line without comments; NULL at the end of the file. */
char *cli_batch_next(struct cli_batch_reader *br)
{
	ssize_t n = getline(&br->line, &br->cap, br->f);
	if (n < 0)
		return NULL;
	br->lineno++;
	while (n >= 2 && br->line[n - 1] == '\n' && br->line[n - 2] == '\\') {
		char *more = NULL;
		size_t mcap = 0;
		ssize_t m = getline(&more, &mcap, br->f);
		if (m < 0) {
			free(more);
			break;
		}
		br->lineno++;
		br->line[n - 2] = '\0';
		char *joined = NULL;
		if (asprintf(&joined, "%s%s", br->line, more) < 0) {
			free(more);
			return NULL;
		}
		free(more);
		free(br->line);
		br->line = joined;
		br->cap = strlen(joined) + 1;
		n = (ssize_t)strlen(joined);
	}
	char *hash = strchr(br->line, '#');
	if (hash)
		*hash = '\0';
	return br->line;
}

/*
 * Split LINE in place into words (iproute2's makeargs): blanks separate,
 * a word opened by ' or " runs to the same quote. Returns the count, or -1
 * with *WHY saying what is wrong.
 */
int cli_split_line(char *line, char **argv, int max, const char **why)
{
	static const char ws[] = " \t\r\n";
	int argc = 0;
	char *p = line;
	for (;;) {
		p += strspn(p, ws);
		if (!*p)
			break;
		if (argc >= max - 1) {
			*why = "Too many arguments to command";
			return -1;
		}
		if (*p == '\'' || *p == '"') {
			char quote = *p++;
			argv[argc++] = p;
			p = strchr(p, quote);
			if (!p) {
				*why = "Unterminated quoted string";
				return -1;
			}
		} else {
			argv[argc++] = p;
			p += strcspn(p, ws);
			if (!*p)
				break;
		}
		*p++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

/* Run one line; "netns" as first word is skipped so `ip -batch` files work. */
static int run_line(struct cli *c, char *line)
{
	char *argv[CLI_BATCH_MAX_ARGS];
	const char *why;
	int argc = cli_split_line(line, argv, CLI_BATCH_MAX_ARGS, &why);
	if (argc < 0) {
		cli_errorf("%s", why);
		return EXIT_FAIL;
	}
	char **a = argv;
	if (argc > 0 && !strcmp(a[0], "netns"))
		argc--, a++;
	if (argc == 0 && a == argv)
		return EXIT_OK; /* blank or comment line */
	/* Options a line sets (`delete -all`, `list -j`) end with the line. */
	struct cli line_opts = *c;
	int r = cli_dispatch(&line_opts, argc, a);
	c->abort = line_opts.abort;
	return r;
}

int cmd_batch(struct cli *c, const char *file)
{
	struct cli_batch_reader br = { .f = stdin };
	if (strcmp(file, "-") != 0 && !(br.f = fopen(file, "re"))) {
		cli_errorf("Cannot open file \"%s\" for reading: %s", file, strerror(errno));
		return EXIT_FAIL;
	}
	c->in_batch = true;
	int status = EXIT_OK;
	for (char *line; (line = cli_batch_next(&br));) {
		int r = run_line(c, line);
		/* ip exit()s on usage errors and when exec's child is killed. */
		if (r == EXIT_USAGE || c->abort) {
			status = r;
			break;
		}
		if (r != EXIT_OK) {
			fflush(stdout);
			cli_errorf("Command failed %s:%d", file, br.lineno);
			status = EXIT_FAIL;
			if (!c->force)
				break;
		}
	}
	free(br.line);
	if (br.f != stdin)
		fclose(br.f);
	return status;
}
