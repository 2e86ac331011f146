/* calibrate.c - a local engine profile from the user's own measurements.
 *
 * Formats read (field names as the tools write them):
 * - llama-bench -o json / jsonl / csv / md (llama.cpp examples/llama-bench/README.md,
 *   "Output formats"): model_type, model_size, model_n_params, gpu_info,
 *   n_gpu_layers, n_prompt, n_gen, avg_ts, and n_depth / type_k where present;
 *   the markdown form has model, size ("3.56 GiB"), params ("6.74 B"), test
 *   ("pp 512", "tg128", "tg128 @ d4096") and t/s ("131.42 ± 0.59").
 * - vLLM benchmarks/benchmark_serving.py --save-result: backend, model_id,
 *   max_concurrency, request_rate, completed, total_input_tokens,
 *   total_output_tokens, request_throughput, output_throughput, mean_ttft_ms,
 *   mean_tpot_ms (and mean_e2el_ms where selected).
 * - SGLang python/sglang/bench_serving.py's JSONL: the same keys, plus
 *   concurrency (the mean number of requests in flight) and mean_e2e_latency_ms.
 * - rooftop's measurement CSV (accuracy/measurements.csv's columns).
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/slurp.h"
#include "accuracy/calibrate.h"
#include "accuracy/calsave.h"
#include "base/files.h"
#include "accuracy/names.h"
#include "core/core.h"
#include "base/text.h"

/* A count read from a file: a finite whole number within the core's token
 * limit, else `def` (a file may say 1e300 or NaN; the cast would be undefined). */
static int64_t file_count(double v, int64_t def)
{
    return isfinite(v) && v >= -(double)RT_TOKENS_MAX && v <= (double)RT_TOKENS_MAX ? (int64_t)llround(v) : def;
}

static const char *const format_names[] = { "unknown", "llama-bench JSON", "llama-bench CSV", "llama-bench markdown",
                                            "serving-benchmark JSON", "rooftop measurement CSV" };
const char *calib_format_name(enum calib_format f) { return format_names[f]; }

