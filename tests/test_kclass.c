/* test_kclass.c - kernel classes (doc/method.md, "Kernel classes"): which device
 * peak a weight GEMM runs at by weight format, device family and engine, and the
 * dequantised copy of llama.cpp's older CUDA path.  Rates are presets/devices.cfg's
 * dense figures; every expected value is worked by hand in the comments. */
#include "helpers.h"
#include "core/kclass.h"
#include "core/cpuclass.h"
#include "core/perf_internal.h"
#include "accuracy/names.h"

static struct rt_kclass pick(const char *gpu, const char *w, const struct rt_engine *e, double tokens)
{
    struct rt_resolved *rs = scen("llama-2-7b", gpu, w, 1, 1, 512, 1, NULL);
    if (e)
        rs->s.engine = e;
    struct rt_kclass k;
    rt_kclass_pick(&rs->s, tokens, &k);
    return k;
}

/* the ideal engine with llama.cpp's ways: FP16 accumulation and a quantised GEMM path */
static struct rt_engine llama_like(int qgemm)
{
    struct rt_resolved *rs = scen("llama-2-7b", "h100-sxm", "fp16", 1, 1, 512, 1, NULL);
    struct rt_engine e = *rs->s.engine;
    e.half_accumulate = true;
    e.qgemm = qgemm;
    return e;
}

Test(kclass, native_tensor_classes)
{
    /* H100 SXM: FP16 989, FP8 1979 dense TFLOPS; no FP4.  Each at the share of its peak a
     * measured BF16 matmul reaches, 794.5 of 989 (attainable_tflops): 794.5 and
     * 1979 x 794.5 / 989 = 1589.8 */
    double h = 794.5 / 989.0;
    struct rt_kclass k = pick("h100-sxm", "fp16", NULL, 512);
    cr_assert_eq(k.id, RT_KC_TENSOR16);
    assert_rel(k.peak, 794.5e12, 1e-9, "fp16 %g", k.peak);
    k = pick("h100-sxm", "fp8", NULL, 512);
    cr_assert_eq(k.id, RT_KC_TENSOR8);
    assert_rel(k.peak, 1979e12 * h, 1e-9, "fp8 %g", k.peak);
    /* MXFP4 on Hopper is weight-only at the 16-bit rate: half the FP8 one */
    k = pick("h100-sxm", "mxfp4", NULL, 512);
    cr_assert_eq(k.id, RT_KC_WEIGHT_ONLY);
    assert_rel(k.peak, 794.5e12, 1e-9, "mxfp4 on hopper %g", k.peak);
    /* B200 has FP4: 9000 dense, at 1745 of 2250 (its measured BF16 share): 6980 */
    k = pick("b200", "mxfp4", NULL, 512);
    cr_assert_eq(k.id, RT_KC_TENSOR4);
    assert_rel(k.peak, 6980e12, 1e-9, "fp4 on blackwell %g", k.peak);
    /* GPTQ/AWQ-style INT4 in a weight-only engine: 16-bit rate, no copy */
    k = pick("h100-sxm", "int4", NULL, 512);
    cr_assert_eq(k.id, RT_KC_WEIGHT_ONLY);
    assert_rel(k.peak, 794.5e12, 1e-9, "int4 %g", k.peak);
    cr_assert_eq(k.copy_bytes, 0);
    cr_assert_str_eq(rt_kclass_name(RT_KC_TENSOR4), "tensor-fp4");
}

