/* test_models.c - models and machines as users bring them: MoE expert offload
 * (--n-cpu-moe), MTP and EAGLE-3 drafts, prefix caching, with figures worked out by hand
 * from the models' config.json. */
#include "helpers.h"
#include "core/serve.h"

static struct rt_spec base_spec(const char *model, const char *gpu, const char *w, const char *engine)
{
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "%s", model);
    snprintf(sp.gpu, sizeof sp.gpu, "%s", gpu);
    snprintf(sp.weights, sizeof sp.weights, "%s", w);
    snprintf(sp.engine, sizeof sp.engine, "%s", engine);
    return sp;
}

static struct rt_result run(const struct rt_spec *sp, struct rt_resolved *rs)
{
    char err[512];
    if (spec_resolve(cat(), sp, rs, err, sizeof err) != RT_OK)
        cr_assert_fail("resolve: %s", err);
    return estimate(&rs->s);
}

/* Qwen3-30B-A3B (config.json: 48 layers, every one MoE, 128 experts, 8 per token,
 * hidden 2048, moe_intermediate_size 768, SwiGLU): one expert is 3 x 2048 x 768 =
 * 4,718,592 parameters; at q8_0 (8.5 bits) 4,718,592 x 8.5 / 8 = 5,013,504 bytes. */
#define QWEN3_EXPERT_BYTES 5013504.0

Test(cpu_moe, host_memory_holds_the_first_layers_experts)
{
    /* --n-cpu-moe 20: 20 layers x 128 experts x 5,013,504 = 12,834,570,240 bytes in
     * host memory, and the device holds that much less */
    struct rt_spec sp = base_spec("qwen3-30b-a3b", "rtx-4090", "q8_0", "llama.cpp");
    struct rt_resolved rs, rs0;
    struct rt_result r0 = run(&sp, &rs0);
    sp.n_cpu_moe = 20;
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.host_bytes, 20 * 128 * QWEN3_EXPERT_BYTES, 1e-12, "host %.0f", r.host_bytes);
    assert_rel(r0.dev_weights - r.dev_weights, 12834570240.0, 1e-9, "device weights %.0f -> %.0f", r0.dev_weights,
               r.dev_weights);
}

Test(cpu_moe, decode_reads_the_active_experts_from_host_memory)
{
    /* batch 1: a token touches its 8 experts per layer, so a decode step reads
     * 20 x 8 x 5,013,504 = 802,160,640 bytes from host memory; everything else, and
     * the other 28 layers' experts, from the device: the device reads exactly that
     * much less than without offload, and the step's total bytes are the same */
    struct rt_spec sp = base_spec("qwen3-30b-a3b", "rtx-4090", "q8_0", "llama.cpp");
    sp.batch = 1;
    struct rt_resolved rs, rs0;
    struct rt_result r0 = run(&sp, &rs0);
    sp.n_cpu_moe = 20;
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.decode.host_bytes, 802160640.0, 1e-9, "from RAM %.0f", r.decode.host_bytes);
    double vram = r.decode.bytes - r.decode.host_bytes;
    assert_rel(vram, r0.decode.bytes - 802160640.0, 1e-9, "from VRAM %.0f", vram);
    /* the host's 802 MB at dual-channel DDR5-5600 (89.6 GB/s peak) take at least
     * 802,160,640 / 89.6e9 = 8.95 ms: decode is slower than that */
    cr_assert(r.decode.time_s > 802160640.0 / 89.6e9, "%g", r.decode.time_s);
    cr_assert(r.decode.time_s > r0.decode.time_s);
}

Test(cpu_moe, prefill_copies_the_touched_experts_over_the_link)
{
    /* a 512-token prompt is one ubatch (llama.cpp's default -ub 512) of at least 32
     * tokens: the experts run on the GPU after the ones the ubatch touches are copied.
     * 512 tokens touch 128 x (1 - (120/128)^512) = 128 x (1 - 4.6e-15) experts per
     * layer, so the copy is 20 x 128 x 5,013,504 = 12,834,570,240 bytes at the RTX
     * 4090's 31 GB/s link: 0.41402 s more communication than without offload */
    struct rt_spec sp = base_spec("qwen3-30b-a3b", "rtx-4090", "q8_0", "llama.cpp");
    sp.batch = 1;
    sp.prompt = 512;
    struct rt_resolved rs, rs0;
    struct rt_result r0 = run(&sp, &rs0);
    sp.n_cpu_moe = 20;
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.prefill.host_bytes, 12834570240.0, 1e-9, "%.0f", r.prefill.host_bytes);
    assert_rel(r.prefill.t_comm - r0.prefill.t_comm, 12834570240.0 / 31e9, 1e-9, "%g",
               r.prefill.t_comm - r0.prefill.t_comm);
}

