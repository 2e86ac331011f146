/* solve.c - the largest batch, the longest context, the fewest devices and the
 * fewest expert-offload blocks that fit. */
#include "core/core.h"

/* The bytes left on the fullest device (>= 0: it fits). */
static double room(const struct rt_scenario *s, const struct rt_params *p, int64_t batch, int64_t prompt,
                   int64_t context)
{
    struct rt_memory mem;
    rt_memory_at(s, p, batch, prompt, context, &mem);
    return rt_memory_room(s, &mem); /* unified memory: within the GPU's share, not paging */
}

static bool fits(const struct rt_scenario *s, const struct rt_params *p, int64_t batch,
                 int64_t prompt, int64_t context)
{
    return room(s, p, batch, prompt, context) >= 0;
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

/* The largest batch (the prompt and context given) or the longest context (the
 * batch given) that fits, n from 1 to hi. */
struct span {
    const struct rt_scenario *s;
    const struct rt_params *p;
    bool context;                   /* n is the context (the batch given), else the batch */
    int64_t batch, ctx;
};

static double span_room(const struct span *q, int64_t n)
{
    if (!q->context)
        return room(q->s, q->p, n, q->s->prompt, q->ctx);
    return room(q->s, q->p, q->batch, n > q->s->output ? n - q->s->output : 0, n);
}

/* Memory grows about linearly in the batch and in the context, in pieces: the
 * secant through the last two memory accounts places the edge, each account
 * narrows the last n that fits (yes) and the first that does not (no), and the
 * bisection over the whole span then needs accounts only between them, the room
 * being monotone in n.  The answer is the bisection's, in a few accounts instead
 * of log2(hi) (41 for a batch). */
static int64_t span_max(const struct span *q, int64_t hi)
{
    int64_t yes = 0, no = hi + 1, best;
    double r1 = span_room(q, 1), r2 = hi >= 2 && r1 >= 0 ? span_room(q, 2) : -1;
    if (!(r1 >= 0)) {
        no = 1;
    } else if (!(r2 >= 0)) {
        yes = 1;
        no = 2;
    } else {
        yes = 2;
        int64_t na = 1, nb = 2;
        double ra = r1, rb = r2;
        for (int k = 0; k < 12 && no - yes > 1; k++) {
            double est = ra > rb ? (double)nb + rb * (double)(nb - na) / (ra - rb) : (double)hi;
            int64_t n = !(est >= (double)(yes + 1)) ? yes + 1 : est >= (double)(no - 1) ? no - 1 : (int64_t)est;
            double r = span_room(q, n);
            if (r >= 0)
                yes = n;
            else
                no = n;
            na = nb, ra = rb;
            nb = n, rb = r;
        }
    }
    BISECT(1, hi, n <= yes || (n < no && span_room(q, n) >= 0), best);
    return best < 1 ? 0 : best;
}

int64_t rt_max_batch(const struct rt_scenario *s, const struct rt_params *p, int64_t context)
{
    struct span q = { s, p, false, 0, context };
    return span_max(&q, RT_SOLVE_MAX);
}

int64_t rt_max_context(const struct rt_scenario *s, const struct rt_params *p, int64_t batch)
{
    /* no further than the model's trained context: beyond it the model needs
     * rope scaling, which is a different model, not a memory question */
    int64_t hi = s->model->max_context > 0 && s->model->max_context < RT_SOLVE_MAX ? s->model->max_context
                                                                                   : RT_SOLVE_MAX;
    /* the output stays as given and the prompt takes the rest of the context
     * (prefill activations are sized by the prompt) */
    struct span q = { s, p, true, batch, 0 };
    return span_max(&q, hi);
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
