/* test_core.c - the estimator against hand-worked and published figures.
 * Sources: the worked numbers of doc/method.md (sections 1-5), the models'
 * published parameter counts and the closed forms of older calculators. */
#include "helpers.h"

static struct rt_params params_of(const char *id)
{
    const struct rt_model *m = catalog_model(cat(), id);
    cr_assert_not_null(m, "model %s", id);
    struct rt_params p;
    rt_count_params(m, &p);
    return p;
}

/* --- parameter counts --- */

Test(params, methodology_exact_counts)
{
    /* computed counts, checked by hand */
    assert_rel(params_of("llama-3-8b").total, 8.0303e9, 1e-4, "Llama 3 8B");
    assert_rel(params_of("llama-3-70b").total, 70.5537e9, 1e-4, "Llama 3 70B");
    assert_rel(params_of("llama-2-7b").total, 6.7384e9, 1e-4, "Llama 2 7B");
    assert_rel(params_of("mistral-7b").total, 7.2417e9, 1e-4, "Mistral 7B");
    assert_rel(params_of("gemma-2-9b").total, 9.2417e9, 1e-4, "Gemma 2 9B");
    assert_rel(params_of("gemma-2-27b").total, 27.227e9, 1e-4, "Gemma 2 27B");
    assert_rel(params_of("qwen2.5-7b").total, 7.6156e9, 1e-4, "Qwen2 7B (qkv bias)");
    assert_rel(params_of("deepseek-v3").total, 671.03e9, 1e-4, "DeepSeek-V3 total");
    assert_rel(params_of("deepseek-v3").active, 37.55e9, 1e-3, "DeepSeek-V3 active incl. embedding");
}

Test(params, official_figures_within_half_a_percent)
{
    static const char *const ids[] = { "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mixtral-8x7b",
                                       "deepseek-v3", "qwen3-235b-a22b", "mixtral-8x22b" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const struct rt_model *m = catalog_model(cat(), ids[i]);
        struct rt_params p = params_of(ids[i]);
        assert_rel(p.total, m->official_params, 0.005, "%s total %.4g vs %.4g", ids[i], p.total, m->official_params);
    }
    /* Mixtral 8x7B active 12.9 B (Mistral); 8x22B 39 B */
    assert_rel(params_of("mixtral-8x7b").active, 12.9e9, 0.005, "Mixtral 8x7B active");
    assert_rel(params_of("mixtral-8x22b").active, 39.0e9, 0.005, "Mixtral 8x22B active");
}

Test(params, deepseek_mla_attention_per_layer)
{
    /* worked by hand: 187.1 M attention params per layer */
    assert_rel(params_of("deepseek-v3").attn_layer, 187.1e6, 5e-4, "MLA attention per layer");
}

Test(params, gqa_shrinks_kv_projections)
{
    /* worked by hand: Llama 3 70B attention is 151 M per layer, not 4h^2 = 268 M */
    assert_rel(params_of("llama-3-70b").attn_layer, 151.0e6, 0.005, "GQA attention per layer");
}

/* --- KV cache --- */

Test(kv, bytes_per_token_published)
{
    struct rt_format bf16 = { .bits = 16 };
    cr_assert_eq(rt_kv_bytes_per_token(catalog_model(cat(), "llama-3.1-70b"), &bf16, false), 327680.0);
    cr_assert_eq(rt_kv_bytes_per_token(catalog_model(cat(), "deepseek-v3"), &bf16, false), 70272.0);
    cr_assert_eq(rt_kv_bytes_per_token(catalog_model(cat(), "llama-2-13b"), &bf16, false), 819200.0);
    cr_assert_eq(rt_kv_bytes_per_token(catalog_model(cat(), "llama-3-8b"), &bf16, false), 131072.0);
}

Test(kv, sliding_windows_and_latent)
{
    struct rt_format bf16 = { .bits = 16 };
    const struct rt_model *g = catalog_model(cat(), "gemma-2-9b");
    /* worked by hand: 1.31 GiB at 4k, 1.97 GiB at 8k, 5.91 GiB at 32k */
    assert_rel(rt_kv_seq_bytes(g, &bf16, false, 4096) / GiB, 1.3125, 0.005, "Gemma 2 9B at 4k");
    assert_rel(rt_kv_seq_bytes(g, &bf16, false, 8192) / GiB, 1.97, 0.005, "Gemma 2 9B at 8k");
    assert_rel(rt_kv_seq_bytes(g, &bf16, false, 32768) / GiB, 5.91, 0.005, "Gemma 2 9B at 32k");
    /* Mistral 7B v0.1 rolling buffer: 0.5 GiB at 32k instead of 4 GiB */
    const struct rt_model *mi = catalog_model(cat(), "mistral-7b");
    assert_rel(rt_kv_seq_bytes(mi, &bf16, false, 32768) / GiB, 0.5, 1e-9, "Mistral window");
    /* DeepSeek-V3 at 32,768 tokens: 2196.0 MiB (ik_llama.cpp log) */
    assert_rel(rt_kv_seq_bytes(catalog_model(cat(), "deepseek-v3"), &bf16, false, 32768) / MiB, 2196.0, 1e-6,
               "DeepSeek MLA at 32k");
}

/* What an engine keeps of a sliding-window layer (engines.cfg swa_kv, src/core/swa.c).
 * Mistral 7B v0.1: 32 layers, all sliding (W 4096), 8 KV heads of 128: bf16 K and V
 * are 32 x 8 x 128 x 2 x 2 = 131,072 B a token.  Gemma 2 9B: 42 layers alternating
 * sliding (W 4096) and full, 8 KV heads of 256: 8 x 256 x 2 x 2 = 8,192 B a layer a token. */
Test(kv, engine_sliding_window_policy)
{
    struct rt_format bf16 = { .bits = 16 };
    struct rt_engine e = { .swa_kv = RT_SWAKV_WINDOW };
    struct rt_group g[RT_GROUPS_MAX];
    const struct rt_model *mi = catalog_model(cat(), "mistral-7b");
    int n;
    const int modes[] = { RT_SWAKV_WINDOW, RT_SWAKV_FULL, RT_SWAKV_HYBRID };
    /* at 32,768 tokens: the window keeps 4,096 x 131,072 B = 0.5 GiB; ignoring it
     * keeps 32,768 x 131,072 B = 4 GiB; "hybrid" treats an all-sliding model as full */
    const double mistral[] = { 0.5, 4.0, 4.0 };
    for (int k = 0; k < 3; k++) {
        e.swa_kv = modes[k];
        const struct rt_group *own = rt_groups(mi, &n); /* n is set by the call: read it after */
        memcpy(g, own, sizeof g[0] * (size_t)n);
        int64_t w = rt_engine_swa_groups(&e, g, n);
        cr_assert_eq(w, k == 0 ? 0 : 4096, "Mistral: the window removed (%d)", k);
        assert_rel(rt_kv_groups_dev_bytes(mi, g, n, &bf16, false, 32768, 1) / GiB, mistral[k], 1e-12,
                   "Mistral at 32k, policy %d", k);
    }
    /* Gemma 2 9B at 32,768: windows kept: 21 x 8,192 x (32,768 + 4,096) B = 5.906 GiB;
     * ignored: 42 x 8,192 x 32,768 B = 10.5 GiB; "hybrid" keeps them (the model mixes) */
    const struct rt_model *ge = catalog_model(cat(), "gemma-2-9b");
    const double gemma[] = { 21.0 * 8192 * 36864 / GiB, 10.5, 21.0 * 8192 * 36864 / GiB };
    for (int k = 0; k < 3; k++) {
        e.swa_kv = modes[k];
        const struct rt_group *own = rt_groups(ge, &n); /* n is set by the call: read it after */
        memcpy(g, own, sizeof g[0] * (size_t)n);
        rt_engine_swa_groups(&e, g, n);
        assert_rel(rt_kv_groups_dev_bytes(ge, g, n, &bf16, false, 32768, 1) / GiB, gemma[k], 1e-12,
                   "Gemma 2 at 32k, policy %d", k);
    }
}

