/* accuracy.c - replay published measurements through the estimator.
 *
 * Each row of a CSV in accuracy/measurements.csv's format is mapped to a
 * scenario through the name maps of accuracy/names.cfg: its hardware to a
 * catalog device (a stated bandwidth and a binned Apple GPU's core count adjust
 * it), its model to a catalog model with the same tensor shapes, its software
 * to an engine profile, and its batch and token counts as the row states them.
 * Rows that cannot be mapped are skipped and counted with the reason.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "accuracy/accuracy.h"
#include "accuracy/fit.h"
#include "accuracy/names.h"
#include "core/core.h"
#include "core/serve.h"
#include "output/text.h"

static const char *const class_names[ACC_CLASS_N] = { "single-stream decode", "batch-1 prefill / TTFT",
                                                      "batched throughput", "batched TTFT" };
const char *accuracy_class_name(int c) { return c >= 0 && c < ACC_CLASS_N ? class_names[c] : "?"; }

/* ---- CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) ---- */

int accuracy_csv_record(const char **p, char **fields, int max, char *buf, size_t buflen)
{
    int n = 0;
    size_t k = 0;
    const char *s = *p;
    if (!*s)
        return -1;
    fields[n++] = buf;
    bool quoted = false;
    for (; *s; s++) {
        char c = *s;
        if (quoted) {
            if (c == '"' && s[1] == '"') { if (k + 1 < buflen) buf[k++] = '"'; s++; }
            else if (c == '"') quoted = false;
            else if (k + 1 < buflen) buf[k++] = c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            /* invariant: k <= buflen - 1, so buf[k] is always inside buf */
            if (k + 1 < buflen)
                buf[k++] = 0;
            if (n < max)
                fields[n++] = buf + k;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && s[1] == '\n')
                s++;
            s++;
            break;
        } else if (k + 1 < buflen) {
            buf[k++] = c;
        }
    }
    buf[k < buflen ? k : buflen - 1] = 0;
    *p = s;
    return n;
}

static int64_t leading_int(const char *s, int64_t def)
{
    while (*s && !isdigit((unsigned char)*s))
        s++;
    return *s ? strtoll(s, NULL, 10) : def;
}

/* "static batch=64; TP4" -> 64; "max load ..." -> 0 (as many as fit). */
static int64_t batch_of(const char *s)
{
    if (strstr(s, "max load"))
        return 0;
    const char *b = strstr(s, "batch=");
    return b ? leading_int(b, 1) : leading_int(s, 1);
}

