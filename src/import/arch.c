/* arch.c - see arch.h.  Each rule cites the reference implementation
 * (Hugging Face transformers' modeling/configuration files) it follows. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "import/arch.h"
#include "core/core.h"

/* ---- the family table: what configs leave to their class defaults ---- */

static const struct arch_family families[] = {
    /* type            gguf           tied  norms norm          ffn           qkvb   obias  qkn    sliding flag */
    { "",              NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "llama",         "llama",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, true,  false, 0, false, 0, 0 },
    { "mistral",       "llama",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "mixtral",       "llama",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "ministral",     NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "qwen2",         "qwen2",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, true,  false, false, 0, true, 0, 0 },
    { "qwen2_moe",     "qwen2moe",    false, 2, RT_NORM_RMS,   RT_FFN_GATED, true,  false, false, 0, true, 0, 0 },
    { "qwen3",         "qwen3",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    { "qwen3_moe",     "qwen3moe",    false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    { "qwen3_next",    "qwen3next",   false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    { "qwen3_vl_text", NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    { "qwen3_vl_moe_text", NULL,      false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    { "qwen3_5",       "qwen35",      false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    { "qwen3_5_text",  NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    { "qwen3_5_moe",   "qwen35moe",   false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    { "qwen3_5_moe_text", NULL,       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0 },
    /* Gemma: GemmaConfig/Gemma2Config/Gemma3TextConfig tie_word_embeddings=True;
     * Gemma3TextConfig vocab_size=262208, max_position_embeddings=131072 (the
     * gemma-3-27b-it config.json leaves both out);
     * Gemma 2 and 3 norm before and after attention and FFN (4 per layer); Gemma 2
     * slides on even layers, Gemma 3 on five of every six (sliding_window_pattern 6) */
    { "gemma",         "gemma",       true,  2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "gemma2",        "gemma2",      true,  4, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 2, false, 0, 0 },
    { "gemma3",        "gemma3",      true,  4, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  6, false, 262208, 131072 },
    { "gemma3_text",   NULL,          true,  4, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  6, false, 262208, 131072 },
    /* Cohere: CohereConfig tie_word_embeddings=True, one LayerNorm (weight only)
     * shared by the parallel attention and FFN; Cohere2 slides on 3 of every 4 */
    { "cohere",        "command-r",   true,  1, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "cohere2",       "cohere2",     true,  1, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 4, false, 0, 0 },
    { "phi3",          "phi3",        false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "phimoe",        NULL,          false, 2, RT_NORM_LAYER, RT_FFN_GATED, true,  true,  false, 0, false, 0, 0 },
    { "gptj",          "gptj",        false, 1, RT_NORM_LAYER, RT_FFN_PLAIN, false, false, false, 0, false, 0, 0 },
    { "deepseek_v2",   "deepseek2",   false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "deepseek_v3",   "deepseek2",   false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "deepseek_v32",  NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "glm_moe_dsa",   NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "kimi_k2",       NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    /* GLM-4.5: Glm4MoeAttention biases q/k/v only (attention_bias), no o_proj bias */
    { "glm4_moe",      "glm4moe",     false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    /* gpt-oss: GptOssAttention biases q/k/v/o (attention_bias), sinks, expert biases */
    { "gpt_oss",       "gpt-oss",     false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, true,  false, 2, false, 0, 0 },
    { "llama4",        "llama4",      false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "llama4_text",   NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    /* Nemotron-H: one RMSNorm per block, squared-ReLU MLP (NemotronHMLP) */
    { "nemotron_h",    "nemotron_h",  false, 1, RT_NORM_RMS,   RT_FFN_RELU2, false, false, false, 0, false, 0, 0 },
    { "mamba2",        "mamba2",      true,  1, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "granite",       "granite",     true,  2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "granitemoe",    "granitemoe",  true,  2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "granitemoehybrid", "granitehybrid", true, 2, RT_NORM_RMS, RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    /* OLMo 2: q/k norms, norms after attention and FFN only */
    { "olmo2",         "olmo2",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, false, 0, 0 },
    { "smollm3",       "smollm3",     true,  2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "nemotron-nas",  "deci",        false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
    { "deci",          "deci",        false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0 },
};
#define N_FAMILIES (sizeof families / sizeof families[0])

const struct arch_family *arch_family(const char *type)
{
    for (size_t i = 1; i < N_FAMILIES; i++)
        if (type && strcmp(families[i].type, type) == 0)
            return &families[i];
    return NULL;
}

const struct arch_family *arch_family_gguf(const char *arch)
{
    for (size_t i = 1; i < N_FAMILIES; i++)
        if (arch && families[i].gguf && strcmp(families[i].gguf, arch) == 0 &&
            strcmp(families[i].type, families[i].gguf) == 0)
            return &families[i];
    for (size_t i = 1; i < N_FAMILIES; i++)
        if (arch && families[i].gguf && strcmp(families[i].gguf, arch) == 0)
            return &families[i];
    return NULL;
}

/* ---- reading keys ---- */

struct rd {
    const struct av_source *s;
    const void *text, *root;        /* the text model's keys, and the file's top level */
    char *err;
    size_t errlen;
    bool failed;
    char notes[512];                /* assumptions and ignored keys, for the warning */
};

static void fail_at(struct rd *r, const void *v, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail_at(struct rd *r, const void *v, const char *key, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->s->fail) {
        r->s->fail(r->s->ctx, v, key, msg);
        return;
    }
    int line = v && r->s->ops->line ? r->s->ops->line(v) : 0;
    const char *file = v && r->s->ops->file ? r->s->ops->file(v) : NULL;
    if (!file)
        file = r->s->file;
    if (line > 0)
        snprintf(r->err, r->errlen, "%s:%d: %s: %s", file, line, key, msg);
    else
        snprintf(r->err, r->errlen, "%s: %s: %s", file, key, msg);
}

static void note(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct rd *r, const char *fmt, ...)
{
    size_t n = strlen(r->notes);
    if (n + 8 >= sizeof r->notes)
        return;
    if (n)
        n += (size_t)snprintf(r->notes + n, sizeof r->notes - n, "; ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->notes + n, sizeof r->notes - n, fmt, ap);
    va_end(ap);
}

static enum av_type type_of(struct rd *r, const void *v) { return v ? r->s->ops->type(v) : AV_NONE; }

/* A key of the text model, else of the top level (multimodal wrappers keep some
 * there); null counts as absent. */
static const void *get(struct rd *r, const char *key)
{
    const void *v = r->s->ops->member(r->text, key);
    if ((!v || type_of(r, v) == AV_NULL) && r->root != r->text)
        v = r->s->ops->member(r->root, key);
    return v && type_of(r, v) != AV_NULL ? v : NULL;
}

static const void *get_any(struct rd *r, const char *const *keys, const char **which)
{
    for (int i = 0; keys[i]; i++) {
        const void *v = get(r, keys[i]);
        if (v) {
            if (which)
                *which = keys[i];
            return v;
        }
    }
    if (which)
        *which = keys[0];
    return NULL;
}

/* Widths and counts the core caps itself (rt_validate_model names the cap). */
#define WIDE RT_COUNT_MAX

#define KEYS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* An integer from the first present key; def < 0 makes it required. */
static int64_t num_of(struct rd *r, const char *const *keys, int64_t def, int64_t min, int64_t max)
{
    const char *k;
    const void *v = get_any(r, keys, &k);
    if (!v) {
        if (def < 0) {
            const void *id = r->s->catalog ? r->s->ops->member(r->root, "id") : NULL;
            if (id && type_of(r, id) == AV_STRING)
                fail_at(r, r->text, k, "missing (in '%s')", r->s->ops->string(id));
            else
                fail_at(r, r->text, k, "missing");
        }
        return def < 0 ? 0 : def;
    }
    enum av_type t = type_of(r, v);
    double d = t == AV_INT || t == AV_REAL ? r->s->ops->number(v) : NAN;
    if (!isfinite(d) || d != floor(d) || fabs(d) > 9e15) {
        fail_at(r, v, k, "expected a whole number");
        return 0;
    }
    if (d < (double)min || d > (double)max) {
        fail_at(r, v, k, "%lld is out of range [%lld, %lld]", (long long)d, (long long)min, (long long)max);
        return 0;
    }
    return (int64_t)d;
}
#define NUM(key, def, min, max) num_of(r, KEYS(key), def, min, max)

static bool flag(struct rd *r, const char *key, bool def)
{
    const void *v = get(r, key);
    if (!v)
        return def;
    enum av_type t = type_of(r, v);
    if (t == AV_BOOL)
        return r->s->ops->number(v) != 0;
    if (t == AV_INT)
        return r->s->ops->number(v) != 0;
    fail_at(r, v, key, "expected true or false");
    return def;
}

static const char *text_of(struct rd *r, const char *key)
{
    const void *v = get(r, key);
    return v && type_of(r, v) == AV_STRING ? r->s->ops->string(v) : NULL;
}

static int choice(struct rd *r, const char *key, const char *const *names, int def)
{
    const void *v = get(r, key);
    if (!v)
        return def;
    const char *s = type_of(r, v) == AV_STRING ? r->s->ops->string(v) : NULL;
    for (int i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    char list[160] = "";
    size_t n = 0;
    for (int i = 0; names[i]; i++)
        n += (size_t)snprintf(list + n, n < sizeof list ? sizeof list - n : 0, "%s%s", i ? ", " : "", names[i]);
    fail_at(r, v, key, "expected one of: %s", list);
    return def;
}

static bool is(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* ---- the vision tower of a multimodal wrapper ---- */

static double vnum(const struct av_ops *o, const void *g, const char *key, double def)
{
    const void *v = o->member(g, key);
    enum av_type t = v ? o->type(v) : AV_NONE;
    return t == AV_INT || t == AV_REAL ? o->number(v) : def;
}

/* Parameters of a ViT tower and its projector into the text model (memory only:
 * images are not part of the per-token estimate). */
static double vision_params(struct rd *r, const void *vc, const char *wrapper, double th)
{
    const struct av_ops *o = r->s->ops;
#define VNUM(key, def) vnum(o, vc, key, def)
    double vh = VNUM("hidden_size", 0), vf = VNUM("intermediate_size", 0);
    double vl = VNUM("num_hidden_layers", VNUM("depth", 0));
    double p = VNUM("patch_size", 14), img = VNUM("image_size", 0), ch = VNUM("num_channels", 3);
    const void *tv = o->member(vc, "model_type");
    const char *vt = tv && o->type(tv) == AV_STRING ? o->string(tv) : "";
    if (!(vh > 0 && vf > 0 && vl > 0 && vh < 1e6 && vf < 1e7 && vl < 1e4 && p > 0 && p < 1e4 && img >= 0 &&
          img < 1e6 && ch >= 0 && ch < 64)) {
        note(r, "vision_config not understood: the vision tower is not counted");
        return 0;
    }
    double tower;
    bool qvl = is(vt, "qwen3_vl") || is(vt, "qwen3_vl_moe") || is(vt, "qwen3_5") || is(vt, "qwen3_5_moe");
    if (qvl) {
        /* Qwen3-VL / Qwen3.5 vision (Qwen3VLVisionModel): Conv3d patch embedding over
         * temporal_patch_size frames with bias, a learned position table of
         * num_position_embeddings, biased blocks with LayerNorms and a GELU MLP */
        double in = VNUM("in_channels", 3), tps = VNUM("temporal_patch_size", 2);
        double npos = VNUM("num_position_embeddings", 0);
        tower = vl * (4 * vh * vh + 4 * vh + 2 * vh * vf + vf + vh + 4 * vh) + in * tps * p * p * vh + vh + npos * vh;
    } else if (is(vt, "pixtral")) {
        /* PixtralVisionModel: no biases, gated FFN, RMSNorms, 2-D RoPE (no position table) */
        tower = vl * (4 * vh * vh + 3 * vh * vf + 2 * vh) + ch * p * p * vh + vh;
    } else {
        /* SigLIP / CLIP-style ViT (SiglipVisionModel, Llama4VisionModel): biased
         * projections, plain GELU MLP, two LayerNorms per layer, a learned position
         * table, a post LayerNorm */
        double grid = img > 0 ? (img / p) * (img / p) : 0;
        tower = vl * (4 * vh * vh + 4 * vh + 2 * vh * vf + vf + vh + 4 * vh) + ch * p * p * vh + vh + grid * vh +
                2 * vh;
        if (is(vt, "llama4_vision_model"))
            tower += vh + 4 * vh; /* class token, pre and post LayerNorms */
    }
    double proj;
    if (qvl) {
        /* Qwen3VLVisionPatchMerger: LayerNorm, merge^2 x vh -> merge^2 x vh -> the text
         * width, biased; one more per deepstack layer (normed after the shuffle) */
        double m = VNUM("spatial_merge_size", 2), out = VNUM("out_hidden_size", th), w = m * m * vh;
        double merger = w * w + w + w * out + out;
        const void *ds = o->member(vc, "deepstack_visual_indexes");
        double deep = ds && o->type(ds) == AV_LIST ? (double)o->size(ds) : 0;
        proj = 2 * vh + merger + deep * (2 * w + merger);
    } else if (is(wrapper, "gemma3")) {
        /* Gemma3MultiModalProjector: RMSNorm and one matrix, no bias */
        proj = vh + vh * th;
    } else if (is(wrapper, "mistral3")) {
        /* Mistral3MultiModalProjector: RMSNorm, patch merger (merge^2 vh -> vh), two linears */
        const void *v = o->member(r->root, "spatial_merge_size");
        double m = v && o->type(v) == AV_INT ? o->number(v) : 2;
        proj = vh + m * m * vh * vh + vh * th + th * th;
    } else if (is(wrapper, "llama4")) {
        /* Llama4VisionPixelShuffleMLP (intermediate -> projector_input -> output) and
         * the multi-modal projector (vision_output_dim -> text hidden), no biases */
        double pin = VNUM("projector_input_dim", 0), pout = VNUM("projector_output_dim", 0);
        double vout = VNUM("vision_output_dim", 0);
        proj = vf * pin + pout * pout + vout * th;
    } else {
        proj = vh * th;
        note(r, "vision projector of '%s' assumed to be one matrix", wrapper ? wrapper : "?");
    }
#undef VNUM
    return tower + proj;
}

/* ---- layers ---- */

int arch_collapse(const struct rt_group *layers, int64_t n, struct rt_group *out)
{
    int k = 0;
    for (int64_t i = 0; i < n; i++) {
        struct rt_group a = layers[i];
        a.count = 0;
        int j;
        for (j = 0; j < k; j++) {
            struct rt_group b = out[j];
            b.count = 0;
            if (memcmp(&a, &b, sizeof a) == 0)
                break;
        }
        if (j == k) {
            if (k == RT_GROUPS_MAX)
                return -1;
            out[k] = layers[i];
            out[k].count = 0;
            k++;
        }
        out[j].count += layers[i].count;
    }
    return k;
}

/* Keys the interpreter reads (beyond these, a key that looks architectural is
 * named in the warning as ignored). */
static const char *const understood[] = {
    "model_type", "architectures", "text_config", "vision_config", "hidden_size", "n_embd", "d_model",
    "num_hidden_layers", "n_layer", "n_layers", "num_attention_heads", "n_head", "num_key_value_heads",
    "num_kv_heads", "head_dim", "v_head_dim", "vocab_size", "max_position_embeddings", "n_positions",
    "intermediate_size", "n_inner", "intermediate_size_mlp", "tie_word_embeddings", "attention_bias",
    "mlp_bias", "sliding_window", "use_sliding_window", "max_window_layers", "sliding_window_pattern",
    "layer_types", "full_attention_interval", "hybrid_override_pattern", "attention_chunk_size",
    "no_rope_layers", "no_rope_layer_interval", "interleave_moe_layer_step", "moe_layers", "mlp_only_layers",
    "decoder_sparse_step", "moe_layer_freq", "first_k_dense_replace", "num_local_experts", "num_experts",
    "n_routed_experts", "num_experts_per_tok", "experts_per_token", "moe_intermediate_size",
    "n_shared_experts", "shared_expert_intermediate_size", "moe_shared_expert_intermediate_size",
    "shared_intermediate_size", "kv_lora_rank", "q_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim",
    "index_n_heads", "index_head_dim", "index_topk", "linear_num_value_heads", "linear_num_key_heads",
    "linear_key_head_dim", "linear_value_head_dim", "linear_conv_kernel_dim", "mamba_num_heads",
    "mamba_head_dim", "mamba_n_heads", "mamba_d_head", "mamba_n_groups", "mamba_d_state", "mamba_d_conv",
    "mamba_expand", "n_groups", "ssm_state_size", "state_size", "conv_kernel", "num_heads", "expand",
    "block_configs", "attn_output_gate", "use_qk_norm", "qk_layernorm", "hidden_act", "mlp_hidden_act",
    "topk_method", "layers_block_type", "spatial_merge_size", "ffn", "norm", "norms_per_layer", "o_bias",
    "lm_head_bias", "sliding", "id", "name", "official_params", "official_active", "attention_head_dim",
    "draft_acceptance",
    "layer_kv_heads", "layer_intermediate", "layers_block_type", "moe_latent_size", "mamba_ssm_dtype",
    "mamba_ssm_cache_dtype", "top_k_experts", "num_experts_per_token", "dense_intermediate_size",
    "hybrid_layer_pattern", "swa_num_attention_heads", "swa_num_key_value_heads", "swa_head_dim",
    "swa_v_head_dim", "add_swa_attention_sink_bias", "add_full_attention_sink_bias", "sliding_window_size",
    "mlp_layer_types", "qk_head_dim",
    NULL };

/* Keys that look architectural but change no size or traffic. */
static const char *const harmless[] = {
    "attention_dropout", "hidden_dropout", "layer_norm_eps", "layer_norm_epsilon", "rms_norm_eps", "norm_eps",
    "initializer_range", "attention_multiplier", "embedding_multiplier", "residual_multiplier", "logits_scaling",
    "num_experts_per_tok_routing", "router_aux_loss_coef", "head_dim_scale", "attn_temperature_tuning",
    "attention_window_size", "mamba_hidden_act", "mamba_chunk_size", "chunk_size", "mamba_conv_bias",
    "mamba_proj_bias", "use_conv_bias", "use_mamba_kernels", "mamba_dt_rank", "time_step_rank",
    "rescale_prenorm_residual", "residual_in_fp32", "hidden_dropout_prob", "attention_probs_dropout_prob",
    "moe_aux_loss_coeff", "moe_router_topk", "moe_topk", "expert_layer_period", "expert_layer_offset",
    "attn_layer_period", "attn_layer_offset", "num_nextn_predict_layers", "mtp_num_hidden_layers",
    "moe_latent_size", "partial_rotary_factor", "rotary_dim", "router_jitter_noise", "output_router_logits",
    "use_cache", "n_group", "topk_group", "num_experts_per_group", "num_logits_to_keep", "vision_feature_layer",
    "mm_tokens_per_image", "image_seq_length", "projector_hidden_act", "initial_context_length",
    "query_pre_attn_scalar", "pretraining_tp", "ep_size", "moe_shared_expert_overlap", "moe_router_dtype",
    /* generation and training settings some files carry inside text_config */
    "num_beams", "num_beam_groups", "num_return_sequences", "output_attentions", "output_hidden_states",
    "pruned_heads", "add_cross_attention", "cross_attention_hidden_size", "chunk_size_feed_forward",
    "is_decoder", "is_encoder_decoder", "tie_encoder_decoder", "output_scores", "return_dict_in_generate",
    NULL };

static bool in(const char *const *list, const char *k)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], k) == 0)
            return true;
    return false;
}

static bool looks_architectural(const char *k)
{
    static const char *const parts[] = { "layer", "head", "expert", "hidden", "intermediate", "window",
                                         "lora", "ssm", "mamba", "linear_", "conv", "moe", "attention",
                                         "state", "chunk", "rank", "dim", "num_", "size", NULL };
    if (in(harmless, k) || strstr(k, "token_id") || strstr(k, "dropout") || strstr(k, "_eps") ||
        strstr(k, "rope") || strstr(k, "multiplier") || strstr(k, "scal") || strstr(k, "_act") ||
        strstr(k, "vision") || strstr(k, "image") || is(k, "quantization_config") || is(k, "audio_config") ||
        strstr(k, "mtp_"))
        return false;
    for (int i = 0; parts[i]; i++)
        if (strstr(k, parts[i]))
            return true;
    return false;
}

static void ignored_keys(struct rd *r, const void *group)
{
    const struct av_ops *o = r->s->ops;
    if (!group || type_of(r, group) != AV_GROUP || !o->key)
        return;
    char list[256] = "";
    size_t n = 0, count = 0;
    for (size_t i = 0; i < o->size(group); i++) {
        const char *k = o->key(group, i);
        if (!k || in(understood, k) || !looks_architectural(k))
            continue;
        const void *v = o->elem(group, i);
        if (type_of(r, v) == AV_NULL || (type_of(r, v) == AV_INT && o->number(v) == 0))
            continue;
        count++;
        if (n < sizeof list - 40)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", k);
    }
    if (count)
        note(r, "ignored keys: %s", list);
}

/* The FFN width of a DeciLM block's ffn_mult (transformers' DeciLM
 * _ffn_mult_to_intermediate_size: int(2 * mult * hidden / 3), rounded up to 256). */
static int64_t deci_width(double mult, int64_t hidden)
{
    int64_t w = (int64_t)(2.0 * mult * (double)hidden / 3.0);
    return (w + 255) / 256 * 256;
}

static const void *group_member(struct rd *r, const void *g, const char *k)
{
    return g && type_of(r, g) == AV_GROUP ? r->s->ops->member(g, k) : NULL;
}

static double member_num(struct rd *r, const void *g, const char *k, double def)
{
    const void *v = group_member(r, g, k);
    enum av_type t = type_of(r, v);
    return t == AV_INT || t == AV_REAL || t == AV_BOOL ? r->s->ops->number(v) : def;
}

static bool same_group(const struct rt_group *a, const struct rt_group *b)
{
#define EQ(f) (a->f == b->f)
    return EQ(count) && EQ(mixer) && EQ(attn) && EQ(window) && EQ(heads) && EQ(kv_heads) && EQ(head_dim) &&
           EQ(v_head_dim) && EQ(kv_lora_rank) && EQ(q_lora_rank) && EQ(rope_dim) && EQ(nope_dim) &&
           EQ(qkv_bias) && EQ(o_bias) && EQ(sinks) && EQ(qk_norm) && EQ(attn_gate) && EQ(index_heads) &&
           EQ(index_head_dim) && EQ(index_topk) && EQ(lin_heads) && EQ(lin_v_dim) && EQ(lin_k_heads) &&
           EQ(lin_k_dim) && EQ(conv_kernel) && EQ(ffn) && EQ(mlp_bias) && EQ(experts) &&
           EQ(experts_per_token) && EQ(expert_intermediate) && EQ(shared_intermediate) && EQ(router_bias) &&
           EQ(expert_in) && EQ(state_bits) && EQ(norms) && (a->experts > 0 || EQ(intermediate));
#undef EQ
}

/* Whether the plain fields alone describe the same layers (a uniform model, a
 * dense prefix before MoE layers, Gemma 2's alternation): then the model keeps
 * no groups of its own, and code that edits the plain fields (what-if sweeps)
 * changes what the estimator sees. */
static bool plain_enough(const struct rt_model *m)
{
    struct rt_model p = *m;
    p.n_groups = 0;
    struct rt_group g[RT_GROUPS_MAX];
    int n = rt_model_groups(&p, g);
    if (n != m->n_groups)
        return false;
    bool used[RT_GROUPS_MAX] = { false };
    for (int i = 0; i < n; i++) {
        int j;
        for (j = 0; j < n; j++)
            if (!used[j] && same_group(&g[i], &m->group[j]))
                break;
        if (j == n)
            return false;
        used[j] = true;
    }
    return true;
}

int arch_read(const struct av_source *src, struct rt_model *m, char *warn, size_t warnlen, char *err,
              size_t errlen)
{
    struct rd rr = { .s = src, .root = src->root, .text = src->root, .err = err, .errlen = errlen };
    struct rd *r = &rr;
    const struct av_ops *o = src->ops;
    memset(m, 0, sizeof *m);
    if (warn && warnlen)
        warn[0] = 0;

    /* multimodal wrappers keep the text model under text_config */
    const void *tc = o->member(src->root, "text_config");
    if (tc && o->type(tc) == AV_GROUP)
        r->text = tc;
    const void *tv = o->member(r->text, "model_type"), *rv = o->member(src->root, "model_type");
    const char *type = tv && o->type(tv) == AV_STRING ? o->string(tv) : "";
    const char *wrapper = rv && o->type(rv) == AV_STRING ? o->string(rv) : "";
    if (!type[0])
        type = wrapper;
    const struct arch_family *fam = arch_family(type);
    if (!fam && wrapper[0])
        fam = arch_family(wrapper);
    bool known = fam != NULL;
    if (!fam)
        fam = &families[0];

    /* ---- shapes every layer shares ---- */
    int64_t h = num_of(r, KEYS("hidden_size", "n_embd", "d_model"), -1, 1, 1 << 24);
    /* a file may give the depth only as the length of its layout */
    int64_t listed = -1;
    const void *lay_list = get(r, "layers_block_type");
    if (!lay_list || type_of(r, lay_list) != AV_LIST)
        lay_list = get(r, "layer_types");
    if (lay_list && type_of(r, lay_list) == AV_LIST)
        listed = (int64_t)o->size(lay_list);
    else if (text_of(r, "hybrid_override_pattern"))
        listed = (int64_t)strlen(text_of(r, "hybrid_override_pattern"));
    int64_t L = num_of(r, KEYS("num_hidden_layers", "n_layer", "n_layers"), listed > 0 ? listed : -1, 1, 1 << 16);
    bool pure_mamba = is(type, "mamba2");
    int64_t nh = num_of(r, KEYS("num_attention_heads", "n_head"), pure_mamba ? 0 : -1, pure_mamba ? 0 : 1, 1 << 16);
    int64_t nkv = num_of(r, KEYS("num_key_value_heads", "num_kv_heads"), nh, 0, 1 << 16);
    int64_t dh = num_of(r, KEYS("head_dim", "attention_head_dim"), nh > 0 ? h / nh : 0, 0, 1 << 16);
    int64_t vocab = NUM("vocab_size", fam->vocab > 0 ? fam->vocab : -1, 1, 1 << 26);
    m->max_context = num_of(r, KEYS("max_position_embeddings", "n_positions"), fam->context, 0, RT_TOKENS_MAX);
    /* multi-token-prediction layers the checkpoint ships (DeepSeek-V3, GLM-4.5; Qwen3.5's name) */
    m->mtp_layers = num_of(r, KEYS("num_nextn_predict_layers", "mtp_num_hidden_layers"), 0, 0, 64);
    if (r->failed)
        return RT_EINVAL;
    if (nkv > 0 && nh % nkv != 0) {
        const char *k;
        fail_at(r, get_any(r, KEYS("num_key_value_heads", "num_kv_heads"), &k), "num_key_value_heads",
                "num_attention_heads (%lld) is not a multiple of it (%lld)", (long long)nh, (long long)nkv);
        return RT_EINVAL;
    }
    m->hidden = h;
    m->layers = L;
    m->vocab = vocab;

    /* ---- the attention layer ---- */
    struct rt_group att = { 0 };
    att.count = 1;
    att.mixer = RT_MIX_ATTENTION;
    att.heads = nh;
    att.kv_heads = nkv;
    att.head_dim = dh;
    att.v_head_dim = NUM("v_head_dim", dh, 1, 1 << 16);
    bool ab = flag(r, "attention_bias", false);
    att.qkv_bias = ab || fam->qkv_bias;
    att.o_bias = src->catalog && !known ? flag(r, "o_bias", false) : (ab && fam->o_bias) || flag(r, "o_bias", false);
    att.qk_norm = fam->qk_norm || flag(r, "use_qk_norm", false) || flag(r, "qk_layernorm", false);
    if (is(type, "llama4") || is(type, "llama4_text"))
        att.qk_norm = false; /* Llama4TextL2Norm has no weights */
    att.attn_gate = is(type, "qwen3_next") || flag(r, "attn_output_gate", false);
    att.sinks = is(type, "gpt_oss");
    att.kv_lora_rank = NUM("kv_lora_rank", 0, 0, 1 << 20);
    if (att.kv_lora_rank > 0) {
        /* latent attention under any model_type (DeepSeek-V2/V3, Kimi K2, GLM-5, ...) */
        att.q_lora_rank = NUM("q_lora_rank", 0, 0, 1 << 20);
        att.rope_dim = NUM("qk_rope_head_dim", -1, 0, 1 << 16);
        att.nope_dim = NUM("qk_nope_head_dim", -1, 1, 1 << 16);
        att.v_head_dim = NUM("v_head_dim", -1, 1, 1 << 16);
        att.kv_heads = nh;
    }
    att.index_heads = NUM("index_n_heads", 0, 0, 1 << 16);
    if (att.index_heads > 0) {
        /* DeepSeek-V3.2's lightning indexer (DSA) */
        att.index_head_dim = NUM("index_head_dim", -1, 1, 1 << 16);
        att.index_topk = NUM("index_topk", -1, 1, (int64_t)1 << 32);
    }

    /* ---- recurrent layers ---- */
    struct rt_group gdn = { 0 }, mamba = { 0 };
    gdn.count = mamba.count = 1;
    gdn.mixer = RT_MIX_DELTANET;
    if (get(r, "linear_num_value_heads")) {
        /* Gated DeltaNet (Qwen3NextGatedDeltaNet) */
        gdn.lin_heads = NUM("linear_num_value_heads", -1, 1, 1 << 16);
        gdn.lin_k_heads = NUM("linear_num_key_heads", gdn.lin_heads, 1, 1 << 16);
        gdn.lin_k_dim = NUM("linear_key_head_dim", -1, 1, 1 << 16);
        gdn.lin_v_dim = NUM("linear_value_head_dim", gdn.lin_k_dim, 1, 1 << 16);
        gdn.conv_kernel = NUM("linear_conv_kernel_dim", 4, 0, 64);
    }
    mamba.mixer = RT_MIX_MAMBA2;
    if (get_any(r, KEYS("mamba_num_heads", "mamba_n_heads"), NULL) || pure_mamba) {
        /* Mamba2 (NemotronHMamba2Mixer, GraniteMoeHybridMambaLayer, Mamba2Mixer) */
        mamba.lin_heads = num_of(r, KEYS("mamba_num_heads", "mamba_n_heads", "num_heads"), -1, 1, 1 << 16);
        mamba.lin_v_dim = num_of(r, KEYS("mamba_head_dim", "mamba_d_head", "head_dim"), -1, 1, 1 << 16);
        mamba.lin_k_heads = num_of(r, KEYS("n_groups", "mamba_n_groups"), 1, 1, 1 << 16);
        mamba.lin_k_dim = num_of(r, KEYS("ssm_state_size", "mamba_d_state", "state_size"), -1, 1, 1 << 16);
        mamba.conv_kernel = num_of(r, KEYS("conv_kernel", "mamba_d_conv"), 4, 0, 64);
        if (pure_mamba) {
            nh = nkv = mamba.lin_heads; /* the plain fields name something that exists */
            dh = mamba.lin_v_dim;
        }
    }
    /* the recurrent state's element type where the file fixes it (Qwen3.5's
     * mamba_ssm_dtype, Nemotron 3's mamba_ssm_cache_dtype: float32) */
    const char *sdt = text_of(r, "mamba_ssm_dtype");
    if (!sdt)
        sdt = text_of(r, "mamba_ssm_cache_dtype");
    int sbits = is(sdt, "float32") ? 32 : is(sdt, "bfloat16") || is(sdt, "float16") ? 16 : 0;
    gdn.state_bits = mamba.state_bits = sbits;
    if (r->failed)
        return RT_EINVAL;

    /* ---- FFNs ---- */
    struct rt_group dense = { 0 }, moe = { 0 };
    static const char *const ffns[] = { "gated", "plain", "relu2", NULL };
    enum rt_ffn ffn = fam->ffn;
    const char *act = text_of(r, "mlp_hidden_act");
    if (!act && !pure_mamba)
        act = text_of(r, "hidden_act");
    if (is(act, "relu2"))
        ffn = RT_FFN_RELU2;
    ffn = (enum rt_ffn)choice(r, "ffn", ffns, (int)ffn);
    bool mlp_bias = flag(r, "mlp_bias", is(type, "gptj") || is(type, "gpt_oss"));
    /* required, except where every FFN is a mixture of experts or there is none */
    int64_t inter_def = is(type, "gptj") ? 4 * h
                      : pure_mamba || get(r, "moe_intermediate_size") || get(r, "block_configs") ? 0 : -1;
    int64_t inter = num_of(r, KEYS("intermediate_size", "n_inner"), inter_def, 0, WIDE);
    if (pure_mamba)
        inter = 0;
    if (r->failed)
        return RT_EINVAL;
    dense.ffn = moe.ffn = ffn;
    dense.mlp_bias = moe.mlp_bias = mlp_bias;
    /* the dense layers' own width: Llama 4's intermediate_size_mlp, MiniMax's dense_intermediate_size */
    dense.intermediate = num_of(r, KEYS("intermediate_size_mlp", "dense_intermediate_size"), inter, 0, WIDE);
    int64_t E = num_of(r, KEYS("n_routed_experts", "num_local_experts", "num_experts"), 0, 0, WIDE);
    if (E > 0 && !get_any(r, KEYS("num_experts_per_tok", "experts_per_token"), NULL) && pure_mamba)
        E = 0;
    if (E > 0) {
        moe.experts = E;
        moe.experts_per_token = num_of(r, KEYS("num_experts_per_tok", "experts_per_token", "num_experts_per_token",
                                                "top_k_experts"), -1, 1, E);
        moe.expert_intermediate = NUM("moe_intermediate_size", inter, 1, WIDE);
        int64_t shared = num_of(r, KEYS("shared_expert_intermediate_size", "moe_shared_expert_intermediate_size",
                                        "shared_intermediate_size"), 0, 0, WIDE);
        int64_t n_shared = NUM("n_shared_experts", 0, 0, WIDE);
        if (shared == 0 && n_shared > 0 && moe.expert_intermediate > 0) /* 0 after a bad moe_intermediate_size */
            shared = n_shared <= WIDE / moe.expert_intermediate ? n_shared * moe.expert_intermediate : WIDE;
        if (is(type, "llama4") || is(type, "llama4_text"))
            shared = inter; /* Llama4TextMoe: one shared expert of intermediate_size */
        moe.shared_intermediate = shared;
        moe.expert_in = NUM("moe_latent_size", 0, 0, 1 << 24);
        /* routers with a bias: gpt-oss's, and DeepSeek-V3's e_score_correction_bias */
        moe.router_bias = is(type, "gpt_oss") || is(text_of(r, "topk_method"), "noaux_tc");
    }
    int norms = (int)NUM("norms_per_layer", fam->norms, 0, 8);
    static const char *const normk[] = { "rms", "layer", NULL };
    m->norm = (enum rt_norm)choice(r, "norm", normk, (int)fam->norm);
    if (r->failed)
        return RT_EINVAL;

    /* ---- which layer is which ---- */
    if (L > RT_LAYERS_MAX)
        return RT_EINVAL;
    struct rt_group *lay = calloc((size_t)L, sizeof *lay);
    if (!lay) {
        fail_at(r, NULL, "layers", "out of memory");
        return RT_EINVAL;
    }
    enum kind { K_ATT, K_SLIDE, K_CHUNK, K_GDN, K_MAMBA, K_NONE };
    enum fk { F_DENSE, F_MOE, F_NONE };
    enum kind *mk = calloc((size_t)L, sizeof *mk);
    enum fk *fk = calloc((size_t)L, sizeof *fk);
    if (!mk || !fk) {
        free(lay);
        free(mk);
        free(fk);
        fail_at(r, NULL, "layers", "out of memory");
        return RT_EINVAL;
    }
    int64_t window = NUM("sliding_window", 0, 0, RT_TOKENS_MAX);
    int64_t chunk = NUM("attention_chunk_size", 0, 0, RT_TOKENS_MAX);
    bool use_window = window > 0 && (!fam->sliding_flag || flag(r, "use_sliding_window", false));
    if (use_window && !get(r, "layer_types") && m->max_context > 0 && window >= m->max_context)
        use_window = false; /* a window as long as the context never slides */

    /* default FFN per layer: MoE where the keys place it */
    for (int64_t i = 0; i < L; i++)
        fk[i] = E > 0 ? F_MOE : (inter > 0 || dense.intermediate > 0 ? F_DENSE : F_NONE);
    if (E > 0) {
        int64_t kd = NUM("first_k_dense_replace", 0, 0, L);
        /* moe_layer_freq: every freq-th layer (DeepSeek-V2), or one flag per layer (MiniMax-M3, MiMo) */
        const void *fv = get(r, "moe_layer_freq");
        bool per_layer = fv && type_of(r, fv) == AV_LIST && (int64_t)o->size(fv) == L;
        int64_t freq = per_layer ? 1 : NUM("moe_layer_freq", 1, 1, L);
        int64_t step = num_of(r, KEYS("interleave_moe_layer_step", "decoder_sparse_step"), 1, 1, L);
        if (freq < 1)
            freq = 1;
        if (step < 1)
            step = 1;
        for (int64_t i = 0; i < L; i++) {
            bool moe_here = per_layer ? o->number(o->elem(fv, (size_t)i)) != 0
                                      : i >= kd && i % freq == 0 && (i + 1) % step == 0;
            fk[i] = moe_here ? F_MOE : F_DENSE;
        }
        const void *list = get(r, "mlp_only_layers");
        for (size_t j = 0; list && type_of(r, list) == AV_LIST && j < o->size(list); j++) {
            double x = o->number(o->elem(list, j));
            if (x >= 0 && x < (double)L)
                fk[(int64_t)x] = F_DENSE;
        }
        /* GLM-5's mlp_layer_types: "dense" or "sparse" per layer */
        list = get(r, "mlp_layer_types");
        for (size_t j = 0; list && type_of(r, list) == AV_LIST && (int64_t)o->size(list) == L && j < o->size(list); j++) {
            const void *e = o->elem(list, j);
            const char *t = type_of(r, e) == AV_STRING ? o->string(e) : "";
            fk[j] = is(t, "dense") ? F_DENSE : is(t, "sparse") || is(t, "moe") ? F_MOE : fk[j];
        }
        list = get(r, "moe_layers");
        if (list && type_of(r, list) == AV_LIST) {
            for (int64_t i = 0; i < L; i++)
                fk[i] = F_DENSE;
            for (size_t j = 0; j < o->size(list); j++) {
                double x = o->number(o->elem(list, j));
                if (x >= 0 && x < (double)L)
                    fk[(int64_t)x] = F_MOE;
            }
        }
    }
    if (dense.intermediate == 0)
        for (int64_t i = 0; i < L; i++)
            if (fk[i] == F_DENSE)
                fk[i] = F_NONE;

    /* mixers: the explicit per-layer lists first, then the patterns */
    const void *lt = get(r, "layer_types");
    const void *lbt = get(r, "layers_block_type");
    const char *hyb = text_of(r, "hybrid_override_pattern");
    const void *blocks = get(r, "block_configs");
    int64_t fai = NUM("full_attention_interval", 0, 0, L);
    for (int64_t i = 0; i < L; i++)
        mk[i] = pure_mamba ? K_MAMBA : K_ATT;
    if (lt && type_of(r, lt) == AV_LIST) {
        if ((int64_t)o->size(lt) != L) {
            fail_at(r, lt, "layer_types", "%zu entries for %lld layers", o->size(lt), (long long)L);
        } else {
            for (int64_t i = 0; i < L; i++) {
                const void *e = o->elem(lt, (size_t)i);
                const char *s = type_of(r, e) == AV_STRING ? o->string(e) : "";
                if (is(s, "full_attention") || is(s, "attention") || is(s, "global_attention") ||
                    is(s, "deepseek_sparse_attention")) /* DSA: the indexer keys size it */
                    mk[i] = K_ATT;
                else if (is(s, "sliding_attention") || is(s, "local_attention") || is(s, "sliding"))
                    mk[i] = K_SLIDE;
                else if (is(s, "chunked_attention"))
                    mk[i] = K_CHUNK;
                else if (is(s, "linear_attention"))
                    mk[i] = K_GDN;
                else if (is(s, "mamba") || is(s, "mamba2"))
                    mk[i] = K_MAMBA;
                else if (is(s, "none"))
                    mk[i] = K_NONE;
                else {
                    note(r, "layer_types: '%s' not known, counted as full attention", s);
                    mk[i] = K_ATT;
                }
            }
        }
    } else if (lbt && type_of(r, lbt) == AV_LIST && (int64_t)o->size(lbt) == L) {
        /* Nemotron 3 spelling of the hybrid layout: one block kind per layer */
        for (int64_t i = 0; i < L; i++) {
            const void *e = o->elem(lbt, (size_t)i);
            const char *s = type_of(r, e) == AV_STRING ? o->string(e) : "";
            mk[i] = is(s, "mamba") ? K_MAMBA : is(s, "attention") ? K_ATT : K_NONE;
            fk[i] = is(s, "moe") ? F_MOE : is(s, "mlp") ? F_DENSE : F_NONE;
        }
    } else if ((lt = get(r, "hybrid_layer_pattern")) && type_of(r, lt) == AV_LIST && (int64_t)o->size(lt) == L) {
        /* MiMo-V2: one flag per layer, 1 for a sliding-window layer */
        for (int64_t i = 0; i < L; i++)
            mk[i] = o->number(o->elem(lt, (size_t)i)) != 0 ? K_SLIDE : K_ATT;
    } else if (hyb) {
        /* Nemotron-H (NemotronHConfig.hybrid_override_pattern): M Mamba2, * attention,
         * - MLP, E mixture of experts; each character is a whole block */
        if ((int64_t)strlen(hyb) != L) {
            fail_at(r, get(r, "hybrid_override_pattern"), "hybrid_override_pattern",
                    "%zu characters for %lld layers", strlen(hyb), (long long)L);
        } else {
            for (int64_t i = 0; i < L; i++) {
                char c = hyb[i];
                mk[i] = c == 'M' ? K_MAMBA : c == '*' ? K_ATT : K_NONE;
                fk[i] = c == '-' ? F_DENSE : c == 'E' ? F_MOE : F_NONE;
                if (!strchr("M*-E", c))
                    note(r, "hybrid_override_pattern: '%c' not known, counted as an MLP block", c);
            }
        }
    } else if (fai > 0) {
        /* Qwen3-Next: every full_attention_interval-th layer is full attention, the
         * others Gated DeltaNet (Qwen3NextConfig.layer_types default) */
        for (int64_t i = 0; i < L; i++)
            mk[i] = (i + 1) % fai == 0 ? K_ATT : K_GDN;
    } else if (chunk > 0) {
        /* Llama 4: RoPE layers attend within chunks, the NoPE ones (every fourth by
         * default, no_rope_layers[i] == 0) attend globally (Llama4TextConfig) */
        const void *nr = get(r, "no_rope_layers");
        int64_t every = NUM("no_rope_layer_interval", 4, 1, L);
        if (every < 1)
            every = 4;
        bool have = nr && type_of(r, nr) == AV_LIST && (int64_t)o->size(nr) == L;
        for (int64_t i = 0; i < L; i++) {
            bool rope = have ? o->number(o->elem(nr, (size_t)i)) != 0 : (i + 1) % every != 0;
            mk[i] = rope ? K_CHUNK : K_ATT;
        }
    } else if (use_window) {
        int64_t every = NUM("sliding_window_pattern", fam->sliding, 0, L);
        static const char *const slides[] = { "all", "alternate", "none", NULL };
        /* rooftop's own "sliding" key, for entries without the file's pattern keys */
        int how = get(r, "sliding_window_pattern") ? (every == 2 ? 1 : 0)
                                                   : choice(r, "sliding", slides, every == 2 ? 1 : 0);
        if (how == 1)
            every = 2;
        int64_t mwl = fam->sliding_flag ? NUM("max_window_layers", 0, 0, L) : 0;
        for (int64_t i = 0; i < L && how != 2; i++) {
            bool slide;
            if (every == 2 && (how == 1 || fam->sliding == 2))
                slide = i % 2 == 0;             /* Gemma 2, gpt-oss: even layers local */
            else if (every > 1)
                slide = (i + 1) % every != 0;   /* Gemma 3, Cohere 2: every Nth global */
            else
                slide = i >= mwl;               /* Mistral, Phi-3; Qwen above max_window_layers */
            mk[i] = slide ? K_SLIDE : K_ATT;
        }
    }
    if (blocks && type_of(r, blocks) == AV_LIST) {
        /* DeciLM / Nemotron-NAS (Llama-3.1-Nemotron-Super): per-layer attention and
         * FFN variants (DeciLMConfig.block_configs) */
        if ((int64_t)o->size(blocks) != L) {
            fail_at(r, blocks, "block_configs", "%zu entries for %lld layers", o->size(blocks), (long long)L);
        } else {
            bool linear = false;
            for (int64_t i = 0; i < L; i++) {
                const void *b = o->elem(blocks, (size_t)i);
                const void *a = group_member(r, b, "attention"), *f = group_member(r, b, "ffn");
                lay[i].kv_heads = 0;
                if (member_num(r, a, "no_op", 0) != 0 || member_num(r, a, "replace_with_linear", 0) != 0) {
                    mk[i] = K_NONE;
                    linear |= member_num(r, a, "replace_with_linear", 0) != 0;
                } else {
                    double g = member_num(r, a, "n_heads_in_group", 0);
                    if (g >= 1 && g <= (double)nh && nh % (int64_t)g == 0)
                        lay[i].kv_heads = nh / (int64_t)g;
                }
                if (member_num(r, f, "no_op", 0) != 0 || member_num(r, f, "replace_with_linear", 0) != 0) {
                    fk[i] = F_NONE;
                    linear |= member_num(r, f, "replace_with_linear", 0) != 0;
                } else {
                    double mult = member_num(r, f, "ffn_mult", 0);
                    if (mult > 0 && mult < 1000) {
                        fk[i] = F_DENSE;
                        lay[i].intermediate = deci_width(mult, h);
                    }
                }
            }
            if (linear)
                note(r, "block_configs: replace_with_linear blocks counted as no-ops");
        }
    }
    /* per-layer KV heads and FFN widths (the GGUF reader's arrays): 0 FFN is none */
    const void *lkv = get(r, "layer_kv_heads"), *lff = get(r, "layer_intermediate");
    for (int64_t i = 0; lkv && type_of(r, lkv) == AV_LIST && (int64_t)o->size(lkv) == L && i < L; i++) {
        double v = o->number(o->elem(lkv, (size_t)i));
        if (v >= 1 && v <= (double)nh && nh % (int64_t)v == 0)
            lay[i].kv_heads = (int64_t)v;
    }
    for (int64_t i = 0; lff && type_of(r, lff) == AV_LIST && (int64_t)o->size(lff) == L && i < L; i++) {
        double v = o->number(o->elem(lff, (size_t)i));
        if (fk[i] == F_MOE)
            continue;
        if (v <= 0) {
            fk[i] = F_NONE;
        } else if (v < (double)(1 << 26)) {
            fk[i] = F_DENSE;
            lay[i].intermediate = (int64_t)v;
        }
    }
    if (r->failed) {
        free(lay);
        free(mk);
        free(fk);
        return RT_EINVAL;
    }
    bool need_gdn = false, need_mamba = false;
    for (int64_t i = 0; i < L; i++) {
        need_gdn |= mk[i] == K_GDN;
        need_mamba |= mk[i] == K_MAMBA;
    }
    if ((need_gdn && gdn.lin_heads == 0) || (need_mamba && mamba.lin_heads == 0)) {
        fail_at(r, r->text, need_gdn ? "linear_num_value_heads" : "mamba_num_heads",
                "missing: the layer layout has %s layers", need_gdn ? "linear-attention" : "Mamba");
        free(lay);
        free(mk);
        free(fk);
        return RT_EINVAL;
    }

    /* ---- build each layer, then group identical ones ---- */
    int64_t swa_heads = NUM("swa_num_attention_heads", 0, 0, 1 << 16);
    int64_t swa_kv = NUM("swa_num_key_value_heads", 0, 0, 1 << 16);
    int64_t swa_dh = NUM("swa_head_dim", 0, 0, 1 << 16);
    int64_t swa_dv = NUM("swa_v_head_dim", 0, 0, 1 << 16);
    bool swa_sinks = flag(r, "add_swa_attention_sink_bias", false);
    if (flag(r, "add_full_attention_sink_bias", false))
        att.sinks = true;
    if (swa_heads > 0 && swa_kv > 0 && swa_heads % swa_kv != 0)
        fail_at(r, get(r, "swa_num_key_value_heads"), "swa_num_key_value_heads",
                "swa_num_attention_heads (%lld) is not a multiple of it", (long long)swa_heads);
    if (r->failed) {
        free(lay);
        free(mk);
        free(fk);
        return RT_EINVAL;
    }
    for (int64_t i = 0; i < L; i++) {
        int64_t kvh = lay[i].kv_heads, width = lay[i].intermediate;
        struct rt_group g;
        switch (mk[i]) {
        case K_GDN: g = gdn; break;
        case K_MAMBA: g = mamba; break;
        case K_NONE: g = (struct rt_group){ 0 }; g.mixer = RT_MIX_NONE; break;
        default:
            g = att;
            if (kvh > 0)
                g.kv_heads = kvh;
            if (mk[i] == K_SLIDE && window > 0) { /* no window given: attends to everything */
                g.attn = RT_ATTN_SLIDING;
                g.window = window;
                /* the sliding layers' own shapes (MiMo-V2's swa_* keys) */
                if (swa_heads > 0)
                    g.heads = swa_heads;
                if (swa_kv > 0)
                    g.kv_heads = swa_kv;
                if (swa_dh > 0)
                    g.head_dim = swa_dh;
                if (swa_dv > 0)
                    g.v_head_dim = swa_dv;
                g.sinks |= swa_sinks;
            } else if (mk[i] == K_CHUNK && chunk > 0) {
                g.attn = RT_ATTN_CHUNKED;
                g.window = chunk;
            }
            break;
        }
        if (fk[i] == F_MOE) {
            g.ffn = moe.ffn;
            g.mlp_bias = moe.mlp_bias;
            g.experts = moe.experts;
            g.experts_per_token = moe.experts_per_token;
            g.expert_intermediate = moe.expert_intermediate;
            g.shared_intermediate = moe.shared_intermediate;
            g.expert_in = moe.expert_in;
            g.router_bias = moe.router_bias;
        } else if (fk[i] == F_DENSE) {
            g.ffn = dense.ffn;
            g.mlp_bias = dense.mlp_bias;
            g.intermediate = width > 0 ? width : dense.intermediate;
        }
        g.count = 1;
        g.norms = norms;
        lay[i] = g;
    }
    int n = arch_collapse(lay, L, m->group);
    if (n < 0) {
        /* more layer kinds than groups (a NAS model with many FFN widths): dense
         * FFNs take their mean width, which keeps their parameter sum to within
         * one width's rounding per layer */
        double sum = 0, cnt = 0;
        for (int64_t i = 0; i < L; i++)
            if (lay[i].experts == 0 && lay[i].intermediate > 0) {
                sum += (double)lay[i].intermediate;
                cnt++;
            }
        for (int64_t i = 0; cnt > 0 && i < L; i++)
            if (lay[i].experts == 0 && lay[i].intermediate > 0)
                lay[i].intermediate = (int64_t)llround(sum / cnt);
        n = arch_collapse(lay, L, m->group);
        if (n >= 0)
            note(r, "more than %d layer kinds: the dense FFN widths are averaged", RT_GROUPS_MAX);
    }
    free(lay);
    if (n < 0) {
        free(mk);
        free(fk);
        fail_at(r, r->text, "layers", "more than %d distinct layer kinds", RT_GROUPS_MAX);
        return RT_EINVAL;
    }
    m->n_groups = n;

    /* the plain fields: the main attention layer and FFN, for display */
    m->heads = nh;
    m->kv_heads = att.kv_lora_rank > 0 ? nh : nkv;
    m->head_dim = dh;
    m->v_head_dim = att.v_head_dim;
    if (pure_mamba)
        m->head_dim = m->v_head_dim = dh;
    m->kv_lora_rank = att.kv_lora_rank;
    m->q_lora_rank = att.q_lora_rank;
    m->rope_dim = att.rope_dim;
    m->nope_dim = att.nope_dim;
    m->qkv_bias = att.qkv_bias;
    m->o_bias = att.o_bias;
    m->ffn = ffn;
    m->mlp_bias = mlp_bias;
    m->intermediate = inter;
    m->norms_per_layer = norms;
    m->experts = moe.experts;
    m->experts_per_token = moe.experts_per_token;
    m->expert_intermediate = moe.expert_intermediate;
    m->shared_experts = moe.expert_intermediate > 0 ? moe.shared_intermediate / moe.expert_intermediate : 0;
    int64_t first = 0;
    while (E > 0 && first < L && fk[first] != F_MOE)
        first++;
    m->first_dense = first;
    int64_t sliding = 0;
    for (int64_t i = 0; i < L && window > 0; i++)
        sliding += mk[i] == K_SLIDE;
    if (sliding > 0) {
        m->window = window;
        m->swa = sliding == L ? RT_SWA_ALL : RT_SWA_ALTERNATE;
    }
    free(mk);
    free(fk);
    m->tied_embeddings = flag(r, "tie_word_embeddings", fam->tied);
    m->lm_head_bias = flag(r, "lm_head_bias", is(type, "gptj"));
    if (plain_enough(m))
        m->n_groups = 0;

    /* a multimodal wrapper's vision tower and projector */
    const void *vc = o->member(src->root, "vision_config");
    if (vc && o->type(vc) == AV_GROUP)
        m->extra_params = vision_params(r, vc, wrapper, (double)h);

    if (!src->catalog) {
        if (!known)
            note(r, "unknown model_type '%s': assumed a Llama-style decoder (gated FFN, RMSNorm, 2 norms per "
                    "layer, untied embeddings) where the keys do not say", type);
        ignored_keys(r, r->text);
        if (r->text != r->root)
            ignored_keys(r, r->root);
    }
    if (r->failed)
        return RT_EINVAL;
    char why[RT_ERR_MAX];
    if (rt_validate_model(m, why, sizeof why) != RT_OK) {
        snprintf(err, errlen, "%s: %s", src->file, why);
        return RT_EINVAL;
    }
    if (warn && warnlen && r->notes[0])
        snprintf(warn, warnlen, "%s: %s", src->file, r->notes);
    return RT_OK;
}
