/* perf.c - FLOPs, bytes and roofline time for prefill and decode
 * (doc/method.md).
 *
 * Each operation's time is max(FLOPs / (peak * MFU), bytes / (bandwidth * MBU)),
 * summed over operations, plus communication and fixed overheads.  The
 * figures are computed for the whole system, then divided over the tensor-
 * parallel group for the per-device roofline; pipeline stages run one after
 * the other for a single sequence, so their times add up to the full depth.
 * On top of that: a prefix cache shortens prefill, partial offload runs some
 * layers from host memory, and speculative decoding trades draft steps for
 * verification steps of several tokens.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "core/perf_internal.h"
#include "core/collective.h"
#include "core/kclass.h"
#include "core/cpuclass.h"
#include "core/attn.h"
#include "core/idlist.h"

/* The engine's bandwidth efficiency for the weights: its mbu x the device family's x
 * the weight format's class factor, at most 1. */
static double weights_mbu(const struct rt_scenario *s)
{
    const struct rt_engine *e = s->engine;
    double fam_b = e->mbu_family[s->device->family] > 0 ? e->mbu_family[s->device->family] : 1.0;
    double cls = e->mbu_class[s->weights->klass] > 0 ? e->mbu_class[s->weights->klass] : 1.0;
    return fmin(1.0, e->mbu * fam_b * cls);
}

void roof_init(const struct rt_scenario *s, struct roof *r)
{
    const struct rt_engine *e = s->engine;
    const struct rt_device *d = s->device;
    bool native;
    r->peak_attn = rt_compute_peak(d, RT_BF16, &native);
    if (!native)
        r->peak_attn = rt_compute_peak(d, RT_FP16, &native);
    if (rt_cpu_kernel_peak(s) > 0) /* llama.cpp's CPU attention runs on the vector units */
        r->peak_attn = rt_cpu_kernel_peak(s);
    /* GeForce tensor cores run FP16 at twice the rate when they also accumulate in FP16 */
    if (e->half_accumulate && d->peak_fp16_acc16 > 0)
        r->peak_attn = d->peak_fp16_acc16;
    if (d->family != RT_FAM_CPU) /* the clock a large matmul sustains (kclass.c) */
        r->peak_attn *= rt_tensor_share(d);
    double fam_b = e->mbu_family[d->family] > 0 ? e->mbu_family[d->family] : 1.0;
    double fam_f = e->mfu_family[d->family] > 0 ? e->mfu_family[d->family] : 1.0;
    r->mbu_kv = fmin(1.0, e->mbu * fam_b);
    r->mbu_w = weights_mbu(s);
    r->mfu = fmin(1.0, e->mfu * fam_f);
    r->tp = (double)s->tp;
    r->hit = s->assume.weight_cache_hit;
    r->tile_linear = !(e->tile_except[0] && rt_id_listed(e->tile_except, d->id));
    r->tile_own_fp8 = s->weights->compute == RT_FP8 && strcmp(s->model->native_weights, s->weights->id) == 0;
    r->fp4_native = s->weights->compute == RT_FP4 && d->peak[RT_FP4] > 0;
    roof_tokens(s, r, 1);
}

void roof_tokens(const struct rt_scenario *s, struct roof *r, double tokens)
{
    struct rt_kclass k;
    rt_kclass_pick(s, tokens, &k);
    r->peak_lin = k.peak;
    r->bw = k.bw;
    /* the weights stream no faster than the class's kernels can consume them (Metal's
     * Q4_K mat-vec, kclass.c); from the engine's figure each time, so a cap at one
     * token does not stay on a later pass of many */
    r->mbu_w = weights_mbu(s);
    if (k.w_bw > 0 && k.bw > 0 && k.w_bw < k.bw * r->mbu_w)
        r->mbu_w = k.w_bw / k.bw;
    r->copy = k.copy_bytes;
    r->copy_wps = k.copy_wps;
    r->kclass = k.id;
    if (k.mfu > 0) { /* the class's own kernel share (the CPU classes) */
        r->mfu = k.mfu;
        /* attention stays on llama.cpp's vector kernels at their share, whatever the
         * weight GEMMs' (the repacked int8 tiles', cpuclass.c) */
        if (rt_cpu_kernel_peak(s) > 0)
            r->peak_attn = rt_cpu_kernel_peak(s) * RT_CPU_KERNEL_SHARE / k.mfu;
    }
}

/* One operation on one device; flops is the system total (split over TP),
 * bytes is what one device moves. */
static double op_time(const struct roof *r, double flops, double dev_bytes, double peak,
                      double mbu)
{
    double tc = peak > 0 ? flops / r->tp / (peak * r->mfu) : 0; /* no compute figure: bandwidth only */
    double tm = dev_bytes / (r->bw * mbu);
    return rt_shape_gemm(tc, tm);
}

double rt_experts_touched(const struct rt_model *m, double tokens)
{
    int n;
    const struct rt_group *g = rt_groups(m, &n);
    for (int i = 0; i < n; i++)
        if (g[i].experts > 0)
            return rt_group_experts_touched(&g[i], tokens);
    return 0;
}

/* Attention core dimensions: MLA decodes in absorbed (MQA) mode, prefills naive. */
static void attn_dims(const struct rt_group *g, bool decode, double *dqk, double *dv)
{
    if (rt_group_mla(g)) {
        if (decode) {
            *dqk = (double)(g->kv_lora_rank + g->rope_dim);
            *dv = (double)g->kv_lora_rank;
        } else {
            *dqk = (double)(g->nope_dim + g->rope_dim);
            *dv = (double)g->v_head_dim;
        }
    } else {
        *dqk = (double)g->head_dim;
        *dv = (double)g->v_head_dim;
    }
}

/* Tensor-parallel all-reduces and pipeline hand-offs of one pass, in `rounds`
 * rounds (prefill chunks) of tokens / rounds tokens each (collective.c: latency
 * per step and bytes over the achieved bandwidth of the link each crosses). */
/* The tensor-parallel all-reduces of one pass: one after each mixer (o_proj, a Mamba
 * block's out_proj) and one after each FFN or MoE block, so two per layer of a model
 * whose layers have both, one per block of a hybrid whose blocks are each one or the
 * other (Nemotron-H's hybrid_override_pattern). */