static const char *skip_ws(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

enum calib_format calib_detect(const char *text)
{
    const char *s = skip_ws(text);
    if (*s == '[')
        return CALIB_LLAMA_BENCH_JSON;
    if (*s == '{') {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        /* the first object: llama-bench's jsonl has avg_ts, the serving benchmarks do not */
        for (size_t i = 0; i + 8 < n; i++)
            if (strncmp(s + i, "\"avg_ts\"", 8) == 0)
                return CALIB_LLAMA_BENCH_JSON;
        return CALIB_SERVING_JSON;
    }
    /* a markdown table anywhere whose header has t/s */
    for (const char *l = s; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        const char *q = skip_ws(l);
        const char *e = strchr(q, '\n');
        size_t n = e ? (size_t)(e - q) : strlen(q);
        if (*q == '|')
            for (size_t i = 0; i + 3 <= n; i++)
                if (strncmp(q + i, "t/s", 3) == 0)
                    return CALIB_LLAMA_BENCH_MD;
    }
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    char head[1024];
    snprintf(head, sizeof head, "%.*s", (int)(n < sizeof head ? n : sizeof head - 1), s);
    if (strstr(head, "avg_ts") && strstr(head, "n_prompt"))
        return CALIB_LLAMA_BENCH_CSV;
    if (strstr(head, "hardware") && strstr(head, "metric"))
        return CALIB_ROOFTOP_CSV;
    return CALIB_UNKNOWN;
}

/* ---- mapping one run to a row ---- */

struct ctx {
    const struct catalog *c;
    const struct calib_opts *o;
    const struct acc_names *nm;
    const char *name;
};

/* The catalog model with the same published parameter count (within 3%). */
static const char *model_by_params(const struct catalog *c, double params)
{
    const char *best = NULL;
    double bd = 0.03;
    for (size_t i = 0; i < c->n_models; i++) {
        double p = c->models[i].official_params;
        if (p <= 0 || c->models[i].experts > 0)
            continue;
        double d = fabs(p - params) / params;
        if (d < bd) {
            bd = d;
            best = c->models[i].id;
        }
    }
    return best;
}

/* Fill the device, model, engine and format of a row; sets skip on failure. */
static void map_run(const struct ctx *x, struct acc_row *r, const char *gpu_info, const char *model_hint,
                    const char *type_name, double size_bytes, double params, const char *engine_hint)
{
    const struct calib_opts *o = x->o;
    snprintf(r->source, sizeof r->source, "%s", x->name);
    text_safe(r->hardware, sizeof r->hardware, gpu_info ? gpu_info : "");
    text_safe(r->model_name, sizeof r->model_name, model_hint ? model_hint : "");
    /* device */
    const char *dev = o->gpu;
    if (!dev && gpu_info && *gpu_info) {
        const struct acc_name *n = acc_names_find(x->nm, NAMES_DEVICES, gpu_info);
        dev = n && n->id[0] ? n->id : NULL;
    }
    if (!dev || !catalog_device(x->c, dev)) {
        r->skip = "device not known: name it with the device option (a catalog id)";
        return;
    }
    snprintf(r->device, sizeof r->device, "%s", dev);
    r->bandwidth = o->bandwidth_gbps > 0 ? o->bandwidth_gbps * 1e9 : 0;
    r->core_scale = 1;
    r->devices = o->devices > 0 ? o->devices : 1;
    /* model */
    const char *mid = o->model;
    if (!mid && model_hint && *model_hint) {
        const struct acc_name *n = acc_names_find(x->nm, NAMES_MODELS, model_hint);
        mid = n && n->id[0] ? n->id : NULL;
    }
    if (!mid && params > 0)
        mid = model_by_params(x->c, params);
    if (!mid || !catalog_model(x->c, mid)) {
        r->skip = "model not known: name it with the model option (a catalog id)";
        return;
    }
    snprintf(r->model, sizeof r->model, "%s", mid);
    /* engine */
    const char *eid = o->engine;
    if (!eid && engine_hint && *engine_hint) {
        const struct acc_name *n = acc_names_find(x->nm, NAMES_ENGINES, engine_hint);
        eid = n && n->id[0] ? n->id : NULL;
    }
    if (!eid || !catalog_engine(x->c, eid)) {
        r->skip = "runtime not known: name its engine profile with the engine option";
        return;
    }
    snprintf(r->engine, sizeof r->engine, "%s", eid);
    r->pipeline = strcmp(eid, "llama.cpp") == 0 && r->devices > 1;
    /* weight format: the option's, else the file type's name, else its bits
     * per weight; a serving benchmark's run (no type, no size), 16 bits: vLLM's
     * and SGLang's --dtype auto loads 16-bit weights ("auto will use FP16
     * precision for FP32 and FP16 models, and BF16 precision for BF16
     * models", docs.vllm.ai/en/v0.4.2/models/engine_args.html) */
    const struct rt_format *f = NULL;
    if (o->weights && *o->weights) {
        if (!(f = catalog_format(x->c, o->weights))) {
            r->skip = "weight format not known: name it with the weights option (a catalog id)";
            return;
        }
    } else if (type_name) {
        const struct acc_name *fn = acc_names_find(x->nm, NAMES_FORMATS, type_name);
        f = fn && fn->id[0] ? catalog_format(x->c, fn->id) : NULL;
    } else if (!(size_bytes > 0)) {
        f = catalog_format(x->c, "bf16");
    }
    if (f) {
        r->weights = *f;
    } else if (size_bytes > 0 && params > 0) {
        memset(&r->weights, 0, sizeof r->weights);
        r->weights.bits = size_bytes * 8.0 / params;
        snprintf(r->weights.id, sizeof r->weights.id, "%.2f-bpw", r->weights.bits);
        r->weights.compute = RT_FP16;
        r->weights.klass = r->weights.bits >= 15 ? 0 : r->weights.bits >= 7 ? 1 : 2;
    } else {
        r->skip = "weight format not known";
        return;
    }
    if (!r->kv[0])
        snprintf(r->kv, sizeof r->kv, "fp16");
}

static void classify(struct acc_row *r)
{
    switch (r->metric) {
    case ACC_TG: r->klass = ACC_DECODE; break;
    case ACC_TPOT: r->klass = r->batch > 1 ? ACC_THROUGHPUT : ACC_DECODE; break;
    case ACC_PP: r->klass = ACC_PREFILL; break;
    case ACC_TTFT: r->klass = r->batch > 1 ? ACC_BATCH_TTFT : ACC_PREFILL; break;
    default: r->klass = ACC_THROUGHPUT;
    }
}

/* One llama-bench run: pp (n_prompt, n_gen 0), tg (n_gen, n_prompt 0) or pg (both: not replayed). */
static int add_llama_bench(const struct ctx *x, struct acc_set *set, int line, const char *model_type,
                           double size, double params, const char *gpu_info, int64_t ngl, int64_t n_prompt,
                           int64_t n_gen, int64_t n_depth, const char *type_k, double avg_ts)
{
    struct acc_row *r = accuracy_add_row(set);
    if (!r)
        return RT_EINVAL;
    r->line = line;
    r->value = avg_ts;
    if (type_k && (strcmp(type_k, "q8_0") == 0 || strcmp(type_k, "q4_0") == 0))
        snprintf(r->kv, sizeof r->kv, "%s", type_k);
    map_run(x, r, gpu_info, model_type, model_type, size, params, "llama.cpp");
    if (n_prompt > 0 && n_gen == 0) {
        r->metric = ACC_PP;
        r->prompt = n_prompt;
        r->output = 0;
        snprintf(r->metric_name, sizeof r->metric_name, "pp%lld", (long long)n_prompt);
        if (n_depth > 0)
            r->skip = r->skip ? r->skip : "prompt processing at a context depth is not replayed";
    } else if (n_gen > 0 && n_prompt == 0) {
        r->metric = ACC_TG;
        r->prompt = n_depth > 0 ? n_depth : 0; /* -d: the cache holds n_depth tokens first */
        r->output = n_gen;
        snprintf(r->metric_name, sizeof r->metric_name, "tg%lld", (long long)n_gen);
    } else {
        r->skip = r->skip ? r->skip : "prompt+generation runs (pg) are not replayed";
    }
    r->batch = 1;
    if (!ACC_VALUE_OK(avg_ts))
        r->skip = "no rate (none, or outside 1e-9..1e15 tok/s)";
    if (!r->skip && ngl >= 0) {
        const struct rt_model *m = catalog_model(x->c, r->model);
        if (m && ngl < m->layers)
            r->skip = "partial offload (n_gpu_layers below the model's layers) is not calibrated";
    }
    classify(r);
    return RT_OK;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static double jnum(json_t *o, const char *k, double def)
{
    json_t *v = json_object_get(o, k);
    if (json_is_number(v))
        return json_number_value(v);
    if (json_is_string(v)) { /* llama-bench's CSV-like strings, "inf" request rates */
        const char *s = json_string_value(v);
        if (strcmp(s, "inf") == 0)
            return INFINITY;
        char *end;
        double d = strtod(s, &end);
        return end != s ? d : def;
    }
    if (json_is_boolean(v))
        return json_is_true(v);
    return def;
}

/* A serving benchmark's result: the mean TPOT, the mean TTFT and the output
 * throughput at its concurrency. */
static int add_serving(const struct ctx *x, struct acc_set *set, int line, json_t *o)
{
    double done = jnum(o, "completed", 0);
    double in = jnum(o, "total_input_tokens", 0), outt = jnum(o, "total_output_tokens", 0);
    if (!(done > 0) || !(in > 0) || !(outt > 0))
        return RT_OK; /* not a result (a header or an error record) */
    double P = in / done, O = outt / done;
    double tpot = jnum(o, "mean_tpot_ms", 0), ttft = jnum(o, "mean_ttft_ms", 0);
    /* requests in flight: as measured (SGLang's concurrency); at an infinite
     * rate the stated limit, or every request at once; else Little's law:
     * request throughput x mean time in the system, at most the stated limit */
    double B = jnum(o, "concurrency", 0), cap = jnum(o, "max_concurrency", 0);
    double rate = jnum(o, "request_rate", INFINITY);
    if (!(B > 0) && isinf(rate))
        B = cap > 0 ? cap : done;
    if (!(B > 0)) {
        double e2e = jnum(o, "mean_e2el_ms", jnum(o, "mean_e2e_latency_ms", 0));
        if (!(e2e > 0))
            e2e = ttft + (O - 1) * tpot;
        B = jnum(o, "request_throughput", 0) * e2e * 1e-3;
        if (cap > 0 && B > cap)
            B = cap;
    }
    int64_t batch = file_count(B < 1 ? 1 : B, 1);
    const char *backend = jstr(o, "backend");
    const char *model = jstr(o, "model_id");
    if (!model)
        model = jstr(o, "model");
    static const struct { const char *key; enum acc_metric m; } keys[] = {
        { "mean_tpot_ms", ACC_TPOT }, { "mean_ttft_ms", ACC_TTFT }, { "output_throughput", ACC_TPUT_TOTAL },
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        double v = jnum(o, keys[k].key, 0);
        if (!ACC_VALUE_OK(v))
            continue;
        struct acc_row *r = accuracy_add_row(set);
        if (!r)
            return RT_EINVAL;
        r->line = line;
        r->value = v;
        r->metric = keys[k].m;
        snprintf(r->metric_name, sizeof r->metric_name, "%s", keys[k].key);
        r->batch = batch;
        r->prompt = file_count(P, 0);
        r->output = file_count(O, 0);
        map_run(x, r, NULL, model, NULL, 0, 0, backend);
        classify(r);
    }
    return RT_OK;
}

static int add_llama_bench_json(const struct ctx *x, struct acc_set *set, int line, json_t *o)
{
    if (!json_is_object(o))
        return RT_OK;
    return add_llama_bench(x, set, line, jstr(o, "model_type"), jnum(o, "model_size", 0), jnum(o, "model_n_params", 0),
                           jstr(o, "gpu_info"), file_count(jnum(o, "n_gpu_layers", -1), -1), file_count(jnum(o, "n_prompt", 0), 0),
                           file_count(jnum(o, "n_gen", 0), 0), file_count(jnum(o, "n_depth", 0), 0), jstr(o, "type_k"),
                           jnum(o, "avg_ts", 0));
}

static int parse_json(const struct ctx *x, const char *text, struct acc_set *set, bool serving, char *err,
                      size_t errlen)
{
    json_error_t je;
    json_t *root = json_loads(text, JSON_DISABLE_EOF_CHECK, &je);
    /* one document, or JSON lines */
    const char *rest = NULL;
    if (root) {
        const char *p = text + je.position;
        p = skip_ws(p);
        if (*p)
            rest = p;
    }
    if (root && !rest) {
        if (json_is_array(root)) {
            for (size_t i = 0; i < json_array_size(root); i++)
                add_llama_bench_json(x, set, (int)i + 1, json_array_get(root, i));
        } else if (serving) {
            add_serving(x, set, 1, root);
        } else {
            add_llama_bench_json(x, set, 1, root);
        }
        json_decref(root);
        return RT_OK;
    }
    json_decref(root);
    int line = 0;
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        line++;
        char *one = strndup(l, n);
        if (!one)
            return RT_EINVAL;
        if (*skip_ws(one)) {
            json_t *o = json_loads(one, 0, &je);
            if (!o) {
                snprintf(err, errlen, "%s:%d: %s", x->name, line, je.text);
                free(one);
                return RT_EINVAL;
            }
            if (serving)
                add_serving(x, set, line, o);
            else
                add_llama_bench_json(x, set, line, o);
            json_decref(o);
        }
        free(one);
        l = e ? e + 1 : l + n;
    }
    return RT_OK;
}

static int parse_llama_bench_csv(const struct ctx *x, const char *text, struct acc_set *set, char *err,
                                 size_t errlen)
{
    static char buf[1 << 16], hbuf[1 << 13];
    char *h[64], *f[64];
    const char *p = text;
    int nh = accuracy_csv_record(&p, h, 64, hbuf, sizeof hbuf);
    int col[9];
    static const char *const want[9] = { "model_type", "model_size", "model_n_params", "gpu_info", "n_gpu_layers",
                                         "n_prompt", "n_gen", "avg_ts", "n_depth" };
    for (int k = 0; k < 9; k++) {
        col[k] = -1;
        for (int i = 0; i < nh; i++)
            if (strcmp(h[i], want[k]) == 0)
                col[k] = i;
    }
    if (col[5] < 0 || col[6] < 0 || col[7] < 0) {
        snprintf(err, errlen, "%s:1: expected llama-bench's columns n_prompt, n_gen and avg_ts", x->name);
        return RT_EINVAL;
    }
    int line = 1;
    while (*p) {
        int nf = accuracy_csv_record(&p, f, 64, buf, sizeof buf);
        line++;
        if (nf <= 1)
            continue;
        if (nf != nh) {
            struct acc_row *r = accuracy_add_row(set);
            if (!r)
                return RT_EINVAL;
            r->line = line;
            r->skip = "the row's columns do not match the header's";
            continue;
        }
#define COL(k) (col[k] >= 0 ? f[col[k]] : NULL)
#define NUM(k, d) (col[k] >= 0 ? atof(f[col[k]]) : (d))
        if (add_llama_bench(x, set, line, COL(0), NUM(1, 0), NUM(2, 0), COL(3), file_count(NUM(4, -1), -1),
                            file_count(NUM(5, 0), 0), file_count(NUM(6, 0), 0), file_count(NUM(8, 0), 0), NULL, NUM(7, 0)) != RT_OK)
            return RT_EINVAL;
#undef COL
#undef NUM
    }
    return RT_OK;
}

/* Split a markdown table row into trimmed cells (in place). */
static int md_cells(char *line, char **cells, int max)
{
    int n = 0;
    char *s = strchr(line, '|');
    if (!s)
        return 0;
    s++;
    while (*s && n < max) {
        char *e = strchr(s, '|');
        if (!e)
            break;
        *e = 0;
        while (*s == ' ')
            s++;
        char *t = e;
        while (t > s && t[-1] == ' ')
            *--t = 0;
        cells[n++] = s;
        s = e + 1;
    }
    return n;
}

/* "3.56 GiB" -> bytes; "6.74 B" -> count */
static double md_quantity(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (strncmp(end, "GiB", 3) == 0) return v * 1073741824.0;
    if (strncmp(end, "MiB", 3) == 0) return v * 1048576.0;
    if (strncmp(end, "TiB", 3) == 0) return v * 1099511627776.0;
    if (*end == 'B') return v * 1e9;
    if (*end == 'M') return v * 1e6;
    if (*end == 'T') return v * 1e12;
    return v;
}

static int parse_llama_bench_md(const struct ctx *x, const char *text, struct acc_set *set, char *err,
                                size_t errlen)
{
    int cm = -1, cs = -1, cp = -1, ct = -1, cr = -1, cn = -1, line = 0;
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        line++;
        char *row = strndup(l, n);
        if (!row)
            return RT_EINVAL;
        char *cells[32];
        int nc = *skip_ws(row) == '|' ? md_cells(row, cells, 32) : 0;
        if (nc > 0 && strcmp(cells[0], "model") == 0) { /* a header */
            cm = cs = cp = ct = cr = cn = -1;
            for (int i = 0; i < nc; i++) {
                if (!strcmp(cells[i], "model")) cm = i;
                else if (!strcmp(cells[i], "size")) cs = i;
                else if (!strcmp(cells[i], "params")) cp = i;
                else if (!strcmp(cells[i], "test")) ct = i;
                else if (!strcmp(cells[i], "t/s")) cr = i;
                else if (!strcmp(cells[i], "ngl")) cn = i;
            }
        } else if (nc > 0 && cells[0][0] != '-' && cm >= 0 && ct >= 0 && cr >= 0 && cm < nc && ct < nc && cr < nc &&
                   strlen(cells[ct]) >= 2) {
            /* test: "pp 512", "pp512", "tg 128", "tg128 @ d4096"; a row shorter than the
             * header has no cell for a column (its slot would point into an earlier row) */
            const char *t = cells[ct];
            int64_t tokens = 0, depth = 0;
            const char *d = strstr(t, "@ d");
            if (d)
                depth = strtoll(d + 3, NULL, 10);
            const char *num = t + 2;
            while (*num == ' ')
                num++;
            tokens = strtoll(num, NULL, 10);
            bool pp = strncmp(t, "pp", 2) == 0, tg = strncmp(t, "tg", 2) == 0;
            if (add_llama_bench(x, set, line, cells[cm], cs >= 0 && cs < nc ? md_quantity(cells[cs]) : 0,
                                cp >= 0 && cp < nc ? md_quantity(cells[cp]) : 0, NULL,
                                cn >= 0 && cn < nc ? strtoll(cells[cn], NULL, 10) : -1, pp ? tokens : tg ? 0 : 1,
                                tg ? tokens : pp ? 0 : 1, depth, NULL, atof(cells[cr])) != RT_OK) {
                free(row);
                return RT_EINVAL;
            }
        }
        free(row);
        l = e ? e + 1 : l + n;
    }
    if (set->n == 0) {
        snprintf(err, errlen, "%s: no llama-bench table rows (model | ... | test | t/s)", x->name);
        return RT_EINVAL;
    }
    return RT_OK;
}

