/*
 * state — a lab's directory /run/netns-labs/<lab>/ (tmpfs: gone at reboot,
 * like the namespaces it describes):
 *
 *   lock           flock()ed by up and down for their whole run
 *   journal        what up is about to create, line by line (see journal.c)
 *   topology.yaml  the file the lab was built from ("up from the same file?")
 *   source         the path that file was read from
 *   *.log          output of the lab's programs
 *
 * Directories are 0700, files 0600, every path is reached with openat() from
 * the directory fd with O_NOFOLLOW, so a planted symlink is never followed.
 */
#ifndef NNS_TOPO_STATE_H
#define NNS_TOPO_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "netns.h"

#ifndef NNS_LABS_DIR
#define NNS_LABS_DIR "/run/netns-labs"
#endif

struct lab_state {
	char name[256];
	int dirfd;     /* the lab's directory */
	int lockfd;    /* holds the flock */
	int journalfd; /* O_APPEND, -1 until opened */
};

/*
 * Open (CREATE: make) the lab's directory and take its lock without
 * waiting: -EBUSY with a clear message when another up/down holds it.
 * Without CREATE, a missing lab gives -ENOENT (no message).
 */
int lab_state_open(const char *lab, bool create, struct lab_state *st, struct nns_err *err);
void lab_state_close(struct lab_state *st);
/* Remove every file of the directory and the directory itself (keeps the
 * lock held until lab_state_close). */
int lab_state_remove(struct lab_state *st, struct nns_err *err);

/* Read a small file of the lab dir into a malloc'd NUL-terminated buffer. */
int lab_file_read(int dirfd, const char *name, char **out, size_t *len, struct nns_err *err);
/* Read FD to its end (at most MAX bytes, else -EFBIG) into a malloc'd
 * NUL-terminated buffer. */
int lab_read_fd(int fd, size_t max, char **out, size_t *len);
/* Write a file atomically (temp file + rename), 0600. */
int lab_file_write(int dirfd, const char *name, const void *data, size_t len, struct nns_err *err);
/* Open (create, append) a log file for a program: fd, 0600. */
int lab_log_open(int dirfd, const char *name, struct nns_err *err);

/* Names of the labs that have a state directory (malloc'd array of
 * malloc'd strings). */
int lab_list(char ***names, size_t *n, struct nns_err *err);
void lab_list_free(char **names, size_t n);

#endif
