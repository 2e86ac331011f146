/* kclass.c - kernel classes (kclass.h, doc/method.md "Kernel classes"): one
 * lookup from (weight format, device family, engine) to the class a weight GEMM
 * runs in, the device peak it uses and what dequantisation adds.
 *
 * Sources, class by class (the rates themselves are the device's, presets/devices.cfg):
 *  tensor-16: the datasheets' dense FP16/BF16 tensor rate (FP32 accumulation).
 *  tensor-16-acc16: GeForce and RTX workstation tensor cores run FP16 with FP16
 *    accumulation at twice the FP32-accumulate rate (NVIDIA Ampere GA102 and Ada
 *    Lovelace whitepapers: RTX 3090 71 / 142, RTX 4090 165.2 / 330.3 dense TFLOPS);
 *    llama.cpp's cuBLAS GEMMs ask for it (ggml-cuda.cu, cublasGemmEx with
 *    CUBLAS_COMPUTE_16F), the engine's `half_accumulate`.
 *  tensor-fp8 / tensor-fp4: FP8 (Hopper, Ada, Blackwell, CDNA3) and FP4 (Blackwell,
 *    CDNA4) tensor rates, where the format computes in them and the device has them.
 *    Every tensor rate takes the share of its peak a measured large BF16 matmul keeps
 *    (rt_tensor_share); FP8 takes its own where measured (rt_tensor_share_fp8): AMD's
 *    Max-Achievable FLOPs put hipBLASLt's FP8 on MI300X at 1273 of 2614.9 TFLOPS and on
 *    MI325X at 1408.06 (ROCm blogs, Feb 2025 and Oct 2026; presets/devices.cfg), lower
 *    shares than their BF16 matmuls keep.  vLLM's Quark MXFP4 (W4A4) runs on CDNA4's FP4
 *    units (AITER gemm_afp4wfp4 / gemm_a4w4, ROCm/vllm quark_w4a4_mxfp4.py@1c9d0e5:
 *    emulate = not supports_mx(), gfx95x only): tensor-fp4 on MI355X.
 *  weight-only: a format whose compute precision the device lacks (FP8 on Ampere,
 *    MXFP4/NVFP4 on Hopper) or an integer format (GPTQ/AWQ INT4, INT8, GGUF in
 *    vLLM) is dequantised in the GEMM's main loop and multiplied at 16 bits: Marlin
 *    (Frantar et al., arXiv 2408.11743, 2024); vLLM's FP4 Marlin for SM80 and later
 *    (vllm/model_executor/layers/quantization/utils/marlin_utils_fp4.py).  Its
 *    rate is the 16-bit one: MXFP4 on Hopper is slower than FP8.
 *  dequant+gemm: llama.cpp's CUDA/HIP backend before June 2024 (and on AMD GPUs,
 *    where rocBLAS is mostly chosen: ggml-org/llama.cpp PR #14624) converts a
 *    quantised weight matrix to a 16-bit buffer (to_fp16_cuda) and calls the BLAS
 *    GEMM when a pass has more than 32 tokens (upstream's switch, quoted in
 *    LostRuins/koboldcpp issue #556, December 2023; up to 32, MMQ on dp4a): a
 *    separate kernel reads the quantised weights and writes the 16-bit copy (its
 *    own bandwidth-bound time), then the GEMM reads 2 bytes per weight.  Where rocBLAS
 *    has no kernels tuned for the chip its GEMM rate is the device's measured
 *    rocblas_flops (Strix Halo's gfx1151: 10.754 TFLOPS, ROCm/legacy-rocm-build issue
 *    #4748), which caps llama.cpp's HIP GEMMs (rt_rocblas_cap), not its Vulkan shaders.
 *    The copy kernel of the legacy quants (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0: dequantize_block in
 *    ggml-cuda.cu) converted every value twice from ggml-org/llama.cpp PR #1453 (eb36362,
 *    2023-05-14, build 551) until PR #4809 (d5a410e, 2024-01-07, build 1785): each thread
 *    converts two values, at i = blockDim.x*blockIdx.x + 2*threadIdx.x, but the launch gave
 *    it k / 256 blocks of 256 threads, one thread per value, so consecutive blocks overlap by
 *    half ("the kernel does redundant work and reads and writes each value twice", PR
 *    #4809, whose fix made the kernel "1.5-1.7 times faster" by NSight Systems and an RTX
 *    3090's Q4_0 pp512 1.09 times; the new launch is (k + 511) / 512 blocks).  Such a kernel
 *    is bound by its threads, not the memory: PR #2809's nvprof trace (li-plus, 2023-08-26,
 *    V100-SXM2, 900 GB/s)
 *    timed it on an 11008 x 4096 Q4_0 matrix, 45,088,768 weights in 176,128 blocks of 256
 *    threads, at 332.10 us: 45.09e6 x (0.5625 + 4) bytes (it wrote FP32 then) is 619 GB/s,
 *    0.69 of the board, and the second read and write of each value cannot have reached the
 *    memory (twice those bytes would need 1,239 GB/s).  On the V100's 80 SMs at 1,530
 *    MHz (Volta whitepaper: 15.7 FP32 TFLOPS = 2 x 5,120 cores x 1.53 GHz) that is 332.10e-6
 *    x 80 x 1.530e9 / 45,088,768 = 0.9015 SM cycles per weight (an upper bound: the whole
 *    kernel counted as its threads' time), formats.cfg deq_twice_cycles of q4_0.  A flagged
 *    build (engine field deq_twice, set by accuracy/names.cfg for the December 2023 builds
 *    1671 to 1691) converts at most SMs x boost clock / 0.9015 weights a second
 *    (rt_deq_twice_rate; devices.cfg sms, boost_mhz), the copy's time the larger of that and
 *    its bytes' (perf.c dequant_copy).  On an A100 PCIe, 108 x 1.41e9 / 0.9015 = 168.9e9
 *    weights/s against the 755e9 its 1,935 GB/s would stream at 2.5625 bytes a weight; on an
 *    RTX 4090, 128 x 2.52e9 / 0.9015 = 357.8e9 against 393e9: the datacenter boards, whose
 *    bandwidth is high for their SM clock, pay most.  Q4_0 only (no timing of the others).
 *  int8-mmq: since ggml-org/llama.cpp PR #8075 (June 2024) MMQ is the default on
 *    NVIDIA GPUs with int8 tensor cores: activations quantised to int8 (q8_1),
 *    int8 MMA on the quantised blocks (ggml/src/ggml-cuda/mmq.cuh); the device's
 *    INT8 tensor rate, capped by the int-to-float conversions of its epilogue.
 *    Every MMA covers one 32-value block of K (mma_K8: 8 ints of 4 int8), and its
 *    int32 result is scaled by the two blocks' scales in FP32 before it is summed
 *    (mmq.cuh, June 2024: `sum[...] += dA[n][l/2]*dB[l%2]*C.x[l]`): one int32 ->
 *    float conversion per output and 32-value block, 32 MACs = 64 OPs of tensor
 *    work.  Conversions run at 16 per clock per SM on compute capability 7.5 to
 *    9.0 ("All other type conversions", CUDA C++ Programming Guide, throughput
 *    of native arithmetic instructions), a 16th, an 8th or a quarter of the FP32
 *    FMA lanes: 64 lanes per SM on TU10x and GA100, 128 on GA10x, AD10x, GH100
 *    and Blackwell.  So MMQ runs at most 16 x 64 = 1024 OPs per SM per clock,
 *    FP32 FLOP/s x 1024 / (2 x lanes): 4x the FP32 rate on 128-lane chips, 8x
 *    on 64-lane ones.  A GeForce Ampere/Ada SM does 2048 dense INT8 OPs per
 *    clock (GA102 whitepaper: RTX 3090 284 TOPS = 82 SMs x 1.695 GHz x 2048),
 *    so MMQ reaches half its INT8 rate there (142 of 284, the FP16-accumulate
 *    rate); an A100 SM does 4096 (624 TOPS, 108 SMs, 1.41 GHz): a quarter.  A
 *    catalog entry names no SM layout: a 64-lane chip is one without FP8 whose
 *    INT8 is 24x its FP32 rate or more (GA100, 32x), or 16x without BF16 (TU10x);
 *    GA10x is 8x, GA10B (Jetson Orin) 16x with BF16, GH100 and Ada have FP8.
 *    Legacy quants and K-quants only (PR #8075: I-quants stay on cuBLAS).
 *  int8-dp4a: up to 8 tokens per pass llama.cpp multiplies quantised weights with
 *    mat-vec kernels (MMVQ_MAX_BATCH_SIZE, ggml/src/ggml-cuda/mmvq.cuh; int8 dot
 *    products): bandwidth-bound, its compute rate is the 16-bit one.
 *  metal: Apple GPUs multiply in simdgroup matrices, weights dequantised in the
 *    kernel (ggml-metal.metal kernel_mul_mm); FP16 runs at the FP32 rate.  The
 *    dequantisation of each weight tile into threadgroup memory costs ALU time: on
 *    M2 Ultra, llama.cpp's pp512 of LLaMA 7B ran F16 at 1265.30 t/s, Q8_0 1142.84, Q4_0
 *    1164.00, Q4_1 1161.63, Q4_K_M 1028.20, Q5_K_M 976.31, Q6_K 977.56 (ggml-org/llama.cpp
 *    PR #3084, ggerganov's table, 2023-09-09, the PR column): a format's share of the
 *    16-bit rate (rt_metal_dequant_share; formats.cfg metal_gemm_rate, the format's and
 *    F16's rates); formats without a published figure keep 1.
 *    From Apple's M3 on, the shader core runs FP32, FP16 and integer instructions in
 *    parallel (Apple's developer tech talk on the M3 and A17 Pro GPU, November 2023, as
 *    summarised by AppleInsider, 2023-11-10, and tech2.hu: "high-performance ALU
 *    pipelines"), so the dequantisation overlaps the multiply: device
 *    field alu_parallel, no share.  Only llama.cpp's kernels (engines with a qgemm
 *    path); the prompt GEMM only (above RT_KC_GEMV_MAX_TOKENS tokens).
 *    In the mat-vec kernels (one token, decode) the ALU work can bound Q4_K weights
 *    instead of the memory: unpacking a 256-weight super-block's 6-bit scales and
 *    minimums and masking its 4-bit values costs more instructions per byte than
 *    Q4_0's blocks, and an M1-generation core has no dual dispatch of FP32 and
 *    integer instructions (philipturner/metal-benchmarks README@007b009: "The Apple GPU
 *    does not have dual-dispatch for F32 and I32, like Nvidia does").  ggml-org/llama.cpp PR #2290 ("Faster Q4_K on Metal", 2023-07-20;
 *    ggerganov's comment, M1 Pro) measured LLaMA 7B Q4_K token generation at 35.4 ms
 *    a token after the change (48.4 before it: the kernel, not the memory, set the
 *    time; LLaMA 7B Q4_K_S or Q4_K_M, 3.59 or 3.80 GiB (PR #3084's table), in 35.4 ms
 *    is 109-115 GB/s, under two thirds of the M1 Pro's attainable 176).
 *    Counting the whole token as the mat-vec kernels' ALU time (an upper bound: the
 *    other operations of a token are in it) over the 6.607e9 weights a token
 *    multiplies (6.74e9 less the 0.131e9 embedding table) at the catalog M1 Pro's 5.2
 *    TFLOPS (16-core GPU; the comment does not state the core count): 35.4e-3 x
 *    5.2e12 / 6.607e9 = 27.86 FP32 FLOP-equivalents per weight,
 *    formats.cfg metal_gemv_flop of q4_k and q4_k_m.  The weights then stream at no more than FP32 /
 *    27.86 weights a second (rt_metal_matvec_cap), and a token's weight time is the
 *    larger of that and the memory's: on an M1 Max (10.4 TFLOPS) 10.4e12 x 0.6118 /
 *    27.86 = 228 GB/s of Q4_K_M against the 268 its memory would give llama.cpp; on
 *    an M2 Ultra (27.2 TFLOPS) 597 GB/s, above the memory's.  Q4_K and Q4_K_M only (no
 *    figure for the other K-quants), pre-M3 GPUs only (alu_parallel: the integer work
 *    overlaps), llama.cpp's kernels only.
 *  vulkan-coopmat / vulkan-scalar: llama.cpp on its Vulkan backend (--backend vulkan or
 *    vulkan-scalar; engine field backend) runs ggml-vulkan's own shaders, not the CUDA/HIP
 *    classes above.  Its matrix-matrix shader (mul_mm.comp) dequantises each weight tile into
 *    shared memory inside the kernel (no 16-bit copy) and, where the driver exposes
 *    cooperative matrices (VK_KHR_cooperative_matrix; VK_NV_cooperative_matrix2 on NVIDIA),
 *    multiplies on them in FP16 with FP32 or FP16 accumulation (ggml-org/llama.cpp
 *    ggml/src/ggml-vulkan/vulkan-shaders/vulkan-shaders-gen.cpp@0098fe6, matmul_shaders: the
 *    "_cm1"/"_cm2" variants): the device's 16-bit matrix rate, vulkan-coopmat.  Where the
 *    driver exposes none ("matrix cores: none" in ggml_vulkan's device line) the same shader
 *    runs on the vector units (the fp16 variant, FLOAT_TYPE float16_t, where the device has
 *    FP16 arithmetic, else FP32): vulkan-scalar, credited with the vector FP32 rate, the one
 *    vector rate every catalog entry holds (a device's packed-FP16 vector rate, up to twice
 *    that, is not in the catalog apart from its matrix rate).  Up to RT_KC_GEMV_MAX_TOKENS
 *    tokens per pass the mat-vec shaders (mul_mat_vec*.comp) stream the weights on the vector
 *    units: vulkan-scalar too, bandwidth-bound.
 *    Except the mat-vec shader of 2024, which its instructions bound: from the backend's
 *    first release until ggml-org/llama.cpp PR #10296 (2024-11-14) the legacy-quant mat-vec
 *    gave each output row one workgroup of 32 invocations, each dequantising two weights a
 *    step with its own block index, scale load and two activation loads (ggml_vk_generate_shaders.py
 *    mul_mat_vec_body at 0c708c1; ggml/src/vulkan-shaders/mul_mat_vec.comp at ce0d1a6); PR
 *    #10296 ("Compute two result elements per workgroup ... reuses the B loads across the
 *    rows and also reuses some addressing calculations") replaced it, and PR #10665 (December
 *    2024, from the generated GCN assembly: "8 additional multiplications per inner loop
 *    iteration add up fast") trimmed its ALU work further.  PR #10296's own "before" timing
 *    (test-backend-ops; the board is not named there, but its F32 and F16 mat-vec rates, 238.52
 *    and 471.76 GFLOPS, are those of jeffbolznv's runs that name an RTX 4070: PR #10991 238.69 and
 *    467.67, PR #11595 243.17 and 480.16; the same run's F16 mat-vec streamed its 117 MB at
 *    117.44 MFLOP / 248.94 us = 472 GB/s, 0.94 of the board's 504, so the memory was not the
 *    limit) multiplied a 4096 x 14336 Q4_0 matrix in 92.30 us: 58.72e6 / 92.30e-6 = 636.2e9
 *    weights a second, where memory alone would have allowed 33.0 MB / 472 GB/s = 70 us.  At
 *    the catalog's 29.15 FP32 TFLOPS that is 29.15e12 / 636.2e9 = 45.82 FP32 FLOP-equivalents
 *    per weight, formats.cfg vk_row_matvec_flop of q4_0: the weights stream at no more than FP32 /
 *    45.82 weights a second (rt_vk_row_matvec_cap), the larger of that and the memory's time
 *    as for Metal above.  One NVIDIA measurement stands for every vendor: an Ada SM issues
 *    integer instructions on 64 of its 128 FP32 lanes, an RDNA CU on all of its 64, so on AMD
 *    the figure is likely an upper bound; no AMD timing of this shader apart from a row of
 *    the accuracy set was found.  Q4_0 only (the figure's format), and only for a build
 *    flagged so (engine field vk_row_matvec, set by accuracy/names.cfg for the PR #5835 build
 *    of March 2024): a build of today runs the later shaders.  Matrix rates: RDNA3 WMMA 512 FP16 FLOP per
 *    clock per CU (AMD RDNA3 ISA reference, V_WMMA_F32_16X16X16_F16; the RX 7900 XTX's 122.8
 *    TFLOPS), Intel Xe2 XMX (the Arc B580's 116.5 FP16 TFLOPS).
 *  cpu / cpu-int8-dot: CPU entries with a core class (cpuclass.c) run llama.cpp's
 *    CPU GEMMs at the vector FMA rate, cores x clock x FP32 FLOP per cycle, at the
 *    share RT_CPU_KERNEL_SHARE of it that its kernels reach (cpuclass.c: from
 *    ggml-org/llama.cpp PR #8908, a publication not in the accuracy set) instead of
 *    the engine's mfu, which was fitted to accelerators.  Quantised blocks
 *    (Q4_0, Q8_0, K- and I-quants) are multiplied with int8 dot products, the
 *    activations quantised to q8 (ggml-cpu vec_dot_*_q8_0 / _q8_K: AVX2 vpmaddubsw,
 *    AVX-512 VNNI vpdpbusd, NEON sdot), but the unpacking and the per-block FP32
 *    scaling around the dot product bound them by the vector pipes: cpu-int8-dot
 *    runs at the vector rate, not at the class's int8 peak.  16-bit and FP32 weights
 *    are converted and multiplied with FP32 FMAs (cpu).  AMX tiles (ggml's AMX
 *    backend, ggml-org/llama.cpp PR #8998, Q4_0 and Q4_1 only) are not credited:
 *    84 tok/s of pp512 on Llama 2 7B Q4_0 with 16 AMX cores at 2.2 GHz is 1.1
 *    TFLOP/s against their 72 TOPS (PR #7487), and ollama turned AMX off on
 *    Sapphire Rapids as slower (ollama PR #9203).  An entry without a core class
 *    (or --tflops) keeps its own rate at the format's precision and the engine's mfu.
 */