/* Through a scenario: TensorRT-LLM's C++ runtime (swa_kv "full") against the same profile
 * keeping windows, Mistral 7B bf16, 20,000 + 2,000 tokens.  KV of the sequence: 22,000 x
 * 131,072 B = 2,883,584,000 B against 4,096 x 131,072 B = 536,870,912 B.  Decode reads the
 * cache each step: a mean 20,999.5 earlier tokens (contexts 20,000..21,999) plus the one
 * written, against 4,096 + 1: 21,000.5 / 4,097 = 5.1258x the bytes (at 4 FLOPs a byte, far
 * below the H100's ridge, the time follows the bytes). */
Test(kv, engine_without_windows_keeps_and_reads_everything)
{
    struct rt_resolved *rs = scen("mistral-7b", "h100-sxm", "bf16", 1, 1, 20000, 2000, "trtllm");
    struct rt_result full = estimate(&rs->s);
    struct rt_engine e = *rs->s.engine;
    e.swa_kv = RT_SWAKV_WINDOW;
    struct rt_scenario s = rs->s;
    s.engine = &e;
    struct rt_result win = estimate(&s);
    assert_rel(full.kv_cache_bytes, 2883584000.0, 1e-9, "TensorRT-LLM keeps 22,000 tokens");
    assert_rel(win.kv_cache_bytes, 536870912.0, 1e-9, "a window-keeping engine keeps 4,096");
    assert_rel(full.decode.t_kv / win.decode.t_kv, 21000.5 / 4097.0, 0.001, "decode KV time");
    cr_assert(full.warnings & RT_WARN_SWA_FULL, "the window not applied is said");
    cr_assert(!(win.warnings & RT_WARN_SWA_FULL));
    /* within the window nothing differs, and nothing is said */
    rs = scen("mistral-7b", "h100-sxm", "bf16", 1, 1, 3000, 1000, "trtllm");
    struct rt_result shortr = estimate(&rs->s);
    cr_assert(!(shortr.warnings & RT_WARN_SWA_FULL));
    assert_rel(shortr.kv_cache_bytes, 4000.0 * 131072, 1e-9, "4,000 tokens either way");
}

Test(kv, seed_formula_under_its_assumption)
{
    /* seeds/001: 1 * 10000 * 80 * 8192 * 2 * 2 = 26.2 GB for Llama 3.1 70B */
    struct rt_format bf16 = { .bits = 16 };
    const struct rt_model *m = catalog_model(cat(), "llama-3.1-70b");
    double seed = rt_seed_kv_bytes(1, 10000, 80, 8192, 2.0);
    cr_assert_eq(seed, 26214400000.0);
    cr_assert_eq(rt_kv_seq_bytes(m, &bf16, true, 10000), seed);
    /* ... and the right figure is 8x smaller (GQA, 8 of 64 heads) */
    cr_assert_eq(rt_kv_seq_bytes(m, &bf16, false, 10000) * 8, seed);
}

Test(kv, tensor_parallel_replicates_past_kv_heads)
{
    const struct rt_model *m = catalog_model(cat(), "llama-3.1-70b");
    assert_rel(rt_kv_tp_share(m, 8, false), 1.0 / 8, 1e-12, "tp 8 splits 8 heads");
    assert_rel(rt_kv_tp_share(m, 16, false), 1.0 / 8, 1e-12, "tp 16 keeps a whole head each");
    cr_assert_eq(rt_kv_tp_share(catalog_model(cat(), "deepseek-v3"), 8, false), 1.0, "MLA latent replicated");
}

/* --- FLOPs --- */

Test(flops, methodology_llama3_8b_prefill_and_decode)
{
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 2048, 1, NULL);
    struct rt_result r = estimate(&rs->s);
    /* 28.59 linear + 1.10 causal attention + 0.001 head = 29.69 TFLOP */
    assert_rel(r.prefill.flops, 29.69e12, 0.002, "prefill 2048: %.5g", r.prefill.flops);
    static const struct { int64_t S; double gflop; } d[] = { { 1024, 15.55 }, { 8192, 19.30 }, { 32768, 32.19 } };
    for (int i = 0; i < 3; i++) {
        rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, d[i].S, 1, NULL);
        r = estimate(&rs->s);
        assert_rel(r.decode.flops, d[i].gflop * 1e9, 0.002, "decode at %lld: %.5g", (long long)d[i].S, r.decode.flops);
    }
}

/* A model set to the seeds' assumptions: MHA, plain 4h FFN, no biases. */
static struct rt_model seed_model(void)
{
    struct rt_model m = { .id = "seed", .hidden = 1024, .layers = 8, .heads = 16, .kv_heads = 16,
                          .head_dim = 64, .v_head_dim = 64, .intermediate = 4096, .vocab = 1,
                          .ffn = RT_FFN_PLAIN, .norms_per_layer = 0 };
    m.n_groups = rt_plain_groups(&m, m.group); /* written by hand: its groups from the plain fields */
    return m;
}

static struct rt_scenario seed_scenario(const struct rt_model *m, int64_t B, int64_t S, int64_t O)
{
    static struct rt_device d = { .id = "a100", .memory_bytes = 80e9, .bandwidth = 2039e9,
                                  .peak = { [RT_FP16] = 312e12, [RT_BF16] = 312e12 } };
    static struct rt_format f = { .id = "fp16", .bits = 16, .compute = RT_FP16 };
    const struct rt_engine *e = catalog_engine(cat(), "ideal");
    struct rt_scenario s = { .model = m, .device = &d, .weights = &f, .kv = &f, .engine = e,
                             .devices = 1, .tp = 1, .pp = 1, .batch = B, .prompt = S, .output = O };
    return s;
}

