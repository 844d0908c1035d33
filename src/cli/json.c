#include "json.h"

#include <jansson.h>

/* struct jout is jansson's json_t; the casts keep jansson out of headers. */
#define J(x) ((json_t *)(x))

struct jout *jout_array(void)
{
	return (struct jout *)json_array();
}

struct jout *jout_object(void)
{
	return (struct jout *)json_object();
}

void jout_append(struct jout *array, struct jout *value)
{
	json_array_append_new(J(array), J(value));
}

void jout_set_str(struct jout *obj, const char *key, const char *value)
{
	json_object_set_new(J(obj), key, json_string(value));
}

void jout_set_int(struct jout *obj, const char *key, long long value)
{
	json_object_set_new(J(obj), key, json_integer(value));
}

void jout_set_bool(struct jout *obj, const char *key, bool value)
{
	json_object_set_new(J(obj), key, json_boolean(value));
}

void jout_set(struct jout *obj, const char *key, struct jout *value)
{
	json_object_set_new(J(obj), key, J(value));
}

void jout_print(FILE *f, struct jout *j, bool pretty)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;
	flags |= pretty ? JSON_INDENT(4) : JSON_COMPACT;
	json_dumpf(J(j), f, flags);
	fputc('\n', f);
	json_decref(J(j));
}