#include <stddef.h>
#include "core/kclass.h"
#include "core/cpuclass.h"

static const struct {
    const char *name, *source;
} classes[RT_KC_N] = {
    [RT_KC_TENSOR16] = { "tensor-16", "dense FP16/BF16 tensor rate, FP32 accumulation (device datasheet; the share "
                                      "a measured large matmul keeps, attainable_tflops)" },
    [RT_KC_TENSOR16_ACC16] = { "tensor-16-acc16",
                               "FP16 with FP16 accumulation, twice the FP32-accumulate rate on GeForce "
                               "(NVIDIA Ampere GA102 / Ada whitepapers); llama.cpp's cuBLAS GEMMs" },
    [RT_KC_TENSOR8] = { "tensor-fp8", "dense FP8 tensor rate (device datasheet; the share a measured FP8 matmul "
                                      "keeps, attainable_fp8_tflops, else the 16-bit one)" },
    [RT_KC_TENSOR4] = { "tensor-fp4", "dense FP4 tensor rate (device datasheet; the 16-bit matmul's measured share)" },
    [RT_KC_WEIGHT_ONLY] = { "weight-only",
                            "weights dequantised inside the GEMM, 16-bit math (Marlin, arXiv 2408.11743; "
                            "vLLM marlin_utils_fp4.py)" },
    [RT_KC_DEQUANT_GEMM] = { "dequant+gemm",
                             "a kernel dequantises the weights to a 16-bit copy each pass, then a 16-bit BLAS "
                             "GEMM reads it (llama.cpp CUDA before PR #8075; HIP: PR #14624)" },
    [RT_KC_MMQ] = { "int8-mmq",
                    "activations to int8, int8 tensor cores (llama.cpp PR #8075, ggml-cuda/mmq.cuh), at most one "
                    "int-to-float conversion (16 per SM-clock, CUDA C++ Programming Guide) per 64 OPs" },
    [RT_KC_MMVQ] = { "int8-dp4a",
                     "quantised kernels without tensor cores, int8 dot products, bandwidth-bound (ggml-cuda/mmvq.cuh; "
                     "MMQ up to 32 tokens in older builds)" },
    [RT_KC_METAL] = { "metal", "Metal simdgroup matrices, weights dequantised in the kernel (ggml-metal.metal); "
                               "Q4_K mat-vec bound by its ALUs before the M3" },
    [RT_KC_CPU] = { "cpu", "16/32-bit weights: FP32 FMAs on the vector units (cpuclass.c)" },
    [RT_KC_CPU_INT8] = { "cpu-int8-dot", "quantised blocks: int8 dot products, bound by the vector pipes (cpuclass.c)" },
    [RT_KC_VK_COOPMAT] = { "vulkan-coopmat",
                           "llama.cpp's Vulkan mul_mm shader on cooperative matrices (KHR_coopmat / NV_coopmat2), "
                           "weights dequantised in the kernel: the device's 16-bit matrix rate (vulkan-shaders-gen.cpp)" },
    [RT_KC_VK_SCALAR] = { "vulkan-scalar",
                          "llama.cpp's Vulkan shaders on the vector units (no cooperative matrices; mat-vec): the vector "
                          "FP32 rate (vulkan-shaders-gen.cpp)" },
    [RT_KC_CPU_INT8_GEMM] = { "cpu-int8-gemm",
                              "repacked Q4_0/Q8_0/Q4_K tiles multiplied with i8mm SMMLA: the int8 matrix rate (cpuclass.c)" },
};