static double tp_reduces(const struct rt_model *m)
{
    int n;
    const struct rt_group *g = rt_groups(m, &n);
    double k = 0;
    for (int i = 0; i < n; i++)
        k += (double)g[i].count * ((g[i].mixer != RT_MIX_NONE) + (g[i].experts > 0 || g[i].intermediate > 0));
    return k;
}

/* The all-reduces of a pass's q/k norms that span every head of a layer (rt_group
 * qk_norm_tp: MiniMax-M2), each of one fp32 variance per token: the engine's count per
 * such layer (kernels qk_norm_tp_reduces). */
static double qk_norm_reduces(const struct rt_scenario *s)
{
    int n;
    const struct rt_group *g = rt_groups(s->model, &n);
    double k = 0;
    for (int i = 0; i < n; i++)
        if (g[i].mixer == RT_MIX_ATTENTION && g[i].qk_norm_tp)
            k += (double)g[i].count * s->engine->r_qk_tp;
    return k;
}

double comm_time(const struct rt_scenario *s, double tokens, double rounds)
{
    double t = 0, r = rounds > 1 ? rounds : 1, per = tokens / r;
    if (s->tp > 1)
        t += tp_reduces(s->model) * r * rt_tp_allreduce_s(s, per) +
             qk_norm_reduces(s) * r * rt_engine_allreduce_s(s, s->tp, per * 4.0);
    for (int64_t k = 0; k + 1 < s->pp; k++)
        t += r * (rt_pp_send_s(s, per, k) + s->engine->stage_overhead_s);
    return t;
}

void finish(struct rt_phase *ph, const struct rt_scenario *s, double ridge)
{
    ph->ai = ph->bytes > 0 ? ph->flops / ph->bytes : 0;
    ph->ridge = ridge;
    ph->bound = ph->ai >= ridge && ridge > 0 ? RT_COMPUTE_BOUND : RT_MEMORY_BOUND;
    ph->time_s = ph->t_attn + ph->t_ffn + ph->t_head + ph->t_comm + ph->t_overhead;
    ph->time_low_s = ph->time_s * s->engine->band_low;
    ph->time_high_s = ph->time_s * s->engine->band_high;
}

double body_bytes(const struct rt_format *f) { return f->bits / 8.0; }
static double head_bytes(const struct rt_format *f)
{
    return (f->head_bits > 0 ? f->head_bits : f->bits) / 8.0;
}
static double embed_bytes(const struct rt_format *f)
{
    return (f->embed_bits > 0 ? f->embed_bits : f->bits) / 8.0;
}

/* Account one operation: its FLOPs and bytes in the phase totals, its time in a slot. */
double add_op(struct rt_phase *ph, double *slot, const struct roof *r, double flops, double bytes,
                     double dev_bytes, double peak, double mbu)
{
    ph->flops += flops;
    ph->bytes += bytes;
    /* the FLOPs split as the time is: the slot names the part */
    double *f = slot == &ph->t_attn ? &ph->f_attn : slot == &ph->t_ffn ? &ph->f_ffn : slot == &ph->t_head ? &ph->f_head : NULL;
    if (f)
        *f += flops;
    double t = op_time(r, flops, dev_bytes, peak, mbu);
    *slot += t;
    return t;
}

/* lm_head for one position per sequence, and the embedding gather of `tokens` rows. */
void lm_head_op(const struct rt_scenario *s, const struct roof *r, struct rt_phase *ph, double seqs,
                       double tokens)
{
    double h = (double)s->model->hidden, head = (double)s->model->vocab * h;
    double by = head * head_bytes(s->weights) * (1.0 - r->hit) + tokens * h * embed_bytes(s->weights);
    add_op(ph, &ph->t_head, r, 2 * seqs * head, by, by / r->tp, r->peak_lin, r->mbu_w);
}

/* ---- which earlier tokens a position attends to ----
 * A layer's attention span at a position: every earlier token (full), the last
 * W (a sliding window, or DSA's top-k selection), or those in the position's own
 * chunk of C (chunked attention).  Prefix sums over positions 1..n give the
 * causal query-key pairs of a prefill in closed form. */
enum span { SPAN_FULL, SPAN_CAP, SPAN_CHUNK };

static enum span span_of(const struct rt_group *g, double *w)
{
    if (g->index_heads > 0 && g->index_topk > 0) {
        *w = (double)g->index_topk;
        return SPAN_CAP;
    }
    *w = (double)g->window;
    if (g->window <= 0 || g->attn == RT_ATTN_FULL)
        return SPAN_FULL;
    return g->attn == RT_ATTN_CHUNKED ? SPAN_CHUNK : SPAN_CAP;
}

/* Sum over positions p = 1..n of the tokens p attends to, itself included. */
static double span_pairs(enum span k, double W, double n)
{
    if (n <= 0)
        return 0;
    if (k == SPAN_FULL || n <= W)
        return n * (n + 1) / 2;
    if (k == SPAN_CAP)
        return W * (W + 1) / 2 + (n - W) * W;
    double full = floor(n / W), rest = n - full * W;
    return full * W * (W + 1) / 2 + rest * (rest + 1) / 2;
}

/* Earlier tokens a new token attends to at context c (itself not counted). */
static double span_at(enum span k, double W, double c)
{
    if (k == SPAN_FULL || c <= W)
        return c;
    if (k == SPAN_CAP)
        return W;
    return fmod(c, W);
}

/* Sum of span_at(c) for c = 1..n: the prefill pairs, less a whole chunk at each
 * chunk boundary (c mod C is 0 there, not C). */
static double span_sum(enum span k, double W, double n)
{
    if (n <= 0)
        return 0;
    return span_pairs(k, W, n) - (k == SPAN_CHUNK && W > 0 ? W * floor(n / W) : 0);
}

/* Mean over the decode steps of span_at, contexts prompt .. prompt+output-1. */
static double span_mean(enum span k, double W, double prompt, double output)
{
    if (output <= 0)
        return span_at(k, W, prompt);
    double hi = prompt + output - 1, lo = prompt - 1;
    return (span_sum(k, W, hi) - span_sum(k, W, lo)) / output;
}

