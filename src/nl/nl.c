#include "nl.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../util/cleanup.h"
#include "../util/err.h"
#include "../util/fault.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

/* A chunk is sent with one sendmsg; a request may grow to NL_MSG_MAX. */
#define NL_BUF_SIZE (64 * 1024)
#define NL_MSG_MAX (4 * 1024)
#define NL_LABEL_MAX 120

struct nl_sock {
	int fd;
	uint32_t seq;	     /* sequence number of the next request */
	char *buf;	     /* queued requests, back to back; grown on demand */
	size_t len;	     /* bytes of closed messages in buf */
	size_t cap;
	size_t labcap;
	struct nlmsghdr *open_msg; /* the request still being filled, if any */
	char (*labels)[NL_LABEL_MAX]; /* one per queued request, in order */
	size_t nqueued;
	uint32_t first_seq; /* seq of labels[0] */
	struct nns_err pending; /* first failure seen by an automatic flush */
#ifdef NNS_FAULT_INJECTION
	uint32_t fault_seq; /* the request made to fail (0: none) */
	char fault_msg[NL_LABEL_MAX + 64];
#endif
};

int nl_fd(const struct nl_sock *s)
{
	return s->fd;
}

size_t nl_pending(const struct nl_sock *s)
{
	return s->nqueued;
}

static int socket_here(struct nns_err *err)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return err_sys(err, errno, "opening rtnetlink socket");
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		return err_sys(err, e, "binding rtnetlink socket");
	}
	/* Best effort: older kernels lack these, messages are just poorer. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

/* Open a socket inside NSFD from this thread, then come back. */
static int socket_in(int nsfd, struct nns_err *err)
{
	autoclose int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return err_sys(err, errno, "opening the current network namespace");
	if (setns(nsfd, CLONE_NEWNET) < 0)
		return err_sys(err, errno, "entering network namespace");
	int fd = socket_here(err);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* The thread would be stranded in the wrong namespace. */
		if (fd >= 0)
			close(fd);
		return err_sys(err, errno, "returning to the original network namespace");
	}
	return fd;
}

int nl_open(int nsfd, struct nl_sock **out, struct nns_err *err)
{
	struct nl_sock *s = calloc(1, sizeof(*s));
	if (!s)
		return err_sys(err, ENOMEM, "allocating netlink handle");
	s->fd = nsfd < 0 ? socket_here(err) : socket_in(nsfd, err);
	if (s->fd < 0) {
		int r = s->fd;
		nl_close(s);
		return r;
	}
	s->seq = 1;
	*out = s;
	return 0;
}

int nl_strict(struct nl_sock *s, struct nns_err *err)
{
	int one = 1;
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one)) < 0)
		return err_sys(err, errno, "enabling strict netlink checking");
	return 0;
}

void nl_close(struct nl_sock *s)
{
	if (!s)
		return;
	if (s->fd > 0)
		close(s->fd);
	free(s->buf);
	free(s->labels);
	free(s);
}

static void close_open_msg(struct nl_sock *s)
{
	if (s->open_msg) {
		s->len += NLMSG_ALIGN(s->open_msg->nlmsg_len);
		s->open_msg = NULL;
	}
}

/* Where the extended-ack attributes start in an NLMSG_ERROR or, for a dump
 * that failed, an NLMSG_DONE (whose payload is just the error code). */
static size_t extack_offset(const struct nlmsghdr *h)
{
	if (h->nlmsg_type == NLMSG_DONE)
		return sizeof(int);
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
	size_t off = sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	return off;
}

/* Copy the kernel's extended-ack text out of an NLMSG_ERROR/DONE, if any. */
static void read_extack(const struct nlmsghdr *h, char *out, size_t outlen)
{
	out[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	size_t off = extack_offset(h);
	const struct nlattr *a;
	mnl_attr_for_each(a, h, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG) {
			snprintf(out, outlen, "%s", mnl_attr_get_str(a));
			size_t n = strlen(out);
			while (n && (out[n - 1] == '\n' || out[n - 1] == '.'))
				out[--n] = '\0';
			return;
		}
	}
}

static int set_kernel_error(struct nns_err *err, int errnum, const char *label,
			    const struct nlmsghdr *h)
{
	char ext[sizeof(err->ext)];
	read_extack(h, ext, sizeof(ext));
	if (ext[0])
		err_msg(err, errnum, "%s: %s (%s)", label, strerror(errnum), ext);
	else
		err_sys(err, errnum, "%s", label);
	if (err) {
		snprintf(err->ext, sizeof(err->ext), "%s", ext);
		err->kernel = true;
	}
	return -errnum;
}