int calibrate_load(const struct catalog *c, const char *text, const char *name, const struct calib_opts *o,
                   struct acc_set *set, char *err, size_t errlen)
{
    memset(set, 0, sizeof *set);
    static const struct calib_opts none;
    struct ctx x = { c, o ? o : &none, acc_names_builtin(err, errlen), name };
    if (!x.nm)
        return RT_EINVAL;
    enum calib_format f = calib_detect(text);
    int rc = RT_EINVAL;
    switch (f) {
    case CALIB_LLAMA_BENCH_JSON: rc = parse_json(&x, text, set, false, err, errlen); break;
    case CALIB_SERVING_JSON: rc = parse_json(&x, text, set, true, err, errlen); break;
    case CALIB_LLAMA_BENCH_CSV: rc = parse_llama_bench_csv(&x, text, set, err, errlen); break;
    case CALIB_LLAMA_BENCH_MD: rc = parse_llama_bench_md(&x, text, set, err, errlen); break;
    case CALIB_ROOFTOP_CSV: rc = accuracy_parse(c, text, name, set, err, errlen); return rc;
    default:
        snprintf(err, errlen,
                 "%s: not a format --calibrate reads (llama-bench -o json/jsonl/csv/md, a vLLM or SGLang "
                 "serving-benchmark result, rooftop's measurement CSV)", name);
        return RT_EINVAL;
    }
    if (rc != RT_OK) {
        accuracy_free(set);
        return rc;
    }
    for (size_t i = 0; i < set->n; i++)
        accuracy_row_resolve(c, &set->rows[i]);
    return RT_OK;
}

