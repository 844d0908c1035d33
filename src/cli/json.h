/* JSON output for listing commands (the only module that sees jansson). */
#ifndef NNS_CLI_JSON_H
#define NNS_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

struct jout; /* an array or object under construction */

struct jout *jout_array(void);
struct jout *jout_object(void);
/* Append VALUE to ARRAY, taking ownership of VALUE. */
void jout_append(struct jout *array, struct jout *value);
void jout_set_str(struct jout *obj, const char *key, const char *value);
void jout_set_int(struct jout *obj, const char *key, long long value);
void jout_set_bool(struct jout *obj, const char *key, bool value);
/* Set KEY to VALUE, taking ownership of VALUE. */
void jout_set(struct jout *obj, const char *key, struct jout *value);
/* Print compact (iproute2's form) or indented, then a newline; frees J. */
void jout_print(FILE *f, struct jout *j, bool pretty);

#endif
