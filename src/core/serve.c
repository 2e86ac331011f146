/* serve.c - continuous batching, step by step (doc/method.md).
 *
 * Every request has the same prompt and output, so requests are admitted,
 * finish their prefill and leave in arrival order: the running set is the
 * contiguous range [head, tail) of request indices, with [head, pf) decoding
 * and [pf, tail) still prefilling.  Decoding sequences all advance one token per
 * step, so their contexts follow from one global counter and each step costs
 * O(1) plus the prefill chunks it schedules.  While nothing is prefilling and
 * no arrival can be admitted, the steps up to the next event (a completion or
 * an arrival) are taken at once at their mean context.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/serve.h"
#include "core/limits.h"

#define DEFAULT_SEED 0x726f6f66746f70ULL /* "rooftop" */
#define SLA_REQUESTS 2000                /* requests per run of the capacity-within-targets search */
#define SLA_ITERATIONS 18

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Unit-rate exponential variate. */
static double exp1(uint64_t *x)
{
    double u = (double)(splitmix64(x) >> 11) * 0x1.0p-53; /* [0, 1) */
    return -log1p(-u);
}

struct sim {
    double *arr, *admit, *first, *done, *dstart;
    int64_t *pre;
};

static void sim_free(struct sim *m)
{
    free(m->arr);
    free(m->admit);
    free(m->first);
    free(m->done);
    free(m->dstart);
    free(m->pre);
}

static int sim_alloc(struct sim *m, int64_t n)
{
    size_t k = (size_t)n;
    memset(m, 0, sizeof *m);
    m->arr = malloc(k * sizeof *m->arr);
    m->admit = malloc(k * sizeof *m->admit);
    m->first = malloc(k * sizeof *m->first);
    m->done = malloc(k * sizeof *m->done);
    m->dstart = malloc(k * sizeof *m->dstart);
    m->pre = malloc(k * sizeof *m->pre);
    if (!m->arr || !m->admit || !m->first || !m->done || !m->dstart || !m->pre) {
        sim_free(m);
        return RT_EINVAL;
    }
    return RT_OK;
}

static int64_t slots_of(const struct rt_serve_config *c)
{
    double s = c->max_running > 0 ? (double)c->max_running : 1e15;
    if (c->kv_seq > 0) {
        double kv = floor(c->kv_capacity / c->kv_seq);
        if (kv < s)
            s = kv;
    }
    if (s < 0)
        s = 0;
    return (int64_t)s;
}

static bool config_ok(const struct rt_serve_config *c)
{
    return c && c->step && c->requests >= 1 && c->requests <= RT_REQUESTS_MAX && c->prompt >= 0 &&
           c->output >= 1 && c->max_running >= 0 && c->max_tokens >= 0 && !(c->rate <= 0) && !isnan(c->rate) &&
           !(c->kv_seq < 0) && !(c->kv_capacity < 0) && !(c->request_overhead_s < 0) && c->cached >= 0 &&
           (c->cached == 0 || c->cached < c->prompt);
}

/* The simulation proper: fills m's per-request times and r's aggregate figures
 * other than the percentiles. */
