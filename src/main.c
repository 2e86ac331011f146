/* main.c - modes: the dashboard, --print (table, JSON, CSV, sweeps), the lists,
 * --accuracy.  Exit status: 0 success, 1 bad input, 2 usage. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "accuracy/accuracy.h"
#include "accuracy/summary.h"
#include "accuracy/calibrate.h"
#include "catalog/embedded.h"
#include "output/devices.h"
#include "output/explain.h"
#include "output/fields.h"
#include "output/record.h"
#include "base/text.h"
#include "output/report.h"
#include "output/columns.h"
#include "output/reccols.h"
#include "base/units.h"
#include "core/core.h"
#include "scenario/solver.h"
#include "tui/tui.h"
#include "machine/machine_print.h"

static void warn_stderr(const char *msg, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "rooftop: warning: %s\n", msg);
}

/* The built-in default session is the inputs table's defaults; the shipped
 * presets/sessions/default.cfg says the same (tests/test_tables.c holds them equal). */
static void builtin_session(struct session *s) { session_default(s); }

static void print_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    fputc('\n', stdout);
    json_decref(j);
}

/* The --list-* tables: columns over the keys each entry is written as (fields.c). */
#define RC(h, k, w, kind) { h, k, w, kind, 0, 0, NULL, 0, 0, RC_NO_DASH, 0 }
#define RN(h, k, w, conv, prec, suffix, scale, div, dash) { h, k, w, RC_NUM, conv, prec, suffix, scale, div, dash, 0 }
static const struct rec_column list_models[] = {
    RC("ID", "id", -18, RC_TEXT), RC("NAME", "name", -22, RC_TEXT), RC("PARAMS", "params_total", 9, RC_PARAMS),
    RC("ACTIVE", "params_active", 9, RC_PARAMS), RC("ATTN", "attention", 7, RC_TEXT),
    RC("CONTEXT", "max_context", 9, RC_INT),
};
static const struct rec_column list_gpus[] = {
    RC("ID", "id", -16, RC_TEXT), RC("NAME", "name", -32, RC_TEXT), RC("MEMORY", "memory_bytes", 8, RC_BYTES),
    RN("BANDWIDTH", "bandwidth", 10, 'f', 0, " GB/s", 1, 1e9, RC_NO_DASH),
    RN("FP16 TF", "peak_fp16", 10, 'f', 1, NULL, 1, 1e12, RC_DASH_NOT_POSITIVE),
    /* TPUs and Trainium compute in bf16 only: without this column they read as having no 16-bit rate */
    RN("BF16 TF", "peak_bf16", 8, 'f', 0, NULL, 1, 1e12, RC_DASH_NOT_POSITIVE),
    RN("FP8 TF", "peak_fp8", 8, 'f', 0, NULL, 1, 1e12, RC_DASH_NOT_POSITIVE),
    RN("FP4 TF", "peak_fp4", 8, 'f', 0, NULL, 1, 1e12, RC_DASH_NOT_POSITIVE),
};
static const struct rec_column list_formats[] = {
    RC("ID", "id", -10, RC_TEXT), RN("BITS", "bits", 8, 'g', 4, NULL, 1, 0, RC_NO_DASH),
    RN("EMBED", "embed_bits", 8, 'g', 4, NULL, 1, 0, RC_NO_DASH), RN("HEAD", "head_bits", 8, 'g', 4, NULL, 1, 0, RC_NO_DASH),
    RC("COMPUTE", "compute", -8, RC_TEXT), RC("KV", "kv", -3, RC_YESNO),
    RN("PPL+ (llama.cpp, Llama-3-8B)", "ppl_delta", 0, 'F', 4, NULL, 1, 0, RC_DASH_NOT_FINITE), /* "-": none published */
};
static const struct rec_column list_apis[] = {
    RC("ID", "id", -16, RC_TEXT), RC("NAME", "name", -32, RC_TEXT),
    RN("IN $/M", "input_usd_per_mtok", 8, 'g', 3, NULL, 1, 0, RC_NO_DASH),
    RN("OUT $/M", "output_usd_per_mtok", 8, 'g', 3, NULL, 1, 0, RC_NO_DASH), RC("CONTEXT", "context", 9, RC_INT),
    RN("TTFT", "ttft_s", 6, 'f', 2, "s", 1, 0, RC_DASH_NOT_POSITIVE), /* "-": no latency published */
    RN("TOK/S", "output_tok_s", 6, 'f', 0, NULL, 1, 0, RC_DASH_NOT_POSITIVE), RC("DATE", "date", -10, RC_TEXT),
    RC("SOURCE", "source", 0, RC_TEXT),
};
static const struct rec_column list_engines[] = {
    RC("ID", "id", -15, RC_TEXT), RC("NAME", "name", -31, RC_TEXT), RN("MBU", "mbu", 6, 'f', 2, NULL, 1, 0, RC_NO_DASH),
    RN("MFU", "mfu", 6, 'f', 2, NULL, 1, 0, RC_NO_DASH), RN("MEM USE", "mem_util", 8, 'f', 0, "%", 100, 0, RC_NO_DASH),
    /* "-": no cap of the engine's own (memory alone limits the running sequences; 0 in JSON) */
    RN("MAX SEQ", "max_seqs", 8, 'f', 0, NULL, 1, 0, RC_DASH_NOT_POSITIVE),
    RN("TOKENS", "max_batched_tokens", 8, 'f', 0, NULL, 1, 0, RC_DASH_NOT_POSITIVE),
    { "VERSION", "version", 0, RC_TEXT, 0, 0, NULL, 0, 0, RC_NO_DASH, 1 },
};
#undef RC
#undef RN

