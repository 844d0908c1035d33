/* validate — how the parts of a topology refer to each other and to the machine. */
#ifndef NNS_TOPO_VALIDATE_H
#define NNS_TOPO_VALIDATE_H

#include "model.h"

/*
 * Resolve link endpoints (adding veth ends and auto-named bridge ports to the
 * nodes), check references, names and limits. Every problem goes to DIAG;
 * returns 0 or -EINVAL.
 */
int topo_validate(struct topo *t, struct topo_diag *diag);

/*
 * Namespaces named <lab>-<node> that already exist must be the lab's own
 * (OWNED says so, from the lab's journal); any other is a collision.
 * DIRFD is the open /run/netns (or < 0 when it does not exist).
 */
typedef bool (*topo_owned_fn)(const char *ns, void *data);
int topo_validate_machine(const struct topo *t, int dirfd, topo_owned_fn owned, void *data,
			  struct topo_diag *diag);

#endif
