/* step.c - expert parallel (doc/method.md): attention runs data parallel in
 * ep groups and the routed experts are spread, with two all-to-alls (dispatch,
 * combine) per MoE layer.  The step itself (rt_step_time, a mix of prefill
 * chunks and decoding sequences in one forward pass, doc/method.md) is
 * perf.c's pass over the layer groups.
 */
#include <math.h>
#include "core/perf_internal.h"

int64_t rt_ep(const struct rt_scenario *s)
{
    if (s->ep <= 1 || s->model->experts <= 0)
        return 1;
    return s->ep;
}

/* Communication for expert parallel: an all-reduce of the attention output within
 * each group (when a group has more than one device) and, per MoE layer, dispatch
 * and combine all-to-alls of the routed tokens (doc/method.md); dense layers
 * all-reduce over the whole tensor-parallel group. */
double ep_comm(const struct rt_scenario *s, const struct rt_params *p, double tokens)
{
    const struct rt_model *m = s->model;
    double ep = (double)rt_ep(s), tp = (double)s->tp, atp = tp / ep;
    double h = (double)m->hidden, L = (double)m->layers;
    double link = rt_link_bw(s->device);
    double local = tokens / ep, t = 0;
    if (atp > 1)
        t += L * (2.0 * (atp - 1) / atp * local * h * ACT_BYTES / link + LINK_LATENCY_S);
    double a2a = local * (double)m->experts_per_token * h * ACT_BYTES * (1.0 - 1.0 / ep);
    t += (double)p->moe_layers * 2.0 * (a2a / link + LINK_LATENCY_S);
    t += (double)p->dense_layers * (2.0 * (tp - 1) / tp * tokens * h * ACT_BYTES / link + LINK_LATENCY_S);
    if (s->pp > 1)
        t += (double)(s->pp - 1) * (tokens * h * ACT_BYTES / link + LINK_LATENCY_S + s->engine->stage_overhead_s);
    return t;
}
