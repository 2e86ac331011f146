/* gguf.c - GGUF v2/v3 header reader.  Every length and count is checked
 * against the bytes that remain, so a truncated or hostile file is rejected
 * without reading out of bounds.  Layout: ggml-org/ggml docs/gguf.md. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/slurp.h"
#include "import/arch.h"
#include "import/gguf.h"
#include "core/core.h"
#include "base/text.h"

#define GGUF_HEADER_MAX (512u << 20) /* metadata + tensor table; weights are never read */

struct rd {
    const unsigned char *p, *end, *start;
    uint64_t need_end;              /* when truncated: the file offset the header needs to reach */
    const char *name;
    char *err;
    size_t errlen;
    bool failed;
};

static bool fail(struct rd *r, const char *what)
{
    if (!r->failed)
        snprintf(r->err, r->errlen, "%s: offset %zu: %s", r->name, (size_t)(r->p - r->start), what);
    r->failed = true;
    return false;
}

static bool need(struct rd *r, uint64_t n)
{
    if (r->failed)
        return false;
    if (n > (uint64_t)(r->end - r->p)) {
        uint64_t at = (uint64_t)(r->p - r->start);
        r->need_end = n > UINT64_MAX - at ? UINT64_MAX : at + n;
        snprintf(r->err, r->errlen, "%s: truncated header (needs %llu more bytes)", r->name,
                 (unsigned long long)n);
        r->failed = true;
        return false;
    }
    return true;
}

static uint64_t u(struct rd *r, int bytes)
{
    if (!need(r, (uint64_t)bytes))
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[i] << (8 * i); /* GGUF is little-endian */
    r->p += bytes;
    return v;
}

/* A string: u64 length then bytes.  Returns a pointer into the buffer. */
static const char *str(struct rd *r, uint64_t *len)
{
    *len = u(r, 8);
    if (!need(r, *len))
        return NULL;
    const char *s = (const char *)r->p;
    r->p += *len;
    return s;
}

enum { T_U8, T_I8, T_U16, T_I16, T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR, T_U64, T_I64, T_F64 };
static const int scalar_size[] = { 1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8 };

/* Skip or read one value; integers come back in *iv, an array's count in *count. */
static bool value(struct rd *r, uint32_t type, int64_t *iv, uint64_t *count, int depth)
{
    *iv = -1;
    if (type > T_F64)
        return fail(r, "unknown metadata value type");
    if (type == T_STR) {
        uint64_t l;
        return str(r, &l) != NULL;
    }
    if (type == T_ARR) {
        if (depth > 2)
            return fail(r, "arrays nested too deeply");
        uint32_t et = (uint32_t)u(r, 4);
        uint64_t n = u(r, 8);
        if (r->failed)
            return false;
        if (et > T_F64)
            return fail(r, "unknown array element type");
        *count = n;
        if (et != T_STR && et != T_ARR) {
            if (n > (uint64_t)(r->end - r->p) / (uint64_t)scalar_size[et])
                return need(r, UINT64_MAX);
            r->p += n * (uint64_t)scalar_size[et];
            return true;
        }
        if (n > (uint64_t)(r->end - r->p) / 8) /* each element takes at least 8 bytes */
            return need(r, UINT64_MAX);
        for (uint64_t i = 0; i < n && !r->failed; i++) {
            int64_t dummy;
            uint64_t c;
            value(r, et, &dummy, &c, depth + 1);
        }
        return !r->failed;
    }
    uint64_t v = u(r, scalar_size[type]);
    if (type == T_I8) *iv = (int8_t)v;
    else if (type == T_I16) *iv = (int16_t)v;
    else if (type == T_I32) *iv = (int32_t)v;
    else if (type == T_F32 || type == T_F64) *iv = -1;
    else *iv = v > (uint64_t)INT64_MAX ? -1 : (int64_t)v;
    return !r->failed;
}

