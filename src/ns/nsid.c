/* nsids: the per-namespace integers that name peer namespaces (RTM_*NSID). */
#include <errno.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../nl/nl.h"
#include "../util/cleanup.h"
#include "../util/err.h"
#include "ns.h"

struct set_args {
	int fd;
	int nsid;
};

static void put_set(struct nlmsghdr *h, const void *arg)
{
	const struct set_args *a = arg;
	nl_put_u32(h, NETNSA_FD, (uint32_t)a->fd);
	nl_put_u32(h, NETNSA_NSID, (uint32_t)a->nsid); /* -1: the kernel picks */
}

int nns_set_nsid(const char *name, int nsid, struct nns_err *err)
{
	autoclose int fd = nns_open(name, err);
	if (fd < 0)
		return fd;
	struct nl_sock *nl = NULL;
	int r = nl_open(-1, &nl, err);
	if (r < 0)
		return r;
	char label[300];
	if (nsid == NNS_NSID_AUTO)
		snprintf(label, sizeof(label), "setting an nsid for \"%s\"", name);
	else
		snprintf(label, sizeof(label), "setting nsid %d for \"%s\"", nsid, name);
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct set_args a = { fd, nsid };
	r = nl_call(nl, RTM_NEWNSID, 0, &g, sizeof(g), put_set, &a, NULL, NULL, label, err);
	nl_close(nl);
	return r;
}

/* Attributes of a RTM_GETNSID request: an optional target and nsid. */
struct query {
	int target;
	int nsid;
};

static void put_query(struct nlmsghdr *h, const void *arg)
{
	const struct query *q = arg;
	if (q->target >= 0)
		nl_put_u32(h, NETNSA_TARGET_NSID, (uint32_t)q->target);
	if (q->nsid >= 0)
		nl_put_u32(h, NETNSA_NSID, (uint32_t)q->nsid);
}

/* Results being collected, plus the names of the run directory. */
struct collect {
	struct nns_id *v;
	size_t n, cap;
	const struct nns_entry *names;
	size_t nnames;
};

/* The name iproute2 would print: the last entry in directory order whose
 * nsid (in the caller's namespace) is ID. */
static void name_for(const struct collect *c, int id, char *out, size_t outlen)
{
	out[0] = '\0';
	for (size_t i = 0; i < c->nnames && id >= 0; i++)
		if (c->names[i].nsid == id)
			snprintf(out, outlen, "%s", c->names[i].name);
}

static int add_id(const struct nlmsghdr *h, void *data)
{
	struct collect *c = data;
	const struct nlattr *tb[NETNSA_MAX + 1];
	nl_parse(h, sizeof(struct rtgenmsg), tb, NETNSA_MAX);
	if (!tb[NETNSA_NSID])
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct nns_id *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	struct nns_id *e = &c->v[c->n++];
	e->nsid = (int)nl_attr_u32(tb[NETNSA_NSID]);
	e->has_current = tb[NETNSA_CURRENT_NSID] != NULL;
	e->current_nsid = e->has_current ? (int)nl_attr_u32(tb[NETNSA_CURRENT_NSID]) : -1;
	/* With a target, ids are the target's; names are ours (current-nsid). */
	int here = e->has_current ? e->current_nsid : e->nsid;
	name_for(c, here, e->name, sizeof(e->name));
	return 0;
}

static int query_ids(struct query q, struct collect *c, struct nns_err *err)
{
	struct nns_entry *names = NULL;
	int r = nns_list(&names, &c->nnames, err);
	if (r < 0)
		return r;
	c->names = names;
	struct nl_sock *nl = NULL;
	r = nl_open(-1, &nl, err);
	/* Without strict checking the kernel ignores NETNSA_TARGET_NSID. */
	if (r >= 0 && q.target >= 0 && (r = nl_strict(nl, err)) < 0)
		nl_close(nl);
	else if (r >= 0) {
		struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
		uint16_t flags = q.nsid >= 0 ? 0 : NLM_F_DUMP;
		char label[64];
		if (q.nsid >= 0)
			snprintf(label, sizeof(label), "reading nsid %d", q.nsid);
		else
			snprintf(label, sizeof(label), "listing nsids");
		r = nl_call(nl, RTM_GETNSID, flags, &g, sizeof(g), put_query, &q, add_id, c, label,
			    err);
		if (r == -ENOMEM)
			err_sys(err, ENOMEM, "%s", label);
		nl_close(nl);
	}
	free(names);
	return r;
}

int nns_list_ids(int target_nsid, struct nns_id **out, size_t *count, struct nns_err *err)
{
	struct collect c = { 0 };
	int r = query_ids((struct query){ target_nsid, -1 }, &c, err);
	if (r < 0) {
		free(c.v);
		return r;
	}
	*out = c.v;
	*count = c.n;
	return 0;
}

int nns_get_id(int target_nsid, int nsid, struct nns_id *out, struct nns_err *err)
{
	struct collect c = { 0 };
	int r = query_ids((struct query){ target_nsid, nsid }, &c, err);
	if (r >= 0 && c.n == 0)
		r = err_msg(err, ENOENT, "reading nsid %d: no answer from the kernel", nsid);
	if (r >= 0)
		*out = c.v[0];
	free(c.v);
	return r;
}
