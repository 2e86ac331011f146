/* rank.h - "what fits here": every catalog model at each sensible weight
 * format on the scenario's devices, ranked.
 *
 * The scenario is resolved once; each row swaps the model and the weight
 * format into a copy of the core's rt_scenario and runs rt_estimate, so
 * nothing is parsed or looked up per row and the whole catalog re-ranks within
 * a frame (make bench reports it). */
#ifndef ROOFTOP_RANK_H
#define ROOFTOP_RANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "scenario/spec.h"

/* fit, speed, size (memory per device), context as --sort names them; then the dashboard's
 * other columns: name (model id), weights (most bits first), headroom (most first), ttft
 * (what fits, fastest first). */
enum rank_sort { RANK_BY_FIT, RANK_BY_SPEED, RANK_BY_SIZE, RANK_BY_CONTEXT, RANK_BY_NAME, RANK_BY_WEIGHTS,
                 RANK_BY_HEADROOM, RANK_BY_TTFT, RANK_SORTS };

struct rank_row {
    const struct rt_model *model;   /* points into the catalog */
    const struct rt_format *weights;
    double params_total;
    bool fits;
    bool pages;                     /* unified memory: loads, but past the GPU's usable share */
    bool native;                    /* the format the model ships in (its native_weights) */
    bool offload;                   /* fits only with some weights in host memory (llama.cpp --n-cpu-moe for
                                     * MoE models, else -ngl) */
    int64_t gpu_layers;             /* with offload: layers on the device; -1: all */
    int64_t cpu_moe;                /* with offload of a MoE model: llama.cpp --n-cpu-moe N; 0: none */
    double per_device_bytes, capacity_bytes, headroom_bytes; /* headroom: capacity - needed (< 0: short) */
    double weights_bytes;           /* whole model at this format */
    double decode_tokens_per_s;     /* per sequence, at the scenario's batch */
    double decode_tokens_per_s_total;
    double ttft_s;
    int64_t max_context;            /* per sequence at the scenario's batch, at most the model's
                                     * trained context; 0 if none fits */
};

struct rank_table {
    struct rank_row *rows;
    size_t n, cap;
    struct rt_format *native;       /* per model: its native format where tensor classes differ */
    size_t native_cap;
};

void rank_init(struct rank_table *t);
void rank_free(struct rank_table *t);

/* The weight formats ranked on this scenario's engine and device: GGUF types
 * for llama.cpp and CPUs, else 16-bit, 8-bit (FP8 where the device computes it,
 * else INT8) and 4-bit.  Formats the catalog lacks are left out. */
/* Whether the scenario's engine loads weights in format f: llama.cpp (and any engine on a CPU)
 * GGUF types (Q*, IQ*, and its F32, F16, BF16, MXFP4), the serving engines the others. */
bool rank_format_runs(const struct rt_scenario *s, const struct rt_format *f);
size_t rank_formats(const struct catalog *cat, const struct rt_scenario *base, const struct rt_format **out,
                    size_t max);

/* Fill t (rows reused between calls) and sort it.  Returns RT_OK; a row the
 * core refuses (a model that cannot be split this way) is left out. */
int rank_build(const struct catalog *cat, const struct rt_scenario *base, enum rank_sort by,
               struct rank_table *t);
void rank_sort(struct rank_table *t, enum rank_sort by);
/* The rows in the opposite order (the dashboard's I, as htop's). */
void rank_reverse(struct rank_table *t);
/* "fit", "speed", "size", "context", "name", "weights", "headroom", "ttft"; false for anything else. */
bool rank_sort_parse(const char *s, enum rank_sort *out);
const char *rank_sort_name(enum rank_sort by);

#endif