/* Tokens of a cached prefix of S tokens that the next position still sees. */
static double span_prefix(enum span k, double W, double S)
{
    if (k == SPAN_FULL || S <= W)
        return S;
    return k == SPAN_CAP ? W : fmod(S, W);
}

/* ---- one forward pass over the layer groups ---- */

/* The work of one pass: tokens computed in prefill (naive MLA) and decode
 * (absorbed MLA) form, the query-key pairs and cached tokens moved per layer of
 * each group, and the sequences whose recurrent state is read and written. */
struct work {
    double tokens, pf_tokens;       /* all positions computed; those in prefill form */
    double chunks;                  /* weight passes (prefill chunks) */
    double route_tokens;            /* tokens per weight pass, for experts touched */
    double logits;                  /* positions given logits */
    double seqs;                    /* sequences: recurrent state read and written once each */
    double score_elems;             /* no FlashAttention: score matrix elements per head per layer */
    double overhead;                /* fixed costs: steps, layers, requests */
    double comm;
    bool graphs;                    /* the pass replays a CUDA graph (decode steps the engine captured) */
    struct rt_step_cache *cache;    /* a serving run's step cache (stepcache.h), NULL: none */
    /* per group; these five stay last: step_one sets every group's and zeroes only the
     * fields above (a 1 kB clear per step was a tenth of a serving run's time) */
    double pf_pairs[RT_GROUPS_MAX], dc_pairs[RT_GROUPS_MAX]; /* per layer, all sequences */
    double idx_pairs[RT_GROUPS_MAX];/* DSA indexer pairs per layer */
    double kv_moved[RT_GROUPS_MAX]; /* cached tokens read and written per layer */
    double idx_moved[RT_GROUPS_MAX];/* indexer keys read and written per layer */
};
_Static_assert(offsetof(struct work, idx_moved) + RT_GROUPS_MAX * sizeof(double) == sizeof(struct work),
               "struct work: the per-group arrays come last");

static void host_scenario(const struct rt_scenario *s, struct rt_scenario *h);

/* MoE expert offload (--n-cpu-moe, cpumoe.c): the routed experts of the offloaded
 * layers live in host memory.  A pass of at least RT_OP_OFFLOAD_MIN_BATCH tokens
 * per weight pass runs them on the device after copying the experts its tokens
 * touch over the link, the copy not overlapping the compute (ggml-backend.cpp,
 * ggml_backend_sched_compute_splits: it waits for the device, then copies "only
 * the experts that are used"); a smaller one (decode) runs them on the host's
 * cores at the host's bandwidth, the activations crossing the link to the host and
 * back at each such layer.  *read and *active (routed-expert and FFN parameters read and used on the
 * device) lose what the host does; returns the link time; the host's time is
 * added to t_ffn. */
static double expert_offload(const struct rt_scenario *s, const struct rt_params *p, const struct work *w,
                             struct rt_phase *ph, double *read, double *active)
{
    if (s->cpu_moe <= 0 || !s->host)
        return 0;
    const struct rt_model *m = s->model;
    int n;
    const struct rt_group *g = rt_params_groups(p, m, &n);
    double off[RT_GROUPS_MAX], host_read = 0, host_active = 0, layers = 0;
    rt_cpu_moe_layers(m, g, n, s->cpu_moe, off);
    for (int i = 0; i < n; i++) {
        if (off[i] <= 0)
            continue;
        struct rt_group_params gp;
        rt_group_params(m, &g[i], &gp);
        host_read += off[i] * rt_group_experts_touched(&g[i], w->route_tokens) * gp.expert;
        host_active += off[i] * (double)g[i].experts_per_token * gp.expert;
        layers += off[i];
    }
    if (layers <= 0)
        return 0;
    double N = w->tokens, link = rt_link_bw(s->device);
    double bytes = w->chunks * host_read * body_bytes(s->weights);
    ph->host_bytes += bytes;
    if (w->route_tokens >= RT_OP_OFFLOAD_MIN_BATCH)
        return bytes / link; /* copied, then computed on the device with the rest */
    *read -= host_read;
    *active -= host_active;
    struct rt_scenario hs;
    host_scenario(s, &hs);
    struct roof hr;
    roof_init(&hs, &hr);
    add_op(ph, &ph->t_ffn, &hr, 2 * N * host_active, bytes, bytes, hr.peak_lin, hr.mbu_w);
    return layers * 2 * (LINK_LATENCY_S + N * (double)m->hidden * ACT_BYTES / link);
}

/* A dequantising kernel class's copy kernel: it reads the quantised weights and writes
 * their 16-bit copy (`weights` and their bytes, system total; `share` of it on one device),
 * bandwidth-bound, before the GEMM (kclass.c, dequant+gemm); where the kernel's threads
 * bound it (r->copy_wps, a build that converted each value twice), it takes the larger of
 * its bytes' time and weights / copy_wps: its bytes stream at no more than that rate. */
static void dequant_copy(struct rt_phase *ph, double *slot, const struct roof *r, double weights, double bytes,
                         double share)
{
    if (!(r->copy > 0))
        return;
    double mbu = r->mbu_w;
    if (r->copy_wps > 0 && weights > 0 && r->bw > 0 && bytes / weights * r->copy_wps < r->bw * mbu)
        mbu = bytes / weights * r->copy_wps / r->bw;
    add_op(ph, slot, r, 0, bytes, bytes * share, 0, mbu);
}

/* The groups' step-independent figures (the attention's tp devices: tp / ep). */
static void group_consts(const struct rt_scenario *s, const struct rt_group *g, int n, struct rt_group_const *gc)
{
    double atp = (double)s->tp / (double)rt_ep(s);
    bool fh = s->assume.kv_from_hidden;
    for (int i = 0; i < n; i++) {
        gc[i].kv_token_bytes = rt_group_kv_token_bytes(s->model, &g[i], s->kv, fh);
        gc[i].tp_share = rt_group_tp_share(&g[i], (int64_t)atp, fh);
        rt_group_params(s->model, &g[i], &gc[i].gp);
    }
}

/* A pass's roof (roof_init, then the kernel class at its tokens per weight pass) and its
 * groups' constants: computed, or from the step cache (each kept with its arguments). */
