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
	free(n->index.slots);
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
	free(t->index.slots);
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

typedef const char *(*name_at_fn)(const void *items, int i);

static const char *node_name_at(const void *items, int i)
{
	return ((const struct topo_node *)items)[i].name;
}

static const char *iface_name_at(const void *items, int i)
{
	return ((const struct topo_iface *)items)[i].name;
}

static void index_put(struct topo_index *x, const void *items, int i, name_at_fn name_at)
{
	size_t slot = name_hash(name_at(items, i)) & (x->cap - 1);
	while (x->slots[slot] >= 0)
		slot = (slot + 1) & (x->cap - 1);
	x->slots[slot] = i;
}

/* Add items[i] (items[0..i-1] are in already); the table stays half empty. */
static int index_add(struct topo_index *x, const void *items, size_t i, name_at_fn name_at)
{
	if ((i + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		while ((i + 1) * 2 > cap)
			cap *= 2;
		int *slots = malloc(cap * sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		memset(slots, 0xff, cap * sizeof(*slots));
		free(x->slots);
		x->slots = slots;
		x->cap = cap;
		for (size_t j = 0; j < i; j++)
			index_put(x, items, (int)j, name_at);
	}
	index_put(x, items, (int)i, name_at);
	x->count = i + 1;
	return 0;
}

static int index_find(const struct topo_index *x, const void *items, const char *name,
		      name_at_fn name_at)
{
	if (!x->cap)
		return -1;
	for (size_t slot = name_hash(name) & (x->cap - 1);; slot = (slot + 1) & (x->cap - 1)) {
		int i = x->slots[slot];
		if (i < 0)
			return -1;
		if (!strcmp(name_at(items, i), name))
			return i;
	}
}

int topo_index_node(struct topo *t, size_t i)
{
	return index_add(&t->index, t->nodes, i, node_name_at);
}

int topo_find_node(const struct topo *t, const char *name)
{
	return index_find(&t->index, t->nodes, name, node_name_at);
}

int topo_index_iface(struct topo_node *n, size_t i)
{
	return index_add(&n->index, n->ifaces, i, iface_name_at);
}

int topo_find_iface(const struct topo_node *n, const char *name)
{
	/* A bridge may have thousands of ports: hashed once every one is in. */
	if (n->index.count == n->nifaces && n->nifaces)
		return index_find(&n->index, n->ifaces, name, iface_name_at);
	for (size_t i = 0; i < n->nifaces; i++)
		if (!strcmp(n->ifaces[i].name, name))
			return (int)i;
	return -1;
}
