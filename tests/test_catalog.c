/* test_catalog.c - the catalog, sessions, config.json and GGUF imports, bad files. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "helpers.h"
#include "base/slurp.h"
#include "import/gguf.h"
#include "import/hfconfig.h"
#include "scenario/session.h"

/* the catalog ids of the command-line contract, 0.1 and "Added for 0.2" */
static const char *const models[] = { "llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3-8b", "llama-3-70b",
    "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mistral-7b", "mixtral-8x7b", "mixtral-8x22b",
    "qwen2.5-7b", "qwen2.5-72b", "qwen3-235b-a22b", "deepseek-v3", "gemma-2-9b", "gemma-2-27b", "phi-3-mini",
    "gpt-j-6b",
    "llama-3.2-1b", "llama-3.2-3b", "llama-3.3-70b", "llama-4-scout", "llama-4-maverick", "qwen2.5-32b",
    "qwen3-0.6b", "qwen3-4b", "qwen3-8b", "qwen3-14b", "qwen3-32b", "qwen3-30b-a3b", "qwen3-next-80b-a3b",
    "gpt-oss-20b", "gpt-oss-120b", "gemma-3-1b", "gemma-3-4b", "gemma-3-12b", "gemma-3-27b", "deepseek-r1",
    "deepseek-v3.2", "kimi-k2", "glm-4.5", "glm-4.5-air", "phi-4", "phi-4-mini", "mistral-small-3.1",
    "mistral-nemo", "nemotron-h-56b" };
static const char *const devices[] = { "v100-sxm", "t4", "a10", "a10g", "a100-sxm-40g", "a100-sxm-80g",
    "a100-pcie-40g", "a100-pcie-80g", "h100-sxm", "h100-pcie", "h100-nvl", "h200", "b200", "l4", "l40s",
    "rtx-3060", "rtx-3070", "rtx-3080", "rtx-3090", "rtx-4060-ti", "rtx-4070", "rtx-4080", "rtx-4090", "rtx-5090",
    "rtx-a6000", "rtx-6000-ada", "mi250x", "mi300x", "mi325x", "rx-7900-xtx", "gaudi2", "gaudi3", "m1", "m1-pro",
    "m1-max", "m1-ultra", "m2", "m2-pro", "m2-max", "m2-ultra", "m3", "m3-pro", "m3-max", "m3-ultra", "m4",
    "m4-pro", "m4-max", "cpu-ddr4-2ch", "cpu-ddr5-2ch", "epyc-genoa" };
static const char *const engines[] = { "ideal", "vllm", "trtllm", "sglang", "llama.cpp" };
static const char *const formats[] = { "fp32", "fp16", "bf16", "fp8", "int8", "int4", "q8_0", "q6_k", "q5_k_m",
    "q4_k_m", "q4_0" };

#define N(a) (sizeof a / sizeof a[0])

Test(catalog, every_contract_id_resolves)
{
    for (size_t i = 0; i < N(models); i++) cr_assert_not_null(catalog_model(cat(), models[i]), "%s", models[i]);
    for (size_t i = 0; i < N(devices); i++) cr_assert_not_null(catalog_device(cat(), devices[i]), "%s", devices[i]);
    for (size_t i = 0; i < N(engines); i++) cr_assert_not_null(catalog_engine(cat(), engines[i]), "%s", engines[i]);
    for (size_t i = 0; i < N(formats); i++) cr_assert_not_null(catalog_format(cat(), formats[i]), "%s", formats[i]);
}

/* hf_repo, when set, is a Hugging Face repository id "org/name": one slash with text on
 * both sides, no whitespace.  Llama 3.1 8B loads the instruct checkpoint, the repository's
 * name on huggingface.co since the 3.1 rename (formerly Meta-Llama-3.1-8B-Instruct). */
Test(catalog, hf_repo_is_org_slash_name)
{
    for (size_t i = 0; i < cat()->n_models; i++) {
        const char *r = cat()->models[i].hf_repo;
        if (!r[0])
            continue;
        const char *slash = strchr(r, '/');
        cr_assert_not_null(slash, "%s: %s", cat()->models[i].id, r);
        cr_assert_null(strchr(slash + 1, '/'), "%s: %s has one slash", cat()->models[i].id, r);
        cr_assert(slash > r && slash[1], "%s: %s has an org and a name", cat()->models[i].id, r);
        cr_assert_eq(strcspn(r, " \t\n\r"), strlen(r), "%s: %s has no spaces", cat()->models[i].id, r);
    }
    cr_assert_str_eq(catalog_model(cat(), "llama-3.1-8b")->hf_repo, "meta-llama/Llama-3.1-8B-Instruct");
    /* gguf_repo: a published GGUF repository (seen on its Hugging Face page, cited in models.cfg);
     * a model without one has "" */
    cr_assert_str_eq(catalog_model(cat(), "llama-3.1-8b")->gguf_repo, "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF");
    cr_assert_str_eq(catalog_model(cat(), "mistral-7b")->gguf_repo, "");
}

/* mistral-nemo: the only published figure is the rounded "12B" (computed 12.25 B).
 * Every other entry, vision towers, interleaved MoE and Mamba / DeltaNet hybrids
 * included, is sized by the layer-group reader. */
static bool needs_layer_groups(const char *id)
{
    return strcmp(id, "mistral-nemo") == 0;
}

/* OpenLLaMA 3B publishes no count but its name "3B", 12% below the 3.43 B its shapes give;
 * exact_counts_of_benchmark_models below works it by hand instead. */
static bool name_is_not_a_count(const char *id)
{
    return strcmp(id, "open-llama-3b") == 0;
}

Test(catalog, every_model_near_its_published_count)
{
    /* names like "70B" are rounded: 2% covers them; the exact figures are held to
     * 0.5% in test_core */
    for (size_t i = 0; i < cat()->n_models; i++) {
        const struct rt_model *m = &cat()->models[i];
        if (needs_layer_groups(m->id) || name_is_not_a_count(m->id) || rt_model_is_draft_head(m))
            continue; /* EAGLE-3 heads publish no count to the unit: test_models works theirs by hand */
        struct rt_params p;
        rt_count_params(m, &p);
        cr_assert_gt(m->official_params, 0, "%s has a source figure", m->id);
        assert_rel(p.total, m->official_params, 0.02, "%s: %.4g vs %.4g", m->id, p.total, m->official_params);
    }
}

