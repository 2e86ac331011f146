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
 * listed), and per device against an H200 in the same round (the reference). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/accuracy.h"
#include "accuracy/devscale.h"
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

    /* against an H200 in the same round: the median signed error per device */
    struct text_seen seen;
    text_seen_init(&seen, TEXT_SEEN_MAX);
    bool head = false;
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *a = &set->rows[i];
        if (!usable(a) || strcmp(a->device, "h200") == 0 || !text_seen_first(&seen, a->device, NULL))
            continue;
        size_t n = 0;
        for (size_t p = 0; p < set->n && n < cap; p++) {
            const struct acc_row *x = &set->rows[p];
            if (!usable(x) || strcmp(x->device, a->device) != 0)
                continue;
            for (size_t q = 0; q < set->n && n < cap; q++) {
                const struct acc_row *h = &set->rows[q];
                if (usable(h) && strcmp(h->device, "h200") == 0 && same_case(x, h))
                    all[n++] = scaling_error(x, h);
            }
        }
        if (!n)
            continue;
        if (!head)
            fprintf(out, "against an H200 in the same round (signed: + the device is predicted too fast):\n");
        head = true;
        double med = accuracy_quantile(all, n, 0.5);
        fprintf(out, "  %-16s %-16s %5zu pairs  median %+6.1f%%\n", a->device, family_name((enum rt_family)a->family), n,
                med * 100);
    }
    free(all);
    free(fam);
}
