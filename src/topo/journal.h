/*
 * journal — what `up` is about to create, appended line by line to the lab's
 * state file "journal" *before* each creation, so `down` can undo an `up`
 * killed at any instant. Plain text, one record per line:
 *
 *   ns NAME                      about to create namespace NAME
 *   notours NAME                 NAME existed already: not the lab's
 *   proc PID START NODE KIND I   a program (KIND run|exec|sup, I its index)
 *   exit PID STATUS              a program ended (wait status)
 *   up                           the build completed
 *
 * Writes go to tmpfs without fsync: the journal only has to survive the
 * process, not the machine (namespaces do not survive a reboot either).
 */
#ifndef NNS_TOPO_JOURNAL_H
#define NNS_TOPO_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "netns.h"
#include "state.h"

int lab_journal_open(struct lab_state *st, bool truncate, struct nns_err *err);
/* Append one or more complete lines (TEXT ends with '\n'). */
int lab_journal_write(struct lab_state *st, const char *text, size_t len, struct nns_err *err);
int lab_journal_printf(struct lab_state *st, struct nns_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct journal_proc {
	pid_t pid;
	unsigned long long start; /* /proc/PID/stat starttime: guards against pid reuse */
	char node[256];
	char kind[8];
	unsigned index;
	bool exited;
	int status; /* wait status when exited */
};

struct lab_journal {
	char **ns; /* namespaces to remove (journaled, minus "notours") */
	size_t nns;
	struct journal_proc *procs;
	size_t nprocs;
	bool complete;
};

/* Read the journal of an open lab dir; a missing journal is empty. */
int lab_journal_read(int dirfd, struct lab_journal *j, struct nns_err *err);
void lab_journal_free(struct lab_journal *j);

/* starttime of PID from /proc (0 when it is gone). */
unsigned long long proc_starttime(pid_t pid);

#endif