Test(catalog, exact_published_counts_of_new_entries)
{
    /* Parameter counts published to the unit or to 0.1 B, against the computed
     * totals (sources in presets/models.cfg).  Gemma 3 1B and 270M: keras-hub
     * presets 999,885,952 and 268,098,176 (the q/k norms, 13 K and 9 K, are the
     * only difference).  gpt-oss: 116.8 B and 20.9 B (arXiv 2508.10925 table 1;
     * expert biases and sinks, < 0.1%, not counted).  Qwen3 8B 8.2 B and 32B 32.8 B
     * (model cards).  DeepSeek-R1 and V3.1: 671 B, the V3 architecture. */
    static const struct { const char *id; double want, rel; } c[] = {
        { "gemma-3-1b", 999885952.0, 1e-4 }, { "gemma-3-270m", 268098176.0, 1e-4 },
        { "gpt-oss-120b", 116.8e9, 0.005 },  { "gpt-oss-20b", 20.9e9, 0.005 },
        { "qwen3-8b", 8.2e9, 0.005 },        { "qwen3-32b", 32.8e9, 0.005 },
        { "deepseek-r1", 671e9, 0.001 },     { "deepseek-v3.1", 671e9, 0.001 },
    };
    for (size_t i = 0; i < N(c); i++) {
        const struct rt_model *m = catalog_model(cat(), c[i].id);
        cr_assert_not_null(m, "%s", c[i].id);
        struct rt_params p;
        rt_count_params(m, &p);
        assert_rel(p.total, c[i].want, c[i].rel, "%s: %.6g vs %.6g", c[i].id, p.total, c[i].want);
    }
}

Test(catalog, exact_counts_of_benchmark_models)
{
    /* Llama-shaped (untied embedding and lm_head, q/k/v/o, gate/up/down, two RMSNorms
     * per layer and a final one), worked by hand from the shapes in presets/models.cfg:
     * TinyLlama 1.1B (h 2048, 22 layers, 32 heads of 64, 4 KV heads, FFN 5632, vocab 32000):
     *   per layer q+o 2 x 2048^2 = 8,388,608; k+v 2 x 2048 x 256 = 1,048,576;
     *   MLP 3 x 2048 x 5632 = 34,603,008; norms 2 x 2048 = 4,096: 44,044,288;
     *   x 22 = 968,974,336; embeddings 2 x 32000 x 2048 = 131,072,000; final norm 2,048:
     *   1,100,048,384 (TinyLlama's "1.1B").
     * OpenLLaMA 3B (h 3200, 26 layers, 32 heads, FFN 8640):
     *   per layer 4 x 3200^2 = 40,960,000 + 3 x 3200 x 8640 = 82,944,000 + 6,400
     *   = 123,910,400; x 26 = 3,221,670,400; + 2 x 32000 x 3200 = 204,800,000 + 3,200:
     *   3,426,473,600.
     * LLaMA 30B (h 6656, 60 layers, FFN 17920): per layer 4 x 6656^2 = 177,209,344 +
     *   3 x 6656 x 17920 = 357,826,560 + 13,312 = 535,049,216; x 60 = 32,102,952,960;
     *   + 2 x 32000 x 6656 = 425,984,000 + 6,656: 32,528,943,616, the LLaMA paper's 32.5 B.
     * Falcon-180B (h 14848, 80 layers, 232 heads of 64, 8 KV heads, MLP 4h, two LayerNorms
     *   with bias, no linear biases, tied embedding): fused qkv 14848 x (232 + 16) x 64 =
     *   235,667,456; dense 14848^2 = 220,463,104; MLP 8 x 14848^2 = 1,763,704,832; norms
     *   4 x 14848 = 59,392: 2,219,894,784; x 80 = 177,591,582,720; + 65024 x 14848 =
     *   965,476,352 + final LayerNorm 29,696: 178,557,088,768. */
    static const struct { const char *id; double want; } c[] = {
        { "tinyllama-1.1b", 1100048384.0 }, { "open-llama-3b", 3426473600.0 },
        { "llama-30b", 32528943616.0 },     { "falcon-180b", 178557088768.0 },
    };
    for (size_t i = 0; i < N(c); i++) {
        const struct rt_model *m = catalog_model(cat(), c[i].id);
        cr_assert_not_null(m, "%s is in the catalog", c[i].id);
        struct rt_params p;
        rt_count_params(m, &p);
        cr_assert_eq(p.total, c[i].want, "%s: %.0f vs %.0f", c[i].id, p.total, c[i].want);
    }
    /* LLaMA 30B and 65B against the published 32.5 B and 65.2 B (0.1 B precision).  65B:
     * per layer 4 x 8192^2 = 268,435,456 + 3 x 8192 x 22016 = 541,065,216 + 16,384 =
     * 809,517,056; x 80 = 64,761,364,480; + 2 x 32000 x 8192 = 524,288,000 + 8,192:
     * 65,285,660,672. */
    struct rt_params p;
    rt_count_params(catalog_model(cat(), "llama-30b"), &p);
    assert_rel(p.total, 32.5e9, 0.002, "llama-30b %.4g", p.total);
    rt_count_params(catalog_model(cat(), "llama-65b"), &p);
    cr_assert_eq(p.total, 65285660672.0, "llama-65b %.0f", p.total);
    assert_rel(p.total, 65.2e9, 0.002, "llama-65b %.4g", p.total);
}

Test(catalog, nested_entries_keep_their_text_model_at_the_top)
{
    /* Gemma 3 27B text_config: 62 layers, 5376 wide, 32 heads of 128, 16 KV heads
     * (google/gemma-3-27b-it config.json); Llama 4 Scout: 48 layers, 5120 wide,
     * 16 experts, top 1, one shared expert. */
    const struct rt_model *g = catalog_model(cat(), "gemma-3-27b");
    cr_assert_not_null(g);
    cr_assert_eq(g->layers, 62);
    cr_assert_eq(g->hidden, 5376);
    cr_assert_eq(g->heads, 32);
    cr_assert_eq(g->kv_heads, 16);
    cr_assert_eq(g->head_dim, 128);
    cr_assert(g->tied_embeddings);
    const struct rt_model *l = catalog_model(cat(), "llama-4-scout");
    cr_assert_not_null(l);
    cr_assert_eq(l->layers, 48);
    cr_assert_eq(l->experts, 16);
    cr_assert_eq(l->experts_per_token, 1);
    cr_assert_eq(l->shared_experts, 1);
}