Test(cpu_moe, counts_blocks_not_moe_layers)
{
    /* DeepSeek-V3 (config.json: first_k_dense_replace 3, 61 layers, 256 routed
     * experts of 3 x 7168 x 2048 = 44,040,192 parameters): the first three blocks are
     * dense, so --n-cpu-moe 3 moves nothing and --n-cpu-moe 4 moves one layer's
     * experts, 256 x 44,040,192 x 8.5 / 8 = 11,978,932,224 bytes at q8_0 */
    struct rt_spec sp = base_spec("deepseek-v3", "h200", "q8_0", "llama.cpp");
    struct rt_resolved rs;
    sp.n_cpu_moe = 3;
    struct rt_result r = run(&sp, &rs);
    cr_assert_eq(r.host_bytes, 0, "%.0f", r.host_bytes);
    sp.n_cpu_moe = 4;
    r = run(&sp, &rs);
    assert_rel(r.host_bytes, 11978932224.0, 1e-12, "%.0f", r.host_bytes);
}

/* A model of L layers written as groups: `count` layers from `first`, MoE when experts > 0. */
static void moe_model(struct rt_model *m, int64_t L, const int64_t (*g)[3], int n)
{
    memset(m, 0, sizeof *m);
    m->layers = L;
    m->n_groups = n;
    for (int i = 0; i < n; i++) {
        m->group[i].count = g[i][0];
        m->group[i].first = (int)g[i][1];
        m->group[i].experts = g[i][2];
    }
}

Test(cpu_moe, which_blocks_are_moe_comes_from_where_the_groups_start)
{
    double off[RT_GROUPS_MAX];
    struct rt_model m;
    /* 61 layers, 3 dense from layer 0, 58 MoE from layer 3 (DeepSeek-V3's shape):
     * --n-cpu-moe 10 covers blocks 0-9, of which 3-9 are MoE: 7 layers.  The plain
     * field first_dense is left 0 (the view says nothing): the groups decide. */
    const int64_t ds[2][3] = { { 3, 0, 0 }, { 58, 3, 256 } };
    moe_model(&m, 61, ds, 2);
    rt_cpu_moe_layers(&m, m.group, m.n_groups, 10, off);
    cr_assert_eq(off[0], 0.0);
    cr_assert_eq(off[1], 7.0, "%g", off[1]);
    /* every block MoE: 10 blocks are 10 MoE layers */
    const int64_t all[1][3] = { { 48, 0, 128 } };
    moe_model(&m, 48, all, 1);
    rt_cpu_moe_layers(&m, m.group, m.n_groups, 10, off);
    cr_assert_eq(off[0], 10.0, "%g", off[0]);
    /* MoE every second block from block 1 (Llama 4 Maverick's interleave step 2): the
     * MoE layers are not one run to the end, so the first 10 blocks hold the model's
     * share, 10 x 24 / 48 = 5 */
    const int64_t il[2][3] = { { 24, 0, 0 }, { 24, 1, 128 } };
    moe_model(&m, 48, il, 2);
    rt_cpu_moe_layers(&m, m.group, m.n_groups, 10, off);
    cr_assert_eq(off[1], 5.0, "%g", off[1]);
}

Test(cpu_moe, fewest_layers_that_fit)
{
    /* gpt-oss-120b at mxfp4 does not fit a 24 GB card: the fewest N fits, N - 1 does not */
    struct rt_spec sp = base_spec("gpt-oss-120b", "rtx-4090", "mxfp4", "llama.cpp");
    struct rt_resolved rs;
    struct rt_result r = run(&sp, &rs);
    cr_assert(!r.fits);
    int64_t n = r.min_cpu_moe;
    cr_assert(n > 0 && n <= 36, "%lld", (long long)n);
    sp.n_cpu_moe = n;
    cr_assert(run(&sp, &rs).fits, "N = %lld", (long long)n);
    sp.n_cpu_moe = n - 1;
    cr_assert(!run(&sp, &rs).fits, "N - 1 = %lld", (long long)(n - 1));
}

