/* test_devices.c - the device catalog and formats: FP4 compute and its fallback,
 * 8-bit storage of formats a device cannot compute in, usable unified memory and
 * the "loads but pages" verdict, and catalog-wide checks on every device entry. */
#include "helpers.h"

#define N(a) (sizeof a / sizeof a[0])

/* Ids the 0.2 command-line contract requires ("Catalog ids that must also exist"). */
static const char *const devices_02[] = { "b300", "gb200", "gb300", "rtx-pro-6000", "rtx-5060-ti", "rtx-5070",
    "rtx-5070-ti", "rtx-5080", "mi355x", "dgx-spark", "strix-halo", "jetson-agx-orin", "arc-b580", "m4-max-32c",
    "m5" };

static const struct rt_device *dev(const char *id)
{
    const struct rt_device *d = catalog_device(cat(), id);
    cr_assert_not_null(d, "device %s", id);
    return d;
}

/* --- FP4 --- */

Test(fp4, formats_compute_in_fp4)
{
    const struct rt_format *f = catalog_format(cat(), "fp4");
    cr_assert_not_null(f);
    cr_assert_eq(f->compute, RT_FP4);
    /* NVFP4 layout: 4-bit values + one 8-bit scale per 16 = 4.5 bits */
    cr_assert_float_eq(f->bits, 4.5, 1e-12);
    cr_assert_eq(catalog_format(cat(), "nvfp4")->compute, RT_FP4);
    cr_assert_eq(catalog_format(cat(), "mxfp4")->compute, RT_FP4);
    cr_assert_str_eq(prec_name(RT_FP4), "fp4");
}

Test(fp4, native_on_blackwell_else_16_bit)
{
    bool native;
    /* B200: 9 PFLOPS dense FP4 per GPU (DGX B200 datasheet 72 PFLOPS FP4 / 8) */
    cr_assert_float_eq(rt_compute_peak(dev("b200"), RT_FP4, &native), 9000e12, 1);
    cr_assert(native);
    /* H100 has FP8 but no FP4: FP4 weights are dequantised and run at the 16-bit rate */
    cr_assert_float_eq(rt_compute_peak(dev("h100-sxm"), RT_FP4, &native), 989e12, 1);
    cr_assert_not(native);
    /* Turing T4: no BF16, no FP8, no FP4: FP16 (65 TFLOPS) */
    cr_assert_float_eq(rt_compute_peak(dev("t4"), RT_FP4, &native), 65e12, 1);
    cr_assert_not(native);
    /* only an FP32 figure: FP32 */
    struct rt_device d = { .memory_bytes = 1e9, .bandwidth = 1e9 };
    d.peak[RT_FP32] = 5e12;
    cr_assert_float_eq(rt_compute_peak(&d, RT_FP4, &native), 5e12, 1);
    cr_assert_not(native);
}

Test(fp4, estimate_uses_the_fp4_peak_where_native)
{
    struct rt_resolved *rs = scen("llama-3-8b", "b200", "nvfp4", 1, 1, 512, 16, NULL);
    struct rt_result r = estimate(&rs->s);
    cr_assert_float_eq(r.peak_flops, 9000e12, 1);
    cr_assert_not(r.warnings & RT_WARN_NOT_NATIVE);
    rs = scen("llama-3-8b", "h100-sxm", "nvfp4", 1, 1, 512, 16, NULL);
    r = estimate(&rs->s);
    cr_assert_float_eq(r.peak_flops, 989e12, 1);
    cr_assert(r.warnings & RT_WARN_NOT_NATIVE);
}

/* --- storage of a format the device cannot compute in --- */

Test(storage, fp8_on_ampere_is_stored_at_8_bits)
{
    /* Llama 3 8B: 8,030,261,248 parameters, of which the embedding and the untied
     * lm_head are 128,256 x 4,096 = 525,336,576 each and stay 16-bit.  FP8 body:
     * 6,979,588,096 x 1 B + 1,050,673,152 x 2 B = 9,080,934,400 B, on a device with FP8
     * (H100) and on one without (A100: weight-only 8-bit, matmuls at 16-bit). */
    struct rt_resolved *rs = scen("llama-3-8b", "a100-sxm-80g", "fp8", 1, 1, 512, 16, NULL);
    struct rt_result a = estimate(&rs->s);
    cr_assert_float_eq(a.weights_bytes, 9080934400.0, 1);
    cr_assert_float_eq(a.peak_flops, 312e12, 1);
    cr_assert(a.warnings & RT_WARN_NOT_NATIVE);
    rs = scen("llama-3-8b", "h100-sxm", "fp8", 1, 1, 512, 16, NULL);
    struct rt_result h = estimate(&rs->s);
    cr_assert_float_eq(h.weights_bytes, 9080934400.0, 1);
    cr_assert_float_eq(h.peak_flops, 1979e12, 1);
    /* the decode step reads the 8-bit weights on both: same bytes per step */
    cr_assert_float_eq(a.decode.bytes, h.decode.bytes, 1);
}

