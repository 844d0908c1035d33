/* topo — the lifecycle of a lab: up, down, status, check, graph. */
#ifndef NNS_TOPO_TOPO_H
#define NNS_TOPO_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "load.h"
#include "model.h"
#include "netns.h"
#include "plan.h"
#include "validate.h"

struct topo_up_result {
	bool already_up; /* same lab from the same file: nothing done */
	size_t nodes, bridges, links, programs;
	double seconds;
};

/*
 * Build a loaded, validated, planned topology. Collisions with namespaces
 * that are not the lab's go to DIAG (-EINVAL, nothing created); any other
 * failure removes everything this call created and names the step, the
 * object and the kernel's reason in ERR.
 */
int topo_up(struct topo *t, struct topo_diag *diag, struct topo_up_result *res,
	    struct nns_err *err);

/* What `up` would refuse on this machine (collisions), without a lock or
 * any change: for --dry-run. -EINVAL with DIAG filled, or 0. */
int topo_preflight(const struct topo *t, struct topo_diag *diag, struct nns_err *err);

struct topo_down_result {
	bool was_up;	   /* false: nothing of that name (a note, not an error) */
	size_t namespaces; /* removed */
	size_t processes;  /* signalled */
};
/* Tear lab NAME down from its journal (the file is not needed). */
int topo_down(const char *lab, struct topo_down_result *res, struct nns_err *err);

/* Stop the processes of J and every process in namespaces NAMES[0..n-1],
 * then remove those namespaces (shared by down and up's rollback). */
struct lab_journal;
int lab_undo(const struct lab_journal *j, const char *const *names, size_t n,
	     struct topo_down_result *res, struct nns_err *err);

/* Load the topology a lab was built from (its state copy). -ENOENT: not up. */
int topo_load_lab(const char *lab, struct topo *t, struct topo_diag *diag, struct nns_err *err);

/* Make room for about 2 fds per node (raise the soft RLIMIT_NOFILE). */
int topo_ensure_fds(size_t nodes, struct nns_err *err);

/* Graphviz DOT of T into a malloc'd string. */
char *topo_graph_dot(const struct topo *t);

#endif
