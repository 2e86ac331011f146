/* serve_disagg.c - disaggregated prefill and decode (doc/method.md, section 9).
 *
 * P devices (one tensor-parallel group) prefill every request and make its first
 * token; its KV cache then moves to the D devices that decode (another tensor-
 * parallel group), over the link between them: NVLink within a node, the
 * network between nodes.  Two runs of the simulation: the prefill group's,
 * whose first-token times plus each transfer are the decode group's arrivals;
 * the decode group's, with prompts already cached.  The first token reaches the
 * client from the decode group, so TTFT includes the transfer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/serve.h"
#include "core/collective.h"
#include "core/serve_internal.h"

#define DEFAULT_SEED 0x726f6f66746f70ULL

struct order { double t; int64_t i; };

static int cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t ? 1 : (x->i > y->i) - (x->i < y->i);
}

static void group_of(const struct rt_scenario *s, int64_t n, struct rt_scenario *g)
{
    *g = *s;
    g->tp = g->devices = n;
    g->pp = 1;
    g->dp = 1;
    g->disagg_p = g->disagg_d = 0;
    if (g->ep > n)
        g->ep = n;
}

struct bufs {
    double *arr, *first, *darr, *dfirst, *xfer;
    int64_t *P, *O, *one, *dP, *dO;
    struct order *ord;
};

static void bufs_free(struct bufs *b)
{
    free(b->arr), free(b->first), free(b->darr), free(b->dfirst), free(b->xfer);
    free(b->P), free(b->O), free(b->one), free(b->dP), free(b->dO), free(b->ord);
}

static int bufs_alloc(struct bufs *b, int64_t n)
{
    size_t k = (size_t)n;
    memset(b, 0, sizeof *b);
    b->arr = malloc(k * sizeof(double)), b->first = malloc(k * sizeof(double));
    b->darr = malloc(k * sizeof(double)), b->dfirst = malloc(k * sizeof(double)), b->xfer = malloc(k * sizeof(double));
    b->P = malloc(k * sizeof(int64_t)), b->O = malloc(k * sizeof(int64_t)), b->one = malloc(k * sizeof(int64_t));
    b->dP = malloc(k * sizeof(int64_t)), b->dO = malloc(k * sizeof(int64_t));
    b->ord = malloc(k * sizeof *b->ord);
    if (!b->arr || !b->first || !b->darr || !b->dfirst || !b->xfer || !b->P || !b->O || !b->one || !b->dP ||
        !b->dO || !b->ord) {
        bufs_free(b);
        return RT_EINVAL;
    }
    return RT_OK;
}

/* Arrivals and lengths as the simulation draws them for the whole scenario. */
static void draw(const struct rt_scenario *s, const struct rt_serve_config *c, struct bufs *b, int64_t n)
{
    uint64_t seed = c->seed ? c->seed : DEFAULT_SEED, lseed = seed ^ 0x6c656e67746873ULL;
    double t = 0;
    for (int64_t i = 0; i < n; i++) {
        if (isfinite(c->rate))
            t += -log1p(-rt_uniform01(&seed)) / c->rate;
        b->arr[i] = t;
        b->one[i] = 1;
    }
    rt_dist_sample(&s->prompt_dist, (double)c->prompt, 0, n, &lseed, b->P);
    rt_dist_sample(&s->output_dist, (double)c->output, 1, n, &lseed, b->O);
}

/* Seconds to move the cache of a prompt of `tokens` tokens from the prefill group to
 * the decode group: each of the min(P, D) device pairs carries its share. */
static double transfer_s(const struct rt_scenario *s, double tokens)
{
    struct rt_link l;
    int64_t p = s->disagg_p, d = s->disagg_d;
    if (p + d <= rt_node_devices(s->device))
        rt_link_node(s->device, &l);
    else
        rt_link_net(s->device, &l);
    double bytes = rt_kv_seq_bytes(s->model, s->kv, s->assume.kv_from_hidden, (int64_t)tokens);
    return rt_p2p_link_s(&l, bytes / (double)(p < d ? p : d));
}

static void combine(const struct bufs *b, int64_t n, double overhead, const struct rt_serve_result *r1,
                    const struct rt_serve_result *r2, struct rt_serve_result *r)
{
    *r = *r2;
    double sttft = 0, shift = 0, last = 0, out = 0, tot = 0, sx = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t i = b->ord[k].i;
        double ttft = b->dfirst[k] - b->arr[i] + overhead;
        b->darr[k] = ttft; /* to sort for the percentiles */
        sttft += ttft;
        shift += b->ord[k].t - b->arr[i];
        out += (double)b->O[i];
        tot += (double)(b->P[i] + b->O[i]);
        sx += b->xfer[i];
    }
    last = b->ord[0].t + r2->duration_s; /* the decode run spans its first arrival to its last completion */
    r->ttft_mean_s = sttft / (double)n;
    r->e2e_mean_s = r2->e2e_mean_s + shift / (double)n;
    r->queue_mean_s = r1->queue_mean_s + r2->queue_mean_s;
    r->duration_s = last - b->arr[0];
    r->output_tok_s = r->duration_s > 0 ? out / r->duration_s : 0;
    r->total_tok_s = r->duration_s > 0 ? tot / r->duration_s : 0;
    r->steps = r1->steps + r2->steps;
    r->kv_transfer_s = sx / (double)n;
}


