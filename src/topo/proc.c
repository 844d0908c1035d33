/* Starting, supervising and stopping the lab's programs. */
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "../util/fault.h"

static char *const clean_env[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME=/",
    "LANG=C.UTF-8",
    NULL,
};

void lab_log_name(const char *node, const char *kind, unsigned index, char *buf, size_t len)
{
	snprintf(buf, len, "%s.%s%u.log", node, kind, index);
}

/* Everything a child needs, prepared before fork (no allocation after). */
struct child {
	const struct topo_cmd *cmd;
	const char *ns;
	int logfd;
	int syncfd; /* read end: one byte = go, EOF = the parent died */
	int errfd;  /* write end, CLOEXEC: exec failure errno */
	int syncw;  /* the parent's write end: closed at once, or EOF never comes */
};

static void child_fail(int errfd, int e)
{
	if (write(errfd, &e, sizeof(e)) < 0) {
	}
	_exit(127);
}

/* In the forked child: never returns. */
static void child_exec(const struct child *c)
{
	close(c->syncw);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", NNS_RUN_DIR, c->ns);
	int nsfd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
		child_fail(c->errfd, errno);
	char go;
	if (read(c->syncfd, &go, 1) != 1)
		_exit(127); /* up died before journaling us: vanish */
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(c->logfd, 1) < 0 || dup2(c->logfd, 2) < 0 ||
	    dup2(c->errfd, 3) < 0)
		child_fail(c->errfd, errno);
	/* Only 0-2 survive exec; 3 reports an exec failure and closes on success. */
	close_range(4, ~0U, 0);
	fcntl(3, F_SETFD, FD_CLOEXEC);
	signal(SIGPIPE, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (chdir("/") < 0)
		child_fail(3, errno);
	setsid();
	if (c->cmd->shell)
		execve("/bin/sh", (char *const[]){"sh", "-c", c->cmd->argv[0], NULL}, clean_env);
	else
		execvpe(c->cmd->argv[0], c->cmd->argv, clean_env);
	child_fail(3, errno);
}

/*
 * Fork one program; journal its pid (KIND, INDEX) before letting it exec.
 * Returns the pid, or -errno with ERR filled (exec failure included).
 */
static pid_t start_one(struct lab_state *st, const struct topo_node *n, const char *kind,
		       unsigned index, const struct topo_cmd *cmd, struct nns_err *err)
{
	char log[300];
	lab_log_name(n->name, kind, index, log, sizeof(log));
	autoclose int logfd = lab_log_open(st->dirfd, log, err);
	if (logfd < 0)
		return logfd;
	int sync[2], ep[2];
	if (pipe2(sync, O_CLOEXEC) < 0)
		return err_sys(err, errno, "pipe");
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(sync[0]);
		close(sync[1]);
		return err_sys(err, errno, "pipe");
	}
	struct child c = {cmd, n->ns, logfd, sync[0], ep[1], sync[1]};
	pid_t pid = fault_point("starting a program", NULL) ? (errno = EIO, -1) : fork();
	if (pid == 0)
		child_exec(&c);
	int e = errno;
	close(sync[0]);
	close(ep[1]);
	int r = 0;
	if (pid < 0)
		r = err_sys(err, e, "starting %s %u of node %s", kind, index, n->name);
	else
		r = lab_journal_printf(st, err, "proc %d %llu %s %s %u\n", (int)pid,
				       proc_starttime(pid), n->name, kind, index);
	if (!r && write(sync[1], "x", 1) != 1)
		r = err_sys(err, errno, "starting %s %u of node %s", kind, index, n->name);
	close(sync[1]);
	int child_errno = 0;
	/* After a failure the child never gets "go": do not wait for its exec. */
	ssize_t got = pid > 0 && !r ? read(ep[0], &child_errno, sizeof(child_errno)) : 0;
	close(ep[0]);
	if (!r && got == sizeof(child_errno))
		r = err_sys(err, child_errno, "node %s: cannot start %s program \"%s\"", n->name,
			    kind, cmd->argv[0]);
	if (r < 0 && pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return r < 0 ? r : pid;
}

/* ---- run: through a supervisor ---------------------------------------- */

