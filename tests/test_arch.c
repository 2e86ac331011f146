/* test_arch.c - layer groups: hybrid, sliding, chunked, latent and recurrent
 * layers; the serving step time; importers fed real config.json shapes.  Every
 * expected figure is worked by hand in the comment beside it or published. */
#include "base/slurp.h"
#include "helpers.h"

/* --- rt_step_time: one continuous-batching step --- */

Test(step, decode_only_equals_the_decode_step)
{
    /* a decode step of B sequences at context P (output 1: the step at exactly P)
     * is the same pass as rt_step_time with no prefill and B sequences at P */
    static const char *const ids[] = { "llama-3.1-8b", "deepseek-v3", "mixtral-8x7b", "gemma-2-9b" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        int64_t n = strcmp(ids[i], "deepseek-v3") == 0 ? 8 : 1;
        struct rt_resolved *rs = scen(ids[i], "h100-sxm", "bf16", n, 16, 3000, 1, "vllm");
        struct rt_params p;
        rt_count_params(rs->s.model, &p);
        struct rt_phase dc, st;
        double touched;
        rt_decode(&rs->s, &p, &dc, &touched);
        double t = rt_step_time(&rs->s, &p, 0, 0, 16, 3000, &st);
        assert_rel(t, dc.time_s, 1e-12, "%s: step %.6g vs decode %.6g", ids[i], t, dc.time_s);
        assert_rel(st.flops, dc.flops, 1e-12, "%s flops", ids[i]);
        assert_rel(st.bytes, dc.bytes, 1e-12, "%s bytes", ids[i]);
    }
}

Test(step, prefill_only_equals_the_prefill)
{
    /* one sequence of T = 2000 prompt tokens: its positions attend (T + 1) / 2
     * tokens on average (T (T + 1) / 2 causal pairs over T queries); the prefill
     * adds the per-request overhead, the step does not (the ideal engine has none) */
    static const char *const ids[] = { "llama-3.1-8b", "deepseek-v3", "mixtral-8x7b" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        int64_t n = strcmp(ids[i], "deepseek-v3") == 0 ? 8 : 1;
        struct rt_resolved *rs = scen(ids[i], "h100-sxm", "bf16", n, 1, 2000, 1, NULL);
        struct rt_params p;
        rt_count_params(rs->s.model, &p);
        struct rt_phase pf;
        rt_prefill(&rs->s, &p, &pf);
        double t = rt_step_time(&rs->s, &p, 2000, 2001 / 2.0, 0, 0, NULL);
        assert_rel(t, pf.time_s - rs->s.engine->request_overhead_s, 1e-12, "%s: step %.6g vs prefill %.6g", ids[i],
                   t, pf.time_s);
    }
}

Test(step, mixed_step_reads_the_weights_once)
{
    /* a mixed step costs less than its prefill and decode run apart (the weights
     * are read once), and more than either alone */
    struct rt_resolved *rs = scen("llama-3.1-70b", "h100-sxm", "bf16", 4, 32, 2000, 1, "vllm");
    struct rt_params p;
    rt_count_params(rs->s.model, &p);
    double pf = rt_step_time(&rs->s, &p, 512, 256, 0, 0, NULL);
    double dc = rt_step_time(&rs->s, &p, 0, 0, 32, 2000, NULL);
    double both = rt_step_time(&rs->s, &p, 512, 256, 32, 2000, NULL);
    cr_assert(both < pf + dc, "mixed %.6g vs apart %.6g", both, pf + dc);
    cr_assert(both > pf && both > dc);
    cr_assert_eq(rt_step_time(&rs->s, &p, 0, 0, 0, 0, NULL), 0.0);
}

/* --- real config.json files (tests/data/configs, sources in its README) --- */

#include <stdlib.h>
#include "import/gguf.h"
#include "import/hfconfig.h"
#include <sys/stat.h>
#include <unistd.h>

static struct rt_model model_file(const char *file, char *warn, size_t warnlen)
{
    const char *dir = getenv("srcdir");
    char path[1024], err[512], w[512];
    snprintf(path, sizeof path, "%s/tests/data/configs/%s", dir ? dir : ".", file);
    struct rt_model m;
    int rc = hfconfig_import(path, &m, warn ? warn : w, warn ? warnlen : sizeof w, err, sizeof err);
    cr_assert_eq(rc, RT_OK, "%s: %s", file, err);
    return m;
}

static const struct rt_format bf16 = { .bits = 16 };

/* Layers of a model that are of one mixer kind (and attention kind, -1: any). */
static int64_t layers_of(const struct rt_model *m, enum rt_mixer mix, int attn)
{
    struct rt_group g[RT_GROUPS_MAX];
    int n = rt_model_groups(m, g);
    int64_t c = 0;
    for (int i = 0; i < n; i++)
        if (g[i].mixer == mix && (attn < 0 || g[i].attn == (enum rt_attn)attn))
            c += g[i].count;
    return c;
}

Test(arch, gemma3_five_local_to_one_global_and_its_vision_tower)
{
    char warn[512];
    struct rt_model m = model_file("gemma-3-27b-it.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    /* text_config holds the model; vocab_size and the pattern are class defaults
     * (Gemma3TextConfig: 262208, sliding_window_pattern 6): of 62 layers, those
     * with (i + 1) % 6 == 0 are global: i = 5, 11, ..., 59 -> 10 global, 52 local */
    cr_assert_eq(m.vocab, 262208);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, RT_ATTN_FULL), 10);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, RT_ATTN_SLIDING), 52);
    /* per layer per token: 16 KV heads x (128 + 128) x 2 B = 8192 B; all 62 layers
     * keep a per-token cache: 62 x 8192 = 507,904 B */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 507904.0);
    /* at 32,768 tokens: 10 x 8192 x 32768 + 52 x 8192 x 1024 = 2,684,354,560 +
     * 436,207,616 = 3,120,562,176 B */
    cr_assert_eq(rt_kv_seq_bytes(&m, &bf16, false, 32768), 3120562176.0);
    cr_assert_eq(rt_state_bytes_per_sequence(&m, &bf16), 0.0);
    /* SigLIP tower: 27 x (4 x 1152^2 + 4 x 1152 + 2 x 1152 x 4304 + 4304 + 1152 +
     * 4 x 1152) = 411,466,608; patch embedding 3 x 14^2 x 1152 + 1152 = 678,528;
     * positions (896/14)^2 x 1152 = 4,718,592; post-LayerNorm 2,304 -> 416,866,032
     * (the report's 417 M vision encoder); projector 1152 + 1152 x 5376 = 6,194,304 */
    cr_assert_eq(m.extra_params, 416866032.0 + 6194304.0);
    /* Gemma 3 Technical Report, table 1: 417 M + 1,416 M + 25,600 M = 27.43 B */
    struct rt_params p;
    rt_count_params(&m, &p);
    assert_rel(p.total, 27.433e9, 0.005, "Gemma 3 27B %.5g", p.total);
}

Test(arch, gemma3_1b_ties_its_embeddings_by_class_default)
{
    /* the file says nothing about tie_word_embeddings: Gemma3TextConfig ties them.
     * Untied, the 262144 x 1152 = 302 M output matrix would add 30 %. Report: 1 B
     * (302 M embedding + 698 M non-embedding) */
    struct rt_model m = model_file("gemma-3-1b-it.json", NULL, 0);
    cr_assert(m.tied_embeddings);
    struct rt_params p;
    rt_count_params(&m, &p);
    assert_rel(p.total, 1.0e9, 0.005, "Gemma 3 1B %.5g", p.total);
    assert_rel(p.embed, 302e6, 0.001, "embedding %.5g", p.embed);
    /* sliding_window_pattern 6 over 26 layers: global at i = 5, 11, 17, 23 */
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, RT_ATTN_FULL), 4);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, RT_ATTN_SLIDING), 22);
}

