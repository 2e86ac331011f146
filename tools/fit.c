/* fit.c - make fit: fit each engine profile to the measurement CSV with
 * src/accuracy/fit.c (from the prior profile, every parameter free), print the
 * values to put in presets/engines.cfg with the band's cross-validated
 * coverage per device family, then the ablation: the cross-validated error
 * with each group of parameters held at its prior.  The serving-only figures
 * (host costs, where the profile has no published ones) are fitted after the
 * static ones, through the serving simulation (fitserve.c), and written. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/slurp.h"
#include "accuracy/crossval.h"
#include "accuracy/fit.h"
#include "core/core.h"

static struct catalog cat;
static struct acc_set set;
static const char *const fam_names[RT_FAM_N] = { "nvidia-dc", "nvidia-consumer", "amd", "intel", "apple", "cpu", "tpu" };

/* Replace text[a, b) with r; returns the new text (NULL: out of memory). */
static char *splice(char *text, size_t a, size_t b, const char *r)
{
    size_t n = strlen(text), m = strlen(r);
    char *o = malloc(n - (b - a) + m + 1);
    if (!o)
        return NULL;
    memcpy(o, text, a);
    memcpy(o + a, r, m);
    memcpy(o + a + m, text + b, n - b + 1);
    free(text);
    return o;
}

/* In the engine entry `{ id = "ID"; ... }` of an engines.cfg text, set
 * `key = value;` (key "coverage": a group), adding it before the entry's
 * closing brace when absent.  Returns the new text, NULL if no such entry. */
static char *set_field(char *text, const char *id, const char *key, const char *value)
{
    char pat[128];
    snprintf(pat, sizeof pat, "id = \"%s\";", id);
    char *at = strstr(text, pat);
    if (!at)
        return NULL;
    char *start = at;
    while (start > text && *start != '{')
        start--;
    int depth = 0;
    bool quoted = false;
    char *end = start;
    for (; *end; end++) {
        if (*end == '"' && end[-1] != '\\')
            quoted = !quoted;
        if (quoted) /* a '#' or brace inside a string ("PR #13194 ... };") is text */
            continue;
        if (*end == '#') { /* a comment to the end of its line */
            while (end[1] && end[1] != '\n')
                end++;
            continue;
        }
        if (*end == '{') depth++;
        if (*end == '}' && --depth == 0) break;
    }
    if (!*end)
        return NULL;
    char want[64], repl[512];
    snprintf(want, sizeof want, "%s = ", key);
    snprintf(repl, sizeof repl, "%s = %s;", key, value);
    for (char *k = start; k < end; k++) {
        if (strncmp(k, want, strlen(want)) == 0 && (k[-1] == ' ' || k[-1] == '\n')) {
            char *v = k + strlen(want), *stop;
            if (*v == '{') {
                stop = strstr(v, "};");
                stop = stop ? stop + 2 : NULL;
            } else {
                stop = strchr(v, ';');
                stop = stop ? stop + 1 : NULL;
            }
            if (!stop || stop > end)
                return NULL;
            return splice(text, (size_t)(k - text), (size_t)(stop - text), repl);
        }
    }
    /* absent: before the closing brace, after the last field */
    char *last = end;
    while (last > start && (last[-1] == ' ' || last[-1] == '\n'))
        last--;
    char ins[520];
    snprintf(ins, sizeof ins, " %s", repl);
    return splice(text, (size_t)(last - text), (size_t)(last - text), ins);
}

