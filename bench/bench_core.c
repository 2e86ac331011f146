/* bench_core.c - the estimator's speed: one scenario, a max-batch solve, a full
 * estimate with every solver, a million scenarios, serving 30,000 requests, the SLA
 * solver and re-ranking the catalog ("what fits here").  Each figure is the
 * median of repeated runs, with the spread (min..max). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "scenario/spec.h"
#include "core/core.h"
#include "core/serve.h"
#include "scenario/solver.h"
#include "machine/rank.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static volatile double sink;
#define REPEATS 15

static void report(const char *what, double *v, int n, double scale, const char *unit, const char *target)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("%-44s %10.3f %-3s (%.3f .. %.3f)  target %s\n", what, v[n / 2] * scale, unit, v[0] * scale,
           v[n - 1] * scale, target);
}

int main(void)
{
    struct catalog cat;
    char err[512];
    catalog_init(&cat);
    if (catalog_load_builtin(&cat, err, sizeof err) != RT_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3.1-70b");
    sp.devices = 2;
    sp.batch = 32;
    static struct rt_resolved rs;
    if (spec_resolve(&cat, &sp, &rs, err, sizeof err) != RT_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct rt_params p;
    rt_count_params(rs.s.model, &p);
    double t[REPEATS];

    /* one scenario recomputed: parameters, memory, prefill and decode */
    for (int r = 0; r < REPEATS; r++) {
        int n = 200000;
        double t0 = now();
        for (int i = 0; i < n; i++) {
            struct rt_params pp;
            struct rt_memory m;
            struct rt_phase a, b;
            double x;
            rs.s.batch = 1 + (i & 63);
            rt_count_params(rs.s.model, &pp);
            rt_memory_at(&rs.s, &pp, rs.s.batch, rs.s.prompt, rs.s.prompt + rs.s.output, &m);
            rt_prefill(&rs.s, &pp, &a);
            rt_decode(&rs.s, &pp, &b, &x);
            sink += a.time_s + b.time_s + m.dev_total;
        }
        t[r] = (now() - t0) / n;
    }
    report("one scenario recomputed (core)", t, REPEATS, 1e6, "us", "< 1 us");

    for (int r = 0; r < REPEATS; r++) {
        int n = 20000;
        double t0 = now();
        for (int i = 0; i < n; i++)
            sink += (double)rt_max_batch(&rs.s, &p, 1024 + (i & 255));
        t[r] = (now() - t0) / n;
    }
    report("max-batch solve", t, REPEATS, 1e6, "us", "< 20 us");

    for (int r = 0; r < REPEATS; r++) {
        int n = 20000;
        struct rt_result res;
        double t0 = now();
        for (int i = 0; i < n; i++) {
            rs.s.batch = 1 + (i & 63);
            rt_estimate(&rs.s, &res, err, sizeof err);
            sink += res.tpot_s;
        }
        t[r] = (now() - t0) / n;
    }
    report("full estimate (validation + all solvers)", t, REPEATS, 1e6, "us", "-");

    double t1[5];
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        for (int i = 0; i < 1000000; i++) {
            struct rt_memory m;
            struct rt_phase a, b;
            double x;
            rs.s.batch = 1 + (i & 255);
            rs.s.prompt = 128 + (i & 1023);
            rt_memory_at(&rs.s, &p, rs.s.batch, rs.s.prompt, rs.s.prompt + rs.s.output, &m);
            rt_prefill(&rs.s, &p, &a);
            rt_decode(&rs.s, &p, &b, &x);
            sink += a.time_s + b.time_s + m.dev_total;
        }
        t1[r] = now() - t0;
    }
    report("1,000,000 scenarios through the core", t1, 5, 1, "s", "< 1 s");

    /* "what fits here": the whole catalog at each weight format, estimated and sorted */
    static const char *const engines[] = { "vllm", "llama.cpp" };
    for (int e = 0; e < 2; e++) {
        struct rt_spec rsp = sp;
        snprintf(rsp.engine, sizeof rsp.engine, "%s", engines[e]);
        snprintf(rsp.gpu, sizeof rsp.gpu, "rtx-4090");
        rsp.devices = 1;
        rsp.batch = 1;
        static struct rt_resolved rr;
        if (spec_resolve(&cat, &rsp, &rr, err, sizeof err) != RT_OK) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        struct rank_table rt;
        rank_init(&rt);
        for (int r = 0; r < REPEATS; r++) {
            double t0 = now();
            rank_build(&cat, &rr.s, RANK_BY_FIT, &rt);
            t[r] = now() - t0;
            sink += (double)rt.n;
        }
        char what[80];
        snprintf(what, sizeof what, "re-rank the catalog (%zu rows, %s)", rt.n, engines[e]);
        report(what, t, REPEATS, 1e3, "ms", "< 16 ms");
        rank_free(&rt);
    }

    /* serving: 30,000 requests at 16 requests/s (1024 + 256 tokens, vLLM on one
     * H100), without and with the capacity search */
    static struct rt_resolved sv;
    spec_default(&sp);
    if (spec_resolve(&cat, &sp, &sv, err, sizeof err) != RT_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (int r = 0; r < REPEATS; r++) {
            struct rt_serve_opts o = { .rate = 16, .requests = 30000, .no_capacity = pass == 0 };
            struct rt_serve_result res;
            double t0 = now();
            rt_serve(&sv.s, &o, &res, err, sizeof err);
            t[r] = now() - t0;
            sink += res.ttft_mean_s;
        }
        report(pass == 0 ? "serving 30,000 requests" : "serving 30,000 requests + capacity", t, REPEATS, 1e3, "ms",
               "< 1 s");
    }

    /* the same with the mechanisms of 0.3: lengths drawn (log-normal prompts, uniform
     * outputs), two pipeline stages in flight, host time overlapped (TensorRT-LLM 1.x) */
    snprintf(sp.prompt_dist, sizeof sp.prompt_dist, "lognormal:1");
    snprintf(sp.output_dist, sizeof sp.output_dist, "uniform:0.5");
    snprintf(sp.engine, sizeof sp.engine, "trtllm-pytorch");
    sp.devices = 2;
    sp.pp = 2;
    if (spec_resolve(&cat, &sp, &sv, err, sizeof err) != RT_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (int r = 0; r < REPEATS; r++) {
        struct rt_serve_opts o = { .rate = 16, .requests = 30000, .no_capacity = true };
        struct rt_serve_result res;
        double t0 = now();
        rt_serve(&sv.s, &o, &res, err, sizeof err);
        t[r] = now() - t0;
        sink += res.ttft_mean_s;
    }
    report("serving 30,000 requests, lengths + pp 2 + host", t, REPEATS, 1e3, "ms", "< 50 ms");
    spec_default(&sp);

    /* the SLA solver: Llama 3.1 70B at 4 requests/s, TTFT <= 1 s, ITL <= 50 ms */
    snprintf(sp.model, sizeof sp.model, "llama-3.1-70b");
    if (spec_resolve(&cat, &sp, &sv, err, sizeof err) != RT_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (int r = 0; r < REPEATS; r++) {
        struct rt_solve_opts o = { .rate = 4, .ttft_max = 1.0, .itl_max = 0.05 };
        struct rt_solution out[20];
        double t0 = now();
        sink += (double)rt_solve(&cat, &sv, &o, out, 20, err, sizeof err);
        t[r] = now() - t0;
    }
    report("SLA solver (20 cheapest setups)", t, REPEATS, 1e3, "ms", "< 100 ms");
    catalog_free(&cat);
    return sink < 0;
}
