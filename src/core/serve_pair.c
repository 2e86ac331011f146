/* serve_pair.c - two engines served side by side: disaggregated prefill and decode in
 * a closed loop (doc/method.md, section 9).
 *
 * N clients send a request each to the prefill engine, which makes its first token;
 * the request's cache reaches the decode engine its transfer time later, and the
 * decode engine makes the remaining tokens; a client sends its next request when its
 * last one ends.  The decode engine's arrivals depend on the prefill engine's steps and
 * the prefill engine's on the decode engine's, so neither run can go first (the open
 * loop's two runs in turn, serve_disagg.c, need arrivals known in advance).  Here each
 * engine is serve.c's simulation, and the one whose next move comes first moves:
 * a prefill step starting at t sees every request a completion has released up to t,
 * and a decode step every cache that has arrived up to its start, since the other
 * engine has already passed that time.  The decode engine takes decode-only steps at
 * once only up to where the prefill engine stands (a cache may arrive after it).
 * Pure C, no I/O, no globals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/serve.h"
#include "core/serve_internal.h"

struct eng {
    struct rt_serve_config c;
    struct sim m;
    struct state st;
};

/* When the engine next moves: now while it runs, else at its next known arrival. */
static double next_at(const struct eng *e)
{
    if (e->st.running > 0)
        return e->st.now;
    if (e->st.tail < e->st.released)
        return e->m.arr[e->st.tail] > e->st.now ? e->m.arr[e->st.tail] : e->st.now;
    return INFINITY;
}

/* One move after its admissions: a step, or the wait for the next arrival. */
static void move(struct eng *e)
{
    if (e->st.running == 0) {
        if (e->st.tail < e->st.released && e->m.arr[e->st.tail] > e->st.now)
            e->st.now = e->m.arr[e->st.tail];
        return;
    }
    if (e->st.running > e->st.maxrun)
        e->st.maxrun = e->st.running;
    sim_step(&e->c, &e->m, &e->st);
}

/* Request g's cache reaches the decode engine at t: it joins the requests not yet
 * admitted in order of arrival (t is never before the engine's last step began). */
static void arrive(struct eng *d, int64_t *gid, int64_t g, double t, const int64_t *P, const int64_t *O,
                   const double *kv)
{
    struct sim *m = &d->m;
    int64_t k = d->st.released++;
    for (; k > d->st.tail && m->arr[k - 1] > t; k--) {
        m->arr[k] = m->arr[k - 1];
        m->P[k] = m->P[k - 1];
        m->O[k] = m->O[k - 1];
        m->kv[k] = m->kv[k - 1];
        gid[k] = gid[k - 1];
    }
    m->arr[k] = t;
    m->P[k] = P[g];
    m->O[k] = O[g];
    m->kv[k] = kv[g];
    gid[k] = g;
}

/* Completions since `before` release the clients' next requests at the engine's time. */
static void release(const struct eng *d, int64_t before, struct eng *p, int64_t n)
{
    for (int64_t k = before; k < d->st.completed && p->st.released < n; k++)
        p->m.arr[p->st.released++] = d->st.now;
}

/* One engine's figures over its own requests (as serve.c's run gives them). */
static void engine_result(const struct eng *e, int64_t n, struct rt_serve_result *r)
{
    memset(r, 0, sizeof *r);
    double sq = 0, last = 0;
    for (int64_t i = 0; i < n; i++) {
        sq += e->m.admit[i] - e->m.arr[i];
        last = e->m.done[i] > last ? e->m.done[i] : last;
    }
    r->requests = n;
    r->slots = slots_of(&e->c);
    r->fits = r->slots >= 1;
    r->steps = e->st.steps;
    r->max_running = e->st.maxrun;
    r->duration_s = last;
    r->mean_running = last > 0 ? e->st.area / last : 0;
    r->queue_mean_s = n > 0 ? sq / (double)n : 0;
    r->host_s_per_step = e->st.steps > 0 ? e->st.host_sum / (double)e->st.steps : 0;
}

static void engines_free(struct eng *p, struct eng *d, int64_t *gid, char *sent, int64_t *ones, double *kv)
{
    sim_free(&p->m);
    sim_free(&d->m);
    free(gid), free(sent), free(ones), free(kv);
}

/* Both engines at time 0: the prefill engine's first N requests arrived, the rest
 * waiting for completions; the decode engine with nothing yet.  kv: each request's
 * reservation on the decode engine, by request. */