/* ggml tensor types: bytes per block and weights per block (ggml-common.h). */
struct qtype { int id; const char *name; int block_bytes, block_elems; };
static const struct qtype qtypes[] = {
    { 0, "f32", 4, 1 }, { 1, "f16", 2, 1 }, { 2, "q4_0", 18, 32 }, { 3, "q4_1", 20, 32 },
    { 6, "q5_0", 22, 32 }, { 7, "q5_1", 24, 32 }, { 8, "q8_0", 34, 32 }, { 9, "q8_1", 36, 32 },
    { 10, "q2_k", 84, 256 }, { 11, "q3_k", 110, 256 }, { 12, "q4_k", 144, 256 }, { 13, "q5_k", 176, 256 },
    { 14, "q6_k", 210, 256 }, { 15, "q8_k", 292, 256 }, { 23, "iq4_xs", 136, 256 }, { 24, "i8", 1, 1 },
    { 25, "i16", 2, 1 }, { 26, "i32", 4, 1 }, { 27, "i64", 8, 1 }, { 28, "f64", 8, 1 }, { 30, "bf16", 2, 1 },
    { 39, "mxfp4", 17, 32 },
};

static const struct qtype *qtype(uint32_t id)
{
    for (size_t i = 0; i < sizeof qtypes / sizeof qtypes[0]; i++)
        if ((uint32_t)qtypes[i].id == id)
            return &qtypes[i];
    return NULL;
}

static bool key_is(const char *k, uint64_t kl, const char *arch, const char *suffix)
{
    char want[128];
    int n = snprintf(want, sizeof want, "%s.%s", arch, suffix);
    return n > 0 && (uint64_t)n == kl && memcmp(k, want, kl) == 0;
}

/* ---- the header's hyperparameters as config.json keys ----
 * The GGUF names are translated into the config.json keys they came from
 * (llama.cpp convert_hf_to_gguf.py), held in a small tree, and read by the same
 * interpreter as config.json files (import/arch.c). */

struct node {
    const char *name;
    enum av_type t;
    double num;
    char str[64];
    struct node *kids;
    size_t n, cap;
};

static const void *t_member(const void *g, const char *key)
{
    const struct node *x = g;
    for (size_t i = 0; x && x->t == AV_GROUP && i < x->n; i++)
        if (strcmp(x->kids[i].name, key) == 0)
            return &x->kids[i];
    return NULL;
}
static enum av_type t_type(const void *v) { return ((const struct node *)v)->t; }
static double t_number(const void *v) { return ((const struct node *)v)->num; }
static const char *t_string(const void *v) { return ((const struct node *)v)->str; }
static size_t t_size(const void *v) { return ((const struct node *)v)->n; }
static const void *t_elem(const void *v, size_t i)
{
    const struct node *x = v;
    return i < x->n ? &x->kids[i] : NULL;
}
static const char *t_key(const void *g, size_t i)
{
    const struct node *x = g;
    return i < x->n ? x->kids[i].name : NULL;
}
static int t_line(const void *v) { (void)v; return 0; }
static const struct av_ops tree_ops = { t_member, t_type, t_number, t_string, t_size, t_elem, t_key, t_line, NULL };

static struct node *t_add(struct node *g, const char *name, enum av_type t)
{
    if (g->n == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 32;
        struct node *k = realloc(g->kids, nc * sizeof *k);
        if (!k)
            return NULL;
        g->kids = k;
        g->cap = nc;
    }
    struct node *x = &g->kids[g->n++];
    memset(x, 0, sizeof *x);
    x->name = name;
    x->t = t;
    return x;
}

static void t_num(struct node *g, const char *name, double v)
{
    struct node *x = t_add(g, name, AV_INT);
    if (x)
        x->num = v;
}

static void t_free(struct node *g)
{
    for (size_t i = 0; i < g->n; i++)
        t_free(&g->kids[i]);
    free(g->kids);
    g->kids = NULL;
    g->n = g->cap = 0;
}

/* A per-layer integer array from the header (head_count_kv, feed_forward_length, ...). */
struct arr {
    const unsigned char *p;
    uint32_t type;
    uint64_t n;
};

