/* Collected FILE:LINE:COL diagnostics and "did you mean" hints. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define DIAG_MAX 200 /* a broken file should not flood the terminal */

void topo_diag_add(struct topo_diag *d, struct topo_pos pos, const char *fmt, ...)
{
	if (d->n >= DIAG_MAX) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct topo_diag_entry *v = realloc(d->v, cap * sizeof(*v));
		if (!v) {
			d->dropped++;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	char *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0) {
		d->dropped++;
		return;
	}
	d->v[d->n++] = (struct topo_diag_entry){pos, msg};
}

static int pos_cmp(struct topo_pos a, struct topo_pos b)
{
	if (a.line != b.line)
		return a.line < b.line ? -1 : 1;
	if (a.col != b.col)
		return a.col < b.col ? -1 : 1;
	return 0;
}

void topo_diag_sort(struct topo_diag *d)
{
	/* Insertion sort: stable, and entries arrive nearly in order. */
	for (size_t i = 1; i < d->n; i++) {
		struct topo_diag_entry e = d->v[i];
		size_t j = i;
		for (; j > 0 && pos_cmp(d->v[j - 1].pos, e.pos) > 0; j--)
			d->v[j] = d->v[j - 1];
		d->v[j] = e;
	}
}

void topo_diag_free(struct topo_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Edit distance where swapping two neighbours counts once (a typo's
 * usual shape: "hots2" for "host2"), for short words only. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	size_t d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

const char *topo_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	/* Close enough to be a typo: a third of the word, at least 1, at most 3. */
	size_t limit = (strlen(word) + 2) / 3;
	limit = limit < 1 ? 1 : limit > 3 ? 3 : limit;
	return best && best_d <= limit && best_d < strlen(word) ? best : NULL;
}
