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

void kernel_quant(const struct rt_scenario *s, bool fp4, double q[4])
{
    const struct rt_format *f = s->weights;
    const double *c = f->klass == 1 ? s->engine->k_q8 : f->klass == 2 && fp4 ? s->engine->k_q4 : NULL;
    bool attn = c && rt_attn_bits(f) < 16, dense = c && rt_dense_bits(f) < 16;
    q[0] = attn ? c[0] : 0;
    q[1] = attn ? c[1] : 0;
    q[2] = dense ? c[2] : 0;
    q[3] = c ? c[3] : 0;
}

void kernel_fixed(const struct rt_engine *e, int klass, const double q[4], const struct rt_group *g, int n,
                  bool graphs, double tokens, int64_t tp, struct kfix *k)
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
            k->small += c * (e->k_attn + q[0] + (mla ? e->k_mla + q[1] : 0)) * ks;
            /* a q/k norm over every head, the heads split: the variance's kernels
             * around its all-reduce (the all-reduces are perf.c comm_time's) */
            if (tp > 1 && g[i].qk_norm_tp)
                k->small += c * e->k_qk_tp * ks;
            k->lat_attn += c * (e->g_attn + (mla ? e->g_mla : 0)) * gf;
        }
        if (g[i].experts > 0) {
            k->small += c * ((e->k_moe + q[3]) * ks + e->route_s);
            k->lat_ffn += c * (e->g_moe * gf + untuned);
        } else if (g[i].intermediate > 0) {
            k->small += c * (e->k_ffn + q[2]) * ks;
            k->lat_ffn += c * e->g_ffn * gf;
        }
    }
}

/* ---- one tile per CTA: the longest stream ----
 * A weight GEMM kernel that maps one tile of tile_n output columns to one CTA and
 * does not split K (SGLang's Triton block-FP8 GEMM and fused-MoE kernels: one tile of
 * the 128 x 128 weight block per CTA, the K loop inside it) streams K x tile_n
 * weights through a single SM.  At small M a narrow GEMM has few such tiles, so it
 * cannot use the device's bandwidth: it takes at least the one tile's stream at the
 * rate one CTA reaches, whatever the GEMM's bytes.  Below: the time that stream adds
 * over the GEMM's share of the roofline's streaming time (its bytes over `bw`). */
struct tiles {
    double cols, cta, bw;           /* tile_n, one CTA's bytes/s, the roofline's bytes/s */
    double flops, m;                /* the roofline's FLOP/s; tokens per pass */
};

/* A GEMM of dev_params weights of q bytes on one device, K long, each used by m
 * tokens: the tile's stream over the larger of its streaming and compute times. */
static double tile_over(const struct tiles *t, double K, double dev_params, double q, double m)
{
    double roof = fmax(dev_params * q / t->bw, t->flops > 0 ? 2 * m * dev_params / t->flops : 0);
    double over = K * t->cols * q / t->cta - roof;
    return over > 0 ? over : 0;
}

/* A feed-forward pair of width I on hidden h, K of the down projection kd; up params
 * and bytes on one device given by `share` (1 / the devices the weights spread over). */
static double ffn_tiles(const struct tiles *t, enum rt_ffn ffn, double h, double I, double kd, double share,
                        double q)
{
    double up = (ffn == RT_FFN_GATED ? 2 : 1) * I * h;
    return tile_over(t, h, up * share, q, t->m) + tile_over(t, kd, I * h * share, q, t->m);
}

/* The mixer's projections: MLA's q_a (or q), q_b, kv_a and o (the absorbed kv_b
 * products are batched 16-bit GEMMs of another library, not counted); otherwise qkv
 * and o; heads split over atp devices. */
