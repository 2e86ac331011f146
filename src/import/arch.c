/* arch.c - see arch.h.  Each rule cites the reference implementation
 * (Hugging Face transformers' modeling/configuration files) it follows. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "import/arch.h"
#include "base/text.h"
#include "core/core.h"

/* ---- the family table: what configs leave to their class defaults ---- */

struct rd;
struct plan;
/* Position embeddings: rotary (no weights), a learned table, ALiBi (no weights). */
enum arch_pos { ARCH_POS_ROTARY, ARCH_POS_LEARNED, ARCH_POS_ALIBI };
struct arch_shape {
    enum arch_pos pos;
    int64_t pos_offset;             /* table rows beyond max_position_embeddings (OPT: 2) */
    bool embed_norm;                /* a LayerNorm after the word embedding (BLOOM) */
    bool attn_bias;                 /* attention_bias when the file does not say */
    bool mlp_bias, lm_head_bias;    /* defaults when the file does not say */
    bool inter4;                    /* FFN width 4 x hidden when the file does not say */
    bool sinks, router_bias, attn_gate; /* gpt-oss's sinks and router bias, Qwen3-Next's gate */
    /* the family's own keys, after the common ones (NULL: none) */
    void (*read)(struct rd *r, struct rt_model *m, struct plan *p);
};

/* The shapes outside the Llama one (defined with their readers below). */
static const struct arch_shape llama_shape, gpt2_shape, opt_shape, bloom_shape, falcon_shape, neox_shape, phi_shape,
    gptj_shape, gpt_oss_shape, qwen3_next_shape;


