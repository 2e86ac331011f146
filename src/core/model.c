/* model.c - a model's sizes checked before any figure is computed from them. */
#include <stdio.h>
#include "core/core.h"

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return RT_EINVAL; } while (0)
/* Counts beyond this make products such as vocab*hidden*tokens lose integer precision. */

/* Caps on a model's sizes (the catalog reader's limits), so that no product of
 * two of them overflows 64 bits: widths of the hidden state up to 2^24,
 * feed-forward widths and vocabularies up to 2^26, layers, heads, head sizes
 * and experts up to 2^16, latent ranks up to 2^20.  The largest published
 * models are far inside (hidden 16,384, FFN 53,248, vocab 256k, 384 experts). */
#define RT_HIDDEN_MAX ((int64_t)1 << 24)
#define RT_WIDTH_MAX ((int64_t)1 << 26)
#define RT_SMALL_MAX ((int64_t)1 << 16)
#define RT_RANK_MAX ((int64_t)1 << 20)

static bool bad_count(int64_t v, int64_t min) { return v < min || v > RT_COUNT_MAX; }
static bool over(int64_t v, int64_t max) { return v > max; }

int rt_validate_model(const struct rt_model *m, char *err, size_t errlen)
{
    const char *id = m->id[0] ? m->id : "model";
    if (bad_count(m->layers, 1)) FAIL("%s: num_hidden_layers must be at least 1", id);
    if (bad_count(m->hidden, 1)) FAIL("%s: hidden_size must be at least 1", id);
    if (bad_count(m->heads, 1)) FAIL("%s: num_attention_heads must be at least 1", id);
    if (bad_count(m->vocab, 1)) FAIL("%s: vocab_size must be at least 1", id);
    if (bad_count(m->intermediate, 0)) FAIL("%s: intermediate_size out of range", id);
    if (m->kv_lora_rank > 0) { /* the plain view's own fields (the groups are checked below) */
        if (bad_count(m->rope_dim, 0) || bad_count(m->nope_dim, 1) || bad_count(m->v_head_dim, 1) ||
            bad_count(m->q_lora_rank, 0) || bad_count(m->kv_lora_rank, 1))
            FAIL("%s: latent attention needs qk_nope_head_dim, qk_rope_head_dim and v_head_dim", id);
    } else {
        if (bad_count(m->kv_heads, 1)) FAIL("%s: num_key_value_heads must be at least 1", id);
        if (m->heads % m->kv_heads != 0)
            FAIL("%s: num_attention_heads (%lld) is not a multiple of num_key_value_heads (%lld)", id,
                 (long long)m->heads, (long long)m->kv_heads);
        if (bad_count(m->head_dim, 1) || bad_count(m->v_head_dim, 1))
            FAIL("%s: head_dim must be at least 1", id);
    }
    if (m->experts > 0) {
        if (bad_count(m->experts_per_token, 1) || m->experts_per_token > m->experts)
            FAIL("%s: experts_per_token must be between 1 and the number of experts", id);
        if (bad_count(m->expert_intermediate, 1)) FAIL("%s: moe_intermediate_size must be at least 1", id);
        if (bad_count(m->shared_experts, 0) || bad_count(m->first_dense, 0))
            FAIL("%s: shared experts and dense layers must not be negative", id);
    }
    if (over(m->hidden, RT_HIDDEN_MAX)) FAIL("%s: hidden_size over %lld", id, (long long)RT_HIDDEN_MAX);
    if (over(m->intermediate, RT_WIDTH_MAX) || over(m->expert_intermediate, RT_WIDTH_MAX))
        FAIL("%s: intermediate sizes over %lld", id, (long long)RT_WIDTH_MAX);
    if (over(m->vocab, RT_WIDTH_MAX)) FAIL("%s: vocab_size over %lld", id, (long long)RT_WIDTH_MAX);
    if (over(m->layers, RT_SMALL_MAX) || over(m->heads, RT_SMALL_MAX) || over(m->kv_heads, RT_SMALL_MAX) ||
        over(m->head_dim, RT_SMALL_MAX) || over(m->v_head_dim, RT_SMALL_MAX) || over(m->rope_dim, RT_SMALL_MAX) ||
        over(m->nope_dim, RT_SMALL_MAX))
        FAIL("%s: layers, heads and head sizes must be at most %lld", id, (long long)RT_SMALL_MAX);
    if (over(m->experts, RT_SMALL_MAX) || over(m->shared_experts, RT_SMALL_MAX) || over(m->first_dense, RT_SMALL_MAX))
        FAIL("%s: expert counts must be at most %lld", id, (long long)RT_SMALL_MAX);
    if (over(m->kv_lora_rank, RT_RANK_MAX) || over(m->q_lora_rank, RT_RANK_MAX))
        FAIL("%s: latent ranks must be at most %lld", id, (long long)RT_RANK_MAX);
    if (m->max_context < 0 || over(m->max_context, RT_COUNT_MAX)) FAIL("%s: context length out of range", id);
    if (m->norms_per_layer < 0 || m->norms_per_layer > 8) FAIL("%s: norms per layer out of range", id);
    if (m->n_groups < 0 || m->n_groups > RT_GROUPS_MAX) FAIL("%s: %d layer groups (at most %d)", id, m->n_groups, RT_GROUPS_MAX);
    if (!(m->extra_params >= 0 && m->extra_params < 1e15)) FAIL("%s: extra parameters out of range", id);
    if (m->mtp_layers < 0 || m->mtp_layers > 64) FAIL("%s: multi-token-prediction layers out of range", id);
    if (!(m->draft_accept >= 0 && m->draft_accept <= 1)) FAIL("%s: draft acceptance rate must be in [0, 1]", id);
    if (!(m->draft_proj_params >= 0 && m->draft_proj_params < 1e15)) FAIL("%s: draft projection out of range", id);
    int64_t counted = 0;
    for (int i = 0; i < m->n_groups; i++) {
        const struct rt_group *g = &m->group[i];
        if (bad_count(g->count, 1)) FAIL("%s: layer group %d: no layers", id, i + 1);
        counted += g->count;
        if (g->mixer == RT_MIX_ATTENTION) {
            if (bad_count(g->heads, 1)) FAIL("%s: layer group %d: attention heads must be at least 1", id, i + 1);
            if (rt_group_mla(g)) {
                if (bad_count(g->nope_dim, 1) || bad_count(g->rope_dim, 0) || bad_count(g->v_head_dim, 1) ||
                    bad_count(g->q_lora_rank, 0) || bad_count(g->kv_lora_rank, 1))
                    FAIL("%s: layer group %d: latent attention dimensions out of range", id, i + 1);
            } else if (bad_count(g->kv_heads, 1) || g->heads % g->kv_heads != 0 || bad_count(g->head_dim, 1) ||
                       bad_count(g->v_head_dim, 1)) {
                FAIL("%s: layer group %d: KV heads must divide the heads, head dims at least 1", id, i + 1);
            }
            if (g->attn != RT_ATTN_FULL && bad_count(g->window, 1))
                FAIL("%s: layer group %d: a window or chunk of at least one token is needed", id, i + 1);
            if (bad_count(g->index_heads, 0) || bad_count(g->index_head_dim, 0) || bad_count(g->index_topk, 0))
                FAIL("%s: layer group %d: indexer sizes out of range", id, i + 1);
        } else if (g->mixer != RT_MIX_NONE) {
            if (bad_count(g->lin_heads, 1) || bad_count(g->lin_v_dim, 1) || bad_count(g->lin_k_heads, 1) ||
                bad_count(g->lin_k_dim, 1) || bad_count(g->conv_kernel, 0) || g->conv_kernel > 64)
                FAIL("%s: layer group %d: recurrent mixer sizes out of range", id, i + 1);
        }
        if (bad_count(g->intermediate, 0)) FAIL("%s: layer group %d: FFN width out of range", id, i + 1);
        if (g->experts > 0 && (bad_count(g->experts_per_token, 1) || g->experts_per_token > g->experts ||
                               bad_count(g->expert_intermediate, 1) || bad_count(g->shared_intermediate, 0)))
            FAIL("%s: layer group %d: experts per token must be 1..experts, expert widths at least 1", id, i + 1);
        if (g->norms < 0 || g->norms > 8) FAIL("%s: layer group %d: norms per layer out of range", id, i + 1);
        if (over(g->heads, RT_SMALL_MAX) || over(g->kv_heads, RT_SMALL_MAX) || over(g->head_dim, RT_SMALL_MAX) ||
            over(g->v_head_dim, RT_SMALL_MAX) || over(g->rope_dim, RT_SMALL_MAX) || over(g->nope_dim, RT_SMALL_MAX) ||
            over(g->index_heads, RT_SMALL_MAX) || over(g->index_head_dim, RT_SMALL_MAX) ||
            over(g->lin_heads, RT_SMALL_MAX) || over(g->lin_v_dim, RT_SMALL_MAX) ||
            over(g->lin_k_heads, RT_SMALL_MAX) || over(g->lin_k_dim, RT_SMALL_MAX) || over(g->experts, RT_SMALL_MAX) ||
            over(g->experts_per_token, RT_SMALL_MAX) || over(g->kv_lora_rank, RT_RANK_MAX) ||
            over(g->q_lora_rank, RT_RANK_MAX) || over(g->intermediate, RT_WIDTH_MAX) ||
            over(g->expert_intermediate, RT_WIDTH_MAX) || over(g->shared_intermediate, RT_WIDTH_MAX) ||
            over(g->expert_in, RT_HIDDEN_MAX) || g->expert_in < 0 || g->state_bits < 0 || g->state_bits > 64)
            FAIL("%s: layer group %d: a size beyond the readers' limits", id, i + 1);
    }
    if (m->n_groups < 1) /* a model written by hand builds them: rt_plain_groups */
        FAIL("%s: no layer groups (the readers build them)", id);
    if (counted != m->layers)
        FAIL("%s: the layer groups hold %lld layers, not num_hidden_layers (%lld)", id, (long long)counted,
             (long long)m->layers);
    if (m->window < 0 || over(m->window, RT_COUNT_MAX)) FAIL("%s: sliding_window out of range", id);
    double hv = (double)m->hidden * (double)m->vocab * (double)m->layers;
    if (hv > 1e18) FAIL("%s: sizes too large (their products overflow)", id);
    return RT_OK;
}

