/* test_io.c - number parsing, human units, JSON nesting and CSV quoting. */
#include <stdlib.h>
#include "helpers.h"
#include "output/fields.h"
#include "output/record.h"
#include "base/units.h"
#include "accuracy/accuracy.h"
#include <unistd.h>

Test(units, token_counts)
{
    int64_t v;
    cr_assert(parse_tokens("8k", &v) && v == 8192);
    cr_assert(parse_tokens("8K", &v) && v == 8192);
    cr_assert(parse_tokens("1m", &v) && v == 1048576);
    cr_assert(parse_tokens("1e6", &v) && v == 1000000);
    cr_assert(parse_tokens("0", &v) && v == 0);
    cr_assert(parse_tokens("1.5k", &v) && v == 1536);
    cr_assert(!parse_tokens("12abc", &v), "trailing junk");
    cr_assert(!parse_tokens("-5", &v), "negative");
    cr_assert(!parse_tokens("1.3", &v), "fraction of a token");
    cr_assert(!parse_tokens("", &v));
    cr_assert(!parse_tokens("k", &v));
    cr_assert(!parse_int("4.0", &v));
    cr_assert(parse_int("-3", &v) && v == -3);
    double d;
    cr_assert(!parse_real("nan", &d) && !parse_real("1e999", &d) && !parse_real("2x", &d));
}

Test(units, human_formats)
{
    char b[32];
    fmt_bytes(b, sizeof b, 16.06e9);
    cr_assert_str_eq(b, "16.1 GB");
    fmt_bytes(b, sizeof b, 168e6);
    cr_assert_str_eq(b, "168 MB");
    fmt_time(b, sizeof b, 0.00647);
    cr_assert_str_eq(b, "6.47 ms");
    fmt_time(b, sizeof b, 1.68);
    cr_assert_str_eq(b, "1.68 s");
    fmt_time(b, sizeof b, 25e-6);
    cr_assert_str_eq(b, "25 us");
    fmt_count(b, sizeof b, 418357);
    cr_assert_str_eq(b, "418,357");
    fmt_si(b, sizeof b, 989e12);
    cr_assert_str_eq(b, "989 T");
    fmt_params(b, sizeof b, 6.7384e9);
    cr_assert_str_eq(b, "6.74 B");
    fmt_params(b, sizeof b, 671.03e9);
    cr_assert_str_eq(b, "671 B");
    /* the unit follows the value as printed (issue 23: "1000 M" for 1.00 B) */
    fmt_params(b, sizeof b, 999.7e6);
    cr_assert_str_eq(b, "1.00 B");
    fmt_params(b, sizeof b, 99.97e9);
    cr_assert_str_eq(b, "100 B");
    fmt_bytes(b, sizeof b, 999.7e6);
    cr_assert_str_eq(b, "1.0 GB");
    fmt_si(b, sizeof b, 999.6e3);
    cr_assert_str_eq(b, "1.00 M");
    fmt_time(b, sizeof b, 0.9997);
    cr_assert_str_eq(b, "1.00 s");
    fmt_time(b, sizeof b, 0.0999);
    cr_assert_str_eq(b, "99.9 ms");
}

static struct record rec;

Test(record, json_nests_dotted_keys_and_keeps_integers_exact)
{
    struct sink s;
    record_sink(&s, &rec);
    s.str(&s, "model", "m");
    s.num(&s, "memory.weights_bytes", 16060522496.0);
    s.boolean(&s, "memory.fits", true);
    s.num(&s, "decode.time_s", 0.25);
    json_t *j = record_json(&rec);
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    cr_assert_str_eq(text, "{\"model\":\"m\",\"memory\":{\"weights_bytes\":16060522496,\"fits\":true},"
                           "\"decode\":{\"time_s\":0.25}}");
    free(text);
    json_decref(j);
}

Test(record, csv_quotes_per_rfc4180)
{
    struct sink s;
    record_sink(&s, &rec);
    s.str(&s, "a", "plain");
    s.str(&s, "b", "has,comma");
    s.str(&s, "c", "say \"hi\"");
    s.integer(&s, "d", 42);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    csv_header(f, &rec);
    csv_row(f, &rec);
    fclose(f);
    cr_assert_str_eq(out, "a,b,c,d\r\nplain,\"has,comma\",\"say \"\"hi\"\"\",42\r\n");
    free(out);
}

/* rows under the first row's header: a key the row lacks is an empty cell, a key the
 * header lacks is left out (a solver's disaggregated setup has three more figures) */
