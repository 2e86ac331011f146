/* test_tables.c - the inputs table and the figures table hold for every row:
 * each input round-trips option -> session -> option, each figure reaches JSON,
 * CSV and the table, --explain reports the JSON value, --compare's deltas are
 * B - A. */
#include <stdlib.h>
#include <unistd.h>
#include "helpers.h"
#include "catalog/builtin.h"
#include "cli.h"
#include "scenario/inputs.h"
#include "scenario/session.h"
#include "output/explain.h"
#include "output/fields.h"
#include "output/figures.h"
#include "output/columns.h"
#include "output/record.h"
#include "output/reccols.h"
#include "output/report.h"

/* A value other than the default, within the row's limits (ids: real catalog ids). */
static void other_value(const struct input *in, char *buf, size_t n)
{
    switch (in->choice) {
    case CH_MODEL: snprintf(buf, n, "qwen2.5-7b"); return;
    case CH_DEVICE: snprintf(buf, n, "a100-sxm-80g"); return;
    case CH_FORMAT: snprintf(buf, n, "q4_k_m"); return;
    case CH_KV_FORMAT: snprintf(buf, n, "fp8"); return;
    case CH_ENGINE: snprintf(buf, n, "llama.cpp"); return;
    default: break;
    }
    switch (in->type) {
    case IN_FLAG: snprintf(buf, n, "%s", in->def ? "false" : "true"); return;
    case IN_REAL: snprintf(buf, n, "%.17g", in->min + (in->max - in->min) * 0.37); return;
    default: snprintf(buf, n, "%lld", (long long)(in->def + 1 <= in->max ? in->def + 1 : in->min)); return;
    }
}

Test(inputs, every_row_round_trips_option_session_option)
{
    char path[512];
    snprintf(path, sizeof path, "%s/rooftop-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    for (size_t i = 0; i < n_inputs; i++) {
        const struct input *in = &inputs[i];
        char want[128], opt[96], err[512];
        other_value(in, want, sizeof want);
        snprintf(opt, sizeof opt, "--%s", in->name);
        char prog[] = "rooftop";
        char *argv[] = { prog, opt, want, NULL };
        int argc = in->type == IN_FLAG ? 2 : 3;
        struct cli c;
        FILE *null = fopen("/dev/null", "w");
        cr_assert_eq(cli_parse(argc, argv, &c, null), 0, "--%s %s is accepted", in->name, want);
        fclose(null);
        struct session s;
        session_default(&s);
        cli_apply(&c, &s.spec);
        char got[128];
        input_format(in, &s.spec, got, sizeof got);
        char parsed[128];
        struct rt_spec tmp;
        inputs_default(&tmp);
        char why[64];
        cr_assert(input_parse(in, &tmp, want, why, sizeof why));
        input_format(in, &tmp, parsed, sizeof parsed);
        cr_assert_str_eq(got, parsed, "--%s: the option sets the value", in->name);
        char def[128];
        input_format(in, &tmp, def, sizeof def); /* tmp now holds the parsed value; compare with a fresh default */
        struct rt_spec d0;
        inputs_default(&d0);
        input_format(in, &d0, def, sizeof def);
        cr_assert_str_neq(got, def, "--%s: the test value differs from the default", in->name);
        cr_assert_eq(session_save(path, &s, err, sizeof err), RT_OK, "%s", err);
        struct session back;
        cr_assert_eq(session_load(path, &back, err, sizeof err), RT_OK, "%s: %s", in->name, err);
        char again[128];
        input_format(in, &back.spec, again, sizeof again);
        cr_assert_str_eq(again, got, "--%s survives a session: %s vs %s", in->name, again, got);
    }
    unlink(path);
}

Test(inputs, defaults_come_from_the_table)
{
    struct rt_spec sp;
    spec_default(&sp);
    cr_assert_str_eq(sp.model, "llama-3.1-8b");
    cr_assert_eq(sp.prompt, 1024);
    cr_assert_eq(sp.output, 256);
    cr_assert_eq(sp.gpu_layers, -1, "all layers on the device by default");
    cr_assert_eq(sp.spec_tokens, 4);
}

Test(inputs, every_row_is_in_help_and_man)
{
    char *help = NULL, *man = NULL;
    size_t hn = 0, mn = 0;
    FILE *h = open_memstream(&help, &hn), *m = open_memstream(&man, &mn);
    cli_help(h);
    cli_man_options(m);
    fclose(h);
    fclose(m);
    for (size_t i = 0; i < n_inputs; i++) {
        char want[96];
        snprintf(want, sizeof want, "--%s", inputs[i].name);
        cr_assert(strstr(help, want), "--help lists %s", want);
        char roff[128] = "", *o = roff;
        for (const char *p = want; *p; p++) {
            if (*p == '-')
                *o++ = '\\';
            *o++ = *p;
        }
        *o = 0;
        cr_assert(strstr(man, roff), "the man page lists %s", want);
    }
    /* and --help fits 80 columns */
    for (char *line = strtok(help, "\n"); line; line = strtok(NULL, "\n"))
        cr_assert_leq(strlen(line), 80, "help line over 80 columns: %s", line);
    free(help);
    free(man);
}

