/* serve.c - continuous batching, step by step (doc/method.md).
 *
 * Requests are admitted and prefilled first come, first served, so the
 * prefilling ones are the contiguous range [pf, tail) of request indices; they
 * leave in any order, since their lengths differ.  Decoding sequences all
 * advance one token per step, so each one's finishing step (in a global count
 * of decode steps D) is known when it starts decoding: a min-heap of those
 * gives the next completion, and the sum of the decoding contexts follows from
 * one running sum.  While nothing is prefilling and no arrival can be
 * admitted, the steps up to the next event (a completion or an arrival) are
 * taken at once at their mean context.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/serve.h"
#include "core/limits.h"
#include "core/serve_internal.h"

#define DEFAULT_SEED 0x726f6f66746f70ULL /* "rooftop" */
#define SLA_REQUESTS 2000                /* requests per run of the capacity-within-targets search */
#define SLA_ITERATIONS 18

void sim_free(struct sim *m)
{
    free(m->arr), free(m->admit), free(m->first), free(m->done), free(m->kv);
    free(m->P), free(m->O), free(m->pre), free(m->dstart), free(m->heap), free(m->fifo), free(m->fresh);
    free(m->g0), free(m->pre_q), free(m->gen), free(m->rec), free(m->where);
}

int sim_alloc(struct sim *m, int64_t n)
{
    size_t k = (size_t)n;
    memset(m, 0, sizeof *m);
    m->arr = malloc(k * sizeof *m->arr);
    m->admit = malloc(k * sizeof *m->admit);
    m->first = malloc(k * sizeof *m->first);
    m->done = malloc(k * sizeof *m->done);
    m->kv = malloc(k * sizeof *m->kv);
    m->P = malloc(k * sizeof *m->P);
    m->O = malloc(k * sizeof *m->O);
    m->pre = malloc(k * sizeof *m->pre);
    m->dstart = malloc(k * sizeof *m->dstart);
    m->heap = malloc(k * sizeof *m->heap);
    m->fifo = malloc(k * sizeof *m->fifo);
    m->fresh = malloc(k * sizeof *m->fresh);
    m->g0 = malloc(k * sizeof *m->g0);
    m->pre_q = malloc(k * sizeof *m->pre_q);
    m->gen = malloc(k * sizeof *m->gen);
    m->rec = malloc(k * sizeof *m->rec);
    m->where = malloc(k * sizeof *m->where);
    if (!m->arr || !m->admit || !m->first || !m->done || !m->kv || !m->P || !m->O || !m->pre || !m->dstart ||
        !m->heap || !m->fifo || !m->fresh || !m->g0 || !m->pre_q || !m->gen || !m->rec || !m->where) {
        sim_free(m);
        return RT_EINVAL;
    }
    for (size_t i = 0; i < k; i++)
        m->where[i] = -1;
    m->top = -1;
    return RT_OK;
}

/* The decoding sequences by finishing step.  A sequence finishing no earlier than the
 * last one queued joins the queue's tail (O(1)); only one that would finish earlier
 * goes to the heap.  The earliest is the smaller of the two heads. */
/* A heap slot written, and where its sequence now is. */
static inline void hset(struct sim *m, int64_t k, struct fin f)
{
    m->heap[k] = f;
    m->where[f.i] = k;
}

static void heap_push(struct sim *m, int64_t at, int64_t i)
{
    int64_t k = m->nheap++;
    while (k > 0 && m->heap[(k - 1) / 2].at > at) {
        hset(m, k, m->heap[(k - 1) / 2]);
        k = (k - 1) / 2;
    }
    hset(m, k, (struct fin){ at, i });
    if (i > m->top)
        m->top = i;
}

static void fin_push(struct sim *m, int64_t at, int64_t i)
{
    if (m->qtail == m->qhead || m->fifo[m->qtail - 1].at <= at) {
        m->where[i] = -2 - m->qtail;
        m->fifo[m->qtail++] = (struct fin){ at, i };
        if (i > m->top)
            m->top = i;
        return;
    }
    heap_push(m, at, i);
}

static int64_t fin_count(const struct sim *m)
{
    return m->nheap + (m->qtail - m->qhead);
}

/* The earliest finishing step; fin_count(m) > 0. */
static int64_t fin_next_at(const struct sim *m)
{
    if (m->qtail == m->qhead)
        return m->heap[0].at;
    if (m->nheap == 0 || m->fifo[m->qhead].at <= m->heap[0].at)
        return m->fifo[m->qhead].at;
    return m->heap[0].at;
}

