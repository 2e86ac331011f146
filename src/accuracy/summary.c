/* summary.c - the --accuracy report: in-sample error per metric class, the
 * serving replay, the cross-validated errors and the bands' coverage, the
 * skipped and the worst rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/accuracy.h"
#include "accuracy/devscale.h"
#include "accuracy/crossval.h"
#include "accuracy/fit.h"
#include "accuracy/itlload.h"
#include "accuracy/ttftloop.h"
#include "accuracy/summary.h"
#include "base/text.h"
#include "catalog/catalog.h"
#include "core/core.h"
#include "core/serve.h"

/* A row and what one fit predicted for it, for the lists of worst rows. */
struct worst { const struct acc_row *r; double pred, err; };

static int cmp_worst(const void *a, const void *b)
{
    double ex = fabs(((const struct worst *)a)->err), ey = fabs(((const struct worst *)b)->err);
    return ex < ey ? 1 : ex > ey ? -1 : 0;
}

/* The `top` rows of w[0..n) furthest from their measurement, under a title. */
static void print_worst(FILE *out, const char *title, struct worst *w, size_t n, size_t top)
{
    qsort(w, n, sizeof *w, cmp_worst);
    fprintf(out, "\n%s:\n%5s  %-24s %-20s %-6s %6s %6s %-30s %10s %10s %7s\n", title, "line", "hardware", "model",
            "wfmt", "batch", "tp", "metric", "measured", "predicted", "error");
    for (size_t i = 0; i < n && i < top; i++) {
        const struct acc_row *r = w[i].r;
        fprintf(out, "%5d  %-24.24s %-20.20s %-6.6s %6lld %6lld %-30.30s %10.4g %10.4g %+6.0f%%\n", r->line,
                r->hardware, r->model_name, r->weights.id, (long long)r->batch, (long long)r->devices,
                r->metric_name, r->value, w[i].pred, w[i].err * 100);
    }
}

/* Median and 90th percentile of |predicted - measured| / measured over the rows
 * (of class k, -1: all; of engine eng, NULL: all) that pred predicts, and how
 * many fall inside [lo, hi]. */
static struct acc_stat stat_of(const struct acc_set *set, const double *pred, const double *lo, const double *hi,
                               int k, const char *eng)
{
    struct acc_stat st = { 0 };
    double *e = malloc((set->n ? set->n : 1) * sizeof *e);
    if (!e)
        return st;
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *r = &set->rows[i];
        if (!(pred[i] > 0) || (k >= 0 && (int)r->klass != k) || (eng && strcmp(r->engine, eng)))
            continue;
        e[st.n++] = fabs(pred[i] - r->value) / r->value;
        st.in_band += r->value >= lo[i] * 0.9999 && r->value <= hi[i] * 1.0001;
        st.sum_log += log(pred[i] / r->value);
    }
    st.median = accuracy_quantile(e, st.n, 0.5);
    st.p90 = accuracy_quantile(e, st.n, 0.9);
    free(e);
    return st;
}

/* The cross-validated report: each publication and each device family left out
 * of the fit and predicted from the rest, then the bands' coverage. */