/* ---- the fit ---- */

static bool is_decode(const struct acc_row *r) { return r->metric == ACC_TG || r->metric == ACC_TPOT; }
static bool is_prefill(const struct acc_row *r)
{
    return r->metric == ACC_PP || (r->metric == ACC_TTFT && r->klass == ACC_PREFILL);
}

/* Median of log(measured/predicted in time) over the selected rows (0 rows: 0). */
static double median_log_ratio(const struct catalog *c, const struct acc_set *set, const struct rt_engine *e,
                               bool (*sel)(const struct acc_row *), size_t *n_out)
{
    double v[512];
    size_t n = 0;
    for (size_t i = 0; i < set->n && n < 512; i++) {
        const struct acc_row *r = &set->rows[i];
        double p, lo, hi;
        if (r->skip || !r->rs || !sel(r) || accuracy_predict(c, r, e, &p, &lo, &hi) != RT_OK)
            continue;
        v[n++] = log(accuracy_ratio(r, p));
    }
    if (n_out)
        *n_out = n;
    return n ? accuracy_quantile(v, n, 0.5) : 0;
}

/* A one-parameter family of profiles: set(e, x) from the base b. */
struct knob {
    struct rt_engine b;
    void (*set)(struct rt_engine *e, const struct rt_engine *b, double x);
};