static struct fin fin_pop(struct sim *m)
{
    if (m->qtail > m->qhead && (m->nheap == 0 || m->fifo[m->qhead].at <= m->heap[0].at)) {
        m->where[m->fifo[m->qhead].i] = -1;
        return m->fifo[m->qhead++];
    }
    struct fin top = m->heap[0], last = m->heap[--m->nheap];
    m->where[top.i] = -1;
    int64_t k = 0, n = m->nheap;
    for (;;) {
        int64_t c = 2 * k + 1;
        if (c >= n)
            break;
        if (c + 1 < n && m->heap[c + 1].at < m->heap[c].at)
            c++;
        if (m->heap[c].at >= last.at)
            break;
        hset(m, k, m->heap[c]);
        k = c;
    }
    if (n > 0)
        hset(m, k, last);
    return top;
}

/* kv_grow: take the decoding sequence admitted last (the highest index) out of the
 * finishing order, if it is newer than `older_than`; its index, or -1.  where[] finds it
 * without a scan of the order (the scan made the solver 2.7x slower once vLLM grew its cache). */
__attribute__((noinline, cold)) static int64_t fin_take_newest(struct sim *m, int64_t older_than)
{
    while (m->top >= 0 && m->where[m->top] == -1)
        m->top--; /* none above top: the highest one there is found at once */
    int64_t best = m->top;
    if (best <= older_than)
        return -1;
    int64_t at = m->where[best];
    m->where[best] = -1;
    if (at <= -2) {
        at = -2 - at;
        memmove(m->fifo + at, m->fifo + at + 1, (size_t)(m->qtail - at - 1) * sizeof *m->fifo);
        m->qtail--;
        for (int64_t q = at; q < m->qtail; q++)
            m->where[m->fifo[q].i] = -2 - q;
        return best;
    }
    struct fin last = m->heap[--m->nheap];
    if (at == m->nheap)
        return best;
    int64_t k = at; /* the last entry into the hole, then down or up to its place */
    for (;;) {
        int64_t c = 2 * k + 1;
        if (c >= m->nheap)
            break;
        if (c + 1 < m->nheap && m->heap[c + 1].at < m->heap[c].at)
            c++;
        if (m->heap[c].at >= last.at)
            break;
        hset(m, k, m->heap[c]);
        k = c;
    }
    while (k > 0 && m->heap[(k - 1) / 2].at > last.at) {
        hset(m, k, m->heap[(k - 1) / 2]);
        k = (k - 1) / 2;
    }
    hset(m, k, last);
    return best;
}

int64_t slots_of(const struct rt_serve_config *c)
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
           !(c->kv_seq < 0) && !(c->kv_capacity < 0) && !(c->request_overhead_s < 0) && c->concurrency >= 0 &&
           !(c->host_step_s < 0) && !(c->host_seq_s < 0) && c->cached >= 0 && (c->cached == 0 || c->cached < c->prompt);
}

/* Arrival times, lengths and each request's KV reservation. */
void requests_init(const struct rt_serve_config *c, struct sim *m)
{
    const int64_t n = c->requests;
    uint64_t seed = c->seed ? c->seed : DEFAULT_SEED, lseed = seed ^ 0x6c656e67746873ULL; /* "lengths" */
    double t = 0;
    for (int64_t i = 0; i < n; i++) {
        if (c->arrivals)
            t = c->arrivals[i];
        else if (isfinite(c->rate) && c->concurrency <= 0)
            t += -log1p(-rt_uniform01(&seed)) / c->rate;
        m->arr[i] = t;
    }
    if (c->prompts)
        memcpy(m->P, c->prompts, (size_t)n * sizeof *m->P);
    else
        rt_dist_sample(&c->prompt_dist, (double)c->prompt, 0, n, &lseed, m->P);
    if (c->outputs)
        memcpy(m->O, c->outputs, (size_t)n * sizeof *m->O);
    else
        rt_dist_sample(&c->output_dist, (double)c->output, 1, n, &lseed, m->O);
    m->hit = c->cached > 0 && c->prompt > 0 ? (double)c->cached / (double)c->prompt : 0;
    /* the cache a sequence reserves grows with its final context */
    double mean_ctx = (double)(c->prompt + c->output);
    for (int64_t i = 0; i < n; i++)
        m->kv[i] = c->kv_seq > 0 ? c->kv_seq * (double)(m->P[i] + m->O[i]) / mean_ctx : 0;
}