static void cv_report(const struct catalog *c, const struct acc_set *set, FILE *out)
{
    size_t n = set->n ? set->n : 1;
    double *pred = malloc(n * sizeof *pred), *lo = malloc(n * sizeof *lo), *hi = malloc(n * sizeof *hi);
    int *grp = malloc(n * sizeof *grp);
    if (!pred || !lo || !hi || !grp)
        goto done;
    /* the bands' groups first: for an engine with several publications they are
     * its publication groups, so only the others need a second pass */
    double *bpred = malloc(n * sizeof *bpred), *blo = malloc(n * sizeof *blo), *bhi = malloc(n * sizeof *bhi);
    bool *want = malloc(n * sizeof *want);
    if (!bpred || !blo || !bhi || !want) {
        free(bpred), free(blo), free(bhi), free(want);
        goto done;
    }
    accuracy_cv(c, set, CV_BAND, FIT_DEFAULT, bpred, blo, bhi, grp);
    for (size_t i = 0; i < set->n; i++)
        want[i] = !set->rows[i].skip && set->rows[i].rs && !accuracy_multi_source(set, i);
    for (int split = CV_SOURCE; split <= CV_FAMILY; split++) {
        accuracy_cv_some(c, set, (enum cv_split)split, FIT_DEFAULT, split == CV_SOURCE ? want : NULL, pred, lo, hi, grp);
        if (split == CV_SOURCE)
            for (size_t i = 0; i < set->n; i++)
                if (!want[i] && bpred[i] > 0) {
                    pred[i] = bpred[i];
                    lo[i] = blo[i];
                    hi[i] = bhi[i];
                }
        fprintf(out, "\ncross-validated, %s (refitted without it, from the prior profile):\n", cv_split_name(split));
        fprintf(out, "%-24s %5s %10s %10s %8s %8s\n", "class", "rows", "median|e|", "p90|e|", "in band", "bias");
        for (int k = 0; k < ACC_CLASS_N; k++) {
            struct acc_stat a = stat_of(set, pred, lo, hi, k, NULL);
            if (!a.n) { /* no figure rather than a 0% that reads as perfect */
                fprintf(out, "%-24s %5d %10s %10s %8s %8s\n", accuracy_class_name(k), 0, "-", "-", "-", "-");
                continue;
            }
            fprintf(out, "%-24s %5zu %9.1f%% %9.1f%% %7.0f%% %+7.1f%%\n", accuracy_class_name(k), a.n, a.median * 100,
                    a.p90 * 100, a.n ? 100.0 * (double)a.in_band / (double)a.n : 0,
                    a.n ? (exp(a.sum_log / (double)a.n) - 1) * 100 : 0);
        }
        if (split == CV_SOURCE) {
            /* per publication: which generalise */
            fprintf(out, "  per publication left out:\n");
            struct text_seen seen; /* publication and engine */
            text_seen_init(&seen, TEXT_SEEN_MAX);
            for (size_t i = 0; i < set->n; i++) {
                const struct acc_row *r = &set->rows[i];
                if (!(pred[i] > 0) || !text_seen_first(&seen, r->source, r->engine))
                    continue;
                double *m = malloc(n * sizeof *m);
                size_t cnt = 0;
                for (size_t j = 0; m && j < set->n; j++)
                    if (pred[j] > 0 && strcmp(set->rows[j].source, r->source) == 0 &&
                        strcmp(set->rows[j].engine, r->engine) == 0)
                        m[cnt++] = fabs(pred[j] - set->rows[j].value) / set->rows[j].value;
                if (m)
                    fprintf(out, "  %5zu rows  median %5.1f%%  p90 %6.1f%%  %-10s %.60s\n", cnt,
                            accuracy_quantile(m, cnt, 0.5) * 100, accuracy_quantile(m, cnt, 0.9) * 100, r->engine,
                            r->source);
                free(m);
            }
        }
        if (split == CV_SOURCE) {
            /* the rows a left-out publication predicts worst: what its own
             * rows do not carry over from the others */
            struct worst *w = malloc(n * sizeof *w);
            size_t nw = 0;
            for (size_t i = 0; w && i < set->n; i++)
                if (pred[i] > 0)
                    w[nw++] = (struct worst){ &set->rows[i], pred[i], pred[i] / set->rows[i].value - 1 };
            if (w)
                print_worst(out, "  worst rows, each publication left out", w, nw, 15);
            /* the tails of the two single-stream classes, whose p90 is a goal:
             * their worst tenth, so the rows above the p90 are all listed */
            for (int k = ACC_DECODE; w && k <= ACC_PREFILL; k++) {
                nw = 0;
                for (size_t i = 0; i < set->n; i++)
                    if (pred[i] > 0 && (int)set->rows[i].klass == k)
                        w[nw++] = (struct worst){ &set->rows[i], pred[i], pred[i] / set->rows[i].value - 1 };
                char title[96];
                snprintf(title, sizeof title, "  worst %s rows, each publication left out (the worst tenth)",
                         accuracy_class_name(k));
                print_worst(out, title, w, nw, (nw + 9) / 10);
            }
            free(w);
        }
    }
    /* coverage: the share of each engine's runs per device family inside the
     * band when their group was left out of the fit */
    memcpy(pred, bpred, set->n * sizeof *pred);
    memcpy(lo, blo, set->n * sizeof *lo);
    memcpy(hi, bhi, set->n * sizeof *hi);
    free(bpred), free(blo), free(bhi), free(want);
    fprintf(out, "\n%s:\n", cv_split_name(CV_BAND));
    fprintf(out, "%-12s %-16s %14s %12s   %s\n", "engine", "device family", "inside band", "share", "band (engine profile)");
    for (size_t ei = 0; ei < c->n_engines; ei++) {
        const struct rt_engine *e = &c->engines[ei];
        for (int f = 0; f < RT_FAM_N; f++) {
            size_t in = 0, tot = 0;
            for (size_t i = 0; i < set->n; i++) {
                const struct acc_row *r = &set->rows[i];
                if (!(pred[i] > 0) || r->family != f || strcmp(r->engine, e->id))
                    continue;
                tot++;
                in += r->value >= lo[i] * 0.9999 && r->value <= hi[i] * 1.0001;
            }
            if (tot)
                fprintf(out, "%-12s %-16s %6zu of %-5zu %11.0f%%   x%.3f..x%.3f on time (stored: %d of %d)\n", e->id,
                        family_name((enum rt_family)f), in, tot, 100.0 * (double)in / (double)tot, e->band_low, e->band_high,
                        e->band_in[f], e->band_runs[f]);
        }
    }
done:
    free(pred);
    free(lo);
    free(hi);
    free(grp);
}

