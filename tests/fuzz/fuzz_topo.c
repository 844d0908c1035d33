/*
 * Fuzz target: a topology file through the loader, the validator, the
 * planner, the dry-run description and the DOT graph — everything `up`
 * does before it touches the kernel (and nothing after).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "topo/load.h"
#include "topo/plan.h"
#include "topo/topo.h"
#include "topo/validate.h"

static void fuzz_topo_line(const char *line, void *data)
{
	size_t *total = data;
	*total += strlen(line);
}

static int fuzz_topo_one(const uint8_t *data, size_t size)
{
	struct topo t;
	struct topo_diag d = {0};
	int r = topo_load_text("fuzz.yaml", (const char *)data, size, &t, &d);
	/* As cmd_up: a file with mistakes is still validated as a whole. */
	if (r == 0 || r == -EINVAL) {
		int v = topo_validate(&t, &d);
		r = r ? r : v;
	}
	topo_diag_sort(&d);
	for (size_t i = 0; i < d.n; i++)
		if (!d.v[i].msg || !d.v[i].pos.line)
			abort(); /* every problem has a message and a position */
	if (r == 0 && d.n == 0) {
		size_t total = 0;
		topo_plan(&t);
		topo_plan_describe(&t, fuzz_topo_line, &total);
		free(topo_graph_dot(&t));
	} else if (r == 0) {
		abort(); /* problems reported but the file accepted */
	}
	topo_diag_free(&d);
	topo_free(&t);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_topo_one(data, size);
}
#endif