/* Decode speed x: every memory efficiency times x, every fixed cost over x, so
 * a bandwidth-bound step takes 1/x of the base's time; past a bandwidth
 * efficiency of 1 only the fixed costs shrink further. */
static void set_speed(struct rt_engine *e, const struct rt_engine *b, double x)
{
    e->mbu = fmin(1.0, b->mbu * x);
    e->step_overhead_s = b->step_overhead_s / x;
    e->layer_overhead_s = b->layer_overhead_s / x;
    e->stage_overhead_s = b->stage_overhead_s / x;
}

static void set_mfu(struct rt_engine *e, const struct rt_engine *b, double x) { (void)b; e->mfu = x; }
/* the dequantisation factor of 8-bit and of low-bit weights */
static void set_cls1(struct rt_engine *e, const struct rt_engine *b, double x) { (void)b; e->mbu_class[1] = x; }
static void set_cls2(struct rt_engine *e, const struct rt_engine *b, double x) { (void)b; e->mbu_class[2] = x; }
static bool is_decode_c0(const struct acc_row *r) { return is_decode(r) && r->weights.klass == 0; }
static bool is_decode_c1(const struct acc_row *r) { return is_decode(r) && r->weights.klass == 1; }
static bool is_decode_c2(const struct acc_row *r) { return is_decode(r) && r->weights.klass == 2; }

