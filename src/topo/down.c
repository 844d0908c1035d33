/*
 * `down`: undo a lab from its journal alone — after a clean up, a failed one
 * or a kill -9 at any instant — and load a lab's own copy of its file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../ns/ns.h"
#include "../util/cleanup.h"
#include "../util/err.h"
#include "journal.h"
#include "proc.h"
#include "state.h"
#include "topo.h"

#define DOWN_TERM_TIMEOUT_MS 3000

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
	return x < y ? -1 : x > y;
}

/* Inodes of the namespaces that exist, sorted, to find their processes. */
static unsigned long long *namespace_inodes(int rundir, const char *const *names, size_t n,
					    size_t *found)
{
	*found = 0;
	unsigned long long *v = malloc((n ? n : 1) * sizeof(*v));
	if (!v || rundir < 0)
		return v;
	for (size_t i = 0; i < n; i++) {
		autoclose int fd = openat(rundir, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		/* The file's own inode is on tmpfs; the bind-mounted nsfs inode
		 * is what /proc/PID/ns/net shows, and fstat of the open fd gives it. */
		if (fd >= 0 && fstat(fd, &st) == 0)
			v[(*found)++] = (unsigned long long)st.st_ino;
	}
	qsort(v, *found, sizeof(*v), cmp_ull);
	return v;
}

int lab_undo(const struct lab_journal *j, const char *const *names, size_t n,
	     struct topo_down_result *res, struct nns_err *err)
{
	int rundir = rundir_open(NULL);
	size_t nino;
	autofree unsigned long long *ino = namespace_inodes(rundir, names, n, &nino);
	int killed = lab_kill_processes(j, ino, nino, DOWN_TERM_TIMEOUT_MS);
	res->processes = killed > 0 ? (size_t)killed : 0;
	int r = 0;
	for (size_t i = 0; rundir >= 0 && i < n; i++) {
		struct nns_err e = {0};
		int x = ns_remove(rundir, names[i], &e);
		if (x == 0)
			res->namespaces++;
		else if (x != -ENOENT && !r)
			r = err_sys(err, -x, "removing namespace %s", names[i]);
	}
	if (rundir >= 0)
		close(rundir);
	return r;
}

int topo_down(const char *lab, struct topo_down_result *res, struct nns_err *err)
{
	memset(res, 0, sizeof(*res));
	struct lab_state st;
	int r = lab_state_open(lab, false, &st, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	res->was_up = true;
	struct lab_journal j;
	r = lab_journal_read(st.dirfd, &j, err);
	if (!r)
		r = lab_undo(&j, (const char *const *)j.ns, j.nns, res, err);
	lab_journal_free(&j);
	/* State goes only when every namespace went: else a retry can finish. */
	if (!r)
		r = lab_state_remove(&st, err);
	lab_state_close(&st);
	return r;
}

int topo_load_lab(const char *lab, struct topo *t, struct topo_diag *diag, struct nns_err *err)
{
	memset(t, 0, sizeof(*t));
	if (!nns_name_valid(lab))
		return err_msg(err, EINVAL, "invalid lab name \"%s\"", lab);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", NNS_LABS_DIR, lab);
	autoclose int dir = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0 && errno == ENOENT)
		return err_msg(err, ENOENT, "lab \"%s\" is not up", lab);
	if (dir < 0)
		return err_sys(err, errno, "cannot open %s", path);
	autofree char *text = NULL;
	size_t len;
	int r = lab_file_read(dir, "topology.yaml", &text, &len, err);
	if (r == -ENOENT)
		return err_msg(err, ENOENT, "lab \"%s\" has no topology file (half built?)", lab);
	if (r < 0)
		return r;
	autofree char *src = NULL;
	size_t srclen;
	lab_file_read(dir, "source", &src, &srclen, NULL);
	r = topo_load_text(src ? src : lab, text, len, t, diag);
	if (!r)
		r = topo_validate(t, diag);
	if (!r)
		topo_plan(t);
	return r;
}