static bool has(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

static bool map_format(const struct catalog *c, const struct acc_names *nm, const char *w, struct rt_format *out,
                       const char **why)
{
    memset(out, 0, sizeof *out);
    const struct acc_name *e = acc_names_find(nm, NAMES_FORMATS, w);
    *why = "weight format not mapped";
    if (!e)
        return false;
    if (e->id[0]) {
        const struct rt_format *f = catalog_format(c, e->id);
        if (!f)
            return false;
        *out = *f;
        return true;
    }
    /* a format the catalog lacks: its bits per weight, stated or in the name */
    snprintf(out->id, sizeof out->id, "%.*s", (int)sizeof out->id - 1, e->match);
    for (char *p = out->id; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    out->bits = e->bits;
    if (e->bits_after) {
        const char *p = strstr(w, e->match) + strlen(e->match);
        out->bits = strtod(p, NULL);
    }
    out->compute = RT_FP16;
    out->klass = e->klass;
    return out->bits > 0;
}

/* The publication a row comes from: the first column up to '@' or " (". */
static void source_of(const char *s, char *out, size_t n)
{
    size_t k = strcspn(s, "@");
    const char *paren = strstr(s, " (");
    if (paren && (size_t)(paren - s) < k)
        k = (size_t)(paren - s);
    snprintf(out, n, "%.*s", (int)(k < n ? k : n - 1), s);
}

void accuracy_free(struct acc_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->rows[i].rs);
    free(set->rows);
    memset(set, 0, sizeof *set);
}

static const char *map_row(const struct catalog *c, char **f, int nf, struct acc_row *r)
{
    if (nf < 13) /* f[12], the software, is read below */
        return "too few columns";
    const char *hw = f[1], *model = f[4], *w = f[5], *kv = f[6], *batch = f[7], *metric = f[10], *sw = f[12];
    text_safe(r->hardware, sizeof r->hardware, hw); /* shown in the report */
    text_safe(r->model_name, sizeof r->model_name, model);
    text_safe(r->metric_name, sizeof r->metric_name, metric);
    r->value = atof(f[11]);
    if (!(r->value > 0) || !isfinite(r->value)) /* "8e672..." reads as infinity */
        return "no value";
    /* metric */
    if (strcmp(metric, "tg_tok_s") == 0) r->metric = ACC_TG;
    else if (strcmp(metric, "pp_tok_s") == 0) r->metric = ACC_PP;
    else if (strncmp(metric, "ttft_ms", 7) == 0) r->metric = ACC_TTFT;
    else if (strcmp(metric, "output_throughput_tok_s_total") == 0) r->metric = ACC_TPUT_TOTAL;
    else if (strcmp(metric, "output_throughput_tok_s_per_gpu") == 0) r->metric = ACC_TPUT_GPU;
    else return "metric not replayed";
    char err[256];
    const struct acc_names *nm = acc_names_builtin(err, sizeof err);
    if (!nm)
        return "the name maps (accuracy/names.cfg) did not load";
    source_of(f[0], r->source, sizeof r->source);
    /* hardware */
    const struct acc_name *dn = acc_names_find(nm, NAMES_DEVICES, hw);
    if (!dn || !dn->id[0] || !catalog_device(c, dn->id))
        return "device not in the catalog";
    snprintf(r->device, sizeof r->device, "%s", dn->id);
    r->core_scale = 1;
    if (dn->gpu_cores) {
        const char *cores = strstr(hw, "-core GPU");
        if (cores) {
            const char *p = cores;
            while (p > hw && isdigit((unsigned char)p[-1]))
                p--;
            int n = atoi(p);
            if (n > 0 && n <= dn->gpu_cores)
                r->core_scale = (double)n / dn->gpu_cores;
        }
    }
    r->bandwidth = atof(f[3]) * 1e9;
    /* model */
    const struct acc_name *mn = acc_names_find(nm, NAMES_MODELS, model);
    if (!mn || !mn->id[0] || !catalog_model(c, mn->id))
        return "model not in the catalog";
    snprintf(r->model, sizeof r->model, "%s", mn->id);
    /* software */
    const struct acc_name *en = acc_names_find(nm, NAMES_ENGINES, sw);
    if (!en || !catalog_engine(c, en->id))
        return "no engine profile for the software";
    const char *eid = catalog_engine(c, en->id)->id; /* the profile's own id, not an alias */
    snprintf(r->engine, sizeof r->engine, "%s", eid);
    const char *why = NULL;
    if (!map_format(c, nm, w, &r->weights, &why))
        return why;
    const struct acc_name *kn = acc_names_find(nm, NAMES_KV, kv);
    snprintf(r->kv, sizeof r->kv, "%s", kn && kn->id[0] ? kn->id : "fp16");
    /* parallelism and counts; llama-bench's defaults where the row leaves them out */
    r->devices = leading_int(f[2], 1);
    /* llama.cpp splits layers over devices (pipeline), the others shard tensors */
    r->pipeline = strcmp(eid, "llama.cpp") == 0 && r->devices > 1;
    if (r->pipeline && r->metric == ACC_PP && nf > 13 && (has(f[13], "collapse") || has(f[13], "poor multi-GPU PP")))
        return "multi-GPU prompt rows of an old llama.cpp build (the source notes they collapse)";
    r->batch = batch_of(batch);
    if (has(f[8], "ShareGPT") || has(f[9], "ShareGPT"))
        return "token counts not stated (a ShareGPT mix)";
    r->prompt = leading_int(f[8], r->metric == ACC_PP ? 512 : 0);
    r->output = leading_int(f[9], r->metric == ACC_PP ? 0 : 128);
    if (r->metric == ACC_PP && r->prompt == 0)
        return "prefill row without a prompt";
    if (r->metric == ACC_TG)
        r->klass = ACC_DECODE;
    else if (r->metric == ACC_PP || (r->metric == ACC_TTFT && r->batch <= 1))
        r->klass = ACC_PREFILL;
    else if (r->metric == ACC_TTFT)
        r->klass = ACC_BATCH_TTFT;
    else
        r->klass = ACC_THROUGHPUT;
    return NULL;
}

struct acc_row *accuracy_add_row(struct acc_set *set)
{
    /* capacity: the next power of two at or above n (grown on the way up) */
    size_t cap = 256;
    while (cap < set->n)
        cap *= 2;
    if (set->n == 0 || set->n == cap) {
        size_t nc = set->n == 0 ? 256 : cap * 2;
        struct acc_row *nr = realloc(set->rows, nc * sizeof *nr);
        if (!nr)
            return NULL;
        set->rows = nr;
    }
    struct acc_row *r = &set->rows[set->n++];
    memset(r, 0, sizeof *r);
    return r;
}

/* "Apple M3 Max 40-core GPU 48GB" -> 48; 0 if no size is stated. */
static double stated_gb(const char *hw)
{
    for (const char *p = strstr(hw, "GB"); p; p = strstr(p + 2, "GB")) {
        const char *q = p;
        while (q > hw && (isdigit((unsigned char)q[-1]) || q[-1] == '.'))
            q--;
        if (q < p && (q == hw || q[-1] == ' ' || q[-1] == '('))
            return atof(q);
    }
    return 0;
}

void accuracy_row_resolve(const struct catalog *c, struct acc_row *row)
{
    if (row->skip)
        return;
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "%s", row->model);
    snprintf(sp.gpu, sizeof sp.gpu, "%s", row->device);
    snprintf(sp.weights, sizeof sp.weights, "%s", "fp16");
    snprintf(sp.kv, sizeof sp.kv, "%s", row->kv[0] ? row->kv : "fp16");
    snprintf(sp.engine, sizeof sp.engine, "%s", row->engine);
    if (row->devices < 1)
        row->devices = 1;
    sp.devices = row->devices;
    sp.tp = row->pipeline ? 1 : row->devices;
    sp.pp = row->pipeline ? row->devices : 1;
    sp.batch = row->batch > 0 ? row->batch : 1;
    sp.prompt = row->prompt;
    sp.output = row->output > 0 ? row->output : 1;
    struct rt_resolved *rs = malloc(sizeof *rs);
    char err[512];
    if (!rs || spec_resolve(c, &sp, rs, err, sizeof err) != RT_OK) {
        free(rs);
        row->skip = "the estimator rejected the scenario";
        return;
    }
    rs->s.weights = &row->weights;
    if (row->bandwidth > 0)
        rs->device.bandwidth = row->bandwidth;
    if (row->core_scale > 0 && row->core_scale < 1)
        for (int p = 0; p < RT_PREC_N; p++)
            rs->device.peak[p] *= row->core_scale;
    /* measurements are what ran: the memory check must not stop them */
    rs->device.memory_bytes = fmax(rs->device.memory_bytes, 1.0);
    row->family = (int)rs->device.family;
    /* unified memory comes in several sizes per chip: a stated size ("48GB")
     * replaces the catalog's, with the catalog's share for the GPU; a run whose
     * model does not fit that share pages, which rooftop does not model */
    double stated = stated_gb(row->hardware) * 1e9;
    if (stated > 0 && rs->device.usable_bytes > 0 && rs->device.memory_bytes > 0) {
        rs->device.usable_bytes *= stated / rs->device.memory_bytes;
        rs->device.memory_bytes = stated;
        struct rt_scenario s = rs->s;
        s.weights = &row->weights;
        struct rt_result r;
        if (rt_estimate(&s, &r, err, sizeof err) == RT_OK && (!r.fits || (r.warnings & RT_WARN_PAGES))) {
            free(rs);
            row->skip = "the model does not fit the GPU's share of the stated unified memory (it pages)";
            return;
        }
    }
    free(row->rs);
    row->rs = rs;
}

