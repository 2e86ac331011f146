/* params.c - layer groups and exact parameter counts (doc/method.md).
 *
 * A model is a list of layer groups; each layer has a token mixer (attention,
 * a Mamba2 state space, a Gated DeltaNet, or none), an FFN (dense or mixture of
 * experts, or none) and its norms.  Counts follow the reference implementations
 * cited at each formula. */
#include <math.h>
#include <string.h>
#include "core/core.h"

/* Split each group in two by how many of its layers are sliding: layer i is
 * local unless (i + 1) % period == 0 (the model's swa_period; 2, Gemma 2's even
 * layers, when it does not say).  Each group holds the layers [first, first + count). */
static int split_alternate(const struct rt_model *m, struct rt_group *g, int n)
{
    int64_t P = m->swa_period > 1 ? m->swa_period : 2;
    struct rt_group out[RT_GROUPS_MAX];
    int k = 0;
    for (int i = 0; i < n; i++) {
        int64_t a = g[i].first, b = a + g[i].count; /* layers [a, b) */
        int64_t local = (b - a) - (b / P - a / P); /* less the multiples of P in [a + 1, b] */
        if (local > 0) {
            out[k] = g[i];
            out[k].count = local;
            out[k].first = (int)((a + 1) % P ? a : a + 1); /* the first i >= a with (i + 1) % P != 0 */
            out[k].attn = RT_ATTN_SLIDING;
            out[k].window = m->window;
            k++;
        }
        if (g[i].count - local > 0) {
            out[k] = g[i];
            out[k].count = g[i].count - local;
            out[k].first = (int)((a + P) / P * P - 1); /* the first i >= a with (i + 1) % P == 0 */
            k++;
        }
    }
    memcpy(g, out, (size_t)k * sizeof *g);
    return k;
}

int rt_plain_groups(const struct rt_model *m, struct rt_group g[RT_GROUPS_MAX])
{
    struct rt_group b = { 0 };
    b.count = m->layers;
    b.mixer = RT_MIX_ATTENTION;
    b.attn = RT_ATTN_FULL;
    b.heads = m->heads;
    b.kv_heads = m->kv_heads;
    b.head_dim = m->head_dim;
    b.v_head_dim = m->v_head_dim;
    b.kv_lora_rank = m->kv_lora_rank;
    b.q_lora_rank = m->q_lora_rank;
    b.rope_dim = m->rope_dim;
    b.nope_dim = m->nope_dim;
    b.qkv_bias = m->qkv_bias;
    b.o_bias = m->o_bias;
    b.ffn = m->ffn;
    b.mlp_bias = m->mlp_bias;
    b.intermediate = m->intermediate;
    b.norms = m->norms_per_layer;
    int n = 1;
    g[0] = b;
    if (m->experts > 0) {
        int64_t dense = m->first_dense < m->layers ? m->first_dense : m->layers;
        struct rt_group moe = b;
        moe.count = m->layers - dense;
        moe.first = (int)dense;
        moe.experts = m->experts;
        moe.experts_per_token = m->experts_per_token;
        moe.expert_intermediate = m->expert_intermediate;
        moe.shared_intermediate = m->shared_experts * m->expert_intermediate;
        n = 0;
        if (dense > 0) {
            g[n] = b;
            g[n++].count = dense;
        }
        if (moe.count > 0)
            g[n++] = moe;
    }
    if (m->window > 0 && m->swa == RT_SWA_ALL) {
        for (int i = 0; i < n; i++) {
            g[i].attn = RT_ATTN_SLIDING;
            g[i].window = m->window;
        }
    } else if (m->window > 0 && m->swa == RT_SWA_ALTERNATE) {
        n = split_alternate(m, g, n);
    }
    return n;
}

static int n_groups(const struct rt_model *m)
{
    return m->n_groups < 0 ? 0 : m->n_groups < RT_GROUPS_MAX ? m->n_groups : RT_GROUPS_MAX;
}

const struct rt_group *rt_main_attention(const struct rt_model *m)
{
    for (int i = 0; i < n_groups(m); i++)
        if (m->group[i].mixer == RT_MIX_ATTENTION)
            return &m->group[i];
    return NULL;
}

const struct rt_group *rt_moe_group(const struct rt_model *m)
{
    for (int i = 0; i < n_groups(m); i++)
        if (m->group[i].experts > 0)
            return &m->group[i];
    return NULL;
}

bool rt_model_mla(const struct rt_model *m)
{
    const struct rt_group *a = rt_main_attention(m);
    return a && rt_group_mla(a);
}

int64_t rt_tp_heads(const struct rt_model *m)
{
    const struct rt_group *a = rt_main_attention(m);
    if (a)
        return a->heads;
    for (int i = 0; i < n_groups(m); i++)
        if (m->group[i].mixer != RT_MIX_NONE)
            return m->group[i].lin_heads;
    return 0;
}