const char *rt_kclass_name(int id) { return id >= 0 && id < RT_KC_N ? classes[id].name : "?"; }
const char *rt_kclass_source(int id) { return id >= 0 && id < RT_KC_N ? classes[id].source : ""; }

double rt_attainable_bw(const struct rt_device *d)
{
    return d->attainable_bw > 0 && d->attainable_bw < d->bandwidth ? d->attainable_bw : d->bandwidth;
}

double rt_tensor_share(const struct rt_device *d)
{
    double p16 = d->peak[RT_BF16] > 0 ? d->peak[RT_BF16] : d->peak[RT_FP16];
    return d->attainable_flops > 0 && p16 > 0 && d->attainable_flops < p16 ? d->attainable_flops / p16 : 1.0;
}

double rt_tensor_share_fp8(const struct rt_device *d)
{
    double p8 = d->peak[RT_FP8];
    if (d->attainable_fp8_flops > 0 && p8 > 0)
        return d->attainable_fp8_flops < p8 ? d->attainable_fp8_flops / p8 : 1.0;
    return rt_tensor_share(d);
}

/* Integer or block-quantised weights multiplied after dequantisation (GGUF, GPTQ,
 * AWQ, INT8): a format narrower than 16 bits that computes at 16 or 32 bits. */
static bool dequantised(const struct rt_format *f)
{
    return f->bits < 16 && (f->compute == RT_FP16 || f->compute == RT_BF16 || f->compute == RT_FP32);
}