Test(flops, seed_prefill_formula_under_its_assumptions)
{
    /* seeds/003: N (24 B S H^2 + 4 B S^2 H), full-square attention, no embeddings */
    struct rt_model m = seed_model();
    struct rt_scenario s = seed_scenario(&m, 4, 512, 1);
    s.assume.no_flash_attention = true; /* naive kernels score the whole square */
    struct rt_result r = estimate(&s);
    double head = 2.0 * 4 * 1024 * 1; /* lm_head: 2 h V per sequence, V = 1 */
    assert_rel(r.prefill.flops - head, rt_seed_prefill_flops(8, 4, 512, 1024), 1e-12, "seed prefill");
    /* with FlashAttention's causal skipping the attention part halves (plus the diagonal) */
    s.assume.no_flash_attention = false;
    r = estimate(&s);
    double causal = 8 * (24.0 * 4 * 512 * 1024 * 1024 + 4.0 * 4 * 1024 * (512.0 * 513 / 2) * 2 / 2);
    assert_rel(r.prefill.flops - head, causal, 1e-12, "causal prefill");
}

Test(flops, two_p_per_token)
{
    /* seeds/001: decode FLOPs = 2 * params per token; exact: plus the attention over
     * the one position (4 h L) and minus the embedding gather. */
    struct rt_model m = seed_model();
    struct rt_scenario s = seed_scenario(&m, 1, 0, 1);
    struct rt_result r = estimate(&s);
    struct rt_params p;
    rt_count_params(&m, &p);
    double expect = 2 * (p.total - p.embed - p.final_norm) + 4.0 * 1024 * 8; /* norms are no matmuls */
    assert_rel(r.decode.flops, expect, 1e-12, "2P per token");
}

/* --- bytes and time --- */

Test(roofline, methodology_llama3_8b_decode_h100)
{
    /* reading the whole embedding gives (16.06 + 0.54) GB / 3.35 TB/s = 4.95 ms at S = 4096, B = 1,
     * counting the whole input embedding as read; but the embedding is a gather of
     * B rows (by hand), so the weights read are 16.06 - 1.05 = 15.01 GB:
     * (15.01 + 0.537) GB / 3.35 TB/s = 4.641 ms. */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 4096, 1, NULL);
    struct rt_device nominal = *rs->s.device; /* at the datasheet's 989, not the measured 794.5 */
    nominal.attainable_flops = 0;
    rs->s.device = &nominal;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.decode.time_s, 4.641e-3, 0.005, "B=1 step %.4g", r.decode.time_s);
    cr_assert_eq(r.decode.bound, RT_MEMORY_BOUND);
    /* B = 64: KV reads 64 x 0.537 = 34.36 GB, more than twice the weights:
     * (15.01 + 34.36) / 3.35 = 14.74 ms (15.1 if the whole embedding were read).  Each
     * operation takes the 2-norm of its compute and streaming times (shape.c), by hand at
     * 989 TFLOP/s: projections 2 x 64 x 1.342e9 = 171.8 GFLOP, tc 0.174 ms against tm
     * 2.751 GB / 3.35 = 0.821 ms: +0.018 ms; FFN 2 x 64 x 5.637e9 = 721.5 GFLOP, tc 0.730
     * against 3.375 ms: +0.078; lm_head 67.2 GFLOP, tc 0.068 against 0.314: +0.007;
     * attention 137 GFLOP, tc 0.139 against 10.26 ms: +0.001.  14.74 + 0.104 = 14.85 ms */
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 64, 4096, 1, NULL);
    rs->s.device = &nominal;
    r = estimate(&rs->s);
    assert_rel(r.decode.time_s, 14.85e-3, 0.003, "B=64 step %.4g", r.decode.time_s);
    cr_assert_eq(r.decode.bound, RT_MEMORY_BOUND);
    /* at MBU 0.7: 4.641 / 0.7 = 6.63 ms per token */
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 4096, 1, NULL);
    struct rt_engine e = *rs->s.engine;
    e.mbu = 0.7;
    rs->s.engine = &e;
    r = estimate(&rs->s);
    assert_rel(r.decode.time_s, 6.63e-3, 0.005, "MBU 0.7");
}

Test(roofline, ridge_points)
{
    /* worked by hand: H100 SXM bf16 989e12 / 3.35e12 = 295; A100 80GB: 153 (seeds/003) */
    struct rt_result r = estimate(&scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 128, 1, NULL)->s);
    assert_rel(r.ridge_point, 295.2, 0.001, "H100 ridge");
    r = estimate(&scen("llama-3-8b", "a100-sxm-80g", "bf16", 1, 1, 128, 1, NULL)->s);
    assert_rel(r.ridge_point, 153.0, 0.001, "A100 ridge");
    /* critical batch: bf16 weights on H100 ~ 295; a long prefill is compute-bound */
    assert_rel(estimate(&scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 4096, 1, NULL)->s).critical_batch, 295.2, 0.001, "B_crit");
    cr_assert_eq(estimate(&scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 4096, 1, NULL)->s).prefill.bound, RT_COMPUTE_BOUND);
}

Test(roofline, decode_average_equals_midpoint_context)
{
    /* bytes and FLOPs grow linearly with the context, so the average over
     * contexts P..P+O-1 equals one step at P + (O-1)/2 */
    struct rt_result a = estimate(&scen("llama-3-8b", "h100-sxm", "bf16", 1, 4, 1000, 201, NULL)->s);
    struct rt_result b = estimate(&scen("llama-3-8b", "h100-sxm", "bf16", 1, 4, 1100, 1, NULL)->s);
    assert_rel(a.decode.bytes, b.decode.bytes, 1e-12, "bytes");
    assert_rel(a.decode.flops, b.decode.flops, 1e-12, "flops");
}

Test(roofline, e2e_is_ttft_plus_decode)
{
    struct rt_result r = estimate(&scen("llama-3.1-8b", "a100-sxm-80g", "bf16", 1, 1, 512, 128, "vllm")->s);
    assert_rel(r.e2e_s, r.ttft_s + 128 * r.tpot_s, 1e-12, "e2e");
    assert_rel(r.tok_s_seq, 1.0 / r.tpot_s, 1e-12, "rate");
    cr_assert(r.ttft_low_s < r.ttft_s && r.ttft_s < r.ttft_high_s, "band brackets");
    /* --prompt 0: TTFT is the first decode step */
    r = estimate(&scen("llama-3.1-8b", "a100-sxm-80g", "bf16", 1, 1, 0, 128, "ideal")->s);
    cr_assert(r.ttft_s > 0 && r.prefill.flops == 0, "empty prompt");
}

Test(moe, experts_touched_grow_with_batch)
{
    /* doc/method.md, DeepSeek-V3 (E = 256, k = 8) */
    const struct rt_model *m = catalog_model(cat(), "deepseek-v3");
    static const struct { double B, U; } t[] = { { 1, 8 }, { 8, 57 }, { 32, 163 }, { 64, 222 }, { 128, 252 } };
    for (int i = 0; i < 5; i++)
        cr_assert(fabs(rt_experts_touched(m, t[i].B) - t[i].U) < 1.0, "U(%g) = %g", t[i].B,
                  rt_experts_touched(m, t[i].B));
}

