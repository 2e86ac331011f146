/* cpuclass.h - CPU compute per core class (doc/method.md, "CPU compute"): what
 * one core issues per cycle at each precision, so that a CPU entry's peaks are
 * cores x sustained all-core clock x operations per core per cycle. */
#ifndef ROOFTOP_CPUCLASS_H
#define ROOFTOP_CPUCLASS_H

#include <stdbool.h>
#include <stddef.h>
#include "core/types.h"

enum rt_cpu_class {
    RT_CPU_NONE,      /* no core class: the entry's own tflops (or none) */
    RT_CPU_AVX2,      /* x86 with two 256-bit FMA pipes (Zen 2/3, Intel client cores) */
    RT_CPU_ZEN4,      /* AVX-512 on two 256-bit FMA pipes, 512-bit ops in two halves (AMD Zen 4) */
    RT_CPU_AVX512,    /* two 512-bit FMA pipes (Xeon Scalable Gold 6000 / Platinum, Zen 5 desktop/server) */
    RT_CPU_AMX,       /* AVX-512 plus AMX tiles, BF16 and INT8 (Sapphire / Emerald Rapids) */
    RT_CPU_AMX_FP16,  /* AMX with FP16 tiles too (Granite Rapids) */
    RT_CPU_NEON,      /* four 128-bit SIMD pipes, dot products and i8mm's SMMLA (Neoverse V1/V2) */
    RT_CPU_NEON2,     /* Armv8.2 with two 128-bit SIMD pipes and dot products (Neoverse N1) */
    RT_CPU_NEON_DOT,  /* four 128-bit SIMD pipes and dot products, no SMMLA rate (Apple performance cores) */
    RT_CPU_N
};

/* Operations one core issues per cycle at precision p (a fused multiply-add is
 * two), the vector units' or the matrix units' where the class has them; 0: the
 * class has no arithmetic at that precision (the data is converted first). */
double rt_cpu_ops_per_cycle(int cls, enum rt_prec p);
/* The vector FMA rate of one core per cycle in FP32: the datapath llama.cpp's CPU
 * kernels issue through (cpuclass.c). */
double rt_cpu_vector_ops(int cls);
const char *rt_cpu_class_name(int cls);
/* The instruction llama.cpp's quantised dot products use on the class (a phrase). */
const char *rt_cpu_class_dot(int cls);
/* Fill the peaks a CPU entry leaves out from its core class: cores x clock x ops/cycle. */
void rt_cpu_fill_peaks(struct rt_device *d);
/* FLOP/s of the vector FMA units of the whole CPU (0 without a core class). */
double rt_cpu_vector_peak(const struct rt_device *d);

/* One line for people: the class, its dot product and cores x clock x FLOP/cycle, or
 * for the repacked int8 GEMMs (gemm) the int8 rate (empty without a core class). */
void rt_cpu_describe(const struct rt_device *d, bool gemm, char *buf, size_t n);

/* The share of the vector FMA rate llama.cpp's CPU GEMMs reach (cpuclass.c: from
 * ggml-org/llama.cpp PR #8908, not a row of the accuracy set). */
#define RT_CPU_KERNEL_SHARE 0.49

/* The share of the SMMLA rate llama.cpp's repacked int8 GEMMs reach on Arm cores with
 * i8mm, per tile kind (cpuclass.c): Q4_0 and Q8_0 4x8 tiles from ggml-org/llama.cpp PR
 * #21916 (Graviton3E), Q4_K 8x8 tiles from PR #27491 (Grace); neither in the accuracy set. */
#define RT_CPU_GEMM_SHARE_Q0 0.206
#define RT_CPU_GEMM_SHARE_QK 0.098

/* Whether llama.cpp repacks the class's quantised weights into int8 matrix-multiply
 * tiles (Arm i8mm: the neon class's Neoverse V1/V2 cores; not neon-dot, whose Apple M1
 * cores have no FEAT_I8MM). */
bool rt_cpu_int8_gemm(int cls);
/* int8 op per core per cycle of the class's matrix-multiply instruction (SMMLA), 0: none. */
double rt_cpu_mmla_ops(int cls);
/* The repacked GEMM's share of that rate for a format's tiles (enum rt_cpu_tiles: Q4_0 and
 * Q8_0's 4x8 tiles; else Q4_K's 8x8). */
double rt_cpu_gemm_share(int tiles);
/* Vector instructions llamafile's tinyBLAS_Q0_AVX issues per 32-weight block of one
 * (weight row, activation column) pair, for a format that issues `row` per block and
 * weight row (formats.cfg tinyblas_row_ops: Q4_0 6, Q8_0 2), tile overheads shared out; 0
 * where the class is not counted (avx2 and avx512-zen4 are) or row is 0. */
double rt_cpu_q0_ops_per_pair(int cls, double row);
/* Q4_0's instructions per block and weight row, the format RT_CPU_KERNEL_SHARE was
 * measured on (cpuclass.c): 2, plus 4 to unpack its 4-bit values. */
#define RT_CPU_SHARE_ROW_OPS 6
/* The share of the vector FMA rate llama.cpp's CPU GEMMs reach on the class for a format
 * of `row` tinyBLAS_Q0 instructions per block row (0: not a tinyBLAS Q0 format):
 * RT_CPU_KERNEL_SHARE, scaled by AVX2 Q4_0's instructions per pair over the class's and
 * format's (cpuclass.c). */
double rt_cpu_kernel_share(int cls, double row);

#endif