/* The 16-bit rate, FP16-accumulating where the engine asks and the device has it. */
static double peak16(const struct rt_scenario *s, enum rt_prec want, bool *acc16)
{
    const struct rt_device *d = s->device;
    bool native;
    *acc16 = s->engine->half_accumulate && d->peak_fp16_acc16 > 0 && want == RT_FP16;
    return *acc16 ? d->peak_fp16_acc16 : rt_compute_peak(d, want, &native);
}

/* I-quants have no MMQ kernel (PR #8075): they take the dequantising path. */
static bool iquant(const struct rt_format *f) { return f->id[0] == 'i' && f->id[1] == 'q'; }

double rt_cpu_kernel_peak(const struct rt_scenario *s)
{
    return s->device->family == RT_FAM_CPU && s->engine->qgemm != RT_QGEMM_WEIGHT_ONLY ? rt_cpu_vector_peak(s->device)
                                                                                      : 0;
}

/* A CPU: llama.cpp's kernels at the vector FMA rate and their share where the entry
 * has a core class; other engines (oneDNN's BF16 on AMX, the ideal engine) at the
 * device's rate for the format's precision and their own mfu. */
static void cpu_pick(const struct rt_scenario *s, double tokens, struct rt_kclass *k)
{
    const struct rt_device *d = s->device;
    k->id = dequantised(s->weights) ? RT_KC_CPU_INT8 : RT_KC_CPU;
    double v = rt_cpu_kernel_peak(s);
    if (v <= 0)
        return; /* no core class (or --tflops), or not ggml's kernels */
    k->peak = v;
    k->mfu = rt_cpu_kernel_share(d->cpu_class, s->weights->tinyblas_row_ops);
    if (rt_cpu_int8_gemm(d->cpu_class) && s->weights->repack_tiles != RT_TILES_NONE) {
        k->id = RT_KC_CPU_INT8_GEMM;
        /* ggml-cpu's repack.cpp multiplies activation rows in groups of 4 with the SMMLA
         * GEMM and the rest with the GEMV, which uses SDOT (KleidiAI's 1-row kernels are
         * its dotprod ones): under 4 tokens, the dot-product rate at the same share */
        double ops = tokens >= 4 ? rt_cpu_mmla_ops(d->cpu_class) : rt_cpu_ops_per_cycle(d->cpu_class, RT_INT8);
        k->peak = d->cpu_cores * d->cpu_hz * ops;
        k->mfu = rt_cpu_gemm_share(s->weights->repack_tiles);
    }
}

