/* Owning the model: freeing it, and finding nodes and interfaces by name. */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void cmds_free(struct topo_cmd *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < v[i].argc; j++)
			free(v[i].argv[j]);
		free(v[i].argv);
	}
	free(v);
}

static void node_free(struct topo_node *n)
{
	free(n->name);
	for (size_t i = 0; i < n->nifaces; i++)
		free(n->ifaces[i].addrs);
	free(n->ifaces);
	free(n->routes);
	for (size_t i = 0; i < n->nsysctls; i++) {
		free(n->sysctls[i].key);
		free(n->sysctls[i].value);
	}
	free(n->sysctls);
	cmds_free(n->run, n->nrun);
	cmds_free(n->exec, n->nexec);
}

void topo_free(struct topo *t)
{
	for (size_t i = 0; i < t->nnodes; i++)
		node_free(&t->nodes[i]);
	free(t->nodes);
	for (size_t i = 0; i < t->nlinks; i++)
		for (int e = 0; e < 2; e++)
			free(t->links[i].end[e].node_name);
	free(t->links);
	free(t->unreachable);
	free(t->index);
	free(t->file);
	free(t->name);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void index_put(int *index, size_t cap, const struct topo_node *nodes, int i)
{
	size_t slot = name_hash(nodes[i].name) & (cap - 1);
	while (index[slot] >= 0)
		slot = (slot + 1) & (cap - 1);
	index[slot] = i;
}

int topo_index_node(struct topo *t, size_t i)
{
	if ((i + 1) * 2 > t->indexcap) {
		size_t cap = t->indexcap ? t->indexcap * 2 : 64;
		while ((i + 1) * 2 > cap)
			cap *= 2;
		int *index = malloc(cap * sizeof(*index));
		if (!index)
			return -ENOMEM;
		memset(index, 0xff, cap * sizeof(*index));
		free(t->index);
		t->index = index;
		t->indexcap = cap;
		for (size_t j = 0; j < i; j++)
			index_put(index, cap, t->nodes, (int)j);
	}
	index_put(t->index, t->indexcap, t->nodes, (int)i);
	return 0;
}

int topo_find_node(const struct topo *t, const char *name)
{
	if (!t->indexcap)
		return -1;
	for (size_t slot = name_hash(name) & (t->indexcap - 1);;
	     slot = (slot + 1) & (t->indexcap - 1)) {
		int i = t->index[slot];
		if (i < 0)
			return -1;
		if (!strcmp(t->nodes[i].name, name))
			return i;
	}
}

int topo_find_iface(const struct topo_node *n, const char *name)
{
	for (size_t i = 0; i < n->nifaces; i++)
		if (!strcmp(n->ifaces[i].name, name))
			return (int)i;
	return -1;
}