Test(record, csv_rows_keep_the_header_columns)
{
    static struct csv_keys head;
    struct sink s;
    record_sink(&s, &rec);
    s.str(&s, "a", "x");
    s.integer(&s, "b", 1);
    s.integer(&s, "c", 2);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    csv_header(f, &rec);
    cr_assert(csv_keys_keep(&head, &rec));
    csv_row_under(f, &rec, &head);
    record_sink(&s, &rec); /* the next row: b missing, d more */
    s.str(&s, "a", "y");
    s.integer(&s, "d", 4);
    s.integer(&s, "c", 3);
    csv_row_under(f, &rec, &head);
    fclose(f);
    cr_assert_str_eq(out, "a,b,c\r\nx,1,2\r\ny,,3\r\n");
    free(out);
}

Test(record, result_has_every_contract_key)
{
    static const char *const keys[] = { "model", "gpu", "devices", "weights", "kv", "batch", "prompt", "output",
        "engine", "params_total", "params_active", "kv_bytes_per_token", "memory.weights_bytes",
        "memory.kv_cache_bytes", "memory.activation_bytes", "memory.overhead_bytes", "memory.total_bytes",
        "memory.per_device_bytes", "memory.capacity_per_device_bytes", "memory.fits", "max_batch", "max_context",
        "prefill.flops", "prefill.bytes", "prefill.arithmetic_intensity", "prefill.bound", "prefill.time_s",
        "decode.flops_per_step", "decode.bytes_per_step", "decode.arithmetic_intensity", "decode.bound",
        "decode.time_per_token_s", "decode.tokens_per_s_per_sequence", "decode.tokens_per_s_total", "ridge_point",
        "ttft_s", "e2e_latency_s" };
    struct rt_resolved *rs = scen("llama-3.1-8b", "h100-sxm", "bf16", 1, 1, 128, 16, "vllm");
    struct rt_result r = estimate(&rs->s);
    struct sink s;
    record_sink(&s, &rec);
    fields_result(&s, rs, &r);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        bool found = false;
        for (int i = 0; i < rec.n; i++)
            found |= strcmp(rec.f[i].key, keys[k]) == 0;
        cr_assert(found, "missing key %s", keys[k]);
    }
}

/* Numbers next to a power of ten, where the exponent decides the form (worked by hand):
 * 99999.99999999999 (the double below 1e5) is 1.000000000e5 to ten digits: "100000";
 * 1e-5 keeps the fixed form down to 1e-5 ("0.00001", where %.10g says 1e-05), and the double
 * below it rounds up to it; 9.999999999e-6 has ten digits of its own and an exponent;
 * 12345678901234.5 to ten digits is 1.234567890e13, the trailing zero dropped;
 * 1234567890.5 is a tie, rounded away from zero (llround's way, as ever). */
Test(record, numbers_at_powers_of_ten)
{
    char a[64];
    const double v[] = { nextafter(1e5, 0), 1e5, 1e-5, nextafter(1e-5, 0), 9.999999999e-6, 12345678901234.5,
                         1234567890.5, 123456789012345.0, -123456789012345.0, 1e15, -0.5, 0.1, 2.5e-300, -0.0 };
    const char *const want[] = { "100000", "100000", "0.00001", "0.00001", "9.999999999e-06", "1.23456789e+13",
                                 "1234567891", "123456789012345", "-123456789012345", "1e+15", "-0.5", "0.1",
                                 "2.5e-300", "0" };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        fmt_num(a, sizeof a, v[i]);
        cr_assert_str_eq(a, want[i], "%.17g", v[i]);
    }
}

/* A row longer than the writer's buffer, with a long quoted text in it, comes out whole. */
Test(record, csv_long_rows_come_out_whole)
{
    static char big[12001], want[64000];
    memset(big, 'x', sizeof big - 1);
    big[100] = '"';
    struct sink s;
    record_sink(&s, &rec);
    size_t w = 0;
    for (int i = 0; i < 200; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        s.num(&s, k, i + 0.25);
        w += (size_t)snprintf(want + w, sizeof want - w, "%s%d.25", i ? "," : "", i);
    }
    s.str(&s, "long", big);
    /* the text quoted, its quote doubled: "x..x""x..x" */
    w += (size_t)snprintf(want + w, sizeof want - w, ",\"%.100s\"\"%s\"\r\n", big, big + 101);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    csv_row(f, &rec);
    fclose(f);
    cr_assert_eq(len, w);
    cr_assert_str_eq(out, want);
    free(out);
}

/* The same calls on a sink, for a record and for a CSV stream. */
static void some_fields(struct sink *s, int nfields, int nbig)
{
    static char big[7001];
    memset(big, 'y', sizeof big - 1);
    s->str(s, "model", "a, \"quoted\" name");
    s->str(s, "path", "caf\xe9"); /* not UTF-8: written as caf\xe9 */
    s->boolean(s, "fits", false);
    s->integer(s, "batch", -12);
    for (int i = 0; i < nfields; i++) {
        char k[16];
        snprintf(k, sizeof k, "f%d", i);
        s->num(s, k, i * 1e-5);
    }
    for (int i = 0; i < nbig; i++)
        s->str(s, "big", big);
}