Test(cpu_moe, refused_outside_llama_cpp_and_dense_models)
{
    struct rt_resolved rs;
    char err[512];
    struct rt_spec sp = base_spec("qwen3-30b-a3b", "rtx-4090", "q8_0", "vllm");
    sp.n_cpu_moe = 4;
    cr_assert_neq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK);
    cr_assert(strstr(err, "--n-cpu-moe"), "%s", err);
    sp = base_spec("llama-3.1-8b", "rtx-4090", "q8_0", "llama.cpp");
    sp.n_cpu_moe = 4;
    cr_assert_neq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK);
    cr_assert(strstr(err, "no routed experts"), "%s", err);
}

/* --draft mtp: DeepSeek-V3's MTP module (config.json num_nextn_predict_layers 1). */
Test(mtp, tokens_per_step_at_the_published_acceptance)
{
    /* one draft token per step, accepted at 0.85 (DeepSeek-V3 Technical Report: 85% to
     * 90%, the low end): (1 - 0.85^2) / (1 - 0.85) = 0.2775 / 0.15 = 1.85 tokens */
    struct rt_spec sp = base_spec("deepseek-v3", "h200", "fp8", "vllm");
    sp.devices = 8;
    snprintf(sp.draft, sizeof sp.draft, "mtp");
    struct rt_resolved rs;
    struct rt_result r = run(&sp, &rs);
    cr_assert_eq(rs.s.spec_tokens, 1);
    assert_rel(rs.s.spec_accept, 0.85, 1e-12, "%g", rs.s.spec_accept);
    assert_rel(r.spec_tokens_per_step, 1.85, 1e-12, "%g", r.spec_tokens_per_step);
    /* a given --spec-accept wins: 0.9 gives (1 - 0.81) / 0.1 = 1.9 */
    sp.spec_accept = 0.9;
    r = run(&sp, &rs);
    assert_rel(r.spec_tokens_per_step, 1.9, 1e-12, "%g", r.spec_tokens_per_step);
}

Test(mtp, the_module_counted_in_memory)
{
    /* one MoE block of DeepSeek-V3 (config.json) plus eh_proj, embedding and head shared:
     * MLA: q_a 7168 x 1536 = 11,010,048; q_b 1536 x 128 x 192 = 37,748,736; kv_a 7168 x 576 =
     * 4,128,768; kv_b 512 x 128 x 256 = 16,777,216; o 128 x 128 x 7168 = 117,440,512: 187,105,280.
     * Experts: 257 (256 routed + 1 shared) x 3 x 7168 x 2048 = 11,318,329,344; router 256 x 7168 =
     * 1,835,008.  eh_proj 2 x 7168 x 7168 = 102,760,448.  Sum 11,610,030,080 parameters (norms and
     * biases, some 60 thousand, aside): at fp8, 11.61 GB more weights, split over 8 devices. */
    struct rt_spec sp = base_spec("deepseek-v3", "h200", "fp8", "vllm");
    sp.devices = 8;
    struct rt_resolved rs, rs0;
    struct rt_result r0 = run(&sp, &rs0);
    snprintf(sp.draft, sizeof sp.draft, "mtp");
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.weights_bytes - r0.weights_bytes, 11610030080.0, 1e-5, "%.0f", r.weights_bytes - r0.weights_bytes);
}

Test(mtp, refused_without_mtp_layers)
{
    struct rt_spec sp = base_spec("llama-3.1-8b", "h100-sxm", "bf16", "vllm");
    snprintf(sp.draft, sizeof sp.draft, "mtp");
    struct rt_resolved rs;
    char err[512];
    cr_assert_neq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK);
    cr_assert(strstr(err, "--draft mtp"), "%s", err);
}