int accuracy_parse(const struct catalog *c, const char *text, const char *path, struct acc_set *set, char *err,
                   size_t errlen)
{
    memset(set, 0, sizeof *set);
    const char *p = text;
    static char buf[1 << 16];
    char *f[32];
    int line = 1;
    int nf = accuracy_csv_record(&p, f, 32, buf, sizeof buf);
    if (nf < 12 || strcmp(f[1], "hardware") != 0 || strcmp(f[10], "metric") != 0) {
        snprintf(err, errlen, "%s:1: header: expected the measurement columns (hardware, ..., metric, value, software)", path);
        return RT_EINVAL;
    }
    while (*p) {
        const char *start = p;
        nf = accuracy_csv_record(&p, f, 32, buf, sizeof buf);
        line++;
        for (const char *q = start; q < p - 1; q++)
            if (*q == '\n')
                line++; /* quoted newlines */
        if (nf <= 1)
            continue;
        if (set->n >= ACC_MAX_ROWS) {
            accuracy_free(set);
            snprintf(err, errlen, "%s:%d: more than %d rows (the most --accuracy reads)", path, line, ACC_MAX_ROWS);
            return RT_EINVAL;
        }
        struct acc_row *r = accuracy_add_row(set);
        if (!r) {
            accuracy_free(set);
            snprintf(err, errlen, "%s: out of memory", path);
            return RT_EINVAL;
        }
        r->line = line;
        r->skip = map_row(c, f, nf, r);
        accuracy_row_resolve(c, r);
    }
    return RT_OK;
}

