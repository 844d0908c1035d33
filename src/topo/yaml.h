/*
 * yaml — a YAML document as a small tree with a position on every node.
 *
 * yaml.c is the only file that sees libfyaml: it reads the parser's events
 * (which carry marks for collections as well as scalars) into this tree, and
 * turns the parser's own diagnostics into topo_diag entries.
 */
#ifndef NNS_TOPO_YAML_H
#define NNS_TOPO_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

enum ynode_type { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_type type;
	struct topo_pos pos;
	char *str; /* scalars: NUL-terminated content */
	size_t len;
	bool plain; /* unquoted scalar (so "~" or "" means null) */
	/* Sequences: items in kids[0..n-1]. Mappings: key kids[2i], value kids[2i+1]. */
	struct ynode **kids;
	size_t n, cap;
};

/* Every node is owned by the document (aliases share nodes). */
struct ydoc {
	struct ynode *root; /* NULL for an empty document */
	struct ynode **all;
	size_t nall, capall;
};

/* Parse TEXT (LEN bytes). Syntax errors go to DIAG; returns 0 or -EINVAL
 * (then DIAG has at least one entry) or -ENOMEM. */
int ydoc_parse(struct ydoc *doc, const char *text, size_t len, struct topo_diag *diag);
void ydoc_free(struct ydoc *doc);

/* Helpers for readers of the tree. */
size_t ymap_len(const struct ynode *m);
const struct ynode *ymap_key(const struct ynode *m, size_t i);
const struct ynode *ymap_val(const struct ynode *m, size_t i);
bool ynode_is_null(const struct ynode *n);

#endif