static void arrivals_to_now(const struct sim *m, struct state *st)
{
    while (st->arrived < st->released && m->arr[st->arrived] <= st->now) {
        st->wait_n += 1;
        st->wait_sum += m->arr[st->arrived++];
    }
}

/* Request i's first token at time t (<= now, so it has arrived). */
static void first_token(struct sim *m, struct state *st, int64_t i, double t)
{
    m->first[i] = t;
    st->ttft_sum += t - m->arr[i];
    arrivals_to_now(m, st);
    st->wait_n -= 1;
    st->wait_sum -= m->arr[i];
}

static void finish_request(const struct rt_serve_config *c, struct sim *m, struct state *st, int64_t i)
{
    m->done[i] = st->now;
    st->itl_sum += st->now - m->first[i];
    st->running--;
    st->completed++;
    if (st->completed == st->qa + 1)
        st->t_qa = st->now;
    if (st->completed == st->qb + 1)
        st->t_qb = st->now;
    st->kv_used -= m->kv[i];
    /* closed loop: the client sends its next request now */
    if (c->concurrency > 0 && !c->arrivals && st->released < c->requests)
        m->arr[st->released++] = st->now;
}

/* Sequence i decodes on with g0 tokens made: into the finishing list, or (a resumed
 * sequence, resumed) into the heap, which holds at most those running. */
static void decode_from(const struct rt_serve_config *c, struct sim *m, struct state *st, int64_t i, int64_t g0,
                        bool resumed)
{
    if (m->O[i] <= g0) {
        finish_request(c, m, st, i);
        return;
    }
    m->dstart[i] = st->D;
    m->g0[i] = g0;
    st->S0 += (double)(m->P[i] + g0 - st->D);
    if (resumed) {
        heap_push(m, st->D + m->O[i] - g0, i);
        return;
    }
    fin_push(m, st->D + m->O[i] - g0, i);
    if (g0 == 0)
        m->fresh[m->nfresh++] = i;
}

/* Sequence i starts decoding with g0 tokens made (1 after a prefill, 0 without a prompt). */
static void start_decode(const struct rt_serve_config *c, struct sim *m, struct state *st, int64_t i, int64_t g0)
{
    decode_from(c, m, st, i, g0, false);
}

/* kv_grow: the cache in tokens, and the tokens it holds now (the decoding contexts and
 * what the admitted ones not decoding yet hold) */
static double cache_tokens(const struct rt_serve_config *c)
{
    return c->kv_capacity / c->kv_seq * (double)(c->prompt + c->output);
}
static double held(const struct sim *m, const struct state *st)
{
    return st->S0 + (double)fin_count(m) * (double)st->D + st->pf_tok;
}

/* kv_grow: preempt the newest decoding sequence newer than older_than: it keeps the
 * tokens it made and waits, ahead of the queue, to recompute them.  False if none. */
__attribute__((noinline, cold)) static bool preempt(struct sim *m, struct state *st, int64_t older_than)
{
    int64_t i = fin_take_newest(m, older_than);
    if (i < 0)
        return false;
    m->gen[i] = m->g0[i] + (st->D - m->dstart[i]);
    st->S0 -= (double)(m->P[i] + m->g0[i] - m->dstart[i]);
    st->running--;
    int64_t k = m->npre++; /* newest first: the oldest is taken from the end */
    while (k > 0 && m->pre_q[k - 1] < i) {
        m->pre_q[k] = m->pre_q[k - 1];
        k--;
    }
    m->pre_q[k] = i;
    return true;
}

/* kv_grow's admission: the preempted first, oldest first, each preempting newer decoding
 * ones if it must; then arrivals while their prompt (and its first token) fits. */