Test(inputs, sweeps_reject_unknown_and_limits_hold)
{
    const struct input *b = input_by_name("batch");
    struct rt_spec sp;
    inputs_default(&sp);
    char why[128];
    cr_assert_not(input_parse(b, &sp, "0", why, sizeof why), "batch 0 is out of range");
    cr_assert_not(input_parse(input_by_name("gpus"), &sp, "65537", why, sizeof why), "one device cap everywhere");
    cr_assert(input_parse(input_by_name("prompt"), &sp, "8k", why, sizeof why));
    cr_assert_eq(sp.prompt, 8192);
}

/* --- figures --- */

static struct fig_ctx scenario_ctx(struct rt_resolved *rs, struct rt_result *r)
{
    *r = estimate(&rs->s);
    return (struct fig_ctx){ rs, r };
}

static const struct rec_field *find(const struct record *rec, const char *key)
{
    for (int i = 0; i < rec->n; i++)
        if (strcmp(rec->f[i].key, key) == 0)
            return &rec->f[i];
    return NULL;
}

Test(figures, every_figure_reaches_json_csv_and_the_table)
{
    static struct rt_resolved rs;
    rs = *scen("llama-3.1-70b", "h100-sxm", "fp8", 2, 16, 2048, 256, "vllm");
    /* serving, cost and the API comparison on, so that every figure is present */
    rs.s.rate = 2;
    rs.s.requests = 300;
    rs.s.ttft_max = 1;
    rs.s.itl_max = 0.1;
    rs.s.api_in_usd_mtok = 10;
    rs.s.api_out_usd_mtok = 30;
    rs.s.lifetime_years = 3;
    rs.s.disagg_p = rs.s.disagg_d = 2; /* the disaggregated figures too */
    struct rt_result r;
    struct fig_ctx c = scenario_ctx(&rs, &r);
    static struct record rec;
    struct sink s;
    record_sink(&s, &rec);
    fields_result(&s, &rs, &r);
    char *csv = NULL, *table = NULL;
    size_t cn = 0, tn = 0;
    FILE *cf = open_memstream(&csv, &cn), *tf = open_memstream(&table, &tn);
    csv_header(cf, &rec);
    report_table(tf, &rs, &r);
    fclose(cf);
    fclose(tf);
    json_t *j = record_json(&rec);
    for (size_t i = 0; i < n_figures; i++) {
        const struct figure *f = &figures[i];
        cr_assert(find(&rec, f->key), "%s is in the record", f->key);
        cr_assert(strstr(csv, f->key), "%s is a CSV column", f->key);
        /* JSON nests dotted keys */
        char path[96];
        snprintf(path, sizeof path, "%s", f->key);
        json_t *node = j;
        for (char *part = strtok(path, "."); part && node; part = strtok(NULL, "."))
            node = json_object_get(node, part);
        cr_assert(node, "%s is in the JSON", f->key);
        if (figure_has_band(f)) {
            char k[96];
            snprintf(k, sizeof k, "%s_low", f->key);
            cr_assert(find(&rec, k), "%s has its band", f->key);
        }
        if (f->label && (!f->shown || f->shown(&c)))
            cr_assert(strstr(table, f->label), "the table shows '%s'", f->label);
    }
    json_decref(j);
    free(csv);
    free(table);
}

