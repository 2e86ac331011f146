/* catalog.c - read presets from libconfig text into the catalog arrays. */
#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include "base/slurp.h"
#include "catalog/catalog.h"
#include "base/cfgread.h"
#include "base/text.h"
#include "catalog/embedded.h"
#include "import/arch.h"
#include "core/core.h"
#include "core/kclass.h"
#include "core/cpuclass.h"

/* base/ returns 0 or -1 where the rest of the program says RT_OK or RT_EINVAL. */
_Static_assert(RT_OK == 0 && RT_EINVAL == -1, "base/ status values");

/* NULL-terminated, for cfg_enum; from the enums' X-macro lists (core/types.h, core/kclass.h) */
#define NAME(id, name) name,
static const char *const prec_names[RT_PREC_N + 1] = { RT_PRECS(NAME) NULL };
static const char *const family_names[RT_FAM_N + 1] = { RT_FAMILIES(NAME) NULL };

static const char *const qgemm_names[RT_QGEMM_N + 1] = { RT_QGEMMS(NAME) NULL };
static const char *const tiles_names[RT_TILES_N + 1] = { RT_CPU_TILES(NAME) NULL };
const char *qgemm_name(int q) { return q >= 0 && q < RT_QGEMM_N ? qgemm_names[q] : "?"; }
static const char *const swa_kv_names[RT_SWAKV_N + 1] = { RT_SWA_KVS(NAME) NULL };
static const char *const attn_kernel_names[RT_AK_N + 1] = { RT_ATTN_KERNELS(NAME) NULL };
const char *attn_kernel_name(int k) { return k >= 0 && k < RT_AK_N ? attn_kernel_names[k] : "?"; }
static const char *const ssm_kernel_names[RT_SK_N + 1] = { RT_SSM_KERNELS(NAME) NULL };
const char *ssm_kernel_name(int k) { return k >= 0 && k < RT_SK_N ? ssm_kernel_names[k] : "?"; }
static const char *const kv_policy_names[RT_KVP_N + 1] = { RT_KV_POLICIES(NAME) NULL };
const char *kv_policy_name(int k) { return k >= 0 && k < RT_KVP_N ? kv_policy_names[k] : "?"; }
int kv_policy_parse(const char *s)
{
    for (int k = 0; k < RT_KVP_N; k++)
        if (strcmp(s, kv_policy_names[k]) == 0)
            return k;
    return -1;
}
const char *swa_kv_name(int k) { return k >= 0 && k < RT_SWAKV_N ? swa_kv_names[k] : "?"; }
int swa_kv_parse(const char *s)
{
    for (int k = 0; k < RT_SWAKV_N; k++)
        if (strcmp(s, swa_kv_names[k]) == 0)
            return k;
    return -1;
}
static const char *const backend_names[RT_BK_N + 1] = { RT_BACKENDS(NAME) NULL };
const char *backend_name(int b) { return b >= 0 && b < RT_BK_N ? backend_names[b] : "?"; }
int backend_parse(const char *s)
{
    for (int k = 0; k < RT_BK_N; k++)
        if (strcmp(s, backend_names[k]) == 0)
            return k;
    return -1;
}
const char *prec_name(enum rt_prec p) { return (unsigned)p < RT_PREC_N ? prec_names[p] : "?"; }
static const char *const host_cpu_names[RT_HOST_N + 1] = { RT_HOST_CPUS(NAME) NULL };
#undef NAME
/* The core classes' names, from their table (core/cpuclass.c), NULL-terminated. */
static const char *const *cpu_class_names(void)
{
    static const char *names[RT_CPU_N + 1];
    if (!names[0])
        for (int c = 0; c < RT_CPU_N; c++)
            names[c] = rt_cpu_class_name(c);
    return names;
}
const char *host_cpu_name(int h) { return (unsigned)h < RT_HOST_N ? host_cpu_names[h] : "?"; }
const char *family_name(enum rt_family f) { return (unsigned)f < RT_FAM_N ? family_names[f] : "?"; }
bool format_is_gguf(const char *id)
{
    return id[0] == 'q' || strncmp(id, "iq", 2) == 0 || strcmp(id, "fp32") == 0 || strcmp(id, "fp16") == 0 ||
           strcmp(id, "bf16") == 0 || strcmp(id, "mxfp4") == 0;
}

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

void catalog_init(struct catalog *c) { memset(c, 0, sizeof *c); }

void catalog_free(struct catalog *c)
{
    if (!c->borrowed) {
        free(c->models);
        free(c->devices);
        free(c->formats);
        free(c->engines);
        free(c->apis);
    }
    catalog_init(c);
}

/* ---- reading one entry of each kind ---- */

/* libconfig behind the architecture interpreter's accessor (import/arch.h): a
 * catalog entry's keys mean what the same config.json keys mean. */
static const void *c_member(const void *g, const char *key)
{
    return config_setting_is_group((const config_setting_t *)g)
               ? config_setting_get_member((const config_setting_t *)g, key) : NULL;
}

static enum av_type c_type(const void *v)
{
    switch (config_setting_type((const config_setting_t *)v)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return AV_INT;
    case CONFIG_TYPE_FLOAT: return AV_REAL;
    case CONFIG_TYPE_BOOL: return AV_BOOL;
    case CONFIG_TYPE_STRING: return AV_STRING;
    case CONFIG_TYPE_ARRAY:
    case CONFIG_TYPE_LIST: return AV_LIST;
    case CONFIG_TYPE_GROUP: return AV_GROUP;
    default: return AV_NULL;
    }
}

static double c_number(const void *v)
{
    const config_setting_t *s = v;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return (double)config_setting_get_int64(s);
    case CONFIG_TYPE_FLOAT: return config_setting_get_float(s);
    case CONFIG_TYPE_BOOL: return config_setting_get_bool(s) ? 1 : 0;
    default: return 0;
    }
}