static const struct rt_group_const *pass_consts(const struct rt_scenario *s, const struct rt_group *g, int n,
                                                const struct work *w, struct roof *r, struct rt_group_const *tmp)
{
    struct rt_step_cache *k = w->cache;
    if (!k) {
        roof_init(s, r);
        roof_tokens(s, r, w->route_tokens);
        group_consts(s, g, n, tmp);
        return tmp;
    }
    if (!k->ready) {
        roof_init(s, &k->base);
        group_consts(s, g, n, k->group);
        k->attn = rt_attn_curve_for(s->engine->attn_kernel, s->device);
        k->ready = true;
    }
    if (!k->roof_ok || k->roof_at != w->route_tokens) {
        k->roof = k->base;
        roof_tokens(s, &k->roof, w->route_tokens);
        k->roof_at = w->route_tokens;
        k->roof_ok = true;
    }
    *r = k->roof;
    return k->group;
}

/* The layer's kernels of a pass (kernel_fixed, kernel_tiles at the pass's roofline r),
 * or the cache's for the same arguments. */
static void pass_kernels(const struct rt_scenario *s, const struct rt_group *g, int n, const struct work *w,
                         const struct roof *r, struct kfix *kf)
{
    struct rt_step_cache *k = w->cache;
    int klass = s->weights->klass;
    if (k && k->kf_ok && k->kf_klass == klass && k->kf_graphs == w->graphs && k->kf_tokens == w->route_tokens) {
        *kf = k->kf;
        return;
    }
    double q[4];
    kernel_quant(s, r->fp4_native, q);
    kernel_fixed(s->engine, klass, q, g, n, w->graphs, w->route_tokens, s->tp, kf);
    kernel_tiles(s, g, n, w->route_tokens, r, kf);
    if (k) {
        k->kf = *kf;
        k->kf_klass = klass;
        k->kf_graphs = w->graphs;
        k->kf_tokens = w->route_tokens;
        k->kf_ok = true;
    }
}

/* ---- decode attention by kernel (attn.c) ----
 * In a pass of decode tokens only, one per sequence, a layer's decode-attention call
 * reads `bytes` of cache on one device; where the engine's kernel has a published time
 * at that size on this device (not MLA: the measurement is of grouped and multi-head
 * attention), that time; else 0 and the roofline stands. */
static double decode_call_s(const struct rt_scenario *s, const struct rt_group *g, const struct work *w,
                            double bytes)
{
    if (w->pf_tokens > 0 || w->tokens != w->seqs || rt_group_mla(g) || g->index_heads > 0)
        return 0;
    if (w->cache && w->cache->ready) /* the device's curve, looked up when the cache was filled */
        return rt_attn_curve_s(w->cache->attn, s->device, bytes);
    return rt_attn_call_s(s->engine->attn_kernel, s->device, bytes);
}

/* One decode call of a Mamba-2 group's state update that moves `bytes` of state on one device,
 * by the engine's measured kernel (attn.c rt_ssm_state_share: its share of the device's
 * bandwidth at the effective batch, the sequences on the device times the group's heads
 * there); 0 where none is measured or the pass is not decode alone. */
static double ssm_call_s(const struct rt_scenario *s, const struct rt_group *g, const struct work *w,
                         double heads, double bytes)
{
    if (s->engine->ssm_kernel == RT_SK_UNMEASURED || w->pf_tokens > 0 || w->tokens != w->seqs)
        return 0;
    double u = rt_ssm_state_share(s->engine->ssm_kernel, g, s->device, w->seqs / (double)rt_ep(s) * heads);
    return u > 0 ? bytes / (s->device->bandwidth * u) : 0;
}

/* The time a layer's attention kernel already has among the engine's small kernels
 * (kernels.c: each small kernel's slot, kernel and gap, in or out of a graph); 0 for an
 * engine without a kernels group. */
static double attn_slot_s(const struct rt_engine *e, bool graphs)
{
    if (e->k_attn <= 0)
        return 0;
    return graphs ? e->kernel_s : fmax(e->kernel_s, e->launch_s);
}

/* count layers' decode-attention calls of t_call each: the measured time replaces the
 * roofline's streaming time, less the slot the engine's small kernels already give the
 * kernel, never under the compute time. */
static double kernel_attn(struct rt_phase *ph, const struct roof *r, double flops, double bytes, double count,
                          double t_call, double slot)
{
    double t = add_op(ph, &ph->t_attn, r, flops, bytes, 0, r->peak_attn, r->mbu_kv); /* compute only */
    double meas = count * fmax(t_call - slot, 0);
    if (meas > t) {
        ph->t_attn += meas - t;
        t = meas;
    }
    return t;
}

/* The FFN's compute peak where the routed experts' GEMMs run at their own precision
 * (rt_format expert_compute): the FLOP-weighted harmonic mean of the experts' class rate
 * and the rest's, so each share of the FLOPs takes its own time at the roofline's
 * compute side.  `routed` of the `active` parameters a token uses are the experts'. */
static double ffn_peak(const struct rt_scenario *s, const struct roof *r, double tokens, double routed,
                       double active)
{
    if (!s->weights->expert_compute || !(routed > 0) || !(active >= routed) || !(r->peak_lin > 0))
        return r->peak_lin;
    struct rt_format f = *s->weights;
    f.compute = (enum rt_prec)(s->weights->expert_compute - 1);
    f.expert_compute = 0;
    f.bits = 16; /* the tensor rate of that precision, whatever the experts are stored in (a */
    f.klass = 0; /* weight-only kernel dequantises in its main loop: kclass.c) */
    struct rt_scenario e = *s;
    e.weights = &f;
    struct rt_kclass k;
    rt_kclass_pick(&e, tokens, &k);
    if (!(k.peak > 0))
        return r->peak_lin;
    return active / (routed / k.peak + (active - routed) / r->peak_lin);
}

/* The peak a layer group's attention core is timed at.  Where the engine's kernel has a
 * published prefill rate on the device (attn.c: FlashAttention 3 on GH100, 16-bit), the
 * pass's prefill FLOPs f_pf run at that rate at the pass's sequence length (twice the keys
 * per prefill query, less one: the prompt length of a fresh prompt) and the rest of f at
 * the roofline's peak x mfu; the peak returned gives add_op that time.  Else the peak. */
