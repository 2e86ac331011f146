/* inputs.c - the scenario inputs table (see inputs.h) and its generic access. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/inputs.h"
#include "core/limits.h"
#include "base/units.h"

/* Where a row lands, and what a change of it affects:
 *  AT(f)        in rt_spec's f only; spec_resolve reads it by hand (a catalog id, a
 *               device override, a count derived from others): resolve and recompute.
 *  ATX(f, aff)  the same, affecting aff as well (AFF_SOLVER: --solve reads it too).
 *  TO(f, aff)   in rt_spec's f, copied by spec_resolve's loop into rt_scenario's field
 *               of the same name and type; recompute (and aff) without resolving again.
 *  SOLVE(f)     in rt_spec's f, read by --solve alone.
 * A dashboard field: FIELD(label, step, text shown for none, the figure explain opens on). */
#define SPEC_AT(f) offsetof(struct rt_spec, f), sizeof(((struct rt_spec *)0)->f)
#define SCEN_AT(f) offsetof(struct rt_scenario, f), sizeof(((struct rt_scenario *)0)->f)
#define AT(f) SPEC_AT(f), 0, 0, AFF_RESOLVE | AFF_RECOMPUTE
#define ATX(f, aff) SPEC_AT(f), 0, 0, AFF_RESOLVE | AFF_RECOMPUTE | (aff)
#define TO(f, aff) SPEC_AT(f), SCEN_AT(f), AFF_RECOMPUTE | (aff)
#define SOLVE(f) SPEC_AT(f), 0, 0, AFF_SOLVER
#define FIELD(label, step, none, figure) (&(const struct input_field){ label, step, none, figure })
#define TOKENS ((double)RT_TOKENS_MAX)
#define DECODE_RATE "decode.tokens_per_s_per_sequence"

/* Order: --help and the man page list the rows so, and the dashboard's fields
 * (the rows with a FIELD) appear in this order. */