int accuracy_load(const struct catalog *c, const char *path, struct acc_set *set, char *err, size_t errlen)
{
    memset(set, 0, sizeof *set);
    char *text = slurp_file(path, NULL, ACC_MAX_BYTES);
    if (!text) {
        snprintf(err, errlen, "%s: %s", path, slurp_strerror(errno, ACC_MAX_BYTES));
        return RT_EINVAL;
    }
    int rc = accuracy_parse(c, text, path, set, err, errlen);
    free(text);
    return rc;
}

/* Scheduler cap on concurrent sequences for "max load" rows: TensorRT-LLM's
 * default max_batch_size (assumption, 2048; the KV memory usually binds first). */
#define MAX_LOAD_BATCH_CAP 2048

double accuracy_ratio(const struct acc_row *r, double predicted)
{
    bool time = r->metric == ACC_TTFT || r->metric == ACC_TPOT;
    return time ? r->value / predicted : predicted / r->value;
}

int accuracy_predict(const struct catalog *c, const struct acc_row *row, const struct rt_engine *engine,
                     double *pred, double *lo, double *hi)
{
    (void)c;
    if (!row->rs)
        return RT_EINVAL;
    struct rt_scenario s = row->rs->s;
    s.weights = &row->weights; /* the row array may have moved since it was resolved */
    if (engine)
        s.engine = engine;
    char err[512];
    struct rt_result r;
    if (row->batch == 0) { /* max load: as many sequences as fit */
        if (rt_estimate(&s, &r, err, sizeof err) != RT_OK)
            return RT_EINVAL;
        int64_t b = r.max_batch > 0 ? r.max_batch : 1;
        s.batch = b < MAX_LOAD_BATCH_CAP ? b : MAX_LOAD_BATCH_CAP;
    }
    if (rt_estimate(&s, &r, err, sizeof err) != RT_OK)
        return RT_EINVAL;
    double B = (double)s.batch, O = (double)s.output, n = (double)s.devices;
    switch (row->metric) {
    case ACC_TG: *pred = r.tok_s_seq; *lo = r.tok_s_seq_low; *hi = r.tok_s_seq_high; break;
    case ACC_PP:
        *pred = (double)row->prompt / r.prefill.time_s;
        *lo = (double)row->prompt / r.prefill.time_high_s;
        *hi = (double)row->prompt / r.prefill.time_low_s;
        break;
    case ACC_TTFT: *pred = r.ttft_s * 1e3; *lo = r.ttft_low_s * 1e3; *hi = r.ttft_high_s * 1e3; break;
    case ACC_TPOT: *pred = r.tpot_s * 1e3; *lo = r.tpot_low_s * 1e3; *hi = r.tpot_high_s * 1e3; break;
    default: {
        /* every sequence is prefilled, then decoded for O steps at batch B */
        double per = row->metric == ACC_TPUT_GPU ? n : 1;
        *pred = B * O / r.e2e_s / per;
        *lo = B * O / r.e2e_high_s / per;
        *hi = B * O / r.e2e_low_s / per;
    }
    }
    return isfinite(*pred) && *pred > 0 ? RT_OK : RT_EINVAL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double accuracy_quantile(double *v, size_t n, double q)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    double frac = pos - (double)i;
    return i + 1 < n ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
}

