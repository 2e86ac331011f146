/* itlload.c - inter-token latency under load (doc/method.md, "Serving replays").
 *
 * A row of metric itl_ms states the mean gap between a request's tokens after its first,
 * measured by a benchmark client that keeps N requests out at once ("concurrency N"). It
 * is replayed as it ran: a closed loop of N clients through the serving simulation, every
 * request the row's prompt and output lengths, the row's engine limits where it states
 * them, and the engine profile refitted without the row's own publication (as for the
 * max-load rows, summary.c).  The static classes never see these rows (ACC_SKIP_SERVING):
 * one static batch has no queue, so it has no figure for a latency under load. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/itlload.h"
#include "accuracy/fit.h"
#include "core/core.h"
#include "core/serve.h"

static bool itl_row(const struct acc_row *r)
{
    return r->metric == ACC_ITL && r->rs && r->concurrency > 0 && r->skip && strcmp(r->skip, ACC_SKIP_SERVING) == 0;
}

/* The row's closed loop with engine e and the row's limits: its mean ITL in ms (and the
 * mean running sequences), or -1 when it cannot run. */
static double replay_itl(const struct acc_row *row, const struct rt_engine *e, double *running)
{
    struct rt_scenario s = row->rs->s;
    s.weights = &row->weights;
    s.batch = 1;
    /* the profile's scheduler defaults on the row's device (vLLM's larger ones on a device
     * of 70 GiB or more, as `vllm serve` takes them), then the row's own limits */
    struct rt_engine limited = *e;
    rt_engine_on_device(&limited, s.device);
    if (row->max_seqs > 0)
        limited.max_seqs = row->max_seqs;
    if (row->max_tokens > 0)
        limited.max_batched_tokens = row->max_tokens;
    if (row->moe_pad_block > 0) /* the build's DeepGEMM MoE padding (names.cfg moe_pad_block) */
        limited.moe_pad_block = row->moe_pad_block;
    s.engine = &limited;
    /* the requests the benchmark sent where the row states them (a closed loop of N clients
     * over fewer than N prompts holds them all at once, then drains); else about two per
     * client, at least 2,000: the loop's steady state dominates */
    int64_t n = row->prompts > 0 ? row->prompts : 2 * row->concurrency > 2000 ? 2 * row->concurrency : 2000;
    struct rt_serve_opts o = { .rate = INFINITY, .requests = n, .concurrency = row->concurrency, .no_capacity = true };
    struct rt_serve_result r;
    char err[256];
    if (rt_serve(&s, &o, &r, err, sizeof err) != RT_OK || !r.fits || !(r.itl_mean_s > 0))
        return -1;
    *running = r.mean_running;
    return r.itl_mean_s * 1e3;
}

static void itl_detail(FILE *out, const struct acc_row *row, double ms, double running)
{
    fprintf(out, "  line %-5d %-14s x%-2lld %-16s %5lld/%-5lld %4lld clients  %8.2f ms  replayed %8.2f ms "
            "(%+.1f%%, %.0f running)\n", row->line, row->device, (long long)row->devices, row->model,
            (long long)row->prompt, (long long)row->output, (long long)row->concurrency, row->value, ms,
            (ms - row->value) / row->value * 100, running);
}

size_t accuracy_itl_left_out(const struct catalog *c, const struct acc_set *set, double *err, size_t max,
                             FILE *detail)
{
    static const struct fit_replay how = { itl_row, replay_itl, itl_detail };
    return fit_replay_errors(c, set, &how, true, err, max, detail);
}