static void supervise(struct lab_state *st, const struct topo *t, int report)
{
	struct nns_err err = {0};
	int r = 0;
	for (size_t i = 0; i < t->nnodes && !r; i++)
		for (size_t k = 0; k < t->nodes[i].nrun && !r; k++) {
			pid_t pid = start_one(st, &t->nodes[i], "run", (unsigned)k,
					      &t->nodes[i].run[k], &err);
			if (pid < 0)
				r = (int)pid;
		}
	char msg[sizeof(err.msg) + 8];
	int len = snprintf(msg, sizeof(msg), "%s", r ? err.msg : "");
	if (write(report, msg, (size_t)len + 1) < 0) {
	}
	close(report);
	int status;
	pid_t pid;
	while ((pid = wait(&status)) > 0 || errno == EINTR)
		if (pid > 0)
			lab_journal_printf(st, NULL, "exit %d %d\n", (int)pid, status);
	_exit(r ? 1 : 0);
}

static bool has_run(const struct topo *t)
{
	for (size_t i = 0; i < t->nnodes; i++)
		if (t->nodes[i].nrun)
			return true;
	return false;
}

/* The supervisor does not exec: close what up had open (namespace fds
 * would keep deleted namespaces alive, the lock would outlive up). */
static void close_all_but(const int *keep, size_t n)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return;
	int self = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		bool kept = fd < 3 || fd == self || e->d_name[0] == '.';
		for (size_t i = 0; i < n && !kept; i++)
			kept = keep[i] == fd;
		if (!kept)
			close(fd);
	}
	closedir(d);
}

int lab_run_programs(struct lab_state *st, const struct topo *t, struct nns_err *err)
{
	if (!has_run(t))
		return 0;
	int go[2], rep[2];
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0)
		return err_sys(err, errno, "pipe");
	pid_t pid = fault_point("starting the supervisor", NULL) ? (errno = EIO, -1) : fork();
	if (pid == 0) {
		/* The supervisor keeps only what it needs: the lock must go with up. */
		int keep[] = {go[0], rep[1], st->dirfd, st->journalfd};
		close_all_but(keep, ARRAY_SIZE(keep));
		st->lockfd = -1;
		setsid();
		char x;
		if (read(go[0], &x, 1) != 1)
			_exit(0);
		close(go[0]);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		supervise(st, t, rep[1]);
	}
	close(go[0]);
	close(rep[1]);
	int r = pid < 0 ? err_sys(err, errno, "starting the lab's supervisor")
			: lab_journal_printf(st, err, "proc %d %llu - sup 0\n", (int)pid,
					     proc_starttime(pid));
	if (!r && write(go[1], "x", 1) != 1)
		r = err_sys(err, errno, "starting the lab's supervisor");
	close(go[1]);
	char msg[sizeof(err->msg)];
	size_t got = 0;
	for (ssize_t n;
	     !r && got < sizeof(msg) && (n = read(rep[0], msg + got, sizeof(msg) - got));) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	close(rep[0]);
	if (!r && (!got || msg[0])) {
		msg[got ? got - 1 : 0] = '\0';
		r = err_msg(err, ECHILD, "%s", got ? msg : "the lab's supervisor died");
	}
	return r;
}

/* ---- exec: one by one, each must succeed ------------------------------ */

static void quote_log(struct lab_state *st, const char *log, struct nns_err *err)
{
	autofree char *text = NULL;
	size_t len;
	if (lab_file_read(st->dirfd, log, &text, &len, NULL) < 0 || !len)
		return;
	if (len > 300)
		text[300] = '\0';
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	size_t used = strlen(err->msg);
	snprintf(err->msg + used, sizeof(err->msg) - used, "; its output: %s", text);
}

/*
 * up holds INT/TERM/HUP (see apply.c): a plain waitpid() would make Ctrl-C
 * wait for a hung command. Wake on SIGCHLD or every 100 ms, and give up on
 * the command when one of those signals is pending (it stays pending).
 */
static int wait_interruptible(pid_t pid, int *status, const char *node, struct nns_err *err)
{
	sigset_t chld, held, pending;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &held);
	int r = 0;
	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			r = err_sys(err, errno, "waiting for exec on %s", node);
			break;
		}
		if (sigpending(&pending) == 0 &&
		    (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM) ||
		     sigismember(&pending, SIGHUP))) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			r = err_msg(err, EINTR, "interrupted while exec ran on node %s", node);
			break;
		}
		struct timespec tick = {0, 100 * 1000 * 1000};
		sigtimedwait(&chld, NULL, &tick);
	}
	sigprocmask(SIG_SETMASK, &held, NULL);
	return r;
}