/* The two groups' scenarios and configurations: the prefill group makes each request's
 * first token and holds only its prompt's cache; the decode group starts from it. */
static void configs(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_scenario *ps,
                    struct rt_scenario *ds, struct rt_serve_step *pst, struct rt_serve_step *dst,
                    struct rt_serve_config *pc, struct rt_serve_config *dc)
{
    group_of(s, s->disagg_p, ps);
    group_of(s, s->disagg_d, ds);
    struct rt_serve_opts po = *o;
    po.concurrency = 0; /* open loop only */
    rt_serve_config_of(ps, &po, pst, pc);
    rt_serve_config_of(ds, &po, dst, dc);
    pc->kv_seq = pc->kv_seq * (double)(pc->prompt + 1) / (double)(pc->prompt + dc->output); /* the prompt's only */
    pc->output = 1;
    pc->output_dist = (struct rt_dist){ RT_DIST_FIXED, 0 };
    dc->prefilled = true;
}

double rt_serve_disagg_capacity(const struct rt_scenario *s, const struct rt_serve_opts *o)
{
    struct rt_scenario ps, ds;
    struct rt_serve_step pst, dst;
    struct rt_serve_config pc, dc;
    configs(s, o, &ps, &ds, &pst, &dst, &pc, &dc);
    double cp = rt_serve_capacity(&pc), cd = rt_serve_capacity(&dc);
    return cp < cd ? cp : cd; /* the slower of the two groups sets the pace */
}

/* The largest rate (<= cap) at which the disaggregated run's mean TTFT (transfer
 * included) and mean ITL stay within the targets: bisection over short runs, as for
 * one group (serve.c). */
static double capacity_within(const struct rt_scenario *s, const struct rt_serve_opts *o, double cap)
{
    if (!(cap > 0))
        return 0;
    struct rt_serve_opts k = *o;
    k.no_capacity = true;
    k.requests = o->requests > 0 && o->requests < 2000 ? o->requests : 2000;
    struct rt_serve_result r;
    double lo = 0, hi = cap;
    for (int i = -1; i < 18; i++) {
        k.rate = i < 0 ? cap : 0.5 * (lo + hi);
        bool ok = rt_serve_disagg(s, &k, &r) == RT_OK && r.fits && (o->ttft_max <= 0 || r.ttft_mean_s <= o->ttft_max) &&
                  (o->itl_max <= 0 || r.itl_mean_s <= o->itl_max);
        if (i < 0 && ok)
            return cap;
        if (i >= 0)
            *(ok ? &lo : &hi) = k.rate;
    }
    return lo;
}

/* The nearest-rank percentiles of the n TTFTs in v (reordered: the values a sort would put
 * at those ranks, selected). */
static void ttft_percentiles(double *v, int64_t n, struct rt_serve_result *r)
{
    int64_t k50 = (int64_t)ceil(0.50 * (double)n) - 1, k99 = (int64_t)ceil(0.99 * (double)n) - 1;
    r->ttft_p50_s = rt_select_kth(v, 0, n - 1, k50);
    r->ttft_p99_s = k99 > k50 ? rt_select_kth(v, k50, n - 1, k99) : r->ttft_p50_s;
}

/* A closed loop of o->concurrency clients (serve_pair.c: both groups side by side).  A
 * request's TTFT runs from its sending to its first token at the decode group, so it
 * holds the prefill, the transfer and any wait for a decode slot. */