static int list(const struct catalog *cat, const char *what, enum out_format fmt)
{
    size_t n = strcmp(what, "models") == 0 ? cat->n_models : strcmp(what, "gpus") == 0 ? cat->n_devices
             : strcmp(what, "formats") == 0 ? cat->n_formats : strcmp(what, "apis") == 0 ? cat->n_apis
             : cat->n_engines;
    const struct rec_column *cols;
    size_t ncols;
    if (strcmp(what, "models") == 0) cols = list_models, ncols = sizeof list_models / sizeof list_models[0];
    else if (strcmp(what, "gpus") == 0) cols = list_gpus, ncols = sizeof list_gpus / sizeof list_gpus[0];
    else if (strcmp(what, "formats") == 0) cols = list_formats, ncols = sizeof list_formats / sizeof list_formats[0];
    else if (strcmp(what, "apis") == 0) cols = list_apis, ncols = sizeof list_apis / sizeof list_apis[0];
    else cols = list_engines, ncols = sizeof list_engines / sizeof list_engines[0];
    static struct record rec;
    struct sink s;
    struct rec_column fit[16];
    if (ncols > sizeof fit / sizeof fit[0])
        ncols = sizeof fit / sizeof fit[0];
    memcpy(fit, cols, ncols * sizeof fit[0]);
    json_t *arr = json_array();
    /* the table: a first pass widens the columns to their longest value */
    for (int pass = fmt == OUT_JSON || fmt == OUT_CSV ? 1 : 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
        record_sink(&s, &rec);
        if (strcmp(what, "models") == 0) fields_model(&s, &cat->models[i]);
        else if (strcmp(what, "gpus") == 0) fields_device(&s, &cat->devices[i]);
        else if (strcmp(what, "formats") == 0) fields_format(&s, &cat->formats[i]);
        else if (strcmp(what, "apis") == 0) fields_api(&s, &cat->apis[i]);
        else fields_engine(&s, &cat->engines[i]);
        if (pass == 0) {
            rec_columns_fit(fit, ncols, &rec);
            continue;
        }
        switch (fmt) {
        case OUT_JSON: json_array_append_new(arr, record_json(&rec)); break;
        case OUT_CSV:
            if (i == 0) csv_header(stdout, &rec);
            csv_row(stdout, &rec);
            break;
        default:
            if (i == 0)
                rec_columns_head(stdout, fit, ncols);
            rec_columns_row(stdout, fit, ncols, &rec);
        }
    }
    if (fmt == OUT_JSON)
        print_json(arr);
    else
        json_decref(arr);
    /* the table shows one cap per engine: say where the scheduler's defaults grow with the device */
    bool noted = false;
    for (size_t i = 0; fmt == OUT_TABLE && strcmp(what, "engines") == 0 && i < n; i++) {
        const struct rt_engine *e = &cat->engines[i];
        if (!(e->large_gib > 0) || (e->large_max_seqs <= 0 && e->large_max_batched_tokens <= 0))
            continue;
        printf("%s%s: on a device of %g GiB or more%s%s%s: MAX SEQ %lld, TOKENS %lld\n", noted ? "" : "\n", e->id,
               e->large_gib, e->large_exclude[0] ? " (but not an id with '" : "", e->large_exclude,
               e->large_exclude[0] ? "')" : "", (long long)(e->large_max_seqs > 0 ? e->large_max_seqs : e->max_seqs),
               (long long)(e->large_max_batched_tokens > 0 ? e->large_max_batched_tokens : e->max_batched_tokens));
        noted = true;
    }
    return 0;
}

/* --sweep P=A:B[:S] (S a step, or xK for a geometric one) over any numeric
 * input, or P=a,b,c over any input (ids too); "context" sets prompt + output. */
#define SWEEP_ROWS_MAX 10000000
#define SWEEP_REPLAY_MAX 2e7            /* requests replayed by all rows of a sweep under --rate */
struct sweep {
    char param[32];
    const struct input *in;         /* NULL: context */
    double a, b, step;
    bool geometric;
    const char *list;               /* P=a,b,c: the values, else NULL */
};

