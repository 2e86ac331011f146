/* serve_internal.h - the continuous-batching simulation's state and steps (serve.c),
 * shared with serve_pair.c, which runs two engines side by side (not part of the
 * core's public interface).  The macros give the exported symbols an rt_ prefix
 * without renaming them inside serve.c. */
#ifndef ROOFTOP_SERVE_INTERNAL_H
#define ROOFTOP_SERVE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

struct rt_serve_config; /* serve.h */

#define sim_free rt_serve_sim_free
#define sim_alloc rt_serve_sim_alloc
#define slots_of rt_serve_slots_of
#define requests_init rt_serve_requests_init
#define sim_admit rt_serve_sim_admit
#define sim_step rt_serve_sim_step
#define select_kth rt_select_kth

/* A decoding sequence: the global decode step at which it finishes. */
struct fin { int64_t at, i; };

struct sim {
    double *arr, *admit, *first, *done, *kv;
    double hit;                     /* share of each prompt served from the prefix cache */
    int64_t *P, *O, *pre, *dstart;
    struct fin *heap;               /* finishing steps out of order: a binary heap */
    int64_t nheap;
    struct fin *fifo;               /* those pushed in order (fixed lengths: all): a queue */
    int64_t qhead, qtail;
    int64_t *fresh;                 /* sequences decoding without a first token yet (no prompt) */
    int64_t nfresh;
    int64_t *g0;                    /* tokens a sequence had made when it (last) started decoding */
    /* kv_grow: the preempted sequences, newest first (the oldest at the end), with the tokens
     * each had made; and those resumed, recomputing their prompt and tokens (progress in pre[]) */
    int64_t *pre_q, npre, *gen, *rec, nrec;
    /* where each sequence is in the finishing order: its heap slot k (>= 0), -2 - q for the
     * queue's slot q, -1 for none; top: no sequence above it is there (kv_grow's newest) */
    int64_t *where, top;
};

/* The simulation's moving state. */
struct state {
    int64_t tail, pf, released, running, completed, D;
    double now, kv_used, S0; /* S0 + Bd x D: the decoding sequences' summed context */
    double pf_tok;           /* kv_grow: tokens held by the admitted sequences not decoding yet */
    bool grow;               /* the run's kv_grow (with a KV limit, not prefilled); serve_pair.c: false */
    double area, host_sum;
    int64_t steps, maxrun;
    /* for give_up_*: the sums over the first tokens and the completions so far, and the
     * requests arrived [0, arrived) still without a first token: how many, their arrivals' sum */
    double ttft_sum, itl_sum, wait_n, wait_sum;
    int64_t arrived;
    /* serve_pair.c: arrivals are known only up to the horizon (decode-only steps are not
     * taken at once past it) */
    bool bounded;
    double horizon;
    /* a capacity run (rt_serve_capacity): the completion times of the qa-th and qb-th
     * requests to complete (0-based: the quartiles of all completion times, since requests
     * complete in time order); with to_q3 the run stops once both are known and apart */
    int64_t qa, qb;
    double t_qa, t_qb;
    bool to_q3;
};

void sim_free(struct sim *m);
int sim_alloc(struct sim *m, int64_t n);
/* Sequences that fit at once: the cap, and the KV cache at the mean reservation. */
int64_t slots_of(const struct rt_serve_config *c);
/* Arrival times, lengths and each request's KV reservation. */
void requests_init(const struct rt_serve_config *c, struct sim *m);
/* Admit the arrived requests the cap and the cache allow, first come first served. */
void sim_admit(const struct rt_serve_config *c, struct sim *m, struct state *st);
/* One step, or k decode-only steps at once up to the next event. */
void sim_step(const struct rt_serve_config *c, struct sim *m, struct state *st);
/* The k-th smallest of v[lo..hi] moved to v[k] (what a full sort would put there), in
 * linear time. */
double select_kth(double *v, int64_t lo, int64_t hi, int64_t k);

#endif