/* The x in [lo, hi] where the median log ratio is 0 (it rises with x: a
 * faster estimate): bisection in log space.  Returns x. */
static double solve(const struct catalog *c, const struct acc_set *set, struct rt_engine *e, const struct knob *k,
                    double lo, double hi, bool (*sel)(const struct acc_row *))
{
    size_t n;
    k->set(e, &k->b, hi);
    if (median_log_ratio(c, set, e, sel, &n) <= 0 || n == 0)
        return hi; /* even at the bound the estimate is slow (or nothing to fit) */
    k->set(e, &k->b, lo);
    if (median_log_ratio(c, set, e, sel, &n) >= 0)
        return lo;
    double a = log(lo), b = log(hi);
    for (int it = 0; it < 100; it++) {
        double m = 0.5 * (a + b);
        k->set(e, &k->b, exp(m));
        if (median_log_ratio(c, set, e, sel, &n) > 0)
            b = m;
        else
            a = m;
    }
    double x = exp(0.5 * (a + b));
    k->set(e, &k->b, x);
    return x;
}

size_t calibrate_fit(const struct catalog *c, const struct acc_set *set, const struct rt_engine *base,
                     struct rt_engine *out)
{
    struct rt_engine e = *base;
    int fam = -1;
    for (size_t i = 0; i < set->n && fam < 0; i++)
        if (!set->rows[i].skip && set->rows[i].rs)
            fam = set->rows[i].family;
    if (fam < 0) {
        *out = e;
        return 0;
    }
    /* the box's own efficiencies: the family factors folded in */
    e.mbu = fmin(1.0, e.mbu * (e.mbu_family[fam] > 0 ? e.mbu_family[fam] : 1));
    e.mfu = fmin(1.0, e.mfu * (e.mfu_family[fam] > 0 ? e.mfu_family[fam] : 1));
    e.mbu_family[fam] = e.mfu_family[fam] = 1.0;
    /* the decode speed to the decode runs (bandwidth efficiency up to 1); with
     * 16-bit runs and quantised ones, the speed to the 16-bit runs and then the
     * dequantisation factor of each quantised class to its own runs; then the
     * compute efficiency to the prefill runs */
    size_t n0 = 0, n1 = 0, n2 = 0;
    median_log_ratio(c, set, &e, is_decode_c0, &n0);
    median_log_ratio(c, set, &e, is_decode_c1, &n1);
    median_log_ratio(c, set, &e, is_decode_c2, &n2);
    /* twice: a kernel's time rises smoothly through the ridge (shape.c), so the
     * compute efficiency found from the prefill runs moves the decode time a
     * little; the second round puts the decode runs back on their measurement */
    for (int round = 0; round < 2; round++) {
        struct knob speed = { e, set_speed }, compute = { e, set_mfu };
        if (n0 && (n1 || n2)) {
            solve(c, set, &e, &speed, 0.02, 100.0, is_decode_c0);
            struct knob k1 = { e, set_cls1 }, k2 = { e, set_cls2 };
            if (n1)
                solve(c, set, &e, &k1, 0.1, fmin(2.0, 1.0 / e.mbu), is_decode_c1);
            if (n2)
                solve(c, set, &e, &k2, 0.1, fmin(2.0, 1.0 / e.mbu), is_decode_c2);
        } else {
            solve(c, set, &e, &speed, 0.02, 100.0, is_decode);
        }
        compute.b = e;
        solve(c, set, &e, &compute, 0.01, 1.0, is_prefill);
    }
    /* the band: 10th..90th percentile of the ratios, no narrower than the base's */
    double q[512];
    size_t n = 0;
    e.band_low = e.band_high = 1;
    for (size_t i = 0; i < set->n && n < 512; i++) {
        const struct acc_row *r = &set->rows[i];
        double p, lo, hi;
        if (!r->skip && r->rs && accuracy_predict(c, r, &e, &p, &lo, &hi) == RT_OK)
            q[n++] = accuracy_ratio(r, p);
    }
    e.band_low = fmin(base->band_low, n ? fmin(1.0, accuracy_quantile(q, n, 0.10)) : 1.0);
    e.band_high = fmax(base->band_high, n ? fmax(1.0, accuracy_quantile(q, n, 0.90)) : 1.0);
    /* no wider than the catalog reads (fmax/fmin also turn a NaN into the bound) */
    e.band_low = fmax(e.band_low, ENG_BAND_LOW_MIN);
    e.band_high = fmin(e.band_high, ENG_BAND_HIGH_MAX);
    /* its coverage on these runs */
    memset(e.band_in, 0, sizeof e.band_in);
    memset(e.band_runs, 0, sizeof e.band_runs);
    memset(e.band_moe, 0, sizeof e.band_moe);
    e.band_classes = true; /* the runs' model classes are known: count them */
    for (size_t i = 0; i < set->n; i++) {
        const struct acc_row *r = &set->rows[i];
        double p, lo, hi;
        if (r->skip || !r->rs || accuracy_predict(c, r, &e, &p, &lo, &hi) != RT_OK)
            continue;
        e.band_runs[r->family]++;
        e.band_moe[r->family] += rt_moe_group(r->rs->s.model) != NULL;
        e.band_in[r->family] += r->value >= lo * 0.9999 && r->value <= hi * 1.0001;
    }
    *out = e;
    return n;
}