static int parse_sweep(const char *text, struct sweep *sw)
{
    const char *eq = strchr(text, '=');
    memset(sw, 0, sizeof *sw);
    if (!eq || eq - text >= (long)sizeof sw->param)
        goto bad;
    memcpy(sw->param, text, (size_t)(eq - text));
    sw->in = input_by_name(sw->param);
    if (sw->in && !sw->in->sweep) { /* a text that is a list itself (--tensor-split), a distribution ... */
        fprintf(stderr, "rooftop: --sweep: --%s is not swept; give its value as an option and sweep another input\n",
                sw->param);
        return 1;
    }
    if ((!sw->in || !sw->in->sweep) && strcmp(sw->param, "context") != 0) {
        char shown[CLI_SHOWN_SIZE];
        fprintf(stderr, "rooftop: --sweep: unknown parameter '%s' (any input such as batch, prompt, output, gpus, "
                        "weights, gpu; or context)\n", cli_shown(sw->param, shown, sizeof shown));
        return 1;
    }
    const char *v = eq + 1;
    bool numeric = !sw->in || sw->in->type != IN_ID;
    if (strchr(v, ',') || !numeric) {
        if (!*v)
            goto bad;
        sw->list = v;
        return 0;
    }
    char buf[96];
    snprintf(buf, sizeof buf, "%s", v);
    char *c1 = strchr(buf, ':');
    if (!c1)
        goto bad;
    *c1 = 0;
    char *c2 = strchr(c1 + 1, ':');
    if (c2)
        *c2 = 0;
    bool real = sw->in && sw->in->type == IN_REAL;
    int64_t x, y;
    if (real) {
        if (!parse_real(buf, &sw->a) || !parse_real(c1 + 1, &sw->b))
            goto bad;
    } else {
        if (!parse_tokens(buf, &x) || !parse_tokens(c1 + 1, &y))
            goto bad;
        sw->a = (double)x;
        sw->b = (double)y;
    }
    if (sw->b < sw->a)
        goto bad;
    sw->step = 1;
    if (c2) {
        const char *st = c2 + 1;
        if (*st == 'x') {
            sw->geometric = true;
            st++;
        }
        if (real ? !parse_real(st, &sw->step) : !parse_tokens(st, &x))
            goto bad;
        if (!real)
            sw->step = (double)x;
        if (sw->geometric ? sw->step <= 1 : sw->step <= 0)
            goto bad;
    }
    if (sw->geometric && sw->a <= 0)
        goto bad;
    if (!sw->geometric && (sw->b - sw->a) / sw->step > SWEEP_ROWS_MAX) {
        fprintf(stderr, "rooftop: --sweep: more than %d rows\n", SWEEP_ROWS_MAX);
        return 1;
    }
    return 0;
bad:;
    char shown[CLI_SHOWN_SIZE];
    fprintf(stderr, "rooftop: --sweep: invalid value '%s': expected P=A:B[:S] or P=a,b,c, e.g. batch=1:256, "
                    "batch=1:1024:x2 or weights=q4_k_m,q8_0\n", cli_shown(text, shown, sizeof shown));
    return 1;
}

/* The rows of a sweep, counted before any is run. */
static double sweep_rows(const struct sweep *sw)
{
    if (sw->list) {
        double n = 1;
        for (const char *p = sw->list; *p; p++)
            n += *p == ',';
        return n;
    }
    if (sw->geometric)
        return floor(log(sw->b / sw->a) / log(sw->step) + 1e-9) + 1;
    return floor((sw->b - sw->a) / sw->step + 1e-9) + 1;
}

/* Under --rate each row replays --requests requests: the rows together
 * replay at most SWEEP_REPLAY_MAX (about a minute), not days. */
static int sweep_budget(const struct sweep *sw, const struct rt_spec *base)
{
    bool rate = base->rate > 0 || (sw->in && strcmp(sw->in->name, "rate") == 0);
    if (!rate)
        return 0;
    double req = (double)base->requests;
    if (sw->in && strcmp(sw->in->name, "requests") == 0)
        req = sw->list ? (double)RT_REQUESTS_MAX : sw->b;
    double rows = sweep_rows(sw);
    if (rows * req > SWEEP_REPLAY_MAX) {
        fprintf(stderr, "rooftop: --sweep: %.0f rows of %.0f requests each replay %.3g requests in all, more than %.0e "
                        "(about a minute): sweep fewer rows or give fewer --requests\n", rows, req, rows * req,
                SWEEP_REPLAY_MAX);
        return 1;
    }
    return 0;
}

/* Set the row's value; an error names the sweep and the value. */
static int sweep_set(struct rt_spec *sp, const struct sweep *sw, const char *value)
{
    char why[128];
    if (!sw->in) {
        int64_t v;
        if (!parse_tokens(value, &v) || v < 0 || v > RT_TOKENS_MAX) {
            char shown[CLI_SHOWN_SIZE];
            fprintf(stderr, "rooftop: --sweep: context=%s: expected a token count\n", cli_shown(value, shown, sizeof shown));
            return 1;
        }
        sp->prompt = v > sp->output ? v - sp->output : 0; /* context = prompt + output */
        return 0;
    }
    if (!input_parse(sw->in, sp, value, why, sizeof why)) {
        char shown[CLI_SHOWN_SIZE];
        fprintf(stderr, "rooftop: --sweep: %s=%s: %s\n", sw->param, cli_shown(value, shown, sizeof shown), why);
        return 1;
    }
    if (strcmp(sw->in->name, "gpus") == 0)
        sp->tp = sp->pp = 0;
    else if (strcmp(sw->in->name, "weights") == 0)
        sp->kv[0] = 0;
    return 0;
}

