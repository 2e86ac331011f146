/* kclass.h - kernel classes: which peak rate a weight GEMM runs at, by weight
 * format, device family and engine (doc/method.md, "Kernel classes").
 *
 * The class says which of the device's peaks the linear layers use (16-bit
 * tensor cores with FP32 or FP16 accumulation, FP8, FP4, INT8, the CPU's vector
 * or matrix units, Apple's GPU) and what a dequantising path costs on top (a
 * kernel that writes a 16-bit copy of the weights per weight pass, before the GEMM
 * reads it).  How
 * efficiently a kernel of that class runs at a given shape is not here (the
 * engine's mfu/mbu and the shape terms). */
#ifndef ROOFTOP_KCLASS_H
#define ROOFTOP_KCLASS_H

#include "core/core.h"

enum rt_kclass_id {
    RT_KC_TENSOR16,       /* 16-bit tensor cores, FP32 accumulation */
    RT_KC_TENSOR16_ACC16, /* FP16 tensor cores accumulating in FP16 (GeForce: twice the rate) */
    RT_KC_TENSOR8,        /* FP8 tensor cores (weights and activations in FP8) */
    RT_KC_TENSOR4,        /* FP4 tensor cores (Blackwell, CDNA4) */
    RT_KC_WEIGHT_ONLY,    /* weights dequantised inside the GEMM, 16-bit math (Marlin, AWQ/GPTQ, FP4 on Hopper) */
    RT_KC_DEQUANT_GEMM,   /* weights dequantised to a 16-bit copy, then a 16-bit GEMM (llama.cpp's cuBLAS path) */
    RT_KC_MMQ,            /* llama.cpp MMQ: activations quantised to int8, int8 tensor cores */
    RT_KC_MMVQ,           /* llama.cpp's quantised kernels without tensor cores (mat-vec; older builds' dp4a MMQ) */
    RT_KC_METAL,          /* Apple GPU (Metal simdgroup matrices, weights dequantised in the kernel) */
    RT_KC_CPU,            /* CPU vector units: 16/32-bit weights (FP32 FMA after conversion; BF16 dot products) */
    RT_KC_CPU_INT8,       /* CPU, llama.cpp's quantised blocks: int8 dot products (maddubs / VNNI / sdot) */
    RT_KC_CPU_INT8_GEMM,  /* CPU, llama.cpp's repacked int8 GEMMs on Arm i8mm cores (Q4_0, Q4_K: SMMLA tiles) */
    RT_KC_VK_COOPMAT,     /* llama.cpp's Vulkan matrix shaders on cooperative matrices: the 16-bit matrix rate */
    RT_KC_VK_SCALAR,      /* llama.cpp's Vulkan shaders on the vector units (no cooperative matrices; mat-vec) */
    RT_KC_N
};

/* How an engine multiplies integer or block-quantised weights (GGUF, GPTQ/AWQ,
 * INT8) over more than a few tokens: in the GEMM's main loop (weight-only), by a
 * dequantised 16-bit copy and a 16-bit GEMM, or with int8 tensor cores (MMQ). */
#define RT_QGEMMS(X) X(RT_QGEMM_WEIGHT_ONLY, "weight-only") X(RT_QGEMM_DEQUANT, "dequant") X(RT_QGEMM_MMQ, "mmq")
enum rt_qgemm { RT_QGEMMS(RT_ENUM_ID) RT_QGEMM_N };

/* Up to this many tokens per weight pass llama.cpp's CUDA backend multiplies
 * quantised weights with its mat-vec kernels (MMVQ_MAX_BATCH_SIZE = 8,
 * ggml/src/ggml-cuda/mmvq.cuh); above, with MMQ or a dequantised copy and cuBLAS. */
#define RT_KC_GEMV_MAX_TOKENS 8

struct rt_kclass {
    int id;                 /* enum rt_kclass_id */
    double peak;            /* FLOP/s (or OP/s) of one device for the linear layers; 0: none known */
    double copy_bytes;      /* a dequantising kernel writes a copy of this many bytes per weight per weight
                             * pass, which the GEMM then reads (0: none) */
    double bw;              /* bytes/s the device's kernels reach: attainable where measured, else peak */
    double mfu;             /* the share of `peak` the class's kernels reach where the engine's mfu, fitted
                             * to accelerators, does not apply (the CPU classes); 0: the engine's */
    double w_bw;            /* bytes/s at most that the weights stream through the class's kernels where
                             * their ALU work bounds them (Metal's K-quant mat-vec, kclass.c); 0: none */
    double copy_wps;        /* weights/s at most that the dequantising copy kernel converts on one device
                             * where its threads bound it, not the memory (rt_deq_twice_rate); 0: none */
};