static const char *c_string(const void *v) { return config_setting_get_string((const config_setting_t *)v); }
static size_t c_size(const void *v) { return (size_t)config_setting_length((const config_setting_t *)v); }
static const void *c_elem(const void *v, size_t i)
{
    return config_setting_get_elem((const config_setting_t *)v, (unsigned)i);
}
static const char *c_key(const void *g, size_t i)
{
    const config_setting_t *e = config_setting_get_elem((const config_setting_t *)g, (unsigned)i);
    return e ? config_setting_name(e) : NULL;
}
static int c_line(const void *v) { return (int)config_setting_source_line((const config_setting_t *)v); }

static const char *c_file(const void *v) { return config_setting_source_file((const config_setting_t *)v); }

static const struct av_ops cfg_ops = { c_member, c_type, c_number, c_string, c_size, c_elem, c_key, c_line,
                                       c_file };

static void model_fail(void *ctx, const void *v, const char *key, const char *msg)
{
    cfg_fail(ctx, v, key, "%s", msg);
}

static void read_model(struct cfgread *r, config_setting_t *g, struct rt_model *m)
{
    struct av_source src = { &cfg_ops, g, r->file, true, model_fail, r };
    if (arch_read(&src, m, NULL, 0, r->err, r->errlen) != RT_OK) {
        r->failed = true;
        return;
    }
    cfg_str(r, g, "id", m->id, sizeof m->id, NULL);
    cfg_str(r, g, "name", m->name, sizeof m->name, m->id);
    cfg_str(r, g, "hf_repo", m->hf_repo, sizeof m->hf_repo, "");
    cfg_str(r, g, "gguf_repo", m->gguf_repo, sizeof m->gguf_repo, "");
    cfg_str(r, g, "native_weights", m->native_weights, sizeof m->native_weights, "");
    cfg_str(r, g, "native_source", m->native_source, sizeof m->native_source, "");
    cfg_str(r, g, "native_attn_weights", m->native_attn, sizeof m->native_attn, "");
    cfg_str(r, g, "native_dense_weights", m->native_dense, sizeof m->native_dense, "");
    if ((m->native_attn[0] || m->native_dense[0]) && !m->native_weights[0])
        cfg_fail(r, g, "native_attn_weights", "a tensor class's native format needs native_weights");
    if (m->native_weights[0] && !m->native_source[0])
        cfg_fail(r, g, "native_source", "native_weights needs the source that publishes it");
    m->official_params = cfg_real(r, g, "official_params", 0, 0, 1e16);
    m->official_active = cfg_real(r, g, "official_active", 0, 0, 1e16);
    /* the published per-token acceptance rate as a draft (or of the model's MTP layers) */
    m->draft_accept = cfg_real(r, g, "draft_acceptance", 0, 0, 1);
    /* the routed experts' measured skew across expert-parallel ranks, and the rank count
     * it was measured at (both or neither) */
    m->route_imbalance = cfg_real(r, g, "route_imbalance", 0, 0, 1e3);
    m->route_imbalance_ep = cfg_int(r, g, "route_imbalance_ep", 0, 0, 1000000); /* a whole number of ranks */
    if ((m->route_imbalance > 0) != (m->route_imbalance_ep >= 2))
        cfg_fail(r, g, "route_imbalance", "route_imbalance needs route_imbalance_ep (2 or more ranks), and the reverse");
}

