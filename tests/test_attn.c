/* test_attn.c - decode attention time by KV bytes per call and kernel (src/core/attn.c,
 * doc/method.md "Decode attention by kernel").  The utilisation points are those read
 * off FlashInfer's figure 6 (flashinfer-ai.github.io, 2024-01-03 post); every expected
 * time below is worked by hand from them in the comments. */
#include "helpers.h"
#include "core/attn.h"
#include "core/serve.h"
#include "core/stepcache.h"

static const struct rt_device *dev(const char *id)
{
    const struct rt_device *d = catalog_device(cat(), id);
    cr_assert(d, "device %s", id);
    return d;
}

Test(attn, flashinfer_on_the_a100_at_its_published_points)
{
    const struct rt_device *a = dev("a100-pcie-80g"); /* 1,935 GB/s, the post's table */
    cr_assert_eq(a->bandwidth, 1.935e12);
    /* 16 x 524,288 = 8,388,608 B (512 tokens of 16 KiB): 24.3% ->
     * 8,388,608 / (0.243 x 1.935e12) = 17.840 us */
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, a, 8388608.0), 17.840e-6, 1e-4, "at 8 MiB");
    /* halfway between 8 and 16 MiB in log2 (2^4.5 x 524,288 = 11,863,283 B): the mean
     * of 24.3% and 33.0%, 28.65% -> 11,863,283 / (0.2865 x 1.935e12) = 21.399 us */
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, a, 11863283.2), 21.399e-6, 1e-4, "between points");
    /* under the first point (0.5 MiB at 3.2%) the call takes that point's time:
     * 524,288 / (0.032 x 1.935e12) = 8.467 us, whatever the bytes */
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, a, 100000.0), 8.467e-6, 1e-3, "the latency");
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, a, 1.0), 8.467e-6, 1e-3, "the latency");
    /* past the last point (1 GiB, 86.3%) the last utilisation holds: 4 GiB /
     * (0.863 x 1.935e12) = 2.5720 ms */
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, a, 4294967296.0), 2.5720e-3, 1e-4, "past the last point");
}

Test(attn, siblings_use_their_own_bandwidth_and_the_unmeasured_get_nothing)
{
    /* the A100 SXM (same GA100 chip) at 2,039 GB/s: 8,388,608 / (0.243 x 2.039e12) = 16.930 us */
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, dev("a100-sxm-80g"), 8388608.0), 16.930e-6, 1e-4, "A100 SXM");
    /* the RTX 4090's own curve: 1 GiB at 89.9% of 1,008 GB/s = 1.1849 ms */
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, dev("rtx-4090"), 1073741824.0), 1.1849e-3, 1e-4, "RTX 4090");
    /* Hopper runs FlashAttention 3 under SGLang: no FlashInfer curve is used there */
    cr_assert_eq(rt_attn_call_s(RT_AK_FLASHINFER, dev("h100-sxm"), 8388608.0), 0.0);
    cr_assert_eq(rt_attn_call_s(RT_AK_FLASHINFER, dev("h200"), 8388608.0), 0.0);
    /* an unmeasured kernel, or no bytes, leaves the roofline: vLLM's FlashAttention and
     * TensorRT-LLM's XQA are named by their profiles but have no published curve */
    cr_assert_eq(rt_attn_call_s(RT_AK_UNMEASURED, dev("a100-pcie-80g"), 8388608.0), 0.0);
    cr_assert_eq(rt_attn_call_s(RT_AK_FLASH_ATTN, dev("a100-pcie-80g"), 8388608.0), 0.0);
    cr_assert_eq(rt_attn_call_s(RT_AK_XQA, dev("a100-pcie-80g"), 8388608.0), 0.0);
    cr_assert_eq(catalog_engine(cat(), "vllm")->attn_kernel, RT_AK_FLASH_ATTN);
    cr_assert_eq(catalog_engine(cat(), "trtllm-cpp")->attn_kernel, RT_AK_XQA);
    cr_assert_eq(rt_attn_call_s(RT_AK_FLASHINFER, dev("a100-pcie-80g"), 0.0), 0.0);
}