Test(figures, explain_reports_the_json_value_and_names_inputs)
{
    static struct rt_resolved rs;
    rs = *scen("mixtral-8x7b", "a100-sxm-80g", "fp16", 2, 8, 1024, 128, "vllm");
    rs.s.rate = 2;
    rs.s.requests = 300;
    rs.s.ttft_max = 1;
    rs.s.itl_max = 0.1;
    rs.s.api_in_usd_mtok = 10;
    rs.s.api_out_usd_mtok = 30;
    rs.s.lifetime_years = 3;
    rs.s.disagg_p = rs.s.disagg_d = 2; /* the disaggregated figures too */
    struct rt_result r;
    struct fig_ctx c = scenario_ctx(&rs, &r);
    static struct record rec;
    struct sink s;
    record_sink(&s, &rec);
    fields_result(&s, &rs, &r);
    for (size_t i = 0; i < n_figures; i++) {
        const struct figure *f = &figures[i];
        json_t *e = explain_json(f->key, &c);
        cr_assert(e, "--explain %s", f->key);
        const struct rec_field *rf = find(&rec, f->key);
        json_t *v = json_object_get(e, "value");
        if (rf->type == 'n')
            cr_assert_eq(json_number_value(v), rf->num, "%s: explain equals JSON", f->key);
        else if (rf->type == 'i')
            cr_assert_eq(json_integer_value(v), rf->i, "%s", f->key);
        cr_assert(json_is_string(json_object_get(e, "formula")));
        /* every input named in the table resolves to a value with a source */
        json_t *ins = json_object_get(e, "inputs");
        size_t k;
        json_t *q;
        json_array_foreach(ins, k, q) cr_assert(strlen(json_string_value(json_object_get(q, "source"))) > 0);
        json_decref(e);
    }
    cr_assert_null(explain_json("no.such.key", &c));
    /* the cited inputs of the decode time are the device's peaks and the engine's efficiencies */
    json_t *e = explain_json("decode.time_per_token_s", &c);
    json_t *ins = json_object_get(e, "inputs");
    bool bw = false, mbu = false;
    size_t k;
    json_t *q;
    json_array_foreach(ins, k, q) {
        const char *name = json_string_value(json_object_get(q, "name"));
        if (strcmp(name, "peak_bandwidth") == 0)
            bw = json_number_value(json_object_get(q, "value")) == rs.s.device->bandwidth;
        if (strcmp(name, "engine.mbu") == 0)
            mbu = json_number_value(json_object_get(q, "value")) == rs.s.engine->mbu;
    }
    cr_assert(bw && mbu, "bandwidth and MBU cited with their values");
    json_decref(e);
}

/* --explain against values worked out by hand, not against the JSON writer (which
 * reads the same row): a value explain got wrong would pass "explain equals JSON". */
static double explain_value(const char *key, const struct fig_ctx *c)
{
    json_t *e = explain_json(key, c);
    cr_assert(e, "--explain %s", key);
    double v = json_number_value(json_object_get(e, "value"));
    json_decref(e);
    return v;
}

Test(figures, explain_equals_a_hand_worked_value)
{
    static struct rt_resolved rs;
    rs = *scen("llama-3.1-8b", "h100-sxm", "fp16", 1, 1, 1024, 256, "ideal");
    struct rt_result r;
    struct fig_ctx c = scenario_ctx(&rs, &r);
    /* Llama 3.1 8B (config.json: 32 layers, 8 KV heads, head_dim 4096/32 = 128), fp16 cache:
     * 2 (K and V) x 32 x 8 x 128 x 2 bytes = 131,072 bytes per token */
    cr_assert_eq(explain_value("kv_bytes_per_token", &c), 131072.0);
    /* H100 SXM (NVIDIA datasheet): 989 TFLOP/s dense fp16 over 3.35 TB/s = 295.22 FLOP/byte */
    assert_rel(explain_value("ridge_point", &c), 989e12 / 3350e9, 1e-9, "ridge point");
    cr_assert_float_eq(989e12 / 3350e9, 295.2239, 1e-4); /* the division, by hand */
}

Test(figures, compare_deltas_are_b_minus_a)
{
    static struct rt_resolved ra, rb;
    ra = *scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 1024, 256, "vllm");
    rb = *scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 8, 1024, 256, "vllm");
    struct rt_result a, b;
    struct fig_ctx ca = scenario_ctx(&ra, &a), cb = scenario_ctx(&rb, &b);
    json_t *j = compare_json(&ca, &cb);
    json_t *d = json_object_get(j, "delta");
    cr_assert_eq(json_integer_value(json_object_get(d, "batch")), 7);
    double want = b.tok_s_total - a.tok_s_total;
    cr_assert_eq(json_number_value(json_object_get(json_object_get(d, "decode"), "tokens_per_s_total")), want);
    cr_assert_eq(json_number_value(json_object_get(json_object_get(d, "memory"), "kv_cache_bytes")),
                 b.kv_cache_bytes - a.kv_cache_bytes);
    /* KV cache grows 8x with the batch: 7 x one sequence's 1280 tokens x 131,072 bytes */
    cr_assert_eq(b.kv_cache_bytes - a.kv_cache_bytes, 7.0 * 1280 * 131072);
    json_decref(j);
    char *t = NULL;
    size_t tn = 0;
    FILE *f = open_memstream(&t, &tn);
    compare_table(f, &ca, &cb);
    fclose(f);
    cr_assert(strstr(t, "+700.0%"), "the KV cache's change in percent: %s", t);
    free(t);
}

Test(inputs, the_shipped_default_session_is_the_table_defaults)
{
    struct session def, file;
    session_default(&def);
    char err[512], path[PATH_MAX];
    cr_assert_eq(session_open("default", &file, path, sizeof path, err, sizeof err), RT_OK, "%s", err);
    for (size_t i = 0; i < n_inputs; i++) {
        char a[128], b[128];
        input_format(&inputs[i], &def.spec, a, sizeof a);
        input_format(&inputs[i], &file.spec, b, sizeof b);
        cr_assert_str_eq(a, b, "default.cfg's %s", inputs[i].session_key);
    }
    cr_assert_str_eq(def.field, file.field);
    cr_assert_str_eq(def.theme, file.theme);
}

