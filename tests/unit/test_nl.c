/* The pipelined transport: one flush, failures matched to their request.
 * Each test unshares a private network namespace, so this needs root. */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/rtnetlink.h>
#include <cmocka.h>

#include "nl/nl.h"

/* Each test gets a fresh private namespace and a socket in it. */
static int setup_private_netns(void **state)
{
	struct nns_err err = { 0 };
	struct nl_sock *s;
	if (unshare(CLONE_NEWNET) < 0 || nl_open(-1, &s, &err) < 0)
		return -1;
	*state = s;
	return 0;
}

static int close_socket(void **state)
{
	nl_close(*state);
	return 0;
}

static struct nlmsghdr *queue_link(struct nl_sock *s, int ifindex, unsigned flags, unsigned mtu)
{
	struct ifinfomsg ifi = { .ifi_index = ifindex, .ifi_flags = flags, .ifi_change = IFF_UP };
	struct nlmsghdr *h = nl_req(s, RTM_NEWLINK, 0, &ifi, sizeof(ifi), "setting link #%d", ifindex);
	if (mtu)
		nl_put_u32(h, IFLA_MTU, mtu);
	return h;
}

static unsigned lo_flag_up_and_mtu(unsigned *mtu)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	ioctl(fd, SIOCGIFFLAGS, &ifr);
	unsigned up = ifr.ifr_flags & IFF_UP;
	ioctl(fd, SIOCGIFMTU, &ifr);
	*mtu = (unsigned)ifr.ifr_mtu;
	close(fd);
	return up;
}

static void batch_reports_the_failing_request_and_runs_the_rest(void **state)
{
	struct nl_sock *s = *state;
	struct nns_err err = { 0 };
	queue_link(s, 1, IFF_UP, 0);
	queue_link(s, 4242, IFF_UP, 0); /* no such interface */
	queue_link(s, 1, IFF_UP, 1400);
	assert_int_equal(nl_pending(s), 3);
	int r = nl_flush(s, &err);
	assert_int_equal(r, -ENODEV);
	assert_non_null(strstr(err.msg, "setting link #4242: No such device"));
	assert_int_equal(nl_pending(s), 0);
	unsigned mtu;
	assert_true(lo_flag_up_and_mtu(&mtu));
	assert_int_equal(mtu, 1400); /* the request after the failure ran too */
	/* The socket is usable again and the error is gone. */
	queue_link(s, 1, IFF_UP, 1500);
	assert_int_equal(nl_flush(s, &err), 0);
}

static void large_batches_are_split_into_chunks(void **state)
{
	struct nl_sock *s = *state;
	struct nns_err err = { 0 };
	/* Far more than one 64 KiB chunk: the last failure must still be found. */
	for (int i = 0; i < 5000; i++)
		queue_link(s, 1, IFF_UP, 1000 + (unsigned)(i % 400));
	queue_link(s, 777, IFF_UP, 0);
	assert_int_equal(nl_flush(s, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "setting link #777"));
}

static void thousands_of_failures_report_the_first_and_do_not_hang(void **state)
{
	struct nl_sock *s = *state;
	struct nns_err err = { 0 };
	/* Their answers overflow the receive buffer: the kernel drops some,
	 * perhaps the final ack. A hang here is killed by the alarm. */
	alarm(30);
	for (int i = 0; i < 3000; i++)
		queue_link(s, 5000 + i, IFF_UP, 0);
	assert_int_equal(nl_flush(s, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "setting link #5000: No such device"));
	queue_link(s, 1, IFF_UP, 1500); /* and the socket still works */
	assert_int_equal(nl_flush(s, &err), 0);
	alarm(0);
}

static int count_links(const struct nlmsghdr *h, void *data)
{
	(void)h;
	(*(int *)data)++;
	return 0;
}

static void call_dumps_and_reports_extack(void **state)
{
	struct nl_sock *s = *state;
	struct nns_err err = { 0 };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	int n = 0;
	assert_int_equal(nl_call(s, RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof(ifi), NULL, NULL,
				 count_links, &n, "dumping links", &err),
			 0);
	assert_int_equal(n, 1); /* only lo in a fresh namespace */

	/* A name over 15 bytes: the kernel's policy text comes back. */
	struct nlmsghdr *h = nl_req(s, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi),
				    "creating bridge %s", "name-longer-than-15");
	nl_put_strz(h, IFLA_IFNAME, "name-longer-than-15");
	assert_int_not_equal(nl_flush(s, &err), 0);
	assert_non_null(strstr(err.msg, "creating bridge name-longer-than-15: "));
	assert_true(err.ext[0] != '\0');
	assert_non_null(strstr(err.msg, err.ext));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(batch_reports_the_failing_request_and_runs_the_rest,
						setup_private_netns, close_socket),
		cmocka_unit_test_setup_teardown(large_batches_are_split_into_chunks,
						setup_private_netns, close_socket),
		cmocka_unit_test_setup_teardown(thousands_of_failures_report_the_first_and_do_not_hang,
						setup_private_netns, close_socket),
		cmocka_unit_test_setup_teardown(call_dumps_and_reports_extack, setup_private_netns,
						close_socket),
	};
	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