Test(memory, quantised_file_sizes)
{
    /* Llama-3.1-8B Q4_K_M = 4.58 GiB (llama.cpp quantize README);
     * Llama 3.1 70B Q4_0 = 37.22 GiB (ollama PR #6279 log) */
    struct rt_result r = estimate(&scen("llama-3.1-8b", "rtx-4090", "q4_k_m", 1, 1, 512, 128, NULL)->s);
    assert_rel(r.weights_bytes / GiB, 4.58, 0.003, "Q4_K_M %.4g GiB", r.weights_bytes / GiB);
    r = estimate(&scen("llama-3.1-70b", "h100-sxm", "q4_0", 1, 1, 512, 128, NULL)->s);
    assert_rel(r.weights_bytes / GiB, 37.22, 0.003, "Q4_0 %.4g GiB", r.weights_bytes / GiB);
    /* bf16 Llama 3 8B: 16.06 GB */
    r = estimate(&scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 512, 128, NULL)->s);
    assert_rel(r.weights_bytes, 16.06e9, 0.001, "bf16 weights");
}

Test(solve, max_batch_is_the_memory_wall)
{
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 4096, 4096, "vllm");
    struct rt_result r = estimate(&rs->s);
    cr_assert_gt(r.max_batch, 1);
    rs->s.batch = r.max_batch;
    cr_assert(estimate(&rs->s).fits, "max batch fits");
    rs->s.batch = r.max_batch + 1;
    cr_assert(!estimate(&rs->s).fits, "one more does not");
    /* KV dominates: (80 GB * 0.9 - 0.5 - 16.06) / (8192 * 131072) ~ 51.6 -> about 51 */
    cr_assert(r.max_batch >= 45 && r.max_batch <= 52, "max batch %lld", (long long)r.max_batch);
}

Test(solve, max_context_and_min_devices)
{
    struct rt_resolved *rs = scen("llama-3.1-70b", "h100-sxm", "bf16", 1, 1, 1024, 256, "vllm");
    struct rt_result r = estimate(&rs->s);
    cr_assert(!r.fits, "141 GB of weights do not fit on one 80 GB device");
    /* on two: 70.55 weights + 8.0 (vLLM's 10% reserve) + 0.5 context + 0.21 KV = 79.26 GB,
     * and vLLM profiles a full step of its 8,192-token budget (an H100 is in its large tier)
     * before it sizes the cache: 8192 x 2 B x (2 x 8192 + 2 x 28672 / 2) = 0.738 GB, plus one
     * sequence's fp32 logits (128256 x 4 = 0.5 MB): 80.0 GB > 80 (vLLM's "no available memory
     * for the cache blocks").  Three devices do not divide the 64 heads: four. */
    cr_assert_eq(r.min_devices, 4, "needs %lld", (long long)r.min_devices);
    /* batch 4: memory binds (64 GB of KV room / (4 x 128 KiB per token) ~ 122k)
     * before the trained 131072 */
    rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 4, 1024, 256, "ideal");
    r = estimate(&rs->s);
    cr_assert_lt(r.max_context, 131072);
    rs->s.prompt = r.max_context - rs->s.output;
    cr_assert(estimate(&rs->s).fits, "max context fits");
    rs->s.prompt += 64;
    cr_assert(!estimate(&rs->s).fits, "beyond it does not");
}

Test(solve, max_batch_under_a_rate_is_its_own_fixed_point)
{
    /* under a rate the batch is the cap on running sequences and the engine reserves a full
     * step's logits for that many: the largest batch found, set as the batch, is still the
     * largest (m picked 335 while the slider then said 338: the search reserved for vLLM's
     * 1,024 sequences, the scenario it set for 335) */
    struct rt_resolved *rs = scen("llama-3.1-70b", "h100-sxm", "bf16", 4, 1, 1024, 256, "vllm");
    rs->s.rate = 2;
    struct rt_result r = estimate(&rs->s);
    int64_t m = r.max_batch;
    cr_assert_gt(m, 1);
    rs->s.batch = m;
    r = estimate(&rs->s);
    cr_assert(r.fits, "batch %lld fits", (long long)m);
    cr_assert_eq(r.max_batch, m, "max batch %lld at batch %lld", (long long)r.max_batch, (long long)m);
}

Test(solve, max_context_stops_at_the_trained_limit)
{
    /* Llama 3.1 8B: max_position_embeddings 131072 (its config.json); at batch 1
     * an H100 holds far more, but beyond 131072 the model needs rope scaling */
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 1024, 256, "vllm");
    struct rt_result r = estimate(&rs->s);
    cr_assert_eq(r.max_context, 131072);
}

Test(solve, min_devices_divide_the_heads)
{
    /* Llama 3.1 405B has 128 attention heads; in bf16 its 811.7 GB of weights need
     * more than 8 H100s (101 GB each) and 12 would hold them, but 12 does not
     * divide 128: the fewest usable is 16 */
    struct rt_resolved *rs = scen("llama-3.1-405b", "h100-sxm", "bf16", 1, 1, 1024, 256, "vllm");
    struct rt_result r = estimate(&rs->s);
    cr_assert_eq(r.min_devices, 16, "got %lld", (long long)r.min_devices);
}

/* --- bad input --- */

static int try_model(struct rt_model m, char *err)
{
    struct rt_scenario s = seed_scenario(&m, 1, 16, 1);
    struct rt_result r;
    return rt_estimate(&s, &r, err, 256);
}

Test(bad_input, errors_not_crashes)
{
    char err[256];
    struct rt_model m = seed_model();
    m.layers = 0;
    cr_assert_eq(try_model(m, err), RT_EINVAL);
    cr_assert(strstr(err, "layers"), "%s", err);
    m = seed_model();
    m.group[0].kv_heads = 5; /* the model is its groups (the plain fields are their view) */
    cr_assert_eq(try_model(m, err), RT_EINVAL);
    cr_assert(strstr(err, "multiple"), "%s", err);
    m = seed_model();
    m.hidden = (int64_t)1 << 39;
    m.vocab = (int64_t)1 << 39;
    cr_assert_eq(try_model(m, err), RT_EINVAL, "overflowing sizes");
    m = seed_model();
    struct rt_scenario s = seed_scenario(&m, 0, 16, 1);
    struct rt_result r;
    cr_assert_eq(rt_estimate(&s, &r, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "batch"), "%s", err);
    s = seed_scenario(&m, 1, 16, 1);
    struct rt_device d = *s.device;
    d.bandwidth = NAN;
    s.device = &d;
    cr_assert_eq(rt_estimate(&s, &r, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "bandwidth"), "%s", err);
}

/* The checks read the layer groups: a bad group is named, with the config.json field;
 * the plain fields, a view of the groups for display, are not what is checked. */