Test(attn, a_curve_serves_the_devices_of_its_chip_and_sm_count)
{
    /* The curve goes by the catalog's chip and SM count, not by the device's id: a board of
     * the user's own with GA100 and 108 SMs at 1,555 GB/s takes the A100 curve at its own
     * bandwidth, 8,388,608 / (0.243 x 1.555e12) = 22.200 us; with 98 SMs, or no chip, none. */
    struct rt_device d = *dev("a100-pcie-40g");
    snprintf(d.id, sizeof d.id, "my-board");
    cr_assert_str_eq(d.chip, "GA100");
    cr_assert_eq(d.sms, 108);
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, &d, 8388608.0), 22.200e-6, 1e-4, "GA100 with 108 SMs");
    d.sms = 98;
    cr_assert_eq(rt_attn_call_s(RT_AK_FLASHINFER, &d, 8388608.0), 0.0);
    d.sms = 108;
    d.chip[0] = 0;
    cr_assert_eq(rt_attn_call_s(RT_AK_FLASHINFER, &d, 8388608.0), 0.0);
    /* AD102 with 142 SMs: the RTX 6000 Ada's curve on the L40S at 864 GB/s, 1 GiB at 86.4%:
     * 1,073,741,824 / (0.864 x 0.864e12) = 1.4384 ms; the RTX 4090 (AD102, 128) keeps its own */
    assert_rel(rt_attn_call_s(RT_AK_FLASHINFER, dev("l40s"), 1073741824.0), 1.4384e-3, 1e-4, "L40S");
    cr_assert_eq(dev("rtx-4090")->sms, 128);
}

Test(attn, flashattention3_prefill_rates_on_gh100)
{
    /* the FlashAttention-3 paper's causal forward bars on the H100 SXM5, head dim 128:
     * 292, 423, 521, 579, 602, 616 TFLOPS at 512 .. 16k tokens */
    const struct rt_device *h = dev("h100-sxm");
    assert_rel(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, h, 128, 2048), 521e12, 1e-12, "at 2k");
    /* halfway in log2 between 2k and 4k (2^11.5 = 2,896.3 tokens): (521 + 579) / 2 = 550 */
    assert_rel(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, h, 128, 2896.309375740099), 550e12, 1e-9, "between");
    /* under 512 the 512 rate, past 16k the 16k rate; head dims 64 and 256 have their own */
    assert_rel(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, h, 128, 100), 292e12, 1e-12, "short");
    assert_rel(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, h, 128, 131072), 616e12, 1e-12, "long");
    assert_rel(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, h, 64, 4096), 420e12, 1e-12, "head dim 64");
    assert_rel(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, h, 256, 16384), 642e12, 1e-12, "head dim 256");
    /* the H200 shares the chip and SM count; the H100 PCIe (114 SMs), the A100, another
     * head width or another kernel have no measurement */
    assert_rel(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, dev("h200"), 128, 2048), 521e12, 1e-12, "H200");
    cr_assert_eq(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, dev("h100-pcie"), 128, 2048), 0.0);
    cr_assert_eq(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, dev("a100-sxm-80g"), 128, 2048), 0.0);
    cr_assert_eq(rt_attn_prefill_rate(RT_AK_FLASH_ATTN, h, 96, 2048), 0.0);
    cr_assert_eq(rt_attn_prefill_rate(RT_AK_FLASHINFER, h, 128, 2048), 0.0);
}

Test(attn, vllm_prefill_on_the_h100_runs_attention_at_the_fa3_rate)
{
    /* Llama 3.1 8B: 32 layers of 32 query heads of 128 (8 KV heads), bf16.  A fresh prompt of
     * 8,192 tokens in one pass (vLLM's 8,192-token budget on an 80 GB device): 8,192 x 8,193 / 2
     * = 33,558,528 causal pairs per layer, f = 32 x 2 x 32 x (128 + 128) x 33,558,528 =
     * 1.7594e13 FLOPs.  At FA3's 602 TFLOPS (8k, head dim 128): 29.226 ms; on the roofline at
     * the H100's attainable 794.5 TFLOPS x vLLM's mfu.  The core's time is hypot(compute,
     * memory) with the same memory term both ways, so the squares differ by the compute
     * times' squares alone. */
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 8192, 1, "vllm");
    cr_assert_eq(rs->s.engine->attn_kernel, RT_AK_FLASH_ATTN);
    struct rt_result r = estimate(&rs->s);
    struct rt_engine e = *rs->s.engine;
    e.attn_kernel = RT_AK_UNMEASURED;
    struct rt_scenario s = rs->s;
    s.engine = &e;
    struct rt_result u = estimate(&s);
    double f = 32.0 * 2 * 32 * 256 * 33558528.0;
    double fam = e.mfu_family[RT_FAM_NVIDIA_DC] > 0 ? e.mfu_family[RT_FAM_NVIDIA_DC] : 1.0;
    double t_fa3 = f / 602e12, t_roof = f / (794.5e12 * fmin(1.0, e.mfu * fam));
    assert_rel(r.prefill.t_kv * r.prefill.t_kv - u.prefill.t_kv * u.prefill.t_kv, t_fa3 * t_fa3 - t_roof * t_roof,
               1e-6, "fa3 %.6g roofline %.6g", r.prefill.t_kv, u.prefill.t_kv);
    /* decode steps are not prefill: untouched */
    cr_assert_eq(r.decode.t_kv, u.decode.t_kv);
}