const struct input inputs[] = {
    { "model", 'm', "ID|PATH", "model", FIELD("Model", STEP_CHOICE, NULL, "params_total"), true, IN_ID, CH_MODEL, "", 0, 0, 0, "llama-3.1-8b", AT(model),
      "model: a catalog id, a Hugging Face config.json or a .gguf file (header only)" },
    { "gpu", 'g', "ID", "gpu", FIELD("GPU", STEP_CHOICE, "custom", "memory.capacity_per_device_bytes"), true, IN_ID, CH_DEVICE, "", 0, 0, 0, "h100-sxm", ATX(gpu, AFF_SOLVER),
      "device: a catalog id (see --list-gpus), or mixed devices ID:COUNT,ID:COUNT (rtx-4090:1,rtx-3090:2): "
      "layers split over them as llama.cpp does, by each device's memory or --tensor-split; ID@tb3, ID@tb4 or "
      "ID@tb5 puts a device in an external Thunderbolt enclosure (rtx-4090:1,rtx-3090@tb4:1), its hand-offs at the "
      "tunnel's PCIe rate" },
    { "gpus", 'n', "N", "devices", FIELD("Devices", STEP_DEVICES, NULL, "min_devices"), true, IN_COUNT, CH_NONE, "", 0, RT_DEVICES_MAX, 1, NULL, AT(devices),
      "number of devices (tensor parallel unless --tp/--pp say otherwise; with -e llama.cpp, its default layer split: pipeline stages)" },
    { "tp", 0, "N", "tp", NULL, true, IN_COUNT, CH_NONE, "", 0, RT_DEVICES_MAX, 0, NULL, AT(tp),
      "tensor parallel degree (0: from the others)" },
    { "ep", 0, "N", "ep", NULL, true, IN_COUNT, CH_NONE, "", 0, RT_DEVICES_MAX, 0, NULL, TO(ep, 0),
      "expert parallel degree (MoE): attention data parallel over ep groups of the tp devices, experts spread" },
    { "pp", 0, "N", "pp", NULL, true, IN_COUNT, CH_NONE, "", 0, RT_DEVICES_MAX, 0, NULL, AT(pp),
      "pipeline parallel degree (0: from the others)" },
    { "weights", 'w', "FMT", "weights", FIELD("Weights", STEP_CHOICE, NULL, "memory.weights_bytes"), true, IN_ID, CH_FORMAT, "", 0, 0, 0, "native", AT(weights),
      "weight format (see --list-formats): native (the format the model ships in: gpt-oss mxfp4, DeepSeek-V3 fp8, "
      "a GGUF file its own types), fp16 bf16 fp8 int8 int4 q8_0 q4_k_m ..." },
    { "attn-weights", 0, "FMT", "attn_weights", FIELD("Attention", STEP_CHOICE, NULL, "memory.weights_bytes"), true, IN_ID,
      CH_ATTN_FORMAT, "", 0, 0, 0, "auto", AT(attn_weights),
      "format of the attention projections (q, k, v, o; MLA's q_a, q_b, kv_a, kv_b, o): their bytes and their "
      "GEMMs' precision, the other weights staying at --weights: auto (as --weights gives them: the checkpoint's "
      "own with --weights native, gpt-oss and NVIDIA's FP4 DeepSeek checkpoints bf16; else --weights's format), "
      "native (as the checkpoint ships them, whatever --weights says), or a format: bf16 fp8 nvfp4 ..." },
    { "kv", 'k', "FMT", "kv", FIELD("KV cache", STEP_CHOICE, "auto (16-bit)", "kv_bytes_per_token"), true, IN_ID, CH_KV_FORMAT, "", 0, 0, 0, "", AT(kv),
      "KV cache format: fp32 fp16 bf16 fp8 int8 q8_0 q4_0 (default: 16-bit)" },
    { "engine", 'e', "ID", "engine", FIELD("Engine", STEP_CHOICE, NULL, DECODE_RATE), true, IN_ID, CH_ENGINE, "", 0, 0, 0, "vllm", ATX(engine, AFF_SOLVER),
      "serving runtime's efficiency profile (ideal: the roofline at peak)" },
    { "batch", 'b', "N", "batch", FIELD("Batch", STEP_ONE, NULL, "max_batch"), true, IN_COUNT, CH_NONE, "", 1, TOKENS, 1, NULL, TO(batch, 0),
      "concurrent sequences (the static figures); with --rate and no --max-seqs, also the cap on running sequences" },
    { "prompt", 'p', "N", "prompt", FIELD("Prompt", STEP_GRID, NULL, "ttft_s"), true, IN_TOKENS, CH_NONE, "tokens", 0, TOKENS, 1024, NULL, TO(prompt, AFF_SOLVER),
      "prompt tokens per sequence (8k = 8192, 1e6, 1m = 1048576)" },
    { "output", 'o', "N", "output", FIELD("Output", STEP_GRID, NULL, "e2e_latency_s"), true, IN_TOKENS, CH_NONE, "tokens", 0, TOKENS, 256, NULL, TO(output, AFF_SOLVER),
      "generated tokens per sequence" },
    { "gpu-layers", 0, "N", "gpu_layers", FIELD("GPU layers", STEP_LAYERS, "all", "max_gpu_layers"), true, IN_COUNT, CH_NONE, "", -1, RT_LAYERS_MAX, -1, NULL,
      AT(gpu_layers), "partial offload: N layers on the device, the rest in host memory (-1: all)" },
    { "n-cpu-moe", 0, "N", "n_cpu_moe", FIELD("CPU MoE", STEP_ONE, NULL, "min_n_cpu_moe"), true, IN_COUNT, CH_NONE, "", 0, RT_LAYERS_MAX, 0, NULL,
      AT(n_cpu_moe), "MoE expert offload (llama.cpp's option, -e llama.cpp): the routed experts of the first N "
      "layers stay in host memory (--host), decode reads the active ones there" },
    { "host", 0, "ID", "host", NULL, true, IN_ID, CH_DEVICE, "", 0, 0, 0, "cpu-ddr5-2ch", AT(host),
      "host memory system for offloaded layers" },
    { "rate", 0, "R", "rate", FIELD("Rate", STEP_RATE, "off", DECODE_RATE), true, IN_REAL, CH_NONE, "req/s", 0, RT_RATE_INF, 0, NULL, TO(rate, AFF_SOLVER),
      "serving: requests per second arriving (Poisson, fixed seed); inf (or 1e9): all at once; 0: off" },
    { "requests", 0, "N", "requests", NULL, true, IN_COUNT, CH_NONE, "", 1, RT_REQUESTS_MAX, 1000, NULL,
      TO(requests, AFF_SOLVER), "serving (with --rate): requests in the run, each of -p prompt and -o output tokens (default 1000)" },
    { "max-seqs", 0, "N", "max_seqs", FIELD("Max seqs", STEP_ONE, "engine's", "serving.mean_running"), true, IN_COUNT,
      CH_NONE, "", 0, 1 << 24, 0, NULL, AT(max_seqs),
      "serving: the engine's cap on sequences running at once, whatever --batch says (0: --batch above 1, else the engine profile's, see --list-engines)" },
    { "max-batched-tokens", 0, "N", "max_batched_tokens", NULL, true, IN_TOKENS, CH_NONE, "tokens", 0, TOKENS, 0,
      NULL, AT(max_batched_tokens), "the engine's token budget per step: prefill chunk and serving step (0: the profile's)" },
    { "swa-kv", 0, "POLICY", "swa_kv", NULL, false, IN_ID, CH_NONE, "", 0, 0, 0, "", AT(swa_kv),
      "what the engine keeps of sliding-window layers: window, full (the window ignored: TensorRT-LLM without "
      "max_attention_window, vLLM --disable-sliding-window, llama.cpp --swa-full) or hybrid (windows only in models "
      "that mix sliding and full layers); default: the engine profile's" },
    { "kv-policy", 0, "POLICY", "kv_policy", FIELD("KV policy", STEP_CHOICE, "engine's", "serving.mean_running"), true,
      IN_ID, CH_KV_POLICY, "", 0, 0, 0, "", AT(kv_policy),
      "serving: how the engine holds each sequence's KV cache: reserve (its final context's cache when admitted: "
      "TensorRT-LLM's GUARANTEED_NO_EVICT) or grow (admitted on its prompt, blocks added as it decodes, the newest "
      "preempted and recomputed when they run out: vLLM, SGLang, LMDeploy); default: the engine profile's" },
    { "backend", 0, "ID", "backend", NULL, false, IN_ID, CH_NONE, "", 0, 0, 0, "", AT(backend),
      "with -e llama.cpp: the compute backend its kernels run on: auto (the device family's: CUDA on NVIDIA, "
      "ROCm/HIP on AMD, Metal on Apple, the CPU's), cuda, rocm, metal, cpu (the family's own), vulkan (matrix-matrix "
      "products on cooperative matrices at the device's 16-bit matrix rate) or vulkan-scalar (a Vulkan driver "
      "without cooperative matrices: the vector units)" },
    { "prompt-dist", 0, "D", "prompt_dist", FIELD("Prompt len", STEP_CHOICE, NULL, "serving.ttft_mean_s"), false, IN_ID, CH_DIST, "", 0, 0, 0, "fixed", AT(prompt_dist),
      "serving: prompt lengths around -p: fixed, uniform:R (in [(1-R)p, (1+R)p]), lognormal:S (log-space sigma S)" },
    { "output-dist", 0, "D", "output_dist", FIELD("Output len", STEP_CHOICE, NULL, "serving.e2e_mean_s"), false, IN_ID, CH_DIST, "", 0, 0, 0, "fixed", AT(output_dist),
      "serving: output lengths around -o: fixed, uniform:R, lognormal:S" },
    { "concurrency", 0, "N", "concurrency", FIELD("Clients", STEP_ONE, "off", "serving.mean_running"), true, IN_COUNT,
      CH_NONE, "", 0, RT_REQUESTS_MAX, 0, NULL, AT(concurrency), "serving with --rate inf: a closed loop of N clients, "
      "each sending its next request when the last ends (0: all requests at once)" },
    { "dp", 0, "N", "dp", FIELD("DP", STEP_REPLICAS, NULL, "serving.capacity_rps"), true, IN_COUNT, CH_NONE, "", 0,
      RT_DEVICES_MAX, 0, NULL, AT(dp), "data-parallel replicas of the tp x pp (x ep) group; --gpus is then dp x tp x pp "
      "(0: one)" },
    { "disagg", 0, "P:D", "disagg", FIELD("Disagg", STEP_CHOICE, "off", "serving.disagg.kv_transfer_s"), false, IN_ID, CH_SPLIT, "", 0, 0, 0, "", AT(disagg),
      "serving: disaggregated prefill on P devices and decode on D (each a tensor-parallel group), the KV cache "
      "moved between them" },
    { "ttft-max", 0, "S", "ttft_max", FIELD("TTFT max", STEP_TIME, "none", "serving.capacity_sla_rps"), true, IN_REAL, CH_NONE, "s", 0, 1e6, 0, NULL, TO(ttft_max, AFF_SOLVER),
      "target: mean time to first token under load (capacity within targets, --solve)" },
    { "itl-max", 0, "S", "itl_max", FIELD("ITL max", STEP_TIME, "none", "serving.capacity_sla_rps"), true, IN_REAL, CH_NONE, "s", 0, 1e6, 0, NULL, TO(itl_max, AFF_SOLVER),
      "target: mean inter-token latency under load (capacity within targets, --solve)" },
    { "max-devices", 0, "N", "max_devices", NULL, false, IN_COUNT, CH_NONE, "", 1, RT_SOLVE_DEVICES_MAX, RT_SOLVE_DEVICES_DEFAULT, NULL, SOLVE(max_devices),
      "--solve: the most devices one setup may use" },
    { "bandwidth", 0, "GBPS", "bandwidth_gbps", NULL, true, IN_REAL, CH_NONE, "GB/s", 0, 1e7, 0, NULL,
      AT(bandwidth_gbps), "override (or, with no --gpu, define) the memory bandwidth in GB/s" },
    { "tflops", 0, "T", "tflops", NULL, true, IN_REAL, CH_NONE, "TFLOP/s", 0, 1e7, 0, NULL, AT(tflops),
      "override the dense peak TFLOP/s at the weight format's precision" },
    { "memory", 0, "GB", "memory_gb", NULL, true, IN_REAL, CH_NONE, "GB", 0, 1e7, 0, NULL, AT(memory_gb),
      "override (or define) the memory per device in GB" },
    { "prefix-hit", 0, "F", "prefix_hit", FIELD("Prefix hit", STEP_TENTH, NULL, "serving.prefix_cached_tokens"), true, IN_REAL, CH_NONE, "", 0, 1, 0, NULL, TO(prefix_hit, 0),
      "serving (--rate): share of each prompt's tokens served from the prefix cache (not prefilled, still "
      "attended to); the cached prefix is held once in the KV pool" },
    { "draft", 0, "ID", "draft", FIELD("Draft", STEP_CHOICE, "none", "speculative.tokens_per_step"), true, IN_ID,
      CH_DRAFT, "", 0, 0, 0, "", AT(draft),
      "speculative decoding with this draft model (a catalog id: a model or an EAGLE-3 head, eagle3-...; or a "
      "draft's config.json), or mtp: the model's own multi-token-prediction layers (DeepSeek-V3/R1, GLM-4.5, "
      "Qwen3-Next)" },
    { "price-hour", 0, "USD", "price_hour", FIELD("Price", STEP_PRICE, "catalog", DECODE_RATE), true, IN_REAL, CH_NONE, "USD/h", 0, 1e6, 0, NULL, ATX(price_hour, AFF_SOLVER),
      "cost per device-hour (default: the catalog's)" },
    { "purchase-usd", 0, "USD", "purchase_usd", FIELD("Purchase", STEP_AMOUNT, "catalog", "cost.per_hour_usd"), true, IN_REAL, CH_NONE, "USD", 0, 1e9, 0, NULL,
      ATX(purchase_usd, AFF_SOLVER), "owned hardware: price of one device (default: the catalog's)" },
    { "lifetime-years", 0, "Y", "lifetime_years", FIELD("Lifetime", STEP_AMOUNT, "off (rented)", "cost.per_hour_usd"), true, IN_REAL, CH_NONE, "years", 0, 100, 0, NULL,
      TO(lifetime_years, AFF_SOLVER), "owned hardware: write its price off over Y years of wall-clock time" },
    { "utilization", 0, "F", "utilization", NULL, true, IN_REAL, CH_NONE, "", 0, 1, 1, NULL, TO(utilization, 0),
      "cost: share of time the setup does useful work, without --rate (0: 1)" },
    { "load-factor", 0, "F", "load_factor", NULL, true, IN_REAL, CH_NONE, "", 0, 1.5, 1, NULL, TO(load_factor, 0),
      "owned hardware: power drawn while working, as a share of TDP" },
    { "pue", 0, "F", "pue", NULL, true, IN_REAL, CH_NONE, "", 0, 10, 1, NULL, TO(pue, AFF_SOLVER),
      "owned hardware: power usage effectiveness of the facility (1: none)" },
    { "api", 0, "ID", "api", FIELD("API", STEP_CHOICE, "none", DECODE_RATE), false, IN_ID, CH_API, "", 0, 0, 0, "", AT(api),
      "compare with a priced API offering (see --list-apis)" },
    { "kwh-usd", 0, "USD", "kwh_usd", NULL, true, IN_REAL, CH_NONE, "USD/kWh", 0, 100, 0, NULL, TO(kwh_usd, AFF_SOLVER),
      "owned hardware: electricity price per kWh (power at --load-factor x TDP x --pue)" },
    { "target", 0, "TOK_S", "target_tok_s", FIELD("Target", STEP_RATE, "off", "target.decode_flops_needed"), true, IN_REAL, CH_NONE, "tok/s", 0, 1e9, 0, NULL,
      TO(target_tok_s, 0), "target tokens/s per sequence: the bandwidth and compute it needs" },
    { "tensor-split", 0, "W1,W2,...", "tensor_split", FIELD("Split", STEP_CHOICE, "by memory", "split.layers"), false,
      IN_ID, CH_TSPLIT, "", 0, 0, 0, "", AT(tensor_split),
      "mixed devices: the layers in these proportions, one weight per listed device in order (llama.cpp's "
      "--tensor-split; default: each device's memory)" },
    { "cached-prefix", 0, "N", "cached_prefix", NULL, true, IN_TOKENS, CH_NONE, "tokens", 0, TOKENS, 0, NULL,
      TO(cached_prefix, 0), "prompt tokens already in a prefix cache: only the rest is prefilled" },
    { "spec-tokens", 0, "N", "spec_tokens", NULL, true, IN_COUNT, CH_NONE, "", 1, RT_SPEC_TOKENS_MAX, 4, NULL,
      AT(spec_tokens), "draft tokens proposed per verification step (with --draft mtp, left at 4: as many as "
      "the model's MTP layers)" },
    { "spec-accept", 0, "A", "spec_accept", NULL, true, IN_REAL, CH_NONE, "", 0.001, 1, 0.8, NULL,
      AT(spec_accept), "per-token acceptance rate of the draft; left at 0.8 (an assumption): the draft's "
      "published rate where the catalog has one" },
    { "no-flash-attention", 0, NULL, "no_flash_attention", NULL, false, IN_FLAG, CH_NONE, "", 0, 1, 0, NULL,
      TO(assume.no_flash_attention, 0), "assumption: materialise the n^2 attention scores (seeds' formula)" },
    { "cache-hit", 0, "F", "weight_cache_hit", NULL, true, IN_REAL, CH_NONE, "", 0, 0.99, 0, NULL,
      TO(assume.weight_cache_hit, 0), "assumption: fraction of weight reads served from cache (seeds: 0.8)" },
    { "kv-from-hidden", 0, NULL, "kv_from_hidden", NULL, false, IN_FLAG, CH_NONE, "", 0, 1, 0, NULL,
      TO(assume.kv_from_hidden, 0), "assumption: size the KV cache with hidden_size, ignoring GQA/MLA" },
};
const size_t n_inputs = sizeof inputs / sizeof inputs[0];