/* --- usable memory --- */

Test(usable, catalog_reads_gb_or_fraction)
{
    struct catalog c;
    char err[512];
    catalog_init(&c);
    cr_assert_eq(catalog_load_builtin(&c, err, sizeof err), RT_OK);
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"u1\"; memory_gb = 128.0; bandwidth_gbps = 500.0; "
                                    "usable_fraction = 0.75; tflops = { fp16 = 10.0; }; },\n"
                                    "{ id = \"u2\"; memory_gb = 128.0; bandwidth_gbps = 500.0; usable_gb = 96.0; "
                                    "tflops = { fp16 = 10.0; }; },\n"
                                    "{ id = \"u3\"; memory_gb = 24.0; bandwidth_gbps = 500.0; tflops = { }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_OK, "%s", err);
    cr_assert_float_eq(catalog_device(&c, "u1")->usable_bytes, 96e9, 1);
    cr_assert_float_eq(catalog_device(&c, "u2")->usable_bytes, 96e9, 1);
    cr_assert_float_eq(catalog_device(&c, "u3")->usable_bytes, 0, 0);
    /* both at once, or more than the memory: refused */
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"u4\"; memory_gb = 128.0; bandwidth_gbps = 500.0; "
                                    "usable_gb = 96.0; usable_fraction = 0.5; tflops = { }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    cr_assert(strstr(err, "usable_gb"), "%s", err);
    cr_assert_eq(catalog_merge_text(&c,
                                    "devices = ( { id = \"u5\"; memory_gb = 16.0; bandwidth_gbps = 500.0; "
                                    "usable_gb = 17.0; tflops = { }; } );",
                                    "user.cfg", NULL, err, sizeof err),
                 RT_EINVAL);
    catalog_free(&c);
}

Test(usable, loads_but_pages_between_usable_and_total)
{
    /* Llama 3 8B bf16: 16,060,522,496 B of weights (2 B x 8,030,261,248).  On a
     * 20 GB device it fits; with 15 GB usable it loads but pages; with 18 GB usable
     * it fits outright; on 12 GB it does not fit at all. */
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 128, 16, NULL);
    rs->device.memory_bytes = 20e9;
    rs->device.usable_bytes = 15e9;
    struct rt_result r = estimate(&rs->s);
    cr_assert(r.fits);
    cr_assert(r.warnings & RT_WARN_PAGES);
    cr_assert_not(r.warnings & RT_WARN_NO_FIT);
    cr_assert_float_eq(r.usable_bytes, 15e9, 1);
    rs->device.usable_bytes = 18e9;
    r = estimate(&rs->s);
    cr_assert(r.fits);
    cr_assert_not(r.warnings & RT_WARN_PAGES);
    rs->device.memory_bytes = 12e9;
    rs->device.usable_bytes = 9e9;
    r = estimate(&rs->s);
    cr_assert_not(r.fits);
    cr_assert_not(r.warnings & RT_WARN_PAGES, "does not fit: not also 'pages'");
    /* vLLM's unused 10% reserve (gpu_memory_utilization 0.9) is not resident: 16.06 GB of
     * weights + 0.5 GB of context + the activations of a full step of its token budget (8,192
     * on an H100: 8192 x 2 B x (2 x 4096 + 2 x 14336) = 0.604 GB) + 144 tokens of KV (0.019 GB)
     * + one sequence's fp32 logits (0.0005 GB) = 17.18 GB fit a 17.5 GB share, not a 17.1 GB
     * one (nor a 16.3 GB one) */
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 128, 16, "vllm");
    rs->device.memory_bytes = 20e9;
    rs->device.usable_bytes = 17.1e9;
    r = estimate(&rs->s);
    cr_assert(r.warnings & RT_WARN_PAGES, "17.18 GB in a 17.1 GB share pages");
    rs->device.usable_bytes = 17.5e9;
    r = estimate(&rs->s);
    cr_assert(r.fits);
    cr_assert_not(r.warnings & RT_WARN_PAGES);
    rs->device.usable_bytes = 16.3e9;
    r = estimate(&rs->s);
    cr_assert(r.warnings & RT_WARN_PAGES);
    /* discrete GPU: usable 0 means all of it */
    rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 128, 16, NULL);
    r = estimate(&rs->s);
    cr_assert_float_eq(r.usable_bytes, 80e9, 1);
    cr_assert_not(r.warnings & RT_WARN_PAGES);
}
/* --- the catalog as a whole --- */

