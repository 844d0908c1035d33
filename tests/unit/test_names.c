/* Name validation: iproute2's rules plus the control-character refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "netns.h"

static void accepts_what_iproute2_accepts(void **state)
{
	(void)state;
	assert_true(nns_name_valid("a"));
	assert_true(nns_name_valid("T sp"));
	assert_true(nns_name_valid("-Tdash"));
	assert_true(nns_name_valid("*"));
	assert_true(nns_name_valid("...") );
	assert_true(nns_name_valid("\xc3\xa9t\xc3\xa9")); /* UTF-8 */
	char max[256];
	memset(max, 'x', 255);
	max[255] = '\0';
	assert_true(nns_name_valid(max));
}

static void refuses_empty_dots_slash_long(void **state)
{
	(void)state;
	assert_false(nns_name_valid(""));
	assert_false(nns_name_valid("."));
	assert_false(nns_name_valid(".."));
	assert_false(nns_name_valid("a/b"));
	assert_false(nns_name_valid("/"));
	char over[257];
	memset(over, 'x', 256);
	over[256] = '\0';
	assert_false(nns_name_valid(over));
}

static void refuses_control_characters(void **state)
{
	(void)state;
	assert_false(nns_name_valid("a\nb"));
	assert_false(nns_name_valid("tab\there"));
	assert_false(nns_name_valid("del\x7f"));
	assert_false(nns_name_valid("\x1b[31m"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_what_iproute2_accepts),
		cmocka_unit_test(refuses_empty_dots_slash_long),
		cmocka_unit_test(refuses_control_characters),
	};
	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