int rt_model_groups(const struct rt_model *m, struct rt_group g[RT_GROUPS_MAX])
{
    int n = n_groups(m);
    memcpy(g, m->group, (size_t)n * sizeof *g);
    return n;
}

const struct rt_group *rt_groups(const struct rt_model *m, int *n)
{
    *n = n_groups(m);
    return m->group;
}

static double attention_params(double h, const struct rt_group *g)
{
    double nh = (double)g->heads, p;
    if (rt_group_mla(g)) {
        /* Multi-head latent attention (DeepSeek-V2/V3 inference/model.py, class MLA). */
        double rq = (double)g->q_lora_rank, rkv = (double)g->kv_lora_rank;
        double dn = (double)g->nope_dim, dr = (double)g->rope_dim, dv = (double)g->v_head_dim;
        double q = rq > 0 ? h * rq + rq + rq * nh * (dn + dr) : h * nh * (dn + dr);
        double kv_a = h * (rkv + dr), kv_norm = rkv, kv_b = rkv * nh * (dn + dv);
        double o = nh * dv * h;
        p = q + kv_a + kv_norm + kv_b + o;
    } else {
        double nkv = (double)g->kv_heads, dh = (double)g->head_dim, dv = (double)g->v_head_dim;
        /* Qwen3-Next's q_proj also yields a sigmoid output gate (Qwen3NextAttention) */
        double qw = g->attn_gate ? 2.0 : 1.0;
        double q = qw * (h * nh * dh + (g->qkv_bias ? nh * dh : 0));
        double k = h * nkv * dh + (g->qkv_bias ? nkv * dh : 0);
        double v = h * nkv * dv + (g->qkv_bias ? nkv * dv : 0);
        double o = nh * dv * h + (g->o_bias ? h : 0);
        p = q + k + v + o;
        if (g->qk_norm) /* q_norm and k_norm: RMSNorm over head_dim (Qwen3Attention) */
            p += 2 * dh;
    }
    if (g->sinks) /* one sink logit per head (gpt-oss, GptOssAttention.sinks) */
        p += nh;
    if (g->index_heads > 0) {
        /* DSA lightning indexer (DeepSeek-V3.2-Exp inference/model.py, class Indexer):
         * wq_b q_lora_rank -> heads x dim, wk hidden -> dim, k_norm LayerNorm(dim),
         * weights_proj hidden -> heads */
        double ih = (double)g->index_heads, id = (double)g->index_head_dim;
        double rq = g->q_lora_rank > 0 ? (double)g->q_lora_rank : h;
        p += rq * ih * id + h * id + 2 * id + h * ih;
    }
    return p;
}

/* Width of the recurrent mixer's causal convolution input, and of its state. */
static double conv_dim(const struct rt_group *g)
{
    return (double)g->lin_heads * (double)g->lin_v_dim + 2.0 * (double)g->lin_k_heads * (double)g->lin_k_dim;
}

static double recurrent_params(double h, const struct rt_group *g)
{
    double nv = (double)g->lin_heads, dv = (double)g->lin_v_dim;
    double inner = nv * dv, key = (double)g->lin_k_heads * (double)g->lin_k_dim, cd = conv_dim(g);
    double K = (double)g->conv_kernel;
    if (g->mixer == RT_MIX_MAMBA2) {
        /* Mamba2 (state-spaces/mamba mamba2.py; transformers NemotronHMamba2Mixer):
         * in_proj hidden -> [z, x, B, C, dt] = 2 d_inner + 2 groups d_state + heads,
         * depthwise conv1d with bias, dt_bias, A_log and D per head, gated RMSNorm
         * over d_inner, out_proj d_inner -> hidden */
        return h * (2 * inner + 2 * key + nv) + cd * K + cd + 3 * nv + inner + inner * h;
    }
    /* Gated DeltaNet (transformers Qwen3NextGatedDeltaNet): in_proj_qkvz hidden ->
     * 2 key_dim + 2 value_dim, in_proj_ba hidden -> 2 value heads, conv1d without
     * bias, dt_bias and A_log per value head, gated RMSNorm over the head's value
     * dim, out_proj value_dim -> hidden */
    return h * (2 * key + 2 * inner) + h * 2 * nv + cd * K + 2 * nv + dv + inner * h;
}

static double ffn_params(double h, enum rt_ffn kind, bool bias, int64_t width)
{
    double f = (double)width;
    if (kind == RT_FFN_GATED)
        return 3 * h * f + (bias ? 2 * f + h : 0);
    return 2 * h * f + (bias ? f + h : 0);
}