Test(devices, contract_ids_of_0_2_exist)
{
    for (size_t i = 0; i < N(devices_02); i++)
        cr_assert_not_null(catalog_device(cat(), devices_02[i]), "%s", devices_02[i]);
}

Test(devices, every_entry_is_sane)
{
    for (size_t i = 0; i < cat()->n_devices; i++) {
        const struct rt_device *d = &cat()->devices[i];
        cr_assert_gt(d->memory_bytes, 0, "%s", d->id);
        cr_assert_gt(d->bandwidth, 0, "%s", d->id);
        cr_assert_leq(d->usable_bytes, d->memory_bytes, "%s", d->id);
        /* tensor rates: FP16 at least the FP32 (vector) rate, narrower formats at least
         * the wider ones where both are native (dense figures, same accumulate) */
        if (d->peak[RT_FP16] > 0 && d->peak[RT_FP32] > 0)
            cr_assert_geq(d->peak[RT_FP16], d->peak[RT_FP32], "%s", d->id);
        if (d->peak[RT_FP8] > 0 && d->peak[RT_FP16] > 0)
            cr_assert_geq(d->peak[RT_FP8], d->peak[RT_FP16], "%s", d->id);
        if (d->peak[RT_FP4] > 0 && d->peak[RT_FP8] > 0)
            cr_assert_geq(d->peak[RT_FP4], d->peak[RT_FP8], "%s", d->id);
        /* unified-memory machines say how much the GPU may use */
        if (d->family == RT_FAM_APPLE)
            cr_assert_gt(d->usable_bytes, 0, "%s: Apple GPUs get a working-set limit", d->id);
    }
}

Test(devices, nvidia_tensor_rates_not_the_fp32_rate)
{
    /* Every NVIDIA entry since Volta has tensor cores: dense FP16 is at least twice the
     * FP32 (vector) rate (GeForce FP32-accumulate: exactly 2x, GA102/Ada whitepapers),
     * never the FP32 rate standing in for it (5% slack: the RTX 3060 entry derives its
     * 25.25 from NVIDIA's rounded "101 tensor TFLOPS", 1.98x its 12.74 FP32). */
    for (size_t i = 0; i < cat()->n_devices; i++) {
        const struct rt_device *d = &cat()->devices[i];
        if (d->family != RT_FAM_NVIDIA_DC && d->family != RT_FAM_NVIDIA_CONSUMER)
            continue;
        if (d->peak[RT_FP32] > 0)
            cr_assert_geq(d->peak[RT_FP16], 1.95 * d->peak[RT_FP32], "%s: FP16 %.4g vs FP32 %.4g", d->id,
                          d->peak[RT_FP16] / 1e12, d->peak[RT_FP32] / 1e12);
    }
}

Test(devices, fixed_figures)
{
    /* GA102 whitepaper ratios at the RTX 3070's 20.3 FP32: 2x (FP32 accumulate), 4x (FP16 accumulate) */
    cr_assert_float_eq(dev("rtx-3070")->peak[RT_FP16], 40.6e12, 1e9);
    cr_assert_float_eq(dev("rtx-3070")->peak_fp16_acc16, 81.3e12, 1e9);
    /* Ada: 4070 at 29.15 FP32 -> 58.3 / FP8 116.6; 4060 Ti at 22.06 -> 44.1 */
    cr_assert_float_eq(dev("rtx-4070")->peak[RT_FP16], 58.3e12, 1e9);
    cr_assert_float_eq(dev("rtx-4070")->peak[RT_FP8], 116.6e12, 1e9);
    cr_assert_float_eq(dev("rtx-4060-ti")->peak[RT_FP16], 44.1e12, 1e9);
    cr_assert_float_eq(dev("rtx-6000-ada")->peak[RT_FP16], 182.2e12, 1e9);
    /* H100 NVL: datasheet FP8 3,341 sparse = 1670.5 dense, its INT8 rate */
    cr_assert_float_eq(dev("h100-nvl")->peak[RT_FP8], 1670.5e12, 1e9);
    cr_assert_float_eq(dev("h100-nvl")->peak[RT_FP8], dev("h100-nvl")->peak[RT_INT8], 1);
    /* Apple working set: 75% of a 128 GB M4 Max, two thirds of a 16 GB M1 */
    cr_assert_float_eq(dev("m4-max")->usable_bytes, 96e9, 1e6);
    cr_assert_float_eq(dev("m1")->usable_bytes, 0.67 * 16e9, 1e6);
    /* Strix Halo: 96 GB of 128 for the GPU (AMD Variable Graphics Memory, Windows) */
    cr_assert_float_eq(dev("strix-halo")->usable_bytes, 96e9, 1e6);
}