static void simulate(const struct rt_serve_config *c, struct sim *m, struct rt_serve_result *r)
{
    const int64_t n = c->requests, P = c->prompt, O = c->output, slots = r->slots;
    const double g0 = P > 0 ? 1 : 0; /* tokens a sequence has when it starts decoding */
    uint64_t seed = c->seed ? c->seed : DEFAULT_SEED;
    double t = 0;
    for (int64_t i = 0; i < n; i++) {
        if (isfinite(c->rate))
            t += exp1(&seed) / c->rate;
        m->arr[i] = t;
    }
    int64_t head = 0, pf = 0, tail = 0, fresh = 0;
    double now = m->arr[0], D = 0, sum_dstart = 0, area = 0;
    int64_t steps = 0, maxrun = 0;
    while (head < n) {
        /* admit in arrival order while slots (and so KV) allow */
        while (tail < n && m->arr[tail] <= now && tail - head < slots) {
            m->admit[tail] = now;
            m->pre[tail] = c->cached; /* a prefix-cache hit: those tokens are not prefilled */
            tail++;
        }
        if (P == 0) /* nothing to prefill: straight to decoding, first token still to come */
            while (pf < tail) {
                m->dstart[pf] = D;
                sum_dstart += D;
                pf++;
            }
        if (head == tail) { /* idle until the next arrival */
            now = m->arr[tail] > now ? m->arr[tail] : now;
            continue;
        }
        if (tail - head > maxrun)
            maxrun = tail - head;
        double Bd = (double)(pf - head);
        double ctxd = Bd > 0 ? (double)P + g0 + D - sum_dstart / Bd : 0;
        /* prefill chunks, first come first served, within what the decodes leave of the budget */
        double budget = c->max_tokens > 0 ? (double)c->max_tokens - Bd : 1e300;
        double Np = 0, span = 0;
        int64_t completed = 0;
        for (int64_t i = pf; i < tail && budget >= 1; i++) {
            double left = (double)(P - m->pre[i]);
            double ch = left < budget ? left : floor(budget);
            double a = (double)m->pre[i];
            span += ch * a + ch * (ch + 1) / 2;
            Np += ch;
            budget -= ch;
            m->pre[i] += (int64_t)ch;
            if (m->pre[i] >= P)
                completed++;
        }
        double dt, k = 1;
        if (Np == 0 && Bd > 0 && fresh == pf) {
            /* decode only: jump to the next completion or admissible arrival */
            double kfin = (double)O - (g0 + D - m->dstart[head]);
            double dt0 = c->step(c->step_ctx, 0, 0, Bd, ctxd);
            k = kfin;
            if (tail < n && tail - head < slots && dt0 > 0) {
                double karr = ceil((m->arr[tail] - now) / dt0);
                if (karr < 1)
                    karr = 1;
                if (karr < k)
                    k = karr;
            }
            if (k < 1)
                k = 1;
            dt = k > 1 ? k * c->step(c->step_ctx, 0, 0, Bd, ctxd + (k - 1) / 2) : dt0;
        } else {
            dt = c->step(c->step_ctx, Np, Np > 0 ? span / Np : 0, Bd, ctxd);
        }
        if (!(dt >= 0) || !isfinite(dt))
            dt = 0;
        area += (double)(tail - head) * dt;
        now += dt;
        D += Bd > 0 ? k : 0;
        steps += (int64_t)k;
        /* sequences that had no token yet (no prompt) got their first one */
        for (; fresh < pf; fresh++)
            m->first[fresh] = now;
        /* finished prefills produce their first token and start decoding */
        for (int64_t j = 0; j < completed; j++, pf++) {
            m->first[pf] = now;
            m->dstart[pf] = D;
            sum_dstart += D;
        }
        if (P > 0)
            fresh = pf;
        /* completions leave in order */
        while (head < pf && head < fresh && g0 + D - m->dstart[head] >= (double)O - 1e-9) {
            m->done[head] = now;
            sum_dstart -= m->dstart[head];
            head++;
        }
    }
    r->steps = steps;
    r->max_running = maxrun;
    r->duration_s = now - m->arr[0];
    r->mean_running = r->duration_s > 0 ? area / r->duration_s : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n-1]. */
static double pct(const double *v, int64_t n, double q)
{
    int64_t k = (int64_t)ceil(q * (double)n) - 1;
    if (k < 0)
        k = 0;
    if (k >= n)
        k = n - 1;
    return v[k];
}

