/* serve.h - serving under load: a step-level simulation of continuous batching.
 *
 * Requests arrive (Poisson at a rate, from a fixed seed; all at once; from a
 * closed loop of N clients; or at given times), wait in a FIFO queue, are
 * admitted while the engine's sequence limit and the KV cache allow (each
 * sequence reserves its cache at its final context, or, kv_grow, the cache grows
 * with the sequences and the newest are preempted), are prefilled in chunks
 * within the step's token budget after the running decodes (vLLM-style chunked
 * prefill), and leave after their output tokens.  Lengths are fixed or drawn
 * from a distribution.  Each step's time comes from a step-time function (the
 * core's rt_step_time for a scenario; tests pass synthetic ones) and the host's
 * work per step, overlapped or not.  Pure C, no I/O, no globals.
 */
#ifndef ROOFTOP_SERVE_H
#define ROOFTOP_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include "core/core.h"
#include "core/lengths.h"
#include "core/stepcache.h"

/* Seconds for one step: prefill_tokens prompt tokens attending to prefill_ctx
 * tokens on average, plus decode_seqs sequences at mean context decode_ctx. */
typedef double (*rt_step_fn)(void *ctx, double prefill_tokens, double prefill_ctx, double decode_seqs,
                             double decode_ctx);

struct rt_serve_config {
    double rate;                    /* requests per second; INFINITY: all arrive at time 0 */
    int64_t requests;               /* requests in the run, >= 1 */
    int64_t prompt, output;         /* mean tokens per request; output >= 1 */
    struct rt_dist prompt_dist, output_dist; /* fixed (zeroed) unless given */
    int64_t concurrency;            /* > 0 with an infinite rate: a closed loop of this many clients */
    int64_t max_running;            /* most sequences running at once; 0: only the KV cache limits */
    int64_t max_tokens;             /* token budget per step (decodes + prefill chunks); 0: none */
    double kv_capacity;             /* bytes free for the KV cache ... */
    double kv_seq;                  /* ... and what one sequence of mean lengths reserves; 0: no KV limit */
    /* false: a sequence reserves its final context's cache when it is admitted.  true: the
     * cache grows with the sequence (paged blocks): a request is admitted when its prompt's
     * cache is free, and when the running sequences' next tokens do not fit, the most
     * recently admitted decoding ones are preempted: they go back ahead of the queue, keep
     * the tokens they made (their first among them), and recompute their prompt and those
     * tokens when they resume; the oldest preempted one resumes first, preempting newer
     * ones if it must (TurboMind 2's SequenceManager, by arrival order). */
    bool kv_grow;
    double request_overhead_s;      /* added to every request's TTFT and latency */
    int64_t cached;                 /* prompt tokens of a mean-length request served from the prefix
                                     * cache (not prefilled, attended to), < prompt; a request of
                                     * another length in proportion */
    double host_step_s, host_seq_s; /* host work per step and per running sequence per step */
    bool host_overlap;              /* the host works ahead: a step takes max(device, host), else the sum */
    /* Given requests (disaggregated decode): arrival times (non-decreasing) and each
     * one's prompt and output; NULL: drawn as above.  With `prefilled`, prompts are
     * already in the cache and the first token already made: no prefill steps. */
    const double *arrivals;
    const int64_t *prompts, *outputs;
    bool prefilled;
    double *first_out;              /* when not NULL: each request's first-token time */
    uint64_t seed;                  /* arrival times and lengths; 0: a fixed default */
    /* > 0: stop the run as soon as its mean TTFT (ITL) must end above this (the sums of
     * the figures known so far already pass it; none is negative), and report that
     * mean as INFINITY: the solver's targets, which such a run cannot meet */
    double give_up_ttft, give_up_itl;
    rt_step_fn step;
    void *step_ctx;
};


/* One run of the simulation (no capacity search).  RT_OK, or RT_EINVAL for a bad
 * configuration or when memory runs out. */
