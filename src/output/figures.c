/* figures.c - the output figures table (see figures.h).  Keys are the
 * command-line contract's; values in SI units: bytes, seconds, FLOPs. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "output/figures.h"
#include "output/devices.h"
#include "output/words.h"
#include "base/units.h"
#include "catalog/catalog.h"
#include "scenario/spec.h"
#include "core/core.h"
#include "core/kclass.h"
#include "core/cpuclass.h"

#define TITLE(id, title) title,
const char *const section_titles[SEC_N] = { FIG_SECTIONS(TITLE) };
#undef TITLE

#define R(f) offsetof(struct rt_result, f)
#define SC(c) (&(c)->rs->s)

/* --- readers for figures that are not a field of rt_result --- */
static const char *t_model(const struct fig_ctx *c) { return SC(c)->model->id; }
static const char *t_gpu(const struct fig_ctx *c)
{
    static char buf[RT_ID_MAX * 4]; /* figures are read one at a time */
    return devices_text(c->rs, buf, sizeof buf);
}
/* mixed devices (core/split.c) */
static bool mixed(const struct fig_ctx *c) { return c->r->mix_n > 1; }
static const char *t_split_layers(const struct fig_ctx *c)
{
    static char buf[RT_MIX_MAX * 8];
    return devices_layers(c->r, buf, sizeof buf);
}
static const char *mix_name(const struct fig_ctx *c, int i)
{
    static char buf[RT_ID_MAX + 16];
    if (i < 0 || i >= c->r->mix_n)
        return "";
    snprintf(buf, sizeof buf, "%s (device %d)", SC(c)->mix[i]->id, i + 1);
    return buf;
}
static const char *t_split_decode(const struct fig_ctx *c) { return mix_name(c, c->r->mix_decode_slowest); }
static const char *t_split_prefill(const struct fig_ctx *c) { return mix_name(c, c->r->mix_prefill_slowest); }
static const char *t_split_short(const struct fig_ctx *c) { return mix_name(c, c->r->mix_short); }
static bool mixed_short(const struct fig_ctx *c) { return c->r->mix_n > 1 && c->r->mix_short >= 0; }
/* the device whose memory the per-device figures show (the first to run out as
 * sequences are added): the one whose total they carry */
static const char *t_split_shown(const struct fig_ctx *c)
{
    for (int i = 0; i < c->r->mix_n; i++)
        if (c->r->mix[i].total == c->r->per_device_bytes)
            return mix_name(c, i);
    return "";
}
static double g_split_decode_s(const struct fig_ctx *c)
{
    return c->r->mix_n > 1 ? c->r->mix[c->r->mix_decode_slowest].decode_s : 0;
}
static const char *t_weights(const struct fig_ctx *c) { return SC(c)->weights->id; }
static const char *t_kv(const struct fig_ctx *c) { return SC(c)->kv->id; }
static const char *t_attn_weights(const struct fig_ctx *c) { return spec_attn_weights(c->rs); }
static const char *t_engine(const struct fig_ctx *c) { return SC(c)->engine->id; }
static const char *t_draft(const struct fig_ctx *c) { return SC(c)->draft ? SC(c)->draft->id : ""; }
static const char *t_host(const struct fig_ctx *c) { return SC(c)->host ? SC(c)->host->id : ""; }
static const char *t_pbound(const struct fig_ctx *c) { return bound_name(c->r->prefill.bound); }
static const char *t_dbound(const struct fig_ctx *c) { return bound_name(c->r->decode.bound); }
static const char *t_pkclass(const struct fig_ctx *c) { return rt_kclass_name(c->r->prefill.kclass); }
static const char *t_dkclass(const struct fig_ctx *c) { return rt_kclass_name(c->r->decode.kclass); }
/* the class's source; a CPU's core class and rate instead (cpuclass.c) */
static void kclass_note(const struct fig_ctx *c, int id, char *buf, size_t n)
{
    char cpu[200] = "";
    if (rt_cpu_kernel_peak(SC(c)) > 0)
        rt_cpu_describe(SC(c)->device, id == RT_KC_CPU_INT8_GEMM, cpu, sizeof cpu);
    snprintf(buf, n, "%s", cpu[0] ? cpu : rt_kclass_source(id));
}
static void n_pkclass(const struct fig_ctx *c, char *buf, size_t n) { kclass_note(c, c->r->prefill.kclass, buf, n); }
static void n_dkclass(const struct fig_ctx *c, char *buf, size_t n) { kclass_note(c, c->r->decode.kclass, buf, n); }
static const char *t_warnings(const struct fig_ctx *c)
{
    static char buf[1024]; /* figures are read one at a time */
    figures_warnings(c, buf, sizeof buf);
    return buf;
}
static double g_devices(const struct fig_ctx *c) { return (double)SC(c)->devices; }
static double g_tp(const struct fig_ctx *c) { return (double)SC(c)->tp; }
static double g_pp(const struct fig_ctx *c) { return (double)SC(c)->pp; }
static double g_batch(const struct fig_ctx *c) { return (double)SC(c)->batch; }
static double g_dp(const struct fig_ctx *c) { return (double)(SC(c)->dp > 1 ? SC(c)->dp : 1); }
static double g_prompt(const struct fig_ctx *c) { return (double)SC(c)->prompt; }
static double g_output(const struct fig_ctx *c) { return (double)SC(c)->output; }
static double g_prefix(const struct fig_ctx *c) { return (double)SC(c)->cached_prefix; }
static double g_layers(const struct fig_ctx *c)
{
    return (double)(SC(c)->host ? SC(c)->gpu_layers : SC(c)->model->layers);
}
static double g_native(const struct fig_ctx *c) { return c->rs->weights_native ? 1 : 0; }
static double g_ppl(const struct fig_ctx *c) { return SC(c)->weights->ppl_delta; }
static bool ppl_known(const struct fig_ctx *c) { return isfinite(SC(c)->weights->ppl_delta) && SC(c)->weights->ppl_delta > 0; }
static void n_ppl(const struct fig_ctx *c, char *buf, size_t n)
{
    (void)c;
    snprintf(buf, n, "perplexity over 16-bit (llama.cpp's quantize table, Llama-3-8B)");
}
static double g_cpu_moe(const struct fig_ctx *c) { return (double)SC(c)->cpu_moe; }
static double g_free(const struct fig_ctx *c) { return c->r->free_bytes; }

/* --- when the table shows a figure --- */
static bool moe(const struct fig_ctx *c) { return c->r->params_active < c->r->params_total; }
static bool offload(const struct fig_ctx *c) { return SC(c)->host != NULL; }
static bool draft(const struct fig_ctx *c) { return SC(c)->draft != NULL; }
static bool cpu_moe(const struct fig_ctx *c) { return SC(c)->cpu_moe > 0; }
/* a MoE model: the fewest expert-offload blocks matter when it does not fit or offloads */
static bool cpu_moe_fit(const struct fig_ctx *c)
{
    return SC(c)->cpu_moe > 0 || (c->r->min_cpu_moe > 0 && strcmp(SC(c)->engine->id, "llama.cpp") == 0);
}
/* the static batch's cost and energy at full use, printed only where the scenario fits
 * (a setup that does not fit serves nothing) and the cost object does not already say it:
 * the rented figure beside an owned cost object, the owned one never (the object is owned) */
static bool positive_energy(const struct fig_ctx *c)
{
    return c->r->energy_per_mtok_kwh > 0 && !c->r->serving_on && c->r->fits;
}
static bool positive_cost(const struct fig_ctx *c)
{
    return c->r->cost_per_mtok > 0 && c->r->fits && (!c->r->cost_on || c->r->cost.owned);
}
static bool positive_owned(const struct fig_ctx *c) { return c->r->owned_cost_per_mtok > 0 && !c->r->cost_on && c->r->fits; }
static bool target(const struct fig_ctx *c) { return SC(c)->target_tok_s > 0; }
static bool has_state(const struct fig_ctx *c) { return c->r->kv_state_bytes_per_sequence > 0; }
static bool serving(const struct fig_ctx *c) { return c->r->serving_on; }
/* serving with a sequence running: with no KV room nothing is served, and the times and rates of
 * what ran (inf, 0) are left out of the table beside the sentence that says why */
