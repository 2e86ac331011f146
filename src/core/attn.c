/* attn.c - attention time by kernel: decode by KV bytes per call, prefill by sequence length (doc/method.md,
 * "Decode attention by kernel", "Prefill attention by kernel").
 *
 * A decode-attention call reads every running sequence's cached K and V of one layer.
 * Its achieved bandwidth is far below the device's at small sizes: the kernel's fixed
 * latency and too few thread blocks dominate.  FlashInfer's introduction post
 * (flashinfer-ai/flashinfer-ai.github.io _posts/2024-01-03-introduce-flashinfer.md,
 * figure 6 "Batch decode kernel performance", assets/imgs/batch-decode-benchmark.png at
 * commit 1543b2e, 2024-02-05) measures FlashInfer 0.0.1's paged batch-decode kernel in
 * the Llama-2-7B shape (32 query and 32 KV heads of 128, 16-bit: 16,384 bytes per token
 * per layer) at batch 1, 16 and 64 and 32 to 65,536 tokens per request, as bandwidth
 * utilisation: bytes read / latency / the board's datasheet bandwidth (the post's
 * table: H100 SXM 3,352 GB/s, A100 PCIe 1,935, RTX 6000 Ada 960, RTX 4090 1,008).
 * The three batch sizes give the same utilisation at the same bytes per call (within
 * 2-6 points: e.g. H100, 33.5 MB as 1 x 2048, 16 x 128 and 64 x 32 tokens: 35.1%,
 * 41.0%, 41.2%), and so does the grouped-query kernel of figure 9 (4 KV heads, batch
 * 64: H100 60% at 134 MB against 64%); so utilisation is kept as a function of the
 * bytes per call alone.  The values below are the solid FlashInfer markers read off
 * the 3000 x 1800 image by their pixel centres (axis 0-100% over 525 pixels: +-0.5
 * points), at 32 x 2^k tokens per call (524,288 x 2^k bytes), the mean of the batch
 * sizes measured at each size.
 *
 * The H100's (2.0, 2.9, 6.0, 7.3, 17.3, 25.7, 39.1, 49.5, 62.7, 75.2, 83.6, 88.8%) are
 * not used: SGLang, whose default kernel it is, runs FlashAttention 3 on Hopper
 * (docs/backend/attention_backend.md).  A curve is kept by the chip and SM count of the
 * board it was measured on, and serves every device whose catalog entry names the same
 * chip and count (presets/devices.cfg `chip`, `sms`: GA100 with 108, the A100s; AD102
 * with 142, RTX 6000 Ada, L40S, L40), at the device's own datasheet bandwidth; on any
 * other device the roofline stands.
 */
#include <math.h>
#include <string.h>
#include "core/attn.h"
#include "core/idlist.h"

#define ATTN_POINTS 12
#define ATTN_BYTES0 524288.0 /* 32 tokens x 16,384 bytes: the first point */

struct rt_attn_curve {
    int kernel;
    const char *chip;               /* the measured board's chip and enabled SMs (devices.cfg chip, sms) */
    int sms;
    double util[ATTN_POINTS];       /* percent, at ATTN_BYTES0 x 2^k bytes per call */
};

static const struct rt_attn_curve curves[] = {
    /* A100 PCIe 80GB (GA100, 108 SMs): batch 1 alone to 256 tokens, then (1, 16), then (1, 16, 64) */
    { RT_AK_FLASHINFER, "GA100", 108, { 3.2, 5.6, 10.2, 16.4, 24.3, 33.0, 41.8, 52.4, 66.8, 76.8, 82.9, 86.3 } },
    /* RTX 4090 (AD102, 128 SMs) */
    { RT_AK_FLASHINFER, "AD102", 128, { 9.2, 13.4, 22.9, 32.1, 45.5, 52.7, 60.0, 63.8, 66.4, 77.2, 85.2, 89.9 } },
    /* RTX 6000 Ada (AD102, 142 SMs) */
    { RT_AK_FLASHINFER, "AD102", 142, { 9.2, 13.0, 33.4, 30.6, 45.7, 51.9, 58.3, 62.2, 64.2, 71.6, 80.9, 86.4 } },
};