/* Inputs that change only a plain number of the resolved scenario (their rows do
 * not affect the resolve): no need to resolve again.  context is the prompt. */
static bool sweep_fast(const struct sweep *sw)
{
    return !sw->in || !(sw->in->affects & AFF_RESOLVE);
}

/* The next value's text; false past the end. */
static bool sweep_next(const struct sweep *sw, double *v, const char **cursor, char *buf, size_t n)
{
    if (sw->list) {
        const char *p = *cursor;
        if (!p)
            return false;
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), p);
        *cursor = c ? c + 1 : NULL;
        return true;
    }
    if (*v > sw->b * (1 + 1e-12))
        return false;
    if (*v >= 0 && *v < 1e10 && *v == (double)(long long)*v && !signbit(*v) && n >= 12) {
        /* a whole number as "%.10g" writes it, by hand (most sweeps: one per row) */
        char tmp[12];
        int k = 12;
        long long u = (long long)*v;
        do
            tmp[--k] = (char)('0' + u % 10);
        while (u /= 10);
        memcpy(buf, tmp + k, (size_t)(12 - k));
        buf[12 - k] = 0;
    } else {
        snprintf(buf, n, "%.10g", *v);
    }
    *v = sw->geometric ? *v * sw->step : *v + sw->step;
    return true;
}

/* --explain KEY: one figure with its formula and inputs. */
static int explain_mode(const struct cli *cli, const struct fig_ctx *c)
{
    if (cli->format == OUT_JSON) {
        json_t *j = explain_json(cli->explain, c);
        if (j) {
            print_json(j);
            return 0;
        }
    } else if (explain_table(stdout, cli->explain, c)) {
        return 0;
    }
    char sug[1024];
    explain_suggest(cli->explain, sug, sizeof sug);
    char shown[CLI_SHOWN_SIZE];
    fprintf(stderr, "rooftop: --explain: unknown key '%s'%s%s%s\n", cli_shown(cli->explain, shown, sizeof shown),
            sug[0] ? "; keys like it: " : "",
            sug, sug[0] ? "" : " (see the keys of --format json)");
    return 1;
}

/* --compare SESSION: the session as A, the command line's scenario as B. */
static int compare_mode(const struct catalog *cat, const struct cli *cli, const struct rt_spec *a_spec,
                        const struct rt_spec *b_spec)
{
    static struct rt_resolved ra, rb;
    struct rt_result a, b;
    char err[RT_ERR_MAX + 256];
    if (spec_resolve(cat, a_spec, &ra, err, sizeof err) != RT_OK || rt_estimate(&ra.s, &a, err, sizeof err) != RT_OK) {
        fprintf(stderr, "rooftop: --compare: %s: %s\n", cli->compare, err);
        return 1;
    }
    if (spec_resolve(cat, b_spec, &rb, err, sizeof err) != RT_OK || rt_estimate(&rb.s, &b, err, sizeof err) != RT_OK) {
        fprintf(stderr, "rooftop: %s\n", err);
        return 1;
    }
    struct fig_ctx ca = { &ra, &a }, cb = { &rb, &b };
    if (cli->format == OUT_JSON)
        print_json(compare_json(&ca, &cb));
    else if (cli->format == OUT_CSV)
        compare_csv(stdout, &ca, &cb);
    else
        compare_table(stdout, &ca, &cb);
    return 0;
}

/* --print --solve: the cheapest setups that serve the model at --rate within
 * --ttft-max and --itl-max; each with the scenario's figures, serving, cost and
 * the binding constraint. */