const struct input *input_by_name(const char *name)
{
    for (size_t i = 0; i < n_inputs; i++)
        if (strcmp(inputs[i].name, name) == 0)
            return &inputs[i];
    return NULL;
}

const struct input *input_by_short(char c)
{
    for (size_t i = 0; c && i < n_inputs; i++)
        if (inputs[i].shrt == c)
            return &inputs[i];
    return NULL;
}

const struct input *input_by_session_key(const char *key)
{
    for (size_t i = 0; i < n_inputs; i++)
        if (strcmp(inputs[i].session_key, key) == 0)
            return &inputs[i];
    return NULL;
}

const struct input *input_by_field(const char *label)
{
    for (size_t i = 0; i < n_inputs; i++)
        if (inputs[i].field && strcmp(inputs[i].field->label, label) == 0)
            return &inputs[i];
    return NULL;
}

static void *slot(const struct input *in, const struct rt_spec *sp)
{
    return (char *)sp + in->offset;
}

int64_t input_int(const struct input *in, const struct rt_spec *sp)
{
    return in->type == IN_COUNT || in->type == IN_TOKENS ? *(const int64_t *)slot(in, sp) : (int64_t)input_number(in, sp);
}

double input_number(const struct input *in, const struct rt_spec *sp)
{
    switch (in->type) {
    case IN_COUNT:
    case IN_TOKENS: return (double)*(const int64_t *)slot(in, sp);
    case IN_REAL: return *(const double *)slot(in, sp);
    case IN_FLAG: return *(const bool *)slot(in, sp) ? 1 : 0;
    default: return 0;
    }
}

