/* fitserve.c - the serving-only figures of an engine profile (host work per step
 * and per running sequence) fitted through the serving simulation (fit.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/fit.h"
#include "catalog/catalog.h"
#include "core/core.h"
#include "core/serve.h"

int fit_replay_row(const struct acc_row *row, const struct rt_engine *e, double *pred, double *running)
{
    struct rt_scenario s = row->rs->s;
    s.weights = &row->weights; /* the row array may have moved since it was resolved */
    s.batch = 1;
    struct rt_engine limited;
    if (e) { /* the refitted profile, with the row's limits as resolve set them */
        limited = *e;
        if (row->max_seqs > 0)
            limited.max_seqs = row->max_seqs;
        if (row->max_tokens > 0)
            limited.max_batched_tokens = row->max_tokens;
        s.engine = &limited;
    }
    if (row->moe_pad_block > 0 && s.engine->moe_pad_block != row->moe_pad_block) {
        if (!e) /* the build's DeepGEMM MoE padding (names.cfg moe_pad_block) */
            limited = *s.engine;
        limited.moe_pad_block = row->moe_pad_block;
        s.engine = &limited;
    }
    /* every request at once, at least 2,000 of them (the steady state several times
     * over); a closed loop of the row's clients where it states them, about two
     * requests per client */
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 2000, .no_capacity = true };
    if (row->concurrency > 0) {
        o.concurrency = row->concurrency;
        if (o.requests < 2 * row->concurrency)
            o.requests = 2 * row->concurrency;
    }
    struct rt_serve_result r;
    char err[256];
    if (rt_serve(&s, &o, &r, err, sizeof err) != RT_OK || !r.fits)
        return RT_EINVAL;
    if (row->metric == ACC_ITL)
        *pred = r.itl_mean_s * 1e3;
    else
        *pred = r.output_tok_s / (row->metric == ACC_TPUT_GPU ? (double)s.devices : 1);
    if (running)
        *running = r.mean_running;
    return isfinite(*pred) && *pred > 0 ? RT_OK : RT_EINVAL;
}

/* A serving row of the fit: its host class, its class in the objective (0 max-load,
 * 1 ITL) and its current |log error|. */
struct srow { const struct acc_row *r; int host, klass; double err; };

static double row_err(const struct acc_row *r, const struct rt_engine *e)
{
    double p;
    if (fit_replay_row(r, e, &p, NULL) != RT_OK)
        return 10; /* a run the profile cannot make is as bad as it gets */
    return fabs(log(accuracy_ratio(r, p)));
}

static double sobj(const struct srow *rows, const double *err, size_t n)
{
    double sum[2] = { 0 }, cnt[2] = { 0 };
    for (size_t i = 0; i < n; i++) {
        sum[rows[i].klass] += err[i];
        cnt[rows[i].klass]++;
    }
    return (cnt[0] ? sum[0] / cnt[0] : 0) + (cnt[1] ? sum[1] / cnt[1] : 0);
}

static int knob_host(int k) { return k == FK_HOST_STEP_GRACE || k == FK_HOST_SEQ_GRACE ? RT_HOST_GRACE : RT_HOST_X86; }

/* Knob k of *e at v: only the rows on k's host class are replayed again; kept if
 * the objective falls. */
static bool try_value(struct srow *rows, double *scratch, size_t n, struct rt_engine *e, int k, double v, double *best)
{
    const struct fit_knob_info *ki = fit_knob_info(k);
    double *p = fit_knob(e, k), old = *p;
    if (!(v >= ki->lo && v <= ki->hi) || v == old)
        return false;
    *p = v;
    for (size_t i = 0; i < n; i++)
        scratch[i] = rows[i].host == knob_host(k) ? row_err(rows[i].r, e) : rows[i].err;
    double o = sobj(rows, scratch, n);
    if (o < *best - 1e-9) {
        for (size_t i = 0; i < n; i++)
            rows[i].err = scratch[i];
        *best = o;
        return true;
    }
    *p = old;
    return false;
}

/* One knob: the best of a coarse grid (0 and 1/1000 to all of its bound, in half
 * decades), then multiplicative steps ever finer. */
static void search_knob(struct srow *rows, double *scratch, size_t n, struct rt_engine *e, int k, double *best)
{
    double hi = fit_knob_info(k)->hi;
    try_value(rows, scratch, n, e, k, 0, best);
    for (int j = 0; j <= 6; j++)
        try_value(rows, scratch, n, e, k, hi * pow(10, -3 + 0.5 * j), best);
    static const double steps[] = { 1.5, 1.2, 1.06 };
    for (size_t si = 0; si < sizeof steps / sizeof steps[0]; si++) {
        for (int moves = 0; moves < 8; moves++) {
            double v = *fit_knob(e, k);
            if (!(v > 0) || !(try_value(rows, scratch, n, e, k, v * steps[si], best) ||
                              try_value(rows, scratch, n, e, k, v / steps[si], best)))
                break;
        }
    }
}

