/* test_accuracy.c - the name maps, cross-validation, bands' stated coverage
 * and --calibrate on recorded benchmark output. */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/slurp.h"
#include "base/text.h"
#include "helpers.h"
#include "accuracy/accuracy.h"
#include "accuracy/calibrate.h"
#include "accuracy/crossval.h"
#include "accuracy/devscale.h"
#include "accuracy/fit.h"
#include "accuracy/itlload.h"
#include "accuracy/ttftloop.h"
#include "core/attn.h"
#include "core/serve.h"
#include "accuracy/fit.h"
#include "accuracy/names.h"

static const char *data_path(const char *name)
{
    static char path[4096];
    const char *src = getenv("srcdir");
    snprintf(path, sizeof path, "%s/tests/data/calibrate/%s", src && *src ? src : ".", name);
    return path;
}

static char *read_data(const char *name)
{
    char *t = slurp_file(data_path(name), NULL, 1 << 20);
    cr_assert_not_null(t, "%s", data_path(name));
    return t;
}

static const char *header = "source,hardware,hardware_count,memory_bandwidth_GBps_if_stated,model,weight_format,"
                            "kv_format,batch_or_concurrency,prompt_tokens,output_tokens,metric,value,software,notes\n";

/* A test's own measurements file: the header, then `rows` (a printf format and its
 * arguments), parsed into *set as the file "t.csv"; the test frees it (accuracy_free). */
static void parse_rows(struct acc_set *set, const char *rows, ...)
{
    char *text = NULL, err[256];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    va_list ap;
    va_start(ap, rows);
    fputs(header, f);
    vfprintf(f, rows, ap);
    va_end(ap);
    cr_assert_eq(fclose(f), 0);
    int rc = accuracy_parse(cat(), text, "t.csv", set, err, sizeof err);
    free(text);
    cr_assert_eq(rc, RT_OK, "%s", err);
}

Test(names, first_match_wins_and_unmapped_names_are_known)
{
    char err[256];
    const struct acc_names *n = acc_names_builtin(err, sizeof err);
    cr_assert_not_null(n, "%s", err);
    cr_assert_str_eq(acc_names_find(n, NAMES_DEVICES, "NVIDIA GeForce RTX 3090 Ti")->id, "rtx-3090-ti",
                     "the 3090 Ti, not taken for a 3090");
    const struct acc_name *a = acc_names_find(n, NAMES_DEVICES, "NVIDIA GeForce RTX 4070 Ti");
    cr_assert_not_null(a);
    cr_assert_str_eq(a->id, "", "the 4070 Ti is recognised, not taken for a 4070");
    cr_assert_str_eq(acc_names_find(n, NAMES_DEVICES, "NVIDIA GeForce RTX 3090")->id, "rtx-3090");
    cr_assert_str_eq(acc_names_find(n, NAMES_DEVICES, "NVIDIA L40S")->id, "l40s", "not the L4");
    cr_assert_str_eq(acc_names_find(n, NAMES_DEVICES, "Apple M1 Max 24-core GPU")->id, "m1-max");
    cr_assert_eq(acc_names_find(n, NAMES_DEVICES, "Apple M1 Max 24-core GPU")->gpu_cores, 32);
    cr_assert_str_eq(acc_names_find(n, NAMES_MODELS, "meta-llama/Llama-2-70b-hf")->id, "llama-2-70b");
    cr_assert_str_eq(acc_names_find(n, NAMES_FORMATS, "llama 7B Q4_K - Medium")->id, "q4_k_m");
    cr_assert_str_eq(acc_names_find(n, NAMES_FORMATS, "BF16")->id, "bf16", "not F16");
    cr_assert_null(acc_names_find(n, NAMES_DEVICES, "Voodoo 3"));
    /* a malformed file is refused with its line */
    struct acc_names bad;
    cr_assert_neq(acc_names_parse("devices = ( { id = \"x\"; } );", "t.cfg", &bad, err, sizeof err), RT_OK);
    cr_assert(strstr(err, "match"), "%s", err);
}

/* Two publications measure the same run, one at twice the other's rate.  Left
 * out, each is predicted from the other alone: its own value cannot pull the
 * fit, so A's prediction is B's value (2x) and B's is A's (0.5x). */
/* The replay's summaries walk rows for distinct devices, publications and (publication,
 * engine) pairs through one list: a value is new once, pairs differ in either half, and
 * a full list takes nothing more. */
Test(names, distinct_values_once_each_up_to_the_cap)
{
    struct text_seen s;
    text_seen_init(&s, 3);
    cr_assert(text_seen_first(&s, "h100", NULL));
    cr_assert(!text_seen_first(&s, "h100", NULL));
    cr_assert(text_seen_first(&s, "mi300x", NULL));
    text_seen_init(&s, 3);
    cr_assert(text_seen_first(&s, "paper", "vllm"));
    cr_assert(text_seen_first(&s, "paper", "sglang")); /* the same publication, another engine */
    cr_assert(!text_seen_first(&s, "paper", "vllm"));
    cr_assert(text_seen_first(&s, "blog", "vllm"));
    cr_assert(!text_seen_first(&s, "other", "vllm"), "a list of 3 is full");
    cr_assert_eq(s.n, 3);
}

Test(cv, a_row_never_predicts_itself)
{
    struct acc_set set;
    parse_rows(&set,
               "pubA,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,80,llama.cpp,\n"
               "pubA,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,80,llama.cpp,\n"
               "pubB,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,160,llama.cpp,\n"
               "pubB,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,160,llama.cpp,\n");
    cr_assert_eq(set.n, 4);
    double pred[4], lo[4], hi[4];
    int grp[4];
    cr_assert_eq(accuracy_cv(cat(), &set, CV_SOURCE, FIT_DEFAULT, pred, lo, hi, grp), RT_OK);
    cr_assert_eq(grp[0], grp[1]);
    cr_assert_eq(grp[2], grp[3]);
    cr_assert_neq(grp[0], grp[2]);
    for (int i = 0; i < 2; i++) {
        assert_rel(pred[i], 160, 0.05, "pubA row %d predicted from pubB: %g", i, pred[i]);
        assert_rel(pred[2 + i], 80, 0.05, "pubB row %d predicted from pubA: %g", i, pred[2 + i]);
    }
    /* in sample, the fit sits between the two (the error is the same both ways) */
    struct rt_engine e;
    fit_prior(catalog_engine(cat(), "llama.cpp"), &e);
    cr_assert_eq(fit_engine(cat(), &set, "llama.cpp", NULL, FIT_DEFAULT, &e, NULL), 4);
    double p, l, h;
    cr_assert_eq(accuracy_predict(cat(), &set.rows[0], &e, &p, &l, &h), RT_OK);
    cr_assert(p >= 80 * 0.97 && p <= 160 * 1.03, "%g", p);
    /* leaving a device family out: the only family here, so nothing is left to fit
     * and the prior profile predicts every row (the same for all four) */
    cr_assert_eq(accuracy_cv(cat(), &set, CV_FAMILY, FIT_DEFAULT, pred, lo, hi, grp), RT_OK);
    struct rt_engine prior;
    fit_prior(catalog_engine(cat(), "llama.cpp"), &prior);
    cr_assert_eq(accuracy_predict(cat(), &set.rows[0], &prior, &p, &l, &h), RT_OK);
    for (int i = 0; i < 4; i++)
        assert_rel(pred[i], p, 1e-12, "row %d: the prior's %g, got %g", i, p, pred[i]);
    accuracy_free(&set);
}

Test(calibrate, reads_llama_bench_json_csv_and_markdown)
{
    static const struct { const char *file; double pp, tg; enum calib_format f; } cases[] = {
        { "llama-bench.json", 2410.974041, 130.965708, CALIB_LLAMA_BENCH_JSON },
        { "llama-bench.csv", 2413.341687, 132.052051, CALIB_LLAMA_BENCH_CSV },
        { "llama-bench.md", 2368.80, 131.42, CALIB_LLAMA_BENCH_MD },
    };
    struct calib_opts o = { .gpu = "rtx-3090", .bandwidth_gbps = 1008 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = read_data(cases[i].file);
        cr_assert_eq(calib_detect(t), cases[i].f, "%s", cases[i].file);
        struct acc_set set;
        char err[256];
        cr_assert_eq(calibrate_load(cat(), t, cases[i].file, &o, &set, err, sizeof err), RT_OK, "%s", err);
        cr_assert_eq(set.n, 2, "%s", cases[i].file);
        const struct acc_row *pp = &set.rows[0], *tg = &set.rows[1];
        cr_assert_null(pp->skip, "%s: %s", cases[i].file, pp->skip);
        cr_assert_null(tg->skip, "%s: %s", cases[i].file, tg->skip);
        cr_assert_eq(pp->metric, ACC_PP);
        cr_assert_eq(pp->prompt, 512);
        assert_rel(pp->value, cases[i].pp, 1e-12, "%s pp", cases[i].file);
        cr_assert_eq(tg->metric, ACC_TG);
        cr_assert_eq(tg->output, 128);
        assert_rel(tg->value, cases[i].tg, 1e-12, "%s tg", cases[i].file);
        /* 6,738,415,616 parameters: Llama 2 7B's shapes (6.74 B published) */
        cr_assert_str_eq(tg->model, "llama-2-7b");
        cr_assert_str_eq(tg->weights.id, "q4_0", "model_type names Q4_0");
        cr_assert_str_eq(tg->engine, "llama.cpp");
        accuracy_free(&set);
        free(t);
    }
}