Test(arch, gpt_oss_alternating_128_token_windows_with_sinks)
{
    char warn[512];
    struct rt_model m = model_file("gpt-oss-120b.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, RT_ATTN_SLIDING), 18);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, RT_ATTN_FULL), 18);
    /* 8 KV heads x (64 + 64) x 2 B = 2048 B per layer; 36 layers: 73,728 B/token */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 73728.0);
    /* at 8192 tokens: 18 x 2048 x 8192 + 18 x 2048 x 128 = 301,989,888 + 4,718,592 */
    cr_assert_eq(rt_kv_seq_bytes(&m, &bf16, false, 8192), 306708480.0);
    /* parameters by hand: attention 2880 x 4096 + 4096 + 2 (2880 x 512 + 512) +
     * 4096 x 2880 + 2880 + 64 sinks = 26,550,144; expert 3 x 2880^2 + 2 x 2880 +
     * 2880 = 24,891,840; router 128 x 2880 + 128; norms 2 x 2880; 36 layers, untied
     * 201088 x 2880 embedding and head, final norm: 116,829,156,672 = 116.83 B
     * (model card).  Active: 4 experts; the card's 5.13 B leaves out the
     * embedding table (a gather, not a matmul): 5,132,849,472 */
    struct rt_params p;
    rt_count_params(&m, &p);
    cr_assert_eq(p.total, 116829156672.0);
    cr_assert_eq(p.active - p.embed, 5132849472.0);
    /* the sinks: one logit per head per layer, 36 x 64 = 2304 parameters */
    struct rt_model ns = m;
    for (int i = 0; i < ns.n_groups; i++)
        ns.group[i].sinks = false;
    struct rt_params q;
    rt_count_params(&ns, &q);
    cr_assert_eq(p.total - q.total, 2304.0);
}

Test(arch, llama4_chunked_layers_with_a_global_layer_every_fourth)
{
    char warn[512];
    struct rt_model m = model_file("llama-4-scout-17b-16e-instruct.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    /* no_rope_layers default (Llama4TextConfig): layers with (i + 1) % 4 == 0 are
     * NoPE and global, the other 36 attend within chunks of 8192 */
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, RT_ATTN_CHUNKED), 36);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, RT_ATTN_FULL), 12);
    /* 8 x (128 + 128) x 2 = 4096 B per layer, 48 layers: 196,608 B/token */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 196608.0);
    /* at 32,768: 12 x 4096 x 32768 + 36 x 4096 x 8192 = 1,610,612,736 + 1,207,959,552 */
    cr_assert_eq(rt_kv_seq_bytes(&m, &bf16, false, 32768), 2818572288.0);
    /* this copy of the file has no vision_config (the card's 109 B counts the vision
     * tower): attention 48 x (2 x 5120^2 + 2 x 5120 x 1024) = 3,019,898,880; MoE 48 x
     * (16 experts + 1 shared of 3 x 5120 x 8192 = 125,829,120, router 16 x 5120) =
     * 102,680,494,080; norms 48 x 2 x 5120 + 5120; 202048 x 5120 embedding and head:
     * 107,769,861,120.  Active: 1 routed + 1 shared expert: 17,172,894,720 ("17B") */
    struct rt_params p;
    rt_count_params(&m, &p);
    cr_assert_eq(p.total, 107769861120.0);
    cr_assert_eq(p.active, 17172894720.0);
}

Test(arch, qwen3_next_three_deltanet_layers_to_one_attention)
{
    char warn[512];
    struct rt_model m = model_file("qwen3-next-80b-a3b-instruct.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    cr_assert_eq(layers_of(&m, RT_MIX_DELTANET, -1), 36);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, -1), 12);
    /* only the 12 attention layers cache per token: 2 x (256 + 256) x 2 B x 12 */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 24576.0);
    /* each DeltaNet layer keeps 32 value heads x 128 x 128 = 524,288 state values
     * and a convolution window of (2 x 16 x 128 + 32 x 128) x (4 - 1) = 24,576:
     * 548,864 x 2 B x 36 layers = 39,518,208 B per sequence, at any context */
    cr_assert_eq(rt_state_bytes_per_sequence(&m, &bf16), 39518208.0);
    struct rt_result r;
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 2, 1, 1024, 1, NULL);
    rs->model = m;
    r = estimate(&rs->s);
    cr_assert_eq(r.kv_state_bytes_per_sequence, 39518208.0);
    /* 80 B total (model card); the shared expert (512 wide) is in every layer */
    struct rt_params p;
    rt_count_params(&m, &p);
    assert_rel(p.total, 80e9, 0.005, "Qwen3-Next total %.5g", p.total);
    struct rt_group g[RT_GROUPS_MAX];
    int n = rt_model_groups(&m, g);
    for (int i = 0; i < n; i++)
        cr_assert_eq(g[i].shared_intermediate, 512);
}

Test(arch, nemotron_h_mamba2_hybrid_and_infinity)
{
    /* the file has "time_step_limit": [0.0, Infinity] (Python's json): accepted */
    char warn[512];
    struct rt_model m = model_file("nemotron-h-56b-base-8k.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    /* hybrid_override_pattern: 54 'M' Mamba2 blocks, 10 '*' attention, 54 '-' MLP */
    cr_assert_eq(layers_of(&m, RT_MIX_MAMBA2, -1), 54);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, -1), 10);
    cr_assert_eq(layers_of(&m, RT_MIX_NONE, -1), 54);
    /* KV: 10 layers x 8 x (128 + 128) x 2 B = 40,960 B/token */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 40960.0);
    /* state: 256 heads x 64 x 256 = 4,194,304 + conv (16384 + 2 x 8 x 256) x 3 =
     * 61,440 -> 4,255,744 x 2 B = 8,511,488 per layer x 54 = 459,620,352 B */
    cr_assert_eq(rt_state_bytes_per_sequence(&m, &bf16), 459620352.0);
    /* a Mamba2 mixer: in_proj 8192 x (2 x 16384 + 2 x 8 x 256 + 256) = 304,087,040,
     * conv 20,480 x 4 + 20,480 = 102,400, dt_bias/A_log/D 768, norm 16,384,
     * out_proj 16,384 x 8192 = 134,217,728: 438,424,320 */
    struct rt_group g[RT_GROUPS_MAX];
    int n = rt_model_groups(&m, g);
    for (int i = 0; i < n; i++) {
        struct rt_group_params gp;
        rt_group_params(&m, &g[i], &gp);
        if (g[i].mixer == RT_MIX_MAMBA2)
            cr_assert_eq(gp.mixer, 438424320.0);
        if (g[i].mixer == RT_MIX_NONE) /* squared-ReLU MLP: 2 x 8192 x 32768 */
            cr_assert_eq(gp.ffn_total, 536870912.0);
    }
    /* 56 B (the model's name; computed 56.3 B) */
    struct rt_params p;
    rt_count_params(&m, &p);
    assert_rel(p.total, 56e9, 0.01, "Nemotron-H 56B %.5g", p.total);
}

Test(arch, nemotron_3_super_latent_moe_and_float32_state)
{
    char warn[512];
    struct rt_model m = model_file("nemotron-3-super-120b-a12b-fp8.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    /* 40 Mamba2, 8 attention, 40 MoE blocks (MEMEMEM*E...).  Latent MoE: 512 routed
     * experts of 2 x 1024 x 2688 = 5,505,024 at the 1024-wide latent, a shared
     * squared-ReLU expert 2 x 4096 x 5376, router 512 x 4096, and the down and up
     * latent projections 2 x 4096 x 1024: 2,873,098,240 per MoE block, 175,636,480
     * of them active (22 experts).  Mamba2 109,635,968; attention (32 heads, 2 KV
     * heads of 128) 35,651,584; 88 + 1 norms of 4096; 131072 x 4096 embedding and
     * head: 120,668,687,360 total, 12,770,216,960 active ("120B-A12B") */
    struct rt_params p;
    rt_count_params(&m, &p);
    cr_assert_eq(p.total, 120668687360.0);
    cr_assert_eq(p.active, 12770216960.0);
    /* mamba_ssm_cache_dtype float32 for the recurrent state only (vLLM keeps the
     * convolution state in the cache's type): 40 x (128 x 64 x 128 x 4 B + (8192 +
     * 2 x 8 x 128) x 3 x 2 B) = 40 x (4,194,304 + 61,440) = 170,229,760 B; KV 8 x 2
     * x 256 x 2 B = 8192 */
    cr_assert_eq(rt_state_bytes_per_sequence(&m, &bf16), 170229760.0);
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 8192.0);
}