const char *input_text(const struct input *in, const struct rt_spec *sp)
{
    return in->type == IN_ID ? (const char *)slot(in, sp) : "";
}

/* The shortest %g form that reads back as the same double: 0.8, not 0.80000000000000004. */
static void shortest(char *buf, size_t n, double v)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void input_format(const struct input *in, const struct rt_spec *sp, char *buf, size_t n)
{
    switch (in->type) {
    case IN_ID: snprintf(buf, n, "%s", input_text(in, sp)); break;
    case IN_COUNT:
    case IN_TOKENS: snprintf(buf, n, "%lld", (long long)input_int(in, sp)); break;
    case IN_REAL: shortest(buf, n, input_number(in, sp)); break;
    case IN_FLAG: snprintf(buf, n, "%s", input_number(in, sp) ? "true" : "false"); break;
    }
}

static void store(const struct input *in, struct rt_spec *sp, double v)
{
    switch (in->type) {
    case IN_COUNT:
    case IN_TOKENS: *(int64_t *)slot(in, sp) = (int64_t)v; break;
    case IN_REAL: *(double *)slot(in, sp) = v == 0 ? 0 : v; break; /* -0 is 0: a session writes "0" */
    case IN_FLAG: *(bool *)slot(in, sp) = v != 0; break;
    default: break;
    }
}