/* The max-load throughput rows ("as many sequences as fit", infinite request
 * rate) replayed through the continuous-batching simulation instead of one
 * static batch: the engine's sequence limit, chunked prefill mixed with the
 * decodes, requests leaving and entering.  Printed beside the static figure,
 * with the shipped profiles (their host costs, where fitted, fitted through this
 * simulation by make fit: fitserve.c). */
static void serving_replay(const struct catalog *c, const struct acc_set *set, FILE *out)
{
    double es[1024], ed[1024];
    size_t n = 0;
    for (size_t i = 0; i < set->n && n < 1024; i++) {
        const struct acc_row *row = &set->rows[i];
        if (row->skip || !row->rs || row->batch != 0 ||
            (row->metric != ACC_TPUT_TOTAL && row->metric != ACC_TPUT_GPU))
            continue;
        double stat, lo, hi;
        if (accuracy_predict(c, row, NULL, &stat, &lo, &hi) != RT_OK)
            continue;
        double sim;
        if (fit_replay_row(row, NULL, &sim, NULL) != RT_OK)
            continue;
        es[n] = fabs(stat - row->value) / row->value;
        ed[n++] = fabs(sim - row->value) / row->value;
    }
    if (!n)
        return;
    double ms = accuracy_quantile(es, n, 0.5), ps = accuracy_quantile(es, n, 0.9);
    double md = accuracy_quantile(ed, n, 0.5), pd = accuracy_quantile(ed, n, 0.9);
    fprintf(out, "\nmax-load throughput rows (infinite rate) through the serving simulation, in sample:\n");
    fprintf(out, "%-24s %5zu %9.1f%% %9.1f%%\n", "static max batch", n, ms * 100, ps * 100);
    fprintf(out, "%-24s %5zu %9.1f%% %9.1f%%\n", "continuous batching", n, md * 100, pd * 100);
}

/* A max-load throughput row replayed through the serving simulation with engine e:
 * its absolute relative error, or a negative number when it cannot be replayed. */
