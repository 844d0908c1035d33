/* Argument parsing and dispatch (no kernel needed: every case stops before
 * touching a namespace), batch line splitting, and the output shapes of
 * list and list-id in text and JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <cmocka.h>

#include "cli/cli.h"

/* cli_main() on a NULL-terminated word list; the program name is added. */
static int run(const char *first, ...)
{
	char *argv[32] = { "netns" };
	int argc = 1;
	va_list ap;
	va_start(ap, first);
	for (const char *w = first; w && argc < 31; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	argv[argc] = NULL;
	/* Usage and version text go to stdout, which carries the TAP stream. */
	fflush(stdout);
	int saved = dup(1), null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	int r = cli_main(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
	return r;
}

static void usage_errors_exit_255(void **state)
{
	(void)state;
	assert_int_equal(run("help", NULL), 255);
	assert_int_equal(run("bogus", NULL), 255);
	assert_int_equal(run("", NULL), 255);
	assert_int_equal(run("-x", NULL), 255);
	assert_int_equal(run("-batch", NULL), 255);
	assert_int_equal(run("-netns", NULL), 255);
}

static void names_are_checked_before_dispatch(void **state)
{
	(void)state;
	assert_int_equal(run("bogus", "", NULL), 255); /* invalid name wins */
	assert_int_equal(run("add", "", NULL), 255);
	assert_int_equal(run("add", ".", NULL), 255);
	assert_int_equal(run("add", "..", NULL), 255);
	assert_int_equal(run("add", "a/b", NULL), 255);
	assert_int_equal(run("add", "a\nb", NULL), 255);
	assert_int_equal(run("list", "", NULL), 255);
	assert_int_equal(run("exec", "x/y", "true", NULL), 255);
}

static void missing_arguments_exit_1(void **state)
{
	(void)state;
	assert_int_equal(run("add", NULL), 1);
	assert_int_equal(run("delete", NULL), 1);
	assert_int_equal(run("attach", NULL), 1);
	assert_int_equal(run("attach", "x", NULL), 1);
	assert_int_equal(run("attach", "x", "abc", NULL), 1);
	assert_int_equal(run("attach", "x", "0", NULL), 1);
	assert_int_equal(run("set", NULL), 1);
	assert_int_equal(run("set", "x", NULL), 1);
	assert_int_equal(run("identify", "abc", NULL), 1);
	assert_int_equal(run("identify", "1", "2", NULL), 1);
	assert_int_equal(run("pids", NULL), 1);
	assert_int_equal(run("pids", "x", "y", NULL), 1);
	assert_int_equal(run("exec", NULL), 1);
	assert_int_equal(run("exec", "x", NULL), 1);
	assert_int_equal(run("-all", "exec", NULL), 1);
}

static void bad_values_exit_255(void **state)
{
	(void)state;
	assert_int_equal(run("set", "x", "abc", NULL), 255);
	assert_int_equal(run("set", "x", "-1", NULL), 255);
	assert_int_equal(run("set", "x", "1x", NULL), 255);
	assert_int_equal(run("list-id", "foo", NULL), 255);
	assert_int_equal(run("list-id", "nsid", NULL), 255);
	assert_int_equal(run("list-id", "nsid", "x", NULL), 255);
	assert_int_equal(run("list-id", "nsid", "-1", NULL), 255);
	assert_int_equal(run("list-id", "nsid", "7", "nsid", "7", NULL), 255);
	assert_int_equal(run("list-id", "target-nsid", "q", NULL), 255);
}

static void help_and_version_exit_0(void **state)
{
	(void)state;
	assert_int_equal(run("-V", NULL), 0);
	assert_int_equal(run("--Version", NULL), 0);
	assert_int_equal(run("-h", NULL), 0);
	const char *cmds[] = { "list",	   "list-id", "add",  "set",	 "delete",
			       "identify", "pids",    "exec", "monitor", "attach" };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		assert_int_equal(run(cmds[i], "-h", NULL), 0);
		assert_int_equal(run(cmds[i], "--help", NULL), 0);
	}
}

static char *write_batch(const char *text)
{
	static char path[] = "/tmp/t2unit-batch.XXXXXX";
	strcpy(path, "/tmp/t2unit-batch.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void batch_statuses(void **state)
{
	(void)state;
	assert_int_equal(run("-batch", "/nonexistent/t2", NULL), 1);
	char *f = write_batch("# comment only\n\n");
	assert_int_equal(run("-batch", f, NULL), 0);
	unlink(f);
	/* A failing command: "Command failed", exit 1, with or without -force. */
	f = write_batch("netns set x\nset y\n");
	assert_int_equal(run("-batch", f, NULL), 1);
	assert_int_equal(run("-force", "-batch", f, NULL), 1);
	unlink(f);
	/* A usage error ends the whole batch with 255, even with -force. */
	f = write_batch("set x\nbogus\nset y\n");
	assert_int_equal(run("-force", "-batch", f, NULL), 255);
	unlink(f);
	f = write_batch("set 'unterminated\n");
	assert_int_equal(run("-batch", f, NULL), 1);
	unlink(f);
}

static void batch_lines_split_like_ip(void **state)
{
	(void)state;
	char line[] = "  exec  'a b' \"c  d\" e\tf\n";
	char *argv[8];
	const char *why = NULL;
	assert_int_equal(cli_split_line(line, argv, 8, &why), 5);
	assert_string_equal(argv[0], "exec");
	assert_string_equal(argv[1], "a b");
	assert_string_equal(argv[2], "c  d");
	assert_string_equal(argv[3], "e");
	assert_string_equal(argv[4], "f");
	assert_null(argv[5]);
	char bad[] = "x 'y";
	assert_int_equal(cli_split_line(bad, argv, 8, &why), -1);
	assert_string_equal(why, "Unterminated quoted string");
	char many[] = "a b c d e f g h i";
	assert_int_equal(cli_split_line(many, argv, 8, &why), -1);
	assert_string_equal(why, "Too many arguments to command");
}

/* Capture what PRINT writes into a string (caller frees). */
#define CAPTURE(buf, print)                                                                        \
	do {                                                                                       \
		size_t len_;                                                                       \
		FILE *f_ = open_memstream(&(buf), &len_);                                          \
		print;                                                                             \
		fclose(f_);                                                                        \
	} while (0)

static void list_output_shapes(void **state)
{
	(void)state;
	struct nns_entry v[2] = { { .name = "a", .nsid = 7 }, { .name = "b", .nsid = -1 } };
	struct cli text = { 0 }, json = { .json = true };
	char *out = NULL;
	CAPTURE(out, cli_print_list(f_, &text, v, 2));
	assert_string_equal(out, "a (id: 7)\nb\n");
	free(out);
	CAPTURE(out, cli_print_list(f_, &json, v, 2));
	assert_string_equal(out, "[{\"name\":\"a\",\"id\":7},{\"name\":\"b\"}]\n");
	free(out);
	CAPTURE(out, cli_print_list(f_, &json, v, 0));
	assert_string_equal(out, "[]\n");
	free(out);
}

static void list_id_output_shapes(void **state)
{
	(void)state;
	struct nns_id v[3] = {
		{ .nsid = 0, .current_nsid = -1, .name = "x" },
		{ .nsid = 60, .current_nsid = -1, .name = "" },
		{ .nsid = 23, .has_current = true, .current_nsid = 0, .name = "y" },
	};
	struct cli text = { 0 }, json = { .json = true };
	char *out = NULL;
	CAPTURE(out, cli_print_ids(f_, &text, v, 3));
	assert_string_equal(out, "nsid 0 (iproute2 netns name: x)\n"
				 "nsid 60 \n"
				 "nsid 23 current-nsid 0 (iproute2 netns name: y)\n");
	free(out);
	CAPTURE(out, cli_print_ids(f_, &json, v, 3));
	assert_string_equal(out, "[{\"nsid\":0,\"name\":\"x\"},{\"nsid\":60},"
				 "{\"nsid\":23,\"current-nsid\":0,\"name\":\"y\"}]\n");
	free(out);
	v[0].has_current = true; /* a peer the target knows and we do not */
	CAPTURE(out, cli_print_ids(f_, &text, v, 1));
	assert_string_equal(out, "nsid 0 current-nsid unassigned (iproute2 netns name: x)\n");
	free(out);
}

int main(void)
{
	/* The handlers print iproute2's messages; keep the TAP stream clean. */
	if (!freopen("/dev/null", "w", stderr))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(usage_errors_exit_255),
		cmocka_unit_test(names_are_checked_before_dispatch),
		cmocka_unit_test(missing_arguments_exit_1),
		cmocka_unit_test(bad_values_exit_255),
		cmocka_unit_test(help_and_version_exit_0),
		cmocka_unit_test(batch_statuses),
		cmocka_unit_test(batch_lines_split_like_ip),
		cmocka_unit_test(list_output_shapes),
		cmocka_unit_test(list_id_output_shapes),
	};
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