/* A whole number, also written as 1e6 (as token counts are): --requests 1e6. */
static bool parse_count(const char *text, int64_t *x)
{
    double d;
    if (parse_int(text, x))
        return true;
    if (!parse_real(text, &d) || d != floor(d) || fabs(d) > 9e15)
        return false;
    *x = (int64_t)d;
    return true;
}

bool input_parse(const struct input *in, struct rt_spec *sp, const char *text, char *why, size_t whylen)
{
    double v = 0;
    int64_t x;
    switch (in->type) {
    case IN_ID:
        if (!*text || strlen(text) >= in->size) {
            snprintf(why, whylen, "empty or too long");
            return false;
        }
        snprintf((char *)slot(in, sp), in->size, "%s", text);
        return true;
    case IN_COUNT:
    case IN_TOKENS:
        if (!(in->type == IN_TOKENS ? parse_tokens(text, &x) : parse_count(text, &x))) {
            snprintf(why, whylen, in->type == IN_TOKENS ? "expected a token count such as 512, 8k or 1e6"
                                                         : "expected a whole number such as 64 or 1e6");
            return false;
        }
        v = (double)x;
        break;
    case IN_REAL:
        if (in->max == RT_RATE_INF && (strcmp(text, "inf") == 0 || strcmp(text, "infinity") == 0)) {
            v = in->max; /* --rate inf: every request at once (the spec keeps the limit) */
            break;
        }
        if (!parse_real(text, &v)) {
            snprintf(why, whylen, "expected a number");
            return false;
        }
        break;
    case IN_FLAG:
        if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0) v = 1;
        else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0) v = 0;
        else {
            snprintf(why, whylen, "expected true or false");
            return false;
        }
        break;
    }
    if (v < in->min || v > in->max) {
        snprintf(why, whylen, "must be between %.15g and %.15g", in->min, in->max);
        return false;
    }
    store(in, sp, v);
    return true;
}