#ifdef NNS_FAULT_INJECTION
/* The kernel's answer to an injected fault: record it as such. */
static bool fault_answered(struct nl_sock *s, const struct nlmsghdr *h)
{
	if (!s->fault_seq || h->nlmsg_seq != s->fault_seq)
		return false;
	if (!s->pending.code)
		err_msg(&s->pending, EIO, "%s", s->fault_msg);
	s->fault_seq = 0;
	return true;
}
#else
static inline bool fault_answered(struct nl_sock *s, const struct nlmsghdr *h)
{
	return false;
}
#endif

/* Ask for one more ack, to wait for instead of answers that were lost. */
static int send_noop(struct nl_sock *s, uint32_t *last_seq)
{
	struct nlmsghdr h = {.nlmsg_len = NLMSG_HDRLEN,
			     .nlmsg_type = NLMSG_NOOP,
			     .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			     .nlmsg_seq = s->seq++};
	*last_seq = h.nlmsg_seq;
	return send(s->fd, &h, h.nlmsg_len, 0) < 0 ? -errno : 0;
}

/*
 * Receive until the answer for LAST_SEQ; record the first failure.
 *
 * Hundreds of failures in one chunk overflow the socket's receive buffer:
 * the kernel drops the answers that do not fit (maybe the final ack) and
 * reports ENOBUFS once. The first failures came first and were kept; read
 * what is left, then ask for a fresh ack (NLMSG_NOOP) and wait for that one,
 * instead of waiting forever for a dropped one.
 */
static int drain_acks(struct nl_sock *s, uint32_t last_seq)
{
	char rbuf[16 * 1024] __attribute__((aligned(8)));
	bool lost = false, emptying = false;
	for (;;) {
		ssize_t n = recv(s->fd, rbuf, sizeof(rbuf), emptying ? MSG_DONTWAIT : 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS && !lost) {
			lost = emptying = true;
			continue;
		}
		if (n < 0 && emptying && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			emptying = false;
			if (send_noop(s, &last_seq) < 0)
				return err_sys(&s->pending, errno,
					       "resynchronising netlink answers");
			continue;
		}
		if (n < 0)
			return err_sys(&s->pending, errno, "receiving netlink answers");
		const struct nlmsghdr *h = (const void *)rbuf;
		for (int left = (int)n; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			uint32_t idx = h->nlmsg_seq - s->first_seq;
			if (e->error && !fault_answered(s, h) && !s->pending.code &&
			    idx < s->nqueued)
				set_kernel_error(&s->pending, -e->error, s->labels[idx], h);
			if (h->nlmsg_seq == last_seq && lost && !s->pending.code)
				err_msg(&s->pending, ENOBUFS,
					"netlink answers lost (receive buffer full): some of %zu "
					"requests failed",
					s->nqueued);
			if (h->nlmsg_seq == last_seq)
				return 0;
		}
	}
}