__attribute__((noinline, cold)) static void admit_grow(const struct rt_serve_config *c, struct sim *m, struct state *st, int64_t slots)
{
    double cap = cache_tokens(c);
    while (m->npre > 0 && st->running < slots) {
        int64_t j = m->pre_q[m->npre - 1];
        double need = (double)(m->P[j] + m->gen[j]);
        while (held(m, st) + need > cap && preempt(m, st, j)) {}
        if (held(m, st) + need > cap && st->running > 0)
            break;
        m->npre--;
        st->running++;
        st->pf_tok += need;
        m->pre[j] = 0;
        m->rec[m->nrec++] = j;
    }
    while (m->npre == 0 && st->tail < st->released && m->arr[st->tail] <= st->now && st->running < slots &&
           (held(m, st) + (double)m->P[st->tail] + 1 <= cap || st->running == 0)) {
        int64_t i = st->tail++;
        m->admit[i] = st->now;
        int64_t h = (int64_t)floor(m->hit * (double)m->P[i]);
        m->pre[i] = h < m->P[i] ? h : (m->P[i] > 0 ? m->P[i] - 1 : 0);
        st->running++;
        if (m->P[i] == 0)
            start_decode(c, m, st, i, 0);
        else
            st->pf_tok += (double)m->P[i] + 1;
    }
    while (st->pf < st->tail && (m->P[st->pf] == 0 || m->pre[st->pf] >= m->P[st->pf]))
        st->pf++;
}

static void admit(const struct rt_serve_config *c, struct sim *m, struct state *st)
{
    int64_t slots = c->max_running > 0 ? c->max_running : INT64_MAX;
    if (st->grow) {
        admit_grow(c, m, st, slots);
        return;
    }
    while (st->tail < st->released && m->arr[st->tail] <= st->now && st->running < slots &&
           (st->kv_used + m->kv[st->tail] <= c->kv_capacity * (1 + 1e-12) || c->kv_seq <= 0 || st->running == 0)) {
        int64_t i = st->tail++;
        m->admit[i] = st->now;
        /* a prefix-cache hit: those tokens are not prefilled (the last one always is) */
        int64_t h = (int64_t)floor(m->hit * (double)m->P[i]);
        m->pre[i] = h < m->P[i] ? h : (m->P[i] > 0 ? m->P[i] - 1 : 0);
        st->running++;
        st->kv_used += m->kv[i];
        if (c->prefilled) { /* the first token came with the cache */
            first_token(m, st, i, st->now);
            start_decode(c, m, st, i, 1);
        } else if (m->P[i] == 0) {
            start_decode(c, m, st, i, 0);
        }
    }
    while (st->pf < st->tail && (c->prefilled || m->P[st->pf] == 0 || m->pre[st->pf] >= m->P[st->pf]))
        st->pf++;
}

/* Whether the request at the queue's head could be admitted once it arrives. */
static bool can_admit_next(const struct rt_serve_config *c, const struct sim *m, const struct state *st)
{
    if (st->tail >= st->released || (c->max_running > 0 && st->running >= c->max_running))
        return false;
    if (st->grow)
        return m->npre == 0 && held(m, st) + (double)m->P[st->tail] + 1 <= cache_tokens(c);
    return c->kv_seq <= 0 || st->kv_used + m->kv[st->tail] <= c->kv_capacity * (1 + 1e-12);
}

static double with_host(const struct rt_serve_config *c, double dev, double running)
{
    double host = c->host_step_s + c->host_seq_s * running;
    return c->host_overlap ? (dev > host ? dev : host) : dev + host;
}

/* One step, or k decode-only steps at once up to the next event. */
/* kv_grow, before a step: each decoding sequence's next token needs a place; the newest
 * make room (one is always let run). */
__attribute__((noinline, cold)) static void grow_room(const struct rt_serve_config *c, struct sim *m, struct state *st)
{
    double cap = cache_tokens(c);
    while (fin_count(m) > 1 && held(m, st) + (double)fin_count(m) > cap && preempt(m, st, -1)) {}
}

/* kv_grow: the resumed sequences recompute their prompt and tokens first, oldest first,
 * in the step's budget (their chunks added to *np and *span) */
__attribute__((noinline, cold)) static void recompute_chunks(struct sim *m, double *budget, double *np, double *span)
{
    for (int64_t r = 0; r < m->nrec && *budget >= 1; r++) {
        int64_t j = m->rec[r];
        double left = (double)(m->P[j] + m->gen[j] - m->pre[j]);
        double ch = left < *budget ? left : floor(*budget), a = (double)m->pre[j];
        *span += ch * a + ch * (ch + 1) / 2;
        *np += ch;
        *budget -= ch;
        m->pre[j] += (int64_t)ch;
    }
}

