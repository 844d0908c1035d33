/* SPDX-License-Identifier: MIT */
/*
 * libnetns — named network namespaces and the virtual networks between them.
 *
 * Conventions: every function returns 0 (or a non-negative count) on success
 * and a negative errno on failure, and then fills the caller's struct nns_err
 * with a message that names the object and the kernel's reason. The library
 * never prints and never exits. There is no global mutable state: handles are
 * owned by the caller, and different namespaces may be used from different
 * threads at once.
 */
#ifndef NETNS_H
#define NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NNS_VERSION "0.1.0"

/* Where named namespaces live; shared with iproute2 (Debian's path). */
#ifndef NNS_RUN_DIR
#define NNS_RUN_DIR "/run/netns"
#endif
#ifndef NNS_ETC_DIR
#define NNS_ETC_DIR "/etc/netns"
#endif

/* Caller-owned error record: fixed size, never allocated by the library. */
struct nns_err {
	int code;	/* negative errno, 0 when no error */
	char msg[1024]; /* "what failed: on which object: the kernel's reason" */
	char ext[256];	/* the kernel's extended-ack text alone, "" when none */
};

/* ---- names ------------------------------------------------------------ */

/*
 * Is NAME acceptable as a namespace name? Same rules as iproute2 (non-empty,
 * at most 255 bytes, no '/', not "." or "..") plus one deliberate difference:
 * control characters are refused because they corrupt `list` output.
 */
bool nns_name_valid(const char *name);

/* ---- lifecycle (src/ns) ------------------------------------------------ */

/* Create named namespaces NAMES[0..n-1]; stops at the first failure, which
 * leaves nothing of that name behind. Returns how many were created (all
 * when >= 0 equals n) or -errno with *done set to the count created. */
int nns_add(const char *const *names, size_t n, size_t *done, struct nns_err *err);
int nns_attach(const char *name, pid_t pid, struct nns_err *err);
int nns_delete(const char *name, struct nns_err *err);

/* One entry of the run directory, in readdir order (as iproute2). */
struct nns_entry {
	char name[256];
	int nsid;   /* nsid in the caller's namespace, -1 when unassigned */
	bool stale; /* not a namespace (e.g. left by a crashed add) */
};
/* Fill a malloc'd array *out of *count entries; free() it. A missing run
 * directory gives count 0 and returns 1 (iproute2 prints nothing then, not
 * even "[]"). */
int nns_list(struct nns_entry **out, size_t *count, struct nns_err *err);

/* Open the namespace file NAME (O_RDONLY|O_CLOEXEC); returns the fd. */
int nns_open(const char *name, struct nns_err *err);

/* ---- wiring (src/net) --------------------------------------------------- */

/* One veth pair between two named namespaces, addresses set, both ends up.
 * NULL interface names default to "veth-<peer namespace>" cut to 15 bytes.
 * Everything is validated before the kernel is touched; a failure after the
 * pair exists deletes it again, so nothing half-made remains. */
struct nns_connect {
	const char *ns1, *if1;
	const char *ns2, *if2;
	const char *addr1, *addr2; /* CIDR or NULL, e.g. "10.0.0.1/24", "fd00::1/64" */
	unsigned mtu;		   /* 0: default */
	const char *netem;	   /* tc words applied on both ends, or NULL; a spec
				    * with only "rate R" uses tbf (no netem needed) */
};
int nns_connect(const struct nns_connect *c, struct nns_err *err);
/* The default interface name for the end facing PEER_NS ("veth-<peer>"). */
void nns_veth_default_name(const char *peer_ns, char out[16]);
/* Delete the veth IFNAME in namespace NS (and so its peer). */
int nns_disconnect(const char *ns, const char *ifname, struct nns_err *err);

#ifdef __cplusplus
}
#endif
#endif