/* --draft ID with an EAGLE-3 head: the published acceptance as tokens per step, the head in memory */
Test(eagle3, tokens_per_step_at_the_published_acceptance)
{
    /* eagle3-llama3.1-8b: a = 0.651 per token.  At vLLM's K = 7 the chain accepts (1 - 0.651^8) /
     * (1 - 0.651) = (1 - 0.0323) / 0.349 = 2.773 tokens a step, the 2.77 published for MT-bench;
     * at rooftop's 4 draft tokens: 0.651^5 = 0.11692, (1 - 0.11692) / 0.349 = 2.5303 */
    struct rt_spec sp = base_spec("llama-3.1-8b", "h100-sxm", "bf16", "vllm");
    snprintf(sp.draft, sizeof sp.draft, "eagle3-llama3.1-8b");
    struct rt_resolved rs;
    struct rt_result r = run(&sp, &rs);
    cr_assert_eq(rs.s.spec_tokens, 4);
    assert_rel(rs.s.spec_accept, 0.651, 1e-12, "%g", rs.s.spec_accept);
    assert_rel(r.spec_tokens_per_step, 2.5303, 1e-4, "%g", r.spec_tokens_per_step);
    assert_rel(rt_spec_tokens_per_step(0.651, 7), 2.77, 0.002, "the published tau at K = 7");
    cr_assert(r.spec_speedup > 1, "a head of 0.42 B beside 8 B is faster: %g", r.spec_speedup);
}

Test(eagle3, the_head_counted_in_memory)
{
    /* Llama 3.1 8B's head: attention 4096 x 4096 (q) + 2 x 4096 x 1024 (k, v) + 4096 x 4096 (o) =
     * 41,943,040, and q, k, v read [embedding; hidden]: 4096 x 6144 = 25,165,824 more; FFN 3 x
     * 4096 x 14336 = 176,160,768; fc 3 x 4096 x 4096 = 50,331,648; lm_head 32,000 x 4096 =
     * 131,072,000; four norms 16,384 (input, hidden, post-attention, final); the embedding is the
     * target's.  424,689,664 weights x 2 bytes = 849,379,328 B at bf16 */
    struct rt_spec sp = base_spec("llama-3.1-8b", "h100-sxm", "bf16", "vllm");
    struct rt_resolved rs, rs0;
    struct rt_result r0 = run(&sp, &rs0);
    snprintf(sp.draft, sizeof sp.draft, "eagle3-llama3.1-8b");
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.weights_bytes - r0.weights_bytes, 849379328.0, 1e-12, "%.0f", r.weights_bytes - r0.weights_bytes);
    /* Qwen3-235B-A22B-2507's head (64 heads, 4 KV heads of 128, FFN 24576): 71,303,168 +
     * 4096 x 9216 = 37,748,736 + 301,989,888 + 50,331,648 + 131,072,000 + 16,384 = 592,461,824
     * weights, the "0.6B params" of its model page */
    sp = base_spec("qwen3-235b-a22b-2507", "h200", "bf16", "vllm");
    sp.devices = 8;
    r0 = run(&sp, &rs0);
    snprintf(sp.draft, sizeof sp.draft, "eagle3-qwen3-235b-a22b-2507");
    r = run(&sp, &rs);
    assert_rel(r.weights_bytes - r0.weights_bytes, 2 * 592461824.0, 1e-12, "%.0f", r.weights_bytes - r0.weights_bytes);
}

Test(eagle3, a_head_as_its_config_json_says)
{
    /* --draft PATH: SpecForge's published config for Llama 3.3 70B's head (8192 wide, 64 heads, 8 KV
     * heads of 128, FFN 28672, draft vocabulary 32,000).  By hand: attention 2 x 8192^2 + 2 x 8192 x
     * 1024 = 150,994,944; q, k, v over [embedding; hidden] 8192 x 10240 = 83,886,080 more; FFN 3 x
     * 8192 x 28672 = 704,643,072; fc 3 x 8192^2 = 201,326,592; lm_head 32,000 x 8192 = 262,144,000;
     * four norms 32,768: 1,403,027,456 weights, 2 bytes each at bf16 */
    struct rt_spec sp = base_spec("llama-3.3-70b", "h200", "bf16", "vllm");
    sp.devices = 2;
    struct rt_resolved rs, rs0;
    struct rt_result r0 = run(&sp, &rs0);
    const char *dir = getenv("srcdir");
    snprintf(sp.draft, sizeof sp.draft, "%s/tests/data/configs/eagle3-llama3.3-70b.json", dir ? dir : ".");
    struct rt_result r = run(&sp, &rs);
    assert_rel(r.weights_bytes - r0.weights_bytes, 2 * 1403027456.0, 1e-12, "%.0f", r.weights_bytes - r0.weights_bytes);
    cr_assert(rt_model_is_draft_head(&rs.draft));
    assert_rel(rs.s.spec_accept, 0.8, 1e-12, "a file carries no published acceptance: the 0.8 assumption");
}

