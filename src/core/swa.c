/* swa.c - what an engine does with a model's sliding-window layers (doc/method.md,
 * "Sliding windows by engine"): the engine profile's swa_kv applied to the layer
 * groups the memory account and the step time use. */
#include "core/core.h"

/* Whether the engine runs group g as a sliding window, given whether the model
 * also has full-attention layers. */
static bool keeps_window(int policy, bool mixed)
{
    switch (policy) {
    case RT_SWAKV_FULL:
        return false;
    case RT_SWAKV_HYBRID:
        return mixed;
    default:
        return true;
    }
}

int64_t rt_engine_swa_groups(const struct rt_engine *e, struct rt_group *g, int n)
{
    if (!e || e->swa_kv == RT_SWAKV_WINDOW)
        return 0;
    bool sliding = false, full = false;
    for (int i = 0; i < n; i++) {
        if (g[i].mixer != RT_MIX_ATTENTION)
            continue;
        if (g[i].attn == RT_ATTN_SLIDING && g[i].window > 0)
            sliding = true;
        else if (g[i].attn == RT_ATTN_FULL || g[i].window <= 0)
            full = true;
    }
    if (!sliding || keeps_window(e->swa_kv, full))
        return 0;
    /* the window is not applied: the layer keeps and attends to every token */
    int64_t w = 0;
    for (int i = 0; i < n; i++)
        if (g[i].mixer == RT_MIX_ATTENTION && g[i].attn == RT_ATTN_SLIDING) {
            g[i].attn = RT_ATTN_FULL;
            if (g[i].window > 0 && (w == 0 || g[i].window < w))
                w = g[i].window;
        }
    return w;
}

bool rt_scenario_params(const struct rt_scenario *s, struct rt_params *p)
{
    rt_count_params(s->model, p);
    if (p->n_groups <= 0)
        return false;
    int64_t w = rt_engine_swa_groups(s->engine, p->groups, p->n_groups);
    return w > 0 && s->prompt + s->output > w;
}
