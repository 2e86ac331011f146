/* ttftloop.c - first-token latency of a batched benchmark, replayed as it ran (doc/method.md,
 * "Serving replays").
 *
 * LMDeploy's static inference table (InternLM/lmdeploy docs/en/benchmark/a100_fp16.md at
 * 3e391df) reports for "batch" N the mean first-token latency of N client threads, each
 * sending its requests one after another (benchmark/profile_generation.py at that commit:
 * `--concurrency` threads, each `test_round` requests, FTL(ave) the mean over all of
 * them).  When N sequences' caches do not fit the engine's KV blocks, only some run and
 * the others wait for them to finish: 13B with 64 clients of 2048 + 2048 tokens measures
 * 190 s, where one static batch of 64 prefills takes about 15 s.  A static batch has no
 * queue; this file runs those rows as a closed loop through the serving simulation, with
 * the engine's KV blocks and limits as the benchmark scripts set them, and the cache growing
 * with each sequence as TurboMind 2's paged blocks do (the lmdeploy profile's kv_policy
 * "grow", rt_serve_config's kv_grow: admitted on the prompt, the newest preempted when the
 * blocks run out; src/turbomind/models/llama/SequenceManager.cc, Materialize). */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/ttftloop.h"
#include "accuracy/fit.h"
#include "core/core.h"

const struct acc_loop *acc_loop_of(const struct acc_row *row, const struct acc_loop_model **m)
{
    if (row->metric != ACC_TTFT || row->batch <= 1)
        return NULL;
    return acc_loop_find(row->source, row->engine, row->model, m);
}

void acc_loop_config(struct rt_serve_config *c, const struct acc_loop *p, const struct acc_loop_model *m,
                     int64_t clients)
{
    c->rate = INFINITY;
    c->concurrency = clients;
    c->requests = clients * p->rounds;
    c->cached = 0;
    /* the cache in tokens (a block's unused tail is not counted); kv_seq: one sequence at
     * its final context, for the report's count of those that fit at once.  Whether it is
     * held as sequences grow is the engine profile's kv_policy (lmdeploy: "grow",
     * TurboMind 2's paged blocks), set by rt_serve_config_of and kept here. */
    c->kv_capacity = (double)(m->blocks * p->block_tokens);
    c->kv_seq = (double)(c->prompt + c->output);
    c->max_running = m->max_seqs;
    c->max_tokens = p->max_tokens;
}

/* The row's closed loop with engine e: its mean first-token latency in ms, the
 * sequences the cache holds in *slots; -1 when it cannot run. */
static double replay_row(const struct acc_row *row, const struct rt_engine *e, double *slots)
{
    const struct acc_loop_model *m = NULL;
    const struct acc_loop *p = acc_loop_of(row, &m);
    if (!p || !row->rs)
        return -1;
    struct rt_scenario s = row->rs->s;
    s.weights = &row->weights;
    s.batch = 1;
    s.engine = e;
    struct rt_serve_opts o = { .rate = INFINITY, .requests = row->batch * p->rounds, .concurrency = row->batch,
                               .no_capacity = true };
    struct rt_serve_step st;
    struct rt_serve_config cfg;
    rt_serve_config_of(&s, &o, &st, &cfg);
    acc_loop_config(&cfg, p, m, row->batch);
    struct rt_serve_result r;
    if (rt_serve_sim(&cfg, &r) != RT_OK || !r.fits || !(r.ttft_mean_s > 0) || !isfinite(r.ttft_mean_s))
        return -1;
    *slots = (double)r.slots;
    return r.ttft_mean_s * 1e3;
}

static bool loop_row(const struct acc_row *row) { return row->rs && acc_loop_of(row, NULL); }

static void loop_detail(FILE *out, const struct acc_row *row, double ms, double slots)
{
    fprintf(out, "  line %-5d %-14s x%-2lld %-12s %5lld/%-5lld %3lld clients  %10.0f ms  replayed %10.0f ms "
            "(%+.0f%%, %lld fit at full length)\n", row->line, row->device, (long long)row->devices, row->model,
            (long long)row->prompt, (long long)row->output, (long long)row->batch, row->value, ms,
            (ms - row->value) / row->value * 100, (long long)slots);
}

size_t accuracy_ttft_loop(const struct catalog *c, const struct acc_set *set, bool left_out, double *err, size_t max,
                          FILE *detail)
{
    static const struct fit_replay how = { loop_row, replay_row, loop_detail };
    return fit_replay_errors(c, set, &how, left_out, err, max, detail);
}

void accuracy_ttft_loop_report(const struct catalog *c, const struct acc_set *set, FILE *out)
{
    enum { MAXR = 1024 };
    double in[MAXR], lo[MAXR];
    char *rows = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&rows, &len);
    size_t n_in = accuracy_ttft_loop(c, set, false, in, MAXR, NULL);
    size_t n_lo = accuracy_ttft_loop(c, set, true, lo, MAXR, m);
    if (m)
        fclose(m);
    if (n_lo)
        fprintf(out, "%-24s %5zu %9.1f%% %9.1f%%  - (in sample %.1f%% / %.1f%%; a closed loop of the benchmark's "
                "clients, its KV blocks)\n%s", "batched TTFT", n_lo, accuracy_quantile(lo, n_lo, 0.5) * 100,
                accuracy_quantile(lo, n_lo, 0.9) * 100, n_in ? accuracy_quantile(in, n_in, 0.5) * 100 : 0,
                n_in ? accuracy_quantile(in, n_in, 0.9) * 100 : 0, rows ? rows : "");
    else
        fprintf(out, "%-24s %5d %10s %10s  - (no batched-TTFT rows with a known benchmark procedure)\n",
                "batched TTFT", 0, "-", "-");
    free(rows);
}