int rt_serve_sim(const struct rt_serve_config *c, struct rt_serve_result *r);
/* Saturated throughput in requests/s: every request queued at time 0, completions
 * counted between the first and the last quarter of the run.  0 if nothing fits. */
double rt_serve_capacity(const struct rt_serve_config *c);
/* Largest rate (<= cap) whose mean TTFT and mean ITL stay within the targets (a
 * target <= 0 is not checked); bisection over a bounded number of short runs. */
double rt_serve_capacity_within(const struct rt_serve_config *c, double ttft_max, double itl_max, double cap);
/* The run, its capacity, the capacity within the targets, and stability. */
int rt_serve_run(const struct rt_serve_config *c, double ttft_max, double itl_max, struct rt_serve_result *r);

/* Disaggregated prefill and decode in a closed loop (serve_pair.c): `clients` clients
 * send pc->requests requests (prompt P[i], output O[i] tokens) to the prefill engine pc,
 * which makes each first token; the request's cache reaches the decode engine dc
 * xfer[i] seconds later, where the first token is delivered and the rest made; a client
 * sends its next request when its last one ends.  The two engines advance side by side.
 * Fills each request's arrival, first token and completion times and each engine's own
 * figures (steps, running, queueing, host time, slots; fits false: no slot).  RT_OK, or
 * RT_EINVAL for a bad configuration or when memory runs out. */
int rt_serve_pair(const struct rt_serve_config *pc, const struct rt_serve_config *dc, int64_t clients,
                  const int64_t *P, const int64_t *O, const double *xfer, double *arr, double *first, double *done,
                  struct rt_serve_result *rp, struct rt_serve_result *rd);

/* ---- a scenario on the core's step model (serve_scenario.c) ---- */

struct rt_serve_opts {
    double rate;                    /* INFINITY: all at once */
    int64_t requests;               /* 0: 1000 */
    int64_t max_running;            /* 0: the engine's max_seqs */
    int64_t concurrency;            /* closed loop with an infinite rate, 0: off */
    uint64_t seed;
    double ttft_max, itl_max;       /* targets for capacity_sla_rps, 0: none */
    bool no_capacity;               /* skip the capacity searches (faster) */
    double give_up_ttft, give_up_itl; /* with no_capacity: rt_serve_config's (0: run to the end) */
};


/* The step-time function's context for a scenario. */
struct rt_serve_step {
    const struct rt_scenario *s;
    struct rt_params p;
    struct rt_step_cache cache;     /* the step model's constants for s and p (stepcache.h) */
};
/* One step of the scenario; with pp stages the running sequences form up to pp
 * micro-batches in flight and the step is one round in which each advances. */
double rt_serve_step_time(void *ctx, double prefill_tokens, double prefill_ctx, double decode_seqs,
                          double decode_ctx);
/* The engine's scheduler defaults on device d, in place: on a device of at least large_gib
 * GiB whose id does not contain large_exclude, large_max_seqs and large_max_batched_tokens
 * replace max_seqs and max_batched_tokens (vLLM's defaults for `vllm serve` by device). */
void rt_engine_on_device(struct rt_engine *e, const struct rt_device *d);
/* Fill a simulator configuration from a scenario (its prompt, output, lengths,
 * engine limits, host costs and memory) for one replica; st must outlive c. */
void rt_serve_config_of(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_step *st,
                        struct rt_serve_config *c);
/* Disaggregated prefill and decode (serve_disagg.c): s->disagg_p devices prefill,
 * s->disagg_d decode, the KV cache moved between them. */
int rt_serve_disagg(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_result *r);
/* A disaggregated scenario's saturated throughput: the slower group's (requests/s). */
double rt_serve_disagg_capacity(const struct rt_scenario *s, const struct rt_serve_opts *o);
/* The whole scenario: dp replicas, or disaggregated prefill and decode. */
int rt_serve(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_result *r, char *err,
             size_t errlen);

#endif
