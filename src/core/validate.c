/* validate.c - the ranges a scenario must be in before anything is estimated. */
#include <math.h>
#include <stdio.h>
#include "core/core.h"

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return RT_EINVAL; } while (0)

static bool bad_count(int64_t v, int64_t min) { return v < min || v > RT_COUNT_MAX; }
static bool bad_real(double v) { return !isfinite(v) || v < 0; }

/* Mixed devices (split.c): a list of 2 to RT_MIX_MAX devices, layer split only. */
static int rt_validate_mix(const struct rt_scenario *s, char *err, size_t errlen)
{
    if (s->mix_n == 0)
        return RT_OK;
    if (s->mix_n < 2 || s->mix_n > RT_MIX_MAX)
        FAIL("a device list holds 2 to %d devices", RT_MIX_MAX);
    double sum = 0;
    for (int i = 0; i < s->mix_n; i++) {
        const struct rt_device *d = s->mix[i];
        if (!d || !(d->memory_bytes > 0) || !(d->bandwidth > 0) || bad_real(d->link_bw))
            FAIL("device %d of the list: memory and bandwidth must be positive", i + 1);
        if (bad_real(s->mix_split[i]))
            FAIL("split weights must be non-negative numbers");
        sum += s->mix_split[i];
    }
    if (!isfinite(sum))
        FAIL("split weights must be non-negative numbers");
    if (s->devices != s->mix_n || s->tp != 1 || s->pp != 1 || s->ep > 1 || s->dp > 1 || s->disagg_p > 0)
        FAIL("a device list is split by layers: not with tensor, pipeline, expert or data parallel degrees, "
             "nor disaggregated serving");
    if (s->host || s->cpu_moe > 0)
        FAIL("a device list is not modelled with offload to host memory");
    return RT_OK;
}

