/*
 * nl — rtnetlink transport: one socket per namespace, pipelined requests.
 *
 * A socket stays bound to the network namespace it was opened in, so a
 * struct nl_sock is "a handle on one namespace". Requests are queued with
 * nl_req() and sent together by nl_flush(): each message goes without
 * NLM_F_ACK except the last of a chunk, so the kernel answers only failures
 * plus one final ack — one sendmsg and a few recvmsg for a whole batch. Each
 * queued request carries a label ("creating veth a:eth0") so a failure names
 * its object, followed by strerror and the kernel's extended-ack text.
 *
 * This is the only module that sees libmnl; other modules build messages
 * through the nl_put_* helpers below.
 */
#ifndef NNS_NL_H
#define NNS_NL_H

#include <stdint.h>
#include <stddef.h>
#include <linux/netlink.h>

#include "netns.h"

struct nl_sock;

/* Open a rtnetlink socket inside the namespace NSFD (NSFD < 0: the calling
 * thread's current namespace). The calling thread's namespace is unchanged
 * on return. */
int nl_open(int nsfd, struct nl_sock **out, struct nns_err *err);
void nl_close(struct nl_sock *s);
/* Ask the kernel to check requests strictly (NETLINK_GET_STRICT_CHK): some
 * dump filters (e.g. RTM_GETNSID's target nsid) are only honoured then. */
int nl_strict(struct nl_sock *s, struct nns_err *err);
int nl_fd(const struct nl_sock *s);

/*
 * Queue a request: a netlink header of TYPE with FLAGS (NLM_F_REQUEST is
 * added), followed by a copy of the HDRLEN-byte family header HDR. Returns
 * the message so the caller can append attributes; it stays valid until the
 * next nl_req() or nl_flush() on S. LABEL names the object for errors.
 */
struct nlmsghdr *nl_req(struct nl_sock *s, uint16_t type, uint16_t flags, const void *hdr,
			size_t hdrlen, const char *label_fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Send everything queued and wait for the kernel's answers. Returns 0 or
 * the first failure (in request order) as -errno with ERR filled:
 * "LABEL: strerror (extack text)". Every queued request is processed by
 * the kernel even when an earlier one fails. */
int nl_flush(struct nl_sock *s, struct nns_err *err);

/* Number of requests queued and not yet flushed. */
size_t nl_pending(const struct nl_sock *s);

/* Attribute helpers (thin, typed). */
void nl_put_u8(struct nlmsghdr *h, uint16_t type, uint8_t v);
void nl_put_u16(struct nlmsghdr *h, uint16_t type, uint16_t v);
void nl_put_u32(struct nlmsghdr *h, uint16_t type, uint32_t v);
void nl_put_u64(struct nlmsghdr *h, uint16_t type, uint64_t v);
void nl_put_strz(struct nlmsghdr *h, uint16_t type, const char *s);
void nl_put(struct nlmsghdr *h, uint16_t type, size_t len, const void *data);
void *nl_put_extra(struct nlmsghdr *h, size_t len);
struct nlattr *nl_nest_start(struct nlmsghdr *h, uint16_t type);
void nl_nest_end(struct nlmsghdr *h, struct nlattr *nest);

/* Attribute parsing for dumps: fill TB[0..maxtype] from the attributes that
 * follow a family header of HDRLEN bytes in H (or nested in ATTR). */
void nl_parse(const struct nlmsghdr *h, size_t hdrlen, const struct nlattr **tb, uint16_t maxtype);
void nl_parse_nested(const struct nlattr *attr, const struct nlattr **tb, uint16_t maxtype);
uint8_t nl_attr_u8(const struct nlattr *a);
uint16_t nl_attr_u16(const struct nlattr *a);
uint32_t nl_attr_u32(const struct nlattr *a);
const char *nl_attr_str(const struct nlattr *a);
const void *nl_attr_data(const struct nlattr *a);
size_t nl_attr_len(const struct nlattr *a);
void *nl_msg_data(const struct nlmsghdr *h); /* the family header */

/* Run a request synchronously and call CB for every reply message (dump or
 * single answer). CB returns 0 to go on, < 0 to stop with that error. The
 * queue must be empty (flush first). */
typedef int (*nl_reply_cb)(const struct nlmsghdr *h, void *data);
int nl_call(struct nl_sock *s, uint16_t type, uint16_t flags, const void *hdr, size_t hdrlen,
	    void (*add_attrs)(struct nlmsghdr *h, const void *arg), const void *arg,
	    nl_reply_cb cb, void *data, const char *label, struct nns_err *err);

#endif
