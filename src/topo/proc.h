/*
 * proc — the lab's programs. `run:` programs are children of a small
 * supervisor process (forked, not exec'd) that records their exit statuses
 * in the journal; `exec:` commands are run by `up` itself and must succeed.
 * Every program starts in its node's namespace with a clean environment,
 * stdin on /dev/null, output in a log file of the lab's state directory and
 * no other fd open. Each pid is journaled before the program may exec, so a
 * `kill -9` of `up` never leaves an unrecorded process behind.
 */
#ifndef NNS_TOPO_PROC_H
#define NNS_TOPO_PROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "journal.h"
#include "model.h"

/* Start every run: program of T through a supervisor; returns once all
 * have exec'd (or the first failure, then ERR names the program). */
int lab_run_programs(struct lab_state *st, const struct topo *t, struct nns_err *err);
/* Run every exec: command in order, waiting for each; a non-zero exit is
 * an error quoting the start of its output. */
int lab_exec_commands(struct lab_state *st, const struct topo *t, struct nns_err *err);

/* Log file name of program INDEX of KIND ("run"/"exec") on NODE. */
void lab_log_name(const char *node, const char *kind, unsigned index, char *buf, size_t len);

/*
 * Stop the lab's processes: those in the journal (pid and start time
 * match) and any process living in one of NS_INODES (the lab's namespaces,
 * sorted), TERM then KILL after TIMEOUT_MS. Returns how many were signalled.
 */
int lab_kill_processes(const struct lab_journal *j, const unsigned long long *ns_inodes,
		       size_t n_inodes, int timeout_ms);

#endif
