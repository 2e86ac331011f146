/* test_kernels.c - the kernels of a layer (doc/method.md, "Kernels per layer"):
 * small kernels and MoE routing per layer, the weight-GEMM latency, CUDA graphs
 * on and off.  Every expected value is worked by hand in the comments. */
#include <string.h>
#include "helpers.h"
#include "core/collective.h"
#include "core/idlist.h"

/* The ideal engine (full bandwidth and compute, no other overheads) with the
 * SGLang kernel counts of presets/engines.cfg. */
static struct rt_engine counted(const struct rt_engine *base, int64_t graph_max_batch)
{
    struct rt_engine e = *base;
    e.k_attn = 4;
    e.g_attn = 2;
    e.k_mla = 3;
    e.g_mla = 3;
    e.k_ffn = 2;
    e.g_ffn = 2;
    e.k_moe = 8;
    e.g_moe = 5;
    e.kernel_s = 1.3e-6;
    e.launch_s = 3.25e-6;
    e.gemm_latency_s[1] = 7.8e-6;
    e.route_s = 25.8e-6;
    e.cuda_graph_max_bs = graph_max_batch;
    return e;
}

Test(kernels, deepseek_v3_decode_step_in_a_graph)
{
    /* DeepSeek-V3: 61 MLA layers, the first 3 dense, 58 MoE; FP8 weights (class 1) on
     * 8 x H200, batch 1 (inside the graph, 1 <= 160).
     * small kernels: 61 x (4 + 3) x 1.3 = 555.1 us; dense FFN 3 x 2 x 1.3 = 7.8 us;
     *   MoE 58 x (8 x 1.3 + 25.8) = 58 x 36.2 = 2099.6 us; total 2662.5 us.
     * GEMM latencies, added to the streaming time: projections 61 x (2 + 3) x 7.8 = 2379 us;
     *   FFN 3 x 2 x 7.8 + 58 x 5 x 7.8 = 46.8 + 2262 = 2308.8 us. */
    struct rt_resolved *rs = scen("deepseek-v3", "h200", "fp8", 8, 1, 128, 1, NULL);
    struct rt_result plain = estimate(&rs->s);
    struct rt_engine e = counted(rs->s.engine, 160);
    rs->s.engine = &e;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 2662.5e-6, 1e-9, "small kernels %.6g", r.decode.t_overhead);
    assert_rel(r.decode.t_attn - r.decode.t_kv, plain.decode.t_attn - plain.decode.t_kv + 2379e-6, 1e-9,
               "projection latencies");
    assert_rel(r.decode.t_kv, plain.decode.t_kv, 1e-12, "the attention core is a small kernel");
    assert_rel(r.decode.t_ffn, plain.decode.t_ffn + 2308.8e-6, 1e-9, "FFN latencies");
}

Test(kernels, graphs_off_pay_the_launch)
{
    /* Without a graph each small kernel costs max(1.3, 3.25) = 3.25 us of launch:
     * 61 x 7 x 3.25 = 1387.75; 3 x 2 x 3.25 = 19.5; 58 x (8 x 3.25 + 25.8) = 3004.4;
     * total 4411.65 us.  A GEMM costs max(7.8, 3.25) = 7.8 us as before. */
    struct rt_resolved *rs = scen("deepseek-v3", "h200", "fp8", 8, 1, 128, 1, NULL);
    struct rt_result plain = estimate(&rs->s);
    struct rt_engine e = counted(rs->s.engine, 0);
    rs->s.engine = &e;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 4411.65e-6, 1e-9, "launch-bound %.6g", r.decode.t_overhead);
    assert_rel(r.decode.t_ffn, plain.decode.t_ffn + 2308.8e-6, 1e-9, "FFN latencies");
    /* a batch above the graph limit also runs outside it */
    rs = scen("deepseek-v3", "h200", "fp8", 8, 200, 128, 1, NULL);
    e = counted(rs->s.engine, 160);
    rs->s.engine = &e;
    r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 4411.65e-6, 1e-9, "batch 200 > 160 %.6g", r.decode.t_overhead);
}

Test(kernels, dense_gqa_layer_and_the_latency_per_format_class)
{
    /* Llama 3 8B (32 GQA layers, dense) in BF16 (class 0: no GEMM latency given) at batch 1
     * in a graph: 32 x (4 + 2) x 1.3 = 249.6 us of small kernels, the MLA and MoE counts
     * unused; the projections and FFN keep their streaming time. */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 128, 1, NULL);
    struct rt_result plain = estimate(&rs->s);
    struct rt_engine e = counted(rs->s.engine, 160);
    rs->s.engine = &e;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 249.6e-6, 1e-9, "dense small kernels %.6g", r.decode.t_overhead);
    assert_rel(r.decode.t_ffn, plain.decode.t_ffn, 1e-12, "no GEMM latency for 16-bit weights");
    assert_rel(r.decode.time_s, plain.decode.time_s + 249.6e-6, 1e-9, "only the small kernels add");
}

Test(kernels, untuned_fused_moe_costs_per_moe_block)
{
    /* A build whose fused-MoE kernel runs its default configuration (sglang-0.4.1): each
     * MoE block pays the published extra time at the pass's tokens, 107.8 us at 1 token
     * and 98.0 us at 32 (sgl-project/sglang PR #6111: 3.20 s / 512 / 58 and
     * 2.91 s / 512 / 58), linear between, held outside.  DeepSeek-V3 has 58 MoE blocks.
     * batch 1:  58 x 107.8 = 6252.4 us more FFN time per step;
     * batch 8:  107.8 + (98.0 - 107.8) x (8 - 1) / (32 - 1) = 107.8 - 2.2129032 = 105.5870968;
     *           58 x 105.5870968 = 6124.051613 us;
     * batch 64: held at 98.0: 58 x 98.0 = 5684 us.
     * Nothing else changes: the small kernels stay 2662.5 us (the test above). */
    static const struct { int64_t b; double extra; } c[] = { { 1, 6252.4e-6 }, { 8, 6124.051613e-6 }, { 64, 5684e-6 } };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct rt_resolved *rs = scen("deepseek-v3", "h200", "fp8", 8, c[i].b, 128, 1, NULL);
        struct rt_engine tuned = counted(rs->s.engine, 160);
        rs->s.engine = &tuned;
        struct rt_result plain = estimate(&rs->s);
        struct rt_engine e = tuned;
        e.moe_untuned_s[0] = 107.8e-6;
        e.moe_untuned_s[1] = 98.0e-6;
        e.moe_untuned_tok[0] = 1;
        e.moe_untuned_tok[1] = 32;
        rs->s.engine = &e;
        struct rt_result r = estimate(&rs->s);
        assert_rel(r.decode.t_ffn, plain.decode.t_ffn + c[i].extra, 1e-9, "batch %lld: FFN extra %.9g", (long long)c[i].b,
                   r.decode.t_ffn - plain.decode.t_ffn);
        assert_rel(r.decode.t_overhead, plain.decode.t_overhead, 1e-12, "small kernels unchanged");
    }
    /* a dense model has no MoE block: no change (Llama 3 8B) */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 128, 1, NULL);
    struct rt_engine tuned = counted(rs->s.engine, 160), e = tuned;
    e.moe_untuned_s[0] = e.moe_untuned_s[1] = 100e-6;
    e.moe_untuned_tok[1] = 32;
    rs->s.engine = &tuned;
    double t0 = estimate(&rs->s).decode.time_s;
    rs->s.engine = &e;
    assert_rel(estimate(&rs->s).decode.time_s, t0, 1e-12, "dense: unchanged");
}