Test(kclass, llama_cpp_cuda_paths)
{
    struct rt_engine mmq = llama_like(RT_QGEMM_MMQ), dq = llama_like(RT_QGEMM_DEQUANT);
    /* RTX 4090: FP16 165.2 with FP32 accumulation, 330.3 with FP16; INT8 660.6 */
    struct rt_kclass k = pick("rtx-4090", "fp16", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_TENSOR16_ACC16);
    assert_rel(k.peak, 330.3e12, 1e-9, "acc16 %g", k.peak);
    /* MMQ: INT8 660.6, but one int-to-float conversion (16 per SM-clock) per 64 tensor OPs:
     * 1024 OPs per SM-clock; an Ada SM has 128 FP32 lanes, 256 FLOP per clock, so the cap is
     * 82.6 FP32 TFLOPS x 1024 / 256 = 330.4, half the INT8 rate */
    k = pick("rtx-4090", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_MMQ);
    assert_rel(k.peak, 330.4e12, 1e-9, "mmq %g", k.peak);
    /* RTX 3090 (GA102, 128 lanes): 35.6 x 4 = 142.4 of its 284 INT8 */
    k = pick("rtx-3090", "q5_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_MMQ);
    assert_rel(k.peak, 142.4e12, 1e-9, "3090 mmq %g", k.peak);
    /* T4 (TU104, 64 lanes: INT8 130 = 16x its 8.1 FP32, no FP8): 8.1 x 1024 / 128 = 64.8 */
    k = pick("t4", "q4_0", &mmq, 512);
    assert_rel(k.peak, 64.8e12, 1e-9, "t4 mmq %g", k.peak);
    cr_assert_float_eq(rt_mmq_peak(&(struct rt_device){ .peak = { [RT_FP32] = 19.5e12, [RT_INT8] = 624e12 } }),
                       156e12, 1e3, "a100-like: 19.5 x 8 = 156 (64 lanes, INT8 32x FP32, no FP8)");
    /* Jetson AGX Orin (GA10B: 16 SMs of 128 lanes, INT8 85 = 16x its 5.3 FP32, with BF16):
     * 5.3 x 4 = 21.2 (16 SMs x 1.3 GHz x 1024 = 21.3) */
    k = pick("jetson-agx-orin", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_MMQ);
    assert_rel(k.peak, 21.2e12, 1e-9, "orin mmq %g", k.peak);
    /* H100 SXM (FP8: 128 lanes): 67 x 4 = 268 of 1979, at its measured share 794.5 / 989 */
    k = pick("h100-sxm", "q4_k_m", &mmq, 512);
    assert_rel(k.peak, 268e12 * 794.5 / 989.0, 1e-9, "h100 mmq %g", k.peak);
    /* 8 tokens or fewer: the mat-vec kernels */
    k = pick("rtx-4090", "q4_0", &mmq, 8);
    cr_assert_eq(k.id, RT_KC_MMVQ);
    /* I-quants have no MMQ kernel: dequantised copy, FP16-accumulating GEMM */
    k = pick("rtx-4090", "iq4_xs", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_DEQUANT_GEMM);
    assert_rel(k.peak, 330.3e12, 1e-9, "iq4 %g", k.peak);
    cr_assert_eq(k.copy_bytes, 2.0);
    /* workstation Ada: the RTX 5000 Ada's datasheet 1044.4 sparse-FP8 TFLOPS over 4 = 261.1
     * with FP16 accumulation (4x its 65.3 FP32, as the 4090's 330.3 of 82.6); the RTX 6000
     * Ada has none in the catalog: FP32-accumulate 182.2 */
    k = pick("rtx-5000-ada", "fp16", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_TENSOR16_ACC16);
    assert_rel(k.peak, 261.1e12, 1e-9, "5000 ada %g", k.peak);
    k = pick("rtx-6000-ada", "fp16", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_TENSOR16);
    assert_rel(k.peak, 182.2e12, 1e-9, "6000 ada %g", k.peak);
    /* V100 has no int8 tensor rate in the catalog: cuBLAS (PR #8075), FP16 125 */
    k = pick("v100-sxm", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_DEQUANT_GEMM);
    assert_rel(k.peak, 125e12, 1e-9, "v100 %g", k.peak);
    /* AMD: rocBLAS on a dequantised copy, MI300X FP16 1307.4 nominal, 668.4 measured */
    k = pick("mi300x", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_DEQUANT_GEMM);
    assert_rel(k.peak, 668.4e12, 1e-9, "mi300x %g", k.peak);
    /* older builds: up to 32 tokens MMQ on dp4a, above that the copy */
    k = pick("rtx-4090", "q4_0", &dq, 32);
    cr_assert_eq(k.id, RT_KC_MMVQ);
    k = pick("rtx-4090", "q4_0", &dq, 33);
    cr_assert_eq(k.id, RT_KC_DEQUANT_GEMM);
}

Test(kclass, apple_and_cpu)
{
    struct rt_engine mmq = llama_like(RT_QGEMM_MMQ);
    /* M2 Max: Metal at the FP32 = FP16 rate, 13.49, less what dequantising Q4_0 in the
     * kernel takes (PR #3084, M2 Ultra pp512: Q4_0 1164.00 of F16 1265.30 t/s): 12.41 */
    struct rt_kclass k = pick("m2-max", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_METAL);
    assert_rel(k.peak, 13.49e12 * 1164.00 / 1265.30, 1e-9, "metal %g", k.peak);
    /* Xeon 8480+ (core class amx, 56 cores, 2.0 GHz): llama.cpp's CPU kernels run at the
     * vector FMA rate, 56 x 2.0e9 x 64 = 7.168 TFLOPS, for quantised blocks (int8 dot
     * products) and FP16 alike, at the kernel share 0.49 (cpuclass.c), not at the AMX INT8
     * 229.376 or the AVX512-FP16 14.336 */
    k = pick("cpu-ddr5-8ch", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU_INT8);
    assert_rel(k.peak, 7.168e12, 1e-9, "cpu q4_0 %g", k.peak);
    assert_rel(k.mfu, 0.49, 1e-12, "share %g", k.mfu);
    k = pick("cpu-ddr5-8ch", "fp16", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU);
    assert_rel(k.peak, 7.168e12, 1e-9, "fp16 on the vector units %g", k.peak);
    /* a CPU entry without a core class keeps its own (here no) rate and the engine's mfu */
    k = pick("cpu-ddr5-2ch", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU_INT8);
    cr_assert_eq(k.peak, 0);
    cr_assert_eq(k.mfu, 0);
}

/* Metal's matrix kernel dequantises each weight tile before the simdgroup multiply: on
 * an M2 Ultra (27.2 TFLOPS) llama.cpp's prompt GEMM of Q4_K_M runs at 1028.20 / 1265.30
 * of the F16 rate (PR #3084's pp512 table) = 0.81261 x 27.2 = 22.103 TFLOPS; Q8_0 at
 * 1142.84 / 1265.30 = 0.90322 -> 24.568.  Not for F16, not in the mat-vec path (8
 * tokens), not for a format without a published figure (Q3_K), not for an engine
 * without llama.cpp's kernels (weight-only), and not on an M3 Max (14.2), whose shader
 * core runs the integer work beside the FP multiply (alu_parallel). */
Test(kclass, metal_dequantises_in_turn_before_the_m3)
{
    struct rt_engine mmq = llama_like(RT_QGEMM_MMQ), wo = llama_like(RT_QGEMM_WEIGHT_ONLY);
    assert_rel(pick("m2-ultra", "q4_k_m", &mmq, 512).peak, 22.103e12, 1e-4, "q4_k_m");
    assert_rel(pick("m2-ultra", "q8_0", &mmq, 512).peak, 24.568e12, 1e-4, "q8_0");
    assert_rel(pick("m2-ultra", "fp16", &mmq, 512).peak, 27.2e12, 1e-9, "fp16");
    assert_rel(pick("m2-ultra", "q4_k_m", &mmq, 8).peak, 27.2e12, 1e-9, "mat-vec");
    assert_rel(pick("m2-ultra", "q3_k", &mmq, 512).peak, 27.2e12, 1e-9, "no published figure");
    assert_rel(pick("m2-ultra", "q4_k_m", &wo, 512).peak, 27.2e12, 1e-9, "not llama.cpp's kernels");
    assert_rel(pick("m3-max", "q4_k_m", &mmq, 512).peak, 14.2e12, 1e-9, "M3: in parallel");
    /* the field is an Apple GPU's */
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    cr_assert(catalog_device(&c, "m3-max")->alu_parallel && !catalog_device(&c, "m2-ultra")->alu_parallel);
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"g1\"; family = \"nvidia-consumer\"; memory_gb = 16.0; "
                                    "bandwidth_gbps = 500.0; alu_parallel = true; tflops = { fp16 = 100.0; }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "alu_parallel"), "%s", err);
    catalog_free(&c);
}

/* Metal's Q4_K mat-vec is bound by its ALU work before the M3 (kclass.c).  ggml-org/llama.cpp
 * PR #2290, M1 Pro (5.2 TFLOPS in the catalog), LLaMA 7B Q4_K at 35.4 ms a token over 6.74e9 -
 * 0.131e9 = 6.607e9 weights: 35.4e-3 x 5.2e12 / 6.607e9 = 27.862 FP32 FLOP per weight.  The
 * weights then stream at most at FP32 / 27.86 weights a second, x 4.8944 / 8 = 0.6118 bytes
 * each for Q4_K_M: M1 Max 10.4e12 / 27.86 x 0.6118 = 228.38 GB/s, M2 Ultra 27.2e12 / 27.86 x
 * 0.6118 = 597.31 GB/s.  With the ideal engine (bandwidth efficiency 1) on the M1 Max's
 * attainable 317.6 GB/s a one-token pass streams its weights at 228.38 / 317.6 = 0.71909 of
 * it; a 512-token pass (the matrix kernel) and the M3 Max (integer and FP issue in parallel)
 * keep 1; Q4_0, F16 and a weight-only engine are not capped. */
Test(kclass, metal_q4k_matvec_is_bound_by_its_alus)
{
    assert_rel(catalog_format(cat(), "q4_k_m")->metal_gemv_flop, 35.4e-3 * 5.2e12 / 6.607e9, 1e-3, "PR #2290");
    assert_rel(catalog_format(cat(), "q4_k")->metal_gemv_flop, 35.4e-3 * 5.2e12 / 6.607e9, 1e-3, "PR #2290");
    struct rt_engine mmq = llama_like(RT_QGEMM_MMQ), wo = llama_like(RT_QGEMM_WEIGHT_ONLY);
    assert_rel(pick("m1-max", "q4_k_m", &mmq, 1).w_bw, 228.38e9, 1e-4, "m1 max");
    assert_rel(pick("m2-ultra", "q4_k_m", &mmq, 1).w_bw, 597.31e9, 1e-4, "m2 ultra");
    cr_assert_eq(pick("m1-max", "q4_k_m", &mmq, 512).w_bw, 0);
    cr_assert_eq(pick("m3-max", "q4_k_m", &mmq, 1).w_bw, 0);
    cr_assert_eq(pick("m1-max", "q4_0", &mmq, 1).w_bw, 0);
    cr_assert_eq(pick("m1-max", "fp16", &mmq, 1).w_bw, 0);
    cr_assert_eq(pick("m1-max", "q4_k_m", &wo, 1).w_bw, 0);
    cr_assert_eq(pick("rtx-4090", "q4_k_m", &mmq, 1).w_bw, 0);
    struct rt_resolved *rs = scen("llama-2-7b", "m1-max", "q4_k_m", 1, 1, 512, 1, NULL);
    mmq.mbu = 1.0;
    for (int i = 0; i < 3; i++)
        mmq.mbu_class[i] = 1.0;
    rs->s.engine = &mmq;
    struct roof r;
    rt_perf_roof_init(&rs->s, &r);
    assert_rel(r.bw, 317.6e9, 1e-9, "attainable");
    assert_rel(r.mbu_w, 228.38 / 317.6, 1e-4, "capped at one token %g", r.mbu_w);
    rt_perf_roof_tokens(&rs->s, &r, 512);
    assert_rel(r.mbu_w, 1.0, 1e-12, "not kept for a pass of many %g", r.mbu_w);
    rs = scen("llama-2-7b", "m3-max", "q4_k_m", 1, 1, 512, 1, NULL);
    rs->s.engine = &mmq;
    rt_perf_roof_init(&rs->s, &r);
    assert_rel(r.mbu_w, 1.0, 1e-12, "m3 max %g", r.mbu_w);
}

Test(kclass, cpu_peaks_from_the_core_class)
{
    /* Ryzen 9 7950X: 16 Zen 4 cores at 5.0 GHz, the clock measured with all cores fully
     * loaded (Tom's Hardware's review, September 2022; the base clock is 4.5).  Zen 4
     * runs AVX-512 on two 256-bit FMA pipes: 2 x 8 FP32 lanes x 2 = 32 FLOP per cycle,
     * VDPBF16PS 64, VPDPBUSD 2 x 32 multiply-adds = 128 op; no FP16 arithmetic.
     * FP32 16 x 5.0e9 x 32 = 2.56e12, BF16 5.12e12, INT8 10.24e12. */
    struct rt_resolved *rs = scen("llama-2-7b", "ryzen-9-7950x", "q4_0", 1, 1, 512, 1, NULL);
    const struct rt_device *d = rs->s.device;
    assert_rel(d->peak[RT_FP32], 2.56e12, 1e-12, "fp32 %g", d->peak[RT_FP32]);
    assert_rel(d->peak[RT_BF16], 5.12e12, 1e-12, "bf16 %g", d->peak[RT_BF16]);
    assert_rel(d->peak[RT_INT8], 10.24e12, 1e-12, "int8 %g", d->peak[RT_INT8]);
    cr_assert_eq(d->peak[RT_FP16], 0);
    assert_rel(rt_cpu_vector_peak(d), 2.56e12, 1e-12, "vector %g", rt_cpu_vector_peak(d));
    /* Threadripper PRO 5995WX (avx2): 64 x 2.7e9 x 32 = 5.5296e12, INT8 (vpmaddubsw) twice */
    rs = scen("llama-2-7b", "threadripper-pro-5995wx", "q4_0", 1, 1, 512, 1, NULL);
    assert_rel(rs->s.device->peak[RT_FP32], 5.5296e12, 1e-12, "tr fp32");
    assert_rel(rs->s.device->peak[RT_INT8], 11.0592e12, 1e-12, "tr int8");
    /* Graviton3 (neon): 64 x 2.6e9 x 32 = 5.3248e12, FP16 twice, SDOT 4 x */
    rs = scen("llama-2-7b", "graviton3", "q4_0", 1, 1, 512, 1, NULL);
    assert_rel(rs->s.device->peak[RT_FP16], 10.6496e12, 1e-12, "g3 fp16");
    assert_rel(rs->s.device->peak[RT_INT8], 21.2992e12, 1e-12, "g3 int8");
}

Test(kclass, arm_repacked_int8_gemm)
{
    /* Graviton3 (neon: Neoverse V1 with i8mm), llama.cpp: Q4_0, Q8_0 and Q4_K are repacked
     * into int8 tiles multiplied with SMMLA.  One SMMLA multiplies a 2x8 by an 8x2 int8
     * matrix, 2 x 2 x 8 = 32 multiply-adds; V1 issues it on any of its four FP/ASIMD pipes
     * (Neoverse V1 Software Optimization Guide, LLVM AArch64SchedNeoverseV1.td): 4 x 32 =
     * 128 multiply-adds = 256 int8 op per core per cycle, 2.6e9 x 256 = 665.6 GOP/s per
     * core, 64 x 665.6e9 = 42.5984e12 for the chip.  Q4_0 and Q8_0 (4x8 tiles) at the share
     * 0.206 (PR #21916), Q4_K (8x8 tiles) at 0.098 (PR #27491). */
    cr_assert_eq(rt_cpu_mmla_ops(RT_CPU_NEON), 256);
    cr_assert_eq(rt_cpu_mmla_ops(RT_CPU_NEON2), 0);
    cr_assert_eq(rt_cpu_mmla_ops(RT_CPU_ZEN4), 0);
    struct rt_engine mmq = llama_like(RT_QGEMM_MMQ);
    struct rt_kclass k = pick("graviton3", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU_INT8_GEMM);
    assert_rel(k.peak, 42.5984e12, 1e-12, "int8 gemm %g", k.peak);
    assert_rel(k.peak / 64, 665.6e9, 1e-12, "per core %g", k.peak / 64);
    assert_rel(k.mfu, 0.206, 1e-12, "q4_0 tiles %g", k.mfu);
    k = pick("graviton3", "q8_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU_INT8_GEMM);
    assert_rel(k.mfu, 0.206, 1e-12, "q8_0 tiles %g", k.mfu);
    k = pick("graviton3", "q4_k_m", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU_INT8_GEMM);
    assert_rel(k.mfu, 0.098, 1e-12, "q4_k tiles %g", k.mfu);
    /* one token (decode) goes through the repacked GEMV, SDOT: 4 x 16 x 2 = 128 op per core
     * per cycle, 64 x 2.6e9 x 128 = 21.2992e12, at the same share; 4 tokens fill the GEMM */
    k = pick("graviton3", "q4_0", &mmq, 1);
    cr_assert_eq(k.id, RT_KC_CPU_INT8_GEMM);
    assert_rel(k.peak, 21.2992e12, 1e-12, "gemv %g", k.peak);
    assert_rel(k.mfu, 0.206, 1e-12, "gemv share %g", k.mfu);
    assert_rel(pick("graviton3", "q4_0", &mmq, 3).peak, 21.2992e12, 1e-12, "3 rows: gemv");
    assert_rel(pick("graviton3", "q4_0", &mmq, 4).peak, 42.5984e12, 1e-12, "4 rows: gemm");
    /* Q6_K is not repacked: the dot products at the vector rate 64 x 2.6e9 x 32 and 0.49 */
    k = pick("graviton3", "q6_k", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU_INT8);
    assert_rel(k.peak, 5.3248e12, 1e-12, "q6_k dot %g", k.peak);
    assert_rel(k.mfu, 0.49, 1e-12, "dot share %g", k.mfu);
    /* x86 has no such tiles in the class table: Q4_0 on a 7950X stays on the dot products */
    k = pick("ryzen-9-7950x", "q4_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU_INT8);
}

/* One Graviton3 row worked by hand: Llama 3.2 1B Q4_0, pp512, all 64 cores, the ideal
 * engine with llama.cpp's kernels (no fixed costs).  Decoder GEMMs: 16 layers x (2 x
 * 2048^2 + 2 x 2048 x 512 + 3 x 2048 x 8192) = 16 x 60,817,408 = 973,078,528 weights, x 2
 * x 512 = 9.96432e11 FLOP at 42.5984e12 x 0.206 = 8.77527e12 op/s: 0.113550 s.  Causal
 * attention 16 x 4 x 2048 x 131,328 = 1.72134e10 FLOP on the vector units at the vector
 * kernels' share, 64 x 2.6e9 x 32 x 0.49 = 2.60915e12: 0.006597 s.  The head for the last
 * token, 2 x 2048 x 128256 = 5.2533e8 FLOP through the GEMV (one row: SDOT, 64 x 2.6e9 x
 * 128 x 0.206 = 4.38757e12: 0.120 ms), reads 128256 x 2048 weights at Q6_K's 6.5625 bits
 * (q4_0's head_bits), 215.5 MB at 307.2 GB/s: 0.7014 ms, so sqrt(0.7014^2 + 0.120^2) =
 * 0.7116 ms.  In all 0.120859 s; streaming the 0.55 GB of
 * decoder weights (2.3 ms) against 113.6 ms adds about 0.02 ms through the 2-norm. */
/* Apple's performance cores (neon-dot): the same four 128-bit pipes as the neon class, but
 * the M1's do not implement FEAT_I8MM (lelegard/arm-cpusysregs docs/apple-m1-features.md), so
 * llama.cpp's quantised GEMMs there are its SDOT block kernels, not the repacked SMMLA tiles.
 * A user's M1 CPU entry, 4 performance cores at 3.2 GHz: FP32 4 x 3.2e9 x 32 = 409.6 GFLOPS,
 * SDOT 4 x 3.2e9 x 128 = 1638.4 GOP/s; Q4_0 at 512 tokens runs the vector kernels (class
 * cpu-int8-dot) at the FP32 vector rate 409.6e9 and the share 0.49, where a neon entry of the
 * same cores and clock would take the SMMLA rate 4 x 3.2e9 x 256 = 3276.8e9 at 0.206. */
Test(kclass, apple_cores_have_no_smmla_rate)
{
    cr_assert_eq(rt_cpu_mmla_ops(RT_CPU_NEON_DOT), 0);
    cr_assert(!rt_cpu_int8_gemm(RT_CPU_NEON_DOT));
    cr_assert_str_eq(rt_cpu_class_name(RT_CPU_NEON_DOT), "neon-dot");
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    const char *cfg = "devices = ( { id = \"m1-cpu\"; family = \"cpu\"; memory_gb = 16.0; bandwidth_gbps = 68.25; "
                      "tflops = { }; core_class = \"neon-dot\"; cores = 4.0; clock_ghz = 3.2; }, "
                      "{ id = \"v1-like\"; family = \"cpu\"; memory_gb = 16.0; bandwidth_gbps = 68.25; "
                      "tflops = { }; core_class = \"neon\"; cores = 4.0; clock_ghz = 3.2; } );";
    cr_assert_eq(catalog_merge_text(&c, cfg, "user.cfg", NULL, err, sizeof err), RT_OK, "%s", err);
    struct rt_device m1 = *catalog_device(&c, "m1-cpu"), v1 = *catalog_device(&c, "v1-like");
    assert_rel(m1.peak[RT_FP32], 409.6e9, 1e-12, "m1 fp32 %g", m1.peak[RT_FP32]);
    assert_rel(m1.peak[RT_INT8], 1638.4e9, 1e-12, "m1 sdot %g", m1.peak[RT_INT8]);
    struct rt_engine mmq = llama_like(RT_QGEMM_MMQ);
    struct rt_resolved *rs = scen("llama-2-7b", "graviton3", "q4_0", 1, 1, 512, 1, NULL);
    rs->s.engine = &mmq;
    rs->s.device = &m1;
    struct rt_kclass k;
    rt_kclass_pick(&rs->s, 512, &k);
    cr_assert_eq(k.id, RT_KC_CPU_INT8);
    assert_rel(k.peak, 409.6e9, 1e-12, "m1 q4_0 %g", k.peak);
    assert_rel(k.mfu, 0.49, 1e-12, "m1 share %g", k.mfu);
    rs->s.device = &v1;
    rt_kclass_pick(&rs->s, 512, &k);
    cr_assert_eq(k.id, RT_KC_CPU_INT8_GEMM);
    assert_rel(k.peak, 3276.8e9, 1e-12, "neon smmla %g", k.peak);
    assert_rel(k.mfu, 0.206, 1e-12, "neon share %g", k.mfu);
    catalog_free(&c);
}

Test(kclass, graviton3_row_by_hand)
{
    struct rt_engine ggml = llama_like(RT_QGEMM_MMQ);
    struct rt_resolved *rs = scen("llama-3.2-1b", "graviton3", "q4_0", 1, 1, 512, 1, NULL);
    rs->s.engine = &ggml;
    struct rt_result r = estimate(&rs->s);
    cr_assert_eq(r.prefill.kclass, RT_KC_CPU_INT8_GEMM);
    assert_rel(r.prefill.time_s, 0.120859, 1e-3, "ttft %.6g", r.prefill.time_s);
}

/* tinyBLAS_Q0_AVX's vector instructions per 32-weight block of a (row, column) pair
 * (cpuclass.c): AVX2, 4 x 2 tile: Q4_0 (8 x 7 + 4 x 6 + 2) / 8 = 10.25, Q8_0 (8 x 7 + 4 x
 * 2 + 2) / 8 = 8.25; Zen 4 (VNNI, 4 x 4 tile): Q4_0 (16 x 6 + 4 x 6 + 4) / 16 = 7.75, Q8_0
 * (16 x 6 + 4 x 2 + 4) / 16 = 6.75.  The kernel share 0.49 (AVX2 Q4_0) goes as their
 * inverse: AVX2 Q8_0 0.49 x 10.25 / 8.25 = 0.60879, Zen 4 Q4_0 0.49 x 10.25 / 7.75 =
 * 0.64806, Q8_0 0.49 x 10.25 / 6.75 = 0.74407; other formats and classes keep 0.49. */
Test(kclass, x86_q0_kernels_by_instruction_count)
{
    /* per block and weight row: 2, and Q4_0's 4 to unpack (formats.cfg tinyblas_row_ops) */
    double q4 = catalog_format(cat(), "q4_0")->tinyblas_row_ops, q8 = catalog_format(cat(), "q8_0")->tinyblas_row_ops;
    cr_assert(q4 == 6 && q8 == 2, "%g %g", q4, q8);
    cr_assert_eq(catalog_format(cat(), "q4_k_m")->tinyblas_row_ops, 0, "not a tinyBLAS Q0 format");
    assert_rel(rt_cpu_q0_ops_per_pair(RT_CPU_AVX2, q4), 10.25, 1e-12, "avx2 q4_0");
    assert_rel(rt_cpu_q0_ops_per_pair(RT_CPU_AVX2, q8), 8.25, 1e-12, "avx2 q8_0");
    assert_rel(rt_cpu_q0_ops_per_pair(RT_CPU_ZEN4, q4), 7.75, 1e-12, "zen4 q4_0");
    assert_rel(rt_cpu_q0_ops_per_pair(RT_CPU_ZEN4, q8), 6.75, 1e-12, "zen4 q8_0");
    cr_assert_eq(rt_cpu_q0_ops_per_pair(RT_CPU_AVX512, q4), 0);
    assert_rel(rt_cpu_kernel_share(RT_CPU_AVX2, q4), 0.49, 1e-12, "calibration");
    assert_rel(rt_cpu_kernel_share(RT_CPU_AVX2, q8), 0.60879, 1e-4, "avx2 q8_0");
    assert_rel(rt_cpu_kernel_share(RT_CPU_ZEN4, q4), 0.64806, 1e-4, "zen4 q4_0");
    assert_rel(rt_cpu_kernel_share(RT_CPU_ZEN4, q8), 0.74407, 1e-4, "zen4 q8_0");
    assert_rel(rt_cpu_kernel_share(RT_CPU_ZEN4, 0), 0.49, 1e-12, "not tinyBLAS");
    assert_rel(rt_cpu_kernel_share(RT_CPU_AMX, q4), 0.49, 1e-12, "not counted");
    struct rt_engine mmq = llama_like(RT_QGEMM_MMQ);
    struct rt_kclass k = pick("ryzen-9-7950x", "q8_0", &mmq, 512);
    cr_assert_eq(k.id, RT_KC_CPU_INT8);
    assert_rel(k.peak, 2.56e12, 1e-12, "vector rate %g", k.peak);
    assert_rel(k.mfu, 0.74407, 1e-4, "zen4 q8_0 share %g", k.mfu);
}

Test(kclass, cpu_core_class_fields_are_checked)
{
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    /* a core class without cores or clock, or on a GPU, is refused naming the field */
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"c1\"; family = \"cpu\"; memory_gb = 16.0; "
                                    "bandwidth_gbps = 50.0; tflops = { }; core_class = \"avx2\"; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "core_class"), "%s", err);
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"c2\"; family = \"cpu\"; memory_gb = 16.0; "
                                    "bandwidth_gbps = 50.0; tflops = { }; core_class = \"avx3\"; cores = 8.0; "
                                    "clock_ghz = 3.0; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "core_class"), "%s", err);
    /* a user's 8-core avx2 CPU at 3 GHz: 8 x 3e9 x 32 = 768 GFLOPS */
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"c3\"; family = \"cpu\"; memory_gb = 16.0; "
                                    "bandwidth_gbps = 50.0; tflops = { }; core_class = \"avx2\"; cores = 8.0; "
                                    "clock_ghz = 3.0; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_OK, "%s", err);
    assert_rel(catalog_device(&c, "c3")->peak[RT_FP32], 768e9, 1e-12, "user cpu");
    catalog_free(&c);
}

Test(kclass, cpu_prefill_is_a_compute_rate)
{
    /* Llama 2 7B Q4_0, a 512-token prompt on a Ryzen 9 7950X, the ideal engine with
     * llama.cpp's kernels (no fixed costs; its mfu replaced by the CPU kernels' share,
     * cpuclass.c: 0.49 for AVX2 Q4_0, x 10.25 / 7.75 for Zen 4's tinyBLAS = 0.648065).
     * FLOPs: decoder weights 6,476,005,376 (32 x (4 x 4096^2 + 3 x 4096 x 11008)) x 2 x 512
     * = 6.63143e12 and the output head for the last token 2 x 4096 x 32000 = 2.62e8, at
     * 16 x 5.0e9 x 32 = 2.56e12 x 0.648065 = 1.659046e12 FLOP/s: 3.99729 s; causal attention
     * 32 layers x 4 x 4096 x (1 + 2 + ... + 512 = 131,328) = 6.8854e10 on the vector kernels
     * at 2.56e12 x 0.49 = 1.2544e12: 0.054890 s.  In all 4.05218 s.  Streaming the weights,
     * 6.476e9 x 0.5625 B = 3.64 GB at 83.2 GB/s = 43.8 ms, is far below, so the 2-norm adds
     * under 0.3 ms (tm^2 / 2 tc per GEMM): 4.0522 s within 0.1%. */
    struct rt_engine ggml = llama_like(RT_QGEMM_MMQ);
    struct rt_resolved *rs = scen("llama-2-7b", "ryzen-9-7950x", "q4_0", 1, 1, 512, 1, NULL);
    rs->s.engine = &ggml;
    struct rt_result r = estimate(&rs->s);
    cr_assert_eq(r.prefill.kclass, RT_KC_CPU_INT8);
    assert_rel(r.prefill.time_s, 4.0522, 1e-3, "ttft %.6g", r.prefill.time_s);
    cr_assert_not(r.warnings & RT_WARN_NO_COMPUTE);
    assert_rel(r.peak_flops, 2.56e12, 1e-12, "peak_flops is the vector rate %g", r.peak_flops);
    /* the generic desktop entry names no CPU: still a bandwidth-only bound, and warned */
    rs = scen("llama-2-7b", "cpu-ddr5-2ch", "q4_0", 1, 1, 512, 1, NULL);
    r = estimate(&rs->s);
    cr_assert(r.warnings & RT_WARN_NO_COMPUTE);
    cr_assert_lt(r.prefill.time_s, 0.2);
    /* an engine with its own CPU kernels (the ideal one here) keeps the device's rate at
     * the format's precision: q4_0 computes at FP16, which Zen 4 lacks, so BF16's
     * 5.12e12 (rt_compute_peak's fallback), at its own mfu */
    rs = scen("llama-2-7b", "ryzen-9-7950x", "q4_0", 1, 1, 512, 1, NULL);
    r = estimate(&rs->s);
    cr_assert_eq(r.prefill.kclass, RT_KC_CPU_INT8);
    assert_rel(r.peak_flops, 5.12e12, 1e-12, "ideal engine %g", r.peak_flops);
}

Test(kclass, dequantised_copy_costs_its_own_pass)
{
    /* Llama 2 7B Q4_0 (4.5 bits = 0.5625 bytes per weight), 512 prompt tokens on an
     * RTX 4090 (1008 GB/s, FP16 165.2 TFLOPS), the ideal engine (MBU = MFU = 1, one chunk).
     * Decoder weights: 32 x (4 x 4096^2 + 3 x 4096 x 11008) = 32 x 202,375,168
     * = 6,476,005,376.  Both GEMMs stay compute-bound (2 bytes per weight read at
     * 1008e9 is below 2 x 512 FLOPs at 165.2e12), so the copy kernel's time adds:
     * 6,476,005,376 x (0.5625 + 2) / 1008e9 = 16.4630 ms.  Each GEMM's time is the 2-norm of
     * its compute and streaming times (shape.c), and the 16-bit copy streams more than the
     * quantised weights: projections (2,147,483,648 weights, 536.9 MB of activations) tc =
     * 2 x 512 x 2,147,483,648 / 165.2e12 = 13.311 ms, tm 1.731 ms quantised, 4.793 ms from
     * the copy: hypot 14.148 - 13.423 = +0.725 ms; FFN (4,328,521,728 weights, 268.4 MB)
     * tc 26.831, tm 2.682 / 8.855 ms: +1.290 ms.  16.463 + 2.014 = 18.477 ms.
     * (Published: ggml-org/llama.cpp PR #4766, RTX 4090, cuBLAS path: F16 pp512
     * 11048.22 t/s, Q4_0 7979.85 t/s: 46.34 ms vs 64.16 ms, a 17.8 ms gap.) */
    struct rt_resolved *rs = scen("llama-2-7b", "rtx-4090", "q4_0", 1, 1, 512, 1, NULL);
    struct rt_engine wo = *rs->s.engine, dq = wo;
    dq.qgemm = RT_QGEMM_DEQUANT;
    rs->s.engine = &wo;
    struct rt_result a = estimate(&rs->s);
    rs->s.engine = &dq;
    struct rt_result b = estimate(&rs->s);
    cr_assert_eq(b.prefill.kclass, RT_KC_DEQUANT_GEMM);
    cr_assert_eq(a.prefill.kclass, RT_KC_WEIGHT_ONLY);
    assert_rel(b.prefill.time_s - a.prefill.time_s, 18.4774e-3, 1e-5, "copy %.6g",
               b.prefill.time_s - a.prefill.time_s);
    /* decode (one token) runs the mat-vec kernels: no copy */
    assert_rel(b.decode.time_s, a.decode.time_s, 1e-12, "decode unchanged");
}

Test(kclass, attainable_bandwidth)
{
    /* M1 Max: 400 GB/s nominal, 317.6 measured (llama.cpp PR #1642).  A decode step of
     * Llama 2 7B FP16 at batch 1 on the ideal engine is memory-bound in every operation
     * (2 x 6.7e9 FLOPs at 10.4 TFLOPS is 1.3 ms; 13.5 GB at 317.6 GB/s is 42 ms), so the
     * step takes 400 / 317.6 = 1.25945 times as long as at the nominal figure. */
    struct rt_resolved *rs = scen("llama-2-7b", "m1-max", "fp16", 1, 1, 512, 128, NULL);
    cr_assert_float_eq(rt_attainable_bw(rs->s.device), 317.6e9, 1);
    /* (compute made negligible, a million times faster, so that a kernel's time, the
     * 2-norm of its compute and streaming times, is its streaming time alone) */
    struct rt_device fast = *rs->s.device;
    for (int p = 0; p < RT_PREC_N; p++)
        fast.peak[p] *= 1e6;
    rs->s.device = &fast;
    struct rt_result a = estimate(&rs->s);
    struct rt_device nominal = fast;
    nominal.attainable_bw = 0;
    rs->s.device = &nominal;
    struct rt_result b = estimate(&rs->s);
    assert_rel(a.decode.time_s / b.decode.time_s, 400.0 / 317.6, 1e-9, "ratio %.6g", a.decode.time_s / b.decode.time_s);
    /* M1 Ultra: two M1 Max dies, each at the M1 Max's measured figure: 2 x 317.6 GB/s */
    rs = scen("llama-2-7b", "m1-ultra", "fp16", 1, 1, 512, 128, NULL);
    cr_assert_float_eq(rt_attainable_bw(rs->s.device), 635.2e9, 1);
    /* a device without a measurement keeps its nominal figure */
    rs = scen("llama-2-7b", "h100-sxm", "fp16", 1, 1, 512, 128, NULL);
    cr_assert_float_eq(rt_attainable_bw(rs->s.device), 3350e9, 1);
}

Test(kclass, attainable_tensor_rate)
{
    /* H100 PCIe: 756 dense BF16/FP16 TFLOPS at its 1,755 MHz boost, but held to 350 W a
     * BF16 matmul measured 495.93 (zzc0721/torch-performance-test-data issue #95): the
     * share 495.93 / 756 = 0.65599 scales every tensor rate, FP8 1513 -> 992.5 */
    struct rt_kclass k = pick("h100-pcie", "fp16", NULL, 512);
    assert_rel(rt_tensor_share(&(struct rt_device){ .peak[RT_BF16] = 756e12, .attainable_flops = 495.93e12 }),
               0.655992, 1e-5, "share");
    assert_rel(k.peak, 495.93e12, 1e-9, "fp16 %g", k.peak);
    k = pick("h100-pcie", "fp8", NULL, 512);
    assert_rel(k.peak, 1513e12 * 495.93 / 756, 1e-9, "fp8 %g", k.peak);
    /* a measurement above the peak (an RTX 3090's 76.3 against 71) derates nothing, and a
     * device without one keeps its peaks */
    cr_assert_eq(rt_tensor_share(&(struct rt_device){ .peak[RT_BF16] = 71e12, .attainable_flops = 76.3e12 }), 1.0);
    k = pick("rtx-4090", "fp16", NULL, 512);
    assert_rel(k.peak, 165.2e12, 1e-9, "4090 %g", k.peak);
    /* prefill of Llama 2 7B FP16, 2048 tokens, on the ideal engine, with the memory made a
     * million times faster so that every operation's time is its compute alone: 756 /
     * 495.93 = 1.52441 times that at the nominal peak, attention included */
    struct rt_resolved *rs = scen("llama-2-7b", "h100-pcie", "fp16", 1, 1, 2048, 1, "ideal");
    struct rt_device fast = *rs->s.device;
    fast.bandwidth *= 1e6;
    rs->s.device = &fast;
    double a = estimate(&rs->s).prefill.time_s;
    struct rt_device nominal = fast;
    nominal.attainable_flops = 0;
    rs->s.device = &nominal;
    double b = estimate(&rs->s).prefill.time_s;
    assert_rel(a / b, 756 / 495.93, 1e-6, "prefill ratio %.7g", a / b);
}

Test(kclass, attainable_fp8_rate)
{
    /* MI300X: FP8 2614.9, BF16 1307.4 dense TFLOPS.  AMD's Max-Achievable FLOPs put its FP8
     * GEMM at 1273 (ROCm blog, Feb 2025), a share of 1273 / 2614.9 = 0.486825 of the FP8 peak,
     * while its BF16 matmul (668.4, attainable_tflops) keeps 668.4 / 1307.4 = 0.511244 */
    struct rt_device d = { .peak[RT_BF16] = 1307.4e12, .peak[RT_FP8] = 2614.9e12, .attainable_flops = 668.4e12,
                           .attainable_fp8_flops = 1273e12 };
    assert_rel(rt_tensor_share_fp8(&d), 0.486825, 1e-5, "fp8 share %g", rt_tensor_share_fp8(&d));
    assert_rel(rt_tensor_share(&d), 0.511244, 1e-5, "16-bit share %g", rt_tensor_share(&d));
    /* without an FP8 measurement the FP8 rate keeps the 16-bit share; above the peak, 1 */
    d.attainable_fp8_flops = 0;
    assert_rel(rt_tensor_share_fp8(&d), 0.511244, 1e-5, "fallback %g", rt_tensor_share_fp8(&d));
    d.attainable_fp8_flops = 3000e12;
    cr_assert_eq(rt_tensor_share_fp8(&d), 1.0);
    /* the catalog's MI300X: an FP8 GEMM runs at 1273, a 16-bit one at 668.4; MI325X FP8 at
     * AMD's 1408.06 (normal-distribution inputs, Sept 2026); the H100 (no FP8 figure) at its
     * 16-bit share, 1979 x 794.5 / 989 */
    struct rt_kclass k = pick("mi300x", "fp8", NULL, 512);
    cr_assert_eq(k.id, RT_KC_TENSOR8);
    assert_rel(k.peak, 1273e12, 1e-9, "mi300x fp8 %g", k.peak);
    k = pick("mi300x", "fp16", NULL, 512);
    assert_rel(k.peak, 668.4e12, 1e-9, "mi300x fp16 %g", k.peak);
    k = pick("mi325x", "fp8", NULL, 512);
    assert_rel(k.peak, 1408.06e12, 1e-9, "mi325x fp8 %g", k.peak);
    k = pick("h100-sxm", "fp8", NULL, 512);
    assert_rel(k.peak, 1979e12 * 794.5 / 989, 1e-9, "h100 fp8 %g", k.peak);
}

Test(kclass, amd_instinct_attainable_bandwidth)
{
    /* AMD's profiler validates a memcopy's HBM bandwidth at 3910.62 GB/s on MI300X, 4287.31 on
     * MI325X, 5690.42 on the MI350 series; a copy reaches 0.90 of the nominal figure on the
     * NVIDIA boards that keep theirs, so the catalog holds the copy over 0.90 */
    struct rt_resolved *rs = scen("llama-2-7b", "mi300x", "fp16", 1, 1, 512, 128, NULL);
    assert_rel(rt_attainable_bw(rs->s.device), 3910.62e9 / 0.90, 1e-6, "mi300x %g", rt_attainable_bw(rs->s.device));
    rs = scen("llama-2-7b", "mi325x", "fp16", 1, 1, 512, 128, NULL);
    assert_rel(rt_attainable_bw(rs->s.device), 4287.31e9 / 0.90, 1e-6, "mi325x %g", rt_attainable_bw(rs->s.device));
    rs = scen("llama-2-7b", "mi355x", "fp16", 1, 1, 512, 128, NULL);
    assert_rel(rt_attainable_bw(rs->s.device), 5690.42e9 / 0.90, 1e-6, "mi355x %g", rt_attainable_bw(rs->s.device));
    /* a memory-bound decode step of Llama 2 7B FP16 at batch 1 on the ideal engine (no fixed
     * costs; compute made a million times faster) takes 5300 / 4345.13 = 1.219758 times as
     * long as at the nominal 5.3 TB/s (to 1e-4: under 0.01% of the step is not HBM streaming) */
    rs = scen("llama-2-7b", "mi300x", "fp16", 1, 1, 512, 128, "ideal");
    struct rt_device fast = *rs->s.device;
    for (int p = 0; p < RT_PREC_N; p++)
        fast.peak[p] *= 1e6;
    rs->s.device = &fast;
    double a = estimate(&rs->s).decode.time_s;
    struct rt_device nominal = fast;
    nominal.attainable_bw = 0;
    rs->s.device = &nominal;
    double b = estimate(&rs->s).decode.time_s;
    assert_rel(a / b, 5300.0 / 4345.13, 1e-4, "ratio %.7g", a / b);
}

/* vLLM's compute efficiency is a share of the measured matmul rate: 0.69 x 271.2 / 312 on an
 * A100 SXM is the published 0.6 of its datasheet peak (0.59977) */
Test(kclass, vllm_mfu_is_of_the_measured_rate)
{
    struct rt_resolved *rs = scen("llama-2-7b", "a100-sxm-80g", "fp16", 1, 1, 512, 1, "vllm");
    assert_rel(rs->s.engine->mfu * rt_tensor_share(rs->s.device), 0.6, 0.001, "%g",
               rs->s.engine->mfu * rt_tensor_share(rs->s.device));
}

/* SGLang's unfitted compute efficiency is vLLM's prior: 0.6 of an A100's 312 TFLOPS peak,
 * written as a share of its measured 271.2 (0.6 x 312 / 271.2 = 0.690) */
Test(kclass, sglang_mfu_is_of_the_measured_rate)
{
    const char *ids[] = { "sglang", "sglang-0.4.1" };
    for (int i = 0; i < 2; i++) {
        struct rt_resolved *rs = scen("llama-2-7b", "a100-sxm-80g", "fp16", 1, 1, 512, 1, ids[i]);
        assert_rel(rs->s.engine->mfu * rt_tensor_share(rs->s.device), 0.6, 0.001, "%s: %g", ids[i],
                   rs->s.engine->mfu * rt_tensor_share(rs->s.device));
    }
}

Test(kclass, catalog_and_names_read_the_fields)
{
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    cr_assert_eq(catalog_engine(&c, "llama.cpp")->qgemm, RT_QGEMM_MMQ);
    cr_assert_eq(catalog_engine(&c, "vllm")->qgemm, RT_QGEMM_WEIGHT_ONLY);
    /* more than the nominal bandwidth, or an unknown path: refused, naming the field */
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"a1\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
                                    "attainable_gbps = 600.0; tflops = { }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "attainable_gbps"), "%s", err);
    /* a measured matmul rate above the 16-bit peak, or without one: refused, naming it */
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"a2\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
                                    "attainable_tflops = 200.0; tflops = { bf16 = 100.0; }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "attainable_tflops"), "%s", err);
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"a3\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
                                    "attainable_tflops = 20.0; tflops = { fp32 = 30.0; }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "attainable_tflops"), "%s", err);
    /* a measured FP8 rate above the FP8 peak, or without one: refused, naming it */
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"a4\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
                                    "attainable_fp8_tflops = 300.0; tflops = { bf16 = 100.0; fp8 = 200.0; }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "attainable_fp8_tflops"), "%s", err);
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"a5\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
                                    "attainable_fp8_tflops = 50.0; tflops = { bf16 = 100.0; }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "attainable_fp8_tflops"), "%s", err);
    catalog_free(&c);
    struct acc_names n;
    cr_assert_eq(acc_names_parse("engines = ( { match = \"x (2023\"; id = \"llama.cpp\"; qgemm = \"dequant\"; },\n"
                                 "{ match = \"x\"; id = \"llama.cpp\"; } );",
                                 "names.cfg", &n, err, sizeof err),
                 RT_OK, "%s", err);
    cr_assert_eq(acc_names_find(&n, NAMES_ENGINES, "x (2023 build)")->qgemm, RT_QGEMM_DEQUANT);
    cr_assert_eq(acc_names_find(&n, NAMES_ENGINES, "x")->qgemm, -1);
    acc_names_free(&n);
    cr_assert_eq(acc_names_parse("engines = ( { match = \"x\"; id = \"llama.cpp\"; qgemm = \"fast\"; } );", "names.cfg",
                                 &n, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "qgemm"), "%s", err);
}

/* A runtime that multiplies a MoE model's routed experts at another precision than the rest
 * (rt_format expert_compute: TensorRT-LLM 0.9's "FP8" Mixtral, 8-bit experts in 16-bit math).
 * Mixtral 8x7B per layer and token: two routed experts of 3 x 4096 x 14336 = 176,160,768
 * weights each, 352,321,536, and the router's 8 x 4096 = 32,768, so 352,354,304 active FFN
 * weights.  On an H100 (FP8 1979, 16-bit 989 TFLOPS, the same measured share scaling both),
 * with the memory made a million times faster so that each operation's time is its compute,
 * the FFN of a 2048-token prefill takes (352,321,536 x 1979 / 989 + 32,768) / 352,354,304
 * = 2.000918 times as long as in FP8; the attention and the bytes moved are unchanged (the
 * experts keep their 8-bit storage). */
Test(kclass, experts_at_their_own_precision)
{
    struct rt_resolved *rs = scen("mixtral-8x7b", "h100-sxm", "fp8", 2, 1, 2048, 1, "ideal");
    struct rt_device fast = *rs->s.device;
    fast.bandwidth *= 1e6;
    rs->s.device = &fast;
    struct rt_result a = estimate(&rs->s);
    struct rt_format f = *rs->s.weights;
    f.expert_compute = RT_FP16 + 1;
    rs->s.weights = &f;
    struct rt_result b = estimate(&rs->s);
    assert_rel(b.prefill.t_ffn / a.prefill.t_ffn, 2.000918, 1e-5, "FFN ratio %.7g", b.prefill.t_ffn / a.prefill.t_ffn);
    assert_rel(b.prefill.t_attn, a.prefill.t_attn, 1e-12, "attention");
    assert_rel(b.prefill.bytes, a.prefill.bytes, 1e-12, "bytes");
    /* the same precision as the rest changes nothing */
    f.expert_compute = RT_FP8 + 1;
    struct rt_result c = estimate(&rs->s);
    assert_rel(c.prefill.t_ffn, a.prefill.t_ffn, 1e-12, "FP8 experts");
}

/* A checkpoint that keeps its attention projections in 16 bits beside lower-precision weights
 * (attn_bits 16 under FP4 math: NVIDIA's FP4 DeepSeek checkpoints, gpt-oss) multiplies them at
 * the 16-bit tensor rate (perf.c proj_peak).  Llama 2 7B: 4 x 4096 x 4096 x 32 = 2,147,483,648
 * projection weights; a 2048-token prefill multiplies them in 2 x 2048 x 2,147,483,648 =
 * 8.796093e12 FLOPs.  On a B200 (BF16 2250, FP4 9000 TFLOPS, both at the measured share
 * 1745 / 2250) with the memory made a million times faster, that is 8.796093e12 / 1745e12 =
 * 5.040741 ms at 16 bits and 8.796093e12 / 6980e12 = 1.260185 ms in FP4: kept in 16 bits the
 * attention takes 3.780556 ms longer, as long as a BF16 model's; the attention core is the
 * same 16-bit work either way. */
Test(kclass, attention_projections_at_16_bits)
{
    struct rt_resolved *rs = scen("llama-2-7b", "b200", "nvfp4", 1, 1, 2048, 1, "ideal");
    struct rt_device fast = *rs->s.device;
    fast.bandwidth *= 1e6;
    rs->s.device = &fast;
    struct rt_result a = estimate(&rs->s);
    struct rt_format f = *rs->s.weights;
    f.attn_bits = 16;
    rs->s.weights = &f;
    struct rt_result b = estimate(&rs->s);
    assert_rel(b.prefill.t_attn - a.prefill.t_attn, 3.780556e-3, 1e-5, "16-bit projections %.7g",
               b.prefill.t_attn - a.prefill.t_attn);
    assert_rel(b.prefill.t_ffn, a.prefill.t_ffn, 1e-12, "the FFN stays FP4");
    struct rt_resolved *r16 = scen("llama-2-7b", "b200", "bf16", 1, 1, 2048, 1, "ideal");
    struct rt_device fast16 = *r16->s.device;
    fast16.bandwidth *= 1e6;
    r16->s.device = &fast16;
    struct rt_result c = estimate(&r16->s);
    assert_rel(b.prefill.t_attn, c.prefill.t_attn, 1e-5, "as a BF16 model's attention");
    /* a format that already multiplies in 16 bits (INT4 weight-only) is left as it was */
    struct rt_resolved *ri = scen("llama-2-7b", "b200", "int4", 1, 1, 2048, 1, "ideal");
    struct rt_device fasti = *ri->s.device;
    fasti.bandwidth *= 1e6;
    ri->s.device = &fasti;
    struct rt_result d = estimate(&ri->s);
    struct rt_format fi = *ri->s.weights;
    fi.attn_bits = 16;
    ri->s.weights = &fi;
    struct rt_result e = estimate(&ri->s);
    assert_rel(e.prefill.t_attn, d.prefill.t_attn, 1e-5, "INT4 weight-only");
}

/* llama.cpp's backends (kclass.c "vulkan-coopmat / vulkan-scalar", types.h RT_BACKENDS), worked from
 * presets/devices.cfg: RX 7900 XTX FP32 61.4, FP16 122.8 (WMMA) TFLOPS, no measured matmul share;
 * Arc B580 FP32 13.67, FP16 116.5 (XMX). */
static struct rt_kclass pick_backend(const char *gpu, const char *w, int qgemm, int backend, double tokens)
{
    static struct rt_engine e;
    e = llama_like(qgemm);
    e.backend = backend;
    return pick(gpu, w, &e, tokens);
}

Test(kclass, llama_cpp_backends)
{
    /* Vulkan with cooperative matrices: the prompt's Q4_0 GEMM at the 16-bit matrix rate, the
     * weights dequantised in the shader (no 16-bit copy) */
    struct rt_kclass k = pick_backend("rx-7900-xtx", "q4_0", RT_QGEMM_MMQ, RT_BK_VULKAN, 512);
    cr_assert_eq(k.id, RT_KC_VK_COOPMAT);
    assert_rel(k.peak, 122.8e12, 1e-9, "coopmat %g", k.peak);
    cr_assert_eq(k.copy_bytes, 0);
    cr_assert_str_eq(rt_kclass_name(k.id), "vulkan-coopmat");
    /* no cooperative matrices: the vector FP32 rate, 61.4 */
    k = pick_backend("rx-7900-xtx", "q4_0", RT_QGEMM_MMQ, RT_BK_VULKAN_SCALAR, 512);
    cr_assert_eq(k.id, RT_KC_VK_SCALAR);
    assert_rel(k.peak, 61.4e12, 1e-9, "scalar %g", k.peak);
    /* decode (1 token) runs the mat-vec shaders on the vector units either way */
    k = pick_backend("rx-7900-xtx", "fp16", RT_QGEMM_MMQ, RT_BK_VULKAN, 1);
    cr_assert_eq(k.id, RT_KC_VK_SCALAR);
    assert_rel(k.peak, 61.4e12, 1e-9, "matvec %g", k.peak);
    /* ROCm (and auto on AMD) keeps HIP's path: a 16-bit copy, then rocBLAS at 122.8 */
    k = pick_backend("rx-7900-xtx", "q4_0", RT_QGEMM_MMQ, RT_BK_ROCM, 512);
    cr_assert_eq(k.id, RT_KC_DEQUANT_GEMM);
    cr_assert_eq(k.copy_bytes, 2.0);
    assert_rel(k.peak, 122.8e12, 1e-9, "rocm %g", k.peak);
    struct rt_kclass a = pick_backend("rx-7900-xtx", "q4_0", RT_QGEMM_MMQ, RT_BK_AUTO, 512);
    cr_assert(a.id == k.id && a.peak == k.peak && a.copy_bytes == k.copy_bytes);
    /* Intel Arc B580: XMX 116.5 with cooperative matrices, 13.67 on the vector units */
    k = pick_backend("arc-b580", "q4_k_m", RT_QGEMM_MMQ, RT_BK_VULKAN, 512);
    assert_rel(k.peak, 116.5e12, 1e-9, "b580 coopmat %g", k.peak);
    k = pick_backend("arc-b580", "q4_k_m", RT_QGEMM_MMQ, RT_BK_VULKAN_SCALAR, 512);
    assert_rel(k.peak, 13.67e12, 1e-9, "b580 scalar %g", k.peak);
    /* an engine with its own GEMMs (weight-only) is not ggml's: the backend does not apply */
    k = pick_backend("rx-7900-xtx", "q4_0", RT_QGEMM_WEIGHT_ONLY, RT_BK_VULKAN, 512);
    cr_assert_eq(k.id, RT_KC_WEIGHT_ONLY);
}

/* rocBLAS's measured FP16 GEMM on a chip it has no tuned kernels for (rocblas_tflops): Strix
 * Halo's gfx1151, 10.754 TFLOPS (ROCm/legacy-rocm-build issue #4748: hgemm 8192 cubed) against
 * its 59.4 WMMA peak.  llama.cpp's HIP prompt GEMMs call rocBLAS (the 16-bit copy of a Q4_0
 * matrix, or F16 weights): capped at 10.754.  Its Vulkan shaders keep the matrix rate (59.4),
 * decode's mat-vec kernels are not rocBLAS's (the 16-bit rate), nor are an engine's own GEMMs
 * (weight-only), and an AMD chip without the field (RX 7900 XTX, 122.8) keeps its peak. */
Test(kclass, rocblas_caps_llama_cpp_hip_gemms)
{
    struct rt_kclass k = pick_backend("strix-halo", "q4_0", RT_QGEMM_MMQ, RT_BK_ROCM, 512);
    cr_assert_eq(k.id, RT_KC_DEQUANT_GEMM);
    assert_rel(k.peak, 10.754e12, 1e-9, "hip q4_0 %g", k.peak);
    struct rt_kclass a = pick_backend("strix-halo", "q4_0", RT_QGEMM_MMQ, RT_BK_AUTO, 512);
    assert_rel(a.peak, 10.754e12, 1e-9, "auto %g", a.peak);
    k = pick_backend("strix-halo", "fp16", RT_QGEMM_MMQ, RT_BK_ROCM, 512);
    cr_assert_eq(k.id, RT_KC_TENSOR16);
    assert_rel(k.peak, 10.754e12, 1e-9, "hip f16 %g", k.peak);
    k = pick_backend("strix-halo", "q4_0", RT_QGEMM_MMQ, RT_BK_VULKAN, 512);
    cr_assert_eq(k.id, RT_KC_VK_COOPMAT);
    assert_rel(k.peak, 59.4e12, 1e-9, "vulkan %g", k.peak);
    k = pick_backend("strix-halo", "q4_0", RT_QGEMM_MMQ, RT_BK_ROCM, 1);
    cr_assert_eq(k.id, RT_KC_MMVQ);
    assert_rel(k.peak, 59.4e12, 1e-9, "mat-vec %g", k.peak);
    k = pick_backend("strix-halo", "q4_0", RT_QGEMM_WEIGHT_ONLY, RT_BK_ROCM, 512);
    cr_assert_eq(k.id, RT_KC_WEIGHT_ONLY);
    assert_rel(k.peak, 59.4e12, 1e-9, "weight-only %g", k.peak);
    k = pick_backend("rx-7900-xtx", "q4_0", RT_QGEMM_MMQ, RT_BK_ROCM, 512);
    assert_rel(k.peak, 122.8e12, 1e-9, "7900 xtx %g", k.peak);
    /* the field: AMD only, at most the FP16 peak, with one */
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    static const char *bad[] = {
        "devices = ( { id = \"r1\"; family = \"nvidia-consumer\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
        "rocblas_tflops = 10.0; tflops = { fp16 = 100.0; }; } );",
        "devices = ( { id = \"r2\"; family = \"amd\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
        "rocblas_tflops = 200.0; tflops = { fp16 = 100.0; }; } );",
        "devices = ( { id = \"r3\"; family = \"amd\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
        "rocblas_tflops = 10.0; tflops = { fp32 = 30.0; }; } );",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(catalog_merge_text(&c, bad[i], "user.cfg", NULL, err, sizeof err), RT_EINVAL, "%zu", i);
        cr_assert(strstr(err, "rocblas_tflops") && strstr(err, "user.cfg"), "%zu: %s", i, err);
    }
    catalog_free(&c);
}

/* --backend: a backend of the device's family, for llama.cpp's kernels only */
Test(kclass, backend_option_is_checked)
{
    static struct rt_resolved rs;
    struct rt_spec sp;
    char err[256];
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-2-7b");
    snprintf(sp.gpu, sizeof sp.gpu, "rx-7900-xtx");
    snprintf(sp.weights, sizeof sp.weights, "q4_0");
    snprintf(sp.engine, sizeof sp.engine, "llama.cpp");
    snprintf(sp.backend, sizeof sp.backend, "vulkan");
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_eq(rs.s.engine->backend, RT_BK_VULKAN);
    snprintf(sp.backend, sizeof sp.backend, "cuda");
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "--backend: cuda does not run on device 'rx-7900-xtx'"), "%s", err);
    snprintf(sp.backend, sizeof sp.backend, "opencl");
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "--backend: 'opencl' is not"), "%s", err);
    snprintf(sp.backend, sizeof sp.backend, "vulkan");
    snprintf(sp.engine, sizeof sp.engine, "vllm");
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_EINVAL);
    cr_assert(strstr(err, "--backend: engine 'vllm'"), "%s", err);
    snprintf(sp.gpu, sizeof sp.gpu, "m2-ultra");
    snprintf(sp.engine, sizeof sp.engine, "llama.cpp");
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_EINVAL, "no Vulkan on Apple's GPUs here");
    snprintf(sp.backend, sizeof sp.backend, "metal");
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
}