/* kv_grow, after a step: the resumed sequences whose recompute ended decode on */
__attribute__((noinline, cold)) static void recompute_done(const struct rt_serve_config *c, struct sim *m, struct state *st)
{
    int64_t keep = 0;
    for (int64_t r = 0; r < m->nrec; r++) {
        int64_t j = m->rec[r];
        if (m->pre[j] < m->P[j] + m->gen[j]) {
            m->rec[keep++] = j;
            continue;
        }
        st->pf_tok -= (double)(m->P[j] + m->gen[j]);
        /* decoding on, into the heap (the queue holds each request once, so it never
         * outgrows its array) */
        decode_from(c, m, st, j, m->gen[j], true);
    }
    m->nrec = keep;
}

static void step(const struct rt_serve_config *c, struct sim *m, struct state *st)
{
    if (st->grow)
        grow_room(c, m, st);
    double Bd = (double)fin_count(m);
    double ctxd = Bd > 0 ? (st->S0 + Bd * (double)st->D) / Bd : 0;
    /* prefill chunks, first come first served, within what the decodes leave of the budget */
    double budget = c->max_tokens > 0 ? (double)c->max_tokens - Bd : 1e300, Np = 0, span = 0;
    int64_t done_to = st->pf;
    if (m->nrec > 0)
        recompute_chunks(m, &budget, &Np, &span);
    for (int64_t i = st->pf; i < st->tail && budget >= 1; i++) {
        double left = (double)(m->P[i] - m->pre[i]);
        double ch = left < budget ? left : floor(budget), a = (double)m->pre[i];
        span += ch * a + ch * (ch + 1) / 2;
        Np += ch;
        budget -= ch;
        m->pre[i] += (int64_t)ch;
        if (m->pre[i] >= m->P[i])
            done_to = i + 1;
    }
    double dt, k = 1, run = (double)st->running;
    if (Np == 0 && Bd > 0 && m->nfresh == 0) {
        /* decode only: jump to the next completion or admissible arrival */
        k = (double)(fin_next_at(m) - st->D);
        if (st->grow) { /* or to where the growing cache is full */
            double kf = floor((cache_tokens(c) - held(m, st)) / Bd);
            k = kf < k ? (kf < 1 ? 1 : kf) : k;
        }
        /* one step's time: to find the next arrival's step, or when only one is taken
         * (otherwise the k steps are timed at their middle context alone) */
        double dt0 = -1;
        bool next = can_admit_next(c, m, st);
        /* with a horizon (serve_pair.c), an arrival not known yet may come after it */
        bool unknown = st->bounded && (c->max_running <= 0 || st->running < c->max_running);
        if (k <= 1 || next || unknown)
            dt0 = with_host(c, c->step(c->step_ctx, 0, 0, Bd, ctxd), run);
        if (k > 1 && dt0 > 0 && next) {
            double karr = ceil((m->arr[st->tail] - st->now) / dt0);
            if (karr < k)
                k = karr < 1 ? 1 : karr;
        }
        if (k > 1 && dt0 > 0 && unknown) {
            double kh = ceil((st->horizon - st->now) / dt0);
            if (kh < k)
                k = kh < 1 ? 1 : kh;
        }
        if (k < 1)
            k = 1;
        if (k > 1)
            dt = k * with_host(c, c->step(c->step_ctx, 0, 0, Bd, ctxd + (k - 1) / 2), run);
        else
            dt = dt0 >= 0 ? dt0 : with_host(c, c->step(c->step_ctx, 0, 0, Bd, ctxd), run);
    } else {
        dt = with_host(c, c->step(c->step_ctx, Np, Np > 0 ? span / Np : 0, Bd, ctxd), run);
    }
    if (!(dt >= 0) || !isfinite(dt))
        dt = 0;
    st->host_sum += k * (c->host_step_s + c->host_seq_s * run);
    st->area += run * dt;
    st->now += dt;
    st->D += Bd > 0 ? (int64_t)k : 0;
    st->steps += (int64_t)k;
    /* sequences without a prompt got their first token in the first of these steps */
    for (int64_t j = 0; j < m->nfresh; j++)
        first_token(m, st, m->fresh[j], st->now - dt + dt / k);
    m->nfresh = 0;
    /* finished prefills produce their first token and start decoding */
    for (int64_t i = st->pf; i < done_to; i++)
        if (m->P[i] > 0) {
            first_token(m, st, i, st->now);
            if (st->grow)
                st->pf_tok -= (double)m->P[i] + 1;
            start_decode(c, m, st, i, 1);
        }
    st->pf = done_to;
    if (m->nrec > 0)
        recompute_done(c, m, st);
    while (fin_count(m) > 0 && fin_next_at(m) <= st->D) {
        struct fin f = fin_pop(m);
        st->S0 -= (double)(m->P[f.i] + m->g0[f.i] - m->dstart[f.i]);
        finish_request(c, m, st, f.i);
    }
}