Test(devices, boost_clocks_agree_with_the_fp32_rates)
{
    /* presets/devices.cfg boost_mhz: the vendors rate FP32 as 2 FLOP x CUDA cores x the boost
     * clock.  Where an entry names its chip and SMs, the cores are SMs x the chip's FP32 lanes
     * (GA100 64 per SM: 108 x 64 = 6,912, the A100 whitepaper; GH100 and AD102 128 per SM:
     * 114 x 128 = 14,592 on the H100 PCIe, 128 x 128 = 16,384 on the RTX 4090).  A100 PCIe
     * 80GB: 2 x 6,912 x 1410 MHz = 19.49 TFLOPS against its 19.5; H100 PCIe: 2 x 14,592 x
     * 1755 = 51.22 against 51.0; RTX 4090: 2 x 16,384 x 2520 = 82.58 against 82.6; RTX 6000
     * Ada: 2 x 18,176 x 2505 = 91.06 against 91.1; RTX 3090 (GA102, 82 SMs): 2 x 10,496 x 1695 =
     * 35.58 against 35.6; RTX A6000 (GA102, 84): 2 x 10,752 x 1800 = 38.71 against 38.7; RTX 4080
     * (AD103, 76): 2 x 9,728 x 2505 = 48.74 against 48.7.  Within 0.6% each. */
    int checked = 0;
    for (size_t i = 0; i < cat()->n_devices; i++) {
        const struct rt_device *d = &cat()->devices[i];
        if (!(d->boost_hz > 0) || d->sms <= 0 || !(d->peak[RT_FP32] > 0))
            continue;
        double lanes = strcmp(d->chip, "GA100") == 0 ? 64 : 128;
        double fp32 = 2 * d->sms * lanes * d->boost_hz;
        cr_assert(fabs(fp32 / d->peak[RT_FP32] - 1) < 0.006, "%s: %.4g vs %.4g", d->id, fp32 / 1e12,
                  d->peak[RT_FP32] / 1e12);
        checked++;
    }
    cr_assert_geq(checked, 14, "A100 x4, H100 PCIe, RTX 3070, 3080, 3090, 4080, 4090, A6000, 4000/5000/6000 Ada");
    /* the llama.cpp cards of the Dec 2023 table all carry one, and their SM count (the
     * dequantise kernel of that build, kclass.c) */
    static const char *const ids[] = { "a100-pcie-80g", "h100-pcie", "rtx-3090", "rtx-4080", "rtx-4090",
                                       "rtx-a6000", "rtx-4000-ada", "rtx-5000-ada", "rtx-6000-ada" };
    for (size_t i = 0; i < N(ids); i++)
        cr_assert(dev(ids[i])->boost_hz > 0 && dev(ids[i])->sms > 0, "%s", ids[i]);
    cr_assert_float_eq(dev("rtx-a6000")->boost_hz, 1800e6, 1);
}

Test(usable, memory_override_keeps_the_share)
{
    /* --memory 64 on a 128 GB M4 Max (75% usable): 48 GB usable */
    struct rt_spec sp;
    spec_default(&sp);
    snprintf(sp.model, sizeof sp.model, "llama-3-8b");
    snprintf(sp.gpu, sizeof sp.gpu, "m4-max");
    sp.memory_gb = 64;
    static struct rt_resolved rs;
    char err[512];
    cr_assert_eq(spec_resolve(cat(), &sp, &rs, err, sizeof err), RT_OK, "%s", err);
    cr_assert_float_eq(rs.device.memory_bytes, 64e9, 1);
    cr_assert_float_eq(rs.device.usable_bytes, 48e9, 1e3);
}

/* --- 0.3: TPUs, Trainium2 and CPU servers with compute rates --- */

Test(devices, contract_ids_of_0_3_exist)
{
    static const char *const ids[] = { "tpu-v5e", "tpu-v5p", "tpu-v6e", "tpu-v7", "trn2", "gaudi3", "mi355x",
                                       "cpu-ddr5-8ch", "cpu-ddr5-12ch" };
    for (size_t i = 0; i < N(ids); i++)
        cr_assert(dev(ids[i])->bandwidth > 0 && dev(ids[i])->memory_bytes > 0, "%s", ids[i]);
    cr_assert_eq(dev("tpu-v7")->family, RT_FAM_TPU);
    cr_assert_eq(dev("trn2")->family, RT_FAM_AWS);
}