static bool serving_runs(const struct fig_ctx *c) { return c->r->serving_on && c->r->serving.max_running > 0; }
/* an open loop: a rate, not --concurrency's closed loop, which never runs past its clients */
static bool serving_open(const struct fig_ctx *c) { return c->r->serving_on && SC(c)->concurrency <= 0; }
static void n_rate(const struct fig_ctx *c, char *buf, size_t n)
{
    if (isfinite(c->r->serving.rate_rps))
        buf[0] = 0;
    else if (SC(c)->concurrency > 0)
        snprintf(buf, n, "(a closed loop of %lld clients: each sends its next request when its last one ends)",
                 (long long)SC(c)->concurrency);
    else
        snprintf(buf, n, "(every request arrives at once)");
}
static bool serving_host(const struct fig_ctx *c) { return c->r->serving_on && c->r->serving.host_s_per_step > 0; }
static bool serving_disagg(const struct fig_ctx *c) { return c->r->serving_on && c->r->serving.disagg_on; }
static bool prefix_hit(const struct fig_ctx *c) { return c->r->serving_on && SC(c)->prefix_hit > 0; }
static bool serving_sla(const struct fig_ctx *c) { return c->r->serving_on && (SC(c)->ttft_max > 0 || SC(c)->itl_max > 0); }
static bool cost_on(const struct fig_ctx *c) { return c->r->cost_on; }
static bool fits_only(const struct fig_ctx *c) { return c->r->fits; }
static bool cost_fits(const struct fig_ctx *c) { return c->r->cost_on && figures_served(c); }
static bool cost_rate(const struct fig_ctx *c) { return c->r->cost_on && c->r->serving_on && c->r->cost.replicas > 0; }
static bool cost_api(const struct fig_ctx *c) { return c->r->cost_on && SC(c)->api_in_usd_mtok + SC(c)->api_out_usd_mtok > 0; }
static bool api_set(const struct fig_ctx *c) { return SC(c)->api_in_usd_mtok + SC(c)->api_out_usd_mtok > 0; }
static bool api_ttft(const struct fig_ctx *c) { return api_set(c) && SC(c)->api_ttft_s > 0; }
static bool api_speed(const struct fig_ctx *c) { return api_set(c) && SC(c)->api_output_tok_s > 0; }
static void n_api_req(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s", SC(c)->api_ttft_s + SC(c)->api_output_tok_s > 0 ? "" : "(no latency published for this API)");
}
static void n_api_lat(const struct fig_ctx *c, char *buf, size_t n)
{
    (void)c;
    snprintf(buf, n, "published median");
}
static void n_api_time(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s", SC(c)->api_ttft_s > 0 ? "at the published medians" : "(output only: no TTFT published)");
}
static bool cost_api_rate(const struct fig_ctx *c) { return cost_api(c) && cost_rate(c); }
static bool cost_energy(const struct fig_ctx *c) { return c->r->cost_on && figures_served(c) && c->r->cost.energy_per_mtok_kwh > 0; }
static bool unified(const struct fig_ctx *c) { return c->r->usable_bytes < c->r->capacity_bytes; }

/* --- notes after a value in the table --- */
static void n_total(const struct fig_ctx *c, char *buf, size_t n)
{
    char cap[32];
    fmt_bytes(cap, sizeof cap, c->r->capacity_bytes);
    snprintf(buf, n, "of %s  %s", cap, fit_verdict(c->r));
}
static void n_pai(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "(ridge %.0f): %s-bound", c->r->prefill.ridge, bound_name(c->r->prefill.bound));
}
static void n_dai(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "(ridge %.0f): %s-bound", c->r->decode.ridge, bound_name(c->r->decode.bound));
}
static void n_host(const struct fig_ctx *c, char *buf, size_t n)
{
    int k = snprintf(buf, n, "in %s (%lld of %lld layers on the device", SC(c)->host->name,
                     (long long)SC(c)->gpu_layers, (long long)SC(c)->model->layers);
    if (k > 0 && (size_t)k < n && SC(c)->cpu_moe > 0)
        snprintf(buf + k, n - (size_t)k, "; the routed experts of the first %lld in host memory)",
                 (long long)SC(c)->cpu_moe);
    else if (k > 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, ")");
}
static void n_min_cpu_moe(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s", c->r->min_cpu_moe < 0 ? "(does not fit even with every layer's experts in host memory)"
                           : "layers' routed experts in host memory (llama.cpp --n-cpu-moe)");
}
static void n_host_read(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "from host memory; the rest from the device's");
}
static void n_max_batch(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "at %lld tokens per sequence", (long long)(SC(c)->prompt + SC(c)->output));
}
static void n_max_context(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "tokens at batch %lld", (long long)SC(c)->batch);
}
static void n_min_devices(const struct fig_ctx *c, char *buf, size_t n)
{
    if (c->r->mix_n > 1) /* a device list is not searched: it is the setup, or does not fit */
        snprintf(buf, n, "%s", c->r->min_devices > 0 ? "(the listed devices)" : "(the listed devices do not fit)");
    else
        snprintf(buf, n, "%s", c->r->min_devices > 0 ? "" : "(none up to the device limit)");
}
static void n_layers(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "of %lld", (long long)SC(c)->model->layers);
}
static void n_spec(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "draft %s, %lld token%s, acceptance %.2f: %.2fx", SC(c)->draft->id,
             (long long)SC(c)->spec_tokens, SC(c)->spec_tokens == 1 ? "" : "s", SC(c)->spec_accept,
             c->r->spec_speedup);
}
static void n_owned(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "per million output tokens (%.3g years, $%.3g/kWh)", SC(c)->lifetime_years, SC(c)->kwh_usd);
}
static bool has_coverage(const struct fig_ctx *c) { return c->r->band_runs > 0; }
static void n_cov_runs(const struct fig_ctx *c, char *buf, size_t n)
{
    /* where the profile counts its MoE runs and none is of this model's class, say so */
    const char *cls = !c->r->far_class ? "" : rt_moe_group(SC(c)->model) ? ", none MoE" : ", all MoE";
    snprintf(buf, n, "published runs of %s on this device family%s", SC(c)->engine->id, cls);
}
static void n_cov_in(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "of %lld (%.0f%%) fell inside the band",
             (long long)c->r->band_runs, 100.0 * (double)c->r->band_in / (double)c->r->band_runs);
}
static const char *t_band_note(const struct fig_ctx *c)
{
    return c->r->far_band ? "no published runs near this scenario (band x1.6 wider)"
                          : "published runs of this engine on this device family";
}
static bool far_band(const struct fig_ctx *c) { return c->r->far_band; }
/* which runs the band looked for: the engine, the device family and, where the profile counts
 * them, the model's class (dense or MoE); shown beside "no published runs near this scenario" */
static const char *t_band_class(const struct fig_ctx *c)
{
    static char buf[RT_ID_MAX + 64];
    const struct rt_scenario *s = SC(c);
    snprintf(buf, sizeof buf, "%s models on %s with %s", rt_moe_group(s->model) ? "MoE" : "dense",
             family_name(s->device->family), s->engine->id); /* no comma: a CSV cell read by naive splitters */
    return buf;
}
static void n_mtok(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "per million output tokens%s", c->r->cost_on ? ", rented at full use" : "");
}
static void n_energy(const struct fig_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "per million output tokens at TDP x %.3g load x %.3g PUE", SC(c)->load_factor > 0 ? SC(c)->load_factor : 1,
             SC(c)->pue > 0 ? SC(c)->pue : 1);
}

#define TXT(k, fn) { k, NULL, FK_TEXT, U_NONE, SEC_SCENARIO, 0, NULL, fn, 0, 0, NULL, NULL, NULL, NULL }
#define INP(k, fn, u) { k, NULL, FK_INT, u, SEC_SCENARIO, 0, fn, NULL, 0, 0, NULL, NULL, NULL, NULL }