Test(kernels, sglang_041_profile_is_the_sglang_one_plus_the_untuned_moe)
{
    /* presets/engines.cfg: sglang-0.4.1 differs from sglang by the untuned fused-MoE
     * figures and its Triton kernels' one tile per CTA (128 columns, 38.5 GB/s for 8-bit
     * weights); without the tiles DeepSeek-V3 at batch 1 (8 x H200) decodes
     * 58 x 107.8 = 6252.4 us slower than with sglang, less what sglang's own fused-MoE
     * tiles add on the H200 (its linears run DeepGEMM there, tile_except): the 8 touched
     * experts' gate_up, 7168 x 128 / 38.5e9 = 23.8313 us against 8 x 2 x 2048 x 7168 / 8
     * = 29,360,128 B at 4.8e12 x 0.7 (mbu) x 0.9 (8-bit) = 9.7090 us: 14.1222 us x 58 =
     * 819.09 us (the down projection, K 256, is under its stream): 5433.31 us */
    double ta = estimate(&scen("deepseek-v3", "h200", "fp8", 8, 1, 128, 1, "sglang")->s).decode.time_s;
    struct rt_resolved *b = scen("deepseek-v3", "h200", "fp8", 8, 1, 128, 1, "sglang-0.4.1");
    cr_assert_str_eq(b->s.engine->id, "sglang-0.4.1");
    assert_rel(b->s.engine->moe_untuned_s[0], 107.8e-6, 1e-12, "figure at 1 token");
    assert_rel(b->s.engine->moe_untuned_tok[1], 32, 1e-12, "second point at 32 tokens");
    assert_rel(b->s.engine->tile_n, 128, 1e-12, "tile width");
    assert_rel(b->s.engine->tile_bw[1], 38.5e9, 1e-12, "one CTA's rate");
    cr_assert(b->s.engine->tile_bw[0] == 0 && b->s.engine->tile_bw[2] == 0, "8-bit kernels only");
    /* and its DeepSeek layer's counts: 5 + 7 small kernels and 2 + 4 GEMMs per MLA block,
     * 2, 22, 2, 2 more small ones with 8-bit weights */
    cr_assert(b->s.engine->k_attn == 5 && b->s.engine->k_mla == 7 && b->s.engine->g_mla == 4, "MLA counts");
    assert_rel(b->s.engine->k_q8[1], 22, 1e-12, "absorbed products' quantisation");
    struct rt_engine e = *b->s.engine;
    e.tile_n = 0;
    e.k_attn = 4;
    e.k_mla = 3;
    e.g_mla = 3;
    e.k_q8[0] = e.k_q8[1] = e.k_q8[2] = e.k_q8[3] = 0;
    b->s.engine = &e;
    double tb = estimate(&b->s).decode.time_s;
    assert_rel(tb - ta, 5433.31e-6, 1e-6, "batch 1 step: %.9g", tb - ta);
}

Test(kernels, uncounted_engines_are_unchanged)
{
    /* an engine without kernel counts keeps its fitted layer overhead alone */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 128, 1, "trtllm");
    struct rt_result r = estimate(&rs->s);
    /* trtllm: 2936 us per step + 29.6 us x 32 layers = 3883.2 us */
    assert_rel(r.decode.t_overhead, 3883.2e-6, 1e-9, "trtllm overhead %.6g", r.decode.t_overhead);
}

Test(bands, no_published_runs_near_widen_the_band)
{
    /* LMDeploy's only published runs are on datacenter NVIDIA (an A100): on a GeForce card
     * none lies near, and its own band widens by 1.6 each way: band_low / 1.6 ..
     * band_high x 1.6 of the estimate (vLLM served here until the InferenceX H100 rows
     * gave it published runs on datacenter NVIDIA) */
    struct rt_resolved *rs = scen("llama-3-8b", "rtx-4090", "fp16", 1, 1, 512, 128, "lmdeploy");
    struct rt_result r = estimate(&rs->s);
    double lo = rs->s.engine->band_low / 1.6, hi = rs->s.engine->band_high * 1.6;
    cr_assert(r.far_band, "LMDeploy on an RTX 4090: no published runs");
    cr_assert(rs->s.engine->band_low < 1 && rs->s.engine->band_high > 1, "a band around the estimate");
    assert_rel(r.tpot_low_s, r.tpot_s * lo, 1e-9, "low");
    assert_rel(r.tpot_high_s, r.tpot_s * hi, 1e-9, "high");
    assert_rel(r.ttft_high_s, r.ttft_s * hi, 1e-9, "TTFT high");
    /* the decode phase's own band (the --print time row) is the same widened band,
     * so the time per token and the tokens/s it gives agree */
    assert_rel(r.decode.time_high_s, r.decode.time_s * hi, 1e-9, "decode phase high");
    assert_rel(r.decode.time_low_s, r.decode.time_s * lo, 1e-9, "decode phase low");
    /* TensorRT-LLM has 517 runs on datacenter NVIDIA (coverage [418, 517, 177]: 177 of them
     * MoE, so dense and MoE scenarios are both near): its own band unwidened (the profile's
     * band_high, whatever make fit last wrote: 1.380 now) */
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 512, 128, "trtllm");
    r = estimate(&rs->s);
    cr_assert(!r.far_band, "TensorRT-LLM on H100: published runs");
    cr_assert(!r.far_class, "TensorRT-LLM dense: near");
    cr_assert(rs->s.engine->band_high > 1.0 && rs->s.engine->band_high < 1.6, "a band of its own");
    assert_rel(r.tpot_high_s, r.tpot_s * rs->s.engine->band_high, 1e-9, "trtllm high");
    rs = scen("mixtral-8x7b", "h100-sxm", "fp8", 2, 1, 512, 128, "trtllm");
    r = estimate(&rs->s);
    cr_assert(!r.far_band && !r.far_class, "TensorRT-LLM MoE: near");
    /* ... but none on Apple silicon */
    rs = scen("llama-3-8b", "m2-ultra", "bf16", 1, 1, 512, 128, "trtllm");
    cr_assert(estimate(&rs->s).far_band, "TensorRT-LLM on Apple: none");
    /* the model's class: SGLang's 6 runs on datacenter NVIDIA are all MoE ([2, 6, 6]), so a
     * dense model is not near: its band 0.819 .. 1.531 widens to 0.819 / 1.6 = 0.511875 ..
     * 1.531 x 1.6 = 2.4496; a MoE model keeps it */
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 512, 128, "sglang");
    r = estimate(&rs->s);
    cr_assert(r.far_band && r.far_class, "SGLang dense: far");
    assert_rel(r.tpot_low_s, r.tpot_s * 0.511875, 1e-9, "sglang dense low");
    assert_rel(r.tpot_high_s, r.tpot_s * 2.4496, 1e-9, "sglang dense high");
    rs = scen("mixtral-8x7b", "h100-sxm", "fp8", 2, 1, 512, 128, "sglang");
    r = estimate(&rs->s);
    cr_assert(!r.far_band && !r.far_class, "SGLang MoE: near");
    assert_rel(r.tpot_high_s, r.tpot_s * 1.531, 1e-9, "sglang MoE high");
    /* llama.cpp's 213 runs are all dense ([.., 0]): a MoE model is far on every family */
    rs = scen("mixtral-8x7b", "m2-ultra", "q4_0", 1, 1, 512, 128, "llama.cpp");
    r = estimate(&rs->s);
    cr_assert(r.far_band && r.far_class, "llama.cpp MoE: far");
    /* the ideal roofline is no engine's estimate: never widened */
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 512, 128, NULL);
    cr_assert(!estimate(&rs->s).far_band, "ideal");
}

