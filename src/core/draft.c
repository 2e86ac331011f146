/* draft.c - a model's own multi-token-prediction layers as a speculative draft
 * (doc/method.md).
 *
 * DeepSeek-V3's MTP module (DeepSeek-V3 Technical Report, arXiv 2412.19437, "Multi-
 * Token Prediction"; deepseek-ai/DeepSeek-V3 config.json num_nextn_predict_layers 1):
 * one transformer block of the main model's kind, fed a projection M of the
 * concatenated [RMSNorm(hidden state); RMSNorm(embedding of the next token)] (2h x h,
 * eh_proj), with the embedding and output head shared with the main model.  GLM-4.5
 * (zai-org/GLM-4.5 config.json, num_nextn_predict_layers 1) ships the same layout;
 * Qwen3-Next ships one MTP layer (vLLM qwen3_next_mtp.py: num_nextn_predict_layers,
 * default 1) with a 2h x h `fc`, the block being a full-attention MoE layer.  As a
 * draft, each MTP step is that block plus its projection and the shared head; the
 * engines (vLLM's spec_decode proposer) read the target's embedding and head rather
 * than load them again, so memory counts the block, its projection and three norms.
 */
#include <stdio.h>
#include <string.h>
#include "core/core.h"

bool rt_mtp_draft(const struct rt_model *m, struct rt_model *out)
{
    if (m->mtp_layers <= 0)
        return false;
    int n;
    const struct rt_group *g = rt_groups(m, &n);
    /* the block: the last full-attention MoE group, else the last attention group */
    int pick = -1;
    for (int i = 0; i < n; i++)
        if (g[i].mixer == RT_MIX_ATTENTION && g[i].experts > 0 && g[i].attn == RT_ATTN_FULL)
            pick = i;
    for (int i = 0; i < n && pick < 0; i++)
        if (g[i].mixer == RT_MIX_ATTENTION)
            pick = i;
    if (pick < 0)
        return false;
    struct rt_group block = g[pick];
    *out = *m;
    snprintf(out->id, sizeof out->id, "%.*s-mtp", (int)(sizeof out->id - 5), m->id);
    snprintf(out->name, sizeof out->name, "%.*s MTP", (int)(sizeof out->name - 5), m->name);
    block.count = m->mtp_layers;
    block.first = 0;
    out->n_groups = 1;
    out->group[0] = block;
    out->layers = m->mtp_layers;
    out->first_dense = 0;
    out->mtp_layers = 0;
    out->official_params = out->official_active = 0;
    double h = (double)m->hidden;
    out->draft_proj_params = (double)m->mtp_layers * 2.0 * h * h; /* eh_proj / fc */
    out->extra_params = (double)m->mtp_layers * 3.0 * h;           /* enorm, hnorm, the head's norm */
    out->shares_embed_head = true;
    return true;
}