static int64_t arr_at(const struct arr *a, uint64_t i)
{
    static const int size[] = { 1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8 };
    if (!a->p || i >= a->n || a->type > 12 || size[a->type] == 0 || a->type == 6 || a->type == 12)
        return -1;
    const unsigned char *q = a->p + i * (uint64_t)size[a->type];
    uint64_t v = 0;
    for (int b = 0; b < size[a->type]; b++)
        v |= (uint64_t)q[b] << (8 * b);
    switch (a->type) {
    case 1: return (int8_t)v;
    case 3: return (int16_t)v;
    case 5: return (int32_t)v;
    default: return v > (uint64_t)INT64_MAX ? -1 : (int64_t)v;
    }
}


/* file_len: the whole file's size (len may be a prefix of it); *need_end as in struct rd. */
/* hyperparameters by GGUF key suffix (after "<arch>."), and per-layer arrays */
static const char *const hp_keys[] = {
    "block_count", "embedding_length", "feed_forward_length", "attention.head_count",
    "attention.head_count_kv", "attention.key_length", "attention.value_length", "context_length",
    "vocab_size", "expert_count", "expert_used_count", "expert_feed_forward_length",
    "expert_shared_count", "expert_shared_feed_forward_length", "leading_dense_block_count",
    "attention.kv_lora_rank", "attention.q_lora_rank", "rope.dimension_count",
    "attention.key_length_mla", "attention.value_length_mla", "attention.sliding_window",
    "attention.sliding_window_pattern", "ssm.conv_kernel", "ssm.inner_size", "ssm.state_size",
    "ssm.time_step_rank", "ssm.group_count", "full_attention_interval", "interleave_moe_layer_step",
    "attention.indexer.head_count", "attention.indexer.key_length", "attention.indexer.top_k", NULL };
enum { H_LAYERS, H_HIDDEN, H_FFN, H_HEADS, H_KV, H_KEYLEN, H_VALLEN, H_CTX, H_VOCAB, H_EXPERTS, H_USED,
       H_EXPFFN, H_SHARED, H_SHAREDFFN, H_DENSE, H_KVLORA, H_QLORA, H_ROPE, H_KEYMLA, H_VALMLA, H_WINDOW,
       H_SWAPAT, H_CONV, H_INNER, H_STATE, H_DTRANK, H_GROUPS, H_FAI, H_MOESTEP, H_IDXHEADS, H_IDXDIM,
       H_IDXTOPK, H_N };

/* What the header holds: the architecture, its hyperparameters, the tensors. */
struct header {
    char arch[64];
    int64_t hp[H_N];
    struct arr hpa[H_N];
    int64_t vocab_tokens;
    bool has_output, q_bias, o_bias, ffn_bias, probs_bias;
};

/* The metadata keys: the architecture and the hyperparameters it prefixes. */
static void read_metadata(struct rd *r, uint64_t n_kv, struct header *h)
{
    for (int i = 0; i < H_N; i++)
        h->hp[i] = -1;
    for (uint64_t i = 0; i < n_kv && !r->failed; i++) {
        uint64_t kl;
        const char *k = str(r, &kl);
        uint32_t type = (uint32_t)u(r, 4);
        if (r->failed)
            break;
        if (kl == 20 && memcmp(k, "general.architecture", 20) == 0 && type == T_STR) {
            uint64_t vl;
            const char *v = str(r, &vl);
            if (v && vl < sizeof h->arch) {
                memcpy(h->arch, v, vl);
                h->arch[vl] = 0;
            }
            continue;
        }
        int64_t iv;
        uint64_t count = 0;
        const unsigned char *at = r->p;
        if (!value(r, type, &iv, &count, 0))
            break;
        if (kl == 21 && memcmp(k, "tokenizer.ggml.tokens", 21) == 0)
            h->vocab_tokens = (int64_t)count;
        if (!h->arch[0])
            continue;
        for (int j = 0; hp_keys[j]; j++) {
            if (!key_is(k, kl, h->arch, hp_keys[j]))
                continue;
            if (type == T_ARR) {
                uint32_t et = (uint32_t)(at[0] | at[1] << 8 | at[2] << 16 | (uint32_t)at[3] << 24);
                h->hpa[j] = (struct arr){ at + 12, et, count };
            } else if (iv >= 0) {
                h->hp[j] = iv;
            }
            break;
        }
    }
}

/* The tensor table: exact bytes per type, and which optional tensors exist.
 * RT_OK, or RT_EINVAL with err set (r->failed: truncated). */