static int run(const struct rt_serve_config *c, struct rt_serve_result *r, double *cap_out)
{
    memset(r, 0, sizeof *r);
    if (!config_ok(c))
        return RT_EINVAL;
    r->rate_rps = c->rate;
    r->requests = c->requests;
    r->prefix_cached = c->cached;
    r->slots = slots_of(c);
    r->fits = r->slots >= 1;
    if (!r->fits) {
        r->ttft_mean_s = r->ttft_p50_s = r->ttft_p99_s = r->e2e_mean_s = INFINITY;
        return RT_OK;
    }
    struct sim m;
    if (sim_alloc(&m, c->requests) != RT_OK)
        return RT_EINVAL;
    simulate(c, &m, r);
    int64_t n = c->requests;
    double sttft = 0, se2e = 0, sq = 0, sitl = 0;
    for (int64_t i = 0; i < n; i++) {
        double ttft = m.first[i] - m.arr[i] + c->request_overhead_s;
        sttft += ttft;
        se2e += m.done[i] - m.arr[i] + c->request_overhead_s;
        sq += m.admit[i] - m.arr[i];
        sitl += m.done[i] - m.first[i];
        m.dstart[i] = ttft; /* reuse as the array to sort */
    }
    r->ttft_mean_s = sttft / (double)n;
    r->e2e_mean_s = se2e / (double)n;
    r->queue_mean_s = sq / (double)n;
    r->itl_mean_s = c->output > 1 ? sitl / ((double)n * (double)(c->output - 1)) : 0;
    if (r->duration_s > 0) {
        r->output_tok_s = (double)n * (double)c->output / r->duration_s;
        r->total_tok_s = (double)n * (double)(c->prompt + c->output) / r->duration_s;
    }
    if (cap_out) { /* saturated: completions per second between the quarters */
        int64_t a = n / 4, b = 3 * n / 4;
        double span = b > a ? m.done[b] - m.done[a] : 0;
        *cap_out = span > 0 ? (double)(b - a) / span : (n > 0 && r->duration_s > 0 ? (double)n / r->duration_s : 0);
    }
    qsort(m.dstart, (size_t)n, sizeof *m.dstart, cmp_double);
    r->ttft_p50_s = pct(m.dstart, n, 0.50);
    r->ttft_p99_s = pct(m.dstart, n, 0.99);
    sim_free(&m);
    return RT_OK;
}

int rt_serve_sim(const struct rt_serve_config *c, struct rt_serve_result *r)
{
    return run(c, r, NULL);
}

double rt_serve_capacity(const struct rt_serve_config *c)
{
    struct rt_serve_config k = *c;
    k.request_overhead_s = 0;
    int64_t slots = slots_of(c);
    if (slots < 1)
        return 0;
    /* enough requests for several turnovers of the running set, bounded */
    double want = 8.0 * (double)slots;
    k.requests = want < 400 ? 400 : want > 16384 ? 16384 : (int64_t)want;
    struct rt_serve_result r;
    /* every request at once gives a first figure; arrivals all at once keep the
     * sequences in step, so the figure is then refined with Poisson arrivals
     * above it (staggered sequences mix prefills and decodes better) */
    double cap = 0, got = 0;
    k.rate = INFINITY;
    if (run(&k, &r, &cap) != RT_OK || !(cap > 0))
        return 0;
    for (int i = 0; i < 4; i++) {
        k.rate = 1.5 * cap;
        if (run(&k, &r, &got) != RT_OK)
            break;
        if (got < 0.97 * k.rate) { /* saturated: this is the sustained rate */
            if (got > cap)
                cap = got;
            break;
        }
        cap = k.rate; /* kept up: try higher */
    }
    return cap;
}

static bool within(const struct rt_serve_result *r, double ttft_max, double itl_max)
{
    return (ttft_max <= 0 || r->ttft_mean_s <= ttft_max) && (itl_max <= 0 || r->itl_mean_s <= itl_max);
}