static void read_device(struct cfgread *r, config_setting_t *g, struct rt_device *d)
{
    memset(d, 0, sizeof *d);
    cfg_str(r, g, "id", d->id, sizeof d->id, NULL);
    cfg_str(r, g, "name", d->name, sizeof d->name, d->id);
    d->family = (enum rt_family)cfg_enum(r, g, "family", family_names, RT_FAM_NVIDIA_DC);
    d->memory_bytes = cfg_real(r, g, "memory_gb", -1, 0.001, 1e6) * 1e9;
    d->bandwidth = cfg_real(r, g, "bandwidth_gbps", -1, 0.001, 1e6) * 1e9;
    /* measured bandwidth where kernels stay well below the peak (kclass.c) */
    d->attainable_bw = cfg_real(r, g, "attainable_gbps", 0, 0, 1e6) * 1e9;
    if (d->attainable_bw > d->bandwidth && d->bandwidth > 0)
        cfg_fail(r, g, "attainable_gbps", "more than bandwidth_gbps");
    /* unified memory: the share a runtime may use, as GB or as a fraction of memory_gb */
    double usable_gb = cfg_real(r, g, "usable_gb", 0, 0, 1e6);
    double usable_frac = cfg_real(r, g, "usable_fraction", 0, 0, 1);
    if (usable_gb > 0 && usable_frac > 0)
        cfg_fail(r, g, "usable_gb", "give usable_gb or usable_fraction, not both");
    d->usable_bytes = usable_gb > 0 ? usable_gb * 1e9 : usable_frac * d->memory_bytes;
    if (d->memory_bytes > 0 && d->usable_bytes > d->memory_bytes)
        cfg_fail(r, g, "usable_gb", "more than memory_gb");
    config_setting_t *t = config_setting_get_member(g, "tflops");
    if (!t || !config_setting_is_group(t)) {
        cfg_fail(r, t ? t : g, "tflops", "a group of dense peaks per precision is required");
    } else {
        for (int p = 0; p < RT_PREC_N; p++)
            d->peak[p] = cfg_real(r, t, prec_names[p], 0, 0, 1e6) * 1e12;
        d->peak_fp16_acc16 = cfg_real(r, t, "fp16_acc16", 0, 0, 1e6) * 1e12;
    }
    /* a measured 16-bit matmul rate (kclass.c rt_tensor_share): above the peak it is no derating */
    d->attainable_flops = cfg_real(r, g, "attainable_tflops", 0, 0, 1e6) * 1e12;
    double p16 = d->peak[RT_BF16] > 0 ? d->peak[RT_BF16] : d->peak[RT_FP16];
    if (d->attainable_flops > 0 && !(p16 > 0))
        cfg_fail(r, g, "attainable_tflops", "needs a bf16 or fp16 peak in tflops");
    else if (d->attainable_flops > p16 && p16 > 0)
        cfg_fail(r, g, "attainable_tflops", "more than the bf16 (else fp16) peak");
    /* a measured FP8 matmul rate, where it is its own share of the FP8 peak (kclass.c) */
    d->attainable_fp8_flops = cfg_real(r, g, "attainable_fp8_tflops", 0, 0, 1e6) * 1e12;
    if (d->attainable_fp8_flops > 0 && !(d->peak[RT_FP8] > 0))
        cfg_fail(r, g, "attainable_fp8_tflops", "needs an fp8 peak in tflops");
    else if (d->attainable_fp8_flops > d->peak[RT_FP8] && d->peak[RT_FP8] > 0)
        cfg_fail(r, g, "attainable_fp8_tflops", "more than the fp8 peak");
    /* rocBLAS's measured FP16 GEMM rate on the chip (kclass.c): llama.cpp's HIP prompt GEMMs */
    d->rocblas_flops = cfg_real(r, g, "rocblas_tflops", 0, 0, 1e6) * 1e12;
    if (d->rocblas_flops > 0 && d->family != RT_FAM_AMD)
        cfg_fail(r, g, "rocblas_tflops", "only AMD GPUs (family \"amd\") take it");
    else if (d->rocblas_flops > 0 && !(d->peak[RT_FP16] > 0))
        cfg_fail(r, g, "rocblas_tflops", "needs an fp16 peak in tflops");
    else if (d->rocblas_flops > d->peak[RT_FP16] && d->peak[RT_FP16] > 0)
        cfg_fail(r, g, "rocblas_tflops", "more than the fp16 peak");
    d->link_bw = cfg_real(r, g, "link_gbps", 0, 0, 1e5) * 1e9;
    d->nvlink = cfg_bool(r, g, "nvlink", false);
    d->alu_parallel = cfg_bool(r, g, "alu_parallel", false);
    if (d->alu_parallel && d->family != RT_FAM_APPLE)
        cfg_fail(r, g, "alu_parallel", "only Apple GPUs (family \"apple\") take it");
    d->host_cpu = cfg_enum(r, g, "host_cpu", host_cpu_names, RT_HOST_X86);
    /* the chip and its enabled SMs: a measured kernel's curve serves the same chip and count (attn.c) */
    cfg_str(r, g, "chip", d->chip, sizeof d->chip, "");
    d->sms = (int)cfg_int(r, g, "sms", 0, 1, 10000);
    if (!d->chip[0] != !(d->sms > 0))
        cfg_fail(r, g, d->chip[0] ? "sms" : "chip", "chip and sms are given together");
    /* the GPU's boost clock: an engine's per-layer cost stated at a clock scales by it (perf.c) */
    d->boost_hz = cfg_real(r, g, "boost_mhz", 0, DEV_BOOST_MHZ_MIN, DEV_BOOST_MHZ_MAX) * 1e6;
    if (d->boost_hz > 0 && d->family == RT_FAM_CPU)
        cfg_fail(r, g, "boost_mhz", "a GPU's clock: CPU entries give clock_ghz");
    /* CPU entries: core class, cores and sustained all-core clock (cpuclass.c) */
    d->cpu_class = cfg_enum(r, g, "core_class", cpu_class_names(), RT_CPU_NONE);
    d->cpu_cores = cfg_real(r, g, "cores", 0, 0, 1e5);
    d->cpu_hz = cfg_real(r, g, "clock_ghz", 0, 0, 100) * 1e9;
    if (d->cpu_class != RT_CPU_NONE && (d->family != RT_FAM_CPU || d->cpu_cores <= 0 || d->cpu_hz <= 0))
        cfg_fail(r, g, "core_class", "a core class needs family \"cpu\", cores and clock_ghz");
    rt_cpu_fill_peaks(d);
    d->node_devices = cfg_int(r, g, "node_devices", 0, 0, RT_DEVICES_MAX);
    d->node_link_bw = cfg_real(r, g, "node_link_gbps", 0, 0, 1e5) * 1e9;
    d->tdp_w = cfg_real(r, g, "tdp_w", 0, 0, 1e5);
    d->price_usd = cfg_real(r, g, "price_usd", 0, 0, 1e8);
    d->price_hour = cfg_real(r, g, "price_hour", 0, 0, 1e4);
}

/* How llama.cpp's kernels take the format (types.h rt_format, formats.cfg): the figures
 * are read once here, so that the core reads a field, never a format's id. */
static void read_format_kernels(struct cfgread *r, config_setting_t *g, struct rt_format *f)
{
    /* Metal's mul_mm: the format's prompt rate and the 16-bit one of the same run */
    config_setting_t *mm_s = config_setting_get_member(g, "metal_gemm_rate");
    double mm[2] = { 0, 0 };
    cfg_real_array(r, g, "metal_gemm_rate", mm, 2, 0, 1e9);
    if (mm_s && (!(mm[0] > 0) || !(mm[1] > 0)))
        cfg_fail(r, mm_s, "metal_gemm_rate", "expected [the format's tokens/s, the 16-bit tokens/s], both above 0");
    else if (mm_s && mm[0] > mm[1])
        cfg_fail(r, mm_s, "metal_gemm_rate", "the format's rate (%g) is above the 16-bit one (%g): dequantising "
                 "weights in the kernel adds work", mm[0], mm[1]);
    else if (mm_s)
        f->metal_gemm_share = mm[0] / mm[1];
    f->metal_gemv_flop = cfg_real(r, g, "metal_gemv_flop", 0, 0, 1e3);
    f->tinyblas_row_ops = cfg_real(r, g, "tinyblas_row_ops", 0, 0, 100);
    f->vk_row_matvec_flop = cfg_real(r, g, "vk_row_matvec_flop", 0, 0, 1e3);
    f->deq_twice_cycles = cfg_real(r, g, "deq_twice_cycles", 0, 0, 100);
    f->repack_tiles = cfg_enum(r, g, "repack_tiles", tiles_names, RT_TILES_NONE);
    /* ggml's quantised blocks, multiplied at 16 bits: the only formats these kernels take */
    if (f->compute == RT_FP16 && f->bits < 16)
        return;
    static const char *const keys[] = { "metal_gemm_rate", "metal_gemv_flop", "tinyblas_row_ops", "repack_tiles",
                                       "vk_row_matvec_flop", "deq_twice_cycles" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        config_setting_t *k = config_setting_get_member(g, keys[i]);
        if (k) {
            cfg_fail(r, k, keys[i], "only a quantised format computed at 16 bits (compute \"fp16\", bits below 16) "
                     "runs llama.cpp's block kernels");
            return;
        }
    }
}