static double attn_core_peak(const struct rt_scenario *s, const struct rt_group *g, const struct work *w, int i,
                             const struct roof *r, double pqk, double pv, double f_pf, double f)
{
    if (!(f_pf > 0) || !(w->pf_tokens > 0) || pqk != pv || rt_group_mla(g) || g->index_heads > 0 ||
        s->kv->bits < 16 || !(r->peak_attn > 0) || !(r->mfu > 0))
        return r->peak_attn;
    double rate = rt_attn_prefill_rate(s->engine->attn_kernel, s->device, (int)pqk,
                                       2 * w->pf_pairs[i] / w->pf_tokens - 1);
    if (!(rate > 0))
        return r->peak_attn;
    return f / r->mfu / (f_pf / rate + (f - f_pf) / (r->peak_attn * r->mfu));
}

static bool low_prec(enum rt_prec p) { return p == RT_FP8 || p == RT_INT8 || p == RT_FP4 || p == RT_INT4; }

/* The mixer projections' compute peak.  A checkpoint that keeps them in 16 bits beside
 * lower-precision weights (attn_bits 16 under FP8, INT8, FP4 or INT4 math: gpt-oss's bf16
 * attention beside its MXFP4 experts, NVIDIA's FP4 DeepSeek checkpoints) multiplies them at
 * the 16-bit tensor rate, the attention core's peak; else the weight format's.  A format
 * named for them apart (attn_compute, --attn-weights) multiplies at its own precision: 16-bit
 * math at that peak, another low precision at that precision's tensor rate, picked as
 * ffn_peak picks the experts'. */
static double proj_peak(const struct rt_scenario *s, const struct roof *r, double tokens)
{
    const struct rt_format *f = s->weights;
    enum rt_prec a = f->attn_compute > 0 ? (enum rt_prec)(f->attn_compute - 1) : f->compute;
    if (f->attn_compute > 0 && a != f->compute && low_prec(a)) {
        struct rt_format g = *f;
        g.compute = a;
        g.expert_compute = g.attn_compute = 0;
        g.bits = 16; /* the tensor rate of that precision, as ffn_peak */
        g.klass = 0;
        struct rt_scenario e = *s;
        e.weights = &g;
        struct rt_kclass k;
        rt_kclass_pick(&e, tokens, &k);
        return k.peak > 0 ? k.peak : r->peak_lin;
    }
    if (f->attn_compute > 0 && !low_prec(a))
        return low_prec(f->compute) && r->peak_attn > 0 ? r->peak_attn : r->peak_lin;
    return low_prec(f->compute) && rt_attn_bits(f) >= 16 && r->peak_attn > 0 ? r->peak_attn : r->peak_lin;
}

static void run_pass(const struct rt_scenario *s, const struct rt_params *p, const struct work *w,
                     struct rt_phase *ph, double *experts_touched)
{
    const struct rt_model *m = s->model;
    int n;
    const struct rt_group *g = rt_params_groups(p, m, &n);
    struct roof r;
    struct rt_group_const gcs[RT_GROUPS_MAX];
    const struct rt_group_const *gc = pass_consts(s, g, n, w, &r, gcs);
    *ph = (struct rt_phase){ 0 };
    ph->kclass = r.kclass;
    double L = (double)m->layers, h = (double)m->hidden, N = w->tokens;
    double ridge = r.peak_lin / r.bw;
    /* bytes per weight read: routed experts, mixer projections, the other FFN weights */
    double qe = body_bytes(s->weights), qa = rt_attn_bits(s->weights) / 8.0, qd = rt_dense_bits(s->weights) / 8.0;
    double bw = qe * (1.0 - r.hit), bwa = qa * (1.0 - r.hit), bwd = qd * (1.0 - r.hit);
    if (r.copy > 0) /* a dequantising kernel class writes a 16-bit copy per pass, which the GEMM reads */
        bw = bwa = bwd = r.copy;
    bool fh = s->assume.kv_from_hidden;

    /* mixer projections: weights read once per pass, shared by every token; under
     * expert parallel each of the ep data-parallel groups reads its own copy,
     * split over its tp/ep devices */
    double ep = (double)rt_ep(s), atp = r.tp / ep;
    double act = N * L * h * ACT_BYTES * 4;
    double by = w->chunks * ep * p->attn * bwa + act;
    struct kfix kf;
    pass_kernels(s, g, n, w, &r, &kf);
    add_op(ph, &ph->t_attn, &r, 2 * N * p->attn, by, w->chunks * p->attn * bwa / atp + act / r.tp, proj_peak(s, &r, N),
           r.mbu_w);
    dequant_copy(ph, &ph->t_attn, &r, w->chunks * ep * p->attn, w->chunks * ep * p->attn * (qa + r.copy), 1 / r.tp);
    ph->t_attn += w->chunks * (kf.lat_attn + kf.tile_attn);