/* ---- the report ---- */

static double med_err(const struct catalog *c, const struct acc_set *set, const struct rt_engine *e)
{
    double v[512];
    size_t n = 0;
    for (size_t i = 0; i < set->n && n < 512; i++) {
        const struct acc_row *r = &set->rows[i];
        double p, lo, hi;
        if (!r->skip && r->rs && accuracy_predict(c, r, e, &p, &lo, &hi) == RT_OK)
            v[n++] = fabs(p - r->value) / r->value;
    }
    return n ? accuracy_quantile(v, n, 0.5) : 0;
}

int calibrate_run_opts(const struct catalog *c, const char *path, const struct calib_opts *o, FILE *out,
                       struct calib_result *res, char *err, size_t errlen)
{
    static const struct calib_opts none;
    if (!o)
        o = &none;
    struct calib_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    /* as --accuracy: at most ACC_MAX_BYTES (the readers hold about 45 times the file) */
    char *text = slurp_file(path, NULL, ACC_MAX_BYTES);
    if (!text) {
        snprintf(err, errlen, "%s: %s", path, slurp_strerror(errno, ACC_MAX_BYTES));
        return RT_EINVAL;
    }
    enum calib_format fmt = calib_detect(text);
    struct acc_set set;
    int rc = calibrate_load(c, text, path, o, &set, err, errlen);
    free(text);
    if (rc != RT_OK)
        return rc;
    /* one runtime, one device: the first replayable row's */
    const struct acc_row *first = NULL;
    for (size_t i = 0; i < set.n && !first; i++)
        if (!set.rows[i].skip && set.rows[i].rs)
            first = &set.rows[i];
    if (!first) {
        if (set.n && set.rows[0].line > 0) /* the first run's line, FILE:LINE as other errors say */
            snprintf(err, errlen, "%s:%d: no run could be replayed (%zu read; the first: %s)", path, set.rows[0].line,
                     set.n, set.rows[0].skip ? set.rows[0].skip : "");
        else
            snprintf(err, errlen, "%s: no run could be replayed (%zu read%s%s)", path, set.n, set.n ? "; first: " : "",
                     set.n && set.rows[0].skip ? set.rows[0].skip : "");
        accuracy_free(&set);
        return RT_EINVAL;
    }
    for (size_t i = 0; i < set.n; i++) {
        struct acc_row *r = &set.rows[i];
        if (!r->skip && (strcmp(r->engine, first->engine) || strcmp(r->device, first->device)))
            r->skip = "another runtime or device than the first run (calibrate one box and runtime at a time)";
    }
    const struct rt_engine *base = catalog_engine(c, first->engine);
    res->before = *base;
    res->rows = set.n;
    res->used = calibrate_fit(c, &set, base, &res->after);
    struct rt_engine *e = &res->after;
    if (o->id && *o->id)
        snprintf(e->id, sizeof e->id, "%s", o->id);
    else
        snprintf(e->id, sizeof e->id, "local-%.*s", (int)sizeof e->id - 7, base->id);
    snprintf(e->name, sizeof e->name, "%.60s, calibrated (%zu runs)", base->name, res->used);
    res->med_before = med_err(c, &set, base);
    res->med_after = med_err(c, &set, e);