Test(figures, the_fast_json_writer_equals_jansson)
{
    static struct rt_resolved rs;
    rs = *scen("deepseek-v3", "h200", "fp8", 8, 4, 4096, 512, "vllm");
    struct rt_result r = estimate(&rs.s);
    static struct record rec;
    struct sink s;
    record_sink(&s, &rec);
    fields_result(&s, &rs, &r);
    char *mine = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&mine, &n);
    cr_assert(record_write_json(f, &rec), "the figures' nested keys are contiguous");
    fclose(f);
    json_t *tree = record_json(&rec);
    char *ref = json_dumps(tree, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_error_t e;
    json_t *a = json_loads(mine, 0, &e), *b = json_loads(ref, 0, &e);
    cr_assert(a && b && json_equal(a, b), "same object");
    json_decref(a);
    json_decref(b);
    json_decref(tree);
    free(ref);
    free(mine);
}

/* The JSON writer by hand: nesting, closing, escapes, integers and reals. */
Test(figures, the_json_writer_nests_and_escapes_as_worked_by_hand)
{
    static struct record rec;
    struct sink s;
    record_sink(&s, &rec);
    s.str(&s, "name", "q\"b\\\n\x01");
    s.integer(&s, "m.n.k", -42);
    s.num(&s, "m.r", 0.5);
    s.num(&s, "z", 3.0);     /* integral: written as an integer */
    s.num(&s, "w", 1e300);   /* %.15g: 1e+300, an exponent: no ".0" */
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    cr_assert(record_write_json(f, &rec));
    fclose(f);
    cr_assert_str_eq(out, "{\n  \"name\": \"q\\\"b\\\\\\n\\u0001\",\n  \"m\": {\n    \"n\": {\n      \"k\": -42\n    },\n"
                          "    \"r\": 0.5\n  },\n  \"z\": 3,\n  \"w\": 1e+300\n}\n");
    free(out);
}

/* A list table's row from a record's keys, worked by hand: widths, a unit
 * after a divided number, "-" for a figure not published, yes/no, an integer. */
Test(figures, a_list_row_formats_the_record_by_its_columns)
{
    static struct record rec;
    struct sink s;
    record_sink(&s, &rec);
    s.str(&s, "id", "x");
    s.num(&s, "bandwidth", 3.35e12);
    s.num(&s, "ppl_delta", NAN);
    s.boolean(&s, "kv", true);
    s.integer(&s, "context", 42);
    static const struct rec_column c[] = {
        { "ID", "id", -4, RC_TEXT, 0, 0, NULL, 0, 0, RC_NO_DASH, 0 },
        { "BW", "bandwidth", 10, RC_NUM, 'f', 0, " GB/s", 0, 1e9, RC_NO_DASH, 0 },
        { "PPL", "ppl_delta", 6, RC_NUM, 'F', 4, NULL, 0, 0, RC_DASH_NOT_FINITE, 0 },
        { "KV", "kv", -3, RC_YESNO, 0, 0, NULL, 0, 0, RC_NO_DASH, 0 },
        { "CTX", "context", 4, RC_INT, 0, 0, NULL, 0, 0, RC_NO_DASH, 1 },
    };
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    rec_columns_row(f, c, 5, &rec);
    fclose(f);
    /* "x" in 4; 3.35e12 / 1e9 = 3350 -> "3350 GB/s" in 10; NaN -> "-" in 6; "yes" in 3;
     * one extra space, then "42" in 4; one space between columns */
    cr_assert_str_eq(out, "x   " " " " 3350 GB/s" " " "     -" " " "yes" " " " " "  42" "\n");
    free(out);
}

/* An object that would open again after it closed ("a" twice): refused, nothing written. */
Test(figures, the_json_writer_refuses_keys_that_are_not_contiguous)
{
    static struct record rec;
    struct sink s;
    record_sink(&s, &rec);
    s.integer(&s, "a.x", 1);
    s.boolean(&s, "b", true);
    s.integer(&s, "a.y", 2);
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    cr_assert(!record_write_json(f, &rec));
    fclose(f);
    cr_assert_eq(n, 0);
    free(out);
}

/* The compiled tables (src/catalog/tables.c, written by catgen) against values
 * written here by hand from the presets and the papers, not from a parse: a
 * parser bug shared by catgen and catalog_parse_builtin cannot pass this. */
