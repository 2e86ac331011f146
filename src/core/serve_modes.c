/* serve_modes.c - how a scenario is served (doc/method.md, section 9): as one
 * engine, as data-parallel replicas sharing the load, or disaggregated into
 * prefill and decode (serve_disagg.c).  Each builds its engines' configurations
 * with rt_serve_config_of (serve_scenario.c).  Pure C, no I/O, no globals.
 */
#include <math.h>
#include <string.h>
#include "core/serve.h"

static int one_replica(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_result *r)
{
    struct rt_serve_step st;
    struct rt_serve_config c;
    rt_serve_config_of(s, o, &st, &c);
    int rc = o->no_capacity ? rt_serve_sim(&c, r) : rt_serve_run(&c, o->ttft_max, o->itl_max, r);
    r->kv_room_bytes = c.kv_capacity;
    r->kv_seq_bytes = c.kv_seq;
    return rc;
}

/* dp replicas share the load evenly (a Poisson stream split at random is Poisson):
 * one replica at 1/dp of it, its throughput and capacity counted dp times. */
static int replicas(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_result *r)
{
    double dp = (double)s->dp;
    struct rt_serve_opts one = *o;
    one.rate = o->rate / dp;
    int64_t req = o->requests > 0 ? o->requests : 1000;
    one.requests = (int64_t)ceil((double)req / dp);
    one.concurrency = (int64_t)ceil((double)o->concurrency / dp);
    if (one_replica(s, &one, r) != RT_OK)
        return RT_EINVAL;
    r->rate_rps = o->rate;
    r->requests = req;
    r->output_tok_s *= dp;
    r->total_tok_s *= dp;
    r->mean_running *= dp;
    r->max_running *= s->dp;
    r->slots *= s->dp;
    r->capacity_rps *= dp;
    r->capacity_sla_rps *= dp;
    return RT_OK;
}

int rt_serve(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_result *r, char *err,
             size_t errlen)
{
    if (rt_validate(s, err, errlen) != RT_OK)
        return RT_EINVAL;
    int rc;
    if (s->disagg_p > 0 && s->disagg_d > 0)
        rc = rt_serve_disagg(s, o, r);
    else if (s->dp > 1)
        rc = replicas(s, o, r);
    else
        rc = one_replica(s, o, r);
    if (rc != RT_OK && err && errlen)
        strncpy(err, "serving: bad rate, request count or token counts", errlen - 1), err[errlen - 1] = 0;
    return rc;
}