void rt_group_params(const struct rt_model *m, const struct rt_group *g, struct rt_group_params *out)
{
    double h = (double)m->hidden;
    memset(out, 0, sizeof *out);
    if (g->mixer == RT_MIX_ATTENTION)
        out->mixer = attention_params(h, g);
    else if (g->mixer == RT_MIX_MAMBA2 || g->mixer == RT_MIX_DELTANET)
        out->mixer = recurrent_params(h, g);
    if (g->experts > 0) {
        /* latent MoE (NemotronHMoE with moe_latent_size): the routed experts run at
         * the latent width between a down and an up projection of the hidden state */
        double in = g->expert_in > 0 ? (double)g->expert_in : h;
        double latent = g->expert_in > 0 ? 2 * h * in : 0;
        double e = ffn_params(in, g->ffn, g->mlp_bias, g->expert_intermediate);
        double shared = g->shared_intermediate > 0 ? ffn_params(h, g->ffn, g->mlp_bias, g->shared_intermediate) : 0;
        double router = (double)g->experts * h + (g->router_bias ? (double)g->experts : 0);
        out->expert = e;
        out->ffn_total = (double)g->experts * e + shared + router + latent;
        out->ffn_active = (double)g->experts_per_token * e + shared + router + latent;
    } else if (g->intermediate > 0) {
        out->ffn_total = out->ffn_active = ffn_params(h, g->ffn, g->mlp_bias, g->intermediate);
    }
    out->norms = (double)g->norms * (m->norm == RT_NORM_LAYER ? 2 * h : h);
}

double rt_group_experts_touched(const struct rt_group *g, double tokens)
{
    if (g->experts <= 0)
        return 0;
    /* Distinct routed experts hit by `tokens` tokens under uniform routing. */
    double e = (double)g->experts, k = (double)g->experts_per_token;
    return e * (1.0 - pow(1.0 - k / e, tokens));
}

const struct rt_group *rt_params_groups(const struct rt_params *p, const struct rt_model *m, int *n)
{
    if (p && p->n_groups > 0) {
        *n = p->n_groups;
        return p->groups;
    }
    return rt_groups(m, n);
}

void rt_count_params(const struct rt_model *m, struct rt_params *p)
{
    memset(p, 0, sizeof *p);
    p->n_groups = rt_model_groups(m, p->groups);
    const struct rt_group *g = p->groups;
    int n = p->n_groups;
    double h = (double)m->hidden;
    double dense_ffn = 0, moe_total = 0, moe_active = 0;
    for (int i = 0; i < n; i++) {
        struct rt_group_params gp;
        rt_group_params(m, &g[i], &gp);
        double c = (double)g[i].count;
        p->attn += c * gp.mixer;
        p->ffn += c * gp.ffn_total;
        p->ffn_active += c * gp.ffn_active;
        p->norms += c * gp.norms;
        if (g[i].experts > 0) {
            p->moe_layers += g[i].count;
            moe_total += c * gp.ffn_total;
            moe_active += c * gp.ffn_active;
            p->routed += c * (double)g[i].experts * gp.expert;
            if (p->expert_params == 0)
                p->expert_params = gp.expert;
        } else {
            p->dense_layers += g[i].count;
            dense_ffn += c * gp.ffn_total;
        }
    }
    double L = (double)(m->layers > 0 ? m->layers : 1);
    p->attn_layer = p->attn / L;
    p->norm_layer = p->norms / L;
    p->ffn_dense_layer = p->dense_layers > 0 ? dense_ffn / (double)p->dense_layers : 0;
    p->ffn_moe_total_layer = p->moe_layers > 0 ? moe_total / (double)p->moe_layers : 0;
    p->ffn_moe_active_layer = p->moe_layers > 0 ? moe_active / (double)p->moe_layers : 0;
    double per_norm = m->norm == RT_NORM_LAYER ? 2 * h : h;
    /* the final norm, and BLOOM's word_embeddings_layernorm */
    p->final_norm = per_norm * (m->embed_norm ? 2 : 1);
    /* the token table, and a learned position table (GPT-2 wpe, OPT embed_positions) */
    p->embed = ((double)m->vocab + (double)m->positions) * h;
    if (m->shares_embed)
        p->embed = 0; /* an EAGLE-3 head reads the target's embedding: it holds none */
    p->head = m->tied_embeddings ? 0 : (double)m->vocab * h + (m->lm_head_bias ? (double)m->vocab : 0);
    p->extra = m->extra_params;
    p->layer_weights = p->attn + p->ffn + p->norms;
    double fixed = p->embed + p->head + p->final_norm;
    p->total = p->layer_weights + fixed + p->extra;
    p->active = p->attn + p->ffn_active + p->norms + fixed;
}