    /* the mixers' cores, group by group: each reads its own cache or state */
    for (int i = 0; i < n; i++) {
        const struct rt_group *gi = &g[i];
        double c = (double)gi->count, f = 0, moved = 0, peak = r.peak_attn;
        act = 0;
        if (gi->mixer == RT_MIX_ATTENTION) {
            double pqk, pv, dqk, dv, nh = (double)gi->heads;
            attn_dims(gi, false, &pqk, &pv);
            attn_dims(gi, true, &dqk, &dv);
            f = c * 2 * nh * ((pqk + pv) * w->pf_pairs[i] + (dqk + dv) * w->dc_pairs[i]);
            peak = attn_core_peak(s, gi, w, i, &r, pqk, pv, c * 2 * nh * (pqk + pv) * w->pf_pairs[i], f);
            /* indexer: ReLU(q k) scores per head, weighted over heads (2 FLOPs each) */
            f += c * 2 * (double)gi->index_heads * (double)gi->index_head_dim * w->idx_pairs[i];
            act = w->pf_tokens * c * nh * (pqk + pv) * ACT_BYTES;
            double kvl = gc[i].kv_token_bytes;
            double idxl = gi->index_heads > 0 && !fh ? (double)gi->index_head_dim * s->kv->bits / 8.0 : 0;
            moved = c * ((kvl - idxl) * w->kv_moved[i] + idxl * w->idx_moved[i]);
            /* a kernel that loads a KV head once per query head (attn.c) */
            moved += (rt_attn_kv_reads(s->engine->attn_kernel, gi, s->device) - 1) * c * (kvl - idxl) * w->dc_pairs[i];
            if (s->assume.no_flash_attention)
                act += 2 * c * nh * w->score_elems * 4; /* write + read, fp32 */
        } else if (gi->mixer != RT_MIX_NONE) {
            /* recurrent: per token the state update and readout (about 6 FLOPs per
             * state element) and the causal convolution; the state is read and
             * written once per sequence per pass */
            double state = (double)gi->lin_heads * (double)gi->lin_v_dim * (double)gi->lin_k_dim;
            double conv = (double)gi->lin_heads * (double)gi->lin_v_dim +
                          2.0 * (double)gi->lin_k_heads * (double)gi->lin_k_dim;
            f = c * N * (6 * state + 2 * conv * (double)gi->conv_kernel);
            act = c * N * conv * ACT_BYTES * 2;
            moved = c * w->seqs * 2 * rt_group_state_bytes(gi, s->kv);
        } else {
            continue;
        }
        /* a data-parallel group holds the cache of its own sequences */
        double share = gc[i].tp_share;
        double dev = (act / atp + moved * share) / ep;
        double t_call = gi->mixer == RT_MIX_MAMBA2
                            ? ssm_call_s(s, gi, w, (double)gi->lin_heads * share, moved * share / ep / c)
                            : decode_call_s(s, gi, w, dev / c);
        if (t_call > 0) /* the kernel's measured time by bytes per call (attn.c) */
            ph->t_kv += kernel_attn(ph, &r, f, act + moved, c, t_call, attn_slot_s(s->engine, w->graphs));
        else
            ph->t_kv += add_op(ph, &ph->t_attn, &r, f, act + moved, dev, peak, r.mbu_kv);
    }

    /* feed-forward: dense layers, and the experts each MoE group's tokens touch */
    double active = 0, routed = 0, read = 0, read_d = 0, touched = -1; /* routed experts read, other FFN weights */
    for (int i = 0; i < n; i++) {
        const struct rt_group_params gp = gc[i].gp;
        double c = (double)g[i].count;
        active += c * gp.ffn_active;
        routed += c * (double)g[i].experts_per_token * gp.expert;
        if (g[i].experts > 0) {
            double u = rt_group_experts_touched(&g[i], w->route_tokens);
            if (touched < 0)
                touched = rt_group_experts_touched(&g[i], N / w->chunks);
            read_d += c * (gp.ffn_total - (double)g[i].experts * gp.expert);
            read += c * u * gp.expert;
        } else {
            read_d += c * gp.ffn_total;
        }
    }
    if (experts_touched)
        *experts_touched = touched > 0 ? touched : 0;
    double active_before_offload = active; /* expert_offload takes out what the host computes */
    double off_comm = expert_offload(s, p, w, ph, &read, &active);
    routed -= active_before_offload - active; /* the experts computed on the host leave both */
    by = w->chunks * (read * bw + read_d * bwd) + N * L * h * ACT_BYTES * 2;
    /* under expert parallel the busiest rank's routed experts take the router's skew
     * times the mean (rt_route_skew): the pass waits for that rank's expert FLOPs */
    double skew = rt_route_skew(m, rt_ep(s)), fpeak = ffn_peak(s, &r, N, routed, active);
    if (skew > 1 && active > 0)
        fpeak *= active / (active + (skew - 1) * routed);
    /* a grouped GEMM that computes its padded rows (kernels.c moe_pad_work): their work
     * joins the block's */
    double pad_f, pad_b;
    moe_pad_work(s, g, n, w->route_tokens, &r, &pad_f, &pad_b);
    add_op(ph, &ph->t_ffn, &r, 2 * N * active + w->chunks * pad_f, by + w->chunks * pad_b * r.tp,
           by / r.tp + w->chunks * pad_b, fpeak, r.mbu_w);
    dequant_copy(ph, &ph->t_ffn, &r, w->chunks * (read + read_d),
                 w->chunks * (read * (qe + r.copy) + read_d * (qd + r.copy)), 1 / r.tp);
    ph->t_ffn += w->chunks * (kf.lat_ffn + kf.tile_ffn);

    lm_head_op(s, &r, ph, w->logits, N);
    ph->t_comm = w->comm + off_comm;
    ph->t_overhead = w->overhead + w->chunks * kf.small;
    finish(ph, s, ridge);
}

/* An engine's fixed cost per layer.  Where the profile states it at a GPU clock
 * (layer_clock_hz) and the device has a boost clock, it scales by their ratio: a
 * layer's small kernels (norms, RoPE, cache writes, softmax, activation
 * quantisation) each take a fixed number of GPU cycles (doc/method.md, "Fixed
 * costs per layer by GPU clock"). */
static double layer_overhead(const struct rt_scenario *s)
{
    const struct rt_engine *e = s->engine;
    double f = s->device ? s->device->boost_hz : 0;
    return e->layer_clock_hz > 0 && f > 0 ? e->layer_overhead_s * e->layer_clock_hz / f : e->layer_overhead_s;
}

static void prefill_all(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *ph)
{
    const struct rt_model *m = s->model;
    *ph = (struct rt_phase){ 0 };
    /* a prefix cache holds the first S prompt tokens: only T new ones are computed,
     * and they attend to the cached ones too (doc/method.md) */
    double S = (double)s->cached_prefix, B = (double)s->batch, T = (double)s->prompt - S, N = B * T;
    double L = (double)m->layers;
    if (T <= 0) {
        ph->bound = RT_MEMORY_BOUND;
        return;
    }
    double C = (double)s->engine->max_batched_tokens;
    double chunks = C > 0 ? ceil(N / C) : 1;
    struct work w = { 0 };
    w.tokens = w.pf_tokens = N;
    w.chunks = chunks;
    w.route_tokens = N / chunks;
    w.logits = B;
    w.seqs = B;
    int n;
    const struct rt_group *g = rt_params_groups(p, m, &n);
    for (int i = 0; i < n; i++) {
        double W;
        enum span k = span_of(&g[i], &W);
        w.pf_pairs[i] = B * (span_pairs(k, W, S + T) - span_pairs(k, W, S));
        if (s->assume.no_flash_attention) /* a naive kernel scores the full square, then masks */
            w.pf_pairs[i] = B * T * (S + T);
        w.idx_pairs[i] = B * (span_pairs(SPAN_FULL, 0, S + T) - span_pairs(SPAN_FULL, 0, S));
        /* write and read the new tokens, read the part of the prefix still seen */
        w.kv_moved[i] = 2 * N + B * span_prefix(k, W, S);
        w.idx_moved[i] = 2 * N + B * S;
    }
    w.score_elems = B * T * (S + T);
    w.comm = comm_time(s, N, chunks);
    w.overhead = chunks * (s->engine->step_overhead_s + layer_overhead(s) * L) +
                 s->engine->request_overhead_s;
    run_pass(s, p, &w, ph, NULL);
}