#define SOLVE_ANSWERS 20
static int solve_mode(const struct catalog *cat, const struct cli *cli, const struct rt_spec *base)
{
    static struct rt_resolved rs, one;
    static struct rt_solution out[SOLVE_ANSWERS];
    static struct record rec;
    char err[RT_ERR_MAX + 256];
    if (spec_resolve(cat, base, &rs, err, sizeof err) != RT_OK) {
        cli_error(cli, err, stderr);
        return 1;
    }
    struct rt_solve_opts o = { .rate = rs.s.rate, .ttft_max = base->ttft_max, .itl_max = base->itl_max,
                               .max_devices = base->max_devices, .requests = base->requests,
                               .lifetime_years = base->lifetime_years, .kwh_usd = base->kwh_usd, .pue = base->pue,
                               .priced = rs.s.device };
    long n = rt_solve(cat, &rs, &o, out, SOLVE_ANSWERS, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "rooftop: --solve: %s\n", err);
        return 1;
    }
    json_t *arr = cli->format == OUT_JSON ? json_array() : NULL;
    if (cli->format == OUT_TABLE)
        printf("%-3s %-14s %3s %3s %3s %3s %-7s %-5s %9s %9s %9s %10s %9s  %-8s %s\n", "#", "GPU", "N", "TP", "PP", "EP",
               "WEIGHTS", "KV", "$/HOUR", "TTFT", "ITL", "CAPACITY", "$/M OUT", "BINDING", "DP|P:D");
    for (long i = 0; i < n; i++) {
        struct rt_solution *x = &out[i];
        one = rs;
        rt_solution_scenario(&rs, x, &one.s);
        one.s.rate = 0; /* the static figures; serving and cost are the solver's */
        struct rt_result r;
        if (rt_estimate(&one.s, &r, err, sizeof err) != RT_OK) {
            fprintf(stderr, "rooftop: --solve: %s\n", err);
            json_decref(arr);
            return 1;
        }
        one.s.rate = rs.s.rate;
        r.serving_on = r.cost_on = true;
        r.serving = x->serving;
        r.cost = x->cost;
        if (cli->format == OUT_TABLE) {
            char split[48];
            if (x->disagg_p > 0) /* disaggregated: prefill and decode devices */
                snprintf(split, sizeof split, "%lld:%lld", (long long)x->disagg_p, (long long)x->disagg_d);
            else
                snprintf(split, sizeof split, "%lld", (long long)(x->dp > 1 ? x->dp : 1));
            /* the setup's figures through the figures table (its scenario and result: one, r);
             * the device count (all replicas or both groups: the scenario's is one replica's),
             * the expert parallel degree, the binding constraint and the split are the solver's */
            static const struct column cols[] = {
                { "GPU", "gpu", -14, -1, NULL }, { "TP", "tp", 3, 0, NULL },
                { "PP", "pp", 3, 0, NULL }, { "WEIGHTS", "weights", -7, -1, NULL }, { "KV", "kv", -5, -1, NULL },
                { "$/HOUR", "cost.per_hour_usd", 9, 2, NULL }, { "TTFT", "serving.ttft_mean_s", 9, -1, NULL },
                { "ITL", "serving.itl_mean_s", 9, -1, NULL }, { "CAPACITY", "serving.capacity_rps", 6, 2, NULL },
                { "$/M OUT", "cost.per_mtok_output_usd", 9, 3, NULL },
            };
            enum { NC = sizeof cols / sizeof cols[0] };
            static const struct figure *figs[NC];
            char c[NC][64];
            struct fig_ctx fc = { &one, &r };
            if (i == 0)
                columns_bind(cols, NC, figs);
            for (int k = 0; k < NC; k++)
                column_cell(&cols[k], figs[k], &fc, c[k], sizeof c[k]);
            printf("%-3ld %-14s %3lld %3s %3s %3lld %-7s %-5s %9s %9s %9s %6s r/s %9s  %-8s %s\n", i + 1, c[0],
                   (long long)x->devices, c[1], c[2], (long long)x->ep, c[3], c[4], c[5], c[6], c[7], c[8], c[9],
                   rt_binding_name(x->binding), split);
            continue;
        }
        struct sink s;
        record_sink(&s, &rec);
        fields_result(&s, &one, &r);
        s.str(&s, "binding", rt_binding_name(x->binding));
        if (arr)
            json_array_append_new(arr, record_json(&rec));
        else {
            static struct csv_keys head; /* a disaggregated setup has three more figures */
            if (i == 0) {
                csv_header(stdout, &rec);
                if (!csv_keys_keep(&head, &rec))
                    head.n = 0;
            }
            if (head.n)
                csv_row_under(stdout, &rec, &head);
            else
                csv_row(stdout, &rec);
        }
    }
    if (arr)
        print_json(arr);
    else if (cli->format == OUT_TABLE && n == 0)
        printf("no setup of the search space meets the targets at this rate\n");
    return 0;
}