/* Efficiency by shape (shape.c, doc/method.md "Efficiency by shape"). */
Test(shape, soft_ridge_is_the_two_norm)
{
    /* 3-4-5: a kernel with 3 us of math and 4 us of streaming takes 5 us, not max = 4 */
    assert_rel(rt_shape_gemm(3e-6, 4e-6), 5e-6, 1e-12, "3-4-5");
    /* at the ridge (tc = tm) sqrt 2 times either: 10 us -> 14.142 us */
    assert_rel(rt_shape_gemm(10e-6, 10e-6), 14.1421356e-6, 1e-8, "ridge");
    /* far from it the larger: decode GEMV at batch 1 on an H100 in BF16, 2 FLOPs per
     * 2 bytes against a ridge of 295: tc/tm = 1/295, +0.00057% */
    assert_rel(rt_shape_gemm(1.0 / 295, 1.0), 1.0000057, 1e-7, "GEMV");
    /* a term that is absent (no compute figure for the device) leaves the other */
    assert_rel(rt_shape_gemm(0, 2e-3), 2e-3, 1e-15, "bandwidth only");
    assert_rel(rt_shape_gemm(2e-3, 0), 2e-3, 1e-15, "compute only");
}

Test(shape, grouped_moe_near_the_ridge_on_the_deepgemm_shape)
{
    /* DeepGEMM's grouped GEMM (README, first commit): 4 groups x 256 tokens, N = 4096,
     * K = 7168, FP8 on H800 (1979 TFLOP/s, 3.35 TB/s): 2 x 1024 x 4096 x 7168 = 60.13
     * GFLOP, tc = 30.39 us; bytes 4 x 4096 x 7168 + 1024 x 7168 + 1024 x 4096 x 2 =
     * 133.1 MB, tm = 39.74 us.  max() says 39.74 us; the 2-norm 50.03 us; measured
     * 932 TFLOP/s = 64.5 us (the rest is the kernel's far-field efficiency) */
    double tc = 2.0 * 1024 * 4096 * 7168 / 1979e12;
    double tm = (4.0 * 4096 * 7168 + 1024.0 * 7168 + 1024.0 * 4096 * 2) / 3.35e12;
    assert_rel(tc, 30.39e-6, 1e-3, "tc");
    assert_rel(tm, 39.74e-6, 1e-3, "tm");
    assert_rel(rt_shape_gemm(tc, tm), 50.03e-6, 1e-3, "2-norm %.5g", rt_shape_gemm(tc, tm));
}

/* The ideal engine plus one tile per CTA: 128 columns, 38.5 GB/s per CTA for 8-bit
 * weights (presets/engines.cfg, SGLang). */
static struct rt_engine tiled(const struct rt_engine *base)
{
    struct rt_engine e = *base;
    e.tile_n = 128;
    e.tile_bw[1] = 38.5e9;
    return e;
}

Test(kernels, narrow_gemms_wait_for_one_tile_stream)
{
    /* DeepSeek-V3 FP8 (1 byte per weight) on 8 x H200 (4.8 TB/s, the ideal engine's MBU 1),
     * batch 1.  A GEMM adds max(0, K x 128 / 38.5e9 - its bytes on one device / 4.8e12):
     * attention, per layer (heads and o's K over 8):
     *   q_a  K 7168: 917504 / 38.5e9 = 23.8313 us, less 7168 x 1536 / 8 / 4.8e12 = 0.2867: 23.5446
     *   q_b  K 1536: 196608 / 38.5e9 = 5.1067, less 1536 x 128 x 192 / 8 / 4.8e12 = 0.9830: 4.1237
     *   kv_a K 7168: 23.8313, less 7168 x 576 / 8 / 4.8e12 = 0.1075: 23.7238
     *   o    K 2048: 262144 / 38.5e9 = 6.8089, less 16384 x 7168 / 8 / 4.8e12 = 3.0584: 3.7506
     *   55.1426 us x 61 layers = 3363.70 us.
     * FFN: 3 dense layers (I 18432): gate_up K 7168: 23.8313 - 6.8813 = 16.9500; down K 2304:
     *   7.6600 - 3.4406 = 4.2194; 21.1694 x 3 = 63.51 us.  58 MoE layers: 8 experts touched,
     *   their gate_up K 7168: 23.8313 - 8 x 2 x 2048 x 7168 / 8 / 4.8e12 (6.1167) = 17.7146;
     *   their down K 256: 0.8511 < 3.0584: 0; shared gate_up 23.8313 - 0.7646 = 23.0667,
     *   down K 256: 0.8511 - 0.3823 = 0.4688; 41.2501 x 58 = 2392.51 us; FFN 2456.01 us. */
    struct rt_resolved *rs = scen("deepseek-v3", "h200", "fp8", 8, 1, 128, 1, NULL);
    struct rt_result plain = estimate(&rs->s);
    struct rt_engine e = tiled(rs->s.engine);
    rs->s.engine = &e;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_attn - plain.decode.t_attn, 3363.70e-6, 1e-5, "projections %.8g",
               r.decode.t_attn - plain.decode.t_attn);
    assert_rel(r.decode.t_ffn - plain.decode.t_ffn, 2456.01e-6, 1e-5, "FFN %.8g", r.decode.t_ffn - plain.decode.t_ffn);
    assert_rel(r.decode.t_overhead, plain.decode.t_overhead, 1e-12, "no fixed cost");
}