Test(attn, sglang_decode_step_on_the_a100_takes_the_measured_time)
{
    /* Llama 2 7B is the measured shape: 32 layers of 32 KV heads x 128, 16-bit:
     * 16,384 B per token per layer.  Prompt 511, one output token: the step reads
     * 511 cached tokens and writes 1, 512 x 16,384 = 8,388,608 B per layer. */
    struct rt_resolved *rs = scen("llama-2-7b", "a100-pcie-80g", "bf16", 1, 1, 511, 1, "sglang");
    cr_assert_eq(rs->s.engine->attn_kernel, RT_AK_FLASHINFER, "the profile names FlashInfer");
    struct rt_result r = estimate(&rs->s);
    /* per layer 17.840 us measured, less the 3.18 us slot SGLang's kernels group already
     * gives the attention kernel inside a graph (batch 1 <= 160): 32 x 14.660 = 469.13 us */
    assert_rel(r.decode.t_kv, 469.13e-6, 2e-3, "measured: %.6g", r.decode.t_kv);
    /* the same engine without the curve: the roofline at mbu 0.7,
     * 32 x 8,388,608 / (1.935e12 x 0.7) = 198.18 us */
    struct rt_engine e = *rs->s.engine;
    e.attn_kernel = RT_AK_UNMEASURED;
    struct rt_scenario s = rs->s;
    s.engine = &e;
    struct rt_result u = estimate(&s);
    assert_rel(u.decode.t_kv, 198.18e-6, 2e-3, "roofline: %.6g", u.decode.t_kv);
    /* the difference is all in the attention slot, and the prefill is untouched */
    assert_rel(r.decode.t_attn - u.decode.t_attn, 469.13e-6 - 198.18e-6, 5e-3, "attention slot");
    cr_assert_eq(r.prefill.time_s, u.prefill.time_s);
}

Test(attn, not_on_hopper_nor_for_latent_attention)
{
    /* SGLang on an H100: FA3, unmeasured: the same time as without the field */
    struct rt_resolved *rs = scen("llama-2-7b", "h100-sxm", "bf16", 1, 1, 511, 1, "sglang");
    struct rt_result r = estimate(&rs->s);
    struct rt_engine e = *rs->s.engine;
    e.attn_kernel = RT_AK_UNMEASURED;
    struct rt_scenario s = rs->s;
    s.engine = &e;
    cr_assert_eq(r.decode.time_s, estimate(&s).decode.time_s);
    /* DeepSeek-V3's MLA layers on 8 A100s: the measurement is of multi-head and
     * grouped attention, so no change */
    rs = scen("deepseek-v3", "a100-sxm-80g", "fp8", 16, 1, 511, 1, "sglang");
    r = estimate(&rs->s);
    e = *rs->s.engine;
    e.attn_kernel = RT_AK_UNMEASURED;
    s = rs->s;
    s.engine = &e;
    cr_assert_eq(r.decode.time_s, estimate(&s).decode.time_s);
}

/* The curve is found by the device's id once per scenario (a serving run's step cache keeps
 * it, stepcache.h), and a call timed on the kept curve is the very number of the one-shot
 * lookup: the A100 PCIe's 8 MiB call, 17.840 us as worked above. */
