/* cpuclass.c - CPU compute per core class (cpuclass.h; doc/method.md, "CPU
 * compute").  A CPU's peak at a precision is cores x sustained all-core clock x
 * the operations one core issues per cycle (a fused multiply-add counts two, as
 * for the GPUs).  Pure C, no I/O, no globals.
 *
 * Operations per core per cycle, and where they come from:
 *  avx2: two 256-bit FMA pipes: 2 x 8 FP32 lanes x 2 = 32 FLOP (Intel 64 and IA-32
 *    Architectures Optimization Reference Manual, Skylake client: FMA on ports 0
 *    and 1; AMD Software Optimization Guide for Family 17h/19h: two FMA pipes of
 *    four 256-bit FP pipes).  No FP16 or BF16 arithmetic: F16C converts to FP32.
 *    INT8: VPMADDUBSW (32 u8 x s8 products, pairs added) then VPMADDWD, each at
 *    two per cycle (Agner Fog, instruction tables): 32 multiply-adds = 64 op.
 *  zen4: AVX-512 on the same two 256-bit FMA pipes, a 512-bit operation taking
 *    both halves ("double-pumped": AMD Software Optimization Guide for Family 19h
 *    Zen 4; WikiChip, Zen 4): 32 FP32 FLOP; VDPBF16PS (AVX512_BF16) 64; VPDPBUSD
 *    (AVX512_VNNI) 64 multiply-adds = 128 op.
 *  avx512: two 512-bit FMA pipes (Intel Optimization Reference Manual, Xeon
 *    Scalable Gold 6000 / Platinum: ports 0+1 fused and port 5; AMD Zen 5 desktop
 *    and server: full 512-bit datapath): 64 FP32 FLOP; VPDPBUSD 2 x 64 = 128
 *    multiply-adds = 256 op.
 *  amx: avx512 plus AMX (Sapphire / Emerald Rapids): 1024 BF16 FLOP and 2048 INT8
 *    op per cycle (Intel, "Accelerate AI Workloads with Intel AMX" product brief);
 *    AVX512-FP16 twice the FP32 rate, 128 (Optimization Reference Manual).
 *  amx-fp16: amx with AMX-FP16 tiles (Granite Rapids) at the BF16 rate, 1024.
 *  neon: four 128-bit SIMD pipes with FMA (Arm Neoverse V1 and V2 Software
 *    Optimization Guides: four ASIMD pipes, V1's SVE two 256-bit): 4 x 4 x 2 = 32
 *    FP32 FLOP, 64 FP16 (Armv8.2 FP16 arithmetic), SDOT 4 x 16 = 64 multiply-adds =
 *    128 op; i8mm's SMMLA 256 (below).
 *  neon-dot: the same four pipes, FP16 and SDOT rates without an SMMLA rate: Apple's
 *    performance cores (Apple Silicon CPU Optimization Guide: four SIMD pipes).  The
 *    M1's cores do not implement the int8 matrix-multiply extension: FEAT_I8MM "no"
 *    in the M1's ID registers as read by lelegard/arm-cpusysregs (sysregs -s,
 *    docs/apple-m1-features.md@09f8f57), so llama.cpp does not repack for SMMLA there
 *    and they run the SDOT kernels.  The same file lists FEAT_I8MM on the M2 (sysctl
 *    hw.optional.arm); no issue rate of SMMLA on Apple's cores was found (Arm's
 *    guides give only their own cores'), so M2 and later cores are in this class too,
 *    at the SDOT rate, until one is published.
 *  neon2: two 128-bit SIMD pipes (Neoverse N1 Software Optimization Guide): 16
 *    FP32, 32 FP16, 64 INT8.
 *
 * Which of these llama.cpp's kernels reach (kclass.c): its quantised GEMMs on a
 * CPU unpack each block of 32 weights, multiply with the class's int8 dot
 * product and convert and scale the block's sum in FP32 (ggml-cpu's
 * ggml_vec_dot_q4_0_q8_0 and friends; the llamafile sgemm tiles): a dozen vector
 * instructions per 32 weights of which one or two are the dot product, so they
 * are bound by the vector pipes, not by the dot product's own rate, and run at a
 * share of the vector FMA rate.  That share, RT_CPU_KERNEL_SHARE, is taken from
 * one publication that is not in the accuracy set: ggml-org/llama.cpp PR #8908
 * (August 2024), base commit 7e72aa74, Threadripper PRO 5995WX (Zen 3, avx2, 64
 * cores, 2.7 GHz base), 64 threads, Mistral 7B Q4_0, pp512 189.30 t/s.  Mistral
 * 7B's weight GEMMs are 7.11e9 multiply-adds per token (7.24e9 parameters less
 * the 0.13e9 embedding), 14.22 GFLOP, plus attention over 256 positions on
 * average, 4 x 32 layers x 4096 x 256 = 0.13 GFLOP: 14.35 GFLOP per token;
 * 189.30 x 14.35e9 = 2.717 TFLOP/s of 64 x 2.7e9 x 32 = 5.530 TFLOP/s: 0.49.
 * The clock is the spec sheet's base clock, the all-core clock a vendor
 * guarantees under sustained load; the share absorbs the difference.
 *
 * Which instructions those GEMMs issue differs by class and format.  For Q4_0 and Q8_0
 * weights on x86, llamafile's tinyBLAS_Q0_AVX (ggml's sgemm.cpp, the path mainline
 * llama.cpp takes for prompt GEMMs of these two formats since 2024) multiplies a tile of
 * RM weight rows by RN activation columns, 32 weights at a time.  Per (row, column) pair
 * and block it issues: vpsignb, the int8 dot product (AVX2: vpmaddubsw then vpmaddwd;
 * AVX512-VNNI with VL, Zen 4: one vpdpbusd), vcvtdq2ps, the product of the two FP16
 * scales (vmulss) and its broadcast, one FMA: 7 vector instructions on AVX2, 6 with
 * VNNI.  Per row and block: vpsignb |a| and the scale's vcvtph2ps, 2, plus Q4_0's
 * unpacking (vpsrlw, vinserti128, vpand, vpsubb), 4; per column the activation scale's
 * vcvtph2ps, 1.  The tile is 4 x 2 with 16 vector registers (AVX2) and 4 x 4 with 32
 * (AVX-512 defined: Zen 4) (mnpack in sgemm.cpp).  Per pair, Q4_0 on AVX2 (8 pairs):
 * (8 x 7 + 4 x 6 + 2) / 8 = 10.25, Q8_0 (8 x 7 + 4 x 2 + 2) / 8 = 8.25; on Zen 4 (16
 * pairs): Q4_0 (16 x 6 + 4 x 6 + 4) / 16 = 7.75, Q8_0 (16 x 6 + 4 x 2 + 4) / 16 = 6.75.
 * Zen 3 and Zen 4 both issue 256-bit vector instructions on four FP/vector pipes (AMD
 * Software Optimization Guides for Family 19h), so the kernel's rate goes as the inverse
 * of the instructions per pair: the share RT_CPU_KERNEL_SHARE, measured for Q4_0 on
 * AVX2 (10.25), is scaled by 10.25 over the class's and format's count
 * (rt_cpu_kernel_share).  Other formats and classes keep the share as measured.
 *
 * On Arm cores with the int8 matrix-multiply extension (i8mm, Armv8.6: Neoverse V1 and
 * V2, the neon class) llama.cpp repacks Q4_0 weights (its run-time repacking of late
 * 2024; KleidiAI's kernels alike), Q8_0 (ggml-org/llama.cpp PR #18096, December 2025)
 * and Q4_K (the 8x8 q4_K GEMM of PR #16739) into interleaved tiles multiplied with
 * SMMLA: a 2x8 by 8x2 int8 product, 32 multiply-adds per 128-bit instruction.  Neoverse
 * V1 and V2 issue SMMLA (like SDOT) on any of their four FP/ASIMD pipes, one per pipe
 * and cycle, latency 3 (Arm Neoverse V1 and V2 Software Optimization Guides, as encoded
 * in LLVM's scheduling models llvm/lib/Target/AArch64/AArch64SchedNeoverseV1.td and
 * AArch64SchedNeoverseV2.td: "ASIMD matrix multiply-accumulate" on V1UnitV / V2UnitV,
 * the group of V0-V3): 4 x 32 x 2 = 256 int8 op per core per cycle, twice SDOT's 128.
 * Those GEMMs are bound by the matrix instructions and the per-block FP32 scaling
 * around them, and run at a share of that rate per tile kind:
 *  - Q4_0 / Q8_0, 4x8 tiles with one FP16 scale per 32 weights: RT_CPU_GEMM_SHARE_Q0,
 *    from ggml-org/llama.cpp PR #21916 (April 2026, not in the accuracy set), its NEON
 *    column: Graviton3E (Neoverse V1, 2.6 GHz), ggml_gemm_q8_0_4x8_q8_0, Llama 3.1 8B
 *    Q8_0, 16 threads, 157 t/s prompt processing.  Llama 3.1 8B's decoder GEMMs are 32 x
 *    (2 x 4096^2 + 2 x 4096 x 1024 + 3 x 4096 x 14336) = 6.979e9 multiply-adds per token,
 *    13.96 GFLOP, plus attention over a short prompt (0.03 GFLOP at 128 tokens): 13.99
 *    GFLOP.  157 x 13.99e9 = 2.196 TOP/s of 16 x 2.6e9 x 256 = 10.65 TOP/s: 0.206.  (The
 *    4-thread run, 39.50 t/s, gives 0.208.)
 *  - Q4_K, 8x8 tiles with 6-bit sub-block scales and minimums unpacked per 32 weights:
 *    RT_CPU_GEMM_SHARE_QK, from ggml-org/llama.cpp PR #27491 (August 2026, not in the
 *    accuracy set), its NEON column: NVIDIA Grace (Neoverse V2, 3.08 GHz), 32 threads,
 *    Llama 3.2 3B Q4_K_M, pp128 436.96 t/s.  rooftop counts 725 GFLOP for that 128-token
 *    pass, 5.664 GFLOP per token: 436.96 x 5.664e9 = 2.475 TOP/s of 32 x 3.08e9 x 256 =
 *    25.23 TOP/s: 0.098.  (Its 4-thread run gives 0.14: the share falls as threads are
 *    added.) */