/* names.cfg's backend field: the build's compute backend, checked; the accuracy rows' software
 * names map to the backends their logs show (accuracy/names.cfg) */
Test(kclass, names_read_the_backend)
{
    struct acc_names n;
    char err[512];
    cr_assert_eq(acc_names_parse("engines = ( { match = \"x (Vulkan\"; id = \"llama.cpp\"; backend = \"vulkan\"; },\n"
                                 "{ match = \"x\"; id = \"llama.cpp\"; } );",
                                 "names.cfg", &n, err, sizeof err),
                 RT_OK, "%s", err);
    cr_assert_eq(acc_names_find(&n, NAMES_ENGINES, "x (Vulkan build)")->backend, RT_BK_VULKAN);
    cr_assert_eq(acc_names_find(&n, NAMES_ENGINES, "x")->backend, RT_BK_AUTO);
    acc_names_free(&n);
    cr_assert_eq(acc_names_parse("engines = ( { match = \"x\"; id = \"llama.cpp\"; backend = \"opencl\"; } );",
                                 "names.cfg", &n, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "backend"), "%s", err);
    const struct acc_names *b = acc_names_builtin(err, sizeof err);
    cr_assert(b, "%s", err);
    const struct acc_name *e =
        acc_names_find(b, NAMES_ENGINES, "llama.cpp (Vulkan, cooperative matrices: AMDVLK; build 7ad67ba, August 2025)");
    cr_assert(e && e->backend == RT_BK_VULKAN);
    e = acc_names_find(b, NAMES_ENGINES, "llama.cpp (Vulkan, no cooperative matrices; PR #5835 build, March 2024)");
    cr_assert(e && e->backend == RT_BK_VULKAN_SCALAR && e->vk_row_matvec);
    e = acc_names_find(b, NAMES_ENGINES, "llama.cpp (Vulkan, cooperative matrices: AMDVLK; build 7ad67ba, August 2025)");
    cr_assert(e && !e->vk_row_matvec, "a 2025 build runs the later shaders");
    e = acc_names_find(b, NAMES_ENGINES, "llama.cpp (ROCm/HIP, March 2024 master), llama-bench");
    cr_assert(e && e->backend == RT_BK_ROCM && e->qgemm == RT_QGEMM_DEQUANT);
    e = acc_names_find(b, NAMES_ENGINES, "llama.cpp (May 2024 snapshot), llama-bench, Metal");
    cr_assert(e && e->backend == RT_BK_AUTO);
    /* the dequantise kernel that converted each value twice: the Dec 2023 builds (1671 to 1691),
     * not the January 2024 rows (after PR #4809) nor later ones */
    e = acc_names_find(b, NAMES_ENGINES, "llama.cpp (Dec 2023 snapshot), CUDA 12.1.1/11.8 on RunPod; Metal on Apple");
    cr_assert(e && e->deq_twice && e->qgemm == RT_QGEMM_DEQUANT);
    e = acc_names_find(b, NAMES_ENGINES, "llama.cpp (Jan 2024 build: quantised prompt batches dequantised to FP16 for cuBLAS), CUDA");
    cr_assert(e && !e->deq_twice && e->qgemm == RT_QGEMM_DEQUANT);
    e = acc_names_find(b, NAMES_ENGINES, "llama.cpp (May 2024 snapshot), llama-bench, Metal");
    cr_assert(e && !e->deq_twice);
}