Test(kernels, wide_grouped_gemm_and_16_bit_weights_stream_as_before)
{
    /* Batch 32: 256 x (1 - (248/256)^32) = 163.31 experts touched; their gate_up streams
     * 163.31 x 3670016 B = 599.4 MB on one device, 124.9 us > 23.8 us; down 62.4 us > 0.85:
     * the routed experts add nothing; the shared expert adds its 23.5355 us as at batch 1:
     * FFN 63.51 + 58 x 23.5355 = 1428.57 us.  The attention GEMMs are as at batch 1 (their
     * bytes do not depend on the batch): 3363.70 us. */
    struct rt_resolved *rs = scen("deepseek-v3", "h200", "fp8", 8, 32, 128, 1, NULL);
    struct rt_result plain = estimate(&rs->s);
    struct rt_engine e = tiled(rs->s.engine);
    rs->s.engine = &e;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_ffn - plain.decode.t_ffn, 1428.57e-6, 1e-5, "FFN %.8g", r.decode.t_ffn - plain.decode.t_ffn);
    assert_rel(r.decode.t_attn - plain.decode.t_attn, 3363.70e-6, 1e-5, "projections");
    /* 16-bit weights (class 0) have no per-CTA rate: nothing changes */
    rs = scen("deepseek-v3", "h200", "bf16", 16, 1, 128, 1, NULL);
    plain = estimate(&rs->s);
    e = tiled(rs->s.engine);
    rs->s.engine = &e;
    r = estimate(&rs->s);
    assert_rel(r.decode.time_s, plain.decode.time_s, 1e-12, "bf16 unchanged");
}

Test(kernels, tile_bound_off_on_the_devices_listed_as_running_another_kernel)
{
    /* SGLang's block-FP8 linears run DeepGEMM on Hopper and Triton elsewhere
     * (presets/engines.cfg, tile_except); its fused-MoE kernel is Triton on both.
     * DeepSeek-V3 FP8 at batch 1 on 8 x H200 listed: the projections add nothing; the
     * routed experts' grouped gate_up adds as in narrow_gemms_wait_for_one_tile_stream,
     * 23.8313 - 6.1167 = 17.7146 us x 58 = 1027.45 us (the shared expert and the dense
     * FFNs are linears: nothing).
     * On 8 x B200 (8 TB/s, not listed) the attention GEMMs add, per layer:
     *   q_a  917504 / 38.5e9 = 23.8313 us, less 7168 x 1536 / 8 / 8e12 = 0.1720: 23.6592
     *   q_b  5.1067, less 1536 x 128 x 192 / 8 / 8e12 = 0.5898: 4.5169
     *   kv_a 23.8313, less 7168 x 576 / 8 / 8e12 = 0.0645: 23.7668
     *   o    6.8089, less 16384 x 7168 / 8 / 8e12 = 1.8350: 4.9739
     *   56.9168 us x 61 layers = 3471.93 us. */
    struct rt_resolved *rs = scen("deepseek-v3", "h200", "fp8", 8, 1, 128, 1, NULL);
    struct rt_result plain = estimate(&rs->s);
    struct rt_engine e = tiled(rs->s.engine);
    snprintf(e.tile_except, sizeof e.tile_except, "h100-sxm h200 gh200");
    rs->s.engine = &e;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_attn, plain.decode.t_attn, 1e-12, "H200 listed: projections unchanged");
    assert_rel(r.decode.t_ffn - plain.decode.t_ffn, 1027.45e-6, 1e-5, "H200 listed: routed experts %.8g",
               r.decode.t_ffn - plain.decode.t_ffn);
    rs = scen("deepseek-v3", "b200", "fp8", 8, 1, 128, 1, NULL);
    plain = estimate(&rs->s);
    e = tiled(rs->s.engine);
    snprintf(e.tile_except, sizeof e.tile_except, "h100-sxm h200 gh200");
    rs->s.engine = &e;
    r = estimate(&rs->s);
    assert_rel(r.decode.t_attn - plain.decode.t_attn, 3471.93e-6, 1e-5, "B200 projections %.8g",
               r.decode.t_attn - plain.decode.t_attn);
    /* an id that only begins like a listed one is not listed: "h200x" would not match */
    snprintf(e.tile_except, sizeof e.tile_except, "b20 b2000");
    r = estimate(&rs->s);
    assert_rel(r.decode.t_attn - plain.decode.t_attn, 3471.93e-6, 1e-5, "b200 not matched by b20/b2000");
}

Test(kernels, every_tile_exception_names_a_catalog_device)
{
    /* a misspelt id in a profile's tile_except would silently keep the bound on that
     * board: every listed id must be a device of the shipped catalog, and SGLang's list
     * is the Hopper boards of the catalog (DeepGEMM runs on SM90 only) */
    const struct catalog *c = cat();
    for (size_t i = 0; i < c->n_engines; i++) {
        const char *p = c->engines[i].tile_except;
        while (*p) {
            char id[RT_ID_MAX] = { 0 };
            size_t n = strcspn(p, " ");
            cr_assert(n > 0 && n < sizeof id, "%s: tile_except token", c->engines[i].id);
            memcpy(id, p, n);
            cr_assert_not_null(catalog_device(c, id), "%s: tile_except %s", c->engines[i].id, id);
            p += n;
            p += strspn(p, " ");
        }
    }
    const char *hopper[] = { "h100-sxm", "h100-pcie", "h100-nvl", "h200", "h20", "gh200" };
    const struct rt_engine *e = catalog_engine(c, "sglang");
    for (size_t i = 0; i < sizeof hopper / sizeof hopper[0]; i++)
        cr_assert(rt_id_listed(e->tile_except, hopper[i]), "sglang lists %s", hopper[i]);
    cr_assert(!rt_id_listed(e->tile_except, "b200") && !rt_id_listed(e->tile_except, "a100-sxm-80g"), "not listed");
}

Test(kernels, tile_bound_only_for_a_checkpoints_own_fp8_weights)
{
    /* The block-FP8 kernel runs FP8 checkpoints (DeepSeek-V3's, 128 x 128 block scales):
     * Llama 3.1 70B ships bf16, so -w fp8 is quantised at load (per tensor or channel,
     * another GEMM) and -w int8 computes at 16 bits: neither waits for a tile on B200. */
    const char *fmt[] = { "fp8", "int8" };
    for (int i = 0; i < 2; i++) {
        struct rt_resolved *rs = scen("llama-3.1-70b", "b200", fmt[i], 8, 1, 128, 1, NULL);
        struct rt_result plain = estimate(&rs->s);
        struct rt_engine e = tiled(rs->s.engine);
        rs->s.engine = &e;
        struct rt_result r = estimate(&rs->s);
        assert_rel(r.decode.time_s, plain.decode.time_s, 1e-12, "%s: unchanged", fmt[i]);
    }
}

