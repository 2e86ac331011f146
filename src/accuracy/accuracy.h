/* accuracy.h - replay measured results (accuracy/measurements.csv's format)
 * through the estimator and report the error per metric class, in sample and
 * cross-validated (fit.h). */
#ifndef ROOFTOP_ACCURACY_H
#define ROOFTOP_ACCURACY_H
#include <stdio.h>
#include "scenario/spec.h"

/* Bounds on an --accuracy file: the published set is about 1,000 rows in 450 KB. */
#define ACC_MAX_BYTES (16u << 20)
/* A measured value (tok/s, ms, s) outside this range is no measurement: the
 * relative error of a prediction against 1e-308 overflows to inf%. */
#define ACC_VALUE_MIN 1e-9
#define ACC_VALUE_MAX 1e15
#define ACC_VALUE_OK(v) ((v) >= ACC_VALUE_MIN && (v) <= ACC_VALUE_MAX)
#define ACC_MAX_ROWS 100000

/* ACC_ITL: the mean inter-token latency of a serving run under load (ms; "itl_ms"), which
 * only the serving simulation replays (itlload.c): its rows carry ACC_SKIP_SERVING. */
enum acc_metric { ACC_TG, ACC_PP, ACC_TTFT, ACC_TPUT_TOTAL, ACC_TPUT_GPU, ACC_TPOT, ACC_ITL };
#define ACC_SKIP_SERVING "inter-token latency under load: replayed through the serving simulation only"
/* A batched first-token latency measured by clients in a closed loop (ttftloop.c) */
#define ACC_SKIP_LOOP "batched first-token latency of a closed loop of clients: replayed through the serving simulation only"
/* The metric classes the replay scores: the enum, each one's name and the goals of the
 * --accuracy headline (median and p90 of |error|, 0: none), one list. */
#define ACC_CLASSES(X)                                                                                       \
    X(ACC_DECODE, "single-stream decode", 0.10, 0.25)                                                       \
    X(ACC_PREFILL, "batch-1 prefill / TTFT", 0.15, 0.35)                                                    \
    X(ACC_THROUGHPUT, "batched throughput", 0.30, 0)                                                        \
    X(ACC_BATCH_TTFT, "batched TTFT", 0, 0)
#define ACC_CLASS_ENUM(id, name, median, p90) id,
enum acc_class { ACC_CLASSES(ACC_CLASS_ENUM) ACC_CLASS_N };
#undef ACC_CLASS_ENUM

struct acc_row {
    int line;
    const char *skip;               /* why the row is not replayed, NULL if it is */
    char source[128];               /* the publication (first column up to '@' or " (") */
    char hardware[96], model_name[96], metric_name[48];
    char device[RT_ID_MAX], model[RT_ID_MAX], engine[RT_ID_MAX], kv[RT_ID_MAX];
    struct rt_format weights;
    double bandwidth, core_scale;   /* stated bandwidth (0: catalog's); binned GPU cores */
    int threads;                    /* a CPU run's stated threads ("(16 threads)"), one per core; 0: all */
    int64_t devices, batch, prompt, output; /* batch 0: as many as fit ("max load") */
    /* as the run set them (the batch column: "TP8 EP8", "concurrency 3072", "max_batch_size
     * 384 per rank", "max_num_tokens 1536"), 0: not stated: expert parallel degree, closed-loop
     * clients, the cap on running sequences over the whole setup (per rank x the EP ranks),
     * the token budget per step */
    int64_t ep, concurrency, max_seqs, max_tokens;
    int64_t prompts;                /* the requests the benchmark sent ("400 prompts"), 0: not stated */
    bool pipeline;                  /* devices split by layers (llama.cpp) */
    int qgemm_build;                /* the build's quantised-GEMM path + 1 (enum rt_qgemm), 0: the profile's */
    int attn_build;                 /* the build's decode-attention kernel + 1 (enum rt_attn_kernel), 0: the profile's */
    int backend_build;              /* the build's compute backend (enum rt_backend), 0 (auto): the device family's */
    double metal_alu_share, metal_f16_bw_share; /* the build's Metal kernels (names.h), 0: the profile's */
    bool first_pass;                /* its prompt timing is a fresh process's first large batch (names.h) */
    bool vk_row_matvec;             /* a 2024 ggml-vulkan build: its mat-vec shader bound by its instructions */
    bool deq_twice;                 /* a CUDA build whose dequantise kernel converted each value twice */
    int moe_pad_block;              /* a build computing its DeepGEMM MoE padding (names.h), 0: none */
    int moe_experts;                /* the build's math for routed experts under FP8 weights (names.h), 0: the format's */
    enum acc_metric metric;
    enum acc_class klass;
    int family;                     /* the device's enum rt_family */
    struct rt_resolved *rs;         /* the resolved scenario (accuracy_row_resolve) */
    double value, predicted, err;
    bool in_band;
};

struct acc_set { struct acc_row *rows; size_t n; };
struct acc_stat { size_t n, in_band; double median, p90, sum_log; };
struct acc_score { struct acc_stat k[ACC_CLASS_N]; };

/* One CSV record (RFC 4180: quoted fields, doubled quotes, newlines inside
 * quotes) from *p into fields pointing into buf; the number of fields, -1 at the end. */
int accuracy_csv_record(const char **p, char **fields, int max, char *buf, size_t buflen);
int accuracy_load(const struct catalog *c, const char *path, struct acc_set *set, char *err, size_t errlen);
/* Parse CSV text already in memory (name for messages). */
int accuracy_parse(const struct catalog *c, const char *text, const char *name, struct acc_set *set,
                   char *err, size_t errlen);
void accuracy_free(struct acc_set *set);
/* Resolve a mapped row's scenario once (sets skip on failure); accuracy_load does it. */
void accuracy_row_resolve(const struct catalog *c, struct acc_row *row);
/* Append a zeroed row (NULL: out of memory). */
struct acc_row *accuracy_add_row(struct acc_set *set);
/* The estimator's figure for a row (engine NULL: the row's own profile). */
int accuracy_predict(const struct catalog *c, const struct acc_row *row, const struct rt_engine *engine,
                     double *pred, double *lo, double *hi);
/* measured/predicted for times (TTFT, TPOT), predicted/measured for rates:
 * above 1 the estimate is fast (optimistic). */
double accuracy_ratio(const struct acc_row *r, double predicted);
/* Score the rows of one engine (NULL: all) with an engine override (NULL: none). */
void accuracy_score(const struct catalog *c, struct acc_set *set, const char *only_engine,
                    const struct rt_engine *engine, struct acc_score *out);
double accuracy_quantile(double *v, size_t n, double q);
const char *accuracy_class_name(int c);
#endif
