/* devscale.c - device scaling in the accuracy replay: how well the estimator
 * carries a published run from one device to another.
 *
 * Within one publication, rows that differ only in the device (same engine, model,
 * weight format, metric, batch, lengths and device count) form a pair; the scaling
 * error of a pair is (predicted_a / predicted_b) / (measured_a / measured_b) - 1,
 * for times the same with the ratios inverted (accuracy_ratio); its size is taken as
 * max(q, 1/q) - 1 of that ratio q, the same whichever device comes first.  A constant error
 * of the engine's profile cancels in it: it measures what the device terms (peaks,
 * bandwidth, kernel classes, family factors) get right.  Reported over all pairs,
 * over the pairs whose devices are of different families (with the worst of them
 * listed), and per device, engine and format against an H200 running TensorRT-LLM in the same
 * round (the reference). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/accuracy.h"
#include "accuracy/devscale.h"
#include "accuracy/fit.h"
#include "core/core.h"
#include "base/text.h"
#include "catalog/catalog.h"

static bool same_case(const struct acc_row *a, const struct acc_row *b)
{
    return strcmp(a->source, b->source) == 0 && strcmp(a->engine, b->engine) == 0 &&
           strcmp(a->model, b->model) == 0 && strcmp(a->weights.id, b->weights.id) == 0 &&
           a->metric == b->metric && a->batch == b->batch && a->prompt == b->prompt && a->output == b->output &&
           a->devices == b->devices && strcmp(a->device, b->device) != 0;
}

static bool usable(const struct acc_row *r) { return !r->skip && r->predicted > 0 && r->value > 0; }

/* predicted / measured scaling of a over b, minus 1 */
static double scaling_error(const struct acc_row *a, const struct acc_row *b)
{
    return accuracy_ratio(a, a->predicted) / accuracy_ratio(b, b->predicted) - 1;
}

static void line(FILE *out, const char *what, double *e, size_t n)
{
    if (!n) {
        fprintf(out, "%-34s %6d %10s %10s\n", what, 0, "-", "-");
        return;
    }
    fprintf(out, "%-34s %6zu %9.1f%% %9.1f%%\n", what, n, accuracy_quantile(e, n, 0.5) * 100,
            accuracy_quantile(e, n, 0.9) * 100);
}

#define WORST_N 6

struct worst { double e; size_t a, b; };

/* Keep the WORST_N largest errors, largest first. */
static void keep_worst(struct worst *w, size_t *n, double e, size_t a, size_t b)
{
    size_t k = *n < WORST_N ? (*n)++ : WORST_N - 1;
    if (k == WORST_N - 1 && *n == WORST_N && w[k].e >= e)
        return;
    while (k > 0 && w[k - 1].e < e) {
        w[k] = w[k - 1];
        k--;
    }
    w[k] = (struct worst){ e, a, b };
}

static void side(FILE *out, const struct acc_row *r)
{
    fprintf(out, "line %4d %-13s x%.2f", r->line, r->device, accuracy_ratio(r, r->predicted));
}

static void list_worst(FILE *out, const struct acc_set *set, const struct worst *w, size_t n)
{
    if (n)
        fprintf(out, "worst pairs across families (x predicted / measured of each row):\n");
    for (size_t i = 0; i < n; i++) {
        const struct acc_row *a = &set->rows[w[i].a], *b = &set->rows[w[i].b];
        fprintf(out, "  %5.1f%%  %-12s %-7s %-9s  ", w[i].e * 100, a->model, a->weights.id, a->metric_name);
        side(out, a);
        fputs("  vs  ", out);
        side(out, b);
        fputc('\n', out);
    }
}

/* A row's figure for the H200 comparison: a max-load throughput row through the serving
 * simulation with the shipped profile (what "maximum-load throughput" measured: the
 * engine's limits, chunked prefill among the decodes), any other row as scored.  Cached
 * per row in pred (0: not yet, negative: none). */
static double compared(const struct acc_set *set, double *pred, size_t i)
{
    const struct acc_row *r = &set->rows[i];
    if (pred[i] == 0) {
        double p = r->predicted;
        if (fit_serving_row(r) && r->metric != ACC_ITL && fit_replay_row(r, NULL, &p, NULL) != RT_OK)
            p = -1;
        pred[i] = p > 0 ? p : -1;
    }
    return pred[i];
}

static bool trtllm_h200(const struct acc_row *r) { return strcmp(r->device, "h200") == 0 && strncmp(r->engine, "trtllm", 6) == 0; }