static double attn_tiles(const struct tiles *t, const struct rt_group *g, double h, double atp, double q)
{
    double nh = (double)g->heads, m = t->m;
    if (!rt_group_mla(g)) {
        double hd = (double)g->head_dim, vd = g->v_head_dim > 0 ? (double)g->v_head_dim : hd;
        double qkv = h * (nh * hd + 2 * (double)g->kv_heads * hd);
        return tile_over(t, h, qkv / atp, q, m) + tile_over(t, nh * vd / atp, nh * vd * h / atp, q, m);
    }
    double qk = (double)(g->nope_dim + g->rope_dim), ql = (double)g->q_lora_rank;
    double kv = (double)(g->kv_lora_rank + g->rope_dim), vd = (double)g->v_head_dim;
    double tq = ql > 0 ? tile_over(t, h, h * ql / atp, q, m) + tile_over(t, ql, ql * nh * qk / atp, q, m)
                       : tile_over(t, h, h * nh * qk / atp, q, m);
    return tq + tile_over(t, h, h * kv / atp, q, m) + tile_over(t, nh * vd / atp, nh * vd * h / atp, q, m);
}

void kernel_tiles(const struct rt_scenario *s, const struct rt_group *g, int n, double tokens, const struct roof *r,
                  struct kfix *k)
{
    const struct rt_engine *e = s->engine;
    int kl = s->weights->klass;
    double bw = r->bw * r->mbu_w;
    struct tiles t = { e->tile_n, kl >= 0 && kl < 3 ? e->tile_bw[kl] : 0, bw, r->peak_lin * r->mfu, tokens };
    k->tile_attn = k->tile_ffn = 0;
    if (!(t.cols > 0) || !(t.cta > 0) || !(bw > 0))
        return;
    /* a device on which the engine runs another kernel for its linear layers
     * (tile_except: SGLang's DeepGEMM on Hopper; roof_init's tile_linear); the routed
     * experts' grouped GEMM stays the engine's fused-MoE kernel there */
    bool lin = r->tile_linear;
    /* 8-bit weights: the block-FP8 kernel runs the checkpoint's own FP8 weights (the
     * catalog's native fp8 checkpoints carry 128 x 128 block scales; roof_init's
     * tile_own_fp8); FP8 quantised at load from 16-bit weights is per-tensor or
     * per-channel and runs a CUTLASS or cuBLAS FP8 GEMM, and INT8 computes at 16 bits in
     * other kernels */
    if (kl == 1 && !r->tile_own_fp8)
        return;
    /* low-bit weights: the FP4 kernel's, for FP4 multiplied natively (W4A4 on FP4 units);
     * INT4 and the block types, and FP4 on a device without FP4 units, run other kernels */
    if (kl == 2 && !r->fp4_native)
        return;
    double h = (double)s->model->hidden, tp = (double)s->tp, ep = (double)rt_ep(s);
    double qa = rt_attn_bits(s->weights) / 8.0, qd = rt_dense_bits(s->weights) / 8.0;
    double qe = s->weights->bits / 8.0;
    /* projections a checkpoint keeps in 16 bits (gpt-oss's attention, NVIDIA's FP4
     * DeepSeek MLA) run a 16-bit GEMM, not the quantised format's kernel */
    bool attn_q = rt_attn_bits(s->weights) < 16, dense_q = rt_dense_bits(s->weights) < 16;
    for (int i = 0; i < n; i++) {
        const struct rt_group *gi = &g[i];
        double c = (double)gi->count;
        if (gi->mixer == RT_MIX_ATTENTION && lin && attn_q)
            k->tile_attn += c * attn_tiles(&t, gi, h, tp / ep, qa);
        if (gi->experts > 0) {
            /* the grouped kernel runs every touched expert's tiles at once; under expert
             * parallel an expert is whole on its device (K of the down projection I) */
            double I = (double)gi->expert_intermediate, in = gi->expert_in > 0 ? (double)gi->expert_in : h;
            double u = rt_group_experts_touched(gi, tokens), kd = I * ep / tp;
            double up = (gi->ffn == RT_FFN_GATED ? 2 : 1) * I * in, mu = u > 0 ? tokens * (double)gi->experts_per_token / u : 0;
            if (!e->tile_dense_only) /* else the experts run another kernel than the linears' */
                k->tile_ffn += c * (tile_over(&t, in, u * up / tp, qe, mu) + tile_over(&t, kd, u * I * in / tp, qe, mu));
            if (gi->shared_intermediate > 0 && lin && dense_q) {
                double S = (double)gi->shared_intermediate;
                k->tile_ffn += c * ffn_tiles(&t, gi->ffn, h, S, S / tp, 1 / tp, qd);
            }
        } else if (gi->intermediate > 0 && lin && dense_q) {
            double I = (double)gi->intermediate;
            k->tile_ffn += c * ffn_tiles(&t, gi->ffn, h, I, I / tp, 1 / tp, qd);
        }
    }
}

