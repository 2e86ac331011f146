/* cost.h - what a setup costs under a load: rented by the device-hour or owned
 * (purchase written off over its lifetime, plus electricity), per hour, per
 * token, per request and per month, and the comparison with a priced API.
 * Pure functions, no I/O. */
#ifndef ROOFTOP_COST_H
#define ROOFTOP_COST_H

#include <stdbool.h>
#include <stdint.h>
#include "core/limits.h"
#include "core/types.h"

struct rt_cost_in {
    int64_t devices;                /* devices in one setup (replica) */
    double price_hour;              /* rented: USD per device-hour (0: not rented) */
    double purchase_usd;            /* owned: price of one device (0: not owned; wins over price_hour) */
    double lifetime_years;          /* owned: written off over this much wall-clock time */
    double utilization;             /* share of wall-clock time at work, used without a rate (0..1) */
    double tdp_w;                   /* owned: power per device at full load ... */
    double load_factor;             /* ... times this factor while working (<= 0: 1) */
    double kwh_usd;                 /* electricity price */
    double pue;                     /* facility overhead on power (<= 0: 1) */
    double output_tok_s;            /* one setup at full use: output tokens per second */
    double capacity_rps;            /* one setup at full use: requests per second (0: from output_tok_s) */
    int64_t prompt, output;         /* tokens per request */
    double rate_rps;                /* the load; 0: none (utilization applies) */
    double api_in_usd_mtok, api_out_usd_mtok; /* the API to compare with (both 0: none) */
    double api_ttft_s, api_output_tok_s;      /* its published latency, passed through (0: none) */
};


void rt_cost(const struct rt_cost_in *in, struct rt_cost *out);

#endif