/* x and an H200 row h of the same round: the same publication, model, metric and
 * lengths, both at one batch (or both at max load); engine, weight format and, for a
 * per-GPU figure, the device count may differ (the reference is an H200 running
 * TensorRT-LLM, whatever the other device ran). */
static bool same_round(const struct acc_row *x, const struct acc_row *h)
{
    return strcmp(x->source, h->source) == 0 && strcmp(x->model, h->model) == 0 && x->metric == h->metric &&
           x->batch == h->batch && x->prompt == h->prompt && x->output == h->output &&
           (x->metric == ACC_TPUT_GPU || x->devices == h->devices) && strcmp(x->device, "h200") != 0;
}

/* Against an H200 running TensorRT-LLM in the same round: per (device, engine, weight
 * format), the median, least and largest signed scaling error of its pairs. */
static void against_h200(const struct acc_set *set, FILE *out)
{
    double *pred = calloc(set->n ? set->n : 1, sizeof *pred), *e = malloc((set->n ? set->n : 1) * 4 * sizeof *e);
    bool *done = calloc(set->n ? set->n : 1, sizeof *done);
    bool head = false;
    for (size_t i = 0; pred && e && done && i < set->n; i++) {
        const struct acc_row *a = &set->rows[i];
        if (done[i] || !usable(a) || trtllm_h200(a))
            continue;
        size_t n = 0;
        for (size_t x = i; x < set->n; x++) {
            const struct acc_row *rx = &set->rows[x];
            if (!usable(rx) || strcmp(rx->device, a->device) || strcmp(rx->engine, a->engine) ||
                strcmp(rx->weights.id, a->weights.id))
                continue;
            done[x] = true;
            for (size_t h = 0; h < set->n && n < set->n * 4; h++) {
                const struct acc_row *rh = &set->rows[h];
                if (!usable(rh) || !trtllm_h200(rh) || !same_round(rx, rh))
                    continue;
                double px = compared(set, pred, x), ph = compared(set, pred, h);
                if (px > 0 && ph > 0)
                    e[n++] = accuracy_ratio(rx, px) / accuracy_ratio(rh, ph) - 1;
            }
        }
        if (!n)
            continue;
        if (!head)
            fprintf(out, "against an H200 running TensorRT-LLM in the same round (signed: + the device is predicted "
                         "too fast;\nmax-load rows through the serving simulation):\n");
        head = true;
        double lo = e[0], hi = e[0];
        for (size_t k = 1; k < n; k++) {
            lo = fmin(lo, e[k]);
            hi = fmax(hi, e[k]);
        }
        fprintf(out, "  %-13s %-16s %-14s %-6s %5zu pairs  median %+6.1f%%  (%+.1f%% .. %+.1f%%)\n", a->device,
                family_name((enum rt_family)a->family), a->engine, a->weights.id, n, accuracy_quantile(e, n, 0.5) * 100,
                lo * 100, hi * 100);
    }
    free(pred);
    free(e);
    free(done);
}

void accuracy_device_scaling(const struct acc_set *set, FILE *out)
{
    struct worst worst[WORST_N];
    size_t n_worst = 0;
    size_t cap = 4096, n_all = 0, n_fam = 0;
    double *all = malloc(cap * sizeof *all), *fam = malloc(cap * sizeof *fam);
    if (!all || !fam) {
        free(all);
        free(fam);
        return;
    }
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *a = &set->rows[i];
        if (!usable(a))
            continue;
        for (size_t j = i + 1; j < set->n; j++) {
            const struct acc_row *b = &set->rows[j];
            if (!usable(b) || !same_case(a, b))
                continue;
            double q = scaling_error(a, b) + 1, e = (q >= 1 ? q : 1 / q) - 1; /* the same either way round */
            if (n_all < cap)
                all[n_all++] = e;
            if (a->family != b->family && n_fam < cap) {
                fam[n_fam++] = e;
                keep_worst(worst, &n_worst, e, i, j);
            }
        }
    }
    fprintf(out, "\ndevice scaling, in sample (pairs of rows of one publication that differ only in the device):\n");
    fprintf(out, "%-34s %6s %10s %10s  goal median <= 15%%, p90 <= 30%%\n", "pairs", "n", "median|e|", "p90|e|");
    line(out, "any two devices", all, n_all);
    line(out, "devices of different families", fam, n_fam);
    list_worst(out, set, worst, n_worst);

    against_h200(set, out);
    free(all);
    free(fam);
}