/* ggml-vulkan's mat-vec shader of 2024 (one row per 32-invocation workgroup, before llama.cpp PR
 * #10296) is bound by its instructions (kclass.c).  PR #10296's "before" timing on an RTX 4070
 * (29.15 FP32 TFLOPS in the catalog): a 4096 x 14336 Q4_0 matrix in 92.30 us, 29.15e12 x
 * 92.30e-6 / 58,720,256 = 45.819 FP32 FLOP per weight.  Q4_0 (4.5 bits) then streams at most at
 * FP32 / 45.82 x 4.5 / 8 bytes a second: RX 5700 XT 9.75e12 x 0.5625 / 45.82 = 119.69 GB/s, RX
 * 6700 XT 13.21e12 x 0.5625 / 45.82 = 162.17 GB/s.  With the ideal engine on the 5700 XT's 448
 * GB/s a one-token pass streams its weights at 119.69 / 448 = 0.26717 of it.  A build of today
 * (the flag off), a pass of 512 tokens (the matrix shader), Q4_K and the HIP backend keep 1. */
Test(kclass, vulkan_2024_matvec_is_bound_by_its_instructions)
{
    assert_rel(catalog_format(cat(), "q4_0")->vk_row_matvec_flop, 29.15e12 * 92.30e-6 / (4096.0 * 14336.0), 1e-3, "PR #10296");
    struct rt_engine e = llama_like(RT_QGEMM_MMQ);
    e.backend = RT_BK_VULKAN_SCALAR;
    e.vk_row_matvec = true;
    assert_rel(pick("rx-5700-xt", "q4_0", &e, 1).w_bw, 119.69e9, 1e-4, "5700 xt");
    assert_rel(pick("rx-6700-xt", "q4_0", &e, 1).w_bw, 162.17e9, 1e-4, "6700 xt");
    cr_assert_eq(pick("rx-5700-xt", "q4_0", &e, 512).w_bw, 0, "the matrix shader");
    cr_assert_eq(pick("rx-5700-xt", "q4_k_m", &e, 1).w_bw, 0, "no figure for Q4_K");
    e.backend = RT_BK_VULKAN;
    assert_rel(pick("rx-7900-xtx", "q4_0", &e, 1).w_bw, 61.4e12 * 0.5625 / 45.82, 1e-4, "vulkan with coopmat");
    e.backend = RT_BK_ROCM;
    cr_assert_eq(pick("rx-5700-xt", "q4_0", &e, 1).w_bw, 0, "HIP's own mat-vec");
    e.backend = RT_BK_VULKAN_SCALAR;
    e.vk_row_matvec = false;
    cr_assert_eq(pick("rx-5700-xt", "q4_0", &e, 1).w_bw, 0, "today's shaders");
    struct rt_resolved *rs = scen("llama-2-7b", "rx-5700-xt", "q4_0", 1, 1, 512, 1, NULL);
    e.vk_row_matvec = true;
    e.mbu = 1.0;
    for (int i = 0; i < 3; i++)
        e.mbu_class[i] = 1.0;
    rs->s.engine = &e;
    struct roof r;
    rt_perf_roof_init(&rs->s, &r);
    assert_rel(r.bw, 448e9, 1e-9, "nominal");
    assert_rel(r.mbu_w, 119.69 / 448.0, 1e-4, "capped at one token %g", r.mbu_w);
    rt_perf_roof_tokens(&rs->s, &r, 512);
    assert_rel(r.mbu_w, 1.0, 1e-12, "not kept for a pass of many %g", r.mbu_w);
}

