/* up, down, status, check, graph: labs built from topology files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sys/wait.h>

#include "../topo/check.h"
#include "../topo/state.h"
#include "../topo/status.h"
#include "../topo/topo.h"
#include "cli.h"
#include "json.h"

#define CHECK_ARGS "FILE|LAB [--from NODE,...] [--to NODE,...] [--sample N] [--timeout MS] [-j]"

static void print_diag(const struct topo_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s:%u:%u: %s\n", d->file, d->v[i].pos.line, d->v[i].pos.col,
			d->v[i].msg);
	if (d->dropped)
		fprintf(stderr, "%s: %zu more problems not shown\n", d->file, d->dropped);
}

/* Load, validate and plan FILE; EXIT_OK or the exit status to return. */
static int load_file(const char *file, struct topo *t)
{
	struct topo_diag d = {0};
	struct nns_err err = {0};
	int r = topo_load(file, t, &d, &err);
	/* A file that loaded with mistakes is still checked as a whole, so one
	 * run reports every problem. */
	if (r == 0 || r == -EINVAL) {
		int v = topo_validate(t, &d);
		r = r ? r : v;
	}
	if (r == -E2BIG)
		r = -EINVAL;
	if (r == -EINVAL || d.n) {
		topo_diag_sort(&d);
		print_diag(&d);
		topo_diag_free(&d);
		return EXIT_KERNEL;
	}
	topo_diag_free(&d);
	if (r < 0) {
		cli_error(&err);
		return EXIT_FAIL;
	}
	topo_plan(t);
	return EXIT_OK;
}

/* A FILE|LAB argument: an existing file is a file, else a lab name. */
static bool is_file(const char *arg)
{
	struct stat st;
	return strchr(arg, '/') || strstr(arg, ".yaml") || strstr(arg, ".yml") ||
	       (stat(arg, &st) == 0 && S_ISREG(st.st_mode));
}

static int load_lab_or_file(const char *arg, struct topo *t)
{
	if (is_file(arg))
		return load_file(arg, t);
	struct topo_diag d = {0};
	struct nns_err err = {0};
	int r = topo_load_lab(arg, t, &d, &err);
	if (r == -EINVAL) {
		topo_diag_sort(&d);
		print_diag(&d);
	}
	topo_diag_free(&d);
	if (r < 0 && r != -EINVAL)
		cli_error(&err);
	return r == 0 ? EXIT_OK : r == -EINVAL ? EXIT_KERNEL : EXIT_FAIL;
}

static void print_line(const char *line, void *data)
{
	(void)data;
	printf("  %s\n", line);
}

static int usage(const char *cmd, const char *args)
{
	cli_errorf("Usage: netns %s %s", cmd, args);
	return EXIT_USAGE;
}

int cmd_up(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	bool dry = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n"))
			dry = true;
		else if (!file)
			file = argv[i];
		else
			return usage("up", "FILE [--dry-run]");
	}
	if (!file)
		return usage("up", "FILE [--dry-run]");
	struct topo t;
	int rc = load_file(file, &t);
	if (rc == EXIT_OK && dry) {
		struct topo_diag d = {0};
		struct nns_err err = {0};
		if (topo_preflight(&t, &d, &err) == -EINVAL && d.n) {
			d.file = t.file;
			print_diag(&d);
			rc = EXIT_KERNEL;
		} else {
			printf("lab %s: plan (nothing created)\n", t.name);
			topo_plan_describe(&t, print_line, NULL);
		}
		topo_diag_free(&d);
	} else if (rc == EXIT_OK) {
		struct topo_diag d = {0};
		struct nns_err err = {0};
		struct topo_up_result res;
		int r = topo_up(&t, &d, &res, &err);
		if (r == -EINVAL && d.n) {
			topo_diag_sort(&d);
			d.file = t.file;
			print_diag(&d);
			rc = EXIT_KERNEL;
		} else if (r < 0) {
			cli_errorf("netns: up %s: %s", t.name, err.msg);
			rc = EXIT_FAIL;
		} else if (res.already_up) {
			printf("lab %s is already up from %s: nothing to do\n", t.name, file);
		} else {
			printf("lab %s is up: %zu nodes, %zu bridges, %zu links, %zu programs in "
			       "%.3f s\n",
			       t.name, res.nodes, res.bridges, res.links, res.programs,
			       res.seconds);
		}
		topo_diag_free(&d);
	}
	(void)c;
	topo_free(&t);
	return rc;
}

/* The lab name of a FILE|LAB argument. A file is read for its name only:
 * `down` of a lab whose file has since been broken still works. */