static double replay_row(const struct acc_row *row, const struct rt_engine *e)
{
    double p;
    return fit_replay_row(row, e, &p, NULL) == RT_OK ? fabs(p - row->value) / row->value : -1;
}

static bool max_load_row(const struct acc_row *row) { return fit_serving_row(row) && row->metric != ACC_ITL; }

/* One expert-parallel row's replay, a line under its class (as the ITL rows have). */
static void ep_row_line(FILE *m, const struct acc_row *row, const struct rt_engine *e)
{
    double p = 0, run = 0;
    if (!m || fit_replay_row(row, e, &p, &run) != RT_OK)
        return;
    fprintf(m, "  line %-5d %-10s x%-2lld ep %-2lld %-14s %5lld/%-5lld %5lld clients  %9.1f  replayed %9.1f (%+.1f%%, %.0f running) %s\n",
            row->line, row->device, (long long)row->devices, (long long)row->rs->s.ep, row->model,
            (long long)row->prompt, (long long)row->output, (long long)row->concurrency, row->value, p,
            (p / row->value - 1) * 100, run, row->engine);
}

/* The rule of which rows inform the fits (fit.h fit_row_bar), the same for make fit and
 * every left-out refit, and the rows it bars: counted per engine and device family. */
static void barred_rows(const struct acc_set *set, FILE *out)
{
    enum { MAXB = 16 };
    struct barred { const char *engine; int family; size_t n; } fam[MAXB];
    size_t n_fam = 0, n_ep = 0, n_other = 0;
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *r = &set->rows[i];
        if (!r->rs || (r->skip && !fit_serving_row(r)))
            continue;
        enum fit_bar b = fit_row_bar(r, fit_fixed_batch_families(set, r->engine));
        if (b == FIT_BAR_EP) {
            n_ep++;
        } else if (b == FIT_BAR_FAMILY) {
            size_t k = 0;
            while (k < n_fam && (strcmp(fam[k].engine, r->engine) || fam[k].family != r->family))
                k++;
            if (k == n_fam && n_fam < MAXB)
                fam[n_fam++] = (struct barred){ r->engine, r->family, 0 };
            if (k < n_fam)
                fam[k].n++;
            else
                n_other++;
        }
    }
    fprintf(out, "rows that inform no fitted figure (replayed and reported in their classes all the same):\n"
                 "  %zu run with experts split across devices (ep > 1: no measured dispatch/combine figure)\n", n_ep);
    fprintf(out, "  serving rows on a device family without fixed-batch rows of their engine (the gap to the roofline\n"
                 "  cannot be told apart from that family's kernel maturity):");
    for (size_t k = 0; k < n_fam; k++)
        fprintf(out, "%s%s on %s %zu", k ? ", " : "\n    ", fam[k].engine, family_name((enum rt_family)fam[k].family),
                fam[k].n);
    if (n_other)
        fprintf(out, ", others %zu", n_other);
    fprintf(out, "%s\n", n_fam || n_other ? "" : " none");
}

/* The same rows with each publication left out: the engine refitted from the prior
 * profile on its rows of the other publications (the static figures on the static rows,
 * then the serving-only ones, host costs where unpublished, through the simulation on the
 * serving rows: fit_without_source), then each row of the publication replayed through
 * the simulation with it.  Classes by the goals:
 * max-load throughput; expert parallel (rows with --ep); ITL under load (itlload.c). */