Test(arch, qwen35_text_config_layer_types_and_vision)
{
    char warn[512];
    struct rt_model m = model_file("qwen3.5-27b.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    /* layer_types: 48 linear_attention (Gated DeltaNet), 16 full_attention (gated) */
    cr_assert_eq(layers_of(&m, RT_MIX_DELTANET, -1), 48);
    cr_assert_eq(layers_of(&m, RT_MIX_ATTENTION, -1), 16);
    /* KV: 16 x 4 x (256 + 256) x 2 B = 65,536 B/token; the recurrent state in
     * float32 (mamba_ssm_dtype), the convolution state in bf16: 48 x 128 x 128 x 4 B
     * + (2 x 16 x 128 + 48 x 128) x 3 x 2 B = 3,145,728 + 61,440 = 3,207,168 per
     * layer x 48 = 153,944,064 B */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 65536.0);
    cr_assert_eq(rt_state_bytes_per_sequence(&m, &bf16), 153944064.0);
    /* Qwen3-VL-style tower: 27 x (4 x 1152^2 + 4 x 1152 + 2 x 1152 x 4304 + 4304 +
     * 1152 + 4 x 1152) + Conv3d 3 x 2 x 16^2 x 1152 + 1152 + 2304 positions x 1152
     * = 415,891,440; merger LayerNorm 2 x 1152, 4608^2 + 4608, 4608 x 5120 + 5120 =
     * 44,838,656 */
    cr_assert_eq(m.extra_params, 415891440.0 + 44838656.0);
}

Test(arch, nemotron_super_block_configs)
{
    /* Llama-3.3-Nemotron-Super-49B-v1: 80 DeciLM blocks, 31 without attention; the
     * other 49 keep 64 / 8 = 8 KV heads: 49 x 8 x 256 x 2 B = 200,704 B/token.
     * FFN widths from ffn_mult (0.5 .. 5.25) and attention summed over the blocks
     * (worked with the file's block list): 40,365,981,696 and 7,398,752,256 */
    char warn[512];
    struct rt_model m = model_file("llama-3_3-nemotron-super-49b-v1.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 200704.0);
    cr_assert_eq(layers_of(&m, RT_MIX_NONE, -1), 31);
    struct rt_params p;
    rt_count_params(&m, &p);
    cr_assert_eq(p.ffn, 40365981696.0);
    cr_assert_eq(p.attn, 7398752256.0);
    /* + 2 x 128256 x 8192 = 2,101,346,304 embedding and head + norms: 49.87 B (the
     * no-op blocks' missing norms, 0.25 M, are within the tolerance) */
    assert_rel(p.total, 40365981696.0 + 7398752256.0 + 2101346304.0, 1e-4, "Nemotron Super 49B %.10g", p.total);
}

Test(arch, deepseek_v32_indexer_keys_and_sparse_attention)
{
    char warn[512];
    struct rt_model m = model_file("deepseek-v3.2.json", warn, sizeof warn);
    /* per token per layer: latent 512 + RoPE key 64 + indexer key 128 = 704 values,
     * x 2 B x 61 layers = 85,888 B */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 85888.0);
    /* the indexer: wq_b 1536 x 64 x 128 = 12,582,912, wk 7168 x 128 = 917,504,
     * k_norm 256, weights_proj 7168 x 64 = 458,752: 13,959,424 per layer */
    struct rt_model plain = m;
    for (int i = 0; i < plain.n_groups; i++)
        plain.group[i].index_heads = 0;
    struct rt_params a, b;
    rt_count_params(&m, &a);
    rt_count_params(&plain, &b);
    cr_assert_eq(a.total - b.total, 61 * 13959424.0);
    /* decode: the main attention reads the top 2048 tokens only, the indexer
     * scores all of them; from 10,000 to 20,000 tokens of context only the
     * indexer's FLOPs grow: 61 x 2 x 64 heads x 128 x 10,000 = 9,994,240,000 */
    struct rt_resolved *rs = scen("deepseek-v3", "h100-sxm", "fp8", 8, 1, 10000, 1, NULL);
    rs->model = m;
    struct rt_result r1 = estimate(&rs->s);
    rs->s.prompt = 20000;
    struct rt_result r2 = estimate(&rs->s);
    assert_rel(r2.decode.flops - r1.decode.flops, 9994240000.0, 1e-9, "growth %.6g",
               r2.decode.flops - r1.decode.flops);
}

Test(arch, mistral_small_31_text_config_and_pixtral)
{
    char warn[512];
    struct rt_model m = model_file("mistral-small-3.1-24b-instruct-2503.json", warn, sizeof warn);
    cr_assert_eq(warn[0], 0, "%s", warn);
    cr_assert_eq(m.hidden, 5120);
    cr_assert_eq(m.layers, 40);
    /* 40 x 8 x (128 + 128) x 2 B = 163,840 B/token */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 163840.0);
    /* Pixtral: 24 x (4 x 1024^2 + 3 x 1024 x 4096 + 2 x 1024) + 3 x 14^2 x 1024 +
     * 1024 = 402,702,336 + 602,112 + 1,024 = 403,305,472; projector: norm 1024, patch merger 4 x 1024^2, 1024 x 5120,
     * 5120^2: 35,652,608 */
    cr_assert_eq(m.extra_params, 403305472.0 + 35652608.0);
    struct rt_params p;
    rt_count_params(&m, &p);
    assert_rel(p.total, 24.0e9, 0.005, "Mistral Small 3.1 %.5g", p.total);
}

