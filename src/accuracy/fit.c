/* fit.c - fit engine profiles to measured rows (fit.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/fit.h"
#include "core/core.h"

/* Priors: the unmeasured profile presets/engines.cfg gives vLLM (bandwidth
 * efficiency 0.7 and compute efficiency 0.6, 8-bit and low-bit weights at 0.9
 * and 0.75 of the 16-bit bandwidth efficiency; vLLM's compute efficiency is now
 * 0.69 of the measured matmul rates, the same 0.6 of an A100's peak: the start
 * point stays where the fits were made from), no family factors, no
 * overheads.  Bounds: efficiencies in (0, 1]; a forward pass costs at most a
 * few ms of fixed work, a layer at most ~30 us of launches (about ten kernels
 * of a few us each; 150 us for a profile that states its per-layer cost at a GPU
 * clock, knob_hi below), a request at most 20 ms before its prefill.  Host costs
 * (serving only, fit_serving) from 0: a step's host work at most 5 ms, more than a
 * whole decode step of an 8B model on an H100; a running sequence's at most
 * 100 us a step, 3.4x the largest published one (29.4 us, TensorRT-LLM's PyTorch
 * executor on Grace: presets/engines.cfg, trtllm-pytorch). */
static const struct fit_knob_info knobs[FK_N] = {
    [FK_MBU] = { "mbu", 0.2, 1.0, 0.7 },
    [FK_MBU_8BIT] = { "mbu_class[1]", 0.3, 1.3, 0.9 },
    [FK_MBU_LOWBIT] = { "mbu_class[2]", 0.3, 1.3, 0.75 },
    [FK_MFU] = { "mfu", 0.1, 1.0, 0.6 },
    [FK_MBU_CONSUMER] = { "mbu_family.nvidia-consumer", 0.4, 1.2, 1.0 },
    [FK_MBU_APPLE] = { "mbu_family.apple", 0.2, 1.2, 1.0 },
    [FK_MFU_CONSUMER] = { "mfu_family.nvidia-consumer", 0.2, 2.0, 1.0 },
    [FK_MFU_APPLE] = { "mfu_family.apple", 0.1, 2.0, 1.0 },
    [FK_MFU_DC] = { "mfu_family.nvidia-dc", 0.1, 1.5, 1.0 },
    [FK_MFU_AMD] = { "mfu_family.amd", 0.1, 2.0, 1.0 },
    [FK_STEP] = { "step_overhead_s", 0, 0.003, 0 },
    [FK_LAYER] = { "layer_overhead_s", 0, 3e-5, 0 },
    [FK_STAGE] = { "stage_overhead_s", 0, 0.02, 0 },
    [FK_REQUEST] = { "request_overhead_s", 0, 0.02, 0 },
    /* measured, not 0: llama.cpp's batched-bench on a V100 timed a process's first 512-token
     * pass 14 and 10.5 ms over the later ones (PR #3816, presets/engines.cfg); a fit without
     * the rows that pay it (a left-out publication) keeps this */
    [FK_FIRST_PASS] = { "first_pass_s", 0, 0.1, 0.01225 },
    [FK_HOST_STEP] = { "host_step_s", 0, 0.005, 0 },
    [FK_HOST_SEQ] = { "host_seq_s", 0, 1e-4, 0 },
    [FK_HOST_STEP_GRACE] = { "host_step_s.grace", 0, 0.005, 0 },
    [FK_HOST_SEQ_GRACE] = { "host_seq_s.grace", 0, 1e-4, 0 },
};

/* A profile that states its per-layer cost at a GPU clock (layer_clock_hz: llama.cpp) runs
 * each layer as a graph of separate kernels without CUDA graphs: December 2023's build_llama
 * and ggml-cuda.cu launch 34 kernels a layer at one token in Q4_0 (two norms and their weight
 * multiplies, seven mat-vecs each after a quantisation of its input, two RoPEs, two cache
 * writes, the attention's two batched GEMMs with their input conversions, scale, mask,
 * softmax and a copy, two residual adds, SiLU and its multiply), 27 in F16.  Its bound is
 * that many kernels at ~4.5 us: 150 us a layer at the stated clock. */
#define FIT_LAYER_HI_KERNEL_GRAPH 1.5e-4

/* The device family whose compute factor knob k is, -1 if none. */
static int mfu_family_of(int k)
{
    switch (k) {
    case FK_MFU_CONSUMER: return RT_FAM_NVIDIA_CONSUMER;
    case FK_MFU_APPLE: return RT_FAM_APPLE;
    case FK_MFU_DC: return RT_FAM_NVIDIA_DC;
    case FK_MFU_AMD: return RT_FAM_AMD;
    default: return -1;
    }
}