/* Median |e| of the leave-one-publication-out predictions of one class (-1 all). */
static double cv_median(const double *pred, int klass, size_t *n_out)
{
    double *e = malloc(set.n * sizeof *e);
    size_t n = 0;
    for (size_t i = 0; i < set.n; i++)
        if (pred[i] > 0 && (klass < 0 || (int)set.rows[i].klass == klass))
            e[n++] = fabs(pred[i] - set.rows[i].value) / set.rows[i].value;
    double m = accuracy_quantile(e, n, 0.5);
    free(e);
    if (n_out)
        *n_out = n;
    return m;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fit MEASUREMENTS.csv [--ablation] [--write ENGINES.cfg]\n");
        return 2;
    }
    bool ablation = false;
    const char *write = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--ablation") == 0)
            ablation = true;
        else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc)
            write = argv[++i];
    }
    char *cfg = write ? slurp_file(write, NULL, 1 << 22) : NULL;
    if (write && !cfg) {
        fprintf(stderr, "fit: %s: cannot read\n", write);
        return 1;
    }
    char err[512];
    catalog_init(&cat);
    if (catalog_load_builtin(&cat, err, sizeof err) != RT_OK || accuracy_load(&cat, argv[1], &set, err, sizeof err) != RT_OK) {
        fprintf(stderr, "fit: %s\n", err);
        return 1;
    }
    double *pred = calloc(set.n, sizeof *pred), *lo = calloc(set.n, sizeof *lo), *hi = calloc(set.n, sizeof *hi);
    accuracy_cv(&cat, &set, CV_BAND, FIT_DEFAULT, pred, lo, hi, NULL);
    for (size_t ei = 0; ei < cat.n_engines; ei++) {
        const struct rt_engine *base = &cat.engines[ei];
        struct rt_engine e;
        fit_prior(base, &e);
        double obj;
        size_t n = fit_engine(&cat, &set, base->id, NULL, FIT_DEFAULT, &e, &obj), rows = 0;
        for (size_t i = 0; i < set.n; i++)
            rows += !set.rows[i].skip && set.rows[i].rs && strcmp(set.rows[i].engine, base->id) == 0;
        if (!rows)
            continue;
        if (n) /* else every row of the engine is barred (fit_row_bar): the prior profile and its band */
            printf("%s (%zu rows, objective %.4f):\n", base->id, n, obj);
        else
            printf("%s (%zu rows, none of which informs a fitted figure: the prior's band):\n", base->id, rows);
        for (int k = 0; k < FK_N; k++) {
            const struct fit_knob_info *ki = fit_knob_info(k);
            double v = *fit_knob(&e, k);
            if (v != ki->prior && (FIT_STATIC & (1u << k)))
                printf("  %-28s %.4g\n", ki->name, v);
        }
        /* the serving figures for the profile as shipped (its static figures as
         * engines.cfg has them, which the values above do not replace), from 0 */
        struct rt_engine se = *base;
        for (int k = 0; k < FK_N; k++)
            if (FIT_SERVING & (1u << k) && fit_host_fitted(base))
                *fit_knob(&se, k) = fit_knob_info(k)->prior;
        double sobj = 0;
        size_t ns = fit_serving(&cat, &set, base->id, NULL, FIT_SERVING, &se, &sobj);
        if (ns) {
            printf("  through the serving simulation, static figures as shipped (%zu rows, objective %.4f):\n", ns,
                   sobj);
            for (int k = 0; k < FK_N; k++)
                if (FIT_SERVING & (1u << k))
                    printf("  %-28s %.4g us\n", fit_knob_info(k)->name, *fit_knob(&se, k) * 1e6);
        }
        printf("  band_low = %.3f; band_high = %.3f;\n  coverage = {", e.band_low, e.band_high);
        char cov[256] = "{", num[32];
        const char *sep = " ";
        for (int f = 0; f < RT_FAM_N; f++) {
            int in = 0, runs = 0, moe = 0;
            for (size_t i = 0; i < set.n; i++)
                if (pred[i] > 0 && set.rows[i].family == f && !strcmp(set.rows[i].engine, base->id)) {
                    runs++;
                    in += set.rows[i].value >= lo[i] * 0.9999 && set.rows[i].value <= hi[i] * 1.0001;
                    moe += set.rows[i].rs && set.rows[i].rs->s.model->experts > 0;
                }
            if (runs) { /* [inside, runs, runs of MoE models] */
                printf("%s%s = [%d, %d, %d];", sep, fam_names[f], in, runs, moe);
                snprintf(cov + strlen(cov), sizeof cov - strlen(cov), " %s = [%d, %d, %d];", fam_names[f], in, runs,
                         moe);
                sep = " ";
            }
        }
        printf(" };\n");
        strcat(cov, " }");
        if (cfg) { /* the band and its coverage are written; the other values stay for review */
            char *t = cfg;
            snprintf(num, sizeof num, "%.3f", e.band_low);
            t = t ? set_field(t, base->id, "band_low", num) : NULL;
            snprintf(num, sizeof num, "%.3f", e.band_high);
            t = t ? set_field(t, base->id, "band_high", num) : NULL;
            t = t ? set_field(t, base->id, "coverage", cov) : NULL;
            static const struct { int knob; const char *key; } host[] = {
                { FK_HOST_STEP, "host_step_us" }, { FK_HOST_SEQ, "host_seq_us" },
                { FK_HOST_STEP_GRACE, "host_step_us_grace" }, { FK_HOST_SEQ_GRACE, "host_seq_us_grace" },
            };
            for (size_t h = 0; ns && h < sizeof host / sizeof host[0]; h++) {
                snprintf(num, sizeof num, "%.2f", *fit_knob(&se, host[h].knob) * 1e6);
                t = t ? set_field(t, base->id, host[h].key, num) : NULL;
            }
            if (!t) {
                fprintf(stderr, "fit: %s: no entry for engine %s\n", write, base->id);
                return 1;
            }
            cfg = t;
        }
        struct acc_score sc;
        accuracy_score(&cat, &set, base->id, &e, &sc);
        for (int k = 0; k < ACC_CLASS_N; k++)
            if (sc.k[k].n)
                printf("  in sample: %-24s %4zu rows  median %.1f%%  p90 %.1f%%\n", accuracy_class_name(k), sc.k[k].n,
                       sc.k[k].median * 100, sc.k[k].p90 * 100);
    }
    if (cfg) {
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp", write);
        FILE *f = fopen(tmp, "w");
        if (!f || fputs(cfg, f) < 0 || fclose(f) != 0 || rename(tmp, write) != 0) {
            fprintf(stderr, "fit: %s: cannot write\n", write);
            return 1;
        }
        printf("\nwrote the bands and their coverage to %s\n", write);
        free(cfg);
    }
    if (ablation) {
        /* each group of parameters held at its prior: does the cross-validated error rise? */
        static const struct { const char *name; unsigned mask; } groups[] = {
            { "none (all free)", 0 },
            { "format classes (mbu_class)", 1u << FK_MBU_8BIT | 1u << FK_MBU_LOWBIT },
            { "family factors, bandwidth", 1u << FK_MBU_CONSUMER | 1u << FK_MBU_APPLE },
            { "family factors, compute", FIT_MFU_FAMILIES },
            { "step overhead", 1u << FK_STEP },
            { "layer overhead", 1u << FK_LAYER },
            { "pipeline-stage overhead", 1u << FK_STAGE },
            { "request overhead", 1u << FK_REQUEST },
            { "first-pass cost", 1u << FK_FIRST_PASS },
            { "bandwidth families + request", 1u << FK_MBU_CONSUMER | 1u << FK_MBU_APPLE | 1u << FK_REQUEST },
            { "bw families + request + stage",
              1u << FK_MBU_CONSUMER | 1u << FK_MBU_APPLE | 1u << FK_REQUEST | 1u << FK_STAGE },
        };
        printf("\nablation: median |e| left out, per class, with a group held at its prior\n");
        printf("%-30s %10s %10s %10s %10s %10s\n", "held at prior", "decode", "prefill", "throughput", "batch TTFT",
               "all");
        for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++) {
            unsigned mask = FIT_STATIC & ~groups[gi].mask;
            accuracy_cv(&cat, &set, CV_SOURCE, mask, pred, lo, hi, NULL);
            printf("%-30s", groups[gi].name);
            for (int k = -1 + 1; k <= ACC_CLASS_N; k++)
                printf(" %9.1f%%", cv_median(pred, k < ACC_CLASS_N ? k : -1, NULL) * 100);
            printf("\n");
        }
    }
    free(pred);
    free(lo);
    free(hi);
    accuracy_free(&set);
    catalog_free(&cat);
    return 0;
}