static int lab_name_of(const char *arg, char *name, size_t len)
{
	if (!is_file(arg)) {
		snprintf(name, len, "%s", arg);
		return EXIT_OK;
	}
	struct topo t;
	struct topo_diag d = {0};
	struct nns_err err = {0};
	int r = topo_load(arg, &t, &d, &err);
	int rc = EXIT_OK;
	if (t.name) {
		snprintf(name, len, "%s", t.name);
	} else if (r == -EINVAL || r == -E2BIG) {
		topo_diag_sort(&d);
		print_diag(&d);
		rc = EXIT_KERNEL;
	} else {
		cli_error(&err);
		rc = EXIT_FAIL;
	}
	topo_diag_free(&d);
	topo_free(&t);
	return rc;
}

int cmd_down(struct cli *c, int argc, char **argv)
{
	(void)c;
	cli_take_dashdash(&argc, argv);
	if (argc != 2)
		return usage("down", "FILE|LAB");
	char name[256];
	int rc = lab_name_of(argv[1], name, sizeof(name));
	if (rc != EXIT_OK)
		return rc;
	struct nns_err err = {0};
	struct topo_down_result res;
	int r = topo_down(name, &res, &err);
	if (r < 0) {
		cli_errorf("netns: down %s: %s", name, err.msg);
		return EXIT_FAIL;
	}
	if (!res.was_up)
		printf("lab %s is not up: nothing to do\n", name);
	else
		printf("lab %s is down: %zu namespaces removed, %zu processes stopped\n", name,
		       res.namespaces, res.processes);
	return EXIT_OK;
}

int cmd_graph(struct cli *c, int argc, char **argv)
{
	(void)c;
	cli_take_dashdash(&argc, argv);
	if (argc != 2)
		return usage("graph", "FILE|LAB");
	struct topo t;
	int rc = load_lab_or_file(argv[1], &t);
	if (rc == EXIT_OK) {
		char *dot = topo_graph_dot(&t);
		if (dot)
			fputs(dot, stdout);
		else
			rc = EXIT_FAIL;
		free(dot);
	}
	topo_free(&t);
	return rc;
}

/* ---- status ---------------------------------------------------------- */

static const char *proc_state(const struct status_proc *p, char *buf, size_t len)
{
	if (p->alive)
		return "running";
	if (!p->p.exited)
		return "gone";
	if (WIFEXITED(p->p.status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(p->p.status));
	else
		snprintf(buf, len, "killed by signal %d", WTERMSIG(p->p.status));
	return buf;
}

static void status_text(const struct lab_status *s)
{
	printf("lab %s (%s)%s\n", s->name, s->source[0] ? s->source : "?",
	       s->complete ? "" : " — INCOMPLETE: an up was interrupted; run netns down");
	for (size_t i = 0; i < s->t.nnodes; i++) {
		const struct status_node *sn = &s->nodes[i];
		printf("  %s %s: %s\n", sn->node->kind == TOPO_BRIDGE ? "bridge" : "node",
		       sn->node->name, sn->present ? sn->node->ns : "MISSING namespace");
		for (size_t k = 0; sn->present && k < sn->node->nifaces; k++) {
			const struct status_iface *si = &sn->ifaces[k];
			printf("    %-15s %-7s %s\n", si->name,
			       !si->present ? "MISSING"
			       : si->up	    ? "up"
					    : "down",
			       si->addrs);
		}
	}
	for (size_t i = 0; i < s->t.nlinks; i++) {
		const struct topo_link *l = &s->t.links[i];
		printf("  link %s:%s -- %s:%s %s\n", s->t.nodes[l->end[0].node].name,
		       l->end[0].ifname, s->t.nodes[l->end[1].node].name, l->end[1].ifname,
		       lab_status_link_ok(s, i) ? "up" : "DOWN");
	}
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct status_proc *p = &s->procs[i];
		char buf[64];
		if (!strcmp(p->p.kind, "sup"))
			continue;
		printf("  %s %s[%u] pid %d: %s, log %s\n", p->p.kind, p->p.node, p->p.index,
		       (int)p->p.pid, proc_state(p, buf, sizeof(buf)), p->log);
	}
}