static int closed_loop(const struct rt_scenario *s, const struct rt_serve_opts *o, const struct rt_serve_config *pc,
                       const struct rt_serve_config *dc, struct bufs *b, int64_t n, struct rt_serve_result *r)
{
    double sx = 0;
    for (int64_t i = 0; i < n; i++)
        sx += b->xfer[i] = transfer_s(s, (double)b->P[i]);
    struct rt_serve_result r1, r2;
    double *done = b->dfirst;
    if (rt_serve_pair(pc, dc, o->concurrency, b->P, b->O, b->xfer, b->arr, b->first, done, &r1, &r2) != RT_OK)
        return RT_EINVAL;
    *r = r2;
    if (!r1.fits || !r2.fits) {
        r->fits = false;
        r->ttft_mean_s = r->ttft_p50_s = r->ttft_p99_s = r->e2e_mean_s = INFINITY;
        return RT_OK;
    }
    double ov = pc->request_overhead_s, sttft = 0, se2e = 0, sitl = 0, gaps = 0, out = 0, tot = 0, last = 0;
    for (int64_t i = 0; i < n; i++) {
        b->darr[i] = b->first[i] - b->arr[i] + ov;
        sttft += b->darr[i];
        se2e += done[i] - b->arr[i] + ov;
        sitl += done[i] - b->first[i];
        gaps += (double)(b->O[i] - 1);
        out += (double)b->O[i];
        tot += (double)(b->P[i] + b->O[i]);
        last = done[i] > last ? done[i] : last;
    }
    r->ttft_mean_s = sttft / (double)n;
    r->e2e_mean_s = se2e / (double)n;
    r->itl_mean_s = gaps > 0 ? sitl / gaps : 0;
    r->queue_mean_s = r1.queue_mean_s + r2.queue_mean_s;
    r->duration_s = last;
    r->output_tok_s = last > 0 ? out / last : 0;
    r->total_tok_s = last > 0 ? tot / last : 0;
    r->steps = r1.steps + r2.steps;
    r->kv_transfer_s = sx / (double)n;
    ttft_percentiles(b->darr, n, r);
    return RT_OK;
}

int rt_serve_disagg(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_result *r)
{
    struct rt_scenario ps, ds;
    struct rt_serve_step pst, dst;
    struct rt_serve_config pc, dc;
    configs(s, o, &ps, &ds, &pst, &dst, &pc, &dc);
    int64_t n = pc.requests;
    struct bufs b;
    if (bufs_alloc(&b, n) != RT_OK)
        return RT_EINVAL;
    draw(s, &dc, &b, n);
    if (o->concurrency > 0 && !isfinite(o->rate)) {
        int rc = closed_loop(s, o, &pc, &dc, &b, n, r);
        if (rc == RT_OK && r->fits && !o->no_capacity) { /* the open loop's, as for one group */
            r->capacity_rps = rt_serve_disagg_capacity(s, o);
            if (o->ttft_max > 0 || o->itl_max > 0)
                r->capacity_sla_rps = capacity_within(s, o, r->capacity_rps);
        }
        r->disagg_on = true;
        r->prefill_devices = s->disagg_p;
        r->decode_devices = s->disagg_d;
        r->rate_rps = o->rate;
        r->requests = n;
        bufs_free(&b);
        return rc;
    }
    /* prefill: each request's prompt and its first token */
    pc.arrivals = b.arr;
    pc.prompts = b.P;
    pc.outputs = b.one;
    pc.first_out = b.first;
    struct rt_serve_result r1, r2;
    int rc = rt_serve_sim(&pc, &r1);
    if (rc == RT_OK && r1.fits) {
        for (int64_t i = 0; i < n; i++) {
            b.xfer[i] = transfer_s(s, (double)b.P[i]);
            b.ord[i] = (struct order){ b.first[i] + b.xfer[i], i };
        }
        int64_t in_order = 1; /* fixed lengths arrive in order already: sorted only otherwise */
        while (in_order < n && cmp_order(&b.ord[in_order - 1], &b.ord[in_order]) <= 0)
            in_order++;
        if (in_order < n)
            qsort(b.ord, (size_t)n, sizeof *b.ord, cmp_order);
        for (int64_t k = 0; k < n; k++) {
            b.darr[k] = b.ord[k].t;
            b.dP[k] = b.P[b.ord[k].i];
            b.dO[k] = b.O[b.ord[k].i];
        }
        dc.arrivals = b.darr;
        dc.prompts = b.dP;
        dc.outputs = b.dO;
        dc.first_out = b.dfirst;
        rc = rt_serve_sim(&dc, &r2);
    }
    if (rc == RT_OK && r1.fits && r2.fits) {
        combine(&b, n, pc.request_overhead_s, &r1, &r2, r);
        ttft_percentiles(b.darr, n, r);
        if (!o->no_capacity) {
            r->capacity_rps = rt_serve_disagg_capacity(s, o);
            r->stable = isfinite(o->rate) && o->rate < r->capacity_rps;
            if (o->ttft_max > 0 || o->itl_max > 0)
                r->capacity_sla_rps = capacity_within(s, o, r->capacity_rps);
        }
    } else if (rc == RT_OK) {
        *r = r1.fits ? r2 : r1;
    }
    r->disagg_on = true;
    r->prefill_devices = s->disagg_p;
    r->decode_devices = s->disagg_d;
    r->rate_rps = o->rate;
    bufs_free(&b);
    return rc;
}