/* One decode step in which every sequence feeds q tokens (q = 1 normally,
 * gamma + 1 when verifying a draft), averaged over the generated tokens. */
static void decode_step(const struct rt_scenario *s, const struct rt_params *p, double q, struct rt_phase *ph,
                        double *experts_touched)
{
    const struct rt_model *m = s->model;
    double B = (double)s->batch, L = (double)m->layers, T = B * q;
    double P = (double)s->prompt, O = (double)s->output;
    struct work w = { 0 };
    w.tokens = T;
    w.chunks = 1;
    w.route_tokens = T;
    w.logits = T;
    w.seqs = B;
    int n;
    const struct rt_group *g = rt_params_groups(p, m, &n);
    for (int i = 0; i < n; i++) {
        double W;
        enum span k = span_of(&g[i], &W);
        double ctx = span_mean(k, W, P, O), full = span_mean(SPAN_FULL, 0, P, O);
        /* every sequence reads its own cache once per step and writes the new tokens */
        w.dc_pairs[i] = B * (ctx * q + q * (q + 1) / 2);
        w.kv_moved[i] = B * (ctx + q);
        w.idx_pairs[i] = B * (full * q + q * (q + 1) / 2);
        w.idx_moved[i] = B * (full + q);
    }
    w.comm = comm_time(s, T, 1);
    w.overhead = s->engine->step_overhead_s + layer_overhead(s) * L;
    w.graphs = graphed(s->engine, B);
    run_pass(s, p, &w, ph, experts_touched);
}

/* A step's communication at N tokens, or the cache's for the same N. */
static double step_comm(const struct rt_scenario *s, const struct rt_params *p, struct rt_step_cache *k, double N)
{
    if (k && k->comm_ok && k->comm_tokens == N)
        return k->comm;
    double t = rt_ep(s) > 1 ? ep_comm(s, p, N) : comm_time(s, N, 1);
    if (k) {
        k->comm_tokens = N;
        k->comm = t;
        k->comm_ok = true;
    }
    return t;
}

static double step_one(const struct rt_scenario *s, const struct rt_params *p, struct rt_step_cache *cache,
                       double prefill_tokens, double prefill_ctx, double decode_seqs, double decode_ctx,
                       struct rt_phase *ph)
{
    const struct rt_model *m = s->model;
    struct rt_phase local;
    if (!ph)
        ph = &local;
    double Np = prefill_tokens > 0 ? prefill_tokens : 0, Bd = decode_seqs > 0 ? decode_seqs : 0;
    double N = Np + Bd, L = (double)m->layers;
    if (N <= 0) {
        *ph = (struct rt_phase){ 0 };
        return 0;
    }
    struct work w;
    memset(&w, 0, offsetof(struct work, pf_pairs)); /* the per-group arrays are all set below */
    w.tokens = N;
    w.pf_tokens = Np;
    w.chunks = 1;
    w.route_tokens = N;
    w.logits = (Np > 0 ? 1 : 0) + Bd; /* the prefilled sequence's last position */
    w.seqs = (Np > 0 ? 1 : 0) + Bd;
    int n;
    const struct rt_group *g = rt_params_groups(p, m, &n);
    for (int i = 0; i < n; i++) {
        double W;
        enum span k = span_of(&g[i], &W);
        /* prefill: each token attends its mean span; a chunked layer's span
         * averages half a chunk once the context passes one */
        double pspan = k == SPAN_FULL || prefill_ctx <= W ? prefill_ctx
                     : k == SPAN_CAP ? W : (W + 1) / 2;
        double dspan = k == SPAN_CHUNK && decode_ctx > W ? (W - 1) / 2 : span_at(k, W, decode_ctx);
        w.pf_pairs[i] = Np * pspan;
        w.dc_pairs[i] = Bd * (dspan + 1);
        w.idx_pairs[i] = Np * prefill_ctx + Bd * (decode_ctx + 1);
        w.kv_moved[i] = 2 * Np + Bd * (dspan + 1);
        w.idx_moved[i] = 2 * Np + Bd * (decode_ctx + 1);
    }
    w.score_elems = Np * prefill_ctx * 2;
    w.comm = step_comm(s, p, cache, N);
    w.overhead = s->engine->step_overhead_s + layer_overhead(s) * L;
    w.graphs = Np <= 0 && graphed(s->engine, Bd); /* prefill runs outside the graphs */
    w.cache = cache;
    run_pass(s, p, &w, ph, NULL);
    return ph->time_s;
}

double rt_step_one(const struct rt_scenario *s, const struct rt_params *p,
                    double prefill_tokens, double prefill_ctx,
                    double decode_seqs, double decode_ctx, struct rt_phase *ph)
{
    return step_one(s, p, NULL, prefill_tokens, prefill_ctx, decode_seqs, decode_ctx, ph);
}

double rt_step_cached(struct rt_step_cache *k, const struct rt_scenario *s, const struct rt_params *p,
                      double prefill_tokens, double prefill_ctx, double decode_seqs, double decode_ctx)
{
    return step_one(s, p, k, prefill_tokens, prefill_ctx, decode_seqs, decode_ctx, NULL);
}

double rt_gpu_fraction(const struct rt_scenario *s)
{
    if (!s->host || s->gpu_layers < 0 || s->gpu_layers >= s->model->layers)
        return 1.0;
    return (double)s->gpu_layers / (double)s->model->layers;
}

