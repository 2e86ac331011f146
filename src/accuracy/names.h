/* names.h - the name maps of accuracy/names.cfg (built in): how published
 * measurements and benchmark tools name hardware, models, runtimes and formats,
 * and which catalog ids those are. */
#ifndef ROOFTOP_NAMES_H
#define ROOFTOP_NAMES_H
#include <stdbool.h>
#include <stddef.h>
#include "core/types.h"

enum acc_list { NAMES_DEVICES, NAMES_MODELS, NAMES_ENGINES, NAMES_FORMATS, NAMES_KV, NAMES_N };

struct acc_name {
    char match[96];
    char id[RT_ID_MAX];             /* "" : recognised, not in the catalog */
    int gpu_cores;                  /* devices: cores of the catalog entry's GPU, 0 if not stated */
    double bits;                    /* formats: bits per weight of a format the catalog lacks */
    int klass;                      /* ... and its class (0 16-bit, 1 8-bit, 2 low-bit) */
    bool bits_after;                /* formats: bits are the number after the match */
    double head_bits;               /* formats: bits per weight of the output matrix (lm_head), 0: as bits */
    double attn_bits;               /* models: bits per weight the checkpoint keeps its attention projections
                                     * in, whatever the row's format (NVIDIA's FP4 DeepSeek: 16), 0: the format's */
    int qgemm;                      /* engines: the build's quantised-GEMM path (enum rt_qgemm), -1: the profile's */
    int attn;                       /* engines: the build's decode-attention kernel (enum rt_attn_kernel),
                                     * -1: the profile's */
    int backend;                    /* engines: llama.cpp's compute backend of the build's runs (enum rt_backend),
                                     * 0 (auto): the device family's */
    bool row_split;                 /* engines: the build split each weight matrix by rows over several
                                     * GPUs (llama.cpp before its layer split became the default) */
    /* engines, a build's own Metal kernels (0: the profile's): the share of an Apple GPU's
     * ALU rate its prompt passes reach, and the share of the attainable bandwidth its
     * 16-bit mat-vec kernels stream weights at */
    double metal_alu_share, metal_f16_bw_share;
    /* engines: a build that multiplies a MoE model's routed experts in 16-bit when asked for
     * FP8 weights (that precision + 1, enum rt_prec; 0: the format's) */
    int moe_experts;
    /* engines: the prompt tokens of the build's runs where a prefill row states none (its
     * logs'), 0: llama-bench's 512 */
    int prompt;
    /* engines: the build's prompt timings are of the first large batch of a fresh process
     * (a ./main run after a 2-token warm-up), which pays the engine's first_pass_s */
    bool first_pass;
    /* engines: a 2024 build of ggml-vulkan, whose mat-vec shader its instructions bound
     * (rt_engine vk_row_matvec, kclass.c) */
    bool vk_row_matvec;
    /* engines: a CUDA build of May 2023 to January 2024, whose dequantise kernel converted
     * each legacy-quant value twice (rt_engine deq_twice, kclass.c) */
    bool deq_twice;
    /* engines: a build whose block-FP8 MoE computes every expert's padded DeepGEMM block
     * (rt_engine moe_pad_block, kernels.c): the rows a block holds, 0: none */
    int moe_pad_block;
};

struct acc_names {
    struct acc_name *list[NAMES_N];
    size_t n[NAMES_N];
};

/* The built-in maps (parsed once; the result is shared and never freed). */
const struct acc_names *acc_names_builtin(char *err, size_t errlen);
/* Parse a names file's text (for tests and a user's own file). */
int acc_names_parse(const char *text, const char *name, struct acc_names *out, char *err, size_t errlen);
void acc_names_free(struct acc_names *n);
/* The first entry of a list whose match is a substring of name; NULL if none. */
const struct acc_name *acc_names_find(const struct acc_names *n, enum acc_list l, const char *name);
#endif
