/* A lab's status: namespaces, interfaces and addresses from the kernel, programs. */
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../net/net.h"
#include "../nl/nl.h"
#include "../util/cleanup.h"
#include "../util/err.h"
#include "state.h"
#include "topo.h"

static void fill_iface(struct status_iface *si, const struct net_link_info *links, size_t nl,
		       const struct net_addr_info *addrs, size_t na)
{
	for (size_t i = 0; i < nl; i++) {
		if (strcmp(links[i].name, si->name))
			continue;
		si->present = true;
		si->up = links[i].flags & IFF_UP;
		size_t off = 0;
		for (size_t k = 0; k < na && off < sizeof(si->addrs); k++) {
			if (addrs[k].ifindex != links[i].ifindex || addrs[k].scope == 253)
				continue; /* link-local scope is noise here */
			char buf[64];
			net_ip_format(&addrs[k].ip, true, buf, sizeof(buf));
			off += (size_t)snprintf(si->addrs + off, sizeof(si->addrs) - off, "%s%s",
						off ? " " : "", buf);
		}
		return;
	}
}

static void probe_node(int rundir, struct status_node *sn)
{
	const struct topo_node *n = sn->node;
	autoclose int fd =
	    rundir < 0 ? -1 : openat(rundir, n->ns, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	sn->present = true;
	struct nl_sock *s = NULL;
	if (nl_open(fd, &s, NULL) < 0)
		return;
	struct net_link_info *links = NULL;
	struct net_addr_info *addrs = NULL;
	size_t nl = 0, na = 0;
	if (net_link_dump(s, &links, &nl, NULL) == 0 && net_addr_dump(s, 0, &addrs, &na, NULL) == 0)
		for (size_t i = 0; i < n->nifaces; i++)
			fill_iface(&sn->ifaces[i], links, nl, addrs, na);
	free(links);
	free(addrs);
	nl_close(s);
}

static bool alive(const struct journal_proc *p)
{
	if (p->exited || !p->start || proc_starttime(p->pid) != p->start)
		return false;
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	char *e = strrchr(buf, ')');
	return e && e[1] && e[2] != 'Z' && e[2] != 'X';
}

static int read_procs(struct lab_status *s, struct nns_err *err)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", NNS_LABS_DIR, s->name);
	autoclose int dir = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return err_sys(err, errno, "cannot open %s", path);
	struct lab_journal j;
	int r = lab_journal_read(dir, &j, err);
	if (r < 0)
		return r;
	s->complete = j.complete;
	s->procs = calloc(j.nprocs + 1, sizeof(*s->procs));
	for (size_t i = 0; s->procs && i < j.nprocs; i++) {
		struct status_proc *sp = &s->procs[s->nprocs++];
		sp->p = j.procs[i];
		sp->alive = alive(&sp->p);
		if (strcmp(sp->p.kind, "sup"))
			snprintf(sp->log, sizeof(sp->log), "%s/%s.%s%u.log", path, sp->p.node,
				 sp->p.kind, sp->p.index);
	}
	lab_journal_free(&j);
	autofree char *src = NULL;
	size_t len;
	if (lab_file_read(dir, "source", &src, &len, NULL) == 0)
		snprintf(s->source, sizeof(s->source), "%s", src);
	return s->procs ? 0 : err_sys(err, ENOMEM, "status");
}

int lab_status_get(const char *lab, struct lab_status *s, struct nns_err *err)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", lab);
	struct topo_diag d = {0};
	int r = topo_load_lab(lab, &s->t, &d, err);
	if (r == -EINVAL)
		err_msg(err, EINVAL, "the stored topology of lab \"%s\" does not load", lab);
	topo_diag_free(&d);
	if (r < 0)
		return r;
	if ((r = read_procs(s, err)) < 0)
		return r;
	s->nodes = calloc(s->t.nnodes + 1, sizeof(*s->nodes));
	if (!s->nodes)
		return err_sys(err, ENOMEM, "status");
	int rundir = open(NNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	for (size_t i = 0; i < s->t.nnodes; i++) {
		struct status_node *sn = &s->nodes[i];
		sn->node = &s->t.nodes[i];
		sn->ifaces = calloc(sn->node->nifaces + 1, sizeof(*sn->ifaces));
		if (!sn->ifaces)
			break;
		for (size_t k = 0; k < sn->node->nifaces; k++)
			snprintf(sn->ifaces[k].name, sizeof(sn->ifaces[k].name), "%s",
				 sn->node->ifaces[k].name);
		probe_node(rundir, sn);
	}
	if (rundir >= 0)
		close(rundir);
	return 0;
}

bool lab_status_link_ok(const struct lab_status *s, size_t i)
{
	const struct topo_link *l = &s->t.links[i];
	for (int e = 0; e < 2; e++) {
		const struct status_node *sn = &s->nodes[l->end[e].node];
		if (!sn->ifaces || !sn->ifaces[l->end[e].iface].present ||
		    !sn->ifaces[l->end[e].iface].up)
			return false;
	}
	return true;
}

void lab_status_free(struct lab_status *s)
{
	for (size_t i = 0; s->nodes && i < s->t.nnodes; i++)
		free(s->nodes[i].ifaces);
	free(s->nodes);
	free(s->procs);
	topo_free(&s->t);
	memset(s, 0, sizeof(*s));
}