static int engines_init(struct eng *p, struct eng *d, int64_t n, const int64_t *P, const int64_t *O,
                        int64_t *ones, double *kv)
{
    p->c.requests = d->c.requests = n;
    p->c.rate = d->c.rate = INFINITY;
    p->c.concurrency = d->c.concurrency = 0; /* releases are this file's */
    p->c.arrivals = d->c.arrivals = NULL;
    p->c.first_out = d->c.first_out = NULL;
    p->c.give_up_ttft = p->c.give_up_itl = d->c.give_up_ttft = d->c.give_up_itl = 0;
    for (int64_t i = 0; i < n; i++)
        ones[i] = 1;
    p->c.prompts = P;
    p->c.outputs = ones;
    p->c.prefilled = false;
    d->c.prompts = P;
    d->c.outputs = O;
    d->c.prefilled = true;
    if (sim_alloc(&p->m, n) != RT_OK)
        return RT_EINVAL;
    if (sim_alloc(&d->m, n) != RT_OK) {
        sim_free(&p->m);
        return RT_EINVAL;
    }
    requests_init(&p->c, &p->m);
    requests_init(&d->c, &d->m);
    memcpy(kv, d->m.kv, (size_t)n * sizeof *kv);
    memset(&p->st, 0, sizeof p->st);
    memset(&d->st, 0, sizeof d->st);
    for (int64_t i = 0; i < n; i++) {
        p->m.done[i] = INFINITY;
        p->m.arr[i] = INFINITY;
    }
    return RT_OK;
}

int rt_serve_pair(const struct rt_serve_config *pc, const struct rt_serve_config *dc, int64_t clients,
                  const int64_t *P, const int64_t *O, const double *xfer, double *arr, double *first, double *done,
                  struct rt_serve_result *rp, struct rt_serve_result *rd)
{
    int64_t n = pc->requests;
    if (n < 1 || n > RT_REQUESTS_MAX || clients < 1 || !pc->step || !dc->step)
        return RT_EINVAL;
    struct eng p = { .c = *pc }, d = { .c = *dc };
    int64_t *gid = malloc((size_t)n * sizeof *gid), *ones = malloc((size_t)n * sizeof *ones);
    char *sent = calloc((size_t)n, 1);
    double *kv = malloc((size_t)n * sizeof *kv);
    if (!gid || !ones || !sent || !kv || engines_init(&p, &d, n, P, O, ones, kv) != RT_OK) {
        free(gid), free(sent), free(ones), free(kv);
        return RT_EINVAL;
    }
    if (slots_of(&p.c) < 1 || slots_of(&d.c) < 1) {
        engine_result(&p, 0, rp), engine_result(&d, 0, rd);
        rp->slots = slots_of(&p.c), rd->slots = slots_of(&d.c);
        rp->fits = rp->slots >= 1, rd->fits = rd->slots >= 1;
        engines_free(&p, &d, gid, sent, ones, kv);
        return RT_OK;
    }
    for (; p.st.released < n && p.st.released < clients; p.st.released++)
        p.m.arr[p.st.released] = 0;
    int64_t seen = 0;
    while (d.st.completed < n) {
        double tp = next_at(&p), td = next_at(&d);
        if (!(tp < INFINITY) && !(td < INFINITY))
            break; /* nothing left that can move (cannot happen: a completion releases the next) */
        if (tp <= td) {
            sim_admit(&p.c, &p.m, &p.st);
            move(&p);
            /* first tokens made: each cache leaves for the decode engine */
            for (int64_t j = seen; j < p.st.tail; j++)
                if (!sent[j] && isfinite(p.m.done[j])) {
                    sent[j] = 1;
                    arrive(&d, gid, j, p.m.done[j] + xfer[j], P, O, kv);
                }
            while (seen < p.st.tail && sent[seen])
                seen++;
        } else {
            d.st.bounded = true;
            d.st.horizon = tp;
            int64_t before = d.st.completed;
            sim_admit(&d.c, &d.m, &d.st); /* a one-token request ends on admission */
            release(&d, before, &p, n);
            before = d.st.completed;
            move(&d);
            release(&d, before, &p, n);
        }
    }
    for (int64_t k = 0; k < d.st.released; k++) {
        int64_t g = gid[k];
        arr[g] = p.m.arr[g];
        first[g] = d.m.first[k];
        done[g] = d.m.done[k];
    }
    engine_result(&p, n, rp);
    engine_result(&d, d.st.released, rd);
    int rc = d.st.completed == n ? RT_OK : RT_EINVAL;
    engines_free(&p, &d, gid, sent, ones, kv);
    return rc;
}
