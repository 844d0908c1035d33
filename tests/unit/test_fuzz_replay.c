/*
 * Replays the fuzzers' seed corpora and every input a fuzzer once found
 * (tests/fuzz/regressions/NAME/) through the same harness code, so each
 * fixed finding stays fixed in a plain `make check` (and under valgrind).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#define FUZZ_NO_MAIN
#include "../fuzz/fuzz_args.c"
#include "../fuzz/fuzz_batch.c"
#include "../fuzz/fuzz_topo.c"

static const char *tests_dir(void)
{
	const char *d = getenv("TESTS_DIR");
	return d && *d ? d : "tests";
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *b = realloc(buf, cap);
			assert_non_null(b);
			buf = b;
		}
		size_t n = fread(buf + *len, 1, cap - *len, f);
		if (!n)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

/* Run ONE on every file of tests/fuzz/SUB; returns how many there were. */
static size_t replay_dir(const char *sub, int (*one)(const uint8_t *, size_t))
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/fuzz/%s", tests_dir(), sub);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t n = 0;
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_name[0] == '.')
			continue;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		size_t len;
		uint8_t *data = read_all(path, &len);
		if (!data)
			continue;
		one(data, len);
		free(data);
		n++;
	}
	closedir(d);
	return n;
}

static void replay(const char *name, int (*one)(const uint8_t *, size_t))
{
	char sub[64];
	size_t seeds = replay_dir(name, one);
	snprintf(sub, sizeof(sub), "regressions/%s", name);
	replay_dir(sub, one);
	assert_true(seeds > 0); /* the seed corpus was found */
}

static void topo_corpus_and_findings(void **state)
{
	(void)state;
	replay("topo", fuzz_topo_one);
}

static void args_corpus_and_findings(void **state)
{
	(void)state;
	replay("args", fuzz_args_one);
}

static void batch_corpus_and_findings(void **state)
{
	(void)state;
	replay("batch", fuzz_batch_one);
}

/* Finding 1 (fuzz_topo): an empty list item followed by NUL bytes had no
 * position, so the message read "FILE:0:0: ...". */
static void empty_item_keeps_its_position(void **state)
{
	(void)state;
	static const char y[] = "name: x\nnodes: {a: {}}\nlinks:\n  -\0\n";
	struct topo t;
	struct topo_diag d = {0};
	topo_load_text("f.yaml", y, sizeof(y) - 1, &t, &d);
	topo_validate(&t, &d);
	assert_true(d.n > 0);
	for (size_t i = 0; i < d.n; i++)
		assert_true(d.v[i].pos.line > 0);
	topo_diag_free(&d);
	topo_free(&t);
}

/* Finding 2 (fuzz_topo): libfyaml 0.7 looped forever on "%" and a byte
 * that is not UTF-8; such a file is refused before libfyaml sees it. */
static void invalid_utf8_is_refused_at_its_position(void **state)
{
	(void)state;
	alarm(20); /* a regression hangs: let it fail instead */
	static const char y[] = "name: u\n%\xe5\n";
	struct topo t;
	struct topo_diag d = {0};
	assert_int_equal(topo_load_text("f.yaml", y, sizeof(y) - 1, &t, &d), -EINVAL);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].pos.line, 2);
	assert_int_equal(d.v[0].pos.col, 2);
	assert_non_null(strstr(d.v[0].msg, "invalid UTF-8 byte 0xe5"));
	topo_diag_free(&d);
	topo_free(&t);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(topo_corpus_and_findings),
		cmocka_unit_test(args_corpus_and_findings),
		cmocka_unit_test(batch_corpus_and_findings),
		cmocka_unit_test(empty_item_keeps_its_position),
		cmocka_unit_test(invalid_utf8_is_refused_at_its_position),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
