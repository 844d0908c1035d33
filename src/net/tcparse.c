/* tc-style specs for impairments: "delay 50ms 5ms loss 1%", "rate 1mbit". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "net.h"
#include "tcunits.h"

#define MAX_WORDS 32

/* Split SPEC on blanks into WORDS (pointers into the copy *BUF). */
static int split(const char *spec, char **buf, char **words, size_t *n, struct nns_err *err)
{
	*buf = strdup(spec ? spec : "");
	if (!*buf)
		return err_sys(err, ENOMEM, "parsing \"%s\"", spec);
	*n = 0;
	for (char *save, *w = strtok_r(*buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (*n == MAX_WORDS)
			return err_msg(err, EINVAL, "\"%s\": too many words", spec);
		words[(*n)++] = w;
	}
	if (!*n)
		return err_msg(err, EINVAL, "empty specification");
	return 0;
}

static bool is_number(const char *w)
{
	return w && ((w[0] >= '0' && w[0] <= '9') || w[0] == '.');
}

static int netem_word(char **w, size_t n, size_t *i, struct net_netem *out, struct nns_err *err)
{
	const char *key = w[*i];
	if (*i + 1 >= n)
		return err_msg(err, EINVAL, "netem: \"%s\" needs a value", key);
	const char *val = w[++*i];
	if (!strcmp(key, "delay")) {
		int r = tc_time_parse(val, &out->delay_us, err);
		if (r == 0 && *i + 1 < n && is_number(w[*i + 1]))
			r = tc_time_parse(w[++*i], &out->jitter_us, err);
		return r;
	}
	if (!strcmp(key, "loss")) {
		if (!strcmp(val, "random") && *i + 1 < n)
			val = w[++*i];
		return tc_percent_parse(val, &out->loss, err);
	}
	if (!strcmp(key, "duplicate"))
		return tc_percent_parse(val, &out->duplicate, err);
	if (!strcmp(key, "reorder"))
		return tc_percent_parse(val, &out->reorder, err);
	if (!strcmp(key, "corrupt"))
		return tc_percent_parse(val, &out->corrupt, err);
	if (!strcmp(key, "rate"))
		return net_rate_parse(val, &out->rate_bps, err);
	if (!strcmp(key, "limit"))
		return tc_size_parse(val, &out->limit, err);
	return err_msg(
	    err, EINVAL,
	    "netem: unknown word \"%s\" (delay, loss, duplicate, reorder, corrupt, rate, "
	    "limit)",
	    key);
}

int net_netem_parse(const char *spec, struct net_netem *out, struct nns_err *err)
{
	memset(out, 0, sizeof(*out));
	autofree char *buf = NULL;
	char *w[MAX_WORDS];
	size_t n;
	int r = split(spec, &buf, w, &n, err);
	for (size_t i = 0; i < n && r == 0; i++)
		r = netem_word(w, n, &i, out, err);
	if (r == 0 && out->reorder > 0 && !out->delay_us)
		r = err_msg(err, EINVAL, "netem: reorder needs a delay");
	return r;
}

int net_tbf_parse(const char *spec, struct net_tbf *out, struct nns_err *err)
{
	memset(out, 0, sizeof(*out));
	autofree char *buf = NULL;
	char *w[MAX_WORDS];
	size_t n;
	int r = split(spec, &buf, w, &n, err);
	for (size_t i = 0; i < n && r == 0; i += 2) {
		const char *key = w[i], *val = i + 1 < n ? w[i + 1] : NULL;
		if (!val)
			r = err_msg(err, EINVAL, "tbf: \"%s\" needs a value", key);
		else if (!strcmp(key, "rate"))
			r = net_rate_parse(val, &out->rate_bps, err);
		else if (!strcmp(key, "burst") || !strcmp(key, "buffer"))
			r = tc_size_parse(val, &out->burst, err);
		else if (!strcmp(key, "latency"))
			r = tc_time_parse(val, &out->latency_us, err);
		else if (!strcmp(key, "limit"))
			r = tc_size_parse(val, &out->limit, err);
		else
			r = err_msg(err, EINVAL,
				    "tbf: unknown word \"%s\" (rate, burst, latency, "
				    "limit)",
				    key);
	}
	if (r == 0 && !out->rate_bps)
		r = err_msg(err, EINVAL, "tbf: a rate is required (e.g. \"rate 1mbit\")");
	return r;
}