/* A phase's rows; the prefill's and the decode's keys differ only in a few names. */
#define PHASE(p, flops_k, bytes_k, sec, ai_note, flops_l, bytes_l, time_k, time_l, time_f)                        \
    { #p "." flops_k, flops_l, FK_NUM, U_FLOPS, sec, R(p.flops), NULL, NULL, 0, 0, NULL, NULL,                      \
      "sum over the operations (attention, FFN or experts, lm_head) of their FLOPs; a matmul of a k x n weight "    \
      "over t tokens is 2 t k n", "model.layers model.hidden_size batch prompt output" },                           \
    { #p "." bytes_k, bytes_l, FK_NUM, U_BYTES, sec, R(p.bytes), NULL, NULL, 0, 0, NULL, NULL,                      \
      "weights read (at the weight format's bits) + KV cache read and written + activations, all devices together " \
      "(one device moves its share: divide by the device count)",                                                   \
      "weights.bits kv.bits memory.weights_bytes kv_bytes_per_token" },                                              \
    { #p ".arithmetic_intensity", "arithmetic intensity", FK_NUM, U_FLOP_PER_BYTE, sec, R(p.ai), NULL, NULL, 0, 0, \
      NULL, ai_note, "FLOPs / bytes moved; compute-bound above the phase's ridge point",                           \
      #p "." flops_k " " #p "." bytes_k " " #p ".ridge_point" },                                                    \
    { #p ".ridge_point", NULL, FK_NUM, U_FLOP_PER_BYTE, SEC_DETAIL, R(p.ridge), NULL, NULL, 0, 0, NULL, NULL,       \
      "the peak its weight GEMMs run at (the kernel class's: INT8 for llama.cpp's MMQ prompt batches, the "        \
      "16-bit rate for weight-only kernels) / peak bandwidth; ridge_point is the device's at the format's own "    \
      "precision", #p ".kernel_class peak_bandwidth" },                                                             \
    { #p ".bound", NULL, FK_TEXT, U_NONE, sec, 0, NULL, t_##p##bound, 0, 0, NULL, NULL,                              \
      "compute when the operations' compute time exceeds their memory time overall, else memory",                  \
      #p ".arithmetic_intensity " #p ".ridge_point" },                                                                      \
    { #p ".kernel_class", #p " kernel class", FK_TEXT, U_NONE, SEC_DETAIL, 0, NULL, t_##p##kclass, 0, 0, NULL,          \
      n_##p##kclass,                                                                                                \
      "the kernel class the weight GEMMs run in, by weight format, device family and engine: which device peak "    \
      "they use (16-bit tensor cores with FP32 or FP16 accumulation, FP8, FP4, INT8 for llama.cpp's MMQ, Metal, "    \
      "a CPU's vector FMA rate, cores x clock x FLOP/cycle of its core class, at its kernels' share; "  \
      "peak_flops is the format's own precision) and what dequantising adds (a kernel "      \
      "that writes a 16-bit copy of the weights each pass, which the GEMM then reads)",                             \
      "weights gpu engine" },                                                                                        \
    { #p "." time_k, time_l, FK_NUM, U_SECONDS, sec, R(p.time_s), NULL, NULL, R(p.time_low_s), R(p.time_high_s),    \
      NULL, NULL, time_f, "peak_flops peak_bandwidth engine.mbu engine.mfu " #p "." flops_k " " #p "." bytes_k        \
      " engine.step_overhead engine.layer_overhead devices tp pp" },                                                 \
    { #p ".attention_s", NULL, FK_NUM, U_SECONDS, SEC_DETAIL, R(p.t_attn), NULL, NULL, 0, 0, NULL, NULL,           \
      "the attention operations' share of the time (QKV and output projections, scores, KV reads)", NULL },          \
    { #p ".ffn_s", NULL, FK_NUM, U_SECONDS, SEC_DETAIL, R(p.t_ffn), NULL, NULL, 0, 0, NULL, NULL,                   \
      "the feed-forward (or experts') share of the time", NULL },                                                    \
    { #p ".lm_head_s", NULL, FK_NUM, U_SECONDS, SEC_DETAIL, R(p.t_head), NULL, NULL, 0, 0, NULL, NULL,              \
      "the output layer's share of the time", NULL },                                                                \
    { #p ".attention_flops", NULL, FK_NUM, U_FLOPS, SEC_DETAIL, R(p.f_attn), NULL, NULL, 0, 0, NULL, NULL,          \
      "the attention operations' FLOPs: 2 x tokens x attention weights (QKV and output projections) + the scores "  \
      "and the weighted sum over the attended tokens", #p "." flops_k },                                            \
    { #p ".ffn_flops", NULL, FK_NUM, U_FLOPS, SEC_DETAIL, R(p.f_ffn), NULL, NULL, 0, 0, NULL, NULL,                \
      "the feed-forward (or active experts') FLOPs: 2 x tokens x active FFN weights", #p "." flops_k },             \
    { #p ".lm_head_flops", NULL, FK_NUM, U_FLOPS, SEC_DETAIL, R(p.f_head), NULL, NULL, 0, 0, NULL, NULL,           \
      "the output layer's FLOPs: 2 x sequences x vocab x hidden (the last position of each)", #p "." flops_k },     \
    { #p ".communication_s", NULL, FK_NUM, U_SECONDS, SEC_DETAIL, R(p.t_comm), NULL, NULL, 0, 0, NULL, NULL,        \
      "tensor-parallel all-reduces and pipeline hand-offs over the interconnect", NULL },                          \
    { #p ".overhead_s", NULL, FK_NUM, U_SECONDS, SEC_DETAIL, R(p.t_overhead), NULL, NULL, 0, 0, NULL, NULL,         \
      "the engine's fixed costs per step, per layer and per pipeline stage", NULL }

#define t_prefillbound t_pbound
#define t_decodebound t_dbound
#define t_prefillkclass t_pkclass
#define t_decodekclass t_dkclass
#define n_prefillkclass n_pkclass
#define n_decodekclass n_dkclass

/* Rows name their trailing fields only where they set them (served_only): the rest are zero. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const struct figure figures[] = {
    TXT("model", t_model), TXT("gpu", t_gpu), INP("devices", g_devices, U_COUNT), INP("tp", g_tp, U_COUNT),
    INP("pp", g_pp, U_COUNT), TXT("weights", t_weights),
    { "weights_native", NULL, FK_BOOL, U_NONE, SEC_SCENARIO, 0, g_native, NULL, 0, 0, NULL, NULL,
      "the weights are the format the model ships in (--weights native: the catalog's native_weights, a config.json's "
      "quantization_config or torch_dtype, a GGUF file's own types)", "weights" },
    { "attn_weights", NULL, FK_TEXT, U_NONE, SEC_SCENARIO, 0, NULL, t_attn_weights, 0, 0, NULL, NULL,
      "the format the attention projections are held and multiplied in (--attn-weights; auto: as --weights gives "
      "them, the checkpoint's own under --weights native: gpt-oss bf16)", "weights weights.attn_bits" },
    TXT("kv", t_kv), INP("batch", g_batch, U_COUNT),
    INP("prompt", g_prompt, U_TOKENS), INP("output", g_output, U_TOKENS), TXT("engine", t_engine),
    INP("cached_prefix", g_prefix, U_TOKENS), TXT("draft", t_draft), INP("gpu_layers", g_layers, U_COUNT),
    TXT("host", t_host), INP("n_cpu_moe", g_cpu_moe, U_COUNT), INP("dp", g_dp, U_COUNT),

    { "params_total", "parameters", FK_NUM, U_PARAMS, SEC_MODEL, R(params_total), NULL, NULL, 0, 0, NULL, NULL,
      "embedding + layers x (attention + FFN or experts + norms) + final norm + lm_head (unless tied)",
      "params.embedding params.attention params.ffn params.norms params.lm_head" },
    { "params_active", "active parameters", FK_NUM, U_PARAMS, SEC_MODEL, R(params_active), NULL, NULL, 0, 0, moe,
      NULL, "as params_total with only the routed experts a token uses (plus the shared ones)",
      "params_total model.experts model.experts_per_token" },
    { "kv_bytes_per_token", "KV cache per token", FK_NUM, U_BYTES, SEC_MODEL, R(kv_bytes_per_token), NULL, NULL, 0,
      0, NULL, NULL,
      "sum over the layers that keep a per-token cache of 2 (K and V) x kv_heads x head_dim x KV bytes per "
      "element; latent attention: (kv_lora_rank + rope dims [+ indexer key]) x bytes; a sliding window or "
      "chunk caps how many tokens a layer keeps, not this",
      "model.layers model.kv_heads model.head_dim kv.bits" },
    { "kv_state_bytes_per_sequence", "recurrent state per sequence", FK_NUM, U_BYTES, SEC_MODEL,
      R(kv_state_bytes_per_sequence), NULL, NULL, 0, 0, has_state, NULL,
      "sum over the Mamba2 / Gated DeltaNet layers of (heads x head dim x state size + convolution width x "
      "(kernel - 1)) x KV bytes per element; fixed, whatever the context",
      "model.layers kv.bits" },

    { "weights_ppl_delta", "quality cost", FK_NUM, U_PPL, SEC_MODEL, 0, g_ppl, NULL, 0, 0, ppl_known, n_ppl,
      "the weight format's published perplexity increase over 16-bit weights (formats.cfg ppl_delta, from llama.cpp's "
      "quantize tool for Llama-3-8B); null: none published", "weights" },
    { "memory.weights_bytes", NULL, FK_NUM, U_BYTES, SEC_MEMORY, R(weights_bytes), NULL, NULL, 0, 0, NULL, NULL,
      "parameters x the weight format's bits / 8 (embedding and lm_head at their own bits, the attention "
      "projections at the attention format's: --attn-weights)",
      "params_total weights.bits params.attention weights.attn_bits" },
    { "memory.kv_cache_bytes", NULL, FK_NUM, U_BYTES, SEC_MEMORY, R(kv_cache_bytes), NULL, NULL, 0, 0, NULL, NULL,
      "batch x the KV bytes one sequence holds at prompt + output tokens (sliding windows cap their layers)",
      "batch prompt output kv_bytes_per_token" },
    { "memory.activation_bytes", NULL, FK_NUM, U_BYTES, SEC_MEMORY, R(activation_bytes), NULL, NULL, 0, 0, NULL,
      NULL, "the largest transient buffers of one forward pass (prefill chunk x hidden and FFN widths, logits)",
      "batch prompt model.hidden_size model.intermediate_size model.vocab_size" },
    { "memory.overhead_bytes", NULL, FK_NUM, U_BYTES, SEC_MEMORY, R(overhead_bytes), NULL, NULL, 0, 0, NULL, NULL,
      "the engine's context per device (CUDA context, allocator, communication buffers)",
      "engine.context_bytes devices" },
    { "memory.total_bytes", NULL, FK_NUM, U_BYTES, SEC_MEMORY, R(total_bytes), NULL, NULL, 0, 0, NULL, NULL,
      "weights + KV cache + activations + overhead, the whole system",
      "memory.weights_bytes memory.kv_cache_bytes memory.activation_bytes memory.overhead_bytes" },
    { "memory.device_weights_bytes", "weights", FK_NUM, U_BYTES, SEC_MEMORY, R(dev_weights), NULL, NULL, 0, 0,
      NULL, NULL, "the weights / (tp x pp) (layers past --gpu-layers stay in host memory)",
      "memory.weights_bytes tp pp" },
    { "memory.host_bytes", "offloaded weights", FK_NUM, U_BYTES, SEC_MEMORY, R(host_bytes), NULL, NULL, 0, 0,
      offload, n_host, "the weights of the layers past --gpu-layers, and with --n-cpu-moe N the routed experts "
      "(every expert's weights) of the MoE layers among the first N, held in host memory",
      "memory.weights_bytes n_cpu_moe" },
    { "memory.device_kv_cache_bytes", "KV cache", FK_NUM, U_BYTES, SEC_MEMORY, R(dev_kv), NULL, NULL, 0, 0, NULL,
      NULL, "the KV cache's share per device (heads split over tp; replicated past the KV heads)",
      "memory.kv_cache_bytes tp pp" },
    { "memory.device_activation_bytes", "activations", FK_NUM, U_BYTES, SEC_MEMORY, R(dev_act), NULL, NULL, 0, 0,
      NULL, NULL, "the activations one device holds", "memory.activation_bytes tp" },
    { "memory.device_overhead_bytes", "runtime overhead", FK_NUM, U_BYTES, SEC_MEMORY, R(dev_overhead), NULL, NULL,
      0, 0, NULL, NULL, "the engine's context on one device", "engine.context_bytes" },
    { "memory.per_device_bytes", "total", FK_NUM, U_BYTES, SEC_MEMORY, R(per_device_bytes), NULL, NULL, 0, 0, NULL,
      n_total, "weights + KV cache + activations + overhead on one device",
      "memory.device_weights_bytes memory.device_kv_cache_bytes memory.device_activation_bytes "
      "memory.device_overhead_bytes" },
    { "memory.capacity_per_device_bytes", NULL, FK_NUM, U_BYTES, SEC_MEMORY, R(capacity_bytes), NULL, NULL, 0, 0,
      NULL, NULL, "device memory x the share the engine lets itself use",
      "device.memory engine.mem_util" },
    { "memory.usable_per_device_bytes", "usable by the GPU", FK_NUM, U_BYTES, SEC_MEMORY, R(usable_bytes), NULL, NULL,
      0, 0, unified, NULL, "the share of unified memory a runtime may use (all of it on discrete GPUs)",
      "device.usable_memory" },
    { "memory.free_per_device_bytes", NULL, FK_NUM, U_BYTES, SEC_MEMORY, 0, g_free, NULL, 0, 0, NULL, NULL,
      "per device, the smaller of capacity - use and, on unified memory, the GPU's usable share - what is "
      "resident (weights, KV, activations, the engine's context; negative: short, or paging)",
      "memory.capacity_per_device_bytes memory.usable_per_device_bytes memory.per_device_bytes engine.context_bytes" },
    { "memory.fits", NULL, FK_BOOL, U_NONE, SEC_MEMORY, R(fits), NULL, NULL, 0, 0, NULL, NULL,
      "per-device use <= per-device capacity", "memory.per_device_bytes memory.capacity_per_device_bytes" },
    { "split.layers", "layers per device", FK_TEXT, U_NONE, SEC_MEMORY, 0, NULL, t_split_layers, 0, 0, mixed, NULL,
      "mixed devices, llama.cpp's layer split: the weights (--tensor-split, else each device's memory) summed in "
      "order and normalised are split points; layer i of the layers + 1 (the output layer last) goes to the first "
      "device whose split point is above i / (layers + 1); the per-device memory above is the device that runs "
      "out first as sequences are added", "gpu model.layers" },
    { "split.memory_device", "the figures above are of", FK_TEXT, U_NONE, SEC_MEMORY, 0, NULL, t_split_shown, 0, 0,
      mixed, NULL, "mixed devices: the device the per-device memory figures describe, the first to run out of "
      "memory as sequences are added (every device fits if it does)", "split.layers" },
    { "split.short_device", "short of memory", FK_TEXT, U_NONE, SEC_MEMORY, 0, NULL, t_split_short, 0, 0, mixed_short, NULL,
      "mixed devices: the first device whose layers, their KV cache, its activations and overhead exceed its "
      "memory (empty: every device fits)", "split.layers" },
    { "split.decode_bottleneck", "slowest decode stage", FK_TEXT, U_NONE, SEC_DECODE, 0, NULL, t_split_decode, 0, 0,
      mixed, NULL, "mixed devices: the device whose stage of a decode step (its layers' share of the step at its "
      "bandwidth and compute, the output layer on its device, the hand-off in) takes longest; a step of one "
      "ubatch is the sum of the stages; the ubatches of a longer pass follow each other through the devices "
      "(up to 4 in flight, llama.cpp's pipeline), so the slowest stage bounds it",
      "split.layers" },
    { "split.decode_bottleneck_s", "its stage per token", FK_NUM, U_SECONDS, SEC_DECODE, 0, g_split_decode_s, NULL, 0,
      0, mixed, NULL, "the slowest device's stage of one decode step", "split.decode_bottleneck" },
    { "split.prefill_bottleneck", "slowest prefill stage", FK_TEXT, U_NONE, SEC_PREFILL, 0, NULL, t_split_prefill, 0,
      0, mixed, NULL, "mixed devices: the device whose stage of the prefill takes longest", "split.layers" },

    { "max_batch", "max batch", FK_INT, U_COUNT, SEC_LIMITS, R(max_batch), NULL, NULL, 0, 0, NULL, n_max_batch,
      "the largest batch whose memory fits (within the GPU's usable share on unified memory) at prompt + "
      "output tokens per sequence (bisection)",
      "memory.capacity_per_device_bytes kv_bytes_per_token memory.usable_per_device_bytes "
      "memory.device_weights_bytes memory.device_overhead_bytes memory.device_activation_bytes prompt output" },
    { "max_context", "max context", FK_INT, U_COUNT, SEC_LIMITS, R(max_context), NULL, NULL, 0, 0, NULL,
      n_max_context, "the longest context per sequence that fits at this batch (bisection)",
      "memory.capacity_per_device_bytes kv_bytes_per_token memory.usable_per_device_bytes "
      "memory.device_weights_bytes memory.device_overhead_bytes batch" },
    { "min_devices", "fewest devices that fit", FK_INT, U_COUNT, SEC_LIMITS, R(min_devices), NULL, NULL, 0, 0,
      NULL, n_min_devices, "the smallest tensor-parallel degree (x pp) at which the scenario fits",
      "memory.total_bytes device.memory" },
    { "max_gpu_layers", "most layers on the device", FK_INT, U_COUNT, SEC_LIMITS, R(max_gpu_layers), NULL, NULL, 0,
      0, offload, n_layers, "the most layers the device holds with the rest in host memory (-1: no offload)",
      "memory.capacity_per_device_bytes memory.weights_bytes model.layers" },

    { "min_n_cpu_moe", "fewest CPU MoE layers", FK_INT, U_COUNT, SEC_LIMITS, R(min_cpu_moe), NULL, NULL, 0, 0,
      cpu_moe_fit, n_min_cpu_moe, "the smallest --n-cpu-moe N at which the device holds the rest (bisection; "
      "-1: none, or no routed experts)", "memory.capacity_per_device_bytes memory.weights_bytes model.layers" },

    PHASE(prefill, "flops", "bytes", SEC_PREFILL, n_pai, "work", "bytes moved", "time_s", NULL,
          "sum over operations of max(FLOPs / (peak x MFU), bytes / (bandwidth x MBU)) + communication + "
          "overheads, for every prompt token of the batch (a prefix cache skips its tokens)"),
    PHASE(decode, "flops_per_step", "bytes_per_step", SEC_DECODE, n_dai, "work per step", "bytes per step",
          "time_per_token_s", "time per output token",
          "one decode step's sum over operations of max(FLOPs / (peak x MFU), bytes / (bandwidth x MBU)) + "
          "communication + overheads, averaged over the context growing from prompt to prompt + output"),
    { "decode.host_bytes_per_step", "read from host memory", FK_NUM, U_BYTES, SEC_DECODE, R(decode.host_bytes), NULL,
      NULL, 0, 0, cpu_moe, n_host_read, "with --n-cpu-moe: offloaded MoE layers x experts the step's tokens touch x "
      "one expert's bytes, read by the host's cores at the host's bandwidth (the rest of bytes_per_step from the "
      "device)", "n_cpu_moe experts_touched weights.bits" },
    { "decode.tokens_per_s_per_sequence", "tokens/s per sequence", FK_NUM, U_TOK_S, SEC_DECODE, R(tok_s_seq),
      NULL, NULL, R(tok_s_seq_low), R(tok_s_seq_high), NULL, NULL, "1 / time per output token",
      "decode.time_per_token_s" },
    { "decode.tokens_per_s_total", "tokens/s total", FK_NUM, U_TOK_S, SEC_DECODE, R(tok_s_total), NULL, NULL,
      R(tok_s_total_low), R(tok_s_total_high), NULL, NULL,
      "data-parallel replicas x batch x tokens/s per sequence (each replica runs the batch)",
      "dp batch decode.tokens_per_s_per_sequence" },
    { "band.coverage_runs", "band: published runs", FK_INT, U_COUNT, SEC_DECODE, R(band_runs), NULL, NULL, 0, 0,
      has_coverage, n_cov_runs,
      "the engine profile's published runs on the device's family (0: none; the band is then the prior's)",
      "engine.band_low engine.band_high" },
    { "band.coverage_inside", "band: runs inside", FK_INT, U_COUNT, SEC_DECODE, R(band_in), NULL, NULL, 0, 0,
      has_coverage, n_cov_in,
      "of those runs, how many fell inside the band [band_low, band_high] x time when each publication was "
      "left out of the fit and predicted from the rest (make fit)",
      "engine.band_low engine.band_high band.coverage_runs" },
    { "band.note", "band", FK_TEXT, U_NONE, SEC_DECODE, 0, NULL, t_band_note, 0, 0, far_band, NULL,
      "whether the engine profile has published runs on the device's family; without any, the band on times "
      "is widened x1.6 each way (the 90th percentile decode error with a device family left out)",
      "band.coverage_runs engine.band_low engine.band_high" },
    { "band.scenario_class", "runs looked for", FK_TEXT, U_NONE, SEC_DECODE, 0, NULL, t_band_class, 0, 0, far_band,
      NULL, "the runs the band's coverage looks for: this engine on this device family and, where the engine "
      "profile counts them, models of this class (dense or MoE); with none published, the band is widened",
      "band.coverage_runs band.note" },
    { "ridge_point", NULL, FK_NUM, U_FLOP_PER_BYTE, SEC_DETAIL, R(ridge_point), NULL, NULL, 0, 0, NULL, NULL,
      "peak FLOP/s at the weight format's compute precision / peak bandwidth", "peak_flops peak_bandwidth" },
    { "peak_flops", NULL, FK_NUM, U_FLOP_S, SEC_DETAIL, R(peak_flops), NULL, NULL, 0, 0, NULL, NULL,
      "the device's dense peak at the weight format's compute precision (or its fallback); a CPU with a core "
      "class: its vector FMA rate, which its kernels use",
      "device.peak weights.compute" },
    { "peak_bandwidth", NULL, FK_NUM, U_BYTES_S, SEC_DETAIL, R(peak_bw), NULL, NULL, 0, 0, NULL, NULL,
      "the device's peak memory bandwidth", "device.bandwidth" },
    { "critical_batch", "critical batch", FK_NUM, U_COUNT, SEC_LIMITS, R(critical_batch), NULL, NULL, 0, 0, NULL,
      NULL, "ridge point x bytes per weight / 2 FLOPs per weight (x experts / active experts for MoE): the batch "
      "where decode's linear layers turn compute-bound", "ridge_point weights.bits model.experts model.experts_per_token" },
    { "experts_touched", NULL, FK_NUM, U_COUNT, SEC_DETAIL, R(experts_touched), NULL, NULL, 0, 0, NULL, NULL,
      "experts read per MoE layer per decode step: E x (1 - (1 - k/E)^batch)",
      "model.experts model.experts_per_token batch" },
    { "speculative.tokens_per_step", "speculative decoding", FK_NUM, U_TOK_STEP, SEC_DECODE,
      R(spec_tokens_per_step), NULL, NULL, 0, 0, draft, n_spec,
      "expected tokens per verification: (1 - a^(g+1)) / (1 - a) (Leviathan et al. 2023)", NULL },
    { "speculative.speedup", NULL, FK_NUM, U_FACTOR, SEC_DETAIL, R(spec_speedup), NULL, NULL, 0, 0, NULL, NULL,
      "decode time per token without the draft / with it", "decode.time_per_token_s" },
    { "ttft_s", "TTFT, static batch", FK_NUM, U_SECONDS, SEC_PREFILL, R(ttft_s), NULL, NULL, R(ttft_low_s),
      R(ttft_high_s), NULL, NULL, "the prefill time of the whole batch, every prompt at once (with no prompt: the first "
      "decode step + the request overhead); under load, see serving.ttft_mean_s",
      "prefill.time_s engine.request_overhead" },
    { "e2e_latency_s", "end-to-end latency", FK_NUM, U_SECONDS, SEC_DECODE, R(e2e_s), NULL, NULL, R(e2e_low_s),
      R(e2e_high_s), NULL, NULL, "time to first token + output x time per output token",
      "ttft_s output decode.time_per_token_s" },
    { "target.bandwidth_needed", NULL, FK_NUM, U_BYTES_S, SEC_DETAIL, R(need_bw), NULL, NULL, 0, 0, NULL, NULL,
      "decode bytes per step / devices x the target (or estimated) tokens/s per sequence",
      "decode.bytes_per_step devices decode.tokens_per_s_per_sequence" },
    { "target.bandwidth_utilization", "bandwidth used", FK_NUM, U_RATIO, SEC_DECODE, R(bw_util), NULL, NULL, 0, 0,
      NULL, NULL, "bandwidth needed / the device's peak bandwidth", "target.bandwidth_needed peak_bandwidth" },
    { "target.prefill_flops_needed", NULL, FK_NUM, U_FLOP_S, SEC_DETAIL, R(need_flops_prefill), NULL, NULL, 0, 0,
      NULL, NULL, "prefill FLOPs / devices / prefill time", "prefill.flops devices prefill.time_s" },
    { "target.decode_flops_needed", "compute needed (decode)", FK_NUM, U_FLOP_S, SEC_DECODE, R(need_flops_decode), NULL,
      NULL, 0, 0, target, NULL, "decode FLOPs per step / devices x the target (or estimated) tokens/s per sequence",
      "decode.flops_per_step devices target" },
    { "target.decode_compute_utilization", "compute used (decode)", FK_NUM, U_RATIO, SEC_DECODE, R(decode_compute_util),
      NULL, NULL, 0, 0, target, NULL, "decode FLOP/s needed / the device's peak", "target.decode_flops_needed peak_flops" },
    { "target.compute_utilization", "compute used (prefill)", FK_NUM, U_RATIO, SEC_PREFILL, R(compute_util), NULL,
      NULL, 0, 0, target, NULL, "FLOP/s needed in prefill / the device's peak", "target.prefill_flops_needed peak_flops" },
    { "cost_per_million_tokens_usd", "cost", FK_NUM, U_USD, SEC_COST, R(cost_per_mtok), NULL, NULL, 0, 0,
      positive_cost, n_mtok, "the cost model at full use of the static batch, rented: price per device-hour x devices "
      "/ (batch / end-to-end latency x output x 3600) x 1e6 (prefill and decode both charged)",
      "device.price_hour devices batch e2e_latency_s output" },
    { "energy_per_million_tokens_kwh", "energy", FK_NUM, U_KWH, SEC_COST, R(energy_per_mtok_kwh), NULL, NULL, 0, 0,
      positive_energy, n_energy, "devices x TDP x load factor x PUE / (batch / end-to-end latency x output) x 1e6 / 3.6e6",
      "device.tdp devices load_factor pue batch e2e_latency_s output" },
    { "owned_cost_per_million_tokens_usd", "cost, owned", FK_NUM, U_USD, SEC_COST, R(owned_cost_per_mtok), NULL,
      NULL, 0, 0, positive_owned, n_owned,
      "the cost model at full use of the static batch, owned: (price x devices / lifetime hours + devices x TDP x load "
      "factor x PUE / 1000 x electricity price) / (batch / end-to-end latency x output x 3600) x 1e6",
      "device.price_usd device.tdp devices load_factor pue batch e2e_latency_s output" },
    /* serving under load (--rate): the continuous-batching simulation (doc/method.md) */
    { "serving.rate_rps", "request rate", FK_NUM, U_REQ_S, SEC_SERVING, R(serving.rate_rps), NULL, NULL, 0, 0, serving,
      n_rate, "requests per second arriving, Poisson with a fixed seed (inf: all at once, or --concurrency's closed loop)",
      "rate", .unbounded = "unbounded" },
    { "serving.requests", NULL, FK_INT, U_COUNT, SEC_SERVING, R(serving.requests), NULL, NULL, 0, 0, NULL, NULL,
      "requests simulated", "requests" },
    { "serving.prefix_cached_tokens", "prefix cache hit", FK_INT, U_TOKENS, SEC_SERVING, R(serving.prefix_cached),
      NULL, NULL, 0, 0, prefix_hit, NULL, "--prefix-hit x prompt tokens of each request, at most prompt - 1 (the "
      "last is computed for its logits): not prefilled, attended to; the prefix is held once in the KV pool",
      "prefix_hit prompt" },
    { "serving.ttft_mean_s", "TTFT mean under load", FK_NUM, U_SECONDS, SEC_SERVING, R(serving.ttft_mean_s), NULL, NULL, 0, 0,
      serving_runs, NULL, "mean of arrival to first token: queueing + the prefill chunks' steps (mixed with decodes) + the request overhead",
      "rate engine.max_seqs engine.max_batched_tokens" },
    { "serving.ttft_p50_s", "TTFT p50 under load", FK_NUM, U_SECONDS, SEC_SERVING, R(serving.ttft_p50_s), NULL, NULL, 0, 0, serving_runs, NULL,
      "median time to first token", "serving.ttft_mean_s" },
    { "serving.ttft_p99_s", "TTFT p99 under load", FK_NUM, U_SECONDS, SEC_SERVING, R(serving.ttft_p99_s), NULL, NULL, 0, 0,
      serving_runs, NULL, "99th percentile of the time to first token (nearest rank)", "serving.ttft_mean_s" },
    { "serving.itl_mean_s", "inter-token latency", FK_NUM, U_SECONDS, SEC_SERVING, R(serving.itl_mean_s), NULL, NULL,
      0, 0, serving_runs, NULL, "mean gap between a request's output tokens: the steps it ran in, with the batch they held",
      "rate" },
    { "serving.e2e_mean_s", "latency mean", FK_NUM, U_SECONDS, SEC_SERVING, R(serving.e2e_mean_s), NULL, NULL, 0, 0,
      serving_runs, NULL, "mean of arrival to last token", "serving.ttft_mean_s serving.itl_mean_s output" },
    { "serving.output_tok_s", "output throughput", FK_NUM, U_TOK_S, SEC_SERVING, R(serving.output_tok_s), NULL, NULL,
      0, 0, serving_runs, NULL, "requests x output tokens / (first arrival to last completion)", "requests output" },
    { "serving.total_tok_s", NULL, FK_NUM, U_TOK_S, SEC_SERVING, R(serving.total_tok_s), NULL, NULL, 0, 0, NULL, NULL,
      "requests x (prompt + output) tokens / the run's duration", "requests prompt output" },
    { "serving.mean_running", "sequences running", FK_NUM, U_SEQS, SEC_SERVING, R(serving.mean_running), NULL, NULL,
      0, 0, serving_runs, NULL, "time average of the sequences admitted and not finished: below capacity about rate x "
      "latency (Little's law); above it, the queue holds the rest and about capacity x (latency - queueing) run",
      "rate serving.e2e_mean_s serving.capacity_rps" },
    { "serving.max_running", NULL, FK_INT, U_COUNT, SEC_SERVING, R(serving.max_running), NULL, NULL, 0, 0, NULL, NULL,
      "most sequences running at once: min(the cap (--max-seqs, else --batch above 1, else the engine's), KV cache)", "engine.max_seqs" },
    { "serving.capacity_rps", "capacity", FK_NUM, U_REQ_S, SEC_SERVING, R(serving.capacity_rps), NULL, NULL, 0, 0,
      serving, NULL, "largest sustained rate: completions per second of a saturated run", "serving.max_running" },
    { "serving.capacity_sla_rps", "capacity within targets", FK_NUM, U_REQ_S, SEC_SERVING, R(serving.capacity_sla_rps),
      NULL, NULL, 0, 0, serving_sla, NULL, "largest rate whose mean TTFT and ITL meet --ttft-max and --itl-max (bisection)",
      "ttft_max itl_max" },
    { "serving.stable", "stable", FK_BOOL, U_NONE, SEC_SERVING, R(serving.stable), NULL, NULL, 0, 0, serving_open, NULL,
      "the rate is below the capacity", "serving.capacity_rps rate" },
    { "serving.host_s_per_step", "host time per step", FK_NUM, U_SECONDS, SEC_SERVING, R(serving.host_s_per_step), NULL,
      NULL, 0, 0, serving_host, NULL, "the engine's host work per step (by host CPU class) + per running sequence x the "
      "sequences running, mean over the steps; overlapped with the device where the engine schedules ahead",
      "engine.host_step_s engine.host_seq_s serving.mean_running" },
    { "serving.disagg.prefill_devices", "prefill devices", FK_INT, U_COUNT, SEC_SERVING, R(serving.prefill_devices),
      NULL, NULL, 0, 0, serving_disagg, NULL, "--disagg P:D: P, one tensor-parallel group that prefills", "disagg_p" },
    { "serving.disagg.decode_devices", "decode devices", FK_INT, U_COUNT, SEC_SERVING, R(serving.decode_devices), NULL,
      NULL, 0, 0, serving_disagg, NULL, "--disagg P:D: D, one tensor-parallel group that decodes", "disagg_d" },
    { "serving.disagg.kv_transfer_s", "KV transfer", FK_NUM, U_SECONDS, SEC_SERVING, R(serving.kv_transfer_s), NULL,
      NULL, 0, 0, serving_disagg, NULL, "mean over requests of latency + the prompt's KV cache / min(P, D) / the link's "
      "achieved bandwidth (NVLink within a node, the network between nodes); part of TTFT", "serving.disagg.prefill_devices" },
    /* cost at the load: rented (price per device-hour) or owned (write-off + power) */
    { "cost.per_hour_usd", "cost per hour", FK_NUM, U_USD, SEC_COST, R(cost.per_hour_usd), NULL, NULL, 0, 0, cost_on,
      NULL, "rented: price per device-hour x devices; owned: price x devices / lifetime hours + devices x TDP x load "
      "factor x PUE / 1000 x electricity price x utilisation", "device.price_hour devices" },
    { "cost.per_mtok_output_usd", "per million output tokens", FK_NUM, U_USD, SEC_COST, R(cost.per_mtok_output_usd),
      NULL, NULL, 0, 0, cost_fits, NULL, "cost of the setups per hour / output tokens served per hour x 1e6 (all of the "
      "cost charged to output tokens)", "cost.per_hour_usd serving.rate_rps output", .served_only = true },
    { "cost.per_mtok_input_usd", NULL, FK_NUM, U_USD, SEC_COST, R(cost.per_mtok_input_usd), NULL, NULL, 0, 0, NULL,
      NULL, "cost of the setups per hour / input tokens served per hour x 1e6 (all of the cost charged to input tokens)",
      "cost.per_hour_usd serving.rate_rps prompt", .served_only = true },
    { "cost.per_request_usd", "per request", FK_NUM, U_USD, SEC_COST, R(cost.per_request_usd), NULL, NULL, 0, 0,
      cost_fits, NULL, "cost of the setups per hour / requests served per hour (without a rate: the static batch's "
      "requests, batch / end-to-end latency, prefill and decode both charged)", "cost.per_hour_usd serving.rate_rps e2e_latency_s",
      .served_only = true },
    { "cost.utilization", NULL, FK_NUM, U_SHARE, SEC_COST, R(cost.utilization), NULL, NULL, 0, 0, NULL, NULL,
      "share of time each setup works: rate / (setups x capacity), or --utilization", "serving.capacity_rps" },
    { "cost.per_month_usd", "per month", FK_NUM, U_USD, SEC_COST, R(cost.per_month_usd), NULL, NULL, 0, 0, cost_rate,
      NULL, "setups x cost per hour x 730.5 hours", "cost.per_hour_usd cost.devices_needed" },
    { "cost.devices_needed", "devices needed", FK_NUM, U_COUNT, SEC_COST, R(cost.devices_needed), NULL, NULL, 0, 0,
      cost_rate, NULL, "ceil(rate / capacity) setups x devices per setup", "serving.rate_rps serving.capacity_rps devices" },
    { "cost.energy_per_mtok_kwh", NULL, FK_NUM, U_KWH, SEC_COST, R(cost.energy_per_mtok_kwh), NULL, NULL, 0, 0, NULL,
      NULL, "devices x TDP x load factor x PUE x utilisation / output tokens per hour x 1e6",
      "device.tdp devices" },
    { "cost.api_per_month_usd", "API per month", FK_NUM, U_USD, SEC_COST, R(cost.api_per_month_usd), NULL, NULL, 0, 0,
      cost_api_rate, NULL, "rate x 3600 x 730.5 x (prompt x input price + output x output price) / 1e6",
      "serving.rate_rps prompt output" },
    { "cost.breakeven_rps", "break-even vs API", FK_NUM, U_REQ_S, SEC_COST, R(cost.breakeven_rps), NULL, NULL, 0, 0,
      cost_api, NULL, "the rate from which self-hosting costs less: fixed cost per hour / (3600 x API cost per request - "
      "power cost per request at full use); null: never within one setup's capacity", "cost.per_hour_usd",
      .unbounded = "never, within one setup's capacity" },
    /* the API's own figures: one request's price and its published latency (apis.cfg, dated) */
    { "cost.api_per_request_usd", "API per request", FK_NUM, U_USD, SEC_COST, R(cost.api_per_request_usd), NULL, NULL,
      0, 0, api_set, n_api_req, "(prompt x input price + output x output price) / 1e6", "prompt output api" },
    { "cost.api_ttft_s", "API time to first token", FK_NUM, U_SECONDS, SEC_COST, R(cost.api_ttft_s), NULL, NULL, 0, 0,
      api_ttft, n_api_lat, "the API's published median time to first token (apis.cfg: latency_date, latency_source); "
      "0: none published", "api" },
    { "cost.api_output_tok_s", "API output speed", FK_NUM, U_TOK_S, SEC_COST, R(cost.api_output_tok_s), NULL, NULL, 0,
      0, api_speed, n_api_lat, "the API's published median output tokens per second; 0: none published", "api" },
    { "cost.api_request_s", "API time per request", FK_NUM, U_SECONDS, SEC_COST, R(cost.api_request_s), NULL, NULL, 0,
      0, api_speed, n_api_time, "API time to first token + output / API output speed (0 for a TTFT not published); "
      "0: no speed published", "output cost.api_ttft_s cost.api_output_tok_s" },
    { "params.attention", NULL, FK_NUM, U_PARAMS, SEC_DETAIL, R(p_attn), NULL, NULL, 0, 0, NULL, NULL,
      "layers x (Q, K, V and output projections, with biases)",
      "model.layers model.hidden_size model.heads model.kv_heads model.head_dim" },
    { "params.ffn", NULL, FK_NUM, U_PARAMS, SEC_DETAIL, R(p_ffn), NULL, NULL, 0, 0, NULL, NULL,
      "dense layers x 3 (gated) or 2 x hidden x intermediate, + MoE layers x (experts + shared) x expert size + router",
      "model.layers model.hidden_size model.intermediate_size model.experts" },
    { "params.embedding", NULL, FK_NUM, U_PARAMS, SEC_DETAIL, R(p_embed), NULL, NULL, 0, 0, NULL, NULL,
      "vocab x hidden", "model.vocab_size model.hidden_size" },
    { "params.lm_head", NULL, FK_NUM, U_PARAMS, SEC_DETAIL, R(p_head), NULL, NULL, 0, 0, NULL, NULL,
      "vocab x hidden, 0 when tied to the embedding", "model.vocab_size model.hidden_size" },
    { "params.norms", NULL, FK_NUM, U_PARAMS, SEC_DETAIL, R(p_norm), NULL, NULL, 0, 0, NULL, NULL,
      "norm weights (and biases for LayerNorm) in every layer + the final norm", "model.layers model.hidden_size" },
    { "warnings", NULL, FK_TEXT, U_NONE, SEC_DETAIL, 0, NULL, t_warnings, 0, 0, NULL, NULL, NULL, NULL },
};
#pragma GCC diagnostic pop
const size_t n_figures = sizeof figures / sizeof figures[0];

/* Figures that appear (in JSON and CSV too) only when their part of the
 * scenario is on: the serving object with --rate, the cost object with a price. */
static const struct {
    const char *key;
    bool (*present)(const struct fig_ctx *c);
} presence[] = {
    { "serving.capacity_sla_rps", serving_sla }, { "serving.disagg.", serving_disagg }, { "serving.", serving }, { "cost.per_month_usd", cost_rate },
    { "cost.devices_needed", cost_rate }, { "cost.api_per_month_usd", cost_api_rate },
    { "cost.breakeven_rps", cost_api }, { "cost.energy_per_mtok_kwh", cost_energy },
    { "cost.api_per_request_usd", api_set }, { "cost.api_ttft_s", api_set }, { "cost.api_output_tok_s", api_set },
    { "cost.api_request_s", api_set },
    /* a setup that does not fit serves nothing: no price per token, request or energy for it
     * (JSON leaves them out, CSV leaves their cells empty; the cost object's contract keys stay,
     * null: figure_priced); its hourly price stays */
    { "cost.utilization", cost_fits }, { "cost.", cost_on },
    { "cost_per_million_tokens_usd", fits_only }, { "energy_per_million_tokens_kwh", fits_only },
    { "owned_cost_per_million_tokens_usd", fits_only },
};

/* The presence rule of each figure, looked up once: sweeps ask for every row. */
static bool (*presence_of(const struct figure *f))(const struct fig_ctx *)
{
    for (size_t i = 0; i < sizeof presence / sizeof presence[0]; i++) {
        if (f->key[0] != presence[i].key[0])
            continue; /* most figures share no first letter with a rule */
        size_t n = strlen(presence[i].key);
        if (presence[i].key[n - 1] == '.' ? strncmp(f->key, presence[i].key, n) == 0 : strcmp(f->key, presence[i].key) == 0)
            return presence[i].present;
    }
    return NULL;
}

bool figure_present(const struct figure *f, const struct fig_ctx *c)
{
    enum { MAX = 512 };
    static bool (*rule[MAX])(const struct fig_ctx *);
    static bool built;
    size_t i = (size_t)(f - figures);
    if (i >= n_figures || i >= MAX) {
        bool (*p)(const struct fig_ctx *) = presence_of(f);
        return !p || p(c);
    }
    if (!built) {
        for (size_t k = 0; k < n_figures && k < MAX; k++)
            rule[k] = presence_of(&figures[k]);
        built = true;
    }
    return !rule[i] || rule[i](c);
}

const struct figure *figure_by_key(const char *key)
{
    for (size_t i = 0; i < n_figures; i++)
        if (strcmp(figures[i].key, key) == 0)
            return &figures[i];
    return NULL;
}

static double at(const struct fig_ctx *c, size_t off) { return *(const double *)((const char *)c->r + off); }

double figure_value(const struct figure *f, const struct fig_ctx *c)
{
    if (f->get)
        return f->get(c);
    const char *p = (const char *)c->r + f->off;
    switch (f->kind) {
    case FK_NUM: return *(const double *)p;
    case FK_INT: return (double)*(const int64_t *)p;
    case FK_BOOL: return *(const bool *)p ? 1 : 0;
    default: return 0;
    }
}

const char *figure_text(const struct figure *f, const struct fig_ctx *c)
{
    return f->text ? f->text(c) : "";
}

bool figure_has_band(const struct figure *f) { return f->lo && f->hi; }

void figure_band(const struct figure *f, const struct fig_ctx *c, double *lo, double *hi)
{
    *lo = figure_has_band(f) ? at(c, f->lo) : figure_value(f, c);
    *hi = figure_has_band(f) ? at(c, f->hi) : figure_value(f, c);
}

void unit_format(enum fig_unit u, double v, char *buf, size_t n)
{
    char a[32];
    switch (u) {
    case U_BYTES: fmt_bytes(buf, n, v); break;
    case U_SECONDS: fmt_time(buf, n, v); break;
    case U_TOK_S: snprintf(buf, n, "%.1f tok/s", v); break;
    case U_FLOPS: fmt_si(a, sizeof a, v); snprintf(buf, n, "%sFLOP", a); break;
    case U_FLOP_S: fmt_si(a, sizeof a, v); snprintf(buf, n, "%sFLOP/s", a); break;
    case U_BYTES_S: fmt_si(a, sizeof a, v); snprintf(buf, n, "%sB/s", a); break;
    case U_FLOP_PER_BYTE: snprintf(buf, n, "%.1f FLOP/byte", v); break;
    case U_PARAMS: fmt_params(buf, n, v); break;
    case U_USD: /* cents matter on large sums, significant digits on small ones */
        if (fabs(v) >= 0.01 || v == 0 || !isfinite(v))
            snprintf(buf, n, fabs(v) >= 100 ? "$%.0f" : fabs(v) >= 1 || v == 0 ? "$%.2f" : "$%.3f", v);
        else
            snprintf(buf, n, "$%.*f", 2 - (int)floor(log10(fabs(v))), v); /* three significant digits */
        break;
    case U_KWH: snprintf(buf, n, "%.2f kWh", v); break;
    case U_RATIO: snprintf(buf, n, "%.0f%% of peak", v * 100); break;
    case U_TOKENS: fmt_count(a, sizeof a, (int64_t)v); snprintf(buf, n, "%s tokens", a); break;
    case U_COUNT: fmt_count(buf, n, (int64_t)(v + 0.5)); break;
    case U_FACTOR: snprintf(buf, n, "%.2f", v); break;
    /* a mean over time or over steps, a perplexity difference: the number, its unit in the label */
    case U_SEQS:
    case U_TOK_STEP:
    case U_PPL: snprintf(buf, n, "%.2f", v); break;
    case U_SHARE: snprintf(buf, n, "%.0f%%", v * 100); break;
    case U_REQ_S: /* 100,000 req/s, not 1e+05 */
        if (isinf(v)) { /* a figure may say what its infinity means (struct figure's unbounded) */
            snprintf(buf, n, "unbounded");
        } else if (fabs(v) >= 1e4) {
            fmt_count(a, sizeof a, (int64_t)llround(v));
            snprintf(buf, n, "%s req/s", a);
        } else {
            snprintf(buf, n, "%.3g req/s", v);
        }
        break;
    default: snprintf(buf, n, "%.6g", v); break;
    }
}

const char *unit_name(enum fig_unit u)
{
#define NAME(id, name) name,
    static const char *const names[U_N] = { FIG_UNITS(NAME) };
#undef NAME
    return names[u];
}

void figure_format(const struct figure *f, const struct fig_ctx *c, char *buf, size_t n)
{
    switch (f->kind) {
    case FK_TEXT: snprintf(buf, n, "%s", figure_text(f, c)); break;
    case FK_BOOL: snprintf(buf, n, "%s", figure_value(f, c) ? "yes" : "no"); break;
    default: {
        double v = figure_value(f, c);
        if (isinf(v) && f->unbounded)
            snprintf(buf, n, "%s", f->unbounded);
        else
            unit_format(f->unit, v, buf, n);
        break;
    }
    }
}

void figures_warnings(const struct fig_ctx *c, char *buf, size_t n)
{
    const char *w[16];
    int k = warning_texts(c->r->warnings, w, 16);
    size_t len = (size_t)snprintf(buf, n, "%s", c->rs->warning);
    for (int i = 0; i < k && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "; " : "", w[i]);
}

/* --- quantities an explanation cites that are not figures --- */
struct qdef {
    const char *name, *unit;
    int source;                     /* 0 model, 1 device, 2 engine, 3 weight format, 4 KV format, 5 input */
    double (*get)(const struct fig_ctx *c);
};
static double q_layers(const struct fig_ctx *c) { return (double)SC(c)->model->layers; }
static double q_hidden(const struct fig_ctx *c) { return (double)SC(c)->model->hidden; }
static double q_heads(const struct fig_ctx *c) { return (double)SC(c)->model->heads; }
static double q_kv_heads(const struct fig_ctx *c) { return (double)SC(c)->model->kv_heads; }
static double q_head_dim(const struct fig_ctx *c) { return (double)SC(c)->model->head_dim; }
static double q_vocab(const struct fig_ctx *c) { return (double)SC(c)->model->vocab; }
static double q_inter(const struct fig_ctx *c) { return (double)SC(c)->model->intermediate; }
static double q_experts(const struct fig_ctx *c) { return (double)SC(c)->model->experts; }
static double q_ept(const struct fig_ctx *c) { return (double)SC(c)->model->experts_per_token; }
static double q_mem(const struct fig_ctx *c) { return SC(c)->device->memory_bytes; }
static double q_bw(const struct fig_ctx *c) { return SC(c)->device->bandwidth; }
static double q_usable(const struct fig_ctx *c)
{
    const struct rt_device *d = SC(c)->device;
    return d->usable_bytes > 0 ? d->usable_bytes : d->memory_bytes;
}
static double q_peak(const struct fig_ctx *c) { return c->r->peak_flops; }
static double q_tdp(const struct fig_ctx *c) { return SC(c)->device->tdp_w; }
static double q_price_hour(const struct fig_ctx *c) { return SC(c)->device->price_hour; }
static double q_price(const struct fig_ctx *c) { return SC(c)->device->price_usd; }
static double q_mbu(const struct fig_ctx *c) { return SC(c)->engine->mbu; }
static double q_mfu(const struct fig_ctx *c) { return SC(c)->engine->mfu; }
static double q_mem_util(const struct fig_ctx *c) { return SC(c)->engine->mem_util; }
static double q_ctx_bytes(const struct fig_ctx *c) { return SC(c)->engine->context_bytes; }
static double q_step(const struct fig_ctx *c) { return SC(c)->engine->step_overhead_s; }
static double q_layer(const struct fig_ctx *c) { return SC(c)->engine->layer_overhead_s; }
static double q_request(const struct fig_ctx *c) { return SC(c)->engine->request_overhead_s; }
static double q_band_low(const struct fig_ctx *c) { return SC(c)->engine->band_low; }
static double q_band_high(const struct fig_ctx *c) { return SC(c)->engine->band_high; }
static double q_wbits(const struct fig_ctx *c) { return SC(c)->weights->bits; }
static double q_wcompute(const struct fig_ctx *c) { return (double)SC(c)->weights->compute; }
static double q_wattn(const struct fig_ctx *c) { return rt_attn_bits(SC(c)->weights); }
static double q_kvbits(const struct fig_ctx *c) { return SC(c)->kv->bits; }
static double q_rate(const struct fig_ctx *c) { return SC(c)->rate; }
static double q_prefix_hit(const struct fig_ctx *c) { return SC(c)->prefix_hit; }
static double q_requests(const struct fig_ctx *c) { return (double)SC(c)->requests; }
static double q_ttft_max(const struct fig_ctx *c) { return SC(c)->ttft_max; }
static double q_itl_max(const struct fig_ctx *c) { return SC(c)->itl_max; }
static double q_max_seqs(const struct fig_ctx *c) { return (double)SC(c)->engine->max_seqs; }
static double q_max_tokens(const struct fig_ctx *c) { return (double)SC(c)->engine->max_batched_tokens; }
static int host_of(const struct fig_ctx *c)
{
    int h = SC(c)->device->host_cpu;
    return h >= 0 && h < RT_HOST_N ? h : RT_HOST_X86;
}
static double q_host_step(const struct fig_ctx *c) { return SC(c)->engine->host_step_s[host_of(c)]; }
static double q_host_seq(const struct fig_ctx *c) { return SC(c)->engine->host_seq_s[host_of(c)]; }
static double q_disagg_p(const struct fig_ctx *c) { return (double)SC(c)->disagg_p; }
static double q_disagg_d(const struct fig_ctx *c) { return (double)SC(c)->disagg_d; }

static const struct qdef qdefs[] = {
    { "model.layers", "count", 0, q_layers }, { "model.hidden_size", "count", 0, q_hidden },
    { "model.heads", "count", 0, q_heads }, { "model.kv_heads", "count", 0, q_kv_heads },
    { "model.head_dim", "count", 0, q_head_dim }, { "model.vocab_size", "count", 0, q_vocab },
    { "model.intermediate_size", "count", 0, q_inter }, { "model.experts", "count", 0, q_experts },
    { "model.experts_per_token", "count", 0, q_ept },
    { "device.memory", "bytes", 1, q_mem }, { "device.bandwidth", "bytes/s", 1, q_bw },
    { "device.usable_memory", "bytes", 1, q_usable },
    { "device.peak", "FLOP/s", 1, q_peak }, { "device.tdp", "W", 1, q_tdp },
    { "device.price_hour", "USD/h", 1, q_price_hour }, { "device.price_usd", "USD", 1, q_price },
    { "engine.mbu", "fraction", 2, q_mbu }, { "engine.mfu", "fraction", 2, q_mfu },
    { "engine.mem_util", "fraction", 2, q_mem_util }, { "engine.context_bytes", "bytes", 2, q_ctx_bytes },
    { "engine.step_overhead", "s", 2, q_step }, { "engine.layer_overhead", "s", 2, q_layer },
    { "engine.request_overhead", "s", 2, q_request },
    { "engine.band_low", "factor", 2, q_band_low }, { "engine.band_high", "factor", 2, q_band_high },
    { "weights.bits", "bits", 3, q_wbits }, { "weights.compute", "precision", 3, q_wcompute },
    { "weights.attn_bits", "bits", 3, q_wattn },
    { "kv.bits", "bits", 4, q_kvbits },
    { "engine.max_seqs", "count", 2, q_max_seqs }, { "engine.max_batched_tokens", "tokens", 2, q_max_tokens },
    { "engine.host_step_s", "s", 2, q_host_step }, { "engine.host_seq_s", "s", 2, q_host_seq },
    { "disagg_p", "count", 5, q_disagg_p }, { "disagg_d", "count", 5, q_disagg_d },
    { "rate", "requests/s", 5, q_rate }, { "prefix_hit", "fraction", 5, q_prefix_hit }, { "requests", "count", 5, q_requests },
    { "ttft_max", "s", 5, q_ttft_max }, { "itl_max", "s", 5, q_itl_max },
};

bool quantity_lookup(const char *name, const struct fig_ctx *c, struct quantity *q)
{
    memset(q, 0, sizeof *q);
    q->name = name;
    const struct figure *f = figure_by_key(name);
    if (f) {
        q->unit = unit_name(f->unit);
        if (f->kind == FK_TEXT)
            q->text = figure_text(f, c);
        else
            q->value = figure_value(f, c);
        if (f->section == SEC_SCENARIO)
            snprintf(q->source, sizeof q->source, "input (command line or session)");
        else
            snprintf(q->source, sizeof q->source, "computed (rooftop --print --explain %s)", name);
        return true;
    }
    for (size_t i = 0; i < sizeof qdefs / sizeof qdefs[0]; i++) {
        if (strcmp(qdefs[i].name, name) != 0)
            continue;
        const struct rt_scenario *s = SC(c);
        q->unit = qdefs[i].unit;
        q->value = qdefs[i].get(c);
        switch (qdefs[i].source) {
        case 0: snprintf(q->source, sizeof q->source, "model '%s' (catalog entry or imported file)", s->model->id); break;
        case 1:
            snprintf(q->source, sizeof q->source, "device '%s' (catalog; --bandwidth, --memory, --tflops, "
                     "--price-hour override)", s->device->id);
            break;
        case 2: snprintf(q->source, sizeof q->source, "engine profile '%s' (its source is in engines.cfg)", s->engine->id); break;
        case 3: snprintf(q->source, sizeof q->source, "weight format '%s'", s->weights->id); break;
        case 4: snprintf(q->source, sizeof q->source, "KV cache format '%s'", s->kv->id); break;
        default: snprintf(q->source, sizeof q->source, "input (command line or session)"); break;
        }
        if (strcmp(name, "weights.attn_bits") == 0)
            snprintf(q->source, sizeof q->source, "attention format '%s' (--attn-weights)", spec_attn_weights(c->rs));
        if (strcmp(name, "weights.compute") == 0) {
            q->text = prec_name(s->weights->compute);
            q->unit = "";
        }
        if (strcmp(name, "engine.max_seqs") == 0 && s->max_seqs_given) /* the cap under a rate */
            snprintf(q->source, sizeof q->source, "--max-seqs (command line or session)");
        else if (strcmp(name, "engine.max_seqs") == 0 && s->rate > 0 && s->batch > 1)
            snprintf(q->source, sizeof q->source, "engine profile '%s'; --batch %lld caps the running sequences instead "
                     "(no --max-seqs)", s->engine->id, (long long)s->batch);
        return true;
    }
    return false;
}

void figures_man(FILE *o)
{
    for (size_t i = 0; i < n_figures; i++) {
        const struct figure *f = &figures[i];
        if (f->section == SEC_SCENARIO || !f->formula)
            continue;
        fprintf(o, ".TP\n.B %s\n", f->key);
        const char *u = unit_name(f->unit);
        char text[512];
        snprintf(text, sizeof text, "%s%s%s%s", u[0] ? "(" : "", u, u[0] ? ") " : "", f->formula);
        if (figure_has_band(f))
            snprintf(text + strlen(text), sizeof text - strlen(text), "; with %s_low and %s_high, the band", f->key,
                     f->key);
        for (const char *p = text; *p; p++) {
            if (*p == '-')
                fputs("\\-", o);
            else if (*p == '\\')
                fputs("\\e", o);
            else if (*p == '.' && (p == text || p[-1] == '\n'))
                fputs("\\&.", o);
            else
                fputc(*p, o);
        }
        fputc('\n', o);
    }
}

/* A served_only figure (the cost object's contract keys cost.per_mtok_output_usd, _input_usd,
 * per_request_usd) stays in JSON for a setup that does not fit or serves nothing, with no value (null; an empty CSV
 * cell): it serves nothing, so nothing is earned per token or request. */
bool figure_priced(const struct figure *f, const struct fig_ctx *c)
{
    return figures_served(c) || !f->served_only;
}

/* The setup serves: it fits and, under a rate, at least one sequence runs (a serving run with no
 * room for one sequence's KV cache, or a --disagg group that cannot hold the model, serves nothing:
 * its cost per token falls back on no static figure). */
bool figures_served(const struct fig_ctx *c)
{
    return c->r->fits && !(c->r->serving_on && !c->r->serving.fits);
}