/* serve_pair.c's entries to the two above (kept static here, so that simulate inlines them) */
void sim_admit(const struct rt_serve_config *c, struct sim *m, struct state *st) { admit(c, m, st); }
void sim_step(const struct rt_serve_config *c, struct sim *m, struct state *st) { step(c, m, st); }

/* Whether the run's mean TTFT or ITL must already end above c's give_up_* (every term of
 * the sums is at least 0, so the sums so far bound them from below; a margin keeps the
 * rounding of the running sums out of it): that mean is then INFINITY. */
static bool give_up(const struct rt_serve_config *c, const struct sim *m, struct state *st, double gaps,
                    struct rt_serve_result *r)
{
    double n = (double)c->requests;
    arrivals_to_now(m, st);
    /* the first tokens so far, and at least the wait so far of those still without one */
    double low = st->ttft_sum + (st->wait_n * st->now - st->wait_sum) + n * c->request_overhead_s;
    if (c->give_up_ttft > 0 && low > c->give_up_ttft * n * (1 + 1e-6) + 1e-12 * n * st->now) {
        r->ttft_mean_s = r->ttft_p50_s = r->ttft_p99_s = INFINITY;
        return true;
    }
    if (c->give_up_itl > 0 && gaps > 0 && st->itl_sum > c->give_up_itl * gaps * (1 + 1e-6)) {
        r->itl_mean_s = INFINITY;
        return true;
    }
    return false;
}

/* How a simulation ended: gave up (give_up), ran to its end, or (a capacity run) stopped at
 * the third quartile of the completions with the quartiles' rate in cap_out. */
enum sim_end { SIM_GAVE_UP, SIM_DONE, SIM_QUARTILES };

/* The simulation proper: fills m's per-request times and r's aggregate figures
 * other than the percentiles.  With cap_out (a capacity run, whose other figures nobody
 * reads) it stops as soon as the completion times summarise would take its rate from are
 * known: the quartiles' requests have completed, at different times (later completions
 * come no earlier, so the quartiles of all n are those of the first 3n/4 + 1). */
static enum sim_end simulate(const struct rt_serve_config *c, struct sim *m, struct rt_serve_result *r,
                             double *cap_out)
{
    const int64_t n = c->requests;
    struct state st = { 0 };
    st.qa = n / 4;
    st.qb = 3 * n / 4;
    st.to_q3 = cap_out != NULL;
    st.grow = c->kv_grow && c->kv_seq > 0 && !c->prefilled;
    double gaps = 0; /* the ITL's divisor: every request's output less its first token */
    for (int64_t i = 0; (c->give_up_ttft > 0 || c->give_up_itl > 0) && i < n; i++)
        gaps += (double)(m->O[i] - 1);
    st.released = c->concurrency > 0 && !c->arrivals ? (c->concurrency < n ? c->concurrency : n) : n;
    if (c->concurrency > 0 && !c->arrivals)
        for (int64_t i = 0; i < n; i++)
            m->arr[i] = i < st.released ? 0 : INFINITY;
    st.now = m->arr[0];
    while (st.completed < n) {
        admit(c, m, &st);
        if (st.running == 0) { /* idle until the next arrival */
            if (st.tail >= st.released)
                break; /* cannot happen: a completion releases the next */
            st.now = m->arr[st.tail] > st.now ? m->arr[st.tail] : st.now;
            continue;
        }
        if (st.running > st.maxrun)
            st.maxrun = st.running;
        step(c, m, &st);
        if ((c->give_up_ttft > 0 || c->give_up_itl > 0) && give_up(c, m, &st, gaps, r))
            return SIM_GAVE_UP;
        if (st.to_q3 && st.completed > st.qb && st.t_qb > st.t_qa) {
            *cap_out = (double)(st.qb - st.qa) / (st.t_qb - st.t_qa);
            return SIM_QUARTILES;
        }
    }
    r->steps = st.steps;
    r->max_running = st.maxrun;
    r->duration_s = st.now - m->arr[0];
    r->mean_running = r->duration_s > 0 ? st.area / r->duration_s : 0;
    r->host_s_per_step = st.steps > 0 ? st.host_sum / (double)st.steps : 0;
    return SIM_DONE;
}