size_t fit_serving(const struct catalog *c, const struct acc_set *set, const char *id, const bool *use,
                   unsigned mask, struct rt_engine *e, double *obj)
{
    (void)c;
    if (!fit_host_fitted(e) || !(mask & FIT_SERVING))
        return 0;
    struct srow *rows = malloc((set->n ? set->n : 1) * sizeof *rows);
    double *scratch = malloc((set->n ? set->n : 1) * sizeof *scratch);
    size_t n = 0;
    unsigned fams = fit_fixed_batch_families(set, id);
    for (size_t i = 0; rows && scratch && i < set->n; i++) {
        const struct acc_row *r = &set->rows[i];
        if (!fit_serving_row(r) || strcmp(r->engine, id) || (use && !use[i]) || fit_row_bar(r, fams) != FIT_INFORMS)
            continue;
        int h = r->rs->s.device->host_cpu;
        rows[n++] = (struct srow){ r, h >= 0 && h < RT_HOST_N ? h : RT_HOST_X86, r->metric == ACC_ITL, 0 };
    }
    if (n) {
        for (size_t i = 0; i < n; i++)
            rows[i].err = row_err(rows[i].r, e);
        for (size_t i = 0; i < n; i++)
            scratch[i] = rows[i].err;
        double best = sobj(rows, scratch, n);
        for (int sweep = 0; sweep < 2; sweep++)
            for (int k = 0; k < FK_N; k++) {
                bool seen = false; /* a knob whose host class has no rows stays */
                for (size_t i = 0; i < n && !seen; i++)
                    seen = rows[i].host == knob_host(k);
                if ((mask & FIT_SERVING & (1u << k)) && seen)
                    search_knob(rows, scratch, n, e, k, &best);
            }
        if (obj)
            *obj = best;
    }
    free(rows);
    free(scratch);
    return n;
}

/* Static figures first (fit_engine), then the serving ones on top (here: fit.c calls
 * nothing of this file). */
void fit_without_source(const struct catalog *c, const struct acc_set *set, const struct rt_engine *base,
                        const char *id, const char *source, bool *use, struct rt_engine *out)
{
    for (size_t j = 0; j < set->n; j++)
        use[j] = strcmp(set->rows[j].source, source) != 0;
    fit_prior(base, out);
    fit_engine(c, set, id, use, FIT_DEFAULT, out, NULL);
    fit_serving(c, set, id, use, FIT_SERVING, out, NULL);
}

int fit_each_left_out(const struct catalog *c, const struct acc_set *set, bool (*want)(const struct acc_row *),
                      bool left_out, void (*each)(const struct acc_row *, const struct rt_engine *, void *), void *arg)
{
    bool *use = malloc((set->n ? set->n : 1) * sizeof *use), *done = calloc(set->n ? set->n : 1, sizeof *done);
    if (!use || !done) {
        free(use), free(done);
        return RT_EINVAL;
    }
    for (size_t i = 0; i < set->n; i++) { /* one refit per publication and engine */
        const struct acc_row *first = &set->rows[i];
        const struct rt_engine *base = catalog_engine(c, first->engine);
        if (done[i] || !base || !want(first))
            continue;
        struct rt_engine e = *base;
        if (left_out)
            fit_without_source(c, set, base, first->engine, first->source, use, &e);
        for (size_t j = i; j < set->n; j++) {
            const struct acc_row *row = &set->rows[j];
            if (!want(row) || strcmp(row->source, first->source) || strcmp(row->engine, first->engine))
                continue;
            done[j] = true;
            each(row, &e, arg);
        }
    }
    free(use);
    free(done);
    return RT_OK;
}

/* What fit_replay_errors gathers while fit_each_left_out walks the rows. */
struct replay_errs {
    const struct fit_replay *how;
    double *err;
    size_t n, max;
    FILE *detail;
};

static void replay_into(const struct acc_row *row, const struct rt_engine *e, void *arg)
{
    struct replay_errs *a = arg;
    double aux = 0, got = a->how->replay(row, e, &aux);
    if (got < 0 || a->n >= a->max)
        return;
    a->err[a->n++] = fabs(got - row->value) / row->value;
    if (a->detail)
        a->how->detail(a->detail, row, got, aux);
}

size_t fit_replay_errors(const struct catalog *c, const struct acc_set *set, const struct fit_replay *how,
                         bool left_out, double *err, size_t max, FILE *detail)
{
    struct replay_errs a = { how, err, 0, max, detail };
    fit_each_left_out(c, set, how->want, left_out, replay_into, &a);
    return a.n;
}