Test(kernels, w8a8_quantisation_kernels_only_for_8_bit_weights)
{
    /* The counted engine plus quant8 = [2, 22, 2, 2] at 1.3 us each, DeepSeek-V3 FP8 (class 1)
     * at batch 1 in a graph: 2662.5 us as in deepseek_v3_decode_step_in_a_graph, plus
     * 61 x (2 + 22) x 1.3 = 1903.2, 3 dense FFNs x 2 x 1.3 = 7.8, 58 MoE blocks x 2 x 1.3
     * = 150.8: 4724.3 us. */
    struct rt_resolved *rs = scen("deepseek-v3", "h200", "fp8", 8, 1, 128, 1, NULL);
    struct rt_engine e = counted(rs->s.engine, 160);
    e.k_q8[0] = 2;
    e.k_q8[1] = 22;
    e.k_q8[2] = 2;
    e.k_q8[3] = 2;
    rs->s.engine = &e;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 4724.3e-6, 1e-9, "8-bit small kernels %.6g", r.decode.t_overhead);
    /* 16-bit weights (class 0) run none of them: 2662.5 us */
    rs = scen("deepseek-v3", "h200", "bf16", 16, 1, 128, 1, NULL);
    e = counted(rs->s.engine, 160);
    e.k_q8[1] = 22;
    rs->s.engine = &e;
    r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 2662.5e-6, 1e-9, "16-bit %.6g", r.decode.t_overhead);
}

Test(kernels, vllm_decode_step_counts_each_block_kind)
{
    /* presets/engines.cfg, vllm and vllm-async: 4 small kernels per mixer block (attention:
     * residual RMSNorm, RoPE, KV-cache store, decode attention; Mamba-2: RMSNorm,
     * causal_conv1d_update, selective_state_update, gated RMSNorm), 2 per dense FFN, 11 per
     * MoE block plus 2 activation quantisations with 8-bit weights, 3.18 us each in a graph.
     * Nemotron 3 Nano (hybrid_override_pattern: 23 M, 6 *, 23 E blocks, each block one
     * mixer or one FFN) in FP8 on 2 x B200 at batch 1 (in the graph, 1 <= 512):
     * 23 x 4 + 6 x 4 + 23 x (11 + 2) = 92 + 24 + 299 = 415 kernels x 3.18 = 1319.7 us. */
    const char *eng[] = { "vllm", "vllm-async" };
    for (int i = 0; i < 2; i++) {
        struct rt_resolved *rs = scen("nemotron-3-nano-30b-a3b", "b200", "fp8", 2, 1, 2048, 1, eng[i]);
        cr_assert_str_eq(rs->s.engine->id, eng[i]);
        struct rt_result r = estimate(&rs->s);
        assert_rel(r.decode.t_overhead, 1319.7e-6, 1e-9, "%s fp8 batch 1: %.6g", eng[i], r.decode.t_overhead);
    }
    /* 16-bit weights run no quantisation: 92 + 24 + 23 x 11 = 369 kernels x 3.18 = 1173.42 us */
    struct rt_resolved *rs = scen("nemotron-3-nano-30b-a3b", "b200", "bf16", 2, 1, 2048, 1, "vllm-async");
    assert_rel(estimate(&rs->s).decode.t_overhead, 1173.42e-6, 1e-9, "bf16");
    /* above the 512-batch graph limit each costs at least the 3.25 us launch:
     * 415 x 3.25 = 1348.75 us */
    rs = scen("nemotron-3-nano-30b-a3b", "b200", "fp8", 2, 600, 2048, 1, "vllm-async");
    assert_rel(estimate(&rs->s).decode.t_overhead, 1348.75e-6, 1e-9, "outside the graph");
    /* a dense model: Llama 3 8B, 32 layers x (4 + 2) x 3.18 = 610.56 us (no MoE, bf16) */
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 128, 1, "vllm");
    assert_rel(estimate(&rs->s).decode.t_overhead, 610.56e-6, 1e-9, "dense");
}

/* vLLM's 8-bit GEMM latency (presets/engines.cfg vllm, vllm-async gemm_latency_us [0, 1.64, 0]).
 * Its source, worked again here: vLLM's B200 timings of its CUTLASS FP8 GEMM inside a CUDA
 * graph (bench_fp8_gemm.py, "fp8-tensor-w-tensor-a-noquant"; PR #19566 N=6144 K=4096:
 * 8.431181 TFLOP/s at M=1, 137.806246 at M=16; PR #20071 N=4096 K=4096: 5.859361 at M=1,
 * 93.220465 at M=16).  Time = 2MNK / rate; less the bytes (N x K FP8 weights, M x K FP8
 * activations in, M x N BF16 out) over 8000 GB/s x 0.7 x 0.9 = 5.04 TB/s:
 *   6144x4096, M=1:  5.9697 - (25165824 + 4096 + 12288) / 5.04e12 = 5.9697 - 4.9965 = 0.9732 us
 *   6144x4096, M=16: 5.8438 - (25165824 + 65536 + 196608) / 5.04e12 = 5.8438 - 5.0452 = 0.7986
 *   4096x4096, M=1:  5.7266 - (16777216 + 4096 + 8192) / 5.04e12 = 5.7266 - 3.3312 = 2.3954
 *   4096x4096, M=16: 5.7592 - (16777216 + 65536 + 131072) / 5.04e12 = 5.7592 - 3.3678 = 2.3914
 * mean 1.640 us, the profile's 1.64.
 * Nemotron 3 Nano FP8 on 2 x B200 at batch 1: 29 mixer blocks x 2 GEMMs = 58 kernels
 * (58 x 1.64 = 95.12 us more attention time) and 23 MoE blocks x 4 = 92 (150.88 us more FFN
 * time) than the same profile without the latency; BF16 weights (class 0) pay none. */
Test(kernels, vllm_fp8_gemm_latency_from_its_b200_timings)
{
    const double pts[4][4] = { /* N, K, M, TFLOP/s */
        { 6144, 4096, 1, 8.431181 }, { 6144, 4096, 16, 137.806246 },
        { 4096, 4096, 1, 5.859361 }, { 4096, 4096, 16, 93.220465 } };
    const char *eng[] = { "vllm", "vllm-async" };
    for (int i = 0; i < 2; i++) {
        struct rt_resolved *rs = scen("nemotron-3-nano-30b-a3b", "b200", "fp8", 2, 1, 2048, 1, eng[i]);
        const struct rt_engine *p = rs->s.engine;
        double bw = rs->s.device->bandwidth * p->mbu * p->mbu_class[1], sum = 0;
        assert_rel(bw, 5.04e12, 1e-9, "the profile's 8-bit share of a B200");
        for (int j = 0; j < 4; j++) {
            double N = pts[j][0], K = pts[j][1], M = pts[j][2];
            double t = 2 * M * N * K / (pts[j][3] * 1e12);
            sum += t - (N * K + M * K + 2 * M * N) / bw;
        }
        assert_rel(sum / 4, 1.640e-6, 1e-3, "the published points' mean: %g", sum / 4);
        assert_rel(p->gemm_latency_s[1], sum / 4, 1e-3, "%s: the profile's figure", eng[i]);
        cr_assert(p->gemm_latency_s[0] == 0 && p->gemm_latency_s[2] == 0, "no 16-bit or low-bit figure");
        struct rt_result with = estimate(&rs->s);
        struct rt_engine e = *p;
        e.gemm_latency_s[1] = 0;
        rs->s.engine = &e;
        struct rt_result without = estimate(&rs->s);
        assert_rel(with.decode.t_attn - without.decode.t_attn, 95.12e-6, 1e-6, "%s mixers", eng[i]);
        assert_rel(with.decode.t_ffn - without.decode.t_ffn, 150.88e-6, 1e-6, "%s MoE", eng[i]);
        assert_rel(with.decode.t_overhead, without.decode.t_overhead, 1e-12, "small kernels unchanged");
    }
    struct rt_resolved *rs = scen("nemotron-3-nano-30b-a3b", "b200", "bf16", 2, 1, 2048, 1, "vllm-async");
    struct rt_result with = estimate(&rs->s);
    struct rt_engine e = *rs->s.engine;
    e.gemm_latency_s[1] = 0;
    rs->s.engine = &e;
    assert_rel(estimate(&rs->s).decode.time_s, with.decode.time_s, 1e-12, "bf16: no 8-bit latency");
}