Test(catalog, hardware_support_follows_the_architecture)
{
    /* no FP8 on Ampere or Volta, no BF16 on Turing/Volta; dense figures, not sparse */
    cr_assert_eq(catalog_device(cat(), "a100-sxm-80g")->peak[RT_FP8], 0);
    cr_assert_eq(catalog_device(cat(), "t4")->peak[RT_BF16], 0);
    cr_assert_eq(catalog_device(cat(), "v100-sxm")->peak[RT_BF16], 0);
    cr_assert_eq(catalog_device(cat(), "h100-sxm")->peak[RT_BF16], 989e12);
    cr_assert_eq(catalog_device(cat(), "h100-sxm")->bandwidth, 3350e9);
}

Test(catalog, suggestions_for_unknown_ids)
{
    char out[160];
    catalog_suggest(cat(), CAT_DEVICES, "h100", out, sizeof out);
    cr_assert(strstr(out, "h100-sxm"), "%s", out);
    catalog_suggest(cat(), CAT_MODELS, "llama-3.1-7b", out, sizeof out);
    cr_assert(strstr(out, "llama-3.1-8b"), "%s", out);
}

/* --- bad catalog files --- */

struct bad { const char *text, *want; };
static const struct bad bad_files[] = {
    { "models = ( { id = \"x\"; num_hidden_layers = 2; num_attention_heads = 2; vocab_size = 10; intermediate_size = 8; } );",
      "hidden_size: missing" },
    { "models = ( { id = \"x\"; hidden_size = 64; num_hidden_layers = 2; num_attention_heads = 6;\n"
      "  num_key_value_heads = 4; vocab_size = 10; intermediate_size = 8; } );", ":2: num_key_value_heads" },
    { "models = ( { id = \"x\";\n hidden_size = \"big\"; } );", ":2: hidden_size: expected a whole number" },
    /* a routing skew says at how many ranks it was measured */
    { "models = ( { id = \"x\"; hidden_size = 64; num_hidden_layers = 2; num_attention_heads = 2;\n"
      "  vocab_size = 10; intermediate_size = 8; route_imbalance = 1.5; } );", "route_imbalance needs route_imbalance_ep" },
    { "models = ( { id = ; } );", ":1: syntax error" },
    { "devices = ( { id = \"d\"; memory_gb = -5.0; bandwidth_gbps = 100.0; tflops = { }; } );", "memory_gb" },
    { "devices = ( { id = \"d\"; memory_gb = 5.0; bandwidth_gbps = 100.0; } );", "tflops" },
    /* a chip without its SM count (or the other way round) serves no measured curve: refused */
    { "devices = ( { id = \"d\"; memory_gb = 5.0; bandwidth_gbps = 100.0; tflops = { fp16 = 1.0; };\n"
      "  chip = \"GA100\"; } );", ":1: sms: chip and sms are given together" },
    { "devices = ( { id = \"d\"; memory_gb = 5.0; bandwidth_gbps = 100.0; tflops = { fp16 = 1.0; };\n"
      "  sms = 0; } );", ":2: sms: 0 is out of range" },
    /* a GPU clock is in MHz, and a CPU entry's clock is clock_ghz */
    { "devices = ( { id = \"d\"; memory_gb = 5.0; bandwidth_gbps = 100.0; tflops = { fp16 = 1.0; };\n"
      "  boost_mhz = 2.5; } );", ":2: boost_mhz: 2.5 is out of range" },
    { "devices = ( { id = \"d\"; family = \"cpu\"; memory_gb = 5.0; bandwidth_gbps = 100.0; tflops = { fp32 = 1.0; };\n"
      "  boost_mhz = 2500.0; } );", "boost_mhz: a GPU's clock" },
    { "engines = ( { id = \"e\"; mbu = 0.7; mfu = 0.5;\n layer_clock_mhz = 0.0; } );", ":2: layer_clock_mhz: 0 is out of range" },
    { "engines = ( { id = \"e\"; mbu = 1.7; mfu = 0.5; } );", "mbu" },
    { "widgets = ( );", "unknown setting" },
    { "models = ( { id = \"Bad Id\"; hidden_size = 64; num_hidden_layers = 2; num_attention_heads = 2; vocab_size = 10; intermediate_size = 8; } );",
      "not a valid id" },
    { "@include \"../etc/passwd\"\n", "only files in the same folder" },
    { "formats = ( { id = \"f\"; bits = 4.0; compute = \"fp7\"; } );", ":1: compute: expected one of: fp32, fp16" },
    /* the figures of llama.cpp's kernels on a format (formats.cfg): each names its line and field */
    { "formats = ( { id = \"f\"; bits = 4.5; compute = \"fp16\";\n  metal_gemm_rate = [1300.0, 1265.3]; } );",
      ":2: metal_gemm_rate: the format's rate (1300) is above the 16-bit one (1265.3)" },
    { "formats = ( { id = \"f\"; bits = 4.5; compute = \"fp16\";\n  metal_gemm_rate = [0.0, 1265.3]; } );",
      ":2: metal_gemm_rate: expected [the format's tokens/s, the 16-bit tokens/s], both above 0" },
    { "formats = ( { id = \"f\"; bits = 4.5; compute = \"fp16\";\n  metal_gemm_rate = [1000.0]; } );",
      ":2: metal_gemm_rate: expected an array of 2 numbers" },
    { "formats = ( { id = \"f\"; bits = 4.5; compute = \"fp16\";\n  metal_gemv_flop = -1.0; } );",
      ":2: metal_gemv_flop: -1 is out of range" },
    { "formats = ( { id = \"f\"; bits = 4.5; compute = \"fp16\";\n  vk_row_matvec_flop = 5000; } );",
      ":2: vk_row_matvec_flop: 5000 is out of range" },
    { "formats = ( { id = \"f\"; bits = 8.0; compute = \"fp8\"; vk_row_matvec_flop = 45.82; } );",
      ":1: vk_row_matvec_flop: only a quantised format computed at 16 bits" },
    { "formats = ( { id = \"f\"; bits = 4.5; compute = \"fp16\";\n  deq_twice_cycles = 500; } );",
      ":2: deq_twice_cycles: 500 is out of range" },
    { "formats = ( { id = \"f\"; bits = 16.0; compute = \"fp16\"; deq_twice_cycles = 0.9; } );",
      ":1: deq_twice_cycles: only a quantised format computed at 16 bits" },
    { "formats = ( { id = \"f\"; bits = 4.5; compute = \"fp16\";\n  tinyblas_row_ops = 500; } );",
      ":2: tinyblas_row_ops: 500 is out of range" },
    { "formats = ( { id = \"f\"; bits = 4.5; compute = \"fp16\";\n  repack_tiles = \"q9\"; } );",
      ":2: repack_tiles: expected one of: none, q0-4x8, q4k-8x8" },
    { "formats = ( { id = \"f\"; bits = 16.0; compute = \"bf16\";\n\n  repack_tiles = \"q0-4x8\"; } );",
      ":3: repack_tiles: only a quantised format computed at 16 bits" },
    { "formats = ( { id = \"f\"; bits = 8.0; compute = \"fp8\"; metal_gemv_flop = 27.86; } );",
      ":1: metal_gemv_flop: only a quantised format computed at 16 bits" },
    /* a model's named choice goes through the same reader (text_choice) as a preset's */
    { "models = ( { id = \"x\"; hidden_size = 64; num_hidden_layers = 2; num_attention_heads = 2;\n"
      "  vocab_size = 10; intermediate_size = 8; ffn = \"swish\"; } );", "ffn: expected one of: gated, plain, relu2" },
    /* an engine's family factors: a key that is no family (AMD for amd) and a factor that is no
     * group were left at 1 in silence; moe_pad_block outside the kernels group was dropped */
    { "engines = ( { id = \"e\"; mbu = 0.7; mfu = 0.5;\n  mfu_family = { AMD = 0.74; }; } );",
      ":2: mfu_family: 'AMD' is no device family: expected one of: nvidia-dc, nvidia-consumer, amd" },
    { "engines = ( { id = \"e\"; mbu = 0.7; mfu = 0.5;\n  mbu_family = 0.9; } );", ":2: mbu_family: expected a group" },
    { "engines = ( { id = \"e\"; mbu = 0.7; mfu = 0.5;\n  moe_pad_block = 128; } );",
      ":2: moe_pad_block: belongs in the kernels group" },
    { "engines = ( { id = \"e\"; mbu = 0.7; mfu = 0.5;\n  kernels = { moe_pad_block = 127.5; }; } );",
      ":2: moe_pad_block: expected a whole number" },
    { "engines = ( { id = \"e\"; mbu = 0.7; mfu = 0.5;\n  kernels = { moe_pad_block = -128; }; } );",
      ":2: moe_pad_block: -128 is out of range [0, 4096]" },
    { "engines = ( { id = \"e\"; mbu = 0.7; mfu = 0.5;\n  kernels = { moe_pad_block = \"128\"; }; } );",
      ":2: moe_pad_block: expected a whole number" },
    /* a model's routing skew: the rank count it was measured at is a whole number (2.5 was read
     * as 2), and each key needs the other */
    { "models = ( { id = \"x\"; hidden_size = 64; num_hidden_layers = 2; num_attention_heads = 2;\n"
      "  vocab_size = 10; intermediate_size = 8; route_imbalance = 0.3; route_imbalance_ep = 2.5; } );",
      ":2: route_imbalance_ep: expected a whole number, got 2.5" },
    { "models = ( { id = \"x\"; hidden_size = 64; num_hidden_layers = 2; num_attention_heads = 2;\n"
      "  vocab_size = 10; intermediate_size = 8; route_imbalance = 0.3; } );", "route_imbalance needs route_imbalance_ep" },
    { "models = ( { id = \"x\"; hidden_size = 64; num_hidden_layers = 2; num_attention_heads = 2;\n"
      "  vocab_size = 10; intermediate_size = 8; route_imbalance = 0.3; route_imbalance_ep = 1; } );",
      "route_imbalance needs route_imbalance_ep (2 or more ranks)" },
    { "models = ( { id = \"x\"; hidden_size = 64; num_hidden_layers = 2; num_attention_heads = 2;\n"
      "  vocab_size = 10; intermediate_size = 8; route_imbalance = -0.3; route_imbalance_ep = 8; } );",
      ":2: route_imbalance: -0.3 is out of range" },
};