    fprintf(out, "rooftop calibrate: %s (%s), %zu runs, %zu replayed on %s with %s\n\n", path,
            calib_format_name(fmt), set.n, res->used, first->device, base->id);
    fprintf(out, "%5s  %-24s %-10s %-22s %10s %10s %10s %8s %8s\n", "line", "model", "weights", "run", "measured",
            "before", "after", "err bef", "err aft");
    for (size_t i = 0; i < set.n; i++) {
        const struct acc_row *r = &set.rows[i];
        char run[64];
        snprintf(run, sizeof run, "%s b%lld p%lld o%lld", r->metric_name, (long long)r->batch, (long long)r->prompt,
                 (long long)r->output);
        if (r->skip || !r->rs) {
            fprintf(out, "%5d  skipped: %s\n", r->line, r->skip ? r->skip : "?");
            continue;
        }
        double pb, pa, lo, hi;
        if (accuracy_predict(c, r, base, &pb, &lo, &hi) != RT_OK || accuracy_predict(c, r, e, &pa, &lo, &hi) != RT_OK)
            continue;
        fprintf(out, "%5d  %-24.24s %-10.10s %-22.22s %10.4g %10.4g %10.4g %+7.1f%% %+7.1f%%\n", r->line, r->model,
                r->weights.id, run, r->value, pb, pa, (pb - r->value) / r->value * 100,
                (pa - r->value) / r->value * 100);
    }
    fprintf(out, "\nmedian |error|: %.1f%% before, %.1f%% after\n", res->med_before * 100, res->med_after * 100);
    fprintf(out, "bandwidth efficiency (mbu) %.3f -> %.3f, compute efficiency (mfu) %.3f -> %.3f on %s\n",
            fmin(1.0, base->mbu * base->mbu_family[first->family]), e->mbu,
            fmin(1.0, base->mfu * base->mfu_family[first->family]), e->mfu, first->device);
    fprintf(out, "band x%.3f..x%.3f on time: %d of %d runs inside%s\n", e->band_low, e->band_high,
            e->band_in[first->family], e->band_runs[first->family],
            e->band_low <= ENG_BAND_LOW_MIN || e->band_high >= ENG_BAND_HIGH_MAX
                ? " (held to the widest band rooftop reads, x0.1..x10)" : "");
    if (!o->dry_run) {
        if (calibrate_save(e, o->dir, res->saved, sizeof res->saved, err, errlen) != RT_OK) {
            accuracy_free(&set);
            return RT_EINVAL;
        }
        fprintf(out, "saved engine \"%s\" in %s: use it with --engine %s\n", e->id, res->saved, e->id);
    }
    accuracy_free(&set);
    return RT_OK;
}

int calibrate_run(const struct catalog *c, const char *path, FILE *out, char *err, size_t errlen)
{
    return calibrate_run_opts(c, path, NULL, out, NULL, err, errlen) == RT_OK ? 0 : 1;
}
