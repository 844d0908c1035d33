/* YAML text → struct ydoc, from libfyaml's event stream (marks on every node). */
#include "yaml.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#define Y_MAX_DEPTH   64   /* deeper than any topology needs */
#define Y_MAX_ANCHORS 1024 /* anchors are looked up linearly */

struct anchor {
	char *name;
	struct ynode *node;
};

struct builder {
	struct ydoc *doc;
	struct topo_diag *diag;
	struct ynode *stack[Y_MAX_DEPTH];
	size_t depth;
	struct anchor *anchors;
	size_t nanchors;
	bool failed;
	struct topo_pos last; /* of the last event that had a mark */
};

static struct topo_pos mark_pos(const struct fy_mark *m)
{
	struct topo_pos p = {0, 0};
	if (m) {
		p.line = (unsigned)m->line + 1;
		p.col = (unsigned)m->column + 1;
	}
	return p;
}

/*
 * Where event E is. libfyaml gives an implicit empty value (a "-" followed
 * by NUL bytes, found by fuzzing) no mark at all: use its end mark, else the
 * last position seen, so every diagnostic keeps a LINE:COL.
 */
static struct topo_pos event_pos(struct builder *b, struct fy_event *e)
{
	struct topo_pos p = mark_pos(fy_event_start_mark(e));
	if (!p.line)
		p = mark_pos(fy_event_end_mark(e));
	if (!p.line)
		p = b->last.line ? b->last : (struct topo_pos){1, 1};
	b->last = p;
	return p;
}

static struct ynode *node_new(struct builder *b, enum ynode_type type, struct topo_pos pos)
{
	struct ydoc *d = b->doc;
	if (d->nall == d->capall) {
		size_t cap = d->capall ? d->capall * 2 : 64;
		struct ynode **v = realloc(d->all, cap * sizeof(*v));
		if (!v)
			return NULL;
		d->all = v;
		d->capall = cap;
	}
	struct ynode *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->type = type;
	n->pos = pos;
	d->all[d->nall++] = n;
	return n;
}