/* The figures of llama.cpp's kernels on a format are read once, by the catalog
 * (formats.cfg): Metal's prompt GEMM share is the format's pp512 over F16's on PR #3084's M2
 * Ultra (Q4_0 1164.00 / 1265.30 = 0.91994), Q4_K's mat-vec costs 27.86 FP32 FLOP a weight
 * (PR #2290), tinyBLAS unpacks Q4_0 in 6 instructions per block row and Q8_0 in 2, and Q4_0,
 * Q8_0 and Q4_K are the formats ggml-cpu repacks.  A 16-bit format has none of them. */
Test(catalog, kernel_figures_of_a_format_are_its_fields)
{
    const struct rt_format *q40 = catalog_format(cat(), "q4_0"), *q80 = catalog_format(cat(), "q8_0");
    const struct rt_format *q4k = catalog_format(cat(), "q4_k_m"), *f16 = catalog_format(cat(), "fp16");
    const struct rt_format *q6k = catalog_format(cat(), "q6_k");
    cr_assert(q40 && q80 && q4k && f16 && q6k);
    cr_assert_float_eq(q40->metal_gemm_share, 1164.00 / 1265.30, 1e-15);
    cr_assert_float_eq(q4k->metal_gemm_share, 1028.20 / 1265.30, 1e-15);
    cr_assert_float_eq(q6k->metal_gemm_share, 977.56 / 1265.30, 1e-15);
    cr_assert_float_eq(q4k->metal_gemv_flop, 27.86, 1e-12);
    cr_assert_eq(q40->metal_gemv_flop, 0, "Q4_0's mat-vec is bound by the memory");
    cr_assert_float_eq(q40->vk_row_matvec_flop, 45.82, 1e-12);
    cr_assert(q4k->vk_row_matvec_flop == 0 && f16->vk_row_matvec_flop == 0, "PR #10296 timed Q4_0 only");
    cr_assert_float_eq(q40->deq_twice_cycles, 0.9015, 1e-12);
    cr_assert(q4k->deq_twice_cycles == 0 && f16->deq_twice_cycles == 0, "PR #2809 timed Q4_0 only");
    cr_assert(q40->tinyblas_row_ops == 6 && q80->tinyblas_row_ops == 2 && q4k->tinyblas_row_ops == 0);
    cr_assert(q40->repack_tiles == RT_TILES_Q0 && q80->repack_tiles == RT_TILES_Q0 && q4k->repack_tiles == RT_TILES_Q4K);
    cr_assert_eq(q6k->repack_tiles, RT_TILES_NONE);
    cr_assert(f16->metal_gemm_share == 0 && f16->metal_gemv_flop == 0 && f16->tinyblas_row_ops == 0 &&
              f16->repack_tiles == RT_TILES_NONE);
    /* a user's format carries its own */
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    cr_assert_eq(catalog_merge_text(&c, "formats = ( { id = \"q4_x\"; bits = 4.5; compute = \"fp16\"; class = 2;\n"
                                        "  metal_gemm_rate = [900.0, 1200.0]; repack_tiles = \"q4k-8x8\"; } );",
                                    "user.cfg", NULL, err, sizeof err), RT_OK, "%s", err);
    const struct rt_format *u = catalog_format(&c, "q4_x");
    cr_assert_not_null(u);
    cr_assert_float_eq(u->metal_gemm_share, 0.75, 1e-15);
    cr_assert_eq(u->repack_tiles, RT_TILES_Q4K);
    catalog_free(&c);
}