static int read_tensors(struct rd *r, uint64_t n_tensors, struct header *h, struct gguf_info *info)
{
    double bytes_by_type[64] = { 0 };
    for (uint64_t i = 0; i < n_tensors && !r->failed; i++) {
        uint64_t nl;
        const char *tn = str(r, &nl);
        uint32_t nd = (uint32_t)u(r, 4);
        if (r->failed)
            break;
        if (nd == 0 || nd > 4) {
            snprintf(r->err, r->errlen, "%s: tensor %llu has %u dimensions", r->name, (unsigned long long)i, nd);
            return RT_EINVAL;
        }
        double elems = 1;
        for (uint32_t d = 0; d < nd; d++) {
            uint64_t dim = u(r, 8);
            if (dim == 0 || dim > (uint64_t)RT_COUNT_MAX) {
                if (!r->failed)
                    snprintf(r->err, r->errlen, "%s: tensor %llu has a bad dimension", r->name,
                             (unsigned long long)i);
                return RT_EINVAL;
            }
            elems *= (double)dim;
        }
        uint32_t t = (uint32_t)u(r, 4);
        u(r, 8); /* offset into the data section: not followed */
        if (r->failed)
            break;
        const struct qtype *q = qtype(t);
        if (!q) {
            snprintf(r->err, r->errlen, "%s: tensor %llu has unknown type %u", r->name, (unsigned long long)i, t);
            return RT_EINVAL;
        }
        char tname[96];
        snprintf(tname, sizeof tname, "%.*s", (int)(nl < 95 ? nl : 95), tn);
        h->has_output |= strcmp(tname, "output.weight") == 0;
        h->q_bias |= strstr(tname, ".attn_q.bias") != NULL;
        h->o_bias |= strstr(tname, ".attn_output.bias") != NULL;
        h->ffn_bias |= strstr(tname, ".ffn_up.bias") != NULL || strstr(tname, ".ffn_up_exps.bias") != NULL;
        h->probs_bias |= strstr(tname, ".exp_probs_b") != NULL;
        double b = elems / q->block_elems * q->block_bytes;
        info->weight_bytes += b;
        info->elements += elems;
        if (nd >= 2 && t < 64)
            bytes_by_type[t] += b;
    }
    if (r->failed)
        return RT_EINVAL;
    int dom = 0;
    for (int t = 1; t < 64; t++)
        if (bytes_by_type[t] > bytes_by_type[dom])
            dom = t;
    const struct qtype *dq = qtype((uint32_t)dom);
    snprintf(info->file_type, sizeof info->file_type, "%s", dq ? dq->name : "?");
    return RT_OK;
}

#define PUT(key, i) do { if (h->hp[i] >= 0) t_num(root, key, (double)h->hp[i]); } while (0)

/* Shapes, experts, latent attention and the indexer as config.json keys
 * (llama.cpp convert_hf_to_gguf.py). */