double rt_serve_capacity_within(const struct rt_serve_config *c, double ttft_max, double itl_max, double cap)
{
    if (cap <= 0)
        return 0;
    struct rt_serve_config k = *c;
    k.requests = c->requests < SLA_REQUESTS ? c->requests : SLA_REQUESTS;
    struct rt_serve_result r;
    double lo = 0, hi = cap;
    k.rate = hi;
    if (run(&k, &r, NULL) == RT_OK && within(&r, ttft_max, itl_max))
        return cap;
    for (int i = 0; i < SLA_ITERATIONS; i++) {
        double mid = 0.5 * (lo + hi);
        k.rate = mid;
        if (run(&k, &r, NULL) == RT_OK && within(&r, ttft_max, itl_max))
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int rt_serve_run(const struct rt_serve_config *c, double ttft_max, double itl_max, struct rt_serve_result *r)
{
    if (run(c, r, NULL) != RT_OK)
        return RT_EINVAL;
    if (!r->fits)
        return RT_OK;
    r->capacity_rps = rt_serve_capacity(c);
    r->stable = isfinite(c->rate) && c->rate < r->capacity_rps;
    if (ttft_max > 0 || itl_max > 0)
        r->capacity_sla_rps = rt_serve_capacity_within(c, ttft_max, itl_max, r->capacity_rps);
    return RT_OK;
}

/* ---- a scenario ---- */

double rt_serve_step_time(void *ctx, double prefill_tokens, double prefill_ctx, double decode_seqs, double decode_ctx)
{
    struct rt_serve_step *st = ctx;
    return rt_step_time(st->s, &st->p, prefill_tokens, prefill_ctx, decode_seqs, decode_ctx, NULL);
}

/* --prefix-hit F (doc/method.md): H = F x prompt tokens of each request come from the
 * prefix cache: not prefilled, still attended to.  At least the last prompt token is
 * computed, for its logits (vLLM's KV cache manager caps a hit at the prompt less
 * one token: vllm/v1/core/kv_cache_manager.py, get_computed_blocks).  The cached
 * prefix is one copy shared by the sequences that hit it (reference-counted blocks):
 * the pool holds it once, and each sequence reserves only its own tokens beyond it. */
static void prefix_cache(const struct rt_scenario *s, struct rt_serve_step *st, struct rt_serve_config *c)
{
    if (!(s->prefix_hit > 0) || s->prompt <= 0)
        return;
    int64_t H = (int64_t)floor(s->prefix_hit * (double)s->prompt);
    if (H > s->prompt - 1)
        H = s->prompt - 1;
    if (H <= 0)
        return;
    c->cached = H;
    struct rt_memory pre;
    rt_memory_at(s, &st->p, 1, H, H, &pre);
    c->kv_capacity = c->kv_capacity > pre.dev_kv ? c->kv_capacity - pre.dev_kv : 0;
    if (c->kv_seq > pre.dev_kv) /* (sliding windows alone could leave nothing of its own) */
        c->kv_seq -= pre.dev_kv;
}

void rt_serve_config_of(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_step *st,
                        struct rt_serve_config *c)
{
    memset(c, 0, sizeof *c);
    st->s = s;
    rt_count_params(s->model, &st->p);
    const struct rt_engine *e = s->engine;
    c->rate = o->rate;
    c->requests = o->requests > 0 ? o->requests : 1000;
    c->prompt = s->prompt;
    c->output = s->output > 0 ? s->output : 1;
    c->max_running = o->max_running > 0 ? o->max_running : e->max_seqs;
    c->max_tokens = e->max_batched_tokens;
    c->request_overhead_s = e->request_overhead_s;
    c->seed = o->seed;
    c->step = rt_serve_step_time;
    c->step_ctx = st;
    /* memory: what is left per device for the cache once the weights, the
     * activations of a full step and the engine's reservations are counted, and
     * one sequence's share of it at its final context */
    int64_t ctx = s->prompt + c->output;
    int64_t b = c->max_running > 0 ? c->max_running : 256;
    struct rt_memory one, full;
    rt_memory_at(s, &st->p, 1, s->prompt, ctx, &one);
    rt_memory_at(s, &st->p, b, s->prompt, ctx, &full);
    /* the same account as the static figures (unified memory: the GPU's share), less the KV */
    double free_b = rt_memory_room(s, &full) + full.dev_kv;
    c->kv_capacity = free_b > 0 ? free_b : 0;
    c->kv_seq = one.dev_kv;
    prefix_cache(s, st, c);
}

int rt_serve(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_result *r, char *err,
             size_t errlen)
{
    if (rt_validate(s, err, errlen) != RT_OK)
        return RT_EINVAL;
    struct rt_serve_step st;
    struct rt_serve_config c;
    rt_serve_config_of(s, o, &st, &c);
    int rc = o->no_capacity ? rt_serve_sim(&c, r) : rt_serve_run(&c, o->ttft_max, o->itl_max, r);
    if (rc != RT_OK && err && errlen)
        strncpy(err, "serving: bad rate, request count or token counts", errlen - 1), err[errlen - 1] = 0;
    return rc;
}