static const struct arch_family families[] = {
    /* type            gguf           tied  norms norm          ffn           qkvb   obias  qkn    sliding flag
     *   vocab context shape (NULL: the Llama shape) */
    { "",              NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "llama",         "llama",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, true,  false, 0, false, 0, 0, NULL },
    { "mistral",       "llama",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "mixtral",       "llama",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "ministral",     NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "qwen2",         "qwen2",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, true,  false, false, 0, true, 0, 0, NULL },
    { "qwen2_moe",     "qwen2moe",    false, 2, RT_NORM_RMS,   RT_FFN_GATED, true,  false, false, 0, true, 0, 0, NULL },
    { "qwen3",         "qwen3",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, NULL },
    { "qwen3_moe",     "qwen3moe",    false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, NULL },
    { "qwen3_next",    "qwen3next",   false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, &qwen3_next_shape },
    { "qwen3_vl_text", NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, NULL },
    { "qwen3_vl_moe_text", NULL,      false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, NULL },
    { "qwen3_5",       "qwen35",      false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, NULL },
    { "qwen3_5_text",  NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, NULL },
    { "qwen3_5_moe",   "qwen35moe",   false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, NULL },
    { "qwen3_5_moe_text", NULL,       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, true, 0, 0, NULL },
    /* Gemma: GemmaConfig/Gemma2Config/Gemma3TextConfig tie_word_embeddings=True;
     * Gemma3TextConfig vocab_size=262208, max_position_embeddings=131072 (the
     * gemma-3-27b-it config.json leaves both out);
     * Gemma 2 and 3 norm before and after attention and FFN (4 per layer); Gemma 2
     * slides on even layers, Gemma 3 on five of every six (sliding_window_pattern 6) */
    { "gemma",         "gemma",       true,  2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "gemma2",        "gemma2",      true,  4, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 2, false, 0, 0, NULL },
    { "gemma3",        "gemma3",      true,  4, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  6, false, 262208, 131072, NULL },
    { "gemma3_text",   NULL,          true,  4, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  6, false, 262208, 131072, NULL },
    /* Cohere: CohereConfig tie_word_embeddings=True, one LayerNorm (weight only)
     * shared by the parallel attention and FFN; Cohere2 slides on 3 of every 4 */
    { "cohere",        "command-r",   true,  1, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "cohere2",       "cohere2",     true,  1, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 4, false, 0, 0, NULL },
    { "phi3",          "phi3",        false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "phimoe",        NULL,          false, 2, RT_NORM_LAYER, RT_FFN_GATED, true,  true,  false, 0, false, 0, 0, NULL },
    { "gptj",          "gptj",        false, 1, RT_NORM_LAYER, RT_FFN_PLAIN, false, false, false, 0, false, 0, 0, &gptj_shape },
    { "deepseek_v2",   "deepseek2",   false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "deepseek_v3",   "deepseek2",   false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "deepseek_v32",  NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "glm_moe_dsa",   NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "kimi_k2",       NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    /* GLM-4.5: Glm4MoeAttention biases q/k/v only (attention_bias), no o_proj bias */
    { "glm4_moe",      "glm4moe",     false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    /* gpt-oss: GptOssAttention biases q/k/v/o (attention_bias), sinks, expert biases */
    { "gpt_oss",       "gpt-oss",     false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, true,  false, 2, false, 0, 0, &gpt_oss_shape },
    { "llama4",        "llama4",      false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "llama4_text",   NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    /* Nemotron-H: one RMSNorm per block, squared-ReLU MLP (NemotronHMLP) */
    { "nemotron_h",    "nemotron_h",  false, 1, RT_NORM_RMS,   RT_FFN_RELU2, false, false, false, 0, false, 0, 0, NULL },
    { "mamba2",        "mamba2",      true,  1, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "granite",       "granite",     true,  2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "granitemoe",    "granitemoe",  true,  2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "granitemoehybrid", "granitehybrid", true, 2, RT_NORM_RMS, RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    /* OLMo 2: q/k norms, norms after attention and FFN only */
    { "olmo2",         "olmo2",       false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, true,  0, false, 0, 0, NULL },
    { "smollm3",       "smollm3",     true,  2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "nemotron-nas",  "deci",        false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "deci",          "deci",        false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    /* Outside the Llama shape (plain two-matrix MLP, LayerNorm with biases): GPT-2,
     * OPT, BLOOM, Falcon, GPT-NeoX, Phi-1/2; each shape's reader below.  Class
     * defaults: GPT2Config vocab 50257 and n_positions 1024; FalconConfig and
     * BloomConfig tie the output (PretrainedConfig's tie_word_embeddings True);
     * GPTNeoXConfig and PhiConfig untie it. */
    /* LLaVA-1.5 as first published (LlavaLlamaForCausalLM): a Llama text model */
    { "llava_llama",   NULL,          false, 2, RT_NORM_RMS,   RT_FFN_GATED, false, false, false, 0, false, 0, 0, NULL },
    { "gpt2",          NULL,          true,  2, RT_NORM_LAYER, RT_FFN_PLAIN, true,  true,  false, 0, false, 50257, 1024, &gpt2_shape },
    { "opt",           NULL,          true,  2, RT_NORM_LAYER, RT_FFN_PLAIN, false, true,  false, 0, false, 0, 0, &opt_shape },
    { "bloom",         NULL,          true,  2, RT_NORM_LAYER, RT_FFN_PLAIN, false, true,  false, 0, false, 0, 0, &bloom_shape },
    { "falcon",        NULL,          true,  2, RT_NORM_LAYER, RT_FFN_PLAIN, false, true,  false, 0, false, 0, 0, &falcon_shape },
    { "RefinedWebModel", NULL,        true,  2, RT_NORM_LAYER, RT_FFN_PLAIN, false, true,  false, 0, false, 0, 0, &falcon_shape },
    { "RefinedWeb",    NULL,          true,  2, RT_NORM_LAYER, RT_FFN_PLAIN, false, true,  false, 0, false, 0, 0, &falcon_shape },
    { "gpt_neox",      NULL,          false, 2, RT_NORM_LAYER, RT_FFN_PLAIN, false, true,  false, 0, false, 0, 0, &neox_shape },
    { "phi",           NULL,          false, 1, RT_NORM_LAYER, RT_FFN_PLAIN, true,  true,  false, 0, false, 0, 0, &phi_shape },
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
    char why[160];
    int i = text_choice(names, type_of(r, v) == AV_STRING ? r->s->ops->string(v) : NULL, why, sizeof why);
    if (i >= 0)
        return i;
    fail_at(r, v, key, "%s", why);
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

/* A SigLIP / CLIP-style ViT (SiglipVisionModel, CLIPVisionModel,
 * Llama4VisionModel): biased projections, plain GELU MLP, two LayerNorms per
 * layer, a learned position table, a post LayerNorm.  CLIP differs from SigLIP
 * in its embeddings (CLIPVisionEmbeddings, CLIPVisionTransformer.pre_layrnorm):
 * no patch bias (- vh), a class token (+ vh) with its own position row (+ vh),
 * and a pre-LayerNorm (+ 2 vh). */
static double vit_tower(double vh, double vf, double vl, double p, double img, double ch, bool clip)
{
    double grid = img > 0 ? (img / p) * (img / p) : 0;
    double t = vl * (4 * vh * vh + 4 * vh + 2 * vh * vf + vf + vh + 4 * vh) + ch * p * p * vh + vh + grid * vh +
               2 * vh;
    return clip ? t - vh + vh + vh + 2 * vh : t;
}

/* LLaVA's projector (mm_projector_type "mlp2x_gelu", LlavaMultiModalProjector):
 * two biased linears, vision width -> text width -> text width. */
static double llava_projector(double vh, double th) { return vh * th + th + th * th + th; }

/* Vision towers that wrappers name without sizes (LLaVA's mm_vision_tower), with
 * the sizes of the named tower's vision_config: CLIP (Radford et al. 2021, table
 * 20: ViT-L/14, width 1024, 24 layers) and the 336-pixel version LLaVA-1.5 uses. */
static const struct { const char *name; double hidden, inter, layers, patch, image; } named_towers[] = {
    { "openai/clip-vit-large-patch14-336", 1024, 4096, 24, 14, 336 },
    { "openai/clip-vit-large-patch14", 1024, 4096, 24, 14, 224 },
};

/* A tower named by the wrapper (mm_vision_tower, vision_tower), counted from its
 * published sizes; 0 with a note when the name is not known. */
static double named_tower_params(struct rd *r, const char *name, double th)
{
    for (size_t i = 0; i < sizeof named_towers / sizeof named_towers[0]; i++) {
        if (!is(named_towers[i].name, name))
            continue;
        double vh = named_towers[i].hidden;
        return vit_tower(vh, named_towers[i].inter, named_towers[i].layers, named_towers[i].patch,
                         named_towers[i].image, 3, true) + llava_projector(vh, th);
    }
    note(r, "vision tower '%s' not known: not counted", name);
    return 0;
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
        tower = vit_tower(vh, vf, vl, p, img, ch, is(vt, "clip_vision_model"));
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
    } else if (is(wrapper, "llava") || is(wrapper, "llava_llama")) {
        proj = llava_projector(vh, th);
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
        a.count = a.first = 0;
        int j;
        for (j = 0; j < k; j++) {
            struct rt_group b = out[j];
            b.count = b.first = 0;
            if (memcmp(&a, &b, sizeof a) == 0)
                break;
        }
        if (j == k) {
            if (k == RT_GROUPS_MAX)
                return -1;
            out[k] = layers[i]; /* its first layer is where the group starts */
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
    "block_configs", "attn_output_gate", "use_qk_norm", "qk_layernorm", "qk_norm_type", "hidden_act", "mlp_hidden_act",
    "topk_method", "layers_block_type", "spatial_merge_size", "ffn", "norm", "norms_per_layer", "o_bias",
    "lm_head_bias", "sliding", "id", "name", "official_params", "official_active", "attention_head_dim",
    "draft_acceptance", "draft_vocab_size", "target_hidden_size", "route_imbalance", "route_imbalance_ep",
    "layer_kv_heads", "layer_intermediate", "layers_block_type", "moe_latent_size", "mamba_ssm_dtype",
    "mamba_ssm_cache_dtype", "top_k_experts", "num_experts_per_token", "dense_intermediate_size",
    "hybrid_layer_pattern", "swa_num_attention_heads", "swa_num_key_value_heads", "swa_head_dim",
    "swa_v_head_dim", "add_swa_attention_sink_bias", "add_full_attention_sink_bias", "sliding_window_size",
    "mlp_layer_types", "qk_head_dim",
    /* the families outside the Llama shape */
    "n_embed", "ffn_dim", "ffn_hidden_size", "word_embed_proj_dim", "enable_bias", "do_layer_norm_before",
    "bias", "multi_query", "new_decoder_architecture", "parallel_attn", "num_ln_in_parallel_attn", "alibi",
    "n_ctx", "position_embedding_type", "layer_norm_elementwise_affine", "activation_function",
    /* LLaVA's named vision tower and its projector */
    "mm_vision_tower", "vision_tower", "mm_hidden_size", "mm_projector_type", "mm_vision_select_layer",
    "mm_vision_select_feature", "mm_patch_merge_type",
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
    /* numerics and training settings of GPT-2, OPT, BLOOM, Falcon and GPT-NeoX */
    "apply_residual_connection_post_layernorm", "attention_softmax_in_fp32", "layerdrop", "use_parallel_residual",
    "apply_query_key_layer_scaling", "offset_alibi", "skip_bias_add", "skip_bias_add_qkv",
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
           EQ(qkv_bias) && EQ(o_bias) && EQ(sinks) && EQ(qk_norm) && EQ(qk_norm_tp) && EQ(attn_gate) && EQ(index_heads) &&
           EQ(index_head_dim) && EQ(index_topk) && EQ(lin_heads) && EQ(lin_v_dim) && EQ(lin_k_heads) &&
           EQ(lin_k_dim) && EQ(conv_kernel) && EQ(ffn) && EQ(mlp_bias) && EQ(experts) &&
           EQ(experts_per_token) && EQ(expert_intermediate) && EQ(shared_intermediate) && EQ(router_bias) &&
           EQ(expert_in) && EQ(state_bits) && EQ(norms) && (a->experts > 0 || EQ(intermediate));
#undef EQ
}

/* Whether the plain fields alone describe the same layers (a uniform model, a
 * dense prefix before MoE layers, Gemma 2's alternation): then the model's groups
 * are the ones rt_plain_groups builds, in its order, into g, each starting where
 * the layers read say it does. */
static bool plain_enough(const struct rt_model *m, struct rt_group g[RT_GROUPS_MAX])
{
    int n = rt_plain_groups(m, g);
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
        g[i].first = m->group[j].first;
    }
    return true;
}

/* ---- the reader: one plan filled key by key, then the layers ---- */

enum kind { K_ATT, K_SLIDE, K_CHUNK, K_GDN, K_MAMBA, K_NONE };
enum fk { F_DENSE, F_MOE, F_NONE };

/* What the keys say, before and while the layers are placed. */
struct plan {
    const char *type, *wrapper;
    const struct arch_family *fam;
    const struct arch_shape *shape;
    bool known, pure_mamba;
    int64_t h, L, nh, nkv, dh, inter, E, window, chunk;
    int norms;
    enum rt_ffn ffn;
    bool mlp_bias, use_window;
    struct rt_group att, gdn, mamba, dense, moe;
    struct rt_group *lay;           /* per layer: its KV heads and FFN width where they differ */
    enum kind *mk;                  /* per layer: its mixer */
    enum fk *fk;                    /* per layer: its FFN */
};

static void read_family(struct rd *r, struct plan *p)
{
    const struct av_ops *o = r->s->ops;
    /* multimodal wrappers keep the text model under text_config */
    const void *tc = o->member(r->root, "text_config");
    if (tc && o->type(tc) == AV_GROUP)
        r->text = tc;
    const void *tv = o->member(r->text, "model_type"), *rv = o->member(r->root, "model_type");
    p->type = tv && o->type(tv) == AV_STRING ? o->string(tv) : "";
    p->wrapper = rv && o->type(rv) == AV_STRING ? o->string(rv) : "";
    if (!p->type[0])
        p->type = p->wrapper;
    p->fam = arch_family(p->type);
    if (!p->fam && p->wrapper[0])
        p->fam = arch_family(p->wrapper);
    p->known = p->fam != NULL;
    if (!p->fam)
        p->fam = &families[0];
    p->shape = p->fam->shape ? p->fam->shape : &llama_shape;
    p->pure_mamba = is(p->type, "mamba2");
}

/* Keys that only decoders outside the Llama shape write, and what each says:
 * an unknown model_type is read as Llama only when none of them disagrees. */
static void fallback_check(struct rd *r, const struct plan *p)
{
    static const struct { const char *key, *means; } marks[] = {
        { "n_positions", "a learned position table" },
        { "position_embedding_type", "a learned position table" },
        { "n_inner", "a two-matrix MLP" },
        { "ffn_dim", "a two-matrix MLP" },
        { "activation_function", "a two-matrix MLP" },
        { "word_embed_proj_dim", "projected embeddings" },
        { "do_layer_norm_before", "LayerNorm placement" },
        { "alibi", "ALiBi positions" },
        { "parallel_attn", "parallel attention with one norm" },
        { "multi_query", "one KV head" },
        { "new_decoder_architecture", "Falcon's decoder" },
        { "bias", "biased projections" },
        { "enable_bias", "biased projections" },
        { "n_embed", "BLOOM's embedding LayerNorm" },
        { "apply_residual_connection_post_layernorm", "a post-LayerNorm residual" },
    };
    if (p->known || r->s->catalog)
        return;
    char list[300] = "";
    size_t n = 0;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        const void *v = get(r, marks[i].key);
        enum av_type t = type_of(r, v);
        if (!v || ((t == AV_BOOL || t == AV_INT) && r->s->ops->number(v) == 0))
            continue;           /* absent, or false: agrees with the fallback */
        if (n < sizeof list - 60)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s (%s)", n ? ", " : "", marks[i].key,
                                  marks[i].means);
    }
    /* LayerNorm epsilon without an RMSNorm one: LayerNorm, with biases */
    if (!get(r, "rms_norm_eps") && get_any(r, KEYS("layer_norm_eps", "layer_norm_epsilon"), NULL) &&
        !get(r, "norm") && n < sizeof list - 60)
        n += (size_t)snprintf(list + n, sizeof list - n, "%slayer_norm_epsilon (LayerNorm, not RMSNorm)",
                              n ? ", " : "");
    if (n)
        fail_at(r, r->text, "model_type",
                "'%s' is not known and these keys disagree with the Llama-style fallback: %s", p->type, list);
}

/* Shapes every layer shares; false on a bad key. */
static bool read_dims(struct rd *r, struct rt_model *m, struct plan *p)
{
    const struct av_ops *o = r->s->ops;
    p->h = num_of(r, KEYS("hidden_size", "n_embd", "d_model", "n_embed"), -1, 1, 1 << 24);
    /* a file may give the depth only as the length of its layout */
    int64_t listed = -1;
    const void *lay_list = get(r, "layers_block_type");
    if (!lay_list || type_of(r, lay_list) != AV_LIST)
        lay_list = get(r, "layer_types");
    if (lay_list && type_of(r, lay_list) == AV_LIST)
        listed = (int64_t)o->size(lay_list);
    else if (text_of(r, "hybrid_override_pattern"))
        listed = (int64_t)strlen(text_of(r, "hybrid_override_pattern"));
    p->L = num_of(r, KEYS("num_hidden_layers", "n_layer", "n_layers"), listed > 0 ? listed : -1, 1, RT_LAYERS_MAX);
    bool pm = p->pure_mamba;
    p->nh = num_of(r, KEYS("num_attention_heads", "n_head"), pm ? 0 : -1, pm ? 0 : 1, 1 << 16);
    p->nkv = num_of(r, KEYS("num_key_value_heads", "num_kv_heads"), p->nh, 0, 1 << 16);
    p->dh = num_of(r, KEYS("head_dim", "attention_head_dim"), p->nh > 0 ? p->h / p->nh : 0, 0, 1 << 16);
    const struct arch_family *fam = p->fam;
    m->vocab = NUM("vocab_size", fam->vocab > 0 ? fam->vocab : -1, 1, 1 << 26);
    m->max_context = num_of(r, KEYS("max_position_embeddings", "n_positions"), fam->context, 0, RT_TOKENS_MAX);
    /* multi-token-prediction layers the checkpoint ships (DeepSeek-V3, GLM-4.5; Qwen3.5's name) */
    m->mtp_layers = num_of(r, KEYS("num_nextn_predict_layers", "mtp_num_hidden_layers"), 0, 0, 64);
    if (r->failed)
        return false;
    if (p->nkv > 0 && p->nh % p->nkv != 0) {
        const char *k;
        fail_at(r, get_any(r, KEYS("num_key_value_heads", "num_kv_heads"), &k), "num_key_value_heads",
                "num_attention_heads (%lld) is not a multiple of it (%lld)", (long long)p->nh, (long long)p->nkv);
        return false;
    }
    m->hidden = p->h;
    m->layers = p->L;
    return true;
}

static void read_attention(struct rd *r, struct plan *p)
{
    const struct arch_family *fam = p->fam;
    struct rt_group *a = &p->att;
    a->count = 1;
    a->mixer = RT_MIX_ATTENTION;
    a->heads = p->nh;
    a->kv_heads = p->nkv;
    a->head_dim = p->dh;
    a->v_head_dim = NUM("v_head_dim", p->dh, 1, 1 << 16);
    bool ab = flag(r, "attention_bias", p->shape->attn_bias);
    a->qkv_bias = ab || fam->qkv_bias;
    a->o_bias = r->s->catalog && !p->known ? flag(r, "o_bias", false) : (ab && fam->o_bias) || flag(r, "o_bias", false);
    a->qk_norm = fam->qk_norm || flag(r, "use_qk_norm", false) || flag(r, "qk_layernorm", false);
    if (is(p->type, "llama4") || is(p->type, "llama4_text"))
        a->qk_norm = false; /* Llama4TextL2Norm has no weights */
    /* MiniMax-M2's "per_layer" q/k norm spans every head of the layer (vllm
     * models/minimax_m2.py: MiniMaxText01RMSNormTP over head_dim x heads) */
    const char *qn = text_of(r, "qk_norm_type");
    a->qk_norm_tp = a->qk_norm && is(qn, "per_layer");
    a->attn_gate = p->shape->attn_gate || flag(r, "attn_output_gate", false);
    a->sinks = p->shape->sinks || flag(r, "add_full_attention_sink_bias", false);
    a->kv_lora_rank = NUM("kv_lora_rank", 0, 0, 1 << 20);
    if (rt_group_mla(a)) {
        /* latent attention under any model_type (DeepSeek-V2/V3, Kimi K2, GLM-5, ...):
         * decided here, once; the core asks rt_group_mla() */
        a->q_lora_rank = NUM("q_lora_rank", 0, 0, 1 << 20);
        a->rope_dim = NUM("qk_rope_head_dim", -1, 0, 1 << 16);
        a->nope_dim = NUM("qk_nope_head_dim", -1, 1, 1 << 16);
        a->v_head_dim = NUM("v_head_dim", -1, 1, 1 << 16);
        a->kv_heads = p->nh;
    }
    a->index_heads = NUM("index_n_heads", 0, 0, 1 << 16);
    if (a->index_heads > 0) {
        /* DeepSeek-V3.2's lightning indexer (DSA) */
        a->index_head_dim = NUM("index_head_dim", -1, 1, 1 << 16);
        a->index_topk = NUM("index_topk", -1, 1, (int64_t)1 << 32);
    }
}

static void read_recurrent(struct rd *r, struct plan *p)
{
    struct rt_group *gdn = &p->gdn, *mamba = &p->mamba;
    gdn->count = mamba->count = 1;
    gdn->mixer = RT_MIX_DELTANET;
    if (get(r, "linear_num_value_heads")) {
        /* Gated DeltaNet (Qwen3NextGatedDeltaNet) */
        gdn->lin_heads = NUM("linear_num_value_heads", -1, 1, 1 << 16);
        gdn->lin_k_heads = NUM("linear_num_key_heads", gdn->lin_heads, 1, 1 << 16);
        gdn->lin_k_dim = NUM("linear_key_head_dim", -1, 1, 1 << 16);
        gdn->lin_v_dim = NUM("linear_value_head_dim", gdn->lin_k_dim, 1, 1 << 16);
        gdn->conv_kernel = NUM("linear_conv_kernel_dim", 4, 0, 64);
    }
    mamba->mixer = RT_MIX_MAMBA2;
    if (get_any(r, KEYS("mamba_num_heads", "mamba_n_heads"), NULL) || p->pure_mamba) {
        /* Mamba2 (NemotronHMamba2Mixer, GraniteMoeHybridMambaLayer, Mamba2Mixer) */
        mamba->lin_heads = num_of(r, KEYS("mamba_num_heads", "mamba_n_heads", "num_heads"), -1, 1, 1 << 16);
        mamba->lin_v_dim = num_of(r, KEYS("mamba_head_dim", "mamba_d_head", "head_dim"), -1, 1, 1 << 16);
        mamba->lin_k_heads = num_of(r, KEYS("n_groups", "mamba_n_groups"), 1, 1, 1 << 16);
        mamba->lin_k_dim = num_of(r, KEYS("ssm_state_size", "mamba_d_state", "state_size"), -1, 1, 1 << 16);
        mamba->conv_kernel = num_of(r, KEYS("conv_kernel", "mamba_d_conv"), 4, 0, 64);
        if (p->pure_mamba) {
            p->nh = p->nkv = mamba->lin_heads; /* the plain fields name something that exists */
            p->dh = mamba->lin_v_dim;
        }
    }
    /* the recurrent state's element type where the file fixes it (Qwen3.5's
     * mamba_ssm_dtype, Nemotron 3's mamba_ssm_cache_dtype: float32); otherwise
     * the engines keep it in the KV cache's type (vLLM's mamba_ssm_cache_dtype
     * "auto") */
    const char *sdt = text_of(r, "mamba_ssm_dtype");
    if (!sdt)
        sdt = text_of(r, "mamba_ssm_cache_dtype");
    int sbits = is(sdt, "float32") ? 32 : is(sdt, "bfloat16") || is(sdt, "float16") ? 16 : 0;
    gdn->state_bits = mamba->state_bits = sbits;
}

static void read_experts(struct rd *r, struct plan *p)
{
    struct rt_group *moe = &p->moe;
    moe->experts = p->E;
    moe->experts_per_token = num_of(r, KEYS("num_experts_per_tok", "experts_per_token", "num_experts_per_token",
                                            "top_k_experts"), -1, 1, p->E);
    moe->expert_intermediate = NUM("moe_intermediate_size", p->inter, 1, WIDE);
    int64_t shared = num_of(r, KEYS("shared_expert_intermediate_size", "moe_shared_expert_intermediate_size",
                                    "shared_intermediate_size"), 0, 0, WIDE);
    int64_t n_shared = NUM("n_shared_experts", 0, 0, WIDE);
    if (shared == 0 && n_shared > 0 && moe->expert_intermediate > 0) /* 0 after a bad moe_intermediate_size */
        shared = n_shared <= WIDE / moe->expert_intermediate ? n_shared * moe->expert_intermediate : WIDE;
    if (is(p->type, "llama4") || is(p->type, "llama4_text"))
        shared = p->inter; /* Llama4TextMoe: one shared expert of intermediate_size */
    moe->shared_intermediate = shared;
    moe->expert_in = NUM("moe_latent_size", 0, 0, 1 << 24);
    /* routers with a bias: gpt-oss's, and DeepSeek-V3's e_score_correction_bias */
    moe->router_bias = p->shape->router_bias || is(text_of(r, "topk_method"), "noaux_tc");
}

static bool read_ffn(struct rd *r, struct rt_model *m, struct plan *p)
{
    static const char *const ffns[] = { "gated", "plain", "relu2", NULL };
    p->ffn = p->fam->ffn;
    const char *act = text_of(r, "mlp_hidden_act");
    if (!act && !p->pure_mamba)
        act = text_of(r, "hidden_act");
    if (is(act, "relu2"))
        p->ffn = RT_FFN_RELU2;
    p->ffn = (enum rt_ffn)choice(r, "ffn", ffns, (int)p->ffn);
    p->mlp_bias = flag(r, "mlp_bias", p->shape->mlp_bias);
    /* required, except where every FFN is a mixture of experts or there is none */
    int64_t inter_def = p->shape->inter4 ? 4 * p->h
                      : p->pure_mamba || get(r, "moe_intermediate_size") || get(r, "block_configs") ? 0 : -1;
    p->inter = num_of(r, KEYS("intermediate_size", "n_inner", "ffn_dim", "ffn_hidden_size"), inter_def, 0, WIDE);
    if (p->pure_mamba)
        p->inter = 0;
    if (r->failed)
        return false;
    p->dense.ffn = p->moe.ffn = p->ffn;
    p->dense.mlp_bias = p->moe.mlp_bias = p->mlp_bias;
    /* the dense layers' own width: Llama 4's intermediate_size_mlp, MiniMax's dense_intermediate_size */
    p->dense.intermediate = num_of(r, KEYS("intermediate_size_mlp", "dense_intermediate_size"), p->inter, 0, WIDE);
    p->E = num_of(r, KEYS("n_routed_experts", "num_local_experts", "num_experts"), 0, 0, WIDE);
    if (p->E > 0 && !get_any(r, KEYS("num_experts_per_tok", "experts_per_token"), NULL) && p->pure_mamba)
        p->E = 0;
    if (p->E > 0)
        read_experts(r, p);
    p->norms = (int)NUM("norms_per_layer", p->fam->norms, 0, 8);
    static const char *const normk[] = { "rms", "layer", NULL };
    m->norm = (enum rt_norm)choice(r, "norm", normk, (int)p->fam->norm);
    return !r->failed;
}

/* ---- the families outside the Llama shape: each reads its own keys ---- */

/* Positions and the embedding's norm, as the shape says. */
static void read_positions(struct rd *r, struct rt_model *m, struct plan *p)
{
    if (p->shape->pos == ARCH_POS_LEARNED && m->max_context > 0)
        m->positions = m->max_context + p->shape->pos_offset;
    m->embed_norm = p->shape->embed_norm;
    m->lm_head_bias = flag(r, "lm_head_bias", p->shape->lm_head_bias);
}

/* OPT (OPTDecoder): learned positions offset by 2, biases unless enable_bias is
 * false; the projected embeddings of opt-350m (word_embed_proj_dim) are not
 * modelled, so such a file is refused. */
static void read_opt(struct rd *r, struct rt_model *m, struct plan *p)
{
    int64_t proj = NUM("word_embed_proj_dim", p->h, 1, 1 << 24);
    if (proj != p->h)
        fail_at(r, get(r, "word_embed_proj_dim"), "word_embed_proj_dim",
                "%lld differs from hidden_size (%lld): OPT's projected embeddings are not modelled",
                (long long)proj, (long long)p->h);
    bool b = flag(r, "enable_bias", true);
    p->att.qkv_bias = p->att.o_bias = b;
    p->mlp_bias = p->dense.mlp_bias = b;
    if (!flag(r, "do_layer_norm_before", true))
        note(r, "do_layer_norm_before = false: counted with a final LayerNorm the model leaves out");
    read_positions(r, m, p);
}

/* Falcon (FalconDecoderLayer, FalconAttention): `bias` biases every projection;
 * one KV head with multi_query unless new_decoder_architecture (then
 * num_kv_heads); one LayerNorm per layer with parallel attention, two for the
 * new decoder (ln_attn, ln_mlp) or without parallel attention. */
static void read_falcon(struct rd *r, struct rt_model *m, struct plan *p)
{
    bool b = flag(r, "bias", false), nda = flag(r, "new_decoder_architecture", false);
    bool par = flag(r, "parallel_attn", true);
    p->att.qkv_bias = p->att.o_bias = b;
    p->mlp_bias = p->dense.mlp_bias = b;
    if (!nda && flag(r, "multi_query", true))
        p->att.kv_heads = p->nkv = 1;
    int64_t lns = NUM("num_ln_in_parallel_attn", nda ? 2 : 1, 1, 2);
    p->norms = !par ? 2 : (int)lns;
    read_positions(r, m, p);
}

static const struct arch_shape llama_shape = { 0 };
/* GPT-2 (GPT2Block): learned positions (n_positions), biased Conv1D projections,
 * a 4 x hidden MLP unless n_inner says, tied output */
static const struct arch_shape gpt2_shape = { .pos = ARCH_POS_LEARNED, .attn_bias = true, .mlp_bias = true,
                                              .inter4 = true, .read = read_positions };
static const struct arch_shape opt_shape = { .pos = ARCH_POS_LEARNED, .pos_offset = 2, .attn_bias = true,
                                             .mlp_bias = true, .read = read_opt };
/* BLOOM (BloomModel): ALiBi (no position weights), a LayerNorm after the word
 * embedding, biases everywhere, a 4 x hidden MLP */
static const struct arch_shape bloom_shape = { .pos = ARCH_POS_ALIBI, .embed_norm = true, .attn_bias = true,
                                               .mlp_bias = true, .inter4 = true, .read = read_positions };
static const struct arch_shape falcon_shape = { .inter4 = true, .read = read_falcon };
/* GPT-NeoX (GPTNeoXLayer): biased query_key_value and dense (attention_bias),
 * biased MLP, untied embed_out */
static const struct arch_shape neox_shape = { .attn_bias = true, .mlp_bias = true, .read = read_positions };
/* Phi-1/2 (PhiDecoderLayer): biased q/k/v/dense and MLP, one LayerNorm, a biased lm_head */
static const struct arch_shape phi_shape = { .attn_bias = true, .mlp_bias = true, .lm_head_bias = true,
                                             .read = read_positions };
/* GPT-J: biased MLP and lm_head, 4 x hidden */
static const struct arch_shape gptj_shape = { .mlp_bias = true, .lm_head_bias = true, .inter4 = true,
                                              .read = read_positions };
/* gpt-oss: sinks, biased experts and router */
static const struct arch_shape gpt_oss_shape = { .sinks = true, .mlp_bias = true, .router_bias = true };
static const struct arch_shape qwen3_next_shape = { .attn_gate = true };

/* ---- which layer is which ---- */

/* FFN per layer: MoE where the keys place it. */
static void place_ffn(struct rd *r, struct plan *p)
{
    const struct av_ops *o = r->s->ops;
    int64_t L = p->L;
    for (int64_t i = 0; i < L; i++)
        p->fk[i] = p->E > 0 ? F_MOE : (p->inter > 0 || p->dense.intermediate > 0 ? F_DENSE : F_NONE);
    if (p->E > 0) {
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
            p->fk[i] = moe_here ? F_MOE : F_DENSE;
        }
        const void *list = get(r, "mlp_only_layers");
        for (size_t j = 0; list && type_of(r, list) == AV_LIST && j < o->size(list); j++) {
            double x = o->number(o->elem(list, j));
            if (x >= 0 && x < (double)L)
                p->fk[(int64_t)x] = F_DENSE;
        }
        /* GLM-5's mlp_layer_types: "dense" or "sparse" per layer */
        list = get(r, "mlp_layer_types");
        for (size_t j = 0; list && type_of(r, list) == AV_LIST && (int64_t)o->size(list) == L && j < o->size(list); j++) {
            const void *e = o->elem(list, j);
            const char *t = type_of(r, e) == AV_STRING ? o->string(e) : "";
            p->fk[j] = is(t, "dense") ? F_DENSE : is(t, "sparse") || is(t, "moe") ? F_MOE : p->fk[j];
        }
        list = get(r, "moe_layers");
        if (list && type_of(r, list) == AV_LIST) {
            for (int64_t i = 0; i < L; i++)
                p->fk[i] = F_DENSE;
            for (size_t j = 0; j < o->size(list); j++) {
                double x = o->number(o->elem(list, j));
                if (x >= 0 && x < (double)L)
                    p->fk[(int64_t)x] = F_MOE;
            }
        }
    }
    if (p->dense.intermediate == 0)
        for (int64_t i = 0; i < L; i++)
            if (p->fk[i] == F_DENSE)
                p->fk[i] = F_NONE;
}

/* layer_types: one mixer name per layer. */
static void mixers_listed(struct rd *r, struct plan *p, const void *lt)
{
    const struct av_ops *o = r->s->ops;
    if ((int64_t)o->size(lt) != p->L) {
        fail_at(r, lt, "layer_types", "%zu entries for %lld layers", o->size(lt), (long long)p->L);
        return;
    }
    for (int64_t i = 0; i < p->L; i++) {
        const void *e = o->elem(lt, (size_t)i);
        const char *s = type_of(r, e) == AV_STRING ? o->string(e) : "";
        enum kind k;
        if (is(s, "full_attention") || is(s, "attention") || is(s, "global_attention") ||
            is(s, "deepseek_sparse_attention")) /* DSA: the indexer keys size it */
            k = K_ATT;
        else if (is(s, "sliding_attention") || is(s, "local_attention") || is(s, "sliding"))
            k = K_SLIDE;
        else if (is(s, "chunked_attention"))
            k = K_CHUNK;
        else if (is(s, "linear_attention"))
            k = K_GDN;
        else if (is(s, "mamba") || is(s, "mamba2"))
            k = K_MAMBA;
        else if (is(s, "none"))
            k = K_NONE;
        else {
            note(r, "layer_types: '%s' not known, counted as full attention", s);
            k = K_ATT;
        }
        p->mk[i] = k;
    }
}

/* Nemotron-H (NemotronHConfig.hybrid_override_pattern): M Mamba2, * attention,
 * - MLP, E mixture of experts; each character is a whole block. */
static void mixers_hybrid_pattern(struct rd *r, struct plan *p, const char *hyb)
{
    if ((int64_t)strlen(hyb) != p->L) {
        fail_at(r, get(r, "hybrid_override_pattern"), "hybrid_override_pattern", "%zu characters for %lld layers",
                strlen(hyb), (long long)p->L);
        return;
    }
    for (int64_t i = 0; i < p->L; i++) {
        char c = hyb[i];
        p->mk[i] = c == 'M' ? K_MAMBA : c == '*' ? K_ATT : K_NONE;
        p->fk[i] = c == '-' ? F_DENSE : c == 'E' ? F_MOE : F_NONE;
        if (!strchr("M*-E", c))
            note(r, "hybrid_override_pattern: '%c' not known, counted as an MLP block", c);
    }
}

/* Llama 4: RoPE layers attend within chunks, the NoPE ones (every fourth by
 * default, no_rope_layers[i] == 0) attend globally (Llama4TextConfig). */
static void mixers_chunked(struct rd *r, struct plan *p)
{
    const struct av_ops *o = r->s->ops;
    const void *nr = get(r, "no_rope_layers");
    int64_t every = NUM("no_rope_layer_interval", 4, 1, p->L);
    if (every < 1)
        every = 4;
    bool have = nr && type_of(r, nr) == AV_LIST && (int64_t)o->size(nr) == p->L;
    for (int64_t i = 0; i < p->L; i++) {
        bool rope = have ? o->number(o->elem(nr, (size_t)i)) != 0 : (i + 1) % every != 0;
        p->mk[i] = rope ? K_CHUNK : K_ATT;
    }
}

/* A window by pattern: on every layer (Mistral, Phi-3; Qwen above
 * max_window_layers), or every Nth layer global (Gemma 3, Cohere 2; Gemma 2
 * and gpt-oss at N = 2: the even layers local).  The family table holds N. */
static void mixers_sliding(struct rd *r, struct plan *p)
{
    const struct arch_family *fam = p->fam;
    int64_t every = NUM("sliding_window_pattern", fam->sliding, 0, p->L);
    static const char *const slides[] = { "all", "alternate", "none", NULL };
    /* rooftop's own "sliding" key, for entries without the file's pattern keys */
    int how = get(r, "sliding_window_pattern") ? (every == 2 ? 1 : 0)
                                               : choice(r, "sliding", slides, every == 2 ? 1 : 0);
    if (how == 2)
        return;
    if (how == 1)
        every = 2;
    int64_t mwl = fam->sliding_flag ? NUM("max_window_layers", 0, 0, p->L) : 0;
    for (int64_t i = 0; i < p->L; i++) {
        bool slide = every > 1 ? (i + 1) % every != 0 : i >= mwl;
        p->mk[i] = slide ? K_SLIDE : K_ATT;
    }
}

/* Mixers: the explicit per-layer lists first, then the patterns. */
static void place_mixers(struct rd *r, struct rt_model *m, struct plan *p)
{
    const struct av_ops *o = r->s->ops;
    int64_t L = p->L;
    p->window = NUM("sliding_window", 0, 0, RT_TOKENS_MAX);
    p->chunk = NUM("attention_chunk_size", 0, 0, RT_TOKENS_MAX);
    p->use_window = p->window > 0 && (!p->fam->sliding_flag || flag(r, "use_sliding_window", false));
    if (p->use_window && !get(r, "layer_types") && m->max_context > 0 && p->window >= m->max_context)
        p->use_window = false; /* a window as long as the context never slides */
    const void *lt = get(r, "layer_types"), *lbt = get(r, "layers_block_type");
    const char *hyb = text_of(r, "hybrid_override_pattern");
    int64_t fai = NUM("full_attention_interval", 0, 0, L);
    for (int64_t i = 0; i < L; i++)
        p->mk[i] = p->pure_mamba ? K_MAMBA : K_ATT;
    if (lt && type_of(r, lt) == AV_LIST) {
        mixers_listed(r, p, lt);
    } else if (lbt && type_of(r, lbt) == AV_LIST && (int64_t)o->size(lbt) == L) {
        /* Nemotron 3 spelling of the hybrid layout: one block kind per layer */
        for (int64_t i = 0; i < L; i++) {
            const void *e = o->elem(lbt, (size_t)i);
            const char *s = type_of(r, e) == AV_STRING ? o->string(e) : "";
            p->mk[i] = is(s, "mamba") ? K_MAMBA : is(s, "attention") ? K_ATT : K_NONE;
            p->fk[i] = is(s, "moe") ? F_MOE : is(s, "mlp") ? F_DENSE : F_NONE;
        }
    } else if ((lt = get(r, "hybrid_layer_pattern")) && type_of(r, lt) == AV_LIST && (int64_t)o->size(lt) == L) {
        /* MiMo-V2: one flag per layer, 1 for a sliding-window layer */
        for (int64_t i = 0; i < L; i++)
            p->mk[i] = o->number(o->elem(lt, (size_t)i)) != 0 ? K_SLIDE : K_ATT;
    } else if (hyb) {
        mixers_hybrid_pattern(r, p, hyb);
    } else if (fai > 0) {
        /* Qwen3-Next: every full_attention_interval-th layer is full attention, the
         * others Gated DeltaNet (Qwen3NextConfig.layer_types default) */
        for (int64_t i = 0; i < L; i++)
            p->mk[i] = (i + 1) % fai == 0 ? K_ATT : K_GDN;
    } else if (p->chunk > 0) {
        mixers_chunked(r, p);
    } else if (p->use_window) {
        mixers_sliding(r, p);
    }
}

/* DeciLM / Nemotron-NAS (Llama-3.1-Nemotron-Super): per-layer attention and FFN
 * variants (DeciLMConfig.block_configs). */
static void read_blocks(struct rd *r, struct plan *p, const void *blocks)
{
    const struct av_ops *o = r->s->ops;
    if ((int64_t)o->size(blocks) != p->L) {
        fail_at(r, blocks, "block_configs", "%zu entries for %lld layers", o->size(blocks), (long long)p->L);
        return;
    }
    bool linear = false;
    for (int64_t i = 0; i < p->L; i++) {
        const void *b = o->elem(blocks, (size_t)i);
        const void *a = group_member(r, b, "attention"), *f = group_member(r, b, "ffn");
        p->lay[i].kv_heads = 0;
        if (member_num(r, a, "no_op", 0) != 0 || member_num(r, a, "replace_with_linear", 0) != 0) {
            p->mk[i] = K_NONE;
            linear |= member_num(r, a, "replace_with_linear", 0) != 0;
        } else {
            double g = member_num(r, a, "n_heads_in_group", 0);
            if (g >= 1 && g <= (double)p->nh && p->nh % (int64_t)g == 0)
                p->lay[i].kv_heads = p->nh / (int64_t)g;
        }
        if (member_num(r, f, "no_op", 0) != 0 || member_num(r, f, "replace_with_linear", 0) != 0) {
            p->fk[i] = F_NONE;
            linear |= member_num(r, f, "replace_with_linear", 0) != 0;
        } else {
            double mult = member_num(r, f, "ffn_mult", 0);
            if (mult > 0 && mult < 1000) {
                p->fk[i] = F_DENSE;
                p->lay[i].intermediate = deci_width(mult, p->h);
            }
        }
    }
    if (linear)
        note(r, "block_configs: replace_with_linear blocks counted as no-ops");
}

/* Per-layer KV heads and FFN widths (the GGUF reader's arrays): 0 FFN is none. */
static void per_layer_arrays(struct rd *r, struct plan *p)
{
    const struct av_ops *o = r->s->ops;
    const void *lkv = get(r, "layer_kv_heads"), *lff = get(r, "layer_intermediate");
    int64_t L = p->L;
    for (int64_t i = 0; lkv && type_of(r, lkv) == AV_LIST && (int64_t)o->size(lkv) == L && i < L; i++) {
        double v = o->number(o->elem(lkv, (size_t)i));
        if (v >= 1 && v <= (double)p->nh && p->nh % (int64_t)v == 0)
            p->lay[i].kv_heads = (int64_t)v;
    }
    for (int64_t i = 0; lff && type_of(r, lff) == AV_LIST && (int64_t)o->size(lff) == L && i < L; i++) {
        double v = o->number(o->elem(lff, (size_t)i));
        if (p->fk[i] == F_MOE)
            continue;
        if (v <= 0) {
            p->fk[i] = F_NONE;
        } else if (v < (double)(1 << 26)) {
            p->fk[i] = F_DENSE;
            p->lay[i].intermediate = (int64_t)v;
        }
    }
}

/* Recurrent layers need their keys; false (with the error) when missing. */
static bool recurrent_keys_present(struct rd *r, const struct plan *p)
{
    bool need_gdn = false, need_mamba = false;
    for (int64_t i = 0; i < p->L; i++) {
        need_gdn |= p->mk[i] == K_GDN;
        need_mamba |= p->mk[i] == K_MAMBA;
    }
    if ((need_gdn && p->gdn.lin_heads == 0) || (need_mamba && p->mamba.lin_heads == 0)) {
        fail_at(r, r->text, need_gdn ? "linear_num_value_heads" : "mamba_num_heads",
                "missing: the layer layout has %s layers", need_gdn ? "linear-attention" : "Mamba");
        return false;
    }
    return true;
}

/* The sliding layers' own shapes (MiMo-V2's swa_* keys). */
struct swa_shape { int64_t heads, kv, dh, dv; bool sinks; };

static void read_swa_shape(struct rd *r, struct swa_shape *w)
{
    w->heads = NUM("swa_num_attention_heads", 0, 0, 1 << 16);
    w->kv = NUM("swa_num_key_value_heads", 0, 0, 1 << 16);
    w->dh = NUM("swa_head_dim", 0, 0, 1 << 16);
    w->dv = NUM("swa_v_head_dim", 0, 0, 1 << 16);
    w->sinks = flag(r, "add_swa_attention_sink_bias", false);
    if (w->heads > 0 && w->kv > 0 && w->heads % w->kv != 0)
        fail_at(r, get(r, "swa_num_key_value_heads"), "swa_num_key_value_heads",
                "swa_num_attention_heads (%lld) is not a multiple of it", (long long)w->heads);
}

/* One layer from its mixer and FFN kinds. */
static struct rt_group layer_of(const struct plan *p, const struct swa_shape *w, int64_t i)
{
    int64_t kvh = p->lay[i].kv_heads, width = p->lay[i].intermediate;
    struct rt_group g;
    switch (p->mk[i]) {
    case K_GDN: g = p->gdn; break;
    case K_MAMBA: g = p->mamba; break;
    case K_NONE: g = (struct rt_group){ 0 }; g.mixer = RT_MIX_NONE; break;
    default:
        g = p->att;
        if (kvh > 0)
            g.kv_heads = kvh;
        if (p->mk[i] == K_SLIDE && p->window > 0) { /* no window given: attends to everything */
            g.attn = RT_ATTN_SLIDING;
            g.window = p->window;
            if (w->heads > 0) g.heads = w->heads;
            if (w->kv > 0) g.kv_heads = w->kv;
            if (w->dh > 0) g.head_dim = w->dh;
            if (w->dv > 0) g.v_head_dim = w->dv;
            g.sinks |= w->sinks;
        } else if (p->mk[i] == K_CHUNK && p->chunk > 0) {
            g.attn = RT_ATTN_CHUNKED;
            g.window = p->chunk;
        }
        break;
    }
    if (p->fk[i] == F_MOE) {
        const struct rt_group *moe = &p->moe;
        g.ffn = moe->ffn;
        g.mlp_bias = moe->mlp_bias;
        g.experts = moe->experts;
        g.experts_per_token = moe->experts_per_token;
        g.expert_intermediate = moe->expert_intermediate;
        g.shared_intermediate = moe->shared_intermediate;
        g.expert_in = moe->expert_in;
        g.router_bias = moe->router_bias;
    } else if (p->fk[i] == F_DENSE) {
        g.ffn = p->dense.ffn;
        g.mlp_bias = p->dense.mlp_bias;
        g.intermediate = width > 0 ? width : p->dense.intermediate;
    }
    g.count = 1;
    g.first = (int)i;
    g.norms = p->norms;
    return g;
}

/* Build each layer, then group identical ones into m->group. */
static bool group_layers(struct rd *r, struct rt_model *m, struct plan *p)
{
    struct swa_shape w;
    read_swa_shape(r, &w);
    if (r->failed)
        return false;
    int64_t L = p->L;
    for (int64_t i = 0; i < L; i++)
        p->lay[i] = layer_of(p, &w, i);
    int n = arch_collapse(p->lay, L, m->group);
    if (n < 0) {
        /* more layer kinds than groups (a NAS model with many FFN widths): dense
         * FFNs take their mean width, which keeps their parameter sum to within
         * one width's rounding per layer */
        double sum = 0, cnt = 0;
        for (int64_t i = 0; i < L; i++)
            if (p->lay[i].experts == 0 && p->lay[i].intermediate > 0) {
                sum += (double)p->lay[i].intermediate;
                cnt++;
            }
        for (int64_t i = 0; cnt > 0 && i < L; i++)
            if (p->lay[i].experts == 0 && p->lay[i].intermediate > 0)
                p->lay[i].intermediate = (int64_t)llround(sum / cnt);
        n = arch_collapse(p->lay, L, m->group);
        if (n >= 0)
            note(r, "more than %d layer kinds: the dense FFN widths are averaged", RT_GROUPS_MAX);
    }
    if (n < 0) {
        fail_at(r, r->text, "layers", "more than %d distinct layer kinds", RT_GROUPS_MAX);
        return false;
    }
    m->n_groups = n;
    return true;
}

/* The plain fields: a view of the groups (the main attention layer and FFN),
 * for display and for what-if edits of uniform models. */
static void plain_view(struct rt_model *m, const struct plan *p)
{
    const struct rt_group *att = &p->att, *moe = &p->moe;
    m->heads = p->nh;
    m->kv_heads = rt_group_mla(att) ? p->nh : p->nkv;
    m->head_dim = p->dh;
    m->v_head_dim = p->pure_mamba ? p->dh : att->v_head_dim;
    m->kv_lora_rank = att->kv_lora_rank;
    m->q_lora_rank = att->q_lora_rank;
    m->rope_dim = att->rope_dim;
    m->nope_dim = att->nope_dim;
    m->qkv_bias = att->qkv_bias;
    m->o_bias = att->o_bias;
    m->ffn = p->ffn;
    m->mlp_bias = p->mlp_bias;
    m->intermediate = p->inter;
    m->norms_per_layer = p->norms;
    m->experts = moe->experts;
    m->experts_per_token = moe->experts_per_token;
    m->expert_intermediate = moe->expert_intermediate;
    m->shared_experts = moe->expert_intermediate > 0 ? moe->shared_intermediate / moe->expert_intermediate : 0;
    /* the order facts from the groups (each knows where it starts): the layers before
     * the first MoE one, the sliding layers and the first one that does not slide */
    int64_t first = p->E > 0 ? p->L : 0, sliding = 0, first_global = -1;
    for (int i = 0; i < m->n_groups; i++) {
        const struct rt_group *g = &m->group[i];
        if (p->E > 0 && g->experts > 0 && g->first < first)
            first = g->first;
        if (g->attn == RT_ATTN_SLIDING)
            sliding += g->count;
        else if (first_global < 0 || g->first < first_global)
            first_global = g->first;
    }
    m->first_dense = first;
    if (sliding > 0) {
        m->window = p->window;
        m->swa = sliding == p->L ? RT_SWA_ALL : RT_SWA_ALTERNATE;
        /* the period of the pattern: layer i is local unless (i + 1) % period == 0 */
        m->swa_period = first_global > 0 ? first_global + 1 : 2;
    }
}

/* Allocate the per-layer arrays; false (with the error) on failure. */
static bool plan_alloc(struct rd *r, struct plan *p)
{
    p->lay = calloc((size_t)p->L, sizeof *p->lay);
    p->mk = calloc((size_t)p->L, sizeof *p->mk);
    p->fk = calloc((size_t)p->L, sizeof *p->fk);
    if (!p->lay || !p->mk || !p->fk) {
        fail_at(r, NULL, "layers", "out of memory");
        return false;
    }
    return true;
}

static void plan_free(struct plan *p)
{
    free(p->lay);
    free(p->mk);
    free(p->fk);
}

/* Everything before the layers are grouped. */
static bool read_keys(struct rd *r, struct rt_model *m, struct plan *p)
{
    read_family(r, p);
    fallback_check(r, p);
    if (r->failed || !read_dims(r, m, p))
        return false;
    read_attention(r, p);
    read_recurrent(r, p);
    if (r->failed || !read_ffn(r, m, p))
        return false;
    if (p->shape->read)
        p->shape->read(r, m, p);
    return !r->failed && p->L <= RT_LAYERS_MAX && plan_alloc(r, p);
}

/* Everything after: the view, the output layer, the vision tower, the notes. */
/* An EAGLE-3 draft head, as its config.json names one (draft_vocab_size; LlamaForCausalLMEagle3,
 * sgl-project/sglang python/sglang/srt/models/llama_eagle3.py): one decoder layer whose q, k
 * and v read the concatenated [embedding; hidden state] (2h wide, so h x (q + k + v) more
 * weights than a plain layer), an fc from three of the target's hidden states (3 x
 * target_hidden_size) to h, a hidden_norm, and its own lm_head over draft_vocab_size tokens.
 * The token embedding is the target's: the engines hand it over rather than load a copy. */
static void eagle3_head(struct rd *r, struct rt_model *m)
{
    if (!get(r, "draft_vocab_size"))
        return;
    int64_t dv = NUM("draft_vocab_size", -1, 1, m->vocab);
    int64_t th = NUM("target_hidden_size", m->hidden, 1, 1 << 24);
    double h = (double)m->hidden;
    double qkv = (double)m->heads * (double)m->head_dim + 2.0 * (double)m->kv_heads * (double)m->head_dim;
    m->draft_proj_params = 3.0 * (double)th * h + h * qkv;
    m->draft_target_hidden = th;
    m->draft_target_vocab = m->vocab; /* vocab_size: the target's tokens (d2t maps the draft's to them) */
    m->extra_params += h; /* hidden_norm */
    m->vocab = dv;
    m->shares_embed = true;
}

static int finish(struct rd *r, struct rt_model *m, const struct plan *p, char *warn, size_t warnlen)
{
    const struct av_source *src = r->s;
    const struct av_ops *o = src->ops;
    m->tied_embeddings = flag(r, "tie_word_embeddings", p->fam->tied);
    if (!p->shape->read)
        m->lm_head_bias = flag(r, "lm_head_bias", false);
    struct rt_group plain[RT_GROUPS_MAX];
    if (m->n_groups == 0) /* the groups, built once here (core.h) */
        m->n_groups = rt_plain_groups(m, m->group);
    else if (plain_enough(m, plain))
        memcpy(m->group, plain, (size_t)m->n_groups * sizeof *plain);
    /* a multimodal wrapper's vision tower and projector */
    const void *vc = o->member(src->root, "vision_config");
    const char *named = text_of(r, "mm_vision_tower");
    if (vc && o->type(vc) == AV_GROUP)
        m->extra_params = vision_params(r, vc, p->wrapper, (double)p->h);
    else if (named || (named = text_of(r, "vision_tower")) != NULL)
        m->extra_params = named_tower_params(r, named, (double)p->h);
    eagle3_head(r, m);
    if (!src->catalog) {
        if (!p->known)
            note(r, "unknown model_type '%s': assumed a Llama-style decoder (gated FFN, RMSNorm, 2 norms per "
                    "layer, untied embeddings) where the keys do not say", p->type);
        ignored_keys(r, r->text);
        if (r->text != r->root)
            ignored_keys(r, r->root);
    }
    if (r->failed)
        return RT_EINVAL;
    char why[RT_ERR_MAX];
    if (rt_validate_model(m, why, sizeof why) != RT_OK) {
        snprintf(r->err, r->errlen, "%s: %s", src->file, why);
        return RT_EINVAL;
    }
    if (warn && warnlen && r->notes[0])
        snprintf(warn, warnlen, "%s: %s", src->file, r->notes);
    return RT_OK;
}

int arch_read(const struct av_source *src, struct rt_model *m, char *warn, size_t warnlen, char *err,
              size_t errlen)
{
    struct rd rr = { .s = src, .root = src->root, .text = src->root, .err = err, .errlen = errlen };
    struct rd *r = &rr;
    struct plan p = { 0 };
    memset(m, 0, sizeof *m);
    if (warn && warnlen)
        warn[0] = 0;
    bool ok = read_keys(r, m, &p);
    if (ok) {
        place_ffn(r, &p);
        place_mixers(r, m, &p);
        const void *blocks = get(r, "block_configs");
        if (blocks && type_of(r, blocks) == AV_LIST)
            read_blocks(r, &p, blocks);
        per_layer_arrays(r, &p);
        ok = !r->failed && recurrent_keys_present(r, &p) && group_layers(r, m, &p);
    }
    if (ok)
        plain_view(m, &p);
    plan_free(&p);
    return ok ? finish(r, m, &p, warn, warnlen) : RT_EINVAL;
}