static void put_shapes(struct node *root, struct header *h)
{
    /* a per-layer array's largest entry stands for the scalar */
    int64_t first_kv = -1;
    for (int j = 0; j < H_N; j++)
        for (uint64_t i = 0; h->hpa[j].p && i < h->hpa[j].n; i++) {
            int64_t v = arr_at(&h->hpa[j], i);
            if (v > h->hp[j])
                h->hp[j] = v;
            if (j == H_KV && first_kv < 0 && v > 0)
                first_kv = v;
        }
    PUT("num_hidden_layers", H_LAYERS);
    PUT("hidden_size", H_HIDDEN);
    PUT("intermediate_size", H_FFN);
    PUT("num_attention_heads", H_HEADS);
    if (first_kv > 0 || h->hp[H_KV] > 0)
        t_num(root, "num_key_value_heads", (double)(first_kv > 0 ? first_kv : h->hp[H_KV]));
    PUT("max_position_embeddings", H_CTX);
    t_num(root, "vocab_size", (double)(h->hp[H_VOCAB] > 0 ? h->hp[H_VOCAB] : h->vocab_tokens));
    if (h->hp[H_EXPERTS] > 0) {
        PUT("num_local_experts", H_EXPERTS);
        PUT("num_experts_per_tok", H_USED);
        PUT("moe_intermediate_size", H_EXPFFN);
        PUT("n_shared_experts", H_SHARED);
        PUT("shared_expert_intermediate_size", H_SHAREDFFN);
        PUT("first_k_dense_replace", H_DENSE);
        PUT("interleave_moe_layer_step", H_MOESTEP);
    }
    if (h->hp[H_KVLORA] > 0) {
        int64_t rope = h->hp[H_ROPE] > 0 ? h->hp[H_ROPE] : 0;
        int64_t key = h->hp[H_KEYMLA] > 0 ? h->hp[H_KEYMLA] : h->hp[H_KEYLEN];
        int64_t val = h->hp[H_VALMLA] > 0 ? h->hp[H_VALMLA] : h->hp[H_VALLEN];
        PUT("kv_lora_rank", H_KVLORA);
        PUT("q_lora_rank", H_QLORA);
        t_num(root, "qk_rope_head_dim", (double)rope);
        t_num(root, "qk_nope_head_dim", (double)(key > rope ? key - rope : 0));
        t_num(root, "v_head_dim", (double)(val > 0 ? val : 0));
    } else {
        PUT("head_dim", H_KEYLEN);
        PUT("v_head_dim", H_VALLEN);
    }
    if (h->hp[H_IDXHEADS] > 0) {
        PUT("index_n_heads", H_IDXHEADS);
        PUT("index_head_dim", H_IDXDIM);
        PUT("index_topk", H_IDXTOPK);
    }
    PUT("sliding_window", H_WINDOW);
    if (h->hp[H_WINDOW] > 0 && !h->hpa[H_SWAPAT].p && h->hp[H_SWAPAT] > 0)
        PUT("sliding_window_pattern", H_SWAPAT);
}

/* Recurrent layers (Gated DeltaNet or Mamba2) and the optional tensors; true
 * when the model has state-space layers. */
static bool put_recurrent(struct node *root, const struct header *h, bool *gdn)
{
    bool ssm = h->hp[H_INNER] > 0 && h->hp[H_DTRANK] > 0;
    *gdn = ssm && (strcmp(h->arch, "qwen3next") == 0 || strncmp(h->arch, "qwen35", 6) == 0);
    if (ssm && *gdn) {
        /* Qwen3-Next: time_step_rank = value heads, group_count = key heads,
         * state_size = key head dim, inner_size = value heads x value dim */
        t_num(root, "linear_num_value_heads", (double)h->hp[H_DTRANK]);
        t_num(root, "linear_value_head_dim", (double)(h->hp[H_INNER] / h->hp[H_DTRANK]));
        t_num(root, "linear_num_key_heads", (double)(h->hp[H_GROUPS] > 0 ? h->hp[H_GROUPS] : h->hp[H_DTRANK]));
        PUT("linear_key_head_dim", H_STATE);
        PUT("linear_conv_kernel_dim", H_CONV);
        PUT("full_attention_interval", H_FAI);
    } else if (ssm) {
        /* Mamba2: time_step_rank = heads, inner_size = heads x head dim */
        t_num(root, "mamba_num_heads", (double)h->hp[H_DTRANK]);
        t_num(root, "mamba_head_dim", (double)(h->hp[H_INNER] / h->hp[H_DTRANK]));
        t_num(root, "n_groups", (double)(h->hp[H_GROUPS] > 0 ? h->hp[H_GROUPS] : 1));
        PUT("ssm_state_size", H_STATE);
        PUT("conv_kernel", H_CONV);
    }
    t_num(root, "tie_word_embeddings", h->has_output ? 0 : 1);
    if (h->q_bias)
        t_num(root, "attention_bias", 1);
    if (h->o_bias)
        t_num(root, "o_bias", 1);
    if (h->ffn_bias)
        t_num(root, "mlp_bias", 1);
    if (h->probs_bias) {
        struct node *x = t_add(root, "topk_method", AV_STRING);
        if (x)
            snprintf(x->str, sizeof x->str, "noaux_tc");
    }
    return ssm;
}
#undef PUT

/* Per-layer layout: attention where the layer has KV heads; without, a state
 * space layer (or, in Nemotron-H, an MLP block where it has an FFN). */