/* A TPU's ridge point, by hand from Google's v5e table: 197 TFLOPS BF16 over 819 GB/s of
 * HBM = 240.5 FLOP per byte; Ironwood in FP8: 4614e12 / 7380e9 = 625.2. */
Test(devices, tpu_ridge_points)
{
    struct rt_result r = estimate(&scen("llama-3.2-1b", "tpu-v5e", "bf16", 1, 1, 1024, 64, NULL)->s);
    assert_rel(r.ridge_point, 197e12 / 819e9, 1e-12, "v5e ridge %g", r.ridge_point);
    r = estimate(&scen("llama-3.1-8b", "tpu-v7", "fp8", 1, 1, 1024, 64, NULL)->s);
    assert_rel(r.ridge_point, 4614e12 / 7380e9, 1e-12, "Ironwood FP8 ridge %g", r.ridge_point);
}

/* A CPU server with AMX is compute-bound in prefill at its matrix rate, not "no compute figure":
 * by hand, Llama 3.1 8B bf16, 4096 tokens = 2 x 8.03e9 x 4096 = 6.58e13 FLOPs of linear layers
 * (the lm_head for the last token only) at 56 cores x 2.0 GHz x 1024 = 114.7 TFLOPS: >= 0.53 s. */
Test(devices, cpu_server_prefill_is_bound_by_its_matrix_units)
{
    struct rt_result r = estimate(&scen("llama-3.1-8b", "cpu-ddr5-8ch", "bf16", 1, 1, 4096, 64, NULL)->s);
    cr_assert(!(r.warnings & RT_WARN_NO_COMPUTE), "the AMX rate is a compute figure");
    cr_assert_eq(r.prefill.bound, RT_COMPUTE_BOUND);
    assert_rel(r.peak_flops, 56 * 2.0e9 * 1024, 1e-12, "AMX BF16 peak");
    cr_assert(r.ttft_s > 0.53 && r.ttft_s < 0.6, "prefill %g s", r.ttft_s);
    /* decode still reads the weights but the embedding table (16.06 GB - 128256 x 4096 x 2 B =
     * 15.01 GB) each token over 307.2 GB/s: >= 48.9 ms */
    cr_assert_gt(r.tpot_s, 15.01e9 / 307.2e9);
}

/* Issue 23: every limit measures against the GPU's usable share, not all of
 * unified memory.  With the ideal engine (no context, nothing reserved) what is
 * resident is all that is counted, so a 40 GB device of which 24 GB are usable
 * holds exactly what a 24 GB device holds: the same max batch, max context and
 * free memory.  Llama 3 8B bf16: 16.06 GB of weights; per sequence of 1,024 + 256
 * tokens, 1280 x 131,072 B of KV (32 layers x 8 KV heads x 128 x 2 x 2 B) = 167.8 MB,
 * 1024 x 2 B x (2 x 4096 + 2 x 14336) = 75.5 MB of activations (no step budget on
 * the ideal engine) and 128256 x 4 B = 0.5 MB of logits: 243.8 MB.  (24 - 16.06) GB
 * / 243.8 MB = 32.6: 32 sequences, where all 40 GB would hold 98. */
Test(usable, limits_measure_against_the_usable_share)
{
    struct rt_resolved *rs = scen("llama-3-8b", "h100-sxm", "bf16", 1, 1, 1024, 256, NULL);
    rs->device.memory_bytes = 24e9;
    rs->device.usable_bytes = 0;
    struct rt_result small = estimate(&rs->s);
    rs->device.memory_bytes = 40e9;
    rs->device.usable_bytes = 24e9;
    struct rt_result r = estimate(&rs->s);
    cr_assert_eq(small.max_batch, 32, "24 GB holds 32: %lld", (long long)small.max_batch);
    cr_assert_eq(r.max_batch, small.max_batch, "usable 24 of 40 GB: %lld, 24 GB: %lld", (long long)r.max_batch,
                 (long long)small.max_batch);
    cr_assert_eq(r.max_context, small.max_context);
    cr_assert_float_eq(r.free_bytes, small.free_bytes, 1);
    cr_assert_float_eq(r.free_bytes, 24e9 - r.per_device_bytes, 1);
    /* at the max batch it does not page; one more sequence does */
    rs->s.batch = r.max_batch;
    r = estimate(&rs->s);
    cr_assert(r.fits && !(r.warnings & RT_WARN_PAGES) && r.free_bytes >= 0);
    rs->s.batch = r.max_batch + 1;
    r = estimate(&rs->s);
    cr_assert(r.fits && (r.warnings & RT_WARN_PAGES) && r.free_bytes < 0);
}