#include <stdio.h>
#include "core/cpuclass.h"

static const struct {
    const char *name, *dot;
    double ops[RT_PREC_N]; /* per core per cycle: fp32 fp16 bf16 fp8 int8 int4 fp4 */
    double mmla;           /* int8 matrix-multiply op per core per cycle (SMMLA), 0: none */
} cls[RT_CPU_N] = {
    [RT_CPU_NONE] = { "", "", { 0 } },
    [RT_CPU_AVX2] = { "avx2", "AVX2 vpmaddubsw", { 32, 0, 0, 0, 64, 0, 0 } },
    [RT_CPU_ZEN4] = { "avx512-zen4", "AVX-512 VNNI vpdpbusd, 2 x 256-bit", { 32, 0, 64, 0, 128, 0, 0 } },
    [RT_CPU_AVX512] = { "avx512", "AVX-512 VNNI vpdpbusd", { 64, 0, 0, 0, 256, 0, 0 } },
    [RT_CPU_AMX] = { "amx", "AVX-512 VNNI vpdpbusd (not AMX)", { 64, 128, 1024, 0, 2048, 0, 0 } },
    [RT_CPU_AMX_FP16] = { "amx-fp16", "AVX-512 VNNI vpdpbusd (not AMX)",
                          { 64, 1024, 1024, 0, 2048, 0, 0 } },
    [RT_CPU_NEON] = { "neon", "NEON sdot", { 32, 64, 0, 0, 128, 0, 0 }, 256 },
    [RT_CPU_NEON2] = { "neon2", "NEON sdot", { 16, 32, 0, 0, 64, 0, 0 } },
    [RT_CPU_NEON_DOT] = { "neon-dot", "NEON sdot", { 32, 64, 0, 0, 128, 0, 0 } },
};

