/* The lab's journal: append before creating, read back by down and status. */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "../util/fault.h"

int lab_journal_open(struct lab_state *st, bool truncate, struct nns_err *err)
{
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC;
	if (truncate)
		flags |= O_TRUNC;
	st->journalfd = openat(st->dirfd, "journal", flags, 0600);
	if (st->journalfd < 0)
		return err_sys(err, errno, "cannot open the journal of lab \"%s\"", st->name);
	return 0;
}

int lab_journal_write(struct lab_state *st, const char *text, size_t len, struct nns_err *err)
{
	int fault = fault_point("writing the journal", err); /* test builds only */
	if (fault < 0) {
		err_prefix(err, "lab \"%s\"", st->name);
		return fault;
	}
	while (len) {
		ssize_t n = write(st->journalfd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, errno, "writing the journal of lab \"%s\"", st->name);
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int lab_journal_printf(struct lab_state *st, struct nns_err *err, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return err_msg(err, EOVERFLOW, "journal line too long");
	return lab_journal_write(st, line, (size_t)n, err);
}

static int add_ns(struct lab_journal *j, const char *name)
{
	if (!(j->nns & (j->nns - 1)) || !j->nns) {
		char **v = realloc(j->ns, (j->nns ? j->nns * 2 : 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		j->ns = v;
	}
	if (!(j->ns[j->nns] = strdup(name)))
		return -ENOMEM;
	j->nns++;
	return 0;
}

static void drop_ns(struct lab_journal *j, const char *name)
{
	for (size_t i = j->nns; i-- > 0;)
		if (!strcmp(j->ns[i], name)) {
			free(j->ns[i]);
			j->ns[i] = j->ns[--j->nns];
			return;
		}
}

static int add_proc(struct lab_journal *j, const char *args)
{
	struct journal_proc p = {0};
	int pid;
	if (sscanf(args, "%d %llu %255s %7s %u", &pid, &p.start, p.node, p.kind, &p.index) != 5 ||
	    pid <= 1)
		return 0; /* a torn line from a kill -9 mid-write */
	p.pid = pid;
	if (!(j->nprocs & (j->nprocs - 1)) || !j->nprocs) {
		struct journal_proc *v =
		    realloc(j->procs, (j->nprocs ? j->nprocs * 2 : 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		j->procs = v;
	}
	j->procs[j->nprocs++] = p;
	return 0;
}

static void mark_exit(struct lab_journal *j, const char *args)
{
	int pid, status;
	if (sscanf(args, "%d %d", &pid, &status) != 2)
		return;
	for (size_t i = 0; i < j->nprocs; i++)
		if (j->procs[i].pid == pid) {
			j->procs[i].exited = true;
			j->procs[i].status = status;
		}
}

/* Names may repeat (an up retried after a crash journals them again):
 * removing a name twice is harmless, deduplicating would be quadratic. */
static int parse_line(struct lab_journal *j, char *line)
{
	if (!strncmp(line, "ns ", 3))
		return add_ns(j, line + 3);
	if (!strncmp(line, "notours ", 8))
		drop_ns(j, line + 8);
	else if (!strncmp(line, "proc ", 5))
		return add_proc(j, line + 5);
	else if (!strncmp(line, "exit ", 5))
		mark_exit(j, line + 5);
	else if (!strcmp(line, "up"))
		j->complete = true;
	return 0;
}

int lab_journal_read(int dirfd, struct lab_journal *j, struct nns_err *err)
{
	memset(j, 0, sizeof(*j));
	autofree char *text = NULL;
	size_t len;
	int r = lab_file_read(dirfd, "journal", &text, &len, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (parse_line(j, line) < 0)
			return err_sys(err, ENOMEM, "reading the journal");
	/* A line cut by kill -9 has no newline: strtok_r still gives it, and a
	 * truncated "ns NAME" names nothing that exists, so it is harmless. */
	return 0;
}

void lab_journal_free(struct lab_journal *j)
{
	for (size_t i = 0; i < j->nns; i++)
		free(j->ns[i]);
	free(j->ns);
	free(j->procs);
	memset(j, 0, sizeof(*j));
}

unsigned long long proc_starttime(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may contain spaces and parentheses: fields restart after the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	unsigned long long start = 0;
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
	 * utime stime cutime cstime priority nice threads itrealvalue starttime */
	if (sscanf(p + 2,
		   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d "
		   "%*d %llu",
		   &start) != 1)
		return 0;
	return start;
}
