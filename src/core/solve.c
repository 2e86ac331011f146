/* solve.c - the largest batch, the longest context, the fewest devices and the
 * fewest expert-offload blocks that fit. */
#include "core/core.h"

static bool fits(const struct rt_scenario *s, const struct rt_params *p, int64_t batch,
                 int64_t prompt, int64_t context)
{
    struct rt_memory mem;
    rt_memory_at(s, p, batch, prompt, context, &mem);
    return rt_memory_room(s, &mem) >= 0; /* unified memory: within the GPU's share, not paging */
}

/* Largest n in [lo, hi] with ok(n) true, for a predicate monotone in n; lo-1 if none. */
#define BISECT(lo, hi, ok_expr, out)                   \
    do {                                               \
        int64_t a_ = (lo) - 1, b_ = (hi) + 1;          \
        while (b_ - a_ > 1) {                          \
            int64_t n = a_ + (b_ - a_) / 2;            \
            if (ok_expr) a_ = n; else b_ = n;          \
        }                                              \
        (out) = a_;                                    \
    } while (0)

#define RT_SOLVE_MAX RT_TOKENS_MAX

int64_t rt_max_batch(const struct rt_scenario *s, const struct rt_params *p, int64_t context)
{
    /* Batches fit up to a few thousand, not 2^40: the doubling from 1 finds the first
     * power of two that does not fit (no), and the bisection over the whole range
     * then needs fits() only below it and above the last that did (yes), the
     * predicate being monotone.  The same answer in about half the calls. */
    int64_t yes = 0, no = RT_SOLVE_MAX + 1, best;
    for (int64_t n = 1; n <= RT_SOLVE_MAX; n *= 2) {
        if (!fits(s, p, n, s->prompt, context)) {
            no = n;
            break;
        }
        yes = n;
    }
    BISECT(1, RT_SOLVE_MAX, n <= yes || (n < no && fits(s, p, n, s->prompt, context)), best);
    return best < 1 ? 0 : best;
}

int64_t rt_max_context(const struct rt_scenario *s, const struct rt_params *p, int64_t batch)
{
    int64_t best;
    /* no further than the model's trained context: beyond it the model needs
     * rope scaling, which is a different model, not a memory question */
    int64_t hi = s->model->max_context > 0 && s->model->max_context < RT_SOLVE_MAX ? s->model->max_context
                                                                                   : RT_SOLVE_MAX;
    /* the output stays as given and the prompt takes the rest of the context
     * (prefill activations are sized by the prompt) */
    BISECT(1, hi, fits(s, p, batch, n > s->output ? n - s->output : 0, n), best);
    return best < 1 ? 0 : best;
}

/* Tensor parallel splits the attention heads: only degrees that divide them
 * count (engines refuse the others). */
int64_t rt_min_devices(const struct rt_scenario *s, const struct rt_params *p)
{
    struct rt_scenario t = *s;
    int64_t ctx = s->prompt + s->output, heads = rt_tp_heads(s->model);
    for (int64_t n = 1; n * s->pp <= RT_DEVICES_MAX; n++) {
        if (heads > 0 && n > heads)
            break; /* (checked first: the loop must not walk on to the device limit) */
        if (heads > 0 && heads % n != 0)
            continue;
        t.devices = n * s->pp;
        t.tp = n;
        if (fits(&t, p, s->batch, s->prompt, ctx))
            return n * s->pp;
    }
    return 0;
}

int64_t rt_max_gpu_layers(const struct rt_scenario *s, const struct rt_params *p)
{
    if (!s->host)
        return -1;
    struct rt_scenario t = *s;
    int64_t ctx = s->prompt + s->output, best;
    BISECT(0, s->model->layers, (t.gpu_layers = n, fits(&t, p, s->batch, s->prompt, ctx)), best);
    return best;
}

/* --n-cpu-moe: the fewest blocks whose routed experts must sit in host memory.
 * Device memory falls as N grows, so the fit is monotone in N: bisect for the
 * largest N that does not fit. */
int64_t rt_min_cpu_moe(const struct rt_scenario *s, const struct rt_params *p)
{
    struct rt_scenario t = *s;
    t.cpu_moe = s->model->layers;
    if (rt_cpu_moe_bytes(&t, p) <= 0)
        return -1; /* no routed experts */
    int64_t ctx = s->prompt + s->output;
    struct rt_memory mem;
    rt_memory_at(&t, p, s->batch, s->prompt, ctx, &mem);
    if (rt_memory_room(&t, &mem) < 0)
        return -1; /* not even with every layer's experts in host memory (unified: within the usable share) */
    int64_t a = -1, b = s->model->layers; /* a: does not fit (or -1), b: fits */
    while (b - a > 1) {
        int64_t mid = a + (b - a) / 2;
        t.cpu_moe = mid;
        rt_memory_at(&t, p, s->batch, s->prompt, ctx, &mem);
        if (rt_memory_room(&t, &mem) >= 0)
            b = mid;
        else
            a = mid;
    }
    return b;
}