static double knob_hi(const struct rt_engine *e, int k)
{
    return k == FK_LAYER && e->layer_clock_hz > 0 ? FIT_LAYER_HI_KERNEL_GRAPH : knobs[k].hi;
}

const struct fit_knob_info *fit_knob_info(int k) { return k >= 0 && k < FK_N ? &knobs[k] : NULL; }

double *fit_knob(struct rt_engine *e, int k)
{
    switch (k) {
    case FK_MBU: return &e->mbu;
    case FK_MBU_8BIT: return &e->mbu_class[1];
    case FK_MBU_LOWBIT: return &e->mbu_class[2];
    case FK_MFU: return &e->mfu;
    case FK_MBU_CONSUMER: return &e->mbu_family[RT_FAM_NVIDIA_CONSUMER];
    case FK_MBU_APPLE: return &e->mbu_family[RT_FAM_APPLE];
    case FK_MFU_CONSUMER: return &e->mfu_family[RT_FAM_NVIDIA_CONSUMER];
    case FK_MFU_APPLE: return &e->mfu_family[RT_FAM_APPLE];
    case FK_MFU_DC: return &e->mfu_family[RT_FAM_NVIDIA_DC];
    case FK_MFU_AMD: return &e->mfu_family[RT_FAM_AMD];
    case FK_STEP: return &e->step_overhead_s;
    case FK_LAYER: return &e->layer_overhead_s;
    case FK_STAGE: return &e->stage_overhead_s;
    case FK_REQUEST: return &e->request_overhead_s;
    case FK_FIRST_PASS: return &e->first_pass_s;
    case FK_HOST_STEP: return &e->host_step_s[RT_HOST_X86];
    case FK_HOST_SEQ: return &e->host_seq_s[RT_HOST_X86];
    case FK_HOST_STEP_GRACE: return &e->host_step_s[RT_HOST_GRACE];
    case FK_HOST_SEQ_GRACE: return &e->host_seq_s[RT_HOST_GRACE];
    default: return NULL;
    }
}

bool fit_host_fitted(const struct rt_engine *e) { return strncmp(e->src.host, "fitted", 6) == 0; }

void fit_prior(const struct rt_engine *base, struct rt_engine *out)
{
    *out = *base;
    out->mbu_class[0] = 1.0;
    for (int f = 0; f < RT_FAM_N; f++)
        out->mbu_family[f] = out->mfu_family[f] = 1.0;
    bool host = fit_host_fitted(base);
    for (int k = 0; k < FK_N; k++)
        if (host || !(FIT_SERVING & (1u << k)))
            *fit_knob(out, k) = knobs[k].prior;
    out->band_low = FIT_PRIOR_BAND_LOW;
    out->band_high = FIT_PRIOR_BAND_HIGH;
    memset(out->band_in, 0, sizeof out->band_in);
    memset(out->band_runs, 0, sizeof out->band_runs);
}

bool fit_serving_row(const struct acc_row *r)
{
    if (!r->rs)
        return false;
    if (r->metric == ACC_ITL)
        return r->concurrency > 0 && r->skip && strcmp(r->skip, ACC_SKIP_SERVING) == 0;
    return !r->skip && r->batch == 0 && (r->metric == ACC_TPUT_TOTAL || r->metric == ACC_TPUT_GPU);
}

/* Which rows inform a fitted figure (doc/method.md, "Which rows inform which figure").
 * A fixed-batch row: replayed as one static batch, not a serving row (single stream,
 * static batch, batch-1 prefill or TTFT), with no experts split across devices. */
static bool fixed_batch_row(const struct acc_row *r) { return !r->skip && r->rs && !fit_serving_row(r) && r->ep <= 1; }

unsigned fit_fixed_batch_families(const struct acc_set *set, const char *id)
{
    unsigned fams = 0;
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *r = &set->rows[i];
        if (fixed_batch_row(r) && strcmp(r->engine, id) == 0 && r->family >= 0 && r->family < 32)
            fams |= 1u << r->family;
    }
    return fams;
}

enum fit_bar fit_row_bar(const struct acc_row *r, unsigned fixed_families)
{
    if (r->ep > 1)
        return FIT_BAR_EP;
    if (fit_serving_row(r) && !(r->family >= 0 && r->family < 32 && (fixed_families >> r->family & 1u)))
        return FIT_BAR_FAMILY;
    return FIT_INFORMS;
}

/* The rows a fit sees: replayable, of the engine, selected, informing (fit_row_bar). */
struct rowlist { const struct acc_row **r; size_t n; };