/* The k-th smallest of v[lo..hi] (0-based k, lo <= k <= hi), moved to v[k], with
 * everything before it no larger and everything after it no smaller: the value a full
 * sort would put at k, found in linear time (Hoare's selection, median-of-three pivot). */
double select_kth(double *v, int64_t lo, int64_t hi, int64_t k)
{
    while (hi > lo) {
        int64_t mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi];
        double piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < piv)
                i++;
            while (v[j] > piv)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break; /* j < k < i: v[k] equals the pivot */
    }
    return v[k];
}

/* Nearest-rank percentile index of n values. */
static int64_t pct_rank(int64_t n, double q)
{
    int64_t k = (int64_t)ceil(q * (double)n) - 1;
    if (k < 0)
        k = 0;
    if (k >= n)
        k = n - 1;
    return k;
}

/* The figures of a finished run; *cap_out: completions per second between the quarters. */
static void summarise(const struct rt_serve_config *c, struct sim *m, struct rt_serve_result *r, double *cap_out)
{
    int64_t n = c->requests;
    double sttft = 0, se2e = 0, sq = 0, sitl = 0, gaps = 0, out = 0, tot = 0;
    for (int64_t i = 0; i < n; i++) {
        double ttft = m->first[i] - m->arr[i] + c->request_overhead_s;
        sttft += ttft;
        se2e += m->done[i] - m->arr[i] + c->request_overhead_s;
        sq += m->admit[i] - m->arr[i];
        sitl += m->done[i] - m->first[i];
        gaps += (double)(m->O[i] - 1);
        out += (double)m->O[i];
        tot += (double)(m->P[i] + m->O[i]);
        if (c->first_out)
            c->first_out[i] = m->first[i];
        m->kv[i] = ttft; /* reuse as the array to sort */
    }
    r->ttft_mean_s = sttft / (double)n;
    r->e2e_mean_s = se2e / (double)n;
    r->queue_mean_s = sq / (double)n;
    r->itl_mean_s = gaps > 0 ? sitl / gaps : 0;
    if (r->duration_s > 0) {
        r->output_tok_s = out / r->duration_s;
        r->total_tok_s = tot / r->duration_s;
    }
    if (cap_out) { /* the quartiles of the completion times (selected, not sorted; simulate's
                    * stop at the third quartile gives the same where they differ) */
        int64_t a = n / 4, b = 3 * n / 4;
        double da = select_kth(m->done, 0, n - 1, a), db = b > a ? select_kth(m->done, a, n - 1, b) : da;
        double span = db - da;
        *cap_out = span > 0 ? (double)(b - a) / span : (n > 0 && r->duration_s > 0 ? (double)n / r->duration_s : 0);
    }
    int64_t k50 = pct_rank(n, 0.50), k99 = pct_rank(n, 0.99);
    r->ttft_p50_s = select_kth(m->kv, 0, n - 1, k50);
    r->ttft_p99_s = k99 > k50 ? select_kth(m->kv, k50, n - 1, k99) : r->ttft_p50_s;
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
    requests_init(c, &m);
    if (simulate(c, &m, r, cap_out) == SIM_DONE)
        summarise(c, &m, r, cap_out);
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
    k.concurrency = 0;
    k.give_up_ttft = k.give_up_itl = 0; /* saturated runs: run to the end */
    k.arrivals = NULL;
    k.first_out = NULL;
    int64_t slots = slots_of(c);
    if (slots < 1)
        return 0;
    if (c->arrivals) { /* given requests: their own run at once */
        k.prompts = k.outputs = NULL;
    }
    /* enough requests for several turnovers of the running set, bounded */
    double want = 8.0 * (double)slots;
    k.requests = want < 400 ? 400 : want > 16384 ? 16384 : (int64_t)want;
    if (c->prompts || c->outputs)
        k.prompts = k.outputs = NULL;
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
    k.concurrency = 0;
    k.give_up_ttft = k.give_up_itl = 0;
    k.arrivals = NULL;
    k.prompts = k.outputs = NULL;
    k.first_out = NULL;
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
    r->stable = isfinite(c->rate) && c->concurrency <= 0 && c->rate < r->capacity_rps;
    if (ttft_max > 0 || itl_max > 0)
        r->capacity_sla_rps = rt_serve_capacity_within(c, ttft_max, itl_max, r->capacity_rps);
    return RT_OK;
}