static void read_format(struct cfgread *r, config_setting_t *g, struct rt_format *f)
{
    memset(f, 0, sizeof *f);
    cfg_str(r, g, "id", f->id, sizeof f->id, NULL);
    f->bits = cfg_real(r, g, "bits", -1, 0.5, 64);
    f->embed_bits = cfg_real(r, g, "embed_bits", 0, 0, 64);
    f->head_bits = cfg_real(r, g, "head_bits", 0, 0, 64);
    f->attn_bits = cfg_real(r, g, "attn_bits", 0, 0, 64);
    f->dense_bits = cfg_real(r, g, "dense_bits", 0, 0, 64);
    f->compute = (enum rt_prec)cfg_enum(r, g, "compute", prec_names, RT_FP16);
    f->klass = (int)cfg_int(r, g, "class", 0, 0, 2);
    f->kv_ok = cfg_bool(r, g, "kv", false);
    f->ppl_delta = config_setting_get_member(g, "ppl_delta") ? cfg_real(r, g, "ppl_delta", 0, 0, 1e3) : NAN;
    read_format_kernels(r, g, f);
}

/* kernels = { attn = ..; gemms_attn = ..; kernel_us = ..; ... }: the kernels of one
 * layer (rt_engine, doc/method.md); absent: not counted. */
static void read_kernels(struct cfgread *r, config_setting_t *g, struct rt_engine *e)
{
    config_setting_t *k = config_setting_get_member(g, "kernels");
    if (!k)
        return;
    e->k_attn = (int)cfg_int(r, k, "attn", 0, 0, 1000);
    e->k_ffn = (int)cfg_int(r, k, "ffn", 0, 0, 1000);
    e->k_moe = (int)cfg_int(r, k, "moe", 0, 0, 1000);
    e->g_attn = (int)cfg_int(r, k, "gemms_attn", 0, 0, 100);
    e->g_ffn = (int)cfg_int(r, k, "gemms_ffn", 0, 0, 100);
    e->g_moe = (int)cfg_int(r, k, "gemms_moe", 0, 0, 100);
    e->k_mla = (int)cfg_int(r, k, "mla", 0, 0, 1000);
    e->g_mla = (int)cfg_int(r, k, "gemms_mla", 0, 0, 100);
    e->k_qk_tp = (int)cfg_int(r, k, "qk_norm_tp", 0, 0, 100);
    e->r_qk_tp = (int)cfg_int(r, k, "qk_norm_tp_reduces", 0, 0, 100);
    e->kernel_s = cfg_real(r, k, "kernel_us", 0, 0, 1e4) * 1e-6;
    e->launch_s = cfg_real(r, k, "launch_us", 0, 0, 1e4) * 1e-6;
    cfg_real_array(r, k, "gemm_latency_us", e->gemm_latency_s, 3, 0, 1e4);
    for (int i = 0; i < 3; i++)
        e->gemm_latency_s[i] *= 1e-6;
    e->route_s = cfg_real(r, k, "route_us", 0, 0, 1e5) * 1e-6;
    cfg_real_array(r, k, "moe_untuned_us", e->moe_untuned_s, 2, 0, 1e5);
    cfg_real_array(r, k, "moe_untuned_tokens", e->moe_untuned_tok, 2, 0, 1e7);
    for (int i = 0; i < 2; i++)
        e->moe_untuned_s[i] *= 1e-6;
    cfg_real_array(r, k, "quant8", e->k_q8, 4, 0, 1000);
    cfg_real_array(r, k, "quant4", e->k_q4, 4, 0, 1000);
    e->moe_pad_block = (double)cfg_int(r, k, "moe_pad_block", 0, 0, ENG_PAD_BLOCK_MAX);
    e->tile_n = cfg_real(r, k, "tile_n", 0, 0, 1e5);
    cfg_real_array(r, k, "tile_gbps", e->tile_bw, 3, 0, 1e5);
    for (int i = 0; i < 3; i++)
        e->tile_bw[i] *= 1e9;
    cfg_str(r, k, "tile_except", e->tile_except, sizeof e->tile_except, "");
    e->tile_dense_only = !cfg_bool(r, k, "tile_experts", true);
    /* the graph batch limit is the profile's cuda_graph_max_bs; graph_max_batch here is
     * its older spelling, read only where the profile does not give it */
    int64_t gmb = cfg_int(r, k, "graph_max_batch", 0, 0, (int64_t)1 << 20);
    if (e->cuda_graph_max_bs == 0)
        e->cuda_graph_max_bs = gmb;
}

/* mbu_family = { amd = 0.74; ... }: a factor per device family into out[]; a key that is no
 * family (AMD, rocm, a typo) or a value that is no group is refused, not left at 1 unread. */