static double objective(const struct catalog *c, const struct rowlist *rl, const struct rt_engine *e)
{
    double sum[ACC_CLASS_N] = { 0 };
    size_t n[ACC_CLASS_N] = { 0 };
    for (size_t i = 0; i < rl->n; i++) {
        const struct acc_row *r = rl->r[i];
        double p, lo, hi;
        if (accuracy_predict(c, r, e, &p, &lo, &hi) != RT_OK) {
            sum[r->klass] += 10; /* a scenario the profile cannot run is as bad as it gets */
        } else {
            sum[r->klass] += fabs(log(accuracy_ratio(r, p)));
        }
        n[r->klass]++;
    }
    double obj = 0;
    for (int k = 0; k < ACC_CLASS_N; k++)
        if (n[k])
            obj += sum[k] / (double)n[k];
    return obj;
}

size_t fit_engine(const struct catalog *c, const struct acc_set *set, const char *id, const bool *use,
                  unsigned mask, struct rt_engine *e, double *obj)
{
    struct rowlist rl = { malloc((set->n ? set->n : 1) * sizeof *rl.r), 0 };
    if (!rl.r)
        return 0;
    unsigned fams = fit_fixed_batch_families(set, id);
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *r = &set->rows[i];
        if (!r->skip && r->rs && strcmp(r->engine, id) == 0 && (!use || use[i]) && fit_row_bar(r, fams) == FIT_INFORMS)
            rl.r[rl.n++] = r;
    }
    if (rl.n == 0) {
        free(rl.r);
        return 0;
    }
    struct rt_engine w = *e;
    w.band_low = w.band_high = 1;
    /* a profile that counts the kernels of its layers (kernels = { }) has their fixed cost;
     * layer_overhead_s stands in for them only where they are not counted (types.h) */
    if (w.k_attn + w.k_ffn + w.k_moe + w.g_attn + w.g_ffn + w.g_moe > 0)
        mask &= ~(1u << FK_LAYER);
    /* The base compute efficiency and a family's factor act only as their product (perf.c),
     * so rows of a family fix that product and nothing else.  Where the rows are on two or
     * more families whose factors are free, no row can place the base: it stays where it
     * starts (the prior, fit_prior) and each family's factor carries its share; the base is
     * then what a family without rows gets, the figure the family-out cross-validation
     * tests.  With one such family (or the factors held) the base carries it, as before. */
    unsigned mfu_fams = 0;
    for (size_t i = 0; i < rl.n; i++)
        for (int k = 0; k < FK_N; k++)
            if (mask & (1u << k) && mfu_family_of(k) >= 0 && mfu_family_of(k) == rl.r[i]->family)
                mfu_fams |= 1u << k;
    if (mfu_fams & (mfu_fams - 1)) /* two or more */
        mask &= ~(1u << FK_MFU);
    double best = objective(c, &rl, &w);
    for (int round = 0; round < 60; round++) {
        double step = round < 20 ? 1.25 : round < 40 ? 1.08 : 1.02;
        bool moved = false;
        for (int k = 0; k < FK_N; k++) {
            if (!(mask & (1u << k)))
                continue;
            double *v = fit_knob(&w, k);
            for (int dir = -1; dir <= 1; dir += 2) {
                double old = *v;
                /* multiplicative steps; an overhead at 0 starts from a small value */
                double nv = old > 0 ? (dir > 0 ? old * step : old / step)
                                    : (dir > 0 ? (knobs[k].hi > 0.01 ? 0.01 : 1e-5) : 0);
                if (knobs[k].lo == 0 && old > 0 && old < 1e-6 && dir < 0)
                    nv = 0;
                if (nv < knobs[k].lo || nv > knob_hi(&w, k) || nv == old)
                    continue;
                *v = nv;
                double o = objective(c, &rl, &w);
                if (o < best - 1e-9) {
                    best = o;
                    moved = true;
                } else {
                    *v = old;
                }
            }
        }
        if (!moved && round >= 40)
            break;
        if (!moved && round < 40)
            round = round < 20 ? 19 : 39; /* no move at this step size: go finer */
    }
    /* the band: 10th and 90th percentiles of measured/predicted in time */
    double *q = malloc(rl.n * sizeof *q);
    size_t n = 0;
    for (size_t i = 0; q && i < rl.n; i++) {
        double p, lo, hi;
        if (accuracy_predict(c, rl.r[i], &w, &p, &lo, &hi) == RT_OK)
            q[n++] = accuracy_ratio(rl.r[i], p);
    }
    if (n) {
        w.band_low = fmin(1.0, accuracy_quantile(q, n, 0.10));
        w.band_high = fmax(1.0, accuracy_quantile(q, n, 0.90));
    } else {
        w.band_low = e->band_low;
        w.band_high = e->band_high;
    }
    free(q);
    free(rl.r);
    *e = w;
    if (obj)
        *obj = best;
    return n;
}