/* The measured curves' one interpolation: y at `at` through the n points (x[i], y[i]), x
 * ascending and above 0, linear in log2(x) between two points, y[0] at and below x[0] and
 * y[n - 1] at and above x[n - 1]. */
static double log2_interp(const double *x, const double *y, int n, double at)
{
    if (!(at > x[0]))
        return y[0];
    for (int i = 1; i < n; i++)
        if (at < x[i]) {
            double f = log2(at / x[i - 1]) / log2(x[i] / x[i - 1]);
            return y[i - 1] + (y[i] - y[i - 1]) * f;
        }
    return y[n - 1];
}

/* The decode-attention curves' call sizes, ATTN_BYTES0 x 2^k bytes */
static const double attn_bytes[ATTN_POINTS] = {
    ATTN_BYTES0,        ATTN_BYTES0 * 2,    ATTN_BYTES0 * 4,    ATTN_BYTES0 * 8,
    ATTN_BYTES0 * 16,   ATTN_BYTES0 * 32,   ATTN_BYTES0 * 64,   ATTN_BYTES0 * 128,
    ATTN_BYTES0 * 256,  ATTN_BYTES0 * 512,  ATTN_BYTES0 * 1024, ATTN_BYTES0 * 2048,
};

/* Utilisation at `bytes`: linear in log2(bytes) between the points; below the first
 * point the call takes the first point's time (the kernel's latency, rt_attn_curve_s),
 * above the last the last utilisation holds. */
static double util_at(const double *u, double bytes)
{
    return log2_interp(attn_bytes, u, ATTN_POINTS, bytes) / 100;
}

const struct rt_attn_curve *rt_attn_curve_for(int kernel, const struct rt_device *d)
{
    if (kernel == RT_AK_UNMEASURED || !d)
        return NULL;
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++)
        if (curves[i].kernel == kernel && curves[i].sms == d->sms && strcmp(curves[i].chip, d->chip) == 0)
            return &curves[i];
    return NULL;
}

double rt_attn_curve_s(const struct rt_attn_curve *c, const struct rt_device *d, double bytes)
{
    if (!c || !d || !(d->bandwidth > 0) || !(bytes > 0))
        return 0;
    if (bytes < ATTN_BYTES0) /* the smallest call measured: its latency */
        return ATTN_BYTES0 / (c->util[0] / 100 * d->bandwidth);
    return bytes / (util_at(c->util, bytes) * d->bandwidth);
}

double rt_attn_call_s(int kernel, const struct rt_device *d, double bytes)
{
    return rt_attn_curve_s(rt_attn_curve_for(kernel, d), d, bytes);
}

/* ---- prefill attention by kernel and sequence length ----
 * FlashAttention 3's forward pass on an H100 SXM5 (GH100, 132 SMs), FP16, causal, as the
 * FlashAttention-3 paper's figure (Shah et al. 2024, "Attention forward speed (H100 80GB
 * SXM5)", panels b, d, f; Dao-AILab/flash-attention assets/flash3_fp16_fwd.png at commit
 * 7ef2484, 2024-07-11) prints it above each bar, in TFLOPS (causal FLOPs: 4 x seqlen^2 x
 * head dim x heads / 2), at sequence lengths 512 to 16k with batch x seqlen = 16k tokens
 * and a hidden size of 2048.  vLLM runs FlashAttention 3 on Hopper (vllm/attention/utils/
 * fa_utils.py, get_flash_attn_version), so its profile's `flash-attn` takes these rates on
 * a device of the same chip and SM count (devices.cfg chip, sms: the H100 SXM5, H200, GH200
 * share the H100 SXM5's GH100 with 132 SMs and its 1,980 MHz boost).  No forward-only curve
 * of FlashAttention 2 on the A100 was found (the repository's A100 figure is forward plus
 * backward), so elsewhere the roofline stands. */