static void serving_replay_left_out(const struct catalog *c, const struct acc_set *set, FILE *out)
{
    enum { MAXR = 1024, MAXS = 32 };
    double e_all[MAXR], e_ep[MAXR];
    size_t n_all = 0, n_ep = 0;
    struct text_seen done; /* publications */
    text_seen_init(&done, MAXS);
    bool *use = malloc((set->n ? set->n : 1) * sizeof *use);
    if (!use)
        return;
    char *eprows = NULL;
    size_t eplen = 0;
    FILE *epm = open_memstream(&eprows, &eplen);
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *first = &set->rows[i];
        if (!max_load_row(first) || !text_seen_first(&done, first->source, NULL))
            continue;
        const struct rt_engine *base = catalog_engine(c, first->engine);
        if (!base)
            continue;
        struct rt_engine e;
        fit_without_source(c, set, base, first->engine, first->source, use, &e);
        for (size_t j = i; j < set->n && n_all < MAXR; j++) {
            const struct acc_row *row = &set->rows[j];
            if (!max_load_row(row) || strcmp(row->source, first->source) || strcmp(row->engine, first->engine))
                continue;
            double err = replay_row(row, &e);
            if (err < 0)
                continue;
            e_all[n_all++] = err;
            if (row->rs->s.ep > 1) {
                e_ep[n_ep++] = err;
                ep_row_line(epm, row, &e);
            }
        }
    }
    free(use);
    if (epm)
        fclose(epm);
    fprintf(out, "\nserving replays, each publication left out (refitted without it: static figures on the static rows,\n"
                 "host costs fitted through the simulation on the serving rows; replayed through the simulation):\n");
    barred_rows(set, out);
    fprintf(out, "%-24s %5s %10s %10s  %s\n", "class", "rows", "median|e|", "p90|e|", "goal");
    fprintf(out, "%-24s %5zu %9.1f%% %9.1f%%  median <= 20%%, p90 <= 45%%\n", "max-load throughput", n_all,
            n_all ? accuracy_quantile(e_all, n_all, 0.5) * 100 : 0, n_all ? accuracy_quantile(e_all, n_all, 0.9) * 100 : 0);
    if (n_ep)
        fprintf(out, "%-24s %5zu %9.1f%% %9.1f%%  median <= 25%%, p90 <= 50%%\n%s", "expert parallel", n_ep,
                accuracy_quantile(e_ep, n_ep, 0.5) * 100, accuracy_quantile(e_ep, n_ep, 0.9) * 100,
                eprows ? eprows : "");
    else /* no figure rather than a 0% that reads as perfect */
        fprintf(out, "%-24s %5d %10s %10s  median <= 25%%, p90 <= 50%% (no expert-parallel max-load rows in the set)\n",
                "expert parallel", 0, "-", "-");
    free(eprows);
    double e_itl[MAXR];
    char *rows = NULL;
    size_t len = 0, n_itl;
    FILE *m = open_memstream(&rows, &len);
    n_itl = accuracy_itl_left_out(c, set, e_itl, MAXR, m);
    if (m)
        fclose(m);
    if (n_itl)
        fprintf(out, "%-24s %5zu %9.1f%% %9.1f%%  median <= 15%%, p90 <= 30%%\n%s", "ITL under load", n_itl,
                accuracy_quantile(e_itl, n_itl, 0.5) * 100, accuracy_quantile(e_itl, n_itl, 0.9) * 100, rows ? rows : "");
    else
        fprintf(out, "%-24s %5d %10s %10s  median <= 15%%, p90 <= 30%% (no ITL-under-load rows in the set)\n",
                "ITL under load", 0, "-", "-");
    free(rows);
    accuracy_ttft_loop_report(c, set, out);
}

