/* status — what of a lab exists right now, as seen by the kernel. */
#ifndef NNS_TOPO_STATUS_H
#define NNS_TOPO_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "journal.h"
#include "model.h"
#include "netns.h"

struct status_iface {
	char name[16];
	bool present, up;
	char addrs[512]; /* from the kernel: "10.0.1.2/24 fd00::2/64" */
};

struct status_node {
	const struct topo_node *node;
	bool present;
	struct status_iface *ifaces; /* one per model interface, same order */
};

struct status_proc {
	struct journal_proc p;
	bool alive;
	char log[300]; /* absolute path of its log file */
};

struct lab_status {
	char name[256];
	char source[PATH_MAX];
	bool complete; /* up finished */
	struct topo t; /* the lab's own copy of its file */
	struct status_node *nodes;
	struct status_proc *procs;
	size_t nprocs;
};

int lab_status_get(const char *lab, struct lab_status *s, struct nns_err *err);
void lab_status_free(struct lab_status *s);
/* Both ends of link I present and up. */
bool lab_status_link_ok(const struct lab_status *s, size_t i);

#endif
