/* load — a topology file into the typed model (types and keys checked). */
#ifndef NNS_TOPO_LOAD_H
#define NNS_TOPO_LOAD_H

#include "model.h"
#include "netns.h"

#define TOPO_FILE_MAX (8u << 20) /* bytes; a 10000-node file is well below */

/*
 * Read PATH and fill T. Problems in the file go to DIAG (all of them) and
 * give -EINVAL, or -E2BIG when the model would pass the size bound (then
 * loading stopped early: do not validate); a file that cannot be read gives
 * -errno with ERR filled.
 * T is valid to topo_free() in every case.
 */
int topo_load(const char *path, struct topo *t, struct topo_diag *diag, struct nns_err *err);
/* The same from bytes already in memory (FILE names them in messages). */
int topo_load_text(const char *file, const char *text, size_t len, struct topo *t,
		   struct topo_diag *diag);

/* Value parsers shared with the validator and tests. 0 or -EINVAL. */
int topo_parse_cidr(const char *s, bool need_plen, struct topo_addr *out);
int topo_parse_rate(const char *s, uint64_t *bps);
int topo_parse_time_us(const char *s, uint32_t *us);
int topo_parse_percent(const char *s, double *pct);

#endif