#define PF_POINTS 6
#define PF_LEN0 512.0

static const struct {
    int kernel;
    const char *chip;
    int sms, head_dim;
    double tflops[PF_POINTS];       /* at PF_LEN0 x 2^k tokens */
} prefill_curves[] = {
    { RT_AK_FLASH_ATTN, "GH100", 132, 64, { 197, 265, 371, 420, 460, 473 } },
    { RT_AK_FLASH_ATTN, "GH100", 132, 128, { 292, 423, 521, 579, 602, 616 } },
    { RT_AK_FLASH_ATTN, "GH100", 132, 256, { 286, 427, 537, 612, 628, 642 } },
};

/* the prefill curves' sequence lengths, PF_LEN0 x 2^k tokens */
static const double pf_lens[PF_POINTS] = { PF_LEN0, PF_LEN0 * 2, PF_LEN0 * 4, PF_LEN0 * 8, PF_LEN0 * 16, PF_LEN0 * 32 };

double rt_attn_prefill_rate(int kernel, const struct rt_device *d, int head_dim, double len)
{
    if (kernel != RT_AK_FLASH_ATTN || !d || d->sms <= 0 || !(len > 0))
        return 0;
    for (size_t i = 0; i < sizeof prefill_curves / sizeof prefill_curves[0]; i++) {
        if (prefill_curves[i].kernel != kernel || prefill_curves[i].head_dim != head_dim ||
            prefill_curves[i].sms != d->sms || strcmp(prefill_curves[i].chip, d->chip) != 0)
            continue;
        /* held at the shortest and longest measured (under the shortest the rate falls further) */
        return log2_interp(pf_lens, prefill_curves[i].tflops, PF_POINTS, len) * 1e12;
    }
    return 0;
}

/* The boards where masked MHA's repeated loads of a KV head cost memory bandwidth: the
 * GH100 chip's.  On the H200 they account for NVIDIA's measured XQA speedup (below:
 * Llama-70B FP8 128/2048 on one H200, 2.4x; this model at the largest batch that fits:
 * 4,035 against 1,702 tok/s/GPU, 2.37x; on eight, 1.9x against 2.05x), and TensorRT-LLM
 * 0.9.0's H100/H200 rows of Falcon 180B (29 query heads per KV head) and Mistral 7B (4)
 * are 50-107% slower than a single read of the cache gives.  The same publication's A100
 * and L40S rows of those models show no such loss (within -15..+13% with one read, 30-58%
 * too slow with the repeated reads), so there one read stands.  The L2 cache's measured
 * read bandwidth does not explain the split (doc/method.md: gpu-benches' L2 rates put the
 * A100 SXM4 80GB at 2.65x its memory rate, the H100 SXM5 at 3.0x, the H200 at 2.1x; timing
 * the repeated loads through the L2 on every device leaves the Hopper rows up to 51% too fast
 * and NVIDIA's XQA check at 1.41x), nor does any other published device figure found: the
 * boards that lose are the Hopper ones with an 8-bit cache, whose conversions the kernel
 * repeats in every query head's block ("reducing data loading and conversion", the XQA
 * blog).  The list is a choice made from the rows. */
#define MMHA_REREAD_DEVICES "h100-sxm h100-pcie h100-nvl h200 gh200 h20"

/* TensorRT-LLM's generation-phase attention without XQA is the masked MHA kernel, one
 * thread block per query head and sequence, each loading the cache of its query head's KV
 * head (docs/source/gpt_attention.md; the XQA blog, docs/source/blogs/XQA-kernel.md,
 * "reducing data loading" for MQA/GQA: Llama-70B FP8 128/2048 on one H200, 1,227 tok/s/GPU
 * without XQA against 2,941 with it, TensorRT-LLM v0.8).  The precompiled XQA kernels of
 * the v0.8-v0.9 releases ran only where the head is 128 wide and, in ordinary generation,
 * 8 query heads share each KV head (DecoderXQARunner::shouldUse: head_size != 128 or
 * nbQHeadsPerKV != 8 return false; decoderXQARunner.h of that era, index file id
 * 619534789); elsewhere masked MHA ran. */