/* Send the queued chunk; only its last message asks for an ack. */
static int flush_chunk(struct nl_sock *s)
{
	close_open_msg(s);
	if (!s->nqueued)
		return 0;
	struct nlmsghdr *last = NULL;
	for (size_t off = 0; off < s->len; off += NLMSG_ALIGN(last->nlmsg_len))
		last = (struct nlmsghdr *)(s->buf + off);
	last->nlmsg_flags |= NLM_F_ACK;
	int r = 0;
	for (size_t sent = 0; sent < s->len && !r;) {
		ssize_t n = send(s->fd, s->buf + sent, s->len - sent, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = err_sys(&s->pending, errno, "sending netlink requests");
		else
			sent += (size_t)n;
	}
	if (!r)
		r = drain_acks(s, last->nlmsg_seq);
	s->len = 0;
	s->nqueued = 0;
	return r;
}

/*
 * Make room for one more request of up to NL_MSG_MAX bytes. Buffers start
 * small because a topology keeps one handle per namespace (thousands); a
 * full chunk is sent right away, its failures kept for nl_flush().
 */
static void ensure_room(struct nl_sock *s)
{
	if (s->cap - s->len < NL_MSG_MAX) {
		size_t cap = s->cap ? s->cap * 2 : 2 * NL_MSG_MAX;
		char *b = cap <= NL_BUF_SIZE ? realloc(s->buf, cap) : NULL;
		if (b) {
			s->buf = b;
			s->cap = cap;
		} else {
			flush_chunk(s);
		}
	}
	if (s->nqueued == s->labcap) {
		size_t cap = s->labcap ? s->labcap * 2 : 8;
		void *l = realloc(s->labels, cap * sizeof(*s->labels));
		if (l) {
			s->labels = l;
			s->labcap = cap;
		} else {
			flush_chunk(s);
		}
	}
}

#ifdef NNS_FAULT_INJECTION
/*
 * Test builds (fault.h): a request chosen to fail is sent with a message
 * type rtnetlink does not know, so the kernel really refuses it (and still
 * processes the others), and its answer is reported as the injected fault.
 */
static void inject_fault(struct nl_sock *s, struct nlmsghdr *h, const char *label)
{
	struct nns_err e = {0};
	if (!fault_point(label, &e) || s->fault_seq)
		return;
	h->nlmsg_type = RTM_MAX + 1;
	s->fault_seq = h->nlmsg_seq;
	snprintf(s->fault_msg, sizeof(s->fault_msg), "%s", e.msg);
}
#else
static inline void inject_fault(struct nl_sock *s, struct nlmsghdr *h, const char *label)
{
}
#endif

struct nlmsghdr *nl_req(struct nl_sock *s, uint16_t type, uint16_t flags, const void *hdr,
			size_t hdrlen, const char *label_fmt, ...)
{
	close_open_msg(s);
	ensure_room(s);
	if (!s->nqueued)
		s->first_seq = s->seq;
	struct nlmsghdr *h = mnl_nlmsg_put_header(s->buf + s->len);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = s->seq++;
	if (hdrlen)
		memcpy(mnl_nlmsg_put_extra_header(h, hdrlen), hdr, hdrlen);
	va_list ap;
	va_start(ap, label_fmt);
	vsnprintf(s->labels[s->nqueued], NL_LABEL_MAX, label_fmt, ap);
	va_end(ap);
	inject_fault(s, h, s->labels[s->nqueued]);
	s->nqueued++;
	s->open_msg = h;
	return h;
}

/* An empty queue gives its buffers back: a topology keeps one handle per
 * namespace, thousands of them, for the whole build (8-16 KiB each). */
static void release_queue(struct nl_sock *s)
{
	free(s->buf);
	free(s->labels);
	s->buf = NULL;
	s->labels = NULL;
	s->cap = s->labcap = 0;
}

int nl_flush(struct nl_sock *s, struct nns_err *err)
{
	flush_chunk(s);
	release_queue(s);
	if (!s->pending.code)
		return 0;
	if (err)
		*err = s->pending;
	int r = s->pending.code;
	err_clear(&s->pending);
	s->pending.ext[0] = '\0';
	return r;
}

void nl_put_u8(struct nlmsghdr *h, uint16_t type, uint8_t v)
{
	mnl_attr_put_u8(h, type, v);
}
void nl_put_u16(struct nlmsghdr *h, uint16_t type, uint16_t v)
{
	mnl_attr_put_u16(h, type, v);
}
void nl_put_u32(struct nlmsghdr *h, uint16_t type, uint32_t v)
{
	mnl_attr_put_u32(h, type, v);
}
void nl_put_u64(struct nlmsghdr *h, uint16_t type, uint64_t v)
{
	mnl_attr_put_u64(h, type, v);
}
void nl_put_strz(struct nlmsghdr *h, uint16_t type, const char *str)
{
	mnl_attr_put_strz(h, type, str);
}
void nl_put(struct nlmsghdr *h, uint16_t type, size_t len, const void *data)
{
	mnl_attr_put(h, type, len, data);
}
void *nl_put_extra(struct nlmsghdr *h, size_t len)
{
	return mnl_nlmsg_put_extra_header(h, len);
}
struct nlattr *nl_nest_start(struct nlmsghdr *h, uint16_t type)
{
	return mnl_attr_nest_start(h, type);
}
void nl_nest_end(struct nlmsghdr *h, struct nlattr *nest)
{
	mnl_attr_nest_end(h, nest);
}

struct parse_ctx {
	const struct nlattr **tb;
	uint16_t max;
};

static int parse_one(const struct nlattr *a, void *data)
{
	struct parse_ctx *c = data;
	uint16_t t = mnl_attr_get_type(a);
	if (t <= c->max)
		c->tb[t] = a;
	return MNL_CB_OK;
}

void nl_parse(const struct nlmsghdr *h, size_t hdrlen, const struct nlattr **tb, uint16_t maxtype)
{
	memset(tb, 0, (maxtype + 1u) * sizeof(*tb));
	struct parse_ctx c = { tb, maxtype };
	mnl_attr_parse(h, (unsigned)hdrlen, parse_one, &c);
}

void nl_parse_nested(const struct nlattr *attr, const struct nlattr **tb, uint16_t maxtype)
{
	memset(tb, 0, (maxtype + 1u) * sizeof(*tb));
	struct parse_ctx c = { tb, maxtype };
	mnl_attr_parse_nested(attr, parse_one, &c);
}

uint8_t nl_attr_u8(const struct nlattr *a)
{
	return mnl_attr_get_u8(a);
}
uint16_t nl_attr_u16(const struct nlattr *a)
{
	return mnl_attr_get_u16(a);
}
uint32_t nl_attr_u32(const struct nlattr *a)
{
	return mnl_attr_get_u32(a);
}
const char *nl_attr_str(const struct nlattr *a)
{
	return mnl_attr_get_str(a);
}
const void *nl_attr_data(const struct nlattr *a)
{
	return mnl_attr_get_payload(a);
}
size_t nl_attr_len(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a);
}
void *nl_msg_data(const struct nlmsghdr *h)
{
	return mnl_nlmsg_get_payload(h);
}