int rt_validate(const struct rt_scenario *s, char *err, size_t errlen)
{
    if (!s->model || !s->device || !s->weights || !s->kv || !s->engine)
        FAIL("incomplete scenario: model, device, formats and engine are all needed");
    if (rt_validate_model(s->model, err, errlen) != RT_OK)
        return RT_EINVAL;
    const struct rt_device *d = s->device;
    if (bad_real(d->memory_bytes) || d->memory_bytes <= 0) FAIL("%s: memory must be positive", d->id);
    if (bad_real(d->bandwidth) || d->bandwidth <= 0) FAIL("%s: bandwidth must be positive", d->id);
    for (int i = 0; i < RT_PREC_N; i++)
        if (bad_real(d->peak[i])) FAIL("%s: peak throughput must be a non-negative number", d->id);
    if (bad_real(d->usable_bytes)) FAIL("%s: usable memory must be a non-negative number", d->id);
    if (bad_real(d->link_bw)) FAIL("%s: interconnect bandwidth must be a non-negative number", d->id);
    if (bad_real(d->boost_hz)) FAIL("%s: the boost clock must be a non-negative number", d->id);
    if (!(s->weights->bits > 0 && s->weights->bits <= 64)) FAIL("weight format: bits out of range");
    if (!(s->kv->bits > 0 && s->kv->bits <= 64)) FAIL("KV format: bits out of range");
    const struct rt_engine *e = s->engine;
    if (!(e->mbu > 0 && e->mbu <= RT_EFFICIENCY_MAX) || !(e->mfu > 0 && e->mfu <= RT_EFFICIENCY_MAX))
        FAIL("%s: efficiencies must be in (0, 1]", e->id);
    if (!(e->mem_util > 0 && e->mem_util <= 1)) FAIL("%s: memory utilisation must be in (0, 1]", e->id);
    if (bad_real(e->step_overhead_s) || bad_real(e->layer_overhead_s) || bad_real(e->request_overhead_s) || bad_real(e->stage_overhead_s) ||
        bad_real(e->context_bytes) || bad_real(e->layer_clock_hz))
        FAIL("%s: overheads must be non-negative numbers", e->id);
    if (bad_real(e->kernel_s) || bad_real(e->launch_s) || bad_real(e->route_s) || bad_real(e->gemm_latency_s[0]) ||
        bad_real(e->gemm_latency_s[1]) || bad_real(e->gemm_latency_s[2]) || e->k_attn < 0 || e->k_ffn < 0 ||
        e->k_moe < 0 || e->g_attn < 0 || e->g_ffn < 0 || e->g_moe < 0 || e->k_mla < 0 || e->g_mla < 0 ||
        e->cuda_graph_max_bs < 0 || bad_real(e->moe_untuned_s[0]) || bad_real(e->moe_untuned_s[1]) ||
        bad_real(e->moe_untuned_tok[0]) || bad_real(e->moe_untuned_tok[1]) || bad_real(e->tile_n) ||
        bad_real(e->tile_bw[0]) || bad_real(e->tile_bw[1]) || bad_real(e->tile_bw[2]) || bad_real(e->k_q8[0]) ||
        bad_real(e->k_q8[1]) || bad_real(e->k_q8[2]) || bad_real(e->k_q8[3]) || bad_real(e->k_q4[0]) ||
        bad_real(e->k_q4[1]) || bad_real(e->k_q4[2]) || bad_real(e->k_q4[3]) || bad_real(e->moe_pad_block))
        FAIL("%s: kernel counts and times must be non-negative numbers", e->id);
    if (bad_count(s->batch, 1)) FAIL("batch must be at least 1");
    if (bad_count(s->prompt, 0)) FAIL("prompt tokens must not be negative");
    if (bad_count(s->output, 0)) FAIL("output tokens must not be negative");
    if (bad_count(s->devices, 1) || s->devices > RT_DEVICES_MAX) FAIL("devices must be between 1 and %d", RT_DEVICES_MAX);
    if (bad_count(s->tp, 1) || bad_count(s->pp, 1)) FAIL("tp and pp must be at least 1");
    if (s->tp * s->pp != s->devices && s->mix_n == 0) /* (a device list: rt_validate_mix) */
        FAIL("tp (%lld) x pp (%lld) must equal the device count (%lld)", (long long)s->tp,
             (long long)s->pp, (long long)s->devices);
    if (s->ep < 0 || s->ep > s->devices) FAIL("expert parallel degree must be between 1 and the device count");
    if (s->dp < 0 || s->dp > RT_DEVICES_MAX) FAIL("data-parallel replicas must be between 1 and %d", RT_DEVICES_MAX);
    if (s->disagg_p < 0 || s->disagg_d < 0 || s->disagg_p > RT_DEVICES_MAX || s->disagg_d > RT_DEVICES_MAX)
        FAIL("disaggregated prefill and decode devices must be between 1 and %d", RT_DEVICES_MAX);
    if (s->concurrency < 0 || s->concurrency > RT_REQUESTS_MAX) FAIL("concurrency must be between 0 and %lld",
                                                                     (long long)RT_REQUESTS_MAX);
    if (s->ep > 1 && (!rt_moe_group(s->model) || s->tp % s->ep != 0))
        FAIL("--ep %lld needs a mixture-of-experts model and a tensor-parallel degree it divides (tp %lld)",
             (long long)s->ep, (long long)s->tp);
    if (s->pp > s->model->layers) FAIL("pp (%lld) exceeds the number of layers", (long long)s->pp);
    if (!(s->assume.weight_cache_hit >= 0 && s->assume.weight_cache_hit < 1))
        FAIL("weight cache hit fraction must be in [0, 1)");
    if (bad_real(s->target_tok_s)) FAIL("target rate must be a non-negative number");
    if (bad_real(s->lifetime_years) || bad_real(s->kwh_usd)) FAIL("lifetime and electricity price must be non-negative");
    if ((double)s->batch * (double)(s->prompt + s->output) > 1e15)
        FAIL("batch x context too large");
    if (isnan(s->rate) || s->rate < 0) FAIL("request rate must be a number above 0, or inf");
    if (s->rate > 0 && (s->requests < 0 || s->requests > RT_REQUESTS_MAX))
        FAIL("requests must be between 1 and %lld", (long long)RT_REQUESTS_MAX);
    if (bad_real(s->ttft_max) || bad_real(s->itl_max)) FAIL("latency targets must be non-negative numbers");
    if (!(s->utilization >= 0 && s->utilization <= 1)) FAIL("utilization must be between 0 and 1");
    if (bad_real(s->load_factor) || s->load_factor > 1.5) FAIL("load factor must be between 0 and 1.5");
    if (bad_real(s->pue) || s->pue > 10) FAIL("PUE must be between 0 (1) and 10");
    if (bad_real(s->api_in_usd_mtok) || bad_real(s->api_out_usd_mtok)) FAIL("API prices must be non-negative");
    if (!(s->prefix_hit >= 0 && s->prefix_hit <= 1)) FAIL("prefix hit share must be between 0 and 1");
    if (s->cached_prefix < 0 || s->cached_prefix > s->prompt)
        FAIL("cached prefix (%lld) must be between 0 and the prompt (%lld)", (long long)s->cached_prefix,
             (long long)s->prompt);
    if (s->host) {
        if (bad_real(s->host->bandwidth) || s->host->bandwidth <= 0)
            FAIL("%s: host bandwidth must be positive", s->host->id);
        if (s->gpu_layers < 0 || s->gpu_layers > s->model->layers)
            FAIL("GPU layers (%lld) must be between 0 and the model's %lld layers", (long long)s->gpu_layers,
                 (long long)s->model->layers);
    }
    if (s->cpu_moe < 0 || s->cpu_moe > s->model->layers)
        FAIL("expert offload blocks (%lld) must be between 0 and the model's %lld layers", (long long)s->cpu_moe,
             (long long)s->model->layers);
    if (s->cpu_moe > 0 && !s->host)
        FAIL("expert offload needs a host memory system for the experts");
    if (s->draft) {
        if (rt_validate_model(s->draft, err, errlen) != RT_OK)
            return RT_EINVAL;
        if (s->spec_tokens < 1 || s->spec_tokens > RT_SPEC_TOKENS_MAX) FAIL("draft tokens per step must be between 1 and %d", RT_SPEC_TOKENS_MAX);
        if (!(s->spec_accept >= 0 && s->spec_accept <= 1)) FAIL("acceptance rate must be between 0 and 1");
    }
    return rt_validate_mix(s, err, errlen);
}