Test(calibrate, reads_vllm_and_sglang_serving_results)
{
    struct calib_opts o = { .gpu = "l40s", .model = "llama-3.1-8b" };
    char err[256];
    struct acc_set set;
    char *t = read_data("vllm-serving.json");
    cr_assert_eq(calib_detect(t), CALIB_SERVING_JSON);
    cr_assert_eq(calibrate_load(cat(), t, "vllm", &o, &set, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(set.n, 3, "TPOT, TTFT, output throughput");
    /* 299,700 / 300 = 999 prompt tokens, 81,050 / 300 = 270.2 output tokens; at
     * 10 requests/s and no concurrency limit, Little's law: 8.3254 req/s x
     * (54.58 + 269.17 x 13.578) ms = 8.3254 x 3.7093 s = 30.9 in flight */
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(set.rows[i].prompt, 999);
        cr_assert_eq(set.rows[i].output, 270);
        cr_assert_eq(set.rows[i].batch, 31);
        cr_assert_str_eq(set.rows[i].engine, "vllm", "the backend key");
    }
    cr_assert_eq(set.rows[0].metric, ACC_TPOT);
    assert_rel(set.rows[0].value, 13.577995860227945, 1e-12, "mean TPOT");
    cr_assert_eq(set.rows[2].metric, ACC_TPUT_TOTAL);
    accuracy_free(&set);
    free(t);
    t = read_data("sglang-serving.jsonl");
    cr_assert_eq(calib_detect(t), CALIB_SERVING_JSON);
    cr_assert_eq(calibrate_load(cat(), t, "sglang", &o, &set, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(set.n, 3);
    /* measured concurrency 11.78 -> 12 (not the 256 limit); 302,118 / 1000 and 195,775 / 1000 */
    cr_assert_eq(set.rows[0].batch, 12);
    cr_assert_eq(set.rows[0].prompt, 302);
    cr_assert_eq(set.rows[0].output, 196);
    cr_assert_str_eq(set.rows[0].engine, "sglang");
    accuracy_free(&set);
    free(t);
}

/* The recorded llama-bench run (tg 128 of Llama 7B Q4_0 at 130.965708 tok/s)
 * on a device of the 3090 Ti's bandwidth, 1008 GB/s (21 Gbps GDDR6X on a
 * 384-bit bus: 21 x 384 / 8 = 1008), calibrated from a base profile with no
 * fixed costs and no dequantisation factor, so that the fitted bandwidth
 * efficiency is the achieved share of peak bandwidth:
 *   bytes per generated token (Llama 2 7B: hidden 4096, 32 layers, FFN 11008,
 *   vocab 32000; Q4_0 4.5 bits per weight, its output matrix 6.5625):
 *     attention projections 4 x 4096^2 x 32 x 4.5/8   = 1,207,959,552
 *       + activations in and out 32 x 4096 x 2 x 4    =     1,048,576
 *     feed-forward 3 x 4096 x 11008 x 32 x 4.5/8      = 2,434,793,472
 *       + activations 32 x 4096 x 2 x 2               =       524,288
 *     output matrix 32000 x 4096 x 6.5625/8           =   107,520,000
 *       + one embedding row 4096 x 4.5/8              =         2,304
 *     KV cache, 16-bit K and V of 32 heads x 128 per layer, mean context
 *       (0 + 127) / 2 = 63.5 over 128 tokens, read and the new token written:
 *       32 x 2 x 4096 x 2 x (63.5 + 1)                =    33,816,576
 *     total                                             3,785,664,768 bytes
 *   achieved = 3,785,664,768 x 130.965708 / 1008e9 = 0.4918557...  */
Test(calibrate, recorded_llama_bench_moves_bandwidth_efficiency_to_hand_value)
{
    struct calib_opts o = { .gpu = "rtx-3090", .bandwidth_gbps = 1008 };
    char *t = read_data("llama-bench.json");
    struct acc_set set;
    char err[256];
    cr_assert_eq(calibrate_load(cat(), t, "llama-bench.json", &o, &set, err, sizeof err), RT_OK, "%s", err);
    free(t);
    struct rt_engine base = *catalog_engine(cat(), "llama.cpp"), out;
    base.mbu = 0.7;
    base.mbu_class[2] = 1.0;
    base.step_overhead_s = base.layer_overhead_s = base.stage_overhead_s = 0;
    cr_assert_eq(calibrate_fit(cat(), &set, &base, &out), 2);
    /* bandwidth alone: 3785664768 B x 130.965708 tok/s / 1008 GB/s = 0.49186.  A kernel's time
     * is the 2-norm of its compute and streaming times (shape.c), so the streaming time is
     * sqrt(t^2 - tc^2), by hand: the prefill run (pp512 at 2410.97 tok/s, 212.4 ms) does
     * 512 x 2 x (6.738e9 - 2 x 32000 x 4096) = 6630 GFLOP of weight GEMMs plus
     * 2 x 32 heads x 256 x (512 x 513 / 2) x 32 layers = 68.9 GFLOP of attention.  Kernel
     * classes: the Q4_0 prompt GEMMs run MMQ at the 3090's INT8 rate (284 TOPS) capped by the
     * epilogue's int-to-float conversions, 4 x its 35.6 FP32 TFLOPS = 142.4 (kclass.c), attention
     * at its FP16-accumulate rate (142): 6630 / 142.4e3 + 68.9 / 142e3 = 46.559 + 0.485 = 47.04 ms
     * at full rate, so mfu = 47.04 / 212.4 = 0.2215.  A decode token's 12.95 + 0.262 (lm_head)
     * = 13.2 GFLOP run the mat-vec kernels at the 16-bit rate: tc = 13.2e9 / (0.2215 x 142e12)
     * = 0.4197 ms of t = 1/130.97 = 7.636 ms, tc/t = 0.05496, so mbu = 0.49186 /
     * sqrt(1 - 0.05496^2) = 0.49186 x 1.00151
     * (every op has about the same tc/tm, so the per-op norms add up to the norm of the sums) */
    double expect = 3785664768.0 * 130.965708 / 1008e9 / sqrt(1 - 0.05496 * 0.05496);
    assert_rel(out.mbu, expect, 1e-4, "mbu %.10g, by hand %.10g", out.mbu, expect);
    /* with the published profile's fixed costs the fit scales the memory efficiency up by x
     * and the fixed costs down by x: streaming b = the weights at mbu x class factor and the
     * cache at mbu (4.540 ms), fixed c = step + 32 layers (3.942 ms), compute a: the prefill
     * run less its fixed costs (212.4 - 3.55 ms) = 208.85 ms gives mfu = 47.04 / 208.85 =
     * 0.22523 (kernel classes as above), a = 13.2e9 / (0.22523 x 142e12) = 0.4127 ms.  sqrt(a^2 + (b/x)^2) + c/x = t, with u = 1/x:
     * (b^2 - c^2) u^2 + 2 t c u + (a^2 - t^2) = 0 (x = 1.1228; 1.1109 without the compute) */
    /* (the figures above are those of the llama.cpp profile as fitted before the kernel
     * classes: mbu 0.875, low-bit factor 0.945, step 2995 us, 29.6 us a layer, not scaled by
     * the GPU's clock; held here) */
    struct rt_engine lcv = *catalog_engine(cat(), "llama.cpp");
    lcv.mbu = 0.875;
    lcv.mbu_class[2] = 0.945;
    lcv.step_overhead_s = 2995e-6;
    lcv.layer_overhead_s = 29.6e-6;
    lcv.layer_clock_hz = 0;
    const struct rt_engine *lc = &lcv;
    double weights = 3785664768.0 - 33816576.0, kv = 33816576.0, tm = 1 / 130.965708, a = 0.4127e-3;
    double b = weights / (1008e9 * lc->mbu * lc->mbu_class[2]) + kv / (1008e9 * lc->mbu);
    double cf = lc->step_overhead_s + 32 * lc->layer_overhead_s, q2 = b * b - cf * cf;
    double u = (-2 * tm * cf + sqrt(4 * tm * tm * cf * cf - 4 * q2 * (a * a - tm * tm))) / (2 * q2);
    cr_assert_eq(calibrate_fit(cat(), &set, lc, &out), 2);
    assert_rel(out.mbu, lc->mbu / u, 2e-4, "mbu %.10g, by hand %.10g", out.mbu, lc->mbu / u);
    assert_rel(out.step_overhead_s, lc->step_overhead_s * u, 2e-4, "fixed cost over x");
    accuracy_free(&set);
}

static void rm_rf_config(const char *dir)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/" CAT_CALIBRATED_FILE, dir);
    unlink(p);
    rmdir(dir);
}

/* Calibrate on the recorded RTX 4090 rows, save, read the saved profile back
 * through the catalog, and count the runs inside its band: the count it states. */
Test(calibrate, saved_profile_loads_and_its_band_covers_what_it_claims)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/rooftop-cal-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    struct calib_opts o = { .dir = dir };
    struct calib_result res;
    char err[512];
    FILE *devnull = fopen("/dev/null", "w");
    int rc = calibrate_run_opts(cat(), data_path("rooftop.csv"), &o, devnull, &res, err, sizeof err);
    fclose(devnull);
    cr_assert_eq(rc, RT_OK, "%s", err);
    cr_assert_str_eq(res.after.id, "local-llama.cpp");
    /* a second calibration replaces the first (one entry per id) */
    devnull = fopen("/dev/null", "w");
    rc = calibrate_run_opts(cat(), data_path("rooftop.csv"), &o, devnull, &res, err, sizeof err);
    fclose(devnull);
    cr_assert_eq(rc, RT_OK, "%s", err);
    struct catalog c2;
    catalog_init(&c2);
    cr_assert_eq(catalog_load_builtin(&c2, err, sizeof err), RT_OK);
    size_t before = c2.n_engines;
    cr_assert_eq(catalog_merge_file(&c2, res.saved, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(c2.n_engines, before + 1);
    const struct rt_engine *e = catalog_engine(&c2, "local-llama.cpp");
    cr_assert_not_null(e);
    assert_rel(e->mbu, res.after.mbu, 1e-9, "saved mbu");
    /* the clock its per-layer cost is stated at travels with it (llama.cpp's 2,520 MHz) */
    assert_rel(e->layer_clock_hz, catalog_engine(cat(), "llama.cpp")->layer_clock_hz, 1e-12, "saved layer clock");
    cr_assert_float_eq(e->layer_clock_hz, 2520e6, 1);
    int fam = RT_FAM_NVIDIA_CONSUMER;
    cr_assert_gt(e->band_runs[fam], 0);
    struct acc_set set;
    cr_assert_eq(accuracy_load(&c2, data_path("rooftop.csv"), &set, err, sizeof err), RT_OK, "%s", err);
    int in = 0, runs = 0;
    for (size_t i = 0; i < set.n; i++) {
        double p, lo, hi;
        if (set.rows[i].skip || accuracy_predict(&c2, &set.rows[i], e, &p, &lo, &hi) != RT_OK)
            continue;
        /* the one 16-bit decode run sets the speed: it is reproduced exactly */
        if (set.rows[i].metric == ACC_TG && set.rows[i].weights.klass == 0)
            assert_rel(p, 60.78, 1e-8, "F16 tg on the 4090: %.12g", p); /* to the saved digits */
        runs++;
        in += set.rows[i].value >= lo * 0.9999 && set.rows[i].value <= hi * 1.0001;
    }
    cr_assert_eq(runs, e->band_runs[fam]);
    cr_assert_eq(in, e->band_in[fam], "stated %d of %d, counted %d", e->band_in[fam], runs, in);
    /* and the estimate carries the statement for that family */
    struct rt_resolved *rs = scen("llama-2-7b", "rtx-4090", "q4_0", 1, 1, 0, 128, "llama.cpp");
    rs->s.engine = e;
    struct rt_result r = estimate(&rs->s);
    cr_assert_eq(r.band_in, in);
    cr_assert_eq(r.band_runs, runs);
    accuracy_free(&set);
    catalog_free(&c2);
    rm_rf_config(dir);
}

/* The built-in profiles state their coverage: the leave-one-publication-out
 * replay of accuracy/measurements.csv must find those counts (a catalog change
 * that moves them by more than a few runs needs `make fit` again).  About 11 s
 * of CPU natively and 43 s under AddressSanitizer; CI runs that build beside a
 * valgrind pass on two cores, so the limit (a guard against a hang, not a
 * speed check) is generous. */
Test(bands, builtin_coverage_matches_cross_validation, .timeout = 600)
{
    char path[4096];
    const char *src = getenv("srcdir");
    snprintf(path, sizeof path, "%s/accuracy/measurements.csv", src && *src ? src : ".");
    struct acc_set set;
    char err[256];
    cr_assert_eq(accuracy_load(cat(), path, &set, err, sizeof err), RT_OK, "%s", err);
    double *pred = calloc(set.n, sizeof *pred), *lo = calloc(set.n, sizeof *lo), *hi = calloc(set.n, sizeof *hi);
    cr_assert_eq(accuracy_cv(cat(), &set, CV_BAND, FIT_DEFAULT, pred, lo, hi, NULL), RT_OK);
    int checked = 0;
    for (size_t ei = 0; ei < cat()->n_engines; ei++) {
        const struct rt_engine *e = &cat()->engines[ei];
        for (int f = 0; f < RT_FAM_N; f++) {
            int in = 0, runs = 0;
            for (size_t i = 0; i < set.n; i++)
                if (pred[i] > 0 && set.rows[i].family == f && !strcmp(set.rows[i].engine, e->id)) {
                    runs++;
                    in += set.rows[i].value >= lo[i] * 0.9999 && set.rows[i].value <= hi[i] * 1.0001;
                }
            if (!runs && !e->band_runs[f])
                continue;
            int tol = runs / 20 > 2 ? runs / 20 : 2;
            cr_assert(abs(runs - e->band_runs[f]) <= tol && abs(in - e->band_in[f]) <= tol,
                      "%s on family %d: stated %d of %d, replayed %d of %d", e->id, f, e->band_in[f],
                      e->band_runs[f], in, runs);
            checked++;
        }
    }
    cr_assert_geq(checked, 5);
    free(pred);
    free(lo);
    free(hi);
    accuracy_free(&set);
}

/* "A user who measured one model on their box gets calibrated figures for the
 * other models": calibrated on the recorded 7B run, the profile predicts the
 * 13B run that llama-bench's README publishes for the same machine (llama 13B
 * mostly Q4_0, tg 128: 82.17 +- 0.31 tok/s) within 5%.  (The shipped profile, fitted
 * to the published set, predicts it within 1% itself, so the calibrated one is held
 * to the 5% promise rather than to beating it.) */
Test(calibrate, one_model_calibrates_another)
{
    struct calib_opts o = { .gpu = "rtx-3090", .bandwidth_gbps = 1008, .dry_run = true };
    struct calib_result res;
    char err[256];
    FILE *devnull = fopen("/dev/null", "w");
    int rc = calibrate_run_opts(cat(), data_path("llama-bench.json"), &o, devnull, &res, err, sizeof err);
    fclose(devnull);
    cr_assert_eq(rc, RT_OK, "%s", err);
    cr_assert_str_eq(res.saved, "", "a dry run saves nothing");
    struct rt_resolved *rs = scen("llama-2-13b", "rtx-3090", "q4_0", 1, 1, 0, 128, "llama.cpp");
    rs->device.bandwidth = 1008e9;
    rs->s.engine = &res.after;
    double after = estimate(&rs->s).tok_s_seq;
    assert_rel(after, 82.17, 0.05, "calibrated 13B: %g tok/s", after);
}

/* One run transcribed by two publications (the same device, model, format,
 * metric and value) is one measurement: both copies leave the fit together,
 * so the copy cannot predict its twin.  Left out, they are predicted from the
 * third publication alone (160). */
Test(cv, a_run_copied_by_two_publications_leaves_together)
{
    struct acc_set set;
    parse_rows(&set,
               "pubA,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,80,llama.cpp,\n"
               "pubB,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,80,llama.cpp,a copy\n"
               "pubC,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,160,llama.cpp,\n");
    double pred[3], lo[3], hi[3];
    int grp[3];
    cr_assert_eq(accuracy_cv(cat(), &set, CV_SOURCE, FIT_DEFAULT, pred, lo, hi, grp), RT_OK);
    cr_assert_eq(grp[0], grp[1], "the copy goes with the first publication");
    cr_assert_neq(grp[0], grp[2]);
    assert_rel(pred[0], 160, 0.05, "%g", pred[0]);
    assert_rel(pred[1], 160, 0.05, "%g", pred[1]);
    accuracy_free(&set);
}

/* --accuracy takes the publication-out predictions of engines with several
 * publications from the band pass (the same groups) and computes only the
 * others: the result must equal the full leave-one-publication-out pass. */
Test(cv, band_pass_reuse_equals_the_publication_pass)
{
    struct acc_set set;
    parse_rows(&set,
               "pubA,RTX 4090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,80,llama.cpp,\n"
               "pubA,RTX 3090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,70,llama.cpp,\n"
               "pubB,RTX 4090 24GB,1,,Llama 2 13B,Q4_0,F16,1,,,tg_tok_s,60,llama.cpp,\n"
               "pubE,RTX 4090 24GB,1,,Llama 2 7B,GPTQ g128,F16,1,,,tg_tok_s,150,ExLlama v1,\n"
               "pubE,RTX 3090 24GB,1,,Llama 2 7B,GPTQ g128,F16,1,,,tg_tok_s,120,ExLlama v1,\n");
    double p[5], l[5], h[5], bp[5], bl[5], bh[5], q[5], ql[5], qh[5];
    bool want[5];
    cr_assert_eq(accuracy_cv(cat(), &set, CV_SOURCE, FIT_DEFAULT, p, l, h, NULL), RT_OK);
    cr_assert_eq(accuracy_cv(cat(), &set, CV_BAND, FIT_DEFAULT, bp, bl, bh, NULL), RT_OK);
    for (size_t i = 0; i < 5; i++)
        want[i] = !accuracy_multi_source(&set, i);
    cr_assert(!want[0] && !want[2] && want[3] && want[4]);
    cr_assert_eq(accuracy_cv_some(cat(), &set, CV_SOURCE, FIT_DEFAULT, want, q, ql, qh, NULL), RT_OK);
    for (size_t i = 0; i < 5; i++) {
        cr_assert_gt(p[i], 0);
        assert_rel(want[i] ? q[i] : bp[i], p[i], 1e-12, "row %zu", i);
        assert_rel(want[i] ? qh[i] : bh[i], h[i], 1e-12, "row %zu band", i);
    }
    accuracy_free(&set);
}

/* Llama 2 7B in F16 holds 6.74e9 x 2 = 13.5 GB of weights.  A Mac stated with
 * 16 GB lets its GPU keep 0.75 x 16 = 12 GB resident (the catalog's share for
 * the M3): the run pages and is not replayed; with 24 GB (18 GB) it is. */
Test(accuracy, stated_unified_memory_that_pages_is_skipped)
{
    struct acc_set set;
    parse_rows(&set,
               "s,Apple M3 10-core GPU 16GB,1,,Llama 2 7B,F16,F16,1,,,tg_tok_s,5,llama.cpp,\n"
               "s,Apple M3 10-core GPU 24GB,1,,Llama 2 7B,F16,F16,1,,,tg_tok_s,5,llama.cpp,\n");
    cr_assert_not_null(set.rows[0].skip);
    cr_assert(strstr(set.rows[0].skip, "pages"), "%s", set.rows[0].skip);
    cr_assert_null(set.rows[1].skip, "%s", set.rows[1].skip);
    cr_assert_float_eq(set.rows[1].rs->device.memory_bytes, 24e9, 1);
    accuracy_free(&set);
}

/* Device scaling (devscale.c): a pair of rows that differ only in the device.
 * H100 measured 100 tok/s, predicted 110; H200 measured 200, predicted 200:
 * q = (110 / 200) / (100 / 200) = 1.1, +10%.  An M2 Max row of the same case (measured
 * 20, predicted 18): against the H100 q = (110 / 18) / (100 / 20) = 1.2222, against the
 * H200 q = (18 / 200) / (20 / 200) = 0.9, signed -10%, size 1/0.9 - 1 = 11.1%.  Sizes
 * 10%, 22.2%, 11.1%: median 11.1%, p90 11.1 + 0.8 x 11.1 = 20.0%; the two pairs that
 * cross families (22.2%, 11.1%): median 16.7%.
 * The reference is an H200 running TensorRT-LLM in the same round, whatever the other
 * device ran: a fourth row, the H200 under trtllm-cpp at FP8 (measured 250, predicted 200:
 * x0.8), pairs with no row in the pairs above (no other device ran that engine), and is the
 * reference of the other two devices: the H100 (vLLM, FP16) q = (110 / 100) / 0.8 = 1.375,
 * +37.5%; the M2 Max q = (18 / 20) / 0.8 = 1.125, +12.5%.  The H200 under vLLM is no
 * reference and has none. */
Test(devscale, pairs_and_the_h200_reference)
{
    struct acc_row rows[4];
    memset(rows, 0, sizeof rows);
    const char *dev[4] = { "h100-sxm", "h200", "m2-max", "h200" };
    double val[4] = { 100, 200, 20, 250 }, pred[4] = { 110, 200, 18, 200 };
    int fam[4] = { RT_FAM_NVIDIA_DC, RT_FAM_NVIDIA_DC, RT_FAM_APPLE, RT_FAM_NVIDIA_DC };
    for (int i = 0; i < 4; i++) {
        snprintf(rows[i].source, sizeof rows[i].source, "pub");
        snprintf(rows[i].engine, sizeof rows[i].engine, "%s", i == 3 ? "trtllm-cpp" : "vllm");
        snprintf(rows[i].model, sizeof rows[i].model, "llama-2-7b");
        snprintf(rows[i].weights.id, sizeof rows[i].weights.id, "%s", i == 3 ? "fp8" : "fp16");
        snprintf(rows[i].device, sizeof rows[i].device, "%s", dev[i]);
        rows[i].metric = ACC_TG;
        rows[i].batch = rows[i].devices = 1;
        rows[i].value = val[i];
        rows[i].predicted = pred[i];
        rows[i].family = fam[i];
    }
    struct acc_set set = { rows, 4 };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    accuracy_device_scaling(&set, f);
    fclose(f);
    cr_assert(strstr(buf, "any two devices                         3      11.1%      20.0%"), "%s", buf);
    cr_assert(strstr(buf, "devices of different families           2      16.7%"), "%s", buf);
    /* the worst pair across families first: the H100 against the M2 Max, 22.2% */
    const char *w = strstr(buf, "worst pairs across families");
    cr_assert_not_null(w, "%s", buf);
    cr_assert(strstr(w, "   22.2%  llama-2-7b"), "%s", buf);
    cr_assert(strstr(w, "22.2%") < strstr(w, "11.1%"), "%s", buf);
    cr_assert(strstr(buf, "against an H200 running TensorRT-LLM in the same round"), "%s", buf);
    cr_assert(strstr(buf, "  h100-sxm      nvidia-dc        vllm           fp16       1 pairs  median  +37.5%  (+37.5% .. +37.5%)"),
              "%s", buf);
    cr_assert(strstr(buf, "  m2-max        apple            vllm           fp16       1 pairs  median  +12.5%"), "%s", buf);
    cr_assert_null(strstr(buf, "  h200 "), "%s", buf);
    free(buf);
}

/* An expert-parallel run as TensorRT-LLM's trtllm-bench states it (the batch column): "TP8
 * EP8", a closed loop of 3072 clients, max_batch_size 384 per rank (x 8 ranks of attention
 * DP = 3072 running at most), max_num_tokens 1536 (each rank's own budget under attention
 * DP: 8 x 1536 = 12288 for the group).  The row keeps them, and its scenario runs the engine
 * with those limits; a row without them keeps the profile's. */
Test(loader, expert_parallel_run_and_its_engine_limits)
{
    struct acc_set set;
    parse_rows(&set,
               "pubEP,B200,8,,DeepSeek-R1,NVFP4,FP16,\"max load, closed loop: concurrency 3072; TP8 EP8 with attention DP; "
               "max_batch_size 384 per rank; max_num_tokens 1536\",1024,2048,output_throughput_tok_s_per_gpu,4548,"
               "TensorRT-LLM (PyTorch backend),\n"
               "pubDP,H100 80GB HBM3,1,,Llama 3.1 8B,FP8,FP8,\"max load, infinite request rate; TP1\",128,128,"
               "output_throughput_tok_s_total,28836,TensorRT-LLM v0.17,\n");
    cr_assert_eq(set.n, 2);
    const struct acc_row *r = &set.rows[0];
    cr_assert_null(r->skip, "%s", r->skip ? r->skip : "");
    cr_assert_eq(r->batch, 0, "max load");
    cr_assert_eq(r->ep, 8);
    cr_assert_eq(r->concurrency, 3072);
    cr_assert_eq(r->max_seqs, 384 * 8, "per rank x 8 ranks: %lld", (long long)r->max_seqs);
    cr_assert_eq(r->max_tokens, 1536 * 8, "per rank x 8 ranks: %lld", (long long)r->max_tokens);
    cr_assert_str_eq(r->engine, "trtllm-pytorch");
    cr_assert_str_eq(r->weights.id, "nvfp4");
    cr_assert_eq(r->rs->s.ep, 8);
    cr_assert_eq(r->rs->s.tp, 8);
    cr_assert_eq(r->rs->s.engine->max_seqs, 3072);
    cr_assert_eq(r->rs->s.engine->max_batched_tokens, 12288);
    const struct acc_row *q = &set.rows[1];
    cr_assert_null(q->skip, "%s", q->skip ? q->skip : "");
    cr_assert(q->ep == 0 && q->concurrency == 0 && q->max_seqs == 0 && q->max_tokens == 0);
    cr_assert_eq(q->rs->s.engine->max_seqs, catalog_engine(cat(), q->engine)->max_seqs);
    accuracy_free(&set);
}

/* A row in the model's own shipped format keeps the model's tensor classes, as --weights
 * native does: gpt-oss-120b ships MXFP4 experts (4.25 bits a weight, formats.cfg) with
 * attention and router in bf16 (models.cfg native_attn_weights / native_dense_weights), so
 * its "MXFP4" row reads attention at 16 bits, not 4.25.  The same format named for another
 * model (DeepSeek-R1 ships FP8) keeps one width for every tensor.  SGLang's server-wide
 * --max-running-requests is no per-rank figure: 2560 stays 2560. */
Test(loader, a_models_own_format_keeps_its_tensor_classes)
{
    struct acc_set set;
    parse_rows(&set,
               "pubS,B200,4,,gpt-oss-120b (openai/gpt-oss-120b),MXFP4,BF16,\"max load, closed loop: concurrency 2560; "
               "TP4 EP4 with attention DP; max_batch_size 2560 (the server's)\",1024,2048,"
               "output_throughput_tok_s_per_gpu,16735.35,SGLang,\n"
               "pubT,B200,8,,DeepSeek-R1,MXFP4,BF16,\"max load; TP8\",1024,2048,output_throughput_tok_s_per_gpu,5000,"
               "SGLang,\n");
    cr_assert_eq(set.n, 2);
    const struct acc_row *r = &set.rows[0];
    cr_assert_null(r->skip, "%s", r->skip ? r->skip : "");
    cr_assert_str_eq(r->model, "gpt-oss-120b");
    cr_assert_str_eq(r->weights.id, "mxfp4");
    assert_rel(r->weights.bits, 4.25, 1e-9, "experts %g", r->weights.bits);
    assert_rel(r->weights.attn_bits, 16, 1e-9, "attention %g", r->weights.attn_bits);
    assert_rel(r->weights.dense_bits, 16, 1e-9, "router/dense %g", r->weights.dense_bits);
    cr_assert_eq(r->ep, 4);
    cr_assert_eq(r->max_seqs, 2560, "the server's cap, not per rank: %lld", (long long)r->max_seqs);
    cr_assert_str_eq(r->engine, "sglang");
    const struct acc_row *q = &set.rows[1];
    cr_assert_null(q->skip, "%s", q->skip ? q->skip : "");
    cr_assert(!(q->weights.attn_bits > 0) || fabs(q->weights.attn_bits - 4.25) < 1e-9,
              "another model's format: one width (%g)", q->weights.attn_bits);
    accuracy_free(&set);
}

/* Inter-token latency under load (metric itl_ms, "concurrency N"): the loader keeps the
 * rows out of the static classes (one static batch has no queue) and resolves them for the
 * serving replay, which runs a closed loop of the row's clients with the profile refitted
 * without the row's publication.  Here the set holds no other row of the engine, so the
 * refit leaves the prior profile: a row stating exactly what that replay gives is off by
 * 0, and one stating twice it by |x - 2x| / 2x = 50%. */
Test(loader, itl_under_load_rows_replay_through_the_serving_simulation)
{
    struct rt_resolved *rs = scen("llama-3.1-70b", "h100-sxm", "fp8", 2, 1, 512, 64, "trtllm-cpp");
    struct rt_scenario s = rs->s;
    s.kv = catalog_format(cat(), "fp8");
    struct rt_engine prior;
    fit_prior(s.engine, &prior);
    s.engine = &prior;
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 2000, .concurrency = 1, .no_capacity = true };
    struct rt_serve_result r;
    char err[256];
    cr_assert_eq(rt_serve(&s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    double x = r.itl_mean_s * 1e3;
    struct acc_set set;
    parse_rows(&set,
               "pubITL,H100 80G,2,,Llama 3.1 70B,FP8,FP8,concurrency 1,512,64,itl_ms,%.17g,NVIDIA NIM (TensorRT-LLM),\n"
               "pubITL,H100 80G,2,,Llama 3.1 70B,FP8,FP8,concurrency 1,512,64,itl_ms,%.17g,NVIDIA NIM (TensorRT-LLM),\n",
               x, 2 * x);
    cr_assert_eq(set.n, 2);
    const struct acc_row *row = &set.rows[0];
    cr_assert_eq(row->metric, ACC_ITL);
    cr_assert_str_eq(row->skip, ACC_SKIP_SERVING);
    cr_assert_not_null(row->rs, "resolved for the replay");
    cr_assert_eq(row->concurrency, 1);
    cr_assert(row->rs->s.tp == 2 && row->rs->s.prompt == 512 && row->rs->s.output == 64);
    cr_assert_str_eq(row->kv, "fp8");
    struct acc_score sc;
    accuracy_score(cat(), &set, NULL, NULL, &sc);
    for (int k = 0; k < ACC_CLASS_N; k++)
        cr_assert_eq(sc.k[k].n, 0, "class %d holds no ITL row", k);
    double e[4];
    cr_assert_eq(accuracy_itl_left_out(cat(), &set, e, 4, NULL), 2);
    cr_assert(e[0] < 1e-9, "%g", e[0]);
    cr_assert(fabs(e[1] - 0.5) < 1e-9, "%g", e[1]);
    accuracy_free(&set);
}

/* layer_overhead_s stands in for the kernels of a layer only where a profile does not count
 * them (types.h): a fit of a profile with a kernels group leaves it at its prior, 0.  Two
 * decode rows of Llama 3.1 8B on an H100 at 20 tok/s (50 ms a token, far slower than the
 * roofline's ~4 ms) drive every knob that slows decode to its bound: with the vllm profile's
 * kernel counts the layer overhead stays 0; the same profile without them fits it above 0. */
Test(fit, a_profile_that_counts_its_kernels_fits_no_layer_overhead)
{
    struct acc_set set;
    parse_rows(&set,
               "pubK,H100 80GB HBM3,1,,Llama 3.1 8B,BF16,BF16,1,128,128,tg_tok_s,20,vLLM,\n"
               "pubK,H100 80GB HBM3,1,,Llama 3.1 8B,BF16,BF16,1,512,128,tg_tok_s,20,vLLM,\n");
    struct rt_engine e;
    fit_prior(catalog_engine(cat(), "vllm"), &e);
    cr_assert_gt(e.k_attn, 0, "vllm counts its kernels");
    cr_assert_eq(fit_engine(cat(), &set, "vllm", NULL, FIT_DEFAULT, &e, NULL), 2);
    cr_assert(e.layer_overhead_s == 0, "%g", e.layer_overhead_s);
    cr_assert_gt(e.step_overhead_s, 0, "the step overhead still fits");
    fit_prior(catalog_engine(cat(), "vllm"), &e);
    e.k_attn = e.k_ffn = e.k_moe = e.g_attn = e.g_ffn = e.g_moe = 0;
    cr_assert_eq(fit_engine(cat(), &set, "vllm", NULL, FIT_DEFAULT, &e, NULL), 2);
    cr_assert_gt(e.layer_overhead_s, 0, "without kernel counts the layer overhead stands in");
    accuracy_free(&set);
}

/* An ITL row replays the run as the benchmark made it.  vLLM's defaults for `vllm serve` on
 * a device of 70 GiB or more, A100s aside (engines.cfg large_*): max_num_seqs 1024 and
 * max_num_batched_tokens 8192 on a B200 (180 GB), the profile's 256 and 2048 on an
 * A100 80GB; the refitted profile keeps them.  The requests the run sent, where the row
 * states them ("400 prompts at this concurrency" in its notes, "80 prompts" in its setup):
 * 512 clients over 400 prompts hold all 400 at once, then drain.  A row stating what that
 * loop gives is off by 0; the same loop under the profile's 256 and over 2,000 requests
 * (the replay before) is not what it states. */
Test(loader, itl_rows_replay_the_benchmarks_requests_and_the_devices_defaults)
{
    struct rt_engine e = *catalog_engine(cat(), "vllm-async");
    rt_engine_on_device(&e, catalog_device(cat(), "a100-sxm-80g"));
    cr_assert(e.max_seqs == 256 && e.max_batched_tokens == 2048, "A100: %lld %lld", (long long)e.max_seqs,
              (long long)e.max_batched_tokens);
    rt_engine_on_device(&e, catalog_device(cat(), "b200"));
    cr_assert(e.max_seqs == 1024 && e.max_batched_tokens == 8192, "B200: %lld %lld", (long long)e.max_seqs,
              (long long)e.max_batched_tokens);
    struct rt_resolved *rs = scen("llama-3.1-8b", "b200", "fp8", 1, 1, 2048, 64, "vllm-async");
    struct rt_scenario s = rs->s;
    s.kv = catalog_format(cat(), "fp8");
    struct rt_engine prior;
    fit_prior(catalog_engine(cat(), "vllm-async"), &prior);
    s.engine = &prior;
    struct rt_serve_opts o = { .rate = INFINITY, .requests = 2000, .concurrency = 512, .no_capacity = true };
    struct rt_serve_result r;
    char err[256];
    cr_assert_eq(rt_serve(&s, &o, &r, err, sizeof err), RT_OK, "%s", err); /* 256 running, 2,000 requests */
    double before = r.itl_mean_s * 1e3;
    rt_engine_on_device(&prior, s.device);
    o.requests = 400;
    cr_assert_eq(rt_serve(&s, &o, &r, err, sizeof err), RT_OK, "%s", err);
    double x = r.itl_mean_s * 1e3;
    cr_assert_gt(r.max_running, 256, "%lld", (long long)r.max_running);
    cr_assert(fabs(x - before) > 0.01 * x, "the setups differ: %g vs %g", x, before);
    struct acc_set set;
    parse_rows(&set,
               "pubV,B200,1,,Llama 3.1 8B,FP8,FP8,concurrency 512; TP1,2048,64,itl_ms,%.17g,vLLM 0.16.0,"
               "\"random dataset, 400 prompts at this concurrency\"\n"
               "pubX,H200,1,,Llama 3.1 8B,FP8,FP8,\"concurrency 8; closed loop (--max-concurrency 8, 80 prompts)\","
               "2048,64,itl_ms,10,vLLM 0.16.0,\n", x);
    cr_assert_eq(set.n, 2);
    cr_assert_eq(set.rows[0].prompts, 400);
    cr_assert_eq(set.rows[0].concurrency, 512);
    cr_assert_eq(set.rows[1].prompts, 80);
    set.rows[1].skip = "not this test's"; /* only the first row replays */
    double err1[2];
    cr_assert_eq(accuracy_itl_left_out(cat(), &set, err1, 2, NULL), 1);
    cr_assert(err1[0] < 1e-9, "%g", err1[0]);
    accuracy_free(&set);
}

/* A llama.cpp build of December 2023 split each matrix by rows over several GPUs
 * (names.cfg: split = "row"); rooftop models the layer split, so that build's
 * multi-GPU rows are skipped with the reason, its one-GPU rows replay, and a
 * later build's two-GPU row replays as a pipeline of 2 stages. */
/* ExLlamaV2's EXL2 bits are the decoder layers' average; lm_head is quantised apart at about
 * 6.3 bits (turboderp/exllamav2 doc/convert.md, -hb 6 by default).  TinyLlama 1.1B's untied
 * head is 32000 x 2048 = 65,536,000 weights: 65,536,000 x 6.3 / 8 = 51,609,600 bytes instead of
 * 65,536,000 x 3.0 / 8 = 24,576,000 at the layers' 3.0 bpw: 27,033,600 bytes more. */
Test(loader, exl2_head_at_its_own_bits)
{
    char err[256];
    struct acc_set set;
    parse_rows(&set,
               "s,RTX 4090 24GB,1,,TinyLlama 1.1B,EXL2 3.0 bpw,FP16,1,,,tg_tok_s,730,ExLlamaV2,\n");
    cr_assert_eq(set.n, 1);
    cr_assert_null(set.rows[0].skip, "%s", set.rows[0].skip);
    cr_assert_float_eq(set.rows[0].weights.bits, 3.0, 1e-12);
    cr_assert_float_eq(set.rows[0].weights.head_bits, 6.3, 1e-12);
    struct rt_scenario s = set.rows[0].rs->s;
    struct rt_result with, without;
    cr_assert_eq(rt_estimate(&s, &with, err, sizeof err), RT_OK, "%s", err);
    struct rt_format flat = set.rows[0].weights;
    flat.head_bits = 0;
    s.weights = &flat;
    cr_assert_eq(rt_estimate(&s, &without, err, sizeof err), RT_OK, "%s", err);
    assert_rel(with.weights_bytes - without.weights_bytes, 27033600.0, 1e-9, "head bytes %g",
               with.weights_bytes - without.weights_bytes);
    accuracy_free(&set);
}

Test(loader, row_split_build_multi_gpu_rows_are_not_replayed)
{
    char err[256];
    struct acc_set set;
    parse_rows(&set,
               "s,RTX 3090 24GB,2,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,53.25,llama.cpp (Dec 2023 snapshot),\n"
               "s,RTX 3090 24GB,1,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,120.6,llama.cpp (Dec 2023 snapshot),\n"
               "s,RTX 3090 24GB,2,,Llama 2 7B,Q4_0,F16,1,,,tg_tok_s,111.67,llama.cpp (May 2024 snapshot),\n");
    cr_assert_eq(set.n, 3);
    cr_assert_not_null(set.rows[0].skip);
    cr_assert(strstr(set.rows[0].skip, "by rows"), "%s", set.rows[0].skip);
    cr_assert_null(set.rows[1].skip, "%s", set.rows[1].skip);
    cr_assert_null(set.rows[2].skip, "%s", set.rows[2].skip);
    cr_assert(set.rows[2].pipeline);
    cr_assert_eq(set.rows[2].rs->s.pp, 2);
    accuracy_free(&set);
    /* the field takes layer or row, nothing else */
    struct acc_names n;
    cr_assert_eq(acc_names_parse("engines = ( { match = \"a\"; id = \"llama.cpp\"; split = \"row\"; } );", "t.cfg", &n,
                                 err, sizeof err), RT_OK, "%s", err);
    cr_assert(n.list[NAMES_ENGINES][0].row_split);
    acc_names_free(&n);
    cr_assert_neq(acc_names_parse("engines = ( { match = \"a\"; id = \"x\"; split = \"rows\"; } );", "t.cfg", &n, err,
                                  sizeof err), RT_OK);
    cr_assert(strstr(err, "split") && strstr(err, "layer or row"), "%s", err);
}

/* The serving-only figures are fitted through the serving simulation (fitserve.c).  Two
 * max-load rows of trtllm-cpp (no published host time: its profile's host costs are
 * fitted) state what the simulation gives with 20 us of host work per running sequence
 * on an x86 host; fitted from the prior (0) with only that knob free, the fit finds it
 * again: the objective is 0 there and rises either side, and the search ends within
 * its finest step (x1.06) of it.  A static-batch row is not a serving row, and a
 * profile with published host costs (trtllm-pytorch) is never refitted. */
Test(fit, serving_figures_are_fitted_through_the_simulation)
{
    struct acc_set set;
    parse_rows(&set,
               "pubS,H100 80GB HBM3,1,,Llama 3.1 8B,FP8,FP8,\"max load, infinite request rate; max_batch_size 64\",128,128,"
               "output_throughput_tok_s_total,1000,TensorRT-LLM v0.17,\n"
               "pubS,H100 80GB HBM3,1,,Llama 3.1 8B,FP8,FP8,\"max load, infinite request rate; max_batch_size 256\",512,"
               "256,output_throughput_tok_s_total,1000,TensorRT-LLM v0.17,\n"
               "pubS,H100 80GB HBM3,1,,Llama 3.1 8B,FP8,FP8,static batch=64,128,128,output_throughput_tok_s_total,1000,"
               "TensorRT-LLM v0.17,\n");
    cr_assert_eq(set.n, 3);
    cr_assert(fit_serving_row(&set.rows[0]) && fit_serving_row(&set.rows[1]));
    cr_assert_not(fit_serving_row(&set.rows[2]), "a static batch is not a serving row");
    const struct rt_engine *cpp = catalog_engine(cat(), "trtllm-cpp");
    cr_assert(fit_host_fitted(cpp), "trtllm-cpp has no published host time");
    struct rt_engine truth;
    fit_prior(cpp, &truth);
    cr_assert_eq(truth.host_seq_s[RT_HOST_X86], 0, "a fitted host cost starts at 0");
    truth.host_seq_s[RT_HOST_X86] = 20e-6;
    for (int i = 0; i < 2; i++) {
        double p;
        cr_assert_eq(fit_replay_row(&set.rows[i], &truth, &p, NULL), RT_OK);
        set.rows[i].value = p;
    }
    struct rt_engine e;
    fit_prior(cpp, &e);
    double obj = -1;
    cr_assert_eq(fit_serving(cat(), &set, "trtllm-cpp", NULL, 1u << FK_HOST_SEQ, &e, &obj), 2);
    cr_assert(fabs(e.host_seq_s[RT_HOST_X86] / 20e-6 - 1) < 0.06, "%g", e.host_seq_s[RT_HOST_X86]);
    cr_assert(obj >= 0 && obj < 0.01, "%g", obj);
    cr_assert_eq(e.host_step_s[RT_HOST_X86], 0, "a knob outside the mask stays");
    cr_assert_eq(e.host_seq_s[RT_HOST_GRACE], 0);
    /* published host costs: not refitted, kept by the prior */
    const struct rt_engine *py = catalog_engine(cat(), "trtllm-pytorch");
    cr_assert_not(fit_host_fitted(py));
    struct rt_engine pe;
    fit_prior(py, &pe);
    cr_assert_eq(pe.host_seq_s[RT_HOST_GRACE], py->host_seq_s[RT_HOST_GRACE]);
    cr_assert(pe.host_seq_s[RT_HOST_GRACE] > 0);
    cr_assert_eq(fit_serving(cat(), &set, "trtllm-pytorch", NULL, FIT_SERVING, &pe, NULL), 0);
    cr_assert_eq(pe.host_seq_s[RT_HOST_X86], py->host_seq_s[RT_HOST_X86]);
    accuracy_free(&set);
}

/* Which rows inform the fits (fit.h fit_row_bar, doc/method.md "Which rows inform which
 * figure").  Four trtllm-cpp rows: a static batch and a max-load run on an H100 (NVIDIA
 * datacenter: the engine has a fixed-batch row there, so the max-load row informs), a
 * max-load run on an MI300X (AMD: no fixed-batch row of the engine there, barred), and a
 * copy of the H100 max-load row with its experts split over 8 devices (barred).  The
 * barred rows are given absurd values (10x and 1/10 of the measured one): a fit that let
 * them in would move, so the fit with all four rows must equal the fit with only the two
 * that inform, knob for knob. */
Test(fit, a_row_informs_only_where_its_mechanisms_are_measured)
{
    struct acc_set set;
    parse_rows(&set,
               "pubB,H100 80GB HBM3,1,,Llama 3.1 8B,FP8,FP8,static batch=64,128,128,output_throughput_tok_s_total,2000,"
               "TensorRT-LLM v0.17,\n"
               "pubB,H100 80GB HBM3,1,,Llama 3.1 8B,FP8,FP8,\"max load, infinite request rate; max_batch_size 256\",128,"
               "128,output_throughput_tok_s_total,9000,TensorRT-LLM v0.17,\n"
               "pubB,MI300X,1,,Llama 3.1 8B,FP8,FP8,\"max load, infinite request rate; max_batch_size 256\",128,128,"
               "output_throughput_tok_s_total,900,TensorRT-LLM v0.17,\n"
               "pubB,H100 80GB HBM3,1,,Llama 3.1 8B,FP8,FP8,\"max load, infinite request rate; max_batch_size 256\",128,"
               "128,output_throughput_tok_s_total,90000,TensorRT-LLM v0.17,\n");
    cr_assert_eq(set.n, 4);
    for (size_t i = 0; i < 4; i++)
        cr_assert(set.rows[i].rs && !set.rows[i].skip, "row %zu replays: %s", i, set.rows[i].skip);
    set.rows[3].ep = 8;
    unsigned fams = fit_fixed_batch_families(&set, "trtllm-cpp");
    cr_assert_eq(fams, 1u << RT_FAM_NVIDIA_DC, "only the H100 static batch is a fixed-batch row: %#x", fams);
    cr_assert_eq(fit_row_bar(&set.rows[0], fams), FIT_INFORMS);
    cr_assert_eq(fit_row_bar(&set.rows[1], fams), FIT_INFORMS, "a max-load row on a family measured at fixed batch");
    cr_assert_eq(fit_row_bar(&set.rows[2], fams), FIT_BAR_FAMILY);
    cr_assert_eq(fit_row_bar(&set.rows[3], fams), FIT_BAR_EP);
    cr_assert_eq(fit_row_bar(&set.rows[2], fams | 1u << RT_FAM_AMD), FIT_INFORMS, "with a fixed-batch AMD row it would");
    const struct rt_engine *cpp = catalog_engine(cat(), "trtllm-cpp");
    struct rt_engine all, two;
    fit_prior(cpp, &all);
    fit_prior(cpp, &two);
    bool use[4] = { true, true, false, false };
    cr_assert_eq(fit_engine(cat(), &set, "trtllm-cpp", NULL, FIT_DEFAULT, &all, NULL), 2);
    cr_assert_eq(fit_engine(cat(), &set, "trtllm-cpp", use, FIT_DEFAULT, &two, NULL), 2);
    for (int k = 0; k < FK_N; k++)
        cr_assert_eq(*fit_knob(&all, k), *fit_knob(&two, k), "%s", fit_knob_info(k)->name);
    cr_assert_eq(fit_serving(cat(), &set, "trtllm-cpp", NULL, FIT_SERVING, &all, NULL), 1, "only the H100 max-load row");
    accuracy_free(&set);
}

/* A llama.cpp build of August 2023 on Metal (names.cfg "llama.cpp build 1026"): its prompt
 * passes reach 0.40 of the ALU rate (PR #2615's profile) and its F16 mat-vec kernel streams
 * at 0.627 of the attainable bandwidth (PR #2891's master column), in place of the profile's
 * efficiencies; on a CUDA device the two fields change nothing.  By hand, Llama 2 7B (32
 * layers, d 4096, FFN 11008, vocab 32000): the layers hold 32 x (4 x 4096^2 + 3 x 4096 x
 * 11008) = 6.476e9 weights, the LM head 0.131e9.
 *  - pp512 on a 24-core M1 Max: 10.4 x 24/32 = 7.8 TFLOPS x 0.40 = 3.12 TFLOPS; 2 x 6.476e9
 *    FLOP per token (the LM head runs on the last token only) -> 512 x 12.952e9 / 3.12e12 =
 *    2.125 s, 240.9 tok/s; attention at 512 tokens adds ~1%, hence the 3% tolerance.
 *  - F16 decode: (6.476 + 0.131)e9 x 2 B = 13.214e9 B per token at 0.627 x 317.6 GB/s =
 *    199.1 GB/s -> 66.36 ms, 15.07 tok/s; the KV cache of <= 128 tokens adds < 1%.
 * The engine has its step, layer and first-pass costs zeroed so that only these terms remain. */
Test(loader, metal_build_of_august_2023_runs_its_own_kernels)
{
    char err[256];
    struct acc_set set;
    parse_rows(&set,
               "s,Apple M1 Max 24-core GPU 32GB,1,,Llama 2 7B,F16,F16,1,,,pp_tok_s,213.14,llama.cpp build 1026 (c63bb1d),\n"
               "s,Apple M1 Max 24-core GPU 32GB,1,,Llama 2 7B,F16,F16,1,,,tg_tok_s,13.83,llama.cpp build 1026 (c63bb1d),\n"
               "s,RTX 3090 24GB,1,,Llama 2 7B,F16,F16,1,512,,pp_tok_s,3075,llama.cpp build 1026 (c63bb1d),\n"
               "s,RTX 3090 24GB,1,,Llama 2 7B,F16,F16,1,512,,pp_tok_s,3075,llama.cpp (Dec 2023 snapshot),\n");
    cr_assert_eq(set.n, 4);
    for (size_t i = 0; i < set.n; i++)
        cr_assert_null(set.rows[i].skip, "row %zu: %s", i, set.rows[i].skip);
    assert_rel(set.rows[0].metal_alu_share, 0.40, 1e-12, "%g", set.rows[0].metal_alu_share);
    assert_rel(set.rows[0].metal_f16_bw_share, 0.627, 1e-12, "%g", set.rows[0].metal_f16_bw_share);
    struct rt_engine e = *catalog_engine(cat(), "llama.cpp");
    e.step_overhead_s = e.layer_overhead_s = e.stage_overhead_s = e.first_pass_s = 0;
    double p, l, h, q;
    cr_assert_eq(accuracy_predict(cat(), &set.rows[0], &e, &p, &l, &h), RT_OK);
    assert_rel(p, 240.9, 0.03, "pp512 at 0.40 of 7.8 TFLOPS: %g tok/s", p);
    cr_assert_eq(accuracy_predict(cat(), &set.rows[1], &e, &p, &l, &h), RT_OK);
    assert_rel(p, 15.07, 0.02, "F16 decode at 0.627 of 317.6 GB/s: %g tok/s", p);
    cr_assert_eq(accuracy_predict(cat(), &set.rows[2], &e, &p, &l, &h), RT_OK);
    cr_assert_eq(accuracy_predict(cat(), &set.rows[3], &e, &q, &l, &h), RT_OK);
    assert_rel(p, q, 1e-12, "not an Apple GPU: the profile's rates (%g against %g)", p, q);
    accuracy_free(&set);
    /* the fields are shares: 0 to 1 */
    struct acc_names n;
    cr_assert_neq(acc_names_parse("engines = ( { match = \"a\"; id = \"x\"; metal_alu_share = 1.5; } );", "t.cfg", &n,
                                  err, sizeof err), RT_OK);
    cr_assert(strstr(err, "metal_alu_share"), "%s", err);
}

/* A prefill row that states no prompt length replays its build's runs' prompt (names.cfg
 * `prompt`), else llama-bench's pp 512: XiongjieDai's Dec 2023 cells are ./main runs whose
 * notebooks log "prompt eval time = ... / 494 tokens" with n_ctx = n_batch = 512, the
 * August 2023 Metal build's "/ 265 tokens"; a May 2024 llama-bench cell is pp 512; a stated
 * length wins; a decode row has no prompt.  The field is a count: -1 is refused. */
Test(loader, a_build_replays_its_runs_prompt_length)
{
    char err[256];
    struct acc_set set;
    parse_rows(&set,
               "s,RTX 3090 24GB,1,,Llama 2 7B,F16,F16,1,,,pp_tok_s,3075,llama.cpp (Dec 2023 snapshot),\n"
               "s,RTX 3090 24GB,1,,Llama 2 7B,F16,F16,1,300,,pp_tok_s,3075,llama.cpp (Dec 2023 snapshot),\n"
               "s,Apple M1 Max 24-core GPU 32GB,1,,Llama 2 7B,F16,F16,1,,,pp_tok_s,213.14,llama.cpp build 1026 (c63bb1d),\n"
               "s,RTX 3090 24GB,1,,Meta-Llama-3-8B,F16,F16,1,,,pp_tok_s,4444.65,llama.cpp (May 2024 snapshot),\n"
               "s,RTX 3090 24GB,1,,Llama 2 7B,F16,F16,1,,,tg_tok_s,51.85,llama.cpp (Dec 2023 snapshot),\n");
    cr_assert_eq(set.n, 5);
    const int64_t want[5] = { 494, 300, 265, 512, 0 };
    for (size_t i = 0; i < set.n; i++) {
        cr_assert_null(set.rows[i].skip, "row %zu: %s", i, set.rows[i].skip);
        cr_assert_eq(set.rows[i].prompt, want[i], "row %zu: prompt %lld", i, (long long)set.rows[i].prompt);
    }
    cr_assert_eq(set.rows[0].rs->s.prompt, 494, "the scenario replays the logged prompt");
    accuracy_free(&set);
    struct acc_names n;
    cr_assert_neq(acc_names_parse("engines = ( { match = \"a\"; id = \"x\"; prompt = -1; } );", "t.cfg", &n, err,
                                  sizeof err), RT_OK);
    cr_assert(strstr(err, "prompt"), "%s", err);
}

/* A December 2023 ./main cell times its process's first large batch (names.cfg
 * first_pass): the replay adds the profile's first_pass_s to that prompt pass and to
 * nothing else.  By hand: with 50 ms, 494 / p1 = 494 / p0 + 0.050 s, where p0 is the
 * replay without it; the band's ends move the same way (scaled by their ratio to the
 * time); a May 2024 llama-bench cell and a decode cell do not change.  The fit finds a
 * planted 40 ms again from the Dec 2023 prompt cells alone (objective 0 there), within
 * its finest step (x1.06). */
Test(fit, a_first_prompt_pass_pays_the_first_pass_cost)
{
    char err[256];
    struct acc_set set;
    parse_rows(&set,
               "s,RTX 3090 24GB,1,,Llama 2 7B,F16,F16,1,,,pp_tok_s,3075.37,llama.cpp (Dec 2023 snapshot),\n"
               "s,RTX 3090 24GB,1,,Llama 2 13B,Q4_0,F16,1,,,pp_tok_s,1634.61,llama.cpp (Dec 2023 snapshot),\n"
               "s,RTX 3090 24GB,1,,LLaMA (v1) 30B,Q4_0,F16,1,,,pp_tok_s,773.49,llama.cpp (Dec 2023 snapshot),\n"
               "s,RTX 3090 24GB,1,,Meta-Llama-3-8B,F16,F16,1,512,0,pp_tok_s,4444.65,llama.cpp (May 2024 snapshot),\n"
               "s,RTX 3090 24GB,1,,Llama 2 7B,F16,F16,1,,,tg_tok_s,51.85,llama.cpp (Dec 2023 snapshot),\n");
    cr_assert_eq(set.n, 5);
    for (size_t i = 0; i < set.n; i++)
        cr_assert_null(set.rows[i].skip, "row %zu: %s", i, set.rows[i].skip);
    cr_assert(set.rows[0].first_pass && set.rows[4].first_pass);
    cr_assert_not(set.rows[3].first_pass, "a llama-bench build is not flagged");
    struct rt_engine e0 = *catalog_engine(cat(), "llama.cpp"), e1 = e0;
    e0.first_pass_s = 0;
    e1.first_pass_s = 0.050;
    double p0, l0, h0, p1, l1, h1;
    cr_assert_eq(accuracy_predict(cat(), &set.rows[0], &e0, &p0, &l0, &h0), RT_OK);
    cr_assert_eq(accuracy_predict(cat(), &set.rows[0], &e1, &p1, &l1, &h1), RT_OK);
    assert_rel(494 / p1, 494 / p0 + 0.050, 1e-9, "%g s against %g s + 50 ms", 494 / p1, 494 / p0);
    assert_rel(494 / l1 - 494 / l0, 0.050 * (p0 / l0), 1e-9, "band's slow end");
    for (int i = 3; i < 5; i++) {
        cr_assert_eq(accuracy_predict(cat(), &set.rows[i], &e0, &p0, &l0, &h0), RT_OK);
        cr_assert_eq(accuracy_predict(cat(), &set.rows[i], &e1, &p1, &l1, &h1), RT_OK);
        assert_rel(p1, p0, 1e-12, "row %d: %g against %g", i, p1, p0);
    }
    /* the fit finds a planted 40 ms from the three prompt cells */
    struct rt_engine truth = e0;
    truth.first_pass_s = 0.040;
    for (int i = 0; i < 3; i++)
        cr_assert_eq(accuracy_predict(cat(), &set.rows[i], &truth, &set.rows[i].value, &l0, &h0), RT_OK);
    set.rows[3].skip = set.rows[4].skip = "not this test's";
    struct rt_engine e = e0;
    double obj = -1;
    cr_assert_eq(fit_engine(cat(), &set, "llama.cpp", NULL, 1u << FK_FIRST_PASS, &e, &obj), 3);
    cr_assert(fabs(e.first_pass_s / 0.040 - 1) < 0.06, "%g", e.first_pass_s);
    cr_assert(obj >= 0 && obj < 0.01, "%g", obj);
    accuracy_free(&set);
    /* the flag is a boolean */
    struct acc_names n;
    cr_assert_neq(acc_names_parse("engines = ( { match = \"a\"; id = \"x\"; first_pass = 3; } );", "t.cfg", &n,
                                  err, sizeof err), RT_OK);
    cr_assert(strstr(err, "first_pass"), "%s", err);
}

/* The first-pass cost's prior is measured, not 0: llama.cpp's batched-bench on a V100 (PR
 * #3816, 2023-10-27) timed the same 512-token pass 0.174 s first and 0.164 / 0.159 / 0.160 s
 * after (+14 ms over their median), and in a second process 0.173 s against 0.163 / 0.162 s
 * (+10.5 ms over their mean): 12.25 ms, their mean.  The prior profile of a cross-validation
 * starts from it, and a fit without a row that pays it (its publication left out: here a May
 * 2024 llama-bench cell, not flagged) keeps it, so a Dec 2023 prompt cell pays it left out too;
 * with the flagged cells in, the fit still moves it (a_first_prompt_pass_pays_the_first_pass_cost). */
Test(fit, the_first_pass_prior_is_its_measurement)
{
    const struct rt_engine *base = catalog_engine(cat(), "llama.cpp");
    double v100 = ((0.174 - 0.160) + (0.173 - (0.163 + 0.162) / 2)) / 2;
    assert_rel(fit_knob_info(FK_FIRST_PASS)->prior, v100, 1e-9, "%g s", fit_knob_info(FK_FIRST_PASS)->prior);
    cr_assert_neq(FIT_DEFAULT & (1u << FK_FIRST_PASS), 0u, "fitted where its rows are");
    struct rt_engine e;
    fit_prior(base, &e);
    assert_rel(e.first_pass_s, v100, 1e-12, "the prior profile: %g s", e.first_pass_s);
    char text[1024], err[256];
    snprintf(text, sizeof text,
             "%s"
             "s,RTX 3090 24GB,1,,Meta-Llama-3-8B,F16,F16,1,512,0,pp_tok_s,4444.65,llama.cpp (May 2024 snapshot),\n",
             header);
    struct acc_set set;
    cr_assert_eq(accuracy_parse(cat(), text, "t.csv", &set, err, sizeof err), RT_OK, "%s", err);
    cr_assert_not(set.rows[0].first_pass);
    cr_assert_eq(fit_engine(cat(), &set, "llama.cpp", NULL, FIT_DEFAULT, &e, NULL), 1);
    assert_rel(e.first_pass_s, v100, 1e-12, "no row pays it: %g s", e.first_pass_s);
    accuracy_free(&set);
}

/* The base compute efficiency and a family's factor act only as their product, so prompt
 * rows of several device families cannot tell the base apart (fit.c): it is held at the
 * fit's prior, 0.6, and each family's factor carries its own share.  Planted: GeForce
 * 0.8, NVIDIA datacenter 0.55, Apple 1.2 of the prior's 0.6; the fit finds them again
 * within its finest step (x1.02) and leaves the base at 0.6 exactly.  With one family
 * left out, the two others hold the base, so the left-out family is predicted at the
 * prior's compute efficiency, whatever the others measure: the prior profile's prompt
 * time to the last bit.  With the factors held (make fit's ablation) or rows of one
 * family only, the base is the one figure left and moves. */
Test(fit, the_compute_base_is_held_where_several_families_have_factors)
{
    struct acc_set set;
    parse_rows(&set,
               "s,RTX 3090 24GB,1,,Meta-Llama-3-8B,F16,F16,1,512,0,pp_tok_s,1,llama.cpp (May 2024 snapshot),\n"
               "s,A100 80GB PCIe,1,,Meta-Llama-3-8B,F16,F16,1,512,0,pp_tok_s,1,llama.cpp (May 2024 snapshot),\n"
               "s,Apple M2 Ultra (60-core GPU),1,800,Meta-Llama-3-8B,F16,F16,1,512,0,pp_tok_s,1,llama.cpp (May 2024 snapshot),\n");
    cr_assert_eq(set.n, 3);
    static const int fam[3] = { RT_FAM_NVIDIA_CONSUMER, RT_FAM_NVIDIA_DC, RT_FAM_APPLE };
    static const double planted[3] = { 0.8, 0.55, 1.2 };
    struct rt_engine prior, truth;
    fit_prior(catalog_engine(cat(), "llama.cpp"), &prior);
    assert_rel(prior.mfu, 0.6, 1e-12, "the fit's prior %g", prior.mfu);
    truth = prior;
    double lo, hi, at_prior[3];
    for (int i = 0; i < 3; i++) {
        cr_assert_null(set.rows[i].skip, "row %d: %s", i, set.rows[i].skip);
        cr_assert_eq(set.rows[i].family, fam[i]);
        truth.mfu_family[fam[i]] = planted[i];
        cr_assert_eq(accuracy_predict(cat(), &set.rows[i], &prior, &at_prior[i], &lo, &hi), RT_OK);
    }
    for (int i = 0; i < 3; i++)
        cr_assert_eq(accuracy_predict(cat(), &set.rows[i], &truth, &set.rows[i].value, &lo, &hi), RT_OK);
    unsigned compute = 1u << FK_MFU | FIT_MFU_FAMILIES;
    struct rt_engine e = prior;
    cr_assert_eq(fit_engine(cat(), &set, "llama.cpp", NULL, compute, &e, NULL), 3);
    cr_assert_eq(e.mfu, prior.mfu, "the base is held: %g", e.mfu);
    for (int i = 0; i < 3; i++)
        cr_assert(fabs(e.mfu_family[fam[i]] / planted[i] - 1) < 0.03, "family %d: %g against %g", fam[i],
                  e.mfu_family[fam[i]], planted[i]);
    cr_assert_eq(e.mfu_family[RT_FAM_AMD], 1.0, "no AMD row: its factor stays 1");
    /* each family left out: predicted at the prior's efficiency */
    double pred[3], plo[3], phi[3];
    cr_assert_eq(accuracy_cv(cat(), &set, CV_FAMILY, compute, pred, plo, phi, NULL), RT_OK);
    for (int i = 0; i < 3; i++)
        assert_rel(pred[i], at_prior[i], 1e-12, "row %d left out: %g against the prior's %g", i, pred[i], at_prior[i]);
    /* the factors held: the base alone fits them all, away from the prior */
    e = prior;
    cr_assert_eq(fit_engine(cat(), &set, "llama.cpp", NULL, 1u << FK_MFU, &e, NULL), 3);
    cr_assert(fabs(e.mfu / prior.mfu - 1) > 0.05, "the base moves: %g", e.mfu);
    /* one family: the base is free and carries it (0.8 x 0.6 = 0.48) */
    bool use[3] = { true, false, false };
    e = prior;
    cr_assert_eq(fit_engine(cat(), &set, "llama.cpp", use, compute, &e, NULL), 1);
    cr_assert(fabs(e.mfu / prior.mfu - 1) > 0.05, "the base moves: %g", e.mfu);
    double product = e.mfu * e.mfu_family[RT_FAM_NVIDIA_CONSUMER];
    cr_assert(fabs(product / 0.48 - 1) < 0.03, "GeForce's share %g against 0.48", product);
    accuracy_free(&set);
}

/* ---- batched first-token latency as the benchmark ran it (ttftloop.c) ---- */

static double const_step(void *ctx, double pt, double pc, double ds, double dc)
{
    (void)pt, (void)pc, (void)ds, (void)dc;
    return *(const double *)ctx;
}

/* A closed loop where only k of N fit.  Every step takes 1 ms; 4 clients, 2 requests each,
 * prompt 100 and output 10 tokens; the cache holds 2 blocks of 128 tokens (256), and a
 * sequence is admitted on its prompt and first token (101): 2 fit (303 > 256), and their
 * growth to 2 x 110 = 220 stays inside.  t = 0: requests 0 and 1 are admitted, their
 * prefill step makes their first tokens at 1 ms, 9 decode steps end them at 10 ms.
 * Requests 2 and 3 (sent at 0) wait for them: admitted at 10, first token at 11 ms.
 * Clients 0 and 1 send again at 10; those wait for 2 and 3 (done at 20): first token at
 * 21, 11 ms after they were sent; clients 2 and 3 send at 20, first token at 31: 11 ms.
 * Mean: (2 x 1 + 6 x 11) / 8 = 8.5 ms.  With 4 blocks all four run: every request's first
 * token comes 1 ms after it is sent. */
Test(ttftloop, waiting_clients_wait_for_the_running_ones)
{
    double dt = 0.001;
    struct acc_loop p = { "pub", "x", 2, 128, 0, { { "m", 2, 0 } } };
    struct rt_serve_config c = { 0 };
    c.step = const_step;
    c.step_ctx = &dt;
    c.prompt = 100;
    c.output = 10;
    c.kv_grow = true; /* as rt_serve_config_of sets it from the lmdeploy profile's kv_policy */
    acc_loop_config(&c, &p, &p.models[0], 4);
    cr_assert(c.requests == 8 && c.concurrency == 4 && c.kv_grow);
    assert_rel(c.kv_capacity / c.kv_seq, 256.0 / 110, 1e-12, "%g", c.kv_capacity / c.kv_seq);
    struct rt_serve_result r;
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert_eq(r.max_running, 2);
    assert_rel(r.ttft_mean_s, 0.0085, 1e-9, "TTFT %g", r.ttft_mean_s);
    p.models[0].blocks = 4;
    acc_loop_config(&c, &p, &p.models[0], 4);
    cr_assert_eq(rt_serve_sim(&c, &r), RT_OK);
    cr_assert_eq(r.max_running, 4);
    assert_rel(r.ttft_mean_s, 0.001, 1e-9, "TTFT %g", r.ttft_mean_s);
}

/* LMDeploy's static inference table is replayed with its scripts' settings: Llama 2 13B
 * with cache_max_entry_count 500 blocks of 128 tokens; 2048 + 2048 tokens take 32 blocks,
 * so 500 / 32 = 15 of the 64 clients' sequences run at once; every client sends 6
 * requests (384); v0.1.0a1 prefills every waiting prompt before it makes their first
 * tokens (no token budget).  A batch-1 row is a prefill row, not replayed here. */
Test(ttftloop, lmdeploy_rows_take_the_scripts_settings)
{
    struct acc_set set;
    parse_rows(&set,
               "InternLM/lmdeploy:docs/en/benchmark/a100_fp16.md@3e391df,A100-80G,1,,Llama 2 13B,FP16,FP16,"
               "static batch=64; TP1,2048,2048,ttft_ms_mean,190453.0,\"LMDeploy v0.1.0a1 (TurboMind), CUDA 11.8\",\n"
               "InternLM/lmdeploy:docs/en/benchmark/a100_fp16.md@3e391df,A100-80G,1,,Llama 2 13B,FP16,FP16,"
               "static batch=1; TP1,2048,2048,ttft_ms_mean,243.0,\"LMDeploy v0.1.0a1 (TurboMind), CUDA 11.8\",\n");
    cr_assert_eq(set.n, 2);
    const struct acc_loop_model *m = NULL;
    const struct acc_loop *p = acc_loop_of(&set.rows[0], &m);
    cr_assert_not_null(p);
    cr_assert(m->blocks == 500 && m->max_seqs == 128 && p->rounds == 6 && p->block_tokens == 128);
    cr_assert_eq(p->max_tokens, 0, "every waiting prompt prefilled before the first tokens");
    cr_assert_null(acc_loop_of(&set.rows[1], NULL));
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    double e[2];
    cr_assert_eq(accuracy_ttft_loop(cat(), &set, false, e, 2, f), 1);
    fclose(f);
    cr_assert(strstr(out, "64 clients") && strstr(out, "15 fit"), "%s", out);
    free(out);
    accuracy_free(&set);
}

/* Masked MHA (TensorRT-LLM's generation kernel without XQA) loads a KV head once per query
 * head; the 0.8-0.9 XQA ran only for 128-wide heads with 8 query heads per KV head
 * (attn.c).  By hand, Llama-2-70B (80 layers, 64 query and 8 KV heads of 128) with a
 * 16-bit cache, batch 8, prompt 1024, one output token: the decode step reads each
 * sequence's 1,024 cached tokens and writes the new one, 80 x (2 x 8 x 128 x 2 B) x 8 x
 * 1,025 = 2,686,976,000 B of cache; masked MHA reads it 8 times, 7 x that =
 * 18,808,832,000 B more, on an H200.  The early XQA serves this shape (no change), and on
 * an A100 the repeated loads are not counted. */
Test(fit, masked_mha_reads_a_kv_head_once_per_query_head)
{
    struct rt_group g = { .heads = 232, .kv_heads = 8, .head_dim = 64 }; /* Falcon 180B */
    const struct rt_device *h100 = catalog_device(cat(), "h100-sxm"), *a100 = catalog_device(cat(), "a100-sxm-80g");
    cr_assert_eq(rt_attn_kv_reads(RT_AK_XQA_H128G8, &g, h100), 29, "64-wide heads: masked MHA");
    cr_assert_eq(rt_attn_kv_reads(RT_AK_XQA, &g, h100), 1);
    cr_assert_eq(rt_attn_kv_reads(RT_AK_MMHA, &g, a100), 1, "an A100's L2 serves the repeated loads");
    g = (struct rt_group){ .heads = 32, .kv_heads = 8, .head_dim = 128 }; /* Mistral 7B */
    cr_assert_eq(rt_attn_kv_reads(RT_AK_XQA_H128G8, &g, h100), 4);
    g = (struct rt_group){ .heads = 64, .kv_heads = 8, .head_dim = 128 }; /* Llama-2-70B */
    cr_assert_eq(rt_attn_kv_reads(RT_AK_XQA_H128G8, &g, h100), 1);
    g = (struct rt_group){ .heads = 32, .kv_heads = 32, .head_dim = 128 }; /* multi-head */
    cr_assert_eq(rt_attn_kv_reads(RT_AK_MMHA, &g, h100), 1);
    double bytes[3];
    static const struct { const char *gpu; int kernel; } runs[3] = {
        { "h200", RT_AK_XQA }, { "h200", RT_AK_MMHA }, { "h200", RT_AK_XQA_H128G8 },
    };
    for (int i = 0; i < 3; i++) {
        struct rt_resolved *rs = scen("llama-2-70b", runs[i].gpu, "fp8", 1, 8, 1024, 1, "trtllm-cpp");
        struct rt_scenario s = rs->s;
        s.kv = catalog_format(cat(), "fp16");
        struct rt_engine e = *s.engine;
        e.attn_kernel = runs[i].kernel;
        s.engine = &e;
        struct rt_result r;
        char err[256];
        cr_assert_eq(rt_estimate(&s, &r, err, sizeof err), RT_OK, "%s", err);
        bytes[i] = r.decode.bytes;
    }
    cr_assert(fabs((bytes[1] - bytes[0]) / 18808832000.0 - 1) < 1e-9, "%.17g", bytes[1] - bytes[0]);
    cr_assert_eq(bytes[2], bytes[0]);
    struct rt_resolved *rs = scen("llama-2-70b", "a100-sxm-80g", "fp16", 2, 8, 1024, 1, "trtllm-cpp");
    struct rt_scenario s = rs->s;
    struct rt_result a, b;
    char err[256];
    cr_assert_eq(rt_estimate(&s, &a, err, sizeof err), RT_OK, "%s", err);
    struct rt_engine e = *s.engine;
    e.attn_kernel = RT_AK_MMHA;
    s.engine = &e;
    cr_assert_eq(rt_estimate(&s, &b, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(a.decode.bytes, b.decode.bytes);
    /* a TensorRT-LLM 0.9.0 row replays with the early XQA; names.cfg rejects an unknown kernel */
    struct acc_set set;
    parse_rows(&set,
               "v9,H100 80GB HBM3,1,,Mistral 7B,FP8,FP8,static batch=64,128,128,"
               "output_throughput_tok_s_per_gpu,1000,\"TensorRT-LLM v0.9.0, gptSessionBenchmark\",\n");
    cr_assert_eq(set.rows[0].attn_build, RT_AK_XQA_H128G8 + 1);
    accuracy_free(&set);
    struct acc_names n;
    cr_assert_neq(acc_names_parse("engines = ( { match = \"a\"; id = \"trtllm\"; attn = \"mmha\"; } );", "t.cfg", &n,
                                  err, sizeof err), RT_OK);
    cr_assert(strstr(err, "attn"), "%s", err);
    /* its "FP8" Mixtral multiplies the routed experts in FP16 (names.cfg moe_experts: FP8 for
     * Mixtral came with 0.10.0), stored in 8 bits; a dense model, or a 0.17 row, keeps FP8 */
    parse_rows(&set,
               "v9,H100 80GB HBM3,2,,Mixtral 8x7B,FP8,FP8,static batch=64,128,128,"
               "output_throughput_tok_s_per_gpu,1000,\"TensorRT-LLM v0.9.0, gptSessionBenchmark\",\n"
               "v9,H100 80GB HBM3,1,,Mistral 7B,FP8,FP8,static batch=64,128,128,"
               "output_throughput_tok_s_per_gpu,1000,\"TensorRT-LLM v0.9.0, gptSessionBenchmark\",\n"
               "v17,H100 80GB HBM3,2,,Mixtral 8x7B,FP8,FP8,static batch=64,128,128,"
               "output_throughput_tok_s_per_gpu,1000,TensorRT-LLM v0.17,\n");
    cr_assert_eq(set.rows[0].weights.expert_compute, RT_FP16 + 1);
    cr_assert_eq(set.rows[0].weights.bits, 8.0);
    cr_assert_eq(set.rows[1].weights.expert_compute, 0);
    cr_assert_eq(set.rows[2].weights.expert_compute, 0);
    accuracy_free(&set);
    cr_assert_neq(acc_names_parse("engines = ( { match = \"a\"; id = \"trtllm\"; moe_experts = \"fp8\"; } );", "t.cfg",
                                  &n, err, sizeof err), RT_OK);
    cr_assert(strstr(err, "moe_experts"), "%s", err);
}

/* vLLM's ROCm builds run their own kernels: a run of one replays with its own profile,
 * vllm-rocm, whose efficiencies are vLLM's priors (no published figure: engines.cfg), so that
 * its rows neither move nor take the CUDA builds' fitted figures; a CUDA build keeps vllm. */
Test(names, rocm_builds_have_their_own_profile)
{
    struct acc_set set;
    parse_rows(&set,
               "r,AMD Instinct MI300X 192GB,1,,Llama 3.3 70B Instruct,FP8,FP8,\"max load, closed loop: concurrency 64; "
               "TP1\",922,922,output_throughput_tok_s_per_gpu,1221.6,\"vLLM 0.10.1 on ROCm 7.0 (image rocm/7.0), "
               "asynchronous scheduling (--async-scheduling)\",\n"
               "c,NVIDIA H100 80GB HBM3 (SXM),2,,Llama 3.3 70B Instruct,FP8,FP8,\"max load, closed loop: concurrency 64; "
               "TP2\",922,922,output_throughput_tok_s_per_gpu,1061.5,vLLM 0.10.2 (image vllm/vllm-openai:v0.10.2),\n");
    cr_assert_str_eq(set.rows[0].engine, "vllm-rocm");
    cr_assert_str_eq(set.rows[0].device, "mi300x");
    cr_assert_eq(set.rows[0].concurrency, 64);
    cr_assert_str_eq(set.rows[1].engine, "vllm");
    accuracy_free(&set);
    const struct rt_engine *rocm = catalog_engine(cat(), "vllm-rocm"), *cuda = catalog_engine(cat(), "vllm");
    cr_assert(rocm && cuda);
    cr_assert_eq(rocm->mfu, cuda->mfu);
    cr_assert_eq(rocm->mbu, cuda->mbu);
}

/* NVIDIA's FP4 DeepSeek checkpoints keep the MLA projections in BF16 beside NVFP4 FFN layers
 * (accuracy/names.cfg attn_bits, with its sources): a row naming nvidia/DeepSeek-R1-FP4 or
 * -0528-FP4 replays them at 16 bits, DeepSeek's own checkpoint keeps the row's format; a bad
 * attn_bits is an error naming the key. */
Test(names, a_checkpoint_keeps_its_attention_bits)
{
    char err[256];
    struct acc_set set;
    parse_rows(&set,
               "a,B200,8,,DeepSeek-R1 (nvidia/DeepSeek-R1-FP4),NVFP4,FP16,\"max load, closed loop: concurrency 64\","
               "1024,2048,output_throughput_tok_s_per_gpu,100,TensorRT-LLM (PyTorch backend),\n"
               "b,B200,8,,DeepSeek-R1-0528 (nvidia/DeepSeek-R1-0528-FP4),NVFP4,FP8,\"max load, closed loop: "
               "concurrency 64\",1024,2048,output_throughput_tok_s_per_gpu,100,TensorRT-LLM (PyTorch backend),\n"
               "c,H200,8,,DeepSeek-R1 (deepseek-ai/DeepSeek-R1),FP8,FP16,\"max load, closed loop: concurrency 64\","
               "1024,2048,output_throughput_tok_s_per_gpu,100,TensorRT-LLM (PyTorch backend),\n");
    cr_assert_eq(set.n, 3);
    for (int i = 0; i < 2; i++) {
        cr_assert_str_eq(set.rows[i].model, "deepseek-r1");
        cr_assert_str_eq(set.rows[i].weights.id, "nvfp4");
        cr_assert_eq(set.rows[i].weights.attn_bits, 16.0);
        cr_assert_eq(set.rows[i].weights.bits, 4.5);
    }
    cr_assert_eq(set.rows[2].weights.attn_bits, 0.0);
    cr_assert_eq(rt_attn_bits(&set.rows[2].weights), 8.0);
    accuracy_free(&set);
    struct acc_names n;
    cr_assert_neq(acc_names_parse("models = ( { match = \"a\"; id = \"deepseek-r1\"; attn_bits = -4.0; } );", "t.cfg",
                                  &n, err, sizeof err), RT_OK);
    cr_assert(strstr(err, "attn_bits"), "%s", err);
}

/* NVIDIA's XQA blog (TensorRT-LLM docs/source/blogs/XQA-kernel.md): Llama-70B, FP8, 128 in and
 * 2,048 out, throughput per GPU without and with XQA: one H200 1,227 and 2,941 tok/s (2.4x),
 * eight H200 13,232 and 25,300 (1.9x).  Replayed at the largest batch that fits, masked MHA
 * against XQA, rooftop's speedup stays within 15% of each published one (by hand in
 * doc/method.md: 2.37x and 2.05x): the check any change to the masked-MHA model must keep. */
Test(fit, xqa_speedup_matches_nvidias_h200_measurement)
{
    static const struct { int gpus; double published; } runs[] = { { 1, 2941.0 / 1227.0 }, { 8, 25300.0 / 13232.0 } };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        struct acc_set set;
        parse_rows(&set,
                   "xqa,H200 141GB,%d,,Llama 2 70B,FP8,FP8,\"max load; TP%d\",128,2048,"
                   "output_throughput_tok_s_per_gpu,1000,\"TensorRT-LLM v0.8.0\",\n", runs[i].gpus, runs[i].gpus);
        cr_assert_null(set.rows[0].skip, "%s", set.rows[0].skip);
        double p[2], lo, hi;
        for (int k = 0; k < 2; k++) {
            set.rows[0].attn_build = (k ? RT_AK_MMHA : RT_AK_XQA) + 1;
            cr_assert_eq(accuracy_predict(cat(), &set.rows[0], NULL, &p[k], &lo, &hi), RT_OK);
        }
        double speedup = p[0] / p[1];
        cr_assert(fabs(speedup / runs[i].published - 1) < 0.15, "%d GPUs: %.3fx against %.3fx published", runs[i].gpus,
                  speedup, runs[i].published);
        accuracy_free(&set);
    }
}
