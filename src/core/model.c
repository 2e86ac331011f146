/* model.c - a model's sizes checked before any figure is computed from them. */
#include <stdarg.h>
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

/* Where a group's check failed: the model, and the group where it has several (the
 * name is written only then, so that a good model costs no formatting). */
struct at { const struct rt_model *m; const char *id; int i; };

__attribute__((format(printf, 4, 5))) static int gfail(const struct at *a, char *err, size_t errlen, const char *fmt, ...)
{
    int l = a->m->n_groups > 1 ? snprintf(err, errlen, "%s: layer group %d: ", a->id, a->i + 1)
                               : snprintf(err, errlen, "%s: ", a->id);
    if (l >= 0 && (size_t)l < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + l, errlen - (size_t)l, fmt, ap);
        va_end(ap);
    }
    return RT_EINVAL;
}
#define GFAIL(...) return gfail(at, err, errlen, __VA_ARGS__)

/* One attention group's shape. */
static int check_attention(const struct rt_group *g, const struct at *at, char *err, size_t errlen)
{
    if (bad_count(g->heads, 1)) GFAIL("num_attention_heads must be at least 1");
    if (rt_group_mla(g)) {
        if (bad_count(g->nope_dim, 1) || bad_count(g->rope_dim, 0) || bad_count(g->v_head_dim, 1) ||
            bad_count(g->q_lora_rank, 0) || bad_count(g->kv_lora_rank, 1))
            GFAIL("latent attention needs qk_nope_head_dim, qk_rope_head_dim and v_head_dim");
    } else {
        if (bad_count(g->kv_heads, 1)) GFAIL("num_key_value_heads must be at least 1");
        if (g->heads % g->kv_heads != 0)
            GFAIL("num_attention_heads (%lld) is not a multiple of num_key_value_heads (%lld)",
                  (long long)g->heads, (long long)g->kv_heads);
        if (bad_count(g->head_dim, 1) || bad_count(g->v_head_dim, 1)) GFAIL("head_dim must be at least 1");
    }
    if (g->attn != RT_ATTN_FULL && bad_count(g->window, 1))
        GFAIL("a window or chunk of at least one token is needed");
    if (bad_count(g->window, 0)) GFAIL("sliding_window out of range");
    if (bad_count(g->index_heads, 0) || bad_count(g->index_head_dim, 0) || bad_count(g->index_topk, 0))
        GFAIL("indexer sizes out of range");
    return RT_OK;
}

/* One group's FFN and the caps on its sizes. */
static int check_ffn_and_caps(const struct rt_group *g, const struct at *at, char *err, size_t errlen)
{
    if (bad_count(g->intermediate, 0)) GFAIL("intermediate_size out of range");
    if (g->experts > 0) {
        if (bad_count(g->experts_per_token, 1) || g->experts_per_token > g->experts)
            GFAIL("experts_per_token must be between 1 and the number of experts");
        if (bad_count(g->expert_intermediate, 1)) GFAIL("moe_intermediate_size must be at least 1");
        if (bad_count(g->shared_intermediate, 0)) GFAIL("shared experts must not be negative");
    }
    if (g->norms < 0 || g->norms > 8) GFAIL("norms per layer out of range");
    if (over(g->intermediate, RT_WIDTH_MAX) || over(g->expert_intermediate, RT_WIDTH_MAX) ||
        over(g->shared_intermediate, RT_WIDTH_MAX))
        GFAIL("intermediate sizes over %lld", (long long)RT_WIDTH_MAX);
    if (over(g->heads, RT_SMALL_MAX) || over(g->kv_heads, RT_SMALL_MAX) || over(g->head_dim, RT_SMALL_MAX) ||
        over(g->v_head_dim, RT_SMALL_MAX) || over(g->rope_dim, RT_SMALL_MAX) || over(g->nope_dim, RT_SMALL_MAX))
        GFAIL("layers, heads and head sizes must be at most %lld", (long long)RT_SMALL_MAX);
    if (over(g->experts, RT_SMALL_MAX) || over(g->experts_per_token, RT_SMALL_MAX))
        GFAIL("expert counts must be at most %lld", (long long)RT_SMALL_MAX);
    if (over(g->kv_lora_rank, RT_RANK_MAX) || over(g->q_lora_rank, RT_RANK_MAX))
        GFAIL("latent ranks must be at most %lld", (long long)RT_RANK_MAX);
    if (over(g->index_heads, RT_SMALL_MAX) || over(g->index_head_dim, RT_SMALL_MAX) ||
        over(g->lin_heads, RT_SMALL_MAX) || over(g->lin_v_dim, RT_SMALL_MAX) || over(g->lin_k_heads, RT_SMALL_MAX) ||
        over(g->lin_k_dim, RT_SMALL_MAX) || over(g->expert_in, RT_HIDDEN_MAX) || g->expert_in < 0 ||
        g->state_bits < 0 || g->state_bits > 64)
        GFAIL("a size beyond the readers' limits");
    return RT_OK;
}