static void put_layers(struct node *root, const struct header *h, bool ssm, bool gdn)
{
    int64_t L = h->hp[H_LAYERS] >= 0 ? h->hp[H_LAYERS] : 0;
    const struct arr *kva = &h->hpa[H_KV], *ffa = &h->hpa[H_FFN], *swa = &h->hpa[H_SWAPAT];
    bool per_layer = L > 0 && L <= RT_LAYERS_MAX && (uint64_t)L == kva->n;
    bool ffn_arr = L > 0 && (uint64_t)L == ffa->n;
    bool swa_arr = L > 0 && (uint64_t)L == swa->n;
    bool zero_kv = false;
    for (int64_t i = 0; per_layer && i < L; i++)
        zero_kv |= arr_at(kva, (uint64_t)i) <= 0;
    if (per_layer && !zero_kv) {
        struct node *lk = t_add(root, "layer_kv_heads", AV_LIST);
        for (int64_t i = 0; lk && i < L; i++)
            t_num(lk, "", (double)arr_at(kva, (uint64_t)i));
    }
    if (((per_layer && zero_kv) || swa_arr) && !(gdn && h->hp[H_FAI] > 0)) {
        struct node *lt = t_add(root, "layer_types", AV_LIST);
        struct node *lk = per_layer ? t_add(root, "layer_kv_heads", AV_LIST) : NULL;
        for (int64_t i = 0; lt && i < L; i++) {
            int64_t kv = per_layer ? arr_at(kva, (uint64_t)i) : 1;
            int64_t ff = ffn_arr ? arr_at(ffa, (uint64_t)i) : 1;
            bool slide = swa_arr && arr_at(swa, (uint64_t)i) > 0;
            const char *kind = kv > 0 ? (slide ? "sliding_attention" : "full_attention")
                             : ssm && !(strcmp(h->arch, "nemotron_h") == 0 && ff > 0) ? "mamba" : "none";
            struct node *e = t_add(lt, "", AV_STRING);
            if (e)
                snprintf(e->str, sizeof e->str, "%s", kind);
            if (lk)
                t_num(lk, "", (double)(kv > 0 ? kv : 0));
        }
    }
    if (ffn_arr) {
        struct node *lf = t_add(root, "layer_intermediate", AV_LIST);
        for (int64_t i = 0; lf && i < L; i++)
            t_num(lf, "", (double)arr_at(ffa, (uint64_t)i));
    }
}

/* The header translated to config.json keys, read by the one interpreter. */
static int translate(struct header *h, const char *name, struct rt_model *m, char *err, size_t errlen)
{
    const struct arch_family *fam = arch_family_gguf(h->arch);
    struct node root = { .name = "", .t = AV_GROUP };
    struct node *mt = t_add(&root, "model_type", AV_STRING);
    if (mt)
        snprintf(mt->str, sizeof mt->str, "%s", fam ? fam->type : h->arch);
    put_shapes(&root, h);
    bool gdn;
    bool ssm = put_recurrent(&root, h, &gdn);
    put_layers(&root, h, ssm, gdn);
    struct av_source src = { &tree_ops, &root, name, true, NULL, NULL };
    char why[RT_ERR_MAX];
    int rc = arch_read(&src, m, NULL, 0, why, sizeof why);
    t_free(&root);
    if (rc != RT_OK) {
        snprintf(err, errlen, "%s: incomplete architecture metadata: %s", name, why);
        return RT_EINVAL;
    }
    snprintf(m->id, sizeof m->id, "gguf-%.40s", h->arch);
    text_safe_inplace(m->id);
    const char *base = strrchr(name, '/');
    snprintf(m->name, sizeof m->name, "%.90s", base ? base + 1 : name);
    text_safe_inplace(m->name);
    return RT_OK;
}