bool input_set_number(const struct input *in, struct rt_spec *sp, double v)
{
    if (in->type == IN_ID || isnan(v))
        return false;
    if (v < in->min) v = in->min;
    if (v > in->max) v = in->max;
    if (in->type == IN_COUNT || in->type == IN_TOKENS)
        v = floor(v);
    if (input_number(in, sp) == v)
        return false;
    store(in, sp, v);
    return true;
}

void input_copy(const struct input *in, struct rt_spec *dst, const struct rt_spec *src)
{
    if ((const void *)dst != (const void *)src)
        memcpy((char *)dst + in->offset, (const char *)src + in->offset, in->size);
}

void inputs_default(struct rt_spec *sp)
{
    memset(sp, 0, sizeof *sp);
    for (size_t i = 0; i < n_inputs; i++) {
        const struct input *in = &inputs[i];
        if (in->type == IN_ID)
            snprintf((char *)slot(in, sp), in->size, "%s", in->def_text ? in->def_text : "");
        else
            store(in, sp, in->def);
    }
}

bool inputs_check(const struct rt_spec *sp, char *err, size_t errlen)
{
    for (size_t i = 0; i < n_inputs; i++) {
        const struct input *in = &inputs[i];
        if (in->type == IN_ID)
            continue;
        double v = input_number(in, sp);
        if (in->max == RT_RATE_INF && v == INFINITY)
            continue; /* a rate of inf set in code: every request at once, as RT_RATE_INF */
        if (!(v >= in->min && v <= in->max)) {
            snprintf(err, errlen, "--%s: %.15g is out of range: must be between %.15g and %.15g", in->name, v,
                     in->min, in->max);
            return false;
        }
    }
    return true;
}

void input_to_scenario(const struct input *in, struct rt_scenario *s, const struct rt_spec *sp)
{
    if (!in->s_size)
        return;
    void *to = (char *)s + in->s_offset;
    switch (in->type) {
    case IN_COUNT:
    case IN_TOKENS: *(int64_t *)to = input_int(in, sp); break;
    case IN_REAL: {
        double v = input_number(in, sp);
        if (in->max == RT_RATE_INF && v >= RT_RATE_INF)
            v = INFINITY; /* --rate inf (the spec keeps the limit): every request at once */
        *(double *)to = v;
        break;
    }
    case IN_FLAG: *(bool *)to = input_number(in, sp) != 0; break;
    case IN_ID: break;
    }
}

void inputs_to_scenario(struct rt_scenario *s, const struct rt_spec *sp)
{
    for (size_t i = 0; i < n_inputs; i++)
        input_to_scenario(&inputs[i], s, sp);
}