static bool valid(int c) { return c > RT_CPU_NONE && c < RT_CPU_N; }

double rt_cpu_ops_per_cycle(int c, enum rt_prec p)
{
    return valid(c) && (unsigned)p < RT_PREC_N ? cls[c].ops[p] : 0;
}

double rt_cpu_vector_ops(int c) { return rt_cpu_ops_per_cycle(c, RT_FP32); }

const char *rt_cpu_class_name(int c) { return (unsigned)c < RT_CPU_N ? cls[c].name : "?"; }

const char *rt_cpu_class_dot(int c) { return valid(c) ? cls[c].dot : ""; }

void rt_cpu_fill_peaks(struct rt_device *d)
{
    if (!valid(d->cpu_class) || d->cpu_cores <= 0 || d->cpu_hz <= 0)
        return;
    for (int p = 0; p < RT_PREC_N; p++)
        if (d->peak[p] <= 0)
            d->peak[p] = d->cpu_cores * d->cpu_hz * cls[d->cpu_class].ops[p];
}

double rt_cpu_vector_peak(const struct rt_device *d)
{
    return valid(d->cpu_class) ? d->cpu_cores * d->cpu_hz * rt_cpu_vector_ops(d->cpu_class) : 0;
}

void rt_cpu_describe(const struct rt_device *d, bool gemm, char *buf, size_t n)
{
    if (!n)
        return;
    buf[0] = 0;
    if (rt_cpu_vector_peak(d) <= 0)
        return;
    const char *nm = rt_cpu_class_name(d->cpu_class);
    if (gemm) {
        double ops = rt_cpu_mmla_ops(d->cpu_class);
        snprintf(buf, n, "%s, repacked tiles: %.0f cores x %.2f GHz x %.0f int8 op/cycle (smmla; sdot under 4 tokens) = %.3g TOP/s, kernels at %.0f%% (Q4_0, Q8_0) or %.0f%% (Q4_K)",
                 nm, d->cpu_cores, d->cpu_hz / 1e9, ops, d->cpu_cores * d->cpu_hz * ops / 1e12,
                 RT_CPU_GEMM_SHARE_Q0 * 100, RT_CPU_GEMM_SHARE_QK * 100);
        return;
    }
    snprintf(buf, n, "%s, %s: %.0f cores x %.2f GHz x %.0f FLOP/cycle = %.3g TFLOP/s, kernels at %.0f%% x AVX2 Q4_0's instructions per block over theirs", nm,
             rt_cpu_class_dot(d->cpu_class), d->cpu_cores, d->cpu_hz / 1e9, rt_cpu_vector_ops(d->cpu_class),
             rt_cpu_vector_peak(d) / 1e12, RT_CPU_KERNEL_SHARE * 100);
}

