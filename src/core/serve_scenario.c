/* serve_scenario.c - one engine's serving configuration from a scenario
 * (doc/method.md, section 9): the step time of the core's roofline with
 * pipeline micro-batches in flight, the engine's limits, host costs, memory for
 * the simulation and the prefix cache.  How the engines are arranged (one,
 * data-parallel replicas, disaggregated) is serve_modes.c.  Pure C, no I/O, no
 * globals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/serve.h"
#include "core/collective.h"

/* One engine step through the step cache (mixed devices: split.c's pass, uncached). */
static double step_of(struct rt_serve_step *st, double prefill_tokens, double prefill_ctx, double decode_seqs,
                      double decode_ctx)
{
    if (rt_mixed(st->s))
        return rt_step_time(st->s, &st->p, prefill_tokens, prefill_ctx, decode_seqs, decode_ctx, NULL);
    return rt_step_cached(&st->cache, st->s, &st->p, prefill_tokens, prefill_ctx, decode_seqs, decode_ctx);
}

/* Attention data parallel under expert parallel (doc/method.md, "Attention data parallel:
 * the slowest rank"): each of the ep ranks schedules its own sequences, a request's prompt
 * runs on one rank, and the MoE layers' all-to-alls make every rank wait for the slowest
 * (NVIDIA/TensorRT-LLM docs/source/blogs/tech_blog/blog10_ADP_Balance_Strategy.md: "the
 * iteration time is dominated by the slowest rank").  The busiest rank holds one request's
 * chunk, c = min(the step's prefill, one prompt), and never less than an even share; the
 * attention side of the step (t_attn: projections, cores, cache) takes what it would if
 * every rank held c, the lumped step with ep x c prefill tokens, while the experts see the
 * step's own tokens.  base is the lumped step's time. */
static double adp_slowest(struct rt_serve_step *st, double base, double Np, double pctx, double Bd, double dctx)
{
    const struct rt_scenario *s = st->s;
    double ep = (double)rt_ep(s);
    if (ep <= 1 || Np <= 0 || rt_mixed(s))
        return base;
    double c = Np < (double)s->prompt ? Np : (double)s->prompt;
    if (c * ep <= Np)
        return base;                /* every rank holds a whole chunk: balanced */
    struct rt_phase even, busy;
    rt_step_one(s, &st->p, Np, pctx, Bd, dctx, &even);
    rt_step_one(s, &st->p, c * ep, pctx, Bd, dctx, &busy);
    double extra = busy.t_attn - even.t_attn;
    return extra > 0 ? base + extra : base;
}

double rt_serve_step_time(void *ctx, double prefill_tokens, double prefill_ctx, double decode_seqs, double decode_ctx)
{
    struct rt_serve_step *st = ctx;
    const struct rt_scenario *s = st->s;
    if (s->pp <= 1)
        return adp_slowest(st, step_of(st, prefill_tokens, prefill_ctx, decode_seqs, decode_ctx), prefill_tokens,
                           prefill_ctx, decode_seqs, decode_ctx);
    /* pp stages keep up to pp micro-batches in flight: with m of them a stage works on
     * each in turn, a round (every micro-batch one step further) takes
     * max(m, pp) x (one micro-batch's pass / pp) = its full-depth pass, since m <= pp */
    double seqs = decode_seqs + (prefill_tokens > 0 ? 1 : 0), pp = (double)s->pp;
    double m = seqs < pp ? seqs : pp;
    if (m < 1)
        m = 1;
    return step_of(st, prefill_tokens / m, prefill_ctx, decode_seqs / m, decode_ctx);
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

void rt_engine_on_device(struct rt_engine *e, const struct rt_device *d)
{
    if (!(e->large_gib > 0) || !(d->memory_bytes >= e->large_gib * 1073741824.0) ||
        (e->large_exclude[0] && strstr(d->id, e->large_exclude)))
        return;
    if (e->large_max_seqs > 0)
        e->max_seqs = e->large_max_seqs;
    if (e->large_max_batched_tokens > 0)
        e->max_batched_tokens = e->large_max_batched_tokens;
}

void rt_serve_config_of(const struct rt_scenario *s, const struct rt_serve_opts *o, struct rt_serve_step *st,
                        struct rt_serve_config *c)
{
    memset(c, 0, sizeof *c);
    st->s = s;
    rt_scenario_params(s, &st->p);
    rt_step_cache_clear(&st->cache);
    const struct rt_engine *e = s->engine;
    c->rate = o->rate;
    c->requests = o->requests > 0 ? o->requests : 1000;
    c->prompt = s->prompt;
    c->output = s->output > 0 ? s->output : 1;
    c->prompt_dist = s->prompt_dist;
    c->output_dist = s->output_dist;
    c->concurrency = isfinite(o->rate) ? 0 : o->concurrency;
    /* the cap holds per scheduler; with pipeline stages each micro-batch has its own
     * (vLLM's virtual engines, one scheduler per stage) */
    int64_t cap = o->max_running > 0 ? o->max_running : e->max_seqs;
    c->max_running = cap > 0 && s->pp > 1 ? cap * s->pp : cap;
    c->max_tokens = e->max_batched_tokens;
    c->request_overhead_s = e->request_overhead_s;
    int h = s->device->host_cpu >= 0 && s->device->host_cpu < RT_HOST_N ? s->device->host_cpu : RT_HOST_X86;
    c->host_step_s = e->host_step_s[h];
    /* under attention DP (--ep) each of the ep ranks runs its own scheduler, sampler and
     * detokeniser over its own share of the running sequences, all ranks at once: a
     * step's host time is one rank's, host_step + host_seq x running / ep (the published
     * per-sequence figures are per rank: TensorRT-LLM PR #10273 timed one rank's
     * PyExecutor step, 45.11 ms with 1536 running on that rank under attention DP 2) */
    c->host_seq_s = e->host_seq_s[h] / (double)rt_ep(s);
    c->host_overlap = e->host_overlap;
    c->kv_grow = e->kv_policy == RT_KVP_GROW;
    c->seed = o->seed;
    if (o->no_capacity) { /* a run that must miss the targets only needs to say so */
        c->give_up_ttft = o->give_up_ttft;
        c->give_up_itl = o->give_up_itl;
    }
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