Test(attn, the_curve_looked_up_once_gives_the_same_time)
{
    const struct rt_device *a = dev("a100-pcie-80g"), *l = dev("l40s"), *h = dev("h100-sxm");
    const struct rt_attn_curve *ca = rt_attn_curve_for(RT_AK_FLASHINFER, a);
    cr_assert_not_null(ca);
    cr_assert_eq(rt_attn_curve_for(RT_AK_FLASHINFER, dev("a100-sxm-40g")), ca, "GA100 boards share the curve");
    cr_assert_neq(rt_attn_curve_for(RT_AK_FLASHINFER, l), ca, "the L40S has AD102's");
    cr_assert_null(rt_attn_curve_for(RT_AK_FLASHINFER, h));
    cr_assert_null(rt_attn_curve_for(RT_AK_UNMEASURED, a));
    double t = rt_attn_curve_s(ca, a, 8388608.0);
    assert_rel(t, 17.840e-6, 1e-4, "at 8 MiB");
    cr_assert_eq(t, rt_attn_call_s(RT_AK_FLASHINFER, a, 8388608.0));
    cr_assert_eq(rt_attn_curve_s(NULL, a, 8388608.0), 0.0);
    /* a serving run's cache holds the curve after its first step, and none where unmeasured */
    struct rt_resolved *rs = scen("llama-2-7b", "a100-pcie-80g", "bf16", 1, 1, 511, 1, "sglang");
    struct rt_serve_step st;
    struct rt_serve_config c;
    struct rt_serve_opts o = { .rate = 1 };
    rt_serve_config_of(&rs->s, &o, &st, &c);
    cr_assert(rt_step_cached(&st.cache, &rs->s, &st.p, 0, 0, 1, 511) > 0);
    cr_assert_eq(st.cache.attn, ca);
    rs = scen("llama-2-7b", "h100-sxm", "bf16", 1, 1, 511, 1, "sglang");
    rt_serve_config_of(&rs->s, &o, &st, &c);
    cr_assert(rt_step_cached(&st.cache, &rs->s, &st.p, 0, 0, 1, 511) > 0);
    cr_assert_null(st.cache.attn);
}

/* vLLM's Mamba-2 state update at decode (attn.c rt_ssm_state_share): its Triton
 * selective_state_update at the built-in launch heuristic, timed on an H200 by vLLM PR #44251
 * (head_dim 64, d_state 128, fp32 state), each (sequence, head) reading and writing
 * 64 x 128 x 4 = 32,768 B twice.  Shares of the H200's 4,800 GB/s at the published points:
 *   512:  512 x 65,536 / (12.74 us x 4.8e12)   = 33,554,432 / 61,152,000      = 0.548705
 *   8192: 8192 x 65,536 / (188.20 us x 4.8e12) = 536,870,912 / 903,360,000    = 0.594304
 *   32768: 2,147,483,648 / (2012.71 us x 4.8e12) = 2,147,483,648 / 9,661,008,000 = 0.222284
 * between 8192 and 32768, at 12,192 (381 sequences x 32 heads): log2(12192/8192) / 2 =
 * 0.28676 of the way: 0.594304 - 0.28676 x 0.372020 = 0.487600; under 512 the first share. */
Test(attn, the_mamba2_state_update_at_its_published_shares)
{
    const struct rt_model *m = catalog_model(cat(), "nemotron-3-nano-30b-a3b");
    cr_assert(m);
    int n;
    const struct rt_group *g = rt_groups(m, &n), *mamba = NULL, *attn = NULL;
    for (int i = 0; i < n; i++) {
        if (g[i].mixer == RT_MIX_MAMBA2)
            mamba = &g[i];
        if (g[i].mixer == RT_MIX_ATTENTION)
            attn = &g[i];
    }
    cr_assert(mamba && attn);
    cr_assert_eq(mamba->lin_v_dim, 64);
    cr_assert_eq(mamba->lin_k_dim, 128);
    cr_assert_eq(mamba->state_bits, 32);
    const struct rt_device *b = dev("b200"), *h = dev("h200");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, mamba, h, 8192), 0.594304, 1e-5, "8192");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, mamba, h, 32768), 0.222284, 1e-5, "32768");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, mamba, b, 12192), 0.487600, 1e-5, "between");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, mamba, b, 32), 0.548705, 1e-5, "under the first");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, mamba, b, 1e7), 0.295303, 1e-5, "past the last");
    /* nothing where the measurement does not reach: another kernel, an attention group, a
     * 16-bit state, an AMD device */
    cr_assert_eq(rt_ssm_state_share(RT_SK_UNMEASURED, mamba, b, 8192), 0.0);
    cr_assert_eq(rt_ssm_state_share(RT_SK_TRITON_SSU, attn, b, 8192), 0.0);
    struct rt_group half = *mamba;
    half.state_bits = 16;
    cr_assert_eq(rt_ssm_state_share(RT_SK_TRITON_SSU, &half, b, 8192), 0.0);
    cr_assert_eq(rt_ssm_state_share(RT_SK_TRITON_SSU, mamba, dev("mi300x"), 8192), 0.0);
    cr_assert_eq(catalog_engine(cat(), "vllm-async")->ssm_kernel, RT_SK_TRITON_SSU);
    cr_assert_eq(catalog_engine(cat(), "sglang")->ssm_kernel, RT_SK_UNMEASURED);
}