static void read_family_factors(struct cfgread *r, config_setting_t *g, const char *key, double *out)
{
    config_setting_t *mf = config_setting_get_member(g, key);
    if (!mf)
        return;
    if (!config_setting_is_group(mf)) {
        cfg_fail(r, mf, key, "expected a group of device families, e.g. { nvidia-dc = 0.9; amd = 0.8; }");
        return;
    }
    for (int i = 0; i < config_setting_length(mf); i++) {
        config_setting_t *k = config_setting_get_elem(mf, (unsigned)i);
        char why[160];
        if (text_choice(family_names, config_setting_name(k), why, sizeof why) < 0) {
            cfg_fail(r, k, key, "'%.40s' is no device family: %s", config_setting_name(k), why);
            return;
        }
    }
    for (int i = 0; i < RT_FAM_N; i++)
        out[i] = cfg_real(r, mf, family_names[i], 1.0, ENG_FACTOR_MIN, ENG_FACTOR_MAX);
}

static void read_engine(struct cfgread *r, config_setting_t *g, struct rt_engine *e)
{
    memset(e, 0, sizeof *e);
    cfg_str(r, g, "id", e->id, sizeof e->id, NULL);
    cfg_str(r, g, "name", e->name, sizeof e->name, e->id);
    cfg_str(r, g, "version", e->version, sizeof e->version, "");
    cfg_str(r, g, "aliases", e->aliases, sizeof e->aliases, "");
    e->cuda_graph_max_bs = cfg_int(r, g, "cuda_graph_max_bs", 0, 0, (int64_t)1 << 24);
    e->large_gib = cfg_real(r, g, "large_gib", 0, 0, 1e6);
    e->large_max_seqs = cfg_int(r, g, "large_max_seqs", 0, 0, (int64_t)1 << 24);
    e->large_max_batched_tokens = cfg_int(r, g, "large_max_batched_tokens", 0, 0, (int64_t)1 << 30);
    cfg_str(r, g, "large_exclude", e->large_exclude, sizeof e->large_exclude, "");
    for (int i = 0; i < RT_HOST_N; i++) {
        e->host_step_s[i] = cfg_real(r, g, i ? "host_step_us_grace" : "host_step_us", 0, 0, 1e7) * 1e-6;
        e->host_seq_s[i] = cfg_real(r, g, i ? "host_seq_us_grace" : "host_seq_us", 0, 0, 1e6) * 1e-6;
    }
    e->host_overlap = cfg_bool(r, g, "host_overlap", false);
    e->swa_kv = cfg_enum(r, g, "swa_kv", swa_kv_names, RT_SWAKV_WINDOW);
    e->attn_kernel = cfg_enum(r, g, "attn_kernel", attn_kernel_names, RT_AK_UNMEASURED);
    e->ssm_kernel = cfg_enum(r, g, "ssm_kernel", ssm_kernel_names, RT_SK_UNMEASURED);
    e->kv_policy = cfg_enum(r, g, "kv_policy", kv_policy_names, RT_KVP_RESERVE);
    cfg_real_array(r, g, "custom_ar_bytes", e->custom_ar_max, 3, 0, 1 << 30);
    config_setting_t *so = config_setting_get_member(g, "sources");
    struct { const char *key; char *dst; } srcs[] = {
        { "max_seqs", e->src.max_seqs }, { "max_batched_tokens", e->src.max_batched_tokens }, { "kv", e->src.kv },
        { "cuda_graph", e->src.cuda_graph }, { "host", e->src.host }, { "swa", e->src.swa },
        { "attn", e->src.attn }, { "kv_policy", e->src.kv_policy }, { "allreduce", e->src.allreduce },
    };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++)
        if (so)
            cfg_str(r, so, srcs[i].key, srcs[i].dst, RT_SOURCE_MAX, "not published");
        else
            snprintf(srcs[i].dst, RT_SOURCE_MAX, "not published");
    e->mbu = cfg_real(r, g, "mbu", -1, ENG_EFF_MIN, RT_EFFICIENCY_MAX);
    e->mfu = cfg_real(r, g, "mfu", -1, ENG_EFF_MIN, RT_EFFICIENCY_MAX);
    for (int i = 0; i < 3; i++)
        e->mbu_class[i] = 1.0;
    for (int i = 0; i < RT_FAM_N; i++)
        e->mbu_family[i] = e->mfu_family[i] = 1.0;
    cfg_real_array(r, g, "mbu_class", e->mbu_class, 3, ENG_FACTOR_MIN, ENG_FACTOR_MAX);
    read_family_factors(r, g, "mbu_family", e->mbu_family);
    read_family_factors(r, g, "mfu_family", e->mfu_family);
    e->step_overhead_s = cfg_real(r, g, "step_overhead_us", 0, 0, ENG_STEP_US_MAX) * 1e-6;
    e->layer_overhead_s = cfg_real(r, g, "layer_overhead_us", 0, 0, ENG_LAYER_US_MAX) * 1e-6;
    e->layer_clock_hz = cfg_real(r, g, "layer_clock_mhz", 0, DEV_BOOST_MHZ_MIN, DEV_BOOST_MHZ_MAX) * 1e6;
    e->request_overhead_s = cfg_real(r, g, "request_overhead_ms", 0, 0, ENG_REQUEST_MS_MAX) * 1e-3;
    e->stage_overhead_s = cfg_real(r, g, "stage_overhead_us", 0, 0, ENG_STEP_US_MAX) * 1e-6;
    e->first_pass_s = cfg_real(r, g, "first_pass_ms", 0, 0, ENG_FIRST_PASS_MS_MAX) * 1e-3;
    e->half_accumulate = cfg_bool(r, g, "half_accumulate", false);
    e->split_layers = cfg_bool(r, g, "split_layers", false);
    e->qgemm = cfg_enum(r, g, "qgemm", qgemm_names, RT_QGEMM_WEIGHT_ONLY);
    read_kernels(r, g, e);
    config_setting_t *misplaced = config_setting_get_member(g, "moe_pad_block");
    if (misplaced) /* read only inside kernels: outside it the padding would be dropped unsaid */
        cfg_fail(r, misplaced, "moe_pad_block", "belongs in the kernels group: kernels = { moe_pad_block = ...; }");
    e->context_bytes = cfg_real(r, g, "context_gb", 0, 0, ENG_CONTEXT_GB_MAX) * 1e9;
    e->mem_util = cfg_real(r, g, "mem_util", 1.0, ENG_MEM_UTIL_MIN, 1.0);
    e->mem_util_of_free = cfg_bool(r, g, "mem_util_of_free", false);
    e->max_batched_tokens = cfg_int(r, g, "max_batched_tokens", 0, 0, ENG_BATCHED_MAX);
    e->max_seqs = cfg_int(r, g, "max_seqs", 0, 0, ENG_SEQS_MAX);
    e->band_low = cfg_real(r, g, "band_low", 1.0, ENG_BAND_LOW_MIN, 1.0);
    e->band_high = cfg_real(r, g, "band_high", 1.0, 1.0, ENG_BAND_HIGH_MAX);
    /* coverage = { nvidia-dc = [in, runs]; ... }: the band's cross-validated coverage */
    config_setting_t *cv = config_setting_get_member(g, "coverage");
    if (cv)
        for (int i = 0; i < RT_FAM_N; i++) {
            config_setting_t *a = config_setting_get_member(cv, family_names[i]);
            if (!a)
                continue;
            int len = config_setting_is_array(a) ? config_setting_length(a) : 0;
            if (len != 2 && len != 3) {
                cfg_fail(r, a, family_names[i], "expected [inside, runs] or [inside, runs, moe_runs]");
                continue;
            }
            int in = config_setting_get_int_elem(a, 0), runs = config_setting_get_int_elem(a, 1);
            int moe = len == 3 ? config_setting_get_int_elem(a, 2) : 0;
            if (in < 0 || runs < in || runs > ENG_RUNS_MAX || moe < 0 || moe > runs) {
                cfg_fail(r, a, family_names[i], "expected 0 <= inside <= runs and 0 <= moe_runs <= runs");
                continue;
            }
            e->band_in[i] = in;
            e->band_runs[i] = runs;
            e->band_moe[i] = moe;
            e->band_classes = e->band_classes || len == 3;
        }
}

