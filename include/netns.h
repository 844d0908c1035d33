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
	bool kernel;	/* the kernel refused a netlink request (iproute2 exits 2) */
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

/* Assign NSID (or let the kernel pick the lowest free one: NNS_NSID_AUTO)
 * to the namespace NAME, as seen from the caller's namespace. A refusal by
 * the kernel returns its errno with err->ext set (e.g. "Peer netns already
 * has a nsid assigned"). */
#define NNS_NSID_AUTO (-1)
int nns_set_nsid(const char *name, int nsid, struct nns_err *err);

/* One nsid known to the caller's namespace (or to TARGET's, see below). */
struct nns_id {
	int nsid;	  /* the id */
	bool has_current; /* asked with a target: current_nsid is meaningful */
	int current_nsid; /* the same peer's id here, < 0 when it has none */
	char name[256];	  /* a name in the run directory for it, "" when none */
};
/* All nsids the caller's namespace (or, when TARGET_NSID >= 0, the namespace
 * that has id TARGET_NSID here) assigned, in kernel order (ascending); a
 * malloc'd array the caller free()s. Names come from the run directory. */
int nns_list_ids(int target_nsid, struct nns_id **out, size_t *count, struct nns_err *err);
/* One nsid, looked up the same way; an unknown NSID is the kernel's -ENOENT
 * ("Peer netns reference is invalid"). */
int nns_get_id(int target_nsid, int nsid, struct nns_id *out, struct nns_err *err);

/* The name of process PID's namespace (PID 0: the caller) in NAME: when the
 * namespace has several names, the last one in directory order (as
 * iproute2). Returns 1 when found, 0 when unnamed (NAME is then ""). */
int nns_identify(pid_t pid, char name[256], struct nns_err *err);
/* The processes (not threads) whose network namespace is NAME, in /proc
 * order: a malloc'd array the caller free()s. */
int nns_pids(const char *name, pid_t **out, size_t *count, struct nns_err *err);

/*
 * Move the calling process into the namespace NAME the way `ip netns exec`
 * does: setns, a private mount namespace (unshare(CLONE_NEWNS)) where / is
 * made rslave, a fresh sysfs on /sys (source NAME, so /sys/class/net shows
 * NAME's devices; read-only when the old /sys was read-only and could not be
 * detached), and every /etc/netns/NAME/ENTRY bind-mounted over /etc/ENTRY.
 * A failed /etc bind does not fail the switch: WARN (if not NULL) gets one
 * message per failure. The mount namespace is per process, so call this
 * from a single-threaded process (after fork(), or before starting threads).
 */
typedef void (*nns_warn_cb)(const char *msg, void *data);
int nns_enter(const char *name, nns_warn_cb warn, void *data, struct nns_err *err);

/* Watch the run directory (created if missing) and call CB for every name
 * created or removed, as `ip netns monitor`. Renames are not reported. Runs
 * until CB returns non-zero (that value is returned) or an error. */
enum nns_event { NNS_EVENT_ADD, NNS_EVENT_DELETE };
typedef int (*nns_event_cb)(enum nns_event ev, const char *name, void *data);
int nns_monitor(nns_event_cb cb, void *data, struct nns_err *err);

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