bool rt_cpu_int8_gemm(int c) { return valid(c) && cls[c].mmla > 0; }

double rt_cpu_mmla_ops(int c) { return valid(c) ? cls[c].mmla : 0; }

double rt_cpu_q0_ops_per_pair(int c, double row)
{
    if ((c != RT_CPU_AVX2 && c != RT_CPU_ZEN4) || !(row > 0))
        return 0;
    bool vnni = c == RT_CPU_ZEN4;
    double rm = 4, rn = vnni ? 4 : 2;                 /* tinyBLAS's tile: 32 or 16 registers */
    double pair = vnni ? 6 : 7, col = 1;              /* vector instructions, see above */
    return (rm * rn * pair + rm * row + rn * col) / (rm * rn);
}

double rt_cpu_kernel_share(int c, double row)
{
    double ops = rt_cpu_q0_ops_per_pair(c, row);
    return ops > 0 ? RT_CPU_KERNEL_SHARE * rt_cpu_q0_ops_per_pair(RT_CPU_AVX2, RT_CPU_SHARE_ROW_OPS) / ops
                   : RT_CPU_KERNEL_SHARE;
}

double rt_cpu_gemm_share(int tiles)
{
    return tiles == RT_TILES_Q0 ? RT_CPU_GEMM_SHARE_Q0 : RT_CPU_GEMM_SHARE_QK;
}
