/* solver.h - the SLA solver: the cheapest setups (device, count, data/tensor/pipeline/
 * expert parallel degrees, weight and KV formats) that serve a model at a request
 * rate within latency targets, from the catalog's priced devices. */
#ifndef ROOFTOP_SOLVER_H
#define ROOFTOP_SOLVER_H

#include "scenario/spec.h"
#include "core/serve.h"
#include "core/cost.h"

struct rt_solve_opts {
    double rate;                    /* requests per second, finite and > 0 */
    double ttft_max, itl_max;       /* targets on the mean TTFT and mean ITL, seconds; 0: none */
    int64_t max_devices;            /* 0: RT_SOLVE_DEVICES_DEFAULT */
    int64_t requests;               /* simulated per candidate; 0: 1000 */
    double lifetime_years;          /* > 0: devices without a rental price count as owned (price_usd) */
    double kwh_usd, pue;            /* owned: electricity */
    const struct rt_device *priced; /* its prices replace those of the catalog device of the same id
                                     * (--gpu with --price-hour or --purchase-usd); NULL: none */
};

enum rt_binding { RT_BIND_TTFT, RT_BIND_ITL, RT_BIND_MEMORY, RT_BIND_RATE };

/* One setup of the search space, and what it achieves. */
struct rt_solution {
    const struct rt_device *device;
    const struct rt_format *weights, *kv;
    int64_t devices, tp, pp, ep;     /* devices: every replica's; tp x pp (x ep) per replica */
    int64_t dp;                     /* data-parallel replicas (1: one) */
    int64_t disagg_p, disagg_d;     /* disaggregated: prefill and decode devices (devices = their sum), 0: off */
    double per_hour_usd;            /* the setup's cost per hour, the sort key */
    bool evaluated, fits, meets;
    struct rt_serve_result serving;
    struct rt_cost cost;
    enum rt_binding binding;        /* the constraint closest to its limit */
};

const char *rt_binding_name(enum rt_binding b);

/* Weight and KV formats the search tries, for an engine (NULL-terminated). */
const char *const *rt_solve_weight_formats(const struct rt_engine *e);
const char *const *rt_solve_kv_formats(const struct rt_engine *e);

/* Every setup of the search space for the base spec's model, engine, prompt and
 * output, with its price per hour, cheapest first (not evaluated).  *out is
 * malloc'ed; returns the count, or -1 with a message. */
long rt_solve_space(const struct catalog *c, const struct rt_resolved *base, const struct rt_solve_opts *o,
                    struct rt_solution **out, char *err, size_t errlen);
/* The scenario of a setup (pointers into base and the catalog). */
void rt_solution_scenario(const struct rt_resolved *base, const struct rt_solution *x, struct rt_scenario *s);
/* Run the serving model on one setup: fits, meets, serving, cost, binding. */
void rt_solve_eval(const struct rt_resolved *base, const struct rt_solve_opts *o, struct rt_solution *x);
/* The cheapest setups that meet the targets, at most max of them, cheapest first.
 * Returns how many, or -1 with a message. */
long rt_solve(const struct catalog *c, const struct rt_resolved *base, const struct rt_solve_opts *o,
              struct rt_solution *out, size_t max, char *err, size_t errlen);

#endif