static int node_append(struct ynode *parent, struct ynode *kid)
{
	if (parent->n == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 4;
		struct ynode **v = realloc(parent->kids, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		parent->kids = v;
		parent->cap = cap;
	}
	parent->kids[parent->n++] = kid;
	return 0;
}

/* Attach a finished node to the open collection, or make it the root. */
static int attach(struct builder *b, struct ynode *n)
{
	if (!b->depth) {
		b->doc->root = n;
		return 0;
	}
	return node_append(b->stack[b->depth - 1], n);
}

static int remember_anchor(struct builder *b, struct fy_token *anchor, struct ynode *n)
{
	if (!anchor)
		return 0;
	if (b->nanchors >= Y_MAX_ANCHORS) {
		topo_diag_add(b->diag, n->pos, "too many anchors (at most %d)", Y_MAX_ANCHORS);
		b->failed = true;
		return 0;
	}
	if (!(b->nanchors & (b->nanchors + 1))) {
		struct anchor *v = realloc(b->anchors, (b->nanchors * 2 + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		b->anchors = v;
	}
	char *name = strdup(fy_token_get_text0(anchor) ?: "");
	if (!name)
		return -ENOMEM;
	b->anchors[b->nanchors++] = (struct anchor){name, n};
	return 0;
}

static struct ynode *find_anchor(struct builder *b, const char *name)
{
	for (size_t i = b->nanchors; i-- > 0;) /* the latest definition wins */
		if (!strcmp(b->anchors[i].name, name))
			return b->anchors[i].node;
	return NULL;
}

static int on_scalar(struct builder *b, struct fy_event *e)
{
	struct ynode *n = node_new(b, Y_SCALAR, event_pos(b, e));
	if (!n)
		return -ENOMEM;
	size_t len = 0;
	const char *text = fy_token_get_text(e->scalar.value, &len);
	n->str = malloc(len + 1);
	if (!n->str)
		return -ENOMEM;
	if (len)
		memcpy(n->str, text, len);
	n->str[len] = '\0';
	n->len = len;
	n->plain = fy_token_scalar_style(e->scalar.value) == FYSS_PLAIN;
	int r = remember_anchor(b, e->scalar.anchor, n);
	return r ? r : attach(b, n);
}

static int on_alias(struct builder *b, struct fy_event *e)
{
	const char *name = fy_token_get_text0(e->alias.anchor) ?: "";
	struct ynode *target = find_anchor(b, name);
	if (!target) {
		topo_diag_add(b->diag, event_pos(b, e), "unknown alias *%s", name);
		b->failed = true;
		return 0;
	}
	/* A collection still open is being defined: refusing the cycle keeps
	 * every reader of the tree finite. */
	for (size_t i = 0; i < b->depth; i++)
		if (b->stack[i] == target) {
			topo_diag_add(b->diag, event_pos(b, e),
				      "alias *%s refers to a node that contains it", name);
			b->failed = true;
			return 0;
		}
	return attach(b, target);
}

static int on_start(struct builder *b, struct fy_event *e, enum ynode_type type)
{
	struct ynode *n = node_new(b, type, event_pos(b, e));
	if (!n)
		return -ENOMEM;
	if (b->depth == Y_MAX_DEPTH) {
		topo_diag_add(b->diag, n->pos, "nesting deeper than %d levels", Y_MAX_DEPTH);
		b->failed = true;
		return -EINVAL;
	}
	struct fy_token *anchor =
	    type == Y_MAP ? e->mapping_start.anchor : e->sequence_start.anchor;
	int r = remember_anchor(b, anchor, n);
	if (!r)
		r = attach(b, n);
	if (!r)
		b->stack[b->depth++] = n;
	return r;
}

static int on_event(struct builder *b, struct fy_event *e, int *docs)
{
	switch (e->type) {
	case FYET_DOCUMENT_START:
		if (++*docs > 1) {
			topo_diag_add(b->diag, event_pos(b, e),
				      "more than one YAML document: a topology is one document");
			b->failed = true;
			return -EINVAL;
		}
		return 0;
	case FYET_SCALAR:
		return on_scalar(b, e);
	case FYET_ALIAS:
		return on_alias(b, e);
	case FYET_MAPPING_START:
		return on_start(b, e, Y_MAP);
	case FYET_SEQUENCE_START:
		return on_start(b, e, Y_SEQ);
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		if (b->depth)
			b->depth--;
		return 0;
	default:
		return 0;
	}
}

static void copy_parser_errors(struct fy_diag *fd, struct topo_diag *diag)
{
	void *it = NULL;
	struct fy_diag_error *de;
	while ((de = fy_diag_errors_iterate(fd, &it)))
		if (de->type >= FYET_ERROR)
			topo_diag_add(diag,
				      (struct topo_pos){de->line > 0 ? (unsigned)de->line : 1,
							de->column > 0 ? (unsigned)de->column : 1},
				      "%s", de->msg ?: "YAML syntax error");
}

static int run_parser(struct fy_parser *p, struct builder *b)
{
	int docs = 0, r = 0;
	struct fy_event *e;
	while ((e = fy_parser_parse(p))) {
		if (!r && !b->failed)
			r = on_event(b, e, &docs);
		fy_parser_event_free(p, e);
	}
	return r;
}

/* Length of the valid UTF-8 sequence at P (at most N bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
		   : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* No overlong forms, surrogates or code points past U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return len;
}

/*
 * A topology is UTF-8 text. libfyaml 0.7 loops forever on some invalid
 * bytes (a "%" directive followed by 0xe5, found by fuzzing), so refuse
 * them, with their position, before it sees them.
 */
static int check_utf8(const char *text, size_t len, struct topo_diag *diag)
{
	const unsigned char *p = (const unsigned char *)text;
	struct topo_pos pos = {1, 1};
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(p + i, len - i);
		if (!n) {
			topo_diag_add(diag, pos, "invalid UTF-8 byte 0x%02x: a topology is UTF-8 text",
				      p[i]);
			return -EINVAL;
		}
		if (p[i] == '\n')
			pos.line++, pos.col = 1;
		else
			pos.col++;
		i += n;
	}
	return 0;
}

int ydoc_parse(struct ydoc *doc, const char *text, size_t len, struct topo_diag *diag)
{
	memset(doc, 0, sizeof(*doc));
	if (check_utf8(text, len, diag) < 0)
		return -EINVAL;
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	struct fy_diag *fd = fy_diag_create(&dc);
	if (!fd)
		return -ENOMEM;
	fy_diag_set_collect_errors(fd, true);
	struct fy_parse_cfg pc = {.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG, .diag = fd};
	struct fy_parser *p = fy_parser_create(&pc);
	if (!p) {
		fy_diag_destroy(fd);
		return -ENOMEM;
	}
	struct builder b = {.doc = doc, .diag = diag};
	int r = fy_parser_set_string(p, text, len) ? -ENOMEM : run_parser(p, &b);
	bool syntax = fy_parser_get_stream_error(p);
	if (syntax) {
		size_t before = diag->n;
		copy_parser_errors(fd, diag);
		if (diag->n == before)
			topo_diag_add(diag, (struct topo_pos){1, 1}, "YAML syntax error");
	}
	fy_parser_destroy(p);
	fy_diag_destroy(fd);
	for (size_t i = 0; i < b.nanchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	if (r == -ENOMEM)
		return r;
	return syntax || b.failed || r ? -EINVAL : 0;
}

void ydoc_free(struct ydoc *doc)
{
	for (size_t i = 0; i < doc->nall; i++) {
		free(doc->all[i]->str);
		free(doc->all[i]->kids);
		free(doc->all[i]);
	}
	free(doc->all);
	memset(doc, 0, sizeof(*doc));
}

size_t ymap_len(const struct ynode *m)
{
	return m->n / 2;
}

const struct ynode *ymap_key(const struct ynode *m, size_t i)
{
	return m->kids[2 * i];
}

const struct ynode *ymap_val(const struct ynode *m, size_t i)
{
	return 2 * i + 1 < m->n ? m->kids[2 * i + 1] : NULL;
}

bool ynode_is_null(const struct ynode *n)
{
	return !n || (n->type == Y_SCALAR && n->plain &&
		      (!n->len || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
		       !strcmp(n->str, "Null") || !strcmp(n->str, "NULL")));
}