Test(catalog, the_compiled_tables_hold_hand_counted_entries)
{
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK, "%s", err);
    struct rt_params p;
    /* Llama 3.1 8B: embedding and untied head 128256 x 4096 = 525,336,576 each; per
     * layer q and o 4096^2 = 16,777,216 each, k and v 4096 x 1024 = 4,194,304 each,
     * MLP 3 x 4096 x 14336 = 176,160,768, two RMSNorms 8,192: 218,112,000 x 32 =
     * 6,979,584,000; final norm 4,096: 8,030,261,248 */
    const struct rt_model *m = catalog_model(&c, "llama-3.1-8b");
    cr_assert_not_null(m);
    cr_assert(m->hidden == 4096 && m->layers == 32 && m->heads == 32 && m->kv_heads == 8 && m->vocab == 128256);
    rt_count_params(m, &p);
    cr_assert_eq(p.total, 8030261248.0);
    /* Mixtral 8x7B: per layer attention 41,943,040, 8 experts x 3 x 4096 x 14336 =
     * 1,409,286,144, router 8 x 4096 = 32,768, norms 8,192: 1,451,270,144 x 32 =
     * 46,440,644,608; embedding and head 2 x 32000 x 4096 = 262,144,000; final norm
     * 4,096: 46,702,792,704 (Mistral: 46.7 B).  Active, 2 experts: 394,305,536 x 32
     * + 262,148,096 = 12,879,925,248 (12.9 B) */
    m = catalog_model(&c, "mixtral-8x7b");
    cr_assert_not_null(m);
    rt_count_params(m, &p);
    cr_assert_eq(p.total, 46702792704.0);
    cr_assert_eq(p.active, 12879925248.0);
    /* H100 SXM (presets/devices.cfg, the datasheet's dense figures): 80 GB, 3,350 GB/s,
     * 989 TFLOP/s at bf16, NVLink 450 GB/s */
    const struct rt_device *d = catalog_device(&c, "h100-sxm");
    cr_assert_not_null(d);
    cr_assert_eq(d->memory_bytes, 80e9);
    cr_assert_eq(d->bandwidth, 3350e9);
    cr_assert_eq(d->peak[RT_BF16], 989e12);
    cr_assert_eq(d->link_bw, 450e9);
    cr_assert(d->nvlink);
    /* formats: bf16 16 bits, a KV format; q4_k_m 4.8944 bits, not one */
    const struct rt_format *f = catalog_format(&c, "bf16");
    cr_assert(f && f->bits == 16.0 && f->kv_ok);
    f = catalog_format(&c, "q4_k_m");
    cr_assert(f && f->bits == 4.8944 && !f->kv_ok);
    catalog_free(&c);
}