Test(eagle3, refused_for_another_target)
{
    /* Qwen3-8B is 4096 wide too, but its 151,936-token vocabulary is not the head's 128,256 */
    struct rt_spec sp = base_spec("qwen3-8b", "h100-sxm", "bf16", "vllm");
    snprintf(sp.draft, sizeof sp.draft, "eagle3-llama3.1-8b");
    struct rt_resolved rs;
    char err[512];
    cr_assert_neq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK);
    cr_assert(strstr(err, "--draft eagle3-llama3.1-8b") && strstr(err, "151936"), "%s", err);
}

/* --prefix-hit: prefill tokens and the KV pool */
static double count_prefill(void *ctx, double prefill_tokens, double prefill_ctx, double decode_seqs,
                            double decode_ctx)
{
    (void)prefill_ctx;
    (void)decode_ctx;
    *(double *)ctx += prefill_tokens;
    return 1e-3 * (1 + prefill_tokens / 1000 + decode_seqs / 100);
}

Test(prefix_hit, only_the_uncached_tokens_are_prefilled)
{
    /* 10 requests of 1,000 prompt tokens, 900 of them from the prefix cache: the steps
     * prefill 10 x (1,000 - 900) = 1,000 tokens in all; without the cache 10,000 */
    double pre = 0;
    struct rt_serve_config c = { .rate = INFINITY, .requests = 10, .prompt = 1000, .output = 2, .cached = 900,
                                 .step = count_prefill, .step_ctx = &pre };
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(pre, 1000.0, 1e-12, "%g", pre);
    pre = 0;
    c.cached = 0;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    assert_rel(pre, 10000.0, 1e-12, "%g", pre);
}

Test(prefix_hit, the_share_of_a_prompt_and_the_last_token)
{
    /* --prefix-hit 0.9 on 1,000-token prompts: 900 cached; --prefix-hit 1: 999 (the last
     * prompt token is computed for its logits) */
    struct rt_spec sp = base_spec("llama-3.1-8b", "h100-sxm", "bf16", "vllm");
    sp.prompt = 1000;
    sp.output = 100;
    sp.rate = 2;
    sp.requests = 50;
    sp.prefix_hit = 0.9;
    struct rt_resolved rs;
    struct rt_result r = run(&sp, &rs);
    cr_assert_eq(r.serving.prefix_cached, 900);
    sp.prefix_hit = 1;
    r = run(&sp, &rs);
    cr_assert_eq(r.serving.prefix_cached, 999);
}

Test(prefix_hit, the_prefix_is_held_once_in_the_pool)
{
    /* Llama 3.1 8B, bf16 KV: 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes = 131,072
     * bytes per token; 900 cached tokens are 117,964,800 bytes, taken once from the pool
     * and no longer reserved by each sequence */
    struct rt_spec sp = base_spec("llama-3.1-8b", "h100-sxm", "bf16", "vllm");
    sp.prompt = 1000;
    sp.output = 100;
    sp.rate = 2;
    struct rt_resolved rs, rs0;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs0, err, sizeof err), RT_OK, "%s", err);
    sp.prefix_hit = 0.9;
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    struct rt_serve_opts o = { .rate = 2, .requests = 50 };
    struct rt_serve_step st0, st;
    struct rt_serve_config c0, c;
    rt_serve_config_of(&rs0.s, &o, &st0, &c0);
    rt_serve_config_of(&rs.s, &o, &st, &c);
    assert_rel(c0.kv_seq - c.kv_seq, 117964800.0, 1e-9, "%g", c0.kv_seq - c.kv_seq);
    assert_rel(c0.kv_capacity - c.kv_capacity, 117964800.0, 1e-9, "%g", c0.kv_capacity - c.kv_capacity);
}

Test(prefix_hit, needs_a_rate)
{
    struct rt_spec sp = base_spec("llama-3.1-8b", "h100-sxm", "bf16", "vllm");
    sp.prefix_hit = 0.5;
    struct rt_resolved rs;
    char err[512];
    cr_assert_neq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK);
    cr_assert(strstr(err, "--prefix-hit"), "%s", err);
}