static struct jout *status_json(const struct lab_status *s)
{
	struct jout *o = jout_object(), *nodes = jout_array(), *links = jout_array(),
		    *procs = jout_array();
	jout_set_str(o, "name", s->name);
	jout_set_str(o, "source", s->source);
	jout_set_bool(o, "complete", s->complete);
	for (size_t i = 0; i < s->t.nnodes; i++) {
		const struct status_node *sn = &s->nodes[i];
		struct jout *n = jout_object(), *ifs = jout_array();
		jout_set_str(n, "name", sn->node->name);
		jout_set_str(n, "kind", sn->node->kind == TOPO_BRIDGE ? "bridge" : "node");
		jout_set_str(n, "namespace", sn->node->ns);
		jout_set_bool(n, "present", sn->present);
		for (size_t k = 0; k < sn->node->nifaces; k++) {
			struct jout *f = jout_object();
			jout_set_str(f, "name", sn->ifaces[k].name);
			jout_set_bool(f, "present", sn->ifaces[k].present);
			jout_set_bool(f, "up", sn->ifaces[k].up);
			jout_set_str(f, "addresses", sn->ifaces[k].addrs);
			jout_append(ifs, f);
		}
		jout_set(n, "interfaces", ifs);
		jout_append(nodes, n);
	}
	for (size_t i = 0; i < s->t.nlinks; i++) {
		const struct topo_link *l = &s->t.links[i];
		struct jout *j = jout_object();
		char a[300], b[300];
		snprintf(a, sizeof(a), "%s:%s", s->t.nodes[l->end[0].node].name, l->end[0].ifname);
		snprintf(b, sizeof(b), "%s:%s", s->t.nodes[l->end[1].node].name, l->end[1].ifname);
		jout_set_str(j, "a", a);
		jout_set_str(j, "b", b);
		jout_set_bool(j, "up", lab_status_link_ok(s, i));
		jout_append(links, j);
	}
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct status_proc *p = &s->procs[i];
		struct jout *j = jout_object();
		char buf[64];
		jout_set_str(j, "kind", p->p.kind);
		jout_set_str(j, "node", p->p.node);
		jout_set_int(j, "index", p->p.index);
		jout_set_int(j, "pid", p->p.pid);
		jout_set_str(j, "state", proc_state(p, buf, sizeof(buf)));
		if (p->p.exited)
			jout_set_int(j, "status",
				     WIFEXITED(p->p.status) ? WEXITSTATUS(p->p.status)
							    : 128 + WTERMSIG(p->p.status));
		jout_set_str(j, "log", p->log);
		jout_append(procs, j);
	}
	jout_set(o, "nodes", nodes);
	jout_set(o, "links", links);
	jout_set(o, "processes", procs);
	return o;
}

static bool take_json(struct cli *c, int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json") ||
		    !strcmp(argv[i], "-json"))
			c->json = true;
		else
			argv[out++] = argv[i];
	}
	*argc = out;
	return c->json;
}

int cmd_status(struct cli *c, int argc, char **argv)
{
	cli_take_dashdash(&argc, argv);
	take_json(c, &argc, argv);
	if (argc > 2)
		return usage("status", "[LAB] [-j]");
	char **labs = NULL;
	size_t n = 0;
	struct nns_err err = {0};
	if (argc == 2) {
		char name[256];
		int rc = lab_name_of(argv[1], name, sizeof(name));
		if (rc != EXIT_OK)
			return rc;
		labs = calloc(1, sizeof(*labs));
		if (!labs || !(labs[0] = strdup(name)))
			return EXIT_FAIL;
		n = 1;
	} else if (lab_list(&labs, &n, &err) < 0) {
		cli_error(&err);
		return EXIT_FAIL;
	}
	int rc = EXIT_OK;
	struct jout *arr = c->json ? jout_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		struct lab_status s;
		if (lab_status_get(labs[i], &s, &err) < 0) {
			cli_errorf("netns: status %s: %s", labs[i], err.msg);
			rc = EXIT_FAIL;
		} else if (arr) {
			jout_append(arr, status_json(&s));
		} else {
			status_text(&s);
		}
		lab_status_free(&s);
	}
	if (arr)
		jout_print(stdout, arr, c->pretty);
	else if (!n)
		printf("no labs are up\n");
	lab_list_free(labs, n);
	return rc;
}

/* ---- check ------------------------------------------------------------- */

static char cell(const struct check_result *r, int s, int d, bool *any)
{
	char out = 0;
	*any = false;
	for (size_t i = 0; i < r->n; i++) {
		const struct check_probe *p = &r->v[i];
		if (p->src != s || p->dst != d)
			continue;
		*any = true;
		char c =
		    p->answered == p->expect ? (p->expect ? '.' : 'x') : (p->expect ? 'F' : 'U');
		if (!out || c == 'F' || c == 'U')
			out = c;
	}
	return out ? out : '-';
}

