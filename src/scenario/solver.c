/* solver.c - enumerate setups, prune what cannot fit or cannot meet the targets
 * even unloaded, run the serving model on the rest in order of price, and keep
 * the cheapest that meet the targets at the rate. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/solver.h"

const char *rt_binding_name(enum rt_binding b)
{
    static const char *const n[] = { "ttft", "itl", "memory", "rate" };
    return (unsigned)b < 4 ? n[b] : "?";
}

const char *const *rt_solve_weight_formats(const struct rt_engine *e)
{
    static const char *const gguf[] = { "fp16", "q8_0", "q4_k_m", NULL };
    static const char *const std[] = { "bf16", "fp8", "int8", "int4", NULL };
    return strcmp(e->id, "llama.cpp") == 0 ? gguf : std;
}

const char *const *rt_solve_kv_formats(const struct rt_engine *e)
{
    static const char *const gguf[] = { "fp16", "q8_0", NULL };
    static const char *const std[] = { "bf16", "fp8", NULL };
    return strcmp(e->id, "llama.cpp") == 0 ? gguf : std;
}

static double hour_price(const struct rt_device *d, const struct rt_solve_opts *o, int64_t n, struct rt_cost_in *ci)
{
    memset(ci, 0, sizeof *ci);
    if (o->priced && strcmp(o->priced->id, d->id) == 0)
        d = o->priced;
    ci->devices = n;
    ci->utilization = 1;
    if (d->price_hour > 0) {
        ci->price_hour = d->price_hour;
    } else if (o->lifetime_years > 0 && d->price_usd > 0) {
        ci->purchase_usd = d->price_usd;
        ci->lifetime_years = o->lifetime_years;
        ci->tdp_w = d->tdp_w;
        ci->kwh_usd = o->kwh_usd;
        ci->pue = o->pue;
    } else {
        return 0;
    }
    struct rt_cost c;
    rt_cost(ci, &c);
    return c.per_hour_usd;
}

static int by_price(const void *a, const void *b)
{
    const struct rt_solution *x = a, *y = b;
    if (x->per_hour_usd != y->per_hour_usd)
        return x->per_hour_usd < y->per_hour_usd ? -1 : 1;
    if (x->devices != y->devices) /* fewer devices, then one group before a disaggregated split */
        return x->devices < y->devices ? -1 : 1;
    if ((x->disagg_p > 0) != (y->disagg_p > 0))
        return x->disagg_p > 0 ? 1 : -1;
    return 0;
}

void rt_solution_scenario(const struct rt_resolved *base, const struct rt_solution *x, struct rt_scenario *s)
{
    *s = base->s;
    s->device = x->device;
    s->weights = x->weights;
    s->kv = x->kv;
    s->dp = x->dp > 1 ? x->dp : 1;
    s->devices = x->disagg_p > 0 ? x->tp : x->devices / s->dp; /* disaggregated: the decode group's */
    s->disagg_p = x->disagg_p;
    s->disagg_d = x->disagg_d;
    s->concurrency = 0;
    s->tp = x->tp;
    s->pp = x->pp;
    s->ep = x->ep;
    s->batch = 1;
    s->host = NULL;
    s->gpu_layers = -1;
    s->draft = NULL;
    s->mix_n = 0; /* the search space is of one kind of device (a --gpu list is not searched) */
}

/* The search space as it is built: a growing array of setups. */
struct space {
    struct rt_solution *v;
    size_t n, cap;
};

static struct rt_solution *push(struct space *sp)
{
    if (sp->n == sp->cap) {
        struct rt_solution *nv = realloc(sp->v, 2 * sp->cap * sizeof *nv);
        if (!nv)
            return NULL;
        sp->v = nv;
        sp->cap *= 2;
    }
    struct rt_solution *x = &sp->v[sp->n++];
    memset(x, 0, sizeof *x);
    return x;
}

/* One setup at every weight and KV format the engine's search tries. */
static bool add_formats(const struct catalog *c, const struct rt_engine *e, struct space *sp,
                        const struct rt_solution *t)
{
    const char *const *wf = rt_solve_weight_formats(e), *const *kf = rt_solve_kv_formats(e);
    for (size_t w = 0; wf[w]; w++) {
        const struct rt_format *wfmt = catalog_format(c, wf[w]);
        for (size_t k = 0; wfmt && kf[k]; k++) {
            const struct rt_format *kfmt = catalog_format(c, kf[k]);
            if (!kfmt)
                continue;
            struct rt_solution *x = push(sp);
            if (!x)
                return false;
            *x = *t;
            x->weights = wfmt;
            x->kv = kfmt;
        }
    }
    return true;
}

/* A device's setups: dp replicas of tp x pp (x ep) at each power-of-two count, and
 * disaggregated P:D splits (powers of two, P + D devices in all). */