Test(kernels, a_hybrid_block_ends_in_one_all_reduce)
{
    /* Nemotron-H's blocks are each one mixer or one FFN (hybrid_override_pattern: 23 Mamba-2,
     * 6 attention, 23 MoE): each ends in one row-parallel projection and so one all-reduce,
     * 52 per pass at tensor parallel 2, not two per layer (104).  A dense layer has both:
     * Llama 3 8B at TP2, 2 x 32 = 64.  Each all-reduce of one token's hidden state is
     * collective.c's (the same call, so the counts alone are checked). */
    struct rt_resolved *rs = scen("nemotron-3-nano-30b-a3b", "b200", "fp8", 2, 1, 2048, 1, "ideal");
    double one = rt_tp_allreduce_s(&rs->s, 1);
    cr_assert(one > 0, "an all-reduce at TP2 takes time");
    assert_rel(estimate(&rs->s).decode.t_comm, 52 * one, 1e-9, "hybrid: one per block");
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 2, 1, 128, 1, "ideal");
    one = rt_tp_allreduce_s(&rs->s, 1);
    assert_rel(estimate(&rs->s).decode.t_comm, 64 * one, 1e-9, "dense: two per layer");
}

/* An engine with its own one-shot all-reduce (vLLM, custom_ar_bytes [8388608, 524288, 262144]) runs a
 * decode step's small all-reduces with it; the ideal roofline keeps NCCL's.  Llama 3 8B
 * on 8 H100 SXM (NVLink 450 GB/s), one sequence: 64 all-reduces of 4096 x 2 = 8192 B,
 * under 256 KiB: vLLM 64 x (5.72 + 7 x 8192 / (450e9 x 0.817) = 0.156) = 376.06 us;
 * NCCL 64 x (16.68 + 1.75 x 8192 / 367.65e9 = 0.039) = 1070.02 us.  At 64 sequences
 * (524,288 B, above 256 KiB) both are NCCL's: 64 x (16.68 + 2.496) = 1227.3 us. */
Test(kernels, an_engines_own_all_reduce_runs_the_decode_steps)
{
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 8, 1, 128, 1, "vllm");
    assert_rel(estimate(&rs->s).decode.t_comm, 376.06e-6, 1e-3, "vllm: %g", estimate(&rs->s).decode.t_comm);
    assert_rel(rt_tp_allreduce_s(&rs->s, 64), 19.176e-6, 1e-3, "64 tokens: %g", rt_tp_allreduce_s(&rs->s, 64));
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 8, 1, 128, 1, "ideal");
    assert_rel(estimate(&rs->s).decode.t_comm, 1070.02e-6, 1e-3, "ideal: %g", estimate(&rs->s).decode.t_comm);
}

/* Each engine its own limit (engines.cfg custom_ar_bytes): 24 tokens of Llama 3 70B's 8192-wide
 * hidden state are 24 x 8192 x 2 = 393,216 B.  On 8 H100 SXM that is at or above vLLM's
 * 256 KiB (262,144 B), so vLLM runs its two-shot, costed as NCCL's: 16.68 + 1.75 x 393216 /
 * 367.65e9 = 18.552 us; TensorRT-LLM's plugin runs its one-shot under 500 KB: 5.72 + 7 x
 * 393216 / 367.65e9 = 13.207 us.  On 2 GPUs both run the one-shot: 5.72 + 393216 /
 * 367.65e9 = 6.790 us. */
Test(kernels, each_engine_runs_its_own_kernel_up_to_its_own_limit)
{
    struct rt_resolved *rs = scen("llama-3-70b", "h100-sxm", "bf16", 8, 1, 128, 1, "vllm");
    assert_rel(rt_tp_allreduce_s(&rs->s, 24), 18.552e-6, 1e-3, "vllm: %g", rt_tp_allreduce_s(&rs->s, 24));
    rs = scen("llama-3-70b", "h100-sxm", "bf16", 8, 1, 128, 1, "trtllm-cpp");
    assert_rel(rt_tp_allreduce_s(&rs->s, 24), 13.207e-6, 1e-3, "trtllm-cpp: %g", rt_tp_allreduce_s(&rs->s, 24));
    rs = scen("llama-3-70b", "h100-sxm", "bf16", 2, 1, 128, 1, "vllm");
    assert_rel(rt_tp_allreduce_s(&rs->s, 24), 6.790e-6, 1e-3, "vllm TP2: %g", rt_tp_allreduce_s(&rs->s, 24));
}

/* MiniMax-M2's q and k norms span all the layer's heads (config.json qk_norm_type
 * "per_layer"; models.cfg minimax-m2.5); split over tensor-parallel devices, vLLM all-reduces
 * each norm's variance (presets/engines.cfg vllm-async qk_norm_tp = 4, qk_norm_tp_reduces =
 * 2: q_norm and k_norm, each a kernel before its all-reduce and one after).  Qwen3's
 * per-head norms need none.  MiniMax-M2.5 FP8 on 4 x B200 at batch 1 (in the graph), 62
 * layers, each attention + MoE:
 *   small kernels: 62 x (4 + 4) + 62 x (11 + 2) = 496 + 806 = 1302 x 3.18 = 4140.36 us;
 *   at TP 1 no norm all-reduce and no kernels of its own: 62 x 4 + 806 = 1054 x 3.18 = 3351.72 us;
 *   all-reduces: the 2 x 62 = 124 of the hidden state, plus 124 of one fp32 a token, each
 *   NCCL's, not vLLM's one-shot kernel (4 B is not a whole 16-byte packet): 4 steps x
 *   2.78 us (collective.c, NVLink: a tree of 4 ranks, 2 x log2 4 = 4 < a ring's 6) and
 *   2 x 3/4 x 4 B over the link (picoseconds): 124 x 11.12 = 1378.88 us. */
