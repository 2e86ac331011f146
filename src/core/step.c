/* step.c - expert parallel (doc/method.md): attention runs data parallel in
 * ep groups and the routed experts are spread, with two all-to-alls (dispatch,
 * combine) per MoE layer.  The step itself (rt_step_time, a mix of prefill
 * chunks and decoding sequences in one forward pass, doc/method.md) is
 * perf.c's pass over the layer groups.
 */
#include <math.h>
#include "core/perf_internal.h"
#include "core/collective.h"

/* Communication for expert parallel: an all-reduce of the attention output within
 * each group (when a group has more than one device) and, per MoE layer, dispatch
 * and combine all-to-alls of the routed tokens (doc/method.md); dense layers
 * all-reduce over the whole tensor-parallel group. */
double ep_comm(const struct rt_scenario *s, const struct rt_params *p, double tokens)
{
    const struct rt_model *m = s->model;
    double ep = (double)rt_ep(s), atp = (double)s->tp / ep;
    double local = tokens / ep, t = 0;
    if (atp > 1)
        t += (double)m->layers * rt_engine_allreduce_s(s, (int64_t)atp, local * (double)m->hidden * ACT_BYTES);
    t += (double)p->moe_layers * 2.0 * rt_ep_alltoall_s(s, tokens);
    t += (double)p->dense_layers * rt_tp_allreduce_s(s, tokens);
    for (int64_t k = 0; k + 1 < s->pp; k++)
        t += rt_pp_send_s(s, tokens, k) + s->engine->stage_overhead_s;
    return t;
}