/* --print --sweep: one row per value, in the chosen format. */
static int sweep_mode(const struct catalog *cat, const struct cli *cli, const struct rt_spec *base)
{
    static struct rt_resolved rs;
    static struct record rec;
    struct rt_result r;
    char err[RT_ERR_MAX + 256];
    struct sink s;
    struct sweep sw;
    if (parse_sweep(cli->sweep, &sw) || sweep_budget(&sw, base))
        return 1;
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf); /* rows go out in large writes */
    json_t *arr = cli->format == OUT_JSON ? json_array() : NULL;
    struct rt_spec sp = *base;
    static struct model_cache models;
    int rows = 0;
    bool resolved = false;
    double v = sw.a;
    const char *cursor = sw.list;
    char value[PATH_MAX];
    /* the scenario slot a fast row sets (a context sweep sets the prompt), looked up once */
    const struct input *slot = sw.in ? sw.in : input_by_name("prompt");
    while (sweep_next(&sw, &v, &cursor, value, sizeof value)) {
        if (sweep_set(&sp, &sw, value)) {
            json_decref(arr);
            return 1;
        }
        int rc = RT_OK;
        if (!resolved || !sweep_fast(&sw)) {
            rc = spec_resolve_cached(cat, &sp, &models, &rs, err, sizeof err); /* a model file: read once */
            resolved = rc == RT_OK;
        } else {
            input_to_scenario(slot, &rs.s, &sp);
        }
        if (rc != RT_OK || rt_estimate(&rs.s, &r, err, sizeof err) != RT_OK) {
            fprintf(stderr, "rooftop: %s=%s: %s\n", sw.param, value, err);
            json_decref(arr);
            return 1;
        }
        if (cli->format == OUT_TABLE) {
            /* the sweep's columns are figures, formatted by the figures table */
            static const struct column cols[] = {
                { "FITS", "memory.fits", -5, -1, "NO" },
                { "MEM/DEV", "memory.per_device_bytes", 10, -1, NULL },
                { "TTFT", "ttft_s", 10, -1, NULL },
                { "TPOT", "decode.time_per_token_s", 10, -1, NULL },
                { "TOK/S/SEQ", "decode.tokens_per_s_per_sequence", 12, 1, NULL },
                { "TOK/S TOTAL", "decode.tokens_per_s_total", 12, 1, NULL },
                { "DECODE", "decode.bound", -8, -1, NULL },
            };
            /* under a rate (or sweeping it) the serving run's figures: a sweep of --concurrency,
             * --max-seqs or the rate changes those, not the static ones above */
            static const struct column serving_cols[] = {
                { "FITS", "memory.fits", -5, -1, "NO" },
                { "TTFT LOAD", "serving.ttft_mean_s", 10, -1, NULL },
                { "TTFT P99", "serving.ttft_p99_s", 10, -1, NULL },
                { "ITL", "serving.itl_mean_s", 10, -1, NULL },
                { "OUT TOK/S", "serving.output_tok_s", 10, 1, NULL },
                { "RUNNING", "serving.mean_running", 8, 1, NULL },
                { "CAPACITY", "serving.capacity_rps", 11, -1, NULL },
            };
            enum { NCOLS = sizeof cols / sizeof cols[0], NSERV = sizeof serving_cols / sizeof serving_cols[0] };
            static const struct figure *figs[NCOLS > NSERV ? NCOLS : NSERV];
            static bool serving_table;
            struct fig_ctx fc = { &rs, &r };
            if (rows == 0) {
                serving_table = sp.rate > 0 || (sw.in && strcmp(sw.in->name, "rate") == 0);
                columns_bind(serving_table ? serving_cols : cols, serving_table ? NSERV : NCOLS, figs);
                printf("%10s  ", sw.param);
                columns_head(stdout, serving_table ? serving_cols : cols, serving_table ? NSERV : NCOLS);
            }
            printf("%10s  ", value);
            columns_row(stdout, serving_table ? serving_cols : cols, serving_table ? NSERV : NCOLS, figs, &fc);
        } else if (!arr && rows > 0) {
            /* CSV rows after the header: straight to their text, no record kept */
            static struct csv_stream cs;
            csv_stream_sink(&s, &cs, stdout);
            fields_result_every(&s, &rs, &r); /* every row under the header's columns */
            csv_stream_end(&cs);
        } else {
            record_sink(&s, &rec);
            (arr ? fields_result : fields_result_every)(&s, &rs, &r);
            if (arr) {
                json_t *o = record_json(&rec);
                json_t *val;
                if (!sw.in)
                    val = json_integer((json_int_t)(sp.prompt + sp.output));
                else if (sw.in->type == IN_ID)
                    val = json_string(value);
                else if (sw.in->type == IN_REAL)
                    val = json_real(input_number(sw.in, &sp));
                else
                    val = json_integer((json_int_t)input_int(sw.in, &sp));
                json_object_set_new(o, "sweep", json_pack("{s:s,s:o}", "parameter", sw.param, "value", val));
                devices_attach(o, &rs, &r);
                json_array_append_new(arr, o);
            } else {
                if (rows == 0) csv_header(stdout, &rec);
                csv_row(stdout, &rec);
            }
        }
        rows++;
    }
    if (arr)
        print_json(arr);
    return 0;
}

/* Below --rank's table: the setup the rows are for, as F7's heading gives it ("what fits here"
 * printed alone did not say where: the device, its memory with --memory, the engine, the context). */
static void rank_footer(FILE *o, const struct rt_scenario *s)
{
    char mem[32], ctx[32];
    fmt_bytes(mem, sizeof mem, s->device->memory_bytes);
    fmt_count(ctx, sizeof ctx, s->prompt + s->output);
    if (rt_mixed(s)) {
        fprintf(o, "ranked for");
        for (int i = 0; i < s->mix_n; i++)
            fprintf(o, "%s%s", i ? " + " : " ", s->mix[i]->id);
    } else {
        fprintf(o, "ranked for %lld x %s (%s each)", (long long)s->devices, s->device->id, mem);
    }
    fprintf(o, ", engine %s, batch %lld, context %s tokens\n", s->engine->id, (long long)s->batch, ctx);
}