static void read_api(struct cfgread *r, config_setting_t *g, struct rt_api *a)
{
    memset(a, 0, sizeof *a);
    cfg_str(r, g, "id", a->id, sizeof a->id, NULL);
    cfg_str(r, g, "name", a->name, sizeof a->name, a->id);
    a->input_usd_mtok = cfg_real(r, g, "input_usd_per_mtok", -1, 0, 1e6);
    a->output_usd_mtok = cfg_real(r, g, "output_usd_per_mtok", -1, 0, 1e6);
    a->context = cfg_int(r, g, "context", 0, 0, (int64_t)1 << 32);
    cfg_str(r, g, "date", a->date, sizeof a->date, "");
    cfg_str(r, g, "source", a->source, sizeof a->source, "");
    a->ttft_s = cfg_real(r, g, "ttft_s", 0, 0, 1e4);
    a->output_tok_s = cfg_real(r, g, "output_tok_s", 0, 0, 1e6);
    cfg_str(r, g, "latency_date", a->latency_date, sizeof a->latency_date, "");
    cfg_str(r, g, "latency_source", a->latency_source, sizeof a->latency_source, "");
    if ((a->ttft_s > 0 || a->output_tok_s > 0) && (!a->latency_date[0] || !a->latency_source[0]))
        cfg_fail(r, g, "latency_source", "ttft_s and output_tok_s need latency_date and latency_source");
}

/* ---- merging ---- */

#define DEFINE_UPSERT(fn, type, arr, n, cap)                                     \
    static int fn(struct catalog *c, const type *v)                             \
    {                                                                            \
        for (size_t i = 0; i < c->n; i++)                                        \
            if (strcmp(c->arr[i].id, v->id) == 0) {                              \
                c->arr[i] = *v;                                                  \
                return 0;                                                        \
            }                                                                    \
        if (c->n == c->cap) {                                                    \
            size_t nc = c->cap ? c->cap * 2 : 32;                                \
            type *p = realloc(c->arr, nc * sizeof *p);                           \
            if (!p)                                                              \
                return -1;                                                       \
            c->arr = p;                                                          \
            c->cap = nc;                                                         \
        }                                                                        \
        c->arr[c->n++] = *v;                                                     \
        return 0;                                                                \
    }
DEFINE_UPSERT(upsert_model, struct rt_model, models, n_models, cap_models)
DEFINE_UPSERT(upsert_device, struct rt_device, devices, n_devices, cap_devices)
DEFINE_UPSERT(upsert_format, struct rt_format, formats, n_formats, cap_formats)
DEFINE_UPSERT(upsert_engine, struct rt_engine, engines, n_engines, cap_engines)
DEFINE_UPSERT(upsert_api, struct rt_api, apis, n_apis, cap_apis)

static const char *const list_names[CAT_KIND_N] = { "models", "devices", "formats", "engines", "apis" };

/* A valid id: lower case, digits, '.', '-' and '_'. */
static bool id_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '.' || *s == '_'))
            return false;
    return true;
}