static char *stream_text(int nfields, int nbig, bool stream)
{
    static struct csv_stream cs;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    struct sink s;
    if (stream) {
        csv_stream_sink(&s, &cs, f);
        some_fields(&s, nfields, nbig);
        csv_stream_end(&cs);
    } else {
        record_sink(&s, &rec);
        some_fields(&s, nfields, nbig);
        csv_row(f, &rec);
    }
    fclose(f);
    return out;
}

/* A sweep's rows go straight to text: the same text as the record's row, the
 * record's limits included (256 fields; 16 KiB of keys and texts). */
Test(record, csv_stream_writes_the_records_row)
{
    char *a = stream_text(3, 0, true), *b = stream_text(3, 0, false);
    cr_assert_str_eq(a, "\"a, \"\"quoted\"\" name\",caf\\xe9,false,-12,0,0.00001,0.00002\r\n");
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    a = stream_text(300, 0, true), b = stream_text(300, 0, false);
    cr_assert_str_eq(a, b);
    /* 256 fields: 4 texts and numbers, then f0 .. f251 (251 x 1e-5) */
    cr_assert(strstr(a, ",0.00251\r\n") != NULL);
    free(a);
    free(b);
    /* the pool: keys model, path, fits, batch, f0 .. f9 and big x 3 (6 + 5 + 5 + 6 + 10 x 3
     * + 3 x 4 = 64 bytes with their NULs), the texts 17 + 8, two 7,001-byte texts: 14,091;
     * a third 7,001 does not fit in 16,384 and is kept empty */
    a = stream_text(10, 3, true), b = stream_text(10, 3, false);
    cr_assert_str_eq(a, b);
    size_t n = strlen(a);
    cr_assert(n >= 5 && strcmp(a + n - 5, "yy,\r\n") == 0);
    free(a);
    free(b);
}

Test(record, fast_numbers_match_printf)
{
    char a[64], b[64];
    static const double exact[] = { 0.25, 835.7325875, 1.5e-7, -3.75, 123456.789, 0.001234, 2.5e20 };
    static const char *const want[] = { "0.25", "835.7325875", "1.5e-07", "-3.75", "123456.789", "0.001234", "2.5e+20" };
    for (int i = 0; i < 7; i++) {
        fmt_num(a, sizeof a, exact[i]);
        cr_assert_str_eq(a, want[i]);
    }
    /* and the same value as printf's %.10g for a spread of magnitudes */
    unsigned s = 12345;
    for (int i = 0; i < 20000; i++) {
        s = s * 1103515245u + 12345u;
        double v = ((double)(s % 1000003) + 0.5) * pow(10, (int)(s % 37) - 20);
        fmt_num(a, sizeof a, v);
        snprintf(b, sizeof b, "%.10g", v);
        cr_assert(fabs(strtod(a, NULL) - strtod(b, NULL)) <= 1e-9 * fabs(v), "%s vs %s", a, b);
    }
}

Test(record, numbers_without_a_value)
{
    /* a CSV cell with no value is empty (it read 0: a setup that does not fit looked free), an
     * unbounded one (a queue past capacity) says inf */
    char a[64];
    fmt_num(a, sizeof a, NAN);
    cr_assert_str_eq(a, "");
    fmt_num(a, sizeof a, INFINITY);
    cr_assert_str_eq(a, "inf");
    fmt_num(a, sizeof a, -INFINITY);
    cr_assert_str_eq(a, "-inf");
}