static int print_mode(const struct catalog *cat, const struct cli *cli, const struct rt_spec *base)
{
    if (cli->solve)
        return solve_mode(cat, cli, base);
    static struct rt_resolved rs;
    static struct record rec;
    struct rt_result r;
    char err[RT_ERR_MAX + 256];
    struct sink s;
    if (cli->rank) {
        enum rank_sort by = RANK_BY_FIT;
        if (cli->sort)
            rank_sort_parse(cli->sort, &by);
        if (spec_resolve(cat, base, &rs, err, sizeof err) != RT_OK) {
            cli_error(cli, err, stderr);
            return 1;
        }
        struct rank_table t;
        rank_init(&t);
        rank_build(cat, &rs.s, by, &t);
        mp_print_rank(stdout, &t, (enum mp_format)cli->format);
        if (cli->format == OUT_TABLE)
            rank_footer(stdout, &rs.s);
        rank_free(&t);
        return 0;
    }
    if (!cli->sweep) {
        if (spec_resolve(cat, base, &rs, err, sizeof err) != RT_OK ||
            rt_estimate(&rs.s, &r, err, sizeof err) != RT_OK) {
            cli_error(cli, err, stderr);
            return 1;
        }
        if (rs.warning[0] && cli->format != OUT_TABLE)
            fprintf(stderr, "rooftop: warning: %s\n", rs.warning);
        if (cli->explain) {
            struct fig_ctx c = { &rs, &r };
            return explain_mode(cli, &c);
        }
        record_sink(&s, &rec);
        (cli->format == OUT_CSV ? fields_result_every : fields_result)(&s, &rs, &r); /* CSV: a sweep's columns */
        char line[4096] = "", note[512] = "";
        if (cli->launch) {
            if (launch_line(&rs, base->model, line, sizeof line, note, sizeof note) != RT_OK) {
                snprintf(note, sizeof note, "%s", line); /* the reason there is none */
                line[0] = 0;
            }
            s.str(&s, "launch", line);
            s.str(&s, "launch_note", note);
        }
        if (cli->format == OUT_JSON) {
            if (rs.s.mix_n > 1) { /* mixed devices: split.devices, one object per device */
                json_t *o = record_json(&rec);
                devices_attach(o, &rs, &r);
                print_json(o);
            } else if (!record_write_json(stdout, &rec)) {
                print_json(record_json(&rec));
            }
        }
        else if (cli->format == OUT_CSV) { csv_header(stdout, &rec); csv_row(stdout, &rec); }
        else {
            report_table(stdout, &rs, &r);
            /* a model path's controls and bytes that are not UTF-8, escaped for the terminal */
            static char el[4 * sizeof line + 1], en[4 * sizeof note + 1];
            if (cli->launch && line[0])
                printf("\nLaunch:\n  %s\n", text_escape(el, sizeof el, line, true));
            if (cli->launch && note[0])
                printf("%s%s\n", line[0] ? "  # " : "\nLaunch: ", text_escape(en, sizeof en, note, true));
        }
        return 0;
    }
    return sweep_mode(cat, cli, base);
}

/* The dashboard's start, while a detection tool is slow: what it waits for. */
static void waiting_for(const char *tool, int timeout_ms)
{
    fprintf(stderr, "rooftop: waiting for %s to describe the devices (at most %d s; --no-detect skips it)\n", tool,
            (timeout_ms + 999) / 1000);
}