static bool gpu_nvidia(enum rt_family f) { return f == RT_FAM_NVIDIA_DC || f == RT_FAM_NVIDIA_CONSUMER; }

/* MMQ's rate: the INT8 tensor rate, at most one int-to-float conversion (16 per SM
 * and clock) per 64 tensor OPs: FP32 x 1024 / (2 x FP32 lanes per SM) (see above). */
double rt_mmq_peak(const struct rt_device *d)
{
    double i8 = d->peak[RT_INT8], f32 = d->peak[RT_FP32];
    if (!(f32 > 0))
        return i8;
    /* 64 FP32 lanes per SM: GA100 (INT8 32x FP32) and TU10x (16x, no BF16); 128 elsewhere
     * (GA10x 8x; GA10B, Jetson Orin, 16x with BF16; GH100 and Ada with FP8) */
    double r = i8 / f32 * (1 + 1e-3);
    bool lanes64 = !(d->peak[RT_FP8] > 0) && (r >= 24 || (r >= 16 && !(d->peak[RT_BF16] > 0)));
    double cap = f32 * RT_MMQ_OPS_PER_CVT * RT_CVT_PER_SM_CLOCK / (2.0 * (lanes64 ? 64 : 128));
    return i8 < cap ? i8 : cap;
}

double rt_metal_dequant_share(const struct rt_format *f)
{
    return f->metal_gemm_share > 0 ? f->metal_gemm_share : 1.0;
}

