/* tc's units: times, sizes, percentages, rates, and the kernel's clock ticks. */
#ifndef NNS_NET_TCUNITS_H
#define NNS_NET_TCUNITS_H

#include <stdint.h>

#include "netns.h"

int tc_time_parse(const char *text, uint32_t *usec, struct nns_err *err);
int tc_size_parse(const char *text, uint32_t *bytes, struct nns_err *err);
int tc_percent_parse(const char *text, double *pct, struct nns_err *err);
/* Percentage 0..100 as the kernel's fraction of UINT32_MAX (rounded, as tc). */
uint32_t tc_percent_to_u32(double pct);
/* Microseconds per kernel scheduler tick, from /proc/net/psched. */
double tc_tick_in_usec(void);
uint32_t tc_time2tick(uint32_t usec, double tick_in_usec);
/* Time to send SIZE bytes at RATE bytes/s, in ticks (tc_calc_xmittime). */
uint32_t tc_xmittime(uint64_t rate, uint32_t size, double tick_in_usec);

#endif