/* The bytes/s at which Metal's mat-vec kernels can consume format f's weights on device d
 * when their ALU work bounds them: the FP32 rate over the format's metal_gemv_flop per
 * weight (formats.cfg: Q4_K's 27.86 FP32 FLOP-equivalents from ggml-org/llama.cpp PR
 * #2290's M1 Pro figure, not a row of the accuracy set; kclass.c), before the M3 (0: not
 * bounded: formats without the figure, M3 and later). */
double rt_metal_matvec_cap(const struct rt_device *d, const struct rt_format *f);

/* ggml-vulkan's mat-vec shader as it was before ggml-org/llama.cpp PR #10296 (November 2024): one
 * output row per workgroup of 32 invocations, bound by its instructions; the format's
 * vk_row_matvec_flop (formats.cfg: FP32 FLOP-equivalents per weight, Q4_0's from that PR's own
 * "before" timing on an RTX 4070, not a row of the accuracy set; kclass.c).  Only a build flagged
 * so (the engine's vk_row_matvec: the accuracy replay's builds of 2024) is bounded by it.
 * The bytes/s at which that shader can consume format f's weights on device d (0: not bounded:
 * a format without the figure, a device with no FP32 rate). */
double rt_vk_row_matvec_cap(const struct rt_device *d, const struct rt_format *f);

/* llama.cpp's CUDA dequantise kernel for the legacy quants (dequantize_block) as it was from PR
 * #1453 (May 2023) until PR #4809 (January 2024): one thread per value, each converting two, so
 * every value was read, converted and written twice.  Its cost is counted in SM cycles per
 * weight, the format's deq_twice_cycles (formats.cfg: Q4_0's from ggml-org/llama.cpp PR
 * #2809's V100 profile, not a row of the accuracy set; kclass.c).  Only a build flagged so (the
 * engine's deq_twice: the accuracy replay's builds of that time) pays it.  The weights per
 * second that kernel converts on the scenario's device, SMs x boost clock / cycles per weight
 * (0: not bounded: a build of today, a format without the figure, a device without its SM
 * count or boost clock). */
double rt_deq_twice_rate(const struct rt_scenario *s);

/* The class a weight GEMM of `tokens` tokens per weight pass runs in this scenario. */
void rt_kclass_pick(const struct rt_scenario *s, double tokens, struct rt_kclass *k);
const char *rt_kclass_name(int id);
/* Where the class's rate comes from (a sentence naming public sources). */
const char *rt_kclass_source(int id);
/* The rate llama.cpp's (ggml's: an engine whose qgemm is not weight-only) CPU kernels
 * multiply at: the vector FMA rate of a CPU entry with a core class; 0 otherwise. */
double rt_cpu_kernel_peak(const struct rt_scenario *s);
/* llama.cpp's MMQ epilogue converts each int32 MMA result (one 32-value block of K, 32 MACs =
 * 64 OPs per output) to float before scaling it; conversions run at 16 per SM and clock on
 * compute capability 7.5-9.0 (CUDA C++ Programming Guide, throughput of native arithmetic
 * instructions, "All other type conversions").  kclass.c has the derivation. */
#define RT_MMQ_OPS_PER_CVT 64.0
#define RT_CVT_PER_SM_CLOCK 16.0
/* MMQ's rate on an NVIDIA device: its INT8 tensor rate, capped by those conversions. */
double rt_mmq_peak(const struct rt_device *d);
/* The bandwidth a device's kernels reach: attainable_bw where measured, else the peak. */
double rt_attainable_bw(const struct rt_device *d);
/* The share of its tensor peaks a device sustains in a large matmul: attainable_flops over
 * its 16-bit peak (BF16, else FP16) where measured below it, else 1.  A board held to its
 * power limit lowers the clock of every tensor precision alike, so the one measured share
 * scales them all (kclass.c). */
double rt_tensor_share(const struct rt_device *d);
/* The share of its FP8 peak a device sustains in a large FP8 matmul: attainable_fp8_flops over
 * the FP8 peak where measured (AMD Instinct: hipBLASLt's FP8 runs at a lower clock than its
 * BF16), else rt_tensor_share. */
double rt_tensor_share_fp8(const struct rt_device *d);
/* The FP16 GEMM rate rocBLAS reaches on the scenario's chip (rocblas_flops) where a kernel of
 * class kclass calls it: llama.cpp's HIP backend on AMD (the dequantise-and-GEMM path and
 * 16-bit weights), not its Vulkan shaders nor other engines' kernels; 0: no cap. */
double rt_rocblas_cap(const struct rt_scenario *s, int kclass);
/* The share of the 16-bit rate llama.cpp's Metal matrix kernel reaches on a weight
 * format it dequantises in the kernel, on a GPU that issues the integer and FP work in
 * turn (before Apple's M3): the format's metal_gemm_share (formats.cfg metal_gemm_rate);
 * 1 for 16-bit formats and formats without a published rate. */
double rt_metal_dequant_share(const struct rt_format *f);

#endif