double rt_metal_matvec_cap(const struct rt_device *d, const struct rt_format *f)
{
    if (d->family != RT_FAM_APPLE || d->alu_parallel || !(f->metal_gemv_flop > 0) || !(d->peak[RT_FP32] > 0))
        return 0;
    return d->peak[RT_FP32] / f->metal_gemv_flop * f->bits / 8.0;
}

double rt_vk_row_matvec_cap(const struct rt_device *d, const struct rt_format *f)
{
    if (!(f->vk_row_matvec_flop > 0) || !(d->peak[RT_FP32] > 0))
        return 0;
    return d->peak[RT_FP32] / f->vk_row_matvec_flop * f->bits / 8.0;
}

double rt_deq_twice_rate(const struct rt_scenario *s)
{
    const struct rt_device *d = s->device;
    double c = s->weights->deq_twice_cycles;
    if (!s->engine->deq_twice || !(c > 0) || d->sms <= 0 || !(d->boost_hz > 0))
        return 0;
    return (double)d->sms * d->boost_hz / c;
}

/* llama.cpp on Vulkan: its own shaders, weights dequantised inside them (see above) */
static void vulkan_pick(const struct rt_scenario *s, bool many, struct rt_kclass *k)
{
    const struct rt_device *d = s->device;
    bool native;
    double p16 = rt_compute_peak(d, RT_FP16, &native), p32 = d->peak[RT_FP32];
    if (many && s->engine->backend == RT_BK_VULKAN && p16 > 0) {
        k->id = RT_KC_VK_COOPMAT;
        k->peak = p16;
        return;
    }
    k->id = RT_KC_VK_SCALAR;
    k->peak = p32 > 0 ? p32 : p16;
    if (!many && s->engine->vk_row_matvec) /* the 2024 mat-vec shader, bound by its instructions */
        k->w_bw = rt_vk_row_matvec_cap(d, s->weights);
}