void accuracy_score(const struct catalog *c, struct acc_set *set, const char *only_engine,
                    const struct rt_engine *engine, struct acc_score *out)
{
    memset(out, 0, sizeof *out);
    static double errs[ACC_CLASS_N][4096];
    for (size_t i = 0; i < set->n; i++) {
        struct acc_row *r = &set->rows[i];
        r->predicted = 0;
        if (r->skip || (only_engine && strcmp(r->engine, only_engine) != 0))
            continue;
        double p, lo, hi;
        if (accuracy_predict(c, r, engine, &p, &lo, &hi) != RT_OK) {
            r->skip = "the estimator rejected the scenario";
            continue;
        }
        r->predicted = p;
        r->err = (p - r->value) / r->value;
        r->in_band = r->value >= lo * 0.9999 && r->value <= hi * 1.0001;
        struct acc_stat *k = &out->k[r->klass];
        if (k->n < 4096)
            errs[r->klass][k->n] = fabs(r->err);
        k->n++;
        k->in_band += r->in_band;
        k->sum_log += log(p / r->value);
    }
    for (int k = 0; k < ACC_CLASS_N; k++) {
        size_t n = out->k[k].n < 4096 ? out->k[k].n : 4096;
        out->k[k].median = accuracy_quantile(errs[k], n, 0.5);
        out->k[k].p90 = accuracy_quantile(errs[k], n, 0.9);
    }
}

static int cmp_row_err(const void *a, const void *b)
{
    const struct acc_row *x = *(const struct acc_row *const *)a, *y = *(const struct acc_row *const *)b;
    double ex = fabs(x->err), ey = fabs(y->err);
    return ex < ey ? 1 : ex > ey ? -1 : 0;
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

static const char *const family_label[RT_FAM_N] = { "nvidia-dc", "nvidia-consumer", "amd", "intel",
                                                    "apple", "cpu", "tpu" };

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
            fprintf(out, "%-24s %5zu %9.1f%% %9.1f%% %7.0f%% %+7.1f%%\n", class_names[k], a.n, a.median * 100,
                    a.p90 * 100, a.n ? 100.0 * (double)a.in_band / (double)a.n : 0,
                    a.n ? (exp(a.sum_log / (double)a.n) - 1) * 100 : 0);
        }
        if (split == CV_SOURCE) {
            /* per publication: which generalise */
            fprintf(out, "  per publication left out:\n");
            const struct acc_row *seen[64];
            int ns = 0;
            for (size_t i = 0; i < set->n; i++) {
                const struct acc_row *r = &set->rows[i];
                if (!(pred[i] > 0))
                    continue;
                bool dup = false;
                for (int j = 0; j < ns && !dup; j++)
                    dup = strcmp(seen[j]->source, r->source) == 0 && strcmp(seen[j]->engine, r->engine) == 0;
                if (dup || ns == 64)
                    continue;
                seen[ns++] = r;
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
                        family_label[f], in, tot, 100.0 * (double)in / (double)tot, e->band_low, e->band_high,
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
 * decodes, requests leaving and entering.  Printed beside the static figure;
 * the fit keeps the static batch (the simulation would run hundreds of times
 * per row in every refit). */
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
        struct rt_scenario s = row->rs->s;
        s.weights = &row->weights;
        s.batch = 1;
        /* enough requests to reach the steady state several times over */
        struct rt_serve_opts o = { .rate = INFINITY, .requests = 2000, .no_capacity = true };
        struct rt_serve_result r;
        char err[256];
        if (rt_serve(&s, &o, &r, err, sizeof err) != RT_OK || !r.fits || !(r.output_tok_s > 0))
            continue;
        double per = row->metric == ACC_TPUT_GPU ? (double)s.devices : 1;
        es[n] = fabs(stat - row->value) / row->value;
        ed[n++] = fabs(r.output_tok_s / per - row->value) / row->value;
    }
    if (!n)
        return;
    double ms = accuracy_quantile(es, n, 0.5), ps = accuracy_quantile(es, n, 0.9);
    double md = accuracy_quantile(ed, n, 0.5), pd = accuracy_quantile(ed, n, 0.9);
    fprintf(out, "\nmax-load throughput rows (infinite rate) through the serving simulation, in sample:\n");
    fprintf(out, "%-24s %5zu %9.1f%% %9.1f%%\n", "static max batch", n, ms * 100, ps * 100);
    fprintf(out, "%-24s %5zu %9.1f%% %9.1f%%\n", "continuous batching", n, md * 100, pd * 100);
}

