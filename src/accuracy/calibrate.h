/* calibrate.h - fit a local engine profile to the user's own measurements
 * (--calibrate FILE) and save it in the user's catalog folder.
 *
 * Reads llama-bench's output (-o json, jsonl, csv, md), vLLM's
 * benchmark_serving.py result JSON, SGLang's bench_serving JSONL and rooftop's
 * own measurement CSV (accuracy/measurements.csv's columns). */
#ifndef ROOFTOP_CALIBRATE_H
#define ROOFTOP_CALIBRATE_H
#include <stdio.h>
#include "accuracy/accuracy.h"

enum calib_format { CALIB_UNKNOWN, CALIB_LLAMA_BENCH_JSON, CALIB_LLAMA_BENCH_CSV, CALIB_LLAMA_BENCH_MD,
                    CALIB_SERVING_JSON, CALIB_ROOFTOP_CSV };

struct calib_opts {
    const char *gpu;                /* catalog device id; NULL: from the file (llama-bench's gpu_info) */
    double bandwidth_gbps;          /* the device's memory bandwidth instead of the catalog's, 0: the catalog's */
    const char *model;              /* catalog model id; NULL: from the file */
    const char *weights;            /* catalog format id of every run; NULL: from the file (llama-bench's
                                     * model_type; a serving benchmark's run: bf16, --dtype auto) */
    const char *engine;             /* the profile to start from; NULL: the file's runtime
                                     * (llama-bench: llama.cpp; serving JSON: its backend) */
    const char *id;                 /* id of the saved profile; NULL: "local-" and the base's id */
    const char *dir;                /* folder of the saved profiles (calsave.h); NULL: $XDG_CONFIG_HOME/rooftop
                                     * or ~/.config/rooftop (the folder the catalog reads) */
    int64_t devices;                /* devices each run used (0: 1) */
    bool dry_run;                   /* fit and report, save nothing */
};

struct calib_result {
    struct rt_engine before, after; /* the base profile, the fitted one */
    size_t rows, used;              /* rows read, rows replayed */
    double med_before, med_after;   /* median |error| over the replayed rows */
    char saved[4096];               /* the file written, "" if none */
};

const char *calib_format_name(enum calib_format f);
enum calib_format calib_detect(const char *text);
/* Parse the file's runs into rows (the set's rows are resolved against the catalog). */
int calibrate_load(const struct catalog *c, const char *text, const char *name, const struct calib_opts *o,
                   struct acc_set *set, char *err, size_t errlen);
/* Fit, with the device family's factors folded in: the decode speed to the
 * decode rows (the bandwidth efficiency times x, up to 1, and the fixed
 * per-step costs over x: a bandwidth-bound step then takes 1/x of the base's
 * time; with 16-bit and quantised decode rows, the speed to the 16-bit ones
 * and each quantised class's dequantisation factor to its own), then the
 * compute efficiency to the prefill rows; each the value where
 * the median measured/predicted is 1.  The band
 * from the fitted ratios, at least as wide as the base's; its coverage on
 * these runs.  Returns the rows used. */
size_t calibrate_fit(const struct catalog *c, const struct acc_set *set, const struct rt_engine *base,
                     struct rt_engine *out);
int calibrate_run_opts(const struct catalog *c, const char *path, const struct calib_opts *o, FILE *out,
                       struct calib_result *res, char *err, size_t errlen);
/* --calibrate FILE with the defaults: 0 on success. */
int calibrate_run(const struct catalog *c, const char *path, FILE *out, char *err, size_t errlen);
#endif