/* ---- a grouped GEMM that computes its padding ----
 * DeepGEMM's contiguous grouped GEMM takes every expert's rows padded to a whole block of
 * b rows.  Under tensor parallel alone (no expert map, no counts on the host) vLLM sizes
 * that buffer for the worst case, M_sum = round_up(T k + E (b - 1), b) rows for T tokens
 * routed to k of E experts, whatever the batch, and before vllm-project/vllm PR #30494
 * (2025-12-11) it labelled the rows no token fills with expert 0, not -1, so DeepGEMM
 * computed them all (fused_moe/deep_gemm_utils.py deepgemm_moe_permute: expert_ids
 * torch.zeros when the counts are not on the host; DeepGEMM skips only blocks labelled
 * -1).  On a device where vLLM runs DeepGEMM with E8M0 scales it does so at every batch
 * size (fused_moe/triton_deep_gemm_moe.py: DeepGEMM whenever the E8M0 path is used, else
 * only from M = 128 rows).  vLLM turns DeepGEMM's MoE off by default at 8-way tensor
 * parallel (PR #29346), and only a checkpoint's own block-FP8 weights take this path.
 * Per padded row, on one device with I' = I x ep / tp of each expert's width: the first
 * GEMM's 2 x (u + 1) x I' x K FLOPs over both GEMMs (u = 2 projections gated, else 1); its
 * FP8 input row (K bytes) read; its 16-bit output (2 u I') written, read by the activation,
 * which writes 2 I'; the FP8 quantisation reads those and writes I', which the second GEMM
 * reads; its 16-bit output row (2 K) written (deep_gemm_moe.py DeepGemmExperts.apply at
 * vllm-project/vllm@0092359: GEMM, activation, per-token-group quantisation, GEMM).  The
 * unpermute reads only the tokens' own rows. */
void moe_pad_work(const struct rt_scenario *s, const struct rt_group *g, int n, double tokens,
                  const struct roof *r, double *flops, double *dev_bytes)
{
    double b = s->engine->moe_pad_block, tp = (double)s->tp;
    *flops = *dev_bytes = 0;
    if (!(b > 0) || s->weights->klass != 1 || !r->tile_own_fp8 || rt_ep(s) > 1 || s->tp >= 8 || !(tokens > 0))
        return;
    for (int i = 0; i < n; i++) {
        const struct rt_group *gi = &g[i];
        if (gi->experts <= 0)
            continue;
        double c = (double)gi->count, E = (double)gi->experts, rows = tokens * (double)gi->experts_per_token;
        double K = gi->expert_in > 0 ? (double)gi->expert_in : (double)s->model->hidden;
        double I = (double)gi->expert_intermediate / tp, u = gi->ffn == RT_FFN_GATED ? 2 : 1;
        double pad = ceil((rows + E * (b - 1)) / b) * b - rows;
        *flops += c * pad * 2 * (u + 1) * I * K * tp;
        *dev_bytes += c * pad * (K + 2 * u * I + 2 * u * I + 2 * I + 2 * I + I + I + 2 * K);
    }
}

/* Whether a decode step of B sequences replays a captured CUDA graph. */
bool graphed(const struct rt_engine *e, double B)
{
    return e->cuda_graph_max_bs > 0 && B <= (double)e->cuda_graph_max_bs;
}