static int merge_config(struct catalog *c, config_t *cfg, struct cfgread *r)
{
    /* Parse everything into a scratch catalog first: a bad file changes nothing. */
    struct catalog tmp = *c;
    tmp.borrowed = false; /* tmp's arrays are fresh copies */
    size_t sizes[4] = { c->n_models, c->n_devices, c->n_formats, c->n_engines };
    struct rt_model *mm = NULL;
    struct rt_device *dd = NULL;
    struct rt_format *ff = NULL;
    struct rt_engine *ee = NULL;
    struct rt_api *aa = NULL;
    tmp.models = mm = sizes[0] ? malloc(c->n_models * sizeof *mm) : NULL;
    tmp.devices = dd = sizes[1] ? malloc(c->n_devices * sizeof *dd) : NULL;
    tmp.formats = ff = sizes[2] ? malloc(c->n_formats * sizeof *ff) : NULL;
    tmp.engines = ee = sizes[3] ? malloc(c->n_engines * sizeof *ee) : NULL;
    tmp.apis = aa = c->n_apis ? malloc(c->n_apis * sizeof *aa) : NULL;
    tmp.cap_apis = c->n_apis;
    tmp.cap_models = sizes[0];
    tmp.cap_devices = sizes[1];
    tmp.cap_formats = sizes[2];
    tmp.cap_engines = sizes[3];
    if ((sizes[0] && !mm) || (sizes[1] && !dd) || (sizes[2] && !ff) || (sizes[3] && !ee) || (c->n_apis && !aa)) {
        catalog_free(&tmp);
        return cfg_fail(r, NULL, "", "out of memory");
    }
    if (sizes[0]) memcpy(mm, c->models, sizes[0] * sizeof *mm);
    if (sizes[1]) memcpy(dd, c->devices, sizes[1] * sizeof *dd);
    if (sizes[2]) memcpy(ff, c->formats, sizes[2] * sizeof *ff);
    if (sizes[3]) memcpy(ee, c->engines, sizes[3] * sizeof *ee);
    if (c->n_apis) memcpy(aa, c->apis, c->n_apis * sizeof *aa);

    config_setting_t *root = config_root_setting(cfg);
    for (unsigned i = 0; i < (unsigned)config_setting_length(root) && !r->failed; i++) {
        config_setting_t *s = config_setting_get_elem(root, i);
        const char *name = config_setting_name(s);
        if (name && strcmp(name, "revision") == 0)
            continue;
        int kind = name ? lookup(list_names, CAT_KIND_N, name) : -1;
        if (kind < 0) {
            cfg_fail(r, s, name ? name : "?", "unknown setting (expected models, devices, formats, engines or apis)");
            break;
        }
        if (!config_setting_is_list(s) && !config_setting_is_array(s)) {
            cfg_fail(r, s, name, "must be a list: %s = ( { id = \"...\"; ... }, ... );", name);
            break;
        }
        size_t *count[CAT_KIND_N] = { &tmp.n_models, &tmp.n_devices, &tmp.n_formats, &tmp.n_engines, &tmp.n_apis };
        if ((size_t)config_setting_length(s) > CAT_ENTRIES_MAX) {
            cfg_fail(r, s, name, "more than %d entries", CAT_ENTRIES_MAX);
            break;
        }
        for (unsigned j = 0; j < (unsigned)config_setting_length(s) && !r->failed; j++) {
            config_setting_t *g = config_setting_get_elem(s, j);
            if (*count[kind] >= CAT_ENTRIES_MAX) { /* ids are looked up one by one: keep the lists short */
                cfg_fail(r, g, name, "the catalog would hold more than %d %s", CAT_ENTRIES_MAX, name);
                break;
            }
            if (!config_setting_is_group(g)) {
                cfg_fail(r, g, name, "each entry must be a group { ... }");
                break;
            }
            union { struct rt_model m; struct rt_device d; struct rt_format f; struct rt_engine e; struct rt_api a; } u;
            const char *id = NULL;
            int rc = 0;
            switch (kind) {
            case CAT_MODELS: read_model(r, g, &u.m); id = u.m.id; break;
            case CAT_DEVICES: read_device(r, g, &u.d); id = u.d.id; break;
            case CAT_FORMATS: read_format(r, g, &u.f); id = u.f.id; break;
            case CAT_APIS: read_api(r, g, &u.a); id = u.a.id; break;
            default: read_engine(r, g, &u.e); id = u.e.id; break;
            }
            if (r->failed)
                break;
            if (!id_ok(id)) {
                cfg_fail(r, config_setting_get_member(g, "id"), "id",
                         "'%s' is not a valid id (lower case letters, digits, '.', '-', '_')", id);
                break;
            }
            switch (kind) {
            case CAT_MODELS: rc = upsert_model(&tmp, &u.m); break;
            case CAT_DEVICES: rc = upsert_device(&tmp, &u.d); break;
            case CAT_FORMATS: rc = upsert_format(&tmp, &u.f); break;
            case CAT_APIS: rc = upsert_api(&tmp, &u.a); break;
            default: rc = upsert_engine(&tmp, &u.e); break;
            }
            if (rc != 0)
                cfg_fail(r, g, "", "out of memory");
        }
    }
    if (r->failed) {
        catalog_free(&tmp);
        return RT_EINVAL;
    }
    catalog_free(c);
    *c = tmp;
    return RT_OK;
}

int catalog_merge_text(struct catalog *c, const char *text, const char *name, const char *dir,
                       char *err, size_t errlen)
{
    config_t cfg;
    config_init(&cfg);
    config_set_auto_convert(&cfg, 1);
    struct cfg_src src;
    if (cfg_parse(&cfg, text, name, dir, CAT_FILE_MAX, &src, err, errlen) != RT_OK) {
        config_destroy(&cfg);
        cfg_src_free(&src);
        return RT_EINVAL;
    }
    struct cfgread r = { .file = name, .err = err, .errlen = errlen, .src = &src };
    int rc = merge_config(c, &cfg, &r);
    config_destroy(&cfg);
    cfg_src_free(&src);
    return rc;
}

int catalog_merge_file(struct catalog *c, const char *path, char *err, size_t errlen)
{
    char *text = slurp_file(path, NULL, CAT_FILE_MAX);
    if (!text) {
        snprintf(err, errlen, "%s: %s", path, slurp_strerror(errno, CAT_FILE_MAX));
        return RT_EINVAL;
    }
    char dir[PATH_MAX];
    cfg_dirname(path, dir, sizeof dir);
    int rc = catalog_merge_text(c, text, path, dir, err, errlen);
    free(text);
    return rc;
}

/* The "revision = N;" line of a preset file, 0 if none. */
static int text_revision(const char *text)
{
    const char *p = strncmp(text, "revision", 8) == 0 ? text : strstr(text, "\nrevision");
    if (!p)
        return 0;
    p = strchr(p, '=');
    return p ? atoi(p + 1) : 0;
}