/* Dispatch one received buffer; returns 1 when the exchange is complete. */
static int call_dispatch(const char *rbuf, size_t n, uint32_t seq, nl_reply_cb cb, void *data,
			 const char *label, struct nns_err *err, int *result)
{
	const struct nlmsghdr *h = (const void *)rbuf;
	for (int left = (int)n; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
		if (h->nlmsg_seq != seq)
			continue;
		if (h->nlmsg_type == NLMSG_DONE) {
			/* A dump that fails after it started reports here. */
			const int *e = mnl_nlmsg_get_payload(h);
			if (mnl_nlmsg_get_payload_len(h) >= sizeof(*e) && *e < 0 && !*result)
				*result = set_kernel_error(err, -*e, label, h);
			return 1;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			if (e->error && !*result)
				*result = set_kernel_error(err, -e->error, label, h);
			return 1;
		}
		if (!*result && cb) {
			int r = cb(h, data);
			if (r < 0)
				*result = r;
		}
	}
	return 0;
}

int nl_call(struct nl_sock *s, uint16_t type, uint16_t flags, const void *hdr, size_t hdrlen,
	    void (*add_attrs)(struct nlmsghdr *h, const void *arg), const void *arg,
	    nl_reply_cb cb, void *data, const char *label, struct nns_err *err)
{
	char req[NL_MSG_MAX] __attribute__((aligned(8)));
	struct nlmsghdr *h = mnl_nlmsg_put_header(req);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = s->seq++;
	if (hdrlen)
		memcpy(mnl_nlmsg_put_extra_header(h, hdrlen), hdr, hdrlen);
	if (add_attrs)
		add_attrs(h, arg);
	if (send(s->fd, h, h->nlmsg_len, 0) < 0)
		return err_sys(err, errno, "%s: sending netlink request", label);

	/* Dumps can carry large messages; MSG_PEEK|MSG_TRUNC sizes the buffer. */
	size_t cap = 32 * 1024;
	autofree char *rbuf = malloc(cap);
	int result = 0;
	for (;;) {
		if (!rbuf)
			return err_sys(err, ENOMEM, "%s", label);
		ssize_t need = recv(s->fd, rbuf, cap, MSG_PEEK | MSG_TRUNC);
		if (need < 0 && errno == EINTR)
			continue;
		if (need < 0)
			return err_sys(err, errno, "%s: receiving netlink answer", label);
		if ((size_t)need > cap) {
			cap = (size_t)need;
			free(rbuf);
			rbuf = malloc(cap);
			continue;
		}
		ssize_t n = recv(s->fd, rbuf, cap, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, errno, "%s: receiving netlink answer", label);
		if (call_dispatch(rbuf, (size_t)n, h->nlmsg_seq, cb, data, label, err, &result))
			return result;
	}
}