Test(catalog, the_compiled_tables_equal_a_fresh_parse)
{
    struct catalog built, parsed;
    char err[512];
    catalog_init(&built);
    catalog_init(&parsed);
    cr_assert_eq(catalog_load_builtin(&built, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(catalog_parse_builtin(&parsed, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(built.n_models, parsed.n_models);
    cr_assert_eq(built.n_devices, parsed.n_devices);
    cr_assert_eq(built.n_formats, parsed.n_formats);
    cr_assert_eq(built.n_engines, parsed.n_engines);
    for (size_t i = 0; i < built.n_models; i++)
        cr_assert_eq(memcmp(&built.models[i], &parsed.models[i], sizeof built.models[i]), 0, "%s", built.models[i].id);
    for (size_t i = 0; i < built.n_devices; i++)
        cr_assert_eq(memcmp(&built.devices[i], &parsed.devices[i], sizeof built.devices[i]), 0, "%s",
                     built.devices[i].id);
    for (size_t i = 0; i < built.n_formats; i++)
        cr_assert_eq(memcmp(&built.formats[i], &parsed.formats[i], sizeof built.formats[i]), 0);
    for (size_t i = 0; i < built.n_engines; i++)
        cr_assert_eq(memcmp(&built.engines[i], &parsed.engines[i], sizeof built.engines[i]), 0);
    cr_assert_eq(built.n_apis, parsed.n_apis);
    for (size_t i = 0; i < built.n_apis; i++)
        cr_assert_eq(memcmp(&built.apis[i], &parsed.apis[i], sizeof built.apis[i]), 0);
    cr_assert_eq(memcmp(built.revision, parsed.revision, sizeof built.revision), 0);
    catalog_free(&built);
    catalog_free(&parsed);
}

Test(figures, serving_and_cost_objects_only_when_asked)
{
    /* no rate: no serving object; no price (A10 has none per hour): no cost object */
    static struct rt_resolved rs;
    rs = *scen("llama-3.1-8b", "a10", "bf16", 1, 1, 512, 128, "vllm");
    struct rt_result r;
    struct fig_ctx c = scenario_ctx(&rs, &r);
    static struct record rec;
    struct sink s;
    record_sink(&s, &rec);
    fields_result(&s, &rs, &r);
    cr_assert_null(find(&rec, "serving.rate_rps"));
    cr_assert_null(find(&rec, "cost.per_hour_usd"));
    (void)c;
    /* with a rate and a price per hour: both, but no API figures without --api */
    rs.s.rate = 1;
    rs.s.requests = 200;
    static struct rt_device d;
    d = *rs.s.device;
    d.price_hour = 1.0;
    rs.s.device = &d;
    c = scenario_ctx(&rs, &r);
    record_sink(&s, &rec);
    fields_result(&s, &rs, &r);
    cr_assert_not_null(find(&rec, "serving.capacity_rps"));
    cr_assert_not_null(find(&rec, "cost.per_month_usd"));
    cr_assert_null(find(&rec, "cost.breakeven_rps"));
    cr_assert_null(find(&rec, "serving.capacity_sla_rps"), "no targets, no capacity within them");
}

/* The cost object's contract keys (interface.md: per_mtok_output_usd, per_mtok_input_usd,
 * per_request_usd) are the figures the table marks served_only, and only they: a setup that does
 * not fit keeps them with no value, while its hourly price keeps its value.  Llama 3.1 70B in bf16
 * is 141 GB of weights, more than one A10's 24 GB. */
Test(figures, a_setup_that_does_not_fit_keeps_the_contract_prices_with_no_value)
{
    const char *contract[] = { "cost.per_mtok_output_usd", "cost.per_mtok_input_usd", "cost.per_request_usd" };
    size_t marked = 0;
    for (size_t i = 0; i < n_figures; i++)
        marked += figures[i].served_only;
    cr_assert_eq(marked, 3, "served_only on %zu figures", marked);
    for (size_t k = 0; k < 3; k++)
        cr_assert(figure_by_key(contract[k]) && figure_by_key(contract[k])->served_only, "%s", contract[k]);
    static struct rt_resolved rs;
    rs = *scen("llama-3.1-70b", "a10", "bf16", 1, 1, 512, 128, "vllm");
    static struct rt_device d;
    d = *rs.s.device;
    d.price_hour = 1.0;
    rs.s.device = &d;
    struct rt_result r;
    struct fig_ctx c = scenario_ctx(&rs, &r);
    cr_assert_not(r.fits);
    static struct record rec;
    struct sink s;
    record_sink(&s, &rec);
    fields_result(&s, &rs, &r);
    for (size_t k = 0; k < 3; k++) {
        cr_assert(figure_present(figure_by_key(contract[k]), &c), "%s", contract[k]);
        cr_assert_not(figure_priced(figure_by_key(contract[k]), &c), "%s", contract[k]);
        const struct rec_field *v = find(&rec, contract[k]);
        cr_assert(v && isnan(v->num), "%s: no value (JSON null)", contract[k]);
    }
    cr_assert(figure_priced(figure_by_key("cost.per_hour_usd"), &c));
    const struct rec_field *h = find(&rec, "cost.per_hour_usd");
    cr_assert(h && h->num == 1.0, "one A10 at $1 per hour"); /* 1 device x $1.00 */
}

/* --- every input reaches the estimate --- */

/* Every figure present, at full precision, and the warnings: what the user could see. */
static void fingerprint(const struct rt_spec *sp, char *buf, size_t n, bool *ok)
{
    static struct rt_resolved rs;
    static struct rt_result r;
    char err[512];
    *ok = spec_resolve(cat(), sp, &rs, err, sizeof err) == RT_OK && rt_estimate(&rs.s, &r, err, sizeof err) == RT_OK;
    buf[0] = 0;
    if (!*ok)
        return;
    struct fig_ctx c = { &rs, &r };
    size_t at = 0;
    for (size_t i = 0; i < n_figures && at + 1 < n; i++) {
        const struct figure *f = &figures[i];
        if (!figure_present(f, &c))
            continue;
        if (f->kind == FK_TEXT)
            at += (size_t)snprintf(buf + at, n - at, "%s=%s;", f->key, figure_text(f, &c));
        else
            at += (size_t)snprintf(buf + at, n - at, "%s=%.17g;", f->key, figure_value(f, &c));
    }
    if (at + 1 < n)
        figures_warnings(&c, buf + at, n - at);
}

/* A scenario where every input is in play: a mixture of experts on two devices,
 * serving with targets, owned hardware with an API to compare, a draft model,
 * a prefix cache and a target rate.  Rows that need another setting say so below. */
static void rich_spec(struct rt_spec *sp)
{
    char why[128];
    spec_default(sp);
    const char *set[][2] = {
        { "model", "mixtral-8x7b" }, { "gpus", "2" }, { "batch", "4" }, { "rate", "2" }, { "requests", "100" },
        { "ttft-max", "0.5" }, { "itl-max", "0.01" }, { "lifetime-years", "3" }, { "kwh-usd", "0.1" },
        { "utilization", "0.5" }, { "load-factor", "0.8" }, { "pue", "1.2" }, { "api", "gpt-4o" },
        { "target", "50" }, { "cached-prefix", "256" }, { "draft", "qwen2.5-0.5b" }, { "cache-hit", "0.2" },
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        cr_assert(input_parse(input_by_name(set[i][0]), sp, set[i][1], why, sizeof why), "%s: %s", set[i][0], why);
}

/* Rows whose effect needs another setting than rich_spec's: the row, then the
 * input and value that bring it into play (the reason is the comment). */
static const char *const context[][3] = {
    { "host", "gpu-layers", "8" },      /* the host is only read for offloaded layers */
    { "utilization", "rate", "0" },     /* with a rate, the load sets the share of time at work */
    { "n-cpu-moe", "engine", "llama.cpp" }, /* llama.cpp's option: refused with other engines */
    { "concurrency", "rate", "inf" },   /* a closed loop replaces an infinite rate's all-at-once */
    { "tensor-split", "gpu", "rtx-4090:1,rtx-3090:1" }, /* split weights are read for a device list */
    { "swa-kv", "model", "gpt-oss-20b" }, /* a model with sliding windows (128 tokens) */
    { "kv-policy", "memory", "55" },    /* a cache that holds three of Mixtral's sequences at their end ... */
    { "kv-policy", "output", "4096" },  /* ... and --batch 4's four on their prompts: reserving and growing differ */
    { "backend", "engine", "llama.cpp" }, /* llama.cpp's kernels: refused with other engines */
    { "ttft-max", "itl-max", "1" },     /* a loose ITL target: at 10 ms the step (vLLM's counted kernels) sets the capacity */
};

/* Values to try for text inputs that pick from no catalog. */
static const char *const texts[][2] = {
    { "prompt-dist", "lognormal:1" }, { "output-dist", "uniform:0.5" }, { "disagg", "1:1" }, { "tensor-split", "3,1" },
    { "swa-kv", "full" }, { "kv-policy", "reserve" }, { "backend", "vulkan" },
};

/* Candidate other values for a row: ids from the catalog, numbers around the value. */
static int candidates(const struct input *in, const struct rt_spec *sp, char out[][64], int max)
{
    const struct catalog *c = cat();
    int n = 0;
    if (in->type == IN_ID) {
        for (size_t i = 0; n < max && i < sizeof texts / sizeof texts[0]; i++)
            if (strcmp(texts[i][0], in->name) == 0)
                snprintf(out[n++], 64, "%s", texts[i][1]);
        for (size_t i = 0; n < max && i < 4; i++) {
            const char *id = (in->choice == CH_MODEL || in->choice == CH_DRAFT) && i < c->n_models ? c->models[i * 7].id
                           : in->choice == CH_DEVICE && i < c->n_devices ? c->devices[i * 5].id
                           : (in->choice == CH_FORMAT || in->choice == CH_KV_FORMAT || in->choice == CH_ATTN_FORMAT) &&
                                     i < c->n_formats ? c->formats[i].id
                           : in->choice == CH_ENGINE && i < c->n_engines ? c->engines[i].id
                           : in->choice == CH_API && i < c->n_apis ? c->apis[i].id : NULL;
            if (id && strcmp(id, input_text(in, sp)) != 0)
                snprintf(out[n++], 64, "%s", id);
        }
        return n;
    }
    double v = input_number(in, sp);
    double try[] = { v + 1, v - 1, v * 1.5, v / 2, 2, 1, 0.5, (in->min + in->max) / 2, in->min, in->max };
    for (size_t i = 0; i < sizeof try / sizeof try[0] && n < max; i++) {
        double t = in->type == IN_REAL ? try[i] : floor(try[i]);
        if (t >= in->min && t <= in->max && t != v)
            snprintf(out[n++], 64, "%.17g", t);
    }
    return n;
}

Test(inputs, every_input_moves_some_figure)
{
    static char base[1 << 16], got[1 << 16];
    for (size_t i = 0; i < n_inputs; i++) {
        const struct input *in = &inputs[i];
        if (!(in->affects & AFF_RECOMPUTE)) {
            cr_assert(in->affects & AFF_SOLVER, "--%s affects nothing", in->name);
            continue; /* read by --solve alone (test_serve covers the solver) */
        }
        struct rt_spec sp;
        char why[128];
        bool ok;
        rich_spec(&sp);
        for (size_t k = 0; k < sizeof context / sizeof context[0]; k++)
            if (strcmp(context[k][0], in->name) == 0)
                cr_assert(input_parse(input_by_name(context[k][1]), &sp, context[k][2], why, sizeof why));
        fingerprint(&sp, base, sizeof base, &ok);
        cr_assert(ok, "--%s: the base scenario resolves", in->name);
        char cand[10][64];
        int nc = candidates(in, &sp, cand, 10);
        bool moved = false;
        for (int k = 0; k < nc && !moved; k++) {
            struct rt_spec p = sp;
            if (!input_parse(in, &p, cand[k], why, sizeof why))
                continue;
            fingerprint(&p, got, sizeof got, &ok);
            moved = ok && strcmp(base, got) != 0;
        }
        cr_assert(moved, "--%s: no value moves any figure (a row that never reaches the scenario?)", in->name);
    }
}

Test(inputs, a_scenario_slot_has_the_spec_slot_type)
{
    for (size_t i = 0; i < n_inputs; i++) {
        const struct input *in = &inputs[i];
        if (!in->s_size)
            continue;
        cr_assert_neq(in->type, IN_ID, "--%s: ids are resolved by hand, not copied", in->name);
        cr_assert_eq(in->s_size, in->size, "--%s: the scenario field has the spec field's size", in->name);
        cr_assert_eq(in->size, in->type == IN_FLAG ? sizeof(bool) : 8, "--%s", in->name);
        cr_assert_not(in->affects & AFF_RESOLVE, "--%s: copied plainly, so no resolve needed", in->name);
    }
}

/* Resolve copies every plain number where its row says: a spec with each number
 * set to a distinct value shows it in the scenario (hand-checked: the row's value). */
Test(inputs, resolve_copies_each_plain_number)
{
    struct rt_spec sp;
    rich_spec(&sp);
    static struct rt_resolved rs;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    for (size_t i = 0; i < n_inputs; i++) {
        const struct input *in = &inputs[i];
        if (!in->s_size)
            continue;
        const char *at = (const char *)&rs.s + in->s_offset;
        double want = input_number(in, &sp), got = in->type == IN_REAL ? *(const double *)at
                                                : in->type == IN_FLAG ? *(const bool *)at
                                                                      : (double)*(const int64_t *)at;
        cr_assert_eq(got, want, "--%s reaches the scenario", in->name);
    }
}

Test(inputs, resolve_checks_the_table_limits)
{
    struct rt_spec sp;
    spec_default(&sp);
    sp.utilization = 1.5; /* the row's limit is 1: set by hand, past the parser */
    static struct rt_resolved rs;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "--utilization"), "the message names the option: %s", err);
}

/* A table's columns name figures: each cell is the figure's own formatting, or its
 * bare number at a precision, or a yes/no figure's words. */
Test(figures, columns_format_through_the_figures_table)
{
    static struct rt_resolved rs;
    rs = *scen("llama-3.1-70b", "h100-sxm", "bf16", 1, 1, 1024, 256, "ideal"); /* 141 GB of weights on 80 GB */
    struct rt_result r;
    struct fig_ctx c = scenario_ctx(&rs, &r);
    const struct column cols[] = {
        { "FITS", "memory.fits", -5, -1, "NO" },
        { "TOK/S", "decode.tokens_per_s_per_sequence", 8, 1, NULL },
        { "WEIGHTS", "memory.weights_bytes", 10, -1, NULL },
        { "X", "no.such.figure", 3, -1, NULL },
    };
    const struct figure *figs[4];
    columns_bind(cols, 4, figs);
    char buf[64], want[64];
    column_cell(&cols[0], figs[0], &c, buf, sizeof buf);
    cr_assert_str_eq(buf, "NO", "70B in bf16 does not fit one 80 GB device");
    column_cell(&cols[1], figs[1], &c, buf, sizeof buf);
    snprintf(want, sizeof want, "%.1f", r.tok_s_seq);
    cr_assert_str_eq(buf, want);
    column_cell(&cols[2], figs[2], &c, buf, sizeof buf);
    cr_assert(strstr(buf, "GB"), "bytes as the figure formats them: %s", buf);
    cr_assert_null(figs[3]);
    column_cell(&cols[3], figs[3], &c, buf, sizeof buf);
    cr_assert_str_eq(buf, "?");
}

/* Issue 23: a difference smaller than the percentage's last digit reads "<0.1%",
 * never "-0.0%"; the sign comes from the difference */
Test(figures, compare_delta_never_negative_zero)
{
    const struct figure *f = figure_by_key("decode.tokens_per_s_total");
    cr_assert_not_null(f);
    char b[96];
    compare_delta(f, 100.0, 99.99, b, sizeof b); /* -0.01%: below 0.05 */
    cr_assert(!strstr(b, "-0.0%"), "%s", b);
    cr_assert(strstr(b, "(<0.1%)") && b[0] == '-', "%s", b);
    compare_delta(f, 100.0, 90.0, b, sizeof b); /* -10% */
    cr_assert(strstr(b, "(-10.0%)"), "%s", b);
    compare_delta(f, 100.0, 100.0, b, sizeof b);
    cr_assert_str_eq(b, "=");
}