static void pick(const struct rt_scenario *s, double tokens, struct rt_kclass *k)
{
    const struct rt_device *d = s->device;
    const struct rt_format *f = s->weights;
    int q = s->engine->qgemm;
    bool native, acc16, many = tokens > RT_KC_GEMV_MAX_TOKENS;
    *k = (struct rt_kclass){ .id = RT_KC_TENSOR16, .bw = rt_attainable_bw(d) };
    k->peak = rt_compute_peak(d, f->compute, &native);
    if (d->family == RT_FAM_CPU) {
        cpu_pick(s, tokens, k);
        return;
    }
    bool vk = s->engine->backend == RT_BK_VULKAN || s->engine->backend == RT_BK_VULKAN_SCALAR;
    if (vk && q != RT_QGEMM_WEIGHT_ONLY) {
        vulkan_pick(s, many, k);
        return;
    }
    if (d->family == RT_FAM_APPLE) {
        k->id = RT_KC_METAL;
        if (q != RT_QGEMM_WEIGHT_ONLY && many && !d->alu_parallel) /* llama.cpp's mul_mm, in turn */
            k->peak *= rt_metal_dequant_share(f);
        if (q != RT_QGEMM_WEIGHT_ONLY && !many) /* its mat-vec, bound by the ALUs for Q4_K */
            k->w_bw = rt_metal_matvec_cap(d, f);
        return;
    }
    if (dequantised(f)) {
        k->peak = peak16(s, f->compute, &acc16);
        k->id = RT_KC_WEIGHT_ONLY;
        if (q == RT_QGEMM_WEIGHT_ONLY)
            return;
        if (q == RT_QGEMM_MMQ && !gpu_nvidia(d->family) && d->family != RT_FAM_AMD)
            return; /* MMQ is CUDA/HIP's: other GPU backends are not classed here */
        if (!many) {
            k->id = RT_KC_MMVQ;
            return;
        }
        /* the llama.cpp paths: MMQ on NVIDIA's int8 tensor cores (above 8 tokens),
         * else (older builds; AMD, where rocBLAS is chosen) a 16-bit copy above 32 */
        if (q == RT_QGEMM_MMQ && gpu_nvidia(d->family) && d->peak[RT_INT8] > 0 && !iquant(f)) {
            k->id = RT_KC_MMQ;
            k->peak = rt_mmq_peak(d);
        } else if (tokens > 32) {
            k->id = RT_KC_DEQUANT_GEMM;
            k->copy_bytes = 2.0;
            k->copy_wps = rt_deq_twice_rate(s); /* a build whose copy converted each value twice */
        } else {
            k->id = RT_KC_MMVQ;
        }
        return;
    }
    if (!native) { /* FP8 without FP8 units, FP4 without FP4: dequantised in the GEMM */
        k->id = RT_KC_WEIGHT_ONLY;
        k->peak = peak16(s, RT_FP16, &acc16);
        return;
    }
    switch (f->compute) {
    case RT_FP8: k->id = RT_KC_TENSOR8; break;
    case RT_FP4: k->id = RT_KC_TENSOR4; break;
    case RT_FP16:
        k->peak = peak16(s, RT_FP16, &acc16);
        k->id = acc16 ? RT_KC_TENSOR16_ACC16 : RT_KC_TENSOR16;
        break;
    default: k->id = RT_KC_TENSOR16; break;
    }
}

double rt_rocblas_cap(const struct rt_scenario *s, int kclass)
{
    const struct rt_device *d = s->device;
    bool vk = s->engine->backend == RT_BK_VULKAN || s->engine->backend == RT_BK_VULKAN_SCALAR;
    bool blas = kclass == RT_KC_DEQUANT_GEMM || kclass == RT_KC_TENSOR16;
    return d->family == RT_FAM_AMD && d->rocblas_flops > 0 && s->engine->qgemm != RT_QGEMM_WEIGHT_ONLY && !vk && blas
               ? d->rocblas_flops
               : 0;
}

void rt_kclass_pick(const struct rt_scenario *s, double tokens, struct rt_kclass *k)
{
    pick(s, tokens, k);
    if (s->device->family != RT_FAM_CPU) /* the CPU classes have their own kernel share */
        k->peak *= k->id == RT_KC_TENSOR8 ? rt_tensor_share_fp8(s->device) : rt_tensor_share(s->device);
    double cap = rt_rocblas_cap(s, k->id); /* llama.cpp's HIP GEMMs: rocBLAS's rate on the chip */
    if (cap > 0 && cap < k->peak)
        k->peak = cap;
}