Test(bad_input, a_bad_layer_group_is_named_with_its_field)
{
    char err[256];
    struct rt_model m = seed_model();
    /* two groups of 4 layers, the second with 16 heads over 5 KV heads */
    m.group[1] = m.group[0];
    m.group[0].count = m.group[1].count = 4;
    m.group[1].first = 4;
    m.n_groups = 2;
    cr_assert_eq(try_model(m, err), RT_OK, "%s", err);
    m.group[1].kv_heads = 5;
    cr_assert_eq(try_model(m, err), RT_EINVAL);
    cr_assert(strstr(err, "seed: layer group 2: num_attention_heads (16) is not a multiple of num_key_value_heads (5)"),
              "%s", err);
    /* a group that starts past the model's layers: 4 layers from layer 6 of 8 */
    m.group[1].kv_heads = 16;
    m.group[1].first = 6;
    cr_assert_eq(try_model(m, err), RT_EINVAL);
    cr_assert(strstr(err, "layer group 2: 4 layers from layer 6 run past num_hidden_layers (8)"), "%s", err);
    /* routed experts with more per token than there are */
    m.group[1].first = 4;
    m.group[1].experts = 8;
    m.group[1].experts_per_token = 9;
    m.group[1].expert_intermediate = 64;
    cr_assert_eq(try_model(m, err), RT_EINVAL);
    cr_assert(strstr(err, "layer group 2: experts_per_token must be between 1 and the number of experts"), "%s", err);
    /* a one-group model's messages name no group */
    m = seed_model();
    m.group[0].head_dim = 0;
    cr_assert_eq(try_model(m, err), RT_EINVAL);
    cr_assert_str_eq(err, "seed: head_dim must be at least 1");
}

Test(bad_input, the_plain_view_is_not_the_model)
{
    /* a plain field out of step with the groups (kv_heads 5 does not divide 16 heads)
     * changes nothing: the groups, which are good, are the model */
    char err[256];
    struct rt_model m = seed_model();
    struct rt_scenario s = seed_scenario(&m, 1, 16, 1);
    struct rt_result a, b;
    cr_assert_eq(rt_estimate(&s, &a, err, sizeof err), RT_OK, "%s", err);
    m.kv_heads = 5;
    cr_assert_eq(rt_estimate(&s, &b, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(a.kv_bytes_per_token, b.kv_bytes_per_token);
    cr_assert_eq(a.decode.time_s, b.decode.time_s);
}

Test(bad_input, context_beyond_training_is_a_warning)
{
    struct rt_result r = estimate(&scen("llama-2-7b", "a100-sxm-80g", "fp16", 1, 1, 8192, 128, NULL)->s);
    cr_assert(r.warnings & RT_WARN_CONTEXT, "4k-context model at 8k");
    cr_assert(r.tpot_s > 0 && isfinite(r.tpot_s));
}

Test(bad_input, fp8_on_ampere_is_not_native)
{
    struct rt_result r = estimate(&scen("llama-3.1-8b", "a100-sxm-80g", "fp8", 1, 1, 512, 128, NULL)->s);
    cr_assert(r.warnings & RT_WARN_NOT_NATIVE);
    cr_assert_eq(r.peak_flops, 312e12, "falls back to the 16-bit rate");
}

Test(prefix_cache, methodology_worked_example)
{
    /* worked by hand: Llama 3 8B, an 8000-token prompt with 6000 cached:
     * 35.3 TFLOP instead of 128.5 TFLOP (3.64x, less than 4x: the new tokens
     * attend to the cached prefix) */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 8000, 1, NULL);
    struct rt_result full = estimate(&rs->s);
    assert_rel(full.prefill.flops, 128.5e12, 0.002, "uncached %.5g", full.prefill.flops);
    rs->s.cached_prefix = 6000;
    struct rt_result part = estimate(&rs->s);
    assert_rel(part.prefill.flops, 35.3e12, 0.002, "cached %.5g", part.prefill.flops);
    cr_assert_eq(part.kv_cache_bytes, full.kv_cache_bytes, "the cache still holds the whole context");
    cr_assert(part.ttft_s < full.ttft_s / 3);
    rs->s.cached_prefix = 8001;
    struct rt_result r;
    char err[256];
    cr_assert_eq(rt_estimate(&rs->s, &r, err, sizeof err), RT_EINVAL, "more cached than prompted");
}

Test(speculative, expected_tokens_and_speedup)
{
    /* Leviathan et al. via doc/method.md: alpha 0.8, gamma 4 -> E = 3.36;
     * with c = 0.05, 3.36 / 1.2 = 2.80x; alpha 0.6, gamma 8 -> 1.77x at c = 0.05 */
    assert_rel(rt_spec_tokens_per_step(0.8, 4), 3.3616, 1e-9, "E");
    assert_rel(rt_spec_tokens_per_step(0.8, 4) / (4 * 0.05 + 1), 2.80, 0.001, "speedup");
    assert_rel(rt_spec_tokens_per_step(0.6, 8) / (8 * 0.05 + 1), 1.77, 0.003, "long drafts");
    cr_assert_eq(rt_spec_tokens_per_step(1.0, 4), 5.0);
    /* the estimator: memory-bound verification costs about one target step, so the
     * speedup is E / (gamma c + 1) with c the draft's step over the target's */
    struct rt_result t = estimate(&scen("llama-3.1-70b", "h100-sxm", "bf16", 2, 1, 512, 256, NULL)->s);
    struct rt_result d = estimate(&scen("llama-3.1-8b", "h100-sxm", "bf16", 2, 1, 512, 256, NULL)->s);
    struct rt_resolved *rs = scen("llama-3.1-70b", "h100-sxm", "bf16", 2, 1, 512, 256, NULL);
    rs->s.draft = catalog_model(cat(), "llama-3.1-8b");
    rs->s.spec_tokens = 4;
    rs->s.spec_accept = 0.8;
    struct rt_result s = estimate(&rs->s);
    double c = d.tpot_s / t.tpot_s;
    assert_rel(s.spec_speedup, 3.3616 / (4 * c + 1), 0.02, "speedup %.4g vs %.4g", s.spec_speedup,
               3.3616 / (4 * c + 1));
    assert_rel(s.weights_bytes, t.weights_bytes + d.weights_bytes, 1e-12, "draft weights in memory");
}

Test(offload, methodology_harmonic_mix)
{
    /* worked by hand: Llama 3 70B Q4_K_M, about 20 GB on an RTX 4090 (1008 GB/s at
     * MBU 0.75) and 22.5 GB in dual-channel DDR5 (89.6 GB/s at MBU 0.7):
     * 26 ms + 357 ms = 384 ms per token, 2.6 tok/s - not the 14x of a proportional mix */
    struct rt_resolved *rs = scen("llama-3-70b", "rtx-4090", "q4_k_m", 1, 1, 0, 1, NULL);
    struct rt_engine e = *rs->s.engine;
    e.mbu = 0.75;
    e.mbu_family[RT_FAM_CPU] = 0.7 / 0.75;
    rs->s.engine = &e;
    rs->s.host = catalog_device(cat(), "cpu-ddr5-2ch");
    rs->s.gpu_layers = 37; /* 37 of 80 layers: 20.7 GB with the embedding and output layer */
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.dev_weights, 20.7e9, 0.01, "device weights %.4g", r.dev_weights);
    assert_rel(r.host_bytes, 22.5e9, 0.01, "host weights %.4g", r.host_bytes);
    assert_rel(r.tpot_s, 0.384, 0.03, "%.4g s per token", r.tpot_s);
    /* the solver: the most layers a 24 GB card holds */
    cr_assert(r.max_gpu_layers >= 37 && r.max_gpu_layers < 80, "%lld", (long long)r.max_gpu_layers);
    rs->s.gpu_layers = r.max_gpu_layers;
    cr_assert(estimate(&rs->s).fits);
    rs->s.gpu_layers = r.max_gpu_layers + 1;
    cr_assert(!estimate(&rs->s).fits);
}