static bool device_setups(const struct catalog *c, const struct rt_resolved *base, const struct rt_solve_opts *o,
                          const struct rt_device *d, int64_t maxd, struct space *sp)
{
    const struct rt_engine *e = base->s.engine;
    const struct rt_model *m = base->s.model;
    struct rt_cost_in ci;
    for (int64_t cnt = 1; cnt <= maxd; cnt *= 2) {
        double ph = hour_price(d, o, cnt, &ci);
        if (ph <= 0)
            continue;
        for (int64_t dp = 1, per = cnt; dp <= cnt; dp *= 2, per = cnt / dp)
            for (int64_t pp = 1; pp <= per && pp <= m->layers; pp *= 2) {
                int64_t tp = per / pp;
                for (int ei = 0; ei < 2; ei++) {
                    if (ei == 1 && (!rt_moe_group(m) || tp < 2))
                        continue;
                    struct rt_solution t = { .device = d, .devices = cnt, .dp = dp, .tp = tp, .pp = pp,
                                             .ep = ei == 0 ? 1 : tp, .per_hour_usd = ph };
                    if (!add_formats(c, e, sp, &t))
                        return false;
                }
            }
    }
    for (int64_t P = 1; P < maxd; P *= 2)
        for (int64_t D = 1; P + D <= maxd; D *= 2) {
            double ph = hour_price(d, o, P + D, &ci);
            if (ph <= 0)
                continue;
            struct rt_solution t = { .device = d, .devices = P + D, .dp = 1, .tp = D, .pp = 1, .ep = 1,
                                     .disagg_p = P, .disagg_d = D, .per_hour_usd = ph };
            if (!add_formats(c, e, sp, &t))
                return false;
        }
    return true;
}

long rt_solve_space(const struct catalog *c, const struct rt_resolved *base, const struct rt_solve_opts *o,
                    struct rt_solution **out, char *err, size_t errlen)
{
    int64_t maxd = o->max_devices > 0 ? o->max_devices : RT_SOLVE_DEVICES_DEFAULT;
    struct space sp = { malloc(256 * sizeof(struct rt_solution)), 0, 256 };
    for (size_t di = 0; sp.v && di < c->n_devices; di++)
        if (!device_setups(c, base, o, &c->devices[di], maxd, &sp)) {
            free(sp.v);
            sp.v = NULL;
        }
    if (!sp.v) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    qsort(sp.v, sp.n, sizeof *sp.v, by_price);
    *out = sp.v;
    return (long)sp.n;
}

/* The binding constraint (the one used closest to its limit) and the cost at the load. */
static void bind_and_cost(const struct rt_solve_opts *o, const struct rt_scenario *s, int64_t output,
                          struct rt_solution *x)
{
    struct rt_serve_result *r = &x->serving;
    double u[4] = { o->ttft_max > 0 ? r->ttft_mean_s / o->ttft_max : 0, o->itl_max > 0 ? r->itl_mean_s / o->itl_max : 0,
                    r->slots > 0 ? (double)r->max_running / (double)r->slots : 1,
                    r->capacity_rps > 0 ? o->rate / r->capacity_rps : INFINITY };
    int b = 0;
    for (int i = 1; i < 4; i++)
        if (u[i] > u[b])
            b = i;
    x->binding = (enum rt_binding)b;
    struct rt_cost_in ci;
    hour_price(s->device, o, x->devices, &ci); /* every replica, or both groups */
    ci.output_tok_s = r->capacity_rps * (double)output;
    ci.capacity_rps = r->capacity_rps;
    ci.prompt = s->prompt;
    ci.output = output;
    ci.rate_rps = o->rate;
    rt_cost(&ci, &x->cost);
}

static bool within_targets(const struct rt_solve_opts *o, const struct rt_serve_result *r)
{
    return (o->ttft_max <= 0 || r->ttft_mean_s <= o->ttft_max) && (o->itl_max <= 0 || r->itl_mean_s <= o->itl_max);
}

/* One group of a disaggregated split as a scenario of its own: n devices in tensor parallel. */
static void split_group(const struct rt_scenario *s, int64_t n, struct rt_scenario *g)
{
    *g = *s;
    g->tp = g->devices = n;
    g->pp = g->dp = 1;
    g->disagg_p = g->disagg_d = 0;
}

/* A disaggregated split: each group must hold one sequence; unloaded, the first token
 * costs at least the prefill group's prefill and each later one the decode group's
 * batch-1 step; then the simulation and, within the targets, the slower group's pace. */