int accuracy_run(const struct catalog *c, const char *csv_path, FILE *out, char *err, size_t errlen)
{
    struct acc_set set;
    if (accuracy_load(c, csv_path, &set, err, errlen) != RT_OK)
        return 1;
    struct acc_score sc;
    accuracy_score(c, &set, NULL, NULL, &sc);
    static const double target_med[ACC_CLASS_N] = { 0.10, 0.15, 0.30, 0 };
    static const double target_p90[ACC_CLASS_N] = { 0.25, 0.35, 0, 0 };
    fprintf(out, "rooftop accuracy: %s, %zu rows\n\n", csv_path, set.n);
    fprintf(out, "%-24s %5s %10s %10s %8s %8s  %s\n", "class", "rows", "median|e|", "p90|e|", "in band", "bias", "target");
    for (int k = 0; k < ACC_CLASS_N; k++) {
        const struct acc_stat *a = &sc.k[k];
        char target[64] = "-";
        if (target_med[k] > 0)
            snprintf(target, sizeof target, "median <= %.0f%%%s", target_med[k] * 100, "");
        if (target_p90[k] > 0)
            snprintf(target + strlen(target), sizeof target - strlen(target), ", p90 <= %.0f%%", target_p90[k] * 100);
        double bias = a->n ? exp(a->sum_log / (double)a->n) - 1 : 0;
        fprintf(out, "%-24s %5zu %9.1f%% %9.1f%% %7.0f%% %+7.1f%%  %s\n", class_names[k], a->n, a->median * 100,
                a->p90 * 100, a->n ? 100.0 * (double)a->in_band / (double)a->n : 0, bias * 100, target);
    }
    size_t used = 0, band = 0;
    for (int k = 0; k < ACC_CLASS_N; k++) {
        used += sc.k[k].n;
        band += sc.k[k].in_band;
    }
    fprintf(out, "%-24s %5zu %32.0f%%\n", "all", used, used ? 100.0 * (double)band / (double)used : 0);
    serving_replay(c, &set, out);
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
        const char *shown[6];
        int ns = 0;
        for (size_t i = 0; i < set.n && ns < 6; i++) {
            const struct acc_row *r = &set.rows[i];
            if (r->skip != reasons[k])
                continue;
            const char *what = strstr(reasons[k], "device") ? r->hardware : strstr(reasons[k], "model") ? r->model_name
                             : r->metric_name;
            bool seen = !what[0];
            for (int j = 0; j < ns && !seen; j++)
                seen = strcmp(shown[j], what) == 0;
            if (seen)
                continue;
            fprintf(out, "%s%s", ns ? ", " : ": ", what);
            shown[ns++] = what;
        }
        fputc('\n', out);
    }

    /* the worst rows: where the model is weak */
    struct acc_row **sorted = malloc(set.n * sizeof *sorted);
    size_t ns = 0;
    for (size_t i = 0; sorted && i < set.n; i++)
        if (!set.rows[i].skip && set.rows[i].predicted > 0)
            sorted[ns++] = &set.rows[i];
    if (sorted) {
        qsort(sorted, ns, sizeof *sorted, cmp_row_err);
        fprintf(out, "\nworst rows:\n%5s  %-24s %-20s %-6s %6s %6s %-30s %10s %10s %7s\n", "line", "hardware", "model",
                "wfmt", "batch", "tp", "metric", "measured", "predicted", "error");
        for (size_t i = 0; i < ns && i < 15; i++) {
            const struct acc_row *r = sorted[i];
            fprintf(out, "%5d  %-24.24s %-20.20s %-6.6s %6lld %6lld %-30.30s %10.4g %10.4g %+6.0f%%\n", r->line,
                    r->hardware, r->model_name, r->weights.id, (long long)r->batch, (long long)r->devices,
                    r->metric_name, r->value, r->predicted, r->err * 100);
        }
        free(sorted);
    }
    accuracy_free(&set);
    return 0;
}