Test(accuracy, replay_maps_rows_and_names_skips)
{
    char path[512];
    snprintf(path, sizeof path, "%s/rooftop-acc-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("source,hardware,hardware_count,memory_bandwidth_GBps_if_stated,model,weight_format,kv_format,"
          "batch_or_concurrency,prompt_tokens,output_tokens,metric,value,software,notes\n"
          "s,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,149.37,\"llama.cpp (Dec 2023 snapshot), CUDA\",\"a, quoted\"\n"
          "s,RTX 4080 SUPER,1,,Llama 3.1 8B,FP8,FP8,max load,128,128,output_throughput_tok_s_total,29852.96,TensorRT-LLM v0.17,\n"
          "s,RTX 4090 24GB,1,,Falcon 40B,Q4_0,F16,1,,,tg_tok_s,1.0,llama.cpp,\n", f);
    fclose(f);
    struct acc_set set;
    char err[256];
    cr_assert_eq(accuracy_load(cat(), path, &set, err, sizeof err), RT_OK, "%s", err);
    unlink(path);
    cr_assert_eq(set.n, 3);
    cr_assert_null(set.rows[0].skip, "%s", set.rows[0].skip);
    cr_assert_str_eq(set.rows[0].device, "rtx-4090");
    cr_assert_str_eq(set.rows[0].model, "llama-2-7b");
    cr_assert_str_eq(set.rows[0].engine, "llama.cpp");
    cr_assert_eq(set.rows[0].output, 128, "llama-bench tg128 default");
    cr_assert(strstr(set.rows[1].skip, "device"));
    cr_assert(strstr(set.rows[2].skip, "model"));
    /* the prediction is the estimator's own tokens/s for that scenario */
    double p, lo, hi;
    cr_assert_eq(accuracy_predict(cat(), &set.rows[0], NULL, &p, &lo, &hi), RT_OK);
    struct rt_resolved *rs = scen("llama-2-7b", "rtx-4090", "q4_0", 1, 1, 0, 128, "llama.cpp");
    struct rt_result r = estimate(&rs->s);
    assert_rel(p, r.tok_s_seq, 1e-12, "replay = estimate");
    cr_assert(lo < p && p < hi);
    accuracy_free(&set);
}

/* --- a model file is read once per change of the file --- */

static void write_config(const char *path, int layers, const char *tail)
{
    /* Llama 3.1 8B's shape (meta-llama/Llama-3.1-8B config.json), the layer count varied */
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\", \"hidden_size\": 4096, "
               "\"num_hidden_layers\": %d, \"num_attention_heads\": 32, \"num_key_value_heads\": 8, "
               "\"intermediate_size\": 14336, \"vocab_size\": 128256, \"max_position_embeddings\": 131072, "
               "\"torch_dtype\": \"bfloat16\"}%s", layers, tail);
    fclose(f);
}

Test(model_cache, a_file_is_read_once_until_it_changes)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/rooftop-cache-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/config.json", dir);
    write_config(path, 32, "\n");
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "%s", path);
    static struct model_cache mc;
    static struct rt_resolved rs;
    char err[512];
    for (int i = 0; i < 3; i++) {
        sp.batch = 1 + i; /* keystrokes that do not change the model */
        cr_assert_eq(spec_resolve_cached(cat(), &sp, &mc, &rs, err, sizeof err), RT_OK, "%s", err);
    }
    cr_assert_eq(mc.reads, 1, "three resolves, one read: %ld", mc.reads);
    cr_assert_eq(rs.model.layers, 32);
    write_config(path, 16, "\n\n"); /* one byte longer: a different file whatever the clock's resolution */
    cr_assert_eq(spec_resolve_cached(cat(), &sp, &mc, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(mc.reads, 2, "the changed file is read again");
    cr_assert_eq(rs.model.layers, 16, "and its new shape used");
    /* a catalog id in between, then the file again: still the cached copy */
    snprintf(sp.model, sizeof sp.model, "llama-3.1-8b");
    cr_assert_eq(spec_resolve_cached(cat(), &sp, &mc, &rs, err, sizeof err), RT_OK, "%s", err);
    snprintf(sp.model, sizeof sp.model, "%s", path);
    cr_assert_eq(spec_resolve_cached(cat(), &sp, &mc, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(mc.reads, 2);
    unlink(path);
    rmdir(dir);
}

/* A change of a plain number needs no resolve: the update gives what a full resolve gives. */
Test(model_cache, an_update_equals_a_full_resolve)
{
    struct rt_spec a, b;
    spec_default(&a);
    a.rate = 2;
    b = a;
    b.batch = 8;
    b.prompt = 4096;
    b.rate = 3;
    cr_assert(spec_same_resolve(&a, &b), "batch, prompt and rate are copied plainly");
    static struct rt_resolved ra, rb;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &a, &ra, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(spec_update(&b, &ra, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(spec_resolve(cat(), &b, &rb, err, sizeof err), RT_OK, "%s", err);
    struct rt_result x = estimate(&ra.s), y = estimate(&rb.s);
    cr_assert_eq(x.ttft_s, y.ttft_s);
    cr_assert_eq(x.tok_s_total, y.tok_s_total);
    cr_assert_eq(x.serving.ttft_mean_s, y.serving.ttft_mean_s);
    /* what changes the lookups does not pass */
    b = a;
    snprintf(b.gpu, sizeof b.gpu, "a100-sxm-80g");
    cr_assert_not(spec_same_resolve(&a, &b), "a device is looked up");
    b = a;
    b.devices = 2;
    cr_assert_not(spec_same_resolve(&a, &b), "a device count is split into tp x pp");
}