/* One layer group: where it sits, its mixer, its FFN.  The messages name the
 * config.json field, and the group where the model has more than one. */
static int check_group(const struct rt_model *m, int i, const char *id, char *err, size_t errlen)
{
    const struct rt_group *g = &m->group[i];
    const struct at where = { m, id, i }, *at = &where;
    if (bad_count(g->count, 1)) GFAIL("no layers");
    if (g->first < 0 || g->first + g->count > m->layers)
        GFAIL("%lld layers from layer %d run past num_hidden_layers (%lld)", (long long)g->count, g->first,
              (long long)m->layers);
    if (g->mixer == RT_MIX_ATTENTION) {
        if (check_attention(g, at, err, errlen) != RT_OK)
            return RT_EINVAL;
    } else if (g->mixer != RT_MIX_NONE) {
        if (bad_count(g->lin_heads, 1) || bad_count(g->lin_v_dim, 1) || bad_count(g->lin_k_heads, 1) ||
            bad_count(g->lin_k_dim, 1) || bad_count(g->conv_kernel, 0) || g->conv_kernel > 64)
            GFAIL("recurrent mixer sizes out of range");
    }
    return check_ffn_and_caps(g, at, err, errlen);
}

/* The model is its layer groups (the plain fields are a view of them, for display:
 * core.h); what is checked here is the groups and the model-wide sizes. */
int rt_validate_model(const struct rt_model *m, char *err, size_t errlen)
{
    const char *id = m->id[0] ? m->id : "model";
    if (bad_count(m->layers, 1)) FAIL("%s: num_hidden_layers must be at least 1", id);
    if (bad_count(m->hidden, 1)) FAIL("%s: hidden_size must be at least 1", id);
    if (bad_count(m->vocab, 1)) FAIL("%s: vocab_size must be at least 1", id);
    if (over(m->hidden, RT_HIDDEN_MAX)) FAIL("%s: hidden_size over %lld", id, (long long)RT_HIDDEN_MAX);
    if (over(m->vocab, RT_WIDTH_MAX)) FAIL("%s: vocab_size over %lld", id, (long long)RT_WIDTH_MAX);
    if (over(m->layers, RT_SMALL_MAX))
        FAIL("%s: layers, heads and head sizes must be at most %lld", id, (long long)RT_SMALL_MAX);
    if (m->max_context < 0 || over(m->max_context, RT_COUNT_MAX)) FAIL("%s: context length out of range", id);
    if (m->n_groups < 0 || m->n_groups > RT_GROUPS_MAX) FAIL("%s: %d layer groups (at most %d)", id, m->n_groups, RT_GROUPS_MAX);
    if (!(m->extra_params >= 0 && m->extra_params < 1e15)) FAIL("%s: extra parameters out of range", id);
    if (m->mtp_layers < 0 || m->mtp_layers > 64) FAIL("%s: multi-token-prediction layers out of range", id);
    if (!(m->draft_accept >= 0 && m->draft_accept <= 1)) FAIL("%s: draft acceptance rate must be in [0, 1]", id);
    if (!(m->draft_proj_params >= 0 && m->draft_proj_params < 1e15)) FAIL("%s: draft projection out of range", id);
    if (m->n_groups < 1) /* a model written by hand builds them: rt_plain_groups */
        FAIL("%s: no layer groups (the readers build them)", id);
    int64_t counted = 0;
    for (int i = 0; i < m->n_groups; i++) {
        if (check_group(m, i, id, err, errlen) != RT_OK)
            return RT_EINVAL;
        counted += m->group[i].count;
    }
    if (counted != m->layers)
        FAIL("%s: the layer groups hold %lld layers, not num_hidden_layers (%lld)", id, (long long)counted,
              (long long)m->layers);
    double hv = (double)m->hidden * (double)m->vocab * (double)m->layers;
    if (hv > 1e18) FAIL("%s: sizes too large (their products overflow)", id);
    return RT_OK;
}