Test(arch, unknown_model_type_with_latent_attention_and_moe_keys)
{
    /* Kimi K2 is DeepSeek-V3's layout under model_type kimi_k2; the keys decide,
     * whatever the name: rename it and nothing changes but the warning */
    struct rt_model k = model_file("kimi-k2-instruct.json", NULL, 0);
    const char *dir = getenv("srcdir");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/configs/kimi-k2-instruct.json", dir ? dir : ".");
    char *text = slurp_file(path, NULL, 1 << 20);
    cr_assert_not_null(text);
    char *at = strstr(text, "\"kimi_k2\"");
    cr_assert_not_null(at);
    memcpy(at, "\"zz_new2\"", 9);
    struct rt_model u;
    char warn[512], err[512];
    cr_assert_eq(hfconfig_parse(text, "config.json", &u, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    free(text);
    cr_assert(strstr(warn, "unknown model_type 'zz_new2'"), "%s", warn);
    struct rt_params a, b;
    rt_count_params(&k, &a);
    rt_count_params(&u, &b);
    cr_assert_eq(a.total, b.total);
    /* latent cache: (512 + 64) x 2 B x 61 = 70,272 B/token, not 61 x 64 heads x
     * (128 + 128) x 2 B = 4 MB as a Llama reading would have it */
    cr_assert_eq(rt_kv_bytes_per_token(&u, &bf16, false), 70272.0);
    /* by hand: MLA 101,124,096 per layer x 61; one dense layer 3 x 7168 x 18432;
     * 60 MoE layers of 384 experts x 44,040,192 + a shared one + router 384 x 7168
     * + 384 biases (noaux_tc); norms; 163840 x 7168 embedding and head:
     * 1,026,408,232,448 (the model card's "1 trillion") */
    cr_assert_eq(a.total, 1026408232448.0);
    /* active: 8 routed + 1 shared: 32.86 B, 31.69 B without the embedding table
     * (the model card: 32 B activated) */
    assert_rel(a.active - a.embed, 31.687e9, 1e-4, "active %.5g", a.active - a.embed);
}

Test(arch, nan_and_infinity_outside_strings_only)
{
    char *t = hfconfig_relax("{\"a\": [NaN, -Infinity, Infinity], \"s\": \"NaN Infinity\", \"NaNo\": 1}");
    cr_assert_str_eq(t, "{\"a\": [null, null, null], \"s\": \"NaN Infinity\", \"NaNo\": 1}");
    free(t);
    t = hfconfig_relax("{\"e\": \"\\\"Infinity\\\"\"}");
    cr_assert_str_eq(t, "{\"e\": \"\\\"Infinity\\\"\"}");
    free(t);
}

Test(arch, ignored_keys_are_named)
{
    struct rt_model m;
    char warn[512], err[512];
    cr_assert_eq(hfconfig_parse("{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,"
                                "\"num_attention_heads\":4,\"intermediate_size\":128,\"vocab_size\":100,"
                                "\"num_memory_layers\":3,\"rope_theta\":10000}",
                                "c.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert(strstr(warn, "ignored keys: num_memory_layers"), "%s", warn);
    cr_assert(!strstr(warn, "rope_theta"), "%s", warn);
}

/* --- decode of a sliding-window model --- */

Test(arch, sliding_window_decode_stops_growing_past_the_window)
{
    /* Mistral 7B v0.1: a 4096-token window on every layer.  A decode step reads
     * min(context, 4096) cached tokens per layer: the same at 5,000 and 50,000 */
    struct rt_resolved *rs = scen("mistral-7b", "h100-sxm", "bf16", 1, 8, 5000, 1, NULL);
    struct rt_result a = estimate(&rs->s);
    rs->s.prompt = 50000;
    struct rt_result b = estimate(&rs->s);
    cr_assert_eq(a.decode.time_s, b.decode.time_s);
    cr_assert_eq(a.decode.bytes, b.decode.bytes);
    /* below the window it grows: 8 sequences x 32 layers x 2000 more tokens x
     * 8 x 256 x 2 B = 2,097,152,000 more bytes per step at 3000 than at 1000 */
    rs->s.prompt = 1000;
    struct rt_result c = estimate(&rs->s);
    rs->s.prompt = 3000;
    struct rt_result d = estimate(&rs->s);
    assert_rel(d.decode.bytes - c.decode.bytes, 2097152000.0, 1e-9, "%.6g", d.decode.bytes - c.decode.bytes);
}

/* --- where each group starts: the layer order, decided once when the model is read --- */

/* The first layer of the group of this mixer, attention kind (-1: any) and FFN kind (MoE
 * or not); -1: no such group. */
static int first_of(const struct rt_model *m, enum rt_mixer mix, int attn, bool moe)
{
    for (int i = 0; i < m->n_groups; i++) {
        const struct rt_group *g = &m->group[i];
        if (g->mixer == mix && (attn < 0 || g->attn == (enum rt_attn)attn) && (g->experts > 0) == moe)
            return g->first;
    }
    return -1;
}

Test(arch, each_group_starts_at_its_first_layer)
{
    /* DeepSeek-V3.2 (first_k_dense_replace 3, 61 layers): layers 0-2 dense, 3-60 MoE */
    struct rt_model m = model_file("deepseek-v3.2.json", NULL, 0);
    cr_assert_eq(first_of(&m, RT_MIX_ATTENTION, -1, false), 0);
    cr_assert_eq(first_of(&m, RT_MIX_ATTENTION, -1, true), 3);
    /* Kimi K2 (first_k_dense_replace 1): the MoE layers start at layer 1 */
    m = model_file("kimi-k2-instruct.json", NULL, 0);
    cr_assert_eq(first_of(&m, RT_MIX_ATTENTION, -1, true), 1);
    /* Gemma 3 1B (sliding_window_pattern 6): layer i is global when (i + 1) % 6 == 0, so
     * the local layers start at 0 and the global ones at 5 */
    m = model_file("gemma-3-1b-it.json", NULL, 0);
    cr_assert_eq(first_of(&m, RT_MIX_ATTENTION, RT_ATTN_SLIDING, false), 0);
    cr_assert_eq(first_of(&m, RT_MIX_ATTENTION, RT_ATTN_FULL, false), 5);
    /* Qwen3-Next (full_attention_interval 4): DeltaNet layers 0, 1, 2, attention at 3 */
    m = model_file("qwen3-next-80b-a3b-instruct.json", NULL, 0);
    cr_assert_eq(first_of(&m, RT_MIX_DELTANET, -1, true), 0);
    cr_assert_eq(first_of(&m, RT_MIX_ATTENTION, -1, true), 3);
    /* Llama 4 Maverick (catalog; interleave_moe_layer_step 2: layer i is MoE when
     * (i + 1) % 2 == 0; chunked unless (i + 1) % 4 == 0): dense chunked layers from 0,
     * MoE chunked from 1, MoE global from 3 */
    const struct rt_model *mv = scen("llama-4-maverick", "h100-sxm", "bf16", 8, 1, 1024, 1, NULL)->s.model;
    cr_assert_eq(first_of(mv, RT_MIX_ATTENTION, RT_ATTN_CHUNKED, false), 0);
    cr_assert_eq(first_of(mv, RT_MIX_ATTENTION, RT_ATTN_CHUNKED, true), 1);
    cr_assert_eq(first_of(mv, RT_MIX_ATTENTION, RT_ATTN_FULL, true), 3);
}

/* The plain fields are a view of the groups: for every catalog model, each plain
 * attention shape is some attention group's, the experts are the MoE group's, and the
 * leading dense layers are where the first MoE group starts. */
Test(arch, the_plain_fields_are_a_view_of_the_groups)
{
    const struct catalog *c = cat();
    for (size_t k = 0; k < c->n_models; k++) {
        const struct rt_model *m = &c->models[k];
        bool shape = rt_main_attention(m) == NULL;
        int64_t lead = m->layers;
        for (int i = 0; i < m->n_groups; i++) {
            const struct rt_group *g = &m->group[i];
            if (g->mixer == RT_MIX_ATTENTION && g->heads == m->heads && g->kv_lora_rank == m->kv_lora_rank &&
                (rt_group_mla(g) || g->kv_heads == m->kv_heads))
                shape = true;
            if (g->experts > 0 && g->first < lead)
                lead = g->first;
        }
        cr_assert(shape, "%s: no attention group of %lld heads, %lld KV heads", m->id, (long long)m->heads,
                  (long long)m->kv_heads);
        const struct rt_group *moe = rt_moe_group(m);
        cr_assert_eq(m->experts, moe ? moe->experts : 0, "%s: experts", m->id);
        cr_assert_eq(m->experts_per_token, moe ? moe->experts_per_token : 0, "%s: experts per token", m->id);
        if (moe)
            cr_assert_eq(m->first_dense, lead, "%s: %lld dense layers first, the MoE groups start at %lld", m->id,
                         (long long)m->first_dense, (long long)lead);
    }
}

Test(arch, plain_groups_start_where_the_plain_fields_put_them)
{
    /* a model written by hand: 10 layers, the first 4 dense, a window on every layer
     * but those with (i + 1) % 3 == 0 (i = 2, 5, 8).  Dense [0, 4): local 0, 1, 3 from
     * 0, global 2 from 2; MoE [4, 10): local 4, 6, 7, 9 from 4, global 5, 8 from 5 */
    struct rt_model m = { .id = "hand", .hidden = 64, .layers = 10, .heads = 4, .kv_heads = 4, .head_dim = 16,
                          .v_head_dim = 16, .intermediate = 128, .vocab = 100, .experts = 8, .experts_per_token = 2,
                          .expert_intermediate = 32, .first_dense = 4, .swa = RT_SWA_ALTERNATE, .window = 16,
                          .swa_period = 3, .norms_per_layer = 2 };
    m.n_groups = rt_plain_groups(&m, m.group);
    cr_assert_eq(m.n_groups, 4);
    const int64_t count[4][2] = { { 3, 0 }, { 1, 2 }, { 4, 4 }, { 2, 5 } }; /* {count, first} in build order */
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(m.group[i].count, count[i][0], "group %d: %lld layers", i, (long long)m.group[i].count);
        cr_assert_eq(m.group[i].first, count[i][1], "group %d starts at %lld", i, (long long)m.group[i].first);
    }
}

/* --- GGUF: the same architectures from a header --- */

struct buf { unsigned char d[1 << 14]; size_t n; };
static void u32(struct buf *b, uint32_t v) { for (int i = 0; i < 4; i++) b->d[b->n++] = (unsigned char)(v >> (8 * i)); }
static void u64(struct buf *b, uint64_t v) { for (int i = 0; i < 8; i++) b->d[b->n++] = (unsigned char)(v >> (8 * i)); }
static void gstr(struct buf *b, const char *s) { u64(b, strlen(s)); memcpy(b->d + b->n, s, strlen(s)); b->n += strlen(s); }
static void kv_u32(struct buf *b, const char *k, uint32_t v) { gstr(b, k); u32(b, 4); u32(b, v); }
static void kv_arr(struct buf *b, const char *k, const uint32_t *v, int n)
{
    gstr(b, k);
    u32(b, 9); /* array */
    u32(b, 4); /* of u32 */
    u64(b, (uint64_t)n);
    for (int i = 0; i < n; i++)
        u32(b, v[i]);
}
static void tensor(struct buf *b, const char *name, uint64_t d0, uint64_t d1)
{
    gstr(b, name);
    u32(b, 2);
    u64(b, d0);
    u64(b, d1);
    u32(b, 1); /* f16 */
    u64(b, 0);
}

Test(arch, gguf_hybrid_from_per_layer_arrays_and_ssm_keys)
{
    /* a small Nemotron-H as llama.cpp writes it: head_count_kv and
     * feed_forward_length per layer (0 where a block has none), ssm.* for the
     * Mamba2 blocks (time_step_rank = heads, inner_size = heads x head dim) */
    static struct buf b;
    memcpy(b.d, "GGUF", 4);
    b.n = 4;
    u32(&b, 3);
    u64(&b, 2);
    u64(&b, 12);
    gstr(&b, "general.architecture"); u32(&b, 8); gstr(&b, "nemotron_h");
    kv_u32(&b, "nemotron_h.block_count", 4);
    kv_u32(&b, "nemotron_h.embedding_length", 256);
    kv_u32(&b, "nemotron_h.attention.head_count", 4);
    kv_u32(&b, "nemotron_h.vocab_size", 1000);
    kv_u32(&b, "nemotron_h.ssm.conv_kernel", 4);
    kv_u32(&b, "nemotron_h.ssm.inner_size", 512);
    kv_u32(&b, "nemotron_h.ssm.state_size", 16);
    kv_u32(&b, "nemotron_h.ssm.time_step_rank", 8);
    kv_u32(&b, "nemotron_h.ssm.group_count", 2);
    static const uint32_t kv[4] = { 0, 2, 0, 0 }, ff[4] = { 0, 0, 0, 1024 };
    kv_arr(&b, "nemotron_h.attention.head_count_kv", kv, 4);
    kv_arr(&b, "nemotron_h.feed_forward_length", ff, 4);
    tensor(&b, "token_embd.weight", 256, 1000);
    tensor(&b, "output.weight", 256, 1000);
    struct rt_model g;
    char err[512];
    cr_assert_eq(gguf_parse(b.d, b.n, "h.gguf", &g, NULL, err, sizeof err), RT_OK, "%s", err);
    /* the same model as a config.json */
    struct rt_model c;
    char warn[512];
    cr_assert_eq(hfconfig_parse("{\"model_type\":\"nemotron_h\",\"hidden_size\":256,\"num_hidden_layers\":4,"
                                "\"num_attention_heads\":4,\"num_key_value_heads\":2,\"intermediate_size\":1024,"
                                "\"vocab_size\":1000,\"hybrid_override_pattern\":\"M*M-\",\"mamba_num_heads\":8,"
                                "\"mamba_head_dim\":64,\"n_groups\":2,\"ssm_state_size\":16,\"conv_kernel\":4,"
                                "\"tie_word_embeddings\":false}",
                                "c.json", &c, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    struct rt_params a, p;
    rt_count_params(&g, &a);
    rt_count_params(&c, &p);
    cr_assert_eq(a.total, p.total, "%.6g vs %.6g", a.total, p.total);
    cr_assert_eq(layers_of(&g, RT_MIX_MAMBA2, -1), 2);
    cr_assert_eq(layers_of(&g, RT_MIX_NONE, -1), 1);
    /* one attention layer: 2 x (64 + 64) x 2 B = 512 B/token; two Mamba2 layers of
     * 8 x 64 x 16 = 8192 state values + (512 + 2 x 2 x 16) x 3 = 1728 convolution
     * inputs: 2 x 9920 x 2 B = 39,680 B */
    cr_assert_eq(rt_kv_bytes_per_token(&g, &bf16, false), 512.0);
    cr_assert_eq(rt_state_bytes_per_sequence(&g, &bf16), 39680.0);
}

Test(arch, gguf_gemma3_window_pattern_from_the_family_table)
{
    /* gemma3 headers carry the window, not the pattern: the family table's
     * every-sixth-global applies, and tied embeddings follow from no output.weight */
    static struct buf b;
    memcpy(b.d, "GGUF", 4);
    b.n = 4;
    u32(&b, 3);
    u64(&b, 1);
    u64(&b, 9);
    gstr(&b, "general.architecture"); u32(&b, 8); gstr(&b, "gemma3");
    kv_u32(&b, "gemma3.block_count", 12);
    kv_u32(&b, "gemma3.embedding_length", 256);
    kv_u32(&b, "gemma3.feed_forward_length", 1024);
    kv_u32(&b, "gemma3.attention.head_count", 4);
    kv_u32(&b, "gemma3.attention.head_count_kv", 1);
    kv_u32(&b, "gemma3.attention.key_length", 64);
    kv_u32(&b, "gemma3.attention.sliding_window", 512);
    kv_u32(&b, "gemma3.vocab_size", 1000);
    tensor(&b, "token_embd.weight", 256, 1000);
    struct rt_model g;
    char err[512];
    cr_assert_eq(gguf_parse(b.d, b.n, "g.gguf", &g, NULL, err, sizeof err), RT_OK, "%s", err);
    cr_assert(g.tied_embeddings);
    cr_assert_eq(layers_of(&g, RT_MIX_ATTENTION, RT_ATTN_SLIDING), 10);
    cr_assert_eq(layers_of(&g, RT_MIX_ATTENTION, RT_ATTN_FULL), 2);
    /* at 4096 tokens: (2 x 4096 + 10 x 512) x 1 x (64 + 64) x 2 B = 3,407,872 B */
    cr_assert_eq(rt_kv_seq_bytes(&g, &bf16, false, 4096), 3407872.0);
}

Test(arch, decilm_block_configs)
{
    /* block_configs as in nvidia/Llama-3_3-Nemotron-Super-49B-v1's config.json
     * (DeciLMConfig): per layer, attention with n_heads_in_group or a no-op, and
     * an FFN of ffn_mult (width int(2 x mult x 8192 / 3) rounded up to 256:
     * 2.625 -> 14336, 5.25 -> 28672) */
    const char *json =
        "{\"model_type\":\"nemotron-nas\",\"hidden_size\":8192,\"num_hidden_layers\":3,"
        "\"num_attention_heads\":64,\"vocab_size\":128256,\"max_position_embeddings\":131072,"
        "\"block_configs\":["
        "{\"attention\":{\"n_heads_in_group\":8,\"no_op\":false,\"replace_with_linear\":false},"
        " \"ffn\":{\"ffn_mult\":2.625,\"no_op\":false,\"replace_with_linear\":false}},"
        "{\"attention\":{\"n_heads_in_group\":8,\"no_op\":false,\"replace_with_linear\":false},"
        " \"ffn\":{\"ffn_mult\":5.25,\"no_op\":false,\"replace_with_linear\":false}},"
        "{\"attention\":{\"n_heads_in_group\":null,\"no_op\":true,\"replace_with_linear\":false},"
        " \"ffn\":{\"ffn_mult\":2.625,\"no_op\":false,\"replace_with_linear\":false}}]}";
    struct rt_model m;
    char warn[512], err[512];
    cr_assert_eq(hfconfig_parse(json, "c.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    /* KV: two attention layers of 64 / 8 = 8 KV heads x (128 + 128) x 2 B = 4096 B */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 8192.0);
    cr_assert_eq(layers_of(&m, RT_MIX_NONE, -1), 1);
    /* FFNs: 3 x 8192 x (14336 + 28672 + 14336) = 1,409,286,144; attention 2 x
     * (8192 x 8192 x 2 + 2 x 8192 x 1024) = 301,989,888 */
    struct rt_params p;
    rt_count_params(&m, &p);
    cr_assert_eq(p.ffn, 1409286144.0);
    cr_assert_eq(p.attn, 301989888.0);
}

Test(arch, more_layer_kinds_than_groups_average_the_ffn_widths)
{
    /* 20 DeciLM blocks with 20 FFN widths (ffn_mult 1.0, 1.25, ... 5.75 at hidden
     * 3072: int(2 x mult x 3072 / 3) = 2048, 2560, ... 11776) exceed the groups: the
     * widths are averaged, and the FFN total stays within half a width per layer */
    char json[8192];
    size_t n = (size_t)snprintf(json, sizeof json,
                                "{\"model_type\":\"nemotron-nas\",\"hidden_size\":3072,\"num_hidden_layers\":20,"
                                "\"num_attention_heads\":24,\"vocab_size\":1000,\"block_configs\":[");
    double widths = 0;
    for (int i = 0; i < 20; i++) {
        double mult = 1.0 + 0.25 * i;
        int64_t w = (int64_t)(2.0 * mult * 3072 / 3.0);
        widths += (double)((w + 255) / 256 * 256);
        n += (size_t)snprintf(json + n, sizeof json - n,
                              "%s{\"attention\":{\"n_heads_in_group\":4,\"no_op\":false},\"ffn\":{\"ffn_mult\":%g}}",
                              i ? "," : "", mult);
    }
    snprintf(json + n, sizeof json - n, "]}");
    struct rt_model m;
    char warn[512], err[512];
    cr_assert_eq(hfconfig_parse(json, "c.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert(strstr(warn, "averaged"), "%s", warn);
    struct rt_params p;
    rt_count_params(&m, &p);
    cr_assert(fabs(p.ffn - 3.0 * 3072 * widths) <= 3.0 * 3072 * 0.5 * 20, "%.6g vs %.6g", p.ffn, 3.0 * 3072 * widths);
}

Test(arch, catalog_entries_read_like_their_files)
{
    /* the catalog's entries go through the same interpreter: the Gemma 3 27B entry
     * keeps the file's 5:1 pattern (3,120,562,176 B at 32,768 tokens, as worked in
     * gemma3_five_local_to_one_global_and_its_vision_tower) and gpt-oss-120b its
     * alternation (18 x 2048 x 32768 + 18 x 2048 x 128 = 1,212,678,144 B) */
    struct rt_format b16 = { .bits = 16 };
    cr_assert_eq(rt_kv_seq_bytes(catalog_model(cat(), "gemma-3-27b"), &b16, false, 32768), 3120562176.0);
    cr_assert_eq(rt_kv_seq_bytes(catalog_model(cat(), "gpt-oss-120b"), &b16, false, 32768), 1212678144.0);
    struct rt_model f = model_file("gemma-3-27b-it.json", NULL, 0);
    struct rt_params a, c;
    rt_count_params(&f, &a);
    rt_count_params(catalog_model(cat(), "gemma-3-27b"), &c);
    cr_assert_eq(a.total, c.total);
}

/* --weights native reads the format a config.json ships: quantization_config's
 * quant_method first, torch_dtype else (the three files are the published ones). */
Test(arch, native_format_from_the_config)
{
    char warn[512];
    struct rt_model m = model_file("gpt-oss-120b.json", warn, sizeof warn);
    cr_assert_str_eq(m.native_weights, "mxfp4");
    /* its modules_to_not_convert names model.layers.*.self_attn and model.layers.*.mlp.router:
     * those tensor classes stay at the file's torch_dtype, bfloat16 */
    cr_assert_str_eq(m.native_attn, "bf16");
    cr_assert_str_eq(m.native_dense, "bf16");
    m = model_file("kimi-k2-instruct.json", warn, sizeof warn);
    cr_assert_str_eq(m.native_weights, "fp8", "quant_method wins over torch_dtype");
    cr_assert_str_eq(m.native_attn, "", "no modules_to_not_convert: every class is fp8");
    m = model_file("gemma-3-1b-it.json", warn, sizeof warn);
    cr_assert_str_eq(m.native_weights, "bf16");
    m = model_file("qwen3.5-27b.json", warn, sizeof warn);
    cr_assert_str_eq(m.native_weights, "", "the file says nothing: left unknown");
}

/* A ModelOpt checkpoint's config.json names quant_method "modelopt", its quant_algo and the
 * modules it left out under ignore (the older nested form: quantization.exclude_modules), as
 * vLLM's modelopt.py reads them.  These are that form written small, not a published file:
 * NVFP4 with every self_attn ignored is nvfp4 with bf16 attention (NVIDIA's FP4 DeepSeek
 * checkpoints); an FP8 algorithm is fp8; a weight-only NVFP4 has no catalog format. */
Test(arch, native_format_of_a_modelopt_checkpoint)
{
    static const char *const base = "{\"model_type\":\"llama\",\"hidden_size\":512,\"num_hidden_layers\":2,"
                                     "\"num_attention_heads\":8,\"intermediate_size\":1024,\"vocab_size\":1000,"
                                     "\"torch_dtype\":\"bfloat16\",\"quantization_config\":%s}";
    static const char *const cases[][3] = {
        { "{\"quant_method\":\"modelopt\",\"quant_algo\":\"NVFP4\",\"ignore\":[\"lm_head\",\"model.layers.*.self_attn*\"]}",
          "nvfp4", "bf16" },
        { "{\"quant_method\":\"modelopt\",\"quantization\":{\"quant_algo\":\"NVFP4\",\"exclude_modules\":"
          "[\"model.layers.0.self_attn*\",\"model.layers.1.self_attn*\"]}}", "nvfp4", "bf16" },
        { "{\"quant_method\":\"modelopt\",\"quant_algo\":\"FP8\",\"ignore\":[\"lm_head\"]}", "fp8", "" },
        { "{\"quant_method\":\"modelopt\",\"quant_algo\":\"W4A16_NVFP4\"}", "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[1024], warn[512], err[512];
        snprintf(json, sizeof json, base, cases[i][0]);
        struct rt_model m;
        cr_assert_eq(hfconfig_parse(json, "c.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
        cr_assert_str_eq(m.native_weights, cases[i][1], "case %zu", i);
        cr_assert_str_eq(m.native_attn, cases[i][2], "case %zu", i);
        cr_assert_str_eq(m.native_dense, "", "case %zu: the FFN outside the experts is not left out", i);
    }
}

/* A quantised checkpoint whose format rooftop lacks (ModelOpt's MXFP8, weight-only NVFP4 or
 * mixed precision, a quant_algo missing, empty or not a string, bitsandbytes, GPTQ at 3 bits)
 * was read as bf16 without a word: a 4- or 8-bit file sized at 16 bits.  Now the import warns,
 * naming the file, the quant_method and the quant_algo; a format it knows warns nothing. */
Test(arch, a_quantization_config_without_a_catalog_format_is_named_in_a_warning)
{
    static const char *const base = "{\"model_type\":\"llama\",\"hidden_size\":512,\"num_hidden_layers\":2,"
                                     "\"num_attention_heads\":8,\"intermediate_size\":1024,\"vocab_size\":1000,"
                                     "\"torch_dtype\":\"bfloat16\",\"quantization_config\":%s}";
    static const char *const cases[][2] = {
        { "{\"quant_method\":\"modelopt\",\"quant_algo\":\"MXFP8\"}", "quant_algo 'MXFP8'" },
        { "{\"quant_method\":\"modelopt\",\"quant_algo\":\"W4A16_NVFP4\"}", "quant_algo 'W4A16_NVFP4'" },
        { "{\"quant_method\":\"modelopt\",\"quantization\":{\"quant_algo\":\"MIXED_PRECISION\"}}",
          "quant_algo 'MIXED_PRECISION'" },
        { "{\"quant_method\":\"modelopt\"}", "quant_algo '(none)'" },
        { "{\"quant_method\":\"modelopt\",\"quant_algo\":4}", "quant_algo '(none)'" },
        { "{\"quant_method\":\"modelopt\",\"quant_algo\":\"\"}", "quant_algo ''" },
        { "{\"quant_method\":\"modelopt\",\"quantization\":{},\"quant_algo\":\"NVFP4\"}", "quant_algo '(none)'" },
        { "{\"quant_method\":\"bitsandbytes\"}", "quant_method 'bitsandbytes'" },
        { "{\"quant_method\":\"gptq\",\"bits\":3}", "quant_method 'gptq'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[1024], warn[512], err[512];
        snprintf(json, sizeof json, base, cases[i][0]);
        struct rt_model m;
        cr_assert_eq(hfconfig_parse(json, "q.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
        cr_assert_str_eq(m.native_weights, "", "case %zu: no format named", i);
        cr_assert(strncmp(warn, "q.json: ", 8) == 0 && strstr(warn, cases[i][1]) &&
                  strstr(warn, "--weights native reads the weights as bf16"), "case %zu: %s", i, warn);
    }
    char json[1024], warn[512], err[512];
    snprintf(json, sizeof json, base, "{\"quant_method\":\"modelopt\",\"quant_algo\":\"NVFP4\"}");
    struct rt_model m;
    cr_assert_eq(hfconfig_parse(json, "q.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(m.native_weights, "nvfp4");
    cr_assert_str_eq(warn, "", "a format rooftop knows: no warning");
    /* the self_attn of one layer of two left out: counted for both (one class), and said so;
     * both named one by one, or by a wildcard: nothing to say */
    snprintf(json, sizeof json, base, "{\"quant_method\":\"modelopt\",\"quant_algo\":\"NVFP4\","
             "\"ignore\":[\"model.layers.1.self_attn*\",\"model.layers.1.self_attn.o_proj\"]}");
    cr_assert_eq(hfconfig_parse(json, "q.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(m.native_attn, "bf16");
    cr_assert(strstr(warn, "q.json: quantization_config leaves out the self_attn of 1 of the 2 layers: the attention "
                           "of every layer is counted at bf16"), "%s", warn);
    const char *whole[] = { "[\"model.layers.0.self_attn*\",\"model.layers.1.self_attn*\"]", "[\"*self_attn*\"]",
                            "[\"model.layers.1.self_attn*\",\"model.layers.*.self_attn*\"]" };
    for (size_t i = 0; i < 3; i++) {
        char q[256];
        snprintf(q, sizeof q, "{\"quant_method\":\"modelopt\",\"quant_algo\":\"NVFP4\",\"ignore\":%s}", whole[i]);
        snprintf(json, sizeof json, base, q);
        cr_assert_eq(hfconfig_parse(json, "q.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
        cr_assert_str_eq(m.native_attn, "bf16");
        cr_assert_str_eq(warn, "", "case %zu: %s", i, warn);
    }
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* A fresh folder holding a two-layer bf16 Llama config.json; cfg its path, q where an
 * hf_quant_config.json beside it goes (not written). */
static void two_layer_bf16_config(char dir[512], char cfg[600], char q[600])
{
    snprintf(dir, 512, "%s/rooftop-mo-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cfg, 600, "%s/config.json", dir);
    snprintf(q, 600, "%s/hf_quant_config.json", dir);
    write_text(cfg, "{\"model_type\":\"llama\",\"hidden_size\":512,\"num_hidden_layers\":2,\"num_attention_heads\":8,"
                    "\"intermediate_size\":1024,\"vocab_size\":1000,\"torch_dtype\":\"bfloat16\"}");
}

/* A ModelOpt checkpoint whose config.json carries no quantization_config (NVIDIA's first FP4
 * DeepSeek-R1) keeps it in hf_quant_config.json beside it, in the nested form ModelOpt's
 * DeepSeek recipe writes: read with the config, its excluded self_attn modules at the
 * config's torch_dtype.  Without that file the config's own torch_dtype stands. */
Test(arch, a_modelopt_hf_quant_config_beside_the_config)
{
    char dir[512], cfg[600], q[600];
    two_layer_bf16_config(dir, cfg, q);
    struct rt_model m;
    char warn[512], err[512];
    cr_assert_eq(hfconfig_import(cfg, &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(m.native_weights, "bf16", "no quantization file: the torch_dtype");
    write_text(q, "{\"producer\":{\"name\":\"modelopt\"},\"quantization\":{\"quant_algo\":\"NVFP4\",\"group_size\":16,"
                  "\"exclude_modules\":[\"lm_head\",\"model.layers.0.self_attn*\",\"model.layers.1.self_attn*\"]}}");
    cr_assert_eq(hfconfig_import(cfg, &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(m.native_weights, "nvfp4");
    cr_assert_str_eq(m.native_attn, "bf16");
    cr_assert(strstr(m.native_source, "hf_quant_config.json"), "%s", m.native_source);
    cr_assert_eq(unlink(q), 0);
    cr_assert_eq(mkdir(q, 0700), 0); /* a folder where the file would be: said, and the config stands */
    cr_assert_eq(hfconfig_import(cfg, &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(m.native_weights, "bf16");
    cr_assert(strstr(warn, "hf_quant_config.json beside it not read"), "%s", warn);
    cr_assert_eq(rmdir(q), 0);
    cr_assert_eq(unlink(cfg), 0);
    cr_assert_eq(rmdir(dir), 0);
}

/* The hf_quant_config.json beside a config.json that rooftop cannot use (not JSON, a
 * quant_algo without a catalog format) was passed over without a word, the weights left at
 * the torch_dtype; the self_attn of one layer of two named counts for both.  Each is said. */
Test(arch, an_hf_quant_config_it_cannot_use_is_said)
{
    char dir[512], cfg[600], q[600];
    two_layer_bf16_config(dir, cfg, q);
    struct rt_model m;
    char warn[512], err[512];
    static const char *const files[][2] = {
        { "{\"quantization\":{\"quant_algo\":\"NVFP4\",}", "hf_quant_config.json beside it not read: line 1" },
        { "{\"quantization\":{\"quant_algo\":\"MXFP8\"}}", "hf_quant_config.json beside it: quant_algo 'MXFP8': no format" },
        { "{\"quantization\":{\"quant_algo\":\"\\u001b[2J\"}}", "quant_algo '?[2J'" },
        { "[1, 2]", "quant_algo '(none)'" },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        write_text(q, files[i][0]);
        cr_assert_eq(hfconfig_import(cfg, &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
        cr_assert_str_eq(m.native_weights, "bf16", "case %zu: the torch_dtype stands", i);
        cr_assert(strstr(warn, files[i][1]), "case %zu: %s", i, warn);
        cr_assert_null(strchr(warn, 0x1b), "case %zu: no escape reaches the terminal", i);
    }
    write_text(q, "{\"quantization\":{\"quant_algo\":\"NVFP4\",\"exclude_modules\":[\"model.layers.1.self_attn*\"]}}");
    cr_assert_eq(hfconfig_import(cfg, &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(m.native_weights, "nvfp4");
    cr_assert_str_eq(m.native_attn, "bf16");
    cr_assert(strstr(warn, "hf_quant_config.json beside it leaves out the self_attn of 1 of the 2 layers"), "%s", warn);
    cr_assert_eq(unlink(q), 0);
    cr_assert_eq(unlink(cfg), 0);
    cr_assert_eq(rmdir(dir), 0);
}

/* --- configs outside the Llama shape: plain two-matrix MLP, LayerNorm with
 * biases, learned or ALiBi positions, tied or untied output --- */

static double total_of(const char *file, char *warn, size_t warnlen)
{
    struct rt_model m = model_file(file, warn, warnlen);
    struct rt_params p;
    rt_count_params(&m, &p);
    return p.total;
}

Test(arch, gpt2_small_exactly_124439808)
{
    char warn[512];
    /* GPT2Model: wte 50257 x 768 = 38,597,376; wpe 1024 x 768 = 786,432; per block
     * ln_1 2 x 768 = 1,536, c_attn 768 x 2304 + 2304 = 1,771,776, c_proj 768 x 768 +
     * 768 = 590,592, ln_2 1,536, c_fc 768 x 3072 + 3072 = 2,362,368, mlp c_proj
     * 3072 x 768 + 768 = 2,360,064: 7,087,872 x 12 = 85,054,464; ln_f 1,536; the
     * head tied: 124,439,808 */
    cr_assert_eq(total_of("gpt2.json", warn, sizeof warn), 124439808.0);
    cr_assert_eq(warn[0], 0, "%s", warn);
    struct rt_model m = model_file("gpt2.json", NULL, 0);
    cr_assert(m.tied_embeddings);
    cr_assert_eq(m.positions, 1024);
    /* KV: 12 layers x 12 heads x (64 + 64) x 2 B = 36,864 B per token */
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 36864.0);
}

Test(arch, opt_125m_learned_positions_offset_by_two)
{
    /* OPTDecoder: embed_tokens 50272 x 768 = 38,608,896; embed_positions (2048 + 2)
     * x 768 = 1,574,400; per layer q/k/v/out 4 x (768^2 + 768) = 2,362,368, two
     * LayerNorms 3,072, fc1 2,362,368, fc2 2,360,064: 7,087,872 x 12 =
     * 85,054,464; final_layer_norm 1,536; tied: 125,239,296 */
    char warn[512];
    cr_assert_eq(total_of("opt-125m.json", warn, sizeof warn), 125239296.0);
    cr_assert_eq(warn[0], 0, "%s", warn);
}

Test(arch, opt_350m_projected_embeddings_are_refused)
{
    /* opt-350m's word_embed_proj_dim 512 != hidden_size 1024: project_in/out are not
     * modelled, so the file is refused naming the key rather than miscounted */
    const char *text = "{\"model_type\": \"opt\", \"hidden_size\": 1024, \"num_hidden_layers\": 24, "
                       "\"num_attention_heads\": 16, \"ffn_dim\": 4096, \"max_position_embeddings\": 2048, "
                       "\"vocab_size\": 50272, \"word_embed_proj_dim\": 512, \"do_layer_norm_before\": false}";
    struct rt_model m;
    char warn[512], err[512];
    cr_assert_eq(hfconfig_parse(text, "config.json", &m, warn, sizeof warn, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "word_embed_proj_dim"), "%s", err);
}

Test(arch, bloom_560m_alibi_and_embedding_layernorm)
{
    /* BloomModel: word_embeddings 250880 x 1024 = 256,901,120 and its LayerNorm
     * 2,048 (ALiBi: no position weights); per block 2 LayerNorms 4,096,
     * query_key_value 1024 x 3072 + 3072 = 3,148,800, dense 1,049,600,
     * dense_h_to_4h 1024 x 4096 + 4096 = 4,198,400, dense_4h_to_h 4,195,328:
     * 12,596,224 x 24 = 302,309,376; ln_f 2,048; tied: 559,214,592 */
    char warn[512];
    cr_assert_eq(total_of("bloom-560m.json", warn, sizeof warn), 559214592.0);
    cr_assert_eq(warn[0], 0, "%s", warn);
}

Test(arch, falcon_7b_one_kv_head_one_layernorm)
{
    /* FalconModel: word_embeddings 65024 x 4544 = 295,469,056; per block one
     * input_layernorm (parallel attention) 9,088, query_key_value 4544 x (71 + 2) x
     * 64 = 21,229,568 (multi_query: one K and one V head), dense 4544^2 =
     * 20,647,936, MLP 2 x 4544 x 18176 = 165,183,488 (bias false): 207,070,080 x 32
     * = 6,626,242,560; ln_f 9,088; tied: 6,921,720,704 */
    char warn[512];
    cr_assert_eq(total_of("falcon-7b.json", warn, sizeof warn), 6921720704.0);
    cr_assert_eq(warn[0], 0, "%s", warn);
    /* KV: 32 layers x 1 head x (64 + 64) x 2 B = 8,192 B per token */
    struct rt_model m = model_file("falcon-7b.json", NULL, 0);
    cr_assert_eq(rt_kv_bytes_per_token(&m, &bf16, false), 8192.0);
}

Test(arch, pythia_160m_untied_with_biases)
{
    /* GPTNeoXModel: embed_in and embed_out 50304 x 768 = 38,633,472 each (untied);
     * per layer 2 LayerNorms 3,072, query_key_value 1,771,776, dense 590,592,
     * MLP 2,362,368 + 2,360,064: 7,087,872 x 12 = 85,054,464; final_layer_norm
     * 1,536: 162,322,944 */
    char warn[512];
    cr_assert_eq(total_of("pythia-160m.json", warn, sizeof warn), 162322944.0);
    cr_assert_eq(warn[0], 0, "%s", warn);
}

Test(arch, phi2_one_layernorm_and_a_biased_head)
{
    /* PhiModel: embed_tokens 51200 x 2560 = 131,072,000; per layer input_layernorm
     * 5,120, q/k/v/dense 4 x (2560^2 + 2560) = 26,224,640, fc1 2560 x 10240 + 10240
     * = 26,224,640, fc2 10240 x 2560 + 2560 = 26,216,960: 78,671,360 x 32 =
     * 2,517,483,520; final_layernorm 5,120; lm_head 131,072,000 + 51,200 bias:
     * 2,779,683,840 */
    char warn[512];
    cr_assert_eq(total_of("phi-2.json", warn, sizeof warn), 2779683840.0);
    cr_assert_eq(warn[0], 0, "%s", warn);
}

Test(arch, unknown_model_type_refused_when_its_keys_disagree)
{
    /* GPT-2 under a name rooftop does not know: its keys say learned positions, a
     * two-matrix MLP and LayerNorm, which the Llama fallback would miscount */
    const char *dir = getenv("srcdir");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/configs/gpt2.json", dir ? dir : ".");
    char *text = slurp_file(path, NULL, 1 << 20);
    cr_assert_not_null(text);
    char *at = strstr(text, "\"gpt2\"");
    cr_assert_not_null(at);
    memcpy(at, "\"zzzz\"", 6);
    struct rt_model m;
    char warn[512], err[512];
    cr_assert_eq(hfconfig_parse(text, "config.json", &m, warn, sizeof warn, err, sizeof err), RT_EINVAL);
    free(text);
    cr_assert(strstr(err, "'zzzz'") && strstr(err, "n_positions") && strstr(err, "activation_function") &&
              strstr(err, "layer_norm_epsilon"), "%s", err);
    /* keys that agree (false flags, an RMSNorm epsilon) keep the fallback */
    const char *ok = "{\"model_type\": \"zz_llama\", \"hidden_size\": 64, \"num_hidden_layers\": 2, "
                     "\"num_attention_heads\": 4, \"intermediate_size\": 128, \"vocab_size\": 100, "
                     "\"rms_norm_eps\": 1e-6, \"bias\": false, \"alibi\": false}";
    cr_assert_eq(hfconfig_parse(ok, "config.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert(strstr(warn, "unknown model_type 'zz_llama'"), "%s", warn);
}

Test(arch, llava_names_its_clip_tower_without_sizes)
{
    /* the keys of liuhaotian/llava-v1.5-7b's config.json that matter: a Llama text
     * model, mm_vision_tower naming CLIP ViT-L/14 at 336 px, an mlp2x_gelu projector */
    const char *text = "{\"model_type\": \"llava_llama\", \"hidden_size\": 4096, \"intermediate_size\": 11008, "
                       "\"num_attention_heads\": 32, \"num_hidden_layers\": 32, \"num_key_value_heads\": 32, "
                       "\"vocab_size\": 32000, \"max_position_embeddings\": 4096, \"rms_norm_eps\": 1e-05, "
                       "\"tie_word_embeddings\": false, \"mm_hidden_size\": 1024, "
                       "\"mm_projector_type\": \"mlp2x_gelu\", \"mm_vision_select_layer\": -2, "
                       "\"mm_vision_tower\": \"openai/clip-vit-large-patch14-336\"}";
    struct rt_model m;
    char warn[512], err[512];
    cr_assert_eq(hfconfig_parse(text, "config.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(warn[0], 0, "%s", warn);
    /* CLIP ViT-L/14-336: 24 layers x (4 x (1024^2 + 1024) + 2 LayerNorms 4,096 + fc1
     * 1024 x 4096 + 4096 + fc2 4096 x 1024 + 1024) = 24 x 12,596,224 = 302,309,376;
     * patch embedding 3 x 14^2 x 1024 = 602,112 (no bias); class token 1,024;
     * positions (24^2 + 1) x 1024 = 590,848; pre and post LayerNorms 4,096:
     * 303,507,456.  Projector 1024 x 4096 + 4096 + 4096^2 + 4096 = 20,979,712 */
    cr_assert_eq(m.extra_params, 303507456.0 + 20979712.0);
    /* a tower rooftop does not know is named in the warning, not guessed */
    const char *other = "{\"model_type\": \"llava_llama\", \"hidden_size\": 64, \"intermediate_size\": 128, "
                        "\"num_attention_heads\": 4, \"num_hidden_layers\": 2, \"vocab_size\": 100, "
                        "\"mm_vision_tower\": \"someone/unknown-vit\"}";
    cr_assert_eq(hfconfig_parse(other, "config.json", &m, warn, sizeof warn, err, sizeof err), RT_OK, "%s", err);
    cr_assert(strstr(warn, "someone/unknown-vit") && m.extra_params == 0, "%s", warn);
}