int main(int argc, char **argv)
{
    struct cli cli;
    int rc = cli_parse(argc, argv, &cli, stderr);
    if (rc)
        return rc;
    switch (cli.mode) {
    case MODE_HELP: cli_help(stdout); return 0;
    case MODE_VERSION:
        printf("rooftop %s\nCopyright (C) 2026 the rooftop authors.\n"
               "License MIT: this is free software; you are free to change and redistribute it.\n"
               "There is NO WARRANTY, to the extent permitted by law.\n", PACKAGE_VERSION);
        return 0;
    case MODE_MAN: cli_man_options(stdout); return 0;
    case MODE_MAN_FIGURES: figures_man(stdout); return 0;
    default: break;
    }

    struct catalog cat;
    catalog_init(&cat);
    char err[CAT_ERR_MAX];
    const char *datadir = getenv("ROOFTOP_DATADIR");
    if (catalog_load_all(&cat, datadir ? datadir : PKGDATADIR, warn_stderr, NULL, err, sizeof err) != RT_OK) {
        fprintf(stderr, "rooftop: built-in catalog: %s\n", err);
        return 1;
    }
    if (cli.mode == MODE_DETECT) {
        struct md_list l;
        md_detect(&l, &cat);
        mp_print_detect(stdout, &l, (enum mp_format)cli.format);
        if (l.n == 0 && cli.format != OUT_TABLE)
            fprintf(stderr, "rooftop: %s\n", l.note);
        catalog_free(&cat);
        return 0;
    }
    if (cli.mode == MODE_LIST && cli.local) {
        struct lm_list l;
        lm_init(&l);
        lm_discover(NULL, &l);
        mp_print_local(stdout, &l, (enum mp_format)cli.format);
        if (l.models_cut)
            fprintf(stderr, "rooftop: --local: stopped at %d models; the list is not complete\n", LM_MODELS_MAX);
        if (l.entries_cut)
            fprintf(stderr, "rooftop: --local: stopped after looking at %d folder entries; the list may not be "
                            "complete\n", LM_ENTRIES_MAX);
        lm_free(&l);
        catalog_free(&cat);
        return 0;
    }
    if (cli.mode == MODE_LIST) {
        rc = list(&cat, cli.list, cli.format);
        catalog_free(&cat);
        return rc;
    }
    if (cli.mode == MODE_ACCURACY) {
        rc = accuracy_run(&cat, cli.accuracy, stdout, err, sizeof err);
        if (rc)
            fprintf(stderr, "rooftop: %s\n", err);
        catalog_free(&cat);
        return rc;
    }
    if (cli.mode == MODE_CALIBRATE) {
        /* what the file does not say, the scenario options name */
        struct calib_opts co = { 0 };
        co.gpu = cli_given(&cli, "gpu") ? cli.spec.gpu : NULL;
        co.model = cli_given(&cli, "model") ? cli.spec.model : NULL;
        co.engine = cli_given(&cli, "engine") ? cli.spec.engine : NULL;
        co.weights = cli_given(&cli, "weights") ? cli.spec.weights : NULL;
        co.bandwidth_gbps = cli_given(&cli, "bandwidth") ? cli.spec.bandwidth_gbps : 0;
        co.devices = cli_given(&cli, "gpus") ? cli.spec.devices : 0;
        rc = calibrate_run_opts(&cat, cli.calibrate, &co, stdout, NULL, err, sizeof err) == RT_OK ? 0 : 1;
        if (rc)
            fprintf(stderr, "rooftop: %s\n", err);
        catalog_free(&cat);
        return rc;
    }

    struct session ses;
    builtin_session(&ses);
    char session_file[PATH_MAX] = "";
    if (cli.session) {
        if (session_open(cli.session, &ses, session_file, sizeof session_file, err, sizeof err) != RT_OK) {
            fprintf(stderr, "rooftop: --session: %s\n", err);
            catalog_free(&cat);
            return 1;
        }
        snprintf(cli.session_path, sizeof cli.session_path, "%s", session_file);
    }
    /* The dashboard starts on the devices of this machine unless a session or a
     * device was named (or --no-detect). */
    if (cli.mode == MODE_TUI && !cli.no_detect && !cli.session && !cli_given(&cli, "gpu") &&
        !cli_given(&cli, "bandwidth") && !cli.save_session) {
        struct md_list l;
        char note[256];
        md_on_wait(waiting_for);
        md_detect(&l, &cat);
        md_on_wait(NULL);
        if (md_apply(&l, &cat, &ses.spec, note, sizeof note) || strstr(note, "not in the catalog"))
            tui_start_message(note); /* what was found and how; nothing when no accelerator was */
    }
    cli_apply(&cli, &ses.spec);
    if ((rc = cli_check_rate(&cli, &ses.spec, stderr)) != 0) {
        catalog_free(&cat);
        return rc;
    }
    if (cli.theme)
        snprintf(ses.theme, sizeof ses.theme, "%s", cli.theme);

    if (cli.save_session) {
        static struct rt_resolved rs;
        char path[PATH_MAX];
        if (spec_resolve(&cat, &ses.spec, &rs, err, sizeof err) != RT_OK) {
            cli_error(&cli, err, stderr);
            catalog_free(&cat);
            return 1;
        }
        session_path(cli.save_session, path, sizeof path);
        if (session_save(path, &ses, err, sizeof err) != RT_OK) {
            fprintf(stderr, "rooftop: --save-session: %s\n", err);
            catalog_free(&cat);
            return 1;
        }
        if (cli.mode == MODE_TUI) {
            catalog_free(&cat);
            return 0;
        }
    }
    if (cli.mode == MODE_PRINT && cli.compare) {
        struct session a;
        session_default(&a);
        if (session_open(cli.compare, &a, session_file, sizeof session_file, err, sizeof err) != RT_OK) {
            fprintf(stderr, "rooftop: --compare: %s\n", err);
            catalog_free(&cat);
            return 1;
        }
        /* B: the same session (or -s FILE) with the command line's changes */
        struct rt_spec b = cli.session ? ses.spec : a.spec;
        cli_apply(&cli, &b);
        rc = compare_mode(&cat, &cli, &a.spec, &b);
    } else if (cli.mode == MODE_PRINT)
        rc = print_mode(&cat, &cli, &ses.spec);
    else
        rc = tui_run(&cat, &ses, session_file[0] ? session_file : NULL, cli.no_color);
    catalog_free(&cat);
    return rc;
}