/* The same work with the offloaded layers' weights in host memory: their
 * projections and FFN run from host bandwidth, the KV cache stays on the device
 * (llama.cpp's default), one boundary crossing per forward pass. */
static void offload_combine(const struct rt_scenario *s, struct rt_phase *dev, const struct rt_phase *host,
                            double tokens)
{
    double fg = rt_gpu_fraction(s), fc = 1 - fg;
    double dw = dev->t_attn - dev->t_kv, hw = host->t_attn - host->t_kv;
    dev->t_attn = fg * dw + fc * hw + dev->t_kv;
    dev->t_ffn = fg * dev->t_ffn + fc * host->t_ffn;
    if (s->gpu_layers == 0)
        dev->t_head = host->t_head;
    double link = rt_link_bw(s->device);
    dev->t_comm += LINK_LATENCY_S + tokens * (double)s->model->hidden * ACT_BYTES / link;
}

static void host_scenario(const struct rt_scenario *s, struct rt_scenario *h)
{
    *h = *s;
    h->device = s->host;
    h->host = NULL;
    h->cpu_moe = 0;
    h->devices = h->tp = h->pp = 1;
}

double rt_spec_tokens_per_step(double a, int64_t gamma)
{
    if (a >= 1)
        return (double)gamma + 1;
    return (1 - pow(a, (double)gamma + 1)) / (1 - a);
}

static void scale_phase(struct rt_phase *ph, double k)
{
    ph->t_kv *= k;
    ph->flops *= k;
    ph->f_attn *= k;
    ph->f_ffn *= k;
    ph->f_head *= k;
    ph->bytes *= k;
    ph->t_attn *= k;
    ph->t_ffn *= k;
    ph->t_head *= k;
    ph->t_comm *= k;
    ph->t_overhead *= k;
}

/* A decode step, with the offloaded layers run from host memory. */
static void decode_offload(const struct rt_scenario *s, const struct rt_params *p, double q, struct rt_phase *ph,
                           double *experts_touched)
{
    decode_step(s, p, q, ph, experts_touched);
    if (rt_gpu_fraction(s) >= 1)
        return;
    struct rt_scenario h;
    host_scenario(s, &h);
    struct rt_phase hp;
    double t;
    decode_step(&h, p, q, &hp, &t);
    offload_combine(s, ph, &hp, (double)s->batch * q);
    struct roof r;
    roof_init(s, &r);
    finish(ph, s, r.peak_lin / r.bw);
}

void rt_prefill_one(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *ph)
{
    prefill_all(s, p, ph);
    double fc = 1 - rt_gpu_fraction(s);
    if (fc <= 0 || ph->time_s <= 0)
        return;
    /* llama.cpp copies host-resident weights to the device for every ubatch of at
     * least 32 tokens (ggml_backend_cuda offload_op, doc/method.md); smaller ones
     * run on the host */
    double N = (double)s->batch * (double)(s->prompt - s->cached_prefix);
    double C = (double)s->engine->max_batched_tokens;
    double chunks = C > 0 ? ceil(N / C) : 1;
    double link = rt_link_bw(s->device);
    if (N / chunks >= RT_OP_OFFLOAD_MIN_BATCH) {
        double layer_w = p->routed * body_bytes(s->weights) + p->attn * rt_attn_bits(s->weights) / 8.0 +
                         (p->ffn - p->routed) * rt_dense_bits(s->weights) / 8.0;
        double stream = chunks * fc * layer_w / link;
        double compute = fc * (ph->t_attn - ph->t_kv + ph->t_ffn);
        ph->t_comm += stream > compute ? stream - compute : 0;
    } else {
        struct rt_scenario h;
        host_scenario(s, &h);
        struct rt_phase hp;
        prefill_all(&h, p, &hp);
        offload_combine(s, ph, &hp, N);
    }
    struct roof r;
    roof_init(s, &r);
    finish(ph, s, r.peak_lin / r.bw);
}

void rt_decode_one(const struct rt_scenario *s, const struct rt_params *p, struct rt_phase *ph,
                   double *experts_touched)
{
    if (!s->draft) {
        decode_offload(s, p, 1, ph, experts_touched);
        return;
    }
    /* speculative: gamma draft steps, one verification of gamma + 1 tokens per
     * sequence, E tokens accepted on average; figures per generated token */
    double g = (double)s->spec_tokens, E = rt_spec_tokens_per_step(s->spec_accept, s->spec_tokens);
    struct rt_phase verify, draft;
    decode_offload(s, p, g + 1, &verify, experts_touched);
    struct rt_scenario ds = *s;
    ds.model = s->draft;
    ds.draft = NULL;
    ds.cpu_moe = 0; /* the option names the target's blocks */
    struct rt_params dp;
    rt_count_params(s->draft, &dp);
    double dt;
    decode_step(&ds, &dp, 1, &draft, &dt);
    if (s->draft->draft_proj_params > 0) { /* a draft head's input projection (MTP eh_proj, EAGLE fc) */
        struct roof dr;
        roof_init(&ds, &dr);
        double pb = s->draft->draft_proj_params * body_bytes(s->weights);
        add_op(&draft, &draft.t_attn, &dr, 2 * (double)s->batch * s->draft->draft_proj_params, pb, pb / dr.tp,
               dr.peak_lin, dr.mbu_w);
        draft.time_s = draft.t_attn + draft.t_ffn + draft.t_head + draft.t_comm + draft.t_overhead;
    }
    scale_phase(&draft, g);
    *ph = verify;
    ph->flops += draft.flops;
    ph->f_attn += draft.f_attn;
    ph->f_ffn += draft.f_ffn;
    ph->f_head += draft.f_head;
    ph->bytes += draft.bytes;
    ph->t_attn += draft.t_attn;
    ph->t_ffn += draft.t_ffn;
    ph->t_head += draft.t_head;
    ph->t_comm += draft.t_comm;
    ph->t_overhead += draft.t_overhead;
    ph->t_kv += draft.t_kv;
    scale_phase(ph, 1.0 / E);
    struct roof r;
    roof_init(s, &r);
    finish(ph, s, r.peak_lin / r.bw);
}