double rt_attn_kv_reads(int kernel, const struct rt_group *g, const struct rt_device *d)
{
    /* the kernel first: every other engine returns before the device's id is matched (a string
     * match, run per layer group per step) */
    if ((kernel != RT_AK_MMHA && kernel != RT_AK_XQA_H128G8) || !g || !d || g->kv_heads <= 0 ||
        g->heads <= g->kv_heads || g->kv_lora_rank > 0 || !rt_id_listed(MMHA_REREAD_DEVICES, d->id))
        return 1;
    double q = (double)g->heads / (double)g->kv_heads;
    if (kernel == RT_AK_MMHA)
        return q;
    if (kernel == RT_AK_XQA_H128G8)
        return g->head_dim == 128 && g->heads == 8 * g->kv_heads ? 1 : q;
    return 1;
}

/* ---- the Mamba-2 state update at decode ----
 * vLLM runs a Mamba-2 layer's decode step through its Triton selective_state_update
 * (model_executor/layers/mamba/ops/mamba_ssm.py): one program per BLOCK_SIZE_M rows of one
 * head of one sequence, each reading and writing its rows of the recurrent state.  Until
 * tuned launch configurations per device (vllm-project/vllm PR #43083, 2026-05-19: B200,
 * GB200, H100; PR #44251, 2026-06-01: H200) every build ran the kernel's built-in launch
 * heuristic, BLOCK_SIZE_M 4 and 4 warps for a 128-wide state "at every batch size"
 * (PR #50007's description of the fallback).  PR #44251 timed that heuristic on an H200
 * (benchmarks/kernels/benchmark_selective_state_update.py --compare; head_dim 64, d_state
 * 128, 8 groups, fp32 state) by effective batch, sequences x heads: 512: 12.74 us,
 * 1024: 23.85, 4096: 94.81, 8192: 188.20, 32768: 2012.71, 131072: 8874.61, 196608: 9090.18.
 * Each (sequence, head) reads and writes 64 x 128 fp32 values, 65,536 bytes; over the
 * H200's 4,800 GB/s the shares are 54.9, 58.6, 59.0, 59.4, 22.2, 20.2 and 29.5%.  Kept by
 * effective batch, linear in log2 between the points and held outside them, for the
 * measured shape and state type only.  ASSUMPTION, stated: the H200's shares stand for
 * every NVIDIA device (as the vLLM profiles' small-kernel time from one H200 trace does):
 * no timing of the heuristic on another NVIDIA part was found. */
#define SSU_POINTS 7
#define SSU_PAIR_BYTES 65536.0      /* one (sequence, head): 64 x 128 fp32, read and written */
#define SSU_H200_BW 4.8e12          /* the H200's datasheet bandwidth, bytes/s */

static const double ssu_eff[SSU_POINTS] = { 512, 1024, 4096, 8192, 32768, 131072, 196608 };
static const double ssu_us[SSU_POINTS] = { 12.74, 23.85, 94.81, 188.20, 2012.71, 8874.61, 9090.18 };

static double ssu_share(int i)
{
    return ssu_eff[i] * SSU_PAIR_BYTES / (ssu_us[i] * 1e-6 * SSU_H200_BW);
}

double rt_ssm_state_share(int kernel, const struct rt_group *g, const struct rt_device *d, double eff_batch)
{
    if (kernel != RT_SK_TRITON_SSU || !g || !d || g->mixer != RT_MIX_MAMBA2 || g->lin_v_dim != 64 ||
        g->lin_k_dim != 128 || g->state_bits != 32 || !(eff_batch > 0) ||
        (d->family != RT_FAM_NVIDIA_DC && d->family != RT_FAM_NVIDIA_CONSUMER))
        return 0;
    double share[SSU_POINTS];
    for (int i = 0; i < SSU_POINTS; i++)
        share[i] = ssu_share(i);
    return log2_interp(ssu_eff, share, SSU_POINTS, eff_batch);
}