/* llama.cpp's CUDA dequantise kernel for the legacy quants converted every value twice from PR
 * #1453 (May 2023) until PR #4809 (January 2024): one thread per value, each converting two
 * (kclass.c).  PR #2809's nvprof trace on a V100-SXM2 timed it on an 11008 x 4096 Q4_0 matrix
 * at 332.10 us: 332.10e-6 x 80 SMs x 1.530e9 Hz / 45,088,768 weights = 0.90154 SM cycles per
 * weight.  A flagged build then converts at most SMs x boost clock / 0.9015 weights a second:
 * A100 PCIe 108 x 1.410e9 / 0.9015 = 168.918e9; H100 PCIe 114 x 1.755e9 / 0.9015 = 221.930e9;
 * RTX 3090 82 x 1.695e9 / 0.9015 = 154.176e9.  A build of today (the flag off), Q4_K (no
 * figure), a pass of 8 tokens (the mat-vec kernels: no copy) and a device without its SM count
 * (the V100 entry) have none. */
Test(kclass, dequantise_twice_is_bound_by_its_threads)
{
    assert_rel(catalog_format(cat(), "q4_0")->deq_twice_cycles, 332.10e-6 * 80 * 1.530e9 / (11008.0 * 4096.0), 1e-4,
               "PR #2809");
    cr_assert_eq(catalog_format(cat(), "q4_k_m")->deq_twice_cycles, 0, "its own kernel, not doubled");
    struct rt_engine e = llama_like(RT_QGEMM_DEQUANT);
    e.deq_twice = true;
    struct rt_kclass k = pick("a100-pcie-80g", "q4_0", &e, 494);
    cr_assert_eq(k.id, RT_KC_DEQUANT_GEMM);
    assert_rel(k.copy_wps, 168.918e9, 1e-5, "a100 pcie %g", k.copy_wps);
    assert_rel(pick("h100-pcie", "q4_0", &e, 494).copy_wps, 221.930e9, 1e-5, "h100 pcie");
    assert_rel(pick("rtx-3090", "q4_0", &e, 494).copy_wps, 154.176e9, 1e-5, "rtx 3090");
    cr_assert_eq(pick("a100-pcie-80g", "q4_k_m", &e, 494).copy_wps, 0, "no figure for Q4_K");
    cr_assert_eq(pick("a100-pcie-80g", "q4_0", &e, 8).copy_wps, 0, "mat-vec: no copy");
    cr_assert_eq(pick("v100-sxm", "q4_0", &e, 494).copy_wps, 0, "no SM count in the catalog");
    e.deq_twice = false;
    cr_assert_eq(pick("a100-pcie-80g", "q4_0", &e, 494).copy_wps, 0, "each value once");
}