static void eval_disagg(const struct rt_solve_opts *o, const struct rt_scenario *s, struct rt_solution *x)
{
    struct rt_scenario pg, dg;
    split_group(s, x->disagg_p, &pg);
    split_group(s, x->disagg_d, &dg);
    char err[RT_ERR_MAX];
    if (rt_validate(&pg, err, sizeof err) != RT_OK || rt_validate(&dg, err, sizeof err) != RT_OK)
        return;
    struct rt_params p;
    rt_scenario_params(s, &p);
    struct rt_memory mp, md;
    rt_memory_at(&pg, &p, 1, s->prompt, s->prompt + 1, &mp);
    rt_memory_at(&dg, &p, 1, s->prompt, s->prompt + s->output, &md);
    if (rt_memory_room(&pg, &mp) < 0 || rt_memory_room(&dg, &md) < 0)
        return;
    x->fits = true;
    x->binding = RT_BIND_MEMORY;
    double pf = s->prompt > 0 ? rt_step_time(&pg, &p, (double)s->prompt, ((double)s->prompt + 1) / 2, 0, 0, NULL) : 0;
    double dc = rt_step_time(&dg, &p, 0, 0, 1, (double)s->prompt, NULL);
    if (o->ttft_max > 0 && pf + s->engine->request_overhead_s > o->ttft_max) {
        x->binding = RT_BIND_TTFT;
        return;
    }
    if (o->itl_max > 0 && s->output > 1 && dc > o->itl_max) {
        x->binding = RT_BIND_ITL;
        return;
    }
    struct rt_serve_opts so = { .rate = o->rate, .requests = o->requests > 0 ? o->requests : 1000, .no_capacity = true };
    if (rt_serve(s, &so, &x->serving, err, sizeof err) != RT_OK || !x->serving.fits) {
        x->fits = false;
        return;
    }
    struct rt_serve_result *r = &x->serving;
    bool ok = within_targets(o, r);
    r->capacity_rps = ok ? rt_serve_disagg_capacity(s, &so) : 0;
    r->stable = ok && o->rate < r->capacity_rps;
    x->meets = ok && r->stable;
    bind_and_cost(o, s, s->output > 0 ? s->output : 1, x);
}

void rt_solve_eval(const struct rt_resolved *base, const struct rt_solve_opts *o, struct rt_solution *x)
{
    struct rt_scenario s;
    rt_solution_scenario(base, x, &s);
    x->evaluated = true;
    x->fits = x->meets = false;
    char err[RT_ERR_MAX];
    if (rt_validate(&s, err, sizeof err) != RT_OK)
        return;
    if (x->disagg_p > 0) {
        eval_disagg(o, &s, x);
        return;
    }
    struct rt_params p;
    rt_scenario_params(&s, &p);
    /* prune: one sequence must fit */
    struct rt_memory mem;
    rt_memory_at(&s, &p, 1, s.prompt, s.prompt + s.output, &mem);
    if (rt_memory_room(&s, &mem) < 0) /* unified memory: within the GPU's share */
        return;
    x->fits = true;
    x->binding = RT_BIND_MEMORY;
    /* prune: unloaded, the first token costs at least one prefill and each later one a
     * batch-1 decode step */
    double pf = s.prompt > 0 ? rt_step_time(&s, &p, (double)s.prompt, ((double)s.prompt + 1) / 2, 0, 0, NULL)
                             : rt_step_time(&s, &p, 0, 0, 1, 0, NULL);
    double dc = rt_step_time(&s, &p, 0, 0, 1, (double)s.prompt, NULL);
    if (o->ttft_max > 0 && pf + s.engine->request_overhead_s > o->ttft_max) {
        x->binding = RT_BIND_TTFT;
        return;
    }
    if (o->itl_max > 0 && s.output > 1 && dc > o->itl_max) {
        x->binding = RT_BIND_ITL;
        return;
    }
    /* a run whose mean TTFT or ITL must miss the target stops there (never one that meets it) */
    struct rt_serve_opts so = { .rate = o->rate, .requests = o->requests > 0 ? o->requests : 1000, .no_capacity = true,
                                .give_up_ttft = o->ttft_max, .give_up_itl = o->itl_max };
    if (rt_serve(&s, &so, &x->serving, err, sizeof err) != RT_OK || !x->serving.fits) {
        x->fits = false;
        return;
    }
    struct rt_serve_result *r = &x->serving;
    bool ok = within_targets(o, r);
    /* stability only for those within the targets (overload shows in TTFT first) */
    struct rt_serve_step st;
    struct rt_serve_config cfg;
    rt_serve_config_of(&s, &so, &st, &cfg);
    r->capacity_rps = ok ? rt_serve_capacity(&cfg) * (double)s.dp : 0; /* one replica's, every replica counted */
    r->stable = ok && o->rate < r->capacity_rps;
    x->meets = ok && r->stable;
    bind_and_cost(o, &s, cfg.output, x);
}

long rt_solve(const struct catalog *c, const struct rt_resolved *base, const struct rt_solve_opts *o,
              struct rt_solution *out, size_t max, char *err, size_t errlen)
{
    if (isinf(o->rate)) {
        /* --rate inf, or 1e9 and above (its alias): every request at once */
        snprintf(err, errlen, "--solve sizes a setup for a steady arrival rate: --rate inf (1e9 and above) sends "
                 "every request at once, which no setup serves within an SLA; give requests per second below 1e9");
        return -1;
    }
    if (!(o->rate > 0)) {
        snprintf(err, errlen, "--solve needs a finite --rate above 0");
        return -1;
    }
    struct rt_solution *v;
    long n = rt_solve_space(c, base, o, &v, err, errlen);
    if (n < 0)
        return -1;
    if (n == 0) {
        free(v);
        snprintf(err, errlen, "no device in the catalog has a price (give --price-hour, or --lifetime-years for owned devices)");
        return -1;
    }
    size_t found = 0;
    for (long i = 0; i < n && found < max; i++) {
        rt_solve_eval(base, o, &v[i]);
        if (v[i].meets)
            out[found++] = v[i];
    }
    free(v);
    return (long)found;
}
