/* A topology as Graphviz DOT: nodes, bridges, links with names, addresses, netem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

/* DOT strings are double-quoted: escape quotes and backslashes. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

static void end_label(FILE *f, const struct topo_node *n, const struct topo_iface *ifc)
{
	char addrs[512], label[700];
	topo_addrs_text(ifc, addrs, sizeof(addrs));
	snprintf(label, sizeof(label), "%s%s%s", ifc->name, addrs[0] ? "\\n" : "", addrs);
	/* put_quoted would double the backslash of \n: write it by hand. */
	fputc('"', f);
	for (const char *p = label; *p; p++) {
		if (*p == '"')
			fputc('\\', f);
		if ((unsigned char)*p >= 0x20)
			fputc(*p, f);
	}
	fputc('"', f);
	(void)n;
}

static void link_line(FILE *f, const struct topo *t, const struct topo_link *l)
{
	const struct topo_endpoint *a = &l->end[0], *b = &l->end[1];
	const struct topo_node *na = &t->nodes[a->node], *nb = &t->nodes[b->node];
	fputs("  ", f);
	put_quoted(f, na->name);
	fputs(" -- ", f);
	put_quoted(f, nb->name);
	fputs(" [taillabel=", f);
	end_label(f, na, &na->ifaces[a->iface]);
	fputs(", headlabel=", f);
	end_label(f, nb, &nb->ifaces[b->iface]);
	char label[256] = "";
	size_t off = 0;
	if (l->rate_bps)
		off += (size_t)snprintf(label + off, sizeof(label) - off, "rate %.0fkbit ",
					(double)l->rate_bps / 1000);
	if (l->mtu && off < sizeof(label))
		off += (size_t)snprintf(label + off, sizeof(label) - off, "mtu %u ", l->mtu);
	if (l->netem.set && off < sizeof(label))
		snprintf(label + off, sizeof(label) - off,
			 "netem delay %.1fms jitter %.1fms loss %g%%", l->netem.delay_us / 1000.0,
			 l->netem.jitter_us / 1000.0, l->netem.loss);
	if (label[0]) {
		fputs(", label=", f);
		put_quoted(f, label);
	}
	fputs("];\n", f);
}

char *topo_graph_dot(const struct topo *t)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fputs("graph ", f);
	put_quoted(f, t->name ? t->name : "lab");
	fputs(" {\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", "
	      "fontsize=10];\n",
	      f);
	for (size_t i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		fputs("  ", f);
		put_quoted(f, n->name);
		fprintf(f, " [shape=%s, tooltip=", n->kind == TOPO_BRIDGE ? "diamond" : "box");
		put_quoted(f, n->ns);
		fputs("];\n", f);
	}
	for (size_t i = 0; i < t->nlinks; i++)
		link_line(f, t, &t->links[i]);
	fputs("}\n", f);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