Test(parallel, tensor_parallel_warnings)
{
    /* 64 heads do not split over 3 devices; 8 KV heads replicate over 16 */
    cr_assert(estimate(&scen("llama-3.1-70b", "h100-sxm", "bf16", 3, 1, 128, 16, NULL)->s).warnings & RT_WARN_TP_HEADS);
    cr_assert(!(estimate(&scen("llama-3.1-70b", "h100-sxm", "bf16", 4, 1, 128, 16, NULL)->s).warnings & RT_WARN_TP_HEADS));
    struct rt_result r = estimate(&scen("llama-3.1-70b", "h100-sxm", "bf16", 16, 1, 128, 16, NULL)->s);
    cr_assert(r.warnings & RT_WARN_TP_KV_REPLICA);
    /* per-device weights divide by the TP degree; the all-reduce is the batch's hidden states */
    struct rt_result one = estimate(&scen("llama-3.1-70b", "h100-sxm", "bf16", 1, 1, 128, 16, NULL)->s);
    assert_rel(r.dev_weights, one.dev_weights / 16, 1e-12, "weights per device");
    cr_assert(estimate(&scen("llama-3.1-70b", "h100-pcie", "bf16", 2, 1, 128, 16, NULL)->s).warnings & RT_WARN_TP_PCIE,
              "tensor parallel over PCIe");
    cr_assert(!(r.warnings & RT_WARN_TP_PCIE), "not over NVLink");
}

Test(bad_input, cpu_without_compute_figure_is_flagged)
{
    struct rt_result r = estimate(&scen("llama-3.1-8b", "cpu-ddr5-2ch", "q4_k_m", 1, 1, 512, 128, "llama.cpp")->s);
    cr_assert(r.warnings & RT_WARN_NO_COMPUTE);
    cr_assert(!(r.warnings & RT_WARN_NOT_NATIVE));
    /* decode is still the bandwidth figure: 4.9 GB of weights at 89.6 GB/s is at least 55 ms */
    cr_assert_gt(r.tpot_s, 4.9e9 / 89.6e9);
}

Test(cost, cloud_and_owned)
{
    struct rt_resolved *rs = scen("llama-3.1-8b", "rtx-4090", "q4_k_m", 1, 1, 512, 128, "llama.cpp");
    rs->s.lifetime_years = 3;
    rs->s.kwh_usd = 0.15;
    rs->s.load_factor = 0.8;
    rs->s.pue = 1.5;
    struct rt_result r = estimate(&rs->s);
    /* seeds/002: $1,599 over 3 years plus 450 W x 0.8 load x 1.5 PUE at $0.15/kWh, per hour, over
     * the output tokens of an hour: one request of 128 tokens every end-to-end latency.  The
     * flat figure and the cost object are one model (issue 25: PUE and load factor in both). */
    double per_hour = 1599.0 / (3 * 365.25 * 24) + 0.450 * 0.8 * 1.5 * 0.15;
    double tok_h = 128 / r.e2e_s * 3600;
    assert_rel(r.owned_cost_per_mtok, per_hour / tok_h * 1e6, 1e-12, "owned cost");
    assert_rel(r.cost.per_mtok_output_usd, r.owned_cost_per_mtok, 1e-12, "one cost model");
    assert_rel(r.energy_per_mtok_kwh, 0.450 * 0.8 * 1.5 / tok_h * 1e6, 1e-12, "energy at TDP x load x PUE");
    cr_assert_eq(r.cost_per_mtok, 0, "no cloud price for a GeForce card");
    r = estimate(&scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 512, 128, "vllm")->s);
    assert_rel(r.cost_per_mtok, 2.49 / (128 / r.e2e_s * 3600) * 1e6, 1e-12, "cloud cost at $2.49/h");
}

/* Issue 23: without a rate a request is charged its prefill as well as its decode.  By
 * hand, Llama 3.1 8B (8,030,261,248 parameters) bf16 on one H100 SXM at the ideal roofline,
 * 8,000 tokens in and 10 out: prefill 2 x 8.03e9 x 8000 = 1.2848e14 FLOPs at 989 TFLOPS =
 * 0.1299 s; decode 10 x 16.06e9 bytes at 3.35 TB/s = 0.0479 s; at $2.49/h the request costs
 * 2.49 x 0.1778 / 3600 = $1.230e-4, where decode alone would be $3.3e-5 (3.7x low). */
Test(cost, a_request_without_a_rate_charges_prefill_and_decode)
{
    /* prefill at the H100's measured 794.5 TFLOP/s (attainable_tflops), decode at 3.35 TB/s */
    struct rt_result r = estimate(&scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 8000, 10, "ideal")->s);
    double hand = 2.49 * (2 * 8030261248.0 * 8000 / 794.5e12 + 10 * 16.06e9 / 3.35e12) / 3600;
    cr_assert(r.cost_on);
    assert_rel(r.cost.per_request_usd, hand, 0.01, "per request %g, by hand %g", r.cost.per_request_usd, hand);
    cr_assert_gt(r.cost.per_request_usd, 3 * 2.49 * 10 * 16.06e9 / 3.35e12 / 3600, "more than decode alone");
}

/* Past one node the all-reduces of a ring wider than the node run at the
 * network's rate (by hand: 2 all-reduces x 126 layers x 2 x 15/16 of the
 * 1024 x 16384 x 2-byte activations, at 50 GB/s instead of the NVLink rate). */
Test(multinode, tensor_parallel_past_a_node_runs_at_the_network)
{
    struct rt_resolved *rs = scen("llama-3.1-405b", "h100-sxm", "fp8", 16, 1, 1024, 1, "ideal");
    struct rt_scenario s = rs->s;
    struct rt_device d = *s.device;
    s.device = &d;
    d.node_devices = 16;
    struct rt_result one = estimate(&s);
    d.node_devices = 8;
    d.node_link_bw = 50e9;
    struct rt_result two = estimate(&s);
    /* 2 all-reduces x 126 layers, each moving 2 x 15/16 of 1024 x 16384 x 2 bytes at 0.817 of the
     * link (collective.c); the latency: one node of 16, a tree of 2 x 4 = 8 NVLink steps of
     * 2.78 us; two nodes of 8, 6 NVLink steps and 2 network steps of 15.45 us */
    double per = 2.0 * 126 * 2.0 * 15.0 / 16.0 * (1024.0 * 16384 * 2) / 0.817;
    double lat = 2.0 * 126 * ((6 * 2.78e-6 + 2 * 15.45e-6) - 8 * 2.78e-6);
    assert_rel(two.prefill.t_comm - one.prefill.t_comm, per / 50e9 - per / d.link_bw + lat, 1e-6, "network hops");
    cr_assert(two.warnings & RT_WARN_MULTI_NODE, "16 devices on nodes of 8 warn");
    cr_assert_not(one.warnings & RT_WARN_MULTI_NODE, "one node of 16 does not");
}