int accuracy_run(const struct catalog *c, const char *csv_path, FILE *out, char *err, size_t errlen)
{
    struct acc_set set;
    if (accuracy_load(c, csv_path, &set, err, errlen) != RT_OK)
        return 1;
    struct acc_score sc;
    accuracy_score(c, &set, NULL, NULL, &sc);
#define MEDIAN(id, name, median, p90) median,
#define P90(id, name, median, p90) p90,
    static const double target_med[ACC_CLASS_N] = { ACC_CLASSES(MEDIAN) };
    static const double target_p90[ACC_CLASS_N] = { ACC_CLASSES(P90) };
#undef MEDIAN
#undef P90
    fprintf(out, "rooftop accuracy: %s, %zu rows\n\n", csv_path, set.n);
    /* the headline is in sample for the rows the engine profiles were fitted to (make fit:
     * accuracy/measurements.csv): say so, and where the out-of-sample figures are */
    fprintf(out, "with the shipped engine profiles: in sample for the rows they were fitted to "
                 "(make fit); cross-validated below\n");
    fprintf(out, "%-24s %5s %10s %10s %8s %8s  %s\n", "class", "rows", "median|e|", "p90|e|", "in band", "bias", "target");
    for (int k = 0; k < ACC_CLASS_N; k++) {
        const struct acc_stat *a = &sc.k[k];
        char target[64] = "-";
        if (target_med[k] > 0)
            snprintf(target, sizeof target, "median <= %.0f%%%s", target_med[k] * 100, "");
        if (target_p90[k] > 0)
            snprintf(target + strlen(target), sizeof target - strlen(target), ", p90 <= %.0f%%", target_p90[k] * 100);
        double bias = a->n ? exp(a->sum_log / (double)a->n) - 1 : 0;
        if (!a->n) { /* the published batched TTFT rows are closed loops: the serving replays */
            fprintf(out, "%-24s %5d %10s %10s %8s %8s  %s\n", accuracy_class_name(k), 0, "-", "-", "-", "-",
                    k == ACC_BATCH_TTFT ? "- (closed-loop rows: see the serving replays)" : target);
            continue;
        }
        fprintf(out, "%-24s %5zu %9.1f%% %9.1f%% %7.0f%% %+7.1f%%  %s\n", accuracy_class_name(k), a->n, a->median * 100,
                a->p90 * 100, a->n ? 100.0 * (double)a->in_band / (double)a->n : 0, bias * 100, target);
    }
    size_t used = 0, band = 0;
    for (int k = 0; k < ACC_CLASS_N; k++) {
        used += sc.k[k].n;
        band += sc.k[k].in_band;
    }
    fprintf(out, "%-24s %5zu %32.0f%%\n", "all", used, used ? 100.0 * (double)band / (double)used : 0);
    accuracy_device_scaling(&set, out);
    serving_replay(c, &set, out);
    serving_replay_left_out(c, &set, out);
    cv_report(c, &set, out);

    /* skipped rows, grouped by reason */
    fprintf(out, "\nskipped %zu rows:\n", set.n - used);
    const char *reasons[16];
    size_t counts[16];
    int nr = 0;
    for (size_t i = 0; i < set.n; i++) {
        if (!set.rows[i].skip)
            continue;
        int k;
        for (k = 0; k < nr && strcmp(reasons[k], set.rows[i].skip); k++) {}
        if (k == nr && nr < 16) {
            reasons[nr] = set.rows[i].skip;
            counts[nr++] = 0;
        }
        if (k < 16)
            counts[k]++;
    }
    for (int k = 0; k < nr; k++) {
        fprintf(out, "  %4zu  %s", counts[k], reasons[k]);
        /* name what was not mapped, once each */
        struct text_seen shown;
        text_seen_init(&shown, 6);
        for (size_t i = 0; i < set.n; i++) {
            const struct acc_row *r = &set.rows[i];
            if (r->skip != reasons[k])
                continue;
            const char *what = strstr(reasons[k], "device") ? r->hardware : strstr(reasons[k], "model") ? r->model_name
                             : r->metric_name;
            if (!what[0] || !text_seen_first(&shown, what, NULL))
                continue;
            fprintf(out, "%s%s", shown.n > 1 ? ", " : ": ", what);
        }
        fputc('\n', out);
    }

    /* the worst rows: where the model is weak */
    struct worst *w = malloc((set.n ? set.n : 1) * sizeof *w);
    size_t nw = 0;
    for (size_t i = 0; w && i < set.n; i++)
        if (!set.rows[i].skip && set.rows[i].predicted > 0)
            w[nw++] = (struct worst){ &set.rows[i], set.rows[i].predicted, set.rows[i].err };
    if (w)
        print_worst(out, "worst rows, in sample", w, nw, 15);
    free(w);
    accuracy_free(&set);
    return 0;
}