Test(kernels, a_qk_norm_over_every_head_all_reduces_under_tp)
{
    struct rt_resolved *rs = scen("minimax-m2.5", "b200", "fp8", 4, 1, 2048, 1, "vllm-async");
    int n;
    const struct rt_group *g = rt_groups(rs->s.model, &n);
    bool seen = false;
    for (int i = 0; i < n; i++)
        if (g[i].mixer == RT_MIX_ATTENTION)
            seen = seen || g[i].qk_norm_tp;
    cr_assert(seen, "minimax-m2.5: qk_norm_type per_layer");
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 4140.36e-6, 1e-9, "TP4: %.6g", r.decode.t_overhead);
    double one = rt_tp_allreduce_s(&rs->s, 1);
    assert_rel(r.decode.t_comm - 124 * one, 1378.88e-6, 1e-4, "the norms' all-reduces: %.6g", r.decode.t_comm - 124 * one);
    struct rt_scenario s1 = rs->s;
    s1.tp = 1;
    s1.devices = 1;
    r = estimate(&s1);
    assert_rel(r.decode.t_overhead, 3351.72e-6, 1e-9, "TP1: %.6g", r.decode.t_overhead);
    cr_assert(r.decode.t_comm == 0, "%g", r.decode.t_comm);
    /* an engine that counts no such all-reduce (the ideal roofline): only the hidden state's */
    rs = scen("minimax-m2.5", "b200", "fp8", 4, 1, 2048, 1, "ideal");
    assert_rel(estimate(&rs->s).decode.t_comm, 124 * rt_tp_allreduce_s(&rs->s, 1), 1e-9, "ideal");
    /* Qwen3's norms are per head: nothing crosses the devices */
    rs = scen("qwen3-32b", "h100-sxm", "bf16", 2, 1, 2048, 1, "vllm-async");
    g = rt_groups(rs->s.model, &n);
    for (int i = 0; i < n; i++)
        cr_assert(!g[i].qk_norm_tp || g[i].mixer != RT_MIX_ATTENTION, "qwen3: per-head norms");
}

Test(kernels, layer_cost_scales_with_the_gpu_clock)
{
    /* doc/method.md, "Fixed costs per layer by GPU clock": a profile that states its per-layer
     * cost at a clock pays it scaled by that clock over the device's boost clock.  Llama 2 7B
     * (32 layers), the ideal engine with 100 us a layer stated at 2520 MHz:
     *   A100 PCIe 80GB (1410 MHz): 32 x 100 x 2520 / 1410 = 5719.149 us;
     *   RTX 4090 (2520 MHz): 32 x 100 = 3200 us;
     *   the A100 with its clock removed: unscaled, 3200 us;
     *   no stated clock: 3200 us on either. */
    struct rt_resolved *rs = scen("llama-2-7b", "a100-pcie-80g", "fp16", 1, 1, 128, 16, NULL);
    struct rt_engine e = *rs->s.engine;
    e.layer_overhead_s = 100e-6;
    e.layer_clock_hz = 2520e6;
    rs->s.engine = &e;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 32 * 100e-6 * 2520.0 / 1410.0, 1e-9, "A100 %.6g", r.decode.t_overhead);
    struct rt_device d = *rs->s.device;
    d.boost_hz = 0;
    rs->s.device = &d;
    r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 3200e-6, 1e-9, "no clock given %.6g", r.decode.t_overhead);
    e.layer_clock_hz = 0;
    d.boost_hz = 1410e6;
    r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 3200e-6, 1e-9, "no stated clock %.6g", r.decode.t_overhead);

    rs = scen("llama-2-7b", "rtx-4090", "fp16", 1, 1, 128, 16, NULL);
    e = *rs->s.engine;
    e.layer_overhead_s = 100e-6;
    e.layer_clock_hz = 2520e6;
    rs->s.engine = &e;
    r = estimate(&rs->s);
    assert_rel(r.decode.t_overhead, 3200e-6, 1e-9, "RTX 4090 %.6g", r.decode.t_overhead);
}

/* The vllm-rocm profile with its FP4 path's figures removed (no tile bound, no FP4
 * activation quantisations). */
static struct rt_engine without_fp4_path(const struct rt_engine *base)
{
    struct rt_engine e = *base;
    e.tile_n = 0;
    memset(e.k_q4, 0, sizeof e.k_q4);
    return e;
}

Test(kernels, vllm_rocm_fp4_figures_from_aiters_tuned_table)
{
    /* presets/engines.cfg, vllm-rocm: AITER's tuned A4W4 table (PR #838, the 355_wip branch)
     * times the down projection of Llama 70B (N 8192, K 28672) at M = 1 on 256 CUs at
     * 70.6455 us, one 128-column tile a workgroup: 28672 x 128 x 4.25 / 8 = 1,949,696 bytes
     * in 70.6455 us = 27.598 GB/s; quant4 counts qkv and o, gate_up and down. */
    const struct rt_engine *e = catalog_engine(cat(), "vllm-rocm");
    cr_assert_not_null(e);
    assert_rel(28672.0 * 128 * 4.25 / 8, 1949696.0, 1e-12, "tile bytes");
    assert_rel(e->tile_bw[2], 1949696.0 / 70.6455e-6, 1e-3, "one workgroup's rate %.6g", e->tile_bw[2]);
    assert_rel(e->tile_n, 128, 1e-12, "tile width");
    cr_assert(e->tile_bw[0] == 0 && e->tile_bw[1] == 0, "the FP4 kernel only");
    cr_assert(e->tile_dense_only, "its experts run another kernel");
    cr_assert(e->k_q4[0] == 2 && e->k_q4[1] == 0 && e->k_q4[2] == 2 && e->k_q4[3] == 0, "quant4");
    cr_assert(catalog_engine(cat(), "sglang")->tile_dense_only == false, "SGLang's fused-MoE has the tiles");
}