/* Issue 26: the default format is the one the model ships in, tensor class by tensor class.
 * gpt-oss-120b's checkpoint is 60.8 GiB, gpt-oss-20b's 12.8 GiB (OpenAI gpt-oss model card,
 * arXiv 2508.10925, table 1, "Checkpoint Size").  Its config.json's quantization_config
 * converts only the MoE experts to MXFP4 (4.25 bits: an E8M0 scale per 32 weights);
 * modules_to_not_convert keeps self_attn, mlp.router, embed_tokens and lm_head in bf16.
 * By hand, 120b (hidden 2880, 36 layers): attention 2880 x (2 x 4096 + 1024) weights +
 * 4096 + 1024 + 2880 biases + 64 sinks = 26,550,144 a layer, 955,805,184 in all; routers
 * 128 x 2880 + 128 = 368,768 a layer, 13,275,648; experts 3 x 2880^2 + 3 x 2880 =
 * 24,891,840 each x 128 x 36 = 114,702,028,800; norms 2 x 2880 x 36 + 2880 = 210,240;
 * embedding and head 2 x 201,088 x 2880 = 1,158,266,880.  Bytes: 114,702,028,800 x 4.25 / 8
 * + (955,805,184 + 13,275,648 + 210,240 + 1,158,266,880) x 2 = 60,935,452,800 +
 * 4,254,887,424 = 65,190,340,224 B = 60.71 GiB, 0.15% under 60.8 GiB (the expert biases,
 * bf16 in the file, are counted at 4.25 bits here: 36 x 128 x 8640 x 11.75 / 8 = 58.5 MB).
 * Counted all at 4.25 bits the attention and routers lost 1.42 GB (2.3% low). */
Test(native, gpt_oss_120b_ships_in_mxfp4_and_fits_one_h100)
{
    struct rt_resolved *rs = scen("gpt-oss-120b", "h100-sxm", "native", 1, 1, 1024, 256, "vllm");
    cr_assert(rs->weights_native);
    cr_assert_str_eq(rs->s.weights->id, "mxfp4");
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.weights_bytes, 65190340224.0, 1e-9, "weights %g", r.weights_bytes);
    assert_rel(r.weights_bytes, 60.8 * 1073741824.0, 0.002, "within 0.2%% of the published checkpoint");
    cr_assert(r.fits, "fits one H100");
    /* 20b (24 layers, 32 experts): experts 24,891,840 x 32 x 24 = 19,116,933,120 at 4.25 bits,
     * attention 26,550,144 x 24 = 637,203,456, routers (32 x 2880 + 32) x 24 = 2,212,608, norms
     * 2 x 2880 x 24 + 2880 = 141,120 and embedding + head 1,158,266,880 at 2 bytes:
     * 10,155,870,720 + 3,595,648,128 = 13,751,518,848 B = 12.807 GiB (published 12.8 GiB) */
    rs = scen("gpt-oss-20b", "rtx-4090", "native", 1, 1, 1024, 256, "vllm");
    r = estimate(&rs->s);
    assert_rel(r.weights_bytes, 13751518848.0, 1e-9, "20b weights %g", r.weights_bytes);
    /* asked for as plain mxfp4, every layer weight is 4.25 bits: the attention alone is
     * 637,203,456 x (16 - 4.25) / 8 = 935,892,576 B smaller, the routers 3,249,768 B */
    struct rt_resolved *plain = scen("gpt-oss-20b", "rtx-4090", "mxfp4", 1, 1, 1024, 256, "vllm");
    struct rt_result rp = estimate(&plain->s);
    assert_rel(r.weights_bytes - rp.weights_bytes, 935892576.0 + 3249768.0 + 141120 * 11.75 / 8, 1e-9,
               "classes %g", r.weights_bytes - rp.weights_bytes);
    /* DeepSeek-V3 ships in FP8 (its config.json's quantization_config): 8 bits a weight */
    rs = scen("deepseek-v3", "h200", "native", 8, 1, 1024, 256, "vllm");
    cr_assert_str_eq(rs->s.weights->id, "fp8");
    /* a model whose dtype was not read is 16-bit and says so through weights_native */
    rs = scen("gpt-j-6b", "h100-sxm", "native", 1, 1, 1024, 256, "vllm");
    cr_assert_str_eq(rs->s.weights->id, "bf16");
}

/* A scenario with --attn-weights (the attention projections' format) given. */
static struct rt_resolved *scen_attn(const char *model, const char *w, const char *attn, int64_t prompt)
{
    static struct rt_resolved rs;
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "%s", model);
    snprintf(sp.gpu, sizeof sp.gpu, "b200");
    snprintf(sp.weights, sizeof sp.weights, "%s", w);
    snprintf(sp.attn_weights, sizeof sp.attn_weights, "%s", attn);
    snprintf(sp.engine, sizeof sp.engine, "ideal");
    sp.devices = 8;
    sp.prompt = prompt;
    char err[512];
    if (spec_resolve(cat(), &sp, &rs, err, sizeof err) != RT_OK)
        cr_assert_fail("resolve %s --attn-weights %s: %s", model, attn, err);
    return &rs;
}

/* --attn-weights: NVIDIA's FP4 DeepSeek-R1 keeps its MLA projections in BF16 beside NVFP4
 * FFN and expert weights (ModelOpt examples/deepseek/ptq.py disables the *attn* quantizers).
 * By hand from the config (hidden 7168, 128 heads, q_lora_rank 1536, kv_lora_rank 512,
 * qk_nope 128, qk_rope 64, v_head 128, 61 layers), a layer's attention weights:
 * q_a 7168 x 1536 = 11,010,048; q_b 1536 x 128 x (128 + 64) = 37,748,736; kv_a 7168 x
 * (512 + 64) = 4,128,768; kv_b 512 x 128 x (128 + 128) = 16,777,216; o 128 x 128 x 7168 =
 * 117,440,512; with the two latent norms 1536 + 512: 187,107,328, x 61 = 11,413,547,008.
 * In BF16 rather than NVFP4's 4.5 bits: 11,413,547,008 x 11.5 / 8 = 16,406,973,824 B more;
 * in FP8: 11,413,547,008 x 3.5 / 8 = 4,993,426,816 B more. */
