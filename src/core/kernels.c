/* kernels.c - the kernels of a layer (doc/method.md, "Kernels per layer"): the
 * fixed costs of a forward pass counted from an engine profile's kernel counts and
 * times (presets/engines.cfg `kernels = {...}`), with CUDA graphs on or off.
 */
#include <math.h>
#include "core/perf_internal.h"

/* Per pass: the small kernels of every layer (and the MoE routing) cost a fixed
 * time each, and each weight GEMM kernel costs the engine's GEMM latency (its
 * start, ramp and tail) on top of its streaming time: the projections and the
 * FFN take their roofline time plus their kernel count times that latency. */

/* The extra time of one MoE block's fused-MoE kernels run with their default
 * configuration, at `tokens` tokens per pass: the profile's two published points,
 * linear between them and held outside them. */
static double moe_untuned(const struct rt_engine *e, double tokens)
{
    const double *s = e->moe_untuned_s, *t = e->moe_untuned_tok;
    if (!(t[1] > t[0]) || tokens <= t[0])
        return s[0];
    if (tokens >= t[1])
        return s[1];
    return s[0] + (s[1] - s[0]) * (tokens - t[0]) / (t[1] - t[0]);
}

void kernel_fixed(const struct rt_engine *e, int klass, const struct rt_group *g, int n, bool graphs,
                  double tokens, struct kfix *k)
{
    double untuned = moe_untuned(e, tokens);
    double lat = klass >= 0 && klass < 3 ? e->gemm_latency_s[klass] : 0;
    double ks = graphs ? e->kernel_s : fmax(e->kernel_s, e->launch_s);
    double gf = graphs ? lat : fmax(lat, e->launch_s);
    *k = (struct kfix){ 0 };
    if (e->k_attn + e->k_ffn + e->k_moe + e->g_attn + e->g_ffn + e->g_moe == 0)
        return;
    for (int i = 0; i < n; i++) {
        double c = (double)g[i].count;
        bool mla = g[i].mixer == RT_MIX_ATTENTION && rt_group_mla(&g[i]);
        if (g[i].mixer != RT_MIX_NONE) {
            k->small += c * (e->k_attn + (mla ? e->k_mla : 0)) * ks;
            k->lat_attn += c * (e->g_attn + (mla ? e->g_mla : 0)) * gf;
        }
        if (g[i].experts > 0) {
            k->small += c * (e->k_moe * ks + e->route_s);
            k->lat_ffn += c * (e->g_moe * gf + untuned);
        } else if (g[i].intermediate > 0) {
            k->small += c * e->k_ffn * ks;
            k->lat_ffn += c * e->g_ffn * gf;
        }
    }
}

/* Whether a decode step of B sequences replays a captured CUDA graph. */
bool graphed(const struct rt_engine *e, double B)
{
    return e->cuda_graph_max_bs > 0 && B <= (double)e->cuda_graph_max_bs;
}