Test(kernels, fp4_linears_on_fp4_units_wait_for_a_tile_and_quantise)
{
    /* Llama 3.3 70B (hidden 8192, 64 heads, 8 KV heads of 128, FFN 28672, 80 layers) in
     * MXFP4 (4.25 bits: 0.53125 bytes a weight) on one MI355X under vllm-rocm, batch 1.
     * Its weights stream at 0.7 x 0.75 of the measured 6322.69 GB/s = 3319.41 GB/s; one
     * tile's stream at 27.6 GB/s: K 8192: 557,056 B, 20.1832 us; K 28672: 70.6412 us.
     *   qkv  8192 x 10240 x 0.53125 / 3319.41e9 = 13.4254 us: adds 6.7578
     *   o    8192 x 8192: 10.7403 us: adds 9.4429
     *   gate_up 57344 x 8192: 75.18 us > 20.18: nothing
     *   down 8192 x 28672: 37.5912 us: adds 33.0500
     * projections 80 x 16.2007 = 1296.05 us, FFN 80 x 33.0500 = 2644.00 us; and 4 FP4
     * quantisations a layer at 3.18 us in the graph (1 <= 512): 80 x 4 x 3.18 = 1017.6 us. */
    struct rt_resolved *rs = scen("llama-3.3-70b", "mi355x", "mxfp4", 1, 1, 128, 1, "vllm-rocm");
    struct rt_result r = estimate(&rs->s);
    struct rt_engine e = without_fp4_path(rs->s.engine);
    rs->s.engine = &e;
    struct rt_result plain = estimate(&rs->s);
    assert_rel(r.decode.t_attn - plain.decode.t_attn, 1296.05e-6, 1e-5, "projections %.8g",
               r.decode.t_attn - plain.decode.t_attn);
    assert_rel(r.decode.t_ffn - plain.decode.t_ffn, 2644.00e-6, 1e-5, "FFN %.8g", r.decode.t_ffn - plain.decode.t_ffn);
    assert_rel(r.decode.t_overhead - plain.decode.t_overhead, 1017.6e-6, 1e-9, "quantisations %.8g",
               r.decode.t_overhead - plain.decode.t_overhead);
}

Test(kernels, fp4_path_figures_skip_dequantised_fp4_and_16_bit_projections)
{
    /* The MI300X has no FP4 units: vLLM's Quark MXFP4 scheme dequantises (emulates), so no
     * FP4 kernel runs and nothing changes.  gpt-oss-120b (its native checkpoint) on an MI355X keeps its attention
     * in bf16 (16-bit GEMMs, 16-bit inputs), has no dense FFN, and its routed experts run
     * AITER's fused MoE (tile_experts false, quant4 0 per MoE block): nothing changes. */
    const char *model[] = { "llama-3.3-70b", "gpt-oss-120b" };
    const char *gpu[] = { "mi300x", "mi355x" };
    const char *w[] = { "mxfp4", "native" };
    for (int i = 0; i < 2; i++) {
        struct rt_resolved *rs = scen(model[i], gpu[i], w[i], 1, 1, 128, 1, "vllm-rocm");
        struct rt_result r = estimate(&rs->s);
        struct rt_engine e = without_fp4_path(rs->s.engine);
        rs->s.engine = &e;
        struct rt_result plain = estimate(&rs->s);
        assert_rel(r.decode.time_s, plain.decode.time_s, 1e-12, "%s on %s unchanged", model[i], gpu[i]);
    }
}

/* A grouped MoE GEMM that computes its padding (engine moe_pad_block; kernels.c
 * moe_pad_work; vLLM with DeepGEMM before PR #30494).  MiniMax-M2.5 at TP4: 62 MoE blocks of
 * 256 experts, top 8, width 1536 (384 a device), hidden 3072, its own block-FP8 weights.
 * One token: round_up(8 + 256 x 127, 128) = round_up(32520, 128) = 32640 rows, 32632 of them
 * padding.  16 tokens: 128 + 32512 = 32640 rows, 32512 padding.  Per padded row on a device:
 * 2 x 3 x 384 x 3072 = 7,077,888 FLOPs (gate, up and down); bytes 3072 (the FP8 input row)
 * + 2 x 768 x 2 (the first GEMM's 16-bit output, written and read) + 2 x 384 x 2 (the
 * activation's, written and read) + 384 x 2 (the FP8 quantisation, written and read) + 3072
 * x 2 (the second GEMM's 16-bit output) = 3072 + 3072 + 3072 + 1536 + 768 + 6144 = 14,592.
 * A step at one token so does 4 x 62 x 32632 x 7,077,888 = 5.72793e13 more FLOPs over the
 * four devices and moves 4 x 62 x 32632 x 14592 = 1.18088e11 more bytes; 16 tokens,
 * 4 x 62 x 32512 x 7,077,888 and 4 x 62 x 32512 x 14592. */
Test(kernels, a_grouped_gemm_that_computes_its_padding)
{
    const double per_f = 2.0 * 3 * 384 * 3072, per_b = 3072 + 2 * 768 * 2 + 2 * 384 * 2 + 384 * 2 + 3072 * 2;
    cr_assert(per_f == 7077888 && per_b == 14592, "%g %g", per_f, per_b);
    const int64_t batch[2] = { 1, 16 };
    const double pad[2] = { 32632, 32512 };
    for (int i = 0; i < 2; i++) {
        struct rt_resolved *rs = scen("minimax-m2.5", "b200", "fp8", 4, batch[i], 2048, 1, "vllm-async");
        cr_assert(rs->s.engine->moe_pad_block == 0, "no shipped profile pads");
        struct rt_result plain = estimate(&rs->s);
        struct rt_engine e = *rs->s.engine;
        e.moe_pad_block = 128;
        rs->s.engine = &e;
        struct rt_result r = estimate(&rs->s);
        assert_rel(r.decode.flops - plain.decode.flops, 4 * 62 * pad[i] * per_f, 1e-9, "FLOPs at %lld",
                   (long long)batch[i]);
        assert_rel(r.decode.bytes - plain.decode.bytes, 4 * 62 * pad[i] * per_b, 1e-9, "bytes at %lld",
                   (long long)batch[i]);
        cr_assert(r.decode.t_ffn > plain.decode.t_ffn, "the block takes longer");
        assert_rel(r.decode.t_attn, plain.decode.t_attn, 1e-12, "the mixers are untouched");
        /* not on this path: 8-way TP (DeepGEMM's MoE off by default, vLLM PR #29346), expert
         * parallel (counts on the host), 16-bit weights, FP8 not the checkpoint's own */
        struct rt_scenario s = rs->s;
        s.tp = 8;
        s.devices = 8;
        struct rt_engine e0 = e;
        e0.moe_pad_block = 0;
        struct rt_scenario s0 = s;
        s0.engine = &e0;
        assert_rel(estimate(&s).decode.flops, estimate(&s0).decode.flops, 1e-12, "TP8");
        s = rs->s;
        s.ep = 4;
        s0 = s;
        s0.engine = &e0;
        assert_rel(estimate(&s).decode.flops, estimate(&s0).decode.flops, 1e-12, "EP4");
    }
    struct rt_resolved *rs = scen("minimax-m2.5", "b200", "bf16", 4, 1, 2048, 1, "vllm-async");
    struct rt_result plain = estimate(&rs->s);
    struct rt_engine e = *rs->s.engine;
    e.moe_pad_block = 128;
    rs->s.engine = &e;
    assert_rel(estimate(&rs->s).decode.flops, plain.decode.flops, 1e-12, "bf16 weights");
    rs = scen("qwen3-30b-a3b", "h100-sxm", "fp8", 1, 1, 2048, 1, "vllm-async");
    plain = estimate(&rs->s);
    e = *rs->s.engine;
    e.moe_pad_block = 128;
    rs->s.engine = &e;
    assert_rel(estimate(&rs->s).decode.flops, plain.decode.flops, 1e-12, "FP8 quantised at load");
}
