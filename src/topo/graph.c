/* A topology as Graphviz DOT: nodes, bridges, links with names, addresses, netem. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

/* A DOT string: quotes and backslashes escaped, control characters
 * dropped; NEWLINES turns '\n' into DOT's line break "\n". */
static void put_quoted(FILE *f, const char *s, bool newlines)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\n' && newlines)
			fputs("\\n", f);
		else if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

/* "eth0\n10.0.1.2/24": the interface and its addresses at a link's end. */
static void end_label(FILE *f, const struct topo_iface *ifc)
{
	char addrs[512], label[700];
	topo_addrs_text(ifc, addrs, sizeof(addrs));
	snprintf(label, sizeof(label), "%s%s%s", ifc->name, addrs[0] ? "\n" : "", addrs);
	put_quoted(f, label, true);
}

static void link_line(FILE *f, const struct topo *t, const struct topo_link *l)
{
	const struct topo_endpoint *a = &l->end[0], *b = &l->end[1];
	const struct topo_node *na = &t->nodes[a->node], *nb = &t->nodes[b->node];
	fputs("  ", f);
	put_quoted(f, na->name, false);
	fputs(" -- ", f);
	put_quoted(f, nb->name, false);
	fputs(" [taillabel=", f);
	end_label(f, &na->ifaces[a->iface]);
	fputs(", headlabel=", f);
	end_label(f, &nb->ifaces[b->iface]);
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
	size_t len = strlen(label);
	while (len && label[len - 1] == ' ')
		label[--len] = '\0';
	if (label[0]) {
		fputs(", label=", f);
		put_quoted(f, label, false);
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
	put_quoted(f, t->name ? t->name : "lab", false);
	fputs(" {\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", "
	      "fontsize=10];\n",
	      f);
	for (size_t i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		fputs("  ", f);
		put_quoted(f, n->name, false);
		fprintf(f, " [shape=%s, tooltip=", n->kind == TOPO_BRIDGE ? "diamond" : "box");
		put_quoted(f, n->ns, false);
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