static void check_text(const struct topo *t, const struct check_result *r)
{
	/* The matrix for labs a terminal can show; failing pairs always. */
	if (t->nnodes <= 40) {
		printf("%-12s", "from \\ to");
		for (size_t d = 0; d < t->nnodes; d++)
			if (t->nodes[d].kind == TOPO_HOST)
				printf(" %-6.6s", t->nodes[d].name);
		putchar('\n');
		for (size_t s = 0; s < t->nnodes; s++) {
			if (t->nodes[s].kind != TOPO_HOST)
				continue;
			printf("%-12.12s", t->nodes[s].name);
			for (size_t d = 0; d < t->nnodes; d++) {
				bool any;
				if (t->nodes[d].kind == TOPO_HOST)
					printf(" %-6c",
					       s == d ? ' ' : cell(r, (int)s, (int)d, &any));
			}
			putchar('\n');
		}
		printf("(. answered, x unreachable as expected, F no answer, U answered but "
		       "expected unreachable, - no common address family)\n");
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct check_probe *p = &r->v[i];
		if (p->answered != p->expect)
			printf("FAIL %s -> %s (%s): %s\n", t->nodes[p->src].name,
			       t->nodes[p->dst].name, p->to->text,
			       p->expect ? "no answer" : "answered, expected unreachable");
	}
	printf("%zu probes, %zu failed\n", r->n, r->failed);
}

static struct jout *check_json(const struct topo *t, const struct check_result *r)
{
	struct jout *o = jout_object(), *arr = jout_array();
	jout_set_str(o, "lab", t->name);
	jout_set_int(o, "probes", (long long)r->n);
	jout_set_int(o, "failed", (long long)r->failed);
	for (size_t i = 0; i < r->n; i++) {
		const struct check_probe *p = &r->v[i];
		struct jout *j = jout_object();
		jout_set_str(j, "from", t->nodes[p->src].name);
		jout_set_str(j, "to", t->nodes[p->dst].name);
		jout_set_str(j, "address", p->to->text);
		jout_set_bool(j, "expected", p->expect);
		jout_set_bool(j, "answered", p->answered);
		if (p->answered)
			jout_set_int(j, "rtt_us", p->rtt_us);
		jout_append(arr, j);
	}
	jout_set(o, "probes_detail", arr);
	return o;
}

/* Node names of a --from/--to list ("a,b,c") into indices. */
static int node_list(const struct topo *t, const char *arg, int **out, size_t *n)
{
	char *copy = strdup(arg), *save = NULL;
	if (!copy)
		return EXIT_FAIL;
	int rc = EXIT_OK;
	for (char *w = strtok_r(copy, ",", &save); w && rc == EXIT_OK;
	     w = strtok_r(NULL, ",", &save)) {
		int i = topo_find_node(t, w);
		int *v = i >= 0 ? realloc(*out, (*n + 1) * sizeof(*v)) : NULL;
		if (i < 0) {
			cli_errorf("netns: check: no node \"%s\" in lab %s", w, t->name);
			rc = EXIT_USAGE;
		} else if (!v) {
			rc = EXIT_FAIL;
		} else {
			*out = v;
			v[(*n)++] = i;
		}
	}
	free(copy);
	return rc;
}

static int check_options(const struct topo *t, int argc, char **argv, struct check_opts *o,
			 int **from, int **to)
{
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int rc;
		if (!val)
			return usage("check", CHECK_ARGS);
		if (!strcmp(opt, "--from"))
			rc = node_list(t, val, from, &o->nfrom);
		else if (!strcmp(opt, "--to"))
			rc = node_list(t, val, to, &o->nto);
		else if (!strcmp(opt, "--sample") && (o->sample = strtoul(val, NULL, 10)) > 0)
			rc = EXIT_OK;
		else if (!strcmp(opt, "--timeout") && (o->timeout_ms = atoi(val)) > 0 &&
			 o->timeout_ms <= 60000)
			rc = EXIT_OK;
		else
			return usage("check", CHECK_ARGS);
		if (rc != EXIT_OK)
			return rc;
		i++;
	}
	o->from = *from;
	o->to = *to;
	return EXIT_OK;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	bool dashdash = cli_take_dashdash(&argc, argv);
	take_json(c, &argc, argv);
	if (argc < 2 || (argv[1][0] == '-' && !dashdash))
		return usage("check", CHECK_ARGS);
	struct topo t;
	int rc = load_lab_or_file(argv[1], &t);
	struct check_opts o = {0};
	int *from = NULL, *to = NULL;
	if (rc == EXIT_OK)
		rc = check_options(&t, argc, argv, &o, &from, &to);
	if (rc != EXIT_OK) {
		free(from);
		free(to);
		topo_free(&t);
		return rc;
	}
	struct check_result r;
	struct nns_err err = {0};
	if (topo_check(&t, &o, &r, &err) < 0) {
		cli_errorf("netns: check %s: %s", t.name, err.msg);
		rc = EXIT_FAIL;
	} else {
		if (c->json)
			jout_print(stdout, check_json(&t, &r), c->pretty);
		else
			check_text(&t, &r);
		rc = r.failed ? EXIT_FAIL : EXIT_OK;
	}
	check_result_free(&r);
	free(from);
	free(to);
	topo_free(&t);
	return rc;
}