Test(attn_weights, deepseek_r1_nvfp4_with_bf16_attention)
{
    struct rt_result all4 = estimate(&scen_attn("deepseek-r1", "nvfp4", "auto", 1024)->s);
    assert_rel(all4.p_attn, 11413547008.0, 1e-12, "attention weights %g", all4.p_attn);
    struct rt_resolved *rs = scen_attn("deepseek-r1", "nvfp4", "bf16", 1024);
    cr_assert_str_eq(spec_attn_weights(rs), "bf16");
    cr_assert_str_eq(rs->s.weights->id, "nvfp4");
    struct rt_result b16 = estimate(&rs->s);
    assert_rel(b16.weights_bytes - all4.weights_bytes, 16406973824.0, 1e-9, "bf16 %g", b16.weights_bytes - all4.weights_bytes);
    struct rt_result f8 = estimate(&scen_attn("deepseek-r1", "nvfp4", "fp8", 1024)->s);
    assert_rel(f8.weights_bytes - all4.weights_bytes, 4993426816.0, 1e-9, "fp8 %g", f8.weights_bytes - all4.weights_bytes);
    /* the FP8 checkpoint's own attention is FP8: native gives that whatever --weights says */
    rs = scen_attn("deepseek-r1", "nvfp4", "native", 1024);
    cr_assert_str_eq(spec_attn_weights(rs), "fp8");
    /* the same FLOPs; more bytes to read a decode step, and 16-bit GEMMs in the prefill */
    assert_rel(b16.prefill.flops, all4.prefill.flops, 1e-12, "the format moves no FLOPs");
    cr_assert_gt(b16.decode.time_s, f8.decode.time_s);
    cr_assert_gt(f8.decode.time_s, all4.decode.time_s);
    struct rt_result pb = estimate(&scen_attn("deepseek-r1", "nvfp4", "bf16", 16384)->s);
    struct rt_result p8 = estimate(&scen_attn("deepseek-r1", "nvfp4", "fp8", 16384)->s);
    struct rt_result p4 = estimate(&scen_attn("deepseek-r1", "nvfp4", "nvfp4", 16384)->s);
    cr_assert(pb.prefill.t_attn > p8.prefill.t_attn && p8.prefill.t_attn > p4.prefill.t_attn,
              "prefill attention %g > %g > %g", pb.prefill.t_attn, p8.prefill.t_attn, p4.prefill.t_attn);
    /* the accuracy replay's form of the same checkpoint (names.cfg attn_bits 16 on the nvfp4
     * row, no precision named): the same figures to the last bit */
    rs = scen_attn("deepseek-r1", "nvfp4", "auto", 16384);
    struct rt_format f = *rs->s.weights;
    f.attn_bits = 16;
    rs->s.weights = &f;
    struct rt_result replay = estimate(&rs->s);
    cr_assert_eq(replay.weights_bytes, pb.weights_bytes);
    cr_assert_eq(replay.prefill.time_s, pb.prefill.time_s);
    cr_assert_eq(replay.decode.time_s, pb.decode.time_s);
}

/* The catalog's NVIDIA FP4 checkpoint ships NVFP4 with BF16 attention: --weights native gives
 * exactly deepseek-r1 at nvfp4 with --attn-weights bf16; --attn-weights nvfp4 all 4.5 bits. */
Test(attn_weights, nvidia_fp4_deepseek_ships_bf16_attention)
{
    struct rt_resolved *rs = scen_attn("deepseek-r1-fp4", "native", "auto", 1024);
    cr_assert(rs->weights_native);
    cr_assert_str_eq(rs->s.weights->id, "nvfp4");
    cr_assert_str_eq(spec_attn_weights(rs), "bf16");
    struct rt_result nat = estimate(&rs->s);
    struct rt_result b16 = estimate(&scen_attn("deepseek-r1", "nvfp4", "bf16", 1024)->s);
    cr_assert_eq(nat.weights_bytes, b16.weights_bytes);
    cr_assert_eq(nat.decode.time_s, b16.decode.time_s);
    struct rt_result all4 = estimate(&scen_attn("deepseek-r1-fp4", "native", "nvfp4", 1024)->s);
    assert_rel(nat.weights_bytes - all4.weights_bytes, 16406973824.0, 1e-9, "%g", nat.weights_bytes - all4.weights_bytes);
}

/* gpt-oss's MXFP4 checkpoint keeps attention in bf16 (config.json modules_to_not_convert):
 * auto and native give it under --weights native, native keeps it under another --weights, and
 * an explicit bf16 is the same figures as the checkpoint's own. */
Test(attn_weights, gpt_oss_native_attention_is_bf16)
{
    struct rt_resolved *rs = scen_attn("gpt-oss-120b", "native", "auto", 1024);
    cr_assert_str_eq(spec_attn_weights(rs), "bf16");
    struct rt_result nat = estimate(&rs->s);
    assert_rel(nat.weights_bytes, 65190340224.0, 1e-9, "the checkpoint's bytes");
    struct rt_result named = estimate(&scen_attn("gpt-oss-120b", "native", "bf16", 1024)->s);
    cr_assert_eq(named.weights_bytes, nat.weights_bytes);
    cr_assert_eq(named.decode.time_s, nat.decode.time_s);
    cr_assert_eq(named.prefill.time_s, nat.prefill.time_s);
    rs = scen_attn("gpt-oss-120b", "mxfp4", "auto", 1024);
    cr_assert_str_eq(spec_attn_weights(rs), "mxfp4");
    struct rt_result plain = estimate(&rs->s);
    rs = scen_attn("gpt-oss-120b", "mxfp4", "native", 1024);
    cr_assert_str_eq(spec_attn_weights(rs), "bf16");
    /* 36 layers x 26,550,144 attention weights (test above) = 955,805,184, at 16 - 4.25 bits */
    struct rt_result keep = estimate(&rs->s);
    assert_rel(keep.weights_bytes - plain.weights_bytes, 955805184.0 * 11.75 / 8, 1e-9, "%g",
               keep.weights_bytes - plain.weights_bytes);
}

/* Seeds: the attention / FFN split in FLOPs as well as time.  By hand, Llama 3.1 8B, a
 * 1,024-token prefill: FFN 2 x 1024 x 32 layers x 3 x 4096 x 14336 = 11,544,872,091,648;
 * attention projections 2 x 1024 x 32 x (2 x 4096^2 + 2 x 4096 x 1024) = 2,748,779,069,440
 * plus the scores and weighted sum over 1024 x 1025 / 2 = 524,800 causal pairs x 4 x 4096 x
 * 32 layers = 275,146,342,400; lm_head for the last token 2 x 128256 x 4096 = 1,050,673,152. */
Test(seeds, attention_and_ffn_flops)
{
    struct rt_result r = estimate(&scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 1024, 1, NULL)->s);
    assert_rel(r.prefill.f_ffn, 11544872091648.0, 1e-12, "FFN %g", r.prefill.f_ffn);
    assert_rel(r.prefill.f_attn, 2748779069440.0 + 275146342400.0, 1e-12, "attention %g", r.prefill.f_attn);
    assert_rel(r.prefill.f_head, 1050673152.0, 1e-12, "lm_head %g", r.prefill.f_head);
    assert_rel(r.prefill.f_attn + r.prefill.f_ffn + r.prefill.f_head, r.prefill.flops, 1e-12, "the parts sum");
}

/* Seeds: what a target decode rate needs of the compute.  By hand, Llama 3.1 8B at batch 1,
 * the first token with no prompt: 2 x (8,030,261,248 - 525,336,576 embedding) = 15,009,849,344
 * FLOPs of weights a step (the scores over an empty cache add none); at 50 tok/s = 750.5
 * GFLOP/s, 0.0759% of an H100's 989 TFLOPS. */
Test(seeds, decode_flops_needed_at_a_target)
{
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 0, 1, NULL);
    rs->s.target_tok_s = 50;
    struct rt_result r = estimate(&rs->s);
    assert_rel(r.need_flops_decode, 15009849344.0 * 50, 1e-6, "needed %g", r.need_flops_decode);
    assert_rel(r.decode_compute_util, 15009849344.0 * 50 / 989e12, 1e-6, "share of peak");
}