int lab_exec_commands(struct lab_state *st, const struct topo *t, struct nns_err *err)
{
	for (size_t i = 0; i < t->nnodes; i++)
		for (size_t k = 0; k < t->nodes[i].nexec; k++) {
			const struct topo_node *n = &t->nodes[i];
			pid_t pid = start_one(st, n, "exec", (unsigned)k, &n->exec[k], err);
			if (pid < 0)
				return (int)pid;
			int status;
			int r = wait_interruptible(pid, &status, n->name, err);
			if (r < 0)
				return r;
			lab_journal_printf(st, NULL, "exit %d %d\n", (int)pid, status);
			if (WIFEXITED(status) && !WEXITSTATUS(status))
				continue;
			char log[300];
			lab_log_name(n->name, "exec", (unsigned)k, log, sizeof(log));
			if (WIFEXITED(status))
				err_msg(err, ECHILD, "exec on node %s failed with status %d: %s",
					n->name, WEXITSTATUS(status), n->exec[k].argv[0]);
			else
				err_msg(err, ECHILD, "exec on node %s killed by signal %d: %s",
					n->name, WTERMSIG(status), n->exec[k].argv[0]);
			quote_log(st, log, err);
			return err->code;
		}
	return 0;
}

/* ---- stopping --------------------------------------------------------- */

static bool inode_in(unsigned long long ino, const unsigned long long *v, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] == ino)
			return true;
		if (v[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

struct victims {
	pid_t *v;
	size_t n, cap;
};

static void victim_add(struct victims *vs, pid_t pid)
{
	for (size_t i = 0; i < vs->n; i++)
		if (vs->v[i] == pid)
			return;
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 16;
		pid_t *v = realloc(vs->v, cap * sizeof(*v));
		if (!v)
			return;
		vs->v = v;
		vs->cap = cap;
	}
	vs->v[vs->n++] = pid;
}

/* Every process whose network namespace is one of the lab's. */
static void scan_namespaces(struct victims *vs, const unsigned long long *ino, size_t n)
{
	if (!n)
		return;
	autoclosedir DIR *d = opendir("/proc");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 1 || pid == getpid())
			continue;
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		if (stat(path, &st) == 0 && inode_in((unsigned long long)st.st_ino, ino, n))
			victim_add(vs, (pid_t)pid);
	}
}

static size_t alive_count(const struct victims *vs)
{
	size_t n = 0;
	for (size_t i = 0; i < vs->n; i++) {
		char path[64], state = 0;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)vs->v[i]);
		autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
		char buf[512];
		ssize_t len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (len > 0) {
			buf[len] = '\0';
			char *p = strrchr(buf, ')');
			state = p && p[1] ? p[2] : 0;
		}
		if (len > 0 && state != 'Z' && state != 'X')
			n++;
	}
	return n;
}

static void signal_all(const struct victims *vs, int sig)
{
	for (size_t i = 0; i < vs->n; i++)
		kill(vs->v[i], sig);
}

/*
 * A process signalled while it forks can leave a child that no scan saw
 * (a shell's `sleep &` started just as `up` rolled back). Scan the lab's
 * namespaces again until none of them holds a live process, so nothing
 * outlives the namespaces it was started in. Returns how many it killed.
 */
static int kill_stragglers(const unsigned long long *ino, size_t n)
{
	int count = 0;
	struct timespec tick = {0, 10 * 1000 * 1000};
	for (int round = 0; round < 300; round++) {
		struct victims more = {0};
		scan_namespaces(&more, ino, n);
		size_t alive = alive_count(&more);
		signal_all(&more, SIGKILL);
		free(more.v);
		if (!alive)
			break;
		count += (int)alive;
		nanosleep(&tick, NULL);
	}
	return count;
}

int lab_kill_processes(const struct lab_journal *j, const unsigned long long *ns_inodes,
		       size_t n_inodes, int timeout_ms)
{
	struct victims vs = {0}, sup = {0};
	for (size_t i = 0; i < j->nprocs; i++) {
		const struct journal_proc *p = &j->procs[i];
		if (p->exited || !p->start || proc_starttime(p->pid) != p->start)
			continue; /* gone, or the pid now belongs to someone else */
		victim_add(!strcmp(p->kind, "sup") ? &sup : &vs, p->pid);
	}
	scan_namespaces(&vs, ns_inodes, n_inodes);
	signal_all(&vs, SIGTERM);
	struct timespec tick = {0, 10 * 1000 * 1000};
	for (int waited = 0; waited < timeout_ms && alive_count(&vs); waited += 10)
		nanosleep(&tick, NULL);
	signal_all(&vs, SIGKILL);
	signal_all(&sup, SIGKILL); /* it has recorded the exits it could */
	int count = (int)(vs.n + sup.n) + kill_stragglers(ns_inodes, n_inodes);
	free(vs.v);
	free(sup.v);
	return count;
}
