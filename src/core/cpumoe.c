/* cpumoe.c - MoE expert offload (llama.cpp's --n-cpu-moe N), doc/method.md.
 *
 * llama.cpp's `-ncmoe, --n-cpu-moe N` ("keep the Mixture of Experts (MoE) weights
 * of the first N layers in the CPU", tools/server/README.md of ggml-org/llama.cpp)
 * adds, for each block i < N, a tensor override of `blk\.i\.ffn_(up|down|gate)_exps`
 * to the CPU buffer type (common/arg.cpp, llm_ffn_exps_block_regex in
 * common/common.h).  So N counts blocks, not MoE layers: a leading dense block has
 * no expert tensors and moves nothing; the shared experts, the router and
 * attention stay on the device.  Which blocks are MoE, from where the groups
 * start (their `first`, decided when the model is read): all of them, the ones
 * after the leading dense ones (first_k_dense_replace), or, where the MoE layers
 * are not one run to the last layer (interleaved MoE), the same share of the first
 * N blocks as of the whole model (stated as such in doc/method.md).
 */
#include <math.h>
#include "core/core.h"

void rt_cpu_moe_layers(const struct rt_model *m, const struct rt_group *g, int n, int64_t blocks,
                       double off[RT_GROUPS_MAX])
{
    double moe = 0, L = (double)m->layers;
    for (int i = 0; i < n; i++) {
        off[i] = 0;
        if (g[i].experts > 0)
            moe += (double)g[i].count;
    }
    double b = blocks < 0 ? 0 : (double)blocks > L ? L : (double)blocks, left;
    if (moe <= 0 || b <= 0)
        return;
    if (moe >= L) {
        left = b;
    } else {
        double lead = L; /* the blocks before the first MoE one */
        for (int i = 0; i < n; i++)
            if (g[i].experts > 0 && g[i].first < lead)
                lead = g[i].first;
        if (lead + moe >= L) /* the MoE layers are the last ones, after `lead` dense blocks */
            left = b > lead ? b - lead : 0;
        else
            left = b * moe / L;
    }
    if (left > moe)
        left = moe;
    for (int i = 0; i < n && left > 0; i++) {
        if (g[i].experts <= 0)
            continue;
        off[i] = fmin(left, (double)g[i].count);
        left -= off[i];
    }
}

double rt_cpu_moe_bytes(const struct rt_scenario *s, const struct rt_params *p)
{
    if (s->cpu_moe <= 0)
        return 0;
    int n;
    const struct rt_group *g = rt_params_groups(p, s->model, &n);
    double off[RT_GROUPS_MAX], params = 0;
    rt_cpu_moe_layers(s->model, g, n, s->cpu_moe, off);
    for (int i = 0; i < n; i++) {
        if (off[i] <= 0)
            continue;
        struct rt_group_params gp;
        rt_group_params(s->model, &g[i], &gp);
        params += off[i] * (double)g[i].experts * gp.expert;
    }
    return params * s->weights->bits / 8.0;
}