int catalog_parse_builtin(struct catalog *c, char *err, size_t errlen)
{
    for (size_t i = 0; i < rt_embedded_count; i++) {
        if (strchr(rt_embedded[i].name, '/'))
            continue; /* sessions/ and themes/ are not catalog files */
        char name[128];
        snprintf(name, sizeof name, "presets/%s (built in)", rt_embedded[i].name);
        if (catalog_merge_text(c, rt_embedded[i].text, name, NULL, err, errlen) != RT_OK)
            return RT_EINVAL;
        for (int k = 0; k < CAT_KIND_N; k++) {
            char fn[32];
            snprintf(fn, sizeof fn, "%s.cfg", list_names[k]);
            if (strcmp(fn, rt_embedded[i].name) == 0)
                c->revision[k] = text_revision(rt_embedded[i].text);
        }
    }
    return RT_OK;
}

static void warnf(cat_warn_fn warn, void *ctx, const char *fmt, ...)
{
    if (!warn)
        return;
    char buf[CAT_ERR_MAX + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    warn(buf, ctx);
}

void catalog_load_overlays(struct catalog *c, const char *pkgdatadir, cat_warn_fn warn, void *ctx)
{
    char path[PATH_MAX], err[CAT_ERR_MAX];
    for (int k = 0; k < CAT_KIND_N; k++) {
        /* the installed copy, only when it is a newer revision than the built-in one */
        if (pkgdatadir && *pkgdatadir) {
            snprintf(path, sizeof path, "%s/presets/%s.cfg", pkgdatadir, list_names[k]);
            char *text = slurp_file(path, NULL, CAT_FILE_MAX);
            if (text) {
                if (text_revision(text) > c->revision[k] &&
                    catalog_merge_text(c, text, path, NULL, err, sizeof err) != RT_OK)
                    warnf(warn, ctx, "skipped %s", err);
                free(text);
            }
        }
    }
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char dir[PATH_MAX];
    if (xdg && *xdg)
        snprintf(dir, sizeof dir, "%s/rooftop", xdg);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.config/rooftop", home);
    else
        return;
    /* each kind's file, then the profiles --calibrate fitted */
    for (int k = 0; k <= CAT_KIND_N; k++) {
        if (k < CAT_KIND_N)
            snprintf(path, sizeof path, "%s/%s.cfg", dir, list_names[k]);
        else
            snprintf(path, sizeof path, "%s/%s", dir, CAT_CALIBRATED_FILE);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (catalog_merge_file(c, path, err, sizeof err) != RT_OK)
            warnf(warn, ctx, "skipped user file: %s", err);
    }
}

#define DEFINE_FIND(fn, type, arr, n)                                  \
    const type *fn(const struct catalog *c, const char *id)           \
    {                                                                  \
        for (size_t i = 0; i < c->n; i++)                              \
            if (strcmp(c->arr[i].id, id) == 0)                         \
                return &c->arr[i];                                     \
        return NULL;                                                   \
    }
DEFINE_FIND(catalog_model, struct rt_model, models, n_models)
DEFINE_FIND(catalog_device, struct rt_device, devices, n_devices)
DEFINE_FIND(catalog_format, struct rt_format, formats, n_formats)
/* An engine by its id, or by an older id it lists among its aliases. */
const struct rt_engine *catalog_engine(const struct catalog *c, const char *id)
{
    for (size_t i = 0; i < c->n_engines; i++)
        if (strcmp(c->engines[i].id, id) == 0)
            return &c->engines[i];
    size_t n = strlen(id);
    for (size_t i = 0; n && i < c->n_engines; i++)
        for (const char *a = c->engines[i].aliases; (a = strstr(a, id)) != NULL; a += n)
            if ((a == c->engines[i].aliases || a[-1] == ' ') && (a[n] == 0 || a[n] == ' '))
                return &c->engines[i];
    return NULL;
}
DEFINE_FIND(catalog_api, struct rt_api, apis, n_apis)

/* Levenshtein distance, capped strings of ids. */
static int distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int v = prev + cost;
            if (row[j] + 1 < v) v = row[j] + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            prev = cur;
        }
    }
    return row[lb];
}

static const char *kind_id(const struct catalog *c, enum cat_kind k, size_t i)
{
    switch (k) {
    case CAT_MODELS: return c->models[i].id;
    case CAT_DEVICES: return c->devices[i].id;
    case CAT_FORMATS: return c->formats[i].id;
    case CAT_APIS: return c->apis[i].id;
    default: return c->engines[i].id;
    }
}

void catalog_suggest(const struct catalog *c, enum cat_kind k, const char *id, char *out, size_t n)
{
    size_t count = k == CAT_MODELS ? c->n_models : k == CAT_DEVICES ? c->n_devices
                 : k == CAT_FORMATS ? c->n_formats : k == CAT_APIS ? c->n_apis : c->n_engines;
    const char *best[3] = { 0 };
    int bd[3] = { 1000, 1000, 1000 };
    for (size_t i = 0; i < count; i++) {
        const char *cand = kind_id(c, k, i);
        int d = distance(id, cand);
        if (*id && strncmp(cand, id, strlen(id)) == 0)
            d = -1; /* "h100" -> "h100-sxm", "h100-pcie": prefixes first */
        else if (*id && strstr(cand, id))
            d = 0;
        for (int s = 0; s < 3; s++)
            if (d < bd[s]) {
                for (int t = 2; t > s; t--) {
                    bd[t] = bd[t - 1];
                    best[t] = best[t - 1];
                }
                bd[s] = d;
                best[s] = cand;
                break;
            }
    }
    out[0] = 0;
    size_t len = 0;
    for (int s = 0; s < 3 && best[s]; s++) {
        if (bd[s] > (int)strlen(id) / 2 + 3)
            break;
        len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", s ? ", " : "", best[s]);
    }
}