Test(catalog, malformed_files_name_line_and_field)
{
    for (size_t i = 0; i < N(bad_files); i++) {
        struct catalog c;
        catalog_init(&c);
        char err[512];
        cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
        size_t before = c.n_models;
        struct rt_model keep = *catalog_model(&c, "llama-3.1-8b");
        int rc = catalog_merge_text(&c, bad_files[i].text, "user.cfg", NULL, err, sizeof err);
        cr_assert_eq(rc, RT_EINVAL, "case %zu accepted", i);
        cr_assert(strstr(err, bad_files[i].want), "case %zu: '%s' lacks '%s'", i, err, bad_files[i].want);
        cr_assert(strncmp(err, "user.cfg", 8) == 0, "names the file: %s", err);
        cr_assert_eq(c.n_models, before, "a bad file changes nothing");
        cr_assert_eq(memcmp(&keep, catalog_model(&c, "llama-3.1-8b"), sizeof keep), 0);
        catalog_free(&c);
    }
}

static char tmpdir[256];

static void remove_tmp(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (tmpdir[0] && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* A folder for the test, removed when its worker process ends. */
static void make_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/rooftop-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(tmpdir));
    atexit(remove_tmp);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

struct warned { int n; char last[512]; };
static void count_warning(const char *msg, void *ctx)
{
    struct warned *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

Test(catalog, user_files_add_override_and_bad_ones_are_skipped)
{
    make_tmp();
    char dir[300], path[400];
    snprintf(dir, sizeof dir, "%s/rooftop", tmpdir);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/devices.cfg", dir);
    write_file(path, "devices = ( { id = \"my-gpu\"; name = \"Mine\"; memory_gb = 12.0; bandwidth_gbps = 500.0;\n"
                     "  tflops = { fp16 = 100.0; }; },\n"
                     "  { id = \"h100-sxm\"; name = \"H100 (site)\"; memory_gb = 80.0; bandwidth_gbps = 3000.0;\n"
                     "  tflops = { bf16 = 900.0; }; } );\n");
    snprintf(path, sizeof path, "%s/models.cfg", dir);
    write_file(path, "models = ( { id = \"broken\" } );\n");
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    struct catalog c;
    catalog_init(&c);
    char err[512];
    struct warned w = { 0, "" };
    cr_assert_eq(catalog_load_all(&c, NULL, count_warning, &w, err, sizeof err), RT_OK);
    cr_assert_eq(w.n, 1, "one warning for the bad file");
    cr_assert(strstr(w.last, "models.cfg:1: hidden_size: missing (in 'broken')"), "%s", w.last);
    cr_assert_not_null(catalog_device(&c, "my-gpu"));
    cr_assert_eq(catalog_device(&c, "h100-sxm")->bandwidth, 3000e9, "overridden by id");
    cr_assert_not_null(catalog_model(&c, "llama-3.1-8b"), "built-in models survive a bad user file");
    cr_assert_null(catalog_model(&c, "broken"));
    catalog_free(&c);
}

/* --- sessions --- */

Test(session, save_load_round_trip)
{
    make_tmp();
    char path[400], err[512];
    snprintf(path, sizeof path, "%s/s.cfg", tmpdir);
    struct session a, b;
    session_default(&a);
    snprintf(a.spec.model, sizeof a.spec.model, "/some/dir with \"quotes\"/config.json");
    snprintf(a.spec.gpu, sizeof a.spec.gpu, "mi300x");
    snprintf(a.spec.kv, sizeof a.spec.kv, "fp8");
    a.spec.devices = 8;
    a.spec.tp = 4;
    a.spec.pp = 2;
    a.spec.batch = 123456789012LL;
    a.spec.prompt = 8192;
    a.spec.output = 0;
    a.spec.bandwidth_gbps = 1234.5678901234567;
    a.spec.assume.weight_cache_hit = 0.8;
    a.spec.assume.no_flash_attention = true;
    a.spec.target_tok_s = 33.3;
    snprintf(a.field, sizeof a.field, "prompt");
    snprintf(a.theme, sizeof a.theme, "mono");
    cr_assert_eq(session_save(path, &a, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(session_load(path, &b, err, sizeof err), RT_OK, "%s", err);
    cr_assert_str_eq(b.spec.model, a.spec.model);
    cr_assert_str_eq(b.spec.gpu, a.spec.gpu);
    cr_assert_str_eq(b.spec.kv, a.spec.kv);
    cr_assert_eq(b.spec.devices, 8);
    cr_assert_eq(b.spec.tp, 4);
    cr_assert_eq(b.spec.pp, 2);
    cr_assert_eq(b.spec.batch, a.spec.batch);
    cr_assert_eq(b.spec.prompt, 8192);
    cr_assert_eq(b.spec.output, 0);
    cr_assert_eq(b.spec.bandwidth_gbps, a.spec.bandwidth_gbps, "doubles round-trip exactly");
    cr_assert_eq(b.spec.assume.weight_cache_hit, 0.8);
    cr_assert(b.spec.assume.no_flash_attention);
    cr_assert_eq(b.spec.target_tok_s, 33.3);
    cr_assert_str_eq(b.field, "prompt");
    cr_assert_str_eq(b.theme, "mono");
    /* written in the shortest form that reads back exactly (issue 23): 0.8, not 0.80000000000000004 */
    char *text = slurp_file(path, NULL, 1 << 20);
    cr_assert_not_null(text);
    cr_assert(strstr(text, "weight_cache_hit = 0.8;"), "%s", text);
    cr_assert(strstr(text, "target_tok_s = 33.3;"), "%s", text);
    cr_assert(strstr(text, "bandwidth_gbps = 1234.5678901234567;"), "%s", text);
    free(text);
    /* no temporary file is left behind */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 1", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

Test(session, newer_and_broken_files_are_refused_and_change_nothing)
{
    struct session s, keep;
    session_default(&s);
    s.spec.batch = 77;
    keep = s;
    char err[512];
    cr_assert_eq(session_parse("format_version = 99;\nscenario = { };\n", "new.cfg", &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "new.cfg:1: format_version: written by a newer rooftop"), "%s", err);
    cr_assert_eq(session_parse("format_version = 1;\nscenario = {\n  batch = \"many\";\n};\n", "b.cfg", &s, err,
                               sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "b.cfg:3: batch"), "%s", err);
    cr_assert_eq(session_parse("format_version = 1;\nscenario = { batch = 0; };\n", "z.cfg", &s, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "out of range"), "%s", err);
    cr_assert_eq(session_parse("garbage {", "g.cfg", &s, err, sizeof err), RT_EINVAL);
    cr_assert_eq(session_load("/nonexistent/x.cfg", &s, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "/nonexistent/x.cfg"), "%s", err);
    cr_assert_eq(memcmp(&s, &keep, sizeof s), 0, "nothing changed");
}

/* --- config.json imports: the public configs' fields --- */

struct hf { const char *id, *json; };
static const struct hf hf_cases[] = {
    { "llama-3.1-8b", "{\"model_type\":\"llama\",\"hidden_size\":4096,\"num_hidden_layers\":32,\"num_attention_heads\":32,"
      "\"num_key_value_heads\":8,\"intermediate_size\":14336,\"vocab_size\":128256,\"tie_word_embeddings\":false,"
      "\"max_position_embeddings\":131072,\"rope_theta\":500000.0,\"attention_bias\":false,\"mlp_bias\":false}" },
    { "mistral-7b", "{\"model_type\":\"mistral\",\"hidden_size\":4096,\"num_hidden_layers\":32,\"num_attention_heads\":32,"
      "\"num_key_value_heads\":8,\"intermediate_size\":14336,\"vocab_size\":32000,\"sliding_window\":4096,"
      "\"max_position_embeddings\":32768,\"tie_word_embeddings\":false}" },
    { "mixtral-8x7b", "{\"model_type\":\"mixtral\",\"hidden_size\":4096,\"num_hidden_layers\":32,\"num_attention_heads\":32,"
      "\"num_key_value_heads\":8,\"intermediate_size\":14336,\"vocab_size\":32000,\"num_local_experts\":8,"
      "\"num_experts_per_tok\":2,\"sliding_window\":null,\"max_position_embeddings\":32768}" },
    { "qwen2.5-7b", "{\"model_type\":\"qwen2\",\"hidden_size\":3584,\"num_hidden_layers\":28,\"num_attention_heads\":28,"
      "\"num_key_value_heads\":4,\"intermediate_size\":18944,\"vocab_size\":152064,\"sliding_window\":131072,"
      "\"use_sliding_window\":false,\"max_position_embeddings\":131072,\"tie_word_embeddings\":false}" },
    { "qwen3-235b-a22b", "{\"model_type\":\"qwen3_moe\",\"hidden_size\":4096,\"num_hidden_layers\":94,"
      "\"num_attention_heads\":64,\"num_key_value_heads\":4,\"head_dim\":128,\"intermediate_size\":12288,"
      "\"moe_intermediate_size\":1536,\"num_experts\":128,\"num_experts_per_tok\":8,\"vocab_size\":151936,"
      "\"max_position_embeddings\":40960,\"tie_word_embeddings\":false,\"use_sliding_window\":false}" },
    { "gemma-2-9b", "{\"model_type\":\"gemma2\",\"hidden_size\":3584,\"num_hidden_layers\":42,\"num_attention_heads\":16,"
      "\"num_key_value_heads\":8,\"head_dim\":256,\"intermediate_size\":14336,\"vocab_size\":256000,"
      "\"sliding_window\":4096,\"max_position_embeddings\":8192}" },
    { "deepseek-v3", "{\"model_type\":\"deepseek_v3\",\"hidden_size\":7168,\"num_hidden_layers\":61,"
      "\"num_attention_heads\":128,\"num_key_value_heads\":128,\"intermediate_size\":18432,\"moe_intermediate_size\":2048,"
      "\"n_routed_experts\":256,\"num_experts_per_tok\":8,\"n_shared_experts\":1,\"first_k_dense_replace\":3,"
      "\"kv_lora_rank\":512,\"q_lora_rank\":1536,\"qk_rope_head_dim\":64,\"qk_nope_head_dim\":128,\"v_head_dim\":128,"
      "\"vocab_size\":129280,\"max_position_embeddings\":163840,\"tie_word_embeddings\":false}" },
    { "phi-3-mini", "{\"model_type\":\"phi3\",\"hidden_size\":3072,\"num_hidden_layers\":32,\"num_attention_heads\":32,"
      "\"num_key_value_heads\":32,\"intermediate_size\":8192,\"vocab_size\":32064,\"sliding_window\":2047,"
      "\"max_position_embeddings\":4096,\"tie_word_embeddings\":false}" },
    { "gpt-j-6b", "{\"model_type\":\"gptj\",\"n_embd\":4096,\"n_layer\":28,\"n_head\":16,\"n_inner\":null,"
      "\"vocab_size\":50400,\"n_positions\":2048,\"rotary_dim\":64,\"tie_word_embeddings\":false}" },
};

Test(import, config_json_matches_the_catalog)
{
    struct rt_format bf16 = { .bits = 16 };
    for (size_t i = 0; i < N(hf_cases); i++) {
        struct rt_model m;
        char warn[256], err[512];
        int rc = hfconfig_parse(hf_cases[i].json, "config.json", &m, warn, sizeof warn, err, sizeof err);
        cr_assert_eq(rc, RT_OK, "%s: %s", hf_cases[i].id, err);
        cr_assert_eq(warn[0], 0, "%s: %s", hf_cases[i].id, warn);
        const struct rt_model *c = catalog_model(cat(), hf_cases[i].id);
        struct rt_params a, b;
        rt_count_params(&m, &a);
        rt_count_params(c, &b);
        cr_assert_eq(a.total, b.total, "%s params %.6g vs %.6g", hf_cases[i].id, a.total, b.total);
        cr_assert_eq(a.active, b.active, "%s active", hf_cases[i].id);
        for (int64_t ctx = 1000; ctx <= 64000; ctx *= 4)
            cr_assert_eq(rt_kv_seq_bytes(&m, &bf16, false, ctx), rt_kv_seq_bytes(c, &bf16, false, ctx),
                         "%s KV at %lld", hf_cases[i].id, (long long)ctx);
    }
}

Test(import, unknown_model_type_warns_and_bad_json_errors)
{
    struct rt_model m;
    char warn[256], err[512];
    cr_assert_eq(hfconfig_parse("{\"model_type\":\"olmo9\",\"hidden_size\":2048,\"num_hidden_layers\":16,"
                                "\"num_attention_heads\":16,\"intermediate_size\":8192,\"vocab_size\":50304}",
                                "c.json", &m, warn, sizeof warn, err, sizeof err), RT_OK);
    cr_assert(strstr(warn, "unknown model_type 'olmo9'") && strstr(warn, "assumed"), "%s", warn);
    cr_assert_eq(hfconfig_parse("{\"model_type\":\"llama\",\n\"hidden_size\": 4096,,}", "c.json", &m, warn,
                                sizeof warn, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "c.json:2:"), "%s", err);
    cr_assert_eq(hfconfig_parse("{\"model_type\":\"llama\",\"hidden_size\":4096}", "c.json", &m, warn, sizeof warn,
                                err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "num_hidden_layers"), "%s", err);
    cr_assert_eq(hfconfig_parse("{\"model_type\":\"llama\",\"hidden_size\":-3,\"num_hidden_layers\":2,"
                                "\"num_attention_heads\":2,\"vocab_size\":5,\"intermediate_size\":4}", "c.json", &m,
                                warn, sizeof warn, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "hidden_size"), "%s", err);
}

/* --- GGUF headers written here, byte by byte --- */

struct buf { unsigned char d[1 << 16]; size_t n; };
static void u32(struct buf *b, uint32_t v) { for (int i = 0; i < 4; i++) b->d[b->n++] = (unsigned char)(v >> (8 * i)); }
static void u64(struct buf *b, uint64_t v) { for (int i = 0; i < 8; i++) b->d[b->n++] = (unsigned char)(v >> (8 * i)); }
static void gstr(struct buf *b, const char *s) { u64(b, strlen(s)); memcpy(b->d + b->n, s, strlen(s)); b->n += strlen(s); }
static void kv_u32(struct buf *b, const char *k, uint32_t v) { gstr(b, k); u32(b, 4); u32(b, v); }
static void tensor(struct buf *b, const char *name, uint64_t d0, uint64_t d1, uint32_t type)
{
    gstr(b, name);
    u32(b, 2);
    u64(b, d0);
    u64(b, d1);
    u32(b, type);
    u64(b, 0);
}

/* Llama 3.1 8B's metadata and a tensor table: every block as Q4_0 except
 * output.weight in Q6_K, as llama.cpp writes a Q4_0 file. */
static void llama_gguf(struct buf *b)
{
    b->n = 0;
    memcpy(b->d, "GGUF", 4);
    b->n = 4;
    u32(b, 3);
    u64(b, 2 + 32 * 7);  /* tensors */
    u64(b, 9);           /* metadata keys */
    gstr(b, "general.architecture"); u32(b, 8); gstr(b, "llama");
    kv_u32(b, "llama.block_count", 32);
    kv_u32(b, "llama.embedding_length", 4096);
    kv_u32(b, "llama.feed_forward_length", 14336);
    kv_u32(b, "llama.attention.head_count", 32);
    kv_u32(b, "llama.attention.head_count_kv", 8);
    kv_u32(b, "llama.context_length", 131072);
    kv_u32(b, "llama.vocab_size", 128256);
    gstr(b, "tokenizer.ggml.bos_token_id"); u32(b, 4); u32(b, 1);
    tensor(b, "token_embd.weight", 4096, 128256, 2);
    tensor(b, "output.weight", 4096, 128256, 14);
    for (int l = 0; l < 32; l++) {
        tensor(b, "blk.q", 4096, 4096, 2);
        tensor(b, "blk.k", 4096, 1024, 2);
        tensor(b, "blk.v", 4096, 1024, 2);
        tensor(b, "blk.o", 4096, 4096, 2);
        tensor(b, "blk.gate", 4096, 14336, 2);
        tensor(b, "blk.up", 4096, 14336, 2);
        tensor(b, "blk.down", 14336, 4096, 2);
    }
}

Test(import, gguf_header_matches_the_catalog)
{
    static struct buf b;
    llama_gguf(&b);
    struct rt_model m;
    struct gguf_info gi;
    char err[512];
    cr_assert_eq(gguf_parse(b.d, b.n, "x.gguf", &m, &gi, err, sizeof err), RT_OK, "%s", err);
    const struct rt_model *c = catalog_model(cat(), "llama-3.1-8b");
    struct rt_params a, p;
    rt_count_params(&m, &a);
    rt_count_params(c, &p);
    cr_assert_eq(a.total, p.total);
    cr_assert_eq(m.kv_heads, 8);
    cr_assert(!m.tied_embeddings, "output.weight present");
    /* exact bytes: Q4_0 = 18 bytes / 32 weights, Q6_K = 210 / 256 */
    double body = 32.0 * (4096.0 * 4096 * 2 + 4096.0 * 1024 * 2 + 4096.0 * 14336 * 3) + 4096.0 * 128256;
    double expect = body / 32 * 18 + 4096.0 * 128256 / 256 * 210;
    cr_assert_eq(gi.weight_bytes, expect);
    cr_assert_str_eq(gi.file_type, "q4_0");
}

Test(import, truncated_and_hostile_gguf_rejected)
{
    static struct buf b;
    llama_gguf(&b);
    struct rt_model m;
    char err[512];
    /* every truncation is an error, never a read past the end (ASan builds check) */
    for (size_t n = 0; n < b.n; n += (n < 600 ? 1 : 97)) {
        unsigned char *copy = malloc(n ? n : 1);
        memcpy(copy, b.d, n);
        cr_assert_eq(gguf_parse(copy, n, "t.gguf", &m, NULL, err, sizeof err), RT_EINVAL, "prefix %zu", n);
        free(copy);
    }
    /* a huge key count */
    static struct buf h;
    memcpy(h.d, "GGUF", 4);
    h.n = 4;
    u32(&h, 3);
    u64(&h, 1);
    u64(&h, UINT64_MAX / 2);
    cr_assert_eq(gguf_parse(h.d, h.n, "h.gguf", &m, NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "exceed"), "%s", err);
    /* a string length past the end */
    h.n = 4;
    u32(&h, 3);
    u64(&h, 0);
    u64(&h, 1);
    u64(&h, (uint64_t)1 << 62);
    cr_assert_eq(gguf_parse(h.d, h.n, "s.gguf", &m, NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "truncated"), "%s", err);
    /* an array whose count exceeds the file */
    h.n = 4;
    u32(&h, 3);
    u64(&h, 0);
    u64(&h, 1);
    gstr(&h, "tokenizer.ggml.tokens");
    u32(&h, 9);
    u32(&h, 8);
    u64(&h, (uint64_t)1 << 50);
    cr_assert_eq(gguf_parse(h.d, h.n, "a.gguf", &m, NULL, err, sizeof err), RT_EINVAL);
    /* bad magic */
    cr_assert_eq(gguf_parse((const unsigned char *)"GGML....", 8, "m.gguf", &m, NULL, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "not a GGUF"), "%s", err);
}

Test(catalog, installed_copy_only_when_newer)
{
    make_tmp();
    char dir[300], path[400];
    snprintf(dir, sizeof dir, "%s/presets", tmpdir);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/devices.cfg", dir);
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    /* an older (or equal) revision than the built-in one is ignored */
    write_file(path, "revision = 0;\ndevices = ( { id = \"t4\"; memory_gb = 99.0; bandwidth_gbps = 1.0; tflops = { }; } );\n");
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_all(&c, tmpdir, NULL, NULL, err, sizeof err), RT_OK);
    cr_assert_eq(catalog_device(&c, "t4")->memory_bytes, 16e9);
    catalog_free(&c);
    /* a newer one is read */
    write_file(path, "revision = 99;\ndevices = ( { id = \"t4\"; memory_gb = 99.0; bandwidth_gbps = 1.0; tflops = { }; } );\n");
    catalog_init(&c);
    cr_assert_eq(catalog_load_all(&c, tmpdir, NULL, NULL, err, sizeof err), RT_OK);
    cr_assert_eq(catalog_device(&c, "t4")->memory_bytes, 99e9);
    catalog_free(&c);
}

Test(import, gguf_file_sets_the_weights)
{
    static struct buf b;
    llama_gguf(&b);
    make_tmp();
    char path[300];
    snprintf(path, sizeof path, "%s/llama.gguf", tmpdir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fwrite(b.d, 1, b.n, f);
    fclose(f);
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "%s", path);
    static struct rt_resolved rs;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    struct rt_result r;
    cr_assert_eq(rt_estimate(&rs.s, &r, err, sizeof err), RT_OK, "%s", err);
    /* the exact bytes of the tensor table: Q4_0 blocks and a Q6_K output */
    double body = 32.0 * (4096.0 * 4096 * 2 + 4096.0 * 1024 * 2 + 4096.0 * 14336 * 3) + 4096.0 * 128256;
    assert_rel(r.weights_bytes, body / 32 * 18 + 4096.0 * 128256 / 256 * 210, 1e-6, "weights %.6g", r.weights_bytes);
    cr_assert(strstr(rs.warning, "as the file stores them"), "%s", rs.warning);
}

Test(session, shipped_examples_load_and_resolve)
{
    const char *names[16];
    char buf[16][64];
    int n = session_examples(names, buf, 16);
    cr_assert_geq(n, 3, "default and examples");
    setenv("XDG_DATA_HOME", "/nonexistent", 1);
    for (int i = 0; i < n; i++) {
        struct session s;
        char path[512], err[512];
        cr_assert_eq(session_open(names[i], &s, path, sizeof path, err, sizeof err), RT_OK, "%s: %s", names[i], err);
        static struct rt_resolved rs;
        cr_assert_eq(spec_resolve(cat(), &s.spec, &rs, err, sizeof err), RT_OK, "%s: %s", names[i], err);
    }
    /* the default session is the documented one */
    struct session d;
    char path[512], err[512];
    cr_assert_eq(session_open("default", &d, path, sizeof path, err, sizeof err), RT_OK);
    cr_assert_str_eq(d.spec.model, "llama-3.1-8b");
    cr_assert_str_eq(d.spec.gpu, "h100-sxm");
    cr_assert_eq(d.spec.gpu_layers, -1, "absent gpu_layers means all on the device");
}

/* Ollama stores its GGUF files as blobs/sha256-<hex>, with no suffix: the magic
 * number says what they are (issue 23: they were read as config.json) */
Test(import, gguf_without_suffix_recognised_by_magic)
{
    static struct buf b;
    llama_gguf(&b);
    char dir[512], path[128];
    snprintf(dir, sizeof dir, "%s/rooftop-blob-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sha256-0123abcd", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fwrite(b.d, 1, b.n, f);
    fclose(f);
    cr_assert(spec_model_is_gguf(path));
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "%s", path);
    static struct rt_resolved rs;
    char err[512];
    int rc = spec_resolve(cat(), &sp, &rs, err, sizeof err);
    unlink(path);
    rmdir(dir);
    cr_assert_eq(rc, RT_OK, "%s", err);
    struct rt_params a, p;
    rt_count_params(&rs.model, &a);
    rt_count_params(catalog_model(cat(), "llama-3.1-8b"), &p);
    cr_assert_eq(a.total, p.total, "the header's Llama 3.1 8B: %g vs %g", a.total, p.total);
    cr_assert(strncmp(rs.s.weights->id, "gguf:", 5) == 0, "weights as the file stores them: %s", rs.s.weights->id);
    /* a config.json is not taken for one, nor a missing file */
    cr_assert(!spec_model_is_gguf("/nonexistent/blob"));
    cr_assert(!spec_model_is_gguf("some/config.json"));
}

Test(catalog, one_cuda_graph_limit_for_serving_and_kernels)
{
    /* cuda_graph_max_bs is the one graph batch limit; a kernels group's graph_max_batch
     * (its older spelling) fills it only where the profile does not give it */
    make_tmp();
    char dir[300], path[400];
    snprintf(dir, sizeof dir, "%s/rooftop", tmpdir);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/engines.cfg", dir);
    write_file(path, "engines = ( { id = \"old-spelling\"; mbu = 0.7; mfu = 0.6; kernels = { attn = 4; graph_max_batch = 96; }; },\n"
                     "  { id = \"both\"; mbu = 0.7; mfu = 0.6; cuda_graph_max_bs = 64; kernels = { attn = 4; graph_max_batch = 96; }; } );\n");
    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    struct catalog c;
    catalog_init(&c);
    char err[512];
    struct warned w = { 0, "" };
    cr_assert_eq(catalog_load_all(&c, NULL, count_warning, &w, err, sizeof err), RT_OK);
    cr_assert_eq(w.n, 0, "%s", w.last);
    cr_assert_eq(catalog_engine(&c, "old-spelling")->cuda_graph_max_bs, 96);
    cr_assert_eq(catalog_engine(&c, "both")->cuda_graph_max_bs, 64, "the profile's figure wins");
    /* built in: SGLang's server_args.py default, 160, serves both */
    cr_assert_eq(catalog_engine(&c, "sglang")->cuda_graph_max_bs, 160);
    catalog_free(&c);
}