/* A decode step of Nemotron 3 Nano (23 Mamba-2 layers) in FP8 on 2 x B200 under vllm-async at
 * batch 256, prompt 2048, in the graph (256 <= 512): 256 sequences x 32 heads on each device
 * = 8192, share 0.594304.  Per layer and device the state moved is 256 x 2 x (64 x 64 x 128 x 4
 * + 6144 x 3 x 2) x 0.5 = 256 x 2 x 2,134,016 x 0.5 = 546,308,096 B:
 * 546,308,096 / (8e12 x 0.594304) = 114.905 us, less the 3.18 us slot the Mamba block's small
 * kernels already give it: 111.725 us, x 23 = 2569.67 us.  Without the curve the roofline at
 * mbu 0.7 takes (546,308,096 + 256 x 6144 x 4 / 2) / 5.6e12 = 98.117 us a layer, 2256.69 us:
 * the step's state time grows by 312.99 us, and the attention layers' time is unchanged. */
Test(attn, a_vllm_decode_step_takes_the_state_update_at_its_measured_share)
{
    struct rt_resolved *rs = scen("nemotron-3-nano-30b-a3b", "b200", "fp8", 2, 256, 2048, 1, "vllm-async");
    struct rt_result r = estimate(&rs->s);
    struct rt_engine e = *rs->s.engine;
    e.ssm_kernel = RT_SK_UNMEASURED;
    struct rt_scenario s = rs->s;
    s.engine = &e;
    struct rt_result u = estimate(&s);
    assert_rel(r.decode.t_kv - u.decode.t_kv, 312.99e-6, 2e-3, "state update: %.6g", r.decode.t_kv - u.decode.t_kv);
    assert_rel(r.decode.t_ffn, u.decode.t_ffn, 1e-12, "the FFN untouched");
    cr_assert_eq(r.prefill.time_s, u.prefill.time_s, "the prefill untouched");
}

/* vLLM's Triton selective_state_update on a Mamba-2 layer (head_dim 64, d_state 128, fp32
 * state), by effective batch (sequences x heads): the share of the bandwidth PR #44251's
 * H200 timings give, 65,536 bytes a (sequence, head) over 4.8 TB/s.  At 1024: 1024 x 65,536 /
 * (23.85e-6 x 4.8e12) = 0.586206; at 2048, halfway in log2 between 1024 and 4096 (0.589854):
 * their mean, 0.588030; below 512 the first point's 0.548705; above 196,608 the last's
 * 0.295303.  Another state shape, and a device not NVIDIA's, have no figure. */
Test(attn, mamba2_state_share_between_its_measured_points)
{
    struct rt_group g = { .count = 1, .mixer = RT_MIX_MAMBA2, .lin_v_dim = 64, .lin_k_dim = 128, .state_bits = 32 };
    const struct rt_device *h = dev("h200");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, &g, h, 1024), 0.586206, 1e-5, "at 1024");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, &g, h, 2048), 0.588030, 1e-5, "halfway");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, &g, h, 64), 0.548705, 1e-5, "below the first");
    assert_rel(rt_ssm_state_share(RT_SK_TRITON_SSU, &g, h, 1e6), 0.295303, 1e-5, "above the last");
    cr_assert_eq(rt_ssm_state_share(RT_SK_UNMEASURED, &g, h, 1024), 0.0);
    cr_assert_eq(rt_ssm_state_share(RT_SK_TRITON_SSU, &g, dev("mi300x"), 1024), 0.0);
    g.lin_k_dim = 64;
    cr_assert_eq(rt_ssm_state_share(RT_SK_TRITON_SSU, &g, h, 1024), 0.0, "another state shape");
}
