/* kvcache.c - KV cache and recurrent state sizes (doc/method.md),
 * summed over the layer groups. */
#include "core/core.h"

double rt_group_kv_token_bytes(const struct rt_model *m, const struct rt_group *g, const struct rt_format *kv,
                               bool from_hidden)
{
    if (g->mixer != RT_MIX_ATTENTION)
        return 0;
    double b = kv->bits / 8.0;
    if (from_hidden) /* the seeds' simplification: K and V of width hidden_size */
        return 2.0 * (double)m->hidden * b;
    double per;
    if (rt_group_mla(g)) /* MLA caches the latent and the shared RoPE key */
        per = (double)(g->kv_lora_rank + g->rope_dim);
    else
        per = (double)g->kv_heads * (double)(g->head_dim + g->v_head_dim);
    /* DSA: the indexer keeps one key of index_head_dim per token beside the latent */
    if (g->index_heads > 0)
        per += (double)g->index_head_dim;
    return per * b;
}

double rt_group_kv_kept(const struct rt_group *g, double context)
{
    if (g->mixer != RT_MIX_ATTENTION)
        return 0;
    if (g->attn != RT_ATTN_FULL && g->window > 0 && context > (double)g->window)
        return (double)g->window; /* a window or a chunk caps the tokens kept */
    return context;
}

double rt_group_state_bytes(const struct rt_group *g, const struct rt_format *kv)
{
    if (g->mixer != RT_MIX_MAMBA2 && g->mixer != RT_MIX_DELTANET)
        return 0;
    /* the recurrent state (value heads x value dim x key dim) and the causal
     * convolution's last kernel-1 inputs (vLLM's mamba / GDN cache layout).  As
     * vLLM allocates them (model_executor/layers/mamba/mamba_utils.py,
     * MambaStateDtypeCalculator._mamba_state_dtype): the convolution state in the
     * cache's type, the recurrent state in the type the config fixes
     * (mamba_ssm_dtype, mamba_ssm_cache_dtype) or else the same */
    double conv = (double)g->lin_heads * (double)g->lin_v_dim + 2.0 * (double)g->lin_k_heads * (double)g->lin_k_dim;
    double K = g->conv_kernel > 1 ? (double)(g->conv_kernel - 1) : 0;
    double ssm = (double)g->lin_heads * (double)g->lin_v_dim * (double)g->lin_k_dim;
    double bits = g->state_bits > 0 ? (double)g->state_bits : kv->bits;
    return ssm * bits / 8.0 + conv * K * kv->bits / 8.0;
}

/* Bytes one layer stores per token: the main attention group's (rt_main_attention,
 * what the single-figure helpers describe). */
double rt_kv_layer_bytes(const struct rt_model *m, const struct rt_format *kv, bool from_hidden)
{
    const struct rt_group *a = rt_main_attention(m);
    return a ? rt_group_kv_token_bytes(m, a, kv, from_hidden) : 0;
}

double rt_kv_bytes_per_token(const struct rt_model *m, const struct rt_format *kv, bool from_hidden)
{
    int n;
    const struct rt_group *g = rt_groups(m, &n);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += (double)g[i].count * rt_group_kv_token_bytes(m, &g[i], kv, from_hidden);
    return sum;
}

int64_t rt_local_layers(const struct rt_model *m)
{
    int n;
    const struct rt_group *g = rt_groups(m, &n);
    int64_t local = 0;
    for (int i = 0; i < n; i++)
        if (g[i].mixer == RT_MIX_ATTENTION && g[i].attn != RT_ATTN_FULL && g[i].window > 0)
            local += g[i].count;
    return local;
}

double rt_kv_seq_bytes(const struct rt_model *m, const struct rt_format *kv, bool from_hidden,
                       int64_t context)
{
    int n;
    const struct rt_group *g = rt_groups(m, &n);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += (double)g[i].count * rt_group_kv_token_bytes(m, &g[i], kv, from_hidden) *
               rt_group_kv_kept(&g[i], (double)context);
    return sum;
}

double rt_state_bytes_per_sequence(const struct rt_model *m, const struct rt_format *kv)
{
    int n;
    const struct rt_group *g = rt_groups(m, &n);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += (double)g[i].count * rt_group_state_bytes(&g[i], kv);
    return sum;
}

double rt_group_tp_share(const struct rt_group *g, int64_t tp, bool from_hidden)
{
    /* KV heads are split over the TP group; when tp exceeds the KV heads (or for
     * MLA's single latent) each device keeps whole heads: max(n_kv/t, 1)/n_kv.
     * Recurrent states split by value heads. */
    double nkv;
    if (g->mixer == RT_MIX_ATTENTION)
        nkv = rt_group_mla(g) ? 1.0 : (from_hidden ? (double)g->heads : (double)g->kv_heads);
    else
        nkv = (double)g->lin_heads;
    if (nkv < 1)
        nkv = 1;
    double per = nkv / (double)tp;
    if (per < 1.0)
        per = 1.0;
    return per / nkv;
}

double rt_kv_tp_share(const struct rt_model *m, int64_t tp, bool from_hidden)
{
    const struct rt_group *a = rt_main_attention(m);
    return a ? rt_group_tp_share(a, tp, from_hidden) : 1.0 / (double)tp;
}

double rt_kv_seq_dev_bytes(const struct rt_model *m, const struct rt_format *kv, bool from_hidden,
                           int64_t context, int64_t tp)
{
    int n;
    const struct rt_group *g = rt_groups(m, &n);
    return rt_kv_groups_dev_bytes(m, g, n, kv, from_hidden, context, tp);
}

double rt_kv_groups_dev_bytes(const struct rt_model *m, const struct rt_group *g, int n, const struct rt_format *kv,
                              bool from_hidden, int64_t context, int64_t tp)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double per = rt_group_kv_token_bytes(m, &g[i], kv, from_hidden) * rt_group_kv_kept(&g[i], (double)context) +
                     rt_group_state_bytes(&g[i], kv);
        sum += (double)g[i].count * per * rt_group_tp_share(&g[i], tp, from_hidden);
    }
    return sum;
}