static int parse(const unsigned char *buf, size_t len, uint64_t file_len, const char *name, struct rt_model *m,
                 struct gguf_info *info, uint64_t *need_end, char *err, size_t errlen)
{
    struct rd r = { .p = buf, .end = buf + len, .start = buf, .name = name, .err = err, .errlen = errlen };
    *need_end = 0;
    struct gguf_info local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    memset(m, 0, sizeof *m);
    if (len < 4 || memcmp(buf, "GGUF", 4) != 0) {
        snprintf(err, errlen, "%s: not a GGUF file (bad magic)", name);
        return RT_EINVAL;
    }
    r.p += 4;
    uint32_t version = (uint32_t)u(&r, 4);
    if (!r.failed && (version < 2 || version > 3)) {
        snprintf(err, errlen, "%s: GGUF version %u is not supported (2 or 3)", name, version);
        return RT_EINVAL;
    }
    uint64_t n_tensors = u(&r, 8), n_kv = u(&r, 8);
    if (r.failed) {
        *need_end = r.need_end;
        return RT_EINVAL;
    }
    /* a key takes at least 12 bytes, a tensor entry at least 24 */
    if (n_kv > file_len / 12 || n_tensors > file_len / 24) {
        snprintf(err, errlen, "%s: header counts (%llu keys, %llu tensors) exceed the file", name,
                 (unsigned long long)n_kv, (unsigned long long)n_tensors);
        return RT_EINVAL;
    }
    struct header *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "%s: out of memory", name);
        return RT_EINVAL;
    }
    read_metadata(&r, n_kv, h);
    int rc = RT_EINVAL;
    if (r.failed)
        *need_end = r.need_end;
    else if (!h->arch[0])
        snprintf(err, errlen, "%s: metadata has no general.architecture", name);
    else if (read_tensors(&r, n_tensors, h, info) != RT_OK)
        *need_end = r.need_end;
    else
        rc = translate(h, name, m, err, errlen);
    free(h);
    return rc;
}

int gguf_parse(const unsigned char *buf, size_t len, const char *name, struct rt_model *m,
               struct gguf_info *info, char *err, size_t errlen)
{
    uint64_t need_end;
    int rc = parse(buf, len, len, name, m, info, &need_end, err, errlen);
    text_safe_inplace(rc == RT_OK ? m->name : err);
    return rc;
}

int gguf_import(const char *path, struct rt_model *m, struct gguf_info *info, char *err, size_t errlen)
{
    struct stat st;
    int fd = open_regular(path, 0, &st);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, slurp_strerror(errno, GGUF_HEADER_MAX));
        return RT_EINVAL;
    }
    /* Read the header only: start with 1 MiB (or the whole file if smaller) and
     * grow to what the parse says it needs, never past the file's size or the cap. */
    uint64_t size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
    uint64_t limit = size < GGUF_HEADER_MAX ? size : GGUF_HEADER_MAX;
    size_t cap = limit < (1u << 20) ? (size_t)limit : (1u << 20), len = 0;
    unsigned char *buf = NULL;
    int rc = RT_EINVAL;
    snprintf(err, errlen, "%s: not a GGUF file (empty)", path);
    while (cap > 0) {
        unsigned char *nb = realloc(buf, cap);
        if (!nb) {
            snprintf(err, errlen, "%s: out of memory", path);
            break;
        }
        buf = nb;
        while (len < cap) {
            ssize_t got = read(fd, buf + len, cap - len);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                break;
            len += (size_t)got;
        }
        uint64_t need_end = 0;
        rc = parse(buf, len, size, path, m, info, &need_end, err, errlen);
        if (rc == RT_OK || need_end == 0 || len < cap)
            break; /* done, a real error, or the file ended early */
        if (need_end > size) {
            snprintf(err, errlen, "%s: the header claims %llu bytes, the file has %llu", path,
                     (unsigned long long)need_end, (unsigned long long)size);
            break;
        }
        if (need_end > GGUF_HEADER_MAX) {
            snprintf(err, errlen, "%s: the header is larger than %u MiB (metadata and tensor table)", path,
                     GGUF_HEADER_MAX >> 20);
            break;
        }
        if (cap >= limit)
            break;
        uint64_t next = (uint64_t)cap * 4 > need_end ? (uint64_t)cap * 4 : need_end;
        cap = (size_t)(next < limit ? next : limit);
    }
    close(fd);
    free(buf);
    if (rc != RT_OK)
        text_safe_inplace(err);
    return rc;
}