/* Llama 2 7B Q4_0 on an A100 PCIe 80GB (1,935 GB/s), a 494-token prompt, the ideal engine (MBU
 * = MFU = 1) on the dequantise-and-cuBLAS path.  The copy kernel's bytes, 6,476,005,376 decoder
 * weights x (0.5625 + 2) bytes / 1935e9 = 8.5762 ms, give its time in a build of today; in a
 * flagged build its threads bound it, 6,476,005,376 / 168.918e9 = 38.3381 ms: the prompt pass
 * takes 29.7619 ms more (the GEMMs, the decode step and the bytes moved are the same). */
Test(kclass, dequantise_twice_costs_the_prompt_pass_its_threads_time)
{
    struct rt_resolved *rs = scen("llama-2-7b", "a100-pcie-80g", "q4_0", 1, 1, 494, 1, NULL);
    struct rt_engine once = *rs->s.engine, twice;
    once.qgemm = RT_QGEMM_DEQUANT;
    twice = once;
    twice.deq_twice = true;
    rs->s.engine = &once;
    struct rt_result a = estimate(&rs->s);
    rs->s.engine = &twice;
    struct rt_result b = estimate(&rs->s);
    cr_assert(a.prefill.kclass == RT_KC_DEQUANT_GEMM && b.prefill.kclass == RT_KC_DEQUANT_GEMM);
    double w = 32.0 * (4.0 * 4096 * 4096 + 3.0 * 4096 * 11008);
    cr_assert_float_eq(w, 6476005376.0, 0.5);
    double t_once = w * 2.5625 / 1935e9, t_twice = w / (108 * 1.41e9 / 0.9015);
    assert_rel(t_twice - t_once, 29.7619e-3, 1e-5, "worked %g", t_twice - t_once);
    assert_rel(b.prefill.time_s - a.prefill.time_s, t_twice - t_once, 1e-6, "copy %.6g",
               b.prefill.time_s - a.prefill.time_s);
    assert_rel(b.decode.time_s, a.decode.time_s, 1e-12, "decode unchanged");
}
